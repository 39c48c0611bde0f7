/*
 * SHA-256 of the pre-seal block, written once over an abstract vector of
 * 32-bit lanes and instantiated by sha256_portable.c (one lane, plain C),
 * sha256_avx2.c (8 lanes) and sha256_avx512.c (16 lanes). Each lane hashes
 * another nonce; only message words 0 and 1 differ between lanes.
 *
 * The including file defines, before including this header:
 *   V                    the vector type
 *   V_ADD(a, b)          lane-wise addition mod 2^32
 *   V_BCAST(u)           every lane = the uint32_t u
 *   V_ROR(x, n), V_SHR(x, n)   rotate / shift right by a constant
 *   V_XOR3(a, b, c)      a ^ b ^ c
 *   V_CH(e, f, g)        (e & f) ^ (~e & g)
 *   V_MAJ(a, b, c)       (a & b) ^ (a & c) ^ (b & c)
 * and gets `sha256_lanes(p, w0, w1, h)`: h[0..7] = the final hash words of
 * the block whose words 0 and 1 are w0, w1 and whose other words are p->w.
 *
 * What is folded (FIPS 180-4 section 6.2.2 computed literally otherwise):
 *  - round 0 starts from the constant IV, so it is two additions
 *    (p->r0_a, p->r0_e);
 *  - in rounds 2..15, K[t] + W[t] is one constant (p->kw[t]);
 *  - in the schedule for t = 16..31, the terms on words 2..15 are one
 *    constant (p->wc[t], and p->kw[t] = K[t] + p->wc[t]).
 * This header is included only by kernel files; it has no include guard on
 * purpose (each includer instantiates it once with its own V).
 */

#define SHA_S0(x) V_XOR3(V_ROR(x, 7), V_ROR(x, 18), V_SHR(x, 3))
#define SHA_S1(x) V_XOR3(V_ROR(x, 17), V_ROR(x, 19), V_SHR(x, 10))
#define SHA_BS0(x) V_XOR3(V_ROR(x, 2), V_ROR(x, 13), V_ROR(x, 22))
#define SHA_BS1(x) V_XOR3(V_ROR(x, 6), V_ROR(x, 11), V_ROR(x, 25))

/* Word i of the block varies with the nonce: 0, 1, and all of the schedule. */
#define SHA_VARIES(i) ((i) < 2 || (i) >= 16)

static inline __attribute__((always_inline)) void
sha256_lanes(const sp_seal_prep *p, V w0, V w1, V h[8]) {
  const uint32_t *iv = sp_sha256_iv;
  V w[16]; /* W[t] lives in w[t % 16] */
  w[0] = w0;
  w[1] = w1;
  V a = V_ADD(V_BCAST(p->r0_a), w0), b = V_BCAST(iv[0]), c = V_BCAST(iv[1]),
    d = V_BCAST(iv[2]), e = V_ADD(V_BCAST(p->r0_e), w0), f = V_BCAST(iv[4]),
    g = V_BCAST(iv[5]), hh = V_BCAST(iv[6]);
#pragma GCC unroll 64
  for (int t = 1; t < 64; t++) {
    V wk;
    if (t == 1) {
      wk = V_ADD(w1, V_BCAST(p->kw[1]));
    } else if (t < 16) {
      wk = V_BCAST(p->kw[t]);
    } else {
      /* The terms of W[t] that vary; t is a constant once unrolled, so the
       * tests below vanish. */
      V sum = V_BCAST(0);
      int n = 0;
      if (SHA_VARIES(t - 2)) {
        V x = SHA_S1(w[(t - 2) % 16]);
        sum = n++ ? V_ADD(sum, x) : x;
      }
      if (SHA_VARIES(t - 7)) {
        V x = w[(t - 7) % 16];
        sum = n++ ? V_ADD(sum, x) : x;
      }
      if (SHA_VARIES(t - 15)) {
        V x = SHA_S0(w[(t - 15) % 16]);
        sum = n++ ? V_ADD(sum, x) : x;
      }
      if (SHA_VARIES(t - 16)) {
        V x = w[(t - 16) % 16];
        sum = n++ ? V_ADD(sum, x) : x;
      }
      if (t < 32) {
        w[t % 16] = V_ADD(sum, V_BCAST(p->wc[t]));
        wk = V_ADD(sum, V_BCAST(p->kw[t]));
      } else {
        w[t % 16] = sum;
        wk = V_ADD(sum, V_BCAST(p->kw[t]));
      }
    }
    V t1 = V_ADD(V_ADD(hh, wk), V_ADD(SHA_BS1(e), V_CH(e, f, g)));
    V t2 = V_ADD(SHA_BS0(a), V_MAJ(a, b, c));
    hh = g;
    g = f;
    f = e;
    e = V_ADD(d, t1);
    d = c;
    c = b;
    b = a;
    a = V_ADD(t1, t2);
  }
  h[0] = V_ADD(a, V_BCAST(iv[0]));
  h[1] = V_ADD(b, V_BCAST(iv[1]));
  h[2] = V_ADD(c, V_BCAST(iv[2]));
  h[3] = V_ADD(d, V_BCAST(iv[3]));
  h[4] = V_ADD(e, V_BCAST(iv[4]));
  h[5] = V_ADD(f, V_BCAST(iv[5]));
  h[6] = V_ADD(g, V_BCAST(iv[6]));
  h[7] = V_ADD(hh, V_BCAST(iv[7]));
}
