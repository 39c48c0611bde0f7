/* The fleet in a build without MPI: a single process as before, and a
 * clear refusal when a launcher started several (see fleet.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet.h"
#include "fleet/fleet_internal.h"

bool sp_fleet_built_with_mpi(void) { return false; }
bool sp_fleet_active(void) { return false; }
int sp_fleet_rank(void) { return 0; }
int sp_fleet_size(void) { return 1; }
const char *sp_fleet_host(void) { return ""; }

void sp_fleet_where(const char *device, char *out, size_t outlen) {
  (void)device;
  if (outlen) out[0] = '\0';
}

int sp_fleet_run(const char *name, int (*run)(int, char **), bool aware,
                 int argc, char **argv) {
  if (!aware) return run(argc, argv);
  sp_launch_mode mode = sp_fleet_launch_mode(name);
  if (mode == SP_LAUNCH_BAD) return 2; /* its message printed */
  const char *forced = getenv("SUBPOW_MPI");
  bool on =
      forced != NULL && (strcmp(forced, "on") == 0 || strcmp(forced, "1") == 0);
  if (on || (mode == SP_LAUNCH_FLEET && sp_fleet_launch_size() > 1)) {
    fprintf(stderr,
            "%s %s: this bench was built without MPI, so %s processes "
            "would each work alone (and each submit); rebuild with Open MPI "
            "(libopenmpi-dev), or set SUBPOW_MPI=off to run them "
            "independently\n",
            sp_fleet_prog(), name, on ? "the" : "mpirun's/srun's");
    return 2;
  }
  return run(argc, argv);
}

int sp_fleet_serve(const sp_backend_vtable *vt, sp_backend *b) {
  (void)vt, (void)b;
  return 2;
}

int sp_fleet_workers(const sp_backend_vtable *local_vt, sp_backend *local_b,
                     const sp_backend_vtable *const **vts,
                     sp_backend *const **bs, int *n) {
  (void)local_vt, (void)local_b, (void)vts, (void)bs, (void)n;
  return -SP_EINVAL; /* never a fleet job without MPI */
}

void sp_fleet_status(sp_stats_logger *l, const sp_solve_stats *s) {
  (void)l, (void)s;
}

int sp_fleet_gather(const char *type, const char *data, int status,
                    sp_fleet_part **parts, int *n) {
  (void)type, (void)data, (void)status;
  *parts = NULL;
  *n = 0;
  return -SP_EINVAL; /* never a fleet job without MPI */
}
