/*
 * btwallet key files (docs/protocol.md section 7): JSON with
 * accountId, publicKey (0x hex, 32 bytes), privateKey (0x hex, 64 bytes),
 * secretPhrase (BIP-39), secretSeed (0x hex, 32-byte mini secret) and
 * ss58Address, optionally encrypted as "$NACL" || 24-byte nonce ||
 * crypto_secretbox_easy ciphertext under a key that is Argon2i (libsodium
 * argon2i13, OPSLIMIT_SENSITIVE = 8, MEMLIMIT_SENSITIVE = 512 MiB for
 * argon2i) of the password with btwallet's fixed salt (src/keyfile.rs
 * NACL_SALT).
 *
 * Buffers that may hold secrets are malloc'd; release them with
 * sp_keyfile_buffer_free, which zeroes them first.
 */
#ifndef SUBPOW_CHAIN_KEYS_KEYFILE_H
#define SUBPOW_CHAIN_KEYS_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/keys/bip39.h"
#include "chain/keys/keypair.h"
#include "chain/keys/password.h"

/* Largest key file read (real ones are under 1 KiB). */
#define SP_KEYFILE_MAX 65536

/* What loading found out besides the key. */
typedef struct sp_keyfile_info {
  bool encrypted;         /* the file was $NACL-encrypted */
  bool loose_permissions; /* group or others have some access to the file */
  unsigned mode;          /* the file's permission bits (st_mode & 07777) */
  const char *field;  /* on a field error: the JSON field at fault, else NULL */
  const char *source; /* on success: the field the key came from */
  /* on an error reading the password file: that file (the source's), so
   * that the message names it rather than the key file */
  const char *password_file;
} sp_keyfile_info;

/*
 * The key of a decrypted key file. Loading prefers secretPhrase, then
 * secretSeed, then privateKey (btwallet's order); a file with none of them
 * (coldkeypub.txt) gives a public-only key from publicKey, accountId or
 * ss58Address. Every field present must be a string (null counts as absent)
 * of the right format, and publicKey, accountId and ss58Address, when
 * present, must match the loaded key. `wl` may be NULL: sp_bip39_english().
 * Returns 0 or -SP_EKEYFILE_JSON, -SP_EKEYFILE_FIELD, -SP_EKEYFILE_MISMATCH,
 * -SP_EKEYFILE_NO_SECRET (no key field at all), a BIP-39 error,
 * -SP_EBAD_SECRET,
 * -SP_EBAD_PUBLIC; info->field names the field at fault. On error *kp is
 * all zeroes (as after sp_keypair_wipe).
 */
int sp_keyfile_parse(const char *json, size_t len, int scheme,
                     const sp_bip39_wordlist *wl, sp_keypair *kp,
                     sp_keyfile_info *info);

/*
 * The JSON of `kp` in btwallet's form (compact, keys sorted): accountId,
 * publicKey and ss58Address (prefix 42) always; with `public_only` false
 * also privateKey, secretSeed and secretPhrase when `kp` has them. Stores a
 * NUL-terminated buffer in *out (free with sp_keyfile_buffer_free).
 * Returns 0, -SP_ENOMEM or -SP_ECRYPTO.
 */
int sp_keyfile_serialize(const sp_keypair *kp, bool public_only, char **out,
                         size_t *out_len);

/* True when `data` starts with "$NACL". */
bool sp_keyfile_is_encrypted(const uint8_t *data, size_t len);

/*
 * Encrypts `plain` as btwallet does (fresh random nonce). Argon2i with the
 * SENSITIVE limits takes seconds and 512 MiB. Returns 0, -SP_ENOMEM, or
 * -SP_ECRYPTO (also when Argon2 cannot get its memory).
 */
int sp_keyfile_encrypt(const uint8_t *plain, size_t len, const char *password,
                       uint8_t **out, size_t *out_len);

/*
 * Decrypts a "$NACL" file. Returns 0, -SP_EENCRYPTED_FORMAT (no $NACL or too
 * short for nonce and tag), -SP_EDECRYPT (wrong password or altered
 * ciphertext: secretbox cannot tell them apart), -SP_ENOMEM, -SP_ECRYPTO.
 */
int sp_keyfile_decrypt(const uint8_t *data, size_t len, const char *password,
                       uint8_t **plain, size_t *plain_len);

/* The two above with other Argon2i limits. Files written so are NOT
 * readable by btcli: these exist for fast tests of the format's error paths
 * only. */
int sp_keyfile_encrypt_with_limits(const uint8_t *plain, size_t len,
                                   const char *password,
                                   unsigned long long opslimit, size_t memlimit,
                                   uint8_t **out, size_t *out_len);
int sp_keyfile_decrypt_with_limits(const uint8_t *data, size_t len,
                                   const char *password,
                                   unsigned long long opslimit, size_t memlimit,
                                   uint8_t **plain, size_t *plain_len);

/*
 * Reads a whole key file (at most SP_KEYFILE_MAX bytes) into *data (free
 * with sp_keyfile_buffer_free); fills info->mode and
 * info->loose_permissions. Returns 0, -SP_ENOT_FOUND, -SP_EIO (also for a
 * directory or other non-regular file), -SP_ERANGE (too large).
 */
int sp_keyfile_read(const char *path, uint8_t **data, size_t *len,
                    sp_keyfile_info *info);

/*
 * Creates `path` with mode 0600 (whatever the umask) and writes `data`;
 * never replaces an existing file. Returns 0, -SP_EEXISTS or -SP_EIO.
 */
int sp_keyfile_write(const char *path, const uint8_t *data, size_t len);

/*
 * Reads, decrypts when "$NACL" (asking `pw` for the password, prompt "Enter
 * the password for <path>: "), and parses a key file. Other encodings
 * btwallet knows (ansible vault, the legacy Fernet form) give
 * -SP_EUNSUPPORTED. Returns 0 or an error of the functions above;
 * -SP_ENO_PASSWORD when the file is encrypted and `pw` gives no password.
 * On error *kp is all zeroes.
 */
int sp_keyfile_load(const char *path, int scheme, const sp_password_source *pw,
                    const sp_bip39_wordlist *wl, sp_keypair *kp,
                    sp_keyfile_info *info);

/* Zeroes `len` bytes of `buf` and frees it (NULL is fine). */
void sp_keyfile_buffer_free(void *buf, size_t len);

#endif /* SUBPOW_CHAIN_KEYS_KEYFILE_H */
