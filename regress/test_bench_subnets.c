/*
 * bench subnets and its reads (chain/client/subnets.h) against the mock
 * node under each of its runtime profiles (282, 343, 397): the subnets
 * found, each value read, the expected time from a cached rate of
 * --backend auto (and none without one), burned-only runtimes, a subnet
 * that does not exist, and bad arguments.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autoselect/auto_cache.h"
#include "chain/client/client.h"
#include "chain/client/subnets.h"
#include "chain/mock/mock_node.h"
#include "regress/support/run_command.h"

static sp_mock_node *start(uint32_t runtime, char *url, size_t cap) {
  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  c.runtime = runtime;
  c.n_subnets = 2;
  c.subnets[0] = (sp_mock_subnet){.netuid = 1,
                                  .pow_allowed = true,
                                  .difficulty = 25000,
                                  .burn = 2500000000u};
  c.subnets[1] = (sp_mock_subnet){
      .netuid = 70, .pow_allowed = false, .difficulty = 10000000, .burn = 7};
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(&c, &err);
  cr_assert_not_null(n, "mock %u: %s", runtime, err.message);
  sp_mock_url(n, url, cap);
  return n;
}

static const uint32_t PROFILES[] = {282, 343, 397};

Test(bench_subnets, library_reads_every_profile) {
  for (size_t p = 0; p < 3; p++) {
    char url[128];
    sp_mock_node *n = start(PROFILES[p], url, sizeof url);
    sp_chain_client *c;
    sp_chain_error err = {0};
    cr_assert_eq(sp_chain_client_open(&c, url, NULL, &err), 0, "%s",
                 err.message);
    uint16_t *ids;
    size_t k;
    cr_assert_eq(sp_subnets_list(c->rpc, c->metadata, NULL, &ids, &k, &err), 0,
                 "%s", err.message);
    cr_assert_eq(k, 2, "profile %u: %zu subnets", PROFILES[p], k);
    cr_expect(ids[0] == 1 && ids[1] == 70);
    uint16_t ask[3] = {1, 70, 5};
    sp_subnet_info s[3];
    cr_assert_eq(sp_subnets_read(c->rpc, c->metadata, ask, 3, NULL, s, &err), 0,
                 "%s", err.message);
    cr_expect(s[0].exists && s[1].exists && !s[2].exists);
    cr_expect(s[0].have & SP_SUBNET_POW_ALLOWED);
    cr_expect(s[0].pow_allowed && !s[1].pow_allowed);
    cr_expect_eq(s[0].difficulty, 25000);
    cr_expect_eq(s[0].burn_rao, 2500000000u);
    cr_expect_eq(s[1].burn_rao, 7);
    cr_expect(s[0].have & SP_SUBNET_TARGET_REGS);
    cr_expect_eq(s[0].target_regs_per_interval, PROFILES[p] < 283 ? 4 : 2);
    free(ids);
    sp_chain_client_close(c);
    sp_mock_stop(n);
  }
}

static json_t *run_json(const char *url, const char *netuid, int want_status) {
  sp_run_result r;
  if (netuid)
    sp_run_bench(&r, "subnets", "--network", url, "--json", "--netuid", netuid,
                 NULL);
  else
    sp_run_bench(&r, "subnets", "--network", url, "--json", NULL);
  cr_assert_eq(r.status, want_status, "status %d: %s", r.status, r.err);
  json_error_t je;
  json_t *o = json_loads(r.out, 0, &je);
  cr_assert_not_null(o, "not JSON: %s", r.out);
  sp_run_result_free(&r);
  return o;
}

static json_t *subnet(json_t *o, int netuid) {
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(o, "subnets"), i, s) {
    if (json_integer_value(json_object_get(s, "netuid")) == netuid) return s;
  }
  cr_assert_fail("no subnet %d", netuid);
  return NULL;
}

static char cache_home[] = "/tmp/subpow-subnets-XXXXXX";

static void fresh_cache(void) {
  cr_assert_not_null(mkdtemp(cache_home));
  setenv("XDG_CACHE_HOME", cache_home, 1);
}

static void drop_cache(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", cache_home);
  cr_expect_eq(system(cmd), 0);
}

/* Writes a cache for the build `path` names, with one verified entry at
 * `hps` and one faster one that failed verification (never used). */
static void write_cache(const char *path, double hps) {
  const char *base = strrchr(path, '/');
  cr_assert(base && strncmp(base, "/auto-", 6) == 0);
  sp_auto_cache c = {0};
  snprintf(c.build_id, sizeof c.build_id, "%.*s", (int)(strlen(base) - 11),
           base + 6);
  sp_auto_entry e = {0};
  snprintf(e.key, sizeof e.key, "cpu:test-device");
  snprintf(e.backend, sizeof e.backend, "cpu");
  e.verified = true;
  e.hashes_per_second = hps;
  snprintf(e.checked_at, sizeof e.checked_at, "2026-12-07T00:00:00Z");
  cr_assert_eq(sp_auto_cache_put(&c, &e), 0);
  snprintf(e.key, sizeof e.key, "cuda:broken");
  e.verified = false;
  e.hashes_per_second = hps * 100;
  cr_assert_eq(sp_auto_cache_put(&c, &e), 0);
  sp_error_record err = {0};
  cr_assert_eq(sp_auto_cache_save(path, &c, &err), 0, "%s", err.message);
  sp_auto_cache_free(&c);
}

Test(bench_subnets, command_pow_runtime_expected_time_from_cache,
     .init = fresh_cache, .fini = drop_cache) {
  char url[128];
  sp_mock_node *n = start(343, url, sizeof url);
  json_t *o = run_json(url, NULL, 0);
  cr_expect_eq(json_integer_value(json_object_get(o, "spec_version")), 343);
  cr_expect(json_is_null(json_object_get(o, "backend")), "no cache: no rate");
  cr_expect(strstr(json_string_value(json_object_get(o, "backend_note")),
                   "nothing was measured") != NULL);
  json_t *s = subnet(o, 1);
  cr_expect(json_is_true(json_object_get(s, "pow_allowed")));
  cr_expect_eq(json_integer_value(json_object_get(s, "difficulty")), 25000);
  cr_expect(json_is_null(json_object_get(s, "expected_seconds")));
  cr_expect(json_is_false(json_object_get(subnet(o, 70), "pow_allowed")));
  write_cache(json_string_value(json_object_get(o, "backend_cache")), 1000.0);
  json_decref(o);

  o = run_json(url, NULL, 0);
  json_t *b = json_object_get(o, "backend");
  cr_assert(json_is_object(b), "a cached rate is used");
  cr_expect_str_eq(json_string_value(json_object_get(b, "name")),
                   "cpu:test-device",
                   "the verified one, not the faster "
                   "unverified one");
  s = subnet(o, 1);
  cr_expect_float_eq(json_number_value(json_object_get(s, "expected_seconds")),
                     25.0, 1e-9, "25000 hashes at 1000 H/s");
  cr_expect(json_is_null(json_object_get(subnet(o, 70), "expected_seconds")),
            "no PoW, no time");
  json_decref(o);

  /* The text table says where the rate comes from. */
  sp_run_result r;
  sp_run_bench(&r, "subnets", "--network", url, NULL);
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect(strstr(r.out, "cpu:test-device") && strstr(r.out, "cached"), "%s",
            r.out);
  cr_expect(strstr(r.out, "25 s") != NULL, "%s", r.out);
  cr_expect(strstr(r.out, "2.500000000") != NULL, "burn in TAO: %s", r.out);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(bench_subnets, command_burned_runtime, .init = fresh_cache,
     .fini = drop_cache) {
  char url[128];
  sp_mock_node *n = start(397, url, sizeof url);
  json_t *o = run_json(url, "1", 0);
  cr_expect_eq(json_array_size(json_object_get(o, "subnets")), 1);
  json_t *s = subnet(o, 1);
  cr_expect(json_is_false(json_object_get(s, "pow_allowed")),
            "spec 397 has no PoW registration");
  cr_expect(json_is_null(json_object_get(s, "expected_seconds")));
  cr_expect_float_eq(json_number_value(json_object_get(s, "burn_tao")), 2.5,
                     1e-9);
  cr_expect(json_is_true(json_object_get(s, "registration_allowed")));
  json_decref(o);
  /* A subnet that does not exist: shown, exit 1. */
  o = run_json(url, "5", 1);
  cr_expect(json_is_false(json_object_get(subnet(o, 5), "exists")));
  cr_expect(
      json_is_false(json_object_get(subnet(o, 5), "registration_allowed")));
  json_decref(o);
  sp_mock_stop(n);
}

Test(bench_subnets, bad_arguments) {
  static const char *const cases[][3] = {
      {"--netuid", "65536", NULL},
      {"--netuid", "abc", NULL},
      {"--network", "gopher://x", NULL},
      {"--transport", "pigeon", NULL},
      {"stray", NULL, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sp_run_result r;
    sp_run_bench(&r, "subnets", cases[i][0], cases[i][1], NULL);
    cr_expect_eq(r.status, 2, "case %zu: %d", i, r.status);
    cr_expect_eq(sp_count_lines(r.err), 1, "case %zu: %s", i, r.err);
    cr_expect(strstr(r.err, "subnets") != NULL, "%s", r.err);
    sp_run_result_free(&r);
  }
}
