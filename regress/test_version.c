/* One version (project(VERSION) in CMakeLists.txt, generated into
 * common/version.h): `bench --version` and the JSON-RPC user agent carry it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "common/version.h"
#include "registry/registry.h"
#include "regress/support/run_command.h"

Test(version, bench_version_answers) {
  sp_run_result r;
  sp_run_bench(&r, "--version", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  char want[128];
  snprintf(want, sizeof want, "subpow %s\n", SP_VERSION);
  cr_assert_eq(strncmp(r.out, want, strlen(want)), 0, "%s", r.out);
  snprintf(want, sizeof want, "commit: %s\n", sp_git_commit());
  cr_assert_not_null(strstr(r.out, want), "%s", r.out);
  cr_assert_not_null(strstr(r.out, "build type: "), "%s", r.out);
  cr_assert_not_null(strstr(r.out, "compiler: "), "%s", r.out);
  char names[256];
  sp_backend_names(names, sizeof names);
  snprintf(want, sizeof want, "backends: %s\n", names);
  cr_assert_not_null(strstr(r.out, want), "%s", r.out);
  if (sp_backend_find("cpu") != NULL)
    cr_assert_not_null(strstr(r.out, "cpu kernel paths: "), "%s", r.out);
  cr_assert_str_empty(r.err);
  sp_run_result_free(&r);
}

Test(version, one_version_everywhere) {
  cr_assert_str_eq(sp_version(), SP_VERSION);
  char want[64];
  snprintf(want, sizeof want, "subpow/%s (", SP_VERSION);
  cr_assert_eq(strncmp(sp_user_agent(), want, strlen(want)), 0, "%s",
               sp_user_agent());
  cr_assert_not_null(strstr(sp_user_agent(), sp_git_commit()));
  cr_assert_str_neq(sp_git_commit(), "");
}
