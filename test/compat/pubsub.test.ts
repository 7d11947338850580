// Pub/Sub against real Redis 7.0.15 with several concurrent connections, RESP2 and RESP3: every logical connection
// is opened to both servers and sent the same requests in the same order; replies and the message streams each
// subscriber receives must be byte-identical. A subscriber's stream is read up to a PING barrier, so every
// message published before the barrier is compared, in order.
//
// Redis leaves a few orders to its hash tables (random per process): the pattern messages one publication gives
// a client subscribed to several matching patterns, the argument-less (P|S)UNSUBSCRIBE, PUBSUB CHANNELS. Those
// are compared as multisets (the unsubscribe counts as a sequence).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatReply, type RespValue } from '../support/resp.js';
import { Duo, DuoPool, pollBoth, useRedisAndCairn } from '../support/duo.js';

const ports = useRedisAndCairn();

/** Polls PUBSUB NUMSUB on a control connection until both servers report `n` subscribers of `channel`. */
async function waitNumsub(ctl: Duo, channel: string, n: number): Promise<void> {
  await pollBoth(
    ctl,
    ['PUBSUB', 'NUMSUB', channel],
    (v) => (v as RespValue[])[1] === n,
    () => `NUMSUB ${channel} never reached ${n}`,
  );
}

for (const resp of [2, 3] as const) {
  describe(`pub/sub with several connections (RESP${resp})`, () => {
    const pool = new DuoPool(ports, resp);
    const conn = (name: string): Promise<Duo> => pool.open(name);
    const closeAll = (): Promise<void> => pool.closeAll();

    test('a publisher and several subscribers: channels, patterns, overlaps, binary and large messages', async () => {
      try {
        const pub = await conn('P');
        const s1 = await conn('S1');
        const s2 = await conn('S2');
        const s3 = await conn('S3');
        const s4 = await conn('S4');
        await s1.callFrames(['SUBSCRIBE', 'news', 'sports'], 2);
        await s2.callFrames(['SUBSCRIBE', 'news'], 1);
        await s3.callFrames(['PSUBSCRIBE', 'n*', 's?orts'], 2);
        await s4.callFrames(['SUBSCRIBE', 'news', 'n\x00\xff'], 2);
        await s4.callFrames(['PSUBSCRIBE', 'new[sx]'], 1);
        const big = 'x'.repeat(100_000);
        const messages: [string, string][] = [
          ['news', 'hello'],
          ['sports', 'goal'],
          ['nope', 'x'],
          ['newx', 'y'],
          ['n\x00\xff', 'bin\r\n\x00\xff'],
          ['news', ''],
          ['spurts', 'pattern only'],
          ['news', big],
          ['', 'empty channel'],
          ['NEWS', 'case matters'],
        ];
        for (let round = 0; round < 3; round++) {
          for (const [ch, msg] of messages) await pub.callFrames(['PUBLISH', ch, `${msg}${round}`]);
        }
        for (const s of [s1, s2, s3, s4]) await s.sync();
        await s1.callFrames(['UNSUBSCRIBE', 'news'], 1);
        await s3.callFrames(['PUNSUBSCRIBE', 'n*', 'zz*'], 2);
        for (const [ch, msg] of messages) await pub.callFrames(['PUBLISH', ch, msg]);
        for (const s of [s1, s2, s3, s4]) await s.sync();
        // Pipelined publications arrive in publish order.
        const batch: string[] = [];
        for (let i = 0; i < 200; i++)
          batch.push(`*3\r\n$7\r\nPUBLISH\r\n$4\r\nnews\r\n$${String(i).length}\r\n${i}\r\n`);
        pub.sendRaw(batch.join(''));
        await pub.expectFrames('200 pipelined PUBLISH', 200);
        for (const s of [s1, s2, s3, s4]) await s.sync();
        for (const s of [s1, s2, s3, s4]) await s.quiet(50);
      } finally {
        await closeAll();
      }
    });

    test('one client reached through several patterns and a channel', async () => {
      try {
        const pub = await conn('P');
        const s = await conn('S');
        await s.callFrames(['PSUBSCRIBE', 'a*', '*b', 'ab', 'a?', '[a-c]b', '\\*b'], 6);
        await s.callFrames(['SUBSCRIBE', 'ab'], 1);
        for (const ch of ['ab', 'aab', '*b', 'a', 'cb', 'zz']) {
          await pub.callFrames(['PUBLISH', ch, 'm']);
          await s.sync('unordered');
        }
      } finally {
        await closeAll();
      }
    });

    test('SUBSCRIBE / UNSUBSCRIBE / PSUBSCRIBE / PUNSUBSCRIBE forms, counts and null replies', async () => {
      try {
        const s = await conn('S');
        await s.callFrames(['UNSUBSCRIBE'], 1);
        await s.callFrames(['PUNSUBSCRIBE'], 1);
        await s.callFrames(['SUNSUBSCRIBE'], 1);
        await s.callFrames(['UNSUBSCRIBE', 'x', 'y'], 2);
        await s.callFrames(['PUNSUBSCRIBE', 'x*'], 1);
        await s.callFrames(['SUBSCRIBE', 'c1', 'c2', 'c1'], 3);
        await s.callFrames(['PSUBSCRIBE', 'p1', 'p2', 'p1'], 3);
        await s.callFrames(['UNSUBSCRIBE', 'c1', 'nope', 'c1'], 3);
        await s.callFrames(['SUBSCRIBE', 'c3', 'c4', 'c5'], 3);
        await s.callFrames(['UNSUBSCRIBE'], 4, 'unsubscribe-all');
        await s.callFrames(['UNSUBSCRIBE'], 1);
        await s.callFrames(['PUNSUBSCRIBE'], 2, 'unsubscribe-all');
        await s.callFrames(['PUNSUBSCRIBE'], 1);
        await s.callFrames(['SUBSCRIBE', 'again'], 1);
        await s.callFrames(['PUNSUBSCRIBE'], 1);
        await s.callFrames(['SUBSCRIBE'], 1);
        await s.callFrames(['PSUBSCRIBE'], 1);
        await s.callFrames(['SSUBSCRIBE'], 1);
        await s.callFrames(['UNSUBSCRIBE', 'again'], 1);
        await s.callFrames(['GET', 'x'], 1);
      } finally {
        await closeAll();
      }
    });

    test('PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP and errors', async () => {
      try {
        const ctl = await conn('ctl');
        const a = await conn('A');
        const b = await conn('B');
        const check = async (): Promise<void> => {
          await ctl.callFrames(['PUBSUB', 'CHANNELS'], 1, 'elements');
          await ctl.callFrames(['PUBSUB', 'CHANNELS', 'c*'], 1, 'elements');
          await ctl.callFrames(['PUBSUB', 'CHANNELS', '[ab]?'], 1, 'elements');
          await ctl.callFrames(['PUBSUB', 'NUMSUB', 'c1', 'c2', 'zz', 'c1', 'p*']);
          await ctl.callFrames(['PUBSUB', 'NUMPAT']);
          await ctl.callFrames(['PUBSUB', 'SHARDCHANNELS'], 1, 'elements');
          await ctl.callFrames(['PUBSUB', 'SHARDCHANNELS', 's?'], 1, 'elements');
          await ctl.callFrames(['PUBSUB', 'SHARDNUMSUB', 's1', 's2', 'c1']);
        };
        await check();
        await a.callFrames(['SUBSCRIBE', 'c1', 'c2', 'ab'], 3);
        await b.callFrames(['SUBSCRIBE', 'c1'], 1);
        await a.callFrames(['PSUBSCRIBE', 'p*', 'q*'], 2);
        await b.callFrames(['PSUBSCRIBE', 'p*'], 1);
        await a.callFrames(['SSUBSCRIBE', 's1', 's2'], 2);
        await b.callFrames(['SSUBSCRIBE', 's1'], 1);
        await check();
        await b.callFrames(['UNSUBSCRIBE', 'c1'], 1);
        await b.callFrames(['PUNSUBSCRIBE', 'p*'], 1);
        await check();
        for (const args of [
          ['PUBSUB', 'NUMSUB'],
          ['PUBSUB', 'SHARDNUMSUB'],
          ['PUBSUB', 'HELP'],
          ['PUBSUB', 'help'],
          ['PUBSUB', 'CHANNELS', 'x', 'y'],
          ['PUBSUB', 'channels', 'x', 'y'],
          ['pubsub', 'SHARDCHANNELS', 'x', 'y'],
          ['PUBSUB', 'NUMPAT', 'x'],
          ['PUBSUB', 'HELP', 'x'],
          ['PUBSUB', 'nosuch'],
          ['PUBSUB'],
          ['PUBLISH', 'x'],
          ['PUBLISH', 'x', 'y', 'z'],
          ['SPUBLISH', 'x'],
        ]) {
          await ctl.callFrames(args);
        }
      } finally {
        await closeAll();
      }
    });

    test('subscribed mode: which commands run while subscribed', async () => {
      try {
        const ctl = await conn('ctl');
        const s = await conn('S');
        await ctl.callFrames(['SET', 'k', 'v']);
        await s.callFrames(['SUBSCRIBE', 'ch'], 1);
        await s.callFrames(['GET', 'k']);
        await s.callFrames(['SET', 'k', 'w']);
        await s.callFrames(['CLIENT', 'SETNAME', 'sub']);
        await s.callFrames(['CLIENT', 'NOSUCH']);
        await s.callFrames(['NOSUCHCMD', 'a']);
        await s.callFrames(['GET']);
        await s.callFrames(['PING']);
        await s.callFrames(['PING', 'hello']);
        await s.callFrames(['PING', 'a', 'b']);
        await s.callFrames(['SELECT', '1']);
        if (resp === 2) await s.callFrames(['HELLO', '2']);
        await s.callFrames(['MULTI']);
        await s.callFrames(['EXEC']);
        await s.callFrames(['DISCARD']);
        // Publishing to oneself (RESP3 only: in RESP2 PUBLISH is refused).
        await s.callFrames(['PUBLISH', 'ch', 'self'], resp === 3 ? 2 : 1);
        await s.callFrames(['SSUBSCRIBE', 'sh'], 1);
        await s.callFrames(['UNSUBSCRIBE'], 1);
        await s.callFrames(['GET', 'k']);
        await s.callFrames(['SUNSUBSCRIBE'], 1);
        await s.callFrames(['GET', 'k']);
        await s.callFrames(['PSUBSCRIBE', 'x*'], 1);
        await s.callFrames(['DEL', 'k']);
        await s.callFrames(['QUIT']);
        const [r, c] = await Promise.all([s.redis.readUntilClosed(), s.cairn.readUntilClosed()]);
        assert.equal(formatReply(c), formatReply(r));
        await waitNumsub(ctl, 'ch', 0);
        await ctl.callFrames(['PUBSUB', 'NUMPAT']);
      } finally {
        await closeAll();
      }
    });

    test('shard channels: SSUBSCRIBE / SPUBLISH / SUNSUBSCRIBE, separate from channels and patterns', async () => {
      try {
        const pub = await conn('P');
        const s = await conn('S');
        const t = await conn('T');
        await s.callFrames(['SSUBSCRIBE', 'orders', 'users', 'orders'], 3);
        await t.callFrames(['PSUBSCRIBE', '*'], 1);
        await t.callFrames(['SUBSCRIBE', 'orders'], 1);
        await t.callFrames(['SSUBSCRIBE', 'users'], 1);
        await pub.callFrames(['SPUBLISH', 'orders', 'o1']);
        await pub.callFrames(['SPUBLISH', 'users', 'u1']);
        await pub.callFrames(['PUBLISH', 'orders', 'p1']);
        await pub.callFrames(['SPUBLISH', 'nobody', 'x']);
        await s.sync();
        await t.sync();
        await s.callFrames(['SUNSUBSCRIBE', 'users', 'nope'], 2);
        await t.callFrames(['SUNSUBSCRIBE'], 1);
        await t.callFrames(['SUNSUBSCRIBE'], 1);
        await pub.callFrames(['SPUBLISH', 'users', 'u2']);
        await pub.callFrames(['SPUBLISH', 'orders', 'o2']);
        await s.sync();
        await t.sync();
        await s.callFrames(['SUBSCRIBE', 'c'], 1);
        await s.callFrames(['SUNSUBSCRIBE'], 1);
        await s.callFrames(['GET', 'k']);
        await s.callFrames(['UNSUBSCRIBE'], 1);
        await s.callFrames(['GET', 'k']);
      } finally {
        await closeAll();
      }
    });

    test('RESET and disconnecting drop every subscription silently', async () => {
      try {
        const ctl = await conn('ctl');
        const pub = await conn('P');
        const a = await conn('A');
        const b = await conn('B');
        await a.callFrames(['SUBSCRIBE', 'ch'], 1);
        await a.callFrames(['PSUBSCRIBE', 'c*'], 1);
        await a.callFrames(['SSUBSCRIBE', 'sh'], 1);
        await b.callFrames(['SUBSCRIBE', 'ch'], 1);
        await b.callFrames(['PSUBSCRIBE', 'c*'], 1);
        await pub.callFrames(['PUBLISH', 'ch', 'one']);
        await a.sync();
        await a.callFrames(['RESET']);
        await a.callFrames(['GET', 'k']);
        await ctl.callFrames(['PUBSUB', 'NUMSUB', 'ch']);
        await ctl.callFrames(['PUBSUB', 'SHARDNUMSUB', 'sh']);
        await ctl.callFrames(['PUBSUB', 'NUMPAT']);
        await pub.callFrames(['PUBLISH', 'ch', 'two']);
        await a.quiet(50);
        await b.close();
        pool.forget(b);
        await waitNumsub(ctl, 'ch', 0);
        await ctl.callFrames(['PUBSUB', 'NUMPAT']);
        await pub.callFrames(['PUBLISH', 'ch', 'three']);
      } finally {
        await closeAll();
      }
    });

    test('SUBSCRIBE, PUBLISH and MONITOR inside MULTI', async () => {
      try {
        const a = await conn('A');
        await a.callFrames(['MULTI']);
        await a.callFrames(['SUBSCRIBE', 'm1', 'm2']);
        await a.callFrames(['PUBLISH', 'm1', 'hello']);
        await a.callFrames(['PSUBSCRIBE', 'm*']);
        await a.callFrames(['PUBLISH', 'm2', 'again']);
        await a.callFrames(['MONITOR']);
        await a.callFrames(['PING']);
        // EXEC's reply (with the pushes written inside it, as Redis writes them) is compared as one byte stream.
        a.send(['EXEC']);
        await a.sync();
        await a.callFrames(['PING']);
        await a.callFrames(['MULTI']);
        await a.callFrames(['EXEC']);
      } finally {
        await closeAll();
      }
    });

    test('push frames reach a client whose replies are off or skipped', async () => {
      try {
        const pub = await conn('P');
        const s = await conn('S');
        s.send(['CLIENT', 'REPLY', 'OFF']);
        await s.callFrames(['SUBSCRIBE', 'a', 'b'], 2);
        await pub.callFrames(['PUBLISH', 'a', 'while off']);
        await s.expectFrames('message while replies are off');
        if (resp === 3) {
          s.send(['PUBLISH', 'b', 'to self']);
          await s.expectFrames('own message while replies are off');
          s.send(['GET', 'x']);
          await s.callFrames(['CLIENT', 'REPLY', 'ON']);
          s.send(['CLIENT', 'REPLY', 'SKIP']);
          await s.callFrames(['PUBLISH', 'a', 'skipped'], 1);
          await s.callFrames(['PING']);
        } else {
          await s.callFrames(['UNSUBSCRIBE'], 2, 'unsubscribe-all');
        }
        await s.quiet(50);
      } finally {
        await closeAll();
      }
    });

    test('random subscription and publication sequences (fast-check)', async () => {
      const names = ['a', 'b', 'ab', 'ba'];
      const patterns = ['a*', '*b', '?', '[ab]a', '*'];
      const client = fc.integer({ min: 0, max: 2 });
      const op = fc.oneof(
        fc.record({
          k: fc.constant('SUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }),
        }),
        fc.record({
          k: fc.constant('UNSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('PSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...patterns), { minLength: 1, maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('PUNSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...patterns), { maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('SSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('SUNSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('PUBLISH'),
          c: fc.constant(-1),
          args: fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 4 })),
        }),
        fc.record({
          k: fc.constant('SPUBLISH'),
          c: fc.constant(-1),
          args: fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 4 })),
        }),
        fc.record({ k: fc.constant('RESET'), c: client, args: fc.constant([] as string[]) }),
      );
      const ctl = await Duo.open('ctl', ports(), resp);
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
            const subs = [
              await Duo.open('S0', ports(), resp),
              await Duo.open('S1', ports(), resp),
              await Duo.open('S2', ports(), resp),
            ];
            const pub = await Duo.open('P', ports(), resp);
            try {
              for (const o of ops) {
                const args = [o.k, ...o.args];
                if (o.c < 0) {
                  await pub.callFrames(args);
                  for (const s of subs) await s.sync('unordered');
                  continue;
                }
                const s = subs[o.c]!;
                s.send(args);
                const all = o.args.length === 0 && o.k !== 'RESET';
                await s.sync(all ? 'unsubscribe-all' : 'ordered');
              }
              await ctl.callFrames(['PUBSUB', 'NUMPAT']);
              await ctl.callFrames(['PUBSUB', 'NUMSUB', ...names]);
              await ctl.callFrames(['PUBSUB', 'SHARDNUMSUB', ...names]);
            } finally {
              for (const d of [...subs, pub]) await d.close();
              for (const n of names) await waitNumsub(ctl, n, 0);
            }
          }),
          { numRuns: 15 },
        );
      } finally {
        await ctl.close();
      }
    });
  });
}
