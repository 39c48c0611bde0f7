/*
 * Errors of the chain client library.
 *
 * Every fallible function of chain/ returns 0 on success or a negative
 * sp_chain_code, and (when the caller passes one) fills an sp_chain_error
 * with the code and one English sentence that says what was wrong, where:
 * "state_getStorage: response id 7 does not match request id 3". The message
 * is meant for a user's terminal as is; the library itself never prints.
 * Outer layers may prefix context ("register: ...") with sp_chain_error_wrap.
 */
#ifndef SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H
#define SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Codes start at 100 so that they never meet reference.h's SP_E* codes. */
typedef enum sp_chain_code {
  SP_CHAIN_OK = 0,
  SP_CHAIN_EARG = 100,   /* an invalid argument from the caller */
  SP_CHAIN_ENOMEM,       /* allocation failed */
  SP_CHAIN_ETRANSPORT,   /* connection, TLS or timeout (after retries) */
  SP_CHAIN_EHTTP,        /* an HTTP status other than 200 (after retries) */
  SP_CHAIN_ERPC,         /* the node answered with a JSON-RPC error */
  SP_CHAIN_EPROTOCOL,    /* a malformed JSON-RPC response */
  SP_CHAIN_ESCALE,       /* SCALE bytes truncated, oversized or invalid */
  SP_CHAIN_EMETADATA,    /* metadata malformed or of an unknown version */
  SP_CHAIN_ENOTFOUND,    /* a pallet, call, storage item or type is absent */
  SP_CHAIN_EUNSUPPORTED, /* an encoding subpow does not know */
  SP_CHAIN_ETYPE,        /* a JSON value does not fit its SCALE type */
  SP_CHAIN_ESIGN,        /* the signer failed */
  SP_CHAIN_ETIMEOUT,     /* an extrinsic was not seen in a block in time */
  SP_CHAIN_ECRYPTO,      /* a hash library failed */
} sp_chain_code;

typedef struct sp_chain_error {
  int code;          /* an sp_chain_code (positive), 0 when no error */
  int64_t rpc_code;  /* SP_CHAIN_ERPC: the JSON-RPC error code */
  long http_status;  /* SP_CHAIN_EHTTP: the last HTTP status */
  /* SP_CHAIN_ETRANSPORT: the request cannot have reached the server (the
   * name did not resolve, the connection was refused): a submission that
   * failed so is surely not in the node's pool. */
  bool not_sent;
  char message[512]; /* one sentence, NUL-terminated */
} sp_chain_error;

/* A short name for a code ("SCALE decoding error"); positive or negative. */
const char *sp_chain_strerror(int code);

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
