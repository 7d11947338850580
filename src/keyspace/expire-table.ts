// A database's TTLs: key → expiry time (Unix ms), for the keys that have one (Database.expires).
//
// The part of the Map API its users need (get, has, set, delete, size, live entries() iteration), over a KeyTable
// (src/types/key-table.ts) with the times in a Float64Array by slot. A V8 Map was the largest cost of a write
// that sets a TTL (SET k v EX n, EXPIRE, GETEX): after a system call each Map lookup pays for walking its hash
// chain through scattered heap objects, and a write with a TTL made three of them (is the old TTL past, drop it,
// set the new one). The times are unboxed too: an expiry in ms does not fit a small integer, so a Map held a
// heap number per key.
//
// Slots are reused through a free list and never move except in a compaction (when fewer than a quarter are in
// use), which tells the KeyTable, so an iterator keeps a Map iterator's guarantees: every key present for the whole
// iteration is visited once, deleted ones are not, ones added meanwhile may be.

import { KeyTable, type SlotIterator } from '../types/key-table.js';

type Key = string;

/** Below this many slots the arrays are not compacted. */
const COMPACT_MIN = 64;

export class ExpireTable {
  private keys: (Key | undefined)[] = [];
  private times = new Float64Array(16);
  private free: number[] = [];
  private table = new KeyTable(this.keys);

  get size(): number {
    return this.table.size;
  }

  get(key: Key): number | undefined {
    const s = this.table.get(key);
    return s === undefined ? undefined : this.times[s]!;
  }

  has(key: Key): boolean {
    return this.table.has(key);
  }

  /** Sets key's expiry time. A new key is stored as given: pass the string the database keeps, not an argument. */
  set(key: Key, whenMs: number): this {
    const t = this.table;
    const found = t.get(key);
    if (found !== undefined) {
      this.times[found] = whenMs;
      return this;
    }
    const keys = this.keys;
    let s = this.free.pop();
    if (s === undefined) {
      s = keys.length;
      keys.push(key);
      if (s >= this.times.length) {
        const grown = new Float64Array(this.times.length * 2);
        grown.set(this.times);
        this.times = grown;
      }
    } else keys[s] = key;
    this.times[s] = whenMs;
    t.set(key, s);
    return this;
  }

  delete(key: Key): boolean {
    const s = this.table.take(key);
    if (s === undefined) return false;
    this.keys[s] = undefined;
    this.free.push(s);
    if (this.keys.length >= COMPACT_MIN && this.table.size * 4 < this.keys.length) this.compact();
    return true;
  }

  /** Moves every key to the lowest slots, in slot order, and drops the free tail. */
  private compact(): void {
    const keys = this.keys;
    const times = this.times;
    let to = 0;
    for (let from = 0; from < keys.length; from++) {
      const k = keys[from];
      if (k === undefined) continue;
      if (from !== to) {
        keys[to] = k;
        keys[from] = undefined;
        times[to] = times[from]!;
        this.table.move(k, from, to);
      }
      to++;
    }
    keys.length = to;
    this.free = [];
    if (times.length > 16 && to * 4 < times.length) this.times = times.slice(0, Math.max(16, to * 2));
  }

  /** [key, expiry ms] pairs, live (see the top of the file). */
  entries(): ExpireIterator {
    return new ExpireIterator(this.table.entries(), this);
  }

  [Symbol.iterator](): ExpireIterator {
    return this.entries();
  }

  /** The time at a slot an iterator of this table just returned. */
  timeAt(slot: number): number {
    return this.times[slot]!;
  }
}

export class ExpireIterator implements IterableIterator<[Key, number]> {
  constructor(
    private readonly slots: SlotIterator,
    private readonly owner: ExpireTable,
  ) {}

  next(): IteratorResult<[Key, number]> {
    const r = this.slots.next();
    if (r.done === true) return { done: true, value: undefined };
    const [k, s] = r.value;
    return { done: false, value: [k, this.owner.timeAt(s)] };
  }

  [Symbol.iterator](): ExpireIterator {
    return this;
  }
}
