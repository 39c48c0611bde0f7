/* Test support: child processes read as they run; see process.h. */
#include "regress/support/process.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

int sp_proc_start(sp_proc *p, char *const argv[], char *const env[]) {
  memset(p, 0, sizeof *p);
  p->fd = -1;
  int fds[2];
  if (pipe(fds) != 0) return -1;
  p->pid = fork();
  if (p->pid < 0) return -1;
  if (p->pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    for (size_t i = 0; env != NULL && env[i] != NULL; i++)
      putenv(env[i]);
    execv(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  p->fd = fds[0];
  p->cap = 4096;
  p->out = calloc(1, p->cap);
  return p->out ? 0 : -1;
}

/* Reads what is there within `ms`; false at the end of the output. */
static bool pump(sp_proc *p, int ms) {
  if (p->fd < 0) return false;
  struct pollfd pf = {.fd = p->fd, .events = POLLIN};
  int r = poll(&pf, 1, ms);
  if (r <= 0) return r == 0 || errno == EINTR;
  if (p->len + 4096 + 1 > p->cap) {
    p->cap = (p->len + 4096 + 1) * 2;
    p->out = realloc(p->out, p->cap);
  }
  ssize_t n = read(p->fd, p->out + p->len, p->cap - p->len - 1);
  if (n <= 0) {
    close(p->fd);
    p->fd = -1;
    return false;
  }
  p->len += (size_t)n;
  p->out[p->len] = '\0';
  return true;
}

bool sp_proc_wait_for(sp_proc *p, const char *needle, int timeout_ms) {
  long long end = sp_monotonic_ms() + timeout_ms;
  while (strstr(p->out, needle) == NULL) {
    long long left = end - sp_monotonic_ms();
    if (left <= 0 || !pump(p, (int)(left < 100 ? left : 100))) break;
  }
  return strstr(p->out, needle) != NULL;
}

int sp_proc_wait(sp_proc *p, int timeout_ms) {
  long long end = sp_monotonic_ms() + timeout_ms;
  while (!p->exited) {
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid) {
      p->exited = true;
      p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (sp_monotonic_ms() >= end) {
      kill(p->pid, SIGKILL);
      waitpid(p->pid, &st, 0);
      p->exited = true;
      p->status = -1;
      break;
    }
    if (!pump(p, 50)) usleep(20000);
  }
  while (pump(p, 0) && p->fd >= 0) {
  }
  return p->status;
}

void sp_proc_signal(sp_proc *p, int sig) {
  if (!p->exited && p->pid > 0) kill(p->pid, sig);
}

void sp_proc_free(sp_proc *p) {
  if (!p->exited && p->pid > 0) {
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    p->exited = true;
  }
  if (p->fd >= 0) close(p->fd);
  p->fd = -1;
  free(p->out);
  p->out = NULL;
}

uint16_t sp_free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  uint16_t port = 0;
  if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
      getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
    port = ntohs(sa.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

int sp_mock_node_process(sp_proc *p, uint16_t port, const char *arg, ...) {
  char *argv[40];
  char port_text[8];
  snprintf(port_text, sizeof port_text, "%u", port);
  int n = 0;
  argv[n++] = (char *)SUBPOW_BENCH;
  argv[n++] = (char *)"mock-node";
  argv[n++] = (char *)"--port";
  argv[n++] = port_text;
  va_list ap;
  va_start(ap, arg);
  for (const char *a = arg; a != NULL && n < 39; a = va_arg(ap, const char *))
    argv[n++] = (char *)a;
  va_end(ap);
  argv[n] = NULL;
  if (sp_proc_start(p, argv, NULL) != 0) return -1;
  /* a port another test took meanwhile: the node says so and exits */
  return sp_proc_wait_for(p, "listening on", 10000) ? 0 : -1;
}
