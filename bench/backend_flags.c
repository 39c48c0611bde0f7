/* Flags a backend does not take; see backend_flags.h. */
#include "bench/backend_flags.h"

#include <stdio.h>
#include <string.h>

#include "bench/cli.h"
#include "registry/registry.h"

/* Whether `s` was given (a non-default value in `o`). */
static bool given(const sp_backend_options *o, sp_setting s) {
  switch (s) {
  case SP_SETTING_THREADS: return o->threads != 0;
  case SP_SETTING_PER_HW_THREAD: return o->per_hw_thread;
  case SP_SETTING_NO_PIN: return o->no_pin;
  case SP_SETTING_ISA: return o->isa != NULL;
  case SP_SETTING_DEVICES: return o->dev_ids != NULL;
  case SP_SETTING_TPB: return o->tpb != 0;
  case SP_SETTING_UPDATE_INTERVAL: return o->update_interval != 0;
  default: return false;
  }
}

/* The built-in backends that take `s` (their settings lists, backend.h),
 * as "cpu or cuda"; "" when none does. */
static void takers(sp_setting s, char *out, size_t cap) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  out[0] = '\0';
  for (size_t i = 0; i < n; i++)
    if (sp_backend_setting(list[i], s) != NULL) {
      size_t k = strlen(out);
      snprintf(out + k, cap - k, "%s%s", k ? " or " : "", list[i]->name);
    }
}

int sp_cli_check_backend_flags(const char *cmd, const sp_backend_vtable *vt,
                               const sp_backend_options *opts,
                               bool auto_chosen) {
  for (int s = 0; s < SP_SETTING_COUNT; s++) {
    if (!given(opts, (sp_setting)s) ||
        sp_backend_setting(vt, (sp_setting)s) != NULL)
      continue;
    char who[128], why[160];
    takers((sp_setting)s, who, sizeof who);
    const char *flag = sp_setting_flag((sp_setting)s);
    if (who[0])
      snprintf(why, sizeof why, "it is for %s", who);
    else
      snprintf(why, sizeof why, "no backend of this build takes it");
    if (!auto_chosen)
      return sp_cli_fail(cmd, "--%s: the %s backend has no such setting (%s)",
                         flag, vt->name, why);
    fprintf(stderr,
            "%s %s: warning: --%s is ignored: --backend auto chose %s, "
            "which has no such setting (%s)\n", sp_cli_prog(), cmd, flag, vt->name, why);
  }
  return 0;
}
