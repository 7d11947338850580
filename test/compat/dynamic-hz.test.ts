// dynamic-hz (Redis 7.0): with more than 200 clients per tick the server runs its cron faster, doubling hz up to
// 500; INFO shows the hz in use and configured_hz. Checked with hz 1 and 250 clients, against redis-server 7.0.15
// (one server at a time, so that the connections of both never count against the descriptor limit together).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPair } from '../support/servers.js';
import { RawConnection } from '../support/resp.js';

async function hzLines(port: number): Promise<string[]> {
  const out: string[] = [];
  const admin = await RawConnection.connect(port);
  const info = async (): Promise<string> => {
    // Redis adapts hz in its cron, which runs once a second at hz 1.
    await new Promise((r) => setTimeout(r, 1300));
    const text = (await admin.call(['INFO', 'server'])).toString('latin1');
    return text
      .split('\r\n')
      .filter((l) => /^(hz|configured_hz):/.test(l))
      .join(' ');
  };
  const extra: RawConnection[] = [];
  try {
    await admin.call(['CONFIG', 'SET', 'hz', '1']);
    out.push(await info());
    for (let i = 0; i < 250; i++) extra.push(await RawConnection.connect(port));
    out.push(await info());
    await admin.call(['CONFIG', 'SET', 'dynamic-hz', 'no']);
    out.push(await info());
    await admin.call(['CONFIG', 'SET', 'dynamic-hz', 'yes']);
    out.push(await info());
  } finally {
    for (const c of extra) await c.close();
    await admin.call(['CONFIG', 'SET', 'hz', '10']);
    await admin.close();
  }
  return out;
}

describe('dynamic-hz', () => {
  it('doubles hz with more than 200 clients per tick, as Redis', async () => {
    const pair = await startPair();
    try {
      const redis = await hzLines(pair.redis.port);
      const cairn = await hzLines(pair.cairn.port);
      assert.deepEqual(redis, [
        'hz:1 configured_hz:1',
        'hz:2 configured_hz:1',
        'hz:1 configured_hz:1',
        'hz:2 configured_hz:1',
      ]);
      assert.deepEqual(cairn, redis);
    } finally {
      await pair.stop();
    }
  });
});
