/*
 * The bench side of a fleet job (fleet/fleet.h): what register/faucet and
 * sweep do on the ranks, kept out of their command files but for one call
 * each.
 */
#ifndef SUBPOW_BENCH_FLEET_CMD_H
#define SUBPOW_BENCH_FLEET_CMD_H

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/sweep_table.h"

/* register/faucet on a rank > 0: opens the backend the flags name (default
 * auto: the fastest verified on this host), then serves rank 0's chunks
 * until the job ends. Returns the rank's exit status. */
int sp_bench_fleet_worker(const char *cmd, const sp_backend_args *ba);

/*
 * The end of `bench sweep` in a fleet job, on every rank: rank 0 writes the
 * merged dir/sweep.csv and dir/sweep.json (every rank's rows and a fleet
 * total), plots them with `plot_script` (NULL: no plot) and prints the
 * summary; the other ranks send their table to rank 0. `signo` is the
 * signal that cut the sweep short, or 0. Returns the exit status.
 */
int sp_bench_fleet_sweep(const sp_sweep_table *t, const char *dir,
                         const char *plot_script, int signo);

#endif
