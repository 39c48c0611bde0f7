/* Tiny hostile JSON-RPC servers (see hostile_server.h). */
#include "regress/support/hostile_server.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 64

typedef struct conn {
  struct sp_hostile_server *s;
  int fd;
  pthread_t thread;
} conn;

struct sp_hostile_server {
  sp_hostile_mode mode;
  int listen_fd;
  uint16_t port;
  atomic_bool stop;
  pthread_t acceptor;
  bool accepting;
  pthread_mutex_t mu;
  conn conns[MAX_CONNS];
  int n_conns;
};

/* Waits up to `ms` for fd to be readable; false when stopping. */
static bool wait_readable(sp_hostile_server *s, int fd, int ms) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  while (!atomic_load(&s->stop)) {
    int n = poll(&p, 1, ms < 100 ? ms : 100);
    if (n > 0) return true;
    if (ms <= 100) return false;
    ms -= 100;
  }
  return false;
}

/* Reads (up to cap-1 bytes) until the blank line that ends an HTTP head. */
static bool read_head(sp_hostile_server *s, int fd, char *buf, size_t cap) {
  size_t have = 0;
  while (have + 1 < cap) {
    if (!wait_readable(s, fd, 1 << 30)) return false;
    ssize_t n = read(fd, buf + have, cap - 1 - have);
    if (n <= 0) return false;
    have += (size_t)n;
    buf[have] = '\0';
    if (strstr(buf, "\r\n\r\n")) return true;
  }
  return false;
}

static bool write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n <= 0) return false;
    p += n;
    len -= (size_t)n;
  }
  return true;
}

/* Answers the upgrade request in `head` (RFC 6455 4.2.2). */
static bool upgrade(int fd, const char *head) {
  const char *k = strcasestr(head, "Sec-WebSocket-Key:");
  if (!k) return false;
  k += strlen("Sec-WebSocket-Key:");
  while (*k == ' ')
    k++;
  char key[128];
  size_t kl = strcspn(k, "\r\n ");
  if (kl == 0 || kl > 64) return false;
  snprintf(key, sizeof key, "%.*s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", (int)kl,
           k);
  unsigned char sha[SHA_DIGEST_LENGTH];
  SHA1((const unsigned char *)key, strlen(key), sha);
  unsigned char accept[64];
  EVP_EncodeBlock(accept, sha, sizeof sha);
  char resp[256];
  int n = snprintf(resp, sizeof resp,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                   accept);
  return write_all(fd, resp, (size_t)n);
}

/* Reads one client frame's payload (masked, as clients send); false at the
 * end of the connection. */
static bool read_exact(sp_hostile_server *s, int fd, unsigned char *b,
                       size_t n) {
  while (n) {
    if (!wait_readable(s, fd, 1 << 30)) return false;
    ssize_t r = read(fd, b, n);
    if (r <= 0) return false;
    b += r;
    n -= (size_t)r;
  }
  return true;
}

static bool read_frame(sp_hostile_server *s, int fd, char *out, size_t cap,
                       int *opcode) {
  unsigned char h[2];
  if (!read_exact(s, fd, h, 2)) return false;
  *opcode = h[0] & 0x0f;
  uint64_t len = h[1] & 0x7f;
  if (len == 126) {
    unsigned char e[2];
    if (!read_exact(s, fd, e, 2)) return false;
    len = (uint64_t)e[0] << 8 | e[1];
  } else if (len == 127) {
    unsigned char e[8];
    if (!read_exact(s, fd, e, 8)) return false;
    len = 0;
    for (int i = 0; i < 8; i++)
      len = len << 8 | e[i];
  }
  unsigned char mask[4] = {0};
  if ((h[1] & 0x80) && !read_exact(s, fd, mask, 4)) return false;
  if (len >= cap) return false;
  if (!read_exact(s, fd, (unsigned char *)out, (size_t)len)) return false;
  for (uint64_t i = 0; i < len; i++)
    out[i] ^= (char)mask[i % 4];
  out[len] = '\0';
  return true;
}

static bool send_text(int fd, const char *text) {
  size_t len = strlen(text);
  unsigned char h[4] = {0x81, 0};
  size_t hl = 2;
  if (len < 126) {
    h[1] = (unsigned char)len;
  } else {
    h[1] = 126;
    h[2] = (unsigned char)(len >> 8);
    h[3] = (unsigned char)len;
    hl = 4;
  }
  return write_all(fd, h, hl) && write_all(fd, text, len);
}

static void *serve(void *arg) {
  conn *c = arg;
  sp_hostile_server *s = c->s;
  char head[8192];
  if (!read_head(s, c->fd, head, sizeof head)) return NULL;
  if (s->mode != SP_HOSTILE_HTTP_SILENT && !upgrade(c->fd, head)) return NULL;
  if (s->mode == SP_HOSTILE_WS_TRICKLE) {
    /* a text frame that claims 64 KiB, then one byte a second */
    unsigned char h[4] = {0x81, 126, 0xff, 0xff};
    if (!write_all(c->fd, h, 4)) return NULL;
    while (!atomic_load(&s->stop)) {
      if (!write_all(c->fd, " ", 1)) return NULL;
      for (int i = 0; i < 10 && !atomic_load(&s->stop); i++)
        usleep(100000);
    }
    return NULL;
  }
  char frame[65536];
  int op;
  while (read_frame(s, c->fd, frame, sizeof frame, &op)) {
    if (op == 8) return NULL; /* close */
    if (s->mode != SP_HOSTILE_WS_WRONG_IDS || op != 1) continue;
    const char *id = strstr(frame, "\"id\":");
    long long n = id ? atoll(id + 5) : 0;
    char answer[128];
    snprintf(answer, sizeof answer,
             "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x00\"}", n + 1000);
    if (!send_text(c->fd, answer)) return NULL;
  }
  return NULL;
}

static void *accept_loop(void *arg) {
  sp_hostile_server *s = arg;
  while (!atomic_load(&s->stop)) {
    if (!wait_readable(s, s->listen_fd, 1 << 30)) break;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0) continue;
    pthread_mutex_lock(&s->mu);
    if (s->n_conns == MAX_CONNS) {
      pthread_mutex_unlock(&s->mu);
      close(fd);
      continue;
    }
    conn *c = &s->conns[s->n_conns];
    c->s = s;
    c->fd = fd;
    if (pthread_create(&c->thread, NULL, serve, c) == 0)
      s->n_conns++;
    else
      close(fd);
    pthread_mutex_unlock(&s->mu);
  }
  return NULL;
}

sp_hostile_server *sp_hostile_start(sp_hostile_mode mode) {
  sp_hostile_server *s = calloc(1, sizeof *s);
  cr_assert_not_null(s);
  s->mode = mode;
  pthread_mutex_init(&s->mu, NULL);
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cr_assert_geq(s->listen_fd, 0);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  cr_assert_eq(bind(s->listen_fd, (struct sockaddr *)&a, sizeof a), 0);
  socklen_t al = sizeof a;
  cr_assert_eq(getsockname(s->listen_fd, (struct sockaddr *)&a, &al), 0);
  s->port = ntohs(a.sin_port);
  if (mode == SP_HOSTILE_REFUSED) return s; /* bound, not listening */
  cr_assert_eq(listen(s->listen_fd, 64), 0);
  cr_assert_eq(pthread_create(&s->acceptor, NULL, accept_loop, s), 0);
  s->accepting = true;
  return s;
}

uint16_t sp_hostile_port(const sp_hostile_server *s) { return s->port; }

void sp_hostile_stop(sp_hostile_server *s) {
  atomic_store(&s->stop, true);
  if (s->accepting) pthread_join(s->acceptor, NULL);
  for (int i = 0; i < s->n_conns; i++)
    shutdown(s->conns[i].fd, SHUT_RDWR);
  for (int i = 0; i < s->n_conns; i++) {
    pthread_join(s->conns[i].thread, NULL);
    close(s->conns[i].fd);
  }
  close(s->listen_fd);
  pthread_mutex_destroy(&s->mu);
  free(s);
}
