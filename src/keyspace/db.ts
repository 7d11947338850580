// Databases: the key → value maps, their expiry tables, lazy expiry, and the one change hook.

import type { RedisObject } from '../types/object.js';
import { BigString } from '../types/big-string.js';
import { LAZYFREE_THRESHOLD, freeEffort, type LazyfreeSettings } from './lazyfree.js';
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW } from './notify.js';
import { KeyTable, compactSlots, freeSlotBelow, hashBatch, keepRead } from '../types/key-table.js';
import { ExpireTable } from './expire-table.js';

/**
 * A key or a string value as stored: a latin1 string, one char per byte, so arbitrary bytes round-trip and the
 * string can key a Map. Never decode it as UTF-8.
 */
export type Key = string;

/** A stored value: a string (latin1, as Key) or one of the collection types. */
export type Value = string | RedisObject;

/** The low 24 bits of a slot's `lru` word are the access clock (seconds, wrapping, as Redis's LRU clock). */
export const LRU_CLOCK_MASK = 0xffffff;
/**
 * Bit 24 of a slot's `lru` word marks a string Redis would hold in its "raw" encoding whatever its content: one
 * grown or edited in place (APPEND, SETRANGE, SETBIT, BITFIELD) or built by BITOP. OBJECT ENCODING reports it.
 */
export const RAW_STRING_FLAG = 0x1000000;
/** Bit 25 of a slot's `lru` word marks a string Redis stores without trying the "int" encoding (INCRBYFLOAT's result). */
export const NOT_INT_STRING_FLAG = 0x2000000;

/**
 * A key's position in its database's parallel slot arrays (`keys`, `vals`, `lru`). A slot number is stable for as
 * long as its key lives, whatever else is inserted or deleted, EXCEPT across a compaction (see `Database.compact`),
 * which only runs where no caller holds a slot.
 */
export type Slot = number;

/** A key's value and access word taken out of a database (RENAME, MOVE) to be put back with `insertEntry`. */
export interface Detached {
  v: Value;
  lru: number;
}

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

/** The bytes a value keeps outside V8's heap: a BigString's storage. */
export function offHeapBytes(v: Value | undefined): number {
  return typeof v === 'object' && v instanceof BigString ? v.capacity : 0;
}

export function typeOf(v: Value): TypeName {
  return typeof v === 'string' ? 'string' : v.type;
}

/** What the change hook is told: 'new' is a key created, 'set' any other change to a key's value or TTL. */
export type ChangeKind = 'new' | 'set' | 'del' | 'expire' | 'flush';

export type ChangeListener = (db: Database, key: Key | null, kind: ChangeKind) => void;

/**
 * Told BEFORE a key's value or TTL is modified (key null: before a whole database is replaced). Point-in-time
 * snapshots serialise a key's old value here the first time it is written after their cut.
 */
export type BeforeWriteListener = (db: Database, key: Key | null) => void;

/** Seconds clock for LRU, like Redis's LRU clock (resolution 1s is what OBJECT IDLETIME shows). */
export function lruClock(): number {
  return Math.floor(Date.now() / 1000) & 0xffffff;
}

/** The most keys one `Database.prefetch` call reads ahead for. */
export const PREFETCH_MAX = 64;
const PREFETCH_SLOTS = new Int32Array(PREFETCH_MAX);

/** Below this many slots the arrays are never compacted (sampling retries stay cheap anyway). */
const COMPACT_MIN_SLOTS = 512;
/** Keys moved per cron call while the slot arrays are less than half used (see Database.compactStep). */
const COMPACT_STEP = 20_000;

export class Database {
  /** Slot → key; undefined for a free slot. Its length is `slotCount`. `dict` reads it. */
  keys: (Key | undefined)[] = [];
  /**
   * Key → slot (src/types/key-table.ts): an open-addressing index over `keys`, no per-key object; the key's
   * value and access word live in the parallel arrays below at that index.
   */
  dict = new KeyTable(this.keys);
  /** Slot → value; undefined for a free slot (cleared on delete so a big value is not kept alive). */
  vals: (Value | undefined)[] = [];
  /** Bytes of the BigStrings in `vals` (kept outside V8's heap, so outside its statistics): for used_memory. */
  offHeap = 0;
  /**
   * Slot → access word: the 24-bit clock (LRU seconds, or the LFU field in LFU mode) plus encoding flags in bits
   * 24/25. Capacity grows by doubling, so it may be longer than `keys`.
   */
  lru = new Uint32Array(16);
  /** Free slots below `keys.length`, reused last-freed first. */
  free: Slot[] = [];
  /** Absolute expiry in Unix milliseconds, for keys that have one. */
  expires = new ExpireTable();
  /** Average TTL estimate (ms) for INFO keyspace avg_ttl, kept by the active expiry cycle (src/keyspace/expire.ts). */
  avgTtl = 0;

  constructor(
    public id: number,
    readonly ks: Keyspace,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /** Number of slots, used and free: random samplers pick an index in [0, slotCount) and skip free ones. */
  get slotCount(): number {
    return this.keys.length;
  }

  /** The key's slot, after lazy expiry; no stats, no LRU touch (for writes and internal use). */
  lookup(key: Key): Slot | undefined {
    const s = this.dict.get(key);
    if (s === undefined) return undefined;
    if (this.expires.size !== 0) {
      const when = this.expires.get(key);
      if (when !== undefined && this.ks.isExpired(when)) {
        // While clients are paused the dataset must not change: the key reads as gone but stays.
        if (!this.ks.expiryPaused()) this.expireNow(key);
        return undefined;
      }
    }
    return s;
  }

  /** Lookup for writing: no statistics, but an access (LRU clock, LFU counter), as Redis's write lookup is. */
  lookupWrite(key: Key): Slot | undefined {
    const s = this.lookup(key);
    if (s !== undefined) this.touch(s);
    return s;
  }

  /**
   * Lookup for reading: counts hits/misses and refreshes the access clock unless the client asked not to. A miss
   * raises a `keymiss` event unless `notifyMiss` is false (OBJECT, as Redis's LOOKUP_NONOTIFY).
   */
  lookupRead(key: Key, touch = true, notifyMiss = true): Slot | undefined {
    const s = this.lookup(key);
    if (s === undefined) {
      this.ks.stats.misses++;
      if (this.ks.notifyFlags & NOTIFY_KEY_MISS && notifyMiss)
        this.ks.notifyHook(this, NOTIFY_KEY_MISS, 'keymiss', key);
      return undefined;
    }
    this.ks.stats.hits++;
    if (touch) this.touch(s);
    return s;
  }

  /** The value in a used slot. */
  value(slot: Slot): Value {
    return this.vals[slot]!;
  }

  /** The key in a used slot. */
  keyAt(slot: Slot): Key {
    return this.keys[slot]!;
  }

  /** The access word of a used slot (clock in the low 24 bits, encoding flags above). */
  lruAt(slot: Slot): number {
    return this.lru[slot]!;
  }

  /**
   * Reads the memory that looking up `keys[0..n)` (n at most PREFETCH_MAX) will read — index buckets, key
   * strings, access words, values — in a few loops over the whole batch, so a batch of requests takes its cache
   * misses together instead of one lookup at a time (see Client.readAhead). A hint: nothing changes, and a wrong
   * guess only costs the reads.
   */
  prefetch(keys: readonly Key[], n: number): void {
    const slots = PREFETCH_SLOTS;
    const hashes = hashBatch(keys, 0, n);
    this.dict.prefetchHashed(hashes, n, slots);
    let sink = 0;
    const vals = this.vals;
    const lru = this.lru;
    for (let i = 0; i < n; i++) {
      const s = slots[i]!;
      if (s < 0) continue;
      const v = vals[s];
      sink ^= lru[s]!;
      if (typeof v === 'string') sink ^= v.length;
    }
    keepRead(sink);
    // Every lookup checks the key's TTL once any key has one: its entry in the expires table too.
    if (this.expires.size !== 0) this.expires.prefetchHashed(hashes, n, slots);
  }

  /**
   * As `prefetch`, for members of collections: `members[i]` is a member (field) of the collection at
   * `owners[i]`. Consecutive members of one key are read ahead together by the collection (RedisObject.prefetch).
   */
  prefetchMembers(owners: readonly Key[], members: readonly string[], n: number): void {
    for (let i = 0; i < n;) {
      const key = owners[i]!;
      let j = i + 1;
      while (j < n && owners[j] === key) j++;
      const s = this.dict.get(key);
      if (s !== undefined) {
        const v = this.vals[s]!;
        if (typeof v !== 'string') v.prefetch?.(members, i, j, PREFETCH_SLOTS);
      }
      i = j;
    }
  }

  /**
   * Bytes the database spends on finding its keys rather than on them (INFO's used_memory_overhead counts these, as
   * Redis counts its dicts' tables and entries): the key index, the per-slot key, value and clock arrays, and the
   * expires table's likewise.
   */
  get overheadBytes(): number {
    return this.dict.indexBytes + this.keys.length * 16 + this.lru.byteLength + this.expires.overheadBytes;
  }

  /** Whether the key exists now, without touching it. */
  has(key: Key): boolean {
    return this.lookup(key) !== undefined;
  }

  /** A free slot for a new key (reused or appended), its key and value stored. */
  private allocSlot(key: Key, v: Value, lru: number): Slot {
    this.offHeap += offHeapBytes(v);
    let s = freeSlotBelow(this.free, this.keys.length);
    if (s === undefined) {
      s = this.keys.length;
      this.keys.push(key);
      this.vals.push(v);
      if (s >= this.lru.length) {
        const grown = new Uint32Array(this.lru.length * 2);
        grown.set(this.lru);
        this.lru = grown;
      }
    } else {
      this.keys[s] = key;
      this.vals[s] = v;
    }
    this.lru[s] = lru;
    this.dict.set(key, s);
    return s;
  }

  /** The clock field a brand-new key starts with. */
  private newClock(): number {
    const ks = this.ks;
    return ks.lfuMode ? ks.lfuNew() : ks.lruNow;
  }

  /**
   * Adds or overwrites a key. Removes any TTL unless keepTtl. Signals the change. A key whose TTL has passed is
   * expired first (as Redis's write lookup does): the new value is a new key.
   */
  set(key: Key, v: Value, keepTtl = false): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    let s = this.dict.get(key);
    if (s !== undefined && this.expires.size !== 0) {
      const when = this.expires.get(key);
      if (when !== undefined && this.ks.isExpired(when)) {
        this.expireNow(key);
        s = undefined;
      }
    }
    if (s === undefined) {
      this.allocSlot(key, v, this.newClock());
      if (this.ks.notifyFlags & NOTIFY_NEW) this.ks.notifyHook(this, NOTIFY_NEW, 'new', key);
      if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
      this.ks.changed(this, key, 'new');
      return;
    } else {
      if (this.ks.lazyfree.serverDel) this.ks.freedLazily(this.vals[s]!);
      this.offHeap += offHeapBytes(v) - offHeapBytes(this.vals[s]);
      this.vals[s] = v;
      // A new value: encoding flags go; the clock is refreshed (LRU) or the write counts as an access (LFU), as
      // Redis's write lookup then dbOverwrite do.
      const ks = this.ks;
      this.lru[s] = ks.lfuMode ? ks.lfuAccess(this.lru[s]! & LRU_CLOCK_MASK) : ks.lruNow;
    }
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.ks.changed(this, key, 'set');
  }

  /** Replaces the value of an existing key in place (same key and slot, TTL kept). Signals the change. */
  update(key: Key, slot: Slot, v: Value): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    this.offHeap += offHeapBytes(v) - offHeapBytes(this.vals[slot]);
    this.vals[slot] = v;
    this.lru[slot] = this.ks.lfuMode ? this.lru[slot]! & LRU_CLOCK_MASK : this.ks.lruNow;
    this.ks.changed(this, key, 'set');
  }

  /**
   * Keeps the off-heap count true when a stored value's storage changed in place (a BigString grown by a write,
   * src/commands/lookup.ts openBytes): `before` is what offHeapBytes gave for it before the change.
   */
  resized(v: Value, before: number): void {
    this.offHeap += offHeapBytes(v) - before;
  }

  /** Records an access: refreshes the LRU clock (or counts an LFU access), keeping the encoding flags. */
  touch(slot: Slot): void {
    const ks = this.ks;
    const w = this.lru[slot]!;
    this.lru[slot] = (w & ~LRU_CLOCK_MASK) | (ks.lfuMode ? ks.lfuAccess(w & LRU_CLOCK_MASK) : ks.lruNow);
  }

  /** Marks the string at `key` as held raw (see RAW_STRING_FLAG); call right after storing it. */
  markRaw(key: Key): void {
    this.markEncoding(key, RAW_STRING_FLAG);
  }

  /** Sets encoding flags (RAW_STRING_FLAG, NOT_INT_STRING_FLAG) on the slot of `key`. */
  markEncoding(key: Key, flags: number): void {
    const s = this.dict.get(key);
    if (s !== undefined) this.lru[s] = this.lru[s]! | flags;
  }

  /** Seconds since the key was last accessed (OBJECT IDLETIME), from the wrapping 24-bit clock. */
  idleSeconds(slot: Slot): number {
    const now = this.ks.lruNow;
    const last = this.lru[slot]! & LRU_CLOCK_MASK;
    return now >= last ? now - last : LRU_CLOCK_MASK - last + now;
  }

  /**
   * Deletes a key if present. Signals the change. `lazy` (by default lazyfree-lazy-server-del) counts the value
   * as Redis's lazy free would (INFO lazyfreed_objects).
   */
  delete(key: Key, lazy = this.ks.lazyfree.serverDel): boolean {
    if (this.unlink(key, lazy) === undefined) return false;
    this.ks.changed(this, key, 'del');
    return true;
  }

  /**
   * Inserts a value and access word taken from elsewhere (MOVE, RENAME, COPY, reload merges) without signalling.
   * An existing key keeps its slot and gets the new value and word.
   */
  insertEntry(key: Key, v: Value, lru: number): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    const s = this.dict.get(key);
    if (s !== undefined) {
      if (this.ks.lazyfree.serverDel) this.ks.freedLazily(this.vals[s]!);
      this.offHeap += offHeapBytes(v) - offHeapBytes(this.vals[s]);
      this.vals[s] = v;
      this.lru[s] = lru;
      return;
    }
    this.allocSlot(key, v, lru);
    if (this.ks.notifyFlags & NOTIFY_NEW) this.ks.notifyHook(this, NOTIFY_NEW, 'new', key);
  }

  /** Deletes without signalling and hands back the value and access word (for transfers: MOVE, RENAME). */
  remove(key: Key): Detached | undefined {
    const s = this.dict.get(key);
    if (s === undefined) return undefined;
    const d: Detached = { v: this.vals[s]!, lru: this.lru[s]! };
    this.unlink(key);
    return d;
  }

  /** Deletes without signalling; returns the freed slot, or undefined if the key is absent. No allocation. */
  private unlink(key: Key, lazy = false): Slot | undefined {
    const s = this.dict.get(key);
    if (s === undefined) return undefined;
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    if (lazy) this.ks.freedLazily(this.vals[s]!);
    this.dict.delete(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    this.offHeap -= offHeapBytes(this.vals[s]);
    const keys = this.keys;
    if (s === keys.length - 1) {
      // The last slot: drop it rather than queueing it (every queued slot stays below keys.length).
      keys.pop();
      this.vals.pop();
    } else {
      keys[s] = undefined;
      this.vals[s] = undefined;
      this.free.push(s);
    }
    return s;
  }

  getExpire(key: Key): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  setExpire(key: Key, whenMs: number): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    // The TTL table keeps the key string the database holds: the argument is a young copy the collector would move.
    const s = this.dict.get(key);
    this.expires.set(s === undefined ? key : this.keys[s]!, whenMs);
  }

  /** Removes the TTL; true if there was one. */
  persist(key: Key): boolean {
    if (this.ks.watchingWrites && this.expires.has(key)) this.ks.beforeWrite(this, key);
    return this.expires.delete(key);
  }

  /**
   * Must be called before mutating a stored value in place (a collection changed without `set`/`update`), so that
   * a snapshot in progress can save the old value first.
   */
  willWrite(key: Key): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
  }

  /** Removes an expired key: deletes it, propagates a DEL, and announces an `expired` event. */
  expireNow(key: Key): void {
    this.unlink(key, this.ks.lazyfree.expire);
    this.ks.stats.expiredKeys++;
    this.ks.keyExpired(this, key);
  }

  /** Removes every key. Signals one flush. */
  clear(): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, null);
    // The map and slot arrays are replaced, never cleared in place: a snapshot in progress keeps walking the old
    // dict and reading the old vals.
    this.keys = [];
    this.dict = new KeyTable(this.keys);
    this.vals = [];
    this.offHeap = 0;
    this.lru = new Uint32Array(16);
    this.free = [];
    this.expires = new ExpireTable();
    this.avgTtl = 0;
    this.ks.changed(this, null, 'flush');
  }

  /**
   * A uniformly chosen used slot (any TTL state), or undefined when empty. Picks indexes in [0, slotCount) and
   * retries on free slots; compacts first when fewer than a sixteenth of the slots are used (cron compacts in
   * bounded steps long before that), so the expected number of tries stays at most 16 (or bounded by
   * COMPACT_MIN_SLOTS / size for small arrays).
   * MAY MOVE SLOTS (compaction): callers must not hold slot numbers across this call.
   */
  sampleSlot(): Slot | undefined {
    if (this.dict.size === 0) return undefined;
    if (this.keys.length > COMPACT_MIN_SLOTS && this.dict.size * 16 < this.keys.length) this.compact();
    const keys = this.keys;
    const n = keys.length;
    for (;;) {
      const s = Math.floor(Math.random() * n);
      if (keys[s] !== undefined) return s;
    }
  }

  /** A uniformly chosen key, any TTL state; undefined when empty. May compact (see sampleSlot). */
  sampleKey(): Key | undefined {
    const s = this.sampleSlot();
    return s === undefined ? undefined : this.keys[s];
  }

  /** A uniformly chosen live key (expired picks are expired and skipped), or undefined when empty. May compact. */
  randomKey(): Key | undefined {
    for (let tries = 0; tries < 100 && this.dict.size > 0; tries++) {
      const k = this.sampleKey();
      if (k === undefined) return undefined;
      const when = this.expires.size ? this.expires.get(k) : undefined;
      if (when !== undefined && this.ks.isExpired(when)) {
        if (!this.ks.expiryPaused()) this.expireNow(k);
        continue;
      }
      return k;
    }
    return undefined;
  }

  /**
   * Takes a compaction step (compactStep) when fewer than half of more than COMPACT_MIN_SLOTS slots are used. Returns
   * whether it did. MOVES SLOTS: call only where no caller holds a slot number — from the sampling methods above
   * and from cron (between commands), never from inside a command handler.
   */
  maybeCompact(): boolean {
    const n = this.keys.length;
    if (n <= COMPACT_MIN_SLOTS || this.dict.size * 2 >= n) return false;
    this.compactStep(COMPACT_STEP);
    return true;
  }

  /**
   * Part of a compaction, bounded so that it never stalls the server: moves up to `maxMoves` keys from the end
   * of the arrays into free slots below them and trims the free tail. Repeated calls (from cron) finish the job.
   * MOVES SLOTS, like compact().
   */
  compactStep(maxMoves: number): void {
    const { vals, lru } = this;
    vals.length = compactSlots(this.dict, this.keys, this.free, maxMoves, (from, to) => {
      vals[to] = vals[from];
      lru[to] = lru[from]!;
      vals[from] = undefined;
    });
  }

  /**
   * Moves every used slot down over the free ones, in place, keeping relative order, and rewrites the dict's slot
   * numbers. The dict and vals objects stay the same, so a snapshot cut holding them stays consistent.
   */
  private compact(): void {
    const { keys, vals, dict } = this;
    const lru = this.lru;
    const n = keys.length;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k === undefined) continue;
      if (i !== j) {
        keys[j] = k;
        vals[j] = vals[i];
        lru[j] = lru[i]!;
        dict.move(k, i, j);
      }
      j++;
    }
    keys.length = j;
    vals.length = j;
    this.free = [];
    let cap = 16;
    while (cap < j) cap *= 2;
    if (cap * 2 < lru.length) this.lru = lru.slice(0, cap);
  }
}

export interface KeyspaceStats {
  hits: number;
  misses: number;
  expiredKeys: number;
  evictedKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReached: number;
  /** Time spent in active expiry cycles, µs (INFO expire_cycle_cpu_milliseconds). */
  expireCycleUs: number;
  /** Values Redis would have freed in its background thread (INFO lazyfreed_objects; see lazyfree.ts). */
  lazyfreedObjects: number;
}

/** Receives every key removed by expiry (for DEL effects and `expired` notifications). */
export type ExpiredListener = (db: Database, key: Key) => void;

/** Buckets activerehashing moves between looks at the clock. */
const REHASH_BUCKETS = 256;

/** All databases, the clock commands see, the change hook, and the dirty counter. */
export class Keyspace {
  dbs: Database[];
  /** The time commands see: fixed at the start of each command so one command sees one instant. */
  now = Date.now();
  lruNow = lruClock();
  /** Changes since the last save (Redis's server.dirty). */
  dirty = 0;
  stats: KeyspaceStats = {
    hits: 0,
    misses: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReached: 0,
    expireCycleUs: 0,
    lazyfreedObjects: 0,
  };
  /** Which deletions are lazy (the lazyfree-lazy-* settings; the server keeps them current). */
  lazyfree: LazyfreeSettings = { eviction: false, expire: false, serverDel: false, userDel: false, userFlush: false };
  private changeListeners: ChangeListener[] = [];
  private expiredListeners: ExpiredListener[] = [];
  /** The database activerehashing looks at next. */
  private rehashDb = 0;
  private beforeWriteListeners: BeforeWriteListener[] = [];
  /** True while someone listens before writes; Database methods test it so the hot path pays one check. */
  watchingWrites = false;
  /**
   * Enabled keyspace-notification classes (src/keyspace/notify.ts); 0 when notifications are off, so the hot
   * path tests one integer. `notifyHook` publishes the events the keyspace raises itself (expired, new, keymiss).
   */
  notifyFlags = 0;
  notifyHook: (db: Database, cls: number, event: string, key: Key) => void = () => {};
  /**
   * While set, called at the next keyspace notification of a command (src/keyspace/notify.ts `notify`), whether
   * or not events are enabled: client-side caching sends there the invalidations it holds for the running command's
   * own client until the command signals its key (src/server/tracking.ts).
   */
  beforeNotify: (() => void) | null = null;
  /** True while CLIENT PAUSE is in force: expired keys read as missing but are not removed (as Redis 7.0). */
  expiryPaused: () => boolean = () => false;
  /** When true (replaying effects, loading), keys are not expired lazily: the log says when they go. */
  frozenExpiry = false;
  /**
   * LFU mode (maxmemory-policy *-lfu): the low 24 bits of each slot's access word hold the LFU field instead of
   * the LRU clock. `touch` stores `lfuAccess(field)`; a new key starts with `lfuNew()`. The eviction code sets these.
   */
  lfuMode = false;
  lfuAccess: (field24: number) => number = (f) => f;
  lfuNew: () => number = () => 0;

  /** Counts a deleted value Redis would have handed to its lazy-free thread (INFO lazyfreed_objects). */
  freedLazily(v: Value): void {
    if (freeEffort(v) > LAZYFREE_THRESHOLD) this.stats.lazyfreedObjects++;
  }

  constructor(count: number) {
    this.dbs = [];
    for (let i = 0; i < count; i++) this.dbs.push(new Database(i, this));
  }

  /**
   * activerehashing, as Redis's databasesCron does it at each hz tick: moves one database's key index on with a
   * resize under way, for at most `budgetMs` (about 1 ms), a few hundred buckets at a time; databases with none
   * under way are passed over.
   */
  rehashCron(budgetMs: number): void {
    const dbs = this.dbs;
    const until = performance.now() + budgetMs;
    for (let n = 0; n < dbs.length; n++) {
      const db = dbs[this.rehashDb]!;
      if (db.dict.rehashStep(REHASH_BUCKETS)) {
        while (performance.now() < until && db.dict.rehashStep(REHASH_BUCKETS));
        return;
      }
      this.rehashDb = (this.rehashDb + 1) % dbs.length;
    }
  }

  tick(): void {
    const now = Date.now();
    this.now = now;
    this.lruNow = Math.floor(now / 1000) & 0xffffff;
    // Keep the cheap clock (see clockBase) on the wall clock. Date.now() is the wall clock rounded down, so each
    // reading bounds the true offset from the monotonic clock: at least `low`, less than `low + 1`. NTP slews the
    // monotonic clock with the wall clock, so the offset only moves when the wall clock is stepped: the base
    // follows the greatest lower bound seen (readings fall at every phase of the millisecond, so it settles a few
    // microseconds behind), and starts again from a reading that shows it ahead (a wall clock stepped back).
    const low = now - performance.now();
    if (low > this.clockBase || low + 1 <= this.clockBase) this.clockBase = low;
  }

  /**
   * Wall-clock milliseconds are `clockBase + performance.now()`: the dispatcher reads one monotonic clock per
   * command and derives both the command's instant and its duration from it (clock reads cost ~100 ns here).
   * `tick()` corrects the base against Date.now(): once settled it runs a few microseconds behind the wall clock,
   * never a millisecond, so a client that sends its clock plus 10 s as PXAT does not read a PTTL above 10 s.
   */
  clockBase = performance.timeOrigin;

  /** Fixes the commands' clock from a `performance.now()` reading taken by the caller. */
  tickAt(perfNow: number): void {
    const now = Math.floor(this.clockBase + perfNow);
    if (now === this.now) return;
    this.now = now;
    this.lruNow = Math.floor(now / 1000) & 0xffffff;
  }

  /** True while a command runs inside another (EXEC's): see timeNow. */
  nested = false;

  /**
   * The time for a command's TTL arithmetic (TTL, relative expiries, "already past" checks): the command's instant
   * at top level; inside EXEC, the time now. Redis reads its live clock there, while expiry checks keep the time
   * EXEC started at (`now`).
   */
  get timeNow(): number {
    return this.nested ? Math.floor(this.clockBase + performance.now()) : this.now;
  }

  isExpired(whenMs: number): boolean {
    return !this.frozenExpiry && this.now > whenMs;
  }

  onChange(l: ChangeListener): () => void {
    this.changeListeners.push(l);
    return () => {
      this.changeListeners = this.changeListeners.filter((x) => x !== l);
    };
  }

  /** Adds a listener told before every modification (see BeforeWriteListener); returns its remover. */
  onBeforeWrite(l: BeforeWriteListener): () => void {
    this.beforeWriteListeners.push(l);
    this.watchingWrites = true;
    return () => {
      this.beforeWriteListeners = this.beforeWriteListeners.filter((x) => x !== l);
      this.watchingWrites = this.beforeWriteListeners.length > 0;
    };
  }

  beforeWrite(db: Database, key: Key | null): void {
    for (const l of this.beforeWriteListeners) l(db, key);
  }

  onExpired(l: ExpiredListener): void {
    this.expiredListeners.push(l);
  }

  /** The one change hook: every modification of a key passes here. */
  changed(db: Database, key: Key | null, kind: ChangeKind): void {
    for (const l of this.changeListeners) l(db, key, kind);
  }

  keyExpired(db: Database, key: Key): void {
    if (this.notifyFlags & NOTIFY_EXPIRED) this.notifyHook(db, NOTIFY_EXPIRED, 'expired', key);
    this.changed(db, key, 'expire');
    for (const l of this.expiredListeners) l(db, key);
  }

  /** Swaps two databases' contents (SWAPDB). Signals a flush-like change on both. */
  swap(a: number, b: number): void {
    const da = this.dbs[a]!;
    const db = this.dbs[b]!;
    if (this.watchingWrites) {
      this.beforeWrite(da, null);
      this.beforeWrite(db, null);
    }
    [da.dict, db.dict] = [db.dict, da.dict];
    [da.keys, db.keys] = [db.keys, da.keys];
    [da.vals, db.vals] = [db.vals, da.vals];
    [da.offHeap, db.offHeap] = [db.offHeap, da.offHeap];
    [da.lru, db.lru] = [db.lru, da.lru];
    [da.free, db.free] = [db.free, da.free];
    [da.expires, db.expires] = [db.expires, da.expires];
    [da.avgTtl, db.avgTtl] = [db.avgTtl, da.avgTtl];
    this.changed(da, null, 'flush');
    this.changed(db, null, 'flush');
  }
}
