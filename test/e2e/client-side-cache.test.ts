// Client-side caching with real clients against Cairn over TCP: node-redis's own client-side cache (RESP3,
// `clientSideCache`), which turns CLIENT TRACKING on and drops entries when invalidation pushes arrive, and its
// `emitInvalidate` events. (RESP2 redirection to `__redis__:invalidate` is covered by test/compat/tracking.test.ts.)

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, BasicClientSideCache } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('real clients: client-side caching', () => {
  let s: RunningServer;
  before(async () => {
    s = await startServer({ port: 0 });
  });
  after(async () => {
    await s.close();
  });

  it('node-redis clientSideCache: hits, invalidation by other writers and by itself, FLUSHALL', async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
    const cached = createClient({ socket: { port: s.port, host: '127.0.0.1' }, RESP: 3, clientSideCache: cache });
    const writer = createClient({ socket: { port: s.port, host: '127.0.0.1' } });
    await cached.connect();
    await writer.connect();
    try {
      const info = await cached.sendCommand(['CLIENT', 'TRACKINGINFO']);
      assert.ok(JSON.stringify(info).includes('on'), 'tracking is on');
      await writer.set('k', 'v1');
      assert.equal(await cached.get('k'), 'v1');
      assert.equal(await cached.get('k'), 'v1');
      assert.equal(cache.stats().hitCount, 1);
      assert.equal(cache.size(), 1);

      await writer.set('k', 'v2');
      await until(() => cache.size() === 0, 'the invalidation of k');
      assert.equal(await cached.get('k'), 'v2');
      assert.equal(await cached.get('k'), 'v2');
      assert.equal(cache.stats().hitCount, 2);

      await writer.hSet('h', 'f', 'a');
      assert.equal(await cached.hGet('h', 'f'), 'a');
      await cached.hSet('h', 'f', 'b');
      await until(() => !cache.has(JSON.stringify(['HGET', 'h', 'f'])) && cache.size() <= 1, 'the invalidation of h');
      assert.equal(await cached.hGet('h', 'f'), 'b');

      await writer.set('e', 'x', { PX: 50 });
      assert.equal(await cached.get('e'), 'x');
      const before = cache.size();
      await until(() => cache.size() < before, 'the invalidation of an expired key');

      assert.equal(await cached.get('k'), 'v2');
      await writer.flushAll();
      await until(() => cache.size() === 0, 'FLUSHALL clearing the cache');
      assert.equal(await cached.get('k'), null);
    } finally {
      await cached.close();
      await writer.close();
    }
  });

  it('node-redis emitInvalidate: invalidate events for tracked keys and a null for FLUSHDB', async () => {
    const tracked = createClient({ socket: { port: s.port, host: '127.0.0.1' }, RESP: 3, emitInvalidate: true });
    const writer = createClient({ socket: { port: s.port, host: '127.0.0.1' } });
    const got: unknown[] = [];
    tracked.on('invalidate', (key: unknown) => got.push(key === null ? null : String(key)));
    await tracked.connect();
    await writer.connect();
    try {
      await writer.mSet({ a: '1', b: '2' });
      assert.deepEqual(await tracked.mGet(['a', 'b']), ['1', '2']);
      await writer.set('a', '3');
      await until(() => got.length === 1, 'one invalidation');
      assert.deepEqual(got, ['a']);
      await writer.flushDb();
      await until(() => got.length === 2, 'the flush invalidation');
      assert.equal(got[1], null);
    } finally {
      await tracked.close();
      await writer.close();
    }
  });
});
