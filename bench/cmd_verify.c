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
#include "bench/json_out.h"

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
    "saying why. --list prints the registered backends.\n"
    "--json prints one JSON object instead: library and backends (name,\n"
    "status passed|failed|skipped|error, checks, failed, message), failures,\n"
    "passed, failed.\n";

/* Where failures go: printed, or gathered for --json. */
typedef struct failures {
  const char *where; /* "" or, in a fleet job, the host, rank and device */
  json_t *json;      /* the array of --json, else NULL */
} failures;

static void print_failure(void *user, const char *line) {
  const failures *f = user;
  if (f->json != NULL) {
    char text[2048];
    snprintf(text, sizeof text, "%s%s", f->where, line);
    json_array_append_new(f->json, sp_json_str(text));
    return;
  }
  printf("FAIL %s%s\n", f->where, line);
}

/* One backend's (or the library's) entry of --json. */
static json_t *entry(const char *name, const char *status, unsigned long checks,
                     unsigned long failed, const char *message) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "status", json_string(status));
  json_object_set_new(o, "checks", json_integer((json_int_t)checks));
  json_object_set_new(o, "failed", json_integer((json_int_t)failed));
  if (message != NULL && message[0] != '\0')
    json_object_set_new(o, "message", sp_json_str(message));
  return o;
}

int sp_cmd_verify(int argc, char **argv) {
  static const struct option opts[] = {
      {"seed", required_argument, NULL, 's'},
      {"random-cases", required_argument, NULL, 'n'},
      {"vectors", required_argument, NULL, 'v'},
      {"list", no_argument, NULL, 'l'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
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
  int c;
  const sp_backend_vtable *const *list;
  size_t n_list = sp_backend_registry(&list);
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
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
    case 'j': json = true; break;
    case 'l':
      for (size_t i = 0; i < n_list; i++)
        printf("%-10s %s\n", list[i]->name, list[i]->summary);
      return SP_EXIT_OK;
    case 'h':
      sp_cli_help(stdout, help);
      sp_backend_args_print_help(stdout);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    case 1000:
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
      if (c > 1000) {
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
  json_t *backends = json ? json_array() : NULL;
  failures fl = {where, json ? json_array() : NULL};
  sp_fleet_where("reference library", where, sizeof where);
  sp_verify_library(&v, print_failure, &fl, &r);
  json_t *library = NULL;
  if (json)
    library = entry("library", r.failed ? "failed" : "passed",
                    r.passed + r.failed, r.failed, NULL);
  else
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
        if (json)
          json_array_append_new(backends,
                                entry(vt->name, "skipped", 0, 0, err));
        else
          printf("%s: skipped: %s\n", vt->name, err);
        continue;
      }
      fprintf(stderr, "%s verify: %s: %s\n", sp_cli_prog(), vt->name, err);
      if (json)
        json_array_append_new(backends, entry(vt->name, "error", 0, 0, err));
      status = SP_EXIT_USAGE;
      continue;
    }
    sp_verify_result br = {0};
    sp_device_info dev;
    memset(&dev, 0, sizeof dev);
    vt->describe(b, 0, &dev);
    sp_fleet_where(dev.name, where, sizeof where);
    rc = sp_verify_backend(vt, b, &v, seed, (unsigned)cases, print_failure,
                           &fl, &br, err, sizeof err);
    vt->close(b);
    if (rc != 0) {
      char line[700];
      snprintf(line, sizeof line, "%s: backend error: %s", vt->name, err);
      print_failure(&fl, line);
      br.failed++;
    }
    if (json)
      json_array_append_new(
          backends, entry(vt->name, br.failed ? "failed" : "passed",
                          br.passed + br.failed, br.failed,
                          rc != 0 ? err : NULL));
    else
      printf("%s: %lu checks, %lu failed\n", vt->name, br.passed + br.failed,
             br.failed);
    fflush(stdout);
    r.passed += br.passed;
    r.failed += br.failed;
  }
  sp_vectors_free(&v);
  if (json) {
    json_t *o = json_object();
    json_object_set_new(o, "library", library);
    json_object_set_new(o, "backends", backends);
    json_object_set_new(o, "failures", fl.json);
    json_object_set_new(o, "passed", json_integer((json_int_t)r.passed));
    json_object_set_new(o, "failed", json_integer((json_int_t)r.failed));
    sp_json_print(stdout, o);
  } else {
    printf("%lu passed, %lu failed\n", r.passed, r.failed);
  }
  if (r.failed > 0) return SP_EXIT_NO;
  return status;
}
