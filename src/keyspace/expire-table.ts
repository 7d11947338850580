// A database's TTLs: key → expiry time (Unix ms), for the keys that have one (Database.expires).
//
// The part of the Map API its users need (get, has, set, delete, size, live entries() iteration), over a KeyTable
// (src/types/key-table.ts) with the times in a Float64Array by slot. A V8 Map was the largest cost of a write
// that sets a TTL (SET k v EX n, EXPIRE, GETEX): after a system call each Map lookup pays for walking its hash
// chain through scattered heap objects, and a write with a TTL made three of them (is the old TTL past, drop it,
// set the new one). The times are unboxed too: an expiry in ms does not fit a small integer, so a Map held a
// heap number per key.
//
// Slots are reused through a free list and never move except in compaction, which tells the KeyTable, so an
// iterator keeps a Map iterator's guarantees: every key present for the whole iteration is visited once, deleted
// ones are not, ones added meanwhile may be. Compaction goes a few keys per delete while fewer than half the slots
// are in use (the last keys move down into free slots, and the free tail is cut off), so when most TTLs go at once,
// as a cache's do, no single delete pays for moving all the rest: done at once, at a quarter in use, one delete
// among 1M TTLs took 49 ms.

import { KeyTable, compactSlots, freeSlotBelow, keepRead, type SlotIterator } from '../types/key-table.js';

type Key = string;

/** Below this many slots the arrays are not compacted. */
const COMPACT_MIN = 64;
/** Keys a delete moves down while fewer than half the slots are in use. */
const COMPACT_STEP = 4;

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

  /**
   * Reads ahead for looking up n keys whose hashes are in `hashes` (KeyTable.prefetchHashed): their buckets and
   * the times of the keys found there. `out` is scratch of at least n entries.
   */
  prefetchHashed(hashes: Int32Array, n: number, out: Int32Array): void {
    this.table.prefetchHashed(hashes, n, out);
    const times = this.times;
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const s = out[i]!;
      if (s >= 0) sink += times[s]!;
    }
    keepRead(sink | 0);
  }

  /** Bytes of the table's own arrays (INFO's used_memory_overhead): its index, a key pointer and a time per slot. */
  get overheadBytes(): number {
    return this.table.indexBytes + this.keys.length * 8 + this.times.byteLength;
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
    let s = freeSlotBelow(this.free, keys.length);
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
    if (this.keys.length >= COMPACT_MIN && this.table.size * 2 < this.keys.length) this.compactStep(COMPACT_STEP);
    return true;
  }

  /**
   * Part of a compaction: moves up to `maxMoves` keys from the end of the slots into free slots below them, and
   * cuts off the free tail (and the times' spare room once it is four times what is used).
   */
  private compactStep(maxMoves: number): void {
    const n = compactSlots(this.table, this.keys, this.free, maxMoves, this.moveTime);
    const times = this.times;
    if (times.length > 16 && n * 4 < times.length) this.times = times.slice(0, Math.max(16, n * 2));
  }

  /** Moves a slot's time along with its key (compactSlots). */
  private readonly moveTime = (from: number, to: number): void => {
    this.times[to] = this.times[from]!;
  };

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
