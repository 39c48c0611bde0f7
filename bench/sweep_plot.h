/*
 * The plot step of `bench sweep`: runs gnuplot on scripts/plot_sweep.gp
 * with the sweep's directory. gnuplot is found as $SUBPOW_GNUPLOT when set,
 * else as "gnuplot" on PATH (scripts/install-deps.sh installs gnuplot-nox).
 */
#ifndef SUBPOW_BENCH_SWEEP_PLOT_H
#define SUBPOW_BENCH_SWEEP_PLOT_H

#include <stddef.h>

/*
 * Plots `dir`/sweep.csv into `dir` with `script`. Returns 0 with the files
 * made listed in msg; 1 when gnuplot is not installed, with a message saying
 * how to install it and the command to run later (not an error: the sweep
 * stands without plots); -SP_EINVAL when the directory cannot be quoted,
 * -SP_EIO when gnuplot could not run, failed or made no plot, with the
 * reason in msg. msg is the line to print in every case, so it stays a
 * buffer rather than an error record.
 */
int sp_sweep_plot(const char *script, const char *dir, char *msg,
                  size_t msglen);

#endif
