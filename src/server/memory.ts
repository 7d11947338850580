// Memory accounting and the maxmemory limit: what INFO reports as used_memory, eviction before commands that may
// grow memory, OOM refusals, and a guard that keeps V8's heap limit (--max-old-space-size) from being reached.
//
// used_memory. Node gives no allocator count like Redis's zmalloc, and V8's `heapUsed` includes garbage that the
// next collection will free (after a delete or an eviction it does not go down until then). So while a maxmemory
// is set, used memory is kept as
//
//     used = L + W - F
//
// L is the heap (V8 heap used + client buffers) measured right after the last full (mark-compact) collection,
// when it holds only live data. V8's own full collections are observed (perf_hooks 'gc' entries); the heap read
// in that callback (delivered a little later) is taken as L when it is below the estimate or close above it, and
// a much higher reading (garbage allocated since the collection) is confirmed by a collection of Cairn's own.
// Cairn also forces one (rarely, within a time budget) when it must know: before evicting or refusing after
// something was freed that it could not count (DEL, expiry, FLUSHALL), and before refusing a write under
// noeviction. W estimates what the commands that may grow memory (Redis's `denyoom` flag) added since: their
// argument bytes as V8 stores strings, plus a key's table entry when the key is new, minus the old value a SET
// replaces. F is the estimated size of the keys evicted since. Both estimates use the same per-key costs, measured
// on Node 20 (see README "Memory limit and eviction"). Without a maxmemory, used_memory is simply V8's heap used
// plus client buffers, sampled when asked.
//
// Eviction follows Redis 7.0's performEvictions: before every command (reads too) while over the limit, keys are
// evicted under maxmemory-policy until the estimated excess is freed, within a time budget set by
// maxmemory-eviction-tenacity (the rest continues from a timer between commands). Each evicted key is deleted
// through Database.delete (WATCH, client tracking), counted in evicted_keys, announced as an `evicted` keyspace
// event and propagated as a DEL. When nothing can be evicted (noeviction, no keys, no volatile key), commands
// flagged denyoom are refused with OOM, as are all commands queued inside MULTI and an EXEC whose queue holds a
// denyoom command; reads go on.
//
// Heap guard. Whatever maxmemory says, V8 dies when its live heap reaches heap_size_limit. The effective limit is
// therefore at most HEAP_SAFETY of heap_size_limit: a maxmemory above that evicts at the lower figure, and
// without a maxmemory, denyoom commands are refused (noeviction) once a measured live heap passes it.

import v8 from 'node:v8';
import vm from 'node:vm';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import type { Server } from './server.js';
import type { Client } from './client.js';
import type { CommandEntry } from '../commands/registry.js';
import { Evictor, Lfu, type EvictionPolicyName } from '../keyspace/evict.js';
import type { Database, Key } from '../keyspace/db.js';
import { notify, NOTIFY_EVICTED } from '../keyspace/notify.js';
import { isBig } from '../types/big-string.js';

export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

/** The share of V8's old-generation limit (--max-old-space-size) Cairn lets live data reach. */
const HEAP_SAFETY = 0.75;
/** What V8's heap_size_limit reserves for the young generation on 64-bit Node (3 semi-spaces of 16 MB). */
const YOUNG_RESERVE = 48 * 1024 * 1024;
/** Without a maxmemory, the heap is sampled after this many bytes of denyoom arguments. */
const SAMPLE_EVERY_BYTES = 1024 * 1024;
/**
 * Per-key cost beyond its key and value strings: the key index's buckets (hash, slot and key) and the slot arrays
 * (measured on Node 20).
 */
export const ENTRY_OVERHEAD = 80;
/**
 * A TTL: its key cell, its time and its share of the buckets in the expiry table (src/keyspace/expire-table.ts):
 * 52.2 B per key measured for 1M keys on Node 20.
 */
const TTL_OVERHEAD = 52;
/** A forced full collection may take at most this share of the time since the previous one ended. */
const GC_BUDGET = 0.1;
/** A heap reading after V8's own full collection is trusted up to this much above the estimate (bytes, share). */
const MEASURE_SLACK_BYTES = 1024 * 1024;
const MEASURE_SLACK = 0.02;
/** Time the eviction that follows a full collection's measurement may take, in ms. */
const CATCH_UP_BUDGET_MS = 20;
/**
 * After this many 100 ms ticks without a command, once the heap has grown by IDLE_GC_GROWTH since the last full
 * collection, the heap is collected: the garbage a burst of writes leaves (request arguments, replaced values,
 * grown tables) goes back to the system instead of staying in the process until the next busy period. Node never
 * tells V8 it is idle, so V8 would not do this by itself.
 */
const IDLE_GC_TICKS = 10;
const IDLE_GC_GROWTH = 32 * 1024 * 1024;
/** Commands that replace a string value wholesale: the old value's bytes are freed. */
const OVERWRITING = new Set(['set', 'setex', 'psetex', 'getset', 'mset']);
/** Commands still accepted inside MULTI while out of memory. */
const MULTI_OOM_EXEMPT = new Set(['exec', 'discard', 'quit', 'reset']);

/** Bytes V8 takes for a one-byte string of `len` chars (header + payload, 8-byte aligned). */
export function stringCost(len: number): number {
  return (len + 23) & ~7;
}

/**
 * What SETBIT or SETRANGE adds to the string at argv[1] by writing past its end: a bit offset of 1,600,000 makes a
 * 200 KB string out of a few argument bytes. Nothing for arguments the command will refuse.
 */
function stringGrowth(db: Database, argv: string[], bits: boolean): number {
  if (argv.length < 4) return 0;
  const offset = Number(argv[2]);
  if (!Number.isSafeInteger(offset) || offset < 0) return 0;
  const end = bits ? Math.floor(offset / 8) + 1 : argv[3]!.length === 0 ? 0 : offset + argv[3]!.length;
  const slot = db.dict.get(argv[1]!);
  const v = slot === undefined ? undefined : db.value(slot);
  const len = v === undefined ? 0 : typeof v === 'string' || isBig(v) ? v.length : end;
  return end > len ? end - len : 0;
}

type GcFn = () => void;
let gcFn: GcFn | null | undefined;

/** V8's gc(), exposed at runtime if Node was not started with --expose-gc; null when unavailable. */
function getGc(): GcFn | null {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: GcFn }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      try {
        v8.setFlagsFromString('--expose-gc');
        gcFn = vm.runInNewContext('gc') as GcFn;
      } catch {
        gcFn = null;
      }
    }
  }
  return gcFn;
}

/**
 * V8's heap plus the clients' query and output buffers, right now (garbage included unless a full collection just
 * ran). Other Buffers and external memory are left out: V8 reports their frees only some time after a collection
 * (the array buffer sweeper runs concurrently), so a reading right after one would still count them.
 */
function heapNow(server: Server): number {
  let n = v8.getHeapStatistics().used_heap_size;
  for (const c of server.clients.values()) n += c.out.pending + c.queryPending;
  return n;
}

/**
 * The data right now: heapNow plus the stored values kept outside V8's heap (big strings, counted exactly by the
 * databases as they are stored and removed; see src/types/big-string.ts). The heap guard looks at heapNow alone:
 * it protects V8's heap limit, which those bytes do not count against.
 */
function dataNow(server: Server): number {
  let n = heapNow(server);
  for (const db of server.keyspace.dbs) n += db.offHeap;
  return n;
}

type EvictResult = 'ok' | 'running' | 'fail';

export class MemoryLimit {
  readonly lfu: Lfu;
  readonly evictor: Evictor;
  /** Heap measured after the last full collection (L). */
  private base = 0;
  /** Estimated bytes added by denyoom commands since then (W). */
  private written = 0;
  /** Estimated bytes of keys evicted since then (F). */
  private freed = 0;
  /** Something was freed since the last measurement that W/F do not count (DEL, expiry, overwrite of a collection). */
  private unknownFrees = false;
  /** A database was flushed since the last measurement: worth a collection whatever the budget. */
  private flushed = false;
  private lastForcedEnd = 0;
  private lastForcedCost = 0;
  /** True while this module deletes keys, so the change hook does not count its own frees as unknown. */
  private evicting = false;
  /**
   * Set when the live heap, measured after a collection of our own, passed the safety limit (refuses denyoom
   * commands without a maxmemory).
   */
  private heapCritical = false;
  readonly heapLimit: number;
  /** HEAP_SAFETY of the old-generation limit: the most live data Cairn lets the heap hold. */
  readonly heapSafety: number;
  private observer: PerformanceObserver | undefined;
  /** For the idle collection: commands seen at the last tick, ticks since one ran, heap size after a full GC. */
  private lastCommands = -1;
  private idleTicks = 0;
  private heapAfterFullGc = 0;
  private timer: NodeJS.Timeout | undefined;
  private continuation: NodeJS.Timeout | undefined;
  /** INFO stats: total_eviction_exceeded_time (ms, closed periods) and the start of the current period. */
  private exceededTotal = 0;
  private exceededSince = 0;
  /** Without a maxmemory: denyoom argument bytes since the heap was last sampled. */
  private unsampled = 0;
  /** Whether a maxmemory was set when the config was last applied. */
  private wasTracking = false;

  constructor(private readonly server: Server) {
    const ks = server.keyspace;
    this.lfu = new Lfu(ks);
    this.evictor = new Evictor(ks, this.lfu);
    this.heapLimit = v8.getHeapStatistics().heap_size_limit;
    const oldLimit =
      this.heapLimit > 2 * YOUNG_RESERVE ? this.heapLimit - YOUNG_RESERVE : Math.floor(this.heapLimit / 2);
    this.heapSafety = Math.floor(oldLimit * HEAP_SAFETY);
    this.measure();
    this.applyConfig();
    server.statsResetHooks.push(() => this.resetStats());
    ks.onChange((_db, _key, kind) => {
      if (kind === 'set' || kind === 'new' || this.evicting) return;
      this.unknownFrees = true;
      if (kind === 'flush') this.flushed = true;
    });
    const prev = server.config.onChange;
    server.config.onChange = (name) => {
      prev(name);
      if (
        name === 'maxmemory' ||
        name === 'maxmemory-policy' ||
        name === 'maxmemory-samples' ||
        name === 'lfu-log-factor' ||
        name === 'lfu-decay-time'
      ) {
        const wasTracking = this.wasTracking;
        this.applyConfig();
        if (name === 'maxmemory' && this.tracking) this.onMaxmemorySet(wasTracking);
      }
    };
  }

  /** Whether used memory is being tracked (a maxmemory is set). */
  get tracking(): boolean {
    return this.server.config.values.maxmemory > 0;
  }

  /** The limit evictions and refusals apply: maxmemory, capped by the heap guard; 0 when there is none. */
  get limit(): number {
    const max = this.server.config.values.maxmemory;
    return max > 0 && max < this.heapSafety ? max : max > 0 ? this.heapSafety : 0;
  }

  /** used_memory as INFO reports it. */
  used(): number {
    if (!this.tracking) return dataNow(this.server);
    const u = this.base + this.written - this.freed;
    return u > 0 ? u : 0;
  }

  private applyConfig(): void {
    const v = this.server.config.values;
    this.wasTracking = v.maxmemory > 0;
    const ks = this.server.keyspace;
    const policy = v['maxmemory-policy'] as EvictionPolicyName;
    if (policy !== this.evictor.policy) this.evictor.resetPool();
    this.evictor.policy = policy;
    this.evictor.samples = v['maxmemory-samples'];
    this.lfu.logFactor = v['lfu-log-factor'];
    this.lfu.decayTime = v['lfu-decay-time'];
    const lfu = policy === 'allkeys-lfu' || policy === 'volatile-lfu';
    ks.lfuMode = lfu;
    if (lfu) {
      ks.lfuAccess = (f) => this.lfu.access(f);
      ks.lfuNew = () => this.lfu.fresh();
    }
  }

  /** CONFIG SET maxmemory: measure precisely, warn when already above, and evict at once (as Redis does). */
  private onMaxmemorySet(wasTracking: boolean): void {
    if (!wasTracking && !this.forceGc(true)) this.measure();
    const max = this.server.config.values.maxmemory;
    const used = this.used();
    if (max < used) {
      this.server.log(
        'warning',
        `WARNING: the new maxmemory value set via CONFIG SET (${max}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    }
    const safety = this.heapSafety;
    if (max > safety) {
      this.server.log(
        'warning',
        `WARNING: maxmemory (${max}) is above what Node's heap limit allows (heap_size_limit ${this.heapLimit}, see --max-old-space-size); evicting at ${safety} bytes instead.`,
      );
    }
    this.performEvictions();
  }

  /** Takes the heap as L (call right after a full collection) and clears the estimates. */
  private measure(): void {
    this.base = dataNow(this.server);
    this.written = 0;
    this.freed = 0;
    this.unknownFrees = false;
    this.flushed = false;
  }

  /** Runs a full collection and measures, if the time budget allows it (or `always`). */
  private forceGc(always = false): boolean {
    const now = performance.now();
    if (!always && now - this.lastForcedEnd < this.lastForcedCost / GC_BUDGET) return false;
    const gc = getGc();
    if (gc === null) return false;
    gc();
    const end = performance.now();
    this.lastForcedCost = end - now;
    this.lastForcedEnd = end;
    this.measure();
    this.heapCritical = this.base > this.heapSafety;
    return true;
  }

  /** Observes V8's full collections (each re-measures L) and samples the heap for the guard. */
  start(): void {
    if (this.tracking && !this.forceGc(true)) this.measure();
    const major = perfConstants.NODE_PERFORMANCE_GC_MAJOR;
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        if (kind === major) {
          this.afterMajorGc();
          return;
        }
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
    // Without a maxmemory nothing else watches the heap: sample it now and then too (writes sample it as well).
    this.timer = setInterval(() => {
      if (!this.tracking) this.checkHeap();
      this.idleTick();
    }, 100);
    this.timer.unref();
  }

  /** Collects the heap once per idle period when it grew a lot since the last full collection (IDLE_GC_TICKS). */
  private idleTick(): void {
    const n = this.server.stats.commandsProcessed;
    if (n !== this.lastCommands) {
      this.lastCommands = n;
      this.idleTicks = 0;
      return;
    }
    if (++this.idleTicks !== IDLE_GC_TICKS) return;
    if (v8.getHeapStatistics().total_heap_size < this.heapAfterFullGc + IDLE_GC_GROWTH) return;
    if (this.forceGc(true)) this.heapAfterFullGc = v8.getHeapStatistics().total_heap_size;
  }

  /**
   * V8 ran a full collection. The heap read now (this callback comes a little later) holds the live data plus
   * whatever was allocated since, garbage included: a reading below the estimate or close above it is taken as L;
   * a much higher one is confirmed by a collection of our own (within the time budget) or else ignored.
   */
  private afterMajorGc(): void {
    this.heapAfterFullGc = v8.getHeapStatistics().total_heap_size;
    if (!this.tracking) return;
    const est = this.used();
    if (dataNow(this.server) <= est + Math.max(MEASURE_SLACK_BYTES, est * MEASURE_SLACK)) this.measure();
    else if (!this.forceGc()) return;
    // The measurement may show more than the estimate did: catch up at once, between commands, with a larger
    // time budget than a command gets.
    if (this.used() > this.limit) {
      this.server.keyspace.tick();
      this.performEvictions(CATCH_UP_BUDGET_MS);
    }
  }

  /**
   * Without a maxmemory: is the heap above the safety limit? A high reading is confirmed by a collection; when the
   * time budget allows none, it counts as critical until the next sample.
   */
  private checkHeap(): void {
    if (heapNow(this.server) <= this.heapSafety) this.heapCritical = false;
    else if (!this.forceGc()) this.heapCritical = true;
  }

  stop(): void {
    this.observer?.disconnect();
    if (this.timer) clearInterval(this.timer);
    if (this.continuation) clearTimeout(this.continuation);
  }

  /**
   * The dispatcher's hook, run before the subscribed-context check for every command: evicts while over the limit
   * and returns the OOM error when the command must be refused. Counts what an accepted denyoom command may add.
   */
  check(c: Client, cmd: CommandEntry, argv: string[]): string | undefined {
    if (!this.tracking) {
      // Keys were freed since the heap was found critical: look again (at once after a flush).
      if (this.heapCritical && this.unknownFrees && !(this.flushed && this.forceGc(true))) this.checkHeap();
      if (cmd.denyOom && !this.heapCritical) {
        for (let i = 1; i < argv.length; i++) this.unsampled += argv[i]!.length;
        if (this.unsampled > SAMPLE_EVERY_BYTES) {
          this.unsampled = 0;
          this.checkHeap();
        }
      }
      if (this.heapCritical && (cmd.denyOom || (c.multi !== null && !MULTI_OOM_EXEMPT.has(cmd.fullName)))) {
        return OOM_ERROR;
      }
      return undefined;
    }
    const oom = this.performEvictions() === 'fail';
    if (oom) {
      let reject = cmd.denyOom;
      if (c.multi !== null && !MULTI_OOM_EXEMPT.has(cmd.fullName)) reject = true;
      else if (cmd.fullName === 'exec' && c.multi !== null) {
        for (const q of c.multi.queue) {
          if (q.cmd.denyOom) {
            reject = true;
            break;
          }
        }
      }
      if (reject) return OOM_ERROR;
    }
    if (cmd.denyOom) this.noteWrite(c.db, cmd, argv);
    return undefined;
  }

  /** W: what a denyoom command may add (argument bytes as stored, entries for new keys, minus replaced strings). */
  private noteWrite(db: Database, cmd: CommandEntry, argv: string[]): void {
    let bytes = 0;
    for (let i = 1; i < argv.length; i++) bytes += stringCost(argv[i]!.length);
    const name = cmd.fullName;
    // A TTL set along with the value: its expires entry, in place of the argument that gave it.
    if (name === 'setex' || name === 'psetex') bytes += TTL_OVERHEAD - stringCost(argv[2]!.length);
    else if (name === 'set' && argv.length > 4) bytes += TTL_OVERHEAD;
    else if (name === 'setbit' || name === 'setrange') bytes += stringGrowth(db, argv, name === 'setbit');
    const keys = cmd.spec.keys;
    if (keys !== undefined && keys[0] > 0) {
      const [first, lastSpec, step] = keys;
      const last = lastSpec < 0 ? argv.length + lastSpec : lastSpec;
      const overwriting = OVERWRITING.has(name);
      for (let i = first; i <= last && i < argv.length; i += step || 1) {
        const key = argv[i]!;
        const slot = db.dict.get(key);
        if (slot === undefined) {
          bytes += ENTRY_OVERHEAD;
          continue;
        }
        bytes -= stringCost(key.length);
        if (overwriting) {
          const v = db.value(slot);
          if (typeof v === 'string' || isBig(v)) bytes -= stringCost(v.length);
          else this.unknownFrees = true;
        }
      }
    }
    if (bytes > 0) this.written += bytes;
    else this.freed -= bytes;
  }

  /** Estimated bytes a key takes (for F). */
  keyBytes(db: Database, key: Key): number {
    const slot = db.dict.get(key);
    if (slot === undefined) return 0;
    const v = db.value(slot);
    let n = ENTRY_OVERHEAD + stringCost(key.length);
    n += typeof v === 'string' ? stringCost(v.length) : v.memoryUsage();
    if (db.expires.size !== 0 && db.expires.has(key)) n += TTL_OVERHEAD;
    return n;
  }

  /** Redis's evictionTimeLimitUs: the time one round may spend evicting, in ms. */
  private timeLimitMs(): number {
    const t = this.server.config.values['maxmemory-eviction-tenacity'];
    if (t <= 10) return (50 * t) / 1000;
    if (t < 100) return (500 * Math.pow(1.15, t - 10)) / 1000;
    return Infinity;
  }

  /** Evicts while over the limit. 'fail': over the limit with nothing to evict; 'running': continues later. */
  performEvictions(budgetMs = this.timeLimitMs()): EvictResult {
    const s = this.server;
    const limit = this.limit;
    // With no limit nothing is measured, and an over-the-limit period keeps running (until CONFIG RESETSTAT), as
    // Redis does not evaluate the limit then either.
    if (limit === 0 || s.loading || s.pause.active) return 'ok';
    let used = this.used();
    if (used <= limit) return this.underLimit();
    // Frees W/F could not count: measure before deciding anything.
    if ((this.unknownFrees && this.forceGc(this.flushed)) || this.flushed) {
      used = this.used();
      if (used <= limit) return this.underLimit();
    }
    const toFree = used - limit;
    let freed = 0;
    let count = 0;
    const t0 = performance.now();
    const budget = budgetMs;
    const ks = s.keyspace;
    while (freed < toFree) {
      const pick = this.evictor.pick();
      if (pick === undefined) {
        // Nothing to evict: before refusing, make sure the estimate is not stale.
        if ((this.written > 0 || this.unknownFrees) && this.forceGc()) {
          if (this.used() <= limit) return this.underLimit();
        }
        return this.overLimit('fail');
      }
      const { db, key } = pick;
      const bytes = this.keyBytes(db, key);
      this.evicting = true;
      try {
        db.delete(key, db.ks.lazyfree.eviction);
      } finally {
        this.evicting = false;
      }
      ks.stats.evictedKeys++;
      notify(s, NOTIFY_EVICTED, 'evicted', key, db.id);
      s.propagateDeletion(db, key);
      freed += bytes;
      this.freed += bytes;
      if (++count % 16 === 0 && performance.now() - t0 > budget) {
        if (this.used() <= limit) return this.underLimit();
        this.scheduleContinuation();
        return this.overLimit('running');
      }
    }
    return this.underLimit();
  }

  /**
   * A round that ends over the limit (still evicting, or nothing left to evict) starts the time INFO reports as
   * current_eviction_exceeded_time, as Redis counts it; one that ends under the limit stops it.
   */
  private overLimit(r: 'fail' | 'running'): EvictResult {
    if (this.exceededSince === 0) this.exceededSince = Date.now();
    return r;
  }

  private underLimit(): EvictResult {
    if (this.exceededSince !== 0) {
      this.exceededTotal += Date.now() - this.exceededSince;
      this.exceededSince = 0;
    }
    return 'ok';
  }

  /** Keeps evicting between commands after a round ran out of time (Redis's eviction time proc). */
  private scheduleContinuation(): void {
    if (this.continuation !== undefined) return;
    this.continuation = setTimeout(() => {
      this.continuation = undefined;
      this.server.keyspace.tick();
      if (this.performEvictions() === 'running') this.scheduleContinuation();
    }, 0);
    this.continuation.unref();
  }

  /** INFO stats: total_eviction_exceeded_time and current_eviction_exceeded_time, in ms. */
  exceededTimes(): [total: number, current: number] {
    const cur = this.exceededSince === 0 ? 0 : Date.now() - this.exceededSince;
    return [this.exceededTotal + cur, cur];
  }

  /** CONFIG RESETSTAT. */
  resetStats(): void {
    this.exceededTotal = 0;
    this.exceededSince = 0;
  }
}
