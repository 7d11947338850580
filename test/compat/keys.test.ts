// Differential tests of the keyspace (generic) commands against real Redis 7.0.15, in RESP2 and RESP3: DEL,
// UNLINK, EXISTS, TYPE, RENAME, RENAMENX, COPY, MOVE, TOUCH, KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB, FLUSHALL,
// SWAPDB; their command-table rows against Redis's COMMAND INFO/DOCS; and the effects they propagate.

import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RunningServer } from '../../src/index.js';
import { CommandEntry } from '../../src/commands/registry.js';
import { keyCommands } from '../../src/commands/generic.js';
import { runRecorded, type RecordedRun } from '../support/effects.js';
import { startIsolated } from '../support/isolated.js';
import { startRedis, type RedisHandle } from '../support/servers.js';
import { compareScripts, scriptTests, type Script, type PairLike } from '../support/differential.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';

// ---- setup: a redis-server and an in-process Cairn ----

let redis: RedisHandle;
let cairn: RunningServer;
let pair: PairLike;

before(async () => {
  [redis, cairn] = await Promise.all([startRedis(), startIsolated()]);
  pair = { redis, cairn: { port: cairn.port } };
});
after(async () => {
  await Promise.all([redis?.stop(), cairn?.close()]);
});

const BIN = 'k\x00\xff\r\n';

// ---- scripts ----

const SCRIPTS: Record<string, Script> = {
  'DEL and UNLINK': [
    ['DEL', 'a'],
    ['SET', 'a', '1'],
    ['SET', 'b', '2'],
    ['SET', BIN, 'x'],
    ['DEL', 'a', 'a', 'zz'],
    ['EXISTS', 'a'],
    ['UNLINK', 'b', 'nope', BIN],
    ['UNLINK', 'b'],
    ['DBSIZE'],
    ['del'],
    ['unlink'],
  ],
  'EXISTS, TYPE, TOUCH': [
    ['SET', 'a', '1'],
    ['SET', BIN, '1'],
    ['EXISTS', 'a', 'a', 'a', 'b', BIN],
    ['EXISTS', 'nope'],
    ['TYPE', 'a'],
    ['TYPE', 'nope'],
    ['TYPE', BIN],
    ['TOUCH', 'a', 'a', 'nope', BIN],
    ['TOUCH', 'nope'],
    ['EXISTS'],
    ['TYPE'],
    ['TYPE', 'a', 'b'],
    ['TOUCH'],
  ],
  RENAME: [
    ['RENAME', 'nope', 'x'],
    ['RENAME', 'nope', 'nope'],
    ['SET', 'a', '1'],
    ['RENAME', 'a', 'a'],
    ['GET', 'a'],
    ['RENAME', 'a', 'b'],
    ['EXISTS', 'a'],
    ['GET', 'b'],
    ['SET', 'c', '3'],
    ['EXPIRE', 'c', '1000'],
    ['RENAME', 'b', 'c'],
    ['GET', 'c'],
    ['TTL', 'c'],
    ['EXPIRE', 'c', '500'],
    ['RENAME', 'c', BIN],
    ['TTL', BIN],
    ['GET', BIN],
    ['RENAME', BIN, BIN],
    ['TTL', BIN],
    ['RENAME', 'a'],
    ['RENAME', 'a', 'b', 'c'],
  ],
  RENAMENX: [
    ['RENAMENX', 'nope', 'x'],
    ['RENAMENX', 'nope', 'nope'],
    ['SET', 'a', '1'],
    ['SET', 'b', '2'],
    ['RENAMENX', 'a', 'a'],
    ['RENAMENX', 'a', 'b'],
    ['GET', 'a'],
    ['GET', 'b'],
    ['EXPIRE', 'a', '77'],
    ['RENAMENX', 'a', 'c'],
    ['TTL', 'c'],
    ['EXISTS', 'a'],
    ['RENAMENX', 'a'],
  ],
  COPY: [
    ['COPY', 'nope', 'x'],
    ['SET', 'a', 'hello'],
    ['COPY', 'a', 'a'],
    ['COPY', 'a', 'a', 'DB', '0'],
    ['COPY', 'a', 'a', 'REPLACE'],
    ['COPY', 'a', 'b'],
    ['GET', 'b'],
    ['SET', 'b', 'other'],
    ['COPY', 'a', 'b'],
    ['GET', 'b'],
    ['COPY', 'a', 'b', 'REPLACE'],
    ['GET', 'b'],
    ['COPY', 'a', 'b', 'replace', 'REPLACE'],
    ['EXPIRE', 'a', '300'],
    ['COPY', 'a', 'c'],
    ['TTL', 'c'],
    ['COPY', 'a', 'a', 'DB', '1'],
    ['COPY', 'a', 'a', 'DB', '1'],
    ['SELECT', '1'],
    ['GET', 'a'],
    ['TTL', 'a'],
    ['SELECT', '0'],
    ['COPY', 'a', 'd', 'DB', '1', 'REPLACE'],
    ['COPY', 'a', 'd', 'db', '16'],
    ['COPY', 'a', 'd', 'DB', '-1'],
    ['COPY', 'a', 'd', 'DB', 'x'],
    ['COPY', 'a', 'd', 'DB', '4294967296'],
    ['COPY', 'a', 'd', 'DB', '2147483648'],
    ['COPY', 'a', 'd', 'DB'],
    ['COPY', 'a', 'd', 'foo'],
    ['COPY', 'a', 'd', 'foo', 'DB', 'x'],
    ['COPY', 'a', 'd', 'DB', 'x', 'foo'],
    ['COPY', 'a', 'd', 'DB', '99', 'foo'],
    ['COPY', 'nope', 'nope'],
    ['COPY', 'nope', 'x', 'DB', '99'],
    ['COPY', 'a'],
    ['SET', BIN, 'bin'],
    ['COPY', BIN, BIN + '2'],
    ['GET', BIN + '2'],
  ],
  MOVE: [
    ['MOVE', 'nope', '1'],
    ['SET', 'a', '1'],
    ['MOVE', 'a', '0'],
    ['MOVE', 'a', '16'],
    ['MOVE', 'a', '-1'],
    ['MOVE', 'a', 'x'],
    ['MOVE', 'a', '2147483648'],
    ['MOVE', 'nope', '0'],
    ['EXPIRE', 'a', '900'],
    ['MOVE', 'a', '1'],
    ['EXISTS', 'a'],
    ['SELECT', '1'],
    ['GET', 'a'],
    ['TTL', 'a'],
    ['SET', 'b', 'in1'],
    ['SELECT', '0'],
    ['SET', 'b', 'in0'],
    ['MOVE', 'b', '1'],
    ['GET', 'b'],
    ['SELECT', '1'],
    ['GET', 'b'],
    ['MOVE', 'a', '0'],
    ['DBSIZE'],
    ['SELECT', '0'],
    ['TTL', 'a'],
    ['MOVE', 'a'],
  ],
  KEYS: [
    ['KEYS', '*'],
    ['KEYS', 'a'],
    ['SET', 'a', '1'],
    ['SET', 'ab', '1'],
    ['SET', 'abc', '1'],
    ['SET', 'b', '1'],
    ['SET', 'a*', '1'],
    ['SET', '', 'empty'],
    ['SET', 'A', '1'],
    ['SET', BIN, '1'],
    ['KEYS', '*'],
    ['KEYS', 'a'],
    ['KEYS', 'a*'],
    ['KEYS', 'a\\*'],
    ['KEYS', 'a?'],
    ['KEYS', '[ab]'],
    ['KEYS', '[^a]*'],
    ['KEYS', ''],
    ['KEYS', 'A'],
    ['KEYS', 'zzz'],
    ['KEYS', '\\a'],
    ['KEYS', 'k*'],
    ['KEYS', BIN],
    ['KEYS', '*\x00*'],
    ['KEYS'],
    ['KEYS', 'a', 'b'],
  ],
  'SCAN errors and small scans': [
    ['SCAN', '0'],
    ['SET', 'a', '1'],
    ['SCAN', '0'],
    ['SCAN', ''],
    ['SCAN', '+0'],
    ['SCAN', '0', 'COUNT', '100'],
    ['SCAN', '0', 'MATCH', 'a'],
    ['SCAN', '0', 'MATCH', 'zzz', 'COUNT', '1000'],
    ['SCAN', '0', 'TYPE', 'string'],
    ['SCAN', '0', 'TYPE', 'STRING', 'MATCH', '*'],
    ['SCAN', '0', 'TYPE', 'list'],
    ['SCAN', '0', 'TYPE', 'nonsense'],
    ['SCAN', 'x'],
    ['SCAN', ' 0'],
    ['SCAN', '0 '],
    ['SCAN', '0x1'],
    ['SCAN', '18446744073709551616'],
    ['SCAN', 'x', 'COUNT', '0'],
    ['SCAN', '0', 'COUNT', '0'],
    ['SCAN', '0', 'COUNT', '-1'],
    ['SCAN', '0', 'COUNT', 'x'],
    ['SCAN', '0', 'COUNT', '99999999999999999999'],
    ['SCAN', '0', 'COUNT'],
    ['SCAN', '0', 'MATCH'],
    ['SCAN', '0', 'TYPE'],
    ['SCAN', '0', 'FOO', 'bar'],
    ['SCAN', '0', 'COUNT', '10', 'COUNT', '0'],
    ['SCAN', '0', 'MATCH', '*', 'COUNT', '5', 'TYPE', 'string', 'COUNT', '1', 'BAD'],
    ['SCAN'],
  ],
  RANDOMKEY: [
    ['RANDOMKEY'],
    ['SET', 'only', '1'],
    { args: ['RANDOMKEY'], mode: 'exact' },
    ['SET', 'other', '1'],
    ['RANDOMKEY'],
    ['DEL', 'only', 'other'],
    ['RANDOMKEY'],
    ['RANDOMKEY', 'x'],
  ],
  'DBSIZE, FLUSHDB, FLUSHALL': [
    ['DBSIZE'],
    ['SET', 'a', '1'],
    ['SET', 'b', '1'],
    ['DBSIZE'],
    ['SELECT', '1'],
    ['SET', 'c', '1'],
    ['DBSIZE'],
    ['FLUSHDB'],
    ['DBSIZE'],
    ['SELECT', '0'],
    ['DBSIZE'],
    ['FLUSHDB', 'ASYNC'],
    ['DBSIZE'],
    ['SET', 'a', '1'],
    ['FLUSHDB', 'sync'],
    ['FLUSHDB', 'foo'],
    ['FLUSHDB', 'ASYNC', 'SYNC'],
    ['FLUSHDB', 'async', 'async'],
    ['SET', 'a', '1'],
    ['SELECT', '3'],
    ['SET', 'a', '1'],
    ['FLUSHALL', 'ASYNC'],
    ['DBSIZE'],
    ['SELECT', '0'],
    ['DBSIZE'],
    ['FLUSHALL', 'SYNC'],
    ['FLUSHALL', 'lazy'],
    ['FLUSHALL', 'SYNC', 'ASYNC'],
    ['FLUSHALL'],
    ['DBSIZE', 'x'],
  ],
  'collections: TYPE, COPY is deep, RENAME, MOVE, SCAN TYPE': [
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['HSET', 'h', 'f', 'v', 'g', 'w'],
    ['SADD', 's', 'x', 'y'],
    ['SET', 'str', 'v'],
    ['TYPE', 'l'],
    ['TYPE', 'h'],
    ['TYPE', 's'],
    ['COPY', 'l', 'l2'],
    ['RPUSH', 'l2', 'd'],
    ['LRANGE', 'l', '0', '-1'],
    ['LRANGE', 'l2', '0', '-1'],
    ['COPY', 'h', 'h2', 'DB', '1'],
    ['HSET', 'h', 'f', 'changed'],
    ['SELECT', '1'],
    ['HGETALL', 'h2'],
    ['SELECT', '0'],
    ['COPY', 's', 'str', 'REPLACE'],
    ['TYPE', 'str'],
    ['SADD', 's', 'z'],
    ['SMEMBERS', 'str'],
    ['EXPIRE', 'l', '500'],
    ['RENAME', 'l', 'h'],
    ['TYPE', 'h'],
    ['TTL', 'h'],
    ['MOVE', 'h', '2'],
    ['SCAN', '0', 'TYPE', 'set', 'COUNT', '100'],
    ['SCAN', '0', 'TYPE', 'list', 'COUNT', '100'],
    ['SCAN', '0', 'TYPE', 'HASH', 'COUNT', '100'],
    ['KEYS', '*'],
    ['DEL', 's', 'str', 'l2'],
    ['DBSIZE'],
  ],
  SWAPDB: [
    ['SET', 'a', 'db0'],
    ['SELECT', '1'],
    ['SET', 'b', 'db1'],
    ['EXPIRE', 'b', '1234'],
    ['SWAPDB', '0', '1'],
    ['GET', 'a'],
    ['EXISTS', 'b'],
    ['SELECT', '0'],
    ['GET', 'b'],
    ['TTL', 'b'],
    ['EXISTS', 'a'],
    ['SWAPDB', '0', '0'],
    ['GET', 'b'],
    ['SWAPDB', '1', '0'],
    ['GET', 'a'],
    ['SWAPDB', '0', '16'],
    ['SWAPDB', '-1', '0'],
    ['SWAPDB', 'x', '0'],
    ['SWAPDB', '0', 'x'],
    ['SWAPDB', 'x', 'y'],
    ['SWAPDB', '2147483648', '0'],
    ['SWAPDB', '0', '99999999999'],
    ['SWAPDB', '16', 'x'],
    ['SWAPDB', '0'],
    ['DBSIZE'],
  ],
};

const OUR_COMMANDS = keyCommands.map((r) => r.name);
SCRIPTS['COMMAND INFO and COMMAND DOCS'] = [
  ['COMMAND', 'INFO', ...OUR_COMMANDS],
  ...OUR_COMMANDS.map((n) => ['COMMAND', 'DOCS', n]),
];

describe('keyspace commands match Redis', () => {
  scriptTests(SCRIPTS, () => pair);
});

// ---- SCAN and KEYS on bigger keyspaces: results compared as sets ----

async function call(conn: RawConnection, args: string[]): Promise<RespValue> {
  return parseReply(await conn.call(args));
}

async function scanAll(conn: RawConnection, extra: string[]): Promise<{ keys: string[]; calls: number }> {
  const keys: string[] = [];
  let cursor = '0';
  let calls = 0;
  do {
    const r = (await call(conn, ['SCAN', cursor, ...extra])) as [string, string[]];
    assert.ok(Array.isArray(r) && r.length === 2, `SCAN reply ${JSON.stringify(r)}`);
    cursor = r[0];
    keys.push(...r[1]);
    calls++;
    assert.ok(calls < 100000);
  } while (cursor !== '0');
  return { keys, calls };
}

describe('SCAN and KEYS over many keys', () => {
  let r: RawConnection;
  let c: RawConnection;
  before(async () => {
    [r, c] = await Promise.all([RawConnection.connect(redis.port), RawConnection.connect(cairn.port)]);
    for (const conn of [r, c]) {
      await call(conn, ['FLUSHALL']);
      for (let i = 0; i < 1000; i++) conn.send(['SET', `key:${i}`, String(i)]);
      for (let i = 0; i < 1000; i++) await conn.readReply();
      for (let i = 0; i < 50; i++) await call(conn, ['SET', `other:${i}\xff`, 'x']);
    }
  });
  after(async () => {
    await Promise.all([r?.close(), c?.close()]);
  });

  const variants: [string, string[]][] = [
    ['plain', []],
    ['COUNT 1', ['COUNT', '1']],
    ['COUNT 7', ['COUNT', '7']],
    ['COUNT 5000', ['COUNT', '5000']],
    ['MATCH key:1*', ['MATCH', 'key:1*']],
    ['MATCH other:*', ['MATCH', 'other:*', 'COUNT', '100']],
    ['MATCH *', ['MATCH', '*']],
    ['MATCH nothing', ['MATCH', 'nothing']],
    ['TYPE string', ['TYPE', 'string']],
    ['TYPE hash', ['TYPE', 'hash']],
    ['TYPE none', ['TYPE', 'none']],
  ];
  for (const [name, extra] of variants) {
    test(`full SCAN ${name} returns the same key set`, async () => {
      const [a, b] = await Promise.all([scanAll(r, extra), scanAll(c, extra)]);
      assert.deepEqual(new Set(b.keys), new Set(a.keys));
      assert.equal(b.keys.length, new Set(b.keys).size, 'no duplicates in a quiet keyspace');
    });
  }

  test('COUNT is the number of keys examined per call', async () => {
    const res = (await call(c, ['SCAN', '0', 'COUNT', '100'])) as [string, string[]];
    assert.equal(res[1].length, 100);
    const m = (await call(c, ['SCAN', '0', 'COUNT', '100', 'MATCH', 'other:*'])) as [string, string[]];
    assert.ok(m[1].length <= 100);
    const full = await scanAll(c, ['COUNT', '100']);
    assert.equal(full.calls, Math.ceil(1050 / 100));
  });

  test('KEYS patterns return the same sets', async () => {
    for (const p of ['*', 'key:1*', 'key:99?', 'other:[0-4]*', '*\xff', 'key:500', 'nope', 'key:\\5*']) {
      const [a, b] = await Promise.all([call(r, ['KEYS', p]), call(c, ['KEYS', p])]);
      assert.deepEqual(new Set(b as string[]), new Set(a as string[]), `KEYS ${p}`);
      assert.equal((b as string[]).length, (a as string[]).length);
    }
  });

  test('SCAN with writes between calls returns every key present throughout', async () => {
    const seen = new Set<string>();
    let cursor = '0';
    let round = 0;
    const deleted = new Set<string>();
    do {
      const res = (await call(c, ['SCAN', cursor, 'COUNT', '37'])) as [string, string[]];
      cursor = res[0];
      for (const k of res[1]) seen.add(k);
      // Churn: add new keys, delete a few old ones.
      await call(c, ['SET', `new:${round}`, '1']);
      const victim = `key:${(round * 13) % 1000}`;
      await call(c, ['DEL', victim]);
      deleted.add(victim);
      round++;
    } while (cursor !== '0');
    for (let i = 0; i < 1000; i++) {
      const k = `key:${i}`;
      if (!deleted.has(k)) assert.ok(seen.has(k), `${k} missing`);
    }
    // Put the keyspace back for the other tests.
    for (const k of deleted) await call(c, ['SET', k, k.slice(4)]);
    for (let i = 0; i < round; i++) await call(c, ['DEL', `new:${i}`]);
  });

  test('a cursor made up, or left over from another database, resumes at the place it carries', async () => {
    // Ids carry their place above 16 bits: below 65536, the start.
    const made = (await call(c, ['SCAN', '12345', 'COUNT', '2000'])) as [string, string[]];
    assert.equal(made[0], '0');
    assert.equal(made[1].length, 1050);
    const beyond = (await call(c, ['SCAN', String(2 ** 40), 'COUNT', '2000'])) as [string, string[]];
    assert.deepEqual(beyond, ['0', []]);
    const first = (await call(c, ['SCAN', '0', 'COUNT', '10'])) as [string, string[]];
    assert.notEqual(first[0], '0');
    await call(c, ['SELECT', '5']);
    await call(c, ['SET', 'x5', '1']);
    // A cursor from db 0 used in db 5 belongs to another map: it goes on from its place there, past db 5's one key.
    const other = (await call(c, ['SCAN', first[0], 'COUNT', '10'])) as [string, string[]];
    assert.deepEqual(other, ['0', []]);
    await call(c, ['FLUSHDB']);
    await call(c, ['SELECT', '0']);
  });
});

// ---- the command table rows against Redis's own ----

describe('command rows match COMMAND INFO and COMMAND DOCS of Redis', () => {
  let conn: RawConnection;
  before(async () => {
    conn = await RawConnection.connect(redis.port);
  });
  after(async () => {
    await conn?.close();
  });

  const keySpecOf = (ks: Map<RespValue, RespValue> | RespValue[]): unknown => {
    const m = toObject(ks);
    const begin = toObject(m['begin_search'] as RespValue[]);
    const find = toObject(m['find_keys'] as RespValue[]);
    const bspec = toObject(begin['spec'] as RespValue[]);
    const fspec = toObject(find['spec'] as RespValue[]);
    return {
      flags: m['flags'],
      begin:
        begin['type'] === 'index'
          ? { index: bspec['index'] }
          : { keyword: bspec['keyword'], startfrom: bspec['startfrom'] },
      find: { range: [fspec['lastkey'], fspec['keystep'], fspec['limit']] },
    };
  };

  for (const row of keyCommands) {
    test(row.name, async () => {
      const info = (await call(conn, ['COMMAND', 'INFO', row.name])) as RespValue[][];
      const [name, arity, flags, first, last, step, acl, tips, specs] = info[0]!;
      const entry = new CommandEntry(row);
      assert.equal(row.name, name);
      assert.equal(row.arity, arity);
      assert.deepEqual([...row.flags], flags);
      assert.deepEqual([...row.keys], [first, last, step]);
      assert.deepEqual(
        entry.aclCategories.map((x) => '@' + x),
        acl,
      );
      assert.deepEqual([...('tips' in row ? row.tips : [])], tips);
      const ours = ('keySpecs' in row ? row.keySpecs : []).map((s) => ({
        flags: s.flags.map((f) => f),
        begin: s.begin,
        find: s.find,
      }));
      const theirs = (specs as RespValue[]).map((s) => keySpecOf(s as RespValue[])) as { flags: string[] }[];
      for (const s of theirs) s.flags = s.flags.map((f) => f.toUpperCase());
      assert.deepEqual(ours, theirs);

      const docs = (await call(conn, ['COMMAND', 'DOCS', row.name])) as RespValue[];
      const d = toObject(docs[1] as RespValue[]);
      assert.equal(row.summary, d['summary']);
      assert.equal(row.since, d['since']);
      assert.equal(row.group, d['group']);
      assert.equal(row.complexity, d['complexity']);
    });
  }
});

function toObject(v: Map<RespValue, RespValue> | RespValue[]): Record<string, RespValue> {
  const o: Record<string, RespValue> = {};
  if (v instanceof Map) for (const [k, x] of v) o[String(k)] = x;
  else for (let i = 0; i + 1 < v.length; i += 2) o[String(v[i])] = v[i + 1]!;
  return o;
}

// ---- effects ----

describe('effects', () => {
  /** Runs commands on a local client of a fresh server and returns the effects and the replies. */
  const run = (cmds: string[][]): Promise<RecordedRun> => runRecorded(cmds, { start: startIsolated });

  test('DEL/UNLINK of missing keys propagate nothing; of present keys propagate as sent', async () => {
    const r = await run([
      ['DEL', 'x'],
      ['UNLINK', 'x', 'y'],
      ['SET', 'a', '1'],
      ['DEL', 'a', 'zz'],
      ['UNLINK', 'a'],
    ]);
    assert.deepEqual(r.effects, [
      ['0', 'SET', 'a', '1'],
      ['0', 'DEL', 'a', 'zz'],
    ]);
    await r.close();
  });

  test('RENAME, RENAMENX, COPY, MOVE, SWAPDB propagate as themselves only when they change something', async () => {
    const r = await run([
      ['SET', 'a', '1'],
      ['RENAME', 'a', 'a'],
      ['RENAME', 'a', 'b'],
      ['RENAMENX', 'b', 'b'],
      ['RENAME', 'zz', 'b'],
      ['COPY', 'b', 'c'],
      ['COPY', 'b', 'c'],
      ['MOVE', 'c', '1'],
      ['MOVE', 'zz', '1'],
      ['SWAPDB', '0', '1'],
    ]);
    assert.deepEqual(r.effects, [
      ['0', 'SET', 'a', '1'],
      ['0', 'RENAME', 'a', 'b'],
      ['0', 'COPY', 'b', 'c'],
      ['0', 'MOVE', 'c', '1'],
      ['0', 'SWAPDB', '0', '1'],
    ]);
    await r.close();
  });

  test('the EXPIRE family propagates PEXPIREAT with the absolute time; a past time propagates DEL', async () => {
    const t0 = Date.now();
    const r = await run([
      ['SET', 'a', '1'],
      ['EXPIRE', 'a', '100'],
      ['PEXPIRE', 'a', '500000', 'GT'],
      ['EXPIREAT', 'a', '4000000000'],
      ['PEXPIREAT', 'a', '4000000000001', 'XX'],
      ['EXPIRE', 'a', '5', 'NX'],
      ['EXPIRE', 'nope', '5'],
      ['PERSIST', 'a'],
      ['PERSIST', 'a'],
      ['EXPIRE', 'a', '-1'],
      ['SET', 'b', '1'],
      ['PEXPIREAT', 'b', '1'],
    ]);
    const t1 = Date.now();
    const e = r.effects;
    assert.equal(e.length, 9);
    assert.deepEqual(e[0], ['0', 'SET', 'a', '1']);
    assert.equal(e[1]![1], 'PEXPIREAT');
    const abs1 = Number(e[1]![3]);
    assert.ok(abs1 >= t0 + 100000 && abs1 <= t1 + 100000, `EXPIRE 100 → PEXPIREAT ${abs1}`);
    assert.deepEqual(e[2]!.slice(0, 3), ['0', 'PEXPIREAT', 'a']);
    assert.deepEqual(e[2]!.slice(4), ['GT']);
    assert.ok(Math.abs(Number(e[2]![3]) - (t0 + 500000)) < 1000 + (t1 - t0));
    assert.deepEqual(e[3], ['0', 'PEXPIREAT', 'a', '4000000000000']);
    assert.deepEqual(e[4], ['0', 'PEXPIREAT', 'a', '4000000000001', 'XX']);
    assert.deepEqual(e[5], ['0', 'PERSIST', 'a']);
    assert.deepEqual(e[6], ['0', 'DEL', 'a']);
    assert.deepEqual(e[7], ['0', 'SET', 'b', '1']);
    assert.deepEqual(e[8], ['0', 'DEL', 'b']);
    assert.equal(r.server.keyspace.dbs[0]!.size, 0);
    await r.close();
  });

  test('FLUSHDB and FLUSHALL propagate as themselves even on empty databases', async () => {
    const r = await run([['FLUSHDB'], ['FLUSHALL', 'ASYNC'], ['SELECT', '2'], ['FLUSHDB', 'SYNC'], ['FLUSHDB', 'bad']]);
    assert.deepEqual(r.effects, [
      ['0', 'FLUSHDB'],
      ['0', 'FLUSHALL', 'ASYNC'],
      ['2', 'FLUSHDB', 'SYNC'],
    ]);
    await r.close();
  });

  test('keyspace hits and misses are counted where Redis counts them', async () => {
    const r = await run([['SET', 'a', '1']]);
    const ks = r.server.keyspace;
    const c = r.server.createLocalClient();
    // Measured on Redis 7.0.15 (INFO stats keyspace_hits/keyspace_misses after each command).
    const steps: [string[], number, number][] = [
      [['EXISTS', 'a', 'b'], 1, 1],
      [['TYPE', 'a'], 2, 1],
      [['TTL', 'a'], 3, 1],
      [['TTL', 'b'], 3, 2],
      [['EXPIRETIME', 'a'], 4, 2],
      [['TOUCH', 'a', 'b'], 5, 3],
      [['COPY', 'a', 'c'], 6, 3],
      [['DEL', 'c'], 6, 3],
      [['RENAME', 'a', 'd'], 6, 3],
      [['MOVE', 'd', '1'], 6, 3],
      [['SCAN', '0', 'TYPE', 'string'], 6, 3],
      [['SET', 'e', '1'], 6, 3],
      [['SCAN', '0', 'TYPE', 'string'], 7, 3],
      [['RANDOMKEY'], 7, 3],
      [['KEYS', '*'], 7, 3],
      [['EXPIRE', 'e', '100'], 7, 3],
      [['PERSIST', 'e'], 7, 3],
    ];
    const h0 = ks.stats.hits;
    const m0 = ks.stats.misses;
    for (const [argv, hits, misses] of steps) {
      r.server.execute(c, argv);
      c.out.take();
      assert.deepEqual([ks.stats.hits - h0, ks.stats.misses - m0], [hits, misses], argv.join(' '));
    }
    await r.close();
  });

  test('dirty counts the changes', async () => {
    const r = await run([
      ['SET', 'a', '1'],
      ['SET', 'b', '1'],
      ['SET', 'c', '1'],
    ]);
    const ks = r.server.keyspace;
    const c = r.server.createLocalClient();
    const d0 = ks.dirty;
    r.server.execute(c, ['DEL', 'a', 'b', 'nope']);
    assert.equal(ks.dirty - d0, 2);
    r.server.execute(c, ['FLUSHDB']);
    assert.equal(ks.dirty - d0, 3);
    // FLUSHALL of an empty dataset adds no change (Redis 7.0.15 counts the keys removed; it propagates it anyway).
    r.server.execute(c, ['FLUSHALL']);
    assert.equal(ks.dirty - d0, 3);
    await r.close();
  });
});

// ---- random sequences, compared with Redis ----

describe('random command sequences match Redis', () => {
  const key = fc.constantFrom('a', 'b', 'c', BIN);
  const cmd: fc.Arbitrary<string[]> = fc.oneof(
    fc.tuple(key, fc.constantFrom('1', 'two', '')).map(([k, v]) => ['SET', k, v]),
    key.map((k) => ['GET', k]),
    fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['DEL', ...ks]),
    fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['EXISTS', ...ks]),
    fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
    fc.tuple(key, key).map(([a, b]) => ['RENAMENX', a, b]),
    fc
      .tuple(key, key, fc.constantFrom([], ['REPLACE'], ['DB', '1'], ['DB', '0', 'REPLACE'], ['DB', '1', 'REPLACE']))
      .map(([a, b, o]) => ['COPY', a, b, ...o]),
    fc.tuple(key, fc.constantFrom('0', '1')).map(([k, d]) => ['MOVE', k, d]),
    fc.constantFrom<string[]>(['SELECT', '0'], ['SELECT', '1'], ['SWAPDB', '0', '1'], ['DBSIZE'], ['FLUSHDB']),
    // Relative times only where the outcome cannot depend on the millisecond a server runs the command at: no
    // GT/LT (two relative times set a moment apart), no short PEXPIRE (the key might expire mid-script).
    fc
      .tuple(
        fc.constantFrom(
          ['EXPIRE', '100'],
          ['EXPIRE', '200'],
          ['EXPIRE', '-5'],
          ['EXPIRE', '0'],
          ['PEXPIRE', '1000000'],
          ['PEXPIRE', '-5'],
          ['PEXPIRE', '0'],
        ),
        key,
        fc.constantFrom([], ['NX'], ['XX']),
      )
      .map(([[c, t], k, o]) => [c!, k, t!, ...o]),
    fc
      .tuple(
        fc.constantFrom(
          ['EXPIREAT', '100'],
          ['EXPIREAT', '4000000000'],
          ['EXPIREAT', '4000000001'],
          ['PEXPIREAT', '-5'],
          ['PEXPIREAT', '4000000000000'],
          ['PEXPIREAT', '4000000000500'],
          ['PEXPIREAT', '5000000000000'],
        ),
        key,
        fc.constantFrom([], ['NX'], ['XX'], ['GT'], ['LT'], ['XX', 'GT'], ['LT', 'XX'], ['NX', 'GT']),
      )
      .map(([[c, t], k, o]) => [c!, k, t!, ...o]),
    key.map((k) => ['PERSIST', k]),
    key.map((k) => ['TTL', k]),
    key.map((k) => ['EXPIRETIME', k]),
    key.map((k) => ['PEXPIRETIME', k]),
    key.map((k) => ['TYPE', k]),
  );

  /** An (P)EXPIRETIME set from a relative time depends on the server's clock: such replies compare as one token. */
  const relativeTimes = (reply: Buffer, args: readonly (string | Buffer)[]): Buffer | string => {
    const name = String(args[0]).toUpperCase();
    if (name !== 'EXPIRETIME' && name !== 'PEXPIRETIME') return reply;
    const s = reply.toString('latin1');
    const m = /^:(\d+)\r\n$/.exec(s);
    if (m === null) return reply;
    const limit = name === 'EXPIRETIME' ? 3e9 : 3e12;
    return Number(m[1]) < limit ? ':relative\r\n' : reply;
  };

  test('property: DEL/EXISTS/RENAME/COPY/MOVE/EXPIRE/PERSIST/TTL sequences', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        runs++;
        await compareScripts(pair, [[...cmds, ['SELECT', '0'], ['KEYS', '*'], ['SELECT', '1'], ['KEYS', '*']]], {
          resp: runs % 2 === 0 ? 3 : 2,
          normalize: relativeTimes,
        });
      }),
      { numRuns: 150 },
    );
  });
});
