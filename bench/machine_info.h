/*
 * What machine a benchmark ran on, so a result can be compared months later:
 * the host, the CPU model and its cores and hardware threads (hwloc, as
 * the cpu backend sees them), and for GPU rows the driver, CUDA version and SM
 * clock (nvidia-smi, when it is on PATH; empty otherwise).
 */
#ifndef SUBPOW_BENCH_MACHINE_INFO_H
#define SUBPOW_BENCH_MACHINE_INFO_H

#include <stddef.h>

#include "common/error.h"

typedef struct sp_machine_info {
  char host[256];
  char cpu_model[256]; /* hwloc's CPUModel of package 0, or "unknown" */
  int cpu_cores;       /* cores (hwloc), or 0 without hwloc */
  int cpu_threads;     /* hardware threads (hwloc processing units), or 0 */
} sp_machine_info;

/* Reads the host name and the CPU through hwloc. Never fails: unknown
 * fields are "unknown" or 0 (so without hwloc at build time). */
void sp_machine_info_read(sp_machine_info *m);

typedef struct sp_gpu_info {
  char driver[64];       /* "580.159" */
  char cuda_version[32]; /* the driver's CUDA version, "13.0" */
  int sm_clock_mhz;      /* the SM clock now (read right after a run) */
  int max_sm_clock_mhz;  /* the card's highest SM clock (its setting, stable
                            from run to run: what a baseline is keyed by) */
} sp_gpu_info;

/* Asks nvidia-smi about device `dev_id`. Returns 0, or (fields empty)
 * -SP_EIO when it cannot be started, -SP_EUNAVAILABLE when nvidia-smi is
 * absent or says nothing. */
int sp_gpu_info_query(int dev_id, sp_gpu_info *g);

#endif
