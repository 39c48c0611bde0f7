/* Capturing a command's stdout and stderr into temporary files; see
 * fleet_internal.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fleet/fleet_internal.h"

static int temp_fd(void) {
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/subpow-fleet-XXXXXX",
           dir != NULL && dir[0] != '\0' ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd >= 0) unlink(path); /* gone when closed */
  return fd;
}

int sp_capture_begin(sp_capture *c) {
  c->saved_out = c->saved_err = c->fd_out = c->fd_err = -1;
  fflush(stdout);
  fflush(stderr);
  c->fd_out = temp_fd();
  c->fd_err = temp_fd();
  c->saved_out = dup(STDOUT_FILENO);
  c->saved_err = dup(STDERR_FILENO);
  if (c->fd_out < 0 || c->fd_err < 0 || c->saved_out < 0 || c->saved_err < 0 ||
      dup2(c->fd_out, STDOUT_FILENO) < 0 || dup2(c->fd_err, STDERR_FILENO) < 0) {
    int e = errno;
    if (c->saved_out >= 0) dup2(c->saved_out, STDOUT_FILENO);
    if (c->saved_err >= 0) dup2(c->saved_err, STDERR_FILENO);
    for (int *fd = &c->saved_out; fd <= &c->fd_err; fd++)
      if (*fd >= 0) close(*fd), *fd = -1;
    fprintf(stderr, "bench: cannot capture output: %s\n", strerror(e));
    return -1;
  }
  return 0;
}

/* Reads fd from its start, at most max bytes (then a note). */
static char *slurp(int fd, size_t max) {
  static const char cut[] = "\n[output cut: over the fleet's limit]\n";
  off_t size = lseek(fd, 0, SEEK_END);
  if (size < 0) size = 0;
  size_t want = (size_t)size > max ? max : (size_t)size;
  char *s = malloc(want + sizeof cut);
  if (s == NULL) return NULL;
  size_t got = 0;
  while (got < want) {
    ssize_t k = pread(fd, s + got, want - got, (off_t)got);
    if (k <= 0) break;
    got += (size_t)k;
  }
  /* NUL bytes would end the text early on the way to rank 0. */
  for (size_t i = 0; i < got; i++)
    if (s[i] == '\0') s[i] = '?';
  if ((size_t)size > max) {
    memcpy(s + got, cut, sizeof cut);
  } else {
    s[got] = '\0';
  }
  return s;
}

void sp_capture_end(sp_capture *c, size_t max, char **out, char **err) {
  fflush(stdout);
  fflush(stderr);
  dup2(c->saved_out, STDOUT_FILENO);
  dup2(c->saved_err, STDERR_FILENO);
  close(c->saved_out);
  close(c->saved_err);
  *out = slurp(c->fd_out, max);
  *err = slurp(c->fd_err, max);
  close(c->fd_out);
  close(c->fd_err);
}
