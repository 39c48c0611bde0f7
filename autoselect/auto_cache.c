/* The `--backend auto` cache file; see auto_cache.h. */
#include "autoselect/auto_cache.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dirs.h"
#include "common/user_file.h"
#include "reference/reference.h"

int sp_auto_cache_default_dir(char *out, size_t outlen) {
  const char *xdg = getenv("XDG_CACHE_HOME");
  int n;
  if (xdg != NULL && xdg[0] == '/') {
    n = snprintf(out, outlen, "%s/subpow", xdg);
  } else {
    const char *home = getenv("HOME");
    if (home == NULL || home[0] != '/') return -SP_EINVAL;
    n = snprintf(out, outlen, "%s/.cache/subpow", home);
  }
  return n < 0 || (size_t)n >= outlen ? -SP_ERANGE : 0;
}

int sp_auto_cache_path(const char *dir, const char *build_id, char *out,
                       size_t outlen) {
  int n = snprintf(out, outlen, "%s/auto-%s.json", dir, build_id);
  return n < 0 || (size_t)n >= outlen ? -SP_ERANGE : 0;
}

static void copy_str(char *dst, size_t cap, json_t *v) {
  const char *s = json_is_string(v) ? json_string_value(v) : "";
  snprintf(dst, cap, "%s", s);
}

static uint64_t get_u64(json_t *v) {
  return json_is_integer(v) && json_integer_value(v) >= 0
             ? (uint64_t)json_integer_value(v)
             : 0;
}

int sp_auto_cache_load(const char *path, const char *build_id, sp_auto_cache *c,
                       sp_error_record *err) {
  memset(c, 0, sizeof *c);
  snprintf(c->build_id, sizeof c->build_id, "%s", build_id);
  if (access(path, F_OK) != 0) return 0;
  /* The cache is ours, but its directory comes from the environment: never
   * block on a FIFO there (common/user_file.h). */
  FILE *f = sp_user_file_fopen(path, 0, err);
  if (f == NULL) return 1;
  json_error_t je;
  json_t *root = json_loadf(f, 0, &je);
  fclose(f);
  if (root == NULL) {
    sp_error_fail(err, SP_EINVAL, "%s: not JSON (%s, line %d)", path, je.text,
                  je.line);
    return 1;
  }
  json_t *id = json_object_get(root, "build_id");
  json_t *entries = json_object_get(root, "entries");
  if (!json_is_string(id) || !json_is_array(entries)) {
    sp_error_fail(err, SP_EINVAL, "%s: not a subpow auto cache", path);
    json_decref(root);
    return 1;
  }
  if (strcmp(json_string_value(id), build_id) != 0) {
    sp_error_fail(err, SP_EINVAL, "%s: made by another build", path);
    json_decref(root);
    return 1;
  }
  size_t i;
  json_t *v;
  json_array_foreach(entries, i, v) {
    json_t *key = json_object_get(v, "key");
    json_t *verified = json_object_get(v, "verified");
    if (!json_is_string(key) || !json_is_boolean(verified)) {
      sp_error_fail(err, SP_EINVAL, "%s: entry %zu lacks key or verified", path,
                    i);
      json_decref(root);
      sp_auto_cache_free(c);
      snprintf(c->build_id, sizeof c->build_id, "%s", build_id);
      return 1;
    }
    sp_auto_entry e;
    memset(&e, 0, sizeof e);
    copy_str(e.key, sizeof e.key, key);
    copy_str(e.backend, sizeof e.backend, json_object_get(v, "backend"));
    e.verified = json_is_true(verified);
    e.passed = (unsigned long)get_u64(json_object_get(v, "passed"));
    e.failed = (unsigned long)get_u64(json_object_get(v, "failed"));
    e.random_cases = (unsigned)get_u64(json_object_get(v, "random_cases"));
    e.seed = get_u64(json_object_get(v, "seed"));
    json_t *r = json_object_get(v, "hashes_per_second");
    e.hashes_per_second = json_is_number(r) ? json_number_value(r) : 0;
    /* absent (an older cache): trusted as before */
    e.rate_disturbed = json_is_true(json_object_get(v, "rate_disturbed"));
    copy_str(e.checked_at, sizeof e.checked_at,
             json_object_get(v, "checked_at"));
    copy_str(e.first_failure, sizeof e.first_failure,
             json_object_get(v, "first_failure"));
    /* A passed entry with failures is not one we wrote: distrust it. */
    if (e.verified && e.failed != 0) e.verified = false;
    if (sp_auto_cache_put(c, &e) != 0) {
      json_decref(root);
      return sp_error_fail(err, SP_ENOMEM, "out of memory");
    }
  }
  json_decref(root);
  return 0;
}

int sp_auto_cache_save(const char *path, const sp_auto_cache *c,
                       sp_error_record *err) {
  int dirs = sp_make_parent_dirs(path, 0755);
  if (dirs != 0)
    return sp_error_fail(err, SP_EINVAL,
                         "cannot create the directory of %s: %s", path,
                         sp_strerror(dirs));
  json_t *entries = json_array();
  for (size_t i = 0; i < c->n; i++) {
    const sp_auto_entry *e = &c->entries[i];
    json_array_append_new(
        entries,
        json_pack("{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:f, s:b, s:s, s:s}",
                  "key", e->key, "backend", e->backend, "verified", e->verified,
                  "passed", (json_int_t)e->passed, "failed",
                  (json_int_t)e->failed, "random_cases",
                  (json_int_t)e->random_cases, "seed", (json_int_t)e->seed,
                  "hashes_per_second", e->hashes_per_second, "rate_disturbed",
                  e->rate_disturbed, "checked_at", e->checked_at,
                  "first_failure", e->first_failure));
  }
  json_t *root =
      json_pack("{s:s, s:o}", "build_id", c->build_id, "entries", entries);
  char tmp[1100];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  int rc =
      root ? json_dump_file(root, tmp, JSON_INDENT(2) | JSON_SORT_KEYS) : -1;
  json_decref(root);
  if (rc != 0 || rename(tmp, path) != 0) {
    sp_error_fail(err, SP_EINVAL, "cannot write %s: %s", path, strerror(errno));
    unlink(tmp);
    return -SP_EINVAL;
  }
  return 0;
}

const sp_auto_entry *sp_auto_cache_find(const sp_auto_cache *c,
                                        const char *key) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->entries[i].key, key) == 0) return &c->entries[i];
  return NULL;
}

int sp_auto_cache_put(sp_auto_cache *c, const sp_auto_entry *e) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->entries[i].key, e->key) == 0) {
      c->entries[i] = *e;
      return 0;
    }
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 8;
    sp_auto_entry *p = realloc(c->entries, cap * sizeof *p);
    if (p == NULL) return -SP_ENOMEM;
    c->entries = p;
    c->cap = cap;
  }
  c->entries[c->n++] = *e;
  return 0;
}

void sp_auto_cache_free(sp_auto_cache *c) {
  free(c->entries);
  memset(c, 0, sizeof *c);
}
