/*
 * BIP-39 phrases (English word list) and the Substrate way of turning one
 * into a 32-byte mini secret (substrate-bip39 `mini_secret_from_entropy`):
 * PBKDF2-HMAC-SHA512 with the phrase's ENTROPY (not the phrase text) as the
 * password, salt "mnemonic" + password, 2048 rounds; the first 32 of the 64
 * output bytes. (BIP-39's own seed hashes the phrase text instead; Substrate
 * and btwallet do not.)
 *
 * The word list is not compiled in: it is read at run time from the file of
 * Debian's python3-mnemonic package (scripts/install-deps.sh installs it),
 * path SUBPOW_BIP39_WORDLIST set by CMake, or from the file named by the
 * environment variable SUBPOW_BIP39_WORDLIST when that is set. The file must
 * be the canonical list: its SHA-256 is checked.
 */
#ifndef SUBPOW_CHAIN_KEYS_BIP39_H
#define SUBPOW_CHAIN_KEYS_BIP39_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 of the canonical english.txt of the BIP-39 repository. */
#define SP_BIP39_WORDLIST_SHA256                                               \
  "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"

/* Longest phrase: 24 words of at most 8 letters, single spaces, NUL. */
#define SP_BIP39_PHRASE_MAX 216

typedef struct sp_bip39_wordlist {
  char words[2048][9];
} sp_bip39_wordlist;

/* The path the word list is read from: $SUBPOW_BIP39_WORDLIST when set and
 * not empty, else the compiled-in SUBPOW_BIP39_WORDLIST. */
const char *sp_bip39_wordlist_path(void);

/*
 * Loads the word list from `path` (NULL: sp_bip39_wordlist_path()). Returns
 * 0, -SP_ENOT_FOUND when the file is absent, -SP_EIO when it cannot be read,
 * -SP_EWORDLIST when it is not the canonical list (SHA-256 mismatch).
 */
int sp_bip39_wordlist_load(const char *path, sp_bip39_wordlist *wl);

/*
 * Decodes a phrase (words separated by ASCII white space, lowercase, as
 * tiny-bip39 reads them) into its entropy: 16, 20, 24, 28 or 32 bytes for
 * 12, 15, 18, 21 or 24 words. Checks the checksum bits (the first
 * entropy_bits / 32 bits of SHA-256(entropy)). Returns 0,
 * -SP_EMNEMONIC_COUNT, -SP_EMNEMONIC_WORD or -SP_EMNEMONIC_CHECKSUM.
 */
int sp_bip39_phrase_to_entropy(const sp_bip39_wordlist *wl, const char *phrase,
                               uint8_t entropy[32], size_t *entropy_len);

/*
 * The phrase of `len` bytes of entropy (16..32, a multiple of 4), words
 * joined by single spaces, into `out` (capacity `cap`, SP_BIP39_PHRASE_MAX is
 * enough). Returns 0, -SP_EINVAL for a bad length, -SP_ERANGE if `out` is
 * too small, -SP_ECRYPTO.
 */
int sp_bip39_entropy_to_phrase(const sp_bip39_wordlist *wl,
                               const uint8_t *entropy, size_t len, char *out,
                               size_t cap);

/*
 * A new random phrase of `words` words (12, 15, 18, 21 or 24) from
 * libsodium's randombytes. Returns 0 or as sp_bip39_entropy_to_phrase.
 */
int sp_bip39_generate(const sp_bip39_wordlist *wl, int words, char *out,
                      size_t cap);

/*
 * The Substrate mini secret of a phrase's entropy with `password` ("" or
 * NULL for none, which is what wallets use). Returns 0, -SP_EINVAL for a bad
 * entropy length, -SP_ECRYPTO.
 */
int sp_bip39_mini_secret(const uint8_t *entropy, size_t len,
                         const char *password, uint8_t mini[32]);

#endif /* SUBPOW_CHAIN_KEYS_BIP39_H */
