/* The backend flags shared by the subcommands; see backend_args.h. */
#include "bench/backend_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/cli.h"
#include "bench/cli_auto.h"
#include "registry/registry.h"
#include "bench/backend_flags.h"

/* The value a setting's flag takes in the help ("" for a switch). */
static const char *placeholder(sp_setting s) {
  switch (s) {
  case SP_SETTING_THREADS:
  case SP_SETTING_TPB:
  case SP_SETTING_UPDATE_INTERVAL: return " N";
  case SP_SETTING_ISA: return " X";
  case SP_SETTING_DEVICES: return " LIST";
  default: return "";
  }
}

void sp_backend_args_print_help(FILE *out) {
  char names[256];
  sp_backend_names(names, sizeof names);
  fprintf(out,
          "  --backend NAME         a built-in backend (%s; %s verify\n"
          "                         --list describes them), or auto: the\n"
          "                         fastest one verified on this machine\n",
          names, sp_cli_prog());
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  for (int s = 0; s < SP_SETTING_COUNT; s++) {
    char flag[64];
    snprintf(flag, sizeof flag, "--%s%s", sp_setting_flag((sp_setting)s),
             placeholder((sp_setting)s));
    bool first = true;
    for (size_t i = 0; i < n; i++) {
      const sp_setting_info *info = sp_backend_setting(list[i], (sp_setting)s);
      if (info == NULL) continue;
      fprintf(out, "  %-21s  %s: %s\n", first ? flag : "", list[i]->name,
              info->meaning);
      fprintf(out, "  %-21s    %s%s(default: %s)\n", "",
              info->range ? info->range : "", info->range ? " " : "",
              info->dflt);
      first = false;
    }
  }
  /* a flag no built-in backend takes is still parsed: say so */
  for (int s = 0; s < SP_SETTING_COUNT; s++) {
    bool any = false;
    for (size_t i = 0; i < n; i++)
      any |= sp_backend_setting(list[i], (sp_setting)s) != NULL;
    if (!any)
      fprintf(out, "  --%-20s taken by no backend built in here\n",
              sp_setting_flag((sp_setting)s));
  }
  if (sp_backend_setting(sp_backend_default(), SP_SETTING_ISA) != NULL ||
      n > 1)
    fprintf(out, "  --isa help             list the kernel paths of every "
                 "backend and exit\n");
}

void sp_backend_isa_help(FILE *out) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    const sp_setting_info *info = sp_backend_setting(list[i], SP_SETTING_ISA);
    if (info == NULL) continue;
    any = true;
    fprintf(out, "%s: --isa is the %s: %s (default: %s)\n", list[i]->name,
            info->meaning, info->range ? info->range : "any", info->dflt);
    const char *const *values = NULL;
    size_t k = list[i]->choices ? list[i]->choices(SP_SETTING_ISA, &values) : 0;
    if (k == 0) continue;
    fprintf(out, "  %s:", list[i]->kind == SP_DEVICE_GPU ? "built in"
                                                         : "this machine runs, fastest first");
    for (size_t j = 0; j < k; j++)
      fprintf(out, "%s %s", j ? "," : "", values[j]);
    fputc('\n', out);
  }
  if (!any) fprintf(out, "no built-in backend takes --isa\n");
}

static int parse_dev_ids(const char *cmd, sp_backend_args *a, const char *arg) {
  char buf[512];
  if (strlen(arg) >= sizeof buf || arg[0] == '\0')
    return sp_cli_fail(cmd, "--dev-id: '%s' is not a list of device ids", arg);
  strcpy(buf, arg);
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    long id = 0;
    if (n == 64) return sp_cli_fail(cmd, "--dev-id: more than 64 devices");
    if (sp_cli_int(cmd, "--dev-id", t, 0, 1023, &id) != 0) return SP_EXIT_USAGE;
    for (int i = 0; i < n; i++)
      if (a->dev_ids[i] == id)
        return sp_cli_fail(cmd, "--dev-id: device %ld listed twice", id);
    a->dev_ids[n++] = (int)id;
  }
  if (n == 0 || arg[strlen(arg) - 1] == ',' || arg[0] == ',' ||
      strstr(arg, ",,") != NULL)
    return sp_cli_fail(cmd, "--dev-id: '%s' is not a list of device ids", arg);
  a->opts.dev_ids = a->dev_ids;
  a->opts.n_dev_ids = n;
  return 0;
}

int sp_backend_args_take(const char *cmd, sp_backend_args *a, int opt,
                         const char *arg) {
  long v = 0;
  uint64_t u;
  switch (opt) {
  case 1000:
    a->backend = arg;
    return 0;
  case 1001:
    if (sp_cli_int(cmd, "--threads", arg, 1, 4096, &v) != 0) return SP_EXIT_USAGE;
    a->opts.threads = (int)v;
    return 0;
  case 1002:
    if (strcmp(arg, "help") == 0) {
      sp_backend_isa_help(stdout);
      fflush(stdout);
      exit(SP_EXIT_OK);
    }
    a->opts.isa = arg;
    return 0;
  case 1003:
    return parse_dev_ids(cmd, a, arg);
  case 1004:
    if (sp_cli_int(cmd, "--tpb", arg, 1, 1024, &v) != 0) return SP_EXIT_USAGE;
    a->opts.tpb = (int)v;
    return 0;
  case 1005:
    if (sp_cli_u64(cmd, "--update-interval", arg, &u) != 0) return SP_EXIT_USAGE;
    if (u == 0) return sp_cli_fail(cmd, "--update-interval: must be at least 1");
    a->opts.update_interval = u;
    return 0;
  case 1006:
    a->opts.per_hw_thread = true;
    return 0;
  case 1007:
    a->opts.no_pin = true;
    return 0;
  default:
    return sp_cli_fail(cmd, "internal: unknown backend option %d", opt);
  }
}

int sp_cli_open_backend(const char *cmd, const char *name,
                        const sp_backend_options *opts,
                        const sp_backend_vtable **vt, sp_backend **b) {
  if (strcmp(name, "auto") == 0) {
    if (sp_cli_open_auto(cmd, opts, vt, b)) return SP_EXIT_USAGE;
    sp_cli_check_backend_flags(cmd, *vt, opts, true); /* warns */
    return 0;
  }
  *vt = sp_backend_find(name);
  if (*vt == NULL) {
    char names[256];
    sp_backend_names(names, sizeof names);
    return sp_cli_fail(cmd, "--backend: unknown backend '%s' (built in: %s)",
                       name, names);
  }
  if (sp_cli_check_backend_flags(cmd, *vt, opts, false)) return SP_EXIT_USAGE;
  char err[512] = "";
  int rc = (*vt)->open(opts, b, err, sizeof err);
  if (rc != 0)
    return sp_cli_fail(cmd, "%s: %s", name, err[0] ? err : "cannot open backend");
  return 0;
}
