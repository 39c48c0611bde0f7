/* The error record; see error_record.h. */
#include "common/error_record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/sanitize.h"

/* Messages quote what nodes and files say (a node's error message, a
 * response's start): control characters, terminal escapes and invalid
 * UTF-8 are escaped (common/sanitize.h) so that a message stays the one
 * harmless line error_record.h promises, whatever came back. */
static void one_line(char *s, size_t cap) { sp_sanitize_inplace(s, cap); }

static void record(sp_error_record *err, int code, const char *fmt,
                   va_list ap) {
  err->code = code;
  err->cause = 0;
  err->sys_errno = 0;
  err->rpc_code = 0;
  err->http_status = 0;
  err->not_sent = false;
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  one_line(err->message, sizeof err->message);
}

int sp_error_fail(sp_error_record *err, int code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    record(err, code, fmt, ap);
    va_end(ap);
  }
  return -code;
}

int sp_error_fail_errno(sp_error_record *err, int errnum, const char *fmt,
                        ...) {
  int rc = sp_error_from_errno(-errnum);
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    record(err, -rc, fmt, ap);
    va_end(ap);
    err->sys_errno = errnum;
    size_t n = strlen(err->message);
    /* Truncation is fine: the start of the sentence is what matters. */
    snprintf(err->message + n, sizeof err->message - n, ": %s",
             strerror(errnum));
  }
  return rc;
}

int sp_error_wrap(sp_error_record *err, int fallback, const char *fmt, ...) {
  if (!err || err->code == 0) return fallback < 0 ? fallback : -fallback;
  char prefix[sizeof err->message];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  char joined[sizeof err->message];
  /* Truncation is fine: the start of the sentence is what matters. */
  if (snprintf(joined, sizeof joined, "%s: %s", prefix, err->message) >= 0)
    memcpy(err->message, joined, sizeof joined);
  one_line(err->message, sizeof err->message);
  return -err->code;
}

void sp_error_clear(sp_error_record *err) {
  if (err) memset(err, 0, sizeof *err);
}
