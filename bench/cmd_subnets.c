/* bench subnets: where can I register, and what will it cost me? The reads
 * are chain/client/subnets.h; the expected time comes from --backend auto's
 * cache of verified rates (autoselect/auto_cache.h). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoselect/auto_cache.h"
#include "autoselect/build_id.h"
#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/json_out.h"
#include "chain/client/client.h"
#include "chain/client/endpoint.h"
#include "chain/client/subnets.h"
#include "chain/codec/scale_type.h"
#include "chain/mock/mock_node.h"

static const char help[] =
    "usage: bench subnets [--network NAME|URL] [--netuid N] [--json]\n"
    "                     [--transport http|ws] [--rpc-timeout-ms MS]\n"
    "\n"
    "Answers \"where can I register and what will it cost me\", read from the\n"
    "chain's storage at its best block, per subnet (or only --netuid N):\n"
    "whether it exists, whether registration is open, whether proof of work\n"
    "is allowed and at which difficulty (runtimes before spec 397), the\n"
    "expected time to a solution on this machine's fastest verified backend\n"
    "(the rate --backend auto cached here; nothing is measured: without a\n"
    "cached rate, run `bench hashrate --backend auto` once), the burn\n"
    "price in TAO (what a burned registration costs now; it moves every\n"
    "block), the uids used of the maximum, the registrations this interval\n"
    "of the target (3x the target closes PoW registration until the\n"
    "interval ends) and the immunity period in blocks. A value the runtime\n"
    "does not store is shown as '-' (null in JSON).\n"
    "\n"
    "  --network N   mock (default: an embedded mock node), finney, test,\n"
    "                archive, local, or an http(s)/ws(s) URL\n"
    "  --netuid N    only this subnet (shown even when it does not exist)\n"
    "  --json        one JSON object on stdout: network, spec_version,\n"
    "                block, backend {name, hashes_per_second, cached_at} or\n"
    "                null (backend_note says why), backend_cache (the\n"
    "                cache file read), subnets [{netuid, exists,\n"
    "                registration_allowed,\n"
    "                pow_allowed, difficulty, expected_seconds, burn_rao,\n"
    "                burn_tao, uids, max_uids, registrations_this_interval,\n"
    "                target_registrations_per_interval, immunity_period}]\n"
    "  --transport T http or ws (default: ws for names and ws(s):// URLs)\n"
    "  --rpc-timeout-ms MS  give up on one request after MS (default 60000)\n"
    "Exit status: 0, 1 when --netuid names a subnet that does not exist, 2 on\n"
    "a usage error or when the node cannot be read.\n"
    "\n";

/* The first spec_version without PoW registration (docs/protocol.md
 * section 4). */
#define FIRST_BURNED_ONLY_SPEC 397

typedef struct rate {
  bool have;
  char backend[512];
  double hps;
  char checked_at[32];
  char note[1500];  /* why there is none */
  char cache[1200]; /* the cache file read, "" when there is none */
} rate;

/* The fastest verified, undisturbed rate in auto's cache for this build. */
static void cached_rate(rate *r) {
  memset(r, 0, sizeof *r);
  char build_id[128], dir[900], path[1200];
  if (sp_build_id(build_id, sizeof build_id) != 0 ||
      sp_auto_cache_default_dir(dir, sizeof dir) != 0 ||
      sp_auto_cache_path(dir, build_id, path, sizeof path) != 0) {
    snprintf(r->note, sizeof r->note, "no cache of --backend auto here");
    return;
  }
  snprintf(r->cache, sizeof r->cache, "%s", path);
  sp_auto_cache c;
  if (sp_auto_cache_load(path, build_id, &c, NULL) < 0) {
    snprintf(r->note, sizeof r->note, "out of memory");
    return;
  }
  for (size_t i = 0; i < c.n; i++) {
    const sp_auto_entry *e = &c.entries[i];
    if (!e->verified || e->rate_disturbed || e->hashes_per_second <= 0 ||
        (r->have && e->hashes_per_second <= r->hps))
      continue;
    r->have = true;
    r->hps = e->hashes_per_second;
    snprintf(r->backend, sizeof r->backend, "%s", e->key);
    snprintf(r->checked_at, sizeof r->checked_at, "%s", e->checked_at);
  }
  sp_auto_cache_free(&c);
  if (!r->have)
    snprintf(r->note, sizeof r->note,
             "no verified rate cached for this build in %s: a command run "
             "once with --backend auto (bench hashrate --backend auto) fills "
             "it; nothing was measured now",
             path);
}

typedef struct args {
  const char *network;
  bool json, one;
  uint16_t netuid;
  sp_rpc_options rpc;
} args;

/* Reads argv into *a. Returns 0, SP_EXIT_USAGE after one line on stderr,
 * or SP_CLI_DONE after --help (bench/cli.h: the help was printed and the
 * command ends with SP_EXIT_OK). */
static int parse(int argc, char **argv, args *a) {
  static const struct option opts[] = {
      {"network", required_argument, NULL, 'n'},
      {"netuid", required_argument, NULL, 'u'},
      {"json", no_argument, NULL, 'j'},
      {"transport", required_argument, NULL, 'T'},
      {"rpc-timeout-ms", required_argument, NULL, 'R'},
      {"help", no_argument, NULL, 'h'},
      SP_CLI_QUIET_LONGOPT,
      {0}};
  memset(a, 0, sizeof *a);
  a->network = "mock";
  sp_rpc_options_default(&a->rpc);
  long v;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next("subnets", argc, argv, opts)) != -1) {
    switch (c) {
    case 'n': a->network = optarg; break;
    case 'u':
      if (sp_cli_int("subnets", "--netuid", optarg, 0, 65535, &v))
        return SP_EXIT_USAGE;
      a->netuid = (uint16_t)v;
      a->one = true;
      break;
    case 'j': a->json = true; break;
    case 'T':
      if (sp_rpc_transport_parse(optarg, &a->rpc.transport) != 0)
        return sp_cli_fail("subnets", "--transport: '%s' is not http or ws",
                           optarg);
      break;
    case 'R':
      if (sp_cli_int("subnets", "--rpc-timeout-ms", optarg, 100, 600000, &v))
        return SP_EXIT_USAGE;
      a->rpc.timeout_ms = v;
      break;
    case 'h':
      sp_cli_help(stdout, help);
      sp_cli_help_end(stdout);
      return SP_CLI_DONE;
    default: return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional("subnets", argc, argv)) return SP_EXIT_USAGE;
  if (strcmp(a->network, "mock") != 0) {
    char resolved[256];
    sp_chain_error nerr = {0};
    if (sp_endpoint_resolve(a->network, resolved, sizeof resolved, &nerr))
      return sp_cli_fail("subnets", "--network: %s", nerr.message);
  }
  return 0;
}

static bool pow_era(uint32_t spec) { return spec < FIRST_BURNED_ONLY_SPEC; }

/* Expected seconds to a seal meeting `difficulty`: each hash meets it with
 * probability about 1/difficulty under every rule (docs/protocol.md
 * section 2), so difficulty / rate on average. */
static double expected_seconds(uint64_t difficulty, const rate *r) {
  return (double)difficulty / r->hps;
}

static void fmt_duration(double s, char *out, size_t cap) {
  if (s < 1)
    snprintf(out, cap, "<1 s");
  else if (s < 120)
    snprintf(out, cap, "%.0f s", s);
  else if (s < 7200)
    snprintf(out, cap, "%.0f min", s / 60);
  else if (s < 172800)
    snprintf(out, cap, "%.1f h", s / 3600);
  else
    snprintf(out, cap, "%.0f d", s / 86400);
}

#define HAVE(s, bit) (((s)->have & (bit)) != 0)

static json_t *u64_or_null(const sp_subnet_info *s, unsigned bit, uint64_t v) {
  return HAVE(s, bit) ? sp_json_u64(v) : json_null();
}

static json_t *bool_or_null(const sp_subnet_info *s, unsigned bit, bool v) {
  return HAVE(s, bit) ? json_boolean(v) : json_null();
}

/* Registration open: the runtime's switch where it has one; never on the
 * root subnet (netuid 0), which takes no registrations (protocol.md). */
static bool open_of(const sp_subnet_info *s) {
  return s->exists && s->netuid != 0 &&
         (!HAVE(s, SP_SUBNET_REGISTRATION_ALLOWED) || s->registration_allowed);
}

static bool pow_of(const sp_subnet_info *s, uint32_t spec) {
  return pow_era(spec) && s->exists && s->netuid != 0 &&
         HAVE(s, SP_SUBNET_POW_ALLOWED) && s->pow_allowed;
}

static json_t *subnet_json(const sp_subnet_info *s, uint32_t spec,
                           const rate *r) {
  bool pow = pow_of(s, spec);
  json_t *exp = pow && r->have && HAVE(s, SP_SUBNET_DIFFICULTY)
                    ? sp_json_fixed(expected_seconds(s->difficulty, r), 1)
                    : json_null();
  return json_pack(
      "{s:i,s:b,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "netuid",
      s->netuid, "exists", s->exists, "registration_allowed", open_of(s),
      "pow_allowed",
      pow_era(spec) ? bool_or_null(s, SP_SUBNET_POW_ALLOWED, pow)
                    : json_false(),
      "difficulty", u64_or_null(s, SP_SUBNET_DIFFICULTY, s->difficulty),
      "expected_seconds", exp, "burn_rao",
      u64_or_null(s, SP_SUBNET_BURN, s->burn_rao), "burn_tao",
      HAVE(s, SP_SUBNET_BURN) ? sp_json_fixed((double)s->burn_rao / 1e9, 9)
                              : json_null(),
      "uids", u64_or_null(s, SP_SUBNET_UIDS, s->uids), "max_uids",
      u64_or_null(s, SP_SUBNET_MAX_UIDS, s->max_uids),
      "registrations_this_interval",
      u64_or_null(s, SP_SUBNET_REGS_THIS_INTERVAL, s->regs_this_interval),
      "target_registrations_per_interval",
      u64_or_null(s, SP_SUBNET_TARGET_REGS, s->target_regs_per_interval),
      "immunity_period",
      u64_or_null(s, SP_SUBNET_IMMUNITY, s->immunity_period));
}

static void num_or_dash(const sp_subnet_info *s, unsigned bit, uint64_t v,
                        char *out, size_t cap) {
  if (HAVE(s, bit))
    snprintf(out, cap, "%" PRIu64, v);
  else
    snprintf(out, cap, "-");
}

static void print_row(const sp_subnet_info *s, uint32_t spec, const rate *r) {
  char diff[24] = "-", when[24] = "-", burn[32] = "-", uids[48], regs[48],
       imm[24], a[24], b[24];
  bool pow = pow_of(s, spec);
  if (pow && HAVE(s, SP_SUBNET_DIFFICULTY)) {
    snprintf(diff, sizeof diff, "%" PRIu64, s->difficulty);
    if (r->have)
      fmt_duration(expected_seconds(s->difficulty, r), when, sizeof when);
  }
  if (HAVE(s, SP_SUBNET_BURN))
    snprintf(burn, sizeof burn, "%.9f", (double)s->burn_rao / 1e9);
  num_or_dash(s, SP_SUBNET_UIDS, s->uids, a, sizeof a);
  num_or_dash(s, SP_SUBNET_MAX_UIDS, s->max_uids, b, sizeof b);
  snprintf(uids, sizeof uids, "%s/%s", a, b);
  num_or_dash(s, SP_SUBNET_REGS_THIS_INTERVAL, s->regs_this_interval, a,
              sizeof a);
  num_or_dash(s, SP_SUBNET_TARGET_REGS, s->target_regs_per_interval, b,
              sizeof b);
  snprintf(regs, sizeof regs, "%s/%s", a, b);
  num_or_dash(s, SP_SUBNET_IMMUNITY, s->immunity_period, imm, sizeof imm);
  const char *pow_text = !pow_era(spec)                    ? "no (spec)"
                         : !s->exists || s->netuid == 0    ? "no"
                         : !HAVE(s, SP_SUBNET_POW_ALLOWED) ? "-"
                         : s->pow_allowed                  ? "yes"
                                                           : "no";
  printf("%6u  %-6s  %-4s  %-9s  %14s  %10s  %16s  %11s  %9s  %8s\n", s->netuid,
         s->exists ? "yes" : "no", open_of(s) ? "yes" : "no", pow_text, diff,
         when, burn, uids, regs, imm);
}

static int report(const args *a, sp_chain_client *c, const uint8_t at[32],
                  uint64_t best, const sp_subnet_info *s, size_t n,
                  const rate *r) {
  uint32_t spec = c->runtime.spec_version;
  if (a->json) {
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
      json_array_append_new(list, subnet_json(&s[i], spec, r));
    json_t *backend =
        r->have ? json_pack("{s:s,s:o,s:s,s:b}", "name", r->backend,
                            "hashes_per_second", sp_json_fixed(r->hps, 0),
                            "cached_at", r->checked_at, "cached", 1)
                : json_null();
    json_t *o = json_pack(
        "{s:o,s:o,s:i,s:o,s:o,s:o,s:o,s:o}", "network", sp_json_str(a->network),
        "backend_cache", sp_json_str(r->cache), "spec_version", spec, "block",
        sp_json_u64(best), "block_hash", sp_json_hex(at, 32), "backend",
        backend, "backend_note", r->have ? json_null() : sp_json_str(r->note),
        "subnets", list);
    return sp_json_print(stdout, o) == 0 ? SP_EXIT_OK : SP_EXIT_USAGE;
  }
  printf("%s: spec %u, block %" PRIu64 "; %s\n", a->network, spec, best,
         pow_era(spec) ? "proof-of-work registration exists in this runtime"
                       : "registration is burned only in this runtime "
                         "(spec >= 397)");
  if (pow_era(spec)) {
    if (r->have)
      printf("expected times: %s at %.0f H/s, the rate --backend auto cached "
             "at %s (not measured now)\n",
             r->backend, r->hps, r->checked_at);
    else
      printf("expected times: -, %s\n", r->note);
  }
  printf("%6s  %-6s  %-4s  %-9s  %14s  %10s  %16s  %11s  %9s  %8s\n", "netuid",
         "exists", "open", "pow", "difficulty", "expected", "burn TAO",
         "uids/max", "regs/tgt", "immunity");
  for (size_t i = 0; i < n; i++)
    print_row(&s[i], spec, r);
  return SP_EXIT_OK;
}

int sp_cmd_subnets(int argc, char **argv) {
  args a;
  int prc = parse(argc, argv, &a);
  if (prc != 0) return prc == SP_CLI_DONE ? SP_EXIT_OK : prc;

  sp_mock_node *mock = NULL;
  char url[256];
  snprintf(url, sizeof url, "%s", a.network);
  if (strcmp(a.network, "mock") == 0) {
    sp_mock_config mc;
    sp_mock_config_default(&mc);
    mc.port = 0;
    sp_error_record err = {0};
    mock = sp_mock_start(&mc, &err);
    if (!mock)
      return sp_cli_fail("subnets", "cannot start the embedded mock node: %s",
                         err.message);
    sp_mock_url(mock, url, sizeof url);
    a.rpc.transport = SP_RPC_TRANSPORT_HTTP;
  }
  sp_chain_client *c = NULL;
  sp_chain_error err = {0};
  uint16_t *netuids = NULL;
  size_t n = 0;
  sp_subnet_info *s = NULL;
  uint64_t best = 0;
  uint8_t at[32];
  int status = SP_EXIT_USAGE;
  int rc = sp_chain_client_open(&c, url, &a.rpc, &err);
  if (!rc) rc = sp_chain_best_block(c, &best, at, &err);
  if (!rc && a.one) {
    netuids = malloc(sizeof *netuids);
    if (netuids) netuids[0] = a.netuid, n = 1;
  } else if (!rc) {
    rc = sp_subnets_list(c->rpc, c->metadata, at, &netuids, &n, &err);
  }
  if (!rc && n > 0) {
    s = calloc(n, sizeof *s);
    if (!s) rc = sp_chain_fail(&err, SP_CHAIN_ENOMEM, "out of memory");
  }
  if (!rc) rc = sp_subnets_read(c->rpc, c->metadata, netuids, n, at, s, &err);
  if (rc) {
    sp_cli_fail("subnets", "%s", err.message);
  } else {
    rate r;
    cached_rate(&r);
    status = report(&a, c, at, best, s, n, &r);
    if (status == SP_EXIT_OK && a.one && !s[0].exists) {
      if (!a.json)
        fprintf(stderr, "%s subnets: subnet %u does not exist\n", sp_cli_prog(),
                a.netuid);
      status = SP_EXIT_NO;
    }
  }
  free(s);
  free(netuids);
  sp_chain_client_close(c);
  sp_mock_stop(mock);
  return status;
}
