/* JSON-RPC 2.0 over WebSocket with libwebsockets (see ws.h). */
#include "chain/client/ws.h"

#include <errno.h>
#include <libwebsockets.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/deadline.h"
#include "common/rng.h"
#include "common/sanitize.h"
#include "common/utf8.h"

/* ------------------------------------------------------------ state ---- */

/* A message waiting to be written (LWS_PRE bytes of headroom first). */
typedef struct outmsg {
  struct outmsg *next;
  size_t len;
  unsigned char data[]; /* LWS_PRE + len */
} outmsg;

/* A request waiting for its answer. */
typedef struct pending {
  struct pending *next;
  int64_t id;
  uint64_t conn; /* the connection it was sent on */
  bool done;     /* answer (text) or failure (fail_rc, fail_msg) */
  bool discard;  /* nobody waits: the answer is dropped */
  bool internal; /* a resubscription: nobody waits either */
  char *text;    /* the answer, as received */
  size_t len;
  int fail_rc;
  char fail_msg[256];
  struct sp_ws_sub *sub; /* a (re)subscription: the answer activates it */
} pending;

struct sp_ws_sub {
  struct sp_ws_sub *next;
  char method[64], unsubscribe[64];
  json_t *params; /* kept for resubscribing */
  bool resubscribe;
  sp_ws_notify_fn fn;
  void *user;
  char server_id[128]; /* "" until the node answered */
  bool active;
  bool gap_pending; /* a resubscription: SP_WS_GAP once it is active */
};

struct sp_ws {
  char url[1024];
  char host[256], path[512];
  int port;
  bool tls;
  sp_rpc_options opts;
  struct lws_context *ctx;
  pthread_t thread;
  bool thread_started;
  atomic_bool stop;
  lws_retry_bo_t policy;
  lws_sorted_usec_list_t sul_connect;

  pthread_mutex_t mu; /* everything below */
  pthread_cond_t cv;
  struct lws *wsi; /* the open (or opening) connection, service thread */
  bool open;       /* established */
  uint64_t conn;   /* number of the current connection (1, 2, ...) */
  int failures;    /* consecutive connect failures, for the backoff */
  bool refused;    /* the last connect was refused before the node ever
                      answered (see jsonrpc.h): calls fail at once,
                      until a connection opens */
  outmsg *out_head, *out_tail;
  pending *pend;
  struct sp_ws_sub *subs;
  int64_t next_id;
  uint64_t rng;
  sp_ws_stats stats;
  /* the message being reassembled (service thread only) */
  struct sp_ws_sub *calling; /* whose callback runs now (unlocked) */
  uint64_t kill_conn;        /* a call timed out on this connection: end it */
  char *rx;
  size_t rx_len, rx_cap;
  bool rx_bad; /* over the limit or binary: closing */
};

/* ---------------------------------------------------- pure helpers ---- */

bool sp_ws_append(char **buf, size_t *have, size_t *cap, const char *data,
                  size_t len, size_t max) {
  if (len > max || *have > max - len) return false;
  if (*have + len + 1 > *cap) {
    size_t c = *cap ? *cap : 4096;
    while (c < *have + len + 1)
      c *= 2;
    char *grown = realloc(*buf, c);
    if (!grown) return false;
    *buf = grown;
    *cap = c;
  }
  if (len) memcpy(*buf + *have, data, len);
  *have += len;
  (*buf)[*have] = '\0';
  return true;
}

sp_ws_msg_kind sp_ws_classify(const char *msg, size_t len, int64_t *id,
                              char *sub_id, size_t sub_cap, json_t **result,
                              sp_chain_error *err) {
  char q[SP_EXCERPT_SIZE];
  if (result) *result = NULL;
  if (!sp_utf8_valid(msg, len)) {
    sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                  "the node sent a text message that is not UTF-8: \"%s\"",
                  sp_excerpt(msg, len, q));
    return SP_WS_MSG_BAD;
  }
  json_error_t je;
  json_t *doc = json_loadb(msg, len, JSON_REJECT_DUPLICATES, &je);
  if (!doc || !json_is_object(doc)) {
    sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                  "the node sent a message that is not a JSON object (%s): "
                  "\"%s\"",
                  doc ? "not an object" : je.text, sp_excerpt(msg, len, q));
    json_decref(doc);
    return SP_WS_MSG_BAD;
  }
  sp_ws_msg_kind kind = SP_WS_MSG_BAD;
  json_t *jid = json_object_get(doc, "id");
  json_t *method = json_object_get(doc, "method");
  json_t *params = json_object_get(doc, "params");
  if (jid && !json_is_null(jid)) {
    if (json_is_integer(jid)) {
      *id = json_integer_value(jid);
      kind = SP_WS_MSG_ANSWER;
    } else {
      sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                    "the node answered with an id that is not an integer: "
                    "\"%s\"",
                    sp_excerpt(msg, len, q));
    }
  } else if (json_is_string(method) && json_is_object(params)) {
    json_t *sub = json_object_get(params, "subscription");
    json_t *res = json_object_get(params, "result");
    char text[160] = "";
    if (json_is_string(sub))
      snprintf(text, sizeof text, "%s", json_string_value(sub));
    else if (json_is_integer(sub))
      snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT,
               json_integer_value(sub));
    if (!text[0] || !res) {
      sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                    "a notification without \"subscription\" and \"result\": "
                    "\"%s\"",
                    sp_excerpt(msg, len, q));
    } else if (strlen(text) + 1 > sub_cap) {
      sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                    "a subscription id longer than %zu bytes", sub_cap - 1);
    } else {
      memcpy(sub_id, text, strlen(text) + 1);
      if (result) *result = json_incref(res);
      kind = SP_WS_MSG_NOTICE;
    }
  } else if (jid) {
    /* id null: the node could not parse a request of ours (JSON-RPC 2.0
     * section 5); nothing to match it with. */
    sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                  "the node answered with a null id: \"%s\"",
                  sp_excerpt(msg, len, q));
  } else {
    sp_chain_fail(err, SP_CHAIN_EPROTOCOL,
                  "a message that is neither an answer nor a notification: "
                  "\"%s\"",
                  sp_excerpt(msg, len, q));
  }
  json_decref(doc);
  return kind;
}

/* ------------------------------------------------ service thread ---- */

/* The backoff of jsonrpc.h, from this connection's generator. Caller holds
 * mu. */
static long backoff_ms(sp_ws *ws, int step_no) {
  return sp_rpc_backoff_ms(&ws->opts, &ws->rng, step_no);
}

static void connect_now(lws_sorted_usec_list_t *sul);

static void schedule_connect(sp_ws *ws, long ms) {
  lws_sul_schedule(ws->ctx, 0, &ws->sul_connect, connect_now,
                   (lws_usec_t)ms * 1000);
}

/* Queues a text message; caller holds mu. Returns 0 or -SP_CHAIN_ENOMEM
 * (the caller records it). */
static int enqueue(sp_ws *ws, const char *text, size_t len) {
  outmsg *m = malloc(sizeof *m + LWS_PRE + len);
  if (!m) return -SP_CHAIN_ENOMEM;
  m->next = NULL;
  m->len = len;
  memcpy(m->data + LWS_PRE, text, len);
  if (ws->out_tail)
    ws->out_tail->next = m;
  else
    ws->out_head = m;
  ws->out_tail = m;
  return 0;
}

static void clear_outq(sp_ws *ws) {
  for (outmsg *m = ws->out_head, *n; m; m = n) {
    n = m->next;
    free(m);
  }
  ws->out_head = ws->out_tail = NULL;
}

/* Queues request `text` (id `id`) and lists it as waiting for its answer;
 * with `sub` it is a subscription request (its answer activates it), with
 * `discard` nobody waits. Caller holds mu. Returns the pending entry, or
 * NULL without memory. */
static pending *queue_request(sp_ws *ws, int64_t id, const char *text,
                              size_t len, struct sp_ws_sub *sub, bool discard) {
  pending *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->id = id;
  p->conn = ws->conn;
  p->sub = sub;
  p->discard = discard;
  if (enqueue(ws, text, len) != 0) {
    free(p);
    return NULL;
  }
  p->next = ws->pend;
  ws->pend = p;
  ws->stats.attempts++;
  return p;
}

/* A request of the connection's own (a resubscription, an unsubscription),
 * as queue_request; caller holds mu. Returns the pending entry or NULL. */
static pending *send_request(sp_ws *ws, const char *method, json_t *params,
                             struct sp_ws_sub *sub, bool discard) {
  int64_t id = ws->next_id++;
  json_t *req = json_pack("{s:s,s:I,s:s,s:O}", "jsonrpc", "2.0", "id",
                          (json_int_t)id, "method", method, "params", params);
  char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
  json_decref(req);
  pending *p =
      text ? queue_request(ws, id, text, strlen(text), sub, discard) : NULL;
  free(text);
  return p;
}

static void unlink_pending(sp_ws *ws, pending *p) {
  for (pending **pp = &ws->pend; *pp; pp = &(*pp)->next)
    if (*pp == p) {
      *pp = p->next;
      return;
    }
}

static void free_pending(pending *p) {
  if (!p) return;
  free(p->text);
  free(p);
}

/* Runs sub's callback unlocked, `calling` set (by the caller, under mu):
 * sp_ws_unsubscribe waits for it to clear, so `sub` stays valid. */
static void run_callback(sp_ws *ws, struct sp_ws_sub *sub, sp_ws_event ev,
                         const json_t *result) {
  if (!sub) return;
  sub->fn(sub->user, ev, result);
  pthread_mutex_lock(&ws->mu);
  ws->calling = NULL;
  pthread_cond_broadcast(&ws->cv);
  pthread_mutex_unlock(&ws->mu);
}

static bool listed(sp_ws *ws, struct sp_ws_sub *sub) {
  for (struct sp_ws_sub *s = ws->subs; s; s = s->next)
    if (s == sub) return true;
  return false;
}

/* Whether every address of host:port refuses a TCP connection now
 * (ECONNREFUSED): lws' connect error does not say why a connect failed
 * ("Unable to connect" for a refusal and a timeout alike), so the first
 * failed connect is asked again, directly, for at most `wait_ms`. */
static bool connection_refused(const char *host, int port, long wait_ms) {
  char service[16];
  snprintf(service, sizeof service, "%d", port);
  struct addrinfo hints, *list = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, service, &hints, &list) != 0 || !list) return false;
  bool all_refused = true;
  for (struct addrinfo *a = list; a && all_refused; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    a->ai_protocol);
    if (fd < 0) {
      all_refused = false;
      break;
    }
    int e = 0;
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      e = errno;
      if (e == EINPROGRESS) {
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        if (poll(&pfd, 1, (int)wait_ms) == 1) {
          socklen_t l = sizeof e;
          if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) != 0) e = 0;
        } else {
          e = ETIMEDOUT;
        }
      }
    }
    close(fd);
    if (e != ECONNREFUSED) all_refused = false;
  }
  freeaddrinfo(list);
  return all_refused;
}

/* The connection ended (or never opened): every request on it fails, every
 * subscription either waits to be made again or is lost. */
static void connection_gone(sp_ws *ws, const char *why) {
  struct sp_ws_sub *lost[64];
  size_t n_lost = 0;
  pthread_mutex_lock(&ws->mu);
  bool was_open = ws->open;
  bool never = !was_open && ws->stats.connects == 0;
  pthread_mutex_unlock(&ws->mu);
  bool refused = never && !atomic_load(&ws->stop) &&
                 connection_refused(ws->host, ws->port, 1000);
  pthread_mutex_lock(&ws->mu);
  ws->refused = refused;
  ws->wsi = NULL;
  ws->open = false;
  if (why && *why)
    snprintf(ws->stats.last_error, sizeof ws->stats.last_error, "%s", why);
  for (pending **pp = &ws->pend; *pp;) {
    pending *p = *pp;
    if (p->discard || p->internal) { /* nobody waits */
      *pp = p->next;
      free_pending(p);
      continue;
    }
    if (!p->done) {
      p->done = true;
      p->fail_rc = -SP_CHAIN_ETRANSPORT;
      snprintf(p->fail_msg, sizeof p->fail_msg, "%s: %s", ws->url,
               ws->stats.last_error[0] ? ws->stats.last_error
                                       : "the connection closed");
    }
    pp = &p->next;
  }
  clear_outq(ws);
  if (was_open) {
    for (struct sp_ws_sub *s = ws->subs; s; s = s->next) {
      if (!s->active && !s->gap_pending) continue;
      s->server_id[0] = '\0';
      s->active = false;
      if (s->resubscribe)
        s->gap_pending = true;
      else if (n_lost < 64)
        lost[n_lost++] = s;
    }
  }
  ws->failures++;
  long wait = was_open ? 0 : backoff_ms(ws, ws->failures);
  if (was_open) ws->failures = 0;
  pthread_cond_broadcast(&ws->cv);
  pthread_mutex_unlock(&ws->mu);
  for (size_t i = 0; i < n_lost; i++) {
    pthread_mutex_lock(&ws->mu);
    bool still = listed(ws, lost[i]);
    if (still) ws->calling = lost[i];
    pthread_mutex_unlock(&ws->mu);
    if (still) run_callback(ws, lost[i], SP_WS_LOST, NULL);
  }
  if (!atomic_load(&ws->stop)) schedule_connect(ws, wait);
}

static void connect_now(lws_sorted_usec_list_t *sul) {
  sp_ws *ws = lws_container_of(sul, sp_ws, sul_connect);
  if (atomic_load(&ws->stop)) return;
  struct lws_client_connect_info ci;
  memset(&ci, 0, sizeof ci);
  ci.context = ws->ctx;
  ci.address = ws->host;
  ci.port = ws->port;
  ci.path = ws->path;
  ci.host = ws->host;
  ci.origin = ws->host;
  ci.ssl_connection = ws->tls ? LCCSCF_USE_SSL : 0;
  ci.protocol = NULL; /* Substrate's server takes no subprotocol */
  ci.local_protocol_name = "subpow-jsonrpc";
  ci.retry_and_idle_policy = &ws->policy;
  ci.userdata = ws;
  pthread_mutex_lock(&ws->mu);
  ws->wsi = NULL;
  pthread_mutex_unlock(&ws->mu);
  struct lws *wsi = lws_client_connect_via_info(&ci);
  if (!wsi) {
    /* lws may already have called CONNECTION_ERROR, which schedules */
    bool scheduled = lws_dll2_is_detached(&ws->sul_connect.list) == 0;
    if (!scheduled) connection_gone(ws, "cannot start a connection");
    return;
  }
  pthread_mutex_lock(&ws->mu);
  ws->wsi = wsi;
  pthread_mutex_unlock(&ws->mu);
}

/* After a connection opened: the subscriptions to make again. */
static void resubscribe_all(sp_ws *ws) {
  for (struct sp_ws_sub *s = ws->subs; s; s = s->next)
    if (s->gap_pending && s->resubscribe) {
      pending *p = send_request(ws, s->method, s->params, s, false);
      if (p) p->internal = true;
    }
}

/* Ends the connection over a message we refuse; `why` becomes the error
 * of the calls on it. */
static void refuse(sp_ws *ws, struct lws *wsi, const char *why) {
  pthread_mutex_lock(&ws->mu);
  ws->stats.bad_messages++;
  snprintf(ws->stats.last_error, sizeof ws->stats.last_error, "%s", why);
  pthread_mutex_unlock(&ws->mu);
  ws->rx_bad = true;
  ws->rx_len = 0;
  lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* One complete text message from the node. */
static int on_message(sp_ws *ws, struct lws *wsi) {
  int64_t id = 0;
  char sub_id[128];
  json_t *result = NULL;
  sp_chain_error err = {0};
  sp_ws_msg_kind kind = sp_ws_classify(ws->rx, ws->rx_len, &id, sub_id,
                                       sizeof sub_id, &result, &err);
  if (kind == SP_WS_MSG_BAD) {
    refuse(ws, wsi, err.message); /* reconnect; the calls on it retried */
    return 0;
  }
  lws_validity_confirmed(wsi);
  struct sp_ws_sub *to_call = NULL;
  sp_ws_event ev = SP_WS_NOTIFY;
  pthread_mutex_lock(&ws->mu);
  if (kind == SP_WS_MSG_ANSWER) {
    pending *p = ws->pend;
    while (p && !(p->id == id && !p->done))
      p = p->next;
    if (!p) {
      ws->stats.stray_answers++;
    } else if (p->discard) {
      unlink_pending(ws, p);
      free_pending(p);
    } else if (p->internal) {
      /* a resubscription's answer: nobody waits */
      struct sp_ws_sub *s = p->sub;
      json_t *res = NULL;
      if (sp_rpc_parse_response(ws->rx, ws->rx_len, s->method, id,
                                SP_RPC_STRING | SP_RPC_INTEGER, &res,
                                NULL) == 0) {
        if (json_is_string(res))
          snprintf(s->server_id, sizeof s->server_id, "%s",
                   json_string_value(res));
        else
          snprintf(s->server_id, sizeof s->server_id, "%" JSON_INTEGER_FORMAT,
                   json_integer_value(res));
        s->active = true;
        s->gap_pending = false;
        to_call = s;
        ev = SP_WS_GAP;
      }
      json_decref(res);
      unlink_pending(ws, p);
      free_pending(p);
    } else {
      p->text = malloc(ws->rx_len + 1);
      if (p->text) {
        memcpy(p->text, ws->rx, ws->rx_len + 1);
        p->len = ws->rx_len;
      } else {
        p->fail_rc = -SP_CHAIN_ENOMEM;
        snprintf(p->fail_msg, sizeof p->fail_msg, "out of memory");
      }
      /* A first subscription: active from now, before the next message
       * (its first notification may follow at once). */
      if (p->sub && p->text) {
        json_t *res = NULL;
        if (sp_rpc_parse_response(p->text, p->len, p->sub->method, id,
                                  SP_RPC_STRING | SP_RPC_INTEGER, &res,
                                  NULL) == 0) {
          if (json_is_string(res))
            snprintf(p->sub->server_id, sizeof p->sub->server_id, "%s",
                     json_string_value(res));
          else
            snprintf(p->sub->server_id, sizeof p->sub->server_id,
                     "%" JSON_INTEGER_FORMAT, json_integer_value(res));
          p->sub->active = true;
        }
        json_decref(res);
      }
      p->done = true;
      pthread_cond_broadcast(&ws->cv);
    }
  } else {
    for (struct sp_ws_sub *s = ws->subs; s; s = s->next)
      if (s->active && strcmp(s->server_id, sub_id) == 0) {
        to_call = s;
        break;
      }
    if (!to_call) ws->stats.stray_notices++;
  }
  ws->calling = to_call;
  pthread_mutex_unlock(&ws->mu);
  run_callback(ws, to_call, ev, result);
  json_decref(result);
  return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason,
                    void *user, void *in, size_t len) {
  (void)user;
  sp_ws *ws = lws_context_user(lws_get_context(wsi));
  if (!ws) return 0;
  switch (reason) {
  case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
    char why[200];
    snprintf(why, sizeof why, "cannot connect: %s",
             in && len ? (const char *)in : "connection failed");
    if (in && strstr((const char *)in, "SSL")) /* lws' words for TLS */
      snprintf(why, sizeof why,
               "TLS failed (a certificate not trusted by the system store "
               "or not for this host name?): %s",
               (const char *)in);
    connection_gone(ws, why);
    break;
  }
  case LWS_CALLBACK_CLIENT_ESTABLISHED:
    pthread_mutex_lock(&ws->mu);
    ws->wsi = wsi;
    ws->open = true;
    ws->conn++;
    ws->failures = 0;
    ws->refused = false;
    ws->stats.connects++;
    ws->rx_len = 0;
    ws->rx_bad = false;
    resubscribe_all(ws);
    pthread_cond_broadcast(&ws->cv);
    if (ws->out_head) lws_callback_on_writable(wsi);
    pthread_mutex_unlock(&ws->mu);
    break;
  case LWS_CALLBACK_CLIENT_WRITEABLE: {
    pthread_mutex_lock(&ws->mu);
    outmsg *m = ws->out_head;
    if (m) {
      ws->out_head = m->next;
      if (!ws->out_head) ws->out_tail = NULL;
    }
    bool more = ws->out_head != NULL;
    pthread_mutex_unlock(&ws->mu);
    if (!m) break;
    int n = lws_write(wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
    free(m);
    /* libwebsockets' contract, not an error code: a callback that returns
     * nonzero has the connection closed (then CLIENT_CLOSED) */
    if (n < 0) return -1;
    if (more) lws_callback_on_writable(wsi);
    break;
  }
  case LWS_CALLBACK_CLIENT_RECEIVE:
    if (lws_is_first_fragment(wsi)) {
      ws->rx_len = 0;
      ws->rx_bad = false;
    }
    /* A message to refuse: the rest of it is skipped and the connection
     * killed from the event loop (returning -1 in the middle of a frame
     * made lws 4.1.6 write past its rx buffer: valgrind). */
    if (ws->rx_bad) break;
    if (lws_frame_is_binary(wsi)) {
      refuse(ws, wsi, "the node sent a binary message (JSON-RPC is text)");
      break;
    }
    if (!sp_ws_append(&ws->rx, &ws->rx_len, &ws->rx_cap, in, len,
                      ws->opts.max_response_bytes)) {
      char why[128];
      snprintf(why, sizeof why, "the node sent a message larger than %zu bytes",
               ws->opts.max_response_bytes);
      refuse(ws, wsi, why);
      break;
    }
    if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0)
      on_message(ws, wsi);
    break;
  case LWS_CALLBACK_CLIENT_CLOSED:
    connection_gone(ws, ws->stats.last_error[0] ? NULL
                                                : "the node closed "
                                                  "the connection");
    break;
  case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
    pthread_mutex_lock(&ws->mu);
    if (ws->open && ws->wsi && ws->kill_conn == ws->conn) {
      /* a silent node: do not wait for the ping policy's hang-up */
      ws->kill_conn = 0;
      lws_set_timeout(ws->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    } else if (ws->open && ws->wsi && ws->out_head) {
      lws_callback_on_writable(ws->wsi);
    }
    pthread_mutex_unlock(&ws->mu);
    break;
  default: break;
  }
  return 0;
}

static void *service(void *arg) {
  sp_ws *ws = arg;
  schedule_connect(ws, 0);
  while (!atomic_load(&ws->stop))
    if (lws_service(ws->ctx, 0) < 0) break;
  return NULL;
}

/* ------------------------------------------------------------ API ---- */

static pthread_once_t log_once = PTHREAD_ONCE_INIT;
static void quiet_logs(void) {
  lws_set_log_level(getenv("SUBPOW_WS_DEBUG") ? 0xff : 0, NULL);
}

static int parse_url(sp_ws *ws, const char *url, sp_chain_error *err) {
  const char *rest;
  if (strncmp(url, "ws://", 5) == 0)
    rest = url + 5, ws->tls = false;
  else if (strncmp(url, "wss://", 6) == 0)
    rest = url + 6, ws->tls = true;
  else
    return sp_chain_fail(err, SP_CHAIN_EARG, "%s is not a ws:// or wss:// URL",
                         url);
  size_t hl = strcspn(rest, ":/");
  if (hl == 0 || hl >= sizeof ws->host)
    return sp_chain_fail(err, SP_CHAIN_EARG, "URL %s has no usable host", url);
  memcpy(ws->host, rest, hl);
  ws->host[hl] = '\0';
  const char *p = rest + hl;
  ws->port = ws->tls ? 443 : 80;
  if (*p == ':') {
    char *end;
    long port = strtol(p + 1, &end, 10);
    if (end == p + 1 || port < 1 || port > 65535 || (*end && *end != '/'))
      return sp_chain_fail(err, SP_CHAIN_EARG, "URL %s has a bad port", url);
    ws->port = (int)port;
    p = end;
  }
  snprintf(ws->path, sizeof ws->path, "%s", *p ? p : "/");
  for (const char *c = url; *c; c++)
    if ((unsigned char)*c <= ' ' || *c == 0x7f)
      return sp_chain_fail(err, SP_CHAIN_EARG,
                           "URL %s contains a space or control character", url);
  if (snprintf(ws->url, sizeof ws->url, "%s", url) >= (int)sizeof ws->url)
    return sp_chain_fail(err, SP_CHAIN_EARG, "URL %s is too long", url);
  return 0;
}

int sp_ws_open(sp_ws **out, const char *url, const sp_rpc_options *opts,
               sp_chain_error *err) {
  *out = NULL;
  sp_ws *ws = calloc(1, sizeof *ws);
  if (!ws) return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  if (opts)
    ws->opts = *opts;
  else
    sp_rpc_options_default(&ws->opts);
  if (ws->opts.ws_ping_s == 0) ws->opts.ws_ping_s = 20;
  if (ws->opts.ws_hangup_s <= ws->opts.ws_ping_s)
    ws->opts.ws_hangup_s = 2 * ws->opts.ws_ping_s;
  int rc = parse_url(ws, url ? url : "", err);
  if (rc) {
    free(ws);
    return rc;
  }
  pthread_once(&log_once, quiet_logs);
  pthread_mutex_init(&ws->mu, NULL);
  sp_cond_init_monotonic(&ws->cv);
  ws->next_id = 1;
  ws->rng = ws->opts.jitter_seed ? ws->opts.jitter_seed : sp_rng_seed();
  ws->policy.secs_since_valid_ping = (uint16_t)ws->opts.ws_ping_s;
  ws->policy.secs_since_valid_hangup = (uint16_t)ws->opts.ws_hangup_s;
  static const struct lws_protocols protocols[] = {
      /* rx chunk 16 KiB: messages are reassembled in ws->rx; lws 4.1.6 wrote
       * a byte past a full 64 KiB rx buffer (valgrind) */
      {"subpow-jsonrpc", callback, 0, 16384, 0, NULL, 0},
      {NULL, NULL, 0, 0, 0, NULL, 0}};
  struct lws_context_creation_info info;
  memset(&info, 0, sizeof info);
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = protocols;
  info.user = ws;
  /* TLS only for wss: loading the CA store costs ~0.5 s */
  info.options = ws->tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
  info.connect_timeout_secs =
      (unsigned)((ws->opts.connect_timeout_ms + 999) / 1000);
  /* the system store as OpenSSL knows it (see ws.h) */
  const char *ca_file = getenv(X509_get_default_cert_file_env());
  if (ws->tls)
    info.client_ssl_ca_filepath =
        ca_file && *ca_file ? ca_file : X509_get_default_cert_file();
  info.fd_limit_per_thread = 16;
  ws->ctx = lws_create_context(&info);
  if (!ws->ctx) {
    pthread_cond_destroy(&ws->cv);
    pthread_mutex_destroy(&ws->mu);
    free(ws);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM,
                         "libwebsockets failed to start (TLS set-up?)");
  }
  if (pthread_create(&ws->thread, NULL, service, ws) != 0) {
    lws_context_destroy(ws->ctx);
    pthread_cond_destroy(&ws->cv);
    pthread_mutex_destroy(&ws->mu);
    free(ws);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "cannot start a thread");
  }
  ws->thread_started = true;
  *out = ws;
  return 0;
}

void sp_ws_close(sp_ws *ws) {
  if (!ws) return;
  atomic_store(&ws->stop, true);
  lws_cancel_service(ws->ctx);
  if (ws->thread_started) pthread_join(ws->thread, NULL);
  lws_context_destroy(ws->ctx);
  clear_outq(ws);
  for (pending *p = ws->pend, *n; p; p = n) {
    n = p->next;
    free_pending(p);
  }
  for (struct sp_ws_sub *s = ws->subs, *n; s; s = n) {
    n = s->next;
    json_decref(s->params);
    free(s);
  }
  free(ws->rx);
  pthread_cond_destroy(&ws->cv);
  pthread_mutex_destroy(&ws->mu);
  free(ws);
}

const char *sp_ws_url(const sp_ws *ws) { return ws->url; }

void sp_ws_stats_get(sp_ws *ws, sp_ws_stats *out) {
  pthread_mutex_lock(&ws->mu);
  *out = ws->stats;
  pthread_mutex_unlock(&ws->mu);
}

/* A call on the connection (sp_rpc_wire's ctx): with `sub` it is a
 * subscription; `answer` holds the last attempt's answer. */
typedef struct ws_call {
  sp_ws *ws;
  struct sp_ws_sub *sub;
  char *answer;
} ws_call;

static int64_t ws_next_id(void *ctx) {
  sp_ws *ws = ((ws_call *)ctx)->ws;
  pthread_mutex_lock(&ws->mu);
  int64_t id = ws->next_id++;
  pthread_mutex_unlock(&ws->mu);
  return id;
}

/* One attempt (sp_rpc_wire.exchange): waits for the connection within the
 * connect timeout and the deadline, sends a->text on it and waits for the
 * answer with a->id until a->wait_ms or the connection goes away. */
static int ws_exchange(void *ctx, sp_rpc_attempt *a, sp_chain_error *err) {
  ws_call *c = ctx;
  sp_ws *ws = c->ws;
  const char *method = a->method;
  int attempt = a->number - 1;
  int rc;
  free(c->answer);
  c->answer = NULL;
  a->failure = SP_RPC_FAIL_FINAL;
  pthread_mutex_lock(&ws->mu);
  struct timespec until;
  until = sp_deadline_after_ms(
      CLOCK_MONOTONIC,
      sp_rpc_budget_ms(&ws->opts, ws->opts.connect_timeout_ms));
  while (!ws->open && !ws->refused)
    if (pthread_cond_timedwait(&ws->cv, &ws->mu, &until) == ETIMEDOUT) break;
  if (!ws->open && ws->refused) {
    rc = sp_rpc_fail_refused(err, method, ws->url);
    goto out;
  }
  if (!ws->open && sp_rpc_budget_ms(&ws->opts, 1) <= 0) {
    rc = sp_rpc_fail_deadline(err, method, ws->url, attempt + 1);
    if (err) err->not_sent = true;
    goto out;
  }
  if (!ws->open) {
    rc = sp_chain_fail(err, SP_CHAIN_ETRANSPORT,
                       "%s: %s: not connected within %ld ms: %s (attempt %d)",
                       method, ws->url, ws->opts.connect_timeout_ms,
                       ws->stats.last_error[0] ? ws->stats.last_error
                                               : "no answer",
                       attempt + 1);
    if (err) err->not_sent = true; /* nothing was written */
    a->failure = SP_RPC_FAIL_NOT_SENT;
    goto out;
  }
  pending *p = queue_request(ws, a->id, a->text, a->len, c->sub, false);
  if (!p) {
    rc = sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
    goto out;
  }
  lws_cancel_service(ws->ctx);
  long wait_ms = sp_rpc_budget_ms(&ws->opts, ws->opts.timeout_ms);
  until = sp_deadline_after_ms(CLOCK_MONOTONIC, wait_ms);
  while (!p->done)
    if (pthread_cond_timedwait(&ws->cv, &ws->mu, &until) == ETIMEDOUT) break;
  unlink_pending(ws, p);
  if (!p->done) {
    rc = sp_chain_fail(err, SP_CHAIN_ETRANSPORT,
                       "%s: %s: no answer within %ld ms (attempt %d)", method,
                       ws->url, wait_ms, attempt + 1);
    if (p->conn == ws->conn && ws->open) {
      ws->kill_conn = p->conn; /* the next attempt on a new connection */
      snprintf(ws->stats.last_error, sizeof ws->stats.last_error,
               "no answer within %ld ms", ws->opts.timeout_ms);
      lws_cancel_service(ws->ctx);
    }
    free_pending(p);
    a->failure = SP_RPC_FAIL_MAYBE_SENT;
    a->unknown_note = "the outcome is unknown";
    goto out;
  }
  if (p->fail_rc) {
    rc = sp_chain_fail(err, -p->fail_rc, "%s: %s (attempt %d)", method,
                       p->fail_msg, attempt + 1);
    free_pending(p);
    if (rc != -SP_CHAIN_ENOMEM) {
      a->failure = SP_RPC_FAIL_MAYBE_SENT;
      a->unknown_note = "the connection went away after the request was "
                        "sent: the outcome is unknown";
    }
    goto out;
  }
  /* the answer is this call's now */
  c->answer = p->text;
  p->text = NULL;
  a->answer = c->answer;
  a->answer_len = p->len;
  free_pending(p);
  rc = 0;
out:
  pthread_mutex_unlock(&ws->mu);
  return rc;
}

/* One request, retried as ws.h says (sp_rpc_run); with `sub` it is a
 * subscription. */
static int call(sp_ws *ws, const char *method, json_t *params, unsigned expect,
                json_t **result, struct sp_ws_sub *sub, sp_chain_error *err) {
  ws_call c = {.ws = ws, .sub = sub, .answer = NULL};
  sp_rpc_wire wire = {.exchange = ws_exchange,
                      .next_id = ws_next_id,
                      .new_id_per_attempt = true,
                      .ctx = &c,
                      .opts = &ws->opts,
                      .url = ws->url,
                      .rng = &ws->rng,
                      .rng_lock = &ws->mu};
  int rc = sp_rpc_run(&wire, method, params, expect, result, err);
  free(c.answer);
  return rc;
}

int sp_ws_call(sp_ws *ws, const char *method, json_t *params, unsigned expect,
               json_t **result, sp_chain_error *err) {
  *result = NULL;
  if (!params) params = json_array();
  if (!ws || !method || !json_is_array(params)) {
    json_decref(params);
    return sp_chain_fail(err, SP_CHAIN_EARG,
                         "sp_ws_call needs a connection, a method and an "
                         "array of parameters");
  }
  int rc = call(ws, method, params, expect, result, NULL, err);
  json_decref(params);
  return rc;
}

int sp_ws_subscribe(sp_ws *ws, const char *method, json_t *params,
                    const char *unsubscribe, bool resubscribe,
                    sp_ws_notify_fn fn, void *user, sp_ws_sub **out,
                    sp_chain_error *err) {
  *out = NULL;
  if (!params) params = json_array();
  if (!ws || !method || !fn || !json_is_array(params) || strlen(method) >= 64 ||
      (unsubscribe && strlen(unsubscribe) >= 64)) {
    json_decref(params);
    return sp_chain_fail(err, SP_CHAIN_EARG, "sp_ws_subscribe: bad arguments");
  }
  struct sp_ws_sub *s = calloc(1, sizeof *s);
  if (!s) {
    json_decref(params);
    return sp_chain_fail(err, SP_CHAIN_ENOMEM, "out of memory");
  }
  snprintf(s->method, sizeof s->method, "%s", method);
  snprintf(s->unsubscribe, sizeof s->unsubscribe, "%s",
           unsubscribe ? unsubscribe : "");
  s->params = params;
  s->resubscribe = resubscribe;
  s->fn = fn;
  s->user = user;
  pthread_mutex_lock(&ws->mu);
  s->next = ws->subs;
  ws->subs = s;
  pthread_mutex_unlock(&ws->mu);
  json_t *res = NULL;
  int rc =
      call(ws, method, params, SP_RPC_STRING | SP_RPC_INTEGER, &res, s, err);
  json_decref(res);
  /* rc 0: the id was taken by the service thread when the answer came (a
   * connection lost since then was told to fn as SP_WS_LOST or SP_WS_GAP) */
  if (rc) {
    s->resubscribe = false;
    sp_ws_unsubscribe(ws, s);
    return rc;
  }
  *out = s;
  return 0;
}

void sp_ws_unsubscribe(sp_ws *ws, sp_ws_sub *sub) {
  if (!ws || !sub) return;
  pthread_mutex_lock(&ws->mu);
  for (struct sp_ws_sub **pp = &ws->subs; *pp; pp = &(*pp)->next)
    if (*pp == sub) {
      *pp = sub->next;
      break;
    }
  for (pending *p = ws->pend; p; p = p->next)
    if (p->sub == sub && p->internal) p->sub = NULL, p->discard = true;
  if (sub->active && sub->unsubscribe[0] && ws->open) {
    json_t *params = json_pack("[s]", sub->server_id);
    if (params) send_request(ws, sub->unsubscribe, params, NULL, true);
    json_decref(params);
    lws_cancel_service(ws->ctx);
  }
  /* The service thread may be inside this sub's callback (it runs them
   * unlocked): wait for it to return. */
  while (ws->calling == sub)
    pthread_cond_wait(&ws->cv, &ws->mu);
  pthread_mutex_unlock(&ws->mu);
  json_decref(sub->params);
  free(sub);
}
