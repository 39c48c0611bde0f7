/* bench hashrate: how many seals a second a backend computes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "common/clock.h"
#include "registry/registry.h"
#include "bench/commands.h"
#include "common/version.h"
#include "bench/json_out.h"

static const char help_head[] =
    "usage: bench hashrate [--backend NAME] [--seconds S] [--json] [backend options]\n"
    "\n"
    "Runs the backend on a fixed piece of work (difficulty 2^64 - 1, so almost\n"
    "no nonce solves and nothing but hashing is measured) for S seconds\n"
    "(default 5, 0.1 .. 3600) and prints the device, the settings and the rate.\n"
    "  --json   {\"backend\", \"device\", \"devices\", \"threads\", \"isa\",\n"
    "            \"hashes\", \"seconds\", \"hashes_per_second\",\n"
    "            \"subpow_version\", \"subpow_commit\"}\n"
    "backend options (default backend: the fastest CPU backend built in):\n";

static bool before_deadline(void *user) {
  return sp_monotonic_seconds() < *(const double *)user;
}

static void ignore_solution(void *user, uint64_t nonce, const uint8_t seal[32]) {
  (void)user, (void)nonce, (void)seal;
}


int sp_cmd_hashrate(int argc, char **argv) {
  static const struct option opts[] = {
      {"seconds", required_argument, NULL, 's'},
      {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      SP_BACKEND_LONGOPTS,
      {0}};
  const char *cmd = "hashrate";
  double seconds = 5;
  bool json = false;
  sp_backend_args ba = {0};
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    switch (c) {
    case 's':
      if (sp_cli_seconds(cmd, "--seconds", optarg, 0.1, 3600, &seconds))
        return SP_EXIT_USAGE;
      break;
    case 'j': json = true; break;
    case 'h':
      fputs(help_head, stdout);
      sp_backend_args_print_help(stdout);
      return SP_EXIT_OK;
    default:
      if (c >= 1000) {
        if (sp_backend_args_take(cmd, &ba, c, optarg)) return SP_EXIT_USAGE;
        break;
      }
      return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  const char *name = ba.backend;
  if (name == NULL) name = sp_backend_default()->name;
  const sp_backend_vtable *vt;
  sp_backend *b;
  if (sp_cli_open_backend(cmd, name, &ba.opts, &vt, &b)) return SP_EXIT_USAGE;

  sp_work work = {.difficulty = UINT64_MAX, .rule = SP_RULE_CHAIN_LE};
  for (int i = 0; i < 32; i++) work.block_and_hotkey_hash[i] = (uint8_t)(i * 37 + 11);
  sp_solution_sink sink = {.found = ignore_solution};
  char err[512] = "";
  /* A short warm-up (thread start, GPU clocks, module load) is not timed. */
  double warm_deadline = sp_monotonic_seconds() + (seconds < 1 ? seconds / 4 : 0.25);
  uint64_t scanned = 0;
  sp_nonce_range warm = {.start = 1ull << 40, .count = UINT64_MAX};
  int rc = vt->scan(b, &work, warm, &sink, before_deadline, &warm_deadline,
                    &scanned, err, sizeof err);
  double t0 = sp_monotonic_seconds(), deadline = t0 + seconds;
  sp_nonce_range range = {.start = 1ull << 48, .count = UINT64_MAX};
  if (rc == 0)
    rc = vt->scan(b, &work, range, &sink, before_deadline, &deadline, &scanned,
                  err, sizeof err);
  double elapsed = sp_monotonic_seconds() - t0;
  if (rc != 0) {
    vt->close(b);
    fprintf(stderr, "bench hashrate: %s\n", err);
    return SP_EXIT_USAGE;
  }
  double rate = (double)scanned / elapsed;
  int n_dev = vt->device_count(b);
  sp_device_info d0;
  vt->describe(b, 0, &d0);
  if (json) {
    json_t *devs = json_array();
    for (int i = 0; i < n_dev; i++) {
      sp_device_info d;
      vt->describe(b, i, &d);
      json_array_append_new(devs, json_pack("{s:i, s:o, s:o, s:i}", "id", d.id,
                                            "name", sp_json_str(d.name), "isa",
                                            sp_json_str(d.isa), "units",
                                            d.units));
    }
    sp_json_print(
        stdout,
        json_pack("{s:o, s:o, s:o, s:i, s:o, s:i, s:o, s:o, s:o, s:o, s:s, "
                  "s:s}",
                  "backend", sp_json_str(vt->name), "device",
                  sp_json_str(d0.name), "devices", devs, "threads", d0.units,
                  "isa", sp_json_str(d0.isa), "tpb", ba.opts.tpb,
                  "update_interval", sp_json_u64(ba.opts.update_interval),
                  "hashes", sp_json_u64(scanned), "seconds",
                  sp_json_fixed(elapsed, 3), "hashes_per_second",
                  sp_json_fixed(rate, 0), "subpow_version", sp_version(),
                  "subpow_commit", sp_git_commit()));
  } else {
    for (int i = 0; i < n_dev; i++) {
      sp_device_info d;
      vt->describe(b, i, &d);
      printf("device %d: %s (%s, %d units)\n", d.id, d.name, d.isa, d.units);
    }
    printf("backend: %s  threads: %d  tpb: %d  update-interval: %" PRIu64 "\n",
           vt->name, d0.units, ba.opts.tpb, ba.opts.update_interval);
    printf("rate: %.3f MH/s (%" PRIu64 " hashes in %.3f s)\n", rate / 1e6,
           scanned, elapsed);
  }
  vt->close(b);
  return SP_EXIT_OK;
}
