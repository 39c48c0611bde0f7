/*
 * What the fleet's files share: how a launch is detected (fleet_launch.c),
 * the per-rank reports rank 0 gathers and, in MPI builds, the
 * point-to-point transport (fleet_mpi.c) that fleet_register.c uses.
 */
#ifndef SUBPOW_FLEET_FLEET_INTERNAL_H
#define SUBPOW_FLEET_FLEET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fleet/fleet_wire.h"

/* ---------------------------------------------------------- launch -- */

/* The name the program was run as (the last part of argv[0]: `subpow`
 * when installed, `bench` in the build tree), for the fleet's messages. */
const char *sp_fleet_prog(void);

typedef enum sp_launch_mode {
  SP_LAUNCH_PLAIN = 0, /* one process, no MPI */
  SP_LAUNCH_FLEET = 1, /* under mpirun/srun (or SUBPOW_MPI=on) */
  SP_LAUNCH_BAD = 2,   /* SUBPOW_MPI holds something else: *why says */
} sp_launch_mode;

/* From SUBPOW_MPI (on|off|auto, default auto) and the launcher's
 * environment: OMPI_COMM_WORLD_SIZE (Open MPI's mpirun), PMIX_RANK (PMIx:
 * Open MPI, `srun --mpi=pmix`), PMI_SIZE (`srun --mpi=pmi2`). */
sp_launch_mode sp_fleet_launch_mode(const char **why);

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

/* -------------------------------------------------- MPI (fleet_mpi.c) -- */

/* State of this rank; valid after sp_fleet_run initialised MPI. */
typedef struct sp_fleet_state {
  bool active;
  int rank, size;
  char host[SP_WIRE_HOST];
  bool *heard; /* rank 0: the first message of rank i was taken */
} sp_fleet_state;
extern sp_fleet_state sp_fleet_g;

/* Sends an encoded message to `dest`; waits (polling, without spinning)
 * until the buffer may be reused. Returns 0 or -1 (message printed). */
int sp_fleet_send(int dest, const uint8_t *buf, size_t len);
int sp_fleet_send_msg(int dest, const sp_wire_msg *m);

/* Receives the next message from `src` (a rank, or -1: any) when one is
 * there (wait_ms 0) or within wait_ms (-1: forever), polling with short
 * sleeps. Returns 1 with *m decoded and *from set, 0 when none came,
 * -1 on a malformed message or a transport error (err says). Report texts
 * come malloc'd in *t1, *t2 (may be NULL pointers for callers that expect
 * no report: a report then is an error). */
int sp_fleet_recv(int src, int wait_ms, sp_wire_msg *m, int *from, char **t1,
                  char **t2, char *err, size_t errlen);

/* Ends the job now: prints `why` on stderr and calls MPI_Abort. */
void sp_fleet_abort(int status, const char *why) __attribute__((noreturn));

/* Sleeps about `us` microseconds (the polling period of the waits). */
void sp_fleet_nap(unsigned us);

/* fleet_register.c: stops rank 0's hub thread if it runs (before END);
 * returns whether a rank was lost during the job. */
bool sp_fleet_register_shutdown(void);

#endif
