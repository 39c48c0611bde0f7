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

static int copy_value(const char *v, char *buf, size_t cap) {
  size_t n = strlen(v);
  if (n + 1 > cap) return -SP_EPASSWORD;
  memcpy(buf, v, n + 1);
  return 0;
}

static int from_file(const char *path, char *buf, size_t cap) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return errno == ENOENT ? -SP_ENOT_FOUND : -SP_EIO;
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

int sp_password_get(const sp_password_source *src, const char *prompt,
                    char *buf, size_t cap) {
  if (src == NULL || cap == 0) return -SP_ENO_PASSWORD;
  if (src->value != NULL) return copy_value(src->value, buf, cap);
  if (src->file != NULL) return from_file(src->file, buf, cap);
  if (src->env_name != NULL) {
    const char *v = getenv(src->env_name);
    if (v != NULL) return copy_value(v, buf, cap);
  }
  if (src->prompt) {
    if (sodium_init() < 0) return -SP_ECRYPTO;
    return from_tty(prompt != NULL ? prompt : "Password: ", src->confirm, buf,
                    cap);
  }
  return -SP_ENO_PASSWORD;
}
