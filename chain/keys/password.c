/* Passwords from a value, a file, the environment or the terminal. */
#include "chain/keys/password.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/error.h"
#include "common/user_file.h"

static int copy_value(const char *v, char *buf, size_t cap) {
  size_t n = strlen(v);
  if (n + 1 > cap) return -SP_EPASSWORD;
  memcpy(buf, v, n + 1);
  return 0;
}

static int from_file(const char *path, char *buf, size_t cap) {
  /* Never blocks on a FIFO, only ever a regular file (common/user_file.h). */
  FILE *f = sp_user_file_fopen(path, 0, NULL);
  if (f == NULL) return sp_error_from_errno(-errno);
  /* Unbuffered: no copy of the password is left in a stdio buffer. */
  setvbuf(f, NULL, _IONBF, 0);
  size_t n = 0;
  int rc = 0, c;
  while ((c = fgetc(f)) != EOF && c != '\n') {
    if (n + 1 >= cap) {
      rc = -SP_EPASSWORD;
      break;
    }
    buf[n++] = (char)c;
  }
  if (ferror(f)) rc = -SP_EIO;
  fclose(f);
  if (rc == 0 && n > 0 && buf[n - 1] == '\r') n--;
  if (rc != 0) {
    sodium_memzero(buf, cap);
    return rc;
  }
  buf[n] = '\0';
  return 0;
}

/* Reads one line from the terminal with echo off. */
static int read_tty(int fd, const char *prompt, char *buf, size_t cap) {
  struct termios old, quiet;
  if (tcgetattr(fd, &old) != 0) return -SP_ENO_PASSWORD;
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  if (write(fd, prompt, strlen(prompt)) < 0) return -SP_EPASSWORD;
  if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) return -SP_EPASSWORD;
  size_t n = 0;
  int rc = 0;
  for (;;) {
    char c;
    ssize_t r = read(fd, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || c == '\n') break;
    if (n + 1 >= cap) {
      rc = -SP_EPASSWORD;
      continue; /* read the rest of the line away */
    }
    buf[n++] = c;
  }
  tcsetattr(fd, TCSAFLUSH, &old);
  if (write(fd, "\n", 1) < 0) { /* the newline echo was off */
  }
  if (rc != 0) {
    sodium_memzero(buf, cap);
    return rc;
  }
  if (n > 0 && buf[n - 1] == '\r') n--;
  buf[n] = '\0';
  return 0;
}

static int from_tty(const char *prompt, bool confirm, char *buf, size_t cap) {
  int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -SP_ENO_PASSWORD;
  int rc = read_tty(fd, prompt, buf, cap);
  if (rc == 0 && confirm) {
    char *again = sodium_malloc(cap);
    if (again == NULL) {
      rc = -SP_ENOMEM;
    } else {
      rc = read_tty(fd, "Retype the password: ", again, cap);
      if (rc == 0 && strcmp(again, buf) != 0) rc = -SP_EPASSWORD;
      sodium_free(again); /* sodium_free zeroes */
    }
    if (rc != 0) sodium_memzero(buf, cap);
  }
  close(fd);
  return rc;
}

/* A password read from the environment, kept in guarded memory
 * (sodium_malloc: mlocked, zeroed when freed) once the variable is wiped. */
static char *env_copy;
static char env_copy_name[64];

static void forget_env_copy(void) {
  sodium_free(env_copy); /* zeroes */
  env_copy = NULL;
}

/*
 * The variable's value, taken out of the environment on first use: copied
 * into guarded memory, its bytes overwritten with zeros where they were
 * (for the initial environment that is the memory /proc/PID/environ shows
 * and a core dump holds) and the variable unset. Later calls (a command
 * that opens two encrypted keys) get the copy, unless the variable was set
 * again. NULL when unset. Not thread-safe (nor is getenv with setenv).
 */
static const char *take_env(const char *name) {
  char *v = getenv(name);
  if (v == NULL && env_copy != NULL && strcmp(env_copy_name, name) == 0)
    return env_copy; /* taken before (set again since: the new value) */
  if (v == NULL || strlen(name) >= sizeof env_copy_name) return v;
  if (sodium_init() < 0) return NULL;
  size_t n = strlen(v);
  char *copy = sodium_malloc(n + 1);
  if (copy == NULL) return NULL;
  memcpy(copy, v, n + 1);
  sodium_memzero(v, n);
  unsetenv(name);
  if (env_copy == NULL) atexit(forget_env_copy);
  sodium_free(env_copy);
  env_copy = copy;
  snprintf(env_copy_name, sizeof env_copy_name, "%s", name);
  return env_copy;
}

int sp_password_get(const sp_password_source *src, const char *prompt,
                    char *buf, size_t cap) {
  if (src == NULL || cap == 0) return -SP_ENO_PASSWORD;
  if (src->value != NULL) return copy_value(src->value, buf, cap);
  if (src->file != NULL) return from_file(src->file, buf, cap);
  if (src->env_name != NULL) {
    const char *v = take_env(src->env_name);
    if (v != NULL) return copy_value(v, buf, cap);
  }
  if (src->prompt) {
    if (sodium_init() < 0) return -SP_ECRYPTO;
    return from_tty(prompt != NULL ? prompt : "Password: ", src->confirm, buf,
                    cap);
  }
  return -SP_ENO_PASSWORD;
}
