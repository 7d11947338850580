// The active expiry cycle: samples keys with a TTL a few times a second and removes the expired ones, within a
// time budget per cycle, so that keys nobody reads still go away without stalling clients.

import type { Database, Key } from './db.js';
import type { Server } from '../server/server.js';
import type { ExpireTable } from './expire-table.js';

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE = 10;
const SLOW_TIME_PERC = 25;
/** A fast cycle's budget in ms (Redis: 1000 µs), run between event-loop turns while many keys are stale. */
const FAST_DURATION_MS = 1;

export class ActiveExpire {
  private timer: NodeJS.Timeout | undefined;
  /** Live iterators over each database's expiry table; they survive inserts and deletes, as a Map's do. */
  private iters = new Map<number, { table: ExpireTable; it: Iterator<[Key, number]> }>();
  private nextDb = 0;
  private fastTimer: NodeJS.Timeout | undefined;
  private lastFast = 0;
  enabled = true;

  constructor(private readonly server: Server) {}

  start(): void {
    this.schedule();
    // A fast cycle before the first command, as Redis runs one before its event loop first sleeps: keys whose
    // time passed while the server was down (loaded from the log) are gone before anyone asks, not on a later tick.
    this.cycle(true);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fastTimer) clearTimeout(this.fastTimer);
    this.fastTimer = undefined;
  }

  /**
   * While cycles keep stopping at their time limit, short fast cycles run between event-loop turns (as Redis runs
   * them before each sleep), never more often than once per twice their duration, so a mass expiry finishes
   * quickly while each client waits at most one short cycle.
   */
  private scheduleFast(): void {
    if (this.fastTimer !== undefined || this.timer === undefined) return;
    const effort = this.server.config.values['active-expire-effort'] - 1;
    const dur = FAST_DURATION_MS + (FAST_DURATION_MS / 4) * effort;
    const wait = Math.max(0, this.lastFast + 2 * dur - performance.now());
    this.fastTimer = setTimeout(() => {
      this.fastTimer = undefined;
      this.lastFast = performance.now();
      this.cycle(true);
    }, wait);
    this.fastTimer.unref();
  }

  private schedule(): void {
    const hz = this.server.effectiveHz();
    this.timer = setTimeout(() => {
      this.cycle();
      // The rest of Redis's databasesCron that applies here: the key indexes' resizes move on.
      if (this.server.config.values.activerehashing) this.server.keyspace.rehashCron(1);
      this.schedule();
    }, 1000 / hz);
    this.timer.unref();
  }

  /**
   * One cycle, as Redis's activeExpireCycle: rotate over databases, stop early past the time budget (a slow
   * cycle's share of the hz period, or a fast cycle's millisecond).
   */
  cycle(fast = false): void {
    if (!this.enabled) return;
    const ks = this.server.keyspace;
    if (ks.frozenExpiry || ks.expiryPaused()) return;
    const t0 = performance.now();
    try {
      this.runCycle(fast);
    } finally {
      ks.stats.expireCycleUs += (performance.now() - t0) * 1000;
    }
  }

  private runCycle(fast: boolean): void {
    const server = this.server;
    const ks = server.keyspace;
    const effort = server.config.values['active-expire-effort'] - 1;
    const perLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
    const stale = ACCEPTABLE_STALE - effort;
    const hz = server.effectiveHz();
    const budgetMs = fast
      ? FAST_DURATION_MS + (FAST_DURATION_MS / 4) * effort
      : ((SLOW_TIME_PERC + 2 * effort) * 10) / hz;
    const start = performance.now();
    const dbs = ks.dbs;
    ks.tick();
    let sampledTotal = 0;
    let expiredTotal = 0;
    for (let n = 0; n < dbs.length; n++) {
      const db = dbs[this.nextDb]!;
      this.nextDb = (this.nextDb + 1) % dbs.length;
      if (db.expires.size === 0) {
        db.avgTtl = 0;
        continue;
      }
      let iterations = 0;
      for (;;) {
        let st = this.iters.get(db.id);
        if (!st || st.table !== db.expires) {
          st = { table: db.expires, it: db.expires.entries() };
          this.iters.set(db.id, st);
        }
        let sampled = 0;
        let expired = 0;
        let ttlSum = 0;
        let ttlSamples = 0;
        const want = Math.min(perLoop, db.expires.size);
        while (sampled < want) {
          const r = st.it.next();
          if (r.done) {
            st.it = db.expires.entries();
            if (db.expires.size === 0) break;
            continue;
          }
          sampled++;
          const [key, when] = r.value;
          if (ks.isExpired(when)) {
            db.expireNow(key);
            expired++;
          } else if (when > ks.now) {
            ttlSum += when - ks.now;
            ttlSamples++;
          }
        }
        if (ttlSamples > 0) {
          // INFO keyspace's avg_ttl, as Redis keeps it: the loop's mean TTL weighs 2% against the estimate so far
          // (in integer ms, truncated), and starts the estimate when there is none.
          const avg = Math.trunc(ttlSum / ttlSamples);
          if (db.avgTtl === 0) db.avgTtl = avg;
          db.avgTtl = Math.trunc(db.avgTtl / 50) * 49 + Math.trunc(avg / 50);
        }
        sampledTotal += sampled;
        expiredTotal += expired;
        iterations++;
        if ((iterations & 15) === 0 && performance.now() - start > budgetMs) {
          ks.stats.expiredTimeCapReached++;
          // Stopped at the time limit: there is more to expire, so fast cycles follow.
          this.scheduleFast();
          return;
        }
        if (sampled === 0 || (expired * 100) / sampled <= stale) break;
      }
    }
    if (sampledTotal > 0) {
      const perc = expiredTotal / sampledTotal;
      ks.stats.expiredStalePerc = perc * 0.05 + ks.stats.expiredStalePerc * 0.95;
    }
  }
}

// Expiry times are kept as JS numbers, exact up to 2^53 ms (year 287396). Redis accepts any 64-bit millisecond
// time, so the few keys given a later one keep the exact value here, beside their expiry table; an exact value
// counts only while it still rounds to what the table holds (a later plain setExpire makes it stale).
const exactExpires = new WeakMap<ExpireTable, Map<Key, bigint>>();

/** Sets a key's absolute expiry (Unix ms) from an exact 64-bit value. */
export function setExpireExact(db: Database, key: Key, when: bigint): void {
  const n = Number(when);
  db.setExpire(key, n);
  if (!Number.isSafeInteger(n)) {
    let m = exactExpires.get(db.expires);
    if (m === undefined) {
      m = new Map();
      exactExpires.set(db.expires, m);
    }
    m.set(key, when);
  }
}

/**
 * The exact 64-bit expiry recorded for `key` in the expiry table `expires` when its double `n` is not exact (beyond
 * 2^53 ms); undefined otherwise. Snapshots store it so a reload keeps the time Redis would.
 */
export function exactExpireIn(expires: ExpireTable, key: Key, n: number): bigint | undefined {
  if (Number.isSafeInteger(n)) return undefined;
  const b = exactExpires.get(expires)?.get(key);
  return b !== undefined && Number(b) === n ? b : undefined;
}

/** A key's absolute expiry (Unix ms) as an exact 64-bit value, or undefined when it has none. */
export function getExpireExact(db: Database, key: Key): bigint | undefined {
  const n = db.getExpire(key);
  if (n === undefined) return undefined;
  if (Number.isSafeInteger(n)) return BigInt(n);
  const b = exactExpires.get(db.expires)?.get(key);
  if (b !== undefined && Number(b) === n) return b;
  // A time loaded as a double may have rounded up past the 64-bit range (2^63 - 1 becomes 2^63).
  const v = BigInt(n);
  return v > INT64_MAX ? INT64_MAX : v;
}

const INT64_MAX = 2n ** 63n - 1n;
