/* Command-line plumbing shared by the subcommands; see cli.h. */
#include "bench/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vectors.h"
#include "util/sanitize.h"
#include "bench/backend_flags.h"

/* Messages quote what the user typed or a node sent, which may be a
 * megabyte long or hold newlines and terminal escapes: those are escaped
 * (util/sanitize.h: "\n", "\e", "\x9b") and the middle of a very long
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

const char sp_backend_args_help[] =
    "  --backend NAME         a registered backend (see bench verify --list),\n"
    "                         or auto: the fastest one verified on this machine\n"
    "  --threads N            CPU worker threads (default: one per core)\n"
    "  --per-hw-thread        CPU: default to one worker per hardware thread\n"
    "  --no-pin               CPU: do not bind workers to cores\n"
    "  --isa X                force a kernel path. CPU: avx512, avx512+shani,\n"
    "                         avx2+shani, avx2, shani, portable (default: the\n"
    "                         fastest this CPU runs); CUDA: a kernel variant\n"
    "                         (see results/cuda-h100.md)\n"
    "  --dev-id LIST          CUDA devices, comma-separated (default 0)\n"
    "  --tpb N                CUDA threads per block\n"
    "  --update-interval N    nonces per worker between checks for new work\n";

static int parse_dev_ids(const char *cmd, sp_backend_args *a, const char *arg) {
  char buf[512];
  if (strlen(arg) >= sizeof buf || arg[0] == '\0')
    return sp_cli_fail(cmd, "--dev-id: '%s' is not a list of device ids", arg);
  strcpy(buf, arg);
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    long id = 0;
    if (n == 64) return sp_cli_fail(cmd, "--dev-id: more than 64 devices");
    if (sp_cli_int(cmd, "--dev-id", t, 0, 1023, &id) != 0) return SP_EXIT_USAGE;
    for (int i = 0; i < n; i++)
      if (a->dev_ids[i] == id)
        return sp_cli_fail(cmd, "--dev-id: device %ld listed twice", id);
    a->dev_ids[n++] = (int)id;
  }
  if (n == 0 || arg[strlen(arg) - 1] == ',' || arg[0] == ',' ||
      strstr(arg, ",,") != NULL)
    return sp_cli_fail(cmd, "--dev-id: '%s' is not a list of device ids", arg);
  a->opts.dev_ids = a->dev_ids;
  a->opts.n_dev_ids = n;
  return 0;
}

int sp_backend_args_take(const char *cmd, sp_backend_args *a, int opt,
                         const char *arg) {
  long v = 0;
  uint64_t u;
  switch (opt) {
  case 1000:
    a->backend = arg;
    return 0;
  case 1001:
    if (sp_cli_int(cmd, "--threads", arg, 1, 4096, &v) != 0) return SP_EXIT_USAGE;
    a->opts.threads = (int)v;
    return 0;
  case 1002:
    a->opts.isa = arg;
    return 0;
  case 1003:
    return parse_dev_ids(cmd, a, arg);
  case 1004:
    if (sp_cli_int(cmd, "--tpb", arg, 1, 1024, &v) != 0) return SP_EXIT_USAGE;
    a->opts.tpb = (int)v;
    return 0;
  case 1005:
    if (sp_cli_u64(cmd, "--update-interval", arg, &u) != 0) return SP_EXIT_USAGE;
    if (u == 0) return sp_cli_fail(cmd, "--update-interval: must be at least 1");
    a->opts.update_interval = u;
    return 0;
  case 1006:
    a->opts.per_hw_thread = true;
    return 0;
  case 1007:
    a->opts.no_pin = true;
    return 0;
  default:
    return sp_cli_fail(cmd, "internal: unknown backend option %d", opt);
  }
}

int sp_cli_open_backend(const char *cmd, const char *name,
                        const sp_backend_options *opts,
                        const sp_backend_vtable **vt, sp_backend **b) {
  if (strcmp(name, "auto") == 0) {
    if (sp_cli_open_auto(cmd, opts, vt, b)) return SP_EXIT_USAGE;
    sp_cli_check_backend_flags(cmd, *vt, opts, true); /* warns */
    return 0;
  }
  *vt = sp_backend_find(name);
  if (*vt == NULL) {
    const sp_backend_vtable *const *list;
    size_t n = sp_backend_registry(&list);
    char names[256] = "";
    for (size_t i = 0; i < n; i++) {
      if (i) strncat(names, ", ", sizeof names - strlen(names) - 1);
      strncat(names, list[i]->name, sizeof names - strlen(names) - 1);
    }
    return sp_cli_fail(cmd, "--backend: unknown backend '%s' (built in: %s)",
                       name, names);
  }
  if (sp_cli_check_backend_flags(cmd, *vt, opts, false)) return SP_EXIT_USAGE;
  char err[512] = "";
  int rc = (*vt)->open(opts, b, err, sizeof err);
  if (rc != 0)
    return sp_cli_fail(cmd, "%s: %s", name, err[0] ? err : "cannot open backend");
  return 0;
}
