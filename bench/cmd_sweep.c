/* bench sweep: every backend over its settings, measured through the engine;
 * CSV, JSON and plots with the machine described. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/fleet_cmd.h"
#include "bench/machine_info.h"
#include "bench/progress_bar.h"
#include "bench/sweep_plot.h"
#include "bench/sweep_table.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "fleet/fleet.h"
#include "verify/vectors.h"
#ifdef SUBPOW_HAVE_CPU
#include "optimized/cpu_backend.h"
#include "util/user_file.h"
#endif

#ifndef SUBPOW_SCRIPTS_DIR
#define SUBPOW_SCRIPTS_DIR "scripts"
#endif

static const char help_head[] =
    "usage: bench sweep [--backend NAME]... [--seconds S] [--warmup S]\n"
    "                   [--out DIR] [--max-threads N] [--threads-list L]\n"
    "                   [--tpb-list L] [--update-interval-list L] [--no-plot]\n"
    "                   [--plot-script FILE] [--no-progress] [--dry-run]\n"
    "                   [backend options]\n"
    "\n"
    "Measures each backend at each setting for S seconds (default 2, after a\n"
    "warm-up of --warmup seconds, default 0.25), through the solve engine on\n"
    "work that no nonce solves:\n"
    "  cuda       every --tpb-list value (default 32,64,128,256,512,1024) for\n"
    "             every --update-interval-list value (default 256,1024,4096,\n"
    "             16384), on --dev-id (default 0): one worker\n"
    "  cpu        threads 1..N (--max-threads, default: the CPUs this process\n"
    "             may use, or --threads-list), pinned and unpinned, for every\n"
    "             kernel path this CPU runs: one worker\n"
    "  reference  1..N workers, one reference instance each\n"
    "Default backends: cuda and cpu when built (cuda only with a GPU), else\n"
    "reference. A setting given as a backend option (--threads, --isa,\n"
    "--no-pin, --tpb, --update-interval) fixes that dimension.\n"
    "Writes DIR/sweep.csv and DIR/sweep.json (each row: backend, settings,\n"
    "rate, device, host, CPU model, cores, GPU driver, CUDA version, SM\n"
    "clock, and a command measuring that point again) and plots them with\n"
    "gnuplot and scripts/plot_sweep.gp into DIR/sweep_cpu.png and\n"
    "DIR/sweep_cuda.png. DIR defaults to results/<UTC date>-<host> (with -2,\n"
    "-3, ... when it exists). A progress bar runs on stderr. --dry-run lists\n"
    "the points only. Exit 0 when at least one point was measured, 2 on bad\n"
    "usage or when nothing could run, 128 + signal after SIGINT/SIGTERM (the\n"
    "points measured so far are written).\n"
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

typedef struct sweep_opts {
  const char *backends[8];
  int n_backends;
  double seconds, warmup;
  const char *out, *script;
  long threads[MAX_LIST], tpbs[MAX_LIST];
  uint64_t intervals[MAX_LIST];
  int n_threads, n_tpbs, n_intervals;
  bool plot, progress, dry_run;
} sweep_opts;

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

static int parse(int argc, char **argv, sweep_opts *o, sp_backend_args *ba) {
  static const struct option opts[] = {
      {"seconds", required_argument, NULL, 's'},
      {"warmup", required_argument, NULL, 'W'},
      {"out", required_argument, NULL, 'o'},
      {"max-threads", required_argument, NULL, 'M'},
      {"threads-list", required_argument, NULL, 'T'},
      {"tpb-list", required_argument, NULL, 'P'},
      {"update-interval-list", required_argument, NULL, 'U'},
      {"no-plot", no_argument, NULL, 'n'},
      {"plot-script", required_argument, NULL, 'g'},
      {"no-progress", no_argument, NULL, 'q'},
      {"dry-run", no_argument, NULL, 'd'},
      {"help", no_argument, NULL, 'h'},
      SP_BACKEND_LONGOPTS,
      {0}};
  const char *cmd = "sweep";
  uint64_t tmp[MAX_LIST];
  long max_threads = 0;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
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
    case 'T':
      if (parse_list("--threads-list", optarg, 1, 4096, tmp, &o->n_threads))
        return 2;
      for (int i = 0; i < o->n_threads; i++)
        o->threads[i] = (long)tmp[i];
      break;
    case 'P':
      if (parse_list("--tpb-list", optarg, 1, 1024, tmp, &o->n_tpbs)) return 2;
      for (int i = 0; i < o->n_tpbs; i++)
        o->tpbs[i] = (long)tmp[i];
      break;
    case 'U':
      if (parse_list("--update-interval-list", optarg, 1, UINT32_MAX,
                     o->intervals, &o->n_intervals))
        return 2;
      break;
    case 'n': o->plot = false; break;
    case 'g': o->script = optarg; break;
    case 'q': o->progress = false; break;
    case 'd': o->dry_run = true; break;
    case 'h':
      fputs(help_head, stdout);
      fputs(sp_backend_args_help, stdout);
      return -1;
    case 1000:
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
      if (c > 1000) {
        if (sp_backend_args_take(cmd, ba, c, optarg)) return 2;
        break;
      }
      return 2;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return 2;
  if (max_threads && o->n_threads)
    return sp_cli_fail(cmd, "give --max-threads or --threads-list, not both");
  if (ba->opts.threads) { /* a fixed dimension */
    o->threads[0] = ba->opts.threads;
    o->n_threads = 1;
  } else if (o->n_threads == 0) {
    long n = max_threads ? max_threads : sp_get_cpu_count();
    if (n > MAX_LIST) n = MAX_LIST;
    for (long i = 0; i < n; i++)
      o->threads[i] = i + 1;
    o->n_threads = (int)n;
  }
  if (ba->opts.tpb) {
    o->tpbs[0] = ba->opts.tpb;
    o->n_tpbs = 1;
  } else if (o->n_tpbs == 0) {
    static const long d[] = {32, 64, 128, 256, 512, 1024};
    for (int i = 0; i < 6; i++)
      o->tpbs[i] = d[i];
    o->n_tpbs = 6;
  }
  if (ba->opts.update_interval) {
    o->intervals[0] = ba->opts.update_interval;
    o->n_intervals = 1;
  } else if (o->n_intervals == 0) {
    static const uint64_t d[] = {256, 1024, 4096, 16384};
    for (int i = 0; i < 4; i++)
      o->intervals[i] = d[i];
    o->n_intervals = 4;
  }
  return 0;
}

static int add_point(point *pts, size_t *n, const point *p) {
  if (*n == MAX_POINTS)
    return sp_cli_fail("sweep", "more than %d points: narrow the lists",
                       MAX_POINTS);
  pts[(*n)++] = *p;
  return 0;
}

static void dev_flag(const sp_backend_options *o, char *out, size_t outlen) {
  size_t k = 0;
  out[0] = '\0';
  for (int i = 0; i < o->n_dev_ids && k < outlen; i++)
    k += (size_t)snprintf(out + k, outlen - k, "%s%d", i ? "," : " --dev-id ",
                          o->dev_ids[i]);
}

/* The points of one backend, in plot order (each series contiguous). */
static int plan_backend(const sweep_opts *o, const sp_backend_args *ba,
                        const sp_backend_vtable *vt, point *pts, size_t *n) {
  point p;
  memset(&p, 0, sizeof p);
  p.vt = vt;
  p.opts = ba->opts;
  p.workers = 1;
  if (strcmp(vt->name, "cuda") == 0) {
    char devs[300];
    dev_flag(&ba->opts, devs, sizeof devs);
    for (int u = 0; u < o->n_intervals; u++)
      for (int t = 0; t < o->n_tpbs; t++) {
        p.opts.tpb = (int)o->tpbs[t];
        p.opts.update_interval = o->intervals[u];
        snprintf(p.series, sizeof p.series, "cuda/ui=%" PRIu64,
                 o->intervals[u]);
        snprintf(p.label, sizeof p.label,
                 "cuda tpb=%ld update-interval=%" PRIu64, o->tpbs[t],
                 o->intervals[u]);
        snprintf(p.command, sizeof p.command,
                 "bench hashrate --backend cuda --tpb %ld --update-interval "
                 "%" PRIu64 "%s",
                 o->tpbs[t], o->intervals[u], devs);
        if (add_point(pts, n, &p)) return 2;
      }
    return 0;
  }
  if (strcmp(vt->name, "reference") == 0) {
    for (int t = 0; t < o->n_threads; t++) {
      if (o->threads[t] > MAX_LIST)
        return sp_cli_fail("sweep", "reference: at most %d workers", MAX_LIST);
      p.workers = (int)o->threads[t];
      p.opts.threads = 0;
      snprintf(p.series, sizeof p.series, "reference");
      snprintf(p.label, sizeof p.label, "reference workers=%ld", o->threads[t]);
      snprintf(p.command, sizeof p.command,
               "bench sweep --backend reference --threads %ld", o->threads[t]);
      if (add_point(pts, n, &p)) return 2;
    }
    return 0;
  }
  /* cpu (and any other CPU-style backend): ISA paths x pinning x threads. */
  const char *const *isas = NULL;
  size_t n_isa = 0;
  static const char *const given[1] = {NULL};
  if (ba->opts.isa != NULL) {
    isas = &ba->opts.isa;
    n_isa = 1;
  }
#ifdef SUBPOW_HAVE_CPU
  else if (strcmp(vt->name, "cpu") == 0)
    n_isa = sp_cpu_isa_list(&isas);
#endif
  if (n_isa == 0) {
    isas = given; /* the backend's own choice */
    n_isa = 1;
  }
  for (size_t i = 0; i < n_isa; i++)
    for (int pin = ba->opts.no_pin ? 0 : 1; pin >= 0; pin--)
      for (int t = 0; t < o->n_threads; t++) {
        p.opts.isa = isas[i];
        p.opts.no_pin = !pin;
        p.opts.threads = (int)o->threads[t];
        const char *isa = isas[i] ? isas[i] : "default";
        snprintf(p.series, sizeof p.series, "%s/%s/%s", vt->name, isa,
                 pin ? "pinned" : "unpinned");
        snprintf(p.label, sizeof p.label, "%s threads=%ld isa=%s %s", vt->name,
                 o->threads[t], isa, pin ? "pinned" : "unpinned");
        snprintf(p.command, sizeof p.command,
                 "bench hashrate --backend %s --threads %ld%s%s%s", vt->name,
                 o->threads[t], isas[i] ? " --isa " : "",
                 isas[i] ? isas[i] : "", pin ? "" : " --no-pin");
        if (add_point(pts, n, &p)) return 2;
      }
  return 0;
}

/* The default backends: cuda (when it opens here) and cpu, else reference. */
static int default_backends(const sp_backend_args *ba, const char **names,
                            int *n) {
  *n = 0;
  const sp_backend_vtable *cuda = sp_backend_find("cuda");
  if (cuda != NULL) {
    sp_backend *b = NULL;
    char err[256];
    if (cuda->open(&ba->opts, &b, err, sizeof err) == 0) {
      cuda->close(b);
      names[(*n)++] = "cuda";
    }
  }
  if (sp_backend_find("cpu") != NULL) names[(*n)++] = "cpu";
  if (*n == 0) names[(*n)++] = "reference";
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

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs the engine on `bs` for `seconds`; hashes done and time taken from
 * start to the last worker joined. Returns the engine event. */
static sp_engine_event run_engine(const point *p, sp_backend **bs,
                                  double seconds, progress_ctx *pc,
                                  uint64_t *hashes, double *elapsed, char *err,
                                  size_t errlen) {
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.time_limit_s = seconds;
  cfg.stats_ms = 100;
  cfg.on_stats = on_stats;
  cfg.on_stats_user = pc;
  sp_engine *e;
  if (sp_engine_create(&cfg, &e, err, errlen) != 0)
    return SP_ENGINE_NOT_STARTED;
  for (int i = 0; i < p->workers; i++)
    sp_engine_add_worker(e, p->vt, bs[i], 0, err, errlen);
  uint8_t block_hash[32] = {0}, key[32] = {0};
  sp_block_work w;
  /* Difficulty 2^64 - 1: about one nonce in 2^64 solves, so only hashing
   * is measured. */
  sp_block_work_make(1, block_hash, key, UINT64_MAX, SP_RULE_CHAIN_LE, &w);
  sp_engine_publish_work(e, &w);
  double t0 = now_s();
  sp_engine_event ev = SP_ENGINE_NOT_STARTED;
  if (sp_engine_start(e, err, errlen) == 0) {
    sp_engine_solution s;
    while ((ev = sp_engine_run(e, &s)) == SP_ENGINE_SOLUTION) {
    }
    if (ev == SP_ENGINE_WORKER_ERROR)
      snprintf(err, errlen, "%s", sp_engine_error(e));
  }
  int missing = sp_engine_stop_and_join(e, 5000);
  *elapsed = now_s() - t0;
  sp_solve_stats st;
  sp_engine_stats(e, &st);
  *hashes = st.hashes_total;
  sp_engine_destroy(e);
  if (missing && ev == SP_ENGINE_TIME_LIMIT) {
    snprintf(err, errlen, "%d worker(s) did not stop within 5 s", missing);
    ev = SP_ENGINE_WORKER_ERROR;
  }
  return ev;
}

/* Measures one point into *row. Returns the engine event of the timed run,
 * or SP_ENGINE_NOT_STARTED when the backend did not open (err says why). */
static sp_engine_event measure(const sweep_opts *o, const point *p,
                               sp_progress *pg, size_t step, sp_sweep_row *row,
                               char *err, size_t errlen) {
  sp_backend *bs[MAX_LIST];
  for (int i = 0; i < p->workers; i++)
    if (p->vt->open(&p->opts, &bs[i], err, errlen) != 0) {
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
  bool gpu = strcmp(p->vt->name, "cuda") == 0;
  row->pinned =
      !gpu && strcmp(p->vt->name, "reference") != 0 && !p->opts.no_pin;
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
  if (o->warmup > 0)
    ev = run_engine(p, bs, o->warmup, &pc, &hashes, &elapsed, err, errlen);
  if (ev == SP_ENGINE_TIME_LIMIT) {
    pc.done_before = o->warmup;
    ev = run_engine(p, bs, o->seconds, &pc, &hashes, &elapsed, err, errlen);
  }
  row->hashes = hashes;
  row->seconds = elapsed;
  row->hashes_per_second = elapsed > 0 ? (double)hashes / elapsed : 0;
  if (gpu) {
    snprintf(row->gpu_name, sizeof row->gpu_name, "%s", row->device);
    sp_gpu_info g;
    int dev = p->opts.n_dev_ids ? p->opts.dev_ids[0] : 0;
    if (sp_gpu_info_query(dev, &g) == 0) {
      snprintf(row->gpu_driver, sizeof row->gpu_driver, "%s", g.driver);
      snprintf(row->cuda_version, sizeof row->cuda_version, "%s",
               g.cuda_version);
      row->sm_clock_mhz = g.sm_clock_mhz;
    }
  }
  for (int i = 0; i < p->workers; i++)
    p->vt->close(bs[i]);
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

static int make_dirs(const char *dir) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", dir);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
  struct stat st;
  return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static int write_file(const char *dir, const char *name,
                      const sp_sweep_table *t,
                      int (*fn)(const sp_sweep_table *, FILE *)) {
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char oerr[1400];
  FILE *f = sp_user_file_fopen(path, 1, oerr, sizeof oerr); /* no FIFO */
  if (f == NULL) return sp_cli_fail("sweep", "cannot write %s", oerr);
  if (fn(t, f) != 0) {
    if (f) fclose(f);
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  }
  if (fclose(f) != 0)
    return sp_cli_fail("sweep", "cannot write %s: %s", path, strerror(errno));
  return 0;
}

static void join_command(int argc, char **argv, char *out, size_t outlen) {
  size_t k = (size_t)snprintf(out, outlen, "bench");
  for (int i = 0; i < argc && k < outlen; i++)
    k += (size_t)snprintf(out + k, outlen - k, " %s", argv[i]);
}

static void describe_best(const sp_sweep_row *r, char *out, size_t outlen) {
  char rate[64];
  snprintf(rate, sizeof rate, "%.3f MH/s", r->hashes_per_second / 1e6);
  snprintf(out, outlen, "best %s: %s (%s; %s)", r->backend, rate, r->series,
           r->command);
}

int sp_cmd_sweep(int argc, char **argv) {
  sweep_opts o = {.seconds = 2,
                  .warmup = 0.25,
                  .plot = true,
                  .progress = true,
                  .script = SUBPOW_SCRIPTS_DIR "/plot_sweep.gp"};
  sp_backend_args ba = {0};
  int rc = parse(argc, argv, &o, &ba);
  if (rc != 0) return rc < 0 ? SP_EXIT_OK : SP_EXIT_USAGE;
  if (o.n_backends == 0) default_backends(&ba, o.backends, &o.n_backends);

  static point pts[MAX_POINTS];
  size_t n = 0;
  for (int i = 0; i < o.n_backends; i++)
    if (plan_backend(&o, &ba, sp_backend_find(o.backends[i]), pts, &n))
      return SP_EXIT_USAGE;
  if (o.dry_run) {
    for (size_t i = 0; i < n; i++)
      printf("%s\t%s\n", pts[i].label, pts[i].command);
    printf("%zu points, about %.0f s\n", n, (double)n * (o.seconds + o.warmup));
    return SP_EXIT_OK;
  }

  sp_sweep_table t = {0};
  sp_machine_info_read(&t.machine, NULL);
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
  if (sp_fleet_rank() == 0 && make_dirs(dir) != 0) /* rank 0 writes */
    return sp_cli_fail("sweep", "--out: cannot create directory %s: %s", dir,
                       strerror(errno));

  sp_progress pg;
  sp_progress_init(&pg, o.progress && sp_fleet_rank() == 0 ? stderr : NULL, n,
                   sp_progress_is_tty(stderr));
  sp_stop_signal_clear();
  sp_stop_signal_install();
  int signo = 0;
  for (size_t i = 0; i < n && !signo; i++) {
    sp_progress_update(&pg, i, 0, pts[i].label);
    sp_sweep_row row;
    char err[512] = "", note[800];
    sp_engine_event ev = measure(&o, &pts[i], &pg, i, &row, err, sizeof err);
    if (ev == SP_ENGINE_SIGNAL) {
      signo = sp_stop_signal_pending();
    } else if (ev != SP_ENGINE_TIME_LIMIT) {
      snprintf(note, sizeof note, "skipped %s: %s", pts[i].label,
               err[0] ? err : sp_engine_event_name(ev));
      sp_progress_note(&pg, note);
    } else if (sp_sweep_table_add(&t, &row) != 0) {
      sp_stop_signal_restore();
      sp_sweep_table_free(&t);
      return sp_cli_fail("sweep", "out of memory");
    }
  }
  sp_stop_signal_restore();
  sp_progress_finish(&pg);
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
  printf("results: %s/sweep.csv %s/sweep.json (%zu points)\n", dir, dir, t.n);
  for (size_t i = 0; i < t.n; i++) {
    bool first = true;
    for (size_t j = 0; j < i && first; j++)
      first = strcmp(t.rows[j].backend, t.rows[i].backend) != 0;
    if (!first) continue;
    char line[600];
    describe_best(sp_sweep_table_best(&t, t.rows[i].backend), line,
                  sizeof line);
    printf("%s\n", line);
  }
  if (o.plot) {
    char msg[3000];
    int prc = sp_sweep_plot(o.script, dir, msg, sizeof msg);
    printf("%s\n", msg);
    if (prc < 0) fprintf(stderr, "bench sweep: %s\n", msg);
  }
  sp_sweep_table_free(&t);
  return signo ? 128 + signo : SP_EXIT_OK;
}
