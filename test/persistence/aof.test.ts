// The append-only log in-process: group commit, torn tails, corruption refusal, rewrites, reload round trips,
// write errors, LOADING while a large log loads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, type RunningServer } from '../../src/index.js';
import { Server } from '../../src/server/server.js';
import { configFromOptions } from '../../src/index.js';
import { RawConnection } from '../support/resp.js';
import { call, dumpServer, incrFiles, pipeline, tmpDir } from './helpers.js';
import { parseBody, scanRecord } from '../../src/persistence/aof-format.js';

async function withConn<T>(s: RunningServer, f: (c: RawConnection) => Promise<T>): Promise<T> {
  const c = await RawConnection.connect(s.port);
  try {
    return await f(c);
  } finally {
    await c.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('appendfsync always: group commit makes far fewer fsyncs than acknowledged writes; the restart has them all', async () => {
  const dir = tmpDir('gc');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always' });
  const conns = await Promise.all(Array.from({ length: 16 }, () => RawConnection.connect(s.port)));
  await Promise.all(
    conns.map(async (c, i) => {
      for (let n = 0; n < 100; n++) assert.equal(await call(c, 'SET', `c${i}:${n}`, `v${n}`), 'OK');
    }),
  );
  const counters = s.server.persistence.aofCounters!;
  assert.ok(counters.fsyncs > 0);
  assert.ok(counters.fsyncs < 1600 * 0.8, `fsyncs ${counters.fsyncs} for 1600 writes`);
  const before = dumpServer(s.server);
  await Promise.all(conns.map((c) => c.close()));
  await s.close();
  const s2 = await startServer({ port: 0, dir, appendonly: true });
  assert.deepEqual(dumpServer(s2.server), before);
  assert.equal(before.length, 1600);
  await s2.close();
});

/** Loads a data directory into a fresh server without listening; returns the dump or the error. */
async function loadDir(dir: string, extra: Record<string, unknown> = {}): Promise<string[] | Error> {
  const server = new Server(configFromOptions({ dir, appendonly: true, loglevel: 'warning', save: '', ...extra }));
  try {
    await server.persistence.start();
  } catch (e) {
    return e as Error;
  }
  const d = dumpServer(server);
  await server.persistence.close();
  return d;
}

test('torn tail: the log cut at every byte offset of its last records loads the longest complete prefix', async () => {
  const dir = tmpDir('torn');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always' });
  const prefixes: string[][] = [];
  const sizes: number[] = [];
  const [incr] = incrFiles(dir);
  await withConn(s, async (c) => {
    for (let i = 0; i < 40; i++) {
      await call(c, 'SET', `key${i}`, `${'v'.repeat(i * 3)}\r\n${i}`);
      prefixes.push(dumpServer(s.server));
      sizes.push(fs.statSync(incr!).size);
    }
  });
  await s.close();
  const full = fs.readFileSync(incr!);
  assert.equal(full.length, sizes[sizes.length - 1]);
  const from = sizes[9]!;
  for (let cut = from; cut <= full.length; cut++) {
    fs.writeFileSync(incr!, full.subarray(0, cut));
    const got = await loadDir(dir);
    assert.ok(!(got instanceof Error), `cut ${cut}: ${String(got)}`);
    const k = sizes.filter((x) => x <= cut).length;
    assert.deepEqual(got, prefixes[k - 1], `cut at ${cut}`);
    // The file was cut back to the end of the last complete record.
    assert.equal(fs.statSync(incr!).size, sizes[k - 1]);
  }
  // aof-load-truncated no refuses a torn tail.
  fs.writeFileSync(incr!, full.subarray(0, full.length - 3));
  const refused = await loadDir(dir, { 'aof-load-truncated': false });
  assert.ok(
    refused instanceof Error && /Unexpected end of file/.test(refused.message) && refused.message.includes(incr!),
  );
});

test('corruption in the middle of the log refuses to start, naming the file and offset', async () => {
  const dir = tmpDir('corrupt');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always' });
  await withConn(s, async (c) => {
    for (let i = 0; i < 20; i++) await call(c, 'SET', `key${i}`, `value${i}`);
  });
  await s.close();
  const [incr] = incrFiles(dir);
  const buf = fs.readFileSync(incr!);
  const at = Math.floor(buf.length / 2);
  buf[at]! ^= 0x10;
  fs.writeFileSync(incr!, buf);
  await assert.rejects(startServer({ port: 0, dir, appendonly: true }), (e: Error) => {
    assert.match(
      e.message,
      /Bad file format reading the append only file .*appendonly\.aof\.1\.incr\.aof at offset \d+/,
    );
    assert.match(e.message, /check-aof --fix/);
    return true;
  });
  // Nothing was changed on disk by the refused start.
  assert.deepEqual(fs.readFileSync(incr!), buf);
});

test('BGREWRITEAOF: a new base at a cut plus a new incremental file; old files removed; reload identical', async () => {
  const dir = tmpDir('rw');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'everysec' });
  // A second BGREWRITEAOF right after the first is refused while it runs, or starts another once it is done.
  let rewrites = 1;
  await withConn(s, async (c) => {
    for (let i = 0; i < 3000; i++) {
      await call(c, 'SET', `k${i}`, `v${i}`);
      if (i === 1500) assert.equal(await call(c, 'BGREWRITEAOF'), 'Background append only file rewriting started');
      if (i === 1501) {
        const r = await call(c, 'BGREWRITEAOF');
        assert.ok(r === 'OK' || (typeof r === 'object' && r !== null && 'error' in r) || typeof r === 'string');
        if (r === 'Background append only file rewriting started') rewrites = 2;
      }
    }
    await call(c, 'SELECT', '4');
    await call(c, 'SET', 'ttl', 'x');
    await call(c, 'PEXPIRE', 'ttl', '500000');
    await call(c, 'DEL', 'k7');
  });
  while (s.server.persistence.jobKind !== null) await sleep(10);
  assert.equal(s.server.persistence.info()['aof_rewrites'], rewrites);
  const files = fs.readdirSync(path.join(dir, 'appendonlydir')).sort();
  const seq = 1 + rewrites;
  assert.deepEqual(files, [
    `appendonly.aof.${seq}.base.snap`,
    `appendonly.aof.${seq}.incr.aof`,
    'appendonly.aof.manifest',
  ]);
  const before = dumpServer(s.server);
  await s.close();
  const s2 = await startServer({ port: 0, dir, appendonly: true });
  assert.deepEqual(dumpServer(s2.server), before);
  await s2.close();
});

test('automatic rewrite when the log grows past auto-aof-rewrite-percentage and min-size', async () => {
  const dir = tmpDir('auto');
  const s = await startServer({
    port: 0,
    dir,
    appendonly: true,
    appendfsync: 'no',
    'auto-aof-rewrite-min-size': '20kb',
    'auto-aof-rewrite-percentage': 100,
  });
  await withConn(s, async (c) => {
    for (let i = 0; i < 1000; i++) await call(c, 'SET', `k${i % 50}`, 'x'.repeat(40));
  });
  const deadline = Date.now() + 5000;
  // aof_rewrites counts a rewrite when it starts (as Redis does): wait for it to end too.
  while (
    (Number(s.server.persistence.info()['aof_rewrites']) < 1 || s.server.persistence.jobKind !== null) &&
    Date.now() < deadline
  )
    await sleep(20);
  assert.ok(Number(s.server.persistence.info()['aof_rewrites']) >= 1, 'an automatic rewrite ran');
  const before = dumpServer(s.server);
  await s.close();
  const s2 = await startServer({ port: 0, dir, appendonly: true });
  assert.deepEqual(dumpServer(s2.server), before);
  await s2.close();
});

test('SAVE and BGSAVE write a snapshot that loads back identical (appendonly no); BGSAVE replies as Redis does', async () => {
  const dir = tmpDir('snap');
  const s = await startServer({ port: 0, dir });
  await withConn(s, async (c) => {
    for (let i = 0; i < 2000; i++) await call(c, 'SET', `k${i}`, `v${i}`);
    await call(c, 'PEXPIRE', 'k5', '900000');
    assert.equal(await call(c, 'SAVE'), 'OK');
    assert.equal(await call(c, 'SET', 'after-save', '1'), 'OK');
    assert.equal(await call(c, 'BGSAVE'), 'Background saving started');
    const again = await call(c, 'BGSAVE');
    // Either still running (error) or already done (started again).
    assert.ok(
      again === 'Background saving started' || JSON.stringify(again).includes('Background save already in progress'),
    );
    assert.deepEqual(await call(c, 'BGSAVE', 'x'), { error: 'ERR syntax error' });
  });
  while (s.server.persistence.jobKind !== null) await sleep(10);
  const before = dumpServer(s.server);
  assert.ok(Math.abs(s.server.lastSave - Date.now() / 1000) < 5);
  await s.close();
  const s2 = await startServer({ port: 0, dir });
  assert.deepEqual(dumpServer(s2.server), before);
  assert.equal(s2.server.persistence.info()['rdb_last_load_keys_loaded'], 2001);
  await s2.close();
});

test('a damaged snapshot refuses to start with the file and offset', async () => {
  const dir = tmpDir('snapbad');
  const s = await startServer({ port: 0, dir });
  await withConn(s, async (c) => {
    for (let i = 0; i < 100; i++) await call(c, 'SET', `k${i}`, `v${i}`);
    await call(c, 'SAVE');
  });
  await s.close();
  const f = path.join(dir, 'dump.rdb');
  const buf = fs.readFileSync(f);
  buf[buf.length - 40]! ^= 1;
  fs.writeFileSync(f, buf);
  await assert.rejects(
    startServer({ port: 0, dir }),
    /Bad file format reading '.*dump\.rdb' at offset \d+: checksum mismatch/,
  );
});

test('appendonly yes on a directory with only a snapshot: the snapshot is loaded and becomes the AOF base', async () => {
  const dir = tmpDir('migrate');
  const s = await startServer({ port: 0, dir });
  await withConn(s, async (c) => {
    for (let i = 0; i < 50; i++) await call(c, 'SET', `k${i}`, `v${i}`);
    await call(c, 'SAVE');
  });
  const before = dumpServer(s.server);
  await s.close();
  const s2 = await startServer({ port: 0, dir, appendonly: true });
  assert.deepEqual(dumpServer(s2.server), before);
  await s2.close();
  fs.rmSync(path.join(dir, 'dump.rdb'));
  const s3 = await startServer({ port: 0, dir, appendonly: true });
  assert.deepEqual(dumpServer(s3.server), before);
  await s3.close();
});

test('a failed write is never acknowledged: MISCONF for writes while the disk fails, reads go on, then recovery', async () => {
  const dir = tmpDir('eio');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always' });
  const c = await RawConnection.connect(s.port);
  assert.equal(await call(c, 'SET', 'a', '1'), 'OK');
  const fsmod = (await import('node:fs')).default as unknown as Record<string, unknown>;
  // The AOF is written with fs.writeSync (a record starts with its '#C' header line): its writes fail.
  const origWrite = fsmod['writeSync'] as (fd: number, buf: unknown, ...rest: unknown[]) => number;
  const failing = (fd: number, buf: unknown, ...rest: unknown[]): number => {
    if (Buffer.isBuffer(buf) && buf[0] === 0x23 && buf[1] === 0x43)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return origWrite(fd, buf, ...rest);
  };
  fsmod['writeSync'] = failing;
  try {
    // The write whose record fails never gets a reply: the connection is closed.
    await assert.rejects(c.call(['SET', 'b', '2'], 3000));
    const c2 = await RawConnection.connect(s.port);
    assert.deepEqual(await call(c2, 'SET', 'c', '3'), {
      error: 'MISCONF Errors writing to the AOF file: No space left on device',
    });
    assert.equal(await call(c2, 'GET', 'a'), '1');
    assert.equal(s.server.persistence.info()['aof_last_write_status'], 'err');
    fsmod['writeSync'] = origWrite;
    const deadline = Date.now() + 5000;
    while (s.server.persistence.info()['aof_last_write_status'] !== 'ok' && Date.now() < deadline) await sleep(50);
    assert.equal(await call(c2, 'SET', 'd', '4'), 'OK');
    await c2.close();
  } finally {
    fsmod['writeSync'] = origWrite;
  }
  const before = dumpServer(s.server);
  await s.close();
  const s2 = await startServer({ port: 0, dir, appendonly: true });
  assert.deepEqual(dumpServer(s2.server), before);
  await s2.close();
});

test('clients connecting while a large log loads get LOADING errors; INFO shows loading progress', async () => {
  const dir = tmpDir('loading');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'no' });
  await withConn(s, async (c) => {
    const batch: string[][] = [];
    for (let i = 0; i < 200000; i++) batch.push(['SET', `key:${i}`, 'x'.repeat(20)]);
    for (let i = 0; i < batch.length; i += 5000) await pipeline(c, batch.slice(i, i + 5000));
  });
  await s.close();
  const port = await (await import('../support/servers.js')).freePort();
  const starting = startServer({ dir, appendonly: true, port });
  let sawLoading = false;
  let sawProgress = false;
  for (let i = 0; i < 200 && !sawLoading; i++) {
    try {
      const c = await RawConnection.connect(port, '127.0.0.1', 50);
      const r = (await c.call(['GET', 'key:1'], 2000)).toString('latin1');
      if (r.startsWith('-LOADING')) {
        sawLoading = true;
        const info = (await c.call(['INFO', 'persistence'], 2000)).toString('latin1');
        sawProgress = /loading:1\r\n/.test(info) && /loading_loaded_perc:\d+\.\d\d\r\n/.test(info);
      }
      await c.close();
      if (r.startsWith('-LOADING')) break;
      if (!r.startsWith('-')) break;
    } catch {
      await sleep(1);
    }
  }
  const s2 = await starting;
  assert.ok(sawLoading, 'a client got a LOADING error during the load');
  assert.ok(sawProgress, 'INFO persistence showed loading:1 and the progress fields');
  assert.equal(s2.server.keyspace.dbs[0]!.size, 200000);
  await s2.close();
});

test('a transaction in another database is logged as Redis logs it: SELECT, MULTI, the commands, EXEC', async () => {
  const dir = tmpDir('multi-select');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always' });
  await withConn(s, async (c) => {
    await call(c, 'SET', 'a', '1');
    await call(c, 'SELECT', '3');
    await call(c, 'MULTI');
    await call(c, 'SET', 'b', '2');
    await call(c, 'INCR', 'n');
    await call(c, 'EXEC');
    await call(c, 'SELECT', '0');
    await call(c, 'MULTI');
    await call(c, 'SET', 'c', '3');
    await call(c, 'SET', 'd', '4');
    await call(c, 'EXEC');
  });
  await s.close();
  const [file] = incrFiles(dir);
  const buf = fs.readFileSync(file!);
  const cmds: string[] = [];
  for (let pos = 0; ;) {
    const r = scanRecord(buf, pos);
    if (r.kind !== 'record') break;
    for (const argv of parseBody(buf, r.bodyStart, r.end)) cmds.push(argv.join(' '));
    pos = r.end;
  }
  assert.deepEqual(cmds, [
    'SELECT 0',
    'SET a 1',
    'SELECT 3',
    'MULTI',
    'SET b 2',
    'INCR n',
    'EXEC',
    'SELECT 0',
    'MULTI',
    'SET c 3',
    'SET d 4',
    'EXEC',
  ]);
});

test('aof-timestamp-enabled: a #TS annotation before the first record of each second, read back as Redis reads it', async () => {
  const dir = tmpDir('timestamps');
  const before = Math.floor(Date.now() / 1000);
  const s = await startServer({ port: 0, dir, appendonly: true, 'aof-timestamp-enabled': true });
  await withConn(s, async (c) => {
    await call(c, 'SET', 'a', '1');
    await call(c, 'SET', 'b', '2');
    // The next second: a second annotation.
    await new Promise((r) => setTimeout(r, 1100));
    await call(c, 'SET', 'c', '3');
    await call(c, 'CONFIG', 'SET', 'aof-timestamp-enabled', 'no');
    await new Promise((r) => setTimeout(r, 1100));
    await call(c, 'SET', 'd', '4');
  });
  await s.close();
  const after = Math.floor(Date.now() / 1000);
  const [file] = incrFiles(dir);
  const text = fs.readFileSync(file!, 'latin1');
  const stamps = [...text.matchAll(/^#TS:(\d+)\r$/gm)].map((m) => Number(m[1]));
  assert.equal(stamps.length, 2, text);
  assert.ok(stamps[0]! >= before && stamps[1]! > stamps[0]! && stamps[1]! <= after, String(stamps));
  // Each annotation comes right before a record, and the records still read back in full.
  assert.match(text, /^#TS:\d+\r\n#C/);
  const s2 = await startServer({ port: 0, dir, appendonly: true });
  await withConn(s2, async (c) => {
    assert.deepEqual(await call(c, 'MGET', 'a', 'b', 'c', 'd'), ['1', '2', '3', '4']);
  });
  await s2.close();
});
