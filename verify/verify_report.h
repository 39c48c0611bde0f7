/*
 * The typed result of a verification run: one suite per backend and device
 * (and per host and rank in a fleet job), one case per vector group and per
 * batch of random cases, each case with its counts, its time and the
 * reproduction line of each failure. `bench verify` fills it; its text,
 * JSON and JUnit renderers print it; a fleet job sends it between ranks as
 * a serialized struct (sp_verify_report_encode/decode) and merges suites.
 */
#ifndef SUBPOW_VERIFY_VERIFY_REPORT_H
#define SUBPOW_VERIFY_VERIFY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error_record.h"

/* Failure lines kept per case; the counts stay exact beyond it. */
#define SP_VERIFY_KEEP_FAILURES 100
/* Random cases per case of a report ("random seed=S cases A-B"). */
#define SP_VERIFY_RANDOM_BATCH 100

typedef struct sp_verify_case {
  char name[96]; /* "seals.json", "random seed=1 cases 0-99" */
  unsigned long passed, failed;
  double seconds;
  char **failures; /* reproduction lines (malloc'd), at most KEEP */
  size_t n_failures;
} sp_verify_case;

typedef enum sp_verify_state {
  SP_VERIFY_RAN = 0,     /* the cases say how it went */
  SP_VERIFY_SKIPPED = 1, /* not named and cannot run here: reason says */
  SP_VERIFY_ERROR = 2,   /* named and cannot run, or the rank ended without
                            a result: reason says (exit status 2) */
} sp_verify_state;

typedef struct sp_verify_suite {
  char backend[32]; /* "library" for the reference library's own checks */
  char device[128];
  char host[64]; /* "" outside a fleet */
  int rank;      /* -1 outside a fleet */
  sp_verify_state state;
  char reason[256]; /* SKIPPED/ERROR: why */
  sp_verify_case *cases;
  size_t n_cases;
  double seconds;
} sp_verify_suite;

typedef struct sp_verify_report {
  sp_verify_suite *suites;
  size_t n_suites;
} sp_verify_report;

/* Adds an empty suite (state RAN, rank -1). Returns it, or NULL without
 * memory. The pointer is valid until the next add. */
sp_verify_suite *sp_verify_report_add(sp_verify_report *r, const char *backend,
                                      const char *device);

/* Adds an empty case named `name` to s. Returns it, or NULL. The pointer is
 * valid until the next case is added. */
sp_verify_case *sp_verify_suite_add_case(sp_verify_suite *s, const char *name);

/* Counts one check of c; a failed one keeps `line` (up to KEEP). */
void sp_verify_case_check(sp_verify_case *c, bool ok, const char *line);

/* Sums of a suite and of the report. */
void sp_verify_suite_totals(const sp_verify_suite *s, unsigned long *passed,
                            unsigned long *failed);
void sp_verify_report_totals(const sp_verify_report *r, unsigned long *passed,
                             unsigned long *failed);

/* The documented exit status: 1 when a check failed, else 2 when a suite is
 * an ERROR, else 0. */
int sp_verify_report_status(const sp_verify_report *r);

/* Moves every suite of *src to the end of *dst (src is left empty).
 * Returns 0, or -SP_ENOMEM without memory (src unchanged). */
int sp_verify_report_move(sp_verify_report *dst, sp_verify_report *src);

void sp_verify_report_free(sp_verify_report *r);

/*
 * The serialized form a fleet rank sends (a JSON document of the struct,
 * not a rendering; malloc'd, or NULL without memory), and its decoder,
 * which checks every field's type, length and range as input from outside.
 * Decode returns 0, or -SP_EINVAL (a field that does not fit, named in the
 * record) or -SP_ENOMEM, filling `err` (may be NULL) and leaving *r empty.
 */
char *sp_verify_report_encode(const sp_verify_report *r);
int sp_verify_report_decode(const char *text, sp_verify_report *r,
                            sp_error_record *err);

#endif /* SUBPOW_VERIFY_VERIFY_REPORT_H */
