/* Test support: reading the finney fixtures (see chain_fixture.h). */
#include "regress/support/chain_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sp_fixture_path(const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/fixtures/finney/%s", SUBPOW_SHARED_DIR, name);
  return path;
}

char *sp_fixture_read(const char *name, size_t *len) {
  FILE *f = fopen(sp_fixture_path(name), "rb");
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
  if (!buf) return NULL;
  while (n > 0 &&
         (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
    n--;
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}
