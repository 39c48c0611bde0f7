/*
 * A worker that is slow to stop: under load a `bench register`
 * printed "1 worker(s) did not stop within 3 s" and then AddressSanitizer
 * reported a double free in the worker thread. The caller closed the
 * backend after sp_registration_run returned while the late worker was
 * still inside its scan (the CPU backend's close destroys the thread pool
 * the scan runs on). The fake backend here is held at a gate once told to
 * stop, which reproduces the late worker without machine load, and counts
 * every close that comes while one of its scans is still running.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "chain/keys/keypair.h"
#include "chain/mock/mock_node.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "registration/registration.h"
#include "regress/support/fake_backend.h"

static sp_block_work some_work(void) {
  uint8_t block_hash[32], key[32];
  for (int i = 0; i < 32; i++)
    block_hash[i] = (uint8_t)(5 * i + 2), key[i] = (uint8_t)(100 + i);
  sp_block_work w;
  /* Difficulty 2^64 - 1: no solution ends the scan early. */
  sp_block_work_make(7, block_hash, key, UINT64_MAX, SP_RULE_CHAIN_LE, &w);
  return w;
}

/* The engine takes the backend over: destroy returns while the worker is
 * held, and the backend is closed by the worker once it leaves, never
 * under it. */
Test(late_worker, owned_backend_is_closed_after_the_late_scan) {
  fake_gate *g = fake_gate_new();
  fake_config fc = {.hold = g};
  unsigned closes0 = fake_backend_closes();
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0, "%s", err.message);
  cr_assert_eq(sp_engine_add_owned_worker(e, &fake_vtable,
                                          fake_backend_new(&fc), 0, &err),
               0);
  sp_block_work w = some_work();
  sp_engine_publish_work(e, &w);
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  cr_assert(fake_gate_wait_entered(g, 1, 60000), "the worker never scanned");
  sp_engine_request_stop(e);
  cr_assert(fake_gate_wait_held(g, 1, 60000), "the scan never saw the stop");
  /* The join gives up (the scan is held): the worker is late. */
  cr_assert_eq(sp_engine_stop_and_join(e, 50), 1);
  sp_engine_destroy(e);
  cr_assert_eq(fake_backend_closes(), closes0,
               "the backend was closed while its scan was held");
  fake_gate_open(g);
  cr_assert(fake_backend_wait_closes(closes0 + 1, 60000),
            "the late worker never closed its backend");
  cr_assert_eq(fake_backend_closes_during_scan(), 0);
  fake_gate_free(g);
}

/* A joined worker's owned backend is closed by destroy, once. */
Test(late_worker, owned_backend_of_a_joined_worker_is_closed_by_destroy) {
  unsigned closes0 = fake_backend_closes();
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_engine *e;
  sp_error_record err = {0};
  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0, "%s", err.message);
  cr_assert_eq(sp_engine_add_owned_worker(e, &fake_vtable,
                                          fake_backend_new(NULL), 0, &err),
               0);
  /* Never started: destroy closes it too. */
  cr_assert_eq(sp_engine_add_owned_worker(e, &fake_vtable,
                                          fake_backend_new(NULL), 0, &err),
               1);
  sp_engine_destroy(e);
  cr_assert_eq(fake_backend_closes(), closes0 + 2);

  cr_assert_eq(sp_engine_create(&cfg, &e, &err), 0, "%s", err.message);
  sp_engine_add_owned_worker(e, &fake_vtable, fake_backend_new(NULL), 0, &err);
  sp_block_work w = some_work();
  sp_engine_publish_work(e, &w);
  cr_assert_eq(sp_engine_start(e, &err), 0, "%s", err.message);
  sp_engine_request_stop(e);
  cr_assert_eq(sp_engine_stop_and_join(e, 60000), 0);
  sp_engine_destroy(e);
  cr_assert_eq(fake_backend_closes(), closes0 + 3);
  cr_assert_eq(fake_backend_closes_during_scan(), 0);
}

/* The registration flow with a backend slow to stop: the run gives up on
 * the worker after its 3 s deadline and returns; before the fix the caller
 * then closed the backend under the held scan (what cmd_register did). Now
 * the run owns it and the late worker closes it. The run is stopped (by a
 * simulated SIGTERM) only once the worker is inside its scan, so the test
 * does not depend on how fast a busy machine starts the worker. */
typedef struct reg_call {
  const char *url;
  const sp_signer *signer;
  const uint8_t *hotkey, *coldkey;
  const sp_registration_options *o;
  sp_registration_result r;
  sp_reg_status st;
} reg_call;

static void *run_registration(void *arg) {
  reg_call *c = arg;
  c->st = sp_registration_run(c->url, c->signer, c->hotkey, c->coldkey, c->o,
                              &c->r);
  return NULL;
}
Test(late_worker, registration_returns_before_a_late_worker_without_freeing,
     .timeout = 120) {
  sp_mock_config mc;
  sp_mock_config_default(&mc);
  mc.port = 0;
  mc.block_time_ms = 1000;
  /* No solution in the time limit: the run ends on it. */
  sp_mock_config_subnet(&mc, 1, true, UINT64_MAX);
  sp_error_record err = {0};
  sp_mock_node *node = sp_mock_start(&mc, &err);
  cr_assert_not_null(node, "%s", err.message);
  char url[128];
  sp_mock_url(node, url, sizeof url);

  uint8_t mini[32];
  memset(mini, 0x42, sizeof mini);
  sp_keypair kp;
  cr_assert_eq(sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &kp), 0);
  sp_signer signer;
  cr_assert_eq(sp_keypair_signer(&kp, &signer), 0);
  uint8_t coldkey[32];
  memset(coldkey, 0x77, sizeof coldkey);

  fake_gate *g = fake_gate_new();
  fake_config fc = {.hold = g};
  const sp_backend_vtable *vts[1] = {&fake_vtable};
  sp_backend *bs[1] = {fake_backend_new(&fc)};
  unsigned closes0 = fake_backend_closes();
  sp_registration_options o;
  sp_registration_options_default(&o);
  o.time_limit_s = 100; /* a bound only: the signal below ends the run */
  o.poll_ms = 100;
  o.vts = vts;
  o.backends = bs;
  o.n_backends = 1;
  sp_stop_signal_clear();
  reg_call c = {.url = url,
                .signer = &signer,
                .hotkey = kp.public_key,
                .coldkey = coldkey,
                .o = &o};
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, run_registration, &c), 0);
  cr_assert(fake_gate_wait_entered(g, 1, 60000), "the worker never scanned");
  sp_stop_signal_raise(SIGTERM);
  pthread_join(t, NULL);
  sp_stop_signal_clear();
  cr_assert_eq(c.st, SP_REG_SIGNAL, "%d: %s", (int)c.st, c.r.message);
  cr_assert(fake_gate_wait_held(g, 1, 60000), "the worker was not held");
  cr_assert_eq(fake_backend_closes(), closes0,
               "the backend was closed under the late worker");
  fake_gate_open(g);
  cr_assert(fake_backend_wait_closes(closes0 + 1, 60000),
            "the late worker never closed its backend");
  cr_assert_eq(fake_backend_closes_during_scan(), 0);
  fake_gate_free(g);
  sp_keypair_wipe(&kp);
  sp_mock_stop(node);
}
