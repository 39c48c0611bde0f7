/*
 * The one error-code space of subpow.
 *
 * Every fallible function of every library returns 0 on success or the
 * negation of one of these codes; sp_strerror describes any of them. The
 * ranges keep each layer's codes apart (and every number unique), so a code
 * that crosses layers (a key file error surfacing through the chain client,
 * a backend's "no device" through the engine) still says what it is:
 *     1..99   the bottom layer and the reference (hex, numbers, crypto
 *             library, memory, arguments)
 *   100..199  the chain codec and client
 *   200..299  files, keys and wallets (chain/keys/, common/user_file.h)
 *   300..399  backends (backend/backend.h)
 * common/error_record.h adds the record that goes with a code: one sentence
 * and the cause.
 *
 * These numbers overlap errno's (EIO is 5, SP_ECRYPTO too), so no function
 * returns a negative errno as its code: sp_error_from_errno translates, and
 * the record keeps the errno itself (sp_error_fail_errno).
 * This header is the bottom layer: it includes nothing of subpow.
 */
#ifndef SUBPOW_COMMON_ERROR_H
#define SUBPOW_COMMON_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum sp_error {
  SP_OK = 0,
  /* reference/ */
  SP_EHEX_CHAR = 1, /* a character that is not a hex digit */
  SP_EHEX_ODD = 2,  /* an odd number of hex digits */
  SP_EHEX_SIZE = 3, /* decodes to another size than required */
  SP_ERANGE = 4,    /* a number out of range, or an empty range */
  SP_ECRYPTO = 5,   /* the crypto library failed (out of memory) */
  SP_ENOMEM = 6,    /* allocation failed */
  SP_EINVAL = 7,    /* any other invalid argument */

  /* chain/codec and chain/client */
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

  /* chain/keys */
  SP_EBASE58 = 200,         /* a character outside the base58 alphabet */
  SP_ESS58_LENGTH = 201,    /* decodes to something not a 32-byte account */
  SP_ESS58_PREFIX = 202,    /* a prefix byte of the reserved range 128..255 */
  SP_ESS58_CHECKSUM = 203,  /* the blake2b "SS58PRE" checksum does not match */
  SP_EBAD_PUBLIC = 204,     /* not a valid public key (not a ristretto point) */
  SP_EBAD_SECRET = 205,     /* a secret key whose scalar is not canonical */
  SP_EBAD_SIGNATURE = 206,  /* the signature does not verify */
  SP_EMNEMONIC_WORD = 208,  /* a word that is not in the BIP-39 word list */
  SP_EMNEMONIC_COUNT = 209, /* not 12, 15, 18, 21 or 24 words */
  SP_EMNEMONIC_CHECKSUM = 210, /* the BIP-39 checksum bits do not match */
  SP_EIO = 211, /* a file or system call failed (the record keeps errno) */
  SP_ENOT_FOUND = 212,         /* the file does not exist */
  SP_EEXISTS = 213,            /* the file exists and would be overwritten */
  SP_EKEYFILE_JSON = 214,      /* the key file is not a JSON object */
  SP_EKEYFILE_FIELD = 215,     /* a key file field of wrong type or format */
  SP_EKEYFILE_NO_SECRET = 216, /* no secretPhrase, secretSeed or privateKey */
  SP_EKEYFILE_MISMATCH = 217,  /* the stored public key or address disagrees */
  SP_EENCRYPTED_FORMAT = 218,  /* an encrypted file too short or not $NACL */
  SP_EDECRYPT = 219,     /* wrong password, or the ciphertext was altered */
  SP_ENO_PASSWORD = 220, /* the file is encrypted and no password was given */
  SP_EPASSWORD = 221,    /* the password could not be read */
  SP_EUNSUPPORTED = 222, /* an encryption this code does not read */
  SP_ENOT_REGULAR = 223, /* a directory, FIFO, socket or device, not a file */
  SP_EACCESS = 224,      /* permission denied (EACCES, EPERM) */
  SP_ENOT_DIR = 225,     /* a file, FIFO or device where a directory goes */

  /* backend/ */
  SP_EUNAVAILABLE = 300, /* the backend's hardware is absent (no GPU) */
};

/* A short English description of any sp_error code, positive or negative;
 * "unknown error" for a number that is none. Never NULL. */
const char *sp_strerror(int code);

/* The sp_error for a negative errno value from opening a file
 * (common/user_file.h): -SP_ENOT_FOUND (ENOENT, ENOTDIR), -SP_ENOT_REGULAR
 * (EISDIR, EINVAL: a directory, FIFO, socket or device), -SP_EACCESS
 * (EACCES, EPERM), -SP_EEXISTS (EEXIST: O_EXCL found a file) or -SP_EIO. */
int sp_error_from_errno(int neg_errno);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_ERROR_H */
