// The AOF record format: RESP commands in checksummed records.
//
// An incremental AOF file is a sequence of records. A record is everything one write() puts in the file (the
// effects of one or more execution units, whole MULTI … EXEC blocks included), preceded by a header line:
//
//     #C<length>,<crc>,<hcheck>\r\n<body>
//
// `length` is the body's size in bytes (decimal), `crc` the CRC-32 (IEEE) of the body as 8 lowercase hex digits,
// and `hcheck` the low 16 bits of the CRC-32 of the text `C<length>,<crc>` as 4 hex digits, so that a flipped bit
// in the length cannot pass for a torn tail. The body is plain RESP (`*<n>\r\n$<len>\r\n<arg>\r\n…`), and Redis 7
// skips lines starting with '#' as annotations, so the files remain readable by redis-server and redis-check-aof.
//
// A file redis-server wrote loads too: plain RESP commands outside any record are read one by one (scanRecord).
//
// Reading stops cleanly at the end of the last complete record. What follows is either a torn tail (the file ends
// inside a header or a body: a crash mid-write, cut back when aof-load-truncated is yes) or corruption
// (a checksum mismatch or malformed data with the file going on after it: refused, with the file and offset).

import { crc32 } from './crc32.js';
import { argString } from '../protocol/request-parser.js';

export const RECORD_MAX_HEADER = 40;

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The header line for a body of `len` bytes whose CRC-32 is `crc`. */
export function recordHeader(len: number, crc: number): string {
  const h = `C${len},${hex8(crc)}`;
  const hc = (crc32(Buffer.from(h, 'latin1')) & 0xffff).toString(16).padStart(4, '0');
  return `#${h},${hc}\r\n`;
}

/** Frames a RESP body as one record. */
export function frameRecord(body: Buffer): Buffer {
  const hdr = recordHeader(body.length, crc32(body));
  const out = Buffer.allocUnsafe(hdr.length + body.length);
  out.write(hdr, 0, 'latin1');
  body.copy(out, hdr.length);
  return out;
}

export type RecordScan =
  | { kind: 'record'; start: number; bodyStart: number; end: number }
  | { kind: 'eof' }
  | { kind: 'torn'; start: number; reason: string }
  | { kind: 'corrupt'; offset: number; reason: string };

const HEADER_RE = /^#C(0|[1-9]\d{0,11}),([0-9a-f]{8}),([0-9a-f]{4})\r$/;

/**
 * Examines the record starting at `pos`. Besides Cairn's records, an incremental file may hold what redis-server
 * writes: plain RESP commands, each read as a record of its own (without a checksum, as Redis has none), and
 * its timestamp annotations (`#TS:…` lines), read as empty records. So a log Redis wrote (with a RESP base, see
 * PersistenceManager.loadAof) loads, and Cairn appends its own records after it.
 */
export function scanRecord(buf: Buffer, pos: number): RecordScan {
  if (pos >= buf.length) return { kind: 'eof' };
  const first = buf[pos]!;
  if (first === 0x2a /* '*' */) return scanPlainCommand(buf, pos);
  if (first === 0x23 /* '#' */ && buf.latin1Slice(pos, Math.min(pos + 4, buf.length)) === '#TS:') {
    // Only Redis's timestamp annotation: a damaged record header must not pass for an annotation.
    const eol = buf.indexOf(0x0a, pos);
    if (eol < 0) return { kind: 'torn', start: pos, reason: 'the file ends inside an annotation' };
    return { kind: 'record', start: pos, bodyStart: eol + 1, end: eol + 1 };
  }
  const nl = buf.indexOf(0x0a, pos);
  if (nl < 0 || nl - pos > RECORD_MAX_HEADER) {
    if (nl < 0 && buf.length - pos <= RECORD_MAX_HEADER && isHeaderPrefix(buf, pos)) {
      return { kind: 'torn', start: pos, reason: 'the file ends inside a record header' };
    }
    return { kind: 'corrupt', offset: pos, reason: 'expected a record header' };
  }
  const line = buf.latin1Slice(pos, nl);
  const m = HEADER_RE.exec(line);
  if (!m) return { kind: 'corrupt', offset: pos, reason: 'malformed record header' };
  const hc = (crc32(Buffer.from(line.slice(1, line.lastIndexOf(',')), 'latin1')) & 0xffff)
    .toString(16)
    .padStart(4, '0');
  if (hc !== m[3]) return { kind: 'corrupt', offset: pos, reason: 'record header checksum mismatch' };
  const len = Number(m[1]);
  const bodyStart = nl + 1;
  const end = bodyStart + len;
  if (end > buf.length) return { kind: 'torn', start: pos, reason: 'the file ends inside a record' };
  if (crc32(buf, bodyStart, end) !== parseInt(m[2]!, 16)) {
    return { kind: 'corrupt', offset: pos, reason: 'record checksum mismatch' };
  }
  return { kind: 'record', start: pos, bodyStart, end };
}

/** One plain RESP command at `pos` (a file redis-server wrote): a record, or torn at the end of the file, or corrupt. */
function scanPlainCommand(buf: Buffer, pos: number): RecordScan {
  const size = buf.length;
  let p = pos;
  // Reads a `<prefix><digits>\r\n` line at p: its number, or -1 when the file ends first, -2 when malformed.
  const line = (prefix: number): number => {
    if (p >= size) return -1;
    if (buf[p] !== prefix) return -2;
    let q = p + 1;
    let n = 0;
    while (q < size && q - p <= 11 && buf[q]! >= 0x30 && buf[q]! <= 0x39) n = n * 10 + (buf[q++]! - 0x30);
    if (q >= size) return -1;
    if (q === p + 1 || q - p > 11 || buf[q] !== 0x0d) return -2;
    if (q + 1 >= size) return -1;
    if (buf[q + 1] !== 0x0a) return -2;
    p = q + 2;
    return n;
  };
  const torn = (): RecordScan => ({ kind: 'torn', start: pos, reason: 'the file ends inside a command' });
  const count = line(0x2a);
  if (count === -1) return torn();
  if (count < 1) return { kind: 'corrupt', offset: p, reason: count === -2 ? 'bad multibulk length' : 'empty command' };
  for (let i = 0; i < count; i++) {
    const len = line(0x24);
    if (len === -1) return torn();
    if (len === -2) return { kind: 'corrupt', offset: p, reason: "expected '$', got something else" };
    if (p + len + 2 > size) return torn();
    if (buf[p + len] !== 0x0d || buf[p + len + 1] !== 0x0a)
      return { kind: 'corrupt', offset: p, reason: 'bad bulk string' };
    p += len + 2;
  }
  return { kind: 'record', start: pos, bodyStart: pos, end: p };
}

/** Whether buf[pos..] could be the beginning of a header line (for telling a torn header from garbage). */
function isHeaderPrefix(buf: Buffer, pos: number): boolean {
  const s = buf.latin1Slice(pos, buf.length);
  return /^(#(C(\d{1,12}(,([0-9a-f]{0,8}(,([0-9a-f]{0,4}\r?)?)?)?)?)?)?)?$/.test(s);
}

export class RespFormatError extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Parses the RESP commands of a record body (already verified by its checksum). Offsets are file offsets. */
export function parseBody(buf: Buffer, start: number, end: number): string[][] {
  const cmds: string[][] = [];
  let p = start;
  while (p < end) {
    const n = lengthLine(buf, p, end, 0x2a);
    p = lineEnd;
    if (n < 1) throw new RespFormatError(p, 'empty command');
    const argv: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const len = lengthLine(buf, p, end, 0x24);
      p = lineEnd;
      if (p + len + 2 > end || buf[p + len] !== 0x0d || buf[p + len + 1] !== 0x0a) {
        throw new RespFormatError(p, 'bad bulk string');
      }
      argv[i] = argString(buf, p, len);
      p += len + 2;
    }
    cmds.push(argv);
  }
  return cmds;
}

/** Where the line the latest `lengthLine` read ends (the offset after its CRLF). */
let lineEnd = 0;

/**
 * The number of a `<prefix><digits>\r\n` line at `p` (1 to 10 digits), read byte by byte; the line's end is left
 * in `lineEnd`. Throws RespFormatError for anything else.
 */
function lengthLine(buf: Buffer, p: number, end: number, prefix: number): number {
  if (p >= end || buf[p] !== prefix) throw new RespFormatError(p, `expected '${String.fromCharCode(prefix)}'`);
  let q = p + 1;
  let n = 0;
  const stop = Math.min(end, q + 10);
  while (q < stop) {
    const ch = buf[q]!;
    if (ch < 0x30 || ch > 0x39) break;
    n = n * 10 + (ch - 0x30);
    q++;
  }
  if (q > p + 1 && q + 1 < end && buf[q] === 0x0d && buf[q + 1] === 0x0a) {
    lineEnd = q + 2;
    return n;
  }
  const nl = buf.indexOf(0x0a, p);
  if (nl < 0 || nl >= end || buf[nl - 1] !== 0x0d) throw new RespFormatError(p, 'unterminated line');
  throw new RespFormatError(p, 'bad length');
}
