// The registration scenario table. Each scenario runs our `bench register`
// or `bench faucet` against one chain (a real runtime or the mock standing
// for it) and checks two things: what bench says (exit status, JSON
// summary, notes) and what the chain holds, read by polkadot-js (Uids,
// Keys, Owner, System.Events). It returns a short outcome, the same for a
// real runtime and its mock when the mock answers as the runtime does.
import { readFileSync, existsSync } from 'node:fs';
import * as chain from './chain.mjs';
import { facts } from './genesis.mjs';
import { pump, submitProxy } from './nodes.mjs';

const NETUID = 1;
const LOW = 10000; // a low difficulty: a solution in well under a second
const REAL = 10000000; // Difficulty in the genesis of raonet-spec218.json

const open = (difficulty) => ({
  NetworkPowRegistrationAllowed: [[[NETUID], true]],
  ...(difficulty ? { Difficulty: [[[NETUID], difficulty]] } : {}),
});

const other = (rule) => (rule === 'chain-be' ? 'chain-le' : 'chain-be');

class Check {
  constructor() {
    this.failed = [];
  }
  that(cond, what) {
    if (!cond) this.failed.push(what);
    return cond;
  }
}

function hasText(r, s) {
  return (r.out + r.err).includes(s);
}

// Registers one fresh wallet on an open subnet and checks the uid both
// ways; returns {r, uid}.
async function registerAndCheck(ctx, node, c, extra = [], what = '') {
  const w = await ctx.wallet();
  const from = (await node.head()) + 1;
  const p = pump(node);
  const r = await ctx.bench(node, 'register', w, extra);
  await p.stop();
  const uid = await checkRegistered(node, c, r, w, from, what);
  return { r, uid, w };
}

async function checkRegistered(node, c, r, w, from, what) {
  const api = node.api;
  c.that(r.code === 0, `${what}exit ${r.code}, expected 0: ${r.last}`);
  c.that(r.json && r.json.status === 'registered', `${what}status ${r.json && r.json.status}`);
  const uid = await chain.uidOf(api, NETUID, w.hot);
  c.that(uid !== null, `${what}Uids(${NETUID}, hotkey) is empty on the chain`);
  c.that(r.json && r.json.uid === uid, `${what}bench says uid ${r.json && r.json.uid}, the chain stored ${uid}`);
  if (uid !== null) {
    c.that((await chain.keyOf(api, NETUID, uid)) === w.hot, `${what}Keys(${NETUID}, ${uid}) is not the hotkey`);
    const owner = await chain.ownerOf(api, w.hot);
    if (owner !== null) c.that(owner === w.cold, `${what}Owner(hotkey) ${owner} is not the coldkey`);
  }
  const evs = await chain.events(api, from, await node.head());
  const regs = chain.registrations(api, evs).filter((e) => e.hotkey === w.hot);
  c.that(regs.length === 1 && regs[0].uid === uid && regs[0].netuid === NETUID,
    `${what}System.Events: ${regs.length} NeuronRegistered for the hotkey (uid ${regs[0] && regs[0].uid})`);
  return uid;
}

// The module errors the chain recorded since block `from`.
async function chainErrors(node, from) {
  return chain.failures(await chain.events(node.api, from, await node.head()));
}

// A refusal before solving: exit 1, the message, no work, nothing sent
// (no block made by the pump, the pool empty, no uid).
async function refusedBeforeSolving(ctx, node, c, extra, expectText) {
  const w = await ctx.wallet();
  const head = await node.head();
  const p = pump(node);
  const r = await ctx.bench(node, 'register', w, extra);
  await p.stop();
  c.that(r.code === 1, `${extra.join(' ')}: exit ${r.code}, expected 1: ${r.last}`);
  c.that(hasText(r, expectText), `${extra.join(' ')}: no "${expectText}" in: ${r.last}`);
  c.that(r.json && r.json.attempts === 0 && r.json.block_number === null && r.json.hashes === 0,
    `${extra.join(' ')}: it solved or submitted (attempts ${r.json && r.json.attempts}, hashes ${r.json && r.json.hashes})`);
  c.that((await node.head()) === head && (await node.pending()) === 0, `${extra.join(' ')}: an extrinsic was sent`);
  return r;
}

export const scenarios = [
  {
    id: 0,
    name: 'genesis state and storage defaults',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const f = await facts(node.api);
      return { outcome: f.compared, detail: f.shown };
    },
  },
  {
    id: 1,
    name: 'register, open subnet, d=1e4 and d=1e7',
    async run(ctx, c) {
      let node = await ctx.fresh(open(LOW));
      const a = await registerAndCheck(ctx, node, c, [], 'd=1e4: ');
      node = await ctx.fresh(open(null));
      const d = (await node.api.query.subtensorModule.difficulty(NETUID)).toString();
      c.that(d === String(REAL), `Difficulty(${NETUID}) is ${d} on this chain, expected the genesis ${REAL}`);
      const b = await registerAndCheck(ctx, node, c, [], 'd=1e7: ');
      c.that(b.r.json && b.r.json.difficulty === REAL, `d=1e7: bench solved at ${b.r.json && b.r.json.difficulty}`);
      return { outcome: 'exit 0, uid stored', detail: `uid ${a.uid} / ${b.uid}, ${b.r.json && b.r.json.seconds}s at 1e7` };
    },
  },
  {
    id: 2,
    name: 'rerun with the same hotkey',
    async run(ctx, c) {
      const node = await ctx.fresh(open(LOW));
      const first = await registerAndCheck(ctx, node, c, [], 'first run: ');
      const head = await node.head();
      const p = pump(node);
      const r = await ctx.bench(node, 'register', first.w, []);
      await p.stop();
      c.that(r.code === 0, `exit ${r.code}, expected 0: ${r.last}`);
      c.that(r.json && r.json.already_registered === true && r.json.uid === first.uid,
        `uid ${r.json && r.json.uid}, expected ${first.uid} (already_registered ${r.json && r.json.already_registered})`);
      c.that(r.json && r.json.attempts === 0, `attempts ${r.json && r.json.attempts}: something was submitted`);
      c.that((await node.head()) === head && (await node.pending()) === 0, 'an extrinsic was sent');
      return { outcome: 'exit 0, already registered, same uid, nothing sent', detail: `uid ${first.uid}` };
    },
  },
  {
    id: 3,
    name: '--rule forced to the wrong rule',
    async run(ctx, c) {
      const node = await ctx.fresh(open(LOW));
      const w = await ctx.wallet();
      const from = (await node.head()) + 1;
      const p = pump(node);
      const r = await ctx.bench(node, 'register', w, ['--rule', other(ctx.rule), '--max-attempts', '1']);
      await p.stop();
      c.that(r.code === 1, `exit ${r.code}, expected 1: ${r.last}`);
      c.that(hasText(r, 'SubtensorModule.InvalidDifficulty'), `no SubtensorModule.InvalidDifficulty in: ${r.last}`);
      const errs = await chainErrors(node, from);
      c.that(errs.includes('SubtensorModule.InvalidDifficulty'), `chain events: [${errs}]`);
      c.that((await chain.uidOf(node.api, NETUID, w.hot)) === null, 'the hotkey got a uid');
      return { outcome: 'exit 1, SubtensorModule.InvalidDifficulty', detail: `--rule ${other(ctx.rule)}` };
    },
  },
  {
    id: 4,
    name: 'work left behind (3 blocks made before submit)',
    async run(ctx, c) {
      const node = await ctx.fresh(open(LOW));
      const w = await ctx.wallet();
      const from = (await node.head()) + 1;
      // The chain moves 3 blocks after the client's window check and
      // before the node sees the extrinsic: the work is dead on arrival.
      // The client cannot see this coming (it already refuses to send work
      // outside the window at its last look); what is right is that the
      // chain's InvalidWorkBlock is reported by name and the next attempt
      // uses fresh work (results/realchain.md, "Scenario 4").
      const proxy = await submitProxy(node, async () => {
        for (let i = 0; i < 3; i++) await node.newBlock();
      });
      const p = pump(node);
      const r = await ctx.bench(node, 'register', w, ['--max-attempts', '2'], { url: proxy.url });
      await p.stop();
      await proxy.close();
      c.that(proxy.fired, 'bench submitted nothing');
      c.that(hasText(r, 'SubtensorModule.InvalidWorkBlock'), `no SubtensorModule.InvalidWorkBlock in: ${r.last}`);
      const errs = await chainErrors(node, from);
      c.that(errs.includes('SubtensorModule.InvalidWorkBlock'), `chain events: [${errs}]`);
      // ... and the second attempt, with fresh work, registers.
      await checkRegistered(node, c, r, w, from, 'attempt 2: ');
      c.that(r.json && r.json.attempts === 2, `attempts ${r.json && r.json.attempts}, expected 2`);
      return { outcome: 'InvalidWorkBlock reported by name, then exit 0 on fresh work', detail: `attempts ${r.json && r.json.attempts}` };
    },
  },
  {
    id: 5,
    name: 'PoW off / no such subnet / root: refused before solving',
    async run(ctx, c) {
      // PoW off on netuid 1 (the spec-218 genesis has it off, spec 293's
      // storage default is on)
      const node = await ctx.fresh({ NetworkPowRegistrationAllowed: [[[NETUID], false]] });
      await refusedBeforeSolving(ctx, node, c, ['--netuid', '1'], 'PoW registration is disabled on subnet 1');
      await refusedBeforeSolving(ctx, node, c, ['--netuid', '7'], 'subnet 7 does not exist');
      await refusedBeforeSolving(ctx, node, c, ['--netuid', '0'], 'root network');
      return { outcome: 'exit 1 x3, before solving, nothing sent', detail: '' };
    },
  },
  {
    id: 6,
    name: 'MaxRegistrationsPerBlock=1, two clients, one block',
    async run(ctx, c) {
      const node = await ctx.fresh({ ...open(LOW), MaxRegistrationsPerBlock: [[[NETUID], 1]] });
      const wa = await ctx.wallet();
      const wb = await ctx.wallet();
      const from = (await node.head()) + 1;
      const p = pump(node, { need: 2 }); // the first block waits for both
      const [ra, rb] = await Promise.all([
        ctx.bench(node, 'register', wa, ['--max-attempts', '3']),
        ctx.bench(node, 'register', wb, ['--max-attempts', '3']),
      ]);
      await p.stop();
      const errs = await chainErrors(node, from);
      c.that(errs.includes('SubtensorModule.TooManyRegistrationsThisBlock'), `chain events: [${errs}]`);
      const attempts = [ra, rb].map((r) => r.json && r.json.attempts).sort();
      c.that(attempts[0] === 1 && attempts[1] >= 2, `attempts ${attempts}: expected one 1 and one later`);
      const late = [ra, rb].find((r) => r.json && r.json.attempts >= 2) || rb;
      c.that(hasText(late, 'TooManyRegistrationsThisBlock') || hasText(late, 'RateLimit'),
        `the refused client does not name TooManyRegistrationsThisBlock: ${late.last}`);
      const ua = await checkRegistered(node, c, ra, wa, from, 'client A: ');
      const ub = await checkRegistered(node, c, rb, wb, from, 'client B: ');
      c.that(ua !== ub, `both got uid ${ua}`);
      return { outcome: 'one registers, the other refused (TooManyRegistrationsThisBlock) then registers', detail: `uids ${ua}, ${ub}` };
    },
  },
  {
    id: 7,
    name: 'moving chain (a block every 1-3 s), d=1e7',
    async run(ctx, c) {
      const node = await ctx.fresh(open(null));
      const w = await ctx.wallet();
      const start = await node.head();
      const p = pump(node, { timerMs: () => 1000 + Math.floor(ctx.random() * 2000) });
      const r = await ctx.bench(node, 'register', w, []);
      await p.stop();
      await checkRegistered(node, c, r, w, start + 1, '');
      const m = /included in block (\d+)/.exec(r.err + r.out);
      const work = r.json && r.json.block_number;
      c.that(m && work !== null && Number(m[1]) - work < 3 && work >= start,
        `work of block ${work}, included in ${m && m[1]}, chain at ${start} when it started`);
      return {
        outcome: 'exit 0, work from a recent block',
        detail: `${p.blocks} blocks made; work block ${work}, included ${m && m[1]}`,
      };
    },
  },
  {
    id: 8,
    name: 'bench faucet (no pow-faucet feature)',
    async run(ctx, c) {
      const node = await ctx.fresh(null);
      const w = await ctx.wallet();
      const from = (await node.head()) + 1;
      const p = pump(node);
      const r = await ctx.bench(node, 'faucet', w, ['--max-attempts', '1']);
      await p.stop();
      c.that(r.code === 1, `exit ${r.code}, expected 1: ${r.last}`);
      c.that(hasText(r, 'SubtensorModule.FaucetDisabled'), `no SubtensorModule.FaucetDisabled in: ${r.last}`);
      const errs = await chainErrors(node, from);
      c.that(errs.includes('SubtensorModule.FaucetDisabled'), `chain events: [${errs}]`);
      const journal = `${w.path}/default/subpow-journal.jsonl`;
      const lines = existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
      c.that(lines.some((l) => l.kind === 'faucet' && l.seal === (r.json && r.json.seal)),
        `the solution is not in the journal ${journal} (${lines.length} lines)`);
      return { outcome: 'exit 1, SubtensorModule.FaucetDisabled, journaled', detail: '' };
    },
  },
  {
    id: 9,
    name: 'pool rejection: RegistrationsThisInterval at 3 x target',
    async run(ctx, c) {
      let node = await ctx.fresh(open(LOW));
      const target = (await node.api.query.subtensorModule.targetRegistrationsPerInterval(NETUID)).toNumber();
      await node.setStorage({ RegistrationsThisInterval: [[[NETUID], 3 * target]] });
      const w = await ctx.wallet();
      const head = await node.head();
      const p = pump(node);
      const r = await ctx.bench(node, 'register', w, ['--max-attempts', '1']);
      await p.stop();
      c.that(r.code === 1, `exit ${r.code}, expected 1: ${r.last}`);
      c.that(!hasText(r, 'malformed'), `reported as malformed: ${r.last}`);
      c.that(/author_submit(AndWatch)?Extrinsic: the node answered/.test(r.out + r.err), `not the node's answer: ${r.last}`);
      c.that((await node.head()) === head && (await node.pending()) === 0, 'the extrinsic reached a block');
      c.that((await chain.uidOf(node.api, NETUID, w.hot)) === null, 'the hotkey got a uid');
      const m = /author_submit(?:AndWatch)?Extrinsic: the node answered ([^(\n]*)/.exec(r.err);
      return { outcome: 'exit 1, refused by the pool with its message', detail: m ? m[1].trim().slice(0, 70) : '' };
    },
  },
];
