/* The cuda backend's settings; see cuda_settings.h. */
#include "cuda/cuda_settings.h"

#include <stddef.h>

#include "cuda/cuda_device.h"
#include "cuda/launch_plan.h"

/* In sweep order: update interval, then threads per block (the x axis). */
#define FIELD(f) offsetof(sp_backend_options, f)
const sp_setting_info sp_cuda_settings[] = {
    {.name = "isa",
     .type = SP_SETTING_NAME,
     .field = FIELD(isa),
     .meaning = "kernel variant",
     .range = "a variant of seal_kernel.cu (see results/cuda-h100.md)",
     .dflt = "lop"},
    {.name = "dev-id",
     .type = SP_SETTING_ID_LIST,
     .field = FIELD(dev_ids),
     .meaning = "GPUs to use, comma-separated",
     .min = 0,
     .max = 1023,
     .range = "device ids",
     .dflt = "0"},
    {.name = "update-interval",
     .type = SP_SETTING_U64,
     .field = FIELD(update_interval),
     .meaning = "nonces per GPU thread per launch",
     .min = 1,
     .max = UINT64_MAX,
     .dflt_value = SP_CUDA_DEFAULT_UPDATE_INTERVAL,
     .sweep = SP_SWEEP_LIST,
     .sweep_values = {256, 1024, 4096, 16384},
     .word = "ui"},
    {.name = "tpb",
     .type = SP_SETTING_INT,
     .field = FIELD(tpb),
     .meaning = "threads per block",
     .min = 1,
     .max = SP_CUDA_TPB_MAX,
     .dflt_value = SP_CUDA_TPB_DEFAULT,
     .sweep = SP_SWEEP_LIST,
     .sweep_values = {32, 64, 128, 256, 512, SP_CUDA_TPB_MAX}},
    {.name = NULL},
};
#undef FIELD
