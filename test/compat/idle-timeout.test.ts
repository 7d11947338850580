// The `timeout` directive: idle clients are closed; subscribers, blocked clients and MONITORs are not.
// Both servers get the same setting and the same connections, and must close the same ones.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPair } from '../support/servers.js';
import { RawConnection } from '../support/resp.js';

describe('idle client timeout (differential)', () => {
  it('closes only idle plain clients after `timeout` seconds', async () => {
    const p = await startPair({ redisArgs: ['--timeout', '1'], cairnOptions: { timeout: 1 } });
    try {
      const outcome: Record<string, boolean>[] = [];
      const conns = await Promise.all(
        [p.redis.port, p.cairn.port].map(async (port) => {
          const idle = await RawConnection.connect(port);
          const sub = await RawConnection.connect(port);
          const blocked = await RawConnection.connect(port);
          const mon = await RawConnection.connect(port);
          assert.equal((await idle.call(['PING'])).toString(), '+PONG\r\n');
          await sub.call(['SUBSCRIBE', 'ch']);
          blocked.send(['BLPOP', 'nolist', '0']);
          assert.equal((await mon.call(['MONITOR'])).toString(), '+OK\r\n');
          return { idle, sub, blocked, mon };
        }),
      );
      await new Promise((r) => setTimeout(r, 3500));
      for (const c of conns) {
        outcome.push({
          idle: c.idle.isClosed,
          sub: c.sub.isClosed,
          blocked: c.blocked.isClosed,
          mon: c.mon.isClosed,
        });
        for (const x of Object.values(c)) await x.close();
      }
      assert.deepEqual(outcome[1], outcome[0]);
      assert.deepEqual(outcome[0], { idle: true, sub: false, blocked: false, mon: false });
    } finally {
      await p.stop();
    }
  });
});
