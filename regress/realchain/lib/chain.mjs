// What the chain holds, read by polkadot-js (@polkadot/api), independently
// of our client: Uids, Keys, Owner, and the events of a range of blocks.
import { u8aToHex } from '@polkadot/util';

// The uid of a hotkey on a subnet, or null.
export async function uidOf(api, netuid, hotkey) {
  const v = await api.query.subtensorModule.uids(netuid, hotkey);
  return v.isSome ? v.unwrap().toNumber() : null;
}

// Keys(netuid, uid): the hotkey that holds a uid (0x hex).
export async function keyOf(api, netuid, uid) {
  return u8aToHex((await api.query.subtensorModule.keys(netuid, uid)).toU8a());
}

// Owner(hotkey): its coldkey (0x hex), or null where the chain has no such
// item (the mock: see chain/mock/mock_node.h).
export async function ownerOf(api, hotkey) {
  const q = api.query.subtensorModule.owner;
  if (!q) return null;
  return u8aToHex((await q(hotkey)).toU8a());
}

// The events of blocks from..to (inclusive), flattened, each with its
// block, pallet, name, fields and, for ExtrinsicFailed, the module error
// by name ("SubtensorModule.InvalidDifficulty").
export async function events(api, from, to) {
  const out = [];
  for (let b = from; b <= to; b++) {
    const hash = await api.rpc.chain.getBlockHash(b);
    const at = await api.at(hash);
    const recs = await at.query.system.events();
    for (const r of recs) {
      const ev = r.event;
      const e = { block: b, pallet: ev.section, name: ev.method, data: ev.data.toJSON(), error: null };
      if (ev.section === 'system' && ev.method === 'ExtrinsicFailed') {
        const de = ev.data[0];
        if (de.isModule) {
          const meta = api.registry.findMetaError(de.asModule);
          e.error = `${meta.section[0].toUpperCase()}${meta.section.slice(1)}.${meta.name}`;
        } else {
          e.error = de.type;
        }
      }
      out.push(e);
    }
  }
  return out;
}

// The NeuronRegistered events among evs: {block, netuid, uid, hotkey}.
export function registrations(api, evs) {
  return evs
    .filter((e) => e.pallet === 'subtensorModule' && e.name === 'NeuronRegistered')
    .map((e) => ({
      block: e.block,
      netuid: Number(e.data[0]),
      uid: Number(e.data[1]),
      hotkey: u8aToHex(api.createType('AccountId32', e.data[2]).toU8a()),
    }));
}

// The module errors of the ExtrinsicFailed events among evs.
export function failures(evs) {
  return evs.filter((e) => e.error !== null).map((e) => e.error);
}
