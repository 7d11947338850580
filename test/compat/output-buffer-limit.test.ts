// client-output-buffer-limit, against real redis-server and Cairn (both as child processes, so Cairn's memory can
// be read from /proc): CONFIG GET/SET/REWRITE, a subscriber that never reads closed at the pubsub hard limit, the
// soft limit with its seconds, the normal class (pipelined big replies, a single big reply, MONITOR), and Cairn's
// RSS staying bounded while non-reading subscribers are flooded.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { RawConnection, encodeCommand } from '../support/resp.js';
import { startProc, rss, type Proc } from '../support/procs.js';

const HOST = '127.0.0.1';
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends commands in one write and reads all their replies (as text). */
async function pipeline(c: RawConnection, cmds: (string | Buffer)[][]): Promise<string[]> {
  c.sendRaw(Buffer.concat(cmds.map((x) => encodeCommand(x))));
  const out: string[] = [];
  for (let i = 0; i < cmds.length; i++) out.push((await c.readReply(20_000)).toString('latin1'));
  return out;
}

/**
 * A raw socket that sends `setup` (replies awaited: `replies` complete top-level frames, counted by a crude
 * line scan that holds for short replies) and then stops reading: the kernel buffers fill and the server's
 * output backs up.
 */
async function stuckClient(
  port: number,
  setup: (string | Buffer)[][],
  expectText: string,
): Promise<{ sock: net.Socket; closed: Promise<void>; received: () => number }> {
  const sock = net.connect({ port, host: HOST });
  await new Promise<void>((res, rej) => {
    sock.once('connect', () => res());
    sock.once('error', rej);
  });
  sock.on('error', () => {});
  let got = '';
  let received = 0;
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no setup reply, got ${JSON.stringify(got)}`)), 5000);
    sock.on('data', (d: Buffer) => {
      received += d.length;
      if (got.length < 4096) got += d.toString('latin1');
      if (got.includes(expectText)) {
        clearTimeout(t);
        res();
      }
    });
    sock.write(Buffer.concat(setup.map((x) => encodeCommand(x))));
  });
  sock.pause();
  return { sock, closed, received: () => received };
}

async function clientList(c: RawConnection): Promise<string> {
  return (await c.call(['CLIENT', 'LIST'])).toString('latin1');
}

function omemOf(list: string, name: string): number | undefined {
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  if (line === undefined) return undefined;
  return Number(/ omem=(\d+)/.exec(line)![1]);
}

const ASAP = 'scheduled to be closed ASAP for overcoming of output buffer limits.';

describe('client-output-buffer-limit (differential)', () => {
  const procs: Proc[] = [];
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
  });
  async function both(args: string[] = [], conf?: string): Promise<Proc[]> {
    const ps = await Promise.all([startProc('redis', args, conf), startProc('cairn', args, conf)]);
    procs.push(...ps);
    return ps;
  }
  /** One pair for the tests that set their limits with CONFIG SET. */
  let sharedPair: Promise<Proc[]> | undefined;
  const pair = (): Promise<Proc[]> => (sharedPair ??= both());

  it('CONFIG GET / SET replies match, partial sets keep the other classes', async () => {
    const ps = await pair();
    const values = [
      '',
      'normal',
      'normal 1 2',
      'foo 1 2 3',
      'master 1 2 3',
      'normal -1 2 3',
      'normal 1x 2 3',
      'normal 1 2 3x',
      'normal 1 2 3 ',
      'normal 1 2 1.5',
      'normal +1 2 3',
      'normal 1 2 +3',
      'normal 1 2 -0',
      'normal 1 2 2147483647',
      'normal 1 2 2147483648',
      'NORMAL 1 2 3',
      'Slave 5 6 7',
      'pubsub 1mb 0 0',
      'normal 1K 2Mb 3',
      'normal 10GB 1k 2',
      'normal kb 2 3',
      'normal  1 2',
      'normal 18446744073709551615 0 0',
      'normal 18446744073709551616 0 0',
      'normal 20000000000gb 0 0',
      'normal 1 2 3 pubsub 4 5 6 slave 7 8 9 replica 10 11 12',
      'normal 1 2 3 pubsub 1 1 1 foo 1 2 3',
      'normal 3 4 5 normal 1 2 x',
      'pubsub 5 6 7 normal 1 2',
      'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    ];
    const transcripts: string[] = [];
    for (const p of ps) {
      const c = await RawConnection.connect(p.port);
      let t = (await c.call(['CONFIG', 'GET', 'client-output-buffer-limit'])).toString('latin1');
      t += (await c.call(['CONFIG', 'GET', 'client-output-*'])).toString('latin1');
      for (const v of values) {
        t += (await c.call(['CONFIG', 'SET', 'client-output-buffer-limit', v])).toString('latin1');
        t += (await c.call(['CONFIG', 'GET', 'client-output-buffer-limit'])).toString('latin1');
      }
      transcripts.push(t);
      await c.close();
    }
    assert.equal(transcripts[1], transcripts[0]);
  });

  it('config file and command line set classes; CONFIG REWRITE writes one line per class like Redis', async () => {
    const conf = 'client-output-buffer-limit pubsub 1mb 0 0\nclient-output-buffer-limit normal 1 2 3\n';
    const ps = await both(['--client-output-buffer-limit', 'slave 1gb 3kb 4'], conf);
    const results: string[][] = [];
    for (const p of ps) {
      const c = await RawConnection.connect(p.port);
      const out: string[] = [(await c.call(['CONFIG', 'GET', 'client-output-buffer-limit'])).toString('latin1')];
      const lines = (): string[] =>
        fs
          .readFileSync(path.join(p.dir, 'server.conf'), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('client-output-buffer-limit'));
      for (const v of [
        undefined,
        'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
        'normal 1000 1025 0 pubsub 3000000 1048576 1',
      ]) {
        if (v !== undefined)
          assert.equal((await c.call(['CONFIG', 'SET', 'client-output-buffer-limit', v])).toString(), '+OK\r\n');
        assert.equal((await c.call(['CONFIG', 'REWRITE'])).toString(), '+OK\r\n');
        out.push(...lines(), '--');
      }
      results.push(out);
      await c.close();
    }
    assert.deepEqual(results[1], results[0]);
    assert.equal(
      results[0]![0],
      '*2\r\n$26\r\nclient-output-buffer-limit\r\n$55\r\nnormal 1 2 3 slave 1073741824 3072 4 pubsub 1048576 0 0\r\n',
    );
  });

  for (const proto of [2, 3])
    it(`a RESP${proto} subscriber that never reads is closed at the pubsub hard limit`, async () => {
      const ps = await pair();
      const outcomes: Record<string, unknown>[] = [];
      for (const p of ps) {
        const pub = await RawConnection.connect(p.port);
        assert.equal(
          (await pub.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0'])).toString(),
          '+OK\r\n',
        );
        const sub = await stuckClient(
          p.port,
          [
            ['HELLO', String(proto)],
            ['CLIENT', 'SETNAME', `stuck${proto}`],
            ['SUBSCRIBE', 'ch'],
          ],
          'ch\r\n:1\r\n',
        );
        const msg = 'm'.repeat(16 * 1024);
        let replies = '';
        let sent = 0;
        let gone = false;
        for (let round = 0; round < 400 && !gone; round++) {
          for (const r of await pipeline(
            pub,
            Array.from({ length: 64 }, () => ['PUBLISH', 'ch', msg]),
          ))
            replies += r;
          sent += 64 * msg.length;
          gone = !(await clientList(pub)).includes(` name=stuck${proto} `);
        }
        const after = (await pub.call(['PUBLISH', 'ch', 'x'])).toString();
        sub.sock.resume();
        await Promise.race([sub.closed, delay(5000)]);
        outcomes.push({
          gone,
          // The subscriber counts until it is closed (maybe in the middle of a pipeline), then no more.
          replies: /^(:1\r\n)+(:0\r\n)*$/.test(replies),
          after,
          socketClosed: sub.sock.destroyed || sub.sock.readableEnded,
          receivedLess: sub.received() < sent,
          logged: new RegExp(`name=stuck${proto} .*${ASAP}`).test(p.log()),
        });
        // Memory stays bounded: far less than was published went anywhere.
        assert.ok(sent < 300 * 1024 * 1024, `${p.kind}: subscriber still there after ${sent} bytes`);
        await pub.close();
      }
      assert.deepEqual(outcomes[1], outcomes[0]);
      assert.deepEqual(outcomes[0], {
        gone: true,
        replies: true,
        after: ':0\r\n',
        socketClosed: true,
        receivedLess: true,
        logged: true,
      });
    });

  it('the soft limit closes a subscriber only after its seconds, even with no more traffic', async () => {
    const ps = await pair();
    const outcomes: Record<string, unknown>[] = [];
    await Promise.all(
      ps.map(async (p) => {
        const pub = await RawConnection.connect(p.port);
        await pub.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 256kb 2']);
        await stuckClient(
          p.port,
          [
            ['CLIENT', 'SETNAME', 'soft'],
            ['SUBSCRIBE', 'ch'],
          ],
          'ch\r\n:1\r\n',
        );
        const msg = 'm'.repeat(4096);
        let over = false;
        for (let round = 0; round < 2000 && !over; round++) {
          await pipeline(
            pub,
            Array.from({ length: 16 }, () => ['PUBLISH', 'ch', msg]),
          );
          over = (omemOf(await clientList(pub), 'soft') ?? 0) >= 256 * 1024;
        }
        const t0 = Date.now();
        await delay(700);
        const earlyPresent = (await clientList(pub)).includes(' name=soft ');
        let closedAfter = -1;
        while (Date.now() - t0 < 6000) {
          if (!(await clientList(pub)).includes(' name=soft ')) {
            closedAfter = Date.now() - t0;
            break;
          }
          await delay(100);
        }
        outcomes[ps.indexOf(p)] = {
          over,
          earlyPresent,
          closedInTime: closedAfter >= 1000 && closedAfter <= 4500,
          logged: p.log().includes('for overcoming of output buffer limits.'),
        };
        await pub.close();
      }),
    );
    assert.deepEqual(outcomes[1], outcomes[0]);
    assert.deepEqual(outcomes[0], { over: true, earlyPresent: true, closedInTime: true, logged: true });
  });

  it('the normal class: pipelined big replies, a single big reply, and MONITOR', async () => {
    const ps = await pair();
    const outcomes: Record<string, unknown>[] = [];
    for (const p of ps) {
      const admin = await RawConnection.connect(p.port);
      await admin.call(['SET', 'big', 'v'.repeat(100 * 1024)]);
      await admin.call(['SET', 'huge', 'v'.repeat(200 * 1024)]);
      await admin.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0']);
      // A client pipelining 100 GETs of 100 KB without reading.
      const reader = await stuckClient(p.port, [['CLIENT', 'SETNAME', 'piper']], '+OK\r\n');
      reader.sock.write(Buffer.concat(Array.from({ length: 100 }, () => encodeCommand(['GET', 'big']))));
      await delay(300);
      const piperGone = !(await clientList(admin)).includes(' name=piper ');
      // Small replies never count (Redis keeps its first 16 KB outside the limits).
      await admin.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 1 0']);
      const small = (await admin.call(['PING'])).toString();
      // One reply over the limit: the client gets nothing and is closed.
      await admin.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100kb 0 0']);
      const one = await RawConnection.connect(p.port);
      one.send(['GET', 'huge']);
      const got = await one.readUntilClosed(5000);
      // A MONITOR client that never reads is a normal client.
      await admin.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0 pubsub 0 0 0']);
      const mon = await stuckClient(p.port, [['CLIENT', 'SETNAME', 'mon'], ['MONITOR']], '+OK\r\n+OK\r\n');
      const writer = await RawConnection.connect(p.port);
      let monGone = false;
      for (let round = 0; round < 200 && !monGone; round++) {
        await pipeline(
          writer,
          Array.from({ length: 64 }, (_, i) => ['SET', `k${i}`, 'w'.repeat(8192)]),
        );
        monGone = !(await clientList(admin)).includes(' name=mon ');
      }
      outcomes.push({ piperGone, small, singleReply: got.length, monGone });
      mon.sock.destroy();
      reader.sock.destroy();
      await Promise.all([admin.close(), writer.close(), one.close()]);
    }
    assert.deepEqual(outcomes[1], outcomes[0]);
    assert.deepEqual(outcomes[0], { piperGone: true, small: '+PONG\r\n', singleReply: 0, monGone: true });
  });

  it('a client that has not authenticated is closed past 1 KB of held output, whatever the limits', async () => {
    const ps = await both();
    const outcomes: Record<string, unknown>[] = [];
    const flood = Buffer.concat(Array.from({ length: 20_000 }, () => encodeCommand(['SET', 'x', '5'])));
    for (const p of ps) {
      const admin = await RawConnection.connect(p.port);
      await admin.call(['CONFIG', 'SET', 'requirepass', 'foobar']);
      const anon = await stuckClient(p.port, [['PING']], '-NOAUTH');
      const authed = await stuckClient(
        p.port,
        [
          ['AUTH', 'foobar'],
          ['CLIENT', 'SETNAME', 'authed'],
        ],
        '+OK\r\n+OK',
      );
      let anonGone = false;
      const gone = anon.closed.then(() => (anonGone = true));
      for (let i = 0; i < 25 && !anonGone; i++) {
        anon.sock.write(flood);
        authed.sock.write(flood);
        await Promise.race([gone, delay(100)]);
      }
      await Promise.race([gone, delay(2000)]);
      const list = await clientList(admin);
      outcomes.push({ anonGone, authedStays: list.includes(' name=authed ') });
      authed.sock.destroy();
      anon.sock.destroy();
      await admin.close();
    }
    assert.deepEqual(outcomes[1], outcomes[0]);
    assert.deepEqual(outcomes[0], { anonGone: true, authedStays: true });
  });

  it("Cairn's memory stays bounded while non-reading subscribers are flooded (default limits)", async (t) => {
    const p = await startProc('cairn');
    procs.push(p);
    const pub = await RawConnection.connect(p.port);
    // Warm up, then take the baseline.
    await pipeline(
      pub,
      Array.from({ length: 100 }, () => ['PUBLISH', 'none', 'x'.repeat(64 * 1024)]),
    );
    await delay(200);
    const base = rss(p.pid);
    let maxRss = base;
    let published = 0;
    const msg = 'm'.repeat(64 * 1024);
    for (let n = 0; n < 6; n++) {
      await stuckClient(
        p.port,
        [
          ['CLIENT', 'SETNAME', `flood${n}`],
          ['SUBSCRIBE', 'ch'],
        ],
        'ch\r\n:1\r\n',
      );
      let gone = false;
      for (let round = 0; round < 200 && !gone; round++) {
        await pipeline(
          pub,
          Array.from({ length: 16 }, () => ['PUBLISH', 'ch', msg]),
        );
        published += 16 * msg.length;
        maxRss = Math.max(maxRss, rss(p.pid));
        gone = !(await clientList(pub)).includes(` name=flood${n} `);
      }
      assert.ok(gone, `subscriber ${n} was not closed after ${published} bytes`);
    }
    const growth = maxRss - base;
    t.diagnostic(
      `published ${(published / 1048576).toFixed(0)} MB to 6 stuck subscribers; RSS ${(base / 1048576).toFixed(1)} MB -> max ${(maxRss / 1048576).toFixed(1)} MB`,
    );
    assert.ok(published >= 6 * 32 * 1024 * 1024, `published ${published}`);
    // Each subscriber holds at most the 32 MB hard limit (plus the kernel's socket buffers) before it is closed, and
    // what it held is reused for the next one: the growth does not add up with the bytes published.
    assert.ok(growth < 150 * 1024 * 1024, `RSS grew by ${(growth / 1048576).toFixed(1)} MB`);
    await pub.close();
  });
});
