// The in-process scaling micro-benchmarks (`bench/scale-list.ts`, `scale-set.ts`, `scale-hash.ts`): one key is
// filled to 1 thousand and then to 1 million elements, and each operation is timed through Cairn's dispatcher (no
// network) at both sizes, so that growth with size shows as the ratio of the two columns.

import { parseArgs } from 'node:util';
import { startServer } from '../../src/index.js';

/** An operation: its name, and for a key of n elements, the i-th request to time. */
export type ScaleOp = [name: string, make: (key: string, n: number) => (i: number) => string[]];

export interface ScaleBench {
  /** For the title: "<family> commands, in-process …". */
  family: string;
  /** The key for size n is `${keyPrefix}${n}`. */
  keyPrefix: string;
  /** The key is filled by `[command, key, ...element(j) for each j]`, 1000 elements a request. */
  fill: { command: string; element: (j: number) => string[] };
  ops: ScaleOp[];
}

export const SIZES = [1_000, 1_000_000];

export const rand = (n: number): number => Math.floor(Math.random() * n);

/** Runs the benchmark (`--ops N` calls per operation and size, default 200000) and prints the table. */
export async function runScaleBench(bench: ScaleBench): Promise<void> {
  const { values } = parseArgs({ options: { ops: { type: 'string', default: '200000' } } });
  const OPS = Number(values.ops);

  const s = await startServer({ port: 0 });
  const c = s.server.createLocalClient();
  const run = (argv: string[]): void => {
    s.server.execute(c, argv);
    c.out.discard();
  };

  /** Nanoseconds per call of make(i), over OPS calls after a warm-up. */
  const measure = (make: (i: number) => string[]): number => {
    const argvs: string[][] = [];
    // Flat strings, as the request parser makes them (a concatenation of 13+ chars would be a rope here).
    for (let i = 0; i < OPS; i++) argvs.push(make(i).map((a) => Buffer.from(a, 'latin1').toString('latin1')));
    for (let i = 0; i < Math.min(10000, OPS); i++) run(argvs[i]!);
    const t0 = performance.now();
    for (const a of argvs) run(a);
    return ((performance.now() - t0) * 1e6) / OPS;
  };

  const results = new Map<string, number[]>();
  for (const n of SIZES) {
    const key = `${bench.keyPrefix}${n}`;
    for (let i = 0; i < n; i += 1000) {
      const argv = [bench.fill.command, key];
      for (let j = i; j < Math.min(n, i + 1000); j++) argv.push(...bench.fill.element(j));
      run(argv);
    }
    for (const [name, mk] of bench.ops) {
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
    `${bench.family} commands, in-process through the dispatcher, ${OPS.toLocaleString('en')} calls each (Node ${process.version})`,
  );
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  await s.close();
}
