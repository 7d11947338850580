// SIGTERM and SIGINT shut down as SHUTDOWN does, with the modifiers shutdown-on-sigterm / shutdown-on-sigint give
// (Redis 7.0): `save` saves even without save points, `nosave` does not save even with them, `default` saves only
// when save points are set. Each case runs on redis-server 7.0.15 and on Cairn (as a process of its own), and
// whether the snapshot file was written must be the same.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startRedis } from '../support/servers.js';
import { spawnCairnProcess } from '../support/cairn-process.js';
import { RawConnection } from '../support/resp.js';

interface Case {
  save: string;
  directive: 'shutdown-on-sigterm' | 'shutdown-on-sigint';
  value: string;
  signal: 'SIGTERM' | 'SIGINT';
  /** Whether Redis writes the snapshot (checked, so that two servers that never save cannot pass). */
  saved: boolean;
}

/** Sets the directive with CONFIG SET, writes a key, sends the signal; returns whether dump.rdb was written. */
async function snapshotAfterSignal(port: number, pid: number, dir: string, c: Case): Promise<boolean> {
  const conn = await RawConnection.connect(port);
  try {
    assert.equal((await conn.call(['CONFIG', 'SET', c.directive, c.value])).toString(), '+OK\r\n');
    assert.equal((await conn.call(['SET', 'k', 'v'])).toString(), '+OK\r\n');
  } finally {
    await conn.close();
  }
  process.kill(pid, c.signal);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      break; // exited
    }
    if (Date.now() > deadline) throw new Error(`pid ${pid} did not exit after ${c.signal}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return fs.existsSync(path.join(dir, 'dump.rdb'));
}

const CASES: Case[] = [
  { save: '', directive: 'shutdown-on-sigterm', value: 'default', signal: 'SIGTERM', saved: false },
  { save: '', directive: 'shutdown-on-sigterm', value: 'save', signal: 'SIGTERM', saved: true },
  { save: '3600 1', directive: 'shutdown-on-sigterm', value: 'default', signal: 'SIGTERM', saved: true },
  { save: '3600 1', directive: 'shutdown-on-sigterm', value: 'nosave now', signal: 'SIGTERM', saved: false },
  { save: '', directive: 'shutdown-on-sigint', value: 'save force', signal: 'SIGINT', saved: true },
  { save: '3600 1', directive: 'shutdown-on-sigint', value: 'nosave', signal: 'SIGINT', saved: false },
  // The other signal's setting does not apply.
  { save: '', directive: 'shutdown-on-sigint', value: 'save', signal: 'SIGTERM', saved: false },
];

describe('shutdown-on-sigterm and shutdown-on-sigint', () => {
  for (const c of CASES) {
    it(`save "${c.save}", ${c.directive} ${c.value}, ${c.signal}: the snapshot is written as by Redis`, async () => {
      const redis = await startRedis(['--save', c.save]);
      let redisSaved: boolean;
      try {
        redisSaved = await snapshotAfterSignal(redis.port, redis.pid, redis.dir, c);
      } finally {
        await redis.stop();
      }
      const cairn = await spawnCairnProcess(['--save', c.save]);
      let cairnSaved: boolean;
      try {
        cairnSaved = await snapshotAfterSignal(cairn.port, cairn.pid, cairn.dir, c);
      } finally {
        await cairn.stop();
      }
      assert.equal(redisSaved, c.saved);
      assert.equal(cairnSaved, redisSaved);
    });
  }
});
