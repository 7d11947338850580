// Typed key lookups every family shares: read lookups count hits and misses, write lookups refresh the access
// clock, and a key holding another type is a WRONGTYPE error.

import { Err, ReplyError } from '../errors.js';
import { typeOf, type Entry, type Key, type TypeName } from '../keyspace/db.js';
import type { Client } from '../server/client.js';

/** The string at key for a read command (counts a hit or miss), or undefined; WRONGTYPE for other types. */
export function readString(c: Client, key: Key): string | undefined {
  const e = c.db.lookupRead(key, !c.noTouch);
  if (e === undefined) return undefined;
  const v = e.v;
  if (typeof v !== 'string') throw new ReplyError(Err.wrongType);
  return v;
}

/** The entry at key for a write command, checked to hold `type`; undefined when the key is missing. */
export function writeEntryOf(c: Client, key: Key, type: TypeName): Entry | undefined {
  const e = c.db.lookup(key);
  if (e === undefined) return undefined;
  if (typeOf(e.v) !== type) throw new ReplyError(Err.wrongType);
  if (!c.noTouch) c.db.touch(e);
  return e;
}
