/* bench register --burned against the mock node's modern profile (the
 * runtime era "burned", started in-process): the quote before signing, the
 * cap (--max-burn, register_limit), the refusals by name, the terminal
 * prompt and --no-prompt/-y, what was paid, the journal, and a price that
 * rises between the read and the submission. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <jansson.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chain/codec/scale_type.h"
#include "chain/mock/mock_node.h"
#include "regress/support/mock_register.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

static char *const wallet = sp_suite_wallet;

TestSuite(burned, .init = sp_suite_wallet_make, .fini = sp_suite_wallet_remove,
          .timeout = 120);

#define TAO 1000000000ull

/* A modern-profile mock whose blocks come only when the test (or the
 * submission watch's poll) asks: the producer runs at 200 ms. */
static sp_mock_node *node_with(char *url, bool register_limit) {
  sp_mock_config c;
  sp_test_mock_config(&c, 200);
  c.runtime = 397;
  c.faucet = true;
  c.no_register_limit = !register_limit;
  sp_mock_config_subnet(&c, 1, true, 5000);
  return sp_test_mock_start(&c, false, url);
}

static sp_mock_node *node(char *url) { return node_with(url, true); }

/* The public key of a wallet file's "publicKey". */
static void key_of(const char *file, uint8_t out[32]) {
  char path[160];
  snprintf(path, sizeof path, "%s/default/%s", wallet, file);
  json_error_t je;
  json_t *j = json_load_file(path, 0, &je);
  cr_assert_not_null(j, "%s: %s", path, je.text);
  cr_assert_eq(sp_json_hex_fixed(json_object_get(j, "publicKey"), out, 32), 0);
  json_decref(j);
}

static void run(sp_run_result *r, const char *url, const char *const *extra) {
  const char *args[24] = {"--burned"};
  int n = 1;
  for (int i = 0; extra[i] != NULL && n < 23; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  sp_run_register(r, "register", wallet, url, args);
}

/* The JSON summary on stdout. */
static json_t *summary(const sp_run_result *r) {
  json_error_t je;
  json_t *j = json_loads(r->out, 0, &je);
  cr_assert_not_null(j, "%s\n%s", r->out, r->err);
  return j;
}

static uint64_t u64_at(json_t *j, const char *obj, const char *key) {
  json_t *v = json_object_get(obj ? json_object_get(j, obj) : j, key);
  sp_u128 x = 0;
  cr_assert_eq(sp_json_to_u128(v, UINT64_MAX, &x), 0, "%s.%s", obj ? obj : "",
               key);
  return (uint64_t)x;
}

static size_t journal_lines(const char *event) {
  char path[160];
  snprintf(path, sizeof path, "%s/default/subpow-journal.jsonl", wallet);
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  char line[4096];
  size_t n = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    json_t *o = json_loads(line, 0, NULL);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    const char *ev = json_string_value(json_object_get(o, "event"));
    if (kind != NULL && ev != NULL && strcmp(kind, "burned") == 0 &&
        strcmp(ev, event) == 0)
      n++;
    json_decref(o);
  }
  fclose(f);
  return n;
}

Test(burned, under_the_cap_registers_and_reports_what_was_paid) {
  char url[64];
  sp_mock_node *n = node(url);
  uint8_t cold[32], hot[32];
  key_of("coldkeypub.txt", cold);
  key_of("hotkeys/default", hot);
  sp_mock_set_balance(n, cold, 10 * TAO);
  sp_run_result r;
  run(&r, url, (const char *[]){"--max-burn", "2", "--json", NULL});
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  json_t *j = summary(&r);
  uint64_t price = u64_at(j, "burned", "price_rao"),
           paid = u64_at(j, "burned", "paid_rao");
  cr_assert_eq(u64_at(j, "burned", "balance_rao"), 10 * TAO);
  cr_assert_eq(u64_at(j, "burned", "cap_rao"), 2 * TAO);
  cr_assert_str_eq(
      json_string_value(json_object_get(json_object_get(j, "burned"), "call")),
      "register_limit");
  cr_assert(paid > 0 && paid <= price && paid <= 2 * TAO,
            "paid %" PRIu64 " price %" PRIu64, paid, price);
  cr_assert_eq(sp_mock_balance(n, cold), 10 * TAO - paid,
               "the chain's balance agrees");
  uint16_t uid = 99;
  cr_assert_eq(sp_mock_uid(n, 1, hot, &uid), 0);
  cr_assert_eq(u64_at(j, NULL, "uid"), uid);
  json_decref(j);
  /* the quote and the payment in text too (stdout in text mode: again,
   * already registered now, exit 0 with its uid) */
  cr_assert_not_null(strstr(r.err, "price (Burn)"), "%s", r.err);
  cr_assert_eq(journal_lines("quote"), 1);
  cr_assert_eq(journal_lines("submitting"), 1);
  cr_assert_eq(journal_lines("included"), 1);
  sp_run_result_free(&r);
  run(&r, url, (const char *[]){"--max-burn", "2", NULL});
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.out, "already registered"), "%s", r.out);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

Test(burned, text_shows_price_balance_and_paid) {
  char url[64];
  sp_mock_node *n = node(url);
  uint8_t cold[32];
  key_of("coldkeypub.txt", cold);
  sp_mock_set_balance(n, cold, 5 * TAO);
  sp_run_result r;
  run(&r, url, (const char *[]){"--max-burn", "1.5", NULL});
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  /* the quote as status before signing (stderr), and with the outcome */
  cr_assert_not_null(strstr(r.err, "price (Burn) "), "%s", r.err);
  cr_assert_not_null(
      strstr(r.err, "free balance 5.000000000 TAO (5000000000 rao)"), "%s",
      r.err);
  cr_assert_not_null(
      strstr(r.out, "coldkey balance 5.000000000 TAO (5000000000 rao), cap "
                    "1.500000000 TAO"),
      "%s", r.out);
  cr_assert_not_null(strstr(r.out, "\npaid "), "%s", r.out);
  sp_run_result_free(&r);
  sp_mock_stop(n);
}

/* Every refusal before signing: exit 1, by name, nothing paid, nothing in
 * the pool, no "submitting" line in the journal. */
static void refused(sp_mock_node *n, const char *url, const uint8_t cold[32],
                    const char *const *extra, const char *name) {
  uint64_t before = sp_mock_balance(n, cold);
  size_t submitting = journal_lines("submitting");
  sp_run_result r;
  run(&r, url, extra);
  cr_assert_eq(r.status, 1, "%s: %s\n%s", name, r.out, r.err);
  cr_assert_not_null(strstr(r.err, name), "%s: %s", name, r.err);
  cr_assert_not_null(strstr(r.err, "nothing was signed"), "%s: %s", name,
                     r.err);
  sp_run_result_free(&r);
  cr_assert_eq(sp_mock_balance(n, cold), before, "%s: paid", name);
  cr_assert_eq(journal_lines("submitting"), submitting, "%s: submitted", name);
}

Test(burned, refusals_before_signing) {
  char url[64];
  sp_mock_node *n = node(url);
  uint8_t cold[32], hot[32], other[32];
  key_of("coldkeypub.txt", cold);
  key_of("hotkeys/default", hot);
  memset(other, 7, 32);
  refused(n, url, cold, (const char *[]){"--max-burn", "2", NULL},
          "NotEnoughBalanceToStake");
  sp_mock_set_balance(n, cold, 10 * TAO);
  refused(n, url, cold, (const char *[]){"--max-burn", "0.1", NULL},
          "RegistrationPriceLimitExceeded");
  refused(n, url, cold,
          (const char *[]){"--max-burn", "2", "--netuid", "0", NULL},
          "RegistrationNotPermittedOnRootSubnet");
  refused(n, url, cold,
          (const char *[]){"--max-burn", "2", "--netuid", "9", NULL},
          "SubnetNotExists");
  /* no terminal, no cap: refused; -y and --no-prompt the same */
  refused(n, url, cold, (const char *[]){NULL}, "--max-burn");
  refused(n, url, cold, (const char *[]){"-y", NULL}, "--max-burn");
  refused(n, url, cold, (const char *[]){"--no-prompt", NULL}, "--max-burn");
  sp_mock_set_owner(n, hot, other);
  refused(n, url, cold, (const char *[]){"--max-burn", "2", NULL},
          "NonAssociatedColdKey");
  sp_mock_stop(n);
}

/* The price rises after bench read it and before its extrinsic reaches the
 * pool: register_limit carries the cap, the chain refuses, nothing burns. */
Test(burned, a_price_that_rises_before_the_submission_is_not_paid) {
  char url[64];
  sp_mock_node *n = node(url);
  uint8_t cold[32], hot[32];
  key_of("coldkeypub.txt", cold);
  key_of("hotkeys/default", hot);
  sp_mock_set_balance(n, cold, 100 * TAO);
  sp_mock_set_burn_on_submit(n, 1, 50 * TAO);
  sp_run_result r;
  run(&r, url, (const char *[]){"--max-burn", "2", "--json", NULL});
  cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.err, "RegistrationPriceLimitExceeded"), "%s",
                     r.err);
  cr_assert_not_null(strstr(r.err, "the chain refused it"), "%s", r.err);
  json_t *j = summary(&r);
  cr_assert_str_eq(json_string_value(json_object_get(j, "refusal")),
                   "RegistrationPriceLimitExceeded");
  json_decref(j);
  sp_run_result_free(&r);
  cr_assert_eq(sp_mock_balance(n, cold), 100 * TAO, "nothing was paid");
  uint16_t uid;
  cr_assert_eq(sp_mock_uid(n, 1, hot, &uid), 1, "not registered");
  cr_assert_eq(journal_lines("refused"), 1);
  sp_mock_stop(n);
}

Test(burned, max_burn_rejects_garbage) {
  static const char *const bad[] = {"",   "-1",  "1e3", "0.0000000001",
                                    "1.", ".5x", "abc", "99999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sp_run_result r;
    sp_run_bench(&r, "register", "--burned", "--max-burn", bad[i], NULL);
    cr_assert_eq(r.status, 2, "'%s': %s", bad[i], r.err);
    cr_assert_not_null(strstr(r.err, "--max-burn"), "'%s': %s", bad[i], r.err);
    sp_run_result_free(&r);
  }
  sp_run_result r;
  sp_run_bench(&r, "register", "--max-burn", "1", NULL);
  cr_assert_eq(r.status, 2, "%s", r.err);
  sp_run_result_free(&r);
}

/* On a terminal (a pty) without --max-burn: the price and balance, then a
 * question; the answer decides. Returns the exit status; *saw the output. */
static int on_terminal(const char *url, const char *answer, char *saw,
                       size_t cap) {
  int master = -1;
  pid_t pid = forkpty(&master, NULL, NULL, NULL);
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    execl(SUBPOW_BENCH, SUBPOW_BENCH, "register", "--wallet-path", wallet,
          "--network", url, "--backend", "reference", "--poll-ms", "100",
          "--no-output-in-place", "--burned", (char *)NULL);
    _exit(127);
  }
  size_t len = 0;
  bool answered = false;
  saw[0] = '\0';
  for (;;) {
    struct pollfd p = {.fd = master, .events = POLLIN};
    int rc = poll(&p, 1, 60000); /* a bound on a hang, not a timing */
    if (rc <= 0) break;
    ssize_t got = read(master, saw + len, cap - 1 - len);
    if (got <= 0) break; /* EIO: the child closed the terminal */
    len += (size_t)got;
    saw[len] = '\0';
    if (!answered && strstr(saw, "[y/N]") != NULL) {
      cr_assert_eq(write(master, answer, strlen(answer)),
                   (ssize_t)strlen(answer));
      answered = true;
    }
    if (len + 1 >= cap) break;
  }
  int status = 0;
  cr_assert_eq(waitpid(pid, &status, 0), pid);
  close(master);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Test(burned, asks_on_a_terminal_and_the_answer_decides) {
  char url[64];
  sp_mock_node *n = node(url);
  uint8_t cold[32], hot[32];
  key_of("coldkeypub.txt", cold);
  key_of("hotkeys/default", hot);
  sp_mock_set_balance(n, cold, 10 * TAO);
  static char saw[65536];
  int st = on_terminal(url, "n\n", saw, sizeof saw);
  cr_assert_eq(st, 1, "%s", saw);
  cr_assert_not_null(strstr(saw, "free balance 10.000000000 TAO"), "%s", saw);
  cr_assert_not_null(strstr(saw, "not confirmed"), "%s", saw);
  cr_assert_eq(sp_mock_balance(n, cold), 10 * TAO);
  st = on_terminal(url, "y\n", saw, sizeof saw);
  cr_assert_eq(st, 0, "%s", saw);
  uint16_t uid;
  cr_assert_eq(sp_mock_uid(n, 1, hot, &uid), 0, "%s", saw);
  cr_assert_not_null(strstr(saw, "register_limit"),
                     "the agreed price is the cap: %s", saw);
  cr_assert_lt(sp_mock_balance(n, cold), 10 * TAO);
  sp_mock_stop(n);
}

/* A runtime without register_limit: the price is read again just before
 * the submission; a rise seen then is refused before signing, and a price
 * within the cap registers with burned_register. */
Test(burned, without_register_limit_the_price_is_checked_again) {
  char url[64];
  sp_mock_node *n = node_with(url, false);
  uint8_t cold[32], hot[32];
  key_of("coldkeypub.txt", cold);
  key_of("hotkeys/default", hot);
  sp_mock_set_balance(n, cold, 100 * TAO);
  /* after the quote, before the re-check: the nonce is read in between */
  sp_mock_set_burn_on_method(n, "system_accountNextIndex", 1, 50 * TAO);
  sp_run_result r;
  run(&r, url, (const char *[]){"--max-burn", "2", NULL});
  cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
  cr_assert_not_null(strstr(r.err, "RegistrationPriceLimitExceeded"), "%s",
                     r.err);
  cr_assert_not_null(strstr(r.err, "rose to 50.000000000 TAO"), "%s", r.err);
  cr_assert_not_null(strstr(r.err, "nothing was signed"), "%s", r.err);
  sp_run_result_free(&r);
  cr_assert_eq(sp_mock_balance(n, cold), 100 * TAO);
  sp_mock_set_burn(n, 1, TAO);
  run(&r, url, (const char *[]){"--max-burn", "2", "--json", NULL});
  cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
  json_t *j = summary(&r);
  cr_assert_str_eq(
      json_string_value(json_object_get(json_object_get(j, "burned"), "call")),
      "burned_register");
  cr_assert(u64_at(j, "burned", "paid_rao") <= 2 * TAO);
  json_decref(j);
  sp_run_result_free(&r);
  uint16_t uid;
  cr_assert_eq(sp_mock_uid(n, 1, hot, &uid), 0);
  sp_mock_stop(n);
}
