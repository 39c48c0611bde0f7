/*
 * The solution journal: one JSON object per line, appended and fsync'd
 * before a solution is submitted, so that a found solution is never lost
 * (a crash, a dead node or a signal after this point leaves it on disk).
 */
#ifndef SUBPOW_REGISTRATION_JOURNAL_H
#define SUBPOW_REGISTRATION_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct sp_journal_entry {
  /* "found" (before it is submitted), then one of: "stale" (its window
   * closed before it could be sent), "unsent" (the node could not be asked;
   * it is not on chain), "included" (in a block, the call succeeded),
   * "refused" (the pool refused it, or it was included and the call
   * failed), "unknown" (it may be in the pool or a block: the answer to the
   * submission was lost, the node went away while it was watched, the watch
   * timed out, or a signal stopped it). */
  const char *event;
  const char *kind; /* "register" or "faucet" */
  const char *node; /* the node's URL */
  uint16_t netuid;
  const uint8_t *key; /* the public key in the seal (32 bytes) */
  uint64_t block_number, nonce;
  const uint8_t *seal; /* 32 bytes */
  const char *detail;  /* the chain's answer, or NULL */
  const uint8_t *genesis; /* the chain's genesis hash (32 bytes), or NULL:
                             which chain, whatever node served it */
} sp_journal_entry;

/* Appends one line and fsyncs; creates the file 0600. Returns 0 or -errno. */
int sp_journal_append(const char *path, const sp_journal_entry *e);

/*
 * Checks, before anything is solved, that `path` can take entries: opens it
 * for appending without blocking (when absent: creates it, then removes it
 * again), and
 * refuses what is not a regular file. Returns 0, or -errno with a one-line
 * message in err naming the path and the reason (a missing directory, a
 * directory, no write permission, a FIFO or device).
 */
int sp_journal_check(const char *path, char *err, size_t errlen);

/* A journaled solution that may still be worth submitting. */
typedef struct sp_journal_pending {
  uint64_t block_number, nonce;
  uint8_t seal[32];
  char event[16]; /* its last event: "found", "unknown" or "unsent" */
} sp_journal_pending;

/*
 * Reads the journal at `path` back (after a crash or a kill, say) and finds
 * the newest block's solution for this `kind`, `key` and `netuid` on this
 * chain (entries with a genesis hash must match `genesis`; older entries
 * without one must match `node`) whose last event leaves it unresolved:
 * "found" (never sent), "unsent" or "unknown". Solutions of that block that
 * were included, refused or went stale do not count. Lines that are not
 * entries (one cut short by a crash) are skipped; at most the last
 * SP_JOURNAL_READ_MAX bytes are read. Returns 1 with *out set, 0 when
 * there is none (or no journal), or -errno when it cannot be read.
 */
#define SP_JOURNAL_READ_MAX (16u << 20)
int sp_journal_find_pending(const char *path, const char *kind,
                            const uint8_t key[32], uint16_t netuid,
                            const uint8_t genesis[32], const char *node,
                            sp_journal_pending *out);

#endif
