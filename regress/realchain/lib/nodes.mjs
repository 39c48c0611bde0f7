// The chains the scenario table runs on: the real Subtensor runtimes under
// Chopsticks (started once each, state reset between scenarios) and the
// mock node (`bench mock-node`, restarted for each scenario). Both run in
// Manual block mode: blocks are made by the driver (dev_newBlock), so a
// scenario decides when the chain moves.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { ApiPromise, HttpProvider, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import * as procs from './procs.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const CHOPSTICKS = path.join(HERE, '..', 'node_modules', '@acala-network', 'chopsticks', 'chopsticks.cjs');

// Chopsticks prints this once it serves RPC (docs/real-runtime.md); the port may
// differ from the one asked for (it moves on when that one is taken).
const LISTENING = /RPC listening on http:\/\/127\.0\.0\.1:(\d+)/;
// `bench mock-node` prints this once it accepts requests.
const MOCK_LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

// A free loopback port, as a hint: chopsticks moves on if it is taken
// meanwhile, and the port it prints is the one used.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// One JSON-RPC call over HTTP POST (the control channel: dev_* methods,
// whatever transport the clients under test use). Throws on an error
// object, with its message.
let rpcId = 1;
export async function rpc(base, method, params = [], timeoutMs = 120000) {
  const res = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: rpcId++, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const doc = await res.json();
  if (doc.error) throw new Error(`${method}: ${doc.error.message}`);
  return doc.result;
}

async function connect(url) {
  const provider = url.startsWith('ws') ? new WsProvider(url, false) : new HttpProvider(url);
  if (provider.connect) await provider.connect();
  return ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
}

// Raw (key, value) pairs of a preset {Item: [[[keys...], value], ...]} of
// SubtensorModule, encoded with the node's own metadata, so that the same
// preset means the same on the real runtime and on the mock.
export function rawPreset(api, preset) {
  const pairs = [];
  for (const [item, entries] of Object.entries(preset)) {
    const name = item[0].toLowerCase() + item.slice(1);
    const q = api.query.subtensorModule[name];
    if (!q) throw new Error(`the node has no SubtensorModule.${item}`);
    const t = q.creator.meta.type;
    const valueType = api.registry.createLookupType(t.isMap ? t.asMap.value : t.asPlain);
    for (const [keys, value] of entries) {
      // toU8a: the SCALE bytes (toHex of a number is its big-endian value)
      pairs.push([q.key(...keys), u8aToHex(api.registry.createType(valueType, value).toU8a())]);
    }
  }
  return pairs;
}

class Node {
  constructor(o) {
    Object.assign(this, o);
    this.api = null;
  }

  // The URL clients under test use: the transport chosen for the run.
  get url() {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  get ctl() {
    return `http://127.0.0.1:${this.port}`;
  }

  rpc(method, params) {
    return rpc(this.ctl, method, params);
  }

  async head() {
    const h = await this.rpc('chain_getHeader', []);
    return parseInt(h.number, 16);
  }

  async pending() {
    return (await this.rpc('author_pendingExtrinsics', [])).length;
  }

  // One block; throws when none was made: chopsticks logs a failed block
  // build ("build block failed") and still answers the old head's hash.
  async newBlock() {
    const before = await this.head();
    await this.rpc('dev_newBlock', [{ count: 1 }]);
    const after = await this.head();
    if (after !== before + 1) {
      throw new Error(`${this.label}: dev_newBlock made no block (head ${before} -> ${after}): ${this.proc ? procs.tail(this.proc, 4) : ''}`);
    }
  }

  async setStorage(preset) {
    if (!preset || Object.keys(preset).length === 0) return;
    await this.rpc('dev_setStorage', [rawPreset(this.api, preset)]);
  }
}

// A real runtime under Chopsticks. spec 218 from its raw chain spec; spec
// 293 as a wasm override over the same state, with unresolved imports
// allowed (docs/real-runtime.md).
export class ChopsticksNode extends Node {
  static async start({ runtimes, spec, scheme, startTimeoutMs }) {
    const args = [
      CHOPSTICKS,
      '--genesis', path.join(runtimes, 'raonet-spec218.json'),
      '--host', '127.0.0.1',
      '--port', String(await freePort()),
      '--build-block-mode', 'Manual',
    ];
    if (spec === 293) {
      args.push('--wasm-override', path.join(runtimes, 'spec293-aura-dev.code'), '--allow-unresolved-imports');
    }
    // Two tries: on a loaded machine chopsticks' own call for the Aura
    // slot duration can fail, it then assumes 12 s and every block of
    // spec 293 panics (docs/real-runtime.md); a block made at start shows it.
    for (let attempt = 1; ; attempt++) {
      const t0 = Date.now();
      const proc = procs.start(process.execPath, args);
      const m = await procs.waitFor(proc, LISTENING, startTimeoutMs, `chopsticks (spec ${spec})`);
      const n = new ChopsticksNode({
        kind: 'real', spec, scheme, proc, port: Number(m[1]),
        label: `real ${spec}`, startMs: Date.now() - t0, attempts: attempt,
      });
      try {
        await n.newBlock();
      } catch (e) {
        await procs.stop(proc);
        if (attempt >= 2) throw e;
        console.log(`real ${spec}: chopsticks makes no block; starting it again (${e.message.slice(0, 200)})`);
        continue;
      }
      n.api = await connect(n.url);
      // The state every scenario starts from: the genesis state as
      // chopsticks' head holds it after that first block.
      n.base = (await n.rpc('chain_getBlockHash', [])).toString();
      return n;
    }
  }

  // Back to the base block, then one new block on it whose state the
  // scenario's preset changes: the base itself is never written, so every
  // scenario sees the same genesis state.
  async reset(preset) {
    if ((await this.pending()) > 0) await this.newBlock(); // drain the pool
    await this.rpc('dev_setHead', [this.base]);
    await this.newBlock();
    await this.setStorage(preset);
  }

  async close() {
    if (this.api) await this.api.disconnect().catch(() => {});
    await procs.stop(this.proc);
  }
}

// The mock node standing for a real runtime: profile 282 for spec 218
// (chain-be), 343 for spec 293 (chain-le); subnet 1 as the runtime has it
// at genesis (difficulty 10,000,000; PoW off under 218, on under 293, whose
// storage default it is). A new process for each scenario: its reset.
export class MockNode extends Node {
  static async start({ bench, profile, spec, scheme, faucet }) {
    const args = [
      'mock-node', '--port', '0', '--stall-blocks', '--runtime', String(profile),
      '--difficulty', '1=10000000', '--subnet', profile < 283 ? '1:nopow' : '1', faucet ? '--faucet' : '--no-faucet',
    ];
    const proc = procs.start(bench, args);
    const m = await procs.waitFor(proc, MOCK_LISTENING, 30000, `bench mock-node (${profile})`);
    const n = new MockNode({ kind: 'mock', spec, profile, scheme, proc, port: Number(m[1]), label: `mock ${profile}` });
    n.api = await connect(n.url);
    return n;
  }

  async close() {
    if (this.api) await this.api.disconnect().catch(() => {});
    await procs.stop(this.proc);
  }
}

// The driver as block producer: every intervalMs, when at least `need`
// extrinsics wait in the pool, it makes one block (then `need` falls back
// to 1); with timerMs it also makes a block every timerMs() ms whatever
// the pool holds (a moving chain). stop() ends it and waits.
export function pump(node, { need = 1, timerMs = null, intervalMs = 150 } = {}) {
  let stopped = false;
  let blocks = 0;
  let error = null;
  const state = { need };
  const loop = (async () => {
    let next = timerMs ? Date.now() + timerMs() : Infinity;
    while (!stopped) {
      try {
        if (Date.now() >= next) {
          await node.newBlock();
          blocks++;
          next = Date.now() + timerMs();
        } else if (!timerMs && (await node.pending()) >= state.need) {
          await node.newBlock();
          blocks++;
          state.need = 1;
        }
      } catch (e) {
        error = e;
      }
      await procs.sleep(intervalMs);
    }
  })();
  return {
    state,
    get blocks() {
      return blocks;
    },
    async stop() {
      stopped = true;
      await loop;
      if (error) throw error;
    },
  };
}

// An HTTP JSON-RPC proxy in front of a node that runs `hook` once, before
// it forwards the first author_submitExtrinsic: a way to move the chain
// between the client's last look at it and its submission (scenario 4).
export function submitProxy(node, hook) {
  let fired = false;
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    try {
      const doc = JSON.parse(body.toString());
      if (!fired && doc && doc.method === 'author_submitExtrinsic') {
        fired = true;
        await hook();
      }
      const up = await fetch(node.ctl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      res.writeHead(up.status, { 'content-type': 'application/json' });
      res.end(Buffer.from(await up.arrayBuffer()));
    } catch (e) {
      res.writeHead(502);
      res.end(String(e));
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        get fired() {
          return fired;
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
