/* bench mock-node: a Subtensor-compatible JSON-RPC node for tests and demos. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/json_out.h"
#include "chain/mock/mock_node.h"
#include "engine/stop_signal.h"

static const char help[] =
    "usage: bench mock-node [--port P] [--block-time MS] [--difficulty "
    "NETUID=D]...\n"
    "                       [--subnet NETUID[:nopow]]... [--runtime "
    "282|343|397]\n"
    "                       [--faucet | --no-faucet] [--seed S] [fault "
    "options]\n"
    "                       [--json] [--quiet]\n"
    "\n"
    "Runs a mock Subtensor node serving JSON-RPC over HTTP on 127.0.0.1 until\n"
    "SIGINT or SIGTERM; prints \"listening on http://127.0.0.1:P\" once it\n"
    "accepts requests. Defaults: port 9944, 1000 ms blocks, subnet 1 with PoW\n"
    "allowed at difficulty 10000, runtime 343 (rule chain-le), faucet on, seed "
    "0.\n"
    "  --port P               0 picks a free port\n"
    "  --difficulty NETUID=D  a subnet's difficulty (adds the subnet)\n"
    "  --subnet NETUID[:nopow] add a subnet; :nopow disallows PoW "
    "registration\n"
    "  --runtime R            282 (chain-be), 343 (chain-le), 397+ (burned\n"
    "                         registration: register ignores the work)\n"
    "  --seed S               block hashes are a function of S\n"
    "fault options (for tests of clients):\n"
    "  --latency-ms MS        delay every answer\n"
    "  --drop-per-mille N     close N of 1000 connections without an answer\n"
    "  --http500-per-mille N  answer N of 1000 requests with HTTP 500\n"
    "  --malformed-per-mille N cut N of 1000 answers mid-body\n"
    "  --stall-blocks         start with the block producer stalled\n";

static int parse_per_mille(const char *cmd, const char *flag, const char *arg,
                           unsigned *out) {
  long v = 0;
  if (sp_cli_int(cmd, flag, arg, 0, 1000, &v)) return SP_EXIT_USAGE;
  *out = (unsigned)v;
  return 0;
}

int sp_cmd_mock_node(int argc, char **argv) {
  static const struct option opts[] = {
      {"port", required_argument, NULL, 'p'},
      {"block-time", required_argument, NULL, 'b'},
      {"difficulty", required_argument, NULL, 'd'},
      {"subnet", required_argument, NULL, 's'},
      {"runtime", required_argument, NULL, 'r'},
      {"faucet", no_argument, NULL, 'f'},
      {"no-faucet", no_argument, NULL, 'F'},
      {"seed", required_argument, NULL, 'S'},
      {"latency-ms", required_argument, NULL, 'l'},
      {"drop-per-mille", required_argument, NULL, 'D'},
      {"http500-per-mille", required_argument, NULL, '5'},
      {"malformed-per-mille", required_argument, NULL, 'm'},
      {"stall-blocks", no_argument, NULL, 'x'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      {0}};
  const char *cmd = "mock-node";
  sp_mock_config cfg;
  sp_mock_config_default(&cfg);
  bool subnets_given = false;
  long v = 0;
  int c;
  bool json = false;
  sp_cli_reset();
  sp_cli_repeatable("difficulty"); /* [--difficulty NETUID=D]... */
  sp_cli_repeatable("subnet");     /* [--subnet NETUID[:nopow]]... */
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    switch (c) {
    case 'p':
      if (sp_cli_int(cmd, "--port", optarg, 0, 65535, &v)) return SP_EXIT_USAGE;
      cfg.port = (uint16_t)v;
      break;
    case 'b':
      if (sp_cli_int(cmd, "--block-time", optarg, 1, 3600000, &v))
        return SP_EXIT_USAGE;
      cfg.block_time_ms = (unsigned)v;
      break;
    case 'd':
    case 's': {
      char buf[64];
      const char *flag = c == 'd' ? "--difficulty" : "--subnet";
      if (strlen(optarg) >= sizeof buf)
        return sp_cli_fail(cmd, "%s: '%s' is too long", flag, optarg);
      strcpy(buf, optarg);
      char *sep = strchr(buf, c == 'd' ? '=' : ':');
      if (c == 'd' && sep == NULL)
        return sp_cli_fail(cmd, "--difficulty: '%s' is not NETUID=D", optarg);
      if (sep != NULL) *sep++ = '\0';
      long netuid = 0;
      if (sp_cli_int(cmd, flag, buf, 1, 65535, &netuid)) return SP_EXIT_USAGE;
      if (!subnets_given)
        cfg.n_subnets = 0; /* explicit subnets replace subnet 1 */
      subnets_given = true;
      uint64_t difficulty = 10000;
      bool pow = true;
      for (size_t i = 0; i < cfg.n_subnets; i++)
        if (cfg.subnets[i].netuid == netuid)
          difficulty = cfg.subnets[i].difficulty,
          pow = cfg.subnets[i].pow_allowed;
      if (c == 'd') {
        if (sp_cli_u64(cmd, "--difficulty", sep, &difficulty))
          return SP_EXIT_USAGE;
      } else if (sep != NULL) {
        if (strcmp(sep, "nopow") != 0)
          return sp_cli_fail(
              cmd, "--subnet: '%s' is not NETUID or NETUID:nopow", optarg);
        pow = false;
      }
      if (sp_mock_config_subnet(&cfg, (uint16_t)netuid, pow, difficulty) != 0)
        return sp_cli_fail(cmd, "%s: more than %d subnets", flag,
                           SP_MOCK_MAX_SUBNETS);
      break;
    }
    case 'r':
      if (sp_cli_int(cmd, "--runtime", optarg, 1, 100000, &v))
        return SP_EXIT_USAGE;
      if (!sp_mock_runtime_known((uint32_t)v))
        return sp_cli_fail(
            cmd, "--runtime: %ld is not 282, 343 or 397 and later", v);
      cfg.runtime = (uint32_t)v;
      break;
    case 'f': cfg.faucet = true; break;
    case 'F': cfg.faucet = false; break;
    case 'S':
      if (sp_cli_u64(cmd, "--seed", optarg, &cfg.seed)) return SP_EXIT_USAGE;
      break;
    case 'l':
      if (sp_cli_int(cmd, "--latency-ms", optarg, 0, 60000, &v))
        return SP_EXIT_USAGE;
      cfg.faults.latency_ms = (unsigned)v;
      break;
    case 'D':
      if (parse_per_mille(cmd, "--drop-per-mille", optarg,
                          &cfg.faults.drop_per_mille))
        return SP_EXIT_USAGE;
      break;
    case '5':
      if (parse_per_mille(cmd, "--http500-per-mille", optarg,
                          &cfg.faults.http500_per_mille))
        return SP_EXIT_USAGE;
      break;
    case 'm':
      if (parse_per_mille(cmd, "--malformed-per-mille", optarg,
                          &cfg.faults.malformed_per_mille))
        return SP_EXIT_USAGE;
      break;
    case 'x': cfg.stall_blocks = true; break;
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default: return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (cfg.faults.drop_per_mille + cfg.faults.http500_per_mille +
          cfg.faults.malformed_per_mille >
      1000)
    return sp_cli_fail(cmd, "fault rates add up to more than 1000 per mille");

  /* Before the node's threads start: the handler then runs in whichever
   * thread takes the signal and wakes sp_stop_signal_wait below. */
  sp_stop_signal_clear();
  if (sp_stop_signal_install() != 0)
    return sp_cli_fail(cmd, "cannot install the signal handlers");
  sp_error_record err = {0};
  sp_mock_node *node = sp_mock_start(&cfg, &err);
  if (node == NULL) return sp_cli_fail(cmd, "%s", err.message);
  char url[64];
  sp_mock_url(node, url, sizeof url);
  if (json)
    sp_json_print(stdout, json_pack("{s:s}", "url", url));
  else
    printf("listening on %s\n", url);
  fflush(stdout);
  int sig = sp_stop_signal_wait(-1);
  sp_cli_status("mock-node", "stopping at block %" PRIu64 " (signal %d)",
                sp_mock_best(node), sig);
  /* The handler stays: more signals during the stop are recorded, not
   * fatal, and the exit status is the first one's. */
  sp_mock_stop(node);
  return 128 + sig;
}
