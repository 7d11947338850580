// Durability acceptance runs, at full size (the test suite runs smaller versions):
//
//   1. kill -9 at random moments while 16 clients write with appendfsync always, over 20 trials (--trials N):
//      every acknowledged write must be present after each restart, and every restart must succeed.
//   2. The log cut at every byte offset of its last 64 KB (--sweep-kb N): the server's loader starts each time,
//      and the dataset equals the longest complete prefix of records.
//
// Usage: tsx bench/durability.ts [--trials 20] [--sweep-kb 64] [--skip-crash] [--skip-sweep]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RespClient } from './lib/resp.js';
import { startProc } from './lib/procs.js';
import { startServer, configFromOptions } from '../src/index.js';
import { Server } from '../src/server/server.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const TRIALS = arg('trials', 20);
const SWEEP_KB = arg('sweep-kb', 64);
const CLIENTS = 16;

async function crashTrials(): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-durability-'));
  const args = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--loglevel', 'warning'];
  const acked = new Map<string, string>();
  let ok = true;
  const t0 = performance.now();
  console.log(`kill -9 under ${CLIENTS} writers, appendfsync always, ${TRIALS} trials`);
  const check = async (port: number): Promise<number> => {
    const c = await RespClient.connect(port);
    let missing = 0;
    const entries = [...acked];
    for (let i = 0; i < entries.length; i += 1000) {
      const chunk = entries.slice(i, i + 1000);
      const got = (await c.call(['MGET', ...chunk.map(([k]) => k)])) as unknown[];
      chunk.forEach(([, v], j) => {
        if (got[j] !== v) missing++;
      });
    }
    c.close();
    return missing;
  };
  for (let trial = 0; trial <= TRIALS; trial++) {
    let child;
    try {
      child = await startProc('cairn', args, 60_000);
    } catch (e) {
      console.log(`  trial ${trial}: RESTART FAILED: ${(e as Error).message}`);
      return false;
    }
    const missing = await check(child.port);
    const line = `  restart ${trial}: up in ${child.readyMs.toFixed(0)} ms, ${acked.size} acknowledged writes so far, ${missing} missing`;
    if (missing > 0) ok = false;
    if (trial === TRIALS) {
      console.log(line);
      await child.kill('SIGTERM');
      break;
    }
    let stop = false;
    const before = acked.size;
    const writers = Array.from({ length: CLIENTS }, async (_, w) => {
      const conn = await RespClient.connect(child.port);
      for (let n = 0; !stop; n++) {
        const key = `t${trial}:c${w}:${n}`;
        const val = `v${n}:${'x'.repeat(n % 50)}`;
        try {
          if ((await conn.call(['SET', key, val])) === 'OK') acked.set(key, val);
        } catch {
          return; // the server died under us: this write was never acknowledged
        }
      }
      conn.close();
    });
    const wait = 150 + Math.random() * 600;
    await new Promise((r) => setTimeout(r, wait));
    await child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    console.log(`${line}; killed after ${wait.toFixed(0)} ms with ${acked.size - before} new acknowledged writes`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    `  => ${ok ? 'PASS' : 'FAIL'}: ${TRIALS} kill -9 trials, ${acked.size} acknowledged writes, ` +
      `${ok ? 'none' : 'some'} lost, every restart succeeded (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return ok;
}

function dump(server: Server): Map<string, string> {
  const m = new Map<string, string>();
  const db = server.keyspace.dbs[0]!;
  for (const [k, e] of db.dict) m.set(k, db.vals[e] as string);
  return m;
}

async function truncationSweep(): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-sweep-'));
  const s = await startServer({ port: 0, dir, appendonly: true, appendfsync: 'always', save: '', loglevel: 'warning' });
  const ad = path.join(dir, 'appendonlydir');
  const manifest = fs.readFileSync(path.join(ad, 'appendonly.aof.manifest'), 'utf8');
  const incr = path.join(ad, /^file (\S+) seq \d+ type i$/m.exec(manifest)![1]!);
  // Records: single SETs, and MULTI/EXEC blocks of three SETs (one record each), until the log passes the
  // sweep size plus some. `ends[i]` is the file size after record i; `keys[i]` the keys record i wrote.
  const target = SWEEP_KB * 1024 + 8 * 1024;
  const ends: number[] = [];
  const keys: [string, string][][] = [];
  const c = await RespClient.connect(s.port);
  for (let i = 0; fs.statSync(incr).size < target; i++) {
    const v = `${'v'.repeat(i % 90)}\r\n${i}`;
    if (i % 7 === 3) {
      const kv: [string, string][] = [0, 1, 2].map((j) => [`m${i}:${j}`, `${v}:${j}`]);
      await c.call(['MULTI']);
      for (const [k, val] of kv) await c.call(['SET', k, val]);
      await c.call(['EXEC']);
      keys.push(kv);
    } else {
      await c.call(['SET', `k${i}`, v]);
      keys.push([[`k${i}`, v]]);
    }
    ends.push(fs.statSync(incr).size);
  }
  c.close();
  await s.close();
  const full = fs.readFileSync(incr);
  const from = Math.max(0, full.length - SWEEP_KB * 1024);
  console.log(
    `log truncated at every byte offset of its last ${SWEEP_KB} KB: ${full.length - from + 1} cuts of a ${full.length}-byte log (${ends.length} records)`,
  );
  const t0 = performance.now();
  let failures = 0;
  for (let cut = from; cut <= full.length; cut++) {
    fs.writeFileSync(incr, full.subarray(0, cut));
    const server = new Server(configFromOptions({ dir, appendonly: true, loglevel: 'warning', save: '' }));
    (server as unknown as { log: () => void }).log = () => {};
    let got: Map<string, string> | undefined;
    try {
      await server.persistence.start();
      got = dump(server);
      await server.persistence.close();
    } catch (e) {
      if (failures++ < 5) console.log(`  cut ${cut}: the server refused to start: ${(e as Error).message}`);
      continue;
    }
    let k = 0;
    while (k < ends.length && ends[k]! <= cut) k++;
    let expected = 0;
    let bad = false;
    for (let i = 0; i < k; i++) {
      for (const [key, v] of keys[i]!) {
        expected++;
        if (got.get(key) !== v) bad = true;
      }
    }
    const size = fs.statSync(incr).size;
    if (bad || got.size !== expected || size !== (k > 0 ? ends[k - 1]! : 0)) {
      if (failures++ < 5)
        console.log(
          `  cut ${cut}: dataset has ${got.size} keys, the longest complete prefix has ${expected}; file cut back to ${size}`,
        );
    }
    if ((cut - from) % 8192 === 0) process.stdout.write(`  … ${cut - from} cuts checked\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const n = full.length - from + 1;
  console.log(
    `  => ${failures === 0 ? 'PASS' : 'FAIL'}: ${n} cuts, ${n - failures} started with exactly the longest complete prefix, ${failures} failures (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return failures === 0;
}

const results: boolean[] = [];
if (!process.argv.includes('--skip-crash')) results.push(await crashTrials());
if (!process.argv.includes('--skip-sweep')) results.push(await truncationSweep());
process.exit(results.every(Boolean) ? 0 : 1);
