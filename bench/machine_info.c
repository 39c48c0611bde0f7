/* The machine description of benchmark results; see machine_info.h. */
#include "bench/machine_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef SUBPOW_HAVE_HWLOC
#include <hwloc.h>

/* hwloc's view, the one the cpu backend pins by (optimized/worker_pool.c):
 * the package's CPUModel info, and the cores and hardware threads
 * (processing units) this process may use. */
static void read_cpu(sp_machine_info *m) {
  hwloc_topology_t t;
  if (hwloc_topology_init(&t) != 0) return;
  if (hwloc_topology_load(t) == 0) {
    hwloc_obj_t pkg = hwloc_get_obj_by_type(t, HWLOC_OBJ_PACKAGE, 0);
    const char *model =
        pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
    if (model != NULL && model[0] != '\0')
      snprintf(m->cpu_model, sizeof m->cpu_model, "%s", model);
    int cores = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
    int pus = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
    m->cpu_threads = pus > 0 ? pus : 0;
    m->cpu_cores = cores > 0 ? cores : m->cpu_threads;
  }
  hwloc_topology_destroy(t);
}
#else
static void read_cpu(sp_machine_info *m) { (void)m; }
#endif

void sp_machine_info_read(sp_machine_info *m) {
  memset(m, 0, sizeof *m);
  if (gethostname(m->host, sizeof m->host - 1) != 0) strcpy(m->host, "unknown");
  strcpy(m->cpu_model, "unknown");
  read_cpu(m);
}

static void trim(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
    s[--n] = '\0';
}

int sp_gpu_info_query(int dev_id, sp_gpu_info *g) {
  memset(g, 0, sizeof *g);
  char cmd[160], line[512];
  snprintf(cmd, sizeof cmd,
           "nvidia-smi --query-gpu=driver_version,clocks.sm,clocks.max.sm "
           "--format=csv,noheader,nounits -i %d 2>/dev/null",
           dev_id);
  FILE *p = popen(cmd, "r");
  if (p == NULL) return -SP_EIO;
  int ok = -SP_EUNAVAILABLE;
  if (fgets(line, sizeof line, p) != NULL) {
    trim(line);
    char *comma = strchr(line, ',');
    if (comma != NULL) {
      *comma = '\0';
      snprintf(g->driver, sizeof g->driver, "%s", line);
      g->sm_clock_mhz = atoi(comma + 1);
      char *max = strchr(comma + 1, ',');
      if (max != NULL) g->max_sm_clock_mhz = atoi(max + 1);
      ok = 0;
    }
  }
  pclose(p);
  if (ok != 0) return ok;
  /* The CUDA version appears only in nvidia-smi's banner. */
  p = popen("nvidia-smi 2>/dev/null", "r");
  if (p == NULL) return 0;
  while (fgets(line, sizeof line, p) != NULL) {
    char *v = strstr(line, "CUDA Version:");
    if (v != NULL) {
      v += strlen("CUDA Version:");
      while (*v == ' ')
        v++;
      size_t k = strcspn(v, " |\n");
      snprintf(g->cuda_version, sizeof g->cuda_version, "%.*s", (int)k, v);
    }
  }
  pclose(p);
  return 0;
}
