/*
 * The one pseudo-random generator of subpow, for what needs spread and not
 * secrecy: backoff jitter, the mock's fault rolls, a solve's start nonce.
 * Keys and nonces that must be unpredictable come from libsodium or
 * getrandom(2) directly, never from here.
 *
 * The generator is splitmix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014; the constants of Vigna's
 * public-domain splitmix64.c): every 64-bit state, 0 included, is a valid
 * seed, and one seed gives one sequence, so a test that fixes the seed sees
 * the same rolls on every machine.
 */
#ifndef SUBPOW_COMMON_RNG_H
#define SUBPOW_COMMON_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Advances `*state` and returns the next value. Not thread-safe: callers that
 * share a state hold their own lock around it. */
uint64_t sp_rng_next(uint64_t *state);

/* A seed that differs between processes and calls: getrandom(2), or where
 * that fails the wall clock, the pid and a counter (any value is correct,
 * only less spread out). */
uint64_t sp_rng_seed(void);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_RNG_H */
