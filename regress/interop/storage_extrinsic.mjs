// Checks subpow's storage keys and signed extrinsics (printed as JSON by
// interop_chain_vectors) with polkadot.js, an independent implementation:
// our keys must equal the keys @polkadot/types derives from the same
// metadata; our extrinsics must decode there to the same call, arguments,
// signer and extensions; our ed25519 signatures must verify over the payload
// polkadot.js computes itself (hashed with BLAKE2b-256 when over 256 bytes).
// Usage: node storage_extrinsic.mjs vectors.json   (exit 0 ok, 1 mismatch)
import { readFileSync } from 'node:fs';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata';
import { compactStripLength, hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, ed25519Verify } from '@polkadot/util-crypto';

await cryptoWaitReady();
const vectors = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const registry = new TypeRegistry();
const metadata = new Metadata(registry, readFileSync(vectors.metadata_file, 'utf8').trim());
registry.setMetadata(metadata);
const decorated = expandMetadata(registry, metadata);

let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) {
    failures++;
    console.error(`MISMATCH: ${what}`);
  }
}
const lcfirst = (s) => s[0].toLowerCase() + s.slice(1);

for (const s of vectors.storage) {
  const fn = decorated.query[lcfirst(s.pallet)]?.[lcfirst(s.item)];
  check(fn !== undefined, `${s.pallet}.${s.item} exists in polkadot.js`);
  if (!fn) continue;
  const theirs = u8aToHex(compactStripLength(fn(...s.args))[1]);
  check(theirs === s.key, `${s.pallet}.${s.item}(${JSON.stringify(s.args)}) key: ours ${s.key}, theirs ${theirs}`);
}

for (const x of vectors.extrinsics) {
  const name = `${x.pallet}.${x.call} (${x.scheme})`;
  const ext = registry.createType('Extrinsic', x.hex);
  check(ext.isSigned, `${name} is signed`);
  check((ext.version & 0x7f) === 4, `${name} version 4, got ${ext.version & 0x7f}`);
  check(u8aToHex(ext.toU8a()) === x.hex, `${name} re-encodes to the same bytes`);
  check(ext.method.section === lcfirst(x.pallet) && ext.method.method === x.call,
    `${name} call is ${ext.method.section}.${ext.method.method}`);
  const names = Object.keys(ext.method.argsDef);
  check(names.length === Object.keys(x.args).length, `${name} argument count`);
  names.forEach((arg, i) => {
    const want = x.args[arg];
    const got = ext.method.args[i];
    const same = typeof want === 'string' && want.startsWith('0x')
      ? got.toHex() === want
      : got.toBigInt() === BigInt(want);
    check(same, `${name} argument ${arg}: ours ${want}, theirs ${got.toString()}`);
  });
  check(ext.signer.type === 'Id' && u8aToHex(ext.signer.value.toU8a()) === x.signer,
    `${name} signer is MultiAddress::Id(${x.signer}), got ${ext.signer.type}`);
  const scheme = ext.inner.signature.multiSignature.type;
  check(scheme.toLowerCase() === x.scheme, `${name} signature scheme ${scheme}`);
  check(ext.nonce.toBigInt() === BigInt(x.nonce), `${name} nonce ${ext.nonce}`);
  check(ext.tip.toBigInt() === BigInt(x.tip), `${name} tip ${ext.tip}`);
  check(ext.inner.signature.mode.toNumber() === 0, `${name} CheckMetadataHash mode`);
  if (x.era === null) {
    check(ext.era.isImmortalEra, `${name} era is immortal`);
  } else {
    const mine = registry.createType('ExtrinsicEra', { current: x.era.current, period: x.era.period });
    check(ext.era.isMortalEra && ext.era.toHex() === mine.toHex(),
      `${name} era ${ext.era.toHex()} vs polkadot.js Era(${x.era.period}, ${x.era.current}) ${mine.toHex()}`);
    check(ext.era.asMortalEra.phase.toNumber() === x.era.phase, `${name} era phase`);
  }
  if (x.scheme === 'ed25519') {
    const payload = registry.createType('ExtrinsicPayload', {
      blockHash: x.block_hash,
      era: ext.era.toHex(),
      genesisHash: x.genesis,
      method: ext.method.toHex(),
      mode: 0,
      nonce: ext.nonce,
      specVersion: x.spec_version,
      tip: ext.tip,
      transactionVersion: x.tx_version,
    }, { version: 4 });
    let msg = payload.toU8a({ method: true });
    if (msg.length > 256) msg = blake2AsU8a(msg, 256);
    check(ed25519Verify(msg, ext.signature.toU8a(), hexToU8a(x.signer)),
      `${name} signature verifies over polkadot.js' payload`);
  }
}

console.log(`polkadot.js interop: ${checks} checks, ${failures} mismatches ` +
  `(${vectors.storage.length} storage keys, ${vectors.extrinsics.length} extrinsics)`);
process.exit(failures === 0 ? 0 : 1);
