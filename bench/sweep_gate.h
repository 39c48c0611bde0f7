/*
 * `bench sweep --baseline FILE`: the performance gate (perf_gate.h) over
 * the points of a sweep, against the sweep.json of an earlier sweep on the
 * same machine. Points are matched by series; each is faster, same or
 * slower by the gate's noise model.
 */
#ifndef SUBPOW_BENCH_SWEEP_GATE_H
#define SUBPOW_BENCH_SWEEP_GATE_H

#include "bench/sweep_table.h"

/*
 * Compares t with the sweep.json at `baseline`: prints a table of verdicts
 * on stdout and writes them to dir/gate.json ({"baseline", "tolerance",
 * "points": [{"series", "verdict", "baseline_best", "best",
 * "change_percent", "noise_percent", "margin_percent"}]}). Returns the
 * exit status: SP_EXIT_OK, SP_EXIT_NO when a point is slower beyond
 * tolerance and noise, SP_EXIT_USAGE when the baseline cannot be read or is
 * of another machine (CPU model; GPU model and highest SM clock) or gate.json
 * cannot be written, with a message on stderr.
 */
int sp_sweep_gate(const sp_sweep_table *t, const char *baseline,
                  double tolerance, const char *dir);

#endif
