/*
 * The getopt values of the option groups that several commands share. A
 * command's own options are single characters (below 256); the groups are
 * allotted here, once, above them and apart from each other.
 */
#ifndef SUBPOW_BENCH_OPTION_IDS_H
#define SUBPOW_BENCH_OPTION_IDS_H

enum sp_option_id {
  SP_OPT_BACKEND = 256, /* --backend NAME (backend_args.h) */
  /* SP_OPT_SETTING + i: the i-th setting of sp_backend_settings_all()
   * (registry/registry.h: at most 64) */
  SP_OPT_SETTING,
  SP_OPT_SETTING_END = SP_OPT_SETTING + 64,
  /* SP_OPT_SWEEP_LIST + i: `bench sweep --NAME-list` of that setting */
  SP_OPT_SWEEP_LIST = SP_OPT_SETTING_END,
  SP_OPT_SWEEP_LIST_END = SP_OPT_SWEEP_LIST + 64,
  /* the status display (status_args.h) */
  SP_OPT_OUTPUT_IN_PLACE = SP_OPT_SWEEP_LIST_END,
  SP_OPT_NO_OUTPUT_IN_PLACE,
  SP_OPT_VERBOSE,
  SP_OPT_QUIET, /* --quiet, which every command takes (cli.h) */
  /* the work of one block: seal, solve and mine (cli.h, sp_cli_work) */
  SP_OPT_BLOCK_HASH,
  SP_OPT_HOTKEY,
  SP_OPT_BLOCK_AND_HOTKEY_HASH,
};

#endif /* SUBPOW_BENCH_OPTION_IDS_H */
