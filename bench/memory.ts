// `npm run bench:memory [-- --count N --datasets strings,hash,set,zset]`
//
// Memory per element, side by side with Debian's redis-server: each dataset is loaded into a freshly started
// server (persistence off) over one pipelined connection, then the server's resident set size (VmRSS from
// /proc) is compared with the empty server's. For Redis, INFO's used_memory (what its allocator hands out)
// is reported too. Datasets whose commands a server does not implement (asked with COMMAND INFO) are shown as
// "n/a" for it. Results go to bench/results/memory-<date>.md and a PNG bar chart.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart, COLORS } from './lib/chart.js';
import { RespClient } from './lib/resp.js';
import { info, rssBytes, startCairn, startRedis, supportsCommand, ROOT, type ServerKind } from './lib/servers.js';
import {
  describeMachine,
  fmt,
  fmtBytes,
  machineLine,
  machineMarkdown,
  markdownTable,
  ratio,
  runMain,
  textTable,
  type Table,
  resultStamp,
} from './lib/report.js';

interface Dataset {
  readonly name: string;
  /** What is loaded, for the report ("N" is the element number). */
  readonly describe: string;
  /** Commands the load sends; all must be implemented. */
  readonly requires: readonly string[];
  /** What one element is (key, field, member). */
  readonly unit: string;
  /** The command that adds element `i`. */
  make(i: number): readonly string[];
}

/** A 16-byte value that differs per element and that Redis cannot store as an integer. */
const value16 = (i: number): string => `value:${String(i).padStart(10, '0')}`;

const DATASETS: readonly Dataset[] = [
  {
    name: 'strings',
    describe: 'SET key:N <16-byte value>',
    requires: ['set'],
    unit: 'key',
    make: (i) => ['SET', `key:${i}`, value16(i)],
  },
  {
    name: 'hash',
    describe: 'HSET bighash field:N <16-byte value> (one hash)',
    requires: ['hset'],
    unit: 'field',
    make: (i) => ['HSET', 'bighash', `field:${i}`, value16(i)],
  },
  {
    name: 'set',
    describe: 'SADD bigset member:N (one set)',
    requires: ['sadd'],
    unit: 'member',
    make: (i) => ['SADD', 'bigset', `member:${i}`],
  },
  {
    name: 'zset',
    describe: 'ZADD bigzset N member:N (one sorted set)',
    requires: ['zadd'],
    unit: 'member',
    make: (i) => ['ZADD', 'bigzset', String(i), `member:${i}`],
  },
  {
    name: 'small-hashes',
    describe: 'HSET user:N name <16-byte value> visits N (a hash of 2 fields per key)',
    requires: ['hset'],
    unit: 'key',
    make: (i) => ['HSET', `user:${i}`, 'name', value16(i), 'visits', String(i)],
  },
  {
    name: 'small-zsets',
    describe: 'ZADD board:N N <16-byte member> 1 alice (a sorted set of 2 members per key)',
    requires: ['zadd'],
    unit: 'key',
    make: (i) => ['ZADD', `board:${i}`, String(i), value16(i), '1', 'alice'],
  },
  {
    name: 'mid-hashes',
    describe: 'HSET profile:(N/16) field:(N%16) <16-byte value> (62,500 hashes of 16 fields)',
    requires: ['hset'],
    unit: 'field',
    make: (i) => ['HSET', `profile:${Math.floor(i / 16)}`, `field:${i % 16}`, value16(i)],
  },
  {
    name: 'mid-zsets',
    describe: 'ZADD window:(N/100) N <16-byte member> (10,000 sorted sets of 100 members)',
    requires: ['zadd'],
    unit: 'member',
    make: (i) => ['ZADD', `window:${Math.floor(i / 100)}`, String(i), value16(i)],
  },
  {
    name: 'mid-intsets',
    describe: 'SADD ids:(N/100) N (10,000 sets of 100 integers)',
    requires: ['sadd'],
    unit: 'member',
    make: (i) => ['SADD', `ids:${Math.floor(i / 100)}`, String(i)],
  },
  {
    name: 'small-lists',
    describe: 'RPUSH queue:N <16-byte element> job (a list of 2 elements per key)',
    requires: ['rpush'],
    unit: 'key',
    make: (i) => ['RPUSH', `queue:${i}`, value16(i), 'job'],
  },
  {
    name: 'small-sets',
    describe: 'SADD tags:N <16-byte member> red (a set of 2 members per key)',
    requires: ['sadd'],
    unit: 'key',
    make: (i) => ['SADD', `tags:${i}`, value16(i), 'red'],
  },
];

interface Measurement {
  loadSeconds: number;
  rssBefore: number;
  rssAfter: number;
  /** Redis only: INFO memory used_memory / used_memory_rss before and after. */
  usedBefore: number | null;
  usedAfter: number | null;
  usedRssAfter: number | null;
}

type Outcome = { m: Measurement } | { missing: string };

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function memoryField(fields: Map<string, string>, name: string): number | null {
  const v = fields.get(name);
  return v === undefined || !/^\d+$/.test(v) ? null : Number(v);
}

/** Starts a fresh server, loads the dataset, and measures; the server is stopped again either way. */
async function measure(kind: ServerKind, ds: Dataset, count: number, log: (s: string) => void): Promise<Outcome> {
  const server = kind === 'redis' ? await startRedis() : await startCairn();
  const client = await RespClient.connect(server.port);
  try {
    for (const cmd of ds.requires) {
      if (!(await supportsCommand(client, cmd))) return { missing: `not implemented: ${cmd}` };
    }
    await delay(500); // let a freshly started Node settle (JIT, first GCs) before the baseline
    const infoBefore = await info(client, 'memory');
    const rssBefore = rssBytes(server.pid);
    const t0 = process.hrtime.bigint();
    const result = await client.load(count, (i) => ds.make(i), 5000, 4);
    const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (result.errors > 0) return { missing: `error: ${result.errors} error replies, e.g. ${result.firstErrors[0]}` };
    // Give a garbage-collected server a moment to collect the load's garbage and return memory.
    await delay(2000);
    const infoAfter = await info(client, 'memory');
    const rssAfter = rssBytes(server.pid);
    log(` ${kind} ${loadSeconds.toFixed(1)} s`);
    return {
      m: {
        loadSeconds,
        rssBefore,
        rssAfter,
        usedBefore: memoryField(infoBefore, 'used_memory'),
        usedAfter: memoryField(infoAfter, 'used_memory'),
        usedRssAfter: memoryField(infoAfter, 'used_memory_rss'),
      },
    };
  } catch (e) {
    return { missing: `error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` };
  } finally {
    client.close();
    await server.stop();
  }
}

const perElement = (before: number | null, after: number | null, count: number): number | null =>
  before === null || after === null ? null : (after - before) / count;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      count: { type: 'string', default: '1000000' },
      datasets: { type: 'string' },
      out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
    },
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');
  const datasets = values.datasets
    ? values.datasets.split(',').map((n) => {
        const d = DATASETS.find((x) => x.name === n.trim());
        if (!d) throw new Error(`unknown dataset '${n}' (known: ${DATASETS.map((x) => x.name).join(', ')})`);
        return d;
      })
    : DATASETS;
  const outDir = path.resolve(values.out);
  const machine = describeMachine();
  const log = (s: string): void => void process.stderr.write(s);

  const rows: string[][] = [];
  const notes: string[] = [];
  const chart = {
    names: [] as string[],
    redisRss: [] as (number | null)[],
    redisUsed: [] as (number | null)[],
    cairnRss: [] as (number | null)[],
  };
  for (const ds of datasets) {
    log(`${ds.name}: loading ${count.toLocaleString('en-US')} × ${ds.describe}…`);
    const outcome: Record<ServerKind, Outcome> = {
      redis: await measure('redis', ds, count, log),
      cairn: await measure('cairn', ds, count, log),
    };
    log('\n');
    const redisRss =
      'm' in outcome.redis ? perElement(outcome.redis.m.rssBefore, outcome.redis.m.rssAfter, count) : null;
    const cairnRss =
      'm' in outcome.cairn ? perElement(outcome.cairn.m.rssBefore, outcome.cairn.m.rssAfter, count) : null;
    const redisUsed =
      'm' in outcome.redis ? perElement(outcome.redis.m.usedBefore, outcome.redis.m.usedAfter, count) : null;
    for (const kind of ['redis', 'cairn'] as const) {
      const o = outcome[kind];
      if ('missing' in o) {
        rows.push([ds.name, kind, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', kind === 'cairn' ? 'n/a' : '']);
        notes.push(`${kind} ${ds.name}: ${o.missing}`);
        continue;
      }
      const m = o.m;
      rows.push([
        ds.name,
        kind,
        fmt(m.loadSeconds, 1),
        fmt(count / m.loadSeconds, 0),
        fmtBytes(m.rssBefore),
        fmtBytes(m.rssAfter),
        fmt(perElement(m.rssBefore, m.rssAfter, count), 1),
        m.usedAfter === null ? 'n/a' : fmtBytes(m.usedAfter),
        fmt(perElement(m.usedBefore, m.usedAfter, count), 1),
        kind === 'cairn' ? fmt(ratio(cairnRss, redisRss)) : '',
      ]);
    }
    chart.names.push(ds.name.toUpperCase());
    chart.redisRss.push(redisRss);
    chart.redisUsed.push(redisUsed);
    chart.cairnRss.push(cairnRss);
  }

  const table: Table = {
    headers: [
      'dataset',
      'server',
      'load s',
      'elements/s',
      'RSS empty',
      'RSS loaded',
      'RSS B/elem',
      'used_memory',
      'used_memory B/elem',
      'Cairn/Redis RSS B/elem',
    ],
    rows,
    numeric: [false, false, true, true, true, true, true, true, true, true],
  };
  const settings = [
    `${count.toLocaleString('en-US')} elements per dataset, each in a freshly started server (persistence off), loaded over one pipelined connection (batches of 5000 commands, 4 in flight)`,
    ...datasets.map((d) => `${d.name}: ${d.describe}, per ${d.unit}`),
    'B/elem = (after − before) / elements; RSS = VmRSS from /proc/<pid>/status, read 2 s after the load; used_memory from INFO memory (Cairn: only if its INFO reports it)',
    ...notes,
  ];
  const text = [`Cairn vs Redis memory · ${machineLine(machine)}`, ...settings, '', textTable(table)];
  process.stdout.write(text.join('\n') + '\n');

  fs.mkdirSync(outDir, { recursive: true });
  const stamp = resultStamp(outDir, 'memory', machine.date);
  fs.writeFileSync(
    path.join(outDir, `${stamp}.png`),
    renderChart(
      [
        {
          title: 'Bytes per element after loading (lower is better)',
          categories: chart.names,
          series: [
            { name: 'Redis RSS', color: COLORS.redis, values: chart.redisRss },
            { name: 'Redis used_memory', color: [240, 160, 150], values: chart.redisUsed },
            { name: 'Cairn RSS', color: COLORS.cairn, values: chart.cairnRss },
          ],
        },
      ],
      machineLine(machine),
    ),
  );
  const md = [
    '# Cairn vs Redis: memory per element',
    '',
    machineMarkdown(machine),
    '',
    ...settings.map((s) => `- ${s}`),
    '',
    'Target (issue 6): bytes per key for small string keys ≤ 1.5× Redis; for the hash, set and sorted set ≤ 2×.',
    '',
    markdownTable(table),
    '',
    `![bytes per element](${stamp}.png)`,
    '',
  ];
  const mdPath = path.join(outDir, `${stamp}.md`);
  fs.writeFileSync(mdPath, md.join('\n'));
  log(`\nwrote ${path.relative(ROOT, mdPath)} and ${stamp}.png\n`);
}

runMain('bench:memory', main);
