/*
 * A fleet: `bench register`, `faucet`, `hashrate`, `sweep` and `verify` run
 * as one job over many processes (ranks) and hosts, launched by MPI
 * (`mpirun`, Slurm's `srun`). Open MPI is the transport; without it at build
 * time (CMake's FindMPI finds none) this header still builds and a single
 * process works as before.
 *
 * Roles
 *  - rank 0 alone talks to the chain and writes results; the other ranks
 *    hash, measure or verify on their own hardware and report to rank 0;
 *  - register/faucet: every other rank becomes one worker of rank 0's solve
 *    engine (fleet_register.c): rank 0 sends it each piece of work (the
 *    block-and-hotkey hash, difficulty, rule, a generation number) with a
 *    chunk of nonces taken from the engine's one nonce cursor, so chunks of
 *    all ranks are disjoint the way the engine's workers' chunks are; the
 *    rank scans it on its own backend and sends back every solution and the
 *    count it hashed; rank 0 checks each solution with the reference, and
 *    its registration flow journals it before submitting it once;
 *  - hashrate/verify/sweep: each rank runs the command, which hands its
 *    typed result (serialized by the result's own codec) to
 *    sp_fleet_gather; rank 0 receives every rank's, and the command merges
 *    them and prints or writes one result. The fleet never reads what a
 *    command prints and knows no command by name: the command table says
 *    which commands run as a fleet.
 *
 * Faults (the documented rule, README "Many hosts")
 *  - register: a rank whose backend cannot start is reported on stderr and
 *    left out; the job goes on with the others (rank 0's own backend is
 *    required, as for a single process). hashrate/sweep/verify: such a rank
 *    makes the job fail (exit 2, or 1 for a verification failure) after the
 *    other ranks' results are printed;
 *  - a rank that dies, stops answering for 30 s, leaves on a signal or sends
 *    a malformed message ends the job with a message naming it; rank 0's
 *    journal already holds every solution it submitted (it journals before
 *    submitting). When a rank process dies, mpirun/srun end the job too.
 *
 * Messages between ranks are decoded by fleet_wire.c, which checks every
 * length, string and range (a message is input like any other).
 */
#ifndef SUBPOW_FLEET_FLEET_H
#define SUBPOW_FLEET_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/backend.h"
#include "common/error.h"
#include "engine/solve_stats.h"
#include "engine/stats_logger.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True when this binary was built with MPI. */
bool sp_fleet_built_with_mpi(void);

/*
 * `bench` dispatches every subcommand through this: `name` is the
 * subcommand (for messages), `run` its entry point, argv[0] its name,
 * `aware` whether it runs as a fleet job. Outside an MPI launch (or for a
 * command that is not fleet-aware, or with SUBPOW_MPI=off) it only calls
 * run(). Under mpirun/srun (detected from the launcher's
 * environment, or forced with SUBPOW_MPI=on) it initialises MPI, runs the
 * command in its fleet form, and finalises. Returns the exit status: rank
 * 0's is the job's; other ranks return 0 once rank 0 has their report.
 * A build without MPI launched with more than one process refuses the
 * fleet-aware commands with exit status 2 (two ranks registering on their
 * own would submit twice).
 */
int sp_fleet_run(const char *name, int (*run)(int, char **), bool aware,
                 int argc, char **argv);

/* Whether this process is one rank of a fleet job; its rank, the number of
 * ranks and its host name ("" outside a fleet). */
bool sp_fleet_active(void);
int sp_fleet_rank(void);
int sp_fleet_size(void);
const char *sp_fleet_host(void);

/*
 * The label a verification failure line of this rank starts with:
 * `host=H rank=R device="D" ` ("" outside a fleet), so that a fleet's
 * merged output says where each failure happened.
 */
void sp_fleet_where(const char *device, char *out, size_t outlen);

/* ---------------------------------------------------------- register -- */

/*
 * A worker rank (rank > 0) of register/faucet: reports to rank 0 whether its
 * backend opened (vt and b, or NULL when it did not), then scans the chunks
 * rank 0 sends until rank 0 ends the job. Returns the exit status for this
 * rank (0; rank 0 reports the job's).
 */
int sp_fleet_serve(const sp_backend_vtable *vt, sp_backend *b);

/*
 * Rank 0 of register/faucet: waits for every worker rank's report, then
 * makes the list of engine workers: the local backend first, then one
 * remote worker per rank whose backend opened. *vts and *bs point to
 * arrays owned by the fleet (valid until the process ends). Notes go to
 * stderr. Returns 0, or -SP_ENOMEM with a message printed, or -SP_EINVAL
 * outside a fleet job (no worker rank opened its backend is not an error:
 * the job goes on with rank 0's; a rank that breaks the protocol ends the
 * job).
 */
int sp_fleet_workers(const sp_backend_vtable *local_vt, sp_backend *local_b,
                     const sp_backend_vtable *const **vts,
                     sp_backend *const **bs, int *n);

/*
 * From a register/faucet status callback on rank 0: with a verbose logger,
 * notes each host's rate (summed over its ranks) every few seconds. The
 * status line itself already shows the fleet's total (all workers are one
 * engine's).
 */
void sp_fleet_status(sp_stats_logger *l, const sp_solve_stats *s);

/* ----------------------------------------------------------- results -- */

/* One rank's result as rank 0 gathers it. */
typedef struct sp_fleet_part {
  int rank;
  char host[64];
  int status; /* the rank's exit status so far */
  char *data; /* its serialized result (malloc'd), NULL when it ended
                 before it had one (its messages are on its own stderr) */
} sp_fleet_part;

/*
 * At the end of a fleet-aware command on every rank: sends this rank's
 * result `data` (a NUL-terminated serialization of a typed result, made by
 * that result's own codec) of type `type` ("verify", "hashrate", ...) and
 * its status to rank 0. On rank 0 it returns 1 with *parts (malloc'd, *n
 * of them, rank 0's own first, in rank order); on the other ranks 0.
 * Returns -SP_EINVAL outside a fleet job, or -SP_ENOMEM or the transport's
 * code (-SP_EIO) on a failure, with a message printed. A rank
 * that sends another type of result, or garbage, ends the job (fleet_wire.c
 * checks the message, the result's decoder its content).
 */
int sp_fleet_gather(const char *type, const char *data, int status,
                    sp_fleet_part **parts, int *n);
void sp_fleet_parts_free(sp_fleet_part *p, int n);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_FLEET_FLEET_H */
