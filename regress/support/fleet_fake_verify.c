/*
 * A fleet rank whose backend fails: `fleet_fake_verify verify` is what
 * `bench verify` does on one rank (through the same sp_fleet_run, the same
 * typed report and the same sp_verify_finish), but on the fake backend
 * made to lose its device on its first scan. test_fleet.c starts it as one rank
 * of an mpirun job (mpirun's `:` syntax) next to real `bench verify` ranks.
 */
#include <stdio.h>
#include <string.h>

#include "bench/verify_out.h"
#include "fleet/fleet.h"
#include "regress/support/fake_backend.h"
#include "verify/verify.h"

#ifndef SUBPOW_VECTORS_DIR
#define SUBPOW_VECTORS_DIR "vectors"
#endif

static int fake_verify(int argc, char **argv) {
  (void)argc, (void)argv;
  sp_vectors v;
  sp_error_record err = {0};
  if (sp_vectors_load(SUBPOW_VECTORS_DIR, &v, &err) != 0) {
    fprintf(stderr, "fleet_fake_verify: %s\n", err.message);
    sp_vectors_free(&v);
    return 2;
  }
  sp_verify_report rep = {0};
  sp_verify_suite *s =
      sp_verify_report_add(&rep, "library", "reference library");
  if (s != NULL) sp_verify_library_suite(&v, s);
  fake_config cfg = {.fail_after = 1};
  sp_backend *b = fake_backend_new(&cfg);
  sp_device_info dev;
  fake_vtable.describe(b, 0, &dev);
  s = sp_verify_report_add(&rep, fake_vtable.name, dev.name);
  if (s != NULL) sp_verify_backend_suite(&fake_vtable, b, &v, 1, 1, s, &err);
  fake_vtable.close(b);
  sp_vectors_free(&v);
  return sp_verify_finish(&rep, sp_verify_report_status(&rep), false, NULL);
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "verify") != 0) {
    fprintf(stderr, "usage: fleet_fake_verify verify\n");
    return 2;
  }
  return sp_fleet_run("verify", fake_verify, true, argc - 1, argv + 1);
}
