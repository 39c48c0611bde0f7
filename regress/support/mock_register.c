/* bench register against the mock node; see mock_register.h. */
#include "regress/support/mock_register.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "chain/keys/ss58.h"

void sp_test_mock_config(sp_mock_config *c, unsigned block_ms) {
  sp_mock_config_default(c);
  c->port = 0;
  c->block_time_ms = block_ms;
  c->n_subnets = 0;
}

sp_mock_node *sp_test_mock_start(const sp_mock_config *c, bool ws,
                                 char url[64]) {
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(c, &err);
  cr_assert_not_null(n, "%s", err.message);
  if (ws)
    sp_mock_ws_url(n, url, 64);
  else
    sp_mock_url(n, url, 64);
  return n;
}

void sp_run_register(sp_run_result *r, const char *sub, const char *wallet,
                     const char *url, const char *const *extra) {
  const char *argv[32] = {
      SUBPOW_BENCH, sub,   "--wallet-path",       wallet,
      "--network",  url,   "--backend",           "reference",
      "--poll-ms",  "100", "--no-output-in-place"};
  int n = 11;
  for (int i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
    argv[n++] = extra[i];
  argv[n] = NULL;
  cr_assert_eq(sp_run((char *const *)argv, NULL, r), 0);
}

void sp_wallet_hotkey(const char *wallet, uint8_t out[32]) {
  sp_run_result r;
  sp_run_bench(&r, "wallet", "inspect", "--wallet-path", wallet, "--json",
               NULL);
  cr_assert_eq(r.status, 0);
  const char *p = strstr(r.out, "\"hotkey\"");
  cr_assert_not_null(p, "%s", r.out);
  p = strstr(p, "\"ss58Address\": \"");
  if (p == NULL) p = strstr(strstr(r.out, "\"hotkey\""), "\"ss58\": \"");
  cr_assert_not_null(p, "%s", r.out);
  p = strchr(p + 5, ':');
  p = strchr(p, '"') + 1;
  char ss58[64] = "";
  size_t i = 0;
  while (p[i] != '"' && i < sizeof ss58 - 1)
    ss58[i] = p[i], i++;
  sp_run_result_free(&r);
  cr_assert_eq(sp_ss58_decode(ss58, out, NULL), 0, "%s", ss58);
}
