// The edge cases Redis's own test suite checks for the protocol, transactions, pub/sub, SCAN and the INFO /
// CONFIG / COMMAND / CLIENT basics (tests/unit/protocol.tcl, multi.tcl, pubsub.tcl, pubsubshard.tcl, scan.tcl,
// info-command.tcl, introspection.tcl, introspection-2.tcl), run against real Redis 7.0.15 and Cairn and compared
// byte for byte, in RESP2 and RESP3. Cases about replication, scripting, DEBUG internals, the test harness's
// config files or timing are left out.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { sharedPair } from '../support/servers.js';
import { compareScript, scriptTests, type Script } from '../support/differential.js';
import { RawConnection, encodeCommand, formatReply, parseReply, type RespValue } from '../support/resp.js';
import { Duo, DuoPool, pollBoth, useRedisAndCairn } from '../support/duo.js';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-suite-pms-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

const CAIRN = { save: '', dir: DIR, 'enable-debug-command': 'yes' };
const getPair = sharedPair({ cairnOptions: CAIRN });
const ports = useRedisAndCairn(CAIRN);

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// protocol.tcl

/** Sends raw bytes on fresh connections to both servers and compares everything received until each closes. */
async function rawUntilClose(bytes: Buffer | string): Promise<void> {
  const pair = await getPair();
  const r = await RawConnection.connect(pair.redis.port);
  const c = await RawConnection.connect(pair.cairn.port);
  try {
    r.sendRaw(bytes);
    c.sendRaw(bytes);
    const [rb, cb] = await Promise.all([r.readUntilClosed(5000), c.readUntilClosed(5000)]);
    assert.equal(formatReply(cb), formatReply(rb));
  } finally {
    await Promise.all([r.close(), c.close()]);
  }
}

describe('protocol.tcl', () => {
  const closing: Record<string, string | Buffer> = {
    'wrong multibulk payload header': '*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n',
    'negative multibulk payload length': '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n',
    'out of range multibulk payload length': '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n',
    'non-number multibulk payload length': '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n',
    'multibulk request not followed by bulk arguments': '*1\r\nfoo\r\n',
    'non-number multibulk length': '*abc\r\n',
    'multibulk length with trailing garbage': '*1x\r\n',
    'unbalanced quotes in an inline request': 'set """test-key""" test-value\r\nping\r\n',
    'unbalanced single quote': "set 'a b\r\nping\r\n",
    'closing quote not followed by a space': 'set "a"b c\r\nping\r\n',
    'desync #1: NUL then a long line': Buffer.concat([Buffer.from([0]), Buffer.alloc(70_000, 'A')]),
    'desync #2: * NUL then a long line': Buffer.concat([Buffer.from('*\x00', 'latin1'), Buffer.alloc(70_000, 'A')]),
    'desync #3: $ NUL then a long line': Buffer.concat([Buffer.from('$\x00', 'latin1'), Buffer.alloc(70_000, 'A')]),
    'bulk length over 64 KB of digits': `*1\r\n$${'1'.repeat(70_000)}`,
    'pipelined commands before an error are answered': 'PING\r\n*1\r\n$4\r\nPING\r\n*1\r\nfoo\r\n',
  };
  for (const [name, bytes] of Object.entries(closing)) {
    test(`${name}: same error, connection closed`, async () => {
      await rawUntilClose(bytes);
    });
  }

  scriptTests(
    {
      'empty queries, negative multibulk length, inline requests': [
        { raw: '\r\n*-10\r\n*0\r\nPING\r\n', replies: 1 },
        ['PING', 'x', 'y', 'z'],
        { raw: 'set "a b" "c\\x41\\n"\r\nget "a b"\r\n', replies: 2 },
        { raw: "echo 'it\\'s' \"\"\r\n", replies: 1 },
        { raw: '   \r\n\n', replies: 0 },
        { raw: 'PING\n', replies: 1 },
        { raw: 'echo "\\x4g"\r\n', replies: 1 },
        { raw: 'nosuchcommand a b\r\n', replies: 1 },
      ],
      'raw protocol responses, large argument counts, argument rewriting': [
        ['SRANDMEMBER', 'nonexisting_key'],
        ['SRANDMEMBER', 'nonexisting_key', '5'],
        ['SADD', 'ss', 'a'],
        ['SRANDMEMBER', 'ss', '100'],
        ['MSET', ...Array.from({ length: 10000 }, (_, i) => [`k${i}`, 'v']).flat(), '{k}2', 'v2'],
        ['GET', '{k}2'],
        ['DBSIZE'],
        ['SET', 'k', '0'],
        ['INCRBYFLOAT', 'k', '1.0'],
        ['MULTI'],
        ['INCRBYFLOAT', 'k', '1.0'],
        ['EXEC'],
      ],
      'pipelined blocking pops': [
        ['PING'],
        ['RPUSH', 'nolist', 'a', 'b'],
        {
          raw: '*3\r\n$5\r\nBLPOP\r\n$6\r\nnolist\r\n$1\r\n0\r\n*3\r\n$5\r\nBLPOP\r\n$6\r\nnolist\r\n$1\r\n0\r\n',
          replies: 2,
        },
      ],
    },
    getPair,
  );
});

// ---------------------------------------------------------------------------------------------------------------
// multi.tcl (single connection)

const MULTI: Record<string, Script> = {
  'MULTI / EXEC basics, DISCARD, nesting, WATCH inside MULTI': [
    ['RPUSH', 'mylist', 'a', 'b', 'c'],
    ['MULTI'],
    ['LRANGE', 'mylist', '0', '-1'],
    ['PING'],
    ['EXEC'],
    ['MULTI'],
    ['DEL', 'mylist'],
    ['DISCARD'],
    ['LRANGE', 'mylist', '0', '-1'],
    ['MULTI'],
    ['MULTI'],
    ['EXEC'],
    ['MULTI'],
    ['WATCH', 'x'],
    ['EXEC'],
    ['EXEC'],
    ['DISCARD'],
    ['MULTI', 'x'],
    ['EXEC', 'x'],
    ['DISCARD', 'x'],
    ['WATCH'],
    ['UNWATCH', 'x'],
    ['UNWATCH'],
    ['MULTI'],
    ['EXEC'],
    ['SADD', 'myset', 'a'],
    ['MULTI'],
    ['SPOP', 'myset'],
    ['EXEC'],
    ['EXISTS', 'myset'],
  ],
  'EXEC fails after errors while queueing; the MULTI state is cleared': [
    ['MULTI'],
    ['SET', 'foo1', 'bar1'],
    ['non-existing-command'],
    ['SET', 'foo2', 'bar2'],
    ['EXEC'],
    ['EXISTS', 'foo1', 'foo2'],
    ['PING'],
    ['MULTI'],
    ['SET', 'foo1'],
    ['GET', 'a', 'b'],
    ['CONFIG', 'nosuchsub'],
    ['EXEC'],
    ['MULTI'],
    ['SET', 'a', '1'],
    ['INCR', 'a', 'b'],
    ['DISCARD'],
    ['GET', 'a'],
    ['MULTI'],
    ['SET', 'a', 'x'],
    ['INCR', 'a'],
    ['LPUSH', 'a', 'x'],
    ['GET', 'a'],
    ['EXEC'],
    ['MULTI'],
    ['SUBSCRIBE', 'x'],
    ['EXEC'],
  ],
  'WATCH: modified, unmodified, after EXEC, UNWATCH, DISCARD': [
    ['WATCH', 'x', 'y', 'z'],
    ['WATCH', 'k'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['SET', 'x', '40'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'a', 'b', 'x', 'k', 'z'],
    ['SET', 'x', '40'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '40'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['SET', 'x', '40'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '40'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['SET', 'x', '40'],
    ['UNWATCH'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['WATCH', 'x'],
    ['SET', 'x', '10'],
    ['MULTI'],
    ['DISCARD'],
    ['MULTI'],
    ['INCR', 'x'],
    ['EXEC'],
    ['WATCH', 'x'],
    ['SET', 'x', '10'],
    ['MULTI'],
    ['DISCARD'],
    ['SET', 'x', '10'],
    ['MULTI'],
    ['INCR', 'x'],
    ['EXEC'],
  ],
  'WATCH: SORT STORE, EXPIRE, FLUSHALL, FLUSHDB, SWAPDB, databases': [
    ['LPUSH', 'foo', 'bar'],
    ['WATCH', 'foo'],
    ['SORT', 'emptylist', 'STORE', 'foo'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', 'foo'],
    ['WATCH', 'x'],
    ['EXPIRE', 'x', '10'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['FLUSHALL'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['DEL', 'x'],
    ['WATCH', 'x'],
    ['FLUSHALL'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['FLUSHDB'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['DEL', 'x'],
    ['WATCH', 'x'],
    ['FLUSHDB'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['SWAPDB', '0', '1'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['FLUSHALL'],
    ['SELECT', '1'],
    ['SET', 'x', '30'],
    ['SELECT', '0'],
    ['WATCH', 'x'],
    ['SWAPDB', '0', '1'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['FLUSHALL'],
    ['SELECT', '5'],
    ['SET', 'x', '30'],
    ['WATCH', 'x'],
    ['SELECT', '1'],
    ['SET', 'x', '10'],
    ['SELECT', '5'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['FLUSHALL'],
    ['MSET', 'a', 'a', 'b', 'b'],
    ['WATCH', 'b', 'a'],
    ['FLUSHALL'],
    ['PING'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SELECT', '0'],
  ],
  'WATCH and stale keys': [
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
    ['SET', 'x', 'foo', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['WATCH', 'x'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', 'foo', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['WATCH', 'x'],
    ['EXISTS', 'x'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'x', 'foo', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['WATCH', 'x'],
    ['FLUSHDB'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    // One write, so the key cannot expire between the two commands however slow the machine is.
    {
      raw: Buffer.concat([encodeCommand(['SET', 'key', '1', 'PX', '5']), encodeCommand(['WATCH', 'key'])]),
      replies: 2,
    },
    ['DEBUG', 'SLEEP', '0.02'],
    ['MULTI'],
    ['INCR', 'key'],
    ['EXEC'],
    ['FLUSHALL'],
    ['SELECT', '1'],
    ['SET', 'x', 'foo', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['WATCH', 'x'],
    ['SWAPDB', '0', '1'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['FLUSHALL'],
    ['SELECT', '0'],
    ['SET', 'x', 'foo', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['SELECT', '1'],
    ['WATCH', 'x'],
    ['SWAPDB', '0', '1'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['FLUSHALL'],
    ['SELECT', '1'],
    ['SET', 'x', 'foo', 'PX', '1'],
    ['SELECT', '0'],
    ['SET', 'x', 'bar', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['SELECT', '1'],
    ['WATCH', 'x'],
    ['SWAPDB', '0', '1'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SELECT', '0'],
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
  ],
  'admin commands queued in MULTI': [
    ['MULTI'],
    ['SET', 'foo', 'bar'],
    ['CLIENT', 'KILL', 'TYPE', 'pubsub', 'SKIPME', 'yes'],
    ['CONFIG', 'GET', 'hz'],
    ['EXEC'],
  ],
  'blocking commands inside MULTI ignore the timeout': [
    ['MULTI'],
    ['BLPOP', 'empty_list', '0'],
    ['BRPOP', 'empty_list', '0'],
    ['BRPOPLPUSH', 'empty_list1', 'empty_list2', '0'],
    ['BLMOVE', 'empty_list1', 'empty_list2', 'LEFT', 'LEFT', '0'],
    ['BZPOPMIN', 'empty_zset', '0'],
    ['BZPOPMAX', 'empty_zset', '0'],
    ['BLMPOP', '0', '1', 'empty_list', 'LEFT'],
    ['BZMPOP', '0', '1', 'empty_zset', 'MIN'],
    ['EXEC'],
  ],
  'commands not allowed inside MULTI, CONFIG SET errors inside EXEC': [
    ['MULTI'],
    ['SET', 'foo', 'bar'],
    ['SAVE'],
    ['EXEC'],
    ['GET', 'foo'],
    ['MULTI'],
    ['SET', 'foo', 'bar'],
    ['SHUTDOWN'],
    ['EXEC'],
    ['GET', 'foo'],
    ['MULTI'],
    ['SET', 'foo', 'bar'],
    ['CONFIG', 'SET', 'maxmemory', 'bla'],
    ['EXEC'],
    ['MULTI'],
    ['MONITOR'],
    ['EXEC'],
    ['MULTI'],
    ['WATCH', 'a'],
    ['SET', 'a', '1'],
    ['EXEC'],
    ['MULTI'],
    ['SELECT', '1'],
    ['SET', 'foo', 'db1'],
    ['SELECT', '0'],
    ['SET', 'foo', 'db0'],
    ['SELECT', '99'],
    ['EXEC'],
    ['GET', 'foo'],
    ['SELECT', '1'],
    ['GET', 'foo'],
    ['SELECT', '0'],
  ],
};

describe('multi.tcl', () => {
  scriptTests(MULTI, getPair);

  test('BGREWRITEAOF and BGSAVE inside EXEC are scheduled, then run', async () => {
    const pair = await getPair();
    await compareScript(pair, [['MULTI'], ['BGREWRITEAOF'], ['BGSAVE'], ['EXEC']]);
    // Both jobs start after the transaction (from the servers' cron) and finish; wait for that on each server.
    for (const port of [pair.redis.port, pair.cairn.port]) {
      const conn = await RawConnection.connect(port);
      try {
        let info = '';
        for (let i = 0; i < 100; i++) {
          info = String(parseReply(await conn.call(['INFO', 'persistence'])));
          if (
            /aof_rewrites:[1-9]/.test(info) &&
            /rdb_saves:[1-9]/.test(info) &&
            info.includes('aof_rewrite_in_progress:0') &&
            info.includes('rdb_bgsave_in_progress:0')
          )
            break;
          await delay(50);
        }
        assert.match(info, /aof_rewrites:[1-9]/, `port ${port}: the scheduled rewrite ran`);
        assert.match(info, /rdb_saves:[1-9]/, `port ${port}: the scheduled save ran`);
      } finally {
        await conn.close();
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// scan.tcl, info-command.tcl, introspection.tcl, introspection-2.tcl (single connection)

function populate(n: number): string[] {
  const args = ['MSET'];
  for (let i = 0; i < n; i++) args.push(`key:${i}`, `value:${i}`);
  return args;
}

/** A SCAN-family reply as its cursor and its sorted elements (pairs for HSCAN/ZSCAN): Redis's order is its hash's. */
function sortScan(b: Buffer, args: readonly (string | Buffer)[]): string {
  const v = parseReply(b);
  if (!Array.isArray(v) || v.length !== 2 || !Array.isArray(v[1])) return b.toString('latin1');
  const name = String(args[0]).toUpperCase();
  const items = (v[1] as RespValue[]).map(String);
  const units: string[] = [];
  if (name === 'HSCAN' || name === 'ZSCAN')
    for (let i = 0; i < items.length; i += 2) units.push(`${items[i]}=${items[i + 1]}`);
  else units.push(...items);
  return `${String(v[0])} ${units.sort().join(' ')}`;
}

const SCAN_OPTS = {
  modes: { SCAN: 'exact', SSCAN: 'exact', HSCAN: 'exact', ZSCAN: 'exact' } as const,
  normalize: (b: Buffer, args: readonly (string | Buffer)[]): Buffer | string =>
    /^[HSZ]?SCAN$/i.test(String(args[0] ?? '')) && b[0] === 0x2a ? sortScan(b, args) : b,
};

/** A CLIENT INFO / LIST line with the fields that vary between servers and runs blanked out. */
function clientLine(b: Buffer): string {
  return b
    .toString('latin1')
    .replace(/^[$=]\d+\r\n(txt:)?/, '')
    .replace(/\b(id|addr|laddr|fd|age|idle|qbuf-free|argv-mem|rbs|rbp|tot-mem|user)=\S*/g, '$1=*');
}

const INTROSPECTION: Record<string, Script> = {
  'SCAN argument errors and option parsing': [
    populate(20),
    ['SCAN', 'x'],
    { args: ['SCAN', '-1'], mode: 'skip' },
    ['SCAN', '18446744073709551616'],
    ['SCAN', '0', 'COUNT'],
    ['SCAN', '0', 'COUNT', '0'],
    ['SCAN', '0', 'COUNT', '-1'],
    ['SCAN', '0', 'COUNT', 'x'],
    ['SCAN', '0', 'MATCH'],
    ['SCAN', '0', 'TYPE'],
    ['SCAN', '0', 'FOO', 'bar'],
    ['SCAN', '0', 'COUNT', '1000', 'MATCH', 'key:1?'],
    ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'list'],
    ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'string1'],
    ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'STRING', 'MATCH', 'key:1'],
    ['SCAN', '0', 'COUNT', '1000', 'MATCH', 'nomatch*'],
    ['SADD', 's', '1', 'a', 'foo', 'fab', 'fiz', 'foobar'],
    ['SSCAN', 's', '0', 'MATCH', '*a*', 'COUNT', '100'],
    ['SSCAN', 's', '0', 'MATCH', '*1*', 'COUNT', '100'],
    ['SSCAN', 's', '0', 'MATCH', 'foo*', 'COUNT', '10000'],
    ['SSCAN', 's', 'x'],
    ['SSCAN', 's', '0', 'TYPE', 'string'],
    ['SSCAN', 'nokey', '0'],
    ['SSCAN', 'key:1', '0'],
    ['HSET', 'h', 'foo', '1', 'fab', '2', 'fiz', '3', 'foobar', '10', '1', 'a'],
    ['HSCAN', 'h', '0', 'MATCH', 'foo*', 'COUNT', '10000'],
    ['HSCAN', 'h', '0', 'COUNT', '0'],
    ['HSCAN', 'nokey', '0'],
    ['ZADD', 'z', '1', 'foo', '2', 'fab', '3', 'fiz', '10', 'foobar'],
    ['ZSCAN', 'z', '0', 'MATCH', 'foo*', 'COUNT', '10000'],
    ['ZSCAN', 'z', '0', 'NOVALUES'],
    ['DEL', 'z'],
    ['ZADD', 'z', '9.8813129168249309e-323', 'a', '1.5', 'b', 'inf', 'c', '-inf', 'd'],
    ['ZSCAN', 'z', '0'],
    ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'zset'],
    ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'hash'],
    ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'set'],
  ],
  'SCAN skips expired keys': [
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
    populate(30),
    ['SET', 'foo', 'bar'],
    ['PEXPIRE', 'foo', '1'],
    ['HSET', 'hash', 'f', 'v'],
    ['PEXPIRE', 'hash', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['SCAN', '0', 'COUNT', '1000'],
    ['DBSIZE'],
    ['SET', 'foo', 'bar', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['SCAN', '0', 'COUNT', '1000', 'TYPE', 'string'],
    ['DBSIZE'],
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
  ],
  'INFO sections': [
    { args: ['INFO', 'nosuchsection'], mode: 'exact' },
    { args: ['INFO', 'sentinel'], mode: 'exact' },
    { args: ['INFO', 'SENTINEL', 'nosuch'], mode: 'exact' },
    { args: ['INFO', 'keyspace'], mode: 'exact' },
    // avg_ttl is what the active expiry cycle last estimated: with the cycle off it stays 0 on both servers, instead
    // of depending on whether a cycle ran between these commands (test/compat/expire.test.ts checks its value).
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
    ['SET', 'a', '1'],
    ['SELECT', '3'],
    ['SET', 'b', '1', 'EX', '100'],
    ['SELECT', '0'],
    { args: ['INFO', 'keyspace'], mode: 'exact' },
    { args: ['INFO', 'KEYSPACE', 'keyspace'], mode: 'exact' },
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
  ],
  'PING, ECHO, CLIENT basics': [
    ['PING'],
    ['PING', 'redis'],
    ['PING', 'hello', 'redis'],
    { args: ['CLIENT', 'INFO'], mode: 'exact', normalize: clientLine },
    { args: ['CLIENT', 'LIST'], mode: 'exact', normalize: clientLine },
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'foo bar'],
    ['CLIENT', 'SETNAME', 'foo\nbar'],
    ['CLIENT', 'SETNAME', 'myname'],
    ['CLIENT', 'GETNAME'],
    { args: ['CLIENT', 'INFO'], mode: 'exact', normalize: clientLine },
    ['CLIENT', 'SETNAME', ''],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'KILL'],
    ['CLIENT', 'KILL', 'ID', '10', 'wrong_arg'],
    ['CLIENT', 'KILL', 'ID', 'str'],
    ['CLIENT', 'KILL', 'ID', '-1'],
    ['CLIENT', 'KILL', 'ID', '0'],
    ['CLIENT', 'KILL', 'TYPE', 'wrong_type'],
    ['CLIENT', 'KILL', 'USER', 'wrong_user'],
    ['CLIENT', 'KILL', 'SKIPME', 'yes_or_no'],
    ['CLIENT', 'KILL', 'ID', '999999'],
    ['CLIENT', 'KILL', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'LADDR', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'MAXAGE', '100'],
    ['CLIENT', 'REPLY', 'ON'],
    ['CLIENT', 'REPLY', 'maybe'],
    ['CLIENT', 'TRACKINGINFO'],
    ['CLIENT', 'GETREDIR'],
    ['CLIENT', 'CACHING', 'yes'],
    ['CLIENT', 'NOSUCH'],
    ['CLIENT'],
    ['CLIENT', 'LIST', 'TYPE', 'nosuch'],
    ['CLIENT', 'LIST', 'ID', 'x'],
    ['CLIENT', 'LIST', 'ID', '0'],
    ['CLIENT', 'LIST', 'ID', '999999'],
    ['CLIENT', 'LIST', 'foo'],
    ['CLIENT', 'NO-EVICT', 'maybe'],
    ['CLIENT', 'PAUSE', 'x'],
    ['CLIENT', 'PAUSE', '10', 'NOSUCH'],
    ['CLIENT', 'UNBLOCK', 'x'],
    ['CLIENT', 'UNBLOCK', '999999'],
    ['CLIENT', 'UNBLOCK', '999999', 'NOSUCH'],
  ],
  'CONFIG SET / GET basics': [
    ['CONFIG', 'SET', 'maxmemory', '10000001', 'maxmemory', '10000002'],
    ['CONFIG', 'SET', 'maxmemory', '10000002'],
    ['CONFIG', 'SET', 'maxmemory', '10000001', 'maxmemory', '10000003'],
    ['CONFIG', 'SET', 'maxmemory', '10000001', 'hz', '1000000', 'maxmemory-policy', 'bla'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'maxmemory', '10000001', 'hz', '11', 'save', '3000 5'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'maxmemory', '0', 'save', '', 'hz', '10'],
    ['CONFIG', 'GET', 'maxmemory', 'maxmemory-p*', 'maxmemory-policy', 'hz', 'h?'],
    ['CONFIG', 'GET', 'nosuch*'],
    ['CONFIG', 'GET'],
    ['CONFIG', 'SET', 'maxmemory'],
    ['CONFIG', 'SET', 'nosuchconfig', '1'],
    ['CONFIG', 'SET', 'maxmemory', 'bla'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'bla'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'gKE'],
    ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', '$lshzxeKE'],
    ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KA'],
    ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'EA'],
    ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Q'],
    ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'NOSUCH'],
  ],
  'COMMAND GETKEYS, GETKEYSANDFLAGS, LIST, INFO, COUNT': [
    ['COMMAND', 'GETKEYS', 'GET', 'key'],
    ['COMMAND', 'GETKEYS', 'MEMORY', 'USAGE', 'key'],
    ['COMMAND', 'GETKEYS', 'LCS', 'key1', 'key2'],
    ['COMMAND', 'GETKEYS', 'SORT', 'k1', 'STORE', 'k2'],
    ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'dst', '2', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'PING'],
    ['COMMAND', 'GETKEYS', 'NOSUCH', 'x'],
    ['COMMAND', 'GETKEYS', 'GET'],
    ['COMMAND', 'GETKEYS'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k1', 'v1'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'MSET', 'k1', 'v1', 'k2', 'v2'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'LMOVE', 'k1', 'k2', 'left', 'right'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'SORT', 'k1', 'STORE', 'k2'],
    ['COMMAND', 'LIST', 'bad_arg'],
    ['COMMAND', 'LIST', 'FILTERBY', 'bad_arg'],
    ['COMMAND', 'LIST', 'FILTERBY', 'bad_arg', 'bad_arg2'],
    ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'non_existing_category'],
    ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'set'],
    ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'get'],
    ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'non_exists'],
    ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'non_exists*'],
    ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'non_existing_module'],
    { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'config*'], mode: 'unordered' },
    { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'config|*re*'], mode: 'unordered' },
    { args: ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'pubsub'], mode: 'unordered' },
    { args: ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'transaction'], mode: 'unordered' },
    ['COMMAND', 'INFO', 'get|key'],
    ['COMMAND', 'INFO', 'config|get|key'],
    ['COMMAND', 'INFO', 'nosuch'],
    ['COMMAND', 'INFO', 'SET', 'GET', 'MSET', 'BITFIELD', 'LMOVE', 'LPOP', 'BLPOP', 'PING', 'RENAME'],
    ['COMMAND', 'INFO', 'MEMORY|USAGE', 'ZUNIONSTORE', 'SORT', 'SORT_RO'],
    ['COMMAND', 'INFO', 'MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH'],
    ['COMMAND', 'INFO', 'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE'],
    ['COMMAND', 'INFO', 'PUBLISH', 'SPUBLISH', 'PUBSUB|CHANNELS', 'PUBSUB|NUMSUB', 'PUBSUB|NUMPAT'],
    ['COMMAND', 'INFO', 'PUBSUB|SHARDCHANNELS', 'PUBSUB|SHARDNUMSUB', 'PUBSUB|HELP'],
    ['COMMAND', 'INFO', 'SCAN', 'SSCAN', 'HSCAN', 'ZSCAN', 'INFO', 'CONFIG|GET', 'CONFIG|SET'],
    ['COMMAND', 'INFO', 'CLIENT|KILL', 'CLIENT|LIST', 'CLIENT|INFO', 'CLIENT|REPLY', 'CLIENT|SETNAME'],
    ['COMMAND', 'NOSUCH'],
    ['COMMAND', 'COUNT', 'x'],
    ['TOUCH', 'key0', 'key1', 'key2', 'key3'],
    ['SET', 'key1', '1'],
    ['SET', 'key2', '2'],
    ['TOUCH', 'key0', 'key1', 'key2', 'key3'],
  ],
  'PUBSUB introspection on one connection, UNSUBSCRIBE / PUNSUBSCRIBE always reply': [
    ['PUBSUB', 'NUMSUB', 'abc', 'def'],
    ['PUBSUB', 'SHARDNUMSUB', 'abc', 'def'],
    ['PUBSUB', 'NUMSUB'],
    ['PUBSUB', 'SHARDNUMSUB'],
    ['PUBSUB', 'NUMPAT'],
    ['PUBSUB', 'CHANNELS'],
    ['PUBSUB', 'CHANNELS', 'a*'],
    ['PUBSUB', 'SHARDCHANNELS'],
    ['PUBSUB', 'CHANNELS', 'a', 'b'],
    ['PUBSUB', 'NUMPAT', 'x'],
    ['PUBSUB', 'NOSUCH'],
    ['PUBSUB'],
    ['PUNSUBSCRIBE'],
    ['UNSUBSCRIBE'],
    ['SUNSUBSCRIBE'],
    ['PUNSUBSCRIBE'],
    ['UNSUBSCRIBE'],
    ['UNSUBSCRIBE', 'foo', 'bar'],
    ['SUNSUBSCRIBE', 'foo', 'bar'],
    ['PUBLISH', 'chan', 'msg'],
    ['SPUBLISH', 'chan', 'msg'],
    ['PUBLISH', 'chan'],
    ['SUBSCRIBE'],
    ['PSUBSCRIBE'],
    ['SSUBSCRIBE'],
  ],
};

describe('scan, info, introspection', () => {
  scriptTests(INTROSPECTION, getPair, SCAN_OPTS);

  test('SCAN, SSCAN, HSCAN, ZSCAN iterate every element (COUNT, MATCH, TYPE) like Redis', async () => {
    const pair = await getPair();
    for (const port of [pair.redis.port, pair.cairn.port]) {
      const conn = await RawConnection.connect(port);
      try {
        await conn.call(['FLUSHALL']);
        await conn.call(populate(1000));
        await conn.call(['SADD', 'set', ...Array.from({ length: 200 }, (_, i) => `ele:${i}`)]);
        await conn.call(['SADD', 'iset', ...Array.from({ length: 100 }, (_, i) => `${i}`)]);
        await conn.call(['HSET', 'hash', ...Array.from({ length: 1000 }, (_, i) => [`key:${i}`, `${i}`]).flat()]);
        await conn.call(['ZADD', 'zset', ...Array.from({ length: 1000 }, (_, i) => [`${i}`, `key:${i}`]).flat()]);
        const iterate = async (prefix: string[], opts: string[]): Promise<string[]> => {
          const out: string[] = [];
          let cur = '0';
          let rounds = 0;
          do {
            const v = parseReply(await conn.call([...prefix, cur, ...opts])) as RespValue[];
            cur = String(v[0]);
            out.push(...(v[1] as RespValue[]).map(String));
            assert.ok(++rounds < 5000, 'cursor never returned to 0');
          } while (cur !== '0');
          return out;
        };
        const uniq = (a: string[]): number => new Set(a).size;
        assert.equal(uniq(await iterate(['SCAN'], [])), 1004);
        assert.equal(uniq(await iterate(['SCAN'], ['COUNT', '5'])), 1004);
        assert.equal(uniq(await iterate(['SCAN'], ['MATCH', 'key:1??'])), 100);
        assert.equal(uniq(await iterate(['SCAN'], ['TYPE', 'list'])), 0);
        assert.equal(uniq(await iterate(['SCAN'], ['TYPE', 'string'])), 1000);
        assert.equal(uniq(await iterate(['SCAN'], ['TYPE', 'string', 'MATCH', 'key:*', 'COUNT', '10'])), 1000);
        assert.equal(uniq(await iterate(['SSCAN', 'set'], [])), 200);
        assert.equal(uniq(await iterate(['SSCAN', 'iset'], [])), 100);
        const hs = await iterate(['HSCAN', 'hash'], []);
        for (let i = 0; i < hs.length; i += 2) assert.equal(hs[i], `key:${hs[i + 1]}`);
        assert.equal(uniq(hs.filter((_, i) => i % 2 === 0)), 1000);
        const zs = await iterate(['ZSCAN', 'zset'], ['COUNT', '7']);
        for (let i = 0; i < zs.length; i += 2) assert.equal(zs[i], `key:${zs[i + 1]}`);
        assert.equal(uniq(zs.filter((_, i) => i % 2 === 0)), 1000);
        // Keys written during the iteration do not hide the keys present from start to end.
        await conn.call(['FLUSHALL']);
        await conn.call(populate(100));
        const seen = new Set<string>();
        let cur = '0';
        let n = 0;
        do {
          const v = parseReply(await conn.call(['SCAN', cur])) as RespValue[];
          cur = String(v[0]);
          for (const k of v[1] as RespValue[]) seen.add(String(k));
          for (let j = 0; j < 10; j++) await conn.call(['SET', `addedkey:${(n++ * 7919) % 1000}`, 'foo']);
        } while (cur !== '0');
        for (let i = 0; i < 100; i++) assert.ok(seen.has(`key:${i}`), `key:${i} missed under write load`);
        // SSCAN keeps its guarantee while most of the set is removed mid-iteration.
        await conn.call(['DEL', 'set']);
        await conn.call(['SADD', 'set', 'x', ...Array.from({ length: 600 }, (_, i) => `${i}`)]);
        const found = new Set<string>();
        cur = '0';
        let it = 0;
        do {
          const v = parseReply(await conn.call(['SSCAN', 'set', cur])) as RespValue[];
          cur = String(v[0]);
          for (const k of v[1] as RespValue[]) found.add(String(k));
          if (++it === 2) await conn.call(['SREM', 'set', ...Array.from({ length: 500 }, (_, i) => `${i + 100}`)]);
        } while (cur !== '0');
        for (let i = 0; i < 100; i++) assert.ok(found.has(`${i}`), `SSCAN element missing ${i}`);
        await conn.call(['FLUSHALL']);
      } finally {
        await conn.close();
      }
    }
  });

  test('INFO: default, all, everything and named sections hold the same fields as Redis', async () => {
    const pair = await getPair();
    const fields = async (port: number, args: string[]): Promise<string[]> => {
      const conn = await RawConnection.connect(port);
      try {
        const text = String(parseReply(await conn.call(args)));
        return text
          .split('\r\n')
          .filter((l) => l.startsWith('#'))
          .map((l) => l.trim());
      } finally {
        await conn.close();
      }
    };
    const has = async (port: number, args: string[], needle: string): Promise<boolean> => {
      const conn = await RawConnection.connect(port);
      try {
        return String(parseReply(await conn.call(args))).includes(needle);
      } finally {
        await conn.close();
      }
    };
    for (const args of [['INFO'], ['INFO', 'default'], ['INFO', 'cpu', 'sentinel'], ['INFO', 'commandstats']]) {
      assert.deepEqual(await fields(pair.cairn.port, args), await fields(pair.redis.port, args), args.join(' '));
    }
    const probes: [string[], string][] = [
      [['INFO'], 'redis_version'],
      [['INFO'], 'used_cpu_user'],
      [['INFO'], 'used_memory'],
      [['INFO'], 'rejected_calls'],
      [['INFO'], 'sentinel_tilt'],
      [['INFO', 'all'], 'rejected_calls'],
      [['INFO', 'all'], 'used_cpu_user'],
      [['INFO', 'everything'], 'rejected_calls'],
      [['INFO', 'default'], 'rejected_calls'],
      [['INFO', 'cpu'], 'used_cpu_user'],
      [['INFO', 'cpu'], 'master_repl_offset'],
      [['INFO', 'cpu'], 'cluster_enabled'],
      [['INFO', 'sentinel'], 'used_memory'],
      [['INFO', 'commandstats'], 'rejected_calls'],
      [['INFO', 'commandstats'], 'used_memory'],
      [['INFO', 'cpu', 'all'], 'master_repl_offset'],
      [['INFO', 'cpu', 'all'], 'used_cpu_userused_cpu_user'],
      [['INFO', 'cpu', 'default'], 'rejected_calls'],
      [['INFO', 'cpu', 'default'], 'used_memory'],
    ];
    for (const [args, needle] of probes) {
      assert.equal(
        await has(pair.cairn.port, args, needle),
        await has(pair.redis.port, args, needle),
        `${args.join(' ')} contains ${needle}`,
      );
    }
  });

  test('command stats and error stats after CONFIG RESETSTAT', async () => {
    const pair = await getPair();
    await compareScript(pair, [
      ['CONFIG', 'RESETSTAT'],
      ['SET', 'foo', '1'],
      ['EXPIRE', 'foo', '0'],
      ['LPUSH', 'list', 'foo'],
      ['BRPOP', 'list', '0'],
      ['MULTI'],
      ['SET', 'foo', 'bar'],
      ['EXPIRE', 'foo', '0'],
      ['EXEC'],
      ['SET', 'foo', '1'],
      ['LPUSH', 'foo', 'x'],
      ['GET', 'a', 'b'],
      ['NOSUCHCMD'],
      {
        args: ['INFO', 'commandstats'],
        mode: 'exact',
        normalize: (b) =>
          b
            .toString('latin1')
            .replace(/usec=\d+/g, 'usec=N')
            .replace(/usec_per_call=[\d.]+/g, 'upc=N')
            .replace(/^\$\d+/, '$N')
            .replace(/^=\d+/, '=N')
            .split('\r\n')
            .filter((l) => !/cmdstat_(flushall|select|hello)/.test(l))
            .sort()
            .join('\r\n'),
      },
      {
        args: ['INFO', 'errorstats'],
        mode: 'exact',
        normalize: (b) => b.toString('latin1').replace(/^[$=]\d+/, 'N'),
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Several connections: pub/sub (pubsub.tcl, pubsubshard.tcl), WATCH from another client, CLIENT KILL / REPLY,
// MONITOR (introspection.tcl)

async function waitNumsub(ctl: Duo, channel: string, n: number, sub = 'NUMSUB'): Promise<void> {
  await pollBoth(
    ctl,
    ['PUBSUB', sub, channel],
    (v) => (v as RespValue[])[1] === n,
    () => `${sub} ${channel} never reached ${n}`,
  );
}

for (const resp of [2, 3] as const) {
  describe(`several connections (RESP${resp})`, () => {
    const pool = new DuoPool(ports, resp);
    const conn = (name: string): Promise<Duo> => pool.open(name);

    test('PUBLISH / SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE basics', async () => {
      try {
        const r = await conn('R');
        const rd1 = await conn('rd1');
        const rd2 = await conn('rd2');
        await rd1.callFrames(['SUBSCRIBE', 'chan1', 'chan2'], 2);
        await r.call(['PUBLISH', 'chan1', 'hello']);
        await r.call(['PUBLISH', 'chan2', 'world']);
        await rd1.expectFrames('messages', 2);
        await rd1.callFrames(['UNSUBSCRIBE', 'chan1'], 1);
        await r.call(['PUBLISH', 'chan1', 'hello']);
        await r.call(['PUBLISH', 'chan2', 'world']);
        await rd1.expectFrames('message', 1);
        await rd1.callFrames(['UNSUBSCRIBE', 'chan2'], 1);
        await r.call(['PUBLISH', 'chan2', 'world']);
        // PING in subscribed mode, then once unsubscribed.
        await rd1.callFrames(['SUBSCRIBE', 'somechannel'], 1);
        await rd1.callFrames(['PING'], 1);
        await rd1.callFrames(['PING', 'foo'], 1);
        await rd1.callFrames(['PING', 'a', 'b'], 1);
        await rd1.callFrames(['GET', 'x'], 1);
        await rd1.callFrames(['UNSUBSCRIBE', 'somechannel'], 1);
        await rd1.callFrames(['PING'], 1);
        // Same channel several times; two clients; unsubscribe from channels never subscribed.
        await rd1.callFrames(['SUBSCRIBE', 'chan1', 'chan1', 'chan1'], 3);
        await rd2.callFrames(['SUBSCRIBE', 'chan1'], 1);
        await r.call(['PUBLISH', 'chan1', 'hello']);
        await rd1.expectFrames('message', 1);
        await rd2.expectFrames('message', 1);
        await rd1.callFrames(['UNSUBSCRIBE', 'foo', 'bar', 'quux'], 3);
        await rd1.callFrames(['SUBSCRIBE', 'chan2', 'chan3'], 2);
        await rd1.callFrames(['UNSUBSCRIBE'], 3, 'unsubscribe-all');
        await r.call(['PUBLISH', 'chan1', 'x']);
        await rd2.expectFrames('message', 1);
        await rd2.callFrames(['UNSUBSCRIBE'], 1);
        // Patterns.
        await rd1.callFrames(['PSUBSCRIBE', 'foo.*', 'bar.*'], 2);
        for (const ch of ['foo.1', 'bar.1', 'foo1', 'barfoo.1', 'qux.1']) await r.call(['PUBLISH', ch, 'hello']);
        await rd1.expectFrames('pmessages', 2);
        await rd1.callFrames(['PUNSUBSCRIBE', 'foo.*'], 1);
        await r.call(['PUBLISH', 'foo.1', 'hello']);
        await r.call(['PUBLISH', 'bar.1', 'hello']);
        await rd1.expectFrames('pmessage', 1);
        await rd1.callFrames(['PUNSUBSCRIBE', 'bar.*'], 1);
        await rd1.callFrames(['PUNSUBSCRIBE', 'foo.*', 'bar.*', 'quux.*'], 3);
        await rd1.callFrames(['PSUBSCRIBE', 'chan1.*', 'chan2.*', 'chan3.*'], 3);
        await rd1.callFrames(['PUNSUBSCRIBE'], 3, 'unsubscribe-all');
        await r.call(['PUBLISH', 'chan1.hi', 'hello']);
        // Mixed channel and pattern.
        await rd1.callFrames(['SUBSCRIBE', 'foo.bar'], 1);
        await rd1.callFrames(['PSUBSCRIBE', 'foo.*'], 1);
        await r.call(['PUBLISH', 'foo.bar', 'hello']);
        await rd1.expectFrames('message and pmessage', 2);
        // NUMPAT counts unique patterns.
        await rd2.callFrames(['PSUBSCRIBE', 'foo*', 'bar*'], 2);
        await rd1.callFrames(['PSUBSCRIBE', 'foo*', 'baz*'], 2);
        await r.call(['PUBSUB', 'NUMPAT']);
        await r.call(['PUBSUB', 'NUMSUB', 'foo.bar', 'chan1']);
        await rd1.callFrames(['PUNSUBSCRIBE'], 3, 'unsubscribe-all');
        await rd1.callFrames(['UNSUBSCRIBE'], 1);
        await rd2.callFrames(['PUNSUBSCRIBE'], 2, 'unsubscribe-all');
        await r.call(['PUBSUB', 'NUMPAT']);
        // Shard channels.
        await rd1.callFrames(['SSUBSCRIBE', 'chan1'], 1);
        await rd1.callFrames(['SSUBSCRIBE', 'chan2'], 1);
        await rd1.callFrames(['SSUBSCRIBE', 'chan2', 'chan2'], 2);
        await r.call(['SPUBLISH', 'chan1', 'hello']);
        await r.call(['SPUBLISH', 'chan2', 'world']);
        await rd1.expectFrames('smessages', 2);
        await rd1.callFrames(['SUNSUBSCRIBE', 'chan1'], 1);
        await r.call(['SPUBLISH', 'chan1', 'hello']);
        await r.call(['SPUBLISH', 'chan2', 'world']);
        await rd1.expectFrames('smessage', 1);
        await rd2.callFrames(['SUBSCRIBE', 'chan2'], 1);
        await r.call(['SPUBLISH', 'chan2', 'x']);
        await r.call(['PUBLISH', 'chan2', 'y']);
        await rd1.expectFrames('smessage', 1);
        await rd2.expectFrames('message', 1);
        await r.call(['PUBSUB', 'SHARDNUMSUB', 'chan2']);
        await r.call(['PUBSUB', 'NUMSUB', 'chan2']);
        await r.call(['PUBSUB', 'SHARDCHANNELS']);
        await r.call(['PUBSUB', 'CHANNELS']);
        await rd1.callFrames(['SSUBSCRIBE', 'chan3'], 1);
        await rd1.callFrames(['SUNSUBSCRIBE'], 2, 'unsubscribe-all');
        await r.call(['SPUBLISH', 'chan2', 'x']);
        await rd1.callFrames(['SUNSUBSCRIBE', 'foo'], 1);
        await rd1.callFrames(['SUNSUBSCRIBE', 'bar'], 1);
        await rd2.callFrames(['UNSUBSCRIBE'], 1);
        await rd1.quiet(30);
        await rd2.quiet(30);
      } finally {
        await pool.closeAll();
      }
    });

    test('pub/sub with CLIENT REPLY OFF / SKIP, and inside MULTI', async () => {
      try {
        const r = await conn('R');
        const rd = await conn('rd');
        rd.send(['CLIENT', 'REPLY', 'OFF']);
        await rd.callFrames(['SUBSCRIBE', 'channel'], 1);
        await rd.callFrames(['PSUBSCRIBE', 'ch*'], 1);
        await rd.callFrames(['SSUBSCRIBE', 'channel'], 1);
        await waitNumsub(r, 'channel', 1);
        await r.call(['PUBLISH', 'channel', 'hello']);
        await r.call(['SPUBLISH', 'channel', 'hello']);
        await rd.expectFrames('message, pmessage, smessage', 3);
        await rd.callFrames(['UNSUBSCRIBE', 'channel'], 1);
        await rd.callFrames(['PUNSUBSCRIBE', 'ch*'], 1);
        await rd.callFrames(['SUNSUBSCRIBE', 'channel'], 1);
        await rd.callFrames(['CLIENT', 'REPLY', 'ON'], 1);
        await rd.callFrames(['CLIENT', 'REPLY', 'SKIP'], 0);
        await rd.callFrames(['PSUBSCRIBE', '*'], 1);
        await r.call(['PUBLISH', 'x', 'y']);
        await rd.expectFrames('pmessage', 1);
        await rd.callFrames(['PUNSUBSCRIBE'], 1);
        await rd.callFrames(['PING', 'after'], 1);
        if (resp === 3) {
          // A RESP3 subscriber may run any command, MULTI included.
          await rd.callFrames(['SUBSCRIBE', 'foo'], 1);
          await rd.callFrames(['MULTI'], 1);
          await rd.callFrames(['PING', 'abc'], 1);
          await rd.callFrames(['PUBLISH', 'foo', 'bar'], 1);
          await rd.callFrames(['PUBLISH', 'baz', 'bar'], 1);
          await rd.callFrames(['PING', 'def'], 1);
          await rd.callFrames(['EXEC'], 2);
          await rd.callFrames(['MULTI'], 1);
          await rd.callFrames(['PING', 'abc'], 1);
          await rd.callFrames(['UNSUBSCRIBE', 'foo'], 1);
          await rd.callFrames(['PING', 'def'], 1);
          await rd.callFrames(['EXEC'], 1);
          await rd.callFrames(['GET', 'x'], 1);
        } else {
          await rd.callFrames(['SUBSCRIBE', 'foo'], 1);
          await rd.callFrames(['MULTI'], 1);
          await rd.callFrames(['UNSUBSCRIBE'], 1);
          await rd.callFrames(['MULTI'], 1);
          await rd.callFrames(['PUBLISH', 'foo', 'bar'], 1);
          await rd.callFrames(['EXEC'], 1);
        }
        await rd.quiet(30);
      } finally {
        await pool.closeAll();
      }
    });

    test('keyspace notifications (pubsub.tcl)', async () => {
      try {
        const r = await conn('R');
        const rd = await conn('rd');
        await r.call(['FLUSHALL']);
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KA']);
        await rd.callFrames(['PSUBSCRIBE', '*'], 1);
        await r.call(['SET', 'foo', 'bar']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
        await r.call(['SET', 'foo', 'bar']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEl']);
        await r.call(['SET', 'foo', 'bar']);
        await r.call(['LPUSH', 'mylist', 'a']);
        await r.call(['RPUSH', 'mylist', 'a']);
        await r.call(['RPOP', 'mylist']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEg']);
        await r.call(['EXPIRE', 'foo', '100']);
        await r.call(['DEL', 'foo']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'Ks']);
        await r.call(['SADD', 'myset', 'a', 'b', 'c', 'd']);
        await r.call(['SREM', 'myset', 'x']);
        await r.call(['SADD', 'myset', 'x', 'y', 'z']);
        await r.call(['SREM', 'myset', 'x']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'Kz']);
        await r.call(['ZADD', 'myzset', '1', 'a', '2', 'b']);
        await r.call(['ZREM', 'myzset', 'x']);
        await r.call(['ZADD', 'myzset', '3', 'x', '4', 'y', '5', 'z']);
        await r.call(['ZREM', 'myzset', 'x']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'Kh']);
        await r.call(['HMSET', 'myhash', 'yes', '1', 'no', '0']);
        await r.call(['HINCRBY', 'myhash', 'yes', '10']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'Ex']);
        await r.call(['PSETEX', 'foo', '20', '1']);
        await rd.expectFrames('expired', 1);
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', 'En']);
        await r.call(['SET', 'newkey', '1']);
        await r.call(['SET', 'newkey', '2']);
        await rd.sync();
        await r.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
        await rd.callFrames(['PUNSUBSCRIBE'], 1);
      } finally {
        await pool.closeAll();
      }
    });

    test('WATCH sees writes from other clients and expiry; EXEC and MULTI stats', async () => {
      try {
        const r = await conn('R');
        const o = await conn('other');
        await r.call(['FLUSHALL']);
        await r.call(['SET', 'x', '1']);
        await r.call(['WATCH', 'x']);
        await o.call(['SET', 'x', '2']);
        await r.call(['MULTI']);
        await r.call(['PING']);
        await r.call(['EXEC']);
        await r.call(['WATCH', 'x']);
        await o.call(['GET', 'x']);
        await r.call(['MULTI']);
        await r.call(['PING']);
        await r.call(['EXEC']);
        await r.call(['SET', 'x', 'foo']);
        // Sent together, so the key is still alive when WATCH runs however slow the machine is.
        r.send(['PEXPIRE', 'x', '20']);
        r.send(['WATCH', 'x']);
        await r.expect('PEXPIRE');
        await r.expect('WATCH');
        await delay(120);
        await pollBoth(
          o,
          ['DBSIZE'],
          (v) => v === 0,
          () => 'x never expired',
        );
        await r.call(['MULTI']);
        await r.call(['PING']);
        await r.call(['EXEC']);
        // OOM: queued writes refused, read-only transactions run, DISCARD still works.
        await o.call(['CONFIG', 'SET', 'maxmemory', '1']);
        await r.call(['MULTI']);
        await r.call(['SET', 'x', '1']);
        await r.call(['DISCARD']);
        await r.call(['MULTI']);
        await r.call(['SET', 'foo1', 'bar1']);
        await r.call(['EXEC']);
        await o.call(['CONFIG', 'SET', 'maxmemory', '0']);
        await r.call(['SET', 'x', 'value']);
        await r.call(['MULTI']);
        await r.call(['GET', 'x']);
        await r.call(['PING']);
        await o.call(['CONFIG', 'SET', 'maxmemory', '1']);
        await r.call(['EXEC']);
        await r.call(['MULTI']);
        await o.call(['CONFIG', 'SET', 'maxmemory', '0']);
        await r.call(['SET', 'x', '1']);
        await r.call(['GET', 'x']);
        await o.call(['CONFIG', 'SET', 'maxmemory', '1']);
        await r.call(['EXEC']);
        await o.call(['CONFIG', 'SET', 'maxmemory', '0']);
        await r.call(['MULTI']);
        await r.call(['SET', 'foo1', 'bar1']);
        await o.call(['CONFIG', 'SET', 'maxmemory', '1']);
        await r.call(['LPUSH', 'mylist', 'myvalue']);
        await o.call(['CONFIG', 'SET', 'maxmemory', '0']);
        await r.call(['SET', 'foo2', 'bar2']);
        await r.call(['EXEC']);
        await r.call(['EXISTS', 'foo1', 'foo2']);
      } finally {
        await pool.closeAll();
      }
    });

    test('CLIENT REPLY OFF / SKIP / ON, CLIENT KILL, MONITOR', async () => {
      try {
        const r = await conn('R');
        const rd = await conn('rd');
        rd.send(['CLIENT', 'REPLY', 'OFF']);
        rd.send(['PING', 'pong']);
        rd.send(['PING', 'pong2']);
        await rd.call(['CLIENT', 'REPLY', 'ON']);
        await rd.call(['PING', 'pong3']);
        rd.send(['CLIENT', 'REPLY', 'SKIP']);
        rd.send(['PING', 'pong']);
        await rd.call(['PING', 'pong2']);
        rd.send(['CLIENT', 'REPLY', 'SKIP']);
        await rd.call(['CLIENT', 'REPLY', 'ON']);
        await rd.call(['PING']);
        rd.send(['CLIENT', 'REPLY', 'OFF']);
        rd.send(['GET', 'a', 'b']);
        rd.send(['NOSUCH']);
        await rd.call(['CLIENT', 'REPLY', 'ON']);
        // MONITOR: commands, MULTI/EXEC order, an aborted transaction, redacted AUTH.
        const m = await conn('monitor');
        await m.call(['MONITOR']);
        const strip = (s: string): string => s.replace(/^\+\d+\.\d+ \[\d+ [^\]]+\]/, '+T [C]');
        await r.call(['SET', 'foo', 'bar']);
        await r.call(['GET', 'foo']);
        await r.call(['MULTI']);
        await r.call(['SET', 'foo', 'bar']);
        await r.call(['EXEC']);
        await r.call(['MULTI']);
        await r.call(['syntax', 'error']);
        await r.call(['EXEC']);
        await r.call(['AUTH', 'not-real']);
        await r.call(['AUTH', 'not-real', 'not-a-password']);
        await r.call(['HELLO', String(resp), 'AUTH', 'not-real', 'not-a-password']);
        for (let i = 0; i < 10; i++) await m.expect(`monitor line ${i}`, undefined, { normalize: strip });
        await m.quiet(30);
        // CLIENT KILL SKIPME.
        const k1 = await conn('k1');
        await k1.call(['PING']);
        await r.call(['CLIENT', 'KILL', 'SKIPME', 'yes']);
        await r.call(['PING']);
        await r.call(['CLIENT', 'KILL', 'SKIPME', 'no']);
        for (const d of [r.redis, r.cairn]) {
          await d.readUntilClosed(5000);
          assert.ok(d.isClosed);
        }
      } finally {
        await pool.closeAll();
      }
    });
  });
}
