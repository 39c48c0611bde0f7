/* The status-display flags; see status_args.h. */
#include "bench/status_args.h"

const char sp_status_args_help[] =
    "  --output-in-place      redraw the status in place (default on a "
    "terminal)\n"
    "  --no-output-in-place   one status line per update (default otherwise)\n"
    "  --verbose              add the time of the last round and the average\n"
    "  --quiet                no status on stderr: results and errors only\n"
    "Without a terminal a status line is written at most every 10 s.\n";

void sp_status_args_init(sp_status_args *a) {
  a->in_place = -1;
  a->verbose = false;
}

bool sp_status_args_take(sp_status_args *a, int opt) {
  switch (opt) {
  case 1100: a->in_place = 1; return true;
  case 1101: a->in_place = 0; return true;
  case 1102: a->verbose = true; return true;
  default: return false;
  }
}

void sp_status_args_logger(const sp_status_args *a, FILE *out,
                           sp_stats_logger *l) {
  bool in_place = a->in_place < 0 ? sp_stats_logger_default_in_place(out)
                                  : a->in_place == 1;
  sp_stats_logger_init(l, sp_cli_quiet() ? NULL : out, in_place, a->verbose);
}
