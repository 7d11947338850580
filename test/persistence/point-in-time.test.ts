// A snapshot taken while the keyspace keeps changing is the dataset as it was at the cut: every kind of write
// (set, overwrite, delete, TTL changes, rename, flush, swapdb) between the walk's steps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Keyspace } from '../../src/keyspace/db.js';
import { SnapshotEncoder, SnapshotJob, loadSnapshot, type SnapshotLoadResult } from '../../src/persistence/snapshot.js';

function dump(ks: Keyspace, include = (_db: number) => true): string[] {
  const out: string[] = [];
  for (const db of ks.dbs) {
    if (!include(db.id)) continue;
    for (const [k, e] of db.dict) out.push(JSON.stringify([db.id, k, db.vals[e], db.expires.get(k) ?? null]));
  }
  return out.sort();
}

function mutate(ks: Keyspace, rnd: () => number, n: number): void {
  const future = Date.now() + 1_000_000;
  for (let i = 0; i < n; i++) {
    const db = ks.dbs[Math.floor(rnd() * 4)]!;
    const key = `k${Math.floor(rnd() * 3000)}`;
    const op = rnd();
    if (op < 0.3) db.set(key, `new-${i}-${rnd()}`, rnd() < 0.5);
    else if (op < 0.45) db.delete(key);
    else if (op < 0.55) {
      if (db.dict.has(key)) db.setExpire(key, future + i);
    } else if (op < 0.6) db.persist(key);
    else if (op < 0.7) {
      const e = db.lookup(key);
      if (e !== undefined) db.update(key, e, db.vals[e] + '+');
    } else if (op < 0.8) {
      // RENAME-like move to another database and name, as generic commands do it.
      const e = db.remove(key);
      if (e !== undefined) {
        const to = ks.dbs[Math.floor(rnd() * 4)]!;
        const nk = `k${Math.floor(rnd() * 3000)}`;
        to.remove(nk);
        to.insertEntry(nk, e.v, e.lru);
      }
    } else if (op < 0.8005) db.clear();
    else if (op < 0.801) ks.swap(Math.floor(rnd() * 4), Math.floor(rnd() * 4));
    else db.set(`fresh-${i}-${Math.floor(rnd() * 1e9)}`, 'x');
  }
}

test('snapshot under concurrent writes equals the dataset at the cut (random interleavings)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 50 }), (seed, stepKeys) => {
      let s = seed;
      const rnd = () => {
        s = (s * 1103515245 + 12345) & 0x7fffffff;
        return s / 0x80000000;
      };
      const ks = new Keyspace(4);
      for (let i = 0; i < 2000; i++) {
        const db = ks.dbs[i % 4]!;
        db.set(`k${i}`, `v${i}`);
        if (i % 5 === 0) db.setExpire(`k${i}`, Date.now() + 500_000 + i);
      }
      const include = (db: number) => db !== 2;
      const atCut = dump(ks, include);
      const parts: Buffer[] = [];
      const enc = new SnapshotEncoder((b) => parts.push(Buffer.from(b)), 4, 'test');
      const job = new SnapshotJob(ks, enc, include);
      // Tiny budgets so that writes land between steps; mutations happen before every step.
      let guard = 0;
      do {
        mutate(ks, rnd, stepKeys);
        if (++guard > 100000) throw new Error('snapshot never finished');
      } while (!job.step(0));
      mutate(ks, rnd, 50);
      const back = new Keyspace(4);
      const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
      for (const _ of loadSnapshot(Buffer.concat(parts), back, 't', res));
      assert.deepEqual(dump(back), atCut);
      assert.equal(res.loaded, atCut.length, 'each key is written once');
      assert.equal(ks.watchingWrites, false, 'the before-write hook is removed when the job ends');
    }),
    { numRuns: 25 },
  );
});

test('snapshot: keys moved below the walk by compaction, then written, are saved as they were at the cut', () => {
  const ks = new Keyspace(1);
  const db = ks.dbs[0]!;
  for (let i = 0; i < 4000; i++) db.set(`k${i}`, `v${i}`);
  const atCut = dump(ks);
  const parts: Buffer[] = [];
  const enc = new SnapshotEncoder((b) => parts.push(Buffer.from(b)), 1, 'test');
  const job = new SnapshotJob(ks, enc, () => true);
  // Walk a little (64 keys per step with no time budget), then free most slots below the walk's position and
  // compact: keys from the end move into the holes, below the position, before the walk has reached them.
  for (let i = 0; i < 10; i++) job.step(0);
  for (let i = 0; i < 640; i++) if (i % 20 !== 0) db.delete(`k${i}`);
  for (let i = 640; i < 4000; i += 2) db.delete(`k${i}`);
  assert.ok(db.maybeCompact(), 'compaction ran');
  // Overwrite every key still present: moved ones were not walked yet and must be saved with their value at the cut.
  for (let i = 0; i < 4000; i++) {
    const s = db.lookup(`k${i}`);
    if (s !== undefined) db.update(`k${i}`, s, `changed${i}`);
  }
  while (!job.step(0));
  const back = new Keyspace(1);
  const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
  for (const _ of loadSnapshot(Buffer.concat(parts), back, 't', res));
  assert.deepEqual(dump(back), atCut);
  assert.equal(res.loaded, atCut.length, 'each key is written once');
});
