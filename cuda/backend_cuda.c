/*
 * The CUDA backend behind the sp_backend interface: one host worker thread
 * per selected GPU (--dev-id), each with its own stream and two launch
 * slots. A worker queues its next launch before it collects the previous
 * one, so the GPU never waits for the host's check of the results; new work
 * and keep_going are looked at between launches.
 *
 * Options (sp_backend_options):
 *   dev_ids          the GPUs to use (default: device 0); each must exist.
 *   tpb              threads per block (default SP_CUDA_TPB_DEFAULT); the grid
 * is the SM count times the blocks per SM that the occupancy calculator allows
 * for the kernel at this tpb. update_interval  nonces per GPU thread per launch
 * (default 1024), as in the SDK where each cubit thread scans update_interval
 *                    nonces per call: a launch is (threads of a full
 *                    resident grid) x update_interval nonces, at most 2^31
 *                    (fewer at a tiny difficulty, see launch_plan.h), so it
 *                    sets how often new work and keep_going are looked at:
 *                    about every 33 ms on an H100 at the default. (A
 *                    variant with W waves runs W times the threads, each
 *                    taking update_interval / W.)
 *   isa              the kernel variant (default "lop", the fastest on
 *                    an H100; the list is in seal_kernel.cu and in the
 *                    message for an unknown name; results/cuda-h100.md).
 *   threads, per_hw_thread, no_pin: CPU options, ignored.
 *
 * describe() gives the device name as the driver reports it, units = SMs,
 * and isa = "sm_XY/VARIANT driver=RELEASE cuda=RUNTIME sm_clock=MHz":
 * compute capability, kernel variant, NVIDIA driver release (from
 * /proc/driver/nvidia/version, "?" if absent), CUDA runtime version, and
 * the SM clock limit the runtime reports (not the clock of the moment).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "cuda/cuda_device.h"
#include "cuda/cuda_settings.h"
#include "cuda/launch_plan.h"

#define MAX_DEVICES 64

struct sp_backend {
  int n;
  sp_cuda_dev *devs[MAX_DEVICES];
  uint64_t update_interval;
};

static void cuda_close(sp_backend *b) {
  if (b == NULL) return;
  for (int i = 0; i < b->n; i++)
    sp_cuda_dev_close(b->devs[i]);
  free(b);
}

static int cuda_open(const sp_backend_options *opts, sp_backend **out,
                     sp_error_record *err) {
  *out = NULL;
  int variant = sp_cuda_variant_default();
  if (opts->isa != NULL) {
    variant = sp_cuda_variant_find(opts->isa);
    if (variant < 0) {
      char names[256] = "";
      for (int i = 0; i < sp_cuda_variant_count(); i++) {
        if (i) strncat(names, ", ", sizeof names - strlen(names) - 1);
        strncat(names, sp_cuda_variant_name(i),
                sizeof names - strlen(names) - 1);
      }
      return sp_error_fail(
          err, SP_EINVAL, "--isa: unknown CUDA kernel variant '%s' (known: %s)",
          opts->isa, names);
    }
  }
  static const int default_ids[1] = {0};
  const int *ids = opts->dev_ids != NULL ? opts->dev_ids : default_ids;
  int n_ids = opts->dev_ids != NULL ? opts->n_dev_ids : 1;
  if (n_ids < 1 || n_ids > MAX_DEVICES) {
    return sp_error_fail(err, SP_EINVAL, "--dev-id: between 1 and %d devices",
                         MAX_DEVICES);
  }
  for (int i = 0; i < n_ids; i++)
    for (int j = 0; j < i; j++)
      if (ids[i] == ids[j]) {
        return sp_error_fail(err, SP_EINVAL,
                             "--dev-id: CUDA device %d listed twice", ids[i]);
      }
  int count = 0;
  int rc = sp_cuda_device_count(&count, err);
  if (rc != 0) return rc;
  sp_backend *b = calloc(1, sizeof *b);
  if (b == NULL) {
    return sp_error_fail(err, SP_ENOMEM, "out of memory");
  }
  b->update_interval = opts->update_interval ? opts->update_interval
                                             : SP_CUDA_DEFAULT_UPDATE_INTERVAL;
  for (int i = 0; i < n_ids; i++) {
    rc = sp_cuda_dev_open(ids[i], opts->tpb, variant, &b->devs[i], err);
    if (rc != 0) {
      cuda_close(b);
      return rc;
    }
    b->n++;
  }
  *out = b;
  return 0;
}

static int cuda_device_count(const sp_backend *b) { return b->n; }

static void cuda_describe(const sp_backend *b, int i, sp_device_info *out) {
  sp_cuda_dev_describe(b->devs[i], out);
}

/* ------------------------------------------------------------- scan -- */

typedef struct scan_ctx {
  const sp_backend *b;
  const sp_work *work;
  sp_nonce_dispenser disp;
  const sp_solution_sink *sink;
  pthread_mutex_t lock; /* sink calls and the first error */
  sp_keep_going_fn keep_going;
  void *keep_going_user;
  atomic_bool stop;
  int rc;
  sp_error_record err; /* the first error */
} scan_ctx;

typedef struct worker {
  scan_ctx *ctx;
  sp_cuda_dev *dev;
  uint64_t scanned;
  pthread_t thread;
} worker;

static void fail(scan_ctx *c, int rc, const sp_error_record *err) {
  pthread_mutex_lock(&c->lock);
  if (c->rc == 0) {
    c->rc = rc;
    c->err = *err;
  }
  pthread_mutex_unlock(&c->lock);
  atomic_store(&c->stop, true);
}

static void report(scan_ctx *c, const sp_cuda_solution *s, uint32_t n) {
  if (c->sink == NULL || n == 0) return;
  pthread_mutex_lock(&c->lock);
  for (uint32_t i = 0; i < n; i++)
    c->sink->found(c->sink->user, s[i].nonce, s[i].seal);
  pthread_mutex_unlock(&c->lock);
}

/*
 * A launch of [start, start + len) on `slot` found `found` solutions, more
 * than its buffer holds: scan it again in pieces that each expect about
 * half a buffer, one at a time, recursing on a piece that still overflows
 * (a piece of at most SP_CUDA_SOLUTION_CAP nonces cannot).
 */
static int rescan(worker *w, int slot, uint64_t start, uint64_t len,
                  uint32_t found, sp_error_record *err) {
  uint64_t pieces = sp_cuda_rescan_pieces(len, found, SP_CUDA_SOLUTION_CAP);
  uint64_t piece = (len + pieces - 1) / pieces;
  for (uint64_t off = 0; off < len; off += piece) {
    uint64_t n = len - off < piece ? len - off : piece;
    uint32_t count = 0;
    const sp_cuda_solution *sols = NULL;
    int rc = sp_cuda_dev_launch(w->dev, slot, w->ctx->work, start + off,
                                (uint32_t)n, err);
    if (rc == 0) rc = sp_cuda_dev_collect(w->dev, slot, &count, &sols, err);
    if (rc != 0) return rc;
    if (count > SP_CUDA_SOLUTION_CAP)
      rc = rescan(w, slot, start + off, n, count, err);
    else
      report(w->ctx, sols, count);
    if (rc != 0) return rc;
  }
  return 0;
}

/* Waits for the launch on `slot` and reports its solutions. */
static int finish(worker *w, int slot, uint64_t start, uint64_t len,
                  sp_error_record *err) {
  uint32_t count = 0;
  const sp_cuda_solution *sols = NULL;
  int rc = sp_cuda_dev_collect(w->dev, slot, &count, &sols, err);
  if (rc != 0) return rc;
  if (count > SP_CUDA_SOLUTION_CAP)
    rc = rescan(w, slot, start, len, count, err);
  else
    report(w->ctx, sols, count);
  if (rc == 0) w->scanned += len;
  return rc;
}

static void *worker_main(void *arg) {
  worker *w = arg;
  scan_ctx *c = w->ctx;
  sp_error_record err = {0};
  uint64_t max = sp_cuda_launch_nonces(
      sp_cuda_dev_threads(w->dev, c->work->rule), c->b->update_interval,
      c->work->difficulty, SP_CUDA_SOLUTION_CAP, SP_CUDA_MAX_LAUNCH);
  /* In flight: the launch on slot `prev` (if has_prev). */
  int slot = 0, rc = 0;
  bool has_prev = false;
  uint64_t prev_start = 0, prev_len = 0;
  for (;;) {
    if (atomic_load(&c->stop)) break;
    if (c->keep_going != NULL && !c->keep_going(c->keep_going_user)) {
      atomic_store(&c->stop, true);
      break;
    }
    uint64_t start, len;
    if (!sp_nonce_dispenser_take(&c->disp, max, &start, &len)) break;
    rc = sp_cuda_dev_launch(w->dev, slot, c->work, start, (uint32_t)len, &err);
    if (rc != 0) break;
    if (has_prev) {
      rc = finish(w, slot ^ 1, prev_start, prev_len, &err);
      if (rc != 0) break;
    }
    has_prev = true;
    prev_start = start;
    prev_len = len;
    slot ^= 1;
  }
  /* The last launch was queued before the loop ended: collect it, whether
   * the loop ended by a stop or by the end of the range. */
  if (rc == 0 && has_prev) rc = finish(w, slot ^ 1, prev_start, prev_len, &err);
  if (rc != 0) fail(c, rc, &err);
  return NULL;
}

static int cuda_scan(sp_backend *b, const sp_work *work, sp_nonce_range range,
                     const sp_solution_sink *sink, sp_keep_going_fn keep_going,
                     void *keep_going_user, uint64_t *scanned,
                     sp_error_record *err) {
  *scanned = 0;
  int bad = sp_work_check(work, "cuda", err);
  if (bad != 0) return bad;
  if (sp_nonce_range_length(range) == 0) return 0;
  scan_ctx c = {.b = b,
                .work = work,
                .sink = sink,
                .keep_going = keep_going,
                .keep_going_user = keep_going_user};
  atomic_init(&c.stop, false);
  if (sp_nonce_dispenser_init(&c.disp, range) != 0 ||
      pthread_mutex_init(&c.lock, NULL) != 0) {
    return sp_error_fail(err, SP_ENOMEM, "cuda: cannot create a lock");
  }
  worker w[MAX_DEVICES];
  int started = 0;
  for (int i = 0; i < b->n; i++) {
    w[i] = (worker){.ctx = &c, .dev = b->devs[i]};
    if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
      sp_error_record e = {0};
      fail(&c,
           sp_error_fail(&e, SP_ENOMEM, "cuda: cannot start a worker thread"),
           &e);
      break;
    }
    started++;
  }
  for (int i = 0; i < started; i++) {
    pthread_join(w[i].thread, NULL);
    *scanned += w[i].scanned;
  }
  pthread_mutex_destroy(&c.lock);
  sp_nonce_dispenser_destroy(&c.disp);
  if (c.rc != 0 && err != NULL) *err = c.err;
  return c.rc;
}

static const char *variant_names[64];
static size_t n_variant_names;

static void list_variants(void) {
  int count = sp_cuda_variant_count();
  for (int i = 0; i < count && n_variant_names < 64; i++)
    variant_names[n_variant_names++] = sp_cuda_variant_name(i);
}

static size_t cuda_choices(const char *setting, const char *const **values) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  if (strcmp(setting, "isa") != 0) return 0;
  pthread_once(&once, list_variants);
  *values = variant_names;
  return n_variant_names;
}

const sp_backend_vtable sp_backend_cuda = {
    .name = "cuda",
    .summary =
        "NVIDIA GPUs: one fused SHA-256 + Keccak kernel, a worker per GPU",
    .open = cuda_open,
    .device_count = cuda_device_count,
    .describe = cuda_describe,
    .scan = cuda_scan,
    .close = cuda_close,
    .kind = SP_DEVICE_GPU,
    .rank = 0,
    .settings = sp_cuda_settings,
    .choices = cuda_choices,
};
