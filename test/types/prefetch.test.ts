// Reading ahead in collections (RedisObject.prefetch, used by Client.readAhead for the members a pipeline names):
// a hint that must change nothing and must cope with every form a collection takes — small forms without an
// index, big ones with holes left by deletes, members that are absent.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hash } from '../../src/types/hash.js';
import { RandomSet } from '../../src/types/random-set.js';
import { SortedSet } from '../../src/types/sorted-set.js';
import type { RedisObject } from '../../src/types/object.js';
import '../../src/commands/hash.js';

const out = new Int32Array(64);

/** 64 names: present, deleted and never-added members, interleaved. */
const names = (): string[] => Array.from({ length: 64 }, (_, i) => `m${(i * 7919) % 3000}`);

/** Reads ahead for names() in batches of 16; each batch's slots are -1 or below `slots` (the index's range). */
function prefetchAll(v: RedisObject, slots: number): void {
  const list = names();
  for (let from = 0; from < list.length; from += 16) {
    out.fill(-2);
    v.prefetch!(list, from, from + 16, out);
    for (let i = 0; i < 16; i++) assert.ok(out[i]! >= -1 && out[i]! < slots, `slot ${out[i]}`);
  }
}

/** True when a small form's read-ahead left the scratch untouched (no index: nothing read). */
function untouched(v: RedisObject): boolean {
  out.fill(-2);
  v.prefetch!(names(), 0, 64, out);
  return out.every((x) => x === -2);
}

describe('collection prefetch', () => {
  it('a set: small, then indexed with holes; membership unchanged', () => {
    const s = new RandomSet();
    for (let i = 0; i < 5; i++) s.add(`m${i}`);
    assert.ok(untouched(s), 'no index yet');
    for (let i = 5; i < 2000; i++) s.add(`m${i}`);
    for (let i = 0; i < 2000; i += 3) s.delete(`m${i}`);
    prefetchAll(s, 2000);
    for (let i = 0; i < 3000; i++) assert.equal(s.has(`m${i}`), i < 2000 && i % 3 !== 0, `m${i}`);
  });

  it('a hash: packed, then indexed with holes; fields and values unchanged', () => {
    const h = new Hash();
    for (let i = 0; i < 5; i++) h.set(`m${i}`, `v${i}`);
    assert.ok(untouched(h), 'no index yet');
    for (let i = 5; i < 2000; i++) h.set(`m${i}`, `v${i}`);
    for (let i = 0; i < 2000; i += 3) h.delete(`m${i}`);
    prefetchAll(h, 2000);
    for (let i = 0; i < 3000; i++) assert.equal(h.get(`m${i}`), i < 2000 && i % 3 !== 0 ? `v${i}` : undefined);
  });

  it('a sorted set: small, then grown with holes; scores unchanged', () => {
    const z = new SortedSet();
    for (let i = 0; i < 5; i++) z.insert(`m${i}`, i);
    assert.ok(untouched(z), 'no index yet');
    for (let i = 5; i < 2000; i++) z.insert(`m${i}`, i);
    for (let i = 0; i < 2000; i += 3) z.delete(`m${i}`);
    prefetchAll(z, 2000);
    for (let i = 0; i < 3000; i++) assert.equal(z.score(`m${i}`), i < 2000 && i % 3 !== 0 ? i : undefined);
  });
});
