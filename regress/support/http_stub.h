/*
 * Test support: a tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that
 * answers every POST through a handler, so that tests can play a JSON-RPC
 * node that answers well, badly, slowly or not at all. It keeps connections
 * alive (so tests can see that the client reuses one) and serves from one
 * thread; handlers run on that thread.
 */
#ifndef SUBPOW_REGRESS_HTTP_STUB_H
#define SUBPOW_REGRESS_HTTP_STUB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sp_http_reply {
  int status;       /* HTTP status (200 when left 0) */
  char *body;       /* malloc'd; the stub frees it */
  bool raw;         /* body is the whole response, sent as is, then close */
  bool close_after; /* close the connection after this response */
  int delay_ms;     /* wait this long before answering */
} sp_http_reply;

/* Fills `reply` for one request body (NUL-terminated). */
typedef void (*sp_http_handler)(void *user, const char *body, size_t len,
                                sp_http_reply *reply);

typedef struct sp_http_stub sp_http_stub;

/* Starts the server; NULL on failure. */
sp_http_stub *sp_http_stub_start(sp_http_handler handler, void *user);
/* "http://127.0.0.1:<port>" */
const char *sp_http_stub_url(const sp_http_stub *s);
/* Connections accepted and requests answered so far. */
int sp_http_stub_connections(sp_http_stub *s);
int sp_http_stub_requests(sp_http_stub *s);
/* Stops the thread, closes every socket, frees the stub. */
void sp_http_stub_stop(sp_http_stub *s);

/* printf into a new malloc'd string (for reply bodies). */
char *sp_http_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
