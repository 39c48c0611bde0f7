/* The backend flags shared by the subcommands; see backend_args.h. */
#include "bench/backend_args.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/backend_flags.h"
#include "bench/cli.h"
#include "bench/cli_auto.h"
#include "registry/registry.h"

const struct option *sp_backend_longopts(const struct option *own) {
  /* One merged table per command table: a process parses a few commands at
   * most (bench runs one; the tests run several in one process). */
  static struct {
    const struct option *own;
    struct option *merged;
  } cache[16];
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&mu);
  struct option *found = NULL;
  size_t slot = 0;
  for (; slot < 16 && cache[slot].own != NULL && found == NULL; slot++)
    if (cache[slot].own == own) found = cache[slot].merged;
  if (found == NULL) {
    const sp_setting_info *const *set;
    size_t n_set = sp_backend_settings_all(&set);
    size_t n_own = 0;
    while (own[n_own].name != NULL)
      n_own++;
    found = calloc(n_own + n_set + 1, sizeof *found);
    if (found != NULL) {
      memcpy(found, own, n_own * sizeof *own);
      for (size_t i = 0; i < n_set; i++)
        found[n_own + i] = (struct option){
            set[i]->name,
            set[i]->type == SP_SETTING_SWITCH ? no_argument : required_argument,
            NULL, SP_OPT_SETTING + (int)i};
      if (slot < 16) cache[slot].own = own, cache[slot].merged = found;
    }
  }
  pthread_mutex_unlock(&mu);
  return found != NULL ? found : own; /* no memory: the command's own */
}

bool sp_backend_args_is_option(int opt) {
  return opt == SP_OPT_BACKEND ||
         (opt >= SP_OPT_SETTING && opt < SP_OPT_SETTING_END);
}

/* The value a setting's flag takes in the help ("" for a switch). */
static const char *placeholder(const sp_setting_info *s) {
  switch (s->type) {
  case SP_SETTING_INT:
  case SP_SETTING_U64: return " N";
  case SP_SETTING_NAME: return " X";
  case SP_SETTING_ID_LIST: return " LIST";
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
  const sp_setting_info *const *set;
  size_t n_set = sp_backend_settings_all(&set);
  for (size_t s = 0; s < n_set; s++) {
    char flag[64];
    snprintf(flag, sizeof flag, "--%s%s", set[s]->name, placeholder(set[s]));
    bool first = true;
    for (size_t i = 0; i < n; i++) {
      const sp_setting_info *info = sp_backend_setting(list[i], set[s]->name);
      if (info == NULL) continue;
      char range[160], dflt[64];
      sp_setting_range_text(info, range, sizeof range);
      sp_setting_default_text(info, dflt, sizeof dflt);
      fprintf(out, "  %-21s  %s: %s\n", first ? flag : "", list[i]->name,
              info->meaning);
      fprintf(out, "  %-21s    %s%s(default: %s)\n", "", range,
              range[0] ? " " : "", dflt);
      first = false;
    }
    if (first) /* a flag of a backend not built here is still parsed */
      fprintf(out, "  --%-20s taken by no backend built in here\n",
              set[s]->name);
  }
  if (sp_backend_setting(sp_backend_default(), "isa") != NULL || n > 1)
    fprintf(out, "  --isa help             list the kernel paths of every "
                 "backend and exit\n");
}

/* `--NAME help` for a setting with named values: each backend's. */
static void names_help(FILE *out, const char *name) {
  const sp_backend_vtable *const *list;
  size_t n = sp_backend_registry(&list);
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    const sp_setting_info *info = sp_backend_setting(list[i], name);
    if (info == NULL || info->type != SP_SETTING_NAME) continue;
    any = true;
    char dflt[64];
    fprintf(out, "%s: --%s is the %s: %s (default: %s)\n", list[i]->name, name,
            info->meaning, info->range ? info->range : "any",
            sp_setting_default_text(info, dflt, sizeof dflt));
    const char *const *values = NULL;
    size_t k = list[i]->choices ? list[i]->choices(name, &values) : 0;
    if (k == 0) continue;
    fprintf(out, "  %s:",
            list[i]->kind == SP_DEVICE_GPU
                ? "built in"
                : "this machine runs, fastest first");
    for (size_t j = 0; j < k; j++)
      fprintf(out, "%s %s", j ? "," : "", values[j]);
    fputc('\n', out);
  }
  if (!any) fprintf(out, "no built-in backend takes --%s\n", name);
}

void sp_backend_isa_help(FILE *out) { names_help(out, "isa"); }

static int parse_ids(const char *cmd, const sp_setting_info *s,
                     sp_backend_args *a, const char *arg) {
  char buf[512], flag[64];
  snprintf(flag, sizeof flag, "--%s", s->name);
  if (strlen(arg) >= sizeof buf || arg[0] == '\0')
    return sp_cli_fail(cmd, "%s: '%s' is not a list of device ids", flag, arg);
  strcpy(buf, arg);
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    long id = 0;
    if (n == SP_SETTING_MAX_IDS)
      return sp_cli_fail(cmd, "%s: more than %d devices", flag,
                         SP_SETTING_MAX_IDS);
    if (sp_cli_int(cmd, flag, t, (long)s->min, (long)s->max, &id) != 0)
      return SP_EXIT_USAGE;
    for (int i = 0; i < n; i++)
      if (a->dev_ids[i] == id)
        return sp_cli_fail(cmd, "%s: device %ld listed twice", flag, id);
    a->dev_ids[n++] = (int)id;
  }
  if (n == 0 || arg[strlen(arg) - 1] == ',' || arg[0] == ',' ||
      strstr(arg, ",,") != NULL)
    return sp_cli_fail(cmd, "%s: '%s' is not a list of device ids", flag, arg);
  a->opts.dev_ids = a->dev_ids;
  a->opts.n_dev_ids = n;
  return 0;
}

int sp_backend_args_take(const char *cmd, sp_backend_args *a, int opt,
                         const char *arg) {
  if (opt == SP_OPT_BACKEND) {
    a->backend = arg;
    return 0;
  }
  const sp_setting_info *const *set;
  size_t n_set = sp_backend_settings_all(&set);
  if (opt < SP_OPT_SETTING || (size_t)(opt - SP_OPT_SETTING) >= n_set)
    return sp_cli_fail(cmd, "internal: unknown backend option %d", opt);
  const sp_setting_info *s = set[opt - SP_OPT_SETTING];
  char flag[64];
  snprintf(flag, sizeof flag, "--%s", s->name);
  switch (s->type) {
  case SP_SETTING_SWITCH: sp_setting_set_number(s, &a->opts, 1); return 0;
  case SP_SETTING_NAME:
    if (strcmp(arg, "help") == 0) {
      names_help(stdout, s->name);
      fflush(stdout);
      return SP_CLI_DONE;
    }
    sp_setting_set_name(s, &a->opts, arg);
    return 0;
  case SP_SETTING_ID_LIST: return parse_ids(cmd, s, a, arg);
  case SP_SETTING_INT: {
    long v = 0;
    if (sp_cli_int(cmd, flag, arg, (long)s->min, (long)s->max, &v) != 0)
      return SP_EXIT_USAGE;
    sp_setting_set_number(s, &a->opts, (uint64_t)v);
    return 0;
  }
  case SP_SETTING_U64: {
    uint64_t u;
    if (sp_cli_u64(cmd, flag, arg, &u) != 0) return SP_EXIT_USAGE;
    if (u < s->min || u > s->max) {
      char range[64];
      if (s->max == UINT64_MAX)
        return sp_cli_fail(cmd, "%s: must be at least %" PRIu64, flag, s->min);
      return sp_cli_fail(cmd, "%s: must be in %s", flag,
                         sp_setting_range_text(s, range, sizeof range));
    }
    sp_setting_set_number(s, &a->opts, u);
    return 0;
  }
  }
  return sp_cli_fail(cmd, "internal: %s has an unknown type", flag);
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
  sp_error_record err = {0};
  int rc = (*vt)->open(opts, b, &err);
  if (rc != 0)
    return sp_cli_fail(cmd, "%s: %s", name,
                       err.message[0] ? err.message : "cannot open backend");
  return 0;
}
