// The keyspace (generic) commands: DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, COPY, MOVE, TOUCH, KEYS, SCAN,
// RANDOMKEY, the EXPIRE family, TTL family, PERSIST, and the database-wide DBSIZE, FLUSHDB, FLUSHALL, SWAPDB.
// Everything here is generic over the stored value: strings and collections alike.

import { Err, ReplyError, cstr } from '../errors.js';
import type { Client } from '../server/client.js';
import { LRU_CLOCK_MASK, typeOf, type Database, type Key, type Value } from '../keyspace/db.js';
import { compileGlob, isPlainPattern } from '../keyspace/glob.js';
import { ERR_INVALID_CURSOR, cursorsOf, parseCursor } from '../keyspace/scan.js';
import { getExpireExact, setExpireExact } from '../keyspace/expire.js';
import { notify, NOTIFY_GENERIC } from '../keyspace/notify.js';
import { intArg, is, parseInteger, parseLL } from './args.js';
import { type ArgSpec, type CommandSpec, rangeKeySpec } from './spec.js';

const GENERIC = 'generic';
const SERVER = 'server';

const ERR_NX_XX_GT_LT = 'ERR NX and XX, GT or LT options at the same time are not compatible';
const ERR_GT_LT = 'ERR GT and LT options at the same time are not compatible';
const ERR_FIRST_DB = 'ERR invalid first DB index';
const ERR_SECOND_DB = 'ERR invalid second DB index';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

const ERR_INT_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';

/**
 * A C int argument as getIntFromObjectOrReply reads it: not a 64-bit integer → `err` (or the standard error);
 * outside 32 bits → `err` (or the range error).
 */
function int32Arg(s: string, err?: string): number {
  const v = parseInteger(s);
  if (v === undefined) throw new ReplyError(err ?? Err.notInteger);
  if (v < -2147483648 || v > 2147483647) throw new ReplyError(err ?? ERR_INT_RANGE);
  return v;
}

/** The database a DB argument names, or Redis's errors (not an int; out of range). */
function dbArg(c: Client, s: string): Database {
  const id = int32Arg(s);
  const db = c.server.keyspace.dbs[id];
  if (id < 0 || db === undefined) throw new ReplyError(Err.dbIndexOutOfRange);
  return db;
}

function copyValue(v: Value): Value {
  return typeof v === 'string' ? v : v.clone();
}

// ---- DEL, UNLINK, EXISTS, TYPE, TOUCH ----

function delCommand(c: Client, argv: string[]): void {
  const db = c.db;
  // UNLINK frees lazily, DEL when lazyfree-lazy-user-del is on (counted in INFO lazyfreed_objects).
  const lazy = argv[0]!.length === 6 || db.ks.lazyfree.userDel;
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    const k = argv[j]!;
    if (db.lookup(k) !== undefined && db.delete(k, lazy)) {
      notify(c.server, NOTIFY_GENERIC, 'del', k, db.id);
      n++;
    }
  }
  c.server.keyspace.dirty += n;
  c.w.integer(n);
}

function existsCommand(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (db.lookupRead(argv[j]!, false) !== undefined) n++;
  c.w.integer(n);
}

function typeCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const e = db.lookupRead(argv[1]!, false);
  c.w.simple(e === undefined ? 'none' : typeOf(db.vals[e]!));
}

function touchCommand(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (db.lookupRead(argv[j]!, true) !== undefined) n++;
  c.w.integer(n);
}

// ---- RENAME, RENAMENX, MOVE, COPY ----

/** Moves `srcKey`'s entry (value, access clock and TTL) from `src` to `dst` as `dstKey`; `dstKey` must be free. */
function transferEntry(src: Database, srcKey: Key, dst: Database, dstKey: Key): void {
  const when = getExpireExact(src, srcKey);
  const e = src.remove(srcKey)!;
  src.ks.changed(src, srcKey, 'del');
  dst.insertEntry(dstKey, e.v, e.lru);
  if (when !== undefined) setExpireExact(dst, dstKey, when);
  dst.ks.changed(dst, dstKey, 'new');
}

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const src = argv[1]!;
  const dst = argv[2]!;
  if (db.lookupWrite(src) === undefined) throw new ReplyError(Err.noSuchKey);
  if (src === dst) {
    if (nx) c.w.integer(0);
    else c.w.ok();
    return;
  }
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) {
      c.w.integer(0);
      return;
    }
    db.delete(dst);
  }
  transferEntry(db, src, db, dst);
  c.server.keyspace.dirty++;
  notify(c.server, NOTIFY_GENERIC, 'rename_from', src, db.id);
  notify(c.server, NOTIFY_GENERIC, 'rename_to', dst, db.id);
  if (nx) c.w.integer(1);
  else c.w.ok();
}

function renameCommand(c: Client, argv: string[]): void {
  renameGeneric(c, argv, false);
}

function renamenxCommand(c: Client, argv: string[]): void {
  renameGeneric(c, argv, true);
}

function moveCommand(c: Client, argv: string[]): void {
  const src = c.db;
  const dst = dbArg(c, argv[2]!);
  if (dst === src) throw new ReplyError(Err.sameObject);
  const key = argv[1]!;
  if (src.lookupWrite(key) === undefined || dst.lookupWrite(key) !== undefined) {
    c.w.integer(0);
    return;
  }
  transferEntry(src, key, dst, key);
  c.server.keyspace.dirty++;
  notify(c.server, NOTIFY_GENERIC, 'move_from', key, src.id);
  notify(c.server, NOTIFY_GENERIC, 'move_to', key, dst.id);
  c.w.integer(1);
}

function copyCommand(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (is(opt, 'replace')) {
      replace = true;
    } else if (is(opt, 'db') && j + 1 < argv.length) {
      dst = dbArg(c, argv[++j]!);
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  const key = argv[1]!;
  const newKey = argv[2]!;
  if (src === dst && key === newKey) throw new ReplyError(Err.sameObject);
  const e = src.lookupRead(key);
  if (e === undefined) {
    c.w.integer(0);
    return;
  }
  const v = src.vals[e]!;
  const flags = src.lru[e]! & ~LRU_CLOCK_MASK;
  const when = getExpireExact(src, key);
  if (dst.lookupWrite(newKey) !== undefined) {
    if (!replace) {
      c.w.integer(0);
      return;
    }
    dst.delete(newKey);
  }
  dst.set(newKey, copyValue(v));
  dst.markEncoding(newKey, flags);
  if (when !== undefined) setExpireExact(dst, newKey, when);
  c.server.keyspace.dirty++;
  notify(c.server, NOTIFY_GENERIC, 'copy_to', newKey, dst.id);
  c.w.integer(1);
}

// ---- KEYS, SCAN, RANDOMKEY ----

function keysCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const ks = db.ks;
  const pattern = argv[1]!;
  const plain = isPlainPattern(pattern);
  const live = (k: Key): boolean => {
    if (db.expires.size === 0) return true;
    const when = db.expires.get(k);
    return when === undefined || !ks.isExpired(when);
  };
  if (plain !== undefined) {
    // No wildcard: at most one key can match, so look it up instead of walking the keyspace.
    if (db.dict.has(plain) && live(plain)) {
      c.w.array(1);
      c.w.bulk(plain);
    } else {
      c.w.array(0);
    }
    return;
  }
  const out: Key[] = [];
  if (pattern === '*') {
    for (const k of db.dict.keys()) if (live(k)) out.push(k);
  } else {
    const match = compileGlob(pattern);
    for (const k of db.dict.keys()) if (match(k) && live(k)) out.push(k);
  }
  c.w.array(out.length);
  for (const k of out) c.w.bulk(k);
}

function scanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[1]!);
  if (cursor === undefined) throw new ReplyError(ERR_INVALID_CURSOR);
  let count = 10;
  let pattern: string | undefined;
  let typeName: string | undefined;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = argv.length - i;
    if (is(opt, 'count') && more >= 2) {
      count = intArg(argv[i + 1]!);
      if (count < 1) throw new ReplyError(Err.syntax);
    } else if (is(opt, 'match') && more >= 2) {
      pattern = argv[i + 1]!;
    } else if (is(opt, 'type') && more >= 2) {
      typeName = argv[i + 1]!.toLowerCase();
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  const db = c.db;
  const ks = db.ks;
  // "*" matches everything, so Redis skips matching for it.
  const match = pattern === undefined || pattern === '*' ? undefined : compileGlob(pattern);
  const out: Key[] = [];
  const next = cursorsOf(ks).step(db.dict, cursor, count, (k) => {
    if (match !== undefined && !match(k)) return;
    if (typeName !== undefined) {
      // As Redis: the type lookup counts as a read (and expires the key); an expired key has type "none".
      const e = db.lookupRead(k, false);
      if ((e === undefined ? 'none' : typeOf(db.vals[e]!)) !== typeName) return;
      if (e === undefined) {
        out.push(k);
        return;
      }
    }
    if (db.expires.size !== 0) {
      const when = db.expires.get(k);
      if (when !== undefined && ks.isExpired(when)) {
        db.expireNow(k);
        return;
      }
    }
    out.push(k);
  });
  c.w.array(2);
  c.w.bulk(next);
  c.w.array(out.length);
  for (const k of out) c.w.bulk(k);
}

function randomkeyCommand(c: Client): void {
  const db = c.db;
  const ks = db.ks;
  for (;;) {
    const k = db.sampleKey();
    if (k === undefined) return c.w.null();
    const when = db.expires.size === 0 ? undefined : db.expires.get(k);
    if (when !== undefined && ks.isExpired(when)) {
      db.expireNow(k);
      continue;
    }
    c.w.bulk(k);
    return;
  }
}

// ---- EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST ----

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

function parseExpireFlags(argv: string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (is(opt, 'nx')) flags |= EXPIRE_NX;
    else if (is(opt, 'xx')) flags |= EXPIRE_XX;
    else if (is(opt, 'gt')) flags |= EXPIRE_GT;
    else if (is(opt, 'lt')) flags |= EXPIRE_LT;
    else throw new ReplyError(`ERR Unsupported option ${cstr(opt)}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) throw new ReplyError(ERR_NX_XX_GT_LT);
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) throw new ReplyError(ERR_GT_LT);
  return flags;
}

/** a < b → negative, a = b → 0, a > b → positive; exact for any mix of safe integers and bigints. */
function cmpInt(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The absolute expiry in ms that an EXPIRE-family argument asks for, or the 'invalid expire time' error on 64-bit
 * overflow. A number when it is exact as one, else a bigint.
 */
function expireWhen(arg: string, relative: boolean, seconds: boolean, now: number, cmd: string): number | bigint {
  if (arg.length <= (seconds ? 12 : 15)) {
    // |arg| < 10^12 s or 10^15 ms: the result stays well inside the safe-integer range.
    const v = parseInteger(arg);
    if (v === undefined) throw new ReplyError(Err.notInteger);
    return (seconds ? v * 1000 : v) + (relative ? now : 0);
  }
  let when = parseLL(arg);
  if (when === undefined) throw new ReplyError(Err.notInteger);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) throw new ReplyError(Err.invalidExpire(cmd));
    when *= 1000n;
  }
  const base = relative ? BigInt(now) : 0n;
  if (when > LLONG_MAX - base) throw new ReplyError(Err.invalidExpire(cmd));
  when += base;
  return Number.isSafeInteger(Number(when)) ? Number(when) : when;
}

function expireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean, cmd: string): void {
  const flags = parseExpireFlags(argv);
  const ks = c.server.keyspace;
  const when = expireWhen(argv[2]!, relative, seconds, ks.timeNow, cmd);
  const db = c.db;
  const key = argv[1]!;
  if (db.lookupWrite(key) === undefined) {
    c.w.integer(0);
    return;
  }
  if (flags !== 0) {
    const current = getExpireExact(db, key);
    if (flags & EXPIRE_NX && current !== undefined) return c.w.integer(0);
    if (flags & EXPIRE_XX && current === undefined) return c.w.integer(0);
    // No TTL counts as an infinite one: never less than GT's time, and LT always succeeds.
    if (flags & EXPIRE_GT && (current === undefined || cmpInt(when, current) <= 0)) return c.w.integer(0);
    if (flags & EXPIRE_LT && current !== undefined && cmpInt(when, current) >= 0) return c.w.integer(0);
  }
  if (cmpInt(when, ks.timeNow) <= 0 && !ks.frozenExpiry) {
    // A time already past deletes the key at once, replicated as a DEL.
    db.delete(key);
    ks.dirty++;
    c.effectArgv = ['DEL', key];
    notify(c.server, NOTIFY_GENERIC, 'del', key, db.id);
    c.w.integer(1);
    return;
  }
  if (typeof when === 'number') db.setExpire(key, when);
  else setExpireExact(db, key, when);
  ks.changed(db, key, 'set');
  ks.dirty++;
  const eff = argv.slice();
  eff[0] = 'PEXPIREAT';
  eff[2] = String(when);
  c.effectArgv = eff;
  // Redis replies before it sends the event (a RESP3 client subscribed to its own events sees the order).
  c.w.integer(1);
  notify(c.server, NOTIFY_GENERIC, 'expire', key, db.id);
}

function expireCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, true, true, 'expire');
}
function pexpireCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, true, false, 'pexpire');
}
function expireatCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, false, true, 'expireat');
}
function pexpireatCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, false, false, 'pexpireat');
}

function persistCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1]!;
  if (db.lookupWrite(key) !== undefined && db.persist(key)) {
    db.ks.changed(db, key, 'set');
    db.ks.dirty++;
    notify(c.server, NOTIFY_GENERIC, 'persist', key, db.id);
    c.w.integer(1);
  } else {
    c.w.integer(0);
  }
}

// ---- TTL, PTTL, EXPIRETIME, PEXPIRETIME ----

function ttlGeneric(c: Client, argv: string[], ms: boolean, absolute: boolean): void {
  const db = c.db;
  const key = argv[1]!;
  if (db.lookupRead(key, false) === undefined) return c.w.integer(-2);
  const when = db.getExpire(key);
  if (when === undefined) return c.w.integer(-1);
  if (Number.isSafeInteger(when)) {
    let t = absolute ? when : when - db.ks.timeNow;
    if (t < 0) t = 0;
    c.w.integer(ms ? t : Math.floor((t + 500) / 1000));
    return;
  }
  let t = getExpireExact(db, key)! - (absolute ? 0n : BigInt(db.ks.timeNow));
  if (t < 0n) t = 0n;
  c.w.integer(ms ? t : (t + 500n) / 1000n);
}

function ttlCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, false, false);
}
function pttlCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, true, false);
}
function expiretimeCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, false, true);
}
function pexpiretimeCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, true, true);
}

// ---- DBSIZE, FLUSHDB, FLUSHALL, SWAPDB ----

function dbsizeCommand(c: Client): void {
  c.w.integer(c.db.size);
}

/**
 * FLUSHDB/FLUSHALL take nothing, ASYNC or SYNC: whether the flush is lazy (ASYNC, or nothing with
 * lazyfree-lazy-user-flush on). The collector frees the memory in the background either way; a lazy flush counts
 * its keys in INFO lazyfreed_objects, as Redis's background thread does.
 */
function flushIsLazy(c: Client, argv: string[]): boolean {
  if (argv.length === 1) return c.server.keyspace.lazyfree.userFlush;
  if (argv.length === 2 && is(argv[1]!, 'async')) return true;
  if (argv.length === 2 && is(argv[1]!, 'sync')) return false;
  throw new ReplyError(Err.syntax);
}

function flushdbCommand(c: Client, argv: string[]): void {
  const lazy = flushIsLazy(c, argv);
  const db = c.db;
  const n = db.size;
  if (lazy) db.ks.stats.lazyfreedObjects += n;
  db.clear();
  c.server.keyspace.dirty += n;
  // Propagated even when the database was already empty, as Redis forces it.
  c.server.effects.add(db.id, argv);
  c.preventPropagation = true;
  c.w.ok();
}

function flushallCommand(c: Client, argv: string[]): void {
  const lazy = flushIsLazy(c, argv);
  const ks = c.server.keyspace;
  let n = 0;
  for (const db of ks.dbs) {
    n += db.size;
    db.clear();
  }
  if (lazy) ks.stats.lazyfreedObjects += n;
  ks.dirty += n;
  // Propagated even when every database was already empty, as Redis forces it.
  c.server.effects.add(c.db.id, argv);
  c.preventPropagation = true;
  c.server.persistence.afterFlushAll();
  c.w.ok();
}

function swapdbCommand(c: Client, argv: string[]): void {
  const a = int32Arg(argv[1]!, ERR_FIRST_DB);
  const b = int32Arg(argv[2]!, ERR_SECOND_DB);
  const ks = c.server.keyspace;
  const n = ks.dbs.length;
  if (a < 0 || a >= n || b < 0 || b >= n) throw new ReplyError(Err.dbIndexOutOfRange);
  if (a !== b) ks.swap(a, b);
  ks.dirty++;
  c.w.ok();
}

// ---- the rows ----

const spec = rangeKeySpec;

const MULTI_KEY_TIPS = ['request_policy:multi_shard', 'response_policy:agg_sum'];
const EXPIRE_SPEC = [spec(['RW', 'UPDATE'], 1)];
const TTL_SPEC = [spec(['RO', 'ACCESS'], 1)];

const KEY_ARG: ArgSpec = { name: 'key', type: 'key', keySpecIndex: 0 };
const ONE_KEY_ARGS = [KEY_ARG];
const KEYS_ARGS: ArgSpec[] = [{ name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] }];
const EXPIRE_CONDITION_ARG: ArgSpec = {
  name: 'condition',
  type: 'oneof',
  since: '7.0.0',
  flags: ['optional'],
  args: [
    { name: 'nx', type: 'pure-token', token: 'NX' },
    { name: 'xx', type: 'pure-token', token: 'XX' },
    { name: 'gt', type: 'pure-token', token: 'GT' },
    { name: 'lt', type: 'pure-token', token: 'LT' },
  ],
};
const EXPIRE_HISTORY = [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']] as const;
const TTL_HISTORY = [['2.8.0', 'Added the -2 reply.']] as const;
const FLUSH_HISTORY = [
  ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
  ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
] as const;
const FLUSH_ARGS: ArgSpec[] = [
  {
    name: 'async',
    type: 'oneof',
    flags: ['optional'],
    args: [
      { name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' },
      { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' },
    ],
  },
];

export const keyCommands = [
  {
    name: 'del',
    arity: -2,
    flags: ['write'],
    acl: ['keyspace'],
    keys: [1, -1, 1],
    keySpecs: [spec(['RM', 'DELETE'], 1, -1)],
    tips: MULTI_KEY_TIPS,
    group: GENERIC,
    since: '1.0.0',
    summary: 'Delete a key',
    complexity:
      'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    args: KEYS_ARGS,
    handler: delCommand,
  },
  {
    name: 'unlink',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, -1, 1],
    keySpecs: [spec(['RM', 'DELETE'], 1, -1)],
    tips: MULTI_KEY_TIPS,
    group: GENERIC,
    since: '4.0.0',
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    complexity:
      'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    args: KEYS_ARGS,
    handler: delCommand,
  },
  {
    name: 'exists',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [1, -1, 1],
    keySpecs: [spec(['RO'], 1, -1)],
    tips: MULTI_KEY_TIPS,
    group: GENERIC,
    since: '1.0.0',
    summary: 'Determine if a key exists',
    complexity: 'O(N) where N is the number of keys to check.',
    history: [['3.0.3', 'Accepts multiple `key` arguments.']],
    args: KEYS_ARGS,
    handler: existsCommand,
  },
  {
    name: 'type',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: [spec(['RO'], 1)],
    group: GENERIC,
    since: '1.0.0',
    summary: 'Determine the type stored at key',
    complexity: 'O(1)',
    args: ONE_KEY_ARGS,
    handler: typeCommand,
  },
  {
    name: 'rename',
    arity: 3,
    flags: ['write'],
    acl: ['keyspace'],
    keys: [1, 2, 1],
    keySpecs: [spec(['RW', 'ACCESS', 'DELETE'], 1), spec(['OW', 'UPDATE'], 2)],
    group: GENERIC,
    since: '1.0.0',
    summary: 'Rename a key',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'newkey', type: 'key', keySpecIndex: 1 }],
    handler: renameCommand,
  },
  {
    name: 'renamenx',
    arity: 3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, 2, 1],
    keySpecs: [spec(['RW', 'ACCESS', 'DELETE'], 1), spec(['OW', 'INSERT'], 2)],
    group: GENERIC,
    since: '1.0.0',
    summary: 'Rename a key, only if the new key does not exist',
    complexity: 'O(1)',
    history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
    args: [KEY_ARG, { name: 'newkey', type: 'key', keySpecIndex: 1 }],
    handler: renamenxCommand,
  },
  {
    name: 'copy',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['keyspace'],
    keys: [1, 2, 1],
    keySpecs: [spec(['RO', 'ACCESS'], 1), spec(['OW', 'UPDATE'], 2)],
    group: GENERIC,
    since: '6.2.0',
    summary: 'Copy a key',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    args: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'destination-db', type: 'integer', token: 'DB', flags: ['optional'] },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', flags: ['optional'] },
    ],
    handler: copyCommand,
  },
  {
    name: 'move',
    arity: 3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: [spec(['RW', 'ACCESS', 'UPDATE'], 1)],
    group: GENERIC,
    since: '1.0.0',
    summary: 'Move a key to another database',
    complexity: 'O(1)',
    args: [KEY_ARG, { name: 'db', type: 'integer' }],
    handler: moveCommand,
  },
  {
    name: 'touch',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [1, -1, 1],
    keySpecs: [spec(['RO'], 1, -1)],
    tips: MULTI_KEY_TIPS,
    group: GENERIC,
    since: '3.2.1',
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    complexity: 'O(N) where N is the number of keys that will be touched.',
    args: KEYS_ARGS,
    handler: touchCommand,
  },
  {
    name: 'keys',
    arity: 2,
    flags: ['readonly'],
    acl: ['keyspace', 'dangerous'],
    keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    group: GENERIC,
    since: '1.0.0',
    summary: 'Find all keys matching the given pattern',
    complexity:
      'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    args: [{ name: 'pattern', type: 'pattern' }],
    handler: keysCommand,
  },
  {
    name: 'scan',
    arity: -2,
    flags: ['readonly'],
    acl: ['keyspace'],
    keys: [0, 0, 0],
    tips: ['nondeterministic_output', 'request_policy:special'],
    group: GENERIC,
    since: '2.8.0',
    summary: 'Incrementally iterate the keys space',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    history: [['6.0.0', 'Added the `TYPE` subcommand.']],
    args: [
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', flags: ['optional'] },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
      { name: 'type', type: 'string', token: 'TYPE', since: '6.0.0', flags: ['optional'] },
    ],
    handler: scanCommand,
  },
  {
    name: 'randomkey',
    arity: 1,
    flags: ['readonly'],
    acl: ['keyspace'],
    keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
    group: GENERIC,
    since: '1.0.0',
    summary: 'Return a random key from the keyspace',
    complexity: 'O(1)',
    handler: randomkeyCommand,
  },
  {
    name: 'expire',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: EXPIRE_SPEC,
    group: GENERIC,
    since: '1.0.0',
    summary: "Set a key's time to live in seconds",
    complexity: 'O(1)',
    history: EXPIRE_HISTORY,
    args: [KEY_ARG, { name: 'seconds', type: 'integer' }, EXPIRE_CONDITION_ARG],
    handler: expireCommand,
  },
  {
    name: 'pexpire',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: EXPIRE_SPEC,
    group: GENERIC,
    since: '2.6.0',
    summary: "Set a key's time to live in milliseconds",
    complexity: 'O(1)',
    history: EXPIRE_HISTORY,
    args: [KEY_ARG, { name: 'milliseconds', type: 'integer' }, EXPIRE_CONDITION_ARG],
    handler: pexpireCommand,
  },
  {
    name: 'expireat',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: EXPIRE_SPEC,
    group: GENERIC,
    since: '1.2.0',
    summary: 'Set the expiration for a key as a UNIX timestamp',
    complexity: 'O(1)',
    history: EXPIRE_HISTORY,
    args: [KEY_ARG, { name: 'unix-time-seconds', type: 'unix-time' }, EXPIRE_CONDITION_ARG],
    handler: expireatCommand,
  },
  {
    name: 'pexpireat',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: EXPIRE_SPEC,
    group: GENERIC,
    since: '2.6.0',
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds',
    complexity: 'O(1)',
    history: EXPIRE_HISTORY,
    args: [KEY_ARG, { name: 'unix-time-milliseconds', type: 'unix-time' }, EXPIRE_CONDITION_ARG],
    handler: pexpireatCommand,
  },
  {
    name: 'ttl',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: TTL_SPEC,
    tips: ['nondeterministic_output'],
    group: GENERIC,
    since: '1.0.0',
    summary: 'Get the time to live for a key in seconds',
    complexity: 'O(1)',
    history: TTL_HISTORY,
    args: ONE_KEY_ARGS,
    handler: ttlCommand,
  },
  {
    name: 'pttl',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: TTL_SPEC,
    tips: ['nondeterministic_output'],
    group: GENERIC,
    since: '2.6.0',
    summary: 'Get the time to live for a key in milliseconds',
    complexity: 'O(1)',
    history: TTL_HISTORY,
    args: ONE_KEY_ARGS,
    handler: pttlCommand,
  },
  {
    name: 'expiretime',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: TTL_SPEC,
    group: GENERIC,
    since: '7.0.0',
    summary: 'Get the expiration Unix timestamp for a key',
    complexity: 'O(1)',
    args: ONE_KEY_ARGS,
    handler: expiretimeCommand,
  },
  {
    name: 'pexpiretime',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: TTL_SPEC,
    group: GENERIC,
    since: '7.0.0',
    summary: 'Get the expiration Unix timestamp for a key in milliseconds',
    complexity: 'O(1)',
    args: ONE_KEY_ARGS,
    handler: pexpiretimeCommand,
  },
  {
    name: 'persist',
    arity: 2,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: [1, 1, 1],
    keySpecs: EXPIRE_SPEC,
    group: GENERIC,
    since: '2.2.0',
    summary: 'Remove the expiration from a key',
    complexity: 'O(1)',
    args: ONE_KEY_ARGS,
    handler: persistCommand,
  },
  {
    name: 'dbsize',
    arity: 1,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
    group: SERVER,
    since: '1.0.0',
    summary: 'Return the number of keys in the selected database',
    complexity: 'O(1)',
    handler: dbsizeCommand,
  },
  {
    name: 'flushdb',
    arity: -1,
    flags: ['write'],
    acl: ['keyspace', 'dangerous'],
    keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    group: SERVER,
    since: '1.0.0',
    summary: 'Remove all keys from the current database',
    complexity: 'O(N) where N is the number of keys in the selected database',
    history: FLUSH_HISTORY,
    args: FLUSH_ARGS,
    handler: flushdbCommand,
  },
  {
    name: 'flushall',
    arity: -1,
    flags: ['write'],
    acl: ['keyspace', 'dangerous'],
    keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    group: SERVER,
    since: '1.0.0',
    summary: 'Remove all keys from all databases',
    complexity: 'O(N) where N is the total number of keys in all databases',
    history: FLUSH_HISTORY,
    args: FLUSH_ARGS,
    handler: flushallCommand,
  },
  {
    name: 'swapdb',
    arity: 3,
    flags: ['write', 'fast'],
    acl: ['keyspace', 'dangerous'],
    keys: [0, 0, 0],
    group: SERVER,
    since: '4.0.0',
    summary: 'Swaps two Redis databases',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    args: [
      { name: 'index1', type: 'integer' },
      { name: 'index2', type: 'integer' },
    ],
    handler: swapdbCommand,
  },
] as const satisfies readonly CommandSpec[];
