/* bench mine: the engine end to end in the command: solutions checked
 * against the reference for the block they are labelled with, the status in
 * both modes, the time limit, SIGINT, and usage errors. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/scripted_source.h"
#include "regress/support/process.h"
#include "regress/support/run_command.h"

#define BH "1111111111111111111111111111111111111111111111111111111111111111"
#define HK "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
#define MAXD "18446744073709551615"

typedef struct sol {
  uint64_t block, nonce;
  uint8_t seal[32];
} sol;

/* Every "solution: block B nonce N seal S" line of out. */
static size_t parse_solutions(const char *out, sol *s, size_t max) {
  size_t n = 0;
  for (const char *p = out; (p = strstr(p, "solution: block ")) != NULL; p++) {
    char hex[65];
    cr_assert_lt(n, max);
    cr_assert_eq(
        sscanf(p, "solution: block %" SCNu64 " nonce %" SCNu64 " seal %64s",
               &s[n].block, &s[n].nonce, hex),
        3, "%.120s", p);
    cr_assert_eq(sp_hex_decode(hex, 32, s[n].seal, 32, NULL), 0);
    n++;
  }
  return n;
}

Test(bench_mine, first_solution_is_the_lowest_from_the_start) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "mine", "--backend", "reference",
                            "--block-hash", BH, "--hotkey", HK,
                            "--block-number", "4242", "--difficulty", "5000",
                            "--nonce-start", "0", NULL),
               0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sol s[4];
  cr_assert_eq(parse_solutions(r.out, s, 4), 1, "%s", r.out);
  cr_assert_eq(s[0].block, 4242);
  uint8_t bh[32], hk[32], bahh[32], seal[32];
  sp_hex_decode(BH, 32, bh, 32, NULL);
  sp_hex_decode(HK, 32, hk, 32, NULL);
  sp_hash_block_with_hotkey(bh, hk, bahh);
  sp_create_seal_hash(bahh, s[0].nonce, seal);
  cr_assert_eq(memcmp(seal, s[0].seal, 32), 0);
  /* One worker claiming chunks upwards from 0: the first solution found is
   * the lowest one. */
  sp_nonce_range range = {0, 1000000};
  uint64_t scanned;
  cr_assert_eq(sp_solve_for_nonce_block(bahh, 5000, SP_RULE_CHAIN_LE, range,
                                        false, NULL, NULL, &scanned),
               1);
  cr_assert_eq(s[0].nonce, scanned - 1);
  /* the summary counts what the status line counted: every verified
   * solution, of which the first was printed */
  cr_assert(strstr(r.out, "\n1 solution, ") ||
                strstr(r.out, "\n1 solution printed ("),
            "%s", r.out);
  cr_assert(strstr(r.out, "stopped by solution"));
  cr_assert_null(strchr(r.out, '\x1b'), "a pipe gets line mode");
  sp_run_result_free(&r);
}

Test(bench_mine, scripted_chain_labels_checked_against_the_reference) {
  sp_run_result r;
  cr_assert_eq(
      sp_run_bench(&r, "mine", "--backend", "reference", "--workers", "2",
                   "--scripted-period", "30", "--block-number", "100", "--seed",
                   "5", "--hotkey", HK, "--difficulty", "4000", "--rule", "sdk",
                   "--keep-going", "--max-solutions", "100", "--verbose", NULL),
      0);
  /* A count of solutions, not a time window: 100 solutions at difficulty
   * 4000 take at least 400,000 hashes, longer than several 30 ms blocks
   * however fast the machine, and a busy machine only spans more blocks. */
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  static sol s[4096];
  size_t n = parse_solutions(r.out, s, 4096);
  cr_assert_eq(n, 100, "%s", r.out);
  uint8_t hk[32];
  sp_hex_decode(HK, 32, hk, 32, NULL);
  sp_scripted_source src;
  sp_scripted_source_init(&src, 100, 30, 0, 5, hk, 4000, SP_RULE_SDK);
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t i = 0; i < n; i++) {
    sp_block_work w;
    sp_scripted_block(&src, s[i].block, &w);
    uint8_t seal[32];
    sp_create_seal_hash(w.work.block_and_hotkey_hash, s[i].nonce, seal);
    cr_assert_eq(memcmp(seal, s[i].seal, 32), 0,
                 "nonce %" PRIu64 " is no solution of block %" PRIu64,
                 s[i].nonce, s[i].block);
    cr_assert(sp_seal_meets_difficulty(seal, 4000, SP_RULE_SDK));
    if (s[i].block < lo) lo = s[i].block;
    if (s[i].block > hi) hi = s[i].block;
  }
  cr_assert_gt(hi, lo, "solutions should span several blocks");
  char summary[64];
  snprintf(summary, sizeof summary, "\n%zu solutions", n);
  cr_assert(strstr(r.out, summary), "%s", r.out);
  cr_assert(strstr(r.out, "stopped by solution"), "%s", r.out);
  cr_assert(strstr(r.err, "  round "), "verbose line mode, on stderr");
  cr_assert_null(strstr(r.out, "solving: "), "no status on stdout");
  sp_run_result_free(&r);
}

Test(bench_mine, time_limit_without_solution_exits_124) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "mine", "--backend", "reference",
                            "--block-and-hotkey-hash", BH, "--difficulty", MAXD,
                            "--seconds", "0.2", "--output-in-place", NULL),
               0);
  cr_assert_eq(r.status, 124, "%s", r.err);
  cr_assert(strstr(r.out, "0 solutions, "));
  cr_assert(strstr(r.err, "\x1b[2KSolving (1 worker: reference, 1 thread)"),
            "forced in place, on stderr: %s", r.err);
  cr_assert_null(strchr(r.out, '\x1b'), "no status on stdout");
  sp_run_result_free(&r);
}

Test(bench_mine, sigint_stops_and_exits_130) {
  char *argv[] = {SUBPOW_BENCH,
                  "mine",
                  "--backend",
                  "reference",
                  "--block-and-hotkey-hash",
                  BH,
                  "--difficulty",
                  MAXD,
                  "--workers",
                  "2",
                  NULL};
  sp_proc p;
  cr_assert_eq(sp_proc_start(&p, argv, NULL), 0);
  /* while it solves (its first status line), not after a guessed sleep */
  cr_assert(sp_proc_wait_for(&p, "solving: time", 60000), "%s", p.out);
  sp_proc_signal(&p, SIGINT);
  int st = sp_proc_wait(&p, 60000);
  cr_assert_eq(st, 130, "killed instead of stopping cleanly: %d: %s", st,
               p.out);
  cr_assert(strstr(p.out, "stopped by signal"), "%s", p.out);
  sp_proc_free(&p);
}

Test(bench_mine, usage_errors_exit_2_with_one_line) {
  static const char *const cases[][8] = {
      {"--block-hash", BH, "--hotkey", HK, NULL},
      {"--difficulty", "1", NULL},
      {"--difficulty", "1", "--block-hash", BH, NULL},
      {"--difficulty", "1", "--block-and-hotkey-hash", BH, "--scripted-period",
       "5"},
      {"--difficulty", "1", "--block-hash", BH, "--hotkey", HK,
       "--scripted-period", "5"},
      {"--difficulty", "1", "--scripted-period", "0", NULL},
      {"--difficulty", "x", NULL},
      {"--difficulty", "1", "--scripted-period", "5", "--workers", "0"},
      {"--difficulty", "1", "--scripted-period", "5", "--seconds", "0"},
      {"--difficulty", "1", "--scripted-period", "5", "--max-solutions", "0"},
      {"--difficulty", "1", "--scripted-period", "5", "--backend", "nope"},
      {"--difficulty", "1", "--scripted-period", "5", "--rule", "le"},
      {"--difficulty", "1", "--scripted-period", "5", "--frob", NULL},
      {"--difficulty", "1", "--scripted-period", "5", "stray", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *argv[12] = {SUBPOW_BENCH, "mine"};
    int n = 2;
    for (int k = 0; k < 8 && cases[i][k]; k++)
      argv[n++] = (char *)cases[i][k];
    argv[n] = NULL;
    sp_run_result r;
    cr_assert_eq(sp_run(argv, NULL, &r), 0);
    cr_assert_eq(r.status, 2, "case %zu: status %d, %s", i, r.status, r.err);
    cr_assert_eq(sp_count_lines(r.err), 1, "case %zu: %s", i, r.err);
    cr_assert(strncmp(r.err, "bench mine: ", 12) == 0, "%s", r.err);
    cr_assert_str_eq(r.out, "", "case %zu", i);
    sp_run_result_free(&r);
  }
}
