/*
 * The settings table of the cpu backend (backend/backend.h:
 * sp_setting_info) and the numbers it shares with backend_cpu.c. It is
 * compiled even where the backend is not (no hwloc), so that the commands
 * still know the backend's flags and can say that it is not built.
 */
#ifndef SUBPOW_OPTIMIZED_CPU_SETTINGS_H
#define SUBPOW_OPTIMIZED_CPU_SETTINGS_H

#include <stdint.h>

#include "backend/backend.h"

/* The most worker threads one backend runs. */
#define SP_CPU_MAX_THREADS 4096

/* At the 17-20 MH/s a worker of results/cpu.md, 2^16 nonces take under 4 ms
 * (33 ms on the portable path): a stop request is honoured that fast, and
 * the shared counter is touched a few hundred times a second. */
#define SP_CPU_DEFAULT_UPDATE_INTERVAL (UINT64_C(1) << 16)

/* Ended by a row whose name is NULL. */
extern const sp_setting_info sp_cpu_settings[];

#endif /* SUBPOW_OPTIMIZED_CPU_SETTINGS_H */
