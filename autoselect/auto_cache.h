/*
 * The `--backend auto` cache: for one build of the program (its build id),
 * which backend-and-device combinations passed the quick verification and
 * how fast they were. One JSON file per build id:
 *
 *   <cache dir>/auto-<build id>.json
 *   {"build_id": "...", "entries": [{"key": "...", "backend": "cpu",
 *     "verified": true, "passed": N, "failed": M, "random_cases": R,
 *     "seed": S, "hashes_per_second": X, "rate_disturbed": false,
 *     "checked_at": "2026-...Z", "first_failure": "..."}]}
 *
 * The cache directory is $XDG_CACHE_HOME/subpow when XDG_CACHE_HOME is an
 * absolute path (the XDG Base Directory spec ignores relative ones), else
 * $HOME/.cache/subpow.
 */
#ifndef SUBPOW_AUTOSELECT_AUTO_CACHE_H
#define SUBPOW_AUTOSELECT_AUTO_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error_record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_auto_entry {
  char key[512]; /* backend name and its devices, see auto_backend.h */
  char backend[32];
  bool verified; /* passed every check */
  unsigned long passed, failed;
  unsigned random_cases;
  uint64_t seed;
  double hashes_per_second; /* 0 when not measured (failed) */
  /* the rate was measured on a busy machine (auto_backend.h): kept for the
   * record, never used; the next use measures again */
  bool rate_disturbed;
  char checked_at[32];     /* UTC, ISO 8601 */
  char first_failure[256]; /* the first failed check, "" when none */
} sp_auto_entry;

typedef struct sp_auto_cache {
  char build_id[128];
  sp_auto_entry *entries;
  size_t n, cap;
} sp_auto_cache;

/* The default cache directory (see above) into out. Returns 0, or
 * -SP_EINVAL when neither variable gives one. */
int sp_auto_cache_default_dir(char *out, size_t outlen);

/* <dir>/auto-<build_id>.json. Returns 0 or -SP_ERANGE (too long). */
int sp_auto_cache_path(const char *dir, const char *build_id, char *out,
                       size_t outlen);

/*
 * Loads `path` into *c for `build_id`. A missing file gives an empty cache
 * and 0. A file that is not a valid cache, or belongs to another build id,
 * also gives an empty cache, and returns 1 (not an error: the caller
 * re-verifies and overwrites it) with the reason in `err` (may be NULL; its
 * code is the file's when unreadable, else SP_EINVAL). Returns a negative
 * code, -SP_ENOMEM with `err` filled, only when out of memory.
 */
int sp_auto_cache_load(const char *path, const char *build_id, sp_auto_cache *c,
                       sp_error_record *err);

/* Writes *c to `path` atomically (a temporary file renamed over it),
 * creating the directories. Returns 0, or -SP_EINVAL and fills `err` (may be
 * NULL). */
int sp_auto_cache_save(const char *path, const sp_auto_cache *c,
                       sp_error_record *err);

/* The entry with `key`, or NULL. */
const sp_auto_entry *sp_auto_cache_find(const sp_auto_cache *c,
                                        const char *key);

/* Adds `e`, replacing an entry with the same key. Returns 0 or -SP_ENOMEM. */
int sp_auto_cache_put(sp_auto_cache *c, const sp_auto_entry *e);

void sp_auto_cache_free(sp_auto_cache *c);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_AUTOSELECT_AUTO_CACHE_H */
