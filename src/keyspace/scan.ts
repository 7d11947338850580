// Server-side SCAN cursors: live iterators kept by cursor id, generic over a Map or a database's KeyTable (which
// iterates with a Map iterator's guarantees), so SCAN, HSCAN, SSCAN and ZSCAN share them.
//
// Such an iterator survives inserts and deletes and visits every entry present for the whole iteration exactly
// once, which is SCAN's guarantee. A new scan (cursor 0) gets an iterator and a fresh random nonzero id; each
// call that leaves entries behind hands out a new id for the same iterator (the old id is dropped, so a client
// that repeats a call restarts instead of skipping a batch). An id that is unknown (dropped, made up, or from
// another server run) or that belongs to a different Map (FLUSHDB and SWAPDB replace the Map) starts a fresh
// iteration, which still returns everything present throughout.

import type { MapLike } from '../types/key-table.js';

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
}

function randomId(): string {
  for (;;) {
    const hi = BigInt(Math.floor(Math.random() * 0x100000000));
    const lo = BigInt(Math.floor(Math.random() * 0x100000000));
    const v = (hi << 32n) | lo;
    if (v !== 0n) return v.toString();
  }
}

/** The live cursors of one server (or of any owner), at most `max` of them; the least recently used go first. */
export class ScanCursors {
  private live = new Map<string, CursorState>();

  constructor(readonly max = 1000) {}

  /** How many cursors are live. */
  get size(): number {
    return this.live.size;
  }

  /**
   * One SCAN step over `map` from `cursor` (0n starts a scan): examines up to `count` entries, calling `visit`
   * for each, and returns the cursor to continue from ('0' when the iteration is over).
   */
  step<K, V>(map: MapLike<K, V>, cursor: bigint, count: number, visit: (key: K, value: V) => void): string {
    let st: CursorState | undefined;
    if (cursor !== 0n) {
      const id = cursor.toString();
      st = this.live.get(id);
      if (st !== undefined) {
        this.live.delete(id);
        if (st.map !== map) st = undefined;
      }
    }
    if (st === undefined) {
      st = { map: map as MapLike<unknown, unknown>, it: map.entries(), pending: undefined };
    }
    let examined = 0;
    if (st.pending !== undefined) {
      const k = st.pending.key as K;
      st.pending = undefined;
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
      visit(r.value[0], r.value[1]);
    }
    const ahead = it.next();
    if (ahead.done) return '0';
    st.pending = { key: ahead.value[0] };
    let id = randomId();
    while (this.live.has(id)) id = randomId();
    this.live.set(id, st);
    if (this.live.size > this.max) {
      const oldest = this.live.keys().next().value as string;
      this.live.delete(oldest);
    }
    return id;
  }

  /** Forgets every cursor (their ids then start fresh iterations). */
  clear(): void {
    this.live.clear();
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
