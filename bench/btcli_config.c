/* btcli's configuration file; see btcli_config.h. */
#include "bench/btcli_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/sanitize.h"
#include "common/user_file.h"

/* The keys read, in the order of sp_btcli_config's fields. */
static const char *const KEYS[4] = {"wallet_name", "wallet_hotkey",
                                    "wallet_path", "network"};

/* Records "PATH: what" with `code`; returns -code. */
static int fail(sp_error_record *err, int code, const char *path,
                const char *what) {
  char clean[512];
  return sp_error_fail(err, code, "%s: %s",
                       sp_sanitize(path, clean, sizeof clean), what);
}

/* Whether a scalar is YAML's null (the core schema: null, Null, NULL, ~ or
 * nothing, when plain). btcli writes `wallet_name: null` for unset keys. */
static bool is_null(const yaml_node_t *v) {
  if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
  const char *s = (const char *)v->data.scalar.value;
  return v->data.scalar.length == 0 || strcmp(s, "~") == 0 ||
         strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
         strcmp(s, "NULL") == 0;
}

/* Takes the four keys from the mapping `root` of `doc`. */
static int take_keys(yaml_document_t *doc, yaml_node_t *root, const char *path,
                     sp_btcli_config *c, sp_error_record *err) {
  const char **field[4] = {&c->wallet_name, &c->wallet_hotkey, &c->wallet_path,
                           &c->network};
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
       p < root->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(doc, p->key);
    yaml_node_t *v = yaml_document_get_node(doc, p->value);
    if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE) continue;
    for (int i = 0; i < 4; i++) {
      if (strcmp((const char *)k->data.scalar.value, KEYS[i]) != 0) continue;
      char what[160];
      if (v->type != YAML_SCALAR_NODE) {
        snprintf(what, sizeof what,
                 "%s is not a string (btcli config set %s VALUE writes one)",
                 KEYS[i], KEYS[i]);
        return fail(err, SP_EINVAL, path, what);
      }
      if (is_null(v)) {
        *field[i] = NULL;
        break;
      }
      size_t len = v->data.scalar.length;
      if (len >= sizeof c->store[i] ||
          memchr(v->data.scalar.value, '\0', len) != NULL) {
        snprintf(what, sizeof what,
                 "%s is longer than %zu bytes or holds a NUL byte", KEYS[i],
                 sizeof c->store[i] - 1);
        return fail(err, SP_EINVAL, path, what);
      }
      memcpy(c->store[i], v->data.scalar.value, len);
      c->store[i][len] = '\0';
      *field[i] = c->store[i];
      break;
    }
  }
  return 0;
}

/* Parses `len` bytes of YAML (the first document). */
static int parse(const unsigned char *text, size_t len, const char *path,
                 sp_btcli_config *c, sp_error_record *err) {
  yaml_parser_t parser;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&parser))
    return fail(err, SP_ENOMEM, path, "out of memory");
  yaml_parser_set_input_string(&parser, text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    char what[300];
    snprintf(what, sizeof what, "not valid YAML: %s at line %zu, column %zu",
             parser.problem ? parser.problem : "parse error",
             parser.problem_mark.line + 1, parser.problem_mark.column + 1);
    yaml_parser_delete(&parser);
    return fail(err, SP_EINVAL, path, what);
  }
  int rc = 0;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (root == NULL) {
    /* an empty file: no settings */
  } else if (root->type != YAML_MAPPING_NODE) {
    rc = fail(err, SP_EINVAL, path,
              "not a btcli config (want a YAML mapping of keys such as "
              "wallet_name, wallet_path, network)");
  } else {
    rc = take_keys(&doc, root, path, c, err);
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return rc;
}

int sp_btcli_config_read(const char *path, sp_btcli_config *c,
                         sp_error_record *err) {
  c->found = false;
  c->wallet_name = c->wallet_hotkey = c->wallet_path = c->network = NULL;
  if (path != c->path) snprintf(c->path, sizeof c->path, "%s", path);
  sp_error_record open_err = {0};
  FILE *f = sp_user_file_fopen(path, 0, &open_err);
  if (f == NULL) {
    int e = errno;
    if (e == ENOENT) return 0;
    return sp_error_fail(err, -sp_error_from_errno(-e), "btcli config %s",
                         open_err.message);
  }
  unsigned char *buf = malloc(SP_BTCLI_CONFIG_MAX + 1);
  if (buf == NULL) {
    fclose(f);
    return fail(err, SP_ENOMEM, path, "out of memory");
  }
  size_t len = fread(buf, 1, SP_BTCLI_CONFIG_MAX + 1, f);
  bool bad = ferror(f) != 0;
  fclose(f);
  int rc;
  if (bad)
    rc = fail(err, SP_EIO, path, "read error");
  else if (len > SP_BTCLI_CONFIG_MAX)
    rc = fail(err, SP_ERANGE, path, "larger than 1 MiB: not a btcli config");
  else
    rc = parse(buf, len, path, c, err);
  free(buf);
  if (rc == 0) c->found = true;
  return rc;
}

int sp_btcli_config_load(sp_btcli_config *c, sp_error_record *err) {
  memset(c, 0, sizeof *c);
  const char *env = getenv(SP_BTCLI_CONFIG_ENV);
  const char *home = getenv("HOME");
  if (env != NULL && env[0] != '\0')
    snprintf(c->path, sizeof c->path, "%s", env);
  else if (home != NULL && home[0] != '\0')
    snprintf(c->path, sizeof c->path, "%s/.bittensor/config.yml", home);
  else
    return 0;
  return sp_btcli_config_read(c->path, c, err);
}
