// `cairn check-aof [--fix]`: reports torn tails and corruption with offsets; --fix cuts the last file back so
// that the server starts with the longest good prefix.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../src/index.js';
import { RawConnection } from '../support/resp.js';
import { call, dumpServer, incrFiles, ROOT, tmpDir } from './helpers.js';

function runCheck(args: string[]): { code: number | null; out: string } {
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
  if (!execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  const r = spawnSync(process.execPath, [...execArgv, path.join(ROOT, 'src/main.ts'), 'check-aof', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('check-aof: valid log, corruption in the last file, --fix, then the server starts with the good prefix', async () => {
  const dir = tmpDir('check');
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always' });
  const c = await RawConnection.connect(s.port);
  const prefixes: string[][] = [];
  for (let i = 0; i < 30; i++) {
    await call(c, 'SET', `k${i}`, `v${i}`);
    prefixes.push(dumpServer(s.server));
  }
  await c.close();
  await s.close();
  const manifest = path.join(dir, 'appendonlydir', 'appendonly.aof.manifest');
  let r = runCheck([manifest]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /All AOF files and manifest are valid/);
  assert.match(r.out, /Snapshot .*base\.snap is valid/);

  const [incr] = incrFiles(dir);
  const buf = fs.readFileSync(incr!);
  const at = Math.floor(buf.length * 0.6);
  buf[at]! ^= 0x01;
  fs.writeFileSync(incr!, buf);
  r = runCheck([manifest]);
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    /is corrupted at offset \d+: record (header )?checksum mismatch|is corrupted at offset \d+: (expected|malformed)/,
  );
  r = runCheck(['--fix', manifest]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Successfully truncated AOF/);
  const size = fs.statSync(incr!).size;
  assert.ok(size <= at);
  r = runCheck([incr!]);
  assert.equal(r.code, 0, r.out);

  const s2 = await startServer({ port: 0, dir, appendonly: true });
  const got = dumpServer(s2.server);
  await s2.close();
  assert.ok(
    prefixes.some((p) => JSON.stringify(p) === JSON.stringify(got)),
    'the dataset is a prefix of the writes',
  );
  assert.ok(got.length >= 10);

  // A torn tail is reported too, and the snapshot checker reports damage it cannot fix.
  fs.appendFileSync(incr!, '#C100,00000000,');
  r = runCheck([incr!]);
  assert.equal(r.code, 1);
  assert.match(r.out, /torn tail/);
  const base = path.join(dir, 'appendonlydir', 'appendonly.aof.1.base.snap');
  const b = fs.readFileSync(base);
  b[b.length - 2]! ^= 4;
  fs.writeFileSync(base, b);
  r = runCheck([base]);
  assert.equal(r.code, 1);
  assert.match(r.out, /Snapshot .* is damaged at offset \d+/);
});
