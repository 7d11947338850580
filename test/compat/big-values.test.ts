// Big string values: SET and its kin keep values of 4 KB or more outside V8's heap (src/types/big-string.ts).
// Every string command must see them as the strings they are, in RESP2 and RESP3, through transactions, copies,
// renames, reloads, MONITOR and SLOWLOG; used_memory and the maxmemory limit must count them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { onBothServers, sharedPair } from '../support/servers.js';
import { compareScript, type Script } from '../support/differential.js';
import { RawConnection, encodeCommand, parseReply } from '../support/resp.js';
import { bytes } from '../support/data.js';

const pair = sharedPair({ cairnOptions: { 'enable-debug-command': 'yes' } });

const V4K = bytes(4096, 1);
const V5K = Buffer.concat([Buffer.from('x'.repeat(4090)), Buffer.from('123456')]);
const V100K = bytes(100_000, 2);
const V300K = bytes(300_000, 3);
const DIGITS = Buffer.from('7'.repeat(5000));

const script: Script = [
  ['FLUSHALL'],
  ['SET', 'a', V4K],
  ['GET', 'a'],
  ['STRLEN', 'a'],
  ['TYPE', 'a'],
  ['OBJECT', 'ENCODING', 'a'],
  ['GETRANGE', 'a', '4000', '-1'],
  ['GETRANGE', 'a', '-5', '100000'],
  ['SUBSTR', 'a', '0', '9'],
  ['APPEND', 'a', 'tail'],
  ['GET', 'a'],
  ['OBJECT', 'ENCODING', 'a'],
  ['MSET', 'b', V100K, 'c', 'small', 'd', V300K],
  ['MGET', 'b', 'c', 'd', 'missing'],
  ['GETSET', 'b', V5K],
  ['GET', 'b'],
  ['SET', 'b', V300K, 'GET'],
  ['SET', 'b', V4K, 'XX', 'GET'],
  ['SET', 'b', V100K, 'NX'],
  ['SETNX', 'n', V100K],
  ['SETNX', 'n', V4K],
  ['GET', 'n'],
  ['MSETNX', 'n', V4K, 'm', V4K],
  ['MSETNX', 'm', V4K, 'm2', V100K],
  ['MGET', 'm', 'm2'],
  ['SETEX', 'e', '100', V100K],
  ['TTL', 'e'],
  ['GETEX', 'e', 'PERSIST'],
  ['TTL', 'e'],
  ['PSETEX', 'p', '100000', V4K],
  ['GETDEL', 'p'],
  ['EXISTS', 'p'],
  ['SET', 'k', V5K, 'EX', '1000', 'KEEPTTL'],
  ['SET', 'k', V5K, 'EX', '1000'],
  ['SET', 'k', V100K, 'KEEPTTL'],
  ['TTL', 'k'],
  // Commands that read the value as text.
  ['SETRANGE', 'k', '2', 'AB'],
  ['GETRANGE', 'k', '0', '5'],
  ['SETBIT', 'a', '7', '1'],
  ['GETBIT', 'a', '7'],
  ['BITCOUNT', 'd'],
  ['BITCOUNT', 'd', '10', '20000'],
  ['BITPOS', 'd', '0'],
  ['BITOP', 'XOR', 'x', 'b', 'd'],
  ['STRLEN', 'x'],
  ['GET', 'x'],
  ['BITFIELD', 'd', 'GET', 'u8', '800', 'INCRBY', 'i5', '100', '1'],
  ['SET', 'digits', DIGITS],
  ['INCR', 'digits'],
  ['INCRBYFLOAT', 'digits', '1'],
  ['SET', 'short', 'ace'],
  ['LCS', 'short', 'a'],
  ['LCS', 'short', 'd', 'LEN'],
  ['LPUSH', 'a', 'x'],
  ['SADD', 'b', 'x'],
  // Keys moved and copied.
  ['COPY', 'd', 'd2'],
  ['GET', 'd2'],
  ['RENAME', 'd2', 'd3'],
  ['GET', 'd3'],
  ['MOVE', 'd3', '1'],
  ['SELECT', '1'],
  ['GET', 'd3'],
  ['SWAPDB', '0', '1'],
  ['GET', 'd3'],
  ['SELECT', '0'],
  ['DBSIZE'],
  // A transaction.
  ['MULTI'],
  ['SET', 't', V100K],
  ['GET', 't'],
  ['MSET', 't2', V4K, 't3', 'v'],
  ['STRLEN', 't2'],
  ['EXEC'],
  // SORT reading big strings as weights and values.
  ['RPUSH', 'list', '1', '2'],
  ['SET', 'w_1', V4K],
  ['SORT', 'list', 'BY', 'w_*'],
  ['SORT', 'list', 'BY', 'nosort', 'GET', 'w_*'],
  ['DEBUG', 'RELOAD'],
  ['MGET', 'a', 'b', 'd', 'k', 'n', 'm2', 't', 't2', 'w_1'],
  ['OBJECT', 'ENCODING', 'b'],
  ['TTL', 'k'],
  ['DBSIZE'],
];

describe('big string values (differential)', () => {
  for (const resp of [2, 3] as const) {
    it(`every string command over 4 KB–300 KB values, RESP${resp}`, async () => {
      await compareScript(await pair(), script, { resp, timeoutMs: 20_000 });
    });
  }

  it('MONITOR shows a big value quoted, and SLOWLOG cuts it after 128 bytes', async () => {
    const p = await pair();
    const [redis, cairn] = await onBothServers(p, async (port) => {
      const m = await RawConnection.connect(port);
      const c = await RawConnection.connect(port);
      try {
        await m.call(['MONITOR']);
        await c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
        await c.call(['SLOWLOG', 'RESET']);
        await c.call(['SET', 'mon', V4K]);
        await c.call(['MSET', 'mon2', 'v', 'mon3', V100K]);
        const entries = parseReply(await c.call(['SLOWLOG', 'GET', '2'])) as unknown[][];
        await c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
        // CONFIG and SLOWLOG are admin commands, which MONITOR does not show: two lines are expected.
        let seen = '';
        const deadline = Date.now() + 5000;
        while ((seen.match(/\n/g) ?? []).length < 2 && Date.now() < deadline) {
          seen += (await m.readAvailable(50, 2000)).toString('latin1');
        }
        return {
          monitor: seen.replace(/^\+\d+\.\d+ \[(\d+) [^\]]+\]/gm, '+TS [$1 ADDR]'),
          slowlog: entries.map((e) => e[3]),
        };
      } finally {
        await Promise.all([m.close(), c.close()]);
      }
    });
    assert.deepEqual(cairn, redis);
  });
});

/** used_memory from INFO memory. */
async function used(c: RawConnection): Promise<number> {
  const info = parseReply(await c.call(['INFO', 'memory'])) as string;
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** used_memory measured: Cairn measures its heap after a full collection when a maxmemory is set. */
async function measured(c: RawConnection): Promise<number> {
  await c.call(['CONFIG', 'SET', 'maxmemory', '0']);
  await c.call(['CONFIG', 'SET', 'maxmemory', '1gb']);
  return used(c);
}

describe('big string values in used_memory and under maxmemory', () => {
  it('used_memory counts stored big values and gives them back when they go', async () => {
    const { cairn } = await pair();
    const c = await RawConnection.connect(cairn.port);
    try {
      await c.call(['FLUSHALL']);
      const before = await measured(c);
      for (let i = 0; i < 40; i++) await c.call(['SET', `big:${i}`, V100K]);
      const stored = await measured(c);
      assert.ok(stored - before > 3_500_000, `used_memory grew by ${stored - before} for 4 MB of values`);
      await c.call(['FLUSHALL']);
      const flushed = await measured(c);
      assert.ok(flushed - before < 1_000_000, `FLUSHALL gave back ${stored - flushed} of ${stored - before}`);
    } finally {
      await c.call(['CONFIG', 'SET', 'maxmemory', '0']);
      await c.close();
    }
  });

  it('match Redis: big values are evicted under maxmemory, keeping used_memory near the limit', async () => {
    const p = await pair();
    const [redis, cairn] = await onBothServers(p, async (port) => {
      const c = await RawConnection.connect(port);
      try {
        await c.call(['FLUSHALL']);
        const base = await measured(c);
        await c.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru']);
        await c.call(['CONFIG', 'SET', 'maxmemory', String(base + 3_000_000)]);
        for (let i = 0; i < 100; i++) await c.call(['SET', `ev:${i}`, V100K]);
        const keys = Number((await c.call(['DBSIZE'])).toString('latin1').slice(1, -2));
        const last = (await c.call(['EXISTS', 'ev:99'])).toString('latin1');
        return { evicted: keys < 50 && keys > 10, last };
      } finally {
        await c.call(['CONFIG', 'SET', 'maxmemory', '0']);
        await c.call(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
        await c.call(['FLUSHALL']);
        await c.close();
      }
    });
    assert.deepEqual(cairn, redis);
    assert.deepEqual(cairn, { evicted: true, last: ':1\r\n' });
  });
});

describe('big replies to many clients at once', () => {
  it('each client gets its own bytes while reply chunks are reused (LRANGE, GET, pipelined, 20 clients)', async () => {
    const { cairn } = await pair();
    const conns = await Promise.all(Array.from({ length: 20 }, () => RawConnection.connect(cairn.port)));
    try {
      const expected: Buffer[] = [];
      for (let c = 0; c < conns.length; c++) {
        const elems = Array.from({ length: 300 }, (_, i) => bytes(1000, c * 1000 + i + 1));
        await conns[c]!.call(['DEL', `rl:${c}`]);
        await conns[c]!.call(['RPUSH', `rl:${c}`, ...elems]);
        await conns[c]!.call(['SET', `rv:${c}`, bytes(150_000, c + 7)]);
        const list = Buffer.concat([
          Buffer.from('*300\r\n'),
          ...elems.flatMap((e) => [Buffer.from('$1000\r\n'), e, Buffer.from('\r\n')]),
        ]);
        const value = Buffer.concat([Buffer.from('$150000\r\n'), bytes(150_000, c + 7), Buffer.from('\r\n')]);
        expected.push(Buffer.concat([list, value, list]));
      }
      for (const [c, conn] of conns.entries()) {
        conn.send(['LRANGE', `rl:${c}`, '0', '-1']);
        conn.send(['GET', `rv:${c}`]);
        conn.send(['LRANGE', `rl:${c}`, '0', '-1']);
      }
      const got = await Promise.all(
        conns.map(async (conn) =>
          Buffer.concat([await conn.readReply(), await conn.readReply(), await conn.readReply()]),
        ),
      );
      for (let c = 0; c < conns.length; c++) assert.ok(got[c]!.equals(expected[c]!), `client ${c} got other bytes`);
    } finally {
      await Promise.all(conns.map((c) => c.close()));
    }
  });
});

describe('values of 1 MB and more in used_memory', () => {
  it('count after DEBUG RELOAD, and when APPEND builds them', async () => {
    const { cairn } = await pair();
    const c = await RawConnection.connect(cairn.port);
    const used = (): Promise<number> => measured(c);
    const MB = bytes(1_100_000, 5);
    try {
      await c.call(['FLUSHALL']);
      const before = await used();
      for (let i = 0; i < 10; i++) await c.call(['SET', `m:${i}`, MB]);
      await c.call(['DEBUG', 'RELOAD']); // they load back as strings
      const reloaded = await used();
      assert.ok(reloaded - before > 10_000_000, `after DEBUG RELOAD used_memory grew by ${reloaded - before}`);
      for (let i = 0; i < 5; i++) await c.call(['APPEND', `a:${i}`, MB]);
      const appended = await used();
      assert.ok(appended - reloaded > 5_000_000, `5 APPENDs of 1.1 MB added ${appended - reloaded}`);
    } finally {
      await c.call(['FLUSHALL']);
      await c.call(['CONFIG', 'SET', 'maxmemory', '0']);
      await c.close();
    }
  });
});

describe('CLIENT REPLY OFF and SKIP with replies past 64 KB (differential)', () => {
  it('a silenced big reply is dropped whole, also after other pipelined replies', async () => {
    const p = await pair();
    const [redis, cairn] = await onBothServers(p, async (port) => {
      const c = await RawConnection.connect(port);
      try {
        await c.call(['DEL', 'bl', 'bv']);
        await c.call(['RPUSH', 'bl', ...Array.from({ length: 120 }, (_, i) => bytes(1000, i + 1))]);
        await c.call(['SET', 'bv', bytes(50_000, 9)]);
        c.sendRaw(
          Buffer.concat([
            encodeCommand(['GET', 'bv']),
            encodeCommand(['CLIENT', 'REPLY', 'SKIP']),
            encodeCommand(['LRANGE', 'bl', '0', '-1']),
            encodeCommand(['PING', 'after-skip']),
            encodeCommand(['CLIENT', 'REPLY', 'OFF']),
            encodeCommand(['LRANGE', 'bl', '0', '-1']),
            encodeCommand(['GET', 'bv']),
            encodeCommand(['NOSUCHCOMMAND']),
            encodeCommand(['CLIENT', 'REPLY', 'ON']),
            encodeCommand(['PING', 'after-off']),
          ]),
        );
        const got = (await c.readAvailable(300, 5000)).toString('latin1');
        return got.length + ' ' + got.slice(-60).replace(/[^\x20-\x7e]/g, '.');
      } finally {
        await c.close();
      }
    });
    assert.equal(cairn, redis);
  });
  it('single bulks past 64 KB (stored and built values) are dropped too, and a served blocked pop', async () => {
    const p = await pair();
    const [redis, cairn] = await onBothServers(p, async (port) => {
      const c = await RawConnection.connect(port);
      const d = await RawConnection.connect(port);
      try {
        await c.call(['DEL', 'big1', 'big2', 'bq']);
        await c.call(['SET', 'big1', bytes(100_000, 3)]);
        await c.call(['APPEND', 'big2', bytes(90_000, 4)]);
        await c.call(['APPEND', 'big2', bytes(90_000, 5)]);
        c.sendRaw(
          Buffer.concat([
            encodeCommand(['CLIENT', 'REPLY', 'OFF']),
            encodeCommand(['GET', 'big1']),
            encodeCommand(['GET', 'big2']),
            encodeCommand(['MGET', 'big1', 'big2']),
            encodeCommand(['CLIENT', 'REPLY', 'ON']),
            encodeCommand(['PING', 'after-off']),
            encodeCommand(['CLIENT', 'REPLY', 'SKIP']),
            encodeCommand(['GET', 'big2']),
            encodeCommand(['CLIENT', 'REPLY', 'SKIP']),
            encodeCommand(['BLPOP', 'bq', '0']),
          ]),
        );
        const first = (await c.readAvailable(300, 5000)).toString('latin1');
        await d.call(['RPUSH', 'bq', bytes(80_000, 6)]);
        c.sendRaw(encodeCommand(['PING', 'after-skip']));
        const rest = (await c.readAvailable(300, 5000)).toString('latin1');
        const got = first + '|' + rest;
        return got.length + ' ' + got.slice(-80).replace(/[^\x20-\x7e]/g, '.');
      } finally {
        await c.close();
        await d.close();
      }
    });
    assert.equal(cairn, redis);
  });
});
