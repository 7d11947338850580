// Typed key lookups every family shares: read lookups count hits and misses, write lookups refresh the access
// clock, and a key holding another type is a WRONGTYPE error.

import { Err, ReplyError } from '../errors.js';
import { offHeapBytes, typeOf, type Database, type Key, type Slot, type TypeName } from '../keyspace/db.js';
import { BIG_STRING_MIN, BigString, isBig } from '../types/big-string.js';
import type { ReplyWriter } from '../protocol/reply-writer.js';
import type { Client } from '../server/client.js';

/** The string at key for a read command (counts a hit or miss), or undefined; WRONGTYPE for other types. */
export function readString(c: Client, key: Key): string | undefined {
  const v = readStringValue(c, key);
  return v === undefined || typeof v === 'string' ? v : v.toString();
}

/**
 * As readString, with a big string left as the BigString it is stored as (src/types/big-string.ts): for commands
 * that send the value back (replyString) or only need its length or a slice.
 */
export function readStringValue(c: Client, key: Key): string | BigString | undefined {
  const db = c.db;
  const s = db.lookupRead(key);
  if (s === undefined) return undefined;
  const v = db.vals[s]!;
  if (typeof v !== 'string' && !isBig(v)) throw new ReplyError(Err.wrongType);
  return v;
}

/** Replies a string value as a bulk string. */
export function replyString(w: ReplyWriter, v: string | BigString): void {
  if (typeof v === 'string') w.bulk(v);
  else w.bulkBuffer(v.lend());
}

/**
 * The string value at `key` (its slot `slot`, undefined for a new key) opened to be written in place, at least `n`
 * bytes long (zeros past its end): as a BigString, copied out of a JS string the first time. Used by APPEND,
 * SETRANGE, SETBIT and BITFIELD once a value is BIG_STRING_MIN bytes or more: a JS string is immutable, so each
 * change copied the whole value (a SETBIT into a 1 MB bitmap took milliseconds). Pair with closeBytes.
 */
export function openBytes(db: Database, key: Key, slot: Slot | undefined, n: number): BigString {
  if (slot === undefined) return BigString.of('', n);
  db.willWrite(key);
  const v = db.vals[slot]!;
  if (typeof v === 'string') return BigString.of(v, n);
  const big = v as BigString;
  // Held elsewhere (a SET value the AOF has yet to write, a reply not yet sent): written as a copy.
  if (big.isLent) return big.copy(n);
  const before = offHeapBytes(big);
  big.writable(n);
  db.resized(big, before);
  return big;
}

/** Stores a value openBytes gave once it is written (a new key is added; TTLs stay), signalling the change. */
export function closeBytes(db: Database, key: Key, slot: Slot | undefined, v: BigString): void {
  if (slot === undefined) db.set(key, v);
  else db.update(key, slot, v);
}

/** True when a string of `n` bytes (or the value already stored) is to be written in place (openBytes). */
export function writesInPlace(db: Database, slot: Slot | undefined, n: number): boolean {
  return n >= BIG_STRING_MIN || (slot !== undefined && isBig(db.vals[slot]));
}

/** The string value in `slot` as text (the caller has checked that it holds a string). */
export function stringAt(db: Database, slot: Slot): string {
  const v = db.vals[slot]!;
  return typeof v === 'string' ? v : (v as BigString).toString();
}

/** The length in bytes of the string value in `slot` (the caller has checked that it holds a string). */
export function stringLength(db: Database, slot: Slot): number {
  return (db.vals[slot] as string | BigString).length;
}

/**
 * The slot of key for a write command, checked to hold `type`; undefined when the key is missing. The value is
 * `c.db.vals[slot]`.
 */
export function writeEntryOf(c: Client, key: Key, type: TypeName): Slot | undefined {
  const db = c.db;
  const s = db.lookup(key);
  if (s === undefined) return undefined;
  if (typeOf(db.vals[s]!) !== type) throw new ReplyError(Err.wrongType);
  db.touch(s);
  return s;
}
