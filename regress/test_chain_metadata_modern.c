/*
 * Metadata V16 of recent Subtensor runtimes (specs 346 and 381, recorded by
 * the Subtensor project; the README beside them in
 * SUBPOW_SHARED_DIR/fixtures/modern/ lists the facts checked here, read
 * from the same files with polkadot.js), the look-ups
 * by name that make indices follow the runtime, and V16's refusals.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "chain/codec/scale.h"
#include "chain/codec/scale_type.h"
#include "regress/support/chain_setup.h"

static int error_index(const sp_metadata *md, const char *name) {
  const sp_type_variant *v;
  sp_chain_error err = {0};
  if (sp_metadata_error(md, "SubtensorModule", name, &v, &err) != 0) return -1;
  return v->index;
}

/* The facts both recorded runtimes share (fixtures/modern/README.md). */
static void check_modern_facts(const sp_metadata *md, bool sudo_extension) {
  cr_expect_eq(md->version, 16);
  cr_expect_eq(md->extrinsic_version, 4, "V16 lists [4, 5]; 4 is chosen");
  cr_expect(md->has_extrinsic_types);
  const sp_type_registry *r = &md->registry;
  cr_expect_str_eq(sp_type_name(sp_type_get(r, md->address_type)),
                   "MultiAddress");
  cr_expect_str_eq(sp_type_name(sp_type_get(r, md->signature_type)),
                   "MultiSignature");

  const sp_pallet *p = sp_metadata_pallet(md, "SubtensorModule");
  cr_assert_not_null(p);
  cr_expect_eq(p->index, 7);
  const sp_type_variant *v;
  cr_assert_eq(
      sp_metadata_call(md, "SubtensorModule", "register", NULL, &v, NULL), 0);
  cr_expect_eq(v->index, 6);
  static const char *reg_args[] = {"netuid", "block_number", "nonce",
                                   "work",   "hotkey",       "coldkey"};
  cr_assert_eq(v->nfields, 6);
  for (size_t i = 0; i < 6; i++)
    cr_expect_str_eq(v->fields[i].name, reg_args[i]);
  cr_assert_eq(sp_metadata_call(md, "SubtensorModule", "burned_register", NULL,
                                &v, NULL),
               0);
  cr_expect_eq(v->index, 7);
  cr_assert_eq(v->nfields, 2);
  cr_expect_str_eq(v->fields[0].name, "netuid");
  cr_expect_str_eq(v->fields[1].name, "hotkey");
  cr_assert_eq(
      sp_metadata_call(md, "SubtensorModule", "faucet", NULL, &v, NULL), 0);
  cr_expect_eq(v->index, 60);
  cr_expect_eq(v->nfields, 3);
  sp_chain_error err = {0};
  cr_expect_eq(
      sp_metadata_call(md, "SubtensorModule", "register_limit", NULL, &v, &err),
      -SP_CHAIN_ENOTFOUND, "register_limit is in neither file");
  cr_expect(strstr(err.message, "register_limit") != NULL, "%s", err.message);
  cr_assert_eq(
      sp_metadata_event(md, "SubtensorModule", "NeuronRegistered", &v, NULL),
      0);
  cr_expect_eq(v->index, 6);

  static const struct {
    const char *name;
    int index;
  } errs[] = {{"NonAssociatedColdKey", 7},
              {"NotEnoughBalanceToStake", 12},
              {"TooManyRegistrationsThisBlock", 20},
              {"HotKeyAlreadyRegisteredInSubNet", 21},
              {"InvalidWorkBlock", 23},
              {"InvalidDifficulty", 24},
              {"InvalidSeal", 25},
              {"SubNetRegistrationDisabled", 36},
              {"FaucetDisabled", 39},
              {"RegistrationNotPermittedOnRootSubnet", 41},
              {"NoNeuronIdAvailable", 47}};
  for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
    cr_expect_eq(error_index(md, errs[i].name), errs[i].index, "%s",
                 errs[i].name);

  static const char *ext[] = {"CheckNonZeroSender",
                              "CheckSpecVersion",
                              "CheckTxVersion",
                              "CheckGenesis",
                              "CheckMortality",
                              "CheckNonce",
                              "CheckWeight",
                              "ChargeTransactionPayment",
                              "SudoTransactionExtension",
                              "SubtensorTransactionExtension",
                              "DrandPriority",
                              "CheckMetadataHash"};
  size_t want = sudo_extension ? 12 : 11;
  cr_assert_eq(md->nextensions, want);
  for (size_t i = 0, j = 0; i < 12; i++) {
    if (!sudo_extension && i == 8) continue;
    cr_expect_str_eq(md->extensions[j].identifier, ext[i]);
    j++;
  }

  /* Storage a registration client reads, with the layout it expects. */
  const sp_storage_entry *e;
  cr_assert_eq(
      sp_metadata_storage(md, "SubtensorModule", "Burn", NULL, &e, NULL), 0);
  cr_expect(e->is_map && e->nhashers == 1 &&
            e->hashers[0] == SP_HASHER_IDENTITY);
  cr_assert_eq(sp_metadata_storage(md, "System", "Account", NULL, &e, NULL), 0);
  cr_expect(e->hashers[0] == SP_HASHER_BLAKE2_128_CONCAT);
}

Test(chain_metadata_modern, spec346_v16) {
  sp_metadata *md = sp_modern_fixture_metadata(SP_MODERN_SPEC346);
  check_modern_facts(md, false);
  sp_metadata_free(md);
}

Test(chain_metadata_modern, spec381_v16) {
  sp_metadata *md = sp_modern_fixture_metadata(SP_MODERN_SPEC381);
  check_modern_facts(md, true);
  sp_metadata_free(md);
}

/* Indices move between runtimes; looking them up by name follows them. */
Test(chain_metadata_modern, error_indices_follow_the_runtime) {
  sp_metadata *a = sp_modern_fixture_metadata(SP_MODERN_SPEC346);
  sp_metadata *b = sp_modern_fixture_metadata(SP_MODERN_SPEC381);
  cr_expect_eq(error_index(a, "SubnetNotExists"), 73);
  cr_expect_eq(error_index(b, "SubnetNotExists"), 75);
  /* ... and a DispatchError::Module of either names the same error. */
  const sp_pallet *p;
  const sp_type_variant *v = sp_metadata_module_error(a, 7, 73, &p);
  cr_assert_not_null(v);
  cr_expect_str_eq(v->name, "SubnetNotExists");
  v = sp_metadata_module_error(b, 7, 75, &p);
  cr_assert_not_null(v);
  cr_expect_str_eq(v->name, "SubnetNotExists");
  v = sp_metadata_module_error(b, 7, 73, &p);
  cr_expect(v == NULL || strcmp(v->name, "SubnetNotExists") != 0,
            "index 73 is another error at spec 381");
  sp_metadata_free(a);
  sp_metadata_free(b);
}

/* The state_call form (Option<Vec<u8>>) carries V16 too. */
Test(chain_metadata_modern, versioned_v16) {
  size_t len;
  uint8_t *b = sp_modern_fixture(SP_MODERN_SPEC346, &len);
  sp_scale_writer w;
  sp_scale_writer_init(&w);
  sp_scale_put_u8(&w, 1);
  sp_scale_put_byte_vec(&w, b, len);
  cr_assert_eq(sp_scale_writer_ok(&w), 0);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  cr_expect_eq(sp_metadata_parse_versioned(w.data, w.len, &md, &err), 0, "%s",
               err.message);
  cr_expect(md && md->version == 16);
  sp_metadata_free(md);
  sp_scale_writer_free(&w);
  free(b);
}

/* Every strict prefix fails cleanly, and so do version bytes past 16 and
 * unknown deprecation records. */
Test(chain_metadata_modern, malformed_v16_is_refused) {
  size_t len;
  uint8_t *b = sp_modern_fixture(SP_MODERN_SPEC346, &len);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  static const size_t cuts[] = {5, 6, 100, 4096, 150000, 302000};
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    size_t at = cuts[i] < len ? cuts[i] : len - 1;
    int rc = sp_metadata_parse(b, at, &md, &err);
    cr_expect(rc == -SP_CHAIN_ESCALE || rc == -SP_CHAIN_EMETADATA,
              "cut at %zu: rc %d", at, rc);
    cr_expect_null(md);
  }
  cr_expect_eq(sp_metadata_parse(b, len - 1, &md, &err), -SP_CHAIN_ESCALE,
               "the last byte missing");
  uint8_t *longer = malloc(len + 1);
  memcpy(longer, b, len);
  longer[len] = 0;
  cr_expect_eq(sp_metadata_parse(longer, len + 1, &md, &err), -SP_CHAIN_ESCALE,
               "trailing byte: %s", err.message);
  free(longer);
  b[4] = 17;
  cr_expect_eq(sp_metadata_parse(b, len, &md, &err), -SP_CHAIN_EMETADATA);
  cr_expect(strstr(err.message, "17") != NULL, "%s", err.message);
  b[4] = 16;
  /* The last byte is the custom map's length or the last item of the
   * outer enums; the deprecation record of the last runtime API sits
   * before it. Flip every byte of the tail to a value no tag takes and
   * expect a clean refusal or a parse, never a crash. */
  for (size_t at = len - 64; at < len; at++) {
    uint8_t saved = b[at];
    b[at] = 0xfe;
    int rc = sp_metadata_parse(b, len, &md, &err);
    if (rc == 0)
      sp_metadata_free(md);
    else
      cr_expect(rc == -SP_CHAIN_ESCALE || rc == -SP_CHAIN_EMETADATA, "rc %d",
                rc);
    md = NULL;
    b[at] = saved;
  }
  cr_expect_eq(sp_metadata_parse(b, len, &md, &err), 0, "%s", err.message);
  sp_metadata_free(md);
  free(b);
}
