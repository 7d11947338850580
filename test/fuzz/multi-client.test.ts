// Multi-client differential fuzzing against redis-server 7.0.15 (see multi-client-fuzz.ts): several clients in
// lockstep, blocking commands, transactions, pub/sub, keyspace notifications, tracking. About 20 s here;
// `npx tsx test/fuzz/multi-client-run.ts --seconds N --seed S` runs it longer or replays a seed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runMultiClientDiff } from './multi-client-fuzz.js';

const MS = Number(process.env['CAIRN_MC_FUZZ_MS'] ?? 20_000);

test(`multi-client differential fuzzer: same bytes and client states as redis-server 7.0.15 (${MS} ms)`, async () => {
  const seedEnv = process.env['CAIRN_MC_FUZZ_SEED'];
  const s = await runMultiClientDiff({
    durationMs: MS,
    seed: seedEnv === undefined ? undefined : Number(seedEnv),
    shrinkMs: 15_000,
  });
  const summary = `seed ${s.seed}: ${s.sequences} sequences, ${s.steps} steps, ${s.blocked} blocks`;
  const report = `${summary}\n\n${s.problems.map((p) => `${p.summary}\n${p.replay}`).join('\n\n')}`;
  assert.ok(s.steps > 100, `too few steps: ${summary}`);
  assert.equal(s.crashes, 0, report);
  assert.deepEqual(
    s.problems.map((p) => p.summary),
    [],
    report,
  );
});
