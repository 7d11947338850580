// The edge cases Redis's own test suite checks for lists and hashes (tests/unit/type/list.tcl, list-2.tcl,
// list-3.tcl, hash.tcl), replayed against real Redis 7.0.15 and Cairn and compared byte for byte, in RESP2 and
// RESP3. Cases about encodings that need DEBUG knobs or config directives Cairn lacks, DUMP/RESTORE, replication
// streams and timing are left out. Random inputs come from a seeded generator, so every run sends the same bytes.
// Blocking cases with several connections run in lockstep against both servers (test/support/duo.ts).

import { test, describe } from 'node:test';
import { sharedPair } from '../support/servers.js';
import { scriptTests, type Script, type ScriptStep, type CompareMode } from '../support/differential.js';
import { encodeCommand } from '../support/resp.js';
import { Duo, useRedisAndCairn, waitBlocked, blockingScene } from '../support/duo.js';
import { rng } from '../support/data.js';

const getPair = sharedPair();

/** Many commands sent in one write; their replies compared one by one. */
function pipeline(cmds: readonly (readonly string[])[], mode: CompareMode = 'exact'): ScriptStep {
  return { raw: Buffer.concat(cmds.map((c) => encodeCommand(c))), replies: cmds.length, mode };
}

const LARGE = 'x'.repeat(10000);
const VALUES = ['hello', LARGE];

/** Deletes `key` and pushes `items` to it one by one, as the Tcl suite's create_list does. */
function createList(key: string, items: readonly string[]): ScriptStep[] {
  return [['DEL', key], ...items.map((i) => ['RPUSH', key, i])];
}

// --- list.tcl -------------------------------------------------------------------------------------------------

const lpos: Script = [
  ['RPUSH', 'mylist', 'a', 'b', 'c', '1', '2', '3', 'c', 'c'],
  ['LPOS', 'mylist', 'a'],
  ['LPOS', 'mylist', 'c'],
  ['LPOS', 'mylist', 'c', 'RANK', '1'],
  ['LPOS', 'mylist', 'c', 'RANK', '2'],
  ['LPOS', 'mylist', 'c', 'RANK', '4'],
  ['LPOS', 'mylist', 'c', 'RANK', '-1'],
  ['LPOS', 'mylist', 'c', 'RANK', '-2'],
  ['LPOS', 'mylist', 'c', 'RANK', '0'],
  ['LPOS', 'mylist', 'c', 'COUNT', '0'],
  ['LPOS', 'mylist', 'c', 'COUNT', '1'],
  ['LPOS', 'mylist', 'c', 'COUNT', '2'],
  ['LPOS', 'mylist', 'c', 'COUNT', '100'],
  ['LPOS', 'mylist', 'c', 'COUNT', '0', 'RANK', '2'],
  ['LPOS', 'mylist', 'c', 'COUNT', '2', 'RANK', '-1'],
  ['LPOS', 'mylistxxx', 'c', 'COUNT', '0', 'RANK', '2'],
  ['LPOS', 'mylistxxx', 'c'],
  ['LPOS', 'mylist', 'x', 'COUNT', '2', 'RANK', '-1'],
  ['LPOS', 'mylist', 'x', 'RANK', '-1'],
  ['LPOS', 'mylist', 'a', 'COUNT', '0', 'MAXLEN', '1'],
  ['LPOS', 'mylist', 'c', 'COUNT', '0', 'MAXLEN', '1'],
  ['LPOS', 'mylist', 'c', 'COUNT', '0', 'MAXLEN', '3'],
  ['LPOS', 'mylist', 'c', 'COUNT', '0', 'MAXLEN', '3', 'RANK', '-1'],
  ['LPOS', 'mylist', 'c', 'COUNT', '0', 'MAXLEN', '7', 'RANK', '2'],
  ['LPOS', 'mylist', 'c', 'MAXLEN', '0'],
  ['LPOS', 'mylist', 'c', 'COUNT', '-1'],
  ['LPOS', 'mylist', 'c', 'MAXLEN', '-1'],
  ['LPOS', 'mylist', 'c', 'RANK', '-9223372036854775808'],
  ['LPOS', 'mylist', 'c', 'RANK', 'x'],
  ['LPOS', 'mylist', 'c', 'COUNT'],
  ['LPOS', 'mylist', 'c', 'BADOPT', '1'],
  ['LPOS', 'mylist', 'c', 'rank', '1', 'count', '0', 'maxlen', '0'],
  ['LPOS', 'mylist', 'c', 'RANK', '1', 'RANK', '-1'],
  ['DEL', 'mylist'],
  ['LPUSH', 'mylist', 'a'],
  ['LPOS', 'mylist', 'b', 'COUNT', '10', 'RANK', '5'],
  ['LPOS', 'mylist', 'a', 'COUNT', '10', 'RANK', '5'],
  ['SET', 'str', 'x'],
  ['LPOS', 'str', 'a'],
  ['LPOS', 'str', 'a', 'RANK', '0'],
];

const pushPopIndex: Script = [
  ['LPUSH', 'myziplist1', 'aa'],
  ['RPUSH', 'myziplist1', 'bb'],
  ['RPUSH', 'myziplist1', 'cc'],
  ['LLEN', 'myziplist1'],
  ['LINDEX', 'myziplist1', '0'],
  ['LINDEX', 'myziplist1', '1'],
  ['LINDEX', 'myziplist1', '2'],
  ['LINDEX', 'myziplist2', '3'],
  ['RPOP', 'myziplist1'],
  ['LPOP', 'myziplist1'],
  ['OBJECT', 'ENCODING', 'myziplist1'],
  ['RPUSH', 'myziplist2', 'a'],
  ['LPUSH', 'myziplist2', 'b'],
  ['LPUSH', 'myziplist2', 'c'],
  ['LLEN', 'myziplist2'],
  ['LINDEX', 'myziplist2', '0'],
  ['LINDEX', 'myziplist2', '1'],
  ['LINDEX', 'myziplist2', '2'],
  ['LINDEX', 'myziplist2', '3'],
  ['LINDEX', 'myziplist2', '-1'],
  ['LINDEX', 'myziplist2', '-3'],
  ['LINDEX', 'myziplist2', '-4'],
  ['LINDEX', 'myziplist2', 'x'],
  ['LINDEX', 'myziplist2', '1.0'],
  ['RPOP', 'myziplist2'],
  ['LPOP', 'myziplist2'],
  ['LPUSH', 'mylist1', LARGE],
  ['OBJECT', 'ENCODING', 'mylist1'],
  ['RPUSH', 'mylist1', 'b'],
  ['RPUSH', 'mylist1', 'c'],
  ['LLEN', 'mylist1'],
  ['LINDEX', 'mylist1', '0'],
  ['LINDEX', 'mylist1', '1'],
  ['LINDEX', 'mylist1', '2'],
  ['LINDEX', 'mylist1', '3'],
  ['RPOP', 'mylist1'],
  ['LPOP', 'mylist1'],
  ['RPUSH', 'mylist2', LARGE],
  ['LPUSH', 'mylist2', 'b'],
  ['LPUSH', 'mylist2', 'c'],
  ['LINDEX', 'mylist2', '2'],
  ['RPOP', 'mylist2'],
  ['LPOP', 'mylist2'],
  ['LPOP', 'non-existing-list'],
  ['RPOP', 'non-existing-list'],
  // LPOP/RPOP with wrong number of arguments, and the count argument.
  ['LPOP', 'key', '1', '1'],
  ['RPOP', 'key', '2', '2'],
  ['LPUSH', 'listcount', 'aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'gg'],
  ['LPOP', 'listcount', '1'],
  ['LPOP', 'listcount', '2'],
  ['RPOP', 'listcount', '2'],
  ['RPOP', 'listcount', '1'],
  ['RPOP', 'listcount', '123'],
  ['EXISTS', 'listcount'],
  ['LPOP', 'forbarqaz', '-123'],
  ['LPOP', 'forbarqaz', '9223372036854775808'],
  ['LPUSH', 'listcount', 'zero'],
  ['LPOP', 'listcount', '0'],
  ['RPOP', 'listcount', '0'],
  ['LPOP', 'non_existing_key'],
  ['RPOP', 'non_existing_key'],
  ['LPOP', 'non_existing_key', '0'],
  ['LPOP', 'non_existing_key', '1'],
  ['RPOP', 'non_existing_key', '0'],
  ['RPOP', 'non_existing_key', '1'],
  // Variadic push, DEL.
  ['DEL', 'mylist'],
  ['LPUSH', 'mylist', 'a', 'b', 'c', 'd'],
  ['RPUSH', 'mylist', '0', '1', '2', '3'],
  ['LRANGE', 'mylist', '0', '-1'],
  ['DEL', 'mylist'],
  ['EXISTS', 'mylist'],
  ['LLEN', 'mylist'],
  // Wrong types, missing keys.
  ['SET', 'mylist', 'foobar'],
  ['LLEN', 'mylist'],
  ['LLEN', 'not-a-key'],
  ['LINDEX', 'mylist', '0'],
  ['LINDEX', 'not-a-key', '10'],
  ['LPUSH', 'mylist', '0'],
  ['RPUSH', 'mylist', '0'],
  ['LPUSHX', 'mylist', '0'],
  ['RPUSHX', 'mylist', '0'],
  ['LRANGE', 'mylist', '0', '-1'],
  ['LTRIM', 'mylist', '0', '-1'],
  ['LREM', 'mylist', '0', 'a'],
  ['LINSERT', 'mylist', 'BEFORE', 'a', 'b'],
  ['LPOS', 'mylist', 'a'],
  ['LMPOP', '1', 'mylist', 'LEFT'],
  ['GET', 'mylist'],
];

const pushxInsert: Script = [
  ['DEL', 'xlist'],
  ['LPUSHX', 'xlist', 'a'],
  ['LLEN', 'xlist'],
  ['RPUSHX', 'xlist', 'a'],
  ['LLEN', 'xlist'],
  ['EXISTS', 'xlist'],
  ...VALUES.flatMap((large): ScriptStep[] => [
    ...createList('xlist', [large, 'c']),
    ['RPUSHX', 'xlist', 'd'],
    ['LPUSHX', 'xlist', 'a'],
    ['RPUSHX', 'xlist', '42', 'x'],
    ['LPUSHX', 'xlist', 'y3', 'y2', 'y1'],
    ['LRANGE', 'xlist', '0', '-1'],
    ...createList('xlist', ['a', large, 'c', 'd']),
    ['LINSERT', 'xlist', 'before', 'c', 'zz'],
    ['LRANGE', 'xlist', '0', '10'],
    ['LINSERT', 'xlist', 'after', 'c', 'yy'],
    ['LRANGE', 'xlist', '0', '10'],
    ['LINSERT', 'xlist', 'after', 'd', 'dd'],
    ['LINSERT', 'xlist', 'after', 'bad', 'ddd'],
    ['LRANGE', 'xlist', '0', '10'],
    ['LINSERT', 'xlist', 'before', 'a', 'aa'],
    ['LINSERT', 'xlist', 'before', 'bad', 'aaa'],
    ['LRANGE', 'xlist', '0', '10'],
    ['LINSERT', 'xlist', 'before', 'aa', '42'],
    ['LRANGE', 'xlist', '0', '0'],
    ['LINSERT', 'xlist', 'BEFORE', large, large],
    ['LINDEX', 'xlist', '2'],
  ]),
  ['LINSERT', 'xlist', 'aft3r', 'aa', '42'],
  ['LINSERT', 'nokey', 'aft3r', 'aa', '42'],
  ['LINSERT', 'nokey', 'after', 'aa', '42'],
  ['LINSERT', 'xlist', 'after', 'aa'],
  ['EXISTS', 'nokey'],
];

function numberedList(n: number): ScriptStep[] {
  const cmds: string[][] = [['DEL', 'mylist']];
  for (let i = 0; i < n; i++) cmds.push(['RPUSH', 'mylist', String(i)]);
  const reads: string[][] = [
    ['OBJECT', 'ENCODING', 'mylist'],
    ['LLEN', 'mylist'],
  ];
  for (let i = 0; i < n; i++) reads.push(['LINDEX', 'mylist', String(i)], ['LINDEX', 'mylist', String(-i - 1)]);
  const r = rng(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * n);
    reads.push(['LINDEX', 'mylist', String(k)], ['LINDEX', 'mylist', String(-k - 1)]);
  }
  return [pipeline(cmds), pipeline(reads)];
}

const lindexConsistency: Script = [...numberedList(250), ...numberedList(500)];

const rpoplpushLmove: Script = [
  ...VALUES.flatMap((large): ScriptStep[] => [
    ['DEL', 'mylist1', 'mylist2'],
    ...createList('mylist1', ['a', large, 'c', 'd']),
    ['RPOPLPUSH', 'mylist1', 'mylist2'],
    ['RPOPLPUSH', 'mylist1', 'mylist2'],
    ['LRANGE', 'mylist1', '0', '-1'],
    ['LRANGE', 'mylist2', '0', '-1'],
    ['OBJECT', 'ENCODING', 'mylist2'],
    ...['left', 'right'].flatMap((from) =>
      ['left', 'right'].flatMap((to): ScriptStep[] => [
        ['DEL', 'mylist1', 'mylist2'],
        ...createList('mylist1', from === 'right' ? ['c', 'd', large, 'a'] : ['a', large, 'c', 'd']),
        ['LMOVE', 'mylist1', 'mylist2', from, to],
        ['LMOVE', 'mylist1', 'mylist2', from, to],
        ['LRANGE', 'mylist1', '0', '-1'],
        ['LRANGE', 'mylist2', '0', '-1'],
        // Same list as source and destination.
        ...createList('mylist', from === 'right' ? ['a', large, 'c'] : ['c', 'a', large]),
        ['LMOVE', 'mylist', 'mylist', from, to],
        ['LRANGE', 'mylist', '0', '-1'],
        // Existing target of either kind.
        ...VALUES.flatMap((other): ScriptStep[] => [
          ...createList('dstlist', [other]),
          ...createList('srclist', from === 'right' ? ['a', 'b', 'c', large] : [large, 'c', 'a', 'b']),
          ['LMOVE', 'srclist', 'dstlist', from, to],
          ['LMOVE', 'srclist', 'dstlist', from, to],
          ['LRANGE', 'srclist', '0', '-1'],
          ['LRANGE', 'dstlist', '0', '-1'],
        ]),
      ]),
    ),
    ...createList('mylist', ['a', large, 'c']),
    ['RPOPLPUSH', 'mylist', 'mylist'],
    ['LRANGE', 'mylist', '0', '-1'],
    ...VALUES.flatMap((other): ScriptStep[] => [
      ...createList('srclist', ['a', 'b', 'c', large]),
      ...createList('dstlist', [other]),
      ['RPOPLPUSH', 'srclist', 'dstlist'],
      ['RPOPLPUSH', 'srclist', 'dstlist'],
      ['LRANGE', 'srclist', '0', '-1'],
      ['LRANGE', 'dstlist', '0', '-1'],
    ]),
  ]),
  ['DEL', 'srclist', 'dstlist'],
  ['RPOPLPUSH', 'srclist', 'dstlist'],
  ['EXISTS', 'srclist'],
  ['EXISTS', 'dstlist'],
  ['SET', 'srclist', 'x'],
  ['RPOPLPUSH', 'srclist', 'dstlist'],
  ['LMOVE', 'srclist', 'dstlist', 'LEFT', 'LEFT'],
  ['TYPE', 'srclist'],
  ['EXISTS', 'newlist'],
  ...createList('srclist', ['a', 'b', 'c', 'd']),
  ['SET', 'dstlist', 'x'],
  ['RPOPLPUSH', 'srclist', 'dstlist'],
  ['LMOVE', 'srclist', 'dstlist', 'RIGHT', 'LEFT'],
  ['TYPE', 'dstlist'],
  ['LRANGE', 'srclist', '0', '-1'],
  ['DEL', 'srclist', 'dstlist'],
  ['RPOPLPUSH', 'srclist', 'dstlist'],
  ['LMOVE', 'srclist', 'dstlist', 'UP', 'LEFT'],
  ['LMOVE', 'srclist', 'dstlist', 'LEFT', 'DOWN'],
  ['LMOVE', 'srclist', 'dstlist', 'LEFT'],
  ['SET', 'dstlist', 'x'],
  ['LMOVE', 'srclist', 'dstlist', 'LEFT', 'LEFT'],
];

const popLmpop: Script = [
  ...VALUES.flatMap((large): ScriptStep[] => [
    ...createList('mylist', [large, '1', '2']),
    ['LPOP', 'mylist'],
    ['RPOP', 'mylist'],
    ['LPOP', 'mylist'],
    ['LLEN', 'mylist'],
    ...createList('mylist', [large, '1', '2']),
    ['LMPOP', '1', 'mylist', 'left', 'count', '1'],
    ['LMPOP', '2', 'mylist', 'mylist', 'right', 'count', '2'],
    ['EXISTS', 'mylist'],
  ]),
  ['DEL', 'non-existing-list', 'non-existing-list2'],
  ['LPOP', 'non-existing-list'],
  ['RPOP', 'non-existing-list2'],
  ['LMPOP', '1', 'non-existing-list', 'left', 'count', '1'],
  ['LMPOP', '1', 'non-existing-list', 'left', 'count', '10'],
  ['LMPOP', '2', 'non-existing-list', 'non-existing-list2', 'right', 'count', '1'],
  ['LMPOP', '2', 'non-existing-list', 'non-existing-list2', 'right', 'count', '10'],
  ['BLMPOP', '0.01', '1', 'non-existing-list', 'left', 'count', '10'],
  // Non-list values, with and without blocking.
  ['SET', 'notalist', 'foo'],
  ['LPOP', 'notalist'],
  ['BLPOP', 'notalist', '0'],
  ['RPOP', 'notalist'],
  ['BRPOP', 'notalist', '0'],
  ['DEL', 'notalist2'],
  ['LMPOP', '2', 'notalist', 'notalist2', 'left', 'count', '1'],
  ['BLMPOP', '0', '2', 'notalist', 'notalist2', 'left', 'count', '1'],
  ['DEL', 'notalist'],
  ['SET', 'notalist2', 'nolist'],
  ['LMPOP', '2', 'notalist', 'notalist2', 'right', 'count', '10'],
  ['BLMPOP', '0', '2', 'notalist', 'notalist2', 'left', 'count', '1'],
  ['BLPOP', 'nokey', 'notalist2', '1'],
  ['BRPOP', 'nokey', 'notalist2', '1'],
  ['BLMPOP', '1', '2', 'nokey', 'notalist2', 'RIGHT'],
  ['RPUSH', 'first', 'a', 'b'],
  ['BLPOP', 'first', 'notalist2', '1'],
  ['BRPOP', 'notalist2', 'first', '1'],
  ['BLMPOP', '1', '2', 'first', 'notalist2', 'RIGHT'],
  ['LMPOP', '2', 'nokey', 'notalist2', 'RIGHT'],
  ['BLMOVE', 'notalist2', 'x', 'LEFT', 'LEFT', '0'],
  ['BRPOPLPUSH', 'notalist2', 'x', '0'],
  ['RPUSH', 'src', 'a'],
  ['BRPOPLPUSH', 'src', 'notalist2', '0'],
  ['BLMOVE', 'src', 'notalist2', 'RIGHT', 'LEFT', '0'],
  ['LRANGE', 'src', '0', '-1'],
  // LMPOP with illegal arguments.
  ['LMPOP'],
  ['LMPOP', '1'],
  ['LMPOP', '1', 'mylist'],
  ['LMPOP', '0', 'mylist', 'LEFT'],
  ['LMPOP', 'a', 'mylist', 'LEFT'],
  ['LMPOP', '-1', 'mylist', 'RIGHT'],
  ['LMPOP', '1', 'mylist', 'bad_where'],
  ['LMPOP', '1', 'mylist', 'LEFT', 'bar_arg'],
  ['LMPOP', '1', 'mylist', 'RIGHT', 'LEFT'],
  ['LMPOP', '1', 'mylist', 'COUNT'],
  ['LMPOP', '1', 'mylist', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'bad_arg'],
  ['LMPOP', '1', 'mylist', 'LEFT', 'COUNT', '0'],
  ['LMPOP', '1', 'mylist', 'RIGHT', 'COUNT', 'a'],
  ['LMPOP', '1', 'mylist', 'LEFT', 'COUNT', '-1'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'RIGHT', 'COUNT', '-1'],
  ['LMPOP', '5', 'mylist', 'LEFT'],
  ['LMPOP', '9223372036854775807', 'mylist', 'LEFT'],
  ['LMPOP', '2147483648', 'mylist', 'LEFT'],
  ['LMPOP', '1', 'mylist', 'LEFT', 'COUNT', '9223372036854775808'],
  ['BLMPOP', '0', '0', 'mylist', 'LEFT'],
  ['BLMPOP', '-1', '1', 'mylist', 'LEFT'],
  ['BLMPOP', 'x', '1', 'mylist', 'LEFT'],
  ['BLMPOP', '0', '1', 'mylist', 'LEFT', 'COUNT', '0'],
  ['BLMPOP', '0', '1', 'mylist', 'UP'],
  ['BLMPOP', '0', '1', 'mylist'],
  ['BLMPOP', '0', '3', 'a', 'b', 'LEFT'],
  // LMPOP on one existing list (the same key twice).
  ...createList('mylist', ['a', 'b', 'c', 'd', 'e', 'f']),
  ['LMPOP', '2', 'mylist', 'mylist', 'left', 'count', '2'],
  ['LMPOP', '2', 'mylist', 'mylist', 'right', 'count', '2'],
  ['LLEN', 'mylist'],
  ...createList('mylist', ['a', 'b', 'c', 'd', 'e']),
  ['DEL', 'mylist2'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'left', 'count', '1'],
  ['LLEN', 'mylist'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'right', 'count', '10'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'right', 'count', '1'],
  ['DEL', 'mylist'],
  ...createList('mylist2', ['1', '2', '3', '4', '5']),
  ['LMPOP', '2', 'mylist', 'mylist2', 'right', 'count', '1'],
  ['LLEN', 'mylist2'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'left', 'count', '10'],
  ['EXISTS', 'mylist', 'mylist2'],
  // LMPOP on several existing lists.
  ...createList('mylist', ['a', 'b', 'c', 'd', 'e']),
  ...createList('mylist2', ['1', '2', '3', '4', '5']),
  ['LMPOP', '2', 'mylist', 'mylist2', 'left', 'count', '2'],
  ['LLEN', 'mylist'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'right', 'count', '3'],
  ['EXISTS', 'mylist'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'left', 'count', '3'],
  ['LLEN', 'mylist2'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'right', 'count', '2'],
  ['EXISTS', 'mylist'],
  ...createList('mylist', ['a', 'b', 'c']),
  ...createList('mylist2', ['1', '2', '3']),
  ['LMPOP', '2', 'mylist', 'mylist2', 'left', 'count', '10'],
  ['LLEN', 'mylist'],
  ['LMPOP', '2', 'mylist', 'mylist2', 'right', 'count', '10'],
  ['LLEN', 'mylist2'],
  ['EXISTS', 'mylist', 'mylist2'],
  // The blocking forms served at once.
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['BLMPOP', '0', '1', 'l', 'left'],
  ['BLMPOP', '0', '2', 'nokey', 'l', 'right', 'count', '5'],
  ['EXISTS', 'l'],
];

const massPop: Script = [250, 500].flatMap((n): ScriptStep[] => {
  const push: string[][] = [['DEL', 'mylist']];
  for (let i = 0; i < n; i++) push.push(['LPUSH', 'mylist', String(i)]);
  const pops: string[][] = [['OBJECT', 'ENCODING', 'mylist']];
  for (let i = 0; i < n / 2; i++) pops.push(['LPOP', 'mylist'], ['RPOP', 'mylist']);
  pops.push(['EXISTS', 'mylist']);
  return [pipeline(push), pipeline(pops)];
});

const rangeTrimSetRem: Script = [
  ...VALUES.flatMap((large): ScriptStep[] => [
    ...createList('mylist', [large, '1', '2', '3', '4', '5', '6', '7', '8', '9']),
    ['LRANGE', 'mylist', '1', '-2'],
    ['LRANGE', 'mylist', '-3', '-1'],
    ['LRANGE', 'mylist', '4', '4'],
    ['LRANGE', 'mylist', '6', '2'],
    ...createList('mylist', [large, '1', '2', '3']),
    ['LRANGE', 'mylist', '-1000', '1000'],
    ['LRANGE', 'mylist', '0', '-4'],
    ['LRANGE', 'mylist', '0', '-5'],
    ...(
      [
        ['0', '0'],
        ['0', '1'],
        ['0', '2'],
        ['1', '2'],
        ['1', '-1'],
        ['1', '-2'],
        ['-2', '-1'],
        ['-1', '-1'],
        ['-5', '-1'],
        ['-10', '10'],
        ['0', '5'],
        ['0', '10'],
        ['0', '-5'],
        ['0', '-6'],
        ['3', '1'],
        ['10', '20'],
        ['-9223372036854775808', '9223372036854775807'],
      ] as const
    ).flatMap(([min, max]): ScriptStep[] => [
      ...createList('mylist', ['1', '2', '3', '4', large]),
      ['LTRIM', 'mylist', min, max],
      ['LRANGE', 'mylist', '0', '-1'],
      ['EXISTS', 'mylist'],
    ]),
    ...createList('mylist', ['99', '98', large, '96', '95']),
    ['LSET', 'mylist', '1', 'foo'],
    ['LSET', 'mylist', '-1', 'bar'],
    ['LRANGE', 'mylist', '0', '-1'],
    ['LSET', 'mylist', '10', 'foo'],
    ['LSET', 'mylist', '-6', 'foo'],
    ['LSET', 'mylist', '-5', large],
    ['LSET', 'mylist', 'x', 'foo'],
    ['LRANGE', 'mylist', '0', '-1'],
    ...createList('mylist', [large, 'foo', 'bar', 'foobar', 'foobared', 'zap', 'bar', 'test', 'foo']),
    ['LREM', 'mylist', '0', 'bar'],
    ['LRANGE', 'mylist', '0', '-1'],
    ['LREM', 'mylist', '1', 'foo'],
    ['LRANGE', 'mylist', '0', '-1'],
    ['LREM', 'mylist', '1', 'nosuchelement'],
    ['LRANGE', 'mylist', '0', '-1'],
    ...createList('mylist', [large, 'foo', 'bar', 'foobar', 'foobared', 'zap', 'bar', 'test', 'foo', 'foo']),
    ['LREM', 'mylist', '-1', 'bar'],
    ['LRANGE', 'mylist', '0', '-1'],
    ['LREM', 'mylist', '-2', 'foo'],
    ['LRANGE', 'mylist', '0', '-1'],
    ...createList('myotherlist', [large, '1', '2', '3']),
    ['LREM', 'myotherlist', '1', '2'],
    ['LLEN', 'myotherlist'],
    ['LREM', 'myotherlist', 'x', '2'],
    ['LREM', 'myotherlist', '0', large],
    ['LREM', 'myotherlist', '-100', '3'],
    ['LREM', 'myotherlist', '100', '1'],
    ['EXISTS', 'myotherlist'],
  ]),
  ['LRANGE', 'nosuchkey', '0', '1'],
  ...createList('mylist', ['1', '2', '3']),
  ['LRANGE', 'mylist', '1', '0'],
  ['LRANGE', 'mylist', '-1', '-2'],
  ['LSET', 'nosuchkey', '10', 'foo'],
  ['LSET', 'nosuchkey', 'x', 'foo'],
  ['SET', 'nolist', 'foobar'],
  ['LSET', 'nolist', '0', 'foo'],
  ['LREM', 'nolist', '0', 'foo'],
  ['LTRIM', 'nosuchkey', '0', '1'],
  ['LTRIM', 'mylist', 'a', '1'],
  ['LREM', 'nosuchkey', '0', 'foo'],
];

const blockingServedAtOnce: Script = [
  ...VALUES.flatMap((large): ScriptStep[] => [
    ...createList('blist', ['a', 'b', large, 'c', 'd']),
    ['BLPOP', 'blist', '1'],
    ['BRPOP', 'blist', '1'],
    ['BLPOP', 'blist', '1'],
    ['BRPOP', 'blist', '1'],
    ['LLEN', 'blist'],
    ...createList('blist', ['a', 'b', large, 'c', 'd']),
    ['BLMPOP', '1', '1', 'blist', 'left', 'count', '1'],
    ['BLMPOP', '1', '1', 'blist', 'right', 'count', '1'],
    ['BLMPOP', '1', '1', 'blist', 'left', 'count', '1'],
    ['BLMPOP', '1', '1', 'blist', 'right', 'count', '1'],
    ['LLEN', 'blist'],
    ...createList('blist1', ['a', large, 'c']),
    ...createList('blist2', ['d', large, 'f']),
    ['BLPOP', 'blist1', 'blist2', '1'],
    ['BRPOP', 'blist1', 'blist2', '1'],
    ['LLEN', 'blist1'],
    ['LLEN', 'blist2'],
    ['BLPOP', 'blist2', 'blist1', '1'],
    ['BRPOP', 'blist2', 'blist1', '1'],
    ['LLEN', 'blist1'],
    ['LLEN', 'blist2'],
    ['DEL', 'blist1'],
    ...createList('blist2', ['d', large, 'f']),
    ['BLPOP', 'blist1', 'blist2', '1'],
    ['BRPOP', 'blist1', 'blist2', '1'],
    ['BLMPOP', '1', '2', 'blist1', 'blist2', 'left', 'count', '1'],
    ['LLEN', 'blist1'],
    ['LLEN', 'blist2'],
    ['DEL', 'target'],
    ['RPUSH', 'target', 'bar'],
    ...createList('blist', ['a', 'b', large, 'c', 'd']),
    ['BRPOPLPUSH', 'blist', 'target', '1'],
    ['LPOP', 'target'],
    ['LRANGE', 'blist', '0', '-1'],
    ...['left', 'right'].flatMap((from) =>
      ['left', 'right'].flatMap((to): ScriptStep[] => [
        ['DEL', 'target'],
        ['RPUSH', 'target', 'bar'],
        ...createList('blist', ['a', 'b', large, 'c', 'd']),
        ['BLMOVE', 'blist', 'target', from, to, '1'],
        ['LRANGE', 'blist', '0', '-1'],
        ['LRANGE', 'target', '0', '-1'],
      ]),
    ),
  ]),
  // The same key several times, data already there.
  ['DEL', 'list1', 'list2'],
  ['LPUSH', 'list1', 'a'],
  ['LPUSH', 'list2', 'b'],
  ['BLPOP', 'list1', 'list2', 'list2', 'list1', '0'],
  ['BLPOP', 'list1', 'list2', 'list2', 'list1', '0'],
  // Timeouts that are not accepted.
  ['BLPOP', 'blist1', '-1'],
  ['BRPOP', 'blist1', '-1'],
  ['BLMPOP', '-1', '1', 'blist1', 'LEFT'],
  ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '-1'],
  ['BRPOPLPUSH', 'a', 'b', '-1'],
  ['BLPOP', 'blist1', 'abc'],
  ['BLPOP', 'blist1', '1e400'],
  ['BLPOP', 'blist1', 'inf'],
  ['BLPOP', 'blist1', '0x'],
  ['BLPOP', 'blist1', ' 1'],
  ['BLPOP', 'blist1', ''],
  ['BLPOP', 'blist1', '1.5e20'],
  ['BLPOP', 'blist1', '1e5000'],
  ['BLPOP', 'blist1', '1.18e4932'],
  ['BLPOP', 'blist1', '1.19e4933'],
  ['BLPOP', 'blist1', '-1e4000'],
  ['BLPOP', 'blist1', '1e-5000'],
  ['BLPOP', 'blist1', '0x1p100000'],
  ['BLPOP', 'blist1', 'infinity'],
  ['BLPOP', 'blist1', 'nan'],
  ['BLPOP', 'blist1', '1e'],
  ['BLPOP', 'blist1', '9223372036854776'],
  ['BLPOP', 'blist1', '9223372036854775.808'],
  ['BLPOP', 'blist1', '-0.0011'],
  ['BLPOP', 'blist1', '-0.002'],
  ['BLPOP', 'blist1', '0x7FFFFFFFFFFFFF'],
  ['BLPOP', 'blist1', '0x20C49BA5E353F8'],
  ['BLPOP', 'blist1', '-9223372036854775.808'],
  ['BLPOP', 'blist1', '-9223372036854775.809'],
  ['BLPOP', 'blist1', '-1e15'],
  ['BRPOP', 'blist1', '9223372036854775807'],
  ['BLPOP', 'blist1', '0.001'],
  ['BRPOP', 'blist1', '0.001'],
  ['BLMPOP', '0.001', '1', 'blist1', 'RIGHT'],
  ['BLMOVE', 'blist1', 'x', 'RIGHT', 'LEFT', '0.001'],
  ['BRPOPLPUSH', 'blist1', 'x', '0.001'],
  ['EXISTS', 'x'],
  // Inside MULTI the blocking forms never block.
  ['DEL', 'xlist'],
  ['LPUSH', 'xlist', 'foo'],
  ['LPUSH', 'xlist', 'bar'],
  ['MULTI'],
  ['BLPOP', 'xlist', '0'],
  ['BLPOP', 'xlist', '0'],
  ['BLPOP', 'xlist', '0'],
  ['EXEC'],
  ['LPUSH', 'xlist', 'foo'],
  ['LPUSH', 'xlist', 'bar'],
  ['MULTI'],
  ['BLMPOP', '0', '1', 'xlist', 'LEFT', 'COUNT', '1'],
  ['BLMPOP', '0', '1', 'xlist', 'LEFT', 'COUNT', '1'],
  ['BLMPOP', '0', '1', 'xlist', 'LEFT', 'COUNT', '1'],
  ['EXEC'],
  ['DEL', 'xlist', 'target'],
  ['LPUSH', 'xlist', 'foo'],
  ['LPUSH', 'xlist', 'bar'],
  ['MULTI'],
  ['BRPOPLPUSH', 'xlist', 'target', '0'],
  ['BRPOPLPUSH', 'xlist', 'target', '0'],
  ['BRPOPLPUSH', 'xlist', 'target', '0'],
  ['LRANGE', 'xlist', '0', '-1'],
  ['LRANGE', 'target', '0', '-1'],
  ['EXEC'],
  ['MULTI'],
  ['BRPOP', 'nokey', '0'],
  ['BLMOVE', 'nokey', 'x', 'LEFT', 'RIGHT', '0'],
  ['BLPOP', 'nokey', '-1'],
  ['EXEC'],
];

/** "List ziplist of various encodings" without DUMP/RESTORE: values of every listpack integer/string width. */
const variousEncodings: Script = [
  ['DEL', 'k'],
  ['LPUSH', 'k', '127'],
  ['LPUSH', 'k', '32767'],
  ['LPUSH', 'k', '2147483647'],
  ['LPUSH', 'k', '9223372036854775808'],
  ['LPUSH', 'k', '0'],
  ['LPUSH', 'k', '12'],
  ['LPUSH', 'k', 'x'.repeat(31)],
  ['LPUSH', 'k', 'x'.repeat(8191)],
  ['LPUSH', 'k', 'x'.repeat(65535)],
  ['LPUSH', 'k', '-9223372036854775808', '-1', '+1', '01', '1.0', ' 1', '-0'],
  ['LRANGE', 'k', '0', '-1'],
  ['LINDEX', 'k', '5'],
  ['LINDEX', 'k', '-5'],
  ['LPOS', 'k', 'foo', 'RANK', '1'],
  ['LPOS', 'k', 'foo', 'RANK', '-1'],
  ['LPOS', 'k', '9223372036854775808'],
  ['LPOS', 'k', '-0'],
  ['LPOS', 'k', '0', 'COUNT', '0'],
  ['LREM', 'k', '0', '01'],
  ['LINSERT', 'k', 'AFTER', '12', '13'],
  ['LRANGE', 'k', '0', '-1'],
  ['LPOP', 'k', '3'],
];

/** Regressions list.tcl checks with quicklist knobs; CONFIG SET makes nodes small and compressed here too. */
const quicklistShapes: Script = [
  ['CONFIG', 'SET', 'list-compress-depth', '2'],
  ['CONFIG', 'SET', 'list-max-ziplist-size', '1'],
  ...['a', 'b', 'c', 'd'].map((ch) => ['LPUSH', 'list1', ch.repeat(500)]),
  ...['e', 'f', 'g', 'j'].map((ch) => ['LINSERT', 'list1', 'after', 'd'.repeat(500), ch.repeat(500)]),
  ...Array.from({ length: 9 }, () => ['LPOP', 'list1']),
  ['LPUSH', 'list2', 'a'.repeat(500)],
  ['LINSERT', 'list2', 'after', 'a'.repeat(500), 'b'.repeat(500)],
  ['RPUSH', 'list2', 'c'.repeat(500)],
  ['LINDEX', 'list2', '1'],
  ['LTRIM', 'list2', '1', '-1'],
  ['LLEN', 'list2'],
  ['LPUSH', 'list3', 'a'.repeat(500)],
  ['LSET', 'list3', '0', 'b'.repeat(500)],
  ['LINDEX', 'list3', '0'],
  ['LPUSH', 'list3', 'c'.repeat(500)],
  ['LSET', 'list3', '0', 'd'.repeat(500)],
  ['LRANGE', 'list3', '0', '-1'],
  ['CONFIG', 'SET', 'list-compress-depth', '1'],
  ['CONFIG', 'SET', 'list-max-ziplist-size', '-2'],
  ['RPUSH', 'lst', 'x'.repeat(100)],
  ['RPUSH', 'lst', 'x'.repeat(32)],
  ['RPUSH', 'lst', 'x'.repeat(32)],
  ['LSET', 'lst', '-1', 'x'.repeat(100)],
  ['LRANGE', 'lst', '0', '-1'],
  ['DEL', 'lst'],
  ['LPUSH', 'lst', 'aa'],
  ['LPUSH', 'lst', 'bb'],
  ['LSET', 'lst', '-2', 'x'.repeat(10)],
  ['RPOP', 'lst'],
  ['LRANGE', 'lst', '0', '-1'],
  ['RPUSH', 'lst2', 'aa', 'bb'],
  ['LSET', 'lst2', '0', 'x'.repeat(11)],
  ['RPUSH', 'lst2', 'cc', 'dd'],
  ['LMOVE', 'lst2', 'lst3', 'RIGHT', 'LEFT'],
  ['LMOVE', 'lst2', 'lst3', 'LEFT', 'RIGHT'],
  ['LRANGE', 'lst2', '0', '-1'],
  ['LRANGE', 'lst3', '0', '-1'],
  ['LPOS', 'lst3', 'x'.repeat(11)],
  ['LREM', 'lst3', '-2', 'dd'],
  ['LRANGE', 'lst3', '0', '-1'],
  ['LREM', 'lst3', '-9223372036854775808', 'x'.repeat(11)],
  ['LREM', 'lst3', '9223372036854775808', 'x'],
  ['EXISTS', 'lst3'],
  ['CONFIG', 'SET', 'list-compress-depth', '0'],
  ['CONFIG', 'SET', 'list-max-ziplist-size', '-2'],
];

/** list-3.tcl: an explicit regression value, then random values of every encoding pushed and read back. */
function listEncodingStress(): Script {
  const r = rng(3343);
  const randInt = (max: number): string => String(Math.floor(r() * max));
  const randBig = (): string => {
    // Up to 2^64: two random halves.
    const v = (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
    return String(v);
  };
  const steps: ScriptStep[] = [
    ['DEL', 'l'],
    ['RPUSH', 'l', '49376042582'],
    ['RPUSH', 'l', 'BkG2o\\pIC]4YYJa9cJ4GWZalG[4tin;1D2whSkCOW`mX;SFXGyS8sedcff3fQI^tgPCC@^Nu1J6o]meM@Lko]t_jR'],
    ['LINDEX', 'l', '0'],
    ['LINDEX', 'l', '1'],
  ];
  for (let j = 0; j < 3; j++) {
    const cmds: string[][] = [['DEL', 'l']];
    for (let i = 0; i < 200; i++) {
      const pick = Math.floor(r() * 7);
      let v: string;
      if (pick === 0) v = 'x'.repeat(Math.floor(r() * 20000));
      else if (pick === 1) v = randInt(65536);
      else if (pick === 2) v = randInt(4294967296);
      else if (pick === 3) v = randBig();
      else if (pick === 4) v = '-' + randInt(65536);
      else if (pick === 5) v = '-' + randInt(4294967296);
      else v = '-' + randBig();
      if (v === '-0') v = '0';
      cmds.push(['RPUSH', 'l', v]);
    }
    cmds.push(['LLEN', 'l']);
    for (let i = 199; i >= 0; i--) cmds.push(['LINDEX', 'l', String(i)]);
    steps.push(pipeline(cmds));
  }
  for (let j = 0; j < 10; j++) {
    const cmds: string[][] = [['DEL', 'l']];
    const len = Math.floor(r() * 400);
    for (let i = 0; i < len; i++) {
      const pick = Math.floor(r() * 3);
      const v = pick === 0 ? randInt(1000000) : pick === 1 ? '-' + randBig() : 'v'.repeat(Math.floor(r() * 80));
      cmds.push([r() < 0.5 ? 'RPUSH' : 'LPUSH', 'l', v]);
    }
    cmds.push(['LLEN', 'l']);
    for (let i = 0; i < len; i++) cmds.push(['LINDEX', 'l', String(i)]);
    steps.push(pipeline(cmds));
  }
  return steps;
}

/** list-2.tcl: LTRIM with random ranges, refilled with random integers after each trim. */
function ltrimStress(): Script {
  const r = rng(42);
  const steps: ScriptStep[] = [];
  for (const large of VALUES) {
    const cmds: string[][] = [
      ['DEL', 'mylist'],
      ['RPUSH', 'mylist', large],
    ];
    const startlen = 32;
    let len = 1;
    const randStr = (): string => String(BigInt(Math.floor(r() * 2 ** 31)) * BigInt(Math.floor(r() * 2 ** 32)));
    for (let i = 0; i < startlen; i++, len++) cmds.push(['RPUSH', 'mylist', randStr()]);
    for (let i = 0; i < 300; i++) {
      const min = Math.floor(r() * startlen);
      const max = min + Math.floor(r() * startlen);
      cmds.push(['LLEN', 'mylist'], ['LTRIM', 'mylist', String(min), String(max)], ['LRANGE', 'mylist', '0', '-1']);
      len = Math.max(0, Math.min(len - 1, max) - min + 1);
      for (let j = len; j < startlen; j++, len++) cmds.push(['RPUSH', 'mylist', randStr()]);
    }
    cmds.push(['LRANGE', 'mylist', '0', '-1']);
    steps.push(pipeline(cmds));
  }
  return steps;
}

// --- hash.tcl -------------------------------------------------------------------------------------------------

/** Small hashes are listpacks on both servers, listed in insertion order: compare those listings exactly. */
const EXACT: Readonly<Record<string, CompareMode>> = { HGETALL: 'exact', HKEYS: 'exact', HVALS: 'exact' };

function smallHash(): { fields: string[][]; steps: ScriptStep[] } {
  const r = rng(8);
  const word = (): string => {
    const n = Math.floor(r() * 9);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(97 + Math.floor(r() * 26));
    return '__avoid_collisions__' + s;
  };
  const fields: string[][] = [];
  const seen = new Set<string>();
  while (fields.length < 8) {
    const k = word();
    if (seen.has(k)) continue;
    seen.add(k);
    fields.push([k, word()]);
  }
  return { fields, steps: fields.map(([k, v]) => ['HSET', 'smallhash', k!, v!]) };
}

function bigHashSteps(): ScriptStep[] {
  const r = rng(1024);
  const cmds: string[][] = [];
  for (let i = 0; i < 1024; i++)
    cmds.push(['HSET', 'bighash', `__avoid_collisions__${i}_${r().toString(36)}`, `v${i}`]);
  return [pipeline(cmds)];
}

const small = smallHash();
const sk = small.fields.map(([k]) => k!);

const hashBasics: Script = [
  ...small.steps,
  ['HLEN', 'smallhash'],
  ['OBJECT', 'ENCODING', 'smallhash'],
  ...bigHashSteps(),
  ['HLEN', 'bighash'],
  ['OBJECT', 'ENCODING', 'bighash'],
  pipeline(sk.map((k) => ['HGET', 'smallhash', k])),
  ['HGET', 'smallhash', '__123123123__'],
  ['HGET', 'bighash', '__123123123__'],
  ['HSET', 'smallhash', sk[0]!, 'newval1'],
  ['HGET', 'smallhash', sk[0]!],
  ['HSET', 'smallhash', '__foobar123__', 'newval'],
  ['HSET', 'bighash', '__foobar123__', 'newval'],
  ['HSET', 'bighash', '__foobar123__', 'newval2'],
  ['HGET', 'bighash', '__foobar123__'],
  ['HDEL', 'smallhash', '__foobar123__'],
  ['HDEL', 'bighash', '__foobar123__'],
  ['HSETNX', 'smallhash', '__123123123__', 'foo'],
  ['HGET', 'smallhash', '__123123123__'],
  ['HSETNX', 'smallhash', '__123123123__', 'bar'],
  ['HGET', 'smallhash', '__123123123__'],
  ['HDEL', 'smallhash', '__123123123__'],
  ['HSETNX', 'bighash', '__123123123__', 'foo'],
  ['HGET', 'bighash', '__123123123__'],
  ['HSETNX', 'bighash', '__123123123__', 'bar'],
  ['HGET', 'bighash', '__123123123__'],
  ['HDEL', 'bighash', '__123123123__'],
  ['HSETNX', 'newhash', 'f', 'v'],
  ['HSETNX', 'newhash', 'f'],
  ['HSETNX', 'newhash', 'f', 'v', 'x'],
  ['HSET', 'smallhash', 'key1', 'val1', 'key2'],
  ['HMSET', 'smallhash', 'key1', 'val1', 'key2'],
  ['HSET', 'smallhash', 'key1'],
  ['HMSET', 'smallhash', ...small.fields.flatMap(([k]) => [k!, 'nv_' + k!])],
  ['HMGET', 'smallhash', ...sk],
  ['HMGET', 'doesntexist', '__123123123__', '__456456456__'],
  ['HMGET', 'smallhash', '__123123123__', '__456456456__'],
  ['HMGET', 'bighash', '__123123123__', '__456456456__'],
  ['HKEYS', 'smallhash'],
  ['HVALS', 'smallhash'],
  ['HGETALL', 'smallhash'],
  { args: ['HKEYS', 'bighash'], mode: 'unordered' },
  { args: ['HVALS', 'bighash'], mode: 'unordered' },
  { args: ['HGETALL', 'bighash'], mode: 'unordered-pairs' },
  ['DEL', 'htest'],
  ['HGETALL', 'htest'],
  ['HKEYS', 'htest'],
  ['HVALS', 'htest'],
  // HDEL and its reply.
  ['HDEL', 'smallhash', 'nokey'],
  ['HDEL', 'bighash', 'nokey'],
  ['HDEL', 'smallhash', sk[1]!],
  ['HDEL', 'smallhash', sk[1]!],
  ['HGET', 'smallhash', sk[1]!],
  ['HDEL', 'nohash', 'a'],
  ['HDEL', 'smallhash'],
  ['DEL', 'myhash'],
  ['HMSET', 'myhash', 'a', '1', 'b', '2', 'c', '3'],
  ['HDEL', 'myhash', 'x', 'y'],
  ['HDEL', 'myhash', 'a', 'c', 'f'],
  ['HGETALL', 'myhash'],
  ['DEL', 'myhash'],
  ['HMSET', 'myhash', 'a', '1', 'b', '2', 'c', '3'],
  ['HDEL', 'myhash', 'a', 'b', 'c', 'd', 'e'],
  ['EXISTS', 'myhash'],
  ['HMSET', 'myhash', 'a', '1', 'a', '2'],
  ['HDEL', 'myhash', 'a', 'a'],
  ['EXISTS', 'myhash'],
  // HEXISTS.
  ['HEXISTS', 'smallhash', sk[2]!],
  ['HEXISTS', 'smallhash', 'nokey'],
  ['HEXISTS', 'bighash', '__foobar123__'],
  ['HEXISTS', 'bighash', 'nokey'],
  ['HEXISTS', 'nohash', 'nokey'],
  // A listpack hash becomes a hashtable on a big payload.
  ['HSET', 'smallhash', 'foo', 'a'.repeat(1024)],
  ['OBJECT', 'ENCODING', 'smallhash'],
  ['HGET', 'smallhash', 'foo'],
  ['HSTRLEN', 'smallhash', 'foo'],
];

const hashWrongType: Script = [
  ['SET', 'wrongtype', 'somevalue'],
  ['HMGET', 'wrongtype', 'field1', 'field2'],
  ['HRANDFIELD', 'wrongtype'],
  ['HRANDFIELD', 'wrongtype', '1'],
  ['HRANDFIELD', 'wrongtype', '0'],
  ['HRANDFIELD', 'wrongtype', 'x'],
  ['HGET', 'wrongtype', 'field1'],
  ['HGETALL', 'wrongtype'],
  ['HDEL', 'wrongtype', 'field1'],
  ['HINCRBY', 'wrongtype', 'field1', '2'],
  ['HINCRBYFLOAT', 'wrongtype', 'field1', '2.5'],
  ['HSTRLEN', 'wrongtype', 'field1'],
  ['HVALS', 'wrongtype'],
  ['HKEYS', 'wrongtype'],
  ['HEXISTS', 'wrongtype', 'field1'],
  ['HSET', 'wrongtype', 'field1', 'val1'],
  ['HMSET', 'wrongtype', 'field1', 'val1', 'field2', 'val2'],
  ['HSETNX', 'wrongtype', 'field1', 'val1'],
  ['HLEN', 'wrongtype'],
  ['HSCAN', 'wrongtype', '0'],
  ['HINCRBY', 'wrongtype', 'field1', 'x'],
  ['HINCRBYFLOAT', 'wrongtype', 'field1', 'x'],
  ['GET', 'wrongtype'],
];

const hincr: Script = [
  ['DEL', 'htest'],
  ['HINCRBY', 'htest', 'foo', '2'],
  ['DEL', 'incrhash'],
  ['HSET', 'incrhash', 'field', '5'],
  ['HINCRBY', 'incrhash', 'field', 'v'],
  ['HINCRBYFLOAT', 'incrhash', 'field', 'v'],
  ['HINCRBY', 'incrhash', 'field', '1.5'],
  ['HINCRBY', 'incrhash', 'field', '9223372036854775808'],
  ['HINCRBYFLOAT', 'incrhash', 'field', ''],
  ...['small', 'big'].flatMap((kind): ScriptStep[] => {
    const h = `${kind}hash`;
    return [
      ['HSET', h, 'seed', kind === 'big' ? 'x'.repeat(100) : 'x'],
      ['HDEL', h, 'tmp'],
      ['HINCRBY', h, 'tmp', '2'],
      ['HGET', h, 'tmp'],
      ['HINCRBY', h, 'tmp', '3'],
      ['HGET', h, 'tmp'],
      ['HSET', h, 'tmp', '100'],
      ['HINCRBY', h, 'tmp', '2'],
      ['HSET', h, 'tmp', '17179869184'],
      ['HINCRBY', h, 'tmp', '1'],
      ['HSET', h, 'tmp', '17179869184'],
      ['HINCRBY', h, 'tmp', '17179869184'],
      ['HSET', h, 'str', ' 11'],
      ['HINCRBY', h, 'str', '1'],
      ['HSET', h, 'str', '11 '],
      ['HINCRBY', h, 'str', '1'],
      ['HSET', h, 'str', '011'],
      ['HINCRBY', h, 'str', '1'],
      ['HSET', h, 'str', '+11'],
      ['HINCRBY', h, 'str', '1'],
      ['HSET', h, 'str', ''],
      ['HINCRBY', h, 'str', '1'],
      ['HDEL', h, 'tmp'],
      ['HINCRBYFLOAT', h, 'tmp', '2.5'],
      ['HGET', h, 'tmp'],
      ['HINCRBYFLOAT', h, 'tmp', '3.5'],
      ['HGET', h, 'tmp'],
      ['HSET', h, 'tmp', '100'],
      ['HINCRBYFLOAT', h, 'tmp', '2.5'],
      ['HSET', h, 'tmp', '17179869184'],
      ['HINCRBYFLOAT', h, 'tmp', '1'],
      ['HSET', h, 'tmp', '17179869184'],
      ['HINCRBYFLOAT', h, 'tmp', '17179869184'],
      ['HSET', h, 'str', ' 11'],
      ['HINCRBYFLOAT', h, 'str', '1'],
      ['HSET', h, 'str', '11 '],
      ['HINCRBYFLOAT', h, 'str', '1'],
      ['HSET', h, 'str', '1\x002'],
      ['HINCRBYFLOAT', h, 'str', '1'],
      ['HGET', h, 'str'],
      ['OBJECT', 'ENCODING', h],
    ];
  }),
  ['HSET', 'hash', 'n', '-9223372036854775484'],
  ['HINCRBY', 'hash', 'n', '-1'],
  ['HINCRBY', 'hash', 'n', '-10000'],
  ['HGET', 'hash', 'n'],
  ['HSET', 'hash', 'p', '9223372036854775807'],
  ['HINCRBY', 'hash', 'p', '1'],
  ['HINCRBY', 'hash', 'p', '0'],
  ['HINCRBY', 'hash', 'p', '-9223372036854775808'],
  ['HINCRBYFLOAT', 'hash', 'p', '1'],
  ['DEL', 'htest'],
  ['HINCRBYFLOAT', 'htest', 'foo', '2.5'],
  // Correct float representation (issue #2846).
  ['DEL', 'myhash'],
  ['HINCRBYFLOAT', 'myhash', 'float', '1.23'],
  ['HINCRBYFLOAT', 'myhash', 'float', '0.77'],
  ['HINCRBYFLOAT', 'myhash', 'float', '-0.1'],
  ['HINCRBYFLOAT', 'myhash', 'float', '1e2'],
  ['HINCRBYFLOAT', 'myhash', 'float', '-101.9'],
  ['HGET', 'myhash', 'float'],
  ['HINCRBYFLOAT', 'myhash', 'float', '5.0e3'],
  ['HINCRBYFLOAT', 'myhash', 'float', '0x10'],
  ['HINCRBYFLOAT', 'myhash', 'float', '1e400'],
  ['HSET', 'myhash', 'big', '1e308'],
  ['HINCRBYFLOAT', 'myhash', 'big', '1e308'],
  ['HGET', 'myhash', 'big'],
  // NaN and infinity are refused, and leave no key behind.
  ['HINCRBYFLOAT', 'hfoo', 'field', '+inf'],
  ['HINCRBYFLOAT', 'hfoo', 'field', '-inf'],
  ['HINCRBYFLOAT', 'hfoo', 'field', 'nan'],
  ['HINCRBYFLOAT', 'hfoo', 'field', 'inf'],
  ['EXISTS', 'hfoo'],
  ['HSET', 'hfoo', 'field', 'inf'],
  ['HINCRBYFLOAT', 'hfoo', 'field', '1'],
  ['HINCRBY', 'hfoo', 'field', '1'],
  // The value grows over 64 bytes (listpack → hashtable), or a long field appears.
  ['DEL', 'smallhash', 'bighash'],
  ['HSET', 'smallhash', 'tmp', '0'],
  ['HINCRBYFLOAT', 'smallhash', 'tmp', '0.000005'],
  ['OBJECT', 'ENCODING', 'smallhash'],
  ['HINCRBYFLOAT', 'bighash', 'a'.repeat(64), '1'],
  ['OBJECT', 'ENCODING', 'bighash'],
  ['HINCRBYFLOAT', 'bighash', 'a'.repeat(65), '1'],
  ['OBJECT', 'ENCODING', 'bighash'],
  ['HINCRBY', 'bighash2', 'a'.repeat(65), '1'],
  ['OBJECT', 'ENCODING', 'bighash2'],
];

const hstrlen: Script = [
  ...small.steps,
  ...bigHashSteps(),
  pipeline(sk.map((k) => ['HSTRLEN', 'smallhash', k])),
  ['HSTRLEN', 'smallhash', '__123123123__'],
  ['HSTRLEN', 'bighash', '__123123123__'],
  ['HSTRLEN', 'nohash', 'f'],
  ...['-9223372036854775808', '9223372036854775807', '9223372036854775808', '', '0', '-1', 'x', '1.5', '00'].flatMap(
    (v): ScriptStep[] => [
      ['HMSET', 'smallhash', 'field', v],
      ['HMSET', 'bighash', 'field', v],
      ['HSTRLEN', 'smallhash', 'field'],
      ['HSTRLEN', 'bighash', 'field'],
      ['HGET', 'smallhash', 'field'],
    ],
  ),
  ['HSTRLEN', 'smallhash'],
  ['HSTRLEN', 'smallhash', 'a', 'b'],
];

const hrandfield: Script = [
  ['DEL', 'myhash'],
  ['HMSET', 'myhash', 'a', '1'],
  // With one field every form is deterministic.
  ['HRANDFIELD', 'myhash', '3', 'WITHVALUES'],
  ['HRANDFIELD', 'myhash', '3'],
  ['HRANDFIELD', 'myhash', '-3', 'WITHVALUES'],
  ['HRANDFIELD', 'myhash', '-3'],
  ['HRANDFIELD', 'myhash', '1', 'withvalues'],
  ['HRANDFIELD', 'myhash', '-1'],
  ['HRANDFIELD', 'myhash'],
  ['HRANDFIELD', 'myhash', '0'],
  ['HRANDFIELD', 'myhash', '0', 'WITHVALUES'],
  ['HRANDFIELD', 'myhash', '-9223372036854770000', 'withvalues'],
  ['HRANDFIELD', 'myhash', '-9223372036854775808', 'withvalues'],
  ['HRANDFIELD', 'myhash', '-9223372036854775808'],
  ['HRANDFIELD', 'myhash', '-4611686018427387904', 'withvalues'],
  ['HRANDFIELD', 'myhash', '9223372036854775808'],
  ['HRANDFIELD', 'myhash', 'x'],
  ['HRANDFIELD', 'myhash', '1', 'WITHSCORES'],
  ['HRANDFIELD', 'myhash', '1', 'WITHVALUES', 'x'],
  ['HRANDFIELD', 'nonexisting_key', '100'],
  ['HRANDFIELD', 'nonexisting_key', '-100', 'WITHVALUES'],
  ['HRANDFIELD', 'nonexisting_key', '0'],
  ['HRANDFIELD', 'nonexisting_key'],
  ['HRANDFIELD', 'nonexisting_key', 'x'],
  ['HRANDFIELD', 'nonexisting_key', '1', 'bad'],
  // A count at least the hash's size gives the whole hash.
  ['HMSET', 'myhash', 'b', '2', 'c', '3', 'd', '4', 'e', '5', '6', 'f', '7', 'g', '8', 'h', '9', 'i', '10', 'j'],
  { args: ['HRANDFIELD', 'myhash', '10'], mode: 'unordered' },
  { args: ['HRANDFIELD', 'myhash', '20'], mode: 'unordered' },
  { args: ['HRANDFIELD', 'myhash', '20', 'WITHVALUES'], mode: 'unordered' },
  ['HRANDFIELD', 'myhash', '-20', 'WITHVALUES'],
  ['HRANDFIELD', 'myhash', '8'],
  ['HRANDFIELD', 'myhash', '2', 'WITHVALUES'],
  ['HSET', 'myhash', 'long', 'v'.repeat(100)],
  { args: ['HRANDFIELD', 'myhash', '11', 'WITHVALUES'], mode: 'unordered' },
];

/** "Hash fuzzing #1/#2": random fields and values set and deleted, then every field read back. */
function hashFuzz(): Script {
  const r = rng(512);
  const randomValue = (): string => {
    const p = Math.floor(r() * 4);
    if (p === 0) return String(Math.floor(r() * 1000));
    if (p === 1) return String(Math.floor((r() - 0.5) * 2 ** 40));
    if (p === 2) return 'f' + Math.floor(r() * 100000).toString(36);
    return 'x'.repeat(Math.floor(r() * 100));
  };
  const steps: ScriptStep[] = [];
  for (const size of [10, 512]) {
    for (let times = 0; times < 3; times++) {
      const model = new Map<string, string>();
      const cmds: string[][] = [['DEL', 'hash']];
      for (let j = 0; j < size; j++) {
        const p = Math.floor(r() * 3);
        if (p === 0) {
          const f = randomValue();
          const v = randomValue();
          cmds.push(['HSET', 'hash', f, v]);
          model.set(f, v);
        } else if (p === 1) {
          const f = String(Math.floor((r() - 0.5) * 1024));
          const v = String(Math.floor((r() - 0.5) * 1024));
          cmds.push(['HSET', 'hash', f, v]);
          model.set(f, v);
        } else {
          const f = r() < 0.5 ? randomValue() : String(Math.floor((r() - 0.5) * 1024));
          cmds.push(['HDEL', 'hash', f]);
          model.delete(f);
        }
      }
      for (const k of model.keys()) cmds.push(['HGET', 'hash', k]);
      cmds.push(['HLEN', 'hash'], ['OBJECT', 'ENCODING', 'hash']);
      steps.push(pipeline(cmds));
      steps.push({ args: ['HGETALL', 'hash'], mode: 'unordered-pairs' });
    }
  }
  return steps;
}

const hashMisc: Script = [
  // Hash ziplist regression test for large keys.
  ['HSET', 'hash', 'k'.repeat(336), 'a'],
  ['HSET', 'hash', 'k'.repeat(336), 'b'],
  ['HGET', 'hash', 'k'.repeat(336)],
  ['HLEN', 'hash'],
  // Hash ziplist of various encodings (without DUMP/RESTORE).
  ['DEL', 'k'],
  ['HSET', 'k', 'ZIP_INT_8B', '127'],
  ['HSET', 'k', 'ZIP_INT_16B', '32767'],
  ['HSET', 'k', 'ZIP_INT_32B', '2147483647'],
  ['HSET', 'k', 'ZIP_INT_64B', '9223372036854775808'],
  ['HSET', 'k', 'ZIP_INT_IMM_MIN', '0'],
  ['HSET', 'k', 'ZIP_INT_IMM_MAX', '12'],
  ['HSET', 'k', 'ZIP_STR_06B', 'x'.repeat(31)],
  ['HGETALL', 'k'],
  ['OBJECT', 'ENCODING', 'k'],
  ['HSET', 'k', 'ZIP_STR_14B', 'x'.repeat(8191)],
  ['HSET', 'k', 'ZIP_STR_32B', 'x'.repeat(65535)],
  ['OBJECT', 'ENCODING', 'k'],
  { args: ['HGETALL', 'k'], mode: 'unordered-pairs' },
  ['HSTRLEN', 'k', 'ZIP_STR_32B'],
  // The conversion by entry count (128 fields).
  pipeline(Array.from({ length: 128 }, (_, i) => ['HSET', 'cnt', `f${i}`, String(i)])),
  ['OBJECT', 'ENCODING', 'cnt'],
  ['HSET', 'cnt', 'f128', '128'],
  ['OBJECT', 'ENCODING', 'cnt'],
  ['HLEN', 'cnt'],
  ['HDEL', 'cnt', 'f128', 'f0'],
  ['OBJECT', 'ENCODING', 'cnt'],
  // HSCAN of a small hash returns everything at once, in order.
  ['HSCAN', 'k', '0'],
  ['HSCAN', 'smallh', '0'],
  ['HSET', 'smallh', 'a', '1', 'b', '2', 'c', '3'],
  { args: ['HSCAN', 'smallh', '0'], mode: 'exact' },
  { args: ['HSCAN', 'smallh', '0', 'MATCH', 'b*'], mode: 'exact' },
  { args: ['HSCAN', 'smallh', '0', 'COUNT', '1'], mode: 'exact' },
  ['HSCAN', 'smallh', '0', 'COUNT', '0'],
  ['HSCAN', 'smallh', 'x'],
  ['HSCAN', 'smallh', '0', 'BAD', '1'],
];

/** Cases the Tcl suite runs after CONFIG SET of the listpack limits (restored to the defaults at the end). */
function hashConfigured(): Script {
  const r = rng(32);
  const steps: ScriptStep[] = [
    ['CONFIG', 'SET', 'hash-max-ziplist-value', '10'],
    ['HSET', 'lp', 'a', '1', 'b', '2', 'c', '3'],
    ['OBJECT', 'ENCODING', 'lp'],
    ['HSET', 'ht', 'a', '1', 'b', '2', 'x'.repeat(80), '3'],
    ['OBJECT', 'ENCODING', 'ht'],
    { args: ['HRANDFIELD', 'lp', '3', 'WITHVALUES'], mode: 'unordered' },
    { args: ['HRANDFIELD', 'ht', '3', 'WITHVALUES'], mode: 'unordered' },
    { args: ['HRANDFIELD', 'ht', '-1'], mode: 'type' },
    ['CONFIG', 'SET', 'hash-max-listpack-value', '8'],
    ['DEL', 'smallhash', 'bighash'],
    ['HSET', 'smallhash', 'tmp', '0'],
    ['HSET', 'bighash', 'tmp', '0'],
    ['HINCRBYFLOAT', 'smallhash', 'tmp', '0.000005'],
    ['HINCRBYFLOAT', 'bighash', 'tmp', '0.0000005'],
    ['OBJECT', 'ENCODING', 'smallhash'],
    ['OBJECT', 'ENCODING', 'bighash'],
    ['DEL', 'smallhash', 'bighash'],
    ['HINCRBYFLOAT', 'smallhash', 'abcdefgh', '1'],
    ['HINCRBYFLOAT', 'bighash', 'abcdefghi', '1'],
    ['OBJECT', 'ENCODING', 'smallhash'],
    ['OBJECT', 'ENCODING', 'bighash'],
    ['HINCRBY', 'smallhash', 'abcdefgh', '100000000'],
    ['OBJECT', 'ENCODING', 'smallhash'],
    ['HSETNX', 'sn', 'f', '123456789'],
    ['OBJECT', 'ENCODING', 'sn'],
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', '1000000000'],
    ['CONFIG', 'SET', 'hash-max-ziplist-value', '1000000000'],
    ['DEL', 'k'],
    ['HSET', 'k', 'ZIP_INT_8B', '127', 'ZIP_INT_16B', '32767', 'ZIP_INT_32B', '2147483647'],
    ['HSET', 'k', 'ZIP_INT_64B', '9223372036854775808', 'ZIP_INT_IMM_MIN', '0', 'ZIP_INT_IMM_MAX', '12'],
    ['HSET', 'k', 'ZIP_STR_06B', 'x'.repeat(31), 'ZIP_STR_14B', 'x'.repeat(8191)],
    ['HSET', 'k', 'ZIP_STR_32B', 'x'.repeat(65535)],
    ['OBJECT', 'ENCODING', 'k'],
    ['HGETALL', 'k'],
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', '32'],
  ];
  const cmds: string[][] = [];
  for (let j = 0; j < 10; j++) {
    cmds.push(['DEL', 'myhash']);
    for (let i = 0; i < 64; i++) {
      cmds.push(['HSET', 'myhash', 'f' + Math.floor(r() * 1e6).toString(36), String(Math.floor(r() * 1e6))]);
      if (i === 31 || i === 32) cmds.push(['OBJECT', 'ENCODING', 'myhash'], ['HLEN', 'myhash']);
    }
    cmds.push(['OBJECT', 'ENCODING', 'myhash']);
  }
  steps.push(pipeline(cmds));
  steps.push(
    ['DEL', 'h32'],
    pipeline(Array.from({ length: 32 }, (_, i) => ['HSETNX', 'h32', `f${i}`, 'v'])),
    ['OBJECT', 'ENCODING', 'h32'],
    ['HSETNX', 'h32', 'f32', 'v'],
    ['OBJECT', 'ENCODING', 'h32'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
  );
  return steps;
}

const SCRIPTS: Record<string, Script> = {
  'LPOS: RANK, COUNT, MAXLEN': lpos,
  'LPUSH, RPUSH, LLEN, LINDEX, LPOP, RPOP; counts; wrong types': pushPopIndex,
  'LPUSHX, RPUSHX, LINSERT': pushxInsert,
  'LINDEX consistency over 250 and 500 elements': lindexConsistency,
  'RPOPLPUSH and LMOVE: base cases, same list, existing targets, wrong types': rpoplpushLmove,
  'LPOP/RPOP/LMPOP and illegal LMPOP arguments': popLmpop,
  'mass RPOP/LPOP': massPop,
  'LRANGE, LTRIM, LSET, LREM': rangeTrimSetRem,
  'blocking pops served at once, bad timeouts, inside MULTI': blockingServedAtOnce,
  'list values of every encoding': variousEncodings,
  'quicklist regressions with small, compressed nodes': quicklistShapes,
  'list-3: encoding stress': listEncodingStress(),
  'list-2: LTRIM stress': ltrimStress(),
  'hash: small and big hashes, HSETNX, HMSET, HMGET, HDEL, HEXISTS': hashBasics,
  'hash commands against the wrong type': hashWrongType,
  'HINCRBY and HINCRBYFLOAT': hincr,
  HSTRLEN: hstrlen,
  HRANDFIELD: hrandfield,
  'hash fuzzing': hashFuzz(),
  'hash: large keys, encodings, HSCAN': hashMisc,
  'hash encodings under CONFIG SET': hashConfigured(),
};

describe('Redis suite cases for lists and hashes', () => {
  scriptTests(SCRIPTS, getPair, { modes: EXACT });
});

// --- blocking with several connections ---------------------------------------------------------------------------

const ports = useRedisAndCairn();

/** The Tcl suite's bpop_command: the pop named `pop` on one or two keys. */
function bpop(pop: string, keys: string[], timeout: string): string[] {
  if (pop === 'BLMPOP_LEFT') return ['BLMPOP', timeout, String(keys.length), ...keys, 'left', 'count', '1'];
  if (pop === 'BLMPOP_RIGHT') return ['BLMPOP', timeout, String(keys.length), ...keys, 'right', 'count', '1'];
  return [pop, ...keys, timeout];
}

for (const resp of [2, 3] as const) {
  describe(`blocking suite cases with several connections (RESP${resp})`, () => {
    let ctl!: Duo;
    const { conn, fresh } = blockingScene(ports, resp, (c) => (ctl = c));

    test('LPUSH + DEL (+ SET) in MULTI does not wake a blocked pop; MULTI is isolated; variadic LPUSH', async () => {
      await fresh();
      const rd = await conn('rd');
      for (const pop of ['BLPOP', 'BLMPOP_LEFT']) {
        for (const withSet of [false, true]) {
          rd.send(bpop(pop, ['list'], '0'));
          await waitBlocked(ctl, 1);
          await ctl.call(['MULTI']);
          await ctl.call(['LPUSH', 'list', 'a']);
          await ctl.call(['DEL', 'list']);
          if (withSet) await ctl.call(['SET', 'list', 'foo']);
          await ctl.call(['EXEC']);
          await ctl.call(['DEL', 'list']);
          await ctl.call(['LPUSH', 'list', 'b']);
          await rd.expect(`${pop} after MULTI`);
        }
        rd.send(bpop(pop, ['list'], '0'));
        await waitBlocked(ctl, 1);
        await ctl.call(['MULTI']);
        await ctl.call(['LPUSH', 'list', 'a']);
        await ctl.call(['LPUSH', 'list', 'b']);
        await ctl.call(['LPUSH', 'list', 'c']);
        await ctl.call(['EXEC']);
        await rd.expect(`${pop} isolated from MULTI`);
        await ctl.call(['DEL', 'list']);
        rd.send(bpop(pop, ['blist'], '0'));
        await waitBlocked(ctl, 1);
        await ctl.call(['LPUSH', 'blist', 'foo', 'bar']);
        await rd.expect(`${pop} with variadic LPUSH`);
        await ctl.call(['LRANGE', 'blist', '0', '-1']);
        await ctl.call(['DEL', 'blist']);
      }
    });

    test('BLPOP with the same key several times; single empty list arguments; second key ready', async () => {
      await fresh();
      const rd = await conn('rd');
      rd.send(['BLPOP', 'list1', 'list2', 'list2', 'list1', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['LPUSH', 'list1', 'a']);
      await rd.expect('BLPOP list1');
      rd.send(['BLPOP', 'list1', 'list2', 'list2', 'list1', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['LPUSH', 'list2', 'b']);
      await rd.expect('BLPOP list2');
      for (const pop of ['BLPOP', 'BRPOP', 'BLMPOP_LEFT', 'BLMPOP_RIGHT']) {
        rd.send(bpop(pop, ['blist1'], '10'));
        await waitBlocked(ctl, 1);
        await ctl.call(['RPUSH', 'blist1', 'foo']);
        await rd.expect(`${pop} single empty list`);
        await ctl.call(['EXISTS', 'blist1'], ':0\r\n');
        // Fractional and hex timeouts, and ones that truncate to 0 ms (block forever).
        for (const timeout of [
          '5.5',
          '0x10',
          '-0.0001',
          '9223372036854775',
          '1e15',
          '9223372036854775.807',
          '-0.0009',
          '-0.001',
          '010',
          '-0',
        ]) {
          rd.send(bpop(pop, ['blist1'], timeout));
          await waitBlocked(ctl, 1);
          await ctl.call(['RPUSH', 'blist1', 'foo']);
          await rd.expect(`${pop} timeout ${timeout}`);
          await ctl.call(['EXISTS', 'blist1'], ':0\r\n');
        }
        for (const second of [false, true]) {
          rd.send(bpop(pop, ['blist1', 'blist2'], '10'));
          await waitBlocked(ctl, 1);
          await ctl.call(['RPUSH', second ? 'blist2' : 'blist1', 'foo']);
          await rd.expect(`${pop} arguments are empty`);
          await ctl.call(['EXISTS', 'blist1', 'blist2'], ':0\r\n');
        }
      }
    });

    test('timeouts and CLIENT UNBLOCK reply with a null array (or an error)', async () => {
      await fresh();
      const rd = await conn('rd');
      for (const pop of ['BLPOP', 'BRPOP', 'BLMPOP_LEFT', 'BLMPOP_RIGHT']) {
        await rd.call(bpop(pop, ['blist1', 'blist2'], '0.05'));
        await rd.call(bpop(pop, ['blist1'], '0.001'));
        // Rounded up to whole milliseconds: these time out at once rather than block forever.
        await rd.call(bpop(pop, ['blist1'], '0.0004'));
        await rd.call(bpop(pop, ['blist1'], '1e-400'));
        await rd.call(bpop(pop, ['blist1'], '4e-4951'));
      }
      await rd.call(['BRPOPLPUSH', 'foo_list', 'bar_list', '0.05']);
      await rd.call(['BLMOVE', 'foo_list', 'bar_list', 'LEFT', 'RIGHT', '0.05']);
      // CLIENT UNBLOCK: each server has its own id for the connection.
      const ids = {
        redis: /^:(\d+)/.exec((await rd.redis.call(['CLIENT', 'ID'])).toString('latin1'))![1]!,
        cairn: /^:(\d+)/.exec((await rd.cairn.call(['CLIENT', 'ID'])).toString('latin1'))![1]!,
      };
      const unblock = async (extra: string[]): Promise<void> => {
        const [r, c] = await Promise.all([
          ctl.redis.call(['CLIENT', 'UNBLOCK', ids.redis, ...extra]),
          ctl.cairn.call(['CLIENT', 'UNBLOCK', ids.cairn, ...extra]),
        ]);
        if (r.toString('latin1') !== c.toString('latin1'))
          throw new Error(`CLIENT UNBLOCK replies differ: ${r.toString('latin1')} / ${c.toString('latin1')}`);
      };
      for (const pop of ['BLPOP', 'BLMPOP_RIGHT']) {
        for (const extra of [[], ['TIMEOUT'], ['ERROR']]) {
          rd.send(bpop(pop, ['l'], '0'));
          await waitBlocked(ctl, 1);
          await unblock(extra);
          await rd.expect(`${pop} unblocked ${extra.join(' ')}`);
        }
        await ctl.call(['CLIENT', 'UNBLOCK', 'asd']);
        await unblock([]);
        rd.send(bpop(pop, ['l'], '0'));
        await waitBlocked(ctl, 1);
        await ctl.call(['LPUSH', 'l', 'foo']);
        await rd.expect(`${pop} still works`);
      }
    });

    test('BRPOPLPUSH and BLMOVE: blocked, target BLPOPed, wrong types, several clients', async () => {
      await fresh();
      const rd = await conn('rd');
      const rd2 = await conn('rd2');
      await ctl.call(['RPUSH', 'target', 'bar']);
      rd.send(['BRPOPLPUSH', 'blist', 'target', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['RPUSH', 'blist', 'foo']);
      await rd.expect('BRPOPLPUSH');
      await ctl.call(['LRANGE', 'target', '0', '-1']);
      for (const from of ['left', 'right']) {
        for (const to of ['left', 'right']) {
          await ctl.call(['DEL', 'blist', 'target']);
          await ctl.call(['RPUSH', 'target', 'bar']);
          rd.send(['BLMOVE', 'blist', 'target', from, to, '0']);
          await waitBlocked(ctl, 1);
          await ctl.call(['RPUSH', 'blist', 'foo']);
          await rd.expect(`BLMOVE ${from} ${to}`);
          await ctl.call(['LRANGE', 'target', '0', '-1']);
          // A client BLPOPing the target list.
          await ctl.call(['DEL', 'blist', 'target']);
          rd2.send(['BLPOP', 'target', '0']);
          await waitBlocked(ctl, 1);
          rd.send(['BLMOVE', 'blist', 'target', from, to, '0']);
          await waitBlocked(ctl, 2);
          await ctl.call(['RPUSH', 'blist', 'foo']);
          await rd.expect('BLMOVE served');
          await rd2.expect('BLPOP of the target');
          await ctl.call(['EXISTS', 'target'], ':0\r\n');
        }
      }
      // Wrong source / destination type, immediately and when served.
      await ctl.call(['DEL', 'blist', 'target']);
      await ctl.call(['SET', 'blist', 'nolist']);
      await rd.call(['BRPOPLPUSH', 'blist', 'target', '1']);
      await ctl.call(['DEL', 'blist']);
      await ctl.call(['SET', 'target', 'nolist']);
      await ctl.call(['LPUSH', 'blist', 'foo']);
      await rd.call(['BRPOPLPUSH', 'blist', 'target', '1']);
      await ctl.call(['DEL', 'blist']);
      rd.send(['BRPOPLPUSH', 'blist', 'target', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['RPUSH', 'blist', 'foo']);
      await rd.expect('BRPOPLPUSH to a wrong type');
      await ctl.call(['LRANGE', 'blist', '0', '-1']);
      await ctl.call(['DEL', 'blist']);
      rd.send(['BRPOPLPUSH', 'blist', 'target', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['RPUSH', 'blist', 'a', 'b', 'c']);
      await rd.expect('BRPOPLPUSH maintains order after failure');
      await ctl.call(['LRANGE', 'blist', '0', '-1']);
      // Several blocked clients, the first failing.
      await ctl.call(['DEL', 'blist', 'target', 'target2']);
      await ctl.call(['SET', 'target1', 'nolist']);
      rd.send(['BRPOPLPUSH', 'blist', 'target1', '0']);
      await waitBlocked(ctl, 1);
      rd2.send(['BRPOPLPUSH', 'blist', 'target2', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['LPUSH', 'blist', 'foo']);
      await rd.expect('first BRPOPLPUSH');
      await rd2.expect('second BRPOPLPUSH');
      await ctl.call(['LRANGE', 'target2', '0', '-1']);
    });

    test('BLMPOP with several blocked clients; linked, circular and self-referential moves', async () => {
      await fresh();
      const rds = await Promise.all(['rd1', 'rd2', 'rd3', 'rd4'].map(conn));
      const [rd1, rd2, rd3, rd4] = rds as [Duo, Duo, Duo, Duo];
      rd1.send(['BLMPOP', '0', '2', 'blist', 'blist2', 'left', 'count', '1']);
      await waitBlocked(ctl, 1);
      rd2.send(['BLMPOP', '0', '2', 'blist', 'blist2', 'right', 'count', '10']);
      await waitBlocked(ctl, 2);
      rd3.send(['BLMPOP', '0', '2', 'blist', 'blist2', 'left', 'count', '10']);
      await waitBlocked(ctl, 3);
      rd4.send(['BLMPOP', '0', '2', 'blist', 'blist2', 'right', 'count', '1']);
      await waitBlocked(ctl, 4);
      await ctl.call(['MULTI']);
      await ctl.call(['LPUSH', 'blist', 'a', 'b', 'c', 'd', 'e']);
      await ctl.call(['LPUSH', 'blist2', '1', '2', '3', '4', '5']);
      await ctl.call(['EXEC']);
      await rd1.expect('rd1');
      await rd2.expect('rd2');
      await rd3.expect('rd3');
      await ctl.call(['LPUSH', 'blist2', '1', '2', '3']);
      await rd4.expect('rd4');
      await ctl.call(['LRANGE', 'blist2', '0', '-1']);

      await ctl.call(['DEL', 'list1', 'list2', 'list3']);
      rd1.send(['BLMOVE', 'list1', 'list2', 'right', 'left', '0']);
      await waitBlocked(ctl, 1);
      rd2.send(['BLMOVE', 'list2', 'list3', 'left', 'right', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['RPUSH', 'list1', 'foo']);
      await rd1.expect('linked 1');
      await rd2.expect('linked 2');
      await ctl.call(['LRANGE', 'list1', '0', '-1']);
      await ctl.call(['LRANGE', 'list2', '0', '-1']);
      await ctl.call(['LRANGE', 'list3', '0', '-1']);

      await ctl.call(['DEL', 'list1', 'list2', 'list3']);
      rd1.send(['BRPOPLPUSH', 'list1', 'list2', '0']);
      await waitBlocked(ctl, 1);
      rd2.send(['BRPOPLPUSH', 'list2', 'list1', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['RPUSH', 'list1', 'foo']);
      await rd1.expect('circular 1');
      await rd2.expect('circular 2');
      await ctl.call(['LRANGE', 'list1', '0', '-1']);
      await ctl.call(['LRANGE', 'list2', '0', '-1']);

      await ctl.call(['DEL', 'blist']);
      rd1.send(['BRPOPLPUSH', 'blist', 'blist', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['RPUSH', 'blist', 'foo']);
      await rd1.expect('self-referential');
      await ctl.call(['LRANGE', 'blist', '0', '-1']);

      // Regression for bug 593: chained BRPOPLPUSH with clients closed afterwards.
      await ctl.call(['DEL', 'a', 'b', 'c']);
      rd3.sendRaw('*4\r\n$10\r\nBRPOPLPUSH\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n0\r\n');
      rd4.send(['BRPOPLPUSH', 'b', 'c', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['LPUSH', 'a', 'data']);
      await rd3.expect('bug 593 a→b');
      await rd4.expect('bug 593 b→c');
      await ctl.call(['LRANGE', 'c', '0', '-1']);
      await ctl.call(['PING'], '+PONG\r\n');
    });

    test('WATCH sees the push of a served BRPOPLPUSH, not a still-blocked one', async () => {
      await fresh();
      const blocked = await conn('blocked');
      const watching = await conn('watching');
      await ctl.call(['SET', 'somekey', 'somevalue']);
      blocked.send(['BRPOPLPUSH', 'srclist', 'dstlist', '0']);
      await waitBlocked(ctl, 1);
      await watching.call(['WATCH', 'dstlist']);
      await watching.call(['MULTI']);
      await watching.call(['GET', 'somekey']);
      await ctl.call(['LPUSH', 'srclist', 'element']);
      await blocked.expect('served');
      await watching.call(['EXEC']);

      await ctl.call(['DEL', 'srclist', 'dstlist']);
      blocked.send(['BRPOPLPUSH', 'srclist', 'dstlist', '0']);
      await waitBlocked(ctl, 1);
      await watching.call(['WATCH', 'dstlist']);
      await watching.call(['MULTI']);
      await watching.call(['GET', 'somekey']);
      await watching.call(['EXEC']);
      await ctl.call(['LPUSH', 'srclist', 'element']);
      await blocked.expect('served');
    });

    test('a key moved into place (RENAME, SORT STORE) or SWAPDB wakes a blocked pop', async () => {
      await fresh();
      const rd = await conn('rd');
      for (const pop of ['BLPOP', 'BLMPOP_LEFT']) {
        await ctl.call(['DEL', 'foo']);
        rd.send(bpop(pop, ['foo'], '0'));
        await waitBlocked(ctl, 1);
        await ctl.call(['LPUSH', 'bob', 'abc', 'def', 'hij']);
        await ctl.call(['RENAME', 'bob', 'foo']);
        await rd.expect(`${pop} RENAME`);
        await ctl.call(['DEL', 'foo']);
        rd.send(bpop(pop, ['foo'], '5'));
        await waitBlocked(ctl, 1);
        await ctl.call(['LPUSH', 'notfoo', 'hello', 'hola', 'aguacate', 'konichiwa', 'zanzibar']);
        await ctl.call(['SORT', 'notfoo', 'ALPHA', 'STORE', 'foo']);
        await rd.expect(`${pop} SORT STORE`);
        await ctl.call(['DEL', 'foo', 'notfoo']);
      }
      await ctl.call(['SELECT', '1']);
      await ctl.call(['RPUSH', 'k', 'hello']);
      await ctl.call(['SELECT', '0']);
      await rd.call(['SELECT', '9']);
      rd.send(['BRPOP', 'k', '5']);
      await waitBlocked(ctl, 1);
      await ctl.call(['SWAPDB', '1', '9']);
      await rd.expect('SWAPDB');
      await rd.call(['SELECT', '0']);
      await ctl.call(['FLUSHALL']);
    });
  });
}
