// Unit tests for the reply writer (src/protocol/reply-writer.ts): the digits of integer lines, written by hand,
// must be exactly the decimal text of the number; replies are written from the client's buffer, which is kept.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  OutputBuffer,
  Resp2Writer,
  Resp3Writer,
  recycleChunks,
  formatFixed,
  formatDouble,
} from '../../src/protocol/reply-writer.js';
import { execFileSync } from 'node:child_process';
import { startServer } from '../../src/index.js';
import { fakeClient } from '../support/fake-client.js';

function integerLine(n: number): string {
  const out = new OutputBuffer(16);
  new Resp2Writer(out).integer(n);
  return out.buf.toString('latin1', 0, out.len);
}

function headerLine(type: number, n: number): string {
  const out = new OutputBuffer(16);
  out.intLine(type, n);
  return out.buf.toString('latin1', 0, out.len);
}

test('integer replies: every digit count, both signs, the int32 and safe-integer edges', () => {
  const values: number[] = [
    0,
    -0,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
  ];
  for (let p = 1; p <= 1e15; p *= 10) values.push(p - 1, p, p + 1, -p, -(p - 1), 10 * p - 1);
  for (const n of values) assert.equal(integerLine(n), `:${n === 0 ? 0 : n}\r\n`, String(n));
});

test('integer replies: random safe integers', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), (n) => integerLine(n) === `:${n}\r\n`),
    { numRuns: 20_000 },
  );
  fc.assert(
    fc.property(fc.integer({ min: -1e6, max: 1e6 }), (n) => integerLine(n) === `:${n}\r\n`),
    { numRuns: 20_000 },
  );
});

test('integral doubles (scores) are written as formatDouble prints them, in RESP2 and RESP3, and as bulk integers', () => {
  const values: number[] = [0, -0, 1, -1, 9, 10, -10, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e17, 1.5, -2.25, 1e300];
  for (let p = 1; p <= 1e15; p *= 10) values.push(p - 1, p, p + 1, -p, -(p - 1), 10 * p - 1);
  values.push(...fc.sample(fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }), 500));
  for (const x of values) {
    const text = formatDouble(x);
    const o2 = new OutputBuffer(16);
    new Resp2Writer(o2).double(x);
    assert.equal(o2.buf.toString('latin1', 0, o2.len), `$${text.length}\r\n${text}\r\n`, String(x));
    assert.equal(o2.total, o2.len);
    const o3 = new OutputBuffer(16);
    new Resp3Writer(o3).double(x);
    assert.equal(o3.buf.toString('latin1', 0, o3.len), `,${text}\r\n`, String(x));
    if (Number.isSafeInteger(x)) {
      const ob = new OutputBuffer(16);
      new Resp2Writer(ob).bulkInteger(x);
      const t = String(x);
      assert.equal(ob.buf.toString('latin1', 0, ob.len), `$${t.length}\r\n${t}\r\n`, String(x));
    }
  }
});

test('header lines carry their type byte and count', () => {
  assert.equal(headerLine(0x2a, 3), '*3\r\n');
  assert.equal(headerLine(0x24, 65536), '$65536\r\n');
  assert.equal(headerLine(0x2a, 1234567890), '*1234567890\r\n');
});

test('a reply that fits the buffer is handed out as a view of it, and the buffer is kept once written', () => {
  const out = new OutputBuffer(1024);
  const w = new Resp2Writer(out);
  const element = 'e'.repeat(100);
  w.array(500); // 54 KB: within one 64 KB chunk
  for (let i = 0; i < 500; i++) w.bulk(element);
  const buf = out.buf;
  const v = out.view();
  assert.ok(v !== undefined);
  assert.equal(v.length, '*500\r\n'.length + 500 * (element.length + 8));
  assert.equal(v.buffer, buf.buffer, 'a view, not a copy');
  assert.equal(v.toString('latin1', 0, 12), '*500\r\n$100\r\n');
  out.release();
  assert.equal(out.buf, buf, 'a buffer up to 128 KB is reused');
  assert.equal(out.len, 0);

  // A reply past 64 KB goes on in fresh 64 KB chunks instead of a buffer that doubles (copying what it holds).
  for (let i = 0; i < 4; i++) w.bulk(String(i).repeat(60_000));
  assert.equal(out.view(), undefined, 'queued chunks: no single view');
  const parts = out.take();
  assert.ok(parts.length >= 2, `${parts.length} parts`);
  assert.ok(
    parts.every((b) => b.buffer.byteLength <= 256 * 1024),
    'no buffer grows far past the chunk size',
  );
  const joined = Buffer.concat(parts).toString('latin1');
  assert.equal(joined, [0, 1, 2, 3].map((i) => `$60000\r\n${String(i).repeat(60_000)}\r\n`).join(''));
  out.release();
  assert.ok(out.buf.length <= 128 * 1024);

  // A view the consumer keeps (a socket that could not take it all) leaves the buffer to it.
  w.bulk(element);
  const kept = out.buf;
  out.view();
  out.disown();
  assert.notEqual(out.buf, kept);
});

test('a client writes big replies from its buffer and keeps it when the socket takes them at once', async () => {
  const running = await startServer({ port: 0 });
  try {
    let written = 0;
    const client = fakeClient(running.server, (b) => (written += b.length));
    const frame = (argv: string[]): string =>
      `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
    client.onData(Buffer.from(frame(['RPUSH', 'l', ...Array.from({ length: 600 }, (_, i) => `v${i}`)]), 'latin1'));
    client.flush();
    // Eight LRANGEs of 600 elements: about 40 KB of replies in one write.
    const batch = Buffer.from(frame(['LRANGE', 'l', '0', '-1']).repeat(8), 'latin1');
    client.onData(batch);
    client.flush();
    const buf = client.out.buf;
    assert.ok(written > 40_000, String(written));
    for (let i = 0; i < 5; i++) {
      client.onData(batch);
      client.flush();
      assert.equal(client.out.buf, buf, 'the same buffer serves every batch');
    }
  } finally {
    await running.close();
  }
});

test('the chunks of a big reply come back to the pool once written, and the next big reply reuses them', () => {
  const out = new OutputBuffer(1024);
  const w = new Resp2Writer(out);
  const element = 'v'.repeat(1000);
  const big = (): Buffer[] => {
    w.array(600);
    for (let i = 0; i < 600; i++) w.bulk(element);
    assert.equal(out.view(), undefined);
    return out.take();
  };
  const first = big();
  assert.equal(Buffer.concat(first).length, '*600\r\n'.length + 600 * (element.length + 9));
  recycleChunks(first);
  const second = big();
  const firstMemory = new Set(first.map((b) => b.buffer));
  const reused = second.filter((b) => firstMemory.has(b.buffer)).length;
  assert.ok(reused >= second.length - 2, `${reused} of ${second.length} chunks reused`);
  assert.ok(Buffer.concat(second).equals(Buffer.concat(first)));
});

test('formatFixed prints as C\'s printf("%.Nf"): halfway values go to the even digit', () => {
  // Values m / 2^k have short exact decimal expansions, so printf reads the same double from their text.
  const rand = fc.sample(fc.tuple(fc.integer({ min: -100000, max: 100000 }), fc.integer({ min: 0, max: 12 })), {
    numRuns: 400,
    seed: 7,
  });
  const values = [0.125, 0.375, -0.125, 2.5, 3.5, 0.5, 1.5, -2.5, 0.0625, 1.125, 12.5, 7 / 8, 99.995, 6.865, 1023.995];
  for (const [m, k] of rand) values.push(m / 2 ** k);
  for (const digits of [0, 1, 2, 3, 6]) {
    const c = execFileSync('/usr/bin/printf', [`%.${digits}f\\n`, ...values.map((v) => v.toPrecision(21))])
      .toString()
      .split('\n');
    values.forEach((v, i) => assert.equal(formatFixed(v, digits), c[i], `${v} to ${digits} places`));
  }
  // toFixed rounds such ties away from zero.
  assert.equal((0.125).toFixed(2), '0.13');
  assert.equal(formatFixed(0.125, 2), '0.12');
});
