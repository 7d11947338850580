// maxclients: the connection over the limit gets "-ERR max number of clients reached" and is closed, as in
// real redis-server (small limit for speed); a freed slot can be taken again; rejected_connections counts it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPair } from '../support/servers.js';
import { startProc } from '../support/procs.js';
import { RawConnection } from '../support/resp.js';

async function scenario(port: number): Promise<Record<string, unknown>> {
  const admin = await RawConnection.connect(port);
  const conns: RawConnection[] = [];
  // admin + 19 = 20 connections: the limit.
  for (let i = 0; i < 19; i++) {
    const c = await RawConnection.connect(port);
    assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
    conns.push(c);
  }
  const over = await RawConnection.connect(port);
  const overBytes = (await over.readUntilClosed(5000)).toString('latin1');
  // Another one over the limit, which even sends a command first.
  const over2 = await RawConnection.connect(port);
  over2.send(['PING']);
  const over2Bytes = (await over2.readUntilClosed(5000)).toString('latin1');
  await conns.pop()!.close();
  await new Promise((r) => setTimeout(r, 100));
  const again = await RawConnection.connect(port);
  const againPing = (await again.call(['PING'])).toString();
  const info = (await admin.call(['INFO', 'stats'])).toString('latin1');
  const rejected = /rejected_connections:(\d+)/.exec(info)?.[1];
  const clients = /connected_clients:(\d+)/.exec((await admin.call(['INFO', 'clients'])).toString('latin1'))?.[1];
  await Promise.all([...conns, again, admin].map((c) => c.close()));
  return { overBytes, overClosed: over.isClosed, over2Bytes, againPing, rejected, clients };
}

describe('maxclients (differential)', () => {
  it('the connection over maxclients gets the error and is closed, like redis-server', async () => {
    const p = await startPair({ redisArgs: ['--maxclients', '20'], cairnOptions: { maxclients: 20 } });
    try {
      const redis = await scenario(p.redis.port);
      const cairn = await scenario(p.cairn.port);
      assert.deepEqual(cairn, redis);
      assert.deepEqual(redis, {
        overBytes: '-ERR max number of clients reached\r\n',
        overClosed: true,
        over2Bytes: '-ERR max number of clients reached\r\n',
        againPing: '+PONG\r\n',
        rejected: '2',
        clients: '20',
      });
    } finally {
      await p.stop();
    }
  });

  it('CONFIG SET maxclients applies to new connections', async () => {
    const p = await startPair();
    try {
      const out: string[][] = [];
      for (const port of [p.redis.port, p.cairn.port]) {
        const admin = await RawConnection.connect(port);
        const seen: string[] = [(await admin.call(['CONFIG', 'SET', 'maxclients', '2'])).toString()];
        const second = await RawConnection.connect(port);
        seen.push((await second.call(['PING'])).toString());
        const third = await RawConnection.connect(port);
        seen.push((await third.readUntilClosed(5000)).toString());
        seen.push((await admin.call(['CONFIG', 'SET', 'maxclients', '100'])).toString());
        await Promise.all([second.close(), admin.close()]);
        out.push(seen);
      }
      assert.deepEqual(out[1], out[0]);
      assert.deepEqual(out[0], ['+OK\r\n', '+PONG\r\n', '-ERR max number of clients reached\r\n', '+OK\r\n']);
    } finally {
      await p.stop();
    }
  });

  it('maxclients is fitted to a low open-files limit, at start and by CONFIG SET, as by redis-server', async () => {
    // 200 descriptors: 32 are kept for the server's own files, so 168 clients at most.
    const procs = await Promise.all([startProc('redis', [], undefined, 200), startProc('cairn', [], undefined, 200)]);
    try {
      const out: string[][] = [];
      for (const p of procs) {
        const c = await RawConnection.connect(p.port);
        const seen: string[] = [];
        for (const args of [
          ['CONFIG', 'GET', 'maxclients'],
          ['CONFIG', 'SET', 'maxclients', '500'],
          ['CONFIG', 'GET', 'maxclients'],
          ['CONFIG', 'SET', 'maxclients', '100'],
          ['CONFIG', 'SET', 'maxclients', '150'],
          ['CONFIG', 'SET', 'maxclients', '169'],
          ['CONFIG', 'SET', 'maxclients', '168'],
          ['CONFIG', 'GET', 'maxclients'],
        ])
          seen.push((await c.call(args)).toString('latin1'));
        await c.close();
        out.push(seen);
      }
      assert.deepEqual(out[1], out[0]);
      assert.equal(out[0]![0], '*2\r\n$10\r\nmaxclients\r\n$3\r\n168\r\n');
      assert.equal(
        out[0]![1],
        "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - The operating system is not able to " +
          'handle the specified number of clients, try with 168\r\n',
      );
      assert.match(procs[1]!.log(), /maxclients has been reduced to 168 to compensate for low ulimit/);
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
    }
  });
});
