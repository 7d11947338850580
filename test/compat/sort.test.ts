// Differential tests of SORT and SORT_RO against real Redis 7.0.15, in RESP2 and RESP3: BY (patterns, `->field`,
// nosort / constant patterns), LIMIT, GET (`#`, `->field`, missing), ASC/DESC, ALPHA, STORE (overwrite, delete
// on an empty result, sets sorted for determinism), lists / sets / sorted sets, number parsing, errors, the
// zset encoding conversion, COMMAND INFO/DOCS/GETKEYS rows, and random option combinations with fast-check.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { RawConnection } from '../support/resp.js';
import { startServer } from '../../src/index.js';
import { recordEffects } from '../support/effects.js';
import { sharedPair } from '../support/servers.js';
import {
  compareScripts,
  scriptTests,
  type CompareMode,
  type Script,
  type ScriptStep,
} from '../support/differential.js';

const getPair = sharedPair();

const SETUP: Script = [
  ['RPUSH', 'l', '3', '1', '2', '10', '-1.5', '1e2', '0x10', 'inf', '-inf', '', '2'],
  ['RPUSH', 'w', 'c', 'a', 'b', 'B', 'a', '\xff', '\x7f', 'a\x00z', 'a\x00b', 'aa'],
  ['SADD', 'si', '5', '3', '-2', '100', '7'],
  ['SADD', 'sh', 'x', 'y', 'z'],
  ['ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '2', 'bb', '0', 'zz'],
  ['MSET', 'w_c', '1', 'w_a', '3', 'w_b', '2', 'w_x', '10', 'w_y', '-5', 'w_z', '7', 'w_zz', '0', 'w_bb', '2'],
  ['MSET', 'n_c', 'gamma', 'n_a', 'alpha', 'n_b', 'beta', 'n_x', 'X', 'n_y', 'Y', 'n_zz', 'zeta', 'n_bb', 'bebe'],
  ['HSET', 'h_a', 'f', '5', 'g', 'ga'],
  ['HSET', 'h_b', 'f', '1', 'g', 'gb'],
  ['HSET', 'h_c', 'f', 'x1', 'g', 'gc'],
  ['RPUSH', 'l_a', 'x'],
];

const SCRIPTS: Record<string, Script> = {
  'plain numeric and alpha sorts': [
    ...SETUP,
    ['SORT', 'l'],
    ['SORT', 'l', 'DESC'],
    ['SORT', 'l', 'ASC'],
    ['SORT', 'l', 'ALPHA'],
    ['SORT', 'l', 'alpha', 'desc'],
    ['SORT', 'w', 'ALPHA'],
    ['SORT', 'w', 'ALPHA', 'DESC'],
    ['SORT', 'w'],
    ['SORT', 'si'],
    ['SORT', 'si', 'DESC'],
    ['SORT', 'si', 'ALPHA'],
    ['SORT', 'sh', 'ALPHA'],
    ['SORT', 'sh', 'ALPHA', 'DESC'],
    ['SORT', 'sh'],
    ['SORT', 'z', 'ALPHA'],
    ['SORT', 'z'],
    ['SORT', 'nokey'],
    ['SORT', 'nokey', 'ALPHA', 'LIMIT', '0', '5', 'GET', '#', 'STORE', 'dst'],
    ['SORT_RO', 'l'],
    ['SORT_RO', 'w', 'ALPHA', 'DESC'],
  ],
  LIMIT: [
    ...SETUP,
    ['SORT', 'si', 'LIMIT', '0', '2'],
    ['SORT', 'si', 'LIMIT', '1', '2'],
    ['SORT', 'si', 'LIMIT', '1', '-1'],
    ['SORT', 'si', 'LIMIT', '-3', '2'],
    ['SORT', 'si', 'LIMIT', '3', '0'],
    ['SORT', 'si', 'LIMIT', '4', '10'],
    ['SORT', 'si', 'LIMIT', '5', '10'],
    ['SORT', 'si', 'LIMIT', '50', '1'],
    ['SORT', 'si', 'LIMIT', '2', '9223372036854775807'],
    ['SORT', 'si', 'LIMIT', '9223372036854775807', '9223372036854775807'],
    ['SORT', 'si', 'LIMIT', '-9223372036854775808', '-9223372036854775808'],
    ['SORT', 'si', 'LIMIT', '0', '1', 'LIMIT', '2', '2'],
    ['SORT', 'si', 'DESC', 'LIMIT', '1', '2'],
    ['SORT', 'nokey', 'LIMIT', '1', '2'],
    ['SORT', 'si', 'LIMIT', 'x', '2'],
    ['SORT', 'si', 'LIMIT', '1', '2.5'],
    ['SORT', 'si', 'LIMIT', '1'],
    ['SORT', 'si', 'LIMIT'],
    ['SORT', 'si', 'LIMIT', '1', 'x', 'BOGUS'],
    ['SORT', 'si', 'BOGUS', 'LIMIT', '1', 'x'],
  ],
  'BY patterns and hash fields': [
    ...SETUP,
    ['SORT', 'w', 'BY', 'w_*', 'ALPHA'],
    ['SORT', 'z', 'BY', 'w_*'],
    ['SORT', 'z', 'BY', 'w_*', 'DESC'],
    ['SORT', 'z', 'BY', 'n_*', 'ALPHA'],
    ['SORT', 'z', 'BY', 'n_*', 'ALPHA', 'DESC'],
    ['SORT', 'z', 'BY', 'n_*'],
    ['SORT', 'sh', 'BY', 'w_*'],
    ['SORT', 'sh', 'BY', 'w_*', 'LIMIT', '1', '1'],
    ['RPUSH', 'hl', 'a', 'b', 'c', 'd'],
    ['SORT', 'hl', 'BY', 'h_*->f'],
    ['SORT', 'hl', 'BY', 'h_*->g', 'ALPHA'],
    ['SORT', 'hl', 'BY', 'h_*->g', 'ALPHA', 'DESC'],
    ['SORT', 'hl', 'BY', 'h_*->nofield', 'ALPHA'],
    ['SORT', 'hl', 'BY', 'h_*->'],
    ['SORT', 'hl', 'BY', 'l_*'],
    ['SORT', 'hl', 'BY', 'l_*', 'ALPHA'],
    ['SORT', 'hl', 'BY', '*'],
    ['SORT', 'hl', 'BY', 'h_*->f', 'LIMIT', '0', '2'],
    ['SORT', 'hl', 'BY', 'h_*->g', 'ALPHA', 'LIMIT', '1', '2', 'GET', '#', 'GET', 'h_*->f'],
    ['SORT', 'hl', 'BY', 'h_*->f', 'ALPHA', 'DESC', 'LIMIT', '0', '10'],
    ['SORT', 'hl', 'BY', '*_*', 'ALPHA'],
    ['SET', 'a_b', 'x'],
    ['SORT', 'hl', 'BY', 'a_*->f'],
  ],
  'BY without a star: no sorting': [
    ...SETUP,
    ['SORT', 'l', 'BY', 'nosort'],
    ['SORT', 'l', 'BY', 'nosort', 'DESC'],
    ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '2', '3'],
    ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '2', '3'],
    ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '20', '3'],
    ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '-20', '3'],
    ['SORT', 'l', 'BY', 'const', 'ALPHA', 'DESC'],
    ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'],
    ['SORT', 'z', 'BY', 'nosort'],
    ['SORT', 'z', 'BY', 'nosort', 'DESC'],
    ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2'],
    ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '3'],
    ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '4', '3'],
    ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '0', '0'],
    ['SORT', 'z', 'BY', 'nosort', 'GET', '#', 'GET', 'w_*'],
    ['SORT', 'si', 'BY', 'nosort'],
    ['SORT', 'si', 'BY', 'nosort', 'DESC'],
    ['SORT', 'si', 'BY', 'nosort', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'sh', 'BY', 'nosort', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'sh', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '1', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'w', 'BY', 'nosort'],
    ['SORT_RO', 'z', 'BY', 'nosort', 'DESC'],
    ['SORT', 'w', 'BY', 'x\x00*'],
  ],
  'GET patterns': [
    ...SETUP,
    ['SORT', 'z', 'GET', '#'],
    ['SORT', 'z', 'GET', 'w_*'],
    ['SORT', 'z', 'GET', 'n_*', 'GET', '#', 'GET', 'missing_*'],
    ['SORT', 'z', 'GET', 'nostar'],
    ['SORT', 'z', 'ALPHA', 'GET', 'h_*->g', 'GET', 'h_*->f', 'GET', 'h_*->none'],
    ['SORT', 'z', 'ALPHA', 'GET', 'l_*'],
    ['SORT', 'z', 'ALPHA', 'GET', 'h_*'],
    ['SORT', 'z', 'ALPHA', 'GET', '*', 'GET', '**', 'GET', '#x'],
    ['SORT', 'z', 'ALPHA', 'GET', 'h_*->'],
    ['SORT', 'z', 'ALPHA', 'DESC', 'LIMIT', '1', '2', 'GET', '#', 'GET', 'w_*'],
    ['SORT', 'z', 'ALPHA', 'LIMIT', '10', '2', 'GET', '#'],
    ['SORT_RO', 'z', 'ALPHA', 'GET', '#', 'GET', 'n_*'],
  ],
  STORE: [
    ...SETUP,
    ['SORT', 'l', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['TYPE', 'dst'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SET', 'str', 'v', 'EX', '100'],
    ['SORT', 'z', 'ALPHA', 'STORE', 'str'],
    ['TTL', 'str'],
    ['LRANGE', 'str', '0', '-1'],
    ['SORT', 'z', 'ALPHA', 'GET', 'w_*', 'GET', '#', 'GET', 'nope_*', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'z', 'LIMIT', '10', '10', 'STORE', 'dst'],
    ['EXISTS', 'dst'],
    ['SORT', 'z', 'LIMIT', '10', '10', 'STORE', 'dst'],
    ['SORT', 'nokey', 'STORE', 'str'],
    ['EXISTS', 'str'],
    ['SORT', 'w', 'ALPHA', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'w', 'ALPHA', 'DESC', 'STORE', 'w'],
    ['LRANGE', 'w', '0', '-1'],
    ['SORT', 'l', 'STORE', 'a', 'STORE', 'b'],
    ['EXISTS', 'a', 'b'],
    ['SORT', 'hl2', 'STORE'],
    ['RPUSH', 'hl', 'a', 'b', 'c'],
    ['SORT', 'hl', 'BY', 'h_*->g', 'ALPHA', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'sh', 'BY', 'w_*', 'GET', '#', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'l', 'ALPHA', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['SORT_RO', 'l', 'STORE', 'dst'],
    ['SORT_RO', 'l', 'ALPHA', 'STORE'],
  ],
  // Redis never clears errno before strtod, so after an out-of-range number it keeps failing until some system
  // call resets errno (a new connection's accept does): each out-of-range case ends its own script.
  'numbers: not a number': [
    ['RPUSH', 'a', '1', 'x'],
    ['SORT', 'a'],
    ['SORT', 'a', 'STORE', 'dst'],
    ['EXISTS', 'dst'],
    ['SORT', 'a', 'ALPHA'],
    ['SORT', 'a', 'BY', 'nosort'],
    ['SORT', 'a', 'LIMIT', '0', '0'],
    ['DEL', 'a'],
    ['RPUSH', 'a', 'nan', '1'],
    ['SORT', 'a'],
    ['DEL', 'a'],
    ['RPUSH', 'a', '1 ', '1'],
    ['SORT', 'a'],
    ['DEL', 'a'],
    ['RPUSH', 'a', '0x1p3', '0X1.8P1', '-0x10', '0x.8', '0xffffffffffffffffff', '2', '0e-400', '0x'],
    ['SORT', 'a', 'ALPHA'],
    ['SORT', 'a'],
    ['LREM', 'a', '0', '0x'],
    ['SORT', 'a'],
    ['DEL', 'a'],
    ['RPUSH', 'a', '\t\n 5', '5\x00junk', '-0', '0', '+0', '.5', '5.', '+INFINITY', '-Inf', '1E2', '1e+2', '100', ''],
    ['SORT', 'a'],
    ['SORT', 'a', 'DESC'],
    ['DEL', 'a'],
    ['RPUSH', 'a', 'p', 'q', 'r'],
    ['SET', 'k_p', 'bad'],
    ['SORT', 'a', 'BY', 'k_*'],
    ['SORT', 'a', 'BY', 'k_*', 'ALPHA'],
    ['SET', 'k_p', '3'],
    ['SET', 'k_q', '3'],
    ['SORT', 'a', 'BY', 'k_*'],
    ['SORT', 'a', 'BY', 'k_*', 'DESC'],
    ['SORT', 'a', 'BY', 'k_*', 'ALPHA'],
    ['SORT', 'a', 'BY', 'k_*', 'ALPHA', 'DESC'],
  ],
  'numbers: overflow': [
    ['RPUSH', 'a', '1e400', '1'],
    ['SORT', 'a', 'ALPHA'],
    ['SORT', 'a'],
  ],
  'numbers: underflow to zero': [
    ['RPUSH', 'a', '1e-400', '1'],
    ['SORT', 'a'],
  ],
  'numbers: exact hex subnormals': [
    ['RPUSH', 'a', '0x1P-1074', '0x3p-1074', '0x1p-1030', '1'],
    ['SORT', 'a'],
    ['SORT', 'a', 'DESC'],
  ],
  'numbers: subnormal': [
    ['RPUSH', 'a', '1e-310', '1'],
    ['SORT', 'a'],
  ],
  'numbers: inexact hex subnormal': [
    ['RPUSH', 'a', '0x1.8p-1074', '1'],
    ['SORT', 'a'],
  ],
  'numbers: out of range BY value': [
    ['RPUSH', 'a', '1', '2'],
    ['SET', 'k_2', '-1e999'],
    ['SORT', 'a', 'BY', 'k_*', 'DESC'],
  ],
  'wrong types and syntax errors': [
    ['SET', 's', 'x'],
    ['HSET', 'h', 'f', 'v'],
    ['RPUSH', 'l', '1'],
    ['SORT', 's'],
    ['SORT', 'h'],
    ['SORT_RO', 's'],
    ['SORT', 's', 'BOGUS'],
    ['SORT', 's', 'LIMIT', 'a', 'b'],
    ['SORT', 'l', 'BY'],
    ['SORT', 'l', 'GET'],
    ['SORT', 'l', 'STORE'],
    ['SORT', 'l', 'ALPHA', 'xx'],
    ['SORT', 'l', 'by', 'nosort', 'get', '#', 'limit', '0', '1', 'desc', 'alpha', 'store', 'd'],
    ['SORT_RO', 'l', 'STORE', 'd'],
    ['SORT_RO', 'l', 'GET'],
    ['SORT_RO', 's', 'LIMIT', '0', '1', 'STORE', 'd'],
    ['SORT'],
    ['SORT_RO'],
  ],
  'sorted sets change encoding; the source can be the destination': [
    ['ZADD', 'z', '1', 'a', '2', 'b'],
    ['OBJECT', 'ENCODING', 'z'],
    ['SORT_RO', 'z', 'ALPHA'],
    ['OBJECT', 'ENCODING', 'z'],
    ['ZADD', 'y', '1', 'a'],
    ['SORT', 'y', 'BY', 'nosort', 'LIMIT', '5', '1'],
    ['OBJECT', 'ENCODING', 'y'],
    ['SADD', 's', 'b', 'a'],
    ['SORT', 's', 'ALPHA', 'STORE', 's'],
    ['TYPE', 's'],
    ['LRANGE', 's', '0', '-1'],
    ['MULTI'],
    ['SORT', 's', 'ALPHA', 'DESC', 'STORE', 'x'],
    ['LRANGE', 'x', '0', '-1'],
    ['EXEC'],
  ],
  // BY with a LIMIT that cuts the range: Redis's partial quicksort is not stable, so ties come out in its order.
  'BY + LIMIT: the partial sort orders ties as Redis does': [
    ['RPUSH', 'big', ...Array.from({ length: 90 }, (_, i) => `e${(i * 37) % 90}`)],
    ['MSET', ...Array.from({ length: 90 }, (_, i) => [`k_e${i}`, String.fromCharCode(97 + ((i * 7) % 4))]).flat()],
    ['MSET', ...Array.from({ length: 45 }, (_, i) => [`m_e${i * 2}`, String((i * 5) % 3)]).flat()],
    ['SORT', 'big', 'BY', 'k_*', 'ALPHA', 'LIMIT', '0', '10'],
    ['SORT', 'big', 'BY', 'k_*', 'ALPHA', 'LIMIT', '30', '25'],
    ['SORT', 'big', 'BY', 'k_*', 'ALPHA', 'DESC', 'LIMIT', '80', '20'],
    ['SORT', 'big', 'BY', 'm_*', 'ALPHA', 'LIMIT', '1', '-1'],
    ['SORT', 'big', 'BY', 'm_*', 'ALPHA', 'LIMIT', '40', '7', 'GET', '#', 'GET', 'k_*'],
    ['SORT', 'big', 'BY', 'none_*', 'ALPHA', 'LIMIT', '5', '50'],
    ['SORT', 'big', 'BY', 'none_*', 'ALPHA', 'LIMIT', '0', '89'],
    ['SORT', 'big', 'BY', 'm_*', 'LIMIT', '10', '20'],
    ['SORT', 'big', 'BY', 'k_*', 'ALPHA', 'LIMIT', '3', '4', 'STORE', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['LTRIM', 'big', '0', '30'],
    ['SORT', 'big', 'BY', 'k_*', 'ALPHA', 'LIMIT', '2', '5'],
    ['LTRIM', 'big', '0', '7'],
    ['SORT', 'big', 'BY', 'k_*', 'ALPHA', 'LIMIT', '2', '5'],
    ['SORT', 'big', 'BY', 'k_*', 'ALPHA'],
  ],
  'COMMAND rows and key extraction': [
    ['COMMAND', 'INFO', 'sort', 'sort_ro'],
    ['COMMAND', 'DOCS', 'sort', 'sort_ro'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE', 'b'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'BY', 'x', 'store', 'b', 'GET', 'c'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'LIMIT', '0', '1', 'STORE', 'b', 'STORE', 'c'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'GET', 'STORE', 'x'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'LIMIT', 'STORE', 'x'],
    ['COMMAND', 'GETKEYS', 'SORT', 'a', 'LIMIT', 'STORE', 'x', 'STORE', 'y'],
    ['COMMAND', 'GETKEYS', 'SORT_RO', 'a', 'STORE', 'b'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'SORT', 'a', 'STORE', 'b'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'SORT_RO', 'a'],
    ['COMMAND', 'GETKEYS', 'SORT'],
  ],
};

describe('SORT and SORT_RO match Redis', () => {
  scriptTests(SCRIPTS, getPair);
});

describe('random SORT option combinations match Redis', () => {
  const setup: Script = [
    ['RPUSH', 'L', '3', 'b', '1', '2', '10', 'a', '2', '7'],
    ['RPUSH', 'N', '5', '-1', '3.5', '0', '12', '3.5', '1e3'],
    ['SADD', 'S', '4', '9', '1', '6'],
    ['SADD', 'T', 'a', 'b', 'c'],
    ['ZADD', 'Z', '1', '3', '2', 'b', '2', '1', '5', '10', '0', '2'],
    ['MSET', 'w_1', '5', 'w_2', '4', 'w_3', '1', 'w_10', '-2', 'w_a', 'x', 'w_b', '9', 'w_4', '2', 'w_9', '0'],
    ['HSET', 'h_1', 'f', '3', 'g', 'b'],
    ['HSET', 'h_2', 'f', '1', 'g', 'a'],
    ['HSET', 'h_a', 'f', '2', 'g', 'c'],
    ['HSET', 'h_4', 'f', '8', 'g', 'q'],
    ['HSET', 'h_9', 'f', '-8', 'g', 'r'],
  ];
  const key = fc.constantFrom('L', 'N', 'S', 'T', 'Z', 'none', 'w_1');
  const pattern = fc.constantFrom('w_*', 'h_*->f', 'h_*->g', 'nosort', '#', 'x_*', 'h_*');
  const opt = fc.oneof(
    fc.constant(['ASC']),
    fc.constant(['DESC']),
    fc.constant(['ALPHA']),
    fc
      .tuple(fc.integer({ min: -2, max: 9 }), fc.integer({ min: -2, max: 9 }))
      .map(([a, b]) => ['LIMIT', String(a), String(b)]),
    pattern.map((p) => ['BY', p]),
    pattern.map((p) => ['GET', p]),
    fc.constant(['STORE', 'dst']),
  );
  const command = fc
    .tuple(fc.constantFrom('SORT', 'SORT_RO'), key, fc.array(opt, { maxLength: 5 }))
    .map(([name, k, opts]) => [name, k, ...opts.flat()]);
  // Where Redis's order comes from its hash tables (a set left unsorted, ties of ALPHA BY values in a hash set
  // or sorted set, whose elements Redis gathers from its member dict), only the multiset of the reply can match.
  const modeOf = (c: string[]): CompareMode => {
    const hashOrdered = c[1] === 'T' || c[1] === 'Z';
    let nosort = false;
    let by = false;
    let alpha = false;
    let store = false;
    let limit = false;
    for (let i = 2; i < c.length; i++) {
      if (c[i] === 'BY') {
        if (c[i + 1]!.includes('*')) by = true;
        else nosort = true;
        i++;
      } else if (c[i] === 'GET') i++;
      else if (c[i] === 'LIMIT') {
        limit = true;
        i += 2;
      } else if (c[i] === 'ALPHA') alpha = true;
      else if (c[i] === 'STORE') store = true;
    }
    // With LIMIT, which elements are picked depends on that order too: only the reply's kind can match.
    if (c[1] === 'T' && nosort && !(store && c[0] === 'SORT')) return limit ? 'type' : 'unordered';
    if (hashOrdered && !nosort && by && alpha) return limit ? 'type' : 'unordered';
    return 'exact';
  };
  test('property: SORT with random options (RESP2 and RESP3)', async () => {
    const pair = await getPair();
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 6 }), async (cmds) => {
        const script: ScriptStep[] = [...setup];
        let dstMode: CompareMode = 'exact';
        for (const c of cmds) {
          const mode = modeOf(c);
          // Sticky: a later STORE may fail (and leave dst as it was).
          const rank = { exact: 0, unordered: 1, type: 2 } as Record<CompareMode, number>;
          if (c[0] === 'SORT' && c.includes('STORE') && rank[mode]! > rank[dstMode]!) dstMode = mode;
          script.push({ args: c, mode }, { args: ['LRANGE', 'dst', '0', '-1'], mode: dstMode }, ['TYPE', 'dst']);
        }
        await compareScripts(pair, [script], { resp: i++ % 2 === 0 ? 2 : 3 });
      }),
      { numRuns: 300 },
    );
  });
});

describe('SORT … STORE keyspace events match Redis', () => {
  test('sortstore on a stored result, del when an empty result removes the destination', async () => {
    const pair = await getPair();
    const seen: Record<string, string[]> = {};
    for (const [name, srv] of [
      ['redis', pair.redis],
      ['cairn', pair.cairn],
    ] as const) {
      const sub = await RawConnection.connect(srv.port);
      const cmd = await RawConnection.connect(srv.port);
      try {
        await cmd.call(['FLUSHALL']);
        await cmd.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
        await sub.call(['PSUBSCRIBE', '__key*__:*']);
        await sub.call(['SUBSCRIBE', 'end']);
        await cmd.call(['RPUSH', 'src', '2', '1']);
        await cmd.call(['SORT', 'src', 'STORE', 'dst']);
        await cmd.call(['SORT', 'nokey', 'STORE', 'dst']);
        await cmd.call(['SORT', 'nokey', 'STORE', 'dst']);
        await cmd.call(['SORT', 'src', 'LIMIT', '0', '1', 'STORE', 'src']);
        await cmd.call(['PUBLISH', 'end', 'x']);
        await cmd.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
        const msgs: string[] = [];
        for (;;) {
          const m = (await sub.readReply()).toString('latin1');
          msgs.push(m);
          if (m.includes('$3\r\nend\r\n')) break;
        }
        seen[name] = msgs;
      } finally {
        await sub.close();
        await cmd.close();
      }
    }
    assert.deepEqual(seen['cairn'], seen['redis']);
  });
});

describe('SORT effects', () => {
  test('SORT … STORE propagates as itself when it changes something; reads and no-op stores propagate nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-sort-'));
    const s = await startServer({ port: 0, dir, save: '' });
    try {
      const effects = recordEffects(s.server);
      const c = s.server.createLocalClient();
      const cmds = [
        ['RPUSH', 'l', '2', '1'],
        ['SORT', 'l'],
        ['SORT_RO', 'l'],
        ['SORT', 'l', 'STORE', 'd'],
        ['SORT', 'nokey', 'STORE', 'e'],
        ['SORT', 'nokey', 'STORE', 'd'],
        ['ZADD', 'z', '1', 'a'],
        ['SORT', 'z', 'ALPHA'],
      ];
      for (const argv of cmds) {
        s.server.execute(c, argv);
        c.out.take();
      }
      assert.deepEqual(effects, [
        ['0', 'RPUSH', 'l', '2', '1'],
        ['0', 'SORT', 'l', 'STORE', 'd'],
        ['0', 'SORT', 'nokey', 'STORE', 'd'],
        ['0', 'ZADD', 'z', '1', 'a'],
      ]);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
