/*
 * Faults around bench register: the node (a `bench mock-node` process on a
 * fixed port) killed during a submission and restarted, killed while
 * solving and restarted, a slow node, a dead one, answers cut mid-body,
 * HTTP 500s and dropped connections. The client must report what happened,
 * retry what is retriable and never lose a journaled solution: every
 * solution it submits is journaled as found first and then resolved by
 * exactly one of included, refused, expired, unknown or unsent.
 * Also, at the library level: a stream of solutions faster than the caller
 * consumes them does not starve the engine's work source (which left every
 * worker on one old block forever, a hang this suite found).
 *
 * A restarted mock node is a fresh chain (same genesis, empty state): what
 * matters is the report, the retries and the journal.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "common/clock.h"
#include "engine/engine.h"
#include "engine/scripted_source.h"
#include "registry/registry.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char dir[64], wallet[128];

static void setup(void) {
  sp_temp_wallet_make("faults", dir, sizeof dir, wallet, sizeof wallet);
}

static void teardown(void) { sp_temp_dir_remove(dir); }

TestSuite(faults, .init = setup, .fini = teardown, .timeout = 120);

static void start_register(sp_proc *p, uint16_t port, const char *journal,
                           const char *max_attempts) {
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
  char *argv[] = {(char *)SUBPOW_BENCH,
                  "register",
                  "--wallet-path",
                  wallet,
                  "--network",
                  url,
                  "--backend",
                  "reference",
                  "--poll-ms",
                  "100",
                  "--no-output-in-place",
                  "--max-attempts",
                  (char *)max_attempts,
                  "--journal",
                  (char *)journal,
                  "--json",
                  NULL};
  cr_assert_eq(sp_proc_start(p, argv, NULL), 0);
}

/*
 * The journal against what the client printed: each "attempt N: submitting
 * block B nonce X seal S" was journaled as found before (the journal is
 * written before the submission) and has exactly one resolution; returns
 * how many submissions there were and fills `last_event` with the last
 * resolution's event.
 */
static int check_journal(const char *journal, const char *output,
                         char *last_event, size_t cap) {
  FILE *f = fopen(journal, "r");
  cr_assert_not_null(f, "no journal %s", journal);
  json_t *lines = json_array();
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    json_t *o = json_loads(line, 0, NULL);
    cr_assert_not_null(o, "journal line is not JSON: %s", line);
    json_array_append_new(lines, o);
  }
  fclose(f);
  int submitted = 0;
  last_event[0] = '\0';
  for (const char *p = output; (p = strstr(p, ": submitting block ")) != NULL;
       p++) {
    const char *s = strstr(p, " seal ");
    cr_assert_not_null(s);
    char seal[65];
    snprintf(seal, sizeof seal, "%.64s", s + 6);
    submitted++;
    size_t i;
    json_t *o;
    /* `unknown` (an answer lost) may come before the chain's own answer,
     * which is then the one resolution: "journal unknown until the chain
     * says". */
    int found = -1, resolutions = 0, unknowns = 0;
    json_array_foreach(lines, i, o) {
      if (strcmp(json_string_value(json_object_get(o, "seal")), seal) != 0)
        continue;
      const char *ev = json_string_value(json_object_get(o, "event"));
      if (strcmp(ev, "found") == 0 && found < 0) {
        found = (int)i;
      } else if (strcmp(ev, "included") == 0 || strcmp(ev, "refused") == 0 ||
                 strcmp(ev, "unknown") == 0 || strcmp(ev, "unsent") == 0 ||
                 strcmp(ev, "expired") == 0) {
        cr_expect_geq((int)i, found, "seal %s resolved before found", seal);
        cr_expect_geq(found, 0, "seal %s submitted but never journaled", seal);
        if (strcmp(ev, "unknown") == 0) {
          cr_expect_eq(resolutions, 0, "seal %s: unknown after %s", seal,
                       last_event);
          unknowns++;
        } else {
          resolutions++;
        }
        snprintf(last_event, cap, "%s", ev);
      }
    }
    cr_expect(resolutions == 1 || (resolutions == 0 && unknowns > 0),
              "seal %s: %d resolutions and %d unknown in the journal", seal,
              resolutions, unknowns);
  }
  json_decref(lines);
  return submitted;
}

Test(faults, node_killed_during_submission_then_restarted) {
  uint16_t port = sp_free_port();
  sp_proc node;
  /* stalled: the first solution's watch waits for a block */
  cr_assert_eq(sp_mock_node_process(&node, port, "--difficulty", "1=2000",
                                    "--stall-blocks", NULL),
               0, "%s", node.out);
  char journal[160];
  snprintf(journal, sizeof journal, "%s/journal-kill", dir);
  sp_proc reg;
  start_register(&reg, port, journal, "5");
  cr_assert(sp_proc_wait_for(&reg, "attempt 1: submitting", 20000), "%s",
            reg.out);
  sp_proc_wait_for(&reg, "never printed", 300);
  sp_proc_signal(&node, SIGKILL);
  sp_proc_wait(&node, 5000);
  sp_proc_free(&node);
  /* the watch gives up after its retries and says why */
  cr_assert(sp_proc_wait_for(&reg, "attempt 1 failed", 30000), "%s", reg.out);
  cr_expect_not_null(strstr(reg.out, "outcome unknown"), "%s", reg.out);
  sp_proc_wait_for(&reg, "never printed", 1000); /* still down a while */
  cr_assert_eq(sp_mock_node_process(&node, port, "--difficulty", "1=2000",
                                    "--block-time", "500", NULL),
               0, "restart: %s", node.out);
  int st = sp_proc_wait(&reg, 60000);
  cr_expect_eq(st, 0, "status %d: %s", st, reg.out);
  cr_expect_not_null(strstr(reg.out, "\"status\": \"registered\""), "%s",
                     reg.out);
  char last[32];
  int n = check_journal(journal, reg.out, last, sizeof last);
  cr_expect_geq(n, 1, "%s", reg.out);
  cr_expect(n == 1 || strcmp(last, "included") == 0,
            "%d submissions, the last %s: %s", n, last, reg.out);
  sp_proc_free(&reg);
  sp_proc_free(&node);
}

Test(faults, node_killed_while_solving_then_restarted) {
  uint16_t port = sp_free_port();
  sp_proc node;
  /* ~2 s of reference hashing per solution, 1 s blocks */
  cr_assert_eq(sp_mock_node_process(&node, port, "--difficulty", "1=2000000",
                                    "--block-time", "1000", NULL),
               0, "%s", node.out);
  char journal[160];
  snprintf(journal, sizeof journal, "%s/journal-solve", dir);
  sp_proc reg;
  start_register(&reg, port, journal, "10");
  cr_assert(sp_proc_wait_for(&reg, "solving: time", 20000), "%s", reg.out);
  sp_proc_signal(&node, SIGKILL);
  sp_proc_wait(&node, 5000);
  sp_proc_free(&node);
  /* down for 3 s: the work source rides it out (60 s grace) */
  sp_proc_wait_for(&reg, "never printed", 3000);
  cr_expect(!reg.exited, "gave up while the node was down: %s", reg.out);
  cr_assert_eq(sp_mock_node_process(&node, port, "--difficulty", "1=200000",
                                    "--block-time", "1000", NULL),
               0, "restart: %s", node.out);
  int st = sp_proc_wait(&reg, 60000);
  cr_expect_eq(st, 0, "status %d: %s", st, reg.out);
  char last[32];
  check_journal(journal, reg.out, last, sizeof last);
  sp_proc_free(&reg);
  sp_proc_free(&node);
}

Test(faults, dead_endpoint_is_a_clear_error) {
  uint16_t port = sp_free_port(); /* nothing listens there */
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
  static const char *const cmds[] = {"register", "faucet"};
  for (size_t i = 0; i < 2; i++) {
    double t0 = sp_monotonic_seconds();
    sp_run_result r;
    sp_run_bench(&r, cmds[i], "--wallet-path", wallet, "--network", url,
                 "--backend", "reference", "--no-output-in-place", NULL);
    cr_expect_eq(r.status, 2, "%s: status %d: %s", cmds[i], r.status, r.err);
    cr_expect_eq(sp_count_lines(r.err), 1, "%s: %s", cmds[i], r.err);
    cr_expect_not_null(strstr(r.err, "cannot talk to the node"), "%s", r.err);
    cr_expect_not_null(strstr(r.err, url), "%s", r.err);
    cr_expect_lt(sp_monotonic_seconds() - t0, 30.0, "%s: retried too long",
                 cmds[i]);
    sp_run_result_free(&r);
  }
}

/* Registers against a node started with `fault` options; the journal must
 * account for every submission. */
static void registers_despite(const char *name, const char *a1, const char *a2,
                              const char *a3, const char *a4) {
  uint16_t port = sp_free_port();
  sp_proc node;
  /* a case's own --block-time replaces the default (an option is given
   * once) */
  const char *block_time = "1000";
  if (a3 != NULL && strcmp(a3, "--block-time") == 0) {
    block_time = a4;
    a3 = a4 = NULL;
  }
  cr_assert_eq(sp_mock_node_process(&node, port, "--difficulty", "1=5000",
                                    "--block-time", block_time, a1, a2, a3, a4,
                                    NULL),
               0, "%s", node.out);
  char journal[160];
  snprintf(journal, sizeof journal, "%s/journal-%s", dir, name);
  sp_proc reg;
  start_register(&reg, port, journal, "10");
  int st = sp_proc_wait(&reg, 60000);
  cr_expect_eq(st, 0, "%s: status %d: %s", name, st, reg.out);
  cr_expect_not_null(strstr(reg.out, "\"status\": \"registered\""), "%s: %s",
                     name, reg.out);
  char last[32];
  cr_expect_geq(check_journal(journal, reg.out, last, sizeof last), 1, "%s",
                reg.out);
  sp_proc_free(&reg);
  sp_proc_free(&node);
  /* a second registration of the same hotkey on a fresh node of the same
   * run would be "already registered"; each case uses its own node */
}

Test(faults, slow_node) {
  /* 100 ms per answer: a submission is a dozen answers, so blocks must be
   * long enough for the chain's 3-block window (finney's are 12 s) */
  registers_despite("slow", "--latency-ms", "100", "--block-time", "2500");
}

Test(faults, answers_cut_mid_body_http_500_and_drops) {
  registers_despite("garbled", "--malformed-per-mille", "200",
                    "--http500-per-mille", "100");
  registers_despite("dropped", "--drop-per-mille", "100", NULL, NULL);
}

/* Library level: an easy difficulty floods the queue; the caller throws
 * every solution away slowly, as the registration flow does with stale
 * ones. New blocks must still reach the workers. */
Test(faults, solutions_do_not_starve_the_work_source) {
  const sp_backend_vtable *vt = sp_backend_find("reference");
  cr_assert_not_null(vt);
  sp_backend *b = NULL;
  sp_error_record err = {0};
  cr_assert_eq(vt->open(NULL, &b, &err), 0, "%s", err.message);
  static const uint8_t key[32] = {7};
  sp_scripted_source ss;
  sp_scripted_source_init(&ss, 100, 100, 0, 9, key, 2, SP_RULE_CHAIN_LE);
  sp_work_source src = sp_scripted_source_as_source(&ss);
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.source = &src;
  cfg.source_ms = 50;
  cfg.keep_going = true;
  sp_engine *e = NULL;
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0, "%s", err.message);
  cr_assert_geq(sp_engine_add_worker(e, vt, b, 0, &err), 0, "%s", err.message);
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  /* Until new blocks reached the workers while solutions were taken slowly
   * (on a busy machine that takes longer; the 60 s bound only ends a hang). */
  double t0 = sp_monotonic_seconds();
  int taken = 0;
  sp_solve_stats st;
  sp_engine_stats(e, &st);
  while ((taken <= 100 || st.block_number < 107) &&
         sp_monotonic_seconds() - t0 < 60) {
    sp_engine_solution s;
    if (sp_engine_run(e, &s) != SP_ENGINE_SOLUTION) break;
    taken++;
    usleep(5000);
    sp_engine_stats(e, &st);
  }
  sp_engine_request_stop(e);
  sp_engine_stop_and_join(e, 3000);
  sp_engine_destroy(e);
  vt->close(b);
  /* 100 ms blocks: 100..107 at least, whatever the queue holds */
  cr_expect_gt(taken, 100, "solutions were not handed out: %d", taken);
  cr_expect_geq(ss.n_published, 8, "the source was polled for %llu blocks",
                (unsigned long long)ss.n_published);
  cr_expect_geq(st.block_number, 105, "workers still on block %llu",
                (unsigned long long)st.block_number);
}
