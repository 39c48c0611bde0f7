/* Flags a backend does not take; see backend_flags.h. */
#include "bench/backend_flags.h"

#include <stdio.h>
#include <string.h>

#include "bench/cli.h"

enum {
  F_THREADS = 1 << 0,
  F_PER_HW = 1 << 1,
  F_NO_PIN = 1 << 2,
  F_ISA = 1 << 3,
  F_DEV_ID = 1 << 4,
  F_TPB = 1 << 5,
  F_UPDATE = 1 << 6,
};

/* What each built-in backend reads of sp_backend_options (their open()
 * functions: optimized/backend_cpu.c, cuda/backend_cuda.c; the reference
 * adapter reads none). */
static const struct {
  const char *name;
  unsigned takes;
} table[] = {
    {"reference", 0},
    {"cpu", F_THREADS | F_PER_HW | F_NO_PIN | F_ISA | F_UPDATE},
    {"cuda", F_ISA | F_DEV_ID | F_TPB | F_UPDATE},
};

static const struct {
  unsigned bit;
  const char *flag;
} flags[] = {
    {F_THREADS, "--threads"},        {F_PER_HW, "--per-hw-thread"},
    {F_NO_PIN, "--no-pin"},          {F_ISA, "--isa"},
    {F_DEV_ID, "--dev-id"},          {F_TPB, "--tpb"},
    {F_UPDATE, "--update-interval"},
};

static unsigned given(const sp_backend_options *o) {
  return (o->threads != 0 ? F_THREADS : 0u) |
         (o->per_hw_thread ? F_PER_HW : 0u) | (o->no_pin ? F_NO_PIN : 0u) |
         (o->isa != NULL ? F_ISA : 0u) | (o->dev_ids != NULL ? F_DEV_ID : 0u) |
         (o->tpb != 0 ? F_TPB : 0u) | (o->update_interval != 0 ? F_UPDATE : 0u);
}

/* The built-in backends that take `bit`, as "cpu or cuda". */
static void takers(unsigned bit, char *out, size_t cap) {
  out[0] = '\0';
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].takes & bit) {
      size_t n = strlen(out);
      snprintf(out + n, cap - n, "%s%s", n ? " or " : "", table[i].name);
    }
}

int sp_cli_check_backend_flags(const char *cmd, const sp_backend_vtable *vt,
                               const sp_backend_options *opts,
                               bool auto_chosen) {
  unsigned takes = ~0u;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(vt->name, table[i].name) == 0) takes = table[i].takes;
  unsigned ignored = given(opts) & ~takes;
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
    if (!(ignored & flags[i].bit)) continue;
    char who[64];
    takers(flags[i].bit, who, sizeof who);
    if (!auto_chosen)
      return sp_cli_fail(cmd,
                         "%s: the %s backend has no such setting (%s is for "
                         "%s)",
                         flags[i].flag, vt->name, flags[i].flag, who);
    fprintf(stderr,
            "bench %s: warning: %s is ignored: --backend auto chose %s, which "
            "has no such setting (it is for %s)\n",
            cmd, flags[i].flag, vt->name, who);
  }
  return 0;
}
