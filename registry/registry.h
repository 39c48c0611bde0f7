/*
 * The registry of the backends built into this binary: the reference
 * adapter first, then every backend whose folder registered itself with
 * CMake (registry/CMakeLists.txt generates the list, builtin_backends.c).
 * It sits above the backends and below the commands: the engine never needs
 * it (it takes vtables), and nothing here names a backend.
 */
#ifndef SUBPOW_REGISTRY_REGISTRY_H
#define SUBPOW_REGISTRY_REGISTRY_H

#include <stddef.h>

#include "backend/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The registered backends, in registration order (the reference first).
 * Returns the count and sets *list. */
size_t sp_backend_registry(const sp_backend_vtable *const **list);

/* The registered backend called `name`, or NULL. */
const sp_backend_vtable *sp_backend_find(const char *name);

/* The default backend of the commands that measure or mine: the CPU
 * backend of highest rank (the reference when no other is built). */
const sp_backend_vtable *sp_backend_default(void);

/* The settings of every registered backend, then those of the backends
 * not built here (their tables are registered alone), one per name (the
 * first row where two take the same flag): sets *out to static storage and
 * returns the count (at most SP_REGISTRY_MAX_SETTINGS). The commands'
 * backend flags are these. */
#define SP_REGISTRY_MAX_SETTINGS 64
size_t sp_backend_settings_all(const sp_setting_info *const **out);

/* Every row named `name` in the tables above (a flag several backends
 * take has one row each): up to `cap` into rows; returns how many. */
size_t sp_backend_setting_rows(const char *name, const sp_setting_info **rows,
                               size_t cap);

/* "reference, cpu, cuda": the names, joined by ", ", into out (cap bytes,
 * truncated at a name). */
void sp_backend_names(char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_REGISTRY_REGISTRY_H */
