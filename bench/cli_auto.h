/* `--backend auto` for the commands that open a backend. */
#ifndef SUBPOW_BENCH_CLI_AUTO_H
#define SUBPOW_BENCH_CLI_AUTO_H

#include "backend/backend.h"

/* Verifies on first use, caches, opens the fastest verified backend
 * (autoselect/auto_backend.h), printing what was checked when a
 * verification actually ran. Returns 0, or SP_EXIT_USAGE after one line on
 * stderr. */
int sp_cli_open_auto(const char *cmd, const sp_backend_options *opts,
                     const sp_backend_vtable **vt, sp_backend **b);

#endif /* SUBPOW_BENCH_CLI_AUTO_H */
