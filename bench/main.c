/* `bench`: the subpow command. Each subcommand is a thin front end over the
 * libraries; this file only dispatches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/cli.h"
#include "bench/cli_docs.h"
#include "bench/commands.h"
#include "bench/data_dir.h"
#include "common/version.h"
#include "fleet/fleet.h"
#include "registry/registry.h"

static const sp_command commands[] = {
    {"seal", "compute a seal for a block and hotkey and a nonce", sp_cmd_seal,
     false},
    {"check", "check a seal against a difficulty under a rule", sp_cmd_check,
     false},
    {"solve", "find the solving nonces of a range", sp_cmd_solve, false},
    {"verify", "check backends against the vectors and the reference",
     sp_cmd_verify, true},
    {"hashrate", "measure how many seals a second a backend computes",
     sp_cmd_hashrate, true},
    {"mine", "solve live work with the engine and a status display",
     sp_cmd_mine, false},
    {"sweep", "measure backends over their settings; CSV, JSON, plots",
     sp_cmd_sweep, true},
    {"wallet", "create, inspect, sign with and verify for btcli wallets",
     sp_cmd_wallet, false},
    {"register", "register a hotkey by proof of work (mock node by default)",
     sp_cmd_register, true},
    {"faucet", "claim test TAO from a chain's PoW faucet", sp_cmd_faucet, true},
    {"subnets", "where to register and what it costs, per subnet",
     sp_cmd_subnets, false},
    {"mock-node", "run a mock Subtensor node (JSON-RPC over HTTP)",
     sp_cmd_mock_node, false},
};

/* bench --version: what this binary is, for bug reports and results. */
static void version(FILE *f) {
  fprintf(f, "subpow %s\n", sp_version());
  fprintf(f, "commit: %s\n", sp_git_commit());
  fprintf(f, "build type: %s\n", sp_build_type());
  fprintf(f, "compiler: %s\n", sp_compiler());
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  char names[256];
  sp_backend_names(names, sizeof names);
  fprintf(f, "backends: %s\n", names);
  fprintf(f, "vectors: %s\n", sp_data_dir("vectors", SUBPOW_VECTORS_DIR));
  for (size_t i = 0; i < n; i++) {
    const sp_setting_info *isa = sp_backend_setting(list[i], "isa");
    if (isa == NULL || isa->range == NULL) continue;
    fprintf(f, "%s kernel paths: %s\n", list[i]->name, isa->range);
  }
}

static void usage(FILE *f) {
  sp_cli_help(f, "usage: bench SUBCOMMAND [OPTIONS]\n"
                 "       bench --version\n"
                 "\n"
                 "subpow: the proof of work of Bittensor's Subtensor chain.\n"
                 "\n"
                 "subcommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  sp_cli_help(
      f, "\n"
         "bench SUBCOMMAND --help (or -h) describes each one; man bench has\n"
         "them all. Results go to stdout, status to stderr; every command\n"
         "takes --quiet (no status) and --json (one JSON object on stdout).\n"
         "Exit status: 0 success, 1 a negative answer (a seal that does not\n"
         "meet, a failed check, a refusal by the chain), 2 a usage or input\n"
         "error (one line on stderr says what), 124 a --seconds limit ran out\n"
         "(as timeout(1)), 128 + N after signal N.\n"
         "btcli's flag spellings (--wallet.name, -p, --subtensor.network,\n"
         "--use-cuda, -tbp, -y, ...) are taken too, and btcli's config file\n"
         "(~/.bittensor/config.yml or $BTCLI_CONFIG_PATH) gives defaults.\n"
         "\n"
         "Under mpirun or srun, register, faucet, hashrate, sweep and verify\n"
         "run as one job over every rank (README: Many hosts); bench --mpi\n"
         "CMD forces that, bench --no-mpi CMD runs each process alone.\n");
}

int main(int argc, char **argv) {
  sp_cli_set_prog(argv[0]);
  /* --man, --completion bash, --options CMD: from the same tables */
  const sp_command_docs docs = {commands, sizeof commands / sizeof commands[0],
                                usage};
  int drc = sp_cli_docs_main(&docs, argc, argv);
  if (drc >= 0) return drc;
  /* bench --mpi|--no-mpi CMD: the same as SUBPOW_MPI=on|off (fleet.h). */
  if (argc >= 2 &&
      (strcmp(argv[1], "--mpi") == 0 || strcmp(argv[1], "--no-mpi") == 0)) {
    setenv("SUBPOW_MPI", argv[1][2] == 'm' ? "on" : "off", 1);
    argv[1] = argv[0];
    argc--, argv++;
  }
  if (argc < 2) {
    fprintf(stderr, "%s: missing subcommand (see %s --help)\n", sp_cli_prog(),
            sp_cli_prog());
    return SP_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--version") == 0) {
    version(stdout);
    return SP_EXIT_OK;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return SP_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return sp_fleet_run(commands[i].name, commands[i].run, commands[i].fleet,
                          argc - 1, argv + 1);
  const char *names[sizeof commands / sizeof commands[0]];
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    names[i] = commands[i].name;
  const char *near =
      sp_cli_suggest(argv[1], names, sizeof commands / sizeof commands[0]);
  char hint[64] = "";
  if (near != NULL) snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
  fprintf(stderr, "%s: unknown subcommand '%s'%s (see %s --help)\n",
          sp_cli_prog(), argv[1], hint, sp_cli_prog());
  return SP_EXIT_USAGE;
}
