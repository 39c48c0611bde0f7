/* mkdir -p; see dirs.h. */
#include "common/dirs.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"

int sp_make_dirs(const char *dir, mode_t mode) {
  char tmp[PATH_MAX];
  if (dir == NULL || dir[0] == '\0') return -SP_EINVAL;
  if (strlen(dir) >= sizeof tmp) return -SP_ERANGE;
  strcpy(tmp, dir);
  for (char *p = tmp + 1;; p++) {
    if (*p != '/' && *p != '\0') continue;
    char c = *p;
    *p = '\0';
    if (mkdir(tmp, mode) != 0 && errno != EEXIST)
      return errno == ENOTDIR ? -SP_ENOT_DIR : sp_error_from_errno(-errno);
    struct stat st;
    if (stat(tmp, &st) != 0) return sp_error_from_errno(-errno);
    if (!S_ISDIR(st.st_mode)) return -SP_ENOT_DIR; /* a file or a FIFO */
    *p = c;
    if (c == '\0') break;
  }
  return 0;
}

int sp_make_parent_dirs(const char *path, mode_t mode) {
  char tmp[PATH_MAX];
  if (path == NULL) return -SP_EINVAL;
  if (strlen(path) >= sizeof tmp) return -SP_ERANGE;
  strcpy(tmp, path);
  char *slash = strrchr(tmp, '/');
  if (slash == NULL) return 0;
  if (slash == tmp) return 0; /* "/file": the root exists */
  *slash = '\0';
  return sp_make_dirs(tmp, mode);
}
