/* Test support: reading the chain fixtures (see chain_fixture.h). */
#include "regress/support/chain_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sp_fixture_path(const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/fixtures/finney/%s", SUBPOW_SHARED_DIR, name);
  return path;
}

/* The whole file at `path`, malloc'd with room for a NUL after *n bytes. */
static char *read_whole(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 20, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
    if (cap - n - 1 == 0) {
      char *grown = realloc(buf, cap * 2);
      if (!grown) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = grown;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf) *len = n;
  return buf;
}

char *sp_fixture_read(const char *name, size_t *len) {
  size_t n = 0;
  char *buf = read_whole(sp_fixture_path(name), &n);
  if (!buf) return NULL;
  while (n > 0 &&
         (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
    n--;
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

const char *sp_modern_fixture_path(const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/fixtures/modern/%s", SUBPOW_SHARED_DIR, name);
  return path;
}

uint8_t *sp_modern_fixture_bytes(const char *name, size_t *len) {
  size_t n = 0;
  uint8_t *buf = (uint8_t *)read_whole(sp_modern_fixture_path(name), &n);
  if (buf && len) *len = n;
  return buf;
}
