/*
 * Backend flags that the chosen backend does not take (--tpb with cpu,
 * --isa or --threads with reference) are refused, not silently ignored:
 * a user who typed --threads 4 must not believe it applied.
 */
#ifndef SUBPOW_BENCH_BACKEND_FLAGS_H
#define SUBPOW_BENCH_BACKEND_FLAGS_H

#include <stdbool.h>

#include "backend/backend.h"

/*
 * Checks every flag set in `opts` (a non-default value) against the
 * settings backend `vt` lists (backend.h: sp_backend_setting; a backend
 * without a list, like the reference, takes none). With `auto_chosen` false
 * (--backend NAME) an ignored flag is an error: one line on stderr,
 * SP_EXIT_USAGE returned. With it true the user could not know which backend
 * `--backend auto` would pick: a warning line per ignored flag, and 0.
 */
int sp_cli_check_backend_flags(const char *cmd, const sp_backend_vtable *vt,
                               const sp_backend_options *opts,
                               bool auto_chosen);

#endif /* SUBPOW_BENCH_BACKEND_FLAGS_H */
