// Command fuzzing against a live Cairn (see command-fuzz.ts for what is generated and checked), bounded to about
// 25 s here; `npm run fuzz -- --minutes N` runs it longer. First, the commands earlier runs found differences with.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommandFuzz, runCommandDiff, describeMismatch } from './command-fuzz.js';
import { mb } from './protocol-fuzz.js';
import { sharedPair } from '../support/servers.js';
import { compareScript } from '../support/differential.js';
import { spawnCairnProcess } from '../support/cairn-process.js';
import { RawConnection } from '../support/resp.js';
import fsp from 'node:fs/promises';

const UP_MS = Number(process.env['CAIRN_FUZZ_MS'] ?? 11_000);
const DIFF_MS = Number(process.env['CAIRN_FUZZ_DIFF_MS'] ?? UP_MS * 0.7);

const getPair = sharedPair();

test('commands that once differed from Redis', async () => {
  const pair = await getPair();
  await compareScript(pair, [
    // SELECT's index is a 32-bit integer first, a database number second.
    ['SELECT', '4294967296'],
    ['SELECT', '-4294967296'],
    ['SELECT', '9223372036854775808'],
    ['SELECT', '16'],
    // A cursor is read as a C string: it ends at a NUL byte.
    ['SCAN', '\x00\xff\r\n'],
    ['SCAN', '0\x00junk'],
    ['SET', 'k', 'v'],
    ['SSCAN', 'k', '\x00'],
    ['SCAN', '-\x00'],
    // Options quoted in errors end at a NUL byte (printf %s).
    ['EXPIRE', 'k', '100', '\x00\xff\r\n'],
    ['EXPIRE', 'k', '100', 'a\x00b'],
    // Error texts lose trailing CR/LF; others become spaces.
    ['EXPIRE', 'k', '100', 'd\x7f\r'],
    ['EXPIRE', 'k', '100', 'a\r\nb\n'],
    ['NOSUCH', 'a\r\n'],
    ['NOSUCH', 'a\x00b', 'c'],
    ['CONFIG', 'no\x00such'],
  ]);
});

test('DEBUG RELOAD is not written to the AOF (replayed, it dropped keys that later records still touch)', async () => {
  const args = ['--appendonly', 'yes', '--appendfsync', 'no'];
  let cairn = await spawnCairnProcess(args);
  try {
    let conn = await RawConnection.connect(cairn.port);
    for (const cmd of [
      ['PSETEX', 'e', '300', 'v'],
      ['DEBUG', 'RELOAD'],
      ['PERSIST', 'e'],
    ])
      await conn.call(cmd);
    assert.equal((await conn.call(['GET', 'e'])).toString('latin1'), '$1\r\nv\r\n');
    await conn.close();
    await cairn.kill();
    // The SET … PXAT record is in the past now: only the PERSIST after it keeps the key.
    await new Promise((r) => setTimeout(r, 400));
    cairn = await spawnCairnProcess(args, cairn.dir);
    conn = await RawConnection.connect(cairn.port);
    assert.equal((await conn.call(['GET', 'e'])).toString('latin1'), '$1\r\nv\r\n', 'key lost after the restart');
    assert.equal((await conn.call(['PTTL', 'e'])).toString('latin1'), ':-1\r\n');
    await conn.close();
  } finally {
    await cairn.stop();
    await fsp.rm(cairn.dir, { recursive: true, force: true });
  }
});

test('an expiry time past 2^53 ms is still a 64-bit integer after DEBUG RELOAD', async () => {
  const cairn = await spawnCairnProcess();
  try {
    const conn = await RawConnection.connect(cairn.port);
    for (const cmd of [
      ['SET', 'a', '1'],
      ['PEXPIREAT', 'a', '9223372036854775807'],
      ['DEBUG', 'RELOAD'],
    ])
      await conn.call(cmd);
    assert.equal((await conn.call(['PEXPIRETIME', 'a'])).toString('latin1'), ':9223372036854775807\r\n');
    await conn.close();
  } finally {
    await cairn.stop();
  }
});

test(`command fuzzer with the AOF on: stays up, well-formed replies, DEBUG DIGEST equal across DEBUG RELOAD and restarts (${UP_MS} ms)`, async () => {
  // CAIRN_FUZZ_SEED replays a run's command sequence (its seed is in the failure message).
  const seedEnv = process.env['CAIRN_FUZZ_SEED'];
  const s = await runCommandFuzz({
    durationMs: UP_MS,
    checkpointMs: 4000,
    restartMs: 5000,
    seed: seedEnv === undefined ? undefined : Number(seedEnv),
  });
  const summary =
    `seed ${s.seed}: ${s.commands} commands (${s.distinctCommands} distinct, ${s.errorReplies} error replies), ` +
    `${s.reloadChecks} reload and ${s.restartChecks} restart checks, peak RSS ${mb(s.peakRss)}`;
  const report = `${summary}\n${s.problems.join('\n\n')}`;
  assert.ok(s.commands > 500, `too few commands: ${summary}`);
  assert.ok(s.restartChecks >= 1, report);
  assert.equal(s.crashes, 0, report);
  assert.equal(s.hangs, 0, report);
  assert.equal(s.malformed, 0, report);
  assert.equal(s.internalErrors, 0, report);
  assert.equal(s.digestMismatches, 0, report);
  assert.deepEqual(s.problems, [], report);
});

test(`command fuzzer, differential: same replies as redis-server 7.0.15 (${Math.round(DIFF_MS)} ms)`, async () => {
  const s = await runCommandDiff({ durationMs: DIFF_MS });
  const summary = `seed ${s.seed}: ${s.sequences} sequences, ${s.commands} commands, ${s.compared} compared`;
  const report = `${summary}\n${[...s.byCommand.values()].map(describeMismatch).join('\n\n')}\n${s.problems.join('\n')}`;
  assert.ok(s.commands > 200, `too few commands: ${summary}`);
  assert.equal(s.crashes, 0, report);
  assert.equal(s.mismatches, 0, report);
  assert.deepEqual(s.problems, [], report);
});
