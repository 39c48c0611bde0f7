/* The one error-code space (common/error.h): every code is one number of its
 * own and has a description, across the layers. */
#include <criterion/criterion.h>
#include <string.h>

#include "backend/backend.h"
#include "chain/codec/chain_error.h"
#include "common/error.h"

static const int codes[] = {
    SP_EHEX_CHAR,
    SP_EHEX_ODD,
    SP_EHEX_SIZE,
    SP_ERANGE,
    SP_ECRYPTO,
    SP_ENOMEM,
    SP_EINVAL,
    SP_CHAIN_EARG,
    SP_CHAIN_ENOMEM,
    SP_CHAIN_ETRANSPORT,
    SP_CHAIN_EHTTP,
    SP_CHAIN_ERPC,
    SP_CHAIN_EPROTOCOL,
    SP_CHAIN_ESCALE,
    SP_CHAIN_EMETADATA,
    SP_CHAIN_ENOTFOUND,
    SP_CHAIN_EUNSUPPORTED,
    SP_CHAIN_ETYPE,
    SP_CHAIN_ESIGN,
    SP_CHAIN_ETIMEOUT,
    SP_CHAIN_ECRYPTO,
    SP_EBASE58,
    SP_ESS58_LENGTH,
    SP_ESS58_PREFIX,
    SP_ESS58_CHECKSUM,
    SP_EBAD_PUBLIC,
    SP_EBAD_SECRET,
    SP_EBAD_SIGNATURE,
    SP_EMNEMONIC_WORD,
    SP_EMNEMONIC_COUNT,
    SP_EMNEMONIC_CHECKSUM,
    SP_EIO,
    SP_ENOT_FOUND,
    SP_EEXISTS,
    SP_EKEYFILE_JSON,
    SP_EKEYFILE_FIELD,
    SP_EKEYFILE_NO_SECRET,
    SP_EKEYFILE_MISMATCH,
    SP_EENCRYPTED_FORMAT,
    SP_EDECRYPT,
    SP_ENO_PASSWORD,
    SP_EPASSWORD,
    SP_EUNSUPPORTED,
    SP_EUNAVAILABLE,
};
#define N_CODES (sizeof codes / sizeof codes[0])

Test(errors, every_code_is_unique_and_described) {
  for (size_t i = 0; i < N_CODES; i++) {
    cr_assert_gt(codes[i], 0);
    cr_assert_str_neq(sp_strerror(codes[i]), "unknown error", "code %d",
                      codes[i]);
    cr_assert_str_eq(sp_strerror(codes[i]), sp_strerror(-codes[i]));
    for (size_t k = i + 1; k < N_CODES; k++)
      cr_assert_neq(codes[i], codes[k], "codes %zu and %zu", i, k);
  }
  cr_assert_str_eq(sp_strerror(0), "success");
  cr_assert_str_eq(sp_strerror(12345), "unknown error");
}

/* It was -100, the value of -SP_CHAIN_EARG: a chain argument error read as
 * "no GPU" and the other way round. */
Test(errors, backend_unavailable_is_its_own_code) {
  cr_assert_eq(SP_BACKEND_UNAVAILABLE, -SP_EUNAVAILABLE);
  for (size_t i = 0; i < N_CODES; i++)
    if (codes[i] != SP_EUNAVAILABLE)
      cr_assert_neq(SP_BACKEND_UNAVAILABLE, -codes[i], "code %d", codes[i]);
  cr_assert_not_null(strstr(sp_strerror(SP_BACKEND_UNAVAILABLE), "backend"));
}
