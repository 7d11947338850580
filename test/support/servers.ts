// Starting the servers tests talk to: a real redis-server (the reference) and Cairn in-process.
//
// redis-server must be on PATH: when it is missing the tests that need it fail with a clear message (they
// never skip).

import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RawConnection } from './resp.js';

export interface ServerHandle {
  readonly kind: 'redis' | 'cairn';
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface RedisHandle extends ServerHandle {
  readonly kind: 'redis';
  readonly pid: number;
  /** The fresh temporary directory the server runs in (--dir); removed on stop. */
  readonly dir: string;
  /** What the server has logged so far (its stdout and stderr). */
  log(): string;
}

export interface Pair {
  readonly redis: ServerHandle;
  readonly cairn: ServerHandle;
}

/** Runs `scenario` on Redis, then on Cairn; returns [redis's result, cairn's] for a differential assertion. */
export async function onBothServers<T>(pair: Pair, scenario: (port: number) => Promise<T>): Promise<[T, T]> {
  return [await scenario(pair.redis.port), await scenario(pair.cairn.port)];
}

export interface PairOptions {
  /** Extra redis-server arguments, e.g. ['--maxmemory', '1mb']. */
  redisArgs?: string[];
  /** Extra options for Cairn's startServer(). */
  cairnOptions?: Record<string, unknown>;
}

const HOST = '127.0.0.1';

/** Absolute path of redis-server found on PATH; throws a clear error if there is none. */
export function findRedisServer(): string {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, 'redis-server');
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  throw new Error(
    'redis-server was not found on PATH. The differential tests need the reference server (Redis 7.0.15): ' +
      'install it (e.g. apt-get install redis-server) and make sure redis-server is on PATH.',
  );
}

/** Ports this process has handed out: two servers started together must not be given the same one. */
const handedOut = new Set<number>();

/**
 * A TCP port that was free on the loopback interface a moment ago, and not handed out before by this process
 * (the kernel can give a just-closed port to the next bind, so two servers started at once could get the same
 * port, and the one that loses the bind would seem to answer through the other).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.on('error', reject);
      srv.listen(0, HOST, () => {
        const addr = srv.address();
        const port = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/**
 * Whether the server behind `conn` (which answered PING) is process `pid`: a child that lost its port's bind to
 * another server must not pass for that server.
 */
export async function servedBy(conn: RawConnection, pid: number): Promise<boolean> {
  const info = (await conn.call(['INFO', 'server'], 2000)).toString('latin1');
  return info.includes(`\r\nprocess_id:${pid}\r\n`);
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Never leave a redis-server behind, whatever happens to the test process.
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function pingOnce(port: number): Promise<boolean> {
  let conn: RawConnection | undefined;
  try {
    conn = await RawConnection.connect(port, HOST, 1000);
    const reply = await conn.call(['PING'], 1000);
    const text = reply.toString('latin1');
    return text === '+PONG\r\n' || text.startsWith('-NOAUTH');
  } catch {
    return false;
  } finally {
    await conn?.close();
  }
}

/**
 * Starts redis-server on a free loopback port with no persistence, DEBUG enabled and a fresh temporary
 * --dir, plus `extraArgs`; resolves once it answers PING. stop() kills it and removes the directory.
 */
export async function startRedis(extraArgs: string[] = []): Promise<RedisHandle> {
  const bin = findRedisServer();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cairn-redis-'));
    const port = await freePort();
    const args = [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--enable-debug-command',
      'yes',
      '--dir',
      dir,
      ...extraArgs,
    ];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    let log = '';
    const onOut = (d: Buffer): void => {
      log += d.toString('utf8');
      if (log.length > 64 * 1024) log = log.slice(-32 * 1024);
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onOut);
    let exited = false;
    let spawnError: Error | undefined;
    const exitPromise = new Promise<void>((resolve) => {
      child.once('exit', () => {
        exited = true;
        resolve();
      });
      child.once('error', (err) => {
        spawnError = err;
        exited = true;
        resolve();
      });
    });

    const deadline = Date.now() + 10_000;
    let up = false;
    while (!exited && Date.now() < deadline) {
      if (await pingOnce(port)) {
        up = true;
        break;
      }
      await delay(25);
    }
    if (up) {
      let stopped: Promise<void> | undefined;
      return {
        kind: 'redis',
        host: HOST,
        port,
        pid: child.pid!,
        dir,
        log: () => log,
        stop: () =>
          (stopped ??= (async () => {
            if (!exited) {
              child.kill('SIGTERM');
              const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
              await exitPromise;
              clearTimeout(killer);
            }
            await fsp.rm(dir, { recursive: true, force: true });
          })()),
      };
    }
    if (!exited) child.kill('SIGKILL');
    await exitPromise;
    await fsp.rm(dir, { recursive: true, force: true });
    lastError = new Error(
      `redis-server ${args.join(' ')} did not come up` +
        (spawnError ? `: ${spawnError.message}` : '') +
        `\n--- redis-server log ---\n${log}`,
    );
    // Somebody else grabbed the port between freePort() and the bind: try another one.
    if (!/Address already in use/i.test(log)) break;
  }
  throw lastError!;
}

interface CairnServer {
  port: number;
  close(): Promise<void>;
}
interface CairnModule {
  startServer(options: Record<string, unknown>): CairnServer | Promise<CairnServer>;
}

/**
 * Starts Cairn in this process through `startServer({ port: 0, ...options })` from src/index.ts, which
 * resolves to `{ port, close() }`.
 */
export async function startCairn(options: Record<string, unknown> = {}): Promise<ServerHandle> {
  // A computed specifier keeps the type checker from needing src/index.ts to exist while it is being written.
  const url = new URL('../../src/index.js', import.meta.url).href;
  const mod = (await import(url)) as Partial<CairnModule>;
  if (typeof mod.startServer !== 'function') {
    throw new Error(`src/index.ts does not export a startServer() function (exports: ${Object.keys(mod).join(', ')})`);
  }
  // Each in-process server gets a private data directory, so no test ever loads another's files.
  const dir = options['dir'] === undefined ? await fsp.mkdtemp(path.join(os.tmpdir(), 'cairn-test-')) : undefined;
  const server = await mod.startServer({ port: 0, ...(dir ? { dir } : {}), ...options });
  if (!server || typeof server.port !== 'number' || server.port <= 0 || typeof server.close !== 'function') {
    throw new Error('startServer() must resolve to { port: number, close(): Promise<void> } with the bound port');
  }
  let stopped: Promise<void> | undefined;
  return {
    kind: 'cairn',
    host: HOST,
    port: server.port,
    stop: () =>
      (stopped ??= Promise.resolve(server.close()).then(async () => {
        if (dir) await fsp.rm(dir, { recursive: true, force: true });
      })),
  };
}

/** Starts both servers; if either fails, the other is stopped again. */
export async function startPair(opts: PairOptions = {}): Promise<Pair & { stop(): Promise<void> }> {
  const [r, c] = await Promise.allSettled([startRedis(opts.redisArgs), startCairn(opts.cairnOptions)]);
  if (r.status === 'rejected' || c.status === 'rejected') {
    if (r.status === 'fulfilled') await r.value.stop();
    if (c.status === 'fulfilled') await c.value.stop();
    throw r.status === 'rejected' ? r.reason : (c as PromiseRejectedResult).reason;
  }
  const redis = r.value;
  const cairn = c.value;
  return {
    redis,
    cairn,
    stop: async () => {
      await Promise.all([redis.stop(), cairn.stop()]);
    },
  };
}

function shared<T extends { stop(): Promise<void> }>(start: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  after(async () => {
    if (!started) return;
    const v = await started.catch(() => undefined);
    await v?.stop();
  });
  return () => (started ??= start());
}

/**
 * One redis-server + Cairn pair for the whole test file (or the describe() it is called in): call at module
 * or suite level, then `const pair = await getPair()` in tests. Starts on first use; stopped in an after hook.
 */
export function sharedPair(opts: PairOptions = {}): () => Promise<Pair> {
  return shared(() => startPair(opts));
}

/** Like sharedPair() for a lone redis-server. */
export function sharedRedis(extraArgs: string[] = []): () => Promise<RedisHandle> {
  return shared(() => startRedis(extraArgs));
}

/** Like sharedPair() for a lone Cairn server. */
export function sharedCairn(options: Record<string, unknown> = {}): () => Promise<ServerHandle> {
  return shared(() => startCairn(options));
}
