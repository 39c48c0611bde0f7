/*
 * Metadata V14/V15 parsing, checked against the real finney metadata in
 * SUBPOW_SHARED_DIR/fixtures/finney/ (facts from its README and
 * docs/protocol.md section 6), plus malformed-input refusals.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "chain/codec/scale_type.h"
#include "reference/reference.h"
#include "regress/support/chain_setup.h"

static void check_finney_facts(const sp_metadata *md) {
  const sp_pallet *p = sp_metadata_pallet(md, "SubtensorModule");
  cr_assert_not_null(p);
  cr_expect_eq(p->index, 7);
  cr_expect_eq(sp_metadata_pallet(md, "System")->index, 0);
  cr_expect_eq(sp_metadata_pallet(md, "Balances")->index, 5);

  const sp_type_variant *reg;
  cr_assert_eq(
      sp_metadata_call(md, "SubtensorModule", "register", NULL, &reg, NULL), 0);
  cr_expect_eq(reg->index, 6);
  static const char *names[] = {"netuid", "block_number", "nonce",
                                "work",   "hotkey",       "coldkey"};
  cr_assert_eq(reg->nfields, 6);
  for (size_t i = 0; i < 6; i++)
    cr_expect_str_eq(reg->fields[i].name, names[i]);
  const sp_type_registry *r = &md->registry;
  const sp_type *t = sp_type_get(r, reg->fields[0].type);
  cr_expect(t->kind == SP_TYPE_PRIMITIVE && t->primitive == SP_PRIM_U16);
  t = sp_type_get(r, reg->fields[1].type);
  cr_expect(t->kind == SP_TYPE_PRIMITIVE && t->primitive == SP_PRIM_U64);
  t = sp_type_get(r, reg->fields[2].type);
  cr_expect(t->kind == SP_TYPE_PRIMITIVE && t->primitive == SP_PRIM_U64);
  t = sp_type_get(r, reg->fields[3].type);
  cr_expect(t->kind == SP_TYPE_SEQUENCE &&
            sp_type_get(r, t->item)->primitive == SP_PRIM_U8);
  t = sp_type_get(r, reg->fields[4].type);
  cr_expect_str_eq(sp_type_name(t), "AccountId32");
  t = sp_type_get(r, sp_type_unwrap(r, reg->fields[5].type));
  cr_expect(t->kind == SP_TYPE_ARRAY && t->array_len == 32);

  const sp_type_variant *v;
  cr_assert_eq(
      sp_metadata_call(md, "SubtensorModule", "faucet", NULL, &v, NULL), 0);
  cr_expect_eq(v->index, 60);
  cr_assert_eq(v->nfields, 3);
  cr_expect_str_eq(v->fields[0].name, "block_number");
  cr_expect_str_eq(v->fields[1].name, "nonce");
  cr_expect_str_eq(v->fields[2].name, "work");
  cr_assert_eq(sp_metadata_call(md, "SubtensorModule", "burned_register", NULL,
                                &v, NULL),
               0);
  cr_expect_eq(v->index, 7);

  static const char *ext[] = {"CheckNonZeroSender",
                              "CheckSpecVersion",
                              "CheckTxVersion",
                              "CheckGenesis",
                              "CheckMortality",
                              "CheckNonce",
                              "CheckWeight",
                              "ChargeTransactionPayment",
                              "SubtensorTransactionExtension",
                              "DrandPriority",
                              "CheckMetadataHash"};
  cr_assert_eq(md->nextensions, 11);
  for (size_t i = 0; i < 11; i++)
    cr_expect_str_eq(md->extensions[i].identifier, ext[i]);
  cr_expect_eq(md->extrinsic_version, 4);
  cr_expect(md->has_extrinsic_types);
  cr_expect_str_eq(sp_type_name(sp_type_get(r, md->address_type)),
                   "MultiAddress");
  cr_expect_str_eq(sp_type_name(sp_type_get(r, md->signature_type)),
                   "MultiSignature");

  /* Module errors of section 3, with docs. */
  static const struct {
    const char *name;
    int index;
  } errs[] = {{"TooManyRegistrationsThisBlock", 20},
              {"HotKeyAlreadyRegisteredInSubNet", 21},
              {"InvalidWorkBlock", 23},
              {"InvalidDifficulty", 24},
              {"InvalidSeal", 25},
              {"SubNetRegistrationDisabled", 36},
              {"TransactorAccountShouldBeHotKey", 38},
              {"FaucetDisabled", 39},
              {"SubnetNotExists", 73}};
  for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
    cr_assert_eq(
        sp_metadata_error(md, "SubtensorModule", errs[i].name, &v, NULL), 0,
        "%s", errs[i].name);
    cr_expect_eq(v->index, errs[i].index, "%s", errs[i].name);
    cr_expect_gt(v->ndocs, 0, "%s has docs", errs[i].name);
    const sp_pallet *ep;
    cr_expect_eq(sp_metadata_module_error(md, 7, (uint8_t)errs[i].index, &ep),
                 v);
  }
  cr_assert_eq(
      sp_metadata_event(md, "SubtensorModule", "NeuronRegistered", &v, NULL),
      0);
  cr_expect_eq(v->nfields, 3);
  cr_assert_eq(sp_metadata_event(md, "System", "ExtrinsicFailed", &v, NULL), 0);

  /* Storage items of section 4: hashers, key and value types, defaults. */
  const sp_storage_entry *e;
  cr_assert_eq(
      sp_metadata_storage(md, "SubtensorModule", "Difficulty", NULL, &e, NULL),
      0);
  cr_expect(e->is_map && e->nhashers == 1 &&
            e->hashers[0] == SP_HASHER_IDENTITY);
  cr_expect_eq(sp_type_get(r, e->value_type)->primitive, SP_PRIM_U64);
  cr_assert_eq(e->default_len, 8);
  uint64_t d = 0;
  for (int i = 7; i >= 0; i--)
    d = (d << 8) | e->default_bytes[i];
  cr_expect_eq(d, 10000000u);
  cr_assert_eq(
      sp_metadata_storage(md, "SubtensorModule", "Uids", NULL, &e, NULL), 0);
  cr_expect(e->optional && e->nhashers == 2 &&
            e->hashers[0] == SP_HASHER_IDENTITY &&
            e->hashers[1] == SP_HASHER_BLAKE2_128_CONCAT);
  cr_assert_eq(sp_metadata_storage(md, "SubtensorModule",
                                   "NetworkPowRegistrationAllowed", NULL, &e,
                                   NULL),
               0);
  cr_expect(!e->optional && e->default_len == 1 && e->default_bytes[0] == 1);
  cr_assert_eq(sp_metadata_storage(md, "System", "BlockHash", NULL, &e, NULL),
               0);
  cr_expect(e->hashers[0] == SP_HASHER_TWOX64_CONCAT);
  cr_assert_eq(sp_metadata_storage(md, "System", "Account", NULL, &e, NULL), 0);
  cr_expect(e->hashers[0] == SP_HASHER_BLAKE2_128_CONCAT);
}

Test(chain_metadata, finney_v14) {
  sp_metadata *md = sp_fixture_metadata("metadata_v14.hex", false);
  cr_expect_eq(md->version, 14);
  check_finney_facts(md);
  sp_metadata_free(md);
}

Test(chain_metadata, finney_v15_state_call) {
  sp_metadata *md =
      sp_fixture_metadata("state_call_metadata_at_version_15.hex", true);
  cr_expect_eq(md->version, 15);
  check_finney_facts(md);
  sp_metadata_free(md);
}

Test(chain_metadata, malformed_inputs_are_refused) {
  size_t len;
  uint8_t *b = sp_fixture_hex_bytes("metadata_v14.hex", &len);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  /* every cut of a seeded sample of lengths fails cleanly */
  unsigned seed = 1234;
  srand(seed);
  for (int i = 0; i < 60; i++) {
    size_t cut = (size_t)rand() % len;
    cr_expect_lt(sp_metadata_parse(b, cut, &md, &err), 0, "seed %u cut %zu",
                 seed, cut);
    cr_expect_null(md);
    cr_expect_gt(strlen(err.message), 0);
  }
  /* random byte corruptions never crash (they may still parse) */
  for (int i = 0; i < 40; i++) {
    size_t at = 5 + (size_t)rand() % (len - 5);
    uint8_t saved = b[at];
    b[at] ^= (uint8_t)(1 + rand() % 255);
    if (sp_metadata_parse(b, len, &md, &err) == 0) sp_metadata_free(md);
    b[at] = saved;
  }
  uint8_t *more = malloc(len + 1);
  memcpy(more, b, len);
  more[len] = 0;
  cr_expect_eq(sp_metadata_parse(more, len + 1, &md, &err), -SP_CHAIN_ESCALE);
  cr_expect(strstr(err.message, "trailing") != NULL, "%s", err.message);
  more[4] = 13;
  cr_expect_eq(sp_metadata_parse(more, len, &md, &err), -SP_CHAIN_EMETADATA);
  cr_expect(strstr(err.message, "version 13") != NULL, "%s", err.message);
  more[0] = 'M';
  cr_expect_eq(sp_metadata_parse(more, len, &md, &err), -SP_CHAIN_EMETADATA);
  cr_expect(strstr(err.message, "magic") != NULL, "%s", err.message);
  free(more);
  free(b);
  cr_expect_eq(sp_metadata_parse_hex("0xzz", false, &md, &err),
               -SP_CHAIN_EMETADATA);
  /* Option<Vec<u8>>: None, and a length that disagrees with the bytes */
  cr_expect_eq(sp_metadata_parse_hex("0x00", true, &md, &err),
               -SP_CHAIN_ENOTFOUND);
  cr_expect_eq(sp_metadata_parse_hex("0x01146d657461", true, &md, &err),
               -SP_CHAIN_ESCALE);
  cr_expect_eq(sp_metadata_parse_hex("0x01106d657461", true, &md, &err),
               -SP_CHAIN_EMETADATA);
  cr_expect(strstr(err.message, "too short") != NULL, "%s", err.message);
  cr_expect_eq(sp_metadata_parse_hex("0x02", true, &md, &err),
               -SP_CHAIN_ESCALE);
}

Test(chain_metadata, missing_pallet_and_call_lookups) {
  sp_metadata *md = sp_fixture_metadata("metadata_v14.hex", false);
  sp_chain_error err = {0};
  cr_expect_null(sp_metadata_pallet(md, "Nope"));
  cr_expect_null(sp_metadata_pallet_by_index(md, 250));
  cr_expect_eq(sp_metadata_call(md, "Nope", "register", NULL, NULL, &err),
               -SP_CHAIN_ENOTFOUND);
  cr_expect(strstr(err.message, "no pallet Nope") != NULL, "%s", err.message);
  cr_expect_eq(
      sp_metadata_call(md, "SubtensorModule", "nope", NULL, NULL, &err),
      -SP_CHAIN_ENOTFOUND);
  cr_expect_eq(sp_metadata_error(md, "SubtensorModule", "Nope", NULL, &err),
               -SP_CHAIN_ENOTFOUND);
  cr_expect_eq(sp_metadata_storage(md, "System", "Nope", NULL, NULL, &err),
               -SP_CHAIN_ENOTFOUND);
  cr_expect_null(sp_metadata_module_error(md, 7, 250, NULL));
  cr_expect_not_null(sp_metadata_constant(md, "System", "SS58Prefix"));
  sp_metadata_free(md);
}
