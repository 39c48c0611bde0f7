// The modern scenario table: `bench register --burned` and `bench faucet`
// on the mock node's modern profile (a runtime of the burned era, spec 397
// and later, held to today's Subtensor source: chain/mock/mock_node.h). Mock
// column only: no real runtime of that era exists offline (docs/real-runtime.md),
// so the mock's rules are checked against the source, not against a runtime.
// Each scenario checks what bench says and what the chain holds, read by
// polkadot-js (balances, Uids, Owner, System.Events).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TypeRegistry, Metadata } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import * as chain from './chain.mjs';
import { pump, submitProxy } from './nodes.mjs';

const NETUID = 1;
const TAO = 1000000000n;

function hasText(r, s) {
  return (r.out + r.err).includes(s);
}

// A raw storage write of any pallet's item, encoded with the node's own
// metadata (as rawPreset does for SubtensorModule).
async function setItem(node, pallet, item, keys, value) {
  const q = node.api.query[pallet][item];
  const t = q.creator.meta.type;
  const valueType = node.api.registry.createLookupType(t.isMap ? t.asMap.value : t.asPlain);
  const bytes = u8aToHex(node.api.registry.createType(valueType, value).toU8a());
  await node.rpc('dev_setStorage', [[[q.key(...keys), bytes]]]);
}

async function freeOf(node, account) {
  return BigInt((await node.api.query.system.account(account)).data.free.toString());
}

async function fund(node, account, rao) {
  await setItem(node, 'system', 'account', [account], { nonce: 0, data: { free: rao.toString() } });
}

async function burnOf(node) {
  return BigInt((await node.api.query.subtensorModule.burn(NETUID)).toString());
}

// A refusal before anything was signed: exit 1, the name, nothing sent,
// nothing paid.
async function refusedBeforeSigning(ctx, node, c, w, extra, name) {
  const head = await node.head();
  const before = await freeOf(node, w.cold);
  const p = pump(node);
  const r = await ctx.bench(node, 'register', w, ['--burned', ...extra]);
  await p.stop();
  c.that(r.code === 1, `${name}: exit ${r.code}, expected 1: ${r.last}`);
  c.that(hasText(r, name), `${name}: not named: ${r.last}`);
  c.that(hasText(r, 'nothing was signed'), `${name}: not said that nothing was signed: ${r.last}`);
  c.that((await node.head()) === head && (await node.pending()) === 0, `${name}: an extrinsic was sent`);
  c.that((await freeOf(node, w.cold)) === before, `${name}: the balance changed`);
  c.that((await chain.uidOf(node.api, NETUID, w.hot)) === null, `${name}: the hotkey got a uid`);
  return r;
}

// A burned registration that goes through: the uid both ways, one
// NeuronRegistered, and what bench says it paid is what the chain took.
async function burnedAndCheck(ctx, node, c, w, extra) {
  const from = (await node.head()) + 1;
  const before = await freeOf(node, w.cold);
  const p = pump(node);
  const r = await ctx.bench(node, 'register', w, ['--burned', ...extra]);
  await p.stop();
  c.that(r.code === 0, `exit ${r.code}, expected 0: ${r.last}`);
  const uid = await chain.uidOf(node.api, NETUID, w.hot);
  c.that(uid !== null && r.json && r.json.uid === uid, `uid: bench ${r.json && r.json.uid}, chain ${uid}`);
  c.that((await chain.ownerOf(node.api, w.hot)) === w.cold, 'Owner(hotkey) is not the coldkey');
  const evs = await chain.events(node.api, from, await node.head());
  const regs = chain.registrations(node.api, evs).filter((e) => e.hotkey === w.hot);
  c.that(regs.length === 1, `${regs.length} NeuronRegistered for the hotkey`);
  const taken = before - (await freeOf(node, w.cold));
  const b = r.json && r.json.burned;
  c.that(b && BigInt(b.paid_rao) === taken, `bench says paid ${b && b.paid_rao}, the chain took ${taken}`);
  c.that(b && BigInt(b.paid_rao) <= BigInt(b.cap_rao), `paid ${b && b.paid_rao} above the cap ${b && b.cap_rao}`);
  return { r, uid, taken };
}

// The SubtensorModule indices a metadata gives the names a registration
// client meets, and its transaction extensions (polkadot-js decoding).
const NAMES = {
  errors: ['NonAssociatedColdKey', 'NotEnoughBalanceToStake', 'TooManyRegistrationsThisBlock',
    'HotKeyAlreadyRegisteredInSubNet', 'InvalidWorkBlock', 'InvalidDifficulty', 'InvalidSeal',
    'SubNetRegistrationDisabled', 'TooManyRegistrationsThisInterval', 'TransactorAccountShouldBeHotKey',
    'FaucetDisabled', 'RegistrationNotPermittedOnRootSubnet', 'NoNeuronIdAvailable', 'SubnetNotExists'],
  events: ['NeuronRegistered', 'Faucet'],
  calls: ['register', 'burned_register', 'faucet'],
};

function indices(registry, md) {
  const latest = md.asLatest;
  const p = latest.pallets.find((x) => x.name.toString() === 'SubtensorModule');
  const of = (opt, names) => {
    const vs = registry.lookup.getSiType(opt.unwrap().type).def.asVariant.variants;
    return Object.fromEntries(names.map((n) => [n, (vs.find((v) => v.name.toString() === n) || { index: { toNumber: () => null } }).index.toNumber()]));
  };
  const ext = latest.extrinsic.transactionExtensions || latest.extrinsic.signedExtensions;
  return {
    pallet: p.index.toNumber(),
    errors: of(p.errors, NAMES.errors),
    events: of(p.events, NAMES.events),
    calls: of(p.calls, NAMES.calls),
    extensions: ext.map((e) => e.identifier.toString()),
  };
}

export const modernScenarios = [
  {
    id: 0,
    name: "metadata: spec 381's indices, today's extensions",
    async run(ctx, c) {
      const fixture = path.join(ctx.shared, 'fixtures', 'modern', 'devnet-spec381-v16.scale');
      if (!existsSync(fixture)) return { outcome: 'skipped: no spec-381 fixture', detail: fixture };
      const node = await ctx.fresh(null);
      const reg = new TypeRegistry();
      const md = new Metadata(reg, readFileSync(fixture));
      reg.setMetadata(md);
      const real = indices(reg, md);
      const mock = indices(node.api.registry, node.api.runtimeMetadata);
      for (const kind of ['errors', 'events', 'calls'])
        for (const n of NAMES[kind])
          c.that(real[kind][n] !== null && mock[kind][n] === real[kind][n], `${kind} ${n}: mock ${mock[kind][n]}, spec 381 ${real[kind][n]}`);
      c.that(mock.pallet === real.pallet, `pallet index: mock ${mock.pallet}, spec 381 ${real.pallet}`);
      // Today's source adds CheckShieldedTxValidity after SudoTransactionExtension.
      const today = [...real.extensions];
      today.splice(today.indexOf('SudoTransactionExtension') + 1, 0, 'CheckShieldedTxValidity');
      c.that(JSON.stringify(mock.extensions) === JSON.stringify(today), `extensions: mock [${mock.extensions}], expected [${today}]`);
      const limit = node.api.tx.subtensorModule.registerLimit;
      c.that(limit && limit.callIndex[1] === 134, 'register_limit is not call 134');
      return { outcome: 'indices and extensions as spec 381 (+ CheckShieldedTxValidity)', detail: `SubnetNotExists ${mock.errors.SubnetNotExists}` };
    },
  },
  {
    id: 1,
    name: 'burned, price under the cap',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const w = await ctx.wallet();
      await fund(node, w.cold, 10n * TAO);
      const price = await burnOf(node);
      const { r, taken } = await burnedAndCheck(ctx, node, c, w, ['--max-burn', '2']);
      c.that(r.json && r.json.burned.call === 'register_limit', `call ${r.json && r.json.burned.call}`);
      c.that(r.json && BigInt(r.json.burned.price_rao) <= price, 'the quote is above the stored price');
      return { outcome: 'exit 0, register_limit, uid stored, paid = balance drop <= cap', detail: `paid ${taken} rao` };
    },
  },
  {
    id: 2,
    name: 'burned, price above the cap',
    async run(ctx, c) {
      const node = await ctx.fresh({ Burn: [[[NETUID], (5n * TAO).toString()]] });
      const w = await ctx.wallet();
      await fund(node, w.cold, 10n * TAO);
      await refusedBeforeSigning(ctx, node, c, w, ['--max-burn', '2'], 'RegistrationPriceLimitExceeded');
      return { outcome: 'exit 1, RegistrationPriceLimitExceeded before signing, nothing paid', detail: '' };
    },
  },
  {
    id: 3,
    name: 'not enough balance',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const w = await ctx.wallet();
      await fund(node, w.cold, TAO / 10n);
      await refusedBeforeSigning(ctx, node, c, w, ['--max-burn', '2'], 'NotEnoughBalanceToStake');
      return { outcome: 'exit 1, NotEnoughBalanceToStake before signing', detail: '' };
    },
  },
  {
    id: 4,
    name: 'hotkey of another coldkey',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const w = await ctx.wallet();
      const other = await ctx.wallet();
      await fund(node, w.cold, 10n * TAO);
      await setItem(node, 'subtensorModule', 'owner', [w.hot], other.cold);
      await refusedBeforeSigning(ctx, node, c, w, ['--max-burn', '2'], 'NonAssociatedColdKey');
      return { outcome: 'exit 1, NonAssociatedColdKey before signing', detail: '' };
    },
  },
  {
    id: 5,
    name: 'no cap and no terminal (and -y)',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const w = await ctx.wallet();
      await fund(node, w.cold, 10n * TAO);
      await refusedBeforeSigning(ctx, node, c, w, [], '--max-burn');
      await refusedBeforeSigning(ctx, node, c, w, ['-y'], '--max-burn');
      return { outcome: 'exit 1 x2, asks for --max-burn, nothing signed', detail: '' };
    },
  },
  {
    id: 6,
    name: 'price rises between read and submit',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const w = await ctx.wallet();
      await fund(node, w.cold, 100n * TAO);
      const from = (await node.head()) + 1;
      // The price jumps to 50 TAO after bench read it and before the node
      // sees its extrinsic (an HTTP proxy in front of the node).
      const proxy = await submitProxy(node, async () => {
        await setItem(node, 'subtensorModule', 'burn', [NETUID], (50n * TAO).toString());
      });
      const p = pump(node);
      const r = await ctx.bench(node, 'register', w, ['--burned', '--max-burn', '2'], { url: proxy.url });
      await p.stop();
      await proxy.close();
      c.that(proxy.fired, 'bench submitted nothing');
      c.that(r.code === 1, `exit ${r.code}, expected 1: ${r.last}`);
      const errs = chain.failures(await chain.events(node.api, from, await node.head()));
      c.that(errs.includes('SubtensorModule.RegistrationPriceLimitExceeded'), `chain events: [${errs}]`);
      c.that(hasText(r, 'RegistrationPriceLimitExceeded'), `not named: ${r.last}`);
      c.that((await freeOf(node, w.cold)) === 100n * TAO, 'the balance changed');
      c.that((await chain.uidOf(node.api, NETUID, w.hot)) === null, 'the hotkey got a uid');
      return { outcome: 'exit 1, refused by register_limit on chain, nothing paid', detail: '' };
    },
  },
  {
    id: 7,
    name: 'faucet, then burned registration',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const w = await ctx.wallet();
      const before = await freeOf(node, w.cold);
      const p = pump(node);
      const f = await ctx.bench(node, 'faucet', w, ['--max-attempts', '2']);
      await p.stop();
      c.that(f.code === 0, `faucet: exit ${f.code}: ${f.last}`);
      const got = (await freeOf(node, w.cold)) - before;
      c.that(got === 1000n * TAO, `the faucet paid ${got} rao, expected 10^12`);
      const { taken } = await burnedAndCheck(ctx, node, c, w, ['--max-burn', '2']);
      return { outcome: 'faucet 1000 TAO, then exit 0 registered by burn', detail: `paid ${taken} rao` };
    },
  },
];
