/*
 * What the fleet's files share: how a launch is detected (fleet_launch.c),
 * the per-rank reports rank 0 gathers and, in MPI builds, this rank's state
 * and the point-to-point transport (fleet_mpi.c) that fleet_register.c and
 * fleet_job.c use.
 */
#ifndef SUBPOW_FLEET_FLEET_INTERNAL_H
#define SUBPOW_FLEET_FLEET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error_record.h"
#include "fleet/fleet_wire.h"

/* ---------------------------------------------------------- launch -- */

/* The name the program was run as (the last part of argv[0]: `subpow`
 * when installed, `bench` in the build tree), for the fleet's messages. */
const char *sp_fleet_prog(void);

typedef enum sp_launch_mode {
  SP_LAUNCH_PLAIN = 0, /* one process, no MPI */
  SP_LAUNCH_FLEET = 1, /* under mpirun/srun (or SUBPOW_MPI=on) */
  SP_LAUNCH_BAD = 2,   /* SUBPOW_MPI holds something else */
} sp_launch_mode;

/* From SUBPOW_MPI (on|off|auto, default auto) and the launcher's
 * environment: OMPI_COMM_WORLD_SIZE (Open MPI's mpirun), PMIX_RANK (PMIx:
 * Open MPI, `srun --mpi=pmix`), PMI_SIZE (`srun --mpi=pmi2`). For
 * SP_LAUNCH_BAD it prints why, as "PROG COMMAND: ..." for the command
 * `command`, on stderr (the fleet reports there: fleet.h). */
sp_launch_mode sp_fleet_launch_mode(const char *command);

/* The number of processes the launcher says it started (OMPI_COMM_WORLD_SIZE,
 * PMI_SIZE, SLURM_STEP_NUM_TASKS), or 0 when none says. */
long sp_fleet_launch_size(void);

/* Whether argv (after argv[0]) asks for --help (or -h): such a run is not
 * a fleet job, rank 0 alone answers. */
bool sp_fleet_wants_help(int argc, char **argv);

/* Whether argv asks for `flag` (a long option without value, given whole
 * or as an unambiguous prefix of at least min_len characters, as
 * getopt_long accepts it), before any "--". */
bool sp_fleet_has_flag(int argc, char **argv, const char *flag, size_t min_len);

/* ---------------------------------------------------------- reports -- */

/* One rank's report as rank 0 takes it off the wire. */
typedef struct sp_rank_report {
  int rank;
  char host[SP_WIRE_HOST];
  int status;          /* the rank's command's exit status */
  sp_report_kind kind; /* STATUS: no result; RESULT: text1 the result,
                          text2 its type */
  char *text1, *text2; /* malloc'd, never NULL once received */
} sp_rank_report;

/* ---------------------------------------- MPI: the bottom (fleet_mpi.c) --
 *
 * The files of an MPI build, each using only those above it here:
 *   fleet_mpi.c       this rank's state, the transport, reports, gathering;
 *   fleet_register.c  register/faucet across ranks (the hub, the serving);
 *   fleet_job.c       a job's start and end around the command
 *                     (sp_fleet_run), which stops fleet_register.c's hub.
 */

/* Initialises MPI (MPI_THREAD_SERIALIZED) and this rank's state for the
 * command `name`. Returns 0, or -SP_EUNAVAILABLE (MPI cannot start, or
 * lacks the thread level) or -SP_ENOMEM, with a message printed. */
int sp_fleet_mpi_start(const char *name);

/* Finalises MPI and clears this rank's state. */
void sp_fleet_mpi_end(void);

/* Rank 0: whether the first message (hello or report) of `rank` was taken;
 * and marking it so. */
bool sp_fleet_heard(int rank);
void sp_fleet_mark_heard(int rank);

/* Rank > 0: whether its first message (hello or report) went to rank 0;
 * whether rank 0's END was seen (while serving, or at the end). */
bool sp_fleet_reported(void);
void sp_fleet_mark_reported(void);
bool sp_fleet_ended(void);
void sp_fleet_mark_ended(void);

/* Sends an encoded message to `dest`; waits (polling, without spinning)
 * until the buffer may be reused. Returns 0, or -SP_EIO (MPI failed) or
 * -SP_EINVAL (sp_fleet_send_msg: `m` does not encode) with a message
 * printed on stderr. */
int sp_fleet_send(int dest, const uint8_t *buf, size_t len);
int sp_fleet_send_msg(int dest, const sp_wire_msg *m);

/* Rank > 0: sends its report (a STATUS, or a RESULT with texts t1 and t2,
 * cut to the wire's limits) to rank 0 and marks it reported. Returns 0, or
 * -SP_ENOMEM, -SP_EINVAL (it does not encode) or sp_fleet_send's code. */
int sp_fleet_send_report(sp_report_kind kind, int status, const char *t1,
                         const char *t2);

/* Receives the next message from `src` (a rank, or -1: any) when one is
 * there (wait_ms 0) or within wait_ms (-1: forever), polling with short
 * sleeps. Returns 1 with *m decoded and *from set, 0 when none came, or a
 * negative code filling `err` (may be NULL): -SP_EIO for a transport
 * error, -SP_EINVAL (or -SP_ENOMEM) for a malformed or out-of-place
 * message, its sentence naming the rank. Report texts come malloc'd in
 * *t1, *t2 (may be NULL pointers for callers that expect no report: a
 * report then is an error). */
int sp_fleet_recv(int src, int wait_ms, sp_wire_msg *m, int *from, char **t1,
                  char **t2, sp_error_record *err);

/* Ends the job now: prints `why` on stderr and calls MPI_Abort. */
void sp_fleet_abort(int status, const char *why) __attribute__((noreturn));

/* Sleeps about `us` microseconds (the polling period of the waits). */
void sp_fleet_nap(unsigned us);

/* ------------------------------ MPI: above it (fleet_register.c) -- */

/* Stops rank 0's hub thread if it runs (before END); returns whether a
 * rank was lost during the job. */
bool sp_fleet_register_shutdown(void);

#endif
