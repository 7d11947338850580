// AOF manifests redis-server 7.0.15 refuses at start-up are refused by Cairn too, with Redis's reason in the log,
// and the ones it takes are taken: each case is a data directory handed to both servers (appendonly yes). Among
// them the case Redis's suite checks (aof-multi-part.tcl): an empty manifest beside an existing incremental file,
// which Cairn used to take for an empty log, then append its own records after that file's bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findRedisServer, freePort } from '../support/servers.js';
import { spawnCairn, tmpDir } from './helpers.js';

interface Case {
  name: string;
  manifest: string;
  /** Redis's reason, as it logs it; undefined when the manifest is good and both servers start. */
  refused?: string;
}

const INCR = 'appendonly.aof.1.incr.aof';
const CASES: Case[] = [
  { name: 'an empty manifest', manifest: '', refused: 'Found an empty AOF manifest' },
  { name: 'a blank line', manifest: `file ${INCR} seq 1 type i\n\n`, refused: 'Invalid AOF manifest file format' },
  { name: 'a last line without its break', manifest: `file ${INCR} seq 1 type i`, refused: 'too long line' },
  {
    name: 'a line over 1024 bytes',
    manifest: `file ${INCR} seq 1 type i ${'x'.repeat(1030)} y\n`,
    refused: 'too long line',
  },
  { name: 'an unknown type', manifest: `file ${INCR} seq 1 type x\n`, refused: 'Unknown AOF file type' },
  { name: 'sequence 0', manifest: `file ${INCR} seq 0 type i\n`, refused: 'Invalid AOF manifest file format' },
  { name: 'two words', manifest: `file ${INCR}\n`, refused: 'Invalid AOF manifest file format' },
  { name: 'a path', manifest: `file ../${INCR} seq 1 type i\n`, refused: "File can't be a path, just a filename" },
  { name: 'upper-case keys, an extra pair, a comment', manifest: `# hello\nFILE ${INCR} SEQ 1 TYPE i extra 1\n` },
];

/** Starts redis-server on `dir`; resolves with whether it stayed up and what it logged. */
async function redisStarts(dir: string): Promise<{ up: boolean; log: string }> {
  const port = await freePort();
  const child = spawn(
    findRedisServer(),
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<boolean>((r) => child.once('exit', () => r(true)));
  const up = !(await Promise.race([exited, new Promise<boolean>((r) => setTimeout(() => r(false), 1500))]));
  if (up) {
    child.kill('SIGKILL');
    await exited;
  }
  return { up, log };
}

function makeDir(tag: string, c: Case): string {
  const dir = tmpDir(tag);
  const ad = path.join(dir, 'appendonlydir');
  fs.mkdirSync(ad, { recursive: true });
  fs.writeFileSync(path.join(ad, 'appendonly.aof.manifest'), c.manifest);
  fs.writeFileSync(path.join(ad, INCR), '');
  return dir;
}

for (const c of CASES) {
  test(`manifest with ${c.name}: ${c.refused === undefined ? 'taken' : 'refused'} by both servers`, async () => {
    const redis = await redisStarts(makeDir('mf-redis', c));
    assert.equal(redis.up, c.refused === undefined, redis.log);
    if (c.refused !== undefined) assert.ok(redis.log.includes(c.refused), redis.log);

    const dir = makeDir('mf-cairn', c);
    if (c.refused === undefined) {
      const cairn = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '']);
      await cairn.kill();
      return;
    }
    const cairn = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', ''], { expectFailure: true });
    const code = await Promise.race([
      cairn.exited,
      new Promise<string>((r) => setTimeout(() => r('still up'), 10_000)),
    ]);
    if (code === 'still up') await cairn.kill();
    assert.notEqual(code, 'still up', 'Cairn started on a manifest Redis refuses');
    assert.notEqual(code, 0);
    assert.ok(cairn.output().includes(c.refused), cairn.output());
    // Nothing was written over the directory it refused.
    assert.equal(fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8'), c.manifest);
  });
}

test('a new incremental file starts empty even where a stray file of that name lies', async () => {
  const dir = tmpDir('mf-stray');
  const ad = path.join(dir, 'appendonlydir');
  fs.mkdirSync(ad, { recursive: true });
  // Not listed in any manifest: Cairn starts a new log whose first incremental file takes this name.
  fs.writeFileSync(path.join(ad, INCR), '*2\r\n$3\r\nDEL\r\n$1\r\nx\r\n');
  let c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '', '--appendfsync', 'always']);
  const { RawConnection } = await import('../support/resp.js');
  let conn = await RawConnection.connect(c.port);
  assert.equal((await conn.call(['SET', 'k', 'v'])).toString(), '+OK\r\n');
  await conn.close();
  await c.kill();
  c = await spawnCairn(['--dir', dir, '--appendonly', 'yes', '--save', '']);
  conn = await RawConnection.connect(c.port);
  assert.equal((await conn.call(['GET', 'k'])).toString(), '$1\r\nv\r\n');
  await conn.close();
  await c.kill();
});
