// Scaling micro-benchmark for sorted sets: per-operation time of the key commands on a set of 1 thousand and of
// 1 million members, run in-process through the dispatcher (no network). Redis promises O(log n) for these, so
// the 1M/1k ratio should stay small (log2(1e6)/log2(1e3) = 2), not grow like n.
//
//   npx tsx bench/scale-zset.ts [--ops N]

import { startServer } from '../src/index.js';
import type { Client } from '../src/server/client.js';
import type { Server } from '../src/server/server.js';

const opsArg = process.argv.indexOf('--ops');
const OPS = opsArg > 0 ? Number(process.argv[opsArg + 1]) : 100_000;
const SIZES = [1_000, 1_000_000];

function run(server: Server, c: Client, argv: string[]): void {
  server.execute(c, argv);
  c.out.discard();
}

/** Fills key with n members m0..m(n-1), random scores, in batches. */
function fill(server: Server, c: Client, key: string, n: number): void {
  const batch = 1000;
  for (let i = 0; i < n; i += batch) {
    const argv = ['ZADD', key];
    for (let j = i; j < Math.min(n, i + batch); j++) argv.push(String(Math.floor(Math.random() * 1e9)), 'm' + j);
    run(server, c, argv);
  }
}

interface Op {
  name: string;
  /** Builds the i-th command(s) to time for a set of n members. */
  make: (n: number, i: number) => string[][];
}

const rnd = (n: number): number => Math.floor(Math.random() * n);

const OPS_LIST: Op[] = [
  {
    name: 'ZADD (new member) + ZREM',
    make: (_n, i) => [
      ['ZADD', 'z', String(rnd(1e9)), 'new' + i],
      ['ZREM', 'z', 'new' + i],
    ],
  },
  { name: 'ZADD (score update)', make: (n) => [['ZADD', 'z', String(rnd(1e9)), 'm' + rnd(n)]] },
  { name: 'ZINCRBY', make: (n) => [['ZINCRBY', 'z', String(rnd(1000) - 500), 'm' + rnd(n)]] },
  { name: 'ZSCORE', make: (n) => [['ZSCORE', 'z', 'm' + rnd(n)]] },
  { name: 'ZRANK', make: (n) => [['ZRANK', 'z', 'm' + rnd(n)]] },
  {
    name: 'ZRANGE by rank (10 members)',
    make: (n) => {
      const r = rnd(n - 10);
      return [['ZRANGE', 'z', String(r), String(r + 9)]];
    },
  },
  {
    name: 'ZRANGEBYSCORE LIMIT 0 10',
    make: () => [['ZRANGEBYSCORE', 'z', String(rnd(1e9)), '+inf', 'LIMIT', '0', '10']],
  },
  { name: 'ZCOUNT', make: () => [['ZCOUNT', 'z', String(rnd(5e8)), String(5e8 + rnd(5e8))]] },
  {
    name: 'ZPOPMIN + ZADD back',
    make: () => [
      ['ZPOPMIN', 'z'],
      ['ZADD', 'z', '0', 'popped'],
    ],
  },
  { name: 'ZRANDMEMBER', make: () => [['ZRANDMEMBER', 'z']] },
];

async function main(): Promise<void> {
  const results = new Map<string, number[]>();
  for (const n of SIZES) {
    const s = await startServer({ port: 0 });
    const server = s.server;
    const c = server.createLocalClient();
    const t0 = performance.now();
    fill(server, c, 'z', n);
    const fillMs = performance.now() - t0;
    console.error(`filled ${n} members in ${fillMs.toFixed(0)} ms`);
    for (const op of OPS_LIST) {
      const cmds: string[][][] = [];
      for (let i = 0; i < OPS; i++) cmds.push(op.make(n, i));
      // Warm up on a slice, then time the rest.
      const warm = Math.min(10_000, OPS >> 2);
      for (let i = 0; i < warm; i++) for (const argv of cmds[i]!) run(server, c, argv);
      const start = performance.now();
      for (let i = warm; i < OPS; i++) for (const argv of cmds[i]!) run(server, c, argv);
      const ns = ((performance.now() - start) * 1e6) / (OPS - warm);
      const row = results.get(op.name) ?? [];
      row.push(ns);
      results.set(op.name, row);
    }
    await s.close();
  }
  const w = Math.max(...OPS_LIST.map((o) => o.name.length));
  console.log(`Sorted sets: per-operation time (ns), in-process through the dispatcher, ${OPS} ops each\n`);
  console.log(`| ${'operation'.padEnd(w)} | ${'1k members'.padStart(10)} | ${'1M members'.padStart(10)} | ratio |`);
  console.log(`|${'-'.repeat(w + 2)}|-----------:|-----------:|------:|`);
  for (const op of OPS_LIST) {
    const [a, b] = results.get(op.name)!;
    console.log(
      `| ${op.name.padEnd(w)} | ${a!.toFixed(0).padStart(10)} | ${b!.toFixed(0).padStart(10)} | ${(b! / a!).toFixed(2).padStart(5)} |`,
    );
  }
}

await main();
