/* The solution journal; see journal.h. */
#include "registration/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "common/error_record.h"
#include "common/hex.h"
#include "common/sanitize.h"
#include "common/user_file.h"

/* The code (common/error.h, positive) of a failed system call on the
 * journal whose errno is `errnum`: a symbolic link, refused by O_NOFOLLOW
 * (ELOOP), is "not a regular file"; the rest as every file. */
static int journal_code(int errnum) {
  return errnum == ELOOP ? SP_ENOT_REGULAR : -sp_error_from_errno(-errnum);
}

/* Records a failed system call on the journal in `err` (may be NULL): its
 * code (journal_code), its errno and the message. Returns the negative
 * code. */
static int journal_fail(sp_error_record *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int journal_fail(sp_error_record *err, int errnum, const char *fmt,
                        ...) {
  int code = journal_code(errnum);
  if (err != NULL) {
    char message[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    sp_error_fail(err, code, "%s", message);
    err->sys_errno = errnum;
  }
  return -code;
}

/* Why `path` cannot be opened for appending (errno `errnum` from the open),
 * in words that name the real cause, recorded in `err` (may be NULL); `why`
 * is sp_user_file_open's line. Returns the negative code (journal_code). */
static int describe(const char *path, int errnum, const char *why,
                    sp_error_record *err) {
  int neg = -errnum;
  char shown[512];
  sp_sanitize(path, shown, sizeof shown);
  const char *reason = NULL;
  char buf[160];
  if (neg == -ENOENT) {
    /* open(2) says ENOENT both for a missing directory and for a file
     * system that makes no new files (procfs, for one): ask the directory */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    struct stat st;
    if (stat(dirname(dir), &st) != 0)
      reason = "its directory does not exist";
    else if (!S_ISDIR(st.st_mode))
      reason = "a component of the path is not a directory";
    else
      reason = "its directory exists, but its file system makes no new "
               "files there (a virtual file system such as /proc or /sys?)";
  } else if (neg == -ELOOP) {
    reason = "it is a symbolic link; the journal is never written through a "
             "link (it could point at any file): name the file itself";
  } else if (neg == -EACCES || neg == -EPERM) {
    reason = "no permission to write it";
  } else if (neg == -EROFS) {
    reason = "its file system is read-only";
  } else if (neg == -ENOTDIR) {
    reason = "a component of the path is not a directory";
  } else if (neg == -EISDIR || neg == -EINVAL) {
    reason = NULL; /* `why` names the path and what it is */
  } else {
    snprintf(buf, sizeof buf, "%s", strerror(-neg));
    reason = buf;
  }
  if (reason != NULL)
    return journal_fail(err, errnum, "cannot write the journal %s: %s", shown,
                        reason);
  return journal_fail(err, errnum, "cannot write the journal %s", why);
}

/* Opens the journal for appending: no FIFO blocks it, only a regular file
 * (common/user_file.h), never through a symbolic link. Read access as well
 * when it can be had, to look at the last byte. Returns the descriptor, or
 * a negative sp_error code with `err` filled (may be NULL; its sys_errno
 * is the open's errno). */
static int open_append(const char *path, int extra, mode_t mode, bool *rw,
                       sp_error_record *err) {
  sp_error_record why = {0};
  int base = O_APPEND | O_NOFOLLOW | extra;
  int fd = sp_user_file_open(path, O_RDWR | base, mode, &why);
  *rw = fd >= 0;
  if (fd < 0 && why.sys_errno == EACCES) /* write-only: still a journal */
    fd = sp_user_file_open(path, O_WRONLY | base, mode, &why);
  if (fd < 0) return describe(path, why.sys_errno, why.message, err);
  return fd;
}

/* The line of an entry (without its newline), or NULL. */
static char *entry_line(const sp_journal_entry *e) {
  char key[65], seal[65], g[65], block[24], nonce[24];
  sp_hex_encode(e->key, 32, key);
  sp_hex_encode(e->seal, 32, seal);
  sp_hex_encode(e->genesis, 32, g);
  snprintf(block, sizeof block, "%" PRIu64, e->block_number);
  snprintf(nonce, sizeof nonce, "%" PRIu64, e->nonce);
  json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s}",
                        "time", (json_int_t)time(NULL), "event", e->event,
                        "kind", e->kind, "node", e->node != NULL ? e->node : "",
                        "genesis", g, "netuid", e->netuid, "key", key,
                        "block_number", block, "nonce", nonce, "seal", seal);
  if (o == NULL) return NULL;
  if (e->detail != NULL)
    json_object_set_new(o, "detail", json_string(e->detail));
  if (e->xt != NULL && e->xt_hash != NULL) {
    char *x = malloc(2 * e->xt_len + 1);
    char h[65], first[24];
    if (x == NULL) {
      json_decref(o);
      return NULL;
    }
    sp_hex_encode(e->xt, e->xt_len, x);
    sp_hex_encode(e->xt_hash, 32, h);
    snprintf(first, sizeof first, "%" PRIu64, e->first_block);
    json_object_set_new(o, "extrinsic", json_string(x));
    json_object_set_new(o, "extrinsic_hash", json_string(h));
    json_object_set_new(o, "first_block", json_string(first));
    free(x);
  }
  char *line = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return line;
}

/* A write, fsync or close of the journal at `path` that failed with errno
 * `errnum`: recorded in `err` (may be NULL); returns the negative code. */
static int write_failed(const char *path, int errnum, sp_error_record *err) {
  char shown[512];
  sp_sanitize(path, shown, sizeof shown);
  return journal_fail(err, errnum, "cannot write the journal %s: %s", shown,
                      strerror(errnum));
}

int sp_journal_write(const char *path, const sp_journal_entry *e,
                     sp_error_record *err) {
  sp_error_clear(err);
  if (e == NULL || e->event == NULL || e->kind == NULL || e->key == NULL ||
      e->seal == NULL || e->genesis == NULL ||
      (e->xt != NULL && e->xt_len > SP_JOURNAL_XT_MAX))
    return sp_error_fail(err, SP_EINVAL,
                         "a journal entry names its event, kind, key, "
                         "seal and chain (genesis hash)");
  char *line = entry_line(e);
  if (line == NULL) return sp_error_fail(err, SP_ENOMEM, "out of memory");
  bool rw = false;
  int fd = open_append(path, O_CREAT, 0600, &rw, err);
  if (fd < 0) {
    free(line);
    return fd;
  }
  /* A crash mid-write leaves a last line without its newline: appended
   * onto, the next entry would be unreadable (and the solution in it lost).
   * Close the torn line first. Without read access, start with a newline
   * anyway: an empty line is skipped by every reader. */
  bool fresh = true;
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0) {
    char last = '\n';
    fresh = rw && pread(fd, &last, 1, st.st_size - 1) == 1 && last == '\n';
  }
  size_t len = strlen(line);
  char *buf = malloc(len + 2);
  int rc = 0;
  if (buf == NULL) {
    rc = sp_error_fail(err, SP_ENOMEM, "out of memory");
  } else {
    size_t n = 0;
    if (!fresh) buf[n++] = '\n';
    memcpy(buf + n, line, len);
    n += len;
    buf[n++] = '\n';
    /* one write: the line and its newline together (O_APPEND) */
    if (write(fd, buf, n) != (ssize_t)n || fsync(fd) != 0)
      rc = write_failed(path, errno ? errno : EIO, err);
  }
  if (close(fd) != 0 && rc == 0) rc = write_failed(path, errno, err);
  free(buf);
  free(line);
  return rc;
}

int sp_journal_append(const char *path, const sp_journal_entry *e) {
  return sp_journal_write(path, e, NULL);
}

int sp_journal_check(const char *path, sp_error_record *err) {
  /* An absent journal is created to prove its directory takes it, and
   * removed again: a run that finds nothing leaves no journal behind. */
  bool rw = false, created = false;
  sp_error_record rec = {0};
  int fd = open_append(path, 0, 0, &rw, &rec);
  if (fd < 0 && rec.sys_errno == ENOENT) {
    fd = open_append(path, O_CREAT | O_EXCL, 0600, &rw, &rec);
    created = fd >= 0;
  }
  if (fd >= 0) {
    close(fd);
    if (created) unlink(path);
    sp_error_clear(err);
    return 0;
  }
  if (err != NULL) *err = rec;
  return fd;
}

/* ---------------------------------------------------------- reading --- */

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

/* What an event says of its solution. */
typedef enum ev_class { EV_OTHER, EV_NOT_SENT, EV_SENT, EV_RESOLVED } ev_class;

static ev_class classify(const char *ev) {
  static const char *const resolved[] = {"included", "refused", "stale",
                                         "expired"};
  for (size_t i = 0; i < sizeof resolved / sizeof resolved[0]; i++)
    if (strcmp(ev, resolved[i]) == 0) return EV_RESOLVED;
  if (strcmp(ev, "found") == 0 || strcmp(ev, "unsent") == 0) return EV_NOT_SENT;
  if (strcmp(ev, "sending") == 0 || strcmp(ev, "unknown") == 0 ||
      strcmp(ev, "dropped") == 0 || strncmp(ev, "watch_", 6) == 0)
    return EV_SENT;
  return EV_OTHER;
}

/* Solutions followed while reading: more than a read hands back, so that
 * resolved ones do not crowd out the unresolved. */
#define TRACK_MAX 256

typedef struct tracked {
  sp_journal_pending p;
  bool resolved;
} tracked;

/* The tracked solution of `seal`, or a slot for it (the oldest block's is
 * given up when full and this one is newer); NULL: not tracked. */
static tracked *slot_for(tracked *t, size_t *n, const uint8_t seal[32],
                         uint64_t block) {
  for (size_t i = 0; i < *n; i++)
    if (memcmp(t[i].p.seal, seal, 32) == 0) return &t[i];
  tracked *s = NULL;
  if (*n < TRACK_MAX) {
    s = &t[(*n)++];
  } else {
    size_t oldest = 0;
    for (size_t i = 1; i < *n; i++)
      if (t[i].p.block_number < t[oldest].p.block_number) oldest = i;
    if (t[oldest].p.block_number >= block) return NULL;
    s = &t[oldest];
  }
  memset(s, 0, sizeof *s);
  memcpy(s->p.seal, seal, 32);
  return s;
}

/* A line of the query's chain, key, kind and netuid: its fields. */
static bool matches(const json_t *o, const sp_journal_query *q,
                    const char *want_key, const char *want_genesis) {
  const char *g = str_member(o, "genesis");
  return strcmp(str_member(o, "kind"), q->kind) == 0 &&
         strcasecmp(str_member(o, "key"), want_key) == 0 &&
         json_integer_value(json_object_get(o, "netuid")) == q->netuid &&
         (g[0] != '\0'
              ? q->genesis != NULL && strcasecmp(g, want_genesis) == 0
              : q->node != NULL && strcmp(str_member(o, "node"), q->node) == 0);
}

/* Takes one line into the table; false when it is not an entry. */
static bool take_line(const char *line, const sp_journal_query *q,
                      const char *want_key, const char *want_genesis,
                      tracked *t, size_t *n) {
  json_t *o = json_loads(line, 0, NULL);
  if (!json_is_object(o)) {
    json_decref(o);
    return false;
  }
  const char *ev = str_member(o, "event");
  uint64_t b = 0, nonce = 0;
  uint8_t seal[32];
  size_t seal_len = 0;
  bool entry =
      ev[0] != '\0' && strlen(ev) < sizeof t->p.event &&
      u64_text(str_member(o, "block_number"), &b) &&
      u64_text(str_member(o, "nonce"), &nonce) &&
      sp_hex_decode(str_member(o, "seal"), 32, seal, 32, &seal_len) == 0;
  ev_class cls = entry ? classify(ev) : EV_OTHER;
  if (entry && cls != EV_OTHER && b <= q->best &&
      matches(o, q, want_key, want_genesis)) {
    tracked *s = slot_for(t, n, seal, b);
    if (s != NULL) {
      s->p.block_number = b;
      s->p.nonce = nonce;
      snprintf(s->p.event, sizeof s->p.event, "%s", ev);
      s->resolved = cls == EV_RESOLVED;
      s->p.sent = cls == EV_SENT;
      uint64_t first = 0;
      size_t xl = 0;
      if (strcmp(ev, "sending") == 0 &&
          u64_text(str_member(o, "first_block"), &first) &&
          sp_hex_decode(str_member(o, "extrinsic_hash"), 32, s->p.xt_hash, 32,
                        NULL) == 0 &&
          sp_hex_decode(str_member(o, "extrinsic"), 0, s->p.xt, sizeof s->p.xt,
                        &xl) == 0 &&
          xl > 0) {
        s->p.have_xt = true;
        s->p.first_block = first;
        s->p.xt_len = xl;
      }
    }
  }
  json_decref(o);
  return entry;
}

static int newest_first(const void *a, const void *b) {
  const tracked *x = a, *y = b;
  return x->p.block_number < y->p.block_number   ? 1
         : x->p.block_number > y->p.block_number ? -1
                                                 : 0;
}

int sp_journal_read(const char *path, const sp_journal_query *q,
                    sp_journal_scan *out) {
  out->n = 0;
  out->unreadable = out->first_unreadable = 0;
  if (q == NULL || q->kind == NULL || q->key == NULL) return -SP_EINVAL;
  /* the one open of user paths: no FIFO blocks it, only a regular file */
  sp_error_record why = {0};
  int fd = sp_user_file_open(path, O_RDONLY | O_NOFOLLOW, 0, &why);
  if (fd < 0 && why.sys_errno == ENOENT) return 0;
  if (fd < 0) return -journal_code(why.sys_errno);
  struct stat st;
  bool tail = false;
  if (fstat(fd, &st) == 0 && st.st_size > (off_t)SP_JOURNAL_READ_MAX) {
    lseek(fd, st.st_size - (off_t)SP_JOURNAL_READ_MAX, SEEK_SET);
    tail = true; /* the first line read is likely a part of one */
  }
  FILE *f = fdopen(fd, "r");
  if (f == NULL) {
    int e = errno;
    close(fd);
    return -journal_code(e);
  }
  tracked *t = calloc(TRACK_MAX, sizeof *t);
  if (t == NULL) {
    fclose(f);
    return -SP_ENOMEM;
  }
  size_t n = 0;
  char want_key[65], want_genesis[65] = "";
  sp_hex_encode(q->key, 32, want_key);
  if (q->genesis != NULL) sp_hex_encode(q->genesis, 32, want_genesis);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  uint64_t number = 0;
  while ((len = getline(&line, &cap, f)) > 0) {
    number++;
    if (tail && number == 1) continue;
    bool blank = true;
    for (ssize_t i = 0; i < len && blank; i++)
      blank = line[i] == '\n' || line[i] == ' ' || line[i] == '\r';
    if (blank) continue; /* the newline that closed a torn line */
    if (!take_line(line, q, want_key, want_genesis, t, &n)) {
      if (out->unreadable++ == 0) out->first_unreadable = number;
    }
  }
  free(line);
  fclose(f);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!t[i].resolved) t[m++] = t[i];
  qsort(t, m, sizeof *t, newest_first);
  size_t k = m < SP_JOURNAL_PENDING_MAX ? m : SP_JOURNAL_PENDING_MAX;
  for (size_t i = 0; i < k; i++)
    out->pending[i] = t[i].p;
  out->n = k;
  free(t);
  return (int)k;
}
