/*
 * The solution journal on its own (registration/journal.h): lines torn by
 * a crash, symbolic links, paths it cannot be written at, entries that must
 * not hide each other, and the one error space of its return values.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "registration/journal.h"

static char dir[64], path[128];
static uint8_t key[32], genesis[32];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/subpow-journal-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/journal.jsonl", dir);
  memset(key, 0x11, sizeof key);
  memset(genesis, 0x22, sizeof genesis);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(journal, .init = setup, .fini = teardown, .timeout = 60);

/* An entry of solution `tag` (its seal's bytes) for block `block`. */
static int append(const char *event, uint64_t block, uint8_t tag) {
  uint8_t seal[32];
  memset(seal, tag, sizeof seal);
  sp_journal_entry e = {.event = event,
                        .kind = "register",
                        .node = "http://127.0.0.1:9944",
                        .netuid = 1,
                        .key = key,
                        .block_number = block,
                        .nonce = tag,
                        .seal = seal,
                        .genesis = genesis};
  return sp_journal_append(path, &e);
}

static int read_back(uint64_t best, sp_journal_scan *scan) {
  sp_journal_query q = {.kind = "register",
                        .key = key,
                        .netuid = 1,
                        .genesis = genesis,
                        .node = "http://localhost:9944",
                        .best = best};
  return sp_journal_read(path, &q, scan);
}

static void append_raw(const char *text) {
  FILE *f = fopen(path, "a");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
}

/* A crash mid-write left `{"time":1,"event":"fou` without a newline after
 * a real `found`: the next entry must start on a line of its own (appended
 * onto the torn one it was unreadable, and the solution's later events were
 * lost), and the reader skips the torn line and counts it. */
Test(journal, a_torn_last_line_is_closed_before_the_next_entry) {
  cr_assert_eq(append("found", 5, 0xaa), 0);
  append_raw("{\"time\":1,\"event\":\"fou");
  sp_journal_scan *scan = malloc(sizeof *scan);
  cr_assert_eq(read_back(10, scan), 1);
  cr_expect_eq(scan->pending[0].block_number, 5);
  cr_expect_str_eq(scan->pending[0].event, "found");
  cr_expect_eq(scan->unreadable, 1);
  cr_expect_eq(scan->first_unreadable, 2);
  /* the rerun sends it: its `sending` line must be read back */
  cr_assert_eq(append("sending", 5, 0xaa), 0);
  cr_assert_eq(read_back(10, scan), 1);
  cr_expect_str_eq(scan->pending[0].event, "sending");
  cr_expect(scan->pending[0].sent);
  cr_expect_eq(scan->unreadable, 1, "the new line was glued onto the torn one");
  cr_assert_eq(append("included", 5, 0xaa), 0);
  cr_expect_eq(read_back(10, scan), 0, "resolved");
  free(scan);
  /* and the file ends with a newline, every line but the torn one JSON */
  FILE *f = fopen(path, "r");
  char line[2048];
  int lines = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    lines++;
    cr_expect(line[strlen(line) - 1] == '\n');
  }
  fclose(f);
  cr_expect_eq(lines, 4);
}

/* One bogus `found` at block 2^64 - 1 (or any block after it) hid the
 * real pending solution: the reader kept only the newest block's. Now an
 * entry of a block the chain has not made is ignored, and every solution is
 * followed on its own. */
Test(journal, a_bogus_newer_entry_does_not_hide_a_pending_one) {
  cr_assert_eq(append("found", 7, 0xaa), 0);
  cr_assert_eq(append("found", UINT64_MAX, 0xbb), 0);
  sp_journal_scan *scan = malloc(sizeof *scan);
  cr_assert_eq(read_back(8, scan), 1);
  cr_expect_eq(scan->pending[0].block_number, 7);
  cr_expect_eq(scan->pending[0].seal[0], 0xaa);
  /* a node that claims that block: both, newest first */
  cr_assert_eq(read_back(UINT64_MAX, scan), 2);
  cr_expect_eq(scan->pending[0].block_number, UINT64_MAX);
  cr_expect_eq(scan->pending[1].block_number, 7);
  /* a newer solution that was resolved hides nothing either */
  cr_assert_eq(append("found", 8, 0xcc), 0);
  cr_assert_eq(append("included", 8, 0xcc), 0);
  cr_assert_eq(read_back(8, scan), 1);
  cr_expect_eq(scan->pending[0].seal[0], 0xaa);
  free(scan);
}

/* What a rerun needs of a sent solution: the extrinsic, read back. */
Test(journal, a_sending_line_carries_the_extrinsic) {
  uint8_t seal[32], xt[100], xh[32];
  memset(seal, 0xaa, sizeof seal);
  for (size_t i = 0; i < sizeof xt; i++)
    xt[i] = (uint8_t)i;
  memset(xh, 0x5a, sizeof xh);
  sp_journal_entry e = {.event = "sending",
                        .kind = "register",
                        .netuid = 1,
                        .key = key,
                        .block_number = 5,
                        .nonce = 9,
                        .seal = seal,
                        .genesis = genesis,
                        .xt = xt,
                        .xt_len = sizeof xt,
                        .xt_hash = xh,
                        .first_block = 6};
  cr_assert_eq(sp_journal_append(path, &e), 0);
  sp_journal_scan *scan = malloc(sizeof *scan);
  cr_assert_eq(read_back(6, scan), 1);
  cr_expect(scan->pending[0].sent);
  cr_expect(scan->pending[0].have_xt);
  cr_expect_eq(scan->pending[0].xt_len, sizeof xt);
  cr_expect_arr_eq(scan->pending[0].xt, xt, sizeof xt);
  cr_expect_arr_eq(scan->pending[0].xt_hash, xh, 32);
  cr_expect_eq(scan->pending[0].first_block, 6);
  free(scan);
  /* every entry names its chain: none without a genesis hash */
  e.genesis = NULL;
  cr_expect_eq(sp_journal_append(path, &e), -SP_EINVAL);
}

/* A journal path that is a symbolic link: refused (O_NOFOLLOW), the file
 * it points at untouched, with a message that says why. */
Test(journal, a_symbolic_link_is_refused) {
  char target[160], link[160];
  snprintf(target, sizeof target, "%s/target", dir);
  snprintf(link, sizeof link, "%s/link.jsonl", dir);
  FILE *f = fopen(target, "w");
  fputs("precious\n", f);
  fclose(f);
  cr_assert_eq(symlink(target, link), 0);
  sp_error_record err = {0};
  cr_expect_eq(sp_journal_check(link, &err), -SP_ENOT_REGULAR);
  cr_expect_not_null(strstr(err.message, "symbolic link"), "%s", err.message);
  cr_expect_not_null(strstr(err.message, link), "%s", err.message);
  snprintf(path, sizeof path, "%s", link);
  cr_expect_eq(append("found", 1, 0xaa), -SP_ENOT_REGULAR);
  struct stat st;
  cr_assert_eq(stat(target, &st), 0);
  cr_expect_eq(st.st_size, 9, "the link's target was written");
  /* a dangling link: not created through either */
  char dangling[160];
  snprintf(dangling, sizeof dangling, "%s/dangling.jsonl", dir);
  char gone[160];
  snprintf(gone, sizeof gone, "%s/gone", dir);
  cr_assert_eq(symlink(gone, dangling), 0);
  cr_expect_eq(sp_journal_check(dangling, &err), -SP_ENOT_REGULAR);
  cr_expect_not_null(strstr(err.message, "symbolic link"), "%s", err.message);
  cr_expect_neq(access(gone, F_OK), 0, "created through a dangling link");
}

/* Where no file can be made, the message tells the real reason: /proc
 * exists but takes no new files (it said "its directory does not exist"). */
Test(journal, unwritable_places_say_the_real_reason) {
  sp_error_record err = {0};
  cr_expect_lt(sp_journal_check("/proc/subpow-journal", &err), 0);
  cr_expect_null(strstr(err.message, "does not exist"), "%s", err.message);
  cr_expect_not_null(strstr(err.message, "makes no new files"), "%s",
                     err.message);
  char missing[160];
  snprintf(missing, sizeof missing, "%s/nope/journal", dir);
  cr_expect_eq(sp_journal_check(missing, &err), -SP_ENOT_FOUND);
  cr_expect_not_null(strstr(err.message, "its directory does not exist"), "%s",
                     err.message);
  char file[160], under[200];
  snprintf(file, sizeof file, "%s/plain", dir);
  fclose(fopen(file, "w"));
  snprintf(under, sizeof under, "%s/journal", file);
  cr_expect_lt(sp_journal_check(under, &err), 0);
  cr_expect_not_null(strstr(err.message, "not a directory"), "%s", err.message);
  if (geteuid() != 0) {
    char ro[160], inside[200];
    snprintf(ro, sizeof ro, "%s/ro", dir);
    cr_assert_eq(mkdir(ro, 0500), 0);
    snprintf(inside, sizeof inside, "%s/journal", ro);
    cr_expect_eq(sp_journal_check(inside, &err), -SP_EACCESS);
    cr_expect_not_null(strstr(err.message, "permission"), "%s", err.message);
  }
}
