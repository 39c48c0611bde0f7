/*
 * Hostile type registries: nested zero-sized arrays
 * ([[(); 2^20]; 2^20]: 2^40 values from 0 bytes, 37 s and 3 GB before a
 * ulimit stopped System.Events decoding) and deeply nested tuples
 * (sp_type_is_empty doubled per level: 30 s at depth 30). Minimum sizes are
 * computed once per registry and every decode has a budget, so each input
 * is refused with a clear message well within the suite's timeout, which
 * is what makes these tests fail without the fix.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "chain/codec/scale_type.h"
#include "chain/codec/type_registry.h"

enum {
  T_UNIT,  /* () */
  T_ARR1,  /* [(); 2^20] */
  T_ARR2,  /* [[(); 2^20]; 2^20] */
  T_VEC2,  /* Vec<[[(); 2^20]; 2^20]> */
  T_U8,    /* u8 */
  T_LIST,  /* enum List { Nil, Cons(u8, List) } */
  T_ENUM,  /* enum E { A(S), B }, declared before S */
  T_S,     /* struct S { e: E } */
  T_SELF,  /* struct A { a: A }: no finite value */
  T_U8X4,  /* [u8; 4] */
  T_DEEP0, /* D_0 = (), D_k = (D_{k-1}, D_{k-1}), up to k = DEPTH */
};
#define DEPTH 60
#define NTYPES (T_DEEP0 + DEPTH + 1)

static void begin(sp_scale_writer *w, uint32_t id) {
  sp_scale_put_compact(w, id);
  sp_scale_put_compact(w, 0); /* path */
  sp_scale_put_compact(w, 0); /* params */
}

static void end(sp_scale_writer *w) { sp_scale_put_compact(w, 0); /* docs */ }

static void field(sp_scale_writer *w, uint32_t type) {
  sp_scale_put_u8(w, 0); /* unnamed */
  sp_scale_put_compact(w, type);
  sp_scale_put_u8(w, 0);      /* type_name: None */
  sp_scale_put_compact(w, 0); /* docs */
}

static void array(sp_scale_writer *w, uint32_t id, uint32_t len,
                  uint32_t item) {
  begin(w, id);
  sp_scale_put_u8(w, 3);
  sp_scale_put_u32(w, len);
  sp_scale_put_compact(w, item);
  end(w);
}

static void tuple(sp_scale_writer *w, uint32_t id, size_t n, uint32_t item) {
  begin(w, id);
  sp_scale_put_u8(w, 4);
  sp_scale_put_compact(w, n);
  for (size_t i = 0; i < n; i++)
    sp_scale_put_compact(w, item);
  end(w);
}

static void variant(sp_scale_writer *w, const char *name, uint8_t index,
                    size_t n, const uint32_t *fields) {
  sp_scale_put_string(w, name);
  sp_scale_put_compact(w, n);
  for (size_t i = 0; i < n; i++)
    field(w, fields[i]);
  sp_scale_put_u8(w, index);
  sp_scale_put_compact(w, 0);
}

static sp_type_registry reg;

static void build(void) {
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_compact(&w, NTYPES);
  tuple(&w, T_UNIT, 0, 0);
  array(&w, T_ARR1, 1u << 20, T_UNIT);
  array(&w, T_ARR2, 1u << 20, T_ARR1);
  begin(&w, T_VEC2);
  sp_scale_put_u8(&w, 2);
  sp_scale_put_compact(&w, T_ARR2);
  end(&w);
  begin(&w, T_U8);
  sp_scale_put_u8(&w, 5);
  sp_scale_put_u8(&w, 3);
  end(&w);
  begin(&w, T_LIST);
  sp_scale_put_u8(&w, 1);
  sp_scale_put_compact(&w, 2);
  variant(&w, "Nil", 0, 0, NULL);
  variant(&w, "Cons", 1, 2, (uint32_t[]){T_U8, T_LIST});
  end(&w);
  begin(&w, T_ENUM);
  sp_scale_put_u8(&w, 1);
  sp_scale_put_compact(&w, 2);
  variant(&w, "A", 0, 1, (uint32_t[]){T_S});
  variant(&w, "B", 1, 0, NULL);
  end(&w);
  begin(&w, T_S);
  sp_scale_put_u8(&w, 0);
  sp_scale_put_compact(&w, 1);
  field(&w, T_ENUM);
  end(&w);
  begin(&w, T_SELF);
  sp_scale_put_u8(&w, 0);
  sp_scale_put_compact(&w, 1);
  field(&w, T_SELF);
  end(&w);
  array(&w, T_U8X4, 4, T_U8);
  tuple(&w, T_DEEP0, 0, 0);
  for (uint32_t k = 1; k <= DEPTH; k++)
    tuple(&w, T_DEEP0 + k, 2, T_DEEP0 + k - 1);
  cr_assert_eq(sp_scale_writer_ok(&w), 0);
  sp_chain_error err = {0};
  sp_scale_reader r;
  sp_scale_reader_init(&r, w.data, w.len, &err);
  cr_assert_eq(sp_type_registry_parse(&r, &reg), 0, "%s", err.message);
  sp_scale_writer_free(&w);
}

static void teardown(void) { sp_type_registry_free(&reg); }

TestSuite(metadata_bomb, .init = build, .fini = teardown, .timeout = 20);

Test(metadata_bomb, minimum_sizes_once_with_cycles) {
  cr_expect_eq(sp_type_min_size(&reg, T_UNIT), 0);
  cr_expect_eq(sp_type_min_size(&reg, T_ARR2), 0);
  cr_expect_eq(sp_type_min_size(&reg, T_VEC2), 1);
  cr_expect_eq(sp_type_min_size(&reg, T_LIST), 1);
  /* E is reached through S while E is still being worked out: a memo of
   * "S is infinite" would be wrong; S needs E's 1 byte */
  cr_expect_eq(sp_type_min_size(&reg, T_ENUM), 1);
  cr_expect_eq(sp_type_min_size(&reg, T_S), 1);
  cr_expect_eq(sp_type_min_size(&reg, T_SELF), SP_TYPE_SIZE_INFINITE);
  cr_expect_eq(sp_type_min_size(&reg, T_U8X4), 4);
  cr_expect_eq(sp_type_min_size(&reg, NTYPES), SP_TYPE_SIZE_INFINITE);
  /* 2^60 paths through the nested tuples, answered at once */
  for (uint32_t k = 0; k <= DEPTH; k++)
    cr_expect(sp_type_is_empty(&reg, T_DEEP0 + k), "D_%u", k);
  cr_expect_not(sp_type_is_empty(&reg, T_LIST));
  cr_expect_not(sp_type_is_empty(&reg, T_SELF));
}

static void refused(uint32_t type, const uint8_t *b, size_t n,
                    const char *needle) {
  json_t *v = NULL;
  sp_chain_error err = {0};
  cr_expect_lt(sp_scale_decode_type_all(&reg, type, b, n, &v, &err), 0,
               "type %u decoded", type);
  cr_expect_null(v);
  cr_expect(strstr(err.message, needle) != NULL, "type %u: %s", type,
            err.message);
  cr_expect_null(strchr(err.message, '\n'), "%s", err.message);
}

Test(metadata_bomb, zero_sized_values_are_budgeted) {
  refused(T_ARR2, NULL, 0, "zero-sized");
  static const uint8_t one[] = {0x04}; /* a Vec of one bomb */
  refused(T_VEC2, one, sizeof one, "zero-sized");
  refused(T_DEEP0 + DEPTH, NULL, 0, "more than the 65536 values");
  refused(T_SELF, NULL, 0, "no finite encoding");
  static const uint8_t short_arr[] = {1, 2, 3};
  refused(T_U8X4, short_arr, sizeof short_arr, "needs at least 4 bytes");
  /* what is not hostile still decodes: a list of two, an array of units */
  static const uint8_t list[] = {1, 7, 1, 8, 0};
  json_t *v = NULL;
  sp_chain_error err = {0};
  cr_expect_eq(
      sp_scale_decode_type_all(&reg, T_LIST, list, sizeof list, &v, &err), 0,
      "%s", err.message);
  json_decref(v);
  cr_expect_eq(sp_scale_decode_type_all(&reg, T_DEEP0 + 10, NULL, 0, &v, &err),
               0, "%s", err.message);
  json_decref(v);
}

/* The same registry as metadata, with System.Events and a constant of the
 * bomb type: parsing is fine (nothing is decoded), decoding refuses. */
Test(metadata_bomb, metadata_with_a_bomb_event_type) {
  const char *path =
      SUBPOW_SOURCE_DIR "/regress/corpus/metadata/bomb-zero-sized-arrays";
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  static uint8_t buf[4096];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  cr_assert_gt(n, 6);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  /* byte 0 is the fuzz target's mode (0: plain metadata) */
  cr_assert_eq(sp_metadata_parse(buf + 1, n - 1, &md, &err), 0, "%s",
               err.message);
  const sp_storage_entry *e = NULL;
  cr_assert_eq(sp_metadata_storage(md, "System", "Events", NULL, &e, &err), 0,
               "%s", err.message);
  json_t *v = NULL;
  static const uint8_t one[] = {0x04};
  cr_expect_lt(
      sp_scale_decode_type_all(&md->registry, e->value_type, one, 1, &v, &err),
      0);
  cr_expect(strstr(err.message, "zero-sized") != NULL, "%s", err.message);
  sp_metadata_free(md);
}
