// The hash type: field → value with O(1) get, set and delete, and O(1) uniformly random fields (HRANDFIELD).
//
// A hash of a few short fields is packed into one latin1 string (see `packed`): one allocation, as a Redis
// listpack is, instead of an array and a string per field and value. Past PACKED_FIELDS fields, or once a field
// or value is too long to pack, it unpacks for good into the general form: fields and values side by side in one
// dense array (field at 2i, value at 2i + 1), with a KeyTable (the keyspace's open-addressing index,
// src/types/key-table.ts, reading the fields at stride 2) giving each field's slot i once it is past
// SMALL_FIELDS.
//
// Redis 7.0 keeps a small hash as a "listpack" (by default at most 512 fields, no field or value longer than 64
// bytes: hash-max-listpack-entries / -value) whose order is insertion order, and converts it for good to a
// "hashtable" otherwise. While compact, a delete closes the gap in place (O(n) for a small n), so iteration
// follows Redis's listpack order exactly; once a hashtable, a delete moves the last slot into the hole. A packed
// hash is always a listpack in Redis's terms.

import { nameType, type RedisObject } from './object.js';
import { KeyTable, touchSlots } from './key-table.js';
import { encodingLimits } from './encoding-limits.js';
import { own } from './own-string.js';

/** Redis 7.0.15's built-in hash-max-listpack-entries default (its sample redis.conf says 128). */
export const HASH_MAX_LISTPACK_ENTRIES = 512;
/** Redis's hash-max-listpack-value default. */
export const HASH_MAX_LISTPACK_VALUE = 64;

/** Up to this many fields a listpack hash stays packed in one string. */
const PACKED_FIELDS = 16;
/** The longest field or value a packed hash holds: its length is one char. */
const PACKED_LEN_MAX = 255;
/** Up to this many fields an unpacked hash has no index: its array is scanned, and kept at its exact size. */
const SMALL_FIELDS = 8;

/** A one-char string for a length or count below 256 (V8 keeps these interned: no allocation). */
const chr = String.fromCharCode;

/**
 * The position of `field`'s entry in a packed string (the index of its length char), or -1. Layout: the field
 * count as one char, then per field: its length as one char, its chars, the value's length as one char, its
 * chars.
 */
function packedFind(p: string, field: string): number {
  const fl = field.length;
  const end = p.length;
  let i = 1;
  while (i < end) {
    const l = p.charCodeAt(i);
    if (l === fl && p.startsWith(field, i + 1)) return i;
    i += 1 + l;
    i += 1 + p.charCodeAt(i);
  }
  return -1;
}

/** The position of the n-th entry (0-based) of a packed string. */
function packedEntry(p: string, n: number): number {
  let i = 1;
  for (; n > 0; n--) {
    i += 1 + p.charCodeAt(i);
    i += 1 + p.charCodeAt(i);
  }
  return i;
}

/** The position of the value's length char of the entry at i. */
function packedValue(p: string, i: number): number {
  return i + 1 + p.charCodeAt(i);
}

export class Hash implements RedisObject {
  /** On the prototype (see nameType). */
  declare readonly type: 'hash';
  /**
   * The packed form: the whole hash in one latin1 string (layout at packedFind), or null once unpacked. A new
   * hash starts packed and empty. Strings are immutable, so a clone shares it.
   */
  private packed: string | null = '\x00';
  /** The unpacked form: the field of slot i is kv[2i], its value kv[2i + 1]. Empty while packed. */
  private kv: string[] = NO_FIELDS;
  /**
   * field → slot, made when an unpacked hash grows past SMALL_FIELDS (or a live HSCAN needs it); from then on
   * `kv` is never replaced, since the index reads it.
   */
  private pos: KeyTable | null = null;
  /** True while Redis would hold this hash as a listpack. */
  private compact = true;

  get size(): number {
    const p = this.packed;
    return p !== null ? p.charCodeAt(0) : this.kv.length >> 1;
  }

  /** The slot of a field in the unpacked form, or -1. */
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

  /**
   * The value of a field. It may share memory with the packed form (a V8 sliced string): a caller that stores it
   * for long should take `getOwned` instead.
   */
  get(field: string): string | undefined {
    const p = this.packed;
    if (p !== null) {
      const i = packedFind(p, field);
      if (i < 0) return undefined;
      const v = packedValue(p, i);
      return p.slice(v + 1, v + 1 + p.charCodeAt(v));
    }
    const i = this.slotOf(field);
    return i < 0 ? undefined : this.kv[2 * i + 1];
  }

  /** As `get`, as a string of its own (nothing else kept alive with it), for values stored elsewhere (SORT STORE). */
  getOwned(field: string): string | undefined {
    const v = this.get(field);
    return v === undefined || this.packed === null ? v : own(v);
  }

  /** Reads ahead for looking up `fields[from..to)`: their buckets, field strings and values (see KeyTable.prefetch). */
  prefetch(fields: readonly string[], from: number, to: number, out: Int32Array): void {
    const pos = this.pos;
    if (pos === null) return;
    pos.prefetch(fields, from, to, out);
    touchSlots(out, to - from, this.kv, 2, 1);
  }

  has(field: string): boolean {
    const p = this.packed;
    return p !== null ? packedFind(p, field) >= 0 : this.slotOf(field) >= 0;
  }

  /** Sets a field; true when the field is new. */
  set(field: string, value: string): boolean {
    // Redis checks both limits at every set, an update included: a hash over a lowered entry limit converts at its
    // next write (an insert is checked again below, once it counts).
    if (
      this.compact &&
      (field.length > encodingLimits.hashValue ||
        value.length > encodingLimits.hashValue ||
        this.size > encodingLimits.hashEntries)
    ) {
      this.compact = false;
    }
    const p = this.packed;
    if (p !== null) {
      if (this.compact && field.length <= PACKED_LEN_MAX && value.length <= PACKED_LEN_MAX) {
        const i = packedFind(p, field);
        if (i >= 0) {
          const v = packedValue(p, i);
          this.packed = [p.slice(0, v), chr(value.length), value, p.slice(v + 1 + p.charCodeAt(v))].join('');
          return false;
        }
        const n = p.charCodeAt(0);
        if (n < PACKED_FIELDS && n < encodingLimits.hashEntries) {
          this.packed = [chr(n + 1), p.slice(1), chr(field.length), field, chr(value.length), value].join('');
          return true;
        }
      }
      this.unpack();
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

  /** Moves a packed hash into the array form, each field and value a string of its own. */
  private unpack(): void {
    const p = this.packed!;
    const n = p.charCodeAt(0);
    // Decoded through a Buffer, not sliced: a slice of the packed string would keep all of it alive.
    const bytes = Buffer.from(p, 'latin1');
    const kv = new Array<string>(2 * n);
    let i = 1;
    for (let j = 0; j < 2 * n; j++) {
      const l = p.charCodeAt(i);
      kv[j] = bytes.latin1Slice(i + 1, i + 1 + l);
      i += 1 + l;
    }
    this.kv = kv;
    this.packed = null;
    if (n > SMALL_FIELDS) this.index();
  }

  /** Builds the field index over `kv`. */
  private index(): KeyTable {
    return (this.pos = KeyTable.over(this.kv, 2));
  }

  /** Removes a field; true when it was there. */
  delete(field: string): boolean {
    const p = this.packed;
    if (p !== null) {
      const i = packedFind(p, field);
      if (i < 0) return false;
      const v = packedValue(p, i);
      this.packed = [chr(p.charCodeAt(0) - 1), p.slice(1, i), p.slice(v + 1 + p.charCodeAt(v))].join('');
      return true;
    }
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
    const p = this.packed;
    if (p === null) return this.kv[2 * i]!;
    const e = packedEntry(p, i);
    return p.slice(e + 1, e + 1 + p.charCodeAt(e));
  }

  valueAt(i: number): string {
    const p = this.packed;
    if (p === null) return this.kv[2 * i + 1]!;
    const v = packedValue(p, packedEntry(p, i));
    return p.slice(v + 1, v + 1 + p.charCodeAt(v));
  }

  /** A uniformly random slot in [0, size). */
  randomSlot(): number {
    return Math.floor(Math.random() * this.size);
  }

  /** Whether Redis would hold this hash as a listpack now. */
  get isListpack(): boolean {
    return this.compact;
  }

  /** The field → slot index, for live HSCAN cursors (its keys are the fields). The hash unpacks for it. */
  get scanMap(): KeyTable {
    if (this.packed !== null) this.unpack();
    return this.pos ?? this.index();
  }

  /** [field, value] pairs in slot order. */
  *entries(): IterableIterator<[string, string]> {
    const p = this.packed;
    if (p !== null) {
      let i = 1;
      while (i < p.length) {
        const v = packedValue(p, i);
        const end = v + 1 + p.charCodeAt(v);
        yield [p.slice(i + 1, v), p.slice(v + 1, end)];
        i = end;
      }
      return;
    }
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) yield [kv[i]!, kv[i + 1]!];
  }

  /** The length of every field and value, in slot order. */
  private lengths(): number[] {
    const p = this.packed;
    if (p === null) return this.kv.map((s) => s.length);
    const out: number[] = [];
    for (let i = 1; i < p.length; i += 1 + p.charCodeAt(i)) out.push(p.charCodeAt(i));
    return out;
  }

  encoding(): string {
    return this.compact ? 'listpack' : 'hashtable';
  }

  memoryUsage(): number {
    const lengths = this.lengths();
    const n = lengths.length >> 1;
    if (this.compact) {
      // A listpack: a 6-byte header, per entry a small header, the bytes and a back-length, and a terminator.
      let bytes = 7;
      for (const l of lengths) bytes += l + (l < 64 ? 2 : l < 4096 ? 4 : 6);
      return bytes;
    }
    let buckets = 4;
    while (buckets < n) buckets *= 2;
    let bytes = 56 + buckets * 8 + n * 24;
    for (const l of lengths) bytes += stringBytes(l);
    return bytes;
  }

  clone(): Hash {
    const h = new Hash();
    h.packed = this.packed;
    if (this.packed === null) {
      h.kv = this.kv.slice();
      if (this.pos !== null) h.index();
    }
    h.compact = this.compact;
    return h;
  }
}
nameType(Hash, 'hash');

const NO_FIELDS: string[] = [];

/** Allocator-rounded bytes of a length-prefixed string buffer of len bytes. */
function stringBytes(len: number): number {
  const raw = (len < 32 ? 1 : len < 256 ? 3 : 5) + len + 1;
  if (raw <= 8) return 8;
  if (raw <= 128) return (raw + 15) & ~15;
  return Math.ceil(raw / 64) * 64;
}
