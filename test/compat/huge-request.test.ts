// A request that claims a huge size allocates only what actually arrives: huge bulk and multibulk lengths, with
// and without authentication, get Redis's replies (or Redis's silence while the rest is awaited), and Cairn's
// resident memory stays small while many connections claim half a gigabyte each.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { RawConnection, encodeCommand } from '../support/resp.js';
import { onBothServers, sharedPair } from '../support/servers.js';
import { startProc, rss, type Proc } from '../support/procs.js';

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends raw bytes on a fresh connection; returns what came back within `quietMs` and whether it was closed. */
async function probe(port: number, bytes: string, quietMs = 300): Promise<{ reply: string; closed: boolean }> {
  const c = await RawConnection.connect(port);
  c.sendRaw(bytes);
  const reply = (await c.readAvailable(quietMs, 3000)).toString('latin1');
  await delay(50);
  const closed = c.isClosed;
  await c.close();
  return { reply, closed };
}

const CASES: [string, string][] = [
  ['bulk length over proto-max-bulk-len', '*1\r\n$2000000000\r\n'],
  ['bulk length beyond 2^31', '*1\r\n$9000000000000000000\r\n'],
  ['bulk length beyond 2^63', '*1\r\n$99999999999999999999\r\n'],
  ['negative bulk length', '*1\r\n$-5\r\n'],
  ['multibulk length beyond INT_MAX', '*3000000000\r\n'],
  ['huge multibulk length, nothing more', '*2000000000\r\n'],
  ['bulk length of exactly 512mb, nothing more', '*1\r\n$536870912\r\n'],
  ['a 500 MB bulk with a few bytes of it', '*2\r\n$3\r\nGET\r\n$500000000\r\nabcdef'],
  ['huge multibulk then a short bulk', '*2000000000\r\n$4\r\nPING\r\n'],
  ['inline request with a huge claim', 'GET $2000000000\r\n'],
];

describe('requests claiming huge sizes (differential)', () => {
  const procs: Proc[] = [];
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
  });

  it('authenticated: same replies and closes as redis-server', async () => {
    const ps = await Promise.all([startProc('redis'), startProc('cairn')]);
    procs.push(...ps);
    const got: Record<string, unknown>[] = [];
    for (const p of ps) {
      const r: Record<string, unknown> = {};
      for (const [name, bytes] of CASES) r[name] = await probe(p.port, bytes);
      got.push(r);
    }
    assert.deepEqual(got[1], got[0]);
    assert.deepEqual(got[0]!['bulk length over proto-max-bulk-len'], {
      reply: '-ERR Protocol error: invalid bulk length\r\n',
      closed: true,
    });
    assert.deepEqual(got[0]!['bulk length of exactly 512mb, nothing more'], { reply: '', closed: false });
  });

  it('unauthenticated: same replies and closes as redis-server', async () => {
    const ps = await Promise.all([
      startProc('redis', ['--requirepass', 'secret']),
      startProc('cairn', ['--requirepass', 'secret']),
    ]);
    procs.push(...ps);
    const cases: [string, string][] = [
      ...CASES,
      ['bulk just over the unauthenticated cap', '*1\r\n$16385\r\n'],
      ['bulk at the unauthenticated cap', '*1\r\n$16384\r\n'],
      ['multibulk over the unauthenticated cap', '*11\r\n'],
      ['multibulk at the unauthenticated cap', '*10\r\n'],
    ];
    const got: Record<string, unknown>[] = [];
    for (const p of ps) {
      const r: Record<string, unknown> = {};
      for (const [name, bytes] of cases) r[name] = await probe(p.port, bytes);
      got.push(r);
    }
    assert.deepEqual(got[1], got[0]);
    assert.deepEqual(got[0]!['bulk just over the unauthenticated cap'], {
      reply: '-ERR Protocol error: unauthenticated bulk length\r\n',
      closed: true,
    });
    assert.deepEqual(got[0]!['multibulk over the unauthenticated cap'], {
      reply: '-ERR Protocol error: unauthenticated multibulk length\r\n',
      closed: true,
    });
  });

  it('CONFIG SET proto-max-bulk-len applies to connections already open, as in redis-server', async () => {
    const ps = await Promise.all([startProc('redis'), startProc('cairn')]);
    procs.push(...ps);
    const got: { reply: string; closed: boolean }[] = [];
    for (const p of ps) {
      const open = await RawConnection.connect(p.port);
      assert.equal((await open.call(['PING'])).toString(), '+PONG\r\n');
      const admin = await RawConnection.connect(p.port);
      assert.equal((await admin.call(['CONFIG', 'SET', 'proto-max-bulk-len', '1048576'])).toString(), '+OK\r\n');
      open.sendRaw('*1\r\n$2000000\r\n');
      const reply = (await open.readAvailable(300, 3000)).toString('latin1');
      await delay(50);
      got.push({ reply, closed: open.isClosed });
      // A bulk under the new limit is still taken.
      const fresh = await RawConnection.connect(p.port);
      fresh.sendRaw('*1\r\n$1000000\r\n');
      assert.equal((await fresh.readAvailable(200, 1000)).toString('latin1'), '');
      assert.equal(fresh.isClosed, false);
      await Promise.all([open, admin, fresh].map((c) => c.close()));
    }
    assert.deepEqual(got[1], got[0]);
    assert.deepEqual(got[0], { reply: '-ERR Protocol error: invalid bulk length\r\n', closed: true });
  });

  it("Cairn's RSS stays small while 200 connections each claim a 500 MB bulk", async (t) => {
    const p = await startProc('cairn');
    procs.push(p);
    const warm = await RawConnection.connect(p.port);
    await warm.call(['PING']);
    await delay(200);
    const base = rss(p.pid);
    const conns: RawConnection[] = [];
    for (let i = 0; i < 200; i++) {
      const c = await RawConnection.connect(p.port);
      // A claimed 500 MB argument, of which 64 KB actually arrive.
      c.sendRaw('*2\r\n$3\r\nSET\r\n$500000000\r\n' + 'x'.repeat(64 * 1024));
      conns.push(c);
    }
    await delay(500);
    assert.equal((await warm.call(['PING'])).toString(), '+PONG\r\n');
    const grown = rss(p.pid) - base;
    t.diagnostic(`RSS grew by ${(grown / 1048576).toFixed(1)} MB for 200 x 500 MB claimed (12.5 MB sent)`);
    // 200 x 64 KB = 12.5 MB really arrived; 100 GB were claimed.
    assert.ok(grown < 64 * 1024 * 1024, `RSS grew by ${grown} bytes`);
    for (const c of conns) assert.equal(c.isClosed, false);
    await Promise.all([...conns, warm].map((c) => c.close()));
  });
});

describe('a reply too large to send', () => {
  let proc: Proc | undefined;
  after(async () => {
    await proc?.stop();
  });

  it('closes its client at 1 GB of pending output; the server stays up and keeps its data', async () => {
    // Redis itself runs out of memory here; Cairn stops the command and drops the client instead.
    proc = await startProc('cairn');
    const c = await RawConnection.connect(proc.port);
    c.sendRaw('*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$1\r\na\r\n$1\r\n1\r\n');
    assert.equal((await c.readAvailable(200, 3000)).toString('latin1'), ':1\r\n');
    c.sendRaw('*3\r\n$10\r\nHRANDFIELD\r\n$1\r\nh\r\n$20\r\n-4611686018427387904\r\n');
    const deadline = Date.now() + 90_000;
    while (!c.isClosed && Date.now() < deadline) await c.readAvailable(500, 1000);
    assert.ok(c.isClosed, 'the client was closed');
    await c.close();
    const d = await RawConnection.connect(proc.port);
    d.sendRaw('*2\r\n$4\r\nHGET\r\n$1\r\nh\r\n*3\r\n$4\r\nHGET\r\n$1\r\nh\r\n$1\r\na\r\n');
    const got = (await d.readAvailable(300, 3000)).toString('latin1');
    assert.equal(got, "-ERR wrong number of arguments for 'hget' command\r\n$1\r\n1\r\n");
    await d.close();
  });
});

describe('client-query-buffer-limit and a big argument (differential)', () => {
  const limitPair = sharedPair();
  for (const [n, what] of [
    [1_048_574, 'fits (bulk and CRLF make exactly 1 MB)'],
    [1_048_575, 'is one byte over: the connection closes without a reply'],
  ] as const) {
    it(`a SET whose value ${what}`, async () => {
      const p = await limitPair();
      const [redis, cairn] = await onBothServers(p, async (port) => {
        const admin = await RawConnection.connect(port);
        await admin.call(['CONFIG', 'SET', 'client-query-buffer-limit', '1mb']);
        const c = await RawConnection.connect(port);
        try {
          c.sendRaw(Buffer.concat([encodeCommand(['SET', 'q', Buffer.alloc(n, 0x61)]), encodeCommand(['PING'])]));
          return (await c.readAvailable(300, 5000)).toString('latin1');
        } finally {
          await c.close();
          await admin.call(['CONFIG', 'SET', 'client-query-buffer-limit', '1gb']);
          await admin.close();
        }
      });
      assert.equal(cairn, redis);
    });
  }
});
