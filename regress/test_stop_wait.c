/*
 * Long-running commands wait for SIGINT/SIGTERM so that none is missed:
 * `bench mock-node` used `while (!stop) pause();`, which waits forever when
 * the kernel delivers the signal to one of the node's other threads (the
 * valgrind stage once hung 10 minutes so). Each signal here goes to a
 * chosen thread of the process (tgkill), every thread in turn, many times
 * in a row, and bursts of signals at once.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/stop_signal.h"
#include "regress/support/process.h"

/* The thread ids of process `pid` (at most cap). */
static int threads_of(pid_t pid, pid_t *tids, int cap) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
  DIR *d = opendir(path);
  if (d == NULL) return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < cap)
    if (e->d_name[0] != '.') tids[n++] = (pid_t)atoi(e->d_name);
  closedir(d);
  return n;
}

/* Starts a node, sends `sig` `burst` times to thread `which` (modulo the
 * thread count; the main thread is one of them) and expects it to stop. */
static void stop_one(int round, int sig, int which, int burst) {
  uint16_t port = sp_free_port();
  sp_proc p;
  cr_assert_eq(sp_mock_node_process(&p, port, "--block-time", "100", NULL), 0,
               "%s", p.out);
  pid_t tids[64];
  int n = threads_of(p.pid, tids, 64);
  cr_assert_gt(n, 1, "the node has no threads besides main");
  pid_t tid = tids[which % n];
  for (int i = 0; i < burst; i++)
    syscall(SYS_tgkill, (int)p.pid, (int)tid, sig);
  int st = sp_proc_wait(&p, 60000);
  cr_assert_eq(st, 128 + sig,
               "round %d: signal %d to thread %d of %d (%d): status %d: %s",
               round, sig, which % n, n, (int)tid, st, p.out);
  cr_assert_not_null(strstr(p.out, "stopping at block"), "%s", p.out);
  sp_proc_free(&p);
}

Test(stop_wait, mock_node_stops_on_a_signal_to_any_thread, .timeout = 300) {
  for (int round = 0; round < 12; round++)
    stop_one(round, round % 2 ? SIGINT : SIGTERM, round, 1);
}

Test(stop_wait, mock_node_stops_on_bursts_of_signals, .timeout = 300) {
  for (int round = 0; round < 4; round++)
    stop_one(round, SIGTERM, round + 1, 25);
}

/* In-process: the waiter wakes for a signal taken by another thread, and
 * times out with 0 when none comes. */
static void *send_from_thread(void *arg) {
  (void)arg;
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_UNBLOCK, &all, NULL);
  raise(SIGTERM); /* raise() in a thread goes to that thread */
  return NULL;
}

Test(stop_wait, waiter_wakes_for_a_signal_taken_by_another_thread) {
  sp_stop_signal_clear();
  cr_assert_eq(sp_stop_signal_install(), 0);
  cr_assert_eq(sp_stop_signal_wait(10), 0);
  /* The main thread blocks the signal, so only the other thread can take
   * it: the waiter must still wake. */
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, send_from_thread, NULL), 0);
  cr_assert_eq(sp_stop_signal_wait(60000), SIGTERM);
  pthread_join(t, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  sp_stop_signal_clear();
  sp_stop_signal_restore();
}
