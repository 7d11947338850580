// Clients blocked on keys (BLPOP, BLMOVE, BLMPOP, BZPOPMIN …): who waits on what, in what order, until when.
//
// How a family uses it (lists do this in src/commands/list.ts; sorted sets do the same):
//
//   const deadline = parseTimeout(argv[i]);          // absolute Unix ms, 0 = forever; Redis's errors thrown
//   … try the non-blocking form on the keys first; if it served, reply and return …
//   if (!c.server.blocking.canBlock(c)) return c.w.nullArray();   // inside MULTI/EXEC or a script: no blocking
//   c.server.blocking.block(c, keys, deadline, (key) => { … }, onTimeout?);
//
// `block` parks the client (c.blocked = true: its input is not processed) on each key of c.db, after any client
// already waiting on that key (FIFO per key). The keyspace change hook marks a key "ready" when it is written
// while someone waits on it; ready keys are served after the whole execution unit that wrote them (a top-level
// command, or an EXEC with everything it ran), in the order they became ready, as Redis's
// handleClientsBlockedOnKeys does. For each ready key, the waiters on it are offered the key in FIFO order
// while it exists: the waiter's `tryServe(key)` callback
//   - returns false to keep waiting (the key is not of its type, or holds nothing for it);
//   - or does the work of the non-blocking form (mutations through Database methods, keyspace.dirty bumped),
//     adds that form's effect with `server.effects.add(db.id, argv)` (each service is its own effects unit),
//     writes the reply through c.w, and returns true: the client is unblocked and resumes its pipeline;
//   - or throws a ReplyError: that error is the reply and the client is unblocked (BLMOVE onto a wrong type).
// It runs with the keyspace clock fixed. At the deadline `onTimeout(c)` replies (default: a null array, as
// Redis replies to every timed-out key-blocked client). A blocked client that disconnects (or is killed) is
// forgotten entirely. `unblock(c, error)` is CLIENT UNBLOCK's hook: TIMEOUT behaves as the deadline, ERROR replies
// "-UNBLOCKED …".

import { Err, ReplyError } from '../errors.js';
import { typeOf, type Database, type Key } from '../keyspace/db.js';
import type { Client } from './client.js';
import type { Server } from './server.js';
import { parseLongDouble } from '../types/long-double.js';

/** Called with a key that became ready; returns true when the client was served (see the top of the file). */
export type TryServe = (key: Key) => boolean;

export const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/**
 * Whether the value at `key` is of a type a blocked command can be served from (a list or a sorted set). Only
 * those make a waited key ready, as Redis signals a key only for such types: a string, hash or set arriving under
 * a waited name wakes nobody and is not even looked up (which would expire it if it came already expired).
 */
function canServe(db: Database, key: Key): boolean {
  const e = db.dict.get(key);
  if (e === undefined) return false;
  const t = typeOf(db.vals[e]!);
  return t === 'list' || t === 'zset';
}

interface Waiter {
  readonly client: Client;
  readonly db: Database;
  readonly keys: readonly Key[];
  /** Absolute Unix ms, 0 = forever. */
  readonly deadline: number;
  readonly tryServe: TryServe;
  readonly onTimeout: (c: Client) => void;
  timer: NodeJS.Timeout | undefined;
  /**
   * The command blocked right after CLIENT REPLY SKIP: its reply, whenever it comes (served, timed out,
   * unblocked), is dropped, as Redis keeps the skip until the blocked command ends.
   */
  readonly skipReply: boolean;
  /**
   * Serving it changes the key it is served from without invalidating it for tracking clients: BLPOP, BRPOP and
   * BLMOVE, as in Redis, whose push to that key invalidated it already. BLMPOP and the sorted-set commands
   * invalidate as their non-blocking forms do.
   */
  readonly quietServe: boolean;
}

/** Where a waiter's reply will start when it is to be dropped (CLIENT REPLY OFF, or SKIP before it blocked); else -1. */
function silentFrom(w: Waiter): number {
  const c = w.client;
  return w.skipReply || c.replyMode === 'off' ? c.out.mark() : -1;
}

/** Drops what was written to c's output since `mark` (from silentFrom; -1: nothing to drop). */
function dropSince(c: Client, mark: number): void {
  if (mark >= 0) c.out.takeBack(mark);
}

/** setTimeout's largest delay; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Deadlines past this are never reached (Redis's overflowing ones included): wait forever. */
const FOREVER_MS = 2 ** 53;

/**
 * A blocking command's timeout in seconds (fractional allowed), as Redis 7.0.15 parses it: a long double times
 * 1000, rounded up to whole milliseconds (so 0.0004 is 1 ms, -0.0009 is 0). Returns the absolute deadline in Unix
 * ms, or 0 for "forever" (a timeout of 0 ms). Throws Redis's errors.
 */
export function parseTimeout(arg: string, now = Date.now()): number {
  let ms: number;
  if (SMALL_UINT.test(arg)) {
    ms = Number(arg) * 1000;
  } else {
    const ld = parseLongDouble(arg);
    if (ld === undefined || ld.kind === 'nan') throw new ReplyError(Err.timeoutNotFloat);
    // Infinity converts to LLONG_MIN: "negative".
    ms = ld.kind === 'inf' ? -1 : longDoubleCeilMillis(ld.neg, ld.mant, ld.exp);
  }
  if (ms < 0) throw new ReplyError(Err.timeoutNegative);
  if (ms === 0) return 0;
  const deadline = now + ms;
  return deadline >= FOREVER_MS ? 0 : deadline;
}

/** Whole seconds whose milliseconds a double holds exactly. */
const SMALL_UINT = /^[0-9]{1,12}$/;
const LLONG_LIMIT = 1n << 63n;

/**
 * (long long) ceill(x * 1000.0) for x = ±mant × 2^exp: the product rounded to a 64-bit mantissa (nearest-even),
 * rounded up to an integer; out of the long long range the conversion gives LLONG_MIN, returned as -1.
 */
function longDoubleCeilMillis(neg: boolean, mant: bigint, exp: number): number {
  let m = mant * 1000n;
  let e = exp;
  const extra = m.toString(2).length - 64;
  if (extra > 0) {
    const sh = BigInt(extra);
    let q = m >> sh;
    const rem = m - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    m = q;
    e += extra;
  }
  if (m === 0n) return 0;
  if (e > 64) return -1;
  let floor: bigint;
  let exact = true;
  if (e >= 0) floor = m << BigInt(e);
  else {
    floor = m >> BigInt(-e);
    exact = floor << BigInt(-e) === m;
  }
  if (neg) return floor === 0n ? 0 : -1; // ceil(-y) = -floor(y): zero or negative
  const ceil = exact ? floor : floor + 1n;
  return ceil >= LLONG_LIMIT ? -1 : Number(ceil);
}

export class Blocking {
  /** db id → key → waiters in arrival order. */
  private readonly byDb = new Map<number, Map<Key, Set<Waiter>>>();
  private readonly byClient = new Map<Client, Waiter>();

  /** Clients blocked with a timeout (INFO clients_in_timeout_table). */
  get withTimeout(): number {
    let n = 0;
    for (const w of this.byClient.values()) if (w.deadline > 0) n++;
    return n;
  }
  /** Keys written while someone waits on them, in the order they became ready, not yet served. */
  private ready: { db: Database; key: Key }[] = [];
  private readonly readySet = new Map<number, Set<Key>>();
  private serving = false;
  private serveQueued = false;
  private readonly toResume = new Set<Client>();
  private resumeQueued = false;

  constructor(private readonly server: Server) {
    // A waited key is ready when it is created (or a whole database is replaced), as Redis signals it from dbAdd:
    // a key overwritten in place (a STORE over a string) wakes nobody, nor does a push onto an existing list.
    server.keyspace.onChange((db, key, kind) => {
      if (this.byClient.size === 0 || (kind !== 'new' && kind !== 'flush')) return;
      const m = this.byDb.get(db.id);
      if (m === undefined) return;
      if (key === null) {
        // A whole database replaced (SWAPDB, FLUSHDB): any waited key that now holds a list or sorted set may be
        // ready.
        for (const k of m.keys()) if (canServe(db, k)) this.signal(db, k);
      } else if (m.has(key) && canServe(db, key)) {
        this.signal(db, key);
      }
    });
    server.clientCloseHooks.push((c) => {
      const w = this.byClient.get(c);
      if (w !== undefined) this.release(w);
    });
  }

  /** Number of blocked clients. */
  get blockedClients(): number {
    return this.byClient.size;
  }

  /** Number of distinct keys (per database) somebody waits on. */
  get blockedKeys(): number {
    let n = 0;
    for (const m of this.byDb.values()) n += m.size;
    return n;
  }

  /** Whether c may block now: not inside MULTI/EXEC, a script, or any command run by another command. */
  canBlock(c: Client): boolean {
    return c.multi === null && this.server.callDepth <= 1;
  }

  isBlocked(c: Client): boolean {
    return this.byClient.has(c);
  }

  /**
   * Parks c on `keys` of its current database until a key is served to it (tryServe returns true), the deadline
   * passes (onTimeout replies; default a null array), or it disconnects. Duplicate keys count once.
   */
  block(
    c: Client,
    keys: readonly Key[],
    deadline: number,
    tryServe: TryServe,
    onTimeout: (c: Client) => void = (cl) => cl.w.nullArray(),
    quietServe = false,
  ): void {
    if (this.byClient.has(c)) throw new Error('client is already blocked');
    const uniq = [...new Set(keys)];
    const w: Waiter = {
      client: c,
      db: c.db,
      keys: uniq,
      deadline,
      tryServe,
      onTimeout,
      timer: undefined,
      skipReply: c.skipNext,
      quietServe,
    };
    let m = this.byDb.get(c.db.id);
    if (m === undefined) {
      m = new Map();
      this.byDb.set(c.db.id, m);
    }
    for (const k of uniq) {
      let q = m.get(k);
      if (q === undefined) {
        q = new Set();
        m.set(k, q);
      }
      q.add(w);
    }
    this.byClient.set(c, w);
    c.blocked = true;
    if (deadline > 0) this.arm(w);
  }

  /**
   * CLIENT UNBLOCK: ends c's wait as a timeout would (error false) or with the UNBLOCKED error. False when c
   * is not blocked on keys.
   */
  unblock(c: Client, error: boolean): boolean {
    const w = this.byClient.get(c);
    if (w === undefined) return false;
    this.release(w);
    const mark = silentFrom(w);
    if (error) this.server.replyError(c, UNBLOCKED_ERROR);
    else w.onTimeout(c);
    // Redis 7.0 logs the unblocked command in SLOWLOG without its arguments (a timeout logs nothing).
    if (c.blockedCall !== undefined) this.server.slowlog.record(c, [], c.blockedCall.usec);
    if (c.current !== undefined && this.server.config.values['latency-tracking'])
      this.server.recordLatency(c.current, c.blockedCall?.usec ?? 0);
    // Redis 7.0 counts a blocked command that CLIENT UNBLOCK ends as failed (INFO commandstats), either way.
    if (c.current !== undefined) c.current.stats.failed++;
    dropSince(c, mark);
    this.finish(c);
    return true;
  }

  /** Serves the keys made ready by the execution unit that just ended. The server calls it after each unit. */
  afterUnit(): void {
    if (this.ready.length > 0) this.serveReady();
  }

  private signal(db: Database, key: Key): void {
    let s = this.readySet.get(db.id);
    if (s === undefined) {
      s = new Set();
      this.readySet.set(db.id, s);
    }
    if (s.has(key)) return;
    s.add(key);
    this.ready.push({ db, key });
    // A change made outside any command (loading, a timer): serve once the current turn's work is done.
    if (this.server.callDepth === 0 && !this.serving && !this.serveQueued) {
      this.serveQueued = true;
      queueMicrotask(() => {
        this.serveQueued = false;
        if (this.server.callDepth === 0) this.afterUnit();
      });
    }
  }

  private serveReady(): void {
    if (this.serving) return;
    this.serving = true;
    const ks = this.server.keyspace;
    try {
      while (this.ready.length > 0) {
        // Keys made ready while serving (BLMOVE pushing to a waited key) go to the next round.
        const batch = this.ready;
        this.ready = [];
        for (const { db, key } of batch) {
          this.readySet.get(db.id)?.delete(key);
          const q = this.byDb.get(db.id)?.get(key);
          if (q === undefined) continue;
          ks.tick();
          for (const w of q) {
            if (db.lookup(key) === undefined) break;
            this.serveOne(w, key);
          }
        }
      }
    } finally {
      this.serving = false;
    }
  }

  private serveOne(w: Waiter, key: Key): void {
    const c = w.client;
    const server = this.server;
    const mark = silentFrom(w);
    let done: boolean;
    const t0 = performance.now();
    server.tracking.beginServe(c, w.quietServe ? key : null);
    server.effects.begin();
    try {
      done = w.tryServe(key);
    } catch (e) {
      const msg = e instanceof ReplyError ? e.message : 'ERR internal error: ' + String((e as Error).message ?? e);
      if (!(e instanceof ReplyError))
        server.log('warning', `Internal error serving a blocked client: ${(e as Error).stack ?? String(e)}`);
      server.replyError(c, msg);
      if (c.current !== undefined) c.current.stats.failed++;
      done = true;
    } finally {
      server.effects.end();
    }
    if (!done) {
      if (mark >= 0) c.out.keep(mark); // still blocked: nothing was written
      server.tracking.endServe();
      return;
    }
    dropSince(c, mark);
    server.tracking.endServe();
    const call = c.blockedCall;
    const usec = (call?.usec ?? 0) + Math.round((performance.now() - t0) * 1000);
    if (call !== undefined) server.slowlog.record(c, call.argv, usec);
    if (c.current !== undefined && server.config.values['latency-tracking']) server.recordLatency(c.current, usec);
    this.release(w);
    this.finish(c);
  }

  /** Forgets a waiter: its timer and its place in every key's queue. Clears c.blocked. */
  private release(w: Waiter): void {
    if (w.timer !== undefined) clearTimeout(w.timer);
    w.timer = undefined;
    const m = this.byDb.get(w.db.id);
    if (m !== undefined) {
      for (const k of w.keys) {
        const q = m.get(k);
        if (q === undefined) continue;
        q.delete(w);
        if (q.size === 0) m.delete(k);
      }
    }
    this.byClient.delete(w.client);
    w.client.blocked = false;
  }

  /** After a blocked client got its reply: flush it and let it run what it sent meanwhile. */
  private finish(c: Client): void {
    c.blockedCall = undefined;
    // The blocked command is done: a CLIENT REPLY SKIP that silenced it ends (see Server.execute).
    if (c.skipNext || c.skipPending) c.endSkip();
    c.requestFlush();
    this.toResume.add(c);
    if (!this.resumeQueued) {
      this.resumeQueued = true;
      queueMicrotask(() => {
        this.resumeQueued = false;
        const list = [...this.toResume];
        this.toResume.clear();
        for (const x of list) if (!x.closed && !x.blocked) x.processInput();
      });
    }
  }

  private arm(w: Waiter): void {
    const delay = w.deadline - Date.now();
    if (delay > MAX_TIMER_MS) {
      w.timer = setTimeout(() => this.arm(w), MAX_TIMER_MS);
    } else {
      w.timer = setTimeout(() => this.expire(w), Math.max(0, delay));
    }
    w.timer.unref();
  }

  private expire(w: Waiter): void {
    w.timer = undefined;
    if (this.byClient.get(w.client) !== w) return;
    this.release(w);
    const mark = silentFrom(w);
    w.onTimeout(w.client);
    dropSince(w.client, mark);
    this.finish(w.client);
  }
}
