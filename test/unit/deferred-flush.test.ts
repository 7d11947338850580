// When replies are written (src/server/server.ts, deferFlush): at the end of the event loop's turn, together for
// every client served in it; at once for a client that has had the server to itself for a while.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';
import type { Client } from '../../src/server/client.js';
import { fakeClient } from '../support/fake-client.js';
import type { Server } from '../../src/server/server.js';

const PING = Buffer.from('*1\r\n$4\r\nPING\r\n', 'latin1');

/** A client whose socket records each write as text. */
function recordingClient(server: Server): { client: Client; writes: string[] } {
  const writes: string[] = [];
  return { client: fakeClient(server, (b) => writes.push(b.toString('latin1'))), writes };
}

/** The end of the current turn: immediates queued before this one have run. */
const endOfTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('a lone client gets its replies at once after 16 turns; a second client brings the deferred flush back', async () => {
  const running = await startServer({ port: 0 });
  try {
    const a = recordingClient(running.server);
    for (let turn = 1; turn <= 16; turn++) {
      a.client.onData(PING);
      assert.equal(a.writes.length, turn - 1, `turn ${turn}: the reply waits for the end of the turn`);
      await endOfTurn();
      assert.equal(a.writes.length, turn);
    }
    a.client.onData(PING);
    assert.equal(a.writes.length, 17, 'alone for 16 turns: written during the read');
    a.client.onData(PING);
    assert.equal(a.writes.length, 18);

    const b = recordingClient(running.server);
    b.client.onData(PING);
    assert.equal(b.writes.length, 0, "the second client's reply waits");
    a.client.onData(PING);
    assert.equal(a.writes.length, 18, "and so does the first client's, once another client is served");
    await endOfTurn();
    assert.deepEqual(b.writes, ['+PONG\r\n']);
    assert.equal(a.writes.length, 19);
    assert.ok(a.writes.every((w) => w === '+PONG\r\n'));

    // Both clients in each turn: neither is alone, so replies keep waiting for the end of the turn.
    for (let turn = 0; turn < 20; turn++) {
      a.client.onData(PING);
      b.client.onData(PING);
      assert.equal(a.writes.length, 19 + turn);
      assert.equal(b.writes.length, 1 + turn);
      await endOfTurn();
    }
    // After the lone client closes, a new client starts counting from zero.
    const c = recordingClient(running.server);
    for (let turn = 0; turn < 16; turn++) {
      c.client.onData(PING);
      await endOfTurn();
    }
    c.client.onData(PING);
    assert.equal(c.writes.length, 17);
    running.server.closeClient(c.client);
    const d = recordingClient(running.server);
    d.client.onData(PING);
    assert.equal(d.writes.length, 0);
    await endOfTurn();
    assert.deepEqual(d.writes, ['+PONG\r\n']);
  } finally {
    await running.close();
  }
});
