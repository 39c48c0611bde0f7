/*
 * Times each seal-kernel stage of the cpu backend alone, in nanoseconds a
 * nonce, on one thread: what results/cpu.md's stage table comes from. Not
 * part of the build; compile it against a build folder:
 *
 *   cc -O2 -I. scripts/cpu_stages.c build-cpu/optimized/libsubpow_cpu.a \
 *      build-cpu/reference/libsubpow_reference.a -lcrypto -lnettle -lhwloc \
 *      -lpthread -o build-cpu/cpu_stages && build-cpu/cpu_stages
 *
 * Each stage runs 2^18 batches (2^22 nonces) three times; the best of three
 * is printed, the others show the noise.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "optimized/seal_kernels.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void) {
  const long batches = 1L << 18;
  uint8_t bahh[32];
  for (int i = 0; i < 32; i++)
    bahh[i] = (uint8_t)(i * 37 + 11);
  sp_seal_prep p;
  sp_seal_prep_init(&p, bahh, UINT64_MAX, SP_RULE_CHAIN_LE);
  static sp_digest_batch batch;
  const sp_seal_path *const *paths;
  size_t n = sp_seal_paths_supported(&paths);
  uint32_t sink = 0;
  for (size_t k = 0; k < n; k++) {
    double sha[3], keccak[3];
    for (int r = 0; r < 3; r++) {
      double t = now();
      for (long i = 0; i < batches; i++)
        paths[k]->sha256(&p, (uint64_t)i * SP_SEAL_BATCH, &batch);
      sha[r] = (now() - t) / (double)batches / SP_SEAL_BATCH * 1e9;
      t = now();
      for (long i = 0; i < batches; i++) {
        batch.lane[0][i % SP_SEAL_BATCH] ^=
            (uint64_t)i; /* new input each time */
        sink += paths[k]->keccak(&p, &batch);
      }
      keccak[r] = (now() - t) / (double)batches / SP_SEAL_BATCH * 1e9;
    }
    double bs = sha[0], bk = keccak[0];
    for (int r = 1; r < 3; r++) {
      if (sha[r] < bs) bs = sha[r];
      if (keccak[r] < bk) bk = keccak[r];
    }
    printf("%-13s sha256 %6.1f ns (%.1f %.1f %.1f)  keccak %6.1f ns (%.1f %.1f "
           "%.1f)  sum %6.1f ns = %5.2f MH/s\n",
           paths[k]->name, bs, sha[0], sha[1], sha[2], bk, keccak[0], keccak[1],
           keccak[2], bs + bk, 1e3 / (bs + bk));
  }
  return sink == 0x12345678; /* keeps the Keccak calls */
}
