/* BIP-39, key pairs, btwallet key files ($NACL included) and wallets, at
 * library level. The command line is in test_wallet_cli.c. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain/keys/bip39.h"
#include "chain/keys/keyfile.h"
#include "chain/keys/keypair.h"
#include "chain/keys/sr25519.h"
#include "chain/keys/wallet.h"
#include "common/error.h"
#include "reference/reference.h"

#define DEV_PHRASE                                                             \
  "bottom drive obey lake curtain smoke basket hold race lonely fit walk"
#define DEV_SEED                                                               \
  "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e"
#define DEV_PUB                                                                \
  "0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a"
#define DEV_SS58 "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV"

static sp_bip39_wordlist wl;

static void load_wordlist(void) { wl = *sp_bip39_english(); }

static void hex_of(const uint8_t *b, size_t n, char *out) {
  out[0] = '0';
  out[1] = 'x';
  sp_hex_encode(b, n, out + 2);
}

/* A fresh directory under /tmp, removed by the OS's tmp cleaning only: each
 * Criterion test runs in its own process, so names do not collide. */
static void temp_dir(char *out, size_t cap) {
  snprintf(out, cap, "/tmp/subpow-keys-XXXXXX");
  cr_assert_not_null(mkdtemp(out));
}

static void write_text(const char *path, const char *text, mode_t mode) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  chmod(path, mode);
}

/* ------------------------------------------------------------ BIP-39 ---- */

Test(bip39, word_list_is_the_canonical_one) {
  load_wordlist();
  cr_assert_str_eq(wl.words[0], "abandon");
  cr_assert_str_eq(wl.words[2047], "zoo");
  /* The file the list was made from is the words, one a line: its SHA-256
   * is the canonical one of the BIP-39 repository. */
  char text[2048 * 9 + 1];
  size_t n = 0;
  for (int i = 0; i < 2048; i++)
    n += (size_t)snprintf(text + n, sizeof text - n, "%s\n", wl.words[i]);
  uint8_t digest[32];
  char hex[65];
  cr_assert_eq(sp_sha256((const uint8_t *)text, n, digest), 0);
  sp_hex_encode(digest, 32, hex);
  cr_assert_str_eq(hex, SP_BIP39_WORDLIST_SHA256);
}

/* The compiled-in list against the Debian file it was generated from (the
 * build checks the file's hash; this checks the generation). */
Test(bip39, embedded_list_matches_the_file) {
  FILE *f = fopen(SUBPOW_BIP39_WORDLIST_FILE, "r");
  if (f == NULL) {
    cr_skip_test("%s absent (python3-mnemonic not installed)",
                 SUBPOW_BIP39_WORDLIST_FILE);
  }
  const sp_bip39_wordlist *e = sp_bip39_english();
  char line[64];
  int i = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    cr_assert_lt(i, 2048, "more than 2048 lines");
    cr_assert_str_eq(e->words[i], line, "word %d", i);
    i++;
  }
  fclose(f);
  cr_assert_eq(i, 2048);
}

/* Trezor's BIP-39 vectors (entropy <-> phrase) and substrate-bip39's
 * `mini_secret_from_entropy` with password "Substrate" for the same
 * entropy (substrate-bip39 src/lib.rs tests: the first 32 bytes of the
 * listed 64-byte seeds). */
Test(bip39, trezor_and_substrate_vectors) {
  load_wordlist();
  static const struct {
    const char *entropy, *phrase, *mini;
  } v[] = {
      {"00000000000000000000000000000000",
       "abandon abandon abandon abandon abandon abandon abandon abandon "
       "abandon abandon abandon about",
       "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e3"},
      {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
       "legal winner thank year wave sausage worth useful legal winner thank "
       "yellow",
       "4313249608fe8ac10fd5886c92c4579007272cb77c21551ee5b8d60b78041685"},
      {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
       "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo "
       "zoo zoo zoo zoo zoo zoo vote",
       NULL},
      {"8080808080808080808080808080808080808080808080808080808080808080",
       "letter advice cage absurd amount doctor acoustic avoid letter advice "
       "cage absurd amount doctor acoustic avoid letter advice cage absurd "
       "amount doctor acoustic bless",
       NULL},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint8_t ent[32], ent2[32], mini[32];
    size_t n = strlen(v[i].entropy) / 2, got = 0;
    cr_assert_eq(sp_hex_decode(v[i].entropy, n, ent, 32, NULL), 0);
    char phrase[SP_BIP39_PHRASE_MAX];
    cr_assert_eq(sp_bip39_entropy_to_phrase(&wl, ent, n, phrase, sizeof phrase),
                 0);
    cr_assert_str_eq(phrase, v[i].phrase);
    cr_assert_eq(sp_bip39_phrase_to_entropy(&wl, v[i].phrase, ent2, &got), 0);
    cr_assert_eq(got, n);
    cr_assert_eq(memcmp(ent, ent2, n), 0);
    if (v[i].mini != NULL) {
      char hex[65];
      cr_assert_eq(sp_bip39_mini_secret(ent, n, "Substrate", mini), 0);
      sp_hex_encode(mini, 32, hex);
      cr_assert_str_eq(hex, v[i].mini);
    }
  }
}

/* subkey inspect of the dev phrase: secret seed 0xfac7959d... */
Test(bip39, dev_phrase_gives_the_dev_seed) {
  load_wordlist();
  uint8_t ent[32], mini[32];
  size_t n = 0;
  char hex[67];
  /* Extra white space is allowed, as tiny-bip39 splits on it. */
  cr_assert_eq(sp_bip39_phrase_to_entropy(
                   &wl,
                   "  bottom drive\tobey lake curtain smoke basket hold "
                   "race lonely fit walk\n",
                   ent, &n),
               0);
  cr_assert_eq(sp_bip39_mini_secret(ent, n, NULL, mini), 0);
  hex_of(mini, 32, hex);
  cr_assert_str_eq(hex, DEV_SEED);
}

Test(bip39, bad_phrases) {
  load_wordlist();
  uint8_t ent[32];
  size_t n;
  /* A word outside the list, an upper-case word, a truncated word. */
  cr_assert_eq(sp_bip39_phrase_to_entropy(
                   &wl,
                   "bottom drive obey lake curtain smoke basket hold race "
                   "lonely fit walks",
                   ent, &n),
               -SP_EMNEMONIC_WORD);
  cr_assert_eq(sp_bip39_phrase_to_entropy(
                   &wl,
                   "Bottom drive obey lake curtain smoke basket hold race "
                   "lonely fit walk",
                   ent, &n),
               -SP_EMNEMONIC_WORD);
  /* 11, 13 and 0 words. */
  cr_assert_eq(sp_bip39_phrase_to_entropy(
                   &wl,
                   "bottom drive obey lake curtain smoke basket hold race "
                   "lonely fit",
                   ent, &n),
               -SP_EMNEMONIC_COUNT);
  cr_assert_eq(sp_bip39_phrase_to_entropy(&wl, DEV_PHRASE " walk", ent, &n),
               -SP_EMNEMONIC_COUNT);
  cr_assert_eq(sp_bip39_phrase_to_entropy(&wl, "   ", ent, &n),
               -SP_EMNEMONIC_COUNT);
  /* Two words swapped: every word is valid, the checksum is not. */
  cr_assert_eq(sp_bip39_phrase_to_entropy(
                   &wl,
                   "drive bottom obey lake curtain smoke basket hold race "
                   "lonely fit walk",
                   ent, &n),
               -SP_EMNEMONIC_CHECKSUM);
  cr_assert_eq(sp_bip39_phrase_to_entropy(
                   &wl,
                   "abandon abandon abandon abandon abandon abandon "
                   "abandon abandon abandon abandon abandon abandon",
                   ent, &n),
               -SP_EMNEMONIC_CHECKSUM);
}

Test(bip39, generated_phrases_decode) {
  load_wordlist();
  const int counts[] = {12, 15, 18, 21, 24};
  for (size_t i = 0; i < 5; i++) {
    char phrase[SP_BIP39_PHRASE_MAX];
    uint8_t ent[32];
    size_t n = 0;
    cr_assert_eq(sp_bip39_generate(&wl, counts[i], phrase, sizeof phrase), 0);
    int words = 1;
    for (const char *p = phrase; *p; p++)
      words += *p == ' ';
    cr_assert_eq(words, counts[i]);
    cr_assert_eq(sp_bip39_phrase_to_entropy(&wl, phrase, ent, &n), 0);
    cr_assert_eq(n, (size_t)counts[i] * 4 / 3);
  }
  char phrase[SP_BIP39_PHRASE_MAX];
  cr_assert_eq(sp_bip39_generate(&wl, 13, phrase, sizeof phrase), -SP_EINVAL);
  cr_assert_eq(sp_bip39_generate(&wl, 12, phrase, 20), -SP_ERANGE);
}

/* ---------------------------------------------------------- key pairs ---- */

Test(keypair, phrase_seed_and_private_key_agree) {
  load_wordlist();
  sp_keypair a, b, c;
  char addr[SP_SS58_ADDRESS_MAX], hex[131];
  cr_assert_eq(sp_keypair_from_phrase(SP_SIGNER_SR25519, &wl, DEV_PHRASE, &a),
               0);
  cr_assert(a.has_phrase && a.has_mini && a.has_secret);
  cr_assert_str_eq(a.phrase, DEV_PHRASE);
  hex_of(a.public_key, 32, hex);
  cr_assert_str_eq(hex, DEV_PUB);
  cr_assert_eq(sp_keypair_ss58(&a, 42, addr, sizeof addr), 0);
  cr_assert_str_eq(addr, DEV_SS58);
  cr_assert_eq(sp_keypair_from_mini_secret(SP_SIGNER_SR25519, a.mini, &b), 0);
  cr_assert_eq(memcmp(a.secret, b.secret, 64), 0);
  cr_assert_eq(sp_keypair_from_private_key(SP_SIGNER_SR25519, a.secret, &c), 0);
  cr_assert_eq(memcmp(c.public_key, a.public_key, 32), 0);
  cr_assert(!c.has_mini && !c.has_phrase);
  /* ed25519 from the same phrase: subkey --scheme ed25519's public key. */
  cr_assert_eq(sp_keypair_from_phrase(SP_SIGNER_ED25519, &wl, DEV_PHRASE, &b),
               0);
  hex_of(b.public_key, 32, hex);
  cr_assert_str_eq(
      hex,
      "0x345071da55e5dccefaaa440339415ef9f2663338a38f7da0df21be5ab4e055ef");
  cr_assert_eq(sp_keypair_from_private_key(SP_SIGNER_ED25519, b.secret, &c), 0);
  cr_assert_eq(memcmp(c.public_key, b.public_key, 32), 0);
  b.secret[40] ^= 1; /* the public half no longer matches the seed */
  cr_assert_eq(sp_keypair_from_private_key(SP_SIGNER_ED25519, b.secret, &c),
               -SP_EBAD_SECRET);
  sp_keypair_wipe(&a);
  for (size_t i = 0; i < sizeof a; i++)
    cr_assert_eq(((uint8_t *)&a)[i], 0);
}

Test(keypair, signer_signs_for_both_schemes) {
  load_wordlist();
  const int schemes[] = {SP_SIGNER_SR25519, SP_SIGNER_ED25519};
  for (int i = 0; i < 2; i++) {
    sp_keypair kp, pub;
    sp_signer s;
    uint8_t sig[64];
    cr_assert_eq(sp_keypair_from_phrase(schemes[i], &wl, DEV_PHRASE, &kp), 0);
    cr_assert_eq(sp_keypair_signer(&kp, &s), 0);
    cr_assert_eq(s.scheme, schemes[i]);
    cr_assert_eq(memcmp(s.public_key, kp.public_key, 32), 0);
    cr_assert_eq(s.sign(s.ctx, (const uint8_t *)"payload", 7, sig), 0);
    cr_assert_eq(sp_signature_verify(schemes[i], s.public_key,
                                     (const uint8_t *)"payload", 7, sig),
                 0);
    /* Under the other scheme: a bad signature, or (an ed25519 key read as
     * sr25519) not even a valid key. */
    cr_assert_neq(sp_signature_verify(1 - schemes[i], s.public_key,
                                      (const uint8_t *)"payload", 7, sig),
                  0, "scheme %d sig verified as the other", i);
    cr_assert_eq(sp_keypair_from_public(schemes[i], kp.public_key, &pub), 0);
    cr_assert_eq(sp_keypair_signer(&pub, &s), -SP_EINVAL);
    cr_assert_eq(sp_keypair_sign(&pub, (const uint8_t *)"x", 1, sig),
                 -SP_EINVAL);
  }
}

/* --------------------------------------------------------- key files ---- */

static int parse(const char *json, sp_keypair *kp, sp_keyfile_info *info) {
  return sp_keyfile_parse(json, strlen(json), SP_SIGNER_SR25519, &wl, kp, info);
}

Test(keyfile, btwallet_fields_and_preference) {
  load_wordlist();
  sp_keypair kp, dev;
  sp_keyfile_info info;
  cr_assert_eq(sp_keypair_from_phrase(SP_SIGNER_SR25519, &wl, DEV_PHRASE, &dev),
               0);
  char priv[131], json[1024];
  hex_of(dev.secret, 64, priv);
  snprintf(json, sizeof json,
           "{\"accountId\":\"" DEV_PUB "\",\"publicKey\":\"" DEV_PUB
           "\",\"privateKey\":\"%s\",\"secretPhrase\":\"" DEV_PHRASE
           "\",\"secretSeed\":\"" DEV_SEED "\",\"ss58Address\":\"" DEV_SS58
           "\"}",
           priv);
  cr_assert_eq(parse(json, &kp, &info), 0);
  cr_assert_str_eq(info.source, "secretPhrase");
  cr_assert_eq(memcmp(kp.secret, dev.secret, 64), 0);
  /* Without the phrase: the seed; without the seed: the private key. */
  snprintf(json, sizeof json,
           "{\"secretSeed\":\"" DEV_SEED "\",\"privateKey\":\"%s\","
           "\"secretPhrase\":null}",
           priv);
  cr_assert_eq(parse(json, &kp, &info), 0);
  cr_assert_str_eq(info.source, "secretSeed");
  snprintf(json, sizeof json, "{\"privateKey\":\"%s\"}", priv + 2);
  cr_assert_eq(parse(json, &kp, &info), 0);
  cr_assert_str_eq(info.source, "privateKey");
  cr_assert_eq(memcmp(kp.public_key, dev.public_key, 32), 0);
  /* coldkeypub.txt: public fields only. */
  cr_assert_eq(parse("{\"ss58Address\":\"" DEV_SS58 "\"}", &kp, &info), 0);
  cr_assert(!kp.has_secret);
  cr_assert_eq(memcmp(kp.public_key, dev.public_key, 32), 0);
}

Test(keyfile, serialize_round_trips) {
  load_wordlist();
  sp_keypair dev, back;
  sp_keyfile_info info;
  cr_assert_eq(sp_keypair_from_phrase(SP_SIGNER_SR25519, &wl, DEV_PHRASE, &dev),
               0);
  char *json;
  size_t len;
  cr_assert_eq(sp_keyfile_serialize(&dev, false, &json, &len), 0);
  cr_assert_not_null(strstr(json, "\"secretPhrase\":\"" DEV_PHRASE "\""));
  cr_assert_not_null(strstr(json, "\"ss58Address\":\"" DEV_SS58 "\""));
  cr_assert_not_null(strstr(json, "\"secretSeed\":\"" DEV_SEED "\""));
  cr_assert_eq(
      sp_keyfile_parse(json, len, SP_SIGNER_SR25519, &wl, &back, &info), 0);
  cr_assert_eq(memcmp(back.secret, dev.secret, 64), 0);
  sp_keyfile_buffer_free(json, len);
  cr_assert_eq(sp_keyfile_serialize(&dev, true, &json, &len), 0);
  cr_assert_null(strstr(json, "secret"));
  cr_assert_null(strstr(json, "private"));
  sp_keyfile_buffer_free(json, len);
}

Test(keyfile, malformed_files_name_the_field) {
  load_wordlist();
  sp_keypair kp;
  sp_keyfile_info info;
  static const struct {
    const char *json;
    int rc;
    const char *field;
  } v[] = {
      {"", -SP_EKEYFILE_JSON, NULL},
      {"{\"secretSeed\": \"0x12", -SP_EKEYFILE_JSON, NULL},
      {"[\"secretSeed\"]", -SP_EKEYFILE_JSON, NULL},
      {"\"0x1234\"", -SP_EKEYFILE_JSON, NULL},
      {"{\"secretSeed\":\"" DEV_SEED "\",\"secretSeed\":\"" DEV_SEED "\"}",
       -SP_EKEYFILE_JSON, NULL},
      {"{}", -SP_EKEYFILE_NO_SECRET, NULL},
      {"{\"secretSeed\": 12}", -SP_EKEYFILE_FIELD, "secretSeed"},
      {"{\"secretPhrase\": [\"bottom\"]}", -SP_EKEYFILE_FIELD, "secretPhrase"},
      {"{\"secretSeed\":\"0xzz\"}", -SP_EKEYFILE_FIELD, "secretSeed"},
      {"{\"secretSeed\":\"0x1234\"}", -SP_EKEYFILE_FIELD, "secretSeed"},
      {"{\"privateKey\":\"" DEV_SEED "\"}", -SP_EKEYFILE_FIELD, "privateKey"},
      {"{\"privateKey\":\"0x" /* scalar >= l */
       "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
       "0000000000000000000000000000000000000000000000000000000000000000\"}",
       -SP_EBAD_SECRET, "privateKey"},
      {"{\"secretPhrase\":\"bottom drive obey\"}", -SP_EMNEMONIC_COUNT,
       "secretPhrase"},
      {"{\"secretPhrase\":\"drive bottom obey lake curtain smoke basket hold "
       "race lonely fit walk\"}",
       -SP_EMNEMONIC_CHECKSUM, "secretPhrase"},
      {"{\"secretSeed\":\"" DEV_SEED "\",\"publicKey\":true}",
       -SP_EKEYFILE_FIELD, "publicKey"},
      {"{\"secretSeed\":\"" DEV_SEED "\",\"publicKey\":\"0x"
       "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47b\"}",
       -SP_EKEYFILE_MISMATCH, "publicKey"},
      {"{\"secretSeed\":\"" DEV_SEED "\",\"ss58Address\":"
       "\"5DFJF7tY4bpbpcKPJcBTQaKuCDEPCpiz8TRjpmLeTtweqmXL\"}",
       -SP_EKEYFILE_MISMATCH, "ss58Address"},
      {"{\"ss58Address\":\"5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzW\"}",
       -SP_ESS58_CHECKSUM, "ss58Address"},
      {"{\"publicKey\":\"0xffffffffffffffffffffffffffffffffffffffffffffffffff"
       "ffffffffffffff\"}",
       -SP_EBAD_PUBLIC, "publicKey"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    int rc = sp_keyfile_parse(v[i].json, strlen(v[i].json), SP_SIGNER_SR25519,
                              &wl, &kp, &info);
    cr_assert_eq(rc, v[i].rc, "case %zu: got %d (%s)", i, rc, sp_strerror(rc));
    if (v[i].field != NULL)
      cr_assert(info.field != NULL && strcmp(info.field, v[i].field) == 0,
                "case %zu: field %s", i, info.field ? info.field : "(null)");
    cr_assert(!kp.has_secret, "case %zu left a key", i);
  }
}

/* Argon2i with small limits: the format's error paths, quickly. */
#define FAST_OPS crypto_pwhash_argon2i_OPSLIMIT_MIN
#define FAST_MEM (8192u * 1024u)

Test(keyfile, nacl_format_error_paths_fast_limits) {
  const char *plain = "{\"secretSeed\":\"" DEV_SEED "\"}";
  uint8_t *enc, *dec;
  size_t elen, dlen;
  cr_assert_eq(sp_keyfile_encrypt_with_limits((const uint8_t *)plain,
                                              strlen(plain), "pw", FAST_OPS,
                                              FAST_MEM, &enc, &elen),
               0);
  cr_assert(sp_keyfile_is_encrypted(enc, elen));
  cr_assert_eq(elen, 5 + 24 + 16 + strlen(plain));
  cr_assert_eq(sp_keyfile_decrypt_with_limits(enc, elen, "pw", FAST_OPS,
                                              FAST_MEM, &dec, &dlen),
               0);
  cr_assert_eq(dlen, strlen(plain));
  cr_assert_eq(memcmp(dec, plain, dlen), 0);
  sp_keyfile_buffer_free(dec, dlen + 1);
  cr_assert_eq(sp_keyfile_decrypt_with_limits(enc, elen, "Pw", FAST_OPS,
                                              FAST_MEM, &dec, &dlen),
               -SP_EDECRYPT);
  /* Any altered byte of nonce, tag or ciphertext. */
  for (size_t at = 5; at < elen; at += 7) {
    enc[at] ^= 0x10;
    cr_assert_eq(sp_keyfile_decrypt_with_limits(enc, elen, "pw", FAST_OPS,
                                                FAST_MEM, &dec, &dlen),
                 -SP_EDECRYPT, "byte %zu", at);
    enc[at] ^= 0x10;
  }
  /* Truncated below nonce + tag, and not $NACL at all. */
  cr_assert_eq(sp_keyfile_decrypt_with_limits(enc, 5 + 24 + 15, "pw", FAST_OPS,
                                              FAST_MEM, &dec, &dlen),
               -SP_EENCRYPTED_FORMAT);
  cr_assert_eq(sp_keyfile_decrypt_with_limits((const uint8_t *)"$NAC", 4, "pw",
                                              FAST_OPS, FAST_MEM, &dec, &dlen),
               -SP_EENCRYPTED_FORMAT);
  /* Truncated ciphertext (tag intact but data short): the MAC fails. */
  cr_assert_eq(sp_keyfile_decrypt_with_limits(enc, elen - 3, "pw", FAST_OPS,
                                              FAST_MEM, &dec, &dlen),
               -SP_EDECRYPT);
  sp_keyfile_buffer_free(enc, elen);
}

/* A file made by PyNaCl the way bittensor's Python wallet did it
 * (regress/data/make_nacl_keyfile.py), decrypted with the real SENSITIVE
 * limits: one Argon2i run of about 3 s and 512 MiB. */
Test(keyfile, decrypts_a_pynacl_file, .timeout = 120) {
  load_wordlist();
  sp_password_source pw = {.value = "subpow-test"};
  sp_keypair kp;
  sp_keyfile_info info;
  const char *path = SUBPOW_SOURCE_DIR "/regress/data/nacl_keyfile_pynacl.bin";
  int rc = sp_keyfile_load(path, SP_SIGNER_SR25519, &pw, &wl, &kp, &info);
  cr_assert_eq(rc, 0, "%s", sp_strerror(rc));
  cr_assert(info.encrypted);
  cr_assert_str_eq(info.source, "secretPhrase");
  char addr[SP_SS58_ADDRESS_MAX];
  cr_assert_eq(sp_keypair_ss58(&kp, 42, addr, sizeof addr), 0);
  cr_assert_str_eq(addr, DEV_SS58);
  /* Without a password source it says so before any Argon2 work. */
  cr_assert_eq(sp_keyfile_load(path, SP_SIGNER_SR25519, NULL, &wl, &kp, &info),
               -SP_ENO_PASSWORD);
}

Test(keyfile, files_permissions_and_unsupported_encodings) {
  load_wordlist();
  char dir[64], path[128];
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/key", dir);
  cr_assert_eq(sp_keyfile_write(
                   path, (const uint8_t *)"{\"secretSeed\":\"" DEV_SEED "\"}",
                   strlen("{\"secretSeed\":\"" DEV_SEED "\"}")),
               0);
  struct stat st;
  cr_assert_eq(stat(path, &st), 0);
  cr_assert_eq(st.st_mode & 0777, 0600);
  cr_assert_eq(sp_keyfile_write(path, (const uint8_t *)"x", 1), -SP_EEXISTS);
  sp_keypair kp;
  sp_keyfile_info info;
  cr_assert_eq(sp_keyfile_load(path, SP_SIGNER_SR25519, NULL, &wl, &kp, &info),
               0);
  cr_assert(!info.loose_permissions);
  cr_assert(!info.encrypted);
  chmod(path, 0644);
  cr_assert_eq(sp_keyfile_load(path, SP_SIGNER_SR25519, NULL, &wl, &kp, &info),
               0);
  cr_assert(info.loose_permissions);
  cr_assert_eq(info.mode, 0644);

  snprintf(path, sizeof path, "%s/vault", dir);
  write_text(path, "$ANSIBLE_VAULT;1.1;AES256\n6162\n", 0600);
  cr_assert_eq(sp_keyfile_load(path, SP_SIGNER_SR25519, NULL, &wl, &kp, &info),
               -SP_EUNSUPPORTED);
  snprintf(path, sizeof path, "%s/truncated", dir);
  write_text(path, "$NACL0123456789", 0600);
  sp_password_source pw = {.value = "x"};
  cr_assert_eq(sp_keyfile_load(path, SP_SIGNER_SR25519, &pw, &wl, &kp, &info),
               -SP_EENCRYPTED_FORMAT);
  cr_assert_eq(sp_keyfile_load(dir, SP_SIGNER_SR25519, NULL, &wl, &kp, &info),
               -SP_ENOT_REGULAR);
  snprintf(path, sizeof path, "%s/absent", dir);
  cr_assert_eq(sp_keyfile_load(path, SP_SIGNER_SR25519, NULL, &wl, &kp, &info),
               -SP_ENOT_FOUND);
}

/* ----------------------------------------------------------- wallets ---- */

Test(wallet, paths_follow_btwallet) {
  sp_wallet w;
  setenv("HOME", "/home/u", 1);
  cr_assert_eq(sp_wallet_init(&w, NULL, NULL, NULL), 0);
  cr_assert_str_eq(w.coldkey_path,
                   "/home/u/.bittensor/wallets/default/coldkey");
  cr_assert_str_eq(w.coldkeypub_path,
                   "/home/u/.bittensor/wallets/default/coldkeypub.txt");
  cr_assert_str_eq(w.hotkey_path,
                   "/home/u/.bittensor/wallets/default/hotkeys/default");
  cr_assert_eq(sp_wallet_init(&w, "/w/", "mine", "h1"), 0);
  cr_assert_str_eq(w.hotkey_path, "/w/mine/hotkeys/h1");
  cr_assert_eq(sp_wallet_init(&w, "/w", "a/b", NULL), -SP_EINVAL);
  cr_assert_eq(sp_wallet_init(&w, "/w", "..", NULL), -SP_EINVAL);
  cr_assert_eq(sp_wallet_init(&w, "/w", NULL, ""), -SP_EINVAL);
  cr_assert_eq(sp_wallet_init(&w, "", NULL, NULL), -SP_EINVAL);
  unsetenv("HOME");
  cr_assert_eq(sp_wallet_init(&w, "~/x", NULL, NULL), -SP_EINVAL);
}

Test(wallet, create_without_password_then_sign) {
  load_wordlist();
  char dir[64], path[160];
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/wallets", dir);
  sp_wallet w;
  cr_assert_eq(sp_wallet_init(&w, path, "w1", "h1"), 0);
  sp_wallet_create_options o = {.password = NULL, .wl = &wl};
  sp_wallet_created made;
  cr_assert_eq(sp_wallet_create(&w, &o, &made), 0);
  cr_assert(made.coldkey && made.hotkey);
  struct stat st;
  cr_assert_eq(stat(w.dir, &st), 0);
  cr_assert_eq(st.st_mode & 0777, 0700);
  const sp_wallet_key keys[] = {SP_WALLET_HOTKEY, SP_WALLET_COLDKEY,
                                SP_WALLET_COLDKEYPUB};
  for (int i = 0; i < 3; i++) {
    cr_assert_eq(stat(sp_wallet_path(&w, keys[i]), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "%s", sp_wallet_key_name(keys[i]));
  }
  char cold[SP_SS58_ADDRESS_MAX], hot[SP_SS58_ADDRESS_MAX];
  sp_keyfile_info info;
  cr_assert_eq(
      sp_wallet_address(&w, SP_WALLET_COLDKEY, NULL, cold, NULL, &info), 0);
  cr_assert_str_eq(cold, made.coldkey_ss58);
  cr_assert_eq(sp_wallet_address(&w, SP_WALLET_HOTKEY, NULL, hot, NULL, &info),
               0);
  cr_assert_str_eq(hot, made.hotkey_ss58);
  cr_assert_str_neq(hot, cold);

  /* Both keys sign through sp_signer; signatures verify by the address. */
  for (int i = 0; i < 2; i++) {
    sp_signer s;
    uint8_t sig[64], acc[32];
    cr_assert_eq(sp_wallet_open_signer(&w, keys[i], NULL, &s, &info), 0);
    cr_assert_eq(s.scheme, SP_SIGNER_SR25519);
    cr_assert_eq(s.sign(s.ctx, (const uint8_t *)"abc", 3, sig), 0);
    cr_assert_eq(sp_ss58_decode(i == 0 ? hot : cold, acc, NULL), 0);
    cr_assert_eq(memcmp(acc, s.public_key, 32), 0);
    cr_assert_eq(
        sp_sr25519_verify(acc, "substrate", (const uint8_t *)"abc", 3, sig), 0);
    sp_wallet_close_signer(&s);
    cr_assert_null(s.ctx);
  }
  sp_signer s;
  cr_assert_eq(sp_wallet_open_signer(&w, SP_WALLET_COLDKEYPUB, NULL, &s, &info),
               -SP_EINVAL);

  /* A second create only adds a missing hotkey; with nothing missing it
   * refuses. */
  cr_assert_eq(sp_wallet_create(&w, &o, &made), -SP_EEXISTS);
  sp_wallet w2;
  cr_assert_eq(sp_wallet_init(&w2, path, "w1", "h2"), 0);
  cr_assert_eq(sp_wallet_create(&w2, &o, &made), 0);
  cr_assert(!made.coldkey && made.hotkey);
  cr_assert_str_eq(made.coldkey_ss58, cold);
  /* coldkeypub.txt without a coldkey is not overwritten. */
  unlink(w.coldkey_path);
  cr_assert_eq(sp_wallet_create(&w, &o, &made), -SP_EEXISTS);
}

/* --------------------------------------------------------- passwords ---- */

Test(password, sources_in_order) {
  char dir[64], path[128], buf[32];
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/pw", dir);
  write_text(path, "from file\r\nsecond line\n", 0600);
  setenv("SUBPOW_TEST_PW", "from env", 1);
  sp_password_source all = {
      .value = "given", .file = path, .env_name = "SUBPOW_TEST_PW"};
  cr_assert_eq(sp_password_get(&all, NULL, buf, sizeof buf), 0);
  cr_assert_str_eq(buf, "given");
  all.value = NULL;
  cr_assert_eq(sp_password_get(&all, NULL, buf, sizeof buf), 0);
  cr_assert_str_eq(buf, "from file");
  all.file = NULL;
  cr_assert_eq(sp_password_get(&all, NULL, buf, sizeof buf), 0);
  cr_assert_str_eq(buf, "from env");
  /* taken out of the environment once read (password.h), kept for the
   * process */
  cr_assert_null(getenv("SUBPOW_TEST_PW"));
  cr_assert_eq(sp_password_get(&all, NULL, buf, sizeof buf), 0);
  cr_assert_str_eq(buf, "from env");
  all.env_name = "SUBPOW_TEST_PW_UNSET";
  unsetenv("SUBPOW_TEST_PW_UNSET");
  cr_assert_eq(sp_password_get(&all, NULL, buf, sizeof buf), -SP_ENO_PASSWORD);
  cr_assert_eq(sp_password_get(NULL, NULL, buf, sizeof buf), -SP_ENO_PASSWORD);
  /* An empty file is the empty password; a missing one is an error. */
  write_text(path, "", 0600);
  sp_password_source f = {.file = path};
  cr_assert_eq(sp_password_get(&f, NULL, buf, sizeof buf), 0);
  cr_assert_str_empty(buf);
  f.file = "/nonexistent/pw";
  cr_assert_eq(sp_password_get(&f, NULL, buf, sizeof buf), -SP_ENOT_FOUND);
  /* Longer than the buffer. */
  write_text(path, "0123456789012345678901234567890123456789\n", 0600);
  f.file = path;
  cr_assert_eq(sp_password_get(&f, NULL, buf, sizeof buf), -SP_EPASSWORD);
  sp_password_source v = {.value = "0123456789012345678901234567890123456789"};
  cr_assert_eq(sp_password_get(&v, NULL, buf, sizeof buf), -SP_EPASSWORD);
}

/* A key file read as ed25519 (btwallet writes sr25519 only; an ed25519 file
 * uses the same fields, privateKey being seed || public). */
Test(keyfile, ed25519_key_files) {
  load_wordlist();
  sp_keypair kp, back;
  sp_keyfile_info info;
  const char *json = "{\"secretSeed\":\"" DEV_SEED "\"}";
  cr_assert_eq(
      sp_keyfile_parse(json, strlen(json), SP_SIGNER_ED25519, &wl, &kp, &info),
      0);
  char hex[67];
  hex_of(kp.public_key, 32, hex);
  cr_assert_str_eq(
      hex,
      "0x345071da55e5dccefaaa440339415ef9f2663338a38f7da0df21be5ab4e055ef");
  char *text, priv[140], only[200];
  size_t len;
  cr_assert_eq(sp_keyfile_serialize(&kp, false, &text, &len), 0);
  cr_assert_not_null(strstr(
      text,
      "\"ss58Address\":\"5DFJF7tY4bpbpcKPJcBTQaKuCDEPCpiz8TRjpmLeTtweqmXL\""));
  const char *p = strstr(text, "\"privateKey\":\"");
  cr_assert_not_null(p);
  snprintf(priv, sizeof priv, "%.130s", p + 14);
  sp_keyfile_buffer_free(text, len);
  snprintf(only, sizeof only, "{\"privateKey\":\"%s\"}", priv);
  cr_assert_eq(sp_keyfile_parse(only, strlen(only), SP_SIGNER_ED25519, &wl,
                                &back, &info),
               0);
  cr_assert_eq(memcmp(back.public_key, kp.public_key, 32), 0);
  sp_signer s;
  uint8_t sig[64];
  cr_assert_eq(sp_keypair_signer(&back, &s), 0);
  cr_assert_eq(s.scheme, SP_SIGNER_ED25519);
  cr_assert_eq(s.sign(s.ctx, (const uint8_t *)"m", 1, sig), 0);
  cr_assert_eq(sp_signature_verify(SP_SIGNER_ED25519, kp.public_key,
                                   (const uint8_t *)"m", 1, sig),
               0);
}
