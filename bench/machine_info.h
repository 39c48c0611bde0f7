/*
 * What machine a benchmark ran on, so a result can be compared months later:
 * the host, the CPU model and its cores and hardware threads
 * (/proc/cpuinfo), and for GPU rows the driver, CUDA version and SM clock
 * (nvidia-smi, when it is on PATH; empty otherwise).
 */
#ifndef SUBPOW_BENCH_MACHINE_INFO_H
#define SUBPOW_BENCH_MACHINE_INFO_H

#include <stddef.h>

typedef struct sp_machine_info {
  char host[256];
  char cpu_model[256]; /* "model name" of the first processor, or "unknown" */
  int cpu_cores;       /* distinct (physical id, core id) pairs */
  int cpu_threads;     /* processors listed (online hardware threads) */
} sp_machine_info;

/* Reads the host name and /proc/cpuinfo (`cpuinfo_path`, NULL for the real
 * one). Never fails: unknown fields are "unknown" or 0. */
void sp_machine_info_read(sp_machine_info *m, const char *cpuinfo_path);

typedef struct sp_gpu_info {
  char driver[64];       /* "580.159" */
  char cuda_version[32]; /* the driver's CUDA version, "13.0" */
  int sm_clock_mhz;      /* the SM clock now (read right after a run) */
} sp_gpu_info;

/* Asks nvidia-smi about device `dev_id`. Returns 0, or -1 (fields empty)
 * when nvidia-smi is absent or says nothing. */
int sp_gpu_info_query(int dev_id, sp_gpu_info *g);

#endif
