/* The fleet's messages; see fleet_wire.h. */
#include "fleet/fleet_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/byte_order.h"

enum { HEADER = 4 };

typedef struct writer {
  uint8_t *p;
  size_t n, cap;
  bool over;
} writer;

static void put(writer *w, const void *src, size_t k) {
  if (w->over || w->cap - w->n < k) {
    w->over = true;
    return;
  }
  memcpy(w->p + w->n, src, k);
  w->n += k;
}

static void put_u8(writer *w, uint8_t v) { put(w, &v, 1); }

static void put_u32(writer *w, uint32_t v) {
  uint8_t b[4];
  sp_put_le32(b, v);
  put(w, b, 4);
}

static void put_u64(writer *w, uint64_t v) {
  uint8_t b[8];
  sp_put_le64(b, v);
  put(w, b, 8);
}

/* A fixed-size string field: the string cut to size - 1, NUL-padded. */
static void put_str(writer *w, const char *s, size_t size) {
  char field[SP_WIRE_DEVICE + SP_WIRE_ERR];
  memset(field, 0, size);
  size_t k = strnlen(s, size - 1);
  memcpy(field, s, k);
  put(w, field, size);
}

typedef struct reader {
  const uint8_t *p;
  size_t n, at;
} reader;

static uint8_t get_u8(reader *r) { return r->p[r->at++]; }

static uint32_t get_u32(reader *r) {
  r->at += 4;
  return sp_get_le32(r->p + r->at - 4);
}

static uint64_t get_u64(reader *r) {
  r->at += 8;
  return sp_get_le64(r->p + r->at - 8);
}

/* A string field: a NUL within it, printable ASCII before. */
static int get_str(reader *r, char *out, size_t size, const char *what,
                   sp_error_record *err) {
  const uint8_t *f = r->p + r->at;
  r->at += size;
  const uint8_t *nul = memchr(f, 0, size);
  if (nul == NULL)
    return sp_error_fail(err, SP_EINVAL, "its %s field has no terminating NUL",
                         what);
  for (const uint8_t *c = f; c < nul; c++)
    if (*c < 0x20 || *c > 0x7e)
      return sp_error_fail(err, SP_EINVAL,
                           "its %s field holds a non-printable byte 0x%02x",
                           what, *c);
  memcpy(out, f, (size_t)(nul - f) + 1);
  return 0;
}

static size_t body_size(int type) {
  switch (type) {
  case SP_WIRE_HELLO:
    return 1 + 4 + 4 + SP_WIRE_HOST + SP_WIRE_NAME + SP_WIRE_DEVICE +
           SP_WIRE_ISA + SP_WIRE_ERR;
  case SP_WIRE_ASSIGN: return 8 + 32 + 8 + 1 + 8 + 8;
  case SP_WIRE_ABORT: return 8;
  case SP_WIRE_END: return 4;
  case SP_WIRE_FOUND: return 8 + 8 + 32;
  case SP_WIRE_DONE: return 8 + 8 + 4 + SP_WIRE_ERR;
  case SP_WIRE_BEAT: return 0;
  case SP_WIRE_BYE: return 4;
  case SP_WIRE_REPORT: return 1 + 4 + SP_WIRE_HOST + 4 + 4; /* + texts */
  default: return 0;
  }
}

const char *sp_wire_type_name(int type) {
  static const char *const names[] = {"?",   "hello", "assign", "abort",
                                      "end", "found", "done",   "beat",
                                      "bye", "report"};
  return type >= 1 && type <= SP_WIRE_REPORT ? names[type] : "?";
}

size_t sp_wire_report_size(uint32_t len1, uint32_t len2) {
  return HEADER + body_size(SP_WIRE_REPORT) + (size_t)len1 + (size_t)len2;
}

size_t sp_wire_encode(const sp_wire_msg *m, uint8_t *buf, size_t cap) {
  writer w = {.p = buf, .cap = cap};
  put_u8(&w, SP_WIRE_MAGIC);
  put_u8(&w, SP_WIRE_VERSION);
  put_u8(&w, (uint8_t)m->type);
  put_u8(&w, 0);
  switch (m->type) {
  case SP_WIRE_HELLO:
    put_u8(&w, m->ok ? 1 : 0);
    put_u32(&w, m->units);
    put_u32(&w, m->n_devices);
    put_str(&w, m->host, SP_WIRE_HOST);
    put_str(&w, m->backend, SP_WIRE_NAME);
    put_str(&w, m->device, SP_WIRE_DEVICE);
    put_str(&w, m->isa, SP_WIRE_ISA);
    put_str(&w, m->err, SP_WIRE_ERR);
    break;
  case SP_WIRE_ASSIGN:
    put_u64(&w, m->seq);
    put(&w, m->work.block_and_hotkey_hash, 32);
    put_u64(&w, m->work.difficulty);
    put_u8(&w, (uint8_t)m->work.rule);
    put_u64(&w, m->range.start);
    put_u64(&w, m->range.count);
    break;
  case SP_WIRE_ABORT: put_u64(&w, m->seq); break;
  case SP_WIRE_END:
  case SP_WIRE_BYE: put_u32(&w, m->status); break;
  case SP_WIRE_FOUND:
    put_u64(&w, m->seq);
    put_u64(&w, m->nonce);
    put(&w, m->seal, 32);
    break;
  case SP_WIRE_DONE:
    put_u64(&w, m->seq);
    put_u64(&w, m->scanned);
    put_u32(&w, (uint32_t)m->rc);
    put_str(&w, m->err, SP_WIRE_ERR);
    break;
  case SP_WIRE_BEAT: break;
  case SP_WIRE_REPORT:
    put_u8(&w, (uint8_t)m->kind);
    put_u32(&w, m->status);
    put_str(&w, m->host, SP_WIRE_HOST);
    put_u32(&w, m->len1);
    put_u32(&w, m->len2);
    put(&w, m->text1, m->len1);
    put(&w, m->text2, m->len2);
    break;
  default: return 0;
  }
  return w.over ? 0 : w.n;
}

/* A malloc'd NUL-terminated copy of `len` bytes into *out. Returns 0, or
 * -SP_EINVAL (a NUL byte within) or -SP_ENOMEM, *out NULL. */
static int copy_text(const uint8_t *p, uint32_t len, const char *what,
                     char **out, sp_error_record *err) {
  *out = NULL;
  if (memchr(p, 0, len) != NULL)
    return sp_error_fail(err, SP_EINVAL, "its %s holds a NUL byte", what);
  char *s = malloc((size_t)len + 1);
  if (s == NULL)
    return sp_error_fail(err, SP_ENOMEM, "out of memory for a %u-byte %s", len,
                         what);
  memcpy(s, p, len);
  s[len] = '\0';
  *out = s;
  return 0;
}

int sp_wire_decode(const uint8_t *buf, size_t len, sp_wire_msg *m, char **text1,
                   char **text2, sp_error_record *err) {
  memset(m, 0, sizeof *m);
  if (text1) *text1 = NULL;
  if (text2) *text2 = NULL;
  if (len < HEADER)
    return sp_error_fail(err, SP_EINVAL,
                         "a %zu-byte message is shorter than a header", len);
  if (len > SP_WIRE_MAX)
    return sp_error_fail(err, SP_EINVAL,
                         "a %zu-byte message is over the %u-byte limit", len,
                         SP_WIRE_MAX);
  if (buf[0] != SP_WIRE_MAGIC || buf[1] != SP_WIRE_VERSION || buf[3] != 0)
    return sp_error_fail(
        err, SP_EINVAL,
        "not a subpow fleet message of version %d (magic 0x%02x, "
        "version %u)",
        SP_WIRE_VERSION, buf[0], buf[1]);
  int type = buf[2];
  if (type < SP_WIRE_HELLO || type > SP_WIRE_REPORT)
    return sp_error_fail(err, SP_EINVAL, "unknown message type %d", type);
  size_t want = HEADER + body_size(type);
  if (type == SP_WIRE_REPORT ? len < want : len != want)
    return sp_error_fail(err, SP_EINVAL,
                         "a %s message of %zu bytes (expected %s%zu)",
                         sp_wire_type_name(type), len,
                         type == SP_WIRE_REPORT ? "at least " : "", want);
  reader r = {.p = buf, .n = len, .at = HEADER};
  m->type = (sp_wire_type)type;
  switch (type) {
  case SP_WIRE_HELLO: {
    uint8_t ok = get_u8(&r);
    if (ok > 1)
      return sp_error_fail(err, SP_EINVAL, "hello: ok flag %u is not 0 or 1",
                           ok);
    m->ok = ok == 1;
    m->units = get_u32(&r);
    m->n_devices = get_u32(&r);
    if (get_str(&r, m->host, SP_WIRE_HOST, "host", err) ||
        get_str(&r, m->backend, SP_WIRE_NAME, "backend", err) ||
        get_str(&r, m->device, SP_WIRE_DEVICE, "device", err) ||
        get_str(&r, m->isa, SP_WIRE_ISA, "isa", err) ||
        get_str(&r, m->err, SP_WIRE_ERR, "error", err))
      return -SP_EINVAL; /* the record names the field */
    if (m->ok && (m->backend[0] == '\0' || m->n_devices == 0 ||
                  m->n_devices > 4096 || m->units > 1u << 20))
      return sp_error_fail(
          err, SP_EINVAL,
          "hello: an opened backend needs a name, 1..4096 devices and "
          "at most 2^20 units");
    return 0;
  }
  case SP_WIRE_ASSIGN: {
    m->seq = get_u64(&r);
    memcpy(m->work.block_and_hotkey_hash, buf + r.at, 32);
    r.at += 32;
    m->work.difficulty = get_u64(&r);
    uint8_t rule = get_u8(&r);
    if (rule > SP_RULE_CHAIN_LE)
      return sp_error_fail(err, SP_EINVAL, "assign: rule %u is not 0, 1 or 2",
                           rule);
    m->work.rule = (sp_rule)rule;
    m->range.start = get_u64(&r);
    m->range.count = get_u64(&r);
    if (m->range.count == 0)
      return sp_error_fail(err, SP_EINVAL, "assign: an empty nonce range");
    return 0;
  }
  case SP_WIRE_ABORT: m->seq = get_u64(&r); return 0;
  case SP_WIRE_END:
  case SP_WIRE_BYE:
    m->status = get_u32(&r);
    if (m->status > 255)
      return sp_error_fail(err, SP_EINVAL, "%s: status %u is over 255",
                           sp_wire_type_name(type), m->status);
    return 0;
  case SP_WIRE_FOUND:
    m->seq = get_u64(&r);
    m->nonce = get_u64(&r);
    memcpy(m->seal, buf + r.at, 32);
    return 0;
  case SP_WIRE_DONE:
    m->seq = get_u64(&r);
    m->scanned = get_u64(&r);
    m->rc = (int32_t)get_u32(&r);
    if (m->rc > 0 || m->rc < -1000)
      return sp_error_fail(err, SP_EINVAL,
                           "done: return code %d is not 0 or an error code",
                           m->rc);
    return get_str(&r, m->err, SP_WIRE_ERR, "error", err);
  case SP_WIRE_BEAT: return 0;
  case SP_WIRE_REPORT: {
    uint8_t kind = get_u8(&r);
    if (kind != SP_REPORT_STATUS && kind != SP_REPORT_RESULT)
      return sp_error_fail(err, SP_EINVAL, "report: unknown kind %u", kind);
    m->kind = (sp_report_kind)kind;
    m->status = get_u32(&r);
    if (m->status > 255)
      return sp_error_fail(err, SP_EINVAL, "report: status %u is over 255",
                           m->status);
    int rc = get_str(&r, m->host, SP_WIRE_HOST, "host", err);
    if (rc != 0) return rc;
    m->len1 = get_u32(&r);
    m->len2 = get_u32(&r);
    if ((uint64_t)m->len1 + m->len2 != len - r.at)
      return sp_error_fail(
          err, SP_EINVAL, "report: texts of %u and %u bytes in a %zu-byte body",
          m->len1, m->len2, len - r.at);
    if (text1 == NULL || text2 == NULL) return 0;
    rc = copy_text(buf + r.at, m->len1, "first text", text1, err);
    if (rc != 0) return rc;
    rc = copy_text(buf + r.at + m->len1, m->len2, "second text", text2, err);
    if (rc != 0) {
      free(*text1);
      *text1 = NULL;
      return rc;
    }
    m->text1 = *text1;
    m->text2 = *text2;
    return 0;
  }
  }
  /* not reached: the type was checked above */
  return sp_error_fail(err, SP_EINVAL, "unknown message type %d", type);
}
