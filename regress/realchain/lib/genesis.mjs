// The genesis state and storage defaults that a chain carries for the items
// a registration depends on, read by polkadot-js: on the real runtime these
// are the facts that the mock's defaults stand for (chain/mock/mock_node.h
// names each one's source), so the driver compares them (scenario 0).

// Items compared between a runtime and its mock: their value on netuid 1 at
// genesis (the mock stores every item of the subnets it has, so a client
// never sees the mock's storage defaults; they are printed with the rest).
const COMPARED = [
  'Difficulty',
  'NetworksAdded',
  'NetworkPowRegistrationAllowed',
  'MaxRegistrationsPerBlock',
  'TargetRegistrationsPerInterval',
  'RegistrationsThisInterval',
  'RegistrationsThisBlock',
];
// Read and printed, not compared: the mock has no such item, or differs
// where a client cannot tell (each explained in chain/mock/mock_node.h).
const SHOWN = ['Burn', 'SubnetworkN', 'MaxAllowedUids', 'AdjustmentInterval', 'MinDifficulty', 'MaxDifficulty', 'NetworkRegistrationAllowed'];

async function item(api, name) {
  const q = api.query.subtensorModule[name[0].toLowerCase() + name.slice(1)];
  if (!q) return null;
  const t = q.creator.meta.type;
  const type = api.registry.createLookupType(t.isMap ? t.asMap.value : t.asPlain);
  const fallback = api.registry.createType(type, q.creator.meta.fallback.toU8a(true)).toString();
  return { default: fallback, 0: (await q(0)).toString(), 1: (await q(1)).toString() };
}

// {compared: "k=v ...", shown: "k=v ..."} for one chain.
export async function facts(api) {
  const fmt = async (names, which) => {
    const parts = [];
    for (const n of names) {
      const v = await item(api, n);
      if (v === null) {
        parts.push(`${n}: absent`);
        continue;
      }
      parts.push(which.map((w) => `${n}${w === 'default' ? '' : `(${w})`}${w === 'default' ? ' default' : ''}=${v[w]}`).join(' '));
    }
    return parts.join(', ');
  };
  return { compared: await fmt(COMPARED, ['1']), shown: `defaults: ${await fmt(COMPARED, ['default'])}; ${await fmt(SHOWN, ['default', '0', '1'])}` };
}
