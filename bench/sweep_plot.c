/* The plot step; see sweep_plot.h. */
#include "bench/sweep_plot.h"

#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"

extern char **environ;

/* The executable `name` (a path, or a name looked up on PATH) into out. */
static bool find_program(const char *name, char *out, size_t outlen) {
  if (strchr(name, '/') != NULL) {
    snprintf(out, outlen, "%s", name);
    return access(out, X_OK) == 0;
  }
  const char *path = getenv("PATH");
  if (path == NULL) path = "/usr/bin:/bin";
  while (*path) {
    size_t k = strcspn(path, ":");
    snprintf(out, outlen, "%.*s/%s", (int)k, path, name);
    if (k > 0 && access(out, X_OK) == 0) return true;
    path += k;
    if (*path == ':') path++;
  }
  return false;
}

int sp_sweep_plot(const char *script, const char *dir, char *msg,
                  size_t msglen) {
  const char *name = getenv("SUBPOW_GNUPLOT");
  if (name == NULL || name[0] == '\0') name = "gnuplot";
  char prog[1024], expr[2400];
  /* gnuplot string literals in single quotes cannot hold a single quote. */
  if (strchr(dir, '\'') != NULL) {
    snprintf(msg, msglen, "cannot plot: the directory name holds a quote");
    return -SP_EINVAL;
  }
  snprintf(expr, sizeof expr, "csv='%s/sweep.csv'; outdir='%s'", dir, dir);
  if (!find_program(name, prog, sizeof prog)) {
    snprintf(msg, msglen,
             "no plots: %s not found (install gnuplot-nox, e.g. with "
             "scripts/install-deps.sh), then run: gnuplot -e \"%s\" %s",
             name, expr, script);
    return 1;
  }
  char *argv[] = {prog, "-e", expr, (char *)script, NULL};
  pid_t pid;
  int rc = posix_spawn(&pid, prog, NULL, NULL, argv, environ);
  if (rc != 0) {
    snprintf(msg, msglen, "cannot run %s: %s", prog, strerror(rc));
    return -SP_EIO;
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) {
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    snprintf(msg, msglen, "gnuplot failed (status %d) on %s",
             WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), script);
    return -SP_EIO;
  }
  static const char *const made[] = {"sweep_cpu.png", "sweep_cpu.svg",
                                     "sweep_cuda.png", "sweep_cuda.svg"};
  size_t k = (size_t)snprintf(msg, msglen, "plots:");
  int n = 0;
  for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, made[i]);
    if (access(p, R_OK) == 0 && k < msglen) {
      k += (size_t)snprintf(msg + k, msglen - k, " %s", p);
      n++;
    }
  }
  if (n == 0) snprintf(msg, msglen, "gnuplot made no plot (no rows?)");
  return n ? 0 : -SP_EIO;
}
