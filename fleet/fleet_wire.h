/*
 * The messages between the ranks of a fleet job and their byte layout. Every
 * message starts with the magic byte 'S', the format version and its type;
 * integers are little-endian; strings are fixed-size, NUL-padded fields that
 * must hold a NUL and only printable ASCII before it. sp_wire_decode checks
 * the length of every type exactly and every field's range, so a truncated,
 * padded, garbled or foreign message is refused with a reason instead of
 * being acted on. No MPI here: the tests and fuzzers use it directly.
 */
#ifndef SUBPOW_FLEET_FLEET_WIRE_H
#define SUBPOW_FLEET_FLEET_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "common/error_record.h"

#define SP_WIRE_MAGIC 'S'
#define SP_WIRE_VERSION 1
/* The largest message accepted: a report carries a rank's typed result
 * (a sweep of 4096 points of a few hundred bytes each, a verification
 * report with its failure lines). */
#define SP_WIRE_MAX (16u << 20)

typedef enum sp_wire_type {
  SP_WIRE_HELLO = 1,  /* worker -> 0: its backend opened (or not) */
  SP_WIRE_ASSIGN = 2, /* 0 -> worker: scan this work on these nonces */
  SP_WIRE_ABORT = 3,  /* 0 -> worker: leave the scan of generation seq */
  SP_WIRE_END = 4,    /* 0 -> worker: the job is over */
  SP_WIRE_FOUND = 5,  /* worker -> 0: a solution of generation seq */
  SP_WIRE_DONE = 6,   /* worker -> 0: the scan of seq returned */
  SP_WIRE_BEAT = 7,   /* worker -> 0: still alive (every second) */
  SP_WIRE_BYE = 8,    /* worker -> 0: leaving on a signal */
  SP_WIRE_REPORT = 9, /* worker -> 0: its command's status and output */
} sp_wire_type;

/* What a report carries: nothing but the status (the rank's command ended
 * before it had a result; both texts empty), or the rank's typed result
 * (text1: the result serialized by its own codec, text2: its type, which
 * rank 0 checks against the one it gathers). */
typedef enum sp_report_kind {
  SP_REPORT_STATUS = 1,
  SP_REPORT_RESULT = 3,
} sp_report_kind;

#define SP_WIRE_HOST 64
#define SP_WIRE_NAME 32
#define SP_WIRE_DEVICE 128
#define SP_WIRE_ISA 64
#define SP_WIRE_ERR 200

typedef struct sp_wire_msg {
  sp_wire_type type;
  char host[SP_WIRE_HOST]; /* HELLO, REPORT */
  /* HELLO */
  bool ok;
  char backend[SP_WIRE_NAME], device[SP_WIRE_DEVICE], isa[SP_WIRE_ISA];
  uint32_t units, n_devices;
  /* ASSIGN, ABORT, FOUND, DONE */
  uint64_t seq;
  sp_work work;          /* ASSIGN */
  sp_nonce_range range;  /* ASSIGN */
  uint64_t nonce;        /* FOUND */
  uint8_t seal[32];      /* FOUND */
  uint64_t scanned;      /* DONE */
  int32_t rc;            /* DONE: 0, or the backend's negative code */
  char err[SP_WIRE_ERR]; /* HELLO (why not ok), DONE (why rc) */
  uint32_t status;       /* END, REPORT: an exit status 0..255; BYE: signal */
  sp_report_kind kind;   /* REPORT */
  /* REPORT: two texts (the serialized result and its type); pointers into
   * the decoded buffer, NUL-terminated only by sp_wire_decode's copy. */
  const char *text1, *text2;
  uint32_t len1, len2;
} sp_wire_msg;

/*
 * Encodes `m` into buf (cap bytes). Returns the length, or 0 when it does
 * not fit. Texts of a REPORT are copied from text1/len1 and text2/len2.
 */
size_t sp_wire_encode(const sp_wire_msg *m, uint8_t *buf, size_t cap);

/* The encoded size of a REPORT with texts of len1 and len2 bytes. */
size_t sp_wire_report_size(uint32_t len1, uint32_t len2);

/*
 * Decodes `len` bytes into *m. Returns 0, or -SP_EINVAL (a malformed
 * message) or -SP_ENOMEM, filling `err` (may be NULL) with the reason.
 * A REPORT's texts are returned as malloc'd NUL-terminated copies in
 * *text1 and *text2 (free them; NULL for other types); a text holding a NUL
 * byte is refused.
 */
int sp_wire_decode(const uint8_t *buf, size_t len, sp_wire_msg *m, char **text1,
                   char **text2, sp_error_record *err);

/* "hello", "assign", ... ("?" for anything else). */
const char *sp_wire_type_name(int type);

#endif
