// `npx tsx bench/floor.ts [--rounds 3] [--scale 1] [--max-steal 4] [--retakes 3]`
//
// How far from the floor is Cairn? Four servers side by side under redis-benchmark, in rotating order every
// run: Debian's redis-server, Cairn, the floor (bench/lib/floor-server.ts: a minimal Node.js RESP server with
// plain Maps and one write per read, nothing else) and the I/O floor (bench/lib/io-floor-server.ts: Cairn's own
// socket layer answering every request "+PONG" without parsing it, run with Cairn's node flags). Server CPU time
// per request (utime+stime from /proc, all threads) is the figure, as in `npm run bench`. I/O floor/Redis is the
// least any Node.js server can cost against C on this machine; Cairn/I/O floor is what all of Cairn's work on a
// request (parsing, dispatch, the command, the reply) adds to it. A run during which the hypervisor took more than
// --max-steal % of the machine is taken again, as in `npm run bench` (StealFilter).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  answersPing,
  cpuTicks,
  freePort,
  startCairn,
  startRedis,
  stealMeter,
  StealFilter,
  CLK_TCK,
  HOST,
  ROOT,
} from './lib/servers.js';
import {
  describeMachine,
  fmt,
  geomean,
  machineMarkdown,
  markdownTable,
  median,
  textTable,
  runMain,
  resultStamp,
} from './lib/report.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
    'max-steal': { type: 'string', default: '4' },
    retakes: { type: 'string', default: '3' },
  },
});
const ROUNDS = Number(values.rounds);
const SCALE = Number(values.scale);
const STEAL = new StealFilter(Number(values['max-steal']), Number(values.retakes));

const TESTS = ['set', 'get', 'incr', 'lpush', 'lpop', 'sadd', 'hset', 'mset'];
const CONFIGS = [
  { label: '-c 50 -P 1', args: ['-c', '50', '-P', '1'], requests: 100_000 },
  { label: '-c 50 -P 16', args: ['-c', '50', '-P', '16'], requests: 800_000 },
];
type Kind = 'redis' | 'io' | 'floor' | 'cairn';
const KINDS: Kind[] = ['redis', 'io', 'floor', 'cairn'];

/** Cairn's node flags, as `npm start` and the benchmarks run it (CAIRN_NODE_FLAGS overrides them there too). */
const CAIRN_FLAGS = (process.env.CAIRN_NODE_FLAGS ?? '--max-semi-space-size=2 --no-parallel-scavenge')
  .split(' ')
  .filter((f) => f !== '');

async function startFloor(file: string, flags: string[]): Promise<{ port: number; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...flags, '--import', 'tsx', path.join(ROOT, 'bench', 'lib', file), String(port)],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 200 && !(await answersPing(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return { port, pid: child.pid!, stop: () => child.kill() };
}

/** CPU µs per request of one redis-benchmark run against the server, and the steal share during it. */
function measure(
  port: number,
  pid: number,
  test: string,
  args: string[],
  requests: number,
): { us: number; steal: number | null } {
  const n = test === 'mset' ? requests / 2 : requests;
  const steal = stealMeter();
  const t0 = cpuTicks(pid);
  const r = spawnSync(
    'redis-benchmark',
    ['-h', HOST, '-p', String(port), '-q', '-r', '100000', '-n', String(n), ...args, '-t', test],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  return { us: (((cpuTicks(pid) - t0) / CLK_TCK) * 1e6) / n, steal: steal() };
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const redis = await startRedis();
  const cairn = await startCairn();
  const floor = await startFloor('floor-server.ts', []);
  const io = await startFloor('io-floor-server.ts', CAIRN_FLAGS);
  const servers: Record<Kind, { port: number; pid: number }> = { redis, cairn, floor, io };
  const samples = new Map<string, number[]>();
  try {
    let turn = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CONFIGS) {
        for (const t of TESTS) {
          const order = KINDS.map((_, i) => KINDS[(i + turn) % KINDS.length]!);
          turn++;
          for (const k of order) {
            const { us } = await STEAL.sample(
              () => measure(servers[k].port, servers[k].pid, t, c.args, Math.round(c.requests * SCALE)),
              (m) => m.steal,
              (pct) => process.stderr.write(`${c.label} ${t} ${k}: steal ${pct.toFixed(1)}%, again\n`),
            );
            const key = `${c.label}|${t}|${k}`;
            samples.set(key, [...(samples.get(key) ?? []), us]);
          }
        }
        process.stderr.write(`round ${round + 1}/${ROUNDS} ${c.label} done\n`);
      }
    }
  } finally {
    floor.stop();
    io.stop();
    await Promise.all([redis.stop(), cairn.stop()]);
  }
  const md: string[] = [
    '# Cairn, the floors and Redis: server CPU per request',
    '',
    machineMarkdown(machine),
    `- ${ROUNDS} round(s), medians; -r 100000, -d 3; servers in rotating order; \`npx tsx bench/floor.ts\``,
    '- floor: bench/lib/floor-server.ts (a minimal Node.js RESP server: Maps, one write per read, nothing else)',
    `- I/O floor: bench/lib/io-floor-server.ts (Cairn's socket layer answering every request "+PONG" unparsed; node ${CAIRN_FLAGS.join(' ')})`,
    `- ${STEAL.note()}`,
    '',
  ];
  for (const c of CONFIGS) {
    const rows: string[][] = [];
    const ratios: Record<string, number[]> = { ir: [], fr: [], cr: [], cf: [], ci: [] };
    for (const t of TESTS) {
      const m = (k: Kind): number => median(samples.get(`${c.label}|${t}|${k}`) ?? [])!;
      const [r, io, f, ca] = [m('redis'), m('io'), m('floor'), m('cairn')];
      ratios.ir!.push(io / r);
      ratios.fr!.push(f / r);
      ratios.cr!.push(ca / r);
      ratios.cf!.push(ca / f);
      ratios.ci!.push(ca / io);
      rows.push([
        t.toUpperCase(),
        fmt(r),
        fmt(io),
        fmt(f),
        fmt(ca),
        fmt(io / r),
        fmt(f / r),
        fmt(ca / r),
        fmt(ca / f),
        fmt(ca / io),
      ]);
    }
    rows.push(['geomean', '', '', '', '', ...['ir', 'fr', 'cr', 'cf', 'ci'].map((k) => fmt(geomean(ratios[k]!)))]);
    const table = {
      headers: [
        'command',
        'Redis µs',
        'I/O floor µs',
        'floor µs',
        'Cairn µs',
        'I/O floor/Redis',
        'floor/Redis',
        'Cairn/Redis',
        'Cairn/floor',
        'Cairn/I/O floor',
      ],
      numeric: [false, true, true, true, true, true, true, true, true, true],
      rows,
    };
    process.stdout.write(`\nredis-benchmark ${c.label}\n${textTable(table)}\n`);
    md.push(`## \`${c.label}\``, '', markdownTable(table), '');
  }
  const dir = path.join(ROOT, 'bench', 'results');
  const out = path.join(dir, `${resultStamp(dir, 'floor', machine.date)}.md`);
  fs.writeFileSync(out, md.join('\n'));
  process.stdout.write(`\nwritten: ${path.relative(ROOT, out)}\n`);
}

runMain('floor', main);
