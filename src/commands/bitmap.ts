// Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO. Bitmaps are ordinary string
// values (latin1 strings, one char per byte); bit 0 is the most significant bit of the first byte. A bitmap of
// BIG_STRING_MIN bytes or more is a BigString, written in place (see openBytes) and read as bytes.

import {
  closeBytes,
  openBytes,
  readStringValue,
  stringAt,
  stringLength,
  writeEntryOf,
  writesInPlace,
} from './lookup.js';
import { BIG_STRING_MIN, BigString } from '../types/big-string.js';
import { heapLatin1 } from '../protocol/buffer-internals.js';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { Slot } from '../keyspace/db.js';
import { is, negativeRangeEmpty, parseInteger, parseLL } from './args.js';
import { notify, NOTIFY_GENERIC, NOTIFY_STRING } from '../keyspace/notify.js';
import { type CommandSpec, type KeySpecFlag, rangeKeySpec } from './spec.js';

const BITMAP = 'bitmap';

const ERR_BIT_ARG = 'ERR The bit argument must be 1 or 0.';
const ERR_BITOP_NOT = 'ERR BITOP NOT must be called with a single source key.';
const ERR_BITFIELD_TYPE =
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';
const ERR_OVERFLOW_TYPE = 'ERR Invalid OVERFLOW type specified';
const ERR_BITFIELD_RO = 'ERR BITFIELD_RO only supports the GET subcommand';

/** Set bits in each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** Set bits in bytes [from, to] of a bitmap. */
function popcount(v: string | BigString, from: number, to: number): number {
  let n = 0;
  if (typeof v !== 'string') return popcountBytes(v.bytes, from, to);
  for (let i = from; i <= to; i++) n += POPCOUNT[v.charCodeAt(i)]!;
  return n;
}

/** Set bits in bytes [from, to] of b, a 32-bit word at a time where the words are aligned. */
function popcountBytes(b: Buffer, from: number, to: number): number {
  let n = 0;
  let i = from;
  while (i <= to && ((b.byteOffset + i) & 3) !== 0) n += POPCOUNT[b[i++]!]!;
  // Four words per step: their per-byte counts (at most 32 each) are summed before the final multiply.
  const words = ((to - i + 1) >> 4) << 2;
  if (words > 0) {
    const w = new Int32Array(b.buffer, b.byteOffset + i, words);
    for (let k = 0; k < words; k += 4) {
      let a = w[k]!;
      let c = w[k + 1]!;
      let d = w[k + 2]!;
      let e = w[k + 3]!;
      a -= (a >>> 1) & 0x55555555;
      c -= (c >>> 1) & 0x55555555;
      d -= (d >>> 1) & 0x55555555;
      e -= (e >>> 1) & 0x55555555;
      a = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
      c = (c & 0x33333333) + ((c >>> 2) & 0x33333333);
      d = (d & 0x33333333) + ((d >>> 2) & 0x33333333);
      e = (e & 0x33333333) + ((e >>> 2) & 0x33333333);
      a =
        ((a + (a >>> 4)) & 0x0f0f0f0f) +
        ((c + (c >>> 4)) & 0x0f0f0f0f) +
        ((d + (d >>> 4)) & 0x0f0f0f0f) +
        ((e + (e >>> 4)) & 0x0f0f0f0f);
      n += Math.imul(a, 0x01010101) >>> 24;
    }
    i += words * 4;
  }
  while (i <= to) n += POPCOUNT[b[i++]!]!;
  return n;
}

/** Byte i of a bitmap (i below its length). */
function byteAt(v: string | BigString, i: number): number {
  return typeof v === 'string' ? v.charCodeAt(i) : v.byteAt(i);
}

/** The bitmap at key for a read command (hits and misses counted), as it is stored; WRONGTYPE for other types. */
const readBitmap = readStringValue;

// ---- lookups and arguments ----

function writeEntry(c: Client, key: string): Slot | undefined {
  return writeEntryOf(c, key, 'string');
}

/**
 * A bit offset argument, as Redis reads it: a 64-bit integer, or with `hashBits` > 0 also `#n` meaning n ×
 * hashBits (wrapping like C's 64-bit multiply); negative offsets and offsets whose byte reaches
 * proto-max-bulk-len are refused.
 */
function bitOffsetArg(c: Client, s: string, hashBits: number): number {
  const maxBytes = c.server.config.values['proto-max-bulk-len'];
  const hash = hashBits > 0 && s.length > 1 && s.charCodeAt(0) === 35;
  if (!hash && s.length < 16) {
    const v = parseInteger(s);
    if (v === undefined || v < 0 || Math.floor(v / 8) >= maxBytes) throw new ReplyError(Err.bitOffset);
    return v;
  }
  let v = parseLL(hash ? s.slice(1) : s);
  if (v === undefined) throw new ReplyError(Err.bitOffset);
  if (hash) v = BigInt.asIntN(64, v * BigInt(hashBits));
  if (v < 0n || v >> 3n >= BigInt(maxBytes)) throw new ReplyError(Err.bitOffset);
  return Number(v);
}

/** V8's longest string (2^29 - 24 chars), just under Redis's default 512 MB proto-max-bulk-len. */
const MAX_JS_STRING = 0x1fffffe8;

/** Refuses to grow a bitmap past what a JS string can hold (Redis could go to proto-max-bulk-len). */
function checkGrowth(bytes: number): void {
  if (bytes > MAX_JS_STRING) throw new ReplyError(Err.stringTooLong);
}

/** A 64-bit integer argument as a (possibly imprecise beyond 2^53) number, or the standard error. */
function longArg(s: string): number {
  const v = parseInteger(s);
  if (v === undefined) throw new ReplyError(Err.notInteger);
  return v;
}

// ---- SETBIT, GETBIT ----

function setbitCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const offset = bitOffsetArg(c, argv[2]!, 0);
  const on = parseInteger(argv[3]!);
  if (on === undefined || (on !== 0 && on !== 1)) throw new ReplyError(Err.bitValue);
  const e = writeEntry(c, key);
  const db = c.db;
  const cur = e === undefined ? '' : (db.vals[e] as string | BigString);
  const byte = Math.floor(offset / 8);
  checkGrowth(byte + 1);
  const bit = 7 - (offset % 8);
  const byteval = byte < cur.length ? byteAt(cur, byte) : 0;
  const bitval = (byteval >> bit) & 1;
  if (e === undefined || byte >= cur.length || bitval !== on) {
    const nb = (byteval & ~(1 << bit)) | (on << bit);
    if (writesInPlace(db, e, Math.max(byte + 1, cur.length))) {
      const v = openBytes(db, key, e, byte + 1);
      v.writable(byte + 1)[byte] = nb;
      closeBytes(db, key, e, v);
    } else {
      const old = cur as string;
      const ch = String.fromCharCode(nb);
      const nv =
        byte < old.length ? old.slice(0, byte) + ch + old.slice(byte + 1) : old + '\0'.repeat(byte - old.length) + ch;
      if (e === undefined) db.set(key, nv);
      else db.update(key, e, nv);
    }
    c.db.ks.dirty++;
    notify(c.server, NOTIFY_STRING, 'setbit', key, c.db.id);
  }
  // Redis unshares the string before looking at the bit, so it is raw even when the bit did not change.
  c.db.markRaw(key);
  c.w.integer(bitval);
}

function getbitCommand(c: Client, argv: string[]): void {
  const offset = bitOffsetArg(c, argv[2]!, 0);
  const v = readBitmap(c, argv[1]!);
  if (v === undefined) return c.w.integer(0);
  const byte = Math.floor(offset / 8);
  c.w.integer(byte < v.length ? (byteAt(v, byte) >> (7 - (offset % 8))) & 1 : 0);
}

// ---- BITCOUNT, BITPOS ----

/** Reads a BYTE|BIT unit argument: true for BIT. */
function unitArg(s: string): boolean {
  if (is(s, 'bit')) return true;
  if (is(s, 'byte')) return false;
  throw new ReplyError(Err.syntax);
}

/** Clamps a start/end pair to [0, total - 1] the way Redis does (negative counts from the end). */
function clampRange(start: number, end: number, total: number): [number, number] {
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  return [start, end];
}

function bitcountCommand(c: Client, argv: string[]): void {
  const v = readBitmap(c, argv[1]!);
  if (v === undefined) return c.w.integer(0);
  const n = argv.length;
  let startBit: number;
  let endBit: number;
  if (n === 4 || n === 5) {
    const start = longArg(argv[2]!);
    const end = longArg(argv[3]!);
    if (negativeRangeEmpty(start, end, argv[2]!, argv[3]!)) return c.w.integer(0);
    const isBit = n === 5 ? unitArg(argv[4]!) : false;
    const total = isBit ? v.length * 8 : v.length;
    const [s, e] = clampRange(start, end, total);
    if (s > e) return c.w.integer(0);
    startBit = isBit ? s : s * 8;
    endBit = isBit ? e : e * 8 + 7;
  } else if (n === 2) {
    if (v.length === 0) return c.w.integer(0);
    startBit = 0;
    endBit = v.length * 8 - 1;
  } else {
    throw new ReplyError(Err.syntax);
  }
  const first = Math.floor(startBit / 8);
  const last = Math.floor(endBit / 8);
  let count = popcount(v, first, last);
  // Drop the bits of the edge bytes that lie outside the range.
  const headMask = (0xff00 >> (startBit % 8)) & 0xff;
  const tailMask = (1 << (7 - (endBit % 8))) - 1;
  if (headMask !== 0) count -= POPCOUNT[byteAt(v, first) & headMask]!;
  if (tailMask !== 0) count -= POPCOUNT[byteAt(v, last) & tailMask]!;
  c.w.integer(count);
}

/** The first bit equal to `bit` in [from, to] (bit positions), or -1. */
function findBit(v: string | BigString, bit: number, from: number, to: number): number {
  const skip = bit === 1 ? 0 : 0xff;
  const bytes = typeof v === 'string' ? undefined : v.bytes;
  let pos = from;
  while (pos <= to) {
    const byte = Math.floor(pos / 8);
    if (bytes !== undefined && pos % 8 === 0) {
      // Whole bytes with nothing to find are skipped a 32-bit word at a time where the words are aligned.
      const next = skipBytes(bytes, byte, Math.floor((to + 1) / 8), skip);
      if (next > byte) {
        pos = next * 8;
        continue;
      }
    }
    const b = bytes !== undefined ? bytes[byte]! : (v as string).charCodeAt(byte);
    if (pos % 8 === 0 && b === skip && pos + 7 <= to) {
      pos += 8;
      continue;
    }
    if (((b >> (7 - (pos % 8))) & 1) === bit) return pos;
    pos++;
  }
  return -1;
}

/** The first byte index in [from, end) whose byte is not `skip` (end when there is none). */
function skipBytes(b: Buffer, from: number, end: number, skip: number): number {
  let i = from;
  while (i < end && ((b.byteOffset + i) & 3) !== 0) {
    if (b[i] !== skip) return i;
    i++;
  }
  // Four words per step, combined: OR is 0 when all are zero bytes, AND is -1 when all are 0xff bytes.
  const words = ((end - i) >> 4) << 2;
  if (words > 0) {
    const w = new Int32Array(b.buffer, b.byteOffset + i, words);
    let k = 0;
    if (skip === 0) while (k < words && (w[k]! | w[k + 1]! | w[k + 2]! | w[k + 3]!) === 0) k += 4;
    else while (k < words && (w[k]! & w[k + 1]! & w[k + 2]! & w[k + 3]!) === -1) k += 4;
    i += k * 4;
  }
  while (i < end && b[i] === skip) i++;
  return i;
}

function bitposCommand(c: Client, argv: string[]): void {
  const bit = longArg(argv[2]!);
  if (bit !== 0 && bit !== 1) throw new ReplyError(ERR_BIT_ARG);
  const v = readBitmap(c, argv[1]!);
  if (v === undefined) return c.w.integer(bit === 1 ? -1 : 0);
  const n = argv.length;
  let startBit: number;
  let endBit: number;
  let endGiven = false;
  if (n >= 4 && n <= 6) {
    const start = longArg(argv[3]!);
    const isBit = n === 6 ? unitArg(argv[5]!) : false;
    let end: number;
    if (n >= 5) {
      end = longArg(argv[4]!);
      endGiven = true;
    } else {
      end = isBit ? v.length * 8 + 7 : v.length - 1;
    }
    const total = isBit ? v.length * 8 : v.length;
    const [s, e] = clampRange(start, end, total);
    if (s > e) return c.w.integer(-1);
    startBit = isBit ? s : s * 8;
    endBit = isBit ? e : e * 8 + 7;
  } else if (n === 3) {
    if (v.length === 0) return c.w.integer(-1);
    startBit = 0;
    endBit = v.length * 8 - 1;
  } else {
    throw new ReplyError(Err.syntax);
  }
  const pos = findBit(v, bit, startBit, endBit);
  if (pos >= 0 || bit === 1 || endGiven) return c.w.integer(pos);
  // Looking for a clear bit with no explicit end: the string counts as padded with zeros on the right.
  c.w.integer(endBit + 1);
}

// ---- BITOP ----

const OP_AND = 0;
const OP_OR = 1;
const OP_XOR = 2;
const OP_NOT = 3;

function bitopCommand(c: Client, argv: string[]): void {
  const opname = argv[1]!;
  let op: number;
  if (is(opname, 'and')) op = OP_AND;
  else if (is(opname, 'or')) op = OP_OR;
  else if (is(opname, 'xor')) op = OP_XOR;
  else if (is(opname, 'not')) op = OP_NOT;
  else throw new ReplyError(Err.syntax);
  if (op === OP_NOT && argv.length !== 4) throw new ReplyError(ERR_BITOP_NOT);
  const target = argv[2]!;
  const srcs: Buffer[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const v = readBitmap(c, argv[j]!) ?? '';
    srcs.push(typeof v === 'string' ? Buffer.from(v, 'latin1') : v.bytes);
    if (v.length > maxlen) maxlen = v.length;
  }
  const db = c.db;
  if (maxlen === 0) {
    if (db.delete(target)) {
      db.ks.dirty++;
      notify(c.server, NOTIFY_GENERIC, 'del', target, db.id);
    }
    return c.w.integer(0);
  }
  const res = Buffer.alloc(maxlen);
  srcs[0]!.copy(res);
  if (op === OP_NOT) {
    for (let i = 0; i < maxlen; i++) res[i] = ~res[i]! & 0xff;
  } else {
    for (let k = 1; k < srcs.length; k++) {
      const s = srcs[k]!;
      const n = s.length;
      if (op === OP_AND) {
        for (let i = 0; i < n; i++) res[i]! &= s[i]!;
        res.fill(0, n);
      } else if (op === OP_OR) for (let i = 0; i < n; i++) res[i]! |= s[i]!;
      else for (let i = 0; i < n; i++) res[i]! ^= s[i]!;
    }
  }
  db.set(target, maxlen >= BIG_STRING_MIN ? new BigString(res, false) : heapLatin1(res, 0, maxlen));
  db.markRaw(target);
  db.ks.dirty++;
  notify(c.server, NOTIFY_STRING, 'set', target, db.id);
  c.w.integer(maxlen);
}

// ---- BITFIELD, BITFIELD_RO ----

const BF_GET = 0;
const BF_SET = 1;
const BF_INCRBY = 2;
const OW_WRAP = 0;
const OW_SAT = 1;
const OW_FAIL = 2;

interface BitfieldOp {
  op: number;
  signed: boolean;
  bits: number;
  offset: number;
  value: bigint;
  overflow: number;
}

const INT64_MAX = (1n << 63n) - 1n;

/** Reads a bitfield type (i1..i64, u1..u63); the width is read as C does, up to a NUL byte. */
function bitfieldType(s: string): { signed: boolean; bits: number } {
  const t = s.charCodeAt(0);
  if (t !== 105 && t !== 117) throw new ReplyError(ERR_BITFIELD_TYPE);
  let rest = s.slice(1);
  const nul = rest.indexOf('\0');
  if (nul >= 0) rest = rest.slice(0, nul);
  const signed = t === 105;
  const bits = parseInteger(rest);
  if (bits === undefined || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
    throw new ReplyError(ERR_BITFIELD_TYPE);
  }
  return { signed, bits };
}

/** The 72 bits starting at byte `byte` of `src` (zero past its end) as a bigint. */
function read72(src: Uint8Array | string, byte: number): bigint {
  let hi = 0;
  let lo = 0;
  const n = src.length;
  for (let i = 0; i < 9; i++) {
    const idx = byte + i;
    const b = idx < n ? (typeof src === 'string' ? src.charCodeAt(idx) : src[idx]!) : 0;
    if (i < 4) hi = hi * 256 + b;
    else lo = lo * 256 + b;
  }
  return (BigInt(hi) << 40n) | BigInt(lo);
}

function getField(src: Uint8Array | string, offset: number, bits: number, signed: boolean): bigint {
  const byte = Math.floor(offset / 8);
  const shift = offset - byte * 8;
  const raw = (read72(src, byte) >> BigInt(72 - shift - bits)) & ((1n << BigInt(bits)) - 1n);
  return signed ? BigInt.asIntN(bits, raw) : raw;
}

function setField(buf: Buffer, offset: number, bits: number, value: bigint): void {
  const byte = Math.floor(offset / 8);
  const shift = offset - byte * 8;
  const pos = BigInt(72 - shift - bits);
  const mask = ((1n << BigInt(bits)) - 1n) << pos;
  const word = (read72(buf, byte) & ~mask) | ((BigInt.asUintN(bits, value) << pos) & mask);
  const lastByte = Math.floor((offset + bits - 1) / 8);
  for (let i = 0; byte + i <= lastByte; i++) buf[byte + i] = Number((word >> BigInt(64 - 8 * i)) & 0xffn);
}

/**
 * Redis's overflow check for a signed field: whether value + incr leaves the range of `bits` bits (1 above,
 * -1 below, 0 inside) and the result to store instead (wrapped or saturated). The comparisons run on 64-bit
 * wrapped intermediates exactly as Redis computes them.
 */
function signedOverflow(value: bigint, incr: bigint, bits: number, ow: number): [number, bigint] {
  const max = bits === 64 ? INT64_MAX : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  const wrap = (): bigint => BigInt.asIntN(bits, value + incr);
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return [1, ow === OW_SAT ? max : wrap()];
  }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return [-1, ow === OW_SAT ? min : wrap()];
  }
  return [0, 0n];
}

/** Like signedOverflow for an unsigned field; `value` is the 64-bit unsigned reading. */
function unsignedOverflow(value: bigint, incr: bigint, bits: number, ow: number): [number, bigint] {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  const wrap = (): bigint => BigInt.asUintN(bits, value + incr);
  if (value > max || (incr > 0n && incr > maxincr)) return [1, ow === OW_SAT ? max : wrap()];
  if (incr < 0n && incr < minincr) return [-1, ow === OW_SAT ? 0n : wrap()];
  return [0, 0n];
}

function bitfieldGeneric(c: Client, argv: string[], readonlyCommand: boolean): void {
  const ops: BitfieldOp[] = [];
  let overflow = OW_WRAP;
  let readonly = true;
  let highest = -1;
  for (let j = 2; j < argv.length; j++) {
    const rem = argv.length - j - 1;
    const sub = argv[j]!;
    let op: number;
    if (is(sub, 'get') && rem >= 2) op = BF_GET;
    else if (is(sub, 'set') && rem >= 3) op = BF_SET;
    else if (is(sub, 'incrby') && rem >= 3) op = BF_INCRBY;
    else if (is(sub, 'overflow') && rem >= 1) {
      const t = argv[++j]!;
      if (is(t, 'wrap')) overflow = OW_WRAP;
      else if (is(t, 'sat')) overflow = OW_SAT;
      else if (is(t, 'fail')) overflow = OW_FAIL;
      else throw new ReplyError(ERR_OVERFLOW_TYPE);
      continue;
    } else {
      throw new ReplyError(Err.syntax);
    }
    const { signed, bits } = bitfieldType(argv[j + 1]!);
    const offset = bitOffsetArg(c, argv[j + 2]!, bits);
    let value = 0n;
    if (op !== BF_GET) {
      readonly = false;
      if (offset + bits - 1 > highest) highest = offset + bits - 1;
      const v = parseLL(argv[j + 3]!);
      if (v === undefined) throw new ReplyError(Err.notInteger);
      value = v;
    }
    ops.push({ op, signed, bits, offset, value, overflow });
    j += op === BF_GET ? 2 : 3;
  }

  const key = argv[1]!;
  const w = c.w;
  if (readonly) {
    const v = readBitmap(c, key);
    const src = v === undefined || typeof v === 'string' ? v : v.bytes;
    w.array(ops.length);
    for (const o of ops) w.integer(src === undefined ? 0 : getField(src, o.offset, o.bits, o.signed));
    return;
  }
  if (readonlyCommand) throw new ReplyError(ERR_BITFIELD_RO);

  const e = writeEntry(c, key);
  const db = c.db;
  const oldLen = e === undefined ? 0 : stringLength(db, e);
  const size = Math.max(oldLen, Math.floor(highest / 8) + 1);
  checkGrowth(size);
  const grew = e === undefined || size > oldLen;
  // Written in place when big (openBytes); otherwise in a copy made into a string afterwards.
  const big = writesInPlace(db, e, size) ? openBytes(db, key, e, size) : undefined;
  let buf: Buffer;
  if (big !== undefined) buf = big.bytes;
  else {
    buf = Buffer.alloc(size);
    if (e !== undefined) buf.latin1Write(stringAt(db, e), 0);
  }
  let changes = 0;
  w.array(ops.length);
  for (const o of ops) {
    if (o.op === BF_GET) {
      w.integer(getField(buf, o.offset, o.bits, o.signed));
      continue;
    }
    const oldval = getField(buf, o.offset, o.bits, o.signed);
    let newval: bigint;
    let retval: bigint;
    let ovf: number;
    let limit: bigint;
    if (o.signed) {
      if (o.op === BF_INCRBY) {
        [ovf, limit] = signedOverflow(oldval, o.value, o.bits, o.overflow);
        newval = ovf !== 0 ? limit : oldval + o.value;
        retval = newval;
      } else {
        [ovf, limit] = signedOverflow(o.value, 0n, o.bits, o.overflow);
        newval = ovf !== 0 ? limit : o.value;
        retval = oldval;
      }
    } else {
      if (o.op === BF_INCRBY) {
        [ovf, limit] = unsignedOverflow(oldval, o.value, o.bits, o.overflow);
        newval = ovf !== 0 ? limit : oldval + o.value;
        retval = newval;
      } else {
        const u = BigInt.asUintN(64, o.value);
        [ovf, limit] = unsignedOverflow(u, 0n, o.bits, o.overflow);
        newval = ovf !== 0 ? limit : u;
        retval = oldval;
      }
    }
    if (ovf !== 0 && o.overflow === OW_FAIL) {
      w.null();
    } else {
      w.integer(retval);
      setField(buf, o.offset, o.bits, newval);
      // Redis counts a write when the key was created or grown, or the field really changed.
      if (grew || newval !== oldval) changes++;
    }
  }
  if (e !== undefined) c.db.markRaw(key);
  if (changes === 0 && !grew) return;
  if (big !== undefined) closeBytes(db, key, e, big);
  else {
    const nv = heapLatin1(buf, 0, size);
    if (e === undefined) db.set(key, nv);
    else db.update(key, e, nv);
  }
  c.db.markRaw(key);
  c.db.ks.dirty += changes;
  if (changes > 0) notify(c.server, NOTIFY_STRING, 'setbit', key, c.db.id);
  if (changes === 0) {
    // Only failed writes, yet the key was created or extended: Redis counts no change (and propagates
    // nothing), but the effect must still reach the stream for the dataset to replay the same.
    c.server.effects.add(c.db.id, argv);
    c.preventPropagation = true;
  }
}

function bitfieldCommand(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, false);
}

function bitfieldRoCommand(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, true);
}

// ---- the table ----

const KEY_ARG = { name: 'key', type: 'key', keySpecIndex: 0 } as const;
const INDEX_UNIT = {
  name: 'index_unit',
  type: 'oneof',
  since: '7.0.0',
  flags: ['optional'],
  args: [
    { name: 'byte', type: 'pure-token', token: 'BYTE' },
    { name: 'bit', type: 'pure-token', token: 'BIT' },
  ],
} as const;

/**
 * BITFIELD's key flags for COMMAND GETKEYS and ACL: read-only while every operation is a well-formed GET or OVERFLOW;
 * a SET/INCRBY, or anything malformed, makes it a read-write (as Redis finds them).
 */
function bitfieldGetKeys(argv: readonly string[]): { pos: number; flags: readonly KeySpecFlag[] }[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const arg = argv[i]!;
    if (is(arg, 'get') && more >= 2) i += 2;
    else if (is(arg, 'overflow') && more >= 1) i += 1;
    else {
      // SET/INCRBY with their arguments, or a syntax error: assume a write.
      readonly = false;
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? ['RO', 'ACCESS'] : ['RW', 'ACCESS', 'UPDATE'] }];
}

export const bitmapCommands = [
  {
    name: 'setbit',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: [BITMAP],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'UPDATE'])],
    group: BITMAP,
    since: '2.2.0',
    summary: 'Sets or clears the bit at offset in the string value stored at key',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }],
    handler: setbitCommand,
  },
  {
    name: 'getbit',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: [BITMAP],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'])],
    group: BITMAP,
    since: '2.2.0',
    summary: 'Returns the bit value at offset in the string value stored at key',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'offset', type: 'integer' }],
    handler: getbitCommand,
  },
  {
    name: 'bitcount',
    arity: -2,
    flags: ['readonly'],
    acl: [BITMAP],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'])],
    group: BITMAP,
    since: '2.6.0',
    summary: 'Count set bits in a string',
    complexity: 'O(N)',
    history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
    args: [
      KEY_ARG,
      {
        name: 'index',
        type: 'block',
        flags: ['optional'],
        args: [{ name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }, INDEX_UNIT],
      },
    ],
    handler: bitcountCommand,
  },
  {
    name: 'bitpos',
    arity: -3,
    flags: ['readonly'],
    acl: [BITMAP],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'])],
    group: BITMAP,
    since: '2.8.7',
    summary: 'Find first bit set or clear in a string',
    complexity: 'O(N)',
    history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
    args: [
      KEY_ARG,
      { name: 'bit', type: 'integer' },
      {
        name: 'index',
        type: 'block',
        flags: ['optional'],
        args: [
          { name: 'start', type: 'integer' },
          {
            name: 'end_index',
            type: 'block',
            flags: ['optional'],
            args: [{ name: 'end', type: 'integer' }, INDEX_UNIT],
          },
        ],
      },
    ],
    handler: bitposCommand,
  },
  {
    name: 'bitop',
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: [BITMAP],
    keys: [2, -1, 1],
    keySpecs: [rangeKeySpec(['OW', 'UPDATE'], 2), rangeKeySpec(['RO', 'ACCESS'], 3, -1)],
    group: BITMAP,
    since: '2.6.0',
    summary: 'Perform bitwise operations between strings',
    complexity: 'O(N)',
    args: [
      { name: 'operation', type: 'string' },
      { name: 'destkey', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, flags: ['multiple'] },
    ],
    handler: bitopCommand,
  },
  {
    name: 'bitfield',
    arity: -2,
    flags: ['write', 'denyoom'],
    acl: [BITMAP],
    keys: [1, 1, 1],
    keySpecs: [
      {
        notes: 'This command allows both access and modification of the key',
        flags: ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'],
        begin: { index: 1 },
        find: { range: [0, 1, 0] },
      },
    ],
    getKeys: bitfieldGetKeys,
    group: BITMAP,
    since: '3.2.0',
    summary: 'Perform arbitrary bitfield integer operations on strings',
    complexity: 'O(1) for each subcommand specified',
    args: [
      KEY_ARG,
      {
        name: 'operation',
        type: 'oneof',
        flags: ['optional', 'multiple'],
        args: [
          {
            name: 'encoding_offset',
            type: 'block',
            token: 'GET',
            args: [
              { name: 'encoding', type: 'string' },
              { name: 'offset', type: 'integer' },
            ],
          },
          {
            name: 'write',
            type: 'block',
            args: [
              {
                name: 'wrap_sat_fail',
                type: 'oneof',
                token: 'OVERFLOW',
                flags: ['optional'],
                args: [
                  { name: 'wrap', type: 'pure-token', token: 'WRAP' },
                  { name: 'sat', type: 'pure-token', token: 'SAT' },
                  { name: 'fail', type: 'pure-token', token: 'FAIL' },
                ],
              },
              {
                name: 'write_operation',
                type: 'oneof',
                args: [
                  {
                    name: 'encoding_offset_value',
                    type: 'block',
                    token: 'SET',
                    args: [
                      { name: 'encoding', type: 'string' },
                      { name: 'offset', type: 'integer' },
                      { name: 'value', type: 'integer' },
                    ],
                  },
                  {
                    name: 'encoding_offset_increment',
                    type: 'block',
                    token: 'INCRBY',
                    args: [
                      { name: 'encoding', type: 'string' },
                      { name: 'offset', type: 'integer' },
                      { name: 'increment', type: 'integer' },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    handler: bitfieldCommand,
  },
  {
    name: 'bitfield_ro',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: [BITMAP],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'])],
    group: BITMAP,
    since: '6.0.0',
    summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD',
    complexity: 'O(1) for each subcommand specified',
    args: [
      KEY_ARG,
      {
        name: 'encoding_offset',
        type: 'block',
        token: 'GET',
        flags: ['optional', 'multiple', 'multiple_token'],
        args: [
          { name: 'encoding', type: 'string' },
          { name: 'offset', type: 'integer' },
        ],
      },
    ],
    handler: bitfieldRoCommand,
  },
] as const satisfies readonly CommandSpec[];
