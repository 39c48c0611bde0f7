/* Settings of the backend interface; see backend.h. */
#include <stddef.h>

#include "backend/backend.h"

const char *sp_setting_flag(sp_setting s) {
  switch (s) {
  case SP_SETTING_THREADS: return "threads";
  case SP_SETTING_PER_HW_THREAD: return "per-hw-thread";
  case SP_SETTING_NO_PIN: return "no-pin";
  case SP_SETTING_ISA: return "isa";
  case SP_SETTING_DEVICES: return "dev-id";
  case SP_SETTING_TPB: return "tpb";
  case SP_SETTING_UPDATE_INTERVAL: return "update-interval";
  default: return "?";
  }
}

const sp_setting_info *sp_backend_setting(const sp_backend_vtable *vt,
                                          sp_setting s) {
  if (vt == NULL || vt->settings == NULL) return NULL;
  for (const sp_setting_info *i = vt->settings; i->meaning != NULL; i++)
    if (i->id == s) return i;
  return NULL;
}
