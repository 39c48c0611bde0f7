/*
 * Errors of the chain client library.
 *
 * Every fallible function of chain/ returns 0 on success or a negative
 * code of common/error.h (SP_CHAIN_* for the codec and client), and (when the caller passes one) fills an sp_chain_error
 * with the code and one English sentence that says what was wrong, where:
 * "state_getStorage: response id 7 does not match request id 3". The message
 * is meant for a user's terminal as is; the library itself never prints.
 * Outer layers may prefix context ("register: ...") with sp_chain_error_wrap.
 */
#ifndef SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H
#define SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_chain_error {
  int code;          /* an SP_CHAIN_* code (positive), 0 when no error */
  int64_t rpc_code;  /* SP_CHAIN_ERPC: the JSON-RPC error code (0: none) */
  long http_status;  /* SP_CHAIN_EHTTP: the last HTTP status */
  /* SP_CHAIN_ETRANSPORT: the request cannot have reached the server (the
   * name did not resolve, the connection was refused): a submission that
   * failed so is surely not in the node's pool. */
  bool not_sent;
  char message[512]; /* one sentence, NUL-terminated */
} sp_chain_error;

/*
 * Records an error in `err` (which may be NULL) and returns -code, so that
 * `return sp_chain_fail(err, SP_CHAIN_ESCALE, "...", ...);` is one line.
 * rpc_code, http_status and not_sent are reset.
 */
int sp_chain_fail(sp_chain_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Prefixes the message already in `err` with a formatted context and ": ";
 * the code is kept. Returns -err->code (or `fallback` when err is NULL or
 * holds no code) so that callers can `return sp_chain_error_wrap(...)`.
 */
int sp_chain_error_wrap(sp_chain_error *err, int fallback, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears `err` (may be NULL). */
void sp_chain_error_clear(sp_chain_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H */
