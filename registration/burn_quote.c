/* The quote of a burned registration; see burn_quote.h. */
#include "registration/burn_quote.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"
#include "common/error.h"

/* SubtensorModule.`item`[netuid] as a u64 (Burn is a TaoBalance, a u64 on
 * Subtensor; the metadata decides the width and the decoding). */
static int netuid_u64(sp_chain_client *c, const char *item, uint16_t netuid,
                      const uint8_t *at, uint64_t *out, sp_chain_error *err) {
  json_t *parts = json_pack("[i]", netuid);
  json_t *v = NULL;
  int rc = sp_storage_read(c->rpc, c->metadata, "SubtensorModule", item, parts,
                           at, &v, err);
  json_decref(parts);
  if (rc != 0) return rc;
  sp_u128 x = 0;
  if (sp_json_to_u128(v, UINT64_MAX, &x) != 0) {
    json_decref(v);
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "SubtensorModule.%s is not an unsigned integer", item);
  }
  json_decref(v);
  *out = (uint64_t)x;
  return 0;
}

int sp_burn_price_read(sp_chain_client *c, uint16_t netuid, uint64_t *price_rao,
                       sp_chain_error *err) {
  return netuid_u64(c, "Burn", netuid, NULL, price_rao, err);
}

int sp_burn_quote_read(sp_chain_client *c, uint16_t netuid,
                       const uint8_t hotkey[32], const uint8_t coldkey[32],
                       sp_burn_quote *q, sp_chain_error *err) {
  memset(q, 0, sizeof *q);
  int rc = sp_chain_best_block(c, &q->block, q->block_hash, err);
  if (rc != 0) return rc;
  const uint8_t *at = q->block_hash;
  if ((rc = netuid_u64(c, "Burn", netuid, at, &q->price_rao, err)) != 0)
    return rc;
  sp_account_info acct;
  if ((rc = sp_storage_account(c->rpc, c->metadata, coldkey, at, &acct, err)) !=
      0)
    return rc;
  q->balance_rao = acct.free > UINT64_MAX ? UINT64_MAX : (uint64_t)acct.free;
  if ((rc = sp_storage_uid(c->rpc, c->metadata, netuid, hotkey, at,
                           &q->registered, &q->uid, err)) != 0)
    return rc;
  /* Owner: a map with the zero account as its default (DefaultAccount) */
  json_t *key = json_pack("[o]", sp_json_hex(hotkey, 32));
  json_t *owner = NULL;
  rc = sp_storage_read(c->rpc, c->metadata, "SubtensorModule", "Owner", key, at,
                       &owner, err);
  json_decref(key);
  if (rc != 0) return rc;
  static const uint8_t nobody[32] = {0};
  if (sp_json_hex_fixed(owner, q->owner, 32) != 0) {
    json_decref(owner);
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "SubtensorModule.Owner is not an account");
  }
  json_decref(owner);
  q->has_owner = memcmp(q->owner, nobody, 32) != 0;
  q->owner_is_coldkey = q->has_owner && memcmp(q->owner, coldkey, 32) == 0;
  /* NetworkRegistrationAllowed, where the runtime has it */
  q->registration_allowed = true;
  sp_chain_error ignored = {0};
  if (sp_metadata_storage(c->metadata, "SubtensorModule",
                          "NetworkRegistrationAllowed", NULL, NULL,
                          &ignored) == 0) {
    json_t *parts = json_pack("[i]", netuid);
    json_t *v = NULL;
    rc = sp_storage_read(c->rpc, c->metadata, "SubtensorModule",
                         "NetworkRegistrationAllowed", parts, at, &v, err);
    json_decref(parts);
    if (rc != 0) return rc;
    q->registration_allowed = json_is_true(v);
    json_decref(v);
  }
  q->has_register_limit =
      sp_metadata_call(c->metadata, "SubtensorModule", "register_limit", NULL,
                       NULL, &ignored) == 0;
  return 0;
}

void sp_tao_format(uint64_t rao, char *out, size_t cap) {
  snprintf(out, cap, "%" PRIu64 ".%09" PRIu64 " TAO (%" PRIu64 " rao)",
           rao / 1000000000u, rao % 1000000000u, rao);
}

int sp_tao_parse(const char *text, uint64_t *rao) {
  if (text == NULL || *text == '\0') return -SP_EINVAL;
  uint64_t whole = 0, frac = 0;
  int digits = 0, decimals = 0;
  const char *p = text;
  for (; *p >= '0' && *p <= '9'; p++, digits++) {
    if (whole > (UINT64_MAX - 9) / 10) return -SP_ERANGE;
    whole = whole * 10 + (uint64_t)(*p - '0');
  }
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, decimals++) {
      if (decimals == 9) return -SP_EINVAL; /* finer than a rao */
      frac = frac * 10 + (uint64_t)(*p - '0');
    }
    if (decimals == 0) return -SP_EINVAL;
  }
  if (*p != '\0' || digits == 0) return -SP_EINVAL;
  for (int i = decimals; i < 9; i++)
    frac *= 10;
  if (whole > (UINT64_MAX - frac) / 1000000000u) return -SP_ERANGE;
  *rao = whole * 1000000000u + frac;
  return 0;
}
