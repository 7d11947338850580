// Unit and property tests of the set type (src/types/random-set.ts) against a plain Set as reference: membership,
// sizes, O(1) random picks that are uniform, the intset/hashtable encoding Redis 7.0 would report, ascending
// order while an intset (kept as numbers while they fit a double exactly, as strings past that), clones, and the
// snapshot codec.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  RandomSet,
  SET_MAX_INTSET_ENTRIES,
  compareIntText,
  isInt64Text,
  sampleDistinct,
} from '../../src/types/random-set.js';
import { encodingLimits } from '../../src/types/encoding-limits.js';
import { ByteReader, ByteWriter } from '../../src/persistence/bytes.js';
import { decodeValue, encodeValue } from '../../src/persistence/codecs.js';
import '../../src/commands/set.js';

describe('isInt64Text', () => {
  const yes = ['0', '1', '-1', '9223372036854775807', '-9223372036854775808', '1234567890123456789', '-10'];
  const no = [
    '',
    '-',
    '+1',
    '01',
    '-0',
    ' 1',
    '1 ',
    '1.0',
    '9223372036854775808',
    '-9223372036854775809',
    '1e3',
    'abc',
    '00',
    '99999999999999999999',
  ];
  for (const s of yes) test(`accepts ${JSON.stringify(s)}`, () => assert.equal(isInt64Text(s), true));
  for (const s of no) test(`rejects ${JSON.stringify(s)}`, () => assert.equal(isInt64Text(s), false));
  test('agrees with BigInt round-tripping on random input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String), fc.string({ maxLength: 21 })),
        (s) => {
          let want = false;
          if (/^-?\d+$/.test(s)) {
            const v = BigInt(s);
            want = v.toString() === s && v >= -(2n ** 63n) && v < 2n ** 63n;
          }
          assert.equal(isInt64Text(s), want);
        },
      ),
    );
  });
  test('compareIntText orders by value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (a, b) => {
          const want = a < b ? -1 : a > b ? 1 : 0;
          assert.equal(Math.sign(compareIntText(a.toString(), b.toString())), want);
        },
      ),
    );
  });
});

describe('RandomSet against a reference Set', () => {
  const member = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
    // Across the packed widths (16 and 32 bits, then an array).
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(32767, 32768, -32769, 2147483647, 2147483648, -2147483649, 70000, -70000, 2 ** 40)
        .map(String),
    },
    { weight: 1, arbitrary: fc.constantFrom('a', 'b', '', '01', 'x\x00\xff') },
    // Integers at and past what a double holds exactly (the set keeps those as strings, still an intset).
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '9007199254740991',
        '-9007199254740991',
        '9007199254740992',
        '-9007199254740993',
        '9223372036854775807',
        '-9223372036854775808',
      ),
    },
  );
  const op = fc.oneof(
    fc.tuple(fc.constant('add' as const), member),
    fc.tuple(fc.constant('delete' as const), member),
    fc.tuple(fc.constant('pop' as const), fc.constant('')),
  );
  for (const limit of [SET_MAX_INTSET_ENTRIES, 5]) {
    test(`membership, size, order and encoding follow the reference after any operations (intset up to ${limit})`, () => {
      const saved = encodingLimits.setIntsetEntries;
      encodingLimits.setIntsetEntries = limit;
      try {
        fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => checkAgainstSet(ops, limit)));
      } finally {
        encodingLimits.setIntsetEntries = saved;
      }
    });
  }

  function checkAgainstSet(ops: ['add' | 'delete' | 'pop', string][], limit: number): void {
    const s = new RandomSet();
    const ref = new Set<string>();
    let intset = true;
    for (const [kind, m] of ops) {
      if (kind === 'add') {
        assert.equal(s.add(m), !ref.has(m));
        ref.add(m);
        if (!isInt64Text(m) || ref.size > limit) intset = false;
      } else if (kind === 'delete') {
        assert.equal(s.delete(m), ref.delete(m));
      } else {
        const p = s.popRandom();
        if (ref.size === 0) assert.equal(p, undefined);
        else {
          assert.ok(ref.has(p!));
          ref.delete(p!);
        }
      }
      assert.equal(s.size, ref.size);
      assert.equal(s.encoding(), intset ? 'intset' : 'hashtable');
    }
    assert.deepEqual([...s].sort(), [...ref].sort());
    for (const m of ref) assert.ok(s.has(m));
    for (const m of ['missing', '21', '-21', '1.5', '007']) assert.equal(s.has(m), ref.has(m));
    for (let i = 0; i < s.size; i++) assert.ok(ref.has(s.at(i)));
    if (intset) assert.deepEqual([...s.ordered()], [...ref].sort(compareIntText));
    else assert.deepEqual([...s.ordered()].sort(), [...ref].sort());
    if (ref.size > 0) assert.ok(ref.has(s.random()!));
    assert.ok(s.memoryUsage() > 0);
    const c = s.clone();
    assert.deepEqual([...c].sort(), [...s].sort());
    assert.equal(c.encoding(), s.encoding());
    c.add('zzz');
    assert.ok(!s.has('zzz'));
    assert.ok(c.has('zzz'));
    // A live SSCAN indexes the set (the numbers form becomes strings): contents and encoding stay.
    for (const [m, i] of s.scanMap) assert.equal(s.at(i), m);
    assert.deepEqual([...s].sort(), [...ref].sort());
    assert.equal(s.encoding(), intset ? 'intset' : 'hashtable');
    assert.equal(s.add('21'), !ref.has('21'));
    assert.ok(s.has('21'));
  }

  test('intset until 512 members, then hashtable for good', () => {
    const s = new RandomSet();
    for (let i = 0; i < SET_MAX_INTSET_ENTRIES; i++) s.add(String(i * 3 - 700));
    assert.equal(s.encoding(), 'intset');
    s.add('5000');
    assert.equal(s.encoding(), 'hashtable');
    s.delete('5000');
    s.delete('0');
    assert.equal(s.encoding(), 'hashtable');
    assert.equal(RandomSet.of(['1', 'a']).encoding(), 'hashtable');
    assert.equal(RandomSet.of(['9223372036854775807']).encoding(), 'intset');
    assert.equal(RandomSet.of([]).encoding(), 'intset');
  });

  test('random picks are uniform', () => {
    const s = RandomSet.of(['a', 'b', 'c', 'd', 'e']);
    s.delete('b');
    s.add('f');
    const counts = new Map<string, number>();
    const N = 50000;
    for (let i = 0; i < N; i++) {
      const m = s.random()!;
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), ['a', 'c', 'd', 'e', 'f']);
    for (const n of counts.values()) assert.ok(Math.abs(n - N / 5) < N / 25, `count ${n}`);
  });

  test('sampleDistinct gives k distinct indices in range, uniformly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (n, kk) => {
        const k = kk % (n + 1);
        const r = sampleDistinct(n, k);
        assert.equal(r.length, k);
        assert.equal(new Set(r).size, k);
        for (const i of r) assert.ok(Number.isInteger(i) && i >= 0 && i < n);
      }),
    );
    for (const k of [2, 8]) {
      const hits = new Array<number>(10).fill(0);
      for (let t = 0; t < 20000; t++) for (const i of sampleDistinct(10, k)) hits[i]!++;
      for (const h of hits) assert.ok(Math.abs(h - 2000 * k) < 200 * k, `k=${k} hits ${hits}`);
    }
  });

  test('the snapshot codec round-trips members and rebuilds the encoding', () => {
    for (const members of [
      ['1', '2', '-3'],
      ['a', 'b\x00\xff', ''],
      Array.from({ length: 600 }, (_, i) => String(i)),
    ]) {
      const s = RandomSet.of(members);
      const w = new ByteWriter(16);
      encodeValue(s, w);
      const back = decodeValue(new ByteReader(w.toBuffer())) as RandomSet;
      assert.equal(back.type, 'set');
      assert.deepEqual([...back].sort(), [...members].sort());
      assert.equal(back.encoding(), s.encoding());
    }
  });
});
