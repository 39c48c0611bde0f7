/*
 * Signed extrinsics, format version 4, built from the chain's metadata.
 *
 * Layout (sp_runtime::generic::UncheckedExtrinsic, docs/protocol.md section 6):
 *   Compact<u32> length ++ 0x84 (signed bit | version 4)
 *     ++ address    MultiAddress::Id   (variant looked up by name, + 32 bytes)
 *     ++ signature  MultiSignature::Sr25519 / ::Ed25519 (by name, + 64 bytes)
 *     ++ extra      each signed extension's explicit part, in metadata order
 *     ++ call       pallet index ++ call index ++ SCALE arguments
 * The signature covers call ++ extra ++ additional (each extension's
 * implicit "additional signed" part, in the same order), or the BLAKE2b-256
 * of that payload when it is longer than 256 bytes.
 *
 * Signed extensions are taken from the metadata, in its order. Those whose
 * encoding subpow knows (Substrate's frame_system / pallet_transaction_payment
 * / frame_metadata_hash_extension ones):
 *   extension                extra                 additional
 *   CheckNonZeroSender       -                     -
 *   CheckSpecVersion         -                     u32 spec_version
 *   CheckTxVersion           -                     u32 transaction_version
 *   CheckGenesis             -                     H256 genesis hash
 *   CheckMortality/CheckEra  Era                   H256 of the era's birth
 *                                                  block (genesis: immortal)
 *   CheckNonce               Compact<u32> nonce    -
 *   CheckWeight              -                     -
 *   ChargeTransactionPayment Compact<Balance> tip  -
 *   CheckMetadataHash        mode = Disabled       Option<[u8;32]> = None
 * are encoded through the metadata's type registry, so a runtime that gave
 * them other types fails loudly. Any other extension (SubtensorTransaction-
 * Extension and DrandPriority on finney) is accepted only when both of its
 * types encode to nothing (a field-less struct, the unit tuple); otherwise
 * the build is refused with -SP_CHAIN_EUNSUPPORTED naming it, rather than
 * send a transaction the chain would reject or misread.
 */
#ifndef SUBPOW_CHAIN_CLIENT_EXTRINSIC_H
#define SUBPOW_CHAIN_CLIENT_EXTRINSIC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "chain/codec/metadata.h"
#include "chain/codec/scale.h"
#include "chain/keys/signer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- era ---- */

/*
 * A transaction's validity window (sp_runtime::generic::Era). Immortal, or
 * mortal: valid for `period` blocks (a power of two, 4..65536) from the
 * block whose number is congruent to `phase` modulo `period`.
 */
typedef struct sp_era {
  bool mortal;
  uint32_t period;
  uint32_t phase;
} sp_era;

/* The immortal era. */
sp_era sp_era_immortal(void);

/*
 * Era::mortal(period, current): `period` rounded up to a power of two and
 * clamped to 4..65536, phase = current % period, quantized as Substrate does
 * for periods over 4096.
 */
sp_era sp_era_mortal(uint64_t period, uint64_t current);

/* The era's first block relative to `current` (Era::birth); 0 if immortal. */
uint64_t sp_era_birth(sp_era era, uint64_t current);

/* The two-byte (mortal) or one-byte 0x00 (immortal) encoding. */
void sp_era_encode(sp_era era, sp_scale_writer *w);

/* ------------------------------------------------------------- calls ---- */

/*
 * Appends the SCALE of call `pallet`.`call` with `args` (a JSON object with
 * one key per named argument, shaped as scale_type.h describes; NULL for a
 * call without arguments): the pallet's index, the call's index, then the
 * arguments in their declared order. Indices come from the metadata.
 * Returns 0, -SP_CHAIN_ENOTFOUND (no such pallet/call) or -SP_CHAIN_ETYPE
 * (an argument missing, extra, or of the wrong shape; the message names it).
 */
int sp_call_encode(const sp_metadata *md, const char *pallet, const char *call,
                   const json_t *args, sp_scale_writer *w, sp_chain_error *err);

/* -------------------------------------------------------- extrinsics ---- */

/* What a signed extrinsic commits to besides its call. */
typedef struct sp_extrinsic_params {
  uint32_t spec_version;        /* state_getRuntimeVersion */
  uint32_t transaction_version; /* state_getRuntimeVersion */
  uint8_t genesis_hash[32];     /* chain_getBlockHash(0) */
  sp_era era;
  uint8_t era_birth_hash[32]; /* hash of sp_era_birth(era, best); mortal only */
  uint64_t nonce;             /* system_accountNextIndex */
  sp_u128 tip;                /* 0 for subpow */
} sp_extrinsic_params;

/*
 * Builds and signs a version-4 extrinsic carrying the encoded `call`, and
 * appends it, with its Compact length prefix, to `out`. Returns 0 or a
 * negative code: -SP_CHAIN_EUNSUPPORTED (extrinsic version other than 4, an
 * unknown non-empty signed extension, a signature scheme without a
 * MultiSignature variant), -SP_CHAIN_EMETADATA (the metadata lacks the
 * extrinsic's address/signature types), -SP_CHAIN_ETYPE (a known extension
 * with unexpected types), -SP_CHAIN_ESIGN (the signer failed).
 */
int sp_extrinsic_build_signed(const sp_metadata *md, const uint8_t *call,
                              size_t call_len, const sp_extrinsic_params *p,
                              const sp_signer *signer, sp_scale_writer *out,
                              sp_chain_error *err);

/*
 * The bytes the signer is asked to sign for these parameters (call ++ extra
 * ++ additional, or its BLAKE2b-256 when longer than 256 bytes), appended
 * to `out`. For verifying signatures in tests and tools.
 */
int sp_extrinsic_signing_payload(const sp_metadata *md, const uint8_t *call,
                                 size_t call_len, const sp_extrinsic_params *p,
                                 sp_scale_writer *out, sp_chain_error *err);

/* The extrinsic hash the node reports: BLAKE2b-256 of the length-prefixed
 * extrinsic. Returns 0 or -SP_CHAIN_ECRYPTO. */
int sp_extrinsic_hash(const uint8_t *extrinsic, size_t len, uint8_t out[32]);

/*
 * Decodes a length-prefixed extrinsic (signed or not, version 4) with the
 * metadata into a new JSON object:
 *   {"version": 4, "signed": true,
 *    "address": {"Id": "0x.."}, "signature": {"Sr25519": "0x.."},
 *    "extensions": {"CheckMortality": ..., "CheckNonce": 5, ...},
 *    "call": {"pallet": "SubtensorModule", "name": "register",
 *             "args": {"netuid": 1, ...}}}
 * ("extensions" lists only extensions with a non-empty explicit part).
 * Truncated or oversized input, unknown versions, pallets or calls are
 * errors.
 */
int sp_extrinsic_decode(const sp_metadata *md, const uint8_t *bytes, size_t len,
                        json_t **out, sp_chain_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CLIENT_EXTRINSIC_H */
