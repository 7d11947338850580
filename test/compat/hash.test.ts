// Differential tests of the hash commands against real Redis 7.0.15, in RESP2 and RESP3: HSET, HSETNX, HGET,
// HMGET, HMSET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN;
// OBJECT ENCODING across the listpack → hashtable conversion; their COMMAND INFO/DOCS rows; the effects they
// propagate; and random command sequences generated with fast-check.
//
// Wrong-type keys are sets (SADD): the set family is Cairn's own, so these tests need nothing else.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runRecorded, type RecordedRun } from '../support/effects.js';
import { hashCommands } from '../../src/commands/hash.js';
import { sharedPair } from '../support/servers.js';
import {
  commandRowTests,
  compareScripts,
  scriptTests,
  type Script,
  type CompareMode,
} from '../support/differential.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';

const getPair = sharedPair();

const BIN = 'f\x00\xff\r\n';
const LONG64 = 'v'.repeat(64);
const LONG65 = 'v'.repeat(65);

/** Small hashes stay listpacks in both servers, whose order is insertion order: compare their listings exactly. */
const EXACT: Readonly<Record<string, CompareMode>> = { HGETALL: 'exact', HKEYS: 'exact', HVALS: 'exact' };

const SCRIPTS: Record<string, Script> = {
  'HSET, HMSET, HSETNX, HGET, HMGET': [
    ['HSET', 'h', 'a', '1'],
    ['HSET', 'h', 'a', '2', 'b', '3', 'a', '4'],
    ['HGET', 'h', 'a'],
    ['HGET', 'h', 'zz'],
    ['HGET', 'nokey', 'a'],
    ['HSET', 'h', 'a'],
    ['HSET', 'h', 'a', '1', 'b'],
    ['HSET', 'h'],
    ['HMSET', 'h', 'c', '5', 'd', '6'],
    ['HMSET', 'h', 'c'],
    ['HMSET', 'h', 'c', '1', 'd'],
    ['HMGET', 'h', 'a', 'zz', 'c', BIN],
    ['HMGET', 'nokey', 'a', 'b'],
    ['HMGET', 'h'],
    ['HSETNX', 'h', 'a', 'new'],
    ['HSETNX', 'h', 'n', 'new'],
    ['HSETNX', 'h2', 'n', 'new'],
    ['HSETNX', 'h', 'n'],
    ['HSET', BIN, BIN, BIN],
    ['HGET', BIN, BIN],
    ['HSET', 'h', '', ''],
    ['HGET', 'h', ''],
    ['HGETALL', 'h'],
    ['HKEYS', 'h'],
    ['HVALS', 'h'],
    ['HGETALL', 'nokey'],
    ['HKEYS', 'nokey'],
    ['HVALS', 'nokey'],
    ['hset', 'h', 'lower', 'case'],
    ['HGET', 'h'],
    ['HGETALL'],
  ],
  'HDEL, HLEN, HSTRLEN, HEXISTS and the emptied key': [
    ['HSET', 'h', 'a', '1', 'b', 'two', 'c', '', 'd', '4'],
    ['HLEN', 'h'],
    ['HSTRLEN', 'h', 'b'],
    ['HSTRLEN', 'h', 'c'],
    ['HSTRLEN', 'h', 'zz'],
    ['HSTRLEN', 'nokey', 'a'],
    ['HEXISTS', 'h', 'a'],
    ['HEXISTS', 'h', 'zz'],
    ['HEXISTS', 'nokey', 'a'],
    ['HDEL', 'h', 'b', 'b', 'zz'],
    ['HGETALL', 'h'],
    ['HSET', 'h', 'b', 'again'],
    ['HKEYS', 'h'],
    ['HDEL', 'nokey', 'a'],
    ['HDEL', 'h', 'a', 'c', 'd', 'b', 'x'],
    ['EXISTS', 'h'],
    ['HLEN', 'h'],
    ['HDEL', 'h'],
    ['HLEN'],
    ['HSTRLEN', 'h'],
    ['HEXISTS', 'h'],
  ],
  'WRONGTYPE everywhere': [
    ['SADD', 's', 'x'],
    ['HSET', 's', 'a', '1'],
    ['HMSET', 's', 'a', '1'],
    ['HSETNX', 's', 'a', '1'],
    ['HGET', 's', 'a'],
    ['HMGET', 's', 'a'],
    ['HDEL', 's', 'a'],
    ['HLEN', 's'],
    ['HSTRLEN', 's', 'a'],
    ['HEXISTS', 's', 'a'],
    ['HKEYS', 's'],
    ['HVALS', 's'],
    ['HGETALL', 's'],
    ['HINCRBY', 's', 'a', '1'],
    ['HINCRBY', 's', 'a', 'x'],
    ['HINCRBYFLOAT', 's', 'a', '1'],
    ['HINCRBYFLOAT', 's', 'a', 'x'],
    ['HRANDFIELD', 's'],
    ['HRANDFIELD', 's', '0'],
    ['HRANDFIELD', 's', 'x'],
    ['HRANDFIELD', 's', '1', 'WITHVALUES'],
    ['HSCAN', 's', '0'],
    ['HSCAN', 's', 'x'],
    ['HSCAN', 's', '0', 'COUNT', '0'],
    ['HSET', 's', 'a'],
    ['TYPE', 's'],
  ],
  HINCRBY: [
    ['HINCRBY', 'h', 'n', '5'],
    ['HINCRBY', 'h', 'n', '-7'],
    ['HINCRBY', 'h', 'n', 'x'],
    ['HINCRBY', 'h', 'n', '1.5'],
    ['HINCRBY', 'h', 'n', ' 1'],
    ['HINCRBY', 'h', 'n', '01'],
    ['HINCRBY', 'h', 'n', '9223372036854775808'],
    ['HINCRBY', 'nokey', 'n', 'x'],
    ['EXISTS', 'nokey'],
    ['HSET', 'h', 'max', '9223372036854775807', 'min', '-9223372036854775808', 's', 'abc', 'sp', ' 1', 'lz', '01'],
    ['HINCRBY', 'h', 'max', '1'],
    ['HINCRBY', 'h', 'max', '0'],
    ['HINCRBY', 'h', 'min', '-1'],
    ['HINCRBY', 'h', 'min', '9223372036854775807'],
    ['HINCRBY', 'h', 's', '1'],
    ['HINCRBY', 'h', 'sp', '1'],
    ['HINCRBY', 'h', 'lz', '1'],
    ['HINCRBY', 'h', 'n', '-9223372036854775808'],
    // Around 2^53, where exact numbers end and 64-bit arithmetic takes over.
    ['HSET', 'h', 'b', '9007199254740991', 'nb', '-9007199254740991', 'f', '999999999999999'],
    ['HINCRBY', 'h', 'b', '1'],
    ['HINCRBY', 'h', 'b', '9007199254740991'],
    ['HINCRBY', 'h', 'nb', '-1'],
    ['HINCRBY', 'h', 'nb', '-9007199254740993'],
    ['HINCRBY', 'h', 'f', '999999999999999'],
    ['HINCRBY', 'h', 'f', '9000000000000000'],
    ['HINCRBY', 'h', 'c', '9999'],
    ['HINCRBY', 'h', 'c', '1'],
    ['HINCRBY', 'h', 'c', '-10001'],
    ['HGETALL', 'h'],
    ['HINCRBY', 'h', 'x'.repeat(65), '1'],
    ['OBJECT', 'ENCODING', 'h'],
    ['HINCRBY', 'h', 'n'],
  ],
  HINCRBYFLOAT: [
    ['HINCRBYFLOAT', 'h', 'f', '1.5'],
    ['HINCRBYFLOAT', 'h', 'f', '0.1'],
    ['HINCRBYFLOAT', 'h', 'f', '-1.6'],
    ['HINCRBYFLOAT', 'h', 'f', '1e3'],
    ['HINCRBYFLOAT', 'h', 'f', '0x10'],
    ['HINCRBYFLOAT', 'h', 'f', 'inf'],
    ['HINCRBYFLOAT', 'h', 'f', '-inf'],
    ['HINCRBYFLOAT', 'h', 'f', 'nan'],
    ['HINCRBYFLOAT', 'h', 'f', 'abc'],
    ['HINCRBYFLOAT', 'h', 'f', ''],
    ['HINCRBYFLOAT', 'h', 'f', ' 1'],
    ['HINCRBYFLOAT', 'h', 'f', '1e5000'],
    ['HINCRBYFLOAT', 'nokey', 'f', 'abc'],
    ['EXISTS', 'nokey'],
    [
      'HSET',
      'h',
      's',
      'abc',
      'sp',
      ' 1',
      'int',
      '-9223372036854775807',
      'neg0',
      '-0',
      'ex',
      '1e3',
      'inf',
      'inf',
      'big',
      '1.7976931348623157e308',
    ],
    ['HINCRBYFLOAT', 'h', 's', '1'],
    ['HINCRBYFLOAT', 'h', 'sp', '1'],
    ['HINCRBYFLOAT', 'h', 'int', '1.5'],
    ['HINCRBYFLOAT', 'h', 'neg0', '0'],
    ['HINCRBYFLOAT', 'h', 'neg0', '-0'],
    ['HINCRBYFLOAT', 'h', 'ex', '1'],
    ['HINCRBYFLOAT', 'h', 'inf', '1'],
    ['HINCRBYFLOAT', 'h', 'big', '1.7976931348623157e308'],
    ['OBJECT', 'ENCODING', 'h'],
    ['HINCRBYFLOAT', 'h', 'tiny', '1e-300'],
    ['HINCRBYFLOAT', 'h', 'third', '0.333333333333333333333'],
    ['HINCRBYFLOAT', 'h', 'third', '0.333333333333333333333'],
    { args: ['HGETALL', 'h'], mode: 'unordered-pairs' },
    ['HINCRBYFLOAT', 'h', 'f'],
  ],
  'HRANDFIELD shapes and errors': [
    ['HRANDFIELD', 'nokey'],
    ['HRANDFIELD', 'nokey', '3'],
    ['HRANDFIELD', 'nokey', '-3', 'WITHVALUES'],
    ['HRANDFIELD', 'nokey', 'x'],
    ['HSET', 'one', 'f', 'v'],
    { args: ['HRANDFIELD', 'one'], mode: 'exact' },
    { args: ['HRANDFIELD', 'one', '1'], mode: 'exact' },
    { args: ['HRANDFIELD', 'one', '5', 'WITHVALUES'], mode: 'exact' },
    { args: ['HRANDFIELD', 'one', '-3'], mode: 'exact' },
    { args: ['HRANDFIELD', 'one', '-3', 'WITHVALUES'], mode: 'exact' },
    { args: ['HRANDFIELD', 'one', '-1', 'withvalues'], mode: 'exact' },
    ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
    ['HRANDFIELD', 'h', '0'],
    ['HRANDFIELD', 'h', '0', 'WITHVALUES'],
    { args: ['HRANDFIELD', 'h', '3'], mode: 'exact' },
    { args: ['HRANDFIELD', 'h', '10', 'WITHVALUES'], mode: 'exact' },
    ['HRANDFIELD', 'h', '2'],
    ['HRANDFIELD', 'h', '2', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '-5'],
    ['HRANDFIELD', 'h', '-5', 'WITHVALUES'],
    ['HRANDFIELD', 'h', 'x'],
    ['HRANDFIELD', 'h', '1.5'],
    ['HRANDFIELD', 'h', '1', 'x'],
    ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'],
    ['HRANDFIELD', 'h', '9223372036854775807'],
    ['HRANDFIELD', 'h', '-9223372036854775808'],
    ['HRANDFIELD', 'h', '9223372036854775808'],
    ['HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '-9223372036854775808', 'WITHVALUES'],
    ['HRANDFIELD', 'h', 'x', 'WITHVALUES'],
    ['HRANDFIELD'],
  ],
  'HSCAN on small hashes, options and errors': [
    ['HSCAN', 'nokey', '0'],
    ['HSCAN', 'nokey', '0', 'COUNT', '0'],
    ['HSCAN', 'nokey', 'x'],
    ['HSET', 'h', 'a', '1', 'b', '2', 'ab', '3', BIN, '4'],
    { args: ['HSCAN', 'h', '0'], mode: 'exact' },
    { args: ['HSCAN', 'h', '0', 'COUNT', '1'], mode: 'exact' },
    { args: ['HSCAN', 'h', '0', 'MATCH', 'a*'], mode: 'exact' },
    { args: ['HSCAN', 'h', '0', 'match', '*', 'count', '100'], mode: 'exact' },
    { args: ['HSCAN', 'h', '12345'], mode: 'exact' },
    { args: ['HSCAN', 'h', '-1'], mode: 'exact' },
    { args: ['HSCAN', 'h', '0', 'MATCH', 'f*'], mode: 'exact' },
    ['HSCAN', 'h', '0', 'COUNT', '0'],
    ['HSCAN', 'h', '0', 'COUNT', '-1'],
    ['HSCAN', 'h', '0', 'COUNT', 'x'],
    ['HSCAN', 'h', '0', 'COUNT'],
    ['HSCAN', 'h', '0', 'MATCH'],
    ['HSCAN', 'h', '0', 'TYPE', 'string'],
    ['HSCAN', 'h', '0', 'NOVALUES'],
    ['HSCAN', 'h', 'x'],
    ['HSCAN', 'h', '18446744073709551616'],
    ['HSCAN', 'h', ' 0'],
    ['HSCAN', 'h'],
    ['HSET', 'h', 'long', 'v'.repeat(65)],
    ['HSCAN', 'h', '0', 'COUNT', '100', 'MATCH', 'a*'],
    ['HSCAN', 'h', '0', 'COUNT', '0'],
    ['HSCAN', 'h', 'x'],
  ],
  'encoding: listpack until 512 fields and 64-byte fields/values': [
    ['HSET', 'h', 'f', LONG64],
    ['OBJECT', 'ENCODING', 'h'],
    ['HSET', 'h', LONG64, 'v'],
    ['OBJECT', 'ENCODING', 'h'],
    ['HSETNX', 'h', 'f', LONG65],
    ['OBJECT', 'ENCODING', 'h'],
    ['HSET', 'h', 'g', LONG65],
    ['OBJECT', 'ENCODING', 'h'],
    ['HDEL', 'h', 'g'],
    ['OBJECT', 'ENCODING', 'h'],
    ['HSET', 'k', LONG65, '1'],
    ['OBJECT', 'ENCODING', 'k'],
    ['HSETNX', 'n', 'f', LONG65],
    ['OBJECT', 'ENCODING', 'n'],
    ['HMSET', 'm', 'a', '1', 'b', LONG65],
    ['OBJECT', 'ENCODING', 'm'],
    ['HINCRBYFLOAT', 'fl', 'f', '1e100'],
    ['OBJECT', 'ENCODING', 'fl'],
    ['HINCRBYFLOAT', 'fl2', 'f', '1e10'],
    ['OBJECT', 'ENCODING', 'fl2'],
    ['HSET', 'big', ...Array.from({ length: 512 }, (_, i) => [`f${i}`, String(i)]).flat()],
    ['OBJECT', 'ENCODING', 'big'],
    ['HSET', 'big', 'f0', 'again'],
    ['HDEL', 'big', 'f3', 'f300'],
    ['HSET', 'big', 'f3', 'back'],
    ['OBJECT', 'ENCODING', 'big'],
    ['HGETALL', 'big'],
    ['HSCAN', 'big', '0', 'MATCH', 'f1*', 'COUNT', '1'],
    ['HSET', 'big', 'f300', '300', 'f512', '512'],
    ['OBJECT', 'ENCODING', 'big'],
    ['HDEL', 'big', 'f512', 'f511', 'f510'],
    ['OBJECT', 'ENCODING', 'big'],
    ['HLEN', 'big'],
    { args: ['HGETALL', 'big'], mode: 'unordered-pairs' },
    ['HSET', 'big2', ...Array.from({ length: 513 }, (_, i) => [`f${i}`, String(i)]).flat()],
    ['OBJECT', 'ENCODING', 'big2'],
    ['COPY', 'h', 'hc'],
    ['OBJECT', 'ENCODING', 'hc'],
    ['COPY', 'big', 'bigc'],
    ['OBJECT', 'ENCODING', 'bigc'],
    ['HLEN', 'bigc'],
    ['TYPE', 'big'],
  ],
  'listpack order survives updates and deletes': [
    ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'],
    ['HDEL', 'h', 'b', 'd'],
    ['HSET', 'h', 'b', '22', 'a', '11'],
    ['HSETNX', 'h', 'z', '26'],
    ['HINCRBY', 'h', 'c', '10'],
    ['HINCRBYFLOAT', 'h', 'e', '0.5'],
    ['HINCRBY', 'h', 'y', '1'],
    ['HGETALL', 'h'],
    ['HKEYS', 'h'],
    ['HVALS', 'h'],
    ['HDEL', 'h', 'a'],
    ['HMSET', 'h', 'a', 'back'],
    ['HGETALL', 'h'],
    ['EXPIRE', 'h', '1000'],
    ['HSET', 'h', 'q', '1'],
    ['HDEL', 'h', 'q'],
    ['HINCRBY', 'h', 'q', '1'],
    ['HINCRBYFLOAT', 'h', 'q', '1'],
    ['TTL', 'h'],
  ],
};

describe('hash commands match Redis', () => {
  scriptTests(SCRIPTS, getPair, { modes: EXACT });
});

// ---- bigger hashes: HSCAN and HRANDFIELD compared as sets and by their rules ----

async function call(conn: RawConnection, args: string[]): Promise<RespValue> {
  return parseReply(await conn.call(args));
}

async function hscanAll(conn: RawConnection, key: string, extra: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  let calls = 0;
  do {
    const r = (await call(conn, ['HSCAN', key, cursor, ...extra])) as [string, string[]];
    cursor = r[0];
    for (let i = 0; i < r[1].length; i += 2) out.set(r[1][i]!, r[1][i + 1]!);
    assert.ok(++calls < 100000);
  } while (cursor !== '0');
  return out;
}

describe('big hashes', () => {
  const N = 3000;
  async function both(): Promise<RawConnection[]> {
    const pair = await getPair();
    const conns = await Promise.all([RawConnection.connect(pair.redis.port), RawConnection.connect(pair.cairn.port)]);
    for (const conn of conns) {
      await call(conn, ['FLUSHALL']);
      for (let i = 0; i < N; i += 100) {
        const args = ['HSET', 'big'];
        for (let j = i; j < i + 100; j++) args.push(`field:${j}`, `value:${j}`);
        await call(conn, args);
      }
    }
    return conns;
  }

  test('full HSCAN with COUNT and MATCH returns the same pairs; HGETALL, HKEYS, HVALS the same multisets', async () => {
    const conns = await both();
    try {
      for (const extra of [[], ['COUNT', '1'], ['COUNT', '77'], ['MATCH', 'field:1*'], ['MATCH', 'nope']]) {
        const [a, b] = await Promise.all(conns.map((c) => hscanAll(c, 'big', extra)));
        assert.deepEqual(b, a, `HSCAN ${extra.join(' ')}`);
      }
      for (const cmd of ['HGETALL', 'HKEYS', 'HVALS', 'HLEN']) {
        const [a, b] = await Promise.all(conns.map((c) => call(c, [cmd, 'big'])));
        if (Array.isArray(a)) assert.deepEqual([...(b as string[])].sort(), [...a].sort(), cmd);
        else assert.deepEqual(b, a, cmd);
      }
      assert.equal(await call(conns[1]!, ['OBJECT', 'ENCODING', 'big']), 'hashtable');
    } finally {
      await Promise.all(conns.map((c) => c.close()));
    }
  });

  test('HRANDFIELD: distinct fields for a positive count, repetition allowed for a negative one', async () => {
    const conns = await both();
    const c = conns[1]!;
    try {
      const one = (await call(c, ['HRANDFIELD', 'big'])) as string;
      assert.match(one, /^field:\d+$/);
      for (const n of [1, 10, 999, 1001, 2999, 3000, 5000]) {
        const r = (await call(c, ['HRANDFIELD', 'big', String(n)])) as string[];
        assert.equal(r.length, Math.min(n, N));
        assert.equal(new Set(r).size, r.length, `HRANDFIELD ${n} gives distinct fields`);
        for (const f of r) assert.match(f, /^field:\d+$/);
      }
      const wv = (await call(c, ['HRANDFIELD', 'big', '50', 'WITHVALUES'])) as string[];
      assert.equal(wv.length, 100);
      for (let i = 0; i < wv.length; i += 2) assert.equal(wv[i + 1], wv[i]!.replace('field', 'value'));
      const neg = (await call(c, ['HRANDFIELD', 'big', '-5000'])) as string[];
      assert.equal(neg.length, 5000);
      assert.ok(new Set(neg).size < 5000, 'a negative count repeats fields');
      // Every field comes up: the picks are uniform enough to cover 3000 fields in 60000 draws.
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++)
        for (const f of (await call(c, ['HRANDFIELD', 'big', '-20000'])) as string[]) seen.add(f);
      assert.equal(seen.size, N);
      await c.call(['HELLO', '3']);
      const r3 = (await call(c, ['HRANDFIELD', 'big', '-3', 'WITHVALUES'])) as string[][];
      assert.equal(r3.length, 3);
      for (const p of r3) assert.equal(p[1], p[0]!.replace('field', 'value'));
    } finally {
      await Promise.all(conns.map((x) => x.close()));
    }
  });
});

// ---- the command table rows: COMMAND INFO and COMMAND DOCS, byte for byte ----

describe('COMMAND INFO and COMMAND DOCS of the hash commands', () => {
  commandRowTests(hashCommands, getPair);
});

// ---- effects ----

describe('effects', () => {
  const run = (cmds: string[][]): Promise<RecordedRun> => runRecorded(cmds);

  test('writes propagate as sent, HINCRBYFLOAT as HSET of the result, failures and no-ops not at all', async () => {
    const r = await run([
      ['HSET', 'h', 'a', '1'],
      ['HSET', 'h', 'a', '1'],
      ['HSETNX', 'h', 'a', '2'],
      ['HSETNX', 'h', 'b', '2'],
      ['HMSET', 'h', 'c', '3'],
      ['HDEL', 'h', 'zz'],
      ['HDEL', 'nokey', 'a'],
      ['HINCRBY', 'h', 'a', '5'],
      ['HINCRBY', 'h', 'b', 'x'],
      ['HINCRBYFLOAT', 'h', 'f', '1.1'],
      ['HINCRBYFLOAT', 'h', 'f', '0x10'],
      ['HINCRBYFLOAT', 'h', 'f', 'inf'],
      ['HGET', 'h', 'f'],
      ['HRANDFIELD', 'h', '2'],
      ['HDEL', 'h', 'a', 'b', 'c', 'f'],
    ]);
    assert.deepEqual(r.effects, [
      ['0', 'HSET', 'h', 'a', '1'],
      ['0', 'HSET', 'h', 'a', '1'],
      ['0', 'HSETNX', 'h', 'b', '2'],
      ['0', 'HMSET', 'h', 'c', '3'],
      ['0', 'HINCRBY', 'h', 'a', '5'],
      ['0', 'HSET', 'h', 'f', '1.1'],
      ['0', 'HSET', 'h', 'f', '17.1'],
      ['0', 'HDEL', 'h', 'a', 'b', 'c', 'f'],
    ]);
    assert.equal(r.replies[12], '$4\r\n17.1\r\n');
    await r.close();
  });
});

// ---- random command sequences against Redis ----

describe('random hash command sequences match Redis', () => {
  // Key h only ever holds short fields and values, so it stays a listpack and its listings compare exactly; key g
  // also gets 65-byte ones, turns hashtable, and has its listings compared sorted; key s is a set.
  const key = fc.constantFrom('h', 'g', 's');
  const shortField = fc.constantFrom('a', 'b', 'c', 'n', '1', '-2', '', BIN);
  const shortValue = fc.constantFrom('1', '-7', '0', 'abc', '1.5', '', '9223372036854775807', 'v'.repeat(64));
  const longField = fc.oneof(shortField, fc.constant('x'.repeat(65)));
  const longValue = fc.oneof(shortValue, fc.constant('v'.repeat(70)));
  const fieldOf = (k: string): fc.Arbitrary<string> => (k === 'g' ? longField : shortField);
  const valueOf = (k: string): fc.Arbitrary<string> => (k === 'g' ? longValue : shortValue);
  const incr = fc.constantFrom('1', '-1', '10', 'x', '9223372036854775807', '-9223372036854775808');
  const fincr = fc.constantFrom('1', '-0.5', '1e3', 'inf', 'x', '3.0e-2');
  const fields = (k: string): fc.Arbitrary<string[]> => fc.array(fieldOf(k), { minLength: 1, maxLength: 3 });
  const cmd: fc.Arbitrary<string[]> = key.chain((k) =>
    fc.oneof(
      fc.array(fc.tuple(fieldOf(k), valueOf(k)), { minLength: 1, maxLength: 3 }).map((fv) => ['HSET', k, ...fv.flat()]),
      fc.tuple(fieldOf(k), valueOf(k)).map(([f, v]) => ['HSETNX', k, f, v]),
      fieldOf(k).map((f) => ['HGET', k, f]),
      fields(k).map((fs) => ['HMGET', k, ...fs]),
      fields(k).map((fs) => ['HDEL', k, ...fs]),
      fc.tuple(fieldOf(k), incr).map(([f, i]) => ['HINCRBY', k, f, i]),
      fc.tuple(fieldOf(k), fincr).map(([f, i]) => ['HINCRBYFLOAT', k, f, i]),
      fieldOf(k).map((f) => ['HSTRLEN', k, f]),
      fieldOf(k).map((f) => ['HEXISTS', k, f]),
      fc.constantFrom<string[]>(
        ['HLEN', k],
        ['HGETALL', k],
        ['HKEYS', k],
        ['HVALS', k],
        ['HSCAN', k, '0', 'COUNT', '1000'],
      ),
      fc.constantFrom<string[]>(['OBJECT', 'ENCODING', k], ['EXISTS', k], ['DEL', k], ['SADD', 's', 'member']),
      fc.constantFrom('0', '5', '100').map((n) => ['HRANDFIELD', k, n, 'WITHVALUES']),
    ),
  );

  test('property: HSET/HSETNX/HDEL/HINCRBY/HINCRBYFLOAT/reads', async () => {
    const pair = await getPair();
    let runs = 0;
    // HRANDFIELD with a count beyond the size and HSCAN of a listpack return the whole hash in order: exact.
    const modes: Record<string, CompareMode> = { ...EXACT, HRANDFIELD: 'exact', HSCAN: 'exact' };
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        runs++;
        const script: Script = cmds.map((args) =>
          args[0] === 'HRANDFIELD' && args[2] === '5' ? { args, mode: 'type' as const } : args,
        );
        await compareScripts(pair, [[...script, ['HGETALL', 'h'], ['HGETALL', 'g']]], {
          resp: runs % 2 === 0 ? 3 : 2,
          modes,
          normalize: sortListingsOfG,
        });
      }),
      { numRuns: 200 },
    );
  });
});

/** Listings of key g (a hashtable, in an order of its own) sorted, so that they compare exactly with the rest. */
function sortListingsOfG(reply: Buffer, args: readonly (string | Buffer)[]): Buffer | string {
  const name = String(args[0]).toUpperCase();
  if (String(args[1]) !== 'g' || !['HGETALL', 'HKEYS', 'HVALS', 'HRANDFIELD', 'HSCAN'].includes(name)) return reply;
  const kind = reply.toString('latin1', 0, 1);
  if (kind === '-') return reply;
  return kind + JSON.stringify(sortDeep(parseReply(reply), name));
}

function sortDeep(v: RespValue, name: string): unknown {
  if (v instanceof Map) return [...v.entries()].map((e) => JSON.stringify(e)).sort();
  if (!Array.isArray(v)) return v;
  if (name === 'HSCAN') return [v[0], sortDeep(v[1]!, 'HGETALL')];
  if (name === 'HGETALL' || (name === 'HRANDFIELD' && !Array.isArray(v[0]))) {
    const pairs: string[] = [];
    for (let i = 0; i + 1 < v.length; i += 2) pairs.push(JSON.stringify([v[i], v[i + 1]]));
    return pairs.sort();
  }
  return v.map((x) => JSON.stringify(x)).sort();
}
