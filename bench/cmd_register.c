/* bench register / bench faucet: a proof-of-work registration (or faucet
 * claim) end to end; the flow itself is registration/registration.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/backend_args.h"
#include "bench/cli.h"
#include "bench/commands.h"
#include "bench/fleet_cmd.h"
#include "bench/json_out.h"
#include "bench/status_args.h"
#include "bench/wallet_args.h"
#include "chain/client/endpoint.h"
#include "chain/keys/password.h"
#include "chain/keys/ss58.h"
#include "chain/mock/mock_node.h"
#include "engine/stats_logger.h"
#include "engine/stop_signal.h"
#include "fleet/fleet.h"
#include "registration/burn_quote.h"
#include "registration/registration.h"

static const char help_register[] =
    "usage: bench register [--network NAME|URL] [--netuid N] [wallet options]\n"
    "                      [--backend auto|cpu|cuda|reference] [backend "
    "options]\n"
    "                      [--max-attempts N] [--rule "
    "auto|sdk|chain-be|chain-le]\n"
    "                      [--burned [--max-burn TAO] [--no-prompt|-y]]\n"
    "                      [--password-file F] [--journal FILE]\n"
    "                      [--seconds S] [--json] [status options]\n"
    "\n"
    "Registers the wallet's hotkey on a subnet by proof of work, as the chain\n"
    "checks it: the subnet must exist and allow PoW registration; a hotkey\n"
    "already registered is reported with its uid (exit 0); the runtime's\n"
    "spec_version picks the difficulty rule (--rule auto: chain-be below 283,\n"
    "chain-le from 283); from spec 397 (finney today) the chain ignores the\n"
    "work and burns TAO from the coldkey instead, which is done only with\n"
    "--burned (see \"Burned registration\" below).\n"
    "It solves on the newest block with the backend (default auto: the\n"
    "fastest that passed bench verify here), republishing work on every new\n"
    "block; journals each solution before submitting it; submits only while\n"
    "the chain can include it; waits for the block; reports the uid or the\n"
    "chain's error by name and docs; tries up to --max-attempts (default 3).\n"
    "\n"
    "  --network N   mock (default: an embedded mock node), finney, test,\n"
    "                archive, local, or an http(s)/ws(s) URL\n"
    "  --netuid N    default 1\n"
    "  --journal F   default <wallet-path>/<wallet-name>/subpow-journal.jsonl\n"
    "  --seconds S   give up after S seconds in all, the inclusion watch\n"
    "                included (default: never); a watch lasts at most 6\n"
    "                block times as measured (12 s until seen), 5 to 120 s\n"
    "  --poll-ms MS  how often the node is asked for a new block (default "
    "500)\n"
    "                when it cannot be subscribed to (HTTP, or a node\n"
    "                without chain_subscribeNewHeads)\n"
    "  --transport T http or ws (default: ws for network names and ws(s)://\n"
    "                URLs, http for http(s):// URLs)\n"
    "  --rpc-timeout-ms MS  give up on one request after MS (default 60000)\n"
    "  --json        one JSON summary object on stdout (status always goes\n"
    "                to stderr; --quiet silences it):\n"
    "                hotkey, netuid, block_number, nonce, seal, uid, "
    "attempts,\n"
    "                hashes_per_second, seconds, ...\n"
    "\n"
    "Burned registration (--burned, runtimes from spec 397): before anything\n"
    "is signed, the price Burn[netuid], the coldkey's free balance, the\n"
    "hotkey's uid and its owner are read and printed (TAO and rao); it is\n"
    "refused by name when the balance cannot pay (NotEnoughBalanceToStake),\n"
    "the hotkey belongs to another coldkey (NonAssociatedColdKey), the price\n"
    "is above the cap (RegistrationPriceLimitExceeded), the subnet is root\n"
    "(RegistrationNotPermittedOnRootSubnet), missing (SubnetNotExists) or\n"
    "closed (SubNetRegistrationDisabled); the chain may still refuse with\n"
    "NoNeuronIdAvailable (no uid free or prunable).\n"
    "  --max-burn TAO  the most TAO the burn may cost. Where the runtime has\n"
    "                SubtensorModule.register_limit, that is submitted with\n"
    "                the cap as limit_price: the chain itself refuses a\n"
    "                higher price, nothing is paid. Where it has not, the\n"
    "                price is read again just before the submission (one\n"
    "                round trip) and the extrinsic carries a 4-block mortal\n"
    "                era: the price of the block that includes it can still\n"
    "                differ from the one read, within those few blocks.\n"
    "  --no-prompt, -y  never ask. Without --max-burn, bench asks on a\n"
    "                terminal (price and balance shown; the price agreed to\n"
    "                becomes the cap) and refuses without a terminal or with\n"
    "                --no-prompt/-y.\n"
    "After inclusion it prints what the coldkey's balance fell by (the burn\n"
    "and any fee), read from the chain at the quote's block and the block\n"
    "that included it. The journal records the quote, the submission and\n"
    "the outcome (kind \"burned\"); a burned registration is never resent.\n"
    "\n"
    "Exit status: 0 registered (newly or already), 1 refused by the chain or\n"
    "attempts ran out, 2 usage, input, wallet or node errors, 124 the "
    "--seconds\n"
    "limit ran out (\"status\": \"time_limit\"; as timeout(1)), 128 + "
    "signal.\n";

static const char help_wallet_opts[] =
    "wallet options (btcli's; each also read from btcli's config, see below):\n"
    "  --wallet-path P    default ~/.bittensor/wallets (btcli: --wallet.path,\n"
    "                     --wallet_path, -p)\n"
    "  --wallet-name W    default 'default' (btcli: --wallet.name, --name)\n"
    "  --wallet-hotkey H  default 'default' (btcli: --wallet.hotkey, "
    "--hotkey,\n"
    "                     -H)\n"
    "  --no-prompt        ask nothing (btcli: -y, --yes, --no_prompt)\n"
    "Defaults not given as flags come from btcli's config file\n"
    "($BTCLI_CONFIG_PATH, else ~/.bittensor/config.yml: wallet_path,\n"
    "wallet_name, wallet_hotkey, network); --verbose says where each came\n"
    "from. --network also takes btcli's --subtensor.network, --chain and\n"
    "--subtensor.chain_endpoint.\n";

static const char help_faucet[] =
    "usage: bench faucet [--network NAME|URL] [wallet options] [--backend B]\n"
    "                    [backend options] [--max-attempts N] [--rule R]\n"
    "                    [--password-file F] [--journal FILE] [--seconds S]\n"
    "                    [--json] [status options]\n"
    "\n"
    "Claims test TAO from SubtensorModule.faucet on chains built with the\n"
    "pow-faucet feature (local chains, the mock node): the seal is computed\n"
    "with the coldkey's public key at difficulty 1,000,000 and the extrinsic\n"
    "is signed by the coldkey (its password from --password-file, the\n"
    "environment variable " SP_PASSWORD_ENV ", or a prompt). Other options\n"
    "(--network, --journal, --seconds, --poll-ms, --transport,\n"
    "--rpc-timeout-ms, --max-attempts, --rule, --json) as bench register;\n"
    "--netuid, --burned and --max-burn are register's only; --no-prompt\n"
    "(-y) is taken and changes nothing (a claim spends no TAO).\n"
    "Exit status: 0 paid, 1 refused (e.g. FaucetDisabled),\n"
    "2 errors, 124 the --seconds limit ran out, 128 + signal.\n";

/* The status of a run on stderr. The command's own first lines (the mock
 * node, the hotkey) wait until the flow says something: an error found
 * before the run starts (a journal that cannot be written) then stays the
 * one line on stderr. */
typedef struct reporter {
  sp_stats_logger logger;
  char pending[2][512];
  int n_pending;
} reporter;

static void rep_flush(reporter *r) {
  for (int i = 0; i < r->n_pending; i++)
    sp_stats_logger_note(&r->logger, r->pending[i]);
  r->n_pending = 0;
}

static void rep_hold(reporter *r, const char *line) {
  if (r->n_pending < 2)
    snprintf(r->pending[r->n_pending++], sizeof r->pending[0], "%s", line);
}

static void rep_note(void *user, const char *line) {
  rep_flush(user);
  sp_stats_logger_note(&((reporter *)user)->logger, line);
}

static void rep_stats(void *user, const sp_solve_stats *s) {
  rep_flush(user);
  sp_stats_logger_update(&((reporter *)user)->logger, s);
  sp_fleet_status(&((reporter *)user)->logger, s); /* --verbose: per host */
}

/* TAO as a JSON string with 9 decimals (exact), beside the rao. */
static json_t *tao_json(uint64_t rao) {
  char t[40];
  snprintf(t, sizeof t, "%" PRIu64 ".%09" PRIu64, rao / 1000000000u,
           rao % 1000000000u);
  return json_string(t);
}

/* The burned registration's numbers: the quote read before signing, the
 * cap, the call, and what was paid. */
static json_t *burned_json(const sp_registration_result *r) {
  const sp_burn_quote *q = &r->quote;
  char owner[SP_SS58_ADDRESS_MAX] = "";
  if (q->has_owner) sp_ss58_encode(q->owner, 42, owner, sizeof owner);
  json_t *b = json_pack(
      "{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "block", sp_json_u64(q->block),
      "price_rao", sp_json_u64(q->price_rao), "price_tao",
      tao_json(q->price_rao), "balance_rao", sp_json_u64(q->balance_rao),
      "balance_tao", tao_json(q->balance_rao), "owner",
      q->has_owner ? json_string(owner) : json_null(), "register_limit",
      q->has_register_limit);
  if (b == NULL) return json_null();
  json_object_set_new(b, "cap_rao",
                      r->have_cap ? sp_json_u64(r->cap_rao) : json_null());
  json_object_set_new(b, "cap_tao",
                      r->have_cap ? tao_json(r->cap_rao) : json_null());
  json_object_set_new(b, "call",
                      r->call[0] ? json_string(r->call) : json_null());
  json_object_set_new(b, "paid_rao",
                      r->have_paid ? sp_json_u64(r->paid_rao) : json_null());
  json_object_set_new(b, "paid_tao",
                      r->have_paid ? tao_json(r->paid_rao) : json_null());
  json_object_set_new(b, "balance_after_rao",
                      r->have_paid ? sp_json_u64(r->balance_after_rao)
                                   : json_null());
  return b;
}

static void json_summary(const char *network, const sp_registration_options *o,
                         const char *hot_ss58, const char *cold_ss58,
                         const sp_registration_result *r) {
  static const char *status[] = {"registered", "refused", "error", "signal",
                                 "time_limit"};
  json_t *j = json_pack("{s:s, s:o, s:s, s:s, s:i}", "status",
                        o->kind == SP_REG_FAUCET && r->status == SP_REG_DONE
                            ? "paid"
                            : status[r->status],
                        "network", sp_json_str(network), "hotkey", hot_ss58,
                        "coldkey", cold_ss58, "netuid", (int)o->netuid);
  if (j == NULL) return;
  if (r->have_solution) {
    char seal[65];
    sp_hex_encode(r->seal, 32, seal);
    json_object_set_new(j, "block_number", sp_json_u64(r->block_number));
    json_object_set_new(j, "nonce", sp_json_u64(r->nonce));
    json_object_set_new(j, "seal", json_string(seal));
  } else {
    json_object_set_new(j, "block_number", json_null());
    json_object_set_new(j, "nonce", json_null());
    json_object_set_new(j, "seal", json_null());
  }
  json_object_set_new(j, "uid",
                      r->have_uid ? json_integer(r->uid) : json_null());
  json_object_set_new(j, "already_registered", json_boolean(r->already));
  json_object_set_new(j, "attempts", json_integer(r->attempts));
  json_object_set_new(j, "hashes", sp_json_u64(r->hashes));
  json_object_set_new(j, "hashes_per_second",
                      sp_json_fixed(r->hashes_per_second, 0));
  json_object_set_new(j, "seconds", sp_json_fixed(r->seconds, 3));
  json_object_set_new(j, "spec_version", json_integer(r->spec_version));
  json_object_set_new(j, "rule", json_string(sp_rule_name(r->rule)));
  json_object_set_new(j, "difficulty", sp_json_u64(r->difficulty));
  if (o->kind == SP_REG_FAUCET)
    json_object_set_new(j, "faucet_rao", sp_json_u64(r->faucet_amount));
  if (r->have_quote) json_object_set_new(j, "burned", burned_json(r));
  if (r->refusal[0] != '\0')
    json_object_set_new(j, "refusal", json_string(r->refusal));
  if (r->message[0] != '\0')
    json_object_set_new(j, "message", sp_json_str(r->message));
  sp_json_print(stdout, j);
}

/* Everything the command line says, read before anything slow runs. */
typedef struct register_args {
  sp_registration_options o;
  const char *network, *password_file, *journal;
  bool json;
  bool no_prompt; /* --no-prompt/-y/--yes (btcli's): ask nothing */
  sp_wallet_location loc;
  sp_backend_args ba;
  sp_status_args sa;
} register_args;

static void print_help(sp_reg_kind kind) {
  sp_cli_help(stdout, kind == SP_REG_FAUCET ? help_faucet : help_register);
  sp_cli_help(stdout, help_wallet_opts);
  fputs(sp_status_args_help, stdout);
  fputs("backend options:\n", stdout);
  sp_backend_args_print_help(stdout);
  sp_cli_help_end(stdout);
}

/* Reads argv into *a, every flag checked before anything slow (the
 * wallet's key files, the auto backend's calibration, a node). Returns 0,
 * SP_EXIT_USAGE after one line on stderr, or SP_CLI_DONE after --help or
 * --isa help (bench/cli.h: the help was printed and the command ends with
 * SP_EXIT_OK). */
static int parse_args(const char *cmd, sp_reg_kind kind, int argc, char **argv,
                      register_args *a) {
  static const struct option opts[] = {
      {"network", required_argument, NULL, 'n'},
      {"netuid", required_argument, NULL, 'u'},
      {"max-attempts", required_argument, NULL, 'a'},
      {"rule", required_argument, NULL, 'r'},
      {"burned", no_argument, NULL, 'B'},
      {"max-burn", required_argument, NULL, 'M'},
      {"password-file", required_argument, NULL, 'P'},
      {"journal", required_argument, NULL, 'J'},
      {"seconds", required_argument, NULL, 's'},
      {"poll-ms", required_argument, NULL, 'p'},
      {"transport", required_argument, NULL, 'T'},
      {"rpc-timeout-ms", required_argument, NULL, 'R'},
      {"json", no_argument, NULL, 'j'},
      {"no-prompt", no_argument, NULL, 'y'},
      {"help", no_argument, NULL, 'h'},
      SP_WALLET_LOCATION_LONGOPTS,
      SP_STATUS_LONGOPTS,
      SP_BACKEND_LONGOPTS,
      {0}};
  memset(a, 0, sizeof *a);
  sp_registration_options_default(&a->o);
  a->o.kind = kind;
  a->network = NULL; /* a flag, else btcli's config, else mock */
  sp_status_args_init(&a->sa);
  long v = 0;
  int c;
  sp_cli_reset();
  while ((c = sp_cli_next(cmd, argc, argv, sp_backend_longopts(opts))) != -1) {
    switch (c) {
    case 'n': a->network = optarg; break;
    case 'u':
      if (kind == SP_REG_FAUCET)
        return sp_cli_fail(cmd, "the faucet takes no --netuid");
      if (sp_cli_int(cmd, "--netuid", optarg, 0, 65535, &v))
        return SP_EXIT_USAGE;
      a->o.netuid = (uint16_t)v;
      break;
    case 'a':
      if (sp_cli_int(cmd, "--max-attempts", optarg, 1, 1000, &v))
        return SP_EXIT_USAGE;
      a->o.max_attempts = (unsigned)v;
      break;
    case 'r':
      if (strcmp(optarg, "auto") == 0) {
        a->o.rule_auto = true;
      } else {
        if (sp_rule_parse(optarg, &a->o.rule) != 0)
          return sp_cli_fail(
              cmd, "--rule: '%s' is not auto, sdk, chain-be or chain-le",
              optarg);
        a->o.rule_auto = false;
      }
      break;
    case 'B':
      if (kind == SP_REG_FAUCET)
        return sp_cli_fail(cmd, "--burned is for %s register", sp_cli_prog());
      a->o.allow_burned = true;
      break;
    case 'M':
      if (kind == SP_REG_FAUCET)
        return sp_cli_fail(cmd, "--max-burn is for %s register --burned",
                           sp_cli_prog());
      if (sp_tao_parse(optarg, &a->o.max_burn_rao) != 0)
        return sp_cli_fail(
            cmd,
            "--max-burn: '%s' is not an amount of TAO (digits, at "
            "most 9 decimals, e.g. 0.5)",
            optarg);
      a->o.have_max_burn = true;
      break;
    case 'P': a->password_file = optarg; break;
    case 'J': a->journal = optarg; break;
    case 's':
      if (sp_cli_seconds(cmd, "--seconds", optarg, 0.1, 1e7,
                         &a->o.time_limit_s))
        return SP_EXIT_USAGE;
      break;
    case 'p':
      if (sp_cli_int(cmd, "--poll-ms", optarg, 10, 60000, &v))
        return SP_EXIT_USAGE;
      a->o.poll_ms = (unsigned)v;
      break;
    case 'T':
      if (sp_rpc_transport_parse(optarg, &a->o.transport) != 0)
        return sp_cli_fail(cmd, "--transport: '%s' is not http or ws", optarg);
      break;
    case 'R':
      if (sp_cli_int(cmd, "--rpc-timeout-ms", optarg, 100, 600000, &v))
        return SP_EXIT_USAGE;
      a->o.rpc_timeout_ms = v;
      break;
    case 'j': a->json = true; break;
    case 'y': a->no_prompt = true; break;
    case 'h': print_help(kind); return SP_CLI_DONE;
    default:
      if (sp_wallet_location_take(&a->loc, c, optarg) ||
          sp_status_args_take(&a->sa, c))
        break;
      if (sp_backend_args_is_option(c)) {
        int rc = sp_backend_args_take(cmd, &a->ba, c, optarg);
        if (rc != 0) return rc; /* SP_CLI_DONE: as after --help */
        break;
      }
      return SP_EXIT_USAGE;
    }
  }
  if (sp_cli_no_positional(cmd, argc, argv)) return SP_EXIT_USAGE;
  if (a->o.have_max_burn && !a->o.allow_burned)
    return sp_cli_fail(cmd, "--max-burn is for --burned");
  a->loc.verbose = a->sa.verbose;
  if (sp_wallet_location_defaults(cmd, &a->loc, &a->network, "mock"))
    return SP_EXIT_USAGE;
  /* --network is a name or a URL. */
  if (strcmp(a->network, "mock") != 0) {
    char resolved[256];
    sp_chain_error nerr = {0};
    if (sp_endpoint_resolve(a->network, resolved, sizeof resolved, &nerr) !=
        0) {
      /* the names the command takes: the endpoint's and the mock */
      static const char *const names[] = {"mock", "finney", "test", "archive",
                                          "local"};
      const char *near = strstr(a->network, "://") == NULL
                             ? sp_cli_suggest(a->network, names, 5)
                             : NULL;
      if (near != NULL)
        return sp_cli_fail(cmd,
                           "--network: unknown network '%s'; did you mean "
                           "'%s'? (mock, finney, test, archive, local, or a "
                           "ws(s):// or http(s):// URL)",
                           a->network, near);
      if (strstr(a->network, "://") == NULL)
        return sp_cli_fail(cmd,
                           "--network: unknown network '%s' (mock, finney, "
                           "test, archive, local, or a ws(s):// or http(s):// "
                           "URL)",
                           a->network);
      return sp_cli_fail(cmd, "--network: %s", nerr.message);
    }
  }
  return 0;
}

/* The keys a run signs with: the hotkey signs a registration, the coldkey
 * a faucet claim or a burned registration. The coldkey's public key comes
 * from coldkeypub.txt, which needs no password. */
typedef struct register_keys {
  sp_wallet w;
  sp_signer signer, cold_signer;
  bool have_signer, have_cold;
  uint8_t hotkey[32], coldkey[32];
  char hot_ss58[SP_SS58_ADDRESS_MAX], cold_ss58[SP_SS58_ADDRESS_MAX];
} register_keys;

static void close_keys(register_keys *k) {
  if (k->have_signer) sp_wallet_close_signer(&k->signer);
  if (k->have_cold) sp_wallet_close_signer(&k->cold_signer);
  k->have_signer = k->have_cold = false;
}

/* Opens the keys of `a`'s wallet for the run; sets a->o.coldkey_signer
 * when the coldkey signs. Returns 0, or SP_EXIT_USAGE after one line (and
 * nothing left open). */
static int open_keys(const char *cmd, sp_reg_kind kind, register_args *a,
                     register_keys *k) {
  memset(k, 0, sizeof *k);
  if (sp_wallet_location_open(cmd, &a->loc, &k->w)) return SP_EXIT_USAGE;
  sp_password_source pw = {
      .file = a->password_file, .env_name = SP_PASSWORD_ENV, .prompt = true};
  sp_keyfile_info info;
  memset(&info, 0, sizeof info);
  int rc = sp_wallet_address(&k->w, SP_WALLET_COLDKEYPUB, &pw, k->cold_ss58,
                             k->coldkey, &info);
  if (rc != 0)
    return sp_cli_key_fail(cmd, sp_wallet_path(&k->w, SP_WALLET_COLDKEYPUB), rc,
                           &info);
  if (kind == SP_REG_REGISTER) {
    rc = sp_wallet_open_signer(&k->w, SP_WALLET_HOTKEY, &pw, &k->signer, &info);
    if (rc != 0)
      return sp_cli_key_fail(cmd, sp_wallet_path(&k->w, SP_WALLET_HOTKEY), rc,
                             &info);
    sp_cli_warn_permissions(cmd, sp_wallet_path(&k->w, SP_WALLET_HOTKEY),
                            &info);
    k->have_signer = true;
    memcpy(k->hotkey, k->signer.public_key, 32);
    sp_ss58_encode(k->hotkey, 42, k->hot_ss58, sizeof k->hot_ss58);
  }
  if (kind == SP_REG_FAUCET || a->o.allow_burned) {
    rc = sp_wallet_open_signer(&k->w, SP_WALLET_COLDKEY, &pw, &k->cold_signer,
                               &info);
    if (rc != 0) {
      close_keys(k);
      return sp_cli_key_fail(cmd, sp_wallet_path(&k->w, SP_WALLET_COLDKEY), rc,
                             &info);
    }
    sp_cli_warn_permissions(cmd, sp_wallet_path(&k->w, SP_WALLET_COLDKEY),
                            &info);
    k->have_cold = true;
    if (memcmp(k->cold_signer.public_key, k->coldkey, 32) != 0) {
      close_keys(k);
      return sp_cli_fail(cmd, "%s does not match the coldkey in %s",
                         sp_wallet_path(&k->w, SP_WALLET_COLDKEYPUB),
                         sp_wallet_path(&k->w, SP_WALLET_COLDKEY));
    }
    a->o.coldkey_signer = &k->cold_signer;
    if (kind == SP_REG_FAUCET) {
      memcpy(k->hotkey, k->coldkey, 32);
      snprintf(k->hot_ss58, sizeof k->hot_ss58, "%s", k->cold_ss58);
    }
  }
  return 0;
}

/* The embedded mock node of --network mock, at its defaults; its URL into
 * url and a line naming what it runs (read from its configuration) into
 * note. NULL after one line on stderr. */
static sp_mock_node *start_mock(const char *cmd, sp_rpc_transport transport,
                                char *url, size_t url_cap, char *note,
                                size_t note_cap) {
  sp_mock_config mc;
  sp_mock_config_default(&mc);
  mc.port = 0;
  sp_error_record err = {0};
  sp_mock_node *mock = sp_mock_start(&mc, &err);
  if (mock == NULL) {
    sp_cli_fail(cmd, "cannot start the embedded mock node: %s", err.message);
    return NULL;
  }
  /* WebSocket, as the public endpoints: the embedded default takes the
   * same path (--transport http: the mock's HTTP side) */
  if (transport == SP_RPC_TRANSPORT_HTTP)
    sp_mock_url(mock, url, url_cap);
  else
    sp_mock_ws_url(mock, url, url_cap);
  if (mc.n_subnets > 0)
    snprintf(note, note_cap,
             "embedded mock node at %s (runtime %u, subnet %u, difficulty "
             "%" PRIu64 ")",
             url, mc.runtime, mc.subnets[0].netuid, mc.subnets[0].difficulty);
  else
    snprintf(note, note_cap, "embedded mock node at %s (runtime %u)", url,
             mc.runtime);
  return mock;
}

/* The outcome on stdout: the JSON summary, or one line. */
static void print_outcome(const register_args *a, const register_keys *k,
                          sp_reg_status st, const sp_registration_result *r) {
  const sp_registration_options *o = &a->o;
  if (a->json) {
    json_summary(a->network, o, k->hot_ss58, k->cold_ss58, r);
  } else if (st == SP_REG_DONE && o->kind == SP_REG_FAUCET) {
    printf("faucet paid %.9f TAO to %s\n", (double)r->faucet_amount / 1e9,
           k->cold_ss58);
  } else if (st == SP_REG_DONE) {
    if (r->already)
      printf("hotkey %s is already registered on subnet %u: uid %u\n",
             k->hot_ss58, o->netuid, r->uid);
    else if (r->have_uid && r->have_quote)
      printf("registered hotkey %s on subnet %u: uid %u by burn (%s)\n",
             k->hot_ss58, o->netuid, r->uid, r->call);
    else if (r->have_uid)
      printf(
          "registered hotkey %s on subnet %u: uid %u (%u attempt%s, %.1f s)\n",
          k->hot_ss58, o->netuid, r->uid, r->attempts,
          r->attempts == 1 ? "" : "s", r->seconds);
    else
      printf("registered hotkey %s on subnet %u\n", k->hot_ss58, o->netuid);
    if (r->have_quote && r->have_cap && !r->already) {
      char price[64], balance[64], cap[64];
      sp_tao_format(r->quote.price_rao, price, sizeof price);
      sp_tao_format(r->quote.balance_rao, balance, sizeof balance);
      sp_tao_format(r->cap_rao, cap, sizeof cap);
      printf("price at block %" PRIu64 " %s, coldkey balance %s, cap %s\n",
             r->quote.block, price, balance, cap);
    }
    if (r->have_paid) {
      char paid[64], left[64];
      sp_tao_format(r->paid_rao, paid, sizeof paid);
      sp_tao_format(r->balance_after_rao, left, sizeof left);
      printf("paid %s (the coldkey's balance fell from block %" PRIu64
             " to the including block; burn and fee), balance now %s\n",
             paid, r->quote.block, left);
    }
  }
}

/* The confirmation of a burned registration without --max-burn, asked only
 * on a terminal: the price and balance, and "y" or "yes" to go on (the
 * price shown becomes the cap: bench never pays more than agreed). */
static bool confirm_burn(void *user, const sp_burn_quote *q) {
  (void)user;
  char price[64], balance[64];
  sp_tao_format(q->price_rao, price, sizeof price);
  sp_tao_format(q->balance_rao, balance, sizeof balance);
  fprintf(stderr,
          "Burn %s from the coldkey (free balance %s) to register the hotkey?\n"
          "%s [y/N] ",
          price, balance,
          q->has_register_limit
              ? "The price moves every block; this one is submitted as the "
                "limit (register_limit): the chain refuses a higher one."
              : "The price moves every block; it is checked again just before "
                "the submission, and can still move within the next 4 blocks "
                "(this runtime has no register_limit).");
  fflush(stderr);
  char line[64];
  if (fgets(line, sizeof line, stdin) == NULL) return false;
  line[strcspn(line, "\r\n")] = '\0';
  return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 ||
         strcmp(line, "yes") == 0;
}

/* The exit status of an outcome (help_register). */
static int exit_status(sp_reg_status st, const sp_registration_result *r) {
  switch (st) {
  case SP_REG_DONE: return SP_EXIT_OK;
  case SP_REG_REFUSED: return SP_EXIT_NO;
  case SP_REG_SIGNAL: return 128 + r->signal;
  case SP_REG_TIME_LIMIT: return SP_EXIT_TIME_LIMIT;
  default: return SP_EXIT_USAGE;
  }
}

static int run_command(int argc, char **argv, sp_reg_kind kind) {
  const char *cmd = kind == SP_REG_FAUCET ? "faucet" : "register";
  register_args a;
  int prc = parse_args(cmd, kind, argc, argv, &a);
  if (prc != 0) return prc == SP_CLI_DONE ? SP_EXIT_OK : prc;
  sp_registration_options *o = &a.o;
  /* A fleet's other ranks only hash: no wallet, no chain (fleet.h). */
  if (sp_fleet_rank() > 0) return sp_bench_fleet_worker(cmd, &a.ba);

  register_keys k;
  if (open_keys(cmd, kind, &a, &k)) return SP_EXIT_USAGE;
  char journal_path[4200];
  if (a.journal == NULL) {
    snprintf(journal_path, sizeof journal_path, "%s/subpow-journal.jsonl",
             k.w.dir);
    a.journal = journal_path;
  }
  o->journal = a.journal;

  /* The backend: auto is the fastest one verified on this machine. */
  const sp_backend_vtable *vt = NULL;
  sp_backend *b = NULL;
  int status = SP_EXIT_USAGE;
  sp_mock_node *mock = NULL;
  if (sp_cli_open_backend(cmd, a.ba.backend ? a.ba.backend : "auto", &a.ba.opts,
                          &vt, &b))
    goto out;
  o->vts = &vt;
  o->backends = &b;
  o->n_backends = 1;
  if (sp_fleet_active() &&
      sp_fleet_workers(vt, b, &o->vts, &o->backends, &o->n_backends) != 0)
    goto out;

  char url[256], mock_note[400] = "";
  snprintf(url, sizeof url, "%s", a.network);
  if (strcmp(a.network, "mock") == 0) {
    mock = start_mock(cmd, o->transport, url, sizeof url, mock_note,
                      sizeof mock_note);
    if (mock == NULL) goto out;
  }

  reporter rep;
  /* results on stdout, status on stderr, for every command */
  sp_status_args_logger(&a.sa, stderr, &rep.logger);
  o->note = rep_note;
  o->on_stats = rep_stats;
  o->user = &rep;
  /* Asked only on a terminal, and never with --no-prompt/-y (help). */
  o->confirm = !a.no_prompt && isatty(STDIN_FILENO) ? confirm_burn : NULL;
  rep.n_pending = 0;
  if (mock != NULL) rep_hold(&rep, mock_note);
  char line[512];
  snprintf(line, sizeof line, "%s %s with backend %s",
           kind == SP_REG_FAUCET ? "faucet for coldkey" : "registering hotkey",
           k.hot_ss58, vt->name);
  rep_hold(&rep, line);

  sp_stop_signal_clear();
  sp_stop_signal_install();
  sp_registration_result r;
  sp_reg_status st =
      sp_registration_run(url, k.have_signer ? &k.signer : &k.cold_signer,
                          k.hotkey, k.coldkey, o, &r);
  b = NULL; /* the run closed it, or its late worker will */
  sp_stop_signal_restore();
  if (st != SP_REG_ERROR) rep_flush(&rep);
  sp_stats_logger_finish(&rep.logger);
  print_outcome(&a, &k, st, &r);
  if (st != SP_REG_DONE && r.message[0] != '\0')
    sp_cli_fail(cmd, "%s", r.message); /* one sanitized line */
  status = exit_status(st, &r);
out:
  sp_mock_stop(mock);
  if (b != NULL) vt->close(b);
  close_keys(&k);
  fflush(stdout);
  return status;
}

int sp_cmd_register(int argc, char **argv) {
  return run_command(argc, argv, SP_REG_REGISTER);
}

int sp_cmd_faucet(int argc, char **argv) {
  return run_command(argc, argv, SP_REG_FAUCET);
}
