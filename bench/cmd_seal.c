/* bench seal: the seal of one nonce. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/json_out.h"

static const char help[] =
    "usage: bench seal --block-hash HEX --hotkey HEX --nonce N [--json]\n"
    "       bench seal --block-and-hotkey-hash HEX --nonce N [--json]\n"
    "\n"
    "Prints seal = Keccak-256(SHA-256(nonce_le64 || block_and_hotkey_hash)),\n"
    "where block_and_hotkey_hash = Keccak-256(block_hash || hotkey public "
    "key).\n"
    "HEX is 32 bytes (64 hex digits, optional 0x); N is 0 .. 2^64 - 1.\n"
    "  --json   {\"block_and_hotkey_hash\": \"...\", \"seal\": \"...\", "
    "\"nonce\": N}\n";

int sp_cmd_seal(int argc, char **argv) {
  static const struct option opts[] = {SP_CLI_BLOCK_HASH_LONGOPT,
                                       SP_CLI_HOTKEY_LONGOPT,
                                       SP_CLI_BLOCK_AND_HOTKEY_HASH_LONGOPT,
                                       {"nonce", required_argument, NULL, 'n'},
                                       {"json", no_argument, NULL, 'j'},
                                       SP_CLI_QUIET_LONGOPT,
                                       {"help", no_argument, NULL, 'h'},
                                       {0}};
  const char *cmd = "seal";
  sp_cli_work work = {0};
  bool have_nonce = false, json = false;
  uint64_t nonce = 0;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, opts)) != -1) {
    switch (c) {
    case SP_OPT_BLOCK_HASH:
    case SP_OPT_HOTKEY:
    case SP_OPT_BLOCK_AND_HOTKEY_HASH:
      if (sp_cli_work_take(cmd, &work, c, optarg)) return SP_EXIT_USAGE;
      break;
    case 'n':
      if (sp_cli_u64(cmd, "--nonce", optarg, &nonce)) return SP_EXIT_USAGE;
      have_nonce = true;
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
  if (sp_cli_work_finish(cmd, &work)) return SP_EXIT_USAGE;
  if (!have_nonce) return sp_cli_fail(cmd, "missing --nonce");
  uint8_t seal[32];
  if (sp_create_seal_hash(work.bahh, nonce, seal) != 0)
    return sp_cli_fail(cmd, "SHA-256 failed in libcrypto");
  char bahh_hex[65], seal_hex[65];
  sp_hex_encode(work.bahh, 32, bahh_hex);
  sp_hex_encode(seal, 32, seal_hex);
  if (json)
    sp_json_print(stdout, json_pack("{s:s, s:s, s:o}", "block_and_hotkey_hash",
                                    bahh_hex, "seal", seal_hex, "nonce",
                                    sp_json_u64(nonce)));
  else
    printf("%s\n", seal_hex);
  return SP_EXIT_OK;
}
