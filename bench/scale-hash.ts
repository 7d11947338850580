// `tsx bench/scale-hash.ts [--ops N]`: per-operation time of the hash commands on a hash of 1 thousand and of
// 1 million fields, run in-process through Cairn's dispatcher (no network), so that the growth with size shows.
// Redis promises O(1) for HSET, HGET, HDEL, HEXISTS, HINCRBY and single-field HRANDFIELD: the two columns should
// be close (a big hash costs some cache misses, not a factor of the size).

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
    const argv = ['HSET', key];
    for (let j = i; j < Math.min(n, i + 1000); j++) argv.push(`field:${j}`, String(j));
    run(argv);
  }
}

/** Nanoseconds per call of make(i), over OPS calls after a warm-up. */
function measure(make: (i: number) => string[]): number {
  const argvs: string[][] = [];
  // Flat strings, as the request parser makes them (a concatenation of 13+ chars would be a rope here).
  for (let i = 0; i < OPS; i++) argvs.push(make(i).map((a) => Buffer.from(a, 'latin1').toString('latin1')));
  for (let i = 0; i < Math.min(10000, OPS); i++) run(argvs[i]!);
  const t0 = performance.now();
  for (const a of argvs) run(a);
  return ((performance.now() - t0) * 1e6) / OPS;
}

const rand = (n: number): number => Math.floor(Math.random() * n);
const ops: [string, (key: string, n: number) => (i: number) => string[]][] = [
  // Each new field is deleted by the next call, so the size stays put; the pair is timed together.
  ['HSET new + HDEL', (k) => (i) => (i % 2 === 0 ? ['HSET', k, `new:${i}`, 'x'] : ['HDEL', k, `new:${i - 1}`])],
  ['HGET', (k, n) => () => ['HGET', k, `field:${rand(n)}`]],
  ['HEXISTS', (k, n) => () => ['HEXISTS', k, `field:${rand(n)}`]],
  ['HINCRBY', (k, n) => () => ['HINCRBY', k, `field:${rand(n)}`, '1']],
  ['HSET (overwrite)', (k, n) => () => ['HSET', k, `field:${rand(n)}`, 'y']],
  ['HRANDFIELD', (k) => () => ['HRANDFIELD', k]],
  ['HRANDFIELD 10', (k) => () => ['HRANDFIELD', k, '10']],
  ['HLEN', (k) => () => ['HLEN', k]],
];

const results = new Map<string, number[]>();
for (const n of SIZES) {
  const key = `h${n}`;
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
  `hash commands, in-process through the dispatcher, ${OPS.toLocaleString('en')} calls each (Node ${process.version})`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
await s.close();
