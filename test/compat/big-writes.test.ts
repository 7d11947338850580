// Big string values written in place: APPEND, SETRANGE, SETBIT and BITFIELD change a value of 4 KB or more
// without copying it (src/types/big-string.ts, openBytes in src/commands/lookup.ts), and the bit commands read
// it as bytes. Replies are compared with real Redis 7.0.15, including the cases where something else still holds
// the bytes being written: a reply queued but not yet sent, a SET value the AOF has not written yet (MULTI), a
// COPY. A restart from the AOF must give back exactly the values written.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sharedPair } from '../support/servers.js';
import { compareScript, type Script, type ScriptStep } from '../support/differential.js';
import { encodeCommand } from '../support/resp.js';
import { spawnCairn, tmpDir, call } from '../persistence/helpers.js';
import { RawConnection } from '../support/resp.js';
import { bytes } from '../support/data.js';

const pair = sharedPair();

const V5K = bytes(5000, 1);
const V100K = bytes(100_000, 2);
const pipe = (...cmds: (string | Buffer)[][]): { raw: Buffer; replies: number } => ({
  raw: Buffer.concat(cmds.map((c) => encodeCommand(c))),
  replies: cmds.length,
});

/** BITCOUNT and BITPOS over random ranges of `key` (BYTE and BIT), from a seeded generator. */
function rangeReads(key: string, len: number, seed: number): Script {
  let x = seed;
  const next = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const out: Script[number][] = [];
  for (let i = 0; i < 40; i++) {
    const a = String(next(len) - (next(4) === 0 ? len : 0));
    const b = String(next(len) - (next(4) === 0 ? len : 0));
    const bitA = String(next(len * 8));
    const bitB = String(next(len * 8));
    out.push(['BITCOUNT', key, a, b], ['BITCOUNT', key, bitA, bitB, 'BIT']);
    out.push(['BITPOS', key, String(next(2)), a, b], ['BITPOS', key, String(next(2)), bitA, bitB, 'BIT']);
  }
  return out;
}

const script: Script = [
  // A bitmap grown by SETBIT past the size where it is written in place, then read every way.
  ['SETBIT', 'bm', '40000', '1'],
  ['SETBIT', 'bm', '7', '1'],
  ['SETBIT', 'bm', '7', '1'],
  ['SETBIT', 'bm', '39999', '0'],
  ['SETBIT', 'bm', '100000', '1'],
  ['STRLEN', 'bm'],
  ['OBJECT', 'ENCODING', 'bm'],
  ['GETBIT', 'bm', '7'],
  ['GETBIT', 'bm', '40000'],
  ['GETBIT', 'bm', '999999'],
  ['BITCOUNT', 'bm'],
  ['BITCOUNT', 'bm', '1', '-1'],
  ['BITCOUNT', 'bm', '0', '0'],
  ['BITCOUNT', 'bm', '5', '40001', 'BIT'],
  ['BITCOUNT', 'bm', '-3', '-1'],
  ['BITPOS', 'bm', '1'],
  ['BITPOS', 'bm', '1', '1'],
  ['BITPOS', 'bm', '1', '5001', '-1'],
  ['BITPOS', 'bm', '1', '8', '-1', 'BIT'],
  ['BITPOS', 'bm', '0'],
  ['BITPOS', 'bm', '0', '1', '-1'],
  ['BITFIELD', 'bm', 'GET', 'u8', '0', 'GET', 'i16', '39992', 'GET', 'u63', '99990'],
  ['BITFIELD_RO', 'bm', 'GET', 'i64', '39990'],
  ['BITFIELD', 'bm', 'SET', 'u8', '#10', '255', 'INCRBY', 'i5', '100', '7', 'GET', 'u4', '80'],
  ['BITFIELD', 'bm', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '102', '9', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '200', '-300'],
  ['BITFIELD', 'bm', 'SET', 'u32', '200000', '123456789'],
  ['SETRANGE', 'bm', '6000', Buffer.alloc(3000, 0xff)],
  ['SETRANGE', 'bm', '9500', bytes(2000, 9)],
  ...rangeReads('bm', 25_004, 7),
  ['BITPOS', 'bm', '0', '6000', '8999'],
  ['BITPOS', 'bm', '0', '6001', '8999'],
  ['BITPOS', 'bm', '1', '20000', '-1'],
  ['STRLEN', 'bm'],
  ['GET', 'bm'],
  // A value SET big, then changed every way.
  ['SET', 'v', V5K],
  ['SETRANGE', 'v', '10', 'hello'],
  ['SETRANGE', 'v', '4998', 'across-the-end'],
  ['SETRANGE', 'v', '6000', 'past-the-end'],
  ['SETRANGE', 'v', '0', ''],
  ['APPEND', 'v', 'tail'],
  ['SETBIT', 'v', '3', '1'],
  ['GET', 'v'],
  ['GETRANGE', 'v', '4990', '5020'],
  ['STRLEN', 'v'],
  // A short string crossing the size, by APPEND and SETRANGE.
  ['SET', 's', 'abc'],
  ['SETRANGE', 's', '4100', 'z'],
  ['APPEND', 's', 'more'],
  ['OBJECT', 'ENCODING', 's'],
  ['GET', 's'],
  ['SET', 'a', 'x'.repeat(4000)],
  ['APPEND', 'a', 'y'.repeat(200)],
  ['APPEND', 'a', 'z'.repeat(5000)],
  ['GET', 'a'],
  // BITOP over big and small sources, into a big destination, and over itself.
  ['BITOP', 'AND', 'd1', 'bm', 'v'],
  ['BITOP', 'OR', 'd2', 'bm', 'v', 's'],
  ['BITOP', 'XOR', 'd3', 'v', 'missing', 'a'],
  ['BITOP', 'NOT', 'd4', 'v'],
  ['BITOP', 'OR', 'v', 'v', 'd4'],
  ['MGET', 'd1', 'd2', 'd3', 'd4', 'v'],
  ['BITCOUNT', 'd2'],
  // COPY, then each copy changed on its own.
  ['COPY', 'v', 'vc'],
  ['SETRANGE', 'vc', '0', 'copy'],
  ['APPEND', 'v', 'orig'],
  ['MGET', 'v', 'vc'],
  // A transaction: SET of a big value and changes to it before the AOF has written the SET.
  ['MULTI'],
  ['SET', 't', V5K],
  ['APPEND', 't', '-appended'],
  ['SETRANGE', 't', '3', 'XYZ'],
  ['SETBIT', 't', '0', '1'],
  ['GET', 't'],
  ['EXEC'],
  // Replies queued (a 100 KB GET goes out as it is) while the next commands change the value.
  ['SET', 'q', V100K],
  pipe(['GET', 'q'], ['SETRANGE', 'q', '0', 'changed'], ['GET', 'q'], ['SETBIT', 'q', '0', '0'], ['GET', 'q']),
  pipe(
    ['GET', 'q'],
    ['APPEND', 'q', 'end'],
    ['MGET', 'q', 'q'],
    ['BITFIELD', 'q', 'SET', 'u8', '16', '65'],
    ['GET', 'q'],
  ),
  ['GETSET', 'q', 'short'],
  ['GET', 'q'],
  // Errors leave big values as they were.
  ['SETRANGE', 'v', '536870910', 'toolong'],
  ['SETBIT', 'v', '4294967296', '1'],
  ['STRLEN', 'v'],
  ['LPUSH', 'l', 'x'],
  ['SETBIT', 'l', '1', '1'],
  ['APPEND', 'l', 'x'],
];

/**
 * A seeded random run over a few keys whose values cross the size where they are written in place, both ways
 * (SET of a small value over a big one): every write and read, COPY and RENAME between the keys, transactions.
 */
function randomScript(seed: number, steps: number): Script {
  let x = seed >>> 0;
  const next = (n: number): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
  const keys = ['r1', 'r2', 'r3'];
  const key = (): string => keys[next(keys.length)]!;
  const size = (): number => [10, 3000, 4095, 4096, 5000, 70_000][next(6)]!;
  const out: Script[number][] = [];
  for (let i = 0; i < steps; i++) {
    const k = key();
    switch (next(14)) {
      case 0:
        out.push(['SET', k, bytes(size(), i + 1)]);
        break;
      case 1:
        out.push(['APPEND', k, bytes(next(3) === 0 ? 2000 : 7, i)]);
        break;
      case 2:
        out.push(['SETRANGE', k, String(next(9000)), bytes(1 + next(40), i)]);
        break;
      case 3:
        out.push(['SETBIT', k, String(next(80_000)), String(next(2))]);
        break;
      case 4:
        out.push(['BITFIELD', k, 'INCRBY', 'u16', String(next(80_000)), String(next(70_000)), 'GET', 'i8', '0']);
        break;
      case 5:
        out.push(['GET', k]);
        break;
      case 6:
        out.push(['COPY', k, key(), 'REPLACE']);
        break;
      case 7:
        out.push(['RENAME', k, key()]);
        break;
      case 8:
        out.push(['BITCOUNT', k], ['STRLEN', k]);
        break;
      case 9:
        out.push(['GETRANGE', k, String(next(6000)), String(next(6000))]);
        break;
      case 10:
        out.push(['MULTI'], ['SET', k, bytes(size(), i + 7)], ['APPEND', k, 'xyz'], ['GET', k], ['EXEC']);
        break;
      case 11:
        out.push(pipe(['GET', k], ['SETRANGE', k, '1', 'ab'], ['GET', k]));
        break;
      case 12:
        out.push(['BITOP', 'XOR', key(), k, key()]);
        break;
      default:
        out.push(['MGET', ...keys]);
    }
  }
  out.push(['MGET', ...keys]);
  return out;
}

describe('big string values written in place (differential)', () => {
  for (const resp of [2, 3] as const) {
    it(`APPEND, SETRANGE, SETBIT, BITFIELD, BITOP and the bit readers, RESP${resp}`, async () => {
      await compareScript(await pair(), script, { resp, timeoutMs: 20_000 });
    });
  }
  it('MEMORY USAGE follows the storage a growing value has, as Redis grows it', async () => {
    const steps: ScriptStep[] = [];
    for (let i = 0; i < 8; i++) steps.push(['APPEND', 'log', 'y'.repeat(3000)], ['MEMORY', 'USAGE', 'log']);
    steps.push(
      ['SETRANGE', 'log', '70000', 'x'],
      ['MEMORY', 'USAGE', 'log'],
      ['SETBIT', 'log', '2000000', '1'],
      ['MEMORY', 'USAGE', 'log'],
      ['SETRANGE', 'log', '1200000', 'x'],
      ['MEMORY', 'USAGE', 'log'],
      ['COPY', 'log', 'copy'],
      ['MEMORY', 'USAGE', 'copy'],
      ['SETBIT', 'bits', '300000', '1'],
      ['MEMORY', 'USAGE', 'bits'],
      ['SETBIT', 'bits', '400000', '1'],
      ['MEMORY', 'USAGE', 'bits'],
      ['SET', 'big', 'v'.repeat(100_000)],
      ['APPEND', 'big', 'w'],
      ['MEMORY', 'USAGE', 'big'],
    );
    // MEMORY USAGE is compared by type by default (it is an estimate); here its figures must be Redis's.
    await compareScript(await pair(), steps, { timeoutMs: 20_000, modes: { 'MEMORY USAGE': 'exact' } });
  });
  it('a seeded random run of writes and reads over values crossing 4 KB', async () => {
    for (const seed of [1, 2, 3]) await compareScript(await pair(), randomScript(seed, 150), { timeoutMs: 20_000 });
  });
});

describe('big string values written in place survive a restart from the AOF', () => {
  it('the values after a restart are the values before it', async () => {
    const dir = tmpDir('big-writes');
    const args = ['--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    let c = await spawnCairn(args);
    let conn = await RawConnection.connect(c.port);
    try {
      conn.sendRaw(
        Buffer.concat(
          [
            ['MULTI'],
            ['SET', 't', V5K],
            ['APPEND', 't', '-a'],
            ['SETRANGE', 't', '1', 'bc'],
            ['EXEC'],
            ['SET', 'u', V100K],
            ['SETBIT', 'u', '5', '1'],
            ['APPEND', 'u', 'x'.repeat(3000)],
            ['BITFIELD', 'u', 'INCRBY', 'u16', '800000', '77'],
            ['SETBIT', 'bm', '90000', '1'],
            ['SETRANGE', 'bm', '20', 'text'],
          ].map((x) => encodeCommand(x)),
        ),
      );
      for (let i = 0; i < 11; i++) await conn.readReply();
      const before: Buffer[] = [];
      for (const k of ['t', 'u', 'bm']) before.push(await conn.call(['GET', k]));
      await conn.close();
      await c.kill('SIGKILL');
      c = await spawnCairn(args);
      conn = await RawConnection.connect(c.port);
      const after: Buffer[] = [];
      for (const k of ['t', 'u', 'bm']) after.push(await conn.call(['GET', k]));
      for (let i = 0; i < 3; i++) {
        const a = after[i]!;
        const b = before[i]!;
        let at = 0;
        while (at < a.length && a[at] === b[at]) at++;
        assert.ok(a.equals(b), `key ${i}: ${a.length} vs ${b.length} bytes, first difference at ${at}`);
      }
      assert.equal(await call(conn, 'STRLEN', 't'), 5002);
    } finally {
      await conn.close();
      await c.kill('SIGKILL');
    }
  });
});
