/*
 * Fuzz target: btwallet key files (chain/keys/keyfile.h), from memory and from
 * a file on disk.
 *
 * Byte 0 picks the path (and bit 2 the scheme, sr25519 or ed25519):
 *   % 3 == 0  sp_keyfile_parse of the rest
 *   % 3 == 1  $NACL decryption of the rest (Argon2i at its minimum limits,
 *             so that an input costs microseconds, not seconds), and an
 *             encryption round trip of the rest
 *   % 3 == 2  the rest written to a file (mode 0600, or 0644 when bit 3 is
 *             set) and loaded with sp_keyfile_load, no password available
 * Properties:
 *   - a refused file leaves the key all zeroes (no half-loaded secret);
 *   - a loaded key serializes to a file that loads to the same key, and
 *     its public form loads to the same public key without a secret;
 *   - a ciphertext nobody encrypted never decrypts; what is encrypted
 *     decrypts to itself;
 *   - loading from disk reports the file's permissions, asks for the
 *     password only for a well-formed $NACL file, refuses the other
 *     encryptions btwallet knows, and otherwise agrees with parsing the
 *     same bytes from memory.
 */
#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain/keys/keyfile.h"
#include "common/error.h"
#include "regress/fuzz/fuzz_support.h"

static const sp_bip39_wordlist *wordlist(void) { return sp_bip39_english(); }

static bool all_zero(const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  return true;
}

static void check_round_trip(const sp_keypair *kp, int scheme,
                             const sp_bip39_wordlist *wl) {
  for (int public_only = 0; public_only < 2; public_only++) {
    char *text = NULL;
    size_t len = 0;
    int rc = sp_keyfile_serialize(kp, public_only, &text, &len);
    FUZZ_CHECK(rc == 0, "a loaded key does not serialize: %d", rc);
    sp_keypair back;
    sp_keyfile_info info;
    rc = sp_keyfile_parse(text, len, scheme, wl, &back, &info);
    FUZZ_CHECK(rc == 0, "serialized key does not load: %d (%s)", rc,
               info.field ? info.field : "-");
    FUZZ_CHECK(memcmp(back.public_key, kp->public_key, 32) == 0,
               "round trip changed the public key");
    FUZZ_CHECK(public_only ? !back.has_secret
                           : back.has_secret == kp->has_secret &&
                                 (!kp->has_secret ||
                                  memcmp(back.secret, kp->secret, 64) == 0),
               "round trip changed the secret (public_only %d)", public_only);
    sp_keypair_wipe(&back);
    sp_keyfile_buffer_free(text, len);
  }
}

static int parse(const uint8_t *data, size_t len, int scheme, sp_keypair *kp,
                 sp_keyfile_info *info) {
  memset(info, 0, sizeof *info);
  int rc =
      sp_keyfile_parse((const char *)data, len, scheme, wordlist(), kp, info);
  if (rc != 0) {
    FUZZ_CHECK(all_zero(kp, sizeof *kp), "a refused file left key material");
    FUZZ_CHECK(info->source == NULL, "a refused file names a source");
  } else {
    FUZZ_CHECK(info->source != NULL, "a loaded key without a source field");
  }
  return rc;
}

static void from_file(const uint8_t *data, size_t len, int scheme, bool loose) {
  static char path[64];
  if (path[0] == '\0') {
    snprintf(path, sizeof path, "/tmp/subpow-fuzz-keyfile-%d", (int)getpid());
  }
  unlink(path);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return;
  fchmod(fd, loose ? 0644 : 0600);
  bool ok = write(fd, data, len) == (ssize_t)len;
  close(fd);
  if (!ok) {
    unlink(path);
    return;
  }
  sp_password_source none = {0};
  sp_keypair kp, mem;
  sp_keyfile_info info, mem_info;
  int rc = sp_keyfile_load(path, scheme, &none, wordlist(), &kp, &info);
  unlink(path);
  FUZZ_CHECK(info.loose_permissions == loose &&
                 info.mode == (loose ? 0644u : 0600u),
             "mode 0%o reported as 0%o (loose %d)", loose ? 0644 : 0600,
             info.mode, info.loose_permissions);
  if (rc != 0) FUZZ_CHECK(all_zero(&kp, sizeof kp), "a refused file left key");
  if (sp_keyfile_is_encrypted(data, len)) {
    bool whole =
        len >= 5 + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    FUZZ_CHECK(info.encrypted, "$NACL file not reported encrypted");
    FUZZ_CHECK(rc == (whole ? -SP_ENO_PASSWORD : -SP_EENCRYPTED_FORMAT),
               "$NACL file of %zu bytes: rc %d", len, rc);
  } else if ((len >= 14 && memcmp(data, "$ANSIBLE_VAULT", 14) == 0) ||
             (len >= 6 && memcmp(data, "gAAAAA", 6) == 0)) {
    FUZZ_CHECK(rc == -SP_EUNSUPPORTED, "other encryption: rc %d", rc);
  } else {
    int mrc = parse(data, len, scheme, &mem, &mem_info);
    FUZZ_CHECK(mrc == rc, "file gives %d, memory %d", rc, mrc);
    if (rc == 0)
      FUZZ_CHECK(memcmp(kp.public_key, mem.public_key, 32) == 0,
                 "file and memory give different keys");
    sp_keypair_wipe(&mem);
  }
  sp_keypair_wipe(&kp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > SP_KEYFILE_MAX) return 0;
  if (sodium_init() < 0) return 0;
  int mode = data[0] % 3;
  int scheme = (data[0] & 4) ? SP_SIGNER_ED25519 : SP_SIGNER_SR25519;
  const uint8_t *rest = data + 1;
  size_t len = size - 1;
  if (mode == 0) {
    sp_keypair kp;
    sp_keyfile_info info;
    if (parse(rest, len, scheme, &kp, &info) == 0)
      check_round_trip(&kp, scheme, wordlist());
    sp_keypair_wipe(&kp);
  } else if (mode == 1) {
    const unsigned long long ops = crypto_pwhash_argon2i_OPSLIMIT_MIN;
    const size_t mem = crypto_pwhash_argon2i_MEMLIMIT_MIN;
    uint8_t *plain = NULL, *box = NULL;
    size_t plain_len = 0, box_len = 0;
    int rc = sp_keyfile_decrypt_with_limits(rest, len, "fuzz", ops, mem, &plain,
                                            &plain_len);
    FUZZ_CHECK(rc == -SP_EENCRYPTED_FORMAT || rc == -SP_EDECRYPT,
               "forged ciphertext: rc %d", rc);
    rc = sp_keyfile_encrypt_with_limits(rest, len, "fuzz", ops, mem, &box,
                                        &box_len);
    FUZZ_CHECK(rc == 0 && sp_keyfile_is_encrypted(box, box_len), "encrypt %d",
               rc);
    rc = sp_keyfile_decrypt_with_limits(box, box_len, "fuzz", ops, mem, &plain,
                                        &plain_len);
    FUZZ_CHECK(rc == 0 && plain_len == len && memcmp(plain, rest, len) == 0,
               "encryption round trip: rc %d", rc);
    sp_keyfile_buffer_free(plain, plain_len + 1);
    sp_keyfile_buffer_free(box, box_len);
  } else {
    from_file(rest, len, scheme, (data[0] & 8) != 0);
  }
  return 0;
}
