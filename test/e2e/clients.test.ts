// Real clients against Cairn over TCP: ioredis (RESP2), node-redis (RESP3), redis-cli and redis-benchmark.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';

const run = promisify(execFile);

describe('real clients', () => {
  let s: RunningServer;
  before(async () => {
    s = await startServer({ port: 0 });
  });
  after(async () => {
    await s.close();
  });

  it('ioredis: strings, binary values, pipelines, expiry and errors', async () => {
    const r = new IORedis({ port: s.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    try {
      assert.equal(await r.set('io:a', 'hello'), 'OK');
      assert.equal(await r.get('io:a'), 'hello');
      const bin = Buffer.from([0, 1, 2, 255, 13, 10, 128]);
      await r.set(Buffer.from('io:bin\x00key', 'latin1'), bin);
      assert.deepEqual(await r.getBuffer(Buffer.from('io:bin\x00key', 'latin1')), bin);
      const p = r.pipeline();
      for (let i = 0; i < 1000; i++) p.incr('io:counter');
      const res = await p.exec();
      assert.equal(res!.length, 1000);
      assert.deepEqual(res![999], [null, 1000]);
      assert.deepEqual(await r.mget('io:a', 'io:missing', 'io:counter'), ['hello', null, '1000']);
      assert.equal(await r.expire('io:a', 100), 1);
      const ttl = await r.ttl('io:a');
      assert.ok(ttl > 95 && ttl <= 100, `ttl ${ttl}`);
      await assert.rejects(r.incr('io:a'), /ERR value is not an integer or out of range/);
      await assert.rejects(r.call('nosuchcommand', 'x'), /ERR unknown command 'nosuchcommand'/);
      assert.equal(await r.select(3), 'OK');
      assert.equal(await r.get('io:a'), null);
      assert.equal(await r.incrbyfloat('io:f', '10.5'), '10.5');
      assert.equal(await r.incrbyfloat('io:f', '0.1'), '10.6');
    } finally {
      r.disconnect();
    }
  });

  it('node-redis (RESP3 by default): commands, HELLO and client name', async () => {
    const c = createClient({ socket: { port: s.port, host: '127.0.0.1' }, RESP: 3, name: 'nr-test' } as never);
    c.on('error', () => {});
    await c.connect();
    try {
      assert.equal(await c.set('nr:a', 'v1'), 'OK');
      assert.equal(await c.get('nr:a'), 'v1');
      assert.equal(await c.incrBy('nr:n', 41), 41);
      assert.equal(await c.incr('nr:n'), 42);
      assert.deepEqual(await c.mGet(['nr:a', 'nr:none', 'nr:n']), ['v1', null, '42']);
      assert.equal(await c.sendCommand(['CLIENT', 'GETNAME']), 'nr-test');
      assert.equal(await c.exists(['nr:a', 'nr:n', 'nr:none']), 2);
      assert.equal(await c.del(['nr:a']), 1);
      assert.equal(await c.type('nr:n'), 'string');
    } finally {
      await c.quit().catch(() => {});
    }
  });

  it('redis-cli: commands, errors and --pipe mass insertion', async () => {
    const cli = (...args: string[]) => run('redis-cli', ['-p', String(s.port), ...args]).then((r) => r.stdout);
    assert.equal(await cli('set', 'cli:k', 'v'), 'OK\n');
    assert.equal(await cli('get', 'cli:k'), 'v\n');
    assert.equal(await cli('--no-raw', 'get', 'cli:none'), '(nil)\n');
    assert.match(await cli('--no-raw', 'incr', 'cli:k'), /ERR value is not an integer or out of range/);
    let payload = '';
    for (let i = 0; i < 5000; i++) payload += `*3\r\n$3\r\nSET\r\n$${`pipe:${i}`.length}\r\npipe:${i}\r\n$1\r\nx\r\n`;
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('redis-cli', ['-p', String(s.port), '--pipe']);
      let o = '';
      p.stdout.on('data', (d) => (o += d));
      p.on('error', reject);
      p.on('close', () => resolve(o));
      p.stdin.end(payload);
    });
    assert.match(out, /errors: 0, replies: 5000/);
    assert.equal(await cli('exists', 'pipe:0', 'pipe:4999'), '2\n');
  });

  it('redis-benchmark -t set,get,incr,mset runs to completion', async () => {
    const { stdout } = await run('redis-benchmark', [
      '-p',
      String(s.port),
      '-t',
      'set,get,incr,mset',
      '-n',
      '20000',
      '-q',
    ]);
    for (const name of ['SET', 'GET', 'INCR', 'MSET']) {
      assert.match(stdout, new RegExp(`${name}[^:]*: [0-9.]+ requests per second`), stdout);
    }
  });
});
