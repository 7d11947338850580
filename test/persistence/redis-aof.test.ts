// A log redis-server 7.0.15 wrote loads into Cairn: its RESP base (aof-use-rdb-preamble no) and plain RESP
// incremental file, timestamp annotations included, give the same keys and values; Cairn appends its own records
// to that file and loads the mixed file back. A torn plain command at the end is cut back when aof-load-truncated
// is yes and refused otherwise; malformed RESP and an RDB base are refused with the reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startRedis } from '../support/servers.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';
import { spawnCairn, tmpDir, type Child } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The exit code of a server expected to refuse to start; fails (and stops it) when it is still up after 10 s. */
async function refusal(c: Child): Promise<number | null> {
  const code = await Promise.race([c.exited, sleep(10_000).then(() => 'up' as const)]);
  if (code === 'up') await c.kill();
  assert.notEqual(code, 'up', 'the server started');
  return code as number | null;
}

/** Every key of databases 0 and 2 with its type, value (sorted where unordered) and whether it has a TTL. */
async function contents(conn: RawConnection): Promise<unknown[]> {
  const call = async (...a: string[]): Promise<RespValue> => parseReply(await conn.call(a));
  const out: unknown[] = [];
  for (const db of ['0', '2']) {
    await call('SELECT', db);
    const keys = ((await call('KEYS', '*')) as string[]).sort();
    for (const k of keys) {
      const type = await call('TYPE', k);
      let v: RespValue;
      if (type === 'string') v = await call('GET', k);
      else if (type === 'list') v = await call('LRANGE', k, '0', '-1');
      else if (type === 'hash') v = ((await call('HGETALL', k)) as string[]).join(',');
      else if (type === 'set') v = ((await call('SMEMBERS', k)) as string[]).sort();
      else v = await call('ZRANGE', k, '0', '-1', 'WITHSCORES');
      const ttl = (await call('PTTL', k)) as number;
      out.push([db, k, type, v, ttl > 0]);
    }
  }
  await call('SELECT', '0');
  return out;
}

async function writeSome(conn: RawConnection, tag: string): Promise<void> {
  for (const cmd of [
    ['SET', `s${tag}`, 'hello world'],
    ['INCRBY', `n${tag}`, '41'],
    ['RPUSH', `l${tag}`, 'a', 'b', 'c'],
    ['HSET', `h${tag}`, 'f1', 'v1', 'f2', 'v2'],
    ['SADD', `set${tag}`, 'x', 'y', '3'],
    ['ZADD', `z${tag}`, '1.5', 'one', '2', 'two'],
    ['SET', `ttl${tag}`, 'v', 'EX', '100000'],
    ['MULTI'],
    ['INCR', `n${tag}`],
    ['LPOP', `l${tag}`],
    ['EXEC'],
    ['SELECT', '2'],
    ['SET', `db2${tag}`, 'two'],
    ['SELECT', '0'],
    ['DEL', `set${tag}`],
    ['SADD', `set${tag}`, 'again'],
  ]) {
    await conn.call(cmd);
  }
}

/** Makes a log with redis-server: a RESP base from a rewrite, then an incremental file with annotations. */
async function redisLog(): Promise<{ dir: string; expected: unknown[] }> {
  const redis = await startRedis([
    '--appendonly',
    'yes',
    '--aof-use-rdb-preamble',
    'no',
    '--aof-timestamp-enabled',
    'yes',
    '--appendfsync',
    'always',
  ]);
  const conn = await RawConnection.connect(redis.port);
  await writeSome(conn, 'a');
  assert.equal(parseReply(await conn.call(['BGREWRITEAOF'])), 'Background append only file rewriting started');
  for (let i = 0; i < 200; i++) {
    const info = (await conn.call(['INFO', 'persistence'])).toString();
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
    await sleep(25);
  }
  await writeSome(conn, 'b');
  const expected = await contents(conn);
  await conn.close();
  const dir = tmpDir('from-redis');
  fs.cpSync(path.join(redis.dir, 'appendonlydir'), path.join(dir, 'appendonlydir'), { recursive: true });
  await redis.stop();
  const files = fs.readdirSync(path.join(dir, 'appendonlydir'));
  assert.ok(
    files.some((f) => f.endsWith('.base.aof')),
    files.join(' '),
  );
  return { dir, expected };
}

function incrFile(dir: string): string {
  const ad = path.join(dir, 'appendonlydir');
  const name = fs.readdirSync(ad).find((f) => f.endsWith('.incr.aof'))!;
  return path.join(ad, name);
}

test("a log redis-server wrote (RESP base, plain incremental file) loads with the same data; Cairn's records follow", async () => {
  const { dir, expected } = await redisLog();
  // A timestamp annotation, as redis-server writes them with aof-timestamp-enabled when a second has passed.
  const incr = incrFile(dir);
  fs.writeFileSync(incr, Buffer.concat([Buffer.from('#TS:1700000000\r\n'), fs.readFileSync(incr)]));
  let c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '', '--appendfsync', 'always']);
  let conn = await RawConnection.connect(c.port);
  assert.deepEqual(await contents(conn), expected);
  await writeSome(conn, 'c');
  const after = await contents(conn);
  await conn.close();
  await c.kill();
  c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '']);
  conn = await RawConnection.connect(c.port);
  assert.deepEqual(await contents(conn), after);
  await conn.close();
  await c.kill();
});

test('a torn plain command at the end: cut back with aof-load-truncated yes, refused with no; malformed RESP refused', async () => {
  const { dir, expected } = await redisLog();
  const incr = incrFile(dir);
  const whole = fs.readFileSync(incr);
  fs.appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$4\r\ntorn\r\n$5\r\nva');
  const refused = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '', '--aof-load-truncated', 'no'], {
    expectFailure: true,
  });
  assert.notEqual(await refusal(refused), 0);
  assert.match(refused.output(), /Unexpected end of file reading the append only file/);

  const c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '']);
  const conn = await RawConnection.connect(c.port);
  assert.deepEqual(await contents(conn), expected);
  await conn.close();
  await c.kill();
  assert.equal(fs.readFileSync(incr).length, whole.length, 'the torn command is cut off');

  fs.writeFileSync(incr, Buffer.concat([whole.subarray(0, 40), Buffer.from('*x\r\n'), whole.subarray(40)]));
  const bad = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', ''], { expectFailure: true });
  assert.notEqual(await refusal(bad), 0);
  assert.match(bad.output(), /Bad file format reading the append only file/);
});

test('an RDB base is refused with the reason', async () => {
  const dir = tmpDir('rdb-base');
  const ad = path.join(dir, 'appendonlydir');
  fs.mkdirSync(ad, { recursive: true });
  fs.writeFileSync(path.join(ad, 'appendonly.aof.1.base.rdb'), 'REDIS0010');
  fs.writeFileSync(path.join(ad, 'appendonly.aof.1.incr.aof'), '');
  fs.writeFileSync(
    path.join(ad, 'appendonly.aof.manifest'),
    'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
  );
  const c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', ''], { expectFailure: true });
  assert.notEqual(await refusal(c), 0);
  assert.match(c.output(), /is an RDB file, which Cairn cannot read/);
});

test('a plain file ending inside MULTI: refused with aof-load-truncated no, else cut back to before MULTI', async () => {
  const dir = tmpDir('unfinished-multi');
  const ad = path.join(dir, 'appendonlydir');
  fs.mkdirSync(ad, { recursive: true });
  const resp = (...a: string[]): string => `*${a.length}\r\n` + a.map((x) => `$${x.length}\r\n${x}\r\n`).join('');
  const before = resp('SELECT', '0') + resp('SET', 'foo', 'hello');
  const incr = path.join(ad, 'appendonly.aof.1.incr.aof');
  fs.writeFileSync(incr, before + resp('MULTI') + resp('SET', 'bar', 'world'));
  fs.writeFileSync(path.join(ad, 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  // As Redis's aof.tcl checks it.
  const refused = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '', '--aof-load-truncated', 'no'], {
    expectFailure: true,
  });
  assert.notEqual(await refusal(refused), 0);
  assert.match(refused.output(), /Unexpected end of file reading the append only file/);

  let c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '', '--appendfsync', 'always']);
  let conn = await RawConnection.connect(c.port);
  assert.equal(parseReply(await conn.call(['GET', 'foo'])), 'hello');
  assert.equal(parseReply(await conn.call(['GET', 'bar'])), null);
  assert.equal(fs.readFileSync(incr, 'latin1'), before, 'cut back to before MULTI');
  // What Cairn logs next is not taken into the reverted transaction at the next start.
  assert.equal(parseReply(await conn.call(['SET', 'after', '1'])), 'OK');
  await conn.close();
  await c.kill();
  c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '']);
  conn = await RawConnection.connect(c.port);
  assert.equal(parseReply(await conn.call(['GET', 'after'])), '1');
  assert.equal(parseReply(await conn.call(['GET', 'bar'])), null);
  await conn.close();
  await c.kill();
});
