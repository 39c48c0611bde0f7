/* bench check: does a seal meet a difficulty under a rule? */
#include <inttypes.h>
#include <stdio.h>

#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/json_out.h"

static const char help[] =
    "usage: bench check --seal HEX --difficulty D [--rule "
    "sdk|chain-be|chain-le] "
    "[--json]\n"
    "\n"
    "Exit 0 when the seal meets difficulty D (0 .. 2^64 - 1) under the rule,\n"
    "1 when it does not. Rules (default chain-le, today's chain):\n"
    "  sdk       big-endian(seal) * D <  2^256 - 1  (bittensor SDK, btcli)\n"
    "  chain-be  big-endian(seal) * D <= 2^256 - 1  (chain, spec_version < "
    "283)\n"
    "  chain-le  little-endian(seal) * D <= 2^256 - 1 (chain, spec_version >= "
    "283)\n"
    "  --json    {\"seal\": \"...\", \"difficulty\": D, \"rule\": \"...\", "
    "\"meets\": B}\n";

int sp_cmd_check(int argc, char **argv) {
  static const struct option opts[] = {
      {"seal", required_argument, NULL, 's'},
      {"difficulty", required_argument, NULL, 'd'},
      {"rule", required_argument, NULL, 'r'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      {0}};
  const char *cmd = "check";
  uint8_t seal[32];
  uint64_t difficulty = 0;
  sp_rule rule = SP_RULE_CHAIN_LE;
  bool have_seal = false, have_d = false, json = false;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    switch (c) {
    case 's':
      if (sp_cli_hex32(cmd, "--seal", optarg, seal)) return SP_EXIT_USAGE;
      have_seal = true;
      break;
    case 'd':
      if (sp_cli_u64(cmd, "--difficulty", optarg, &difficulty))
        return SP_EXIT_USAGE;
      have_d = true;
      break;
    case 'r':
      if (sp_cli_rule(cmd, optarg, &rule)) return SP_EXIT_USAGE;
      break;
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default: return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (!have_seal) return sp_cli_fail(cmd, "missing --seal");
  if (!have_d) return sp_cli_fail(cmd, "missing --difficulty");
  bool meets = sp_seal_meets_difficulty(seal, difficulty, rule);
  char hex[65];
  sp_hex_encode(seal, 32, hex);
  if (json)
    sp_json_print(stdout,
                  json_pack("{s:s, s:o, s:s, s:b}", "seal", hex, "difficulty",
                            sp_json_u64(difficulty), "rule", sp_rule_name(rule),
                            "meets", meets));
  else
    printf("%s\n", meets ? "meets" : "does not meet");
  return meets ? SP_EXIT_OK : SP_EXIT_NO;
}
