/* Persistent hwloc-bound worker threads; see worker_pool.h. */
#include "optimized/worker_pool.h"

#include <hwloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference/reference.h"

typedef struct worker {
  struct sp_worker_pool *pool;
  int index;
  hwloc_bitmap_t cpuset; /* NULL: not pinned */
  pthread_t thread;
} worker;

struct sp_worker_pool {
  hwloc_topology_t topology;
  int n;
  worker *workers;
  char cpu_model[128];
  pthread_mutex_t mu;
  pthread_cond_t start, done;
  uint64_t generation; /* bumped by each run */
  int busy;            /* workers still inside the current task */
  int started;         /* workers that have tried to bind themselves */
  int pinned;          /* workers bound successfully */
  bool shutdown;
  sp_worker_task *task;
  void *arg;
};

static void *worker_main(void *p) {
  worker *w = p;
  sp_worker_pool *pool = w->pool;
  bool bound =
      w->cpuset != NULL &&
      hwloc_set_cpubind(pool->topology, w->cpuset, HWLOC_CPUBIND_THREAD) == 0;
  pthread_mutex_lock(&pool->mu);
  pool->started++;
  pool->pinned += bound;
  pthread_cond_broadcast(&pool->done);
  uint64_t seen = 0;
  for (;;) {
    while (!pool->shutdown && pool->generation == seen)
      pthread_cond_wait(&pool->start, &pool->mu);
    if (pool->shutdown) break;
    seen = pool->generation;
    sp_worker_task *task = pool->task;
    void *arg = pool->arg;
    pthread_mutex_unlock(&pool->mu);
    task(arg, w->index);
    pthread_mutex_lock(&pool->mu);
    if (--pool->busy == 0) pthread_cond_broadcast(&pool->done);
  }
  pthread_mutex_unlock(&pool->mu);
  return NULL;
}

static void read_cpu_model(sp_worker_pool *p) {
  hwloc_obj_t pkg = hwloc_get_obj_by_type(p->topology, HWLOC_OBJ_PACKAGE, 0);
  const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
  snprintf(p->cpu_model, sizeof p->cpu_model, "%s",
           model ? model : "unknown CPU");
}

/* Stops the first `started` workers, joins them and frees everything. */
static void teardown(sp_worker_pool *p, int started) {
  pthread_mutex_lock(&p->mu);
  p->shutdown = true;
  pthread_cond_broadcast(&p->start);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < started; i++)
    pthread_join(p->workers[i].thread, NULL);
  for (int i = 0; i < p->n; i++)
    if (p->workers[i].cpuset) hwloc_bitmap_free(p->workers[i].cpuset);
  free(p->workers);
  pthread_cond_destroy(&p->start);
  pthread_cond_destroy(&p->done);
  pthread_mutex_destroy(&p->mu);
  hwloc_topology_destroy(p->topology);
  free(p);
}

int sp_worker_pool_create(int threads, bool per_hw_thread, bool pin,
                          sp_worker_pool **out, sp_error_record *err) {
  *out = NULL;
  if (threads < 0) {
    return sp_error_fail(err, SP_EINVAL,
                         "threads must be 0 (one per core) or more, not %d",
                         threads);
  }
  sp_worker_pool *p = calloc(1, sizeof *p);
  if (p == NULL) {
    return sp_error_fail(err, SP_ENOMEM, "out of memory");
  }
  /* The default topology holds only the CPUs this process may run on. */
  if (hwloc_topology_init(&p->topology) != 0 ||
      hwloc_topology_load(p->topology) != 0) {
    if (p->topology) hwloc_topology_destroy(p->topology);
    free(p);
    return sp_error_fail(err, SP_EINVAL, "hwloc cannot read the CPU topology");
  }
  read_cpu_model(p);
  hwloc_obj_type_t unit = per_hw_thread ? HWLOC_OBJ_PU : HWLOC_OBJ_CORE;
  int n_units = hwloc_get_nbobjs_by_type(p->topology, unit);
  if (n_units <= 0) { /* no core objects (some VMs): fall back to units */
    unit = HWLOC_OBJ_PU;
    n_units = hwloc_get_nbobjs_by_type(p->topology, unit);
  }
  p->n = threads > 0 ? threads : (n_units > 0 ? n_units : 1);
  p->workers = calloc((size_t)p->n, sizeof *p->workers);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->start, NULL);
  pthread_cond_init(&p->done, NULL);
  if (p->workers == NULL) {
    teardown(p, 0);
    return sp_error_fail(err, SP_ENOMEM, "out of memory");
  }
  for (int i = 0; i < p->n; i++) {
    worker *w = &p->workers[i];
    w->pool = p;
    w->index = i;
    if (pin && n_units > 0) {
      hwloc_obj_t obj =
          hwloc_get_obj_by_type(p->topology, unit, (unsigned)(i % n_units));
      if (obj != NULL && obj->cpuset != NULL)
        w->cpuset = hwloc_bitmap_dup(obj->cpuset);
    }
  }
  for (int i = 0; i < p->n; i++) {
    if (pthread_create(&p->workers[i].thread, NULL, worker_main,
                       &p->workers[i]) != 0) {
      teardown(p, i);
      return sp_error_fail(err, SP_ENOMEM,
                           "cannot start worker thread %d of %d", i + 1, p->n);
    }
  }
  *out = p;
  return 0;
}

int sp_worker_pool_size(const sp_worker_pool *p) { return p->n; }

bool sp_worker_pool_pinned(sp_worker_pool *p) {
  pthread_mutex_lock(&p->mu);
  while (p->started < p->n)
    pthread_cond_wait(&p->done, &p->mu);
  bool all = p->pinned == p->n;
  pthread_mutex_unlock(&p->mu);
  return all;
}

const char *sp_worker_pool_cpu_model(const sp_worker_pool *p) {
  return p->cpu_model;
}

void sp_worker_pool_run(sp_worker_pool *p, sp_worker_task *task, void *arg) {
  pthread_mutex_lock(&p->mu);
  p->task = task;
  p->arg = arg;
  p->busy = p->n;
  p->generation++;
  pthread_cond_broadcast(&p->start);
  while (p->busy > 0)
    pthread_cond_wait(&p->done, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

void sp_worker_pool_destroy(sp_worker_pool *p) {
  if (p != NULL) teardown(p, p->n);
}
