/*
 * Hostile input on the mock node's JSON-RPC interface, over a raw socket
 * (so that malformed HTTP can be sent too): garbage and binary bodies,
 * truncated and deeply nested JSON, bodies over the 1 MiB limit, every
 * method with wrong, missing and random parameters (fixed seed, printed on
 * failure), unknown methods, GET and broken request lines. Every answer
 * must be a proper JSON-RPC 2.0 response (or the HTTP status the server
 * documents: 405, 413), and the node must keep serving and producing
 * blocks afterwards.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chain/mock/mock_node.h"

static sp_mock_node *node;
static uint16_t port;

static void start(void) {
  sp_mock_config c;
  sp_mock_config_default(&c);
  c.port = 0;
  c.block_time_ms = 100;
  sp_error_record err = {0};
  node = sp_mock_start(&c, &err);
  cr_assert_not_null(node, "%s", err.message);
  port = sp_mock_port(node);
}

static void stop(void) { sp_mock_stop(node); }

TestSuite(hostile_rpc, .init = start, .fini = stop, .timeout = 120);

typedef struct answer {
  int status; /* HTTP status, 0 when none came */
  char *body; /* malloc'd, NUL-terminated */
  size_t len;
} answer;

/* Sends `req` as is on a new connection and reads until the server closes
 * it (requests say "Connection: close") or `wait_ms` pass without data. */
static answer raw_wait(const char *req, size_t req_len, int wait_ms) {
  answer a = {0, NULL, 0};
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  cr_assert_geq(fd, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  size_t sent = 0;
  while (sent < req_len) {
    ssize_t w = send(fd, req + sent, req_len - sent, MSG_NOSIGNAL);
    if (w <= 0) break; /* the server may refuse early (413) */
    sent += (size_t)w;
  }
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, wait_ms) <= 0) break;
    if (n + 4096 > cap) buf = realloc(buf, cap *= 2);
    ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
    if (r <= 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  if (n >= 12 && strncmp(buf, "HTTP/1.", 7) == 0) a.status = atoi(buf + 9);
  char *body = strstr(buf, "\r\n\r\n");
  a.body = strdup(body ? body + 4 : "");
  a.len = strlen(a.body);
  free(buf);
  return a;
}

static answer raw(const char *req, size_t req_len) {
  return raw_wait(req, req_len, 5000);
}

static answer post(const char *body, size_t len) {
  size_t cap = len + 256;
  char *req = malloc(cap);
  int h = snprintf(req, cap,
                   "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                   "application/json\r\nContent-Length: %zu\r\nConnection: "
                   "close\r\n\r\n",
                   len);
  memcpy(req + h, body, len);
  answer a = raw(req, (size_t)h + len);
  free(req);
  return a;
}

/* A proper JSON-RPC 2.0 response to id `id` (NULL: id null); returns the
 * error code (0 for a result). */
static long long expect_jsonrpc(const answer *a, const json_t *id,
                                const char *what) {
  cr_assert_eq(a->status, 200, "%s: HTTP %d: %.200s", what, a->status, a->body);
  json_error_t je;
  json_t *doc = json_loads(a->body, JSON_REJECT_DUPLICATES, &je);
  cr_assert_not_null(doc, "%s: not JSON (%s): %.200s", what, je.text, a->body);
  cr_assert_str_eq(json_string_value(json_object_get(doc, "jsonrpc")), "2.0",
                   "%s", what);
  json_t *rid = json_object_get(doc, "id");
  cr_assert(id ? json_equal(rid, id) : json_is_null(rid), "%s: id %.200s", what,
            a->body);
  json_t *res = json_object_get(doc, "result");
  json_t *err = json_object_get(doc, "error");
  cr_assert((res == NULL) != (err == NULL), "%s: result xor error: %.200s",
            what, a->body);
  long long code = 0;
  if (err) {
    cr_assert(json_is_integer(json_object_get(err, "code")) &&
                  json_is_string(json_object_get(err, "message")),
              "%s: malformed error %.200s", what, a->body);
    code = json_integer_value(json_object_get(err, "code"));
    cr_assert_neq(code, 0, "%s", what);
  }
  json_decref(doc);
  return code;
}

static void alive(void) {
  const char *req =
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"system_health\","
      "\"params\":[]}";
  answer a = post(req, strlen(req));
  json_t *id = json_integer(7);
  cr_assert_eq(expect_jsonrpc(&a, id, "system_health"), 0);
  json_decref(id);
  free(a.body);
}

Test(hostile_rpc, garbage_bodies_get_parse_or_request_errors) {
  static const struct {
    const char *body;
    size_t len;
    long long code;
  } cases[] = {
      {"", 0, -32700},
      {"{", 0, -32700},
      {"nul\0l", 5, -32700},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"", 0, -32700},
      {"\xff\xfe{}", 4, -32700},
      {"[]", 0, -32600},
      {"[1,2]", 0, -32600},
      {"123", 0, -32600},
      {"\"str\"", 0, -32600},
      {"null", 0, -32600},
      {"{}", 0, -32600},
      {"{\"jsonrpc\":\"2.0\"}", 0, -32600},
      {"{\"jsonrpc\":\"1.0\",\"method\":\"system_name\"}", 0, -32600},
      {"{\"jsonrpc\":2,\"method\":\"system_name\"}", 0, -32600},
      {"{\"jsonrpc\":\"2.0\",\"method\":7}", 0, -32600},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"system_name\",\"params\":5}", 0,
       -32600},
  };
  /* len 0: strlen (only "" and the embedded NUL need an explicit one) */
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len = cases[i].len;
    if (len == 0 && i != 0) len = strlen(cases[i].body);
    answer a = post(cases[i].body, len);
    char what[64];
    snprintf(what, sizeof what, "case %zu", i);
    cr_expect_eq(expect_jsonrpc(&a, NULL, what), cases[i].code, "%s: %.200s",
                 what, a.body);
    free(a.body);
  }
  /* binary garbage, fixed seed */
  uint32_t x = 2026;
  char bin[4096];
  for (size_t i = 0; i < sizeof bin; i++) {
    x = x * 1664525u + 1013904223u;
    bin[i] = (char)(x >> 24);
  }
  answer a = post(bin, sizeof bin);
  cr_expect_eq(expect_jsonrpc(&a, NULL, "binary"), -32700);
  free(a.body);
  /* nesting far deeper than any parser should follow */
  size_t depth = 200000;
  char *deep = malloc(2 * depth);
  memset(deep, '[', depth);
  memset(deep + depth, ']', depth);
  a = post(deep, 2 * depth);
  cr_expect_eq(expect_jsonrpc(&a, NULL, "deep nesting"), -32700);
  free(a.body);
  free(deep);
  alive();
}

Test(hostile_rpc, bodies_over_one_mib_are_refused_with_413) {
  size_t len = (1u << 20) + 1;
  char *body = malloc(len);
  memset(body, ' ', len);
  answer a = post(body, len);
  cr_expect_eq(a.status, 413, "HTTP %d", a.status);
  free(a.body);
  /* just under the limit: a valid request padded with white space */
  const char *req = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"system_name\"}";
  memcpy(body, req, strlen(req));
  a = post(body, (1u << 20) - 16);
  json_t *id = json_integer(3);
  cr_expect_eq(expect_jsonrpc(&a, id, "padded"), 0);
  json_decref(id);
  free(a.body);
  free(body);
  alive();
}

Test(hostile_rpc, broken_http_and_wrong_verbs) {
  answer a = raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 46);
  cr_expect_eq(a.status, 405, "GET: HTTP %d", a.status);
  free(a.body);
  static const char *const broken[] = {
      "GARBAGE\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
      "POST / HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", /* a TLS hello */
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n",
  };
  for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
    a = raw_wait(broken[i], strlen(broken[i]), 1000);
    /* whatever the server answers (an HTTP error or a closed connection),
     * it must not be a success, and the node must survive it */
    cr_expect_neq(a.status, 200, "broken request %zu answered 200", i);
    free(a.body);
  }
  alive();
}

/* A random JSON value of bounded depth (xorshift, fixed seed). */
static uint64_t rng = 20261125;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static json_t *random_json(int depth) {
  switch (next() % (depth > 2 ? 7 : 9)) {
  case 0: return json_null();
  case 1:
    return json_integer(next() % 3 == 0 ? -1 : (json_int_t)(next() % 70000));
  case 2: return json_real(1e300);
  case 3: return json_string("0x");
  case 4: {
    char hex[67] = "0x";
    for (int i = 0; i < 64; i++)
      hex[2 + i] = "0123456789abcdef"[next() % 16];
    return json_stringn(hex, 2 + (next() % 3 == 0 ? 63 : 64));
  }
  case 5:
    return json_string("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
  case 6: return json_string("\xe2\x98\x83 not hex");
  case 7: {
    json_t *a = json_array();
    for (int i = (int)(next() % 4); i > 0; i--)
      json_array_append_new(a, random_json(depth + 1));
    return a;
  }
  default: {
    json_t *o = json_object();
    json_object_set_new(o, "k", random_json(depth + 1));
    return o;
  }
  }
}

/* The methods the node serves, as its rpc_methods answers them: a new
 * method is covered without a list here to keep in step. */
static json_t *served_methods(void) {
  const char *req = "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"rpc_methods\","
                    "\"params\":[]}";
  answer a = post(req, strlen(req));
  json_t *id = json_integer(8);
  cr_assert_eq(expect_jsonrpc(&a, id, "rpc_methods"), 0);
  json_decref(id);
  json_t *doc = json_loads(a.body, 0, NULL);
  free(a.body);
  json_t *list = json_object_get(json_object_get(doc, "result"), "methods");
  cr_assert(json_is_array(list) && json_array_size(list) > 0,
            "rpc_methods: no list of methods");
  json_incref(list);
  json_decref(doc);
  return list;
}

Test(hostile_rpc, every_method_with_bad_and_random_params) {
  json_t *served = served_methods();
  static const char *const unknown[] = {"", "nope", "state_getMetadata\n",
                                        "system_name "};
  size_t n_served = json_array_size(served);
  size_t n_methods = n_served + sizeof unknown / sizeof unknown[0];
  uint64_t seed = rng;
  long long id = 100;
  for (size_t m = 0; m < n_methods; m++) {
    const char *method = m < n_served
                             ? json_string_value(json_array_get(served, m))
                             : unknown[m - n_served];
    cr_assert_not_null(method, "rpc_methods: a name that is not a string");
    for (int k = 0; k < 40; k++) {
      json_t *params;
      if (k == 0)
        params = json_array();
      else if (k == 1)
        params = json_object();
      else if (k == 2)
        params = json_pack("[n,n,n]");
      else if (k == 3)
        params = json_pack("[s]", "0xzz");
      else if (k == 4)
        params = json_pack("[i]", -1);
      else {
        params = json_array();
        for (int i = (int)(next() % 4); i > 0; i--)
          json_array_append_new(params, random_json(0));
      }
      json_t *req =
          json_pack("{s:s,s:I,s:s,s:o}", "jsonrpc", "2.0", "id",
                    (json_int_t)++id, "method", method, "params", params);
      char *text = json_dumps(req, JSON_COMPACT);
      answer a = post(text, strlen(text));
      char what[256];
      snprintf(what, sizeof what, "seed %llu, %.180s", (unsigned long long)seed,
               text);
      json_t *jid = json_integer((json_int_t)id);
      long long code = expect_jsonrpc(&a, jid, what);
      /* unknown methods: -32601, or -32602 when the params are not even an
       * array (the mock checks that first) */
      if (m >= n_served)
        cr_expect(code == -32601 || (k == 1 && code == -32602), "%s: %lld",
                  what, code);
      json_decref(jid);
      free(a.body);
      free(text);
      json_decref(req);
    }
  }
  json_decref(served);
  alive();
  uint64_t b0 = sp_mock_best(node);
  usleep(300000);
  cr_expect_gt(sp_mock_best(node), b0, "blocks stopped after hostile input");
}
