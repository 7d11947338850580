// Incremental parser for client requests: RESP multibulk arrays and inline commands, correct at any chunking.
//
// Arguments come out as latin1 strings (one char per byte): binary safe, and the form the keyspace stores.

import { heapLatin1 } from './buffer-internals.js';
import { BIG_STRING_MIN, BigString } from '../types/big-string.js';

/** Thrown for malformed input; `message` is the text after "Protocol error: ". The connection must close. */
export class ProtocolError extends Error {}

/**
 * Size limits, read at each request. A server shares one object among all its parsers and updates it in place
 * (CONFIG SET proto-max-bulk-len applies to open connections, as in Redis); every parser then sees objects of
 * one shape, so reading the limits stays a plain field load.
 */
export interface ParserLimits {
  /** Largest bulk argument accepted (proto-max-bulk-len). */
  maxBulkLen: number;
  /** Largest number of arguments accepted in one multibulk request. */
  maxMultibulkLen: number;
}

const NEVER = (): boolean => false;
const NO_VALUES = (_name: string, _i: number): boolean => false;

const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;

/** Command names up to this long are remembered between requests (see RequestParser.commandName). */
const NAME_MAX = 32;
const CR = 13;
const LF = 10;
const INLINE_MAX = 64 * 1024;
/** A bulk at least this big is gathered into a buffer of its own instead of re-buffering the whole input each time. */
const BIG_BULK = 32 * 1024;
/**
 * The most a big bulk's buffer takes before its bytes arrive: a bulk up to this size gets a buffer of its exact
 * size at once, a bigger one a buffer that doubles as its bytes come (a length header alone cannot make us
 * allocate the 512 MB it may claim).
 */
const BIG_FIRST = 1024 * 1024;

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  // State of a multibulk request under way.
  private argsLeft = 0;
  private argv: string[] = NO_ARGS;
  /** How many of `argv`'s slots are filled (it is allocated at its final size when the header arrives). */
  private argc = 0;
  private bulkLen = -1;
  // A big bulk being gathered across reads: its bytes so far (its CRLF included) at the start of bigBuf.
  private bigBuf: Buffer = Buffer.alloc(0);
  private bigHave = 0;
  /** The query buffer's size right after the latest feed (see bufferedBytes). */
  private fedTotal = 0;

  // The latest command name and its bytes: pipelines repeat names, so the same string is handed out again.
  private lastName = '';
  private lastNameLen = -1;
  private readonly lastNameBytes = Buffer.alloc(NAME_MAX);

  /**
   * `unauthenticated` tells whether the client must still authenticate: its requests are then capped hard so it
   * cannot make us allocate. Asked only for requests over those caps.
   */
  constructor(
    public limits: ParserLimits,
    private readonly unauthenticated: () => boolean = NEVER,
    /**
     * Whether argument i of command `name` is a value the command stores as sent (the command table's
     * `storesValueAt`): a big bulk there comes out as a BigString. By default no argument is.
     */
    private readonly storesValueAt: (name: string, i: number) => boolean = NO_VALUES,
  ) {}

  /**
   * The first argument as a string: the previous request's string when the bytes are the same, which saves
   * making a string and lets the command lookup reuse the hash V8 cached in it.
   */
  private commandName(buf: Buffer, p: number, n: number): string {
    if (n === this.lastNameLen) {
      const nb = this.lastNameBytes;
      let i = 0;
      while (i < n && buf[p + i] === nb[i]) i++;
      if (i === n) return this.lastName;
    }
    const s = buf.latin1Slice(p, p + n);
    buf.copy(this.lastNameBytes, 0, p, p + n);
    this.lastNameLen = n;
    this.lastName = s;
    return s;
  }

  /** Bytes received but not yet consumed by a complete request (the query buffer). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigHave;
  }

  /**
   * Every byte of the query buffer, the parts already consumed by the requests being run included: what Redis
   * reports as the running client's qbuf (its buffer is trimmed only after the requests read from it have run).
   */
  get bufferedBytes(): number {
    return this.fedTotal;
  }

  /** True while part of a request has been read but not all of it. */
  get midRequest(): boolean {
    return this.argsLeft > 0 || this.pos < this.buf.length || this.bigHave > 0;
  }

  feed(chunk: Buffer): void {
    this.fedTotal = this.buf.length - this.pos + this.bigHave + chunk.length;
    if (this.bulkLen >= BIG_BULK && this.argsLeft > 0 && this.pos === this.buf.length) {
      // Redis reads a big argument into a buffer of its exact size: what follows it is not in its query buffer yet.
      this.fedTotal = Math.min(this.bulkLen + 2, this.fedTotal);
      this.gatherBig(chunk);
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      const rest = this.buf.subarray(this.pos);
      this.buf = Buffer.concat([rest, chunk], rest.length + chunk.length);
    }
    this.pos = 0;
  }

  /**
   * Copies whatever the parser still holds of the last chunk fed, so the chunk's memory may be reused (see
   * src/server/direct-read.ts). Requests already returned hold nothing of it (strings, or BigStrings with bytes
   * of their own), nor does a big bulk being gathered.
   */
  retain(): void {
    if (this.pos < this.buf.length) {
      this.buf = Buffer.from(this.buf.subarray(this.pos));
      this.pos = 0;
    } else if (this.buf.length !== 0) {
      this.buf = EMPTY;
      this.pos = 0;
    }
  }

  /** Copies the next bytes of the big bulk under way out of `chunk`; completes the argument when they are all in. */
  private gatherBig(chunk: Buffer): void {
    const total = this.bulkLen + 2;
    const need = total - this.bigHave;
    const take = chunk.length < need ? chunk.length : need;
    const have = this.bigHave + take;
    let big = this.bigBuf;
    if (have > big.length) {
      const grown = Buffer.allocUnsafeSlow(Math.min(total, Math.max(have, big.length * 2, BIG_FIRST)));
      big.copy(grown, 0, 0, this.bigHave);
      this.bigBuf = big = grown;
    }
    chunk.copy(big, this.bigHave, 0, take);
    this.bigHave = have;
    if (take < need) return;
    this.bigBuf = EMPTY;
    this.bigHave = 0;
    const n = this.bulkLen;
    this.argv[this.argc] = this.bigValueAt(this.argc)
      ? (new BigString(big.subarray(0, n)) as unknown as string)
      : heapLatin1(big, 0, n);
    this.argc++;
    this.argsLeft--;
    this.bulkLen = -1;
    this.buf = chunk.subarray(need);
    this.pos = 0;
  }

  /**
   * Whether argument i of the request under way is a value its command stores as sent (see
   * src/types/big-string.ts). Asked only for bulks of at least BIG_STRING_MIN bytes.
   */
  private bigValueAt(i: number): boolean {
    return i >= 1 && this.storesValueAt(this.argv[0]!, i);
  }

  /** The next complete request, or undefined when more input is needed. Throws ProtocolError. */
  next(): string[] | undefined {
    for (;;) {
      if (this.argsLeft === 0 && this.argc > 0) {
        // The last argument was a big bulk completed by feed().
        const done = this.argv;
        this.argv = NO_ARGS;
        this.argc = 0;
        return done;
      }
      if (this.argsLeft === 0) {
        if (this.pos >= this.buf.length) return undefined;
        if (this.buf[this.pos] === 0x2a /* '*' */) {
          const r = this.startMultibulk();
          if (r === false) return undefined;
          if (r === true) continue; // empty request, skipped
        } else {
          const r = this.inline();
          if (r === undefined) return undefined;
          if (r.length === 0) continue;
          return r;
        }
      }
      // Read bulks.
      while (this.argsLeft > 0) {
        const buf = this.buf;
        if (this.bulkLen < 0) {
          if (this.pos >= buf.length) return undefined;
          const cr = findCR(buf, this.pos);
          if (cr < 0 || cr + 1 >= buf.length) {
            if (buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big bulk count string');
            return undefined;
          }
          if (buf[this.pos] !== 0x24 /* '$' */) {
            if (this.hiddenByNul(cr, 'too big bulk count string')) return undefined;
            throw new ProtocolError(`expected '$', got '${String.fromCharCode(buf[this.pos]!)}'`);
          }
          const n = parseLength(buf, this.pos + 1, cr);
          if (Number.isNaN(n) && this.hiddenByNul(cr, 'too big bulk count string')) return undefined;
          if (!(n >= 0) || n > this.limits.maxBulkLen) throw new ProtocolError('invalid bulk length');
          if (n > UNAUTH_MAX_BULK && this.unauthenticated()) throw new ProtocolError('unauthenticated bulk length');
          this.pos = cr + 2;
          this.bulkLen = n;
        }
        const avail = buf.length - this.pos;
        if (avail < this.bulkLen + 2) {
          if (this.bulkLen >= BIG_BULK) {
            const rest = buf.subarray(this.pos);
            this.buf = Buffer.alloc(0);
            this.pos = 0;
            if (rest.length > 0) this.gatherBig(rest);
          }
          return undefined;
        }
        const arg =
          this.argc === 0 && this.bulkLen <= NAME_MAX
            ? this.commandName(buf, this.pos, this.bulkLen)
            : this.bulkLen <= SHORT_MAX
              ? shortString(buf, this.pos, this.bulkLen)
              : this.bulkLen >= BIG_STRING_MIN && this.bigValueAt(this.argc)
                ? bigString(buf, this.pos, this.bulkLen)
                : latin1(buf, this.pos, this.bulkLen);
        this.argv[this.argc++] = arg;
        this.pos += this.bulkLen + 2;
        this.bulkLen = -1;
        this.argsLeft--;
      }
      const argv = this.argv;
      this.argv = NO_ARGS;
      this.argc = 0;
      if (this.pos >= this.buf.length) {
        this.buf = EMPTY;
        this.pos = 0;
      }
      return argv;
    }
  }

  /** Reads "*<n>\r\n". Returns false for "need more", true for an empty request, undefined when bulks follow. */
  private startMultibulk(): boolean | undefined {
    const buf = this.buf;
    const cr = findCR(buf, this.pos);
    if (cr < 0 || cr + 1 >= buf.length) {
      if (buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big mbulk count string');
      return false;
    }
    const n = parseLength(buf, this.pos + 1, cr);
    if (Number.isNaN(n) && this.hiddenByNul(cr, 'too big mbulk count string')) return false;
    if (Number.isNaN(n) || n > this.limits.maxMultibulkLen) throw new ProtocolError('invalid multibulk length');
    if (n > UNAUTH_MAX_MULTIBULK && this.unauthenticated()) {
      throw new ProtocolError('unauthenticated multibulk length');
    }
    this.pos = cr + 2;
    if (n <= 0) return true;
    this.argsLeft = n;
    // One allocation of the exact size (a growing array would reserve 16 slots on its first push); huge
    // claimed counts grow as arguments actually arrive, so a header cannot make us allocate.
    this.argv = n <= 1024 ? new Array<string>(n) : [];
    this.argc = 0;
    this.bulkLen = -1;
    return undefined;
  }

  /**
   * Redis finds a header line's CR with strchr(): a NUL byte before it hides it, so the request waits for more
   * input (until the line is too long). True when that is the case for the line at pos ending at `cr`.
   */
  private hiddenByNul(cr: number, tooBig: string): boolean {
    if (this.buf.subarray(this.pos, cr).indexOf(0) < 0) return false;
    if (this.buf.length - this.pos > INLINE_MAX) throw new ProtocolError(tooBig);
    return true;
  }

  private inline(): string[] | undefined {
    const buf = this.buf;
    let nl = buf.indexOf(LF, this.pos);
    // Redis looks for the newline with strchr(): a NUL byte before it hides it (the request never completes).
    if (nl >= 0 && buf.subarray(this.pos, nl).indexOf(0) >= 0) nl = -1;
    if (nl < 0) {
      if (buf.length - this.pos > INLINE_MAX) throw new ProtocolError('too big inline request');
      return undefined;
    }
    const end = nl > this.pos && buf[nl - 1] === CR ? nl - 1 : nl;
    const line = buf.latin1Slice(this.pos, end);
    this.pos = nl + 1;
    const args = splitArgs(line);
    if (args === undefined) throw new ProtocolError('unbalanced quotes in request');
    return args;
  }
}

const EMPTY = Buffer.alloc(0);
const NO_ARGS: string[] = [];

/** buf[p, p + n) copied into a BigString, standing in argv where a string would (see src/types/big-string.ts). */
function bigString(buf: Buffer, p: number, n: number): string {
  const b = Buffer.allocUnsafeSlow(n);
  buf.copy(b, 0, p, p + n);
  return new BigString(b) as unknown as string;
}

const fromCharCode = String.fromCharCode;

// Short arguments repeat: small values ("1", "ok", "xxx"), field names, small keys, flags (EX, NX, WITHSCORES).
// Like Redis's shared integers, a short argument seen again gets the string made for it before instead of a new
// one. That saves the allocation, and a stored one (a hash field's value, a list element) is already in the old
// generation instead of being copied out of the young one by the next collection (about 0.25 µs each).
//
// A direct-mapped table of SHORT_SLOTS entries, keyed by the argument's exact bytes (up to 8 of them, held in two
// int32s with the length beside). A string is kept only on its second sighting in a row at its slot: arguments
// that never repeat (random numbers, unique tokens) are not kept alive, so they still die young. A miss replaces
// the slot's bytes and drops its string.

/** Longest argument looked up in the table. */
const SHORT_MAX = 8;
const SHORT_SLOTS = 4096;
const shortLo = new Int32Array(SHORT_SLOTS);
const shortHi = new Int32Array(SHORT_SLOTS);
/** The length of the bytes in each slot; 0 marks an empty slot (empty and 1-byte strings are never made). */
const shortLen = new Uint8Array(SHORT_SLOTS);
const shortStr: (string | undefined)[] = new Array<string | undefined>(SHORT_SLOTS).fill(undefined);

/**
 * An argument's bytes buf[p, p + n) as the string the parser would make for them: a short one shared with earlier
 * sightings (see below), a longer one copied. For other readers of RESP (the AOF loader).
 */
export function argString(buf: Buffer, p: number, n: number): string {
  return n <= SHORT_MAX ? shortString(buf, p, n) : latin1(buf, p, n);
}

/** buf[p, p + n) as a latin1 string, n ≤ SHORT_MAX: the one made before for the same bytes when there is one. */
function shortString(buf: Buffer, p: number, n: number): string {
  if (n < 2) return latin1(buf, p, n); // V8 shares these already
  let lo = 0;
  let hi = 0;
  const m = n < 4 ? n : 4;
  for (let i = 0; i < m; i++) lo |= buf[p + i]! << (i << 3);
  for (let i = 4; i < n; i++) hi |= buf[p + i]! << ((i - 4) << 3);
  const slot = Math.imul(lo ^ Math.imul(hi ^ n, 0x27d4eb2d), 0x9e3779b1) >>> 20;
  if (shortLo[slot] === lo && shortHi[slot] === hi && shortLen[slot] === n) {
    let s = shortStr[slot];
    if (s === undefined) shortStr[slot] = s = latin1(buf, p, n);
    return s;
  }
  shortLo[slot] = lo;
  shortHi[slot] = hi;
  shortLen[slot] = n;
  shortStr[slot] = undefined;
  return latin1(buf, p, n);
}

/**
 * buf[p, p + n) as a latin1 string. Short arguments (small values, counts, scores, field names) are built in
 * JavaScript: Buffer#latin1Slice is a call into C++ that costs about 50 ns whatever the length, String.fromCharCode
 * with up to eight codes about 15–20 ns (measured on Node 20). Longer ones are copied by latin1Slice.
 */
function latin1(buf: Buffer, p: number, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return fromCharCode(buf[p]!);
    case 2:
      return fromCharCode(buf[p]!, buf[p + 1]!);
    case 3:
      return fromCharCode(buf[p]!, buf[p + 1]!, buf[p + 2]!);
    case 4:
      return fromCharCode(buf[p]!, buf[p + 1]!, buf[p + 2]!, buf[p + 3]!);
    case 5:
      return fromCharCode(buf[p]!, buf[p + 1]!, buf[p + 2]!, buf[p + 3]!, buf[p + 4]!);
    case 6:
      return fromCharCode(buf[p]!, buf[p + 1]!, buf[p + 2]!, buf[p + 3]!, buf[p + 4]!, buf[p + 5]!);
    case 7:
      return fromCharCode(buf[p]!, buf[p + 1]!, buf[p + 2]!, buf[p + 3]!, buf[p + 4]!, buf[p + 5]!, buf[p + 6]!);
    case 8:
      return fromCharCode(
        buf[p]!,
        buf[p + 1]!,
        buf[p + 2]!,
        buf[p + 3]!,
        buf[p + 4]!,
        buf[p + 5]!,
        buf[p + 6]!,
        buf[p + 7]!,
      );
    default:
      return heapLatin1(buf, p, p + n);
  }
}

/**
 * The position of the first CR at or after `from`, or -1. Header lines are a few bytes long: a plain loop finds
 * their end faster than a call into Buffer.indexOf, which is kept for long runs.
 */
function findCR(buf: Buffer, from: number): number {
  const end = Math.min(buf.length, from + 24);
  for (let i = from; i < end; i++) if (buf[i] === CR) return i;
  return end < buf.length ? buf.indexOf(CR, end) : -1;
}
/**
 * Parses a signed decimal in buf[start, end) as Redis's string2ll does: no '+', no leading zeros, no "-0".
 * NaN when malformed; magnitudes beyond 2^31 come back as ±2^31 (callers only compare them with limits).
 */
function parseLength(buf: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 20) return NaN;
  let i = start;
  let neg = false;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
    if (i >= end) return NaN;
  }
  if (buf[i] === 0x30 && (neg || end - i > 1)) return NaN;
  const digitsFrom = i;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  // Beyond the signed 64-bit range. Doubles cannot tell 19-digit values apart, so those compare as text.
  const digits = end - digitsFrom;
  if (digits > 19) return NaN;
  if (digits === 19 && buf.latin1Slice(digitsFrom, end) > (neg ? INT64_MIN_DIGITS : INT64_MAX_DIGITS)) return NaN;
  if (n > 0x80000000) n = 0x80000000;
  return neg ? -n : n;
}

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

/**
 * Splits an inline request or a config line into arguments with Redis's quoting rules: "double quotes" with
 * \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' with \' only. Undefined on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  // The line ends at a NUL byte, as a C string does (Redis's sdssplitargs).
  const nul = line.indexOf('\0');
  const n = nul >= 0 ? nul : line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      if (inDq) {
        if (i >= n) return undefined;
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === 'x' && i + 3 < n && isHex(line[i + 2] ?? '') && isHex(line[i + 3] ?? '')) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          // A closing quote must be followed by a space or the end.
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return undefined;
          done = true;
        } else {
          cur += c;
        }
      } else if (inSq) {
        if (i >= n) return undefined;
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return undefined;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const c = line[i]!;
        const code = line.charCodeAt(i);
        if (code === 32 || code === 10 || code === 13 || code === 9 || code === 0) {
          done = true;
          break;
        } else if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}
