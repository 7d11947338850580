// String commands: GET, SET, SETNX, SETEX, PSETEX, MGET, MSET, MSETNX, GETSET, GETDEL, GETEX, APPEND, STRLEN,
// GETRANGE, SUBSTR, SETRANGE, INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT, LCS.
//
// A string value is stored as a latin1 JS string (one char per byte) directly in the database's vals array; a big
// one written by SET and its kin as a BigString (src/types/big-string.ts), which GET and MGET send as it is and
// the other commands read as text.

import {
  closeBytes,
  openBytes,
  readStringValue,
  replyString,
  stringAt,
  stringLength,
  writeEntryOf,
  writesInPlace,
} from './lookup.js';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import { NOT_INT_STRING_FLAG, type Slot } from '../keyspace/db.js';
import { setExpireExact } from '../keyspace/expire.js';
import { notify, NOTIFY_GENERIC, NOTIFY_STRING } from '../keyspace/notify.js';
import { incrByFloat } from '../types/long-double.js';
import { isBig, textOf } from '../types/big-string.js';
import { intText } from '../types/int-texts.js';
import { is, negativeRangeEmpty, parseInteger, parseLL } from './args.js';
import { type CommandSpec, type KeySpec, type KeySpecFlag, rangeKeySpec } from './spec.js';

const STRING = 'string';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

const ERR_DECR_OVERFLOW = 'ERR decrement would overflow';
const ERR_LCS_TYPES = 'ERR The specified keys must contain string values';
const ERR_LCS_IDX_LEN = 'ERR If you want both the length and indexes, please just use IDX.';
const ERR_LCS_TOO_LONG = 'ERR String too long for LCS';
const ERR_LCS_MEMORY = 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len';

// ---- lookups ----

function writeEntry(c: Client, key: string): Slot | undefined {
  return writeEntryOf(c, key, 'string');
}

/** Stores a new value for a string key: in place (TTL kept) when it exists, else as a new key. */
function storeString(c: Client, key: string, e: Slot | undefined, v: string): void {
  if (e === undefined) c.db.set(key, v);
  else c.db.update(key, e, v);
}

/**
 * The longest string value allowed: proto-max-bulk-len, and never beyond what a JS string can hold (V8's limit,
 * 2^29 - 24 chars, sits just under Redis's default 512 MB; longer values are refused with the same error).
 */
function maxBulkLen(c: Client): number {
  const limit = c.server.config.values['proto-max-bulk-len'];
  return limit < MAX_JS_STRING ? limit : MAX_JS_STRING;
}

const MAX_JS_STRING = 0x1fffffe8;

// ---- expiry arguments ----

/**
 * The absolute expiry (Unix ms) an EX/PX/EXAT/PXAT argument asks for, as Redis computes it: the integer must be
 * positive, seconds must not overflow when turned into ms, and a relative time plus now must not overflow.
 * A number when exact as one, else a bigint.
 */
function expireAt(c: Client, arg: string, seconds: boolean, relative: boolean, cmd: string): number | bigint {
  if (arg.length <= 12) {
    const v = parseInteger(arg);
    if (v === undefined) throw new ReplyError(Err.notInteger);
    if (v <= 0) throw new ReplyError(Err.invalidExpire(cmd));
    return (seconds ? v * 1000 : v) + (relative ? c.server.keyspace.timeNow : 0);
  }
  let v = parseLL(arg);
  if (v === undefined) throw new ReplyError(Err.notInteger);
  if (v <= 0n || (seconds && v > LLONG_MAX / 1000n)) throw new ReplyError(Err.invalidExpire(cmd));
  if (seconds) v *= 1000n;
  if (relative) {
    const now = BigInt(c.server.keyspace.timeNow);
    if (v > LLONG_MAX - now) throw new ReplyError(Err.invalidExpire(cmd));
    v += now;
  }
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function setExpireAny(c: Client, key: string, when: number | bigint): void {
  if (typeof when === 'number') c.db.setExpire(key, when);
  else setExpireExact(c.db, key, when);
}

// ---- SET and its options ----

const F_NX = 1;
const F_XX = 2;
const F_GET = 4;
const F_KEEPTTL = 8;
const F_PERSIST = 16;
const F_EX = 32;
const F_PX = 64;
const F_EXAT = 128;
const F_PXAT = 256;

interface ExtendedArgs {
  flags: number;
  expire: string | undefined;
}

/**
 * Parses SET's (isSet) or GETEX's options from argv[start] on, with Redis's rules: conflicting options and
 * options the command does not take are syntax errors; a repeated option is accepted (the last value wins).
 */
function parseExtended(argv: string[], start: number, isSet: boolean): ExtendedArgs {
  let flags = 0;
  let expire: string | undefined;
  const last = argv.length - 1;
  for (let j = start; j < argv.length; j++) {
    const opt = argv[j]!;
    const hasNext = j < last;
    if (isSet && is(opt, 'nx') && !(flags & F_XX)) flags |= F_NX;
    else if (isSet && is(opt, 'xx') && !(flags & F_NX)) flags |= F_XX;
    else if (isSet && is(opt, 'get')) flags |= F_GET;
    else if (isSet && is(opt, 'keepttl') && !(flags & (F_PERSIST | F_EX | F_EXAT | F_PX | F_PXAT))) flags |= F_KEEPTTL;
    else if (!isSet && is(opt, 'persist') && !(flags & (F_EX | F_EXAT | F_PX | F_PXAT | F_KEEPTTL))) flags |= F_PERSIST;
    else if (is(opt, 'ex') && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT))) {
      flags |= F_EX;
      expire = argv[++j];
    } else if (is(opt, 'px') && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT))) {
      flags |= F_PX;
      expire = argv[++j];
    } else if (is(opt, 'exat') && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT))) {
      flags |= F_EXAT;
      expire = argv[++j];
    } else if (is(opt, 'pxat') && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX))) {
      flags |= F_PXAT;
      expire = argv[++j];
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  return { flags, expire };
}

const REPLY_OK = 0;
const REPLY_ONE_ZERO = 1;

/**
 * SET's core, shared with SETNX, SETEX and PSETEX. `when` is the validated absolute expiry (or undefined);
 * `replyKind` picks +OK/null (SET) or :1/:0 (SETNX).
 */
function setGeneric(
  c: Client,
  key: string,
  val: string,
  flags: number,
  when: number | bigint | undefined,
  replyKind: number,
): void {
  const db = c.db;
  if (flags & F_GET) {
    const old = readStringValue(c, key);
    if (old === undefined) c.w.null();
    else replyString(c.w, old);
  }
  if (flags & (F_NX | F_XX)) {
    // One access per write lookup, as Redis counts it: here when nothing is set; else the overwrite below counts it.
    const s = db.lookup(key);
    const found = s !== undefined;
    if ((flags & F_NX && found) || (flags & F_XX && !found)) {
      if (found) db.touch(s);
      if (!(flags & F_GET)) {
        if (replyKind === REPLY_ONE_ZERO) c.w.integer(0);
        else c.w.null();
      }
      return;
    }
  }
  const keepTtl = (flags & F_KEEPTTL) !== 0;
  // With a new TTL the old one is overwritten below instead of deleted here: one expiry-table lookup less.
  db.set(key, val, keepTtl || when !== undefined);
  const ks = db.ks;
  ks.dirty++;
  notify(c.server, NOTIFY_STRING, 'set', key, db.id);
  if (when !== undefined) {
    setExpireAny(c, key, when);
    notify(c.server, NOTIFY_GENERIC, 'expire', key, db.id);
    // A time already past too: Redis 7.0 keeps the key until it is found expired (lazily or by the cycle).
    c.effectArgv = ['SET', key, val, 'PXAT', String(when)];
  } else if (keepTtl) {
    c.effectArgv = ['SET', key, val, 'KEEPTTL'];
  } else if (flags !== 0) {
    c.effectArgv = ['SET', key, val];
  }
  if (!(flags & F_GET)) {
    if (replyKind === REPLY_ONE_ZERO) c.w.integer(1);
    else c.w.ok();
  }
}

function setCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length === 3) {
    c.db.set(key, argv[2]!);
    c.db.ks.dirty++;
    notify(c.server, NOTIFY_STRING, 'set', key, c.db.id);
    c.w.ok();
    return;
  }
  const { flags, expire } = parseExtended(argv, 3, true);
  const when =
    expire === undefined
      ? undefined
      : expireAt(c, expire, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, 'set');
  setGeneric(c, key, argv[2]!, flags, when, REPLY_OK);
}

function setnxCommand(c: Client, argv: string[]): void {
  setGeneric(c, argv[1]!, argv[2]!, F_NX, undefined, REPLY_ONE_ZERO);
}

function setexCommand(c: Client, argv: string[]): void {
  setGeneric(c, argv[1]!, argv[3]!, 0, expireAt(c, argv[2]!, true, true, 'setex'), REPLY_OK);
}

function psetexCommand(c: Client, argv: string[]): void {
  setGeneric(c, argv[1]!, argv[3]!, 0, expireAt(c, argv[2]!, false, true, 'psetex'), REPLY_OK);
}

// ---- GET family ----

function getCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const e = db.lookupRead(argv[1]!);
  if (e === undefined) return c.w.null();
  const v = db.vals[e]!;
  if (typeof v === 'string') return c.w.bulk(v);
  if (!isBig(v)) throw new ReplyError(Err.wrongType);
  c.w.bulkBuffer(v.lend());
}

function mgetCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const w = c.w;
  w.array(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const e = db.lookupRead(argv[j]!);
    const v = e === undefined ? undefined : db.vals[e];
    if (typeof v === 'string') w.bulk(v);
    else if (isBig(v)) w.bulkBuffer(v.lend());
    else w.null();
  }
}

function getsetCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const old = readStringValue(c, key);
  if (old === undefined) c.w.null();
  else replyString(c.w, old);
  c.db.set(key, argv[2]!);
  c.db.ks.dirty++;
  notify(c.server, NOTIFY_STRING, 'set', key, c.db.id);
  c.effectArgv = ['SET', key, argv[2]!];
}

function getdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const old = readStringValue(c, key);
  if (old === undefined) return c.w.null();
  replyString(c.w, old);
  if (c.db.delete(key)) {
    c.db.ks.dirty++;
    notify(c.server, NOTIFY_GENERIC, 'del', key, c.db.id);
    c.effectArgv = ['DEL', key];
  }
}

function getexCommand(c: Client, argv: string[]): void {
  const { flags, expire } = parseExtended(argv, 2, false);
  const key = argv[1]!;
  const v = readStringValue(c, key);
  if (v === undefined) return c.w.null();
  const when =
    expire === undefined
      ? undefined
      : expireAt(c, expire, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, 'getex');
  replyString(c.w, v);
  const db = c.db;
  const ks = db.ks;
  if (when !== undefined) {
    if (flags & (F_EXAT | F_PXAT) && (typeof when === 'number' ? when <= ks.timeNow : false) && !ks.frozenExpiry) {
      db.delete(key);
      c.effectArgv = ['DEL', key];
      notify(c.server, NOTIFY_GENERIC, 'del', key, db.id);
    } else {
      setExpireAny(c, key, when);
      ks.changed(db, key, 'set');
      c.effectArgv = ['PEXPIREAT', key, String(when)];
      notify(c.server, NOTIFY_GENERIC, 'expire', key, db.id);
    }
    ks.dirty++;
  } else if (flags & F_PERSIST) {
    if (db.persist(key)) {
      ks.changed(db, key, 'set');
      ks.dirty++;
      c.effectArgv = ['PERSIST', key];
      notify(c.server, NOTIFY_GENERIC, 'persist', key, db.id);
    }
  }
}

// ---- MSET, MSETNX ----

function msetCommand(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) throw new ReplyError(Err.wrongArgs('mset'));
  const db = c.db;
  for (let j = 1; j < argv.length; j += 2) {
    db.set(argv[j]!, argv[j + 1]!);
    notify(c.server, NOTIFY_STRING, 'set', argv[j]!, db.id);
  }
  db.ks.dirty += (argv.length - 1) / 2;
  c.w.ok();
}

function msetnxCommand(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) throw new ReplyError(Err.wrongArgs('msetnx'));
  const db = c.db;
  for (let j = 1; j < argv.length; j += 2) {
    if (db.lookupWrite(argv[j]!) !== undefined) return c.w.integer(0);
  }
  for (let j = 1; j < argv.length; j += 2) {
    db.set(argv[j]!, argv[j + 1]!);
    notify(c.server, NOTIFY_STRING, 'set', argv[j]!, db.id);
  }
  db.ks.dirty += (argv.length - 1) / 2;
  c.w.integer(1);
}

// ---- APPEND, STRLEN, GETRANGE, SETRANGE ----

function appendCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const add = argv[2]!;
  const e = writeEntry(c, key);
  let len: number;
  if (e === undefined) {
    c.db.set(key, add);
    len = add.length;
  } else {
    const oldLen = stringLength(c.db, e);
    len = oldLen + add.length;
    if (len > maxBulkLen(c)) throw new ReplyError(Err.stringTooLong);
    if (writesInPlace(c.db, e, len)) {
      const v = openBytes(c.db, key, e, len);
      v.writable(len).latin1Write(add, oldLen);
      closeBytes(c.db, key, e, v);
    } else {
      c.db.update(key, e, stringAt(c.db, e) + add);
    }
    c.db.markRaw(key);
  }
  c.db.ks.dirty++;
  notify(c.server, NOTIFY_STRING, 'append', key, c.db.id);
  c.w.integer(len);
}

function strlenCommand(c: Client, argv: string[]): void {
  const v = readStringValue(c, argv[1]!);
  c.w.integer(v === undefined ? 0 : v.length);
}

function getrangeCommand(c: Client, argv: string[]): void {
  let start = parseInteger(argv[2]!);
  if (start === undefined) throw new ReplyError(Err.notInteger);
  let end = parseInteger(argv[3]!);
  if (end === undefined) throw new ReplyError(Err.notInteger);
  const v = readStringValue(c, argv[1]!);
  if (v === undefined) return c.w.bulk('');
  const len = v.length;
  if (negativeRangeEmpty(start, end, argv[2]!, argv[3]!)) return c.w.bulk('');
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return c.w.bulk('');
  c.w.bulk(v.slice(start, end + 1));
}

/** The string `old` with `val` written at `offset`, zero-padded when the offset lies past its end. */
export function spliceString(old: string, offset: number, val: string): string {
  const end = offset + val.length;
  if (offset <= old.length) return old.slice(0, offset) + val + (end < old.length ? old.slice(end) : '');
  return old + '\0'.repeat(offset - old.length) + val;
}

function setrangeCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const val = argv[3]!;
  const offset = parseInteger(argv[2]!);
  if (offset === undefined) throw new ReplyError(Err.notInteger);
  if (offset < 0) throw new ReplyError(Err.offsetOutOfRange);
  const e = writeEntry(c, key);
  const oldLen = e === undefined ? 0 : stringLength(c.db, e);
  if (val.length === 0) return c.w.integer(oldLen);
  const end = offset + val.length;
  if (end > maxBulkLen(c)) throw new ReplyError(Err.stringTooLong);
  let len: number;
  if (writesInPlace(c.db, e, Math.max(end, oldLen))) {
    const v = openBytes(c.db, key, e, end);
    v.writable(end).latin1Write(val, offset);
    closeBytes(c.db, key, e, v);
    len = v.length;
  } else {
    const nv = spliceString(e === undefined ? '' : stringAt(c.db, e), offset, val);
    if (e === undefined) c.db.set(key, nv);
    else c.db.update(key, e, nv);
    len = nv.length;
  }
  c.db.markRaw(key);
  c.db.ks.dirty++;
  notify(c.server, NOTIFY_STRING, 'setrange', key, c.db.id);
  c.w.integer(len);
}

// ---- INCR family ----

/** Adds `by` to the integer at key (0 when missing), with 64-bit overflow checking, and replies the result. */
function incrDecr(c: Client, key: string, by: number | bigint): void {
  const e = writeEntry(c, key);
  let cur: number | bigint = 0;
  if (e !== undefined) {
    const v = stringAt(c.db, e);
    const n = v.length < 16 ? parseInteger(v) : parseLL(v);
    if (n === undefined) throw new ReplyError(Err.notInteger);
    cur = n;
  }
  let result: number | bigint;
  if (typeof cur === 'number' && typeof by === 'number') {
    result = cur + by;
    if (!Number.isSafeInteger(result)) result = bigAdd(BigInt(cur), BigInt(by));
  } else {
    result = bigAdd(BigInt(cur), BigInt(by));
  }
  storeString(c, key, e, typeof result === 'number' ? intText(result) : String(result));
  c.db.ks.dirty++;
  notify(c.server, NOTIFY_STRING, 'incrby', key, c.db.id);
  c.w.integer(result);
}

function bigAdd(a: bigint, b: bigint): bigint {
  const r = a + b;
  if (r > LLONG_MAX || r < LLONG_MIN) throw new ReplyError(Err.overflow);
  return r;
}

/** An increment argument: a safe number for short texts, a bigint for long ones. */
function incrArg(s: string): number | bigint {
  const n = s.length < 16 ? parseInteger(s) : parseLL(s);
  if (n === undefined) throw new ReplyError(Err.notInteger);
  return n;
}

function incrCommand(c: Client, argv: string[]): void {
  incrDecr(c, argv[1]!, 1);
}

function decrCommand(c: Client, argv: string[]): void {
  incrDecr(c, argv[1]!, -1);
}

function incrbyCommand(c: Client, argv: string[]): void {
  incrDecr(c, argv[1]!, incrArg(argv[2]!));
}

function decrbyCommand(c: Client, argv: string[]): void {
  const by = incrArg(argv[2]!);
  if (by === LLONG_MIN) throw new ReplyError(ERR_DECR_OVERFLOW);
  incrDecr(c, argv[1]!, -by);
}

function incrbyfloatCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const e = writeEntry(c, key);
  const r = incrByFloat(e === undefined ? '0' : stringAt(c.db, e), argv[2]!);
  if ('error' in r) throw new ReplyError(r.error === 'nan' ? Err.incrFloatNaN : Err.notFloat);
  storeString(c, key, e, r.value);
  c.db.markEncoding(key, NOT_INT_STRING_FLAG);
  c.db.ks.dirty++;
  notify(c.server, NOTIFY_STRING, 'incrbyfloat', key, c.db.id);
  c.effectArgv = ['SET', key, r.value, 'KEEPTTL'];
  c.w.bulk(r.value);
}

// ---- LCS ----

function lcsCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const ea = db.lookupRead(argv[1]!);
  const eb = db.lookupRead(argv[2]!);
  const va = ea === undefined ? '' : db.vals[ea]!;
  const vb = eb === undefined ? '' : db.vals[eb]!;
  if ((typeof va !== 'string' && !isBig(va)) || (typeof vb !== 'string' && !isBig(vb))) {
    throw new ReplyError(ERR_LCS_TYPES);
  }
  const a = textOf(va);
  const b = textOf(vb);
  let getIdx = false;
  let getLen = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const more = argv.length - 1 - j;
    if (is(opt, 'idx')) getIdx = true;
    else if (is(opt, 'len')) getLen = true;
    else if (is(opt, 'withmatchlen')) withMatchLen = true;
    else if (is(opt, 'minmatchlen') && more > 0) {
      const v = parseInteger(argv[j + 1]!);
      if (v === undefined) throw new ReplyError(Err.notInteger);
      minMatchLen = v < 0 ? 0 : v;
      j++;
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  if (getIdx && getLen) throw new ReplyError(ERR_LCS_IDX_LEN);
  const alen = a.length;
  const blen = b.length;
  if (alen >= 0xfffffffe || blen >= 0xfffffffe) throw new ReplyError(ERR_LCS_TOO_LONG);
  const cells = (alen + 1) * (blen + 1);
  // The table is no string: proto-max-bulk-len itself bounds it, not the longest JS string (maxBulkLen).
  if (cells * 4 > c.server.config.values['proto-max-bulk-len']) throw new ReplyError(ERR_LCS_MEMORY);

  // table[i * (blen + 1) + j] = length of the LCS of a[0..i) and b[0..j).
  const stride = blen + 1;
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    throw new ReplyError(ERR_LCS_MEMORY); // the allocation failed (Redis would stop on it)
  }
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    const row = i * stride;
    const prev = row - stride;
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1]! + 1;
      else {
        const up = table[prev + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * stride + blen]!;
  const w = c.w;
  if (getLen) return w.integer(total);

  // Walk back from the end, collecting the LCS text and (for IDX) the ranges of contiguous matches, which
  // come out from the last to the first.
  const chars: number[] = new Array<number>(total);
  let k = total;
  const ranges: number[] = []; // [aStart, aEnd, bStart, bEnd, len] per range
  let aStart = -1;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    const ch = a.charCodeAt(i - 1);
    if (ch === b.charCodeAt(j - 1)) {
      chars[--k] = ch;
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else {
        // Consecutive matches while walking back are always contiguous: extend the range backwards.
        aStart--;
        bStart--;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * stride + j]! > table[i * stride + j - 1]!) i--;
      else j--;
      if (aStart !== -1) emit = true;
    }
    if (emit) {
      const len = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || len >= minMatchLen)) ranges.push(aStart, aEnd, bStart, bEnd, len);
      aStart = -1;
    }
  }
  if (!getIdx) {
    let s = '';
    for (let x = 0; x < chars.length; x += 8192) s += String.fromCharCode(...chars.slice(x, x + 8192));
    return w.bulk(s);
  }
  w.map(2);
  w.bulk('matches');
  w.array(ranges.length / 5);
  for (let r = 0; r < ranges.length; r += 5) {
    w.array(withMatchLen ? 3 : 2);
    w.array(2);
    w.integer(ranges[r]!);
    w.integer(ranges[r + 1]!);
    w.array(2);
    w.integer(ranges[r + 2]!);
    w.integer(ranges[r + 3]!);
    if (withMatchLen) w.integer(ranges[r + 4]!);
  }
  w.bulk('len');
  w.integer(total);
}

// ---- the table ----

/** SET's key flags for COMMAND GETKEYS and ACL: read too when GET is given, else an overwrite (as Redis finds them). */
function setGetKeys(argv: readonly string[]): { pos: number; flags: readonly KeySpecFlag[] }[] {
  for (let i = 3; i < argv.length; i++) {
    if (is(argv[i]!, 'get')) return [{ pos: 1, flags: ['RW', 'ACCESS', 'UPDATE'] }];
  }
  return [{ pos: 1, flags: ['OW', 'UPDATE'] }];
}

function oneKey(flags: readonly KeySpecFlag[], notes?: string): readonly KeySpec[] {
  const spec: KeySpec = rangeKeySpec(flags);
  if (notes !== undefined) spec.notes = notes;
  return [spec];
}

const RO_ACCESS = oneKey(['RO', 'ACCESS']);
const RW_ACCESS_UPDATE = oneKey(['RW', 'ACCESS', 'UPDATE']);
const OW_UPDATE = oneKey(['OW', 'UPDATE']);
const KEY_ARG = { name: 'key', type: 'key', keySpecIndex: 0 } as const;
const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

export const stringCommands = [
  {
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    group: STRING,
    since: '1.0.0',
    summary: 'Get the value of a key',
    complexity: 'O(1)',
    args: [KEY_ARG],
    handler: getCommand,
  },
  {
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: oneKey(['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'], 'RW and ACCESS due to the optional `GET` argument'),
    values: [2, 0],
    getKeys: setGetKeys,
    group: STRING,
    since: '1.0.0',
    summary: 'Set the string value of a key',
    complexity: 'O(1)',
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    args: [
      KEY_ARG,
      { name: 'value', type: 'string' },
      {
        name: 'condition',
        type: 'oneof',
        since: '2.6.12',
        flags: ['optional'],
        args: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      { name: 'get', type: 'pure-token', token: 'GET', since: '6.2.0', flags: ['optional'] },
      {
        name: 'expiration',
        type: 'oneof',
        flags: ['optional'],
        args: [
          { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
          { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
          { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
        ],
      },
    ],
    handler: setCommand,
  },
  {
    name: 'setnx',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: oneKey(['OW', 'INSERT']),
    values: [2, 0],
    group: STRING,
    since: '1.0.0',
    summary: 'Set the value of a key, only if the key does not exist',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'value', type: 'string' }],
    handler: setnxCommand,
  },
  {
    name: 'setex',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: OW_UPDATE,
    values: [3, 0],
    group: STRING,
    since: '2.0.0',
    summary: 'Set the value and expiration of a key',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'seconds', type: 'integer' }, { name: 'value', type: 'string' }],
    handler: setexCommand,
  },
  {
    name: 'psetex',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: OW_UPDATE,
    values: [3, 0],
    group: STRING,
    since: '2.6.0',
    summary: 'Set the value and expiration in milliseconds of a key',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'milliseconds', type: 'integer' }, { name: 'value', type: 'string' }],
    handler: psetexCommand,
  },
  {
    name: 'mget',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: [STRING],
    keys: [1, -1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'], 1, -1)],
    tips: ['request_policy:multi_shard'],
    group: STRING,
    since: '1.0.0',
    summary: 'Get the values of all the given keys',
    complexity: 'O(N) where N is the number of keys to retrieve.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] }],
    handler: mgetCommand,
  },
  {
    name: 'mset',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: [STRING],
    keys: [1, -1, 2],
    keySpecs: [rangeKeySpec(['OW', 'UPDATE'], 1, -1, 2)],
    values: [2, 2],
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    group: STRING,
    since: '1.0.1',
    summary: 'Set multiple keys to multiple values',
    complexity: 'O(N) where N is the number of keys to set.',
    args: [
      { name: 'key_value', type: 'block', flags: ['multiple'], args: [KEY_ARG, { name: 'value', type: 'string' }] },
    ],
    handler: msetCommand,
  },
  {
    name: 'msetnx',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: [STRING],
    keys: [1, -1, 2],
    keySpecs: [rangeKeySpec(['OW', 'INSERT'], 1, -1, 2)],
    values: [2, 2],
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    group: STRING,
    since: '1.0.1',
    summary: 'Set multiple keys to multiple values, only if none of the keys exist',
    complexity: 'O(N) where N is the number of keys to set.',
    args: [
      { name: 'key_value', type: 'block', flags: ['multiple'], args: [KEY_ARG, { name: 'value', type: 'string' }] },
    ],
    handler: msetnxCommand,
  },
  {
    name: 'getset',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_UPDATE,
    values: [2, 0],
    group: STRING,
    since: '1.0.0',
    summary: 'Set the string value of a key and return its old value',
    complexity: 'O(1)',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`SET` with the `!GET` argument',
    args: [KEY_ARG, { name: 'value', type: 'string' }],
    handler: getsetCommand,
  },
  {
    name: 'getdel',
    arity: 2,
    flags: ['write', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: oneKey(['RW', 'ACCESS', 'DELETE']),
    group: STRING,
    since: '6.2.0',
    summary: 'Get the value of a key and delete the key',
    complexity: 'O(1)',
    args: [KEY_ARG],
    handler: getdelCommand,
  },
  {
    name: 'getex',
    arity: -2,
    flags: ['write', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: oneKey(['RW', 'ACCESS', 'UPDATE'], 'RW and UPDATE because it changes the TTL'),
    group: STRING,
    since: '6.2.0',
    summary: 'Get the value of a key and optionally set its expiration',
    complexity: 'O(1)',
    args: [
      KEY_ARG,
      {
        name: 'expiration',
        type: 'oneof',
        flags: ['optional'],
        args: [
          { name: 'seconds', type: 'integer', token: 'EX' },
          { name: 'milliseconds', type: 'integer', token: 'PX' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
          { name: 'persist', type: 'pure-token', token: 'PERSIST' },
        ],
      },
    ],
    handler: getexCommand,
  },
  {
    name: 'append',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: oneKey(['RW', 'INSERT']),
    group: STRING,
    since: '2.0.0',
    summary: 'Append a value to a key',
    complexity:
      'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    args: [KEY_ARG, { name: 'value', type: 'string' }],
    handler: appendCommand,
  },
  {
    name: 'strlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: oneKey(['RO']),
    group: STRING,
    since: '2.2.0',
    summary: 'Get the length of the value stored in a key',
    complexity: 'O(1)',
    args: [KEY_ARG],
    handler: strlenCommand,
  },
  {
    name: 'getrange',
    arity: 4,
    flags: ['readonly'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    group: STRING,
    since: '2.4.0',
    summary: 'Get a substring of the string stored at a key',
    complexity: RANGE_COMPLEXITY,
    args: [KEY_ARG, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
    handler: getrangeCommand,
  },
  {
    name: 'substr',
    arity: 4,
    flags: ['readonly'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    group: STRING,
    since: '1.0.0',
    summary: 'Get a substring of the string stored at a key',
    complexity: RANGE_COMPLEXITY,
    docFlags: ['deprecated'],
    deprecatedSince: '2.0.0',
    replacedBy: '`GETRANGE`',
    args: [KEY_ARG, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
    handler: getrangeCommand,
  },
  {
    name: 'setrange',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: oneKey(['RW', 'UPDATE']),
    group: STRING,
    since: '2.2.0',
    summary: 'Overwrite part of a string at key starting at the specified offset',
    complexity:
      'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    args: [KEY_ARG, { name: 'offset', type: 'integer' }, { name: 'value', type: 'string' }],
    handler: setrangeCommand,
  },
  {
    name: 'incr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_UPDATE,
    group: STRING,
    since: '1.0.0',
    summary: 'Increment the integer value of a key by one',
    complexity: 'O(1)',
    args: [KEY_ARG],
    handler: incrCommand,
  },
  {
    name: 'decr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_UPDATE,
    group: STRING,
    since: '1.0.0',
    summary: 'Decrement the integer value of a key by one',
    complexity: 'O(1)',
    args: [KEY_ARG],
    handler: decrCommand,
  },
  {
    name: 'incrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_UPDATE,
    group: STRING,
    since: '1.0.0',
    summary: 'Increment the integer value of a key by the given amount',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'increment', type: 'integer' }],
    handler: incrbyCommand,
  },
  {
    name: 'decrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_UPDATE,
    group: STRING,
    since: '1.0.0',
    summary: 'Decrement the integer value of a key by the given number',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'decrement', type: 'integer' }],
    handler: decrbyCommand,
  },
  {
    name: 'incrbyfloat',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: [STRING],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_UPDATE,
    group: STRING,
    since: '2.6.0',
    summary: 'Increment the float value of a key by the given amount',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'increment', type: 'double' }],
    handler: incrbyfloatCommand,
  },
  {
    name: 'lcs',
    arity: -3,
    flags: ['readonly'],
    acl: [STRING],
    keys: [1, 2, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'], 1, 1)],
    group: STRING,
    since: '7.0.0',
    summary: 'Find longest common substring',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    args: [
      { name: 'key1', type: 'key', keySpecIndex: 0 },
      { name: 'key2', type: 'key', keySpecIndex: 0 },
      { name: 'len', type: 'pure-token', token: 'LEN', flags: ['optional'] },
      { name: 'idx', type: 'pure-token', token: 'IDX', flags: ['optional'] },
      { name: 'len', type: 'integer', token: 'MINMATCHLEN', flags: ['optional'] },
      { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', flags: ['optional'] },
    ],
    handler: lcsCommand,
  },
] as const satisfies readonly CommandSpec[];
