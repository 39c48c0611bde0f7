/*
 * Every --json output is one valid JSON document, built with jansson
 * (bench/json_out.h): a quote, a backslash or a control character in a URL,
 * a wallet name or a node's message cannot break it, and u64 values above
 * 2^63 keep every digit.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress/support/run_command.h"

static char tmp[64], wallets[128];

static void setup(void) {
  snprintf(tmp, sizeof tmp, "/tmp/subpow-json-XXXXXX");
  cr_assert_not_null(mkdtemp(tmp));
  snprintf(wallets, sizeof wallets, "%s/w", tmp);
  setenv("HOME", tmp, 1); /* the auto cache, should anything use it */
  unsetenv("XDG_CACHE_HOME");
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(json_output, .init = setup, .fini = teardown, .timeout = 120);

/* stdout must be exactly one JSON object and a newline (jansson reads
 * integers above 2^63 only as reals). */
static json_t *parse(const sp_run_result *r) {
  json_error_t je;
  json_t *j = json_loads(r->out, JSON_DECODE_INT_AS_REAL, &je);
  cr_assert_not_null(j, "invalid JSON (%s at %d): %s", je.text, je.position,
                     r->out);
  cr_assert(json_is_object(j), "%s", r->out);
  size_t n = strlen(r->out);
  cr_assert(n > 0 && r->out[n - 1] == '\n' && sp_count_lines(r->out) == 1, "%s",
            r->out);
  return j;
}

Test(json_output, register_network_with_a_quote) {
  sp_run_result r;
  const char *name = "a\"b\\c";
  sp_run_bench(&r, "wallet", "create", "--wallet-path", wallets,
               "--wallet-name", name, "--no-password", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
  const char *url = "http://127.0.0.1:1/a\"b";
  sp_run_bench(&r, "register", "--json", "--network", url, "--wallet-path",
               wallets, "--wallet-name", name, "--backend", "reference", NULL);
  cr_assert_neq(r.status, 0);
  json_t *j = parse(&r);
  cr_expect_str_eq(json_string_value(json_object_get(j, "network")), url);
  cr_expect_str_eq(json_string_value(json_object_get(j, "status")), "error");
  const char *msg = json_string_value(json_object_get(j, "message"));
  cr_expect(msg != NULL && strstr(msg, url) != NULL, "%s", r.out);
  json_decref(j);
  sp_run_result_free(&r);

  sp_run_bench(&r, "wallet", "inspect", "--json", "--wallet-path", wallets,
               "--wallet-name", name, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  j = parse(&r);
  cr_expect_str_eq(json_string_value(json_object_get(j, "wallet")), name);
  cr_expect(json_is_object(json_object_get(j, "hotkey")), "%s", r.out);
  json_decref(j);
  sp_run_result_free(&r);
}

Test(json_output, u64_values_keep_every_digit) {
  sp_run_result r;
  sp_run_bench(
      &r, "seal", "--block-and-hotkey-hash",
      "1111111111111111111111111111111111111111111111111111111111111111",
      "--nonce", "18446744073709551615", "--json", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  json_decref(parse(&r));
  cr_expect_not_null(strstr(r.out, "\"nonce\": 18446744073709551615}"), "%s",
                     r.out);
  sp_run_result_free(&r);
  sp_run_bench(&r, "hashrate", "--json", "--backend", "reference", "--seconds",
               "0.1", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  json_t *j = parse(&r);
  cr_expect(json_is_array(json_object_get(j, "devices")), "%s", r.out);
  cr_expect(json_is_number(json_object_get(j, "hashes_per_second")), "%s",
            r.out);
  json_decref(j);
  sp_run_result_free(&r);
}
