/*
 * The renderers of a verification report (verify/verify_report.h): the
 * text `bench verify` prints, its --json document and its --junit file.
 * Each reads only the typed report.
 */
#ifndef SUBPOW_BENCH_VERIFY_OUT_H
#define SUBPOW_BENCH_VERIFY_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "verify/verify_report.h"

/*
 * Text of one suite: a line "FAIL [where]LINE" per kept failure, then
 * "NAME: N checks, M failed" ("library" for the reference library's own
 * checks), or "NAME: skipped: REASON"; a suite in error prints
 * "bench verify: NAME: REASON" on `err` instead (or, for a rank that ended
 * without a result, a FAIL line on `out`). In a fleet (`fleet` true) the
 * FAIL lines start with `host=H rank=R device="D" ` and the other lines
 * with "[H rR] ".
 */
void sp_verify_print_suite(FILE *out, FILE *err, const sp_verify_suite *s,
                           bool fleet);

/* The last line: "P passed, F failed", or in a fleet "fleet: P passed, F
 * failed on N ranks (H hosts)[; failing: rank R (host),...]" over
 * `ranks` ranks. */
void sp_verify_print_total(FILE *out, const sp_verify_report *r, bool fleet,
                           int ranks);

/* --json: one object {"suites": [...], "passed", "failed", "status"}
 * (one line). Returns 0 or sp_json_print's negative code. */
int sp_verify_print_json(FILE *out, const sp_verify_report *r);

/*
 * --junit: writes `path` as JUnit XML (libxml2's writer, so every name and
 * message is escaped): <testsuites> with one <testsuite> per suite (named
 * "BACKEND on DEVICE", "@ HOST rank R" in a fleet), one <testcase> per
 * case (classname the suite's name, its time), a <failure> per failed case
 * whose message is its first reproduction line and whose text holds every
 * kept line, <skipped message=REASON/> for a skipped backend and an
 * <error> for one that could not run. Returns 0, or -SP_ENOMEM (the
 * document could not be built) or the code of the failed open or write
 * (-SP_EIO, -SP_EACCESS, ...), filling `err` (may be NULL).
 */
int sp_verify_write_junit(const char *path, const sp_verify_report *r,
                          sp_error_record *err);

/*
 * The end of `bench verify` with its report (`status`: this process's
 * exit status so far): in a fleet job, every rank's report is gathered to
 * rank 0 (the other ranks return here); then the text (every suite in a
 * fleet, the last line alone otherwise: a single process printed each suite
 * as it ended) or the --json document on stdout, and the --junit file when
 * `junit` is not NULL. Frees *rep. Returns the exit status.
 */
int sp_verify_finish(sp_verify_report *rep, int status, bool json,
                     const char *junit);

#endif
