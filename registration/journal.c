/* The solution journal; see journal.h. */
#include "registration/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reference/reference.h"
#include "util/user_file.h"

int sp_journal_append(const char *path, const sp_journal_entry *e) {
  char key[65], seal[65];
  sp_hex_encode(e->key, 32, key);
  sp_hex_encode(e->seal, 32, seal);
  char block[24], nonce[24];
  snprintf(block, sizeof block, "%" PRIu64, e->block_number);
  snprintf(nonce, sizeof nonce, "%" PRIu64, e->nonce);
  json_t *o =
      json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "time",
                (json_int_t)time(NULL), "event", e->event, "kind", e->kind,
                "node", e->node, "netuid", e->netuid, "key", key,
                "block_number", block, "nonce", nonce, "seal", seal);
  if (o == NULL) return -ENOMEM;
  if (e->detail != NULL)
    json_object_set_new(o, "detail", json_string(e->detail));
  char *line = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (line == NULL) return -ENOMEM;
  /* Never blocks on a FIFO, only ever a regular file (util/user_file.h). */
  int fd =
      sp_user_file_open(path, O_WRONLY | O_APPEND | O_CREAT, 0600, NULL, 0);
  int rc = 0;
  if (fd < 0) {
    rc = fd;
  } else {
    size_t len = strlen(line);
    line[len] = '\n'; /* the NUL's place: write the line and its newline */
    if (write(fd, line, len + 1) != (ssize_t)(len + 1) || fsync(fd) != 0)
      rc = errno ? -errno : -EIO;
    if (close(fd) != 0 && rc == 0) rc = -errno;
  }
  free(line);
  return rc;
}

int sp_journal_check(const char *path, char *err, size_t errlen) {
  /* A FIFO named as the journal must not block the open, and only a
   * regular file will do (util/user_file.h, the one open of user paths). */
  char why[1200];
  int fd = sp_user_file_open(path, O_WRONLY | O_APPEND | O_CREAT, 0600, why,
                             sizeof why);
  if (fd >= 0) {
    close(fd);
    return 0;
  }
  const char *reason = fd == -ENOENT    ? "its directory does not exist"
                       : fd == -EACCES  ? "no permission to write it"
                       : fd == -ENOTDIR ? "a component of the path is not a "
                                          "directory"
                                        : NULL;
  if (reason != NULL)
    snprintf(err, errlen, "cannot write the journal %s: %s", path, reason);
  else /* why names the path and what it is (a directory, a FIFO, ...) */
    snprintf(err, errlen, "cannot write the journal %s", why);
  return fd;
}
