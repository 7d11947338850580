// Differential tests of the string commands against real Redis 7.0.15, in RESP2 and RESP3: GET, SET (every
// option and error), SETNX, SETEX, PSETEX, MGET, MSET, MSETNX, GETSET, GETDEL, GETEX, APPEND, STRLEN, GETRANGE,
// SUBSTR, SETRANGE, INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT, LCS; their COMMAND INFO/DOCS rows; the effects they
// propagate (replayed into a fresh server, which must end with the same dataset); and random command sequences
// generated with fast-check.
//
// Wrong-type keys are hashes (HSET), a family of Cairn's own.

import { test, describe, after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer } from '../../src/index.js';
import type { Effect } from '../../src/persistence/effects.js';
import type { Server } from '../../src/server/server.js';
import { stringCommands } from '../../src/commands/string.js';
import { sharedPair } from '../support/servers.js';
import { commandRowTests, compareScripts, scriptTests, type Script } from '../support/differential.js';

// Embedded servers get a private directory and no save points: they neither load nor leave a dump.rdb in the
// working directory, which other test files share.
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-string-test-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));
const ISOLATED = { save: '', dir: DIR };

const getPair = sharedPair({ cairnOptions: ISOLATED });

const BIN = 'b\x00\xff\r\n\x80';
const FUTURE_S = '4102444800'; // 2100-01-01
const FUTURE_MS = '4102444800123';
const PAST_S = '1000';
const PAST_MS = '1000000';

const SCRIPTS: Record<string, Script> = {
  'GET, SET basics, binary values, WRONGTYPE': [
    ['GET', 'k'],
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['SET', 'k', ''],
    ['GET', 'k'],
    ['SET', BIN, BIN],
    ['GET', BIN],
    ['set', 'k', 'lower'],
    ['GET', 'k'],
    ['SET', 'k'],
    ['GET'],
    ['GET', 'k', 'x'],
    ['HSET', 'h', 'f', 'v'],
    ['GET', 'h'],
    ['SET', 'h', 'now-a-string'],
    ['GET', 'h'],
    ['TYPE', 'h'],
  ],
  'SET NX, XX, GET and combinations': [
    ['SET', 'k', 'a', 'NX'],
    ['SET', 'k', 'b', 'NX'],
    ['GET', 'k'],
    ['SET', 'k', 'c', 'XX'],
    ['SET', 'nokey', 'c', 'XX'],
    ['EXISTS', 'nokey'],
    ['SET', 'k', 'd', 'GET'],
    ['SET', 'new', 'd', 'GET'],
    ['SET', 'k', 'e', 'NX', 'GET'],
    ['SET', 'fresh', 'e', 'NX', 'GET'],
    ['GET', 'fresh'],
    ['SET', 'k', 'f', 'XX', 'GET'],
    ['SET', 'nokey2', 'f', 'XX', 'GET'],
    ['EXISTS', 'nokey2'],
    ['SET', 'k', 'g', 'nx', 'nx'],
    ['SET', 'k', 'g', 'xx', 'xx', 'get', 'get'],
    ['SET', 'k', 'g', 'NX', 'XX'],
    ['SET', 'k', 'g', 'XX', 'NX'],
    ['SET', 'k', 'g', 'PERSIST'],
    ['SET', 'k', 'g', 'FOO'],
    ['SET', 'k', 'g', 'NXX'],
    ['HSET', 'h', 'f', 'v'],
    ['SET', 'h', 'v', 'GET'],
    ['SET', 'h', 'v', 'NX', 'GET'],
    ['SET', 'h', 'v', 'XX', 'GET'],
    ['SET', 'h', 'v', 'XX'],
    ['TYPE', 'h'],
    ['SET', 'h', 'v', 'EX', '0', 'GET'],
    ['SET', 'h', 'v', 'EX', 'x', 'GET'],
  ],
  'SET EX, PX, EXAT, PXAT, KEEPTTL and their errors': [
    ['SET', 'k', 'v', 'EX', '100'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'PX', '100000'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'EXAT', FUTURE_S],
    ['EXPIRETIME', 'k'],
    ['SET', 'k', 'v', 'PXAT', FUTURE_MS],
    ['PEXPIRETIME', 'k'],
    ['SET', 'k', 'v2', 'KEEPTTL'],
    ['PEXPIRETIME', 'k'],
    ['GET', 'k'],
    ['SET', 'k', 'v3'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'EX', '10', 'EX', '20'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'ex', '30', 'nx'],
    ['SET', 'k', 'v', 'xx', 'px', '40000', 'get'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'EX', '10', 'PX', '20'],
    ['SET', 'k', 'v', 'PX', '10', 'EX', '20'],
    ['SET', 'k', 'v', 'EX', '10', 'EXAT', '20'],
    ['SET', 'k', 'v', 'EXAT', '10', 'PXAT', '20'],
    ['SET', 'k', 'v', 'PXAT', '10', 'EX', '20'],
    ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
    ['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'],
    ['SET', 'k', 'v', 'KEEPTTL', 'KEEPTTL'],
    ['SET', 'k', 'v', 'KEEPTTL', 'PX', '10'],
    ['SET', 'k', 'v', 'EX'],
    ['SET', 'k', 'v', 'NX', 'EX'],
    ['SET', 'k', 'v', 'EX', '0'],
    ['SET', 'k', 'v', 'EX', '-1'],
    ['SET', 'k', 'v', 'PX', '0'],
    ['SET', 'k', 'v', 'EXAT', '0'],
    ['SET', 'k', 'v', 'PXAT', '-5'],
    ['SET', 'k', 'v', 'EX', 'abc'],
    ['SET', 'k', 'v', 'EX', '1.5'],
    ['SET', 'k', 'v', 'EX', ' 1'],
    ['SET', 'k', 'v', 'EX', '9223372036854775807'],
    ['SET', 'k', 'v', 'EX', '9223372036854775'],
    ['SET', 'k', 'v', 'EX', '9223372036854776'],
    ['SET', 'k', 'v', 'EX', '9223372036854775808'],
    ['SET', 'k', 'v', 'PX', '9223372036854775807'],
    ['SET', 'k', 'v', 'PX', '9223372036854775000'],
    ['SET', 'k', 'v', 'EXAT', '9223372036854775'],
    ['SET', 'k', 'v', 'EXAT', '9223372036854776'],
    ['SET', 'k', 'v', 'PXAT', '9223372036854775807'],
    ['PEXPIRETIME', 'k'],
    ['SET', 'k', 'v', 'EX', '999999999999'],
    ['TTL', 'k'],
    ['SET', 'k', 'v', 'EX', '99999999999999'],
    ['TTL', 'k'],
    ['GET', 'k'],
    ['SET', 'k', 'v', 'EXAT', PAST_S],
    ['GET', 'k'],
    ['EXISTS', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS, 'GET'],
    ['SET', 'k', 'v'],
    ['SET', 'k', 'w', 'PXAT', PAST_MS, 'GET'],
    ['EXISTS', 'k'],
    ['SET', 'k', 'v', 'EX', '100'],
    ['SET', 'k', 'v', 'XX', 'KEEPTTL', 'GET'],
    ['TTL', 'k'],
  ],
  'SETNX, SETEX, PSETEX': [
    ['SETNX', 'k', 'a'],
    ['SETNX', 'k', 'b'],
    ['GET', 'k'],
    ['HSET', 'h', 'f', 'v'],
    ['SETNX', 'h', 'x'],
    ['SETNX', 'k'],
    ['SETEX', 'k', '100', 'v'],
    ['TTL', 'k'],
    ['GET', 'k'],
    ['SETEX', 'k', '0', 'v'],
    ['SETEX', 'k', '-10', 'v'],
    ['SETEX', 'k', 'x', 'v'],
    ['SETEX', 'k', '9223372036854775807', 'v'],
    ['SETEX', 'k', '9223372036854775', 'v'],
    ['SETEX', 'k', '100'],
    ['SETEX', 'h', '100', 'v'],
    ['TYPE', 'h'],
    ['PSETEX', 'k', '100000', 'v'],
    ['TTL', 'k'],
    ['PSETEX', 'k', '0', 'v'],
    ['PSETEX', 'k', '-1', 'v'],
    ['PSETEX', 'k', 'x', 'v'],
    ['PSETEX', 'k', '9223372036854775807', 'v'],
    ['PSETEX', 'k', '9223372036854775807'],
  ],
  'MGET, MSET, MSETNX': [
    ['MSET', 'a', '1', 'b', '2', 'c', '3'],
    ['MGET', 'a', 'b', 'c', 'nokey'],
    ['HSET', 'h', 'f', 'v'],
    ['MGET', 'a', 'h', 'b'],
    ['MSET', 'a', '1', 'b'],
    ['MSET', 'a'],
    ['MSET', 'a', 'x', 'a', 'y'],
    ['GET', 'a'],
    ['SET', 'ttl', 'v', 'EX', '100'],
    ['MSET', 'ttl', 'w'],
    ['TTL', 'ttl'],
    ['MSET', 'h', 'now-string'],
    ['TYPE', 'h'],
    ['MSETNX', 'a', '1', 'new', '2'],
    ['EXISTS', 'new'],
    ['MSETNX', 'new', '1', 'new2', '2'],
    ['MGET', 'new', 'new2'],
    ['MSETNX', 'x', '1', 'x', '2'],
    ['GET', 'x'],
    ['MSETNX', 'a', '1', 'b'],
    ['MSETNX', 'a'],
    ['MGET'],
    ['MGET', BIN],
  ],
  'GETSET, GETDEL': [
    ['GETSET', 'k', 'a'],
    ['GETSET', 'k', 'b'],
    ['GET', 'k'],
    ['SET', 'k', 'v', 'EX', '100'],
    ['GETSET', 'k', 'c'],
    ['TTL', 'k'],
    ['HSET', 'h', 'f', 'v'],
    ['GETSET', 'h', 'x'],
    ['GETSET', 'k'],
    ['GETDEL', 'k'],
    ['GETDEL', 'k'],
    ['EXISTS', 'k'],
    ['GETDEL', 'h'],
    ['GETDEL', 'k', 'x'],
  ],
  'GETEX and its options': [
    ['GETEX', 'nokey'],
    ['GETEX', 'nokey', 'EX', '10'],
    ['GETEX', 'nokey', 'EX', '0'],
    ['GETEX', 'nokey', 'EX', 'abc'],
    ['GETEX', 'nokey', 'NX'],
    ['GETEX', 'nokey', 'EX'],
    ['SET', 'k', 'v'],
    ['GETEX', 'k'],
    ['TTL', 'k'],
    ['GETEX', 'k', 'EX', '100'],
    ['TTL', 'k'],
    ['GETEX', 'k', 'PX', '200000'],
    ['TTL', 'k'],
    ['GETEX', 'k', 'EXAT', FUTURE_S],
    ['EXPIRETIME', 'k'],
    ['GETEX', 'k', 'PXAT', FUTURE_MS],
    ['PEXPIRETIME', 'k'],
    ['GETEX', 'k', 'PERSIST'],
    ['TTL', 'k'],
    ['GETEX', 'k', 'PERSIST'],
    ['GETEX', 'k', 'ex', '10', 'ex', '20'],
    ['TTL', 'k'],
    ['GETEX', 'k', 'EX', '10', 'PX', '10'],
    ['GETEX', 'k', 'EX', '10', 'PERSIST'],
    ['GETEX', 'k', 'PERSIST', 'EX', '10'],
    ['GETEX', 'k', 'PERSIST', 'PERSIST'],
    ['GETEX', 'k', 'KEEPTTL'],
    ['GETEX', 'k', 'GET'],
    ['GETEX', 'k', 'XX'],
    ['GETEX', 'k', 'EX', '0'],
    ['GETEX', 'k', 'EX', '-1'],
    ['GETEX', 'k', 'PX', 'x'],
    ['GETEX', 'k', 'EX', '9223372036854775807'],
    ['GETEX', 'k', 'PX', '9223372036854775807'],
    ['GETEX', 'k', 'EXAT', '9223372036854775'],
    ['GETEX', 'k', 'PXAT', '9223372036854775807'],
    ['PEXPIRETIME', 'k'],
    ['GETEX', 'k', 'EXAT', PAST_S],
    ['EXISTS', 'k'],
    ['SET', 'k', 'v'],
    ['GETEX', 'k', 'PXAT', PAST_MS],
    ['EXISTS', 'k'],
    ['HSET', 'h', 'f', 'v'],
    ['GETEX', 'h'],
    ['GETEX', 'h', 'EX', '0'],
    ['GETEX', 'h', 'FOO'],
    ['GETEX'],
  ],
  'APPEND, STRLEN': [
    ['APPEND', 'k', 'abc'],
    ['APPEND', 'k', 'def'],
    ['APPEND', 'k', ''],
    ['APPEND', 'e', ''],
    ['EXISTS', 'e'],
    ['GET', 'k'],
    ['STRLEN', 'k'],
    ['STRLEN', 'nokey'],
    ['STRLEN', 'e'],
    ['APPEND', BIN, BIN],
    ['STRLEN', BIN],
    ['SET', 'n', '10'],
    ['APPEND', 'n', '5'],
    ['INCR', 'n'],
    ['SET', 't', 'x', 'EX', '100'],
    ['APPEND', 't', 'y'],
    ['TTL', 't'],
    ['HSET', 'h', 'f', 'v'],
    ['APPEND', 'h', 'x'],
    ['STRLEN', 'h'],
    ['APPEND', 'k'],
    ['STRLEN'],
  ],
  'GETRANGE, SUBSTR': [
    ['SET', 'k', 'This is a string'],
    ['GETRANGE', 'k', '0', '3'],
    ['GETRANGE', 'k', '-3', '-1'],
    ['GETRANGE', 'k', '0', '-1'],
    ['GETRANGE', 'k', '10', '100'],
    ['GETRANGE', 'k', '5', '3'],
    ['GETRANGE', 'k', '-1', '-5'],
    ['GETRANGE', 'k', '-100', '-50'],
    ['GETRANGE', 'k', '-100', '2'],
    ['GETRANGE', 'k', '100', '200'],
    ['GETRANGE', 'k', '0', '0'],
    ['GETRANGE', 'k', '-9223372036854775808', '9223372036854775807'],
    ['GETRANGE', 'k', '15', '-1'],
    ['GETRANGE', 'k', '16', '-1'],
    ['GETRANGE', 'nokey', '0', '-1'],
    ['GETRANGE', 'nokey', 'a', '-1'],
    ['GETRANGE', 'k', 'a', '1'],
    ['GETRANGE', 'k', '1', 'b'],
    ['GETRANGE', 'k', '1.5', '2'],
    ['SET', 'e', ''],
    ['GETRANGE', 'e', '0', '-1'],
    ['GETRANGE', 'e', '0', '0'],
    ['GETRANGE', 'e', '-1', '0'],
    ['SUBSTR', 'k', '0', '3'],
    ['SUBSTR', 'k', '-3', '-1'],
    ['SUBSTR', 'nokey', '0', '3'],
    ['HSET', 'h', 'f', 'v'],
    ['GETRANGE', 'h', '0', '1'],
    ['GETRANGE', 'h', 'x', '1'],
    ['SUBSTR', 'h', '0', '1'],
    ['GETRANGE', 'k', '0'],
  ],
  SETRANGE: [
    ['SETRANGE', 'k', '0', 'hello'],
    ['SETRANGE', 'k', '6', 'world'],
    ['GET', 'k'],
    ['SETRANGE', 'k', '1', 'EL'],
    ['GET', 'k'],
    ['SETRANGE', 'k', '20', ''],
    ['GET', 'k'],
    ['SETRANGE', 'nokey', '5', ''],
    ['EXISTS', 'nokey'],
    ['SETRANGE', 'nokey', '3', 'x'],
    ['GET', 'nokey'],
    ['SETRANGE', 'k', '-1', 'x'],
    ['SETRANGE', 'k', 'x', 'x'],
    ['SETRANGE', 'k', '536870912', 'x'],
    ['SETRANGE', 'k', '536870910', 'xyz'],
    ['SETRANGE', 'big', '536870912', 'x'],
    ['SETRANGE', 'big', '9223372036854775807', ''],
    ['SETRANGE', 'k', '9223372036854775806', 'x'],
    ['SETRANGE', 'k', '9223372036854775808', 'x'],
    ['SET', 't', 'abc', 'EX', '100'],
    ['SETRANGE', 't', '1', 'X'],
    ['TTL', 't'],
    ['SET', 'n', '12345'],
    ['SETRANGE', 'n', '1', '9'],
    ['INCR', 'n'],
    ['HSET', 'h', 'f', 'v'],
    ['SETRANGE', 'h', '0', 'x'],
    ['SETRANGE', 'h', '0', ''],
    ['SETRANGE', 'h', '-1', 'x'],
    ['SETRANGE', BIN, '2', BIN],
    ['GET', BIN],
    ['SETRANGE', 'k', '1'],
  ],
  'INCR, DECR, INCRBY, DECRBY': [
    ['INCR', 'n'],
    ['INCR', 'n'],
    ['DECR', 'n'],
    ['DECR', 'm'],
    ['INCRBY', 'n', '10'],
    ['INCRBY', 'n', '-100'],
    ['DECRBY', 'n', '5'],
    ['DECRBY', 'n', '-5'],
    ['GET', 'n'],
    ['INCRBY', 'n', 'x'],
    ['INCRBY', 'n', '1.0'],
    ['INCRBY', 'n', ' 1'],
    ['INCRBY', 'n', '+1'],
    ['INCRBY', 'n', '01'],
    ['INCRBY', 'n', '-0'],
    ['INCRBY', 'n', '9223372036854775808'],
    ['DECRBY', 'n', '-9223372036854775808'],
    ['DECRBY', 'n', '9223372036854775807'],
    ['SET', 'max', '9223372036854775807'],
    ['INCR', 'max'],
    ['INCRBY', 'max', '0'],
    ['DECR', 'max'],
    ['INCRBY', 'max', '1'],
    ['INCRBY', 'max', '-9223372036854775807'],
    ['SET', 'min', '-9223372036854775808'],
    ['DECR', 'min'],
    ['INCR', 'min'],
    ['DECRBY', 'min', '1'],
    ['DECRBY', 'min', '2'],
    ['SET', 'big', '9007199254740991'],
    ['INCR', 'big'],
    ['INCR', 'big'],
    ['INCRBY', 'big', '9007199254740993'],
    ['DECRBY', 'big', '99999999999999999'],
    ['SET', 'almost', '999999999999999'],
    ['INCRBY', 'almost', '999999999999999'],
    ['INCRBY', 'almost', '-99999999999999999'],
    ['SET', 's', 'abc'],
    ['INCR', 's'],
    ['SET', 's', ' 1'],
    ['INCR', 's'],
    ['SET', 's', '1 '],
    ['INCR', 's'],
    ['SET', 's', '01'],
    ['INCR', 's'],
    ['SET', 's', '-0'],
    ['INCR', 's'],
    ['SET', 's', '1.5'],
    ['INCR', 's'],
    ['SET', 's', '99999999999999999999'],
    ['INCR', 's'],
    ['SET', 's', ''],
    ['INCR', 's'],
    ['SET', 's', '0'],
    ['INCR', 's'],
    ['SET', 't', '5', 'EX', '100'],
    ['INCR', 't'],
    ['TTL', 't'],
    ['HSET', 'h', 'f', 'v'],
    ['INCR', 'h'],
    ['DECRBY', 'h', 'x'],
    ['INCR'],
  ],
  INCRBYFLOAT: [
    ['INCRBYFLOAT', 'f', '1.5'],
    ['INCRBYFLOAT', 'f', '0.1'],
    ['INCRBYFLOAT', 'f', '-5'],
    ['INCRBYFLOAT', 'f', '1e3'],
    ['INCRBYFLOAT', 'f', '5.0e3'],
    ['INCRBYFLOAT', 'f', '0x10'],
    ['INCRBYFLOAT', 'f', 'abc'],
    ['INCRBYFLOAT', 'f', ''],
    ['INCRBYFLOAT', 'f', ' 1'],
    ['INCRBYFLOAT', 'f', 'inf'],
    ['INCRBYFLOAT', 'f', '-inf'],
    ['INCRBYFLOAT', 'f', 'nan'],
    ['INCRBYFLOAT', 'f', '1.7976931348623157e308'],
    ['GET', 'f'],
    ['SET', 'i', '10'],
    ['INCRBYFLOAT', 'i', '0.1'],
    ['SET', 's', 'x'],
    ['INCRBYFLOAT', 's', '1'],
    ['SET', 's', '1 '],
    ['INCRBYFLOAT', 's', '1'],
    ['SET', 's', '3.0e3'],
    ['INCRBYFLOAT', 's', '200'],
    ['SET', 's', '5.0000'],
    ['INCRBYFLOAT', 's', '0'],
    ['SET', 't', '1', 'EX', '100'],
    ['INCRBYFLOAT', 't', '1.1'],
    ['TTL', 't'],
    ['HSET', 'h', 'f', 'v'],
    ['INCRBYFLOAT', 'h', '1'],
    ['INCRBYFLOAT', 'h', 'x'],
    ['INCRBYFLOAT', 'f'],
  ],
  LCS: [
    ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'],
    ['LCS', 'a', 'b'],
    ['LCS', 'a', 'b', 'LEN'],
    ['LCS', 'a', 'b', 'IDX'],
    ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4'],
    ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
    ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'],
    ['LCS', 'a', 'b', 'idx', 'minmatchlen', '-5', 'withmatchlen'],
    ['LCS', 'a', 'b', 'WITHMATCHLEN'],
    ['LCS', 'a', 'b', 'MINMATCHLEN', '2'],
    ['LCS', 'a', 'b', 'LEN', 'IDX'],
    ['LCS', 'a', 'b', 'IDX', 'LEN'],
    ['LCS', 'a', 'b', 'MINMATCHLEN'],
    ['LCS', 'a', 'b', 'MINMATCHLEN', 'x'],
    ['LCS', 'a', 'b', 'FOO'],
    ['LCS', 'a', 'nokey'],
    ['LCS', 'nokey', 'nokey2', 'IDX'],
    ['LCS', 'nokey', 'b', 'LEN'],
    ['LCS', 'a', 'a', 'IDX', 'WITHMATCHLEN'],
    ['MSET', 'x', 'ABCBDAB', 'y', 'BDCABA'],
    ['LCS', 'x', 'y'],
    ['LCS', 'x', 'y', 'IDX', 'WITHMATCHLEN'],
    ['LCS', 'y', 'x', 'IDX', 'WITHMATCHLEN'],
    ['MSET', 'p', 'aaaa', 'q', 'aa'],
    ['LCS', 'p', 'q', 'IDX', 'WITHMATCHLEN'],
    ['MSET', 'p', BIN + 'xyz' + BIN, 'q', 'xyz' + BIN],
    ['LCS', 'p', 'q'],
    ['LCS', 'p', 'q', 'IDX'],
    ['HSET', 'h', 'f', 'v'],
    ['LCS', 'a', 'h'],
    ['LCS', 'h', 'a', 'FOO'],
    ['LCS', 'a'],
  ],
  'string commands in MULTI, and WATCH': [
    ['MULTI'],
    ['SET', 'k', '1'],
    ['INCR', 'k'],
    ['GETSET', 'k', 'x'],
    ['INCR', 'k'],
    ['APPEND', 'k', 'y'],
    ['SET', 'k', 'v', 'EX', '0'],
    ['GET', 'k'],
    ['EXEC'],
    ['WATCH', 'k'],
    ['SETRANGE', 'k', '0', ''],
    ['APPEND', 'nokey', ''],
    ['SET', 'k', 'z', 'NX'],
    ['GETEX', 'k'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['WATCH', 'k'],
    ['APPEND', 'k', ''],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['SET', 'n', '5'],
    ['WATCH', 'n'],
    ['INCRBY', 'n', '0'],
    ['MULTI'],
    ['EXEC'],
  ],
  'string commands across databases': [
    ['SET', 'k', '1'],
    ['SELECT', '1'],
    ['SET', 'k', 'db1'],
    ['SELECT', '0'],
    ['GET', 'k'],
    ['SELECT', '1'],
    ['GET', 'k'],
    ['FLUSHDB'],
    ['SELECT', '0'],
  ],
};

describe('string commands match Redis', () => {
  scriptTests(SCRIPTS, getPair);

  test('LCS of longer strings, and its memory limit', async () => {
    const rnd = fc.sample(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 300, maxLength: 400 }), {
      numRuns: 2,
      seed: 7,
    });
    await compareScripts(
      await getPair(),
      [
        [
          ['MSET', 'a', rnd[0]!, 'b', rnd[1]!],
          ['LCS', 'a', 'b'],
          ['LCS', 'a', 'b', 'LEN'],
          ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'],
          ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '3'],
          ['MSET', 'c', 'x'.repeat(600), 'd', 'x'.repeat(600)],
          ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'],
          ['LCS', 'c', 'd', 'LEN'],
          ['LCS', 'a', 'b', 'LEN'],
          ['SETRANGE', 'k', '1048576', 'x'],
          ['SETRANGE', 'k', '1048575', 'x'],
          ['STRLEN', 'k'],
          ['APPEND', 'k', 'yy'],
          ['APPEND', 'k', 'y'],
          ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
          ['APPEND', 'k', 'y'],
          ['DEL', 'k'],
        ],
      ],
      { resp: 2 },
    );
  });
});

// ---- the command table rows ----

describe('COMMAND INFO and COMMAND DOCS of the string commands', () => {
  commandRowTests(stringCommands, getPair);
});

// ---- effects ----

interface Embedded {
  server: Server;
  effects: Effect[];
  run(argv: string[]): string;
  close(): Promise<void>;
}

async function embedded(): Promise<Embedded> {
  const s = await startServer({ port: 0, ...ISOLATED });
  const effects: Effect[] = [];
  s.server.effects.addSink((batch) => {
    for (const e of batch) effects.push({ db: e.db, argv: e.argv });
  });
  const c = s.server.createLocalClient();
  return {
    server: s.server,
    effects,
    run(argv) {
      s.server.execute(c, argv);
      return Buffer.concat(c.out.take()).toString('latin1');
    },
    close: s.close,
  };
}

/** Every key of every database with its type, value (strings) and absolute expiry. */
function dataset(server: Server, now: number): string[] {
  const out: string[] = [];
  for (const db of server.keyspace.dbs) {
    for (const [k, e] of db.dict) {
      const when = db.getExpire(k);
      if (when !== undefined && when < now) continue;
      const v = db.vals[e]!;
      out.push(JSON.stringify([db.id, k, typeof v === 'string' ? v : v.type, when ?? null]));
    }
  }
  return out.sort();
}

/** Replays effects into a fresh embedded server, the way the AOF loader would: per database, as commands. */
async function replay(effects: readonly Effect[]): Promise<Embedded> {
  const r = await embedded();
  // Like the AOF loader: nothing expires by the clock while replaying; the stream says when keys go.
  r.server.keyspace.frozenExpiry = true;
  let db = 0;
  r.run(['SELECT', '0']);
  for (const e of effects) {
    if (e.db !== db) {
      r.run(['SELECT', String(e.db)]);
      db = e.db;
    }
    const reply = r.run(e.argv);
    assert.ok(!reply.startsWith('-'), `replaying ${JSON.stringify(e.argv)} failed: ${reply}`);
  }
  return r;
}

describe('effects', () => {
  test('relative expiries become absolute, GETDEL a DEL, INCRBYFLOAT a SET KEEPTTL; failures propagate nothing', async () => {
    const s = await embedded();
    try {
      const before = Date.now();
      s.run(['SET', 'a', '1']);
      s.run(['SET', 'b', '1', 'EX', '100']);
      s.run(['SET', 'b', '2', 'PX', '100000', 'GET']);
      s.run(['SET', 'c', 'x', 'PXAT', '4102444800123']);
      s.run(['SET', 'c', 'y', 'KEEPTTL', 'XX']);
      s.run(['SET', 'c', 'z', 'NX']);
      s.run(['SET', 'a', '2', 'GET']);
      s.run(['SETEX', 'd', '100', 'v']);
      s.run(['PSETEX', 'd', '100000', 'v']);
      s.run(['SETEX', 'd', '0', 'v']);
      s.run(['GETEX', 'd', 'EX', '50']);
      s.run(['GETEX', 'd', 'PERSIST']);
      s.run(['GETEX', 'd', 'PERSIST']);
      s.run(['GETEX', 'd']);
      s.run(['GETDEL', 'd']);
      s.run(['GETDEL', 'd']);
      s.run(['INCRBYFLOAT', 'f', '1.5']);
      s.run(['INCRBYFLOAT', 'f', 'x']);
      s.run(['INCR', 'n']);
      s.run(['INCR', 'f']);
      s.run(['SET', 'p', 'v', 'EXAT', '1000']);
      s.run(['SET', 'q', 'v']);
      s.run(['GETEX', 'q', 'PXAT', '1000']);
      s.run(['GETSET', 'g', 'v']);
      const after = Date.now();
      const eff = s.effects.map((e) => e.argv);
      // The server's clock is a monotonic one kept within a millisecond of the wall clock (Keyspace.clockBase).
      const abs = (i: number, lo: number): void => {
        const t = Number(eff[i]![eff[i]!.length - 1]);
        assert.ok(t >= before + lo - 1 && t <= after + lo + 1, `effect ${i} time ${t} (${before}..${after} + ${lo})`);
      };
      assert.deepEqual(eff[0], ['SET', 'a', '1']);
      assert.deepEqual(eff[1]!.slice(0, 4), ['SET', 'b', '1', 'PXAT']);
      abs(1, 100000);
      assert.deepEqual(eff[2]!.slice(0, 4), ['SET', 'b', '2', 'PXAT']);
      abs(2, 100000);
      assert.deepEqual(eff[3], ['SET', 'c', 'x', 'PXAT', '4102444800123']);
      assert.deepEqual(eff[4], ['SET', 'c', 'y', 'KEEPTTL']);
      assert.deepEqual(eff[5], ['SET', 'a', '2']);
      assert.deepEqual(eff[6]!.slice(0, 4), ['SET', 'd', 'v', 'PXAT']);
      abs(6, 100000);
      assert.deepEqual(eff[7]!.slice(0, 4), ['SET', 'd', 'v', 'PXAT']);
      assert.deepEqual(eff[8]!.slice(0, 2), ['PEXPIREAT', 'd']);
      abs(8, 50000);
      assert.deepEqual(eff[9], ['PERSIST', 'd']);
      assert.deepEqual(eff[10], ['DEL', 'd']);
      assert.deepEqual(eff[11], ['SET', 'f', '1.5', 'KEEPTTL']);
      assert.deepEqual(eff[12], ['INCR', 'n']);
      // A past time: the key stays until found expired (Redis 7.0), and the stream gets the SET as it was made.
      assert.deepEqual(eff[13], ['SET', 'p', 'v', 'PXAT', PAST_MS]);
      assert.deepEqual(eff[14], ['SET', 'q', 'v']);
      assert.deepEqual(eff[15], ['DEL', 'q']);
      assert.deepEqual(eff[16], ['SET', 'g', 'v']);
      assert.equal(eff.length, 17);
      assert.equal(s.run(['EXISTS', 'p', 'q']), ':0\r\n');
    } finally {
      await s.close();
    }
  });

  const key = fc.constantFrom('a', 'b', 'c');
  const val = fc.constantFrom('1', '-3', '2.5', 'abc', '', '9223372036854775807', BIN);
  const ttl = fc.constantFrom('1', '50', '100000');
  const cmd: fc.Arbitrary<string[]> = fc.oneof(
    fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
    fc.tuple(key, val, fc.constantFrom('EX', 'PX'), ttl).map(([k, v, u, t]) => ['SET', k, v, u, t]),
    fc.tuple(key, val, fc.constantFrom('NX', 'XX', 'GET', 'KEEPTTL')).map(([k, v, o]) => ['SET', k, v, o]),
    fc
      .tuple(key, val, fc.constantFrom('EXAT', 'PXAT'), fc.constantFrom('1000', '4102444800'))
      .map(([k, v, u, t]) => ['SET', k, v, u, t]),
    fc.tuple(key, ttl, val).map(([k, t, v]) => ['SETEX', k, t, v]),
    fc.tuple(key, ttl, val).map(([k, t, v]) => ['PSETEX', k, t, v]),
    fc.tuple(key, val).map(([k, v]) => ['SETNX', k, v]),
    fc.tuple(key, val).map(([k, v]) => ['GETSET', k, v]),
    key.map((k) => ['GETDEL', k]),
    fc
      .tuple(
        key,
        fc.constantFrom(['EX', '100'], ['PX', '30'], ['EXAT', '1000'], ['PXAT', '4102444800000'], ['PERSIST'], []),
      )
      .map(([k, o]) => ['GETEX', k, ...o]),
    fc.tuple(key, val).map(([k, v]) => ['APPEND', k, v]),
    fc.tuple(key, fc.constantFrom('0', '3', '10'), val).map(([k, o, v]) => ['SETRANGE', k, o, v]),
    key.map((k) => ['INCR', k]),
    fc.tuple(key, fc.constantFrom('5', '-9223372036854775807')).map(([k, v]) => ['INCRBY', k, v]),
    fc.tuple(key, fc.constantFrom('0.1', '-2.5', '1e2')).map(([k, v]) => ['INCRBYFLOAT', k, v]),
    fc.tuple(key, val, key, val).map(([k, v, k2, v2]) => ['MSET', k, v, k2, v2]),
    fc.tuple(key, val, key, val).map(([k, v, k2, v2]) => ['MSETNX', k, v, k2, v2]),
    fc.constantFrom<string[]>(['SELECT', '0'], ['SELECT', '1'], ['HSET', 'c', 'f', 'v'], ['DEL', 'a']),
  );

  test('property: replaying the effects of random string commands gives the same dataset', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 30 }), async (cmds) => {
        const s = await embedded();
        let r: Embedded | undefined;
        try {
          for (const argv of cmds) s.run(argv);
          r = await replay(s.effects);
          const now = Date.now();
          assert.deepEqual(dataset(r.server, now), dataset(s.server, now));
        } finally {
          await s.close();
          await r?.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});

// ---- random command sequences against Redis ----

describe('random string command sequences match Redis', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'h');
  const val = fc.constantFrom(
    '1',
    '-3',
    '0',
    '2.5',
    'abc',
    '',
    '9223372036854775806',
    '-9223372036854775807',
    BIN,
    '10e2',
  );
  const num = fc.constantFrom('0', '1', '-1', '3', '-5', '100', 'x', '9223372036854775807', '-9223372036854775808');
  const cmd: fc.Arbitrary<string[]> = fc.oneof(
    fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
    fc
      .tuple(
        key,
        val,
        fc.subarray(['NX', 'XX', 'GET', 'KEEPTTL', 'EX', 'PX', 'PERSIST']),
        fc.constantFrom('100', '0', 'x', '200000'),
      )
      .map(([k, v, opts, t]) => ['SET', k, v, ...opts.flatMap((o) => (o === 'EX' || o === 'PX' ? [o, t] : [o]))]),
    key.map((k) => ['GET', k]),
    fc.tuple(key, key, key).map((ks) => ['MGET', ...ks]),
    fc.tuple(key, val, key, val).map(([k, v, k2, v2]) => ['MSET', k, v, k2, v2]),
    fc.tuple(key, val, key, val).map(([k, v, k2, v2]) => ['MSETNX', k, v, k2, v2]),
    fc.tuple(key, val).map(([k, v]) => ['SETNX', k, v]),
    fc.tuple(key, fc.constantFrom('100', '0', '-1'), val).map(([k, t, v]) => ['SETEX', k, t, v]),
    fc.tuple(key, val).map(([k, v]) => ['GETSET', k, v]),
    key.map((k) => ['GETDEL', k]),
    fc
      .tuple(key, fc.constantFrom(['EX', '100'], ['PERSIST'], [], ['PX', '0'], ['NX']))
      .map(([k, o]) => ['GETEX', k, ...o]),
    fc.tuple(key, val).map(([k, v]) => ['APPEND', k, v]),
    key.map((k) => ['STRLEN', k]),
    fc.tuple(key, num, num).map(([k, a, b]) => ['GETRANGE', k, a, b]),
    fc.tuple(key, fc.constantFrom('0', '2', '7', '-1', 'x'), val).map(([k, o, v]) => ['SETRANGE', k, o, v]),
    fc.tuple(key, fc.constantFrom('INCR', 'DECR')).map(([k, c]) => [c, k]),
    fc.tuple(key, num, fc.constantFrom('INCRBY', 'DECRBY')).map(([k, n, c]) => [c, k, n]),
    fc.tuple(key, fc.constantFrom('0.5', '-1.25', '1e3', 'x', '3')).map(([k, n]) => ['INCRBYFLOAT', k, n]),
    fc.tuple(key, key, fc.subarray(['LEN', 'IDX', 'WITHMATCHLEN'])).map(([a, b, o]) => ['LCS', a, b, ...o]),
    fc.constantFrom<string[]>(
      ['HSET', 'h', 'f', 'v'],
      ['DEL', 'h'],
      ['TTL', 'a'],
      ['TTL', 'b'],
      ['TYPE', 'c'],
      ['EXISTS', 'a', 'b', 'c'],
    ),
  );

  test('property: random string command sequences', async () => {
    const pair = await getPair();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        runs++;
        await compareScripts(pair, [[...cmds, ['MGET', 'a', 'b', 'c']]], { resp: runs % 2 === 0 ? 3 : 2 });
      }),
      { numRuns: 400 },
    );
  });
});
