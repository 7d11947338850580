// The common face of the collection types stored in the keyspace. Strings are stored as plain latin1 strings,
// except big ones written by SET and its kin (src/types/big-string.ts).

export interface RedisObject {
  /** What TYPE prints. */
  readonly type: 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';
  /** What OBJECT ENCODING prints for the value as it is now. */
  encoding(): string;
  /** Approximate bytes used, for MEMORY USAGE and maxmemory accounting. */
  memoryUsage(): number;
  /** A deep copy (COPY). */
  clone(): RedisObject;
  /**
   * For collections whose members have an index: reads what looking up `members[from..to)` will read (see
   * KeyTable.prefetch), `out` as scratch of at least to - from entries. A hint: nothing changes.
   */
  prefetch?(members: readonly string[], from: number, to: number, out: Int32Array): void;
}

/**
 * Puts a value class's TYPE name on its prototype: one shared property rather than a field in every value
 * (8 bytes per key for many small collections).
 */
export function nameType(cls: { prototype: object }, type: RedisObject['type']): void {
  Object.defineProperty(cls.prototype, 'type', { value: type, enumerable: false, writable: false });
}

/** Instances of the value classes, kept for the life of the process (see keepShape). */
const shapes: object[] = [];

/**
 * Keeps one instance of a value class alive for good, so that V8 keeps its hidden classes. The hidden classes a
 * constructor's field definitions lead to are held only weakly. V8's own collections keep them for two more full
 * collections after the last object using them dies, but a forced one (`gc()`: the server's idle collection and
 * the maxmemory measurement, src/server/memory.ts) frees them at once: when the only sorted set was deleted before
 * it, every optimized function that checks for a sorted set is thrown away, and the next sorted set gets new hidden
 * classes, for which those functions are compiled again. Measured in-process for a SADD after a DEL and a forced
 * collection: eight functions recompiled each time, 25–50 ms of compiler time each (bench/NOTES.md, "Hidden
 * classes"); with one set kept, one.
 */
export function keepShape(o: object): void {
  shapes.push(o);
}
