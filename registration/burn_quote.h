/*
 * What a burned registration will cost, read from the chain before
 * anything is signed (do_register of today's source, docs/protocol.md
 * section 4): the price Burn[netuid], the coldkey's free balance, whether
 * the hotkey already has a uid, and which coldkey owns the hotkey. All of
 * it is read at one block (the best block when asked), so the numbers
 * shown belong together.
 */
#ifndef SUBPOW_REGISTRATION_BURN_QUOTE_H
#define SUBPOW_REGISTRATION_BURN_QUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/client/client.h"

typedef struct sp_burn_quote {
  uint64_t block; /* the block the values were read at */
  uint8_t block_hash[32];
  uint64_t price_rao;   /* SubtensorModule.Burn[netuid] */
  uint64_t balance_rao; /* System.Account[coldkey].data.free */
  bool registered;      /* Uids[netuid][hotkey] is set */
  uint16_t uid;
  bool has_owner; /* Owner[hotkey] is not the zero account */
  uint8_t owner[32];
  bool owner_is_coldkey;     /* has_owner and owner == the coldkey */
  bool registration_allowed; /* NetworkRegistrationAllowed[netuid]
                                (true where the runtime has no such item) */
  bool has_register_limit; /* the metadata has SubtensorModule.register_limit */
} sp_burn_quote;

/*
 * Reads the quote for `hotkey` registered by `coldkey` on `netuid` at the
 * best block. Returns 0, or a negative error with the reason in err (a
 * node error, or a runtime without SubtensorModule.Burn).
 */
int sp_burn_quote_read(sp_chain_client *c, uint16_t netuid,
                       const uint8_t hotkey[32], const uint8_t coldkey[32],
                       sp_burn_quote *q, sp_chain_error *err);

/* Burn[netuid] alone at the best block (the re-check just before a
 * submission). */
int sp_burn_price_read(sp_chain_client *c, uint16_t netuid, uint64_t *price_rao,
                       sp_chain_error *err);

/* "1.234567890 TAO (1234567890 rao)": rao as TAO, exactly (9 decimals). */
void sp_tao_format(uint64_t rao, char *out, size_t cap);

/*
 * Parses a TAO amount ("0.5", "12", "1.000000001") into rao exactly: at
 * most 9 decimals, no sign, no exponent, at most 2^64 - 1 rao. Returns 0,
 * -SP_ERANGE for an amount over 2^64 - 1 rao, or -SP_EINVAL for any other
 * text; *rao is set only on success. No record: the caller names the
 * option the text came from.
 */
int sp_tao_parse(const char *text, uint64_t *rao);

#endif
