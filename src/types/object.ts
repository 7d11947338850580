// The common face of the collection types stored in the keyspace (strings are stored as plain latin1 strings).

export interface RedisObject {
  /** What TYPE prints. */
  readonly type: 'list' | 'hash' | 'set' | 'zset' | 'stream';
  /** What OBJECT ENCODING prints for the value as it is now. */
  encoding(): string;
  /** Approximate bytes used, for MEMORY USAGE and maxmemory accounting. */
  memoryUsage(): number;
  /** A deep copy (COPY). */
  clone(): RedisObject;
}

/**
 * Puts a value class's TYPE name on its prototype: one shared property rather than a field in every value
 * (8 bytes per key for many small collections).
 */
export function nameType(cls: { prototype: object }, type: RedisObject['type']): void {
  Object.defineProperty(cls.prototype, 'type', { value: type, enumerable: false, writable: false });
}
