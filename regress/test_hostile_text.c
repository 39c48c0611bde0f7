/*
 * Text from a node and echoed user input never reaches the terminal raw:
 * a specName and error messages full of terminal escapes (clear
 * screen, set the window title, the 8-bit CSI, a newline) come out escaped,
 * on one line; a --network value with a newline or an escape gives one
 * clean line; names and docs in hostile metadata are escaped when parsed.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "regress/support/http_stub.h"
#include "regress/support/run_command.h"

static char tmp[64], wallets[128];

static void setup(void) {
  snprintf(tmp, sizeof tmp, "/tmp/subpow-text-XXXXXX");
  cr_assert_not_null(mkdtemp(tmp));
  snprintf(wallets, sizeof wallets, "%s/w", tmp);
  setenv("HOME", tmp, 1);
  unsetenv("XDG_CACHE_HOME");
  sp_run_result r;
  sp_run_bench(&r, "wallet", "create", "--wallet-path", wallets,
               "--no-password", NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sp_run_result_free(&r);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(hostile_text, .init = setup, .fini = teardown, .timeout = 120);

/* Nothing a terminal acts on: no C0 control but the line ends, no DEL, no
 * C1 control (U+0080..U+009F as UTF-8) and no raw byte 0x80..0x9f after
 * ASCII (the 8-bit CSI is 0x9b). */
static void assert_inert(const char *what, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; p[i]; i++) {
    cr_assert(p[i] == '\n' || (p[i] >= 0x20 && p[i] != 0x7f),
              "%s: control 0x%02x at %zu: %s", what, p[i], i, s);
    cr_assert(!(p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f),
              "%s: C1 control at %zu: %s", what, i, s);
    cr_assert(!(p[i] >= 0x80 && p[i] <= 0x9f && (i == 0 || p[i - 1] < 0x80)),
              "%s: raw 8-bit control at %zu: %s", what, i, s);
  }
}

#define EVIL "\\u001b]0;pwned\\u0007\\u001b[2J\\u009b2J\\nsecond line"

/* A node that names itself with escapes and fails every other call with
 * an escape-laden error message. */
static void evil_node(void *user, const char *body, size_t len,
                      sp_http_reply *r) {
  (void)user, (void)len;
  json_t *req = json_loads(body, 0, NULL);
  long long id = json_integer_value(json_object_get(req, "id"));
  const char *method = json_string_value(json_object_get(req, "method"));
  bool version = method && strcmp(method, "state_getRuntimeVersion") == 0;
  json_decref(req);
  if (version)
    r->body = sp_http_fmt("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":{"
                          "\"specName\":\"node" EVIL "\",\"specVersion\":343,"
                          "\"transactionVersion\":1}}",
                          id);
  else
    r->body = sp_http_fmt("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{"
                          "\"code\":-32000,\"message\":\"no" EVIL "\"}}",
                          id);
}

Test(hostile_text, node_text_is_escaped) {
  sp_http_stub *s = sp_http_stub_start(evil_node, NULL);
  cr_assert_not_null(s);
  sp_run_result r;
  sp_run_bench(&r, "register", "--network", sp_http_stub_url(s),
               "--wallet-path", wallets, "--backend", "reference",
               "--max-attempts", "1", NULL);
  sp_http_stub_stop(s);
  cr_expect_neq(r.status, 0);
  assert_inert("stdout", r.out);
  assert_inert("stderr", r.err);
  cr_expect(strstr(r.out, "\\e]0;pwned") != NULL ||
                strstr(r.err, "\\e]0;pwned") != NULL,
            "the text is shown escaped: %s%s", r.out, r.err);
  sp_run_result_free(&r);
}

Test(hostile_text, echoed_network_is_one_clean_line) {
  static const char *const bad[] = {"http://a\nb", "bog\x1b[2Jus",
                                    ("bogus\xc2\x9b"
                                     "2J"),
                                    "x\x9by"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sp_run_result r;
    sp_run_bench(&r, "register", "--network", bad[i], "--wallet-path", wallets,
                 NULL);
    cr_expect_eq(r.status, 2, "%zu: %d %s", i, r.status, r.err);
    cr_expect_eq(sp_count_lines(r.err), 1, "%zu: %s", i, r.err);
    cr_expect(strncmp(r.err, "bench register: --network:", 26) == 0, "%s",
              r.err);
    /* refused before anything else: no status lines, no calibration */
    cr_expect_str_empty(r.out, "%s", r.out);
    assert_inert("stderr", r.err);
    sp_run_result_free(&r);
  }
}

Test(hostile_text, metadata_names_and_docs_are_escaped) {
  const char *path =
      SUBPOW_SOURCE_DIR "/regress/corpus/metadata/hostile-text-names-docs";
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  static uint8_t buf[4096];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  cr_assert_eq(sp_metadata_parse(buf + 1, n - 1, &md, &err), 0, "%s",
               err.message);
  cr_assert_eq(md->npallets, 1);
  assert_inert("pallet name", md->pallets[0].name);
  cr_expect_str_eq(md->pallets[0].name, "Sys\\e[2Jtem");
  const sp_type *t = sp_type_get(&md->registry, 0);
  cr_assert(t != NULL && t->nvariants == 1 && t->variants[0].ndocs == 1);
  assert_inert("variant", t->variants[0].name);
  assert_inert("docs", t->variants[0].docs[0]);
  cr_expect_str_eq(t->variants[0].docs[0], "doc\\e]0;title\\x07\\xc2\\x9b");
  sp_metadata_free(md);
}
