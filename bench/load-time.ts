// Loading one million keys, Cairn beside Redis 7.0.15, and PING latency during a background snapshot.
//
//   1. Each server is filled with the same N string keys (--keys, default 1,000,000: SET key:<i> value:<i>,
//      pipelined) with appendonly yes, so its log holds N commands; SAVE writes its snapshot (Redis: RDB).
//      Then it is restarted twice on the same directory: with appendonly yes (loads the log: Redis its AOF,
//      Cairn its manifest + incremental file) and with appendonly no (loads the snapshot). Printed: the load
//      time each server logs ("DB loaded from ...: X seconds"), and the time from spawn until PING answers.
//   2. On the snapshot-loaded server: 4 clients write (SET of random keys) while one client PINGs in a loop;
//      PING latency p50 / p99 / max before, and during a BGSAVE of the N keys.
//
// Usage: tsx bench/load-time.ts [--keys 1000000] [--servers cairn,redis]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RespClient } from './lib/resp.js';
import { startProc, percentile, type Proc } from './lib/procs.js';
import type { ServerKind } from './lib/servers.js';
import { describeMachine, machineLine } from './lib/report.js';

function opt(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
}
const N = Number(opt('keys', '1000000'));
const KINDS = opt('servers', 'cairn,redis').split(',') as ServerKind[];

const loadedRe = /DB loaded from (?:append only file|disk): ([\d.]+) seconds/;

function dirSize(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, f) => n + dirSize(path.join(p, f)), 0);
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`;
}

async function waitLogged(p: Proc, re: RegExp): Promise<RegExpExecArray | null> {
  for (let i = 0; i < 100; i++) {
    const m = re.exec(p.log());
    if (m) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

async function pingLatency(port: number, whileFn: () => boolean, maxMs: number): Promise<number[]> {
  const c = await RespClient.connect(port);
  const out: number[] = [];
  const t0 = performance.now();
  while (whileFn() && performance.now() - t0 < maxMs) {
    const s = performance.now();
    await c.call(['PING']);
    out.push(performance.now() - s);
  }
  c.close();
  return out;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${s.length} PINGs, p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms, max ${s[s.length - 1]!.toFixed(2)} ms`;
}

interface Row {
  kind: ServerKind;
  logBytes: number;
  snapBytes: number;
  fillSec: number;
  logLoad: string;
  logReady: number;
  snapLoad: string;
  snapReady: number;
  baseline: string;
  during: string;
  bgsaveSec: number;
}

async function one(kind: ServerKind): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cairn-loadtime-${kind}-`));
  const base = ['--dir', dir, '--save', '', '--appendfsync', 'no', '--loglevel', 'notice'];
  let p = await startProc(kind, [...base, '--appendonly', 'yes']);
  let c = await RespClient.connect(p.port);
  const t0 = performance.now();
  const r = await c.load(N, (i) => ['SET', `key:${i}`, `value:${i}`], 5000, 4);
  const fillSec = (performance.now() - t0) / 1000;
  if (r.errors > 0) throw new Error(`${kind}: ${r.errors} errors while filling: ${r.firstErrors.join('; ')}`);
  if ((await c.call(['SAVE'])) !== 'OK') throw new Error(`${kind}: SAVE failed`);
  c.close();
  await p.kill('SIGTERM');
  const logBytes = dirSize(path.join(dir, 'appendonlydir'));
  const snapBytes = dirSize(path.join(dir, kind === 'redis' ? 'dump.rdb' : 'dump.rdb'));
  console.log(`${kind}: filled ${N} keys in ${fillSec.toFixed(1)} s; log ${mb(logBytes)}, snapshot ${mb(snapBytes)}`);

  p = await startProc(kind, [...base, '--appendonly', 'yes']);
  const logLoad = (await waitLogged(p, loadedRe))?.[1] ?? '?';
  c = await RespClient.connect(p.port);
  const dbsize1 = await c.call(['DBSIZE']);
  c.close();
  const logReady = p.readyMs;
  await p.kill('SIGTERM');
  console.log(
    `${kind}: from the log: loaded in ${logLoad} s (logged), PING answered ${(logReady / 1000).toFixed(2)} s after spawn, DBSIZE ${String(dbsize1)}`,
  );

  // Snapshot load: the log directory is moved aside so appendonly no cannot see it either way.
  fs.rmSync(path.join(dir, 'appendonlydir'), { recursive: true, force: true });
  p = await startProc(kind, [...base, '--appendonly', 'no']);
  const snapLoad = (await waitLogged(p, loadedRe))?.[1] ?? '?';
  const snapReady = p.readyMs;
  c = await RespClient.connect(p.port);
  const dbsize2 = await c.call(['DBSIZE']);
  console.log(
    `${kind}: from the snapshot: loaded in ${snapLoad} s (logged), PING answered ${(snapReady / 1000).toFixed(2)} s after spawn, DBSIZE ${String(dbsize2)}`,
  );

  // PING latency under concurrent writes, before and during a BGSAVE.
  let stop = false;
  const writers = Array.from({ length: 4 }, async () => {
    const w = await RespClient.connect(p.port);
    while (!stop) await w.call(['SET', `key:${Math.floor(Math.random() * N)}`, `new:${Math.random()}`]);
    w.close();
  });
  const baseline = stats(await pingLatency(p.port, () => true, 2000));
  let saving = true;
  const bgStart = performance.now();
  const reply = await c.call(['BGSAVE']);
  if (reply !== 'Background saving started') throw new Error(`${kind}: BGSAVE replied ${String(reply)}`);
  const poll = (async () => {
    for (;;) {
      const info = String(await c.call(['INFO', 'persistence']));
      if (/rdb_bgsave_in_progress:0/.test(info)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    saving = false;
  })();
  const lat = await pingLatency(p.port, () => saving, 600_000);
  await poll;
  const bgsaveSec = (performance.now() - bgStart) / 1000;
  stop = true;
  await Promise.all(writers);
  c.close();
  await p.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
  const during = stats(lat);
  console.log(`${kind}: PING under 4 writers, before BGSAVE: ${baseline}`);
  console.log(`${kind}: PING under 4 writers, during BGSAVE of ${N} keys (${bgsaveSec.toFixed(2)} s): ${during}`);
  return { kind, logBytes, snapBytes, fillSec, logLoad, logReady, snapLoad, snapReady, baseline, during, bgsaveSec };
}

console.log(machineLine(describeMachine()));
const rows: Row[] = [];
for (const k of KINDS) rows.push(await one(k));
console.log('');
console.log(
  `| server | log size | load from log (logged s / until PING s) | snapshot size | load from snapshot (logged s / until PING s) |`,
);
console.log(`|---|---|---|---|---|`);
for (const r of rows) {
  console.log(
    `| ${r.kind} | ${mb(r.logBytes)} | ${r.logLoad} / ${(r.logReady / 1000).toFixed(2)} | ${mb(r.snapBytes)} | ${r.snapLoad} / ${(r.snapReady / 1000).toFixed(2)} |`,
  );
}
console.log('');
for (const r of rows)
  console.log(`${r.kind}: PING during BGSAVE of ${N} keys under 4 writers (${r.bgsaveSec.toFixed(2)} s): ${r.during}`);
process.exit(0);
