// The shared decimal texts of small integers (src/types/int-texts.ts) read exactly as String(n) does, at the
// bounds of the shared range and past them, and the same text comes back for the same number.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intText, SHARED_INT_TEXTS } from '../../src/types/int-texts.js';
import { startServer } from '../../src/index.js';
import { fakeClient } from '../support/fake-client.js';

test('intText reads as String(n) inside and outside the shared range', () => {
  for (let n = 0; n < SHARED_INT_TEXTS; n++) assert.equal(intText(n), String(n));
  for (const n of [-1, -9999, SHARED_INT_TEXTS, SHARED_INT_TEXTS + 1, 2 ** 53 - 1, -(2 ** 53 - 1)])
    assert.equal(intText(n), String(n));
  assert.equal(intText(0), '0');
  assert.equal(intText(-0), '0');
  assert.equal(intText(9999), '9999');
  assert.equal(intText(10000), '10000');
});

test('a counter read back after increments through the shared range and past it', async () => {
  const running = await startServer({ port: 0 });
  try {
    let out = '';
    const c = fakeClient(running.server, (b) => (out += b.toString('latin1')));
    const send = (...argv: string[]): void => {
      let s = `*${argv.length}\r\n`;
      for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
      c.onData(Buffer.from(s, 'latin1'));
      c.flush();
    };
    send('SET', 'n', '9998');
    send('INCR', 'n');
    send('INCR', 'n');
    send('GET', 'n');
    send('DECRBY', 'n', '10001');
    send('GET', 'n');
    send('INCRBY', 'n', '3');
    send('GET', 'n');
    assert.equal(out, '+OK\r\n:9999\r\n:10000\r\n$5\r\n10000\r\n:-1\r\n$2\r\n-1\r\n:2\r\n$1\r\n2\r\n');
  } finally {
    await running.close();
  }
});
