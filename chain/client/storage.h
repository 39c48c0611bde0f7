/*
 * Substrate storage: keys, hashers and typed reads of the items a
 * registration client needs (docs/protocol.md section 5).
 *
 * A storage key is twox128(pallet prefix) ++ twox128(item name) ++ one
 * hashed part per map key, each part SCALE-encoded with its key type and
 * then hashed with the hasher the metadata names for it:
 *   Identity          the encoded key itself
 *   Twox64Concat      XXH64(seed 0) as 8 little-endian bytes ++ the key
 *   Twox128 / 256     XXH64 with seeds 0,1 (,2,3), each 8 bytes LE
 *   Blake2_128Concat  BLAKE2b-128 ++ the key
 *   Blake2_128 / 256  BLAKE2b with a 16 / 32-byte output
 * xxHash comes from libxxhash, BLAKE2b from libsodium (crypto_generichash).
 *
 * Values are read with state_getStorage(key[, at]) and decoded with the
 * item's value type from the metadata; an absent key means the item's
 * default (modifier Default: the metadata's default bytes) or None
 * (modifier Optional).
 */
#ifndef SUBPOW_CHAIN_CLIENT_STORAGE_H
#define SUBPOW_CHAIN_CLIENT_STORAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "chain/client/rpc.h"
#include "chain/codec/metadata.h"
#include "chain/codec/scale.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ hashers ---- */

void sp_twox64(const void *data, size_t len, uint8_t out[8]);
void sp_twox128(const void *data, size_t len, uint8_t out[16]);
void sp_twox256(const void *data, size_t len, uint8_t out[32]);
/* BLAKE2b with a 16/32-byte digest; 0 or -SP_CHAIN_ECRYPTO. */
int sp_blake2_128(const void *data, size_t len, uint8_t out[16]);
int sp_blake2_256(const void *data, size_t len, uint8_t out[32]);

/*
 * Appends the hashed form of one encoded key part to `w` (see the table
 * above). Returns 0, -SP_CHAIN_EARG (unknown hasher) or -SP_CHAIN_ECRYPTO.
 */
int sp_storage_hash_part(sp_storage_hasher h, const uint8_t *part, size_t len,
                         sp_scale_writer *w);

/* twox128(pallet_prefix) ++ twox128(item): the 32-byte prefix of an item. */
void sp_storage_prefix(const char *pallet_prefix, const char *item,
                       uint8_t out[32]);

/* --------------------------------------------------------------- keys ---- */

/*
 * Builds the full key of `pallet`.`item` into `key` (appended). `parts` is
 * a JSON array with one value per hasher of the item (shaped as
 * scale_type.h describes, e.g. [14, "0x<32-byte account>"] for Uids), or
 * NULL / [] for a plain item. Returns 0, -SP_CHAIN_ENOTFOUND (no such item),
 * -SP_CHAIN_EARG (wrong number of parts) or -SP_CHAIN_ETYPE (a part does not
 * fit its type); *entry_out (may be NULL) receives the entry.
 */
int sp_storage_key(const sp_metadata *md, const char *pallet, const char *item,
                   const json_t *parts, sp_scale_writer *key,
                   const sp_storage_entry **entry_out, sp_chain_error *err);

/* ------------------------------------------------------------- values ---- */

/*
 * Decodes a storage value of `entry`: `bytes` NULL means the key is absent,
 * which gives the decoded default (modifier Default) or JSON null
 * (Optional). Trailing bytes are an error.
 */
int sp_storage_decode(const sp_metadata *md, const sp_storage_entry *entry,
                      const uint8_t *bytes, size_t len, json_t **value,
                      sp_chain_error *err);

/*
 * Reads and decodes `pallet`.`item` at block `at` (32 bytes, or NULL for the
 * best block) over `rpc`. *value is a new reference (JSON null for an
 * absent Optional item).
 */
int sp_storage_read(sp_rpc *rpc, const sp_metadata *md, const char *pallet,
                    const char *item, const json_t *parts, const uint8_t *at,
                    json_t **value, sp_chain_error *err);

/* ------------------------------------------------------ typed reads ---- */
/*
 * Each checks first that the runtime's metadata gives the item the expected
 * key and value types (else -SP_CHAIN_EMETADATA naming the item), then
 * reads it at `at` (NULL: best block). Defaults come from the metadata.
 */

/* SubtensorModule.Difficulty[netuid]: u64, default 10,000,000. */
int sp_storage_difficulty(sp_rpc *rpc, const sp_metadata *md, uint16_t netuid,
                          const uint8_t *at, uint64_t *out,
                          sp_chain_error *err);

/* SubtensorModule.NetworksAdded[netuid]: bool, default false. */
int sp_storage_networks_added(sp_rpc *rpc, const sp_metadata *md,
                              uint16_t netuid, const uint8_t *at, bool *out,
                              sp_chain_error *err);

/* SubtensorModule.NetworkPowRegistrationAllowed[netuid]: bool, default
 * true. */
int sp_storage_pow_registration_allowed(sp_rpc *rpc, const sp_metadata *md,
                                        uint16_t netuid, const uint8_t *at,
                                        bool *out, sp_chain_error *err);

/* SubtensorModule.Uids[netuid][hotkey]: Option<u16>; *registered false and
 * *uid 0 when the hotkey has no uid on the subnet. */
int sp_storage_uid(sp_rpc *rpc, const sp_metadata *md, uint16_t netuid,
                   const uint8_t hotkey[32], const uint8_t *at,
                   bool *registered, uint16_t *uid, sp_chain_error *err);

/*
 * frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>.
 * On Subtensor the nonce is a u32, Balance a u64 (rao) and flags a u128;
 * every balance is held as sp_u128 so that a runtime with u128 balances
 * fits too. The metadata decides the widths.
 */
typedef struct sp_account_info {
  uint32_t nonce, consumers, providers, sufficients;
  sp_u128 free, reserved, frozen, flags;
} sp_account_info;

/* System.Account[account]; all zero for an account that does not exist. The
 * layout is checked by field name against the metadata's AccountInfo. */
int sp_storage_account(sp_rpc *rpc, const sp_metadata *md,
                       const uint8_t account[32], const uint8_t *at,
                       sp_account_info *out, sp_chain_error *err);

/* Extracts an sp_account_info from a decoded AccountInfo JSON value. */
int sp_account_info_from_json(const json_t *v, sp_account_info *out,
                              sp_chain_error *err);

/* System.BlockHash[number]: the hash of a recent block, zero when pruned. */
int sp_storage_block_hash(sp_rpc *rpc, const sp_metadata *md, uint32_t number,
                          const uint8_t *at, uint8_t out[32],
                          sp_chain_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_STORAGE_H */
