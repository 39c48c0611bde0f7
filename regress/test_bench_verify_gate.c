/* bench verify as the gate a CI runner calls: exit 0 only when every check
 * passed, a last line "N passed, M failed", non-zero when a named backend is
 * not built or cannot run, when vectors are missing, or on any failure. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "registry/registry.h"
#include "regress/support/run_command.h"

static const char *last_line(const char *s) {
  size_t n = strlen(s);
  cr_assert(n > 0 && s[n - 1] == '\n', "output does not end with a newline");
  const char *p = s + n - 1;
  while (p > s && p[-1] != '\n')
    p--;
  return p;
}

Test(verify_gate, passing_run_exits_0_with_the_summary_last) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--backend", "reference",
                            "--random-cases", "5", "--seed", "77", NULL),
               0);
  cr_assert_eq(r.status, 0, "%s", r.err);
  unsigned long passed = 0, failed = 1;
  cr_assert_eq(
      sscanf(last_line(r.out), "%lu passed, %lu failed\n", &passed, &failed), 2,
      "%s", last_line(r.out));
  cr_assert_eq(failed, 0);
  cr_assert_gt(passed, 1000);
  sp_run_result_free(&r);
}

Test(verify_gate, a_backend_not_built_fails_the_gate) {
  /* On a build without CUDA, the runner's `bench verify --backend cuda`
   * must not pass. */
  const char *name = sp_backend_find("cuda") ? "no-such-backend" : "cuda";
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--backend", name, NULL), 0);
  cr_assert_eq(r.status, 2);
  cr_assert(strstr(r.err, "unknown backend"), "%s", r.err);
  sp_run_result_free(&r);
}

Test(verify_gate, a_failed_check_fails_the_gate) {
  /* Vectors with one seal changed (and solutions.json cut to one case, for
   * speed): the library check and the backend's seal check fail; each
   * failure names its inputs; the summary counts them. */
  char dir[] = "/tmp/subpow-gate-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char cmd[1024];
  snprintf(
      cmd, sizeof cmd,
      "cp %s/*.json %s/ && python3 - %s/seals.json <<'PY'\n"
      "import json, sys\n"
      "p = sys.argv[1]; d = json.load(open(p))\n"
      "s = d['cases'][0]['seal']; d['cases'][0]['seal'] = s[:-1] + ('0' if "
      "s[-1] != '0' else '1')\n"
      "json.dump(d, open(p, 'w'))\n"
      "q = p.replace('seals.json', 'solutions.json'); e = json.load(open(q))\n"
      "e['cases'] = e['cases'][:1]; json.dump(e, open(q, 'w'))\n"
      "PY",
      SUBPOW_VECTORS_DIR, dir, dir);
  if (system(cmd) != 0) cr_skip_test("python3 is needed to edit the vectors");
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--backend", "reference",
                            "--random-cases", "0", "--vectors", dir, NULL),
               0);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(r.status, 1, "%s", r.err);
  unsigned long passed = 0, failed = 0;
  cr_assert_eq(
      sscanf(last_line(r.out), "%lu passed, %lu failed\n", &passed, &failed),
      2);
  cr_assert_eq(failed, 2, "%s", r.out);
  cr_assert(strstr(r.out, "FAIL reference: seals.json case 0: nonce "), "%s",
            r.out);
  sp_run_result_free(&r);
}

Test(verify_gate, missing_vectors_fail_the_gate) {
  sp_run_result r;
  cr_assert_eq(sp_run_bench(&r, "verify", "--vectors", "/nonexistent", NULL),
               0);
  cr_assert_eq(r.status, 2);
  cr_assert_eq(sp_count_lines(r.err), 1);
  sp_run_result_free(&r);
}
