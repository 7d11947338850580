// Differential tests of the list commands against real Redis 7.0.15, in RESP2 and RESP3: LPUSH, RPUSH, LPUSHX,
// RPUSHX, LPOP/RPOP (with COUNT), LLEN, LINDEX, LSET, LRANGE, LTRIM, LINSERT, LREM, LPOS, LMOVE, RPOPLPUSH, LMPOP,
// and the blocking forms when they need not block (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP); argument errors and
// WRONGTYPE; their COMMAND INFO/DOCS rows; the effects they propagate; random command sequences with fast-check.
// Blocking with several connections is in blocking.test.ts.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { effectsOf } from '../support/effects.js';
import { listCommands } from '../../src/commands/list.js';
import { sharedPair } from '../support/servers.js';
import { compareScripts, type Script } from '../support/differential.js';

const getPair = sharedPair();

const BIN = 'e\x00\xff\r\n';
const LLMAX = '9223372036854775807';
const LLMIN = '-9223372036854775808';

const SCRIPTS: Record<string, Script> = {
  'push, pushx, llen, lrange': [
    ['LPUSH', 'l', 'a'],
    ['LPUSH', 'l', 'b', 'c'],
    ['RPUSH', 'l', 'x', 'y', 'z'],
    ['LRANGE', 'l', '0', '-1'],
    ['LLEN', 'l'],
    ['LLEN', 'nokey'],
    ['LPUSHX', 'nokey', 'a'],
    ['RPUSHX', 'nokey', 'a', 'b'],
    ['EXISTS', 'nokey'],
    ['LPUSHX', 'l', 'h1', 'h2'],
    ['RPUSHX', 'l', 't1'],
    ['LRANGE', 'l', '0', '-1'],
    ['RPUSH', BIN, BIN, '', BIN],
    ['LRANGE', BIN, '0', '-1'],
    ['LPUSH', 'l'],
    ['RPUSH'],
    ['LPUSHX', 'l'],
    ['lpush', 'l', 'lower'],
    ['LRANGE', 'l', '0', '0'],
    ['LRANGE', 'l', '-3', '-1'],
    ['LRANGE', 'l', '-100', '1'],
    ['LRANGE', 'l', '5', '2'],
    ['LRANGE', 'l', '100', '200'],
    ['LRANGE', 'l', '2', '100'],
    ['LRANGE', 'l', '-1', '-2'],
    ['LRANGE', 'l', LLMIN, LLMAX],
    ['LRANGE', 'l', '0', 'x'],
    ['LRANGE', 'l', 'x', '1'],
    ['LRANGE', 'nokey', '0', '-1'],
    ['LRANGE', 'nokey', 'a', '1'],
    ['LRANGE', 'l', '0'],
    ['LRANGE', 'l', '1.5', '2'],
    ['LRANGE', 'l', '9223372036854775808', '2'],
    ['TYPE', 'l'],
    ['OBJECT', 'ENCODING', 'l'],
  ],
  'lpop, rpop with and without count': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
    ['LPOP', 'l'],
    ['RPOP', 'l'],
    ['LPOP', 'l', '2'],
    ['RPOP', 'l', '1'],
    ['LPOP', 'l', '0'],
    ['RPOP', 'l', '0'],
    ['LPOP', 'l', '-1'],
    ['LPOP', 'l', 'abc'],
    ['RPOP', 'l', '1.0'],
    ['LPOP', 'l', '1', '2'],
    ['RPOP', 'l', '1', '2', '3'],
    ['LPOP'],
    ['RPOP', 'l', '100'],
    ['EXISTS', 'l'],
    ['LPOP', 'l'],
    ['LPOP', 'l', '0'],
    ['LPOP', 'l', '1'],
    ['RPOP', 'l', '5'],
    ['RPUSH', 'l', 'only'],
    ['LPOP', 'l'],
    ['EXISTS', 'l'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['RPOP', 'l', LLMAX],
    ['RPOP', 'l', '9223372036854775808'],
    ['RPOP', 'l', '-0'],
  ],
  'lindex, lset': [
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['LINDEX', 'l', '0'],
    ['LINDEX', 'l', '-1'],
    ['LINDEX', 'l', '-3'],
    ['LINDEX', 'l', '-4'],
    ['LINDEX', 'l', '3'],
    ['LINDEX', 'l', 'x'],
    ['LINDEX', 'nokey', 'x'],
    ['LINDEX', 'nokey', '0'],
    ['LINDEX', 'l', LLMAX],
    ['LINDEX', 'l', LLMIN],
    ['LSET', 'l', '0', 'A'],
    ['LSET', 'l', '-1', 'C'],
    ['LSET', 'l', '3', 'D'],
    ['LSET', 'l', '-4', 'D'],
    ['LSET', 'l', 'x', 'D'],
    ['LSET', 'nokey', '0', 'D'],
    ['LSET', 'nokey', 'x', 'D'],
    ['LSET', 'l', '1', BIN],
    ['LRANGE', 'l', '0', '-1'],
    ['LSET', 'l', '1'],
    ['LINDEX', 'l'],
  ],
  ltrim: [
    ['RPUSH', 'l', '1', '2', '3', '4', '5', '6', '7'],
    ['LTRIM', 'l', '1', '-2'],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '-100', '100'],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '0', '2'],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', 'a', '2'],
    ['LTRIM', 'l', '0', 'b'],
    ['LTRIM', 'nokey', '0', '1'],
    ['LTRIM', 'nokey', 'a', '1'],
    ['LTRIM', 'l', '2', '1'],
    ['EXISTS', 'l'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['LTRIM', 'l', '5', '10'],
    ['EXISTS', 'l'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['LTRIM', 'l', '-1', '-1'],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', LLMIN, LLMAX],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '0'],
  ],
  'linsert, lrem': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'b', 'a'],
    ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
    ['LINSERT', 'l', 'after', 'b', 'y'],
    ['LINSERT', 'l', 'AFTER', 'a', 'first-a'],
    ['LINSERT', 'l', 'before', 'zz', 'q'],
    ['LINSERT', 'l', 'middle', 'b', 'q'],
    ['LINSERT', 'nokey', 'before', 'b', 'q'],
    ['LINSERT', 'nokey', 'middle', 'b', 'q'],
    ['LRANGE', 'l', '0', '-1'],
    ['LINSERT', 'l', 'before', 'b'],
    ['LREM', 'l', '1', 'b'],
    ['LRANGE', 'l', '0', '-1'],
    ['RPUSH', 'l', 'a', 'a', 'b', 'a'],
    ['LREM', 'l', '-2', 'a'],
    ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '0', 'a'],
    ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '0', 'zz'],
    ['LREM', 'l', 'x', 'a'],
    ['LREM', 'nokey', 'x', 'a'],
    ['LREM', 'nokey', '1', 'a'],
    ['LREM', 'l', LLMIN, 'c'],
    ['LREM', 'l', '0', 'x'],
    ['LREM', 'l', '0', 'y'],
    ['LREM', 'l', '0', 'first-a'],
    ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '0', 'b'],
    ['EXISTS', 'l'],
    ['LREM', 'l', '0'],
  ],
  lpos: [
    ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'],
    ['LPOS', 'l', 'b'],
    ['LPOS', 'l', 'zz'],
    ['LPOS', 'l', 'b', 'RANK', '2'],
    ['LPOS', 'l', 'b', 'RANK', '-1'],
    ['LPOS', 'l', 'b', 'RANK', '-3'],
    ['LPOS', 'l', 'b', 'RANK', '4'],
    ['LPOS', 'l', 'b', 'RANK', '-4'],
    ['LPOS', 'l', 'b', 'COUNT', '0'],
    ['LPOS', 'l', 'b', 'COUNT', '2'],
    ['LPOS', 'l', 'b', 'COUNT', '2', 'RANK', '2'],
    ['LPOS', 'l', 'b', 'COUNT', '0', 'RANK', '-1'],
    ['LPOS', 'l', 'b', 'COUNT', '2', 'RANK', '-2'],
    ['LPOS', 'l', 'b', 'COUNT', '5', 'RANK', '5'],
    ['LPOS', 'l', 'zz', 'COUNT', '5'],
    ['LPOS', 'l', 'c', 'MAXLEN', '3'],
    ['LPOS', 'l', 'c', 'MAXLEN', '2'],
    ['LPOS', 'l', 'c', 'MAXLEN', '2', 'RANK', '-1'],
    ['LPOS', 'l', 'c', 'MAXLEN', '0', 'COUNT', '0'],
    ['LPOS', 'l', 'c', 'MAXLEN', '5', 'COUNT', '0', 'RANK', '1'],
    ['LPOS', 'l', 'a', 'rank', '1', 'rank', '2'],
    ['LPOS', 'l', 'a', 'RANK', LLMIN],
    ['LPOS', 'l', 'a', 'RANK', LLMIN, 'COUNT', '1'],
    ['LPOS', 'l', 'a', 'RANK', '-' + LLMAX],
    ['LPOS', 'l', 'a', 'RANK', LLMAX],
    ['LPOS', 'l', 'a', 'RANK', '9223372036854775808'],
    ['LPOS', 'l', 'a', 'RANK', '0'],
    ['LPOS', 'l', 'a', 'RANK', 'x'],
    ['LPOS', 'l', 'a', 'COUNT', '-1'],
    ['LPOS', 'l', 'a', 'COUNT', 'x'],
    ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
    ['LPOS', 'l', 'a', 'MAXLEN', 'x'],
    ['LPOS', 'l', 'a', 'RANK'],
    ['LPOS', 'l', 'a', 'COUNT'],
    ['LPOS', 'l', 'a', 'FOO', '1'],
    ['LPOS', 'nokey', 'a'],
    ['LPOS', 'nokey', 'a', 'COUNT', '0'],
    ['LPOS', 'nokey', 'a', 'RANK', '0'],
    ['LPOS', 'l'],
  ],
  'lmove, rpoplpush': [
    ['RPUSH', 's', 'a', 'b', 'c'],
    ['LMOVE', 's', 'd', 'LEFT', 'RIGHT'],
    ['LMOVE', 's', 'd', 'right', 'left'],
    ['LRANGE', 's', '0', '-1'],
    ['LRANGE', 'd', '0', '-1'],
    ['LMOVE', 's', 's', 'LEFT', 'RIGHT'],
    ['LMOVE', 'd', 'd', 'LEFT', 'RIGHT'],
    ['LRANGE', 'd', '0', '-1'],
    ['LMOVE', 's', 'd', 'LEFT', 'LEFT'],
    ['EXISTS', 's'],
    ['LMOVE', 's', 'd', 'LEFT', 'LEFT'],
    ['LMOVE', 's', 'd', 'UP', 'LEFT'],
    ['LMOVE', 'd', 's', 'LEFT', 'DOWN'],
    ['LMOVE', 'd', 's', 'LEFT'],
    ['RPOPLPUSH', 'd', 'e'],
    ['RPOPLPUSH', 'd', 'd'],
    ['RPOPLPUSH', 'nokey', 'e'],
    ['LRANGE', 'd', '0', '-1'],
    ['LRANGE', 'e', '0', '-1'],
    ['RPOPLPUSH', 'd'],
  ],
  lmpop: [
    ['RPUSH', 'a', '1', '2', '3'],
    ['RPUSH', 'b', '4', '5', '6', '7'],
    ['LMPOP', '2', 'nokey', 'a', 'LEFT'],
    ['LMPOP', '2', 'nokey', 'a', 'RIGHT', 'COUNT', '5'],
    ['EXISTS', 'a'],
    ['LMPOP', '3', 'nokey', 'a', 'b', 'right', 'count', '2'],
    ['LMPOP', '1', 'nokey', 'LEFT'],
    ['LMPOP', '1', 'nokey', 'LEFT', 'COUNT', '3'],
    ['LMPOP', '0', 'b', 'LEFT'],
    ['LMPOP', '-1', 'b', 'LEFT'],
    ['LMPOP', 'x', 'b', 'LEFT'],
    ['LMPOP', '2', 'b', 'LEFT'],
    ['LMPOP', '1', 'b', 'MIDDLE'],
    ['LMPOP', '1', 'b', 'LEFT', 'COUNT', '0'],
    ['LMPOP', '1', 'b', 'LEFT', 'COUNT', '-1'],
    ['LMPOP', '1', 'b', 'LEFT', 'COUNT', 'x'],
    ['LMPOP', '1', 'b', 'LEFT', 'COUNT'],
    ['LMPOP', '1', 'b', 'LEFT', 'COUNT', '1', 'COUNT', '1'],
    ['LMPOP', '1', 'b', 'LEFT', 'FOO'],
    ['LMPOP', LLMAX, 'b', 'LEFT'],
    ['LMPOP', '1', 'b', 'LEFT', 'COUNT', LLMAX],
    ['EXISTS', 'b'],
    ['LMPOP', '1', 'b'],
  ],
  'blocking forms that need not block': [
    ['RPUSH', 'a', '1', '2', '3'],
    ['BLPOP', 'nokey', 'a', '0'],
    ['BRPOP', 'a', 'nokey', '0.5'],
    ['BLPOP', 'a', 'x'],
    ['BLPOP', 'a', '-1'],
    ['BLPOP', 'a', 'nan'],
    ['BLPOP', 'a', 'inf'],
    ['BLPOP', 'a', '-inf'],
    ['BLPOP', 'a', '1e16'],
    ['BLPOP', 'a', ' 1'],
    ['BLPOP', 'a', '1x'],
    ['BLPOP', 'a'],
    ['RPUSH', 'a', '4', '5'],
    ['BLPOP', 'a', '0x10'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0'],
    ['BLMOVE', 'a', 'b', 'UP', 'RIGHT', '0'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', 'x'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '-1'],
    ['BRPOPLPUSH', 'b', 'a', '0'],
    ['BRPOPLPUSH', 'b', 'a', 'x'],
    ['LRANGE', 'a', '0', '-1'],
    ['BLMPOP', '0', '2', 'nokey', 'a', 'LEFT', 'COUNT', '10'],
    ['BLMPOP', '0.01', '1', 'b', 'RIGHT'],
    ['BLMOVE', 'nokey', 'b', 'LEFT', 'RIGHT', '0.01'],
    ['BRPOPLPUSH', 'nokey', 'b', '0.01'],
    ['BLPOP', 'nokey', '0.01'],
    ['BLPOP', 'nokey', '0.001'],
    ['BLMPOP', 'x', '1', 'b', 'MIDDLE'],
    ['BLMPOP', 'x', '0', 'b', 'LEFT'],
    ['BLMPOP', 'x', '1', 'b', 'LEFT'],
    ['BLMPOP', '-1', '1', 'b', 'LEFT'],
    ['BLMPOP', '0', '1', 'b', 'LEFT', 'COUNT', '0'],
    ['BLMPOP', '0', '2', 'b', 'LEFT'],
    ['EXISTS', 'a', 'b'],
  ],
  'WRONGTYPE everywhere': [
    ['SET', 's', 'x'],
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
    ['LPUSH', 's', 'a'],
    ['RPUSH', 's', 'a'],
    ['LPUSHX', 's', 'a'],
    ['RPUSHX', 's', 'a'],
    ['LPOP', 's'],
    ['RPOP', 's', '2'],
    ['LPOP', 's', '0'],
    ['LLEN', 's'],
    ['LINDEX', 's', '0'],
    ['LINDEX', 's', 'x'],
    ['LSET', 's', '0', 'x'],
    ['LSET', 's', 'x', 'x'],
    ['LRANGE', 's', '0', '1'],
    ['LTRIM', 's', '0', '1'],
    ['LINSERT', 's', 'BEFORE', 'a', 'b'],
    ['LREM', 's', '0', 'a'],
    ['LPOS', 's', 'a'],
    ['LPOS', 's', 'a', 'COUNT', '0'],
    ['LMOVE', 's', 'l', 'LEFT', 'LEFT'],
    ['LMOVE', 'l', 's', 'LEFT', 'LEFT'],
    ['LMOVE', 'nokey', 's', 'LEFT', 'LEFT'],
    ['RPOPLPUSH', 'l', 's'],
    ['RPOPLPUSH', 's', 'l'],
    ['LRANGE', 'l', '0', '-1'],
    ['LMPOP', '2', 's', 'l', 'LEFT'],
    ['LMPOP', '2', 'nokey', 's', 'LEFT'],
    ['BLPOP', 's', 'l', '0'],
    ['BLPOP', 'l', 's', '0'],
    ['BLPOP', 's', '0'],
    ['BLMOVE', 's', 'l', 'LEFT', 'LEFT', '0'],
    ['BLMOVE', 'l', 's', 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 's', 'l', '0'],
    ['BLMPOP', '0', '2', 's', 'l', 'LEFT'],
    ['HSET', 'h', 'f', 'v'],
    ['LPUSH', 'h', 'a'],
    ['LLEN', 'h'],
    ['RPUSH', 'l', 'b'],
    ['GET', 'l'],
    ['LRANGE', 'l', '0', '-1'],
  ],
  'encoding, large lists, expiry': [
    ['RPUSH', 'l', ...Array.from({ length: 200 }, (_, i) => `e${i}`)],
    ['OBJECT', 'ENCODING', 'l'],
    ['LINDEX', 'l', '150'],
    ['LRANGE', 'l', '100', '105'],
    ['LTRIM', 'l', '50', '-50'],
    ['LLEN', 'l'],
    ['LPOS', 'l', 'e120'],
    ['LREM', 'l', '0', 'e120'],
    ['LINSERT', 'l', 'AFTER', 'e60', 'x'],
    ['LRANGE', 'l', '9', '12'],
    ['RPUSH', 'big', 'v'.repeat(10000)],
    ['OBJECT', 'ENCODING', 'big'],
    ['LINDEX', 'big', '0'],
    ['RPUSH', 't', 'a'],
    ['PEXPIRE', 't', '1'],
    { args: ['DEBUG', 'SLEEP', '0.01'], mode: 'skip' },
    ['LLEN', 't'],
    ['RPUSH', 't', 'b'],
    ['TTL', 't'],
    ['RPUSH', 'k2', 'a'],
    ['EXPIRE', 'k2', '100'],
    ['RPUSH', 'k2', 'b'],
    ['LPOP', 'k2'],
    ['TTL', 'k2'],
    ['LSET', 'k2', '0', 'z'],
    ['TTL', 'k2'],
  ],
  // Past 1024 elements a list is held in chunks (src/types/list.ts): these cross that size at both ends, grow with
  // the head inside a chunk, work in the middle and shrink back.
  'lists of thousands': [
    ['RPUSH', 'q', ...Array.from({ length: 1000 }, (_, i) => `r${i}`)],
    ['LPUSH', 'q', ...Array.from({ length: 300 }, (_, i) => `l${i}`)],
    ['LLEN', 'q'],
    ['LINDEX', 'q', '0'],
    ['LINDEX', 'q', '1023'],
    ['LINDEX', 'q', '1024'],
    ['LINDEX', 'q', '-1'],
    ['LRANGE', 'q', '1020', '1030'],
    ['LPOP', 'q', '299'],
    ['RPUSH', 'q', ...Array.from({ length: 3000 }, (_, i) => `s${i}`)],
    ['LPUSH', 'q', ...Array.from({ length: 2000 }, (_, i) => `h${i}`)],
    ['LLEN', 'q'],
    ['LSET', 'q', '2500', 'mid'],
    ['LINSERT', 'q', 'BEFORE', 'mid', 'before-mid'],
    ['LINSERT', 'q', 'AFTER', 's10', 'after-s10'],
    ['LPOS', 'q', 'mid'],
    ['LPOS', 'q', 'after-s10'],
    ['LREM', 'q', '0', 's7'],
    ['LREM', 'q', '-2', 'h5'],
    ['LRANGE', 'q', '2495', '2505'],
    ['LRANGE', 'q', '-5', '-1'],
    ['LTRIM', 'q', '1500', '-1500'],
    ['LLEN', 'q'],
    ['LRANGE', 'q', '0', '-1'],
    ['RPOP', 'q', '2000'],
    ['LLEN', 'q'],
    ['LRANGE', 'q', '0', '-1'],
    ['LMOVE', 'q', 'q2', 'LEFT', 'RIGHT'],
    ['RPUSH', 'q2', ...Array.from({ length: 1100 }, (_, i) => `t${i}`)],
    ['LMPOP', '1', 'q2', 'LEFT', 'COUNT', '1050'],
    ['LRANGE', 'q2', '0', '-1'],
  ],
};

describe('list commands against Redis (RESP2)', () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    test(name, async () => {
      await compareScripts(await getPair(), [script]);
    });
  }
});

describe('list commands against Redis (RESP3)', () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    test(name, async () => {
      await compareScripts(await getPair(), [script], { resp: 3 });
    });
  }
});

describe('command rows match COMMAND INFO and COMMAND DOCS of Redis byte for byte', () => {
  test('every list command', async () => {
    const steps: Script = listCommands.flatMap((row) => [
      ['COMMAND', 'INFO', row.name],
      ['COMMAND', 'DOCS', row.name],
      ['COMMAND', 'GETKEYS', ...getkeysExample(row.name)],
    ]);
    await compareScripts(await getPair(), [steps]);
    await compareScripts(await getPair(), [steps], { resp: 3 });
  });
});

function getkeysExample(name: string): string[] {
  switch (name) {
    case 'lmpop':
      return ['LMPOP', '2', 'a', 'b', 'LEFT'];
    case 'blmpop':
      return ['BLMPOP', '0', '2', 'a', 'b', 'LEFT', 'COUNT', '2'];
    case 'blpop':
    case 'brpop':
      return [name, 'a', 'b', 'c', '0'];
    case 'lmove':
      return ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'];
    case 'blmove':
      return ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0'];
    case 'rpoplpush':
      return ['RPOPLPUSH', 'a', 'b'];
    case 'brpoplpush':
      return ['BRPOPLPUSH', 'a', 'b', '0'];
    case 'lpos':
      return ['LPOS', 'a', 'x', 'RANK', '1'];
    default:
      return [name, 'a', '0', '1', '2'].slice(
        0,
        Math.max(3, Math.abs(listCommands.find((r) => r.name === name)!.arity)),
      );
  }
}

describe('random command sequences (fast-check) against Redis', () => {
  const key = fc.constantFrom('a', 'b', 'c');
  const val = fc.constantFrom('x', 'y', 'z', '', '1');
  const idx = fc.integer({ min: -6, max: 6 }).map(String);
  const end = fc.constantFrom('LEFT', 'RIGHT', 'left');
  const cmd: fc.Arbitrary<string[]> = fc.oneof(
    fc
      .tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, fc.array(val, { minLength: 1, maxLength: 4 }))
      .map(([c, k, vs]) => [c, k, ...vs]),
    fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key).map(([c, k]) => [c, k]),
    fc
      .tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.integer({ min: -1, max: 5 }))
      .map(([c, k, n]) => [c, k, String(n)]),
    fc.tuple(fc.constantFrom('LLEN'), key).map(([c, k]) => [c, k]),
    fc.tuple(key, idx).map(([k, i]) => ['LINDEX', k, i]),
    fc.tuple(key, idx, val).map(([k, i, v]) => ['LSET', k, i, v]),
    fc.tuple(key, idx, idx).map(([k, a, b]) => ['LRANGE', k, a, b]),
    fc.tuple(key, idx, idx).map(([k, a, b]) => ['LTRIM', k, a, b]),
    fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), val, val).map(([k, w, p, v]) => ['LINSERT', k, w, p, v]),
    fc.tuple(key, fc.integer({ min: -3, max: 3 }), val).map(([k, n, v]) => ['LREM', k, String(n), v]),
    fc
      .tuple(key, val, fc.integer({ min: -3, max: 3 }), fc.nat(3), fc.nat(4))
      .map(([k, v, r, n, m]) => [
        'LPOS',
        k,
        v,
        'RANK',
        String(r === 0 ? 1 : r),
        'COUNT',
        String(n),
        'MAXLEN',
        String(m),
      ]),
    fc.tuple(key, val).map(([k, v]) => ['LPOS', k, v]),
    fc.tuple(key, key, end, end).map(([s, d, a, b]) => ['LMOVE', s, d, a, b]),
    fc.tuple(key, key).map(([s, d]) => ['RPOPLPUSH', s, d]),
    fc.tuple(key, key, end, fc.nat(3)).map(([a, b, w, n]) => ['LMPOP', '2', a, b, w, 'COUNT', String(n + 1)]),
    // The blocking forms (rarer: an empty key costs Redis up to 100 ms to time out).
    fc.oneof(
      fc.tuple(key, key).map(([a, b]) => ['BLPOP', a, b, '0.01']),
      fc.tuple(key, key).map(([a, b]) => ['BRPOP', a, b, '0.01']),
      fc.tuple(key, key, end, end).map(([s, d, a, b]) => ['BLMOVE', s, d, a, b, '0.01']),
      fc.tuple(key, key, end).map(([a, b, w]) => ['BLMPOP', '0.01', '2', a, b, w, 'COUNT', '2']),
    ),
    fc.tuple(key).map(([k]) => ['SET', k, 'str']),
    fc.tuple(key).map(([k]) => ['DEL', k]),
    fc.tuple(key).map(([k]) => ['TYPE', k]),
  );
  for (const resp of [2, 3] as const) {
    test(`RESP${resp}`, async () => {
      const pair = await getPair();
      const scripts = fc.sample(fc.array(cmd, { minLength: 5, maxLength: 40 }), { numRuns: 50, seed: 4242 + resp });
      // Finish each script with a look at every key so that any state difference shows.
      const full = scripts.map((s) => [
        ...s,
        ...['a', 'b', 'c'].flatMap((k) => [
          ['TYPE', k],
          ['LRANGE', k, '0', '-1'],
        ]),
      ]);
      await compareScripts(pair, full, { resp });
    });
  }
});

describe('effects', () => {
  const run = (cmds: string[][]): Promise<string[][]> => effectsOf(cmds);

  test('writes propagate as sent; no-ops propagate nothing', async () => {
    const fx = await run([
      ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
      ['LPUSHX', 'nokey', 'a'],
      ['LPOP', 'nokey'],
      ['LPOP', 'l', '0'],
      ['LPOP', 'l'],
      ['RPOP', 'l', '1'],
      ['LREM', 'l', '0', 'zz'],
      ['LINSERT', 'l', 'BEFORE', 'zz', 'x'],
      ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
      ['LSET', 'l', '0', 'y'],
      ['LTRIM', 'l', '0', '-1'],
      ['LTRIM', 'l', '1', '-1'],
      ['LMOVE', 'l', 'm', 'LEFT', 'right'],
      ['RPOPLPUSH', 'nokey', 'm'],
      ['LRANGE', 'm', '0', '-1'],
    ]);
    assert.deepEqual(fx, [
      ['0', 'RPUSH', 'l', 'a', 'b', 'c', 'd'],
      ['0', 'LPOP', 'l'],
      ['0', 'RPOP', 'l', '1'],
      ['0', 'LINSERT', 'l', 'BEFORE', 'b', 'x'],
      ['0', 'LSET', 'l', '0', 'y'],
      ['0', 'LTRIM', 'l', '1', '-1'],
      ['0', 'LMOVE', 'l', 'm', 'LEFT', 'right'],
    ]);
  });

  test('LMPOP and the blocking forms served at once propagate their non-blocking form', async () => {
    const fx = await run([
      ['RPUSH', 'l', '1', '2', '3', '4', '5', '6', '7'],
      ['LMPOP', '2', 'nokey', 'l', 'LEFT'],
      ['LMPOP', '1', 'l', 'RIGHT', 'COUNT', '2'],
      ['BLPOP', 'nokey', 'l', '0'],
      ['BRPOP', 'l', '0'],
      ['BLMOVE', 'l', 'd', 'Left', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'd', 'l', '0'],
      ['BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '10'],
      ['LMPOP', '1', 'l', 'LEFT'],
    ]);
    assert.deepEqual(fx, [
      ['0', 'RPUSH', 'l', '1', '2', '3', '4', '5', '6', '7'],
      ['0', 'LPOP', 'l', '1'],
      ['0', 'RPOP', 'l', '2'],
      ['0', 'LPOP', 'l'],
      ['0', 'RPOP', 'l'],
      ['0', 'LMOVE', 'l', 'd', 'Left', 'RIGHT'],
      ['0', 'RPOPLPUSH', 'd', 'l'],
      ['0', 'RPOP', 'l', '2'],
    ]);
  });
});

describe('snapshot codec', () => {
  test('a list round-trips through the value codec registry', async () => {
    const { encodeValue, decodeValue } = await import('../../src/persistence/codecs.js');
    const { ByteWriter, ByteReader } = await import('../../src/persistence/bytes.js');
    const { ListValue } = await import('../../src/types/list.js');
    for (const items of [[], ['a'], [BIN, '', 'x'.repeat(1000)], Array.from({ length: 5000 }, (_, i) => String(i))]) {
      const w = new ByteWriter();
      encodeValue(ListValue.from(items), w);
      const back = decodeValue(new ByteReader(w.toBuffer()));
      assert.ok(back instanceof ListValue);
      assert.deepEqual(back.toArray(), items);
    }
  });
});
