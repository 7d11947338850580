// Starting the two servers under test as child processes, and reading their CPU time and memory from /proc.
//
// Both run on free loopback ports in fresh temporary directories. Redis is Debian's `redis-server` with
// persistence off; Cairn is `node dist/main.js` when the build is up to date, else `node --import tsx
// src/main.ts`, with the same persistence-off directives when its config table knows them.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './report.js';
import { RespClient, ReplyError } from './resp.js';

export type ServerKind = 'redis' | 'cairn';
export const HOST = '127.0.0.1';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunningServer {
  readonly kind: ServerKind;
  readonly port: number;
  readonly pid: number;
  /** How the server was started, for the report. */
  readonly commandLine: string;
  /** Notes gathered while starting (e.g. directives Cairn does not know yet). */
  readonly notes: string[];
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Persistence directives for both servers; default off (`save ''`, `appendonly no`). */
  persistence?: string[];
  /** More directives for both servers, e.g. ['--maxclients', '10100']. */
  extra?: string[];
}

const PERSISTENCE_OFF = ['--save', '', '--appendonly', 'no'];

/** A TCP port that was free on the loopback interface a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

/** Whether a server on `port` answers PING with PONG (false while it is down or still loading). */
export async function answersPing(port: number): Promise<boolean> {
  let client: RespClient | undefined;
  try {
    client = await RespClient.connect(port);
    return (await client.call(['PING'])) === 'PONG';
  } catch {
    return false;
  } finally {
    client?.close();
  }
}

/** Newest modification time of any file under `dir` (recursively), in ms. */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The node flags in package.json's start script. */
const NPM_START_NODE_FLAGS = '--max-semi-space-size=2 --no-parallel-scavenge';

/** The node arguments that run Cairn's CLI: the build if it is at least as new as the sources, else tsx. */
function cairnEntry(notes: string[]): string[] {
  // The node flags `npm start` runs Cairn with (a small young generation: see README, Memory), or others given
  // in CAIRN_NODE_FLAGS for experiments ('' for none).
  const flags = (process.env.CAIRN_NODE_FLAGS ?? NPM_START_NODE_FLAGS).split(' ').filter((f) => f !== '');
  if (flags.length > 0) notes.push(`node flags: ${flags.join(' ')}`);
  const main = path.join(ROOT, 'dist', 'main.js');
  if (fs.existsSync(main)) {
    if (fs.statSync(main).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return [...flags, main];
    notes.push(
      `${path.relative(ROOT, main)} is older than src/: ran src/main.ts through tsx instead (npm run build to use the build)`,
    );
  }
  return [...flags, '--import', 'tsx', path.join(ROOT, 'src', 'main.ts')];
}

interface Spawned {
  child: ChildProcess;
  exited: Promise<void>;
  log: () => string;
  isExited: () => boolean;
}

function spawnLogged(bin: string, args: string[]): Spawned {
  const child = spawn(bin, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let log = '';
  let done = false;
  const onOut = (d: Buffer): void => {
    log = (log + d.toString('utf8')).slice(-16 * 1024);
  };
  child.stdout?.on('data', onOut);
  child.stderr?.on('data', onOut);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      children.delete(child);
      resolve();
    });
    child.once('error', (e) => {
      log += `\n${e.message}`;
      done = true;
      children.delete(child);
      resolve();
    });
  });
  return { child, exited, log: () => log, isExited: () => done };
}

/** Starts one server and waits until it answers PING; retries on another port if the port was taken. */
async function startOne(kind: ServerKind, opts: StartOptions): Promise<RunningServer> {
  const persistence = opts.persistence ?? PERSISTENCE_OFF;
  let lastError = '';
  let withPersistenceArgs = true;
  for (let attempt = 0; attempt < 5; attempt++) {
    const notes: string[] = [];
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `cairn-bench-${kind}-`));
    const port = await freePort();
    const common = ['--port', String(port), '--bind', HOST, '--dir', dir, ...(opts.extra ?? [])];
    let bin: string;
    let args: string[];
    if (kind === 'redis') {
      bin = 'redis-server';
      args = [...common, ...persistence, '--daemonize', 'no', '--loglevel', 'warning'];
    } else {
      bin = process.execPath;
      args = [...cairnEntry(notes), ...common, ...(withPersistenceArgs ? persistence : []), '--loglevel', 'warning'];
      if (!withPersistenceArgs)
        notes.push('Cairn does not know the save/appendonly directives yet: started without them');
    }
    const proc = spawnLogged(bin, args);
    const deadline = Date.now() + 20_000;
    let up = false;
    while (!proc.isExited() && Date.now() < deadline) {
      if (await answersPing(port)) {
        up = true;
        break;
      }
      await delay(50);
    }
    const commandLine = [path.basename(bin), ...args.map((a) => (a === '' ? "''" : a))].join(' ');
    if (up) {
      let stopped: Promise<void> | undefined;
      return {
        kind,
        port,
        pid: proc.child.pid!,
        commandLine,
        notes,
        stop: () =>
          (stopped ??= (async () => {
            if (!proc.isExited()) {
              proc.child.kill('SIGTERM');
              const killer = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
              await proc.exited;
              clearTimeout(killer);
            }
            await fsp.rm(dir, { recursive: true, force: true });
          })()),
      };
    }
    if (!proc.isExited()) proc.child.kill('SIGKILL');
    await proc.exited;
    await fsp.rm(dir, { recursive: true, force: true });
    lastError = `${commandLine} did not come up:\n${proc.log()}`;
    if (kind === 'cairn' && withPersistenceArgs && /save|appendonly/i.test(proc.log())) {
      withPersistenceArgs = false; // Cairn's config table does not have these directives yet
      continue;
    }
    if (!/address already in use|EADDRINUSE/i.test(proc.log())) break;
  }
  throw new Error(lastError);
}

export function startRedis(opts: StartOptions = {}): Promise<RunningServer> {
  return startOne('redis', opts);
}

export function startCairn(opts: StartOptions = {}): Promise<RunningServer> {
  return startOne('cairn', opts);
}

/** Clock ticks per second for /proc/<pid>/stat times. */
export const CLK_TCK: number = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * The machine's steal time: how long the hypervisor ran something else while this virtual machine's processors
 * had work (`steal` in /proc/stat, all processors), against all the time that passed on them. Null where there is
 * no /proc/stat.
 */
function stealTicks(): { steal: number; total: number } | null {
  let text: string;
  try {
    text = fs.readFileSync('/proc/stat', 'latin1');
  } catch {
    return null;
  }
  const line = text.slice(0, text.indexOf('\n'));
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user already)
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (line.slice(0, 4) !== 'cpu ' || f.length < 8 || f.some((x) => !Number.isFinite(x))) return null;
  return { steal: f[7]!, total: f.reduce((a, b) => a + b, 0) };
}

/**
 * Starts counting steal time: the function returned gives the share of the machine's time stolen since, in %
 * (null where unknown). A single clock tick of steal reads as 0: in a short run one tick is already a few percent.
 */
export function stealMeter(): () => number | null {
  const t0 = stealTicks();
  return () => {
    const t1 = stealTicks();
    if (t0 === null || t1 === null || t1.total <= t0.total) return null;
    const stolen = t1.steal - t0.steal;
    return stolen <= 1 ? 0 : (stolen / (t1.total - t0.total)) * 100;
  };
}

/**
 * Takes samples while the hypervisor leaves the machine alone. On a shared host another guest can take a quarter
 * of this machine's time for seconds at a stretch (steal time in /proc/stat): a run taken then reads half the
 * requests/s and several times the p99 of the same server a minute later, and which server it hits is chance.
 * Undisturbed, a run without pipelining sees 1–3% (its wake-ups), and 7% already cost Redis a tenth of its
 * requests/s here. A sample whose run saw more than `maxSteal` % of steal is taken again, up to `retakes` times;
 * if all were over, the one with the least steal is kept and counted as over the limit. The rule looks only at the
 * machine, never at the figures, and applies to every server alike. One filter per report: it keeps the tally
 * `note()` states.
 */
export class StealFilter {
  private retaken = 0;
  private overLimit = 0;
  private readonly kept: number[] = [];

  /** Throws on options that are not a percentage (`--max-steal`) and a count (`--retakes`). */
  constructor(
    readonly maxSteal: number,
    readonly retakes: number,
  ) {
    if (!(maxSteal >= 0)) throw new Error('--max-steal must be a percentage');
    if (!Number.isInteger(retakes) || retakes < 0) throw new Error('--retakes must be an integer ≥ 0');
  }

  /** Runs `take` (which measures its own steal share, see stealMeter) until a run passes or retakes run out. */
  async sample<T>(
    take: () => Promise<T> | T,
    stealOf: (s: T) => number | null,
    onRetake?: (pct: number) => void,
  ): Promise<T> {
    let best: T | null = null;
    let bestSteal = Infinity;
    for (let attempt = 0; ; attempt++) {
      const s = await take();
      const steal = stealOf(s);
      if (steal === null || steal <= this.maxSteal) {
        if (steal !== null) this.kept.push(steal);
        return s;
      }
      if (steal < bestSteal) {
        best = s;
        bestSteal = steal;
      }
      if (attempt >= this.retakes) {
        this.kept.push(bestSteal);
        this.overLimit++;
        return best!;
      }
      this.retaken++;
      onRetake?.(steal);
    }
  }

  /** One line for a report: the rule and what it did. */
  note(): string {
    const k = this.kept;
    if (k.length === 0) return 'steal time: not known on this machine (no /proc/stat), samples not filtered';
    const pct = (x: number): string => `${x.toFixed(1)}%`;
    return (
      `steal time (the hypervisor's, /proc/stat) per sample: at most ${this.maxSteal}%, else taken again (up to ` +
      `${this.retakes} times); ${this.retaken} run(s) taken again, ${this.overLimit} sample(s) kept over the ` +
      `limit; kept samples: median ${pct(median(k)!)}, max ${pct(Math.max(...k))}`
    );
  }
}

/** Starts counting a process's CPU time: the function returned gives the microseconds (utime + stime) used since. */
export function cpuMeter(pid: number): () => number {
  const t0 = cpuTicks(pid);
  return () => ((cpuTicks(pid) - t0) / CLK_TCK) * 1e6;
}

/** Which server runs first in measurement `i`: they alternate, so that machine noise hits both alike. */
export function serverOrder(i: number): ServerKind[] {
  return i % 2 === 0 ? ['redis', 'cairn'] : ['cairn', 'redis'];
}

/** Resident set size of a process, in bytes (VmRSS from /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/**
 * Whether the server implements `name`: asks `COMMAND INFO name` (a nil entry means unknown). If the server
 * has no COMMAND command yet, sends `name` with no arguments instead: every command benchmarked here needs
 * arguments, so a known command answers with an arity error and an unknown one with "unknown command"; either
 * way nothing is executed.
 */
export async function supportsCommand(client: RespClient, name: string): Promise<boolean> {
  const info = await client.call(['COMMAND', 'INFO', name]);
  if (Array.isArray(info)) return info.length === 1 && info[0] !== null;
  const probe = await client.call([name]);
  return !(probe instanceof ReplyError && /^ERR unknown command/.test(probe.message));
}

/** `INFO section` parsed into field → value. Empty when the server has no INFO command. */
export async function info(client: RespClient, section: string): Promise<Map<string, string>> {
  const reply = await client.call(['INFO', section]);
  const fields = new Map<string, string>();
  if (typeof reply !== 'string') return fields;
  for (const line of reply.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}
