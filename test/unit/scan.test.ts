// Unit tests for the server-side SCAN cursors (src/keyspace/scan.ts): cursor parsing as strtoul, and the SCAN
// guarantee under random interleavings of scan steps with inserts and deletes.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ScanCursors, cursorsOf, parseCursor } from '../../src/keyspace/scan.js';

describe('parseCursor', () => {
  const cases: [string, bigint | undefined][] = [
    ['0', 0n],
    ['', 0n],
    ['1', 1n],
    ['007', 7n],
    ['+5', 5n],
    ['-0', 0n],
    ['-1', 18446744073709551615n],
    ['-18446744073709551615', 1n],
    ['18446744073709551615', 18446744073709551615n],
    ['18446744073709551616', undefined],
    ['-18446744073709551616', undefined],
    [' 0', undefined],
    ['0 ', undefined],
    ['+', undefined],
    ['-', undefined],
    ['0x10', undefined],
    ['1e3', undefined],
    ['abc', undefined],
    ['12abc', undefined],
  ];
  for (const [s, want] of cases) {
    test(JSON.stringify(s), () => assert.equal(parseCursor(s), want));
  }
});

/** Runs a whole scan without interference; returns the visited keys in order. */
function fullScan<K, V>(r: ScanCursors, m: Map<K, V>, count: number): K[] {
  const seen: K[] = [];
  let cursor = 0n;
  for (let calls = 0; calls < 100000; calls++) {
    const next = r.step(m, cursor, count, (k) => seen.push(k));
    if (next === '0') return seen;
    cursor = BigInt(next);
  }
  throw new Error('scan did not finish');
}

describe('ScanCursors', () => {
  test('a quiet scan visits every entry exactly once, COUNT entries per call', () => {
    const r = new ScanCursors();
    const m = new Map<number, string>();
    for (let i = 0; i < 1000; i++) m.set(i, 'v' + i);
    const sizes: number[] = [];
    let cursor = 0n;
    const seen: number[] = [];
    for (;;) {
      let n = 0;
      const next = r.step(m, cursor, 7, (k, v) => {
        assert.equal(v, 'v' + k);
        seen.push(k);
        n++;
      });
      sizes.push(n);
      if (next === '0') break;
      assert.match(next, /^[1-9][0-9]*$/);
      assert.ok(BigInt(next) <= 0xffffffffffffffffn);
      cursor = BigInt(next);
    }
    assert.deepEqual(seen, [...m.keys()]);
    assert.ok(sizes.slice(0, -1).every((n) => n === 7));
    // 1000 = 142 * 7 + 6: the last call knows the iteration is over and says 0 at once.
    assert.equal(sizes.length, 143);
    assert.equal(sizes.at(-1), 6);
    assert.equal(r.size, 0, 'a finished scan leaves no live cursor');
  });

  test('an exact multiple of COUNT ends with cursor 0, not with an empty extra call', () => {
    const r = new ScanCursors();
    const m = new Map([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    let seen = 0;
    const c1 = r.step(m, 0n, 2, () => seen++);
    assert.notEqual(c1, '0');
    assert.equal(
      r.step(m, BigInt(c1), 2, () => seen++),
      '0',
    );
    assert.equal(seen, 4);
  });

  test('an empty map ends at once', () => {
    assert.equal(
      new ScanCursors().step(new Map(), 0n, 10, () => assert.fail()),
      '0',
    );
  });

  test('each resumed call hands out a fresh id; reusing an old id resumes where it stood', () => {
    const r = new ScanCursors();
    const m = new Map<number, number>();
    for (let i = 0; i < 10; i++) m.set(i, i);
    const a: number[] = [];
    const c1 = r.step(m, 0n, 3, (k) => a.push(k));
    const c2 = r.step(m, BigInt(c1), 3, (k) => a.push(k));
    assert.notEqual(c1, c2);
    assert.deepEqual(a, [0, 1, 2, 3, 4, 5]);
    const b: number[] = [];
    r.step(m, BigInt(c1), 3, (k) => b.push(k));
    assert.deepEqual(b, [3, 4, 5], 'a consumed id resumes at the place it carries');
  });

  test('a cursor resumed against another map goes on from its place; a value replaced at every step still ends', () => {
    const r = new ScanCursors();
    const m1 = new Map([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const m2 = new Map([
      [7, 7],
      [8, 8],
      [9, 9],
    ]);
    const c = r.step(m1, 0n, 1, () => {});
    const seen: number[] = [];
    assert.equal(
      r.step(m2, BigInt(c), 10, (k) => seen.push(k)),
      '0',
    );
    assert.deepEqual(seen, [8, 9]);
    // COPY … REPLACE between every two steps: a new Map with the same keys each time.
    const fresh = (): Map<number, number> => new Map(Array.from({ length: 100 }, (_, i) => [i, i]));
    const got: number[] = [];
    let cur = r.step(fresh(), 0n, 10, (k) => got.push(k));
    let steps = 0;
    while (cur !== '0' && ++steps < 50) cur = r.step(fresh(), BigInt(cur), 10, (k) => got.push(k));
    assert.equal(cur, '0');
    assert.deepEqual(got, [...fresh().keys()]);
  });

  test('an unknown cursor starts a fresh iteration', () => {
    const r = new ScanCursors();
    const m = new Map([
      [1, 1],
      [2, 2],
    ]);
    const seen: number[] = [];
    assert.equal(
      r.step(m, 12345n, 10, (k) => seen.push(k)),
      '0',
    );
    assert.deepEqual(seen, [1, 2]);
  });

  test('at most max cursors live; the least recently used is dropped', () => {
    const r = new ScanCursors(3);
    const m = new Map<number, number>();
    for (let i = 0; i < 100; i++) m.set(i, i);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(r.step(m, 0n, 1, () => {}));
    assert.equal(r.size, 3);
    // The first two were dropped: resuming them goes on from the place their ids carry.
    const seen: number[] = [];
    r.step(m, BigInt(ids[0]!), 1, (k) => seen.push(k));
    assert.deepEqual(seen, [1]);
    // The newest still continues.
    const seen2: number[] = [];
    r.step(m, BigInt(ids[4]!), 1, (k) => seen2.push(k));
    assert.deepEqual(seen2, [1]);
  });

  test('an entry read ahead and then deleted is not reported', () => {
    const r = new ScanCursors();
    const m = new Map([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const c = r.step(m, 0n, 1, () => {});
    m.delete(2);
    const seen: number[] = [];
    assert.equal(
      r.step(m, BigInt(c), 10, (k) => seen.push(k)),
      '0',
    );
    assert.deepEqual(seen, [3]);
  });

  test('cursorsOf gives one registry per owner', () => {
    const a = {};
    assert.equal(cursorsOf(a), cursorsOf(a));
    assert.notEqual(cursorsOf(a), cursorsOf({}));
  });

  // The guarantee: an element present from the start to the end of a full iteration is returned at least once,
  // and nothing absent at the time of the call is returned, whatever happens between calls: inserts, deletes, or
  // the map being replaced. A scan whose cursor other scans pushed out of the registry still ends (and returns
  // only present keys), resuming from the place its id carries.

  test('abandoned scans are dropped before a scan in progress; a scan whose iterator is gone still ends', () => {
    const r = new ScanCursors(3);
    const m = new Map<number, number>();
    for (let i = 0; i < 20; i++) m.set(i, i);
    const seen: number[] = [];
    let c = r.step(m, 0n, 2, (k) => seen.push(k));
    c = r.step(m, BigInt(c), 2, (k) => seen.push(k));
    // A thousand clients read one page and stop: only their cursors are dropped.
    for (let i = 0; i < 1000; i++) r.step(m, 0n, 1, () => {});
    assert.equal(r.size, 3);
    while (c !== '0') c = r.step(m, BigInt(c), 2, (k) => seen.push(k));
    assert.deepEqual(seen, [...m.keys()]);
    // With no room at all, scans lose their iterators at every step, and still end (here without writes, whole).
    const tiny = new ScanCursors(0);
    const got: number[] = [];
    let steps = 0;
    let d = tiny.step(m, 0n, 3, (k) => got.push(k));
    while (d !== '0' && ++steps < 100) d = tiny.step(m, BigInt(d), 3, (k) => got.push(k));
    assert.equal(d, '0');
    assert.deepEqual(got, [...m.keys()]);
  });

  test('property: every element present for a whole scan is returned (interleaved writes, 4 scans)', () => {
    // Room for the 4 scans' cursors (each has one at a time): no iterator is lost.
    scanProperty(4, true);
  });

  test('property: with too few cursors for the scans, every scan still ends and returns only present keys', () => {
    scanProperty(0, false);
  });

  test('full scans of a large map', () => {
    const r = new ScanCursors();
    const m = new Map<string, number>();
    for (let i = 0; i < 50000; i++) m.set('key:' + i, i);
    const seen = fullScan(r, m, 1000);
    assert.equal(seen.length, 50000);
    assert.equal(new Set(seen).size, 50000);
  });
});

type Op =
  { t: 'scan'; scan: number; count: number } | { t: 'ins'; key: number } | { t: 'del'; key: number } | { t: 'replace' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ t: fc.constant('scan' as const), scan: fc.nat(3), count: fc.integer({ min: 1, max: 6 }) }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('ins' as const), key: fc.nat(60) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('del' as const), key: fc.nat(60) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'replace' as const }) },
);

/**
 * Four scans interleaved with writes over a registry of `minMax`…`minMax + 2` cursors: every scan ends and
 * returns only keys present; with `complete`, also every key present for its whole scan.
 */
function scanProperty(minMax: number, complete: boolean): void {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.nat(60), { maxLength: 40 }),
      fc.array(opArb, { maxLength: 200 }),
      fc.integer({ min: minMax, max: minMax + 2 }),
      (initial, ops, max) => {
        const r = new ScanCursors(max);
        const holder = { m: new Map<number, number>(initial.map((k) => [k, k])) };
        interface ScanState {
          cursor: bigint;
          /** Keys present when the scan started and not removed since. */
          stable: Set<number>;
          seen: Set<number>;
          active: boolean;
        }
        const scans: ScanState[] = [0, 1, 2, 3].map(() => ({
          cursor: 0n,
          stable: new Set(),
          seen: new Set(),
          active: false,
        }));
        const step = (s: ScanState, count: number): void => {
          if (!s.active) {
            s.active = true;
            s.stable = new Set(holder.m.keys());
            s.seen = new Set();
          }
          const m = holder.m;
          const next = r.step(m, s.cursor, count, (k, v) => {
            assert.ok(m.has(k), `returned ${k}, which is not in the map`);
            assert.equal(v, m.get(k));
            s.seen.add(k);
          });
          if (next === '0') {
            if (complete) {
              for (const k of s.stable) assert.ok(s.seen.has(k), `key ${k} was present throughout but never returned`);
            }
            s.active = false;
            s.cursor = 0n;
          } else {
            s.cursor = BigInt(next);
          }
        };
        for (const op of ops) {
          if (op.t === 'scan') step(scans[op.scan]!, op.count);
          else if (op.t === 'ins') holder.m.set(op.key, op.key);
          else if (op.t === 'del') {
            holder.m.delete(op.key);
            for (const s of scans) s.stable.delete(op.key);
          } else {
            // The value replaced (COPY … REPLACE, FLUSHDB, SWAPDB): a new map with some of the same keys. A scan
            // goes on in it from its place, so what it is sure to return is only what the new map holds there on:
            // nothing is promised for the keys of a collection that was not there when the scan started.
            const next = new Map<number, number>();
            for (const k of holder.m.keys()) if (k % 2 === 0) next.set(k, k);
            for (const s of scans) s.stable.clear();
            holder.m = next;
          }
        }
        // Finish every scan still going, without interference.
        for (const s of scans) {
          let guard = 0;
          while (s.active) {
            step(s, 3);
            if (++guard > 1000) assert.fail('scan did not finish');
          }
        }
      },
    ),
    { numRuns: 500 },
  );
}
