// `npx tsx bench/hot-path.ts [--seconds S --rounds R --only SET,GET --pipeline 16]`
//
// The server's own cost per request with the network taken away: requests are fed to an in-process Client
// whose socket only counts bytes, so what is measured is parsing, dispatch, the command, the reply writer and
// the flush — everything Cairn adds on top of the two system calls a request costs. Pipelines of 1 and 16.
// Use it to see the effect of hot-path changes without the noise of redis-benchmark and the kernel.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { startServer } from '../src/index.js';
import { Client } from '../src/server/client.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '0.25' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    pipeline: { type: 'string' },
  },
});
const only = values.only?.toUpperCase().split(',');
const pipelines = values.pipeline ? [Number(values.pipeline)] : [1, 16];
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

function frame(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}

// A full collection before each case, so that no case pays for collecting the garbage of the one before it (the
// process's CPU time counts V8's marking threads too).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const running = await startServer({ port: 0 });
let written = 0;
const sock = {
  write(b: Buffer): boolean {
    written += b.length;
    return true;
  },
  cork(): void {},
  writableLength: 0,
  end(): void {},
  destroy(): void {},
  destroySoon(): void {},
  uncork(): void {},
  remoteAddress: '127.0.0.1',
  remotePort: 1,
  localAddress: '127.0.0.1',
  localPort: 2,
};
const client = new Client(running.server, sock as never);
running.server.addClient(client);

// Replies are flushed once every ready connection has been read (Server.deferFlush), from an immediate this
// synchronous loop would never reach: left so, replies pile up unwritten and the flush is never measured. A
// connection that has had the event loop to itself for a few turns is flushed at the end of each read instead,
// as one application connection is: a few turns alone make this client that connection.
for (let i = 0; i < 32; i++) {
  client.onData(Buffer.from(frame(['PING'])));
  await new Promise((resolve) => setImmediate(resolve));
}
if (written === 0) throw new Error('the client did not write its replies');

const cases: [string, (i: number) => string[]][] = [
  ['PING', () => ['PING']],
  ['SET', (i) => ['SET', `key:${i % 100000}`, 'xxx']],
  ['GET', (i) => ['GET', `key:${i % 100000}`]],
  ['INCR', (i) => ['INCR', `counter:${i % 100000}`]],
  ['LPUSH', (i) => ['LPUSH', `list:${i % 100}`, 'xxx']],
  ['LPOP', (i) => ['LPOP', `list:${i % 100}`]],
  ['SADD', (i) => ['SADD', `set:${i % 100}`, `m:${i % 100000}`]],
  ['HSET', (i) => ['HSET', `hash:${i % 100}`, `f:${i % 100000}`, 'xxx']],
  ['HINCRBY', (i) => ['HINCRBY', `hash:${i % 100}`, `n:${i % 100000}`, '1']],
  ['ZADD', (i) => ['ZADD', `zset:${i % 100}`, String(i % 1000), `m:${i % 100000}`]],
  ['ZPOPMIN', () => ['ZPOPMIN', 'bigzset']],
  ['MSET', (i) => ['MSET', ...Array.from({ length: 10 }, (_, j) => [`key:${(i * 10 + j) % 100000}`, 'xxx']).flat()]],
];

// ZPOPMIN pops from one sorted set filled with more members than any run pops, with scores in random order (as
// redis-benchmark's ZADD makes them): members are popped in another order than they were stored in memory. It is
// made just before its case and deleted after it: 4 million members left in the heap would make every later case
// pay for collecting a bigger heap (GET measured 1,380 instead of 750 ns that way).
function fillBigZset(): void {
  let seed = 1;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 4_000_000; i += 1000) {
    let s = '';
    for (let j = i; j < i + 1000; j++) s += frame(['ZADD', 'bigzset', String(Math.floor(rand() * 1e9)), `member:${j}`]);
    client.onData(Buffer.from(s, 'latin1'));
  }
}

for (const pipeline of pipelines) {
  console.log(`\npipeline ${pipeline}: CPU ns per request (in-process, no network)`);
  for (const [name, make] of cases) {
    if (only && !only.includes(name)) continue;
    if (name === 'ZPOPMIN') fillBigZset();
    collect();
    // Pre-built chunks, as they would arrive from the socket.
    const chunks: Buffer[] = [];
    for (let i = 0; i < 4096; i++) {
      let s = '';
      for (let j = 0; j < pipeline; j++) s += frame(make(i * pipeline + j));
      chunks.push(Buffer.from(s, 'latin1'));
    }
    const run = (ms: number): number => {
      let n = 0;
      const end = performance.now() + ms;
      while (performance.now() < end) {
        for (let k = 0; k < 256; k++) client.onData(chunks[(n + k) & 4095]!);
        n += 256;
      }
      return n;
    };
    run(300);
    // CPU time, not wall time, and the best of several rounds: less sensitive to other work on the machine.
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const c0 = process.cpuUsage();
      const n = run(seconds * 1000);
      const c1 = process.cpuUsage(c0);
      best = Math.min(best, ((c1.user + c1.system) * 1000) / (n * pipeline));
    }
    console.log(`${name.padEnd(8)} ${best.toFixed(0).padStart(6)}`);
    if (name === 'ZPOPMIN') client.onData(Buffer.from(frame(['DEL', 'bigzset'])));
  }
}
console.log(`\n(${written} reply bytes)`);
await running.close();
