// Lockstep differential driver for scenarios with several connections (client-side caching, CLIENT PAUSE).
//
// Every logical connection is opened to real Redis and to Cairn. A step sends the same request on one logical
// connection to both servers; then every connection is synchronised (a `PING <marker>` is sent and frames are
// read up to its reply), so each connection's transcript for the step holds the step's reply and every push or
// message it received because of it, in order. The transcripts must be byte-identical. Client ids differ
// between the servers: `$id:name` in a request stands for that connection's id on each server, and in received
// bytes an integer equal to a known id is rewritten to `:$id:name` before comparison.
//
// Connections a pause holds cannot be synchronised: mark them with `hold`, and use `wait` steps (send, wait,
// compare whatever arrived) until `release`.

import assert from 'node:assert/strict';
import { RawConnection, formatReply, replyEnd } from './resp.js';

/** The number of complete replies at the start of `buf`. */
function replyCount(buf: Buffer): number {
  let n = 0;
  for (let at = 0; at < buf.length; n++) {
    const end = replyEnd(buf, at);
    if (end < 0) break;
    at = end;
  }
  return n;
}

type Side = 'redis' | 'cairn';

interface Logical {
  readonly name: string;
  readonly resp: 2 | 3;
  readonly conn: Record<Side, RawConnection>;
  readonly id: Record<Side, number>;
  held: boolean;
  /** Inside MULTI: a PING would be queued, so the connection is read until quiet instead. */
  inMulti: boolean;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let markerSeq = 0;

export class MultiConn {
  private readonly conns = new Map<string, Logical>();
  /** Every step's transcripts, for failure messages. */
  private readonly log: string[] = [];
  /** Ids of every connection ever opened (closed ones too: redirects name them). */
  private readonly ids = new Map<string, Record<Side, number>>();

  constructor(private readonly ports: Record<Side, number>) {}

  async open(name: string, resp: 2 | 3 = 2): Promise<void> {
    const conn = {
      redis: await RawConnection.connect(this.ports.redis),
      cairn: await RawConnection.connect(this.ports.cairn),
    };
    const id = { redis: 0, cairn: 0 };
    for (const side of ['redis', 'cairn'] as const) {
      if (resp === 3) await conn[side].call(['HELLO', '3']);
      id[side] = Number(/^:(\d+)/.exec((await conn[side].call(['CLIENT', 'ID'])).toString('latin1'))![1]);
    }
    this.conns.set(name, { name, resp, conn, id, held: false, inMulti: false });
    this.ids.set(name, id);
  }

  /** Closes a logical connection on both servers and waits until each server has noticed. */
  async close(name: string): Promise<void> {
    const l = this.get(name);
    this.conns.delete(name);
    for (const side of ['redis', 'cairn'] as const) {
      l.conn[side].sendRaw('QUIT\r\n');
      await l.conn[side].readUntilClosed(2000).catch(() => undefined);
    }
    await delay(20);
  }

  async closeAll(): Promise<void> {
    for (const l of this.conns.values()) {
      for (const side of ['redis', 'cairn'] as const) await l.conn[side].close();
    }
    this.conns.clear();
  }

  private get(name: string): Logical {
    const l = this.conns.get(name);
    if (l === undefined) throw new Error(`no connection named ${name}`);
    return l;
  }

  private subst(args: readonly string[], side: Side): string[] {
    return args.map((a) => a.replace(/\$id:(\w+)/g, (_m, n: string) => String(this.get(n).id[side])));
  }

  private nameOfId(side: Side, id: string): string | undefined {
    for (const [name, ids] of this.ids) if (String(ids[side]) === id) return name;
    return undefined;
  }

  /** Rewrites client ids where replies carry them: redirect fields, tracking-redir-broken, CLIENT INFO's id=/redir=. */
  private normalize(text: string, side: Side, wholeIsId = false): string {
    if (wholeIsId) {
      const m = /^:(\d+)\r\n$/.exec(text);
      const n = m ? this.nameOfId(side, m[1]!) : undefined;
      if (n !== undefined) return `:$id:${n}\r\n`;
    }
    return text
      .replace(/(redirect\r\n|tracking-redir-broken\r\n):(\d+)\r\n/g, (m, pre: string, v: string) => {
        const n = this.nameOfId(side, v);
        return n === undefined ? m : `${pre}:$id:${n}\r\n`;
      })
      .replace(/\b(redir|id)=(\d+)/g, (m, k: string, v: string) => {
        const n = this.nameOfId(side, v);
        return n === undefined ? m : `${k}=$id:${n}`;
      });
  }

  /** Sends one request on `name` (to both servers), synchronises every connection and compares transcripts. */
  async step(
    name: string,
    args: readonly string[],
    note = '',
    view?: (text: string) => string,
  ): Promise<Record<string, string>> {
    const l = this.get(name);
    for (const side of ['redis', 'cairn'] as const) l.conn[side].send(this.subst(args, side));
    const verb = args[0]!.toLowerCase();
    if (verb === 'multi') l.inMulti = true;
    else if (verb === 'exec' || verb === 'discard' || verb === 'reset') l.inMulti = false;
    const idReply = args.length === 2 && /^(client)$/i.test(args[0]!) && /^(getredir|id)$/i.test(args[1]!);
    return this.sync(`${name}> ${args.join(' ')} ${note}`, view, idReply ? name : undefined);
  }

  /** Sends raw bytes (a pipeline) on `name`, then synchronises and compares. */
  async raw(name: string, bytes: string, note = ''): Promise<Record<string, string>> {
    const l = this.get(name);
    for (const side of ['redis', 'cairn'] as const) l.conn[side].sendRaw(bytes);
    return this.sync(`${name}> raw ${JSON.stringify(bytes)} ${note}`);
  }

  /** Sends a request without synchronising (the connection may be held), waits, compares what arrived anywhere. */
  async wait(name: string, args: readonly string[] | null, ms = 150): Promise<Record<string, string>> {
    if (args !== null) {
      const l = this.get(name);
      for (const side of ['redis', 'cairn'] as const) l.conn[side].send(this.subst(args, side));
    }
    await delay(ms);
    const got: Record<string, string> = {};
    const desc = `${name}> ${args?.join(' ') ?? '(wait)'} [no sync]`;
    for (const c of this.conns.values()) {
      const r = this.normalize((await c.conn.redis.readAvailable(20, 2000)).toString('latin1'), 'redis');
      const k = this.normalize((await c.conn.cairn.readAvailable(20, 2000)).toString('latin1'), 'cairn');
      this.compare(desc, c.name, r, k);
      got[c.name] = r;
    }
    return got;
  }

  hold(name: string): void {
    this.get(name).held = true;
  }

  release(name: string): void {
    this.get(name).held = false;
  }

  /** Waits (expiry, pause timeouts), then synchronises and compares. */
  async settle(ms: number, note = 'settle'): Promise<Record<string, string>> {
    await delay(ms);
    return this.sync(`(after ${ms} ms) ${note}`);
  }

  private async sync(
    desc: string,
    view?: (text: string) => string,
    idReplyOn?: string,
  ): Promise<Record<string, string>> {
    const got: Record<string, string> = {};
    for (const c of this.conns.values()) {
      if (c.held) continue;
      if (c.inMulti) {
        const raw = {
          redis: await c.conn.redis.readAvailable(30, 2000),
          cairn: await c.conn.cairn.readAvailable(30, 2000),
        };
        // On a loaded machine one server may answer after the 30 ms quiet period: read on from the side with fewer
        // complete replies until both have as many (every command queued in MULTI gets one reply).
        for (let tries = 0; tries < 20 && replyCount(raw.redis) !== replyCount(raw.cairn); tries++) {
          const side = replyCount(raw.redis) < replyCount(raw.cairn) ? 'redis' : 'cairn';
          raw[side] = Buffer.concat([raw[side], await c.conn[side].readAvailable(100, 2000)]);
        }
        const r = this.normalize(raw.redis.toString('latin1'), 'redis');
        const k = this.normalize(raw.cairn.toString('latin1'), 'cairn');
        this.compare(desc, c.name, r, k);
        got[c.name] = r;
        continue;
      }
      const marker = `sync-${++markerSeq}`;
      const texts: Record<Side, string> = { redis: '', cairn: '' };
      for (const side of ['redis', 'cairn'] as const) {
        const conn = c.conn[side];
        conn.send(['PING', marker]);
        let text = '';
        for (;;) {
          const f = (await conn.readReply(5000)).toString('latin1');
          const isMarker =
            f === `$${marker.length}\r\n${marker}\r\n` ||
            f === `*2\r\n$4\r\npong\r\n$${marker.length}\r\n${marker}\r\n`;
          if (isMarker) break;
          text += f;
        }
        texts[side] = this.normalize(text, side, c.name === idReplyOn);
        if (view !== undefined) texts[side] = view(texts[side]);
      }
      this.compare(desc, c.name, texts.redis, texts.cairn);
      got[c.name] = texts.redis;
    }
    return got;
  }

  private compare(desc: string, conn: string, r: string, k: string): void {
    this.log.push(`${desc} | ${conn}: ${JSON.stringify(r)}`);
    if (r !== k) {
      assert.fail(
        `transcripts differ on connection ${conn} after ${desc}\n  redis: ${formatReply(Buffer.from(r, 'latin1'))}\n  cairn: ${formatReply(Buffer.from(k, 'latin1'))}\n` +
          `history:\n${this.log.slice(-12).join('\n')}`,
      );
    }
  }
}

/**
 * Runs `fn` on a fresh MultiConn whose `admin` connection (RESP2) has just sent FLUSHALL; then `cleanup` (its
 * failures ignored: the scenario may have left the connections unusable), and every connection is closed.
 */
export async function multiConnScenario(
  ports: Readonly<Record<Side, number>>,
  fn: (m: MultiConn) => Promise<void>,
  cleanup?: (m: MultiConn) => Promise<unknown>,
): Promise<void> {
  const m = new MultiConn(ports);
  try {
    await m.open('admin');
    await m.step('admin', ['FLUSHALL']);
    await fn(m);
  } finally {
    if (cleanup !== undefined) await cleanup(m).catch(() => undefined);
    await m.closeAll();
  }
}
