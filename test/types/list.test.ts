// The list deque (src/types/list.ts) against a plain array as the reference: unit cases and random operation
// sequences with fast-check, including wrap-around, growth and shrinking of the ring.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ListValue } from '../../src/types/list.js';

test('push and pop at both ends, index access, wrap-around', () => {
  const l = new ListValue();
  for (let i = 0; i < 10; i++) l.pushBack(String(i));
  for (let i = 0; i < 5; i++) l.pushFront(`f${i}`);
  assert.equal(l.length, 15);
  assert.deepEqual(l.toArray(), ['f4', 'f3', 'f2', 'f1', 'f0', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(l.at(0), 'f4');
  assert.equal(l.at(14), '9');
  assert.equal(l.popFront(), 'f4');
  assert.equal(l.popBack(), '9');
  l.setAt(0, 'X');
  assert.deepEqual(l.range(0, 2), ['X', 'f2', 'f1']);
  while (l.length > 0) l.popBack();
  assert.equal(l.popBack(), undefined);
  assert.equal(l.popFront(), undefined);
  assert.deepEqual(l.toArray(), []);
});

test('insertAt and removeAt shift either side', () => {
  const l = ListValue.from(['a', 'b', 'c', 'd', 'e']);
  l.insertAt(1, 'x');
  l.insertAt(5, 'y');
  l.insertAt(0, 'h');
  l.insertAt(l.length, 't');
  assert.deepEqual(l.toArray(), ['h', 'a', 'x', 'b', 'c', 'd', 'y', 'e', 't']);
  assert.equal(l.removeAt(2), 'x');
  assert.equal(l.removeAt(5), 'y');
  assert.equal(l.removeAt(0), 'h');
  assert.equal(l.removeAt(l.length - 1), 't');
  assert.deepEqual(l.toArray(), ['a', 'b', 'c', 'd', 'e']);
});

test('removeValue from the head, the tail, or all', () => {
  const base = ['a', 'x', 'b', 'x', 'c', 'x', 'd'];
  let l = ListValue.from(base);
  assert.equal(l.removeValue('x', 2), 2);
  assert.deepEqual(l.toArray(), ['a', 'b', 'c', 'x', 'd']);
  l = ListValue.from(base);
  assert.equal(l.removeValue('x', -2), 2);
  assert.deepEqual(l.toArray(), ['a', 'x', 'b', 'c', 'd']);
  l = ListValue.from(base);
  assert.equal(l.removeValue('x', 0), 3);
  assert.deepEqual(l.toArray(), ['a', 'b', 'c', 'd']);
  assert.equal(l.removeValue('zz', 0), 0);
});

test('trim, clone, encoding, memory', () => {
  const l = ListValue.from(['1', '2', '3', '4', '5']);
  const c = l.clone();
  l.trim(1, 2);
  assert.deepEqual(l.toArray(), ['2', '3']);
  assert.deepEqual(c.toArray(), ['1', '2', '3', '4', '5']);
  assert.equal(l.encoding(), 'quicklist');
  assert.equal(l.type, 'list');
  assert.ok(c.memoryUsage() > l.memoryUsage());
  l.trim(2, 0);
  assert.equal(l.length, 0);
});

type Op =
  | { k: 'pushF' | 'pushB'; v: string }
  | { k: 'popF' | 'popB' }
  | { k: 'set' | 'ins'; i: number; v: string }
  | { k: 'del'; i: number }
  | { k: 'rem'; v: string; n: number }
  | { k: 'trim'; a: number; b: number }
  | { k: 'many'; n: number };

const val = fc.constantFrom('a', 'b', 'c', '', 'x\x00y');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constantFrom('pushF' as const, 'pushB' as const), v: val }),
  fc.record({ k: fc.constantFrom('popF' as const, 'popB' as const) }),
  fc.record({ k: fc.constantFrom('set' as const, 'ins' as const), i: fc.nat(60), v: val }),
  fc.record({ k: fc.constant('del' as const), i: fc.nat(60) }),
  fc.record({ k: fc.constant('rem' as const), v: val, n: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ k: fc.constant('trim' as const), a: fc.nat(5), b: fc.nat(5) }),
  fc.record({ k: fc.constant('many' as const), n: fc.integer({ min: -40, max: 40 }) }),
);

/**
 * Applies one operation to the list and to the reference array, checking what it returns. `many` pushes n
 * elements (n > 0) or pops -n (n < 0): pushes at the back and pops at the front, or the other way round when
 * `front` is set.
 */
function apply(l: ListValue, ref: string[], o: Op, front: boolean, name: () => string): void {
  switch (o.k) {
    case 'pushF':
      l.pushFront(o.v);
      ref.unshift(o.v);
      break;
    case 'pushB':
      l.pushBack(o.v);
      ref.push(o.v);
      break;
    case 'popF':
      assert.equal(l.popFront(), ref.shift());
      break;
    case 'popB':
      assert.equal(l.popBack(), ref.pop());
      break;
    case 'set':
      if (ref.length > 0) {
        const i = o.i % ref.length;
        l.setAt(i, o.v);
        ref[i] = o.v;
      }
      break;
    case 'ins': {
      const i = o.i % (ref.length + 1);
      l.insertAt(i, o.v);
      ref.splice(i, 0, o.v);
      break;
    }
    case 'del':
      if (ref.length > 0) {
        const i = o.i % ref.length;
        assert.equal(l.removeAt(i), ref.splice(i, 1)[0]);
      }
      break;
    case 'rem': {
      const limit = o.n === 0 ? Infinity : Math.abs(o.n);
      const keep = ref.map(() => true);
      let removed = 0;
      const order = o.n >= 0 ? [...ref.keys()] : [...ref.keys()].reverse();
      for (const i of order) {
        if (removed < limit && ref[i] === o.v) {
          keep[i] = false;
          removed++;
        }
      }
      const next = ref.filter((_, i) => keep[i]);
      ref.length = 0;
      ref.push(...next);
      assert.equal(l.removeValue(o.v, o.n), removed);
      break;
    }
    case 'trim': {
      const a = Math.min(o.a, ref.length);
      const b = Math.min(o.b, ref.length - a);
      l.trim(a, b);
      ref.splice(0, a);
      ref.splice(ref.length - b, b);
      break;
    }
    case 'many':
      for (let i = 0; i < Math.abs(o.n); i++) {
        if (o.n > 0) {
          const v = name();
          if (front) {
            l.pushFront(v);
            ref.unshift(v);
          } else {
            l.pushBack(v);
            ref.push(v);
          }
        } else if (front) assert.equal(l.popBack(), ref.pop());
        else assert.equal(l.popFront(), ref.shift());
      }
      break;
  }
  assert.equal(l.length, ref.length);
}

test('property: any operation sequence matches an array', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const l = new ListValue();
      const ref: string[] = [];
      let n = 0;
      for (const o of ops) apply(l, ref, o, false, () => String(n++ % 40));
      assert.deepEqual(l.toArray(), ref);
      for (let i = 0; i < ref.length; i++) assert.equal(l.at(i), ref[i]);
      if (ref.length > 0) assert.equal(l.indexOf(ref[ref.length - 1]!), ref.indexOf(ref[ref.length - 1]!));
    }),
    { numRuns: 500 },
  );
});

// Long lists: past CHUNK (1024) elements the ring is made of chunks (src/types/list.ts). The same operations, with
// bursts long enough to cross into the chunked form, grow its directory with the head anywhere in a chunk, shrink
// it, and go back to a single ring.
const longOp: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: op, weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('many' as const), n: fc.integer({ min: -2600, max: 2600 }) }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('trim' as const), a: fc.nat(1500), b: fc.nat(1500) }), weight: 1 },
  {
    arbitrary: fc.record({ k: fc.constantFrom('set' as const, 'ins' as const), i: fc.nat(5000), v: val }),
    weight: 1,
  },
  { arbitrary: fc.record({ k: fc.constant('del' as const), i: fc.nat(5000) }), weight: 1 },
);

test('property: long lists (chunked form) match an array', () => {
  fc.assert(
    fc.property(fc.array(longOp, { maxLength: 60 }), fc.boolean(), (ops, first) => {
      const l = new ListValue();
      const ref: string[] = [];
      let n = 0;
      // Runs of pushes alternate ends, so the head moves through chunks in both directions.
      let front = first;
      for (const o of ops) {
        apply(l, ref, o, front, () => `m${n++}`);
        if (o.k === 'many') front = !front;
      }
      assert.deepEqual(l.toArray(), ref);
      for (let i = 0; i < ref.length; i += 7) assert.equal(l.at(i), ref[i]);
      if (ref.length > 2) assert.deepEqual(l.range(1, ref.length - 2), ref.slice(1, ref.length - 1));
    }),
    { numRuns: 150 },
  );
});

test('a list of a million grows and shrinks through every form', () => {
  const l = new ListValue();
  const N = 1 << 20;
  for (let i = 0; i < N; i++) {
    if (i % 3 === 0) l.pushFront(`f${i}`);
    else l.pushBack(`b${i}`);
  }
  assert.equal(l.length, N);
  assert.equal(l.at(0), `f${N - 1 - ((N - 1) % 3)}`);
  assert.equal(l.at(N - 1), `b${N - 1 - ((N - 1) % 3 === 0 ? 1 : 0)}`);
  const big = l.memoryUsage();
  // A million slots at least, in chunks, and not more than twice what the elements need.
  assert.ok(big >= N * 8 && big <= 64 + N * 2 * 8 + N * 16 + N * 8 + (N / 1024) * 64, String(big));
  let popped = 0;
  while (l.length > 10) {
    const v = popped % 2 === 0 ? l.popFront() : l.popBack();
    assert.ok(v !== undefined);
    popped++;
  }
  assert.equal(l.length, 10);
  assert.ok(l.memoryUsage() < 2000, String(l.memoryUsage()));
  assert.equal(l.toArray().length, 10);
});
