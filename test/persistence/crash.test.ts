// kill -9 while 16 clients write with appendfsync always: every acknowledged write is there after the restart.
// CAIRN_CRASH_TRIALS sets the number of trials (default 4, to keep this file near 30 s: 20 trials take about
// 60 s); `tsx bench/durability.ts` runs the 20-trial acceptance version with the full truncation sweep.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawConnection } from '../support/resp.js';
import { spawnCairn, tmpDir, call } from './helpers.js';

const TRIALS = Number(process.env['CAIRN_CRASH_TRIALS'] ?? 4);
const CLIENTS = 16;

// With everysec too a killed process loses nothing acknowledged: replies wait for the write(2) of their batch
// (only an OS crash can lose the last second, which is not fsynced yet).
for (const policy of ['always', 'everysec'] as const) {
  test(`kill -9 at random moments under 16 writers (appendfsync ${policy}): no acknowledged write lost, ${TRIALS} trials`, async () => {
    const dir = tmpDir('crash');
    const args = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', policy, '--save', '', '--loglevel', 'warning'];
    const acked: Map<string, string> = new Map();
    for (let trial = 0; trial < TRIALS; trial++) {
      const child = await spawnCairn(args);
      // Everything acknowledged in earlier trials is still there.
      const check = await RawConnection.connect(child.port);
      let missing = 0;
      for (const [k, v] of acked) {
        const r = await call(check, 'GET', k);
        if (r !== v) missing++;
      }
      assert.equal(
        missing,
        0,
        `trial ${trial}: ${missing} of ${acked.size} acknowledged writes missing after restart\n${child.output()}`,
      );
      await check.close();
      let stop = false;
      const writers = Array.from({ length: CLIENTS }, async (_, w) => {
        const conn = await RawConnection.connect(child.port);
        for (let n = 0; !stop; n++) {
          const key = `t${trial}:c${w}:${n}`;
          const val = `v${n}:${'x'.repeat(n % 50)}`;
          try {
            const r = (await conn.call(['SET', key, val], 5000)).toString('latin1');
            if (r === '+OK\r\n') acked.set(key, val);
          } catch {
            return; // the server died under us: this write was never acknowledged
          }
        }
        await conn.close();
      });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 400));
      await child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
    }
    const child = await spawnCairn(args);
    const check = await RawConnection.connect(child.port);
    let missing = 0;
    for (const [k, v] of acked) if ((await call(check, 'GET', k)) !== v) missing++;
    await check.close();
    await child.kill('SIGTERM');
    assert.ok(acked.size > 100, `only ${acked.size} writes acknowledged`);
    assert.equal(missing, 0, `${missing} of ${acked.size} acknowledged writes missing`);
  });
}
