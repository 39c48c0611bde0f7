/* The `bench` contract: seal, check, solve and verify reproduce the vectors,
 * and every usage or input error is one line on stderr with exit status 2. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "regress/support/run_command.h"
#include "verify/vectors.h"

static sp_vectors v;

static void load(void) {
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(SUBPOW_VECTORS_DIR, &v, &err), 0, "%s",
               err.message);
}
static void unload(void) { sp_vectors_free(&v); }

TestSuite(bench, .init = load, .fini = unload);

Test(bench, seal_reproduces_vectors_in_both_forms) {
  for (size_t i = 0; i < v.n_seals; i += 7) {
    const sp_seal_vector *s = &v.seals[i];
    char bh[67] = "0x", hk[65], bahh[65], seal[65], nonce[24];
    sp_hex_encode(s->block_hash, 32, bh + 2);
    sp_hex_encode(s->hotkey, 32, hk);
    sp_hex_encode(s->block_and_hotkey_hash, 32, bahh);
    sp_hex_encode(s->seal, 32, seal);
    snprintf(nonce, sizeof nonce, "%" PRIu64, s->nonce);
    sp_run_result r;
    sp_run_bench(&r, "seal", "--block-hash", bh, "--hotkey", hk, "--nonce",
                 nonce, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[80];
    snprintf(want, sizeof want, "%s\n", seal);
    cr_assert_str_eq(r.out, want);
    sp_run_result_free(&r);
    sp_run_bench(&r, "seal", "--block-and-hotkey-hash", bahh, "--nonce", nonce,
                 "--json", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char json[300];
    snprintf(json, sizeof json,
             "{\"block_and_hotkey_hash\": \"%s\", \"seal\": \"%s\", \"nonce\": "
             "%s}\n",
             bahh, seal, nonce);
    cr_assert_str_eq(r.out, json);
    sp_run_result_free(&r);
  }
}

Test(bench, check_reproduces_rule_vectors) {
  static const char *rules[] = {"sdk", "chain-be", "chain-le"};
  for (size_t i = 0; i < v.n_rules; i += 5) {
    char seal[65], d[24];
    sp_hex_encode(v.rules[i].seal, 32, seal);
    snprintf(d, sizeof d, "%" PRIu64, v.rules[i].difficulty);
    for (int k = 0; k < 3; k++) {
      sp_run_result r;
      sp_run_bench(&r, "check", "--seal", seal, "--difficulty", d, "--rule",
                   rules[k], NULL);
      cr_assert_eq(r.status, v.rules[i].expect[k] ? 0 : 1,
                   "case %zu rule %s: %s%s", i, rules[k], r.out, r.err);
      sp_run_result_free(&r);
    }
  }
}

Test(bench, check_json_and_default_rule) {
  /* seal = 1 little-endian (first byte 1): chain-le meets at d = 256, the
   * default rule is chain-le. */
  const char *seal =
      "0100000000000000000000000000000000000000000000000000000000000000";
  sp_run_result r;
  sp_run_bench(&r, "check", "--seal", seal, "--difficulty", "256", "--json",
               NULL);
  cr_assert_eq(r.status, 0);
  cr_assert_str_eq(
      r.out,
      "{\"seal\": "
      "\"0100000000000000000000000000000000000000000000000000000000000000\", "
      "\"difficulty\": 256, \"rule\": \"chain-le\", \"meets\": true}\n");
  sp_run_result_free(&r);
  sp_run_bench(&r, "check", "--seal", seal, "--difficulty", "256", "--rule",
               "chain-be", NULL);
  cr_assert_eq(r.status, 1);
  cr_assert_str_eq(r.out, "does not meet\n");
  sp_run_result_free(&r);
}

Test(bench, solve_reproduces_solution_vectors) {
  static const char *rules[] = {"sdk", "chain-be", "chain-le"};
  for (size_t i = 0; i < v.n_solutions; i++) {
    const sp_solution_vector *sv = &v.solutions[i];
    if (sv->count > 40000) continue;
    char bahh[65], d[24], s[24], c[24];
    sp_hex_encode(sv->block_and_hotkey_hash, 32, bahh);
    snprintf(d, sizeof d, "%" PRIu64, sv->difficulty);
    snprintf(s, sizeof s, "%" PRIu64, sv->start);
    snprintf(c, sizeof c, "%" PRIu64, sv->count);
    for (int k = 0; k < 3; k++) {
      sp_run_result r;
      sp_run_bench(&r, "solve", "--block-and-hotkey-hash", bahh, "--difficulty",
                   d, "--start", s, "--count", c, "--rule", rules[k], "--all",
                   NULL);
      cr_assert_eq(r.status, sv->n_solutions[k] ? 0 : 1, "%s", r.err);
      cr_assert_eq(sp_count_lines(r.out), sv->n_solutions[k], "case %zu", i);
      const char *p = r.out;
      for (size_t j = 0; j < sv->n_solutions[k]; j++) {
        char want[24];
        snprintf(want, sizeof want, "%" PRIu64 "\n", sv->solutions[k][j]);
        cr_assert_eq(strncmp(p, want, strlen(want)), 0, "case %zu rule %s", i,
                     rules[k]);
        p += strlen(want);
      }
      sp_run_result_free(&r);
      sp_run_bench(&r, "solve", "--block-and-hotkey-hash", bahh, "--difficulty",
                   d, "--start", s, "--count", c, "--rule", rules[k], NULL);
      cr_assert_eq(sp_count_lines(r.out), sv->n_solutions[k] ? 1 : 0);
      if (sv->n_solutions[k]) {
        char want[24];
        snprintf(want, sizeof want, "%" PRIu64 "\n", sv->solutions[k][0]);
        cr_assert_str_eq(r.out, want);
      }
      sp_run_result_free(&r);
    }
  }
}

Test(bench, verify_passes_with_zero_failures) {
  sp_run_result r;
  sp_run_bench(&r, "verify", "--backend", "reference", "--random-cases", "50",
               NULL);
  cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
  const char *last = r.out + strlen(r.out) - 1;
  while (last > r.out && last[-1] != '\n')
    last--;
  unsigned long passed = 0, failed = 1;
  cr_assert_eq(sscanf(last, "%lu passed, %lu failed", &passed, &failed), 2,
               "%s", last);
  cr_assert_eq(failed, 0);
  cr_assert_gt(passed, 3000);
  sp_run_result_free(&r);
}

Test(bench, verify_fails_on_corrupt_vectors) {
  /* A copy of the vectors with one seal changed: verify must say so and exit 1.
   */
  char dir[] = "/tmp/subpow-vectors-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  static const char *files[] = {"hashes.json", "difficulty.json",
                                "solutions.json", "seals.json"};
  for (int i = 0; i < 4; i++) {
    char src[4096], dst[4096];
    snprintf(src, sizeof src, "%s/%s", SUBPOW_VECTORS_DIR, files[i]);
    snprintf(dst, sizeof dst, "%s/%s", dir, files[i]);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    cr_assert(in && out);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, in);
    if (i == 3) {
      char *p = strstr(buf, "\"seal\": \"");
      cr_assert_not_null(p);
      p += 9;
      *p = *p == '0' ? '1' : '0';
    }
    fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
  }
  sp_run_result r;
  sp_run_bench(&r, "verify", "--backend", "reference", "--random-cases", "0",
               "--vectors", dir, NULL);
  cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
  cr_assert_not_null(strstr(r.out, "FAIL "));
  cr_assert_not_null(strstr(r.out, " failed\n"));
  cr_assert_null(strstr(r.out, " 0 failed\n"), "%s", r.out);
  sp_run_result_free(&r);
  for (int i = 0; i < 4; i++) {
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, files[i]);
    remove(p);
  }
  rmdir(dir);
}

/* Each bad invocation: exit 2, nothing on stdout, one line on stderr that
 * starts with "bench". */
static void expect_usage_error(const char *why, const char *a0, ...) {
  char *argv[32];
  int n = 0;
  argv[n++] = (char *)SUBPOW_BENCH;
  va_list ap;
  va_start(ap, a0);
  for (const char *a = a0; a != NULL; a = va_arg(ap, const char *))
    argv[n++] = (char *)a;
  va_end(ap);
  argv[n] = NULL;
  sp_run_result r;
  cr_assert_eq(sp_run(argv, NULL, &r), 0);
  cr_assert_eq(r.status, 2, "%s: status %d, stderr %s", why, r.status, r.err);
  cr_assert_str_eq(r.out, "", "%s", why);
  cr_assert_eq(sp_count_lines(r.err), 1, "%s: %s", why, r.err);
  cr_assert_eq(strncmp(r.err, "bench", 5), 0, "%s", why);
  sp_run_result_free(&r);
}

#define H64 "1111111111111111111111111111111111111111111111111111111111111111"

Test(bench, usage_errors_exit_2_with_one_line) {
  expect_usage_error("no subcommand", NULL);
  expect_usage_error("unknown subcommand", "frobnicate", NULL);
  expect_usage_error("unknown flag", "seal", "--nonse", "1", NULL);
  expect_usage_error("missing value", "seal", "--block-and-hotkey-hash", H64,
                     "--nonce", NULL);
  expect_usage_error("missing nonce", "seal", "--block-and-hotkey-hash", H64,
                     NULL);
  expect_usage_error(
      "bad hex char", "seal", "--block-and-hotkey-hash",
      "zz11111111111111111111111111111111111111111111111111111111111111",
      "--nonce", "1", NULL);
  expect_usage_error("odd hex", "seal", "--block-and-hotkey-hash", H64 "1",
                     "--nonce", "1", NULL);
  expect_usage_error("short hex", "seal", "--block-and-hotkey-hash", "0x1111",
                     "--nonce", "1", NULL);
  expect_usage_error("nonce 2^64", "seal", "--block-and-hotkey-hash", H64,
                     "--nonce", "18446744073709551616", NULL);
  expect_usage_error("negative nonce", "seal", "--block-and-hotkey-hash", H64,
                     "--nonce", "-1", NULL);
  expect_usage_error("hex nonce", "seal", "--block-and-hotkey-hash", H64,
                     "--nonce", "0x10", NULL);
  expect_usage_error("empty nonce", "seal", "--block-and-hotkey-hash", H64,
                     "--nonce", "", NULL);
  expect_usage_error("both forms", "seal", "--block-and-hotkey-hash", H64,
                     "--block-hash", H64, "--hotkey", H64, "--nonce", "1",
                     NULL);
  expect_usage_error("block hash alone", "seal", "--block-hash", H64, "--nonce",
                     "1", NULL);
  expect_usage_error("positional", "seal", "--block-and-hotkey-hash", H64,
                     "--nonce", "1", "extra", NULL);
  expect_usage_error("check no seal", "check", "--difficulty", "5", NULL);
  expect_usage_error("check no difficulty", "check", "--seal", H64, NULL);
  expect_usage_error("check bad rule", "check", "--seal", H64, "--difficulty",
                     "5", "--rule", "chain", NULL);
  expect_usage_error("check difficulty 2^64", "check", "--seal", H64,
                     "--difficulty", "18446744073709551616", NULL);
  expect_usage_error("solve count 0", "solve", "--block-and-hotkey-hash", H64,
                     "--difficulty", "1", "--start", "0", "--count", "0", NULL);
  expect_usage_error("solve no start", "solve", "--block-and-hotkey-hash", H64,
                     "--difficulty", "1", "--count", "5", NULL);
  expect_usage_error("solve bad backend", "solve", "--block-and-hotkey-hash",
                     H64, "--difficulty", "1", "--start", "0", "--count", "5",
                     "--backend", "abacus", NULL);
  expect_usage_error("verify bad backend", "verify", "--backend", "abacus",
                     NULL);
  expect_usage_error("verify bad vectors dir", "verify", "--vectors",
                     "/nonexistent", NULL);
  expect_usage_error("hashrate bad seconds", "hashrate", "--seconds", "0",
                     NULL);
  expect_usage_error("hashrate bad seconds text", "hashrate", "--seconds",
                     "fast", NULL);
  expect_usage_error("threads 0", "hashrate", "--threads", "0", NULL);
  expect_usage_error("dev-id garbage", "hashrate", "--dev-id", "0,,1", NULL);
  expect_usage_error("tpb too big", "hashrate", "--tpb", "4096", NULL);
}

Test(bench, help_for_everything) {
  const char *subs[] = {"seal", "check", "solve", "verify", "hashrate"};
  sp_run_result r;
  sp_run_bench(&r, "--help", NULL);
  cr_assert_eq(r.status, 0);
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
    cr_assert_not_null(strstr(r.out, subs[i]));
  sp_run_result_free(&r);
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
    sp_run_bench(&r, subs[i], "--help", NULL);
    cr_assert_eq(r.status, 0, "%s --help", subs[i]);
    cr_assert_not_null(strstr(r.out, "usage: bench"));
    sp_run_result_free(&r);
  }
}
