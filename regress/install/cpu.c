/* A program outside the tree that uses the installed CPU backend
 * (optimized/cpu_backend.h, libsubpow_cpu.a, which needs hwloc), built with
 * `pkg-config --cflags --libs subpow-cpu`: the solutions of a small range
 * at difficulty 4 found by sp_backend_cpu must be the reference's. */
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "optimized/cpu_backend.h"
#include "reference/reference.h"

static int solutions(const sp_backend_vtable *vt, const sp_work *w,
                     size_t *count) {
  sp_backend_options o;
  memset(&o, 0, sizeof o);
  o.threads = 1;
  o.no_pin = true;
  sp_backend *b;
  sp_error_record err = {0};
  if (vt->open(&o, &b, &err) != 0) {
    fprintf(stderr, "%s: %s\n", vt->name, err.message);
    return 1;
  }
  sp_solution_list l = {0};
  uint64_t scanned = 0;
  int rc = sp_backend_solve(vt, b, w, (sp_nonce_range){0, 4096}, true, 0, &l,
                            &scanned, &err);
  vt->close(b);
  *count = l.count;
  sp_solution_list_free(&l);
  if (rc != 0 || scanned != 4096)
    fprintf(stderr, "%s: %s\n", vt->name, err.message);
  return rc != 0 || scanned != 4096;
}

int main(void) {
  sp_work w = {.difficulty = 4, .rule = SP_RULE_CHAIN_LE};
  memset(w.block_and_hotkey_hash, 0x42, 32);
  size_t cpu = 0, ref = 0;
  if (solutions(&sp_backend_cpu, &w, &cpu) != 0 ||
      solutions(&sp_backend_reference, &w, &ref) != 0)
    return 1;
  if (cpu != ref || cpu == 0) {
    fprintf(stderr, "cpu %zu solutions, reference %zu\n", cpu, ref);
    return 1;
  }
  printf("cpu backend: %zu solutions, as the reference\n", cpu);
  return 0;
}
