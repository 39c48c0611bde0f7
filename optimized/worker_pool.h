/*
 * A persistent pool of worker threads, one per core (or per hardware
 * thread) of the hwloc topology, each bound to its core. The pool runs one
 * task at a time on every worker and waits for all of them; between tasks
 * the workers sleep on a condition variable. Used by the cpu backend so that
 * a scan costs no thread creation.
 */
#ifndef SUBPOW_OPTIMIZED_WORKER_POOL_H
#define SUBPOW_OPTIMIZED_WORKER_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error_record.h"

typedef struct sp_worker_pool sp_worker_pool;

/* A task: called once on every worker with its index 0..size-1. */
typedef void sp_worker_task(void *arg, int worker);

/*
 * Starts the workers. threads = 0 means one per core (per_hw_thread: one
 * per processing unit) of the CPUs this process may use, as hwloc sees them.
 * With pin, worker i is bound to core (or unit) i modulo their number; a
 * bind the OS refuses is not an error (see sp_worker_pool_pinned). Returns 0,
 * or a negative sp_error code (-SP_EINVAL: a negative count or no topology;
 * -SP_ENOMEM: out of memory or a thread that would not start) and fills
 * `err` (may be NULL).
 */
int sp_worker_pool_create(int threads, bool per_hw_thread, bool pin,
                          sp_worker_pool **out, sp_error_record *err);

/* The number of workers. */
int sp_worker_pool_size(const sp_worker_pool *p);

/* True when every worker is bound to its core or unit. Waits until each
 * worker has tried to bind itself. */
bool sp_worker_pool_pinned(sp_worker_pool *p);

/* The CPU's model name from hwloc ("CPUModel" of the first package), or
 * "unknown CPU". */
const char *sp_worker_pool_cpu_model(const sp_worker_pool *p);

/* Runs task(arg, i) on every worker i and returns when all have returned.
 * Not reentrant: one run at a time per pool. */
void sp_worker_pool_run(sp_worker_pool *p, sp_worker_task *task, void *arg);

/* Stops and joins the workers and frees the pool (NULL is accepted). */
void sp_worker_pool_destroy(sp_worker_pool *p);

#endif /* SUBPOW_OPTIMIZED_WORKER_POOL_H */
