/* Settings of the backend interface, read from a backend's table; see
 * backend.h. Nothing here knows a setting by name: the type and the field
 * offset of a row say where its value lives. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"

const sp_setting_info *sp_backend_setting(const sp_backend_vtable *vt,
                                          const char *name) {
  if (vt == NULL || vt->settings == NULL || name == NULL) return NULL;
  for (const sp_setting_info *i = vt->settings; i->name != NULL; i++)
    if (strcmp(i->name, name) == 0) return i;
  return NULL;
}

static void *at(const sp_setting_info *s, const sp_backend_options *opts) {
  return (char *)opts + s->field;
}

bool sp_setting_given(const sp_setting_info *s,
                      const sp_backend_options *opts) {
  switch (s->type) {
  case SP_SETTING_NAME: return sp_setting_name_value(s, opts) != NULL;
  case SP_SETTING_ID_LIST: return opts->dev_ids != NULL;
  default: return sp_setting_number(s, opts) != 0;
  }
}

uint64_t sp_setting_number(const sp_setting_info *s,
                           const sp_backend_options *opts) {
  switch (s->type) {
  case SP_SETTING_SWITCH: return *(const bool *)at(s, opts) ? 1 : 0;
  case SP_SETTING_INT: return (uint64_t) * (const int *)at(s, opts);
  case SP_SETTING_U64: return *(const uint64_t *)at(s, opts);
  default: return 0;
  }
}

void sp_setting_set_number(const sp_setting_info *s, sp_backend_options *opts,
                           uint64_t v) {
  switch (s->type) {
  case SP_SETTING_SWITCH: *(bool *)at(s, opts) = v != 0; break;
  case SP_SETTING_INT: *(int *)at(s, opts) = (int)v; break;
  case SP_SETTING_U64: *(uint64_t *)at(s, opts) = v; break;
  default: break;
  }
}

const char *sp_setting_name_value(const sp_setting_info *s,
                                  const sp_backend_options *opts) {
  return s->type == SP_SETTING_NAME ? *(const char *const *)at(s, opts) : NULL;
}

void sp_setting_set_name(const sp_setting_info *s, sp_backend_options *opts,
                         const char *v) {
  if (s->type == SP_SETTING_NAME) *(const char **)at(s, opts) = v;
}

static void number_text(uint64_t v, char *out, size_t cap) {
  if (v == UINT64_MAX)
    snprintf(out, cap, "2^64-1");
  else
    snprintf(out, cap, "%" PRIu64, v);
}

const char *sp_setting_range_text(const sp_setting_info *s, char *out,
                                  size_t cap) {
  if (s->range != NULL || s->type == SP_SETTING_SWITCH) {
    snprintf(out, cap, "%s", s->range ? s->range : "");
    return out;
  }
  char lo[24], hi[24];
  number_text(s->min, lo, sizeof lo);
  number_text(s->max, hi, sizeof hi);
  snprintf(out, cap, "%s..%s", lo, hi);
  return out;
}

const char *sp_setting_default_text(const sp_setting_info *s, char *out,
                                    size_t cap) {
  if (s->dflt != NULL)
    snprintf(out, cap, "%s", s->dflt);
  else
    number_text(s->dflt_value, out, cap);
  return out;
}

uint64_t sp_setting_default_number(const sp_setting_info *s) {
  switch (s->type) {
  case SP_SETTING_INT:
  case SP_SETTING_U64: return s->dflt == NULL ? s->dflt_value : 0;
  default: return 0;
  }
}
