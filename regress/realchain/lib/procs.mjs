// Child processes of the driver: each is started in a process group of its
// own (detached), remembered, and killed by its group id, so that stopping
// them reaches what they started (chopsticks' workers) and nothing else.
// Every wait is for a condition (a line, an exit) with a bound.
import { spawn } from 'node:child_process';

const live = new Set();

// Kills every process group this driver started and still runs.
export function killAll(signal = 'SIGKILL') {
  for (const p of live) {
    try {
      process.kill(-p.pid, signal);
    } catch {
      // already gone
    }
  }
  live.clear();
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAll();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[sig]);
  });
}
process.on('exit', () => killAll());

// Starts `cmd args` in a new process group; collects its stdout and
// stderr (bounded: the last 256 KiB of each).
export function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env || process.env,
    cwd: opts.cwd,
  });
  const p = { child, pid: child.pid, out: '', err: '', code: null, signal: null, listeners: [] };
  live.add(p);
  const keep = (s) => (s.length > 262144 ? s.slice(-262144) : s);
  const feed = (key) => (chunk) => {
    p[key] = keep(p[key] + chunk.toString());
    for (const l of p.listeners) l();
  };
  child.stdout.on('data', feed('out'));
  child.stderr.on('data', feed('err'));
  p.exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      p.code = code;
      p.signal = signal;
      live.delete(p);
      for (const l of p.listeners) l();
      resolve(p);
    });
    child.on('error', (e) => {
      p.err += `\nspawn failed: ${e.message}`;
      p.code = 127;
      live.delete(p);
      resolve(p);
    });
  });
  return p;
}

// Stops a process group started here (SIGTERM, then SIGKILL after a grace
// period) and waits for its exit.
export async function stop(p, graceMs = 5000) {
  if (p.code !== null || p.signal !== null) return p;
  try {
    process.kill(-p.pid, 'SIGTERM');
  } catch {
    return p;
  }
  const t = setTimeout(() => {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, graceMs);
  await p.exited;
  clearTimeout(t);
  return p;
}

// Waits until `re` matches the process's stdout or stderr; returns the
// match. Rejects when the process exits first or after timeoutMs.
export function waitFor(p, re, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    let timer = null;
    const check = () => {
      const m = re.exec(p.out) || re.exec(p.err);
      if (m) {
        done();
        resolve(m);
      } else if (p.code !== null || p.signal !== null) {
        done();
        reject(new Error(`${what}: the process exited (${p.code ?? p.signal}) before it was ready: ${tail(p)}`));
      }
    };
    const done = () => {
      clearTimeout(timer);
      p.listeners = p.listeners.filter((l) => l !== check);
    };
    timer = setTimeout(() => {
      done();
      reject(new Error(`${what}: not ready after ${timeoutMs / 1000} s: ${tail(p)}`));
    }, timeoutMs);
    p.listeners.push(check);
    check();
  });
}

// Runs a command to its end, killed after timeoutMs; resolves with
// {code, out, err, timedOut}.
export async function run(cmd, args, timeoutMs, opts = {}) {
  const p = start(cmd, args, opts);
  let timedOut = false;
  const t = setTimeout(() => {
    timedOut = true;
    stop(p, 2000);
  }, timeoutMs);
  await p.exited;
  clearTimeout(t);
  return { code: p.code, signal: p.signal, out: p.out, err: p.err, timedOut };
}

// The last lines of a process's output, for one-line failure messages.
export function tail(p, n = 6) {
  const lines = (p.out + '\n' + p.err).split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-n).join(' | ');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `probe` (async, truthy when done) every intervalMs until it holds;
// throws after timeoutMs with `what`.
export async function until(probe, timeoutMs, what, intervalMs = 150) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}
