/*
 * SS58 addresses of 32-byte account ids (Substrate's `Ss58Codec`):
 * base58(prefix || account || checksum), where prefix is one byte for
 * network ids 0..63 and two bytes for 64..16383, and checksum is the first two
 * bytes of BLAKE2b-512("SS58PRE" || prefix || account). Subtensor (and every
 * generic Substrate chain) uses prefix 42, addresses starting with '5'.
 */
#ifndef SUBPOW_CHAIN_KEYS_SS58_H
#define SUBPOW_CHAIN_KEYS_SS58_H

#include <stddef.h>
#include <stdint.h>

#define SP_SS58_DEFAULT_PREFIX 42
#define SP_SS58_MAX_PREFIX 16383
/* Longest address of a 32-byte account (36 bytes -> at most 50 characters),
 * plus the NUL. */
#define SP_SS58_ADDRESS_MAX 52

/*
 * Encodes `account` under network `prefix` (0..16383) into `out` (capacity
 * `cap`, SP_SS58_ADDRESS_MAX is always enough). Returns 0, -SP_ERANGE for a
 * prefix above 16383 or a too small buffer, -SP_ECRYPTO if hashing fails.
 */
int sp_ss58_encode(const uint8_t account[32], uint16_t prefix, char *out,
                   size_t cap);

/*
 * Decodes an address into the account id and its network prefix (`prefix`
 * may be NULL). Returns 0 or: -SP_EBASE58 (not base58), -SP_ESS58_PREFIX
 * (first byte 128..255, reserved), -SP_ESS58_LENGTH (not a 32-byte account
 * with a 2-byte checksum), -SP_ESS58_CHECKSUM. Any prefix is accepted; a
 * caller that needs one network compares *prefix itself.
 */
int sp_ss58_decode(const char *address, uint8_t account[32], uint16_t *prefix);

#endif /* SUBPOW_CHAIN_KEYS_SS58_H */
