// The independent side of regress/test_interop_keys.c: polkadot-js
// (@polkadot/util-crypto on its WASM build of schnorrkel and ed25519, and
// @polkadot/keyring) answers what subpow computed.
//
// Usage: node check.mjs IN.json OUT.json
// IN:  {"seeds": [hex32], "phrases": [string], "prefixes": [int],
//       "ours": [{"scheme", "public", "message", "signature"}],
//       "messages": [hex]}
// OUT: {"keys": [{"seed", "sr25519", "ed25519", "srSecret",
//                 "ss58": {prefix: {"sr25519", "ed25519"}}}],
//       "phrases": [{"phrase", "miniSecret", "sr25519"}],
//       "oursVerified": [bool],
//       "theirs": [{"scheme", "public", "message", "signature"}]}
import { readFileSync, writeFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import {
  cryptoWaitReady,
  ed25519PairFromSeed,
  ed25519Sign,
  ed25519Verify,
  encodeAddress,
  mnemonicToMiniSecret,
  sr25519PairFromSeed,
  sr25519Sign,
  sr25519Verify,
} from '@polkadot/util-crypto';

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath) {
  console.error('usage: node check.mjs IN.json OUT.json');
  process.exit(2);
}
await cryptoWaitReady();
const input = JSON.parse(readFileSync(inPath, 'utf8'));
const keyring = new Keyring({ ss58Format: 42 });

const keys = input.seeds.map((seedHex) => {
  const seed = hexToU8a(seedHex);
  const sr = sr25519PairFromSeed(seed);
  const ed = ed25519PairFromSeed(seed);
  // The keyring's own path from a seed, to check it agrees with the
  // low-level functions.
  const krSr = keyring.addFromSeed(seed, {}, 'sr25519');
  const krEd = keyring.addFromSeed(seed, {}, 'ed25519');
  if (u8aToHex(krSr.publicKey) !== u8aToHex(sr.publicKey) ||
      u8aToHex(krEd.publicKey) !== u8aToHex(ed.publicKey)) {
    throw new Error('keyring and util-crypto disagree');
  }
  const ss58 = {};
  for (const p of input.prefixes) {
    ss58[p] = {
      sr25519: encodeAddress(sr.publicKey, p),
      ed25519: encodeAddress(ed.publicKey, p),
    };
  }
  return {
    seed: seedHex,
    sr25519: u8aToHex(sr.publicKey),
    ed25519: u8aToHex(ed.publicKey),
    srSecret: u8aToHex(sr.secretKey),
    ss58,
  };
});

const phrases = input.phrases.map((phrase) => {
  const mini = mnemonicToMiniSecret(phrase);
  return {
    phrase,
    miniSecret: u8aToHex(mini),
    sr25519: keyring.addFromMnemonic(phrase, {}, 'sr25519').address,
  };
});

const oursVerified = input.ours.map((o) => {
  const msg = hexToU8a(o.message);
  const sig = hexToU8a(o.signature);
  const pub = hexToU8a(o.public);
  try {
    return o.scheme === 'sr25519' ? sr25519Verify(msg, sig, pub)
                                  : ed25519Verify(msg, sig, pub);
  } catch {
    return false;
  }
});

const theirs = [];
for (const seedHex of input.seeds) {
  const seed = hexToU8a(seedHex);
  const sr = sr25519PairFromSeed(seed);
  const ed = ed25519PairFromSeed(seed);
  for (const m of input.messages) {
    const msg = hexToU8a(m);
    theirs.push({ scheme: 'sr25519', public: u8aToHex(sr.publicKey), message: m,
                  signature: u8aToHex(sr25519Sign(msg, sr)) });
    theirs.push({ scheme: 'ed25519', public: u8aToHex(ed.publicKey), message: m,
                  signature: u8aToHex(ed25519Sign(msg, ed)) });
  }
}

writeFileSync(outPath, JSON.stringify({ keys, phrases, oursVerified, theirs }, null, 1));
