// Hash commands: HSET, HSETNX, HGET, HMGET, HMSET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY,
// HINCRBYFLOAT, HRANDFIELD, HSCAN. The data structure is src/types/hash.ts.

import { writeEntryOf } from './lookup.js';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { Slot, Value } from '../keyspace/db.js';
import { compileGlob } from '../keyspace/glob.js';
import { ERR_INVALID_CURSOR, cursorsOf, parseCursor } from '../keyspace/scan.js';
import { addLongDouble, formatLongDoubleHuman, longDoubleFromBigInt, parseLongDouble } from '../types/long-double.js';
import { Hash } from '../types/hash.js';
import { sampleDistinct } from '../types/random-set.js';
import { registerValueCodec } from '../persistence/codecs.js';
import { FormatError } from '../persistence/bytes.js';
import { intArg, is, parseInteger, parseLL } from './args.js';
import { intText } from '../types/int-texts.js';
import { notify, NOTIFY_GENERIC, NOTIFY_HASH } from '../keyspace/notify.js';
import { type CommandSpec, rangeKeySpec } from './spec.js';

const HASH = 'hash';

const ERR_HASH_NOT_INT = 'ERR hash value is not an integer';
const ERR_HASH_NOT_FLOAT = 'ERR hash value is not a float';
const ERR_NAN_OR_INF = 'ERR value is NaN or Infinity';
const ERR_OUT_OF_RANGE = 'ERR value is out of range';
const ERR_COUNT_RANGE = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
/** C's LONG_MAX / 2: the bound on HRANDFIELD's count with WITHVALUES. */
const HALF_LONG_MAX = 4611686018427387903n;

// ---- lookups ----

function asHash(v: Value): Hash {
  if (typeof v === 'string' || v.type !== 'hash') throw new ReplyError(Err.wrongType);
  return v as Hash;
}

/** The hash at key for a read command (counts a hit or miss, refreshes the access clock), or undefined. */
function readHash(c: Client, key: string): Hash | undefined {
  const db = c.db;
  const e = db.lookupRead(key);
  return e === undefined ? undefined : asHash(db.vals[e]!);
}

/** The entry at key for a write command, checked to hold a hash; undefined when the key is missing. */
function writeEntry(c: Client, key: string): Slot | undefined {
  return writeEntryOf(c, key, 'hash');
}

/** The hash to change at key's entry e: a new one when missing, else the stored one (the before-write hook is told). */
function hashToWrite(c: Client, key: string, e: Slot | undefined): Hash {
  if (e === undefined) return new Hash();
  c.db.willWrite(key);
  return c.db.vals[e] as Hash;
}

/** Stores a changed hash: a new non-empty one is added, a changed one is signalled, an emptied one is deleted. */
function storeHash(c: Client, key: string, e: Slot | undefined, h: Hash): void {
  const db = c.db;
  if (e === undefined) {
    if (h.size > 0) db.set(key, h);
  } else if (h.size === 0) db.delete(key);
  else db.update(key, e, h);
}

/**
 * Runs `mutate` on the hash at key (a new one when missing) and stores the result (storeHash). `mutate` returns
 * whether it changed anything.
 */
function modifyHash(c: Client, key: string, e: Slot | undefined, mutate: (h: Hash) => boolean): void {
  const h = hashToWrite(c, key, e);
  if (mutate(h)) storeHash(c, key, e, h);
}

// ---- HSET, HMSET, HSETNX ----

function hsetGeneric(c: Client, argv: string[], name: string): void {
  if (argv.length % 2 === 1) throw new ReplyError(Err.wrongArgs(name));
  const key = argv[1]!;
  // modifyHash's two steps without its closure (a closure per HSET is garbage per HSET): HSET always changes it.
  const e = writeEntry(c, key);
  const h = hashToWrite(c, key, e);
  let added = 0;
  for (let j = 2; j < argv.length; j += 2) if (h.set(argv[j]!, argv[j + 1]!)) added++;
  storeHash(c, key, e, h);
  c.server.keyspace.dirty += (argv.length - 2) / 2;
  // Redis replies before it sends the event (a RESP3 client subscribed to its own events sees the order).
  if (name === 'hset') c.w.integer(added);
  else c.w.ok();
  notify(c.server, NOTIFY_HASH, 'hset', key, c.db.id);
}

function hsetCommand(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, 'hset');
}

function hmsetCommand(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, 'hmset');
}

function hsetnxCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const field = argv[2]!;
  const e = writeEntry(c, key);
  if (e !== undefined && (c.db.vals[e]! as Hash).has(field)) return c.w.integer(0);
  modifyHash(c, key, e, (h) => h.set(field, argv[3]!));
  c.server.keyspace.dirty++;
  c.w.integer(1); // the reply first, then the event, as in Redis
  notify(c.server, NOTIFY_HASH, 'hset', key, c.db.id);
}

// ---- reads ----

function hgetCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]!);
  const v = h?.get(argv[2]!);
  if (v === undefined) c.w.null();
  else c.w.bulk(v);
}

function hmgetCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]!);
  c.w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const v = h?.get(argv[j]!);
    if (v === undefined) c.w.null();
    else c.w.bulk(v);
  }
}

function hlenCommand(c: Client, argv: string[]): void {
  c.w.integer(readHash(c, argv[1]!)?.size ?? 0);
}

function hstrlenCommand(c: Client, argv: string[]): void {
  c.w.integer(readHash(c, argv[1]!)?.get(argv[2]!)?.length ?? 0);
}

function hexistsCommand(c: Client, argv: string[]): void {
  c.w.integer(readHash(c, argv[1]!)?.has(argv[2]!) ? 1 : 0);
}

function hkeysCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]!);
  const n = h?.size ?? 0;
  c.w.array(n);
  for (let i = 0; i < n; i++) c.w.bulk(h!.fieldAt(i));
}

function hvalsCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]!);
  const n = h?.size ?? 0;
  c.w.array(n);
  for (let i = 0; i < n; i++) c.w.bulk(h!.valueAt(i));
}

function hgetallCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]!);
  const n = h?.size ?? 0;
  c.w.map(n);
  for (let i = 0; i < n; i++) {
    c.w.bulk(h!.fieldAt(i));
    c.w.bulk(h!.valueAt(i));
  }
}

// ---- HDEL ----

function hdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const e = writeEntry(c, key);
  if (e === undefined) return c.w.integer(0);
  const hash = c.db.vals[e] as Hash;
  let deleted = 0;
  modifyHash(c, key, e, (h) => {
    for (let j = 2; j < argv.length; j++) {
      if (h.delete(argv[j]!)) {
        deleted++;
        if (h.size === 0) break;
      }
    }
    return deleted > 0;
  });
  c.server.keyspace.dirty += deleted;
  if (deleted > 0) {
    notify(c.server, NOTIFY_HASH, 'hdel', key, c.db.id);
    if (hash.size === 0) notify(c.server, NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  c.w.integer(deleted);
}

// ---- HINCRBY, HINCRBYFLOAT ----

function hincrbyCommand(c: Client, argv: string[]): void {
  // Safe numbers for short texts, bigints past them (as INCR): a counter's usual case makes no BigInt.
  const incrText = argv[3]!;
  const incr = incrText.length < 16 ? parseInteger(incrText) : parseLL(incrText);
  if (incr === undefined) throw new ReplyError(Err.notInteger);
  const key = argv[1]!;
  const field = argv[2]!;
  const e = writeEntry(c, key);
  let current: number | bigint = 0;
  const old = e === undefined ? undefined : (c.db.vals[e]! as Hash).get(field);
  if (old !== undefined) {
    const v = old.length < 16 ? parseInteger(old) : parseLL(old);
    if (v === undefined) throw new ReplyError(ERR_HASH_NOT_INT);
    current = v;
  }
  let next: number | bigint;
  if (typeof current === 'number' && typeof incr === 'number' && Number.isSafeInteger(current + incr)) {
    next = current + incr;
  } else {
    next = BigInt(current) + BigInt(incr);
    if (next > LLONG_MAX || next < LLONG_MIN) throw new ReplyError(Err.overflow);
  }
  // modifyHash's two steps without its closure (garbage per call); HINCRBY always changes the hash.
  const h = hashToWrite(c, key, e);
  h.set(field, typeof next === 'number' ? intText(next) : next.toString());
  storeHash(c, key, e, h);
  c.server.keyspace.dirty++;
  c.w.integer(next); // the reply first, then the event, as in Redis
  notify(c.server, NOTIFY_HASH, 'hincrby', key, c.db.id);
}

function hincrbyfloatCommand(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]!);
  if (incr === undefined) throw new ReplyError(Err.notFloat);
  if (incr.kind !== 'finite') throw new ReplyError(ERR_NAN_OR_INF);
  const key = argv[1]!;
  const field = argv[2]!;
  const e = writeEntry(c, key);
  let current = longDoubleFromBigInt(0n);
  const old = e === undefined ? undefined : (c.db.vals[e]! as Hash).get(field);
  if (old !== undefined) {
    const v = parseLongDouble(old);
    if (v === undefined) throw new ReplyError(ERR_HASH_NOT_FLOAT);
    current = v;
  }
  const sum = addLongDouble(current, incr);
  if (sum.kind !== 'finite') throw new ReplyError(Err.incrFloatNaN);
  const text = formatLongDoubleHuman(sum);
  modifyHash(c, key, e, (h) => {
    h.set(field, text);
    return true;
  });
  c.server.keyspace.dirty++;
  // Float arithmetic is not replayed: the effect is the value it produced.
  c.effectArgv = ['HSET', key, field, text];
  c.w.bulk(text); // the reply first, then the event, as in Redis
  notify(c.server, NOTIFY_HASH, 'hincrbyfloat', key, c.db.id);
}

// ---- HRANDFIELD ----

function hrandfieldCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length === 2) {
    const h = readHash(c, key);
    if (h === undefined) return c.w.null();
    c.w.bulk(h.fieldAt(h.randomSlot()));
    return;
  }
  const l = parseLL(argv[2]!);
  if (l === undefined) throw new ReplyError(Err.notInteger);
  if (l < -LLONG_MAX) throw new ReplyError(ERR_COUNT_RANGE);
  let withValues = false;
  if (argv.length > 4 || (argv.length === 4 && !is(argv[3]!, 'withvalues'))) throw new ReplyError(Err.syntax);
  if (argv.length === 4) {
    withValues = true;
    if (l < -HALF_LONG_MAX || l > HALF_LONG_MAX) throw new ReplyError(ERR_OUT_OF_RANGE);
  }
  const h = readHash(c, key);
  const w = c.w;
  if (h === undefined || l === 0n) return w.array(0);
  const size = h.size;
  const pairs = withValues && w.proto === 3;
  const emit = (slot: number): void => {
    if (pairs) w.array(2);
    w.bulk(h.fieldAt(slot));
    if (withValues) w.bulk(h.valueAt(slot));
  };
  if (l < 0n) {
    // Negative count: that many picks, the same field possibly more than once.
    const count = Number(-l);
    w.array(withValues && !pairs ? count * 2 : count);
    for (let i = 0; i < count; i++) emit(h.randomSlot());
    return;
  }
  if (l >= BigInt(size)) {
    // The whole hash, in its iteration order.
    w.array(withValues && !pairs ? size * 2 : size);
    for (let i = 0; i < size; i++) emit(i);
    return;
  }
  const count = Number(l);
  const slots = sampleDistinct(size, count);
  w.array(withValues && !pairs ? count * 2 : count);
  for (const s of slots) emit(s);
}

// ---- HSCAN ----

const EMPTY_SCAN = (c: Client): void => {
  c.w.array(2);
  c.w.bulk('0');
  c.w.array(0);
};

/** Parses SCAN-family options after the cursor (COUNT, MATCH); returns the count and a matcher (or undefined). */
export function parseScanOptions(
  argv: string[],
  from: number,
): { count: number; match: ((s: string) => boolean) | undefined } {
  let count = 10;
  let match: ((s: string) => boolean) | undefined;
  for (let i = from; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = argv.length - i;
    if (is(opt, 'count') && more >= 2) {
      count = intArg(argv[i + 1]!);
      if (count < 1) throw new ReplyError(Err.syntax);
    } else if (is(opt, 'match') && more >= 2) {
      const p = argv[i + 1]!;
      match = p === '*' ? undefined : compileGlob(p);
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  return { count, match };
}

function hscanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === undefined) throw new ReplyError(ERR_INVALID_CURSOR);
  const h = readHash(c, argv[1]!);
  if (h === undefined) return EMPTY_SCAN(c);
  const { count, match } = parseScanOptions(argv, 3);
  const out: string[] = [];
  let next = '0';
  if (h.isListpack) {
    // Redis returns a small hash whole, in one call.
    for (let i = 0; i < h.size; i++) {
      const f = h.fieldAt(i);
      if (match === undefined || match(f)) out.push(f, h.valueAt(i));
    }
  } else {
    next = cursorsOf(c.db.ks).step(h.scanMap, cursor, count, (f, slot) => {
      if (match === undefined || match(f)) out.push(f, h.valueAt(slot));
    });
  }
  const w = c.w;
  w.array(2);
  w.bulk(next);
  w.array(out.length);
  for (const s of out) w.bulk(s);
}

// ---- snapshots ----

registerValueCodec({
  tag: 2,
  type: 'hash',
  encode: (v, w) => {
    const h = v as Hash;
    w.varint(h.size);
    for (let i = 0; i < h.size; i++) {
      w.str(h.fieldAt(i));
      w.str(h.valueAt(i));
    }
  },
  decode: (r) => {
    const n = r.varint();
    const h = new Hash();
    for (let i = 0; i < n; i++) {
      const f = r.str();
      if (!h.set(f, r.str())) throw new FormatError('duplicate hash field');
    }
    if (n === 0) throw new FormatError('empty hash');
    return h;
  },
});

// ---- the command table ----

const spec = rangeKeySpec;

const RW_UPDATE = [spec(['RW', 'UPDATE'])];
const RW_INSERT = [spec(['RW', 'INSERT'])];
const RW_DELETE = [spec(['RW', 'DELETE'])];
const RW_ACCESS_UPDATE = [spec(['RW', 'ACCESS', 'UPDATE'])];
const RO_ACCESS = [spec(['RO', 'ACCESS'])];
const RO = [spec(['RO'])];
const SCAN_COMPLEXITY =
  'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..';

export const hashCommands = [
  {
    name: 'hset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 2],
    keySpecs: RW_UPDATE,
    group: HASH,
    since: '2.0.0',
    summary: 'Set the string value of a hash field',
    complexity:
      'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      {
        name: 'field_value',
        type: 'block',
        flags: ['multiple'],
        args: [
          { name: 'field', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    handler: hsetCommand,
  },
  {
    name: 'hsetnx',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 2],
    keySpecs: RW_INSERT,
    group: HASH,
    since: '2.0.0',
    summary: 'Set the value of a hash field, only if the field does not exist',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
      { name: 'value', type: 'string' },
    ],
    handler: hsetnxCommand,
  },
  {
    name: 'hget',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO_ACCESS,
    group: HASH,
    since: '2.0.0',
    summary: 'Get the value of a hash field',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
    ],
    handler: hgetCommand,
  },
  {
    name: 'hmget',
    arity: -3,
    flags: ['readonly', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO_ACCESS,
    group: HASH,
    since: '2.0.0',
    summary: 'Get the values of all the given hash fields',
    complexity: 'O(N) where N is the number of fields being requested.',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string', flags: ['multiple'] },
    ],
    handler: hmgetCommand,
  },
  {
    name: 'hmset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 2],
    keySpecs: RW_UPDATE,
    group: HASH,
    since: '2.0.0',
    summary: 'Set multiple hash fields to multiple values',
    complexity: 'O(N) where N is the number of fields being set.',
    docFlags: ['deprecated'],
    deprecatedSince: '4.0.0',
    replacedBy: '`HSET` with multiple field-value pairs',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      {
        name: 'field_value',
        type: 'block',
        flags: ['multiple'],
        args: [
          { name: 'field', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    handler: hmsetCommand,
  },
  {
    name: 'hdel',
    arity: -3,
    flags: ['write', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RW_DELETE,
    group: HASH,
    since: '2.0.0',
    summary: 'Delete one or more hash fields',
    complexity: 'O(N) where N is the number of fields to be removed.',
    history: [['2.4.0', 'Accepts multiple `field` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string', flags: ['multiple'] },
    ],
    handler: hdelCommand,
  },
  {
    name: 'hlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    keySpecs: RO,
    group: HASH,
    since: '2.0.0',
    summary: 'Get the number of fields in a hash',
    complexity: 'O(1)',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: hlenCommand,
  },
  {
    name: 'hstrlen',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO,
    group: HASH,
    since: '3.2.0',
    summary: 'Get the length of the value of a hash field',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
    ],
    handler: hstrlenCommand,
  },
  {
    name: 'hexists',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO,
    group: HASH,
    since: '2.0.0',
    summary: 'Determine if a hash field exists',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
    ],
    handler: hexistsCommand,
  },
  {
    name: 'hkeys',
    arity: 2,
    flags: ['readonly'],
    acl: [HASH],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output_order'],
    group: HASH,
    since: '2.0.0',
    summary: 'Get all the fields in a hash',
    complexity: 'O(N) where N is the size of the hash.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: hkeysCommand,
  },
  {
    name: 'hvals',
    arity: 2,
    flags: ['readonly'],
    acl: [HASH],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output_order'],
    group: HASH,
    since: '2.0.0',
    summary: 'Get all the values in a hash',
    complexity: 'O(N) where N is the size of the hash.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: hvalsCommand,
  },
  {
    name: 'hgetall',
    arity: 2,
    flags: ['readonly'],
    acl: [HASH],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output_order'],
    group: HASH,
    since: '2.0.0',
    summary: 'Get all the fields and values in a hash',
    complexity: 'O(N) where N is the size of the hash.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: hgetallCommand,
  },
  {
    name: 'hincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 2],
    keySpecs: RW_ACCESS_UPDATE,
    group: HASH,
    since: '2.0.0',
    summary: 'Increment the integer value of a hash field by the given number',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'integer' },
    ],
    handler: hincrbyCommand,
  },
  {
    name: 'hincrbyfloat',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    acl: [HASH],
    keys: [1, 1, 1],
    members: [2, 2],
    keySpecs: RW_ACCESS_UPDATE,
    group: HASH,
    since: '2.6.0',
    summary: 'Increment the float value of a hash field by the given amount',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'double' },
    ],
    handler: hincrbyfloatCommand,
  },
  {
    name: 'hrandfield',
    arity: -2,
    flags: ['readonly'],
    acl: [HASH],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output'],
    group: HASH,
    since: '6.2.0',
    summary: 'Get one or multiple random fields from a hash',
    complexity: 'O(N) where N is the number of fields returned',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      {
        name: 'options',
        type: 'block',
        flags: ['optional'],
        args: [
          { name: 'count', type: 'integer' },
          { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', flags: ['optional'] },
        ],
      },
    ],
    handler: hrandfieldCommand,
  },
  {
    name: 'hscan',
    arity: -3,
    flags: ['readonly'],
    acl: [HASH],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output'],
    group: HASH,
    since: '2.8.0',
    summary: 'Incrementally iterate hash fields and associated values',
    complexity: SCAN_COMPLEXITY,
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', flags: ['optional'] },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
    ],
    handler: hscanCommand,
  },
] as const satisfies readonly CommandSpec[];
