// The AOF writer on its own: batches encoded into its record buffer, one record per write, and a failed write
// retried with its own bytes while later effects go on arriving.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AofWriter } from '../../src/persistence/aof-writer.js';
import { parseBody, scanRecord } from '../../src/persistence/aof-format.js';
import { tmpDir } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Every record of the file, as its commands. */
function records(file: string): string[][][] {
  const buf = fs.readFileSync(file);
  const out: string[][][] = [];
  let pos = 0;
  for (;;) {
    const r = scanRecord(buf, pos);
    if (r.kind === 'eof') return out;
    assert.equal(r.kind, 'record', `at ${pos}: ${JSON.stringify(r)}`);
    if (r.kind !== 'record') return out;
    out.push(parseBody(buf, r.bodyStart, r.end));
    pos = r.end;
  }
}

function openWriter(): { w: AofWriter; file: string } {
  const file = path.join(tmpDir('writer'), 'log.aof');
  const fd = fs.openSync(file, 'a');
  return { w: new AofWriter({ fd, name: 'log.aof', size: 0 }), file };
}

test('AOF writer: each turn is one record; SELECT goes before a database change; big batches grow the buffer', async () => {
  const { w, file } = openWriter();
  w.append([{ db: 0, argv: ['SET', 'a', '1'] }], false);
  w.append([{ db: 0, argv: ['SET', 'b', '2'] }], false);
  await turn();
  w.append([{ db: 3, argv: ['DEL', 'a'] }], false);
  await turn();
  // Past the buffer's first 16 KB: a batch of ~2 MB, then a small one again in the buffer kept.
  const big: string[][] = [];
  for (let i = 0; i < 2000; i++) big.push(['SET', `k${i}`, String(i % 10).repeat(1000)]);
  w.append(
    big.map((argv) => ({ db: 3, argv })),
    false,
  );
  await turn();
  w.append([{ db: 0, argv: ['INCR', 'n'] }], false);
  await turn();
  assert.deepEqual(records(file), [
    [
      ['SELECT', '0'],
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
    ],
    [
      ['SELECT', '3'],
      ['DEL', 'a'],
    ],
    big,
    [
      ['SELECT', '0'],
      ['INCR', 'n'],
    ],
  ]);
  assert.equal(w.writtenSeq, 4);
  assert.equal(w.bufferLength, 0);
});

test('AOF writer: a failed write is retried with its own bytes while later batches are encoded after it', async () => {
  const { w, file } = openWriter();
  const fsmod = fs as unknown as Record<string, unknown>;
  const origWrite = fsmod['writeSync'] as (...args: unknown[]) => number;
  let failing = true;
  fsmod['writeSync'] = (...args: unknown[]): number => {
    if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return origWrite(...args);
  };
  const failed: number[] = [];
  w.onFailure = (seq) => failed.push(seq);
  try {
    w.append([{ db: 0, argv: ['SET', 'first', 'x'.repeat(30)] }], false);
    await turn();
    assert.equal(w.error, 'No space left on device');
    assert.deepEqual(failed, [1]);
    // Effects go on arriving while the record waits for its retry (a key expiring, say): they must not be
    // encoded over the waiting record's bytes.
    w.append([{ db: 0, argv: ['DEL', 'second'] }], false);
    await turn();
    w.append([{ db: 0, argv: ['DEL', 'third-and-longer'] }], false);
    await turn();
    failing = false;
    const deadline = Date.now() + 5000;
    while (w.error !== null && Date.now() < deadline) await sleep(50);
    assert.equal(w.error, null);
    await turn();
  } finally {
    fsmod['writeSync'] = origWrite;
    w.stop();
  }
  const all = records(file).flat();
  assert.deepEqual(all, [
    ['SELECT', '0'],
    ['SET', 'first', 'x'.repeat(30)],
    ['DEL', 'second'],
    ['DEL', 'third-and-longer'],
  ]);
});
