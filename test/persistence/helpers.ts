// Shared helpers of the persistence tests: temporary data directories, Cairn child processes, dataset dumps.

import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';
import { freePort, servedBy } from '../support/servers.js';
import type { Server } from '../../src/server/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test file ends. */
export function tmpDir(tag = 'p'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `cairn-${tag}-`));
  dirs.push(d);
  return d;
}

/** Every key of every database, with value and absolute expiry, sorted: two servers hold the same data iff equal. */
export function dumpServer(server: Server): string[] {
  const out: string[] = [];
  for (const db of server.keyspace.dbs) {
    for (const [k, e] of db.dict) out.push(JSON.stringify([db.id, k, db.vals[e], db.expires.get(k) ?? null]));
  }
  return out.sort();
}

export async function call(conn: RawConnection, ...args: string[]): Promise<RespValue> {
  return parseReply(await conn.call(args, 15000));
}

/** Sends all commands at once, then reads every reply; returns the raw replies. */
export async function pipeline(conn: RawConnection, cmds: string[][]): Promise<Buffer[]> {
  for (const c of cmds) conn.send(c);
  const out: Buffer[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(await conn.readReply(15000));
  return out;
}

export interface Child {
  port: number;
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Runs `node --import tsx src/main.ts …args` (the same loaders as this process) and waits for PING. */
export async function spawnCairn(args: string[], opts: { expectFailure?: boolean } = {}): Promise<Child> {
  const port = await freePort();
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
  if (!execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  const proc = spawn(
    process.execPath,
    [...execArgv, path.join(ROOT, 'src/main.ts'), '--port', String(port), '--bind', '127.0.0.1', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  live.add(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let code: number | null | undefined;
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((res) =>
    proc.once('exit', (c, sig) => {
      live.delete(proc);
      code = c;
      signal = sig;
      res(c);
    }),
  );
  const child: Child = {
    port,
    proc,
    output: () => out,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (code === undefined) proc.kill(signal);
      return exited;
    },
  };
  if (opts.expectFailure) return child;
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (code !== undefined) throw new Error(`cairn exited with ${code ?? `signal ${signal}`}:\n${out}`);
    try {
      const c = await RawConnection.connect(port, '127.0.0.1', 500);
      const r = (await c.call(['PING'], 1000)).toString('latin1');
      const mine = r === '+PONG\r\n' && (await servedBy(c, proc.pid!));
      await c.close();
      if (mine) return child;
      if (r === '+PONG\r\n') {
        await child.kill();
        throw new Error(`port ${port} is answered by another process:\n${out}`);
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  await child.kill();
  throw new Error(`cairn did not come up:\n${out}`);
}

/** The incremental AOF files of a data directory, oldest first. */
export function incrFiles(dir: string): string[] {
  const ad = path.join(dir, 'appendonlydir');
  const m = fs.readFileSync(path.join(ad, 'appendonly.aof.manifest'), 'utf8');
  return [...m.matchAll(/^file (\S+) seq \d+ type i$/gm)].map((x) => path.join(ad, x[1]!));
}
