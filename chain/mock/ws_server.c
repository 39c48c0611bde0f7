/* The mock node's WebSocket side; see ws_server.h. */
#include "chain/mock/ws_server.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

/* Client messages larger than this close the connection (1009): requests
 * of the mock's methods are well under 1 MiB (rpc_server.c's MAX_BODY). */
#define MAX_MESSAGE (1u << 20)
#define MAX_SUBS 64
/* Bytes a connection may have queued for sending: a client that does not
 * read past this is dropped (a slow consumer must never stall the node).
 * The largest answer is the metadata, well under 1 MiB of hex. */
#define MAX_QUEUED (8u << 20)
/* A send that makes no progress this long ends the connection: the
 * connection's writer never blocks for ever on a client that stopped
 * reading. */
#define SEND_TIMEOUT_S 10
/* How long the head of a new connection is waited for before it is handed
 * to the HTTP side as it is (which has its own timeout). */
#define HEAD_WAIT_MS 10000

typedef enum { SUB_HEADS, SUB_FINALIZED, SUB_WATCH, SUB_RUNTIME } sub_kind;

typedef struct ws_sub {
  sub_kind kind;
  char id[24];
  char hash[67]; /* SUB_WATCH: the extrinsic's "0x.." hash */
} ws_sub;

/* A frame waiting for the connection's writer. */
typedef struct out_frame {
  struct out_frame *next;
  size_t len;
  unsigned char data[];
} out_frame;

typedef struct ws_conn {
  struct ws_conn *next;
  mock_ws *w;
  int sock;
  pthread_t thread;
  /* Frames go out through a bounded queue and a writer thread of the
   * connection's own: whoever sends (the connection's reader, the block
   * producer publishing a head) only queues and never waits on the
   * socket. */
  pthread_t writer;
  pthread_mutex_t out_lock; /* the queue below */
  pthread_cond_t out_cv;
  out_frame *out_head, *out_tail;
  size_t out_bytes;
  bool out_done;         /* the reader ended: drain, then stop */
  atomic_bool dead;      /* closing: stop writing */
  bool closed;           /* the socket is given back to MHD (under w->lock):
                            its number may belong to another connection */
  bool stalled;          /* a stall fault: silent until closed */
  ws_sub subs[MAX_SUBS]; /* under w->lock */
  size_t n_subs;
} ws_conn;

struct mock_ws {
  mock_dispatch *dispatch;
  pthread_mutex_t lock; /* connections and their subscriptions */
  ws_conn *conns;
  unsigned n_conns;
  uint64_t next_sub;
  atomic_bool closing;
};

/* ------------------------------------------------------------ frames -- */

static bool write_all(ws_conn *c, const void *data, size_t len) {
  const unsigned char *p = data;
  while (len > 0) {
    ssize_t n = send(c->sock, p, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= (size_t)n;
  }
  return true;
}

/* Ends the connection: no more writes, the reader wakes with EOF, the
 * writer drops what is queued. Any thread; w->lock is not needed. */
static void kill_conn(ws_conn *c);

/* Queues one server frame (unmasked, RFC 6455 section 5.2) for the
 * connection's writer; never blocks on the socket. A connection whose
 * queue would pass MAX_QUEUED does not read: it is dropped (false). */
static bool send_frame(ws_conn *c, unsigned opcode, bool fin, const void *data,
                       size_t len) {
  unsigned char h[10];
  size_t hl = 2;
  h[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
  if (len < 126) {
    h[1] = (unsigned char)len;
  } else if (len < 65536) {
    h[1] = 126;
    h[2] = (unsigned char)(len >> 8);
    h[3] = (unsigned char)len;
    hl = 4;
  } else {
    h[1] = 127;
    for (int i = 0; i < 8; i++)
      h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
    hl = 10;
  }
  if (atomic_load(&c->dead)) return false;
  /* header and payload in one write: two would meet Nagle and delayed
   * ACKs (40 ms a message) */
  out_frame *f = malloc(sizeof *f + hl + len);
  if (!f) return false;
  f->next = NULL;
  f->len = hl + len;
  memcpy(f->data, h, hl);
  if (len) memcpy(f->data + hl, data, len);
  pthread_mutex_lock(&c->out_lock);
  bool over = c->out_bytes + f->len > MAX_QUEUED;
  if (!over && !atomic_load(&c->dead)) {
    if (c->out_tail)
      c->out_tail->next = f;
    else
      c->out_head = f;
    c->out_tail = f;
    c->out_bytes += f->len;
    f = NULL;
    pthread_cond_signal(&c->out_cv);
  }
  pthread_mutex_unlock(&c->out_lock);
  if (f == NULL) return true;
  free(f);
  if (over) kill_conn(c); /* a client that does not read */
  return false;
}

static bool send_text(ws_conn *c, const char *text, size_t len) {
  return send_frame(c, 1, true, text, len);
}

/* The connection's writer: sends what is queued, in order, until the
 * reader ended and the queue is empty, or the connection is dead. */
static void *writer_main(void *arg) {
  ws_conn *c = arg;
  pthread_mutex_lock(&c->out_lock);
  for (;;) {
    while (!c->out_head && !c->out_done && !atomic_load(&c->dead))
      pthread_cond_wait(&c->out_cv, &c->out_lock);
    out_frame *f = c->out_head;
    if (!f || atomic_load(&c->dead)) break;
    c->out_head = f->next;
    if (!c->out_head) c->out_tail = NULL;
    c->out_bytes -= f->len;
    pthread_mutex_unlock(&c->out_lock);
    bool ok = write_all(c, f->data, f->len);
    free(f);
    if (!ok) kill_conn(c);
    pthread_mutex_lock(&c->out_lock);
  }
  for (out_frame *f = c->out_head, *n; f; f = n) {
    n = f->next;
    free(f);
  }
  c->out_head = c->out_tail = NULL;
  c->out_bytes = 0;
  pthread_mutex_unlock(&c->out_lock);
  return NULL;
}

static void kill_conn(ws_conn *c) {
  /* the socket is closed only after the reader and the writer ended
   * (conn_main), so its number is still this connection's */
  pthread_mutex_lock(&c->out_lock);
  atomic_store(&c->dead, true);
  if (!c->closed) shutdown(c->sock, SHUT_RDWR);
  pthread_cond_broadcast(&c->out_cv);
  pthread_mutex_unlock(&c->out_lock);
}

static bool read_all(ws_conn *c, void *buf, size_t len) {
  unsigned char *p = buf;
  while (len > 0) {
    ssize_t n = recv(c->sock, p, len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= (size_t)n;
  }
  return true;
}

/* --------------------------------------------------------- messages -- */

static void sleep_ms(unsigned ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* Sends an answer or notification, applying the faults that corrupt it.
 * Returns false when the connection is to end. */
static bool send_json(ws_conn *c, json_t *msg, bool notice) {
  bool watch =
      notice && strcmp(json_string_value(json_object_get(msg, "method"))
                           ? json_string_value(json_object_get(msg, "method"))
                           : "",
                       "author_extrinsicUpdate") == 0;
  sp_rpc_faults f;
  unsigned roll;
  mock_dispatch_roll(c->w->dispatch, &f, &roll);
  char *text = json_dumps(msg, JSON_COMPACT);
  if (!text) return false;
  size_t len = strlen(text);
  bool ok = true;
#define FAULT(rate) (roll < (rate) ? true : (roll -= (rate), false))
  if (watch    ? FAULT(f.ws_drop_watch_per_mille)
      : notice ? FAULT(f.ws_drop_notice_per_mille)
               : FAULT(f.drop_per_mille)) {
    ok = false; /* closed without a word */
  } else if (FAULT(f.malformed_per_mille)) {
    ok = send_text(c, text, len / 2);
  } else if (FAULT(f.ws_oversize_per_mille)) {
    size_t n = f.ws_oversize_bytes ? f.ws_oversize_bytes : (2u << 20);
    char *big = malloc(n);
    if (big) {
      memset(big, ' ', n); /* valid JSON whitespace, then the answer */
      size_t k = len < n ? len : n;
      memcpy(big + n - k, text, k);
      ok = send_text(c, big, n);
      free(big);
    }
  } else if (FAULT(f.ws_bad_utf8_per_mille)) {
    /* a string with an overlong encoding of '/' (0xc0 0xaf) */
    static const char bad[] =
        "{\"jsonrpc\":\"2.0\",\"result\":\"\xc0\xaf\",\"id\":1}";
    ok = send_text(c, bad, sizeof bad - 1);
  } else if (FAULT(f.ws_cut_per_mille)) {
    send_frame(c, 1, false, text, len / 2); /* FIN clear: more to come */
    ok = false; /* ...and then the connection closes */
  } else if (FAULT(f.ws_stall_per_mille)) {
    c->stalled = true; /* silent from now on */
  } else if (FAULT(f.ws_stray_per_mille)) {
    static const char stray[] =
        "{\"jsonrpc\":\"2.0\",\"result\":\"0x00\",\"id\":987654321}";
    static const char lost[] =
        "{\"jsonrpc\":\"2.0\",\"method\":\"chain_newHead\",\"params\":"
        "{\"subscription\":\"nobody\",\"result\":{}}}";
    ok = send_text(c, stray, sizeof stray - 1) &&
         send_text(c, lost, sizeof lost - 1) && send_text(c, text, len);
  } else {
    ok = send_text(c, text, len);
  }
#undef FAULT
  free(text);
  return ok;
}

static json_t *answer(json_t *id, json_t *result) {
  return json_pack("{s:s,s:o,s:O}", "jsonrpc", "2.0", "result", result, "id",
                   id);
}

static json_t *error_answer(json_t *id, int code, const char *message) {
  return json_pack("{s:s,s:{s:i,s:s},s:O}", "jsonrpc", "2.0", "error", "code",
                   code, "message", message, "id", id);
}

static json_t *notice(const char *method, const char *sub, json_t *result) {
  return json_pack("{s:s,s:s,s:{s:s,s:o}}", "jsonrpc", "2.0", "method", method,
                   "params", "subscription", sub, "result", result);
}

/* Adds a subscription; returns its id (in `id`) or false when full. */
static bool add_sub(ws_conn *c, sub_kind kind, const char *hash, char id[24]) {
  mock_ws *w = c->w;
  bool ok = false;
  pthread_mutex_lock(&w->lock);
  if (c->n_subs < MAX_SUBS) {
    ws_sub *s = &c->subs[c->n_subs++];
    s->kind = kind;
    snprintf(s->id, sizeof s->id, "mock%llu",
             (unsigned long long)++w->next_sub);
    snprintf(s->hash, sizeof s->hash, "%s", hash ? hash : "");
    memcpy(id, s->id, sizeof s->id);
    ok = true;
  }
  pthread_mutex_unlock(&w->lock);
  return ok;
}

static bool remove_sub(ws_conn *c, const char *id) {
  mock_ws *w = c->w;
  bool found = false;
  pthread_mutex_lock(&w->lock);
  for (size_t i = 0; i < c->n_subs; i++)
    if (strcmp(c->subs[i].id, id) == 0) {
      c->subs[i] = c->subs[--c->n_subs];
      found = true;
      break;
    }
  pthread_mutex_unlock(&w->lock);
  return found;
}

static bool is_one_of(const char *m, const char *const *names) {
  for (; *names; names++)
    if (strcmp(m, *names) == 0) return true;
  return false;
}

/* One request; false ends the connection. */
static bool on_request(ws_conn *c, const char *text, size_t len) {
  mock_ws *w = c->w;
  sp_rpc_faults f;
  unsigned roll;
  mock_dispatch_roll(w->dispatch, &f, &roll);
  mock_dispatch_count(w->dispatch);
  if (f.latency_ms > 0) sleep_ms(f.latency_ms);
  json_t *req = json_loadb(text, len, JSON_DECODE_ANY, NULL);
  const char *method = json_string_value(json_object_get(req, "method"));
  json_t *id = json_object_get(req, "id");
  json_t *params = json_object_get(req, "params");
  static const char *const HEADS[] = {
      "chain_subscribeNewHeads", "chain_subscribeNewHead", "subscribe_newHead",
      "chain_subscribeAllHeads", NULL};
  /* polkadot.js subscribes to this on every WebSocket connection; the mock
   * has one runtime, so the one notification is the current version */
  static const char *const RUNTIME[] = {"state_subscribeRuntimeVersion",
                                        "chain_subscribeRuntimeVersion", NULL};
  static const char *const FINAL[] = {"chain_subscribeFinalizedHeads",
                                      "chain_subscribeFinalisedHeads", NULL};
  static const char *const UNSUB[] = {"chain_unsubscribeNewHeads",
                                      "chain_unsubscribeNewHead",
                                      "unsubscribe_newHead",
                                      "chain_unsubscribeFinalizedHeads",
                                      "chain_unsubscribeFinalisedHeads",
                                      "author_unwatchExtrinsic",
                                      "chain_unsubscribeAllHeads",
                                      "state_unsubscribeRuntimeVersion",
                                      "chain_unsubscribeRuntimeVersion",
                                      NULL};
  bool subscribing =
      method && (is_one_of(method, HEADS) || is_one_of(method, FINAL) ||
                 is_one_of(method, RUNTIME) ||
                 strcmp(method, "author_submitAndWatchExtrinsic") == 0);
  bool ok = true;
  if (!method || !id || (subscribing && f.ws_no_subscriptions)) {
    json_t *out = mock_dispatch_text(w->dispatch, text, len);
    if (subscribing && id) {
      json_decref(out);
      out = error_answer(id, SP_RPC_METHOD_NOT_FOUND, "Method not found");
    }
    ok = out ? send_json(c, out, false) : false;
    json_decref(out);
  } else if (is_one_of(method, HEADS) || is_one_of(method, FINAL)) {
    char sid[24];
    bool fin = is_one_of(method, FINAL);
    if (!add_sub(c, fin ? SUB_FINALIZED : SUB_HEADS, NULL, sid)) {
      json_t *out =
          error_answer(id, SP_RPC_INTERNAL_ERROR, "too many subscriptions");
      ok = send_json(c, out, false);
      json_decref(out);
    } else {
      json_t *out = answer(id, json_string(sid));
      ok = send_json(c, out, false);
      json_decref(out);
      /* the current head first, as Substrate does */
      json_t *head = mock_dispatch_call(w->dispatch, "chain_getHeader", NULL);
      if (ok && head) {
        json_t *n = notice(fin ? "chain_finalizedHead" : "chain_newHead", sid,
                           json_incref(head));
        ok = send_json(c, n, true);
        json_decref(n);
      }
      json_decref(head);
    }
  } else if (is_one_of(method, RUNTIME)) {
    char sid[24];
    if (!add_sub(c, SUB_RUNTIME, NULL, sid)) {
      json_t *out =
          error_answer(id, SP_RPC_INTERNAL_ERROR, "too many subscriptions");
      ok = send_json(c, out, false);
      json_decref(out);
    } else {
      json_t *out = answer(id, json_string(sid));
      ok = send_json(c, out, false);
      json_decref(out);
      json_t *v =
          mock_dispatch_call(w->dispatch, "state_getRuntimeVersion", NULL);
      if (ok && v) {
        json_t *n = notice("state_runtimeVersion", sid, json_incref(v));
        ok = send_json(c, n, true);
        json_decref(n);
      }
      json_decref(v);
    }
  } else if (strcmp(method, "author_submitAndWatchExtrinsic") == 0) {
    /* The watch is registered before the pool may include it, so that the
     * block producer's notification finds it (see mock_ws_publish_*). */
    pthread_mutex_lock(&w->lock);
    json_t *hash = NULL;
    json_t *out = NULL;
    sp_rpc_reply reply = {0};
    mock_dispatch_handle(w->dispatch, "author_submitExtrinsic",
                         json_is_array(params) ? params : NULL, &reply);
    if (reply.error_code != 0) {
      out = error_answer(id, reply.error_code, reply.error_message);
      json_decref(reply.error_data);
      json_decref(reply.result);
      pthread_mutex_unlock(&w->lock);
      ok = send_json(c, out, false);
    } else {
      hash = reply.result;
      char sid[24] = "";
      bool added = c->n_subs < MAX_SUBS;
      if (added) {
        ws_sub *s = &c->subs[c->n_subs++];
        s->kind = SUB_WATCH;
        snprintf(s->id, sizeof s->id, "mock%llu",
                 (unsigned long long)++w->next_sub);
        snprintf(s->hash, sizeof s->hash, "%s",
                 json_string_value(hash) ? json_string_value(hash) : "");
        memcpy(sid, s->id, sizeof sid);
      }
      out = added ? answer(id, json_string(sid))
                  : error_answer(id, SP_RPC_INTERNAL_ERROR,
                                 "too many subscriptions");
      /* answer and "ready" under the lock: before any inBlock */
      ok = send_json(c, out, false);
      if (ok && added) {
        json_t *n = notice("author_extrinsicUpdate", sid, json_string("ready"));
        ok = send_json(c, n, true);
        json_decref(n);
        sp_rpc_faults f;
        unsigned roll;
        mock_dispatch_roll(w->dispatch, &f, &roll);
        if (ok && f.ws_report_dropped) { /* the watch ends; the pool keeps it */
          n = notice("author_extrinsicUpdate", sid, json_string("dropped"));
          ok = send_json(c, n, true);
          json_decref(n);
          for (size_t i = 0; i < c->n_subs; i++) /* w->lock held */
            if (strcmp(c->subs[i].id, sid) == 0) {
              c->subs[i] = c->subs[--c->n_subs];
              break;
            }
        }
      }
      pthread_mutex_unlock(&w->lock);
      json_decref(hash);
    }
    json_decref(out);
  } else if (is_one_of(method, UNSUB)) {
    const char *sid = json_string_value(json_array_get(params, 0));
    json_t *out = answer(id, json_boolean(sid && remove_sub(c, sid)));
    ok = send_json(c, out, false);
    json_decref(out);
  } else {
    json_t *out = mock_dispatch_text(w->dispatch, text, len);
    ok = out ? send_json(c, out, false) : false;
    json_decref(out);
  }
  json_decref(req);
  return ok;
}

/* ------------------------------------------------------- connections -- */

/* Fails the connection with a close frame of `code` (RFC 6455 7.4.1). */
static void fail_conn(ws_conn *c, unsigned code) {
  unsigned char body[2] = {(unsigned char)(code >> 8), (unsigned char)code};
  send_frame(c, 8, true, body, 2);
}

static void *conn_main(void *arg) {
  ws_conn *c = arg;
  char *msg = NULL;
  size_t msg_len = 0;
  bool in_message = false;
  for (;;) {
    unsigned char h[2];
    if (!read_all(c, h, 2)) break;
    unsigned opcode = h[0] & 0x0f;
    bool fin = h[0] & 0x80;
    bool masked = h[1] & 0x80;
    uint64_t len = h[1] & 0x7f;
    if (len == 126) {
      unsigned char e[2];
      if (!read_all(c, e, 2)) break;
      len = (uint64_t)e[0] << 8 | e[1];
    } else if (len == 127) {
      unsigned char e[8];
      if (!read_all(c, e, 8)) break;
      len = 0;
      for (int i = 0; i < 8; i++)
        len = len << 8 | e[i];
    }
    bool control = opcode >= 8;
    if (!masked || len > MAX_MESSAGE || msg_len + len > MAX_MESSAGE ||
        (h[0] & 0x70) ||
        /* control frames: at most 125 bytes, never fragmented (5.5) */
        (control && (len > 125 || !fin)) ||
        /* a new message inside a fragmented one (5.4) */
        ((opcode == 1 || opcode == 2) && in_message)) {
      /* client frames must be masked (RFC 6455 5.1); no extensions */
      fail_conn(c, 1002);
      break;
    }
    unsigned char mask[4] = {0};
    if (!read_all(c, mask, 4)) break;
    char *payload = malloc(len + 1);
    if (!payload || !read_all(c, payload, len)) {
      free(payload);
      break;
    }
    for (uint64_t i = 0; i < len; i++)
      payload[i] ^= (char)mask[i % 4];
    if (c->stalled) { /* reads on (so the client's writes do not block) */
      free(payload);
      if (opcode == 8) break;
      continue;
    }
    if (opcode == 9) { /* ping */
      send_frame(c, 10, true, payload, len);
      free(payload);
      continue;
    }
    if (opcode == 10) {
      free(payload);
      continue;
    }
    if (opcode == 8) { /* close: echo and end */
      send_frame(c, 8, true, payload, len >= 2 ? 2 : 0);
      free(payload);
      break;
    }
    if (opcode == 1 || (opcode == 0 && in_message)) {
      char *grown = realloc(msg, msg_len + len + 1);
      if (!grown) {
        free(payload);
        break;
      }
      msg = grown;
      memcpy(msg + msg_len, payload, len);
      msg_len += len;
      msg[msg_len] = '\0';
      free(payload);
      in_message = !fin;
      if (fin) {
        bool ok = on_request(c, msg, msg_len);
        msg_len = 0;
        if (!ok) break;
      }
      continue;
    }
    free(payload); /* binary or a stray continuation: unsupported (1003) */
    fail_conn(c, 1003);
    break;
  }
  free(msg);
  /* the writer sends what is queued (a close frame, half a message of the
   * cut fault), then ends; a client that does not read is cut off by the
   * send timeout */
  pthread_mutex_lock(&c->out_lock);
  c->out_done = true;
  pthread_cond_broadcast(&c->out_cv);
  pthread_mutex_unlock(&c->out_lock);
  pthread_join(c->writer, NULL);
  pthread_mutex_lock(&c->w->lock);
  pthread_mutex_lock(&c->out_lock);
  atomic_store(&c->dead, true);
  c->closed = true;
  close(c->sock);
  pthread_mutex_unlock(&c->out_lock);
  pthread_mutex_unlock(&c->w->lock);
  return NULL;
}

/* Joins and frees connections whose thread ended; caller holds w->lock. */
static void reap(mock_ws *w, bool all) {
  for (ws_conn **pp = &w->conns; *pp;) {
    ws_conn *c = *pp;
    if (!all && !atomic_load(&c->dead)) {
      pp = &c->next;
      continue;
    }
    kill_conn(c);
    *pp = c->next;
    w->n_conns--;
    pthread_mutex_unlock(&w->lock);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->out_lock);
    pthread_cond_destroy(&c->out_cv);
    free(c);
    pthread_mutex_lock(&w->lock);
    pp = &w->conns; /* the list may have changed meanwhile */
  }
}

mock_ws *mock_ws_create(mock_dispatch *dispatch) {
  mock_ws *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->dispatch = dispatch;
  pthread_mutex_init(&w->lock, NULL);
  return w;
}

void mock_ws_destroy(mock_ws *w) {
  if (!w) return;
  atomic_store(&w->closing, true);
  pthread_mutex_lock(&w->lock);
  reap(w, true);
  pthread_mutex_unlock(&w->lock);
  pthread_mutex_destroy(&w->lock);
  free(w);
}

void mock_ws_drop_all(mock_ws *w) {
  pthread_mutex_lock(&w->lock);
  for (ws_conn *c = w->conns; c; c = c->next)
    kill_conn(c);
  reap(w, true);
  pthread_mutex_unlock(&w->lock);
}

unsigned mock_ws_connections(mock_ws *w) {
  pthread_mutex_lock(&w->lock);
  reap(w, false);
  unsigned n = w->n_conns;
  pthread_mutex_unlock(&w->lock);
  return n;
}

/* The value of header `name` in the request head `req` (case-insensitive
 * name), copied into out; false when absent or too long. */
static bool header_value(const char *req, const char *name, char *out,
                         size_t cap) {
  size_t nl = strlen(name);
  for (const char *line = strstr(req, "\r\n"); line;
       line = strstr(line, "\r\n")) {
    line += 2;
    if (strncasecmp(line, name, nl) != 0 || line[nl] != ':') continue;
    const char *v = line + nl + 1;
    while (*v == ' ' || *v == '\t')
      v++;
    size_t n = strcspn(v, "\r\n");
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
      n--;
    if (n >= cap) return false;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
  }
  return false;
}

/* Starts a connection's reader and writer threads on `fd` (the request
 * head consumed). */
static bool adopt(mock_ws *w, int fd) {
  ws_conn *c = calloc(1, sizeof *c);
  if (!c) return false;
  c->w = w;
  c->sock = fd;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct timeval to = {SEND_TIMEOUT_S, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &to, sizeof to);
  pthread_mutex_init(&c->out_lock, NULL);
  pthread_cond_init(&c->out_cv, NULL);
  pthread_mutex_lock(&w->lock);
  reap(w, false);
  bool writer = false;
  if (atomic_load(&w->closing) ||
      !(writer = pthread_create(&c->writer, NULL, writer_main, c) == 0) ||
      pthread_create(&c->thread, NULL, conn_main, c) != 0) {
    pthread_mutex_unlock(&w->lock);
    if (writer) {
      kill_conn(c);
      pthread_join(c->writer, NULL);
    }
    pthread_mutex_destroy(&c->out_lock);
    pthread_cond_destroy(&c->out_cv);
    free(c);
    return false;
  }
  c->next = w->conns;
  w->conns = c;
  w->n_conns++;
  pthread_mutex_unlock(&w->lock);
  return true;
}

int mock_ws_take(mock_ws *w, int fd, const atomic_bool *stop) {
  /* Peek at the request head until it is whole (a head may come in many
   * TCP writes), at most 8 KiB and HEAD_WAIT_MS: an upgrade is ours,
   * anything else goes to MHD untouched, at once when it cannot be an
   * upgrade (not a GET). This runs on a thread of the connection's own:
   * a silent client delays nobody else. */
  char head[8193];
  ssize_t n = 0, seen = -1;
  long long until = sp_monotonic_ms() + HEAD_WAIT_MS;
  while (!atomic_load(stop) && !atomic_load(&w->closing) &&
         sp_monotonic_ms() < until) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 50) < 0 && errno != EINTR) return 0;
    n = recv(fd, head, sizeof head - 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return 0; /* closed: let MHD see that */
    if (n < 0 && errno != EAGAIN && errno != EINTR) return 0;
    if (n <= 0) continue;
    head[n] = '\0';
    if (strncmp(head, "GET ", (size_t)n < 4 ? (size_t)n : 4) != 0) return 0;
    if (strstr(head, "\r\n\r\n") || (size_t)n == sizeof head - 1) break;
    if (n == seen) { /* poll says readable at once: wait for more */
      struct timespec ts = {0, 5000000};
      nanosleep(&ts, NULL);
    }
    seen = n;
  }
  if (atomic_load(stop) || atomic_load(&w->closing)) {
    close(fd);
    return 1;
  }
  if (n <= 0 || strncmp(head, "GET ", 4) != 0) return 0;
  char *end = strstr(head, "\r\n\r\n");
  char upgrade[32];
  if (!end || !header_value(head, "Upgrade", upgrade, sizeof upgrade) ||
      strcasecmp(upgrade, "websocket") != 0)
    return 0;
  end[2] = '\0';
  size_t head_len = (size_t)(end - head) + 4;
  char sink[8193];
  if (recv(fd, sink, head_len, MSG_WAITALL) != (ssize_t)head_len) {
    close(fd);
    return 1;
  }
  char key[80], version[8];
  if (!header_value(head, "Sec-WebSocket-Key", key, sizeof key) ||
      !header_value(head, "Sec-WebSocket-Version", version, sizeof version) ||
      strcmp(version, "13") != 0) {
    static const char bad[] =
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 30\r\nConnection: "
        "close\r\n\r\nbad WebSocket upgrade request\n";
    (void)!send(fd, bad, sizeof bad - 1, MSG_NOSIGNAL);
    close(fd);
    return 1;
  }
  /* Sec-WebSocket-Accept: base64(SHA-1(key + GUID)) (RFC 6455 4.2.2) */
  char joined[160];
  snprintf(joined, sizeof joined, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
           key);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1((const unsigned char *)joined, strlen(joined), digest);
  char accept[64];
  EVP_EncodeBlock((unsigned char *)accept, digest, SHA_DIGEST_LENGTH);
  char reply[256];
  int rl = snprintf(reply, sizeof reply,
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                    accept);
  if (send(fd, reply, (size_t)rl, MSG_NOSIGNAL) != rl || !adopt(w, fd))
    close(fd);
  return 1;
}

/* ----------------------------------------------------- notifications -- */

void mock_ws_publish_head(mock_ws *w, bool finalized, const json_t *header) {
  pthread_mutex_lock(&w->lock);
  for (ws_conn *c = w->conns; c; c = c->next) {
    if (atomic_load(&c->dead) || c->stalled) continue;
    for (size_t i = 0; i < c->n_subs; i++) {
      ws_sub *s = &c->subs[i];
      if (s->kind != (finalized ? SUB_FINALIZED : SUB_HEADS)) continue;
      json_t *n = notice(finalized ? "chain_finalizedHead" : "chain_newHead",
                         s->id, json_deep_copy(header));
      if (n && !send_json(c, n, true)) kill_conn(c);
      json_decref(n);
    }
  }
  pthread_mutex_unlock(&w->lock);
}

void mock_ws_publish_extrinsic(mock_ws *w, const char *hash_hex,
                               const json_t *status, bool last) {
  pthread_mutex_lock(&w->lock);
  for (ws_conn *c = w->conns; c; c = c->next) {
    if (atomic_load(&c->dead) || c->stalled) continue;
    for (size_t i = 0; i < c->n_subs; i++) {
      ws_sub *s = &c->subs[i];
      if (s->kind != SUB_WATCH || strcasecmp(s->hash, hash_hex) != 0) continue;
      json_t *n =
          notice("author_extrinsicUpdate", s->id, json_deep_copy(status));
      if (n && !send_json(c, n, true)) kill_conn(c);
      json_decref(n);
      if (last) c->subs[i--] = c->subs[--c->n_subs];
    }
  }
  pthread_mutex_unlock(&w->lock);
}
