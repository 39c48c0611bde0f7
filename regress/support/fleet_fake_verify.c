/*
 * A fleet rank whose backend fails: `fleet_fake_verify verify` is what
 * `bench verify` does on one rank (through the same sp_fleet_run, with the
 * same failure lines), but on the fake backend made to lose its device on
 * its first scan. test_fleet.c starts it as one rank of an mpirun job
 * (mpirun's `:` syntax) next to real `bench verify` ranks.
 */
#include <stdio.h>
#include <string.h>

#include "fleet/fleet.h"
#include "regress/support/fake_backend.h"
#include "verify/verify.h"

#ifndef SUBPOW_VECTORS_DIR
#define SUBPOW_VECTORS_DIR "vectors"
#endif

static void print_failure(void *user, const char *line) {
  printf("FAIL %s%s\n", (const char *)user, line);
}

static int fake_verify(int argc, char **argv) {
  (void)argc, (void)argv;
  sp_vectors v;
  char err[512] = "";
  if (sp_vectors_load(SUBPOW_VECTORS_DIR, &v, err, sizeof err) != 0) {
    fprintf(stderr, "fleet_fake_verify: %s\n", err);
    sp_vectors_free(&v);
    return 2;
  }
  fake_config cfg = {.fail_after = 1};
  sp_backend *b = fake_backend_new(&cfg);
  sp_device_info dev;
  fake_vtable.describe(b, 0, &dev);
  char where[512];
  sp_fleet_where(dev.name, where, sizeof where);
  sp_verify_result r = {0};
  int rc = sp_verify_backend(&fake_vtable, b, &v, 1, 1, print_failure, where,
                             &r, err, sizeof err);
  fake_vtable.close(b);
  sp_vectors_free(&v);
  if (rc != 0) {
    printf("FAIL %s%s: backend error: %s\n", where, fake_vtable.name, err);
    r.failed++;
  }
  printf("%s: %lu checks, %lu failed\n", fake_vtable.name, r.passed + r.failed,
         r.failed);
  printf("%lu passed, %lu failed\n", r.passed, r.failed);
  return r.failed ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "verify") != 0) {
    fprintf(stderr, "usage: fleet_fake_verify verify\n");
    return 2;
  }
  return sp_fleet_run("verify", fake_verify, argc - 1, argv + 1);
}
