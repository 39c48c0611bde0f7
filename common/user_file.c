/* Non-blocking, regular-file-only opens of user paths; see user_file.h. */
#include "common/user_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/sanitize.h"

const char *sp_user_file_strerror(int neg_errno) {
  switch (-neg_errno) {
  case ENOENT: return "no such file or directory";
  case EISDIR: return "is a directory, not a regular file";
  case EINVAL: return "not a regular file";
  default: return strerror(-neg_errno);
  }
}

static const char *kind_of(mode_t m) {
  if (S_ISDIR(m)) return "is a directory, not a regular file";
  if (S_ISFIFO(m)) return "is a FIFO, not a regular file";
  if (S_ISSOCK(m)) return "is a socket, not a regular file";
  if (S_ISCHR(m) || S_ISBLK(m)) return "is a device, not a regular file";
  return "not a regular file";
}

/* Fills `err` (see user_file.h) for the negative errno `neg` and returns
 * its code, sp_error_from_errno(neg). */
static int fail(const char *path, int neg, const char *why,
                sp_error_record *err) {
  int code = sp_error_from_errno(neg);
  if (err != NULL) {
    char shown[512];
    sp_sanitize(path, shown, sizeof shown);
    sp_error_fail(err, -code, "%s: %s", shown,
                  why != NULL ? why : sp_user_file_strerror(neg));
    err->sys_errno = -neg;
  }
  return code;
}

int sp_user_file_open(const char *path, int flags, mode_t mode,
                      sp_error_record *err) {
  if (path == NULL || path[0] == '\0')
    return fail("(empty path)", -ENOENT, NULL, err);
  int trunc = flags & O_TRUNC;
  flags &= ~O_TRUNC;
  int fd;
  do {
    fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int e = errno;
    /* A FIFO opened for writing without a reader (fifo(7)); a socket. */
    if (e == ENXIO || e == ENODEV || e == EOPNOTSUPP) {
      struct stat st;
      if (stat(path, &st) == 0)
        return fail(path, -EINVAL, kind_of(st.st_mode), err);
      return fail(path, -EINVAL, NULL, err);
    }
    return fail(path, -e, NULL, err);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return fail(path, -e, NULL, err);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return fail(path, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL,
                kind_of(st.st_mode), err);
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
      (trunc && ftruncate(fd, 0) != 0)) {
    int e = errno;
    close(fd);
    return fail(path, -e, NULL, err);
  }
  return fd;
}

FILE *sp_user_file_fopen(const char *path, int write, sp_error_record *err) {
  sp_error_record local = {0};
  sp_error_record *rec = err != NULL ? err : &local;
  int fd =
      write ? sp_user_file_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644, rec)
            : sp_user_file_open(path, O_RDONLY, 0, rec);
  if (fd < 0) {
    errno = rec->sys_errno;
    return NULL;
  }
  FILE *f = fdopen(fd, write ? "wb" : "rb");
  if (f == NULL) {
    int e = errno;
    close(fd);
    fail(path, -e, NULL, err);
    errno = e;
  }
  return f;
}
