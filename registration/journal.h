/*
 * The solution journal: one JSON object per line, appended and fsync'd
 * before a solution is submitted, so that a found solution is never lost
 * (a crash, a dead node or a signal after this point leaves it on disk),
 * and before the submission goes out, so that a solution that may be in a
 * node's pool is looked for on chain, never sent a second time.
 *
 * Every function returns 0 (or a count) or the negation of a code of
 * common/error.h (sp_strerror describes it), never an errno value.
 */
#ifndef SUBPOW_REGISTRATION_JOURNAL_H
#define SUBPOW_REGISTRATION_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error_record.h"

typedef struct sp_journal_entry {
  /* "found" (before it is submitted); "sending" (just before the
   * submission goes out, with the signed extrinsic: from here it may be in
   * a pool or a block); then one of: "stale" (its window closed before it
   * could be sent), "unsent" (the node could not be asked; it is not on
   * chain), "included" (in a block, the call succeeded), "refused" (the
   * pool refused it, it was included and the call failed, or it does not
   * solve the chain's work), "unknown" (it may be in the pool or a block:
   * the answer to the submission was lost, the node went away while it was
   * watched, the watch timed out, or a signal stopped it), "dropped" (the
   * node said dropped, invalid or usurped; it is looked for on chain all
   * the same), "expired" (looked for in every block of its window and not
   * there: it can never be included). Over WebSocket, each status the node
   * reports while watching is a line too (a repeat of the same status is
   * not): "watch_ready", "watch_inBlock" (detail: the block hash),
   * "watch_finalized", "watch_dropped", "watch_invalid", ..., and
   * "watch_lost" (the connection went away: watched by polling from then
   * on), "watch_polling" (the node has no such subscription). */
  const char *event;
  const char *kind; /* "register" or "faucet" */
  const char *node; /* the node's URL */
  uint16_t netuid;
  const uint8_t *key; /* the public key in the seal (32 bytes): the hotkey
                         of a registration, the coldkey of a faucet claim */
  uint64_t block_number, nonce;
  const uint8_t *seal;    /* 32 bytes */
  const char *detail;     /* the chain's answer, or NULL */
  const uint8_t *genesis; /* the chain's genesis hash (32 bytes), required:
                             which chain, whatever node served it */
  /* With "sending": the signed extrinsic (its bytes and hash) and the
   * first block that may include it; NULL / 0 otherwise. */
  const uint8_t *xt;
  size_t xt_len;
  const uint8_t *xt_hash;
  uint64_t first_block;
} sp_journal_entry;

/*
 * Appends one line and fsyncs. The journal is created 0600; a symbolic
 * link is never followed (O_NOFOLLOW); a last line cut short by a crash
 * (no newline) is closed first, so the new line starts on a line of its
 * own. Returns 0 (and clears `err`), or a negative code and fills `err`
 * (may be NULL): -SP_EINVAL (no genesis, key or seal, or an extrinsic over
 * SP_JOURNAL_XT_MAX), -SP_ENOMEM, or the file's error (-SP_ENOT_FOUND,
 * -SP_ENOT_REGULAR for a symbolic link or what is not a regular file,
 * -SP_EACCESS, -SP_EIO), whose message names the path and the reason and
 * whose sys_errno is the failed call's errno.
 */
int sp_journal_write(const char *path, const sp_journal_entry *e,
                     sp_error_record *err);
/* sp_journal_write without the message. */
int sp_journal_append(const char *path, const sp_journal_entry *e);

/*
 * Checks, before anything is solved, that `path` can take entries: opens it
 * for appending without blocking and without following a symbolic link
 * (when absent: creates it, then removes it again), and refuses what is not
 * a regular file. Returns 0 (and clears `err`), or the file's error as
 * sp_journal_write's, filling `err` (may be NULL) with a one-line message
 * naming the path and the real reason (a missing directory, a file system
 * that makes no files there such as /proc, a read-only file system, a
 * symbolic link, a directory, no write permission, a FIFO or device).
 */
int sp_journal_check(const char *path, sp_error_record *err);

#define SP_JOURNAL_XT_MAX 2048    /* bytes of a journaled extrinsic */
#define SP_JOURNAL_PENDING_MAX 16 /* solutions one read hands back */
#define SP_JOURNAL_READ_MAX (16u << 20)

/* A journaled solution whose outcome is not known. */
typedef struct sp_journal_pending {
  uint64_t block_number, nonce;
  uint8_t seal[32];
  char event[24]; /* its last event */
  /* It may have reached a node (its last event is "sending", "unknown",
   * "dropped" or a "watch_*" status): look for it on chain, never send it
   * again. Else ("found", "unsent") it was surely never taken. */
  bool sent;
  /* The extrinsic of its "sending" line, when there was one. */
  bool have_xt;
  uint8_t xt_hash[32];
  uint64_t first_block;
  uint8_t xt[SP_JOURNAL_XT_MAX];
  size_t xt_len;
} sp_journal_pending;

/* Which solutions to read back. */
typedef struct sp_journal_query {
  const char *kind;   /* "register" or "faucet" */
  const uint8_t *key; /* 32 bytes: the key in the seal */
  uint16_t netuid;
  const uint8_t *genesis; /* 32 bytes: entries with a genesis hash must
                             match it */
  const char *node;       /* older entries without one must match it */
  uint64_t best;          /* the chain's best block: an entry of a later
                             block cannot be the chain's, and is ignored */
} sp_journal_query;

typedef struct sp_journal_scan {
  /* Unresolved solutions, newest block first. */
  sp_journal_pending pending[SP_JOURNAL_PENDING_MAX];
  size_t n;
  /* Lines that are not entries (a line cut short by a crash, garbage):
   * skipped; how many, and the number (from 1) of the first. */
  uint64_t unreadable, first_unreadable;
} sp_journal_scan;

/*
 * Reads the journal at `path` back (after a crash or a kill, say) and
 * gathers, for this query, every solution whose last event leaves it
 * unresolved ("found", "unsent", "sending", "unknown", "dropped",
 * "watch_*"); "included", "refused", "stale" and "expired" resolve one.
 * Each solution is followed by its seal, whatever block it is for, so one
 * entry (a bogus block number, a solution of another block) never hides
 * another. At most the last SP_JOURNAL_READ_MAX bytes are read. Returns the
 * number of solutions in out (0 also when there is no journal), or a
 * negative code: -SP_EINVAL (no kind or key), -SP_ENOMEM, or the file's
 * error as sp_journal_write's (no message: the caller names the path).
 */
int sp_journal_read(const char *path, const sp_journal_query *q,
                    sp_journal_scan *out);

#endif
