/*
 * The C interface of the CUDA side of the backend (seal_kernel.cu): one
 * opened GPU with its stream, two launch slots (double buffering), and the
 * kernel variants. The worker threads, the range splitting and the
 * sp_backend vtable are plain C in backend_cuda.c.
 *
 * Every function that can fail returns 0 or a negative sp_error code
 * (-SP_ENOMEM for an allocation, -SP_EINVAL for a bad argument or a CUDA
 * error, SP_BACKEND_UNAVAILABLE when there is no CUDA device) and fills
 * `err` (may be NULL) with a message naming the device. None prints or
 * exits.
 */
#ifndef SUBPOW_CUDA_DEVICE_H
#define SUBPOW_CUDA_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Entries of one launch's solution buffer. A launch that finds more
 * solutions than this is rescanned in smaller pieces (backend_cuda.c), so
 * the buffer bounds memory, not correctness. */
#define SP_CUDA_SOLUTION_CAP 1024u

/* Threads per block: the default, and the most CUDA allows in a block
 * (compute capability 2.0 and later); a kernel may allow fewer
 * (sp_cuda_dev_open says so). */
#define SP_CUDA_TPB_DEFAULT 256
#define SP_CUDA_TPB_MAX 1024

/* At most this many nonces in one launch: keeps every per-thread offset of
 * the kernel inside 32 bits. */
#define SP_CUDA_MAX_LAUNCH (1ull << 31)

/* A solution as the device reports it. */
typedef struct sp_cuda_solution {
  uint64_t nonce;
  uint8_t seal[32];
} sp_cuda_solution;

/* Number of CUDA devices. Returns 0, or SP_BACKEND_UNAVAILABLE and fills
 * `err` when the runtime finds no device or no driver. */
int sp_cuda_device_count(int *count, sp_error_record *err);

/* Kernel variants (see results/cuda-h100.md): their number, the name of
 * variant i, the index of a name (-1 if none: a lookup that finds nothing,
 * not an error) and the default. */
int sp_cuda_variant_count(void);
const char *sp_cuda_variant_name(int i);
int sp_cuda_variant_find(const char *name);
int sp_cuda_variant_default(void);

typedef struct sp_cuda_dev sp_cuda_dev;

/*
 * Opens device `id` with `tpb` threads per block (0: SP_CUDA_TPB_DEFAULT) and
 * kernel variant `variant`: creates its stream and two launch slots (device and
 * pinned host buffers) and sizes the grid from the SM count and the
 * kernel's measured occupancy. Returns 0, or fills `err` and returns
 * -SP_EINVAL (no such device, tpb too large for the kernel, a CUDA error),
 * -SP_ENOMEM (out of device or pinned memory) or SP_BACKEND_UNAVAILABLE (no
 * CUDA device).
 */
int sp_cuda_dev_open(int id, int tpb, int variant, sp_cuda_dev **out,
                     sp_error_record *err);
void sp_cuda_dev_close(sp_cuda_dev *d);

/* The device's description for sp_backend_vtable.describe. */
void sp_cuda_dev_describe(const sp_cuda_dev *d, sp_device_info *out);

/* Threads of a full grid (blocks x tpb) for the kernel of `rule`. */
uint32_t sp_cuda_dev_threads(const sp_cuda_dev *d, sp_rule rule);

/*
 * Queues on slot (0 or 1): clear the slot's solution count, the kernel over
 * [start, start + len), and the copy of the slot's buffer to the host. The
 * range must not cross a multiple of 2^32 and len must be 1 ..
 * SP_CUDA_MAX_LAUNCH. The launch takes min(full grid, len / tpb) blocks and
 * each thread ceil(len / threads) nonces, a stride apart. Returns at once
 * (0), or on a launch error a negative code with `err` filled.
 */
int sp_cuda_dev_launch(sp_cuda_dev *d, int slot, const sp_work *work,
                       uint64_t start, uint32_t len, sp_error_record *err);

/*
 * Waits for the slot's last launch and returns its solution count in *count
 * (which may exceed SP_CUDA_SOLUTION_CAP: then only the first CAP entries
 * were stored) and the stored entries in *sols (valid until the slot is
 * launched again). Returns 0, or a negative code with `err` filled when the
 * run failed.
 */
int sp_cuda_dev_collect(sp_cuda_dev *d, int slot, uint32_t *count,
                        const sp_cuda_solution **sols, sp_error_record *err);

/*
 * The kernel's arithmetic run on the host (no GPU needed), for tests: the
 * fast path's top 64 bits of the seal of `nonce` under work->rule, whether
 * it makes a candidate, and the exact path's full seal and verdict.
 */
void sp_cuda_emulate(const sp_work *work, uint64_t nonce, uint64_t *top64,
                     int *candidate, uint8_t seal[32], int *meets);

/* Test support: takes (almost) all free memory of device `id` so that the
 * next allocations fail; sp_cuda_release_memory gives it back. Returns 0 or
 * a negative code with `err` filled. */
int sp_cuda_hog_memory(int id, sp_error_record *err);
void sp_cuda_release_memory(void);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CUDA_DEVICE_H */
