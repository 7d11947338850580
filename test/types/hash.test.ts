// Unit and property tests of the hash type (src/types/hash.ts) against a plain Map as reference: get/set/delete,
// listpack order (insertion order, kept across updates and deletes), the listpack → hashtable conversion at
// 512 fields or a field/value over 64 bytes (and at configured thresholds), the packed form of small hashes and
// its unpacking (past 8 fields, past 255-byte values, for a scan), random slots, clones, and the snapshot codec.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Hash, HASH_MAX_LISTPACK_ENTRIES, HASH_MAX_LISTPACK_VALUE } from '../../src/types/hash.js';
import { encodingLimits } from '../../src/types/encoding-limits.js';
import { ByteReader, ByteWriter } from '../../src/persistence/bytes.js';
import { decodeValue, encodeValue } from '../../src/persistence/codecs.js';
import '../../src/commands/hash.js';

function listing(h: Hash): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < h.size; i++) out.push([h.fieldAt(i), h.valueAt(i)]);
  return out;
}

describe('Hash against a reference Map', () => {
  const field = fc.oneof(
    fc.constantFrom('a', 'b', 'c', 'd', 'e', '', '1', 'f\x00\xff', 'x'.repeat(65)),
    fc.integer({ min: 0, max: 24 }).map((n) => 'k' + n),
  );
  const value = fc.constantFrom('1', 'two', '', 'v'.repeat(64), 'v'.repeat(65), 'w'.repeat(255), 'w'.repeat(256));
  const op = fc.oneof(
    fc.tuple(fc.constant('set' as const), field, value),
    fc.tuple(fc.constant('delete' as const), field, fc.constant('')),
  );
  // The default thresholds; values long enough to stay a listpack past what fits a packed length char; and
  // fewer listpack entries than a packed hash holds.
  const limits = [
    { hashEntries: HASH_MAX_LISTPACK_ENTRIES, hashValue: HASH_MAX_LISTPACK_VALUE },
    { hashEntries: HASH_MAX_LISTPACK_ENTRIES, hashValue: 1000 },
    { hashEntries: 3, hashValue: HASH_MAX_LISTPACK_VALUE },
  ];
  for (const limit of limits) {
    test(`contents, order while a listpack, and encoding follow the reference (${limit.hashEntries} entries, ${limit.hashValue} bytes)`, () => {
      const saved = { ...encodingLimits };
      Object.assign(encodingLimits, limit);
      try {
        fc.assert(fc.property(fc.array(op, { maxLength: 150 }), (ops) => checkAgainstMap(ops, limit)));
      } finally {
        Object.assign(encodingLimits, saved);
      }
    });
  }

  function checkAgainstMap(
    ops: ['set' | 'delete', string, string][],
    limit: { hashEntries: number; hashValue: number },
  ): void {
    const h = new Hash();
    // A JS Map keeps insertion order across updates and deletes: the listpack's order.
    const ref = new Map<string, string>();
    let listpack = true;
    for (const [kind, f, v] of ops) {
      if (kind === 'set') {
        assert.equal(h.set(f, v), !ref.has(f));
        ref.set(f, v);
        if (f.length > limit.hashValue || v.length > limit.hashValue || ref.size > limit.hashEntries) listpack = false;
      } else {
        assert.equal(h.delete(f), ref.delete(f));
      }
      assert.equal(h.size, ref.size);
      assert.equal(h.encoding(), listpack ? 'listpack' : 'hashtable');
    }
    for (const [f, v] of ref) {
      assert.equal(h.get(f), v);
      assert.equal(h.getOwned(f), v);
      assert.ok(h.has(f));
    }
    assert.equal(h.get('missing'), undefined);
    assert.ok(!h.has('missing'));
    if (listpack) assert.deepEqual(listing(h), [...ref]);
    else assert.deepEqual(listing(h).sort(), [...ref].sort());
    assert.deepEqual([...h.entries()], listing(h));
    assert.ok(h.memoryUsage() > 0);
    if (h.size > 0) {
      const s = h.randomSlot();
      assert.ok(s >= 0 && s < h.size);
    }
    const c = h.clone();
    assert.deepEqual(listing(c), listing(h));
    assert.equal(c.encoding(), h.encoding());
    c.set('new', 'x');
    assert.ok(!h.has('new'));
    assert.ok(c.has('new'));
    // A live HSCAN indexes the hash (a packed one unpacks): contents and order stay as they were.
    const before = listing(h);
    for (const [f, slot] of h.scanMap) assert.equal(h.fieldAt(slot), f);
    assert.deepEqual(listing(h), before);
    h.set('after-scan', 'y');
    assert.equal(h.get('after-scan'), 'y');
  }

  test('a packed hash unpacks past 16 fields, keeping order and values', () => {
    const h = new Hash();
    for (let i = 0; i < 40; i++) {
      assert.ok(h.set('f' + i, 'v'.repeat(i)));
      assert.equal(h.size, i + 1);
      for (let j = 0; j <= i; j++) {
        assert.equal(h.get('f' + j), 'v'.repeat(j));
        assert.equal(h.fieldAt(j), 'f' + j);
      }
    }
    assert.ok(h.delete('f0'));
    assert.equal(h.fieldAt(0), 'f1');
    assert.equal(h.encoding(), 'listpack');
  });

  test('listpack up to 512 fields, hashtable from 513 on, for good', () => {
    const h = new Hash();
    for (let i = 0; i < HASH_MAX_LISTPACK_ENTRIES; i++) h.set('f' + i, String(i));
    assert.equal(h.encoding(), 'listpack');
    h.set('f0', 'again');
    assert.equal(h.encoding(), 'listpack');
    h.set('extra', '1');
    assert.equal(h.encoding(), 'hashtable');
    h.delete('extra');
    h.delete('f1');
    assert.equal(h.encoding(), 'hashtable');
    assert.equal(h.size, HASH_MAX_LISTPACK_ENTRIES - 1);
    for (let i = 2; i < HASH_MAX_LISTPACK_ENTRIES; i++) assert.equal(h.get('f' + i), String(i));
  });

  test('deletes in a big hash keep every other field reachable', () => {
    const h = new Hash();
    const N = 5000;
    for (let i = 0; i < N; i++) h.set('f' + i, 'v' + i);
    for (let i = 0; i < N; i += 3) assert.ok(h.delete('f' + i));
    for (let i = 0; i < N; i++) assert.equal(h.get('f' + i), i % 3 === 0 ? undefined : 'v' + i);
    const seen = new Set<string>();
    for (let i = 0; i < h.size; i++) seen.add(h.fieldAt(i));
    assert.equal(seen.size, h.size);
  });

  test('the snapshot codec round-trips fields, values and order', () => {
    for (const n of [1, 3, 700]) {
      const h = new Hash();
      for (let i = 0; i < n; i++) h.set(i % 2 ? 'f\x00' + i : 'g' + i, i % 5 ? 'v\xff' + i : '');
      const w = new ByteWriter(16);
      encodeValue(h, w);
      const back = decodeValue(new ByteReader(w.toBuffer())) as Hash;
      assert.equal(back.type, 'hash');
      assert.deepEqual(listing(back), listing(h));
      assert.equal(back.encoding(), h.encoding());
    }
  });
});
