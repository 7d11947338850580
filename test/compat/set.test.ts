// Differential tests of the set commands against real Redis 7.0.15, in RESP2 and RESP3: SADD, SREM, SCARD,
// SISMEMBER, SMISMEMBER, SMEMBERS, SRANDMEMBER, SPOP, SMOVE, SINTER, SINTERCARD, SUNION, SDIFF, SINTERSTORE,
// SUNIONSTORE, SDIFFSTORE, SSCAN; OBJECT ENCODING (intset → hashtable); their COMMAND INFO/DOCS rows; the
// effects they propagate (SPOP as SREM/DEL), replayed; and random command sequences generated with fast-check.
//
// Wrong-type keys are hashes (HSET): the hash family is Cairn's own, so these tests need nothing else.
// Integer sets are intsets in both servers and list in ascending order, so their listings compare exactly.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer } from '../../src/index.js';
import { runRecorded, type RecordedRun } from '../support/effects.js';
import type { Server } from '../../src/server/server.js';
import { setCommands } from '../../src/commands/set.js';
import { sharedPair } from '../support/servers.js';
import {
  commandRowSteps,
  compareScripts,
  scriptTests,
  type Script,
  type CompareMode,
} from '../support/differential.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';

const getPair = sharedPair();

const BIN = 'm\x00\xff\r\n';
const ints = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => String(from + i));

/** Listings of integer sets (intsets: ascending in both servers) compare exactly. */
const EXACT: Readonly<Record<string, CompareMode>> = {
  SMEMBERS: 'exact',
  SINTER: 'exact',
  SUNION: 'exact',
  SDIFF: 'exact',
  SSCAN: 'exact',
};

const SCRIPTS: Record<string, Script> = {
  'SADD, SREM, SCARD, SISMEMBER, SMISMEMBER': [
    ['SADD', 's', '3', '1', '2', '1'],
    ['SADD', 's', '2', '4'],
    ['SCARD', 's'],
    ['SCARD', 'nokey'],
    ['SISMEMBER', 's', '1'],
    ['SISMEMBER', 's', '01'],
    ['SISMEMBER', 's', '9'],
    ['SISMEMBER', 'nokey', '1'],
    ['SMISMEMBER', 's', '1', '9', '4', '1'],
    ['SMISMEMBER', 'nokey', 'a', 'b'],
    ['SMEMBERS', 's'],
    ['SMEMBERS', 'nokey'],
    ['SREM', 's', '1', '1', '9'],
    ['SREM', 'nokey', '1'],
    ['SMEMBERS', 's'],
    ['SREM', 's', '2', '3', '4', '5'],
    ['EXISTS', 's'],
    ['SADD', BIN, BIN, ''],
    { args: ['SMEMBERS', BIN], mode: 'unordered' },
    ['SISMEMBER', BIN, ''],
    ['SADD', 's'],
    ['SREM', 's'],
    ['SCARD'],
    ['SISMEMBER', 's'],
    ['SISMEMBER', 's', 'a', 'b'],
    ['SMISMEMBER', 's'],
    ['SMEMBERS'],
    ['sadd', 'lower', 'x'],
  ],
  'WRONGTYPE everywhere': [
    ['HSET', 'h', 'f', 'v'],
    ['SADD', 's', '1'],
    ['SADD', 'h', 'a'],
    ['SREM', 'h', 'a'],
    ['SCARD', 'h'],
    ['SISMEMBER', 'h', 'a'],
    ['SMISMEMBER', 'h', 'a'],
    ['SMEMBERS', 'h'],
    ['SRANDMEMBER', 'h'],
    ['SRANDMEMBER', 'h', '0'],
    ['SRANDMEMBER', 'h', 'x'],
    ['SRANDMEMBER', 'h', '1', '2'],
    ['SPOP', 'h'],
    ['SPOP', 'h', '0'],
    ['SPOP', 'h', '-1'],
    ['SPOP', 'h', '1', '2'],
    ['SMOVE', 'h', 's', 'a'],
    ['SMOVE', 's', 'h', '1'],
    ['SMOVE', 'nokey', 'h', '1'],
    ['SMOVE', 's', 'h', 'notthere'],
    ['SINTER', 's', 'h'],
    ['SINTER', 'nokey', 'h'],
    ['SINTERCARD', '2', 'nokey', 'h'],
    ['SUNION', 'h', 's'],
    ['SDIFF', 's', 'h'],
    ['SDIFF', 'nokey', 'h'],
    ['SINTERSTORE', 'd', 's', 'h'],
    ['SUNIONSTORE', 'd', 's', 'h'],
    ['SDIFFSTORE', 'd', 'h'],
    ['SSCAN', 'h', '0'],
    ['SSCAN', 'h', 'x'],
    ['EXISTS', 'd'],
    ['TYPE', 'h'],
  ],
  'SRANDMEMBER and SPOP shapes and errors': [
    ['SRANDMEMBER', 'nokey'],
    ['SRANDMEMBER', 'nokey', '5'],
    ['SRANDMEMBER', 'nokey', '-5'],
    ['SRANDMEMBER', 'nokey', 'x'],
    ['SPOP', 'nokey'],
    ['SPOP', 'nokey', '5'],
    ['SPOP', 'nokey', '0'],
    ['SPOP', 'nokey', '-1'],
    ['SADD', 'one', 'x'],
    { args: ['SRANDMEMBER', 'one'], mode: 'exact' },
    { args: ['SRANDMEMBER', 'one', '3'], mode: 'exact' },
    { args: ['SRANDMEMBER', 'one', '-3'], mode: 'exact' },
    { args: ['SPOP', 'one', '0'], mode: 'exact' },
    { args: ['SPOP', 'one'], mode: 'exact' },
    ['EXISTS', 'one'],
    ['SADD', 'i', '5', '-3', '10', '0'],
    { args: ['SRANDMEMBER', 'i', '4'], mode: 'exact' },
    { args: ['SRANDMEMBER', 'i', '100'], mode: 'exact' },
    ['SRANDMEMBER', 'i', '0'],
    ['SRANDMEMBER', 'i', '2'],
    ['SRANDMEMBER', 'i', '-10'],
    ['SRANDMEMBER', 'i', '1.5'],
    ['SRANDMEMBER', 'i', '9223372036854775807'],
    ['SRANDMEMBER', 'i', '-9223372036854775808'],
    ['SRANDMEMBER', 'i', '9223372036854775808'],
    ['SRANDMEMBER', 'i', '1', '2'],
    ['SPOP', 'i', 'x'],
    ['SPOP', 'i', '-1'],
    ['SPOP', 'i', '1.5'],
    ['SPOP', 'i', '9223372036854775808'],
    ['SPOP', 'i', '1', '2'],
    ['SPOP', 'i', '2'],
    ['SCARD', 'i'],
    ['SPOP', 'i', '1'],
    ['SCARD', 'i'],
    ['SADD', 'i', '7', '8'],
    { args: ['SPOP', 'i', '3'], mode: 'type' },
    ['EXISTS', 'i'],
    ['SADD', 'w', '3', 'a', '1', '2'],
    ['SREM', 'w', 'a'],
    ['OBJECT', 'ENCODING', 'w'],
    // The whole set popped comes out as Redis's union of it: an intset again, so ascending.
    { args: ['SPOP', 'w', '10'], mode: 'exact' },
    ['SPOP'],
    ['SRANDMEMBER'],
  ],
  SMOVE: [
    ['SADD', 'a', '1', '2', 'x'],
    ['SADD', 'b', '3'],
    ['SMOVE', 'a', 'b', '1'],
    ['SMOVE', 'a', 'b', '1'],
    ['SMOVE', 'a', 'b', '3'],
    ['SMOVE', 'a', 'a', '2'],
    ['SMOVE', 'a', 'a', '9'],
    ['SMOVE', 'nokey', 'a', '1'],
    ['SMOVE', 'a', 'new', 'x'],
    ['OBJECT', 'ENCODING', 'new'],
    ['SMOVE', 'a', 'new2', '2'],
    ['OBJECT', 'ENCODING', 'new2'],
    ['EXISTS', 'a'],
    ['SMEMBERS', 'b'],
    ['SMOVE', 'b', 'new2', '3'],
    ['SMEMBERS', 'new2'],
    ['SMOVE', 'b', 'c'],
    ['SMOVE', 'b', 'c', 'd', 'e'],
  ],
  'SINTER, SUNION, SDIFF and SINTERCARD': [
    ['SADD', 'a', '1', '2', '3', '4', '5'],
    ['SADD', 'b', '4', '5', '6', '7'],
    ['SADD', 'c', '5', '7', '9'],
    ['SADD', 'x', 'p', 'q', '5'],
    ['SINTER', 'a', 'b'],
    ['SINTER', 'a', 'b', 'c'],
    ['SINTER', 'a', 'nokey'],
    ['SINTER', 'nokey'],
    ['SINTER', 'a'],
    ['SINTER', 'a', 'a'],
    { args: ['SINTER', 'x', 'a'], mode: 'unordered' },
    ['SUNION', 'a', 'b', 'c'],
    ['SUNION', 'a', 'nokey'],
    ['SUNION', 'nokey'],
    { args: ['SUNION', 'a', 'x'], mode: 'unordered' },
    ['SDIFF', 'a', 'b'],
    ['SDIFF', 'a', 'b', 'c'],
    ['SDIFF', 'a', 'nokey'],
    ['SDIFF', 'nokey', 'a'],
    ['SDIFF', 'a', 'a'],
    ['SDIFF', 'a', 'b', 'a'],
    ['SDIFF', 'a'],
    { args: ['SDIFF', 'x', 'a'], mode: 'unordered' },
    ['SINTERCARD', '2', 'a', 'b'],
    ['SINTERCARD', '3', 'a', 'b', 'c'],
    ['SINTERCARD', '1', 'a'],
    ['SINTERCARD', '1', 'nokey'],
    ['SINTERCARD', '2', 'a', 'nokey'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '2'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '0'],
    ['SINTERCARD', '1', 'a', 'limit', '100'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '1', 'LIMIT', '3'],
    ['SINTERCARD', '0', 'a'],
    ['SINTERCARD', '-1', 'a'],
    ['SINTERCARD', 'x', 'a'],
    ['SINTERCARD', '9223372036854775808', 'a'],
    ['SINTERCARD', '3', 'a', 'b'],
    ['SINTERCARD', '1', 'a', 'LIMIT'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '-1'],
    ['SINTERCARD', '1', 'a', 'LIMIT', 'x'],
    ['SINTERCARD', '1', 'a', 'FOO', '1'],
    ['SINTERCARD', '1', 'a', 'b'],
    ['SINTERCARD', '1'],
    ['SINTER'],
    ['SUNION'],
    ['SDIFF'],
  ],
  'SINTERSTORE, SUNIONSTORE, SDIFFSTORE and their encodings': [
    ['SADD', 'a', '1', '2', '3', 'x'],
    ['SREM', 'a', 'x'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SADD', 'b', '2', '3', '4'],
    ['SINTERSTORE', 'd', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'd'],
    ['SMEMBERS', 'd'],
    ['SUNIONSTORE', 'd', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'd'],
    ['SMEMBERS', 'd'],
    ['SDIFFSTORE', 'd', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'd'],
    ['SMEMBERS', 'd'],
    ['SUNION', 'a'],
    ['SDIFF', 'a', 'nokey'],
    ['SADD', 'y', 'y1', '1', '2'],
    // The difference is built by copying y (non-integers included) then removing: it stays a hashtable.
    ['SDIFFSTORE', 'd2', 'y', 'nokey', 'y1set'],
    ['SADD', 'y1set', 'y1'],
    ['SDIFFSTORE', 'd2', 'y', 'y1set'],
    ['OBJECT', 'ENCODING', 'd2'],
    ['SADD', 'big', ...ints(0, 40)],
    ['SDIFFSTORE', 'd3', 'y', 'big'],
    ['OBJECT', 'ENCODING', 'd3'],
    ['SMEMBERS', 'd3'],
    ['HSET', 'h', 'f', 'v'],
    ['SINTERSTORE', 'h', 'a', 'b'],
    ['TYPE', 'h'],
    ['HSET', 'h2', 'f', 'v'],
    ['SUNIONSTORE', 'h2', 'nokey'],
    ['EXISTS', 'h2'],
    ['SINTERSTORE', 'd', 'a', 'nokey'],
    ['EXISTS', 'd'],
    ['SUNIONSTORE', 'd', 'a'],
    ['SDIFFSTORE', 'd', 'a', 'a'],
    ['EXISTS', 'd'],
    ['SINTERSTORE', 'a', 'a', 'b'],
    ['SMEMBERS', 'a'],
    ['SUNIONSTORE', 'e', 'nokey'],
    ['EXISTS', 'e'],
    ['SADD', 't', 'x', 'y'],
    ['EXPIRE', 't', '1000'],
    ['SADD', 't', 'z'],
    ['SREM', 't', 'x'],
    ['SPOP', 't', '0'],
    ['TTL', 't'],
    ['SUNIONSTORE', 't', 'a'],
    ['TTL', 't'],
    ['SINTERSTORE', 'd'],
    ['SUNIONSTORE', 'd'],
    ['SDIFFSTORE', 'd'],
  ],
  'encoding: intset until 512 canonical 64-bit integers': [
    ['SADD', 'i', '9223372036854775807', '-9223372036854775808', '0'],
    ['OBJECT', 'ENCODING', 'i'],
    ['SMEMBERS', 'i'],
    ['SADD', 'j', '9223372036854775808'],
    ['OBJECT', 'ENCODING', 'j'],
    ['SADD', 'k', '01'],
    ['OBJECT', 'ENCODING', 'k'],
    ['SADD', 'k2', '-0'],
    ['OBJECT', 'ENCODING', 'k2'],
    ['SADD', 'k3', '+1'],
    ['OBJECT', 'ENCODING', 'k3'],
    ['SADD', 'k4', ' 1'],
    ['OBJECT', 'ENCODING', 'k4'],
    ['SADD', 'k5', '1', 'a'],
    ['OBJECT', 'ENCODING', 'k5'],
    ['SREM', 'k5', 'a'],
    ['OBJECT', 'ENCODING', 'k5'],
    ['SADD', 'big', ...ints(-200, 312)],
    ['OBJECT', 'ENCODING', 'big'],
    ['SCARD', 'big'],
    ['SMEMBERS', 'big'],
    ['SSCAN', 'big', '0', 'MATCH', '-1*'],
    ['SADD', 'big', '100'],
    ['SADD', 'big', '312'],
    ['OBJECT', 'ENCODING', 'big'],
    ['SREM', 'big', '312', '311'],
    ['OBJECT', 'ENCODING', 'big'],
    { args: ['SMEMBERS', 'big'], mode: 'unordered' },
    ['SADD', 'big2', ...ints(0, 513)],
    ['OBJECT', 'ENCODING', 'big2'],
    ['COPY', 'i', 'ic'],
    ['OBJECT', 'ENCODING', 'ic'],
    ['COPY', 'k5', 'k5c'],
    ['OBJECT', 'ENCODING', 'k5c'],
  ],
  'SSCAN on small sets, options and errors': [
    ['SSCAN', 'nokey', '0'],
    ['SSCAN', 'nokey', '0', 'COUNT', '0'],
    ['SSCAN', 'nokey', 'x'],
    ['SADD', 's', '10', '2', '-5', '11', '100'],
    ['SSCAN', 's', '0'],
    ['SSCAN', 's', '0', 'COUNT', '1'],
    ['SSCAN', 's', '0', 'MATCH', '1*'],
    ['SSCAN', 's', '0', 'match', '*', 'count', '100'],
    ['SSCAN', 's', '999'],
    ['SSCAN', 's', '0', 'COUNT', '0'],
    ['SSCAN', 's', '0', 'COUNT', 'x'],
    ['SSCAN', 's', '0', 'COUNT'],
    ['SSCAN', 's', '0', 'MATCH'],
    ['SSCAN', 's', '0', 'TYPE', 'set'],
    ['SSCAN', 's', 'x'],
    ['SSCAN', 's', '-1'],
    ['SSCAN', 's'],
    ['SADD', 't', 'a', 'b'],
    { args: ['SSCAN', 't', '0', 'COUNT', '100'], normalize: (r, a) => sortListings(r, a) },
    { args: ['SSCAN', 't', '0', 'MATCH', 'a'], mode: 'exact' },
    ['SSCAN', 't', '0', 'COUNT', '0'],
  ],
};

describe('set commands match Redis', () => {
  scriptTests(SCRIPTS, getPair, { modes: EXACT });
});

// ---- bigger sets ----

async function call(conn: RawConnection, args: string[]): Promise<RespValue> {
  return parseReply(await conn.call(args));
}

async function sscanAll(conn: RawConnection, key: string, extra: string[]): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  let calls = 0;
  do {
    const r = (await call(conn, ['SSCAN', key, cursor, ...extra])) as [string, string[]];
    cursor = r[0];
    out.push(...r[1]);
    assert.ok(++calls < 100000);
  } while (cursor !== '0');
  return out;
}

describe('big sets', () => {
  const N = 3000;
  async function both(): Promise<RawConnection[]> {
    const pair = await getPair();
    const conns = await Promise.all([RawConnection.connect(pair.redis.port), RawConnection.connect(pair.cairn.port)]);
    for (const conn of conns) {
      await call(conn, ['FLUSHALL']);
      for (let i = 0; i < N; i += 500) {
        await call(conn, ['SADD', 'big', ...Array.from({ length: 500 }, (_, j) => `member:${i + j}`)]);
        await call(conn, ['SADD', 'odd', ...Array.from({ length: 250 }, (_, j) => `member:${i + 2 * j + 1}`)]);
        await call(conn, ['SADD', 'nums', ...ints(i, i + 500)]);
      }
    }
    return conns;
  }
  const sorted = (v: RespValue): string[] => [...(v as string[])].sort();

  test('SSCAN, SMEMBERS and the set algebra agree as sets', async () => {
    const conns = await both();
    try {
      for (const extra of [[], ['COUNT', '1'], ['COUNT', '101'], ['MATCH', 'member:1*']]) {
        const [a, b] = await Promise.all(conns.map((c) => sscanAll(c, 'big', extra)));
        assert.deepEqual(b!.sort(), a!.sort(), `SSCAN ${extra.join(' ')}`);
      }
      const cmds: string[][] = [
        ['SMEMBERS', 'big'],
        ['SINTER', 'big', 'odd'],
        ['SUNION', 'odd', 'nums'],
        ['SDIFF', 'big', 'odd'],
        ['SDIFF', 'odd', 'big'],
        ['SINTERCARD', '2', 'big', 'odd'],
        ['SINTERCARD', '2', 'big', 'odd', 'LIMIT', '10'],
        ['SDIFFSTORE', 'd', 'big', 'odd'],
        ['OBJECT', 'ENCODING', 'd'],
        ['SMEMBERS', 'd'],
        ['SUNIONSTORE', 'u', 'nums', 'odd'],
        ['SCARD', 'u'],
        ['OBJECT', 'ENCODING', 'nums'],
      ];
      for (const cmd of cmds) {
        const [a, b] = await Promise.all(conns.map((c) => call(c, cmd)));
        if (Array.isArray(a)) assert.deepEqual(sorted(b!), sorted(a), cmd.join(' '));
        else assert.deepEqual(b, a, cmd.join(' '));
      }
    } finally {
      await Promise.all(conns.map((c) => c.close()));
    }
  });

  test('SRANDMEMBER and SPOP with a count: distinct members for a positive count, repetition for a negative one', async () => {
    const conns = await both();
    const c = conns[1]!;
    try {
      for (const n of [1, 10, 999, 1001, 2999, 3000, 5000]) {
        const r = (await call(c, ['SRANDMEMBER', 'big', String(n)])) as string[];
        assert.equal(r.length, Math.min(n, N));
        assert.equal(new Set(r).size, r.length);
      }
      const neg = (await call(c, ['SRANDMEMBER', 'big', '-5000'])) as string[];
      assert.equal(neg.length, 5000);
      assert.ok(new Set(neg).size < 5000);
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++)
        for (const m of (await call(c, ['SRANDMEMBER', 'big', '-20000'])) as string[]) seen.add(m);
      assert.equal(seen.size, N, 'uniform picks cover every member');
      const popped = (await call(c, ['SPOP', 'big', '1000'])) as string[];
      assert.equal(new Set(popped).size, 1000);
      assert.equal(await call(c, ['SCARD', 'big']), N - 1000);
      const still = (await call(c, ['SMISMEMBER', 'big', ...popped.slice(0, 50)])) as number[];
      assert.ok(still.every((x) => x === 0));
      const rest = (await call(c, ['SPOP', 'big', '5000'])) as string[];
      assert.equal(rest.length, N - 1000);
      assert.equal(await call(c, ['EXISTS', 'big']), 0);
    } finally {
      await Promise.all(conns.map((x) => x.close()));
    }
  });
});

// ---- the command table rows: COMMAND INFO and COMMAND DOCS, byte for byte ----

describe('COMMAND INFO and COMMAND DOCS of the set commands', () => {
  for (const resp of [2, 3] as const) {
    test(`RESP${resp}`, async () => {
      const script = commandRowSteps(setCommands);
      await compareScripts(
        await getPair(),
        [[...script, ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1']]],
        {
          resp,
        },
      );
    });
  }
});

// ---- effects ----

describe('effects', () => {
  const run = (cmds: string[][]): Promise<RecordedRun> => runRecorded(cmds);

  function dump(server: Server): string[] {
    const out: string[] = [];
    const db = server.keyspace.dbs[0]!;
    for (const [k, e] of db.dict) {
      const v = db.vals[e] as unknown as Iterable<string> & { type: string };
      out.push(`${k}:${v.type}:${[...v].sort().join(',')}`);
    }
    return out.sort();
  }

  test('SPOP propagates SREM of what it chose, or DEL when the whole set goes; replaying gives the same data', async () => {
    const members = ints(0, 50).map((i) => 'm' + i);
    const r = await run([
      ['SADD', 's', ...members],
      ['SPOP', 's'],
      ['SPOP', 's', '5'],
      ['SPOP', 's', '0'],
      ['SPOP', 'nokey'],
      ['SPOP', 'nokey', '3'],
      ['SRANDMEMBER', 's', '3'],
      ['SADD', 't', 'a', 'b'],
      ['SPOP', 't', '2'],
      ['SADD', 'u', 'only'],
      ['SPOP', 'u'],
      ['SADD', 'p', 'm0', 'm1', 'm2'],
      ['SMOVE', 'p', 'v', 'm0'],
      ['SMOVE', 'p', 'v', 'nope'],
      ['SREM', 'p', 'nope'],
      ['SADD', 'p', 'm1', 'm1'],
      ['SINTERSTORE', 'd', 'p', 'v'],
      ['SUNIONSTORE', 'd', 'p', 'v'],
      ['SDIFFSTORE', 'e', 'nokey'],
    ]);
    const e = r.effects;
    assert.deepEqual(e[0], ['0', 'SADD', 's', ...members]);
    assert.deepEqual(e[1]!.slice(0, 3), ['0', 'SREM', 's']);
    assert.equal(e[1]!.length, 4);
    assert.deepEqual(e[2]!.slice(0, 3), ['0', 'SREM', 's']);
    assert.equal(e[2]!.length, 8);
    assert.deepEqual(e[3], ['0', 'SADD', 't', 'a', 'b']);
    assert.deepEqual(e[4], ['0', 'DEL', 't']);
    assert.deepEqual(e[5], ['0', 'SADD', 'u', 'only']);
    assert.deepEqual(e[6], ['0', 'SREM', 'u', 'only']);
    assert.deepEqual(e.slice(7), [
      ['0', 'SADD', 'p', 'm0', 'm1', 'm2'],
      ['0', 'SMOVE', 'p', 'v', 'm0'],
      ['0', 'SUNIONSTORE', 'd', 'p', 'v'],
    ]);

    // Replaying the effects on a fresh server gives the same data.
    const s2 = await startServer({ port: 0 });
    const c2 = s2.server.createLocalClient();
    for (const x of e) {
      s2.server.execute(c2, x.slice(1));
      c2.out.take();
    }
    assert.deepEqual(dump(s2.server), dump(r.server));
    await s2.close();
    await r.close();
  });
});

// ---- random command sequences against Redis ----

describe('random set command sequences match Redis', () => {
  // Members mix integers (intsets) and strings ('w', 'hx' and BIN make hashtables). A hashtable lists in an order
  // of its own, even once only integers are left in it, so listings are compared sorted here (the scripts above
  // check the ascending order of intsets exactly); encodings are compared as they are.
  const key = fc.constantFrom('a', 'b', 'c', 'h');
  const member = fc.constantFrom('1', '2', '3', '10', '-5', '0', '9223372036854775807', 'w', 'hx', BIN);
  const members = fc.array(member, { minLength: 1, maxLength: 4 });
  const keys = fc.array(key, { minLength: 1, maxLength: 3 });
  const cmd: fc.Arbitrary<string[]> = fc.oneof(
    fc.tuple(key, members).map(([k, ms]) => ['SADD', k, ...ms]),
    fc.tuple(key, members).map(([k, ms]) => ['SREM', k, ...ms]),
    fc.tuple(key, member).map(([k, m]) => ['SISMEMBER', k, m]),
    fc.tuple(key, members).map(([k, ms]) => ['SMISMEMBER', k, ...ms]),
    key.map((k) => ['SCARD', k]),
    key.map((k) => ['SMEMBERS', k]),
    key.map((k) => ['OBJECT', 'ENCODING', k]),
    key.map((k) => ['SSCAN', k, '0', 'COUNT', '100']),
    fc.tuple(key, key, member).map(([a, b, m]) => ['SMOVE', a, b, m]),
    keys.map((ks) => ['SINTER', ...ks]),
    keys.map((ks) => ['SUNION', ...ks]),
    keys.map((ks) => ['SDIFF', ...ks]),
    fc
      .tuple(keys, fc.constantFrom([], ['LIMIT', '1'], ['LIMIT', '0']))
      .map(([ks, l]) => ['SINTERCARD', String(ks.length), ...ks, ...l]),
    fc.tuple(key, keys).map(([d, ks]) => ['SINTERSTORE', d, ...ks]),
    fc.tuple(key, keys).map(([d, ks]) => ['SUNIONSTORE', d, ...ks]),
    fc.tuple(key, keys).map(([d, ks]) => ['SDIFFSTORE', d, ...ks]),
    fc.tuple(key, fc.constantFrom('0', '100', '-1')).map(([k, n]) => ['SRANDMEMBER', k, n]),
    fc.tuple(key, fc.constantFrom('0', '100')).map(([k, n]) => ['SPOP', k, n]),
    key.map((k) => ['DEL', k]),
    fc.constant(['HSET', 'h', 'f', 'v']),
  ) as fc.Arbitrary<string[]>;

  test('property: SADD/SREM/SMOVE/set algebra/stores/reads', async () => {
    const pair = await getPair();
    let runs = 0;
    const modes: Record<string, CompareMode> = { ...EXACT, SRANDMEMBER: 'exact', SPOP: 'exact' };
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        runs++;
        const script: Script = cmds.map((args) =>
          args[0] === 'SRANDMEMBER' && args[2] === '-1' ? { args, mode: 'type' as const } : args,
        );
        await compareScripts(pair, [[...script, ['SMEMBERS', 'a'], ['SMEMBERS', 'b'], ['SMEMBERS', 'c']]], {
          resp: runs % 2 === 0 ? 3 : 2,
          modes,
          normalize: sortListings,
        });
      }),
      { numRuns: 200 },
    );
  });
});

/** Set listings are sorted before comparing (see above). */
function sortListings(reply: Buffer, args: readonly (string | Buffer)[]): Buffer | string {
  const name = String(args[0]).toUpperCase();
  if (!['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'SSCAN', 'SRANDMEMBER', 'SPOP'].includes(name)) return reply;
  const kind = reply.toString('latin1', 0, 1);
  if (kind !== '*' && kind !== '~') return reply;
  const v = parseReply(reply) as RespValue[];
  const list = (name === 'SSCAN' ? v[1] : v) as string[];
  return kind + JSON.stringify(name === 'SSCAN' ? [v[0], [...list].sort()] : [...list].sort());
}
