/* The backend interface's self-description (backend/backend.h): every
 * built-in backend describes its settings and device kind, and the commands
 * present them from that description alone. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "registry/registry.h"
#include "regress/support/run_command.h"

Test(backend_settings, every_backend_describes_itself) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  cr_assert_geq(n, 1);
  cr_assert_eq(list[0], &sp_backend_reference, "the reference comes first");
  for (size_t i = 0; i < n; i++) {
    const sp_backend_vtable *vt = list[i];
    cr_assert(vt->kind == SP_DEVICE_CPU || vt->kind == SP_DEVICE_GPU);
    cr_assert_eq(sp_backend_find(vt->name), vt);
    for (const sp_setting_info *s = vt->settings; s && s->name; s++) {
      cr_assert_not_null(s->meaning, "%s --%s", vt->name, s->name);
      cr_assert_eq(sp_backend_setting(vt, s->name), s, "names are unique");
      cr_assert_lt(s->field, sizeof(sp_backend_options));
      bool number = s->type == SP_SETTING_INT || s->type == SP_SETTING_U64;
      if (number) {
        cr_assert_leq(s->min, s->max, "%s --%s", vt->name, s->name);
        if (s->type == SP_SETTING_INT) cr_assert_leq(s->max, (uint64_t)INT_MAX);
        if (s->dflt == NULL)
          cr_assert(s->dflt_value >= s->min && s->dflt_value <= s->max,
                    "%s --%s: the default is in range", vt->name, s->name);
      } else {
        cr_assert_not_null(s->dflt, "%s --%s", vt->name, s->name);
      }
      if (s->sweep == SP_SWEEP_LIST) {
        cr_assert(number, "%s --%s: a list sweeps numbers", vt->name, s->name);
        cr_assert_neq(s->sweep_values[0], 0);
        for (int v = 0; v < SP_SWEEP_VALUES && s->sweep_values[v]; v++)
          cr_assert(s->sweep_values[v] >= s->min &&
                        s->sweep_values[v] <= s->max,
                    "%s --%s: swept value %d in range", vt->name, s->name, v);
      }
      /* the same flag means the same kind of value in every backend */
      const sp_setting_info *const *set;
      size_t n_set = sp_backend_settings_all(&set);
      bool found = false;
      for (size_t k = 0; k < n_set; k++)
        if (strcmp(set[k]->name, s->name) == 0) {
          found = true;
          cr_assert_eq(set[k]->type, s->type, "--%s", s->name);
        }
      cr_assert(found, "--%s is a flag of the commands", s->name);
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
    for (const sp_setting_info *s = list[i]->settings; s && s->name; s++) {
      char line[256], range[160];
      snprintf(line, sizeof line, "%s: %s", list[i]->name, s->meaning);
      cr_assert_not_null(strstr(r.out, line), "want '%s' in:\n%s", line, r.out);
      snprintf(line, sizeof line, "--%s", s->name);
      cr_assert_not_null(strstr(r.out, line), "want '%s'", line);
      sp_setting_range_text(s, range, sizeof range);
      cr_assert_not_null(strstr(r.out, range), "want '%s'", range);
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
    if (sp_backend_setting(list[i], "isa") == NULL) continue;
    any = true;
    cr_assert_not_null(strstr(r.out, list[i]->name), "%s", r.out);
    const char *const *values;
    size_t k = list[i]->choices ? list[i]->choices("isa", &values) : 0;
    for (size_t j = 0; j < k; j++)
      cr_assert_not_null(strstr(r.out, values[j]), "%s in %s", values[j],
                         r.out);
  }
  if (!any) cr_assert_not_null(strstr(r.out, "no built-in backend"));
  sp_run_result_free(&r);
}

/* A knob is a row: the generic accessors reach its field by type and
 * offset, whatever its name, and the help writes its range and default. */
Test(backend_settings, a_row_is_all_a_knob_needs) {
  static const sp_setting_info table[] = {
      {.name = "lanes",
       .type = SP_SETTING_INT,
       .field = offsetof(sp_backend_options, tpb),
       .meaning = "lanes per group",
       .min = 2,
       .max = 64,
       .dflt_value = 8},
      {.name = "burst",
       .type = SP_SETTING_U64,
       .field = offsetof(sp_backend_options, update_interval),
       .meaning = "nonces per burst",
       .min = 1,
       .max = UINT64_MAX,
       .dflt = "the backend's"},
      {.name = "quiet",
       .type = SP_SETTING_SWITCH,
       .field = offsetof(sp_backend_options, no_pin),
       .meaning = "no pinning",
       .dflt = "off"},
      {.name = "path",
       .type = SP_SETTING_NAME,
       .field = offsetof(sp_backend_options, isa),
       .meaning = "a path",
       .range = "a name",
       .dflt = "auto"},
      {.name = NULL}};
  const sp_backend_vtable vt = {.name = "knobs", .settings = table};
  sp_backend_options o = {0};
  const sp_setting_info *lanes = sp_backend_setting(&vt, "lanes");
  const sp_setting_info *burst = sp_backend_setting(&vt, "burst");
  const sp_setting_info *quiet = sp_backend_setting(&vt, "quiet");
  const sp_setting_info *path = sp_backend_setting(&vt, "path");
  cr_assert_null(sp_backend_setting(&vt, "threads"));
  cr_assert_not(sp_setting_given(lanes, &o));
  sp_setting_set_number(lanes, &o, 16);
  sp_setting_set_number(burst, &o, UINT64_MAX);
  sp_setting_set_number(quiet, &o, 1);
  sp_setting_set_name(path, &o, "fast");
  cr_assert_eq(o.tpb, 16);
  cr_assert_eq(o.update_interval, UINT64_MAX);
  cr_assert(o.no_pin);
  cr_assert_str_eq(o.isa, "fast");
  cr_assert(sp_setting_given(lanes, &o) && sp_setting_given(burst, &o) &&
            sp_setting_given(quiet, &o) && sp_setting_given(path, &o));
  cr_assert_eq(sp_setting_number(lanes, &o), 16);
  cr_assert_eq(sp_setting_number(quiet, &o), 1);
  cr_assert_str_eq(sp_setting_name_value(path, &o), "fast");
  char t[64];
  cr_assert_str_eq(sp_setting_range_text(lanes, t, sizeof t), "2..64");
  cr_assert_str_eq(sp_setting_range_text(burst, t, sizeof t), "1..2^64-1");
  cr_assert_str_eq(sp_setting_range_text(quiet, t, sizeof t), "");
  cr_assert_str_eq(sp_setting_range_text(path, t, sizeof t), "a name");
  cr_assert_str_eq(sp_setting_default_text(lanes, t, sizeof t), "8");
  cr_assert_str_eq(sp_setting_default_text(burst, t, sizeof t),
                   "the backend's");
  /* the default as a number: the row's value, 0 where it is in words */
  cr_assert_eq(sp_setting_default_number(lanes), 8);
  cr_assert_eq(sp_setting_default_number(burst), 0);
  cr_assert_eq(sp_setting_default_number(quiet), 0);
  cr_assert_eq(sp_setting_default_number(path), 0);
}

/* A value out of the chosen backend's own range is refused with the range
 * its table gives (written once, there). */
Test(backend_settings, ranges_come_from_the_table) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  for (size_t i = 0; i < n; i++) {
    for (const sp_setting_info *s = list[i]->settings; s && s->name; s++) {
      if (s->type != SP_SETTING_INT || s->max >= (uint64_t)INT_MAX) continue;
      char flag[64], value[32], range[64];
      snprintf(flag, sizeof flag, "--%s", s->name);
      snprintf(value, sizeof value, "%llu", (unsigned long long)s->max + 1);
      sp_run_result r;
      sp_run_bench(&r, "hashrate", "--backend", list[i]->name, flag, value,
                   NULL);
      cr_assert_eq(r.status, 2, "%s %s: %s", flag, value, r.err);
      snprintf(range, sizeof range, "from %llu to %llu",
               (unsigned long long)s->min, (unsigned long long)s->max);
      cr_assert_not_null(strstr(r.err, range), "want '%s' in %s", range, r.err);
      sp_run_result_free(&r);
    }
  }
}
