// The packed numbers of an intset (src/types/packed-ints.ts) against a plain sorted array: contents, order,
// lookups and the width, which grows as Redis's intset encoding grows (2, 4, then 8 bytes) and never shrinks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  NO_INTS,
  intAt,
  intsArray,
  intsInsert,
  intsLowerBound,
  intsRemove,
  intsSize,
  intsWidthBytes,
  type PackedInts,
} from '../../src/types/packed-ints.js';

/** Redis's intset encoding for a value: 2, 4 or 8 bytes. */
function redisWidth(v: number): number {
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

const value = fc.oneof(
  fc.integer({ min: -40, max: 40 }),
  fc.constantFrom(-32769, -32768, 32767, 32768, -2147483649, -2147483648, 2147483647, 2147483648, 65535, 65536),
  fc.integer({ min: -2147483648, max: 2147483647 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 40, -(2 ** 40)),
);

test('property: inserts and removals keep the numbers ascending, found, and at the widest width seen', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), value, fc.nat()), { maxLength: 300 }), (ops) => {
      let a: PackedInts = NO_INTS;
      const ref: number[] = [];
      let width = 2;
      for (const [add, v, pick] of ops) {
        if (add || ref.length === 0) {
          const i = intsLowerBound(a, v);
          assert.equal(i, ref.filter((x) => x < v).length);
          if (i < intsSize(a) && intAt(a, i) === v) continue;
          a = intsInsert(a, i, v);
          ref.splice(i, 0, v);
          width = Math.max(width, redisWidth(v));
        } else {
          const i = pick % ref.length;
          a = intsRemove(a, i);
          ref.splice(i, 1);
        }
        assert.equal(intsSize(a), ref.length);
        assert.equal(intsWidthBytes(a), width);
      }
      assert.deepEqual(intsArray(a), ref);
      for (let i = 0; i < ref.length; i++) {
        assert.equal(intAt(a, i), ref[i]);
        assert.equal(intsLowerBound(a, ref[i]!), i);
      }
    }),
    { numRuns: 300 },
  );
});

test('the packed forms: two-byte chars while within 32 bits, an array past them; empty is shared', () => {
  let a: PackedInts = NO_INTS;
  assert.equal(intsSize(a), 0);
  a = intsInsert(a, 0, 5);
  assert.equal(typeof a, 'string');
  assert.equal((a as string).length, 2);
  a = intsInsert(a, 1, 40000);
  assert.equal((a as string).length, 5);
  assert.deepEqual(intsArray(a), [5, 40000]);
  a = intsRemove(a, 1);
  assert.equal(intsWidthBytes(a), 4);
  assert.deepEqual(intsArray(a), [5]);
  a = intsInsert(a, 0, -(2 ** 33));
  assert.ok(Array.isArray(a));
  assert.deepEqual(intsArray(a), [-(2 ** 33), 5]);
  assert.equal(intsWidthBytes(a), 8);
  assert.deepEqual(intsArray(intsRemove(intsRemove(a, 0), 0)), []);
});
