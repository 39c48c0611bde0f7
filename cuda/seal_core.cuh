/*
 * The seal computation of the CUDA backend, written once for the device and
 * for the host (the host copy lets the CPU-only test check the folding of
 * constants without a GPU).
 *
 * seal = Keccak-256(SHA-256(nonce_le64 || block_and_hotkey_hash)), see
 * docs/protocol.md section 1. The fast path computes, per
 * nonce, only what the reject test needs:
 *   - SHA-256 of the 40-byte pre-seal is one compression block. Message words
 *     W1..W15 are constant for a launch (a launch never crosses a multiple of
 *     2^32, so the nonce's high word is fixed), hence so are W17, W19, W21 and
 *     parts of every other schedule word; the host precomputes them
 *     (prepare_params in seal_kernel.cu) and the kernel adds only the
 *     varying terms.
 *     Round 0 starts from the IV: all but W0 folds to a constant.
 *   - Keccak-f[1600] of the 32-byte digest: round 0 sees 19 zero lanes and two
 *     constant ones (padding), which the compiler folds; rounds 1..22 are a
 *     rolled loop (unrolling all 24 rounds was slower on the H100:
 *     instruction-cache pressure); round 23 computes only the lane holding the
 *     seal's top 64 bits under the rule: lane 3 for chain-le (the seal read
 *     little-endian), the byte swap of lane 0 for the big-endian rules.
 *   - top64 <= top 64 bits of the threshold makes a candidate; candidates are
 *     recomputed in full and checked exactly (all 256 bits) by full_seal().
 * Keccak's 64-bit lanes are pairs of 32-bit words (x = low, y = high).
 *
 * On an H100 the kernel is bound by the integer ALU pipe (LOP3, funnel
 * shifts, IADD3: 99% busy), while the multiply-add pipe idles; so the kernel
 * counts ALU instructions: Keccak's XORs are explicit 3-input LOP3s, SHA's
 * additions go to the multiply-add pipe as IMADs, and the variants in
 * seal_kernel.cu try moving more (results/cuda-h100.md).
 */
#ifndef SUBPOW_CUDA_SEAL_CORE_CUH
#define SUBPOW_CUDA_SEAL_CORE_CUH

#include <stdint.h>
#include <string.h>

#include <utility>

#include "backend/sha256_constants.h"

#define SP_HD __host__ __device__ __forceinline__

namespace sp {

/* One recorded solution, as the device writes it. */
struct solution {
  uint64_t nonce;
  uint8_t seal[32];
};

/* Where a launch records solutions: count keeps counting past cap, so the
 * host knows how many there were when the buffer overflowed. */
struct solution_buffer {
  uint32_t count;
  uint32_t unused;
  solution entries[1]; /* cap entries */
};

/* Everything a launch needs, passed by value (it lives in the constant bank,
 * where instructions read it as operands at no cost). */
struct kparams {
  /* SHA-256: for a constant message word t, K[t] + W[t]; for a varying
   * t >= 16, the sum of W[t]'s constant terms (see sha_fast). */
  uint32_t kw[64];
  uint32_t w[16];    /* the message words, w[0] unused (it varies) */
  uint32_t pow2[32]; /* 2^r: multipliers the compiler cannot fold, so that
                        IMAD rotations stay on the multiply pipe */
  uint32_t one;      /* 1, likewise for IMAD additions */
  uint32_t base_lo;  /* low word of the launch's first nonce */
  uint32_t base_hi;  /* high word, the same for every nonce of the launch */
  uint32_t len;      /* nonces in the launch (base_lo + len <= 2^32) */
  uint32_t per_thread;
  uint32_t cap;        /* entries in out */
  uint32_t big_endian; /* 1 for the sdk and chain-be rules */
  uint32_t unused;
  uint64_t thr_top; /* the threshold's top 64 bits */
  uint8_t thr[32];  /* the threshold, big-endian (sp_difficulty_threshold) */
  solution_buffer *out;
};

/* ------------------------------------------------------------ SHA-256 -- */

SP_HD constexpr uint32_t sha_k(int t) {
  constexpr uint32_t k[64] = SP_SHA256_K_INIT;
  return k[t];
}

/* sha_k for an index known only at run time (the exact path's rolled loop):
 * from constant memory on the device, for the reason given at keccak_rc. */
static __constant__ uint32_t sha_k_dev[64] = {
#define K4(t) sha_k(t), sha_k(t + 1), sha_k(t + 2), sha_k(t + 3)
    K4(0),  K4(4),  K4(8),  K4(12), K4(16), K4(20), K4(24), K4(28), K4(32),
    K4(36), K4(40), K4(44), K4(48), K4(52), K4(56), K4(60)
#undef K4
};
SP_HD uint32_t sha_k_rt(int t) {
#ifdef __CUDA_ARCH__
  return sha_k_dev[t];
#else
  return sha_k(t);
#endif
}

SP_HD constexpr uint32_t sha_iv(int i) {
  constexpr uint32_t iv[8] = SP_SHA256_IV_INIT;
  return iv[i];
}

/* Which message words vary with the nonce when only W0 does: W0, and every
 * schedule word with a varying source. static_asserts in seal_kernel.cu
 * check this table against the recurrence. */
SP_HD constexpr bool sha_varies(int t) {
  return t == 0 || t == 16 || t == 18 || t == 20 || t >= 22;
}

SP_HD uint32_t rotr32(uint32_t x, int n) {
#ifdef __CUDA_ARCH__
  return __funnelshift_r(x, x, n);
#else
  return (x >> n) | (x << ((32 - n) & 31));
#endif
}

SP_HD uint32_t bswap32(uint32_t x) {
#ifdef __CUDA_ARCH__
  return __byte_perm(x, 0, 0x0123);
#else
  return __builtin_bswap32(x);
#endif
}

SP_HD uint32_t big_sigma0(uint32_t a) {
  return rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
}
SP_HD uint32_t big_sigma1(uint32_t e) {
  return rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
}
SP_HD uint32_t small_sigma0(uint32_t x) {
  return rotr32(x, 7) ^ rotr32(x, 18) ^ (x >> 3);
}
SP_HD uint32_t small_sigma1(uint32_t x) {
  return rotr32(x, 17) ^ rotr32(x, 19) ^ (x >> 10);
}
SP_HD uint32_t sha_ch(uint32_t e, uint32_t f, uint32_t g) {
  return g ^ (e & (f ^ g));
}
SP_HD uint32_t sha_maj(uint32_t a, uint32_t b, uint32_t c) {
  return (a & b) | (c & (a | b));
}

SP_HD uint32_t mad_hi(uint32_t a, uint32_t b, uint32_t c) {
#ifdef __CUDA_ARCH__
  uint32_t r;
  asm("mad.hi.u32 %0, %1, %2, %3;" : "=r"(r) : "r"(a), "r"(b), "r"(c));
  return r;
#else
  return (uint32_t)(((uint64_t)a * b) >> 32) + c;
#endif
}
SP_HD uint32_t mad_lo(uint32_t a, uint32_t b, uint32_t c) {
#ifdef __CUDA_ARCH__
  uint32_t r;
  asm("mad.lo.u32 %0, %1, %2, %3;" : "=r"(r) : "r"(a), "r"(b), "r"(c));
  return r;
#else
  return a * b + c;
#endif
}

/* a ^ b ^ c and a ^ (~b & c) as one LOP3 each. Written as PTX lop3 because
 * NVVM otherwise factors theta's C[x-1] ^ rot(C[x+1], 1) out of the five
 * lanes of a column (one XOR saved in its count) and ptxas then needs two
 * 2-input LOP3s where one 3-input LOP3 does: 14 more ALU instructions a
 * round, seen in the SASS of the first H100 run (results/cuda-h100.md). */
SP_HD uint32_t lop3_xor3(uint32_t a, uint32_t b, uint32_t c) {
#ifdef __CUDA_ARCH__
  uint32_t r;
  asm("lop3.b32 %0, %1, %2, %3, 0x96;" : "=r"(r) : "r"(a), "r"(b), "r"(c));
  return r;
#else
  return a ^ b ^ c;
#endif
}
SP_HD uint32_t lop3_chi(uint32_t a, uint32_t b, uint32_t c) {
#ifdef __CUDA_ARCH__
  uint32_t r;
  asm("lop3.b32 %0, %1, %2, %3, 0xd2;" : "=r"(r) : "r"(a), "r"(b), "r"(c));
  return r;
#else
  return a ^ (~b & c);
#endif
}

/* 32-bit rotation right by N and shift right by N on the multiply-add pipe
 * (IMAD + IMAD.HI, IMAD.HI), for work the ALU pipe, the bottleneck, can
 * hand over: the multiplier 2^(32-N) comes from p.pow2 so that the compiler
 * cannot turn it back into a shift. */
template <int N> SP_HD uint32_t fma_rotr32(uint32_t x, const kparams &p) {
#ifdef __CUDA_ARCH__
  const uint32_t m = p.pow2[32 - N];
  uint32_t lo;
  asm("mul.lo.u32 %0, %1, %2;" : "=r"(lo) : "r"(x), "r"(m));
  return mad_hi(x, m, lo);
#else
  (void)p;
  return rotr32(x, N);
#endif
}
template <int N> SP_HD uint32_t fma_shr32(uint32_t x, const kparams &p) {
#ifdef __CUDA_ARCH__
  uint32_t r;
  asm("mul.hi.u32 %0, %1, %2;" : "=r"(r) : "r"(x), "r"(p.pow2[32 - N]));
  return r;
#else
  (void)p;
  return x >> N;
#endif
}

/* x + y, as an IMAD (x * 1 + y) when IMAD is set, so that the addition runs
 * on the multiply-add pipe instead of the integer ALU pipe. */
template <bool IMAD>
SP_HD uint32_t add32(uint32_t x, uint32_t y, uint32_t one) {
#ifdef __CUDA_ARCH__
  if constexpr (IMAD) {
    uint32_t r;
    asm("mad.lo.u32 %0, %1, %2, %3;" : "=r"(r) : "r"(x), "r"(one), "r"(y));
    return r;
  }
#endif
  (void)one;
  return x + y;
}

template <class F, int... I>
SP_HD void static_for_impl(F &&f, std::integer_sequence<int, I...>) {
  (f(std::integral_constant<int, I>{}), ...);
}
/* Calls f(integral_constant<int, i>) for i = 0 .. N-1: a loop whose index is
 * a compile-time constant in its body. */
template <int N, class F> SP_HD void static_for(F &&f) {
  static_for_impl(f, std::make_integer_sequence<int, N>{});
}

/*
 * The SHA-256 digest words of the pre-seal whose first message word is w0,
 * every other word taken from p (the fast path). ADD_IMAD moves the
 * additions of rounds 1..63 to the multiply pipe.
 */
template <bool ADD_IMAD, int SIGMA>
SP_HD void sha_fast(const kparams &p, uint32_t w0, uint32_t out[8]) {
  /* What goes to the multiply-add pipe (bits of SIGMA): 1 the schedule's
   * sigma rotations, 2 its shifts (both off the rounds' critical path), 4
   * the rounds' Sigma1, 8 their Sigma0. */
  constexpr bool SROT = SIGMA & 1, SSHR = SIGMA & 2;
  auto rot = [&](auto N, uint32_t x) {
    constexpr int n = decltype(N)::value;
    if constexpr (SROT)
      return fma_rotr32<n>(x, p);
    else
      return rotr32(x, n);
  };
  auto shr = [&](auto N, uint32_t x) {
    constexpr int n = decltype(N)::value;
    if constexpr (SSHR)
      return fma_shr32<n>(x, p);
    else
      return x >> n;
  };
  auto s0 = [&](uint32_t x) {
    return rot(std::integral_constant<int, 7>{}, x) ^
           rot(std::integral_constant<int, 18>{}, x) ^
           shr(std::integral_constant<int, 3>{}, x);
  };
  auto s1 = [&](uint32_t x) {
    return rot(std::integral_constant<int, 17>{}, x) ^
           rot(std::integral_constant<int, 19>{}, x) ^
           shr(std::integral_constant<int, 10>{}, x);
  };
  uint32_t W[64];
  W[0] = w0;
  uint32_t a = sha_iv(0), b = sha_iv(1), c = sha_iv(2), d = sha_iv(3);
  uint32_t e = sha_iv(4), f = sha_iv(5), g = sha_iv(6), h = sha_iv(7);
  static_for<64>([&](auto I) {
    constexpr int t = decltype(I)::value;
    /* Round 0 works on the IV only: keep plain additions so that it folds. */
    constexpr bool IM = ADD_IMAD && t > 0;
    const uint32_t one = p.one;
    uint32_t kw;
    if constexpr (!sha_varies(t)) {
      kw = p.kw[t];
    } else {
      if constexpr (t >= 16) {
        constexpr bool v2 = sha_varies(t - 2), v7 = sha_varies(t - 7),
                       v15 = sha_varies(t - 15), v16 = sha_varies(t - 16);
        uint32_t x = 0;
        bool have = false;
        if constexpr (!(v2 && v7 && v15 && v16)) {
          x = p.kw[t];
          have = true;
        }
        auto acc = [&](uint32_t term) {
          x = have ? add32<IM>(x, term, one) : term;
          have = true;
        };
        if constexpr (v2) acc(s1(W[t - 2]));
        if constexpr (v7) acc(W[t - 7]);
        if constexpr (v15) acc(s0(W[t - 15]));
        if constexpr (v16) acc(W[t - 16]);
        W[t] = x;
      }
      constexpr uint32_t K = sha_k(t);
      kw = add32<IM>(W[t], K, one);
    }
    /* Round 0 works on the IV: plain code, so that it folds. */
    uint32_t S1, S0;
    if constexpr ((SIGMA & 4) && t > 0)
      S1 = fma_rotr32<6>(e, p) ^ fma_rotr32<11>(e, p) ^ fma_rotr32<25>(e, p);
    else
      S1 = big_sigma1(e);
    if constexpr ((SIGMA & 8) && t > 0)
      S0 = fma_rotr32<2>(a, p) ^ fma_rotr32<13>(a, p) ^ fma_rotr32<22>(a, p);
    else
      S0 = big_sigma0(a);
    uint32_t t1 = add32<IM>(add32<IM>(h, S1, one),
                            add32<IM>(sha_ch(e, f, g), kw, one), one);
    uint32_t t2 = add32<IM>(S0, sha_maj(a, b, c), one);
    h = g;
    g = f;
    f = e;
    e = add32<IM>(d, t1, one);
    d = c;
    c = b;
    b = a;
    a = add32<IM>(t1, t2, one);
  });
  out[0] = a + sha_iv(0);
  out[1] = b + sha_iv(1);
  out[2] = c + sha_iv(2);
  out[3] = d + sha_iv(3);
  out[4] = e + sha_iv(4);
  out[5] = f + sha_iv(5);
  out[6] = g + sha_iv(6);
  out[7] = h + sha_iv(7);
}

/* --------------------------------------------------------- Keccak-f -- */

/* The round constants of Keccak-f[1600] (FIPS 202, section 3.2.5). The
 * device reads them from constant memory: the rolled round loop indexes
 * them at run time, and a local array would be rebuilt in local memory for
 * every nonce. */
#define SP_KECCAK_RC                                                           \
  {                                                                            \
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull,       \
        0x8000000080008000ull, 0x000000000000808bull, 0x0000000080000001ull,   \
        0x8000000080008081ull, 0x8000000000008009ull, 0x000000000000008aull,   \
        0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,   \
        0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull,   \
        0x8000000000008003ull, 0x8000000000008002ull, 0x8000000000000080ull,   \
        0x000000000000800aull, 0x800000008000000aull, 0x8000000080008081ull,   \
        0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull    \
  }
static __constant__ uint64_t keccak_rc_dev[24] = SP_KECCAK_RC;
static const uint64_t keccak_rc_host[24] = SP_KECCAK_RC;

SP_HD uint2 keccak_rc(int i) {
#ifdef __CUDA_ARCH__
  const uint64_t v = keccak_rc_dev[i];
#else
  const uint64_t v = keccak_rc_host[i];
#endif
  return make_uint2((uint32_t)v, (uint32_t)(v >> 32));
}

/* Rho offsets by lane index x + 5y (FIPS 202, table 2). */
SP_HD constexpr int keccak_rho(int i) {
  constexpr int r[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                         25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};
  return r[i];
}

/* How a 64-bit rotation is computed. (Two more kinds were measured and
 * dropped: two IMAD + two IMAD.HI, and one funnel shift + IMAD + IMAD.HI;
 * see results/cuda-h100.md.) */
enum rot_kind {
  ROT_SHF = 0,   /* two funnel shifts (integer ALU pipe) */
  ROT_IMAD3 = 1, /* IMAD.WIDE + IMAD + IMAD.HI (multiply-add pipe) */
};

/* Rotation left by R of the lane v. The IMAD forms multiply by 2^r read from
 * p.pow2 (opaque to the compiler): (hi:lo) * 2^r splits into the shifted-out
 * and shifted-in bits, which never overlap, so adding them is OR-ing them. */
template <int R, int KIND> SP_HD uint2 rotl64(uint2 v, const kparams &p) {
  constexpr int r = R & 63;
  if constexpr (r == 0) return v;
  if constexpr (r >= 32) v = make_uint2(v.y, v.x);
  constexpr int s = r & 31;
  if constexpr (s == 0) {
    return v;
  } else {
    const uint32_t lo = v.x, hi = v.y;
#ifdef __CUDA_ARCH__
    if constexpr (KIND == ROT_SHF) {
      return make_uint2(__funnelshift_l(hi, lo, s), __funnelshift_l(lo, hi, s));
    } else {
      static_assert(KIND == ROT_IMAD3, "unknown rotation kind");
      const uint32_t m = p.pow2[s];
      uint64_t w;
      asm("mul.wide.u32 %0, %1, %2;" : "=l"(w) : "r"(lo), "r"(m));
      return make_uint2(mad_hi(hi, m, (uint32_t)w),
                        mad_lo(hi, m, (uint32_t)(w >> 32)));
    }
#else
    (void)p;
    return make_uint2((lo << s) | (hi >> (32 - s)),
                      (hi << s) | (lo >> (32 - s)));
#endif
  }
}

SP_HD uint2 xor2(uint2 a, uint2 b) { return make_uint2(a.x ^ b.x, a.y ^ b.y); }
SP_HD uint2 xor3(uint2 a, uint2 b, uint2 c) {
  return make_uint2(a.x ^ b.x ^ c.x, a.y ^ b.y ^ c.y);
}
SP_HD uint2 chi(uint2 a, uint2 b, uint2 c) {
  return make_uint2(a.x ^ (~b.x & c.x), a.y ^ (~b.y & c.y));
}

/* The rotation kind of each lane's rho step and of theta's rotation by 1. */
template <int THETA, uint32_t RHO_MASK, int KIND, bool LOP = false>
struct keccak_policy {
  static constexpr int theta = THETA;
  static constexpr bool lop = LOP;
  template <int LANE> SP_HD static constexpr int rho() {
    return (RHO_MASK >> LANE) & 1u ? KIND : ROT_SHF;
  }
};

/* One Keccak-f round on s, in place. Theta's column effect is applied as one
 * 3-input XOR per half-lane (s ^ C[x-1] ^ rot(C[x+1], 1)), which is one LOP3.
 */
template <class POL>
SP_HD void keccak_round(uint2 s[25], uint2 rc, const kparams &p) {
  auto x3 = [](uint2 a, uint2 b, uint2 c) {
    if constexpr (POL::lop)
      return make_uint2(lop3_xor3(a.x, b.x, c.x), lop3_xor3(a.y, b.y, c.y));
    else
      return xor3(a, b, c);
  };
  uint2 C[5], R1[5];
  static_for<5>([&](auto X) {
    constexpr int x = decltype(X)::value;
    C[x] = x3(x3(s[x], s[x + 5], s[x + 10]), s[x + 15], s[x + 20]);
  });
  static_for<5>([&](auto X) {
    constexpr int x = decltype(X)::value;
    R1[x] = rotl64<1, POL::theta>(C[x], p);
  });
  uint2 B[25];
  static_for<25>([&](auto I) {
    constexpr int i = decltype(I)::value;
    constexpr int x = i % 5, y = i / 5;
    constexpr int to = y + 5 * ((2 * x + 3 * y) % 5);
    B[to] = rotl64<keccak_rho(i), POL::template rho<i>()>(
        x3(s[i], C[(x + 4) % 5], R1[(x + 1) % 5]), p);
  });
  static_for<25>([&](auto I) {
    constexpr int i = decltype(I)::value;
    constexpr int x = i % 5, y = i / 5;
    const uint2 a = B[i], b = B[(x + 1) % 5 + 5 * y],
                c = B[(x + 2) % 5 + 5 * y];
    if constexpr (POL::lop)
      s[i] = make_uint2(lop3_chi(a.x, b.x, c.x), lop3_chi(a.y, b.y, c.y));
    else
      s[i] = chi(a, b, c);
  });
  s[0] = xor2(s[0], rc);
}

/*
 * The last round, reduced to one lane of the output: lane 3 (LANE3) or lane
 * 0. Row 0 of the output is chi over B[0..4] of row 0, and B[X] of row 0 is
 * rho(A[X][X] ^ D[X]) (pi sends lane (x, y) to (y, 2x + 3y), which is row 0
 * exactly when x = y).
 */
template <bool LANE3>
SP_HD uint2 keccak_last_round_lane(const uint2 s[25], const kparams &p) {
  uint2 C[5];
  static_for<5>([&](auto X) {
    constexpr int x = decltype(X)::value;
    C[x] = xor3(xor3(s[x], s[x + 5], s[x + 10]), s[x + 15], s[x + 20]);
  });
  auto B = [&](auto X) {
    constexpr int x = decltype(X)::value;
    constexpr int i = x + 5 * x;
    return rotl64<keccak_rho(i), ROT_SHF>(
        xor3(s[i], C[(x + 4) % 5], rotl64<1, ROT_SHF>(C[(x + 1) % 5], p)), p);
  };
  if constexpr (LANE3) {
    return chi(B(std::integral_constant<int, 3>{}),
               B(std::integral_constant<int, 4>{}),
               B(std::integral_constant<int, 0>{}));
  } else {
    return xor2(chi(B(std::integral_constant<int, 0>{}),
                    B(std::integral_constant<int, 1>{}),
                    B(std::integral_constant<int, 2>{})),
                keccak_rc(23));
  }
}

/* Keccak lanes 0..3 from the SHA-256 digest words (big-endian words, the
 * lanes read the same bytes little-endian). */
SP_HD void digest_to_lanes(const uint32_t H[8], uint2 s[25]) {
  for (int i = 0; i < 4; i++)
    s[i] = make_uint2(bswap32(H[2 * i]), bswap32(H[2 * i + 1]));
}

/* The kernel configuration: Keccak rotation policy, SHA additions on IMAD,
 * the unroll factor of Keccak rounds 1..22, explicit LOP3 in Keccak, and
 * how much of SHA's sigma functions goes to the multiply-add pipe. */
template <int THETA, uint32_t RHO_MASK, int KIND, bool SHA_IMAD, int UNROLL,
          bool LOP, int SIGMA>
struct kernel_cfg {
  using policy = keccak_policy<THETA, RHO_MASK, KIND, LOP>;
  static constexpr bool sha_imad = SHA_IMAD;
  static constexpr int unroll = UNROLL;
  static constexpr int sigma = SIGMA;
};

/* The rounds 1..22 loop; the compiler may unroll it by CFG::unroll. */
template <class CFG>
SP_HD void keccak_middle_rounds(uint2 s[25], const kparams &p) {
  if constexpr (CFG::unroll == 2) {
#ifdef __CUDA_ARCH__
#pragma unroll 1
#endif
    for (int r = 1; r < 23; r += 2) {
      keccak_round<typename CFG::policy>(s, keccak_rc(r), p);
      keccak_round<typename CFG::policy>(s, keccak_rc(r + 1), p);
    }
  } else {
#ifdef __CUDA_ARCH__
#pragma unroll 1
#endif
    for (int r = 1; r < 23; r++)
      keccak_round<typename CFG::policy>(s, keccak_rc(r), p);
  }
}

/*
 * The fast path: the top 64 bits of the seal under the rule (LANE3: chain-le,
 * else the big-endian rules) for the nonce whose low word is lo (the high
 * word is p.base_hi).
 */
template <class CFG, bool LANE3>
SP_HD uint64_t seal_top64(const kparams &p, uint32_t lo) {
  uint32_t H[8];
  sha_fast<CFG::sha_imad, CFG::sigma>(p, bswap32(lo), H);
  uint2 s[25];
  for (int i = 0; i < 25; i++)
    s[i] = make_uint2(0, 0);
  digest_to_lanes(H, s);
  /* Keccak padding of a 32-byte message at rate 136: 0x01 after the
   * message (byte 32, lane 4), 0x80 in the last byte of the block (byte
   * 135, the top byte of lane 16). */
  s[4] = make_uint2(1, 0);
  s[16] = make_uint2(0, 0x80000000u);
  /* Round 0 with plain rotations: its zero and constant lanes fold. */
  keccak_round<keccak_policy<ROT_SHF, 0, ROT_SHF>>(s, keccak_rc(0), p);
  keccak_middle_rounds<CFG>(s, p);
  uint2 lane = keccak_last_round_lane<LANE3>(s, p);
  if constexpr (LANE3)
    return ((uint64_t)lane.y << 32) | lane.x;
  else
    return ((uint64_t)bswap32(lane.x) << 32) | bswap32(lane.y);
}

/* The whole seal of nonce (p.base_hi : lo), computed plainly (no folding, no
 * shortcut): the exact check of candidates uses it. */
SP_HD void full_seal(const kparams &p, uint32_t lo, uint8_t seal[32]) {
  uint32_t W[64];
  W[0] = bswap32(lo);
  W[1] = bswap32(p.base_hi);
  for (int t = 2; t < 16; t++)
    W[t] = p.w[t];
  for (int t = 16; t < 64; t++)
    W[t] =
        small_sigma1(W[t - 2]) + W[t - 7] + small_sigma0(W[t - 15]) + W[t - 16];
  uint32_t v[8];
  for (int i = 0; i < 8; i++)
    v[i] = sha_iv(i);
  for (int t = 0; t < 64; t++) {
    uint32_t t1 =
        v[7] + big_sigma1(v[4]) + sha_ch(v[4], v[5], v[6]) + sha_k_rt(t) + W[t];
    uint32_t t2 = big_sigma0(v[0]) + sha_maj(v[0], v[1], v[2]);
    for (int i = 7; i > 0; i--)
      v[i] = v[i - 1];
    v[4] += t1;
    v[0] = t1 + t2;
  }
  uint32_t H[8];
  for (int i = 0; i < 8; i++)
    H[i] = v[i] + sha_iv(i);
  uint2 s[25];
  for (int i = 0; i < 25; i++)
    s[i] = make_uint2(0, 0);
  digest_to_lanes(H, s);
  s[4] = make_uint2(1, 0);
  s[16] = make_uint2(0, 0x80000000u);
  for (int r = 0; r < 24; r++)
    keccak_round<keccak_policy<ROT_SHF, 0, ROT_SHF>>(s, keccak_rc(r), p);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      seal[8 * i + j] = (uint8_t)(s[i].x >> (8 * j));
      seal[8 * i + 4 + j] = (uint8_t)(s[i].y >> (8 * j));
    }
}

/* True when seal meets the launch's threshold: its value under the rule's
 * byte order, compared big-endian with p.thr (sp_seal_meets_difficulty's
 * threshold form). */
SP_HD bool seal_meets(const kparams &p, const uint8_t seal[32]) {
  for (int i = 0; i < 32; i++) {
    uint8_t v = p.big_endian ? seal[i] : seal[31 - i];
    if (v != p.thr[i]) return v < p.thr[i];
  }
  return true;
}

} // namespace sp

#endif /* SUBPOW_CUDA_SEAL_CORE_CUH */
