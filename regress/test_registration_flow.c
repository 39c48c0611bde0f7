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
#include "chain/client/client.h"
#include "chain/keys/keypair.h"
#include "chain/mock/mock_node.h"
#include "engine/stop_signal.h"
#include "engine/work_source.h"
#include "reference/reference.h"
#include "registration/journal.h"
#include "registration/registration.h"
#include "registry/registry.h"

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
  /* remove this (empty) directory once a note contains rmdir_at */
  const char *rmdir_at;
  char rmdir_path[256];
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
  if (f->rmdir_at != NULL && strstr(line, f->rmdir_at) != NULL) {
    cr_assert_eq(rmdir(f->rmdir_path), 0, "rmdir %s", f->rmdir_path);
    f->rmdir_at = NULL;
  }
  pthread_cond_broadcast(&f->cv);
  pthread_mutex_unlock(&f->mu);
}

static void flow_init(flow *f, const sp_mock_config *mc) {
  memset(f, 0, sizeof *f);
  pthread_mutex_init(&f->mu, NULL);
  pthread_cond_init(&f->cv, NULL);
  sp_error_record err = {0};
  f->node = sp_mock_start(mc, &err);
  cr_assert_not_null(f->node, "%s", err.message);
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
  sp_error_record err = {0};
  cr_assert_eq(f->vts[0]->open(&bo, &f->bs[0], &err), 0, "%s", err.message);
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

/* The journal's events for one seal, in order, space-separated. */
static void journal_events(const char *path, char *out, size_t cap) {
  out[0] = '\0';
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f, "no journal %s", path);
  char line[4096];
  size_t n = 0;
  while (fgets(line, sizeof line, f)) {
    const char *p = strstr(line, "\"event\":\"");
    if (p == NULL) continue; /* a line cut short (written so by a test) */
    p += 9;
    const char *q = strchr(p, '"');
    if (q == NULL) continue;
    int w = snprintf(out + n, cap - n, "%s%.*s", n ? " " : "", (int)(q - p), p);
    if (w > 0 && (size_t)w < cap - n) n += (size_t)w;
  }
  fclose(f);
}

static void temp_journal(char *path, size_t cap) {
  snprintf(path, cap, "/tmp/subpow-flow-XXXXXX");
  cr_assert_not_null(mkdtemp(path));
  strncat(path, "/journal.jsonl", cap - strlen(path) - 1);
}

static void remove_journal(const char *path) {
  unlink(path);
  char dir[256];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  *slash = '\0';
  rmdir(dir);
}

/* The node takes the extrinsic but its answer is lost: the client must not
 * resend it (the copy would be refused as outdated while the first is
 * included); it journals `unknown`, finds it by hash in the next blocks and
 * reports the chain's outcome, in one attempt. */
Test(registration_flow, lost_submit_answer_is_found_on_chain_not_resent,
     .timeout = 120) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 300);
  mc.faults.lose_submit_answers = 1;
  flow f;
  flow_init(&f, &mc);
  char journal[256];
  temp_journal(journal, sizeof journal);
  f.o.journal = journal;
  f.o.max_attempts = 3;
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  cr_assert_eq(st, SP_REG_DONE, "status %d: %s\n%s", (int)st, r.message,
               f.notes);
  cr_assert_eq(r.attempts, 1, "%s", f.notes);
  cr_assert(r.have_uid, "%s", f.notes);
  cr_assert_not_null(strstr(f.notes, "not resending"), "%s", f.notes);
  char events[512];
  journal_events(journal, events, sizeof events);
  cr_assert_str_eq(events, "found sending unknown included", "%s", f.notes);
  remove_journal(journal);
  flow_fini(&f);
}

/* 1 s of latency on every answer and 4 s blocks: everything but the
 * submission itself is prepared while solving, so the work reaches the
 * chain inside its window. */
Test(registration_flow, registers_at_1s_latency_and_4s_blocks, .timeout = 300) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 4000);
  mc.faults.latency_ms = 1000;
  flow f;
  flow_init(&f, &mc);
  f.o.max_attempts = 3;
  f.o.poll_ms = 200;
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  cr_assert_eq(st, SP_REG_DONE, "status %d: %s\n%s", (int)st, r.message,
               f.notes);
  cr_assert(r.have_uid, "%s", f.notes);
  flow_fini(&f);
}

/* --seconds bounds the whole run, the inclusion watch included: with no
 * block ever produced the watch could wait its full limit (6 block times,
 * 72 s before any block was measured). */
Test(registration_flow, time_limit_bounds_the_watch, .timeout = 120) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 1000);
  mc.stall_blocks = true;
  flow f;
  flow_init(&f, &mc);
  f.o.max_attempts = 1;
  f.o.time_limit_s = 2;
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  cr_assert_eq(st, SP_REG_TIME_LIMIT, "status %d: %s\n%s", (int)st, r.message,
               f.notes);
  cr_assert_eq(r.attempts, 1, "%s", f.notes);
  /* generous: only the unbounded watch (72 s) could exceed it */
  cr_assert(r.seconds < 40, "the run took %.1f s with --seconds 2\n%s",
            r.seconds, f.notes);
  flow_fini(&f);
}

/* Produces one block once the submission after `note` reached the node:
 * the requests counter has moved past it (the submission and the watch's
 * first poll, on one connection, so the submission was handled). */
typedef struct producer {
  flow *f;
  const char *after_note;
  bool done;
} producer;

static void *produce_after(void *arg) {
  producer *p = arg;
  flow *f = p->f;
  pthread_mutex_lock(&f->mu);
  while (strstr(f->notes, p->after_note) == NULL && !p->done)
    pthread_cond_wait(&f->cv, &f->mu);
  pthread_mutex_unlock(&f->mu);
  uint64_t at = sp_mock_requests(f->node);
  for (int i = 0; i < 60000 && sp_mock_requests(f->node) < at + 2; i++)
    usleep(1000);
  sp_mock_produce_block(f->node);
  return NULL;
}

/* A solution journaled as found before a crash is read back on start,
 * checked against the chain and submitted first; nothing is solved. The
 * crash left a torn last line (no newline) after it: the reader skips it
 * and says so, and the new lines start on lines of their own (appended
 * onto the torn one they were unreadable, and the solution was found
 * again and again). A bogus `found` at block 2^64 - 1 after it (no chain
 * has that block) does not hide it. */
Test(registration_flow, journaled_solution_is_reused_on_start, .timeout = 120) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 1000);
  mc.stall_blocks = true; /* the best block stays 0 until produced */
  flow f;
  flow_init(&f, &mc);
  char journal[256];
  temp_journal(journal, sizeof journal);
  f.o.journal = journal;

  /* What the crashed run had found: a solution of the best block. */
  sp_chain_client *c;
  sp_chain_error e = {0};
  cr_assert_eq(sp_chain_client_open(&c, f.url, NULL, &e), 0, "%s", e.message);
  uint64_t best;
  uint8_t hash[32];
  cr_assert_eq(sp_chain_best_block(c, &best, hash, &e), 0, "%s", e.message);
  sp_block_work w;
  sp_block_work_make(best, hash, f.kp.public_key, 1000, SP_RULE_CHAIN_LE, &w);
  uint64_t nonce = 0;
  uint8_t seal[32];
  for (;; nonce++) {
    cr_assert_eq(sp_create_seal_hash(w.work.block_and_hotkey_hash, nonce, seal),
                 0);
    if (sp_seal_meets_difficulty(seal, 1000, SP_RULE_CHAIN_LE)) break;
  }
  sp_journal_entry je = {.event = "found",
                         .kind = "register",
                         .node = "http://elsewhere.example:9944",
                         .netuid = 1,
                         .key = f.kp.public_key,
                         .block_number = best,
                         .nonce = nonce,
                         .seal = seal,
                         .genesis = NULL};
  uint8_t genesis[32];
  memcpy(genesis, c->genesis_hash, 32);
  je.genesis = genesis;
  /* the entry, a bogus one at the largest block, then a line cut short by
   * the crash (no newline) */
  cr_assert_eq(sp_journal_append(journal, &je), 0);
  sp_journal_entry bogus = je;
  bogus.block_number = UINT64_MAX;
  uint8_t bogus_seal[32];
  memset(bogus_seal, 0xee, sizeof bogus_seal);
  bogus.seal = bogus_seal;
  cr_assert_eq(sp_journal_append(journal, &bogus), 0);
  FILE *jf = fopen(journal, "a");
  cr_assert_not_null(jf);
  fputs("{\"time\":1,\"event\":\"fou", jf);
  fclose(jf);
  sp_chain_client_close(c);

  producer p = {.f = &f, .after_note = "attempt 1: submitting"};
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, produce_after, &p), 0);
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  pthread_mutex_lock(&f.mu);
  p.done = true;
  pthread_cond_broadcast(&f.cv);
  pthread_mutex_unlock(&f.mu);
  pthread_join(t, NULL);
  cr_assert_eq(st, SP_REG_DONE, "status %d: %s\n%s", (int)st, r.message,
               f.notes);
  cr_assert(r.reused, "%s", f.notes);
  cr_assert_eq(r.attempts, 1, "%s", f.notes);
  cr_assert_eq(r.nonce, nonce, "%s", f.notes);
  cr_assert_not_null(strstr(f.notes, "reusing the journaled solution"), "%s",
                     f.notes);
  cr_assert_not_null(strstr(f.notes, "cut short by a crash"), "%s", f.notes);
  char events[512];
  journal_events(journal, events, sizeof events);
  /* the bogus line's "found", then this run's: each line whole */
  cr_assert_str_eq(events, "found found sending included", "%s", f.notes);
  /* nothing is left pending: a rerun finds nothing to submit */
  sp_journal_query q = {.kind = "register",
                        .key = f.kp.public_key,
                        .netuid = 1,
                        .genesis = genesis,
                        .best = 100};
  sp_journal_scan *scan = malloc(sizeof *scan);
  cr_assert_eq(sp_journal_read(journal, &q, scan), 0, "%s", f.notes);
  cr_assert_eq(scan->unreadable, 1);
  free(scan);
  remove_journal(journal);
  flow_fini(&f);
}

/* The journal was writable at the start but is not when a solution is
 * found (its directory is gone): the solution is not submitted, and the
 * run says which one it kept back. */
Test(registration_flow, solution_not_journaled_is_not_submitted,
     .timeout = 120) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 300);
  flow f;
  flow_init(&f, &mc);
  char journal[256];
  temp_journal(journal, sizeof journal);
  f.o.journal = journal;
  snprintf(f.rmdir_path, sizeof f.rmdir_path, "%s", journal);
  *strrchr(f.rmdir_path, '/') = '\0';
  f.rmdir_at = "spec_version"; /* after the check, before solving */
  uint64_t before = sp_mock_best(f.node);
  (void)before;
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  cr_assert_eq(st, SP_REG_ERROR, "status %d: %s\n%s", (int)st, r.message,
               f.notes);
  cr_assert_eq(r.attempts, 0, "%s", f.notes);
  cr_assert_not_null(strstr(r.message, "was not submitted"), "%s", r.message);
  cr_assert_null(strstr(f.notes, "submitting"), "%s", f.notes);
  uint16_t uid;
  cr_assert_eq(sp_mock_uid(f.node, 1, f.kp.public_key, &uid), 1,
               "registered without a journal entry");
  flow_fini(&f);
}

/* Latency twice the block time (0.5 s answers, 0.25 s blocks; the issue saw
 * 2 s and 1 s): the chain outruns every answer. The run must end, every
 * solution it threw away counted (attempts, or the reported stale limit),
 * instead of looping on stale solutions forever. */
Test(registration_flow, latency_beyond_block_time_ends_counted,
     .timeout = 240) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 250);
  mc.faults.latency_ms = 500;
  flow f;
  flow_init(&f, &mc);
  f.o.max_attempts = 1;
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  cr_assert(st == SP_REG_DONE || st == SP_REG_REFUSED, "status %d: %s\n%s",
            (int)st, r.message, f.notes);
  if (st == SP_REG_REFUSED)
    cr_assert(r.attempts == 1 || strstr(r.message, "went stale") != NULL,
              "%u attempts: %s\n%s", r.attempts, r.message, f.notes);
  flow_fini(&f);
}

/* A node that reports `dropped` for the watched extrinsic but includes it
 * all the same (as when another node's block takes it): the faucet claim
 * made one submission per attempt, each included (three claims paid).
 * Before another attempt the extrinsic is looked for in the blocks of its
 * window: one submission, one payment. */
Test(registration_flow, dropped_is_looked_for_before_another_attempt,
     .timeout = 120) {
  sp_mock_config mc;
  mock_config(&mc, 1000, 300);
  mc.faults.ws_report_dropped = true;
  flow f;
  flow_init(&f, &mc);
  sp_mock_ws_url(f.node, f.url, sizeof f.url);
  memcpy(f.coldkey, f.kp.public_key, 32); /* the faucet's signer */
  char journal[256];
  temp_journal(journal, sizeof journal);
  f.o.journal = journal;
  f.o.kind = SP_REG_FAUCET;
  f.o.max_attempts = 3;
  uint64_t before = sp_mock_balance(f.node, f.coldkey);
  sp_registration_result r;
  sp_reg_status st = flow_run(&f, &r);
  cr_assert_eq(st, SP_REG_DONE, "status %d: %s\n%s", (int)st, r.message,
               f.notes);
  cr_expect_eq(r.attempts, 1, "%s", f.notes);
  cr_expect_eq(sp_mock_balance(f.node, f.coldkey) - before, 1000000000000ull,
               "paid more than once\n%s", f.notes);
  char events[512];
  journal_events(journal, events, sizeof events);
  cr_expect_str_eq(events,
                   "found sending watch_ready watch_dropped dropped included",
                   "%s", f.notes);
  remove_journal(journal);
  flow_fini(&f);
}
