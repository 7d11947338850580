// `tsx bench/idle-connections.ts [-- --connections 10000 --pings 20000 --rounds 1]` (npm run bench:connections)
//
// Many idle connections, side by side with Debian's redis-server: each server is started with
// `--maxclients <connections + 100>`, then `connections` clients connect, each sends one PING (so the server has
// set the connection up completely) and then stays idle. One more client then sends `pings` PINGs one at a
// time (each waits for its reply), and the figures are the round-trip time's p50/p99/max, next to the same
// measurement taken before the idle connections were opened, and the server's RSS (VmRSS) before and with the
// idle connections. The servers run one after the other, so this process never holds more than one set of
// sockets (ulimit -n must exceed `connections` by a little). Results go to bench/results/idle-connections-<date>.md.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RespClient } from './lib/resp.js';
import { startCairn, startRedis, rssBytes, info, serverOrder, HOST, ROOT, type RunningServer } from './lib/servers.js';
import {
  describeMachine,
  fmt,
  fmtBytes,
  machineLine,
  machineMarkdown,
  markdownTable,
  textTable,
} from './lib/report.js';

const { values: opts } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    pings: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '1' },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  },
});
const CONNECTIONS = Number(opts.connections);
const PINGS = Number(opts.pings);
const ROUNDS = Number(opts.rounds);

/** How each server was started, for the report. */
const started: string[] = [];

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Latency {
  p50: number;
  p99: number;
  max: number;
}

interface RunResult {
  kind: string;
  idle: number;
  rssEmpty: number;
  rssIdle: number;
  before: Latency;
  during: Latency;
  connectedClients: number;
  openMs: number;
}

/** `n` sequential PINGs on one connection: round-trip times in milliseconds. */
async function pingLatency(port: number, n: number): Promise<Latency> {
  const c = await RespClient.connect(port);
  for (let i = 0; i < 1000; i++) await c.call(['PING']); // warm-up
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = await c.call(['PING']);
    t[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r !== 'PONG') throw new Error(`PING answered ${JSON.stringify(r)}`);
  }
  c.close();
  t.sort();
  const at = (q: number): number => t[Math.min(n - 1, Math.floor(q * n))]!;
  return { p50: at(0.5), p99: at(0.99), max: t[n - 1]! };
}

/** One idle connection: connected, one PING answered, then nothing. */
function openIdle(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: HOST });
    let got = '';
    const fail = (e: Error): void => reject(e);
    s.once('error', fail);
    s.once('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got === '+PONG\r\n') {
        s.off('error', fail);
        s.on('error', () => {});
        resolve(s);
      } else if (got.length >= 7) reject(new Error(`idle connection got ${JSON.stringify(got)}`));
    });
  });
}

async function openMany(port: number, n: number): Promise<net.Socket[]> {
  const out: net.Socket[] = [];
  const parallel = 200;
  for (let i = 0; i < n; i += parallel) {
    const batch = await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, () => openIdle(port)));
    out.push(...batch);
  }
  return out;
}

async function runOne(kind: 'redis' | 'cairn', round0: boolean): Promise<RunResult> {
  const extra = ['--maxclients', String(CONNECTIONS + 100)];
  const server: RunningServer = kind === 'redis' ? await startRedis({ extra }) : await startCairn({ extra });
  for (const n of server.notes) console.log(`note (${kind}): ${n}`);
  if (round0) {
    console.log(`${kind}: ${server.commandLine}`);
    started.push(`- ${kind}: \`${server.commandLine}\``, ...server.notes.map((n) => `  (${n})`));
  }
  try {
    await delay(500);
    const before = await pingLatency(server.port, PINGS);
    await delay(300);
    const rssEmpty = rssBytes(server.pid);
    const t0 = Date.now();
    const idle = await openMany(server.port, CONNECTIONS);
    const openMs = Date.now() - t0;
    await delay(1500);
    const admin = await RespClient.connect(server.port);
    const connectedClients = Number((await info(admin, 'clients')).get('connected_clients') ?? 0);
    admin.close();
    const during = await pingLatency(server.port, PINGS);
    const rssIdle = rssBytes(server.pid);
    for (const s of idle) s.destroy();
    return { kind, idle: idle.length, rssEmpty, rssIdle, before, during, connectedClients, openMs };
  } finally {
    await server.stop();
  }
}

function ms(x: number): string {
  return fmt(x, 3);
}

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(machineLine(machine));
  console.log(`${CONNECTIONS} idle connections, ${PINGS} PINGs, ${ROUNDS} round(s)\n`);
  const results: RunResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of serverOrder(round)) {
      const r = await runOne(kind, round === 0);
      console.log(
        `round ${round + 1} ${kind}: ${r.idle} idle (connected_clients ${r.connectedClients}, opened in ${r.openMs} ms), ` +
          `PING p99 ${ms(r.during.p99)} ms, RSS ${fmtBytes(r.rssIdle)}`,
      );
      results.push(r);
    }
  }
  const rows = results.map((r) => [
    r.kind === 'redis' ? 'redis-server' : 'Cairn',
    String(r.idle),
    fmtBytes(r.rssEmpty),
    fmtBytes(r.rssIdle),
    fmt((r.rssIdle - r.rssEmpty) / r.idle / 1024, 1),
    ms(r.before.p50),
    ms(r.before.p99),
    ms(r.during.p50),
    ms(r.during.p99),
    ms(r.during.max),
  ]);
  const table = {
    headers: [
      'server',
      'idle conns',
      'RSS empty',
      'RSS with idle',
      'KiB / conn',
      'PING p50 (0 idle)',
      'p99 (0 idle)',
      'PING p50 (idle)',
      'p99 (idle)',
      'max (idle)',
    ],
    rows,
    numeric: [false, true, true, true, true, true, true, true, true, true],
  };
  console.log('\n' + textTable(table) + '\n(latencies in ms)');
  const date = machine.date.slice(0, 10);
  fs.mkdirSync(opts.out, { recursive: true });
  const file = path.join(opts.out, `idle-connections-${date}.md`);
  const md = [
    `# Idle connections: ${CONNECTIONS} idle clients, PING latency and memory`,
    '',
    machineMarkdown(machine),
    '',
    `Each server started with \`--maxclients ${CONNECTIONS + 100}\`; ${CONNECTIONS} clients connect, each sends one ` +
      `PING and then stays idle; one more client sends ${PINGS} PINGs one at a time (round trip, ms). ` +
      '"0 idle" is the same measurement before the idle clients connect. RSS is VmRSS of the server process. ' +
      `Command: \`npm run bench:connections -- --connections ${CONNECTIONS} --pings ${PINGS} --rounds ${ROUNDS}\`.`,
    '',
    ...started,
    '',
    markdownTable(table),
    '',
  ].join('\n');
  fs.writeFileSync(file, md);
  console.log(`\nwrote ${path.relative(ROOT, file)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
