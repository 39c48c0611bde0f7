/* sr25519 (schnorrkel), its Merlin/Strobe transcripts, ed25519, base58 and
 * SS58, against vectors published by the implementations Substrate uses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "chain/keys/base58.h"
#include "chain/keys/ed25519.h"
#include "chain/keys/merlin.h"
#include "chain/keys/sr25519.h"
#include "chain/keys/ss58.h"
#include "common/error.h"
#include "reference/reference.h"

static void unhex(const char *hex, uint8_t *out, size_t n) {
  size_t got = 0;
  cr_assert_eq(sp_hex_decode(hex, n, out, n, &got), 0, "bad vector %s", hex);
}

static void assert_bytes(const uint8_t *got, const char *want_hex, size_t n) {
  char hex[2 * 256 + 1];
  sp_hex_encode(got, n, hex);
  cr_assert_str_eq(hex, want_hex);
}

/* merlin src/transcript.rs `equivalence_simple`; the expected challenge is
 * the one libmerlin and firedancer's fd_merlin test against. */
Test(merlin, simple_transcript_vector) {
  sp_merlin t;
  uint8_t ch[32];
  sp_merlin_init(&t, "test protocol");
  sp_merlin_append(&t, "some label", (const uint8_t *)"some data", 9);
  sp_merlin_challenge(&t, "challenge", ch, 32);
  assert_bytes(
      ch, "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615",
      32);
}

/* The witness RNG depends on the transcript, the witness and the external
 * randomness, and not on anything else (merlin's
 * transcript_rng_is_bound_to_transcript_and_witnesses). */
Test(merlin, witness_rng_is_bound_to_its_inputs) {
  sp_merlin a, b;
  sp_merlin_init(&a, "p");
  sp_merlin_init(&b, "p");
  sp_merlin_append(&a, "com", (const uint8_t *)"c1", 2);
  sp_merlin_append(&b, "com", (const uint8_t *)"c2", 2);
  const uint8_t *w1[1] = {(const uint8_t *)"w1"},
                *w2[1] = {(const uint8_t *)"w2"};
  const size_t wl[1] = {2};
  uint8_t rnd[32] = {0}, o1[32], o2[32], o3[32], o4[32];
  sp_merlin_witness_bytes(&a, "witness", w1, wl, 1, rnd, o1, 32);
  sp_merlin_witness_bytes(&b, "witness", w1, wl, 1, rnd, o2, 32);
  sp_merlin_witness_bytes(&b, "witness", w2, wl, 1, rnd, o3, 32);
  sp_merlin_witness_bytes(&b, "witness", w2, wl, 1, rnd, o4, 32);
  cr_assert_neq(memcmp(o1, o2, 32), 0);
  cr_assert_neq(memcmp(o2, o3, 32), 0);
  cr_assert_eq(memcmp(o3, o4, 32), 0);
  rnd[0] = 1;
  sp_merlin_witness_bytes(&b, "witness", w2, wl, 1, rnd, o4, 32);
  cr_assert_neq(memcmp(o3, o4, 32), 0);
}

/* The Substrate dev seed (mini secret of "bottom drive obey lake curtain
 * smoke basket hold race lonely fit walk"). Public key: sp-core, subkey and
 * polkadot-js all print 46ebddef...; the expanded form
 * 28b0ae...eb51 || fd190cce... (clamped SHA-512 || nonce) is schnorrkel's
 * own `from_ed25519_bytes` doc-test for this public key. */
Test(sr25519, dev_seed_expands_like_schnorrkel) {
  uint8_t mini[32], secret[64], pub[32];
  unhex("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
        mini, 32);
  cr_assert_eq(sp_sr25519_from_mini_secret(mini, secret, pub), 0);
  assert_bytes(
      pub, "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
      32);
  assert_bytes(
      secret + 32,
      "fd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34", 32);
  /* key * 8 is the clamped half of the SHA-512. */
  uint8_t times8[32];
  unsigned carry = 0;
  for (int i = 0; i < 32; i++) {
    unsigned v = (unsigned)secret[i] * 8 + carry;
    times8[i] = (uint8_t)v;
    carry = v >> 8;
  }
  cr_assert_eq(carry, 0);
  assert_bytes(
      times8,
      "28b0ae221c6bb06856b287f60d7ea0d98552ea5a16db16956849aa371db3eb51", 32);
  uint8_t pub2[32];
  cr_assert_eq(sp_sr25519_public_from_secret(secret, pub2), 0);
  cr_assert_eq(memcmp(pub, pub2, 32), 0);
}

/* Mini secret -> public pairs asserted by sp-core `Pair::from_seed` tests
 * (found in public Substrate projects), and the signatures those tests
 * printed next to them: signatures made by schnorrkel itself, verified here.
 * (Other copies of that test changed the message but kept an older printed
 * signature; only pairs whose comment matches the message are used.) */
static const struct {
  const char *seed, *pub, *msg, *sig;
} sp_core_vectors[] = {
    {"5cb9063bc28a07f7444dbb29b6fc15b802b141a4e7dd5c932f2981be69e127e7",
     "9c4189297ad2140c85861f64656d1d1318994599130d98b75ff094176d2ca31e",
     "46094babab45e2fd5265b2aab02c9342fe0ca1a5aacd455d3bc8a2ac99dce8fd",
     "d25232bef5133781d97d5f8bf6c3ef9c51be5cf0f2f325b8b38d7fb7f1b7d178776fa8348"
     "de"
     "900fb4697547dbaad5e8c99095c38186addadb4a515169525e787"},
    {"7caadbb21966e5e268945005488a3c9be64a37b949d4691a367e477ed9e57995",
     "26db25c52b007221331a844e5335e59874e45b03e81c3d76ff007377c2c17965",
     "26db25c52b007221331a844e5335e59874e45b03e81c3d76ff007377c2c17965",
     "94986e713df3303e9f6e7e04b764bac73ab4cc57752e5bd9b2f238ffdc8d4b4ddb68d9095"
     "cf"
     "0cc6b33ba90a6b3c716631b1d6b4504c5b03e496cf354d348a887"},
};

Test(sr25519, sp_core_vectors) {
  for (size_t i = 0; i < sizeof sp_core_vectors / sizeof sp_core_vectors[0];
       i++) {
    uint8_t mini[32], secret[64], pub[32], msg[32], sig[64];
    unhex(sp_core_vectors[i].seed, mini, 32);
    unhex(sp_core_vectors[i].msg, msg, 32);
    unhex(sp_core_vectors[i].sig, sig, 64);
    cr_assert_eq(sp_sr25519_from_mini_secret(mini, secret, pub), 0);
    assert_bytes(pub, sp_core_vectors[i].pub, 32);
    cr_assert_eq(sp_sr25519_verify(pub, "substrate", msg, 32, sig), 0,
                 "vector %zu", i);
    msg[0] ^= 1;
    cr_assert_eq(sp_sr25519_verify(pub, "substrate", msg, 32, sig),
                 -SP_EBAD_SIGNATURE);
  }
}

/* A signature from polkadot-js (a test of logion-network's backend, whose
 * polkadot-js signatureVerify accepts it for this address and message). */
Test(sr25519, polkadot_js_signature) {
  uint8_t pub[32], sig[64];
  cr_assert_eq(
      sp_ss58_decode("5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR", pub,
                     NULL),
      0);
  unhex(
      "22f91b41ba12f8663ddce26bfc90dbfe6a51683fd3782ad679ab2a5fdbe7d44c2a119f22"
      "c74eea22555e5483eb7f42b828f189a38379d59c3b607d2461f0858e",
      sig, 64);
  const char *m = "test message\n";
  cr_assert_eq(
      sp_sr25519_verify(pub, "substrate", (const uint8_t *)m, strlen(m), sig),
      0);
  cr_assert_eq(sp_sr25519_verify(pub, "substrate", (const uint8_t *)m,
                                 strlen(m) - 1, sig),
               -SP_EBAD_SIGNATURE);
}

static void dev_keypair(uint8_t secret[64], uint8_t pub[32]) {
  uint8_t mini[32];
  unhex("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
        mini, 32);
  cr_assert_eq(sp_sr25519_from_mini_secret(mini, secret, pub), 0);
}

Test(sr25519, sign_verify_round_trip_and_tampering) {
  uint8_t secret[64], pub[32], sig[64], sig2[64];
  dev_keypair(secret, pub);
  /* Lengths around the Strobe rate (166) and a long message. */
  static uint8_t msg[1000];
  for (size_t i = 0; i < sizeof msg; i++)
    msg[i] = (uint8_t)(i * 7 + 3);
  const size_t lens[] = {0, 1, 32, 165, 166, 167, 256, 1000};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    cr_assert_eq(sp_sr25519_sign(secret, pub, "substrate", msg, lens[i], sig),
                 0);
    cr_assert_eq(sig[63] & 0x80, 0x80, "schnorrkel marker bit");
    cr_assert_eq(sp_sr25519_verify(pub, "substrate", msg, lens[i], sig), 0,
                 "len %zu", lens[i]);
    cr_assert_eq(sp_sr25519_verify(pub, "other", msg, lens[i], sig),
                 -SP_EBAD_SIGNATURE);
    if (lens[i] > 0) {
      msg[lens[i] - 1] ^= 0x40;
      cr_assert_eq(sp_sr25519_verify(pub, "substrate", msg, lens[i], sig),
                   -SP_EBAD_SIGNATURE);
      msg[lens[i] - 1] ^= 0x40;
    }
    for (int bit = 0; bit < 512; bit += 37) {
      memcpy(sig2, sig, 64);
      sig2[bit / 8] ^= (uint8_t)(1 << (bit % 8));
      cr_assert_neq(sp_sr25519_verify(pub, "substrate", msg, lens[i], sig2), 0,
                    "flipped bit %d", bit);
    }
  }
  /* Randomized: two signatures differ; both verify. */
  cr_assert_eq(sp_sr25519_sign(secret, pub, "substrate", msg, 10, sig), 0);
  cr_assert_eq(sp_sr25519_sign(secret, pub, "substrate", msg, 10, sig2), 0);
  cr_assert_neq(memcmp(sig, sig2, 64), 0);
  cr_assert_eq(sp_sr25519_verify(pub, "substrate", msg, 10, sig2), 0);
}

Test(sr25519, fixed_randomness_is_reproducible) {
  uint8_t secret[64], pub[32], sig[64], sig2[64], rnd[32] = {7};
  dev_keypair(secret, pub);
  cr_assert_eq(sp_sr25519_sign_with_randomness(
                   secret, pub, "substrate", (const uint8_t *)"m", 1, rnd, sig),
               0);
  cr_assert_eq(sp_sr25519_sign_with_randomness(secret, pub, "substrate",
                                               (const uint8_t *)"m", 1, rnd,
                                               sig2),
               0);
  cr_assert_eq(memcmp(sig, sig2, 64), 0);
  rnd[31] = 1;
  cr_assert_eq(sp_sr25519_sign_with_randomness(secret, pub, "substrate",
                                               (const uint8_t *)"m", 1, rnd,
                                               sig2),
               0);
  cr_assert_neq(memcmp(sig, sig2, 64), 0);
}

Test(sr25519, malformed_inputs) {
  uint8_t secret[64], pub[32], sig[64];
  dev_keypair(secret, pub);
  cr_assert_eq(
      sp_sr25519_sign(secret, pub, "substrate", (const uint8_t *)"x", 1, sig),
      0);
  /* Without schnorrkel's marker the signature is refused (it could be ed25519).
   */
  sig[63] &= 0x7f;
  cr_assert_eq(
      sp_sr25519_verify(pub, "substrate", (const uint8_t *)"x", 1, sig),
      -SP_EBAD_SIGNATURE);
  /* s = l + s' (non-canonical) is refused even though it is s' mod l. */
  memset(sig + 32, 0xff, 32);
  cr_assert_eq(
      sp_sr25519_verify(pub, "substrate", (const uint8_t *)"x", 1, sig),
      -SP_EBAD_SIGNATURE);
  /* A public key that is not a ristretto encoding. */
  uint8_t bad[32];
  memset(bad, 0xff, 32);
  cr_assert_eq(
      sp_sr25519_verify(bad, "substrate", (const uint8_t *)"x", 1, sig),
      -SP_EBAD_PUBLIC);
  /* A secret key whose scalar is not below the group order. */
  uint8_t big[64];
  memset(big, 0xff, 64);
  cr_assert_eq(sp_sr25519_public_from_secret(big, pub), -SP_EBAD_SECRET);
  cr_assert_eq(
      sp_sr25519_sign(big, pub, "substrate", (const uint8_t *)"x", 1, sig),
      -SP_EBAD_SECRET);
  memset(big, 0, 64);
  cr_assert_eq(sp_sr25519_public_from_secret(big, pub), -SP_EBAD_SECRET);
}

/* RFC 8032 section 7.1, TEST 1 and TEST 2. */
Test(ed25519, rfc8032_vectors) {
  uint8_t seed[32], pub[32], sig[64];
  unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        seed, 32);
  cr_assert_eq(sp_ed25519_public_from_seed(seed, pub), 0);
  assert_bytes(
      pub, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      32);
  cr_assert_eq(sp_ed25519_sign(seed, NULL, 0, sig), 0);
  assert_bytes(
      sig,
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
      64);
  cr_assert_eq(sp_ed25519_verify(pub, NULL, 0, sig), 0);
  unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        seed, 32);
  uint8_t m = 0x72;
  cr_assert_eq(sp_ed25519_public_from_seed(seed, pub), 0);
  assert_bytes(
      pub, "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      32);
  cr_assert_eq(sp_ed25519_sign(seed, &m, 1, sig), 0);
  assert_bytes(
      sig,
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
      "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
      64);
  cr_assert_eq(sp_ed25519_verify(pub, &m, 1, sig), 0);
  m ^= 1;
  cr_assert_eq(sp_ed25519_verify(pub, &m, 1, sig), -SP_EBAD_SIGNATURE);
  m ^= 1;
  sig[5] ^= 1;
  cr_assert_eq(sp_ed25519_verify(pub, &m, 1, sig), -SP_EBAD_SIGNATURE);
}

/* The dev seed as an ed25519 key: subkey inspect --scheme ed25519 of the dev
 * phrase prints this public key and address. */
Test(ed25519, dev_seed) {
  uint8_t seed[32], pub[32];
  char addr[SP_SS58_ADDRESS_MAX];
  unhex("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
        seed, 32);
  cr_assert_eq(sp_ed25519_public_from_seed(seed, pub), 0);
  assert_bytes(
      pub, "345071da55e5dccefaaa440339415ef9f2663338a38f7da0df21be5ab4e055ef",
      32);
  cr_assert_eq(sp_ss58_encode(pub, 42, addr, sizeof addr), 0);
  cr_assert_str_eq(addr, "5DFJF7tY4bpbpcKPJcBTQaKuCDEPCpiz8TRjpmLeTtweqmXL");
}

/* Bitcoin's base58 test vectors (src/test/data/base58_encode_decode.json). */
Test(base58, vectors) {
  static const struct {
    const char *hex, *b58;
  } v[] = {
      {"61", "2g"},
      {"626262", "a3gV"},
      {"636363", "aPEr"},
      {"73696d706c792061206c6f6e6720737472696e67",
       "2cFupjhnEsSn59qHXstmK2ffpLv2"},
      {"00eb15231dfceb60925886b67d065299925915aeb172c06647",
       "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
      {"516b6fcd0f", "ABnLTmg"},
      {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
      {"572e4794", "3EFU7m"},
      {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
      {"10c8511e", "Rt5zm"},
      {"00000000000000000000", "1111111111"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint8_t bytes[64], back[64];
    size_t n = strlen(v[i].hex) / 2, got = 0;
    unhex(v[i].hex, bytes, n);
    char text[128];
    cr_assert_geq(sp_base58_encode(bytes, n, text, sizeof text), 0);
    cr_assert_str_eq(text, v[i].b58);
    cr_assert_eq(sp_base58_decode(v[i].b58, back, sizeof back, &got), 0);
    cr_assert_eq(got, n);
    cr_assert_eq(memcmp(back, bytes, n), 0);
  }
  uint8_t out[8];
  size_t got;
  cr_assert_eq(sp_base58_decode("", out, sizeof out, &got), -SP_EBASE58);
  cr_assert_eq(sp_base58_decode("abc0", out, sizeof out, &got), -SP_EBASE58);
  cr_assert_eq(sp_base58_decode("abIl", out, sizeof out, &got), -SP_EBASE58);
  cr_assert_eq(sp_base58_decode("ab c", out, sizeof out, &got), -SP_EBASE58);
  cr_assert_eq(sp_base58_decode("zzzzzzzzzzzzzzzz", out, sizeof out, &got),
               -SP_ERANGE);
  char small[3];
  cr_assert_eq(sp_base58_encode((const uint8_t *)"abc", 3, small, sizeof small),
               -SP_ERANGE);
}

/* The dev account's address under prefixes 42 (subkey prints it), and a
 * polkadot (0) and kusama (2) address of the same account (those are in the
 * interop test too). */
Test(ss58, dev_account_prefix_42) {
  uint8_t pub[32], back[32];
  uint16_t prefix = 0;
  char addr[SP_SS58_ADDRESS_MAX];
  unhex("46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a", pub,
        32);
  cr_assert_eq(sp_ss58_encode(pub, SP_SS58_DEFAULT_PREFIX, addr, sizeof addr),
               0);
  cr_assert_str_eq(addr, "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
  cr_assert_eq(sp_ss58_decode(addr, back, &prefix), 0);
  cr_assert_eq(prefix, 42);
  cr_assert_eq(memcmp(back, pub, 32), 0);
}

Test(ss58, every_prefix_form_round_trips) {
  uint8_t pub[32], back[32];
  for (int i = 0; i < 32; i++)
    pub[i] = (uint8_t)(i * 13 + 1);
  const uint16_t prefixes[] = {0, 1, 2, 42, 63, 64, 65, 255, 256, 1000, 16383};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    char addr[SP_SS58_ADDRESS_MAX];
    uint16_t prefix = 0xffff;
    cr_assert_eq(sp_ss58_encode(pub, prefixes[i], addr, sizeof addr), 0);
    cr_assert_eq(sp_ss58_decode(addr, back, &prefix), 0, "prefix %u",
                 prefixes[i]);
    cr_assert_eq(prefix, prefixes[i]);
    cr_assert_eq(memcmp(back, pub, 32), 0);
  }
  char addr[SP_SS58_ADDRESS_MAX];
  cr_assert_eq(sp_ss58_encode(pub, 16384, addr, sizeof addr), -SP_ERANGE);
  cr_assert_eq(sp_ss58_encode(pub, 42, addr, 10), -SP_ERANGE);
}

Test(ss58, garbage_is_refused_clearly) {
  uint8_t acc[32];
  const char *good = "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV";
  char bad[64];
  /* One character changed: the checksum catches it. */
  strcpy(bad, good);
  bad[10] = bad[10] == 'a' ? 'b' : 'a';
  cr_assert_eq(sp_ss58_decode(bad, acc, NULL), -SP_ESS58_CHECKSUM);
  /* Truncated by one character (base58 shifts every byte, so the first byte
   * may fall in the reserved range), by ten, and extended. */
  strcpy(bad, good);
  bad[strlen(bad) - 1] = '\0';
  int rc = sp_ss58_decode(bad, acc, NULL);
  cr_assert(rc == -SP_ESS58_LENGTH || rc == -SP_ESS58_PREFIX ||
                rc == -SP_ESS58_CHECKSUM,
            "rc %d", rc);
  bad[strlen(bad) - 9] = '\0';
  cr_assert_eq(sp_ss58_decode(bad, acc, NULL), -SP_ESS58_LENGTH);
  snprintf(bad, sizeof bad, "%s1", good);
  cr_assert_eq(sp_ss58_decode(bad, acc, NULL), -SP_ESS58_LENGTH);
  cr_assert_eq(sp_ss58_decode("", acc, NULL), -SP_EBASE58);
  cr_assert_eq(sp_ss58_decode("0x46ebddef", acc, NULL), -SP_EBASE58);
  cr_assert_eq(sp_ss58_decode("5DfhGyQd FobKM8", acc, NULL), -SP_EBASE58);
  /* A first byte in the reserved range 128..255. */
  uint8_t raw[36] = {0x80};
  char enc[80];
  cr_assert_geq(sp_base58_encode(raw, sizeof raw, enc, sizeof enc), 0);
  cr_assert_eq(sp_ss58_decode(enc, acc, NULL), -SP_ESS58_PREFIX);
  /* Very long input. */
  char lng[400];
  memset(lng, 'z', sizeof lng - 1);
  lng[sizeof lng - 1] = '\0';
  cr_assert_eq(sp_ss58_decode(lng, acc, NULL), -SP_ESS58_LENGTH);
}
