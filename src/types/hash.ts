// The hash type: field → value with O(1) get, set and delete, and O(1) uniformly random fields (HRANDFIELD).
//
// Fields and values sit side by side in one dense array (field at 2i, value at 2i + 1); a KeyTable (the
// keyspace's open-addressing index, src/types/key-table.ts, reading the fields at stride 2) gives each field's
// slot i. Redis 7.0 keeps a small hash as a "listpack" (by default at most 512 fields, no field or value
// longer than 64 bytes: hash-max-listpack-entries / -value) whose order is insertion order, and converts it for
// good to a "hashtable" otherwise. While compact, a delete closes the gap in place (O(n) for a small n), so
// iteration follows Redis's listpack order exactly; once a hashtable, a delete moves the last slot into the hole.

import type { RedisObject } from './object.js';
import { KeyTable } from './key-table.js';
import { encodingLimits } from './encoding-limits.js';

/** Redis 7.0.15's built-in hash-max-listpack-entries default (its sample redis.conf says 128). */
export const HASH_MAX_LISTPACK_ENTRIES = 512;
/** Redis's hash-max-listpack-value default. */
export const HASH_MAX_LISTPACK_VALUE = 64;

export class Hash implements RedisObject {
  readonly type = 'hash' as const;
  /** field → slot; the field is kv[2 × slot], its value kv[2 × slot + 1]. */
  private readonly kv: string[] = [];
  private readonly pos = new KeyTable(this.kv, 2);
  /** True while Redis would hold this hash as a listpack. */
  private compact = true;

  get size(): number {
    return this.pos.size;
  }

  get(field: string): string | undefined {
    const i = this.pos.get(field);
    return i === undefined ? undefined : this.kv[2 * i + 1];
  }

  has(field: string): boolean {
    return this.pos.has(field);
  }

  /** Sets a field; true when the field is new. */
  set(field: string, value: string): boolean {
    if (this.compact && (field.length > encodingLimits.hashValue || value.length > encodingLimits.hashValue)) {
      this.compact = false;
    }
    const i = this.pos.get(field);
    if (i !== undefined) {
      this.kv[2 * i + 1] = value;
      return false;
    }
    this.pos.set(field, this.kv.length >> 1);
    this.kv.push(field, value);
    if (this.compact && this.pos.size > encodingLimits.hashEntries) this.compact = false;
    return true;
  }

  /** Removes a field; true when it was there. */
  delete(field: string): boolean {
    const i = this.pos.get(field);
    if (i === undefined) return false;
    this.pos.delete(field);
    const kv = this.kv;
    const n = kv.length >> 1;
    if (this.compact) {
      // Keep insertion order: close the gap and renumber the slots after it.
      kv.splice(2 * i, 2);
      for (let j = i; j < n - 1; j++) this.pos.move(kv[2 * j]!, j + 1, j);
    } else {
      const lastValue = kv.pop()!;
      const lastField = kv.pop()!;
      if (i < n - 1) {
        kv[2 * i] = lastField;
        kv[2 * i + 1] = lastValue;
        this.pos.move(lastField, n - 1, i);
      }
    }
    return true;
  }

  /** The field in slot i (0 ≤ i < size). Slots run in Redis's iteration order while the hash is a listpack. */
  fieldAt(i: number): string {
    return this.kv[2 * i]!;
  }

  valueAt(i: number): string {
    return this.kv[2 * i + 1]!;
  }

  /** A uniformly random slot in [0, size). */
  randomSlot(): number {
    return Math.floor(Math.random() * (this.kv.length >> 1));
  }

  /** Whether Redis would hold this hash as a listpack now. */
  get isListpack(): boolean {
    return this.compact;
  }

  /** The field → slot index, for live HSCAN cursors (its keys are the fields). */
  get scanMap(): KeyTable {
    return this.pos;
  }

  /** [field, value] pairs in slot order. */
  *entries(): IterableIterator<[string, string]> {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) yield [kv[i]!, kv[i + 1]!];
  }

  encoding(): string {
    return this.compact ? 'listpack' : 'hashtable';
  }

  memoryUsage(): number {
    const kv = this.kv;
    const n = kv.length >> 1;
    if (this.compact) {
      // A listpack: a 6-byte header, per entry a small header, the bytes and a back-length, and a terminator.
      let bytes = 7;
      for (const s of kv) bytes += s.length + (s.length < 64 ? 2 : s.length < 4096 ? 4 : 6);
      return bytes;
    }
    let buckets = 4;
    while (buckets < n) buckets *= 2;
    let bytes = 56 + buckets * 8 + n * 24;
    for (const s of kv) bytes += stringBytes(s.length);
    return bytes;
  }

  clone(): Hash {
    const h = new Hash();
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) {
      h.pos.set(kv[i]!, i >> 1);
      h.kv.push(kv[i]!, kv[i + 1]!);
    }
    h.compact = this.compact;
    return h;
  }
}

/** Allocator-rounded bytes of a length-prefixed string buffer of len bytes. */
function stringBytes(len: number): number {
  const raw = (len < 32 ? 1 : len < 256 ? 3 : 5) + len + 1;
  if (raw <= 8) return 8;
  if (raw <= 128) return (raw + 15) & ~15;
  return Math.ceil(raw / 64) * 64;
}
