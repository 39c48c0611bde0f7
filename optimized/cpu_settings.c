/* The cpu backend's settings; see cpu_settings.h. */
#include "optimized/cpu_settings.h"

#include <stddef.h>

#include "optimized/seal_kernels.h"

/* The kernel paths this build has (sp_seal_path_names, as a constant). */
#if SP_CPU_X86
#define KERNEL_PATHS "avx512, avx512+shani, avx2+shani, avx2, shani, portable"
#else
#define KERNEL_PATHS "portable"
#endif

/* The settings, in sweep order: kernel path, pinning, then threads (the x
 * axis). */
#define FIELD(f) offsetof(sp_backend_options, f)
const sp_setting_info sp_cpu_settings[] = {
    {.name = "isa",
     .type = SP_SETTING_NAME,
     .field = FIELD(isa),
     .meaning = "kernel path",
     .range = KERNEL_PATHS,
     .dflt = "the fastest this CPU runs",
     .sweep = SP_SWEEP_ALL},
    {.name = "no-pin",
     .type = SP_SETTING_SWITCH,
     .field = FIELD(no_pin),
     .meaning = "do not bind workers to cores",
     .dflt = "pinned",
     .sweep = SP_SWEEP_ALL,
     .word = "unpinned",
     .off_word = "pinned"},
    {.name = "threads",
     .type = SP_SETTING_INT,
     .field = FIELD(threads),
     .meaning = "worker threads",
     .min = 1,
     .max = SP_CPU_MAX_THREADS,
     .dflt = "one per core",
     .sweep = SP_SWEEP_ALL},
    {.name = "per-hw-thread",
     .type = SP_SETTING_SWITCH,
     .field = FIELD(per_hw_thread),
     .meaning = "default to one worker per hardware thread",
     .dflt = "one per core"},
    {.name = "update-interval",
     .type = SP_SETTING_U64,
     .field = FIELD(update_interval),
     .meaning = "nonces a worker takes between checks for new work",
     .min = 1,
     .max = UINT64_MAX,
     .dflt_value = SP_CPU_DEFAULT_UPDATE_INTERVAL,
     .word = "ui"},
    {.name = NULL},
};
#undef FIELD
