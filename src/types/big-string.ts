// Big string values kept outside V8's heap.
//
// A string value is normally a latin1 JS string. A big one costs V8 more than its bytes: made in the young
// generation, it is copied by each scavenge it survives (twice before it is promoted), and one of 128 KB or more
// gets a memory mapping of its own, faulted in page by page and unmapped when it dies. A value written at a
// value position of SET, SETEX, PSETEX, SETNX, GETSET, MSET or MSETNX (the positions their command-table rows
// declare as `values`) whose size is at least BIG_STRING_MIN is therefore read straight into a Buffer of its own
// (one copy out of the socket's read buffer, into memory the allocator reuses) and stored as a BigString; GET and
// MGET send those bytes as they are.
//
// A BigString is a string to every command: TYPE says string, OBJECT ENCODING raw. APPEND, SETRANGE, SETBIT and
// BITFIELD write it in place (`writable`, through openBytes in src/commands/lookup.ts) unless it is `lent`; the
// bit commands, GETRANGE and STRLEN read its bytes; a command that needs the value as text (INCR, LCS, SORT …)
// reads it through `textOf`, and what such a command stores is an ordinary string again.
//
// In a request's argv a BigString stands where a string would (argv is typed string[]): only the handlers of the
// commands above, and the few places that look at every argument (the AOF writer, MONITOR, SLOWLOG, CLIENT LIST's
// argv-mem, the memory estimates), meet one. Its `length` is its byte count, as a string's is.

import { sdsRoom } from './alloc-size.js';
import type { RedisObject } from './object.js';
import { nameType } from './object.js';
import { heapLatin1 } from '../protocol/buffer-internals.js';

/** Values at least this big (bytes) at SET-like value positions are kept as BigStrings. */
export const BIG_STRING_MIN = 4096;

export class BigString implements RedisObject {
  declare readonly type: 'string';
  /** The value is the first `length` bytes of `buf`; the bytes past them are room to grow in place. */
  private buf: Buffer;
  /** The value's length in bytes (as a string's length counts its latin1 chars). */
  length: number;
  /**
   * Whether this value, or its bytes, may be held elsewhere: it came in a request's argv (a SET value, still held
   * by the AOF batch, a queued transaction or the slow log), or its bytes went to a reply queued without a copy.
   * A lent value is never written in place: a writer takes a copy (`copy`) and stores that instead.
   */
  private lent: boolean;

  /** A value holding `bytes` (not copied); `lent` unless the caller owns them alone. */
  constructor(bytes: Buffer, lent = true) {
    this.buf = bytes;
    this.length = bytes.length;
    this.lent = lent;
  }

  /**
   * A value of `s`'s bytes followed by zeros up to `n` bytes. Storage is exact unless the value grows, when it
   * gets room to grow further (as Redis sizes a string it makes, or grows, for a write).
   */
  static of(s: string, n = s.length): BigString {
    const len = Math.max(n, s.length);
    const buf = Buffer.alloc(len > s.length && s.length > 0 ? grownCapacity(len) : len);
    buf.latin1Write(s, 0);
    const v = new BigString(buf, false);
    v.length = len;
    return v;
  }

  /** True when the value may be held elsewhere and must not be written in place. */
  get isLent(): boolean {
    return this.lent;
  }

  /** A value of this one's bytes followed by zeros up to `n` bytes, with storage of its own (sized as `of`). */
  copy(n = this.length): BigString {
    const len = Math.max(n, this.length);
    const buf = Buffer.alloc(len > this.length ? grownCapacity(len) : len);
    this.buf.copy(buf, 0, 0, this.length);
    const v = new BigString(buf, false);
    v.length = len;
    return v;
  }

  /** The value's bytes (a view of the storage: valid until the value is written). */
  get bytes(): Buffer {
    return this.length === this.buf.length ? this.buf : this.buf.subarray(0, this.length);
  }

  /** Byte i of the value (i below length). */
  byteAt(i: number): number {
    return this.buf[i]!;
  }

  /** Bytes of storage, room to grow included (what the value takes outside V8's heap). */
  get capacity(): number {
    return this.buf.length;
  }

  /** The bytes, for a reply that may keep them as they are: the value is copied before it is next written. */
  lend(): Buffer {
    this.lent = true;
    return this.bytes;
  }

  /**
   * The storage, to write the value in place (never a lent one), after making the value at least `n` bytes long
   * (new bytes are zeros). Storage grows as Redis grows a string being appended to (doubling up to 1 MB, then by
   * 1 MB), so a run of APPENDs, SETRANGEs or SETBITs copies the value only now and then.
   */
  writable(n: number): Buffer {
    if (this.lent) throw new Error('BigString: a lent value is written in place');
    const len = this.length;
    if (n > this.buf.length) {
      const grown = Buffer.alloc(grownCapacity(n));
      this.buf.copy(grown, 0, 0, len);
      this.buf = grown;
    } else if (n > len) {
      this.buf.fill(0, len, n);
    }
    if (n > len) this.length = n;
    return this.buf;
  }

  encoding(): string {
    return 'raw';
  }

  /** What the same value takes as a V8 string (the memory limit's estimates treat both alike). */
  memoryUsage(): number {
    return (this.length + 23) & ~7;
  }

  /** A copy with bytes of its own (COPY), so that each key accounts for its own memory. */
  clone(): BigString {
    return new BigString(Buffer.from(this.bytes), false);
  }

  /** The value as a latin1 string. */
  toString(): string {
    return heapLatin1(this.buf, 0, this.length);
  }

  /** Chars [start, end) as a latin1 string (what String#slice gives for non-negative bounds). */
  slice(start: number, end = this.length): string {
    const n = this.length;
    return this.buf.latin1Slice(Math.min(start, n), Math.min(Math.max(end, start), n));
  }
}

/**
 * Storage for a value of n bytes that keeps growing: Redis's greedy growth (double below 1 MB, else +1 MB), and
 * the allocator's slack on top, which Redis's string keeps as room too (src/types/alloc-size.ts sdsRoom).
 */
function grownCapacity(n: number): number {
  return Math.min(sdsRoom(n < 1024 * 1024 ? n * 2 : n + 1024 * 1024), Math.max(n, MAX_STORAGE));
}

/** Storage is never made longer than V8's longest string, which is how long a string value may get. */
const MAX_STORAGE = 0x1fffffe8;
nameType(BigString, 'string');

export function isBig(v: unknown): v is BigString {
  return v instanceof BigString;
}

/** A string value or argument as a JS string: a BigString's bytes copied into one. */
export function textOf(v: string | BigString): string {
  return typeof v === 'string' ? v : v.toString();
}
