/*
 * The registration flow in-process (sp_registration_run) against the mock
 * node: signals during the watch, the journal (checked before solving, read
 * back on start, written before every submission), the bounds of the whole
 * run, and latency. Every wait is on a condition (a note line, a counter)
 * with a generous bound, never on the wall clock.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_node.h"
#include "engine/stop_signal.h"
#include "registration/registration.h"

typedef struct flow {
  sp_mock_node *node;
  char url[128];
  sp_keypair kp;
  sp_signer signer;
  uint8_t coldkey[32];
  sp_registration_options o;
  const sp_backend_vtable *vts[1];
  sp_backend *bs[1];
  /* notes, as one text */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char notes[65536];
  size_t notes_len;
  /* raise this signal once a note contains raise_at */
  const char *raise_at;
  int raise_signo;
} flow;

static void on_note(void *user, const char *line) {
  flow *f = user;
  pthread_mutex_lock(&f->mu);
  size_t n = strlen(line);
  if (f->notes_len + n + 2 < sizeof f->notes) {
    memcpy(f->notes + f->notes_len, line, n);
    f->notes_len += n;
    f->notes[f->notes_len++] = '\n';
    f->notes[f->notes_len] = '\0';
  }
  if (f->raise_at != NULL && strstr(line, f->raise_at) != NULL)
    sp_stop_signal_raise(f->raise_signo);
  pthread_cond_broadcast(&f->cv);
  pthread_mutex_unlock(&f->mu);
}

static void flow_init(flow *f, const sp_mock_config *mc) {
  memset(f, 0, sizeof *f);
  pthread_mutex_init(&f->mu, NULL);
  pthread_cond_init(&f->cv, NULL);
  char err[256];
  f->node = sp_mock_start(mc, err, sizeof err);
  cr_assert_not_null(f->node, "%s", err);
  sp_mock_url(f->node, f->url, sizeof f->url);
  uint8_t mini[32];
  memset(mini, 0x42, sizeof mini);
  cr_assert_eq(sp_keypair_from_mini_secret(SP_SIGNER_SR25519, mini, &f->kp), 0);
  cr_assert_eq(sp_keypair_signer(&f->kp, &f->signer), 0);
  memset(f->coldkey, 0x77, sizeof f->coldkey);
  sp_registration_options_default(&f->o);
  f->o.poll_ms = 100;
  f->o.note = on_note;
  f->o.user = f;
  f->vts[0] = sp_backend_find("reference");
  cr_assert_not_null(f->vts[0]);
  f->o.vts = f->vts;
  f->o.backends = f->bs;
  f->o.n_backends = 1;
  sp_stop_signal_clear();
}

/* Opens a fresh backend (each run takes its backends over). */
static sp_reg_status flow_run(flow *f, sp_registration_result *r) {
  sp_backend_options bo;
  memset(&bo, 0, sizeof bo);
  char err[256];
  cr_assert_eq(f->vts[0]->open(&bo, &f->bs[0], err, sizeof err), 0, "%s", err);
  pthread_mutex_lock(&f->mu);
  f->notes_len = 0;
  f->notes[0] = '\0';
  pthread_mutex_unlock(&f->mu);
  return sp_registration_run(f->url, &f->signer, f->kp.public_key, f->coldkey,
                             &f->o, r);
}

static void flow_fini(flow *f) {
  sp_stop_signal_clear();
  sp_keypair_wipe(&f->kp);
  sp_mock_stop(f->node);
  pthread_mutex_destroy(&f->mu);
  pthread_cond_destroy(&f->cv);
}

static void mock_config(sp_mock_config *mc, uint64_t difficulty,
                        unsigned block_ms) {
  sp_mock_config_default(mc);
  mc->port = 0;
  mc->block_time_ms = block_ms;
  mc->n_subnets = 0;
  sp_mock_config_subnet(mc, 1, true, difficulty);
}

/* SIGTERM while the last attempt is being watched: the run stops as for a
 * signal anywhere else (exit 128 + signal in bench), not as "refused". The
 * node produces no block, so the watch can only end by the signal. */
Test(registration_flow, signal_during_the_last_watch_is_a_signal,
     .timeout = 120) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 1000);
  mc.stall_blocks = true;
  flow f;
  flow_init(&f, &mc);
  f.o.max_attempts = 1;
  f.raise_at = "attempt 1: submitting";
  f.raise_signo = SIGTERM;
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  cr_assert_eq(st, SP_REG_SIGNAL, "status %d: %s\n%s", (int)st, r.message,
               f.notes);
  cr_assert_eq(r.signal, SIGTERM);
  cr_assert_eq(r.attempts, 1);
  flow_fini(&f);
}
