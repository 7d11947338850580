// `tsx bench/scale-list.ts [--ops N]`: per-operation time of the list commands on a list of 1 thousand and of
// 1 million elements, run in-process through Cairn's dispatcher (no network), so that the growth with size shows.
// Redis promises O(1) for LPUSH, RPUSH, LPOP, RPOP, LLEN, LMOVE/RPOPLPUSH and for LINDEX/LSET at the ends; Cairn's
// ring buffer also gives O(1) LINDEX/LSET anywhere (Redis: O(n)). LRANGE of 10 elements is O(start + 10) in Redis,
// O(10) here. The columns should be close.

import { parseArgs } from 'node:util';
import { startServer } from '../src/index.js';

const { values } = parseArgs({ options: { ops: { type: 'string', default: '200000' } } });
const OPS = Number(values.ops);
const SIZES = [1_000, 1_000_000];

const s = await startServer({ port: 0 });
const c = s.server.createLocalClient();
const run = (argv: string[]): void => {
  s.server.execute(c, argv);
  c.out.discard();
};

function fill(key: string, n: number): void {
  for (let i = 0; i < n; i += 1000) {
    const argv = ['RPUSH', key];
    for (let j = i; j < Math.min(n, i + 1000); j++) argv.push(`element:${j}`);
    run(argv);
  }
}

/** Nanoseconds per call of make(i), over OPS calls after a warm-up. */
function measure(make: (i: number) => string[]): number {
  const argvs: string[][] = [];
  // Flat strings, as the request parser makes them.
  for (let i = 0; i < OPS; i++) argvs.push(make(i).map((a) => Buffer.from(a, 'latin1').toString('latin1')));
  for (let i = 0; i < Math.min(10000, OPS); i++) run(argvs[i]!);
  const t0 = performance.now();
  for (const a of argvs) run(a);
  return ((performance.now() - t0) * 1e6) / OPS;
}

const rand = (n: number): number => Math.floor(Math.random() * n);
const ops: [string, (key: string, n: number) => (i: number) => string[]][] = [
  // Pairs keep the size put; each pair is timed together.
  ['LPUSH + LPOP', (k) => (i) => (i % 2 === 0 ? ['LPUSH', k, `new:${i}`] : ['LPOP', k])],
  ['RPUSH + RPOP', (k) => (i) => (i % 2 === 0 ? ['RPUSH', k, `new:${i}`] : ['RPOP', k])],
  ['LPUSH + RPOP (queue)', (k) => (i) => (i % 2 === 0 ? ['LPUSH', k, `new:${i}`] : ['RPOP', k])],
  ['RPOPLPUSH (rotate)', (k) => () => ['RPOPLPUSH', k, k]],
  ['LMOVE (rotate)', (k) => () => ['LMOVE', k, k, 'LEFT', 'RIGHT']],
  ['LLEN', (k) => () => ['LLEN', k]],
  ['LINDEX random', (k, n) => () => ['LINDEX', k, String(rand(n))]],
  ['LSET random', (k, n) => () => ['LSET', k, String(rand(n)), 'x']],
  [
    'LRANGE 10 at random',
    (k, n) => () => {
      const a = rand(n - 10);
      return ['LRANGE', k, String(a), String(a + 9)];
    },
  ],
  [
    'LPOP 10 + RPUSH 10',
    (k) => (i) => (i % 2 === 0 ? ['LPOP', k, '10'] : ['RPUSH', k, ...Array.from({ length: 10 }, (_, j) => `r${j}`)]),
  ],
];

const results = new Map<string, number[]>();
for (const n of SIZES) {
  const key = `l${n}`;
  fill(key, n);
  for (const [name, mk] of ops) {
    const ns = measure(mk(key, n));
    if (!results.has(name)) results.set(name, []);
    results.get(name)!.push(ns);
  }
  run(['DEL', key]);
}

const head = ['operation', ...SIZES.map((n) => `ns/op @ ${n.toLocaleString('en')}`), 'ratio'];
const rows = [...results].map(([name, v]) => [name, ...v.map((x) => x.toFixed(0)), (v[1]! / v[0]!).toFixed(2)]);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]): string =>
  r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
console.log(
  `list commands, in-process through the dispatcher, ${OPS.toLocaleString('en')} calls each (Node ${process.version})`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
await s.close();
