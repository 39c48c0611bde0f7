/*
 * The mock node's servers under hostile clients: no client can freeze the
 * node or delay the others. Silent connections (the head of each new
 * connection is read on a thread of its own), a WebSocket client that
 * subscribes and floods requests without reading (a bounded queue per
 * connection drops it; the block producer never waits on it), an upgrade
 * head split over two TCP writes, and frames RFC 6455 forbids. Waits are
 * on conditions with generous bounds; no wall-clock windows.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "chain/client/rpc.h"
#include "chain/keys/ss58.h"
#include "chain/mock/mock_node.h"
#include "common/clock.h"
#include "regress/support/run_command.h"
#include "regress/support/temp_wallet.h"

TestSuite(mock_servers, .timeout = 180);

static sp_mock_node *start_mock(unsigned block_ms, uint64_t difficulty) {
  sp_mock_config mc;
  sp_mock_config_default(&mc);
  mc.port = 0;
  mc.block_time_ms = block_ms;
  mc.n_subnets = 0;
  sp_mock_config_subnet(&mc, 1, true, difficulty);
  sp_error_record err = {0};
  sp_mock_node *n = sp_mock_start(&mc, &err);
  cr_assert_not_null(n, "%s", err.message);
  return n;
}

static uint16_t port_of(sp_mock_node *n) {
  char url[128];
  sp_mock_url(n, url, sizeof url);
  const char *p = strrchr(url, ':');
  cr_assert_not_null(p);
  return (uint16_t)atoi(p + 1);
}

static int connect_to(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cr_assert_geq(fd, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0, "%s",
               strerror(errno));
  return fd;
}

static void send_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    cr_assert_gt(n, 0, "send: %s", strerror(errno));
    p += n;
    len -= (size_t)n;
  }
}

/* Reads what arrives within wait_ms of silence (at most cap - 1 bytes). */
static size_t read_some(int fd, char *buf, size_t cap, int wait_ms) {
  size_t n = 0;
  while (n + 1 < cap) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, wait_ms) <= 0) break;
    ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
    if (r <= 0) break;
    n += (size_t)r;
    if (memmem(buf, n, "\r\n\r\n", 4) && strncmp(buf, "HTTP/1.1 101", 12) == 0)
      break; /* an upgrade answer: frames follow only when asked for */
  }
  buf[n] = '\0';
  return n;
}

static const char UPGRADE_1[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Upgrade: websocket\r\nConnection: Upgrade\r\n";
static const char UPGRADE_2[] =
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";

/* A WebSocket connection, upgraded; fails the test otherwise. */
static int ws_connect(uint16_t port) {
  int fd = connect_to(port);
  char head[1024];
  snprintf(head, sizeof head, "%s%s", UPGRADE_1, UPGRADE_2);
  send_all(fd, head, strlen(head));
  char buf[1024];
  read_some(fd, buf, sizeof buf, 10000);
  cr_assert(strncmp(buf, "HTTP/1.1 101", 12) == 0, "upgrade: %s", buf);
  return fd;
}

/* One masked client frame. */
static void ws_send(int fd, unsigned opcode, bool fin, const char *data,
                    size_t len) {
  unsigned char h[14];
  size_t hl = 2;
  h[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
  if (len < 126) {
    h[1] = (unsigned char)(0x80 | len);
  } else {
    h[1] = 0x80 | 126;
    h[2] = (unsigned char)(len >> 8);
    h[3] = (unsigned char)len;
    hl = 4;
  }
  static const unsigned char mask[4] = {1, 2, 3, 4};
  memcpy(h + hl, mask, 4);
  hl += 4;
  unsigned char *frame = malloc(hl + len);
  memcpy(frame, h, hl);
  for (size_t i = 0; i < len; i++)
    frame[hl + i] = (unsigned char)data[i] ^ mask[i % 4];
  send_all(fd, frame, hl + len);
  free(frame);
}

/* The first server frame's opcode and (for a close) its code; -1 when the
 * connection ended without one. */
static int ws_first_frame(int fd, unsigned *close_code) {
  unsigned char buf[256];
  size_t n = 0;
  while (n < 4) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 10000) <= 0) break;
    ssize_t r = recv(fd, buf + n, sizeof buf - n, 0);
    if (r <= 0) break;
    n += (size_t)r;
  }
  if (n < 2) return -1;
  if ((buf[0] & 0x0f) == 8 && n >= 4)
    *close_code = (unsigned)buf[2] << 8 | buf[3];
  return buf[0] & 0x0f;
}

/* One call over a fresh client of `url`: how long it took (fails the test
 * when it fails). */
static double timed_call(const char *url) {
  sp_rpc_options o;
  sp_rpc_options_default(&o);
  sp_rpc *rpc;
  sp_chain_error err = {0};
  double t0 = sp_monotonic_seconds();
  cr_assert_eq(sp_rpc_open(&rpc, url, &o, &err), 0, "%s", err.message);
  json_t *res = NULL;
  cr_assert_eq(sp_rpc_call(rpc, "chain_getBlockHash", json_pack("[i]", 0),
                           SP_RPC_STRING, &res, &err),
               0, "%s: %s", url, err.message);
  json_decref(res);
  sp_rpc_close(rpc);
  return sp_monotonic_seconds() - t0;
}

Test(mock_servers, silent_connections_delay_nobody) {
  sp_mock_node *n = start_mock(60000, 1000);
  uint16_t port = port_of(n);
  int silent[12];
  for (int i = 0; i < 12; i++)
    silent[i] = connect_to(port); /* and say nothing */
  char http[128], ws[128];
  sp_mock_url(n, http, sizeof http);
  sp_mock_ws_url(n, ws, sizeof ws);
  /* before: each silent connection held the accept thread for 2 s */
  double took = timed_call(http);
  cr_expect_lt(took, 8.0, "HTTP behind 12 silent connections: %.1f s", took);
  took = timed_call(ws);
  cr_expect_lt(took, 8.0, "WebSocket behind 12 silent connections: %.1f s",
               took);
  for (int i = 0; i < 12; i++)
    close(silent[i]);
  sp_mock_stop(n);
}

Test(mock_servers, an_upgrade_head_in_two_writes_is_read_whole) {
  sp_mock_node *n = start_mock(60000, 1000);
  uint16_t port = port_of(n);
  for (int i = 0; i < 10; i++) {
    int fd = connect_to(port);
    send_all(fd, UPGRADE_1, sizeof UPGRADE_1 - 1);
    /* the second write after the server has seen the first */
    struct timespec ts = {0, 30000000};
    nanosleep(&ts, NULL);
    send_all(fd, UPGRADE_2, sizeof UPGRADE_2 - 1);
    char buf[1024];
    read_some(fd, buf, sizeof buf, 10000);
    cr_expect(strncmp(buf, "HTTP/1.1 101", 12) == 0, "split upgrade %d: %.40s",
              i, buf);
    close(fd);
  }
  /* and a POST is still HTTP */
  char http[128];
  sp_mock_url(n, http, sizeof http);
  timed_call(http);
  sp_mock_stop(n);
}

Test(mock_servers, a_control_frame_over_125_bytes_fails_the_connection) {
  sp_mock_node *n = start_mock(60000, 1000);
  int fd = ws_connect(port_of(n));
  char ping[512];
  memset(ping, 'p', sizeof ping);
  ws_send(fd, 9, true, ping, sizeof ping);
  unsigned code = 0;
  int op = ws_first_frame(fd, &code);
  cr_expect(op == 8 || op == -1, "no pong to a 512-byte ping: opcode %d", op);
  if (op == 8) cr_expect_eq(code, 1002);
  close(fd);
  /* a ping of 125 bytes is answered */
  fd = ws_connect(port_of(n));
  ws_send(fd, 9, true, ping, 125);
  cr_expect_eq(ws_first_frame(fd, &code), 10, "pong");
  close(fd);
  sp_mock_stop(n);
}

Test(mock_servers, a_new_message_inside_a_fragmented_one_fails_it) {
  sp_mock_node *n = start_mock(60000, 1000);
  int fd = ws_connect(port_of(n));
  static const char part[] = "{\"jsonrpc\":\"2.0\",";
  static const char whole[] =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system_health\"}";
  ws_send(fd, 1, false, part, sizeof part - 1);  /* text, FIN clear */
  ws_send(fd, 1, true, whole, sizeof whole - 1); /* a new text frame */
  unsigned code = 0;
  int op = ws_first_frame(fd, &code);
  cr_expect(op == 8 || op == -1, "no answer, the connection fails: %d", op);
  if (op == 8) cr_expect_eq(code, 1002);
  close(fd);
  sp_mock_stop(n);
}

/* A client that subscribes to new heads, then sends requests for the
 * metadata as fast as it can and never reads. */
typedef struct flood {
  uint16_t port;
  atomic_bool stop;
  atomic_int sent;
  atomic_bool cut_off; /* the node ended the connection */
  pthread_t thread;
} flood;

static void *flood_main(void *arg) {
  flood *f = arg;
  int fd = ws_connect(f->port);
  static const char sub[] =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chain_subscribeNewHeads\","
      "\"params\":[]}";
  ws_send(fd, 1, true, sub, sizeof sub - 1);
  static const char md[] =
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"state_getMetadata\","
      "\"params\":[]}";
  unsigned char h[6 + sizeof md];
  h[0] = 0x81;
  h[1] = 0x80 | (unsigned char)(sizeof md - 1);
  memset(h + 2, 0, 4); /* a zero mask: the payload as it is */
  memcpy(h + 6, md, sizeof md - 1);
  while (!atomic_load(&f->stop)) {
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    if (poll(&p, 1, 100) <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) break;
    ssize_t n = send(fd, h, 6 + sizeof md - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) break;
    atomic_fetch_add(&f->sent, 1);
  }
  atomic_store(&f->cut_off, !atomic_load(&f->stop));
  close(fd);
  return NULL;
}

Test(mock_servers, a_client_that_does_not_read_freezes_nothing) {
  sp_mock_node *n = start_mock(200, 1000);
  uint16_t port = port_of(n);
  int silent[4];
  for (int i = 0; i < 4; i++)
    silent[i] = connect_to(port);
  flood f = {.port = port};
  cr_assert_eq(pthread_create(&f.thread, NULL, flood_main, &f), 0);
  /* the flood is under way */
  for (int i = 0; i < 3000 && atomic_load(&f.sent) < 200; i++) {
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
  }
  cr_assert_geq(atomic_load(&f.sent), 200);
  /* blocks go on (before: #1 to #5 in 30 s at 500 ms blocks) */
  uint64_t b0 = sp_mock_best(n);
  double t0 = sp_monotonic_seconds();
  while (sp_mock_best(n) < b0 + 10 && sp_monotonic_seconds() - t0 < 60) {
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
  }
  cr_expect_geq(sp_mock_best(n), b0 + 10, "block production goes on");
  char http[128], ws[128];
  sp_mock_url(n, http, sizeof http);
  sp_mock_ws_url(n, ws, sizeof ws);
  cr_expect_lt(timed_call(http), 10.0, "HTTP is served");
  cr_expect_lt(timed_call(ws), 10.0, "WebSocket is served");
  /* the client that does not read is dropped */
  t0 = sp_monotonic_seconds();
  while (!atomic_load(&f.cut_off) && sp_monotonic_seconds() - t0 < 60) {
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
  }
  cr_expect(atomic_load(&f.cut_off), "the non-reading client is dropped");
  atomic_store(&f.stop, true);
  pthread_join(f.thread, NULL);
  for (int i = 0; i < 4; i++)
    close(silent[i]);
  sp_mock_stop(n);
}

Test(mock_servers, registration_completes_beside_hostile_clients) {
  char dir[128], wallet[160];
  sp_temp_wallet_make("mocksrv", dir, sizeof dir, wallet, sizeof wallet);
  sp_mock_node *n = start_mock(300, 5000);
  uint16_t port = port_of(n);
  int silent[4];
  for (int i = 0; i < 4; i++)
    silent[i] = connect_to(port);
  flood f = {.port = port};
  cr_assert_eq(pthread_create(&f.thread, NULL, flood_main, &f), 0);
  char url[128];
  sp_mock_ws_url(n, url, sizeof url);
  const char *argv[] = {SUBPOW_BENCH, "register",  "--wallet-path",
                        wallet,       "--network", url,
                        "--backend",  "reference", "--no-output-in-place",
                        "--seconds",  "120",       NULL};
  sp_run_result r;
  cr_assert_eq(sp_run((char *const *)argv, NULL, &r), 0);
  cr_expect_eq(r.status, 0,
               "registers beside a silent and a flooding client: "
               "%s\n%s",
               r.out, r.err);
  cr_expect(strstr(r.out, "registered") || strstr(r.err, "registered"),
            "%s\n%s", r.out, r.err);
  sp_run_result_free(&r);
  atomic_store(&f.stop, true);
  pthread_join(f.thread, NULL);
  for (int i = 0; i < 4; i++)
    close(silent[i]);
  sp_mock_stop(n);
  sp_temp_dir_remove(dir);
}
