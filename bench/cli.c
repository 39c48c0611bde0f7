/* Command-line plumbing shared by the subcommands; see cli.h. */
#include "bench/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sanitize.h"
#include "verify/vectors.h"

/* Messages quote what the user typed or a node sent, which may be a
 * megabyte long or hold newlines and terminal escapes: those are escaped
 * (common/sanitize.h: "\n", "\e", "\x9b") and the middle of a very long
 * message is elided, so that every error stays one readable line. */
#define MESSAGE_HEAD 600
#define MESSAGE_TAIL 300

static char prog[64] = "bench";

void sp_cli_set_prog(const char *argv0) {
  if (argv0 == NULL || argv0[0] == '\0') return;
  const char *base = strrchr(argv0, '/');
  base = base ? base + 1 : argv0;
  if (base[0] == '\0' || !sp_sanitize_is_clean(base)) return;
  snprintf(prog, sizeof prog, "%s", base);
}

const char *sp_cli_prog(void) { return prog; }

/* A "bench" that is a word of its own: not part of "benchmark" or of a
 * path such as "bench/cli.c". */
static bool word_at(const char *text, const char *p) {
  bool start = p == text || strchr(" \n(`'\"[", p[-1]) != NULL;
  char after = p[5];
  return start && (after == ' ' || after == '\n' || after == '\0' ||
                   after == '`' || after == ':' || after == ',' ||
                   after == '\'' || after == ')' || after == '.');
}

void sp_cli_help(FILE *out, const char *text) {
  const char *p = text;
  for (const char *q; (q = strstr(p, "bench")) != NULL; p = q + 5) {
    fwrite(p, 1, (size_t)(q - p), out);
    fputs(word_at(text, q) ? prog : "bench", out);
  }
  fputs(p, out);
}

void sp_cli_help_end(FILE *out) {
  fputs("common options:\n"
        "  -h, --help             this help\n"
        "  --quiet                no status on stderr: results (stdout) and\n"
        "                         errors only\n",
        out);
}

/* Levenshtein distance, capped: strings longer than 64 count as far. */
static size_t distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 64 || m > 64) return 99;
  size_t row[65];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

const char *sp_cli_suggest(const char *s, const char *const *names, size_t n) {
  size_t len = strlen(s);
  size_t limit = len <= 3 ? 1 : 2;
  const char *best = NULL;
  size_t best_d = limit + 1;
  for (size_t i = 0; i < n; i++) {
    size_t d = distance(s, names[i]);
    /* a prefix the user stopped typing ("--thread") is a likely typo too */
    if (d > limit && len >= 3 && strncmp(names[i], s, len) == 0) d = limit;
    if (d < best_d) best_d = d, best = names[i];
  }
  return best;
}

int sp_cli_fail(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (msg == NULL) {
    fprintf(stderr, "%s %s: %s\n", prog, cmd, fmt);
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
      fprintf(stderr, "%s %s: %s\n", prog, cmd, fmt);
      return SP_EXIT_USAGE;
    }
    sp_sanitize(msg, clean, cap);
    free(msg);
    msg = clean;
    n = (int)strlen(msg);
  }
  if (n > MESSAGE_HEAD + MESSAGE_TAIL + 5)
    fprintf(stderr, "%s %s: %.*s ... %s\n", prog, cmd, MESSAGE_HEAD, msg,
            msg + n - MESSAGE_TAIL);
  else
    fprintf(stderr, "%s %s: %s\n", prog, cmd, msg);
  free(msg);
  return SP_EXIT_USAGE;
}

/* btcli's spellings (bittensor_cli/cli.py, class Options, btcli 8.x:
 * wallet_name, wallet_path, wallet_hotkey, network, prompt; and the
 * pow-register/faucet flags of btcli <= 9.20.1: --processors,
 * --update-interval/-u, --use-cuda/--cuda, --dev-id/-d,
 * --threads-per-block/-tbp). */
static const sp_cli_alias aliases[] = {
    {"--wallet.name", "wallet-name", NULL},
    {"--wallet_name", "wallet-name", NULL},
    {"--name", "wallet-name", NULL},
    {"--wallet.path", "wallet-path", NULL},
    {"--wallet_path", "wallet-path", NULL},
    {"-p", "wallet-path", NULL},
    {"--wallet.hotkey", "wallet-hotkey", NULL},
    {"--wallet_hotkey", "wallet-hotkey", NULL},
    {"--hotkey", "wallet-hotkey", NULL},
    {"-H", "wallet-hotkey", NULL},
    {"--subtensor.network", "network", NULL},
    {"--subtensor.chain_endpoint", "network", NULL},
    {"--chain", "network", NULL},
    {"--no_prompt", "no-prompt", NULL},
    {"--yes", "no-prompt", NULL},
    {"-y", "no-prompt", NULL},
    {"--use-cuda", "backend", "cuda"},
    {"--cuda", "backend", "cuda"},
    {"--no-use-cuda", "backend", "cpu"},
    {"--no-cuda", "backend", "cpu"},
    {"--threads-per-block", "tpb", NULL},
    {"-tbp", "tpb", NULL},
    {"--processors", "threads", NULL},
    {"-u", "update-interval", NULL},
    {"-d", "dev-id", NULL},
    {"-h", "help", NULL},
};

const sp_cli_alias *sp_cli_aliases(size_t *n) {
  *n = sizeof aliases / sizeof aliases[0];
  return aliases;
}

/* The parser's state between sp_cli_reset and the end of the loop. */
static struct {
  bool fresh; /* the next sp_cli_next is the first of a loop */
  unsigned char seen[256];
  const char *repeatable[8];
  size_t n_repeatable;
  FILE *dump;
  bool quiet;
} state;

bool sp_cli_quiet(void) { return state.quiet; }

void sp_cli_status(const char *cmd, const char *fmt, ...) {
  if (state.quiet) return;
  char msg[1024], clean[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s %s: %s\n", prog, cmd,
          sp_sanitize(msg, clean, sizeof clean));
}

/* Rewritten argv tokens live here for the whole process: commands keep
 * optarg pointers into them. */
static char arena[16384];
static size_t arena_used;

void sp_cli_reset(void) {
  optind = 1;
  opterr = 0;
  state.fresh = true;
  memset(state.seen, 0, sizeof state.seen);
  state.n_repeatable = 0;
}

void sp_cli_repeatable(const char *name) {
  if (state.n_repeatable < sizeof state.repeatable / sizeof state.repeatable[0])
    state.repeatable[state.n_repeatable++] = name;
}

void sp_cli_dump_options(FILE *out) { state.dump = out; }

static const struct option *find_long(const struct option *o, const char *name,
                                      size_t len) {
  for (; o->name != NULL; o++)
    if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
  return NULL;
}

static char *arena_put(const char *a, const char *b, const char *c) {
  size_t need = strlen(a) + strlen(b) + strlen(c) + 1;
  if (arena_used + need > sizeof arena) return NULL;
  char *p = arena + arena_used;
  snprintf(p, need, "%s%s%s", a, b, c);
  arena_used += need;
  return p;
}

/* Rewrites the btcli spellings of argv[1..] in place (see cli.h). */
static void apply_aliases(int argc, char **argv,
                          const struct option *longopts) {
  for (int i = 1; i < argc; i++) {
    const char *t = argv[i];
    if (strcmp(t, "--") == 0) return;
    if (t[0] != '-' || t[1] == '\0') continue;
    size_t name_len = strcspn(t, "=");
    for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++) {
      const sp_cli_alias *a = &aliases[k];
      if (strlen(a->alias) != name_len || strncmp(t, a->alias, name_len) != 0)
        continue;
      bool is_long = a->alias[1] == '-';
      if (!is_long && t[name_len] == '=') break; /* "-p=x" is no spelling */
      if (is_long && find_long(longopts, a->alias + 2, name_len - 2)) break;
      const struct option *target =
          find_long(longopts, a->canonical, strlen(a->canonical));
      if (target == NULL) break;
      char *r = a->value ? arena_put("--", a->canonical, "=")
                         : arena_put("--", a->canonical, t + name_len);
      if (r != NULL && a->value != NULL) {
        arena_used--; /* the value goes over the NUL */
        if (arena_put(a->value, "", "") == NULL) r = NULL, arena_used++;
      }
      if (r != NULL) argv[i] = r;
      break;
    }
    /* skip the value of an option that takes one as the next token */
    const char *now = argv[i];
    if (now[0] == '-' && now[1] == '-' && strchr(now, '=') == NULL) {
      const struct option *o = find_long(longopts, now + 2, strlen(now + 2));
      if (o != NULL && o->has_arg == required_argument) i++;
    }
  }
}

/* "unknown option '--x'", with the closest option the command takes. */
static void unknown(const char *cmd, const char *bad,
                    const struct option *longopts) {
  const char *names[256];
  char buf[256][48];
  size_t n = 0;
  for (const struct option *o = longopts; o->name && n < 256; o++) {
    snprintf(buf[n], sizeof buf[n], "--%s", o->name);
    names[n] = buf[n];
    n++;
  }
  char typed[64];
  size_t len = strcspn(bad, "=");
  snprintf(typed, sizeof typed, "%.*s", (int)(len < 63 ? len : 63), bad);
  const char *near = sp_cli_suggest(typed, names, n);
  if (near != NULL)
    sp_cli_fail(cmd,
                "unknown option '%s'; did you mean '%s'? (see %s %s --help)",
                bad, near, prog, cmd);
  else
    sp_cli_fail(cmd, "unknown option '%s' (see %s %s --help)", bad, prog, cmd);
}

int sp_cli_next(const char *cmd, int argc, char **argv,
                const struct option *longopts) {
  if (state.dump != NULL) {
    for (const struct option *o = longopts; o->name != NULL; o++)
      fprintf(state.dump, "--%s%s\n", o->name,
              o->has_arg == required_argument ? "=" : "");
    return '?';
  }
  if (state.fresh) {
    state.fresh = false;
    apply_aliases(argc, argv, longopts);
  }
  int prev = optind;
  int index = -1;
  int c = getopt_long(argc, argv, ":", longopts, &index);
  if (c == SP_CLI_OPT_QUIET) {
    state.quiet = true;
    return sp_cli_next(cmd, argc, argv, longopts);
  }
  if (c == '?') {
    const char *bad = prev < argc ? argv[prev] : "?";
    if (optopt != 0) {
      char s[3] = {'-', (char)optopt, '\0'};
      unknown(cmd, s, longopts);
    } else {
      unknown(cmd, bad, longopts);
    }
    return '?';
  }
  if (c == ':') {
    sp_cli_fail(cmd, "option '%s' needs a value", argv[optind - 1]);
    return '?';
  }
  /* A value given twice is refused (which one was meant?); a switch given
   * twice is the same switch. */
  if (index >= 0 && index < 256 && longopts[index].has_arg != no_argument) {
    bool again = state.seen[index];
    for (size_t i = 0; i < state.n_repeatable; i++)
      if (strcmp(state.repeatable[i], longopts[index].name) == 0) again = false;
    if (again) {
      sp_cli_fail(cmd,
                  "option '--%s' given twice (give each value once; see "
                  "%s %s --help)",
                  longopts[index].name, prog, cmd);
      return '?';
    }
    state.seen[index] = 1;
  }
  return c;
}

int sp_cli_no_positional(const char *cmd, int argc, char **argv) {
  if (optind < argc)
    return sp_cli_fail(cmd, "unexpected argument '%s' (see %s %s --help)",
                       argv[optind], prog, cmd);
  return 0;
}

int sp_cli_u64(const char *cmd, const char *flag, const char *s,
               uint64_t *out) {
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

int sp_cli_seconds(const char *cmd, const char *flag, const char *s, double min,
                   double max, double *out) {
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
    return sp_cli_fail(cmd,
                       "--rule: '%s' is not one of sdk, chain-be, chain-le", s);
  return 0;
}

int sp_cli_work_take(const char *cmd, sp_cli_work *w, int c, const char *s) {
  switch (c) {
  case SP_OPT_BLOCK_HASH:
    if (sp_cli_hex32(cmd, "--block-hash", s, w->block_hash))
      return SP_EXIT_USAGE;
    w->have_block = true;
    return 0;
  case SP_OPT_HOTKEY:
    if (sp_cli_hex32(cmd, "--hotkey", s, w->hotkey)) return SP_EXIT_USAGE;
    w->have_hotkey = true;
    return 0;
  case SP_OPT_BLOCK_AND_HOTKEY_HASH:
    if (sp_cli_hex32(cmd, "--block-and-hotkey-hash", s, w->bahh))
      return SP_EXIT_USAGE;
    w->have_bahh = true;
    return 0;
  default: return sp_cli_fail(cmd, "option %d is no work option", c);
  }
}

int sp_cli_work_finish(const char *cmd, sp_cli_work *w) {
  if (w->have_bahh && (w->have_block || w->have_hotkey))
    return sp_cli_fail(cmd, "give either --block-and-hotkey-hash or "
                            "--block-hash with --hotkey, not both");
  if (!w->have_bahh && !(w->have_block && w->have_hotkey))
    return sp_cli_fail(cmd, w->have_block || w->have_hotkey
                                ? "--block-hash and --hotkey go together"
                                : "missing --block-and-hotkey-hash (or "
                                  "--block-hash and --hotkey)");
  if (!w->have_bahh)
    sp_hash_block_with_hotkey(w->block_hash, w->hotkey, w->bahh);
  return 0;
}
