/* The reference library behind the backend interface: one thread, the
 * specification's own functions, so that `bench verify` and the differential
 * tests treat it like any other backend. */
#include "backend/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sp_backend {
  int unused;
};

static int ref_open(const sp_backend_options *opts, sp_backend **out,
                    sp_error_record *err) {
  (void)opts;
  *out = calloc(1, sizeof **out);
  if (*out == NULL) return sp_error_fail(err, SP_ENOMEM, "out of memory");
  return 0;
}

static int ref_device_count(const sp_backend *b) {
  (void)b;
  return 1;
}

static void ref_describe(const sp_backend *b, int i, sp_device_info *out) {
  (void)b;
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name,
           "reference (OpenSSL SHA-256, Nettle Keccak)");
  snprintf(out->isa, sizeof out->isa, "portable");
  out->units = 1;
  out->id = i;
}

struct ref_scan {
  const sp_solution_sink *sink;
};

static bool ref_found(void *user, uint64_t nonce, const uint8_t seal[32]) {
  struct ref_scan *s = user;
  if (s->sink != NULL) s->sink->found(s->sink->user, nonce, seal);
  return true;
}

/* Scans in slices so keep_going is polled; a slice is the SDK's default
 * update interval. */
static int ref_scan(sp_backend *b, const sp_work *work, sp_nonce_range range,
                    const sp_solution_sink *sink, sp_keep_going_fn keep_going,
                    void *keep_going_user, uint64_t *scanned,
                    sp_error_record *err) {
  (void)b;
  *scanned = 0;
  int bad = sp_work_check(work, "reference", err);
  if (bad != 0) return bad;
  const uint64_t slice = 50000;
  uint64_t length = sp_nonce_range_length(range);
  uint64_t done = 0;
  struct ref_scan s = {.sink = sink};
  while (done < length) {
    if (keep_going != NULL && !keep_going(keep_going_user)) break;
    uint64_t n = length - done < slice ? length - done : slice;
    uint64_t got = 0;
    sp_nonce_range part = {.start = range.start + done, .count = n};
    int64_t rc =
        sp_solve_for_nonce_block(work->block_and_hotkey_hash, work->difficulty,
                                 work->rule, part, true, ref_found, &s, &got);
    done += got;
    if (rc < 0) {
      *scanned = done;
      return sp_error_fail(err, (int)-rc, "reference: %s",
                           sp_strerror((int)rc));
    }
  }
  *scanned = done;
  return 0;
}

static void ref_close(sp_backend *b) { free(b); }

int sp_work_check(const sp_work *work, const char *backend,
                  sp_error_record *err) {
  int rc = sp_rule_check(work->rule);
  if (rc != 0)
    return sp_error_fail(err, -rc, "%s: unknown rule %d", backend,
                         (int)work->rule);
  return 0;
}

const sp_backend_vtable sp_backend_reference = {
    .name = "reference",
    .summary = "the specification in code: one thread, OpenSSL and Nettle",
    .open = ref_open,
    .device_count = ref_device_count,
    .describe = ref_describe,
    .scan = ref_scan,
    .close = ref_close,
    .kind = SP_DEVICE_CPU,
    .rank = 0,
    .settings = NULL, /* one thread; `bench sweep` runs several */
    .choices = NULL,
};
