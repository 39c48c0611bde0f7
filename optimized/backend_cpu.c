/*
 * The "cpu" backend: the seal kernels of the chosen path run on the worker
 * pool. A scan hands out its range in chunks of update_interval nonces from
 * one atomic counter (compare-and-swap, so the counter never passes the end
 * and no nonce is handed out twice or skipped); each worker polls keep_going
 * before each chunk, hashes the chunk batch by batch with no lock and no
 * allocation, and checks the rare candidates exactly. Solutions go to the
 * sink under a mutex, the only lock taken while hashing. Scans of one backend
 * from several threads are serialized.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optimized/cpu_backend.h"
#include "optimized/cpu_settings.h"
#include "optimized/seal_kernels.h"
#include "optimized/worker_pool.h"

#define DEFAULT_UPDATE_INTERVAL SP_CPU_DEFAULT_UPDATE_INTERVAL
#define MAX_THREADS SP_CPU_MAX_THREADS

typedef struct scan_job {
  sp_seal_prep prep;
  const sp_seal_path *path;
  uint64_t start, length, interval;
  const sp_solution_sink *sink;
  sp_keep_going_fn keep_going;
  void *keep_going_user;
  pthread_mutex_t found_mu;
  /* Written by every worker: each on its own cache line. */
  _Alignas(64) _Atomic uint64_t next; /* offset of the next chunk */
  _Alignas(64) _Atomic uint64_t scanned;
  _Alignas(64) atomic_bool stop;
} scan_job;

struct sp_backend {
  sp_worker_pool *pool;
  pthread_mutex_t scan_mu;
  const sp_seal_path *path;
  uint64_t interval;
};

/* A candidate passed the 64-bit test: compute its full seal (Keccak of the
 * digest the fast SHA-256 stage produced) and test it exactly. */
static void check_candidate(scan_job *job, uint64_t nonce,
                            const sp_digest_batch *batch, int i) {
  uint64_t lanes[4] = {batch->lane[0][i], batch->lane[1][i], batch->lane[2][i],
                       batch->lane[3][i]};
  uint8_t seal[32];
  sp_keccak_seal_portable(lanes, seal);
  if (!sp_seal_meets_difficulty(seal, job->prep.difficulty, job->prep.rule))
    return;
  if (job->sink == NULL || job->sink->found == NULL) return;
  pthread_mutex_lock(&job->found_mu);
  job->sink->found(job->sink->user, nonce, seal);
  pthread_mutex_unlock(&job->found_mu);
}

/* Nonces first .. first + n - 1 (n >= 1, no wrap past 2^64 - 1). */
static void scan_chunk(scan_job *job, uint64_t first, uint64_t n,
                       sp_digest_batch *batch) {
  sp_sha256_stage_fn *sha256 = job->path->sha256;
  sp_keccak_stage_fn *keccak = job->path->keccak;
  for (uint64_t off = 0; off < n; off += SP_SEAL_BATCH) {
    uint64_t base = first + off; /* a last partial batch hashes some nonces
                                    past the chunk (mod 2^64); masked below */
    sha256(&job->prep, base, batch);
    uint32_t mask = keccak(&job->prep, batch);
    if (__builtin_expect(mask == 0, 1)) continue;
    if (n - off < SP_SEAL_BATCH) mask &= (UINT32_C(1) << (n - off)) - 1;
    while (mask != 0) {
      int i = __builtin_ctz(mask);
      mask &= mask - 1;
      check_candidate(job, base + (uint64_t)i, batch, i);
    }
  }
}

static void scan_worker(void *arg, int index) {
  (void)index;
  scan_job *job = arg;
  sp_digest_batch batch;
  uint64_t done = 0;
  for (;;) {
    /* The flag first: a poll that says "go on" is always followed by a
     * chunk while any remain, so polls bound the work done after a stop. */
    if (atomic_load_explicit(&job->stop, memory_order_relaxed)) break;
    if (job->keep_going != NULL && !job->keep_going(job->keep_going_user)) {
      atomic_store_explicit(&job->stop, true, memory_order_relaxed);
      break;
    }
    uint64_t off = atomic_load_explicit(&job->next, memory_order_relaxed), n;
    do {
      if (off >= job->length) goto out;
      n = job->length - off < job->interval ? job->length - off : job->interval;
    } while (!atomic_compare_exchange_weak_explicit(
        &job->next, &off, off + n, memory_order_relaxed, memory_order_relaxed));
    scan_chunk(job, job->start + off, n, &batch);
    done += n;
  }
out:
  atomic_fetch_add_explicit(&job->scanned, done, memory_order_relaxed);
}

static int cpu_open(const sp_backend_options *opts, sp_backend **out,
                    sp_error_record *err) {
  static const sp_backend_options defaults = {0};
  if (opts == NULL) opts = &defaults;
  *out = NULL;
  if (opts->threads < 0 || opts->threads > MAX_THREADS) {
    return sp_error_fail(err, SP_EINVAL,
                         "threads must be 1 to %d (or 0: one per core), not %d",
                         MAX_THREADS, opts->threads);
  }
  const sp_seal_path *path;
  if (opts->isa == NULL) {
    const sp_seal_path *const *paths;
    sp_seal_paths_supported(&paths);
    path = paths[0];
  } else {
    bool supported;
    path = sp_seal_path_find(opts->isa, &supported);
    const char *const *names;
    size_t n = sp_cpu_isa_list(&names);
    char runnable[128] = "";
    for (size_t i = 0; i < n; i++) {
      if (i) strncat(runnable, ", ", sizeof runnable - strlen(runnable) - 1);
      strncat(runnable, names[i], sizeof runnable - strlen(runnable) - 1);
    }
    if (path == NULL) {
      return sp_error_fail(
          err, SP_EINVAL,
          "--isa: unknown kernel path '%s' (known: %s; this CPU runs: %s)",
          opts->isa, sp_seal_path_names(), runnable);
    }
    if (!supported) {
      return sp_error_fail(err, SP_EINVAL,
                           "--isa: this CPU cannot run '%s' (it runs: %s)",
                           opts->isa, runnable);
    }
  }
  sp_backend *b = calloc(1, sizeof *b);
  if (b == NULL) {
    return sp_error_fail(err, SP_ENOMEM, "out of memory");
  }
  b->path = path;
  pthread_mutex_init(&b->scan_mu, NULL);
  b->interval =
      opts->update_interval ? opts->update_interval : DEFAULT_UPDATE_INTERVAL;
  int rc = sp_worker_pool_create(opts->threads, opts->per_hw_thread,
                                 !opts->no_pin, &b->pool, err);
  if (rc != 0) {
    pthread_mutex_destroy(&b->scan_mu);
    free(b);
    return rc;
  }
  *out = b;
  return 0;
}

static int cpu_device_count(const sp_backend *b) {
  (void)b;
  return 1;
}

static void cpu_describe(const sp_backend *b, int i, sp_device_info *out) {
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "%s",
           sp_worker_pool_cpu_model(b->pool));
  snprintf(out->isa, sizeof out->isa, "%s", b->path->name);
  out->units = sp_worker_pool_size(b->pool);
  out->id = i;
}

static int cpu_scan(sp_backend *b, const sp_work *work, sp_nonce_range range,
                    const sp_solution_sink *sink, sp_keep_going_fn keep_going,
                    void *keep_going_user, uint64_t *scanned,
                    sp_error_record *err) {
  *scanned = 0;
  int bad = sp_work_check(work, "cpu", err);
  if (bad != 0) return bad;
  uint64_t length = sp_nonce_range_length(range);
  if (length == 0) return 0;
  scan_job job_storage, *job = &job_storage;
  memset(job, 0, sizeof *job);
  sp_seal_prep_init(&job->prep, work->block_and_hotkey_hash, work->difficulty,
                    work->rule);
  job->path = b->path;
  job->start = range.start;
  job->length = length;
  job->interval = b->interval;
  job->sink = sink;
  job->keep_going = keep_going;
  job->keep_going_user = keep_going_user;
  pthread_mutex_init(&job->found_mu, NULL);
  atomic_init(&job->next, 0);
  atomic_init(&job->scanned, 0);
  atomic_init(&job->stop, false);
  /* The pool runs one task at a time: scans of one backend from several
   * threads take turns. */
  pthread_mutex_lock(&b->scan_mu);
  sp_worker_pool_run(b->pool, scan_worker, job);
  pthread_mutex_unlock(&b->scan_mu);
  *scanned = atomic_load(&job->scanned);
  pthread_mutex_destroy(&job->found_mu);
  return 0;
}

static void cpu_close(sp_backend *b) {
  if (b == NULL) return;
  sp_worker_pool_destroy(b->pool);
  pthread_mutex_destroy(&b->scan_mu);
  free(b);
}

static size_t cpu_choices(const char *setting, const char *const **values) {
  if (strcmp(setting, "isa") != 0) return 0;
  return sp_cpu_isa_list(values);
}

const sp_backend_vtable sp_backend_cpu = {
    .name = "cpu",
    .summary = "SIMD kernels (SHA-NI, AVX-512, AVX2, portable) on hwloc-pinned "
               "workers",
    .open = cpu_open,
    .device_count = cpu_device_count,
    .describe = cpu_describe,
    .scan = cpu_scan,
    .close = cpu_close,
    .kind = SP_DEVICE_CPU,
    .rank = 10,
    .settings = sp_cpu_settings,
    .choices = cpu_choices,
};
