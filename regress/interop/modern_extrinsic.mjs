// Rebuilds with polkadot.js, from the same metadata, key, nonce, era, tip
// and genesis, what subpow built (printed as JSON by interop_modern_vectors)
// and compares byte for byte:
//   - the call data (polkadot.js' own tx builder, the call found by name);
//   - the signing payload (ExtrinsicPayload, hashed when over 256 bytes);
//   - the signed extrinsic: ed25519 signatures are deterministic, so
//     polkadot.js signs itself and the whole extrinsic must be equal;
//     sr25519 ones are randomized, so subpow's signature must verify over
//     polkadot.js' payload and the extrinsic polkadot.js assembles with it
//     must be equal;
//   - the key: polkadot.js derives the same public key from the same seed;
//   - the extension list and the module error / event indices subpow found
//     by name.
// Usage: node modern_extrinsic.mjs vectors.json   (exit 0 ok, 1 mismatch)
import { readFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, sr25519Verify } from '@polkadot/util-crypto';

await cryptoWaitReady();
const vectors = JSON.parse(readFileSync(process.argv[2], 'utf8'));

let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) {
    failures++;
    console.error(`MISMATCH: ${what}`);
  }
}
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// JSON numbers and decimal strings as BigInt; hex stays hex.
const value = (v) => (typeof v === 'string' && !v.startsWith('0x') ? BigInt(v) : v);

let extrinsics = 0;
for (const src of vectors.sources) {
  const registry = new TypeRegistry();
  const bytes = src.metadata.file
    ? new Uint8Array(readFileSync(src.metadata.file))
    : src.metadata.hex;
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata);
  const decorated = expandMetadata(registry, metadata);
  const at = `${src.name} (metadata V${metadata.version})`;

  // The extension list, in order.
  const theirs = registry.signedExtensions;
  check(JSON.stringify(theirs) === JSON.stringify(src.extensions),
    `${at} extensions: ours ${src.extensions}, theirs ${theirs}`);

  // Module errors and events: our index for each name is theirs.
  const pallet = metadata.asLatest.pallets.find((p) => p.name.toString() === 'SubtensorModule');
  const variants = (ty) => registry.lookup.getSiType(ty).def.asVariant.variants;
  const errIndex = Object.fromEntries(variants(pallet.errors.unwrap().type)
    .map((v) => [v.name.toString(), v.index.toNumber()]));
  const evIndex = Object.fromEntries(variants(pallet.events.unwrap().type)
    .map((v) => [v.name.toString(), v.index.toNumber()]));
  for (const [name, index] of Object.entries(src.errors)) {
    check(errIndex[name] === index, `${at} error ${name}: ours ${index}, theirs ${errIndex[name]}`);
    const meta = registry.findMetaError(new Uint8Array([pallet.index.toNumber(), index]));
    check(meta.method === name, `${at} module error ${index} is ${meta.method} in polkadot.js`);
  }
  for (const [name, index] of Object.entries(src.events))
    check(evIndex[name] === index, `${at} event ${name}: ours ${index}, theirs ${evIndex[name]}`);
  // Calls subpow said are absent are absent there too.
  for (const call of src.absent_calls)
    check(decorated.tx.subtensorModule[camel(call)] === undefined,
      `${at} ${call} is absent in polkadot.js too`);

  const keyrings = { ed25519: new Keyring({ type: 'ed25519' }), sr25519: new Keyring({ type: 'sr25519' }) };
  for (const x of src.extrinsics) {
    extrinsics++;
    const name = `${at} ${x.call} (${x.scheme}, nonce ${x.nonce}, ${x.era ? 'mortal' : 'immortal'}, tip ${x.tip})`;
    const pair = keyrings[x.scheme].addFromSeed(hexToU8a(x.mini));
    check(u8aToHex(pair.publicKey) === x.public, `${name} public key from the seed`);

    // The call, built by polkadot.js from the metadata by name.
    const fn = decorated.tx.subtensorModule[camel(x.call)];
    check(fn !== undefined, `${name} exists in polkadot.js`);
    if (!fn) continue;
    // polkadot.js names arguments in camelCase; ours keep the metadata's.
    const argNames = fn.meta.args.map((a) => a.name.toString());
    const ourNames = Object.keys(x.args);
    check(JSON.stringify(argNames) === JSON.stringify(ourNames.map(camel)),
      `${name} argument names ${argNames} vs ${ourNames}`);
    const method = fn(...ourNames.map((a) => value(x.args[a])));
    check(method.toHex() === x.call_hex, `${name} call data: ours ${x.call_hex}, theirs ${method.toHex()}`);

    const era = x.era
      ? registry.createType('ExtrinsicEra', { current: x.era.current, period: x.era.period })
      : registry.createType('ExtrinsicEra', '0x00');
    const options = {
      blockHash: x.block_hash,
      era,
      genesisHash: x.genesis,
      mode: 0,
      nonce: x.nonce,
      runtimeVersion: { specVersion: x.spec_version, transactionVersion: x.tx_version },
      tip: BigInt(x.tip),
    };
    const payload = registry.createType('ExtrinsicPayload', {
      ...options,
      method: method.toHex(),
      specVersion: x.spec_version,
      transactionVersion: x.tx_version,
    }, { version: 4 });
    let msg = payload.toU8a({ method: true });
    if (msg.length > 256) msg = blake2AsU8a(msg, 256);
    check(u8aToHex(msg) === x.payload_hex, `${name} signing payload: ours ${x.payload_hex}, theirs ${u8aToHex(msg)}`);

    const ext = registry.createType('Extrinsic', method, { version: 4 });
    if (x.scheme === 'ed25519') {
      ext.sign(pair, options);
      check(ext.toHex() === x.extrinsic_hex,
        `${name} signed extrinsic: ours ${x.extrinsic_hex}, theirs ${ext.toHex()}`);
    } else {
      // Take our signature out of our extrinsic (polkadot.js decodes it),
      // check it, and let polkadot.js assemble the extrinsic around it.
      const ours = registry.createType('Extrinsic', x.extrinsic_hex);
      const sig = ours.signature.toU8a();
      check(sr25519Verify(msg, sig, pair.publicKey), `${name} sr25519 signature verifies over polkadot.js' payload`);
      ext.addSignature(pair.address, { sr25519: sig }, payload.toHex());
      check(ext.toHex() === x.extrinsic_hex,
        `${name} signed extrinsic with our signature: ours ${x.extrinsic_hex}, theirs ${ext.toHex()}`);
    }
  }
}

console.log(`polkadot.js modern interop: ${checks} checks, ${failures} mismatches ` +
  `(${vectors.sources.map((s) => s.name).join(', ')}: ${extrinsics} extrinsics)`);
process.exit(failures === 0 ? 0 : 1);
