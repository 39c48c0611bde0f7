/* Flags a backend does not take; see backend_flags.h. */
#include "bench/backend_flags.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench/cli.h"
#include "registry/registry.h"

/* The built-in backends that take `name` (their settings tables,
 * backend.h), as "cpu or cuda"; "" when none does. */
static void takers(const char *name, char *out, size_t cap) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  out[0] = '\0';
  for (size_t i = 0; i < n; i++)
    if (sp_backend_setting(list[i], name) != NULL) {
      size_t k = strlen(out);
      snprintf(out + k, cap - k, "%s%s", k ? " or " : "", list[i]->name);
    }
}

/* A value given to `own` (the chosen backend's row) outside its range,
 * where another backend's row took it: one line in `why`. */
static bool out_of_range(const sp_setting_info *own,
                         const sp_backend_options *opts, char *why,
                         size_t cap) {
  if (own->type != SP_SETTING_INT && own->type != SP_SETTING_U64) return false;
  uint64_t v = sp_setting_number(own, opts);
  if (v >= own->min && v <= own->max) return false;
  char range[64];
  snprintf(why, cap, "%" PRIu64 " is outside %s", v,
           sp_setting_range_text(own, range, sizeof range));
  return true;
}

int sp_cli_check_backend_flags(const char *cmd, const sp_backend_vtable *vt,
                               const sp_backend_options *opts,
                               bool auto_chosen) {
  const sp_setting_info *const *set;
  size_t n_set = sp_backend_settings_all(&set);
  for (size_t s = 0; s < n_set; s++) {
    if (!sp_setting_given(set[s], opts)) continue;
    const char *flag = set[s]->name;
    const sp_setting_info *own = sp_backend_setting(vt, flag);
    char why[160];
    if (own != NULL) {
      if (!out_of_range(own, opts, why, sizeof why)) continue;
      if (!auto_chosen)
        return sp_cli_fail(cmd, "--%s: %s for the %s backend", flag, why,
                           vt->name);
      fprintf(stderr,
              "bench %s: warning: --%s is ignored: --backend auto chose %s, "
              "where %s\n",
              cmd, flag, vt->name, why);
      continue;
    }
    char who[128];
    takers(flag, who, sizeof who);
    if (who[0])
      snprintf(why, sizeof why, "it is for %s", who);
    else
      snprintf(why, sizeof why, "no backend of this build takes it");
    if (!auto_chosen)
      return sp_cli_fail(cmd, "--%s: the %s backend has no such setting (%s)",
                         flag, vt->name, why);
    fprintf(stderr,
            "%s %s: warning: --%s is ignored: --backend auto chose %s, "
            "which has no such setting (%s)\n",
            sp_cli_prog(), cmd, flag, vt->name, why);
  }
  return 0;
}
