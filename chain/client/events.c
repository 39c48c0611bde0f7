/* Extrinsic outcomes from System.Events (see events.h). */
#include "chain/client/events.h"

#include <stdio.h>
#include <string.h>

#include "chain/client/storage.h"
#include "chain/codec/scale_type.h"

int sp_events_decode(const sp_metadata *md, const uint8_t *bytes, size_t len,
                     json_t **events, sp_chain_error *err) {
  const sp_storage_entry *e;
  int rc = sp_metadata_storage(md, "System", "Events", NULL, &e, err);
  if (rc) return rc;
  rc = sp_storage_decode(md, e, bytes, len, events, err);
  if (!rc && !json_is_array(*events)) {
    json_decref(*events);
    *events = NULL;
    return sp_chain_fail(err, SP_CHAIN_EMETADATA,
                         "System.Events is not a sequence in this runtime");
  }
  return rc;
}

/* The single key and value of an enum's JSON ({"Variant": value}). */
static bool variant_of(const json_t *v, const char **name, json_t **value) {
  if (!json_is_object(v) || json_object_size(v) != 1) return false;
  void *it = json_object_iter((json_t *)v);
  *name = json_object_iter_key(it);
  *value = json_object_iter_value(it);
  return true;
}

void sp_dispatch_outcome_free(sp_dispatch_outcome *o) {
  if (!o) return;
  json_decref(o->events);
  memset(o, 0, sizeof *o);
}

const json_t *sp_dispatch_outcome_event(const sp_dispatch_outcome *o,
                                        const char *pallet, const char *name) {
  size_t i;
  json_t *ev;
  json_array_foreach(o->events, i, ev) {
    if (strcmp(json_string_value(json_object_get(ev, "pallet")), pallet) == 0 &&
        strcmp(json_string_value(json_object_get(ev, "name")), name) == 0)
      return json_object_get(ev, "fields");
  }
  return NULL;
}

/* Fills the failure fields from a DispatchError's JSON. */
static void describe_error(const sp_metadata *md, const json_t *derr,
                           sp_dispatch_outcome *out) {
  const char *kind;
  json_t *inner;
  if (json_is_string(derr)) {
    snprintf(out->failure, sizeof out->failure, "DispatchError %s",
             json_string_value(derr));
    return;
  }
  if (!variant_of(derr, &kind, &inner)) {
    snprintf(out->failure, sizeof out->failure, "an unreadable DispatchError");
    return;
  }
  if (strcmp(kind, "Module") != 0) {
    const char *sub;
    json_t *unused;
    if (variant_of(inner, &sub, &unused))
      snprintf(out->failure, sizeof out->failure, "DispatchError %s(%s)", kind,
               sub);
    else
      snprintf(out->failure, sizeof out->failure, "DispatchError %s", kind);
    return;
  }
  /* ModuleError { index: u8, error: [u8; 4] } (older runtimes: error u8). */
  json_t *index = json_object_get(inner, "index");
  json_t *error = json_object_get(inner, "error");
  uint8_t e4[4] = {0};
  bool ok = json_is_integer(index) && json_integer_value(index) >= 0 &&
            json_integer_value(index) <= 255;
  if (json_is_integer(error))
    e4[0] = (uint8_t)json_integer_value(error);
  else
    ok = ok && sp_json_hex_fixed(error, e4, 4) == 0;
  if (!ok) {
    snprintf(out->failure, sizeof out->failure,
             "a module error of an unexpected shape");
    return;
  }
  uint8_t pallet_index = (uint8_t)json_integer_value(index);
  const sp_pallet *p;
  const sp_type_variant *v =
      sp_metadata_module_error(md, pallet_index, e4[0], &p);
  if (!v) {
    snprintf(out->failure, sizeof out->failure,
             "module error %u of pallet %s (not in this runtime's metadata)",
             e4[0], p ? p->name : "?");
    if (p) snprintf(out->error_pallet, sizeof out->error_pallet, "%s", p->name);
    return;
  }
  snprintf(out->error_pallet, sizeof out->error_pallet, "%s", p->name);
  snprintf(out->error_name, sizeof out->error_name, "%s", v->name);
  size_t used = 0;
  for (size_t i = 0; i < v->ndocs && used + 1 < sizeof out->error_docs; i++) {
    int n = snprintf(out->error_docs + used, sizeof out->error_docs - used,
                     "%s%s", used ? " " : "", v->docs[i]);
    if (n < 0) break;
    used += (size_t)n;
  }
  if (used >= sizeof out->error_docs) used = sizeof out->error_docs - 1;
  if (snprintf(out->failure, sizeof out->failure, "%s.%s%s%s", p->name, v->name,
               out->error_docs[0] ? ": " : "", out->error_docs) < 0)
    out->failure[0] = '\0';
}

int sp_events_outcome(const sp_metadata *md, const json_t *events,
                      uint32_t index, sp_dispatch_outcome *out,
                      sp_chain_error *err) {
  memset(out, 0, sizeof *out);
  if (!json_is_array(events))
    return sp_chain_fail(err, SP_CHAIN_EARG, "events are not an array");
  out->events = json_array();
  if (!out->events) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  bool decided = false;
  size_t i;
  json_t *rec;
  json_array_foreach(events, i, rec) {
    const char *phase_kind, *pallet, *name;
    json_t *phase_value, *pallet_events, *fields;
    if (!variant_of(json_object_get(rec, "phase"), &phase_kind, &phase_value) ||
        !variant_of(json_object_get(rec, "event"), &pallet, &pallet_events) ||
        !variant_of(pallet_events, &name, &fields)) {
      sp_dispatch_outcome_free(out);
      return sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                           "event record %zu has an unexpected shape", i);
    }
    if (strcmp(phase_kind, "ApplyExtrinsic") != 0 ||
        !json_is_integer(phase_value) ||
        json_integer_value(phase_value) != (json_int_t)index)
      continue;
    json_array_append_new(out->events,
                          json_pack("{s:s,s:s,s:O}", "pallet", pallet, "name",
                                    name, "fields", fields));
    if (strcmp(pallet, "System") != 0) continue;
    if (strcmp(name, "ExtrinsicSuccess") == 0) {
      out->success = true;
      decided = true;
    } else if (strcmp(name, "ExtrinsicFailed") == 0) {
      /* { dispatch_error, dispatch_info }, or unnamed in older runtimes */
      json_t *derr = json_is_object(fields)
                         ? json_object_get(fields, "dispatch_error")
                         : json_array_get(fields, 0);
      describe_error(md, derr, out);
      out->success = false;
      decided = true;
    }
  }
  if (!decided) {
    sp_dispatch_outcome_free(out);
    return sp_chain_fail(err, SP_CHAIN_ENOTFOUND,
                         "no ExtrinsicSuccess or ExtrinsicFailed event for "
                         "extrinsic %u",
                         index);
  }
  return 0;
}
