/* The registration flow; see registration.h. */
#include "registration/registration.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain/client/client.h"
#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "chain/keys/ss58.h"
#include "common/clock.h"
#include "common/error.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "registration/burn_quote.h"
#include "registration/head_source.h"
#include "registration/journal.h"

/* The faucet's fixed difficulty (pallet do_faucet, docs/protocol.md section 3).
 */
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
  double failing_since;   /* first of a run of failed polls, or 0 */
  char source_error[256]; /* why the last poll failed ("" after a good one) */
  bool registered;        /* seen by the stop condition */
  uint16_t uid;
  uint64_t known_best;    /* the newest best block seen */
  double last_block_t;    /* when the source saw its last new block */
  double block_time_s;    /* the chain's block time as measured, or 0 */
  double deadline;        /* the whole run's end (time_limit_s), or 0 */
  sp_chain_prepared prep; /* the next submission's parameters */
  sp_head_source *heads;  /* new-head subscription (WebSocket), or NULL */
  bool told_polling;      /* "no extrinsic subscription" noted once */
  sp_chain_client *chain; /* the main client: its genesis names the chain
                             in every journal line */
  char last_watch[40];    /* the last watch status journaled (a repeat of
                             it is not: a flood must not fill the disk) */
  bool told_unreadable;   /* the journal's unreadable lines said once */
} run;

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
/* Stale solutions allowed per attempt (max_attempts) before the run stops
 * (see the main loop). */
#define STALE_PER_ATTEMPT 10u

/* With a new-head subscription, the chain is read anyway this often: a
 * node whose subscription goes quiet is still followed. */
#define HEAD_SAFETY_S 6.0
/* ... and the engine looks at the subscription this often (a lock and a
 * flag; no round trip unless a head came). */
#define HEAD_CHECK_MS 5

/* The chain as a work source: the newest block, with the difficulty read
 * anew at each block (the chain adjusts it every interval). */
static int chain_poll(void *self, sp_block_work *out, sp_error_record *err) {
  run *r = self;
  /* subscribed: read the chain only when a head came (head_source.h) */
  if (r->heads != NULL &&
      !sp_head_source_due(r->heads, sp_monotonic_seconds(), HEAD_SAFETY_S))
    return 0;
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
      return sp_error_fail(err, SP_EINVAL,
                           "cannot read the work to solve from the node: %s",
                           e.message);
    }
    snprintf(r->source_error, sizeof r->source_error, "%s", e.message);
    double t = sp_monotonic_seconds();
    if (r->failing_since == 0) r->failing_since = t;
    if (t - r->failing_since > SOURCE_GRACE_S) {
      return sp_error_fail(err, SP_EINVAL,
                           "the node has not answered for %.0f s: %s",
                           SOURCE_GRACE_S, e.message);
    }
    return 0; /* ride it out: the workers keep the last block's work */
  }
  r->failing_since = 0;
  r->source_error[0] = '\0';
  if (r->have_block && number == r->last_block) return 0;
  double t = sp_monotonic_seconds();
  if (r->have_block && number > r->last_block && r->last_block_t > 0) {
    /* The block time, for the watch's limit: the mean interval of the
     * blocks seen, smoothed (polls skip blocks when slower than them). */
    double dt = (t - r->last_block_t) / (double)(number - r->last_block);
    r->block_time_s =
        r->block_time_s > 0 ? 0.7 * r->block_time_s + 0.3 * dt : dt;
  }
  r->last_block_t = t;
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

/* A simulated crash for the journal's crash tests: with
 * SUBPOW_CRASH_AFTER_JOURNAL=EVENT in the environment the process kills
 * itself (SIGKILL, as kill -9 would) right after journaling EVENT. */
static void crash_point(const char *event) {
  const char *at = getenv("SUBPOW_CRASH_AFTER_JOURNAL");
  if (at != NULL && strcmp(at, event) == 0) raise(SIGKILL);
}

/* The entry of one solution and event: every line names the chain (the
 * genesis hash of the run's client, whichever connection saw the event),
 * the kind, the key and the netuid. */
static sp_journal_entry entry_of(const run *r, const char *event,
                                 const sp_pow_solution *s, const char *detail) {
  sp_journal_entry e = {.event = event,
                        .kind =
                            r->o->kind == SP_REG_FAUCET ? "faucet" : "register",
                        .node = sp_rpc_url(r->chain->rpc),
                        .netuid = r->o->netuid,
                        .key = r->key,
                        .block_number = s->block_number,
                        .nonce = s->nonce,
                        .seal = s->seal,
                        .detail = detail,
                        .genesis = r->chain->genesis_hash};
  return e;
}

/* Appends an entry; returns 0 or an error (with a warning noted). */
static int journal_entry(run *r, const sp_journal_entry *e) {
  if (r->o->journal == NULL) return 0;
  sp_error_record err = {0};
  int rc = sp_journal_write(r->o->journal, e, &err);
  if (rc != 0)
    note(r, "warning: %s", err.message[0] ? err.message : sp_strerror(rc));
  else
    crash_point(e->event);
  return rc;
}

static int journal(run *r, sp_chain_client *c, const char *event,
                   const sp_pow_solution *s, const char *detail) {
  (void)c; /* the chain is the run's (r->chain), whichever client saw it */
  sp_journal_entry e = entry_of(r, event, s, detail);
  return journal_entry(r, &e);
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
  bool pow = sp_chain_era(c)->pow_registration;
  if (o->netuid == 0 && !pow) return SP_REG_DONE; /* burned() names it */
  if (o->netuid == 0)
    return finish(res, SP_REG_REFUSED,
                  "netuid 0 is the root network: it has no PoW registration");
  if (sp_storage_networks_added(c->rpc, c->metadata, o->netuid, NULL, &exists,
                                &e) != 0)
    return finish(res, SP_REG_ERROR, "reading NetworksAdded: %s", e.message);
  if (!exists) {
    snprintf(res->refusal, sizeof res->refusal, "SubnetNotExists");
    return finish(res, SP_REG_REFUSED,
                  "subnet %u does not exist on this chain "
                  "(SubtensorModule.SubnetNotExists); nothing was signed",
                  o->netuid);
  }
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
  if (!sp_chain_era(c)->pow_registration)
    return SP_REG_DONE; /* no PoW: see burned() */
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

/* A burned registration's journal line (kind "burned"; the key is the
 * hotkey, block_number the quote's block, no nonce or seal): "quote"
 * (before anything is signed: the price seen, the balance, the cap),
 * "submitting" (fsync'd before the extrinsic goes out), then "included",
 * "refused" or "unknown". The PoW resume (sp_journal_read) reads
 * "register" and "faucet" lines only: a burned registration is never
 * resent from the journal. Returns 0 or a negative code of the error
 * space (a warning noted). */
static int journal_burned(run *r, sp_chain_client *c, const char *event,
                          uint64_t block, const char *detail) {
  if (r->o->journal == NULL) return 0;
  static const uint8_t no_seal[32] = {0};
  sp_journal_entry e = {.event = event,
                        .kind = "burned",
                        .node = sp_rpc_url(c->rpc),
                        .netuid = r->o->netuid,
                        .key = r->hotkey,
                        .block_number = block,
                        .nonce = 0,
                        .seal = no_seal,
                        .detail = detail,
                        .genesis = c->genesis_hash};
  int rc = sp_journal_append(r->o->journal, &e);
  if (rc != 0)
    note(r, "warning: cannot write the journal %s: %s", r->o->journal,
         sp_strerror(-rc));
  return rc;
}

/* A refusal by the name the chain gives it (SubtensorModule.<name>: its
 * docs from the runtime's metadata), with why. */
static sp_reg_status refuse_named(sp_chain_client *c,
                                  sp_registration_result *res, const char *name,
                                  const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static sp_reg_status refuse_named(sp_chain_client *c,
                                  sp_registration_result *res, const char *name,
                                  const char *fmt, ...) {
  char why[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  const sp_type_variant *v = NULL;
  sp_chain_error ignored = {0};
  const char *docs = "";
  if (sp_metadata_error(c->metadata, "SubtensorModule", name, &v, &ignored) ==
          0 &&
      v != NULL && v->ndocs > 0)
    docs = v->docs[0];
  snprintf(res->refusal, sizeof res->refusal, "%s", name);
  return finish(res, SP_REG_REFUSED, "SubtensorModule.%s%s%s%s: %s", name,
                docs[0] ? " (" : "", docs, docs[0] ? ")" : "", why);
}

/* The quote, shown before anything is signed. */
static void note_quote(run *r, const sp_burn_quote *q, const char *cold_ss58) {
  char price[64], balance[64];
  sp_tao_format(q->price_rao, price, sizeof price);
  sp_tao_format(q->balance_rao, balance, sizeof balance);
  note(r,
       "burned registration on subnet %u at block %" PRIu64
       ": price (Burn) %s; "
       "coldkey %s free balance %s",
       r->o->netuid, q->block, price, cold_ss58, balance);
  if (q->has_owner) {
    char owner[SP_SS58_ADDRESS_MAX];
    sp_ss58_encode(q->owner, 42, owner, sizeof owner);
    note(r, "the hotkey is owned by %s%s", owner,
         q->owner_is_coldkey ? " (this coldkey)" : " (another coldkey)");
  } else {
    note(r, "the hotkey has no owner yet: this registration makes the coldkey "
            "its owner");
  }
}

/* A burned registration (the runtime era "burned", docs/protocol.md section 4):
 * the work is ignored, the coldkey signs and pays Burn[netuid]. Nothing is
 * signed before the price, the balance and the hotkey's owner were read
 * and shown, and a cap was given (--max-burn) or the price confirmed. */
static sp_reg_status burned(run *r, sp_chain_client *c,
                            const uint8_t coldkey[32],
                            sp_registration_result *res) {
  const sp_registration_options *o = r->o;
  if (!o->allow_burned || o->coldkey_signer == NULL)
    return finish(
        res, SP_REG_REFUSED,
        "this chain runs spec_version %u: since %u `register` ignores the "
        "proof of work and is a burned registration that charges Burn[%u] to "
        "the coldkey; rerun with --burned (and --max-burn TAO) to do that",
        c->runtime.spec_version, sp_runtime_era_burned_from(), o->netuid);
  if (o->netuid == 0)
    return refuse_named(c, res, "RegistrationNotPermittedOnRootSubnet",
                        "netuid 0 is the root network; nothing was signed");
  sp_chain_error e = {0};
  sp_burn_quote *q = &res->quote;
  if (sp_burn_quote_read(c, o->netuid, r->hotkey, coldkey, q, &e) != 0)
    return finish(res, SP_REG_ERROR, "reading the price, balance and owner: %s",
                  e.message);
  res->have_quote = true;
  char cold_ss58[SP_SS58_ADDRESS_MAX];
  sp_ss58_encode(coldkey, 42, cold_ss58, sizeof cold_ss58);
  note_quote(r, q, cold_ss58);
  char price[64], balance[64], cap[64];
  sp_tao_format(q->price_rao, price, sizeof price);
  sp_tao_format(q->balance_rao, balance, sizeof balance);
  if (q->registered) {
    res->already = res->have_uid = true;
    res->uid = q->uid;
    return finish(res, SP_REG_DONE, NULL);
  }
  if (!q->registration_allowed)
    return refuse_named(
        c, res, "SubNetRegistrationDisabled",
        "NetworkRegistrationAllowed[%u] is false; nothing was signed",
        o->netuid);
  if (q->balance_rao < q->price_rao)
    return refuse_named(
        c, res, "NotEnoughBalanceToStake",
        "the coldkey's free balance %s cannot pay the price %s; "
        "nothing was signed",
        balance, price);
  if (q->has_owner && !q->owner_is_coldkey) {
    char owner[SP_SS58_ADDRESS_MAX];
    sp_ss58_encode(q->owner, 42, owner, sizeof owner);
    return refuse_named(
        c, res, "NonAssociatedColdKey",
        "the hotkey belongs to coldkey %s, not %s; nothing was signed", owner,
        cold_ss58);
  }
  /* The cap: --max-burn, or the price the user confirmed. */
  if (o->have_max_burn) {
    res->cap_rao = o->max_burn_rao;
    sp_tao_format(res->cap_rao, cap, sizeof cap);
    if (q->price_rao > res->cap_rao)
      return refuse_named(
          c, res, "RegistrationPriceLimitExceeded",
          "the price %s is above --max-burn %s; nothing was signed", price,
          cap);
  } else if (o->confirm != NULL) {
    if (!o->confirm(o->user, q)) {
      snprintf(res->refusal, sizeof res->refusal, "NotConfirmed");
      return finish(res, SP_REG_REFUSED,
                    "not confirmed: nothing was signed (price %s)", price);
    }
    res->cap_rao = q->price_rao; /* what was agreed to */
  } else {
    snprintf(res->refusal, sizeof res->refusal, "NoCap");
    return finish(
        res, SP_REG_REFUSED,
        "a burned registration spends the coldkey's TAO (price now %s, "
        "balance %s): without a terminal to confirm on, or with "
        "--no-prompt/-y, give the most you agree to pay with --max-burn "
        "TAO; nothing was signed",
        price, balance);
  }
  res->have_cap = true;
  sp_tao_format(res->cap_rao, cap, sizeof cap);
  char detail[400];
  snprintf(detail, sizeof detail,
           "price_rao=%" PRIu64 " balance_rao=%" PRIu64 " cap_rao=%" PRIu64
           " call=%s",
           q->price_rao, q->balance_rao, res->cap_rao,
           q->has_register_limit ? "register_limit" : "burned_register");
  if (journal_burned(r, c, "quote", q->block, detail) != 0)
    return finish(res, SP_REG_ERROR,
                  "cannot write the journal %s: nothing was signed",
                  o->journal);

  /* register_limit: the chain itself refuses a price above the cap. Else
   * the price is read again right before the one round trip of the
   * submission, and a 4-block mortal era bounds when it can be included. */
  sp_submit_options so;
  sp_submit_options_default(&so);
  so.era_period = q->has_register_limit ? 32 : 4;
  so.max_blocks = so.era_period + 1;
  so.poll_interval_ms = o->poll_ms;
  so.cancel = signalled;
  sp_chain_prepared prep;
  if (sp_chain_prepare(c, o->coldkey_signer, &so, &prep, &e) != 0)
    return finish(res, SP_REG_ERROR,
                  "preparing the submission: %s (nothing was sent)", e.message);
  json_t *args;
  if (q->has_register_limit) {
    snprintf(res->call, sizeof res->call, "register_limit");
    char limit[24];
    snprintf(limit, sizeof limit, "%" PRIu64, res->cap_rao);
    args = json_pack("{s:i, s:o, s:s}", "netuid", o->netuid, "hotkey",
                     sp_json_hex(r->hotkey, 32), "limit_price", limit);
  } else {
    uint64_t now = 0;
    if (sp_burn_price_read(c, o->netuid, &now, &e) != 0)
      return finish(res, SP_REG_ERROR,
                    "re-reading the price: %s (nothing was sent)", e.message);
    if (now > res->cap_rao) {
      char moved[64];
      sp_tao_format(now, moved, sizeof moved);
      journal_burned(r, c, "refused", q->block,
                     "the price rose above the cap before submitting");
      return refuse_named(
          c, res, "RegistrationPriceLimitExceeded",
          "the price rose to %s, above the cap %s, before submitting "
          "(this runtime has no register_limit); nothing was signed",
          moved, cap);
    }
    bool has_burned_register =
        sp_metadata_call(c->metadata, "SubtensorModule", "burned_register",
                         NULL, NULL, &e) == 0;
    snprintf(res->call, sizeof res->call, "%s",
             has_burned_register ? "burned_register" : "register");
    static const uint8_t zero[32] = {0};
    args = has_burned_register ? json_pack("{s:i, s:o}", "netuid", o->netuid,
                                           "hotkey", sp_json_hex(r->hotkey, 32))
                               : sp_chain_register_args(o->netuid, 0, 0, zero,
                                                        r->hotkey, coldkey);
  }
  snprintf(detail, sizeof detail, "call=%s cap_rao=%" PRIu64, res->call,
           res->cap_rao);
  if (journal_burned(r, c, "submitting", q->block, detail) != 0) {
    json_decref(args);
    return finish(res, SP_REG_ERROR,
                  "cannot write the journal %s: nothing was signed",
                  o->journal);
  }
  note(r,
       "submitting SubtensorModule.%s on subnet %u, signed by the coldkey, cap "
       "%s",
       res->call, o->netuid, cap);
  res->attempts = 1;
  sp_chain_submission sub;
  int rc =
      sp_chain_submit_prepared(c, o->coldkey_signer, &prep, prep.best,
                               "SubtensorModule", res->call, args, &sub, &e);
  json_decref(args);
  if (rc != 0 && (!sub.sent || rc == -SP_CHAIN_ERPC)) {
    journal_burned(r, c, "refused", q->block, e.message);
    sp_chain_submission_free(&sub);
    return finish(res, SP_REG_REFUSED, "%s (not included: nothing was paid)",
                  e.message);
  }
  sp_chain_outcome out;
  memset(&out, 0, sizeof out);
  sp_chain_error we = {0};
  int wrc = sp_chain_watch(c, &sub, &so, &out, &we);
  sp_chain_submission_free(&sub);
  sp_reg_status st;
  if (wrc == 0 && out.dispatch.success) {
    read_outcome_events(&out, res);
    sp_account_info after;
    if (sp_storage_account(c->rpc, c->metadata, coldkey, out.block_hash, &after,
                           &e) == 0) {
      uint64_t left =
          after.free > UINT64_MAX ? UINT64_MAX : (uint64_t)after.free;
      res->balance_after_rao = left;
      if (left <= q->balance_rao) {
        res->have_paid = true;
        res->paid_rao = q->balance_rao - left;
      }
    }
    snprintf(detail, sizeof detail,
             "block=%" PRIu64 " uid=%u paid_rao=%" PRIu64, out.block_number,
             res->uid, res->paid_rao);
    journal_burned(r, c, "included", q->block, detail);
    note(r, "included in block %" PRIu64, out.block_number);
    st = finish(res, SP_REG_DONE, NULL);
  } else if (wrc == 0) {
    journal_burned(r, c, "refused", q->block, out.dispatch.failure);
    snprintf(res->refusal, sizeof res->refusal, "%s", out.dispatch.error_name);
    st = finish(res, SP_REG_REFUSED,
                "the chain refused it: %s (the burn was not paid)",
                out.dispatch.failure);
  } else {
    journal_burned(r, c, out.final_status[0] ? "dropped" : "unknown", q->block,
                   we.message);
    st = finish(
        res, SP_REG_REFUSED,
        "%s: the outcome is unknown; the extrinsic is not resent (its era "
        "ends %u blocks after block %" PRIu64 "); run bench register again to "
        "see whether the hotkey got a uid",
        we.message, so.era_period, prep.best);
  }
  sp_chain_outcome_free(&out);
  return st;
}

/* How long one attempt's inclusion watch may last: the work is dead 3
 * blocks after its block (best + 1 - b < 3), so a watch of max_blocks = 4
 * blocks sees any late inclusion; the time limit is WATCH_BLOCKS block
 * times of the chain as measured by the source (SLOT_DEFAULT_S until two
 * blocks were seen), within [WATCH_MIN_S, WATCH_MAX_S], and never past the
 * whole run's --seconds deadline. */
#define WATCH_BLOCKS 6.0
#define WATCH_MIN_S 5.0
#define WATCH_MAX_S 120.0
#define SLOT_DEFAULT_S 12.0 /* finney's block time */

static double watch_limit_s(const run *r) {
  double block = r->block_time_s > 0 ? r->block_time_s : SLOT_DEFAULT_S;
  double limit = WATCH_BLOCKS * block;
  if (limit < WATCH_MIN_S) limit = WATCH_MIN_S;
  if (limit > WATCH_MAX_S) limit = WATCH_MAX_S;
  if (r->deadline > 0) {
    double left = r->deadline - sp_monotonic_seconds();
    if (left < limit) limit = left > 0.001 ? left : 0.001;
  }
  return limit;
}

/* A watch stops at SIGINT/SIGTERM and at the run's deadline. */
static bool watch_cancel(void *user) {
  const run *r = user;
  return sp_stop_signal_pending() != 0 ||
         (r->deadline > 0 && sp_monotonic_seconds() >= r->deadline);
}

/* Everything of the next submission that does not depend on the solution,
 * read while the workers solve (sp_chain_prepare). */
static void prepare(run *r, sp_chain_client *c, const sp_signer *signer) {
  sp_submit_options so;
  sp_submit_options_default(&so);
  sp_chain_error e = {0};
  if (sp_chain_prepare(c, signer, &so, &r->prep, &e) != 0)
    note(r,
         "cannot prepare the next submission yet (%s): it will be "
         "prepared when a solution is found",
         e.message);
}

/* Statuses of a WebSocket watch (client.h on_status): each is journaled. */
typedef struct watch_ctx {
  run *r;
  const sp_pow_solution *pow;
} watch_ctx;

static void watch_status(void *user, const char *status,
                         const uint8_t *block_hash) {
  watch_ctx *w = user;
  char event[40], hash[67] = "";
  snprintf(event, sizeof event, "watch_%s", status);
  if (block_hash != NULL) {
    hash[0] = '0', hash[1] = 'x';
    sp_hex_encode(block_hash, 32, hash + 2);
  }
  /* a status with a block hash is always a line; a repeat of the last
   * one without is not (a node flooding "broadcast") */
  if (block_hash != NULL || strcmp(event, w->r->last_watch) != 0) {
    snprintf(w->r->last_watch, sizeof w->r->last_watch, "%s", event);
    journal(w->r, NULL, event, w->pow, hash[0] ? hash : NULL);
  }
  if (strcmp(status, "polling") == 0 && !w->r->told_polling) {
    w->r->told_polling = true;
    note(w->r, "the node has no author_submitAndWatchExtrinsic: watching "
               "by polling");
  } else if (strcmp(status, "lost") == 0) {
    note(w->r, "the connection went away while watching: polling the chain "
               "for the extrinsic");
  }
}

/* Blocks a submission is looked for in: its solution's block b + 1 (the
 * first that can hold it) to b + 4. The pallet takes the work only while
 * current - b < 3 (subtensor-pow.md, check 7), so past b + 2 it can never
 * succeed; a watch of 4 blocks also sees a late failed inclusion. */
#define LOOK_BLOCKS 4u

typedef enum look {
  LOOK_FOUND,   /* in a block: out holds the outcome */
  LOOK_EXPIRED, /* not in any block of its window, and all of them exist */
  LOOK_UNKNOWN, /* not seen yet (stopped, the time limit, the node away) */
} look;

/* Looks for an extrinsic on chain by its bytes (hash) in the blocks of its
 * window, waiting for blocks while the window is open (the watch's time
 * limit, a signal and the run's deadline stop it), by polling: over any
 * node of the chain, whatever pool has it. */
static look look_on_chain(run *r, sp_chain_client *c,
                          const sp_chain_submission *sent, uint64_t block,
                          sp_chain_outcome *out, sp_chain_error *we) {
  sp_chain_submission sub = *sent;
  sub.ws_watch = NULL; /* by polling */
  sub.no_watch_method = false;
  sub.first_block = block < UINT64_MAX ? block + 1 : UINT64_MAX;
  sp_submit_options so;
  sp_submit_options_default(&so);
  so.max_blocks = LOOK_BLOCKS;
  so.poll_interval_ms = r->o->poll_ms;
  so.timeout_ms = (long)(watch_limit_s(r) * 1000.0);
  so.cancel = watch_cancel;
  so.cancel_user = r;
  memset(out, 0, sizeof *out);
  int wrc = sp_chain_watch(c, &sub, &so, out, we);
  if (wrc == 0) return LOOK_FOUND;
  if (wrc != -SP_CHAIN_ETIMEOUT) return LOOK_UNKNOWN;
  /* Not seen: expired only once every block of its window exists and was
   * looked at (one more pass over them all, that ends at the last). */
  sp_chain_error e = {0};
  uint64_t best = 0;
  if (sp_chain_best_block(c, &best, NULL, &e) != 0 ||
      sub.first_block > UINT64_MAX - LOOK_BLOCKS ||
      best < sub.first_block + LOOK_BLOCKS - 1)
    return LOOK_UNKNOWN;
  so.timeout_ms = 1;
  so.cancel = NULL;
  sp_chain_outcome_free(out);
  memset(out, 0, sizeof *out);
  wrc = sp_chain_watch(c, &sub, &so, out, we);
  if (wrc == 0) return LOOK_FOUND;
  return wrc == -SP_CHAIN_ETIMEOUT ? LOOK_EXPIRED : LOOK_UNKNOWN;
}

/* The outcome of an extrinsic found in a block: journaled, and the run's
 * status (a failed call is REFUSED, or DONE when the hotkey turns out to be
 * registered). */
static sp_reg_status settle_included(run *r, sp_chain_client *c,
                                     const sp_pow_solution *pow,
                                     const sp_chain_outcome *out,
                                     sp_registration_result *res) {
  if (out->dispatch.success) {
    read_outcome_events(out, res);
    journal(r, c, "included", pow, NULL);
    note(r, "included in block %" PRIu64, out->block_number);
    return finish(res, SP_REG_DONE, NULL);
  }
  journal(r, c, "refused", pow, out->dispatch.failure);
  if (strcmp(out->dispatch.error_name, "HotKeyAlreadyRegisteredInSubNet") ==
          0 &&
      hotkey_registered(r)) {
    res->have_uid = true;
    res->uid = r->uid;
    return finish(res, SP_REG_DONE, NULL);
  }
  return finish(res, SP_REG_REFUSED, "the chain refused it: %s",
                out->dispatch.failure);
}

/* A sent extrinsic that was not seen in a block: looked for in the blocks
 * of its window before the run goes on, so that no new attempt is made
 * while it may still be included. A node's "dropped" (or "invalid",
 * "usurped") is no proof: another node's pool may hold it (`status` is
 * that word, or NULL). Journals the outcome. */
static sp_reg_status
settle_unseen(run *r, sp_chain_client *c, const sp_chain_submission *sub,
              const sp_pow_solution *pow, const char *status, const char *why,
              bool lost_answer, sp_registration_result *res) {
  if (status != NULL) {
    journal(r, c, "dropped", pow, why);
    note(r,
         "the node reported the extrinsic %s; looking for it in the blocks "
         "of its window before anything else is sent",
         status);
  }
  sp_chain_outcome out;
  memset(&out, 0, sizeof out);
  sp_chain_error we = {0};
  look l = sp_stop_signal_pending() != 0
               ? LOOK_UNKNOWN
               : look_on_chain(r, c, sub, pow->block_number, &out, &we);
  sp_reg_status st;
  if (l == LOOK_FOUND) {
    st = settle_included(r, c, pow, &out, res);
  } else if (l == LOOK_EXPIRED) {
    journal(r, c, "expired", pow, why);
    st = finish(res, SP_REG_REFUSED,
                "%s%s (not in any block of its window: it can no longer be "
                "included)",
                lost_answer ? "the answer to the submission was lost and " : "",
                why);
  } else {
    if (we.message[0])
      note(r, "the extrinsic was not found on chain yet: %s", we.message);
    journal(r, c, "unknown", pow, why);
    st = finish(res, SP_REG_REFUSED,
                "%s%s (outcome unknown: the solution is in the journal)",
                lost_answer ? "the answer to the submission was lost and " : "",
                why);
  }
  sp_chain_outcome_free(&out);
  return st;
}

/* Submits one solution in one round trip and watches it. Returns DONE, or
 * REFUSED with the reason in res->message (the caller decides whether to
 * try again), or ERROR when it could not be journaled (then it was not
 * sent). The signed extrinsic is journaled (`sending`) before it goes out,
 * so a crash from here on leaves a rerun something to look for on chain
 * instead of a reason to resend. After a lost answer or a `dropped` the
 * extrinsic is never resent: it is looked for by hash in the blocks of its
 * window. */
static sp_reg_status submit(run *r, sp_chain_client *c, const sp_signer *signer,
                            const uint8_t coldkey[32],
                            const sp_engine_solution *s,
                            sp_registration_result *res) {
  const sp_registration_options *o = r->o;
  sp_chain_error e = {0};
  res->attempts++;
  res->have_solution = true;
  res->block_number = s->pow.block_number;
  res->nonce = s->pow.nonce;
  memcpy(res->seal, s->pow.seal, 32);
  if (!r->prep.ready) {
    prepare(r, c, signer);
    if (!r->prep.ready) {
      journal(r, c, "unsent", &s->pow, "the submission could not be prepared");
      return finish(res, SP_REG_REFUSED,
                    "cannot prepare the submission: the node does not answer");
    }
  }
  json_t *args =
      o->kind == SP_REG_FAUCET
          ? sp_chain_faucet_args(s->pow.block_number, s->pow.nonce, s->pow.seal)
          : sp_chain_register_args(o->netuid, s->pow.block_number, s->pow.nonce,
                                   s->pow.seal, r->hotkey, coldkey);
  char seal[65];
  sp_hex_encode(s->pow.seal, 32, seal);
  note(r, "attempt %u: submitting block %" PRIu64 " nonce %" PRIu64 " seal %s",
       res->attempts, s->pow.block_number, s->pow.nonce, seal);
  const char *call = o->kind == SP_REG_FAUCET ? "faucet" : "register";
  sp_chain_submission sub;
  uint64_t best = r->known_best > r->prep.best ? r->known_best : r->prep.best;
  int rc = sp_chain_build_prepared(c, signer, &r->prep, best, "SubtensorModule",
                                   call, args, &sub, &e);
  json_decref(args);
  /* The nonce is taken (or may be): the next attempt prepares anew. */
  r->prep.ready = false;
  if (rc != 0) {
    journal(r, c, "unsent", &s->pow, e.message);
    sp_chain_submission_free(&sub);
    return finish(res, SP_REG_REFUSED, "%s (not sent)", e.message);
  }
  sp_journal_entry je = entry_of(r, "sending", &s->pow, NULL);
  je.xt = sub.bytes;
  je.xt_len = sub.len;
  je.xt_hash = sub.hash;
  je.first_block = sub.first_block;
  if (journal_entry(r, &je) != 0) {
    sp_chain_submission_free(&sub);
    return finish(res, SP_REG_ERROR,
                  "cannot write the journal %s, so the solution for block "
                  "%" PRIu64 " (nonce %" PRIu64 ", seal %s) was not sent",
                  o->journal, s->pow.block_number, s->pow.nonce, seal);
  }
  r->last_watch[0] = '\0';
  rc = sp_chain_send_built(c, &sub, "SubtensorModule", call, &e);
  if (rc != 0 && !sub.sent) {
    journal(r, c, "unsent", &s->pow, e.message);
    sp_chain_submission_free(&sub);
    return finish(res, SP_REG_REFUSED, "%s (not sent)", e.message);
  }
  if (rc == -SP_CHAIN_ERPC) {
    /* The pool answered with an error: it did not take it. */
    journal(r, c, "refused", &s->pow, e.message);
    sp_chain_submission_free(&sub);
    return finish(res, SP_REG_REFUSED, "%s", e.message);
  }
  char xhash[65];
  sp_hex_encode(sub.hash, 32, xhash);
  if (rc != 0) {
    /* The answer was lost: the node may have it. */
    journal(r, c, "unknown", &s->pow, e.message);
    note(r,
         "the answer to the submission was lost (%s); not resending: "
         "looking for extrinsic 0x%s in the next blocks",
         e.message, xhash);
  }
  sp_submit_options so;
  sp_submit_options_default(&so);
  so.max_blocks = LOOK_BLOCKS; /* past them the work is dead */
  so.poll_interval_ms = o->poll_ms;
  so.timeout_ms = (long)(watch_limit_s(r) * 1000.0);
  so.cancel = watch_cancel;
  so.cancel_user = r;
  watch_ctx wctx = {r, &s->pow};
  so.on_status = watch_status;
  so.status_user = &wctx;
  sp_chain_outcome out;
  memset(&out, 0, sizeof out);
  sp_chain_error we = {0};
  int wrc = sp_chain_watch(c, &sub, &so, &out, &we);
  sp_reg_status st;
  if (wrc == 0) {
    st = settle_included(r, c, &s->pow, &out, res);
  } else {
    /* Not seen on chain (the watch timed out, was stopped, or the node went
     * away), or the node said it left its pool (dropped, invalid,
     * usurped: a WebSocket watch). */
    st = settle_unseen(r, c, &sub, &s->pow,
                       out.final_status[0] ? out.final_status : NULL,
                       we.message, rc != 0, res);
  }
  sp_chain_submission_free(&sub);
  sp_chain_outcome_free(&out);
  return st;
}

/* The journal read back for this run's key, netuid, kind and chain, up to
 * the best block `best`; unreadable lines are said. Returns the scan
 * (free it), or NULL when there is nothing (or it cannot be read: said). */
static sp_journal_scan *read_journal(run *r, sp_chain_client *c,
                                     uint64_t best) {
  const sp_registration_options *o = r->o;
  if (o->journal == NULL) return NULL;
  sp_journal_scan *scan = malloc(sizeof *scan);
  if (scan == NULL) return NULL;
  sp_journal_query q = {.kind =
                            o->kind == SP_REG_FAUCET ? "faucet" : "register",
                        .key = r->key,
                        .netuid = o->netuid,
                        .genesis = c->genesis_hash,
                        .node = sp_rpc_url(c->rpc),
                        .best = best};
  int rc = sp_journal_read(o->journal, &q, scan);
  if (rc < 0)
    note(r, "warning: cannot read the journal %s back: %s", o->journal,
         sp_strerror(rc));
  else if (scan->unreadable > 0 && !r->told_unreadable) {
    r->told_unreadable = true; /* both reads of a start say it once */
    note(r,
         "warning: the journal %s has %" PRIu64 " line%s that %s not an "
         "entry (cut short by a crash?), the first at line %" PRIu64
         ": skipped",
         o->journal, scan->unreadable, scan->unreadable == 1 ? "" : "s",
         scan->unreadable == 1 ? "is" : "are", scan->first_unreadable);
  }
  if (rc <= 0) {
    free(scan);
    return NULL;
  }
  return scan;
}

/* After a crash (kill -9, a lost machine) the journal may hold solutions
 * that were sent (`sending`, a watch status, `unknown`, `dropped`) and
 * never resolved: each may be in a pool or a block. Each is looked for on
 * chain, in the blocks of its window, whichever node of the chain is asked
 * now; it is never sent again. Returns true when one was found included
 * (res and *st then hold that outcome: the run is done). */
static bool look_up_journaled(run *r, sp_chain_client *c,
                              sp_registration_result *res, sp_reg_status *st) {
  sp_chain_error e = {0};
  uint64_t best = 0;
  if (r->o->journal == NULL || sp_chain_best_block(c, &best, NULL, &e) != 0)
    return false;
  sp_journal_scan *scan = read_journal(r, c, best);
  if (scan == NULL) return false;
  bool done = false;
  for (size_t i = 0; i < scan->n && !done; i++) {
    const sp_journal_pending *p = &scan->pending[i];
    if (!p->sent) continue;
    sp_pow_solution pow = {.nonce = p->nonce, .block_number = p->block_number};
    memcpy(pow.seal, p->seal, 32);
    if (!p->have_xt) {
      note(r,
           "the journal's solution for block %" PRIu64 " may have been sent "
           "(%s) but its extrinsic is not recorded: it is not sent again",
           p->block_number, p->event);
      continue;
    }
    char xhash[65];
    sp_hex_encode(p->xt_hash, 32, xhash);
    note(r,
         "the journal's solution for block %" PRIu64 " nonce %" PRIu64
         " may be in a pool or a block (its last event: %s): looking for "
         "extrinsic 0x%s on chain before anything is sent",
         p->block_number, p->nonce, p->event, xhash);
    sp_chain_submission sub;
    memset(&sub, 0, sizeof sub);
    memcpy(sub.hash, p->xt_hash, 32);
    sub.bytes = (uint8_t *)p->xt;
    sub.len = p->xt_len;
    sub.sent = true;
    sp_chain_outcome out;
    sp_chain_error we = {0};
    look l = look_on_chain(r, c, &sub, p->block_number, &out, &we);
    if (l == LOOK_FOUND) {
      res->have_solution = true;
      res->block_number = p->block_number;
      res->nonce = p->nonce;
      memcpy(res->seal, p->seal, 32);
      res->reused = true;
      sp_registration_result tmp = *res;
      sp_reg_status s2 = settle_included(r, c, &pow, &out, &tmp);
      if (s2 == SP_REG_DONE) {
        *res = tmp;
        *st = s2;
        done = true;
      } else {
        note(r,
             "the journal's solution for block %" PRIu64 " was included "
             "and failed: %s",
             p->block_number, tmp.message);
      }
      sp_chain_outcome_free(&out);
    } else if (l == LOOK_EXPIRED) {
      journal(r, c, "expired", &pow, "not in any block of its window");
      note(r,
           "the journal's solution for block %" PRIu64 " is in no block "
           "of its window: it can no longer be included",
           p->block_number);
    } else {
      note(r,
           "the journal's solution for block %" PRIu64 " could not be "
           "found on chain yet (%s): it is not sent again",
           p->block_number, we.message);
    }
  }
  free(scan);
  return done;
}

/* After a crash the journal may also hold a solution that was found but
 * surely never taken by a node (`found`, `unsent`) and is still inside the
 * submit window: it is checked against the chain as a fresh one would be
 * (the block's hash, the seal, the difficulty at that block) and submitted
 * first. Solutions outside the window are journaled stale; one that does
 * not solve the chain's work (a bogus line) is passed over, never hiding
 * the next. Returns true when one was submitted (res then holds the
 * attempt's outcome). */
static bool reuse_journaled(run *r, sp_chain_client *c, const sp_signer *signer,
                            const uint8_t coldkey[32],
                            sp_registration_result *res, sp_reg_status *st) {
  const sp_registration_options *o = r->o;
  sp_chain_error e = {0};
  uint64_t best = 0;
  if (o->journal == NULL || sp_chain_best_block(c, &best, NULL, &e) != 0)
    return false;
  sp_journal_scan *scan = read_journal(r, c, best);
  if (scan == NULL) return false;
  bool submitted = false;
  for (size_t i = 0; i < scan->n && !submitted; i++) {
    const sp_journal_pending *p = &scan->pending[i];
    if (p->sent) continue; /* looked up on chain, never sent again */
    sp_pow_solution pow = {.nonce = p->nonce, .block_number = p->block_number};
    memcpy(pow.seal, p->seal, 32);
    if (!sp_pow_solution_in_submit_window(&pow, best)) {
      journal(r, c, "stale", &pow, "outside the submit window on restart");
      note(r,
           "the journal's %s solution for block %" PRIu64 " is outside the "
           "submit window at best block %" PRIu64,
           p->event, p->block_number, best);
      continue;
    }
    uint8_t block_hash[32];
    uint64_t difficulty = FAUCET_DIFFICULTY;
    if (sp_chain_block_hash(c, p->block_number, block_hash, &e) != 0 ||
        (o->kind == SP_REG_REGISTER &&
         sp_storage_difficulty(c->rpc, c->metadata, o->netuid, block_hash,
                               &difficulty, &e) != 0)) {
      note(r, "cannot check the journal's solution against the chain (%s)",
           e.message);
      continue;
    }
    sp_block_work w;
    sp_block_work_make(p->block_number, block_hash, r->key, difficulty, r->rule,
                       &w);
    uint8_t check[32];
    if (sp_create_seal_hash(w.work.block_and_hotkey_hash, p->nonce, check) !=
            0 ||
        memcmp(check, p->seal, 32) != 0 ||
        !sp_seal_meets_difficulty(check, difficulty, r->rule)) {
      note(r,
           "the journal's solution for block %" PRIu64 " does not solve this "
           "chain's work (seal or difficulty): passed over",
           p->block_number);
      continue;
    }
    sp_engine_solution s;
    memset(&s, 0, sizeof s);
    s.pow = pow;
    s.pow.difficulty = difficulty;
    memcpy(s.block_hash, block_hash, 32);
    memcpy(s.block_and_hotkey_hash, w.work.block_and_hotkey_hash, 32);
    s.rule = r->rule;
    r->known_best = best;
    r->difficulty = difficulty;
    note(r,
         "reusing the journaled solution (%s) for block %" PRIu64 " nonce "
         "%" PRIu64 " from %s: still inside the submit window at best block "
         "%" PRIu64,
         p->event, p->block_number, p->nonce, o->journal, best);
    res->reused = true;
    *st = submit(r, c, signer, coldkey, &s, res);
    if (*st != SP_REG_DONE)
      note(r, "attempt %u (the journaled solution) failed: %s", res->attempts,
           res->message);
    submitted = true;
  }
  free(scan);
  return submitted;
}

/* Checks the journal, connects (a client, and a second one for the
 * watch) and chooses the rule from the runtime. Returns DONE, or ERROR with
 * the reason in res. */
static sp_reg_status open_chain(run *r, const char *url, sp_chain_client **cp,
                                sp_registration_result *res) {
  const sp_registration_options *o = r->o;
  sp_chain_error e = {0};
  sp_reg_status st = SP_REG_DONE;
  if (o->journal != NULL) {
    /* The journal is the promise that nothing found is lost: it must be
     * writable before anything is solved. */
    sp_error_record jerr = {0};
    if (sp_journal_check(o->journal, &jerr) != 0) {
      st = finish(res, SP_REG_ERROR, "%s", jerr.message);
      return st;
    }
  }
  sp_rpc_options ro;
  sp_rpc_options_default(&ro);
  ro.transport = o->transport;
  if (o->rpc_timeout_ms > 0) ro.timeout_ms = o->rpc_timeout_ms;
  /* --seconds bounds the whole run from its first byte: connecting and
   * every request wait at most until the run's deadline. */
  ro.deadline_s = r->deadline;
  if (sp_chain_client_open(cp, url, &ro, &e) != 0 ||
      sp_chain_client_open(&r->watch, url, &ro, &e) != 0) {
    st = finish(res, SP_REG_ERROR, "cannot talk to the node at %s: %s", url,
                e.message);
    return st;
  }
  sp_chain_client *c = *cp;
  res->spec_version = c->runtime.spec_version;
  r->rule = o->rule_auto ? sp_rule_for_spec_version(c->runtime.spec_version)
                         : o->rule;
  res->rule = r->rule;
  note(r, "node %s: %s spec_version %u, rule %s", sp_rpc_url(c->rpc),
       c->runtime.spec_name, c->runtime.spec_version, sp_rule_name(r->rule));
  if (!o->rule_auto &&
      r->rule != sp_rule_for_spec_version(c->runtime.spec_version))
    note(r,
         "warning: --rule %s differs from this runtime's %s: the chain will "
         "likely "
         "refuse the work (InvalidDifficulty)",
         sp_rule_name(r->rule),
         sp_rule_name(sp_rule_for_spec_version(c->runtime.spec_version)));
  return st;
}

/* The engine over the run's backends with the chain as its work source.
 * The engine owns each backend handed to it (*handed counts them), even
 * when this fails. Returns DONE with the engine started, or ERROR. */
static sp_reg_status start_engine(run *r, sp_engine **engp, int *handed,
                                  sp_registration_result *res) {
  const sp_registration_options *o = r->o;
  sp_reg_status st = SP_REG_DONE;
  sp_error_record why = {0};
  r->heads = sp_head_source_start(r->watch, &why);
  if (r->heads != NULL)
    note(r, "new blocks: chain_subscribeNewHeads over %s",
         sp_rpc_url(r->watch->rpc));
  else if (why.code != 0)
    note(r,
         "no new-head subscription (%s): polling for new blocks every "
         "%u ms",
         why.message, o->poll_ms);
  sp_engine_config cfg;
  sp_engine_config_default(&cfg);
  sp_work_source src = {.poll = chain_poll, .self = r};
  cfg.source = &src;
  cfg.source_ms = r->heads != NULL ? HEAD_CHECK_MS : o->poll_ms;
  if (r->heads != NULL) cfg.poll_ms = HEAD_CHECK_MS;
  cfg.keep_going = true; /* workers solve on while a solution is submitted */
  if (r->deadline > 0) {
    /* --seconds bounds the whole run: solving gets what is left of it. */
    cfg.time_limit_s = r->deadline - sp_monotonic_seconds();
    if (cfg.time_limit_s < 0.001) cfg.time_limit_s = 0.001;
  }
  if (o->kind == SP_REG_REGISTER) {
    cfg.stop_condition = hotkey_registered;
    cfg.stop_condition_user = r;
  }
  cfg.on_stats = on_stats;
  cfg.on_stats_user = r;
  sp_error_record err = {0};
  if (sp_engine_create(&cfg, engp, &err) != 0) {
    st = finish(res, SP_REG_ERROR, "%s", err.message);
    return st;
  }
  for (; *handed < o->n_backends; (*handed)++) {
    /* The engine owns each backend from here, even when this fails. */
    if (sp_engine_add_owned_worker(*engp, o->vts[*handed], o->backends[*handed],
                                   0, &err) < 0) {
      (*handed)++;
      st = finish(res, SP_REG_ERROR, "%s", err.message);
      return st;
    }
  }
  if (sp_engine_start(*engp, &err) != 0) {
    st = finish(res, SP_REG_ERROR, "%s", err.message);
    return st;
  }
  return st;
}

/* What became of the solutions of a run so far. */
typedef struct tally {
  /* The newest best block read so far. A solution already too old for the
   * submit window at that block is too old at any later one: it is dropped
   * without asking the node, or a queue of solutions that piled up during
   * a long submission would be read out one round trip each and go stale
   * in the queue faster than it drains. */
  uint64_t known_best, skipped;
  /* Solutions that went stale before they could be submitted: each is
   * counted, and past max_stale the run stops saying so (a node whose
   * latency outlasts its blocks would otherwise loop forever). */
  uint64_t stale, last_stale_block, found, max_stale;
} tally;

/* One solution from the engine: the newest of those waiting is journaled
 * and submitted unless stale. Returns true when the run ends (*st says
 * how), false to solve on. */
static bool on_solution(run *r, sp_chain_client *c, const sp_signer *signer,
                        const uint8_t coldkey[32], sp_engine *eng,
                        sp_engine_solution *s, tally *t,
                        sp_registration_result *res, sp_reg_status *st) {
  const sp_registration_options *o = r->o;
  t->found++;
  /* Of the solutions waiting, only the newest block's is worth a round
   * trip: the queue fills while a submission is watched, and taking
   * them in order would leave every one older than the chain. */
  sp_engine_solution newer;
  while (sp_engine_next_solution(eng, &newer)) {
    if (newer.pow.block_number > s->pow.block_number) *s = newer;
    t->skipped++;
    t->found++;
  }
  /* The best block as the source last saw it (polled every poll_ms,
   * and before a queued solution is handed out): no round trip lies
   * between a solution and its submission but the submission. */
  if (r->last_block > t->known_best) t->known_best = r->last_block;
  r->known_best = t->known_best;
  if (t->skipped > 0) {
    note(r,
         "%" PRIu64 " more solution%s dropped (of older blocks or one "
         "already taken; best block %" PRIu64 ")",
         t->skipped, t->skipped == 1 ? "" : "s", t->known_best);
    t->skipped = 0;
  }
  if (!sp_pow_solution_in_submit_window(&s->pow, t->known_best) &&
      t->stale > 0 && s->pow.block_number <= t->last_stale_block) {
    t->skipped++; /* a block already counted stale: superseded */
    return false;
  }
  if (!sp_pow_solution_in_submit_window(&s->pow, t->known_best)) {
    t->stale++;
    t->last_stale_block = s->pow.block_number;
    journal(r, c, "stale", &s->pow, NULL);
    note(r,
         "solution for block %" PRIu64 " is stale at best block %" PRIu64
         " (the chain includes work only while best + 1 - block < 3); "
         "%" PRIu64 " of at most %" PRIu64 " stale",
         s->pow.block_number, t->known_best, t->stale, t->max_stale);
    if (t->stale >= t->max_stale) {
      *st = finish(res, SP_REG_REFUSED,
                   "%" PRIu64 " solutions went stale before they could be "
                   "submitted (the limit is %u per attempt): the node's "
                   "blocks come faster than its answers",
                   t->stale, STALE_PER_ATTEMPT);
      return true;
    }
    return false;
  }
  if (journal(r, c, "found", &s->pow, NULL) != 0) {
    /* Never submit what is not durably journaled first. */
    char seal[65];
    sp_hex_encode(s->pow.seal, 32, seal);
    *st = finish(res, SP_REG_ERROR,
                 "cannot write the journal %s, so the solution for block "
                 "%" PRIu64 " (nonce %" PRIu64 ", seal %s) was not "
                 "submitted",
                 o->journal, s->pow.block_number, s->pow.nonce, seal);
    return true;
  }
  *st = submit(r, c, signer, coldkey, s, res);
  if (*st == SP_REG_DONE || *st == SP_REG_ERROR) return true;
  if (sp_stop_signal_pending() != 0) {
    /* A signal cancelled the watch: stop as on every other path (the
     * solution and its outcome `unknown` are in the journal), not as
     * a refusal of the last attempt. */
    res->signal = sp_stop_signal_pending();
    char last[sizeof res->message];
    snprintf(last, sizeof last, "%s", res->message);
    *st = finish(res, SP_REG_SIGNAL, "stopped by signal %d while %s",
                 res->signal, last);
    return true;
  }
  note(r, "attempt %u failed: %s", res->attempts, res->message);
  if (o->kind == SP_REG_REGISTER && hotkey_registered(r)) {
    res->have_uid = true;
    res->uid = r->uid;
    *st = finish(res, SP_REG_DONE, NULL);
    return true;
  }
  if (r->deadline > 0 && sp_monotonic_seconds() >= r->deadline) {
    char last[sizeof res->message];
    snprintf(last, sizeof last, "%s", res->message);
    *st = finish(res, SP_REG_TIME_LIMIT,
                 "the time limit (%.1f s) ran out during attempt %u: %s",
                 o->time_limit_s, res->attempts, last);
    return true;
  }
  if (res->attempts >= o->max_attempts) {
    char last[sizeof res->message];
    snprintf(last, sizeof last, "%s", res->message);
    *st = finish(res, SP_REG_REFUSED, "%u attempt%s failed; the last: %s",
                 res->attempts, res->attempts == 1 ? "" : "s", last);
    return true;
  }
  /* The next attempt's nonce and versions, read while the workers
   * solve on. */
  prepare(r, c, signer);
  return false;
}

/* The run's outcome for an engine event other than a solution. */
static sp_reg_status on_engine_event(run *r, sp_engine *eng, sp_engine_event ev,
                                     const tally *t,
                                     sp_registration_result *res) {
  if (ev == SP_ENGINE_CONDITION) {
    res->have_uid = true;
    res->uid = r->uid;
    note(r, "the hotkey is now registered (uid %u)", r->uid);
    return finish(res, SP_REG_DONE, NULL);
  } else if (ev == SP_ENGINE_SIGNAL) {
    res->signal = sp_stop_signal_pending();
    return finish(res, SP_REG_SIGNAL, "stopped by signal %d", res->signal);
  } else if (ev == SP_ENGINE_TIME_LIMIT && res->attempts == 0 && t->found > 0) {
    /* Not "no solution": say what became of the ones found. */
    return finish(res, SP_REG_TIME_LIMIT,
                  "time limit reached with %" PRIu64 " solution%s found but "
                  "none submitted (%" PRIu64 " stale at best block %" PRIu64
                  ")%s%s",
                  t->found, t->found == 1 ? "" : "s", t->stale, t->known_best,
                  r->source_error[0] ? "; the node's best block could not be "
                                       "read: "
                                     : "",
                  r->source_error);
  } else if (ev == SP_ENGINE_TIME_LIMIT && res->attempts > 0) {
    char last[sizeof res->message];
    snprintf(last, sizeof last, "%s", res->message);
    return finish(res, SP_REG_TIME_LIMIT,
                  "time limit reached after %u attempt%s; the last: %s",
                  res->attempts, res->attempts == 1 ? "" : "s", last);
  } else if (ev == SP_ENGINE_TIME_LIMIT && r->source_error[0]) {
    return finish(res, SP_REG_TIME_LIMIT,
                  "no solution within the time limit; the node's best block "
                  "could not be read: %s",
                  r->source_error);
  } else if (ev == SP_ENGINE_TIME_LIMIT) {
    return finish(res, SP_REG_TIME_LIMIT, "no solution within the time limit");
  } else if (ev == SP_ENGINE_SOURCE_ERROR || ev == SP_ENGINE_WORKER_ERROR) {
    return finish(res, SP_REG_ERROR, "%s", sp_engine_error(eng));
  } else {
    return finish(res, SP_REG_ERROR, "the solver stopped (%s)",
                  sp_engine_event_name(ev));
  }
}

sp_reg_status sp_registration_run(const char *url, const sp_signer *signer,
                                  const uint8_t hotkey[32],
                                  const uint8_t coldkey[32],
                                  const sp_registration_options *o,
                                  sp_registration_result *res) {
  memset(res, 0, sizeof *res);
  double t0 = sp_monotonic_seconds();
  run r;
  memset(&r, 0, sizeof r);
  r.o = o;
  if (o->time_limit_s > 0) r.deadline = t0 + o->time_limit_s;
  pthread_mutex_init(&r.out_lock, NULL);
  memcpy(r.hotkey, hotkey, 32);
  memcpy(r.key, o->kind == SP_REG_FAUCET ? coldkey : hotkey, 32);
  sp_chain_client *c = NULL;
  sp_engine *eng = NULL;
  int handed = 0; /* backends the engine owns (closes) */
  sp_reg_status st;
  if (o->max_attempts == 0 || o->n_backends < 1) {
    st = finish(res, SP_REG_ERROR, "no backend, or max_attempts 0");
    goto out;
  }
  st = open_chain(&r, url, &c, res);
  if (st != SP_REG_DONE) goto out;
  r.chain = c;
  /* Solutions a crashed run may have sent are looked for on chain first:
   * one that got in is the outcome. */
  if (look_up_journaled(&r, c, res, &st)) goto out;
  if (sp_stop_signal_pending() != 0) {
    res->signal = sp_stop_signal_pending();
    st = finish(res, SP_REG_SIGNAL, "stopped by signal %d", res->signal);
    goto out;
  }
  st = preflight(&r, c, res);
  if (st != SP_REG_DONE || res->already) goto out;
  if (o->kind == SP_REG_REGISTER && !sp_chain_era(c)->pow_registration) {
    st = burned(&r, c, coldkey, res);
    goto out;
  }

  /* What the submission needs besides the solution, read now so that a
   * solution costs one round trip once found. */
  prepare(&r, c, signer);
  if (reuse_journaled(&r, c, signer, coldkey, res, &st)) {
    if (st == SP_REG_DONE || st == SP_REG_ERROR ||
        sp_stop_signal_pending() != 0 || res->attempts >= o->max_attempts) {
      if (sp_stop_signal_pending() != 0) {
        res->signal = sp_stop_signal_pending();
        st = finish(res, SP_REG_SIGNAL, "stopped by signal %d", res->signal);
      }
      goto out;
    }
    if (o->kind == SP_REG_REGISTER && hotkey_registered(&r)) {
      res->have_uid = true;
      res->uid = r.uid;
      st = finish(res, SP_REG_DONE, NULL);
      goto out;
    }
    prepare(&r, c, signer);
  }

  st = start_engine(&r, &eng, &handed, res);
  if (st != SP_REG_DONE) goto out;
  st = SP_REG_REFUSED;
  tally t = {.max_stale = (uint64_t)o->max_attempts * STALE_PER_ATTEMPT};
  for (;;) {
    sp_engine_solution s;
    sp_engine_event ev = sp_engine_run(eng, &s);
    if (ev != SP_ENGINE_SOLUTION) {
      st = on_engine_event(&r, eng, ev, &t, res);
      break;
    }
    if (on_solution(&r, c, signer, coldkey, eng, &s, &t, res, &st)) break;
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
  res->seconds = sp_monotonic_seconds() - t0;
  sp_engine_destroy(eng); /* closes the backends it owns, or hands them to
                             their late workers */
  for (int i = handed; i < o->n_backends; i++)
    if (o->backends[i] != NULL) o->vts[i]->close(o->backends[i]);
  sp_head_source_stop(r.heads);
  sp_chain_client_close(r.watch);
  sp_chain_client_close(c);
  pthread_mutex_destroy(&r.out_lock);
  return st;
}
