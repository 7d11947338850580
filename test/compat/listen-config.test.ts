// CONFIG SET port and bind move the listening sockets at run time, as in Redis 7.0 (networking.tcl's "CONFIG SET
// port number" and "CONFIG SET bind address"): the reply says whether the new port or addresses could be bound,
// a failure leaves the server listening where it was, and connections already made stay. Compared with real
// Redis 7.0.15, each server in a fresh process of its own, since the scenario moves it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { freePort, startPair } from '../support/servers.js';
import { RawConnection } from '../support/resp.js';

/** A reply as text, for comparing transcripts. */
async function say(conn: RawConnection, args: string[]): Promise<string> {
  return (await conn.call(args)).toString('latin1');
}

/** Whether a new connection to host:port is answered with PONG. */
async function answers(port: number, host = '127.0.0.1'): Promise<boolean> {
  try {
    const conn = await RawConnection.connect(port, host);
    try {
      return (await say(conn, ['PING'])) === '+PONG\r\n';
    } finally {
      await conn.close();
    }
  } catch {
    return false;
  }
}

/** A listener of this process on a free port, which the servers then cannot bind. */
async function occupiedPort(): Promise<net.Server> {
  const ns = net.createServer();
  await new Promise<void>((resolve) => ns.listen(0, '127.0.0.1', resolve));
  return ns;
}

/** The transcript of moving a server: what each step replied and where the server could be reached. */
async function moveScenario(startPort: number, busy: number): Promise<string[]> {
  const out: string[] = [];
  const first = await RawConnection.connect(startPort);
  const moved = await freePort();
  const second = await freePort();
  const name = (p: number): string =>
    p === startPort ? 'start' : p === moved ? 'moved' : p === second ? 'second' : p === busy ? 'busy' : String(p);
  const where = async (): Promise<void> => {
    const at: string[] = [];
    for (const p of [startPort, moved, second]) if (await answers(p)) at.push(name(p));
    out.push(`listening: ${at.join(' ')}`);
  };
  try {
    out.push(await say(first, ['CONFIG', 'SET', 'port', String(moved)]));
    await where();
    // The connection that asked is still served.
    out.push(await say(first, ['PING']));
    const conn = await RawConnection.connect(moved);
    try {
      out.push((await say(conn, ['CONFIG', 'GET', 'port'])).replace(String(moved), 'moved'));
      out.push(/tcp_port:(\d+)/.exec(await say(conn, ['INFO', 'server']))![1] === String(moved) ? 'info moved' : '?');
      // A port in use: refused, and the server stays where it was.
      out.push(await say(conn, ['CONFIG', 'SET', 'port', String(busy)]));
      await where();
      out.push((await say(conn, ['CONFIG', 'GET', 'port'])).replace(String(moved), 'moved'));
      // The same port again: closed and opened again, as Redis does.
      out.push(await say(conn, ['CONFIG', 'SET', 'port', String(moved)]));
      await where();
      // An address that is not one: refused, still listening.
      out.push(await say(conn, ['CONFIG', 'SET', 'bind', '999.999.999.999']));
      out.push(await say(conn, ['CONFIG', 'GET', 'bind']));
      await where();
      // An optional address that cannot be had is passed over.
      out.push(await say(conn, ['CONFIG', 'SET', 'bind', '127.0.0.1 -192.0.2.1']));
      out.push(await say(conn, ['CONFIG', 'GET', 'bind']));
      await where();
      // Port and addresses in one CONFIG SET.
      out.push(await say(conn, ['CONFIG', 'SET', 'port', String(second), 'bind', '127.0.0.2']));
      out.push(`127.0.0.2: ${String(await answers(second, '127.0.0.2'))}, 127.0.0.1: ${String(await answers(second))}`);
      // Both refused together: the port is not changed either.
      out.push(await say(conn, ['CONFIG', 'SET', 'port', String(moved), 'bind', '999.999.999.999']));
      out.push(
        `127.0.0.2: ${String(await answers(second, '127.0.0.2'))}, moved: ${String(await answers(moved, '127.0.0.2'))}`,
      );
      out.push(await say(conn, ['PING']));
    } finally {
      await conn.close();
    }
  } finally {
    await first.close();
  }
  return out;
}

describe('CONFIG SET port and bind', () => {
  it('move the listeners, refuse what cannot be bound and keep what was', async () => {
    const busy = await occupiedPort();
    const busyPort = (busy.address() as net.AddressInfo).port;
    const pair = await startPair({ cairnOptions: { bind: '127.0.0.1' } });
    try {
      const redis = await moveScenario(pair.redis.port, busyPort);
      const cairn = await moveScenario(pair.cairn.port, busyPort);
      assert.deepEqual(cairn, redis);
      // What Redis answers, so that the comparison cannot pass on two servers that both refuse everything.
      assert.equal(redis[0], '+OK\r\n');
      assert.match(redis.join('\n'), /Unable to listen on this port/);
      assert.match(redis.join('\n'), /Failed to bind to specified addresses/);
    } finally {
      await pair.stop();
      busy.close();
    }
  });
});
