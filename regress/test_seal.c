/* Seals against the independent vectors, and the vectors' own edges. */
#include <criterion/criterion.h>
#include <string.h>

#include "reference/reference.h"
#include "verify/vectors.h"

Test(seal, every_vector) {
  sp_vectors v;
  sp_error_record err = {0};
  cr_assert_eq(sp_vectors_load(SUBPOW_VECTORS_DIR, &v, &err), 0, "%s",
               err.message);
  cr_assert_geq(v.n_seals, 200);
  bool saw[5] = {false};
  const uint64_t edges[5] = {0, 1, 0xffffffffull, 0x100000000ull, UINT64_MAX};
  for (size_t i = 0; i < v.n_seals; i++) {
    const sp_seal_vector *s = &v.seals[i];
    uint8_t bahh[32], seal[32];
    sp_hash_block_with_hotkey(s->block_hash, s->hotkey, bahh);
    cr_assert_eq(memcmp(bahh, s->block_and_hotkey_hash, 32), 0, "case %zu", i);
    cr_assert_eq(sp_create_seal_hash(bahh, s->nonce, seal), 0);
    cr_assert_eq(memcmp(seal, s->seal, 32), 0, "case %zu nonce %lu", i,
                 (unsigned long)s->nonce);
    for (int k = 0; k < 5; k++)
      saw[k] |= s->nonce == edges[k];
  }
  for (int k = 0; k < 5; k++)
    cr_assert(saw[k], "vectors lack edge nonce %d", k);
  sp_vectors_free(&v);
}

Test(seal, nonce_is_little_endian) {
  /* The pre-seal starts with the nonce's low byte: nonce 1 and nonce 2^56
   * must give different seals, and swapping the byte order must matter. */
  uint8_t bahh[32] = {0}, a[32], b[32];
  cr_assert_eq(sp_create_seal_hash(bahh, 1, a), 0);
  cr_assert_eq(sp_create_seal_hash(bahh, 1ull << 56, b), 0);
  cr_assert_neq(memcmp(a, b, 32), 0);
  uint8_t pre[40] = {1}, digest[32], manual[32];
  cr_assert_eq(sp_sha256(pre, 40, digest), 0);
  sp_keccak256(digest, 32, manual);
  cr_assert_eq(memcmp(manual, a, 32), 0);
}
