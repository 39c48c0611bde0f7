/* Error records of the chain client library (see chain_error.h). */
#include "chain/codec/chain_error.h"
#include "util/sanitize.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Messages quote what nodes and files say (a node's error message, a
 * response's start): control characters, terminal escapes and invalid
 * UTF-8 are escaped (util/sanitize.h) so that a message stays the one
 * harmless line chain_error.h promises, whatever came back. */
static void one_line(char *s, size_t cap) { sp_sanitize_inplace(s, cap); }

int sp_chain_fail(sp_chain_error *err, int code, const char *fmt, ...) {
  if (err) {
    err->code = code;
    err->rpc_code = 0;
    err->http_status = 0;
    err->not_sent = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    one_line(err->message, sizeof err->message);
  }
  return -code;
}

int sp_chain_error_wrap(sp_chain_error *err, int fallback, const char *fmt,
                        ...) {
  if (!err || err->code == 0) return fallback < 0 ? fallback : -fallback;
  char prefix[256];
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

void sp_chain_error_clear(sp_chain_error *err) {
  if (err) memset(err, 0, sizeof *err);
}
