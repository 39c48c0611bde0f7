/*
 * The CUDA kernels (one fused SHA-256 + Keccak-256 + difficulty test per
 * nonce, see seal_core.cuh) and the C interface of cuda_device.h: devices,
 * launch slots, kernel variants.
 */
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/seal_schedule.h"
#include "cuda/cuda_device.h"
#include "cuda/seal_core.cuh"

static_assert(sizeof(sp::solution) == sizeof(sp_cuda_solution),
              "device and host solution layouts differ");
static_assert(offsetof(sp::solution_buffer, entries) == 8,
              "solution entries start after the count");

/* The table of varying message words in seal_core.cuh, against the
 * recurrence W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]. */
static constexpr bool sha_varies_table_ok() {
  bool v[64] = {};
  v[0] = true;
  for (int t = 16; t < 64; t++)
    v[t] = v[t - 2] || v[t - 7] || v[t - 15] || v[t - 16];
  for (int t = 0; t < 64; t++)
    if (v[t] != sp::sha_varies(t)) return false;
  return true;
}
static_assert(sha_varies_table_ok(), "sp::sha_varies is wrong");

/* ------------------------------------------------------------ kernels -- */

/* The exact check of a candidate, out of line: it runs for about one nonce
 * in 2^64 / threshold_top, so it must not crowd the hot loop's instruction
 * cache. */
static __device__ __noinline__ void record_candidate(const sp::kparams &p,
                                                     uint32_t lo) {
  uint8_t seal[32];
  sp::full_seal(p, lo, seal);
  if (!sp::seal_meets(p, seal)) return;
  uint32_t i = atomicAdd(&p.out->count, 1u);
  if (i < p.cap) {
    sp::solution *s = &p.out->entries[i];
    s->nonce = ((uint64_t)p.base_hi << 32) | lo;
    memcpy(s->seal, seal, 32);
  }
}

/*
 * Thread t of T = gridDim.x * blockDim.x takes the nonces base + t + k*T for
 * k < per_thread (a stride of T), stopping at len. LANE3 selects chain-le.
 */
template <class CFG, bool LANE3>
static __device__ __forceinline__ void scan_stride(const sp::kparams &p) {
  const uint32_t T = gridDim.x * blockDim.x;
  uint32_t off = blockIdx.x * blockDim.x + threadIdx.x;
  for (uint32_t k = 0; k < p.per_thread; k++, off += T) {
    if (off >= p.len) break;
    const uint32_t lo = p.base_lo + off;
    if (sp::seal_top64<CFG, LANE3>(p, lo) <= p.thr_top) record_candidate(p, lo);
  }
}

template <class CFG, bool LANE3>
__global__ void seal_kernel(const __grid_constant__ sp::kparams p) {
  scan_stride<CFG, LANE3>(p);
}

typedef void (*kernel_fn)(const sp::kparams);

/* A kernel variant: its kernels and how many waves of resident blocks a
 * full launch takes (more waves, fewer nonces a thread: the SM refills as
 * blocks finish instead of draining to a few warps at the end). */
struct variant {
  const char *name;
  int waves;
  kernel_fn le, be;
};

#define SP_VARIANT(NAME, WAVES, ...)                                           \
  {                                                                            \
    NAME, WAVES, seal_kernel<sp::kernel_cfg<__VA_ARGS__>, true>,               \
        seal_kernel<sp::kernel_cfg<__VA_ARGS__>, false>                        \
  }

/* Lanes 1..24 (lane 0 has no rho rotation). */
#define RHO_ALL 0x1fffffeu

/* kernel_cfg<theta rotation, rho lanes on IMAD, IMAD kind, SHA adds on IMAD,
 * Keccak unroll, explicit LOP3, SHA sigma bits on IMAD (seal_core.cuh)>.
 * The first is the default, the fastest on an H100; the others are kept to
 * reproduce the measurements in results/cuda-h100.md (which also lists the
 * variants tried and dropped). */
#define LOP sp::ROT_SHF, 0, sp::ROT_SHF, true, 1, true
static const variant variants[] = {
    SP_VARIANT("lop", 1, LOP, 0),
    SP_VARIANT("lop-w16", 16, LOP, 0),
    SP_VARIANT("lop-sh", 1, LOP, 2),
    SP_VARIANT("lop-s", 1, LOP, 3),
    SP_VARIANT("shf", 1, sp::ROT_SHF, 0, sp::ROT_SHF, false, 1, false, 0),
    SP_VARIANT("shf-sha", 1, sp::ROT_SHF, 0, sp::ROT_SHF, true, 1, false, 0),
    SP_VARIANT("imad3", 1, sp::ROT_IMAD3, RHO_ALL, sp::ROT_IMAD3, false, 1,
               false, 0),
};
static const int n_variants = (int)(sizeof variants / sizeof variants[0]);

extern "C" int sp_cuda_variant_count(void) { return n_variants; }

extern "C" const char *sp_cuda_variant_name(int i) {
  return i >= 0 && i < n_variants ? variants[i].name : NULL;
}

extern "C" int sp_cuda_variant_find(const char *name) {
  for (int i = 0; i < n_variants; i++)
    if (name != NULL && strcmp(name, variants[i].name) == 0) return i;
  return -1;
}

extern "C" int sp_cuda_variant_default(void) { return 0; }

/* ------------------------------------------------- launch parameters -- */

static uint32_t be32(const uint8_t *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
         b[3];
}

/* Everything constant in a launch over nonces whose high word is that of
 * start; see sp::kparams. */
static void prepare_params(const sp_work *work, uint64_t start, uint32_t len,
                           uint32_t per_thread, sp::kparams *p) {
  memset(p, 0, sizeof *p);
  p->base_lo = (uint32_t)start;
  p->base_hi = (uint32_t)(start >> 32);
  p->len = len;
  p->per_thread = per_thread;
  p->cap = SP_CUDA_SOLUTION_CAP;
  /* The pre-seal (backend/seal_schedule.h) with W1, the nonce's high word,
   * fixed for the launch: only W0 varies, so f.varies is sp::sha_varies
   * (both follow the recurrence; see sha_varies_table_ok). */
  uint32_t block[16];
  sp_preseal_block(work->block_and_hotkey_hash, block);
  block[1] = __builtin_bswap32(p->base_hi);
  sp_sha256_folded f;
  sp_sha256_fold(block, 0x1, &f);
  for (int t = 1; t < 64; t++)
    p->kw[t] = sp::sha_varies(t) ? f.part[t] : sp::sha_k(t) + f.w[t];
  for (int t = 0; t < 16; t++)
    p->w[t] = f.w[t];
  for (int r = 0; r < 32; r++)
    p->pow2[r] = 1u << r;
  p->one = 1;
  sp_difficulty_threshold(work->difficulty, work->rule, p->thr);
  p->thr_top = (uint64_t)be32(p->thr) << 32 | be32(p->thr + 4);
  p->big_endian = work->rule != SP_RULE_CHAIN_LE;
}

extern "C" void sp_cuda_emulate(const sp_work *work, uint64_t nonce,
                                uint64_t *top64, int *candidate,
                                uint8_t seal[32], int *meets) {
  sp::kparams p;
  prepare_params(work, nonce, 1, 1, &p);
  typedef sp::kernel_cfg<sp::ROT_SHF, 0, sp::ROT_SHF, false, 1, false, 0> cfg;
  uint32_t lo = (uint32_t)nonce;
  *top64 = work->rule == SP_RULE_CHAIN_LE ? sp::seal_top64<cfg, true>(p, lo)
                                          : sp::seal_top64<cfg, false>(p, lo);
  *candidate = *top64 <= p.thr_top;
  sp::full_seal(p, lo, seal);
  *meets = sp::seal_meets(p, seal);
}

/* ------------------------------------------------------------ devices -- */

struct sp_cuda_dev {
  int id, tpb, variant;
  int blocks[2]; /* full grid: [0] chain-le kernel, [1] big-endian kernel */
  cudaStream_t stream;
  cudaEvent_t done[2];
  sp::solution_buffer *dbuf[2];
  unsigned char *hbuf[2];
  size_t buf_bytes;
  sp_device_info info;
};

static int cuda_fail(sp_error_record *err, int dev, const char *what,
                     cudaError_t e) {
  int rc =
      sp_error_fail(err, e == cudaErrorMemoryAllocation ? SP_ENOMEM : SP_EINVAL,
                    "CUDA device %d: %s: %s", dev, what, cudaGetErrorString(e));
  (void)cudaGetLastError(); /* clear a sticky launch error, if any */
  return rc;
}

#define CK(call, what)                                                         \
  do {                                                                         \
    cudaError_t e_ = (call);                                                   \
    if (e_ != cudaSuccess) return cuda_fail(err, id, what, e_);                \
  } while (0)

extern "C" int sp_cuda_device_count(int *count, sp_error_record *err) {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  *count = 0;
  if (e == cudaErrorInsufficientDriver || e == cudaErrorNoDevice) {
    /* On a machine without an NVIDIA GPU the runtime finds no driver and
     * says "CUDA driver version is insufficient for CUDA runtime version",
     * which reads like an upgrade is needed: say what is missing. */
    sp_error_fail(err, SP_EUNAVAILABLE,
                  "no CUDA device or NVIDIA driver on this machine (the CUDA "
                  "runtime says: %s)",
                  cudaGetErrorString(e));
    (void)cudaGetLastError();
    return SP_BACKEND_UNAVAILABLE;
  }
  if (e != cudaSuccess) {
    sp_error_fail(err, SP_EUNAVAILABLE, "no CUDA device (%s)",
                  cudaGetErrorString(e));
    (void)cudaGetLastError();
    return SP_BACKEND_UNAVAILABLE;
  }
  if (n == 0) {
    return sp_error_fail(err, SP_EUNAVAILABLE,
                         "no CUDA device (the driver reports none)");
  }
  *count = n;
  return 0;
}

/* The NVIDIA driver's release ("580.159.04") from the kernel module, or "?"
 * where /proc does not say (the CUDA runtime only knows the API version). */
static void driver_release(char *out, size_t len) {
  snprintf(out, len, "?");
  FILE *f = fopen("/proc/driver/nvidia/version", "r");
  if (f == NULL) return;
  char line[256];
  if (fgets(line, sizeof line, f) != NULL) {
    for (char *t = strtok(line, " \t\n"); t != NULL;
         t = strtok(NULL, " \t\n")) {
      if (t[0] >= '0' && t[0] <= '9' && strchr(t, '.') != NULL) {
        snprintf(out, len, "%s", t);
        break;
      }
    }
  }
  fclose(f);
}

static void dev_free(sp_cuda_dev *d) {
  if (d == NULL) return;
  cudaSetDevice(d->id);
  for (int s = 0; s < 2; s++) {
    if (d->dbuf[s]) cudaFree(d->dbuf[s]);
    if (d->hbuf[s]) cudaFreeHost(d->hbuf[s]);
    if (d->done[s]) cudaEventDestroy(d->done[s]);
  }
  if (d->stream) cudaStreamDestroy(d->stream);
  free(d);
}

static int dev_init(sp_cuda_dev *d, sp_error_record *err) {
  const int id = d->id;
  CK(cudaSetDevice(id), "cudaSetDevice");
  cudaDeviceProp prop;
  CK(cudaGetDeviceProperties(&prop, id), "cudaGetDeviceProperties");
  int clock_khz = 0, rt = 0;
  CK(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, id),
     "cudaDeviceGetAttribute(clock rate)");
  CK(cudaRuntimeGetVersion(&rt), "cudaRuntimeGetVersion");
  char drv[32];
  driver_release(drv, sizeof drv);
  memset(&d->info, 0, sizeof d->info);
  /* isa: "sm_XY/VARIANT driver=RELEASE cuda=RUNTIME sm_clock=MHz", the
   * clock being the SM clock limit the runtime reports. */
  char isa[256];
  snprintf(isa, sizeof isa, "sm_%d%d/%s driver=%s cuda=%d.%d sm_clock=%dMHz",
           prop.major, prop.minor, variants[d->variant].name, drv, rt / 1000,
           (rt % 1000) / 10, clock_khz / 1000);
  snprintf(d->info.name, sizeof d->info.name, "%.127s", prop.name);
  snprintf(d->info.isa, sizeof d->info.isa, "%.63s", isa);
  d->info.units = prop.multiProcessorCount;
  d->info.id = id;

  kernel_fn k[2] = {variants[d->variant].le, variants[d->variant].be};
  for (int r = 0; r < 2; r++) {
    cudaFuncAttributes fa;
    CK(cudaFuncGetAttributes(&fa, (const void *)k[r]), "cudaFuncGetAttributes");
    if (d->tpb > fa.maxThreadsPerBlock) {
      return sp_error_fail(
          err, SP_EINVAL,
          "CUDA device %d: --tpb %d is more than kernel '%s' allows here "
          "(%d threads per block at %d registers a thread)",
          id, d->tpb, variants[d->variant].name, fa.maxThreadsPerBlock,
          fa.numRegs);
    }
    int per_sm = 0;
    CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(
           &per_sm, (const void *)k[r], d->tpb, 0),
       "cudaOccupancyMaxActiveBlocksPerMultiprocessor");
    if (per_sm < 1) per_sm = 1;
    d->blocks[r] = per_sm * prop.multiProcessorCount;
  }

  CK(cudaStreamCreateWithFlags(&d->stream, cudaStreamNonBlocking),
     "cudaStreamCreate");
  d->buf_bytes = offsetof(sp::solution_buffer, entries) +
                 SP_CUDA_SOLUTION_CAP * sizeof(sp::solution);
  for (int s = 0; s < 2; s++) {
    /* Blocking sync: a worker waiting for a launch sleeps instead of
     * spinning on a core that other workers may need. */
    CK(cudaEventCreateWithFlags(&d->done[s],
                                cudaEventBlockingSync | cudaEventDisableTiming),
       "cudaEventCreate");
    char what[96];
    snprintf(what, sizeof what, "cudaMalloc of %zu bytes", d->buf_bytes);
    CK(cudaMalloc((void **)&d->dbuf[s], d->buf_bytes), what);
    snprintf(what, sizeof what, "cudaMallocHost of %zu bytes", d->buf_bytes);
    CK(cudaMallocHost((void **)&d->hbuf[s], d->buf_bytes), what);
  }
  return 0;
}

extern "C" int sp_cuda_dev_open(int id, int tpb, int variant, sp_cuda_dev **out,
                                sp_error_record *err) {
  *out = NULL;
  int n = 0;
  int rc = sp_cuda_device_count(&n, err);
  if (rc != 0) return rc;
  if (id < 0 || id >= n) {
    return sp_error_fail(err, SP_EINVAL,
                         "CUDA device %d does not exist (%d device%s: 0..%d)",
                         id, n, n == 1 ? "" : "s", n - 1);
  }
  if (variant < 0 || variant >= n_variants) {
    return sp_error_fail(err, SP_EINVAL, "CUDA device %d: no kernel variant %d",
                         id, variant);
  }
  sp_cuda_dev *d = (sp_cuda_dev *)calloc(1, sizeof *d);
  if (d == NULL) {
    return sp_error_fail(err, SP_ENOMEM, "CUDA device %d: out of host memory",
                         id);
  }
  d->id = id;
  d->tpb = tpb > 0 ? tpb : SP_CUDA_TPB_DEFAULT;
  d->variant = variant;
  rc = dev_init(d, err);
  if (rc != 0) {
    dev_free(d);
    return rc;
  }
  *out = d;
  return 0;
}

extern "C" void sp_cuda_dev_close(sp_cuda_dev *d) { dev_free(d); }

extern "C" void sp_cuda_dev_describe(const sp_cuda_dev *d,
                                     sp_device_info *out) {
  *out = d->info;
}

extern "C" uint32_t sp_cuda_dev_threads(const sp_cuda_dev *d, sp_rule rule) {
  return (uint32_t)d->blocks[rule == SP_RULE_CHAIN_LE ? 0 : 1] *
         (uint32_t)d->tpb;
}

extern "C" int sp_cuda_dev_launch(sp_cuda_dev *d, int slot, const sp_work *work,
                                  uint64_t start, uint32_t len,
                                  sp_error_record *err) {
  const int id = d->id;
  if (slot < 0 || slot > 1 || len == 0 || len > SP_CUDA_MAX_LAUNCH ||
      (start >> 32) != ((start + len - 1) >> 32)) {
    return sp_error_fail(err, SP_EINVAL,
                         "CUDA device %d: bad launch (slot %d, %u nonces)", id,
                         slot, len);
  }
  const bool le = work->rule == SP_RULE_CHAIN_LE;
  const uint64_t tpb = (uint64_t)d->tpb;
  const uint64_t full =
      (uint64_t)d->blocks[le ? 0 : 1] * (uint64_t)variants[d->variant].waves;
  uint64_t blocks = (len + tpb - 1) / tpb;
  if (blocks > full) blocks = full;
  const uint64_t T = blocks * tpb;
  sp::kparams p;
  prepare_params(work, start, len, (uint32_t)((len + T - 1) / T), &p);
  p.out = d->dbuf[slot];
  CK(cudaSetDevice(id), "cudaSetDevice");
  CK(cudaMemsetAsync(d->dbuf[slot], 0, sizeof(uint32_t), d->stream),
     "cudaMemsetAsync");
  kernel_fn k = le ? variants[d->variant].le : variants[d->variant].be;
  k<<<(unsigned)blocks, (unsigned)tpb, 0, d->stream>>>(p);
  CK(cudaGetLastError(), "kernel launch");
  CK(cudaMemcpyAsync(d->hbuf[slot], d->dbuf[slot], d->buf_bytes,
                     cudaMemcpyDeviceToHost, d->stream),
     "cudaMemcpyAsync");
  CK(cudaEventRecord(d->done[slot], d->stream), "cudaEventRecord");
  return 0;
}

extern "C" int sp_cuda_dev_collect(sp_cuda_dev *d, int slot, uint32_t *count,
                                   const sp_cuda_solution **sols,
                                   sp_error_record *err) {
  const int id = d->id;
  CK(cudaSetDevice(id), "cudaSetDevice");
  CK(cudaEventSynchronize(d->done[slot]), "kernel run");
  memcpy(count, d->hbuf[slot], sizeof *count);
  *sols = (const sp_cuda_solution *)(d->hbuf[slot] +
                                     offsetof(sp::solution_buffer, entries));
  return 0;
}

/* ------------------------------------------------------ test support -- */

static void *hog[4096];
static int n_hog, hog_dev;

extern "C" int sp_cuda_hog_memory(int id, sp_error_record *err) {
  CK(cudaSetDevice(id), "cudaSetDevice");
  size_t free_b = 0, total = 0;
  CK(cudaMemGetInfo(&free_b, &total), "cudaMemGetInfo");
  hog_dev = id;
  for (size_t sz = free_b; sz >= 4096 && n_hog < 4096;) {
    void *q = NULL;
    if (cudaMalloc(&q, sz) == cudaSuccess) {
      hog[n_hog++] = q;
    } else {
      (void)cudaGetLastError();
      sz /= 2;
    }
  }
  return 0;
}

extern "C" void sp_cuda_release_memory(void) {
  cudaSetDevice(hog_dev);
  for (int i = 0; i < n_hog; i++)
    cudaFree(hog[i]);
  n_hog = 0;
}
