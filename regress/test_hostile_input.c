/*
 * Hostile input on every bench subcommand, table-driven: garbage, empty,
 * huge (the largest single argument Linux passes, 128 KiB, and 1 MiB
 * files) and boundary values. Each row must end with exit status 2 and
 * exactly one line on stderr, starting "bench", of bounded length, never a
 * signal (a status of 128 or more fails). Nothing reaches the network: the
 * rows stop at argument, file or wallet checks.
 *
 * In the rows, these words stand for generated values:
 *   @HUGE     128 KiB - 1 of 'a'             @HUGEHEX  128 KiB - 2 of 'f'
 *   @HUGENUM  128 KiB - 1 of '9'             @NL       "1\n2" (a newline)
 *   @CTRL     "\x1b[2J\x07" (terminal escape, bell)
 *   @W        a valid wallet's path (created once)
 *   @DIR      an empty temporary folder      @BIG      a 1 MiB file of garbage
 *   @EMPTY    an empty file                   @BIN      a file of random bytes
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regress/support/run_command.h"

#define ARG_MAX_ONE (128 * 1024) /* MAX_ARG_STRLEN: 32 pages */

static char dir[64], wallet[128], big[160], empty[160], bin[160];
static char *huge, *hugehex, *hugenum;

static void write_file(const char *path, size_t n, int kind) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  uint32_t x = 12345;
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u; /* fixed seed: reproducible garbage */
    fputc(kind == 0 ? 'x' : (int)(x >> 24), f);
  }
  fclose(f);
}

static char *filled(size_t n, char c) {
  char *s = malloc(n + 1);
  cr_assert_not_null(s);
  memset(s, c, n);
  s[n] = '\0';
  return s;
}

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/subpow-hostile-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(wallet, sizeof wallet, "%s/wallets", dir);
  sp_run_result r;
  sp_run_bench(&r, "wallet", "create", "--wallet-path", wallet, "--no-password",
               NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
  snprintf(big, sizeof big, "%s/big", dir);
  snprintf(empty, sizeof empty, "%s/empty", dir);
  snprintf(bin, sizeof bin, "%s/bin", dir);
  write_file(big, 1 << 20, 0);
  write_file(empty, 0, 0);
  write_file(bin, 4096, 1);
  huge = filled(ARG_MAX_ONE - 1, 'a');
  hugehex = filled(ARG_MAX_ONE - 2, 'f');
  hugenum = filled(ARG_MAX_ONE - 1, '9');
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  free(huge);
  free(hugehex);
  free(hugenum);
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 120);

static const char *expand(const char *a, char *tmp, size_t cap) {
  if (strcmp(a, "@HUGE") == 0) return huge;
  if (strcmp(a, "@HUGEHEX") == 0) return hugehex;
  if (strcmp(a, "@HUGENUM") == 0) return hugenum;
  if (strcmp(a, "@NL") == 0) return "1\n2";
  if (strcmp(a, "@CTRL") == 0) return "\x1b[2J\x07";
  if (strcmp(a, "@W") == 0) return wallet;
  if (strcmp(a, "@DIR") == 0) return dir;
  if (strcmp(a, "@BIG") == 0) return big;
  if (strcmp(a, "@EMPTY") == 0) return empty;
  if (strcmp(a, "@BIN") == 0) return bin;
  (void)tmp, (void)cap;
  return a;
}

/* One invocation: exit 2, one bounded line on stderr starting "bench". */
static void hostile_row(const char *const *row) {
  char *argv[24];
  char tmp[256];
  char label[512] = "";
  int n = 0;
  argv[n++] = (char *)SUBPOW_BENCH;
  for (const char *const *a = row; *a != NULL && n < 23; a++) {
    argv[n++] = (char *)expand(*a, tmp, sizeof tmp);
    strncat(label, *a, sizeof label - strlen(label) - 2);
    strncat(label, " ", sizeof label - strlen(label) - 1);
  }
  argv[n] = NULL;
  sp_run_result r;
  cr_assert_eq(sp_run(argv, NULL, &r), 0);
  cr_expect_lt(r.status, 128, "%s: killed by signal %d", label, r.status - 128);
  cr_expect_eq(r.status, 2, "%s: status %d, stderr: %.300s", label, r.status,
               r.err);
  cr_expect_eq(sp_count_lines(r.err), 1, "%s: %zu lines on stderr: %.600s",
               label, sp_count_lines(r.err), r.err);
  cr_expect_eq(strncmp(r.err, "bench", 5), 0, "%s: %.300s", label, r.err);
  cr_expect_lt(strlen(r.err), 2048, "%s: a %zu-byte error line", label,
               strlen(r.err));
  for (const char *p = r.err; *p; p++)
    cr_expect(*p == '\n' || (unsigned char)*p >= 0x20,
              "%s: control character 0x%02x on stderr", label,
              (unsigned char)*p);
  sp_run_result_free(&r);
}

#define H64 "1111111111111111111111111111111111111111111111111111111111111111"
#define ROW(...)                                                               \
  (const char *const[]) { __VA_ARGS__, NULL }

static const char *const *const seal_rows[] = {
    ROW("seal"),
    ROW("seal", "--block-and-hotkey-hash", "@HUGEHEX", "--nonce", "1"),
    ROW("seal", "--block-and-hotkey-hash", "@HUGE", "--nonce", "1"),
    ROW("seal", "--block-and-hotkey-hash", "", "--nonce", "1"),
    ROW("seal", "--block-and-hotkey-hash", "@NL", "--nonce", "1"),
    ROW("seal", "--block-and-hotkey-hash", H64, "--nonce", "@HUGENUM"),
    ROW("seal", "--block-and-hotkey-hash", H64, "--nonce", "@NL"),
    ROW("seal", "--block-and-hotkey-hash", H64, "--nonce", "@CTRL"),
    ROW("seal", "--block-and-hotkey-hash", H64, "--nonce", " 1"),
    ROW("seal", "--block-and-hotkey-hash", H64, "--nonce", "1 "),
    ROW("seal", "--block-and-hotkey-hash", H64, "--nonce", "+1"),
    ROW("seal", "--block-hash", H64, "--hotkey", "@HUGEHEX", "--nonce", "1"),
    ROW("seal", "--block-and-hotkey-hash", H64, "--nonce", "1", "@HUGE"),
    ROW("seal", "@HUGE"),
    ROW("seal", "--@HUGE"),
    ROW("check", "--seal", "@HUGEHEX", "--difficulty", "1"),
    ROW("check", "--seal", H64, "--difficulty", "@HUGENUM"),
    ROW("check", "--seal", H64, "--difficulty", "1", "--rule", "@HUGE"),
    ROW("check", "--seal", H64, "--difficulty", "1", "--rule", ""),
    ROW("check", "--seal", H64, "--difficulty", "-0"),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "18446744073709551616", "--count", "1"),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "0", "--count", "@HUGENUM"),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "0", "--count", "1", "--backend", "@HUGE"),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "0", "--count", "1", "--backend", ""),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "0", "--count", "1", "--threads", "4097"),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "0", "--count", "1", "--dev-id", "@HUGENUM"),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "0", "--count", "1", "--update-interval", "0"),
    ROW("verify", "--random-cases", "@HUGENUM"),
    ROW("verify", "--seed", "@NL"),
    ROW("verify", "--vectors", "@HUGE"),
    ROW("verify", "--vectors", "@BIG"),
    ROW("verify", "--vectors", "@DIR"),
    ROW("verify", "--backend", "@CTRL"),
    ROW("hashrate", "--seconds", "@HUGENUM"),
    ROW("hashrate", "--seconds", "nan"),
    ROW("hashrate", "--seconds", "inf"),
    ROW("hashrate", "--seconds", "1e-9"),
    ROW("hashrate", "--seconds", "-1"),
    ROW("hashrate", "--seconds", ""),
    /* numbers parse one way: what integer flags refuse, --seconds does */
    ROW("hashrate", "--seconds", "0x1"),
    ROW("hashrate", "--seconds", " 1"),
    ROW("hashrate", "--seconds", "+1"),
    ROW("hashrate", "--seconds", "1e1"),
    ROW("hashrate", "--seconds", "1 "),
    ROW("mine", "--difficulty", "1", "--block-and-hotkey-hash", H64,
        "--seconds", "0x1"),
    ROW("sweep", "--seconds", "0x1", "--dry-run"),
    /* flags the chosen backend does not take are refused, not ignored */
    ROW("hashrate", "--backend", "reference", "--threads", "2"),
    ROW("hashrate", "--backend", "reference", "--isa", "portable"),
    ROW("hashrate", "--backend", "reference", "--tpb", "64"),
    ROW("solve", "--block-and-hotkey-hash", H64, "--difficulty", "1", "--start",
        "0", "--count", "1", "--backend", "reference", "--dev-id", "0"),
    ROW("hashrate", "--backend", "@HUGE"),
    ROW("hashrate", "--isa", "@HUGE", "--backend", "cpu"),
    ROW("mine"),
    ROW("mine", "--difficulty", "@HUGENUM", "--block-and-hotkey-hash", H64),
    ROW("mine", "--difficulty", "1", "--block-and-hotkey-hash", "@HUGEHEX"),
    ROW("mine", "--difficulty", "1", "--scripted-period", "0"),
    ROW("mine", "--difficulty", "1", "--scripted-period", "@HUGENUM"),
    ROW("mine", "--difficulty", "1", "--block-and-hotkey-hash", H64,
        "--workers", "0"),
    ROW("mine", "--difficulty", "1", "--block-and-hotkey-hash", H64,
        "--seconds", "nan"),
    ROW("mine", "--difficulty", "1", "--block-and-hotkey-hash", H64,
        "--max-solutions", "-1"),
    ROW("sweep", "--seconds", "@HUGENUM", "--dry-run"),
    ROW("sweep", "--seconds", "0", "--dry-run"),
    ROW("sweep", "--threads-list", "", "--dry-run"),
    ROW("sweep", "--threads-list", "@HUGENUM", "--dry-run"),
    ROW("sweep", "--threads-list", "1,,2", "--dry-run"),
    ROW("sweep", "--tpb-list", "@HUGE", "--dry-run"),
    ROW("sweep", "--max-threads", "0", "--dry-run"),
    ROW("sweep", "--backend", "@HUGE", "--dry-run"),
};

static const char *const *const wallet_rows[] = {
    ROW("wallet"),
    ROW("wallet", "@HUGE"),
    ROW("wallet", ""),
    ROW("wallet", "create", "--wallet-path", "@W", "--wallet-name", ""),
    ROW("wallet", "create", "--wallet-path", "@W", "--wallet-name", ".."),
    ROW("wallet", "create", "--wallet-path", "@W", "--wallet-name", "a/b"),
    ROW("wallet", "create", "--wallet-path", "@HUGE", "--no-password"),
    ROW("wallet", "create", "--wallet-path", "@W", "--wallet-name", "@HUGE",
        "--no-password"),
    ROW("wallet", "create", "--wallet-path", "@W", "--password-file", "@BIG"),
    ROW("wallet", "create", "--wallet-path", "@W", "--wallet-name", "n2",
        "--password-file", "@HUGE"),
    ROW("wallet", "create", "--wallet-path", "@W", "--no-password"),
    ROW("wallet", "inspect", "--wallet-path", "@W", "--wallet-hotkey", "@HUGE"),
    ROW("wallet", "inspect", "--wallet-path", "@W", "--wallet-hotkey", "@NL"),
    ROW("wallet", "inspect", "--wallet-path", "@DIR"),
    ROW("wallet", "inspect", "--wallet-path", "@BIG"),
    ROW("wallet", "sign", "--wallet-path", "@W", "--message", "abc"),
    ROW("wallet", "sign", "--wallet-path", "@W", "--message", "@CTRL"),
    ROW("wallet", "sign", "--wallet-path", "@W"),
    ROW("wallet", "verify", "--address", "@HUGE", "--message", "00",
        "--signature", "00"),
    ROW("wallet", "verify", "--address", "", "--message", "00", "--signature",
        "00"),
    ROW("wallet", "verify", "--address",
        "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "--message", "00",
        "--signature", "@HUGEHEX"),
    ROW("wallet", "verify", "--address",
        "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "--message", "00",
        "--signature", H64, "--scheme", "@HUGE"),
};

static const char *const *const chain_rows[] = {
    ROW("register", "--wallet-path", "@W", "--netuid", "65536"),
    ROW("register", "--wallet-path", "@W", "--netuid", "@HUGENUM"),
    ROW("register", "--wallet-path", "@W", "--netuid", "-1"),
    ROW("register", "--wallet-path", "@W", "--max-attempts", "0"),
    ROW("register", "--wallet-path", "@W", "--max-attempts", "1001"),
    ROW("register", "--wallet-path", "@W", "--seconds", "nan"),
    ROW("register", "--wallet-path", "@W", "--seconds", "@HUGENUM"),
    ROW("register", "--wallet-path", "@W", "--seconds", "0x1"),
    ROW("register", "--wallet-path", "@W", "--seconds", " 1"),
    ROW("register", "--wallet-path", "@W", "--backend", "reference",
        "--threads", "2"),
    ROW("register", "--wallet-path", "@W", "--poll-ms", "9"),
    ROW("register", "--wallet-path", "@W", "--rule", ""),
    ROW("register", "--wallet-path", "@W", "--rule", "@HUGE"),
    ROW("register", "--wallet-path", "@W", "--wallet-name", "@HUGE"),
    ROW("register", "--wallet-path", "@HUGE"),
    ROW("register", "--wallet-path", "@DIR"),
    ROW("register", "--wallet-path", "@W", "--wallet-hotkey", ""),
    ROW("register", "--wallet-path", "@W", "--backend", "@NL"),
    ROW("register", "--wallet-path", "@W", "@HUGE"),
    ROW("faucet", "--wallet-path", "@W", "--netuid", "1"),
    ROW("faucet", "--wallet-path", "@W", "--burned"),
    ROW("mock-node", "--port", "65536"),
    ROW("mock-node", "--port", "-1"),
    ROW("mock-node", "--port", "@HUGENUM"),
    ROW("mock-node", "--block-time", "0"),
    ROW("mock-node", "--block-time", "3600001"),
    ROW("mock-node", "--difficulty", "1=x"),
    ROW("mock-node", "--difficulty", "0=5"),
    ROW("mock-node", "--difficulty", "1="),
    ROW("mock-node", "--difficulty", "=5"),
    ROW("mock-node", "--difficulty", "@HUGE"),
    ROW("mock-node", "--difficulty", "1=18446744073709551616"),
    ROW("mock-node", "--subnet", "1:x"),
    ROW("mock-node", "--subnet", ""),
    ROW("mock-node", "--subnet", "65536"),
    ROW("mock-node", "--runtime", "300"),
    ROW("mock-node", "--runtime", "@HUGENUM"),
    ROW("mock-node", "--seed", "18446744073709551616"),
    ROW("mock-node", "--latency-ms", "60001"),
    ROW("mock-node", "--drop-per-mille", "1001"),
    ROW("mock-node", "--drop-per-mille", "600", "--http500-per-mille", "401"),
    ROW("mock-node", "--malformed-per-mille", "@NL"),
    ROW("mock-node", "@CTRL"),
};

Test(hostile, compute_commands) {
  for (size_t i = 0; i < sizeof seal_rows / sizeof seal_rows[0]; i++)
    hostile_row(seal_rows[i]);
}

Test(hostile, wallet_commands) {
  for (size_t i = 0; i < sizeof wallet_rows / sizeof wallet_rows[0]; i++)
    hostile_row(wallet_rows[i]);
}

Test(hostile, chain_commands) {
  for (size_t i = 0; i < sizeof chain_rows / sizeof chain_rows[0]; i++)
    hostile_row(chain_rows[i]);
}

/* Key files of the wrong kind in place of a wallet's: one line, exit 2,
 * for every command that reads them. */
Test(hostile, hostile_key_files) {
  static const char *const kinds[] = {"@BIG", "@EMPTY", "@BIN"};
  for (size_t k = 0; k < 3; k++) {
    char w[200], cmd[2048];
    snprintf(w, sizeof w, "%s/bad%zu", dir, k);
    snprintf(
        cmd, sizeof cmd,
        "mkdir -p %s/default/hotkeys && cp %s %s/default/coldkeypub.txt && "
        "cp %s %s/default/hotkeys/default && cp %s %s/default/coldkey",
        w, expand(kinds[k], NULL, 0), w, expand(kinds[k], NULL, 0), w,
        expand(kinds[k], NULL, 0), w);
    cr_assert_eq(system(cmd), 0);
    hostile_row(ROW("wallet", "inspect", "--wallet-path", w));
    hostile_row(ROW("wallet", "sign", "--wallet-path", w, "--message", "00"));
    hostile_row(ROW("wallet", "sign", "--coldkey", "--wallet-path", w,
                    "--message", "00", "--password-file", "@EMPTY"));
    hostile_row(ROW("register", "--wallet-path", w, "--backend", "reference"));
    hostile_row(ROW("faucet", "--wallet-path", w, "--backend", "reference",
                    "--password-file", "@EMPTY"));
  }
}

/* A FIFO (or another non-regular file) wherever a user or a wallet names a
 * path: refused at once with the path in the message, never a hang in
 * open(2). Without a writer, a blocking open would wait forever:
 * the suite's timeout is the bound. */
Test(hostile, fifo_paths) {
  char fifo[160], w[200], vec[200], cmd[1024];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  /* a wallet whose key files are all FIFOs */
  snprintf(w, sizeof w, "%s/fifo-wallet", dir);
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s/default/hotkeys && mkfifo %s/default/coldkeypub.txt "
           "%s/default/hotkeys/default %s/default/coldkey",
           w, w, w, w);
  cr_assert_eq(system(cmd), 0);
  /* vectors whose files are FIFOs */
  snprintf(vec, sizeof vec, "%s/fifo-vectors", dir);
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s && for f in hashes seals solutions difficulty; do "
           "mkfifo %s/$f.json; done",
           vec, vec);
  cr_assert_eq(system(cmd), 0);
  hostile_row(ROW("wallet", "inspect", "--wallet-path", w));
  hostile_row(ROW("wallet", "sign", "--wallet-path", w, "--message", "00"));
  hostile_row(ROW("wallet", "sign", "--coldkey", "--wallet-path", w,
                  "--message", "00"));
  hostile_row(ROW("wallet", "create", "--wallet-path", w));
  hostile_row(ROW("register", "--wallet-path", w, "--backend", "reference"));
  hostile_row(ROW("faucet", "--wallet-path", w, "--backend", "reference"));
  hostile_row(ROW("wallet", "create", "--wallet-path", wallet, "--wallet-name",
                  "fifo-pw", "--password-file", fifo));
  hostile_row(ROW("verify", "--vectors", vec));
  hostile_row(ROW("register", "--wallet-path", wallet, "--journal", fifo,
                  "--backend", "reference"));
  hostile_row(ROW("wallet", "inspect", "--wallet-path", fifo));
  hostile_row(ROW("wallet", "create", "--wallet-path", fifo, "--no-password"));
  /* the message names the path and says what it is */
  sp_run_result r;
  sp_run_bench(&r, "wallet", "inspect", "--wallet-path", w, NULL);
  cr_expect(strstr(r.err, "coldkeypub.txt") != NULL, "%s", r.err);
  cr_expect(strstr(r.err, "not a regular file") != NULL, "%s", r.err);
  sp_run_result_free(&r);
  sp_run_bench(&r, "verify", "--vectors", vec, NULL);
  cr_expect(strstr(r.err, "FIFO") != NULL, "%s", r.err);
  sp_run_result_free(&r);
  sp_run_bench(&r, "register", "--wallet-path", wallet, "--journal", fifo,
               "--backend", "reference", NULL);
  cr_expect(strstr(r.err, fifo) != NULL && strstr(r.err, "FIFO") != NULL, "%s",
            r.err);
  sp_run_result_free(&r);
}
