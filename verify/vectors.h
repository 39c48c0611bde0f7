/*
 * Loading the committed test vectors (the JSON files in vectors/, made by
 * scripts/gen_vectors.py with Python's hashlib and pycryptodome). Used by
 * `bench verify` and by the test suite.
 */
#ifndef SUBPOW_VERIFY_VECTORS_H
#define SUBPOW_VERIFY_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "common/error_record.h"
#include "reference/reference.h"

typedef struct sp_hash_vector {
  uint8_t *input;
  size_t input_len;
  uint8_t keccak256[32], sha256[32], sha3_256[32];
} sp_hash_vector;

typedef struct sp_seal_vector {
  uint8_t block_hash[32], hotkey[32], block_and_hotkey_hash[32], seal[32];
  uint64_t nonce;
} sp_seal_vector;

typedef struct sp_rule_vector {
  uint8_t seal[32];
  uint64_t difficulty;
  bool expect[3]; /* indexed by sp_rule */
} sp_rule_vector;

typedef struct sp_solution_vector {
  uint8_t block_and_hotkey_hash[32];
  uint64_t difficulty, start, count;
  uint64_t *solutions[3]; /* ascending, indexed by sp_rule */
  size_t n_solutions[3];
} sp_solution_vector;

typedef struct sp_vectors {
  sp_hash_vector *hashes;
  size_t n_hashes;
  sp_seal_vector *seals;
  size_t n_seals;
  sp_rule_vector *rules;
  size_t n_rules;
  sp_solution_vector *solutions;
  size_t n_solutions;
} sp_vectors;

/*
 * Loads hashes.json, seals.json, difficulty.json and solutions.json from
 * `dir`. Returns 0, or a negative sp_error code and fills `err` (may be NULL)
 * with a message naming the file and the field: the file's own code when it
 * cannot be opened (-SP_ENOT_FOUND, -SP_ENOT_REGULAR, -SP_EACCESS, -SP_EIO),
 * -SP_EINVAL when it is not the vectors' JSON, -SP_ENOMEM. Free with
 * sp_vectors_free (also after a failure).
 */
int sp_vectors_load(const char *dir, sp_vectors *out, sp_error_record *err);
void sp_vectors_free(sp_vectors *v);

/* Parses a decimal u64 with nothing else around it. Returns 0 or -SP_ERANGE
 * (overflow) or -SP_EINVAL (not a number). */
int sp_parse_u64(const char *s, uint64_t *out);

#endif /* SUBPOW_VERIFY_VECTORS_H */
