// CLIENT PAUSE / UNPAUSE and CLIENT UNBLOCK against real Redis 7.0.15, with several concurrent connections:
// which commands a WRITE or ALL pause holds, that held clients see nothing until the pause ends, that they then
// resume in the order they were held, and CLIENT UNBLOCK's TIMEOUT and ERROR. Transcripts per connection must be
// byte-identical (test/support/multi-conn.ts). (Redis 7.0.15 crashes on CLIENT UNBLOCK of a paused client, so
// that case is not compared.)

import { test, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RawConnection } from '../support/resp.js';
import { startServer } from '../../src/index.js';
import { useRedisAndCairn } from '../support/duo.js';
import { MultiConn, multiConnScenario } from '../support/multi-conn.js';

const ports = useRedisAndCairn();

const scenario = (fn: (m: MultiConn) => Promise<void>): Promise<void> =>
  multiConnScenario(ports(), fn, (m) => m.step('admin', ['CLIENT', 'UNPAUSE']));

const blockedView = (text: string): string => /blocked_clients:\d+/.exec(text)?.[0] ?? text;
const infoView = (text: string): string =>
  (/flags=\S+/.exec(text)?.[0] ?? text) + ' ' + (/cmd=\S+/.exec(text)?.[0] ?? '');

test('argument errors', async () => {
  await scenario(async (m) => {
    for (const args of [
      ['CLIENT', 'PAUSE'],
      ['CLIENT', 'PAUSE', 'x'],
      ['CLIENT', 'PAUSE', 'x', 'foo'],
      ['CLIENT', 'PAUSE', '10', 'foo'],
      ['CLIENT', 'PAUSE', '-1'],
      ['CLIENT', 'PAUSE', '1.5'],
      ['CLIENT', 'PAUSE', '99999999999999999999'],
      ['CLIENT', 'PAUSE', '1', 'WRITE', 'x'],
      ['CLIENT', 'UNPAUSE', 'x'],
      ['CLIENT', 'UNPAUSE'],
      ['CLIENT', 'UNBLOCK'],
      ['CLIENT', 'UNBLOCK', 'x'],
      ['CLIENT', 'UNBLOCK', 'x', 'foo'],
      ['CLIENT', 'UNBLOCK', '1', 'foo'],
      ['CLIENT', 'UNBLOCK', '999999'],
      ['CLIENT', 'UNBLOCK', '-1', 'ERROR'],
      ['CLIENT', 'UNBLOCK', '$id:admin'],
      ['CLIENT', 'UNBLOCK', '1', 'TIMEOUT', 'x'],
      ['CLIENT', 'PAUSE', '0'],
      ['CLIENT', 'PAUSE', '0', 'write'],
    ]) {
      await m.step('admin', args);
    }
  });
});

test('WRITE: reads pass, writes and may-replicate commands wait, then resume in order', async () => {
  await scenario(async (m) => {
    await m.open('r', 3);
    await m.open('w1');
    await m.open('w2');
    await m.open('x');
    await m.open('p');
    await m.step('w1', ['SET', 'k', 'v']);
    await m.step('x', ['MULTI']);
    await m.step('x', ['RPUSH', 'q', 'queued-before']);
    await m.step('admin', ['CLIENT', 'PAUSE', '100000', 'WRITE']);
    await m.step('r', ['GET', 'k']);
    await m.step('r', ['MGET', 'k', 'q']);
    await m.step('r', ['PING']);
    await m.step('r', ['CLIENT', 'ID']);
    await m.step('r', ['INFO', 'clients'], '', blockedView);
    m.hold('w1');
    await m.wait('w1', ['RPUSH', 'q', 'w1']);
    m.hold('w2');
    await m.wait('w2', ['RPUSH', 'q', 'w2']);
    await m.wait('w1', ['GET', 'k'], 50);
    m.hold('p');
    await m.wait('p', ['PUBLISH', 'ch', 'msg']);
    m.hold('x');
    await m.wait('x', ['EXEC']);
    await m.step('r', ['LRANGE', 'q', '0', '-1']);
    await m.step('r', ['INFO', 'clients'], 'held clients count as blocked', blockedView);
    await m.step('admin', ['CLIENT', 'LIST', 'ID', '$id:w1'], '', infoView);
    await m.step('admin', ['CLIENT', 'LIST', 'ID', '$id:x'], '', infoView);
    await m.step('admin', ['CLIENT', 'PAUSE', '10', 'WRITE'], 'a shorter pause keeps the later end');
    await m.settle(100);
    await m.step('r', ['LRANGE', 'q', '0', '-1'], 'still paused');
    await m.wait('admin', ['CLIENT', 'UNPAUSE']);
    for (const n of ['w1', 'w2', 'p', 'x']) m.release(n);
    await m.settle(50, 'everyone resumed');
    await m.step('r', ['LRANGE', 'q', '0', '-1'], 'in the order they were held');
    await m.step('r', ['INFO', 'clients'], '', blockedView);
  });
});

test('WRITE: MULTI queueing of a write waits; read-only EXEC passes', async () => {
  await scenario(async (m) => {
    await m.open('a');
    await m.open('b');
    await m.step('a', ['MULTI']);
    await m.step('a', ['GET', 'k']);
    await m.step('admin', ['CLIENT', 'PAUSE', '100000', 'WRITE']);
    await m.step('a', ['EXEC'], 'only reads: runs');
    await m.step('b', ['MULTI']);
    m.hold('b');
    await m.wait('b', ['SET', 'k', '1'], 100);
    await m.wait('b', ['GET', 'k'], 50);
    await m.wait('admin', ['CLIENT', 'UNPAUSE']);
    m.release('b');
    await m.wait('b', null, 50);
    await m.step('b', ['EXEC']);
  });
});

test('ALL: everything waits, even CLIENT UNPAUSE; the pause ends by itself', async () => {
  await scenario(async (m) => {
    await m.open('a', 3);
    await m.open('b');
    await m.step('a', ['SET', 'k', '1']);
    m.hold('admin');
    m.hold('a');
    m.hold('b');
    // Long enough that a loaded machine cannot let the pause run out while the held commands are being sent.
    await m.wait('admin', ['CLIENT', 'PAUSE', '2500', 'ALL'], 50);
    await m.wait('a', ['GET', 'k'], 30);
    await m.wait('b', ['PING'], 30);
    await m.wait('b', ['CLIENT', 'UNPAUSE'], 30);
    await m.wait('a', ['INCR', 'k'], 30);
    await m.wait('admin', null, 3500);
    for (const n of ['admin', 'a', 'b']) m.release(n);
    await m.step('a', ['GET', 'k']);
    await m.step('admin', ['CLIENT', 'PAUSE', '1500', 'WRITE']);
    m.hold('admin');
    await m.wait('admin', ['CLIENT', 'PAUSE', '10', 'ALL'], 100);
    m.hold('b');
    await m.wait('b', ['GET', 'k'], 50);
    await m.wait('b', null, 100);
    await m.wait('b', null, 1600);
    m.release('admin');
    m.release('b');
    await m.settle(50);
  });
});

test('UNBLOCK: TIMEOUT and ERROR replies, and the unblocked client carries on', async () => {
  await scenario(async (m) => {
    await m.open('b', 3);
    await m.open('b2');
    await m.open('w');
    m.hold('b');
    await m.wait('b', ['BLPOP', 'q', '0'], 50);
    await m.wait('b', ['PING'], 20);
    await m.step('w', ['CLIENT', 'UNBLOCK', '$id:b']);
    m.release('b');
    await m.wait('b', null, 50);
    await m.step('w', ['CLIENT', 'UNBLOCK', '$id:b'], 'no longer blocked');
    m.hold('b2');
    await m.wait('b2', ['BZPOPMIN', 'z', '0'], 50);
    await m.step('w', ['CLIENT', 'UNBLOCK', '$id:b2', 'ERROR']);
    m.release('b2');
    await m.wait('b2', null, 50);
    m.hold('b2');
    await m.wait('b2', ['BLMOVE', 'q', 'r', 'LEFT', 'RIGHT', '0'], 50);
    await m.step('w', ['CLIENT', 'UNBLOCK', '$id:b2', 'timeout']);
    m.release('b2');
    await m.wait('b2', null, 50);
    await m.step('w', ['CLIENT', 'UNBLOCK', '$id:w']);
  });
});

describe('expiry while paused', () => {
  it('an expired key reads as missing but is not removed until the pause ends (as Redis 7.0)', async () => {
    const s = await startServer({ port: 0 });
    try {
      const c = await RawConnection.connect(s.port);
      const db = s.server.keyspace.dbs[0]!;
      assert.equal((await c.call(['SET', 'k', 'v', 'PX', '50'])).toString(), '+OK\r\n');
      assert.equal((await c.call(['CLIENT', 'PAUSE', '2000', 'WRITE'])).toString(), '+OK\r\n');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await c.call(['GET', 'k'])).toString(), '$-1\r\n');
      assert.equal((await c.call(['EXISTS', 'k'])).toString(), ':0\r\n');
      assert.equal(db.dict.has('k'), true, 'the expired key must stay while paused');
      assert.equal((await c.call(['CLIENT', 'UNPAUSE'])).toString(), '+OK\r\n');
      assert.equal((await c.call(['GET', 'k'])).toString(), '$-1\r\n');
      assert.equal(db.dict.has('k'), false, 'the key goes once the pause is over');
      await c.close();
    } finally {
      await s.close();
    }
  });
});
