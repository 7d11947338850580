// oom-score-adj and oom-score-adj-values against redis-server 7.0.15 (as Redis's oom-score-adj.tcl checks them):
// the replies to CONFIG SET/GET and the process's /proc/<pid>/oom_score_adj after each step must be the same.
// Cairn runs as a process of its own, so the test runner's score is never touched.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startRedis } from '../support/servers.js';
import { spawnCairnProcess } from '../support/cairn-process.js';
import { RawConnection } from '../support/resp.js';

const STEPS: string[][] = [
  // Each by its name: for a pattern Redis answers in its hash table's order, which varies from run to run.
  ['CONFIG', 'GET', 'oom-score-adj'],
  ['CONFIG', 'GET', 'oom-score-adj-values'],
  // Values alone change nothing while the adjustment is off.
  ['CONFIG', 'SET', 'oom-score-adj-values', '10 20 30'],
  ['CONFIG', 'SET', 'oom-score-adj', 'yes'],
  ['CONFIG', 'SET', 'oom-score-adj', 'absolute'],
  ['CONFIG', 'SET', 'oom-score-adj-values', '500 600 700'],
  ['CONFIG', 'SET', 'oom-score-adj', 'relative'],
  ['CONFIG', 'GET', 'oom-score-adj'],
  ['CONFIG', 'SET', 'oom-score-adj-values', '1500 1600 1700', 'oom-score-adj', 'absolute'],
  ['CONFIG', 'SET', 'oom-score-adj-values', '1 2'],
  ['CONFIG', 'SET', 'oom-score-adj-values', '1 2 x'],
  ['CONFIG', 'SET', 'oom-score-adj-values', '-2001 2 3'],
  ['CONFIG', 'SET', 'oom-score-adj-values', '1  2 3'],
  ['CONFIG', 'SET', 'oom-score-adj', 'maybe'],
  ['CONFIG', 'GET', 'oom-score-adj'],
  ['CONFIG', 'GET', 'oom-score-adj-values'],
  // Off again: the score from before the first adjustment comes back.
  ['CONFIG', 'SET', 'oom-score-adj', 'no'],
  ['CONFIG', 'SET', 'oom-score-adj-values', '0 200 800'],
];

async function transcript(port: number, pid: number): Promise<string[]> {
  const score = (): string => fs.readFileSync(`/proc/${pid}/oom_score_adj`, 'latin1').trim();
  const out: string[] = [`start: ${score()}`];
  const conn = await RawConnection.connect(port);
  try {
    for (const step of STEPS) {
      const reply = (await conn.call(step)).toString('latin1');
      out.push(`${step.join(' ')} -> ${JSON.stringify(reply)} -> ${score()}`);
    }
  } finally {
    await conn.close();
  }
  return out;
}

describe('oom-score-adj', { skip: process.platform !== 'linux' && 'needs /proc/<pid>/oom_score_adj' }, () => {
  it('moves the process score as Redis does, and answers CONFIG SET/GET as Redis', async () => {
    const redis = await startRedis();
    let want: string[];
    try {
      want = await transcript(redis.port, redis.pid);
    } finally {
      await redis.stop();
    }
    const cairn = await spawnCairnProcess();
    let got: string[];
    try {
      got = await transcript(cairn.port, cairn.pid);
    } finally {
      await cairn.stop();
    }
    assert.deepEqual(got, want);
    // What Redis did, so that two servers that ignore the settings cannot pass.
    assert.match(want.join('\n'), /oom-score-adj absolute -> "\+OK\\r\\n" -> 10$/m);
  });
});
