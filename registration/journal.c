/* The solution journal; see journal.h. */
#include "registration/journal.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reference/reference.h"
#include "common/user_file.h"

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
  if (e->genesis != NULL) {
    char g[65];
    sp_hex_encode(e->genesis, 32, g);
    json_object_set_new(o, "genesis", json_string(g));
  }
  char *line = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (line == NULL) return -ENOMEM;
  /* Never blocks on a FIFO, only ever a regular file (common/user_file.h). */
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
   * regular file will do (common/user_file.h, the one open of user paths). An
   * absent journal is created to prove its directory takes it, and removed
   * again: a run that finds nothing leaves no journal behind. */
  char why[1200];
  bool created = false;
  int fd = sp_user_file_open(path, O_WRONLY | O_APPEND, 0, why, sizeof why);
  if (fd == -ENOENT) {
    fd = sp_user_file_open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL, 0600,
                           why, sizeof why);
    created = fd >= 0;
  }
  if (fd >= 0) {
    close(fd);
    if (created) unlink(path);
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

/* A member that is a string, or "". */
static const char *str_member(const json_t *o, const char *k) {
  const char *v = json_string_value(json_object_get(o, k));
  return v ? v : "";
}

static bool u64_text(const char *t, uint64_t *out) {
  if (*t < '0' || *t > '9') return false;
  uint64_t v = 0;
  for (; *t; t++) {
    if (*t < '0' || *t > '9') return false;
    unsigned d = (unsigned)(*t - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

#define PENDING_MAX 64 /* solutions of one block kept while reading */

int sp_journal_find_pending(const char *path, const char *kind,
                            const uint8_t key[32], uint16_t netuid,
                            const uint8_t genesis[32], const char *node,
                            sp_journal_pending *out) {
  /* the one open of user paths: no FIFO blocks it, only a regular file */
  int fd = sp_user_file_open(path, O_RDONLY, 0, NULL, 0);
  if (fd == -ENOENT) return 0;
  if (fd < 0) return fd;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return -e;
  }
  if (st.st_size > (off_t)SP_JOURNAL_READ_MAX)
    lseek(fd, st.st_size - (off_t)SP_JOURNAL_READ_MAX, SEEK_SET);
  FILE *f = fdopen(fd, "r");
  if (f == NULL) {
    int e = errno;
    close(fd);
    return -e;
  }
  char want_key[65], want_genesis[65];
  sp_hex_encode(key, 32, want_key);
  if (genesis != NULL) sp_hex_encode(genesis, 32, want_genesis);
  sp_journal_pending seen[PENDING_MAX];
  size_t n_seen = 0;
  uint64_t block = 0;
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    json_t *o = json_loads(line, 0, NULL);
    if (!json_is_object(o)) {
      json_decref(o);
      continue;
    }
    const char *g = str_member(o, "genesis");
    uint64_t b = 0, nonce = 0;
    uint8_t seal[32];
    size_t seal_len = 0;
    const char *ev = str_member(o, "event");
    bool match =
        strcmp(str_member(o, "kind"), kind) == 0 &&
        strcasecmp(str_member(o, "key"), want_key) == 0 &&
        json_integer_value(json_object_get(o, "netuid")) == netuid &&
        (g[0] != '\0' ? genesis != NULL && strcasecmp(g, want_genesis) == 0
                      : node != NULL &&
                            strcmp(str_member(o, "node"), node) == 0) &&
        u64_text(str_member(o, "block_number"), &b) &&
        u64_text(str_member(o, "nonce"), &nonce) &&
        sp_hex_decode(str_member(o, "seal"), 0, seal, 32, &seal_len) == 0 &&
        seal_len == 32 && strlen(ev) < sizeof seen[0].event;
    if (match && b >= block) {
      if (b > block) n_seen = 0, block = b;
      size_t i = 0;
      while (i < n_seen && memcmp(seen[i].seal, seal, 32) != 0)
        i++;
      if (i == n_seen && n_seen < PENDING_MAX) {
        n_seen++;
        seen[i].block_number = b;
        seen[i].nonce = nonce;
        memcpy(seen[i].seal, seal, 32);
      }
      if (i < n_seen) snprintf(seen[i].event, sizeof seen[i].event, "%s", ev);
    }
    json_decref(o);
  }
  free(line);
  fclose(f);
  for (size_t i = n_seen; i-- > 0;) {
    const char *ev = seen[i].event;
    if (strcmp(ev, "found") == 0 || strcmp(ev, "unknown") == 0 ||
        strcmp(ev, "unsent") == 0) {
      *out = seen[i];
      return 1;
    }
  }
  return 0;
}
