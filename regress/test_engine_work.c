/* Work sources: the fixed one delivers once; the scripted one publishes a
 * new block as its (here manual) clock passes, with hashes that are a pure
 * function of the seed and the block number. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/scripted_source.h"
#include "regress/support/manual_clock.h"

static const uint8_t key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

Test(work_source, block_work_hashes_block_with_key) {
  uint8_t bh[32], want[32];
  memset(bh, 0xab, 32);
  sp_block_work w;
  sp_block_work_make(9, bh, key, 77, SP_RULE_SDK, &w);
  sp_hash_block_with_hotkey(bh, key, want);
  cr_assert_eq(memcmp(w.work.block_and_hotkey_hash, want, 32), 0);
  cr_assert_eq(memcmp(w.block_hash, bh, 32), 0);
  cr_assert_eq(w.block_number, 9);
  cr_assert_eq(w.work.difficulty, 77);
  cr_assert_eq(w.work.rule, SP_RULE_SDK);
}

Test(work_source, fixed_delivers_once) {
  uint8_t bh[32] = {0};
  sp_block_work w, got;
  sp_block_work_make(1, bh, key, 5, SP_RULE_CHAIN_LE, &w);
  sp_fixed_source fs;
  sp_fixed_source_init(&fs, &w);
  sp_work_source s = sp_fixed_source_as_source(&fs);
  sp_error_record err = {0};
  cr_assert_eq(s.poll(s.self, &got, &err), 1);
  cr_assert_eq(memcmp(&got, &w, sizeof w), 0);
  cr_assert_eq(s.poll(s.self, &got, &err), 0);
}

Test(work_source, scripted_hashes_are_deterministic) {
  sp_scripted_source a, b, c;
  sp_scripted_source_init(&a, 10, 5, 0, 42, key, 100, SP_RULE_CHAIN_LE);
  sp_scripted_source_init(&b, 99, 1000, 3, 42, key, 100, SP_RULE_CHAIN_LE);
  sp_scripted_source_init(&c, 10, 5, 0, 43, key, 100, SP_RULE_CHAIN_LE);
  sp_block_work x, y, z;
  sp_scripted_block(&a, 12, &x);
  sp_scripted_block(&b, 12, &y);
  sp_scripted_block(&c, 12, &z);
  cr_assert_eq(memcmp(&x, &y, sizeof x), 0, "same seed and number: same work");
  cr_assert_neq(memcmp(x.block_hash, z.block_hash, 32), 0, "seed matters");
  sp_scripted_block(&a, 13, &y);
  cr_assert_neq(memcmp(x.block_hash, y.block_hash, 32), 0, "number matters");
  /* block_hash = Keccak-256("subpow scripted block" || seed LE || n LE) */
  uint8_t msg[21 + 16] = "subpow scripted block";
  msg[21] = 42;
  msg[29] = 12;
  uint8_t h[32];
  sp_keccak256(msg, sizeof msg, h);
  cr_assert_eq(memcmp(h, x.block_hash, 32), 0);
  uint8_t bahh[32];
  sp_hash_block_with_hotkey(h, key, bahh);
  cr_assert_eq(memcmp(bahh, x.work.block_and_hotkey_hash, 32), 0);
}

/* On a manual clock: the blocks follow the script's time exactly, however
 * slowly the machine runs (this failed 8 of 8 times under valgrind with
 * sleeps against the wall clock). */
Test(work_source, scripted_advances_with_time_and_stops_at_n_blocks) {
  sp_scripted_source s;
  sp_scripted_source_init(&s, 500, 20, 3, 1, key, 100, SP_RULE_CHAIN_LE);
  manual_clock mc;
  manual_clock_init(&mc, 1000.0);
  s.clock = manual_clock_as_clock(&mc);
  sp_work_source src = sp_scripted_source_as_source(&s);
  sp_block_work w;
  sp_error_record err = {0};
  cr_assert_eq(src.poll(src.self, &w, &err), 1);
  cr_assert_eq(w.block_number, 500);
  cr_assert_eq(src.poll(src.self, &w, &err), 0);
  manual_clock_advance(&mc, 0.019);
  cr_assert_eq(src.poll(src.self, &w, &err), 0, "before 20 ms");
  manual_clock_advance(&mc, 0.002);
  cr_assert_eq(src.poll(src.self, &w, &err), 1);
  cr_assert_eq(w.block_number, 501);
  manual_clock_advance(&mc, 0.1); /* past the third block: it stays */
  cr_assert_eq(src.poll(src.self, &w, &err), 1);
  cr_assert_eq(w.block_number, 502);
  cr_assert_eq(src.poll(src.self, &w, &err), 0);
  cr_assert_eq(s.n_published, 3);
  sp_block_work again;
  sp_scripted_block(&s, 502, &again);
  cr_assert_eq(memcmp(&again, &w, sizeof w), 0);
}

/* Polled less often than the period, it skips blocks as a chain client
 * does. */
Test(work_source, scripted_skips_blocks_when_polled_late) {
  sp_scripted_source s;
  sp_scripted_source_init(&s, 10, 100, 0, 1, key, 100, SP_RULE_CHAIN_LE);
  manual_clock mc;
  manual_clock_init(&mc, 5.0);
  s.clock = manual_clock_as_clock(&mc);
  sp_work_source src = sp_scripted_source_as_source(&s);
  sp_block_work w;
  sp_error_record err = {0};
  cr_assert_eq(src.poll(src.self, &w, &err), 1);
  manual_clock_advance(&mc, 0.35);
  cr_assert_eq(src.poll(src.self, &w, &err), 1);
  cr_assert_eq(w.block_number, 13);
  cr_assert_eq(s.n_published, 2);
}
