/*
 * A proof-of-work registration (or faucet claim) against a Subtensor node:
 * the SDK's `create_pow` + `register_extrinsic`, done the way the chain
 * checks it (docs/protocol.md sections 2, 3 and 8).
 *
 *   1. Before solving: the subnet exists, PoW registration is allowed, the
 *      hotkey is not registered yet; the runtime's spec_version picks the
 *      difficulty rule (chain-be below 283, chain-le from 283); in the
 *      burned era (spec 397 on, common/runtime_era.h) `register` ignores
 *      the work and burns TAO from the coldkey, so the flow stops unless a
 *      burned registration was asked for, and then: the quote (price,
 *      balance, uid, owner: burn_quote.h) before anything is signed, the
 *      refusals the chain would give, a cap (max_burn_rao, or the price
 *      confirmed), register_limit where the runtime has it, and what was
 *      paid after inclusion.
 *   2. Solves with the engine on the newest block, republishing work on
 *      every new block (a second connection follows the node: a
 *      chain_subscribeNewHeads subscription over WebSocket, head_source.h,
 *      else polling), and stops early when the hotkey shows up as
 *      registered.
 *   3. Each solution is journaled to disk (fsync) before anything is sent,
 *      submitted only while the chain can still include it (best + 1 - b < 3),
 *      and watched until it is in a block; the outcome is the chain's own
 *      (the uid, or the module error by name and docs).
 *   4. A refused attempt counts against max_attempts, a stale solution
 *      against STALE_PER_ATTEMPT per attempt; the workers keep solving
 *      meanwhile.
 *   0. On start, before solving: the journal must be writable, and a
 *      journaled solution for this key, netuid and chain (genesis hash)
 *      that was never resolved and is still inside the submit window is
 *      checked against the chain and submitted first (result.reused).
 *
 * The library prints nothing: progress goes to the `note` callback and the
 * statistics to `on_stats` (from another thread; the two are serialized).
 */
#ifndef SUBPOW_REGISTRATION_H
#define SUBPOW_REGISTRATION_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "chain/client/rpc.h"
#include "chain/keys/signer.h"
#include "engine/solve_stats.h"
#include "registration/burn_quote.h"

typedef enum sp_reg_kind {
  SP_REG_REGISTER = 0, /* SubtensorModule.register, signed by the hotkey */
  SP_REG_FAUCET = 1,   /* SubtensorModule.faucet, signed by the coldkey */
} sp_reg_kind;

typedef struct sp_registration_options {
  sp_reg_kind kind;
  uint16_t netuid;
  bool rule_auto;        /* the rule of the node's spec_version */
  sp_rule rule;          /* when !rule_auto */
  unsigned max_attempts; /* submissions before giving up (>= 1) */
  bool allow_burned;     /* burned era (spec >= 397): do the burned
                            registration, signed by coldkey_signer */
  const sp_signer *coldkey_signer;
  /* A burned registration spends the coldkey's TAO: never more than agreed.
   * With have_max_burn, max_burn_rao is the cap (register_limit's
   * limit_price where the runtime has it, else a re-check of the price
   * just before submitting, under a 4-block mortal era). Without it,
   * `confirm` is asked with the quote (a terminal prompt; true: go on, and
   * the price shown becomes the cap); with neither, the flow refuses
   * before signing. */
  bool have_max_burn;
  uint64_t max_burn_rao;
  bool (*confirm)(void *user, const sp_burn_quote *q);
  const char *journal;        /* JSON-lines file solutions are appended to */
  unsigned poll_ms;           /* new-block polling period (HTTP, or a node
                                 without chain_subscribeNewHeads) */
  sp_rpc_transport transport; /* AUTO: by the URL's scheme (rpc.h) */
  long rpc_timeout_ms;        /* per request (0: rpc.h's default, 60 s): a
                                 stalled node is given up on after this */
  double time_limit_s;        /* give up solving after this long (0: never) */
  /* The backends to solve with, opened by the caller (one worker each).
   * sp_registration_run takes them over and closes each exactly once: at
   * return, or, for a worker that did not leave its scan within the stop
   * deadline, in that worker's thread when the scan returns. The caller
   * must not close them (closing a backend under a late worker was a
   * double free). */
  const sp_backend_vtable *const *vts;
  sp_backend *const *backends;
  int n_backends;
  /* Progress lines and statistics; either may be NULL. */
  void (*note)(void *user, const char *line);
  void (*on_stats)(void *user, const sp_solve_stats *s);
  void *user;
} sp_registration_options;

void sp_registration_options_default(sp_registration_options *o);

typedef enum sp_reg_status {
  SP_REG_DONE = 0,       /* registered (newly or already) / faucet paid */
  SP_REG_REFUSED = 1,    /* the chain refused, or attempts ran out */
  SP_REG_ERROR = 2,      /* bad input, unreachable node, backend failure */
  SP_REG_SIGNAL = 3,     /* SIGINT/SIGTERM: see `signal` */
  SP_REG_TIME_LIMIT = 4, /* time_limit_s ran out; the chain refused nothing */
} sp_reg_status;

typedef struct sp_registration_result {
  sp_reg_status status;
  int signal;   /* with SP_REG_SIGNAL */
  bool already; /* registered before we started */
  bool have_uid;
  uint16_t uid;
  uint64_t faucet_amount; /* rao paid by the faucet */
  bool have_solution;     /* the last submitted solution */
  uint64_t block_number, nonce;
  uint8_t seal[32];
  uint32_t spec_version;
  sp_rule rule;
  uint64_t difficulty;
  unsigned attempts; /* submissions made */
  bool reused;       /* the first attempt submitted a journaled solution
                        (found before a crash, still in the window) */
  /* A burned registration: the quote read before signing, the cap it ran
   * under, the call submitted ("register_limit", "burned_register" or
   * "register"), what the coldkey's balance fell by between the quote's
   * block and the inclusion block (burn and fee: have_paid), and the
   * refusal's name (a module error, or the one the chain would give, when
   * refused before signing). */
  bool have_quote;
  sp_burn_quote quote;
  bool have_cap;
  uint64_t cap_rao;
  char call[24];
  bool have_paid;
  uint64_t paid_rao, balance_after_rao;
  char refusal[48];
  double seconds; /* wall time of the whole flow */
  double hashes_per_second;
  uint64_t hashes;
  char message[1024]; /* why, for REFUSED and ERROR (one line) */
} sp_registration_result;

/*
 * Runs the flow against `url` (an http(s) URL or a network name) with
 * `signer` (the hotkey for register, the coldkey for the faucet) for
 * `hotkey`/`coldkey` (public keys; for the faucet the seal is computed with
 * the coldkey). Returns result->status.
 */
sp_reg_status sp_registration_run(const char *url, const sp_signer *signer,
                                  const uint8_t hotkey[32],
                                  const uint8_t coldkey[32],
                                  const sp_registration_options *o,
                                  sp_registration_result *result);

#endif
