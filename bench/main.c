/* `bench`: the subpow command. Each subcommand is a thin front end over the
 * libraries; this file only dispatches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/data_dir.h"
#include "common/version.h"
#include "fleet/fleet.h"
#include "registry/registry.h"

static const sp_command commands[] = {
    {"seal", "compute a seal for a block and hotkey and a nonce", sp_cmd_seal},
    {"check", "check a seal against a difficulty under a rule", sp_cmd_check},
    {"solve", "find the solving nonces of a range", sp_cmd_solve},
    {"verify", "check backends against the vectors and the reference",
     sp_cmd_verify},
    {"hashrate", "measure how many seals a second a backend computes",
     sp_cmd_hashrate},
    {"mine", "solve live work with the engine and a status display", sp_cmd_mine},
    {"sweep", "measure backends over their settings; CSV, JSON, plots",
     sp_cmd_sweep},
    {"wallet", "create, inspect, sign with and verify for btcli wallets",
     sp_cmd_wallet},
    {"register", "register a hotkey by proof of work (mock node by default)",
     sp_cmd_register},
    {"faucet", "claim test TAO from a chain's PoW faucet", sp_cmd_faucet},
    {"subnets", "where to register and what it costs, per subnet",
     sp_cmd_subnets},
    {"mock-node", "run a mock Subtensor node (JSON-RPC over HTTP)",
     sp_cmd_mock_node},
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
    const sp_setting_info *isa = sp_backend_setting(list[i], SP_SETTING_ISA);
    if (isa == NULL || isa->range == NULL) continue;
    fprintf(f, "%s kernel paths: %s\n", list[i]->name, isa->range);
  }
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: bench SUBCOMMAND [OPTIONS]\n"
          "       bench --version\n"
          "\n"
          "subpow: the proof of work of Bittensor's Subtensor chain.\n"
          "\n"
          "subcommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f,
          "\n"
          "bench SUBCOMMAND --help describes each one. Exit status: 0 success,\n"
          "1 a negative answer (a seal that does not meet, a failed check),\n"
          "2 a usage or input error (one line on stderr says what).\n"
          "\n"
          "Under mpirun or srun, register, faucet, hashrate, sweep and verify\n"
          "run as one job over every rank (README: Many hosts); bench --mpi\n"
          "CMD forces that, bench --no-mpi CMD runs each process alone.\n");
}

int main(int argc, char **argv) {
  /* bench --mpi|--no-mpi CMD: the same as SUBPOW_MPI=on|off (fleet.h). */
  if (argc >= 2 &&
      (strcmp(argv[1], "--mpi") == 0 || strcmp(argv[1], "--no-mpi") == 0)) {
    setenv("SUBPOW_MPI", argv[1][2] == 'm' ? "on" : "off", 1);
    argv[1] = argv[0];
    argc--, argv++;
  }
  if (argc < 2) {
    fprintf(stderr, "bench: missing subcommand (see bench --help)\n");
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
      return sp_fleet_run(commands[i].name, commands[i].run, argc - 1,
                          argv + 1);
  fprintf(stderr, "bench: unknown subcommand '%s' (see bench --help)\n", argv[1]);
  return SP_EXIT_USAGE;
}
