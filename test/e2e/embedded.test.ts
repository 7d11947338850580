// Servers embedded side by side in one process (the README's "Embedding (for your tests)"): each keeps its own
// configuration, keys and behaviour, whatever the other one runs or is configured to do.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
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
});
