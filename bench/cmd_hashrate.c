/* bench hashrate: how many seals a second a backend computes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/data_dir.h"
#include "bench/hashrate_result.h"
#include "bench/json_out.h"
#include "bench/machine_info.h"
#include "bench/perf_gate.h"
#include "common/clock.h"
#include "common/version.h"
#include "fleet/fleet.h"
#include "registry/registry.h"
#include "verify/vectors.h"
#include "verify/verify.h"

#ifndef SUBPOW_VECTORS_DIR
#define SUBPOW_VECTORS_DIR "vectors"
#endif

static const char help_head[] =
    "usage: bench hashrate [--backend NAME] [--seconds S] [--samples N] "
    "[--all]\n"
    "                      [--baseline FILE [--tolerance PCT]] [--json]\n"
    "                      [backend options]\n"
    "\n"
    "Runs the backend on a fixed piece of work (difficulty 2^64 - 1, so "
    "almost\n"
    "no nonce solves and nothing but hashing is measured) for S seconds\n"
    "(default 5, 0.1 .. 3600) and prints the device, the settings and the "
    "rate.\n"
    "  --samples N   measure N times (1 .. 64; default 1, 5 with --baseline);\n"
    "                the rate is the best sample, the median is shown beside "
    "it\n"
    "  --all         one table of every backend and kernel path that can run\n"
    "                here and passes a short verification first\n"
    "  --baseline F  compare with F, an earlier --json output on the same\n"
    "                machine (CPU model; GPU model and SM clock): per point\n"
    "                faster, same or slower; exit 1 when a point is slower by\n"
    "                more than the tolerance plus the noise of the samples\n"
    "                ((best - median) / best of either set), 2 when F is of\n"
    "                another machine or unreadable\n"
    "  --tolerance P percent (default 3)\n"
    "  --json   {\"backend\", \"device\", \"devices\", \"threads\", \"isa\",\n"
    "            \"hashes\", \"seconds\", \"hashes_per_second\", \"median\",\n"
    "            \"samples\", \"machine\", \"command\", \"subpow_version\",\n"
    "            \"subpow_commit\"} (with --all: {\"rows\": [...], ...}; with\n"
    "            --baseline: a \"gate\" list of verdicts)\n"
    "backend options (default backend: the fastest CPU backend built in):\n";

static bool before_deadline(void *user) {
  return sp_monotonic_seconds() < *(const double *)user;
}

static void ignore_solution(void *user, uint64_t nonce,
                            const uint8_t seal[32]) {
  (void)user, (void)nonce, (void)seal;
}

/* A setting's value as run: the one given, else the backend's own default
 * (its description's number); 0 when the backend has no such setting, which
 * is then not printed at all (the CPU has no threads per block). */
static uint64_t setting_value(const sp_backend_vtable *vt, const char *name,
                              uint64_t given) {
  const sp_setting_info *info = sp_backend_setting(vt, name);
  if (info == NULL) return 0;
  return given != 0 ? given : sp_setting_default_number(info);
}

/* Measures an opened backend: a short warm-up, then n samples of `seconds`
 * each into *row. Returns 0, or the negative code of the backend's failed
 * scan with `err` filled by it. */
static int measure(const sp_backend_vtable *vt, sp_backend *b,
                   const sp_backend_options *o, double seconds, int n,
                   sp_hashrate_row *row, sp_error_record *err) {
  sp_work work = {.difficulty = UINT64_MAX, .rule = SP_RULE_CHAIN_LE};
  for (int i = 0; i < 32; i++)
    work.block_and_hotkey_hash[i] = (uint8_t)(i * 37 + 11);
  sp_solution_sink sink = {.found = ignore_solution};
  /* A short warm-up (thread start, GPU clocks, module load) is not timed. */
  double warm_deadline =
      sp_monotonic_seconds() + (seconds < 1 ? seconds / 4 : 0.25);
  uint64_t scanned = 0;
  sp_nonce_range warm = {.start = 1ull << 40, .count = UINT64_MAX};
  int rc = vt->scan(b, &work, warm, &sink, before_deadline, &warm_deadline,
                    &scanned, err);
  memset(row, 0, sizeof *row);
  for (int k = 0; k < n && rc == 0; k++) {
    double t0 = sp_monotonic_seconds(), deadline = t0 + seconds;
    sp_nonce_range range = {.start = (1ull << 48) + ((uint64_t)k << 44),
                            .count = UINT64_MAX};
    scanned = 0;
    rc = vt->scan(b, &work, range, &sink, before_deadline, &deadline, &scanned,
                  err);
    double elapsed = sp_monotonic_seconds() - t0;
    row->samples[row->n_samples++] = (double)scanned / elapsed;
    row->hashes += scanned;
    row->seconds += elapsed;
  }
  if (rc != 0) return rc;
  sp_device_info d0;
  memset(&d0, 0, sizeof d0);
  vt->describe(b, 0, &d0);
  snprintf(row->backend, sizeof row->backend, "%s", vt->name);
  snprintf(row->device, sizeof row->device, "%s", d0.name);
  snprintf(row->isa, sizeof row->isa, "%s", d0.isa);
  row->devices = vt->device_count(b);
  for (int i = 0; i < row->devices && i < 16; i++) {
    sp_device_info d;
    memset(&d, 0, sizeof d);
    vt->describe(b, i, &d);
    row->dev[i].id = d.id;
    row->dev[i].units = d.units;
    snprintf(row->dev[i].name, sizeof row->dev[i].name, "%s", d.name);
    snprintf(row->dev[i].isa, sizeof row->dev[i].isa, "%s", d.isa);
  }
  row->threads = d0.units;
  row->tpb = (int)setting_value(vt, "tpb", (uint64_t)o->tpb);
  row->update_interval =
      setting_value(vt, "update-interval", o->update_interval);
  row->pinned = vt->kind == SP_DEVICE_CPU && vt->rank > 0 && !o->no_pin;
  row->rank = -1;
  return 0;
}

/* --all: whether the opened backend passes a short verification (every
 * vector group but solutions.json's long ranges, and 16 random cases). */
static bool verified(const sp_backend_vtable *vt, sp_backend *b,
                     const sp_vectors *v) {
  if (vt == &sp_backend_reference) return true; /* it is the reference */
  sp_vectors few = *v;
  few.n_solutions = 0;
  sp_verify_report rep = {0};
  sp_verify_suite *s = sp_verify_report_add(&rep, vt->name, "");
  bool ok = s != NULL &&
            sp_verify_backend_suite(vt, b, &few, 1, 16, s, NULL) == 0 &&
            sp_verify_report_status(&rep) == 0;
  sp_verify_report_free(&rep);
  return ok;
}

/* One row of vt with options o into *res: of b when the caller opened it,
 * else (--all) opened here and verified against v first, with a note on
 * stderr when it cannot run or fails verification. Closes the backend.
 * Returns 0, or 2. */
static int one(const char *cmd, const sp_backend_vtable *vt, sp_backend *b,
               const sp_backend_options *o, double seconds, int samples,
               const sp_vectors *v, sp_hashrate_result *res) {
  sp_error_record oerr = {0};
  (void)cmd;
  if (b != NULL) {
    /* opened by the caller (sp_cli_open_backend: its messages, auto) */
  } else if (vt->open(o, &b, &oerr) != 0) {
    fprintf(stderr, "bench hashrate: %s%s%s: skipped: %s\n", vt->name,
            o->isa ? " --isa " : "", o->isa ? o->isa : "", oerr.message);
    return 0;
  } else if (!verified(vt, b, v)) {
    fprintf(stderr,
            "bench hashrate: %s%s%s: left out: it fails "
            "verification (see bench verify)\n",
            vt->name, o->isa ? " --isa " : "", o->isa ? o->isa : "");
    vt->close(b);
    return 0;
  }
  sp_hashrate_row row;
  sp_error_record err = {0};
  int rc = measure(vt, b, o, seconds, samples, &row, &err);
  if (rc == 0 && vt->kind == SP_DEVICE_GPU && res->machine.gpu_name[0] == 0) {
    sp_gpu_info g;
    snprintf(res->machine.gpu_name, sizeof res->machine.gpu_name, "%s",
             row.device);
    if (sp_gpu_info_query(o->n_dev_ids ? o->dev_ids[0] : 0, &g) == 0)
      res->machine.sm_clock_mhz = g.max_sm_clock_mhz;
  }
  vt->close(b);
  if (rc != 0) {
    fprintf(stderr, "bench hashrate: %s\n", err.message);
    return SP_EXIT_USAGE;
  }
  if (sp_hashrate_add(res, &row) != 0) return sp_cli_fail(cmd, "out of memory");
  return 0;
}

/* --all: every registered backend; those with kernel paths once per path
 * that can run here. */
static int all(const char *cmd, const sp_backend_args *ba, double seconds,
               int samples, sp_hashrate_result *res) {
  sp_vectors v;
  sp_error_record err = {0};
  if (sp_vectors_load(sp_data_dir("vectors", SUBPOW_VECTORS_DIR), &v, &err) !=
      0) {
    sp_vectors_free(&v);
    return sp_cli_fail(cmd, "cannot load vectors: %s", err.message);
  }
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  int st = 0;
  for (size_t i = 0; i < n && st == 0; i++) {
    const char *const *isas = NULL;
    size_t k = list[i]->choices ? list[i]->choices("isa", &isas) : 0;
    sp_backend_options o = ba->opts;
    if (k == 0) {
      st = one(cmd, list[i], NULL, &o, seconds, samples, &v, res);
      continue;
    }
    for (size_t j = 0; j < k && st == 0; j++) {
      o.isa = isas[j];
      st = one(cmd, list[i], NULL, &o, seconds, samples, &v, res);
    }
  }
  sp_vectors_free(&v);
  return st;
}

/* Rank 0 of a fleet job: every rank's rows into *res. Returns 1 on rank
 * 0, 0 on the others (their result sent), -1 on a failure. */
static int gather(sp_hashrate_result *res, int status) {
  char *data = sp_hashrate_encode(res);
  sp_fleet_part *parts = NULL;
  int n = 0;
  int rc = sp_fleet_gather("hashrate", data ? data : "", status, &parts, &n);
  free(data);
  if (rc <= 0) return rc;
  sp_hashrate_result all_rows = {0};
  all_rows.machine = res->machine;
  snprintf(all_rows.command, sizeof all_rows.command, "%s", res->command);
  for (int i = 0; i < n; i++) {
    sp_hashrate_result one_rank = {0};
    sp_error_record err = {0};
    bool ok = parts[i].data != NULL && parts[i].status == 0 &&
              sp_hashrate_decode(parts[i].data, &one_rank, &err) == 0 &&
              one_rank.n > 0;
    if (!ok) {
      sp_hashrate_row w = {.rank = parts[i].rank,
                           .status = parts[i].status ? parts[i].status : 2};
      snprintf(w.host, sizeof w.host, "%s", parts[i].host);
      snprintf(w.backend, sizeof w.backend, "-");
      snprintf(w.why, sizeof w.why, "%s",
               err.message[0]    ? err.message
               : parts[i].status ? "exit status"
                                 : "no rows");
      if (parts[i].status && !err.message[0])
        snprintf(w.why, sizeof w.why, "exit status %d", parts[i].status);
      sp_hashrate_add(&all_rows, &w);
    }
    for (size_t k = 0; ok && k < one_rank.n; k++) {
      sp_hashrate_row w = one_rank.rows[k];
      w.rank = parts[i].rank;
      snprintf(w.host, sizeof w.host, "%s", parts[i].host);
      sp_hashrate_add(&all_rows, &w);
    }
    sp_hashrate_free(&one_rank);
  }
  sp_fleet_parts_free(parts, n);
  sp_hashrate_free(res);
  *res = all_rows;
  return 1;
}

/* --baseline: the gate's table (stdout, or a "gate" list in json) and its
 * status: 0, 1 (a point slower), 2 (cannot compare: another machine, or no
 * point of this run in the baseline, which would otherwise pass having
 * compared nothing). A point is backend, kernel path, threads, tpb (GPU)
 * and pinning: the baseline must have been measured with the same
 * settings. */
static int gate(const char *path, double tolerance,
                const sp_hashrate_result *res, json_t **verdicts) {
  sp_hashrate_result base;
  sp_error_record rec = {0};
  if (sp_hashrate_load_baseline(path, &base, &rec) != 0) {
    fprintf(stderr, "bench hashrate: --baseline: %s\n", rec.message);
    return SP_EXIT_USAGE;
  }
  char err[1400];
  if (!sp_perf_same_machine(&res->machine, &base.machine, err, sizeof err)) {
    fprintf(stderr, "bench hashrate: --baseline: cannot compare: %s\n", err);
    sp_hashrate_free(&base);
    return SP_EXIT_USAGE;
  }
  int st = 0;
  size_t matched = 0;
  *verdicts = json_array();
  if (*verdicts == NULL) st = SP_EXIT_USAGE;
  for (size_t i = 0; i < res->n; i++) {
    const sp_hashrate_row *w = &res->rows[i];
    const sp_hashrate_row *b = sp_perf_match(&base, w);
    char point[200], tpb[24] = "";
    if (w->tpb > 0) snprintf(tpb, sizeof tpb, "/tpb=%d", w->tpb);
    snprintf(point, sizeof point, "%s/%s/%dt%s%s", w->backend, w->isa,
             w->threads, tpb, w->pinned ? "/pinned" : "");
    if (b == NULL) {
      fprintf(stderr, "bench hashrate: --baseline: %s: not in the baseline\n",
              point);
      json_array_append_new(*verdicts,
                            json_pack("{s:o, s:s}", "point", sp_json_str(point),
                                      "verdict", "not in baseline"));
      continue;
    }
    matched++;
    sp_perf_point p = sp_perf_compare(b->samples, b->n_samples, w->samples,
                                      w->n_samples, tolerance);
    if (p.verdict == SP_PERF_SLOWER) st = 1;
    json_array_append_new(
        *verdicts,
        json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "point",
                  sp_json_str(point), "verdict",
                  sp_perf_verdict_name(p.verdict), "baseline_best",
                  sp_json_fixed(b->best, 0), "best", sp_json_fixed(w->best, 0),
                  "change_percent", sp_json_fixed(p.change * 100, 2),
                  "noise_percent", sp_json_fixed(p.noise * 100, 2),
                  "margin_percent", sp_json_fixed(p.margin * 100, 2)));
  }
  if (matched == 0 && res->n > 0) {
    fprintf(stderr,
            "bench hashrate: --baseline: cannot compare: no point of this run "
            "is in the baseline (record it with the same backend and "
            "settings)\n");
    st = SP_EXIT_USAGE;
  }
  sp_hashrate_free(&base);
  return st;
}

static void print_gate(FILE *f, const json_t *verdicts) {
  fprintf(f, "%-28s %-8s %14s %14s %9s %9s\n", "point", "verdict",
          "baseline MH/s", "now MH/s", "change %", "margin %");
  size_t i;
  const json_t *v;
  json_array_foreach(verdicts, i, v) {
    const char *verdict = json_string_value(json_object_get(v, "verdict"));
    const char *point = json_string_value(json_object_get(v, "point"));
    if (json_object_get(v, "best") == NULL) {
      fprintf(f, "%-28s %s\n", point, verdict);
      continue;
    }
    fprintf(f, "%-28s %-8s %14.3f %14.3f %+9.2f %9.2f\n", point, verdict,
            json_number_value(json_object_get(v, "baseline_best")) / 1e6,
            json_number_value(json_object_get(v, "best")) / 1e6,
            json_number_value(json_object_get(v, "change_percent")),
            json_number_value(json_object_get(v, "margin_percent")));
  }
}

static void join_command(int argc, char **argv, char *out, size_t cap) {
  size_t n = (size_t)snprintf(out, cap, "bench");
  for (int i = 0; i < argc && n < cap; i++)
    n += (size_t)snprintf(out + n, cap - n, " %s", argv[i]);
}

int sp_cmd_hashrate(int argc, char **argv) {
  static const struct option opts[] = {
      {"seconds", required_argument, NULL, 's'},
      {"samples", required_argument, NULL, 'n'},
      {"all", no_argument, NULL, 'a'},
      {"baseline", required_argument, NULL, 'b'},
      {"tolerance", required_argument, NULL, 't'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      SP_BACKEND_LONGOPTS,
      {0}};
  const char *cmd = "hashrate";
  double seconds = 5, tolerance = SP_PERF_TOLERANCE * 100;
  uint64_t samples = 0;
  bool json = false, every = false;
  const char *baseline = NULL;
  sp_backend_args ba = {0};
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, sp_backend_longopts(opts))) != -1) {
    switch (c) {
    case 's':
      if (sp_cli_seconds(cmd, "--seconds", optarg, 0.1, 3600, &seconds))
        return SP_EXIT_USAGE;
      break;
    case 'n':
      if (sp_cli_u64(cmd, "--samples", optarg, &samples)) return SP_EXIT_USAGE;
      if (samples < 1 || samples > SP_HASHRATE_MAX_SAMPLES)
        return sp_cli_fail(cmd, "--samples: 1 .. %d", SP_HASHRATE_MAX_SAMPLES);
      break;
    case 'a': every = true; break;
    case 'b': baseline = optarg; break;
    case 't':
      if (sp_cli_seconds(cmd, "--tolerance", optarg, 0, 100, &tolerance))
        return SP_EXIT_USAGE;
      break;
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help_head);
      sp_backend_args_print_help(stdout);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default:
      if (sp_backend_args_is_option(c)) {
        int rc = sp_backend_args_take(cmd, &ba, c, optarg);
        if (rc != 0) return rc == SP_CLI_DONE ? SP_EXIT_OK : rc;
        break;
      }
      return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (samples == 0) samples = baseline ? 5 : 1;
  sp_hashrate_result res = {0};
  sp_machine_info mi;
  sp_machine_info_read(&mi);
  snprintf(res.machine.cpu_model, sizeof res.machine.cpu_model, "%s",
           mi.cpu_model);
  join_command(argc, argv, res.command, sizeof res.command);
  int st;
  if (every) {
    st = all(cmd, &ba, seconds, (int)samples, &res);
  } else {
    const char *name = ba.backend;
    if (name == NULL) name = sp_backend_default()->name;
    const sp_backend_vtable *vt;
    sp_backend *b;
    if (sp_cli_open_backend(cmd, name, &ba.opts, &vt, &b)) return SP_EXIT_USAGE;
    st = one(cmd, vt, b, &ba.opts, seconds, (int)samples, NULL, &res);
  }
  bool fleet = sp_fleet_active();
  if (fleet) {
    int g = gather(&res, st);
    if (g == 0) { /* rank 0 has this rank's rows */
      sp_hashrate_free(&res);
      return st;
    }
    if (g < 0) st = SP_EXIT_USAGE;
    for (size_t i = 0; i < res.n; i++)
      if (res.rows[i].status != 0) st = SP_EXIT_USAGE;
  } else if (st != 0 || res.n == 0) {
    sp_hashrate_free(&res);
    return st ? st : sp_cli_fail(cmd, "nothing could be measured");
  }
  json_t *verdicts = NULL;
  int gst = 0;
  if (baseline != NULL) gst = gate(baseline, tolerance / 100, &res, &verdicts);
  if (json) {
    if (verdicts == NULL) {
      sp_hashrate_print_json(stdout, &res, fleet);
    } else {
      /* The measurement and the verdicts in one object. */
      char *text = NULL;
      size_t len = 0;
      FILE *m = open_memstream(&text, &len);
      if (m != NULL) {
        sp_hashrate_print_json(m, &res, fleet);
        fclose(m);
      }
      json_t *o = text ? json_loads(text, 0, NULL) : NULL;
      free(text);
      if (o != NULL) json_object_set(o, "gate", verdicts);
      sp_json_print(stdout, o);
    }
  } else {
    sp_hashrate_print_text(stdout, &res, fleet);
    if (verdicts != NULL) print_gate(stdout, verdicts);
  }
  json_decref(verdicts);
  sp_hashrate_free(&res);
  if (gst != 0) return gst;
  return st;
}
