// Saves that fail, compared with Redis 7.0.15: SHUTDOWN refuses to exit when its final save fails (the data would
// be lost), a failed SAVE does not stop writes but a failed BGSAVE does (PING included), CONFIG SET appendonly
// yes that cannot start the log fails and leaves appendonly no, CONFIG RESETSTAT clears the save counters, and the
// changes replayed from the log at start count as changes since the last save.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../src/index.js';
import { RawConnection } from '../support/resp.js';
import { startRedis } from '../support/servers.js';
import { spawnCairn, tmpDir } from './helpers.js';

const FIELDS = ['rdb_changes_since_last_save', 'rdb_bgsave_in_progress', 'rdb_last_bgsave_status', 'rdb_saves'];

async function info(conn: RawConnection, fields = FIELDS): Promise<string> {
  const text = (await conn.call(['INFO', 'persistence'])).toString('latin1');
  return fields.map((f) => `${f}=${new RegExp(`^${f}:(.*)\\r$`, 'm').exec(text)?.[1] ?? '?'}`).join(' ');
}

async function bgsaveDone(conn: RawConnection): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await info(conn, ['rdb_bgsave_in_progress'])) === 'rdb_bgsave_in_progress=0') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('BGSAVE did not end');
}

/** The scenario, on a server saving into `dir` with save points; returns what it saw. */
async function scenario(port: number, dir: string): Promise<string[]> {
  const conn = await RawConnection.connect(port);
  const out: string[] = [];
  const step = async (...argv: string[]): Promise<void> => {
    out.push(`${argv.join(' ')} -> ${(await conn.call(argv)).toString('latin1').slice(0, 60)}`);
  };
  await step('SET', 'k', 'v');
  fs.mkdirSync(path.join(dir, 'dump.rdb'));
  await step('SHUTDOWN');
  await step('GET', 'k');
  await step('SAVE');
  await step('SET', 'k2', 'v');
  out.push(await info(conn));
  await step('BGSAVE');
  await bgsaveDone(conn);
  await step('PING');
  await step('SET', 'k3', 'v');
  out.push(await info(conn));
  await step('CONFIG', 'RESETSTAT');
  out.push(await info(conn, ['rdb_saves']));
  fs.rmdirSync(path.join(dir, 'dump.rdb'));
  await step('BGSAVE');
  await bgsaveDone(conn);
  await step('PING');
  fs.writeFileSync(path.join(dir, 'appendonlydir'), '');
  await step('CONFIG', 'SET', 'appendonly', 'yes');
  await step('CONFIG', 'GET', 'appendonly');
  out.push(await info(conn, ['aof_enabled', 'aof_last_bgrewrite_status']));
  await conn.close();
  return out;
}

test('failing saves: SHUTDOWN stays up, SAVE does not stop writes, BGSAVE does (PING too), as in Redis', async () => {
  const redis = await startRedis(['--save', '3600 1']);
  const dir = tmpDir('save-err');
  const cairn = await startServer({ port: 0, dir, save: '3600 1' });
  try {
    const expected = await scenario(redis.port, redis.dir);
    const actual = await scenario(cairn.port, dir);
    assert.deepEqual(actual, expected);
    assert.match(expected[1]!, /Errors trying to SHUTDOWN/);
  } finally {
    fs.rmSync(path.join(redis.dir, 'appendonlydir'), { force: true });
    await cairn.close();
    await redis.stop();
  }
});

test('SIGTERM with a final save that fails leaves the server running with its data', async () => {
  const dir = tmpDir('save-term');
  const child = await spawnCairn(['--dir', dir, '--save', '3600 1']);
  try {
    const conn = await RawConnection.connect(child.port);
    assert.equal((await conn.call(['SET', 'k', 'v'])).toString('latin1'), '+OK\r\n');
    fs.mkdirSync(path.join(dir, 'dump.rdb'));
    child.proc.kill('SIGTERM');
    for (let i = 0; i < 40 && !/Errors trying to shut down/.test(child.output()); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.match(child.output(), /Error trying to save the DB, can't exit/);
    assert.equal((await conn.call(['GET', 'k'])).toString('latin1'), '$1\r\nv\r\n');
    conn.send(['SHUTDOWN', 'NOSAVE']);
    assert.equal(await child.exited, 0);
  } finally {
    await child.kill();
  }
});

test('changes replayed from the log at start count as changes since the last save, as in Redis', async () => {
  const readings: string[] = [];
  const script = [
    ['SET', 'a', '1'],
    ['SET', 'b', '2'],
    ['INCR', 'c'],
    ['DEL', 'a', 'nope'],
  ];
  {
    const dir = tmpDir('dirty-redis');
    for (let run = 0; run < 2; run++) {
      const redis = await startRedis(['--dir', dir, '--appendonly', 'yes']);
      const conn = await RawConnection.connect(redis.port);
      if (run === 0) for (const s of script) await conn.call(s);
      else readings.push(await info(conn, ['rdb_changes_since_last_save']));
      await conn.close();
      await redis.stop();
    }
  }
  const dir = tmpDir('dirty-cairn');
  for (let run = 0; run < 2; run++) {
    const cairn = await startServer({ port: 0, dir, appendonly: 'yes' });
    const conn = await RawConnection.connect(cairn.port);
    if (run === 0) for (const s of script) await conn.call(s);
    else readings.push(await info(conn, ['rdb_changes_since_last_save']));
    await conn.close();
    await cairn.close();
  }
  assert.equal(readings[1], readings[0]);
  assert.notEqual(readings[0], 'rdb_changes_since_last_save=0');
});

test('after a restart aof_base_size is the base file alone, as Redis takes it, so growth counts from there', async () => {
  const dir = tmpDir('aof-base');
  const first = await startServer({ port: 0, dir, appendonly: 'yes' });
  let conn = await RawConnection.connect(first.port);
  for (let i = 0; i < 50; i++) await conn.call(['SET', `k${i}`, 'v'.repeat(100)]);
  await conn.call(['BGREWRITEAOF']);
  for (let i = 0; i < 100 && (await info(conn, ['aof_rewrite_in_progress'])) !== 'aof_rewrite_in_progress=0'; i++)
    await new Promise((r) => setTimeout(r, 25));
  for (let i = 0; i < 50; i++) await conn.call(['SET', `n${i}`, 'w'.repeat(100)]);
  await conn.close();
  await first.close();
  const again = await startServer({ port: 0, dir, appendonly: 'yes' });
  conn = await RawConnection.connect(again.port);
  try {
    const ad = path.join(dir, 'appendonlydir');
    const files = fs.readdirSync(ad);
    const size = (suffix: string): number =>
      files.filter((f) => f.endsWith(suffix)).reduce((n, f) => n + fs.statSync(path.join(ad, f)).size, 0);
    const base = size('.base.snap');
    assert.ok(base > 0 && size('.incr.aof') > 0);
    assert.equal(
      await info(conn, ['aof_base_size', 'aof_current_size']),
      `aof_base_size=${base} aof_current_size=${base + size('.incr.aof')}`,
    );
  } finally {
    await conn.close();
    await again.close();
  }
});
