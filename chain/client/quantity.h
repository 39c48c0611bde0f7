/*
 * Hex quantities as Substrate's JSON-RPC serializes numbers (block numbers
 * in headers: "0x31ce99"): "0x" then 1 to 16 hex digits of a u64. Parsed
 * strictly, unlike strtoull, which takes a sign ("0x-5" is 2^64 - 5), leading
 * spaces ("0x 5") and saturates on overflow to 2^64 - 1: a node sending any
 * of these would otherwise move the client to an absurd block.
 */
#ifndef SUBPOW_CHAIN_CLIENT_QUANTITY_H
#define SUBPOW_CHAIN_CLIENT_QUANTITY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "0x" followed by hex digits only (either case; leading zeros allowed),
 * whose value fits in 64 bits. Returns 0 with *out set, or -1 (NULL, no
 * digits, any other character, a value above 2^64 - 1). A yes-or-no parse
 * of one field, so -1 and no record: the caller knows what the field was
 * and words the error (a bad block number in a header, chain/client/
 * client.c). */
int sp_hex_quantity_parse(const char *text, uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif
