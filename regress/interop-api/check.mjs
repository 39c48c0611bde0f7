// polkadot.js (@polkadot/api over HTTP, @polkadot/keyring) against the mock
// Subtensor node: run by regress/test_interop_api.c.
//
//   node check.mjs URL NETUID HOTKEY_HEX EXPECTED_UID REGISTER_BLOCK
//
// It connects, reads SubtensorModule.Difficulty(netuid) and
// Uids(netuid, hotkey) (the hotkey our client registered, expected at
// EXPECTED_UID), decodes block REGISTER_BLOCK and finds our client's
// `register` extrinsic and its NeuronRegistered event there, then mines a
// faucet solution itself, signs SubtensorModule.faucet with a keyring sr25519
// pair, submits it, finds it in a block with its Faucet and ExtrinsicSuccess
// events, and checks that the free balance rose by the faucet's 10^12 rao.
//
// On success the last stdout line is a JSON summary for the C side; on any
// failure it prints one line "FAIL: why" on stderr and exits 1.
import { ApiPromise, HttpProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, encodeAddress, keccakAsU8a, sha256AsU8a } from '@polkadot/util-crypto';

// pallet_subtensor do_faucet: fixed difficulty, 1,000 TAO per call.
const FAUCET_DIFFICULTY = 1000000n;
const FAUCET_AMOUNT = 1000000000000n;
const U256_MAX = (1n << 256n) - 1n;
const TOP_BYTE_LIMIT = Number((U256_MAX / FAUCET_DIFFICULTY) >> 248n);
const DEADLINE_MS = 90000;
const POLL_MS = 100;

function fail(why) {
  console.error(`FAIL: ${why}`);
  process.exit(1);
}

function need(cond, why) {
  if (!cond) fail(why);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// chain-le (Subtensor spec_version >= 283, docs/protocol.md section 2):
// U256::from_little_endian(seal) * difficulty must not overflow 256 bits.
function sealMeetsChainLe(seal, difficulty) {
  let x = 0n;
  for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(seal[i]);
  return x * difficulty <= U256_MAX;
}

// seal = Keccak-256(SHA-256(nonce_le64 || Keccak-256(block_hash || pubkey)))
// for the nonces [from, from + count) (numbers below 2^53); returns the
// first that meets the faucet's difficulty, with its seal, or null. One
// buffer is reused: allocation would cost as much as the hashes.
const input = new Uint8Array(40);
const inputView = new DataView(input.buffer);

function searchNonces(blockAndKey, from, count) {
  input.set(blockAndKey, 8);
  for (let nonce = from; nonce < from + count; nonce++) {
    inputView.setUint32(0, nonce >>> 0, true);
    inputView.setUint32(4, Math.floor(nonce / 2 ** 32), true);
    const seal = keccakAsU8a(sha256AsU8a(input));
    // The most significant byte (little-endian: the last) rejects almost
    // every seal before the exact BigInt check.
    if (seal[31] <= TOP_BYTE_LIMIT && sealMeetsChainLe(seal, FAUCET_DIFFICULTY)) {
      return { nonce, seal };
    }
  }
  return null;
}

// Mines from `firstNonce` on the best block, moving to each new best block
// as it appears (the search is memoryless, so restarting loses nothing) so
// that the work is at most one block old when found (the pallet accepts work
// of the block being built and the two before it; the caller checks again
// just before submitting).
async function mineFaucet(api, pubkey, firstNonce, deadline) {
  const CHUNK = 2000;
  let nonce = firstNonce;
  let best = null;
  let blockAndKey = null;
  for (;;) {
    need(Date.now() < deadline, 'no faucet solution before the deadline');
    const header = await api.rpc.chain.getHeader();
    if (best === null || header.number.toBigInt() !== best) {
      best = header.number.toBigInt();
      const joined = new Uint8Array(64);
      joined.set(header.hash.toU8a(), 0); // polkadot.js hashes the header itself
      joined.set(pubkey, 32);
      blockAndKey = keccakAsU8a(joined);
    }
    const until = Date.now() + POLL_MS;
    while (Date.now() < until) {
      const found = searchNonces(blockAndKey, nonce, CHUNK);
      nonce += CHUNK;
      if (found !== null) return { block: best, ...found };
    }
  }
}

// Waits for the extrinsic with this hash in a block after `from`; returns the
// block hash and the extrinsic's index.
async function findInclusion(api, txHash, from, deadline) {
  let next = from;
  for (;;) {
    need(Date.now() < deadline, `extrinsic ${txHash} not included before the deadline`);
    const best = (await api.rpc.chain.getHeader()).number.toBigInt();
    for (; next <= best; next++) {
      const blockHash = await api.rpc.chain.getBlockHash(next);
      const block = await api.rpc.chain.getBlock(blockHash);
      const index = block.block.extrinsics.findIndex((x) => x.hash.toHex() === txHash);
      if (index >= 0) return { number: next, blockHash, block: block.block, index };
    }
    await sleep(POLL_MS);
  }
}

// " (Pallet.Error)" for an ExtrinsicFailed event, for messages.
function describeFailure(api, event) {
  if (!api.events.system.ExtrinsicFailed.is(event)) return '';
  const err = event.data[0];
  if (!err.isModule) return ` (${err.type})`;
  const meta = api.registry.findMetaError(err.asModule);
  return ` (${meta.section}.${meta.name})`;
}

async function eventsOf(api, blockHash, index) {
  const records = await api.query.system.events.at(blockHash);
  return records
    .filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index)
    .map(({ event }) => event);
}

async function main() {
  const [url, netuidArg, hotkeyHex, expectedUidArg, registerBlockArg] = process.argv.slice(2);
  if (registerBlockArg === undefined) {
    console.error('usage: node check.mjs URL NETUID HOTKEY_HEX EXPECTED_UID REGISTER_BLOCK');
    process.exit(2);
  }
  const netuid = Number(netuidArg);
  const expectedUid = Number(expectedUidArg);
  const deadline = Date.now() + DEADLINE_MS;
  await cryptoWaitReady();

  const api = new ApiPromise({
    provider: new HttpProvider(url),
    noInitWarn: true,
    // Subtensor's own transaction extensions carry nothing in the extrinsic
    // or the signed payload (their types in the metadata are empty).
    signedExtensions: {
      SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
      DrandPriority: { extrinsic: {}, payload: {} },
    },
  });
  api.on('error', (e) => fail(`api error: ${e.message}`));
  await api.isReady;
  const summary = {
    specVersion: api.runtimeVersion.specVersion.toNumber(),
    genesisHash: api.genesisHash.toHex(),
  };

  // Reads.
  summary.difficulty = (await api.query.subtensorModule.difficulty(netuid)).toString();
  const uid = await api.query.subtensorModule.uids(netuid, hotkeyHex);
  need(uid.isSome, `Uids(${netuid}, ${hotkeyHex}) is None: our registration is not visible`);
  summary.uid = uid.unwrap().toNumber();
  need(summary.uid === expectedUid, `uid ${summary.uid}, expected ${expectedUid}`);
  const nobody = await api.query.subtensorModule.uids(netuid, u8aToHex(new Uint8Array(32).fill(0xee)));
  need(nobody.isNone, 'Uids of an unregistered hotkey is not None');

  // Our client's registration, decoded by polkadot.js from the block.
  const regHash = await api.rpc.chain.getBlockHash(Number(registerBlockArg));
  const regBlock = (await api.rpc.chain.getBlock(regHash)).block;
  const regIndex = regBlock.extrinsics.findIndex(
    (x) =>
      x.isSigned &&
      x.method.section === 'subtensorModule' &&
      x.method.method === 'register' &&
      x.method.args[4].toHex() === hotkeyHex,
  );
  need(regIndex >= 0, `no register(hotkey ${hotkeyHex}) in block ${registerBlockArg}`);
  const regExt = regBlock.extrinsics[regIndex];
  need(
    regExt.signer.toString() === encodeAddress(hotkeyHex, 42),
    `the registration is signed by ${regExt.signer.toString()}, not the hotkey`,
  );
  const regEvents = await eventsOf(api, regHash, regIndex);
  const registered = regEvents.find((e) => api.events.subtensorModule.NeuronRegistered.is(e));
  need(registered !== undefined, 'no NeuronRegistered event for our registration');
  need(
    registered.data[0].toNumber() === netuid &&
      registered.data[1].toNumber() === expectedUid &&
      registered.data[2].toHex() === hotkeyHex,
    `NeuronRegistered carries ${registered.data.toString()}`,
  );
  summary.registerNetuid = Number(regExt.method.args[0].toString());

  // The faucet, mined, signed and submitted by polkadot.js.
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const pair = keyring.addFromUri('//SubpowInteropFaucet');
  summary.coldkey = u8aToHex(pair.publicKey);
  const before = (await api.query.system.account(pair.address)).data.free.toBigInt();
  const accountNonce = await api.rpc.system.accountNextIndex(pair.address);
  const t0 = Date.now();
  let work = null;
  let tx = null;
  summary.staleSolutions = 0;
  for (let first = 0; ; first = work.nonce + 1) {
    work = await mineFaucet(api, pair.publicKey, first, deadline);
    tx = api.tx.subtensorModule.faucet(work.block, work.nonce, u8aToHex(work.seal));
    await tx.signAsync(pair, { nonce: accountNonce, era: 0 });
    // Submitted now, it is in the next block at the latest (instant pool).
    const now = (await api.rpc.chain.getHeader()).number.toBigInt();
    if (now <= work.block + 1n) break;
    summary.staleSolutions++;
  }
  summary.mineMs = Date.now() - t0;
  summary.workBlock = Number(work.block);
  summary.workNonce = work.nonce.toString();
  const submitted = await api.rpc.author.submitExtrinsic(tx);
  need(submitted.toHex() === tx.hash.toHex(), `node hash ${submitted.toHex()}, ours ${tx.hash.toHex()}`);
  summary.faucetHash = tx.hash.toHex();

  const inc = await findInclusion(api, tx.hash.toHex(), work.block + 1n, deadline);
  summary.faucetBlock = Number(inc.number);
  summary.faucetIndex = inc.index;
  const events = await eventsOf(api, inc.blockHash, inc.index);
  const names = events.map((e) => `${e.section}.${e.method}${describeFailure(api, e)}`).join(', ');
  const paid = events.find((e) => api.events.subtensorModule.Faucet.is(e));
  need(paid !== undefined, `no subtensorModule.Faucet event (events: ${names})`);
  need(
    paid.data[0].toHex() === summary.coldkey && paid.data[1].toBigInt() === FAUCET_AMOUNT,
    `Faucet event carries ${paid.data.toString()}`,
  );
  need(
    events.some((e) => api.events.system.ExtrinsicSuccess.is(e)),
    `no system.ExtrinsicSuccess (events: ${names})`,
  );
  const after = (await api.query.system.account(pair.address)).data.free.toBigInt();
  need(after - before === FAUCET_AMOUNT, `free balance ${before} -> ${after}, not + ${FAUCET_AMOUNT}`);
  summary.balanceBefore = before.toString();
  summary.balanceAfter = after.toString();
  await api.disconnect();
  console.log(JSON.stringify(summary));
}

main().then(
  () => process.exit(0),
  (e) => fail(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : String(e)),
);
