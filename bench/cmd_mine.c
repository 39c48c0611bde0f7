/* bench mine: solve a block's work with the engine, as a registration does,
 * with the live status display; offline (fixed work) or on a scripted chain
 * that moves on every few milliseconds. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/json_out.h"
#include "bench/status_args.h"
#include "engine/engine.h"
#include "engine/scripted_source.h"
#include "engine/stop_signal.h"
#include "registry/registry.h"

static const char help_head[] =
    "usage: bench mine --difficulty D (--block-hash HEX --hotkey HEX |\n"
    "                  --block-and-hotkey-hash HEX | --scripted-period MS)\n"
    "                  [--block-number N] [--rule R] [--keep-going]\n"
    "                  [--max-solutions N] [--seconds S] [--workers N]\n"
    "                  [--nonce-start N] [--seed S] [status options]\n"
    "                  [--backend NAME]... [backend options]\n"
    "\n"
    "Solves with the engine: every --backend named (default: cpu when built,\n"
    "else reference) opens --workers instances (default 1), all scanning\n"
    "disjoint nonces from a random start (or --nonce-start). Stops at the\n"
    "first solution, or with --keep-going after --max-solutions (default:\n"
    "none) or --seconds, or on SIGINT/SIGTERM. Each solution is printed as\n"
    "  solution: block N nonce X seal HEX (worker I, BACKEND)\n"
    "and checked against the reference before it is printed.\n"
    "  --block-hash, --hotkey       the work of block --block-number (default "
    "0)\n"
    "  --block-and-hotkey-hash      the work directly (block hash unknown)\n"
    "  --scripted-period MS         a scripted chain: a new block every MS ms\n"
    "                               starting at --block-number, hashes from\n"
    "                               --seed (default 1) and --hotkey (default "
    "0)\n"
    "  --rule R                     sdk, chain-be or chain-le (default "
    "chain-le)\n"
    "  --json                       one JSON object on stdout: solutions,\n"
    "                               hashes, seconds, hashes_per_second,\n"
    "                               blocks, stopped_by, status\n"
    "Results (solutions, the summary) go to stdout, the status to stderr.\n"
    "Exit status: 0 with a solution, 124 when --seconds ran out without one\n"
    "(\"status\": \"time_limit\"; as timeout(1)), 2 usage or backend error,\n"
    "128 + the signal number after SIGINT or SIGTERM.\n"
    "status options:\n";

typedef struct mine_opts {
  uint64_t difficulty, block_number, max_solutions, nonce_start, seed,
      period_ms;
  bool have_d, have_start, keep_going;
  sp_cli_work work; /* its hotkey is also the scripted chain's */
  sp_rule rule;
  double seconds;
  long workers;
  const char *backends[16];
  int n_backends;
  bool json;
} mine_opts;

static void on_stats(void *user, const sp_solve_stats *s) {
  sp_stats_logger_update(user, s);
}

/* A solution is a result: on stdout (as a JSON array element with --json,
 * gathered into `json`), the status block kept whole on a terminal. */
static void print_solution(sp_stats_logger *l, const sp_engine *e,
                           const sp_engine_solution *s, json_t *json) {
  char hex[65], line[256];
  sp_hex_encode(s->pow.seal, 32, hex);
  if (json != NULL) {
    json_t *o = json_object();
    json_object_set_new(o, "block_number", sp_json_u64(s->pow.block_number));
    json_object_set_new(o, "nonce", sp_json_u64(s->pow.nonce));
    json_object_set_new(o, "seal", json_string(hex));
    json_object_set_new(o, "worker", json_integer(s->worker));
    json_object_set_new(o, "backend",
                        json_string(sp_engine_worker_backend(e, s->worker)));
    json_array_append_new(json, o);
    return;
  }
  snprintf(line, sizeof line,
           "solution: block %" PRIu64 " nonce %" PRIu64 " seal %s (worker %d, "
           "%s)",
           s->pow.block_number, s->pow.nonce, hex, s->worker,
           sp_engine_worker_backend(e, s->worker));
  sp_stats_logger_note_to(l, stdout, line);
}

static int parse(int argc, char **argv, mine_opts *o, sp_backend_args *ba,
                 sp_status_args *sa) {
  static const struct option opts[] = {
      {"difficulty", required_argument, NULL, 'd'},
      SP_CLI_BLOCK_HASH_LONGOPT,
      SP_CLI_HOTKEY_LONGOPT,
      SP_CLI_BLOCK_AND_HOTKEY_HASH_LONGOPT,
      {"block-number", required_argument, NULL, 'n'},
      {"scripted-period", required_argument, NULL, 'p'},
      {"seed", required_argument, NULL, 'S'},
      {"rule", required_argument, NULL, 'r'},
      {"keep-going", no_argument, NULL, 'k'},
      {"max-solutions", required_argument, NULL, 'm'},
      {"seconds", required_argument, NULL, 's'},
      {"workers", required_argument, NULL, 'w'},
      {"nonce-start", required_argument, NULL, 'N'},
      {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      SP_STATUS_LONGOPTS,
      SP_BACKEND_LONGOPTS,
      {0}};
  const char *cmd = "mine";
  int c;
  sp_cli_reset();
  sp_cli_repeatable("backend"); /* [--backend NAME]... */
  while ((c = sp_cli_next(cmd, argc, argv, sp_backend_longopts(opts))) != -1) {
    switch (c) {
    case 'd':
      if (sp_cli_u64(cmd, "--difficulty", optarg, &o->difficulty)) return 2;
      o->have_d = true;
      break;
    case SP_OPT_BLOCK_HASH:
    case SP_OPT_HOTKEY:
    case SP_OPT_BLOCK_AND_HOTKEY_HASH:
      if (sp_cli_work_take(cmd, &o->work, c, optarg)) return 2;
      break;
    case 'n':
      if (sp_cli_u64(cmd, "--block-number", optarg, &o->block_number)) return 2;
      break;
    case 'p':
      if (sp_cli_u64(cmd, "--scripted-period", optarg, &o->period_ms)) return 2;
      if (o->period_ms < 1 || o->period_ms > 3600000)
        return sp_cli_fail(cmd, "--scripted-period: from 1 to 3600000 ms");
      break;
    case 'S':
      if (sp_cli_u64(cmd, "--seed", optarg, &o->seed)) return 2;
      break;
    case 'r':
      if (sp_cli_rule(cmd, optarg, &o->rule)) return 2;
      break;
    case 'k': o->keep_going = true; break;
    case 'm':
      if (sp_cli_u64(cmd, "--max-solutions", optarg, &o->max_solutions))
        return 2;
      if (o->max_solutions == 0)
        return sp_cli_fail(cmd, "--max-solutions: must be at least 1");
      o->keep_going = true;
      break;
    case 's':
      if (sp_cli_seconds(cmd, "--seconds", optarg, 0.01, 1e7, &o->seconds))
        return SP_EXIT_USAGE;
      break;
    case 'w':
      if (sp_cli_int(cmd, "--workers", optarg, 1, 256, &o->workers)) return 2;
      break;
    case 'N':
      if (sp_cli_u64(cmd, "--nonce-start", optarg, &o->nonce_start)) return 2;
      o->have_start = true;
      break;
    case 'j': o->json = true; break;
    case 'h':
      sp_cli_help(stdout, help_head);
      fputs(sp_status_args_help, stdout);
      fputs("backend options:\n", stdout);
      sp_backend_args_print_help(stdout);
      sp_cli_help_end(stdout);
      return SP_CLI_DONE;
    case SP_OPT_BACKEND:
      if (o->n_backends == 16) return sp_cli_fail(cmd, "at most 16 --backend");
      o->backends[o->n_backends++] = optarg;
      break;
    default:
      if (sp_status_args_take(sa, c)) break;
      if (sp_backend_args_is_option(c)) {
        int rc = sp_backend_args_take(cmd, ba, c, optarg);
        if (rc != 0) return rc; /* SP_CLI_DONE: as after --help */
        break;
      }
      return 2;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return 2;
  if (!o->have_d) return sp_cli_fail(cmd, "missing --difficulty");
  const sp_cli_work *w = &o->work;
  int forms = (w->have_block || (w->have_hotkey && o->period_ms == 0)) +
              w->have_bahh + (o->period_ms != 0);
  if (forms != 1)
    return sp_cli_fail(cmd, "give the work once: --block-hash with --hotkey, "
                            "or --block-and-hotkey-hash, or --scripted-period");
  if (w->have_block != w->have_hotkey && o->period_ms == 0)
    return sp_cli_fail(cmd, "--block-hash and --hotkey go together");
  if (o->period_ms != 0 && w->have_block)
    return sp_cli_fail(cmd, "--scripted-period makes its own block hashes");
  return 0;
}

/* Opens every worker's backend; on failure closes the ones opened. */
static int open_workers(const mine_opts *o, const sp_backend_args *ba,
                        const sp_backend_vtable **vts, sp_backend **bs,
                        int *n) {
  const char *dflt = sp_backend_default()->name;
  int n_names = o->n_backends ? o->n_backends : 1;
  *n = 0;
  for (int i = 0; i < n_names; i++)
    for (long k = 0; k < o->workers; k++) {
      if (*n == 256) return sp_cli_fail("mine", "at most 256 workers in all");
      const char *name = o->n_backends ? o->backends[i] : dflt;
      if (sp_cli_open_backend("mine", name, &ba->opts, &vts[*n], &bs[*n])) {
        for (int j = 0; j < *n; j++)
          vts[j]->close(bs[j]);
        return SP_EXIT_USAGE;
      }
      (*n)++;
    }
  return 0;
}

int sp_cmd_mine(int argc, char **argv) {
  mine_opts o = {.rule = SP_RULE_CHAIN_LE, .workers = 1, .seed = 1};
  sp_backend_args ba = {0};
  sp_status_args sa;
  sp_status_args_init(&sa);
  int rc = parse(argc, argv, &o, &ba, &sa);
  if (rc != 0) return rc < 0 ? SP_EXIT_OK : SP_EXIT_USAGE;

  static const sp_backend_vtable *vts[256];
  static sp_backend *bs[256];
  int n = 0;
  if (open_workers(&o, &ba, vts, bs, &n)) return SP_EXIT_USAGE;

  sp_stats_logger logger;
  sp_status_args_logger(&sa, stderr, &logger);
  {
    /* "Solving (1 worker: cpu, 2 threads)": a worker is one backend
     * instance, which may run many threads */
    sp_device_info di;
    memset(&di, 0, sizeof di);
    if (n > 0 && vts[0]->describe != NULL) vts[0]->describe(bs[0], 0, &di);
    char label[96];
    if (di.units > 0)
      snprintf(label, sizeof label, "%s, %d %s%s", vts[0]->name, di.units,
               vts[0]->kind == SP_DEVICE_GPU ? "SM" : "thread",
               di.units == 1 ? "" : "s");
    else
      snprintf(label, sizeof label, "%s", vts[0]->name);
    if (n > 0 && (o.n_backends <= 1)) sp_stats_logger_set_label(&logger, label);
  }
  json_t *sols = o.json ? json_array() : NULL;
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  cfg.keep_going = o.keep_going;
  cfg.time_limit_s = o.seconds;
  cfg.random_start = !o.have_start;
  cfg.nonce_start = o.nonce_start;
  cfg.on_stats = on_stats;
  cfg.on_stats_user = &logger;
  sp_scripted_source script;
  sp_work_source src;
  if (o.period_ms) {
    sp_scripted_source_init(&script, o.block_number, (unsigned)o.period_ms, 0,
                            o.seed, o.work.hotkey, o.difficulty, o.rule);
    src = sp_scripted_source_as_source(&script);
    cfg.source = &src;
  }
  sp_error_record err = {0};
  sp_engine *e = NULL;
  int status = SP_EXIT_USAGE;
  int handed = 0; /* backends the engine owns: it closes them */
  if (sp_engine_create(&cfg, &e, &err) != 0) goto out;
  for (; handed < n; handed++)
    if (sp_engine_add_owned_worker(e, vts[handed], bs[handed], 0, &err) < 0) {
      handed++;
      goto out;
    }
  if (!o.period_ms) {
    sp_block_work w;
    if (o.work.have_bahh) {
      memset(&w, 0, sizeof w);
      w.block_number = o.block_number;
      memcpy(w.work.block_and_hotkey_hash, o.work.bahh, 32);
      w.work.difficulty = o.difficulty;
      w.work.rule = o.rule;
    } else {
      sp_block_work_make(o.block_number, o.work.block_hash, o.work.hotkey,
                         o.difficulty, o.rule, &w);
    }
    sp_engine_publish_work(e, &w);
  }
  sp_stop_signal_clear();
  sp_stop_signal_install();
  if (sp_engine_start(e, &err) != 0) goto out;

  uint64_t found = 0;
  sp_engine_solution s;
  sp_engine_event ev;
  while ((ev = sp_engine_run(e, &s)) == SP_ENGINE_SOLUTION) {
    print_solution(&logger, e, &s, sols);
    found++;
    if (!o.keep_going || (o.max_solutions && found >= o.max_solutions)) {
      sp_engine_request_stop(e);
      break;
    }
  }
  int missing = sp_engine_stop_and_join(e, 3000);
  /* Solutions found by other workers before they stopped are printed too:
   * they are just as valid. */
  while (o.keep_going && !(o.max_solutions && found >= o.max_solutions) &&
         sp_engine_next_solution(e, &s)) {
    print_solution(&logger, e, &s, sols);
    found++;
  }
  sp_solve_stats st;
  sp_engine_stats(e, &st);
  sp_stats_logger_finish(&logger);
  char rate[64];
  sp_format_rate(st.hash_rate_perpetual, rate, sizeof rate);
  const char *stopped =
      ev == SP_ENGINE_SOLUTION ? "solution" : sp_engine_event_name(ev);
  /* The status counts every verified solution the workers queued; more
   * than were printed when the run stopped at the first one. */
  char extra[64] = "";
  if (st.solutions > found)
    snprintf(extra, sizeof extra, " printed (%" PRIu64 " found)", st.solutions);
  if (sols != NULL) {
    json_t *j = json_object();
    json_object_set_new(j, "status",
                        json_string(ev == SP_ENGINE_SIGNAL       ? "signal"
                                    : found > 0                  ? "solved"
                                    : ev == SP_ENGINE_TIME_LIMIT ? "time_limit"
                                                                 : "error"));
    json_object_set_new(j, "solutions", sols);
    json_object_set_new(j, "solutions_found", sp_json_u64(st.solutions));
    json_object_set_new(j, "hashes", sp_json_u64(st.hashes_total));
    json_object_set_new(j, "seconds", sp_json_fixed(st.time_spent_total, 3));
    json_object_set_new(j, "hashes_per_second",
                        sp_json_fixed(st.hash_rate_perpetual, 0));
    json_object_set_new(j, "blocks", sp_json_u64(st.blocks_seen));
    json_object_set_new(j, "stopped_by", json_string(stopped));
    sp_json_print(stdout, j);
    sols = NULL;
  } else {
    printf("%" PRIu64 " solution%s%s, %" PRIu64 " hashes in %.3f s (%s), "
           "%" PRIu64 " block%s, stopped by %s\n",
           found, found == 1 ? "" : "s", extra, st.hashes_total,
           st.time_spent_total, rate, st.blocks_seen,
           st.blocks_seen == 1 ? "" : "s", stopped);
  }
  if (st.bad_solutions)
    fprintf(stderr,
            "%s mine: warning: %" PRIu64 " solutions reported by a backend "
            "failed the reference check and were dropped (run %s verify)\n",
            sp_cli_prog(), st.bad_solutions, sp_cli_prog());
  if (missing)
    fprintf(stderr, "%s mine: %d worker%s did not exit within 3 s\n",
            sp_cli_prog(), missing, missing == 1 ? "" : "s");
  if (ev == SP_ENGINE_WORKER_ERROR || ev == SP_ENGINE_SOURCE_ERROR) {
    snprintf(err.message, sizeof err.message, "%s", sp_engine_error(e));
    status = SP_EXIT_USAGE;
  } else if (ev == SP_ENGINE_SIGNAL) {
    status = 128 + sp_stop_signal_pending();
  } else if (found == 0 && ev == SP_ENGINE_TIME_LIMIT) {
    status = SP_EXIT_TIME_LIMIT;
  } else {
    status = found ? SP_EXIT_OK : SP_EXIT_NO;
  }
out:
  json_decref(sols);
  sp_stop_signal_restore();
  if (err.message[0])
    fprintf(stderr, "%s mine: %s\n", sp_cli_prog(), err.message);
  /* The engine closes the backends it owns, a late worker's when its scan
   * returns; the ones never handed over are closed here. */
  sp_engine_destroy(e);
  for (int i = handed; i < n; i++)
    vts[i]->close(bs[i]);
  fflush(stdout);
  return status;
}
