// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// The dispatcher queues commands while `c.multi` is set and marks the transaction failed when it refuses one;
// EXEC runs the queue through `server.call` (stats, effects, MONITOR, "no blocking inside a unit") as one effects
// unit, so its writes are persisted as one MULTI … EXEC block.
//
// WATCH follows Redis 7.0: a watched key is "touched" by every change the keyspace announces (writes, deletions,
// expiry, eviction, RENAME/MOVE, FLUSHDB/FLUSHALL/SWAPDB when the key existed on either side), by anyone,
// including the watcher itself. A key that had already expired (but was not yet removed) when it was watched is
// not touched by its removal; a key that was live when watched and has expired by EXEC time counts as touched.

import { Err, ReplyError } from '../errors.js';
import type { Database, Key, ChangeKind } from '../keyspace/db.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { type CommandSpec, rangeKeySpec } from './spec.js';

const TX = 'transactions';

/** A key as it was when watched: present and live, present but already expired, or absent. */
type WatchedState = 'live' | 'expired' | 'absent';

interface WatchedKey {
  readonly client: Client;
  readonly db: Database;
  readonly key: Key;
  state: WatchedState;
}

/** Whether a key is present in a database's dict with an expiry that has passed (not yet removed). */
function isLogicallyExpired(db: Database, key: Key): boolean {
  const when = db.getExpire(key);
  return when !== undefined && db.dict.has(key) && db.ks.isExpired(when);
}

/** Who watches which keys, per server; hooked to the keyspace's change hook. */
class Watches {
  /** db id → key → watch records. */
  private readonly byDb = new Map<number, Map<Key, Set<WatchedKey>>>();
  private readonly byClient = new Map<Client, WatchedKey[]>();
  /** Clients whose watched keys were touched (EXEC will fail). */
  private readonly dirty = new Set<Client>();

  constructor(server: Server) {
    server.keyspace.onChange((db, key, kind) => this.onChange(db, key, kind));
    server.transactionEndHooks.push((c) => this.unwatchAll(c));
    server.clientResetHooks.push((c) => this.unwatchAll(c));
    server.clientCloseHooks.push((c) => this.unwatchAll(c));
  }

  watch(c: Client, key: Key): void {
    const db = c.db;
    const existing = this.byDb.get(db.id)?.get(key);
    if (existing !== undefined) for (const w of existing) if (w.client === c) return;
    const mine = this.byClient.get(c);
    const state: WatchedState = !db.dict.has(key) ? 'absent' : isLogicallyExpired(db, key) ? 'expired' : 'live';
    const wk: WatchedKey = { client: c, db, key, state };
    if (mine === undefined) this.byClient.set(c, [wk]);
    else mine.push(wk);
    let keys = this.byDb.get(db.id);
    if (keys === undefined) {
      keys = new Map();
      this.byDb.set(db.id, keys);
    }
    let set = keys.get(key);
    if (set === undefined) {
      set = new Set();
      keys.set(key, set);
    }
    set.add(wk);
  }

  unwatchAll(c: Client): void {
    this.dirty.delete(c);
    const mine = this.byClient.get(c);
    if (mine === undefined) return;
    this.byClient.delete(c);
    this.forget(mine);
  }

  private forget(list: readonly WatchedKey[]): void {
    for (const wk of list) {
      const keys = this.byDb.get(wk.db.id);
      const set = keys?.get(wk.key);
      if (set === undefined) continue;
      set.delete(wk);
      if (set.size === 0) {
        keys!.delete(wk.key);
        if (keys!.size === 0) this.byDb.delete(wk.db.id);
      }
    }
  }

  /** Marks a client's transaction as doomed; its watches are no longer needed. */
  private touch(c: Client): void {
    this.dirty.add(c);
    const mine = this.byClient.get(c);
    if (mine === undefined) return;
    this.byClient.delete(c);
    this.forget(mine);
  }

  /** Whether a watched key of the client was touched (CLIENT LIST's `d` flag; EXEC will fail). */
  touched(c: Client): boolean {
    return this.dirty.has(c);
  }

  /** True when EXEC must fail: a watched key was touched, or a key live when watched has expired since. */
  isDirty(c: Client): boolean {
    if (this.dirty.has(c)) return true;
    const mine = this.byClient.get(c);
    if (mine === undefined) return false;
    for (const wk of mine) if (wk.state !== 'expired' && isLogicallyExpired(wk.db, wk.key)) return true;
    return false;
  }

  private onChange(db: Database, key: Key | null, _kind: ChangeKind): void {
    if (this.byDb.size === 0) return;
    const keys = this.byDb.get(db.id);
    if (keys === undefined) return;
    if (key !== null) {
      const set = keys.get(key);
      if (set === undefined) return;
      for (const wk of [...set]) {
        if (wk.state === 'expired' && !db.dict.has(key)) {
          // An already-expired key was removed: logically nothing changed; from now on it is simply absent.
          wk.state = 'absent';
          continue;
        }
        this.touch(wk.client);
      }
      return;
    }
    // The whole database was emptied or replaced (FLUSHDB, FLUSHALL, SWAPDB); db.dict is the new content. A
    // watcher that is not yet dirty has seen no change to its key, so its state still says whether the key
    // existed before.
    for (const [k, set] of [...keys]) {
      const inNew = db.dict.has(k);
      for (const wk of [...set]) {
        const existed = wk.state !== 'absent';
        if (!existed && !inNew) continue;
        if (wk.state === 'expired') {
          if (!inNew) {
            wk.state = 'absent';
            continue;
          }
          if (isLogicallyExpired(db, k)) continue;
        } else if (!existed && isLogicallyExpired(db, k)) {
          wk.state = 'expired';
          continue;
        }
        this.touch(wk.client);
      }
    }
  }
}

const registries = new WeakMap<Server, Watches>();

function watchesOf(server: Server): Watches {
  let w = registries.get(server);
  if (w === undefined) {
    w = new Watches(server);
    registries.set(server, w);
  }
  return w;
}

/** Whether a key `c` watches was touched since (CLIENT LIST's `d` flag, Redis's CLIENT_DIRTY_CAS). */
export function watchTouched(c: Client): boolean {
  return registries.get(c.server)?.touched(c) ?? false;
}

function multiCommand(c: Client): void {
  if (c.multi !== null) throw new ReplyError(Err.multiNested);
  c.multi = { queue: [], failed: false };
  c.w.ok();
}

function discardCommand(c: Client): void {
  if (c.multi === null) throw new ReplyError(Err.discardWithoutMulti);
  c.server.endTransaction(c);
  c.w.ok();
}

function execCommand(c: Client): void {
  const multi = c.multi;
  if (multi === null) throw new ReplyError(Err.execWithoutMulti);
  const server = c.server;
  if (multi.failed) {
    server.endTransaction(c);
    throw new ReplyError(Err.execAbort);
  }
  const w = registries.get(server);
  if (w !== undefined && w.isDirty(c)) {
    server.endTransaction(c);
    c.w.nullArray();
    return;
  }
  // Unwatch before running: the transaction's own writes must not touch its watches.
  server.endTransaction(c);
  const queue = multi.queue;
  c.execQueue = queue;
  server.effects.begin();
  try {
    c.w.array(queue.length);
    const exec = c.current!;
    for (const q of queue) {
      // Permissions are checked again: ACL rules may have changed since the command was queued.
      const denied = server.acl.checkQueued(c, q.cmd, q.argv, queue, exec);
      if (denied !== undefined) server.replyError(c, denied);
      else server.call(c, q.cmd, q.argv);
      // A command that ends this connection (ACL DELUSER of its own user, CLIENT KILL of itself): the rest of
      // the transaction still runs, but its replies are not written, as in Redis.
      if (c.closeAfterReply && c.replyMode === 'on') c.replyMode = 'off';
    }
  } finally {
    c.execQueue = null;
    server.effects.end();
  }
  // The queued commands propagated their own effects; EXEC itself adds none.
  c.effectArgv = undefined;
  c.preventPropagation = true;
}

function watchCommand(c: Client, argv: string[]): void {
  if (c.multi !== null) throw new ReplyError('ERR WATCH inside MULTI is not allowed');
  const w = watchesOf(c.server);
  for (let i = 1; i < argv.length; i++) w.watch(c, argv[i]!);
  c.w.ok();
}

function unwatchCommand(c: Client): void {
  registries.get(c.server)?.unwatchAll(c);
  c.w.ok();
}

const TX_FLAGS = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'] as const;

export const transactionCommands = [
  {
    name: 'multi',
    arity: 1,
    flags: TX_FLAGS,
    acl: ['transaction'],
    keys: [0, 0, 0],
    group: TX,
    since: '1.2.0',
    summary: 'Mark the start of a transaction block',
    complexity: 'O(1)',
    handler: multiCommand,
  },
  {
    name: 'exec',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    acl: ['transaction'],
    keys: [0, 0, 0],
    group: TX,
    since: '1.2.0',
    summary: 'Execute all commands issued after MULTI',
    complexity: 'Depends on commands in the transaction',
    handler: execCommand,
  },
  {
    name: 'discard',
    arity: 1,
    flags: TX_FLAGS,
    acl: ['transaction'],
    keys: [0, 0, 0],
    group: TX,
    since: '2.0.0',
    summary: 'Discard all commands issued after MULTI',
    complexity: 'O(N), when N is the number of queued commands',
    handler: discardCommand,
  },
  {
    name: 'watch',
    arity: -2,
    flags: TX_FLAGS,
    acl: ['transaction'],
    keys: [1, -1, 1],
    keySpecs: [rangeKeySpec(['RO'], 1, -1)],
    group: TX,
    since: '2.2.0',
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
    complexity: 'O(1) for every key.',
    args: [{ name: 'key', type: 'key', keySpecIndex: 0, flags: ['multiple'] }],
    handler: watchCommand,
  },
  {
    name: 'unwatch',
    arity: 1,
    flags: TX_FLAGS,
    acl: ['transaction'],
    keys: [0, 0, 0],
    group: TX,
    since: '2.2.0',
    summary: 'Forget about all watched keys',
    complexity: 'O(1)',
    handler: unwatchCommand,
  },
] as const satisfies readonly CommandSpec[];
