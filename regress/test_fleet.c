/*
 * The fleet (fleet/fleet.h) under a real `mpirun` on this one machine:
 * three ranks register on the mock node with one submission, on disjoint
 * nonces, with their hashes summed by rank 0; `bench verify` fails the job
 * when one rank's backend fails; `bench sweep` merges every rank's rows;
 * messages between ranks are refused when malformed. Each job is a few
 * seconds at low difficulty. Skipped (one line) when the build has no MPI or
 * mpirun is absent.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain/mock/mock_node.h"
#include "fleet/fleet.h"
#include "fleet/fleet_wire.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"

#ifndef SUBPOW_MPIEXEC
#define SUBPOW_MPIEXEC ""
#endif

static char dir[64];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/subpow-fleet-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  /* CI runs as root; Open MPI refuses that unless told twice. The same
   * ranks oversubscribe the 2 cores. */
  setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  /* A sanitized build: LeakSanitizer's exit-time scan crashes ("Tracer
   * caught signal 11") on the threads Open MPI leaves behind, so the ranks
   * run without it (ASan and UBSan still check them; bench's leaks are
   * checked by the single-process tests). */
  const char *asan = getenv("ASAN_OPTIONS");
  char opts[1024];
  snprintf(opts, sizeof opts, "%s%sdetect_leaks=0", asan ? asan : "",
           asan && asan[0] ? ":" : "");
  setenv("ASAN_OPTIONS", opts, 1);
  unsetenv("SUBPOW_MPI");
  unsetenv("SUBPOW_FLEET_TRACE");
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(fleet, .init = setup, .fini = teardown, .timeout = 240);

static void need_mpi(void) {
  if (!sp_fleet_built_with_mpi() || SUBPOW_MPIEXEC[0] == '\0')
    cr_skip_test("built without MPI (libopenmpi-dev): fleet tests skipped");
  if (access(SUBPOW_MPIEXEC, X_OK) != 0)
    cr_skip_test("%s is absent (openmpi-bin): fleet tests skipped",
                 SUBPOW_MPIEXEC);
}

/* mpirun --oversubscribe --bind-to none ARGS... (NULL-terminated; ":" and
 * -np as mpirun takes them), bounded by timeout(1). */
static void mpirun(sp_run_result *r, const char *arg, ...) {
  char *argv[96];
  int n = 0;
  argv[n++] = (char *)"/usr/bin/timeout";
  argv[n++] = (char *)"200";
  argv[n++] = (char *)SUBPOW_MPIEXEC;
  argv[n++] = (char *)"--oversubscribe";
  argv[n++] = (char *)"--bind-to";
  argv[n++] = (char *)"none";
  va_list ap;
  va_start(ap, arg);
  for (const char *a = arg; a != NULL && n < 95; a = va_arg(ap, const char *))
    argv[n++] = (char *)a;
  va_end(ap);
  argv[n] = NULL;
  cr_assert_eq(sp_run(argv, NULL, r), 0);
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

static void make_wallet(char *path, size_t len) {
  snprintf(path, len, "%s/wallet", dir);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "create", "--wallet-path", path, "--no-password",
               NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
}

static sp_mock_node *mock(uint64_t difficulty, char *url) {
  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  c.n_subnets = 0;
  sp_mock_config_subnet(&c, 1, true, difficulty);
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(&c, &err);
  cr_assert_not_null(n, "%s", err.message);
  sp_mock_url(n, url, 64);
  return n;
}

typedef struct scan {
  int rank;
  uint64_t start, count, scanned;
} scan;

/* Reads PREFIX.rank0 .. PREFIX.rank<n-1>; checks every chunk of every rank
 * is disjoint from every other and each rank scanned at least min_scans.
 * Returns the nonces hashed in all. */
static uint64_t check_trace(const char *prefix, int n, int min_scans) {
  static scan s[20000];
  size_t k = 0;
  for (int rank = 0; rank < n; rank++) {
    char path[256], line[512];
    snprintf(path, sizeof path, "%s.rank%d", prefix, rank);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "rank %d wrote no trace %s", rank, path);
    int scans = 0;
    while (fgets(line, sizeof line, f) && k < 20000) {
      int r = -1;
      char host[128], backend[64];
      cr_assert_eq(sscanf(line,
                          "rank=%d host=%127s backend=%63s start=%" SCNu64
                          " count=%" SCNu64 " scanned=%" SCNu64,
                          &r, host, backend, &s[k].start, &s[k].count,
                          &s[k].scanned),
                   6, "%s", line);
      cr_assert_eq(r, rank);
      cr_assert_leq(s[k].scanned, s[k].count);
      s[k++].rank = r;
      scans++;
    }
    fclose(f);
    cr_assert_geq(scans, min_scans, "rank %d scanned %d chunks", rank, scans);
  }
  uint64_t total = 0;
  for (size_t i = 0; i < k; i++) {
    total += s[i].scanned;
    for (size_t j = i + 1; j < k; j++) {
      /* [a, a+ca) and [b, b+cb) overlap when each starts before the other
       * ends (no wrap: the engine's cursor starts far from 2^64 here). */
      bool overlap = s[i].start - s[j].start < s[j].count ||
                     s[j].start - s[i].start < s[i].count;
      cr_assert(!overlap,
                "rank %d chunk [%" PRIu64 ", +%" PRIu64 ") overlaps rank %d's "
                "[%" PRIu64 ", +%" PRIu64 ")",
                s[i].rank, s[i].start, s[i].count, s[j].rank, s[j].start,
                s[j].count);
    }
  }
  return total;
}

/* The --json summary: rank 0's last line on stdout (no other rank writes
 * there). */
static json_t *last_json(const char *out) {
  size_t k = strlen(out);
  while (k > 0 && out[k - 1] == '\n')
    k--;
  const char *p = out + k;
  while (p > out && p[-1] != '\n')
    p--;
  json_error_t e;
  /* Nonces reach 2^64 - 1, over jansson's integers: numbers as doubles
   * (the counts compared here are far below 2^53). */
  json_t *o = json_loadb(p, (size_t)(out + k - p), JSON_DECODE_INT_AS_REAL, &e);
  cr_assert_not_null(o, "no JSON summary (%s) in: %s", e.text, out);
  return o;
}

Test(fleet, register_np3_one_submission_disjoint_nonces_summed) {
  need_mpi();
  char wallet[128], url[64], journal[160], trace[160];
  make_wallet(wallet, sizeof wallet);
  snprintf(journal, sizeof journal, "%s/journal.jsonl", dir);
  snprintf(trace, sizeof trace, "%s/trace", dir);
  setenv("SUBPOW_FLEET_TRACE", trace, 1);
  sp_mock_node *node = mock(10000, url);
  sp_run_result r;
  mpirun(&r, "-np", "3", SUBPOW_BENCH, "register", "--network", url,
         "--wallet-path", wallet, "--backend", "cpu", "--threads", "1",
         "--no-pin", "--journal", journal, "--json", "--no-output-in-place",
         NULL);
  unsetenv("SUBPOW_FLEET_TRACE");
  cr_assert_eq(r.status, 0, "out: %s\nerr: %s", r.out, r.err);
  json_t *o = last_json(r.out);
  cr_assert_str_eq(json_string_value(json_object_get(o, "status")),
                   "registered");
  /* One submission for the whole fleet: one attempt, one "submitting"
   * line among all ranks, one found and one included in the journal. */
  cr_assert_eq(json_number_value(json_object_get(o, "attempts")), 1);
  cr_assert_eq(count(r.err, "submitting"), 1, "%s", r.err);
  cr_assert_eq(count(r.err, "bench: fleet: rank 1"), 1, "%s", r.err);
  cr_assert_eq(count(r.err, "bench: fleet: rank 2"), 1, "%s", r.err);
  FILE *f = fopen(journal, "r");
  cr_assert_not_null(f);
  char line[2048], key[65] = "";
  int found = 0, included = 0;
  while (fgets(line, sizeof line, f)) {
    found += strstr(line, "\"event\":\"found\"") != NULL;
    included += strstr(line, "\"event\":\"included\"") != NULL;
    const char *k = strstr(line, "\"key\":\"");
    if (k) snprintf(key, sizeof key, "%.64s", k + 7);
  }
  fclose(f);
  cr_assert_eq(found, 1);
  cr_assert_eq(included, 1);
  uint8_t hotkey[32];
  size_t got = 0;
  cr_assert_eq(sp_hex_decode(key, 32, hotkey, 32, &got), 0);
  uint16_t uid = 0;
  cr_assert_eq(sp_mock_uid(node, 1, hotkey, &uid), 0, "not registered");
  /* Every rank hashed, on chunks disjoint from every other's, and the
   * summary's hash count is the sum of all of them. */
  uint64_t total = check_trace(trace, 3, 1);
  cr_assert_eq((uint64_t)json_number_value(json_object_get(o, "hashes")),
               total);
  json_decref(o);
  sp_run_result_free(&r);
  sp_mock_stop(node);
}

Test(fleet, time_limited_solve_many_chunks_disjoint_and_summed) {
  need_mpi();
  char wallet[128], url[64], trace[160];
  make_wallet(wallet, sizeof wallet);
  snprintf(trace, sizeof trace, "%s/trace", dir);
  setenv("SUBPOW_FLEET_TRACE", trace, 1);
  /* No nonce solves in a second at this difficulty: the job ends on the
   * time limit, after many chunks per rank. */
  sp_mock_node *node = mock(UINT64_MAX / 2, url);
  sp_run_result r;
  mpirun(&r, "-np", "3", SUBPOW_BENCH, "register", "--network", url,
         "--wallet-path", wallet, "--backend", "cpu", "--threads", "1",
         "--no-pin", "--seconds", "1.5", "--json", "--no-output-in-place",
         NULL);
  unsetenv("SUBPOW_FLEET_TRACE");
  /* the time limit: its own exit status, as timeout(1) */
  cr_assert_eq(r.status, 124, "out: %s\nerr: %s", r.out, r.err);
  json_t *o = last_json(r.out);
  cr_assert_eq(json_number_value(json_object_get(o, "attempts")), 0);
  uint64_t total = check_trace(trace, 3, 2);
  cr_assert_eq((uint64_t)json_number_value(json_object_get(o, "hashes")),
               total);
  cr_assert_gt(total, 0);
  json_decref(o);
  sp_run_result_free(&r);
  sp_mock_stop(node);
}

Test(fleet, register_goes_on_without_a_rank_whose_backend_fails) {
  need_mpi();
  char wallet[128], url[64];
  make_wallet(wallet, sizeof wallet);
  sp_mock_node *node = mock(10000, url);
  sp_run_result r;
  mpirun(&r, "-np", "1", SUBPOW_BENCH, "register", "--network", url,
         "--wallet-path", wallet, "--backend", "reference", "--json", ":",
         "-np", "1", SUBPOW_BENCH, "register", "--network", url,
         "--wallet-path", wallet, "--backend", "nosuch", "--json", NULL);
  cr_assert_eq(r.status, 0, "out: %s\nerr: %s", r.out, r.err);
  cr_assert(strstr(r.err, "rank 1 (") && strstr(r.err, "going on without it"),
            "%s", r.err);
  cr_assert_eq(count(r.err, "submitting"), 1, "%s", r.err);
  sp_run_result_free(&r);
  sp_mock_stop(node);
}

Test(fleet, verify_fails_when_one_ranks_backend_fails) {
  need_mpi();
  sp_run_result r;
  mpirun(&r, "-np", "2", SUBPOW_BENCH, "verify", "--backend", "cpu",
         "--threads", "1", "--random-cases", "1", ":", "-np", "1",
         SUBPOW_FLEET_FAKE, "verify", NULL);
  cr_assert_eq(r.status, 1, "out: %s\nerr: %s", r.out, r.err);
  /* The failure names its host, rank and device; the healthy ranks pass. */
  char host[256] = "";
  gethostname(host, sizeof host);
  cr_assert(strstr(r.out, "FAIL host=") &&
                strstr(r.out, "rank=2 device=\"fake device\" fake: "
                              "backend error: fake: device lost"),
            "%s", r.out);
  cr_assert_eq(count(r.out, "FAIL "), 1, "%s", r.out);
  cr_assert(strstr(r.out, "] cpu: ") != NULL, "%s", r.out);
  cr_assert(strstr(r.out, "failing: rank 2 (") != NULL, "%s", r.out);
  cr_assert(strstr(r.out, "\nfleet: ") != NULL, "%s", r.out);
  sp_run_result_free(&r);
}

Test(fleet, verify_junit_one_file_for_the_fleet) {
  need_mpi();
  char xml[200];
  snprintf(xml, sizeof xml, "%s/fleet.xml", dir);
  sp_run_result r;
  mpirun(&r, "-np", "2", SUBPOW_BENCH, "verify", "--backend", "cpu",
         "--threads", "1", "--random-cases", "1", "--junit", xml, ":", "-np",
         "1", SUBPOW_FLEET_FAKE, "verify", NULL);
  cr_assert_eq(r.status, 1, "out: %s\nerr: %s", r.out, r.err);
  sp_run_result_free(&r);
  /* Read by junitparser (Debian's python3-junitparser). */
  char cmd[600];
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 %s/regress/support/junit_check.py %s",
           SUBPOW_SOURCE_DIR, xml);
  char *const argv[] = {"/bin/sh", "-c", cmd, NULL};
  cr_assert_eq(sp_run(argv, NULL, &r), 0);
  if (r.status == 77) cr_skip_test("python3-junitparser is not installed");
  cr_assert_eq(r.status, 0, "%s", r.err);
  /* Ranks 0 and 1: the library and cpu suites, passing; rank 2: the
   * library, and the fake backend failing with its reproduction line. */
  cr_assert(strstr(r.out, " rank 0|3|0|0|0\n") &&
                strstr(r.out, " rank 1|3|0|0|0\n"),
            "%s", r.out);
  cr_assert(strstr(r.out, "\nfake on fake device @ ") &&
                strstr(r.out, " rank 2|1|1|0|0\n"),
            "%s", r.out);
  cr_assert(strstr(r.out, "|seals.json|fake: backend error: fake: device lost"),
            "%s", r.out);
  cr_assert_eq(count(r.out, "\ncpu on "), 2, "%s", r.out);
  sp_run_result_free(&r);
}

Test(fleet, hashrate_json_has_every_ranks_row_and_a_total) {
  need_mpi();
  sp_run_result r;
  mpirun(&r, "-np", "2", SUBPOW_BENCH, "hashrate", "--backend", "cpu",
         "--threads", "1", "--no-pin", "--seconds", "0.1", "--json", NULL);
  cr_assert_eq(r.status, 0, "out: %s\nerr: %s", r.out, r.err);
  json_error_t e;
  json_t *o = json_loads(r.out, 0, &e);
  cr_assert_not_null(o, "%s: %s", e.text, r.out);
  const json_t *ranks = json_object_get(o, "ranks");
  cr_assert_eq(json_array_size(ranks), 2, "%s", r.out);
  cr_assert_eq(
      json_integer_value(json_object_get(json_array_get(ranks, 1), "rank")), 1);
  const json_t *total = json_object_get(o, "total");
  cr_assert_eq(json_integer_value(json_object_get(total, "ranks")), 2);
  cr_assert_gt(json_number_value(json_object_get(total, "hashes_per_second")),
               0);
  json_decref(o);
  sp_run_result_free(&r);
}

Test(fleet, verify_fails_when_a_ranks_backend_cannot_start) {
  need_mpi();
  sp_run_result r;
  mpirun(&r, "-np", "1", SUBPOW_BENCH, "verify", "--backend", "cpu",
         "--threads", "1", "--random-cases", "1", ":", "-np", "1", SUBPOW_BENCH,
         "verify", "--backend", "nosuch", NULL);
  cr_assert_eq(r.status, 2, "out: %s\nerr: %s", r.out, r.err);
  cr_assert(strstr(r.out, "rank=1 device=\"-\" bench verify ended with "
                          "status 2") != NULL,
            "%s", r.out);
  /* Its own message reaches mpirun's stderr directly: the fleet captures
   * no output. */
  cr_assert(strstr(r.err,
                   "bench verify: --backend: unknown backend 'nosuch'") != NULL,
            "%s", r.err);
  sp_run_result_free(&r);
}

Test(fleet, sweep_writes_merged_csv_json_and_plot) {
  need_mpi();
  char out[160], path[200];
  snprintf(out, sizeof out, "%s/sweep", dir);
  sp_run_result r;
  mpirun(&r, "-np", "2", SUBPOW_BENCH, "sweep", "--backend", "cpu", "--threads",
         "1", "--isa", "portable", "--no-pin", "--seconds", "0.1", "--warmup",
         "0", "--out", out, NULL);
  cr_assert_eq(r.status, 0, "out: %s\nerr: %s", r.out, r.err);
  snprintf(path, sizeof path, "%s/sweep.csv", out);
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f, "%s", r.out);
  char line[4096], last[4096] = "";
  cr_assert_not_null(fgets(line, sizeof line, f));
  cr_assert(strstr(line, ",host,") && strstr(line, ",rank\n"), "%s", line);
  int r0 = 0, r1 = 0, rows = 0;
  while (fgets(line, sizeof line, f)) {
    r0 += strstr(line, "/r0/cpu/portable/unpinned,") != NULL;
    r1 += strstr(line, "/r1/cpu/portable/unpinned,") != NULL;
    rows++;
    snprintf(last, sizeof last, "%s", line);
  }
  fclose(f);
  cr_assert_eq(r0, 1);
  cr_assert_eq(r1, 1);
  cr_assert_eq(rows, 3);
  cr_assert(strncmp(last, "fleet,fleet/total,", 18) == 0, "%s", last);
  snprintf(path, sizeof path, "%s/sweep.json", out);
  json_error_t e;
  json_t *o = json_load_file(path, 0, &e);
  cr_assert_not_null(o, "%s", e.text);
  cr_assert_eq(json_array_size(json_object_get(o, "rows")), 2);
  cr_assert_eq(json_array_size(json_object_get(o, "ranks")), 2);
  const json_t *total = json_object_get(o, "total");
  cr_assert_gt(json_number_value(json_object_get(total, "hashes_per_second")),
               0);
  json_decref(o);
  /* The plot, when gnuplot is installed (the sweep says so otherwise). */
  if (strstr(r.out, "plots: ") != NULL) {
    snprintf(path, sizeof path, "%s/sweep_cpu.png", out);
    char svg[200];
    snprintf(svg, sizeof svg, "%s/sweep_cpu.svg", out);
    cr_assert(access(path, R_OK) == 0 || access(svg, R_OK) == 0, "%s", r.out);
  }
  sp_run_result_free(&r);
}

Test(fleet, bad_subpow_mpi_is_a_usage_error) {
  setenv("SUBPOW_MPI", "sometimes", 1);
  sp_run_result r;
  sp_run_bench(&r, "hashrate", "--seconds", "0.1", NULL);
  unsetenv("SUBPOW_MPI");
  cr_assert_eq(r.status, 2);
  cr_assert_eq(sp_count_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "SUBPOW_MPI must be on, off or auto") != NULL);
  sp_run_result_free(&r);
}

/* ------------------------------------------- messages between ranks -- */

static int decode(const uint8_t *b, size_t n, sp_wire_msg *m,
                  sp_error_record *err) {
  char *t1 = NULL, *t2 = NULL;
  int rc = sp_wire_decode(b, n, m, &t1, &t2, err);
  free(t1);
  free(t2);
  return rc;
}

Test(fleet_wire, round_trips_and_refuses_garbage) {
  uint8_t b[1024];
  sp_error_record err = {0};
  sp_wire_msg m, d;
  memset(&m, 0, sizeof m);
  m.type = SP_WIRE_ASSIGN;
  m.seq = 7;
  m.work.difficulty = 10000;
  m.work.rule = SP_RULE_CHAIN_LE;
  m.range.start = UINT64_MAX - 5;
  m.range.count = 100;
  size_t n = sp_wire_encode(&m, b, sizeof b);
  cr_assert_gt(n, 0);
  cr_assert_eq(decode(b, n, &d, &err), 0, "%s", err.message);
  cr_assert_eq(d.seq, 7);
  cr_assert_eq(d.range.start, UINT64_MAX - 5);
  /* every truncation and one byte too many */
  for (size_t k = 0; k < n; k++)
    cr_assert_eq(decode(b, k, &d, &err), -SP_EINVAL, "length %zu accepted", k);
  cr_assert_eq(decode(b, n + 1, &d, &err), -SP_EINVAL);
  uint8_t c[1024];
  memcpy(c, b, n);
  c[0] = 'X';
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);
  cr_assert(strstr(err.message, "not a subpow fleet message") != NULL, "%s",
            err.message);
  memcpy(c, b, n);
  c[2] = 42;
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);
  memcpy(c, b, n);
  c[4 + 8 + 32 + 8] = 3; /* rule */
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);
  cr_assert(strstr(err.message, "rule") != NULL, "%s", err.message);
  m.range.count = 0;
  n = sp_wire_encode(&m, b, sizeof b);
  cr_assert_eq(decode(b, n, &d, &err), -SP_EINVAL);

  /* strings: a NUL inside the field, printable ASCII only */
  memset(&m, 0, sizeof m);
  m.type = SP_WIRE_HELLO;
  m.ok = true;
  m.n_devices = 1;
  snprintf(m.host, sizeof m.host, "h1");
  snprintf(m.backend, sizeof m.backend, "cpu");
  n = sp_wire_encode(&m, b, sizeof b);
  cr_assert_eq(decode(b, n, &d, &err), 0, "%s", err.message);
  cr_assert_str_eq(d.host, "h1");
  memcpy(c, b, n);
  memset(c + 4 + 9, 'a', SP_WIRE_HOST); /* host without a NUL */
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);
  memcpy(c, b, n);
  c[4 + 9] = '\n';
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);
  cr_assert(strstr(err.message, "non-printable") != NULL, "%s", err.message);
  memcpy(c, b, n);
  c[4] = 2; /* ok flag */
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);

  /* a report's texts must fill its body exactly */
  memset(&m, 0, sizeof m);
  m.type = SP_WIRE_REPORT;
  m.kind = SP_REPORT_RESULT;
  m.text1 = "out";
  m.len1 = 3;
  m.text2 = "err";
  m.len2 = 3;
  n = sp_wire_encode(&m, b, sizeof b);
  char *t1 = NULL, *t2 = NULL;
  cr_assert_eq(sp_wire_decode(b, n, &d, &t1, &t2, &err), 0, "%s", err.message);
  cr_assert_str_eq(t1, "out");
  cr_assert_str_eq(t2, "err");
  free(t1);
  free(t2);
  cr_assert_eq(decode(b, n - 1, &d, &err), -SP_EINVAL);
  memcpy(c, b, n);
  c[n - 1] = '\0';
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);
  cr_assert(strstr(err.message, "NUL") != NULL, "%s", err.message);
  memcpy(c, b, n);
  c[4 + 1 + 4 + SP_WIRE_HOST] = 0xff; /* len1 far over the body */
  cr_assert_eq(decode(c, n, &d, &err), -SP_EINVAL);
  /* statuses are exit statuses */
  memset(&m, 0, sizeof m);
  m.type = SP_WIRE_END;
  m.status = 256;
  n = sp_wire_encode(&m, b, sizeof b);
  cr_assert_eq(decode(b, n, &d, &err), -SP_EINVAL);
}

/* An interrupted registration job exits 128 + the signal, not 1 (which
 * `register` keeps for "refused by the chain"), when the signal reaches
 * the ranks: every rank (the process group a terminal's Ctrl-C would reach
 * for a single process) gets SIGINT while solving. mpirun itself, when it
 * is the one interrupted, exits 1 whatever the ranks return (Open MPI's
 * rule, docs/fleet.md). */
Test(fleet, register_interrupted_by_sigint_exits_130) {
  need_mpi();
  char wallet[128], url[64], journal[160];
  make_wallet(wallet, sizeof wallet);
  snprintf(journal, sizeof journal, "%s/journal-int.jsonl", dir);
  sp_mock_node *node = mock(UINT64_C(1000000000000), url);
  char *argv[] = {(char *)SUBPOW_MPIEXEC,
                  "--oversubscribe",
                  "--bind-to",
                  "none",
                  "-np",
                  "2",
                  (char *)SUBPOW_BENCH,
                  "register",
                  "--network",
                  url,
                  "--wallet-path",
                  wallet,
                  "--backend",
                  "reference",
                  "--no-output-in-place",
                  "--journal",
                  journal,
                  NULL};
  sp_proc p;
  cr_assert_eq(sp_proc_start(&p, argv, NULL), 0);
  cr_assert(sp_proc_wait_for(&p, "solving:", 60000), "%s", p.out);
  char cmd[64];
  snprintf(cmd, sizeof cmd, "pkill -INT -P %d", (int)p.pid);
  cr_assert_eq(system(cmd), 0, "no rank to signal");
  int st = sp_proc_wait(&p, 60000);
  cr_expect_eq(st, 130, "status %d\n%s", st, p.out);
  sp_proc_free(&p);
  sp_mock_stop(node);
}
