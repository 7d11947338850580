// The numbers of an intset (src/types/random-set.ts), ascending, packed as Redis packs them: two bytes a member
// while every member fits in 16 bits, four while they fit in 32, eight beyond. The first two forms are one
// two-byte string — a width char (1 or 2), then each number biased to unsigned and written as 1 or 2 chars (high
// char first, so the chars of a number compare as it does) — one allocation with a 16-byte header, where a
// number array costs 8 bytes a member and two headers. Past 32 bits it is an array of numbers (exact size). The
// width only grows, as Redis's intset encoding only grows.
//
// A packed form is immutable: an insert or removal builds the next string in O(n), as Redis's intset moves its
// tail. It is joined from at least two non-empty parts, so V8 makes it flat: not a rope, and not a slice that
// keeps the previous string alive.

import { withInserted, withRemoved } from './exact-array.js';

/** The packed numbers: a string (widths 1 and 2) or an array of numbers (past 32 bits). */
export type PackedInts = string | number[];

/** No numbers, at the narrowest width. Shared: strings are immutable. */
export const NO_INTS: PackedInts = '\x01';

const chr = String.fromCharCode;

/** The chars a number takes at the narrowest width that holds it: 1, 2, or 0 (an array is needed). */
function widthOf(v: number): number {
  if (v >= -0x8000 && v <= 0x7fff) return 1;
  if (v >= -0x80000000 && v <= 0x7fffffff) return 2;
  return 0;
}

/** v written at width w (the width must hold it). */
function encode(v: number, w: number): string {
  if (w === 1) return chr(v + 0x8000);
  const u = v + 0x80000000;
  return chr(Math.floor(u / 0x10000), u & 0xffff);
}

/** The number at char position p of a string of width w. */
function decode(s: string, p: number, w: number): number {
  if (w === 1) return s.charCodeAt(p) - 0x8000;
  return s.charCodeAt(p) * 0x10000 + s.charCodeAt(p + 1) - 0x80000000;
}

/** How many numbers there are. */
export function intsSize(a: PackedInts): number {
  if (typeof a !== 'string') return a.length;
  return (a.length - 1) / a.charCodeAt(0);
}

/** The i-th number (0 ≤ i < size). */
export function intAt(a: PackedInts, i: number): number {
  if (typeof a !== 'string') return a[i]!;
  const w = a.charCodeAt(0);
  return decode(a, 1 + i * w, w);
}

/** The first index whose number is ≥ v. A loop for each form: this is every lookup's inner loop. */
export function intsLowerBound(a: PackedInts, v: number): number {
  let lo = 0;
  if (typeof a !== 'string') {
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  const w = a.charCodeAt(0);
  let hi = (a.length - 1) / w;
  if (w === 1) {
    // Chars compare as their numbers do; a v outside 16 bits compares right as well.
    const c = v + 0x8000;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a.charCodeAt(1 + mid) < c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decode(a, 1 + 2 * mid, 2) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The numbers as an array, ascending. */
export function intsArray(a: PackedInts): number[] {
  if (typeof a !== 'string') return a.slice();
  const n = intsSize(a);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = intAt(a, i);
  return out;
}

/** Bytes per number in Redis's terms (its intset encoding): 2, 4 or 8. */
export function intsWidthBytes(a: PackedInts): number {
  return typeof a === 'string' ? 2 * a.charCodeAt(0) : 8;
}

/** The packed numbers with v inserted at index i (where intsLowerBound puts it), widened if v needs it. */
export function intsInsert(a: PackedInts, i: number, v: number): PackedInts {
  if (typeof a !== 'string') return withInserted(a, i, v);
  const w = a.charCodeAt(0);
  const need = widthOf(v);
  if (need === 0) return withInserted(intsArray(a), i, v);
  if (need > w) {
    // Widening: every number is written again at the new width.
    const n = intsSize(a);
    const parts = new Array<string>(n + 2);
    parts[0] = chr(need);
    for (let j = 0; j < n; j++) parts[j < i ? j + 1 : j + 2] = encode(intAt(a, j), need);
    parts[i + 1] = encode(v, need);
    return parts.join('');
  }
  const p = 1 + i * w;
  return [a.slice(0, p), encode(v, w), a.slice(p)].join('');
}

/** The packed numbers without index i, at the same width. */
export function intsRemove(a: PackedInts, i: number): PackedInts {
  if (typeof a !== 'string') return withRemoved(a, i);
  const w = a.charCodeAt(0);
  const p = 1 + i * w;
  // The width char as a part of its own: a join of one non-empty part returns that part, here a slice that would
  // keep the whole previous string alive.
  return [chr(w), a.slice(1, p), a.slice(p + w)].join('');
}
