/*
 * Error codes of the key and wallet code (ss58, sr25519, ed25519, bip39,
 * keyfile, wallet). They extend reference.h's sp_error: functions return 0
 * or a negative code from either enum. The numbers start at 200 so that they
 * cannot collide with the reference codes or with the transport/SCALE codes
 * of the rest of the chain library.
 */
#ifndef SUBPOW_CHAIN_KEYS_KEY_ERROR_H
#define SUBPOW_CHAIN_KEYS_KEY_ERROR_H

#include "reference/reference.h"

enum sp_key_error {
  SP_EBASE58 = 200, /* a character outside the base58 alphabet */
  SP_ESS58_LENGTH =
      201, /* decodes to something that is not a 32-byte account */
  SP_ESS58_PREFIX = 202,    /* a prefix byte of the reserved range 128..255 */
  SP_ESS58_CHECKSUM = 203,  /* the blake2b "SS58PRE" checksum does not match */
  SP_EBAD_PUBLIC = 204,     /* not a valid public key (not a ristretto point) */
  SP_EBAD_SECRET = 205,     /* a secret key whose scalar is not canonical */
  SP_EBAD_SIGNATURE = 206,  /* the signature does not verify */
  SP_EWORDLIST = 207,       /* the BIP-39 word list is missing or corrupt */
  SP_EMNEMONIC_WORD = 208,  /* a word that is not in the BIP-39 word list */
  SP_EMNEMONIC_COUNT = 209, /* not 12, 15, 18, 21 or 24 words */
  SP_EMNEMONIC_CHECKSUM = 210, /* the BIP-39 checksum bits do not match */
  SP_EIO = 211,                /* reading or writing a file failed (errno) */
  SP_ENOT_FOUND = 212,         /* the file does not exist */
  SP_EEXISTS = 213,            /* the file exists and would be overwritten */
  SP_EKEYFILE_JSON = 214,      /* the key file is not a JSON object */
  SP_EKEYFILE_FIELD = 215, /* a key file field has the wrong type or format */
  SP_EKEYFILE_NO_SECRET = 216, /* no secretPhrase, secretSeed or privateKey */
  SP_EKEYFILE_MISMATCH = 217,  /* the stored public key or address disagrees */
  SP_EENCRYPTED_FORMAT = 218,  /* an encrypted file too short or not $NACL */
  SP_EDECRYPT = 219,     /* wrong password, or the ciphertext was altered */
  SP_ENO_PASSWORD = 220, /* the file is encrypted and no password was given */
  SP_EPASSWORD = 221,    /* the password could not be read */
  SP_EUNSUPPORTED = 222, /* an encryption this code does not read */
  SP_ENOT_REGULAR = 223, /* a directory, FIFO, socket or device, not a file */
  SP_EACCESS = 224,      /* permission denied (EACCES, EPERM) */
};

/* The key error for a negative errno value from opening a file
 * (util/user_file.h): -SP_ENOT_FOUND, -SP_ENOT_REGULAR, -SP_EACCESS or
 * -SP_EIO. */
int sp_key_error_from_errno(int neg_errno);

/* A short English description of any code of sp_key_error or sp_error
 * (positive or negative). */
const char *sp_key_strerror(int code);

#endif /* SUBPOW_CHAIN_KEYS_KEY_ERROR_H */
