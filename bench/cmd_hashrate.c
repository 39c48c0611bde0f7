/* bench hashrate: how many seals a second a backend computes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "common/clock.h"
#include "verify/vectors.h"
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


/* A setting's value as run: the one given, else the backend's own default
 * (its description's text); false when the backend has no such setting,
 * which is then not printed at all (the CPU has no threads per block). */
static bool setting_text(const sp_backend_vtable *vt, sp_setting s,
                         uint64_t given, char *out, size_t cap) {
  const sp_setting_info *info = sp_backend_setting(vt, s);
  if (info == NULL) return false;
  if (given != 0)
    snprintf(out, cap, "%" PRIu64, given);
  else
    snprintf(out, cap, "%s", info->dflt ? info->dflt : "default");
  return true;
}

/* A number in JSON when the text is one ("65536"), else the text. */
static json_t *number_or_text(const char *v) {
  uint64_t n;
  if (sp_parse_u64(v, &n) == 0) return sp_json_u64(n);
  return sp_json_str(v);
}

int sp_cmd_hashrate(int argc, char **argv) {
  static const struct option opts[] = {
      {"seconds", required_argument, NULL, 's'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
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
      sp_cli_help(stdout, help_head);
      sp_backend_args_print_help(stdout);
      sp_cli_help_end(stdout);
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
    fprintf(stderr, "%s hashrate: %s\n", sp_cli_prog(), err);
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
    json_t *j = json_pack("{s:o, s:o, s:o, s:i, s:o}", "backend",
                          sp_json_str(vt->name), "device", sp_json_str(d0.name),
                          "devices", devs, "threads", d0.units, "isa",
                          sp_json_str(d0.isa));
    /* only the settings this backend takes, at their true values */
    char v[64];
    if (setting_text(vt, SP_SETTING_TPB, (uint64_t)ba.opts.tpb, v, sizeof v))
      json_object_set_new(j, "tpb", number_or_text(v));
    if (setting_text(vt, SP_SETTING_UPDATE_INTERVAL, ba.opts.update_interval,
                     v, sizeof v))
      json_object_set_new(j, "update_interval", number_or_text(v));
    json_object_set_new(j, "hashes", sp_json_u64(scanned));
    json_object_set_new(j, "seconds", sp_json_fixed(elapsed, 3));
    json_object_set_new(j, "hashes_per_second", sp_json_fixed(rate, 0));
    json_object_set_new(j, "subpow_version", json_string(sp_version()));
    json_object_set_new(j, "subpow_commit", json_string(sp_git_commit()));
    sp_json_print(stdout, j);
  } else {
    for (int i = 0; i < n_dev; i++) {
      sp_device_info d;
      vt->describe(b, i, &d);
      printf("device %d: %s (%s, %d units)\n", d.id, d.name, d.isa, d.units);
    }
    printf("backend: %s  %s: %d", vt->name,
           vt->kind == SP_DEVICE_GPU ? "SMs" : "threads", d0.units);
    char v[64];
    if (setting_text(vt, SP_SETTING_TPB, (uint64_t)ba.opts.tpb, v, sizeof v))
      printf("  tpb: %s", v);
    if (setting_text(vt, SP_SETTING_UPDATE_INTERVAL, ba.opts.update_interval,
                     v, sizeof v))
      printf("  update-interval: %s", v);
    printf("\n");
    printf("rate: %.3f MH/s (%" PRIu64 " hashes in %.3f s)\n", rate / 1e6,
           scanned, elapsed);
  }
  vt->close(b);
  return SP_EXIT_OK;
}
