/*
 * --seconds bounds the whole run from its first byte, and a refused
 * connection fails at once: `bench register` and the RPC layer against
 * tiny hostile servers (regress/support/hostile_server.h) that complete the
 * WebSocket upgrade and then say nothing, answer with wrong ids, answer one
 * byte a second, or (HTTP) never answer; and against a port nothing listens
 * on. The bounds are the time limit plus a margin a busy 2-core machine
 * keeps easily; before these bounds the same runs took minutes.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chain/client/rpc.h"
#include "common/clock.h"
#include "regress/support/hostile_server.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char dir[128], wallet[160];

static void make_wallet(void) {
  sp_temp_wallet_make("timebounds", dir, sizeof dir, wallet, sizeof wallet);
}
static void remove_wallet(void) { sp_temp_dir_remove(dir); }

/* A failing test must not hang for the minutes the bug took. */
TestSuite(time_bounds, .init = make_wallet, .fini = remove_wallet,
          .timeout = 120);

#define LIMIT_S 3
#define MARGIN_S 12.0 /* process start, a busy machine, the watch's close */

/* bench register against `url` with --seconds LIMIT_S (or none when
 * seconds is NULL); returns the wall time it took. */
static double run_register(const char *url, const char *seconds,
                           sp_run_result *r) {
  const char *argv[] = {SUBPOW_BENCH,
                        "register",
                        "--wallet-path",
                        wallet,
                        "--network",
                        url,
                        "--backend",
                        "reference",
                        "--no-output-in-place",
                        seconds ? "--seconds" : NULL,
                        seconds,
                        NULL};
  double t0 = sp_monotonic_seconds();
  cr_assert_eq(sp_run((char *const *)argv, NULL, r), 0);
  return sp_monotonic_seconds() - t0;
}

static void bounded_by_seconds(sp_hostile_mode mode, const char *scheme) {
  sp_hostile_server *s = sp_hostile_start(mode);
  char url[64];
  snprintf(url, sizeof url, "%s://127.0.0.1:%u", scheme, sp_hostile_port(s));
  sp_run_result r;
  char secs[8];
  snprintf(secs, sizeof secs, "%d", LIMIT_S);
  double took = run_register(url, secs, &r);
  cr_expect_neq(r.status, 0, "a node that never answers is no success");
  cr_expect_lt(took, LIMIT_S + MARGIN_S,
               "--seconds %d bounds the run: it took %.1f s; stderr: %s",
               LIMIT_S, took, r.err);
  cr_expect(strstr(r.err, url), "the error names the node: %s", r.err);
  sp_run_result_free(&r);
  sp_hostile_stop(s);
}

Test(time_bounds, ws_upgrade_then_silent) {
  bounded_by_seconds(SP_HOSTILE_WS_SILENT, "ws");
}
Test(time_bounds, ws_wrong_ids) {
  bounded_by_seconds(SP_HOSTILE_WS_WRONG_IDS, "ws");
}
Test(time_bounds, ws_one_byte_per_second) {
  bounded_by_seconds(SP_HOSTILE_WS_TRICKLE, "ws");
}
Test(time_bounds, http_silent) {
  bounded_by_seconds(SP_HOSTILE_HTTP_SILENT, "http");
}

/* No --seconds at all: a refused connection still ends at once, with one
 * line that names the URL and what to start. */
static void refused_at_once(const char *scheme) {
  sp_hostile_server *s = sp_hostile_start(SP_HOSTILE_REFUSED);
  char url[64];
  snprintf(url, sizeof url, "%s://127.0.0.1:%u", scheme, sp_hostile_port(s));
  sp_run_result r;
  double took = run_register(url, NULL, &r);
  cr_expect_eq(r.status, 2, "an error, not a refusal by the chain: %s", r.err);
  cr_expect_lt(took, 4.0, "refused fails at once, took %.1f s: %s", took,
               r.err);
  cr_expect(strstr(r.err, url), "names the URL: %s", r.err);
  cr_expect(strstr(r.err, "refused"), "says refused: %s", r.err);
  cr_expect(strstr(r.err, "bench mock-node"), "says what to start: %s", r.err);
  cr_expect_null(strstr(r.err, "attempt 2"), "not retried: %s", r.err);
  sp_run_result_free(&r);
  sp_hostile_stop(s);
}

Test(time_bounds, refused_ws_fails_at_once) { refused_at_once("ws"); }
Test(time_bounds, refused_http_fails_at_once) { refused_at_once("http"); }

/* The RPC layer itself, with its defaults (10 s connect, 60 s per request,
 * 4 retries): a deadline bounds every wait, on both transports. */
static void call_bounded(sp_hostile_mode mode, const char *scheme) {
  sp_hostile_server *s = sp_hostile_start(mode);
  char url[64];
  snprintf(url, sizeof url, "%s://127.0.0.1:%u", scheme, sp_hostile_port(s));
  sp_rpc_options o;
  sp_rpc_options_default(&o);
  double t0 = sp_monotonic_seconds();
  o.deadline_s = t0 + 1.5;
  sp_rpc *rpc;
  sp_chain_error err = {0};
  cr_assert_eq(sp_rpc_open(&rpc, url, &o, &err), 0, "%s", err.message);
  json_t *res = NULL;
  cr_expect_eq(
      sp_rpc_call(rpc, "chain_getBlockHash", NULL, SP_RPC_STRING, &res, &err),
      -SP_CHAIN_ETRANSPORT, "%s", err.message);
  double took = sp_monotonic_seconds() - t0;
  cr_expect_lt(took, 1.5 + 5.0, "the deadline bounds the call: %.1f s", took);
  /* a call after the deadline does not wait at all */
  t0 = sp_monotonic_seconds();
  cr_expect_eq(
      sp_rpc_call(rpc, "chain_getBlockHash", NULL, SP_RPC_STRING, &res, &err),
      -SP_CHAIN_ETRANSPORT);
  cr_expect(strstr(err.message, "time limit"), "%s", err.message);
  cr_expect_lt(sp_monotonic_seconds() - t0, 1.0);
  sp_rpc_close(rpc);
  sp_hostile_stop(s);
}

Test(time_bounds, rpc_deadline_ws_silent) {
  call_bounded(SP_HOSTILE_WS_SILENT, "ws");
}
Test(time_bounds, rpc_deadline_ws_trickle) {
  call_bounded(SP_HOSTILE_WS_TRICKLE, "ws");
}
Test(time_bounds, rpc_deadline_http_silent) {
  call_bounded(SP_HOSTILE_HTTP_SILENT, "http");
}

/* A refusal without a deadline: not retried, not_sent, on both. */
static void rpc_refused(const char *scheme) {
  sp_hostile_server *s = sp_hostile_start(SP_HOSTILE_REFUSED);
  char url[64];
  snprintf(url, sizeof url, "%s://127.0.0.1:%u", scheme, sp_hostile_port(s));
  sp_rpc *rpc;
  sp_chain_error err = {0};
  cr_assert_eq(sp_rpc_open(&rpc, url, NULL, &err), 0, "%s", err.message);
  json_t *res = NULL;
  double t0 = sp_monotonic_seconds();
  cr_expect_eq(sp_rpc_call(rpc, "author_submitExtrinsic",
                           json_pack("[s]", "0x00"), SP_RPC_STRING, &res, &err),
               -SP_CHAIN_ETRANSPORT);
  cr_expect_lt(sp_monotonic_seconds() - t0, 3.0, "at once");
  cr_expect(err.not_sent, "nothing reached a node");
  cr_expect(strstr(err.message, "bench mock-node"), "%s", err.message);
  cr_expect_eq(sp_rpc_attempts(rpc), scheme[0] == 'h' ? 1u : 0u,
               "one attempt, no retries");
  sp_rpc_close(rpc);
  sp_hostile_stop(s);
}

Test(time_bounds, rpc_refused_ws) { rpc_refused("ws"); }
Test(time_bounds, rpc_refused_http) { rpc_refused("http"); }
