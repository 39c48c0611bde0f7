/*
 * Test support: the real finney chain data in SUBPOW_SHARED_DIR/fixtures/finney/
 * (SUBPOW_SHARED_DIR). Tests that need it skip, saying so, when it is absent.
 */
#ifndef SUBPOW_REGRESS_CHAIN_FIXTURE_H
#define SUBPOW_REGRESS_CHAIN_FIXTURE_H

#include <stddef.h>

/* "<SUBPOW_SHARED_DIR>/fixtures/finney/<name>" (static buffer). */
const char *sp_fixture_path(const char *name);

/*
 * The whole file as a malloc'd NUL-terminated string with trailing
 * whitespace removed, or NULL when it cannot be read (the caller skips).
 */
char *sp_fixture_read(const char *name, size_t *len);

#endif
