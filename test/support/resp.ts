// Test-side RESP2/RESP3 client plumbing: a raw connection that hands back the exact bytes of each reply, and
// helpers to decode and pretty-print those bytes.
//
// parseReply() decodes one reply into plain JS values:
//   +simple, $bulk, =verbatim  -> string (latin1, one char per byte; verbatim without its "txt:" prefix)
//   -error, !blob error        -> { error: string }          (full text after the type byte, e.g. "ERR syntax error")
//   :integer                   -> number, or bigint when outside Number.MAX_SAFE_INTEGER
//   (big number                -> bigint
//   ,double                    -> number ("inf", "-inf", "nan" map to Infinity, -Infinity, NaN)
//   #boolean                   -> boolean
//   _null, $-1, *-1            -> null
//   *array, ~set               -> array (wire order preserved)
//   %map                       -> Map (insertion = wire order)
//   >push                      -> { push: array }
//   |attribute                 -> skipped; the value is the reply that follows it
// Streamed RESP3 types ($?, *?, ;, .) are not supported: Redis never sends them.

import net from 'node:net';

export interface RespError {
  error: string;
}
export interface RespPush {
  push: RespValue[];
}
export type RespValue =
  string | number | bigint | boolean | null | RespError | RespPush | RespValue[] | Map<RespValue, RespValue>;

const CR = 13;
const LF = 10;

/** Encodes a request as a RESP multibulk. Strings are latin1 (binary safe: one byte per char). */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

/** Thrown when the bytes received are not valid RESP. */
export class RespFormatError extends Error {}

function lineEnd(buf: Buffer, from: number, limit: number): number {
  let i = from;
  for (;;) {
    const cr = buf.indexOf(CR, i);
    if (cr < 0 || cr + 1 >= limit) return -1;
    if (buf[cr + 1] === LF) return cr;
    i = cr + 1;
  }
}

function parseIntStrict(s: string, what: string): number {
  if (!/^-?\d+$/.test(s)) throw new RespFormatError(`bad ${what} ${JSON.stringify(s)}`);
  return Number(s);
}

/**
 * Incremental scanner that finds where one complete reply ends, resuming where it left off when more bytes
 * arrive (so large replies received in many chunks are scanned once).
 */
export class ReplyScanner {
  private pos = 0;
  /** Items still needed by each open aggregate; the bottom entry is the reply itself. */
  private stack: number[] = [1];

  reset(): void {
    this.pos = 0;
    this.stack = [1];
  }

  /** Returns the end offset (exclusive) of the first reply in buf[0, limit), or -1 if it is incomplete. */
  scan(buf: Buffer, limit = buf.length): number {
    for (;;) {
      const pos = this.pos;
      if (pos >= limit) return -1;
      const type = String.fromCharCode(buf[pos]!);
      const le = lineEnd(buf, pos + 1, limit);
      if (le < 0) return -1;
      const header = buf.latin1Slice(pos + 1, le);
      let next = le + 2;
      let children = 0;
      switch (type) {
        case '+':
        case '-':
        case ':':
        case ',':
        case '#':
        case '(':
          break;
        case '_':
          if (header !== '') throw new RespFormatError(`bad null ${JSON.stringify(header)}`);
          break;
        case '$':
        case '!':
        case '=': {
          const n = parseIntStrict(header, 'bulk length');
          if (n === -1 && type === '$') break;
          if (n < 0) throw new RespFormatError(`bad bulk length ${n}`);
          if (next + n + 2 > limit) return -1;
          if (buf[next + n] !== CR || buf[next + n + 1] !== LF) {
            throw new RespFormatError(`bulk of length ${n} not followed by CRLF`);
          }
          next += n + 2;
          break;
        }
        case '*':
        case '~':
        case '>': {
          const n = parseIntStrict(header, 'aggregate length');
          if (n === -1 && type === '*') break;
          if (n < 0) throw new RespFormatError(`bad aggregate length ${n}`);
          children = n;
          break;
        }
        case '%':
        case '|': {
          const n = parseIntStrict(header, 'map length');
          if (n < 0) throw new RespFormatError(`bad map length ${n}`);
          children = 2 * n;
          // An attribute does not take the slot of the reply it annotates: that reply still follows.
          if (type === '|') this.stack[this.stack.length - 1]!++;
          break;
        }
        default:
          throw new RespFormatError(`unknown reply type byte 0x${buf[pos]!.toString(16).padStart(2, '0')} at ${pos}`);
      }
      this.pos = next;
      if (children > 0) {
        this.stack.push(children);
        continue;
      }
      // One item complete: pop every aggregate it completes.
      for (;;) {
        const top = this.stack.length - 1;
        this.stack[top]!--;
        if (this.stack[top]! > 0) break;
        this.stack.pop();
        if (this.stack.length === 0) {
          const end = this.pos;
          this.reset();
          return end;
        }
      }
    }
  }
}

/** Offset just past the first complete reply in buf starting at `from`, or -1 if incomplete. */
export function replyEnd(buf: Buffer, from = 0): number {
  const s = new ReplyScanner();
  const end = s.scan(from === 0 ? buf : buf.subarray(from));
  return end < 0 ? -1 : end + from;
}

/** Decodes exactly one reply (see the table at the top of this file). Throws if buf holds more or less. */
export function parseReply(buf: Buffer): RespValue {
  const [value, end] = decode(buf, 0);
  if (end !== buf.length) throw new RespFormatError(`${buf.length - end} trailing bytes after the reply`);
  return value;
}

/** Decodes a concatenation of complete replies. */
export function parseReplies(buf: Buffer): RespValue[] {
  const out: RespValue[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [v, end] = decode(buf, pos);
    out.push(v);
    pos = end;
  }
  return out;
}

function decode(buf: Buffer, pos: number): [RespValue, number] {
  if (pos >= buf.length) throw new RespFormatError('incomplete reply');
  const type = String.fromCharCode(buf[pos]!);
  const le = lineEnd(buf, pos + 1, buf.length);
  if (le < 0) throw new RespFormatError('incomplete reply');
  const header = buf.latin1Slice(pos + 1, le);
  const next = le + 2;
  switch (type) {
    case '+':
      return [header, next];
    case '-':
      return [{ error: header }, next];
    case ':': {
      parseIntStrict(header, 'integer');
      const big = BigInt(header);
      const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return [safe ? Number(big) : big, next];
    }
    case '(':
      parseIntStrict(header, 'big number');
      return [BigInt(header), next];
    case ',': {
      const l = header.toLowerCase();
      const v = l === 'inf' ? Infinity : l === '-inf' ? -Infinity : l === 'nan' ? NaN : Number(header);
      return [v, next];
    }
    case '#':
      if (header !== 't' && header !== 'f') throw new RespFormatError(`bad boolean ${JSON.stringify(header)}`);
      return [header === 't', next];
    case '_':
      return [null, next];
    case '$':
    case '!':
    case '=': {
      const n = parseIntStrict(header, 'bulk length');
      if (n === -1 && type === '$') return [null, next];
      if (n < 0 || next + n + 2 > buf.length) throw new RespFormatError('incomplete bulk');
      const s = buf.latin1Slice(next, next + n);
      const end = next + n + 2;
      if (type === '!') return [{ error: s }, end];
      if (type === '=') return [s.length >= 4 && s[3] === ':' ? s.slice(4) : s, end];
      return [s, end];
    }
    case '*':
    case '~':
    case '>': {
      const n = parseIntStrict(header, 'aggregate length');
      if (n === -1 && type === '*') return [null, next];
      const items: RespValue[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const [v, e] = decode(buf, p);
        items.push(v);
        p = e;
      }
      return [type === '>' ? { push: items } : items, p];
    }
    case '%': {
      const n = parseIntStrict(header, 'map length');
      const m = new Map<RespValue, RespValue>();
      let p = next;
      for (let i = 0; i < n; i++) {
        const [k, e1] = decode(buf, p);
        const [v, e2] = decode(buf, e1);
        m.set(k, v);
        p = e2;
      }
      return [m, p];
    }
    case '|': {
      const n = parseIntStrict(header, 'attribute length');
      let p = next;
      for (let i = 0; i < 2 * n; i++) p = decode(buf, p)[1];
      return decode(buf, p);
    }
    default:
      throw new RespFormatError(`unknown reply type byte 0x${buf[pos]!.toString(16).padStart(2, '0')} at ${pos}`);
  }
}

/** Offset of the reply proper, past any leading attributes. */
function skipAttributes(buf: Buffer): number {
  let pos = 0;
  while (buf[pos] === 0x7c /* '|' */) {
    const le = lineEnd(buf, pos + 1, buf.length);
    if (le < 0) throw new RespFormatError('incomplete attribute');
    const n = parseIntStrict(buf.latin1Slice(pos + 1, le), 'attribute length');
    let p = le + 2;
    for (let i = 0; i < 2 * n; i++) {
      const e = replyEnd(buf, p);
      if (e < 0) throw new RespFormatError('incomplete attribute');
      p = e;
    }
    pos = p;
  }
  return pos;
}

/**
 * The kind of a reply, for "same type" checks: its type byte ("+", "$", "*", "%", "_", …), except that the
 * RESP2 nulls are "$-1" and "*-1". Leading attributes are skipped.
 */
export function replyKind(buf: Buffer): string {
  const pos = skipAttributes(buf);
  const type = String.fromCharCode(buf[pos]!);
  if ((type === '$' || type === '*') && buf[pos + 1] === 0x2d && buf[pos + 2] === 0x31 && buf[pos + 3] === CR) {
    return `${type}-1`;
  }
  return type;
}

/**
 * Splits an aggregate reply (* ~ > %) into its header line (e.g. "*3") and the raw bytes of each element
 * (a map of n pairs gives 2n elements). Undefined for a non-aggregate or a null array.
 */
export function replyElements(buf: Buffer): { header: string; elements: Buffer[] } | undefined {
  const pos = skipAttributes(buf);
  const type = buf[pos];
  if (type !== 0x2a && type !== 0x7e && type !== 0x3e && type !== 0x25) return undefined;
  const le = lineEnd(buf, pos + 1, buf.length);
  if (le < 0) throw new RespFormatError('incomplete reply');
  const header = buf.latin1Slice(pos, le);
  const n = parseIntStrict(header.slice(1), 'aggregate length');
  if (n < 0) return undefined;
  const count = type === 0x25 ? 2 * n : n;
  const elements: Buffer[] = [];
  let p = le + 2;
  for (let i = 0; i < count; i++) {
    const e = replyEnd(buf, p);
    if (e < 0) throw new RespFormatError('incomplete reply');
    elements.push(buf.subarray(p, e));
    p = e;
  }
  return { header, elements };
}

/** Escapes bytes for display: printable ASCII as is, \r \n \t named, anything else as \xHH. */
export function escapeBytes(buf: Buffer | string, maxBytes = 2000): string {
  const b = typeof buf === 'string' ? Buffer.from(buf, 'latin1') : buf;
  let s = '';
  const n = Math.min(b.length, maxBytes);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === CR) s += '\\r';
    else if (c === LF) s += '\\n';
    else if (c === 9) s += '\\t';
    else if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return b.length > n ? `"${s}"… (${b.length} bytes in all)` : `"${s}"`;
}

/** Renders a raw reply readably for assertion messages: the escaped bytes in double quotes, truncated. */
export function formatReply(buf: Buffer, maxBytes = 2000): string {
  return escapeBytes(buf, maxBytes);
}

/** Renders a command as its arguments, each escaped and quoted. */
export function formatCommand(args: readonly (string | Buffer)[], maxBytesPerArg = 200): string {
  return args.map((a) => escapeBytes(a, maxBytesPerArg)).join(' ');
}

/**
 * A bare TCP connection speaking RESP, for byte-exact tests. Replies are returned as raw bytes; the reader
 * understands RESP2 and RESP3 framing (including nested aggregates and attributes) to know where each ends.
 */
export class RawConnection {
  private data: Buffer = Buffer.allocUnsafe(16 * 1024);
  private start = 0;
  private end = 0;
  private closed = false;
  private socketError: Error | undefined;
  private wake: (() => void) | undefined;
  private reading = false;
  private readonly scanner = new ReplyScanner();

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.append(chunk);
      this.notify();
    });
    socket.on('error', (err) => {
      // ECONNRESET/EPIPE after the server hung up are expected in protocol-error tests.
      this.socketError = err;
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static connect(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs}ms`));
      }, timeoutMs);
      const onError = (err: Error): void => {
        clearTimeout(timer);
        reject(err);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new RawConnection(socket));
      });
    });
  }

  /** True once the peer has closed the connection (or it was closed locally). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes received and not yet returned by a read. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Sends one request as a RESP multibulk (strings as latin1). */
  send(args: readonly (string | Buffer)[]): void {
    this.socket.write(encodeCommand(args));
  }

  /** Sends bytes as they are (strings as latin1). */
  sendRaw(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Sends a request and returns the raw bytes of its reply. */
  async call(args: readonly (string | Buffer)[], timeoutMs = 5000): Promise<Buffer> {
    this.send(args);
    return this.readReply(timeoutMs);
  }

  /** The exact bytes of the next complete reply. Rejects on timeout, on close before a whole reply, on bad RESP. */
  async readReply(timeoutMs = 5000): Promise<Buffer> {
    return this.exclusive(async () => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let n: number;
        try {
          n = this.scanner.scan(this.data.subarray(this.start, this.end));
        } catch (err) {
          this.scanner.reset();
          throw new RespFormatError(`${(err as Error).message}; received ${this.pendingText()}`);
        }
        if (n >= 0) return this.take(n);
        if (this.closed) {
          throw new Error(`connection closed before a complete reply; received ${this.pendingText()}`);
        }
        await this.waitForData(deadline, `waiting ${timeoutMs}ms for a reply`);
      }
    });
  }

  /** Every byte received until the peer closes the connection. Rejects if it stays open past the timeout. */
  async readUntilClosed(timeoutMs = 5000): Promise<Buffer> {
    return this.exclusive(async () => {
      const deadline = Date.now() + timeoutMs;
      while (!this.closed) await this.waitForData(deadline, `waiting ${timeoutMs}ms for the connection to close`);
      this.scanner.reset();
      return this.take(this.end - this.start);
    });
  }

  /**
   * Every byte received until the connection closes or stays quiet for `quietMs` (at most `maxMs` in all).
   * For checking that nothing (more) arrives.
   */
  async readAvailable(quietMs = 100, maxMs = 5000): Promise<Buffer> {
    return this.exclusive(async () => {
      const deadline = Date.now() + maxMs;
      while (!this.closed && Date.now() < deadline) {
        const before = this.end - this.start;
        const got = await this.waitForData(Math.min(deadline, Date.now() + quietMs), '', false);
        if (!got || this.end - this.start === before) break;
      }
      this.scanner.reset();
      return this.take(this.end - this.start);
    });
  }

  /** Closes the connection and waits until it is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 200).unref();
    });
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.reading) throw new Error('RawConnection: concurrent reads are not supported');
    this.reading = true;
    try {
      return await fn();
    } finally {
      this.reading = false;
    }
  }

  private pendingText(): string {
    const err = this.socketError ? ` (socket error: ${this.socketError.message})` : '';
    return `${formatReply(this.data.subarray(this.start, this.end), 500)}${err}`;
  }

  /** Resolves true on new data or close, false (or rejects if `fail`) at the deadline. */
  private waitForData(deadline: number, what: string, fail = true): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.wake = undefined;
          if (fail) reject(new Error(`timed out ${what}; received ${this.pendingText()}`));
          else resolve(false);
        },
        Math.max(0, deadline - Date.now()),
      );
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(true);
      };
    });
  }

  private notify(): void {
    this.wake?.();
  }

  private append(chunk: Buffer): void {
    const used = this.end - this.start;
    if (this.end + chunk.length > this.data.length) {
      if (used + chunk.length <= this.data.length / 2) {
        this.data.copy(this.data, 0, this.start, this.end);
      } else {
        let cap = this.data.length * 2;
        while (cap < used + chunk.length) cap *= 2;
        const nd = Buffer.allocUnsafe(cap);
        this.data.copy(nd, 0, this.start, this.end);
        this.data = nd;
      }
      this.start = 0;
      this.end = used;
    }
    chunk.copy(this.data, this.end);
    this.end += chunk.length;
  }

  private take(n: number): Buffer {
    const out = Buffer.from(this.data.subarray(this.start, this.start + n));
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Strict reply validation (for the fuzzers): everything a server sends must be well-formed RESP, exactly as Redis
// writes it. Stricter than ReplyScanner: canonical integers and lengths (no '+', no leading zeros, 64-bit range),
// no CR/LF inside simple strings and errors, error replies starting with an upper-case code, RESP3 types only on a
// RESP3 connection (and the RESP2 nulls $-1 / *-1 only on a RESP2 one), non-empty pushes, verbatim
// strings with a three-letter format, no attributes (Redis 7.0 never sends them).

/** Which replies a connection may receive: RESP2 only, RESP3 only, or either (protocol not known). */
export type StrictProto = 2 | 3 | 'any';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/;
const CANONICAL_LEN = /^(0|[1-9][0-9]*)$/;
const DOUBLE_TEXT = /^(-?inf|nan|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)$/;

function strictLine(buf: Buffer, pos: number): { header: string; next: number } | undefined {
  const cr = buf.indexOf(CR, pos + 1);
  if (cr < 0 || cr + 1 >= buf.length) {
    // A lone LF before any CR can never become a valid line.
    const lf = buf.indexOf(LF, pos + 1);
    if (lf >= 0 && (cr < 0 || lf < cr)) throw new RespFormatError(`LF without CR in a header at ${pos}`);
    return undefined;
  }
  if (buf[cr + 1] !== LF) throw new RespFormatError(`CR not followed by LF at ${cr}`);
  const header = buf.latin1Slice(pos + 1, cr);
  if (header.includes('\n')) throw new RespFormatError(`LF inside a header line at ${pos}`);
  return { header, next: cr + 2 };
}

function strictLength(header: string, what: string, allowMinusOne: boolean): number {
  if (allowMinusOne && header === '-1') return -1;
  if (!CANONICAL_LEN.test(header) || header.length > 10) {
    throw new RespFormatError(`bad ${what} ${JSON.stringify(header)}`);
  }
  return Number(header);
}

/**
 * Offset just past the complete reply starting at `from`, or -1 if the bytes so far are a valid but incomplete
 * prefix of one. Throws RespFormatError (with the reason) as soon as the bytes cannot be well-formed RESP.
 */
export function strictReplyEnd(buf: Buffer, from: number, proto: StrictProto): number {
  const r3 = proto !== 2;
  const r2 = proto !== 3;
  // Items still needed by each open aggregate; the bottom entry is the reply itself.
  const stack: number[] = [1];
  let pos = from;
  for (;;) {
    if (pos >= buf.length) return -1;
    const t = buf[pos]!;
    const type = String.fromCharCode(t);
    const line = strictLine(buf, pos);
    if (line === undefined) return -1;
    const { header } = line;
    let next = line.next;
    let children = 0;
    const need3 = (): void => {
      if (!r3) throw new RespFormatError(`RESP3 type '${type}' on a RESP2 connection at ${pos}`);
    };
    switch (type) {
      case '+':
        if (header.includes('\r')) throw new RespFormatError(`CR inside a simple string at ${pos}`);
        break;
      case '-':
        if (header.includes('\r')) throw new RespFormatError(`CR inside an error at ${pos}`);
        if (!/^[A-Z]/.test(header))
          throw new RespFormatError(`error without an upper-case code: ${JSON.stringify(header)}`);
        break;
      case ':': {
        if (!CANONICAL_INT.test(header) || header.length > 20) {
          throw new RespFormatError(`bad integer ${JSON.stringify(header)}`);
        }
        const v = BigInt(header);
        if (v < INT64_MIN || v > INT64_MAX) throw new RespFormatError(`integer out of 64-bit range ${header}`);
        break;
      }
      case '$':
      case '!':
      case '=': {
        if (type !== '$') need3();
        const n = strictLength(header, 'bulk length', type === '$' && r2);
        if (n === -1) break;
        if (next + n + 2 > buf.length) {
          // Still incomplete; but what has arrived past the payload must already be right.
          if (next + n < buf.length && buf[next + n] !== CR) throw new RespFormatError(`bulk of length ${n} overruns`);
          if (next + n + 1 < buf.length && buf[next + n + 1] !== LF)
            throw new RespFormatError(`bulk of length ${n} overruns`);
          return -1;
        }
        if (buf[next + n] !== CR || buf[next + n + 1] !== LF) {
          throw new RespFormatError(`bulk of length ${n} not followed by CRLF at ${pos}`);
        }
        if (type === '=' && (n < 4 || !/^[a-z]{3}:$/.test(buf.latin1Slice(next, next + 4)))) {
          throw new RespFormatError(`verbatim string without a format prefix at ${pos}`);
        }
        if (type === '!' && !/^[A-Z]/.test(buf.latin1Slice(next, next + Math.min(n, 1)))) {
          throw new RespFormatError(`blob error without an upper-case code at ${pos}`);
        }
        next += n + 2;
        break;
      }
      case '*':
        children = strictLength(header, 'array length', r2);
        if (children === -1) children = 0;
        break;
      case '~':
      case '%':
      case '>': {
        need3();
        // A push is out of band, but Redis 7.0 writes a (UN)SUBSCRIBE reply queued in MULTI as a push inside
        // EXEC's array: accepted anywhere.
        const n = strictLength(header, `${type} length`, false);
        if (type === '>' && n === 0) throw new RespFormatError(`empty push at ${pos}`);
        children = type === '%' ? 2 * n : n;
        break;
      }
      case '_':
        need3();
        if (header !== '') throw new RespFormatError(`bad null ${JSON.stringify(header)}`);
        break;
      case ',':
        need3();
        if (!DOUBLE_TEXT.test(header)) throw new RespFormatError(`bad double ${JSON.stringify(header)}`);
        break;
      case '#':
        need3();
        if (header !== 't' && header !== 'f') throw new RespFormatError(`bad boolean ${JSON.stringify(header)}`);
        break;
      case '(':
        need3();
        if (!CANONICAL_INT.test(header)) throw new RespFormatError(`bad big number ${JSON.stringify(header)}`);
        break;
      default:
        throw new RespFormatError(`bad reply type byte 0x${t.toString(16).padStart(2, '0')} at ${pos}`);
    }
    pos = next;
    if (children > 0) {
      stack.push(children);
      continue;
    }
    for (;;) {
      const top = stack.length - 1;
      stack[top]!--;
      if (stack[top]! > 0) break;
      stack.pop();
      if (stack.length === 0) return pos;
    }
  }
}

/**
 * Collects a connection's incoming bytes and splits them into strictly validated replies. `push()` throws
 * RespFormatError on the first malformed byte; `pending` is the length of an incomplete trailing reply.
 */
export class StrictReplyStream {
  private buf: Buffer = Buffer.alloc(0);
  /** Every complete reply so far, raw. */
  readonly replies: Buffer[] = [];

  constructor(public proto: StrictProto = 'any') {}

  /** Appends bytes and returns the replies they completed. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const end = strictReplyEnd(this.buf, pos, this.proto);
      if (end < 0) break;
      const r = this.buf.subarray(pos, end);
      out.push(r);
      this.replies.push(r);
      pos = end;
    }
    this.buf = pos === 0 ? this.buf : Buffer.from(this.buf.subarray(pos));
    return out;
  }

  /** Bytes of an incomplete reply at the end (0 when every byte belonged to a complete reply). */
  get pending(): number {
    return this.buf.length;
  }
}
