/* `--backend auto` through the bench command: the first use verifies and
 * says so on stderr, later uses are silent and cached, a cached failure is
 * respected, and `bench verify` refuses "auto". */
#include <criterion/criterion.h>

#include "backend/backend.h"
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress/support/run_command.h"

static char dir[64];

static void setup(void) {
  strcpy(dir, "/tmp/subpow-xdg-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  setenv("XDG_CACHE_HOME", dir, 1);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

/* The one cache file under $XDG_CACHE_HOME/subpow. */
static void cache_file(char *out, size_t outlen) {
  char sub[128];
  snprintf(sub, sizeof sub, "%s/subpow", dir);
  DIR *d = opendir(sub);
  cr_assert_not_null(d, "no cache directory %s", sub);
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d)) != NULL)
    if (strncmp(e->d_name, "auto-", 5) == 0) {
      snprintf(out, outlen, "%s/%s", sub, e->d_name);
      n++;
    }
  closedir(d);
  cr_assert_eq(n, 1);
}

Test(bench_auto, verifies_once_then_uses_the_cache, .init = setup,
     .fini = teardown) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "auto", "--seconds",
                            "0.1", "--json", NULL),
               0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(strstr(r.err, "--backend auto: checked this build's backends"),
            "%s", r.err);
  cr_assert(strstr(r.err, "reference  verified ("), "%s", r.err);
  cr_assert(strstr(r.err, "<- chosen"), "%s", r.err);

  char path[512];
  cache_file(path, sizeof path);
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  cr_assert_not_null(root, "%s", je.text);
  /* The choice is the verified backend of the highest rate this run
   * measured, as the cache keeps it. Which one that is depends on the build
   * (the optimized CPU backend compiled for a sanitizer without
   * optimization can be slower than the reference, whose hashes are
   * OpenSSL's and Nettle's), so the test reads the run's own measurements
   * instead of assuming an order. */
  const char *fastest = NULL;
  double best = -1;
  size_t k;
  json_t *ent;
  json_array_foreach(json_object_get(root, "entries"), k, ent) {
    double rate = json_number_value(json_object_get(ent, "hashes_per_second"));
    if (json_is_true(json_object_get(ent, "verified")) && rate > best) {
      best = rate;
      fastest = json_string_value(json_object_get(ent, "backend"));
    }
  }
  cr_assert_not_null(fastest, "no verified entry in %s", path);
  char chosen[64];
  snprintf(chosen, sizeof chosen, "\"backend\": \"%s\"", fastest);
  cr_assert(strstr(r.out, chosen), "%s", r.out);
  sp_run_result_free(&r);
  json_t *e0 = json_array_get(json_object_get(root, "entries"), 0);
  cr_assert(json_is_true(json_object_get(e0, "verified")));
  cr_assert_str_eq(json_string_value(json_object_get(e0, "backend")),
                   "reference");
  cr_assert_eq(json_integer_value(json_object_get(e0, "failed")), 0);
  cr_assert_gt(json_number_value(json_object_get(e0, "hashes_per_second")),
               1000);
  cr_assert(strstr(path, json_string_value(json_object_get(root, "build_id"))));

  /* Cached: the same choice, nothing printed. */
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "auto", "--seconds",
                            "0.1", NULL),
               0);
  cr_assert_eq(r.status, 0);
  cr_assert_str_eq(r.err, "");
  snprintf(chosen, sizeof chosen, "backend: %s", fastest);
  cr_assert(strstr(r.out, chosen), "%s", r.out);
  sp_run_result_free(&r);

  /* A flag the chosen backend does not take is named in a warning (with
   * auto the user could not know which backend it would be). */
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "auto", "--seconds",
                            "0.1", "--tpb", "64", NULL),
               0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(strstr(r.err, "warning: --tpb is ignored: --backend auto chose"),
            "%s", r.err);
  cr_assert_eq(sp_count_lines(r.err), 1, "%s", r.err);
  sp_run_result_free(&r);

  /* A cached failure is never chosen: fail every entry. */
  size_t i;
  json_t *entry;
  json_array_foreach(json_object_get(root, "entries"), i, entry) {
    char why[96];
    snprintf(why, sizeof why, "%s: seeded failure",
             json_string_value(json_object_get(entry, "backend")));
    json_object_set_new(entry, "verified", json_false());
    json_object_set_new(entry, "failed", json_integer(1));
    json_object_set_new(entry, "first_failure", json_string(why));
  }
  cr_assert_eq(json_dump_file(root, path, 0), 0);
  json_decref(root);
  cr_assert_eq(
      sp_run_bench(
          &r, "solve", "--backend", "auto", "--block-and-hotkey-hash",
          "0000000000000000000000000000000000000000000000000000000000000000",
          "--difficulty", "1", "--start", "0", "--count", "1", NULL),
      0);
  cr_assert_eq(r.status, 2);
  /* Backends that cannot run here (cuda without a GPU) are listed after the
   * reference with their reason. */
  static const char want[] = "bench solve: --backend auto: no backend passed "
                             "verification here (reference: reference: seeded "
                             "failure";
  cr_assert_eq(strncmp(r.err, want, sizeof want - 1), 0, "%s", r.err);
  cr_assert_eq(sp_count_lines(r.err), 1, "%s", r.err);
  sp_run_result_free(&r);
}

Test(bench_auto, verify_refuses_auto) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--backend", "auto", NULL), 0);
  cr_assert_eq(r.status, 2);
  cr_assert_eq(sp_count_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "bench verify: --backend auto is a choice"), "%s",
            r.err);
  sp_run_result_free(&r);
}

Test(bench_auto, no_cache_directory_is_a_usage_error) {
  setenv("XDG_CACHE_HOME", "relative/path", 1);
  unsetenv("HOME");
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "hashrate", "--backend", "auto", NULL), 0);
  cr_assert_eq(r.status, 2);
  cr_assert_str_eq(r.err, "bench hashrate: --backend auto: no cache directory: "
                          "set XDG_CACHE_HOME or HOME\n");
  sp_run_result_free(&r);
}
