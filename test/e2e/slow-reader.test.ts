// A client that stops reading while its replies keep coming: once the kernel's socket buffers are full, replies
// wait in libuv (src/server/direct-write.ts holds them) or in Cairn's output buffer. When the client reads again
// every reply must arrive whole and in order.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { startServer, type RunningServer } from '../../src/index.js';
import { readsDirectly } from '../../src/server/direct-read.js';

const KEYS = 100;
const VALUE_LEN = 1000;
const REQUESTS = 30000;
const BATCH = 10;

function valueOf(k: number): string {
  return (String(k).padStart(3, '0') + ':').repeat(VALUE_LEN / 4).slice(0, VALUE_LEN);
}

function command(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

describe('slow readers', () => {
  let s: RunningServer;
  before(async () => {
    s = await startServer({ port: 0 });
  });
  after(async () => {
    await s.close();
  });

  it('replies held while the client does not read arrive whole and in order', async () => {
    const sock = net.connect(s.port, '127.0.0.1');
    await once(sock, 'connect');
    let setup = '';
    for (let k = 0; k < KEYS; k++) setup += command('SET', `k${k}`, valueOf(k));
    sock.write(setup);
    // Stop reading: 30 MB of replies follow, far more than the socket buffers hold.
    sock.pause();
    for (let i = 0; i < REQUESTS; i += BATCH) {
      let batch = '';
      for (let j = i; j < i + BATCH; j++) batch += command('GET', `k${j % KEYS}`);
      if (!sock.write(batch)) await once(sock, 'drain');
      // Let the server run its loop between batches, so replies leave in many small writes.
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 300));
    const expected: Buffer[] = [];
    for (let k = 0; k < KEYS; k++) expected.push(Buffer.from('+OK\r\n'));
    for (let i = 0; i < REQUESTS; i++) {
      const v = valueOf(i % KEYS);
      expected.push(Buffer.from(`$${v.length}\r\n${v}\r\n`));
    }
    const want = Buffer.concat(expected);
    const got: Buffer[] = [];
    let have = 0;
    sock.on('data', (d: Buffer) => {
      got.push(d);
      have += d.length;
      if (have >= want.length) sock.end();
    });
    sock.resume();
    await once(sock, 'close');
    const all = Buffer.concat(got);
    assert.equal(all.length, want.length);
    // Compared in slices, so a failure names the first reply that differs.
    for (let off = 0; off < want.length; off += 4096) {
      const a = all.subarray(off, off + 4096);
      const b = want.subarray(off, off + 4096);
      if (!a.equals(b)) assert.fail(`replies differ in bytes ${off}…${off + 4096}`);
    }
  });

  it("reads skip Node's read handler, and a client's end of stream or reset still closes its connection", async () => {
    const before = s.server.clients.size;
    for (const how of ['end', 'reset'] as const) {
      const sock = net.connect(s.port, '127.0.0.1');
      await once(sock, 'connect');
      sock.write(command('SET', 'direct', how) + command('GET', 'direct'));
      let got = '';
      while (!got.includes(`$${how.length}\r\n${how}\r\n`)) got += String((await once(sock, 'data'))[0]);
      assert.equal(got, `+OK\r\n$${how.length}\r\n${how}\r\n`);
      const mine = [...s.server.clients.values()].filter((c) => c.sock !== null && readsDirectly(c.sock));
      assert.equal(mine.length, before + 1, 'the new connection reads directly');
      if (how === 'end') sock.end();
      else sock.resetAndDestroy();
      for (let i = 0; i < 200 && s.server.clients.size > before; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(s.server.clients.size, before, `the server closed the connection after its ${how}`);
    }
  });
});
