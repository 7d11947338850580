// Unit tests for the database's slot arrays (src/keyspace/db.ts): slot numbers stay put while their key lives,
// freed slots are reused, random sampling stays uniform over live keys (with and without compaction),
// compaction keeps every key's value and access word, and a snapshot cut survives FLUSHDB, SWAPDB and compaction.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Keyspace, LRU_CLOCK_MASK, RAW_STRING_FLAG, type Database } from '../../src/keyspace/db.js';
import { SnapshotEncoder, SnapshotJob, loadSnapshot, type SnapshotLoadResult } from '../../src/persistence/snapshot.js';

/** Checks the slot arrays against the dict: every key's slot holds it, free slots are empty, counts agree. */
function checkInvariants(db: Database): void {
  let used = 0;
  for (let s = 0; s < db.slotCount; s++) if (db.keys[s] !== undefined) used++;
  assert.equal(used, db.size, 'used slots = keys');
  assert.equal(db.keys.length, db.vals.length);
  for (const [k, s] of db.dict) {
    assert.equal(db.keyAt(s), k);
    assert.notEqual(db.vals[s], undefined);
  }
  const free = new Set(db.free);
  assert.equal(free.size, db.free.length, 'no slot freed twice');
  for (const s of db.free) {
    assert.ok(s < db.slotCount, 'free slots lie below slotCount');
    assert.equal(db.keys[s], undefined);
    assert.equal(db.vals[s], undefined, 'a freed slot does not pin its value');
  }
  assert.equal(db.size + db.free.length, db.slotCount, 'every slot is used or free');
}

/** Chi-square statistic of `counts` against a uniform expectation. */
function chiSquare(counts: Map<string, number>, keys: number, draws: number): number {
  const expected = draws / keys;
  let x = 0;
  for (const n of counts.values()) x += (n - expected) ** 2 / expected;
  x += (keys - counts.size) * expected; // keys never drawn
  return x;
}

function sampleCounts(db: Database, draws: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const k = db.sampleKey()!;
    assert.ok(db.dict.has(k), 'only live keys are sampled');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

describe('slots', () => {
  test('a key keeps its slot while other keys are deleted and added', () => {
    const db = new Keyspace(1).dbs[0]!;
    for (let i = 0; i < 1000; i++) db.set(`k${i}`, `v${i}`);
    const slotOf = new Map([...db.dict]);
    for (let i = 0; i < 1000; i += 2) db.delete(`k${i}`);
    for (let i = 0; i < 300; i++) db.set(`n${i}`, `w${i}`);
    for (let i = 1; i < 1000; i += 2) {
      const s = db.lookup(`k${i}`)!;
      assert.equal(s, slotOf.get(`k${i}`));
      assert.equal(db.value(s), `v${i}`);
      assert.equal(db.keyAt(s), `k${i}`);
    }
    // Overwrites and in-place updates keep the slot too.
    const s = db.lookup('k1')!;
    db.set('k1', 'other');
    assert.equal(db.lookup('k1'), s);
    db.update('k1', s, 'third');
    assert.equal(db.lookup('k1'), s);
    assert.equal(db.value(s), 'third');
    checkInvariants(db);
  });

  test('freed slots are reused before the arrays grow; deleting the last slot shrinks them', () => {
    const db = new Keyspace(1).dbs[0]!;
    for (let i = 0; i < 100; i++) db.set(`k${i}`, `v${i}`);
    const freed = new Set<number>();
    for (let i = 10; i < 20; i++) {
      freed.add(db.lookup(`k${i}`)!);
      db.delete(`k${i}`);
    }
    assert.equal(db.slotCount, 100);
    for (let i = 0; i < 10; i++) {
      db.set(`n${i}`, 'x');
      assert.ok(freed.has(db.lookup(`n${i}`)!), 'a new key takes a freed slot');
    }
    assert.equal(db.slotCount, 100, 'no growth while free slots remain');
    db.set('grow', 'x');
    assert.equal(db.lookup('grow'), 100);
    db.delete('grow');
    assert.equal(db.slotCount, 100, 'the last slot is dropped, not queued');
    checkInvariants(db);
    // RENAME-style transfer: remove + insertEntry reuses the slot and keeps the access word.
    db.markEncoding('k0', RAW_STRING_FLAG);
    const word = db.lruAt(db.lookup('k0')!);
    const d = db.remove('k0')!;
    db.insertEntry('renamed', d.v, d.lru);
    assert.equal(db.value(db.lookup('renamed')!), 'v0');
    assert.equal(db.lruAt(db.lookup('renamed')!), word);
    checkInvariants(db);
  });

  test('a cleared database starts with fresh arrays', () => {
    const db = new Keyspace(1).dbs[0]!;
    for (let i = 0; i < 50; i++) db.set(`k${i}`, `v${i}`);
    const { dict, keys, vals } = db;
    db.clear();
    assert.notEqual(db.dict, dict);
    assert.notEqual(db.keys, keys);
    assert.notEqual(db.vals, vals);
    assert.equal(vals.length, 50, 'the old arrays are left as they were');
    assert.equal(db.slotCount, 0);
    assert.equal(db.sampleKey(), undefined);
    assert.equal(db.randomKey(), undefined);
  });
});

describe('sampling', () => {
  test('uniform over live keys after mass deletes (no compaction)', () => {
    const db = new Keyspace(1).dbs[0]!;
    for (let i = 0; i < 2000; i++) db.set(`k${i}`, 'v');
    // Keep 600 scattered keys: 30% occupancy, above the compaction threshold.
    for (let i = 0; i < 2000; i++) if (i % 10 >= 3) db.delete(`k${i}`);
    assert.equal(db.size, 600);
    assert.equal(db.slotCount > 1900, true);
    const draws = 60_000;
    const x = chiSquare(sampleCounts(db, draws), 600, draws);
    assert.equal(db.slotCount > 1900, true, 'no compaction at 30% occupancy');
    // 599 degrees of freedom: mean 599, sd ≈ 34.6; the bound is beyond 5.8 sd.
    assert.ok(x < 800, `chi-square ${x.toFixed(1)} too large for a uniform pick`);
  });

  test('uniform after compaction; sampling compacts a sparse database', () => {
    const db = new Keyspace(1).dbs[0]!;
    for (let i = 0; i < 20_000; i++) db.set(`k${i}`, `v${i}`);
    for (let i = 0; i < 20_000; i++) if (i % 200 !== 7) db.delete(`k${i}`);
    assert.equal(db.size, 100);
    assert.ok(db.slotCount > 19_000);
    const draws = 20_000;
    const counts = sampleCounts(db, draws);
    assert.equal(db.slotCount, 100, 'sampling compacted the arrays');
    const x = chiSquare(counts, 100, draws);
    // 99 degrees of freedom: mean 99, sd ≈ 14.
    assert.ok(x < 190, `chi-square ${x.toFixed(1)} too large for a uniform pick`);
    checkInvariants(db);
  });

  test('randomKey skips and expires expired keys', () => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    for (let i = 0; i < 100; i++) db.set(`k${i}`, 'v');
    for (let i = 0; i < 99; i++) db.setExpire(`k${i}`, ks.now - 1);
    for (let i = 0; i < 20; i++) assert.equal(db.randomKey(), 'k99');
    assert.ok(db.size < 100);
  });
});

describe('compaction', () => {
  test('every key keeps its value and access word; new keys append', () => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    for (let i = 0; i < 5000; i++) {
      db.insertEntry(`k${i}`, i % 3 === 0 ? `v${i}` : String(i), (i * 7919) & LRU_CLOCK_MASK);
      if (i % 5 === 0) db.markRaw(`k${i}`);
    }
    for (let i = 0; i < 5000; i++) if (i % 9 !== 0) db.delete(`k${i}`);
    assert.equal(db.maybeCompact(), true);
    assert.equal(db.maybeCompact(), false, 'nothing left to compact');
    assert.equal(db.slotCount, db.size);
    assert.equal(db.free.length, 0);
    for (let i = 0; i < 5000; i += 9) {
      const s = db.lookup(`k${i}`)!;
      assert.equal(db.value(s), i % 3 === 0 ? `v${i}` : String(i));
      assert.equal(db.lruAt(s), ((i * 7919) & LRU_CLOCK_MASK) | (i % 5 === 0 ? RAW_STRING_FLAG : 0));
    }
    db.set('after', 'x');
    assert.equal(db.lookup('after'), db.slotCount - 1);
    checkInvariants(db);
  });

  test('small or dense databases are never compacted', () => {
    const db = new Keyspace(1).dbs[0]!;
    for (let i = 0; i < 500; i++) db.set(`k${i}`, 'v');
    for (let i = 0; i < 499; i++) db.delete(`k${i}`);
    assert.equal(db.maybeCompact(), false, 'below the minimum slot count');
    for (let i = 0; i < 4000; i++) db.set(`m${i}`, 'v');
    for (let i = 0; i < 1500; i++) db.delete(`m${i}`);
    assert.equal(db.maybeCompact(), false, 'still half full');
  });

  test('random operations against a model', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('set', 'del', 'del', 'update', 'rename', 'sample', 'compact'), fc.nat(1500)),
          { maxLength: 3000 },
        ),
        (ops) => {
          const db = new Keyspace(1).dbs[0]!;
          const model = new Map<string, string>();
          let n = 0;
          for (const [op, i] of ops) {
            const k = `k${i}`;
            if (op === 'set') {
              const v = `v${n++}`;
              db.set(k, v);
              model.set(k, v);
            } else if (op === 'del') {
              assert.equal(db.delete(k), model.delete(k));
            } else if (op === 'update') {
              const s = db.lookup(k);
              assert.equal(s !== undefined, model.has(k));
              if (s !== undefined) {
                db.update(k, s, `u${n}`);
                model.set(k, `u${n++}`);
              }
            } else if (op === 'rename') {
              const to = `k${(i * 31) % 1501}`;
              const d = db.remove(k);
              if (d !== undefined) {
                db.delete(to);
                db.insertEntry(to, d.v, d.lru);
                model.delete(to);
                model.set(to, model.get(k)!);
                if (to !== k) model.delete(k);
              }
            } else if (op === 'sample') {
              const got = db.sampleKey();
              assert.equal(got === undefined, model.size === 0);
              if (got !== undefined) assert.ok(model.has(got));
            } else {
              db.maybeCompact();
            }
          }
          assert.equal(db.size, model.size);
          for (const [k, v] of model) assert.equal(db.value(db.lookup(k)!), v);
          checkInvariants(db);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('snapshot cut', () => {
  function dump(ks: Keyspace): string[] {
    const out: string[] = [];
    for (const db of ks.dbs) for (const [k, s] of db.dict) out.push(JSON.stringify([db.id, k, db.vals[s]]));
    return out.sort();
  }

  function snapshotWhile(ks: Keyspace, during: (round: number) => void): string[] {
    const parts: Buffer[] = [];
    const enc = new SnapshotEncoder((b) => parts.push(Buffer.from(b)), ks.dbs.length, 'test');
    const job = new SnapshotJob(ks, enc, () => true);
    let round = 0;
    do during(round++);
    while (!job.step(0));
    const back = new Keyspace(ks.dbs.length);
    const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
    for (const _ of loadSnapshot(Buffer.concat(parts), back, 't', res));
    return dump(back);
  }

  test('FLUSHDB and new keys in the reused slots after the cut change nothing', () => {
    const ks = new Keyspace(2);
    for (let i = 0; i < 3000; i++) ks.dbs[i % 2]!.set(`k${i}`, `v${i}`);
    const atCut = dump(ks);
    const got = snapshotWhile(ks, (round) => {
      const db = ks.dbs[round % 2]!;
      if (round === 1) db.clear();
      // New keys land in slots 0, 1, … of the fresh arrays, and overwrite a few old names.
      for (let j = 0; j < 20; j++) db.set(`k${round * 20 + j}`, `new${round}`);
      if (round === 3) ks.swap(0, 1);
    });
    assert.deepEqual(got, atCut);
  });

  test('deletes, slot reuse and compaction between steps change nothing', () => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    for (let i = 0; i < 6000; i++) db.set(`k${i}`, `v${i}`);
    const atCut = dump(ks);
    const got = snapshotWhile(ks, (round) => {
      if (round === 2) {
        for (let i = 0; i < 6000; i++) if (i % 10 !== 0) db.delete(`k${i}`);
        assert.equal(db.maybeCompact(), true);
      }
      // Reuses freed slots (before compaction) or appends (after), and overwrites live keys.
      for (let j = 0; j < 10; j++) db.set(`x${round}-${j}`, 'fresh');
      db.set(`k${round * 10}`, 'changed');
      db.sampleKey();
    });
    assert.deepEqual(got, atCut);
  });
});

describe('access word', () => {
  test('LRU: new keys, touches and overwrites take the clock; touches keep encoding flags', () => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    ks.lruNow = 1000;
    db.set('a', 'x');
    db.markRaw('a');
    const s = db.lookup('a')!;
    assert.equal(db.lruAt(s), 1000 | RAW_STRING_FLAG);
    ks.lruNow = 1005;
    assert.equal(db.idleSeconds(s), 5);
    db.touch(s);
    assert.equal(db.lruAt(s), 1005 | RAW_STRING_FLAG);
    ks.lruNow = 1010;
    db.update('a', s, 'y');
    assert.equal(db.lruAt(s), 1010, 'update clears the flags');
    db.markRaw('a');
    ks.lruNow = 1020;
    db.set('a', 'z');
    assert.equal(db.lruAt(s), 1020, 'overwrite clears the flags');
  });

  test('LFU: new keys take lfuNew, touches and overwrites go through lfuAccess, in-place updates keep the field', () => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    ks.lfuMode = true;
    ks.lfuNew = () => 0x500;
    ks.lfuAccess = (f) => f + 1;
    db.set('a', 'x');
    db.markRaw('a');
    const s = db.lookup('a')!;
    assert.equal(db.lruAt(s), 0x500 | RAW_STRING_FLAG);
    db.lookupRead('a');
    assert.equal(db.lruAt(s), 0x501 | RAW_STRING_FLAG);
    db.lookupRead('a', false);
    assert.equal(db.lruAt(s), 0x501 | RAW_STRING_FLAG, 'no touch');
    db.set('a', 'y');
    assert.equal(db.lruAt(s), 0x502, 'an overwrite counts as an access (the encoding flags go)');
    db.update('a', s, 'z');
    assert.equal(db.lruAt(s), 0x502);
  });
});
