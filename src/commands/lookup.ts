// Typed key lookups every family shares: read lookups count hits and misses, write lookups refresh the access
// clock, and a key holding another type is a WRONGTYPE error.

import { Err, ReplyError } from '../errors.js';
import { typeOf, type Key, type Slot, type TypeName } from '../keyspace/db.js';
import type { Client } from '../server/client.js';

/** The string at key for a read command (counts a hit or miss), or undefined; WRONGTYPE for other types. */
export function readString(c: Client, key: Key): string | undefined {
  const db = c.db;
  const s = db.lookupRead(key);
  if (s === undefined) return undefined;
  const v = db.vals[s]!;
  if (typeof v !== 'string') throw new ReplyError(Err.wrongType);
  return v;
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
