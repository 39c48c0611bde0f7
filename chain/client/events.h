/*
 * The outcome of an extrinsic, read from System.Events of its block.
 *
 * Every dispatched extrinsic leaves events whose phase is
 * ApplyExtrinsic(<its index in the block>); the last of them is
 * System.ExtrinsicSuccess or System.ExtrinsicFailed { dispatch_error, .. }.
 * A DispatchError::Module { index, error } names the pallet by index and
 * the error by error[0] in that pallet's error enum, whose name and docs the
 * metadata holds (e.g. SubtensorModule.InvalidSeal).
 */
#ifndef SUBPOW_CHAIN_CLIENT_EVENTS_H
#define SUBPOW_CHAIN_CLIENT_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "chain/codec/metadata.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_dispatch_outcome {
  bool success; /* ExtrinsicSuccess */
  /* The extrinsic's events in order, each {"pallet": "SubtensorModule",
   * "name": "NeuronRegistered", "fields": <as scale_type.h>}. Owned. */
  json_t *events;
  /* On failure: the module error by pallet and name with its docs (empty
   * strings for a non-module DispatchError), and one line for a user:
   * "SubtensorModule.InvalidSeal: <docs>" or "DispatchError BadOrigin". */
  char error_pallet[64];
  char error_name[96];
  char error_docs[512];
  char failure[768];
} sp_dispatch_outcome;

/* Decodes a System.Events value (the bytes of state_getStorage) into the
 * registry's JSON (an array of EventRecord). */
int sp_events_decode(const sp_metadata *md, const uint8_t *bytes, size_t len,
                     json_t **events, sp_chain_error *err);

/*
 * Collects the events of extrinsic `index` from decoded `events` and fills
 * `out` (free with sp_dispatch_outcome_free). Returns 0, or
 * -SP_CHAIN_ENOTFOUND when no ExtrinsicSuccess/ExtrinsicFailed event has
 * that phase, -SP_CHAIN_EPROTOCOL for events of an unexpected shape.
 */
int sp_events_outcome(const sp_metadata *md, const json_t *events,
                      uint32_t index, sp_dispatch_outcome *out,
                      sp_chain_error *err);

/* The fields of the first event `pallet`.`name` of the outcome, or NULL. */
const json_t *sp_dispatch_outcome_event(const sp_dispatch_outcome *o,
                                        const char *pallet, const char *name);

/* Releases the events; the struct can be reused. */
void sp_dispatch_outcome_free(sp_dispatch_outcome *o);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_EVENTS_H */
