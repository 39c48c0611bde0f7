/* JSON-RPC over HTTP with libmicrohttpd; see rpc_server.h. */
#include "chain/mock/rpc_server.h"
#include "chain/mock/ws_server.h"
#include "common/rng.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Requests larger than this are refused: a registration extrinsic is well
 * under 1 KiB, and no method of the mock takes more. */
#define MAX_BODY (1u << 20)

struct sp_rpc_server {
  struct MHD_Daemon *daemon;
  mock_dispatch *dispatch; /* the handler, faults, the request count */
  uint16_t port;
  mock_ws *ws;      /* the WebSocket side */
  atomic_bool down; /* sp_rpc_server_set_down */
  int listen_fd;    /* ours: each connection is shown to mock_ws_take */
  pthread_t acceptor;
  atomic_bool stopping;
  /* connections whose head is being read (sniff threads, one each) */
  pthread_mutex_t sniff_lock;
  pthread_cond_t sniff_cv;
  unsigned sniffing;
};

/* At most this many connections are read for their head at once; more are
 * closed at once (a flood of silent connections). */
#define MAX_SNIFFING 256

typedef struct sniff_job {
  sp_rpc_server *s;
  int fd;
  struct sockaddr_in peer;
  socklen_t plen;
} sniff_job;

typedef struct request_body {
  char *data;
  size_t len;
  bool too_big;
} request_body;

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status,
                               const char *body, size_t len) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
  if (r == NULL) return MHD_NO;
  MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **state) {
  (void)url, (void)version;
  sp_rpc_server *s = cls;
  request_body *b = *state;
  if (atomic_load(&s->down)) return MHD_NO; /* closed: a restarting node */
  if (b == NULL) {
    b = calloc(1, sizeof *b);
    if (b == NULL) return MHD_NO;
    *state = b;
    return MHD_YES;
  }
  if (*upload_size > 0) {
    if (b->len + *upload_size > MAX_BODY) {
      b->too_big = true;
    } else {
      char *grown = realloc(b->data, b->len + *upload_size + 1);
      if (grown == NULL) return MHD_NO;
      b->data = grown;
      memcpy(b->data + b->len, upload, *upload_size);
      b->len += *upload_size;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  mock_dispatch_count(s->dispatch);
  if (strcmp(method, "POST") != 0) {
    static const char msg[] = "JSON-RPC over HTTP takes POST\n";
    return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, msg, sizeof msg - 1);
  }
  if (b->too_big) {
    static const char msg[] = "request too large\n";
    return respond(c, MHD_HTTP_CONTENT_TOO_LARGE, msg, sizeof msg - 1);
  }
  sp_rpc_faults f;
  unsigned roll;
  mock_dispatch_roll(s->dispatch, &f, &roll);
  if (f.latency_ms > 0) {
    struct timespec ts = {f.latency_ms / 1000,
                          (long)(f.latency_ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
  }
  if (roll < f.drop_per_mille) return MHD_NO; /* the connection is closed */
  roll -= roll < f.drop_per_mille ? 0 : f.drop_per_mille;
  if (roll < f.http500_per_mille) {
    static const char msg[] = "{\"error\": \"injected fault\"}";
    return respond(c, MHD_HTTP_INTERNAL_SERVER_ERROR, msg, sizeof msg - 1);
  }
  roll -= f.http500_per_mille;
  json_t *answer =
      mock_dispatch_text(s->dispatch, b->data ? b->data : "", b->len);
  char *text = json_dumps(answer, JSON_COMPACT);
  json_decref(answer);
  if (text == NULL) return MHD_NO;
  if (f.lose_submit_answers > 0 && b->data != NULL &&
      memmem(b->data, b->len, "\"author_submit", 14) != NULL) {
    if (mock_dispatch_lose_submit(s->dispatch)) {
      free(text);
      return MHD_NO; /* handled, but the answer never leaves */
    }
  }
  size_t len = strlen(text);
  if (roll < f.malformed_per_mille) len /= 2; /* cut mid-body: invalid JSON */
  enum MHD_Result ret = respond(c, MHD_HTTP_OK, text, len);
  free(text);
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode code) {
  (void)cls, (void)c, (void)code;
  request_body *b = *state;
  if (b != NULL) {
    free(b->data);
    free(b);
  }
  *state = NULL;
}

/* One new connection, on a thread of its own: its head is read until it
 * says WebSocket upgrade (ws_server.c) or not (MHD). */
static void *sniff(void *arg) {
  sniff_job *j = arg;
  sp_rpc_server *s = j->s;
  if (!mock_ws_take(s->ws, j->fd, &s->stopping) &&
      MHD_add_connection(s->daemon, j->fd, (struct sockaddr *)&j->peer,
                         j->plen) != MHD_YES)
    close(j->fd); /* MHD closes it on failure too, per its manual; harmless */
  free(j);
  pthread_mutex_lock(&s->sniff_lock);
  s->sniffing--;
  pthread_cond_broadcast(&s->sniff_cv);
  pthread_mutex_unlock(&s->sniff_lock);
  return NULL;
}

/* Accepts connections and hands each to a sniff thread at once, so a
 * client that sends nothing delays nobody. While down, each is closed at
 * once (a restarting node). */
static void *acceptor(void *arg) {
  sp_rpc_server *s = arg;
  while (!atomic_load(&s->stopping)) {
    sniff_job *j = malloc(sizeof *j);
    if (j == NULL) {
      struct timespec ts = {0, 10000000};
      nanosleep(&ts, NULL);
      continue;
    }
    j->s = s;
    j->plen = sizeof j->peer;
    int fd = accept4(s->listen_fd, (struct sockaddr *)&j->peer, &j->plen,
                     SOCK_CLOEXEC);
    if (fd < 0) {
      free(j);
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (atomic_load(&s->stopping)) break;
      struct timespec ts = {0, 10000000};
      nanosleep(&ts, NULL); /* EMFILE and the like: back off a little */
      continue;
    }
    j->fd = fd;
    if (atomic_load(&s->stopping) || atomic_load(&s->down)) {
      mock_dispatch_count(s->dispatch); /* faulted: closed unanswered */
      close(fd);
      free(j);
      continue;
    }
    pthread_mutex_lock(&s->sniff_lock);
    bool room = s->sniffing < MAX_SNIFFING;
    if (room) s->sniffing++;
    pthread_mutex_unlock(&s->sniff_lock);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (!room || pthread_create(&t, &attr, sniff, j) != 0) {
      close(fd);
      free(j);
      if (room) {
        pthread_mutex_lock(&s->sniff_lock);
        s->sniffing--;
        pthread_mutex_unlock(&s->sniff_lock);
      }
    }
    pthread_attr_destroy(&attr);
  }
  return NULL;
}

sp_rpc_server *sp_rpc_server_start(uint16_t port, sp_rpc_handler handler,
                                   void *user, uint64_t seed,
                                   sp_error_record *err) {
  sp_rpc_server *s = calloc(1, sizeof *s);
  if (s == NULL) {
    sp_error_fail(err, SP_ENOMEM, "out of memory");
    return NULL;
  }
  s->dispatch = mock_dispatch_create(handler, user, seed);
  pthread_mutex_init(&s->sniff_lock, NULL);
  pthread_cond_init(&s->sniff_cv, NULL);
  s->ws = s->dispatch ? mock_ws_create(s->dispatch) : NULL;
  if (s->ws == NULL) {
    sp_error_fail(err, SP_ENOMEM, "out of memory");
    mock_dispatch_free(s->dispatch);
    free(s);
    return NULL;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  s->daemon = MHD_start_daemon(
      /* No MHD_USE_ERROR_LOG: libraries do not print (an injected drop
       * would log a line per request). */
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
          MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC,
      0, NULL, NULL, on_request, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
      s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
  int one = 1;
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool listening =
      s->daemon != NULL && s->listen_fd >= 0 &&
      setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ==
          0 &&
      bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
      listen(s->listen_fd, 64) == 0;
  socklen_t alen = sizeof addr;
  if (listening)
    listening = getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) == 0;
  if (listening) {
    s->port = ntohs(addr.sin_port);
    listening = pthread_create(&s->acceptor, NULL, acceptor, s) == 0;
  }
  if (!listening) {
    sp_error_fail(err, SP_EIO, "cannot listen on 127.0.0.1:%u (in use?)", port);
    if (s->listen_fd >= 0) close(s->listen_fd);
    if (s->daemon != NULL) MHD_stop_daemon(s->daemon);
    mock_ws_destroy(s->ws);
    mock_dispatch_free(s->dispatch);
    pthread_mutex_destroy(&s->sniff_lock);
    pthread_cond_destroy(&s->sniff_cv);
    free(s);
    return NULL;
  }
  return s;
}

uint16_t sp_rpc_server_port(const sp_rpc_server *s) { return s->port; }

void sp_rpc_server_set_faults(sp_rpc_server *s, const sp_rpc_faults *f) {
  mock_dispatch_set_faults(s->dispatch, f);
}

uint64_t sp_rpc_server_requests(const sp_rpc_server *s) {
  return mock_dispatch_requests(s->dispatch);
}

void sp_rpc_server_stop(sp_rpc_server *s) {
  if (s == NULL) return;
  atomic_store(&s->down, true);
  atomic_store(&s->stopping, true);
  shutdown(s->listen_fd, SHUT_RDWR); /* wakes accept4 */
  pthread_join(s->acceptor, NULL);
  close(s->listen_fd);
  /* the sniff threads see `stopping` within one poll (50 ms) */
  pthread_mutex_lock(&s->sniff_lock);
  while (s->sniffing > 0)
    pthread_cond_wait(&s->sniff_cv, &s->sniff_lock);
  pthread_mutex_unlock(&s->sniff_lock);
  mock_ws_destroy(s->ws);
  MHD_stop_daemon(s->daemon);
  mock_dispatch_free(s->dispatch);
  pthread_mutex_destroy(&s->sniff_lock);
  pthread_cond_destroy(&s->sniff_cv);
  free(s);
}

void sp_rpc_server_publish_head(sp_rpc_server *s, bool finalized,
                                const json_t *header) {
  mock_ws_publish_head(s->ws, finalized, header);
}

void sp_rpc_server_publish_extrinsic(sp_rpc_server *s, const char *hash_hex,
                                     const json_t *status, bool last) {
  mock_ws_publish_extrinsic(s->ws, hash_hex, status, last);
}

void sp_rpc_server_drop_ws(sp_rpc_server *s) { mock_ws_drop_all(s->ws); }

void sp_rpc_server_set_down(sp_rpc_server *s, bool down) {
  atomic_store(&s->down, down);
  if (down) mock_ws_drop_all(s->ws);
}

unsigned sp_rpc_server_ws_connections(sp_rpc_server *s) {
  return mock_ws_connections(s->ws);
}
