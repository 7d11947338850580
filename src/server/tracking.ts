// Client-side caching (CLIENT TRACKING): which clients may hold which keys, and the invalidation messages they get.
//
// Default mode: every key a tracking client reads with a read-only command (keys found from the command row's key
// specs, as COMMAND GETKEYS finds them) is remembered in one table, key → client ids, shared by all databases,
// of at most tracking-table-max-keys keys (past that the oldest are invalidated as if modified; see limitTable).
// When the key is modified (the keyspace change hook: writes, deletions, expiry, eviction) each remembered client
// still tracking (and not in BCAST mode) gets one invalidation and the key is forgotten. OPTIN remembers only
// after CLIENT CACHING YES, OPTOUT skips after CLIENT CACHING NO; the CACHING flag lasts for the next command (or
// the next transaction) and survives other CLIENT subcommands, as in Redis. NOLOOP skips keys the client changed
// itself.
//
// BCAST mode: no table; each modified key matching a registered prefix is collected per prefix (with the client
// that first modified it) and, at the end of the event-loop turn, every client of the prefix gets one message
// with that prefix's keys in byte order (prefixes in byte order too).
//
// Delivery: a RESP3 connection receives `>2 invalidate [keys]`; with REDIRECT the message goes to the target,
// as a push in RESP3 or, for a RESP2 target with any subscription, as a Pub/Sub message on
// `__redis__:invalidate`. A missing redirect target marks the tracking client "broken_redirect" and, in RESP3,
// tells it with `>2 tracking-redir-broken <id>`. FLUSHDB/FLUSHALL invalidate everything with a null value (the
// null of the tracking client's protocol). Invalidations for the client whose command is running are held until
// the whole execution unit (a command, or EXEC with its commands) has replied.

import type { ChangeKind, Key } from '../keyspace/db.js';
import type { CommandEntry } from '../commands/registry.js';
import { getKeysFromCommand } from '../commands/introspection.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

/** A tracking client's mode (Redis's CLIENT_TRACKING_* flags). */
export interface TrackingState {
  /** Client id invalidations are redirected to; 0 for none. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING was given for the next command or transaction. */
  caching: boolean;
  brokenRedirect: boolean;
  /** BCAST prefixes. */
  prefixes: Set<string>;
}

export interface TrackingOptions {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
}

interface BcastState {
  /** Keys modified since the last broadcast → the client that first modified each (null: expiry, eviction…). */
  keys: Map<Key, Client | null>;
  clients: Set<Client>;
}

/** Read-only commands whose own keys are not remembered (Redis tracks the commands a script runs instead). */
const NOT_REMEMBERED = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/**
 * Commands Redis replies to before it signals their key, just before announcing it: an invalidation another client's
 * redirect sends to the client running one of them is held until the command's keyspace notification, after its
 * reply (for the other commands it comes where the key changes, before the reply). The EXPIRE family replies first
 * only when it sets a TTL; a TTL in the past deletes the key, signalled before the reply. Redis's Z*POP family
 * writes it inside its reply, which breaks RESP3 framing; Cairn sends it after the reply there too.
 */
const SIGNAL_AFTER_REPLY = new Set([
  'rpush',
  'lpush',
  'rpushx',
  'lpushx',
  'lset',
  'hset',
  'hmset',
  'hsetnx',
  'hincrby',
  'hincrbyfloat',
  'zadd',
  'zincrby',
  'expire',
  'pexpire',
  'expireat',
  'pexpireat',
]);

const INVALIDATE_PUSH = '>2\r\n$10\r\ninvalidate\r\n';
const INVALIDATE_MESSAGE = '*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n';

function bulk(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Tracking {
  private readonly states = new Map<Client, TrackingState>();
  /** key → ids of clients that may cache it. */
  private readonly table = new Map<Key, Set<number>>();
  private readonly prefixTable = new Map<string, BcastState>();
  private broadcastQueued = false;
  /** The client whose execution unit is running, and what it must get once the unit has replied. */
  private current: Client | null = null;
  private pending: (Key | null)[] = [];
  /**
   * Messages for the running command's own client held until it announces its key (SIGNAL_AFTER_REPLY), as
   * written; sent from Keyspace.beforeNotify, or at the end of the call.
   */
  private afterReply: string[] = [];
  private readonly sendHeld = (): void => {
    const c = this.current;
    if (c !== null) this.sendAfterReply(c);
  };
  /** The list a blocked client is being served from (see beginServe). */
  private servedSource: Key | null = null;
  /** One null invalidation per command, however many databases it flushed. */
  private flushSignalled = false;
  /** Calls of limitTable in a row that ended with the table still over its limit. */
  private roundsOver = 0;
  /**
   * The redirect of a client that turned tracking off, as Redis keeps it: invalidations held for the end of the
   * unit that turned it off (a transaction) still go there.
   */
  private readonly offRedirect = new WeakMap<Client, number>();

  constructor(private readonly server: Server) {
    server.keyspace.onChange((_db, key, kind) => {
      if (key !== null) {
        if (this.table.size !== 0 || this.prefixTable.size !== 0) this.invalidateKey(key, kind);
      } else if (kind === 'flush') this.flushed();
    });
    server.clientCloseHooks.push((c) => this.disable(c));
    server.clientResetHooks.push((c) => this.disable(c));
  }

  /** Number of clients with tracking on (INFO tracking_clients). */
  get clientCount(): number {
    return this.states.size;
  }

  /** Keys in the tracking table (INFO tracking_total_keys). */
  get totalKeys(): number {
    return this.table.size;
  }

  /** Client entries over every tracked key (INFO tracking_total_items). */
  get totalItems(): number {
    let n = 0;
    for (const ids of this.table.values()) n += ids.size;
    return n;
  }

  /** Prefixes clients track in BCAST mode (INFO tracking_total_prefixes). */
  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  stateOf(c: Client): TrackingState | undefined {
    return this.states.get(c);
  }

  /** The prefixes `prefixes` would collide with: one of them vs. the client's or another new one, or undefined. */
  prefixCollision(c: Client, prefixes: readonly string[]): string | undefined {
    const existing = this.states.get(c)?.prefixes;
    const overlap = (a: string, b: string): boolean =>
      a.length === 0 || b.length === 0 || a.startsWith(b) || b.startsWith(a);
    for (let i = 0; i < prefixes.length; i++) {
      const p = prefixes[i]!;
      if (existing !== undefined) {
        for (const e of [...existing].sort(byteOrder)) {
          if (overlap(e, p)) {
            return `ERR Prefix '${p}' overlaps with an existing prefix '${e}'. Prefixes for a single client must not overlap.`;
          }
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlap(p, prefixes[j]!)) {
          return `ERR Prefix '${p}' overlaps with another provided prefix '${prefixes[j]!}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return undefined;
  }

  /** CLIENT TRACKING ON (options already validated): the mode is replaced, BCAST prefixes are added. */
  enable(c: Client, o: TrackingOptions): void {
    let s = this.states.get(c);
    if (s === undefined) {
      s = {
        redirect: 0,
        bcast: false,
        optin: false,
        optout: false,
        noloop: false,
        caching: false,
        brokenRedirect: false,
        prefixes: new Set(),
      };
      this.states.set(c, s);
    }
    s.brokenRedirect = false;
    s.redirect = o.redirect;
    s.optin = o.optin;
    s.optout = o.optout;
    s.noloop = o.noloop;
    if (o.bcast) {
      s.bcast = true;
      const list = o.prefixes.length === 0 ? [''] : o.prefixes;
      for (const p of list) {
        s.prefixes.add(p);
        let bs = this.prefixTable.get(p);
        if (bs === undefined) {
          bs = { keys: new Map(), clients: new Set() };
          this.prefixTable.set(p, bs);
        }
        bs.clients.add(c);
      }
    }
  }

  /** CLIENT TRACKING OFF, RESET, disconnection. Keys it read stay in the table (as in Redis). */
  disable(c: Client): void {
    const s = this.states.get(c);
    if (s === undefined) return;
    for (const p of s.prefixes) {
      const bs = this.prefixTable.get(p);
      if (bs === undefined) continue;
      bs.clients.delete(c);
      if (bs.clients.size === 0) this.prefixTable.delete(p);
    }
    this.states.delete(c);
    if (s.redirect !== 0) this.offRedirect.set(c, s.redirect);
    else this.offRedirect.delete(c);
  }

  /** The dispatcher tells us before the outermost call of an execution unit. */
  beginUnit(c: Client): void {
    this.current = c;
  }

  /** After every call: remember the keys a read-only command read; at the end of the unit, deliver held messages. */
  afterCall(c: Client, cmd: CommandEntry, argv: readonly string[]): void {
    this.flushSignalled = false;
    if (this.afterReply.length !== 0) this.sendAfterReply(c);
    if (this.states.size > 0 && cmd.flags.has('readonly') && !NOT_REMEMBERED.has(cmd.fullName))
      this.remember(c, cmd, argv);
    if (this.server.callDepth !== 0) return;
    this.endUnit();
  }

  /**
   * A blocked client being served runs its own unit: NOLOOP spares it, and invalidations of keys it changes
   * follow its reply. The list it pops from (`source`) is not signalled again: its push was, and Redis does not
   * signal it when serving a list.
   */
  beginServe(c: Client, source: Key | null): void {
    this.current = c;
    this.servedSource = source;
  }

  endServe(): void {
    this.servedSource = null;
    this.endUnit();
  }

  /**
   * The end of a unit: the invalidations held for the client that ran it follow its reply — also when the unit
   * turned its tracking off after they were held (CLIENT TRACKING OFF later in the same transaction), as Redis
   * decides at the change and sends what it held regardless.
   */
  private endUnit(): void {
    const cur = this.current;
    if (this.afterReply.length !== 0 && cur !== null) this.sendAfterReply(cur);
    this.current = null;
    if (this.pending.length === 0) return;
    const list = this.pending;
    this.pending = [];
    if (cur === null || cur.closed) return;
    for (const k of list) this.send(cur, k === null ? null : [k], true);
  }

  private sendAfterReply(c: Client): void {
    const list = this.afterReply;
    this.afterReply = [];
    this.server.keyspace.beforeNotify = null;
    if (c.closed) return;
    for (const text of list) this.write(c, text);
  }

  /**
   * After each command the client sent (run, queued or refused): the CACHING flag lasts only for the next
   * command, or the next transaction, and other CLIENT subcommands keep it.
   */
  afterCommand(c: Client, argv: readonly string[]): void {
    if (this.states.size === 0) return;
    const s = this.states.get(c);
    if (s === undefined || !s.caching || c.multi !== null) return;
    const cmd = this.server.commands.lookup(argv[0]!);
    // A CLIENT subcommand keeps it; a bare CLIENT (refused for its arity) or an unknown subcommand does not.
    if (cmd !== undefined && cmd.spec.name === 'client' && argv.length >= 2) {
      if (cmd.subcommands === undefined || cmd.subcommands.has(argv[1]!.toLowerCase())) return;
    }
    s.caching = false;
  }

  private remember(c: Client, cmd: CommandEntry, argv: readonly string[]): void {
    const s = this.states.get(c);
    if (s === undefined || s.bcast) return;
    if ((s.optin && !s.caching) || (s.optout && s.caching)) return;
    if (cmd.flags.has('pubsub')) return;
    for (const k of getKeysFromCommand(cmd.spec, argv)) {
      const key = argv[k.pos]!;
      let ids = this.table.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.table.set(key, ids);
      }
      ids.add(c.id);
    }
  }

  /**
   * A key changed. One found expired and removed Redis signals without a client (whoever's command found it), so
   * no BCAST NOLOOP client is spared that invalidation. A removal is signalled before the reply even by the
   * SIGNAL_AFTER_REPLY commands (an EXPIRE in the past deletes at once).
   */
  private invalidateKey(key: Key, kind: ChangeKind): void {
    if (key === this.servedSource) return;
    if (this.prefixTable.size > 0) this.collectForBroadcast(key, kind === 'expire' ? null : this.current);
    this.forget(key, this.current, true, kind !== 'del' && kind !== 'expire');
  }

  /**
   * Drops a key from the table and invalidates it for the clients that read it. `cur` is the client whose command
   * is at hand: NOLOOP spares it, and with `hold` (its command is running) its message follows the reply.
   * `mayFollowReply`: a message the redirect sends to `cur` may wait for the command's event (see send).
   */
  private forget(key: Key, cur: Client | null, hold: boolean, mayFollowReply = false): void {
    const ids = this.table.get(key);
    if (ids === undefined) return;
    this.table.delete(key);
    for (const id of ids) {
      const target = this.server.clients.get(id);
      if (target === undefined) continue;
      const s = this.states.get(target);
      if (s === undefined || s.bcast) continue;
      if (s.noloop && target === cur) continue;
      if (hold && target === cur) this.pending.push(key);
      else this.send(target, [key], false, mayFollowReply);
    }
  }

  /**
   * Keeps the table within tracking-table-max-keys: over it, keys are forgotten, the longest remembered first, and
   * invalidated as if they had been modified — up to 100 × (calls in a row that ended still over the limit + 1)
   * keys per call, as Redis spends its effort. Runs before each command (`c`, about to run it, is spared by
   * NOLOOP; its messages come before the reply) and ten times a second, while some client tracks.
   */
  limitTable(c: Client | null): void {
    const max = this.server.config.values['tracking-table-max-keys'];
    if (max === 0 || this.table.size <= max) {
      this.roundsOver = 0;
      return;
    }
    let effort = 100 * (this.roundsOver + 1);
    for (const key of this.table.keys()) {
      if (effort-- <= 0) break;
      this.forget(key, c, false);
      if (this.table.size <= max) {
        this.roundsOver = 0;
        return;
      }
    }
    this.roundsOver++;
  }

  private flushed(): void {
    const cmd = this.current?.current;
    if (cmd !== undefined && this.current !== null && cmd.fullName === 'swapdb') return;
    if (this.flushSignalled) return;
    this.flushSignalled = true;
    if (this.current === null) queueMicrotask(() => (this.flushSignalled = false));
    for (const c of this.states.keys()) {
      if (c === this.current) this.pending.push(null);
      else this.send(c, null);
    }
    this.table.clear();
  }

  private collectForBroadcast(key: Key, changer: Client | null): void {
    let any = false;
    for (const [p, bs] of this.prefixTable) {
      if (!key.startsWith(p)) continue;
      // The last client to change the key is the one NOLOOP spares (Redis overwrites the entry).
      bs.keys.set(key, changer);
      any = true;
    }
    if (any && !this.broadcastQueued) {
      this.broadcastQueued = true;
      setImmediate(() => this.broadcast());
    }
  }

  /** Sends each prefix's collected keys to the prefix's clients (NOLOOP clients without their own keys). */
  private broadcast(): void {
    this.broadcastQueued = false;
    for (const p of [...this.prefixTable.keys()].sort(byteOrder)) {
      const bs = this.prefixTable.get(p)!;
      if (bs.keys.size === 0) continue;
      const keys = [...bs.keys.keys()].sort(byteOrder);
      const by = bs.keys;
      bs.keys = new Map();
      for (const c of bs.clients) {
        if (c.closed) continue;
        const s = this.states.get(c);
        const mine = s?.noloop ? keys.filter((k) => by.get(k) !== c) : keys;
        if (mine.length > 0) this.send(c, mine);
      }
    }
  }

  /**
   * Delivers one invalidation of `keys` (null: everything) for tracking client c, following its redirect. `held`:
   * it was held for the end of c's unit, and goes out even if c has turned tracking off since. `mayFollowReply`:
   * when the redirect sends it to the client whose command is running, and that command is one Redis replies to
   * before signalling (SIGNAL_AFTER_REPLY), it waits for the command's keyspace notification.
   */
  private send(c: Client, keys: readonly Key[] | null, held = false, mayFollowReply = false): void {
    const s = this.states.get(c);
    let redirect: number;
    if (s !== undefined) redirect = s.redirect;
    else if (held) redirect = this.offRedirect.get(c) ?? 0;
    else return;
    let target = c;
    if (redirect !== 0) {
      const r = this.server.clients.get(redirect);
      if (r === undefined || r.closed) {
        if (s !== undefined) s.brokenRedirect = true;
        if (c.proto === 3) this.write(c, '>2\r\n$21\r\ntracking-redir-broken\r\n:' + redirect + '\r\n');
        return;
      }
      target = r;
    }
    let head: string;
    if (target.proto === 3) head = INVALIDATE_PUSH;
    else if (redirect !== 0 && this.server.pubsubCount(target) > 0) head = INVALIDATE_MESSAGE;
    else return;
    let body: string;
    if (keys === null) body = c.proto === 3 ? '_\r\n' : '$-1\r\n';
    else {
      body = '*' + keys.length + '\r\n';
      for (const k of keys) body += bulk(k);
    }
    if (mayFollowReply && target === this.current && SIGNAL_AFTER_REPLY.has(target.current?.fullName ?? '')) {
      this.afterReply.push(head + body);
      this.server.keyspace.beforeNotify = this.sendHeld;
    } else this.write(target, head + body);
  }

  private write(target: Client, text: string): void {
    this.server.pubsub.writePush(target, Buffer.from(text, 'latin1'));
  }
}
