// Pub/Sub against real Redis 7.0.15 with several concurrent connections, RESP2 and RESP3: every logical connection
// is opened to both servers and sent the same requests in the same order; replies and the message streams each
// subscriber receives must be byte-identical. A subscriber's stream is read up to a PING barrier, so every
// message published before the barrier is compared, in order.
//
// Redis leaves a few orders to its hash tables (random per process): the pattern messages one publication gives
// a client subscribed to several matching patterns, the argument-less (P|S)UNSUBSCRIBE, PUBSUB CHANNELS. Those
// are compared as multisets (the unsubscribe counts as a sequence).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer, type RunningServer } from '../../src/index.js';
import { startRedis, type RedisHandle } from '../support/servers.js';
import {
  RawConnection,
  formatCommand,
  formatReply,
  parseReply,
  replyElements,
  type RespValue,
} from '../support/resp.js';

let redis: RedisHandle;
let cairn: RunningServer;

before(async () => {
  [redis, cairn] = await Promise.all([startRedis(), startServer({ port: 0 })]);
});
after(async () => {
  await Promise.all([redis?.stop(), cairn?.close()]);
});

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How the frames of one step are compared. */
type Order = 'ordered' | 'unordered' | 'unsubscribe-all' | 'elements';

let syncSeq = 0;

/** Compares two frame lists under an order mode; returns a reason, or undefined when they match. */
function compareFrames(r: Buffer[], c: Buffer[], order: Order): string | undefined {
  const rs = r.map((b) => b.toString('latin1'));
  const cs = c.map((b) => b.toString('latin1'));
  if (order === 'ordered') {
    return rs.join('') === cs.join('') ? undefined : 'frames differ';
  }
  if (order === 'elements') {
    // One aggregate reply whose elements may come in any order (PUBSUB CHANNELS).
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
  // unsubscribe-all: the same names in some order, and the same sequence of counts.
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

/** One logical connection: a connection to each server, driven in lockstep. */
class Duo {
  constructor(
    readonly name: string,
    readonly redis: RawConnection,
    readonly cairn: RawConnection,
  ) {}

  static async open(name: string, resp: 2 | 3): Promise<Duo> {
    const d = new Duo(name, await RawConnection.connect(redis.port), await RawConnection.connect(cairn.port));
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

  /** Reads `n` replies (or push frames) from both servers and compares them. Returns Redis's. */
  async expect(what: string, n = 1, order: Order = 'ordered'): Promise<string[]> {
    const r: Buffer[] = [];
    const c: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const [rb, cb] = await Promise.all([this.redis.readReply(), this.cairn.readReply()]);
      r.push(rb);
      c.push(cb);
    }
    const reason = compareFrames(r, c, order);
    assert.equal(
      reason,
      undefined,
      `${this.name}: ${what}: ${reason}\n  redis: ${r.map((b) => formatReply(b)).join(' ')}\n  cairn: ${c.map((b) => formatReply(b)).join(' ')}`,
    );
    return r.map((b) => b.toString('latin1'));
  }

  /** Sends a request and compares its `n` reply frames. */
  async call(args: readonly (string | Buffer)[], n = 1, order: Order = 'ordered'): Promise<string[]> {
    this.send(args);
    return this.expect(formatCommand(args), n, order);
  }

  /** Sends a request whose single reply must be exactly `want` on both servers. */
  async must(args: readonly (string | Buffer)[], want: string): Promise<void> {
    const [r] = await this.call(args);
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
    const reason = compareFrames(r, c, order);
    assert.equal(
      reason,
      undefined,
      `${this.name}: stream before barrier: ${reason}\n  redis: ${r.map((b) => formatReply(b)).join(' ')}\n  cairn: ${c.map((b) => formatReply(b)).join(' ')}`,
    );
    return r.length;
  }

  /** Nothing more arrives on either server within `ms`. */
  async quiet(ms = 100): Promise<void> {
    const [r, c] = await Promise.all([this.redis.readAvailable(ms, ms * 4), this.cairn.readAvailable(ms, ms * 4)]);
    assert.equal(formatReply(r), '""', `${this.name}: redis sent something unexpected`);
    assert.equal(formatReply(c), '""', `${this.name}: cairn sent something unexpected`);
  }

  async close(): Promise<void> {
    await Promise.all([this.redis.close(), this.cairn.close()]);
  }
}

/** Polls PUBSUB NUMSUB on a control connection until both servers report `n` subscribers of `channel`. */
async function waitNumsub(ctl: Duo, channel: string, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (const conn of [ctl.redis, ctl.cairn]) {
    for (;;) {
      const v = parseReply(await conn.call(['PUBSUB', 'NUMSUB', channel])) as RespValue[];
      if (v[1] === n) break;
      if (Date.now() > deadline) throw new Error(`NUMSUB ${channel} never reached ${n}`);
      await delay(5);
    }
  }
}

for (const resp of [2, 3] as const) {
  describe(`pub/sub with several connections (RESP${resp})`, () => {
    const opened: Duo[] = [];
    const conn = async (name: string): Promise<Duo> => {
      const d = await Duo.open(name, resp);
      opened.push(d);
      return d;
    };
    const closeAll = async (): Promise<void> => {
      for (const d of opened.splice(0)) await d.close();
    };

    test('a publisher and several subscribers: channels, patterns, overlaps, binary and large messages', async () => {
      try {
        const pub = await conn('P');
        const s1 = await conn('S1');
        const s2 = await conn('S2');
        const s3 = await conn('S3');
        const s4 = await conn('S4');
        await s1.call(['SUBSCRIBE', 'news', 'sports'], 2);
        await s2.call(['SUBSCRIBE', 'news'], 1);
        await s3.call(['PSUBSCRIBE', 'n*', 's?orts'], 2);
        await s4.call(['SUBSCRIBE', 'news', 'n\x00\xff'], 2);
        await s4.call(['PSUBSCRIBE', 'new[sx]'], 1);
        const big = 'x'.repeat(100_000);
        const messages: [string, string][] = [
          ['news', 'hello'],
          ['sports', 'goal'],
          ['nope', 'x'],
          ['newx', 'y'],
          ['n\x00\xff', 'bin\r\n\x00\xff'],
          ['news', ''],
          ['spurts', 'pattern only'],
          ['news', big],
          ['', 'empty channel'],
          ['NEWS', 'case matters'],
        ];
        for (let round = 0; round < 3; round++) {
          for (const [ch, msg] of messages) await pub.call(['PUBLISH', ch, `${msg}${round}`]);
        }
        for (const s of [s1, s2, s3, s4]) await s.sync();
        await s1.call(['UNSUBSCRIBE', 'news'], 1);
        await s3.call(['PUNSUBSCRIBE', 'n*', 'zz*'], 2);
        for (const [ch, msg] of messages) await pub.call(['PUBLISH', ch, msg]);
        for (const s of [s1, s2, s3, s4]) await s.sync();
        // Pipelined publications arrive in publish order.
        const batch: string[] = [];
        for (let i = 0; i < 200; i++)
          batch.push(`*3\r\n$7\r\nPUBLISH\r\n$4\r\nnews\r\n$${String(i).length}\r\n${i}\r\n`);
        pub.redis.sendRaw(batch.join(''));
        pub.cairn.sendRaw(batch.join(''));
        await pub.expect('200 pipelined PUBLISH', 200);
        for (const s of [s1, s2, s3, s4]) await s.sync();
        for (const s of [s1, s2, s3, s4]) await s.quiet(50);
      } finally {
        await closeAll();
      }
    });

    test('one client reached through several patterns and a channel', async () => {
      try {
        const pub = await conn('P');
        const s = await conn('S');
        await s.call(['PSUBSCRIBE', 'a*', '*b', 'ab', 'a?', '[a-c]b', '\\*b'], 6);
        await s.call(['SUBSCRIBE', 'ab'], 1);
        for (const ch of ['ab', 'aab', '*b', 'a', 'cb', 'zz']) {
          await pub.call(['PUBLISH', ch, 'm']);
          await s.sync('unordered');
        }
      } finally {
        await closeAll();
      }
    });

    test('SUBSCRIBE / UNSUBSCRIBE / PSUBSCRIBE / PUNSUBSCRIBE forms, counts and null replies', async () => {
      try {
        const s = await conn('S');
        await s.call(['UNSUBSCRIBE'], 1);
        await s.call(['PUNSUBSCRIBE'], 1);
        await s.call(['SUNSUBSCRIBE'], 1);
        await s.call(['UNSUBSCRIBE', 'x', 'y'], 2);
        await s.call(['PUNSUBSCRIBE', 'x*'], 1);
        await s.call(['SUBSCRIBE', 'c1', 'c2', 'c1'], 3);
        await s.call(['PSUBSCRIBE', 'p1', 'p2', 'p1'], 3);
        await s.call(['UNSUBSCRIBE', 'c1', 'nope', 'c1'], 3);
        await s.call(['SUBSCRIBE', 'c3', 'c4', 'c5'], 3);
        await s.call(['UNSUBSCRIBE'], 4, 'unsubscribe-all');
        await s.call(['UNSUBSCRIBE'], 1);
        await s.call(['PUNSUBSCRIBE'], 2, 'unsubscribe-all');
        await s.call(['PUNSUBSCRIBE'], 1);
        await s.call(['SUBSCRIBE', 'again'], 1);
        await s.call(['PUNSUBSCRIBE'], 1);
        await s.call(['SUBSCRIBE'], 1);
        await s.call(['PSUBSCRIBE'], 1);
        await s.call(['SSUBSCRIBE'], 1);
        await s.call(['UNSUBSCRIBE', 'again'], 1);
        await s.call(['GET', 'x'], 1);
      } finally {
        await closeAll();
      }
    });

    test('PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP and errors', async () => {
      try {
        const ctl = await conn('ctl');
        const a = await conn('A');
        const b = await conn('B');
        const check = async (): Promise<void> => {
          await ctl.call(['PUBSUB', 'CHANNELS'], 1, 'elements');
          await ctl.call(['PUBSUB', 'CHANNELS', 'c*'], 1, 'elements');
          await ctl.call(['PUBSUB', 'CHANNELS', '[ab]?'], 1, 'elements');
          await ctl.call(['PUBSUB', 'NUMSUB', 'c1', 'c2', 'zz', 'c1', 'p*']);
          await ctl.call(['PUBSUB', 'NUMPAT']);
          await ctl.call(['PUBSUB', 'SHARDCHANNELS'], 1, 'elements');
          await ctl.call(['PUBSUB', 'SHARDCHANNELS', 's?'], 1, 'elements');
          await ctl.call(['PUBSUB', 'SHARDNUMSUB', 's1', 's2', 'c1']);
        };
        await check();
        await a.call(['SUBSCRIBE', 'c1', 'c2', 'ab'], 3);
        await b.call(['SUBSCRIBE', 'c1'], 1);
        await a.call(['PSUBSCRIBE', 'p*', 'q*'], 2);
        await b.call(['PSUBSCRIBE', 'p*'], 1);
        await a.call(['SSUBSCRIBE', 's1', 's2'], 2);
        await b.call(['SSUBSCRIBE', 's1'], 1);
        await check();
        await b.call(['UNSUBSCRIBE', 'c1'], 1);
        await b.call(['PUNSUBSCRIBE', 'p*'], 1);
        await check();
        for (const args of [
          ['PUBSUB', 'NUMSUB'],
          ['PUBSUB', 'SHARDNUMSUB'],
          ['PUBSUB', 'HELP'],
          ['PUBSUB', 'help'],
          ['PUBSUB', 'CHANNELS', 'x', 'y'],
          ['PUBSUB', 'channels', 'x', 'y'],
          ['pubsub', 'SHARDCHANNELS', 'x', 'y'],
          ['PUBSUB', 'NUMPAT', 'x'],
          ['PUBSUB', 'HELP', 'x'],
          ['PUBSUB', 'nosuch'],
          ['PUBSUB'],
          ['PUBLISH', 'x'],
          ['PUBLISH', 'x', 'y', 'z'],
          ['SPUBLISH', 'x'],
        ]) {
          await ctl.call(args);
        }
      } finally {
        await closeAll();
      }
    });

    test('subscribed mode: which commands run while subscribed', async () => {
      try {
        const ctl = await conn('ctl');
        const s = await conn('S');
        await ctl.call(['SET', 'k', 'v']);
        await s.call(['SUBSCRIBE', 'ch'], 1);
        await s.call(['GET', 'k']);
        await s.call(['SET', 'k', 'w']);
        await s.call(['CLIENT', 'SETNAME', 'sub']);
        await s.call(['CLIENT', 'NOSUCH']);
        await s.call(['NOSUCHCMD', 'a']);
        await s.call(['GET']);
        await s.call(['PING']);
        await s.call(['PING', 'hello']);
        await s.call(['PING', 'a', 'b']);
        await s.call(['SELECT', '1']);
        if (resp === 2) await s.call(['HELLO', '2']);
        await s.call(['MULTI']);
        await s.call(['EXEC']);
        await s.call(['DISCARD']);
        // Publishing to oneself (RESP3 only: in RESP2 PUBLISH is refused).
        await s.call(['PUBLISH', 'ch', 'self'], resp === 3 ? 2 : 1);
        await s.call(['SSUBSCRIBE', 'sh'], 1);
        await s.call(['UNSUBSCRIBE'], 1);
        await s.call(['GET', 'k']);
        await s.call(['SUNSUBSCRIBE'], 1);
        await s.call(['GET', 'k']);
        await s.call(['PSUBSCRIBE', 'x*'], 1);
        await s.call(['DEL', 'k']);
        await s.call(['QUIT']);
        const [r, c] = await Promise.all([s.redis.readUntilClosed(), s.cairn.readUntilClosed()]);
        assert.equal(formatReply(c), formatReply(r));
        await waitNumsub(ctl, 'ch', 0);
        await ctl.call(['PUBSUB', 'NUMPAT']);
      } finally {
        await closeAll();
      }
    });

    test('shard channels: SSUBSCRIBE / SPUBLISH / SUNSUBSCRIBE, separate from channels and patterns', async () => {
      try {
        const pub = await conn('P');
        const s = await conn('S');
        const t = await conn('T');
        await s.call(['SSUBSCRIBE', 'orders', 'users', 'orders'], 3);
        await t.call(['PSUBSCRIBE', '*'], 1);
        await t.call(['SUBSCRIBE', 'orders'], 1);
        await t.call(['SSUBSCRIBE', 'users'], 1);
        await pub.call(['SPUBLISH', 'orders', 'o1']);
        await pub.call(['SPUBLISH', 'users', 'u1']);
        await pub.call(['PUBLISH', 'orders', 'p1']);
        await pub.call(['SPUBLISH', 'nobody', 'x']);
        await s.sync();
        await t.sync();
        await s.call(['SUNSUBSCRIBE', 'users', 'nope'], 2);
        await t.call(['SUNSUBSCRIBE'], 1);
        await t.call(['SUNSUBSCRIBE'], 1);
        await pub.call(['SPUBLISH', 'users', 'u2']);
        await pub.call(['SPUBLISH', 'orders', 'o2']);
        await s.sync();
        await t.sync();
        await s.call(['SUBSCRIBE', 'c'], 1);
        await s.call(['SUNSUBSCRIBE'], 1);
        await s.call(['GET', 'k']);
        await s.call(['UNSUBSCRIBE'], 1);
        await s.call(['GET', 'k']);
      } finally {
        await closeAll();
      }
    });

    test('RESET and disconnecting drop every subscription silently', async () => {
      try {
        const ctl = await conn('ctl');
        const pub = await conn('P');
        const a = await conn('A');
        const b = await conn('B');
        await a.call(['SUBSCRIBE', 'ch'], 1);
        await a.call(['PSUBSCRIBE', 'c*'], 1);
        await a.call(['SSUBSCRIBE', 'sh'], 1);
        await b.call(['SUBSCRIBE', 'ch'], 1);
        await b.call(['PSUBSCRIBE', 'c*'], 1);
        await pub.call(['PUBLISH', 'ch', 'one']);
        await a.sync();
        await a.call(['RESET']);
        await a.call(['GET', 'k']);
        await ctl.call(['PUBSUB', 'NUMSUB', 'ch']);
        await ctl.call(['PUBSUB', 'SHARDNUMSUB', 'sh']);
        await ctl.call(['PUBSUB', 'NUMPAT']);
        await pub.call(['PUBLISH', 'ch', 'two']);
        await a.quiet(50);
        await b.close();
        opened.splice(opened.indexOf(b), 1);
        await waitNumsub(ctl, 'ch', 0);
        await ctl.call(['PUBSUB', 'NUMPAT']);
        await pub.call(['PUBLISH', 'ch', 'three']);
      } finally {
        await closeAll();
      }
    });

    test('SUBSCRIBE, PUBLISH and MONITOR inside MULTI', async () => {
      try {
        const a = await conn('A');
        await a.call(['MULTI']);
        await a.call(['SUBSCRIBE', 'm1', 'm2']);
        await a.call(['PUBLISH', 'm1', 'hello']);
        await a.call(['PSUBSCRIBE', 'm*']);
        await a.call(['PUBLISH', 'm2', 'again']);
        await a.call(['MONITOR']);
        await a.call(['PING']);
        // EXEC's reply (with the pushes written inside it, as Redis writes them) is compared as one byte stream.
        a.send(['EXEC']);
        await a.sync();
        await a.call(['PING']);
        await a.call(['MULTI']);
        await a.call(['EXEC']);
      } finally {
        await closeAll();
      }
    });

    test('push frames reach a client whose replies are off or skipped', async () => {
      try {
        const pub = await conn('P');
        const s = await conn('S');
        s.send(['CLIENT', 'REPLY', 'OFF']);
        await s.call(['SUBSCRIBE', 'a', 'b'], 2);
        await pub.call(['PUBLISH', 'a', 'while off']);
        await s.expect('message while replies are off');
        if (resp === 3) {
          s.send(['PUBLISH', 'b', 'to self']);
          await s.expect('own message while replies are off');
          s.send(['GET', 'x']);
          await s.call(['CLIENT', 'REPLY', 'ON']);
          s.send(['CLIENT', 'REPLY', 'SKIP']);
          await s.call(['PUBLISH', 'a', 'skipped'], 1);
          await s.call(['PING']);
        } else {
          await s.call(['UNSUBSCRIBE'], 2, 'unsubscribe-all');
        }
        await s.quiet(50);
      } finally {
        await closeAll();
      }
    });

    test('random subscription and publication sequences (fast-check)', async () => {
      const names = ['a', 'b', 'ab', 'ba'];
      const patterns = ['a*', '*b', '?', '[ab]a', '*'];
      const client = fc.integer({ min: 0, max: 2 });
      const op = fc.oneof(
        fc.record({
          k: fc.constant('SUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }),
        }),
        fc.record({
          k: fc.constant('UNSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('PSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...patterns), { minLength: 1, maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('PUNSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...patterns), { maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('SSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('SUNSUBSCRIBE'),
          c: client,
          args: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 }),
        }),
        fc.record({
          k: fc.constant('PUBLISH'),
          c: fc.constant(-1),
          args: fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 4 })),
        }),
        fc.record({
          k: fc.constant('SPUBLISH'),
          c: fc.constant(-1),
          args: fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 4 })),
        }),
        fc.record({ k: fc.constant('RESET'), c: client, args: fc.constant([] as string[]) }),
      );
      const ctl = await Duo.open('ctl', resp);
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
            const subs = [await Duo.open('S0', resp), await Duo.open('S1', resp), await Duo.open('S2', resp)];
            const pub = await Duo.open('P', resp);
            try {
              for (const o of ops) {
                const args = [o.k, ...o.args];
                if (o.c < 0) {
                  await pub.call(args);
                  for (const s of subs) await s.sync('unordered');
                  continue;
                }
                const s = subs[o.c]!;
                s.send(args);
                const all = o.args.length === 0 && o.k !== 'RESET';
                await s.sync(all ? 'unsubscribe-all' : 'ordered');
              }
              await ctl.call(['PUBSUB', 'NUMPAT']);
              await ctl.call(['PUBSUB', 'NUMSUB', ...names]);
              await ctl.call(['PUBSUB', 'SHARDNUMSUB', ...names]);
            } finally {
              for (const d of [...subs, pub]) await d.close();
              for (const n of names) await waitNumsub(ctl, n, 0);
            }
          }),
          { numRuns: 15 },
        );
      } finally {
        await ctl.close();
      }
    });
  });
}
