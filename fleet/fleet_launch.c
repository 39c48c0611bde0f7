/* How a fleet launch is recognised; see fleet_internal.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet_internal.h"

/* glibc's program_invocation_short_name (errno.h, _GNU_SOURCE) */
const char *sp_fleet_prog(void) { return program_invocation_short_name; }

static bool env_set(const char *name) {
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0';
}

sp_launch_mode sp_fleet_launch_mode(const char *command) {
  const char *v = getenv("SUBPOW_MPI");
  if (v != NULL && v[0] != '\0') {
    if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0) return SP_LAUNCH_PLAIN;
    if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0) return SP_LAUNCH_FLEET;
    if (strcmp(v, "auto") != 0) {
      fprintf(stderr, "%s %s: SUBPOW_MPI must be on, off or auto\n",
              sp_fleet_prog(), command);
      return SP_LAUNCH_BAD;
    }
  }
  /* Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE in every rank; PMIx (Open
   * MPI 4/5, Slurm's srun --mpi=pmix) sets PMIX_RANK; Slurm's PMI-2 plugin
   * sets PMI_SIZE. A plain `srun` without an MPI plugin sets none of them:
   * its tasks are independent processes, as they are today. */
  if (env_set("OMPI_COMM_WORLD_SIZE") || env_set("PMIX_RANK") ||
      env_set("PMI_SIZE"))
    return SP_LAUNCH_FLEET;
  return SP_LAUNCH_PLAIN;
}

long sp_fleet_launch_size(void) {
  static const char *const names[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                      "SLURM_STEP_NUM_TASKS"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char *v = getenv(names[i]);
    if (v == NULL || v[0] == '\0') continue;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (end != v && *end == '\0' && n > 0) return n;
  }
  return 0;
}

bool sp_fleet_has_flag(int argc, char **argv, const char *flag,
                       size_t min_len) {
  size_t flen = strlen(flag);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) break;
    size_t k = strlen(a);
    if (k >= min_len && k <= flen && strncmp(a, flag, k) == 0) return true;
  }
  return false;
}

bool sp_fleet_wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) break;
    if (strcmp(argv[i], "-h") == 0) return true;
  }
  /* "--h" and "--he" are ambiguous in no command that has --help. */
  return sp_fleet_has_flag(argc, argv, "--help", 3);
}
