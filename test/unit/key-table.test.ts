// KeyTable (src/types/key-table.ts) against a Map as the model: lookups after any mix of inserts, deletes
// (backward shift), growth and shrinking, and compaction-style slot moves; and its live iteration, which must
// visit every key present for the whole iteration exactly once whatever happens meanwhile.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeyTable, hashKey } from '../../src/types/key-table.js';
import { Keyspace } from '../../src/keyspace/db.js';

/** A slot array and its table, driven like Database drives them (free slots reused, the last slot popped). */
class Model {
  slots: (string | undefined)[] = [];
  table = new KeyTable(this.slots);
  map = new Map<string, number>();
  free: number[] = [];

  insert(k: string): void {
    if (this.map.has(k)) return;
    let s = this.free.pop();
    while (s !== undefined && s >= this.slots.length) s = this.free.pop();
    if (s === undefined) {
      s = this.slots.length;
      this.slots.push(k);
    } else this.slots[s] = k;
    this.table.set(k, s);
    this.map.set(k, s);
  }

  remove(k: string): void {
    const s = this.map.get(k);
    assert.equal(this.table.delete(k), s !== undefined);
    if (s === undefined) return;
    this.map.delete(k);
    if (s === this.slots.length - 1) this.slots.pop();
    else {
      this.slots[s] = undefined;
      this.free.push(s);
    }
  }

  /** Moves up to n keys from the end into free slots below, as Database.compactStep does. */
  compact(n: number): void {
    const slots = this.slots;
    let len = slots.length;
    for (let moves = 0; ; moves++) {
      while (len > 0 && slots[len - 1] === undefined) len--;
      if (moves >= n) break;
      let f = this.free.pop();
      while (f !== undefined && f >= len) f = this.free.pop();
      if (f === undefined) break;
      const k = slots[len - 1]!;
      slots[f] = k;
      this.table.move(k, len - 1, f);
      this.map.set(k, f);
      slots[len - 1] = undefined;
    }
    slots.length = len;
  }

  check(): void {
    assert.equal(this.table.size, this.map.size);
    for (const [k, s] of this.map) assert.equal(this.table.get(k), s, `slot of ${k}`);
  }

  /** check(), and membership of every key k0…k(n-1) as the Map says. */
  checkKeys(n: number): void {
    this.check();
    for (let i = 0; i < n; i++) assert.equal(this.table.has(`k${i}`), this.map.has(`k${i}`));
  }

  /** Applies an insert, delete or compaction (iteration steps are the caller's). */
  apply(op: Op): void {
    if (op.t === 'ins') this.insert(`k${op.k}`);
    else if (op.t === 'del') this.remove(`k${op.k}`);
    else if (op.t === 'compact') this.compact(op.n);
  }
}

type Op = { t: 'ins'; k: number } | { t: 'del'; k: number } | { t: 'compact'; n: number } | { t: 'step'; n: number };

/** Operations on keys 0…keys-1; iteration steps of at most `maxStep` entries, so that an iteration spans many. */
const opArb = (keys: number, maxStep = 20): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ t: fc.constant('ins' as const), k: fc.nat(keys - 1) }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('del' as const), k: fc.nat(keys - 1) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('compact' as const), n: fc.integer({ min: 1, max: 50 }) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('step' as const), n: fc.integer({ min: 1, max: maxStep }) }) },
  );

describe('KeyTable', () => {
  it('answers like a Map after inserts, deletes, growth, shrinking and slot moves', () => {
    fc.assert(
      fc.property(fc.array(opArb(300), { maxLength: 2000 }), (ops) => {
        const m = new Model();
        for (const op of ops) m.apply(op);
        m.checkKeys(300);
      }),
      { numRuns: 200 },
    );
  });

  it('answers like a Map at every step while it grows a few buckets per write', () => {
    // Growth moves the old buckets' keys over MIGRATE_STEP buckets per write: lookups, deletes and slot moves
    // must find keys on either side of that move, and a key deleted or moved before its bucket has moved must
    // not come back. Checked after every operation, so states in the middle of a growth are seen.
    fc.assert(
      fc.property(fc.array(opArb(600), { minLength: 200, maxLength: 1500 }), (ops) => {
        const m = new Model();
        for (const op of ops) {
          m.apply(op);
          m.check();
        }
        m.checkKeys(600);
      }),
      { numRuns: 20 },
    );
    // Straight growth to 100,000 keys, then deleting every other one and moving the rest down.
    const m = new Model();
    for (let i = 0; i < 100_000; i++) {
      m.insert(`k${i}`);
      // The growth at 65,537 keys (to 262,144 buckets) has two tables until its 131,072 old buckets have moved,
      // 8 per insert: 16 bytes a bucket in each, then in the new one alone.
      if (i === 65_536) assert.equal(m.table.indexBytes, (131_072 + 262_144) * 16);
    }
    assert.equal(m.table.indexBytes, 262_144 * 16, 'the growth has finished');
    m.check();
    for (let i = 0; i < 100_000; i += 2) m.remove(`k${i}`);
    m.compact(100_000);
    m.checkKeys(100_000);
  });

  it("prefetch reads ahead and changes nothing: each key is given its home bucket's slot, or -1", () => {
    // A hint (Client.readAhead): a present key that sits in its home bucket is given its own slot, anything else
    // some key's slot or -1; a table in linear mode (no buckets) gives -1 throughout. Checked before, during and
    // after a growth (two bucket sets) and after deletes.
    const m = new Model();
    const out = new Int32Array(64);
    const batch = (from: number): string[] => Array.from({ length: 64 }, (_, i) => `k${(from + i * 37) % 5000}`);
    const probe = (label: string, settled = true): void => {
      const keys = batch(label.length * 101);
      m.table.prefetch(keys, 0, keys.length, out);
      let own = 0;
      let present = 0;
      for (let i = 0; i < keys.length; i++) {
        const s = out[i]!;
        assert.ok(s === -1 || (s >= 0 && s < m.slots.length && m.slots[s] !== undefined), `${label}: slot ${s}`);
        const want = m.map.get(keys[i]!);
        if (want !== undefined) {
          present++;
          if (s === want) own++;
        }
      }
      // At most half full, most keys sit in their home bucket. While a growth is under way, most are still in the
      // buckets being left, which prefetch does not read (a growth lasts an eighth of the table's size in writes).
      if (settled && present >= 16)
        assert.ok(own * 2 > present, `${label}: ${own} of ${present} keys given their own slot`);
      m.check();
    };
    for (let i = 0; i < 8; i++) m.insert(`k${i}`);
    m.table.prefetch(batch(0), 0, 64, out);
    assert.deepEqual([...out], new Array(64).fill(-1), 'linear mode');
    for (let i = 8; i < 2000; i++) m.insert(`k${i}`);
    probe('grown');
    while (m.table.indexBytes === 4096 * 16) m.insert(`k${m.map.size}`);
    probe('mid-growth', false);
    while (m.table.indexBytes !== 8192 * 16) m.insert(`k${m.map.size}`);
    probe('grown again');
    for (let i = 0; i < 5000; i += 3) m.remove(`k${i}`);
    probe('after deletes');
    m.checkKeys(5000);
  });

  it('small tables (scanned, no buckets) and their way into and out of buckets answer like a Map', () => {
    fc.assert(
      fc.property(fc.array(opArb(14), { maxLength: 400 }), (ops) => {
        const m = new Model();
        for (const op of ops) {
          m.apply(op);
          m.checkKeys(14);
          // Buckets above 8 keys; none at 4 or fewer (in between, whichever way it came).
          if (m.table.size > 8) assert.ok(m.table.indexBytes > 0);
          if (m.table.size <= 4) assert.equal(m.table.indexBytes, 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a live iteration visits every key present throughout exactly once, and no deleted key', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(199), { maxLength: 150 }),
        fc.array(opArb(200, 3), { maxLength: 600 }),
        (initial, ops) => {
          const m = new Model();
          for (const k of initial) m.insert(`k${k}`);
          const present = new Set(m.map.keys());
          const it = m.table.entries();
          const seen = new Map<string, number>();
          let finished = false;
          const step = (n: number): void => {
            for (let i = 0; i < n && !finished; i++) {
              const r = it.next();
              if (r.done) finished = true;
              else {
                const [k, s] = r.value;
                assert.equal(m.map.get(k), s, `visited ${k} at its current slot`);
                seen.set(k, (seen.get(k) ?? 0) + 1);
              }
            }
          };
          for (const op of ops) {
            if (op.t === 'ins') m.insert(`k${op.k}`);
            else if (op.t === 'del') {
              m.remove(`k${op.k}`);
              present.delete(`k${op.k}`);
            } else if (op.t === 'compact') m.compact(op.n);
            else step(op.n);
          }
          while (!finished) step(100);
          for (const k of present) assert.equal(seen.get(k), 1, `${k} present throughout, visited once`);
          for (const [k, n] of seen) assert.ok(n <= 1 || !present.has(k), `${k} visited ${n} times`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a key moved behind a live iteration by a compaction is still visited, once', () => {
    const m = new Model();
    for (let i = 0; i < 10; i++) m.insert(`k${i}`);
    const it = m.table.entries();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) seen.push(it.next().value![0]);
    m.remove('k1');
    m.compact(1); // k9 moves from slot 9 to slot 1, behind the iteration
    assert.equal(m.table.get('k9'), 1);
    for (let r = it.next(); !r.done; r = it.next()) seen.push(r.value[0]);
    assert.deepEqual(seen.sort(), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
  });

  it('many iterations under heavy deletes and compactions: every key present throughout is visited once', () => {
    let state = 12345;
    const rnd = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    for (let round = 0; round < 200; round++) {
      const m = new Model();
      for (let i = 0; i < 400; i++) m.insert(`k${i}`);
      const present = new Set(m.map.keys());
      const it = m.table.entries();
      const seen = new Map<string, number>();
      for (let r = it.next(); !r.done; r = it.next()) {
        seen.set(r.value[0], (seen.get(r.value[0]) ?? 0) + 1);
        const op = rnd(10);
        if (op < 4) {
          const k = `k${rnd(400)}`;
          m.remove(k);
          present.delete(k);
        } else if (op < 6) m.insert(`k${rnd(400)}`);
        else if (op < 8) m.compact(1 + rnd(5));
      }
      for (const k of present) assert.equal(seen.get(k), 1, `round ${round}: ${k} visited ${seen.get(k) ?? 0} times`);
    }
  });

  it('rehashStep (activerehashing) finishes a resize nobody writes to, every key found on the way', () => {
    const m = new Model();
    let i = 0;
    // Insert until a growth of a table of some size starts, then stop writing.
    while (i < 5000 || !m.table.resizing) m.insert(`key:${i++}`);
    let steps = 0;
    while (m.table.rehashStep(16)) {
      steps++;
      if (steps % 7 === 0) for (const [k, slot] of m.map) assert.equal(m.table.get(k), slot, k);
    }
    assert.ok(steps > 1, `moved in ${steps} steps`);
    assert.equal(m.table.resizing, false);
    assert.equal(m.table.rehashStep(16), false);
    for (const [k, slot] of m.map) assert.equal(m.table.get(k), slot, k);
    assert.equal(m.table.size, m.map.size);
  });

  it('Keyspace.rehashCron finishes the resize of a database nobody writes to', () => {
    const ks = new Keyspace(4);
    const db = ks.dbs[2]!;
    let i = 0;
    while (i < 5000 || !db.dict.resizing) db.set(`key:${i++}`, 'v');
    let ticks = 0;
    while (db.dict.resizing && ticks < 10_000) {
      ks.rehashCron(1);
      ticks++;
    }
    assert.equal(db.dict.resizing, false);
    assert.ok(ticks >= 1);
    for (let k = 0; k < i; k++) assert.equal(db.has(`key:${k}`), true);
  });

  it('grows from empty to a million keys and back, every key found at each size', () => {
    const m = new Model();
    const N = 1_000_000;
    for (let i = 0; i < N; i++) m.insert(`key:${i}`);
    assert.equal(m.table.size, N);
    for (let i = 0; i < N; i += 997) assert.equal(m.table.get(`key:${i}`), i);
    for (let i = 0; i < N; i++) if (i % 1000 !== 0) m.remove(`key:${i}`);
    assert.equal(m.table.size, 1000);
    for (let i = 0; i < N; i += 1000) assert.equal(m.table.get(`key:${i}`), i);
    assert.equal(m.table.get('key:1'), undefined);
    // Shrinking moves buckets as writes come: a few more, and the table has shrunk with the keys, to an eighth
    // full at least, 16 bytes per bucket.
    for (let i = 0; i < 1000; i++) {
      m.insert('extra');
      m.remove('extra');
    }
    m.checkKeys(0);
    assert.ok(m.table.indexBytes <= 1000 * 8 * 16, `index of ${m.table.indexBytes} bytes for 1000 keys`);
  });

  it('over() indexes an array that is already full (a copied collection), small or large', () => {
    for (const n of [0, 3, 8, 9, 500]) {
      const slots: (string | undefined)[] = [];
      for (let i = 0; i < n; i++) slots.push(`m${i}`, `v${i}`);
      const t = KeyTable.over(slots, 2);
      assert.equal(t.size, n);
      for (let i = 0; i < n; i++) assert.equal(t.get(`m${i}`), i);
      assert.equal(t.get('v0'), undefined, 'values are not keys');
      assert.equal(t.indexBytes > 0, n > 8);
    }
  });

  it('hashes binary keys and distinguishes keys of equal hash by content', () => {
    assert.equal(hashKey('\x00\xff'), hashKey('\x00\xff'));
    assert.notEqual(hashKey(''), hashKey('\x00'));
    const m = new Model();
    for (let i = 0; i < 256; i++) m.insert(String.fromCharCode(i));
    m.insert('');
    m.check();
  });
});
