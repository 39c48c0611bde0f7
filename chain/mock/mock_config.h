/*
 * The mock node's configuration and its handle type (mock_node.h is the
 * interface that uses them): a header of its own so that the node's state
 * (mock_state.h) and the layers on it need not include the node's
 * interface, which sits above them.
 */
#ifndef SUBPOW_CHAIN_MOCK_MOCK_CONFIG_H
#define SUBPOW_CHAIN_MOCK_MOCK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/mock/rpc_dispatch.h"

#define SP_MOCK_MAX_SUBNETS 64

typedef struct sp_mock_subnet {
  uint16_t netuid;
  bool pow_allowed;
  uint64_t difficulty;
  uint64_t burn; /* rao, for burned registrations (spec 397+) */
} sp_mock_subnet;

typedef struct sp_mock_config {
  uint16_t port;          /* 0: a free port */
  unsigned block_time_ms; /* block production interval */
  sp_mock_subnet subnets[SP_MOCK_MAX_SUBNETS];
  size_t n_subnets;
  uint32_t runtime; /* spec_version: 282, 343 or >= 397 */
  bool faucet;      /* runtime built with the pow-faucet feature */
  uint64_t seed;    /* block hashes are a function of it */
  uint16_t max_registrations_per_block;       /* 0: the profile's */
  uint16_t target_registrations_per_interval; /* 0: the profile's */
  uint32_t adjustment_interval; /* blocks after which the interval resets */
  sp_rpc_faults faults;
  bool stall_blocks;      /* start with the block producer stalled */
  bool no_register_limit; /* modern profile: a runtime whose metadata
                             lacks register_limit (added to the source
                             2026-03-09; spec 381's devnet lacks it) */
} sp_mock_config;

/* A running node (mock_node.h; its state: mock_state.h). */
typedef struct sp_mock_node sp_mock_node;

#endif
