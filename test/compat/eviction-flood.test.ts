// A write flood against a memory-limited Cairn process: Node started with --max-old-space-size=256 and Cairn with
// maxmemory 128mb and allkeys-lru takes about 1 GB of writes; it must stay up (no V8 out-of-memory crash), keep
// used_memory within 5% of maxmemory all along, and keep serving reads of what it kept.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawConnection } from '../support/resp.js';
import { spawnCairn, pipeline } from '../support/memory-limited.js';

const MAXMEMORY = 128 * 1024 * 1024;

test('1 GB written through a 128 MB limit with a 256 MB heap: no crash, used_memory bounded', async () => {
  const p = await spawnCairn(
    ['--max-old-space-size=256'],
    ['--maxmemory', '128mb', '--maxmemory-policy', 'allkeys-lru'],
  );
  const c = await RawConnection.connect(p.port);
  try {
    const value = 'x'.repeat(20_000);
    let maxUsed = 0;
    let samples = 0;
    let windows = 0;
    const t0 = Date.now();
    const r = await pipeline(
      p.port,
      (function* () {
        for (let i = 0; i < 50_000; i++) yield ['SET', `key:${i}`, value];
      })(),
      64,
      async () => {
        if (++windows % 4 !== 0) return;
        const text = (await c.call(['INFO', 'memory'])).toString('latin1');
        maxUsed = Math.max(maxUsed, Number(/\r\nused_memory:(\d+)\r\n/.exec(text)![1]));
        samples++;
      },
    );
    const secs = (Date.now() - t0) / 1000;
    assert.equal(p.exited(), undefined, `cairn exited: ${p.log()}`);
    assert.deepEqual(r.errors, []);
    assert.equal(r.replies, 50_000);
    const info = (await c.call(['INFO'])).toString('latin1');
    const field = (f: string): number => Number(new RegExp(`\r\n${f}:(\\d+)\r\n`).exec(info)![1]);
    const evicted = field('evicted_keys');
    const keys = Number(/\r\ndb0:keys=(\d+)/.exec(info)![1]);
    assert.equal(keys + evicted, 50_000);
    assert.ok(keys > 3000, `only ${keys} keys kept`);
    assert.ok(maxUsed <= MAXMEMORY * 1.05, `used_memory peaked at ${maxUsed} (${samples} samples)`);
    // The real heap: a maxmemory set afresh measures it after a full collection (100gb: nothing is evicted).
    assert.equal((await c.call(['CONFIG', 'SET', 'maxmemory', '0'])).toString(), '+OK\r\n');
    assert.equal((await c.call(['CONFIG', 'SET', 'maxmemory', '100gb'])).toString(), '+OK\r\n');
    const live = Number(/\r\nused_memory:(\d+)\r\n/.exec((await c.call(['INFO', 'memory'])).toString('latin1'))![1]);
    assert.ok(live <= MAXMEMORY * 1.05, `live heap ${live}`);
    // The newest keys are the ones kept.
    assert.equal((await c.call(['STRLEN', 'key:49999'])).toString(), ':20000\r\n');
    console.log(
      `flood: ${secs.toFixed(1)} s, ${keys} keys kept, ${evicted} evicted, used_memory peak ${maxUsed} ` +
        `(${((maxUsed / MAXMEMORY) * 100).toFixed(1)}% of maxmemory), live heap after a full collection ${live} ` +
        `(${((live / MAXMEMORY) * 100).toFixed(1)}%), rss ${field('used_memory_rss')}`,
    );
  } finally {
    await c.close();
    await p.stop();
  }
});

test('without a maxmemory, a 64 MB heap refuses writes with OOM instead of dying', async () => {
  const p = await spawnCairn(['--max-old-space-size=64'], []);
  const c = await RawConnection.connect(p.port);
  try {
    // Values below BIG_STRING_MIN: bigger ones are kept outside V8's heap (src/types/big-string.ts).
    const value = 'y'.repeat(3_000);
    const r = await pipeline(
      p.port,
      (function* () {
        for (let i = 0; i < 40_000; i++) yield ['SET', `key:${i}`, value];
      })(),
      64,
    );
    assert.equal(p.exited(), undefined, `cairn exited: ${p.log()}`);
    assert.ok(r.errors.length > 0, 'no write was refused');
    assert.ok(
      r.errors.every((e) => e === "-OOM command not allowed when used memory > 'maxmemory'."),
      r.errors[0],
    );
    // Reads and deletes go on; a FLUSHALL makes room again.
    assert.equal((await c.call(['STRLEN', 'key:0'])).toString(), ':3000\r\n');
    assert.equal((await c.call(['DEL', 'key:0'])).toString(), ':1\r\n');
    assert.equal((await c.call(['FLUSHALL'])).toString(), '+OK\r\n');
    assert.equal((await c.call(['SET', 'a', 'b'])).toString(), '+OK\r\n');
  } finally {
    await c.close();
    await p.stop();
  }
});
