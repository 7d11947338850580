// Helpers for memory tests: Cairn as a child process started with extra node options (--max-old-space-size), so
// that its heap is its own, and a pipelining writer that floods it and counts the replies.

import { spawn, type ChildProcess } from 'node:child_process';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './servers.js';
import { RawConnection, encodeCommand } from './resp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Proc {
  port: number;
  dir: string;
  exited(): string | undefined;
  log(): string;
  stop(): Promise<void>;
}

/** Cairn as a child process (its own heap), with extra node options and directives. */
export async function spawnCairn(nodeArgs: string[], args: string[]): Promise<Proc> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cairn-evict-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...nodeArgs,
      '--import',
      'tsx',
      path.join(ROOT, 'src/main.ts'),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const onOut = (d: Buffer): void => {
    out = (out + d.toString('utf8')).slice(-256 * 1024);
  };
  child.stdout!.on('data', onOut);
  child.stderr!.on('data', onOut);
  let status: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      status = signal !== null ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    }),
  );
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const proc: Proc = {
    port,
    dir,
    exited: () => status,
    log: () => out,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (status === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (status !== undefined) throw new Error(`cairn exited (${status}) while starting:\n${out}`);
    try {
      const c = await RawConnection.connect(port, '127.0.0.1', 500);
      const r = (await c.call(['PING'], 2000)).toString('latin1');
      await c.close();
      if (r === '+PONG\r\n') return proc;
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  await proc.stop();
  throw new Error(`cairn did not come up:\n${out}`);
}

/**
 * A pipelining writer: sends commands in windows of `window` and counts the single-line replies (+OK, :n or
 * -ERR…). Returns the error lines seen.
 */
export async function pipeline(
  port: number,
  commands: Iterable<readonly string[]>,
  window = 256,
  onWindow?: () => Promise<void>,
): Promise<{ replies: number; errors: string[] }> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  let pending = '';
  let replies = 0;
  const errors: string[] = [];
  let waiter: (() => void) | undefined;
  let want = 0;
  sock.on('data', (d: Buffer) => {
    pending += d.toString('latin1');
    let i: number;
    while ((i = pending.indexOf('\r\n')) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 2);
      if (line.startsWith('$') && line !== '$-1') {
        const n = Number(line.slice(1));
        if (pending.length < n + 2) {
          pending = line + '\r\n' + pending;
          break;
        }
        pending = pending.slice(n + 2);
      }
      if (line.startsWith('-')) errors.push(line);
      replies++;
    }
    if (waiter && replies >= want) {
      const w = waiter;
      waiter = undefined;
      w();
    }
  });
  let sent = 0;
  let batch: Buffer[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    sock.write(Buffer.concat(batch));
    batch = [];
    want = sent;
    if (replies < want) await new Promise<void>((r) => (waiter = r));
    if (onWindow) await onWindow();
  };
  for (const cmd of commands) {
    batch.push(encodeCommand(cmd));
    sent++;
    if (batch.length >= window) await flush();
  }
  await flush();
  sock.destroy();
  return { replies, errors };
}
