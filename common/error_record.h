/*
 * The error record of subpow: what went wrong, as a code of the one code
 * space (common/error.h) and one English sentence that says what and where,
 * "state_getStorage: response id 7 does not match request id 3", with the
 * cause below it where there is one (the errno of a failed system call, the
 * code of a lower layer's error that this one reports).
 *
 * A fallible function returns 0 on success or a negative sp_error code and,
 * when the caller passes a record, fills it. The message is meant for a
 * user's terminal as is (outside text in it is escaped, common/sanitize.h);
 * the libraries themselves never print. Outer layers may prefix context
 * ("register: ...") with sp_error_wrap.
 *
 * errno values are never returned as codes (EIO is 5, which is also
 * SP_ECRYPTO): a failed system call becomes a code of common/error.h
 * (sp_error_from_errno) with its errno kept in `sys_errno`, which
 * sp_error_fail_errno does in one call.
 */
#ifndef SUBPOW_COMMON_ERROR_RECORD_H
#define SUBPOW_COMMON_ERROR_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_error_record {
  int code;         /* an sp_error code (positive), 0 when no error */
  int cause;        /* the lower layer's sp_error code it reports, or 0 */
  int sys_errno;    /* the errno of the failed system call, or 0 */
  int64_t rpc_code; /* SP_CHAIN_ERPC: the JSON-RPC error code (0: none) */
  long http_status; /* SP_CHAIN_EHTTP: the last HTTP status */
  /* SP_CHAIN_ETRANSPORT: the request cannot have reached the server (the
   * name did not resolve, the connection was refused): a submission that
   * failed so is surely not in the node's pool. */
  bool not_sent;
  /* One sentence, NUL-terminated. 1 KiB: a path of up to 511 characters
   * (common/user_file.c escapes it into 512) and its reason, or --backend
   * auto's reason for each backend, fit whole. */
  char message[1024];
} sp_error_record;

/*
 * Records an error in `err` (which may be NULL) and returns -code, so that
 * `return sp_error_fail(err, SP_CHAIN_ESCALE, "...", ...);` is one line.
 * cause, sys_errno, rpc_code, http_status and not_sent are reset.
 */
int sp_error_fail(sp_error_record *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * For a failed system call whose errno is `errnum` (positive): records the
 * code sp_error_from_errno(-errnum) gives (-SP_ENOT_FOUND, -SP_ENOT_REGULAR,
 * -SP_EACCESS, -SP_EEXISTS, or -SP_EIO for any other), keeps `errnum` in
 * sys_errno, and ends the message with ": " and strerror(errnum). Returns that
 * negative code.
 */
int sp_error_fail_errno(sp_error_record *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Prefixes the message already in `err` with a formatted context and ": ";
 * the code and cause are kept. Returns -err->code (or `fallback`, negated
 * when positive, when err is NULL or holds no code) so that callers can
 * `return sp_error_wrap(...)`.
 */
int sp_error_wrap(sp_error_record *err, int fallback, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears `err` (may be NULL). */
void sp_error_clear(sp_error_record *err);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_ERROR_RECORD_H */
