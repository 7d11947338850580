// RESP arrays of bulk strings written straight into a buffer: the AOF's commands (src/persistence/aof-writer.ts)
// and Pub/Sub's message frames (src/server/pubsub.ts), without a string made for them first.

import type { BigString } from '../types/big-string.js';

/** An argument: a latin1 string (one char per byte), or a BigString's bytes. */
export type Arg = string | BigString;

/** Decimal digits of a non-negative integer. */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** The size in bytes of one command in RESP (`*<n>\r\n` and `$<len>\r\n<arg>\r\n` per argument). */
export function commandSize(argv: readonly Arg[]): number {
  let size = 3 + digits(argv.length);
  for (let i = 0; i < argv.length; i++) {
    const len = argv[i]!.length;
    size += 5 + digits(len) + len;
  }
  return size;
}

/** Writes `n` in decimal at `pos`; returns the position after it. */
function writeDecimal(buf: Uint8Array, pos: number, n: number): number {
  if (n < 10) {
    buf[pos] = 48 + n;
    return pos + 1;
  }
  const end = pos + digits(n);
  for (let p = end - 1; p >= pos; p--) {
    buf[p] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** Arguments up to this long are copied char by char: below it that costs less than a call into Node's C++. */
const SHORT_ARG = 24;

/**
 * Writes one command in RESP at `pos` (the caller has made room for `commandSize(argv)` bytes); returns the
 * position after it. Strings are copied as latin1, a BigString's bytes as they are: no string is made for the
 * command, so an AOF batch is encoded straight into the record buffer and a Pub/Sub message once for all its
 * subscribers.
 */
export function writeCommand(buf: Buffer, pos: number, argv: readonly Arg[]): number {
  buf[pos++] = 42; // '*'
  pos = writeDecimal(buf, pos, argv.length);
  buf[pos++] = 13;
  buf[pos++] = 10;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const len = a.length;
    buf[pos++] = 36; // '$'
    pos = writeDecimal(buf, pos, len);
    buf[pos++] = 13;
    buf[pos++] = 10;
    if (typeof a !== 'string') pos += a.bytes.copy(buf, pos);
    else if (len <= SHORT_ARG) for (let j = 0; j < len; j++) buf[pos++] = a.charCodeAt(j);
    else pos += buf.latin1Write(a, pos);
    buf[pos++] = 13;
    buf[pos++] = 10;
  }
  return pos;
}

/** One command in RESP, as bytes of its own. */
export function encodeCommand(argv: readonly Arg[]): Buffer {
  const buf = Buffer.allocUnsafe(commandSize(argv));
  writeCommand(buf, 0, argv);
  return buf;
}
