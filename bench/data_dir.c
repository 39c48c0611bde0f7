/* The command's data folders; see data_dir.h. */
#include "bench/data_dir.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *sp_data_dir(const char *name, const char *source_dir) {
  static char vectors[PATH_MAX + 64], scripts[PATH_MAX + 64],
      other[PATH_MAX + 64];
  char *out = strcmp(name, "vectors") == 0   ? vectors
              : strcmp(name, "scripts") == 0 ? scripts
                                             : other;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash != NULL) {
      *slash = '\0'; /* <prefix>/bin */
      snprintf(out, sizeof vectors, "%s/../share/subpow/%s", exe, name);
      if (is_dir(out)) return out;
    }
  }
  return source_dir;
}
