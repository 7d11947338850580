// Eviction: which key goes when memory is over `maxmemory`, chosen as Redis 7.0 chooses (approximated by sampling),
// and the LFU counter that the allkeys-lfu / volatile-lfu policies keep in each key's access word.
//
// LRU and LFU policies sample `maxmemory-samples` keys per database on every pick and keep the best candidates
// seen so far in a small pool (16 entries, sorted by "idle" score, best last), so a few samples per pick still
// find keys close to the true least recently / least frequently used one. The score is the idle time in ms for
// LRU, 255 minus the decayed LFU counter for LFU, and "how soon it expires" for volatile-ttl. Random policies take
// a uniformly random key, visiting the databases in turn. volatile-* policies consider only keys with a TTL: while
// at least one key in DENSE_VOLATILE has one, they are found by sampling the keyspace uniformly and skipping keys
// without a TTL; when they are rarer, by a bounded walk over `Database.expires` (an ExpireTable, walked like a Map)
// from a rotating iterator, with a random skip so successive picks do not always see the same neighbours.
//
// LFU field (the low 24 bits of a key's access word in LFU mode): the top 16 bits are the time of the last decay
// in minutes (wrapping at 2^16), the low 8 bits a logarithmic access counter. A new key starts at LFU_INIT_VAL so
// it is not evicted before it had a chance to be accessed. An access first applies the decay (the counter loses
// one per `lfu-decay-time` minutes elapsed) and then increments the counter with probability
// 1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1), so the counter grows with the logarithm of the accesses.

import { LRU_CLOCK_MASK, type Database, type Key, type Keyspace } from './db.js';
import type { ExpireTable } from './expire-table.js';

/** The counter a new key starts with under an LFU policy. */
export const LFU_INIT_VAL = 5;
/** Candidates kept between picks (Redis's EVPOOL_SIZE). */
const POOL_SIZE = 16;
/**
 * When at least 1 key in this many has a TTL, volatile-* policies sample the whole keyspace uniformly and keep the
 * keys with a TTL; below that, they walk the expires map.
 */
const DENSE_VOLATILE = 8;

export type EvictionPolicyName =
  | 'noeviction'
  | 'allkeys-lru'
  | 'allkeys-lfu'
  | 'allkeys-random'
  | 'volatile-lru'
  | 'volatile-lfu'
  | 'volatile-random'
  | 'volatile-ttl';

/** The LFU counter arithmetic, parameterised by `lfu-log-factor` and `lfu-decay-time`. */
export class Lfu {
  logFactor = 10;
  decayTime = 1;

  constructor(private readonly ks: Keyspace) {}

  /** The 16-bit minutes clock of the command being run. */
  minutes(): number {
    return Math.floor(this.ks.now / 60000) & 0xffff;
  }

  /** The field of a brand-new key. */
  fresh(): number {
    return (this.minutes() << 8) | LFU_INIT_VAL;
  }

  /** The counter of `field` after the decay for the minutes elapsed since its last decay (not stored). */
  decayed(field: number): number {
    const counter = field & 0xff;
    if (this.decayTime === 0) return counter;
    const last = (field >>> 8) & 0xffff;
    const now = this.minutes();
    const elapsed = now >= last ? now - last : 0xffff - last + now;
    const periods = Math.floor(elapsed / this.decayTime);
    return periods > counter ? 0 : counter - periods;
  }

  /** The field after one access: decay, then a logarithmic increment, stamped with the current minute. */
  access(field: number): number {
    let counter = this.decayed(field);
    if (counter < 255) {
      const base = counter > LFU_INIT_VAL ? counter - LFU_INIT_VAL : 0;
      if (Math.random() < 1 / (base * this.logFactor + 1)) counter++;
    }
    return (this.minutes() << 8) | counter;
  }
}

/** A rotating walk over one database's expires map (volatile-* sampling). */
interface ExpiresWalk {
  map: ExpireTable;
  it: Iterator<[Key, number]>;
}

/** Picks the keys to evict under a policy. Holds the candidate pool between picks, as Redis does. */
export class Evictor {
  policy: EvictionPolicyName = 'noeviction';
  samples = 5;
  private readonly poolKey: (Key | undefined)[] = new Array<Key | undefined>(POOL_SIZE).fill(undefined);
  private readonly poolDb = new Int32Array(POOL_SIZE);
  private readonly poolScore = new Float64Array(POOL_SIZE);
  private readonly walks: (ExpiresWalk | undefined)[] = [];
  private nextDb = 0;

  constructor(
    private readonly ks: Keyspace,
    readonly lfu: Lfu,
  ) {}

  /** Forgets the candidates (the policy changed, so their scores mean something else). */
  resetPool(): void {
    this.poolKey.fill(undefined);
  }

  /**
   * The next key to evict under the policy, or undefined when there is none (noeviction, no key at all, or no key
   * with a TTL under a volatile-* policy). The key is still in its database; the caller deletes it.
   */
  pick(): { db: Database; key: Key } | undefined {
    const p = this.policy;
    if (p === 'noeviction') return undefined;
    if (p === 'allkeys-random' || p === 'volatile-random') return this.pickRandom(p === 'allkeys-random');
    return this.pickFromPool(p.startsWith('allkeys-'));
  }

  private pickRandom(allKeys: boolean): { db: Database; key: Key } | undefined {
    const dbs = this.ks.dbs;
    for (let i = 0; i < dbs.length; i++) {
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const db = dbs[this.nextDb]!;
      if (allKeys) {
        const key = db.sampleKey();
        if (key !== undefined) return { db, key };
      } else if (db.expires.size !== 0) {
        if (db.expires.size * DENSE_VOLATILE >= db.size) {
          for (let tries = 0; tries < DENSE_VOLATILE * 4; tries++) {
            const key = db.sampleKey();
            if (key !== undefined && db.expires.has(key)) return { db, key };
          }
        }
        const key = this.walkExpires(db, Math.floor(Math.random() * Math.min(db.expires.size, 64)) + 1);
        if (key !== undefined) return { db, key };
      }
    }
    return undefined;
  }

  private pickFromPool(allKeys: boolean): { db: Database; key: Key } | undefined {
    const dbs = this.ks.dbs;
    for (;;) {
      let total = 0;
      for (const db of dbs) {
        const n = allKeys ? db.size : db.expires.size;
        if (n === 0) continue;
        total += n;
        this.populate(db, allKeys);
      }
      if (total === 0 || this.poolKey[POOL_SIZE - 1] === undefined) return undefined;
      // The best candidate sits at the end of the pool; ghosts (keys gone since they were sampled) are dropped.
      while (this.poolKey[POOL_SIZE - 1] !== undefined) {
        const key = this.poolKey[POOL_SIZE - 1]!;
        const db = dbs[this.poolDb[POOL_SIZE - 1]!]!;
        this.removeLast();
        const alive = allKeys ? db.dict.has(key) : db.expires.has(key);
        if (alive) return { db, key };
      }
    }
  }

  /** Drops the best candidate, keeping the pool packed at its high end. */
  private removeLast(): void {
    const keys = this.poolKey;
    for (let j = POOL_SIZE - 1; j > 0; j--) {
      keys[j] = keys[j - 1];
      this.poolDb[j] = this.poolDb[j - 1]!;
      this.poolScore[j] = this.poolScore[j - 1]!;
    }
    keys[0] = undefined;
  }

  /** Samples keys of one database and offers each to the pool. */
  private populate(db: Database, allKeys: boolean): void {
    const n = this.samples;
    if (allKeys) {
      for (let i = 0; i < n; i++) {
        const slot = db.sampleSlot();
        if (slot === undefined) return;
        const key = db.keyAt(slot);
        this.offer(db.id, key, this.score(db, key, db.lruAt(slot)));
      }
      return;
    }
    const size = db.expires.size;
    if (size * DENSE_VOLATILE >= db.size) {
      // Keys with a TTL are common: sample the whole keyspace uniformly and keep those that have one.
      const ttl = this.policy === 'volatile-ttl';
      for (let tries = 0, taken = 0; taken < n && tries < n * DENSE_VOLATILE * 2; tries++) {
        const slot = db.sampleSlot();
        if (slot === undefined) return;
        const key = db.keyAt(slot);
        const when = db.expires.get(key);
        if (when === undefined) continue;
        taken++;
        this.offer(db.id, key, ttl ? Number.MAX_SAFE_INTEGER - when : this.score(db, key, db.lruAt(slot)));
      }
      return;
    }
    let walk = this.walks[db.id];
    if (walk === undefined || walk.map !== db.expires) {
      walk = { map: db.expires, it: db.expires.entries() };
      this.walks[db.id] = walk;
    }
    // A random skip (within the map's size) before each batch, so the walk does not always pair the same keys.
    let skip = size > n ? Math.floor(Math.random() * n) : 0;
    const take = Math.min(n, size);
    let taken = 0;
    let restarts = 0;
    while (taken < take) {
      const r = walk.it.next();
      if (r.done) {
        if (++restarts > 1) return;
        walk.it = db.expires.entries();
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      const [key, when] = r.value;
      const slot = db.dict.get(key);
      if (slot === undefined) continue;
      taken++;
      const score =
        this.policy === 'volatile-ttl' ? Number.MAX_SAFE_INTEGER - when : this.score(db, key, db.lruAt(slot));
      this.offer(db.id, key, score);
    }
  }

  /** The "idle" score of a key under an LRU or LFU policy: higher means a better candidate. */
  private score(db: Database, key: Key, word: number): number {
    const p = this.policy;
    if (p === 'volatile-ttl') return Number.MAX_SAFE_INTEGER - (db.expires.get(key) ?? Number.MAX_SAFE_INTEGER);
    if (p === 'allkeys-lfu' || p === 'volatile-lfu') return 255 - this.lfu.decayed(word & LRU_CLOCK_MASK);
    const now = this.ks.lruNow;
    const last = word & LRU_CLOCK_MASK;
    return (now >= last ? now - last : LRU_CLOCK_MASK - last + now) * 1000;
  }

  /** Next key of the rotating walk over a database's expires map, after skipping `skip - 1` keys. */
  private walkExpires(db: Database, skip: number): Key | undefined {
    let walk = this.walks[db.id];
    if (walk === undefined || walk.map !== db.expires) {
      walk = { map: db.expires, it: db.expires.entries() };
      this.walks[db.id] = walk;
    }
    let restarts = 0;
    for (;;) {
      const r = walk.it.next();
      if (r.done) {
        if (++restarts > 1) return undefined;
        walk.it = db.expires.entries();
        continue;
      }
      if (--skip > 0) continue;
      if (db.dict.has(r.value[0])) return r.value[0];
    }
  }

  /** Offers a candidate to the pool (kept sorted by score ascending; the lowest falls out when it is full). */
  private offer(dbId: number, key: Key, score: number): void {
    const keys = this.poolKey;
    const dbs = this.poolDb;
    const scores = this.poolScore;
    // Already a candidate: refresh its score in place by removing it first.
    for (let i = 0; i < POOL_SIZE; i++) {
      if (keys[i] === key && dbs[i] === dbId) {
        for (let j = i; j > 0; j--) {
          keys[j] = keys[j - 1];
          dbs[j] = dbs[j - 1]!;
          scores[j] = scores[j - 1]!;
        }
        keys[0] = undefined;
        break;
      }
    }
    // Entries are packed at the high end; find the first used index and where the score belongs.
    let first = 0;
    while (first < POOL_SIZE && keys[first] === undefined) first++;
    let k = first;
    while (k < POOL_SIZE && scores[k]! < score) k++;
    if (first > 0) {
      // Room at the low end: shift the smaller ones down by one.
      for (let j = first - 1; j < k - 1; j++) {
        keys[j] = keys[j + 1];
        dbs[j] = dbs[j + 1]!;
        scores[j] = scores[j + 1]!;
      }
      k--;
    } else {
      // Full: the smallest falls out, unless the new one is smaller still.
      if (k === 0) return;
      for (let j = 0; j < k - 1; j++) {
        keys[j] = keys[j + 1];
        dbs[j] = dbs[j + 1]!;
        scores[j] = scores[j + 1]!;
      }
      k--;
    }
    keys[k] = key;
    dbs[k] = dbId;
    scores[k] = score;
  }
}
