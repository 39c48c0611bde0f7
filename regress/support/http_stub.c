/* Test support: the HTTP/1.1 stub server (see http_stub.h). */
#include "regress/support/http_stub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 16

typedef struct conn {
  int fd;
  char *buf;
  size_t len, cap;
} conn;

struct sp_http_stub {
  sp_http_handler handler;
  void *user;
  int listen_fd;
  int stop_pipe[2];
  pthread_t thread;
  pthread_mutex_t lock;
  int connections, requests;
  char url[64];
  conn conns[MAX_CONN];
};

char *sp_http_fmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0) s = NULL;
  va_end(ap);
  return s;
}

static void close_conn(conn *c) {
  if (c->fd >= 0) close(c->fd);
  free(c->buf);
  memset(c, 0, sizeof *c);
  c->fd = -1;
}

static void send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
    if (k <= 0) return;
    p += k;
    n -= (size_t)k;
  }
}

static const char *reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 429: return "Too Many Requests";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  case 404: return "Not Found";
  default: return "Status";
  }
}

/* Serves every complete request in the buffer; false when the connection
 * must be closed. */
static bool serve(sp_http_stub *s, conn *c) {
  for (;;) {
    char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!end) return true;
    size_t head = (size_t)(end - c->buf) + 4;
    size_t body_len = 0;
    for (char *line = c->buf; line < end;) {
      char *eol = memmem(line, (size_t)(end - line) + 2, "\r\n", 2);
      if (!eol) break;
      if (strncasecmp(line, "Content-Length:", 15) == 0)
        body_len = strtoul(line + 15, NULL, 10);
      line = eol + 2;
    }
    if (c->len < head + body_len) return true;
    char *body = malloc(body_len + 1);
    memcpy(body, c->buf + head, body_len);
    body[body_len] = '\0';
    memmove(c->buf, c->buf + head + body_len, c->len - head - body_len);
    c->len -= head + body_len;

    sp_http_reply reply = {0};
    s->handler(s->user, body, body_len, &reply);
    free(body);
    pthread_mutex_lock(&s->lock);
    s->requests++;
    pthread_mutex_unlock(&s->lock);
    if (reply.delay_ms > 0) {
      struct timespec ts = {reply.delay_ms / 1000,
                            (long)(reply.delay_ms % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    }
    const char *text = reply.body ? reply.body : "";
    if (reply.raw) {
      send_all(c->fd, text, strlen(text));
      free(reply.body);
      return false;
    }
    int status = reply.status ? reply.status : 200;
    char header[256];
    int hn = snprintf(header, sizeof header,
                      "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                      "Content-Length: %zu\r\n%s\r\n",
                      status, reason(status), strlen(text),
                      reply.close_after ? "Connection: close\r\n" : "");
    send_all(c->fd, header, (size_t)hn);
    send_all(c->fd, text, strlen(text));
    free(reply.body);
    if (reply.close_after) return false;
  }
}

static void *run(void *arg) {
  sp_http_stub *s = arg;
  for (;;) {
    struct pollfd pfd[MAX_CONN + 2];
    int map[MAX_CONN + 2];
    int n = 0;
    pfd[n] = (struct pollfd){.fd = s->stop_pipe[0], .events = POLLIN};
    map[n++] = -1;
    pfd[n] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
    map[n++] = -2;
    for (int i = 0; i < MAX_CONN; i++)
      if (s->conns[i].fd >= 0) {
        pfd[n] = (struct pollfd){.fd = s->conns[i].fd, .events = POLLIN};
        map[n++] = i;
      }
    if (poll(pfd, (nfds_t)n, -1) < 0) continue;
    if (pfd[0].revents) return NULL;
    if (pfd[1].revents & POLLIN) {
      int fd = accept(s->listen_fd, NULL, NULL);
      if (fd >= 0) {
        int slot = -1;
        for (int i = 0; i < MAX_CONN && slot < 0; i++)
          if (s->conns[i].fd < 0) slot = i;
        if (slot < 0) {
          close(fd);
        } else {
          /* Header and body go out in separate sends; without NODELAY,
           * Nagle plus the client's delayed ACK costs 40 ms a request. */
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          s->conns[slot].fd = fd;
          pthread_mutex_lock(&s->lock);
          s->connections++;
          pthread_mutex_unlock(&s->lock);
        }
      }
    }
    for (int k = 2; k < n; k++) {
      if (!pfd[k].revents) continue;
      conn *c = &s->conns[map[k]];
      if (c->cap - c->len < 65536) {
        size_t cap = c->cap ? c->cap * 2 : 131072;
        c->buf = realloc(c->buf, cap);
        c->cap = cap;
      }
      ssize_t got = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
      if (got <= 0) {
        close_conn(c);
        continue;
      }
      c->len += (size_t)got;
      if (!serve(s, c)) close_conn(c);
    }
  }
}

sp_http_stub *sp_http_stub_start(sp_http_handler handler, void *user) {
  sp_http_stub *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->handler = handler;
  s->user = user;
  for (int i = 0; i < MAX_CONN; i++)
    s->conns[i].fd = -1;
  pthread_mutex_init(&s->lock, NULL);
  s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof addr;
  if (s->listen_fd < 0 ||
      bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
      listen(s->listen_fd, 16) != 0 ||
      getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0 ||
      pipe(s->stop_pipe) != 0) {
    if (s->listen_fd >= 0) close(s->listen_fd);
    free(s);
    return NULL;
  }
  snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", ntohs(addr.sin_port));
  if (pthread_create(&s->thread, NULL, run, s) != 0) {
    close(s->listen_fd);
    close(s->stop_pipe[0]);
    close(s->stop_pipe[1]);
    free(s);
    return NULL;
  }
  return s;
}

const char *sp_http_stub_url(const sp_http_stub *s) { return s->url; }

int sp_http_stub_connections(sp_http_stub *s) {
  pthread_mutex_lock(&s->lock);
  int n = s->connections;
  pthread_mutex_unlock(&s->lock);
  return n;
}

int sp_http_stub_requests(sp_http_stub *s) {
  pthread_mutex_lock(&s->lock);
  int n = s->requests;
  pthread_mutex_unlock(&s->lock);
  return n;
}

void sp_http_stub_stop(sp_http_stub *s) {
  if (!s) return;
  if (write(s->stop_pipe[1], "x", 1) != 1) { /* the thread polls the pipe */
  }
  pthread_join(s->thread, NULL);
  for (int i = 0; i < MAX_CONN; i++)
    if (s->conns[i].fd >= 0) close_conn(&s->conns[i]);
  close(s->listen_fd);
  close(s->stop_pipe[0]);
  close(s->stop_pipe[1]);
  pthread_mutex_destroy(&s->lock);
  free(s);
}
