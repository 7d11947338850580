// How a connection the server closes goes away: after a protocol error, QUIT or CLIENT KILL, Redis closes the
// descriptor, so a peer that keeps sending meets a reset. Redis's own suite checks this (protocol.tcl, "Protocol
// desync regression test": it writes until a write fails). Compared with real Redis 7.0.15.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { onBothServers, sharedPair } from '../support/servers.js';

const getPair = sharedPair();

interface Outcome {
  /** The first line the server sent. */
  reply: string;
  /** Whether a write failed (the server's side is gone) within the time allowed. */
  writeFailed: boolean;
}

/**
 * Sends `first`, then keeps writing `more` every few milliseconds until a write fails or `ms` pass; returns the
 * first reply line and whether a write failed.
 */
function sendUntilRefused(port: number, first: string, more: string, ms = 3000): Promise<Outcome> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let got = '';
    let done = false;
    const finish = (writeFailed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(pump);
      sock.destroy();
      resolve({ reply: got.split('\r\n')[0]!, writeFailed });
    };
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('error', () => finish(true));
    sock.write(first);
    const pump = setInterval(() => {
      if (!sock.destroyed) sock.write(more);
    }, 5);
    const timer = setTimeout(() => finish(false), ms);
  });
}

function connected(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(sock));
    sock.once('error', reject);
  });
}

/** Writes `bytes` and resolves with the first line that comes back. */
function ask(sock: net.Socket, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    const onData = (d: Buffer): void => {
      s += d.toString('latin1');
      const end = s.indexOf('\r\n');
      if (end < 0) return;
      sock.off('data', onData);
      resolve(s.slice(0, end));
    };
    sock.on('data', onData);
    sock.write(bytes);
  });
}

describe('a closed connection is closed both ways (differential)', () => {
  const chunk = 'payload'.repeat(2000);
  const cases: [string, string, string][] = [
    ['too big inline request', '\x00', chunk],
    ['too big mbulk count string', '*\x00', chunk],
    ['inline request starting with $', '$\x00', chunk],
    ['too big bulk count string', '*1\r\n$\x00', chunk],
    ['invalid multibulk length', '*x\r\n', 'PING\r\n'],
    ['QUIT', 'QUIT\r\n', 'PING\r\n'],
  ];
  for (const [name, first, more] of cases) {
    it(name, async () => {
      const [redis, cairn] = await onBothServers(await getPair(), (port) => sendUntilRefused(port, first, more));
      assert.equal(redis.writeFailed, true, 'Redis refuses further writes');
      assert.deepEqual(cairn, redis);
    });
  }

  it('CLIENT KILL', async () => {
    const [redis, cairn] = await onBothServers(await getPair(), async (port) => {
      const victim = await connected(port);
      const id = (await ask(victim, 'CLIENT ID\r\n')).slice(1);
      let failed = false;
      victim.on('error', () => (failed = true));
      const killer = await connected(port);
      const killed = await ask(killer, `CLIENT KILL ID ${id}\r\n`);
      for (let i = 0; i < 300 && !failed; i++) {
        if (!victim.destroyed) victim.write('PING\r\n');
        await new Promise((r) => setTimeout(r, 10));
      }
      victim.destroy();
      killer.destroy();
      return { killed, failed };
    });
    assert.deepEqual(redis, { killed: ':1', failed: true });
    assert.deepEqual(cairn, redis);
  });
});
