// Transactions against real Redis 7.0.15, RESP2 and RESP3: MULTI / EXEC / DISCARD / WATCH / UNWATCH on one
// connection (queued-command errors and EXECABORT, runtime errors that do not roll back, refused EXEC), and with
// several concurrent connections: a watcher and writers touching the watched keys in every way the keyspace can
// change (writes, deletes, expiry, RENAME, MOVE, FLUSHDB/FLUSHALL, SWAPDB, another client's EXEC), a MONITOR
// watching a transaction, and random watcher/writer sequences (fast-check). Plus in-process checks that one EXEC
// is one effects unit (one MULTI … EXEC wrapper, nothing for a read-only EXEC).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer } from '../../src/index.js';
import type { Effect } from '../../src/persistence/effects.js';
import { compareScripts, type Script } from '../support/differential.js';
import { formatReply } from '../support/resp.js';
import { Duo, useRedisAndCairn } from '../support/duo.js';

const ports = useRedisAndCairn({ 'enable-debug-command': 'yes' });

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pair = () => ({ redis: { port: ports().redis }, cairn: { port: ports().cairn } });

const scripts: Script[] = [
  // The basics: queued replies, EXEC's array, DISCARD, and their errors outside MULTI.
  [
    ['MULTI'],
    ['SET', 'a', '1'],
    ['INCR', 'a'],
    ['GET', 'a'],
    ['EXEC'],
    ['EXEC'],
    ['DISCARD'],
    ['MULTI'],
    ['SET', 'a', 'discarded'],
    ['DISCARD'],
    ['GET', 'a'],
    ['MULTI'],
    ['EXEC'],
  ],
  // Runtime errors inside EXEC do not roll back; queued-command errors abort the whole transaction.
  [
    ['MULTI'],
    ['SET', 'a', 'x'],
    ['LPUSH', 'a', 'y'],
    ['INCR', 'a'],
    ['APPEND', 'a', 'z'],
    ['GET', 'a'],
    ['EXEC'],
    ['MULTI'],
    ['SET', 'b', '1'],
    ['SET', 'b'],
    ['NOSUCHCOMMAND', 'x'],
    ['CLIENT', 'NOSUCH'],
    ['GET', 'b'],
    ['EXEC'],
    ['GET', 'b'],
    ['MULTI'],
    ['SAVE'],
    ['SET', 'c', '1'],
    ['EXEC'],
    ['EXISTS', 'c'],
  ],
  // MULTI nesting, WATCH inside MULTI (errors that do not doom the transaction), EXEC / DISCARD with arguments.
  [
    ['MULTI'],
    ['MULTI'],
    ['WATCH', 'a'],
    ['SET', 'a', '1'],
    ['EXEC'],
    ['MULTI'],
    ['WATCH'],
    ['EXEC'],
    ['MULTI'],
    ['EXEC', 'extra'],
    ['EXEC'],
    ['EXEC', 'extra'],
    ['DISCARD', 'extra'],
    ['MULTI', 'extra'],
    ['UNWATCH', 'extra'],
    ['MULTI'],
    ['DISCARD', 'extra'],
    ['PING'],
    ['EXEC'],
  ],
  // SELECT, blocking commands (never block inside EXEC), UNWATCH queued, PING and ECHO inside EXEC.
  [
    ['MULTI'],
    ['SELECT', '1'],
    ['SET', 'k', 'in-db-1'],
    ['BLPOP', 'nolist', '0'],
    ['BLMOVE', 'nolist', 'other', 'LEFT', 'RIGHT', '0'],
    ['BZPOPMIN', 'nozset', '0'],
    ['UNWATCH'],
    ['PING'],
    ['ECHO', 'e'],
    ['EXEC'],
    ['GET', 'k'],
    ['SELECT', '0'],
    ['GET', 'k'],
    ['RPUSH', 'l', 'a', 'b'],
    ['MULTI'],
    ['BLPOP', 'l', '0'],
    ['BRPOP', 'l', '0'],
    ['BLPOP', 'l', '0'],
    ['EXEC'],
  ],
  // WATCH on one connection: own writes, UNWATCH, DISCARD, EXEC all clear the watches.
  [
    ['WATCH', 'a', 'b', 'a'],
    ['SET', 'a', '1'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['WATCH', 'a'],
    ['UNWATCH'],
    ['SET', 'a', '2'],
    ['MULTI'],
    ['GET', 'a'],
    ['EXEC'],
    ['WATCH', 'a'],
    ['MULTI'],
    ['DISCARD'],
    ['SET', 'a', '3'],
    ['MULTI'],
    ['GET', 'a'],
    ['EXEC'],
    ['WATCH', 'a'],
    ['MULTI'],
    ['SET', 'a', '4'],
    ['EXEC'],
    ['MULTI'],
    ['GET', 'a'],
    ['EXEC'],
    ['WATCH', 'a'],
    ['MULTI'],
    ['SET', 'x'],
    ['EXEC'],
    ['SET', 'a', '5'],
    ['MULTI'],
    ['GET', 'a'],
    ['EXEC'],
    ['WATCH', 'nosuchkey'],
    ['DEL', 'nosuchkey'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
  ],
  // RESET inside MULTI ends the transaction and the watches.
  [
    ['WATCH', 'r'],
    ['MULTI'],
    ['SET', 'r', '1'],
    ['RESET'],
    ['SET', 'r', '2'],
    ['MULTI'],
    ['GET', 'r'],
    ['EXEC'],
    ['EXEC'],
  ],
];

for (const resp of [2, 3] as const) {
  describe(`transactions (RESP${resp})`, () => {
    test('single-connection scripts', async () => {
      await compareScripts(pair(), scripts, { resp });
    });

    test('a watcher and writers: every kind of change to a watched key', async () => {
      const watcher = await Duo.open('watcher', ports(), resp);
      const writer = await Duo.open('writer', ports(), resp);
      try {
        /**
         * Sets up with `setup` (writer), WATCHes `keys` (watcher), runs `mid` on the watcher and `change` on the
         * writer, then MULTI / PING / EXEC on the watcher: both servers must agree on whether EXEC ran.
         */
        const run = async (
          label: string,
          setup: string[][],
          keys: string[],
          change: string[][],
          mid: string[][] = [],
          sleepMs = 0,
        ): Promise<void> => {
          await writer.call(['FLUSHALL']);
          await writer.call(['SELECT', '0']);
          await watcher.call(['SELECT', '0']);
          for (const s of setup) await writer.call(s);
          await watcher.call(['WATCH', ...keys], '+OK\r\n');
          for (const s of mid) await watcher.call(s);
          if (sleepMs > 0) await delay(sleepMs);
          for (const s of change) await writer.call(s);
          await watcher.call(['SELECT', '0']);
          await watcher.call(['MULTI']);
          await watcher.call(['PING']);
          await watcher.call(['EXEC']);
          void label;
        };
        const noActive = ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'];
        await run('a plain SET', [], ['k'], [['SET', 'k', '1']]);
        await run('SET of the same value', [['SET', 'k', '1']], ['k'], [['SET', 'k', '1']]);
        await run('a write to another key', [], ['k'], [['SET', 'j', '1']]);
        await run('DEL of a missing key', [], ['k'], [['DEL', 'k']]);
        await run('DEL', [['SET', 'k', '1']], ['k'], [['DEL', 'k']]);
        await run('INCRBY 0', [['SET', 'k', '1']], ['k'], [['INCRBY', 'k', '0']]);
        await run('APPEND of nothing', [['SET', 'k', '1']], ['k'], [['APPEND', 'k', '']]);
        await run('LPUSH', [], ['k'], [['LPUSH', 'k', 'a']]);
        await run('LPOP of a missing list', [], ['k'], [['LPOP', 'k']]);
        await run('SADD of an existing member', [['SADD', 'k', 'a']], ['k'], [['SADD', 'k', 'a']]);
        await run('HSET', [['HSET', 'k', 'f', 'v']], ['k'], [['HSET', 'k', 'f', 'w']]);
        await run('ZADD', [], ['k'], [['ZADD', 'k', '1', 'm']]);
        await run('EXPIRE', [['SET', 'k', '1']], ['k'], [['EXPIRE', 'k', '100']]);
        await run('PERSIST without a TTL', [['SET', 'k', '1']], ['k'], [['PERSIST', 'k']]);
        await run('PERSIST', [['SET', 'k', '1', 'EX', '100']], ['k'], [['PERSIST', 'k']]);
        await run('TOUCH', [['SET', 'k', '1']], ['k'], [['TOUCH', 'k']]);
        await run('GET', [['SET', 'k', '1']], ['k'], [['GET', 'k']]);
        await run('RENAME onto the key', [['SET', 'j', '1']], ['k'], [['RENAME', 'j', 'k']]);
        await run('RENAME away from the key', [['SET', 'k', '1']], ['k'], [['RENAME', 'k', 'j']]);
        await run('MOVE away', [['SET', 'k', '1']], ['k'], [['MOVE', 'k', '1']]);
        await run('COPY onto the key', [['SET', 'j', '1']], ['k'], [['COPY', 'j', 'k']]);
        await run('FLUSHDB with the key', [['SET', 'k', '1']], ['k'], [['FLUSHDB']]);
        await run('FLUSHDB without the key', [['SET', 'j', '1']], ['k'], [['FLUSHDB']]);
        await run('FLUSHALL with the key', [['SET', 'k', '1']], ['k'], [['FLUSHALL']]);
        await run('FLUSHALL of empty databases', [], ['k'], [['FLUSHALL']]);
        await run(
          'FLUSHDB of another database',
          [['SET', 'k', '1']],
          ['k'],
          [['SELECT', '1'], ['FLUSHDB'], ['SELECT', '0']],
        );
        await run(
          'SWAPDB bringing the key in',
          [
            ['SELECT', '1'],
            ['SET', 'k', '1'],
            ['SELECT', '0'],
          ],
          ['k'],
          [['SWAPDB', '0', '1']],
        );
        await run('SWAPDB taking the key away', [['SET', 'k', '1']], ['k'], [['SWAPDB', '1', '0']]);
        await run('SWAPDB with neither side holding it', [['SET', 'j', '1']], ['k'], [['SWAPDB', '0', '1']]);
        await run('a change in the watched database after SELECT', [], ['k'], [['SET', 'k', '1']], [['SELECT', '1']]);
        await run(
          'a change to the same name in another database',
          [],
          ['k'],
          [
            ['SELECT', '1'],
            ['SET', 'k', '1'],
            ['SELECT', '0'],
          ],
        );
        await run('several keys, one changed', [], ['a', 'b', 'c'], [['SET', 'c', '1']]);
        await run('the watcher itself writes', [], ['k'], [], [['SET', 'k', '1']]);
        await run('WATCH twice, then a change', [], ['k', 'k'], [['SET', 'k', '1']], [['WATCH', 'k']]);
        await run('UNWATCH, then a change', [], ['k'], [['SET', 'k', '1']], [['UNWATCH']]);
        // Expiry: a key live when watched that expires counts as changed, whether or not it was removed yet.
        await run(
          'a live key expiring (not yet removed)',
          [noActive, ['SET', 'k', '1', 'PX', '150']],
          ['k'],
          [],
          [],
          250,
        );
        await run(
          'a live key expiring, removed by access',
          [noActive, ['SET', 'k', '1', 'PX', '150']],
          ['k'],
          [['GET', 'k']],
          [],
          250,
        );
        await run(
          'a live key expiring, removed by the active cycle',
          [
            ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
            ['SET', 'k', '1', 'PX', '150'],
          ],
          ['k'],
          [],
          [],
          500,
        );
        await run(
          'a key already expired when watched, removed by access',
          [noActive, ['SET', 'k', '1', 'PX', '1'], ['DEBUG', 'SLEEP', '0.01']],
          ['k'],
          [['GET', 'k']],
        );
        await run(
          'a key already expired when watched, then set',
          [noActive, ['SET', 'k', '1', 'PX', '1'], ['DEBUG', 'SLEEP', '0.01']],
          ['k'],
          [['SET', 'k', '2']],
        );
        await run(
          'a key already expired when watched, then FLUSHDB',
          [noActive, ['SET', 'k', '1', 'PX', '1'], ['DEBUG', 'SLEEP', '0.01']],
          ['k'],
          [['FLUSHDB']],
        );
        await run(
          'SWAPDB bringing in an expired key',
          [noActive, ['SELECT', '1'], ['SET', 'k', '1', 'PX', '1'], ['SELECT', '0'], ['DEBUG', 'SLEEP', '0.01']],
          ['k'],
          [['SWAPDB', '0', '1']],
        );
        await run('a key with a distant TTL', [['SET', 'k', '1', 'EX', '1000']], ['k'], []);
        await writer.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
      } finally {
        await watcher.close();
        await writer.close();
      }
    });

    test("a change made inside another client's EXEC, and EXEC atomicity for other clients", async () => {
      const watcher = await Duo.open('watcher', ports(), resp);
      const other = await Duo.open('other', ports(), resp);
      try {
        await other.call(['FLUSHALL']);
        await watcher.call(['WATCH', 'k']);
        await other.call(['MULTI']);
        await other.call(['SET', 'k', '1']);
        await other.call(['INCR', 'k']);
        await other.call(['EXEC']);
        await watcher.call(['MULTI']);
        await watcher.call(['GET', 'k']);
        await watcher.call(['EXEC']);
        // The other client's EXEC that only reads the key does not touch it.
        await watcher.call(['WATCH', 'k']);
        await other.call(['MULTI']);
        await other.call(['GET', 'k']);
        await other.call(['EXISTS', 'k']);
        await other.call(['EXEC']);
        await watcher.call(['MULTI']);
        await watcher.call(['INCR', 'k']);
        await watcher.call(['EXEC']);
        // A pipelined MULTI … EXEC is seen whole by the next client.
        other.send(['MULTI']);
        for (let i = 0; i < 50; i++) other.send(['RPUSH', 'list', String(i)]);
        other.send(['EXEC']);
        const [rl, cl] = await Promise.all([
          watcher.redis.call(['LLEN', 'list']),
          watcher.cairn.call(['LLEN', 'list']),
        ]);
        for (const [who, b] of [
          ['redis', rl],
          ['cairn', cl],
        ] as const) {
          assert.ok(
            [':0\r\n', ':50\r\n'].includes(b.toString('latin1')),
            `${who} showed half a transaction: ${formatReply(b)}`,
          );
        }
        for (let i = 0; i < 52; i++) await other.expect('pipelined transaction');
        await watcher.call(['LLEN', 'list']);
        // An EXEC in subscribed mode (RESP2) is refused as an EXECABORT and drops the watches.
        await watcher.call(['WATCH', 'k']);
        await watcher.call(['SUBSCRIBE', 'ch']);
        await watcher.call(['EXEC']);
        await watcher.call(['UNSUBSCRIBE']);
        await other.call(['SET', 'k', 'after']);
        await watcher.call(['MULTI']);
        await watcher.call(['GET', 'k']);
        await watcher.call(['EXEC']);
      } finally {
        await watcher.close();
        await other.close();
      }
    });

    test('MONITOR sees a transaction as Redis shows it', async () => {
      const mon = await Duo.open('monitor', ports(), resp);
      const c = await Duo.open('client', ports(), resp);
      try {
        await mon.call(['MONITOR'], '+OK\r\n');
        await c.call(['MULTI']);
        await c.call(['SET', 'a', '1']);
        await c.call(['GET', 'a']);
        await c.call(['NOSUCH']);
        await c.call(['EXEC']);
        await c.call(['MULTI']);
        await c.call(['SET', 'a', '2']);
        await c.call(['INCR', 'a']);
        await c.call(['EXEC']);
        await c.call(['EXEC', 'bad']);
        // Each monitor line: drop the timestamp and the client's address.
        const norm = (s: string): string => s.replace(/^\+\d+\.\d+ \[(\d+) [^\]]*\]/, '+T [$1 addr]');
        await c.call(['PING']);
        for (;;) {
          const line = await mon.expect('monitor line', undefined, { normalize: norm });
          if (line.includes('"PING"')) break;
        }
      } finally {
        await mon.close();
        await c.close();
      }
    });

    test('random watcher / writer sequences (fast-check)', async () => {
      const keys = ['a', 'b', 'c'];
      const key = fc.constantFrom(...keys);
      const writeOp = fc.oneof(
        fc.tuple(fc.constant('SET'), key, fc.constantFrom('1', '2', 'x')),
        fc.tuple(fc.constant('DEL'), key),
        fc.tuple(fc.constant('INCR'), key),
        fc.tuple(fc.constant('LPUSH'), key, fc.constant('e')),
        fc.tuple(fc.constant('EXPIRE'), key, fc.constant('100')),
        fc.tuple(fc.constant('RENAME'), key, key),
        fc.tuple(fc.constant('GET'), key),
        fc.tuple(fc.constant('FLUSHDB')),
        fc.tuple(fc.constant('SWAPDB'), fc.constant('0'), fc.constant('1')),
      );
      const step = fc.oneof(
        fc.record({ who: fc.constant('writer'), cmd: writeOp.map((t) => [...t] as string[]) }),
        fc.record({
          who: fc.constant('watcher'),
          cmd: fc.uniqueArray(key, { minLength: 1, maxLength: 3 }).map((ks) => ['WATCH', ...ks]),
        }),
        fc.record({ who: fc.constant('watcher'), cmd: fc.constant(['UNWATCH']) }),
        fc.record({ who: fc.constant('watcher'), cmd: fc.constant(['MULTI']) }),
        fc.record({ who: fc.constant('watcher'), cmd: fc.constant(['EXEC']) }),
        fc.record({ who: fc.constant('watcher'), cmd: fc.constant(['DISCARD']) }),
        fc.record({ who: fc.constant('watcher'), cmd: writeOp.map((t) => [...t] as string[]) }),
        fc.record({ who: fc.constant('watcher'), cmd: fc.constant(['SET', 'a']) }),
      );
      const watcher = await Duo.open('watcher', ports(), resp);
      const writer = await Duo.open('writer', ports(), resp);
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 30 }), async (steps) => {
            await writer.call(['FLUSHALL']);
            await watcher.call(['RESET']);
            if (resp === 3) await Promise.all([watcher.redis.call(['HELLO', '3']), watcher.cairn.call(['HELLO', '3'])]);
            for (const s of steps) await (s.who === 'writer' ? writer : watcher).call(s.cmd);
            await watcher.call(['MULTI']);
            await watcher.call(['EXEC']);
          }),
          { numRuns: 40 },
        );
      } finally {
        await watcher.close();
        await writer.close();
      }
    });
  });
}

describe('in-process: one EXEC is one effects unit', () => {
  test('writes are wrapped in one MULTI … EXEC; one write is not; a read-only EXEC adds nothing', async () => {
    const s = await startServer({ port: 0 });
    try {
      const server = s.server;
      const effects: string[][] = [];
      server.effects.addSink((batch: readonly Effect[]) =>
        effects.push(batch.map((e) => `${e.db}:${e.argv.join(' ')}`)),
      );
      const c = server.createLocalClient();
      const run = (...cmds: string[][]): string => {
        for (const a of cmds) server.execute(c, a);
        return Buffer.concat(c.out.take()).toString('latin1');
      };
      run(['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['EXPIRE', 'a', '100'], ['EXEC']);
      assert.equal(effects.length, 1);
      assert.equal(effects[0]![0], '0:MULTI');
      assert.equal(effects[0]![1], '0:SET a 1');
      assert.equal(effects[0]![2], '0:INCR a');
      assert.match(effects[0]![3]!, /^0:PEXPIREAT a \d+$/);
      assert.equal(effects[0]![4], '0:EXEC');
      assert.equal(effects[0]!.length, 5);
      effects.length = 0;
      run(['MULTI'], ['GET', 'a'], ['EXISTS', 'a'], ['EXEC']);
      assert.deepEqual(effects, []);
      run(['MULTI'], ['SET', 'b', '1'], ['GET', 'b'], ['EXEC']);
      assert.deepEqual(effects, [['0:SET b 1']]);
      effects.length = 0;
      run(
        ['MULTI'],
        ['SET', 'x', '1'],
        ['SELECT', '2'],
        ['SET', 'y', '2'],
        ['LPUSH', 'y', 'bad'],
        ['SET', 'x', 'z'],
        ['EXEC'],
      );
      assert.deepEqual(effects, [['0:MULTI', '0:SET x 1', '2:SET y 2', '2:SET x z', '2:EXEC']]);
      effects.length = 0;
      // An aborted or watched-out EXEC produces nothing.
      run(['SELECT', '0'], ['WATCH', 'a'], ['SET', 'a', '2']);
      effects.length = 0;
      const out = run(['MULTI'], ['SET', 'a', '3'], ['EXEC']);
      assert.ok(out.endsWith('*-1\r\n'), out);
      run(['MULTI'], ['SET', 'a'], ['EXEC']);
      assert.deepEqual(effects, []);
      // No command blocks inside EXEC, and the server is at depth 0 afterwards.
      assert.equal(run(['MULTI'], ['BLPOP', 'nolist', '0'], ['EXEC']), '+OK\r\n+QUEUED\r\n*1\r\n*-1\r\n');
      assert.equal(c.blocked, false);
      assert.equal(server.callDepth, 0);
    } finally {
      await s.close();
    }
  });

  test('WATCH state is dropped on disconnect and RESET', async () => {
    const s = await startServer({ port: 0 });
    try {
      const server = s.server;
      const a = server.createLocalClient();
      const b = server.createLocalClient();
      server.execute(a, ['WATCH', 'k']);
      server.execute(b, ['WATCH', 'k']);
      server.execute(b, ['RESET']);
      server.closeClient(a);
      server.execute(b, ['MULTI']);
      server.execute(b, ['SET', 'k', '1']);
      server.execute(b, ['EXEC']);
      assert.equal(Buffer.concat(b.out.take()).toString('latin1'), '+OK\r\n+RESET\r\n+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n');
    } finally {
      await s.close();
    }
  });
});
