// Servers as child processes (real redis-server, or Cairn through `node --import tsx src/main.ts`), for tests that
// read a server's memory from /proc, its log, or start it with a config file.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConnection } from './resp.js';
import { findRedisServer, freePort, servedBy } from './servers.js';

const HOST = '127.0.0.1';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Proc {
  kind: 'redis' | 'cairn';
  port: number;
  pid: number;
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * Starts redis-server or Cairn (`node --import tsx src/main.ts`) as a child process; `conf` is a config file text;
 * `openFiles` lowers the child's open-files limit (`ulimit -n`).
 */
export async function startProc(
  kind: 'redis' | 'cairn',
  args: string[] = [],
  conf?: string,
  openFiles?: number,
): Promise<Proc> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `cairn-obuf-${kind}-`));
  const port = await freePort();
  const head: string[] = [];
  if (conf !== undefined) {
    fs.writeFileSync(path.join(dir, 'server.conf'), conf);
    head.push(path.join(dir, 'server.conf'));
  }
  const common = [...head, '--port', String(port), '--bind', HOST, '--save', '', '--dir', dir, ...args];
  const argv =
    kind === 'redis'
      ? [findRedisServer(), ...common]
      : [process.execPath, '--import', 'tsx', path.join(ROOT, 'src', 'main.ts'), ...common];
  const [file, ...rest] =
    openFiles === undefined ? argv : ['/bin/sh', '-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, ...argv];
  const child = spawn(file!, rest, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let log = '';
  const onOut = (d: Buffer): void => {
    log = (log + d.toString('utf8')).slice(-256 * 1024);
  };
  child.stdout!.on('data', onOut);
  child.stderr!.on('data', onOut);
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      r();
    }),
  );
  const deadline = Date.now() + 20_000;
  let stranger = false;
  for (;;) {
    if (exited) throw new Error(`${kind} exited at start:\n${log}`);
    if (stranger) throw new Error(`${kind}: port ${port} is answered by another process:\n${log}`);
    if (Date.now() > deadline) throw new Error(`${kind} did not come up:\n${log}`);
    try {
      const c = await RawConnection.connect(port, HOST, 500);
      const r = (await c.call(['PING'], 1000)).toString();
      const mine = r === '+PONG\r\n' && (await servedBy(c, child.pid!));
      await c.close();
      if (r === '+PONG\r\n' && !mine) stranger = true;
      else if (r === '+PONG\r\n' || r.startsWith('-NOAUTH')) break;
    } catch {
      // not up yet
    }
    await delay(50);
  }
  return {
    kind,
    port,
    pid: child.pid!,
    dir,
    log: () => log,
    stop: async () => {
      if (!exited) {
        child.kill('SIGKILL');
        await exit;
      }
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resident set size of a process, in bytes. */
export function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
