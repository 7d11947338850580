// Databases: the key → value maps, their expiry tables, lazy expiry, and the one change hook.

import type { RedisObject } from '../types/object.js';
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW } from './notify.js';

/**
 * A key or a string value as stored: a latin1 string, one char per byte, so arbitrary bytes round-trip and the
 * string can key a Map. Never decode it as UTF-8.
 */
export type Key = string;

/** A stored value: a string (latin1, as Key) or one of the collection types. */
export type Value = string | RedisObject;

/** Entry.lru's low 24 bits are the access clock (seconds, wrapping, as Redis's LRU clock). */
export const LRU_CLOCK_MASK = 0xffffff;
/**
 * Entry.lru's bit 24 marks a string Redis would hold in its "raw" encoding whatever its content: one grown or
 * edited in place (APPEND, SETRANGE, SETBIT, BITFIELD) or built by BITOP. OBJECT ENCODING reports it.
 */
export const RAW_STRING_FLAG = 0x1000000;
/** Entry.lru's bit 25 marks a string Redis stores without trying the "int" encoding (INCRBYFLOAT's result). */
export const NOT_INT_STRING_FLAG = 0x2000000;

/**
 * One key's slot: the value, the access clock LRU/LFU and OBJECT IDLETIME read, and the key's position in the
 * database's key array (random sampling in O(1): RANDOMKEY, eviction).
 */
export class Entry {
  constructor(
    public v: Value,
    public lru: number,
    public idx: number,
  ) {}
}

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export function typeOf(v: Value): TypeName {
  return typeof v === 'string' ? 'string' : v.type;
}

/** What the change hook is told. */
export type ChangeKind = 'set' | 'del' | 'expire' | 'flush';

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

export class Database {
  dict = new Map<Key, Entry>();
  /** Every key, in no order, for O(1) random picks; Entry.idx is each key's position here. */
  keys: Key[] = [];
  /** Absolute expiry in Unix milliseconds, for keys that have one. */
  expires = new Map<Key, number>();
  /** Average TTL estimate for INFO keyspace avg_ttl. */
  avgTtl = 0;

  constructor(
    public id: number,
    readonly ks: Keyspace,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /** The entry, after lazy expiry; no stats, no LRU touch (for writes and internal use). */
  lookup(key: Key): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    if (this.expires.size !== 0) {
      const when = this.expires.get(key);
      if (when !== undefined && this.ks.isExpired(when)) {
        // While clients are paused the dataset must not change: the key reads as gone but stays.
        if (!this.ks.expiryPaused()) this.expireNow(key);
        return undefined;
      }
    }
    return e;
  }

  /**
   * Lookup for reading: counts hits/misses and refreshes the access clock unless the client asked not to. A miss
   * raises a `keymiss` event unless `notifyMiss` is false (OBJECT, as Redis's LOOKUP_NONOTIFY).
   */
  lookupRead(key: Key, touch = true, notifyMiss = true): Entry | undefined {
    const e = this.lookup(key);
    if (e === undefined) {
      this.ks.stats.misses++;
      if (this.ks.notifyFlags & NOTIFY_KEY_MISS && notifyMiss)
        this.ks.notifyHook(this, NOTIFY_KEY_MISS, 'keymiss', key);
      return undefined;
    }
    this.ks.stats.hits++;
    if (touch) this.touch(e);
    return e;
  }

  /** Whether the key exists now, without touching it. */
  has(key: Key): boolean {
    return this.lookup(key) !== undefined;
  }

  /**
   * Adds or overwrites a key. Removes any TTL unless keepTtl. Signals the change. A key whose TTL has passed is
   * expired first (as Redis's write lookup does): the new value is a new key.
   */
  set(key: Key, v: Value, keepTtl = false): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    let e = this.dict.get(key);
    if (e !== undefined && this.expires.size !== 0) {
      const when = this.expires.get(key);
      if (when !== undefined && this.ks.isExpired(when)) {
        this.expireNow(key);
        e = undefined;
      }
    }
    if (e === undefined) {
      this.dict.set(key, new Entry(v, this.ks.lruNow, this.keys.length));
      this.keys.push(key);
      if (this.ks.notifyFlags & NOTIFY_NEW) this.ks.notifyHook(this, NOTIFY_NEW, 'new', key);
    } else {
      e.v = v;
      e.lru = this.ks.lruNow;
    }
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.ks.changed(this, key, 'set');
  }

  /** Replaces the value of an existing entry in place (same key, TTL kept). Signals the change. */
  update(key: Key, e: Entry, v: Value): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    e.v = v;
    e.lru &= LRU_CLOCK_MASK;
    this.ks.changed(this, key, 'set');
  }

  /** Refreshes the entry's access clock, keeping its encoding flags. */
  touch(e: Entry): void {
    e.lru = (e.lru & ~LRU_CLOCK_MASK) | this.ks.lruNow;
  }

  /** Marks the string at `key` as held raw (see RAW_STRING_FLAG); call right after storing it. */
  markRaw(key: Key): void {
    this.markEncoding(key, RAW_STRING_FLAG);
  }

  /** Sets encoding flags (RAW_STRING_FLAG, NOT_INT_STRING_FLAG) on the entry at `key`. */
  markEncoding(key: Key, flags: number): void {
    const e = this.dict.get(key);
    if (e !== undefined) e.lru |= flags;
  }

  /** Seconds since the key was last accessed (OBJECT IDLETIME), from the wrapping 24-bit clock. */
  idleSeconds(e: Entry): number {
    const now = this.ks.lruNow;
    const last = e.lru & LRU_CLOCK_MASK;
    return now >= last ? now - last : LRU_CLOCK_MASK - last + now;
  }

  /** Deletes a key if present. Signals the change. */
  delete(key: Key): boolean {
    if (this.remove(key) === undefined) return false;
    this.ks.changed(this, key, 'del');
    return true;
  }

  /** Inserts an entry taken from elsewhere (MOVE, RENAME, SWAPDB-free transfers) without signalling. */
  insertEntry(key: Key, e: Entry): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    const old = this.dict.get(key);
    if (old !== undefined) {
      e.idx = old.idx;
    } else {
      e.idx = this.keys.length;
      this.keys.push(key);
    }
    this.dict.set(key, e);
    if (old === undefined && this.ks.notifyFlags & NOTIFY_NEW) this.ks.notifyHook(this, NOTIFY_NEW, 'new', key);
  }

  /** Deletes without signalling (used when the caller signals itself, e.g. MOVE/RENAME bookkeeping). */
  remove(key: Key): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    this.dict.delete(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    const last = this.keys.pop()!;
    if (e.idx < this.keys.length) {
      this.keys[e.idx] = last;
      this.dict.get(last)!.idx = e.idx;
    }
    return e;
  }

  getExpire(key: Key): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  setExpire(key: Key, whenMs: number): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, key);
    this.expires.set(key, whenMs);
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
    this.remove(key);
    this.ks.stats.expiredKeys++;
    this.ks.keyExpired(this, key);
  }

  /** Removes every key. Signals one flush. */
  clear(): void {
    if (this.ks.watchingWrites) this.ks.beforeWrite(this, null);
    // The maps are replaced, never cleared in place: a snapshot in progress keeps walking the old ones.
    this.dict = new Map();
    this.keys = [];
    this.expires = new Map();
    this.avgTtl = 0;
    this.ks.changed(this, null, 'flush');
  }

  /** A uniformly chosen key, any TTL state; undefined when empty. O(1). */
  sampleKey(): Key | undefined {
    const n = this.keys.length;
    return n === 0 ? undefined : this.keys[Math.floor(Math.random() * n)];
  }

  /** A uniformly chosen live key (expired picks are expired and skipped), or undefined when empty. */
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
}

export interface KeyspaceStats {
  hits: number;
  misses: number;
  expiredKeys: number;
  evictedKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReached: number;
}

/** Receives every key removed by expiry (for DEL effects and `expired` notifications). */
export type ExpiredListener = (db: Database, key: Key) => void;

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
  };
  private changeListeners: ChangeListener[] = [];
  private expiredListeners: ExpiredListener[] = [];
  private beforeWriteListeners: BeforeWriteListener[] = [];
  /** True while someone listens before writes; Database methods test it so the hot path pays one check. */
  watchingWrites = false;
  /**
   * Enabled keyspace-notification classes (src/keyspace/notify.ts); 0 when notifications are off, so the hot
   * path tests one integer. `notifyHook` publishes the events the keyspace raises itself (expired, new, keymiss).
   */
  notifyFlags = 0;
  notifyHook: (db: Database, cls: number, event: string, key: Key) => void = () => {};
  /** True while CLIENT PAUSE is in force: expired keys read as missing but are not removed (as Redis 7.0). */
  expiryPaused: () => boolean = () => false;
  /** When true (replaying effects, loading), keys are not expired lazily: the log says when they go. */
  frozenExpiry = false;

  constructor(count: number) {
    this.dbs = [];
    for (let i = 0; i < count; i++) this.dbs.push(new Database(i, this));
  }

  tick(): void {
    const now = Date.now();
    this.now = now;
    this.lruNow = Math.floor(now / 1000) & 0xffffff;
    // Keep the cheap clock (see clockBase) on the wall clock: correct it when it has drifted by a millisecond.
    const drift = now - (this.clockBase + performance.now());
    if (drift >= 1 || drift <= -1) this.clockBase += drift;
  }

  /**
   * Wall-clock milliseconds are `clockBase + performance.now()`: the dispatcher reads one monotonic clock per
   * command and derives both the command's instant and its duration from it (clock reads cost ~100 ns here).
   * `tick()` corrects the base against Date.now() so it never drifts from the wall clock by a millisecond.
   */
  clockBase = performance.timeOrigin;

  /** Fixes the commands' clock from a `performance.now()` reading taken by the caller. */
  tickAt(perfNow: number): void {
    const now = Math.floor(this.clockBase + perfNow);
    if (now === this.now) return;
    this.now = now;
    this.lruNow = Math.floor(now / 1000) & 0xffffff;
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
    [da.expires, db.expires] = [db.expires, da.expires];
    [da.avgTtl, db.avgTtl] = [db.avgTtl, da.avgTtl];
    this.changed(da, null, 'flush');
    this.changed(db, null, 'flush');
  }
}
