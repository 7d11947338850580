// Server-side SCAN cursors: live iterators kept by cursor id, generic over a Map or a database's KeyTable (which
// iterates with a Map iterator's guarantees), so SCAN, HSCAN, SSCAN and ZSCAN share them.
//
// Such an iterator survives inserts and deletes and visits every entry present for the whole iteration exactly
// once, which is SCAN's guarantee. A new scan (cursor 0) gets an iterator; each call that leaves entries behind
// hands out a new id for the same iterator (the old id is dropped). An id carries where its scan stands — the
// slot it resumes at in a KeyTable, the entries it has passed in a Map — above 16 random bits: an id whose
// iterator is gone (dropped as the least recently used of too many live cursors, repeated by a client, from
// another server run) or that belongs to a different Map (the value replaced, FLUSHDB, SWAPDB, DEBUG RELOAD)
// resumes from that place with a fresh iterator, so a scan always ends. Only then may it miss or repeat entries that moved meanwhile.
// Ids stay below 2^48, so clients that keep a cursor in a signed 64-bit integer can.

import { KeyTable, type MapLike } from '../types/key-table.js';

/** SCAN's error for a cursor that is not an unsigned decimal number. */
export const ERR_INVALID_CURSOR = 'ERR invalid cursor';

const U64_MAX = 0xffffffffffffffffn;

/**
 * Parses a cursor as Redis does with strtoul(): an optional sign and decimal digits, no leading space, no
 * trailing bytes, within 64 bits ("-1" wraps around as in C; "" is 0). Returns undefined when invalid.
 */
export function parseCursor(s: string): bigint | undefined {
  // strtoul() reads a C string: a NUL byte ends the cursor.
  const z = s.indexOf('\0');
  if (z >= 0) s = s.slice(0, z);
  const n = s.length;
  if (n === 0) return 0n;
  if (n === 1 && s === '0') return 0n;
  let i = 0;
  const c0 = s.charCodeAt(0);
  const neg = c0 === 45;
  if (c0 === 43 || c0 === 45) i = 1;
  if (i === n) return undefined;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  const v = BigInt(i === 0 ? s : s.slice(i));
  if (v > U64_MAX) return undefined;
  return neg && v !== 0n ? U64_MAX + 1n - v : v;
}

interface CursorState {
  map: MapLike<unknown, unknown>;
  it: Iterator<[unknown, unknown]>;
  /** An entry read ahead (to learn whether the iteration had ended) and not yet visited. */
  pending: { key: unknown } | undefined;
  /** Entries passed so far (where a Map's scan resumes if its iterator is lost). */
  passed: number;
}

/** Random bits below the place in an id, so that scans at the same place get different ids. */
const TAG_BITS = 16;

/** An id for a scan at `place` (nonzero). */
function idAt(place: number): string {
  return String(place * 2 ** TAG_BITS + 1 + Math.floor(Math.random() * (2 ** TAG_BITS - 1)));
}

/** The place an id carries (see idAt). */
function placeOf(id: bigint): number {
  return Number(id >> BigInt(TAG_BITS));
}

/** A fresh iterator over `map` from `place`: a KeyTable's slot, or a Map's count of entries to pass. */
function resume(map: MapLike<unknown, unknown>, place: number): CursorState {
  if (map instanceof KeyTable) return { map, it: map.entriesFrom(place), pending: undefined, passed: 0 };
  const it = map.entries();
  for (let i = 0; i < place && !it.next().done; i++);
  return { map, it, pending: undefined, passed: place };
}

/**
 * The live cursors of one server (or of any owner), at most `max` of them. Past that the least recently used of
 * the scans that were never resumed go first (a client that reads one page and stops leaves one), then the least
 * recently used of the others: many abandoned scans do not cost a scan in progress its iterator.
 */
export class ScanCursors {
  /** Ids of scans that have not been resumed yet, and of those that have, each in least recently used order. */
  private fresh = new Map<string, CursorState>();
  private going = new Map<string, CursorState>();

  constructor(readonly max = 10_000) {}

  /** How many cursors are live. */
  get size(): number {
    return this.fresh.size + this.going.size;
  }

  /**
   * One SCAN step over `map` from `cursor` (0n starts a scan): examines up to `count` entries, calling `visit`
   * for each, and returns the cursor to continue from ('0' when the iteration is over).
   */
  step<K, V>(map: MapLike<K, V>, cursor: bigint, count: number, visit: (key: K, value: V) => void): string {
    const m = map as MapLike<unknown, unknown>;
    let st: CursorState | undefined;
    if (cursor !== 0n) {
      const id = cursor.toString();
      st = this.going.get(id) ?? this.fresh.get(id);
      if (st !== undefined) {
        if (!this.going.delete(id)) this.fresh.delete(id);
        // Another Map (the value replaced, FLUSHDB, SWAPDB, DEBUG RELOAD): go on from the place the id carries in
        // it. Starting it over would never end a scan whose value is replaced between every two steps.
        if (st.map !== m) st = resume(m, placeOf(cursor));
      } else {
        st = resume(m, placeOf(cursor));
      }
    } else {
      st = { map: m, it: m.entries(), pending: undefined, passed: 0 };
    }
    let examined = 0;
    if (st.pending !== undefined) {
      const k = st.pending.key as K;
      st.pending = undefined;
      st.passed++;
      // The entry read ahead may have been deleted since; then it is not reported.
      if (map.has(k)) {
        examined++;
        visit(k, map.get(k)!);
      }
    }
    const it = st.it as Iterator<[K, V]>;
    while (examined < count) {
      const r = it.next();
      if (r.done) return '0';
      examined++;
      st.passed++;
      visit(r.value[0], r.value[1]);
    }
    const ahead = it.next();
    if (ahead.done) return '0';
    st.pending = { key: ahead.value[0] };
    // Where a lost iterator resumes: the slot of the entry read ahead, or the entries passed before it.
    const place = map instanceof KeyTable ? (ahead.value[1] as number) : st.passed;
    let id = idAt(place);
    while (this.fresh.has(id) || this.going.has(id)) id = idAt(place);
    (cursor === 0n ? this.fresh : this.going).set(id, st);
    if (this.size > this.max) {
      const from = this.fresh.size > 0 ? this.fresh : this.going;
      from.delete(from.keys().next().value as string);
    }
    return id;
  }

  /** Forgets every cursor (their ids then start fresh iterations). */
  clear(): void {
    this.fresh.clear();
    this.going.clear();
  }
}

const byOwner = new WeakMap<object, ScanCursors>();

/** The cursor registry of an owner (the keyspace for SCAN and the collection scans), created on first use. */
export function cursorsOf(owner: object): ScanCursors {
  let r = byOwner.get(owner);
  if (r === undefined) {
    r = new ScanCursors();
    byOwner.set(owner, r);
  }
  return r;
}
