// The appendfsync everysec loss bound.
//
//   1. kill -9 during steady writes (4 clients), several trials (--trials N, default 5): after the restart, the
//      loss window of a trial is the time between the oldest acknowledged write that is missing and the kill
//      (0 when nothing acknowledged is missing). A process crash keeps what was write()n (the OS has it), so
//      this shows how long acknowledged data sits in Cairn's own buffers.
//   2. What an OS crash or power cut could lose is what was not yet fsynced: the largest gap between two
//      completed fsyncs under the same steady writes, measured in process from the AOF writer's counters.
//
// Usage: tsx bench/everysec-loss.ts [--trials 5]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RespClient } from './lib/resp.js';
import { startProc } from './lib/procs.js';
import { startServer } from '../src/index.js';

const ti = process.argv.indexOf('--trials');
const TRIALS = ti >= 0 ? Number(process.argv[ti + 1]) : 5;
const WRITERS = 4;

async function killTrials(): Promise<number> {
  let worst = 0;
  console.log(`kill -9 during steady writes (${WRITERS} clients), appendfsync everysec, ${TRIALS} trials`);
  for (let t = 0; t < TRIALS; t++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-everysec-'));
    const args = [
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--loglevel',
      'warning',
    ];
    const child = await startProc('cairn', args, 60_000);
    const acked: { key: string; at: number }[] = [];
    let stop = false;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const conn = await RespClient.connect(child.port);
      for (let n = 0; !stop; n++) {
        const key = `w${w}:${n}`;
        try {
          if ((await conn.call(['SET', key, 'x'.repeat(100)])) === 'OK') acked.push({ key, at: performance.now() });
        } catch {
          return;
        }
      }
      conn.close();
    });
    await new Promise((r) => setTimeout(r, 1500 + Math.random() * 2000));
    const killAt = performance.now();
    await child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    const again = await startProc('cairn', args, 60_000);
    const c = await RespClient.connect(again.port);
    let oldestMissing = Infinity;
    let missing = 0;
    for (let i = 0; i < acked.length; i += 1000) {
      const chunk = acked.slice(i, i + 1000);
      const got = (await c.call(['MGET', ...chunk.map((a) => a.key)])) as unknown[];
      chunk.forEach((a, j) => {
        if (got[j] === null) {
          missing++;
          oldestMissing = Math.min(oldestMissing, a.at);
        }
      });
    }
    c.close();
    await again.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    const window = missing === 0 ? 0 : killAt - oldestMissing;
    worst = Math.max(worst, window);
    console.log(
      `  trial ${t + 1}: ${acked.length} acknowledged writes, ${missing} missing after restart, loss window ${window.toFixed(1)} ms`,
    );
  }
  console.log(`  => maximum loss window on kill -9: ${worst.toFixed(1)} ms`);
  return worst;
}

async function fsyncGaps(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-everysec-gap-'));
  const s = await startServer({
    port: 0,
    dir,
    appendonly: true,
    appendfsync: 'everysec',
    save: '',
    loglevel: 'warning',
  });
  const counters = s.server.persistence.aofCounters!;
  let stop = false;
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    const conn = await RespClient.connect(s.port);
    for (let n = 0; !stop; n++) await conn.call(['SET', `w${w}:${n}`, 'x'.repeat(100)]);
    conn.close();
  });
  const seconds = 8;
  const gaps: number[] = [];
  let last = counters.fsyncs;
  let lastAt = performance.now();
  const t0 = lastAt;
  await new Promise<void>((res) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (counters.fsyncs !== last) {
        if (last > 0 || gaps.length > 0) gaps.push(now - lastAt);
        last = counters.fsyncs;
        lastAt = now;
      }
      if (now - t0 > seconds * 1000) {
        clearInterval(timer);
        res();
      }
    }, 2);
  });
  stop = true;
  await Promise.all(writers);
  const writes = counters.writes;
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const max = Math.max(...gaps);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  console.log(
    `fsync gaps under steady writes (${WRITERS} clients, ${seconds} s, ${writes} write() calls, ${gaps.length} fsync gaps observed)`,
  );
  console.log(
    `  => mean gap ${mean.toFixed(1)} ms, maximum gap ${max.toFixed(1)} ms: the bound on acknowledged data an OS crash could lose`,
  );
}

await killTrials();
await fsyncGaps();
process.exit(0);
