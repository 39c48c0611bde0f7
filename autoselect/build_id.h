/*
 * The identity of the running executable, for caches that must not outlive
 * the code that filled them (the `--backend auto` verification cache).
 */
#ifndef SUBPOW_AUTOSELECT_BUILD_ID_H
#define SUBPOW_AUTOSELECT_BUILD_ID_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Writes the executable's identity as lowercase hex into `out`: the ELF
 * NT_GNU_BUILD_ID note of the main program (found with dl_iterate_phdr; the
 * linker writes it by default on Debian), or, when the binary has none,
 * "sha256-" and the SHA-256 of /proc/self/exe. Returns 0, or a negative
 * SP_E* code when neither could be read (`out` is then "").
 */
int sp_build_id(char *out, size_t outlen);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_AUTOSELECT_BUILD_ID_H */
