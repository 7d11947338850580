// Protected mode and "local" clients, compared byte for byte with redis-server 7.0.15. Both servers listen on every
// interface; the tests reach them through this machine's non-loopback address (the first of `hostname -I` that is
// not loopback, e.g. 192.0.2.2) and from 127.0.0.2, which Redis does not count as local either.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { startPair, type Pair } from '../support/servers.js';
import { encodeCommand } from '../support/resp.js';

/** A non-loopback IPv4 address of this machine; the tests need one and fail without it. */
function externalAddress(): string {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  throw new Error('this machine has no non-loopback IPv4 address: protected mode cannot be tested');
}

interface Exchange {
  bytes: string;
  closed: boolean;
}

/**
 * Connects (optionally from a given local address), sends the requests, and returns what arrived until the server
 * closed the connection or stayed quiet for `quietMs`.
 */
function exchange(
  port: number,
  host: string,
  requests: string[][],
  localAddress?: string,
  quietMs = 250,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host, localAddress });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ bytes: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    };
    sock.on('connect', () => {
      for (const r of requests) sock.write(encodeCommand(r));
      arm();
    });
    sock.on('data', (d) => {
      chunks.push(d);
      arm();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return;
      clearTimeout(timer);
      reject(e);
    });
    sock.on('close', () => done(true));
  });
}

async function both(p: Pair, host: string, requests: string[][], localAddress?: string): Promise<Exchange> {
  const [r, c] = await Promise.all([
    exchange(p.redis.port, host, requests, localAddress),
    exchange(p.cairn.port, host, requests, localAddress),
  ]);
  assert.deepEqual(c, r, `Cairn and Redis differ for ${JSON.stringify(requests)} via ${host}`);
  return r;
}

async function stat(port: number, field: string): Promise<number> {
  const { bytes } = await exchange(port, '127.0.0.1', [['INFO', 'stats']]);
  const m = new RegExp(`${field}:(\\d+)`).exec(bytes);
  assert.ok(m, `INFO stats has ${field}`);
  return Number(m[1]);
}

const DENIED_START =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user.';

describe('protected mode (differential, through a non-loopback address)', () => {
  const ext = externalAddress();
  let p: Pair & { stop(): Promise<void> };
  before(async () => {
    p = await startPair({
      redisArgs: ['--bind', '*', '-::*', '--protected-mode', 'yes'],
      cairnOptions: { bind: '* -::*', 'protected-mode': 'yes' },
    });
  });
  after(() => p.stop());

  it('is on by default, as in Redis', async () => {
    await both(p, '127.0.0.1', [['CONFIG', 'GET', 'protected-mode']]);
  });

  it('refuses a non-loopback client with the DENIED text and closes, counting a rejected connection', async () => {
    const before = await Promise.all([p.redis.port, p.cairn.port].map((port) => stat(port, 'rejected_connections')));
    const conns = await Promise.all(
      [p.redis.port, p.cairn.port].map((port) => stat(port, 'total_connections_received')),
    );
    const r = await both(p, ext, [['PING']]);
    assert.ok(r.bytes.startsWith(DENIED_START), r.bytes);
    assert.ok(r.bytes.endsWith('to start accepting connections from the outside.\r\n'));
    assert.equal(r.closed, true);
    // Nothing sent at all: the text arrives anyway and the connection closes.
    await both(p, ext, []);
    const afterRejected = await Promise.all(
      [p.redis.port, p.cairn.port].map((port) => stat(port, 'rejected_connections')),
    );
    assert.deepEqual(
      afterRejected.map((n, i) => n - before[i]!),
      [2, 2],
    );
    // Refused connections are not counted as received (the INFO connections themselves are).
    const afterConns = await Promise.all(
      [p.redis.port, p.cairn.port].map((port) => stat(port, 'total_connections_received')),
    );
    assert.deepEqual(
      afterConns.map((n, i) => n - conns[i]!),
      [2, 2],
    );
  });

  it('counts only 127.0.0.1 and ::1 as loopback (127.0.0.2 is refused)', async () => {
    const r = await both(p, '127.0.0.1', [['PING']], '127.0.0.2');
    assert.ok(r.bytes.startsWith(DENIED_START));
    assert.deepEqual(await both(p, '127.0.0.1', [['PING']]), { bytes: '+PONG\r\n', closed: false });
    assert.deepEqual(await both(p, '::1', [['PING']]), { bytes: '+PONG\r\n', closed: false });
  });

  it('lets everybody in once the default user has a password (requirepass)', async () => {
    await both(p, '127.0.0.1', [['CONFIG', 'SET', 'requirepass', 'sesame']]);
    try {
      const r = await both(p, ext, [['PING'], ['AUTH', 'sesame'], ['PING']]);
      assert.equal(r.bytes, '-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n');
    } finally {
      await both(p, '127.0.0.1', [
        ['AUTH', 'sesame'],
        ['CONFIG', 'SET', 'requirepass', ''],
      ]);
    }
    assert.ok((await both(p, ext, [['PING']])).bytes.startsWith(DENIED_START));
  });

  it('CONFIG SET protected-mode no opens the server; yes closes it again', async () => {
    await both(p, '127.0.0.1', [['CONFIG', 'SET', 'protected-mode', 'no']]);
    try {
      assert.deepEqual(await both(p, ext, [['PING']]), { bytes: '+PONG\r\n', closed: false });
      // Set from outside: protected-mode is not a protected config.
      await both(p, ext, [
        ['CONFIG', 'GET', 'protected-mode'],
        ['CONFIG', 'SET', 'protected-mode', 'maybe'],
      ]);
    } finally {
      await both(p, '127.0.0.1', [['CONFIG', 'SET', 'protected-mode', 'yes']]);
    }
    assert.ok((await both(p, ext, [['PING']])).bytes.startsWith(DENIED_START));
  });
});

describe('"local" for enable-debug-command and enable-protected-configs (differential)', () => {
  const ext = externalAddress();
  let p: Pair & { stop(): Promise<void> };
  before(async () => {
    const local = { 'enable-debug-command': 'local', 'enable-protected-configs': 'local' };
    p = await startPair({
      redisArgs: [
        '--bind',
        '*',
        '-::*',
        '--protected-mode',
        'no',
        '--enable-debug-command',
        'local',
        '--enable-protected-configs',
        'local',
      ],
      cairnOptions: { bind: '* -::*', 'protected-mode': 'no', ...local },
    });
  });
  after(() => p.stop());

  const probe = [
    ['DEBUG', 'SLEEP', '0'],
    ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
    ['CONFIG', 'SET', 'dir', '/tmp'],
    ['CONFIG', 'SET', 'maxclients', '10000', 'dbfilename', 'y.rdb'],
    ['CONFIG', 'GET', 'dbfilename'],
  ];

  it('refuses DEBUG and protected configs from a non-loopback address with the same errors', async () => {
    const r = await both(p, ext, probe);
    assert.match(r.bytes, /^-ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local"/);
    assert.match(r.bytes, /can't set protected config/);
  });

  it('refuses them from 127.0.0.2 too', async () => {
    const r = await both(p, '127.0.0.1', probe, '127.0.0.2');
    assert.match(r.bytes, /can't set protected config/);
  });

  it('allows them from 127.0.0.1', async () => {
    const r = await both(p, '127.0.0.1', [
      ['DEBUG', 'SLEEP', '0'],
      ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
      ['CONFIG', 'GET', 'dbfilename'],
      ['CONFIG', 'SET', 'dbfilename', 'dump.rdb'],
    ]);
    assert.equal(r.bytes, '+OK\r\n+OK\r\n*2\r\n$10\r\ndbfilename\r\n$5\r\nx.rdb\r\n+OK\r\n');
  });
});
