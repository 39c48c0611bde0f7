/* btwallet key files: JSON, $NACL encryption, file access; see keyfile.h. */
#include "chain/keys/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain/keys/ss58.h"
#include "common/error.h"
#include "common/hex.h"
#include "common/user_file.h"

/* btwallet src/keyfile.rs NACL_SALT:
 * b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1". */
static const uint8_t nacl_salt[crypto_pwhash_argon2i_SALTBYTES] = {
    0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc,
    0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1};

#define NACL_PREFIX "$NACL"
#define NACL_PREFIX_LEN 5

void sp_keyfile_buffer_free(void *buf, size_t len) {
  if (buf == NULL) return;
  sodium_memzero(buf, len);
  free(buf);
}

/* ------------------------------------------------------------- JSON ---- */

static const char *const secret_fields[] = {"secretPhrase", "secretSeed",
                                            "privateKey"};

/* jansson keeps string values in its own heap buffers; zero the secret ones
 * before they are freed. */
static void wipe_secret_strings(json_t *obj) {
  for (size_t i = 0; i < sizeof secret_fields / sizeof secret_fields[0]; i++) {
    json_t *v = json_object_get(obj, secret_fields[i]);
    if (json_is_string(v))
      sodium_memzero((char *)json_string_value(v), json_string_length(v));
  }
}

/* *s = the string value of `name`, NULL when absent or null. */
static int get_string(json_t *obj, const char *name, const char **s,
                      sp_keyfile_info *info) {
  json_t *v = json_object_get(obj, name);
  *s = NULL;
  if (v == NULL || json_is_null(v)) return 0;
  if (!json_is_string(v) ||
      strlen(json_string_value(v)) != json_string_length(v)) {
    info->field = name;
    return -SP_EKEYFILE_FIELD;
  }
  *s = json_string_value(v);
  return 0;
}

/* btwallet writes "0x" + hex; it strips an optional "0x" when reading. */
static int get_hex(json_t *obj, const char *name, uint8_t *out, size_t n,
                   bool *present, sp_keyfile_info *info) {
  const char *s;
  int rc = get_string(obj, name, &s, info);
  *present = s != NULL;
  if (rc != 0 || s == NULL) return rc;
  size_t got = 0;
  if (sp_hex_decode(s, n, out, n, &got) != 0) {
    info->field = name;
    return -SP_EKEYFILE_FIELD;
  }
  return 0;
}

static int check_public(json_t *obj, const sp_keypair *kp,
                        sp_keyfile_info *info) {
  static const char *const hex_fields[] = {"publicKey", "accountId"};
  for (size_t i = 0; i < 2; i++) {
    uint8_t pub[32];
    bool present;
    int rc = get_hex(obj, hex_fields[i], pub, 32, &present, info);
    if (rc != 0) return rc;
    if (present && memcmp(pub, kp->public_key, 32) != 0) {
      info->field = hex_fields[i];
      return -SP_EKEYFILE_MISMATCH;
    }
  }
  const char *addr;
  int rc = get_string(obj, "ss58Address", &addr, info);
  if (rc != 0 || addr == NULL) return rc;
  uint8_t acc[32];
  rc = sp_ss58_decode(addr, acc, NULL);
  if (rc != 0) {
    info->field = "ss58Address";
    return rc;
  }
  if (memcmp(acc, kp->public_key, 32) != 0) {
    info->field = "ss58Address";
    return -SP_EKEYFILE_MISMATCH;
  }
  return 0;
}

static int key_from_phrase(const char *phrase, int scheme,
                           const sp_bip39_wordlist *wl, sp_keypair *kp) {
  if (wl == NULL) wl = sp_bip39_english();
  return sp_keypair_from_phrase(scheme, wl, phrase, kp);
}

static int parse_object(json_t *obj, int scheme, const sp_bip39_wordlist *wl,
                        sp_keypair *kp, sp_keyfile_info *info) {
  const char *phrase;
  uint8_t seed[32], priv[64], pub[32];
  bool has_seed, has_priv, has_pub;
  int rc = get_string(obj, "secretPhrase", &phrase, info);
  if (rc == 0) rc = get_hex(obj, "secretSeed", seed, 32, &has_seed, info);
  if (rc == 0) rc = get_hex(obj, "privateKey", priv, 64, &has_priv, info);
  if (rc != 0) goto out;
  if (phrase != NULL) {
    info->source = "secretPhrase";
    rc = key_from_phrase(phrase, scheme, wl, kp);
  } else if (has_seed) {
    info->source = "secretSeed";
    rc = sp_keypair_from_mini_secret(scheme, seed, kp);
  } else if (has_priv) {
    info->source = "privateKey";
    rc = sp_keypair_from_private_key(scheme, priv, kp);
  } else {
    /* A public file (coldkeypub.txt): the first public field present. */
    const char *addr;
    rc = get_hex(obj, "publicKey", pub, 32, &has_pub, info);
    if (rc == 0 && has_pub) info->source = "publicKey";
    if (rc == 0 && !has_pub) {
      rc = get_hex(obj, "accountId", pub, 32, &has_pub, info);
      if (rc == 0 && has_pub) info->source = "accountId";
    }
    if (rc == 0 && !has_pub) {
      rc = get_string(obj, "ss58Address", &addr, info);
      if (rc == 0 && addr != NULL) {
        info->source = "ss58Address";
        rc = sp_ss58_decode(addr, pub, NULL);
        has_pub = true;
      }
    }
    if (rc == 0 && !has_pub) rc = -SP_EKEYFILE_NO_SECRET;
    if (rc == 0) rc = sp_keypair_from_public(scheme, pub, kp);
  }
  if (rc != 0 && info->field == NULL) info->field = info->source;
  if (rc == 0) rc = check_public(obj, kp, info);
out:
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(priv, sizeof priv);
  if (rc != 0) {
    sp_keypair_wipe(kp);
    info->source = NULL;
  }
  return rc;
}

int sp_keyfile_parse(const char *json, size_t len, int scheme,
                     const sp_bip39_wordlist *wl, sp_keypair *kp,
                     sp_keyfile_info *info) {
  info->field = NULL;
  info->source = NULL;
  sp_keypair_wipe(kp);
  json_error_t err;
  json_t *obj = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
  if (obj == NULL || !json_is_object(obj)) {
    if (obj != NULL) json_decref(obj);
    return -SP_EKEYFILE_JSON;
  }
  int rc = parse_object(obj, scheme, wl, kp, info);
  wipe_secret_strings(obj);
  json_decref(obj);
  return rc;
}

static int set_hex(json_t *obj, const char *name, const uint8_t *b, size_t n) {
  char hex[2 + 2 * 64 + 1] = "0x";
  sp_hex_encode(b, n, hex + 2);
  int rc = json_object_set_new(obj, name, json_string(hex));
  sodium_memzero(hex, sizeof hex);
  return rc == 0 ? 0 : -SP_ENOMEM;
}

int sp_keyfile_serialize(const sp_keypair *kp, bool public_only, char **out,
                         size_t *out_len) {
  char addr[SP_SS58_ADDRESS_MAX];
  int rc = sp_keypair_ss58(kp, SP_SS58_DEFAULT_PREFIX, addr, sizeof addr);
  if (rc != 0) return rc;
  json_t *obj = json_object();
  if (obj == NULL) return -SP_ENOMEM;
  rc = set_hex(obj, "accountId", kp->public_key, 32);
  if (rc == 0) rc = set_hex(obj, "publicKey", kp->public_key, 32);
  if (rc == 0 && json_object_set_new(obj, "ss58Address", json_string(addr)))
    rc = -SP_ENOMEM;
  if (!public_only) {
    if (rc == 0 && kp->has_secret)
      rc = set_hex(obj, "privateKey", kp->secret, 64);
    if (rc == 0 && kp->has_mini) rc = set_hex(obj, "secretSeed", kp->mini, 32);
    if (rc == 0 && kp->has_phrase &&
        json_object_set_new(obj, "secretPhrase", json_string(kp->phrase)))
      rc = -SP_ENOMEM;
  }
  char *text = NULL;
  if (rc == 0) {
    text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL) rc = -SP_ENOMEM;
  }
  wipe_secret_strings(obj);
  json_decref(obj);
  if (rc != 0) return rc;
  /* json_dumps allocates with jansson's allocator (malloc by default), so
   * sp_keyfile_buffer_free can free it. */
  *out = text;
  *out_len = strlen(text);
  return 0;
}

/* ------------------------------------------------------- encryption ---- */

bool sp_keyfile_is_encrypted(const uint8_t *data, size_t len) {
  return len >= NACL_PREFIX_LEN &&
         memcmp(data, NACL_PREFIX, NACL_PREFIX_LEN) == 0;
}

static int derive_key(const char *password, unsigned long long ops, size_t mem,
                      uint8_t key[crypto_secretbox_KEYBYTES]) {
  if (sodium_init() < 0) return -SP_ECRYPTO;
  if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, password, strlen(password),
                    nacl_salt, ops, mem, crypto_pwhash_ALG_ARGON2I13) != 0)
    return -SP_ECRYPTO; /* out of memory for Argon2 */
  return 0;
}

int sp_keyfile_encrypt_with_limits(const uint8_t *plain, size_t len,
                                   const char *password,
                                   unsigned long long opslimit, size_t memlimit,
                                   uint8_t **out, size_t *out_len) {
  uint8_t key[crypto_secretbox_KEYBYTES];
  int rc = derive_key(password, opslimit, memlimit, key);
  if (rc != 0) return rc;
  size_t n = NACL_PREFIX_LEN + crypto_secretbox_NONCEBYTES +
             crypto_secretbox_MACBYTES + len;
  uint8_t *buf = malloc(n);
  if (buf == NULL) {
    sodium_memzero(key, sizeof key);
    return -SP_ENOMEM;
  }
  memcpy(buf, NACL_PREFIX, NACL_PREFIX_LEN);
  uint8_t *nonce = buf + NACL_PREFIX_LEN;
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  /* crypto_secretbox_easy writes MAC || ciphertext: sodiumoxide's
   * secretbox::seal, which btwallet uses, writes the same. */
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, plain, len, nonce,
                        key);
  sodium_memzero(key, sizeof key);
  *out = buf;
  *out_len = n;
  return 0;
}

int sp_keyfile_decrypt_with_limits(const uint8_t *data, size_t len,
                                   const char *password,
                                   unsigned long long opslimit, size_t memlimit,
                                   uint8_t **plain, size_t *plain_len) {
  size_t overhead =
      NACL_PREFIX_LEN + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (!sp_keyfile_is_encrypted(data, len) || len < overhead)
    return -SP_EENCRYPTED_FORMAT;
  uint8_t key[crypto_secretbox_KEYBYTES];
  int rc = derive_key(password, opslimit, memlimit, key);
  if (rc != 0) return rc;
  size_t n = len - overhead;
  uint8_t *buf = malloc(n + 1); /* + 1: callers parse it as text */
  if (buf == NULL) {
    sodium_memzero(key, sizeof key);
    return -SP_ENOMEM;
  }
  const uint8_t *nonce = data + NACL_PREFIX_LEN;
  if (crypto_secretbox_open_easy(buf, nonce + crypto_secretbox_NONCEBYTES,
                                 len - NACL_PREFIX_LEN -
                                     crypto_secretbox_NONCEBYTES,
                                 nonce, key) != 0) {
    sodium_memzero(key, sizeof key);
    sp_keyfile_buffer_free(buf, n + 1);
    return -SP_EDECRYPT;
  }
  sodium_memzero(key, sizeof key);
  buf[n] = 0;
  *plain = buf;
  *plain_len = n;
  return 0;
}

int sp_keyfile_encrypt(const uint8_t *plain, size_t len, const char *password,
                       uint8_t **out, size_t *out_len) {
  return sp_keyfile_encrypt_with_limits(
      plain, len, password, crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE,
      crypto_pwhash_argon2i_MEMLIMIT_SENSITIVE, out, out_len);
}

int sp_keyfile_decrypt(const uint8_t *data, size_t len, const char *password,
                       uint8_t **plain, size_t *plain_len) {
  return sp_keyfile_decrypt_with_limits(
      data, len, password, crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE,
      crypto_pwhash_argon2i_MEMLIMIT_SENSITIVE, plain, plain_len);
}

/* ------------------------------------------------------------ files ---- */

int sp_keyfile_read(const char *path, uint8_t **data, size_t *len,
                    sp_keyfile_info *info) {
  /* Never blocks on a FIFO, only ever a regular file (common/user_file.h). */
  int fd = sp_user_file_open(path, O_RDONLY, 0, NULL);
  if (fd < 0) return fd; /* an sp_error code (common/user_file.h) */
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return -SP_EIO;
  }
  if (st.st_size > SP_KEYFILE_MAX) {
    close(fd);
    return -SP_ERANGE;
  }
  info->mode = (unsigned)(st.st_mode & 07777);
  info->loose_permissions = (st.st_mode & 077) != 0;
  size_t cap = (size_t)st.st_size + 1;
  uint8_t *buf = malloc(cap);
  if (buf == NULL) {
    close(fd);
    return -SP_ENOMEM;
  }
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      close(fd);
      sp_keyfile_buffer_free(buf, cap);
      return -SP_EIO;
    }
    if (r == 0 || n + (size_t)r == cap - 1) {
      n += (size_t)r;
      break;
    }
    n += (size_t)r;
  }
  close(fd);
  buf[n] = 0;
  *data = buf;
  *len = n;
  return 0;
}

int sp_keyfile_write(const char *path, const uint8_t *data, size_t len) {
  int fd = sp_user_file_open(path, O_WRONLY | O_CREAT | O_EXCL, 0600, NULL);
  if (fd < 0) return fd; /* -SP_EEXISTS for a file already there */
  int rc = fchmod(fd, 0600) == 0 ? 0 : -SP_EIO;
  size_t done = 0;
  while (rc == 0 && done < len) {
    ssize_t w = write(fd, data + done, len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0)
      rc = -SP_EIO;
    else
      done += (size_t)w;
  }
  if (rc == 0 && fsync(fd) != 0) rc = -SP_EIO;
  if (close(fd) != 0 && rc == 0) rc = -SP_EIO;
  if (rc != 0) unlink(path);
  return rc;
}

/* The encodings btwallet can read besides $NACL and plain JSON. */
static bool other_encryption(const uint8_t *d, size_t n) {
  return (n >= 14 && memcmp(d, "$ANSIBLE_VAULT", 14) == 0) ||
         (n >= 6 && memcmp(d, "gAAAAA", 6) == 0);
}

int sp_keyfile_load(const char *path, int scheme, const sp_password_source *pw,
                    const sp_bip39_wordlist *wl, sp_keypair *kp,
                    sp_keyfile_info *info) {
  memset(info, 0, sizeof *info);
  sp_keypair_wipe(kp);
  uint8_t *data = NULL, *plain = NULL;
  size_t len = 0, plain_len = 0;
  char *password = NULL;
  int rc = sp_keyfile_read(path, &data, &len, info);
  if (rc != 0) return rc;
  if (sp_keyfile_is_encrypted(data, len)) {
    info->encrypted = true;
    /* A file too short to decrypt is refused before asking for a password. */
    if (len < NACL_PREFIX_LEN + crypto_secretbox_NONCEBYTES +
                  crypto_secretbox_MACBYTES) {
      rc = -SP_EENCRYPTED_FORMAT;
      goto out;
    }
    if (sodium_init() < 0) {
      rc = -SP_ECRYPTO;
      goto out;
    }
    password = sodium_malloc(SP_PASSWORD_MAX + 1);
    if (password == NULL) {
      rc = -SP_ENOMEM;
      goto out;
    }
    size_t plen = strlen(path) + 40;
    char *prompt = malloc(plen);
    if (prompt == NULL) {
      rc = -SP_ENOMEM;
      goto out;
    }
    snprintf(prompt, plen, "Enter the password for %s: ", path);
    rc = sp_password_get(pw, prompt, password, SP_PASSWORD_MAX + 1);
    free(prompt);
    if (rc != 0 && rc != -SP_ENO_PASSWORD && pw != NULL && pw->value == NULL)
      info->password_file = pw->file;
    if (rc == 0)
      rc = sp_keyfile_decrypt(data, len, password, &plain, &plain_len);
    if (rc == 0)
      rc = sp_keyfile_parse((const char *)plain, plain_len, scheme, wl, kp,
                            info);
  } else if (other_encryption(data, len)) {
    rc = -SP_EUNSUPPORTED;
  } else {
    rc = sp_keyfile_parse((const char *)data, len, scheme, wl, kp, info);
  }
out:
  if (password != NULL) sodium_free(password);
  sp_keyfile_buffer_free(plain, plain_len + 1);
  sp_keyfile_buffer_free(data, len + 1);
  return rc;
}
