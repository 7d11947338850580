// Multi-client differential fuzzer: several logical clients (NCLIENTS) against redis-server 7.0.15 and Cairn, driven
// in lockstep, to reach what one connection cannot: blocking commands served by other clients' writes,
// WATCH/MULTI/EXEC invalidated by others, pub/sub and keyspace notifications, client-side caching (tracking,
// BCAST/PREFIX/OPTIN/OPTOUT/NOLOOP/REDIRECT), RESP2 and RESP3 clients, SELECT/MOVE/SWAPDB/FLUSH*, CLIENT
// UNBLOCK/KILL/REPLY/SETNAME/NO-EVICT, RESET; besides, hashes, the *STORE commands and SORT … STORE, expiry,
// three databases (MOVE, COPY … DB, SWAPDB), and commands refused while queuing a transaction.
//
// Lockstep: a step sends one command to one non-blocked logical client on both servers and waits, per server, until
// that client got a byte back, is reported blocked (flag `b` in CLIENT LIST, polled on a control connection) or
// closed. Then one CLIENT LIST per server gives every client's state (flags, db, sub/psub/ssub, multi, name, redir,
// resp), which must match between the servers; then every non-blocked client gets a barrier (PING <token>, or MULTI
// while in a transaction: its "nested" error) and everything it received up to the barrier's reply is the step's
// output for that client, compared byte for byte between the servers (client ids normalised; invalidation pushes
// compared as a multiset, since Redis orders them by its client list/pointers on flushes and BCAST).
// Blocking commands always use timeout 0. Expiry is kept deterministic: active expiry is off (DEBUG SET-ACTIVE-EXPIRE
// 0), and TTLs are absolute times far in the future or already past (PXAT 1), so a key expires when a command finds
// it, on both servers alike. Each sequence starts with FLUSHALL on fresh connections.

import { RawConnection, encodeCommand, escapeBytes, parseReply, replyEnd, type RespValue } from '../support/resp.js';
import { rng } from '../support/data.js';
import { spawnCairnProcess, type CairnProcess } from '../support/cairn-process.js';
import { startRedis, type RedisHandle } from '../support/servers.js';

export const NCLIENTS = 4;
const KEYS = ['a', 'ab', 'b'];
const MEMBERS = ['x', 'y', 'z'];
const CHANNELS = ['ch1', 'ch2'];
const PATTERNS = [
  'ch*',
  '__key*__:*',
  '__keyspace@0__:a*',
  '__keyevent@*__:*',
  '__keyevent@*__:expired',
  '__keyevent@2__:*',
  '__keyspace@*__:b',
  '__keyevent@0__:h*',
];
const FIELDS = ['f1', 'f2', 'f3'];
/** Values that change encodings (int / intset) besides the plain members. */
const VALUES = ['x', 'y', '7', '-3', '1'];
const FAR = '4000000000';
const NOTIFY_FLAGS = ['K', 'E', 'g', '$', 'l', 's', 'z', 'h', 'x', 'e', 'm', 'n', 'A', 't', 'd'];

/** A step: which logical client (or the control connection) sends which command; `{id:N}` is client N's id. */
export interface McStep {
  client: number | 'ctl';
  argv: string[];
}

export interface McProblem {
  seed: number;
  sequence: number;
  /** One line: what differed. */
  summary: string;
  /** Replayable text: the steps, then both servers' bytes. */
  replay: string;
  steps: McStep[];
}

export interface McOptions {
  durationMs: number;
  seed?: number;
  log?: (line: string) => void;
  /** Steps per sequence (min, max). */
  minSteps?: number;
  maxSteps?: number;
  /** Shrink failing sequences (drop steps while the same difference remains). Default true. */
  shrink?: boolean;
  shrinkMs?: number;
  /** Replaying one sequence of a run: its number (and maxSequences 1). */
  firstSequence?: number;
  maxSequences?: number;
}

export interface McStats {
  seed: number;
  sequences: number;
  steps: number;
  blocked: number;
  pushes: number;
  elapsedMs: number;
  problems: McProblem[];
  crashes: number;
}

interface ClientState {
  flags: string;
  db: string;
  sub: number;
  psub: number;
  ssub: number;
  multi: number;
  name: string;
  redir: string;
  resp: string;
}

type ReplyMode = 'on' | 'off' | 'skip';

/** One server's side of the run: the control connection and the logical clients' connections. */
class Side {
  conns: (RawConnection | undefined)[] = [];
  ids: number[] = [];
  /** Every client id ever given to a logical client (for normalising): id -> label. */
  labels = new Map<number, string>();
  gen: number[] = [];
  ctl!: RawConnection;
  constructor(
    readonly name: 'redis' | 'cairn',
    readonly port: number,
  ) {}

  async open(): Promise<void> {
    this.ctl = await RawConnection.connect(this.port);
    this.labels.set(await this.idOf(this.ctl), 'ctl');
  }
  async idOf(c: RawConnection): Promise<number> {
    const r = (await c.call(['CLIENT', 'ID'])).toString('latin1');
    return Number(/^:(\d+)/.exec(r)![1]);
  }
  async connect(i: number, resp: 2 | 3): Promise<void> {
    const c = await RawConnection.connect(this.port);
    this.conns[i] = c;
    this.ids[i] = await this.idOf(c);
    this.gen[i] = (this.gen[i] ?? -1) + 1;
    this.labels.set(this.ids[i]!, `{id:${i}}`);
    if (resp === 3) await c.call(['HELLO', '3']);
  }
  async closeAll(): Promise<void> {
    await Promise.all(this.conns.map((c) => c?.close().catch(() => undefined)));
    this.conns = [];
  }
  subst(argv: string[]): string[] {
    return argv.map((a) => a.replace(/\{id:(\d+)\}/g, (_, n: string) => String(this.ids[Number(n)] ?? 999999)));
  }
  async clientStates(): Promise<Map<number, ClientState>> {
    const out = new Map<number, ClientState>();
    const text = (await this.ctl.call(['CLIENT', 'LIST'], 10_000)).toString('latin1');
    for (const line of text.split('\n')) {
      const f = new Map<string, string>();
      for (const m of line.matchAll(/(\S+?)=(\S*)/g)) if (!f.has(m[1]!)) f.set(m[1]!, m[2]!);
      const id = Number(f.get('id'));
      const i = this.ids.indexOf(id);
      if (!Number.isFinite(id) || i < 0 || !this.conns[i]) continue;
      const redir = Number(f.get('redir') ?? '-1');
      out.set(i, {
        flags: [...(f.get('flags') ?? '')].sort().join(''),
        db: f.get('db') ?? '?',
        sub: Number(f.get('sub') ?? 0),
        psub: Number(f.get('psub') ?? 0),
        ssub: Number(f.get('ssub') ?? 0),
        multi: Number(f.get('multi') ?? -1),
        name: f.get('name') ?? '',
        redir: redir <= 0 ? String(redir) : (this.labels.get(redir) ?? 'other'),
        resp: f.get('resp') ?? '?',
      });
    }
    return out;
  }
  async isBlocked(i: number): Promise<boolean> {
    const t = (await this.ctl.call(['CLIENT', 'LIST', 'ID', String(this.ids[i])], 10_000)).toString('latin1');
    const m = /flags=(\S*)/.exec(t);
    return m !== null && m[1]!.includes('b');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function stateText(s: ClientState | undefined): string {
  if (!s) return 'gone';
  return `flags=${s.flags} db=${s.db} sub=${s.sub} psub=${s.psub} ssub=${s.ssub} multi=${s.multi} name=${s.name} redir=${s.redir} resp=${s.resp}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** Reads replies until `isEnd(reply)`; returns everything read. On close, returns what there was plus a marker. */
async function readUntil(c: RawConnection, isEnd: (b: Buffer) => boolean, timeoutMs = 4000): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    let r: Buffer;
    try {
      r = await c.readReply(timeoutMs);
    } catch (err) {
      const msg = (err as Error).message;
      if (c.isClosed) {
        const rest = await c.readUntilClosed(100).catch(() => Buffer.alloc(0));
        parts.push(rest, Buffer.from('<closed>'));
      } else parts.push(Buffer.from(`<timeout: ${msg.slice(0, 60)}>`));
      return Buffer.concat(parts);
    }
    parts.push(r);
    if (isEnd(r)) return Buffer.concat(parts);
  }
}

const NESTED = '-ERR MULTI calls can not be nested\r\n';

function tokenReplies(tok: string): string[] {
  return [`$${tok.length}\r\n${tok}\r\n`, `*2\r\n$4\r\npong\r\n$${tok.length}\r\n${tok}\r\n`];
}

/** Sends the barrier for client state `st`/`mode` and reads up to its reply. */
async function barrier(c: RawConnection, st: ClientState | undefined, mode: ReplyMode, tok: string): Promise<Buffer> {
  if (c.isClosed)
    return Buffer.concat([await c.readUntilClosed(100).catch(() => Buffer.alloc(0)), Buffer.from('<closed>')]);
  const ends = tokenReplies(tok);
  try {
    if (st && st.flags.includes('x')) {
      c.sendRaw(encodeCommand(['MULTI']));
      return await readUntil(c, (b) => b.toString('latin1') === NESTED);
    }
    if (mode === 'off') {
      c.sendRaw(
        Buffer.concat([
          encodeCommand(['CLIENT', 'REPLY', 'ON']),
          encodeCommand(['PING', tok]),
          encodeCommand(['CLIENT', 'REPLY', 'OFF']),
        ]),
      );
    } else if (mode === 'skip') {
      c.sendRaw(Buffer.concat([encodeCommand(['PING', tok + 's']), encodeCommand(['PING', tok])]));
    } else c.sendRaw(encodeCommand(['PING', tok]));
  } catch {
    // written to a closed socket: read what there is
  }
  return readUntil(c, (b) => ends.includes(b.toString('latin1')));
}

// ---------------------------------------------------------------------------------------------------------------
// Normalising and comparing one client's bytes for a step

function isInvalidation(v: RespValue): boolean {
  let arr: RespValue[] | undefined;
  if (Array.isArray(v)) arr = v;
  else if (v !== null && typeof v === 'object' && !(v instanceof Map) && 'push' in v) arr = v.push;
  if (!arr) return false;
  if (arr[0] === 'invalidate') return true;
  return arr[0] === 'message' && arr[1] === '__redis__:invalidate';
}

/** Splits a byte stream into top-level replies (and a trailing unparsable rest, e.g. a <closed> marker). */
function splitReplies(buf: Buffer): string[] {
  const out: string[] = [];
  let rest = buf;
  while (rest.length > 0) {
    let end: number;
    try {
      end = replyEnd(rest, 0);
    } catch {
      end = -1;
    }
    if (end <= 0) {
      out.push(rest.toString('latin1'));
      break;
    }
    out.push(rest.subarray(0, end).toString('latin1'));
    rest = rest.subarray(end);
  }
  return out;
}

/** The channel of a pmessage (and the message), or undefined. */
function pmessageChannel(p: string): string | undefined {
  const m = /^[*>]4\r\n\$8\r\npmessage\r\n\$\d+\r\n[^\r]*\r\n([\s\S]*)$/.exec(p);
  return m ? m[1] : undefined;
}

function canonical(buf: Buffer, side: Side, idCmd: boolean): string {
  let s = buf.toString('latin1');
  const label = (n: string): string => side.labels.get(Number(n)) ?? `<id>`;
  // HELLO's map / array: the id field
  s = s.replace(/\$2\r\nid\r\n:(\d+)\r\n/g, (_, n: string) => `$2\r\nid\r\n:${label(n)}\r\n`);
  s = s.replace(/tracking-redir-broken\r\n:(\d+)\r\n/g, (_, n: string) => `tracking-redir-broken\r\n:${label(n)}\r\n`);
  s = s.replace(/\$8\r\nredirect\r\n:(\d+)\r\n/g, (_, n: string) => `$8\r\nredirect\r\n:${label(n)}\r\n`);
  if (idCmd) s = s.replace(/^:(\d+)\r\n/, (_, n: string) => `:${label(n)}\r\n`);
  // Invalidation pushes as a multiset, where they stand as a group.
  const parts = splitReplies(Buffer.from(s, 'latin1'));
  const inval: string[] = [];
  const other: string[] = [];
  for (const p of parts) {
    let v: RespValue | undefined;
    try {
      v = parseReply(Buffer.from(p, 'latin1'));
    } catch {
      v = undefined;
    }
    if (v !== undefined && isInvalidation(v)) inval.push(p);
    else other.push(p);
  }
  // UNSUBSCRIBE (etc.) without arguments walks a hash table of the client's channels: any order.
  const unsub: string[] = [];
  const counts: string[] = [];
  const rest: string[] = [];
  for (const p of other) {
    const m = /^[*>]3\r\n\$(?:1[12])\r\n([ps]?unsubscribe)\r\n(\$-1|_|\$\d+\r\n[^\r]*)\r\n:(\d+)\r\n$/.exec(p);
    if (m) {
      unsub.push(`${m[1]} ${m[2]}`);
      counts.push(`${m[1]} ${m[3]}`);
      rest.push('<unsub>');
    } else rest.push(p);
  }
  // A message matching several of a client's patterns: Redis walks its pattern dict (hash order).
  let pgroups = false;
  for (let a = 0; a < rest.length;) {
    const ch = pmessageChannel(rest[a]!);
    let b = a + 1;
    if (ch !== undefined) while (b < rest.length && pmessageChannel(rest[b]!) === ch) b++;
    if (b - a > 1) {
      const g = rest.slice(a, b).sort();
      rest.splice(a, b - a, ...g);
      pgroups = true;
    }
    a = b;
  }
  if (inval.length < 2 && unsub.length < 2 && !pgroups) return s;
  inval.sort();
  unsub.sort();
  return (
    rest.join('') +
    '\n[invalidations, any order]\n' +
    inval.join('') +
    '\n[unsubscribed, any order]\n' +
    unsub.join('\n') +
    '\n' +
    counts.join(' ')
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The generator

interface Model {
  state: (ClientState | undefined)[];
  mode: ReplyMode[];
  notify: boolean;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function genCommand(r: () => number, i: number, m: Model): string[] {
  const st = m.state[i];
  const resp3 = st?.resp === '3';
  const subscribed = !!st && st.sub + st.psub + st.ssub > 0;
  const inMulti = !!st && st.flags.includes('x');
  const mode = m.mode[i]!;
  const k = (): string => pick(r, KEYS);
  const mem = (): string => pick(r, MEMBERS);
  const other = (): string => String(Math.floor(r() * NCLIENTS));
  const ch = (): string => pick(r, CHANNELS);
  const dir = (): string => pick(r, ['LEFT', 'RIGHT']);
  const mm = (): string => pick(r, ['MIN', 'MAX']);
  // Known difference: Redis 7.0 writes the pushes a Z*POP causes for the client popping — keyspace events it
  // subscribed to, invalidations redirected to it — inside the reply (after the array header), which breaks RESP3
  // framing; Cairn sends them after it. A RESP3 client may become a redirect target while it blocks, so here RESP3
  // clients pop no sorted sets (RESP2 ones receive no pushes outside subscribed mode, MULTI aside).
  const zpopOk = !inMulti && !resp3;

  const pubsub: (() => string[])[] = [
    () => ['SUBSCRIBE', ch(), ...(r() < 0.3 ? [ch()] : [])],
    () => [
      'SUBSCRIBE',
      pick(r, [
        '__keyspace@0__:a',
        '__keyevent@0__:del',
        '__keyevent@0__:lpush',
        '__keyevent@1__:set',
        '__keyevent@0__:expired',
        '__keyevent@0__:hset',
        '__keyspace@2__:a',
        '__keyevent@0__:expire',
      ]),
    ],
    // Without arguments the order is Redis's hash order: normalised at top level, not inside EXEC's array.
    () => (r() < 0.3 && !inMulti ? ['UNSUBSCRIBE'] : ['UNSUBSCRIBE', ch()]),
    () => ['PSUBSCRIBE', pick(r, PATTERNS)],
    () => (r() < 0.3 && !inMulti ? ['PUNSUBSCRIBE'] : ['PUNSUBSCRIBE', pick(r, PATTERNS)]),
    () => ['SSUBSCRIBE', ch()],
    () => (r() < 0.3 && !inMulti ? ['SUNSUBSCRIBE'] : ['SUNSUBSCRIBE', ch()]),
    () => ['PING'],
  ];
  if (subscribed && !resp3 && r() < 0.85) {
    return r() < 0.1 ? ['RESET'] : pick(r, pubsub)();
  }
  const data: (() => string[])[] = [
    () => [pick(r, ['LPUSH', 'RPUSH']), k(), mem(), ...(r() < 0.4 ? [mem()] : [])],
    () => [pick(r, ['LPOP', 'RPOP']), k(), ...(r() < 0.3 ? ['2'] : [])],
    () => ['LMOVE', k(), k(), dir(), dir()],
    () => ['RPOPLPUSH', k(), k()],
    () => ['LRANGE', k(), '0', '-1'],
    () => ['ZADD', k(), String(Math.floor(r() * 5)), mem(), ...(r() < 0.4 ? [String(Math.floor(r() * 5)), mem()] : [])],
    ...(zpopOk
      ? [
          () => [pick(r, ['ZPOPMIN', 'ZPOPMAX']), k(), ...(r() < 0.3 ? ['2'] : [])],
          () => ['ZMPOP', '2', k(), k(), mm(), ...(r() < 0.3 ? ['COUNT', '2'] : [])],
        ]
      : []),
    () => ['ZRANGE', k(), '0', '-1', 'WITHSCORES'],
    () => ['SADD', k(), mem()],
    () => ['SREM', k(), mem()],
    () => ['SCARD', k()],
    () => ['SET', k(), mem()],
    () => ['GET', k()],
    () => ['GET', k()],
    () => ['MGET', k(), k()],
    () => ['APPEND', k(), mem()],
    () => ['INCR', k()],
    () => ['DEL', k(), ...(r() < 0.3 ? [k()] : [])],
    () => ['EXISTS', k()],
    () => ['TYPE', k()],
    () => ['RENAME', k(), k()],
    () => ['COPY', k(), k(), ...(r() < 0.4 ? ['REPLACE'] : []), ...(r() < 0.3 ? ['DB', '1'] : [])],
    () => ['MOVE', k(), '1'],
    () => ['PUBLISH', ch(), mem()],
    () => ['SPUBLISH', ch(), mem()],
    () => ['PUBSUB', 'NUMSUB', ch()],
  ];
  const fld = (): string => pick(r, FIELDS);
  const val = (): string => pick(r, VALUES);
  const db = (): string => pick(r, ['0', '1', '2']);
  // Hashes (small: listpack, insertion order, so HGETALL / HKEYS / HRANDFIELD with a count >= size are fixed).
  const hash: (() => string[])[] = [
    () => ['HSET', k(), fld(), val(), ...(r() < 0.4 ? [fld(), val()] : [])],
    () => ['HSET', k(), fld(), val()],
    () => ['HSETNX', k(), fld(), val()],
    () => ['HDEL', k(), fld(), ...(r() < 0.3 ? [fld()] : [])],
    () => ['HINCRBY', k(), fld(), pick(r, ['1', '-2', '5'])],
    () => ['HINCRBYFLOAT', k(), fld(), pick(r, ['1.5', '-2'])],
    () => ['HGETALL', k()],
    () => ['HGET', k(), fld()],
    () => ['HMGET', k(), fld(), fld()],
    () => ['HLEN', k()],
    () => ['HEXISTS', k(), fld()],
    () => [pick(r, ['HKEYS', 'HVALS']), k()],
    () => ['HKEYS', k()],
    () => ['HRANDFIELD', k(), '5', ...(r() < 0.5 ? ['WITHVALUES'] : [])],
    () => ['HSTRLEN', k(), fld()],
  ];
  // Expiry, kept deterministic: absolute times far in the future or in the past (PXAT 1: set, expired at the
  // next access: lazy expiry, active expiry being off), PEXPIRE 1 only outside MULTI (the next step is later).
  // A key created already expired under a name a client blocks on is a case this found (a string woke the
  // waiter, whose serving expired it).
  const expiry: (() => string[])[] = [
    () => ['SET', k(), val(), pick(r, ['PXAT', 'EXAT']), '1'],
    () => ['SET', k(), val(), 'PXAT', '1', ...(r() < 0.5 ? ['GET'] : [])],
    () => ['SET', k(), val(), 'EXAT', FAR],
    () => ['SET', k(), val(), pick(r, ['KEEPTTL', 'XX', 'NX'])],
    () => [pick(r, ['PEXPIREAT', 'EXPIREAT']), k(), '1'],
    () => ['EXPIREAT', k(), pick(r, [FAR, '4100000000']), ...(r() < 0.5 ? [pick(r, ['NX', 'XX', 'GT', 'LT'])] : [])],
    () => ['EXPIRE', k(), pick(r, ['0', '-5'])],
    ...(inMulti ? [] : [() => ['PEXPIRE', k(), '1'], () => ['PEXPIRE', k(), '1']]),
    () => ['PERSIST', k()],
    () => [pick(r, ['EXPIRETIME', 'PEXPIRETIME']), k()],
    () => ['EXPIRETIME', k()],
    () => ['GETEX', k(), ...pick(r, [[], ['PERSIST'], ['PXAT', '1'], ['EXAT', FAR], ['EXAT', '1']])],
    () => ['GETDEL', k()],
    () => ['DBSIZE'],
    () => ['DBSIZE'],
    () => ['TOUCH', k(), ...(r() < 0.4 ? [k()] : [])],
    () => ['EXISTS', k(), k()],
    () => ['OBJECT', 'ENCODING', k()],
    () => ['OBJECT', 'ENCODING', k()],
    // REFCOUNT inside MULTI differs (Redis counts the queued argv sharing a value APPENDed in the same EXEC).
    () => ['OBJECT', pick(r, inMulti ? ['FREQ'] : ['REFCOUNT', 'FREQ'])].concat([k()]),
  ];
  const more: (() => string[])[] = [
    () => [
      'SORT',
      k(),
      ...(r() < 0.7 ? ['ALPHA'] : []),
      ...(r() < 0.3 ? ['DESC'] : []),
      ...(r() < 0.2 ? ['LIMIT', '0', '2'] : []),
      ...(r() < 0.6 ? ['STORE', k()] : []),
    ],
    () => ['SORT_RO', k(), 'ALPHA'],
    () => ['LMPOP', '2', k(), k(), dir(), ...(r() < 0.5 ? ['COUNT', pick(r, ['1', '2', '5'])] : [])],
    () => [pick(r, ['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), k(), k(), ...(r() < 0.5 ? [k()] : [])],
    () => [pick(r, ['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), k(), '2', k(), k()],
    () => ['ZRANGESTORE', k(), k(), '0', '-1'],
    () => ['SADD', k(), val(), ...(r() < 0.3 ? [val()] : [])],
    () => ['SMOVE', k(), k(), val()],
    () => ['SISMEMBER', k(), val()],
    () => [pick(r, ['LPUSHX', 'RPUSHX']), k(), mem()],
    () => ['LINSERT', k(), pick(r, ['BEFORE', 'AFTER']), mem(), val()],
    () => ['LREM', k(), '0', mem()],
    () => ['LSET', k(), '0', val()],
    () => ['LTRIM', k(), pick(r, ['0', '1']), pick(r, ['0', '-1', '-2'])],
    () => ['RENAMENX', k(), k()],
    () => ['RENAME', k(), k()],
    () => ['SETRANGE', k(), '1', mem()],
    () => [pick(r, ['INCRBY', 'DECRBY']), k(), '3'],
    () => ['STRLEN', k()],
    () => ['MSET', k(), val(), k(), val()],
    () => ['MSETNX', k(), val(), k(), val()],
    () => ['SETNX', k(), val()],
    () => ['MOVE', k(), db()],
    () => ['COPY', k(), k(), ...(r() < 0.4 ? ['REPLACE'] : []), 'DB', db()],
    () => ['UNLINK', k()],
  ];
  // Inside MULTI: commands that are rejected at queue time (arity, unknown, no-multi) or run at once.
  const multiErr: (() => string[])[] = [
    () => ['GET'],
    () => ['NOSUCHCMD', k()],
    () => ['WATCH', k()],
    () => ['EXEC'],
    () => ['HSET', k(), fld()],
    () => ['SELECT', pick(r, ['1', '2', '99'])],
    () => ['CLIENT', 'NO-EVICT', pick(r, ['ON', 'OFF'])],
  ];
  const rare: (() => string[])[] = [
    () => ['SWAPDB', pick(r, ['0', '1']), pick(r, ['1', '2'])],
    () => ['SWAPDB', '0', '2'],
    () => [pick(r, ['FLUSHDB', 'FLUSHALL'])],
    () => ['SELECT', db()],
    () => ['SELECT', db()],
  ];
  const blocking: (() => string[])[] = [
    () => [pick(r, ['BLPOP', 'BRPOP']), k(), ...(r() < 0.4 ? [k()] : []), '0'],
    () => ['BLMOVE', k(), k(), dir(), dir(), '0'],
    () => ['BRPOPLPUSH', k(), k(), '0'],
    () => ['BLMPOP', '0', '2', k(), k(), dir(), ...(r() < 0.4 ? ['COUNT', '2'] : [])],
    ...(zpopOk
      ? [
          () => [pick(r, ['BZPOPMIN', 'BZPOPMAX']), k(), ...(r() < 0.4 ? [k()] : []), '0'],
          () => ['BZMPOP', '0', '1', k(), mm(), ...(r() < 0.3 ? ['COUNT', '2'] : [])],
        ]
      : []),
  ];
  const tx: (() => string[])[] = [
    () => ['WATCH', k(), ...(r() < 0.3 ? [k()] : [])],
    () => ['UNWATCH'],
    ...(inMulti ? [() => ['EXEC'], () => ['EXEC'], () => ['DISCARD']] : [() => ['MULTI'], () => ['MULTI']]),
  ];
  const trackingOn = (): string[] => {
    const a = ['CLIENT', 'TRACKING', 'ON'];
    const bcast = r() < 0.35;
    if (bcast) {
      a.push('BCAST');
      if (r() < 0.6) a.push('PREFIX', pick(r, ['a', 'b', 'ab']));
      if (r() < 0.2) a.push('PREFIX', pick(r, ['a', 'b']));
    } else if (r() < 0.4) a.push(pick(r, ['OPTIN', 'OPTOUT']));
    if (r() < 0.3) a.push('NOLOOP');
    if (r() < 0.4 || !resp3) a.push('REDIRECT', `{id:${other()}}`);
    return a;
  };
  const client: (() => string[])[] = [
    trackingOn,
    trackingOn,
    () => ['CLIENT', 'TRACKING', 'OFF'],
    () => ['CLIENT', 'CACHING', pick(r, ['YES', 'NO'])],
    () => ['CLIENT', 'SETNAME', pick(r, ['n1', 'n2'])],
    () => ['CLIENT', 'SETNAME', pick(r, ['', 'n3', 'a b'])],
    () => ['CLIENT', 'NO-EVICT', pick(r, ['ON', 'OFF', 'maybe'])],
    () => ['CLIENT', 'GETNAME'],
    () => ['CLIENT', 'UNBLOCK', `{id:${other()}}`, ...(r() < 0.7 ? [pick(r, ['TIMEOUT', 'ERROR'])] : [])],
    () => ['CLIENT', 'UNBLOCK', `{id:${other()}}`, ...(r() < 0.7 ? [pick(r, ['TIMEOUT', 'ERROR'])] : [])],
    () => [
      'CONFIG',
      'SET',
      'notify-keyspace-events',
      r() < 0.6
        ? pick(r, [
            'KEA',
            'KA',
            'EA',
            'Kl',
            'El$',
            'Ez',
            'KEg',
            'Egx',
            'Ksz',
            'KEAm',
            'En',
            'KEln',
            'Eh',
            'Kx',
            'KEx',
            'Ee',
            'KEhx',
            'Exg',
          ])
        : Array.from({ length: Math.floor(r() * 4) }, () => pick(r, NOTIFY_FLAGS)).join(''),
    ],
  ];
  const connOnly: (() => string[])[] = [
    () => ['CLIENT', 'KILL', 'ID', `{id:${other()}}`],
    () => ['CLIENT', 'REPLY', pick(r, ['OFF', 'SKIP', 'SKIP', 'ON'])],
    () => ['HELLO', pick(r, ['2', '3'])],
    () => ['RESET'],
    () => ['CLIENT', 'ID'],
    () => ['CLIENT', 'GETREDIR'],
    () => ['CLIENT', 'TRACKINGINFO'],
  ];
  if (mode === 'off') {
    const x = r();
    if (x < 0.3) return ['CLIENT', 'REPLY', pick(r, ['ON', 'ON', 'SKIP'])];
    if (x < 0.35) return ['RESET'];
    return pick(r, r() < 0.5 ? data : r() < 0.5 ? expiry : hash)();
  }
  const x = r();
  if (inMulti && x < 0.05) return pick(r, multiErr)();
  if (x < 0.36) {
    const y = r();
    if (y < 0.3) return pick(r, data)();
    if (y < 0.5) return pick(r, hash)();
    if (y < 0.75) return pick(r, expiry)();
    return pick(r, more)();
  }
  if (x < 0.48) return pick(r, pubsub)();
  if (x < 0.6) return pick(r, blocking)();
  if (x < 0.72) return pick(r, tx)();
  if (x < 0.84) return pick(r, client)();
  if (x < 0.88) return pick(r, rare)();
  if (!inMulti && !(subscribed && !resp3)) return pick(r, connOnly)();
  return pick(r, data)();
}

// ---------------------------------------------------------------------------------------------------------------
// Running a sequence

interface SeqResult {
  /** Index of the failing step, or -1. */
  failedAt: number;
  /** Category of the difference (for shrinking: the same kind must remain). */
  kind?: string;
  detail?: string;
  steps: McStep[];
  blocked: number;
  pushes: number;
  crashed?: boolean;
}

const ID_CMDS = new Set(['client id', 'client getredir', 'hello']);

/**
 * Runs one sequence: `fixed` replays given steps, else `gen` makes them (from the reference server's state).
 */
async function runSequence(
  sides: [Side, Side],
  resps: (2 | 3)[],
  nSteps: number,
  gen: ((i: number, m: Model) => McStep) | undefined,
  fixed: McStep[] | undefined,
  isAlive: () => boolean,
): Promise<SeqResult> {
  const [R] = sides;
  const res: SeqResult = { failedAt: -1, steps: [], blocked: 0, pushes: 0 };
  for (const s of sides) {
    await s.ctl.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    await s.ctl.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await s.ctl.call(['FLUSHALL']);
    for (let i = 0; i < NCLIENTS; i++) await s.connect(i, resps[i]!);
  }
  const model: Model = {
    state: new Array<ClientState | undefined>(NCLIENTS).fill(undefined),
    mode: new Array<ReplyMode>(NCLIENTS).fill('on'),
    notify: false,
  };
  const st0 = await R.clientStates();
  for (let i = 0; i < NCLIENTS; i++) model.state[i] = st0.get(i);

  const total = fixed ? fixed.length : nSteps;
  let extra: McStep[] = [];
  for (let n = 0; ; n++) {
    let step: McStep;
    if (n < total) {
      if (fixed) step = fixed[n]!;
      else {
        const cands = [...Array(NCLIENTS).keys()].filter((i) => !model.state[i]?.flags.includes('b'));
        if (cands.length === 0) break;
        step = gen!(n, model);
      }
    } else {
      // Wind down: unblock whatever is still blocked, from the control connection.
      if (extra.length === 0 && n === total) {
        extra = [...Array(NCLIENTS).keys()]
          .filter((i) => model.state[i]?.flags.includes('b'))
          .map((i) => ({ client: 'ctl' as const, argv: ['CLIENT', 'UNBLOCK', `{id:${i}}`] }));
      }
      const e = extra.shift();
      if (!e) {
        // Finally the data itself, read from the control connections.
        const dumps = await Promise.all(sides.map((s) => dumpData(s.ctl)));
        if (dumps[0] !== dumps[1]) {
          res.failedAt = n;
          res.kind = 'data at the end';
          res.detail = `data after the last step:\n    redis: ${dumps[0]}\n    cairn: ${dumps[1]}`;
        }
        break;
      }
      step = e;
    }
    res.steps.push(step);
    const out = await runStep(sides, step, model, n);
    res.pushes += out.pushes;
    if (out.blockedNow) res.blocked++;
    if (out.problem) {
      res.failedAt = n;
      res.kind = out.kind;
      res.detail = out.problem;
      if (!isAlive()) res.crashed = true;
      return res;
    }
  }
  return res;
}

async function dumpData(ctl: RawConnection): Promise<string> {
  const out: string[] = [];
  const ks = (await ctl.call(['INFO', 'keyspace'])).toString('latin1').replace(/,avg_ttl=\d+/g, '');
  out.push(
    JSON.stringify(
      ks
        .split('\r\n')
        .filter((l) => l.startsWith('db'))
        .join(' '),
    ),
  );
  for (const db of ['0', '1', '2']) {
    await ctl.call(['SELECT', db]);
    out.push(`db${db} size ${(await ctl.call(['DBSIZE'])).toString('latin1').trim()}`);
    for (const k of KEYS) {
      const t = (await ctl.call(['TYPE', k])).toString('latin1').trim();
      let v = '';
      if (t === '+string') v = (await ctl.call(['GET', k])).toString('latin1');
      else if (t === '+list') v = (await ctl.call(['LRANGE', k, '0', '-1'])).toString('latin1');
      else if (t === '+zset') v = (await ctl.call(['ZRANGE', k, '0', '-1', 'WITHSCORES'])).toString('latin1');
      else if (t === '+set') v = (await ctl.call(['SORT', k, 'ALPHA'])).toString('latin1');
      else if (t === '+hash') v = (await ctl.call(['HGETALL', k])).toString('latin1');
      const e = (await ctl.call(['PEXPIRETIME', k])).toString('latin1').trim();
      const enc = (await ctl.call(['OBJECT', 'ENCODING', k])).toString('latin1').replace(/^\$\d+\r\n|\r\n$/g, '');
      if (t !== '+none') out.push(`${db}/${k} ${t} ${enc} ${e} ${JSON.stringify(v)}`);
    }
  }
  await ctl.call(['SELECT', '0']);
  return out.join('; ');
}

interface StepOut {
  problem?: string;
  kind?: string;
  pushes: number;
  blockedNow: boolean;
}

async function settle(side: Side, step: McStep, mode: ReplyMode): Promise<string> {
  if (step.client === 'ctl') return 'ctl';
  const i = step.client;
  const c = side.conns[i]!;
  if (
    mode === 'off' ||
    (step.argv[0]!.toUpperCase() === 'CLIENT' &&
      step.argv[1]?.toUpperCase() === 'REPLY' &&
      step.argv[2]?.toUpperCase() !== 'ON')
  ) {
    return 'noreply';
  }
  const deadline = Date.now() + 4000;
  while (Date.now() < deadline) {
    if (c.buffered > 0) return 'reply';
    if (c.isClosed) return 'closed';
    if (await side.isBlocked(i).catch(() => false)) return 'blocked';
    if (c.buffered > 0) return 'reply';
    await sleep(2);
  }
  return 'silent';
}

async function runStep(sides: [Side, Side], step: McStep, model: Model, n: number): Promise<StepOut> {
  const out: StepOut = { pushes: 0, blockedNow: false };
  const i = step.client;
  const before = i === 'ctl' ? undefined : model.state[i];
  const modeBefore: ReplyMode = i === 'ctl' ? 'on' : model.mode[i]!;
  const cmdName = (
    step.argv[0]! + (/^(client|config|pubsub)$/i.test(step.argv[0]!) ? ' ' + (step.argv[1] ?? '') : '')
  ).toLowerCase();
  // Send on both.
  const ctlReplies: (Buffer | undefined)[] = [undefined, undefined];
  const settles = await Promise.all(
    sides.map(async (s, si) => {
      const argv = s.subst(step.argv);
      if (i === 'ctl') {
        ctlReplies[si] = await s.ctl.call(argv, 10_000);
        return 'ctl';
      }
      const c = s.conns[i];
      if (!c || c.isClosed) return 'closed';
      try {
        c.sendRaw(encodeCommand(argv));
      } catch {
        return 'closed';
      }
      return settle(s, step, modeBefore);
    }),
  );
  // A relative expiry (PEXPIRE k 1) is left to pass on both servers before any later step looks at the key: the two
  // ran it at slightly different times, and a step within the same millisecond or two could find the key live on
  // one and expired on the other.
  if (/^pexpire$/i.test(step.argv[0]!)) await sleep(5);
  if (settles[0] !== settles[1] && (settles[0] === 'silent' || settles[1] === 'silent')) {
    out.problem = `after the command: redis ${settles[0]}, cairn ${settles[1]}`;
    out.kind = `settle ${cmdName}`;
    return out;
  }
  if (i === 'ctl' && ctlReplies[0]!.toString('latin1') !== ctlReplies[1]!.toString('latin1')) {
    out.problem = `control reply: redis ${escapeBytes(ctlReplies[0]!, 400)} cairn ${escapeBytes(ctlReplies[1]!, 400)}`;
    out.kind = `ctl ${cmdName}`;
    return out;
  }
  // Reply mode (tracked from the commands; CLIENT LIST does not show it).
  const got: [Buffer[], Buffer[]] = [[], []];
  if (i !== 'ctl') {
    const a = step.argv.map((x) => x.toUpperCase());
    const plain =
      !before?.flags.includes('x') && !(before && before.resp === '2' && before.sub + before.psub + before.ssub > 0);
    let newMode: ReplyMode = modeBefore === 'skip' ? 'on' : modeBefore;
    if (plain && a[0] === 'CLIENT' && a[1] === 'REPLY' && a.length === 3) {
      if (a[2] === 'OFF') newMode = 'off';
      else if (a[2] === 'ON') newMode = 'on';
      else if (a[2] === 'SKIP' && modeBefore !== 'off') newMode = 'skip';
    }
    if (plain && a[0] === 'RESET') newMode = 'on';
    model.mode[i] = newMode;
    if (settles[0] === 'noreply') {
      // No reply to wait for: the client's own barrier shows the command was processed. Let the command be read
      // on its own first (BCAST invalidations go out at the end of the event-loop turn: a barrier read in the
      // same turn would come before them on one server and after them on the other).
      await sleep(15);
      const bs = await Promise.all(sides.map((s) => barrier(s.conns[i]!, before, newMode, `b${n}.${i}`)));
      got[0].push(bs[0]!);
      got[1].push(bs[1]!);
      if (newMode === 'skip') model.mode[i] = 'on';
    }
  }
  // States, which must match (blocking takes effect at its own pace: poll a little while they differ).
  let states: Map<number, ClientState>[] = [];
  for (let tries = 0; ; tries++) {
    states = await Promise.all(sides.map((s) => s.clientStates()));
    const diffs = [...Array(NCLIENTS).keys()].filter(
      (c) =>
        sides[0].conns[c] &&
        !sides[0].conns[c]!.isClosed &&
        stateText(states[0]!.get(c)) !== stateText(states[1]!.get(c)),
    );
    if (diffs.length === 0) break;
    if (tries >= 25) {
      out.problem = diffs
        .map(
          (c) =>
            `client ${c} state: redis ${stateText(states[0]!.get(c))}\n                 cairn ${stateText(states[1]!.get(c))}`,
        )
        .join('\n');
      out.kind = `state ${cmdName}`;
      return out;
    }
    await sleep(20);
  }
  // Barriers / reads for every client.
  const tok = `b${n}`;
  const perClient = await Promise.all(
    [...Array(NCLIENTS).keys()].map(async (c) =>
      Promise.all(
        sides.map(async (s, si) => {
          const conn = s.conns[c];
          if (!conn) return Buffer.alloc(0);
          const st = states[si]!.get(c);
          if (st?.flags.includes('b')) {
            const b = await conn.readAvailable(15, 500).catch(() => Buffer.alloc(0));
            return conn.isClosed ? Buffer.concat([b, Buffer.from('<closed>')]) : b;
          }
          if (c === i && settles[si] === 'noreply') {
            return conn.isClosed
              ? Buffer.concat([await conn.readUntilClosed(100).catch(() => Buffer.alloc(0)), Buffer.from('<closed>')])
              : Buffer.alloc(0);
          }
          return barrier(conn, st, model.mode[c]!, `${tok}.${c}`);
        }),
      ),
    ),
  );
  if (i !== 'ctl' && settles[0] === 'noreply') {
    const pc = perClient[i]!;
    pc[0] = Buffer.concat([got[0][0]!, pc[0]!]);
    pc[1] = Buffer.concat([got[1][0]!, pc[1]!]);
  }
  const problems: string[] = [];
  for (let c = 0; c < NCLIENTS; c++) {
    const [rb, kb] = perClient[c]!;
    const idCmd = c === i && ID_CMDS.has(cmdName);
    const rc = canonical(rb!, sides[0], idCmd);
    const kc = canonical(kb!, sides[1], idCmd);
    out.pushes += (rb!.toString('latin1').match(/>\d+\r\n/g) ?? []).length;
    if (rc !== kc) {
      problems.push(
        `client ${c} received:\n    redis: ${escapeBytes(Buffer.from(rc, 'latin1'), 1200)}\n    cairn: ${escapeBytes(Buffer.from(kc, 'latin1'), 1200)}`,
      );
    }
  }
  if (problems.length > 0) {
    out.problem = problems.join('\n  ');
    out.kind = `bytes ${cmdName}`;
    return out;
  }
  // Update the model from the reference's state; reconnect closed clients (fresh RESP2 connections).
  for (let c = 0; c < NCLIENTS; c++) {
    model.state[c] = states[0]!.get(c);
    if (model.state[c]?.flags.includes('b') && c === i) out.blockedNow = true;
    const closed = sides.map((s) => !s.conns[c] || s.conns[c]!.isClosed);
    if (closed[0] !== closed[1]) {
      out.problem = `client ${c}: connection closed on ${closed[0] ? 'redis' : 'cairn'} only`;
      out.kind = `closed ${cmdName}`;
      return out;
    }
    if (closed[0]) {
      for (const s of sides) await s.connect(c, 2);
      model.mode[c] = 'on';
      const st = await sides[0].clientStates();
      model.state[c] = st.get(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The run

function stepText(s: McStep): string {
  return `${s.client === 'ctl' ? 'ctl' : `c${s.client}`}: ${s.argv.map((a) => (/^[\w{}:.*@$-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`;
}

export function replayText(steps: McStep[], resps: (2 | 3)[], detail: string): string {
  return (
    `clients: ${resps.map((p, i) => `c${i}=RESP${p}`).join(' ')} (fresh connections after FLUSHALL; {id:N} = client N's id)\n` +
    steps.map((s, n) => `  ${String(n + 1).padStart(3)}. ${stepText(s)}`).join('\n') +
    `\n  at the last step:\n  ${detail}`
  );
}

export async function runMultiClientDiff(opts: McOptions): Promise<McStats> {
  const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const log = opts.log ?? (() => undefined);
  const minSteps = opts.minSteps ?? 30;
  const maxSteps = opts.maxSteps ?? 80;
  const stats: McStats = {
    seed,
    sequences: 0,
    steps: 0,
    blocked: 0,
    pushes: 0,
    elapsedMs: 0,
    problems: [],
    crashes: 0,
  };
  const t0 = Date.now();
  let cairn: CairnProcess | undefined;
  let redis: RedisHandle | undefined;
  let sides: [Side, Side] | undefined;
  const seenKinds = new Set<string>();
  const open = async (): Promise<[Side, Side]> => {
    const s: [Side, Side] = [new Side('redis', redis!.port), new Side('cairn', cairn!.port)];
    await Promise.all(s.map((x) => x.open()));
    return s;
  };
  try {
    [cairn, redis] = await Promise.all([spawnCairnProcess(), startRedis()]);
    sides = await open();
    const deadline = Date.now() + opts.durationMs;
    const first = opts.firstSequence ?? 0;
    for (let s = first; Date.now() < deadline && s < first + (opts.maxSequences ?? Infinity); s++) {
      const r = rng((seed + s * 7919) | 0);
      const resps = Array.from({ length: NCLIENTS }, () => (r() < 0.5 ? 2 : 3) as 2 | 3);
      const nSteps = minSteps + Math.floor(r() * (maxSteps - minSteps + 1));
      const gen = (_hint: number, m: Model): McStep => {
        const cands = [...Array(NCLIENTS).keys()].filter((i) => !m.state[i]?.flags.includes('b'));
        const i = pick(r, cands);
        return { client: i, argv: genCommand(r, i, m) };
      };
      stats.sequences++;
      let res: SeqResult;
      try {
        res = await runSequence(sides, resps, nSteps, gen, undefined, () => cairn!.exitStatus() === undefined);
      } finally {
        await Promise.all(sides.map((x) => x.closeAll()));
      }
      stats.steps += res.steps.length;
      stats.blocked += res.blocked;
      stats.pushes += res.pushes;
      if (res.failedAt >= 0) {
        if (cairn.exitStatus() !== undefined) {
          stats.crashes++;
          const p: McProblem = {
            seed,
            sequence: s,
            summary: `cairn died (${cairn.exitStatus()})`,
            replay: replayText(res.steps, resps, `${res.detail}\n--- cairn log ---\n${cairn.log().slice(-3000)}`),
            steps: res.steps,
          };
          stats.problems.push(p);
          log(p.replay);
          await cairn.stop().catch(() => undefined);
          cairn = await spawnCairnProcess();
          await Promise.all(sides.map((x) => x.ctl.close()));
          sides = await open();
          continue;
        }
        let steps = res.steps;
        let detail = res.detail!;
        if (opts.shrink !== false && !seenKinds.has(res.kind!)) {
          const shrunk = await shrinkSeq(sides, resps, steps, res.kind!, opts.shrinkMs ?? 60_000);
          steps = shrunk.steps;
          detail = shrunk.detail ?? detail;
        }
        const p: McProblem = {
          seed,
          sequence: s,
          summary: `${res.kind}: ${detail.split('\n')[0]!.slice(0, 160)}`,
          replay: replayText(steps, resps, detail),
          steps,
        };
        log(`[seed ${seed} seq ${s}] ${p.replay}\n`);
        seenKinds.add(res.kind!);
        stats.problems.push(p);
      }
    }
  } finally {
    if (sides) await Promise.all(sides.map((x) => x.closeAll().then(() => x.ctl?.close())));
    await Promise.all([cairn?.stop(), redis?.stop()]);
  }
  stats.elapsedMs = Date.now() - t0;
  return stats;
}

/** Replays `steps` on fresh connections; returns the failure kind and detail, if any. */
async function replay(sides: [Side, Side], resps: (2 | 3)[], steps: McStep[]): Promise<SeqResult> {
  try {
    return await runSequence(sides, resps, steps.length, undefined, steps, () => true);
  } finally {
    await Promise.all(sides.map((x) => x.closeAll()));
  }
}

async function shrinkSeq(
  sides: [Side, Side],
  resps: (2 | 3)[],
  steps: McStep[],
  kind: string,
  budgetMs: number,
): Promise<{ steps: McStep[]; detail?: string }> {
  const deadline = Date.now() + budgetMs;
  let best = steps;
  let detail: string | undefined;
  // The failure must still show: check the full replay first.
  const first = await replay(sides, resps, best);
  if (first.kind !== kind) return { steps };
  best = first.steps.slice(0, first.failedAt + 1);
  let shown = best;
  detail = first.detail;
  let chunk = Math.max(1, Math.floor(best.length / 2));
  while (chunk >= 1 && Date.now() < deadline) {
    let changed = false;
    for (let at = 0; at + chunk <= best.length - 1 && Date.now() < deadline;) {
      const cand = [...best.slice(0, at), ...best.slice(at + chunk)];
      const r = await replay(sides, resps, cand);
      if (r.kind === kind && r.failedAt >= 0) {
        shown = r.steps.slice(0, r.failedAt + 1);
        best = cand.slice(0, Math.min(cand.length, r.failedAt + 1));
        detail = r.detail;
        changed = true;
      } else at += chunk;
    }
    if (!changed) chunk = Math.floor(chunk / 2);
  }
  return { steps: shown, detail };
}
