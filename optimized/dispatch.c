/* Run-time dispatch: which kernel paths this CPU can run (CPUID and XGETBV),
 * and which is fastest. See cpu_backend.h for the paths. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "optimized/cpu_backend.h"
#include "optimized/seal_kernels.h"

enum {
  F_SHANI = 1, /* SHA extensions + SSE4.1 */
  F_AVX2 = 2,  /* AVX2, ymm state enabled by the OS */
  F_AVX512 = 4 /* AVX-512 F + BW + VL, zmm state enabled by the OS */
};

typedef struct known_path {
  sp_seal_path path;
  unsigned needs;
} known_path;

/*
 * Fastest first, as measured on the development machine (results/cpu.md:
 * an Intel Xeon with SHA-NI and AVX-512, 2 vCPUs): Keccak-f[1600] is about
 * three quarters of the work and AVX-512 (rotates, three-input logic, 8
 * lanes) is 2.7 times faster at it than AVX2; for SHA-256, 16 AVX-512 lanes
 * (13 ns a nonce) beat SHA-NI with 4 nonces interleaved (24 ns), whose
 * sha256rnds2 throughput is the limit there. On a CPU where SHA-NI is
 * relatively faster (AMD Zen) the order of the first two may flip: measure
 * with `bench hashrate --isa`.
 */
static const known_path known[] = {
#if SP_CPU_X86
    {{"avx512", sp_sha256_stage_avx512, sp_keccak_stage_avx512}, F_AVX512},
    {{"avx512+shani", sp_sha256_stage_shani, sp_keccak_stage_avx512},
     F_AVX512 | F_SHANI},
    {{"avx2+shani", sp_sha256_stage_shani, sp_keccak_stage_avx2},
     F_AVX2 | F_SHANI},
    {{"avx2", sp_sha256_stage_avx2, sp_keccak_stage_avx2}, F_AVX2},
    {{"shani", sp_sha256_stage_shani, sp_keccak_stage_portable}, F_SHANI},
#endif
    {{"portable", sp_sha256_stage_portable, sp_keccak_stage_portable}, 0},
};
#define N_KNOWN (sizeof known / sizeof known[0])

#if SP_CPU_X86
#include <cpuid.h>

static uint64_t xgetbv0(void) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t)hi << 32 | lo;
}

/* Intel SDM volume 2, CPUID leaves 1 and 7; XCR0 bits 1-2 (SSE, AVX state)
 * and 5-7 (opmask, ZMM_Hi256, Hi16_ZMM). */
static unsigned detect_features(void) {
  unsigned a, b, c, d, f = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  bool sse41 = c & (1u << 19), osxsave = c & (1u << 27);
  uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  bool ymm_state = (xcr0 & 0x6) == 0x6, zmm_state = (xcr0 & 0xe6) == 0xe6;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  if ((b & (1u << 29)) && sse41) f |= F_SHANI;
  if ((b & (1u << 5)) && ymm_state) f |= F_AVX2;
  bool avx512 = (b & (1u << 16)) && (b & (1u << 30)) && (b & (1u << 31));
  if (avx512 && zmm_state) f |= F_AVX512;
  return f;
}
#else
static unsigned detect_features(void) { return 0; }
#endif

static const sp_seal_path *supported[N_KNOWN];
static const char *supported_names[N_KNOWN];
static size_t n_supported;
static char all_names[128];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void) {
  unsigned f = detect_features();
  for (size_t i = 0; i < N_KNOWN; i++) {
    if (i) strcat(all_names, ", ");
    strcat(all_names, known[i].path.name);
    if ((known[i].needs & f) != known[i].needs) continue;
    supported[n_supported] = &known[i].path;
    supported_names[n_supported++] = known[i].path.name;
  }
}

size_t sp_seal_paths_supported(const sp_seal_path *const **paths) {
  pthread_once(&once, init);
  *paths = supported;
  return n_supported;
}

const sp_seal_path *sp_seal_path_find(const char *name, bool *is_supported) {
  pthread_once(&once, init);
  *is_supported = false;
  if (name == NULL) return NULL;
  for (size_t i = 0; i < N_KNOWN; i++) {
    if (strcmp(known[i].path.name, name) != 0) continue;
    for (size_t j = 0; j < n_supported; j++)
      if (supported[j] == &known[i].path) *is_supported = true;
    return &known[i].path;
  }
  return NULL;
}

const char *sp_seal_path_names(void) {
  pthread_once(&once, init);
  return all_names;
}

size_t sp_cpu_isa_list(const char *const **names) {
  pthread_once(&once, init);
  *names = supported_names;
  return n_supported;
}

const char *sp_cpu_isa_best(void) {
  pthread_once(&once, init);
  return supported_names[0];
}
