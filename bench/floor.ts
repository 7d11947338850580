// `npx tsx bench/floor.ts [--rounds 3] [--scale 1]`
//
// How far from the floor is Cairn? Three servers side by side under redis-benchmark, in rotating order every
// run: Debian's redis-server, Cairn, and the floor (bench/lib/floor-server.ts: a minimal Node.js RESP server with
// plain Maps and one write per read, nothing else). Server CPU time per request (utime+stime from /proc, all
// threads) is the figure, as in `npm run bench`. Cairn/floor is what Cairn's own code costs on top of Node;
// floor/Redis is what Node itself costs against C on this machine.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { answersPing, cpuTicks, freePort, startCairn, startRedis, CLK_TCK, HOST, ROOT } from './lib/servers.js';
import {
  describeMachine,
  fmt,
  geomean,
  machineMarkdown,
  markdownTable,
  median,
  textTable,
  runMain,
} from './lib/report.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, scale: { type: 'string', default: '1' } },
});
const ROUNDS = Number(values.rounds);
const SCALE = Number(values.scale);

const TESTS = ['set', 'get', 'incr', 'lpush', 'lpop', 'sadd', 'hset', 'mset'];
const CONFIGS = [
  { label: '-c 50 -P 1', args: ['-c', '50', '-P', '1'], requests: 100_000 },
  { label: '-c 50 -P 16', args: ['-c', '50', '-P', '16'], requests: 800_000 },
];
type Kind = 'redis' | 'floor' | 'cairn';
const KINDS: Kind[] = ['redis', 'floor', 'cairn'];

async function startFloor(): Promise<{ port: number; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'lib', 'floor-server.ts'), String(port)],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 200 && !(await answersPing(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return { port, pid: child.pid!, stop: () => child.kill() };
}

/** CPU µs per request of one redis-benchmark run against the server. */
function measure(port: number, pid: number, test: string, args: string[], requests: number): number {
  const n = test === 'mset' ? requests / 2 : requests;
  const t0 = cpuTicks(pid);
  const r = spawnSync(
    'redis-benchmark',
    ['-h', HOST, '-p', String(port), '-q', '-r', '100000', '-n', String(n), ...args, '-t', test],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  return (((cpuTicks(pid) - t0) / CLK_TCK) * 1e6) / n;
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const redis = await startRedis();
  const cairn = await startCairn();
  const floor = await startFloor();
  const servers: Record<Kind, { port: number; pid: number }> = { redis, cairn, floor };
  const samples = new Map<string, number[]>();
  try {
    let turn = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CONFIGS) {
        for (const t of TESTS) {
          const order = KINDS.map((_, i) => KINDS[(i + turn) % KINDS.length]!);
          turn++;
          for (const k of order) {
            const us = measure(servers[k].port, servers[k].pid, t, c.args, Math.round(c.requests * SCALE));
            const key = `${c.label}|${t}|${k}`;
            samples.set(key, [...(samples.get(key) ?? []), us]);
          }
        }
        process.stderr.write(`round ${round + 1}/${ROUNDS} ${c.label} done\n`);
      }
    }
  } finally {
    floor.stop();
    await Promise.all([redis.stop(), cairn.stop()]);
  }
  const md: string[] = [
    '# Cairn, the floor and Redis: server CPU per request',
    '',
    machineMarkdown(machine),
    `- ${ROUNDS} round(s), medians; -r 100000, -d 3; servers in rotating order; \`npx tsx bench/floor.ts\``,
    '- floor: bench/lib/floor-server.ts (a minimal Node.js RESP server: Maps, one write per read, nothing else)',
    '',
  ];
  for (const c of CONFIGS) {
    const rows: string[][] = [];
    const ratios: Record<string, number[]> = { fr: [], cr: [], cf: [] };
    for (const t of TESTS) {
      const m = (k: Kind): number => median(samples.get(`${c.label}|${t}|${k}`) ?? [])!;
      const [r, f, ca] = [m('redis'), m('floor'), m('cairn')];
      ratios.fr!.push(f / r);
      ratios.cr!.push(ca / r);
      ratios.cf!.push(ca / f);
      rows.push([t.toUpperCase(), fmt(r), fmt(f), fmt(ca), fmt(f / r), fmt(ca / r), fmt(ca / f)]);
    }
    rows.push(['geomean', '', '', '', fmt(geomean(ratios.fr!)), fmt(geomean(ratios.cr!)), fmt(geomean(ratios.cf!))]);
    const table = {
      headers: ['command', 'Redis µs', 'floor µs', 'Cairn µs', 'floor/Redis', 'Cairn/Redis', 'Cairn/floor'],
      numeric: [false, true, true, true, true, true, true],
      rows,
    };
    process.stdout.write(`\nredis-benchmark ${c.label}\n${textTable(table)}\n`);
    md.push(`## \`${c.label}\``, '', markdownTable(table), '');
  }
  const out = path.join(ROOT, 'bench', 'results', `floor-${machine.date.slice(0, 10)}.md`);
  fs.writeFileSync(out, md.join('\n'));
  process.stdout.write(`\nwritten: ${path.relative(ROOT, out)}\n`);
}

runMain('floor', main);
