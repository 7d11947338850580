// CONFIG SET appendonly yes at runtime: the first rewrite gives the log its base. Turning the log on again later
// must not lose that base, SHUTDOWN must not drop the data while the first rewrite runs, and a background save
// under way is finished first (the rewrite is scheduled after it), as in Redis.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawConnection } from '../support/resp.js';
import { call, spawnCairn, tmpDir, type Child } from './helpers.js';

const DEBUG_ON = ['--enable-debug-command', 'yes'];

async function start(dir: string, appendonly: 'yes' | 'no'): Promise<{ c: Child; conn: RawConnection }> {
  const c = await spawnCairn(['--dir', dir, '--save', '', '--appendonly', appendonly, ...DEBUG_ON]);
  return { c, conn: await RawConnection.connect(c.port) };
}

async function waitFor(conn: RawConnection, field: string, value: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = (await call(conn, 'INFO', 'persistence')) as string;
    if (new RegExp(`^${field}:${value}\\r?$`, 'm').test(info)) return;
    if (Date.now() > deadline) throw new Error(`${field} never became ${value}:\n${info}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('turning the log off and on again keeps the new base: the data comes back after a restart', async () => {
  const dir = tmpDir('turn-on-twice');
  let { c, conn } = await start(dir, 'yes');
  try {
    assert.equal(await call(conn, 'SET', 'a', '1'), 'OK');
    assert.equal(await call(conn, 'CONFIG', 'SET', 'appendonly', 'no'), 'OK');
    assert.equal(await call(conn, 'SET', 'b', '1'), 'OK');
    assert.equal(await call(conn, 'CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
    await waitFor(conn, 'aof_rewrite_in_progress', '0');
    assert.equal(await call(conn, 'SET', 'c', '1'), 'OK');
    await conn.close();
    await c.kill('SIGKILL');
    ({ c, conn } = await start(dir, 'yes'));
    assert.equal(await call(conn, 'DBSIZE'), 3);
    // And once more, from a server started without the log.
    assert.equal(await call(conn, 'CONFIG', 'SET', 'appendonly', 'no'), 'OK');
    assert.equal(await call(conn, 'CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
    await waitFor(conn, 'aof_rewrite_in_progress', '0');
    assert.equal(await call(conn, 'SET', 'd', '1'), 'OK');
    await conn.close();
    await c.kill('SIGKILL');
    ({ c, conn } = await start(dir, 'yes'));
    assert.equal(await call(conn, 'DBSIZE'), 4);
  } finally {
    await conn.close();
    await c.kill('SIGKILL');
  }
});

test('SHUTDOWN while the first rewrite runs is refused (NOSAVE too); FORCE exits', async () => {
  const dir = tmpDir('turn-on-shutdown');
  const { c, conn } = await start(dir, 'no');
  try {
    assert.equal(await call(conn, 'DEBUG', 'POPULATE', '300000', 'k', '100'), 'OK');
    assert.equal(await call(conn, 'CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
    const refused = (await conn.call(['SHUTDOWN'])).toString('latin1');
    const refusedNosave = (await conn.call(['SHUTDOWN', 'NOSAVE'])).toString('latin1');
    const info = (await call(conn, 'INFO', 'persistence')) as string;
    // The refusals only hold while the rewrite runs: a machine fast enough to finish it first proves nothing.
    if (/^aof_rewrite_in_progress:1/m.test(info)) {
      assert.match(info, /^aof_rewrites:1\r?$/m, 'a rewrite is counted when it starts, as Redis counts it');
      assert.equal(refused, '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
      assert.equal(refusedNosave, '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
      assert.match(c.output(), /Writing initial AOF, can't exit\./);
      conn.send(['SHUTDOWN', 'NOSAVE', 'FORCE']);
      assert.equal(await c.exited, 0);
      assert.match(c.output(), /Writing initial AOF\. Exit anyway\./);
    } else {
      assert.fail(`the rewrite of 300,000 keys was over before SHUTDOWN (${refused.trim()})`);
    }
  } finally {
    await conn.close();
    await c.kill('SIGKILL');
  }
});

test('CONFIG SET appendonly yes during BGSAVE lets the save finish, then starts the log', async () => {
  const dir = tmpDir('turn-on-bgsave');
  let { c, conn } = await start(dir, 'no');
  try {
    assert.equal(await call(conn, 'DEBUG', 'POPULATE', '200000', 'k', '100'), 'OK');
    const lastsave = await call(conn, 'LASTSAVE');
    assert.equal(await call(conn, 'BGSAVE'), 'Background saving started');
    assert.equal(await call(conn, 'CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
    const during = (await call(conn, 'INFO', 'persistence')) as string;
    assert.match(during, /^aof_rewrite_scheduled:1\r?$/m);
    assert.match(during, /^rdb_bgsave_in_progress:1\r?$/m);
    // A write while the save runs is in the base the scheduled rewrite makes.
    assert.equal(await call(conn, 'SET', 'during', 'x'), 'OK');
    await waitFor(conn, 'rdb_bgsave_in_progress', '0');
    await waitFor(conn, 'aof_rewrite_scheduled', '0');
    await waitFor(conn, 'aof_rewrite_in_progress', '0');
    // The save ended: LASTSAVE moved on, unless it ended within the second the server started in; either way, the
    // changes counted since it are the one write made while it ran.
    const saved = (await call(conn, 'INFO', 'persistence')) as string;
    assert.ok(Number(await call(conn, 'LASTSAVE')) >= Number(lastsave));
    assert.match(saved, /^rdb_last_bgsave_status:ok\r?$/m);
    assert.match(saved, /^rdb_changes_since_last_save:1\r?$/m);
    assert.equal(await call(conn, 'SET', 'after', 'y'), 'OK');
    await conn.close();
    await c.kill('SIGKILL');
    ({ c, conn } = await start(dir, 'yes'));
    assert.equal(await call(conn, 'DBSIZE'), 200_002);
  } finally {
    await conn.close();
    await c.kill('SIGKILL');
  }
});

test('inside MULTI: BGREWRITEAOF and appendonly yes are scheduled after EXEC; total_forks counts the cuts', async () => {
  const dir = tmpDir('turn-on-multi');
  const { c, conn } = await start(dir, 'no');
  const forks = async (): Promise<number> =>
    Number(/^total_forks:(\d+)\r?$/m.exec((await call(conn, 'INFO', 'stats')) as string)![1]);
  try {
    assert.equal(await forks(), 0);
    assert.equal(await call(conn, 'BGSAVE'), 'Background saving started');
    await waitFor(conn, 'rdb_bgsave_in_progress', '0');
    assert.equal(await forks(), 1);
    assert.match((await call(conn, 'INFO', 'stats')) as string, /^latest_fork_usec:\d+\r?$/m);
    // As Redis's multi.tcl checks them.
    assert.equal(await call(conn, 'MULTI'), 'OK');
    assert.equal(await call(conn, 'SET', 'foo', 'bar'), 'QUEUED');
    assert.equal(await call(conn, 'BGREWRITEAOF'), 'QUEUED');
    assert.deepEqual(await call(conn, 'EXEC'), ['OK', 'Background append only file rewriting scheduled']);
    await waitFor(conn, 'aof_rewrite_scheduled', '0');
    await waitFor(conn, 'aof_rewrite_in_progress', '0');
    assert.equal(await forks(), 2);
    assert.equal(await call(conn, 'MULTI'), 'OK');
    assert.equal(await call(conn, 'INCR', 'n'), 'QUEUED');
    assert.equal(await call(conn, 'CONFIG', 'SET', 'appendonly', 'yes'), 'QUEUED');
    assert.equal(await call(conn, 'INCR', 'n'), 'QUEUED');
    assert.deepEqual(await call(conn, 'EXEC'), [1, 'OK', 2]);
    // The child's log reaches this process through a pipe: wait for it.
    const line = /AOF was enabled during a transaction\. An AOF background was scheduled to start when possible\./;
    for (let i = 0; i < 250 && !line.test(c.output()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(c.output(), line);
    await waitFor(conn, 'aof_rewrite_scheduled', '0');
    await waitFor(conn, 'aof_rewrite_in_progress', '0');
    await waitFor(conn, 'aof_enabled', '1');
    assert.equal(await forks(), 3);
    assert.equal(await call(conn, 'INCR', 'n'), 3);
    assert.equal(await call(conn, 'CONFIG', 'RESETSTAT'), 'OK');
    assert.equal(await forks(), 0);
    await conn.close();
    await c.kill('SIGKILL');
    const again = await start(dir, 'yes');
    assert.equal(await call(again.conn, 'GET', 'n'), '3');
    assert.equal(await call(again.conn, 'GET', 'foo'), 'bar');
    await again.conn.close();
    await again.c.kill('SIGKILL');
  } finally {
    await conn.close();
    await c.kill('SIGKILL');
  }
});
