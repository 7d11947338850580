// `npx tsx bench/scale-side-by-side.ts [--quick] [--rounds N] [--requests N] [--out DIR]`
//
// Complexity check over the network, side by side with Debian's redis-server: for each server and each
// collection size N (1 thousand, 1 million), one hash / list / set / sorted set of N elements is loaded with the
// pipelined loader, then `redis-benchmark -P 16 -c 50 -r N` runs single commands with __rand_int__ against it and
// the server's CPU time per request is taken from /proc (utime+stime before/after, as bench/run.ts does).
// An O(1) or O(log N) command should cost about the same at both sizes, apart from the cache misses of a big
// structure, which hit both servers alike; so the test is whether Cairn's growth stays close to Redis's.
//
// Notes on the commands:
// - redis-benchmark replaces each __rand_int__ with its own 12-digit zero-padded number in [0, N), so the
//   collections are filled with zero-padded names (field:000000000042) and the random commands hit existing
//   elements; HSET/SADD/ZADD/ZINCRBY therefore update in place and the sizes stay at N.
// - LPUSH l x is run n times, then LPOP l n times: the list goes N → N+n → N. Shown as one row (CPU of both runs
//   divided by 2n).
// - SPOP+SADD cannot be one redis-benchmark run (the popped member must be added back, or the set shrinks, and
//   at N = 1,000 it would be empty after 1,000 pops). It is driven by this script instead: 50 connections, each
//   sending 16 SPOPs pipelined, then 16 SADDs of the members it got back, and so on; the set stays within
//   800 elements of N. Per-command CPU = CPU of the run / commands sent.
// - LINDEX l __rand_int__ is O(n) in Redis too: skipped.
// - ZRANGE z __rand_int__ __rand_int__ would be an empty (inverted) range half the time, so a fixed 11-element
//   window at the middle of the ranks is used instead: ZRANGE z N/2 N/2+10 (500..510 at 1k, 500000..500010 at
//   1M); the middle, so that a rank lookup walking from either end would show.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RespClient, encodeCommand } from './lib/resp.js';
import {
  startCairn,
  startRedis,
  cpuMeter,
  serverOrder,
  CLK_TCK,
  HOST,
  ROOT,
  type RunningServer,
  type ServerKind,
} from './lib/servers.js';
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
    requests: { type: 'string' },
    sizes: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  },
});
const QUICK = values.quick;
const ROUNDS = Number(values.rounds ?? (QUICK ? 1 : 3));
const CLIENTS = 50;
const PIPELINE = 16;
const UNIT = CLIENTS * PIPELINE;
const REQUESTS = Math.max(UNIT, Math.round(Number(values.requests ?? (QUICK ? 200_000 : 400_000)) / UNIT) * UNIT);
const SIZES = (values.sizes ?? '1000,1000000').split(',').map(Number);

const pad = (i: number): string => String(i).padStart(12, '0'); // redis-benchmark's __rand_int__ format

// ---------------------------------------------------------------------------------------------------------
// Operations

interface Op {
  readonly name: string;
  /** Runs the operation and returns the number of requests it sent (CPU is measured around it). */
  readonly run: (port: number, n: number) => Promise<number>;
}

function runBenchmark(port: number, n: number, size: number, command: readonly string[]): Promise<void> {
  const args = [
    '-h',
    HOST,
    '-p',
    String(port),
    '-c',
    String(CLIENTS),
    '-P',
    String(PIPELINE),
    '-n',
    String(n),
    '-r',
    String(size),
    '-q',
    ...command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const errors = err
        .split('\n')
        .filter((l) => l.trim() && !/^WARNING: Could not fetch server CONFIG/.test(l))
        .join('\n');
      if (code !== 0)
        reject(new Error(`redis-benchmark ${command.join(' ')} exited with ${code}: ${errors.slice(0, 300)}`));
      else resolve();
    });
  });
}

const bench =
  (size: number, command: readonly string[]) =>
  async (port: number, n: number): Promise<number> => {
    await runBenchmark(port, n, size, command);
    return n;
  };

/** One connection of the SPOP+SADD driver: batches of PIPELINE SPOPs, then SADDs of the members returned. */
function spopSaddConnection(port: number, pairs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: HOST });
    socket.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    let pending = 0;
    let phase: 'spop' | 'sadd' = 'spop';
    let members: string[] = [];
    let batch = 0;
    let done = 0;
    let sent = 0;
    const sendSpops = (): void => {
      const k = Math.min(PIPELINE, pairs - done);
      if (k <= 0) {
        socket.end();
        return resolve(sent);
      }
      phase = 'spop';
      members = [];
      pending = k;
      batch = k;
      sent += k;
      socket.write(Buffer.concat(Array.from({ length: k }, () => encodeCommand(['SPOP', 's']))));
    };
    socket.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      let pos = 0;
      for (;;) {
        const eol = buf.indexOf('\r\n', pos, 'latin1');
        if (eol < 0) break;
        const type = buf[pos];
        if (type === 0x24 /* $ */) {
          const len = Number(buf.latin1Slice(pos + 1, eol));
          if (len < 0) {
            pos = eol + 2;
          } else {
            if (eol + 2 + len + 2 > buf.length) break;
            members.push(buf.latin1Slice(eol + 2, eol + 2 + len));
            pos = eol + 2 + len + 2;
          }
        } else if (type === 0x3a /* : */) {
          pos = eol + 2;
        } else {
          return reject(new Error(`unexpected reply ${JSON.stringify(buf.latin1Slice(pos, eol))}`));
        }
        if (--pending === 0) {
          if (phase === 'spop') {
            done += batch;
            phase = 'sadd';
            if (members.length === 0) {
              sendSpops();
            } else {
              pending = members.length;
              sent += members.length;
              socket.write(Buffer.concat(members.map((m) => encodeCommand(['SADD', 's', m]))));
            }
          } else {
            sendSpops();
          }
        }
      }
      buf = buf.subarray(pos);
    });
    socket.on('error', reject);
    socket.once('connect', sendSpops);
  });
}

async function spopSadd(port: number, n: number): Promise<number> {
  const pairsPerClient = Math.max(1, Math.floor(n / 2 / CLIENTS));
  const sent = await Promise.all(Array.from({ length: CLIENTS }, () => spopSaddConnection(port, pairsPerClient)));
  return sent.reduce((a, b) => a + b, 0);
}

function opsFor(size: number): Op[] {
  const mid = Math.floor(size / 2);
  return [
    { name: 'HGET h field:__rand_int__', run: bench(size, ['HGET', 'h', 'field:__rand_int__']) },
    { name: 'HSET h field:__rand_int__ v', run: bench(size, ['HSET', 'h', 'field:__rand_int__', 'v']) },
    {
      name: 'LPUSH l x, then LPOP l (pair)',
      run: async (port, n) => {
        await runBenchmark(port, n, size, ['LPUSH', 'l', 'x']);
        await runBenchmark(port, n, size, ['LPOP', 'l']);
        return 2 * n;
      },
    },
    { name: 'SADD s member:__rand_int__', run: bench(size, ['SADD', 's', 'member:__rand_int__']) },
    { name: 'SRANDMEMBER s', run: bench(size, ['SRANDMEMBER', 's']) },
    { name: 'SPOP s + SADD s <popped> (pair)', run: spopSadd },
    {
      name: 'ZADD z __rand_int__ member:__rand_int__',
      run: bench(size, ['ZADD', 'z', '__rand_int__', 'member:__rand_int__']),
    },
    { name: 'ZINCRBY z 1 member:__rand_int__', run: bench(size, ['ZINCRBY', 'z', '1', 'member:__rand_int__']) },
    { name: 'ZRANK z member:__rand_int__', run: bench(size, ['ZRANK', 'z', 'member:__rand_int__']) },
    { name: 'ZRANGE z N/2 N/2+10', run: bench(size, ['ZRANGE', 'z', String(mid), String(mid + 10)]) },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Loading

/** The size query of each collection. */
const CARDINALITIES = [
  ['HLEN', 'h'],
  ['LLEN', 'l'],
  ['SCARD', 's'],
  ['ZCARD', 'z'],
] as const;

async function fill(server: RunningServer, size: number): Promise<void> {
  const client = await RespClient.connect(server.port);
  try {
    const cmds: string[][] = [['DEL', 'h', 'l', 's', 'z']];
    const chunked = (cmd: string, key: string, elem: (i: number) => string[]): void => {
      for (let i = 0; i < size; i += 1000) {
        const argv = [cmd, key];
        for (let j = i; j < Math.min(size, i + 1000); j++) argv.push(...elem(j));
        cmds.push(argv);
      }
    };
    chunked('HSET', 'h', (i) => [`field:${pad(i)}`, 'v']);
    chunked('RPUSH', 'l', (i) => [String(i)]);
    chunked('SADD', 's', (i) => [`member:${pad(i)}`]);
    chunked('ZADD', 'z', (i) => [String(i), `member:${pad(i)}`]);
    const r = await client.load(cmds.length, (i) => cmds[i]!, 16, 2);
    if (r.errors > 0) throw new Error(`${server.kind}: loading failed: ${r.firstErrors.join('; ')}`);
    for (const [cmd, key] of CARDINALITIES) {
      const n = await client.call([cmd, key]);
      if (n !== size) throw new Error(`${server.kind}: ${cmd} ${key} = ${String(n)} after loading, expected ${size}`);
    }
  } finally {
    client.close();
  }
}

async function sizes(server: RunningServer): Promise<string> {
  const client = await RespClient.connect(server.port);
  try {
    const out: string[] = [];
    for (const [cmd, key] of CARDINALITIES) out.push(String(await client.call([cmd, key])));
    return out.join('/');
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Main

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sizeLabel = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

async function main(): Promise<void> {
  const machine = describeMachine();
  const started = Date.now();
  const log = (s: string): void => void process.stderr.write(s);
  log(`Starting redis-server and Cairn…\n`);
  const [redis, cairn] = await Promise.all([startRedis(), startCairn()]);
  const servers: Record<ServerKind, RunningServer> = { redis, cairn };
  try {
    for (const s of [redis, cairn])
      log(`  ${s.kind}: pid ${s.pid}, ${s.commandLine}\n${s.notes.map((n) => `  note: ${n}\n`).join('')}`);
    const opNames = opsFor(1000).map((o) => o.name);
    // cpu[kind][size][op] = samples of µs/request
    const cpu: Record<ServerKind, Map<number, Map<string, number[]>>> = { redis: new Map(), cairn: new Map() };
    const sizeNotes: string[] = [];
    let turn = 0;
    for (const size of SIZES) {
      log(`N = ${size}: loading…`);
      const t0 = Date.now();
      await Promise.all([fill(redis, size), fill(cairn, size)]);
      log(` ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      await delay(1000);
      for (const kind of ['redis', 'cairn'] as const) cpu[kind].set(size, new Map(opNames.map((n) => [n, []])));
      for (let round = 0; round < ROUNDS; round++) {
        log(`  round ${round + 1}/${ROUNDS}:`);
        for (const op of opsFor(size)) {
          log(` [${op.name.split(' ')[0]}]`);
          // Alternate which server goes first for every measurement.
          for (const kind of serverOrder(turn++)) {
            const s = servers[kind];
            const used = cpuMeter(s.pid);
            const sent = await op.run(s.port, REQUESTS);
            cpu[kind]
              .get(size)!
              .get(op.name)!
              .push(used() / sent);
          }
        }
        log('\n');
      }
      const after = await Promise.all([sizes(redis), sizes(cairn)]);
      sizeNotes.push(`N = ${size}: sizes of h/l/s/z after the runs: Redis ${after[0]}, Cairn ${after[1]}`);
    }

    const [small, big] = [SIZES[0]!, SIZES.at(-1)!];
    const med = (kind: ServerKind, size: number, op: string): number | null => median(cpu[kind].get(size)!.get(op)!);
    const rows = opNames.map((op) => {
      const r1 = med('redis', small, op);
      const r2 = med('redis', big, op);
      const c1 = med('cairn', small, op);
      const c2 = med('cairn', big, op);
      return [op, fmt(r1), fmt(r2), `${fmt(ratio(r2, r1))}×`, fmt(c1), fmt(c2), `${fmt(ratio(c2, c1))}×`];
    });
    const S = sizeLabel(small);
    const B = sizeLabel(big);
    const table: Table = {
      headers: ['operation', `Redis µs/req at ${S}`, `at ${B}`, 'growth', `Cairn µs/req at ${S}`, `at ${B}`, 'growth'],
      rows,
      numeric: [false, true, true, true, true, true, true],
    };
    const elapsed = (Date.now() - started) / 1000;
    const explain = [
      `O(1) (and O(log N)) operations grow by a constant factor at ${B} on both servers because a big structure misses the CPU caches on most accesses; so the test of complexity is not a growth of 1.0× but whether Cairn's growth stays close to Redis's.`,
    ];
    const settings = [
      `mode: ${QUICK ? 'quick' : 'full'}, ${ROUNDS} round(s) (median shown), ${REQUESTS} requests per run, redis-benchmark -c ${CLIENTS} -P ${PIPELINE} -r N, ${elapsed.toFixed(0)} s`,
      `server CPU = utime+stime from /proc/<pid>/stat across each run, ${CLK_TCK} ticks/s, divided by the requests sent; servers alternate per measurement`,
      'collections filled with HSET h field:i v / RPUSH l i / SADD s member:i / ZADD z i member:i (1000 elements per command, pipelined), i zero-padded to 12 digits as __rand_int__ is, so random commands hit existing elements',
      'LPUSH+LPOP: LPUSH l x n times, then LPOP l n times (size N → N+n → N); CPU of both runs / 2n',
      `SPOP+SADD: driven by this script, not redis-benchmark (${CLIENTS} connections, ${PIPELINE} SPOPs pipelined, then SADD of the ${PIPELINE} popped members), so the set stays at about N; CPU / commands sent`,
      'ZRANGE: ZRANGE z __rand_int__ __rand_int__ would be an inverted (empty) range half the time, so a fixed 11-element window at the middle is used: ZRANGE z N/2 N/2+10 (500 510 at 1k, 500000 500010 at 1M)',
      'LINDEX l __rand_int__ skipped: O(n) in Redis too',
      `redis: ${redis.commandLine}`,
      `cairn: ${cairn.commandLine}`,
      ...[...redis.notes, ...cairn.notes].map((n) => `note: ${n}`),
      ...sizeNotes,
    ];
    process.stdout.write(
      [
        `Cairn vs Redis: CPU per request at ${S} and ${B} elements · ${machineLine(machine)}`,
        '',
        textTable(table),
        '',
        ...explain,
        '',
        ...settings,
        '',
      ].join('\n'),
    );
    fs.mkdirSync(values.out, { recursive: true });
    const mdPath = path.join(values.out, `scale-side-by-side-${machine.date.slice(0, 10)}${QUICK ? '-quick' : ''}.md`);
    fs.writeFileSync(
      mdPath,
      [
        `# Cairn vs Redis: CPU per request at ${S} and ${B} elements (${QUICK ? 'quick' : 'full'})`,
        '',
        machineMarkdown(machine),
        '',
        markdownTable(table),
        '',
        ...explain,
        '',
        ...settings.map((s) => `- ${s}`),
        '',
      ].join('\n'),
    );
    log(`\nwrote ${path.relative(ROOT, mdPath)}\n`);
  } finally {
    await Promise.all([redis.stop(), cairn.stop()]);
  }
}

runMain('scale-side-by-side', main);
