/* The registration flow; see registration.h. */
#include "registration/registration.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain/client/client.h"
#include "chain/keys/ss58.h"
#include "chain/client/storage.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "registration/journal.h"

/* The faucet's fixed difficulty (pallet do_faucet, subtensor-pow.md s. 3). */
#define FAUCET_DIFFICULTY 1000000u

void sp_registration_options_default(sp_registration_options *o) {
  memset(o, 0, sizeof *o);
  o->kind = SP_REG_REGISTER;
  o->netuid = 1;
  o->rule_auto = true;
  o->rule = SP_RULE_CHAIN_LE;
  o->max_attempts = 3;
  o->poll_ms = 500;
}

/* Everything one run shares between the main thread and the engine's
 * control loop (which polls `watch`, a connection of its own). */
typedef struct run {
  const sp_registration_options *o;
  pthread_mutex_t out_lock; /* serializes note and on_stats */
  sp_chain_client *watch;
  uint8_t key[32]; /* the key in the seal */
  uint8_t hotkey[32];
  uint64_t last_block;
  bool have_block;
  uint64_t difficulty;
  sp_rule rule;
  double failing_since; /* first of a run of failed polls, or 0 */
  bool registered;      /* seen by the stop condition */
  uint16_t uid;
} run;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void note(run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(run *r, const char *fmt, ...) {
  if (r->o->note == NULL) return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  pthread_mutex_lock(&r->out_lock);
  r->o->note(r->o->user, line);
  pthread_mutex_unlock(&r->out_lock);
}

static void on_stats(void *user, const sp_solve_stats *s) {
  run *r = user;
  if (r->o->on_stats == NULL) return;
  pthread_mutex_lock(&r->out_lock);
  r->o->on_stats(r->o->user, s);
  pthread_mutex_unlock(&r->out_lock);
}

/* How long the node may stay unreachable before solving gives up: work
 * older than 3 blocks (about 36 s on finney) is worthless anyway. */
#define SOURCE_GRACE_S 60.0
/* After the best block could not be read for a solution, other solutions
 * of that block wait this long before the node is asked again. */
#define NODE_DOWN_RETRY_S 2.0

/* The chain as a work source: the newest block, with the difficulty read
 * anew at each block (the chain adjusts it every interval). */
static int chain_poll(void *self, sp_block_work *out, char *err,
                      size_t errlen) {
  run *r = self;
  sp_chain_error e = {0};
  uint64_t number = 0;
  uint8_t hash[32];
  int rc = sp_chain_best_block(r->watch, &number, hash, &e);
  uint64_t difficulty = FAUCET_DIFFICULTY;
  if (rc == 0 && r->o->kind == SP_REG_REGISTER &&
      (!r->have_block || number != r->last_block))
    rc = sp_storage_difficulty(r->watch->rpc, r->watch->metadata, r->o->netuid,
                               hash, &difficulty, &e);
  if (rc != 0) {
    /* Without any work yet there is nothing to ride out on: say why (the
     * engine would only see that there is no work). */
    if (!r->have_block) {
      snprintf(err, errlen, "cannot read the work to solve from the node: %s",
               e.message);
      return -SP_EINVAL;
    }
    double t = now_s();
    if (r->failing_since == 0) r->failing_since = t;
    if (t - r->failing_since > SOURCE_GRACE_S) {
      snprintf(err, errlen, "the node has not answered for %.0f s: %s",
               SOURCE_GRACE_S, e.message);
      return -SP_EINVAL;
    }
    return 0; /* ride it out: the workers keep the last block's work */
  }
  r->failing_since = 0;
  if (r->have_block && number == r->last_block) return 0;
  r->have_block = true;
  r->last_block = number;
  r->difficulty = difficulty;
  sp_block_work_make(number, hash, r->key, difficulty, r->rule, out);
  return 1;
}

/* Stop condition of a registration: the hotkey is registered (by us in an
 * attempt whose watch timed out, or by someone else). */
static bool hotkey_registered(void *user) {
  run *r = user;
  bool yes = false;
  uint16_t uid = 0;
  if (sp_storage_uid(r->watch->rpc, r->watch->metadata, r->o->netuid, r->hotkey,
                     NULL, &yes, &uid, NULL) == 0 &&
      yes) {
    r->uid = uid;
    r->registered = true;
  }
  return r->registered;
}

static void journal(run *r, sp_chain_client *c, const char *event,
                    const sp_pow_solution *s, const char *detail) {
  if (r->o->journal == NULL) return;
  (void)c;
  sp_journal_entry e = {.event = event,
                        .kind =
                            r->o->kind == SP_REG_FAUCET ? "faucet" : "register",
                        .node = sp_rpc_url(r->watch->rpc),
                        .netuid = r->o->netuid,
                        .key = r->key,
                        .block_number = s->block_number,
                        .nonce = s->nonce,
                        .seal = s->seal,
                        .detail = detail};
  int rc = sp_journal_append(r->o->journal, &e);
  if (rc != 0)
    note(r, "warning: cannot write the journal %s: %s", r->o->journal,
         strerror(-rc));
}

static sp_reg_status finish(sp_registration_result *res, sp_reg_status st,
                            const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sp_reg_status finish(sp_registration_result *res, sp_reg_status st,
                            const char *fmt, ...) {
  res->status = st;
  if (fmt != NULL) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof res->message, fmt, ap);
    va_end(ap);
  }
  return st;
}

/* The checks before solving (section 3, steps 2, 3 and 6). */
static sp_reg_status preflight(run *r, sp_chain_client *c,
                               sp_registration_result *res) {
  sp_chain_error e = {0};
  const sp_registration_options *o = r->o;
  if (o->kind == SP_REG_FAUCET) {
    const sp_pallet *p = sp_metadata_pallet(c->metadata, "SubtensorModule");
    if (p == NULL || sp_metadata_call(c->metadata, "SubtensorModule", "faucet",
                                      NULL, NULL, NULL) != 0)
      return finish(
          res, SP_REG_REFUSED,
          "this chain's runtime has no SubtensorModule.faucet call "
          "(it exists only in runtimes built with the pow-faucet feature)");
    return SP_REG_DONE;
  }
  bool exists = false, allowed = false;
  if (o->netuid == 0)
    return finish(res, SP_REG_REFUSED,
                  "netuid 0 is the root network: it has no PoW registration");
  if (sp_storage_networks_added(c->rpc, c->metadata, o->netuid, NULL, &exists,
                                &e) != 0)
    return finish(res, SP_REG_ERROR, "reading NetworksAdded: %s", e.message);
  if (!exists)
    return finish(res, SP_REG_REFUSED, "subnet %u does not exist on this chain",
                  o->netuid);
  bool registered = false;
  uint16_t uid = 0;
  if (sp_storage_uid(c->rpc, c->metadata, o->netuid, r->hotkey, NULL,
                     &registered, &uid, &e) != 0)
    return finish(res, SP_REG_ERROR, "reading Uids: %s", e.message);
  if (registered) {
    res->already = true;
    res->have_uid = true;
    res->uid = uid;
    return finish(res, SP_REG_DONE, NULL);
  }
  if (c->runtime.spec_version >= 397) return SP_REG_DONE; /* no PoW: see run */
  if (sp_storage_pow_registration_allowed(c->rpc, c->metadata, o->netuid, NULL,
                                          &allowed, &e) != 0)
    return finish(res, SP_REG_ERROR,
                  "reading NetworkPowRegistrationAllowed: %s", e.message);
  if (!allowed)
    return finish(res, SP_REG_REFUSED,
                  "PoW registration is disabled on subnet %u "
                  "(NetworkPowRegistrationAllowed is false)",
                  o->netuid);
  return SP_REG_DONE;
}

/* A watch stops at SIGINT/SIGTERM: the outcome is then reported unknown
 * and the solution stays in the journal, rather than keep the user waiting
 * for blocks that may never come. */
static bool signalled(void *user) {
  (void)user;
  return sp_stop_signal_pending() != 0;
}

/* Reads the uid (NeuronRegistered) or the faucet's amount from the events. */
static void read_outcome_events(const sp_chain_outcome *out,
                                sp_registration_result *res) {
  /* NeuronRegistered(netuid, uid, hotkey); Faucet(coldkey, amount) */
  const json_t *fields = sp_dispatch_outcome_event(
      &out->dispatch, "SubtensorModule", "NeuronRegistered");
  if (json_is_integer(json_array_get(fields, 1))) {
    res->have_uid = true;
    res->uid = (uint16_t)json_integer_value(json_array_get(fields, 1));
  }
  fields =
      sp_dispatch_outcome_event(&out->dispatch, "SubtensorModule", "Faucet");
  const json_t *amount = json_array_get(fields, 1);
  if (json_is_integer(amount))
    res->faucet_amount = (uint64_t)json_integer_value(amount);
}

/* A burned registration (spec >= 397): the work is ignored, the coldkey
 * signs and pays Burn[netuid]. */
static sp_reg_status burned(run *r, sp_chain_client *c,
                            const uint8_t coldkey[32],
                            sp_registration_result *res) {
  if (!r->o->allow_burned || r->o->coldkey_signer == NULL)
    return finish(
        res, SP_REG_REFUSED,
        "this chain runs spec_version %u: since 397 `register` ignores the "
        "proof of work and is a burned registration that charges Burn[%u] to "
        "the coldkey; rerun with --burned to do that",
        c->runtime.spec_version, r->o->netuid);
  static const uint8_t zero[32] = {0};
  json_t *args =
      sp_chain_register_args(r->o->netuid, 0, 0, zero, r->hotkey, coldkey);
  sp_submit_options so;
  sp_submit_options_default(&so);
  so.max_blocks = 5;
  so.poll_interval_ms = r->o->poll_ms;
  so.cancel = signalled;
  sp_chain_outcome out;
  memset(&out, 0, sizeof out);
  sp_chain_error e = {0};
  note(r, "burned registration on subnet %u, signed by the coldkey",
       r->o->netuid);
  res->attempts = 1;
  int rc = sp_chain_submit_and_watch(c, r->o->coldkey_signer, "SubtensorModule",
                                     "register", args, &so, &out, &e);
  json_decref(args);
  sp_reg_status st;
  if (rc != 0) {
    st = finish(res, SP_REG_REFUSED, "%s", e.message);
  } else if (!out.dispatch.success) {
    st = finish(res, SP_REG_REFUSED, "%s", out.dispatch.failure);
  } else {
    read_outcome_events(&out, res);
    st = finish(res, SP_REG_DONE, NULL);
  }
  sp_chain_outcome_free(&out);
  return st;
}

/* Submits one solution and watches it. Returns DONE, or REFUSED with the
 * reason in res->message (the caller decides whether to try again). */
static sp_reg_status submit(run *r, sp_chain_client *c, const sp_signer *signer,
                            const uint8_t coldkey[32],
                            const sp_engine_solution *s,
                            sp_registration_result *res) {
  const sp_registration_options *o = r->o;
  json_t *args =
      o->kind == SP_REG_FAUCET
          ? sp_chain_faucet_args(s->pow.block_number, s->pow.nonce, s->pow.seal)
          : sp_chain_register_args(o->netuid, s->pow.block_number, s->pow.nonce,
                                   s->pow.seal, r->hotkey, coldkey);
  sp_submit_options so;
  sp_submit_options_default(&so);
  /* Past 3 blocks the work is dead (InvalidWorkBlock); watch a little longer
   * than that so a late inclusion is still seen. */
  so.max_blocks = 4;
  so.poll_interval_ms = o->poll_ms;
  so.cancel = signalled;
  sp_chain_outcome out;
  memset(&out, 0, sizeof out);
  sp_chain_error e = {0};
  res->attempts++;
  res->have_solution = true;
  res->block_number = s->pow.block_number;
  res->nonce = s->pow.nonce;
  memcpy(res->seal, s->pow.seal, 32);
  char seal[65];
  sp_hex_encode(s->pow.seal, 32, seal);
  note(r, "attempt %u: submitting block %" PRIu64 " nonce %" PRIu64 " seal %s",
       res->attempts, s->pow.block_number, s->pow.nonce, seal);
  int rc = sp_chain_submit_and_watch(
      c, signer, "SubtensorModule",
      o->kind == SP_REG_FAUCET ? "faucet" : "register", args, &so, &out, &e);
  json_decref(args);
  sp_reg_status st;
  if (rc == 0 && out.dispatch.success) {
    read_outcome_events(&out, res);
    journal(r, c, "included", &s->pow, NULL);
    note(r, "included in block %" PRIu64, out.block_number);
    st = finish(res, SP_REG_DONE, NULL);
  } else if (rc == 0) {
    journal(r, c, "refused", &s->pow, out.dispatch.failure);
    if (strcmp(out.dispatch.error_name, "HotKeyAlreadyRegisteredInSubNet") ==
            0 &&
        hotkey_registered(r)) {
      res->have_uid = true;
      res->uid = r->uid;
      st = finish(res, SP_REG_DONE, NULL);
    } else {
      st = finish(res, SP_REG_REFUSED, "the chain refused it: %s",
                  out.dispatch.failure);
    }
  } else {
    /* Refused for sure only when the pool answered with a JSON-RPC error
     * before accepting it; once the request went out, any other failure
     * (an answer lost or garbled, the node gone while watching, a watch
     * that timed out or was stopped) leaves it possibly in the pool. */
    bool accepted = false;
    for (int i = 0; i < 32; i++)
      accepted |= out.extrinsic_hash[i] != 0;
    const char *event = !out.sent                           ? "unsent"
                        : !accepted && rc == -SP_CHAIN_ERPC ? "refused"
                                                            : "unknown";
    journal(r, c, event, &s->pow, e.message);
    st = finish(res, SP_REG_REFUSED, "%s%s", e.message,
                strcmp(event, "unknown") == 0
                    ? " (outcome unknown: the solution is in the journal)"
                    : "");
  }
  sp_chain_outcome_free(&out);
  return st;
}

sp_reg_status sp_registration_run(const char *url, const sp_signer *signer,
                                  const uint8_t hotkey[32],
                                  const uint8_t coldkey[32],
                                  const sp_registration_options *o,
                                  sp_registration_result *res) {
  memset(res, 0, sizeof *res);
  double t0 = now_s();
  run r;
  memset(&r, 0, sizeof r);
  r.o = o;
  pthread_mutex_init(&r.out_lock, NULL);
  memcpy(r.hotkey, hotkey, 32);
  memcpy(r.key, o->kind == SP_REG_FAUCET ? coldkey : hotkey, 32);
  sp_chain_client *c = NULL;
  sp_chain_error e = {0};
  sp_engine *eng = NULL;
  sp_reg_status st;
  if (o->max_attempts == 0 || o->n_backends < 1) {
    st = finish(res, SP_REG_ERROR, "no backend, or max_attempts 0");
    goto out;
  }
  if (sp_chain_client_open(&c, url, NULL, &e) != 0 ||
      sp_chain_client_open(&r.watch, url, NULL, &e) != 0) {
    st = finish(res, SP_REG_ERROR, "cannot talk to the node at %s: %s", url,
                e.message);
    goto out;
  }
  res->spec_version = c->runtime.spec_version;
  r.rule = o->rule_auto ? sp_rule_for_spec_version(c->runtime.spec_version)
                        : o->rule;
  res->rule = r.rule;
  note(&r, "node %s: %s spec_version %u, rule %s", sp_rpc_url(c->rpc),
       c->runtime.spec_name, c->runtime.spec_version, sp_rule_name(r.rule));
  if (!o->rule_auto &&
      r.rule != sp_rule_for_spec_version(c->runtime.spec_version))
    note(&r,
         "warning: --rule %s differs from this runtime's %s: the chain will "
         "likely "
         "refuse the work (InvalidDifficulty)",
         sp_rule_name(r.rule),
         sp_rule_name(sp_rule_for_spec_version(c->runtime.spec_version)));
  st = preflight(&r, c, res);
  if (st != SP_REG_DONE || res->already) goto out;
  if (o->kind == SP_REG_REGISTER && c->runtime.spec_version >= 397) {
    st = burned(&r, c, coldkey, res);
    goto out;
  }

  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_work_source src = {.poll = chain_poll, .self = &r};
  cfg.source = &src;
  cfg.source_ms = o->poll_ms;
  cfg.keep_going = true; /* workers solve on while a solution is submitted */
  cfg.time_limit_s = o->time_limit_s;
  if (o->kind == SP_REG_REGISTER) {
    cfg.stop_condition = hotkey_registered;
    cfg.stop_condition_user = &r;
  }
  cfg.on_stats = on_stats;
  cfg.on_stats_user = &r;
  char err[512] = "";
  if (sp_engine_create(&cfg, &eng, err, sizeof err) != 0) {
    st = finish(res, SP_REG_ERROR, "%s", err);
    goto out;
  }
  for (int i = 0; i < o->n_backends; i++) {
    if (sp_engine_add_worker(eng, o->vts[i], o->backends[i], 0, err,
                             sizeof err) < 0) {
      st = finish(res, SP_REG_ERROR, "%s", err);
      goto out;
    }
  }
  if (sp_engine_start(eng, err, sizeof err) != 0) {
    st = finish(res, SP_REG_ERROR, "%s", err);
    goto out;
  }
  st = SP_REG_REFUSED;
  /* The newest best block read so far. A solution already too old for the
   * submit window at that block is too old at any later one: it is dropped
   * without asking the node, or a queue of solutions that piled up during
   * a long submission would be read out one round trip each and go stale
   * in the queue faster than it drains. */
  uint64_t known_best = 0, skipped = 0;
  /* Solutions journaled but never submitted because the best block could
   * not be read, and why: the time limit's message reports them. */
  unsigned unsent = 0;
  char unsent_why[256] = "";
  /* While the node does not answer, one solution per block is journaled
   * and the others of that block are dropped for a while: each would cost a
   * round of retries and a journal line, and one is all a block needs. */
  double down_since = 0;
  uint64_t down_block = 0;
  for (;;) {
    sp_engine_solution s;
    sp_engine_event ev = sp_engine_run(eng, &s);
    if (ev == SP_ENGINE_SOLUTION) {
      /* Of the solutions waiting, only the newest block's is worth a round
       * trip: the queue fills while a submission is watched, and taking
       * them in order would leave every one older than the chain. */
      sp_engine_solution newer;
      while (sp_engine_next_solution(eng, &newer)) {
        if (newer.pow.block_number > s.pow.block_number) s = newer;
        skipped++;
      }
      /* too old at known_best (best + 1 - b >= 3) stays too old; a block
       * newer than known_best is not, and must be asked about */
      if ((s.pow.block_number + 2 <= known_best) ||
          (down_since > 0 && s.pow.block_number == down_block &&
           now_s() - down_since < NODE_DOWN_RETRY_S)) {
        skipped++;
        continue;
      }
      if (skipped > 0) {
        note(&r,
             "%" PRIu64 " more solution%s dropped (of older blocks or one "
             "already taken; best block %" PRIu64 ")",
             skipped, skipped == 1 ? "" : "s", known_best);
        skipped = 0;
      }
      uint64_t best = 0;
      uint8_t best_hash[32];
      if (sp_chain_best_block(c, &best, best_hash, &e) != 0) {
        /* Keep it: it may still be good once the node answers again. */
        journal(&r, c, "found", &s.pow, e.message);
        note(&r, "cannot read the best block (%s); solution journaled",
             e.message);
        unsent++;
        snprintf(unsent_why, sizeof unsent_why, "%s", e.message);
        down_since = now_s();
        down_block = s.pow.block_number;
        continue;
      }
      down_since = 0;
      if (best > known_best) known_best = best;
      if (!sp_pow_solution_in_submit_window(&s.pow, best)) {
        journal(&r, c, "stale", &s.pow, NULL);
        note(&r,
             "solution for block %" PRIu64 " is stale at best block %" PRIu64
             " (the chain includes work only while best + 1 - block < 3)",
             s.pow.block_number, best);
        continue;
      }
      journal(&r, c, "found", &s.pow, NULL);
      st = submit(&r, c, signer, coldkey, &s, res);
      if (st == SP_REG_DONE) break;
      note(&r, "attempt %u failed: %s", res->attempts, res->message);
      if (o->kind == SP_REG_REGISTER && hotkey_registered(&r)) {
        res->have_uid = true;
        res->uid = r.uid;
        st = finish(res, SP_REG_DONE, NULL);
        break;
      }
      if (res->attempts >= o->max_attempts) {
        char last[sizeof res->message];
        snprintf(last, sizeof last, "%s", res->message);
        st = finish(res, SP_REG_REFUSED, "%u attempt%s failed; the last: %s",
                    res->attempts, res->attempts == 1 ? "" : "s", last);
        break;
      }
      continue;
    }
    if (ev == SP_ENGINE_CONDITION) {
      res->have_uid = true;
      res->uid = r.uid;
      note(&r, "the hotkey is now registered (uid %u)", r.uid);
      st = finish(res, SP_REG_DONE, NULL);
    } else if (ev == SP_ENGINE_SIGNAL) {
      res->signal = sp_stop_signal_pending();
      st = finish(res, SP_REG_SIGNAL, "stopped by signal %d", res->signal);
    } else if (ev == SP_ENGINE_TIME_LIMIT && unsent > 0) {
      st = finish(res, SP_REG_REFUSED,
                  "time limit reached with %u solution%s found and journaled "
                  "but not submitted: the best block could not be read (%s)",
                  unsent, unsent == 1 ? "" : "s", unsent_why);
    } else if (ev == SP_ENGINE_TIME_LIMIT && res->attempts > 0) {
      char last[sizeof res->message];
      snprintf(last, sizeof last, "%s", res->message);
      st = finish(res, SP_REG_REFUSED,
                  "time limit reached after %u attempt%s; the last: %s",
                  res->attempts, res->attempts == 1 ? "" : "s", last);
    } else if (ev == SP_ENGINE_TIME_LIMIT) {
      st = finish(res, SP_REG_REFUSED, "no solution within the time limit");
    } else if (ev == SP_ENGINE_SOURCE_ERROR || ev == SP_ENGINE_WORKER_ERROR) {
      st = finish(res, SP_REG_ERROR, "%s", sp_engine_error(eng));
    } else {
      st = finish(res, SP_REG_ERROR, "the solver stopped (%s)",
                  sp_engine_event_name(ev));
    }
    break;
  }
  sp_engine_request_stop(eng);
  int missing = sp_engine_stop_and_join(eng, 3000);
  if (missing > 0)
    note(&r, "warning: %d worker(s) did not stop within 3 s", missing);
  sp_solve_stats stats;
  sp_engine_stats(eng, &stats);
  res->hashes = stats.hashes_total;
  res->hashes_per_second = stats.hash_rate_perpetual;
  res->difficulty = r.difficulty;

out:
  res->status = st;
  res->seconds = now_s() - t0;
  sp_engine_destroy(eng);
  sp_chain_client_close(r.watch);
  sp_chain_client_close(c);
  pthread_mutex_destroy(&r.out_lock);
  return st;
}
