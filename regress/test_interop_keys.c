/* Our keys against an independent implementation: polkadot-js
 * (@polkadot/util-crypto, @polkadot/keyring) through
 * regress/interop-keys/check.mjs. Same seed -> same sr25519 and ed25519
 * public keys and SS58 addresses under several prefixes; same phrase -> same
 * mini secret; our signatures verify there, theirs verify here.
 *
 * Needs node and npm; installs the pinned packages (package-lock.json) into
 * regress/interop-keys/node_modules with `npm ci`. Skips, saying why, when
 * node or npm is missing or npm cannot install (no registry). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain/keys/bip39.h"
#include "chain/keys/ed25519.h"
#include "chain/keys/keypair.h"
#include "chain/keys/sr25519.h"
#include "chain/keys/ss58.h"
#include "common/error.h"
#include "reference/reference.h"
#include "regress/support/run_command.h"

#define INTEROP_DIR SUBPOW_SOURCE_DIR "/regress/interop-keys"
#define RANDOM_SEED 0x5eed1e55u
#define N_SEEDS 6

static uint64_t rng_state = RANDOM_SEED;
static uint64_t splitmix64(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}
static void random_bytes(uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    b[i] = (uint8_t)splitmix64();
}

static char *hex0x(const uint8_t *b, size_t n) {
  char *s = malloc(2 * n + 3);
  cr_assert_not_null(s);
  s[0] = '0';
  s[1] = 'x';
  sp_hex_encode(b, n, s + 2);
  return s;
}

static json_t *jhex(const uint8_t *b, size_t n) {
  char *s = hex0x(b, n);
  json_t *j = json_string(s);
  free(s);
  return j;
}

static int sh(const char *script, sp_run_result *r) {
  char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
  cr_assert_eq(sp_run(argv, NULL, r), 0);
  return r->status;
}

/* node_modules is current when npm's hidden lock file is newer than ours. */
static bool modules_current(void) {
  struct stat a, b;
  return stat(INTEROP_DIR "/node_modules/.package-lock.json", &a) == 0 &&
         stat(INTEROP_DIR "/package-lock.json", &b) == 0 &&
         a.st_mtime >= b.st_mtime;
}

static void prepare_node(void) {
  sp_run_result r;
  if (sh("command -v node && command -v npm", &r) != 0) {
    sp_run_result_free(&r);
    cr_skip_test(
        "node or npm not found: the polkadot-js interop check did not run");
  }
  sp_run_result_free(&r);
  if (modules_current()) return;
  if (sh("cd '" INTEROP_DIR "' && npm ci --no-audit --no-fund 2>&1", &r) != 0) {
    const char *out = r.out;
    size_t n = strlen(out);
    /* The last line says why (usually no registry). */
    while (n > 0 && out[n - 1] == '\n')
      n--;
    size_t start = n;
    while (start > 0 && out[start - 1] != '\n')
      start--;
    char why[300];
    snprintf(why, sizeof why, "%.*s", (int)(n - start), out + start);
    sp_run_result_free(&r);
    cr_skip_test("npm ci failed, polkadot-js interop check not run: %s", why);
  }
  sp_run_result_free(&r);
}

static const char *jstr(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  cr_assert(json_is_string(v), "missing string %s", key);
  return json_string_value(v);
}

static void unhex(const char *s, uint8_t *out, size_t n) {
  cr_assert_eq(sp_hex_decode(s, n, out, n, NULL), 0, "bad hex %s", s);
}

Test(interop_keys, polkadot_js_agrees, .timeout = 300) {
  prepare_node();
  static sp_bip39_wordlist wl;
  wl = *sp_bip39_english();

  uint8_t seeds[N_SEEDS][32];
  unhex("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
        seeds[0], 32);
  for (int i = 1; i < N_SEEDS; i++)
    random_bytes(seeds[i], 32);
  static const int prefixes[] = {42, 0, 2, 63, 64, 255, 1000, 16383};
  /* Lengths: empty, short, and past 256 bytes (extrinsic payloads). */
  static uint8_t msgs[3][300];
  static const size_t msg_len[3] = {0, 5, 300};
  for (int m = 0; m < 3; m++)
    random_bytes(msgs[m], msg_len[m]);

  json_t *in = json_object(), *jseeds = json_array(), *jphr = json_array(),
         *jpre = json_array(), *jours = json_array(), *jmsgs = json_array();
  for (int i = 0; i < N_SEEDS; i++)
    json_array_append_new(jseeds, jhex(seeds[i], 32));
  for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++)
    json_array_append_new(jpre, json_integer(prefixes[p]));
  for (int m = 0; m < 3; m++)
    json_array_append_new(jmsgs, jhex(msgs[m], msg_len[m]));

  /* Phrases of every length from fixed entropy, and the dev phrase. */
  char phrases[6][SP_BIP39_PHRASE_MAX];
  strcpy(
      phrases[0],
      "bottom drive obey lake curtain smoke basket hold race lonely fit walk");
  for (int i = 1; i < 6; i++) {
    uint8_t ent[32];
    size_t n = (size_t)(12 + 3 * (i - 1)) * 4 / 3;
    random_bytes(ent, n);
    cr_assert_eq(
        sp_bip39_entropy_to_phrase(&wl, ent, n, phrases[i], sizeof phrases[i]),
        0);
  }
  for (int i = 0; i < 6; i++)
    json_array_append_new(jphr, json_string(phrases[i]));

  /* Our signatures: each seed, each scheme, each message; the last one of
   * all is tampered with, a control that the other side can say no. */
  sp_keypair kp[N_SEEDS][2];
  static const int schemes[2] = {SP_SIGNER_SR25519, SP_SIGNER_ED25519};
  size_t n_ours = 0;
  for (int i = 0; i < N_SEEDS; i++)
    for (int s = 0; s < 2; s++) {
      cr_assert_eq(sp_keypair_from_mini_secret(schemes[s], seeds[i], &kp[i][s]),
                   0);
      for (int m = 0; m < 3; m++) {
        uint8_t sig[64];
        cr_assert_eq(sp_keypair_sign(&kp[i][s], msgs[m], msg_len[m], sig), 0);
        n_ours++;
        if (i == N_SEEDS - 1 && s == 1 && m == 2) sig[10] ^= 1;
        json_t *o = json_object();
        json_object_set_new(o, "scheme",
                            json_string(sp_scheme_name(schemes[s])));
        json_object_set_new(o, "public", jhex(kp[i][s].public_key, 32));
        json_object_set_new(o, "message", jhex(msgs[m], msg_len[m]));
        json_object_set_new(o, "signature", jhex(sig, 64));
        json_array_append_new(jours, o);
      }
    }
  json_object_set_new(in, "seeds", jseeds);
  json_object_set_new(in, "phrases", jphr);
  json_object_set_new(in, "prefixes", jpre);
  json_object_set_new(in, "ours", jours);
  json_object_set_new(in, "messages", jmsgs);

  char dir[] = "/tmp/subpow-interop-XXXXXX", in_path[64], out_path[64];
  cr_assert_not_null(mkdtemp(dir));
  snprintf(in_path, sizeof in_path, "%s/in.json", dir);
  snprintf(out_path, sizeof out_path, "%s/out.json", dir);
  cr_assert_eq(json_dump_file(in, in_path, 0), 0);
  json_decref(in);

  char script[512];
  snprintf(script, sizeof script, "node '%s/check.mjs' '%s' '%s'", INTEROP_DIR,
           in_path, out_path);
  sp_run_result r;
  cr_assert_eq(sh(script, &r), 0, "check.mjs failed: %s%s", r.out, r.err);
  sp_run_result_free(&r);
  json_error_t err;
  json_t *out = json_load_file(out_path, 0, &err);
  cr_assert_not_null(out, "out.json: %s", err.text);

  /* Same public keys, addresses, and secret key halves. */
  json_t *keys = json_object_get(out, "keys");
  cr_assert_eq(json_array_size(keys), N_SEEDS);
  for (int i = 0; i < N_SEEDS; i++) {
    json_t *k = json_array_get(keys, (size_t)i);
    char *want_sr = hex0x(kp[i][0].public_key, 32);
    char *want_ed = hex0x(kp[i][1].public_key, 32);
    cr_assert_str_eq(jstr(k, "sr25519"), want_sr, "seed %d (random seed %#x)",
                     i, RANDOM_SEED);
    cr_assert_str_eq(jstr(k, "ed25519"), want_ed, "seed %d (random seed %#x)",
                     i, RANDOM_SEED);
    free(want_sr);
    free(want_ed);
    /* polkadot-js keeps schnorrkel's to_ed25519_bytes (scalar * 8, nonce);
     * btwallet's privateKey is to_bytes (scalar, nonce): the same key. */
    uint8_t theirs[64], times8[32];
    unhex(jstr(k, "srSecret"), theirs, 64);
    unsigned carry = 0;
    for (int b = 0; b < 32; b++) {
      unsigned v = (unsigned)kp[i][0].secret[b] * 8 + carry;
      times8[b] = (uint8_t)v;
      carry = v >> 8;
    }
    cr_assert_eq(memcmp(times8, theirs, 32), 0, "seed %d scalar", i);
    cr_assert_eq(memcmp(kp[i][0].secret + 32, theirs + 32, 32), 0,
                 "seed %d nonce", i);
    json_t *ss58 = json_object_get(k, "ss58");
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
      char key[8], addr[SP_SS58_ADDRESS_MAX];
      snprintf(key, sizeof key, "%d", prefixes[p]);
      json_t *pe = json_object_get(ss58, key);
      for (int s = 0; s < 2; s++) {
        cr_assert_eq(sp_ss58_encode(kp[i][s].public_key, (uint16_t)prefixes[p],
                                    addr, sizeof addr),
                     0);
        cr_assert_str_eq(addr, jstr(pe, sp_scheme_name(schemes[s])),
                         "seed %d prefix %d", i, prefixes[p]);
        uint8_t back[32];
        uint16_t pre;
        cr_assert_eq(
            sp_ss58_decode(jstr(pe, sp_scheme_name(schemes[s])), back, &pre),
            0);
        cr_assert_eq(pre, prefixes[p]);
      }
    }
  }

  /* Same mini secret from each phrase. */
  json_t *ph = json_object_get(out, "phrases");
  cr_assert_eq(json_array_size(ph), 6);
  for (size_t i = 0; i < 6; i++) {
    sp_keypair p;
    char addr[SP_SS58_ADDRESS_MAX];
    cr_assert_eq(sp_keypair_from_phrase(SP_SIGNER_SR25519, &wl, phrases[i], &p),
                 0);
    char *mini = hex0x(p.mini, 32);
    cr_assert_str_eq(jstr(json_array_get(ph, i), "miniSecret"), mini,
                     "phrase %zu: %s", i, phrases[i]);
    free(mini);
    cr_assert_eq(sp_keypair_ss58(&p, 42, addr, sizeof addr), 0);
    cr_assert_str_eq(jstr(json_array_get(ph, i), "sr25519"), addr);
    sp_keypair_wipe(&p);
  }

  /* Ours verify there (and the tampered control does not). */
  json_t *ok = json_object_get(out, "oursVerified");
  cr_assert_eq(json_array_size(ok), n_ours);
  for (size_t i = 0; i < n_ours; i++)
    cr_assert_eq(json_is_true(json_array_get(ok, i)), i != n_ours - 1,
                 "our signature %zu (random seed %#x)", i, RANDOM_SEED);

  /* Theirs verify here, and not after a flipped bit. */
  json_t *theirs = json_object_get(out, "theirs");
  cr_assert_eq(json_array_size(theirs), (size_t)N_SEEDS * 2 * 3);
  for (size_t i = 0; i < json_array_size(theirs); i++) {
    json_t *t = json_array_get(theirs, i);
    int scheme;
    uint8_t pub[32], sig[64], msg[300];
    size_t mlen = 0;
    cr_assert_eq(sp_scheme_parse(jstr(t, "scheme"), &scheme), 0);
    unhex(jstr(t, "public"), pub, 32);
    unhex(jstr(t, "signature"), sig, 64);
    cr_assert_eq(sp_hex_decode(jstr(t, "message"), 0, msg, sizeof msg, &mlen),
                 0);
    cr_assert_eq(sp_signature_verify(scheme, pub, msg, mlen, sig), 0,
                 "their %s signature %zu", jstr(t, "scheme"), i);
    sig[40] ^= 4;
    cr_assert_eq(sp_signature_verify(scheme, pub, msg, mlen, sig),
                 -SP_EBAD_SIGNATURE);
  }
  json_decref(out);
  unlink(in_path);
  unlink(out_path);
  rmdir(dir);
  for (int i = 0; i < N_SEEDS; i++) {
    sp_keypair_wipe(&kp[i][0]);
    sp_keypair_wipe(&kp[i][1]);
  }
}
