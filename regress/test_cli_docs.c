/* The man page and the bash completion match --help: every line of every
 * command's --help is in the man page, every option a command's parser
 * takes is described by its --help and offered by the completion, and the
 * files the build installs are what the program makes now. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/support/run_command.h"

static const char *const commands[][2] = {
    {"seal", NULL},      {"check", NULL},      {"solve", NULL},
    {"verify", NULL},    {"hashrate", NULL},   {"mine", NULL},
    {"sweep", NULL},     {"register", NULL},   {"faucet", NULL},
    {"mock-node", NULL}, {"wallet", "create"}, {"wallet", "inspect"},
    {"wallet", "sign"},  {"wallet", "verify"},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static char dir[] = "/tmp/subpow-docs-XXXXXX";
static char prog[300];

static void setup(void) {
  cr_assert_not_null(mkdtemp(dir));
  snprintf(prog, sizeof prog, "%s/subpow", dir);
  cr_assert_eq(symlink(SUBPOW_BENCH, prog), 0);
}
static void teardown(void) {
  unlink(prog);
  rmdir(dir);
}
TestSuite(docs, .init = setup, .fini = teardown, .timeout = 300);

/* Runs the program as "subpow"; fails the test unless it exits 0. */
static char *run(const char *a, const char *b, const char *c) {
  char *argv[] = {prog, (char *)a, (char *)b, (char *)c, NULL};
  sp_run_result r;
  cr_assert_eq(sp_run(argv, NULL, &r), 0);
  cr_assert_eq(r.status, 0, "%s %s %s: %s", a, b ? b : "", c ? c : "", r.err);
  free(r.err);
  return r.out;
}

/* The text of a man page without roff's escapes. */
static char *unroff(const char *man) {
  char *out = malloc(strlen(man) + 1);
  char *o = out;
  for (const char *p = man; *p; p++) {
    if ((p == man || p[-1] == '\n') && strncmp(p, "\\&", 2) == 0) {
      p++;
      continue;
    }
    if (p[0] == '\\' && p[1] == '-')
      *o++ = '-', p++;
    else if (p[0] == '\\' && p[1] == 'e')
      *o++ = '\\', p++;
    else
      *o++ = *p;
  }
  *o = '\0';
  return out;
}

static bool has_line(const char *text, const char *line, size_t len) {
  for (const char *p = text; p != NULL && *p; p = strchr(p, '\n')) {
    if (*p == '\n') p++;
    if (strncmp(p, line, len) == 0 && (p[len] == '\n' || p[len] == '\0'))
      return true;
  }
  return false;
}

Test(docs, man_page_holds_every_help_line) {
  char *man = run("--man", NULL, NULL);
  cr_assert(strncmp(man, ".TH SUBPOW 1", 12) == 0, "%.80s", man);
  char *text = unroff(man);
  for (size_t i = 0; i < N_COMMANDS; i++) {
    if (commands[i][1] != NULL && strcmp(commands[i][1], "create") != 0)
      continue; /* the wallet's subcommands share one help */
    char *help = run(commands[i][0], "--help", NULL);
    cr_assert(strncmp(help, "usage: subpow ", 14) == 0, "%s", help);
    for (const char *p = help; *p;) {
      size_t n = strcspn(p, "\n");
      cr_assert(has_line(text, p, n), "%s: man page lacks the help line '%.*s'",
                commands[i][0], (int)n, p);
      p += n + (p[n] == '\n');
    }
    free(help);
  }
  free(text);
  free(man);
}

/* The case arm of `cmd` (and `sub`) in the completion script. */
static char *arm(const char *script, const char *cmd, const char *sub) {
  char key[64];
  snprintf(key, sizeof key, "\n  %s)\n", cmd);
  const char *p = strstr(script, key);
  cr_assert_not_null(p, "no arm for %s", cmd);
  if (sub != NULL) {
    snprintf(key, sizeof key, "\n    %s) opts=\"", sub);
    p = strstr(p, key);
    cr_assert_not_null(p, "no arm for %s %s", cmd, sub);
  }
  p = strstr(p, "opts=\"");
  cr_assert_not_null(p);
  p += 6;
  size_t n = strcspn(p, "\"");
  char *out = malloc(n + 3);
  snprintf(out, n + 3, " %.*s ", (int)n, p);
  return out;
}

Test(docs, every_option_described_and_completed) {
  char *script = run("--completion", "bash", NULL);
  for (size_t i = 0; i < N_COMMANDS; i++) {
    const char *cmd = commands[i][0], *sub = commands[i][1];
    char *opts = run("--options", cmd, sub);
    char *help = run(cmd, "--help", NULL);
    char *words = arm(script, cmd, sub);
    size_t count = 0;
    for (const char *p = opts; *p;) {
      size_t n = strcspn(p, "=\n");
      char name[64], spaced[70];
      snprintf(name, sizeof name, "%.*s", (int)n, p);
      snprintf(spaced, sizeof spaced, " %s ", name);
      cr_assert(strncmp(name, "--", 2) == 0, "%s", name);
      cr_assert_not_null(strstr(help, name),
                         "%s %s: --help does not describe %s", cmd,
                         sub ? sub : "", name);
      cr_assert_not_null(strstr(words, spaced),
                         "%s %s: the completion lacks %s", cmd, sub ? sub : "",
                         name);
      count++;
      p += strcspn(p, "\n");
      if (*p == '\n') p++;
    }
    /* and the completion offers nothing the parser does not take */
    size_t offered = 0;
    for (const char *p = words; (p = strstr(p, " --")) != NULL; p++)
      offered++;
    cr_assert_eq(offered, count, "%s %s: %zu offered, %zu taken", cmd,
                 sub ? sub : "", offered, count);
    free(words);
    free(help);
    free(opts);
  }
  free(script);
}

/* The files the build made (and cmake --install copies) are the program's
 * current output. */
Test(docs, installed_files_are_current) {
  char bench[300], path[400];
  snprintf(bench, sizeof bench, "%s", SUBPOW_BENCH);
  const char *build = dirname(bench);
  const char *files[][3] = {{"subpow.1", "--man", NULL},
                            {"subpow.bash", "--completion", "bash"}};
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/docs-gen/%s", build, files[i][0]);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s: not built", path);
    char *want = run(files[i][1], files[i][2], NULL);
    size_t n = strlen(want);
    char *have = calloc(n + 2, 1);
    size_t got = fread(have, 1, n + 1, f);
    fclose(f);
    cr_assert(got == n && memcmp(have, want, n) == 0, "%s differs from %s %s",
              path, files[i][1], files[i][2] ? files[i][2] : "");
    free(have);
    free(want);
  }
}

/* bash reads the script and completes with it. */
Test(docs, bash_completes) {
  if (access("/bin/bash", X_OK) != 0) {
    cr_skip_test("no /bin/bash");
  }
  char *script = run("--completion", "bash", NULL);
  char path[400];
  snprintf(path, sizeof path, "%s/completion.bash", dir);
  FILE *f = fopen(path, "w");
  fputs(script, f);
  fclose(f);
  char code[1200];
  snprintf(code, sizeof code,
           "set -e; source %s\n"
           "COMP_WORDS=(subpow sea); COMP_CWORD=1; _subpow; echo "
           "\"1:${COMPREPLY[*]}\"\n"
           "COMP_WORDS=(subpow seal --block-h); COMP_CWORD=2; _subpow; "
           "echo \"2:${COMPREPLY[*]}\"\n"
           "COMP_WORDS=(subpow wallet cr); COMP_CWORD=2; _subpow; echo "
           "\"3:${COMPREPLY[*]}\"\n"
           "COMP_WORDS=(subpow wallet sign --mes); COMP_CWORD=3; _subpow; "
           "echo \"4:${COMPREPLY[*]}\"\n",
           path);
  char *argv[] = {"/bin/bash", "-c", code, NULL};
  sp_run_result r;
  cr_assert_eq(sp_run(argv, NULL, &r), 0);
  unlink(path);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_str_eq(r.out, "1:seal\n2:--block-hash\n3:create\n4:--message\n");
  sp_run_result_free(&r);
  free(script);
}
