// DEBUG RELOAD, DEBUG DIGEST and DEBUG DIGEST-VALUE: reply shapes as Redis 7.0.15 gives them, digest properties
// (order independence, every type and TTL covered), and reload round trips (log, snapshot, log + snapshot) that
// leave the digest — and every absolute expiry — unchanged, for random datasets of every type.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { RawConnection, parseReply } from '../support/resp.js';
import { startRedis } from '../support/servers.js';
import { spawnCairn, tmpDir, call, pipeline, type Child } from './helpers.js';

const ZERO = '0'.repeat(40);
const DEBUG_ON = ['--enable-debug-command', 'yes'];

type Cmd = (string | Buffer)[];

async function digest(conn: RawConnection): Promise<string> {
  const r = (await conn.call(['DEBUG', 'DIGEST'], 15000)).toString('latin1');
  assert.match(r, /^\+[0-9a-f]{40}\r\n$/);
  return r.slice(1, 41);
}

/** Every key of databases 0..2 with its type, DEBUG DIGEST-VALUE and absolute expiry (ms), sorted. */
async function snapshotOf(conn: RawConnection): Promise<string[]> {
  const out: string[] = [];
  for (let db = 0; db < 3; db++) {
    await call(conn, 'SELECT', String(db));
    const keys = (await call(conn, 'KEYS', '*')) as string[];
    if (keys.length === 0) continue;
    const cmds: string[][] = [];
    for (const k of keys) cmds.push(['TYPE', k], ['PEXPIRETIME', k], ['DEBUG', 'DIGEST-VALUE', k]);
    const replies = (await pipeline(conn, cmds)).map((b) => b.toString('latin1'));
    keys.forEach((k, i) => out.push(JSON.stringify([db, k, replies[3 * i], replies[3 * i + 1], replies[3 * i + 2]])));
  }
  await call(conn, 'SELECT', '0');
  return out.sort();
}

async function state(conn: RawConnection): Promise<{ digest: string; keys: string[] }> {
  return { digest: await digest(conn), keys: await snapshotOf(conn) };
}

// ---- random datasets of every type

const bytes = fc.uint8Array({ minLength: 0, maxLength: 12 }).map((a) => Buffer.from(a));
const member = fc.oneof(bytes, fc.integer({ min: -1000, max: 100000 }).map(String));
const score = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double({ noNaN: true }).map((d) => String(d)),
  fc.constantFrom('inf', '-inf', '0', '-0', '1.5'),
);
const ttl = fc.integer({ min: 200_000, max: 50_000_000 }).map(String);

function key(prefix: string): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: 12 }).map((n) => `${prefix}${n}`);
}

/** Some commands build big collections (past the compact encodings' limits). */
const many = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(a, { minLength: 1, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(a, { minLength: 130, maxLength: 300 }) },
  );

const command: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key('s'), bytes).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key('s'), bytes, ttl).map(([k, v, t]) => ['SET', k, v, 'PX', t]),
  fc.tuple(key('s'), fc.string({ minLength: 65, maxLength: 200 })).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key('s'), fc.integer()).map(([k, n]) => ['SET', k, String(n)]),
  fc.tuple(key('l'), many(member)).map(([k, m]) => ['RPUSH', k, ...m]),
  fc.tuple(key('l'), many(member)).map(([k, m]) => ['LPUSH', k, ...m]),
  fc.tuple(key('h'), many(fc.tuple(member, bytes))).map(([k, fv]) => ['HSET', k, ...fv.flat()]),
  fc.tuple(key('t'), many(member)).map(([k, m]) => ['SADD', k, ...m]),
  fc.tuple(key('t'), many(fc.integer({ min: -50, max: 5000 }).map(String))).map(([k, m]) => ['SADD', k, ...m]),
  fc.tuple(key('z'), many(fc.tuple(score, member))).map(([k, sm]) => ['ZADD', k, ...sm.flat()]),
  fc.tuple(fc.constantFrom('s', 'l', 'h', 't', 'z').chain(key), ttl).map(([k, t]) => ['PEXPIRE', k, t]),
  fc
    .constantFrom('s', 'l', 'h', 't', 'z')
    .chain(key)
    .map((k) => ['DEL', k]),
  fc.integer({ min: 0, max: 2 }).map((db) => ['SELECT', String(db)]),
);
const dataset = fc.array(command, { minLength: 20, maxLength: 80 });

async function apply(conn: RawConnection, cmds: Cmd[]): Promise<void> {
  for (const c of cmds) conn.send(c);
  for (let i = 0; i < cmds.length; i++) await conn.readReply(15000);
  await call(conn, 'SELECT', '0');
}

/** Waits for the rewrite to end; fails with INFO persistence if it has not ended within a minute. */
async function waitRewrite(conn: RawConnection): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const info = (await call(conn, 'INFO', 'persistence')) as string;
    if (
      /aof_rewrite_in_progress:0/.test(info) &&
      /aof_rewrite_scheduled:0/.test(info) &&
      !/aof_rewrite_in_progress:1/.test(info)
    )
      return;
    if (Date.now() > deadline) throw new Error(`BGREWRITEAOF still under way after 60 s:\n${info}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function restart(child: Child, args: string[]): Promise<{ child: Child; conn: RawConnection }> {
  await child.kill('SIGKILL');
  const c = await spawnCairn(args);
  return { child: c, conn: await RawConnection.connect(c.port) };
}

// ---- the tests

test('DEBUG DIGEST / DIGEST-VALUE / RELOAD reply shapes match Redis 7.0.15', async () => {
  const redis = await startRedis();
  const cairn = await spawnCairn(['--dir', tmpDir('rd-shape'), '--save', '', ...DEBUG_ON]);
  try {
    const script: string[][] = [
      ['DEBUG', 'DIGEST'],
      ['DEBUG', 'DIGEST-VALUE'],
      ['DEBUG', 'DIGEST-VALUE', 'nokey', 'other'],
      ['DEBUG', 'DIGEST', 'extra'],
      ['DEBUG', 'RELOAD', 'bogus'],
      ['DEBUG', 'RELOAD', 'NOSAVE', 'bogus'],
      ['DEBUG', 'RELOAD', 'NOSAVE'],
      ['SET', 'a', '1'],
      ['DEBUG', 'RELOAD'],
      ['DBSIZE'],
      ['GET', 'a'],
      ['SET', 'b', '2'],
      ['DEBUG', 'RELOAD', 'nosave'],
      ['DBSIZE'],
      ['SET', 'b', '2'],
      ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'],
      ['DBSIZE'],
      ['FLUSHALL'],
      ['DEBUG', 'DIGEST'],
      ['DEBUG', 'RELOAD'],
      ['DEBUG', 'DIGEST'],
      ['DBSIZE'],
    ];
    const out: string[][] = [[], []];
    for (const [i, port] of [redis.port, cairn.port].entries()) {
      const conn = await RawConnection.connect(port);
      // The missing-file case first: no snapshot exists yet in either directory.
      for (const cmd of script) out[i]!.push((await conn.call(cmd, 15000)).toString('latin1'));
      await conn.close();
    }
    assert.deepEqual(out[1], out[0]);
    // DIGEST-VALUE of a present key: one 40-hex status reply per key, zeros for missing ones.
    const conn = await RawConnection.connect(cairn.port);
    await call(conn, 'SET', 'x', 'y');
    const r = (await conn.call(['DEBUG', 'DIGEST-VALUE', 'x', 'nokey'])).toString('latin1');
    assert.match(r, /^\*2\r\n\+[0-9a-f]{40}\r\n\+0{40}\r\n$/);
    assert.notEqual(r.slice(5, 45), ZERO);
    await conn.close();
  } finally {
    await redis.stop();
    await cairn.kill('SIGKILL');
  }
});

test('DEBUG DIGEST: order independent, every type and TTL covered, zeros when empty', async () => {
  const cairn = await spawnCairn(['--dir', tmpDir('rd-props'), '--save', '', ...DEBUG_ON]);
  const conn = await RawConnection.connect(cairn.port);
  try {
    assert.equal(await digest(conn), ZERO);
    const build = (rev: boolean): string[][] => {
      const c: string[][] = [
        ['SET', 's', 'v'],
        ['RPUSH', 'l', 'a', 'b', 'c'],
        ...(rev
          ? [
              ['HSET', 'h', 'f2', 'v2'],
              ['HSET', 'h', 'f1', 'v1'],
            ]
          : [['HSET', 'h', 'f1', 'v1', 'f2', 'v2']]),
        ['SADD', 't', ...(rev ? ['3', '2', '1', 'x'] : ['x', '1', '2', '3'])],
        ['ZADD', 'z', ...(rev ? ['2', 'b', '1', 'a'] : ['1', 'a', '2', 'b'])],
        ['PEXPIRE', 's', '100000000'],
        ['SELECT', '1'],
        ['SET', 'other', 'db1'],
        ['SELECT', '0'],
      ];
      return rev
        ? [
            ...c
              .slice(0, -3)
              .reverse()
              .filter((x) => x[0] !== 'PEXPIRE'),
            ['PEXPIRE', 's', '100000000'],
            ...c.slice(-3),
          ]
        : c;
    };
    await pipeline(conn, build(false));
    const d1 = await digest(conn);
    assert.notEqual(d1, ZERO);
    await call(conn, 'FLUSHALL');
    await pipeline(conn, build(true));
    assert.equal(await digest(conn), d1, 'insertion order changed the digest');
    // Every change of any type, of a TTL's presence or of the database a key lives in changes the digest.
    const changes: string[][][] = [
      [['SET', 's', 'w', 'KEEPTTL']],
      [['PERSIST', 's']],
      [['PEXPIRE', 'l', '100000000']],
      [['RPUSH', 'l', 'd']],
      [
        ['LPUSH', 'l', 'z'],
        ['RPOP', 'l'],
      ],
      [['HSET', 'h', 'f1', 'other']],
      [['SADD', 't', 'y']],
      [['ZADD', 'z', '1.5', 'a']],
      [['MOVE', 'l', '2']],
    ];
    for (const ch of changes) {
      await call(conn, 'FLUSHALL');
      await pipeline(conn, build(false));
      await pipeline(conn, ch);
      assert.notEqual(await digest(conn), d1, `digest unchanged after ${JSON.stringify(ch)}`);
    }
    // DIGEST-VALUE depends on the value (and TTL presence), not on the key's name.
    await call(conn, 'FLUSHALL');
    await pipeline(conn, [
      ['SADD', 'a', '1', '2'],
      ['SADD', 'b', '2', '1'],
      ['SADD', 'c', '2', '1'],
      ['PEXPIRE', 'c', '100000'],
    ]);
    const dv = parseReply(await conn.call(['DEBUG', 'DIGEST-VALUE', 'a', 'b', 'c'])) as string[];
    assert.equal(dv[0], dv[1]);
    assert.notEqual(dv[0], dv[2]);
  } finally {
    await conn.close();
    await cairn.kill('SIGKILL');
  }
});

test('reload round trips (log, snapshot, log + snapshot) keep DEBUG DIGEST and every expiry, random datasets of every type', async () => {
  await fc.assert(
    fc.asyncProperty(dataset, dataset, async (part1, part2) => {
      const dir = tmpDir('rd-trip');
      const aof = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', ...DEBUG_ON];
      const snap = ['--dir', dir, '--appendonly', 'no', '--save', '', ...DEBUG_ON];
      let child = await spawnCairn(aof);
      let conn = await RawConnection.connect(child.port);
      try {
        // 1. Log only: everything is in the incremental file (the base is the empty start dataset).
        await apply(conn, part1);
        const s1 = await state(conn);
        ({ child, conn } = await restart(child, aof));
        assert.deepEqual(await state(conn), s1, 'the log round trip changed the dataset');
        // 2. Snapshot, in process: DEBUG RELOAD.
        assert.equal((await conn.call(['DEBUG', 'RELOAD'], 15000)).toString('latin1'), '+OK\r\n');
        assert.deepEqual(await state(conn), s1, 'DEBUG RELOAD changed the dataset');
        // 3. Log + snapshot: a rewrite makes a base snapshot, then more writes go to a new incremental file.
        await call(conn, 'BGREWRITEAOF');
        await waitRewrite(conn);
        await apply(conn, part2);
        const s2 = await state(conn);
        assert.ok(fs.readdirSync(path.join(dir, 'appendonlydir')).some((f) => f.endsWith('.base.snap')));
        ({ child, conn } = await restart(child, aof));
        assert.deepEqual(await state(conn), s2, 'the base + log round trip changed the dataset');
        // 4. Snapshot across a restart: SAVE, then start without the log.
        assert.equal((await conn.call(['SAVE'], 15000)).toString('latin1'), '+OK\r\n');
        ({ child, conn } = await restart(child, snap));
        assert.deepEqual(await state(conn), s2, 'the snapshot round trip changed the dataset');
        assert.equal((await conn.call(['DEBUG', 'RELOAD'], 15000)).toString('latin1'), '+OK\r\n');
        assert.equal(await digest(conn), s2.digest);
      } finally {
        await conn.close();
        await child.kill('SIGKILL');
      }
    }),
    { numRuns: 3 },
  );
});

test('DEBUG RELOAD round trip on larger random datasets, many runs', async () => {
  const cairn = await spawnCairn(['--dir', tmpDir('rd-many'), '--save', '', ...DEBUG_ON]);
  const conn = await RawConnection.connect(cairn.port);
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 50, maxLength: 250 }), async (cmds) => {
        await call(conn, 'FLUSHALL');
        await apply(conn, cmds);
        const before = await state(conn);
        assert.equal((await conn.call(['DEBUG', 'RELOAD'], 15000)).toString('latin1'), '+OK\r\n');
        assert.deepEqual(await state(conn), before);
      }),
      { numRuns: 25 },
    );
  } finally {
    await conn.close();
    await cairn.kill('SIGKILL');
  }
});

test('expiry times beyond 2^53 ms survive SAVE and a restart from the snapshot exactly', async () => {
  const dir = tmpDir('rd-exact');
  const args = ['--dir', dir, '--save', '', ...DEBUG_ON];
  let child = await spawnCairn(args);
  let conn = await RawConnection.connect(child.port);
  try {
    const times = ['9223372036854775000', '9223372036854775807', '9007199254740993', '1800000000000'];
    for (const [i, t] of times.entries()) {
      assert.equal(await call(conn, 'SET', `k${i}`, 'v'), 'OK');
      assert.equal(await call(conn, 'PEXPIREAT', `k${i}`, t), 1);
    }
    const expiryTimes = async (): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < times.length; i++) out.push(String(await call(conn, 'PEXPIRETIME', `k${i}`)));
      return out;
    };
    assert.deepEqual(await expiryTimes(), times);
    assert.equal(await call(conn, 'SAVE'), 'OK');
    ({ child, conn } = await restart(child, args));
    assert.deepEqual(await expiryTimes(), times);
  } finally {
    await conn.close();
    await child.kill('SIGKILL');
  }
});

// ---- keys whose time has passed, between the log and a reload

async function aofChild(dir: string): Promise<{ c: Child; conn: RawConnection }> {
  const c = await spawnCairn(['--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'no', ...DEBUG_ON]);
  return { c, conn: await RawConnection.connect(c.port) };
}

test('a key DEBUG RELOAD drops because its time has passed is deleted in the AOF too', async () => {
  const dir = tmpDir('rd-expired');
  let { c, conn } = await aofChild(dir);
  try {
    // No active expiry: the key is still there, past its time, when DEBUG RELOAD saves and loads.
    assert.equal(await call(conn, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'), 'OK');
    assert.equal(await call(conn, 'SET', 'd', '3.5', 'PX', '20'), 'OK');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(await call(conn, 'DEBUG', 'RELOAD'), 'OK');
    // INCRBYFLOAT goes to the log as SET … KEEPTTL: replayed against the old key it would keep the old time.
    assert.equal(await call(conn, 'INCRBYFLOAT', 'd', '0.5'), '0.5');
    assert.equal(await call(conn, 'PTTL', 'd'), -1);
    await conn.close();
    await c.kill('SIGKILL');
    ({ c, conn } = await aofChild(dir));
    assert.equal(await call(conn, 'GET', 'd'), '0.5');
    assert.equal(await call(conn, 'PTTL', 'd'), -1);
  } finally {
    await conn.close();
    await c.kill('SIGKILL');
  }
});

test('an AOF base keeps keys whose time has passed by the restart: later records made while they lived replay against them', async () => {
  const dir = tmpDir('rd-base-expired');
  let { c, conn } = await aofChild(dir);
  try {
    assert.equal(await call(conn, 'SET', 'd', 'v', 'PX', '800'), 'OK');
    const setAt = Date.now();
    assert.match(String(await call(conn, 'BGREWRITEAOF')), /rewriting (started|scheduled)/);
    for (;;) {
      const info = String(await call(conn, 'INFO', 'persistence'));
      if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Made while d lives (its time is kept): in the new incremental file, after the base that holds d.
    assert.equal(await call(conn, 'APPEND', 'd', 'x'), 2);
    assert.ok(Date.now() - setAt < 700, 'the rewrite took too long for this test');
    await conn.close();
    await c.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, Math.max(0, setAt + 900 - Date.now())));
    ({ c, conn } = await aofChild(dir));
    // d's time passed while the server was down: it is gone, not brought back as "x" without a time.
    assert.equal(await call(conn, 'EXISTS', 'd'), 0);
    assert.equal(await call(conn, 'GET', 'd'), null);
  } finally {
    await conn.close();
    await c.kill('SIGKILL');
  }
});

test('keys whose time passed while the server was down are gone before the first command after a restart', async () => {
  const dir = tmpDir('rd-expired-at-start');
  let { c, conn } = await aofChild(dir);
  try {
    for (let i = 0; i < 200; i++) conn.send(['SET', `e${i}`, 'v', 'PX', '600']);
    for (let i = 0; i < 200; i++) await conn.readReply();
    assert.equal(await call(conn, 'SET', 'kept', 'v'), 'OK');
    await conn.close();
    await c.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 800));
    ({ c, conn } = await aofChild(dir));
    // Redis runs a fast expiry cycle before it serves anything: the first DBSIZE already sees one key.
    assert.equal(await call(conn, 'DBSIZE'), 1);
    assert.match((await call(conn, 'INFO', 'keyspace')) as string, /^db0:keys=1,expires=0,avg_ttl=0\r?$/m);
  } finally {
    await conn.close();
    await c.kill('SIGKILL');
  }
});
