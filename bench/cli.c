/* Command-line plumbing shared by the subcommands; see cli.h. */
#include "bench/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vectors.h"
#include "common/sanitize.h"

/* Messages quote what the user typed or a node sent, which may be a
 * megabyte long or hold newlines and terminal escapes: those are escaped
 * (common/sanitize.h: "\n", "\e", "\x9b") and the middle of a very long
 * message is elided, so that every error stays one readable line. */
#define MESSAGE_HEAD 600
#define MESSAGE_TAIL 300

int sp_cli_fail(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (msg == NULL) {
    fprintf(stderr, "bench %s: %s\n", cmd, fmt);
    return SP_EXIT_USAGE;
  }
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
  if (!sp_sanitize_is_clean(msg)) {
    size_t cap = (size_t)n * 4 + 4; /* an escape is at most 4 bytes a byte */
    char *clean = malloc(cap);
    if (clean == NULL) {
      free(msg);
      fprintf(stderr, "bench %s: %s\n", cmd, fmt);
      return SP_EXIT_USAGE;
    }
    sp_sanitize(msg, clean, cap);
    free(msg);
    msg = clean;
    n = (int)strlen(msg);
  }
  if (n > MESSAGE_HEAD + MESSAGE_TAIL + 5)
    fprintf(stderr, "bench %s: %.*s ... %s\n", cmd, MESSAGE_HEAD, msg,
            msg + n - MESSAGE_TAIL);
  else
    fprintf(stderr, "bench %s: %s\n", cmd, msg);
  free(msg);
  return SP_EXIT_USAGE;
}

void sp_cli_reset(void) {
  optind = 1;
  opterr = 0;
}

int sp_cli_next(const char *cmd, int argc, char **argv,
                const struct option *longopts) {
  int prev = optind;
  int c = getopt_long(argc, argv, ":", longopts, NULL);
  if (c == '?') {
    const char *bad = prev < argc ? argv[prev] : "?";
    if (optopt != 0)
      sp_cli_fail(cmd, "unknown option '-%c' (see bench %s --help)", optopt, cmd);
    else
      sp_cli_fail(cmd, "unknown option '%s' (see bench %s --help)", bad, cmd);
    return '?';
  }
  if (c == ':') {
    sp_cli_fail(cmd, "option '%s' needs a value", argv[optind - 1]);
    return '?';
  }
  return c;
}

int sp_cli_no_positional(const char *cmd, int argc, char **argv) {
  if (optind < argc)
    return sp_cli_fail(cmd, "unexpected argument '%s' (see bench %s --help)",
                       argv[optind], cmd);
  return 0;
}

int sp_cli_u64(const char *cmd, const char *flag, const char *s, uint64_t *out) {
  int rc = sp_parse_u64(s, out);
  if (rc == -SP_ERANGE)
    return sp_cli_fail(cmd, "%s: '%s' is larger than 2^64 - 1", flag, s);
  if (rc != 0)
    return sp_cli_fail(cmd, "%s: '%s' is not a non-negative decimal integer",
                       flag, s);
  return 0;
}

int sp_cli_int(const char *cmd, const char *flag, const char *s, long min,
               long max, long *out) {
  uint64_t v;
  if (sp_parse_u64(s, &v) != 0 || v > (uint64_t)max || (long)v < min)
    return sp_cli_fail(cmd, "%s: '%s' is not an integer from %ld to %ld", flag,
                       s, min, max);
  *out = (long)v;
  return 0;
}

int sp_cli_hex32(const char *cmd, const char *flag, const char *s,
                 uint8_t out[32]) {
  int rc = sp_hex_decode(s, 32, out, 32, NULL);
  if (rc != 0)
    return sp_cli_fail(cmd, "%s: %s (want 64 hex digits, optional 0x)", flag,
                       sp_strerror(rc));
  return 0;
}

int sp_cli_seconds(const char *cmd, const char *flag, const char *s,
                   double min, double max, double *out) {
  size_t digits = strspn(s, "0123456789");
  const char *p = s + digits;
  if (*p == '.') p += 1 + strspn(p + 1, "0123456789");
  double v = 0;
  if (digits > 0 && *p == '\0' && strlen(s) <= 32) {
    char *end = NULL;
    v = strtod(s, &end); /* only digits and a point are left for it */
    if (end != NULL && *end == '\0' && v >= min && v <= max) {
      *out = v;
      return 0;
    }
  }
  return sp_cli_fail(cmd, "%s: '%s' is not a number of seconds from %g to %g",
                     flag, s, min, max);
}

int sp_cli_rule(const char *cmd, const char *s, sp_rule *out) {
  if (sp_rule_parse(s, out) != 0)
    return sp_cli_fail(cmd, "--rule: '%s' is not one of sdk, chain-be, chain-le",
                       s);
  return 0;
}
