// Set commands: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SRANDMEMBER, SPOP, SMOVE, SINTER, SINTERCARD,
// SUNION, SDIFF, SINTERSTORE, SUNIONSTORE, SDIFFSTORE, SSCAN. The data structure is src/types/random-set.ts.

import { writeEntryOf } from './lookup.js';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { Slot, Value } from '../keyspace/db.js';
import { ERR_INVALID_CURSOR, cursorsOf, parseCursor } from '../keyspace/scan.js';
import { RandomSet, sampleDistinct } from '../types/random-set.js';
import { registerValueCodec } from '../persistence/codecs.js';
import { FormatError } from '../persistence/bytes.js';
import { is, parseLL } from './args.js';
import { parseScanOptions } from './hash.js';
import { notify, NOTIFY_GENERIC, NOTIFY_SET } from '../keyspace/notify.js';
import { type CommandSpec, rangeKeySpec } from './spec.js';

const SET = 'set';

const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_COUNT_RANGE = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';
const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_NUMKEYS_ARGS = "ERR Number of keys can't be greater than number of args";
const ERR_LIMIT = "ERR LIMIT can't be negative";

const LLONG_MAX = 9223372036854775807n;

// ---- lookups ----

function asSet(v: Value): RandomSet {
  if (typeof v === 'string' || v.type !== 'set') throw new ReplyError(Err.wrongType);
  return v as RandomSet;
}

/** The set at key for a read command (counts a hit or miss, refreshes the access clock), or undefined. */
function readSet(c: Client, key: string): RandomSet | undefined {
  const db = c.db;
  const e = db.lookupRead(key);
  return e === undefined ? undefined : asSet(db.vals[e]!);
}

/** The entry at key for a write command, checked to hold a set; undefined when the key is missing. */
function writeEntry(c: Client, key: string): Slot | undefined {
  return writeEntryOf(c, key, 'set');
}

/**
 * Signals a change made to the set at key in place and announces it as `event`, deleting the key when the set is
 * now empty (announced as `del` after the event, as Redis does).
 */
function changed(c: Client, key: string, e: Slot, event: string): void {
  notify(c.server, NOTIFY_SET, event, key, c.db.id);
  const v = c.db.vals[e]!;
  if ((v as RandomSet).size === 0) {
    c.db.delete(key);
    notify(c.server, NOTIFY_GENERIC, 'del', key, c.db.id);
  } else {
    c.db.update(key, e, v);
  }
}

/** Replies with members as a set (RESP3 `~`, RESP2 array). */
function replyMembers(c: Client, members: readonly string[]): void {
  c.w.set(members.length);
  for (const m of members) c.w.bulk(m);
}

// ---- SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS ----

function saddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const e = writeEntry(c, key);
  let added = 0;
  if (e === undefined) {
    const s = new RandomSet();
    for (let j = 2; j < argv.length; j++) if (s.add(argv[j]!)) added++;
    c.db.set(key, s);
  } else {
    c.db.willWrite(key);
    const s = c.db.vals[e]! as RandomSet;
    for (let j = 2; j < argv.length; j++) if (s.add(argv[j]!)) added++;
    if (added > 0) c.db.update(key, e, s);
  }
  c.server.keyspace.dirty += added;
  if (added > 0) notify(c.server, NOTIFY_SET, 'sadd', key, c.db.id);
  c.w.integer(added);
}

function sremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const e = writeEntry(c, key);
  if (e === undefined) return c.w.integer(0);
  c.db.willWrite(key);
  const s = c.db.vals[e]! as RandomSet;
  let removed = 0;
  for (let j = 2; j < argv.length; j++) {
    if (s.delete(argv[j]!)) {
      removed++;
      if (s.size === 0) break;
    }
  }
  if (removed > 0) changed(c, key, e, 'srem');
  c.server.keyspace.dirty += removed;
  c.w.integer(removed);
}

function scardCommand(c: Client, argv: string[]): void {
  c.w.integer(readSet(c, argv[1]!)?.size ?? 0);
}

function sismemberCommand(c: Client, argv: string[]): void {
  c.w.integer(readSet(c, argv[1]!)?.has(argv[2]!) ? 1 : 0);
}

function smismemberCommand(c: Client, argv: string[]): void {
  const s = readSet(c, argv[1]!);
  c.w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.w.integer(s?.has(argv[j]!) ? 1 : 0);
}

function smembersCommand(c: Client, argv: string[]): void {
  const s = readSet(c, argv[1]!);
  replyMembers(c, s === undefined ? [] : s.ordered());
}

// ---- SRANDMEMBER, SPOP ----

function srandmemberCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length === 2) {
    const s = readSet(c, key);
    if (s === undefined) return c.w.null();
    c.w.bulk(s.random()!);
    return;
  }
  if (argv.length > 3) throw new ReplyError(Err.syntax);
  const l = parseLL(argv[2]!);
  if (l === undefined) throw new ReplyError(Err.notInteger);
  if (l < -LLONG_MAX) throw new ReplyError(ERR_COUNT_RANGE);
  const s = readSet(c, key);
  const w = c.w;
  if (s === undefined || l === 0n) return w.array(0);
  const size = s.size;
  if (l < 0n) {
    // Negative count: that many picks, the same member possibly more than once.
    const count = Number(-l);
    w.array(count);
    for (let i = 0; i < count; i++) w.bulk(s.random()!);
    return;
  }
  if (l >= BigInt(size)) {
    const all = s.ordered();
    w.array(all.length);
    for (const m of all) w.bulk(m);
    return;
  }
  const idx = sampleDistinct(size, Number(l));
  w.array(idx.length);
  for (const i of idx) w.bulk(s.at(i));
}

function spopCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length > 3) throw new ReplyError(Err.syntax);
  if (argv.length === 3) return spopWithCount(c, key, argv[2]!);
  const e = writeEntry(c, key);
  if (e === undefined) return c.w.null();
  c.db.willWrite(key);
  const s = c.db.vals[e]! as RandomSet;
  const m = s.popRandom()!;
  c.server.keyspace.dirty++;
  c.effectArgv = ['SREM', key, m];
  // As Redis orders them: the spop event, the reply, then the del of an emptied set.
  notify(c.server, NOTIFY_SET, 'spop', key, c.db.id);
  c.w.bulk(m);
  if (s.size === 0) {
    c.db.delete(key);
    notify(c.server, NOTIFY_GENERIC, 'del', key, c.db.id);
  } else {
    c.db.update(key, e, s);
  }
}

/** SPOP with a count keeps the remaining members in a new set when fewer than count / 5 remain (Redis's rule). */
const SPOP_MOVE_MUL = 5;

function spopWithCount(c: Client, key: string, countArg: string): void {
  const l = parseLL(countArg);
  if (l === undefined || l < 0n) throw new ReplyError(ERR_POSITIVE);
  const e = writeEntry(c, key);
  if (e === undefined || l === 0n) return replyMembers(c, []);
  const s = c.db.vals[e]! as RandomSet;
  const size = s.size;
  if (l >= BigInt(size)) {
    // The whole set goes: Redis replies with it as its union (an intset when it can be one) and deletes the key.
    const all = RandomSet.of(s.ordered()).ordered();
    // As Redis orders them: the spop event, the reply, then the del.
    notify(c.server, NOTIFY_SET, 'spop', key, c.db.id);
    replyMembers(c, all);
    c.db.delete(key);
    notify(c.server, NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.keyspace.dirty += size;
    c.effectArgv = ['DEL', key];
    return;
  }
  const count = Number(l);
  c.db.willWrite(key);
  let popped: string[];
  if ((size - count) * SPOP_MOVE_MUL > count) {
    popped = new Array<string>(count);
    for (let i = 0; i < count; i++) popped[i] = s.popRandom()!;
  } else {
    // Nearly the whole set goes: as Redis does, the few members that stay move to a new set (an intset again when
    // they can be one) and the old set, what is left of it, is the reply.
    const kept = new Array<string>(size - count);
    for (let i = 0; i < kept.length; i++) kept[i] = s.popRandom()!;
    popped = [...s.ordered()];
    c.db.vals[e] = RandomSet.of(kept);
  }
  changed(c, key, e, 'spop');
  c.server.keyspace.dirty += count;
  c.effectArgv = ['SREM', key, ...popped];
  replyMembers(c, popped);
}

// ---- SMOVE ----

function smoveCommand(c: Client, argv: string[]): void {
  const src = argv[1]!;
  const dst = argv[2]!;
  const member = argv[3]!;
  const db = c.db;
  // Write lookups: each counts an access (LRU/LFU), the same key twice when src is dst, as in Redis.
  const se = db.lookupWrite(src);
  const de = db.lookupWrite(dst);
  if (se === undefined) return c.w.integer(0);
  const from = asSet(db.vals[se]!);
  if (de !== undefined) asSet(db.vals[de]!);
  if (src === dst) return c.w.integer(from.has(member) ? 1 : 0);
  if (!from.has(member)) return c.w.integer(0);
  db.willWrite(src);
  from.delete(member);
  changed(c, src, se, 'srem');
  c.server.keyspace.dirty++;
  if (de === undefined) {
    db.set(dst, RandomSet.of([member]));
    c.server.keyspace.dirty++;
    notify(c.server, NOTIFY_SET, 'sadd', dst, db.id);
  } else {
    db.willWrite(dst);
    const to = db.vals[de] as RandomSet;
    if (to.add(member)) {
      c.server.keyspace.dirty++;
      db.update(dst, de, to);
      notify(c.server, NOTIFY_SET, 'sadd', dst, db.id);
    }
  }
  c.w.integer(1);
}

// ---- set algebra ----

/**
 * Looks up every key as a set (undefined for a missing key), raising WRONGTYPE for any key of another type.
 * These are read lookups for the store commands too (hits, misses and keymiss events), as in Redis 7.0.
 */
function lookupSets(c: Client, keys: readonly string[]): (RandomSet | undefined)[] {
  const out: (RandomSet | undefined)[] = [];
  for (const k of keys) {
    const e = c.db.lookupRead(k);
    out.push(e === undefined ? undefined : asSet(c.db.vals[e]!));
  }
  return out;
}

/**
 * The intersection, in the iteration order of the smallest set (sets sorted by size, stably), stopping once
 * `limit` members are found (0: no limit).
 */
function intersect(sets: (RandomSet | undefined)[], limit = 0): string[] {
  if (sets.some((s) => s === undefined)) return [];
  const sorted = (sets as RandomSet[]).slice().sort((a, b) => a.size - b.size);
  const first = sorted[0]!;
  const out: string[] = [];
  outer: for (const m of first.ordered()) {
    for (let j = 1; j < sorted.length; j++) {
      const s = sorted[j]!;
      if (s !== first && !s.has(m)) continue outer;
    }
    out.push(m);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

/** The union, built as Redis builds it: members added set after set into a new (initially intset) set. */
function union(sets: (RandomSet | undefined)[]): RandomSet {
  const r = new RandomSet();
  for (const s of sets) if (s !== undefined) for (const m of s.ordered()) r.add(m);
  return r;
}

/**
 * The difference of the first set and the others, built as Redis does: either by adding the first set's members
 * found in no other set, or (when the others are small) by copying the first set and removing the others'
 * members. Which way it goes decides the result's encoding, so it follows Redis's choice.
 */
function difference(keys: readonly string[], sets: (RandomSet | undefined)[]): RandomSet {
  const first = sets[0];
  const r = new RandomSet();
  if (first === undefined) return r;
  for (let j = 1; j < keys.length; j++) if (sets[j] !== undefined && keys[j] === keys[0]) return r;
  let oneWork = 0;
  let twoWork = 0;
  for (const s of sets) {
    if (s === undefined) continue;
    oneWork += first.size;
    twoWork += s.size;
  }
  oneWork = Math.floor(oneWork / 2);
  const others = sets.slice(1).filter((s): s is RandomSet => s !== undefined);
  if (oneWork <= twoWork) {
    others.sort((a, b) => b.size - a.size);
    outer: for (const m of first.ordered()) {
      for (const s of others) if (s.has(m)) continue outer;
      r.add(m);
    }
  } else {
    for (const m of first.ordered()) r.add(m);
    for (const s of others) {
      for (const m of s.ordered()) r.delete(m);
      if (r.size === 0) break;
    }
  }
  return r;
}

/** Stores a computed set at dst (replacing whatever is there, TTL dropped) or deletes dst when it is empty. */
function store(c: Client, dst: string, result: RandomSet, event: string): void {
  // Redis replies before it sends the event (a RESP3 client subscribed to its own events sees the order).
  if (result.size > 0) {
    c.db.set(dst, result);
    c.server.keyspace.dirty++;
    c.w.integer(result.size);
    notify(c.server, NOTIFY_SET, event, dst, c.db.id);
  } else {
    c.w.integer(0);
    if (c.db.lookup(dst) !== undefined && c.db.delete(dst)) {
      c.server.keyspace.dirty++;
      notify(c.server, NOTIFY_GENERIC, 'del', dst, c.db.id);
    }
  }
}

function sinterCommand(c: Client, argv: string[]): void {
  replyMembers(c, intersect(lookupSets(c, argv.slice(1))));
}

function sinterstoreCommand(c: Client, argv: string[]): void {
  const members = intersect(lookupSets(c, argv.slice(2)));
  store(c, argv[1]!, RandomSet.of(members), 'sinterstore');
}

function sintercardCommand(c: Client, argv: string[]): void {
  const numkeys = parseLL(argv[1]!);
  if (numkeys === undefined || numkeys < 1n) throw new ReplyError(ERR_NUMKEYS);
  if (numkeys > BigInt(argv.length - 2)) throw new ReplyError(ERR_NUMKEYS_ARGS);
  const n = Number(numkeys);
  let limit = 0;
  for (let j = 2 + n; j < argv.length; j++) {
    if (is(argv[j]!, 'limit') && j + 1 < argv.length) {
      const v = parseLL(argv[++j]!);
      if (v === undefined || v < 0n) throw new ReplyError(ERR_LIMIT);
      limit = v > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(v);
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  c.w.integer(intersect(lookupSets(c, argv.slice(2, 2 + n)), limit).length);
}

function sunionCommand(c: Client, argv: string[]): void {
  replyMembers(c, union(lookupSets(c, argv.slice(1))).ordered());
}

function sunionstoreCommand(c: Client, argv: string[]): void {
  store(c, argv[1]!, union(lookupSets(c, argv.slice(2))), 'sunionstore');
}

function sdiffCommand(c: Client, argv: string[]): void {
  const keys = argv.slice(1);
  replyMembers(c, difference(keys, lookupSets(c, keys)).ordered());
}

function sdiffstoreCommand(c: Client, argv: string[]): void {
  const keys = argv.slice(2);
  store(c, argv[1]!, difference(keys, lookupSets(c, keys)), 'sdiffstore');
}

// ---- SSCAN ----

function sscanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === undefined) throw new ReplyError(ERR_INVALID_CURSOR);
  const s = readSet(c, argv[1]!);
  const w = c.w;
  if (s === undefined) {
    w.array(2);
    w.bulk('0');
    w.array(0);
    return;
  }
  const { count, match } = parseScanOptions(argv, 3);
  const out: string[] = [];
  let next = '0';
  if (s.isIntset) {
    // Redis returns a small integer set whole, in one call.
    for (const m of s.ordered()) if (match === undefined || match(m)) out.push(m);
  } else {
    next = cursorsOf(c.db.ks).step(s.scanMap, cursor, count, (m) => {
      if (match === undefined || match(m)) out.push(m);
    });
  }
  w.array(2);
  w.bulk(next);
  w.array(out.length);
  for (const m of out) w.bulk(m);
}

// ---- snapshots ----

registerValueCodec({
  tag: 3,
  type: 'set',
  encode: (v, w) => {
    const s = v as RandomSet;
    w.varint(s.size);
    for (const m of s) w.str(m);
  },
  decode: (r) => {
    const n = r.varint();
    if (n === 0) throw new FormatError('empty set');
    const s = new RandomSet();
    for (let i = 0; i < n; i++) if (!s.add(r.str())) throw new FormatError('duplicate set member');
    return s;
  },
});

// ---- the command table ----

const spec = rangeKeySpec;

const RW_INSERT = [spec(['RW', 'INSERT'])];
const RW_DELETE = [spec(['RW', 'DELETE'])];
const RO = [spec(['RO'])];
const RO_ACCESS = [spec(['RO', 'ACCESS'])];
const RO_ACCESS_ALL = [spec(['RO', 'ACCESS'], 1, -1)];
const INTER_COMPLEXITY =
  'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';
const SCAN_COMPLEXITY =
  'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..';

export const setCommands = [
  {
    name: 'sadd',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: [SET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RW_INSERT,
    group: SET,
    since: '1.0.0',
    summary: 'Add one or more members to a set',
    complexity:
      'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', flags: ['multiple'] },
    ],
    handler: saddCommand,
  },
  {
    name: 'srem',
    arity: -3,
    flags: ['write', 'fast'],
    acl: [SET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RW_DELETE,
    group: SET,
    since: '1.0.0',
    summary: 'Remove one or more members from a set',
    complexity: 'O(N) where N is the number of members to be removed.',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', flags: ['multiple'] },
    ],
    handler: sremCommand,
  },
  {
    name: 'scard',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: [SET],
    keys: [1, 1, 1],
    keySpecs: RO,
    group: SET,
    since: '1.0.0',
    summary: 'Get the number of members in a set',
    complexity: 'O(1)',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: scardCommand,
  },
  {
    name: 'sismember',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: [SET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO,
    group: SET,
    since: '1.0.0',
    summary: 'Determine if a given value is a member of a set',
    complexity: 'O(1)',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
    handler: sismemberCommand,
  },
  {
    name: 'smismember',
    arity: -3,
    flags: ['readonly', 'fast'],
    acl: [SET],
    keys: [1, 1, 1],
    members: [2, 1],
    keySpecs: RO_ACCESS,
    group: SET,
    since: '6.2.0',
    summary: 'Returns the membership associated with the given elements for a set',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', flags: ['multiple'] },
    ],
    handler: smismemberCommand,
  },
  {
    name: 'smembers',
    arity: 2,
    flags: ['readonly'],
    acl: [SET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output_order'],
    group: SET,
    since: '1.0.0',
    summary: 'Get all the members in a set',
    complexity: 'O(N) where N is the set cardinality.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: smembersCommand,
  },
  {
    name: 'srandmember',
    arity: -2,
    flags: ['readonly'],
    acl: [SET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output'],
    group: SET,
    since: '1.0.0',
    summary: 'Get one or multiple random members from a set',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    history: [['2.6.0', 'Added the optional `count` argument.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '2.6.0', flags: ['optional'] },
    ],
    handler: srandmemberCommand,
  },
  {
    name: 'spop',
    arity: -2,
    flags: ['write', 'fast'],
    acl: [SET],
    keys: [1, 1, 1],
    keySpecs: [spec(['RW', 'ACCESS', 'DELETE'])],
    tips: ['nondeterministic_output'],
    group: SET,
    since: '1.0.0',
    summary: 'Remove and return one or multiple random members from a set',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    history: [['3.2.0', 'Added the `count` argument.']],
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '3.2.0', flags: ['optional'] },
    ],
    handler: spopCommand,
  },
  {
    name: 'smove',
    arity: 4,
    flags: ['write', 'fast'],
    acl: [SET],
    keys: [1, 2, 1],
    members: [3, 1],
    keySpecs: [spec(['RW', 'ACCESS', 'DELETE']), spec(['RW', 'INSERT'], 2)],
    group: SET,
    since: '1.0.0',
    summary: 'Move a member from one set to another',
    complexity: 'O(1)',
    args: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'member', type: 'string' },
    ],
    handler: smoveCommand,
  },
  {
    name: 'sinter',
    arity: -2,
    flags: ['readonly'],
    acl: [SET],
    keys: [1, -1, 1],
    keySpecs: RO_ACCESS_ALL,
    tips: ['nondeterministic_output_order'],
    group: SET,
    since: '1.0.0',
    summary: 'Intersect multiple sets',
    complexity: INTER_COMPLEXITY,
    args: [{ name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] }],
    handler: sinterCommand,
  },
  {
    name: 'sintercard',
    arity: -3,
    flags: ['readonly'],
    acl: [SET],
    keys: [0, 0, 0],
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: { index: 1 }, find: { keynum: [0, 1, 1] } }],
    movableKeys: true,
    group: SET,
    since: '7.0.0',
    summary: 'Intersect multiple sets and return the cardinality of the result',
    complexity: INTER_COMPLEXITY,
    args: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] },
      { name: 'limit', type: 'integer', token: 'LIMIT', flags: ['optional'] },
    ],
    handler: sintercardCommand,
  },
  {
    name: 'sunion',
    arity: -2,
    flags: ['readonly'],
    acl: [SET],
    keys: [1, -1, 1],
    keySpecs: RO_ACCESS_ALL,
    tips: ['nondeterministic_output_order'],
    group: SET,
    since: '1.0.0',
    summary: 'Add multiple sets',
    complexity: UNION_COMPLEXITY,
    args: [{ name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] }],
    handler: sunionCommand,
  },
  {
    name: 'sdiff',
    arity: -2,
    flags: ['readonly'],
    acl: [SET],
    keys: [1, -1, 1],
    keySpecs: RO_ACCESS_ALL,
    tips: ['nondeterministic_output_order'],
    group: SET,
    since: '1.0.0',
    summary: 'Subtract multiple sets',
    complexity: UNION_COMPLEXITY,
    args: [{ name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] }],
    handler: sdiffCommand,
  },
  {
    name: 'sinterstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: [SET],
    keys: [1, -1, 1],
    keySpecs: [spec(['RW', 'UPDATE']), spec(['RO', 'ACCESS'], 2, -1)],
    group: SET,
    since: '1.0.0',
    summary: 'Intersect multiple sets and store the resulting set in a key',
    complexity: INTER_COMPLEXITY,
    args: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, flags: ['multiple'] },
    ],
    handler: sinterstoreCommand,
  },
  {
    name: 'sunionstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: [SET],
    keys: [1, -1, 1],
    keySpecs: [spec(['OW', 'UPDATE']), spec(['RO', 'ACCESS'], 2, -1)],
    group: SET,
    since: '1.0.0',
    summary: 'Add multiple sets and store the resulting set in a key',
    complexity: UNION_COMPLEXITY,
    args: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, flags: ['multiple'] },
    ],
    handler: sunionstoreCommand,
  },
  {
    name: 'sdiffstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: [SET],
    keys: [1, -1, 1],
    keySpecs: [spec(['OW', 'UPDATE']), spec(['RO', 'ACCESS'], 2, -1)],
    group: SET,
    since: '1.0.0',
    summary: 'Subtract multiple sets and store the resulting set in a key',
    complexity: UNION_COMPLEXITY,
    args: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, flags: ['multiple'] },
    ],
    handler: sdiffstoreCommand,
  },
  {
    name: 'sscan',
    arity: -3,
    flags: ['readonly'],
    acl: [SET],
    keys: [1, 1, 1],
    keySpecs: RO_ACCESS,
    tips: ['nondeterministic_output'],
    group: SET,
    since: '2.8.0',
    summary: 'Incrementally iterate Set elements',
    complexity: SCAN_COMPLEXITY,
    args: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', flags: ['optional'] },
      { name: 'count', type: 'integer', token: 'COUNT', flags: ['optional'] },
    ],
    handler: sscanCommand,
  },
] as const satisfies readonly CommandSpec[];
