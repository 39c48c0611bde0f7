/* The subcommands of `bench`; each takes argv with argv[0] = its name and
 * returns the exit status. */
#ifndef SUBPOW_BENCH_COMMANDS_H
#define SUBPOW_BENCH_COMMANDS_H

int sp_cmd_seal(int argc, char **argv);
int sp_cmd_check(int argc, char **argv);
int sp_cmd_solve(int argc, char **argv);
int sp_cmd_verify(int argc, char **argv);
int sp_cmd_hashrate(int argc, char **argv);
int sp_cmd_mine(int argc, char **argv);
int sp_cmd_sweep(int argc, char **argv);
int sp_cmd_wallet(int argc, char **argv);
int sp_cmd_mock_node(int argc, char **argv);
int sp_cmd_register(int argc, char **argv);
int sp_cmd_faucet(int argc, char **argv);
int sp_cmd_subnets(int argc, char **argv);

#endif
