// Lockstep connections to real Redis and to Cairn, for differential tests with several concurrent connections
// (pub/sub, transactions, blocking commands): a `Duo` is one logical connection, a connection to each server, sent
// the same requests in the same order; each reply (or push frame) read from both must match.
//
// `useRedisAndCairn()` starts the two servers for a whole test file. For step-by-step transcripts with client-id
// rewriting and paused clients, see multi-conn.ts instead.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, type PairOptions } from './servers.js';
import { RawConnection, formatCommand, formatReply, parseReply, replyElements, type RespValue } from './resp.js';

export type Ports = Readonly<Record<'redis' | 'cairn', number>>;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a redis-server and an in-process Cairn (`cairnOptions` on top of `{ port: 0 }`) before the file's
 * tests and stops both after them. Call at module level; the returned function gives the ports once started.
 */
export function useRedisAndCairn(cairnOptions: PairOptions['cairnOptions'] = {}): () => Ports {
  let pair: Awaited<ReturnType<typeof startPair>> | undefined;
  before(async () => {
    pair = await startPair({ cairnOptions });
  });
  after(async () => {
    await pair?.stop();
  });
  return () => {
    if (pair === undefined) throw new Error('useRedisAndCairn(): the servers are not started yet');
    return { redis: pair.redis.port, cairn: pair.cairn.port };
  };
}

/** How several frames read from both servers are compared. */
export type Order = 'ordered' | 'unordered' | 'unsubscribe-all' | 'elements';

/**
 * Compares two frame lists under an order mode; returns a reason, or undefined when they match.
 * - ordered: the same bytes in the same order;
 * - unordered: the same frames as multisets;
 * - elements: each frame one aggregate whose elements may come in any order (PUBSUB CHANNELS);
 * - unsubscribe-all: (P|S)UNSUBSCRIBE confirmations with the same names in some order and the same counts.
 */
export function compareFrames(r: Buffer[], c: Buffer[], order: Order): string | undefined {
  const rs = r.map((b) => b.toString('latin1'));
  const cs = c.map((b) => b.toString('latin1'));
  if (order === 'ordered') {
    return rs.join('') === cs.join('') ? undefined : 'frames differ';
  }
  if (order === 'elements') {
    const norm = (frames: Buffer[]): string =>
      frames
        .map((f) => {
          const e = replyElements(f);
          return e === undefined
            ? f.toString('latin1')
            : e.header +
                ' ' +
                e.elements
                  .map((x) => x.toString('latin1'))
                  .sort()
                  .join('|');
        })
        .join('\n');
    return norm(r) === norm(c) ? undefined : 'elements differ as multisets';
  }
  if (order === 'unordered') {
    return [...rs].sort().join('\n') === [...cs].sort().join('\n') ? undefined : 'frames differ as multisets';
  }
  const parse = (frames: Buffer[]): { names: string[]; rest: string[] } => {
    const names: string[] = [];
    const rest: string[] = [];
    for (const f of frames) {
      const v = parseReply(f);
      const items = (Array.isArray(v) ? v : (v as { push: RespValue[] }).push) as RespValue[];
      names.push(String(items[1]));
      rest.push(`${String(items[0])} ${String(items[2])}`);
    }
    return { names: names.sort(), rest };
  };
  const a = parse(r);
  const b = parse(c);
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : 'unsubscribe frames differ';
}

let syncSeq = 0;

export interface ExpectOptions {
  timeoutMs?: number;
  /** Applied to both replies before they are compared (and before `want` is checked). */
  normalize?: (s: string) => string;
}

/** One logical connection: a connection to each server, driven in lockstep. */
export class Duo {
  constructor(
    readonly name: string,
    readonly redis: RawConnection,
    readonly cairn: RawConnection,
  ) {}

  static async open(name: string, ports: Ports, resp: 2 | 3): Promise<Duo> {
    const d = new Duo(name, await RawConnection.connect(ports.redis), await RawConnection.connect(ports.cairn));
    if (resp === 3) {
      await d.redis.call(['HELLO', '3']);
      await d.cairn.call(['HELLO', '3']);
    }
    return d;
  }

  send(args: readonly (string | Buffer)[]): void {
    this.redis.send(args);
    this.cairn.send(args);
  }

  sendRaw(bytes: string): void {
    this.redis.sendRaw(bytes);
    this.cairn.sendRaw(bytes);
  }

  /** Reads the next reply from both servers; they must be equal (and equal `want` when given). Returns Redis's. */
  async expect(what: string, want?: string, opts: ExpectOptions = {}): Promise<string> {
    const { timeoutMs = 5000, normalize = (s: string) => s } = opts;
    const [r, c] = await Promise.all([this.redis.readReply(timeoutMs), this.cairn.readReply(timeoutMs)]);
    const rs = normalize(r.toString('latin1'));
    const cs = normalize(c.toString('latin1'));
    assert.equal(
      formatReply(Buffer.from(cs, 'latin1')),
      formatReply(Buffer.from(rs, 'latin1')),
      `${this.name}: reply to ${what} differs`,
    );
    if (want !== undefined) assert.equal(rs, want, `${this.name}: reply to ${what}`);
    return rs;
  }

  /** Sends a request and compares its reply (which must equal `want` when given). */
  async call(args: readonly (string | Buffer)[], want?: string): Promise<string> {
    this.send(args);
    return this.expect(formatCommand(args), want);
  }

  /** Reads `n` replies (or push frames) from both servers and compares their exact bytes under `order`. */
  async expectFrames(what: string, n = 1, order: Order = 'ordered'): Promise<string[]> {
    const r: Buffer[] = [];
    const c: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const [rb, cb] = await Promise.all([this.redis.readReply(), this.cairn.readReply()]);
      r.push(rb);
      c.push(cb);
    }
    this.assertFrames(what, r, c, order);
    return r.map((b) => b.toString('latin1'));
  }

  /** Sends a request and compares its `n` reply frames. */
  async callFrames(args: readonly (string | Buffer)[], n = 1, order: Order = 'ordered'): Promise<string[]> {
    this.send(args);
    return this.expectFrames(formatCommand(args), n, order);
  }

  /** Sends a request whose single reply frame must be exactly `want` on both servers. */
  async must(args: readonly (string | Buffer)[], want: string): Promise<void> {
    const [r] = await this.callFrames(args);
    assert.equal(r, want, `${this.name}: ${formatCommand(args)}`);
  }

  /**
   * Reads everything that arrived before a PING barrier on both servers and compares it; returns the frame count.
   * `order` applies to what arrived since the previous barrier.
   */
  async sync(order: Order = 'ordered'): Promise<number> {
    const token = `barrier-${++syncSeq}`;
    const frames = async (conn: RawConnection): Promise<Buffer[]> => {
      conn.send(['PING', token]);
      const out: Buffer[] = [];
      for (;;) {
        const b = await conn.readReply();
        const v = parseReply(b);
        if (v === token || (Array.isArray(v) && v[0] === 'pong' && v[1] === token)) return out;
        out.push(b);
      }
    };
    const [r, c] = await Promise.all([frames(this.redis), frames(this.cairn)]);
    this.assertFrames('stream before barrier', r, c, order);
    return r.length;
  }

  /** Nothing more arrives on either server within `ms`. */
  async quiet(ms = 150): Promise<void> {
    const [r, c] = await Promise.all([this.redis.readAvailable(ms, ms * 4), this.cairn.readAvailable(ms, ms * 4)]);
    assert.equal(formatReply(r), '""', `${this.name}: redis sent something unexpected`);
    assert.equal(formatReply(c), '""', `${this.name}: cairn sent something unexpected`);
  }

  async close(): Promise<void> {
    await Promise.all([this.redis.close(), this.cairn.close()]);
  }

  private assertFrames(what: string, r: Buffer[], c: Buffer[], order: Order): void {
    const reason = compareFrames(r, c, order);
    assert.equal(
      reason,
      undefined,
      `${this.name}: ${what}: ${reason}\n  redis: ${r.map((b) => formatReply(b)).join(' ')}\n  cairn: ${c.map((b) => formatReply(b)).join(' ')}`,
    );
  }
}

/** The Duos a test opens, closed together at its end. */
export class DuoPool {
  private readonly opened: Duo[] = [];

  constructor(
    private readonly ports: () => Ports,
    private readonly resp: 2 | 3,
  ) {}

  async open(name: string): Promise<Duo> {
    const d = await Duo.open(name, this.ports(), this.resp);
    this.opened.push(d);
    return d;
  }

  /** Stops tracking a Duo the test closed itself. */
  forget(d: Duo): void {
    const i = this.opened.indexOf(d);
    if (i >= 0) this.opened.splice(i, 1);
  }

  async closeAll(): Promise<void> {
    for (const d of this.opened.splice(0)) await d.close();
  }
}

/**
 * Polls `args` on each server of `ctl` (Redis first) until `done` accepts the parsed reply; after 5 s throws
 * `failure(last reply)`.
 */
export async function pollBoth(
  ctl: Duo,
  args: readonly string[],
  done: (v: RespValue) => boolean,
  failure: (v: RespValue) => string,
): Promise<void> {
  const deadline = Date.now() + 5000;
  for (const conn of [ctl.redis, ctl.cairn]) {
    for (;;) {
      const v = parseReply(await conn.call(args));
      if (done(v)) break;
      if (Date.now() > deadline) throw new Error(failure(v));
      await delay(5);
    }
  }
}

/** Waits until both servers report `n` blocked clients (INFO clients). */
export async function waitBlocked(ctl: Duo, n: number): Promise<void> {
  await pollBoth(
    ctl,
    ['INFO', 'clients'],
    (v) => {
      const m = /blocked_clients:(\d+)/.exec(v as string);
      return m !== null && Number(m[1]) === n;
    },
    (v) => `blocked_clients never reached ${n}: ${v as string}`,
  );
}

/**
 * The set-up of a blocking-command scene, registered in the enclosing describe(): a control pair (handed to
 * `onCtl` once open), a pool of further pairs (`conn`), and `fresh()`, which closes the pool, waits until no client
 * is blocked on either server and flushes both.
 */
export function blockingScene(
  ports: () => Ports,
  resp: 2 | 3,
  onCtl: (ctl: Duo) => void,
): { conn: (name: string) => Promise<Duo>; fresh: () => Promise<void> } {
  let ctl: Duo | undefined;
  const pool = new DuoPool(ports, resp);
  before(async () => {
    ctl = await Duo.open('ctl', ports(), resp);
    onCtl(ctl);
  });
  after(async () => {
    await pool.closeAll();
    await ctl?.close();
  });
  return {
    conn: (name) => pool.open(name),
    fresh: async () => {
      await pool.closeAll();
      await waitBlocked(ctl!, 0);
      await ctl!.call(['FLUSHALL'], '+OK\r\n');
    },
  };
}
