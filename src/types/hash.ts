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

/** Up to this many fields a hash has no index: its array is scanned, and kept at its exact size. */
const SMALL_FIELDS = 8;

export class Hash implements RedisObject {
  readonly type = 'hash' as const;
  /** Fields and values: the field of slot i is kv[2i], its value kv[2i + 1]. */
  private kv: string[] = [];
  /**
   * field → slot, made when the hash grows past SMALL_FIELDS (or a live HSCAN needs it); from then on `kv` is
   * never replaced, since the index reads it.
   */
  private pos: KeyTable | null = null;
  /** True while Redis would hold this hash as a listpack. */
  private compact = true;

  get size(): number {
    return this.kv.length >> 1;
  }

  /** The slot of a field, or -1. */
  private slotOf(field: string): number {
    const pos = this.pos;
    if (pos !== null) {
      const i = pos.get(field);
      return i === undefined ? -1 : i;
    }
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === field) return i >> 1;
    return -1;
  }

  get(field: string): string | undefined {
    const i = this.slotOf(field);
    return i < 0 ? undefined : this.kv[2 * i + 1];
  }

  has(field: string): boolean {
    return this.slotOf(field) >= 0;
  }

  /** Sets a field; true when the field is new. */
  set(field: string, value: string): boolean {
    if (this.compact && (field.length > encodingLimits.hashValue || value.length > encodingLimits.hashValue)) {
      this.compact = false;
    }
    const i = this.slotOf(field);
    if (i >= 0) {
      this.kv[2 * i + 1] = value;
      return false;
    }
    const kv = this.kv;
    const n = kv.length;
    if (this.pos !== null) {
      this.pos.set(field, n >> 1);
      kv.push(field, value);
    } else if (n < 2 * SMALL_FIELDS) {
      // A new array of the exact size: a pushed-to array reserves room for 16 elements.
      const grown = new Array<string>(n + 2);
      for (let j = 0; j < n; j++) grown[j] = kv[j]!;
      grown[n] = field;
      grown[n + 1] = value;
      this.kv = grown;
    } else {
      kv.push(field, value);
      this.index();
    }
    if (this.compact && this.size > encodingLimits.hashEntries) this.compact = false;
    return true;
  }

  /** Builds the field index over `kv`. */
  private index(): KeyTable {
    return (this.pos = KeyTable.over(this.kv, 2));
  }

  /** Removes a field; true when it was there. */
  delete(field: string): boolean {
    const i = this.slotOf(field);
    if (i < 0) return false;
    const pos = this.pos;
    pos?.delete(field);
    const kv = this.kv;
    const n = kv.length >> 1;
    if (this.compact) {
      // Keep insertion order: close the gap and renumber the slots after it.
      kv.splice(2 * i, 2);
      if (pos !== null) for (let j = i; j < n - 1; j++) pos.move(kv[2 * j]!, j + 1, j);
    } else {
      const lastValue = kv.pop()!;
      const lastField = kv.pop()!;
      if (i < n - 1) {
        kv[2 * i] = lastField;
        kv[2 * i + 1] = lastValue;
        pos?.move(lastField, n - 1, i);
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
    return this.pos ?? this.index();
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
    h.kv = this.kv.slice();
    if (this.pos !== null) h.index();
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
