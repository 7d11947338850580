// The list type: a deque of latin1 strings on a growable ring buffer.
//
// O(1) push and pop at both ends (amortised: the ring doubles when full and halves when a quarter full), O(1)
// access by index, O(n) insertion and removal in the middle (the shorter side is shifted), like Redis's quicklist
// on the operations Redis documents. One array slot per element, no object per element.

import { nameType, type RedisObject } from './object.js';

const MIN_CAPACITY = 4;

export class ListValue implements RedisObject {
  /** On the prototype (see nameType). */
  declare readonly type: 'list';
  /** The ring: element i (0 = head) lives at buf[(head + i) & mask]. Unused slots hold undefined. */
  private buf: (string | undefined)[];
  private head = 0;
  private len = 0;
  private mask: number;
  /** Sum of the elements' lengths, for memoryUsage(). */
  private bytes = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<string | undefined>(cap);
    this.mask = cap - 1;
  }

  /** A list holding the given elements, head first. */
  static from(items: Iterable<string>): ListValue {
    const arr = Array.isArray(items) ? (items as string[]) : [...items];
    const l = new ListValue(arr.length);
    for (let i = 0; i < arr.length; i++) {
      l.buf[i] = arr[i]!;
      l.bytes += arr[i]!.length;
    }
    l.len = arr.length;
    return l;
  }

  get length(): number {
    return this.len;
  }

  encoding(): string {
    return 'quicklist';
  }

  memoryUsage(): number {
    // Object and array headers, one pointer per slot, and a string header plus the bytes of each element.
    return 64 + this.buf.length * 8 + this.len * 16 + this.bytes;
  }

  clone(): ListValue {
    return ListValue.from(this.toArray());
  }

  /** The element at index i (0 ≤ i < length). */
  at(i: number): string {
    return this.buf[(this.head + i) & this.mask]!;
  }

  /** Replaces the element at index i (0 ≤ i < length). */
  setAt(i: number, v: string): void {
    const p = (this.head + i) & this.mask;
    this.bytes += v.length - this.buf[p]!.length;
    this.buf[p] = v;
  }

  pushBack(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.len) & this.mask] = v;
    this.len++;
    this.bytes += v.length;
  }

  pushFront(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = v;
    this.len++;
    this.bytes += v.length;
  }

  popFront(): string | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head]!;
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.len--;
    this.bytes -= v.length;
    this.maybeShrink();
    return v;
  }

  popBack(): string | undefined {
    if (this.len === 0) return undefined;
    const p = (this.head + this.len - 1) & this.mask;
    const v = this.buf[p]!;
    this.buf[p] = undefined;
    this.len--;
    this.bytes -= v.length;
    this.maybeShrink();
    return v;
  }

  /** Elements start..stop inclusive (already clamped: 0 ≤ start ≤ stop < length), head to tail. */
  range(start: number, stop: number): string[] {
    const out = new Array<string>(stop - start + 1);
    for (let i = start, j = 0; i <= stop; i++, j++) out[j] = this.buf[(this.head + i) & this.mask]!;
    return out;
  }

  toArray(): string[] {
    return this.len === 0 ? [] : this.range(0, this.len - 1);
  }

  /** Removes `front` elements from the head and `back` from the tail (front + back ≤ length). */
  trim(front: number, back: number): void {
    for (let i = 0; i < front; i++) {
      const p = (this.head + i) & this.mask;
      this.bytes -= this.buf[p]!.length;
      this.buf[p] = undefined;
    }
    this.head = (this.head + front) & this.mask;
    this.len -= front;
    for (let i = 0; i < back; i++) {
      const p = (this.head + this.len - 1 - i) & this.mask;
      this.bytes -= this.buf[p]!.length;
      this.buf[p] = undefined;
    }
    this.len -= back;
    this.maybeShrink();
  }

  /** Inserts v so that it becomes element i (0 ≤ i ≤ length), shifting the shorter side. */
  insertAt(i: number, v: string): void {
    if (i === 0) return this.pushFront(v);
    if (i === this.len) return this.pushBack(v);
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    const m = this.mask;
    const b = this.buf;
    if (i < this.len - i) {
      // Shift elements 0..i-1 one slot towards the front.
      this.head = (this.head - 1) & m;
      for (let k = 0; k < i; k++) b[(this.head + k) & m] = b[(this.head + k + 1) & m];
    } else {
      for (let k = this.len; k > i; k--) b[(this.head + k) & m] = b[(this.head + k - 1) & m];
    }
    b[(this.head + i) & m] = v;
    this.len++;
    this.bytes += v.length;
  }

  /** Removes element i (0 ≤ i < length), shifting the shorter side; returns it. */
  removeAt(i: number): string {
    const m = this.mask;
    const b = this.buf;
    const v = b[(this.head + i) & m]!;
    if (i < this.len - 1 - i) {
      for (let k = i; k > 0; k--) b[(this.head + k) & m] = b[(this.head + k - 1) & m];
      b[this.head] = undefined;
      this.head = (this.head + 1) & m;
    } else {
      for (let k = i; k < this.len - 1; k++) b[(this.head + k) & m] = b[(this.head + k + 1) & m];
      b[(this.head + this.len - 1) & m] = undefined;
    }
    this.len--;
    this.bytes -= v.length;
    this.maybeShrink();
    return v;
  }

  /**
   * Removes elements equal to v: count > 0 the first count from the head, count < 0 the first |count| from the
   * tail, 0 all of them. One pass, O(n). Returns how many were removed.
   */
  removeValue(v: string, count: number): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    const m = this.mask;
    const b = this.buf;
    const n = this.len;
    let removed = 0;
    if (count >= 0) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        const x = b[(this.head + r) & m]!;
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) b[(this.head + w) & m] = x;
        w++;
      }
      for (let k = w; k < n; k++) b[(this.head + k) & m] = undefined;
    } else {
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const x = b[(this.head + r) & m]!;
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) b[(this.head + w) & m] = x;
        w--;
      }
      for (let k = 0; k <= w; k++) b[(this.head + k) & m] = undefined;
      this.head = (this.head + removed) & m;
    }
    this.len -= removed;
    this.bytes -= removed * v.length;
    if (removed > 0) this.maybeShrink();
    return removed;
  }

  /** Index of the first element equal to v, or -1. */
  indexOf(v: string): number {
    for (let i = 0; i < this.len; i++) if (this.buf[(this.head + i) & this.mask] === v) return i;
    return -1;
  }

  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > MIN_CAPACITY && this.len <= cap >>> 2) {
      let c = cap >>> 1;
      while (c > MIN_CAPACITY && this.len <= c >>> 2) c >>>= 1;
      this.resize(c);
    }
  }

  private resize(cap: number): void {
    const nb = new Array<string | undefined>(cap);
    for (let i = 0; i < this.len; i++) nb[i] = this.buf[(this.head + i) & this.mask];
    this.buf = nb;
    this.head = 0;
    this.mask = cap - 1;
  }
}
nameType(ListValue, 'list');
