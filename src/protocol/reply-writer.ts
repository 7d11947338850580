// Reply writers: every reply goes through one, and every RESP2/RESP3 difference lives here and nowhere else.

import './buffer-internals.js';

/** What a command handler writes its reply with. Strings given to bulk() are latin1 (one char per byte). */
export interface ReplyWriter {
  readonly proto: 2 | 3;
  ok(): void;
  simple(s: string): void;
  /** Full error text, prefix included ("ERR …"). */
  error(message: string): void;
  integer(n: number | bigint): void;
  bulk(s: string): void;
  bulkBuffer(b: Buffer): void;
  /** The null bulk reply: $-1 in RESP2, _ in RESP3. */
  null(): void;
  /** The null array reply: *-1 in RESP2, _ in RESP3. */
  nullArray(): void;
  array(n: number): void;
  /** A map of n pairs: an array of 2n in RESP2. */
  map(n: number): void;
  set(n: number): void;
  /** A double: a bulk string in RESP2, formatted as Redis 7.0 does (%.17g). */
  double(x: number): void;
  bool(b: boolean): void;
  /** Verbatim text (INFO, CLIENT INFO…): a plain bulk string in RESP2. */
  verbatim(text: string, format?: string): void;
  /** An out-of-band push message: an array in RESP2. */
  push(n: number): void;
  /** A bulk reply of an integer's decimal text. */
  bulkInteger(n: number | bigint): void;
}

/** Bulk values up to this many chars are copied into the output buffer in JS rather than by latin1Write. */
const SHORT_COPY = 48;

/** Output of at least this many bytes is handed to the socket without a copy (see `OutputBuffer.take`). */
const HANDOFF_MIN = 16 * 1024;
/** The largest output buffer a client keeps between turns. */
const KEEP_MAX = 128 * 1024;

/** The two ASCII digits of 0..99, as 0..99 × 2 byte pairs: putInt writes two digits per division. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGIT_PAIRS[2 * i] = 0x30 + Math.floor(i / 10);
  DIGIT_PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

/** Writes a safe integer's decimal digits at buf[p…]; returns the position after them. */
function putInt(buf: Buffer, p: number, n: number): number {
  if (n < 0) {
    buf[p++] = 0x2d;
    n = -n;
  }
  if (n < 10) {
    buf[p] = 0x30 + n;
    return p + 1;
  }
  let digits = 2;
  for (let t = 100; t <= n && digits < 16; t *= 10) digits++;
  if (digits === 16) digits = String(n).length;
  const end = p + digits;
  let i = end;
  // Beyond int32: one digit per floating-point division until the rest fits.
  while (n > 0x7fffffff) {
    const q = Math.floor(n / 10);
    buf[--i] = 0x30 + (n - q * 10);
    n = q;
  }
  // Two digits per int32 division.
  while (n >= 100) {
    const q = (n / 100) | 0;
    const r = (n - q * 100) << 1;
    buf[--i] = DIGIT_PAIRS[r + 1]!;
    buf[--i] = DIGIT_PAIRS[r]!;
    n = q;
  }
  if (n >= 10) {
    buf[--i] = DIGIT_PAIRS[(n << 1) + 1]!;
    buf[--i] = DIGIT_PAIRS[n << 1]!;
  } else buf[--i] = 0x30 + n;
  return end;
}

/**
 * A buffer does not grow past this size: what it holds is queued as a chunk and the reply goes on in a fresh
 * buffer of this size (one write bigger than that gets a buffer of its own). A big reply (LRANGE of 600 elements of 1 KB) is thus built in pieces written
 * together, instead of in a buffer that doubles (copying everything so far each time, into fresh pages) up to its
 * whole size for every reply.
 */
const CHUNK = 64 * 1024;
/** While replies may still be taken back (`OutputBuffer.mark`), a buffer grows up to this before it is queued. */
const HELD_MAX = 64 * 1024 * 1024;

/**
 * Chunk buffers whose bytes the socket has taken, for the next big reply. Every new Buffer's memory counts toward
 * V8's external-memory budget, whose overrun starts a full collection, and comes as fresh pages to fault in: a
 * server sending big replies to many clients spent a quarter of its time on those.
 */
const chunkPool: Buffer[] = [];
/** At most 16 MB kept: enough for 25 clients' 600 KB replies built in one turn. */
const CHUNK_POOL_MAX = 256;
/** The memory of the chunks the pool handed out: only those come back to it. */
const pooled = new WeakSet<ArrayBufferLike>();

function newChunk(): Buffer {
  const b = chunkPool.pop();
  if (b !== undefined) return b;
  const fresh = Buffer.allocUnsafeSlow(CHUNK);
  pooled.add(fresh.buffer);
  return fresh;
}

/** Gives back chunks (or views of them) once written; other buffers are left alone. */
export function recycleChunks(bufs: readonly Buffer[]): void {
  for (const b of bufs) {
    if (chunkPool.length >= CHUNK_POOL_MAX) return;
    if (pooled.has(b.buffer)) chunkPool.push(Buffer.from(b.buffer, 0, CHUNK));
  }
}
/**
 * The most a client can have pending. A reply that would go past it (HRANDFIELD with a count near -2^62 would
 * build exabytes) stops the command with ReplyTooLarge; the server then drops the client, as for an output
 * buffer limit, instead of running out of memory.
 */
export const PENDING_MAX = 1024 * 1024 * 1024;

/** Thrown by OutputBuffer when a client's pending output would pass PENDING_MAX. */
export class ReplyTooLarge extends Error {}

/** The bytes waiting to go to one connection. Small replies share one growable buffer; huge ones ride alone. */
export class OutputBuffer {
  buf: Buffer;
  len = 0;
  /** Whole chunks queued before `buf`'s contents, when a huge reply was written. */
  chunks: Buffer[] | null = null;
  /** Bytes in `chunks` (kept as they are queued: summing them at each new chunk made a huge reply quadratic). */
  private chunkBytes = 0;
  /**
   * How many marks (`mark()`) are open: while what is written may still be taken back (CLIENT REPLY OFF/SKIP drop a
   * command's reply), the buffer grows instead of being queued in chunks, up to HELD_MAX.
   */
  private hold = 0;
  /** Total bytes written since creation; the caller may reset it. */
  total = 0;
  /**
   * The latest view() and the buffer it is a view of. A client that gets replies of the same size again (a GET
   * of same-sized values, an OK, a counter) is handed the same view object instead of a new Buffer object each
   * time: without pipelining those objects were a third of the garbage made per request.
   */
  private lastView: Buffer | null = null;
  private lastViewOf: Buffer | null = null;

  constructor(initial = 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get pending(): number {
    return this.len + this.chunkBytes;
  }

  /**
   * Opens a stretch of output that may be taken back, and returns where it starts. Until it is closed by
   * `takeBack` or `keep`, what is written stays in the buffer (which grows, up to HELD_MAX, instead of queueing
   * chunks), so that it can be dropped.
   */
  mark(): number {
    this.hold++;
    return this.pending;
  }

  /**
   * Closes `mark`, dropping what was written since it. False when that was not possible: the output was discarded
   * meanwhile, or passed HELD_MAX and was queued.
   */
  takeBack(mark: number): boolean {
    this.hold--;
    const at = mark - this.chunkBytes;
    if (at < 0 || at > this.len) return false;
    this.len = at;
    return true;
  }

  /** Closes `mark`, keeping what was written since it. */
  keep(_mark: number): void {
    this.hold--;
  }

  ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    if (need > (this.hold === 0 ? CHUNK : HELD_MAX) && this.len > 0) {
      // Past a chunk: queue what the buffer holds and go on in a fresh chunk, never copying to grow.
      this.checkPending(extra);
      this.queue(this.buf.subarray(0, this.len));
      this.buf = extra <= CHUNK ? newChunk() : Buffer.allocUnsafe(extra);
      this.len = 0;
      this.lastView = null;
      this.lastViewOf = null;
      return;
    }
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = cap === CHUNK && this.hold === 0 ? newChunk() : Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  /**
   * Writes a RESP header line: one type byte, then a safe integer in decimal, then CRLF (`*3\r\n`, `:42\r\n`,
   * `$5\r\n`). Digits go straight into the buffer: no string is built for the hottest lines of every reply.
   */
  intLine(type: number, n: number): void {
    this.ensure(24);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = type;
    p = putInt(buf, p, n);
    buf[p++] = 13;
    buf[p++] = 10;
    this.total += p - this.len;
    this.len = p;
  }

  /**
   * Writes a safe integer as a RESP bulk string (`$3\r\n-42\r\n`), its digits straight into the buffer: a score or
   * a count sent as text, without a string made for it.
   */
  intBulk(n: number): void {
    let digits = n < 0 ? 2 : 1;
    const abs = n < 0 ? -n : n;
    for (let t = 10; t <= abs && digits < 18; t *= 10) digits++;
    this.ensure(26);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = 0x24; // '$'
    if (digits < 10) buf[p++] = 0x30 + digits;
    else {
      buf[p++] = 0x31;
      buf[p++] = 0x30 + digits - 10;
    }
    buf[p++] = 13;
    buf[p++] = 10;
    p = putInt(buf, p, n);
    buf[p++] = 13;
    buf[p++] = 10;
    this.total += p - this.len;
    this.len = p;
  }

  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    if (n <= 16) {
      // Short constant lines (+OK, $-1, :1 …): a plain loop beats a call into the native writer.
      const buf = this.buf;
      let p = this.len;
      for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
      this.len = p;
    } else {
      this.len += this.buf.latin1Write(s, this.len);
    }
    this.total += n;
  }

  latin1(s: string): void {
    if (s.length > 65536 && this.hold === 0) {
      this.checkPending(s.length);
      this.spill();
      this.queue(Buffer.from(s, 'latin1'));
      this.total += s.length;
      return;
    }
    this.ensure(s.length);
    this.len += this.buf.latin1Write(s, this.len);
    this.total += s.length;
  }

  bytes(b: Buffer): void {
    if (b.length > 65536 && this.hold === 0) {
      // Queued as it is: the caller hands it over.
      this.checkPending(b.length);
      this.spill();
      this.queue(b);
      this.total += b.length;
      return;
    }
    this.copyFrom(b, 0, b.length);
  }

  /**
   * Copies `src[start, end)`, bytes the caller goes on to reuse (a Pub/Sub frame encoded once for all its
   * subscribers): a short stretch byte by byte, as `ascii` copies, a long one with one copy.
   */
  copyFrom(src: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n > 65536 && this.hold === 0) {
      this.checkPending(n);
      this.spill();
      this.queue(Buffer.from(src.subarray(start, end)));
      this.total += n;
      return;
    }
    this.ensure(n);
    if (n <= 32) {
      const buf = this.buf;
      let p = this.len;
      for (let i = start; i < end; i++) buf[p++] = src[i]!;
      this.len = p;
    } else {
      this.len += src.copy(this.buf, this.len, start, end);
    }
    this.total += n;
  }

  /** Throws ReplyTooLarge when `extra` more bytes would take the pending output past PENDING_MAX. */
  private checkPending(extra: number): void {
    if (this.pending + extra > PENDING_MAX) throw new ReplyTooLarge('reply too large');
  }

  /** Moves the small-reply buffer's contents into the chunk list. */
  private spill(): void {
    if (!this.chunks) this.chunks = [];
    if (this.len > 0) {
      this.queue(Buffer.from(this.buf.subarray(0, this.len)));
      this.len = 0;
    }
  }

  /**
   * Takes everything pending as a list of buffers. Small contents are copied and the buffer is reused; big ones
   * are handed over whole and a fresh buffer of the same size (up to a cap) takes their place, so a client that
   * keeps sending big replies neither copies them nor regrows its buffer every turn.
   */
  take(): Buffer[] {
    const out = this.chunks ?? [];
    this.chunks = null;
    this.chunkBytes = 0;
    if (this.len >= HANDOFF_MIN) {
      out.push(this.buf.subarray(0, this.len));
      this.buf = this.buf.length === CHUNK ? newChunk() : Buffer.allocUnsafe(Math.min(this.buf.length, KEEP_MAX));
      this.len = 0;
      return out;
    }
    if (this.len > 0) {
      out.push(Buffer.from(this.buf.subarray(0, this.len)));
      this.len = 0;
    }
    if (this.buf.length > KEEP_MAX) this.buf = Buffer.allocUnsafe(1024);
    return out;
  }

  /**
   * The pending bytes as one view of the buffer, when they fit in it (no chunks); undefined otherwise. The
   * buffer is emptied. If the consumer keeps the view beyond the call (a socket that could not write it at
   * once), it must call `disown()` so later replies go to a fresh buffer.
   */
  view(): Buffer | undefined {
    if (this.chunks !== null) return undefined;
    let v = this.lastView;
    if (v === null || v.length !== this.len || this.lastViewOf !== this.buf) {
      v = this.buf.subarray(0, this.len);
      this.lastView = v;
      this.lastViewOf = this.buf;
    }
    this.len = 0;
    return v;
  }

  /**
   * After the consumer is done with a view: a buffer grown past KEEP_MAX for a huge reply is given up for one
   * of KEEP_MAX.
   */
  release(): void {
    if (this.buf.length > KEEP_MAX) this.disown();
  }

  /** Gives the current buffer away (see `view`): a new one takes its place. */
  disown(): void {
    this.lastView = null;
    this.lastViewOf = null;
    this.buf = Buffer.allocUnsafe(Math.min(this.buf.length, KEEP_MAX));
  }

  /** Drops everything pending (CLIENT REPLY OFF, killed clients). */
  discard(): void {
    this.chunks = null;
    this.chunkBytes = 0;
    this.len = 0;
  }

  private queue(b: Buffer): void {
    (this.chunks ??= []).push(b);
    this.chunkBytes += b.length;
  }
}

abstract class RespWriterBase implements ReplyWriter {
  abstract readonly proto: 2 | 3;
  constructor(public readonly out: OutputBuffer) {}
  ok(): void {
    this.out.ascii('+OK\r\n');
  }
  simple(s: string): void {
    this.out.latin1('+' + s + '\r\n');
  }
  error(message: string): void {
    // Newlines would break the protocol; Redis trims them from the end and replaces the others with spaces.
    const clean = /[\r\n]/.test(message) ? message.replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ') : message;
    this.out.latin1('-' + clean + '\r\n');
  }
  integer(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) this.out.intLine(0x3a /* ':' */, n);
    else this.out.ascii(':' + n + '\r\n');
  }
  bulk(s: string): void {
    const o = this.out;
    const n = s.length;
    if (n <= 65536) {
      o.ensure(n + 32);
      const buf = o.buf;
      let p = o.len;
      buf[p++] = 0x24; // '$'
      // Single-digit lengths written here: no call when putInt is not inlined (LRANGE's loop inlines bulk).
      if (n < 10) buf[p++] = 0x30 + n;
      else p = putInt(buf, p, n);
      buf[p++] = 13;
      buf[p++] = 10;
      // Short values are copied char by char: cheaper than a call into the runtime for each element of a reply.
      if (n <= SHORT_COPY) {
        for (let i = 0; i < n; i++) buf[p + i] = s.charCodeAt(i);
        p += n;
      } else {
        p += buf.latin1Write(s, p);
      }
      buf[p++] = 13;
      buf[p++] = 10;
      o.total += p - o.len;
      o.len = p;
      return;
    }
    o.intLine(0x24, n);
    o.latin1(s);
    o.ascii('\r\n');
  }
  bulkBuffer(b: Buffer): void {
    this.out.ascii('$' + b.length + '\r\n');
    this.out.bytes(b);
    this.out.ascii('\r\n');
  }
  bulkInteger(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) return this.out.intBulk(n);
    const s = String(n);
    this.out.ascii('$' + s.length + '\r\n' + s + '\r\n');
  }
  array(n: number): void {
    this.out.intLine(0x2a /* '*' */, n);
  }
  abstract null(): void;
  abstract nullArray(): void;
  abstract map(n: number): void;
  abstract set(n: number): void;
  abstract double(x: number): void;
  abstract bool(b: boolean): void;
  abstract verbatim(text: string, format?: string): void;
  abstract push(n: number): void;
}

export class Resp2Writer extends RespWriterBase {
  readonly proto = 2 as const;
  null(): void {
    this.out.ascii('$-1\r\n');
  }
  nullArray(): void {
    this.out.ascii('*-1\r\n');
  }
  map(n: number): void {
    this.out.intLine(0x2a, n * 2);
  }
  set(n: number): void {
    this.out.intLine(0x2a, n);
  }
  double(x: number): void {
    // An integer below 2^53 prints as its digits (formatDouble); -0 and 0 take formatDouble's path.
    if (Number.isSafeInteger(x) && x !== 0) this.out.intBulk(x);
    else this.bulk(formatDouble(x));
  }
  bool(b: boolean): void {
    this.out.ascii(b ? ':1\r\n' : ':0\r\n');
  }
  verbatim(text: string): void {
    this.bulk(text);
  }
  push(n: number): void {
    this.out.intLine(0x2a, n);
  }
}

export class Resp3Writer extends RespWriterBase {
  readonly proto = 3 as const;
  null(): void {
    this.out.ascii('_\r\n');
  }
  nullArray(): void {
    this.out.ascii('_\r\n');
  }
  map(n: number): void {
    this.out.intLine(0x25, n);
  }
  set(n: number): void {
    this.out.intLine(0x7e, n);
  }
  double(x: number): void {
    if (Number.isSafeInteger(x) && x !== 0) this.out.intLine(0x2c /* ',' */, x);
    else this.out.ascii(',' + formatDouble(x) + '\r\n');
  }
  bool(b: boolean): void {
    this.out.ascii(b ? '#t\r\n' : '#f\r\n');
  }
  verbatim(text: string, format = 'txt'): void {
    this.out.ascii('=' + (text.length + 4) + '\r\n' + format + ':');
    this.out.latin1(text);
    this.out.ascii('\r\n');
  }
  push(n: number): void {
    this.out.intLine(0x3e, n);
  }
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LOG10_5 = Math.log10(5);

/**
 * Whether a finite, non-zero x lies exactly halfway between two numbers of 17 significant digits: its exact
 * decimal expansion has 18 significant digits, the last a 5. There C's printf rounds to the even digit and
 * JavaScript's toExponential up. With x = m·2^e (m odd): for e < 0 the expansion is m·5^-e / 10^-e, whose last
 * digit is always 5, so it ties when m·5^-e has 18 digits; for e ≥ 0 it is an integer, which ties when its
 * digits after the 17th are a 5 and zeros. Exact arithmetic (BigInt) only for the few doubles that can tie.
 */
function tiesAt17(x: number): boolean {
  F64[0] = x;
  const hi = U32[1]! & 0x7fffffff;
  const bexp = hi >>> 20;
  let m = (hi & 0xfffff) * 0x100000000 + U32[0]!;
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m += 0x10000000000000;
    e = bexp - 1075;
  }
  while (m % 2 === 0) {
    m /= 2;
    e++;
  }
  if (e >= 0) {
    if (m % 5 !== 0 || Math.abs(x) < 1e17) return false;
    const s = (BigInt(m) << BigInt(e)).toString();
    return s.charCodeAt(17) === 0x35 && /^0*$/.test(s.slice(18));
  }
  const est = Math.log10(m) + -e * LOG10_5;
  if (est < 16.5 || est > 18.5) return false;
  return (BigInt(m) * 5n ** BigInt(-e)).toString().length === 18;
}

/**
 * Formats a number as C's printf("%.<digits>f") does (INFO's ratios and rates, usec_per_call, bytesToHuman):
 * like toFixed, except that a value exactly halfway between two results goes to the even one (1/8 to 2 places is
 * "0.12" in C, "0.13" from toFixed). Such a value has at most digits + 1 decimals, the last a 5: with 20 more
 * places than kept, toFixed shows that exactly.
 */
export function formatFixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (!Number.isFinite(x)) return s;
  const wide = Math.abs(x).toFixed(digits + 20);
  const cut = wide.length - 20;
  if (wide.charCodeAt(cut) !== 0x35 /* 5 */ || !/^0+$/.test(wide.slice(cut + 1))) return s;
  // A tie: toFixed rounded away from zero; C keeps the lower magnitude when its last digit is even.
  const kept = wide.slice(0, digits === 0 ? cut - 1 : cut);
  if ((kept.charCodeAt(kept.length - 1) - 0x30) % 2 !== 0) return s;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  return sign + kept;
}

/** Formats a double as C's printf("%.17g") does, which is what Redis 7.0 sends for scores; inf as "inf". */
export function formatDouble(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isNaN(x)) return 'nan';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // An integer below 2^53 has at most 16 digits: %.17g prints it exactly, as does String.
  if (Number.isSafeInteger(x)) return String(x);
  let e = x.toExponential(16); // d.dddddddddddddddde±X: 17 significant digits
  const ePos = e.indexOf('e');
  // A tie was rounded up; printf rounds it to even.
  const last = e.charCodeAt(ePos - 1) - 0x30;
  if ((last & 1) === 1 && tiesAt17(x)) e = e.slice(0, ePos - 1) + String(last - 1) + e.slice(ePos);
  const exp = Number(e.slice(ePos + 1));
  if (exp < -4 || exp >= 17) {
    let mant = e.slice(0, ePos);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const ae = Math.abs(exp);
    return mant + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  }
  // Fixed notation from the same 17 digits.
  const neg = x < 0;
  const mant = e.slice(neg ? 1 : 0, ePos); // d.dddddddddddddddd
  const digits = mant[0]! + mant.slice(2);
  let f = exp >= 0 ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1) : '0.' + '0'.repeat(-exp - 1) + digits;
  f = f.replace(/0+$/, '').replace(/\.$/, '');
  return neg ? '-' + f : f;
}
