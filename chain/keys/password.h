/*
 * Where a key file's password comes from, in this order: a value the caller
 * already has, a file (its first line), an environment variable, a prompt
 * on the terminal (/dev/tty, echo off). The prompt is the one place this
 * library writes: to /dev/tty itself, never to stdout or stderr.
 *
 * btwallet's own BT_PW_<path> variables hold an obfuscated (XOR + base64)
 * password; they are not read. Ours holds the password as is:
 * SP_PASSWORD_ENV ("SUBPOW_WALLET_PASSWORD"). Once read, the variable is
 * wiped from the environment (its bytes zeroed where they were, so neither
 * /proc/PID/environ nor a core dump shows it, and unset); the process keeps
 * one copy in guarded memory for later reads, freed at exit.
 */
#ifndef SUBPOW_CHAIN_KEYS_PASSWORD_H
#define SUBPOW_CHAIN_KEYS_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define SP_PASSWORD_ENV "SUBPOW_WALLET_PASSWORD"
/* Longest password accepted, in bytes (without the NUL). */
#define SP_PASSWORD_MAX 1023

typedef struct sp_password_source {
  const char *value;    /* the password itself, or NULL */
  const char *file;     /* a file whose first line is the password, or NULL */
  const char *env_name; /* an environment variable, or NULL */
  bool prompt;          /* ask on /dev/tty when nothing above gave one */
  bool confirm;         /* with prompt: ask twice, fail when they differ */
} sp_password_source;

/*
 * The first password the source gives, into `buf` (capacity `cap`, NUL
 * terminated; wipe it with sodium_memzero after use). A file's first line
 * loses its "\n" or "\r\n"; an empty file gives the empty password.
 * Returns 0, -SP_ENO_PASSWORD when no source gives one (an unset variable,
 * no prompt allowed, or no terminal), -SP_ENOT_FOUND, -SP_ENOT_REGULAR (a
 * directory or FIFO: opened without blocking), -SP_EACCESS or -SP_EIO for
 * the file,
 * -SP_EPASSWORD for a password longer than cap - 1 or two prompted entries
 * that differ.
 */
int sp_password_get(const sp_password_source *src, const char *prompt,
                    char *buf, size_t cap);

#endif /* SUBPOW_CHAIN_KEYS_PASSWORD_H */
