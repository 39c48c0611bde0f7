// The registration scenario table on the real Subtensor runtimes (spec 218
// and 293 under Chopsticks) and on the mock node profiles standing for them
// (282 and 343), printed side by side. Run by realchain.sh (ctest).
//
//   node run.mjs --bench PATH --runtimes DIR [--scheme http|ws]
//                [--chains real218,mock282,real293,mock343] [--only 1,2,...]
//                [--record FILE]
//
// --runtimes names the directory of raonet-spec218.json and
// spec293-aura-dev.code (scripts/fetch-runtimes.sh fetches them); --shared
// DIR stands for DIR/fixtures/runtimes. --scheme is the transport of the
// clients under test (bench, polkadot-js);
// dev_* control calls always go over HTTP, and so does bench in scenario 4,
// which reaches the node through an HTTP proxy that moves the chain just
// before the submission arrives (lib/nodes.mjs submitProxy). Exit 0 when every scenario
// passes on every chain and each mock's outcome equals its runtime's; 1
// otherwise, with one line per failure.
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as procs from './lib/procs.mjs';
import { ChopsticksNode, MockNode } from './lib/nodes.mjs';
import { scenarios } from './lib/scenarios.mjs';

const { values: opt } = parseArgs({
  options: {
    bench: { type: 'string' },
    shared: { type: 'string' },
    runtimes: { type: 'string' },
    scheme: { type: 'string', default: 'http' },
    chains: { type: 'string', default: 'real218,mock282,real293,mock343' },
    only: { type: 'string' },
    record: { type: 'string' },
  },
});
if (opt.runtimes === undefined && opt.shared !== undefined) opt.runtimes = path.join(opt.shared, 'fixtures', 'runtimes');
if (!opt.bench || !opt.runtimes || !['http', 'ws'].includes(opt.scheme)) {
  console.error('usage: node run.mjs --bench PATH --runtimes DIR [--scheme http|ws] [--chains ...] [--only N,...] [--record FILE]');
  process.exit(2);
}

// Bounds, generous: the machine is shared (2 cores, several builds).
const START_MS = 240000; // chopsticks startup: 10-30 s when idle
const BENCH_MS = 240000; // one bench register/faucet run
const WATCHDOG_MS = 1500000; // the whole run

const CHAINS = {
  real218: { kind: 'real', spec: 218, rule: 'chain-be', pair: 'mock282' },
  real293: { kind: 'real', spec: 293, rule: 'chain-le', pair: 'mock343' },
  mock282: { kind: 'mock', spec: 218, profile: 282, rule: 'chain-be' },
  mock343: { kind: 'mock', spec: 293, profile: 343, rule: 'chain-le' },
};
const chainIds = opt.chains.split(',');
for (const id of chainIds) if (!CHAINS[id]) (console.error(`unknown chain ${id}`), process.exit(2));
const only = opt.only ? new Set(opt.only.split(',').map(Number)) : null;
const table = scenarios.filter((s) => !only || only.has(s.id));

const watchdog = setTimeout(() => {
  console.error(`FAIL: the run took over ${WATCHDOG_MS / 1000} s; stopping everything it started`);
  procs.killAll();
  process.exit(1);
}, WATCHDOG_MS);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'subpow-realchain-'));
let seed = 12; // the moving chain's block intervals: deterministic
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

let walletCount = 0;
async function wallet() {
  const p = path.join(tmp, `w${walletCount++}`);
  const r = await procs.run(opt.bench, ['wallet', 'create', '--wallet-path', p, '--no-password'], 60000);
  if (r.code !== 0) throw new Error(`bench wallet create: exit ${r.code}: ${r.err.trim()}`);
  const hot = JSON.parse(readFileSync(path.join(p, 'default', 'hotkeys', 'default'), 'utf8')).publicKey;
  const cold = JSON.parse(readFileSync(path.join(p, 'default', 'coldkeypub.txt'), 'utf8')).publicKey;
  return { path: p, hot, cold };
}

// bench register|faucet against node (or opts.url): one CPU thread, so
// that the chain's executor keeps the other core.
async function bench(node, kind, w, extra, opts = {}) {
  const args = [kind, '--network', opts.url || node.url, '--wallet-path', w.path,
    '--backend', 'cpu', '--threads', '1', '--no-pin', '--poll-ms', '200', '--json', ...extra];
  const r = await procs.run(opt.bench, args, BENCH_MS);
  const line = r.out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  try {
    r.json = line ? JSON.parse(line) : null;
  } catch {
    r.json = null;
  }
  r.last = r.timedOut ? `timed out after ${BENCH_MS / 1000} s` : (r.err.trim().split('\n').pop() || '').slice(0, 300);
  return r;
}

const results = {}; // results[chain][scenario id] = {ok, outcome, detail, failed, seconds}
const info = { chopsticks: {}, startedAt: new Date().toISOString() };

async function runChain(id) {
  const def = CHAINS[id];
  results[id] = {};
  let real = null;
  let mock = null;
  if (def.kind === 'real') {
    real = await ChopsticksNode.start({ runtimes: opt.runtimes, spec: def.spec, scheme: opt.scheme, startTimeoutMs: START_MS });
    info.chopsticks[id] = { startMs: real.startMs, port: real.port };
    console.log(`${id}: chopsticks up in ${(real.startMs / 1000).toFixed(1)} s on port ${real.port}`);
  }
  try {
    for (const s of table) {
      const t0 = Date.now();
      const c = { failed: [], that(cond, what) { if (!cond) this.failed.push(what); return cond; } };
      const ctx = {
        rule: def.rule,
        random,
        wallet,
        bench,
        async fresh(preset) {
          if (real) {
            await real.reset(preset);
            return real;
          }
          if (mock) await mock.close();
          mock = await MockNode.start({ bench: opt.bench, profile: def.profile, spec: def.spec, scheme: opt.scheme, faucet: false });
          await mock.setStorage(preset);
          return mock;
        },
      };
      let res;
      try {
        res = await s.run(ctx, c);
      } catch (e) {
        c.failed.push(`error: ${e.message}`);
        res = { outcome: 'error', detail: '' };
      }
      const seconds = (Date.now() - t0) / 1000;
      results[id][s.id] = { ok: c.failed.length === 0, ...res, failed: c.failed, seconds };
      console.log(`${id} scenario ${s.id}: ${c.failed.length === 0 ? 'pass' : 'FAIL'} (${seconds.toFixed(1)} s) ${res.outcome}${res.detail ? ` [${res.detail}]` : ''}`);
      for (const f of c.failed) console.log(`    ${f}`);
    }
  } finally {
    // A failure on a real runtime: what chopsticks said last (its block
    // builder logs a panic or a dropped extrinsic there).
    if (real && Object.values(results[id]).some((r) => !r.ok)) {
      console.log(`${id}: chopsticks' last lines: ${procs.tail(real.proc, 12)}`);
    }
    if (mock) await mock.close();
    if (real) await real.close();
  }
}

const t0 = Date.now();
let crashed = null;
try {
  for (const id of chainIds) await runChain(id);
} catch (e) {
  crashed = e;
}
clearTimeout(watchdog);
rmSync(tmp, { recursive: true, force: true });

// The side-by-side table, and the mock-versus-real comparison.
const cell = (r) => (r ? `${r.ok ? 'pass' : 'FAIL'} ${r.outcome}` : '-');
const width = 44;
const pad = (s, n) => (s.length > n ? s.slice(0, n - 1) + '~' : s.padEnd(n));
console.log('');
console.log(`scenario table (${opt.scheme}; ${((Date.now() - t0) / 1000).toFixed(0)} s):`);
console.log(['#  ' + pad('scenario', 40), ...chainIds.map((id) => pad(id, width))].join(' | '));
const diffs = [];
for (const s of table) {
  console.log([`${String(s.id).padEnd(2)} ${pad(s.name, 40)}`, ...chainIds.map((id) => pad(cell(results[id] && results[id][s.id]), width))].join(' | '));
  for (const id of chainIds) {
    const pair = CHAINS[id].pair;
    const a = results[id] && results[id][s.id];
    const b = pair && results[pair] && results[pair][s.id];
    if (a && b && a.outcome !== b.outcome) diffs.push(`scenario ${s.id}: ${id} "${a.outcome}" but ${pair} "${b.outcome}"`);
  }
}
const failures = [];
if (crashed) failures.push(`error: ${crashed.message}`);
for (const id of chainIds)
  for (const s of table) {
    const r = results[id] && results[id][s.id];
    if (r && !r.ok) failures.push(`${id} scenario ${s.id}: ${r.failed.join('; ')}`);
  }
for (const d of diffs) failures.push(`mock differs from the real runtime: ${d}`);
if (opt.record) writeFileSync(opt.record, JSON.stringify({ info, results, diffs }, null, 2) + '\n');
if (failures.length) {
  for (const f of failures) console.log(`FAIL: ${f}`);
  process.exit(1);
}
console.log(`realchain: ${table.length} scenarios passed on ${chainIds.join(', ')}; every mock outcome equals its runtime's`);
process.exit(0);
