// Effects replay: random command sequences run against a server with the AOF on; the dataset rebuilt from the
// log (and from log + rewrite base, and from a snapshot) equals the dataset that produced it.
// Per-database persistence: `none` databases never reach the disk; each database's policy applies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer } from '../../src/index.js';
import { RawConnection } from '../support/resp.js';
import { call, dumpServer, tmpDir } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = fc.constantFrom('a', 'b', 'c', 'd', 'k\x00\xff', 'long:key');
const db = fc.constantFrom('0', '1', '2');
const value = fc.oneof(
  fc.constantFrom('', '1', '-7', 'x'),
  fc.string({ maxLength: 12 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
);
const ttl = fc.integer({ min: 200_000, max: 900_000 }).map(String);
const command = fc.oneof(
  { arbitrary: fc.tuple(key, value).map(([k, v]) => ['SET', k, v]), weight: 6 },
  { arbitrary: fc.tuple(key).map(([k]) => ['DEL', k]), weight: 2 },
  { arbitrary: fc.tuple(key, ttl).map(([k, t]) => ['PEXPIRE', k, t]), weight: 2 },
  { arbitrary: fc.tuple(key, ttl).map(([k, t]) => ['EXPIRE', k, String(Math.floor(Number(t) / 1000))]), weight: 1 },
  { arbitrary: fc.tuple(key).map(([k]) => ['PERSIST', k]), weight: 1 },
  { arbitrary: fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]), weight: 1 },
  { arbitrary: fc.tuple(key, db).map(([k, d]) => ['MOVE', k, d]), weight: 1 },
  { arbitrary: fc.tuple(key, key).map(([a, b]) => ['COPY', a, b, 'REPLACE']), weight: 1 },
  { arbitrary: fc.tuple(db, db).map(([a, b]) => ['SWAPDB', a, b]), weight: 1 },
  { arbitrary: db.map((d) => ['SELECT', d]), weight: 2 },
  { arbitrary: fc.constant(['FLUSHDB']), weight: 1 },
  // String commands whose effects must be rewritten to replay deterministically.
  { arbitrary: fc.tuple(key, value, ttl).map(([k, v, t]) => ['SET', k, v, 'PX', t]), weight: 2 },
  { arbitrary: fc.tuple(key, value).map(([k, v]) => ['SET', k, v, 'KEEPTTL']), weight: 1 },
  { arbitrary: fc.tuple(key, ttl).map(([k, t]) => ['SETEX', k, String(Math.floor(Number(t) / 1000)), 'v']), weight: 1 },
  { arbitrary: key.map((k) => ['INCR', k]), weight: 1 },
  {
    arbitrary: fc.tuple(key, fc.constantFrom('0.1', '1.5e3', '-2.25')).map(([k, f]) => ['INCRBYFLOAT', k, f]),
    weight: 1,
  },
  { arbitrary: fc.tuple(key, value).map(([k, v]) => ['APPEND', k, v]), weight: 1 },
  { arbitrary: fc.tuple(key, fc.nat(20), value).map(([k, o, v]) => ['SETRANGE', k, String(o), v]), weight: 1 },
  { arbitrary: key.map((k) => ['GETDEL', k]), weight: 1 },
  { arbitrary: fc.tuple(key, ttl).map(([k, t]) => ['GETEX', k, 'PX', t]), weight: 1 },
);

test('random command sequences: the log (and log + rewrite, and a snapshot) rebuilds the same dataset', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 120 }), fc.nat(120), async (cmds, rewriteAt) => {
      const dir = tmpDir('replay');
      const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always' });
      const c = await RawConnection.connect(s.port);
      for (let i = 0; i < cmds.length; i++) {
        await c.call(cmds[i]!);
        if (i === rewriteAt) await call(c, 'BGREWRITEAOF');
      }
      while (s.server.persistence.jobKind !== null) await sleep(5);
      assert.equal(await call(c, 'SAVE'), 'OK');
      await c.close();
      const expected = dumpServer(s.server);
      await s.close();
      const fromLog = await startServer({ port: 0, dir, appendonly: true });
      assert.deepEqual(dumpServer(fromLog.server), expected, 'from the AOF');
      await fromLog.close();
      const fromSnapshot = await startServer({ port: 0, dir, appendonly: false });
      assert.deepEqual(dumpServer(fromSnapshot.server), expected, 'from the snapshot');
      await fromSnapshot.close();
    }),
    { numRuns: 30 },
  );
});

test('db-persistence: none keeps a database in memory only; always/everysec per database; shown in INFO', async () => {
  const dir = tmpDir('perdb');
  const s = await startServer({
    port: 0,
    dir,
    appendonly: true,
    appendfsync: 'everysec',
    'db-persistence': '0 always 1 none',
  });
  const info = s.server.persistence.info();
  assert.equal(info['db_persistence'], 'db0=always,db1=none');
  assert.equal(s.server.persistence.policy(2), 'everysec');
  const c = await RawConnection.connect(s.port);
  for (const d of ['0', '1', '2']) {
    await call(c, 'SELECT', d);
    for (let i = 0; i < 20; i++) await call(c, 'SET', `db${d}:${i}`, 'v');
  }
  // A database's writes with policy always wait for their fsync; the `none` database never writes the log.
  const counters = s.server.persistence.aofCounters!;
  assert.ok(counters.fsyncs >= 1);
  assert.equal(await call(c, 'SAVE'), 'OK');
  await c.close();
  const expected = dumpServer(s.server).filter((x) => !x.startsWith('[1,'));
  await s.close();
  const s2 = await startServer({ port: 0, dir, appendonly: true, 'db-persistence': '1 none' });
  assert.deepEqual(dumpServer(s2.server), expected, 'from the log');
  assert.equal(s2.server.keyspace.dbs[1]!.size, 0);
  await s2.close();
  const s3 = await startServer({ port: 0, dir });
  assert.deepEqual(dumpServer(s3.server), expected, 'from the snapshot');
  await s3.close();
});

test('db-persistence: config file syntax accumulates, CONFIG SET replaces, bad values are refused', async () => {
  const { Config } = await import('../../src/config.js');
  const cfg = new Config();
  cfg.loadText('db-persistence 0 always\ndb-persistence 1 none\nsave 900 1\nsave 300 10\n');
  assert.deepEqual(cfg.values['db-persistence'], ['0', 'always', '1', 'none']);
  assert.deepEqual(cfg.values.save, ['900', '1', '300', '10']);
  assert.deepEqual(cfg.get(['db-persistence']), [['db-persistence', '0 always 1 none']]);
  assert.equal(cfg.set([['db-persistence', '3 everysec']], true), undefined);
  assert.deepEqual(cfg.values['db-persistence'], ['3', 'everysec']);
  assert.match(cfg.set([['db-persistence', '3 sometimes']], true)!, /Invalid db-persistence parameters/);
  assert.match(cfg.set([['save', '1 2 3']], true)!, /Invalid save parameters/);
  assert.equal(cfg.set([['save', '']], true), undefined);
  assert.deepEqual(cfg.values.save, []);
  // At runtime the server picks up the new policy.
  const dir = tmpDir('perdb2');
  const s = await startServer({ port: 0, dir, appendonly: true });
  assert.equal(s.server.config.set([['db-persistence', '5 none']], true), undefined);
  assert.equal(s.server.persistence.policy(5), 'none');
  const c = await RawConnection.connect(s.port);
  await call(c, 'SELECT', '5');
  await call(c, 'SET', 'cache', 'x');
  await call(c, 'SELECT', '0');
  await call(c, 'SET', 'durable', 'x');
  await c.close();
  await s.close();
  const s2 = await startServer({ port: 0, dir, appendonly: true });
  assert.equal(s2.server.keyspace.dbs[5]!.size, 0);
  assert.equal(s2.server.keyspace.dbs[0]!.size, 1);
  await s2.close();
});
