/* The man page and the completion from the commands' own descriptions; see
 * cli_docs.h. */
#include "bench/cli_docs.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Commands with subcommands, each parsed by its own option table. */
static const char *const wallet_subs[] = {"create", "inspect", "sign", "verify",
                                          NULL};

static const char *const *subs_of(const char *name) {
  return strcmp(name, "wallet") == 0 ? wallet_subs : NULL;
}

/* Reads all of `f` from its start into a malloc'd string. */
static char *slurp(FILE *f) {
  fflush(f);
  long n = ftell(f);
  if (n < 0) return NULL;
  rewind(f);
  char *s = malloc((size_t)n + 1);
  if (s == NULL) return NULL;
  size_t got = fread(s, 1, (size_t)n, f);
  s[got] = '\0';
  return s;
}

/* What `run` writes to stdout for argv, captured (stdout's descriptor is
 * pointed at a temporary file for the call). NULL on failure. */
static char *capture(const sp_command *c, int argc, char **argv) {
  FILE *t = tmpfile();
  if (t == NULL) return NULL;
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  if (saved < 0 || dup2(fileno(t), STDOUT_FILENO) < 0) {
    if (saved >= 0) close(saved);
    fclose(t);
    return NULL;
  }
  c->run(argc, argv);
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  char *s = slurp(t);
  fclose(t);
  return s;
}

static char *help_of(const sp_command *c) {
  char *argv[] = {(char *)c->name, "--help", NULL};
  return capture(c, 2, argv);
}

/* The options of `c` (or its subcommand `sub`), one "--name[=]" a line. */
static char *options_of(const sp_command *c, const char *sub) {
  FILE *t = tmpfile();
  if (t == NULL) return NULL;
  char *argv[] = {(char *)c->name, (char *)sub, NULL};
  FILE *devnull = fopen("/dev/null", "w");
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  if (devnull != NULL && saved >= 0) dup2(fileno(devnull), STDERR_FILENO);
  sp_cli_dump_options(t);
  c->run(sub ? 2 : 1, argv);
  sp_cli_dump_options(NULL);
  fflush(stderr);
  if (saved >= 0) {
    dup2(saved, STDERR_FILENO);
    close(saved);
  }
  if (devnull != NULL) fclose(devnull);
  char *s = slurp(t);
  fclose(t);
  return s;
}

static const sp_command *find(const sp_command_docs *d, const char *name) {
  for (size_t i = 0; i < d->n; i++)
    if (strcmp(d->commands[i].name, name) == 0) return &d->commands[i];
  return NULL;
}

/* Roff for one line of text: backslashes escaped, a leading '.' or '\''
 * guarded, '-' written as "\-" (a minus, so options can be searched). */
static void roff_line(FILE *out, const char *s, size_t len) {
  if (len > 0 && (s[0] == '.' || s[0] == '\'')) fputs("\\&", out);
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\\')
      fputs("\\e", out);
    else if (s[i] == '-')
      fputs("\\-", out);
    else
      fputc(s[i], out);
  }
  fputc('\n', out);
}

static void roff_text(FILE *out, const char *text) {
  while (*text) {
    size_t n = strcspn(text, "\n");
    roff_line(out, text, n);
    text += n + (text[n] == '\n');
  }
}

static int man(const sp_command_docs *d, FILE *out) {
  const char *prog = sp_cli_prog();
  char upper[64];
  size_t k = 0;
  for (; prog[k] && k + 1 < sizeof upper; k++)
    upper[k] =
        (char)(prog[k] >= 'a' && prog[k] <= 'z' ? prog[k] - 32 : prog[k]);
  upper[k] = '\0';
  fprintf(out, ".TH %s 1 \"\" \"subpow\" \"User Commands\"\n", upper);
  fprintf(out,
          ".SH NAME\n%s \\- the proof of work of Bittensor's Subtensor "
          "chain\n",
          prog);
  fprintf(out, ".SH SYNOPSIS\n.B %s\n.I SUBCOMMAND\n[\\fIOPTIONS\\fR]\n", prog);
  fputs(".SH DESCRIPTION\n.nf\n", out);
  FILE *t = tmpfile();
  if (t == NULL) return SP_EXIT_USAGE;
  d->usage(t);
  char *u = slurp(t);
  fclose(t);
  if (u == NULL) return SP_EXIT_USAGE;
  roff_text(out, u);
  free(u);
  fputs(".fi\n.SH SUBCOMMANDS\n", out);
  for (size_t i = 0; i < d->n; i++) {
    char *h = help_of(&d->commands[i]);
    if (h == NULL) return SP_EXIT_USAGE;
    fprintf(out, ".SS %s\n", d->commands[i].name);
    roff_line(out, d->commands[i].summary, strlen(d->commands[i].summary));
    fputs(".PP\n.nf\n", out);
    roff_text(out, h);
    fputs(".fi\n", out);
    free(h);
  }
  fprintf(out, ".SH FILES\n.TP\n~/.bittensor/config.yml\nbtcli's "
               "configuration: wallet_name, wallet_hotkey, wallet_path and "
               "network give defaults (or the file in BTCLI_CONFIG_PATH).\n"
               ".TP\n~/.bittensor/wallets\nbtcli wallets.\n");
  fprintf(out, ".SH ENVIRONMENT\n.TP\nBTCLI_CONFIG_PATH\nbtcli's "
               "configuration file.\n.TP\nSUBPOW_MPI\non or off: run as one "
               "job under mpirun, or each process alone.\n");
  fprintf(out, ".SH SEE ALSO\n.BR btcli (1)\n");
  return SP_EXIT_OK;
}

/* The options of a captured list, space-separated, "=" dropped. */
static void words(FILE *out, const char *list) {
  bool first = true;
  while (*list) {
    size_t n = strcspn(list, "=\n");
    if (n > 0) {
      fprintf(out, "%s%.*s", first ? "" : " ", (int)n, list);
      first = false;
    }
    list += n;
    list += strcspn(list, "\n");
    if (*list == '\n') list++;
  }
}

static int completion(const sp_command_docs *d, FILE *out) {
  const char *prog = sp_cli_prog();
  char fn[80] = "_";
  for (size_t i = 0; prog[i] && i + 2 < sizeof fn; i++)
    fn[i + 1] = (char)((prog[i] >= 'a' && prog[i] <= 'z') ||
                               (prog[i] >= 'A' && prog[i] <= 'Z') ||
                               (prog[i] >= '0' && prog[i] <= '9')
                           ? prog[i]
                           : '_');
  fprintf(out,
          "# bash completion for %s, made by `%s --completion bash` from the\n"
          "# option tables --help describes.\n"
          "%s() {\n"
          "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"${COMP_WORDS[1]}\"\n"
          "  local sub=\"${COMP_WORDS[2]}\" opts=\"\"\n"
          "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "    COMPREPLY=($(compgen -W \"",
          prog, prog, fn);
  for (size_t i = 0; i < d->n; i++)
    fprintf(out, "%s ", d->commands[i].name);
  fprintf(out, "--help --version --mpi --no-mpi\" -- \"$cur\"))\n"
               "    return\n"
               "  fi\n"
               "  case \"$cmd\" in\n");
  for (size_t i = 0; i < d->n; i++) {
    const sp_command *c = &d->commands[i];
    const char *const *subs = subs_of(c->name);
    fprintf(out, "  %s)\n", c->name);
    if (subs == NULL) {
      char *o = options_of(c, NULL);
      if (o == NULL) return SP_EXIT_USAGE;
      fputs("    opts=\"", out);
      words(out, o);
      fputs("\" ;;\n", out);
      free(o);
      continue;
    }
    fputs("    case \"$sub\" in\n", out);
    for (const char *const *s = subs; *s; s++) {
      char *o = options_of(c, *s);
      if (o == NULL) return SP_EXIT_USAGE;
      fprintf(out, "    %s) opts=\"", *s);
      words(out, o);
      fputs("\" ;;\n", out);
      free(o);
    }
    fputs("    *) opts=\"", out);
    for (const char *const *s = subs; *s; s++)
      fprintf(out, "%s%s", s == subs ? "" : " ", *s);
    fputs(" --help\" ;;\n    esac ;;\n", out);
  }
  fprintf(out,
          "  esac\n"
          "  if [[ \"$cur\" == -* ]] || { [ -n \"${opts%%%%--*}\" ] && "
          "[ \"$COMP_CWORD\" -eq 2 ]; }; then\n"
          "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "  else\n"
          "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "  fi\n"
          "}\n"
          "complete -F %s %s\n",
          fn, prog);
  return SP_EXIT_OK;
}

int sp_cli_docs_main(const sp_command_docs *d, int argc, char **argv) {
  if (argc < 2) return SP_CLI_DOCS_NOT_MINE;
  if (strcmp(argv[1], "--man") == 0) {
    if (argc != 2) return sp_cli_fail("--man", "takes no argument");
    return man(d, stdout);
  }
  if (strcmp(argv[1], "--completion") == 0) {
    if (argc != 3 || strcmp(argv[2], "bash") != 0)
      return sp_cli_fail("--completion",
                         "the shell is bash: --completion bash");
    return completion(d, stdout);
  }
  if (strcmp(argv[1], "--options") == 0) {
    const sp_command *c = argc >= 3 ? find(d, argv[2]) : NULL;
    if (c == NULL || argc > 4)
      return sp_cli_fail("--options", "give a subcommand (see %s --help)",
                         sp_cli_prog());
    const char *const *subs = subs_of(c->name);
    const char *sub = argc == 4 ? argv[3] : NULL;
    bool known = sub == NULL && subs == NULL;
    for (const char *const *s = subs; s && *s && sub; s++)
      known |= strcmp(*s, sub) == 0;
    if (!known)
      return sp_cli_fail("--options", "%s: give one of its subcommands",
                         c->name);
    char *o = options_of(c, sub);
    if (o == NULL) return SP_EXIT_USAGE;
    fputs(o, stdout);
    free(o);
    return SP_EXIT_OK;
  }
  return SP_CLI_DOCS_NOT_MINE;
}
