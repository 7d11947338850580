// Keyspace notifications: `notify-keyspace-events` flags, and the events published on `__keyspace@<db>__:<key>`
// (message: the event name) and `__keyevent@<db>__:<event>` (message: the key), as Redis 7.0 publishes them.
//
// Command handlers call `notify(server, CLASS, 'event', key, dbId)` right after each mutation, with Redis's event
// name for that command (the names are per command: SET → set, INCR → incrby, LMOVE → rpop then lpush …). Events
// the keyspace itself knows about come from the keyspace's hooks (src/keyspace/db.ts): `expired` (lazy and
// active expiry), `new` (a key added to a database) and `keymiss` (a read lookup that found nothing).
//
// Notifications sit on every write's hot path: when no class is enabled (the default) `notify` costs one integer
// test on `keyspace.notifyFlags`, which holds the configured classes only when K or E is also set (otherwise
// nothing could be published, so it is 0).

import type { Server } from '../server/server.js';
import type { Database, Key } from './db.js';

export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m (not part of A)
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n (not part of A)
/** What 'A' stands for. */
export const NOTIFY_ALL =
  NOTIFY_GENERIC |
  NOTIFY_STRING |
  NOTIFY_LIST |
  NOTIFY_SET |
  NOTIFY_HASH |
  NOTIFY_ZSET |
  NOTIFY_EXPIRED |
  NOTIFY_EVICTED |
  NOTIFY_STREAM |
  NOTIFY_MODULE;

/** Letter → class, for parsing. */
const LETTERS: Readonly<Record<string, number>> = {
  A: NOTIFY_ALL,
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
};

/** CONFIG SET's complaint about an unknown letter (after the "CONFIG SET failed … - " prefix). */
export const NOTIFY_FLAGS_ERROR = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** Parses a flags string ("KEA", "Ex" …); undefined when a character is not a class letter. */
export function parseNotifyFlags(s: string): number | undefined {
  let flags = 0;
  for (const ch of s) {
    const f = LETTERS[ch];
    if (f === undefined || !Object.hasOwn(LETTERS, ch)) return undefined;
    flags |= f;
  }
  return flags;
}

/** Letters of the classes A covers, in the order Redis prints them when A does not cover all of them. */
const SINGLE_ORDER: readonly [number, string][] = [
  [NOTIFY_GENERIC, 'g'],
  [NOTIFY_STRING, '$'],
  [NOTIFY_LIST, 'l'],
  [NOTIFY_SET, 's'],
  [NOTIFY_HASH, 'h'],
  [NOTIFY_ZSET, 'z'],
  [NOTIFY_EXPIRED, 'x'],
  [NOTIFY_EVICTED, 'e'],
  [NOTIFY_STREAM, 't'],
  [NOTIFY_MODULE, 'd'],
  [NOTIFY_NEW, 'n'],
];

/**
 * The flags as CONFIG GET shows them: "A" when every class A covers is on (Redis 7.0 then omits 'n', though the
 * class stays enabled), else the class letters in Redis's order; then K, E and m.
 */
export function formatNotifyFlags(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) s = 'A';
  else for (const [f, ch] of SINGLE_ORDER) if (flags & f) s += ch;
  if (flags & NOTIFY_KEYSPACE) s += 'K';
  if (flags & NOTIFY_KEYEVENT) s += 'E';
  if (flags & NOTIFY_KEY_MISS) s += 'm';
  return s;
}

/** The classes that can publish anything under these flags: none unless K or E is set. */
export function effectiveNotifyFlags(flags: number): number {
  return flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT) ? flags : 0;
}

/**
 * Announces an event of class `cls` on key `key` of database `dbId`, if that class is enabled: first on the
 * key's keyspace channel, then on the event's keyevent channel (as Redis orders them).
 */
export function notify(server: Server, cls: number, event: string, key: Key, dbId: number): void {
  const ks = server.keyspace;
  if (ks.beforeNotify !== null) ks.beforeNotify();
  const flags = ks.notifyFlags;
  if ((flags & cls) === 0) return;
  publishEvent(server, flags, event, key, dbId);
}

function publishEvent(server: Server, flags: number, event: string, key: Key, dbId: number): void {
  if (flags & NOTIFY_KEYSPACE) server.pubsub.publish('__keyspace@' + dbId + '__:' + key, event);
  if (flags & NOTIFY_KEYEVENT) server.pubsub.publish('__keyevent@' + dbId + '__:' + event, key);
}

/**
 * Connects notifications to a server: keeps `keyspace.notifyFlags` in step with the `notify-keyspace-events`
 * directive (from the config file and CONFIG SET), and publishes the events the keyspace raises itself
 * (`expired`, `new`, `keymiss`).
 */
export function installNotifications(server: Server): void {
  const ks = server.keyspace;
  const apply = (): void => {
    ks.notifyFlags = effectiveNotifyFlags(server.config.values['notify-keyspace-events']);
  };
  apply();
  const prev = server.config.onChange;
  server.config.onChange = (name) => {
    if (name === 'notify-keyspace-events') apply();
    prev(name);
  };
  ks.notifyHook = (db: Database, cls: number, event: string, key: Key) => {
    const flags = ks.notifyFlags;
    if ((flags & cls) !== 0) publishEvent(server, flags, event, key, db.id);
  };
}
