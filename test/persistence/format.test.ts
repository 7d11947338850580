// File formats: CRC-32, AOF records (torn tails vs corruption), snapshots (round trip, every bit flip detected),
// the manifest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, crc32Js } from '../../src/persistence/crc32.js';
import { frameRecord, scanRecord, parseBody } from '../../src/persistence/aof-format.js';
import { encodeCommand } from '../../src/protocol/command-encoder.js';
import {
  SnapshotEncoder,
  loadSnapshot,
  CorruptFileError,
  type SnapshotLoadResult,
} from '../../src/persistence/snapshot.js';
import { SnapshotJob } from '../../src/persistence/snapshot.js';
import { parseManifest, formatManifest, ManifestError } from '../../src/persistence/manifest.js';
import { Keyspace } from '../../src/keyspace/db.js';
import { BigString } from '../../src/types/big-string.js';

test('crc32: known vector, native and portable agree', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32Js(Buffer.from('123456789')), 0xcbf43926);
  const b = Buffer.alloc(1000);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7919) & 0xff;
  for (const [s, e] of [
    [0, 1000],
    [3, 17],
    [1, 999],
    [500, 500],
  ] as const) {
    assert.equal(crc32(b, s, e, 99), crc32Js(b, s, e, 99));
  }
});

function sampleLog(records: number): { buf: Buffer; ends: number[]; cmds: string[][][] } {
  const parts: Buffer[] = [];
  const ends: number[] = [];
  const cmds: string[][][] = [];
  let off = 0;
  for (let i = 0; i < records; i++) {
    const rec: string[][] = [];
    const n = 1 + (i % 3);
    for (let j = 0; j < n; j++) rec.push(['SET', `key:${i}:${j}`, 'v'.repeat(i % 17) + '\r\n\x00\xff']);
    const body = Buffer.concat(rec.map(encodeCommand));
    const r = frameRecord(body);
    parts.push(r);
    off += r.length;
    ends.push(off);
    cmds.push(rec);
  }
  return { buf: Buffer.concat(parts), ends, cmds };
}

function scanAll(buf: Buffer): { good: number; records: number; last: ReturnType<typeof scanRecord> } {
  let pos = 0;
  let records = 0;
  for (;;) {
    const r = scanRecord(buf, pos);
    if (r.kind !== 'record') return { good: pos, records, last: r };
    records++;
    pos = r.end;
  }
}

test('AOF records: body parses back to the commands', () => {
  const { buf, cmds } = sampleLog(20);
  let pos = 0;
  for (const expected of cmds) {
    const r = scanRecord(buf, pos);
    assert.equal(r.kind, 'record');
    if (r.kind !== 'record') return;
    assert.deepEqual(parseBody(buf, r.bodyStart, r.end), expected);
    pos = r.end;
  }
  assert.equal(scanRecord(buf, pos).kind, 'eof');
});

test('AOF commands: encoded bytes are the RESP text of the arguments, whatever their count, length and bytes', () => {
  // Short arguments are copied char by char, long ones through Buffer.latin1Write, a BigString's bytes as they
  // are: every path must give the same bytes as the plain text.
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const lengths = [0, 1, 9, 10, 23, 24, 25, 99, 100, 1000, 70_000];
  for (let round = 0; round < 300; round++) {
    const argc = 1 + rnd(round % 10 === 0 ? 120 : 6);
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const len = lengths[rnd(lengths.length)]!;
      const bytes = Buffer.alloc(len);
      for (let j = 0; j < len; j++) bytes[j] = rnd(256);
      argv.push(bytes.latin1Slice(0, len));
    }
    const text = `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
    assert.deepEqual(encodeCommand(argv), Buffer.from(text, 'latin1'));
    // The same with each argument of 25 bytes or more as a BigString.
    const mixed = argv.map((a) => (a.length > 24 ? new BigString(Buffer.from(a, 'latin1')) : a));
    assert.deepEqual(encodeCommand(mixed), Buffer.from(text, 'latin1'));
  }
});

test('AOF records: a log cut at every byte offset is a torn tail cut back to the longest complete prefix', () => {
  const { buf, ends } = sampleLog(60);
  for (let cut = 0; cut <= buf.length; cut++) {
    const { good, last } = scanAll(buf.subarray(0, cut));
    const expectGood = [0, ...ends].filter((e) => e <= cut).pop()!;
    assert.equal(good, expectGood, `cut at ${cut}`);
    if (cut === expectGood) assert.equal(last.kind, 'eof', `cut at ${cut}`);
    else assert.equal(last.kind, 'torn', `cut at ${cut}: ${JSON.stringify(last)}`);
  }
});

test('AOF records: every single-bit flip is detected as corruption, never replayed nor taken for a torn tail', () => {
  const { buf, ends } = sampleLog(8);
  let flips = 0;
  for (let byte = 0; byte < buf.length; byte++) {
    for (let bit = 0; bit < 8; bit++) {
      const b = Buffer.from(buf);
      b[byte]! ^= 1 << bit;
      const { good, last } = scanAll(b);
      // Every record before the damaged one is fine; the damaged one is reported as corrupt.
      const damaged = ends.findIndex((e) => e > byte);
      const recStart = damaged === 0 ? 0 : ends[damaged - 1]!;
      assert.equal(good, recStart, `flip ${byte}:${bit}`);
      assert.equal(last.kind, 'corrupt', `flip ${byte}:${bit}: ${JSON.stringify(last)}`);
      flips++;
    }
  }
  assert.ok(flips > 1000);
});

function fillKeyspace(ks: Keyspace, n: number): void {
  for (let i = 0; i < n; i++) {
    const db = ks.dbs[i % 3]!;
    db.set(`k${i}\x00\xff`, `value-${i}`.repeat(1 + (i % 5)));
    if (i % 4 === 0) db.setExpire(`k${i}\x00\xff`, Date.now() + 100000 + i);
  }
}

function dumpKeyspace(ks: Keyspace): string[] {
  const out: string[] = [];
  for (const db of ks.dbs) {
    for (const [k, e] of db.dict) out.push(JSON.stringify([db.id, k, db.vals[e], db.expires.get(k) ?? null]));
  }
  return out.sort();
}

function encodeAll(ks: Keyspace): Buffer {
  const parts: Buffer[] = [];
  const enc = new SnapshotEncoder((b) => parts.push(Buffer.from(b)), ks.dbs.length, 'test');
  new SnapshotJob(ks, enc, () => true).step(Infinity);
  return Buffer.concat(parts);
}

function decodeAll(buf: Buffer, dbs = 16): Keyspace {
  const ks = new Keyspace(dbs);
  const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
  for (const _ of loadSnapshot(buf, ks, 'x.snap', res));
  return ks;
}

test('snapshot: round trip of keys, binary values and TTLs; expired keys are skipped at load', () => {
  const ks = new Keyspace(16);
  fillKeyspace(ks, 3000);
  ks.dbs[5]!.set('gone', 'x');
  ks.dbs[5]!.setExpire('gone', Date.now() - 1);
  const buf = encodeAll(ks);
  const back = decodeAll(buf);
  ks.dbs[5]!.remove('gone');
  assert.deepEqual(dumpKeyspace(back), dumpKeyspace(ks));
});

test('snapshot: every single-bit flip and every truncation is refused with the offset', () => {
  const ks = new Keyspace(4);
  fillKeyspace(ks, 40);
  const buf = encodeAll(ks);
  let flips = 0;
  for (let byte = 0; byte < buf.length; byte++) {
    for (let bit = 0; bit < 8; bit++) {
      const b = Buffer.from(buf);
      b[byte]! ^= 1 << bit;
      assert.throws(() => decodeAll(b, 4), CorruptFileError, `flip ${byte}:${bit}`);
      flips++;
    }
  }
  assert.ok(flips > 1000);
  for (let cut = 0; cut < buf.length; cut++) {
    assert.throws(
      () => decodeAll(buf.subarray(0, cut), 4),
      (e: unknown) => e instanceof CorruptFileError && /x\.snap/.test(e.message),
    );
  }
  assert.throws(() => decodeAll(Buffer.concat([buf, Buffer.from('x')]), 4), /data after the end block/);
});

test('snapshot: a file holding more databases than configured is refused', () => {
  const ks = new Keyspace(16);
  ks.dbs[9]!.set('a', 'b');
  assert.throws(() => decodeAll(encodeAll(ks), 4), /database 9 but this server has only 4/);
});

test('manifest: parse, format, and malformed input', () => {
  const m = [
    { name: 'appendonly.aof.3.base.snap', seq: 3, type: 'b' as const },
    { name: 'appendonly.aof.5.incr.aof', seq: 5, type: 'i' as const },
    { name: 'appendonly.aof.6.incr.aof', seq: 6, type: 'i' as const },
  ];
  assert.deepEqual(parseManifest(formatManifest(m), 'm'), m);
  assert.throws(() => parseManifest('file a seq x type i\n', 'm'), ManifestError);
  assert.throws(() => parseManifest('file ../a seq 1 type i\n', 'm'), ManifestError);
  assert.throws(() => parseManifest('file a seq 2 type i\nfile b seq 1 type i\n', 'm'), /non-monotonic/);
  assert.throws(() => parseManifest('file a seq 1 type b\nfile b seq 2 type b\n', 'm'), /duplicate base/);
});

test('AOF record bodies: malformed RESP is refused with its reason and offset, never misread', () => {
  const parse = (text: string): string[][] | string => {
    const buf = Buffer.from('xx' + text, 'latin1');
    try {
      return parseBody(buf, 2, buf.length);
    } catch (e) {
      return `${(e as Error).message} @${(e as { offset: number }).offset - 2}`;
    }
  };
  const long = 'v'.repeat(100);
  assert.deepEqual(parse(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\n${long}\r\n*1\r\n$0\r\n\r\n`), [
    ['SET', 'k', long],
    [''],
  ]);
  assert.deepEqual(parse('*1\r\n$10\r\n0123456789\r\n'), [['0123456789']]);
  assert.equal(parse('*0\r\n'), 'empty command @4');
  assert.equal(parse('*1\r\n$3\r\nfo\r\n'), 'bad bulk string @8');
  assert.equal(parse('*x\r\n'), 'bad length @0');
  assert.equal(parse('*1\r\n$-1\r\n'), 'bad length @4');
  assert.equal(parse('*1\r\n$+3\r\nfoo\r\n'), 'bad length @4');
  assert.equal(parse('*1\r\n$\r\n\r\n'), 'bad length @4');
  assert.equal(parse('*1\r\n$12345678901\r\nx\r\n'), 'bad length @4');
  assert.equal(parse('*1\r\n$3 \r\nfoo\r\n'), 'bad length @4');
  assert.equal(parse('*1\r\n$3\nfoo\r\n'), 'unterminated line @4');
  assert.equal(parse('*1\r\n$3'), 'unterminated line @4');
  assert.equal(parse('*1\r\n$3\r'), 'unterminated line @4');
  assert.equal(parse('$3\r\nfoo\r\n'), "expected '*' @0");
  assert.equal(parse('*2\r\n$1\r\na\r\n:1\r\n'), "expected '$' @11");
});
