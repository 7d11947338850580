// Server processes for the persistence benchmarks: started on a given data directory (so a restart finds the
// files of the previous run), their log kept, killed with any signal.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { answersPing, freePort, newestMtime, HOST, ROOT, type ServerKind } from './servers.js';

export interface Proc {
  kind: ServerKind;
  port: number;
  proc: ChildProcess;
  /** Everything the process printed so far. */
  log(): string;
  /** Milliseconds from spawn until the server answered PING (not LOADING). */
  readyMs: number;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** `node dist/main.js` when the build is newer than src/, else `node --import tsx src/main.ts`. */
export function cairnArgv(): string[] {
  const main = path.join(ROOT, 'dist', 'main.js');
  if (fs.existsSync(main) && fs.statSync(main).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return [main];
  return ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')];
}

/** Starts a server with `args` (port and bind are added) and waits until it answers PING. */
export async function startProc(kind: ServerKind, args: string[], timeoutMs = 600_000): Promise<Proc> {
  const port = await freePort();
  const common = ['--port', String(port), '--bind', HOST];
  const t0 = performance.now();
  const proc =
    kind === 'redis'
      ? spawn('redis-server', [...common, '--daemonize', 'no', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [...cairnArgv(), ...common, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((res) =>
    proc.once('exit', (c) => {
      live.delete(proc);
      code = c;
      res(c);
    }),
  );
  const p: Proc = {
    kind,
    port,
    proc,
    log: () => out,
    readyMs: 0,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (code === undefined) proc.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (code !== undefined) throw new Error(`${kind} exited with ${code}:\n${out}`);
    if (await answersPing(port)) {
      p.readyMs = performance.now() - t0;
      return p;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await p.kill();
  throw new Error(`${kind} did not come up:\n${out}`);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
