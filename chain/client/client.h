/*
 * A Subtensor client: one JSON-RPC connection plus what signing and reading
 * need from the chain (metadata, runtime version, genesis hash), and the
 * submission of signed extrinsics with inclusion tracking.
 *
 * Typical use by `bench register`:
 *
 *   sp_chain_client *c;
 *   sp_chain_client_open(&c, "finney", NULL, &err);          // or a URL
 *   sp_chain_best_block(c, &best, best_hash, &err);
 *   sp_storage_difficulty(c->rpc, c->metadata, netuid, NULL, &d, &err);
 *   ... solve ...
 *   json_t *args = sp_chain_register_args(netuid, block, nonce, seal,
 *                                         hotkey_pub, coldkey_pub);
 *   sp_submit_options o; sp_submit_options_default(&o);
 *   sp_chain_outcome out;
 *   rc = sp_chain_submit_and_watch(c, &hotkey_signer, "SubtensorModule",
 *                                  "register", args, &o, &out, &err);
 *   // rc == 0: included; out.dispatch.success, or out.dispatch.failure
 *   // ("SubtensorModule.InvalidSeal: ..."); NeuronRegistered fields via
 *   // sp_dispatch_outcome_event(&out.dispatch, "SubtensorModule",
 *   //                            "NeuronRegistered").
 *   sp_chain_outcome_free(&out); json_decref(args); sp_chain_client_close(c);
 *
 * Inclusion is tracked by polling: after submission the client walks every
 * new block of the best chain (chain_getBlockHash(n), chain_getBlock), looks
 * for the exact extrinsic bytes, then reads System.Events at that block.
 * "Included" therefore means "in a block of the best chain", not finalized.
 */
#ifndef SUBPOW_CHAIN_CLIENT_CLIENT_H
#define SUBPOW_CHAIN_CLIENT_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "chain/client/events.h"
#include "chain/client/extrinsic.h"
#include "chain/client/rpc.h"
#include "chain/codec/metadata.h"
#include "chain/keys/signer.h"
#include "common/runtime_era.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_runtime_version {
  char spec_name[64];
  uint32_t spec_version;
  uint32_t transaction_version;
} sp_runtime_version;

typedef struct sp_chain_client {
  sp_rpc *rpc;
  sp_metadata *metadata; /* of the runtime below */
  sp_runtime_version runtime;
  uint8_t genesis_hash[32];
} sp_chain_client;

/* The era of the client's runtime (common/runtime_era.h): whether
 * `register` is PoW or burned, how the seal is read. */
static inline const sp_runtime_era *sp_chain_era(const sp_chain_client *c) {
  return sp_runtime_era_of(c->runtime.spec_version);
}

/*
 * Connects (network name or URL, see endpoint.h; `opts` NULL for defaults)
 * and loads the runtime version (state_getRuntimeVersion), the metadata
 * and the genesis hash (chain_getBlockHash(0)). The metadata is the newest
 * the runtime offers up to V16 (state_call Metadata_metadata_versions, then
 * Metadata_metadata_at_version), else state_getMetadata's (V14) when the
 * node has no such runtime API or offers nothing newer.
 */
int sp_chain_client_open(sp_chain_client **out, const char *network_or_url,
                         const sp_rpc_options *opts, sp_chain_error *err);

void sp_chain_client_close(sp_chain_client *c);

/*
 * Re-reads the runtime version and, when spec_version changed (a runtime
 * upgrade), the metadata. *upgraded (may be NULL) says whether it did.
 */
int sp_chain_client_refresh(sp_chain_client *c, bool *upgraded,
                            sp_chain_error *err);

/* The best block's number and hash (chain_getBlockHash(), chain_getHeader). */
int sp_chain_best_block(sp_chain_client *c, uint64_t *number, uint8_t hash[32],
                        sp_chain_error *err);

/* The hash of block `number` of the best chain; -SP_CHAIN_ENOTFOUND when
 * the node has no such block. */
int sp_chain_block_hash(sp_chain_client *c, uint64_t number, uint8_t hash[32],
                        sp_chain_error *err);

/* A call whose result is a 32-byte "0x" hash (or null, when `found` is not
 * NULL: *found = false); any other length is -SP_CHAIN_EPROTOCOL. */
int sp_chain_call_hash(sp_chain_client *c, const char *method, json_t *params,
                       uint8_t out[32], bool *found, sp_chain_error *err);

/* system_accountNextIndex: the next nonce of `account`, counting
 * transactions in the node's pool. */
int sp_chain_account_next_index(sp_chain_client *c, const uint8_t account[32],
                                uint64_t *nonce, sp_chain_error *err);

/* The decoded System.Events at block `block_hash`. */
int sp_chain_read_events(sp_chain_client *c, const uint8_t block_hash[32],
                         json_t **events, sp_chain_error *err);

/* Arguments of SubtensorModule.register and .faucet as JSON for
 * sp_call_encode / sp_chain_submit_and_watch (NULL when out of memory). */
json_t *sp_chain_register_args(uint16_t netuid, uint64_t block_number,
                               uint64_t nonce, const uint8_t work[32],
                               const uint8_t hotkey[32],
                               const uint8_t coldkey[32]);
json_t *sp_chain_faucet_args(uint64_t block_number, uint64_t nonce,
                             const uint8_t work[32]);

typedef struct sp_submit_options {
  uint32_t era_period; /* 0: immortal; else a mortal era of ~this many blocks */
  bool have_nonce;     /* use `nonce` instead of system_accountNextIndex */
  uint64_t nonce;
  long timeout_ms;       /* give up watching after this long (default 120 s) */
  long poll_interval_ms; /* between best-block polls (default 1000 ms) */
  uint32_t max_blocks;   /* give up after this many new blocks (0: no limit) */
  /* Asked between polls while watching (NULL: never): true stops the watch
   * with -SP_CHAIN_ETIMEOUT, the outcome unknown (e.g. on SIGINT). */
  bool (*cancel)(void *user);
  void *cancel_user;
  /* Over WebSocket (author_submitAndWatchExtrinsic, watch_ws.c): each
   * status the node reports, as its name ("ready", "future", "broadcast",
   * "inBlock", "retracted", "finalized", "finalityTimeout", "usurped",
   * "dropped", "invalid"), with the block hash of inBlock / retracted /
   * finalized / finalityTimeout (else NULL); also "lost" (the connection
   * went away mid-watch: the watch goes on by polling) and "polling" (the
   * node has no such subscription). NULL: not told. */
  void (*on_status)(void *user, const char *status, const uint8_t *block_hash);
  void *status_user;
} sp_submit_options;

/* Immortal, nonce from the node, 120 s, 1 s polls, no block limit. */
void sp_submit_options_default(sp_submit_options *o);

/* A submitted extrinsic, for sp_chain_watch. */
typedef struct sp_chain_submission {
  uint8_t hash[32];
  uint8_t *bytes; /* the length-prefixed extrinsic (owned) */
  size_t len;
  uint64_t first_block; /* the first block that may include it */
  sp_era era;
  /* The submission request went out: set also when sp_chain_sign_and_submit
   * fails, for then the node may have the extrinsic all the same unless it
   * answered with a JSON-RPC error (its pool refused it). */
  bool sent;
  /* Over WebSocket (watch_ws.h): sp_chain_submit_prepared submitted it
   * with author_submitAndWatchExtrinsic and sp_chain_watch follows the
   * node's statuses (NULL: polling); no_watch_method: the node has no such
   * subscription (sp_chain_watch says "polling"). Free the submission
   * before closing its client. */
  struct sp_ws_watch *ws_watch;
  bool no_watch_method;
} sp_chain_submission;

void sp_chain_submission_free(sp_chain_submission *s);

/*
 * Everything a signed submission needs that does not depend on the call
 * (the solution): runtime and transaction version, genesis hash, the
 * account's next nonce, the era (and its birth block's hash) and the best
 * block then. Prepared while solving, so that a solution costs one round
 * trip (author_submitExtrinsic) once found: at 1 s of latency the eight
 * sequential round trips of a cold submission outlast a 4 s block and the
 * work is dead on arrival (InvalidWorkBlock).
 */
typedef struct sp_chain_prepared {
  sp_extrinsic_params params;
  uint64_t best;
  bool ready;
} sp_chain_prepared;

/* Refreshes the runtime version and reads the nonce (unless
 * opts->have_nonce), the best block and the era's birth hash (mortal era).
 * Returns 0 or an error (then prep->ready is false). */
int sp_chain_prepare(sp_chain_client *c, const sp_signer *signer,
                     const sp_submit_options *opts, sp_chain_prepared *prep,
                     sp_chain_error *err);

/*
 * Encodes `pallet`.`call`(`args`), signs it with `prep` and submits it with
 * author_submitExtrinsic: one round trip. `best` is the newest best block
 * the caller knows (the watch starts at best + 1). On every return once
 * the extrinsic was built, sub->hash and sub->bytes are set and sub->sent
 * is true (free with sp_chain_submission_free): after a lost answer (a
 * transport error, a timeout) the node may have it, so look for it with
 * sp_chain_watch rather than resending; only a JSON-RPC error
 * (-SP_CHAIN_ERPC) says the pool refused it.
 */
int sp_chain_submit_prepared(sp_chain_client *c, const sp_signer *signer,
                             const sp_chain_prepared *prep, uint64_t best,
                             const char *pallet, const char *call,
                             const json_t *args, sp_chain_submission *sub,
                             sp_chain_error *err);

/*
 * sp_chain_submit_prepared in two steps, for a caller that records the
 * extrinsic before it goes out (the registration journal): build signs it
 * and fills sub (hash, bytes, first_block, era; sent false) without asking
 * the node; send submits it as sp_chain_submit_prepared does (sub->sent,
 * the WebSocket watch). pallet and call only name it in messages.
 */
int sp_chain_build_prepared(sp_chain_client *c, const sp_signer *signer,
                            const sp_chain_prepared *prep, uint64_t best,
                            const char *pallet, const char *call,
                            const json_t *args, sp_chain_submission *sub,
                            sp_chain_error *err);
int sp_chain_send_built(sp_chain_client *c, sp_chain_submission *sub,
                        const char *pallet, const char *call,
                        sp_chain_error *err);

/*
 * Refreshes the runtime version, encodes `pallet`.`call`(`args`), signs it
 * with `signer` (nonce, era, spec/tx versions, genesis as the options say)
 * and submits it with author_submitExtrinsic (sp_chain_prepare then
 * sp_chain_submit_prepared). The node's hash must equal ours. A transaction
 * the pool refuses (e.g. 1010 Invalid Transaction) is -SP_CHAIN_ERPC with
 * the node's message. As sp_chain_submit_prepared, *sub holds the extrinsic
 * also on a failure after it was built: free it in every case.
 */
int sp_chain_sign_and_submit(sp_chain_client *c, const sp_signer *signer,
                             const char *pallet, const char *call,
                             const json_t *args, const sp_submit_options *opts,
                             sp_chain_submission *sub, sp_chain_error *err);

typedef struct sp_chain_outcome {
  uint8_t extrinsic_hash[32];
  uint64_t block_number;
  uint8_t block_hash[32];
  uint32_t extrinsic_index;
  sp_dispatch_outcome dispatch; /* success, events, or the module error */
  bool sent; /* the submission request went out (see sp_chain_submission) */
  /* WebSocket watch: the node's last status when it ended the watch
   * without inclusion ("dropped", "invalid", "usurped"): then the
   * extrinsic is out of that node's pool (rc -SP_CHAIN_ETIMEOUT). "" else. */
  char final_status[16];
} sp_chain_outcome;

void sp_chain_outcome_free(sp_chain_outcome *o);

/*
 * Polls new best blocks until the submission appears, then reads its
 * outcome. Returns 0 when it was included (whether the call succeeded or
 * failed: see out->dispatch), -SP_CHAIN_ETIMEOUT when it was not seen within
 * the time/block limits or its mortal era ended, or another error.
 */
int sp_chain_watch(sp_chain_client *c, const sp_chain_submission *sub,
                   const sp_submit_options *opts, sp_chain_outcome *out,
                   sp_chain_error *err);

/* sp_chain_sign_and_submit then sp_chain_watch; out->extrinsic_hash is set
 * as soon as the node accepted the transaction, also on a timeout, and
 * out->sent as soon as the submission went out. */
int sp_chain_submit_and_watch(sp_chain_client *c, const sp_signer *signer,
                              const char *pallet, const char *call,
                              const json_t *args, const sp_submit_options *opts,
                              sp_chain_outcome *out, sp_chain_error *err);

/*
 * The one search for a submission in a block, for the watch by statuses
 * and the watch by polling alike: reads block `hash` (chain_getBlock) and
 * looks for sub's bytes among its extrinsics. Found: *found set and out's
 * block_hash, block_number and extrinsic_index filled, with the dispatch
 * outcome read from the block's events. Not found: 0 with *found false.
 * The block's number is its header's, or *number_of (may be NULL) when the
 * caller knows it and the header has none; a block without extrinsics or
 * a number is -SP_CHAIN_EPROTOCOL.
 */
int sp_chain_find_inclusion(sp_chain_client *c, const sp_chain_submission *sub,
                            const uint8_t hash[32], const uint64_t *number_of,
                            bool *found, sp_chain_outcome *out,
                            sp_chain_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_CLIENT_H */
