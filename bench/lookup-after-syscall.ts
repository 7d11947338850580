// `npx tsx bench/lookup-after-syscall.ts [--keys 100000] [--batch 16] [--rounds 3]`
//
// Why keyed commands cost Cairn more than Redis at `-P 16`: the price of a key lookup in a server, where every
// batch of requests is separated by system calls, is not the price measured in a tight loop. This program
// looks up random keys (strings made from bytes, as the request parser makes them) in batches and, in the
// "server-like" column, makes one write(2) to /dev/null after each batch — as a server reads and writes once
// per batch. It compares V8's Map with an open-addressing table kept in an Int32Array (hash, slot) whose slots
// index a plain array of key strings, and with the same table keeping each bucket's key string in an array beside
// it (the layout of src/types/key-table.ts): the key is then two dependent reads away instead of three.
//
// The "overhead" columns subtract the same loop without lookups, so they are the lookup's own cost.

import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
  },
});
const N = Number(values.keys);
const BATCH = Number(values.batch);
const ROUNDS = Number(values.rounds);
const LOOKUPS = 1_000_000;

const name = (i: number): string => 'key:' + String(i).padStart(12, '0');

const map = new Map<string, number>();
const cap = 1 << Math.ceil(Math.log2(N * 2));
const mask = cap - 1;
const table = new Int32Array(cap * 2).fill(-1);
const keys: string[] = [];
/** The key of each bucket, beside the typed array (the layout src/types/key-table.ts uses). */
const bucketKeys: (string | undefined)[] = new Array<string | undefined>(cap);

function hash(k: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 16);
}

for (let i = 0; i < N; i++) {
  const b = Buffer.from(name(i), 'latin1');
  const k = b.latin1Slice(0, b.length);
  map.set(k, i);
  keys.push(k);
  const h = hash(k);
  let p = h & mask;
  while (table[2 * p + 1] !== -1) p = (p + 1) & mask;
  table[2 * p] = h;
  table[2 * p + 1] = i;
  bucketKeys[p] = k;
}

function tableGet(k: string): number {
  const h = hash(k);
  let p = h & mask;
  for (;;) {
    const slot = table[2 * p + 1]!;
    if (slot === -1) return -1;
    if (table[2 * p] === h && keys[slot] === k) return slot;
    p = (p + 1) & mask;
  }
}

/** The same lookup reading the bucket's key beside its hash: two dependent reads to the string instead of three. */
function tableGetBucketKeys(k: string): number {
  const h = hash(k);
  let p = h & mask;
  for (;;) {
    const slot = table[2 * p + 1]!;
    const key = bucketKeys[p];
    if (slot === -1) return -1;
    if (table[2 * p] === h && key === k) return slot;
    p = (p + 1) & mask;
  }
}

const probes: Buffer[] = [];
for (let i = 0; i < 65536; i++) probes.push(Buffer.from(name(Math.floor(Math.random() * N)), 'latin1'));
const devNull = fs.openSync('/dev/null', 'w');
const one = Buffer.alloc(1);

type Mode = 'none' | 'map' | 'table' | 'bucketKeys';

/** ns per lookup (including making the key string). */
function run(mode: Mode, syscalls: boolean): number {
  let sink = 0;
  const t = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i += BATCH) {
    for (let j = 0; j < BATCH; j++) {
      const b = probes[(i + j) & 65535]!;
      const k = b.latin1Slice(0, b.length);
      if (mode === 'none') sink += k.length;
      else if (mode === 'map') sink += map.get(k)!;
      else if (mode === 'table') sink += tableGet(k);
      else sink += tableGetBucketKeys(k);
    }
    if (syscalls) fs.writeSync(devNull, one);
  }
  const ns = Number(process.hrtime.bigint() - t) / LOOKUPS;
  if (sink === -1) console.log('');
  return ns;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const results: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const mode of ['none', 'map', 'table', 'bucketKeys'] as Mode[]) {
    for (const sys of [false, true]) (results[`${mode}/${sys}`] ??= []).push(run(mode, sys));
  }
}
const m = (mode: Mode, sys: boolean): number => median(results[`${mode}/${sys}`]!);

console.log(`\n${N} keys, random lookups, batches of ${BATCH}; median of ${ROUNDS} rounds (ns per lookup)\n`);
console.log('| structure | tight loop | overhead | server-like (write per batch) | overhead |');
console.log('| :--- | ---: | ---: | ---: | ---: |');
const LABELS: Record<Mode, string> = {
  none: '',
  map: 'V8 Map<string, slot>',
  table: 'Int32Array open addressing + key array',
  bucketKeys: "the same + each bucket's key beside it",
};
for (const mode of ['map', 'table', 'bucketKeys'] as Mode[]) {
  const label = LABELS[mode];
  console.log(
    `| ${label} | ${m(mode, false).toFixed(0)} | ${(m(mode, false) - m('none', false)).toFixed(0)} | ` +
      `${m(mode, true).toFixed(0)} | ${(m(mode, true) - m('none', true)).toFixed(0)} |`,
  );
}
console.log(`\n(baseline without lookups: ${m('none', false).toFixed(0)} / ${m('none', true).toFixed(0)} ns)`);
