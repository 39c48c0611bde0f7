/*
 * The top of the fleet over MPI: a job's start and end around the command
 * (sp_fleet_run). It builds on fleet_mpi.c (the state and the transport)
 * and fleet_register.c (whose hub thread it stops before the end); neither
 * calls it. See fleet.h and fleet_internal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error_record.h"
#include "fleet/fleet.h"
#include "fleet/fleet_internal.h"

/* The end of the job on this rank, after the command returned `status`
 * (its exit status). Returns the exit status of this process. */
static int finish(int status) {
  bool lost = sp_fleet_register_shutdown();
  sp_error_record err = {0};
  if (sp_fleet_rank() == 0) {
    /* A rank lost mid-job (dead, hung, garbled) may never reach
     * MPI_Finalize: the job ends here, its reason already printed. After a
     * signal the ranks leave on it too and wait for the end. */
    if (lost && status < 128)
      sp_fleet_abort(status ? status : 2, "a rank was lost (see above)");
    /* Every rank's first message (its hello or report) is taken before the
     * end is sent, so that no rank is left sending to a rank that stopped
     * listening. */
    for (int r = 1; r < sp_fleet_size(); r++) {
      while (!sp_fleet_heard(r)) {
        sp_wire_msg m;
        int from = 0;
        char *t1 = NULL, *t2 = NULL;
        if (sp_fleet_recv(r, -1, &m, &from, &t1, &t2, &err) < 0)
          sp_fleet_abort(status ? status : 2, err.message);
        free(t1);
        free(t2);
        if (m.type == SP_WIRE_HELLO || m.type == SP_WIRE_REPORT)
          sp_fleet_mark_heard(r);
        if (m.type == SP_WIRE_BYE) {
          char why[200];
          snprintf(why, sizeof why, "rank %d left on signal %u", r, m.status);
          sp_fleet_abort(128 + (int)(m.status & 0x7f), why);
        }
      }
      sp_wire_msg end;
      memset(&end, 0, sizeof end);
      end.type = SP_WIRE_END;
      end.status = (uint32_t)(status & 0xff);
      if (sp_fleet_send_msg(r, &end) != 0)
        sp_fleet_abort(status ? status : 2, "cannot end the job cleanly");
    }
    return status;
  }
  if (!sp_fleet_reported())
    sp_fleet_send_report(SP_REPORT_STATUS, status, "", "");
  while (!sp_fleet_ended()) {
    sp_wire_msg m;
    int from = 0;
    char *t1 = NULL, *t2 = NULL;
    int rc = sp_fleet_recv(0, -1, &m, &from, &t1, &t2, &err);
    free(t1);
    free(t2);
    if (rc < 0) sp_fleet_abort(2, err.message);
    if (m.type == SP_WIRE_END) sp_fleet_mark_ended();
    /* An abort or assignment that crossed our leaving is moot. */
  }
  /* Rank 0's status is the job's: ours would make mpirun end the job
   * while rank 0 may still be writing its output. */
  return 0;
}

int sp_fleet_run(const char *name, int (*run)(int, char **), bool aware,
                 int argc, char **argv) {
  if (!aware) return run(argc, argv);
  sp_launch_mode mode = sp_fleet_launch_mode(name);
  if (mode == SP_LAUNCH_BAD) return 2; /* its message printed */
  if (mode == SP_LAUNCH_PLAIN) return run(argc, argv);
  if (sp_fleet_mpi_start(name) != 0) return 2; /* its message printed */
  int st;
  bool help = sp_fleet_wants_help(argc, argv);
  if (help)
    st = sp_fleet_rank() == 0 ? run(argc, argv) : 0;
  else
    st = run(argc, argv);
  st = finish(st);
  sp_fleet_mpi_end();
  return st;
}
