/* The generated list of built-in backends (registry/CMakeLists.txt writes
 * builtin_backends.c from what each backend folder registered). Private to
 * registry/: use registry.h. */
#ifndef SUBPOW_REGISTRY_BUILTIN_BACKENDS_H
#define SUBPOW_REGISTRY_BUILTIN_BACKENDS_H

#include <stddef.h>

#include "backend/backend.h"

extern const sp_backend_vtable *const sp_builtin_backends[];
extern const size_t sp_builtin_backend_count;

/* The settings tables of the backends that are not built here, ended by
 * NULL. */
extern const sp_setting_info *const sp_unbuilt_settings[];

#endif /* SUBPOW_REGISTRY_BUILTIN_BACKENDS_H */
