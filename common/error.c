/* Descriptions of the error codes of common/error.h. */
#include "common/error.h"

#include <errno.h>

int sp_error_from_errno(int neg_errno) {
  switch (-neg_errno) {
  case ENOENT:
  case ENOTDIR: return -SP_ENOT_FOUND;
  case EISDIR:
  case EINVAL: return -SP_ENOT_REGULAR;
  case EACCES:
  case EPERM: return -SP_EACCESS;
  case EEXIST: return -SP_EEXISTS;
  default: return -SP_EIO;
  }
}

const char *sp_strerror(int code) {
  if (code < 0) code = -code;
  switch (code) {
  case SP_OK: return "success";
  case SP_EHEX_CHAR: return "not a hex digit";
  case SP_EHEX_ODD: return "odd number of hex digits";
  case SP_EHEX_SIZE: return "wrong number of bytes";
  case SP_ERANGE: return "number out of range";
  case SP_ECRYPTO: return "crypto library failure";
  case SP_ENOMEM: return "out of memory";
  case SP_EINVAL: return "invalid argument";

  case SP_CHAIN_EARG: return "invalid argument";
  case SP_CHAIN_ENOMEM: return "out of memory";
  case SP_CHAIN_ETRANSPORT: return "transport error";
  case SP_CHAIN_EHTTP: return "HTTP error";
  case SP_CHAIN_ERPC: return "JSON-RPC error";
  case SP_CHAIN_EPROTOCOL: return "malformed JSON-RPC response";
  case SP_CHAIN_ESCALE: return "SCALE decoding error";
  case SP_CHAIN_EMETADATA: return "invalid metadata";
  case SP_CHAIN_ENOTFOUND: return "not found in metadata";
  case SP_CHAIN_EUNSUPPORTED: return "unsupported encoding";
  case SP_CHAIN_ETYPE: return "value does not fit its type";
  case SP_CHAIN_ESIGN: return "signing failed";
  case SP_CHAIN_ETIMEOUT: return "timed out";
  case SP_CHAIN_ECRYPTO: return "hash library error";

  case SP_EBASE58: return "not a base58 string";
  case SP_ESS58_LENGTH: return "not an SS58 address of a 32-byte account";
  case SP_ESS58_PREFIX: return "SS58 address with a reserved prefix byte";
  case SP_ESS58_CHECKSUM: return "SS58 checksum mismatch";
  case SP_EBAD_PUBLIC: return "not a valid public key";
  case SP_EBAD_SECRET: return "not a valid secret key";
  case SP_EBAD_SIGNATURE: return "signature does not verify";
  case SP_EMNEMONIC_WORD:
    return "a word of the phrase is not in the BIP-39 list";
  case SP_EMNEMONIC_COUNT:
    return "a BIP-39 phrase has 12, 15, 18, 21 or 24 words";
  case SP_EMNEMONIC_CHECKSUM: return "BIP-39 phrase checksum mismatch";
  case SP_EIO: return "file read or write failed";
  case SP_ENOT_FOUND: return "file not found";
  case SP_EEXISTS: return "file already exists";
  case SP_EKEYFILE_JSON: return "key file is not a JSON object";
  case SP_EKEYFILE_FIELD: return "key file field has the wrong type or format";
  case SP_EKEYFILE_NO_SECRET:
    return "key file has no secretPhrase, secretSeed or privateKey";
  case SP_EKEYFILE_MISMATCH:
    return "key file's publicKey or ss58Address does not match its secret";
  case SP_EENCRYPTED_FORMAT: return "encrypted key file is truncated";
  case SP_EDECRYPT: return "wrong password, or the encrypted file was altered";
  case SP_ENO_PASSWORD:
    return "key file is encrypted and no password was given";
  case SP_EPASSWORD: return "could not read the password";
  case SP_EUNSUPPORTED:
    return "key file encryption not supported (only $NACL is)";
  case SP_ENOT_REGULAR:
    return "not a regular file (a directory, FIFO, socket or device)";
  case SP_EACCESS: return "permission denied";
  case SP_ENOT_DIR:
    return "not a directory (a file, FIFO or device is in the way)";

  case SP_EUNAVAILABLE: return "backend hardware not available";
  default: return "unknown error";
  }
}
