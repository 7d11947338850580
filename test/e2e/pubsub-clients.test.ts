// Real clients' Pub/Sub and transactions against Cairn over TCP: ioredis (RESP2) and node-redis (RESP2 and
// RESP3) subscribers (channels, patterns, shard channels, unsubscribing, many messages in order) and
// transactions (MULTI/EXEC, runtime errors, EXECABORT, WATCH conflicts), used exactly as applications use them.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis as IORedis } from 'ioredis';
import { createClient, WatchError } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';

/** Resolves once `cond()` holds (polled), or rejects after `ms`. */
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('real clients: pub/sub and transactions', () => {
  let s: RunningServer;
  before(async () => {
    s = await startServer({ port: 0 });
  });
  after(async () => {
    await s.close();
  });

  const io = async (): Promise<IORedis> => {
    const r = new IORedis({ port: s.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    return r;
  };

  it('ioredis: subscribe, psubscribe, ssubscribe, messages in order, unsubscribe', async () => {
    const sub = await io();
    const pub = await io();
    try {
      const got: string[] = [];
      sub.on('message', (ch: string, msg: string) => got.push(`message ${ch} ${msg}`));
      sub.on('pmessage', (pat: string, ch: string, msg: string) => got.push(`pmessage ${pat} ${ch} ${msg}`));
      sub.on('smessage', (ch: string, msg: string) => got.push(`smessage ${ch} ${msg}`));
      assert.equal(await sub.subscribe('news', 'sports'), 2);
      assert.equal(await sub.psubscribe('n*'), 3);
      assert.equal(await sub.ssubscribe('orders'), 1);
      assert.equal(await sub.ping(), 'PONG');
      assert.equal(await pub.publish('news', 'n1'), 2);
      assert.equal(await pub.publish('sports', 's1'), 1);
      assert.equal(await pub.publish('nothing', 'x'), 1);
      assert.equal(await pub.publish('other', 'x'), 0);
      assert.equal(await pub.spublish('orders', 'o1'), 1);
      for (let i = 0; i < 500; i++) void pub.publish('sports', String(i));
      assert.equal(await pub.publish('sports', 'last'), 1);
      await until(() => got.length === 506, 'ioredis messages');
      assert.deepEqual(got.slice(0, 5), [
        'message news n1',
        'pmessage n* news n1',
        'message sports s1',
        'pmessage n* nothing x',
        'smessage orders o1',
      ]);
      for (let i = 0; i < 500; i++) assert.equal(got[5 + i], `message sports ${i}`);
      assert.equal(got[505], 'message sports last');
      assert.deepEqual(await pub.pubsub('NUMSUB', 'news', 'sports', 'x'), ['news', 1, 'sports', 1, 'x', 0]);
      assert.equal(await pub.pubsub('NUMPAT'), 1);
      assert.deepEqual(((await pub.pubsub('CHANNELS')) as string[]).sort(), ['news', 'sports']);
      assert.deepEqual(await pub.pubsub('SHARDCHANNELS'), ['orders']);
      await sub.unsubscribe('sports');
      // (ioredis waits forever on an argument-less PUNSUBSCRIBE / SUNSUBSCRIBE, against Redis too: name them.)
      await sub.punsubscribe('n*');
      await sub.sunsubscribe('orders');
      assert.equal(await pub.publish('sports', 'gone'), 0);
      assert.equal(await pub.publish('news', 'still'), 1);
      await sub.unsubscribe();
      // Out of subscribed mode, the connection runs ordinary commands again.
      assert.equal(await sub.set('io:after', 'ok'), 'OK');
      assert.equal(await sub.get('io:after'), 'ok');
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  it('ioredis: MULTI/EXEC, runtime errors, EXECABORT, WATCH conflicts', async () => {
    const r = await io();
    const other = await io();
    try {
      assert.deepEqual(await r.multi().set('io:t', '1').incr('io:t').get('io:t').exec(), [
        [null, 'OK'],
        [null, 2],
        [null, '2'],
      ]);
      const res = await r.multi().set('io:s', 'x').lpush('io:s', 'y').append('io:s', 'z').exec();
      assert.equal(res![0]![1], 'OK');
      assert.match(String(res![1]![0]), /WRONGTYPE/);
      assert.deepEqual(res![2], [null, 2]);
      await assert.rejects(
        r.multi().set('io:q', '1').call('NOSUCHCOMMAND').exec(),
        /EXECABORT Transaction discarded because of previous errors/,
      );
      assert.equal(await r.exists('io:q'), 0);
      // WATCH: a conflicting write makes EXEC return null; an untouched watch lets it run.
      await r.watch('io:w');
      await other.set('io:w', 'theirs');
      assert.equal(await r.multi().set('io:w', 'mine').exec(), null);
      assert.equal(await r.get('io:w'), 'theirs');
      await r.watch('io:w');
      assert.deepEqual(await r.multi().set('io:w', 'mine').exec(), [[null, 'OK']]);
      assert.equal(await r.get('io:w'), 'mine');
      // An optimistic-locking increment loop with a competing writer.
      let attempts = 0;
      for (;;) {
        attempts++;
        await r.watch('io:counter');
        const v = Number((await r.get('io:counter')) ?? '0');
        if (attempts === 1) await other.incrby('io:counter', 10);
        const out = await r
          .multi()
          .set('io:counter', String(v + 1))
          .exec();
        if (out !== null) break;
      }
      assert.equal(attempts, 2);
      assert.equal(await r.get('io:counter'), '11');
      // Many transactions in flight at once, each one whole.
      const all = await Promise.all(Array.from({ length: 50 }, () => r.multi().incr('io:p').incr('io:p').exec()));
      all.forEach((res, i) =>
        assert.deepEqual(res, [
          [null, 2 * i + 1],
          [null, 2 * i + 2],
        ]),
      );
    } finally {
      r.disconnect();
      other.disconnect();
    }
  });

  for (const RESP of [2, 3] as const) {
    it(`node-redis (RESP${RESP}): subscribe / pSubscribe / sSubscribe listeners and unsubscribing`, async () => {
      const client = createClient({ socket: { port: s.port, host: '127.0.0.1' }, RESP } as never);
      client.on('error', () => {});
      await client.connect();
      const sub = client.duplicate();
      sub.on('error', () => {});
      await sub.connect();
      try {
        const got: string[] = [];
        await sub.subscribe(['nr:news', 'nr:sports'], (msg: string, ch: string) => got.push(`c ${ch} ${msg}`));
        await sub.pSubscribe('nr:n*', (msg: string, ch: string) => got.push(`p ${ch} ${msg}`));
        await sub.sSubscribe('nr:orders', (msg: string, ch: string) => got.push(`s ${ch} ${msg}`));
        assert.equal(await client.publish('nr:news', 'hello'), 2);
        assert.equal(await client.sPublish('nr:orders', 'o1'), 1);
        for (let i = 0; i < 200; i++) void client.publish('nr:sports', String(i));
        assert.equal(await client.publish('nr:sports', 'end'), 1);
        await until(() => got.length === 204, 'node-redis messages');
        assert.deepEqual(got.slice(0, 3), ['c nr:news hello', 'p nr:news hello', 's nr:orders o1']);
        for (let i = 0; i < 200; i++) assert.equal(got[3 + i], `c nr:sports ${i}`);
        assert.deepEqual(await client.pubSubNumSub(['nr:news', 'nr:none']), { 'nr:news': 1, 'nr:none': 0 });
        assert.equal(await client.pubSubNumPat(), 1);
        await sub.unsubscribe('nr:news');
        await sub.pUnsubscribe();
        assert.equal(await client.publish('nr:news', 'gone'), 0);
        await sub.unsubscribe();
        await sub.sUnsubscribe();
        // (node-redis hands RESP2 replies on a former subscriber connection back as Buffers, with Redis too.)
        assert.equal(String(await sub.set('nr:after', 'ok')), 'OK');
      } finally {
        await sub.quit().catch(() => {});
        await client.quit().catch(() => {});
      }
    });

    it(`node-redis (RESP${RESP}): multi/exec, WATCH and WatchError`, async () => {
      const client = createClient({ socket: { port: s.port, host: '127.0.0.1' }, RESP } as never);
      client.on('error', () => {});
      await client.connect();
      const other = client.duplicate();
      other.on('error', () => {});
      await other.connect();
      try {
        await client.flushAll();
        assert.deepEqual(await client.multi().set('nr:t', '1').incr('nr:t').get('nr:t').exec(), ['OK', 2, '2']);
        await client.watch('nr:w');
        await other.set('nr:w', 'theirs');
        await assert.rejects(client.multi().set('nr:w', 'mine').exec(), WatchError);
        assert.equal(await client.get('nr:w'), 'theirs');
        await client.watch('nr:w');
        assert.deepEqual(await client.multi().set('nr:w', 'mine').exec(), ['OK']);
        assert.equal(await client.get('nr:w'), 'mine');
        // A runtime error inside EXEC comes back as that command's error; the other commands ran.
        await client.set('nr:str', 'x');
        await assert.rejects(
          client.multi().incr('nr:n').lPush('nr:str', 'y').incr('nr:n').exec(),
          (err: { replies?: unknown[] }) => {
            const replies = err.replies!;
            assert.equal(replies[0], 1);
            assert.match(String(replies[1]), /WRONGTYPE/);
            assert.equal(replies[2], 2);
            return true;
          },
        );
        assert.equal(await client.get('nr:n'), '2');
      } finally {
        await other.quit().catch(() => {});
        await client.quit().catch(() => {});
      }
    });
  }
});
