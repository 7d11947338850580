// Servers embedded side by side in one process (the README's "Embedding (for your tests)"): each keeps its own
// configuration, keys and behaviour, whatever the other one runs or is configured to do.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { startServer } from '../../src/index.js';
import { RawConnection, parseReply } from '../support/resp.js';

const SMALL = {
  'hash-max-listpack-entries': 2,
  'set-max-intset-entries': 2,
  'zset-max-listpack-entries': 2,
  'list-max-listpack-size': 2,
};

/** OBJECT ENCODING of h, s, z after three members each, written in steps that alternate between the servers. */
async function encodings(conns: RawConnection[]): Promise<string[][]> {
  for (let i = 1; i <= 3; i++) {
    for (const c of conns) {
      await c.call(['HSET', 'h', `f${i}`, 'v']);
      await c.call(['SADD', 's', String(i)]);
      await c.call(['ZADD', 'z', String(i), `m${i}`]);
    }
  }
  const out: string[][] = [];
  for (const c of conns) {
    const row: string[] = [];
    for (const k of ['h', 's', 'z']) row.push(String(parseReply(await c.call(['OBJECT', 'ENCODING', k]))));
    out.push(row);
  }
  return out;
}

describe('servers embedded side by side', () => {
  it('each converts values at its own configured thresholds, also after the other changes its own', async () => {
    const a = await startServer({ port: 0, ...SMALL });
    const b = await startServer({ port: 0 });
    const ca = await RawConnection.connect(a.port);
    const cb = await RawConnection.connect(b.port);
    try {
      assert.deepEqual(await encodings([ca, cb]), [
        ['hashtable', 'hashtable', 'skiplist'],
        ['listpack', 'intset', 'listpack'],
      ]);
      // B lowers its own limits; A raises its own: each server's next writes follow its own setting only.
      await cb.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '1']);
      await ca.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '512']);
      await ca.call(['DEL', 'h']);
      await cb.call(['DEL', 'h']);
      await cb.call(['HSET', 'h', 'a', '1', 'b', '2']);
      await ca.call(['HSET', 'h', 'a', '1', 'b', '2']);
      assert.equal(String(parseReply(await ca.call(['OBJECT', 'ENCODING', 'h']))), 'listpack');
      assert.equal(String(parseReply(await cb.call(['OBJECT', 'ENCODING', 'h']))), 'hashtable');
    } finally {
      await Promise.all([ca.close(), cb.close()]);
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a server loading its data builds it with its own thresholds while another one runs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-embedded-'));
    try {
      const first = await startServer({ port: 0, dir, appendonly: 'yes', ...SMALL });
      const c = await RawConnection.connect(first.port);
      await c.call(['SADD', 's', '1', '2']);
      await c.call(['HSET', 'h', 'a', '1']);
      await c.close();
      await first.close();
      const other = await startServer({ port: 0 });
      const co = await RawConnection.connect(other.port);
      await co.call(['SADD', 's', '1', '2', '3']);
      const again = await startServer({ port: 0, dir, appendonly: 'yes', ...SMALL });
      const ca = await RawConnection.connect(again.port);
      try {
        await ca.call(['SADD', 's', '3']);
        await co.call(['SADD', 's', '4']);
        await ca.call(['HSET', 'h', 'b', '2', 'c', '3']);
        assert.equal(String(parseReply(await ca.call(['OBJECT', 'ENCODING', 's']))), 'hashtable');
        assert.equal(String(parseReply(await ca.call(['OBJECT', 'ENCODING', 'h']))), 'hashtable');
        assert.equal(String(parseReply(await co.call(['OBJECT', 'ENCODING', 's']))), 'intset');
      } finally {
        await Promise.all([ca.close(), co.close()]);
        await Promise.all([again.close(), other.close()]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DEBUG RELOAD NOFLUSH meeting a key twice closes that server only; the process and the other server go on', async () => {
    const a = await startServer({ port: 0, 'enable-debug-command': 'yes' });
    const b = await startServer({ port: 0 });
    const ca = await RawConnection.connect(a.port);
    const cb = await RawConnection.connect(b.port);
    try {
      await ca.call(['SET', 'k', 'v']);
      ca.send(['DEBUG', 'RELOAD', 'NOFLUSH']);
      await ca.readUntilClosed(5000);
      assert.ok(ca.isClosed);
      await assert.rejects(RawConnection.connect(a.port, '127.0.0.1', 1000));
      assert.equal(String(parseReply(await cb.call(['PING']))), 'PONG');
    } finally {
      await cb.close();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a log file that cannot be opened refuses the start; a relative one is inside dir', async () => {
    await assert.rejects(startServer({ port: 0, logfile: '/nonexistent-dir/x/cairn.log' }), {
      message: "Can't open the log file: No such file or directory",
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-embedded-'));
    try {
      const s = await startServer({ port: 0, dir, logfile: 'server.log', loglevel: 'notice' });
      await s.close();
      assert.ok(fs.readFileSync(path.join(dir, 'server.log'), 'utf8').includes('ready to accept connections'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() closes a connection whose peer stopped reading, and a killed client that keeps sending costs nothing', async () => {
    const tcp = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const s = await startServer({ port: 0 });
    const admin = await RawConnection.connect(s.port);
    await admin.call(['SET', 'big', 'x'.repeat(1 << 20)]);
    // A killed client that keeps sending: what it sends afterwards is not read.
    const killed = await RawConnection.connect(s.port);
    const id = String(parseReply(await killed.call(['CLIENT', 'ID'])));
    await admin.call(['CLIENT', 'KILL', 'ID', id]);
    const netIn = async (): Promise<number> =>
      Number(/total_net_input_bytes:(\d+)/.exec(String(parseReply(await admin.call(['INFO', 'stats']))))![1]);
    const inputBefore = await netIn();
    killed.sendRaw(Buffer.alloc(4 << 20, 'a'));
    await new Promise((r) => setTimeout(r, 300));
    const read = (await netIn()) - inputBefore;
    assert.ok(read < 1 << 20, `read ${read} bytes from a killed client`);
    await admin.close();
    await killed.close();
    await new Promise((r) => setTimeout(r, 100));
    // A peer that sends GETs of 1 MB and never reads: its replies fill the socket buffers.
    const before = tcp();
    const stuck = net.connect(s.port, '127.0.0.1');
    stuck.on('error', () => {});
    await new Promise((r) => stuck.once('connect', r));
    stuck.pause();
    let gets = '';
    for (let i = 0; i < 40; i++) gets += '*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n';
    stuck.write(gets);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tcp(), before + 2, 'both ends of the stuck connection are open');
    await s.close();
    await new Promise((r) => setTimeout(r, 50));
    // The server's end is closed: only the test's own end of the connection is left in this process.
    assert.equal(tcp(), before + 1);
    stuck.destroy();
  });

  it('two servers on one directory write their temporary files apart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-embedded-'));
    try {
      const a = await startServer({ port: 0, dir, appendonly: 'yes' });
      const b = await startServer({ port: 0, dir, appendonly: 'yes' });
      const ca = await RawConnection.connect(a.port);
      const cb = await RawConnection.connect(b.port);
      try {
        await ca.call(['DEBUG', 'POPULATE', '20000']).catch(() => undefined);
        await Promise.all([ca.call(['BGREWRITEAOF']), cb.call(['BGREWRITEAOF'])]);
        for (const c of [ca, cb]) {
          for (let i = 0; i < 100; i++) {
            const info = String(parseReply(await c.call(['INFO', 'persistence'])));
            if (info.includes('aof_rewrite_in_progress:0') && !info.includes('aof_rewrite_scheduled:1')) {
              assert.match(info, /aof_last_bgrewrite_status:ok/);
              break;
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      } finally {
        await Promise.all([ca.close(), cb.close()]);
        await Promise.all([a.close(), b.close()]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
