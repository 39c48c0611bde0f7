/* `solve_for_nonce_block`: the plain ascending scan. */
#include "reference.h"

uint64_t sp_nonce_range_length(sp_nonce_range range) {
  uint64_t room = UINT64_MAX - range.start; /* nonces after start */
  if (range.count == 0) return 0;
  return range.count - 1 > room ? room + 1 : range.count;
}

int64_t sp_solve_for_nonce_block(const uint8_t block_and_hotkey_hash[32],
                                 uint64_t difficulty, sp_rule rule,
                                 sp_nonce_range range, bool all,
                                 sp_solution_fn on_solution, void *user,
                                 uint64_t *scanned) {
  if (scanned != NULL) *scanned = 0;
  int bad = sp_rule_check(rule);
  if (bad != 0) return bad;
  uint64_t length = sp_nonce_range_length(range);
  uint64_t done = 0;
  int64_t found = 0;
  for (; done < length; done++) {
    uint64_t nonce = range.start + done;
    uint8_t seal[32];
    int rc = sp_create_seal_hash(block_and_hotkey_hash, nonce, seal);
    if (rc != 0) {
      if (scanned != NULL) *scanned = done;
      return rc;
    }
    if (!sp_seal_meets_difficulty(seal, difficulty, rule)) continue;
    found++;
    bool more = on_solution == NULL || on_solution(user, nonce, seal);
    if (!all || !more) {
      done++;
      break;
    }
  }
  if (scanned != NULL) *scanned = done;
  return found;
}
