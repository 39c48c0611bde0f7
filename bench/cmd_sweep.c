/* bench sweep: every backend over its settings, measured through the engine;
 * CSV, JSON and plots with the machine described. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "autoselect/auto_backend.h"
#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/data_dir.h"
#include "bench/fleet_cmd.h"
#include "bench/json_out.h"
#include "bench/machine_info.h"
#include "bench/perf_gate.h"
#include "bench/progress_bar.h"
#include "bench/sweep_gate.h"
#include "bench/sweep_plot.h"
#include "bench/sweep_table.h"
#include "common/clock.h"
#include "common/dirs.h"
#include "common/user_file.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "fleet/fleet.h"
#include "registry/registry.h"
#include "verify/vectors.h"

#ifndef SUBPOW_SCRIPTS_DIR
#define SUBPOW_SCRIPTS_DIR "scripts"
#endif

static const char help_head[] =
    "usage: bench sweep [--backend NAME]... [--seconds S] [--warmup S]\n"
    "                   [--out DIR] [--max-threads N] [--SETTING-list L]...\n"
    "                   [--no-plot]\n"
    "                   [--plot-script FILE] [--no-progress] [--dry-run]\n"
    "                   [--samples N] [--baseline FILE [--tolerance P]]\n"
    "                   [backend options]\n"
    "\n"
    "Measures each backend at each setting for S seconds (default 2, after a\n"
    "warm-up of --warmup seconds, default 0.25), through the solve engine on\n"
    "work that no nonce solves, one worker (a backend without a --threads\n"
    "setting: 1..N workers, one instance each). The settings each backend\n"
    "sweeps, in order, the last one fastest (the x axis):\n"
    "%s"
    "A setting swept whole takes 1..--max-threads (default: the CPUs this\n"
    "process may use); %s\n"
    "replace a backend's values. Default backends: every GPU backend that\n"
    "opens here and the fastest CPU backend. A setting given as a backend\n"
    "option (--threads, --isa, --no-pin, ...) fixes that dimension.\n"
    "Writes DIR/sweep.csv and DIR/sweep.json (each row: backend, settings,\n"
    "rate, device, host, CPU model, cores, GPU driver, CUDA version, SM\n"
    "clock, and a command measuring that point again) and plots them with\n"
    "gnuplot and scripts/plot_sweep.gp into DIR/sweep_cpu.png and\n"
    "DIR/sweep_cuda.png. DIR defaults to results/<UTC date>-<host> (with -2,\n"
    "-3, ... when it exists). A progress bar runs on stderr. --dry-run lists\n"
    "the points only. --json prints the outcome (or with --dry-run the\n"
    "points) as one JSON object on stdout; --quiet drops the progress bar.\n"
    "Exit 0 when at least one point was measured, 2 on bad\n"
    "usage or when nothing could run, 128 + signal after SIGINT/SIGTERM (the\n"
    "points measured so far are written).\n"
    "  --samples N     measure each point N times (1 .. 16; default 1, 3\n"
    "                  with --baseline); its rate is the best sample\n"
    "  --baseline F    compare every point with F, the sweep.json of an\n"
    "                  earlier sweep on the same machine: faster, same or\n"
    "                  slower (docs/verify-gate.md); verdicts in "
    "DIR/gate.json;\n"
    "                  exit 1 when a point is slower beyond --tolerance "
    "(percent,\n"
    "                  default 3) and the samples' noise, 2 when F is of\n"
    "                  another machine\n"
    "backend options:\n";

enum { MAX_LIST = 64, MAX_POINTS = 4096 };

typedef struct point {
  const sp_backend_vtable *vt;
  sp_backend_options opts;
  int workers;
  char series[96];
  char label[160];
  char command[256];
} point;

enum { MAX_SETTINGS = SP_REGISTRY_MAX_SETTINGS };

typedef struct sweep_opts {
  const char *backends[8];
  int n_backends;
  double seconds, warmup;
  const char *out, *script;
  /* --NAME-list of setting i of sp_backend_settings_all() (or its value
   * given as a backend flag): the values it takes instead of the backend's */
  uint64_t list[MAX_SETTINGS][MAX_LIST];
  int n_list[MAX_SETTINGS];
  /* 1..--max-threads (default: the CPUs this process may use): the values
   * of an integer setting swept whole, and the workers of a CPU backend
   * without a threads setting */
  uint64_t upto[MAX_LIST];
  int n_upto;
  bool plot, progress, dry_run, json;
  int samples;          /* measurements per point (0: 1, 3 with a baseline) */
  const char *baseline; /* --baseline: an earlier sweep.json */
  double tolerance;     /* --tolerance, percent */
} sweep_opts;

/* The setting whose values are the engine's workers for a CPU backend
 * without it (the reference): `bench sweep --threads-list` sets both. */
static const char workers_setting[] = "threads";

/* The index of setting `name` in sp_backend_settings_all(), or -1. */
static int setting_index(const char *name) {
  const sp_setting_info *const *set;
  size_t n = sp_backend_settings_all(&set);
  for (size_t i = 0; i < n; i++)
    if (strcmp(set[i]->name, name) == 0) return (int)i;
  return -1;
}

/* Whether `bench sweep` takes --NAME-list for setting `s`: a number that
 * some backend sweeps (built here or not, as the flags). */
static bool has_list(const sp_setting_info *s) {
  if (s->type != SP_SETTING_INT && s->type != SP_SETTING_U64) return false;
  const sp_setting_info *rows[16];
  size_t n = sp_backend_setting_rows(s->name, rows, 16);
  for (size_t i = 0; i < n; i++)
    if (rows[i]->sweep != SP_SWEEP_NONE) return true;
  return false;
}

static int parse_seconds(const char *flag, const char *s, double lo, double hi,
                         double *out) {
  return sp_cli_seconds("sweep", flag, s, lo, hi, out); /* as every flag */
}

/* "a,b,c" of integers in [lo, hi]; no empty items, at most MAX_LIST. */
static int parse_list(const char *flag, const char *s, uint64_t lo, uint64_t hi,
                      uint64_t *out, int *n) {
  *n = 0;
  const char *p = s;
  for (;;) {
    size_t k = strcspn(p, ",");
    char item[32];
    if (k == 0 || k >= sizeof item || *n == MAX_LIST)
      return sp_cli_fail("sweep",
                         "%s: '%s' is not a comma-separated list of "
                         "at most %d numbers",
                         flag, s, MAX_LIST);
    memcpy(item, p, k);
    item[k] = '\0';
    uint64_t v;
    if (sp_parse_u64(item, &v) != 0 || v < lo || v > hi)
      return sp_cli_fail(
          "sweep", "%s: '%s' is not an integer from %" PRIu64 " to %" PRIu64,
          flag, item, lo, hi);
    out[(*n)++] = v;
    p += k;
    if (*p == '\0') break;
    p++;
  }
  return 0;
}

static void describe_sweeps(char *out, size_t cap);

/* The sweep's own options followed by one --NAME-list per setting that
 * takes one (has_list), built once. */
static const struct option *sweep_options(void) {
  static const struct option own[] = {
      {"seconds", required_argument, NULL, 's'},
      {"warmup", required_argument, NULL, 'W'},
      {"out", required_argument, NULL, 'o'},
      {"max-threads", required_argument, NULL, 'M'},
      {"no-plot", no_argument, NULL, 'n'},
      {"plot-script", required_argument, NULL, 'g'},
      {"no-progress", no_argument, NULL, 'q'},
      {"dry-run", no_argument, NULL, 'd'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"samples", required_argument, NULL, 'S'},
      {"baseline", required_argument, NULL, 'B'},
      {"tolerance", required_argument, NULL, 'O'},
      {"help", no_argument, NULL, 'h'},
      SP_BACKEND_LONGOPTS};
  enum { N_OWN = sizeof own / sizeof own[0] };
  static struct option all[N_OWN + MAX_SETTINGS + 1];
  static char names[MAX_SETTINGS][80];
  if (all[0].name == NULL) {
    memcpy(all, own, sizeof own);
    const sp_setting_info *const *set;
    size_t n = sp_backend_settings_all(&set), k = N_OWN;
    for (size_t i = 0; i < n; i++) {
      if (!has_list(set[i])) continue;
      snprintf(names[i], sizeof names[i], "%s-list", set[i]->name);
      all[k++] = (struct option){names[i], required_argument, NULL,
                                 SP_OPT_SWEEP_LIST + (int)i};
    }
  }
  return all;
}

/* Reads argv into *o and *ba. Returns 0, SP_EXIT_USAGE after one line on
 * stderr, or SP_CLI_DONE after --help or --isa help (bench/cli.h: the help
 * was printed and the command ends with SP_EXIT_OK). */
static int parse(int argc, char **argv, sweep_opts *o, sp_backend_args *ba) {
  const char *cmd = "sweep";
  const sp_setting_info *const *set;
  size_t n_set = sp_backend_settings_all(&set);
  long max_threads = 0;
  int c;
  sp_cli_reset();
  sp_cli_repeatable("backend"); /* [--backend NAME]... */
  while ((c = sp_cli_next(cmd, argc, argv,
                          sp_backend_longopts(sweep_options()))) != -1) {
    switch (c) {
    case 's':
      if (parse_seconds("--seconds", optarg, 0.05, 600, &o->seconds)) return 2;
      break;
    case 'W':
      if (parse_seconds("--warmup", optarg, 0, 60, &o->warmup)) return 2;
      break;
    case 'o':
      if (optarg[0] == '\0') return sp_cli_fail(cmd, "--out: empty path");
      o->out = optarg;
      break;
    case 'M':
      if (sp_cli_int(cmd, "--max-threads", optarg, 1, 4096, &max_threads))
        return 2;
      break;
    case 'n': o->plot = false; break;
    case 'g': o->script = optarg; break;
    case 'q': o->progress = false; break;
    case 'd': o->dry_run = true; break;
    case 'j': o->json = true; break;
    case 'S': {
      long k;
      if (sp_cli_int(cmd, "--samples", optarg, 1, 16, &k)) return 2;
      o->samples = (int)k;
      break;
    }
    case 'B': o->baseline = optarg; break;
    case 'O':
      if (parse_seconds("--tolerance", optarg, 0, 100, &o->tolerance)) return 2;
      break;
    case 'h': {
      char dims[2048], lists[512] = "";
      describe_sweeps(dims, sizeof dims);
      for (size_t i = 0, k = 0; i < n_set && k < sizeof lists; i++)
        if (has_list(set[i]))
          k += (size_t)snprintf(lists + k, sizeof lists - k, "%s--%s-list",
                                k ? ", " : "", set[i]->name);
      char text[sizeof help_head + sizeof dims + sizeof lists];
      snprintf(text, sizeof text, help_head, dims,
               lists[0] ? lists : "(no setting takes a list)");
      sp_cli_help(stdout, text);
      sp_backend_args_print_help(stdout);
      sp_cli_help_end(stdout);
      return SP_CLI_DONE;
    }
    case SP_OPT_BACKEND:
      if (strcmp(optarg, "auto") == 0)
        return sp_cli_fail(cmd, "--backend auto: name the backends to sweep");
      if (sp_backend_find(optarg) == NULL) {
        const sp_backend_vtable *vt;
        sp_backend *b;
        return sp_cli_open_backend(cmd, optarg, &ba->opts, &vt, &b);
      }
      if (o->n_backends == 8) return sp_cli_fail(cmd, "at most 8 --backend");
      o->backends[o->n_backends++] = optarg;
      break;
    default:
      if (sp_backend_args_is_option(c)) {
        int rc = sp_backend_args_take(cmd, ba, c, optarg);
        if (rc != 0) return rc; /* SP_CLI_DONE: as after --help */
        break;
      }
      if (c >= SP_OPT_SWEEP_LIST && c < SP_OPT_SWEEP_LIST_END &&
          (size_t)(c - SP_OPT_SWEEP_LIST) < n_set) {
        size_t i = (size_t)(c - SP_OPT_SWEEP_LIST);
        char flag[80];
        snprintf(flag, sizeof flag, "--%s-list", set[i]->name);
        if (parse_list(flag, optarg, set[i]->min, set[i]->max, o->list[i],
                       &o->n_list[i]))
          return 2;
        break;
      }
      return 2;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return 2;
  if (o->samples == 0) o->samples = o->baseline ? 3 : 1;
  if (o->baseline != NULL && sp_fleet_active())
    return sp_cli_fail(cmd, "--baseline compares one machine: run it "
                            "without mpirun/srun");
  for (size_t i = 0; i < n_set; i++) {
    if (max_threads && o->n_list[i] && set[i]->sweep == SP_SWEEP_ALL)
      return sp_cli_fail(cmd, "give --max-threads or --%s-list, not both",
                         set[i]->name);
    if (has_list(set[i]) && sp_setting_given(set[i], &ba->opts)) {
      o->list[i][0] = sp_setting_number(set[i], &ba->opts); /* fixed */
      o->n_list[i] = 1;
    }
  }
  long n = max_threads ? max_threads : sp_get_cpu_count();
  if (n > MAX_LIST) n = MAX_LIST;
  for (long i = 0; i < n; i++)
    o->upto[i] = (uint64_t)i + 1;
  o->n_upto = (int)n;
  return 0;
}

static int add_point(point *pts, size_t *n, const point *p) {
  if (*n == MAX_POINTS)
    return sp_cli_fail("sweep", "more than %d points: narrow the lists",
                       MAX_POINTS);
  pts[(*n)++] = *p;
  return 0;
}

/* "0,1": the ids given to a list-of-ids setting (--dev-id) in `o`. */
static void id_list(const sp_backend_options *o, char *out, size_t outlen) {
  size_t k = 0;
  out[0] = '\0';
  for (int i = 0; i < o->n_dev_ids && k < outlen; i++)
    k += (size_t)snprintf(out + k, outlen - k, "%s%d", i ? "," : "",
                          o->dev_ids[i]);
}

/* The values of one swept dimension of a point. */
typedef struct dimension {
  const sp_setting_info *info;
  int n;
  uint64_t num[MAX_LIST];     /* numbers; a switch 0/1 */
  const char *name[MAX_LIST]; /* names (NULL: the backend's default) */
} dimension;

/* The values setting `info` takes in this sweep: what the user fixed, the
 * user's list, or the backend's own. */
static void dimension_of(const sweep_opts *o, const sp_backend_args *ba,
                         const sp_backend_vtable *vt,
                         const sp_setting_info *info, dimension *d) {
  memset(d, 0, sizeof *d);
  d->info = info;
  bool all = info->sweep == SP_SWEEP_ALL;
  bool given = sp_setting_given(info, &ba->opts);
  int u = setting_index(info->name);
  switch (info->type) {
  case SP_SETTING_SWITCH:
    d->num[d->n++] = given ? 1 : 0;
    if (!given && all) d->num[d->n++] = 1;
    return;
  case SP_SETTING_NAME: {
    const char *const *names = NULL;
    const char *fixed = sp_setting_name_value(info, &ba->opts);
    size_t k = 0;
    if (fixed != NULL) {
      names = &fixed;
      k = 1;
    } else if (all && vt->choices != NULL) {
      k = vt->choices(info->name, &names);
    }
    if (k == 0) d->name[d->n++] = NULL; /* the backend's own choice */
    for (size_t i = 0; i < k && d->n < MAX_LIST; i++)
      d->name[d->n++] = names[i];
    return;
  }
  case SP_SETTING_INT:
  case SP_SETTING_U64:
    if (u >= 0 && o->n_list[u]) { /* given, or the user's list */
      for (int t = 0; t < o->n_list[u]; t++)
        d->num[d->n++] = o->list[u][t];
    } else if (all) {
      for (int t = 0; t < o->n_upto && o->upto[t] <= info->max; t++)
        d->num[d->n++] = o->upto[t];
    } else {
      for (int t = 0; t < SP_SWEEP_VALUES && info->sweep_values[t]; t++)
        d->num[d->n++] = info->sweep_values[t];
    }
    break;
  default: break;
  }
  if (d->n == 0) d->num[d->n++] = 0;
}

/* Sets dimension d's value i in `opts`. */
static void apply(const dimension *d, int i, sp_backend_options *opts) {
  if (d->info->type == SP_SETTING_NAME)
    sp_setting_set_name(d->info, opts, d->name[i]);
  else
    sp_setting_set_number(d->info, opts, d->num[i]);
}

/* Appends " word" for the label ("isa=avx2", "pinned"), "/word" for the
 * series ("avx2", "ui=256") or " --flag value" for the command. */
static size_t describe_value(const dimension *d, int i, int form, char *out,
                             size_t cap) {
  const sp_setting_info *s = d->info;
  const char *flag = s->name;
  const char *word = s->word ? s->word : s->name;
  switch (s->type) {
  case SP_SETTING_SWITCH:
    if (form == 2)
      return (size_t)snprintf(out, cap, "%s%s", d->num[i] ? " --" : "",
                              d->num[i] ? flag : "");
    return (size_t)snprintf(
        out, cap, "%s%s", form ? "/" : " ",
        d->num[i] ? word : (s->off_word ? s->off_word : "default"));
  case SP_SETTING_NAME: {
    const char *v = d->name[i];
    if (form == 2)
      return v ? (size_t)snprintf(out, cap, " --%s %s", flag, v) : 0;
    if (form == 1) return (size_t)snprintf(out, cap, "/%s", v ? v : "default");
    return (size_t)snprintf(out, cap, " %s=%s", flag, v ? v : "default");
  }
  default:
    if (form == 2)
      return (size_t)snprintf(out, cap, " --%s %" PRIu64, flag, d->num[i]);
    return (size_t)snprintf(out, cap, "%s%s=%" PRIu64, form ? "/" : " ",
                            form ? word : flag, d->num[i]);
  }
}

static size_t clip(size_t k, size_t cap) { return k < cap ? k : cap - 1; }

/* The points of one backend, in plot order (each series contiguous): every
 * combination of the swept settings, in the backend's order, the last one
 * (the x axis) fastest. A CPU backend without a threads setting (the
 * reference) is swept over 1..N workers, one instance each. */
static int plan_backend(const sweep_opts *o, const sp_backend_args *ba,
                        const sp_backend_vtable *vt, point *pts, size_t *n) {
  point p;
  memset(&p, 0, sizeof p);
  p.vt = vt;
  p.opts = ba->opts;
  p.workers = 1;
  if (vt->kind == SP_DEVICE_CPU &&
      sp_backend_setting(vt, workers_setting) == NULL) {
    int u = setting_index(workers_setting);
    const uint64_t *workers = u >= 0 && o->n_list[u] ? o->list[u] : o->upto;
    int n_workers = u >= 0 && o->n_list[u] ? o->n_list[u] : o->n_upto;
    for (int t = 0; t < n_workers; t++) {
      if (workers[t] > MAX_LIST)
        return sp_cli_fail("sweep", "%s: at most %d workers", vt->name,
                           MAX_LIST);
      p.workers = (int)workers[t];
      p.opts.threads = 0;
      snprintf(p.series, sizeof p.series, "%s", vt->name);
      snprintf(p.label, sizeof p.label, "%s workers=%d", vt->name, p.workers);
      snprintf(p.command, sizeof p.command, "%s sweep --backend %s --%s %d",
               sp_cli_prog(), vt->name, workers_setting, p.workers);
      if (add_point(pts, n, &p)) return 2;
    }
    return 0;
  }
  static dimension dims[MAX_SETTINGS];
  int nd = 0;
  char devs[300] = "";
  for (const sp_setting_info *i = vt->settings; i && i->name; i++) {
    if (i->sweep != SP_SWEEP_NONE && nd < MAX_SETTINGS)
      dimension_of(o, ba, vt, i, &dims[nd++]);
    if (i->type == SP_SETTING_ID_LIST && ba->opts.n_dev_ids > 0) {
      char ids[280];
      id_list(&ba->opts, ids, sizeof ids);
      snprintf(devs, sizeof devs, " --%s %s", i->name, ids);
    }
  }
  int at[MAX_SETTINGS] = {0};
  for (;;) {
    p.opts = ba->opts;
    for (int d = 0; d < nd; d++)
      apply(&dims[d], at[d], &p.opts);
    /* series: the name and every dimension but the x axis; label and
     * command: the x axis first, then the others in order. */
    size_t ks =
        clip((size_t)snprintf(p.series, sizeof p.series, "%s", vt->name),
             sizeof p.series);
    size_t kl = clip((size_t)snprintf(p.label, sizeof p.label, "%s", vt->name),
                     sizeof p.label);
    size_t kc = clip((size_t)snprintf(p.command, sizeof p.command,
                                      "%s hashrate --backend %s", sp_cli_prog(),
                                      vt->name),
                     sizeof p.command);
    for (int r = 0; r < nd; r++) {
      int d = r == 0 ? nd - 1 : r - 1; /* x axis first */
      if (d != nd - 1)
        ks = clip(ks + describe_value(&dims[d], at[d], 1, p.series + ks,
                                      sizeof p.series - ks),
                  sizeof p.series);
      kl = clip(kl + describe_value(&dims[d], at[d], 0, p.label + kl,
                                    sizeof p.label - kl),
                sizeof p.label);
      kc = clip(kc + describe_value(&dims[d], at[d], 2, p.command + kc,
                                    sizeof p.command - kc),
                sizeof p.command);
    }
    snprintf(p.command + kc, sizeof p.command - kc, "%s", devs);
    if (add_point(pts, n, &p)) return 2;
    int d = nd - 1;
    while (d >= 0 && ++at[d] == dims[d].n)
      at[d--] = 0;
    if (d < 0) break;
  }
  return 0;
}

/* What each built-in backend sweeps, for --help. */
static void describe_sweeps(char *out, size_t cap) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  size_t k = 0;
  out[0] = '\0';
  for (size_t i = 0; i < n && k < cap; i++) {
    const sp_backend_vtable *vt = list[i];
    k += (size_t)snprintf(out + k, cap - k, "  %-10s", vt->name);
    bool any = false;
    for (const sp_setting_info *s = vt->settings; s && s->name; s++) {
      if (s->sweep == SP_SWEEP_NONE || k >= cap) continue;
      k += (size_t)snprintf(out + k, cap - k, " --%s ", s->name);
      if (s->sweep == SP_SWEEP_ALL && k < cap)
        k += (size_t)snprintf(out + k, cap - k, "(all)");
      for (int v = 0; s->sweep == SP_SWEEP_LIST && v < SP_SWEEP_VALUES &&
                      s->sweep_values[v] && k < cap;
           v++)
        k += (size_t)snprintf(out + k, cap - k, "%s%" PRIu64, v ? "," : "",
                              s->sweep_values[v]);
      any = true;
    }
    if (!any && k < cap)
      k += (size_t)snprintf(out + k, cap - k, " 1..N workers");
    if (k < cap) k += (size_t)snprintf(out + k, cap - k, "\n");
  }
}

/* The default backends: every GPU backend that opens here, and the default
 * CPU backend. */
static int default_backends(const sp_backend_args *ba, const char **names,
                            int *n) {
  *n = 0;
  const sp_backend_vtable *const *list;
  size_t count = sp_backend_registry(&list);
  for (size_t i = 0; i < count && *n < 7; i++) {
    if (list[i]->kind != SP_DEVICE_GPU) continue;
    sp_backend *b = NULL;
    if (list[i]->open(&ba->opts, &b, NULL) == 0) {
      list[i]->close(b);
      names[(*n)++] = list[i]->name;
    }
  }
  names[(*n)++] = sp_backend_default()->name;
  return 0;
}

typedef struct progress_ctx {
  sp_progress *pg;
  size_t step;
  double done_before, total; /* seconds of this point */
  const char *label;
} progress_ctx;

static void on_stats(void *user, const sp_solve_stats *s) {
  progress_ctx *c = user;
  sp_progress_update(c->pg, c->step,
                     (c->done_before + s->time_spent_total) / c->total,
                     c->label);
}

/* Runs the engine on `bs` for `seconds`; hashes done and time taken from
 * start to the last worker joined. Returns the engine event; when it is not
 * SP_ENGINE_TIME_LIMIT, `err` (not NULL) says why: the engine's and the
 * backends' calls write their sentence into err->message. */
static sp_engine_event run_engine(const point *p, sp_backend **bs, bool *in_use,
                                  double seconds, progress_ctx *pc,
                                  uint64_t *hashes, double *elapsed,
                                  sp_error_record *err) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.time_limit_s = seconds;
  cfg.stats_ms = 100;
  cfg.on_stats = on_stats;
  cfg.on_stats_user = pc;
  sp_engine *e;
  if (sp_engine_create(&cfg, &e, err) != 0) return SP_ENGINE_NOT_STARTED;
  for (int i = 0; i < p->workers; i++)
    sp_engine_add_worker(e, p->vt, bs[i], 0, err);
  uint8_t block_hash[32] = {0}, key[32] = {0};
  sp_block_work w;
  /* Difficulty 2^64 - 1: about one nonce in 2^64 solves, so only hashing
   * is measured. */
  sp_block_work_make(1, block_hash, key, UINT64_MAX, SP_RULE_CHAIN_LE, &w);
  sp_engine_publish_work(e, &w);
  double t0 = sp_monotonic_seconds();
  sp_engine_event ev = SP_ENGINE_NOT_STARTED;
  if (sp_engine_start(e, err) == 0) {
    sp_engine_solution s;
    while ((ev = sp_engine_run(e, &s)) == SP_ENGINE_SOLUTION) {
    }
    if (ev == SP_ENGINE_WORKER_ERROR)
      sp_error_fail(err, SP_EUNAVAILABLE, "%s", sp_engine_error(e));
  }
  int missing = sp_engine_stop_and_join(e, 5000);
  *elapsed = sp_monotonic_seconds() - t0;
  sp_solve_stats st;
  sp_engine_stats(e, &st);
  *hashes = st.hashes_total;
  /* A worker that did not leave its scan still uses its backend after the
   * destroy: the caller must not close that one (it is left to the late
   * worker; the sweep stops, see below). */
  for (int i = 0; i < p->workers; i++)
    in_use[i] = in_use[i] || sp_engine_worker_in_use(e, i);
  sp_engine_destroy(e);
  if (missing && ev == SP_ENGINE_TIME_LIMIT) {
    sp_error_fail(err, SP_EUNAVAILABLE, "%d worker(s) did not stop within 5 s",
                  missing);
    ev = SP_ENGINE_WORKER_ERROR;
  }
  return ev;
}

/* CPU time (user + system) of this process so far, in seconds. */
static double cpu_seconds(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* Measures one point into *row. Returns the engine event of the timed run,
 * or SP_ENGINE_NOT_STARTED when the backend did not open; `err` (not NULL)
 * says why (the backend's open writes its sentence into err->message).
 * *busy: other processes wanted the cores during the timed run, so the
 * rate may be low: it was preempted more often than `--backend auto`
 * allows (SP_AUTO_BUSY_PREEMPTIONS_PER_S), or, for a CPU backend, its
 * hashing threads got less than 80% of the CPU time they could have had
 * (a CPU-bound neighbour takes long time slices and preempts seldom). */
static sp_engine_event measure(const sweep_opts *o, const point *p,
                               sp_progress *pg, size_t step, sp_sweep_row *row,
                               bool *busy, sp_error_record *err) {
  sp_backend *bs[MAX_LIST];
  for (int i = 0; i < p->workers; i++)
    if (p->vt->open(&p->opts, &bs[i], err) != 0) {
      for (int j = 0; j < i; j++)
        p->vt->close(bs[j]);
      return SP_ENGINE_NOT_STARTED;
    }
  memset(row, 0, sizeof *row);
  snprintf(row->backend, sizeof row->backend, "%s", p->vt->name);
  snprintf(row->series, sizeof row->series, "%s", p->series);
  snprintf(row->command, sizeof row->command, "%s", p->command);
  row->workers = p->workers;
  row->tpb = p->opts.tpb;
  row->update_interval = p->opts.update_interval;
  bool gpu = p->vt->kind == SP_DEVICE_GPU;
  row->pinned = sp_backend_setting(p->vt, "no-pin") != NULL && !p->opts.no_pin;
  for (int i = 0; i < p->workers; i++) {
    int nd = p->vt->device_count(bs[i]);
    for (int d = 0; d < nd; d++) {
      sp_device_info di;
      p->vt->describe(bs[i], d, &di);
      if (i == 0 && d == 0) {
        snprintf(row->device, sizeof row->device, "%s", di.name);
        snprintf(row->isa, sizeof row->isa, "%s", di.isa);
      }
      row->units += di.units;
    }
  }
  row->threads = gpu ? 0 : row->units;
  progress_ctx pc = {.pg = pg,
                     .step = step,
                     .total = o->warmup + o->seconds,
                     .label = p->label};
  uint64_t hashes = 0;
  double elapsed = 0;
  sp_engine_event ev = SP_ENGINE_TIME_LIMIT;
  bool in_use[MAX_LIST] = {false};
  if (o->warmup > 0)
    ev = run_engine(p, bs, in_use, o->warmup, &pc, &hashes, &elapsed, err);
  /* --samples: the point measured again; its rate is the best sample
   * (perf_gate.h says why); busy when any sample was. */
  *busy = false;
  for (int k = 0; k < o->samples && ev == SP_ENGINE_TIME_LIMIT; k++) {
    uint64_t h = 0;
    double e = 0;
    pc.done_before = o->warmup + k * o->seconds;
    long preempted = sp_auto_preemptions();
    double cpu0 = cpu_seconds();
    ev = run_engine(p, bs, in_use, o->seconds, &pc, &h, &e, err);
    preempted = sp_auto_preemptions() - preempted;
    double cpu = cpu_seconds() - cpu0;
    long can_run =
        row->threads < sp_get_cpu_count() ? row->threads : sp_get_cpu_count();
    if (e > 0 && ((double)preempted / e > SP_AUTO_BUSY_PREEMPTIONS_PER_S ||
                  (!gpu && can_run > 0 && cpu < 0.8 * (double)can_run * e)))
      *busy = true;
    double rate = e > 0 ? (double)h / e : 0;
    row->samples[row->n_samples++] = rate;
    row->hashes += h;
    row->seconds += e;
    if (rate > row->hashes_per_second) row->hashes_per_second = rate;
  }
  (void)hashes, (void)elapsed;
  if (gpu) {
    snprintf(row->gpu_name, sizeof row->gpu_name, "%s", row->device);
    sp_gpu_info g;
    int dev = p->opts.n_dev_ids ? p->opts.dev_ids[0] : 0;
    if (sp_gpu_info_query(dev, &g) == 0) {
      snprintf(row->gpu_driver, sizeof row->gpu_driver, "%s", g.driver);
      snprintf(row->cuda_version, sizeof row->cuda_version, "%s",
               g.cuda_version);
      row->sm_clock_mhz = g.sm_clock_mhz;
      row->max_sm_clock_mhz = g.max_sm_clock_mhz;
    }
  }
  for (int i = 0; i < p->workers; i++)
    if (!in_use[i]) p->vt->close(bs[i]); /* never under a late worker */
  return ev;
}

/* results/<date>-<host>, or with -2, -3, ... when it exists. */
static void default_dir(const sp_sweep_table *t, char *out, size_t outlen) {
  char base[400];
  snprintf(base, sizeof base, "results/%.10s-%s", t->date, t->machine.host);
  snprintf(out, outlen, "%s", base);
  for (int i = 2; access(out, F_OK) == 0 && i < 1000; i++)
    snprintf(out, outlen, "%s-%d", base, i);
}

static int write_file(const char *dir, const char *name,
                      const sp_sweep_table *t,
                      int (*fn)(const sp_sweep_table *, FILE *)) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  sp_error_record oerr = {0};
  FILE *f = sp_user_file_fopen(path, 1, &oerr); /* no FIFO */
  if (f == NULL) return sp_cli_fail("sweep", "cannot write %s", oerr.message);
  if (fn(t, f) != 0) {
    if (f) fclose(f);
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  }
  if (fclose(f) != 0)
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  return 0;
}

static void join_command(int argc, char **argv, char *out, size_t outlen) {
  size_t k = (size_t)snprintf(out, outlen, "%s", sp_cli_prog());
  for (int i = 0; i < argc && k < outlen; i++)
    k += (size_t)snprintf(out + k, outlen - k, " %s", argv[i]);
}

static void describe_best(const sp_sweep_row *r, bool busy, char *out,
                          size_t outlen) {
  char rate[64];
  snprintf(rate, sizeof rate, "%.3f MH/s", r->hashes_per_second / 1e6);
  snprintf(out, outlen, "best %s: %s (%s; %s)%s", r->backend, rate, r->series,
           r->command,
           busy ? " (machine busy while measured: may be low, measure "
                  "again on a quiet machine)"
                : "");
}

int sp_cmd_sweep(int argc, char **argv) {
  sweep_opts o = {.seconds = 2,
                  .warmup = 0.25,
                  .tolerance = SP_PERF_TOLERANCE * 100,
                  .plot = true,
                  .progress = true,
                  .script = NULL};
  char script[PATH_MAX + 80];
  snprintf(script, sizeof script, "%s/plot_sweep.gp",
           sp_data_dir("scripts", SUBPOW_SCRIPTS_DIR));
  o.script = script;
  sp_backend_args ba = {0};
  int rc = parse(argc, argv, &o, &ba);
  if (rc != 0) return rc == SP_CLI_DONE ? SP_EXIT_OK : SP_EXIT_USAGE;
  if (o.n_backends == 0) default_backends(&ba, o.backends, &o.n_backends);

  static point pts[MAX_POINTS];
  size_t n = 0;
  for (int i = 0; i < o.n_backends; i++)
    if (plan_backend(&o, &ba, sp_backend_find(o.backends[i]), pts, &n))
      return SP_EXIT_USAGE;
  if (o.dry_run && o.json) {
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(
          list, json_pack("{s:o, s:o}", "label", sp_json_str(pts[i].label),
                          "command", sp_json_str(pts[i].command)));
    sp_json_print(
        stdout,
        json_pack("{s:o, s:o}", "points", list, "seconds_estimate",
                  sp_json_fixed((double)n * (o.seconds + o.warmup), 0)));
    return SP_EXIT_OK;
  }
  if (o.dry_run) {
    for (size_t i = 0; i < n; i++)
      printf("%s\t%s\n", pts[i].label, pts[i].command);
    printf("%zu points, about %.0f s\n", n, (double)n * (o.seconds + o.warmup));
    return SP_EXIT_OK;
  }

  sp_sweep_table t = {0};
  sp_machine_info_read(&t.machine);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(t.date, sizeof t.date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  join_command(argc, argv, t.command, sizeof t.command);
  char dir[1024];
  if (o.out != NULL)
    snprintf(dir, sizeof dir, "%s", o.out);
  else
    default_dir(&t, dir, sizeof dir);
  int dirs =
      sp_fleet_rank() == 0 ? sp_make_dirs(dir, 0755) : 0; /* rank 0 writes */
  if (dirs != 0)
    return sp_cli_fail("sweep", "--out: cannot create directory %s: %s", dir,
                       sp_strerror(dirs));

  sp_progress pg;
  sp_progress_init(
      &pg,
      o.progress && !sp_cli_quiet() && sp_fleet_rank() == 0 ? stderr : NULL, n,
      sp_progress_is_tty(stderr));
  sp_stop_signal_clear();
  sp_stop_signal_install();
  int signo = 0;
  static bool busy[MAX_POINTS]; /* by row of t */
  size_t n_busy = 0;
  for (size_t i = 0; i < n && !signo; i++) {
    sp_progress_update(&pg, i, 0, pts[i].label);
    sp_sweep_row row;
    sp_error_record err = {0};
    char note[800];
    bool was_busy = false;
    sp_engine_event ev = measure(&o, &pts[i], &pg, i, &row, &was_busy, &err);
    if (ev == SP_ENGINE_TIME_LIMIT) busy[t.n] = was_busy;
    if (ev == SP_ENGINE_SIGNAL) {
      signo = sp_stop_signal_pending();
    } else if (ev != SP_ENGINE_TIME_LIMIT) {
      snprintf(note, sizeof note, "skipped %s: %s", pts[i].label,
               err.message[0] ? err.message : sp_engine_event_name(ev));
      sp_progress_note(&pg, note);
    } else if (sp_sweep_table_add(&t, &row) != 0) {
      sp_stop_signal_restore();
      sp_sweep_table_free(&t);
      return sp_cli_fail("sweep", "out of memory");
    } else {
      n_busy += was_busy;
    }
  }
  sp_stop_signal_restore();
  sp_progress_finish(&pg, t.n, signo);
  if (sp_fleet_active()) { /* one merged result from rank 0 */
    rc = sp_bench_fleet_sweep(&t, dir, o.plot ? o.script : NULL, signo);
    sp_sweep_table_free(&t);
    return rc;
  }
  if (t.n == 0) {
    sp_sweep_table_free(&t);
    if (signo) return 128 + signo;
    return sp_cli_fail("sweep", "no point could be measured");
  }
  if (write_file(dir, "sweep.csv", &t, sp_sweep_write_csv) ||
      write_file(dir, "sweep.json", &t, sp_sweep_write_json)) {
    sp_sweep_table_free(&t);
    return SP_EXIT_USAGE;
  }
  json_t *best = o.json ? json_array() : NULL;
  /* with --json the object below says it */
  if (!o.json && signo)
    printf("results: %s/sweep.csv %s/sweep.json (%zu of %zu points: "
           "interrupted by signal %d)\n",
           dir, dir, t.n, n, signo);
  else if (!o.json && t.n < n)
    printf("results: %s/sweep.csv %s/sweep.json (%zu of %zu points: %zu "
           "skipped)\n",
           dir, dir, t.n, n, n - t.n);
  else if (!o.json)
    printf("results: %s/sweep.csv %s/sweep.json (%zu points)\n", dir, dir, t.n);
  for (size_t i = 0; i < t.n; i++) {
    bool first = true;
    for (size_t j = 0; j < i && first; j++)
      first = strcmp(t.rows[j].backend, t.rows[i].backend) != 0;
    if (!first) continue;
    const sp_sweep_row *b = sp_sweep_table_best(&t, t.rows[i].backend);
    if (best != NULL) {
      json_array_append_new(
          best,
          json_pack("{s:s, s:o, s:o, s:o, s:b}", "backend", b->backend,
                    "hashes_per_second", sp_json_fixed(b->hashes_per_second, 0),
                    "series", sp_json_str(b->series), "command",
                    sp_json_str(b->command), "busy", busy[b - t.rows]));
      continue;
    }
    char line[700];
    describe_best(b, busy[b - t.rows], line, sizeof line);
    printf("%s\n", line);
  }
  /* As `--backend auto` does: a rate measured while other processes took
   * the cores is not this machine's rate. */
  if (n_busy > 0)
    fprintf(stderr,
            "%s sweep: warning: %zu of %zu points were measured while the "
            "machine was busy (other processes preempted the workers): their "
            "rates may be low; measure again on a quiet machine\n",
            sp_cli_prog(), n_busy, t.n);
  char msg[3000] = "";
  if (o.plot) {
    int prc = sp_sweep_plot(o.script, dir, msg, sizeof msg);
    if (!o.json) printf("%s\n", msg);
    if (prc < 0) fprintf(stderr, "%s sweep: %s\n", sp_cli_prog(), msg);
  }
  if (best != NULL) {
    char csv[1100], js[1100];
    snprintf(csv, sizeof csv, "%s/sweep.csv", dir);
    snprintf(js, sizeof js, "%s/sweep.json", dir);
    sp_json_print(stdout, json_pack("{s:o, s:o, s:o, s:I, s:o, s:o}", "csv",
                                    sp_json_str(csv), "json", sp_json_str(js),
                                    "dir", sp_json_str(dir), "points",
                                    (json_int_t)t.n, "best", best, "plot",
                                    o.plot ? sp_json_str(msg) : json_null()));
  }
  int gst = o.baseline && !signo
                ? sp_sweep_gate(&t, o.baseline, o.tolerance / 100, dir)
                : 0;
  sp_sweep_table_free(&t);
  return signo ? 128 + signo : gst;
}
