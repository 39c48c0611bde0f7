/*
 * Test support: a long-running child process (bench mock-node, bench
 * register) whose stdout and stderr are read as they come, so that a test
 * can wait for a line, send a signal at the right moment, and collect the
 * exit status with a deadline.
 */
#ifndef SUBPOW_REGRESS_PROCESS_H
#define SUBPOW_REGRESS_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct sp_proc {
  pid_t pid;
  int fd;    /* stdout and stderr, merged; -1 once closed */
  char *out; /* everything read so far, NUL-terminated */
  size_t len, cap;
  bool exited;
  int status; /* exit status, or 128 + signal number */
} sp_proc;

/* Starts argv[0] (a path) with stdout and stderr into one pipe; `env` (may
 * be NULL) holds "NAME=value" strings to set in the child. Returns 0. */
int sp_proc_start(sp_proc *p, char *const argv[], char *const env[]);

/* Reads output until `needle` appears (true) or `timeout_ms` passes or the
 * output ends (false). */
bool sp_proc_wait_for(sp_proc *p, const char *needle, int timeout_ms);

/* Reads until the process exits; returns its status, or -1 when it is still
 * running after `timeout_ms` (it is then killed with SIGKILL). */
int sp_proc_wait(sp_proc *p, int timeout_ms);

/* Sends a signal (nothing once it has exited and been waited for). */
void sp_proc_signal(sp_proc *p, int sig);

/* Kills (SIGKILL) when still running, reaps, frees the output. */
void sp_proc_free(sp_proc *p);

/* A TCP port on 127.0.0.1 that was free a moment ago (bound, then closed). */
uint16_t sp_free_port(void);

/* Starts `bench mock-node --port PORT` with the extra arguments (NULL-
 * terminated) and waits for its "listening on" line; returns 0 or -1. */
int sp_mock_node_process(sp_proc *p, uint16_t port, const char *arg, ...);

#endif
