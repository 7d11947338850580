// `npx tsx bench/big-strings.ts [--quick] [--rounds N] [--out DIR]`
//
// Writes into and reads from big string values, side by side with Debian's redis-server: a 1 MB bitmap changed by
// SETBIT and BITFIELD INCRBY at random offsets and read by GETBIT, BITCOUNT and BITPOS; SETRANGE of 16 bytes at
// random offsets of a 1 MB value; APPEND of 100 bytes to a value that grows from nothing to about 2 MB (a log
// kept in one key). Each operation runs on one connection, pipelined 50 deep; the server's CPU time per
// operation comes from /proc (utime+stime before and after), alternating the servers, median over the rounds.
// A JS string is immutable, so these used to copy the whole value per write: Cairn keeps such values in byte
// buffers it writes in place (src/types/big-string.ts).

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RespClient } from './lib/resp.js';
// The seeded generator the tests use (bench/fuzz.ts reads test code too), so both servers get the same offsets.
import { rng } from '../test/support/data.js';
import { startCairn, startRedis, cpuMeter, serverOrder, CLK_TCK, ROOT, type ServerKind } from './lib/servers.js';
import {
  describeMachine,
  fmt,
  machineLine,
  machineMarkdown,
  markdownTable,
  median,
  ratio,
  runMain,
  textTable,
  type Table,
} from './lib/report.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  },
});
const QUICK = values.quick;
const ROUNDS = Number(values.rounds ?? (QUICK ? 1 : 3));
const OPS = QUICK ? 5000 : 20_000;
const SCANS = QUICK ? 200 : 1000;
const MB = 1024 * 1024;
const BITS = 8 * MB;

interface Op {
  name: string;
  /** Commands run first, unmeasured (the value the operation works on). */
  setup: string[][];
  count: number;
  make: (r: () => number, i: number) => string[];
}

const chunk = 'x'.repeat(100);
const ops: Op[] = [
  {
    name: 'SETBIT bm <random> 1 (1 MB bitmap)',
    setup: [
      ['DEL', 'bm'],
      ['SETBIT', 'bm', String(BITS - 1), '1'],
    ],
    count: OPS,
    make: (r) => ['SETBIT', 'bm', String(Math.floor(r() * BITS)), '1'],
  },
  {
    name: 'GETBIT bm <random>',
    setup: [],
    count: OPS,
    make: (r) => ['GETBIT', 'bm', String(Math.floor(r() * BITS))],
  },
  {
    name: 'BITFIELD bm INCRBY u8 <random> 1',
    setup: [],
    count: OPS,
    make: (r) => ['BITFIELD', 'bm', 'INCRBY', 'u8', String(Math.floor(r() * (BITS - 8))), '1'],
  },
  { name: 'BITCOUNT bm (1 MB)', setup: [], count: SCANS, make: () => ['BITCOUNT', 'bm'] },
  {
    name: 'BITPOS z 1 (1 MB of zeros, one bit at the end)',
    setup: [
      ['DEL', 'z'],
      ['SETBIT', 'z', String(BITS - 1), '1'],
    ],
    count: SCANS,
    make: () => ['BITPOS', 'z', '1'],
  },
  {
    name: 'SETRANGE v <random> <16 bytes> (1 MB value)',
    setup: [
      ['DEL', 'v'],
      ['SETRANGE', 'v', String(MB - 1), 'x'],
    ],
    count: OPS,
    make: (r) => ['SETRANGE', 'v', String(Math.floor(r() * (MB - 16))), 'abcdefghijklmnop'],
  },
  {
    name: `APPEND log <100 bytes> (0 → ${((OPS * 100) / MB).toFixed(1)} MB)`,
    setup: [['DEL', 'log']],
    count: OPS,
    make: () => ['APPEND', 'log', chunk],
  },
];

async function main(): Promise<void> {
  const machine = describeMachine();
  const started = Date.now();
  const log = (s: string): void => void process.stderr.write(s);
  const [redis, cairn] = await Promise.all([startRedis(), startCairn()]);
  const servers = { redis, cairn };
  const clients = { redis: await RespClient.connect(redis.port), cairn: await RespClient.connect(cairn.port) };
  const cpu: Record<ServerKind, Map<string, number[]>> = {
    redis: new Map(ops.map((o) => [o.name, []])),
    cairn: new Map(ops.map((o) => [o.name, []])),
  };
  try {
    let turn = 0;
    // Round 0 is a warm-up (Cairn's JIT), not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      log(round === 0 ? 'warm-up:' : `round ${round}/${ROUNDS}:`);
      for (const op of ops) {
        log(` [${op.name.split(' ')[0]}]`);
        for (const kind of serverOrder(turn++)) {
          const c = clients[kind];
          for (const s of op.setup) await c.call(s);
          const r = rng(round * 1000 + ops.indexOf(op));
          const used = cpuMeter(servers[kind].pid);
          const res = await c.load(op.count, (i) => op.make(r, i), 50, 1);
          if (res.errors > 0) throw new Error(`${kind}: ${op.name}: ${res.firstErrors.join('; ')}`);
          if (round > 0) cpu[kind].get(op.name)!.push(used() / op.count);
        }
      }
      log('\n');
    }
    const rows = ops.map((o) => {
      const r = median(cpu.redis.get(o.name)!);
      const c = median(cpu.cairn.get(o.name)!);
      return [o.name, fmt(r), fmt(c), fmt(ratio(c, r))];
    });
    const table: Table = {
      headers: ['operation', 'Redis CPU µs/op', 'Cairn CPU µs/op', 'Cairn / Redis'],
      rows,
      numeric: [false, true, true, true],
    };
    const settings = [
      `${QUICK ? 'quick' : 'full'}: ${ROUNDS} round(s) after a warm-up, ${OPS} writes / ${SCANS} whole-value reads per run, one connection pipelined 50 deep, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      `server CPU = utime+stime from /proc/<pid>/stat across each run (${CLK_TCK} ticks/s), divided by the operations; servers alternate per measurement; medians shown`,
      `redis: ${redis.commandLine}`,
      `cairn: ${cairn.commandLine}`,
    ];
    process.stdout.write(
      [`Big string values, Cairn vs Redis · ${machineLine(machine)}`, '', textTable(table), '', ...settings, ''].join(
        '\n',
      ),
    );
    fs.mkdirSync(values.out, { recursive: true });
    const md = path.join(values.out, `big-strings-${machine.date.slice(0, 10)}${QUICK ? '-quick' : ''}.md`);
    fs.writeFileSync(
      md,
      [
        `# Big string values, Cairn vs Redis (${QUICK ? 'quick' : 'full'})`,
        '',
        machineMarkdown(machine),
        '',
        markdownTable(table),
        '',
        ...settings.map((s) => `- ${s}`),
        '',
      ].join('\n'),
    );
    log(`wrote ${path.relative(ROOT, md)}\n`);
  } finally {
    await Promise.all([redis.stop(), cairn.stop()]);
  }
}

runMain('big-strings', main);
