/* The backend interface's self-description (backend/backend.h): every
 * built-in backend describes its settings and device kind, and the commands
 * present them from that description alone. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "regress/support/run_command.h"
#include "registry/registry.h"

Test(backend_settings, every_backend_describes_itself) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  cr_assert_geq(n, 1);
  cr_assert_eq(list[0], &sp_backend_reference, "the reference comes first");
  for (size_t i = 0; i < n; i++) {
    const sp_backend_vtable *vt = list[i];
    cr_assert(vt->kind == SP_DEVICE_CPU || vt->kind == SP_DEVICE_GPU);
    cr_assert_eq(sp_backend_find(vt->name), vt);
    for (const sp_setting_info *s = vt->settings; s && s->meaning; s++) {
      cr_assert_lt((int)s->id, SP_SETTING_COUNT, "%s", vt->name);
      cr_assert_not_null(s->dflt, "%s --%s", vt->name, sp_setting_flag(s->id));
      cr_assert_eq(sp_backend_setting(vt, s->id), s);
    }
  }
  /* The default is the CPU backend of highest rank. */
  const sp_backend_vtable *d = sp_backend_default();
  cr_assert_eq(d->kind, SP_DEVICE_CPU);
  for (size_t i = 0; i < n; i++)
    if (list[i]->kind == SP_DEVICE_CPU) cr_assert_geq(d->rank, list[i]->rank);
}

/* --help names every setting of every backend, written from the table. */
Test(backend_settings, help_lists_what_backends_describe) {
  sp_run_result r;
  sp_run_bench(&r, "hashrate", "--help", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  for (size_t i = 0; i < n; i++) {
    cr_assert_not_null(strstr(r.out, list[i]->name), "%s", list[i]->name);
    for (const sp_setting_info *s = list[i]->settings; s && s->meaning; s++) {
      char line[256];
      snprintf(line, sizeof line, "%s: %s", list[i]->name, s->meaning);
      cr_assert_not_null(strstr(r.out, line), "want '%s' in:\n%s", line, r.out);
      snprintf(line, sizeof line, "--%s", sp_setting_flag(s->id));
      cr_assert_not_null(strstr(r.out, line), "want '%s'", line);
    }
  }
  sp_run_result_free(&r);
}

/* `--isa help` lists the kernel paths each backend runs here, and exits 0. */
Test(backend_settings, isa_help) {
  sp_run_result r;
  sp_run_bench(&r, "hashrate", "--isa", "help", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    if (sp_backend_setting(list[i], SP_SETTING_ISA) == NULL) continue;
    any = true;
    cr_assert_not_null(strstr(r.out, list[i]->name), "%s", r.out);
    const char *const *values;
    size_t k = list[i]->choices ? list[i]->choices(SP_SETTING_ISA, &values) : 0;
    for (size_t j = 0; j < k; j++)
      cr_assert_not_null(strstr(r.out, values[j]), "%s in %s", values[j], r.out);
  }
  if (!any) cr_assert_not_null(strstr(r.out, "no built-in backend"));
  sp_run_result_free(&r);
}
