/* The status display: in place on a terminal (a pseudo-terminal here), one
 * line per update elsewhere, verbose adding the round times. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "engine/stats_logger.h"

static sp_solve_stats sample(uint64_t block) {
  sp_solve_stats s;
  memset(&s, 0, sizeof s);
  s.time_spent_total = 12.345;
  s.time_spent = 0.05;
  s.time_average = 0.049;
  s.rounds_total = 250;
  s.hash_rate = 1.234e6;
  s.hash_rate_perpetual = 1.2e6;
  s.difficulty = 10000000;
  s.rule = SP_RULE_CHAIN_LE;
  s.block_number = block;
  for (int i = 0; i < 32; i++)
    s.block_hash[i] = (uint8_t)i;
  s.expected_seconds = 8.1;
  s.workers = 2;
  return s;
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL;
       p += strlen(needle))
    n++;
  return n;
}

/* Reads what the terminal side received, without blocking past 200 ms. */
static char *drain(int fd) {
  size_t cap = 1 << 16, n = 0;
  char *buf = calloc(cap, 1);
  struct pollfd p = {.fd = fd, .events = POLLIN};
  while (poll(&p, 1, 200) > 0 && n + 1 < cap) {
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r <= 0) break;
    n += (size_t)r;
  }
  buf[n] = '\0';
  return buf;
}

Test(logger, in_place_on_a_pseudo_terminal) {
  int master, slave;
  cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
  /* Raw output: no "\n" -> "\r\n" rewriting, so we see our own bytes. */
  struct termios t;
  tcgetattr(slave, &t);
  cfmakeraw(&t);
  tcsetattr(slave, TCSANOW, &t);
  FILE *f = fdopen(slave, "w");
  cr_assert_not_null(f);
  cr_assert(sp_stats_logger_default_in_place(f), "a pty is a terminal");
  sp_stats_logger l;
  sp_stats_logger_init(&l, f, true, false);
  sp_solve_stats a = sample(100), b = sample(101);
  sp_stats_logger_update(&l, &a);
  sp_stats_logger_update(&l, &b);
  sp_stats_logger_note(&l, "solution: block 101 nonce 42");
  sp_stats_logger_finish(&l);
  char *out = drain(master);
  fclose(f);
  close(master);
  /* Three blocks of 9 lines; the second and the redraw after the note first
   * return to column 0 (a typed ^C moved the cursor), move up over the
   * previous block and clear it. */
  cr_assert_eq(count(out, "Block number: 100"), 1, "%s", out);
  cr_assert_eq(count(out, "Block number: 101"), 2, "%s", out);
  cr_assert_eq(count(out, "\r\x1b[2K\x1b[9A\x1b[J"), 2, "%s", out);
  /* 27 block lines, 2 erases, and the fresh line after the last block */
  cr_assert_eq(count(out, "\r\x1b[2K"), 27 + 2 + 1);
  cr_assert(strstr(out, "Iters (now / whole run): 1.234 MH/s / 1.200 MH/s"));
  cr_assert(strstr(out, "Registration difficulty: 10.00 M (rule chain-le)"));
  cr_assert(strstr(out, "Mean time to a solution: 0:00:08.100 (hashes are "
                        "independent: it does not count down)"));
  /* 12.345 s of a mean 8.1 s: 1 - e^(-12.345/8.1) = 78.2 %; 50 % by
   * 8.1 ln 2 = 5.614 s, 90 % by 8.1 ln 10 = 18.651 s */
  cr_assert(strstr(out, "Chance found by now: 78.2% (50% by 0:00:05.614, "
                        "90% by 0:00:18.651 of solving)"),
            "%s", out);
  cr_assert(strstr(out, "Block hash: 0x000102030405"));
  cr_assert(strstr(out, "Solving (2 workers)"));
  cr_assert(strstr(out, "solution: block 101 nonce 42\n"));
  cr_assert_null(strstr(out, "this round"), "not verbose");
  free(out);
}

Test(logger, verbose_in_place_adds_round_times) {
  int master, slave;
  cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
  FILE *f = fdopen(slave, "w");
  sp_stats_logger l;
  sp_stats_logger_init(&l, f, true, true);
  sp_solve_stats a = sample(7);
  sp_stats_logger_update(&l, &a);
  sp_stats_logger_update(&l, &a);
  char *out = drain(master);
  fclose(f);
  close(master);
  cr_assert(strstr(out, "Time spent this round: 0:00:00.050"), "%s", out);
  cr_assert(strstr(out, "Time spent average: 0:00:00.049 (250 rounds)"));
  cr_assert(strstr(out, "\x1b[11A"), "verbose blocks have 11 lines");
  free(out);
}

Test(logger, line_mode_to_a_pipe) {
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  FILE *f = fdopen(fds[1], "w");
  cr_assert(!sp_stats_logger_default_in_place(f), "a pipe is no terminal");
  sp_stats_logger l;
  sp_stats_logger_init(&l, f, false, false);
  for (uint64_t b = 1; b <= 3; b++) {
    sp_solve_stats s = sample(b);
    sp_stats_logger_update(&l, &s);
  }
  sp_stats_logger_note(&l, "a note");
  sp_stats_logger_finish(&l);
  fclose(f);
  char *out = drain(fds[0]);
  close(fds[0]);
  cr_assert_eq(count(out, "\n"), 4, "%s", out);
  cr_assert_null(strchr(out, '\x1b'), "no escapes outside a terminal");
  cr_assert(strstr(out, "solving: time 0:00:12.345  block 3 0x000102"));
  cr_assert(strstr(out, "difficulty 10.00 M (chain-le)  rate 1.234 MH/s "
                        "(whole run 1.200 MH/s)  mean time to a solution "
                        "0:00:08.100  found by now 78.2%"));
  cr_assert_null(strstr(out, "round"));
  cr_assert(strstr(out, "\na note\n"));
  free(out);
}

Test(logger, verbose_line_and_file) {
  FILE *f = tmpfile();
  cr_assert(!sp_stats_logger_default_in_place(f));
  sp_stats_logger l;
  sp_stats_logger_init(&l, f, false, true);
  sp_solve_stats s = sample(9);
  sp_stats_logger_update(&l, &s);
  rewind(f);
  char line[1024] = "";
  cr_assert_not_null(fgets(line, sizeof line, f));
  fclose(f);
  cr_assert(
      strstr(line, "round 0:00:00.050  average 0:00:00.049  rounds 250\n"),
      "%s", line);
}

Test(logger, null_output_prints_nothing) {
  sp_stats_logger l;
  sp_stats_logger_init(&l, NULL, true, true);
  sp_solve_stats s = sample(1);
  sp_stats_logger_update(&l, &s);
  sp_stats_logger_note(&l, "x");
  sp_stats_logger_finish(&l);
  cr_assert(!sp_stats_logger_default_in_place(NULL));
}

/* Without a terminal a line is written when the block or the solutions
 * change, else at most every line_every_s seconds of the solve (the stats'
 * own clock: no wall-clock window in the test). */
Test(logger, line_mode_is_rate_limited) {
  FILE *f = tmpfile();
  sp_stats_logger l;
  sp_stats_logger_init(&l, f, false, false);
  sp_solve_stats s = sample(5);
  for (int i = 0; i < 40; i++) { /* 4 updates a second for 10 s */
    s.time_spent_total = i * 0.25;
    sp_stats_logger_update(&l, &s);
  }
  s.time_spent_total = 10.0; /* 10 s after the first line */
  sp_stats_logger_update(&l, &s);
  s.solutions = 1; /* a change is shown at once */
  sp_stats_logger_update(&l, &s);
  s.block_number = 6;
  sp_stats_logger_update(&l, &s);
  rewind(f);
  char buf[8192];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  cr_assert_eq(count(buf, "\n"), 4, "%s", buf);
}

/* Work given as its block-and-hotkey hash has no block hash: "unknown",
 * not 0x000...0. */
Test(logger, unknown_block_hash) {
  sp_solve_stats s = sample(1);
  memset(s.block_hash, 0, 32);
  char line[600];
  sp_stats_format_line(&s, false, line, sizeof line);
  cr_assert(strstr(line, "block 1 unknown  difficulty"), "%s", line);
  char lines[16 * 192];
  size_t n = sp_stats_format_block(&s, false, lines, 16, 192);
  bool seen = false;
  for (size_t i = 0; i < n; i++)
    if (strcmp(lines + i * 192, "Block hash: unknown") == 0) seen = true;
  cr_assert(seen);
}

Test(logger, worker_label_and_chance) {
  cr_assert_float_eq(sp_stats_chance_by(0, 8), 0, 1e-12);
  cr_assert_float_eq(sp_stats_chance_by(8 * log(2.0), 8), 0.5, 1e-12);
  cr_assert_float_eq(sp_stats_chance_by(5, INFINITY), 0, 1e-12);
  int master, slave;
  cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
  FILE *f = fdopen(slave, "w");
  sp_stats_logger l;
  sp_stats_logger_init(&l, f, true, false);
  sp_stats_logger_set_label(&l, "cpu, 2 threads");
  sp_solve_stats s = sample(1);
  s.workers = 1;
  sp_stats_logger_update(&l, &s);
  char *out = drain(master);
  fclose(f);
  close(master);
  cr_assert(strstr(out, "Solving (1 worker: cpu, 2 threads)"), "%s", out);
  free(out);
}
