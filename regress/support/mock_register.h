/*
 * Test support: bench register and bench faucet run against the mock node,
 * started in-process on a free port, with a wallet of the test's own
 * (temp_wallet.h).
 */
#ifndef SUBPOW_REGRESS_MOCK_REGISTER_H
#define SUBPOW_REGRESS_MOCK_REGISTER_H

#include <stdbool.h>
#include <stdint.h>

#include "chain/mock/mock_node.h"
#include "regress/support/run_command.h"

/* The mock's default configuration on a free port, producing a block every
 * `block_ms`, with no subnet yet (sp_mock_config_subnet adds them). */
void sp_test_mock_config(sp_mock_config *c, unsigned block_ms);

/* Starts the mock node of `c` and writes its URL into `url` (64 bytes): the
 * WebSocket one when `ws`, else the HTTP one. Fails the test when it does
 * not start. */
sp_mock_node *sp_test_mock_start(const sp_mock_config *c, bool ws,
                                 char url[64]);

/* Runs `bench SUB --wallet-path WALLET --network URL --backend reference
 * --poll-ms 100 --no-output-in-place` and then the arguments of `extra`
 * (up to its first NULL; at most 20), into *r. Fails the test when bench
 * cannot be run. */
void sp_run_register(sp_run_result *r, const char *sub, const char *wallet,
                     const char *url, const char *const *extra);

/* The public key of the wallet's default hotkey, as `bench wallet inspect
 * --json` shows it (its SS58 address, decoded). Fails the test when it is
 * not there. */
void sp_wallet_hotkey(const char *wallet, uint8_t out[32]);

#endif
