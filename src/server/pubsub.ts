// The Pub/Sub registry: who is subscribed to which channels, patterns and shard channels, and message delivery.
//
// Anything inside the server may publish: `server.pubsub.publish(channel, message)` delivers to every subscriber
// of the channel (in subscription order), then to every subscriber of each matching pattern (patterns in the
// order they were first subscribed, each pattern's clients in subscription order), and returns the number of
// deliveries, as PUBLISH replies. Keyspace notifications and client-side caching invalidations publish through
// it too. A message's frame is encoded once, into a buffer kept for the next one (RESP2 and RESP3 frames differ
// only in their first byte), and copied into each subscriber's output buffer; the subscriber is flushed at the
// end of the turn.
//
// Push frames (messages and (un)subscribe confirmations) reach a client even while its replies are silenced by
// CLIENT REPLY OFF/SKIP, as in Redis 7.0 (its CLIENT_PUSHING flag): see `writePush`.
//
// A client is in "subscribed mode" (CLIENT LIST flag P; RESP2 may then run only (P|S)SUBSCRIBE,
// (P|S)UNSUBSCRIBE, PING, QUIT and RESET) while it has at least one subscription of any kind.

import { compileGlob } from '../keyspace/glob.js';
import { commandSize, writeCommand } from '../protocol/command-encoder.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

/** A client's subscriptions, each set in subscription order. */
interface ClientSubs {
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly shard: Set<string>;
}

interface PatternEntry {
  readonly match: (channel: string) => boolean;
  readonly clients: Set<Client>;
}

/** The three kinds of subscription, with the words their confirmations and messages use. */
export type SubKind = 'channel' | 'pattern' | 'shard';

const SUBSCRIBE_WORD: Record<SubKind, string> = { channel: 'subscribe', pattern: 'psubscribe', shard: 'ssubscribe' };
const UNSUBSCRIBE_WORD: Record<SubKind, string> = {
  channel: 'unsubscribe',
  pattern: 'punsubscribe',
  shard: 'sunsubscribe',
};

/** A bulk string's wire form: $len\r\n…\r\n. */
function bulkText(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

/** Message frames up to this size are encoded into the buffer the registry keeps; bigger ones get their own. */
const FRAME_KEEP = 64 * 1024;
const STAR = 0x2a;
const GT = 0x3e;

/** Encodes a push frame: `>n` in RESP3, `*n` in RESP2, then the given already-encoded elements. */
function frame(proto: 2 | 3, n: number, body: string): Buffer {
  return Buffer.from((proto === 3 ? '>' : '*') + n + '\r\n' + body, 'latin1');
}

export class PubSub {
  /** channel → subscribers, in subscription order. */
  private readonly channels = new Map<string, Set<Client>>();
  /** pattern → compiled matcher and subscribers; patterns in first-subscription order. */
  private readonly patterns = new Map<string, PatternEntry>();
  /** shard channel → subscribers. */
  private readonly shardChannels = new Map<string, Set<Client>>();
  private readonly byClient = new Map<Client, ClientSubs>();
  /** The frame of the message being delivered (see `encode`), valid until the next one. */
  private frameBuf = Buffer.allocUnsafe(1024);
  /** The length of the frame `encode` made last. */
  private frameLen = 0;
  /** A big frame's RESP3 form, made for its first RESP3 subscriber. */
  private bigFrame3: Buffer | null = null;
  /** The elements of the frame being encoded, reused. */
  private readonly items3: string[] = ['', '', ''];
  private readonly items4: string[] = ['', '', '', ''];

  constructor(private readonly server: Server) {
    server.pubsubCount = (c) => this.count(c);
    server.pubsubClients = this.byClient;
    server.pubsubDetail = (c) => {
      const s = this.byClient.get(c);
      return s === undefined
        ? { channels: 0, patterns: 0, shardChannels: 0 }
        : { channels: s.channels.size, patterns: s.patterns.size, shardChannels: s.shard.size };
    };
    server.clientCloseHooks.push((c) => this.unsubscribeAllSilently(c));
    server.clientResetHooks.push((c) => this.unsubscribeAllSilently(c));
  }

  /** All of a client's subscriptions (channels, patterns and shard channels); > 0 means subscribed mode. */
  count(c: Client): number {
    const s = this.byClient.get(c);
    return s === undefined ? 0 : s.channels.size + s.patterns.size + s.shard.size;
  }

  /** What (P)SUBSCRIBE and (P)UNSUBSCRIBE replies count: channels plus patterns. */
  private classicCount(s: ClientSubs | undefined): number {
    return s === undefined ? 0 : s.channels.size + s.patterns.size;
  }

  /** What SSUBSCRIBE and SUNSUBSCRIBE replies count: shard channels. */
  private countFor(kind: SubKind, s: ClientSubs | undefined): number {
    if (kind === 'shard') return s === undefined ? 0 : s.shard.size;
    return this.classicCount(s);
  }

  private subsOf(c: Client): ClientSubs {
    let s = this.byClient.get(c);
    if (s === undefined) {
      s = { channels: new Set(), patterns: new Set(), shard: new Set() };
      this.byClient.set(c, s);
    }
    return s;
  }

  private dropIfEmpty(c: Client, s: ClientSubs): void {
    if (s.channels.size === 0 && s.patterns.size === 0 && s.shard.size === 0) this.byClient.delete(c);
  }

  /**
   * Writes a push frame to a client and schedules its flush. The frame survives CLIENT REPLY OFF/SKIP silencing
   * of the client's own command (the server re-appends the frames it kept).
   */
  writePush(c: Client, bytes: Buffer): void {
    if (c.closed) return;
    const server = this.server;
    if (server.silencedClient === c) server.keptPushes.push(bytes);
    c.out.bytes(bytes);
    c.requestFlush();
  }

  /**
   * Encodes a message frame of `items` (bulk strings) in RESP2; `deliver` gives a RESP3 client its `>` form.
   * Returns the frame: the kept buffer's first `frameLen` bytes, or a buffer of its own when it is big.
   */
  private encode(items: readonly string[]): Buffer {
    const size = commandSize(items);
    let b = this.frameBuf;
    if (size > FRAME_KEEP) b = Buffer.allocUnsafe(size);
    else if (size > b.length) b = this.frameBuf = Buffer.allocUnsafe(Math.max(size, 2 * b.length));
    writeCommand(b, 0, items);
    this.frameLen = size;
    this.bigFrame3 = null;
    return b;
  }

  /**
   * Delivers the frame [word, a, b] (or [word, a, b, c]) to each of `clients`, encoded once; returns how many it
   * reached.
   */
  private fanOut(clients: Set<Client>, word: string, a: string, b: string, c?: string): number {
    const items = c === undefined ? this.items3 : this.items4;
    items[0] = word;
    items[1] = a;
    items[2] = b;
    if (c !== undefined) items[3] = c;
    const f = this.encode(items);
    items.fill('', 1);
    let n = 0;
    for (const client of clients) {
      this.deliver(client, f);
      n++;
    }
    return n;
  }

  /** Writes the frame `encode` returned to one subscriber, in its protocol's form. */
  private deliver(c: Client, frame: Buffer): void {
    if (c.closed) return;
    if (frame !== this.frameBuf) {
      // A big frame of its own: queued as it is, not copied, and shared by the subscribers of each protocol.
      if (c.proto !== 3) return this.writePush(c, frame);
      if (this.bigFrame3 === null) {
        this.bigFrame3 = Buffer.from(frame);
        this.bigFrame3[0] = GT;
      }
      return this.writePush(c, this.bigFrame3);
    }
    frame[0] = c.proto === 3 ? GT : STAR;
    const server = this.server;
    if (server.silencedClient === c) server.keptPushes.push(Buffer.from(frame.subarray(0, this.frameLen)));
    c.out.copyFrom(frame, 0, this.frameLen);
    c.requestFlush();
  }

  /** Writes a (un)subscribe confirmation: [word, name or null, count]. */
  private confirm(c: Client, word: string, name: string | null, count: number): void {
    const body =
      bulkText(word) + (name === null ? (c.proto === 3 ? '_\r\n' : '$-1\r\n') : bulkText(name)) + ':' + count + '\r\n';
    this.writePush(c, frame(c.proto, 3, body));
  }

  /** SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE one name, with its confirmation. */
  subscribe(c: Client, kind: SubKind, name: string): void {
    const s = this.subsOf(c);
    const mine = kind === 'channel' ? s.channels : kind === 'pattern' ? s.patterns : s.shard;
    if (!mine.has(name)) {
      mine.add(name);
      if (kind === 'pattern') {
        let e = this.patterns.get(name);
        if (e === undefined) {
          e = { match: compileGlob(name), clients: new Set() };
          this.patterns.set(name, e);
        }
        e.clients.add(c);
      } else {
        const table = kind === 'channel' ? this.channels : this.shardChannels;
        let set = table.get(name);
        if (set === undefined) {
          set = new Set();
          table.set(name, set);
        }
        set.add(c);
      }
    }
    this.confirm(c, SUBSCRIBE_WORD[kind], name, this.countFor(kind, s));
  }

  /** Removes one subscription without any reply; true when the client had it. */
  private remove(c: Client, s: ClientSubs, kind: SubKind, name: string): boolean {
    const mine = kind === 'channel' ? s.channels : kind === 'pattern' ? s.patterns : s.shard;
    if (!mine.delete(name)) return false;
    if (kind === 'pattern') {
      const e = this.patterns.get(name);
      if (e !== undefined) {
        e.clients.delete(c);
        if (e.clients.size === 0) this.patterns.delete(name);
      }
    } else {
      const table = kind === 'channel' ? this.channels : this.shardChannels;
      const set = table.get(name);
      if (set !== undefined) {
        set.delete(c);
        if (set.size === 0) table.delete(name);
      }
    }
    return true;
  }

  /** UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE the given names (confirming each, subscribed or not). */
  unsubscribe(c: Client, kind: SubKind, names: readonly string[]): void {
    const word = UNSUBSCRIBE_WORD[kind];
    for (const name of names) {
      const s = this.byClient.get(c);
      if (s !== undefined) {
        this.remove(c, s, kind, name);
        this.dropIfEmpty(c, s);
      }
      this.confirm(c, word, name, this.countFor(kind, this.byClient.get(c)));
    }
  }

  /** The argument-less form: every subscription of that kind, or one confirmation with a null name if none. */
  unsubscribeAll(c: Client, kind: SubKind): void {
    const s = this.byClient.get(c);
    const mine =
      s === undefined ? undefined : kind === 'channel' ? s.channels : kind === 'pattern' ? s.patterns : s.shard;
    if (s === undefined || mine === undefined || mine.size === 0) {
      this.confirm(c, UNSUBSCRIBE_WORD[kind], null, this.countFor(kind, s));
      return;
    }
    this.unsubscribe(c, kind, [...mine]);
  }

  /** A client's channels, patterns and shard channels (the ACL layer checks them when permissions change). */
  subscriptionsOf(c: Client): { channels: Iterable<string>; patterns: Iterable<string>; shard: Iterable<string> } {
    const s = this.byClient.get(c);
    return s === undefined ? { channels: [], patterns: [], shard: [] } : s;
  }

  /** Forgets every subscription of a client without replying (disconnect, RESET). */
  unsubscribeAllSilently(c: Client): void {
    const s = this.byClient.get(c);
    if (s === undefined) return;
    for (const name of [...s.channels]) this.remove(c, s, 'channel', name);
    for (const name of [...s.patterns]) this.remove(c, s, 'pattern', name);
    for (const name of [...s.shard]) this.remove(c, s, 'shard', name);
    this.byClient.delete(c);
  }

  /**
   * Publishes a message on a channel: to the channel's subscribers, then to the subscribers of every matching
   * pattern. Returns the number of deliveries (a client reached through a channel and a pattern counts twice).
   */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined && subs.size > 0) receivers += this.fanOut(subs, 'message', channel, message);
    if (this.patterns.size > 0) {
      for (const [pattern, e] of this.patterns) {
        if (e.match(channel)) receivers += this.fanOut(e.clients, 'pmessage', pattern, channel, message);
      }
    }
    return receivers;
  }

  /** Publishes on a shard channel (SPUBLISH): its subscribers only, no patterns. */
  spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    return subs === undefined ? 0 : this.fanOut(subs, 'smessage', channel, message);
  }

  /** Channels (or shard channels) with at least one subscriber, optionally those matching a glob pattern. */
  activeChannels(shard: boolean, pattern?: string): string[] {
    const table = shard ? this.shardChannels : this.channels;
    if (pattern === undefined) return [...table.keys()];
    const match = compileGlob(pattern);
    const out: string[] = [];
    for (const ch of table.keys()) if (match(ch)) out.push(ch);
    return out;
  }

  /** Subscribers of a channel (or shard channel), patterns not counted. */
  subscriberCount(shard: boolean, channel: string): number {
    return (shard ? this.shardChannels : this.channels).get(channel)?.size ?? 0;
  }

  /** Distinct patterns subscribed to by any client (PUBSUB NUMPAT). */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** Active channels, patterns and shard channels, for INFO. */
  get totals(): { channels: number; patterns: number; shardChannels: number } {
    return { channels: this.channels.size, patterns: this.patterns.size, shardChannels: this.shardChannels.size };
  }
}
