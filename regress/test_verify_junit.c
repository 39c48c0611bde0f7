/* bench verify --junit read by a real consumer (junitparser): one suite per
 * backend and device, one case per vector group and random batch, and a
 * failure whose message is the reproduction line, against a run made to
 * fail (one seal vector changed). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/support/run_command.h"

/* Runs the checker on `xml` (Debian's python3, where the package is) ; its
 * output in *out (malloc'd). */
static void parse(const char *xml, char **out) {
  char cmd[600];
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 %s/regress/support/junit_check.py %s",
           SUBPOW_SOURCE_DIR, xml);
  char *const argv[] = {"/bin/sh", "-c", cmd, NULL};
  sp_run_result r;
  cr_assert_eq(sp_run(argv, NULL, &r), 0);
  if (r.status == 77) cr_skip_test("python3-junitparser is not installed");
  cr_assert_eq(r.status, 0, "%s", r.err);
  *out = strdup(r.out);
  sp_run_result_free(&r);
}

Test(verify_junit, a_failed_seal_is_a_failure_with_its_reproduction_line) {
  char dir[] = "/tmp/subpow-junit-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char cmd[1200];
  snprintf(cmd, sizeof cmd,
           "cp %s/*.json %s/ && python3 - %s/seals.json <<'PY'\n"
           "import json, sys\n"
           "p = sys.argv[1]; d = json.load(open(p))\n"
           "s = d['cases'][0]['seal']; d['cases'][0]['seal'] = s[:-1] + ('0' "
           "if s[-1] != '0' else '1')\n"
           "json.dump(d, open(p, 'w'))\n"
           "q = p.replace('seals.json', 'solutions.json'); e = "
           "json.load(open(q))\n"
           "e['cases'] = e['cases'][:1]; json.dump(e, open(q, 'w'))\n"
           "PY",
           SUBPOW_VECTORS_DIR, dir, dir);
  if (system(cmd) != 0) cr_skip_test("python3 is needed to edit the vectors");
  char xml[300];
  snprintf(xml, sizeof xml, "%s/verify.xml", dir);
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--backend", "reference",
                            "--random-cases", "150", "--vectors", dir,
                            "--junit", xml, NULL),
               0);
  cr_assert_eq(r.status, 1, "%s", r.err); /* the documented status */
  sp_run_result_free(&r);
  char *out = NULL;
  parse(xml, &out);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
  /* library: 3 groups, its seals.json fails; reference: seals, solutions
   * and two random batches (0-99, 100-149), its seals.json fails. */
  cr_assert(strstr(out, "library on reference library|3|1|0|0\n"), "%s", out);
  cr_assert(strstr(out, "|4|1|0|0\n") && strstr(out, "\nreference on "), "%s",
            out);
  cr_assert(strstr(out, "FAIL|library on reference library|seals.json|"
                        "library: seals.json case 0: create_seal_hash(nonce "),
            "%s", out);
  cr_assert(strstr(out, "|seals.json|reference: seals.json case 0: nonce "),
            "%s", out);
  cr_assert(strstr(out, "random seed=1 cases 100-149") == NULL, "%s", out);
  free(out);
}

Test(verify_junit, a_passing_run_has_no_failures_and_names_random_batches) {
  char xml[] = "/tmp/subpow-junit-ok-XXXXXX";
  int fd = mkstemp(xml);
  cr_assert_geq(fd, 0);
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--backend", "cpu", "--threads", "1",
                            "--random-cases", "101", "--junit", xml, NULL),
               0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
  char *out = NULL;
  parse(xml, &out);
  unlink(xml);
  cr_assert(strstr(out, "FAIL|") == NULL, "%s", out);
  cr_assert(strstr(out, "\ncpu on ") && strstr(out, "|4|0|0|0\n"), "%s", out);
  free(out);
}

Test(verify_junit, an_unwritable_file_is_a_usage_error) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--backend", "cpu", "--threads", "1",
                            "--random-cases", "0", "--junit",
                            "/nonexistent-dir/x.xml", NULL),
               0);
  cr_assert_eq(r.status, 2, "%s", r.err);
  cr_assert(strstr(r.err, "--junit") != NULL, "%s", r.err);
  sp_run_result_free(&r);
}
