/*
 * common/: opening user paths without blocking (a FIFO, a directory, a socket
 * are refused at once, with the path in the message) and sanitizing outside
 * text for one terminal line.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "chain/keys/password.h"
#include "common/error.h"
#include "common/sanitize.h"
#include "common/user_file.h"
#include "registration/journal.h"

static char dir[64], fifo[128], reg[128];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/subpow-userfile-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  snprintf(reg, sizeof reg, "%s/file", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  FILE *f = fopen(reg, "w");
  cr_assert_not_null(f);
  fputs("hello\n", f);
  fclose(f);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

/* A FIFO without a writer would block open(O_RDONLY) forever and one without
 * a reader open(O_WRONLY): the test's own timeout is the bound. */
TestSuite(user_file, .init = setup, .fini = teardown, .timeout = 30);

Test(user_file, fifo_refused_for_reading_and_writing) {
  static const int modes[] = {O_RDONLY, O_WRONLY | O_CREAT | O_APPEND,
                              O_WRONLY | O_CREAT | O_TRUNC, O_RDWR};
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
    sp_error_record err = {0};
    int fd = sp_user_file_open(fifo, modes[i], 0600, &err);
    cr_expect_eq(fd, -SP_ENOT_REGULAR, "mode %zu: %d", i, fd);
    cr_expect_eq(err.sys_errno, EINVAL, "mode %zu: %d", i, err.sys_errno);
    cr_expect(strstr(err.message, fifo) != NULL, "%s", err.message);
    cr_expect(strstr(err.message, "FIFO") != NULL, "%s", err.message);
  }
  sp_error_record err = {0};
  errno = 0;
  cr_expect_null(sp_user_file_fopen(fifo, 0, &err));
  cr_expect_eq(errno, EINVAL);
  cr_expect_null(sp_user_file_fopen(fifo, 1, &err));
}

/* The journal: a FIFO as --journal blocked open(O_WRONLY) forever, past
 * SIGTERM. */
Test(user_file, journal_fifo_refused) {
  uint8_t key[32] = {0}, seal[32] = {0}, genesis[32] = {0};
  sp_journal_entry e = {.event = "found",
                        .kind = "register",
                        .node = "n",
                        .key = key,
                        .seal = seal,
                        .genesis = genesis};
  /* one error space (common/error.h), not errno values */
  cr_expect_eq(sp_journal_append(fifo, &e), -SP_ENOT_REGULAR);
  cr_expect_eq(sp_journal_append(dir, &e), -SP_ENOT_REGULAR);
  cr_expect_eq(sp_journal_append(reg, &e), 0);
  sp_error_record err = {0};
  cr_expect_eq(sp_journal_check(fifo, &err), -SP_ENOT_REGULAR);
  cr_expect(strstr(err.message, fifo) != NULL &&
                strstr(err.message, "FIFO") != NULL,
            "%s", err.message);
  /* reading it back at the start of a run (pending solutions) */
  sp_journal_scan *scan = malloc(sizeof *scan);
  sp_journal_query q = {.kind = "register",
                        .key = key,
                        .netuid = 1,
                        .node = "n",
                        .best = UINT64_MAX};
  cr_expect_eq(sp_journal_read(fifo, &q, scan), -SP_ENOT_REGULAR);
  free(scan);
}

Test(user_file, directory_missing_and_socket) {
  sp_error_record err = {0};
  cr_expect_eq(sp_user_file_open(dir, O_RDONLY, 0, &err), -SP_ENOT_REGULAR);
  cr_expect_eq(err.sys_errno, EISDIR);
  cr_expect(strstr(err.message, "directory") != NULL, "%s", err.message);
  cr_expect_eq(sp_user_file_open(dir, O_WRONLY | O_CREAT, 0600, &err),
               -SP_ENOT_REGULAR);
  cr_expect_eq(err.sys_errno, EISDIR);
  char missing[160];
  snprintf(missing, sizeof missing, "%s/nope/x", dir);
  cr_expect_eq(sp_user_file_open(missing, O_RDONLY, 0, &err), -SP_ENOT_FOUND);
  cr_expect_eq(err.sys_errno, ENOENT);
  cr_expect(strstr(err.message, missing) != NULL, "%s", err.message);
  cr_expect_eq(sp_user_file_open("", O_RDONLY, 0, &err), -SP_ENOT_FOUND);

  char sock[160];
  snprintf(sock, sizeof sock, "%s/sock", dir);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  cr_assert_geq(s, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
  cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
  cr_expect_eq(sp_user_file_open(sock, O_RDONLY, 0, &err), -SP_ENOT_REGULAR);
  cr_expect_eq(err.sys_errno, EINVAL);
  cr_expect(strstr(err.message, "socket") != NULL, "%s", err.message);
  close(s);
  cr_expect_eq(sp_user_file_open("/dev/null", O_RDONLY, 0, &err),
               -SP_ENOT_REGULAR);
  cr_expect_eq(err.sys_errno, EINVAL);
}

Test(user_file, regular_files_work_and_truncate_only_after_the_check) {
  sp_error_record err = {0};
  FILE *f = sp_user_file_fopen(reg, 0, &err);
  cr_assert_not_null(f, "%s", err.message);
  char line[16] = "";
  cr_expect_not_null(fgets(line, sizeof line, f));
  cr_expect_str_eq(line, "hello\n");
  /* blocking mode was restored */
  cr_expect_eq(fcntl(fileno(f), F_GETFL) & O_NONBLOCK, 0);
  fclose(f);
  f = sp_user_file_fopen(reg, 1, &err);
  cr_assert_not_null(f, "%s", err.message);
  fclose(f);
  struct stat st;
  cr_assert_eq(stat(reg, &st), 0);
  cr_expect_eq(st.st_size, 0);
  char created[160];
  snprintf(created, sizeof created, "%s/new", dir);
  int fd = sp_user_file_open(created, O_WRONLY | O_CREAT | O_EXCL, 0600, &err);
  cr_expect_geq(fd, 0, "%s", err.message);
  close(fd);
}

Test(user_file, path_in_message_is_sanitized) {
  char bad[160];
  sp_error_record err = {0};
  snprintf(bad, sizeof bad, "%s/a\nb\x1b[2J", dir);
  cr_expect_eq(sp_user_file_open(bad, O_RDONLY, 0, &err), -SP_ENOT_FOUND);
  cr_expect_null(strchr(err.message, '\n'), "%s", err.message);
  cr_expect_null(strchr(err.message, 0x1b), "%s", err.message);
  cr_expect(strstr(err.message, "a\\nb\\e[2J") != NULL, "%s", err.message);
}

Test(sanitize, escapes_controls_c1_and_bad_utf8) {
  char out[128];
  cr_expect_str_eq(sp_sanitize("plain text", out, sizeof out), "plain text");
  cr_expect_str_eq(sp_sanitize("caf\xc3\xa9 \xe2\x82\xac", out, sizeof out),
                   "caf\xc3\xa9 \xe2\x82\xac");
  cr_expect_str_eq(sp_sanitize("a\x1b]0;title\x07z", out, sizeof out),
                   "a\\e]0;title\\x07z");
  cr_expect_str_eq(sp_sanitize("\r\n\t\x7f", out, sizeof out),
                   "\\r\\n\\t\\x7f");
  /* U+009B (CSI) as UTF-8, a raw 0x9b, an overlong '/' and a surrogate */
  cr_expect_str_eq(sp_sanitize("\xc2\x9b"
                               "2J",
                               out, sizeof out),
                   "\\xc2\\x9b2J");
  cr_expect_str_eq(sp_sanitize("\x9b\xc0\xaf\xed\xa0\x80", out, sizeof out),
                   "\\x9b\\xc0\\xaf\\xed\\xa0\\x80");
  cr_expect_str_eq(sp_sanitize(NULL, out, sizeof out), "");
  cr_expect_str_eq(sp_sanitize_n("a\0b", 3, out, sizeof out), "a\\x00b");
  cr_expect(sp_sanitize_is_clean("ok \xc3\xa9"));
  cr_expect_not(sp_sanitize_is_clean("no\n"));
}

Test(sanitize, truncates_at_a_boundary) {
  char out[8];
  cr_expect_str_eq(sp_sanitize("abcdefghij", out, sizeof out), "abcd...");
  cr_expect_str_eq(sp_sanitize("abcdefg", out, sizeof out), "abcdefg");
  cr_expect_str_eq(sp_sanitize("\x1b\x1b\x1b\x1b", out, sizeof out),
                   "\\e\\e...");
  cr_expect_str_eq(sp_sanitize("ab\xe2\x82\xac\xe2\x82\xac", out, sizeof out),
                   "ab...");
  char s[16] = "x\ny";
  sp_sanitize_inplace(s, sizeof s);
  cr_expect_str_eq(s, "x\\ny");
}

/* SUBPOW_WALLET_PASSWORD is wiped from the environment once read: zeroed
 * where it was (for a process's initial environment, what /proc/PID/environ
 * and a core dump show) and unset; a second read still gets it. */
Test(password_env, wiped_once_read) {
  static char entry[] = "SUBPOW_TEST_PASSWORD=correct horse";
  cr_assert_eq(putenv(entry), 0);
  sp_password_source src = {.env_name = "SUBPOW_TEST_PASSWORD"};
  char buf[64];
  cr_assert_eq(sp_password_get(&src, NULL, buf, sizeof buf), 0);
  cr_expect_str_eq(buf, "correct horse");
  cr_expect_null(getenv("SUBPOW_TEST_PASSWORD"));
  const char *value = entry + strlen("SUBPOW_TEST_PASSWORD=");
  for (size_t i = 0; i < strlen("correct horse"); i++)
    cr_expect_eq(value[i], '\0', "byte %zu of the value is still there", i);
  memset(buf, 0, sizeof buf);
  cr_assert_eq(sp_password_get(&src, NULL, buf, sizeof buf), 0);
  cr_expect_str_eq(buf, "correct horse");
}
