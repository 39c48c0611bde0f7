/*
 * Errors of the chain libraries: the project's error record
 * (common/error_record.h) under the names chain/ has used for it.
 *
 * Every fallible function of chain/ returns 0 on success or a negative
 * code of common/error.h (SP_CHAIN_* for the codec and client) and, when the
 * caller passes one, fills an sp_chain_error with the code and one English
 * sentence that says what was wrong, where: "state_getStorage: response id 7
 * does not match request id 3". New code may use the sp_error_* names.
 */
#ifndef SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H
#define SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H

#include "common/error_record.h"

typedef sp_error_record sp_chain_error;

/* sp_error_fail: records `code` and the formatted sentence, returns -code. */
#define sp_chain_fail sp_error_fail
/* sp_error_wrap: prefixes context to the recorded sentence. */
#define sp_chain_error_wrap sp_error_wrap
/* sp_error_clear. */
#define sp_chain_error_clear sp_error_clear

#endif /* SUBPOW_CHAIN_CODEC_CHAIN_ERROR_H */
