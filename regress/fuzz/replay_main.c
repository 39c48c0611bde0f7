/* Replays fuzz inputs through a fuzz target without libFuzzer: every file
 * named on the command line, or every file in a named folder. This is how
 * the regression corpus (regress/corpus/<target>/) runs in the normal test
 * suite with any compiler, and under valgrind.
 *
 * Like libFuzzer's -timeout, an input that runs too long is a failure (a
 * hang; hostile metadata once took minutes): each input gets
 * SUBPOW_REPLAY_TIMEOUT seconds of CPU time (default 10, 0 for none). CPU
 * time, not wall-clock time, so that a busy machine cannot fail it. */
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *current = "?";

static void too_slow(int sig) {
  (void)sig;
  /* async-signal-safe: write(2) and _exit(2) only */
  static const char a[] = "replay: input ", b[] =
                                                " ran past its CPU-time "
                                                "limit (SUBPOW_REPLAY_TIMEOUT):"
                                                " a hang\n";
  ssize_t w = write(2, a, sizeof a - 1);
  w = write(2, current, strlen(current));
  w = write(2, b, sizeof b - 1);
  (void)w;
  _exit(1);
}

static void arm(long seconds) {
  struct itimerval it = {.it_value = {.tv_sec = seconds}};
  setitimer(ITIMER_PROF, &it, NULL);
}

static long timeout_seconds(void) {
  const char *s = getenv("SUBPOW_REPLAY_TIMEOUT");
  if (s == NULL || *s == '\0') return 10;
  char *end;
  long v = strtol(s, &end, 10);
  return *end == '\0' && v >= 0 ? v : 10;
}

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return 1;
  }
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      uint8_t *bigger = realloc(buf, cap *= 2);
      if (bigger == NULL) break;
      buf = bigger;
    }
  }
  fclose(f);
  if (buf == NULL) return 1;
  /* An exact-size copy, so that ASan/valgrind see reads past the input. */
  uint8_t *exact = malloc(n ? n : 1);
  if (exact == NULL) {
    free(buf);
    return 1;
  }
  memcpy(exact, buf, n);
  free(buf);
  current = path;
  long limit = timeout_seconds();
  if (limit > 0) arm(limit);
  LLVMFuzzerTestOneInput(exact, n);
  if (limit > 0) arm(0);
  free(exact);
  return 0;
}

/* replay [--optional] PATH...: a folder named after --optional may be
 * absent (generated seeds of a target that has none). */
int main(int argc, char **argv) {
  int failures = 0, files = 0;
  signal(SIGPROF, too_slow);
  bool optional = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--optional") == 0) {
      optional = true;
      continue;
    }
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      if (optional) continue;
      fprintf(stderr, "replay: no such file or folder %s\n", argv[i]);
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      failures += replay_file(argv[i]);
      files++;
      continue;
    }
    DIR *d = opendir(argv[i]);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
      failures += replay_file(path);
      files++;
    }
    if (d != NULL) closedir(d);
  }
  printf("replayed %d inputs\n", files);
  return failures ? 1 : 0;
}
