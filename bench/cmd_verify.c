/* bench verify: every backend against the vectors and the reference. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/data_dir.h"
#include "bench/json_out.h"
#include "bench/verify_out.h"
#include "fleet/fleet.h"
#include "registry/registry.h"
#include "verify/verify.h"

#ifndef SUBPOW_VECTORS_DIR
#define SUBPOW_VECTORS_DIR "vectors"
#endif

static const char help[] =
    "usage: bench verify [--backend NAME]... [--seed S] [--random-cases N]\n"
    "                    [--vectors DIR] [--json] [--junit FILE] [--list]\n"
    "                    [backend options]\n"
    "\n"
    "Checks the reference library against the committed vectors, then each\n"
    "backend (all registered ones by default, or those named) against the\n"
    "vectors and against the reference on N seeded random cases (default 300,\n"
    "seed 1). Prints each failure with its inputs, then a last line\n"
    "\"N passed, M failed\". Exit 0 when nothing failed, 1 when a check "
    "failed,\n"
    "2 when a named backend cannot run here (no GPU) or on bad usage.\n"
    "A backend that is not named and cannot run here is skipped with a line\n"
    "saying why. --list prints the registered backends.\n"
    "  --json        one JSON object instead of the text: every suite "
    "(backend\n"
    "                and device) with its cases, counts, times and failure\n"
    "                lines, the totals and the exit status\n"
    "  --junit FILE  also write FILE as JUnit XML: one testsuite per backend\n"
    "                and device (and host and rank under mpirun: one file for\n"
    "                the whole job, written by rank 0), one testcase per "
    "vector\n"
    "                group and per batch of 100 random cases; a failure's\n"
    "                message is its reproduction line\n";

int sp_cmd_verify(int argc, char **argv) {
  static const struct option opts[] = {
      {"seed", required_argument, NULL, 's'},
      {"random-cases", required_argument, NULL, 'n'},
      {"vectors", required_argument, NULL, 'v'},
      {"list", no_argument, NULL, 'l'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"junit", required_argument, NULL, 'u'},
      {"help", no_argument, NULL, 'h'},
      SP_BACKEND_LONGOPTS,
      {0}};
  const char *cmd = "verify";
  const char *names[32];
  int n_names = 0;
  uint64_t seed = 1, cases = 300;
  const char *dir = sp_data_dir("vectors", SUBPOW_VECTORS_DIR);
  sp_backend_args ba = {0};
  bool json = false;
  const char *junit = NULL;
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
      if (sp_cli_u64(cmd, "--random-cases", optarg, &cases))
        return SP_EXIT_USAGE;
      if (cases > 1000000)
        return sp_cli_fail(cmd, "--random-cases: at most 1000000");
      break;
    case 'v': dir = optarg; break;
    case 'j': json = true; break;
    case 'u':
      if (optarg[0] == '\0') return sp_cli_fail(cmd, "--junit: empty path");
      junit = optarg;
      break;
    case 'l':
      for (size_t i = 0; i < n_list; i++)
        printf("%-10s %s\n", list[i]->name, list[i]->summary);
      return SP_EXIT_OK;
    case 'h':
      sp_cli_help(stdout, help);
      sp_backend_args_print_help(stdout);
      sp_cli_help_end(stdout);
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
        int rc = sp_backend_args_take(cmd, &ba, c, optarg);
        if (rc != 0) return rc == SP_CLI_DONE ? SP_EXIT_OK : rc;
        break;
      }
      return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;

  sp_vectors v;
  sp_error_record err = {0};
  if (sp_vectors_load(dir, &v, &err) != 0) {
    sp_vectors_free(&v);
    return sp_cli_fail(cmd, "cannot load vectors: %s", err.message);
  }
  /* The report; a single process prints each suite as it ends (a long
   * run shows progress), a fleet's rank 0 prints them all at the end. */
  sp_verify_report rep = {0};
  bool fleet = sp_fleet_active(), live = !fleet && !json;
  sp_verify_suite *s =
      sp_verify_report_add(&rep, "library", "reference library");
  if (s == NULL) return sp_cli_fail(cmd, "out of memory");
  sp_verify_library_suite(&v, s);
  if (live) sp_verify_print_suite(stdout, stderr, s, false);
  fflush(stdout);

  int status = SP_EXIT_OK;
  size_t todo = n_names ? (size_t)n_names : n_list;
  for (size_t i = 0; i < todo; i++) {
    const sp_backend_vtable *vt = n_names ? sp_backend_find(names[i]) : list[i];
    sp_backend *b = NULL;
    sp_error_record oerr = {0};
    int rc = vt->open(&ba.opts, &b, &oerr);
    if (rc != 0) {
      s = sp_verify_report_add(&rep, vt->name, "");
      if (s == NULL) break;
      s->state = n_names == 0 && rc == SP_BACKEND_UNAVAILABLE
                     ? SP_VERIFY_SKIPPED
                     : SP_VERIFY_ERROR;
      snprintf(s->reason, sizeof s->reason, "%s", oerr.message);
      if (s->state == SP_VERIFY_ERROR) status = SP_EXIT_USAGE;
      if (live) sp_verify_print_suite(stdout, stderr, s, false);
      continue;
    }
    sp_device_info dev;
    memset(&dev, 0, sizeof dev);
    vt->describe(b, 0, &dev);
    s = sp_verify_report_add(&rep, vt->name, dev.name);
    if (s == NULL) {
      vt->close(b);
      break;
    }
    sp_verify_backend_suite(vt, b, &v, seed, (unsigned)cases, s, NULL);
    vt->close(b);
    if (live) sp_verify_print_suite(stdout, stderr, s, false);
    fflush(stdout);
  }
  sp_vectors_free(&v);
  int st = sp_verify_report_status(&rep);
  if (st == 0) st = status;
  return sp_verify_finish(&rep, st, json, junit);
}
