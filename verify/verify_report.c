/* The typed result of a verification run; see verify_report.h. */
#include "verify/verify_report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_verify_suite *sp_verify_report_add(sp_verify_report *r, const char *backend,
                                      const char *device) {
  sp_verify_suite *s =
      realloc(r->suites, (r->n_suites + 1) * sizeof *r->suites);
  if (s == NULL) return NULL;
  r->suites = s;
  s = &r->suites[r->n_suites++];
  memset(s, 0, sizeof *s);
  snprintf(s->backend, sizeof s->backend, "%s", backend ? backend : "");
  snprintf(s->device, sizeof s->device, "%s", device ? device : "");
  s->rank = -1;
  return s;
}

sp_verify_case *sp_verify_suite_add_case(sp_verify_suite *s, const char *name) {
  sp_verify_case *c = realloc(s->cases, (s->n_cases + 1) * sizeof *s->cases);
  if (c == NULL) return NULL;
  s->cases = c;
  c = &s->cases[s->n_cases++];
  memset(c, 0, sizeof *c);
  snprintf(c->name, sizeof c->name, "%s", name);
  return c;
}

void sp_verify_case_check(sp_verify_case *c, bool ok, const char *line) {
  if (ok) {
    c->passed++;
    return;
  }
  c->failed++;
  if (c->n_failures >= SP_VERIFY_KEEP_FAILURES) return;
  char **f = realloc(c->failures, (c->n_failures + 1) * sizeof *f);
  if (f == NULL) return;
  c->failures = f;
  f[c->n_failures] = strdup(line);
  if (f[c->n_failures] != NULL) c->n_failures++;
}

void sp_verify_suite_totals(const sp_verify_suite *s, unsigned long *passed,
                            unsigned long *failed) {
  *passed = *failed = 0;
  for (size_t i = 0; i < s->n_cases; i++) {
    *passed += s->cases[i].passed;
    *failed += s->cases[i].failed;
  }
}

void sp_verify_report_totals(const sp_verify_report *r, unsigned long *passed,
                             unsigned long *failed) {
  *passed = *failed = 0;
  for (size_t i = 0; i < r->n_suites; i++) {
    unsigned long p, f;
    sp_verify_suite_totals(&r->suites[i], &p, &f);
    *passed += p;
    *failed += f;
  }
}

int sp_verify_report_status(const sp_verify_report *r) {
  unsigned long p, f;
  sp_verify_report_totals(r, &p, &f);
  if (f > 0) return 1;
  for (size_t i = 0; i < r->n_suites; i++)
    if (r->suites[i].state == SP_VERIFY_ERROR) return 2;
  return 0;
}

int sp_verify_report_move(sp_verify_report *dst, sp_verify_report *src) {
  if (src->n_suites == 0) return 0;
  sp_verify_suite *s = realloc(dst->suites, (dst->n_suites + src->n_suites) *
                                                sizeof *dst->suites);
  if (s == NULL) return -SP_ENOMEM;
  memcpy(s + dst->n_suites, src->suites, src->n_suites * sizeof *s);
  dst->suites = s;
  dst->n_suites += src->n_suites;
  free(src->suites);
  src->suites = NULL;
  src->n_suites = 0;
  return 0;
}

static void free_case(sp_verify_case *c) {
  for (size_t k = 0; k < c->n_failures; k++)
    free(c->failures[k]);
  free(c->failures);
}

void sp_verify_report_free(sp_verify_report *r) {
  for (size_t i = 0; i < r->n_suites; i++) {
    for (size_t j = 0; j < r->suites[i].n_cases; j++)
      free_case(&r->suites[i].cases[j]);
    free(r->suites[i].cases);
  }
  free(r->suites);
  r->suites = NULL;
  r->n_suites = 0;
}

/* ------------------------------------------------------- serialized -- */

char *sp_verify_report_encode(const sp_verify_report *r) {
  json_t *suites = json_array();
  for (size_t i = 0; i < r->n_suites; i++) {
    const sp_verify_suite *s = &r->suites[i];
    json_t *cases = json_array();
    for (size_t j = 0; j < s->n_cases; j++) {
      const sp_verify_case *c = &s->cases[j];
      json_t *fl = json_array();
      for (size_t k = 0; k < c->n_failures; k++)
        json_array_append_new(fl, json_string(c->failures[k]));
      json_array_append_new(cases,
                            json_pack("{s:s, s:I, s:I, s:f, s:o}", "name",
                                      c->name, "passed", (json_int_t)c->passed,
                                      "failed", (json_int_t)c->failed,
                                      "seconds", c->seconds, "failures", fl));
    }
    json_array_append_new(
        suites, json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:f, s:o}", "backend",
                          s->backend, "device", s->device, "host", s->host,
                          "rank", s->rank, "state", (int)s->state, "reason",
                          s->reason, "seconds", s->seconds, "cases", cases));
  }
  json_t *root = json_pack("{s:o}", "suites", suites);
  char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
  json_decref(root);
  return text;
}

/* A string field of at most cap - 1 bytes into out. */
static int get_str(const json_t *o, const char *key, char *out, size_t cap,
                   sp_error_record *err) {
  const json_t *v = json_object_get(o, key);
  if (!json_is_string(v) || json_string_length(v) >= cap)
    return sp_error_fail(err, SP_EINVAL,
                         "%s: not a string of at most %zu bytes", key, cap - 1);
  memcpy(out, json_string_value(v), json_string_length(v) + 1);
  return 0;
}

static int get_count(const json_t *o, const char *key, unsigned long *out,
                     sp_error_record *err) {
  const json_t *v = json_object_get(o, key);
  if (!json_is_integer(v) || json_integer_value(v) < 0)
    return sp_error_fail(err, SP_EINVAL, "%s: not a count", key);
  *out = (unsigned long)json_integer_value(v);
  return 0;
}

static int get_seconds(const json_t *o, double *out, sp_error_record *err) {
  const json_t *v = json_object_get(o, "seconds");
  double d = json_number_value(v);
  if (!json_is_number(v) || !isfinite(d) || d < 0 || d > 1e7)
    return sp_error_fail(err, SP_EINVAL, "seconds: not a time");
  *out = d;
  return 0;
}

static int decode_case(const json_t *o, sp_verify_suite *s,
                       sp_error_record *err) {
  char name[sizeof s->cases[0].name];
  if (!json_is_object(o))
    return sp_error_fail(err, SP_EINVAL, "a case is not an object");
  int rc = get_str(o, "name", name, sizeof name, err);
  if (rc != 0) return rc;
  sp_verify_case *c = sp_verify_suite_add_case(s, name);
  if (c == NULL) return sp_error_fail(err, SP_ENOMEM, "out of memory");
  if (get_count(o, "passed", &c->passed, err) ||
      get_count(o, "failed", &c->failed, err) ||
      get_seconds(o, &c->seconds, err))
    return -SP_EINVAL; /* the record says which field */
  const json_t *fl = json_object_get(o, "failures");
  if (!json_is_array(fl) || json_array_size(fl) > SP_VERIFY_KEEP_FAILURES ||
      json_array_size(fl) > c->failed)
    return sp_error_fail(err, SP_EINVAL,
                         "failures: not a list of at most the failed count");
  c->failures = calloc(json_array_size(fl) + 1, sizeof *c->failures);
  if (c->failures == NULL)
    return sp_error_fail(err, SP_ENOMEM, "out of memory");
  size_t k;
  const json_t *line;
  json_array_foreach(fl, k, line) {
    if (!json_is_string(line) || json_string_length(line) > 2048)
      return sp_error_fail(err, SP_EINVAL,
                           "failures: a line is not a string of at most "
                           "2048 bytes");
    c->failures[k] = strdup(json_string_value(line));
    if (c->failures[k] == NULL)
      return sp_error_fail(err, SP_ENOMEM, "out of memory");
    c->n_failures = k + 1;
  }
  return 0;
}

static int decode_suite(const json_t *o, sp_verify_report *r,
                        sp_error_record *err) {
  if (!json_is_object(o))
    return sp_error_fail(err, SP_EINVAL, "a suite is not an object");
  sp_verify_suite *s = sp_verify_report_add(r, "", "");
  if (s == NULL) return sp_error_fail(err, SP_ENOMEM, "out of memory");
  const json_t *rank = json_object_get(o, "rank");
  const json_t *state = json_object_get(o, "state");
  if (get_str(o, "backend", s->backend, sizeof s->backend, err) ||
      get_str(o, "device", s->device, sizeof s->device, err) ||
      get_str(o, "host", s->host, sizeof s->host, err) ||
      get_str(o, "reason", s->reason, sizeof s->reason, err) ||
      get_seconds(o, &s->seconds, err))
    return -SP_EINVAL; /* the record says which field */
  if (!json_is_integer(rank) || json_integer_value(rank) < -1 ||
      json_integer_value(rank) > 1000000 || !json_is_integer(state) ||
      json_integer_value(state) < SP_VERIFY_RAN ||
      json_integer_value(state) > SP_VERIFY_ERROR)
    return sp_error_fail(err, SP_EINVAL, "rank or state out of range");
  s->rank = (int)json_integer_value(rank);
  s->state = (sp_verify_state)json_integer_value(state);
  const json_t *cases = json_object_get(o, "cases");
  if (!json_is_array(cases) || json_array_size(cases) > 100000)
    return sp_error_fail(err, SP_EINVAL, "cases: not a list");
  size_t i;
  const json_t *c;
  json_array_foreach(cases, i, c) {
    int rc = decode_case(c, s, err);
    if (rc != 0) return rc;
  }
  return 0;
}

int sp_verify_report_decode(const char *text, sp_verify_report *r,
                            sp_error_record *err) {
  memset(r, 0, sizeof *r);
  json_error_t je;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
  const json_t *suites = json_object_get(root, "suites");
  if (!json_is_array(suites) || json_array_size(suites) > 10000) {
    int rc = sp_error_fail(err, SP_EINVAL, "not a verification report (%s)",
                           root == NULL ? je.text : "no list of suites");
    json_decref(root);
    return rc;
  }
  size_t i;
  const json_t *s;
  json_array_foreach(suites, i, s) {
    int rc = decode_suite(s, r, err);
    if (rc != 0) {
      json_decref(root);
      sp_verify_report_free(r);
      return rc;
    }
  }
  json_decref(root);
  return 0;
}
