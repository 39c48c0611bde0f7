/* A program outside the tree, built against the installed subpow with
 * `pkg-config --cflags --libs subpow`: the first seal vector
 * (vectors/seals.json) through the reference, and one solve through the
 * backend interface's reference adapter. Exit 0 when both agree. */
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "common/version.h"
#include "reference/reference.h"

int main(void) {
  uint8_t bh[32], seal[32];
  char hex[65];
  if (sp_hex_decode("4597a143cf26e144038aa72f02856234d7219595baab60221442eeb34"
                    "c8c7069",
                    32, bh, sizeof bh, NULL) != 0)
    return 1;
  if (sp_create_seal_hash(bh, 0, seal) != 0) return 1;
  sp_hex_encode(seal, 32, hex);
  if (strcmp(hex, "48596c65f89c8120304a4ed227db947863d30f59e5971039001972686"
                  "b93d979") != 0) {
    fprintf(stderr, "seal %s\n", hex);
    return 1;
  }
  sp_backend *b;
  sp_error_record err = {0};
  if (sp_backend_reference.open(NULL, &b, &err) != 0) return 1;
  sp_work w = {.difficulty = 1, .rule = SP_RULE_CHAIN_LE};
  memcpy(w.block_and_hotkey_hash, bh, 32);
  sp_solution_list l = {0};
  uint64_t scanned = 0;
  sp_nonce_range r = {.start = 0, .count = 4};
  int rc = sp_backend_solve(&sp_backend_reference, b, &w, r, true, 0, &l,
                            &scanned, &err);
  sp_backend_reference.close(b);
  if (rc != 0 || l.count != 4 || l.nonces[0] != 0) return 1;
  sp_solution_list_free(&l);
  printf("subpow %s: seal %s\n", sp_version(), hex);
  return 0;
}
