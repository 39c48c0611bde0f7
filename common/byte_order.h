/*
 * Fixed-width integers to and from bytes in a stated order, whatever the
 * host's: little-endian is SCALE's and the nonce's (the seal hashes the nonce
 * as 8 bytes little-endian), big-endian is SHA-256's words and the 256-bit
 * difficulty comparisons'. Inline: the kernels' host-side preparation and
 * the codec call these per field.
 */
#ifndef SUBPOW_COMMON_BYTE_ORDER_H
#define SUBPOW_COMMON_BYTE_ORDER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline void sp_put_le32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static inline void sp_put_le64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t sp_get_le32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v |= (uint32_t)p[i] << (8 * i);
  return v;
}

static inline uint64_t sp_get_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static inline void sp_put_be32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static inline void sp_put_be64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static inline uint32_t sp_get_be32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v = v << 8 | p[i];
  return v;
}

static inline uint64_t sp_get_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = v << 8 | p[i];
  return v;
}

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_BYTE_ORDER_H */
