/* The hashes: Keccak-256 known answers, and the sponge proved by running it
 * with SHA-3 padding against OpenSSL's SHA3-256. */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "reference/reference.h"
#include "verify/vectors.h"

static void hex32(const char *hex, uint8_t out[32]) {
  cr_assert_eq(sp_hex_decode(hex, 32, out, 32, NULL), 0);
}

Test(hashes, keccak256_of_empty_is_the_known_value) {
  uint8_t want[32], got[32];
  hex32("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        want);
  sp_keccak256((const uint8_t *)"", 0, got);
  cr_assert_eq(memcmp(got, want, 32), 0);
}

Test(hashes, sponge_with_sha3_padding_matches_openssl_sha3_256) {
  const unsigned seed = 99;
  srand(seed);
  static uint8_t buf[1200];
  for (size_t len = 0; len <= 1100; len += (len < 300 ? 1 : 37)) {
    for (size_t i = 0; i < len; i++)
      buf[i] = (uint8_t)rand();
    uint8_t ours[32], theirs[32];
    unsigned n = 0;
    sp_keccak256_sponge(buf, len, 0x06, ours);
    cr_assert_eq(EVP_Digest(buf, len, theirs, &n, EVP_sha3_256(), NULL), 1);
    cr_assert_eq(memcmp(ours, theirs, 32), 0, "seed %u length %zu", seed, len);
    /* and Keccak-256 is a different function */
    sp_keccak256(buf, len, ours);
    cr_assert_neq(memcmp(ours, theirs, 32), 0, "length %zu", len);
  }
}

Test(hashes, vectors_from_hashlib_and_pycryptodome) {
  sp_vectors v;
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(SUBPOW_VECTORS_DIR, &v, &err), 0, "%s",
               err.message);
  cr_assert_geq(v.n_hashes, 40);
  for (size_t i = 0; i < v.n_hashes; i++) {
    uint8_t out[32];
    sp_keccak256(v.hashes[i].input, v.hashes[i].input_len, out);
    cr_assert_eq(memcmp(out, v.hashes[i].keccak256, 32), 0, "case %zu", i);
    cr_assert_eq(sp_sha256(v.hashes[i].input, v.hashes[i].input_len, out), 0);
    cr_assert_eq(memcmp(out, v.hashes[i].sha256, 32), 0, "case %zu", i);
  }
  sp_vectors_free(&v);
}
