// Sorted-set commands: ZADD, ZINCRBY, ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK, ZRANGE and its
// older forms, ZRANGESTORE, ZREM, ZREMRANGEBY*, ZPOPMIN/ZPOPMAX, ZMPOP, ZRANDMEMBER, ZUNION/ZINTER/ZDIFF (+STORE),
// ZINTERCARD, ZSCAN. The data structure is src/types/sorted-set.ts (a counted B+tree plus a member → score Map).

import { writeEntryOf } from './lookup.js';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { Slot, Value } from '../keyspace/db.js';
import { compileGlob } from '../keyspace/glob.js';
import { ERR_INVALID_CURSOR, cursorsOf, parseCursor } from '../keyspace/scan.js';
import { formatDouble } from '../protocol/reply-writer.js';
import {
  SortedSet,
  LEX_MAX,
  LEX_MIN,
  compareKeys,
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexBound,
  type LexRange,
  type ScoreRange,
} from '../types/sorted-set.js';
import { registerValueCodec } from '../persistence/codecs.js';
import { encodingLimits } from '../types/encoding-limits.js';
import { own } from '../types/own-string.js';
import { parseTimeout } from '../server/blocking.js';
import { FormatError } from '../persistence/bytes.js';
import { doubleArg, hexParts, is, parseInteger, parseLL } from './args.js';
import { notify, NOTIFY_GENERIC, NOTIFY_ZSET } from '../keyspace/notify.js';
import { type CommandSpec, rangeKeySpec, keynumKeySpec } from './spec.js';

const ERR_NAN = 'ERR resulting score is not a number (NaN)';
const ERR_XX_NX = 'ERR XX and NX options at the same time are not compatible';
const ERR_GT_LT_NX = 'ERR GT, LT, and/or NX options at the same time are not compatible';
const ERR_INCR_PAIR = 'ERR INCR option supports a single increment-element pair';
const ERR_LEX_RANGE = 'ERR min or max not valid string range item';
const ERR_LIMIT_RANK = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
const ERR_WITHSCORES_LEX = 'ERR syntax error, WITHSCORES not supported in combination with BYLEX';
const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_RANGE_COUNT = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';
const ERR_OUT_OF_RANGE = 'ERR value is out of range';
const ERR_WEIGHT = 'ERR weight value is not a float';
const ERR_LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_COUNT = 'ERR count should be greater than 0';

const LLONG_MIN = -9223372036854775808n;
const LONG_MAX_HALF = 4611686018427387903n;

// ---- lookups ----

function asZset(v: Value): SortedSet {
  if (typeof v === 'string' || v.type !== 'zset') throw new ReplyError(Err.wrongType);
  return v as SortedSet;
}

/** The sorted set at key for a read command (counts a hit or miss, refreshes the access clock), or undefined. */
function readZset(c: Client, key: string): SortedSet | undefined {
  const db = c.db;
  const e = db.lookupRead(key);
  return e === undefined ? undefined : asZset(db.vals[e]!);
}

/** The entry at key for a write command, checked to hold a zset; undefined when the key is missing. */
function writeEntry(c: Client, key: string): Slot | undefined {
  return writeEntryOf(c, key, 'zset');
}

/** A new, empty sorted set whose first member will be `first` (Redis picks the encoding from it). */
function newZset(first: string): SortedSet {
  return SortedSet.create(1, first.length);
}

/**
 * Writes the changes made in place to an existing entry and announces them as `event`: signals it, or deletes
 * the key when emptied (announced as `del` after the event, as Redis does).
 */
function commit(c: Client, key: string, e: Slot, z: SortedSet, event: string): void {
  notify(c.server, NOTIFY_ZSET, event, key, c.db.id);
  if (z.size === 0) {
    c.db.delete(key);
    notify(c.server, NOTIFY_GENERIC, 'del', key, c.db.id);
  } else {
    c.db.update(key, e, z);
  }
}

// ---- argument parsing ----

const STRTOD =
  /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?)|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP]([+-]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/i;

/**
 * C's strtod as Redis's range parsing uses it: leading white space, decimal, hex, inf and nan forms; the text
 * must end where the number ends (or at a NUL byte); an empty text is 0. Undefined when invalid or NaN.
 */
function strtodLoose(s: string): number | undefined {
  const m = STRTOD.exec(s);
  if (m === null) return s.length === 0 || s.charCodeAt(0) === 0 ? 0 : undefined;
  const rest = s.length - m[0].length;
  if (rest > 0 && s.charCodeAt(m[0].length) !== 0) return undefined;
  if (m[3] !== undefined) return undefined;
  const neg = m[1] === '-';
  let v: number;
  if (m[2] !== undefined) v = Infinity;
  else if (m[6] !== undefined) v = Number(m[6]);
  else {
    const [ip, fp = ''] = m[4]!.split('.');
    v = hexParts(ip!, fp, Number(m[5] ?? '0')).v;
  }
  return neg ? -v : v;
}

function parseScoreBound(s: string): { v: number; ex: boolean } | undefined {
  if (s.charCodeAt(0) === 40) {
    const v = strtodLoose(s.slice(1));
    return v === undefined ? undefined : { v, ex: true };
  }
  const v = strtodLoose(s);
  return v === undefined ? undefined : { v, ex: false };
}

function scoreRangeArg(min: string, max: string): ScoreRange {
  const a = parseScoreBound(min);
  const b = parseScoreBound(max);
  if (a === undefined || b === undefined) throw new ReplyError(Err.minMaxNotFloat);
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

function parseLexBound(s: string): { v: LexBound; ex: boolean } | undefined {
  if (s.length === 0) return undefined;
  const c0 = s.charCodeAt(0);
  const alone = s.length === 1 || s.charCodeAt(1) === 0;
  if (c0 === 43) return alone ? { v: LEX_MAX, ex: true } : undefined; // '+'
  if (c0 === 45) return alone ? { v: LEX_MIN, ex: true } : undefined; // '-'
  if (c0 === 40) return { v: s.slice(1), ex: true }; // '('
  if (c0 === 91) return { v: s.slice(1), ex: false }; // '['
  return undefined;
}

function lexRangeArg(min: string, max: string): LexRange {
  const a = parseLexBound(min);
  const b = parseLexBound(max);
  if (a === undefined || b === undefined) throw new ReplyError(ERR_LEX_RANGE);
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

/** A C long argument (Redis's getLongFromObjectOrReply). */
function longArg(s: string, err: string = Err.notInteger): number {
  const v = parseInteger(s);
  if (v === undefined) throw new ReplyError(err);
  return v;
}

/** getRangeLongFromObjectOrReply(min, LONG_MAX) with one message for every failure. */
function rangedLong(s: string, min: number, err: string): number {
  const v = parseLL(s);
  if (v === undefined || v < BigInt(min)) throw new ReplyError(err);
  return Number(v);
}

/** getPositiveLongFromObjectOrReply with Redis's default message (the same for every failure). */
function positiveLong(s: string): number {
  return rangedLong(s, 0, ERR_POSITIVE);
}

// ---- reply helpers ----

/** Writes members (and scores) as ZRANGE does: flat pairs in RESP2, [member, score] arrays in RESP3. */
function replyElements(c: Client, members: string[], scores: number[] | null): void {
  const w = c.w;
  const n = members.length;
  if (scores === null) {
    w.array(n);
    for (let i = 0; i < n; i++) w.bulk(members[i]!);
    return;
  }
  const nested = c.proto === 3;
  w.array(nested ? n : n * 2);
  for (let i = 0; i < n; i++) {
    if (nested) w.array(2);
    w.bulk(members[i]!);
    w.double(scores[i]!);
  }
}

/**
 * Stores a computed result at dst (replacing whatever was there, TTL included) or deletes dst when empty. The new
 * set starts in the small encoding when `listpack` (converting as it grows past the limits, as Redis does).
 */
function storeResult(
  c: Client,
  dst: string,
  members: string[],
  scores: number[],
  listpack: boolean,
  event: string,
): void {
  const ks = c.server.keyspace;
  // Redis replies before it sends the event (a RESP3 client subscribed to its own events sees the order).
  if (members.length === 0) {
    c.w.integer(0);
    if (c.db.delete(dst)) {
      ks.dirty++;
      notify(c.server, NOTIFY_GENERIC, 'del', dst, c.db.id);
    }
    return;
  }
  const z = new SortedSet(listpack);
  // Members read from packed sets may be views of them: a grown set keeps copies of its own.
  for (let i = 0; i < members.length; i++) z.insert(z.compact ? members[i]! : own(members[i]!), scores[i]!);
  c.db.set(dst, z);
  ks.dirty++;
  c.w.integer(z.size);
  notify(c.server, NOTIFY_ZSET, event, dst, c.db.id);
}

// ---- ZADD, ZINCRBY ----

function zaddGeneric(c: Client, argv: string[], incrCommand: boolean): void {
  const key = argv[1]!;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = incrCommand;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const o = argv[idx]!;
    if (is(o, 'nx')) nx = true;
    else if (is(o, 'xx')) xx = true;
    else if (is(o, 'ch')) ch = true;
    else if (is(o, 'incr')) incr = true;
    else if (is(o, 'gt')) gt = true;
    else if (is(o, 'lt')) lt = true;
    else break;
  }
  const elements = argv.length - idx;
  if (elements % 2 !== 0 || elements === 0) throw new ReplyError(Err.syntax);
  const n = elements / 2;
  if (nx && xx) throw new ReplyError(ERR_XX_NX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw new ReplyError(ERR_GT_LT_NX);
  if (incr && n > 1) throw new ReplyError(ERR_INCR_PAIR);
  const scores = new Array<number>(n);
  for (let j = 0; j < n; j++) scores[j] = doubleArg(argv[idx + j * 2]!);

  const db = c.db;
  const e = writeEntry(c, key);
  if (e === undefined && xx) {
    if (incr) c.w.null();
    else c.w.integer(0);
    return;
  }
  const z = e === undefined ? newZset(argv[idx + 1]!) : (c.db.vals[e]! as SortedSet);
  // INCR can only produce NaN on an existing member; check before changing anything.
  if (incr) {
    const cur = z.score(argv[idx + 1]!);
    if (cur !== undefined && !nx && Number.isNaN(cur + scores[0]!)) throw new ReplyError(ERR_NAN);
  }
  if (e !== undefined) db.willWrite(key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let last = 0;
  for (let j = 0; j < n; j++) {
    const m = argv[idx + 1 + j * 2]!;
    let score = scores[j]!;
    const cur = z.score(m);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) score += cur;
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      processed++;
      last = score;
      if (score !== cur) {
        z.update(m, score);
        updated++;
      }
    } else if (!xx) {
      z.insert(m, score);
      added++;
      processed++;
      last = score;
    }
  }
  if (e === undefined) {
    if (z.size > 0) db.set(key, z);
  } else if (added + updated > 0) {
    db.update(key, e, z);
  }
  c.server.keyspace.dirty += added + updated;
  // The reply first, then the event, as in Redis.
  if (incr) {
    if (processed > 0) c.w.double(last);
    else c.w.null();
  } else {
    c.w.integer(ch ? added + updated : added);
  }
  if (added + updated > 0) notify(c.server, NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key, db.id);
}

function zaddCommand(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, false);
}

function zincrbyCommand(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, true);
}

// ---- simple reads ----

function zscoreCommand(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]!);
  const s = z?.score(argv[2]!);
  if (s === undefined) c.w.null();
  else c.w.double(s);
}

function zmscoreCommand(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]!);
  c.w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z?.score(argv[j]!);
    if (s === undefined) c.w.null();
    else c.w.double(s);
  }
}

function zcardCommand(c: Client, argv: string[]): void {
  c.w.integer(readZset(c, argv[1]!)?.size ?? 0);
}

function zcountCommand(c: Client, argv: string[]): void {
  const range = scoreRangeArg(argv[2]!, argv[3]!);
  const z = readZset(c, argv[1]!);
  c.w.integer(z === undefined ? 0 : z.countInScoreRange(range));
}

function zlexcountCommand(c: Client, argv: string[]): void {
  const range = lexRangeArg(argv[2]!, argv[3]!);
  const z = readZset(c, argv[1]!);
  c.w.integer(z === undefined ? 0 : z.countInLexRange(range));
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): void {
  const z = readZset(c, argv[1]!);
  const r = z?.rank(argv[2]!);
  if (r === undefined) c.w.null();
  else c.w.integer(reverse ? z!.size - 1 - r : r);
}

// ---- ZRANGE and friends ----

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** The elements selected by a rank range (Redis's start/end rules; reverse counts from the end). */
function selectByRank(
  z: SortedSet,
  start: number,
  end: number,
  reverse: boolean,
  withScores: boolean,
  ms: string[],
  ss: number[],
): void {
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return;
  if (end >= llen) end = llen - 1;
  const push = (m: string, s: number): void => {
    ms.push(m);
    if (withScores) ss.push(s);
  };
  if (reverse) z.range(llen - 1 - end, llen - 1 - start, true, push);
  else z.range(start, end, false, push);
}

/** The elements of a score or lex range after LIMIT offset count (negative offset: none; negative count: all). */
function selectByRange(
  z: SortedSet,
  first: number,
  reverse: boolean,
  offset: number,
  limit: number,
  inRange: (m: string, s: number) => boolean,
  withScores: boolean,
  ms: string[],
  ss: number[],
): void {
  if (first < 0 || offset < 0) return;
  const start = reverse ? first - offset : first + offset;
  if (start < 0 || start >= z.size) return;
  let left = limit;
  z.walk(start, reverse, (m, s) => {
    if (left === 0) return false;
    if (!inRange(m, s)) return false;
    ms.push(m);
    if (withScores) ss.push(s);
    left--;
    return true;
  });
}

/**
 * ZRANGE, ZRANGESTORE and the older Z[REV]RANGE[BYSCORE|BYLEX] forms. `argStart` is the index of the source key;
 * `store` means the result goes to argv[1].
 */
function zrangeGeneric(
  c: Client,
  argv: string[],
  argStart: number,
  store: boolean,
  rangeType: RangeType,
  direction: Direction,
): void {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const o = argv[j]!;
    if (!store && is(o, 'withscores')) withScores = true;
    else if (is(o, 'limit') && left >= 2) {
      offset = longArg(argv[j + 1]!);
      limit = longArg(argv[j + 2]!);
      j += 2;
    } else if (direction === 'auto' && is(o, 'rev')) direction = 'reverse';
    else if (rangeType === 'auto' && is(o, 'bylex')) rangeType = 'lex';
    else if (rangeType === 'auto' && is(o, 'byscore')) rangeType = 'score';
    else throw new ReplyError(Err.syntax);
  }
  if (direction === 'auto') direction = 'forward';
  if (rangeType === 'auto') rangeType = 'rank';
  if (limit !== -1 && rangeType === 'rank') throw new ReplyError(ERR_LIMIT_RANK);
  if (withScores && rangeType === 'lex') throw new ReplyError(ERR_WITHSCORES_LEX);
  const reverse = direction === 'reverse';
  let minArg = argv[argStart + 1]!;
  let maxArg = argv[argStart + 2]!;
  if (reverse && rangeType !== 'rank') [minArg, maxArg] = [maxArg, minArg];
  let start = 0;
  let end = 0;
  let score: ScoreRange | undefined;
  let lex: LexRange | undefined;
  if (rangeType === 'rank') {
    start = longArg(minArg);
    end = longArg(maxArg);
  } else if (rangeType === 'score') {
    score = scoreRangeArg(minArg, maxArg);
  } else {
    lex = lexRangeArg(minArg, maxArg);
  }
  const keep = withScores || store;
  const key = argv[argStart]!;
  const e = c.db.lookupRead(key);
  const ms: string[] = [];
  const ss: number[] = [];
  if (e !== undefined) {
    const z = asZset(c.db.vals[e]!);
    if (rangeType === 'rank') {
      selectByRank(z, start, end, reverse, keep, ms, ss);
    } else if (score !== undefined) {
      const r = score;
      if (!(offset > 0 && offset >= z.size)) {
        const first = reverse ? z.lastInScoreRange(r) : z.firstInScoreRange(r);
        const inRange = reverse
          ? (_m: string, s: number) => scoreGteMin(s, r)
          : (_m: string, s: number) => scoreLteMax(s, r);
        selectByRange(z, first, reverse, offset, limit, inRange, keep, ms, ss);
      }
    } else {
      const r = lex!;
      const first = reverse ? z.lastInLexRange(r) : z.firstInLexRange(r);
      const inRange = reverse ? (m: string) => lexGteMin(m, r) : (m: string) => lexLteMax(m, r);
      selectByRange(z, first, reverse, offset, limit, inRange, keep, ms, ss);
    }
  }
  if (store)
    storeResult(c, argv[1]!, ms, ss, rangeType !== 'rank' || ms.length <= encodingLimits.zsetEntries, 'zrangestore');
  else replyElements(c, ms, withScores ? ss : null);
}

// ---- removal ----

function zremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const e = writeEntry(c, key);
  if (e === undefined) return c.w.integer(0);
  const z = c.db.vals[e]! as SortedSet;
  let deleted = 0;
  for (let j = 2; j < argv.length && z.size > 0; j++) {
    if (z.score(argv[j]!) === undefined) continue;
    if (deleted === 0) c.db.willWrite(key);
    z.delete(argv[j]!);
    deleted++;
  }
  if (deleted > 0) {
    commit(c, key, e, z, 'zrem');
    c.server.keyspace.dirty += deleted;
  }
  c.w.integer(deleted);
}

function zremrangeGeneric(c: Client, argv: string[], kind: 'rank' | 'score' | 'lex'): void {
  const key = argv[1]!;
  let start = 0;
  let end = 0;
  let score: ScoreRange | undefined;
  let lex: LexRange | undefined;
  if (kind === 'rank') {
    start = longArg(argv[2]!);
    end = longArg(argv[3]!);
  } else if (kind === 'score') score = scoreRangeArg(argv[2]!, argv[3]!);
  else lex = lexRangeArg(argv[2]!, argv[3]!);
  const e = writeEntry(c, key);
  if (e === undefined) return c.w.integer(0);
  const z = c.db.vals[e]! as SortedSet;
  const victims: string[] = [];
  if (kind === 'rank') {
    selectByRank(z, start, end, false, false, victims, []);
  } else if (score !== undefined) {
    const r = score;
    selectByRange(z, z.firstInScoreRange(r), false, 0, -1, (_m, s) => scoreLteMax(s, r), false, victims, []);
  } else {
    const r = lex!;
    selectByRange(z, z.firstInLexRange(r), false, 0, -1, (m) => lexLteMax(m, r), false, victims, []);
  }
  if (victims.length > 0) {
    c.db.willWrite(key);
    for (const m of victims) z.delete(m);
    commit(c, key, e, z, 'zremrangeby' + kind);
    c.server.keyspace.dirty += victims.length;
  }
  c.w.integer(victims.length);
}

// ---- pops ----

type PopReply = 'flat' | 'nested' | 'keyed-flat' | 'keyed-nested';

/**
 * Pops up to `count` elements (-1: one, plain reply) from the first existing key of `keys`, at the min or max
 * end, and writes the reply in the given shape. Returns the key popped from (undefined when none was) and how
 * many elements left it. Throws WRONGTYPE when the first existing key is not a sorted set.
 */
export function zpopGeneric(
  c: Client,
  keys: readonly string[],
  max: boolean,
  count: number,
  shape: PopReply,
  nilWhenEmpty: boolean,
): { key: string; popped: number } | undefined {
  let key: string | undefined;
  let e: Slot | undefined;
  for (const k of keys) {
    e = writeEntry(c, k);
    if (e !== undefined) {
      key = k;
      break;
    }
  }
  const w = c.w;
  if (e === undefined || key === undefined) {
    if (nilWhenEmpty) w.nullArray();
    else w.array(0);
    return undefined;
  }
  if (count === 0) {
    w.array(0);
    return undefined;
  }
  const z = c.db.vals[e]! as SortedSet;
  if (count === -1) count = 1;
  const n = Math.min(count, z.size);
  if (shape === 'flat') w.array(n * 2);
  else if (shape === 'nested') w.array(n);
  else if (shape === 'keyed-flat') {
    w.array(n * 2 + 1);
    w.bulk(key);
  } else {
    w.array(2);
    w.bulk(key);
    w.array(n);
  }
  const nested = shape === 'nested' || shape === 'keyed-nested';
  c.db.willWrite(key);
  for (let i = 0; i < n; i++) {
    const m = z.popEnd(max);
    if (nested) w.array(2);
    w.bulk(m);
    w.double(z.poppedScore);
  }
  c.server.keyspace.dirty += n;
  commit(c, key, e, z, max ? 'zpopmax' : 'zpopmin');
  return { key, popped: n };
}

function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) throw new ReplyError(Err.syntax);
  let count = -1;
  if (argv.length === 3) count = positiveLong(argv[2]!);
  const nested = c.proto === 3 && count !== -1;
  zpopGeneric(c, [argv[1]!], max, count, nested ? 'nested' : 'flat', false);
}

/** Parses ZMPOP/BZMPOP's numkeys, keys, MIN|MAX and COUNT from argv[numkeysIdx]. */
export function parseMpop(argv: string[], numkeysIdx: number): { keys: string[]; max: boolean; count: number } {
  const numkeys = rangedLong(argv[numkeysIdx]!, 1, ERR_NUMKEYS);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(Err.syntax);
  const where = argv[whereIdx]!;
  let max: boolean;
  if (is(where, 'min')) max = false;
  else if (is(where, 'max')) max = true;
  else throw new ReplyError(Err.syntax);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && is(argv[j]!, 'count') && more > 0) {
      j++;
      count = rangedLong(argv[j]!, 1, ERR_COUNT);
    } else throw new ReplyError(Err.syntax);
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), max, count };
}

function zmpopCommand(c: Client, argv: string[]): void {
  const { keys, max, count } = parseMpop(argv, 1);
  const r = zpopGeneric(c, keys, max, count, 'keyed-nested', true);
  if (r !== undefined) c.effectArgv = [max ? 'ZPOPMAX' : 'ZPOPMIN', r.key, String(r.popped)];
}

// ---- BZPOPMIN, BZPOPMAX, BZMPOP ----

/**
 * Pops from the first key holding a sorted set now, or blocks on the keys (see src/server/blocking.ts). `count`
 * -1 is BZPOPMIN/BZPOPMAX's single pop ([key, member, score], propagated as ZPOPMIN/ZPOPMAX key); otherwise
 * BZMPOP's [key, [[member, score]…]] propagated as ZPOPMIN/ZPOPMAX key n.
 */
function blockingZpop(c: Client, keys: readonly string[], max: boolean, count: number, deadline: number): void {
  const shape: PopReply = count === -1 ? 'keyed-flat' : 'keyed-nested';
  const effect = (r: { key: string; popped: number }): string[] =>
    count === -1 ? [max ? 'ZPOPMAX' : 'ZPOPMIN', r.key] : [max ? 'ZPOPMAX' : 'ZPOPMIN', r.key, String(r.popped)];
  for (const k of keys) {
    const e = writeEntry(c, k);
    if (e === undefined || (c.db.vals[e]! as SortedSet).size === 0) continue;
    const r = zpopGeneric(c, [k], max, count, shape, true)!;
    c.effectArgv = effect(r);
    return;
  }
  const blocking = c.server.blocking;
  if (!blocking.canBlock(c)) return c.w.nullArray();
  const db = c.db;
  blocking.block(c, keys, deadline, (key) => {
    const e = db.lookup(key);
    const v = e === undefined ? undefined : db.vals[e];
    if (v === undefined || typeof v === 'string' || v.type !== 'zset' || (v as SortedSet).size === 0) return false;
    const r = zpopGeneric(c, [key], max, count, shape, true)!;
    c.server.effects.add(db.id, effect(r));
    return true;
  });
}

function bzpopCommand(c: Client, argv: string[], max: boolean): void {
  const deadline = parseTimeout(argv[argv.length - 1]!);
  blockingZpop(c, argv.slice(1, -1), max, -1, deadline);
}

function bzmpopCommand(c: Client, argv: string[]): void {
  const { keys, max, count } = parseMpop(argv, 2);
  const deadline = parseTimeout(argv[1]!);
  blockingZpop(c, keys, max, count, deadline);
}

// ---- ZRANDMEMBER ----

function zrandmemberCommand(c: Client, argv: string[]): void {
  const w = c.w;
  if (argv.length >= 3) {
    const l = parseLL(argv[2]!);
    if (l === undefined) throw new ReplyError(Err.notInteger);
    if (l === LLONG_MIN) throw new ReplyError(ERR_RANGE_COUNT);
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3]!, 'withscores'))) throw new ReplyError(Err.syntax);
    const withScores = argv.length === 4;
    if (withScores && (l < -LONG_MAX_HALF || l > LONG_MAX_HALF)) throw new ReplyError(ERR_OUT_OF_RANGE);
    const z = readZset(c, argv[1]!);
    if (z === undefined) return w.array(0);
    randomWithCount(c, z, l, withScores);
    return;
  }
  const z = readZset(c, argv[1]!);
  if (z === undefined) return w.null();
  w.bulk(z.at(Math.floor(Math.random() * z.size))[0]);
}

function randomWithCount(c: Client, z: SortedSet, l: bigint, withScores: boolean): void {
  const w = c.w;
  const nested = withScores && c.proto === 3;
  const emit = (m: string, s: number): void => {
    if (nested) w.array(2);
    w.bulk(m);
    if (withScores) w.double(s);
  };
  const uniq = l >= 0n;
  const count = Number(uniq ? l : -l);
  if (count === 0) return w.array(0);
  const size = z.size;
  if (!uniq || count === 1) {
    w.array(withScores && c.proto === 2 ? count * 2 : count);
    if (z.compact && count > 1) {
      // A packed set finds a rank by walking to it: read it out once instead.
      const ms: string[] = [];
      const ss: number[] = [];
      z.forEach((m, s) => {
        ms.push(m);
        ss.push(s);
      });
      for (let i = 0; i < count; i++) {
        const r = Math.floor(Math.random() * size);
        emit(ms[r]!, ss[r]!);
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      const [m, s] = z.at(Math.floor(Math.random() * size));
      emit(m, s);
    }
    return;
  }
  const n = Math.min(count, size);
  w.array(withScores && c.proto === 2 ? n * 2 : n);
  if (count >= size) {
    // The whole set, in the order Redis's set-operation iterator walks it: from the highest element down.
    z.walk(size - 1, true, (m, s) => {
      emit(m, s);
      return true;
    });
    return;
  }
  // Distinct ranks (Floyd's sampling), emitted in the order they were drawn.
  const chosen = new Set<number>();
  const order: number[] = [];
  for (let j = size - count; j < size; j++) {
    const t = Math.floor(Math.random() * (j + 1));
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    order.push(pick);
  }
  for (const r of order) {
    const [m, s] = z.at(r);
    emit(m, s);
  }
}

// ---- ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms ----

/** A plain set as an input of the set operations (every member scores 1). */
interface PlainSet {
  readonly type: 'set';
  readonly size: number;
  has(member: string): boolean;
  at(i: number): string;
}

interface OpSource {
  z: SortedSet | null;
  set: PlainSet | null;
  weight: number;
}

function srcLength(s: OpSource): number {
  return s.z !== null ? s.z.size : s.set !== null ? s.set.size : 0;
}

function srcEach(s: OpSource, fn: (m: string, score: number) => boolean | void): void {
  if (s.z !== null) {
    let stop = false;
    s.z.walk(0, false, (m, sc) => {
      if (fn(m, sc) === false) stop = true;
      return !stop;
    });
  } else if (s.set !== null) {
    for (let i = 0; i < s.set.size; i++) if (fn(s.set.at(i), 1) === false) return;
  }
}

function srcFind(s: OpSource, m: string): number | undefined {
  if (s.z !== null) return s.z.score(m);
  if (s.set !== null) return s.set.has(m) ? 1 : undefined;
  return undefined;
}

type Aggregate = 'sum' | 'min' | 'max';

function aggregate(target: number, val: number, how: Aggregate): number {
  if (how === 'sum') {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (how === 'min') return val < target ? val : target;
  return val > target ? val : target;
}

type SetOp = 'union' | 'inter' | 'diff';

function zsetOpGeneric(
  c: Client,
  argv: string[],
  dst: string | undefined,
  numkeysIdx: number,
  op: SetOp,
  cardOnly: boolean,
): void {
  const setnum = longArg(argv[numkeysIdx]!);
  if (setnum < 1)
    throw new ReplyError(
      `ERR at least 1 input key is needed for '${c.current?.fullName ?? argv[0]!.toLowerCase()}' command`,
    );
  if (setnum > argv.length - (numkeysIdx + 1)) throw new ReplyError(Err.syntax);
  const src: OpSource[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    // Read lookups for the store forms too (hits, misses, keymiss events), as in Redis 7.0.
    const e = c.db.lookupRead(argv[j]!);
    const s: OpSource = { z: null, set: null, weight: 1 };
    if (e !== undefined) {
      const v = c.db.vals[e]!;
      if (typeof v === 'string' || (v.type !== 'zset' && v.type !== 'set')) throw new ReplyError(Err.wrongType);
      if (v.type === 'zset') s.z = v as SortedSet;
      else s.set = v as unknown as PlainSet;
    }
    src.push(s);
  }
  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const o = argv[j]!;
    if (op !== 'diff' && !cardOnly && remaining >= setnum + 1 && is(o, 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) src[i]!.weight = doubleArg(argv[j]!, ERR_WEIGHT);
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && is(o, 'aggregate')) {
      j++;
      remaining--;
      const a = argv[j]!;
      if (is(a, 'sum')) how = 'sum';
      else if (is(a, 'min')) how = 'min';
      else if (is(a, 'max')) how = 'max';
      else throw new ReplyError(Err.syntax);
      j++;
      remaining--;
    } else if (remaining >= 1 && dst === undefined && !cardOnly && is(o, 'withscores')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardOnly && remaining >= 2 && is(o, 'limit')) {
      j++;
      remaining--;
      limit = rangedLong(argv[j]!, 0, ERR_LIMIT_NEGATIVE);
      j++;
      remaining--;
    } else throw new ReplyError(Err.syntax);
  }

  // Smallest first (a stable sort, like glibc's qsort here), except for DIFF where the first input is special.
  const ordered = op === 'diff' ? src : [...src].sort((a, b) => srcLength(a) - srcLength(b));
  const members: string[] = [];
  const scores: number[] = [];
  let cardinality = 0;
  if (op === 'inter') {
    const s0 = ordered[0]!;
    if (srcLength(s0) > 0) {
      srcEach(s0, (m, v) => {
        let score = s0.weight * v;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < ordered.length; k++) {
          const sk = ordered[k]!;
          const same = (sk.z !== null && sk.z === s0.z) || (sk.set !== null && sk.set === s0.set);
          const found = same ? v : srcFind(sk, m);
          if (found === undefined) break;
          score = aggregate(score, found * sk.weight, how);
        }
        if (k < ordered.length) return true;
        if (cardOnly) {
          cardinality++;
          if (limit && cardinality >= limit) return false;
        } else {
          members.push(m);
          scores.push(score);
        }
        return true;
      });
    }
  } else if (op === 'union') {
    const acc = new Map<string, number>();
    for (const s of ordered) {
      if (srcLength(s) === 0) continue;
      srcEach(s, (m, v) => {
        let score = s.weight * v;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, how));
      });
    }
    for (const [m, s] of acc) {
      members.push(m);
      scores.push(s);
    }
  } else {
    const s0 = ordered[0]!;
    srcEach(s0, (m, v) => {
      for (let k = 1; k < ordered.length; k++) if (srcFind(ordered[k]!, m) !== undefined) return;
      members.push(m);
      scores.push(v);
    });
  }

  if (cardOnly) {
    c.w.integer(cardinality);
    return;
  }
  // The result is a sorted set: order by (score, member).
  const idx = members.map((_m, i) => i);
  idx.sort((a, b) => compareKeys(scores[a]!, members[a]!, scores[b]!, members[b]!));
  const ms = idx.map((i) => members[i]!);
  const ss = idx.map((i) => scores[i]!);
  if (dst !== undefined) {
    // Redis builds the result in the big encoding and converts it when it fits the small one.
    let maxLen = 0;
    for (const m of ms) if (m.length > maxLen) maxLen = m.length;
    storeResult(
      c,
      dst,
      ms,
      ss,
      ms.length <= encodingLimits.zsetEntries && maxLen <= encodingLimits.zsetValue,
      op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore',
    );
  } else replyElements(c, ms, withScores ? ss : null);
}

// ---- ZSCAN ----

/**
 * A score as a small (listpack) set holds it, which ZSCAN replies with: Redis stores an integral score within
 * ±2^62 as an integer (printed in full: 1e17 reads 100000000000000000), any other as its %.17g text.
 */
function listpackScoreText(s: number): string {
  if (Number.isInteger(s) && s >= -(2 ** 62) && s <= 2 ** 62) return BigInt(s).toString();
  return formatDouble(s);
}

function zscanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === undefined) throw new ReplyError(ERR_INVALID_CURSOR);
  const w = c.w;
  const z = readZset(c, argv[1]!);
  if (z === undefined) {
    w.array(2);
    w.bulk('0');
    w.array(0);
    return;
  }
  let count = 10;
  let pattern: string | undefined;
  for (let i = 3; i < argv.length;) {
    const more = argv.length - i;
    const o = argv[i]!;
    if (is(o, 'count') && more >= 2) {
      count = longArg(argv[i + 1]!);
      if (count < 1) throw new ReplyError(Err.syntax);
      i += 2;
    } else if (is(o, 'match') && more >= 2) {
      pattern = argv[i + 1]!;
      i += 2;
    } else throw new ReplyError(Err.syntax);
  }
  const match = pattern === undefined || pattern === '*' ? undefined : compileGlob(pattern);
  const out: string[] = [];
  let next = '0';
  const listpack = z.listpack;
  const visit = (m: string, s: number): void => {
    if (match !== undefined && !match(m)) return;
    out.push(m, listpack ? listpackScoreText(s) : formatDouble(s));
  };
  if (listpack) z.forEach(visit);
  else next = cursorsOf(c.server.keyspace).step(z.scanMap(), cursor, count, (m, i) => visit(m, z.scoreAt(i)));
  w.array(2);
  w.bulk(next);
  w.array(out.length);
  for (const s of out) w.bulk(s);
}

// ---- snapshots ----

registerValueCodec({
  tag: 4,
  type: 'zset',
  encode: (v, w) => {
    const z = v as SortedSet;
    w.varint(z.size);
    z.forEach((m, s) => {
      w.str(m);
      w.f64(s);
    });
  },
  decode: (r) => {
    const n = r.varint();
    if (n === 0) throw new FormatError('empty sorted set');
    const ms: string[] = [];
    const ss: number[] = [];
    let maxLen = 0;
    for (let i = 0; i < n; i++) {
      const m = r.str();
      const s = r.f64();
      if (Number.isNaN(s)) throw new FormatError('NaN score in sorted set');
      ms.push(m);
      ss.push(s);
      if (m.length > maxLen) maxLen = m.length;
    }
    // As Redis when loading: a set that fits the small encoding (as configured) comes back in it.
    const z = SortedSet.create(n, maxLen);
    for (let i = 0; i < n; i++) {
      if (z.score(ms[i]!) !== undefined) throw new FormatError('duplicate sorted set member');
      z.insert(ms[i]!, ss[i]!);
    }
    return z;
  },
});

// ---- the command table ----

const ZSET = 'sortedset';

const spec = rangeKeySpec;
const keynumSpec = keynumKeySpec;

const RO_ACCESS = [spec(['RO', 'ACCESS'])];
const RW_DELETE = [spec(['RW', 'DELETE'])];
const RW_ACCESS_DELETE = [spec(['RW', 'ACCESS', 'DELETE'])];
const STORE_SPECS = [spec(['OW', 'UPDATE']), keynumSpec(['RO', 'ACCESS'], 2)];

type Docs = Pick<
  CommandSpec,
  'group' | 'since' | 'summary' | 'complexity' | 'docFlags' | 'deprecatedSince' | 'replacedBy' | 'history' | 'args'
>;

/** COMMAND DOCS of each command, as Redis 7.0.15 gives them. */
const DOCS: Record<string, Docs> = {
  zadd: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Add one or more members to a sorted set, or update its score if it already exists',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
      ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.'],
    ],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      {
        name: 'condition',
        type: 'oneof',
        since: '3.0.2',
        flags: ['optional'],
        args: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      {
        name: 'comparison',
        type: 'oneof',
        since: '6.2.0',
        flags: ['optional'],
        args: [
          { name: 'gt', type: 'pure-token', token: 'GT' },
          { name: 'lt', type: 'pure-token', token: 'LT' },
        ],
      },
      { name: 'change', type: 'pure-token', token: 'CH', since: '3.0.2', flags: ['optional'] },
      { name: 'increment', type: 'pure-token', token: 'INCR', since: '3.0.2', flags: ['optional'] },
      {
        name: 'score_member',
        type: 'block',
        flags: ['multiple'],
        args: [
          { name: 'score', type: 'double' },
          { name: 'member', type: 'string' },
        ],
      },
    ],
  },
  zincrby: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Increment the score of a member in a sorted set',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'increment', type: 'integer' },
      { name: 'member', type: 'string' },
    ],
  },
  zscore: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Get the score associated with the given member in a sorted set',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
  },
  zmscore: {
    group: 'sorted-set',
    since: '6.2.0',
    summary: 'Get the score associated with the given members in a sorted set',
    complexity: 'O(N) where N is the number of members being requested.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', flags: ['multiple'] },
    ],
  },
  zcard: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Get the number of members in a sorted set',
    complexity: 'O(1)',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  },
  zcount: {
    group: 'sorted-set',
    since: '2.0.0',
    summary: 'Count the members in a sorted set with scores within the given values',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
    ],
  },
  zlexcount: {
    group: 'sorted-set',
    since: '2.8.9',
    summary: 'Count the number of members in a sorted set between a given lexicographical range',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
    ],
  },
  zrank: {
    group: 'sorted-set',
    since: '2.0.0',
    summary: 'Determine the index of a member in a sorted set',
    complexity: 'O(log(N))',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
  },
  zrevrank: {
    group: 'sorted-set',
    since: '2.0.0',
    summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
    complexity: 'O(log(N))',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
  },
  zrange: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Return a range of members in a sorted set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'string' },
      { name: 'stop', type: 'string' },
      {
        name: 'sortby',
        type: 'oneof',
        since: '6.2.0',
        flags: ['optional'],
        args: [
          { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
          { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
        ],
      },
      { name: 'rev', type: 'pure-token', token: 'REV', since: '6.2.0', flags: ['optional'] },
      {
        name: 'offset_count',
        type: 'block',
        token: 'LIMIT',
        since: '6.2.0',
        flags: ['optional'],
        args: [
          { name: 'offset', type: 'integer' },
          { name: 'count', type: 'integer' },
        ],
      },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', flags: ['optional'] },
    ],
  },
  zrangebyscore: {
    group: 'sorted-set',
    since: '1.0.5',
    summary: 'Return a range of members in a sorted set, by score',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYSCORE` argument',
    history: [['2.0.0', 'Added the `WITHSCORES` modifier.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', since: '2.0.0', flags: ['optional'] },
      {
        name: 'offset_count',
        type: 'block',
        token: 'LIMIT',
        flags: ['optional'],
        args: [
          { name: 'offset', type: 'integer' },
          { name: 'count', type: 'integer' },
        ],
      },
    ],
  },
  zrevrangebyscore: {
    group: 'sorted-set',
    since: '2.2.0',
    summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
    history: [['2.1.6', '`min` and `max` can be exclusive.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'max', type: 'double' },
      { name: 'min', type: 'double' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', flags: ['optional'] },
      {
        name: 'offset_count',
        type: 'block',
        token: 'LIMIT',
        flags: ['optional'],
        args: [
          { name: 'offset', type: 'integer' },
          { name: 'count', type: 'integer' },
        ],
      },
    ],
  },
  zrangebylex: {
    group: 'sorted-set',
    since: '2.8.9',
    summary: 'Return a range of members in a sorted set, by lexicographical range',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYLEX` argument',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
      {
        name: 'offset_count',
        type: 'block',
        token: 'LIMIT',
        flags: ['optional'],
        args: [
          { name: 'offset', type: 'integer' },
          { name: 'count', type: 'integer' },
        ],
      },
    ],
  },
  zrevrangebylex: {
    group: 'sorted-set',
    since: '2.8.9',
    summary:
      'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'max', type: 'string' },
      { name: 'min', type: 'string' },
      {
        name: 'offset_count',
        type: 'block',
        token: 'LIMIT',
        flags: ['optional'],
        args: [
          { name: 'offset', type: 'integer' },
          { name: 'count', type: 'integer' },
        ],
      },
    ],
  },
  zrevrange: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` argument',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', flags: ['optional'] },
    ],
  },
  zrangestore: {
    group: 'sorted-set',
    since: '6.2.0',
    summary: 'Store a range of members from sorted set into another key',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    args: [
      { name: 'dst', type: 'key', keySpecIndex: 0 },
      { name: 'src', type: 'key', keySpecIndex: 1 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
      {
        name: 'sortby',
        type: 'oneof',
        flags: ['optional'],
        args: [
          { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
          { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
        ],
      },
      { name: 'rev', type: 'pure-token', token: 'REV', flags: ['optional'] },
      {
        name: 'offset_count',
        type: 'block',
        token: 'LIMIT',
        flags: ['optional'],
        args: [
          { name: 'offset', type: 'integer' },
          { name: 'count', type: 'integer' },
        ],
      },
    ],
  },
  zrem: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Remove one or more members from a sorted set',
    complexity:
      'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    history: [['2.4.0', 'Accepts multiple elements.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', flags: ['multiple'] },
    ],
  },
  zremrangebyrank: {
    group: 'sorted-set',
    since: '2.0.0',
    summary: 'Remove all members in a sorted set within the given indexes',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
  },
  zremrangebyscore: {
    group: 'sorted-set',
    since: '1.2.0',
    summary: 'Remove all members in a sorted set within the given scores',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
    ],
  },
  zremrangebylex: {
    group: 'sorted-set',
    since: '2.8.9',
    summary: 'Remove all members in a sorted set between the given lexicographical range',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
    ],
  },
  zpopmin: {
    group: 'sorted-set',
    since: '5.0.0',
    summary: 'Remove and return members with the lowest scores in a sorted set',
    complexity:
      'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', flags: ['optional'] },
    ],
  },
  zpopmax: {
    group: 'sorted-set',
    since: '5.0.0',
    summary: 'Remove and return members with the highest scores in a sorted set',
    complexity:
      'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', flags: ['optional'] },
    ],
  },
  zmpop: {
    group: 'sorted-set',
    since: '7.0.0',
    summary: 'Remove and return members with scores in a sorted set',
    complexity:
      'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      {
        name: 'where',
        type: 'oneof',
        args: [
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
    ],
  },
  bzpopmin: {
    group: 'sorted-set',
    since: '5.0.0',
    summary:
      'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'timeout', type: 'double' },
    ],
  },
  bzpopmax: {
    group: 'sorted-set',
    since: '5.0.0',
    summary:
      'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'timeout', type: 'double' },
    ],
  },
  bzmpop: {
    group: 'sorted-set',
    since: '7.0.0',
    summary: 'Remove and return members with scores in a sorted set or block until one is available',
    complexity:
      'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: [
      { name: 'timeout', type: 'double' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      {
        name: 'where',
        type: 'oneof',
        args: [
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
    ],
  },
  zrandmember: {
    group: 'sorted-set',
    since: '6.2.0',
    summary: 'Get one or multiple random elements from a sorted set',
    complexity: 'O(N) where N is the number of elements returned',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      {
        name: 'options',
        type: 'block',
        flags: ['optional'],
        args: [
          { name: 'count', type: 'integer' },
          { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', flags: ['optional'] },
        ],
      },
    ],
  },
  zunion: {
    group: 'sorted-set',
    since: '6.2.0',
    summary: 'Add multiple sorted sets',
    complexity:
      'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    args: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', flags: ['optional', 'multiple'] },
      {
        name: 'aggregate',
        type: 'oneof',
        token: 'AGGREGATE',
        flags: ['optional'],
        args: [
          { name: 'sum', type: 'pure-token', token: 'SUM' },
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', flags: ['optional'] },
    ],
  },
  zinter: {
    group: 'sorted-set',
    since: '6.2.0',
    summary: 'Intersect multiple sorted sets',
    complexity:
      'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    args: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', flags: ['optional', 'multiple'] },
      {
        name: 'aggregate',
        type: 'oneof',
        token: 'AGGREGATE',
        flags: ['optional'],
        args: [
          { name: 'sum', type: 'pure-token', token: 'SUM' },
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', flags: ['optional'] },
    ],
  },
  zdiff: {
    group: 'sorted-set',
    since: '6.2.0',
    summary: 'Subtract multiple sorted sets',
    complexity:
      'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    args: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', flags: ['optional'] },
    ],
  },
  zunionstore: {
    group: 'sorted-set',
    since: '2.0.0',
    summary: 'Add multiple sorted sets and store the resulting sorted set in a new key',
    complexity:
      'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    args: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 1, flags: ['multiple'] },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', flags: ['optional', 'multiple'] },
      {
        name: 'aggregate',
        type: 'oneof',
        token: 'AGGREGATE',
        flags: ['optional'],
        args: [
          { name: 'sum', type: 'pure-token', token: 'SUM' },
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
    ],
  },
  zinterstore: {
    group: 'sorted-set',
    since: '2.0.0',
    summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
    complexity:
      'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    args: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 1, flags: ['multiple'] },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', flags: ['optional', 'multiple'] },
      {
        name: 'aggregate',
        type: 'oneof',
        token: 'AGGREGATE',
        flags: ['optional'],
        args: [
          { name: 'sum', type: 'pure-token', token: 'SUM' },
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
    ],
  },
  zdiffstore: {
    group: 'sorted-set',
    since: '6.2.0',
    summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
    complexity:
      'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    args: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 1, flags: ['multiple'] },
    ],
  },
  zintercard: {
    group: 'sorted-set',
    since: '7.0.0',
    summary: 'Intersect multiple sorted sets and return the cardinality of the result',
    complexity:
      'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    args: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'limit', type: 'integer', token: 'LIMIT', flags: ['optional'] },
    ],
  },
  zscan: {
    group: 'sorted-set',
    since: '2.8.0',
    summary: 'Incrementally iterate sorted sets elements and associated scores',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', flags: ['optional'] },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
    ],
  },
};

function row(name: string, rest: Omit<CommandSpec, 'name' | keyof Docs>): CommandSpec {
  return { name, ...rest, ...DOCS[name]! };
}

const W_DENY_FAST = ['write', 'denyoom', 'fast'] as const;
const R_FAST = ['readonly', 'fast'] as const;

export const sortedSetCommands: readonly CommandSpec[] = [
  row('zadd', {
    arity: -4,
    flags: W_DENY_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    members: [3, 2],
    keySpecs: [spec(['RW', 'UPDATE'])],
    handler: zaddCommand,
  }),
  row('zincrby', {
    arity: 4,
    flags: W_DENY_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    members: [3, 2],
    keySpecs: [spec(['RW', 'ACCESS', 'UPDATE'])],
    handler: zincrbyCommand,
  }),
  row('zscore', {
    arity: 3,
    flags: R_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO_ACCESS,
    handler: zscoreCommand,
  }),
  row('zmscore', {
    arity: -3,
    flags: R_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO_ACCESS,
    handler: zmscoreCommand,
  }),
  row('zcard', {
    arity: 2,
    flags: R_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: [spec(['RO'])],
    handler: zcardCommand,
  }),
  row('zcount', { arity: 4, flags: R_FAST, acl: [ZSET], keys: [1, 1, 1], keySpecs: RO_ACCESS, handler: zcountCommand }),
  row('zlexcount', {
    arity: 4,
    flags: R_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    handler: zlexcountCommand,
  }),
  row('zrank', {
    arity: 3,
    flags: R_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrankGeneric(c, a, false),
  }),
  row('zrevrank', {
    arity: 3,
    flags: R_FAST,
    acl: [ZSET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrankGeneric(c, a, true),
  }),
  row('zrange', {
    arity: -4,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrangeGeneric(c, a, 1, false, 'auto', 'auto'),
  }),
  row('zrangebyscore', {
    arity: -4,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrangeGeneric(c, a, 1, false, 'score', 'forward'),
  }),
  row('zrevrangebyscore', {
    arity: -4,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrangeGeneric(c, a, 1, false, 'score', 'reverse'),
  }),
  row('zrangebylex', {
    arity: -4,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrangeGeneric(c, a, 1, false, 'lex', 'forward'),
  }),
  row('zrevrangebylex', {
    arity: -4,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrangeGeneric(c, a, 1, false, 'lex', 'reverse'),
  }),
  row('zrevrange', {
    arity: -4,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    handler: (c, a) => zrangeGeneric(c, a, 1, false, 'rank', 'reverse'),
  }),
  row('zrangestore', {
    arity: -5,
    flags: ['write', 'denyoom'],
    acl: [ZSET],
    keys: [1, 2, 1],
    keySpecs: [spec(['OW', 'UPDATE']), spec(['RO', 'ACCESS'], 2)],
    handler: (c, a) => zrangeGeneric(c, a, 2, true, 'auto', 'auto'),
  }),
  row('zrem', {
    arity: -3,
    flags: ['write', 'fast'],
    acl: [ZSET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RW_DELETE,
    handler: zremCommand,
  }),
  row('zremrangebyrank', {
    arity: 4,
    flags: ['write'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RW_DELETE,
    handler: (c, a) => zremrangeGeneric(c, a, 'rank'),
  }),
  row('zremrangebyscore', {
    arity: 4,
    flags: ['write'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RW_DELETE,
    handler: (c, a) => zremrangeGeneric(c, a, 'score'),
  }),
  row('zremrangebylex', {
    arity: 4,
    flags: ['write'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RW_DELETE,
    handler: (c, a) => zremrangeGeneric(c, a, 'lex'),
  }),
  row('zpopmin', {
    arity: -2,
    flags: ['write', 'fast'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_DELETE,
    handler: (c, a) => zpopMinMax(c, a, false),
  }),
  row('zpopmax', {
    arity: -2,
    flags: ['write', 'fast'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: RW_ACCESS_DELETE,
    handler: (c, a) => zpopMinMax(c, a, true),
  }),
  row('zmpop', {
    arity: -4,
    flags: ['write'],
    acl: [ZSET],
    keys: [0, 0, 0],
    keySpecs: [keynumSpec(['RW', 'ACCESS', 'DELETE'], 1)],
    handler: zmpopCommand,
  }),
  row('bzpopmin', {
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    acl: [ZSET],
    keys: [1, -2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE'], 1, -2)],
    handler: (c, a) => bzpopCommand(c, a, false),
  }),
  row('bzpopmax', {
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    acl: [ZSET],
    keys: [1, -2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE'], 1, -2)],
    handler: (c, a) => bzpopCommand(c, a, true),
  }),
  row('bzmpop', {
    arity: -5,
    flags: ['write', 'blocking'],
    acl: [ZSET],
    keys: [0, 0, 0],
    keySpecs: [keynumSpec(['RW', 'ACCESS', 'DELETE'], 2)],
    handler: bzmpopCommand,
  }),
  row('zrandmember', {
    arity: -2,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    tips: ['nondeterministic_output'],
    keySpecs: RO_ACCESS,
    handler: zrandmemberCommand,
  }),
  row('zunion', {
    arity: -3,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [0, 0, 0],
    keySpecs: [keynumSpec(['RO', 'ACCESS'], 1)],
    handler: (c, a) => zsetOpGeneric(c, a, undefined, 1, 'union', false),
  }),
  row('zinter', {
    arity: -3,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [0, 0, 0],
    keySpecs: [keynumSpec(['RO', 'ACCESS'], 1)],
    handler: (c, a) => zsetOpGeneric(c, a, undefined, 1, 'inter', false),
  }),
  row('zdiff', {
    arity: -3,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [0, 0, 0],
    keySpecs: [keynumSpec(['RO', 'ACCESS'], 1)],
    handler: (c, a) => zsetOpGeneric(c, a, undefined, 1, 'diff', false),
  }),
  row('zunionstore', {
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: STORE_SPECS,
    handler: (c, a) => zsetOpGeneric(c, a, a[1]!, 2, 'union', false),
  }),
  row('zinterstore', {
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: STORE_SPECS,
    handler: (c, a) => zsetOpGeneric(c, a, a[1]!, 2, 'inter', false),
  }),
  row('zdiffstore', {
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: [ZSET],
    keys: [1, 1, 1],
    keySpecs: STORE_SPECS,
    handler: (c, a) => zsetOpGeneric(c, a, a[1]!, 2, 'diff', false),
  }),
  row('zintercard', {
    arity: -3,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [0, 0, 0],
    keySpecs: [keynumSpec(['RO', 'ACCESS'], 1)],
    handler: (c, a) => zsetOpGeneric(c, a, undefined, 1, 'inter', true),
  }),
  row('zscan', {
    arity: -3,
    flags: ['readonly'],
    acl: [ZSET],
    keys: [1, 1, 1],
    tips: ['nondeterministic_output'],
    keySpecs: RO_ACCESS,
    handler: zscanCommand,
  }),
];
