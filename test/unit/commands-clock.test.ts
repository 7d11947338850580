// The commands' clock (Keyspace.clockBase + performance.now(), src/keyspace/db.ts) against the wall clock:
// tick() reads Date.now(), which is the wall clock rounded down to the millisecond, and must keep the cheap clock
// within a small fraction of a millisecond behind it. A clock running a millisecond late shows: a client that
// sends PXAT "its clock + 10 s" reads a PTTL of 10001 (Redis's suite checks this, string.tcl "GETEX PXAT").

import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Keyspace } from '../../src/keyspace/db.js';

/**
 * Runs `ticks` ticks about 100 ms apart (with a timer's jitter, so the readings fall at every phase of the
 * millisecond), the wall clock at `offset` + the monotonic clock, stepped by `step` ms halfway. Returns the
 * largest lag and lead of the cheap clock over the wall clock in the last quarter.
 */
function run(start: number, offset: number, step: number, ticks: number): { lag: number; lead: number } {
  let perf = 5000.123;
  let wall = offset;
  let seed = 12345;
  const jitter = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 1.7;
  const pm = mock.method(performance, 'now', () => perf);
  const dm = mock.method(Date, 'now', () => Math.floor(perf + wall));
  try {
    const ks = new Keyspace(1);
    ks.clockBase = start;
    let lag = 0;
    let lead = 0;
    for (let i = 0; i < ticks; i++) {
      perf += 100 + jitter();
      if (i === ticks / 2) wall += step;
      ks.tick();
      if (i < (ticks * 3) / 4) continue;
      const d = perf + wall - (ks.clockBase + perf);
      if (d > lag) lag = d;
      if (-d > lead) lead = -d;
    }
    return { lag, lead };
  } finally {
    pm.mock.restore();
    dm.mock.restore();
  }
}

const OFFSET = 1_700_000_000_000.4;

test('the clock settles just behind the wall clock from a start slightly ahead of it', () => {
  // Node's performance.timeOrigin was seen 17 µs ahead of the wall clock's offset.
  const { lag, lead } = run(OFFSET + 0.017, OFFSET, 0, 200);
  assert.ok(lag < 0.05, `lag ${lag} ms`);
  assert.ok(lead < 0.0175, `lead ${lead} ms`);
});

test('the clock settles from a start almost a millisecond behind', () => {
  const { lag, lead } = run(OFFSET - 0.95, OFFSET, 0, 200);
  assert.ok(lag < 0.05, `lag ${lag} ms`);
  assert.equal(lead, 0);
});

test('the clock follows a wall clock stepped forward or back', () => {
  for (const step of [1000.3, 0.6, -0.6, -1000.3]) {
    const { lag, lead } = run(OFFSET, OFFSET, step, 400);
    assert.ok(lag < 0.05, `step ${step}: lag ${lag} ms`);
    assert.equal(lead, 0, `step ${step}: lead ${lead} ms`);
  }
});
