// Unit and property tests of the counted B+tree and the SortedSet value against a plain sorted array, for small
// sets (members packed into one string, scores by rank), grown ones (tree and index) and the growth between them.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ScoreTree,
  SortedSet,
  compareKeys,
  LEX_MIN,
  LEX_MAX,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ScoreRange,
} from '../../src/types/sorted-set.js';

type Pair = [member: string, score: number];

/** The reference: a sorted array of [member, score]. */
class Ref {
  items: Pair[] = [];
  private find(m: string): number {
    return this.items.findIndex((p) => p[0] === m);
  }
  add(m: string, s: number): void {
    const i = this.find(m);
    if (i >= 0) this.items.splice(i, 1);
    this.items.push([m, s]);
    this.items.sort((a, b) => compareKeys(a[1], a[0], b[1], b[0]));
  }
  del(m: string): boolean {
    const i = this.find(m);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }
  rank(m: string): number | undefined {
    const i = this.find(m);
    return i < 0 ? undefined : i;
  }
}

function contents(z: SortedSet): Pair[] {
  const out: Pair[] = [];
  z.forEach((m, s) => out.push([m, s]));
  return out;
}

const member = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'aa', 'ab', '', 'z\x00', '\xff'),
  fc.string({ maxLength: 3 }),
  fc.integer({ min: 0, max: 3000 }).map((n) => 'm' + n),
  // 13 chars and more: cut out of a packed string, V8 makes them views of it.
  fc.integer({ min: 0, max: 40 }).map((n) => 'a-longer-member:' + n),
  // The longest member a packed set holds, and one past it (the set grows).
  fc.constantFrom('x'.repeat(255), 'y'.repeat(256), '\xfe'.repeat(200)),
);
const score = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, Infinity, -Infinity),
  fc.integer({ min: -50, max: 50 }),
  fc.double({ noNaN: true }),
);

type Op =
  | { t: 'add'; m: string; s: number }
  | { t: 'del'; m: string }
  | { t: 'bulk'; n: number; base: number; step: number }
  | { t: 'delrank'; a: number; b: number }
  | { t: 'pop'; max: boolean };

/**
 * Random operations: adds (new members and updates) and deletes by weight, bulk runs of up to `bulkMax` members,
 * rank-range deletes within `rankMax`, pops at either end.
 */
function ops(weights: { add: number; del: number }, bulkMax: number, rankMax: number): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: weights.add, arbitrary: fc.record({ t: fc.constant('add' as const), m: member, s: score }) },
    { weight: weights.del, arbitrary: fc.record({ t: fc.constant('del' as const), m: member }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('bulk' as const),
        n: fc.integer({ min: 1, max: bulkMax }),
        base: fc.integer({ min: -100, max: 100 }),
        step: fc.constantFrom(0, 1, -1, 0.5),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('delrank' as const), a: fc.nat(rankMax), b: fc.nat(rankMax) }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('pop' as const), max: fc.boolean() }) },
  );
}

const op = ops({ add: 6, del: 4 }, 400, 500);
/** Operations that keep a set around the size where it grows from its packed form into tree and index. */
const smallOp = ops({ add: 6, del: 3 }, 140, 200);

function apply(z: SortedSet, r: Ref, o: Op): void {
  switch (o.t) {
    case 'add': {
      // A listpack set stores -0 as 0 (see SortedSet.insert).
      const s = z.listpack && o.s === 0 ? 0 : o.s;
      if (z.score(o.m) === undefined) z.insert(o.m, o.s);
      else z.update(o.m, o.s);
      r.add(o.m, s);
      break;
    }
    case 'del':
      assert.equal(z.delete(o.m), r.del(o.m));
      break;
    case 'bulk':
      for (let i = 0; i < o.n; i++) {
        const m = 'b' + i;
        const s = o.base + i * o.step;
        if (z.score(m) === undefined) z.insert(m, s);
        else z.update(m, s);
        r.add(m, s);
      }
      break;
    case 'delrank': {
      const n = r.items.length;
      if (n === 0) break;
      const a = Math.min(o.a, o.b) % n;
      const b = Math.min(Math.max(o.a, o.b), n - 1);
      if (a > b) break;
      const removed = z.deleteRanks(a, b);
      assert.deepEqual(
        removed,
        r.items.slice(a, b + 1).map((p) => p[0]),
      );
      r.items.splice(a, b - a + 1);
      break;
    }
    case 'pop': {
      if (r.items.length === 0) break;
      const want = o.max ? r.items.pop()! : r.items.shift()!;
      assert.equal(z.popEnd(o.max), want[0]);
      assert.ok(Object.is(z.poppedScore, want[1]));
      break;
    }
  }
}

describe('ScoreTree', () => {
  test('sequential inserts and deletes keep every invariant', () => {
    const t = new ScoreTree();
    const n = 20000;
    for (let i = 0; i < n; i++) t.insert(i, 'm' + i);
    t.check();
    assert.equal(t.size, n);
    for (let i = 0; i < n; i += 7) assert.equal(t.rankOf(i, 'm' + i), i);
    for (let i = 0; i < n; i += 2) assert.ok(t.delete(i, 'm' + i));
    t.check();
    assert.equal(t.size, n / 2);
    assert.equal(t.delete(0, 'm0'), false);
    for (let r = 0; r < n / 2; r += 13) {
      const c = t.at(r);
      assert.equal(c.leaf.members[c.idx], 'm' + (2 * r + 1));
    }
    for (let i = 1; i < n; i += 2) assert.ok(t.delete(i, 'm' + i));
    t.check();
    assert.equal(t.size, 0);
    assert.equal(t.first(), undefined);
  });

  test('descending and random inserts', () => {
    const t = new ScoreTree();
    for (let i = 5000; i > 0; i--) t.insert(i, 'x');
    t.check();
    const keys: number[] = [];
    for (let i = 0; i < 5000; i++) keys.push(Math.random());
    for (const k of keys) t.insert(k, 'r');
    t.check();
    keys.sort((a, b) => a - b);
    for (const k of keys) assert.ok(t.delete(k, 'r'));
    t.check();
    assert.equal(t.size, 5000);
  });

  test('property: deep trees under random inserts and deletes (inner nodes split, share and merge)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 5000, max: 30000 }), (seed, n) => {
        let x = seed;
        const rnd = (): number => {
          x = (x * 1103515245 + 12345) % 2147483648;
          return x / 2147483648;
        };
        const t = new ScoreTree();
        const live = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const m = 'k' + Math.floor(rnd() * n);
          const old = live.get(m);
          if (old !== undefined && rnd() < 0.6) {
            assert.ok(t.delete(old, m));
            live.delete(m);
          } else if (old === undefined) {
            const s = Math.floor(rnd() * 1000);
            t.insert(s, m);
            live.set(m, s);
          }
        }
        t.check();
        const ref = [...live].sort((a, b) => compareKeys(a[1], a[0], b[1], b[0]));
        for (let r = 0; r < ref.length; r += 97) {
          const c = t.at(r);
          assert.equal(c.leaf.members[c.idx], ref[r]![0]);
          assert.equal(t.rankOf(ref[r]![1], ref[r]![0]), r);
        }
        // Drain most of it in random order, then check again.
        for (const [m, s] of ref) if (rnd() < 0.9) assert.ok(t.delete(s, m));
        t.check();
      }),
      { numRuns: 8 },
    );
  });

  test('property: popping either end (deleteEnd / popEnd) between inserts keeps order, counts and the Map', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2000, max: 20000 }), (seed, n) => {
        let x = seed;
        const rnd = (): number => {
          x = (x * 1103515245 + 12345) % 2147483648;
          return x / 2147483648;
        };
        const z = new SortedSet(false);
        const r = new Ref();
        const live = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const m = 'k' + Math.floor(rnd() * n);
          if (live.size > 0 && rnd() < 0.45) {
            const max = rnd() < 0.5;
            const want = max ? r.items[r.items.length - 1]! : r.items[0]!;
            assert.equal(z.popEnd(max), want[0]);
            assert.equal(z.poppedScore, want[1]);
            r.del(want[0]);
            live.delete(want[0]);
            assert.equal(z.score(want[0]), undefined);
          } else if (!live.has(m)) {
            const s = Math.floor(rnd() * 500);
            z.insert(m, s);
            r.add(m, s);
            live.set(m, s);
          }
        }
        z.check();
        assert.equal(z.size, r.items.length);
        assert.deepEqual(contents(z), r.items);
        for (const [m, s] of live) assert.equal(z.score(m), s);
        // Drain from alternating ends.
        let k = 0;
        while (z.size > 0) {
          const max = k++ % 2 === 1;
          const want = max ? r.items.pop()! : r.items.shift()!;
          assert.equal(z.popEnd(max), want[0]);
          assert.equal(z.poppedScore, want[1]);
        }
        z.check();
      }),
      { numRuns: 6 },
    );
  });

  test('firstWhere finds the first key a monotone predicate accepts', () => {
    const t = new ScoreTree();
    for (let i = 0; i < 3000; i++) t.insert(Math.floor(i / 3), 'm' + (i % 3));
    for (const x of [-1, 0, 1, 500, 999, 1000, 5000]) {
      assert.equal(
        t.firstWhere((s) => s >= x),
        Math.min(3000, Math.max(0, x * 3)),
      );
    }
  });
});

describe('SortedSet against a sorted array', () => {
  const cases = [
    { name: 'any size', ops: op, maxLength: 120, runs: 300 },
    { name: 'small sets and their growth', ops: smallOp, maxLength: 60, runs: 500 },
  ];
  for (const c of cases) {
    test(`property: random operations keep contents, ranks and order equal to the reference (${c.name})`, () => {
      fc.assert(
        fc.property(fc.array(c.ops, { maxLength: c.maxLength }), fc.boolean(), (ops, listpack) => {
          const z = new SortedSet(listpack);
          const r = new Ref();
          for (const o of ops) {
            apply(z, r, o);
            z.check();
          }
          assert.deepEqual(contents(z), r.items);
          assert.equal(z.size, r.items.length);
          for (let i = 0; i < r.items.length; i += Math.max(1, r.items.length >> 4)) {
            const [m, s] = r.items[i]!;
            assert.equal(z.rank(m), i);
            assert.deepEqual(z.at(i), [m, s]);
            assert.equal(z.score(m), s);
          }
          assert.equal(z.rank('missing\x00'), undefined);
          assert.equal(z.score('missing\x00'), undefined);
          if (r.items.length > 0) {
            assert.deepEqual(z.end(false), r.items[0]);
            assert.deepEqual(z.end(true), r.items[r.items.length - 1]);
          }
          // Reverse walk equals the reversed contents.
          const rev: string[] = [];
          if (r.items.length > 0) z.range(0, r.items.length - 1, true, (m) => rev.push(m));
          assert.deepEqual(rev, r.items.map((p) => p[0]).reverse());
          // A clone is equal and independent; a scan index (which grows a small set) maps every member.
          const copy = z.clone();
          copy.check();
          assert.deepEqual(contents(copy), r.items);
          if (r.items.length > 0) {
            // Scores change in place: the copy's must not be the original's.
            copy.update(r.items[0]![0], r.items[0]![1] === 7.25 ? 7.5 : 7.25);
            copy.check();
            assert.deepEqual(contents(z), r.items);
          }
          copy.insert('only-in-copy', 0);
          assert.equal(z.score('only-in-copy'), undefined);
          const index = z.scanMap();
          for (const [m, i] of index) assert.equal(z.scoreAt(i), r.items.find((p) => p[0] === m)![1]);
          z.check();
          assert.deepEqual(contents(z), r.items);
        }),
        { numRuns: c.runs },
      );
    });
  }

  test('property: score ranges count and locate like a filter over the reference', () => {
    const bound = fc.oneof(fc.integer({ min: -60, max: 60 }), fc.constantFrom(Infinity, -Infinity, 0.5));
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        bound,
        bound,
        fc.boolean(),
        fc.boolean(),
        (ops, min, max, minex, maxex) => {
          const z = new SortedSet();
          const r = new Ref();
          for (const o of ops) apply(z, r, o);
          const range: ScoreRange = { min, max, minex, maxex };
          const idx = r.items
            .map((p, i) => (scoreGteMin(p[1], range) && scoreLteMax(p[1], range) ? i : -1))
            .filter((i) => i >= 0);
          assert.equal(z.countInScoreRange(range), idx.length);
          assert.equal(z.firstInScoreRange(range), idx.length ? idx[0] : -1);
          assert.equal(z.lastInScoreRange(range), idx.length ? idx[idx.length - 1] : -1);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: lexical ranges over equal scores, small and large', () => {
    const bound = fc.oneof(
      fc.constant<typeof LEX_MIN | typeof LEX_MAX>(LEX_MIN),
      fc.constant<typeof LEX_MIN | typeof LEX_MAX>(LEX_MAX),
      fc.string({ maxLength: 3 }),
      fc.integer({ min: 0, max: 300 }).map((n) => 'm' + n),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(member, { maxLength: 300 }),
        bound,
        bound,
        fc.boolean(),
        fc.boolean(),
        (members, min, max, minex, maxex) => {
          const z = new SortedSet();
          for (const m of members) z.insert(m, 0);
          const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const range: LexRange = {
            min,
            max,
            minex: min === LEX_MIN || min === LEX_MAX ? true : minex,
            maxex: max === LEX_MIN || max === LEX_MAX ? true : maxex,
          };
          const idx = sorted.map((m, i) => (lexGteMin(m, range) && lexLteMax(m, range) ? i : -1)).filter((i) => i >= 0);
          assert.equal(z.countInLexRange(range), idx.length);
          assert.equal(z.firstInLexRange(range), idx.length ? idx[0] : -1);
          assert.equal(z.lastInLexRange(range), idx.length ? idx[idx.length - 1] : -1);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('encoding follows Redis 7.0 listpack limits and never converts back', () => {
    const z = new SortedSet();
    for (let i = 0; i < 128; i++) z.insert('m' + i, i);
    assert.equal(z.encoding(), 'listpack');
    z.insert('m128', 128);
    assert.equal(z.encoding(), 'skiplist');
    z.delete('m128');
    z.delete('m127');
    assert.equal(z.encoding(), 'skiplist');
    const y = new SortedSet();
    y.insert('x'.repeat(64), 1);
    assert.equal(y.encoding(), 'listpack');
    y.insert('x'.repeat(65), 1);
    assert.equal(y.encoding(), 'skiplist');
    assert.equal(SortedSet.create(129, 1).encoding(), 'skiplist');
    assert.equal(SortedSet.create(10, 65).encoding(), 'skiplist');
    const c = z.clone();
    assert.equal(c.encoding(), 'skiplist');
    assert.deepEqual(contents(c), contents(z));
  });

  test('-0 and 0 compare equal, ordered by member; the small encoding stores -0 as 0', () => {
    const small = new SortedSet();
    small.insert('n', -0);
    assert.ok(Object.is(small.score('n'), 0));
    const z = new SortedSet(false);
    z.insert('b', -0);
    z.insert('a', 0);
    assert.deepEqual(
      contents(z).map((p) => p[0]),
      ['a', 'b'],
    );
    assert.ok(Object.is(z.score('b'), -0));
    assert.equal(z.rank('b'), 1);
    assert.ok(z.delete('b'));
  });

  test('deleting and re-adding one member keeps the size and the index right', () => {
    const z = new SortedSet(false);
    for (let i = 0; i < 200000; i++) z.insert('m' + i, i);
    for (let i = 0; i < 50000; i++) {
      assert.ok(z.delete('hot') === i > 0);
      z.insert('hot', -1);
    }
    for (let i = 0; i < 150000; i++) z.delete('m' + i);
    assert.equal(z.size, 50001);
    assert.equal(z.score('m0'), undefined);
    assert.equal(z.score('m199999'), 199999);
    let live = 0;
    for (const [, s] of z.scanMap()) if (s === s) live++;
    assert.equal(live, 50001);
    z.check();
  });

  test('removals leave holes that inserts reuse; a mostly emptied set compacts, and SCAN still sees every member', () => {
    const z = new SortedSet(false);
    const n = 5000;
    for (let i = 0; i < n; i++) z.insert('m' + i, i);
    // Pops from both ends and removals from the middle, interleaved with inserts that fill holes.
    for (let i = 0; i < 2000; i++) z.popEnd(i % 2 === 0);
    for (let i = 2500; i < 2900; i++) assert.ok(z.delete('m' + i));
    z.check();
    for (let i = 0; i < 300; i++) z.insert('n' + i, 10000 + i);
    z.check();
    assert.equal(z.size, n - 2000 - 400 + 300);
    // Down to well under an eighth of the arrays: members move into holes.
    while (z.size > 200) z.popEnd(false);
    z.check();
    const seen = new Set<string>();
    for (const [m, i] of z.scanMap()) {
      assert.equal(z.score(m), z.scoreAt(i));
      seen.add(m);
    }
    assert.equal(seen.size, 200);
    assert.deepEqual(
      contents(z).map((p) => p[0]),
      [...seen].sort((a, b) => z.score(a)! - z.score(b)! || (a < b ? -1 : 1)),
    );
    while (z.size > 0) z.popEnd(true);
    z.check();
  });

  test('property: removals compact a mostly emptied set a few moves at a time; inserts between reuse only live holes', () => {
    const arrays = (z: SortedSet): number => (z as unknown as { members: unknown[] }).members.length;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('pop', 'popmax', 'del', 'add'), fc.nat(3000)), {
          minLength: 200,
          maxLength: 3000,
        }),
        (ops) => {
          const z = new SortedSet(false);
          const ref = new Map<string, number>();
          for (let i = 0; i < 3000; i++) {
            z.insert('m' + i, i % 97);
            ref.set('m' + i, i % 97);
          }
          // A scan started before the removals sees every member present throughout.
          const it = z.scanMap().entries();
          const seen = new Set<string>();
          let step = 0;
          for (const [op, n] of ops) {
            if (op === 'add') {
              if (!ref.has('a' + n)) {
                z.insert('a' + n, n);
                ref.set('a' + n, n);
              }
            } else if (op === 'del') {
              assert.equal(z.delete('m' + n), ref.delete('m' + n));
            } else if (z.size > 0) {
              const m = z.popEnd(op === 'popmax');
              assert.ok(ref.delete(m));
            }
            if (++step % 8 === 0) {
              const r = it.next();
              if (!r.done) seen.add(r.value[0]);
            }
            // Never more than eight times the members, plus the few a step may leave behind.
            assert.ok(arrays(z) <= Math.max(64, z.size * 8 + 8), `${arrays(z)} slots for ${z.size} members`);
          }
          z.check();
          for (let r = it.next(); !r.done; r = it.next()) seen.add(r.value[0]);
          for (const m of ref.keys()) if (m.startsWith('m')) assert.ok(seen.has(m), `scan missed ${m}`);
          assert.equal(z.size, ref.size);
          for (const [m, sc] of ref) assert.equal(z.score(m), sc);
        },
      ),
      { numRuns: 60 },
    );
  });
});
