/* Test support: fork/exec with captured output; see run_command.h. */
#include "regress/support/run_command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct buf {
  char *p;
  size_t n, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (b->p == NULL) abort();
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

int sp_run(char *const argv[], const char *stdin_text, sp_run_result *r) {
  int out[2], err[2], in[2];
  if (pipe(out) || pipe(err) || pipe(in)) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(in[1]);
    close(out[0]);
    close(err[0]);
    execv(argv[0], argv);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (stdin_text != NULL) {
    size_t len = strlen(stdin_text);
    if (write(in[1], stdin_text, len) !=
        (ssize_t)len) { /* child may exit early */
    }
  }
  close(in[1]);
  buf bo = {0}, be = {0};
  buf_add(&bo, "", 0);
  buf_add(&be, "", 0);
  struct pollfd fds[2] = {{.fd = out[0], .events = POLLIN},
                          {.fd = err[0], .events = POLLIN}};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char tmp[4096];
      ssize_t n = read(fds[i].fd, tmp, sizeof tmp);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        open_fds--;
      } else {
        buf_add(i == 0 ? &bo : &be, tmp, (size_t)n);
      }
    }
  }
  int st = 0;
  waitpid(pid, &st, 0);
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r->out = bo.p;
  r->err = be.p;
  return 0;
}

int sp_run_bench(sp_run_result *r, const char *arg, ...) {
  char *argv[64];
  int n = 0;
  argv[n++] = (char *)SUBPOW_BENCH;
  va_list ap;
  va_start(ap, arg);
  for (const char *a = arg; a != NULL && n < 63; a = va_arg(ap, const char *))
    argv[n++] = (char *)a;
  va_end(ap);
  argv[n] = NULL;
  return sp_run(argv, NULL, r);
}

void sp_run_result_free(sp_run_result *r) {
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

size_t sp_count_lines(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}
