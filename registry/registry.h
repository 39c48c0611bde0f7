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

/* "reference, cpu, cuda": the names, joined by ", ", into out (cap bytes,
 * truncated at a name). */
void sp_backend_names(char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_REGISTRY_REGISTRY_H */
