/*
 * Verification: the reference library against the committed vectors, and any
 * backend against the vectors and against the reference on seeded random
 * cases. `bench verify` and the test suite are thin callers of this.
 */
#ifndef SUBPOW_VERIFY_VERIFY_H
#define SUBPOW_VERIFY_VERIFY_H

#include "backend/backend.h"
#include "verify/vectors.h"
#include "verify/verify_report.h"

typedef struct sp_verify_result {
  unsigned long passed, failed;
} sp_verify_result;

/* Receives one line per failed check (no trailing newline). */
typedef void (*sp_verify_fail_fn)(void *user, const char *line);

/*
 * Checks the reference library itself: Keccak-256, SHA-256 and the sponge
 * with SHA-3 padding against hashes.json, the three rules and the threshold
 * form against difficulty.json, seals of seals.json through
 * hash_block_with_hotkey and create_seal_hash. Adds to *r.
 */
void sp_verify_library(const sp_vectors *v, sp_verify_fail_fn fail, void *user,
                       sp_verify_result *r);

/*
 * Checks an opened backend: every seal vector (a one-nonce scan at
 * difficulty 0 must report exactly that nonce with that seal), every solution
 * vector under every rule (the exact set), and `random_cases` seeded random
 * cases against sp_solve_for_nonce_block (random block_and_hotkey_hash,
 * difficulty 1..10^6, ranges crossing 2^32 or ending at 2^64 - 1, every
 * rule). Case i uses the generator seeded with (seed, i), so a failure line
 * "seed=S case=I" reproduces with `bench verify --seed S`. Adds to *r.
 * Returns 0 (whatever failed among the cases: *r counts them), or a
 * negative sp_error code when the backend itself failed (its scan's code,
 * or -SP_ENOMEM) and fills `err` (may be NULL).
 */
int sp_verify_backend(const sp_backend_vtable *vt, sp_backend *b,
                      const sp_vectors *v, uint64_t seed, unsigned random_cases,
                      sp_verify_fail_fn fail, void *user, sp_verify_result *r,
                      sp_error_record *err);

/*
 * The same checks into a typed suite (verify_report.h): one case per vector
 * group ("hashes.json", "difficulty.json", "seals.json", "solutions.json")
 * and per batch of SP_VERIFY_RANDOM_BATCH random cases ("random seed=S
 * cases A-B"), each with its time and the reproduction line of each
 * failure (the same line the callback above receives). A backend error
 * also fails the case it happened in, with the line "NAME: backend error:
 * ERR", and is returned (with `err`, which may be NULL, filled) as by
 * sp_verify_backend.
 */
void sp_verify_library_suite(const sp_vectors *v, sp_verify_suite *s);
int sp_verify_backend_suite(const sp_backend_vtable *vt, sp_backend *b,
                            const sp_vectors *v, uint64_t seed,
                            unsigned random_cases, sp_verify_suite *s,
                            sp_error_record *err);

/* A random case as sp_verify_backend draws it (exposed for tests). */
typedef struct sp_random_case {
  sp_work work;
  sp_nonce_range range;
} sp_random_case;
void sp_random_case_draw(uint64_t seed, unsigned index, sp_random_case *c);

#endif /* SUBPOW_VERIFY_VERIFY_H */
