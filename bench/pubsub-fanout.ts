// `tsx bench/pubsub-fanout.ts [-- --subscribers 1,100,1000 --deliveries 2000000 --size 32 --rounds 3]`
//
// PUBLISH fan-out, side by side with Debian's redis-server in the same run: one publisher, N subscribers of one
// channel (N = 1, 100, 1,000 by default). The publisher sends PUBLISH pipelined (a window of unanswered
// requests) until M messages are out, M = deliveries / N; the clock runs from the first PUBLISH sent until
// every subscriber has received all M messages. The figure is messages delivered per second (N × M / time).
// Every message has the same size, so a subscriber counts bytes, not frames: the benchmark client stays cheap
// next to the server it measures. Also reported: PUBLISH calls per second, and the server's CPU time per
// delivered message (utime + stime from /proc around the run). Runs alternate between the servers for each
// (round, N), and which server goes first alternates by round. Results go to
// bench/results/pubsub-fanout-<date>.md and a PNG chart.

import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart, redisCairnPanel } from './lib/chart.js';
import { connectSocket, encodeCommand, RespClient } from './lib/resp.js';
import {
  cpuMeter,
  serverOrder,
  startCairn,
  startRedis,
  supportsCommand,
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

const CHANNEL = 'bench:fanout';

interface RunResult {
  /** Messages delivered per second, all subscribers together. */
  deliveredPerSec: number;
  /** PUBLISH commands per second. */
  publishPerSec: number;
  /** Server CPU microseconds per delivered message. */
  cpuUsPerDelivery: number;
}

/** A subscriber connection that counts the bytes it receives and resolves once it has `target` of them. */
class Subscriber {
  received = 0;
  private target = Infinity;
  private done: (() => void) | undefined;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received >= this.target && this.done) {
        const d = this.done;
        this.done = undefined;
        d();
      }
    });
    socket.on('error', () => {});
  }

  static async connect(port: number): Promise<Subscriber> {
    return new Subscriber(await connectSocket(port, HOST));
  }

  /** Resolves once `bytes` have arrived in total (or rejects after `ms`). */
  waitFor(bytes: number, ms: number): Promise<void> {
    if (this.received >= bytes) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`subscriber got ${this.received} of ${bytes} bytes in ${ms} ms`)),
        ms,
      );
      this.target = bytes;
      this.done = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The exact bytes of one RESP2 `message` frame for a payload of `size` bytes. */
function messageFrameLength(size: number): number {
  const bulk = (n: number): number => `$${n}\r\n`.length + n + 2;
  return '*3\r\n'.length + bulk('message'.length) + bulk(CHANNEL.length) + bulk(size);
}

function subscribeFrameLength(): number {
  return `*3\r\n$9\r\nsubscribe\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n:1\r\n`.length;
}

/** Sends `count` PUBLISH pipelined, at most `window` unanswered; resolves when every reply has arrived. */
function publishAll(socket: net.Socket, count: number, payload: string, window: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = encodeCommand(['PUBLISH', CHANNEL, payload]);
    let sent = 0;
    let answered = 0;
    let pending: Buffer = Buffer.alloc(0);
    const send = (): void => {
      const n = Math.min(count - sent, window - (sent - answered));
      if (n <= 0) return;
      const parts: Buffer[] = [];
      for (let i = 0; i < n; i++) parts.push(request);
      sent += n;
      socket.write(Buffer.concat(parts));
    };
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      // Replies are integers (":N\r\n"): count line ends.
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let pos = 0;
      for (;;) {
        const nl = pending.indexOf(10, pos);
        if (nl < 0) break;
        if (pending[pos] !== 0x3a)
          return reject(new Error(`unexpected PUBLISH reply ${pending.subarray(pos, nl).toString('latin1')}`));
        answered++;
        pos = nl + 1;
      }
      pending = pending.subarray(pos);
      if (answered === count) {
        socket.removeAllListeners('data');
        resolve();
      } else if (sent < count && sent - answered <= window / 2) {
        send();
      }
    });
    send();
  });
}

async function runOnce(
  server: RunningServer,
  subscribers: number,
  messages: number,
  size: number,
  window: number,
): Promise<RunResult> {
  const subs: Subscriber[] = [];
  const pub = await connectSocket(server.port, HOST);
  pub.setNoDelay(true);
  try {
    // Subscribe in batches, each confirmed before the next batch starts.
    const confirm = subscribeFrameLength();
    for (let i = 0; i < subscribers; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, subscribers - i) }, () => Subscriber.connect(server.port)),
      );
      for (const s of batch) s.socket.write(encodeCommand(['SUBSCRIBE', CHANNEL]));
      await Promise.all(batch.map((s) => s.waitFor(confirm, 10_000)));
      subs.push(...batch);
    }
    const payload = 'x'.repeat(size);
    const expected = confirm + messages * messageFrameLength(size);
    const cpu = cpuMeter(server.pid);
    const t0 = process.hrtime.bigint();
    const allDelivered = Promise.all(subs.map((s) => s.waitFor(expected, 600_000)));
    await publishAll(pub, messages, payload, window);
    const tPub = process.hrtime.bigint();
    await allDelivered;
    const t1 = process.hrtime.bigint();
    const cpuUs = cpu();
    const secs = Number(t1 - t0) / 1e9;
    const deliveries = subscribers * messages;
    return {
      deliveredPerSec: deliveries / secs,
      publishPerSec: messages / (Number(tPub - t0) / 1e9),
      cpuUsPerDelivery: cpuUs / deliveries,
    };
  } finally {
    pub.destroy();
    for (const s of subs) s.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      subscribers: { type: 'string', default: '1,100,1000' },
      deliveries: { type: 'string', default: '2000000' },
      size: { type: 'string', default: '32' },
      rounds: { type: 'string', default: '3' },
      window: { type: 'string', default: '256' },
      out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
    },
  });
  const counts = values.subscribers.split(',').map((x) => Number(x.trim()));
  const deliveries = Number(values.deliveries);
  const size = Number(values.size);
  const rounds = Number(values.rounds);
  const window = Number(values.window);
  for (const [name, v] of [
    ['deliveries', deliveries],
    ['size', size],
    ['rounds', rounds],
    ['window', window],
    ...counts.map((n) => ['subscribers', n] as const),
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  }
  const machine = describeMachine();
  const log = (s: string): void => void process.stderr.write(s);

  const servers: Record<ServerKind, RunningServer> = { redis: await startRedis(), cairn: await startCairn() };
  const results = new Map<string, RunResult[]>();
  const notes: string[] = [];
  try {
    const available: Record<ServerKind, boolean> = { redis: true, cairn: true };
    for (const kind of ['redis', 'cairn'] as const) {
      const c = await RespClient.connect(servers[kind].port);
      available[kind] = (await supportsCommand(c, 'publish')) && (await supportsCommand(c, 'subscribe'));
      c.close();
      if (!available[kind]) notes.push(`${kind}: PUBLISH/SUBSCRIBE not implemented`);
    }
    for (let round = 0; round < rounds; round++) {
      for (const n of counts) {
        const messages = Math.max(100, Math.round(deliveries / n));
        for (const kind of serverOrder(round)) {
          if (!available[kind]) continue;
          log(
            `round ${round + 1}/${rounds}: ${kind}, ${n} subscriber(s), ${messages.toLocaleString('en-US')} messages…`,
          );
          const r = await runOnce(servers[kind], n, messages, size, window);
          log(` ${Math.round(r.deliveredPerSec).toLocaleString('en-US')} deliveries/s\n`);
          const key = `${kind}:${n}`;
          results.set(key, [...(results.get(key) ?? []), r]);
        }
      }
    }
  } finally {
    await Promise.all([servers.redis.stop(), servers.cairn.stop()]);
  }

  const med = (kind: ServerKind, n: number, f: (r: RunResult) => number): number | null =>
    median((results.get(`${kind}:${n}`) ?? []).map(f));
  const rows: string[][] = [];
  for (const n of counts) {
    for (const kind of ['redis', 'cairn'] as const) {
      const d = med(kind, n, (r) => r.deliveredPerSec);
      rows.push([
        n.toLocaleString('en-US'),
        kind,
        Math.max(100, Math.round(deliveries / n)).toLocaleString('en-US'),
        fmt(d, 0),
        fmt(
          med(kind, n, (r) => r.publishPerSec),
          0,
        ),
        fmt(
          med(kind, n, (r) => r.cpuUsPerDelivery),
          3,
        ),
        kind === 'cairn'
          ? fmt(
              ratio(
                d,
                med('redis', n, (r) => r.deliveredPerSec),
              ),
            )
          : '',
      ]);
    }
  }
  const table: Table = {
    headers: [
      'subscribers',
      'server',
      'messages',
      'delivered msg/s',
      'PUBLISH/s',
      'server CPU µs/delivery',
      'Cairn/Redis delivered',
    ],
    rows,
    numeric: [true, false, true, true, true, true, true],
  };
  const settings = [
    `one channel, one publisher (PUBLISH pipelined, at most ${window} unanswered), ${size}-byte messages, RESP2 subscribers on separate connections`,
    `messages per run = ${deliveries.toLocaleString('en-US')} deliveries / subscribers (at least 100); time = first PUBLISH sent → last message received by every subscriber`,
    `medians over ${rounds} round(s); servers alternate within each round, the first one alternating by round; both servers run with persistence off`,
    `the benchmark client (publisher and all subscribers, one Node process) shares the machine with the server under test`,
    `Redis: ${servers.redis.commandLine}`,
    `Cairn: ${servers.cairn.commandLine}`,
    ...notes,
  ];
  process.stdout.write(
    [`PUBLISH fan-out: Cairn vs Redis · ${machineLine(machine)}`, ...settings, '', textTable(table)].join('\n') + '\n',
  );

  const outDir = path.resolve(values.out);
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = `pubsub-fanout-${machine.date.slice(0, 10)}`;
  const categories = counts.map((n) => `${n.toLocaleString('en-US')} SUB`);
  fs.writeFileSync(
    path.join(outDir, `${stamp}.png`),
    renderChart(
      [
        redisCairnPanel(
          'Messages delivered per second (higher is better)',
          categories,
          counts.map((n) => med('redis', n, (r) => r.deliveredPerSec)),
          counts.map((n) => med('cairn', n, (r) => r.deliveredPerSec)),
        ),
        redisCairnPanel(
          'Server CPU microseconds per delivered message (lower is better)',
          categories,
          counts.map((n) => med('redis', n, (r) => r.cpuUsPerDelivery)),
          counts.map((n) => med('cairn', n, (r) => r.cpuUsPerDelivery)),
        ),
      ],
      machineLine(machine),
    ),
  );
  const md = [
    '# Cairn vs Redis: PUBLISH fan-out',
    '',
    machineMarkdown(machine),
    '',
    ...settings.map((s) => `- ${s}`),
    '',
    markdownTable(table),
    '',
    `![fan-out](${stamp}.png)`,
    '',
  ];
  const mdPath = path.join(outDir, `${stamp}.md`);
  fs.writeFileSync(mdPath, md.join('\n'));
  log(`\nwrote ${path.relative(ROOT, mdPath)} and ${stamp}.png\n`);
}

runMain('bench:pubsub-fanout', main);
