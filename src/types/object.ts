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
