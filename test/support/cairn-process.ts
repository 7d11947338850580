// Cairn as a child process (`node --import tsx src/main.ts …`), for tests that must survive a server crash or
// watch the server's own memory (RSS from /proc). The in-process startCairn() in servers.ts is the default.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConnection } from './resp.js';
import { freePort, servedBy } from './servers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CairnProcess {
  readonly kind: 'cairn';
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** The data directory (--dir). */
  readonly dir: string;
  /** Exit code or signal once the process has exited, else undefined. */
  exitStatus(): string | undefined;
  /** What the server has logged (stdout and stderr, the last 256 KB). */
  log(): string;
  /** Resident set size of the server process in bytes (0 once it has exited). */
  rss(): number;
  /** Graceful stop (SIGTERM, SIGKILL after 5 s); removes the directory unless `keepDir`. */
  stop(keepDir?: boolean): Promise<void>;
  /** Hard stop (SIGKILL). */
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
let hooked = false;

/**
 * Starts `src/main.ts` on a free loopback port with `args` (redis.conf directives as --name value) and waits for
 * PING. Uses `dir` when given (kept on stop), else a fresh temporary directory (removed on stop).
 */
export async function spawnCairnProcess(args: string[] = [], dir?: string): Promise<CairnProcess> {
  const ownDir = dir === undefined;
  const dataDir = dir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), 'cairn-proc-')));
  const port = await freePort();
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
  if (!execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  const child = spawn(
    process.execPath,
    [
      ...execArgv,
      path.join(ROOT, 'src/main.ts'),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dataDir,
      '--save',
      '',
      '--enable-debug-command',
      'yes',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  let out = '';
  const onOut = (d: Buffer): void => {
    out += d.toString('utf8');
    if (out.length > 512 * 1024) out = out.slice(-256 * 1024);
  };
  child.stdout!.on('data', onOut);
  child.stderr!.on('data', onOut);
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      status = signal !== null ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
  });
  const handle: CairnProcess = {
    kind: 'cairn',
    host: '127.0.0.1',
    port,
    pid: child.pid!,
    dir: dataDir,
    exitStatus: () => status,
    log: () => out,
    rss: () => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    stop: async (keepDir = false) => {
      if (status === undefined) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      if (ownDir && !keepDir) await fsp.rm(dataDir, { recursive: true, force: true });
    },
    kill: async () => {
      if (status === undefined) child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + 30_000;
  let stranger = false;
  while (Date.now() < deadline) {
    if (status !== undefined) throw new Error(`cairn exited (${status}) while starting:\n${out}`);
    if (stranger) {
      await handle.kill();
      throw new Error(`port ${port} is answered by another process:\n${out}`);
    }
    try {
      const c = await RawConnection.connect(port, '127.0.0.1', 500);
      const r = (await c.call(['PING'], 2000).catch(() => Buffer.alloc(0))).toString('latin1');
      const mine = r === '+PONG\r\n' && (await servedBy(c, child.pid!));
      await c.close();
      if (mine) return handle;
      if (r === '+PONG\r\n') stranger = true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await handle.kill();
  throw new Error(`cairn did not come up within 30 s:\n${out}`);
}

/** Whether a server on `port` answers PING with +PONG within `ms` (false on a refused connection or a timeout). */
export async function pingWithin(port: number, ms: number): Promise<boolean> {
  let conn: RawConnection | undefined;
  try {
    conn = await RawConnection.connect(port, '127.0.0.1', ms);
    return (await conn.call(['PING'], ms)).toString('latin1') === '+PONG\r\n';
  } catch {
    return false;
  } finally {
    await conn?.close().catch(() => undefined);
  }
}
