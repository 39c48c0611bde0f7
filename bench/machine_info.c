/* The machine description of benchmark results; see machine_info.h. */
#include "bench/machine_info.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void trim(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
    s[--n] = '\0';
}

/* The value after "key<tabs>: " in a cpuinfo line, or NULL. */
static const char *value_of(const char *line, const char *key) {
  size_t k = strlen(key);
  if (strncmp(line, key, k) != 0) return NULL;
  const char *p = line + k;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != ':') return NULL;
  p++;
  while (*p == ' ')
    p++;
  return p;
}

void sp_machine_info_read(sp_machine_info *m, const char *cpuinfo_path) {
  memset(m, 0, sizeof *m);
  if (gethostname(m->host, sizeof m->host - 1) != 0) strcpy(m->host, "unknown");
  strcpy(m->cpu_model, "unknown");
  FILE *f = fopen(cpuinfo_path ? cpuinfo_path : "/proc/cpuinfo", "r");
  if (f == NULL) return;
  char line[1024];
  long phys = 0, core = -1;
  long pairs[4096][2];
  int n_pairs = 0;
  bool model_set = false;
  while (fgets(line, sizeof line, f) != NULL) {
    trim(line);
    const char *v;
    if ((v = value_of(line, "processor")) != NULL) {
      m->cpu_threads++;
      phys = 0, core = -1;
    } else if (!model_set && (v = value_of(line, "model name")) != NULL) {
      snprintf(m->cpu_model, sizeof m->cpu_model, "%s", v);
      model_set = true;
    } else if ((v = value_of(line, "physical id")) != NULL) {
      phys = strtol(v, NULL, 10);
    } else if ((v = value_of(line, "core id")) != NULL) {
      core = strtol(v, NULL, 10);
      bool seen = false;
      for (int i = 0; i < n_pairs && !seen; i++)
        seen = pairs[i][0] == phys && pairs[i][1] == core;
      if (!seen && n_pairs < 4096) {
        pairs[n_pairs][0] = phys;
        pairs[n_pairs][1] = core;
        n_pairs++;
      }
    }
  }
  fclose(f);
  /* Without core ids (some virtual machines, other architectures) every
   * listed processor counts as a core. */
  m->cpu_cores = n_pairs ? n_pairs : m->cpu_threads;
}

int sp_gpu_info_query(int dev_id, sp_gpu_info *g) {
  memset(g, 0, sizeof *g);
  char cmd[160], line[512];
  snprintf(cmd, sizeof cmd,
           "nvidia-smi --query-gpu=driver_version,clocks.sm "
           "--format=csv,noheader,nounits -i %d 2>/dev/null",
           dev_id);
  FILE *p = popen(cmd, "r");
  if (p == NULL) return -1;
  int ok = -1;
  if (fgets(line, sizeof line, p) != NULL) {
    trim(line);
    char *comma = strchr(line, ',');
    if (comma != NULL) {
      *comma = '\0';
      snprintf(g->driver, sizeof g->driver, "%s", line);
      g->sm_clock_mhz = atoi(comma + 1);
      ok = 0;
    }
  }
  pclose(p);
  if (ok != 0) return -1;
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
