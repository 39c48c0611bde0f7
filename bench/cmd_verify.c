/* bench verify: every backend against the vectors and the reference. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/data_dir.h"
#include "registry/registry.h"
#include "bench/commands.h"
#include "fleet/fleet.h"
#include "verify/verify.h"

#ifndef SUBPOW_VECTORS_DIR
#define SUBPOW_VECTORS_DIR "vectors"
#endif

static const char help[] =
    "usage: bench verify [--backend NAME]... [--seed S] [--random-cases N]\n"
    "                    [--vectors DIR] [--list] [backend options]\n"
    "\n"
    "Checks the reference library against the committed vectors, then each\n"
    "backend (all registered ones by default, or those named) against the\n"
    "vectors and against the reference on N seeded random cases (default 300,\n"
    "seed 1). Prints each failure with its inputs, then a last line\n"
    "\"N passed, M failed\". Exit 0 when nothing failed, 1 when a check failed,\n"
    "2 when a named backend cannot run here (no GPU) or on bad usage.\n"
    "A backend that is not named and cannot run here is skipped with a line\n"
    "saying why. --list prints the registered backends.\n";

/* user: "" or, in a fleet job, the host, rank and device (fleet.h). */
static void print_failure(void *user, const char *line) {
  printf("FAIL %s%s\n", (const char *)user, line);
}

int sp_cmd_verify(int argc, char **argv) {
  static const struct option opts[] = {
      {"seed", required_argument, NULL, 's'},
      {"random-cases", required_argument, NULL, 'n'},
      {"vectors", required_argument, NULL, 'v'},
      {"list", no_argument, NULL, 'l'},
      {"help", no_argument, NULL, 'h'},
      SP_BACKEND_LONGOPTS,
      {0}};
  const char *cmd = "verify";
  const char *names[32];
  int n_names = 0;
  uint64_t seed = 1, cases = 300;
  const char *dir = sp_data_dir("vectors", SUBPOW_VECTORS_DIR);
  sp_backend_args ba = {0};
  int c;
  const sp_backend_vtable *const *list;
  size_t n_list = sp_backend_registry(&list);
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, sp_backend_longopts(opts))) != -1) {
    switch (c) {
    case 's':
      if (sp_cli_u64(cmd, "--seed", optarg, &seed)) return SP_EXIT_USAGE;
      break;
    case 'n':
      if (sp_cli_u64(cmd, "--random-cases", optarg, &cases)) return SP_EXIT_USAGE;
      if (cases > 1000000)
        return sp_cli_fail(cmd, "--random-cases: at most 1000000");
      break;
    case 'v': dir = optarg; break;
    case 'l':
      for (size_t i = 0; i < n_list; i++)
        printf("%-10s %s\n", list[i]->name, list[i]->summary);
      return SP_EXIT_OK;
    case 'h':
      fputs(help, stdout);
      sp_backend_args_print_help(stdout);
      return SP_EXIT_OK;
    case SP_OPT_BACKEND:
      if (n_names == 32) return sp_cli_fail(cmd, "too many --backend");
      if (strcmp(optarg, "auto") == 0)
        return sp_cli_fail(cmd, "--backend auto is a choice among verified "
                                "backends: name the backends to verify");
      if (sp_backend_find(optarg) == NULL) {
        const sp_backend_vtable *vt;
        sp_backend *b;
        return sp_cli_open_backend(cmd, optarg, &ba.opts, &vt, &b);
      }
      names[n_names++] = optarg;
      break;
    default:
      if (sp_backend_args_is_option(c)) {
        if (sp_backend_args_take(cmd, &ba, c, optarg)) return SP_EXIT_USAGE;
        break;
      }
      return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;

  sp_vectors v;
  char err[512] = "";
  if (sp_vectors_load(dir, &v, err, sizeof err) != 0) {
    sp_vectors_free(&v);
    return sp_cli_fail(cmd, "cannot load vectors: %s", err);
  }
  sp_verify_result r = {0};
  char where[512];
  sp_fleet_where("reference library", where, sizeof where);
  sp_verify_library(&v, print_failure, where, &r);
  printf("library: %lu checks, %lu failed\n", r.passed + r.failed, r.failed);
  fflush(stdout);

  int status = SP_EXIT_OK;
  size_t todo = n_names ? (size_t)n_names : n_list;
  for (size_t i = 0; i < todo; i++) {
    const sp_backend_vtable *vt = n_names ? sp_backend_find(names[i]) : list[i];
    sp_backend *b = NULL;
    err[0] = '\0';
    int rc = vt->open(&ba.opts, &b, err, sizeof err);
    if (rc != 0) {
      if (n_names == 0 && rc == SP_BACKEND_UNAVAILABLE) {
        printf("%s: skipped: %s\n", vt->name, err);
        continue;
      }
      fprintf(stderr, "bench verify: %s: %s\n", vt->name, err);
      status = SP_EXIT_USAGE;
      continue;
    }
    sp_verify_result br = {0};
    sp_device_info dev;
    memset(&dev, 0, sizeof dev);
    vt->describe(b, 0, &dev);
    sp_fleet_where(dev.name, where, sizeof where);
    rc = sp_verify_backend(vt, b, &v, seed, (unsigned)cases, print_failure,
                           where, &br, err, sizeof err);
    vt->close(b);
    if (rc != 0) {
      printf("FAIL %s%s: backend error: %s\n", where, vt->name, err);
      br.failed++;
    }
    printf("%s: %lu checks, %lu failed\n", vt->name, br.passed + br.failed,
           br.failed);
    fflush(stdout);
    r.passed += br.passed;
    r.failed += br.failed;
  }
  sp_vectors_free(&v);
  printf("%lu passed, %lu failed\n", r.passed, r.failed);
  if (r.failed > 0) return SP_EXIT_NO;
  return status;
}
