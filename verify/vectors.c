/* Reading the JSON files of vectors/ with jansson. u64 values are decimal
 * strings there (JSON parsers disagree above 2^63). */
#include "verify/vectors.h"
#include "common/user_file.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sp_parse_u64(const char *s, uint64_t *out) {
  if (s == NULL || *s == '\0') return -SP_EINVAL;
  uint64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return -SP_EINVAL;
    unsigned d = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - d) / 10) return -SP_ERANGE;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

struct ctx {
  const char *file;
  sp_error_record *err;
  int rc; /* why load_cases returned NULL */
};

static int fail(struct ctx *c, size_t i, const char *field) {
  return sp_error_fail(c->err, SP_EINVAL, "%s: case %zu: bad or missing \"%s\"",
                       c->file, i, field);
}

static int get_hex32(struct ctx *c, json_t *o, size_t i, const char *k,
                     uint8_t out[32]) {
  const char *s = json_string_value(json_object_get(o, k));
  if (s == NULL || sp_hex_decode(s, 32, out, 32, NULL) != 0)
    return fail(c, i, k);
  return 0;
}

static int get_u64(struct ctx *c, json_t *o, size_t i, const char *k,
                   uint64_t *out) {
  const char *s = json_string_value(json_object_get(o, k));
  if (s == NULL || sp_parse_u64(s, out) != 0) return fail(c, i, k);
  return 0;
}

static json_t *load_cases(const char *dir, const char *name, struct ctx *c,
                          size_t *n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  c->file = name;
  /* Never blocks on a FIFO, only ever a regular file (common/user_file.h). */
  sp_error_record ferr = {0};
  FILE *f = sp_user_file_fopen(path, 0, &ferr);
  if (f == NULL) {
    c->rc = -ferr.code;
    if (c->err != NULL) *c->err = ferr;
    return NULL;
  }
  json_error_t je;
  json_t *root = json_loadf(f, 0, &je);
  fclose(f);
  if (root == NULL) {
    c->rc = sp_error_fail(c->err, SP_EINVAL, "%s: %s (line %d)", path, je.text,
                          je.line);
    return NULL;
  }
  json_t *cases = json_object_get(root, "cases");
  if (!json_is_array(cases)) {
    c->rc = sp_error_fail(c->err, SP_EINVAL, "%s: no \"cases\" array", path);
    json_decref(root);
    return NULL;
  }
  *n = json_array_size(cases);
  return root;
}

static int load_hashes(const char *dir, sp_vectors *v, struct ctx *c) {
  size_t n;
  json_t *root = load_cases(dir, "hashes.json", c, &n);
  if (root == NULL) return c->rc;
  json_t *cases = json_object_get(root, "cases");
  int rc = 0;
  v->hashes = calloc(n ? n : 1, sizeof *v->hashes);
  if (v->hashes == NULL) rc = -SP_ENOMEM;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    json_t *o = json_array_get(cases, i);
    const char *in = json_string_value(json_object_get(o, "input"));
    sp_hash_vector *h = &v->hashes[i];
    v->n_hashes = i + 1;
    size_t cap = in ? strlen(in) / 2 + 1 : 1;
    h->input = malloc(cap);
    if (h->input == NULL) {
      rc = -SP_ENOMEM;
      break;
    }
    if (in == NULL || sp_hex_decode(in, 0, h->input, cap, &h->input_len) != 0)
      rc = fail(c, i, "input");
    if (rc == 0) rc = get_hex32(c, o, i, "keccak256", h->keccak256);
    if (rc == 0) rc = get_hex32(c, o, i, "sha256", h->sha256);
    if (rc == 0) rc = get_hex32(c, o, i, "sha3_256", h->sha3_256);
  }
  json_decref(root);
  return rc;
}

static int load_seals(const char *dir, sp_vectors *v, struct ctx *c) {
  size_t n;
  json_t *root = load_cases(dir, "seals.json", c, &n);
  if (root == NULL) return c->rc;
  json_t *cases = json_object_get(root, "cases");
  int rc = 0;
  v->seals = calloc(n ? n : 1, sizeof *v->seals);
  if (v->seals == NULL) rc = -SP_ENOMEM;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    json_t *o = json_array_get(cases, i);
    sp_seal_vector *s = &v->seals[i];
    rc = get_hex32(c, o, i, "block_hash", s->block_hash);
    if (rc == 0) rc = get_hex32(c, o, i, "hotkey", s->hotkey);
    if (rc == 0)
      rc =
          get_hex32(c, o, i, "block_and_hotkey_hash", s->block_and_hotkey_hash);
    if (rc == 0) rc = get_hex32(c, o, i, "seal", s->seal);
    if (rc == 0) rc = get_u64(c, o, i, "nonce", &s->nonce);
    v->n_seals = i + 1;
  }
  json_decref(root);
  return rc;
}

static int load_rules(const char *dir, sp_vectors *v, struct ctx *c) {
  size_t n;
  json_t *root = load_cases(dir, "difficulty.json", c, &n);
  if (root == NULL) return c->rc;
  json_t *cases = json_object_get(root, "cases");
  int rc = 0;
  v->rules = calloc(n ? n : 1, sizeof *v->rules);
  if (v->rules == NULL) rc = -SP_ENOMEM;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    json_t *o = json_array_get(cases, i);
    sp_rule_vector *r = &v->rules[i];
    rc = get_hex32(c, o, i, "seal", r->seal);
    if (rc == 0) rc = get_u64(c, o, i, "difficulty", &r->difficulty);
    json_t *expect = json_object_get(o, "expect");
    for (int k = 0; rc == 0 && k < 3; k++) {
      json_t *b = json_object_get(expect, sp_rule_name((sp_rule)k));
      if (!json_is_boolean(b))
        rc = fail(c, i, "expect");
      else
        r->expect[k] = json_is_true(b);
    }
    v->n_rules = i + 1;
  }
  json_decref(root);
  return rc;
}

static int load_solutions(const char *dir, sp_vectors *v, struct ctx *c) {
  size_t n;
  json_t *root = load_cases(dir, "solutions.json", c, &n);
  if (root == NULL) return c->rc;
  json_t *cases = json_object_get(root, "cases");
  int rc = 0;
  v->solutions = calloc(n ? n : 1, sizeof *v->solutions);
  if (v->solutions == NULL) rc = -SP_ENOMEM;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    json_t *o = json_array_get(cases, i);
    sp_solution_vector *s = &v->solutions[i];
    v->n_solutions = i + 1;
    rc = get_hex32(c, o, i, "block_and_hotkey_hash", s->block_and_hotkey_hash);
    if (rc == 0) rc = get_u64(c, o, i, "difficulty", &s->difficulty);
    if (rc == 0) rc = get_u64(c, o, i, "start", &s->start);
    if (rc == 0) rc = get_u64(c, o, i, "count", &s->count);
    json_t *sols = json_object_get(o, "solutions");
    for (int k = 0; rc == 0 && k < 3; k++) {
      json_t *arr = json_object_get(sols, sp_rule_name((sp_rule)k));
      if (!json_is_array(arr)) {
        rc = fail(c, i, "solutions");
        break;
      }
      size_t m = json_array_size(arr);
      s->solutions[k] = calloc(m ? m : 1, sizeof(uint64_t));
      if (s->solutions[k] == NULL) {
        rc = -SP_ENOMEM;
        break;
      }
      s->n_solutions[k] = m;
      for (size_t j = 0; rc == 0 && j < m; j++) {
        const char *str = json_string_value(json_array_get(arr, j));
        if (str == NULL || sp_parse_u64(str, &s->solutions[k][j]) != 0)
          rc = fail(c, i, "solutions");
      }
    }
  }
  json_decref(root);
  return rc;
}

int sp_vectors_load(const char *dir, sp_vectors *out, sp_error_record *err) {
  memset(out, 0, sizeof *out);
  struct ctx c = {.err = err};
  int rc = load_hashes(dir, out, &c);
  if (rc == 0) rc = load_seals(dir, out, &c);
  if (rc == 0) rc = load_rules(dir, out, &c);
  if (rc == 0) rc = load_solutions(dir, out, &c);
  if (rc == -SP_ENOMEM)
    sp_error_fail(err, SP_ENOMEM, "out of memory loading vectors");
  return rc;
}

void sp_vectors_free(sp_vectors *v) {
  for (size_t i = 0; i < v->n_hashes; i++)
    free(v->hashes[i].input);
  for (size_t i = 0; i < v->n_solutions; i++)
    for (int k = 0; k < 3; k++)
      free(v->solutions[i].solutions[k]);
  free(v->hashes);
  free(v->seals);
  free(v->rules);
  free(v->solutions);
  memset(v, 0, sizeof *v);
}
