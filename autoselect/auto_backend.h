/*
 * `--backend auto`: the fastest backend that has passed verification on this
 * machine, with this build of the program.
 *
 * For every candidate backend (the registry's, in its order) that opens with
 * the given options, the key "<backend>|<id>/<name>/<isa>/<units>;..." names
 * it and the devices it drives. A key not in the cache is verified once: the
 * committed vectors plus `random_cases` seeded random cases against the
 * reference (sp_verify_backend); if it passes, its rate is measured on a
 * piece of work no nonce solves: SP_AUTO_SAMPLES samples of the same fixed
 * number of nonces (sized to take `rate_seconds` in all), and the best
 * sample counts, so a burst of other work during one sample cannot make a
 * fast backend look slow. A measurement is "disturbed" when fewer than
 * SP_AUTO_CONFIRM samples come within 20% of the best, or when the process
 * was preempted often (involuntary context switches, getrusage(2): another
 * process wanted the cores): its rate is still used for this choice but is
 * cached marked so, and the next use measures again (never a cached choice
 * made on a busy machine). The verification itself is cached
 * against the executable's build id (sp_build_id), so a rebuild, another
 * GPU or another kernel path (the isa string) triggers a new verification.
 * "Fastest" is the highest measured rate among verified candidates; a
 * candidate that failed is never chosen until the cache is refreshed.
 */
#ifndef SUBPOW_AUTOSELECT_AUTO_BACKEND_H
#define SUBPOW_AUTOSELECT_AUTO_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "autoselect/auto_cache.h"
#include "backend/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_auto_config {
  const char *vectors_dir; /* the committed vectors (required) */
  const char *cache_dir;   /* NULL: sp_auto_cache_default_dir */
  const char *build_id;    /* NULL: sp_build_id() */
  uint64_t seed;           /* random cases' seed (0: 1) */
  unsigned random_cases;   /* 0: 48 */
  double rate_seconds;     /* 0: 0.5 */
  bool refresh;            /* verify again even when cached */
  /* involuntary context switches per second of measuring above which it
   * counts as disturbed (0: 200); tests of the sample logic raise it */
  double max_preemptions_per_s;
  /* The candidates; NULL: the registry. */
  const sp_backend_vtable *const *candidates;
  size_t n_candidates;
} sp_auto_config;

/* The default of max_preemptions_per_s: a measurement during which this
 * process was preempted more often than this per second ran on a busy
 * machine (`bench sweep` marks its points by the same rule). */
#define SP_AUTO_BUSY_PREEMPTIONS_PER_S 200

/* Involuntary context switches of this process so far (getrusage(2),
 * every thread): how often another process took a core from it. */
long sp_auto_preemptions(void);

#define SP_AUTO_MAX_CANDIDATES 16
#define SP_AUTO_SAMPLES 5
#define SP_AUTO_CONFIRM 3

typedef enum sp_auto_status {
  SP_AUTO_UNAVAILABLE, /* did not open here (no GPU, bad option) */
  SP_AUTO_FAILED,      /* failed verification */
  SP_AUTO_VERIFIED,
} sp_auto_status;

/* What happened to one candidate. */
typedef struct sp_auto_candidate {
  const sp_backend_vtable *vt;
  sp_auto_status status;
  bool from_cache;     /* false: verified (and measured) just now */
  bool measured;       /* the rate was measured just now (fresh, or the
                          cached one was disturbed) */
  sp_auto_entry entry; /* the cache entry (key, counts, rate) */
  char note[256];      /* why unavailable, or the first failure */
} sp_auto_candidate;

typedef struct sp_auto_report {
  sp_auto_candidate c[SP_AUTO_MAX_CANDIDATES];
  size_t n;
  int chosen; /* index into c, or -1 */
  char cache_path[1024];
  char cache_note[512]; /* the cache was unreadable or could not be
                           written (not fatal), "" when fine */
} sp_auto_report;

/*
 * Picks and opens the auto backend as described above; *vt and *b are the
 * chosen backend, opened with `opts` (close with (*vt)->close). Fills *rep
 * (may be NULL) with every candidate's outcome. Returns 0, or a negative
 * sp_error code and fills `err` (may be NULL): -SP_EINVAL when no candidate
 * verified, the vectors are missing, or there is no build id or no cache
 * directory; -SP_ERANGE for a cache path too long; -SP_ENOMEM. Prints
 * nothing.
 */
int sp_auto_backend_open(const sp_auto_config *cfg,
                         const sp_backend_options *opts,
                         const sp_backend_vtable **vt, sp_backend **b,
                         sp_auto_report *rep, sp_error_record *err);

/* The cache key of an opened backend (see above). */
void sp_auto_backend_key(const sp_backend_vtable *vt, const sp_backend *b,
                         char *out, size_t outlen);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_AUTOSELECT_AUTO_BACKEND_H */
