/*
 * Test support: the real finney chain data in
 * SUBPOW_SHARED_DIR/fixtures/finney/ and the recorded metadata of recent
 * runtimes in SUBPOW_SHARED_DIR/fixtures/modern/ Tests that need it skip,
 * saying so, when it is absent.
 */
#ifndef SUBPOW_REGRESS_CHAIN_FIXTURE_H
#define SUBPOW_REGRESS_CHAIN_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/* "<SUBPOW_SHARED_DIR>/fixtures/finney/<name>" (static buffer). */
const char *sp_fixture_path(const char *name);

/*
 * The whole file as a malloc'd NUL-terminated string with trailing
 * whitespace removed, or NULL when it cannot be read (the caller skips).
 */
char *sp_fixture_read(const char *name, size_t *len);

/* "<SUBPOW_SHARED_DIR>/fixtures/modern/<name>" (static buffer). */
const char *sp_modern_fixture_path(const char *name);

/* The whole binary file under fixtures/modern/ (malloc'd), or NULL when it
 * cannot be read (the caller skips). */
uint8_t *sp_modern_fixture_bytes(const char *name, size_t *len);

/* The two modern metadata fixtures (V16, specs 346 and 381). */
#define SP_MODERN_SPEC346 "devnet-spec346-v16.scale"
#define SP_MODERN_SPEC381 "devnet-spec381-v16.scale"

#endif
