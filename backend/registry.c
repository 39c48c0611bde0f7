/* The list of backends built into this binary. Optional backends are
 * compiled in by CMake definitions (SUBPOW_HAVE_CPU, SUBPOW_HAVE_CUDA). */
#include "backend/backend.h"

#include <string.h>

extern const sp_backend_vtable sp_backend_reference;
#ifdef SUBPOW_HAVE_CPU
extern const sp_backend_vtable sp_backend_cpu;
#endif
#ifdef SUBPOW_HAVE_CUDA
extern const sp_backend_vtable sp_backend_cuda;
#endif

static const sp_backend_vtable *const registered[] = {
    &sp_backend_reference,
#ifdef SUBPOW_HAVE_CPU
    &sp_backend_cpu,
#endif
#ifdef SUBPOW_HAVE_CUDA
    &sp_backend_cuda,
#endif
};

size_t sp_backend_registry(const sp_backend_vtable *const **list) {
  *list = registered;
  return sizeof registered / sizeof registered[0];
}

const sp_backend_vtable *sp_backend_find(const char *name) {
  for (size_t i = 0; i < sizeof registered / sizeof registered[0]; i++)
    if (name != NULL && strcmp(registered[i]->name, name) == 0)
      return registered[i];
  return NULL;
}
