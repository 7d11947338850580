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
// A BigString is immutable. It is a string to every command: TYPE says string, OBJECT ENCODING raw, and a command
// that needs the value as text (APPEND, GETRANGE, SETRANGE, INCR, the bit commands, LCS, SORT …) reads it through
// `textOf`, and what such a command stores is an ordinary string again.
//
// In a request's argv a BigString stands where a string would (argv is typed string[]): only the handlers of the
// commands above, and the few places that look at every argument (the AOF writer, MONITOR, SLOWLOG, CLIENT LIST's
// argv-mem, the memory estimates), meet one. Its `length` is its byte count, as a string's is.

import type { RedisObject } from './object.js';
import { nameType } from './object.js';
import { heapLatin1 } from '../protocol/buffer-internals.js';

/** Values at least this big (bytes) at SET-like value positions are kept as BigStrings. */
export const BIG_STRING_MIN = 4096;

export class BigString implements RedisObject {
  declare readonly type: 'string';
  constructor(readonly bytes: Buffer) {}

  get length(): number {
    return this.bytes.length;
  }

  encoding(): string {
    return 'raw';
  }

  /** What the same value takes as a V8 string (the memory limit's estimates treat both alike). */
  memoryUsage(): number {
    return (this.bytes.length + 23) & ~7;
  }

  /** A copy with bytes of its own (COPY), so that each key accounts for its own memory. */
  clone(): BigString {
    return new BigString(Buffer.from(this.bytes));
  }

  /** The value as a latin1 string. */
  toString(): string {
    return heapLatin1(this.bytes, 0, this.bytes.length);
  }

  /** Chars [start, end) as a latin1 string (what String#slice gives for non-negative bounds). */
  slice(start: number, end = this.bytes.length): string {
    const n = this.bytes.length;
    return this.bytes.latin1Slice(Math.min(start, n), Math.min(Math.max(end, start), n));
  }
}
nameType(BigString, 'string');

export function isBig(v: unknown): v is BigString {
  return v instanceof BigString;
}

/** A string value or argument as a JS string: a BigString's bytes copied into one. */
export function textOf(v: string | BigString): string {
  return typeof v === 'string' ? v : v.toString();
}
