/* `--backend auto` for every subcommand that opens a backend: the choice is
 * the engine's (autoselect/auto_backend.h); this prints what happened the first
 * time, when a verification actually ran. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/cli_auto.h"

#include "autoselect/auto_backend.h"
#include "bench/cli.h"
#include "bench/data_dir.h"

#ifndef SUBPOW_VECTORS_DIR
#define SUBPOW_VECTORS_DIR "vectors"
#endif

int sp_cli_open_auto(const char *cmd, const sp_backend_options *opts,
                     const sp_backend_vtable **vt, sp_backend **b) {
  sp_auto_config cfg = {.vectors_dir =
                            sp_data_dir("vectors", SUBPOW_VECTORS_DIR)};
  sp_auto_report rep;
  sp_error_record err = {0};
  /* The first run verifies and measures every backend (seconds): on a
   * terminal say so while it happens, and erase the line afterwards (a
   * cached choice takes milliseconds and leaves nothing; what a fresh one
   * found is printed below, for logs too). */
  bool tty = isatty(fileno(stderr)) && !sp_cli_quiet();
  if (tty) {
    fprintf(stderr,
            "%s %s: --backend auto: choosing a backend (the first time on "
            "this machine each backend is verified and measured, a few "
            "seconds)...",
            sp_cli_prog(), cmd);
    fflush(stderr);
  }
  int orc = sp_auto_backend_open(&cfg, opts, vt, b, &rep, &err);
  if (tty) fputs("\r\x1b[2K", stderr);
  if (orc != 0) return sp_cli_fail(cmd, "--backend auto: %s", err.message);
  bool fresh = false;
  for (size_t i = 0; i < rep.n; i++)
    fresh |= rep.c[i].status != SP_AUTO_UNAVAILABLE && !rep.c[i].from_cache;
  if (fresh && !sp_cli_quiet()) {
    fprintf(stderr,
            "%s %s: --backend auto: checked this build's backends "
            "(cached in %s):\n",
            sp_cli_prog(), cmd, rep.cache_path);
    for (size_t i = 0; i < rep.n; i++) {
      const sp_auto_candidate *c = &rep.c[i];
      if (c->status == SP_AUTO_VERIFIED)
        fprintf(stderr, "  %-10s verified (%lu checks), %.3f MH/s%s%s\n",
                c->vt->name, c->entry.passed, c->entry.hashes_per_second / 1e6,
                c->entry.rate_disturbed
                    ? " (machine busy: measured again next time)"
                    : "",
                (int)i == rep.chosen ? "  <- chosen" : "");
      else if (c->status == SP_AUTO_FAILED)
        fprintf(stderr, "  %-10s FAILED verification: %s\n", c->vt->name,
                c->note);
      else
        fprintf(stderr, "  %-10s unavailable: %s\n", c->vt->name, c->note);
    }
  }
  if (rep.cache_note[0])
    fprintf(stderr, "%s %s: --backend auto: %s\n", sp_cli_prog(), cmd,
            rep.cache_note);
  return 0;
}
