/*
 * Load: many `bench register` processes, each with its own wallet, register
 * different hotkeys against ONE mock node at once. Every registration must
 * be recorded exactly once (SubnetworkN == clients, uids 0..N-1 each taken
 * by one client, Uids and Keys agreeing with what each client reported),
 * none lost (every client exits 0 with its uid), and the only failures on
 * the way the chain's own (TooManyRegistrationsThisBlock with 3 per block,
 * a stale work block), each retried.
 *
 * The number of clients is SUBPOW_LOAD_CLIENTS (default 12, which keeps the
 * suite short on 2 cores), the block time SUBPOW_LOAD_BLOCK_MS (500) and the
 * chain's limit of registrations per block SUBPOW_LOAD_PER_BLOCK (3);
 * scripts/load.sh runs it with more clients and a higher
 * limit and writes the rate held to results/load.md. The summary line
 * starts "load:".
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain/keys/wallet.h"
#include "chain/mock/mock_node.h"
#include "chain/mock/mock_state.h"
#include "common/clock.h"
#include "reference/reference.h"
#include "regress/support/process.h"

#define MAX_CLIENTS 64

/* The chain's own refusals, by name (docs/protocol.md section 3). */
static bool chain_error(const char *line) {
  static const char *const own[] = {"TooManyRegistrationsThisBlock",
                                    "InvalidWorkBlock",
                                    "TooManyRegistrationsThisInterval"};
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    if (strstr(line, own[i]) != NULL) return true;
  return false;
}

Test(load, concurrent_clients_register_once_each, .timeout = 300) {
  const char *env = getenv("SUBPOW_LOAD_CLIENTS");
  int n = env ? atoi(env) : 12;
  cr_assert(n >= 1 && n <= MAX_CLIENTS, "SUBPOW_LOAD_CLIENTS=%s", env);

  char dir[64];
  snprintf(dir, sizeof dir, "/tmp/subpow-load-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  sp_bip39_wordlist *wl = malloc(sizeof *wl);
  *wl = *sp_bip39_english();
  uint8_t hotkeys[MAX_CLIENTS][32];
  for (int i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, "c%02d", i);
    sp_wallet w;
    cr_assert_eq(sp_wallet_init(&w, dir, name, NULL), 0);
    sp_wallet_create_options o = {.password = NULL, .wl = wl, .words = 12};
    sp_wallet_created made;
    cr_assert_eq(sp_wallet_create(&w, &o, &made), 0);
    char ss58[SP_SS58_ADDRESS_MAX];
    sp_keyfile_info info;
    cr_assert_eq(
        sp_wallet_address(&w, SP_WALLET_HOTKEY, NULL, ss58, hotkeys[i], &info),
        0);
  }
  free(wl);

  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  const char *block_ms = getenv("SUBPOW_LOAD_BLOCK_MS");
  const char *per_block = getenv("SUBPOW_LOAD_PER_BLOCK");
  c.block_time_ms = block_ms ? (unsigned)atoi(block_ms) : 500;
  c.max_registrations_per_block = per_block ? (uint16_t)atoi(per_block) : 3;
  cr_assert(c.block_time_ms >= 50 && c.max_registrations_per_block >= 1,
            "SUBPOW_LOAD_BLOCK_MS / SUBPOW_LOAD_PER_BLOCK");
  /* The interval's limit (3 x target) out of the way: this measures how
   * many registrations per block the client side sustains, not the
   * chain's interval limit (the mock's default target is spec 293's 2). */
  c.target_registrations_per_interval = 10000;
  sp_mock_config_subnet(&c, 1, true, 2000);
  sp_error_record err = {0};
  char url[64];
  sp_mock_node *node = sp_mock_start(&c, &err);
  cr_assert_not_null(node, "%s", err.message);
  sp_mock_url(node, url, sizeof url);

  static sp_proc procs[MAX_CLIENTS];
  double t0 = sp_monotonic_seconds();
  uint64_t req0 = sp_mock_requests(node);
  for (int i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, "c%02d", i);
    char *argv[] = {(char *)SUBPOW_BENCH,
                    "register",
                    "--wallet-path",
                    dir,
                    "--wallet-name",
                    name,
                    "--network",
                    url,
                    "--backend",
                    "reference",
                    "--poll-ms",
                    "200",
                    "--max-attempts",
                    "50",
                    "--no-output-in-place",
                    "--json",
                    NULL};
    cr_assert_eq(sp_proc_start(&procs[i], argv, NULL), 0);
  }
  int uid_of[MAX_CLIENTS];
  int retried = 0;
  for (int i = 0; i < n; i++) {
    int st = sp_proc_wait(&procs[i], 240000);
    cr_expect_eq(st, 0, "client %d: status %d: %s", i, st, procs[i].out);
    const char *u = strstr(procs[i].out, "\"uid\": ");
    uid_of[i] = u ? atoi(u + 7) : -1;
    /* every failed attempt is one of the chain's own refusals */
    for (const char *p = procs[i].out; (p = strstr(p, "failed: ")) != NULL;
         p++) {
      char line[512];
      snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
      cr_expect(chain_error(line), "client %d: %s", i, line);
      retried++;
    }
  }
  double dt = sp_monotonic_seconds() - t0;
  uint64_t requests = sp_mock_requests(node) - req0;

  /* exactly once: N neurons, uids 0..N-1, each the reporting client's */
  bool taken[MAX_CLIENTS] = {false};
  pthread_mutex_lock(&node->lock);
  json_t *k = json_pack("[i]", 1);
  uint64_t subnet_n = st_get_u64(node, "SubtensorModule", "SubnetworkN", k);
  json_decref(k);
  pthread_mutex_unlock(&node->lock);
  cr_expect_eq(subnet_n, (uint64_t)n, "SubnetworkN %llu for %d clients",
               (unsigned long long)subnet_n, n);
  for (int i = 0; i < n; i++) {
    uint16_t uid = 0xffff;
    cr_expect_eq(sp_mock_uid(node, 1, hotkeys[i], &uid), 0,
                 "client %d is not registered", i);
    cr_expect_eq(uid, uid_of[i], "client %d reported uid %d, chain has %u", i,
                 uid_of[i], uid);
    if (uid < n) {
      cr_expect(!taken[uid], "uid %u given twice", uid);
      taken[uid] = true;
      pthread_mutex_lock(&node->lock);
      json_t *kk = json_pack("[i,i]", 1, uid);
      json_t *hk = st_get(node, "SubtensorModule", "Keys", kk);
      char want[67] = "0x";
      sp_hex_encode(hotkeys[i], 32, want + 2);
      cr_expect_str_eq(json_string_value(hk), want, "Keys[%u]", uid);
      json_decref(hk);
      json_decref(kk);
      pthread_mutex_unlock(&node->lock);
    }
  }
  printf("load: %d clients, %u ms blocks, %u registrations per block: %d "
         "registered in %.1f s: %.2f registrations/s, %llu requests (%.0f "
         "requests/s), %d attempts refused by the chain and retried\n",
         n, c.block_time_ms, c.max_registrations_per_block, (int)subnet_n, dt,
         (double)subnet_n / dt, (unsigned long long)requests,
         (double)requests / dt, retried);
  fflush(stdout);
  for (int i = 0; i < n; i++)
    sp_proc_free(&procs[i]);
  sp_mock_stop(node);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}
