// A string → slot index kept by open addressing (linear probing) in an Int32Array of (hash, slot) pairs and an
// array of the buckets' strings, the strings also in the owner's slot array: a database's key index
// (src/keyspace/db.ts), and the member index of hashes, sets and sorted sets. It replaces V8 Maps on the hottest
// paths of the server.
//
// Why not a Map: in a server every batch of requests is separated by system calls, and on machines whose kernel
// flushes the TLB at each one a random Map lookup pays for walking V8's hash chains through scattered heap
// objects (bench/lookup-after-syscall.ts). Here a lookup reads one bucket pair (hash, slot + 1) from a flat
// typed array, compares the stored 32-bit hash, and touches the string only on a hash match. Growing rehashes
// nothing: the hashes are in the table. Deleting shifts the following run back (no tombstones), so probes stay
// short under any mix of inserts and deletes. Measured against the build that used Maps (redis-benchmark -P 16
// -r 100000, 3 rounds alternating the two builds): GET -20% and MSET -35% server CPU per request.
//
// Each bucket's key string is also kept in a plain array beside the typed one (`bkeys`). A lookup reads it in
// parallel with the bucket's hash, so the string is two dependent memory reads away (bucket, string) instead of
// three (bucket, slot array, string): on a large table each of those is a cache and TLB miss. In-process, two
// builds alternating in one process, 100k random keys at pipelines of 16: GET -14%, INCR -13%, HSET -11%,
// SADD -7% CPU per request. The price is 8 bytes per bucket, 16-32 per key.
//
// The hash is FNV-1a over the string's chars with a per-process random seed, finished with murmur3's avalanche,
// so clients cannot choose keys that collide on every server.
//
// Iteration (`entries()`, `keys()`, `for … of`) walks the slot array in slot order, live, with a Map iterator's
// guarantees: every string present for the whole iteration is visited exactly once, ones added meanwhile may be
// visited, deleted ones are not. The owner tells the table when a string changes slot (`move`: a compaction, or
// a delete that fills its hole with the last element), and a live iterator that has already passed the new slot
// of a string it has not visited yet queues it. Iterators are held weakly, so a SCAN cursor dropped by its
// registry costs nothing here.

/** A key (latin1 string) and its slot, as in src/keyspace/db.ts. */
type Key = string;
type Slot = number;

const SEED = (Math.random() * 0x100000000) | 0;

/** The 32-bit hash of a key (latin1 string). */
export function hashKey(k: string): number {
  let h = SEED ^ k.length;
  const n = k.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A bucket key array of `n` empty entries. `new Array(n)` is a fast (holey) array up to 2^25 entries and a
 * dictionary beyond, so the biggest tables are filled by pushing instead (slower to make, as fast to use).
 */
function newKeyArray(n: number): (Key | undefined)[] {
  if (n <= 1 << 25) return new Array<Key | undefined>(n);
  const a: (Key | undefined)[] = [];
  for (let i = 0; i < n; i++) a.push(undefined);
  return a;
}

/** Gives the key of hash `h` at slot `from` the slot `to` in a bucket array; false when no bucket holds it. */
function moveIn(idx: Int32Array, mask: number, h: number, from: Slot, to: Slot): boolean {
  let b = h & mask;
  for (;;) {
    const s1 = idx[2 * b + 1]!;
    if (s1 === 0) return false;
    if (s1 === from + 1 && idx[2 * b] === h) {
      idx[2 * b + 1] = to + 1;
      return true;
    }
    b = (b + 1) & mask;
  }
}

/**
 * What the read-aheads (KeyTable.prefetch, touchSlots, Database.prefetch) read, folded into one number: kept, so
 * the reads have a use and are not optimised away.
 */
let _readSink = 0;

/** Keeps a number folded from reads made only to bring memory into the cache (see _readSink). */
export function keepRead(x: number): void {
  _readSink ^= x;
}

/**
 * Reads, for each slot `out[0..n)` a `KeyTable.prefetch` found (-1: none), the owner's cell `values[stride * slot +
 * offset]` and what it points to (a value string's header, a score): the per-slot data a lookup reads next.
 */
export function touchSlots(
  out: Int32Array,
  n: number,
  values: readonly unknown[],
  stride: number,
  offset: number,
): void {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const s = out[i]!;
    if (s < 0) continue;
    const v = values[stride * s + offset];
    if (typeof v === 'string') sink ^= v.length;
    else if (typeof v === 'number') sink ^= v | 0;
  }
  _readSink ^= sink;
}

/** The hashes a `hashBatch` leaves, shared: a batch's hashes are used before the next batch is hashed. */
let batchHashes = new Int32Array(64);

/**
 * The hashes of `keys[from..to)` (hashKey), in a shared array valid until the next call, for
 * `KeyTable.prefetchHashed`. The strings' first bytes are loaded in a loop of their own first: a loop of single
 * loads lets every miss be under way at once, where hashing each string as it arrives holds the next string's
 * load back behind the hash's work.
 */
export function hashBatch(keys: readonly Key[], from: number, to: number): Int32Array {
  const n = to - from;
  if (n > batchHashes.length) batchHashes = new Int32Array(n);
  const hashes = batchHashes;
  let sink = 0;
  for (let i = 0; i < n; i++) sink ^= keys[from + i]!.charCodeAt(0);
  for (let i = 0; i < n; i++) hashes[i] = hashKey(keys[from + i]!);
  _readSink ^= sink;
  return hashes;
}

/**
 * A free slot below `n` from an owner's free list, or undefined: slots at or past `n` (cut off by compaction) are
 * dropped as they come up.
 */
export function freeSlotBelow(free: Slot[], n: number): Slot | undefined {
  let s = free.pop();
  while (s !== undefined && s >= n) s = free.pop();
  return s;
}

/**
 * One bounded step of compacting an owner's slot array (stride 1) whose free slots are listed in `free`: moves up
 * to `maxMoves` keys from the end into free slots below them, telling `table` (so live iterators keep their
 * guarantees) and calling `moveData(from, to)` to move the owner's other per-slot data, then cuts the free tail
 * off `keys`. Free slots past the end are dropped from `free` as they come up. Returns the new slot count.
 */
export function compactSlots(
  table: KeyTable,
  keys: (Key | undefined)[],
  free: Slot[],
  maxMoves: number,
  moveData: (from: Slot, to: Slot) => void,
): number {
  let n = keys.length;
  for (let moves = 0; ; moves++) {
    while (n > 0 && keys[n - 1] === undefined) n--;
    if (moves >= maxMoves) break;
    const f = freeSlotBelow(free, n);
    if (f === undefined) break;
    const last = n - 1;
    const k = keys[last]!;
    keys[f] = k;
    keys[last] = undefined;
    moveData(last, f);
    table.move(k, last, f);
  }
  keys.length = n;
  return n;
}

/** Up to this many keys there is no bucket array: a lookup scans the slot array (most hashes and sets are small). */
const LINEAR_MAX = 8;
const MIN_BUCKETS = 32;
/**
 * Buckets of the table being left that each write moves into the new one (see `rebuild`): 8 when growing, 8 times
 * as many when shrinking, where the old buckets are four times the new and mostly empty.
 */
const MIGRATE_STEP = 8;
/** In the table being grown out of: a bucket whose key has moved to the new table or was deleted. */
const MOVED = -1;

/** The read side of a Map that SCAN cursors need (src/keyspace/scan.ts); Map and KeyTable both have it. */
export interface MapLike<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  entries(): Iterator<[K, V]>;
}

export class KeyTable implements MapLike<Key, Slot> {
  /**
   * Buckets as pairs: [2b] the key's hash, [2b + 1] its slot + 1 (0: empty). Null while the table holds at most
   * LINEAR_MAX keys: then the slot array itself is searched.
   */
  private idx: Int32Array | null = null;
  /**
   * The key of each bucket, beside `idx` (undefined where empty). A lookup reads the bucket's key here, in
   * parallel with its hash, instead of going through the slot array: one dependent memory access fewer on the
   * way to comparing the string.
   */
  private bkeys: (Key | undefined)[] = [];
  private mask = 0;
  /**
   * While the table grows or shrinks: the buckets it is leaving (pairs as in `idx`) and their keys. Their keys
   * move into `idx` a few buckets per write (`migrate`), as Redis rehashes incrementally, so no single write pays
   * for moving all of them: at 2 million keys growing took 0.2–0.5 s on a 2-core test machine, and shrinking 1M
   * buckets' worth 38 ms. A moved or deleted key leaves MOVED, never an empty bucket, so the probe runs of the keys
   * still there stay whole. Null when not resizing. (What growth still does at once is make the new key array: V8 fills it, and each fresh page faults,
   * about 50 ms for 2 million buckets there. Key arrays in chunks made as needed removed that, but the extra
   * dependent read cost lookups 4–10%.)
   */
  private old: Int32Array | null = null;
  private oldKeys: (Key | undefined)[] = [];
  private oldMask = 0;
  /** The next bucket of `old` to move. */
  private migrateAt = 0;
  /** Buckets of `old` each write moves. */
  private migrateStep = MIGRATE_STEP;
  size = 0;
  /** Live iterators, held weakly; created with the first iterator. */
  private iters: Set<WeakRef<SlotIterator>> | null = null;
  /** When `iters` grows past this, references to collected iterators are swept out. */
  private sweepAt = 64;

  /**
   * `slots` holds the keys: the key of slot s is `slots[s * stride]` (a database's slot array has stride 1; a
   * hash's field/value array stride 2). The table reads it and never writes it.
   */
  constructor(
    readonly slots: (Key | undefined)[],
    readonly stride = 1,
  ) {}

  /** A table over every key already in `slots` (undefined entries are free slots). */
  static over(slots: (Key | undefined)[], stride = 1): KeyTable {
    const t = new KeyTable(slots, stride);
    let n = 0;
    for (let i = 0; i < slots.length; i += stride) if (slots[i] !== undefined) n++;
    t.size = n;
    if (n > LINEAR_MAX) t.index(undefined, -1);
    return t;
  }

  /** The slot of `key` found by scanning the slot array (linear mode), or -1. */
  private scan(key: Key): number {
    const slots = this.slots;
    const stride = this.stride;
    for (let i = 0, s = 0; i < slots.length; i += stride, s++) if (slots[i] === key) return s;
    return -1;
  }

  /** The bucket holding `key`, or -1. */
  private find(idx: Int32Array, key: Key, h: number): number {
    const mask = this.mask;
    const bkeys = this.bkeys;
    let b = h & mask;
    for (;;) {
      const s1 = idx[2 * b + 1]!;
      const k = bkeys[b];
      if (s1 === 0) return -1;
      if (idx[2 * b] === h && k === key) return b;
      b = (b + 1) & mask;
    }
  }

  /** The bucket of `old` holding `key`, or -1 (MOVED buckets are passed over). */
  private findOld(old: Int32Array, key: Key, h: number): number {
    const mask = this.oldMask;
    const keys = this.oldKeys;
    let b = h & mask;
    for (;;) {
      const s1 = old[2 * b + 1]!;
      if (s1 === 0) return -1;
      if (s1 > 0 && old[2 * b] === h && keys[b] === key) return b;
      b = (b + 1) & mask;
    }
  }

  /**
   * Reads what looking up `keys[from..to)` will read first: each key's home bucket and the key string it holds.
   * Written as loops over the whole batch (hashes; buckets; key strings), so the cache misses within one loop do
   * not wait for each other: the processor overlaps them, where lookups one after another take them one at a
   * time. `out[i - from]` is left with the slot in key i's home bucket (the key's own slot when it sits there, as
   * most keys do), or -1. A hint: nothing changes.
   */
  prefetch(keys: readonly Key[], from: number, to: number, out: Int32Array): void {
    if (this.idx === null) {
      for (let i = 0; i < to - from; i++) out[i] = -1;
      return;
    }
    this.prefetchHashed(hashBatch(keys, from, to), to - from, out);
  }

  /**
   * As `prefetch`, for n keys whose hashes `hashBatch` left in `hashes[0..n)`: every KeyTable hashes a key alike,
   * so one batch of hashes serves each table the same keys are looked up in (a database's keys and its TTLs).
   */
  prefetchHashed(hashes: Int32Array, n: number, out: Int32Array): void {
    const idx = this.idx;
    if (idx === null) {
      for (let i = 0; i < n; i++) out[i] = -1;
      return;
    }
    let sink = 0;
    const mask = this.mask;
    for (let i = 0; i < n; i++) out[i] = hashes[i]! & mask;
    const bkeys = this.bkeys;
    for (let i = 0; i < n; i++) {
      const b = out[i]!;
      sink ^= idx[2 * b + 1]!;
      if (bkeys[b] === undefined) sink++;
    }
    for (let i = 0; i < n; i++) {
      const b = out[i]!;
      const k = bkeys[b];
      if (k !== undefined) sink ^= k.charCodeAt(0);
      out[i] = idx[2 * b + 1]! - 1;
    }
    _readSink ^= sink;
  }

  get(key: Key): Slot | undefined {
    const idx = this.idx;
    if (idx === null) {
      const s = this.scan(key);
      return s < 0 ? undefined : s;
    }
    const h = hashKey(key);
    const b = this.find(idx, key, h);
    if (b >= 0) return idx[2 * b + 1]! - 1;
    const old = this.old;
    if (old === null) return undefined;
    const ob = this.findOld(old, key, h);
    return ob < 0 ? undefined : old[2 * ob + 1]! - 1;
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Adds a key that is not in the table at `slot` (its slot may already hold it). To give a present key another
   * slot, use `move`.
   */
  set(key: Key, slot: Slot): this {
    this.size++;
    const idx = this.idx;
    if (idx === null) {
      if (this.size > LINEAR_MAX) this.index(key, slot);
      return this;
    }
    this.put(idx, this.bkeys, hashKey(key), key, slot);
    if (this.old !== null) this.migrate(this.migrateStep);
    if (this.size * 2 > this.mask + 1) this.rebuild((this.mask + 1) * 2);
    return this;
  }

  /**
   * Starts moving to `buckets` buckets (twice as many to grow, a quarter to shrink): the current ones become `old`,
   * whose keys each later write moves over `migrateStep` buckets at a time. A table grows at half full, so it has
   * at least half its old bucket count of inserts to go before it is half full again; moving 8 buckets per write
   * finishes long before. A table shrinks below an eighth full, and moving 64 buckets per write finishes within
   * about an eighth of its keys' worth of deletes, long before it could shrink again. A resize that finds the
   * previous one unfinished finishes it first.
   */
  private rebuild(buckets: number): void {
    if (this.old !== null) this.migrate(Infinity);
    this.migrateStep = buckets > this.mask ? MIGRATE_STEP : MIGRATE_STEP * 8;
    this.old = this.idx;
    this.oldKeys = this.bkeys;
    this.oldMask = this.mask;
    this.migrateAt = 0;
    this.idx = new Int32Array(buckets * 2);
    this.bkeys = newKeyArray(buckets);
    this.mask = buckets - 1;
    this.migrate(this.migrateStep);
  }

  /** Whether a resize is under way (both bucket arrays are in use). */
  get resizing(): boolean {
    return this.old !== null;
  }

  /**
   * activerehashing: moves up to `n` more buckets of a resize under way (writes move some on their own, but a table
   * nobody writes to would keep both bucket arrays); false once no resize is under way.
   */
  rehashStep(n: number): boolean {
    if (this.old === null) return false;
    this.migrate(n);
    return this.old !== null;
  }

  /** Moves the keys of up to `n` more buckets of `old` into the new buckets; drops `old` once all have moved. */
  private migrate(n: number): void {
    const old = this.old!;
    const keys = this.oldKeys;
    const idx = this.idx!;
    const bkeys = this.bkeys;
    const end = this.oldMask + 1;
    const stop = Math.min(end, this.migrateAt + n);
    for (let i = this.migrateAt; i < stop; i++) {
      const s1 = old[2 * i + 1]!;
      if (s1 > 0) {
        this.put(idx, bkeys, old[2 * i]!, keys[i]!, s1 - 1);
        old[2 * i + 1] = MOVED;
        keys[i] = undefined;
      }
    }
    this.migrateAt = stop;
    if (stop === end) {
      this.old = null;
      this.oldKeys = [];
    }
  }

  private put(idx: Int32Array, bkeys: (Key | undefined)[], h: number, key: Key, slot: Slot): void {
    const mask = this.mask;
    let b = h & mask;
    while (idx[2 * b + 1] !== 0) b = (b + 1) & mask;
    idx[2 * b] = h;
    idx[2 * b + 1] = slot + 1;
    bkeys[b] = key;
  }

  /**
   * Leaves linear mode: buckets for the keys in the slot array, and for `key` at `slot` (which it may not hold
   * yet) when a key is given.
   */
  private index(key: Key | undefined, slot: Slot): void {
    // Sized by what the array really holds, so the buckets can never fill up.
    let n = key === undefined ? 0 : 1;
    for (let i = 0, s = 0; i < this.slots.length; i += this.stride, s++)
      if (this.slots[i] !== undefined && s !== slot) n++;
    let buckets = MIN_BUCKETS;
    while (buckets < Math.max(n, this.size) * 2) buckets *= 2;
    const idx = new Int32Array(buckets * 2);
    const bkeys = newKeyArray(buckets);
    this.mask = buckets - 1;
    const slots = this.slots;
    const stride = this.stride;
    for (let i = 0, s = 0; i < slots.length; i += stride, s++) {
      const k = slots[i];
      if (k !== undefined && s !== slot) this.put(idx, bkeys, hashKey(k), k, s);
    }
    if (key !== undefined) this.put(idx, bkeys, hashKey(key), key, slot);
    this.idx = idx;
    this.bkeys = bkeys;
  }

  /**
   * Gives the key at slot `from` the slot `to` (a compaction or a delete that fills a hole). Found by its hash and
   * old slot number, so the slot array may already have changed.
   */
  move(key: Key, from: Slot, to: Slot): void {
    const idx = this.idx;
    if (idx !== null) {
      const h = hashKey(key);
      const old = this.old;
      if (!moveIn(idx, this.mask, h, from, to) && (old === null || !moveIn(old, this.oldMask, h, from, to)))
        throw new Error(`KeyTable.move: no key at slot ${from}`);
    }
    if (this.iters !== null) this.moved(key, from, to);
  }

  /** Deletes a key (its slot must still hold it). */
  delete(key: Key): boolean {
    return this.take(key) !== undefined;
  }

  /** Deletes a key and returns the slot it had, in one probe; undefined when absent. Its slot must still hold it. */
  take(key: Key): Slot | undefined {
    const idx = this.idx;
    if (idx === null) {
      const s = this.scan(key);
      if (s < 0) return undefined;
      this.size--;
      return s;
    }
    const h = hashKey(key);
    const b = this.find(idx, key, h);
    if (b < 0) {
      const old = this.old;
      if (old === null) return undefined;
      const ob = this.findOld(old, key, h);
      if (ob < 0) return undefined;
      const slot = old[2 * ob + 1]! - 1;
      old[2 * ob + 1] = MOVED;
      this.oldKeys[ob] = undefined;
      this.size--;
      this.afterDelete();
      return slot;
    }
    const slot = idx[2 * b + 1]! - 1;
    const mask = this.mask;
    const bkeys = this.bkeys;
    // Backward shift: entries after the hole that may sit closer to their home bucket move into it.
    let hole = b;
    let j = b;
    for (;;) {
      j = (j + 1) & mask;
      const s1 = idx[2 * j + 1]!;
      if (s1 === 0) break;
      const home = idx[2 * j]! & mask;
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      idx[2 * hole] = idx[2 * j]!;
      idx[2 * hole + 1] = s1;
      bkeys[hole] = bkeys[j];
      hole = j;
    }
    idx[2 * hole] = 0;
    idx[2 * hole + 1] = 0;
    bkeys[hole] = undefined;
    this.size--;
    this.afterDelete();
    return slot;
  }

  /** After a delete: the growth moves on, and a table that got small goes back to scanning or shrinks. */
  private afterDelete(): void {
    if (this.old !== null) this.migrate(this.migrateStep);
    const buckets = this.mask + 1;
    // Small again: back to scanning (the caller still holds the deleted key in its slot array for a moment, which
    // a scan would find, so the buckets are only dropped well below the limit, and the key is gone by the next call).
    if (this.size <= LINEAR_MAX / 2) {
      this.idx = null;
      this.bkeys = [];
      this.old = null;
      this.oldKeys = [];
    } else if (this.old === null && buckets > MIN_BUCKETS && this.size * 8 < buckets) {
      this.rebuild(Math.max(MIN_BUCKETS, buckets / 4));
    }
  }

  /** Bytes held by the bucket arrays (INFO/MEMORY accounting): 8 per bucket for hash and slot, 8 for the key. */
  get indexBytes(): number {
    if (this.idx === null) return 0;
    return this.idx.byteLength * 2 + (this.old === null ? 0 : this.old.byteLength * 2);
  }

  private moved(key: Key, from: Slot, to: Slot): void {
    for (const ref of this.iters!) {
      const it = ref.deref();
      if (it === undefined) this.iters!.delete(ref);
      else it.moved(key, from, to);
    }
  }

  /** A live iterator over [key, slot] in slot order (see the file comment). */
  entries(): SlotIterator {
    return this.entriesFrom(0);
  }

  /** A live iterator over [key, slot] in slot order from slot `from` (SCAN resuming a lost cursor). */
  entriesFrom(from: number): SlotIterator {
    const it = new SlotIterator(this, from);
    const iters = (this.iters ??= new Set());
    if (iters.size >= this.sweepAt) {
      for (const ref of iters) if (ref.deref() === undefined) iters.delete(ref);
      this.sweepAt = Math.max(64, iters.size * 2);
    }
    iters.add(new WeakRef(it));
    return it;
  }

  *keys(): IterableIterator<Key> {
    for (const [k] of this.entries()) yield k;
  }

  [Symbol.iterator](): SlotIterator {
    return this.entries();
  }
}

export class SlotIterator implements IterableIterator<[Key, Slot]> {
  /** Keys a compaction moved behind `pos` before they were visited. */
  private queued: Key[] = [];

  constructor(
    private readonly table: KeyTable,
    /** The next slot to look at. */
    private pos = 0,
  ) {}

  moved(key: Key, from: Slot, to: Slot): void {
    if (from >= this.pos && to < this.pos) this.queued.push(key);
  }

  /**
   * Whether the iteration has already visited `key`, which is present at `slot`. Keys only move to lower slots
   * (compaction, a delete filling its hole with the last key), so a key below the position has been visited unless
   * a move brought it there before its visit (it is then queued).
   */
  passed(key: Key, slot: Slot): boolean {
    return slot < this.pos && (this.queued.length === 0 || !this.queued.includes(key));
  }

  next(): IteratorResult<[Key, Slot]> {
    const t = this.table;
    while (this.queued.length !== 0) {
      const k = this.queued.pop()!;
      const s = t.get(k);
      if (s !== undefined && s < this.pos) return { done: false, value: [k, s] };
    }
    const slots = t.slots;
    const stride = t.stride;
    while (this.pos * stride < slots.length) {
      const s = this.pos++;
      const k = slots[s * stride];
      if (k !== undefined) return { done: false, value: [k, s] };
    }
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): SlotIterator {
    return this;
  }
}
