/*
 * Keccak-256 of a 32-byte message (a SHA-256 digest), written once over an
 * abstract vector of 64-bit lanes and instantiated by keccak_portable.c (one
 * lane), keccak_avx2.c (4 lanes) and keccak_avx512.c (8 lanes). Each vector
 * lane is another message. The round is XKCP's plain 64-bit
 * theta-rho-pi-chi-iota with named lanes (Aba = x 0 y 0 ... Asu = x 4 y 4,
 * FIPS 202 section 3.2), so the rotation constants appear as literals.
 *
 * The including file defines, before including this header:
 *   V                 the vector type
 *   V_XOR(a, b)       a ^ b
 *   V_XOR5(a,b,c,d,e) a ^ b ^ c ^ d ^ e
 *   V_ROL(x, n)       rotate left by a constant 1..63
 *   V_CHI(a, b, c)    a ^ (~b & c)
 *   V_CONST(u)        every lane = the uint64_t u
 *   KECCAK_XOR3       1 when V_XOR3(a, b, c) exists as one operation (then
 *                     theta is applied as a ^ C[x-1] ^ rol(C[x+1], 1) in one
 *                     step instead of through D[x]), else 0
 * and gets keccak_top(d0..d3, lane3), the one output lane the reject test
 * needs, and keccak_full(d0..d3, out), the whole 256-bit output.
 *
 * What is folded: the input is 4 data lanes, the padding byte 0x01 in lane 4
 * and 0x80 at the end of the rate (byte 135: top byte of lane 16, Ame); the
 * other 19 lanes are zero (rate 136 bytes, Keccak-256). So round 0's theta
 * is a few operations (see keccak_round0), and the last round of
 * keccak_top computes only the lane asked for.
 * No include guard: each kernel file instantiates it once with its own V.
 */

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull,
    0x8000000080008000ull, 0x000000000000808bull, 0x0000000080000001ull,
    0x8000000080008081ull, 0x8000000000008009ull, 0x000000000000008aull,
    0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull,
    0x8000000000008003ull, 0x8000000000008002ull, 0x8000000000000080ull,
    0x000000000000800aull, 0x800000008000000aull, 0x8000000080008081ull,
    0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};

#define K_LANES(P)                                                             \
  V P##ba, P##be, P##bi, P##bo, P##bu, P##ga, P##ge, P##gi, P##go, P##gu,      \
      P##ka, P##ke, P##ki, P##ko, P##ku, P##ma, P##me, P##mi, P##mo, P##mu,    \
      P##sa, P##se, P##si, P##so, P##su

/* Theta: the column parities C, then lane x gets C[x-1] ^ rol(C[x+1], 1). */
#define K_COLUMNS(A)                                                           \
  Ca = V_XOR5(A##ba, A##ga, A##ka, A##ma, A##sa);                              \
  Ce = V_XOR5(A##be, A##ge, A##ke, A##me, A##se);                              \
  Ci = V_XOR5(A##bi, A##gi, A##ki, A##mi, A##si);                              \
  Co = V_XOR5(A##bo, A##go, A##ko, A##mo, A##so);                              \
  Cu = V_XOR5(A##bu, A##gu, A##ku, A##mu, A##su)
#if KECCAK_XOR3
#define K_THETA_D()                                                            \
  Ra = V_ROL(Ca, 1);                                                           \
  Re = V_ROL(Ce, 1);                                                           \
  Ri = V_ROL(Ci, 1);                                                           \
  Ro = V_ROL(Co, 1);                                                           \
  Ru = V_ROL(Cu, 1)
#define K_TH_a(v) V_XOR3(v, Cu, Re)
#define K_TH_e(v) V_XOR3(v, Ca, Ri)
#define K_TH_i(v) V_XOR3(v, Ce, Ro)
#define K_TH_o(v) V_XOR3(v, Ci, Ru)
#define K_TH_u(v) V_XOR3(v, Co, Ra)
#else
#define K_THETA_D()                                                            \
  Da = V_XOR(Cu, V_ROL(Ce, 1));                                                \
  De = V_XOR(Ca, V_ROL(Ci, 1));                                                \
  Di = V_XOR(Ce, V_ROL(Co, 1));                                                \
  Do = V_XOR(Ci, V_ROL(Cu, 1));                                                \
  Du = V_XOR(Co, V_ROL(Ca, 1))
#define K_TH_a(v) V_XOR(v, Da)
#define K_TH_e(v) V_XOR(v, De)
#define K_TH_i(v) V_XOR(v, Di)
#define K_TH_o(v) V_XOR(v, Do)
#define K_TH_u(v) V_XOR(v, Du)
#endif

/* Rho, pi, chi and iota from theta's output X into E. */
#define K_RHO_PI_CHI(X, E, rc)                                                 \
  Bba = X##ba;                                                                 \
  Bbe = V_ROL(X##ge, 44);                                                      \
  Bbi = V_ROL(X##ki, 43);                                                      \
  Bbo = V_ROL(X##mo, 21);                                                      \
  Bbu = V_ROL(X##su, 14);                                                      \
  E##ba = V_XOR(V_CHI(Bba, Bbe, Bbi), V_CONST(rc));                            \
  E##be = V_CHI(Bbe, Bbi, Bbo);                                                \
  E##bi = V_CHI(Bbi, Bbo, Bbu);                                                \
  E##bo = V_CHI(Bbo, Bbu, Bba);                                                \
  E##bu = V_CHI(Bbu, Bba, Bbe);                                                \
  Bga = V_ROL(X##bo, 28);                                                      \
  Bge = V_ROL(X##gu, 20);                                                      \
  Bgi = V_ROL(X##ka, 3);                                                       \
  Bgo = V_ROL(X##me, 45);                                                      \
  Bgu = V_ROL(X##si, 61);                                                      \
  E##ga = V_CHI(Bga, Bge, Bgi);                                                \
  E##ge = V_CHI(Bge, Bgi, Bgo);                                                \
  E##gi = V_CHI(Bgi, Bgo, Bgu);                                                \
  E##go = V_CHI(Bgo, Bgu, Bga);                                                \
  E##gu = V_CHI(Bgu, Bga, Bge);                                                \
  Bka = V_ROL(X##be, 1);                                                       \
  Bke = V_ROL(X##gi, 6);                                                       \
  Bki = V_ROL(X##ko, 25);                                                      \
  Bko = V_ROL(X##mu, 8);                                                       \
  Bku = V_ROL(X##sa, 18);                                                      \
  E##ka = V_CHI(Bka, Bke, Bki);                                                \
  E##ke = V_CHI(Bke, Bki, Bko);                                                \
  E##ki = V_CHI(Bki, Bko, Bku);                                                \
  E##ko = V_CHI(Bko, Bku, Bka);                                                \
  E##ku = V_CHI(Bku, Bka, Bke);                                                \
  Bma = V_ROL(X##bu, 27);                                                      \
  Bme = V_ROL(X##ga, 36);                                                      \
  Bmi = V_ROL(X##ke, 10);                                                      \
  Bmo = V_ROL(X##mi, 15);                                                      \
  Bmu = V_ROL(X##so, 56);                                                      \
  E##ma = V_CHI(Bma, Bme, Bmi);                                                \
  E##me = V_CHI(Bme, Bmi, Bmo);                                                \
  E##mi = V_CHI(Bmi, Bmo, Bmu);                                                \
  E##mo = V_CHI(Bmo, Bmu, Bma);                                                \
  E##mu = V_CHI(Bmu, Bma, Bme);                                                \
  Bsa = V_ROL(X##bi, 62);                                                      \
  Bse = V_ROL(X##go, 55);                                                      \
  Bsi = V_ROL(X##ku, 39);                                                      \
  Bso = V_ROL(X##ma, 41);                                                      \
  Bsu = V_ROL(X##se, 2);                                                       \
  E##sa = V_CHI(Bsa, Bse, Bsi);                                                \
  E##se = V_CHI(Bse, Bsi, Bso);                                                \
  E##si = V_CHI(Bsi, Bso, Bsu);                                                \
  E##so = V_CHI(Bso, Bsu, Bsa);                                                \
  E##su = V_CHI(Bsu, Bsa, Bse)

/* A full round from A into E. */
#define K_ROUND(A, E, rc)                                                      \
  K_COLUMNS(A);                                                                \
  K_THETA_D();                                                                 \
  Xba = K_TH_a(A##ba), Xbe = K_TH_e(A##be), Xbi = K_TH_i(A##bi),               \
  Xbo = K_TH_o(A##bo), Xbu = K_TH_u(A##bu);                                    \
  Xga = K_TH_a(A##ga), Xge = K_TH_e(A##ge), Xgi = K_TH_i(A##gi),               \
  Xgo = K_TH_o(A##go), Xgu = K_TH_u(A##gu);                                    \
  Xka = K_TH_a(A##ka), Xke = K_TH_e(A##ke), Xki = K_TH_i(A##ki),               \
  Xko = K_TH_o(A##ko), Xku = K_TH_u(A##ku);                                    \
  Xma = K_TH_a(A##ma), Xme = K_TH_e(A##me), Xmi = K_TH_i(A##mi),               \
  Xmo = K_TH_o(A##mo), Xmu = K_TH_u(A##mu);                                    \
  Xsa = K_TH_a(A##sa), Xse = K_TH_e(A##se), Xsi = K_TH_i(A##si),               \
  Xso = K_TH_o(A##so), Xsu = K_TH_u(A##su);                                    \
  K_RHO_PI_CHI(X, E, rc)

/*
 * Round 0 on the absorbed block: A = (d0, d1, d2, d3, 1, 0, ..., 0,
 * Ame = 2^63, 0, ...). The column parities are d0, d1 ^ 2^63, d2, d3, 1, so
 * D = (rol(d1, 1), d0 ^ rol(d2, 1), d1 ^ 2^63 ^ rol(d3, 1), d2 ^ 2,
 * d3 ^ rol(d0, 1)) (rol(2^63, 1) = 1 cancels the 1 of column 4 in D[0]),
 * and every zero lane of column x becomes D[x].
 */
#define K_ROUND0(d0, d1, d2, d3, E)                                            \
  Da = V_ROL(d1, 1);                                                           \
  De = V_XOR(d0, V_ROL(d2, 1));                                                \
  Di = V_XOR(V_XOR(d1, V_ROL(d3, 1)), V_CONST(0x8000000000000000ull));         \
  Do = V_XOR(d2, V_CONST(2));                                                  \
  Du = V_XOR(d3, V_ROL(d0, 1));                                                \
  Xba = V_XOR(d0, Da), Xbe = V_XOR(d1, De), Xbi = V_XOR(d2, Di),               \
  Xbo = V_XOR(d3, Do), Xbu = V_XOR(Du, V_CONST(1));                            \
  Xga = Da, Xge = De, Xgi = Di, Xgo = Do, Xgu = Du;                            \
  Xka = Da, Xke = De, Xki = Di, Xko = Do, Xku = Du;                            \
  Xma = Da, Xme = V_XOR(De, V_CONST(0x8000000000000000ull)), Xmi = Di,         \
  Xmo = Do, Xmu = Du;                                                          \
  Xsa = Da, Xse = De, Xsi = Di, Xso = Do, Xsu = Du;                            \
  K_RHO_PI_CHI(X, E, keccak_rc[0])

#define K_TEMPS                                                                \
  V Ca, Ce, Ci, Co, Cu;                                                        \
  V Da, De, Di, Do, Du;                                                        \
  V Ra, Re, Ri, Ro, Ru;                                                        \
  V Bba, Bbe, Bbi, Bbo, Bbu, Bga, Bge, Bgi, Bgo, Bgu, Bka, Bke, Bki, Bko, Bku, \
      Bma, Bme, Bmi, Bmo, Bmu, Bsa, Bse, Bsi, Bso, Bsu;                        \
  K_LANES(X);                                                                  \
  K_LANES(A);                                                                  \
  K_LANES(E);                                                                  \
  (void)Ra, (void)Re, (void)Ri, (void)Ro, (void)Ru;                            \
  (void)Da, (void)De, (void)Di, (void)Do, (void)Du

/* Rounds 0..22 into A: round 0 folded, then 11 double rounds (A -> E -> A)
 * in a loop. Unrolling all of them (-DKECCAK_FULL_UNROLL=1, kept for
 * scripts/cpu_variants.sh) measured 10% slower: see results/cpu.md. */
#if defined(KECCAK_FULL_UNROLL) && KECCAK_FULL_UNROLL
#define K_UNROLL _Pragma("GCC unroll 11")
#else
#define K_UNROLL
#endif
#define K_ROUNDS_0_TO_22(d0, d1, d2, d3)                                       \
  K_ROUND0(d0, d1, d2, d3, A);                                                 \
  K_UNROLL for (int r = 1; r < 23; r += 2) {                                   \
    K_ROUND(A, E, keccak_rc[r]);                                               \
    K_ROUND(E, A, keccak_rc[r + 1]);                                           \
  }

/* The output lane 0 (lane3 false) or 3 (lane3 true) of Keccak-256 of the
 * message d0..d3. Round 23 computes only that lane: chi of row 0 needs
 * B[0..2] (lane 0) or B[3], B[4], B[0] (lane 3), iota touches lane 0 only. */
static inline __attribute__((always_inline)) V keccak_top(V d0, V d1, V d2,
                                                          V d3, bool lane3) {
  K_TEMPS;
  K_ROUNDS_0_TO_22(d0, d1, d2, d3);
  K_COLUMNS(A);
  K_THETA_D();
  Bba = K_TH_a(Aba);
  if (!lane3) {
    Bbe = V_ROL(K_TH_e(Age), 44);
    Bbi = V_ROL(K_TH_i(Aki), 43);
    return V_XOR(V_CHI(Bba, Bbe, Bbi), V_CONST(keccak_rc[23]));
  }
  Bbo = V_ROL(K_TH_o(Amo), 21);
  Bbu = V_ROL(K_TH_u(Asu), 14);
  return V_CHI(Bbo, Bbu, Bba);
}

/* The four output lanes (the 32-byte digest) of Keccak-256 of d0..d3. */
static inline __attribute__((always_inline)) void keccak_full(V d0, V d1, V d2,
                                                              V d3, V out[4]) {
  K_TEMPS;
  K_ROUNDS_0_TO_22(d0, d1, d2, d3);
  K_ROUND(A, E, keccak_rc[23]);
  out[0] = Eba;
  out[1] = Ebe;
  out[2] = Ebi;
  out[3] = Ebo;
}
