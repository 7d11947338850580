// Client-side caching (CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO) against real Redis 7.0.15, with several
// concurrent connections: tracking clients (RESP3 pushes, RESP2 redirected to a subscriber), writers, BCAST
// clients. Every connection's transcript after each step (its replies, then the invalidations it received) must
// be byte-identical on both servers; see test/support/multi-conn.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RawConnection } from '../support/resp.js';
import { useRedisAndCairn } from '../support/duo.js';
import { MultiConn, multiConnScenario } from '../support/multi-conn.js';

const ports = useRedisAndCairn({ 'enable-debug-command': 'yes' });

const scenario = (fn: (m: MultiConn) => Promise<void>): Promise<void> => multiConnScenario(ports(), fn);

/** CLIENT INFO reduced to the fields tracking changes. */
const flagsView = (text: string): string =>
  (/flags=\S+/.exec(text)?.[0] ?? text) + ' ' + (/redir=\S+/.exec(text)?.[0] ?? '');

test('default mode: RESP3 pushes after reads, from another writer and from the client itself', async () => {
  await scenario(async (m) => {
    await m.open('t', 3);
    await m.open('w');
    await m.step('t', ['CLIENT', 'TRACKINGINFO']);
    await m.step('t', ['CLIENT', 'GETREDIR']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on']);
    await m.step('t', ['CLIENT', 'TRACKINGINFO']);
    await m.step('t', ['CLIENT', 'GETREDIR']);
    await m.step('t', ['CLIENT', 'INFO'], '', flagsView);
    await m.step('w', ['SET', 'k', '1']);
    await m.step('w', ['SET', 'k', '2'], 'not read yet: no invalidation');
    await m.step('t', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '3']);
    await m.step('w', ['SET', 'k', '4'], 'already invalidated once');
    await m.step('t', ['MGET', 'k', 'a', 'b']);
    await m.step('w', ['MSET', 'a', '1', 'b', '2', 'k', '5']);
    await m.step('t', ['HSET', 'h', 'f', 'v']);
    await m.step('t', ['HGET', 'h', 'f']);
    await m.step('t', ['HSET', 'h', 'f', 'w'], 'own write: reply, then the push');
    await m.step('t', ['LPUSH', 'l', 'x']);
    await m.step('t', ['GET', 'l'], 'a read that fails still tracks');
    await m.step('w', ['DEL', 'l']);
    await m.step('t', ['EXISTS', 'x', 'y']);
    await m.step('t', ['STRLEN', 'k']);
    await m.step('w', ['RENAME', 'k', 'x']);
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['MULTI']);
    await m.step('t', ['SET', 'k', '1']);
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['SET', 'k', '2']);
    await m.step('t', ['EXEC'], 'invalidations after the EXEC reply');
    await m.step('t', ['SELECT', '1']);
    await m.step('t', ['GET', 'k']);
    await m.step('w', ['SET', 'k', 'db0'], 'the table ignores databases');
    await m.step('t', ['SELECT', '0']);
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['GET', 'z']);
    await m.step('w', ['SWAPDB', '0', '1'], 'SWAPDB sends nothing');
    await m.step('w', ['FLUSHALL'], 'one null invalidation for all databases');
    await m.step('w', ['FLUSHDB'], 'even when empty');
    await m.step('t', ['FLUSHDB'], 'own flush: after the reply');
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['CLIENT', 'TRACKING', 'off']);
    await m.step('w', ['SET', 'k', '1'], 'tracking off: nothing');
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on']);
    await m.step('w', ['SET', 'k', '2'], 'a key read while off is not tracked');
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['CLIENT', 'TRACKING', 'off']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on']);
    await m.step('w', ['SET', 'k', '3'], 'keys read before OFF still invalidate after ON');
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['RESET']);
    await m.step('w', ['SET', 'k', '4'], 'RESET turns tracking off');
    await m.step('t', ['CLIENT', 'TRACKINGINFO']);
  });
});

test('invalidations held for the end of a transaction go out even if it turned tracking off', async () => {
  await scenario(async (m) => {
    await m.open('t', 3);
    await m.open('a');
    await m.open('r3', 3);
    await m.step('t', ['CLIENT', 'TRACKING', 'on']);
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['MULTI']);
    await m.step('t', ['SET', 'k', '1']);
    await m.step('t', ['CLIENT', 'TRACKING', 'off']);
    await m.step('t', ['EXEC'], 'own key invalidation after the EXEC reply');
    await m.step('t', ['CLIENT', 'TRACKING', 'on']);
    await m.step('t', ['MULTI']);
    await m.step('t', ['FLUSHALL']);
    await m.step('t', ['CLIENT', 'TRACKING', 'off']);
    await m.step('t', ['EXEC'], 'own flush: the null after the EXEC reply');
    await m.step('a', ['MULTI']);
    await m.step('a', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:r3']);
    await m.step('a', ['FLUSHDB']);
    await m.step('a', ['CLIENT', 'TRACKING', 'off']);
    await m.step('a', ['EXEC']);
    await m.step('r3', ['PING'], "the redirect target got the RESP2 client's null");
    await m.step('a', ['CLIENT', 'TRACKING', 'on']);
    await m.step('a', ['MULTI']);
    await m.step('a', ['FLUSHDB']);
    await m.step('a', ['CLIENT', 'TRACKING', 'off']);
    await m.step('a', ['EXEC']);
    await m.step('r3', ['PING'], 'ON again without REDIRECT: nothing for the old target');
  });
});

test('expired keys invalidate (lazy and active expiry)', async () => {
  // TTLs are long enough that a loaded machine still reads each key before it expires; the waits are longer still.
  await scenario(async (m) => {
    await m.open('t', 3);
    await m.open('w');
    await m.step('t', ['CLIENT', 'TRACKING', 'on']);
    await m.step('w', ['SET', 'e1', 'v', 'PX', '300']);
    await m.step('t', ['MGET', 'e1', 'e2']);
    await m.settle(700, 'active expiry');
    await m.step('w', ['SET', 'e2', 'v', 'PX', '300']);
    await m.step('t', ['MGET', 'e1', 'e2']);
    await m.settle(700, 'active expiry');
    await m.step('w', ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await m.step('w', ['SET', 'e3', 'v', 'PX', '300']);
    await m.step('t', ['GET', 'e3']);
    await m.settle(400);
    await m.step('t', ['GET', 'e3'], 'lazy expiry by the reader: null reply, then the push, key tracked again');
    await m.step('w', ['SET', 'e3', 'x']);
    await m.step('w', ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
  });
});

test('errors and option checks', async () => {
  await scenario(async (m) => {
    await m.open('t', 3);
    await m.open('o');
    const bad: string[][] = [
      ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'ab'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b', 'PREFIX', ''],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:o', 'REDIRECT', '$id:o'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTOUT'],
      ['CLIENT', 'TRACKING', 'maybe'],
      ['CLIENT', 'TRACKING', 'on', 'foo'],
      ['CLIENT', 'TRACKING', 'off', 'REDIRECT', '999999'],
      ['CLIENT', 'TRACKING', 'off', 'PREFIX', 'x'],
      ['CLIENT', 'TRACKING'],
      ['CLIENT', 'CACHING', 'yes'],
      ['CLIENT', 'CACHING', 'no'],
      ['CLIENT', 'CACHING', 'maybe'],
      ['CLIENT', 'CACHING'],
      ['CLIENT', 'CACHING', 'yes', 'no'],
      ['CLIENT', 'GETREDIR', 'x'],
      ['CLIENT', 'TRACKINGINFO', 'x'],
      ['client', 'tracking', 'ON', 'optin'],
      ['CLIENT', 'CACHING', 'no'],
      ['CLIENT', 'CACHING', 'maybe'],
      ['CLIENT', 'TRACKING', 'on', 'OPTOUT'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'NOLOOP', 'REDIRECT', '$id:o'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'TRACKING', 'on'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'off'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'c'],
      ['CLIENT', 'TRACKING', 'on'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'off'],
      ['CLIENT', 'TRACKINGINFO'],
    ];
    for (const args of bad) await m.step('t', args);
    await m.open('t2');
    for (const args of bad.slice(-12)) await m.step('t2', args, 'RESP2');
    await m.step('t2', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP', 'PREFIX', 'q']);
    await m.step('t2', ['CLIENT', 'INFO'], '', flagsView);
  });
});

test('REDIRECT: to a RESP2 subscriber of __redis__:invalidate, to a RESP3 client, to itself, broken', async () => {
  await scenario(async (m) => {
    await m.open('t');
    await m.open('t3', 3);
    await m.open('s');
    await m.open('r3', 3);
    await m.open('w');
    await m.step('s', ['SUBSCRIBE', '__redis__:invalidate']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:s']);
    await m.step('t', ['CLIENT', 'GETREDIR']);
    await m.step('t', ['CLIENT', 'TRACKINGINFO']);
    await m.step('t', ['CLIENT', 'INFO'], '', flagsView);
    await m.step('t', ['GET', 'k']);
    await m.step('t', ['MGET', 'a', 'b']);
    await m.step('w', ['MSET', 'k', '1', 'a', '1']);
    await m.step('t', ['SET', 'b', '1'], 'own write goes to the subscriber too');
    await m.step('t', ['GET', 'b']);
    await m.step('w', ['FLUSHALL'], 'null in the RESP2 tracking client protocol');
    await m.step('t', ['FLUSHDB']);
    // One tracking client at the next flush: Redis sends the flush's nulls in the order of its client list,
    // which its cron keeps rotating, so with two the order of their messages varies from run to run.
    await m.step('t', ['CLIENT', 'TRACKING', 'off']);
    await m.step('t3', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:s']);
    await m.step('t3', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '2']);
    await m.step('w', ['FLUSHDB'], 'null in the RESP3 tracking client protocol, to a RESP2 subscriber');
    await m.step('t3', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:r3']);
    await m.step('t3', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '3'], 'RESP3 target gets a push');
    await m.step('t3', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:w']);
    await m.step('t3', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '4'], 'RESP2 target without subscriptions gets nothing');
    await m.step('t3', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:t3']);
    await m.step('t3', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '5'], 'redirect to itself');
    await m.step('t3', ['GET', 'k']);
    await m.step('t3', ['SET', 'k', '6']);
    await m.step('t', ['CLIENT', 'TRACKING', 'off']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on']);
    await m.step('t', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '7'], 'RESP2 without redirect: nothing');
    await m.step('t3', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:r3']);
    await m.step('t3', ['GET', 'k']);
    await m.step('t3', ['GET', 'j']);
    await m.close('r3');
    await m.step('w', ['SET', 'k', '8'], 'target gone: tracking-redir-broken');
    await m.step('t3', ['CLIENT', 'TRACKINGINFO']);
    await m.step('t3', ['CLIENT', 'GETREDIR']);
    await m.step('t3', ['CLIENT', 'INFO'], '', flagsView);
    await m.step('w', ['FLUSHALL']);
    await m.step('s', ['UNSUBSCRIBE']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:s']);
    await m.step('t', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '9'], 'target no longer subscribed');
    await m.step('s', ['PSUBSCRIBE', 'x*']);
    await m.step('t', ['GET', 'k']);
    await m.step('w', ['SET', 'k', '10'], 'any subscription will do');
  });
});

test('a redirect to the writing client: the invalidation comes where the command signals, before or after its reply', async () => {
  // Redis signals some commands' keys after replying (pushes, LSET, HSET and its family, ZADD, ZINCRBY, EXPIRE
  // when it sets a TTL) and the others' before. The Z*POP family writes it inside its reply: not compared.
  const cases: [string[][], string[]][] = [
    [[], ['SET', 'k', 'v']],
    [[], ['MSET', 'k', '1', 'k2', '2']],
    [[], ['INCR', 'k']],
    [[], ['APPEND', 'k', 'x']],
    [[['SET', 'k', 'v']], ['GETDEL', 'k']],
    [[], ['RPUSH', 'k', 'a']],
    [[], ['LPUSH', 'k', 'a']],
    [[['RPUSH', 'k', 'a']], ['RPUSHX', 'k', 'b']],
    [[['RPUSH', 'k', 'a']], ['LPUSHX', 'k', 'b']],
    [[['RPUSH', 'k', 'a', 'b']], ['LPOP', 'k']],
    [[['RPUSH', 'k', 'a', 'b']], ['LSET', 'k', '0', 'x']],
    [[['RPUSH', 'k', 'a', 'b']], ['LINSERT', 'k', 'BEFORE', 'a', 'x']],
    [[['RPUSH', 'k', 'a', 'b']], ['LMOVE', 'k', 'k2', 'LEFT', 'RIGHT']],
    [[], ['SADD', 'k', 'a']],
    [[['SADD', 'k', 'a', 'b']], ['SMOVE', 'k', 'k2', 'a']],
    [[['SADD', 'k', 'a', 'b']], ['SUNIONSTORE', 'k2', 'k']],
    [[], ['HSET', 'k', 'f', 'v']],
    [[], ['HMSET', 'k', 'f', 'v']],
    [[], ['HSETNX', 'k', 'f', 'v']],
    [[], ['HINCRBY', 'k', 'f', '1']],
    [[], ['HINCRBYFLOAT', 'k', 'f', '1.5']],
    [[['HSET', 'k', 'f', 'v', 'g', 'w']], ['HDEL', 'k', 'f']],
    [[], ['ZADD', 'k', '1', 'm']],
    [[], ['ZINCRBY', 'k', '1', 'm']],
    [[['ZADD', 'k', '1', 'a', '2', 'b']], ['ZREM', 'k', 'a']],
    [[['SET', 'k', 'v']], ['EXPIRE', 'k', '100']],
    [[['SET', 'k', 'v']], ['PEXPIREAT', 'k', '4000000000000']],
    [[['SET', 'k', 'v']], ['EXPIRE', 'k', '0']],
    [[['SET', 'k', 'v', 'EX', '100']], ['PERSIST', 'k']],
    [[['SET', 'k', 'v']], ['RENAME', 'k', 'k2']],
    [[['SET', 'k', 'v']], ['DEL', 'k']],
  ];
  await scenario(async (m) => {
    await m.open('t');
    await m.open('a', 3);
    await m.open('w');
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id:a']);
    for (const events of ['', 'KEA']) {
      // With keyspace events, the client also sees where the invalidation falls against the event.
      await m.step('w', ['CONFIG', 'SET', 'notify-keyspace-events', events]);
      if (events !== '') await m.step('a', ['PSUBSCRIBE', '__keyevent@0__:*']);
      for (const [setup, cmd] of cases) {
        await m.step('w', ['FLUSHALL']);
        for (const c of setup) await m.step('w', c);
        await m.step('t', ['MGET', 'k', 'k2']);
        await m.step('a', cmd);
      }
    }
    await m.step('a', ['MULTI']);
    await m.step('a', ['RPUSH', 'k', 'x']);
    await m.step('a', ['SET', 'k2', 'y']);
    await m.step('t', ['MGET', 'k', 'k2']);
    await m.step('a', ['EXEC'], 'inside the transaction: after the RPUSH reply, before the SET reply');
    await m.step('w', ['CONFIG', 'SET', 'notify-keyspace-events', '']);
  });
});

test('BCAST with prefixes, several clients, NOLOOP, pipelines', async () => {
  await scenario(async (m) => {
    await m.open('b1', 3);
    await m.open('b2', 3);
    await m.open('s');
    await m.open('b3');
    await m.open('w');
    await m.step('s', ['SUBSCRIBE', '__redis__:invalidate']);
    await m.step('b1', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj:']);
    await m.step('b2', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP']);
    await m.step('b3', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'REDIRECT', '$id:s']);
    await m.step('b1', ['CLIENT', 'TRACKINGINFO']);
    await m.step('b2', ['CLIENT', 'TRACKINGINFO']);
    await m.step('w', ['SET', 'user:1', 'a']);
    await m.step('w', ['MSET', 'user:2', 'a', 'obj:9', 'b', 'other', 'c', 'user:1', 'x']);
    await m.raw(
      'w',
      'SET user:5 1\r\nSET obj:1 1\r\nDEL user:5\r\nSET zzz 1\r\nSET aaa 1\r\n',
      'one turn: one message per prefix',
    );
    await m.step('b2', ['SET', 'user:7', 'own'], 'NOLOOP: b2 does not hear its own write');
    await m.step('b2', ['MSET', 'x1', '1', 'x2', '2']);
    await m.step('b1', ['SET', 'user:8', 'own'], 'without NOLOOP: reply, then the push');
    await m.step('b1', ['GET', 'user:8'], 'reads change nothing');
    await m.step('w', ['EXPIRE', 'obj:9', '100']);
    await m.step('w', ['FLUSHALL'], 'flush: null to every tracking client');
    await m.step('b1', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'cfg:']);
    await m.step('b1', ['CLIENT', 'TRACKINGINFO']);
    await m.step('w', ['SET', 'cfg:1', '1']);
    await m.step('w', ['SET', 'user:1', '1']);
    await m.step('b1', ['CLIENT', 'TRACKING', 'off']);
    await m.step('w', ['SET', 'user:1', '2'], 'b1 off');
    await m.step('b1', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:1', 'PREFIX', 'user:2']);
    await m.step('w', ['MSET', 'user:1', '1', 'user:10', '1', 'user:2', '1', 'user:3', '1']);
    await m.step('w', ['SET', 'key:with\r\nnewline', 'v']);
    await m.step('w', ['MULTI']);
    await m.step('w', ['SET', 'user:1', 'm']);
    await m.step('w', ['SET', 'user:2', 'm']);
    await m.step('w', ['EXEC']);
    await m.step('w', ['SET', 'bcast-exp', 'v', 'PX', '30']);
    await m.settle(300, 'expired key broadcast');
  });
});

test('OPTIN / OPTOUT with CLIENT CACHING; NOLOOP in default mode', async () => {
  await scenario(async (m) => {
    await m.open('t', 3);
    await m.open('w');
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'OPTIN']);
    await m.step('t', ['GET', 'o1'], 'not cached');
    await m.step('t', ['CLIENT', 'CACHING', 'yes']);
    await m.step('t', ['CLIENT', 'TRACKINGINFO'], 'flag shown, and kept by CLIENT subcommands');
    await m.step('t', ['CLIENT', 'ID']);
    await m.step('t', ['GET', 'o2'], 'cached');
    await m.step('t', ['GET', 'o3'], 'flag gone');
    await m.step('t', ['CLIENT', 'TRACKINGINFO']);
    await m.step('w', ['MSET', 'o1', '1', 'o2', '1', 'o3', '1']);
    await m.step('t', ['CLIENT', 'CACHING', 'yes']);
    await m.step('t', ['MULTI']);
    await m.step('t', ['GET', 'o1']);
    await m.step('t', ['GET', 'o2']);
    await m.step('t', ['EXEC'], 'the whole transaction is cached');
    await m.step('t', ['GET', 'o3']);
    await m.step('w', ['MSET', 'o1', '2', 'o2', '2', 'o3', '2']);
    await m.step('t', ['CLIENT', 'CACHING', 'yes']);
    await m.step('t', ['NOSUCHCOMMAND']);
    await m.step('t', ['GET', 'o1'], 'a refused command clears the flag');
    await m.step('t', ['CLIENT', 'CACHING', 'yes']);
    await m.step('t', ['GET']);
    await m.step('t', ['GET', 'o2']);
    await m.step('t', ['CLIENT', 'CACHING', 'yes']);
    await m.step('t', ['PING']);
    await m.step('t', ['GET', 'o3']);
    await m.step('w', ['MSET', 'o1', '3', 'o2', '3', 'o3', '3']);
    await m.step('t', ['CLIENT', 'TRACKING', 'off']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'OPTOUT']);
    await m.step('t', ['GET', 'p1'], 'cached by default');
    await m.step('t', ['CLIENT', 'CACHING', 'no']);
    await m.step('t', ['CLIENT', 'TRACKINGINFO']);
    await m.step('t', ['GET', 'p2'], 'not cached');
    await m.step('t', ['GET', 'p3']);
    await m.step('w', ['MSET', 'p1', '1', 'p2', '1', 'p3', '1']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'OPTOUT', 'NOLOOP']);
    await m.step('t', ['MGET', 'p1', 'p2', 'p3']);
    await m.step('t', ['SET', 'p1', 'own'], 'NOLOOP: no push for its own write');
    await m.step('w', ['MSET', 'p1', '2', 'p2', '2', 'p3', '2'], 'p1 was forgotten; p2, p3 invalidate');
    await m.step('t', ['GET', 'p1']);
    await m.step('t', ['FLUSHDB'], 'NOLOOP does not silence flushes');
  });
});

test('random reads and writes with several tracking clients (fast-check)', async () => {
  const keys = ['k1', 'k2', 'u:1', 'u:2', 'v:1'];
  const key = fc.constantFrom(...keys);
  const cmd = fc.oneof(
    key.map((k) => ['GET', k]),
    fc.tuple(key, key).map(([a, b]) => ['MGET', a, b]),
    key.map((k) => ['SET', k, 'x']),
    key.map((k) => ['DEL', k]),
    key.map((k) => ['INCR', k]),
    key.map((k) => ['EXISTS', k]),
    fc.constant(['FLUSHDB']),
    fc.constant(['CLIENT', 'CACHING', 'yes']),
  );
  const conn = fc.constantFrom('t1', 't2', 'b', 'w');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(conn, cmd), { minLength: 5, maxLength: 25 }), async (steps) => {
      await scenario(async (m) => {
        await m.open('t1', 3);
        await m.open('t2', 3);
        await m.open('b', 3);
        await m.open('w');
        await m.step('t1', ['CLIENT', 'TRACKING', 'on', 'NOLOOP']);
        await m.step('t2', ['CLIENT', 'TRACKING', 'on', 'OPTIN']);
        await m.step('b', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'u:', 'PREFIX', 'k']);
        for (const [c, args] of steps) await m.step(c, args);
      });
    }),
    { numRuns: 15 },
  );
});

test('a served blocked client runs its own unit: its invalidations follow its reply, NOLOOP spares it', async () => {
  for (const mode of [['on'], ['on', 'NOLOOP'], ['on', 'BCAST', 'NOLOOP']]) {
    await scenario(async (m) => {
      await m.open('t', 3);
      await m.open('w');
      await m.step('t', ['CLIENT', 'TRACKING', ...mode]);
      await m.step('t', ['LLEN', 'd']);
      await m.step('t', ['LLEN', 's']);
      m.hold('t');
      await m.wait('t', ['BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0'], 50);
      await m.step('w', ['RPUSH', 's', 'a'], `served (${mode.join(' ')})`);
      m.release('t');
      await m.wait('t', null, 100);
      await m.step('t', ['LLEN', 'd']);
      await m.step('w', ['RPUSH', 'd', 'b'], 'another writer afterwards');
    });
  }
});

test('serving BLMPOP invalidates the list it pops from; serving BLPOP does not (its push did)', async () => {
  for (const blocked of [
    ['BLMPOP', '0', '1', 'b', 'LEFT'],
    ['BLPOP', 'b', '0'],
  ]) {
    await scenario(async (m) => {
      await m.open('t', 3);
      await m.open('p');
      m.hold('p');
      await m.wait('p', blocked, 50);
      await m.raw(
        't',
        '*1\r\n$5\r\nMULTI\r\n*4\r\n$5\r\nLPUSH\r\n$1\r\nb\r\n$1\r\nx\r\n$1\r\nx\r\n' +
          '*3\r\n$6\r\nCLIENT\r\n$8\r\nTRACKING\r\n$2\r\nON\r\n' +
          '*4\r\n$6\r\nLRANGE\r\n$1\r\nb\r\n$1\r\n0\r\n$2\r\n-1\r\n*1\r\n$4\r\nEXEC\r\n',
        blocked[0]!,
      );
      m.release('p');
      await m.wait('p', null, 100);
    });
  }
});

test('serving BRPOPLPUSH / BLMOVE of a list onto itself signals it as its push, for BCAST NOLOOP too', async () => {
  for (const blocked of [
    ['BRPOPLPUSH', 'a', 'a', '0'],
    ['BLMOVE', 'a', 'a', 'LEFT', 'RIGHT', '0'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0'],
  ]) {
    await scenario(async (m) => {
      await m.open('t', 3);
      await m.open('p');
      await m.step('t', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b', 'NOLOOP']);
      m.hold('p');
      await m.wait('p', blocked, 50);
      await m.raw('t', 'MULTI\r\nLPUSH a x y\r\nEXEC\r\n', `${blocked[0]} served`);
      m.release('p');
      await m.wait('p', null, 100);
    });
  }
});

test('a string arriving under a name a client blocks on wakes nobody, even one created already expired', async () => {
  await scenario(async (m) => {
    await m.open('w');
    await m.open('s');
    await m.open('p');
    await m.step('w', ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    // Without active expiry: a cycle between the SET and the DBSIZE would remove the key on one server only.
    await m.step('w', ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await m.step('s', ['PSUBSCRIBE', '__keyspace@0__:a*']);
    m.hold('p');
    await m.wait('p', ['BLPOP', 'ab', '0'], 50);
    await m.step('w', ['SET', 'ab', 'y', 'EXAT', '1'], 'set and expire events only; the key stays until read');
    await m.step('w', ['DBSIZE']);
    await m.step('w', ['SET', 'ab', 'z']);
    await m.step('w', ['DEL', 'ab']);
    await m.step('w', ['RPUSH', 'ab', 'v'], 'a list serves the blocked client');
    m.release('p');
    await m.wait('p', null, 100);
    await m.step('w', ['CONFIG', 'SET', 'notify-keyspace-events', '']);
    await m.step('w', ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
  });
});

test('BCAST NOLOOP: the last client to change a key in a turn is the one spared', async () => {
  for (const order of [
    ['w', 't'],
    ['t', 'w'],
  ]) {
    await scenario(async (m) => {
      await m.open('t', 3);
      await m.open('w');
      await m.open('p');
      await m.step('t', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP']);
      await m.step('p', ['CLIENT', 'PAUSE', '1500', 'WRITE']);
      for (const n of order) {
        m.hold(n);
        await m.wait(n, ['SET', 'k', n], 30);
      }
      for (const n of order) m.release(n);
      await m.settle(1800, `released together (${order.join(', ')})`);
    });
  }
});

test('BCAST NOLOOP: a key found expired by the client itself is not its own change', async () => {
  // Redis signals an expired key without a client, so NOLOOP spares nobody that invalidation.
  await scenario(async (m) => {
    await m.open('t', 3);
    await m.open('w');
    await m.open('s');
    await m.open('r');
    await m.step('w', ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await m.step('s', ['SUBSCRIBE', '__redis__:invalidate']);
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP']);
    await m.step('r', ['CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP', 'REDIRECT', '$id:s']);
    await m.step('w', ['SET', 'a', '1', 'PXAT', '1']);
    await m.step('t', ['GET', 'a'], 'expired when read');
    await m.step('w', ['RPUSH', 'b', 'x']);
    await m.step('w', ['PEXPIREAT', 'b', '1'], 'an expiry in the past deletes at once: the writer is spared');
    await m.step('w', ['SET', 'c', '1', 'PXAT', '1']);
    await m.step('r', ['LPOP', 'c'], 'through the redirect');
    await m.step('t', ['SET', 'd', '1']);
    await m.step('t', ['GET', 'd'], 'a live key: nothing');
    await m.step('w', ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
  });
});

test('a bare CLIENT ends CLIENT CACHING yes; a CLIENT subcommand keeps it', async () => {
  // Pipelined: the harness's PING between steps would end the flag itself.
  await scenario(async (m) => {
    await m.open('t', 3);
    await m.open('w');
    await m.step('t', ['CLIENT', 'TRACKING', 'on', 'OPTIN']);
    await m.raw('t', 'CLIENT CACHING yes\r\nCLIENT\r\nCLIENT TRACKINGINFO\r\nGET a\r\n');
    await m.step('w', ['SET', 'a', '1'], 'a was not tracked');
    await m.raw('t', 'CLIENT CACHING yes\r\nCLIENT NOSUCH\r\nGET b\r\n');
    await m.step('w', ['SET', 'b', '1'], 'b was not tracked either');
    await m.raw('t', 'CLIENT CACHING yes\r\nCLIENT GETNAME\r\nCLIENT TRACKINGINFO\r\nGET c\r\n');
    await m.step('w', ['SET', 'c', '1'], 'c was tracked');
  });
});

test('tracking-table-max-keys: over it, keys are invalidated as if modified until the table fits', async () => {
  // Redis picks the keys at random, so the outcome is compared as counts: messages, keys named, keys left.
  const outcome = async (port: number): Promise<Record<string, unknown>> => {
    const t = await RawConnection.connect(port);
    const admin = await RawConnection.connect(port);
    try {
      const answers: string[] = [];
      for (const v of ['-1', '1k', '9223372036854775808', '0']) {
        answers.push((await admin.call(['CONFIG', 'SET', 'tracking-table-max-keys', v])).toString());
      }
      answers.push((await admin.call(['CONFIG', 'GET', 'tracking-table-max-keys'])).toString());
      await admin.call(['CONFIG', 'SET', 'tracking-table-max-keys', '1000000']);
      await t.call(['HELLO', '3']);
      await t.call(['CLIENT', 'TRACKING', 'on']);
      const keys = Array.from({ length: 250 }, (_, i) => `key:${i}`);
      await t.call(['MGET', ...keys]);
      const before = /tracking_total_keys:(\d+)/.exec((await admin.call(['INFO', 'clients'])).toString())?.[1];
      await admin.call(['CONFIG', 'SET', 'tracking-table-max-keys', '1']);
      const pushes = (await t.readAvailable(600, 5000)).toString('latin1');
      const after = /tracking_total_keys:(\d+)/.exec((await admin.call(['INFO', 'clients'])).toString())?.[1];
      const named = new Set([...pushes.matchAll(/key:\d+/g)].map((x) => x[0]));
      // The one key left is still tracked: writing it invalidates it.
      const left = keys.find((k) => !named.has(k))!;
      await admin.call(['SET', left, 'x']);
      const last = (await t.readAvailable(300, 5000)).toString('latin1');
      return {
        answers,
        before,
        after,
        messages: pushes.split('invalidate').length - 1,
        named: named.size,
        lastInvalidated: last.includes(left),
      };
    } finally {
      await admin.call(['CONFIG', 'SET', 'tracking-table-max-keys', '1000000']);
      await t.close();
      await admin.close();
    }
  };
  const { redis, cairn } = ports();
  const r = await outcome(redis);
  const c = await outcome(cairn);
  assert.deepEqual(c, r);
  assert.equal(r.named, 249);
});
