/* The executable's build id; see build_id.h. */
#include "autoselect/build_id.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference/reference.h"

struct found {
  char *out;
  size_t outlen;
  bool ok;
};

/* Notes are (namesz, descsz, type, name padded to 4, desc padded to 4);
 * the ELF spec (gABI, "Note Section") fixes the 4-byte alignment for both
 * classes as used by GNU notes. */
static bool scan_notes(const uint8_t *p, size_t len, struct found *f) {
  size_t off = 0;
  while (off + sizeof(ElfW(Nhdr)) <= len) {
    ElfW(Nhdr) h;
    memcpy(&h, p + off, sizeof h);
    size_t name_at = off + sizeof h;
    size_t desc_at = name_at + ((h.n_namesz + 3u) & ~3u);
    size_t next = desc_at + ((h.n_descsz + 3u) & ~3u);
    if (next > len || next <= off) return false;
    if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 &&
        memcmp(p + name_at, "GNU", 4) == 0 && h.n_descsz > 0 &&
        2 * (size_t)h.n_descsz + 1 <= f->outlen) {
      sp_hex_encode(p + desc_at, h.n_descsz, f->out);
      return true;
    }
    off = next;
  }
  return false;
}

static int on_object(struct dl_phdr_info *info, size_t size, void *user) {
  (void)size;
  struct found *f = user;
  /* The first object listed is the main program. */
  for (int i = 0; i < info->dlpi_phnum && !f->ok; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE) continue;
    f->ok = scan_notes((const uint8_t *)(info->dlpi_addr + ph->p_vaddr),
                       ph->p_memsz, f);
  }
  return 1; /* stop after the main program */
}

static int hash_executable(char *out, size_t outlen) {
  FILE *fp = fopen("/proc/self/exe", "rb");
  if (fp == NULL) return -SP_EINVAL;
  size_t cap = 1 << 20, n = 0;
  uint8_t *buf = malloc(cap);
  int rc = 0;
  for (;;) {
    if (buf == NULL) {
      rc = -SP_ENOMEM;
      break;
    }
    n += fread(buf + n, 1, cap - n, fp);
    if (n < cap) break;
    uint8_t *bigger = realloc(buf, cap * 2);
    if (bigger == NULL) free(buf);
    buf = bigger;
    cap *= 2;
  }
  fclose(fp);
  uint8_t digest[32];
  if (rc == 0) rc = sp_sha256(buf, n, digest);
  free(buf);
  if (rc != 0) return rc;
  if (outlen < 7 + 65) return -SP_ERANGE;
  memcpy(out, "sha256-", 7);
  sp_hex_encode(digest, 32, out + 7);
  return 0;
}

int sp_build_id(char *out, size_t outlen) {
  if (outlen == 0) return -SP_ERANGE;
  out[0] = '\0';
  struct found f = {.out = out, .outlen = outlen};
  dl_iterate_phdr(on_object, &f);
  if (f.ok) return 0;
  int rc = hash_executable(out, outlen);
  if (rc != 0) out[0] = '\0';
  return rc;
}
