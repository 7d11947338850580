// The list type: a deque of latin1 strings on a ring of slots.
//
// O(1) push and pop at both ends, O(1) access by index, O(n) insertion and removal in the middle (the shorter side
// is shifted), like Redis's quicklist on the operations Redis documents. One array slot per element, no object per
// element.
//
// A short list is one ring array that doubles when full and halves when a quarter full. Past CHUNK elements the
// ring is made of chunks: arrays of CHUNK slots, held by a directory that is itself a ring. Growing then copies
// directory entries and at most one chunk, never the elements: a list of millions grows without stalling (a single
// ring of 4 million took 190 ms to double), and no array is ever large. Chunks are made when a push first reaches
// them; the directory halves when a quarter full, dropping the chunks it no longer spans.

import { nameType, type RedisObject } from './object.js';

const MIN_CAPACITY = 4;
/** Slots per chunk, as a shift; also the most elements a single ring holds. */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

type Chunk = (string | undefined)[];
type Directory = (Chunk | undefined)[];

function newChunk(): Chunk {
  return new Array<string | undefined>(CHUNK);
}

export class ListValue implements RedisObject {
  /** On the prototype (see nameType). */
  declare readonly type: 'list';
  /**
   * Element i (0 = head) lives at slot (head + i) & mask. A short list (at most CHUNK slots: mask < CHUNK) keeps
   * its elements in `buf`, at buf[slot]; for a chunked one `buf` is the directory, and the element is at
   * buf[slot >> CHUNK_BITS][slot & CHUNK_MASK]. One field for both keeps a short list's object as small as before.
   * Unused slots hold undefined (or sit in chunks not made yet).
   */
  private buf: Chunk | Directory;
  private head = 0;
  private len = 0;
  private mask: number;
  /** Sum of the elements' lengths, for memoryUsage(). */
  private bytes = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity && cap < CHUNK) cap *= 2;
    this.buf = new Array<string | undefined>(cap);
    this.mask = cap - 1;
  }

  /** A list holding the given elements, head first. */
  static from(items: Iterable<string>): ListValue {
    const arr = Array.isArray(items) ? (items as string[]) : [...items];
    const l = new ListValue(arr.length);
    for (let i = 0; i < arr.length; i++) l.pushBack(arr[i]!);
    return l;
  }

  get length(): number {
    return this.len;
  }

  /** The sum of the elements' lengths. */
  get byteLength(): number {
    return this.bytes;
  }

  encoding(): string {
    return 'quicklist';
  }

  memoryUsage(): number {
    // Object and array headers, one pointer per slot, and a string header plus the bytes of each element.
    if (this.mask < CHUNK) return 64 + this.buf.length * 8 + this.len * 16 + this.bytes;
    const d = this.buf as Directory;
    let chunks = 0;
    for (const ch of d) if (ch !== undefined) chunks++;
    return 64 + d.length * 8 + chunks * (16 + CHUNK * 8) + this.len * 16 + this.bytes;
  }

  clone(): ListValue {
    return ListValue.from(this.toArray());
  }

  /** The element at slot p. */
  private slot(p: number): string | undefined {
    if (this.mask < CHUNK) return (this.buf as Chunk)[p];
    const ch = (this.buf as Directory)[p >>> CHUNK_BITS];
    return ch === undefined ? undefined : ch[p & CHUNK_MASK];
  }

  /** Puts v (undefined: nothing) at slot p, making its chunk if needed. */
  private put(p: number, v: string | undefined): void {
    if (this.mask < CHUNK) {
      (this.buf as Chunk)[p] = v;
      return;
    }
    const d = this.buf as Directory;
    const c = p >>> CHUNK_BITS;
    let ch = d[c];
    if (ch === undefined) {
      if (v === undefined) return;
      ch = d[c] = newChunk();
    }
    ch[p & CHUNK_MASK] = v;
  }

  /** The element at index i (0 ≤ i < length). */
  at(i: number): string {
    return this.slot((this.head + i) & this.mask)!;
  }

  /** Replaces the element at index i (0 ≤ i < length). */
  setAt(i: number, v: string): void {
    const p = (this.head + i) & this.mask;
    this.bytes += v.length - this.slot(p)!.length;
    this.put(p, v);
  }

  pushBack(v: string): void {
    if (this.len > this.mask) this.grow();
    this.put((this.head + this.len) & this.mask, v);
    this.len++;
    this.bytes += v.length;
  }

  pushFront(v: string): void {
    if (this.len > this.mask) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.put(this.head, v);
    this.len++;
    this.bytes += v.length;
  }

  popFront(): string | undefined {
    if (this.len === 0) return undefined;
    const p = this.head;
    const v = this.slot(p)!;
    this.put(p, undefined);
    this.head = (p + 1) & this.mask;
    this.len--;
    this.bytes -= v.length;
    this.maybeShrink();
    return v;
  }

  popBack(): string | undefined {
    if (this.len === 0) return undefined;
    const p = (this.head + this.len - 1) & this.mask;
    const v = this.slot(p)!;
    this.put(p, undefined);
    this.len--;
    this.bytes -= v.length;
    this.maybeShrink();
    return v;
  }

  /** Elements start..stop inclusive (already clamped: 0 ≤ start ≤ stop < length), head to tail. */
  range(start: number, stop: number): string[] {
    const out = new Array<string>(stop - start + 1);
    const m = this.mask;
    const h = this.head;
    if (m < CHUNK) {
      const b = this.buf as Chunk;
      for (let i = start, j = 0; i <= stop; i++, j++) out[j] = b[(h + i) & m]!;
      return out;
    }
    const d = this.buf as Directory;
    for (let i = start, j = 0; i <= stop; i++, j++) {
      const p = (h + i) & m;
      out[j] = d[p >>> CHUNK_BITS]![p & CHUNK_MASK]!;
    }
    return out;
  }

  toArray(): string[] {
    return this.len === 0 ? [] : this.range(0, this.len - 1);
  }

  /** Removes `front` elements from the head and `back` from the tail (front + back ≤ length). */
  trim(front: number, back: number): void {
    const m = this.mask;
    for (let i = 0; i < front; i++) {
      const p = (this.head + i) & m;
      this.bytes -= this.slot(p)!.length;
      this.put(p, undefined);
    }
    this.head = (this.head + front) & m;
    this.len -= front;
    for (let i = 0; i < back; i++) {
      const p = (this.head + this.len - 1 - i) & m;
      this.bytes -= this.slot(p)!.length;
      this.put(p, undefined);
    }
    this.len -= back;
    this.maybeShrink();
  }

  /** Inserts v so that it becomes element i (0 ≤ i ≤ length), shifting the shorter side. */
  insertAt(i: number, v: string): void {
    if (i === 0) return this.pushFront(v);
    if (i === this.len) return this.pushBack(v);
    if (this.len > this.mask) this.grow();
    const m = this.mask;
    if (i < this.len - i) {
      // Shift elements 0..i-1 one slot towards the front.
      this.head = (this.head - 1) & m;
      for (let k = 0; k < i; k++) this.put((this.head + k) & m, this.slot((this.head + k + 1) & m));
    } else {
      for (let k = this.len; k > i; k--) this.put((this.head + k) & m, this.slot((this.head + k - 1) & m));
    }
    this.put((this.head + i) & m, v);
    this.len++;
    this.bytes += v.length;
  }

  /** Removes element i (0 ≤ i < length), shifting the shorter side; returns it. */
  removeAt(i: number): string {
    const m = this.mask;
    const v = this.slot((this.head + i) & m)!;
    if (i < this.len - 1 - i) {
      for (let k = i; k > 0; k--) this.put((this.head + k) & m, this.slot((this.head + k - 1) & m));
      this.put(this.head, undefined);
      this.head = (this.head + 1) & m;
    } else {
      for (let k = i; k < this.len - 1; k++) this.put((this.head + k) & m, this.slot((this.head + k + 1) & m));
      this.put((this.head + this.len - 1) & m, undefined);
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
    const n = this.len;
    let removed = 0;
    if (count >= 0) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        const x = this.slot((this.head + r) & m)!;
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) this.put((this.head + w) & m, x);
        w++;
      }
      for (let k = w; k < n; k++) this.put((this.head + k) & m, undefined);
    } else {
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const x = this.slot((this.head + r) & m)!;
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) this.put((this.head + w) & m, x);
        w--;
      }
      for (let k = 0; k <= w; k++) this.put((this.head + k) & m, undefined);
      this.head = (this.head + removed) & m;
    }
    this.len -= removed;
    this.bytes -= removed * v.length;
    if (removed > 0) this.maybeShrink();
    return removed;
  }

  /** Index of the first element equal to v, or -1. */
  indexOf(v: string): number {
    for (let i = 0; i < this.len; i++) if (this.slot((this.head + i) & this.mask) === v) return i;
    return -1;
  }

  /** Makes room for one more element in a full list. */
  private grow(): void {
    const cap = this.mask + 1;
    if (cap <= CHUNK) {
      if (cap < CHUNK) {
        this.resizeRing(cap * 2);
        return;
      }
      // A full ring of CHUNK becomes the first chunk, its elements in order.
      const ring = this.buf as Chunk;
      let first = ring;
      if (this.head !== 0) {
        first = newChunk();
        for (let i = 0; i < this.len; i++) first[i] = ring[(this.head + i) & this.mask];
      }
      this.buf = [first, undefined] as Directory;
      this.head = 0;
      this.mask = 2 * CHUNK - 1;
      return;
    }
    // A directory twice as long, its chunks in list order from the head's.
    const d = this.buf as Directory;
    const k = d.length;
    const hc = this.head >>> CHUNK_BITS;
    const ho = this.head & CHUNK_MASK;
    const nd = new Array<Chunk | undefined>(2 * k).fill(undefined);
    for (let i = 0; i < k; i++) nd[i] = d[(hc + i) & (k - 1)];
    if (ho !== 0) {
      // The list fills the ring, so the head's chunk also holds its last ho elements: they move to a new chunk.
      const h = nd[0]!;
      const t = newChunk();
      for (let j = 0; j < ho; j++) {
        t[j] = h[j];
        h[j] = undefined;
      }
      nd[k] = t;
    }
    this.buf = nd;
    this.head = ho;
    this.mask = 2 * k * CHUNK - 1;
  }

  private maybeShrink(): void {
    const cap = this.mask + 1;
    if (cap <= MIN_CAPACITY || this.len > cap >>> 2) return;
    if (cap <= CHUNK) {
      let c = cap >>> 1;
      while (c > MIN_CAPACITY && this.len <= c >>> 2) c >>>= 1;
      this.resizeRing(c);
      return;
    }
    const len = this.len;
    if (len <= CHUNK >>> 1) {
      // Short again: back to a single ring, with room to double.
      let c = MIN_CAPACITY;
      while (c < 2 * len) c *= 2;
      const nb = new Array<string | undefined>(c);
      for (let i = 0; i < len; i++) nb[i] = this.slot((this.head + i) & this.mask);
      this.buf = nb;
      this.head = 0;
      this.mask = c - 1;
      return;
    }
    // A shorter directory over the chunks the elements span (they do not wrap into the head's chunk: the list
    // fills at most a quarter of the ring), with room to double.
    const d = this.buf as Directory;
    const k = d.length;
    const hc = this.head >>> CHUNK_BITS;
    const ho = this.head & CHUNK_MASK;
    const span = ((ho + len - 1) >>> CHUNK_BITS) + 1;
    let nk = 2;
    while (nk < span || nk * CHUNK < 2 * len) nk *= 2;
    if (nk >= k) return;
    const nd = new Array<Chunk | undefined>(nk).fill(undefined);
    for (let i = 0; i < span; i++) nd[i] = d[(hc + i) & (k - 1)];
    this.buf = nd;
    this.head = ho;
    this.mask = nk * CHUNK - 1;
  }

  /** Moves a single ring's elements to a new ring of `cap` slots, head first. */
  private resizeRing(cap: number): void {
    const ring = this.buf as Chunk;
    const nb = new Array<string | undefined>(cap);
    for (let i = 0; i < this.len; i++) nb[i] = ring[(this.head + i) & this.mask];
    this.buf = nb;
    this.head = 0;
    this.mask = cap - 1;
  }
}
nameType(ListValue, 'list');
