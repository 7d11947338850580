// The set type: O(1) add, remove and membership, and O(1) uniformly random members (SRANDMEMBER, SPOP).
//
// Members live in a dense array; a KeyTable (the open-addressing index the keyspace uses too, src/types/key-table.ts)
// gives each member's position there. Removal moves the last member into
// the hole (swap-remove), so every operation stays O(1) and a random member is one random index.
//
// Redis 7.0 keeps a set of integers as an "intset" (sorted, at most 512 members) and converts it for good to a
// "hashtable" when a member that is not a canonical 64-bit integer arrives or it grows past 512. The set tracks
// that state so OBJECT ENCODING tells what Redis would, and `ordered()` yields members in Redis's iteration
// order while the set is an intset (ascending), which is what SMEMBERS, SSCAN and the set algebra reply with.
// While it is an intset of integers within ±(2^53 − 1) it is also stored as one: the numbers, ascending, packed
// two, four or eight bytes a member as Redis packs them (src/types/packed-ints.ts) instead of a string, an array
// cell and an index slot each, found by binary search, as Redis's intset is.

import { nameType, type RedisObject } from './object.js';
import { KeyTable } from './key-table.js';
import { encodingLimits } from './encoding-limits.js';
import { withInserted } from './exact-array.js';
import {
  NO_INTS,
  intAt,
  intsArray,
  intsInsert,
  intsLowerBound,
  intsRemove,
  intsSize,
  intsWidthBytes,
  type PackedInts,
} from './packed-ints.js';

/** Redis's set-max-intset-entries default. */
export const SET_MAX_INTSET_ENTRIES = 512;

const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';

/**
 * True when `s` is the canonical decimal text of a signed 64-bit integer (what Redis's string2ll accepts): no
 * '+', no leading zeros, no "-0", no spaces.
 */
export function isInt64Text(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1;
  if (first < 49 || first > 57) return false;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  const digits = n - i;
  if (digits < 19) return true;
  if (digits > 19) return false;
  const body = i === 0 ? s : s.slice(1);
  return body <= (i === 0 ? INT64_MAX : INT64_MIN_ABS);
}

/** Orders canonical integer texts by value (both must satisfy isInt64Text). */
export function compareIntText(a: string, b: string): number {
  const na = a.charCodeAt(0) === 45;
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return na ? -1 : 1;
  let r: number;
  if (a.length !== b.length) r = a.length - b.length;
  else r = a < b ? -1 : a > b ? 1 : 0;
  return na ? 0 - r : r; // 0 - r, not -r: equal negatives compare as 0, never -0
}

/** Up to this many members a set has no index. */
const SMALL_MEMBERS = 8;

export class RandomSet implements RedisObject {
  /** On the prototype (see nameType). */
  declare readonly type: 'set';
  /** The members (while not in the numbers form). Starts as a shared empty array that is never written to. */
  private items: string[] = NO_ITEMS;
  /**
   * member → its index in `items`, made when the set grows past SMALL_MEMBERS (or a live SSCAN needs it); from
   * then on `items` is never replaced, since the index reads it. Until then `items` is scanned and kept at its
   * exact size.
   */
  private pos: KeyTable | null = null;
  /** True while Redis would keep this set as an intset. Starts true (an empty intset) and never comes back. */
  private intset = true;
  /** Members in ascending order while an intset, computed on demand. */
  private sorted: string[] | null = null;
  /**
   * The numbers form, while every member is a canonical integer within ±(2^53 − 1) and the set is an intset:
   * the members as numbers, ascending, packed (src/types/packed-ints.ts); `items` is then unused. null once
   * left, for good.
   */
  private nums: PackedInts | null = NO_INTS;

  /** A set holding `members` (duplicates ignored), encoded as Redis would build it by adding them in order. */
  static of(members: Iterable<string>): RandomSet {
    const s = new RandomSet();
    for (const m of members) s.add(m);
    return s;
  }

  get size(): number {
    const nums = this.nums;
    return nums !== null ? intsSize(nums) : this.items.length;
  }

  /** Leaves the numbers form for good: the members become strings in `items`. */
  private toStrings(): void {
    const nums = this.nums!;
    const n = intsSize(nums);
    const items = new Array<string>(n);
    for (let i = 0; i < n; i++) items[i] = String(intAt(nums, i));
    this.items = items;
    this.nums = null;
    if (items.length > SMALL_MEMBERS) this.index();
  }

  /** The index of a member, or -1. */
  private indexOf(member: string): number {
    const pos = this.pos;
    if (pos !== null) {
      const i = pos.get(member);
      return i === undefined ? -1 : i;
    }
    return this.items.indexOf(member);
  }

  /** Reads ahead for looking up `members[from..to)` (see KeyTable.prefetch). */
  prefetch(members: readonly string[], from: number, to: number, out: Int32Array): void {
    this.pos?.prefetch(members, from, to, out);
  }

  has(member: string): boolean {
    const nums = this.nums;
    if (nums !== null) {
      const v = numberOf(member);
      if (v === undefined) return false;
      const i = intsLowerBound(nums, v);
      return i < intsSize(nums) && intAt(nums, i) === v;
    }
    return this.indexOf(member) >= 0;
  }

  /** Builds the member index over `items`. */
  private index(): KeyTable {
    return (this.pos = KeyTable.over(this.items));
  }

  /** Adds a member; true when it was not there. */
  add(member: string): boolean {
    const nums = this.nums;
    if (nums !== null) {
      const v = numberOf(member);
      if (v !== undefined) {
        const i = intsLowerBound(nums, v);
        const n = intsSize(nums);
        if (i < n && intAt(nums, i) === v) return false;
        if (n < encodingLimits.setIntsetEntries) {
          this.nums = intsInsert(nums, i, v);
          return true;
        }
      }
      this.toStrings();
    }
    if (this.indexOf(member) >= 0) return false;
    const items = this.items;
    const n = items.length;
    if (this.pos !== null) {
      this.pos.set(member, n);
      items.push(member);
    } else if (n < SMALL_MEMBERS) {
      this.items = withInserted(items, n, member);
    } else {
      items.push(member);
      this.index();
    }
    if (this.intset) {
      this.sorted = null;
      if (this.items.length > encodingLimits.setIntsetEntries || !isInt64Text(member)) this.intset = false;
    }
    return true;
  }

  /** Removes a member; true when it was there. */
  delete(member: string): boolean {
    const nums = this.nums;
    if (nums !== null) {
      const v = numberOf(member);
      if (v === undefined) return false;
      const i = intsLowerBound(nums, v);
      if (i >= intsSize(nums) || intAt(nums, i) !== v) return false;
      this.removeNumber(i);
      return true;
    }
    const i = this.indexOf(member);
    if (i < 0) return false;
    this.removeAt(i, member);
    return true;
  }

  /** Removes the i-th number. */
  private removeNumber(i: number): void {
    this.nums = intsRemove(this.nums!, i);
  }

  private removeAt(i: number, member: string): void {
    this.pos?.delete(member);
    const last = this.items.pop()!;
    if (i < this.items.length) {
      this.items[i] = last;
      this.pos?.move(last, this.items.length, i);
    }
    if (this.sorted !== null) this.sorted = null;
  }

  /** The member at position i (0 ≤ i < size), in no particular order: for random picks. */
  at(i: number): string {
    const nums = this.nums;
    return nums !== null ? String(intAt(nums, i)) : this.items[i]!;
  }

  /** A uniformly random index in [0, size). */
  randomIndex(): number {
    return Math.floor(Math.random() * this.size);
  }

  /** A uniformly random member, or undefined when empty. O(1). */
  random(): string | undefined {
    const n = this.size;
    return n === 0 ? undefined : this.at(Math.floor(Math.random() * n));
  }

  /** Removes and returns a uniformly random member, or undefined when empty. O(1) (O(size) while an intset). */
  popRandom(): string | undefined {
    const n = this.size;
    if (n === 0) return undefined;
    const i = Math.floor(Math.random() * n);
    const m = this.at(i);
    if (this.nums !== null) this.removeNumber(i);
    else this.removeAt(i, m);
    return m;
  }

  /** Whether Redis would hold this set as an intset now. */
  get isIntset(): boolean {
    return this.intset;
  }

  /**
   * The members in the order Redis iterates them: ascending while an intset, otherwise in storage order. The
   * array is shared and must not be modified; it is valid until the next change.
   */
  ordered(): readonly string[] {
    const nums = this.nums;
    // The numbers form makes the strings afresh each time rather than keeping them (that is the memory it saves).
    if (nums !== null) return intsArray(nums).map(String);
    if (!this.intset) return this.items;
    if (this.sorted === null) this.sorted = this.items.slice().sort(compareIntText);
    return this.sorted;
  }

  /** The member → position map, for live SSCAN cursors (its keys are the members). */
  get scanMap(): KeyTable {
    if (this.nums !== null) this.toStrings();
    return this.pos ?? this.index();
  }

  [Symbol.iterator](): Iterator<string> {
    return this.nums !== null ? this.ordered()[Symbol.iterator]() : this.items[Symbol.iterator]();
  }

  encoding(): string {
    return this.intset ? 'intset' : 'hashtable';
  }

  memoryUsage(): number {
    const n = this.size;
    const nums = this.nums;
    // An intset: a header and one slot per member, as wide as its encoding (which only grows, as Redis's does).
    if (nums !== null) return 8 + n * intsWidthBytes(nums);
    if (this.intset) {
      // An intset: a header and one slot per member, as wide as the widest member needs.
      let width = 2;
      for (const m of this.items) {
        const l = m.length;
        if (l >= 10 && width < 8) {
          const v = BigInt(m);
          if (v > 2147483647n || v < -2147483648n) width = 8;
          else if (width < 4) width = 4;
        } else if (l >= 5 && width < 4) {
          const v = Number(m);
          if (v > 32767 || v < -32768) width = 4;
        }
      }
      return 8 + n * width;
    }
    // A hash table: buckets, one entry per member, and each member's string buffer.
    let buckets = 4;
    while (buckets < n) buckets *= 2;
    let bytes = 56 + buckets * 8 + n * 24;
    for (const m of this.items) bytes += stringBytes(m.length);
    return bytes;
  }

  clone(): RandomSet {
    const s = new RandomSet();
    const nums = this.nums;
    s.nums = nums === null || typeof nums === 'string' ? nums : nums.slice();
    s.items = this.items.slice();
    if (this.pos !== null) s.index();
    s.intset = this.intset;
    return s;
  }
}
nameType(RandomSet, 'set');

const NO_ITEMS: string[] = [];

/** The number a member stands for when it is a canonical integer within ±(2^53 − 1); undefined otherwise. */
function numberOf(member: string): number | undefined {
  if (!isInt64Text(member)) return undefined;
  const v = Number(member);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Allocator-rounded bytes of a length-prefixed string buffer of len bytes. */
function stringBytes(len: number): number {
  const raw = (len < 32 ? 1 : len < 256 ? 3 : 5) + len + 1;
  if (raw <= 8) return 8;
  if (raw <= 128) return (raw + 15) & ~15;
  return Math.ceil(raw / 64) * 64;
}

/**
 * k distinct indices drawn uniformly from [0, n) (k ≤ n), in random order, in O(k) expected time: a partial
 * Fisher–Yates shuffle when k is a large share of n (then n < 3k), else rejection of repeated draws.
 */
export function sampleDistinct(n: number, k: number): number[] {
  if (k * 3 > n) {
    const p = new Array<number>(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(Math.random() * (n - i));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    p.length = k;
    return p;
  }
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < k) {
    const j = Math.floor(Math.random() * n);
    if (!seen.has(j)) {
      seen.add(j);
      out.push(j);
    }
  }
  return out;
}
