/* bench solve: the solving nonces of a range, on any backend. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/json_out.h"
#include "registry/registry.h"

static const char help_head[] =
    "usage: bench solve (--block-and-hotkey-hash HEX | --block-hash HEX\n"
    "                   --hotkey HEX) --difficulty D --start S --count N\n"
    "                   [--rule R] [--backend NAME] [--all] [--json]\n"
    "\n"
    "Scans the nonces [S, S + N) and prints the lowest solving nonce, or with\n"
    "--all every solving nonce, ascending, one per line. The range never "
    "wraps:\n"
    "it stops after nonce 2^64 - 1. Exit 0 when a solution was found, 1 when\n"
    "the range holds none.\n"
    "  --block-hash, --hotkey  the work from the block hash and the hotkey's\n"
    "                public key (as bench seal and bench mine)\n"
    "  --rule R      sdk, chain-be or chain-le (default chain-le)\n"
    "  --all         every solution, not only the lowest\n"
    "  --json        {\"backend\": ..., \"scanned\": N, \"solutions\": "
    "[{\"nonce\": N, "
    "\"seal\": \"...\"}]}\n"
    "backend options (default backend: the fastest CPU backend built in, as\n"
    "bench hashrate and bench mine):\n";

int sp_cmd_solve(int argc, char **argv) {
  static const struct option opts[] = {
      SP_CLI_BLOCK_AND_HOTKEY_HASH_LONGOPT,
      SP_CLI_BLOCK_HASH_LONGOPT,
      SP_CLI_HOTKEY_LONGOPT,
      {"difficulty", required_argument, NULL, 'd'},
      {"start", required_argument, NULL, 's'},
      {"count", required_argument, NULL, 'c'},
      {"rule", required_argument, NULL, 'r'},
      {"all", no_argument, NULL, 'a'},
      {"json", no_argument, NULL, 'j'},
      SP_CLI_QUIET_LONGOPT,
      {"help", no_argument, NULL, 'h'},
      SP_BACKEND_LONGOPTS,
      {0}};
  const char *cmd = "solve";
  sp_work work = {.rule = SP_RULE_CHAIN_LE};
  sp_nonce_range range = {0};
  sp_cli_work given = {0};
  bool have_d = false, have_start = false, have_count = false;
  bool all = false, json = false;
  sp_backend_args ba = {0};
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, sp_backend_longopts(opts))) != -1) {
    switch (c) {
    case SP_OPT_BLOCK_HASH:
    case SP_OPT_HOTKEY:
    case SP_OPT_BLOCK_AND_HOTKEY_HASH:
      if (sp_cli_work_take(cmd, &given, c, optarg)) return SP_EXIT_USAGE;
      break;
    case 'd':
      if (sp_cli_u64(cmd, "--difficulty", optarg, &work.difficulty))
        return SP_EXIT_USAGE;
      have_d = true;
      break;
    case 's':
      if (sp_cli_u64(cmd, "--start", optarg, &range.start))
        return SP_EXIT_USAGE;
      have_start = true;
      break;
    case 'c':
      if (sp_cli_u64(cmd, "--count", optarg, &range.count))
        return SP_EXIT_USAGE;
      have_count = true;
      break;
    case 'r':
      if (sp_cli_rule(cmd, optarg, &work.rule)) return SP_EXIT_USAGE;
      break;
    case 'a': all = true; break;
    case 'j': json = true; break;
    case 'h':
      sp_cli_help(stdout, help_head);
      sp_backend_args_print_help(stdout);
      sp_cli_help_end(stdout);
      return SP_EXIT_OK;
    default:
      if (sp_backend_args_is_option(c)) {
        int rc = sp_backend_args_take(cmd, &ba, c, optarg);
        if (rc != 0) return rc == SP_CLI_DONE ? SP_EXIT_OK : rc;
        break;
      }
      return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (sp_cli_work_finish(cmd, &given)) return SP_EXIT_USAGE;
  memcpy(work.block_and_hotkey_hash, given.bahh, 32);
  if (!have_d) return sp_cli_fail(cmd, "missing --difficulty");
  if (!have_start) return sp_cli_fail(cmd, "missing --start");
  if (!have_count) return sp_cli_fail(cmd, "missing --count");
  if (range.count == 0) return sp_cli_fail(cmd, "--count: must be at least 1");

  const sp_backend_vtable *vt;
  sp_backend *b;
  if (sp_cli_open_backend(cmd,
                          ba.backend ? ba.backend : sp_backend_default()->name,
                          &ba.opts, &vt, &b))
    return SP_EXIT_USAGE;
  sp_solution_list found = {0};
  uint64_t scanned = 0;
  sp_error_record err = {0};
  int rc =
      sp_backend_solve(vt, b, &work, range, all, 0, &found, &scanned, &err);
  vt->close(b);
  if (rc != 0) {
    sp_solution_list_free(&found);
    fprintf(stderr, "%s solve: %s\n", sp_cli_prog(), err.message);
    return SP_EXIT_USAGE;
  }
  if (json) {
    json_t *sols = json_array();
    for (size_t i = 0; i < found.count; i++) {
      char hex[65];
      sp_hex_encode(found.seals[i], 32, hex);
      json_array_append_new(sols, json_pack("{s:o, s:s}", "nonce",
                                            sp_json_u64(found.nonces[i]),
                                            "seal", hex));
    }
    sp_json_print(stdout, json_pack("{s:o, s:s, s:o, s:o, s:o}", "backend",
                                    sp_json_str(vt->name), "rule",
                                    sp_rule_name(work.rule), "difficulty",
                                    sp_json_u64(work.difficulty), "scanned",
                                    sp_json_u64(scanned), "solutions", sols));
  } else {
    for (size_t i = 0; i < found.count; i++)
      printf("%" PRIu64 "\n", found.nonces[i]);
  }
  int status = found.count > 0 ? SP_EXIT_OK : SP_EXIT_NO;
  sp_solution_list_free(&found);
  return status;
}
