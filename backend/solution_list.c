/* Solution lists and the generic "first or all" solve over any backend. */
#include "backend/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sp_solution_list_free(sp_solution_list *l) {
  free(l->nonces);
  free(l->seals);
  memset(l, 0, sizeof *l);
}

static void list_append(void *user, uint64_t nonce, const uint8_t seal[32]) {
  sp_solution_list *l = user;
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    uint64_t *n = realloc(l->nonces, cap * sizeof *n);
    if (n == NULL) {
      l->oom = true;
      return;
    }
    l->nonces = n;
    uint8_t(*s)[32] = realloc(l->seals, cap * sizeof *s);
    if (s == NULL) {
      l->oom = true;
      return;
    }
    l->seals = s;
    l->cap = cap;
  }
  l->nonces[l->count] = nonce;
  memcpy(l->seals[l->count], seal, 32);
  l->count++;
}

sp_solution_sink sp_solution_list_sink(sp_solution_list *list) {
  return (sp_solution_sink){.found = list_append, .user = list};
}

/* Insertion into an index order, then a permutation; lists are short except
 * at tiny difficulties, where a backend reports them nearly sorted. */
static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

void sp_solution_list_sort(sp_solution_list *l) {
  if (l->count < 2) return;
  /* Sort (nonce, index) pairs, then rebuild the seals in that order. */
  uint64_t *pairs = malloc(l->count * 2 * sizeof *pairs);
  uint8_t(*seals)[32] = malloc(l->count * sizeof *seals);
  if (pairs == NULL || seals == NULL) {
    free(pairs);
    free(seals);
    l->oom = true;
    return;
  }
  for (size_t i = 0; i < l->count; i++) {
    pairs[2 * i] = l->nonces[i];
    pairs[2 * i + 1] = i;
  }
  qsort(pairs, l->count, 2 * sizeof *pairs, cmp_u64);
  for (size_t i = 0; i < l->count; i++) {
    l->nonces[i] = pairs[2 * i];
    memcpy(seals[i], l->seals[pairs[2 * i + 1]], 32);
  }
  free(l->seals);
  l->seals = seals;
  free(pairs);
}

int sp_backend_solve(const sp_backend_vtable *vt, sp_backend *b,
                     const sp_work *work, sp_nonce_range range, bool all,
                     uint64_t window, sp_solution_list *out, uint64_t *scanned,
                     sp_error_record *err) {
  uint64_t length = sp_nonce_range_length(range);
  uint64_t total = 0;
  sp_solution_sink sink = sp_solution_list_sink(out);
  if (all) window = length;
  if (window == 0) window = 1u << 20;
  uint64_t done = 0;
  while (done < length) {
    uint64_t n = length - done < window ? length - done : window;
    uint64_t got = 0;
    sp_nonce_range part = {.start = range.start + done, .count = n};
    int rc = vt->scan(b, work, part, &sink, NULL, NULL, &got, err);
    total += got;
    if (rc != 0) {
      if (scanned) *scanned = total;
      return rc;
    }
    if (out->oom) {
      if (scanned) *scanned = total;
      return sp_error_fail(err, SP_ENOMEM,
                           "out of memory collecting solutions");
    }
    done += n;
    if (!all && out->count > 0) break;
  }
  sp_solution_list_sort(out);
  if (!all && out->count > 1) out->count = 1;
  if (scanned) *scanned = total;
  return 0;
}
