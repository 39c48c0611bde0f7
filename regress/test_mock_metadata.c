/* The mock node's own metadata parses with our V14 parser and carries
 * finney's indices and the signed extensions in finney's order. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "chain/codec/metadata.h"
#include "chain/mock/mock_metadata.h"

Test(mock_metadata, parses_with_finney_indices) {
  size_t len = 0;
  uint8_t *bytes = sp_mock_metadata_build(&len);
  cr_assert_not_null(bytes);
  sp_metadata *md = NULL;
  sp_chain_error err = {0};
  cr_assert_eq(sp_metadata_parse(bytes, len, &md, &err), 0, "%s", err.message);
  cr_assert_eq(md->version, 14);
  const sp_pallet *st = sp_metadata_pallet(md, "SubtensorModule");
  cr_assert_not_null(st);
  cr_assert_eq(st->index, 7);
  cr_assert_eq(sp_metadata_pallet(md, "System")->index, 0);
  cr_assert_eq(sp_metadata_pallet(md, "Balances")->index, 5);
  static const char *order[] = {"CheckNonZeroSender",
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
    cr_assert_str_eq(md->extensions[i].identifier, order[i]);
  cr_assert(md->has_extrinsic_types);
  sp_metadata_free(md);
  free(bytes);
}
