// Unit tests for the reply writer's integer lines (src/protocol/reply-writer.ts): the digits it writes by hand
// must be exactly the decimal text of the number, for every length and sign.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OutputBuffer, Resp2Writer } from '../../src/protocol/reply-writer.js';

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

test('header lines carry their type byte and count', () => {
  assert.equal(headerLine(0x2a, 3), '*3\r\n');
  assert.equal(headerLine(0x24, 65536), '$65536\r\n');
  assert.equal(headerLine(0x2a, 1234567890), '*1234567890\r\n');
});
