// ExpireTable (src/keyspace/expire-table.ts) against a Map as the model: get/has/size after any mix of sets,
// overwrites and deletes (through compactions), and live iteration with a Map iterator's guarantees while the
// table changes underneath: every key present for the whole iteration is visited exactly once, with its time,
// and a key deleted before the iterator reached it is not visited.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExpireTable } from '../../src/keyspace/expire-table.js';
import { hashBatch } from '../../src/types/key-table.js';

type Op = { t: 'set'; k: number; ms: number } | { t: 'del'; k: number } | { t: 'step'; n: number };

const key = (k: number): string => `key:${k}`;

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('set' as const), k: fc.nat(300), ms: fc.double({ noNaN: true }) }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('del' as const), k: fc.nat(300) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('step' as const), n: fc.nat(20) }) },
);

function check(table: ExpireTable, model: Map<string, number>): void {
  assert.equal(table.size, model.size);
  for (let k = 0; k <= 300; k++) {
    assert.equal(table.get(key(k)), model.get(key(k)));
    assert.equal(table.has(key(k)), model.has(key(k)));
  }
}

describe('ExpireTable', () => {
  it('matches a Map through sets, overwrites, deletes and compactions', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const table = new ExpireTable();
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.t === 'set') {
            table.set(key(o.k), o.ms);
            model.set(key(o.k), o.ms);
          } else if (o.t === 'del') {
            assert.equal(table.delete(key(o.k)), model.delete(key(o.k)));
          }
        }
        check(table, model);
        assert.deepEqual(new Map(table.entries()), model);
      }),
      { numRuns: 60 },
    );
  });

  it('reads ahead (prefetch) without changing anything, through growth, shrinking and compaction', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 500, maxLength: 2000 }),
        fc.array(fc.nat(300), { minLength: 1, maxLength: 32 }),
        (ops, batch) => {
          const table = new ExpireTable();
          const model = new Map<string, number>();
          const keys = batch.map(key);
          const out = new Int32Array(32).fill(-7);
          for (const o of ops) {
            if (o.t === 'set') {
              table.set(key(o.k), o.ms);
              model.set(key(o.k), o.ms);
            } else if (o.t === 'del') {
              table.delete(key(o.k));
              model.delete(key(o.k));
            } else {
              table.prefetchHashed(hashBatch(keys, 0, keys.length), keys.length, out);
              for (let i = 0; i < keys.length; i++) assert.ok(Number.isInteger(out[i]) && out[i]! >= -1);
            }
          }
          table.prefetchHashed(hashBatch(keys, 0, keys.length), keys.length, out);
          check(table, model);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('iterates live: keys present throughout are visited once, keys deleted before their turn are not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(300), { minLength: 50, maxLength: 300 }),
        fc.array(op, { maxLength: 2000 }),
        (initial, ops) => {
          const table = new ExpireTable();
          const model = new Map<string, number>();
          for (const k of initial) {
            table.set(key(k), k * 1000);
            model.set(key(k), k * 1000);
          }
          const it = table.entries();
          const seen = new Map<string, number>();
          const touched = new Set<string>(); // set or deleted during the iteration
          const deletedUnseen = new Set<string>();
          const take = (n: number): boolean => {
            for (let i = 0; i < n; i++) {
              const r = it.next();
              if (r.done === true) return false;
              const [k, ms] = r.value;
              // As with a Map, a key deleted after its visit and set again sits after the cursor and may be
              // visited again; a key left alone never is.
              assert.equal(seen.has(k) && !touched.has(k), false, `${k} visited twice`);
              assert.equal(deletedUnseen.has(k) && !model.has(k), false, `${k} visited after its delete`);
              assert.equal(ms, model.get(k), `${k} visited with its current time`);
              seen.set(k, ms);
            }
            return true;
          };
          for (const o of ops) {
            if (o.t === 'step') {
              if (!take(o.n)) break;
            } else if (o.t === 'set') {
              touched.add(key(o.k));
              table.set(key(o.k), o.ms);
              model.set(key(o.k), o.ms);
            } else {
              touched.add(key(o.k));
              if (model.delete(key(o.k)) && !seen.has(key(o.k))) deletedUnseen.add(key(o.k));
              table.delete(key(o.k));
            }
          }
          while (take(64));
          for (const k of new Set(initial.map(key))) {
            if (!touched.has(k)) assert.equal(seen.has(k), true, `${k}, present throughout, was visited`);
          }
          check(table, model);
        },
      ),
      {
        numRuns: 60,
        // Found by a run: key:4 visited, deleted, set again, then visited again (allowed, as for a Map).
        examples: [
          [
            [
              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0, 0, 0, 0, 0, 2, 1, 3, 6, 7, 8, 0, 0, 9, 0,
            ],
            [
              { t: 'step', n: 2 },
              { t: 'del', k: 4 },
              { t: 'set', k: 10, ms: 0 },
              { t: 'set', k: 4, ms: 0 },
            ],
          ],
        ],
      },
    );
  });

  it('compacts after most keys are deleted, and keeps the rest', () => {
    const table = new ExpireTable();
    for (let k = 0; k < 10000; k++) table.set(key(k), k + 0.5);
    for (let k = 0; k < 10000; k++) if (k % 100 !== 0) table.delete(key(k));
    assert.equal(table.size, 100);
    const all = [...table];
    assert.equal(all.length, 100);
    for (const [k, ms] of all) assert.equal(ms, Number(k.slice(4)) + 0.5);
  });
});
