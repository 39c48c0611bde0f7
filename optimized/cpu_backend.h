/*
 * The optimized CPU backend ("cpu" in the registry): SIMD seal kernels
 * chosen at run time from CPUID, and a persistent pool of worker threads
 * bound to cores with hwloc.
 *
 * Kernel paths (what `--isa` names), fastest first as dispatch.c ranks them:
 *   avx512        SHA-256 with AVX-512 (16 nonces a vector), Keccak-f[1600]
 *                 with AVX-512 (8 nonces a vector)
 *   avx512+shani  SHA-256 with SHA-NI (4 nonces interleaved), Keccak with
 *                 AVX-512
 *   avx2+shani    SHA-256 with SHA-NI, Keccak with AVX2 (4 nonces)
 *   avx2          SHA-256 with AVX2 (8 nonces), Keccak with AVX2
 *   shani         SHA-256 with SHA-NI, Keccak in portable C
 *   portable      plain C for both (every CPU, every architecture)
 * "avx512" needs AVX-512 F, BW and VL with the OS saving zmm state; "shani"
 * needs the SHA extensions and SSE4.1; "avx2" needs AVX2 with the OS saving
 * ymm state. On other architectures than x86-64 only "portable" is built.
 *
 * Scans of one opened backend are serialized; at most one runs at a time.
 *
 * Options (sp_backend_options): threads (0: one per core, from the hwloc
 * topology; with per_hw_thread one per hardware thread), no_pin, isa (NULL:
 * the fastest path this CPU runs), update_interval (nonces a worker takes at
 * a time and between two polls of keep_going; 0: 65536, under 4 ms on the
 * avx512 path at the rates of results/cpu.md). An unknown isa, an isa this CPU
 * cannot run, or threads outside 0..4096 make open() fail with -SP_EINVAL and a
 * message.
 */
#ifndef SUBPOW_OPTIMIZED_CPU_BACKEND_H
#define SUBPOW_OPTIMIZED_CPU_BACKEND_H

#include <stddef.h>

#include "backend/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const sp_backend_vtable sp_backend_cpu;

/* The kernel path names this CPU can run, fastest first; "portable" is
 * always last. Sets *names to a static array and returns its length. */
size_t sp_cpu_isa_list(const char *const **names);

/* The fastest path this CPU can run (the default of `--isa`). */
const char *sp_cpu_isa_best(void);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_OPTIMIZED_CPU_BACKEND_H */
