// List commands: LPUSH … LMPOP and the blocking forms BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, on the deque in
// src/types/list.ts. Blocking waits use src/server/blocking.ts; a served waiter's effect is its non-blocking form.

import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { Database, Slot, Key } from '../keyspace/db.js';
import { parseTimeout } from '../server/blocking.js';
import { ListValue } from '../types/list.js';
import { registerValueCodec } from '../persistence/codecs.js';
import { notify, NOTIFY_GENERIC, NOTIFY_LIST } from '../keyspace/notify.js';
import { intArg, is, parseInteger, parseLL } from './args.js';
import { type CommandSpec, rangeKeySpec } from './spec.js';

const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_INDEX = 'ERR index out of range';
const ERR_RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const ERR_COUNT_NEGATIVE = "ERR COUNT can't be negative";
const ERR_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_MPOP_COUNT = 'ERR count should be greater than 0';
const LLONG_MIN = -9223372036854775808n;

type End = 'left' | 'right';

/** A list entry looked up for writing (no hit/miss stats, access clock refreshed); WRONGTYPE for other types. */
function lookupListWrite(db: Database, key: Key): Slot | undefined {
  const e = db.lookup(key);
  if (e === undefined) return undefined;
  const v = db.vals[e]!;
  if (typeof v === 'string' || v.type !== 'list') throw new ReplyError(Err.wrongType);
  db.touch(e);
  return e;
}

/** A list entry looked up for reading (stats, access clock unless CLIENT NO-TOUCH); WRONGTYPE for other types. */
function lookupListRead(c: Client, key: Key): Slot | undefined {
  const e = c.db.lookupRead(key);
  if (e === undefined) return undefined;
  const v = c.db.vals[e]!;
  if (typeof v === 'string' || v.type !== 'list') throw new ReplyError(Err.wrongType);
  return e;
}

/** The entry's list if the key holds a non-empty list now, else undefined (no error: for serving waiters). */
function listAt(db: Database, key: Key): { e: Slot; l: ListValue } | undefined {
  const e = db.lookup(key);
  if (e === undefined) return undefined;
  const v = db.vals[e]!;
  if (typeof v === 'string' || v.type !== 'list') return undefined;
  const l = v as ListValue;
  return l.length > 0 ? { e, l } : undefined;
}

/**
 * Stores the result of an in-place change and announces it as `event`: deletes an emptied list (announced as
 * `del` after the event, as Redis does), else signals the update.
 */
function commit(c: Client, db: Database, key: Key, e: Slot, l: ListValue, event: string): void {
  notify(c.server, NOTIFY_LIST, event, key, db.id);
  if (l.length === 0) {
    db.delete(key);
    notify(c.server, NOTIFY_GENERIC, 'del', key, db.id);
  } else {
    db.update(key, e, l);
  }
}

function popEvent(from: End): string {
  return from === 'left' ? 'lpop' : 'rpop';
}

function endArg(s: string): End {
  if (is(s, 'left')) return 'left';
  if (is(s, 'right')) return 'right';
  throw new ReplyError(Err.syntax);
}

function pop(l: ListValue, from: End): string {
  return (from === 'left' ? l.popFront() : l.popBack())!;
}

// ---- push ----

function pushGeneric(c: Client, argv: string[], front: boolean, onlyIfExists: boolean): void {
  const db = c.db;
  const key = argv[1]!;
  const e = lookupListWrite(db, key);
  const n = argv.length - 2;
  let len: number;
  if (e === undefined) {
    if (onlyIfExists) return c.w.integer(0);
    const l = new ListValue(n);
    for (let j = 2; j < argv.length; j++) {
      if (front) l.pushFront(argv[j]!);
      else l.pushBack(argv[j]!);
    }
    db.set(key, l);
    len = l.length;
  } else {
    const l = db.vals[e]! as ListValue;
    db.willWrite(key);
    for (let j = 2; j < argv.length; j++) {
      if (front) l.pushFront(argv[j]!);
      else l.pushBack(argv[j]!);
    }
    db.update(key, e, l);
    len = l.length;
  }
  c.server.keyspace.dirty += n;
  // Redis replies before it sends the event (a RESP3 client subscribed to its own events sees the order).
  c.w.integer(len);
  notify(c.server, NOTIFY_LIST, front ? 'lpush' : 'rpush', key, db.id);
}

const lpushCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, true, false);
const rpushCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, false, false);
const lpushxCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, true, true);
const rpushxCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, false, true);

// ---- pop ----

/** Pops up to count elements from one end, replying with them as an array (in popping order). */
function popRangeReply(c: Client, db: Database, key: Key, e: Slot, l: ListValue, from: End, count: number): number {
  const n = Math.min(count, l.length);
  db.willWrite(key);
  c.w.array(n);
  for (let i = 0; i < n; i++) c.w.bulk(pop(l, from));
  commit(c, db, key, e, l, popEvent(from));
  c.server.keyspace.dirty += n;
  return n;
}

function popGeneric(c: Client, argv: string[], from: End): void {
  if (argv.length > 3) throw new ReplyError(Err.wrongArgs(argv[0]!.toLowerCase()));
  let count = -1;
  if (argv.length === 3) {
    const v = parseInteger(argv[2]!);
    if (v === undefined || v < 0) throw new ReplyError(ERR_POSITIVE);
    count = v;
  }
  const db = c.db;
  const key = argv[1]!;
  const e = lookupListWrite(db, key);
  if (e === undefined) return count >= 0 ? c.w.nullArray() : c.w.null();
  if (count === 0) return c.w.array(0);
  const l = db.vals[e]! as ListValue;
  if (count < 0) {
    db.willWrite(key);
    const v = pop(l, from);
    c.w.bulk(v); // the reply first, then the events, as in Redis
    commit(c, db, key, e, l, popEvent(from));
    c.server.keyspace.dirty++;
    return;
  }
  popRangeReply(c, db, key, e, l, from, count);
}

const lpopCommand = (c: Client, argv: string[]): void => popGeneric(c, argv, 'left');
const rpopCommand = (c: Client, argv: string[]): void => popGeneric(c, argv, 'right');

// ---- reads ----

function llenCommand(c: Client, argv: string[]): void {
  const e = lookupListRead(c, argv[1]!);
  c.w.integer(e === undefined ? 0 : (c.db.vals[e]! as ListValue).length);
}

function lindexCommand(c: Client, argv: string[]): void {
  const e = lookupListRead(c, argv[1]!);
  if (e === undefined) return c.w.null();
  let idx = intArg(argv[2]!);
  const l = c.db.vals[e]! as ListValue;
  if (idx < 0) idx += l.length;
  if (idx < 0 || idx >= l.length) return c.w.null();
  c.w.bulk(l.at(idx));
}

function lrangeCommand(c: Client, argv: string[]): void {
  let start = intArg(argv[2]!);
  let end = intArg(argv[3]!);
  const e = lookupListRead(c, argv[1]!);
  if (e === undefined) return c.w.array(0);
  const l = c.db.vals[e]! as ListValue;
  const len = l.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return c.w.array(0);
  if (end >= len) end = len - 1;
  const w = c.w;
  w.array(end - start + 1);
  for (let i = start; i <= end; i++) w.bulk(l.at(i));
}

function lposCommand(c: Client, argv: string[]): void {
  const ele = argv[2]!;
  let rank = 1;
  let rankMin = false;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const more = argv.length - 1 - j;
    if (is(opt, 'rank') && more > 0) {
      const v = parseLL(argv[++j]!);
      if (v === undefined) throw new ReplyError(Err.notInteger);
      if (v === 0n) throw new ReplyError(ERR_RANK_ZERO);
      rankMin = v === LLONG_MIN;
      rank = Number(v);
    } else if (is(opt, 'count') && more > 0) {
      const v = parseInteger(argv[++j]!);
      if (v === undefined || v < 0) throw new ReplyError(ERR_COUNT_NEGATIVE);
      count = v;
    } else if (is(opt, 'maxlen') && more > 0) {
      const v = parseInteger(argv[++j]!);
      if (v === undefined || v < 0) throw new ReplyError(ERR_MAXLEN_NEGATIVE);
      maxlen = v;
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  const e = lookupListRead(c, argv[1]!);
  if (e === undefined) return count !== -1 ? c.w.array(0) : c.w.null();
  const l = c.db.vals[e]! as ListValue;
  const fromTail = rank < 0;
  // Redis negates a negative rank; LLONG_MIN stays negative there, so its first match counts and COUNT is moot.
  const need = rankMin ? 1 : Math.abs(rank);
  const limit = count === -1 ? 0 : rankMin ? 0 : count;
  const n = l.length;
  const stop = maxlen === 0 ? n : Math.min(n, maxlen);
  const found: number[] = [];
  let matches = 0;
  for (let i = 0; i < stop; i++) {
    const idx = fromTail ? n - 1 - i : i;
    if (l.at(idx) !== ele) continue;
    matches++;
    if (matches < need) continue;
    if (count === -1) return c.w.integer(idx);
    found.push(idx);
    if (limit !== 0 && matches - need + 1 >= limit) break;
  }
  if (count === -1) return c.w.null();
  c.w.array(found.length);
  for (const i of found) c.w.integer(i);
}

// ---- in-place edits ----

function lsetCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1]!;
  const e = lookupListWrite(db, key);
  if (e === undefined) throw new ReplyError(Err.noSuchKey);
  let idx = intArg(argv[2]!);
  const l = db.vals[e]! as ListValue;
  if (idx < 0) idx += l.length;
  if (idx < 0 || idx >= l.length) throw new ReplyError(ERR_INDEX);
  db.willWrite(key);
  l.setAt(idx, argv[3]!);
  db.update(key, e, l);
  c.server.keyspace.dirty++;
  c.w.ok(); // the reply first, then the event, as in Redis
  notify(c.server, NOTIFY_LIST, 'lset', key, db.id);
}

function ltrimCommand(c: Client, argv: string[]): void {
  let start = intArg(argv[2]!);
  let end = intArg(argv[3]!);
  const db = c.db;
  const key = argv[1]!;
  const e = lookupListWrite(db, key);
  if (e === undefined) return c.w.ok();
  const l = db.vals[e]! as ListValue;
  const len = l.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  let front: number;
  let back: number;
  if (start > end || start >= len) {
    front = len;
    back = 0;
  } else {
    if (end >= len) end = len - 1;
    front = start;
    back = len - end - 1;
  }
  db.willWrite(key);
  l.trim(front, back);
  commit(c, db, key, e, l, 'ltrim');
  c.server.keyspace.dirty += front + back;
  c.w.ok();
}

function linsertCommand(c: Client, argv: string[]): void {
  let after: boolean;
  if (is(argv[2]!, 'after')) after = true;
  else if (is(argv[2]!, 'before')) after = false;
  else throw new ReplyError(Err.syntax);
  const db = c.db;
  const key = argv[1]!;
  const e = lookupListWrite(db, key);
  if (e === undefined) return c.w.integer(0);
  const l = db.vals[e]! as ListValue;
  const at = l.indexOf(argv[3]!);
  if (at < 0) return c.w.integer(-1);
  db.willWrite(key);
  l.insertAt(after ? at + 1 : at, argv[4]!);
  db.update(key, e, l);
  c.server.keyspace.dirty++;
  notify(c.server, NOTIFY_LIST, 'linsert', key, db.id);
  c.w.integer(l.length);
}

function lremCommand(c: Client, argv: string[]): void {
  const count = intArg(argv[2]!);
  const db = c.db;
  const key = argv[1]!;
  const e = lookupListWrite(db, key);
  if (e === undefined) return c.w.integer(0);
  const l = db.vals[e]! as ListValue;
  db.willWrite(key);
  const removed = l.removeValue(argv[3]!, count);
  if (removed > 0) {
    commit(c, db, key, e, l, 'lrem');
    c.server.keyspace.dirty += removed;
  }
  c.w.integer(removed);
}

// ---- moves ----

/**
 * Pops from src and pushes onto dst (checked to be a list or missing first), replying with the element. The
 * source entry must hold a non-empty list.
 */
function moveElement(c: Client, db: Database, src: Key, se: Slot, dst: Key, from: End, to: End): void {
  const de = lookupListWrite(db, dst);
  const sl = db.vals[se]! as ListValue;
  db.willWrite(src);
  const v = pop(sl, from);
  if (de === undefined) {
    const nl = new ListValue();
    nl.pushBack(v);
    db.set(dst, nl);
  } else {
    const dl = db.vals[de]! as ListValue;
    db.willWrite(dst);
    if (to === 'left') dl.pushFront(v);
    else dl.pushBack(v);
    db.update(dst, de, dl);
  }
  // As Redis orders them: the push event, the reply, then the pop event (and a del for an emptied source).
  notify(c.server, NOTIFY_LIST, to === 'left' ? 'lpush' : 'rpush', dst, db.id);
  c.w.bulk(v);
  commit(c, db, src, se, sl, popEvent(from));
  c.server.keyspace.dirty++;
}

function lmoveCommand(c: Client, argv: string[]): void {
  const from = endArg(argv[3]!);
  const to = endArg(argv[4]!);
  const se = lookupListWrite(c.db, argv[1]!);
  if (se === undefined) return c.w.null();
  moveElement(c, c.db, argv[1]!, se, argv[2]!, from, to);
}

function rpoplpushCommand(c: Client, argv: string[]): void {
  const se = lookupListWrite(c.db, argv[1]!);
  if (se === undefined) return c.w.null();
  moveElement(c, c.db, argv[1]!, se, argv[2]!, 'right', 'left');
}

/**
 * BLPOP, BRPOP, BLMOVE and BRPOPLPUSH serve a blocked client without invalidating the list for tracking clients
 * (src/server/blocking.ts quietServe); BLMPOP invalidates it, as LMPOP does.
 */
const QUIET_SERVE = true;

/** BLMOVE / BRPOPLPUSH: move now if the source has elements, else wait for it. */
function blockingMove(
  c: Client,
  src: Key,
  dst: Key,
  from: End,
  to: End,
  deadline: number,
  nowEffect: string[],
  servedEffect: (key: Key) => string[],
): void {
  const db = c.db;
  const se = lookupListWrite(db, src);
  if (se !== undefined) {
    // Redis's blocking form looks the source up once more before the move does: one more access (LFU).
    db.touch(se);
    moveElement(c, db, src, se, dst, from, to);
    c.effectArgv = nowEffect;
    return;
  }
  if (!c.server.blocking.canBlock(c)) return c.w.null();
  c.server.blocking.block(
    c,
    [src],
    deadline,
    (key) => {
      const s = listAt(db, key);
      if (s === undefined) return false;
      moveElement(c, db, key, s.e, dst, from, to);
      c.server.effects.add(db.id, servedEffect(key));
      return true;
    },
    undefined,
    // A list moved onto itself is signalled by its push (Redis signals the destination).
    src === dst ? false : QUIET_SERVE,
  );
}

function blmoveCommand(c: Client, argv: string[]): void {
  const from = endArg(argv[3]!);
  const to = endArg(argv[4]!);
  const deadline = parseTimeout(argv[5]!);
  const src = argv[1]!;
  const dst = argv[2]!;
  // Served at once it propagates with the sides as given; served later, spelled as Redis spells them.
  blockingMove(c, src, dst, from, to, deadline, ['LMOVE', src, dst, argv[3]!, argv[4]!], (key) => [
    'LMOVE',
    key,
    dst,
    from,
    to,
  ]);
}

function brpoplpushCommand(c: Client, argv: string[]): void {
  const deadline = parseTimeout(argv[3]!);
  const src = argv[1]!;
  const dst = argv[2]!;
  blockingMove(c, src, dst, 'right', 'left', deadline, ['RPOPLPUSH', src, dst], (key) => ['RPOPLPUSH', key, dst]);
}

// ---- multi-key pops ----

/**
 * The first key (in order) holding a non-empty list; WRONGTYPE as soon as a key before it holds something else.
 */
function firstNonEmpty(db: Database, keys: readonly Key[]): { key: Key; e: Slot } | undefined {
  for (const key of keys) {
    const e = lookupListWrite(db, key);
    if (e !== undefined && (db.vals[e]! as ListValue).length > 0) return { key, e };
  }
  return undefined;
}

/** Serves BLPOP/BRPOP: [key, element], propagated as LPOP/RPOP key. */
function popOneWithKey(c: Client, db: Database, key: Key, e: Slot, from: End): string[] {
  const l = db.vals[e]! as ListValue;
  db.willWrite(key);
  const v = pop(l, from);
  c.w.array(2);
  c.w.bulk(key);
  c.w.bulk(v);
  commit(c, db, key, e, l, popEvent(from)); // after the reply, as in Redis
  c.server.keyspace.dirty++;
  return [from === 'left' ? 'LPOP' : 'RPOP', key];
}

/** Serves LMPOP/BLMPOP: [key, [elements…]], propagated as LPOP/RPOP key n. */
function popManyWithKey(c: Client, db: Database, key: Key, e: Slot, from: End, count: number): string[] {
  c.w.array(2);
  c.w.bulk(key);
  const n = popRangeReply(c, db, key, e, db.vals[e]! as ListValue, from, count);
  return [from === 'left' ? 'LPOP' : 'RPOP', key, String(n)];
}

/** BLPOP/BRPOP/BLMPOP after parsing: pop now from the first non-empty list, or wait (count -1: one element). */
function blockingPop(c: Client, keys: readonly Key[], from: End, count: number, deadline: number): void {
  const db = c.db;
  const found = firstNonEmpty(db, keys);
  if (found !== undefined) {
    c.effectArgv =
      count < 0
        ? popOneWithKey(c, db, found.key, found.e, from)
        : popManyWithKey(c, db, found.key, found.e, from, count);
    return;
  }
  if (!c.server.blocking.canBlock(c)) return c.w.nullArray();
  c.server.blocking.block(
    c,
    keys,
    deadline,
    (key) => {
      const s = listAt(db, key);
      if (s === undefined) return false;
      const effect = count < 0 ? popOneWithKey(c, db, key, s.e, from) : popManyWithKey(c, db, key, s.e, from, count);
      c.server.effects.add(db.id, effect);
      return true;
    },
    undefined,
    count < 0 ? QUIET_SERVE : false,
  );
}

function blpopCommand(c: Client, argv: string[]): void {
  const deadline = parseTimeout(argv[argv.length - 1]!);
  blockingPop(c, argv.slice(1, -1), 'left', -1, deadline);
}

function brpopCommand(c: Client, argv: string[]): void {
  const deadline = parseTimeout(argv[argv.length - 1]!);
  blockingPop(c, argv.slice(1, -1), 'right', -1, deadline);
}

/** LMPOP/BLMPOP arguments from numkeys on: the keys, the end, and the count (1 by default). */
function parseMpop(argv: string[], numkeysIdx: number): { keys: string[]; from: End; count: number } {
  const numkeys = parseInteger(argv[numkeysIdx]!);
  if (numkeys === undefined || numkeys < 1) throw new ReplyError(ERR_NUMKEYS);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(Err.syntax);
  const from = endArg(argv[whereIdx]!);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && is(argv[j]!, 'count') && more > 0) {
      const v = parseInteger(argv[++j]!);
      if (v === undefined || v < 1) throw new ReplyError(ERR_MPOP_COUNT);
      count = v;
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), from, count: count === -1 ? 1 : count };
}

function lmpopCommand(c: Client, argv: string[]): void {
  const { keys, from, count } = parseMpop(argv, 1);
  const found = firstNonEmpty(c.db, keys);
  if (found === undefined) return c.w.nullArray();
  c.effectArgv = popManyWithKey(c, c.db, found.key, found.e, from, count);
}

function blmpopCommand(c: Client, argv: string[]): void {
  const { keys, from, count } = parseMpop(argv, 2);
  const deadline = parseTimeout(argv[1]!);
  blockingPop(c, keys, from, count, deadline);
}

// ---- snapshot codec ----

registerValueCodec({
  tag: 1,
  type: 'list',
  encode: (v, w) => {
    const l = v as ListValue;
    w.varint(l.length);
    for (let i = 0; i < l.length; i++) w.str(l.at(i));
  },
  decode: (r) => {
    const n = r.varint();
    const l = new ListValue(Math.min(n, 1 << 20));
    for (let i = 0; i < n; i++) l.pushBack(r.str());
    return l;
  },
});

// ---- the rows ----

export const listCommands: readonly CommandSpec[] = [
  {
    name: 'lpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'INSERT'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Prepend one or multiple elements to a list',
    complexity:
      'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', flags: ['multiple'] },
    ],
    handler: lpushCommand,
  },
  {
    name: 'rpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'INSERT'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Append one or multiple elements to a list',
    complexity:
      'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', flags: ['multiple'] },
    ],
    handler: rpushCommand,
  },
  {
    name: 'lpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'INSERT'])],
    group: 'list',
    since: '2.2.0',
    summary: 'Prepend an element to a list, only if the list exists',
    complexity:
      'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', flags: ['multiple'] },
    ],
    handler: lpushxCommand,
  },
  {
    name: 'rpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'INSERT'])],
    group: 'list',
    since: '2.2.0',
    summary: 'Append an element to a list, only if the list exists',
    complexity:
      'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', flags: ['multiple'] },
    ],
    handler: rpushxCommand,
  },
  {
    name: 'lpop',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Remove and get the first elements in a list',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '6.2.0', flags: ['optional'] },
    ],
    handler: lpopCommand,
  },
  {
    name: 'rpop',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Remove and get the last elements in a list',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '6.2.0', flags: ['optional'] },
    ],
    handler: rpopCommand,
  },
  {
    name: 'llen',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Get the length of a list',
    complexity: 'O(1)',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: llenCommand,
  },
  {
    name: 'lindex',
    arity: 3,
    flags: ['readonly'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Get an element from a list by its index',
    complexity:
      'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'index', type: 'integer' },
    ],
    handler: lindexCommand,
  },
  {
    name: 'lset',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'UPDATE'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Set the value of an element in a list by its index',
    complexity:
      'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'index', type: 'integer' },
      { name: 'element', type: 'string' },
    ],
    handler: lsetCommand,
  },
  {
    name: 'lrange',
    arity: 4,
    flags: ['readonly'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Get a range of elements from a list',
    complexity:
      'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
    handler: lrangeCommand,
  },
  {
    name: 'ltrim',
    arity: 4,
    flags: ['write'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'DELETE'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Trim a list to the specified range',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
    handler: ltrimCommand,
  },
  {
    name: 'linsert',
    arity: 5,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'INSERT'])],
    group: 'list',
    since: '2.2.0',
    summary: 'Insert an element before or after another element in a list',
    complexity:
      'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      {
        name: 'where',
        type: 'oneof',
        args: [
          { name: 'before', type: 'pure-token', token: 'BEFORE' },
          { name: 'after', type: 'pure-token', token: 'AFTER' },
        ],
      },
      { name: 'pivot', type: 'string' },
      { name: 'element', type: 'string' },
    ],
    handler: linsertCommand,
  },
  {
    name: 'lrem',
    arity: 4,
    flags: ['write'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RW', 'DELETE'])],
    group: 'list',
    since: '1.0.0',
    summary: 'Remove elements from a list',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer' },
      { name: 'element', type: 'string' },
    ],
    handler: lremCommand,
  },
  {
    name: 'lpos',
    arity: -3,
    flags: ['readonly'],
    acl: ['list'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['RO', 'ACCESS'])],
    group: 'list',
    since: '6.0.6',
    summary: 'Return the index of matching elements on a list',
    complexity:
      'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string' },
      { name: 'rank', type: 'integer', token: 'RANK', flags: ['optional'] },
      { name: 'num-matches', type: 'integer', token: 'COUNT', flags: ['optional'] },
      { name: 'len', type: 'integer', token: 'MAXLEN', flags: ['optional'] },
    ],
    handler: lposCommand,
  },
  {
    name: 'lmove',
    arity: 5,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: [1, 2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE']), rangeKeySpec(['RW', 'INSERT'], 2)],
    group: 'list',
    since: '6.2.0',
    summary: 'Pop an element from a list, push it to another list and return it',
    complexity: 'O(1)',
    args: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      {
        name: 'wherefrom',
        type: 'oneof',
        args: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      {
        name: 'whereto',
        type: 'oneof',
        args: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
    ],
    handler: lmoveCommand,
  },
  {
    name: 'rpoplpush',
    arity: 3,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: [1, 2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE']), rangeKeySpec(['RW', 'INSERT'], 2)],
    group: 'list',
    since: '1.2.0',
    summary: 'Remove the last element in a list, prepend it to another list and return it',
    complexity: 'O(1)',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    args: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
    ],
    handler: rpoplpushCommand,
  },
  {
    name: 'lmpop',
    arity: -4,
    flags: ['write'],
    acl: ['list'],
    keys: [0, 0, 0],
    keySpecs: [{ flags: ['RW', 'ACCESS', 'DELETE'], begin: { index: 1 }, find: { keynum: [0, 1, 1] } }],
    movableKeys: true,
    group: 'list',
    since: '7.0.0',
    summary: 'Pop elements from a list',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    args: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      {
        name: 'where',
        type: 'oneof',
        args: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
    ],
    handler: lmpopCommand,
  },
  {
    name: 'blpop',
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    acl: ['list'],
    keys: [1, -2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE'], 1, -2)],
    group: 'list',
    since: '2.0.0',
    summary: 'Remove and get the first element in a list, or block until one is available',
    complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'timeout', type: 'double' },
    ],
    handler: blpopCommand,
  },
  {
    name: 'brpop',
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    acl: ['list'],
    keys: [1, -2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE'], 1, -2)],
    group: 'list',
    since: '2.0.0',
    summary: 'Remove and get the last element in a list, or block until one is available',
    complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'timeout', type: 'double' },
    ],
    handler: brpopCommand,
  },
  {
    name: 'blmove',
    arity: 6,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    acl: ['list'],
    keys: [1, 2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE']), rangeKeySpec(['RW', 'INSERT'], 2)],
    group: 'list',
    since: '6.2.0',
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    complexity: 'O(1)',
    args: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      {
        name: 'wherefrom',
        type: 'oneof',
        args: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      {
        name: 'whereto',
        type: 'oneof',
        args: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      { name: 'timeout', type: 'double' },
    ],
    handler: blmoveCommand,
  },
  {
    name: 'brpoplpush',
    arity: 4,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    acl: ['list'],
    keys: [1, 2, 1],
    keySpecs: [rangeKeySpec(['RW', 'ACCESS', 'DELETE']), rangeKeySpec(['RW', 'INSERT'], 2)],
    group: 'list',
    since: '2.2.0',
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    complexity: 'O(1)',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'timeout', type: 'double' },
    ],
    handler: brpoplpushCommand,
  },
  {
    name: 'blmpop',
    arity: -5,
    flags: ['write', 'blocking'],
    acl: ['list'],
    keys: [0, 0, 0],
    keySpecs: [{ flags: ['RW', 'ACCESS', 'DELETE'], begin: { index: 2 }, find: { keynum: [0, 1, 1] } }],
    movableKeys: true,
    group: 'list',
    since: '7.0.0',
    summary: 'Pop elements from a list, or block until one is available',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    args: [
      { name: 'timeout', type: 'double' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      {
        name: 'where',
        type: 'oneof',
        args: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
    ],
    handler: blmpopCommand,
  },
];
