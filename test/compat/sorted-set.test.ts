// Differential tests of the sorted-set commands against real Redis 7.0.15, in RESP2 and RESP3: every command
// with its options and error cases, encodings, large sets (the skiplist side), COMMAND INFO/DOCS rows, effects,
// and random command sequences generated with fast-check.

import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer, type RunningServer } from '../../src/index.js';
import { effectsOf, recordEffects } from '../support/effects.js';
import { sortedSetCommands } from '../../src/commands/sorted-set.js';
import { allCommandFamilies } from '../../src/commands/index.js';
import { SortedSet } from '../../src/types/sorted-set.js';
import { encodeValue, decodeValue } from '../../src/persistence/codecs.js';
import { ByteReader, ByteWriter } from '../../src/persistence/bytes.js';
import { startRedis, type RedisHandle } from '../support/servers.js';
import { commandRowSteps, compareScripts, scriptTests, type Script, type PairLike } from '../support/differential.js';
import { RawConnection } from '../support/resp.js';

let redis: RedisHandle;
let cairn: RunningServer;
let pair: PairLike;

before(async () => {
  [redis, cairn] = await Promise.all([startRedis(), startServer({ port: 0 })]);
  pair = { redis, cairn: { port: cairn.port } };
});
after(async () => {
  await Promise.all([redis?.stop(), cairn?.close()]);
});

const BIN = 'm\x00\xff\r\n';
const HAS_MULTI = allCommandFamilies.some((f) => f.some((r) => r.name === 'multi'));

/** ZADD of n members m0..m(n-1) with scores i*step. */
function bulkAdd(key: string, n: number, step = 1, prefix = 'm'): string[] {
  const args = ['ZADD', key];
  for (let i = 0; i < n; i++) args.push(String(i * step), prefix + i);
  return args;
}

/**
 * Scores exactly halfway between two 17-digit decimals (their exact expansion has 18 significant digits, the last
 * a 5): %.17g rounds them to even, where JavaScript's toExponential rounds up. Found by a differential sweep of
 * 60,000 random scores (178 differed).
 */
const TIE_SCORES = [
  '1125899906842624.25',
  '-25896522391539.312',
  '-17632.786743164062',
  '12493.974243164062',
  '0.000030517578125',
  '1152921504606846975',
  '9007199254740993',
  '5764607523034234885',
];

const SCRIPTS: Record<string, Script> = {
  'scores halfway between 17-digit decimals': [
    ['ZADD', 'ties', ...TIE_SCORES.flatMap((x, i) => [x, `m${i}`])],
    ['ZRANGE', 'ties', '0', '-1', 'WITHSCORES'],
    ...TIE_SCORES.map((_, i) => ['ZSCORE', 'ties', `m${i}`]),
    ['ZINCRBY', 'ties', '0.25', 'm0'],
    ['ZINCRBY', 'ties', '1125899906842624', 'x'],
    ['ZINCRBY', 'ties', '0.25', 'x'],
    ['ZMSCORE', 'ties', 'm1', 'm2', 'x'],
    ['ZUNION', '1', 'ties', 'WITHSCORES'],
    ['ZPOPMIN', 'ties', '2'],
  ],
  zadd: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
    ['ZADD', 'z', '1', 'a'],
    ['ZADD', 'z', 'CH', '5', 'a', '2', 'b', '9', 'd'],
    ['ZADD', 'z', 'NX', '100', 'a', '7', 'e'],
    ['ZADD', 'z', 'XX', '100', 'a', '7', 'f'],
    ['ZADD', 'z', 'XX', 'CH', '101', 'a', '7', 'f'],
    ['ZADD', 'z', 'GT', 'CH', '50', 'a', '200', 'b', '1', 'g'],
    ['ZADD', 'z', 'LT', 'CH', '50', 'a', '300', 'b'],
    ['ZADD', 'z', 'GT', 'XX', 'CH', '1000', 'a', '1', 'zz'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'z', 'NX', 'XX', '1', 'a'],
    ['ZADD', 'z', 'GT', 'LT', '1', 'a'],
    ['ZADD', 'z', 'NX', 'GT', '1', 'a'],
    ['ZADD', 'z', 'LT', 'NX', '1', 'a'],
    ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
    ['ZADD', 'z', '1', 'a', '2'],
    ['ZADD', 'z', 'CH'],
    ['ZADD', 'z', 'nan', 'a'],
    ['ZADD', 'z', 'abc', 'a'],
    ['ZADD', 'z', '1', 'a', 'x', 'b'],
    ['ZADD', 'z', ' 1', 'a'],
    ['ZADD', 'z', '', 'a'],
    ['ZADD', 'z', '1e400', 'a'],
    ['ZADD', 'z', 'inf', 'a', '-inf', 'b', '+inf', 'c', '-0', 'd', '0x10', 'e', '1.5e3', 'f', '.5', 'g', '3.', 'h'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'z', 'INCR', '-inf', 'a'],
    ['ZADD', 'z', 'INCR', '1', 'a'],
    ['ZADD', 'z', 'INCR', 'GT', '1', 'a'],
    ['ZADD', 'z', 'INCR', 'GT', '-1', 'b'],
    ['ZADD', 'z', 'INCR', 'LT', '-1', 'b'],
    ['ZADD', 'z', 'INCR', 'NX', '1', 'b'],
    ['ZADD', 'z', 'INCR', 'XX', '1', 'nosuch'],
    ['ZADD', 'z', 'INCR', '0.1', 'new'],
    ['ZADD', 'z', 'INCR', '0.2', 'new'],
    ['ZADD', 'nokey', 'XX', '1', 'a'],
    ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'],
    ['EXISTS', 'nokey'],
    ['ZADD', 'z', '0', BIN, '0', ''],
    ['ZSCORE', 'z', BIN],
    ['ZSCORE', 'z', ''],
    [
      'ZADD',
      'z',
      '1.1',
      'p',
      '0.30000000000000004',
      'q',
      '1e-300',
      'r',
      '123456789012345678',
      's',
      '1e17',
      't',
      '-1e-5',
      'u',
    ],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['HSET', 'h', 'f', 'v'],
    ['ZADD', 'h', '1', 'a'],
    ['ZADD', 'h', 'x', 'a'],
    ['ZADD', 'h', 'XX', '1', 'a'],
  ],
  zincrby: [
    ['ZINCRBY', 'z', '1', 'a'],
    ['ZINCRBY', 'z', '2.5', 'a'],
    ['ZINCRBY', 'z', '-10', 'b'],
    ['ZINCRBY', 'z', 'abc', 'a'],
    ['ZINCRBY', 'z', 'nx', 'a'],
    ['ZINCRBY', 'z', 'incr', 'a'],
    ['ZINCRBY', 'z', 'inf', 'a'],
    ['ZINCRBY', 'z', '-inf', 'a'],
    ['ZINCRBY', 'z', '1', 'a'],
    ['ZINCRBY', 'z', '0.1', 'c'],
    ['ZINCRBY', 'z', '0.2', 'c'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['HSET', 'h', 'f', 'v'],
    ['ZINCRBY', 'h', '1', 'a'],
  ],
  reads: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '3', 'd', '-5', 'e'],
    ['ZSCORE', 'z', 'a'],
    ['ZSCORE', 'z', 'nosuch'],
    ['ZSCORE', 'nokey', 'a'],
    ['ZMSCORE', 'z', 'a', 'nosuch', 'e'],
    ['ZMSCORE', 'nokey', 'a', 'b'],
    ['ZCARD', 'z'],
    ['ZCARD', 'nokey'],
    ['ZRANK', 'z', 'a'],
    ['ZRANK', 'z', 'e'],
    ['ZRANK', 'z', 'nosuch'],
    ['ZRANK', 'nokey', 'a'],
    ['ZREVRANK', 'z', 'a'],
    ['ZREVRANK', 'z', 'd'],
    ['ZREVRANK', 'z', 'nosuch'],
    ['ZRANK', 'z', 'a', 'WITHSCORE'],
    ['ZCOUNT', 'z', '-inf', '+inf'],
    ['ZCOUNT', 'z', '(1', '3'],
    ['ZCOUNT', 'z', '(1', '(3'],
    ['ZCOUNT', 'z', '3', '1'],
    ['ZCOUNT', 'z', '(3', '3'],
    ['ZCOUNT', 'z', '', ''],
    ['ZCOUNT', 'z', '(', '5'],
    ['ZCOUNT', 'z', ' 1', '3'],
    ['ZCOUNT', 'z', '0x1', '3'],
    ['ZCOUNT', 'z', '1e400', 'inf'],
    ['ZCOUNT', 'z', '-1e400', 'infinity'],
    ['ZCOUNT', 'z', 'nan', '1'],
    ['ZCOUNT', 'z', '1', 'abc'],
    ['ZCOUNT', 'z', '1 ', '2'],
    ['ZCOUNT', 'z', '1e', '2'],
    ['ZCOUNT', 'nokey', '1', '2'],
    ['ZCOUNT', 'nokey', 'x', '2'],
    ['HSET', 'h', 'f', 'v'],
    ['ZSCORE', 'h', 'a'],
    ['ZMSCORE', 'h', 'a'],
    ['ZCARD', 'h'],
    ['ZRANK', 'h', 'a'],
    ['ZCOUNT', 'h', '0', '1'],
    ['ZCOUNT', 'h', 'x', '1'],
    ['ZLEXCOUNT', 'h', '-', '+'],
  ],
  lex: [
    ['ZADD', 'z', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'f', '0', 'aa', '0', ''],
    ['ZLEXCOUNT', 'z', '-', '+'],
    ['ZLEXCOUNT', 'z', '[a', '[c'],
    ['ZLEXCOUNT', 'z', '(a', '(c'],
    ['ZLEXCOUNT', 'z', '[', '(b'],
    ['ZLEXCOUNT', 'z', '+', '-'],
    ['ZLEXCOUNT', 'z', '-', '-'],
    ['ZLEXCOUNT', 'z', '[c', '[a'],
    ['ZLEXCOUNT', 'z', 'a', 'c'],
    ['ZLEXCOUNT', 'z', '', '+'],
    ['ZLEXCOUNT', 'z', '-x', '+'],
    ['ZLEXCOUNT', 'z', '++', '+'],
    ['ZLEXCOUNT', 'nokey', '-', '+'],
    ['ZLEXCOUNT', 'nokey', 'x', '+'],
    ['ZRANGEBYLEX', 'z', '-', '+'],
    ['ZRANGEBYLEX', 'z', '[aa', '(d'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '2', '3'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '2', '-1'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '-1', '2'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '100', '2'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '0', '0'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'WITHSCORES'],
    ['ZRANGEBYLEX', 'z', '-', '+', 'LIMIT', '1'],
    ['ZRANGEBYLEX', 'z', 'a', '+'],
    ['ZREVRANGEBYLEX', 'z', '+', '-'],
    ['ZREVRANGEBYLEX', 'z', '(d', '[aa'],
    ['ZREVRANGEBYLEX', 'z', '+', '-', 'LIMIT', '1', '2'],
    ['ZREVRANGEBYLEX', 'z', '-', '+'],
    ['ZRANGE', 'z', '[b', '[e', 'BYLEX'],
    ['ZRANGE', 'z', '[e', '[b', 'BYLEX', 'REV'],
    ['ZRANGE', 'z', '[e', '[b', 'BYLEX', 'REV', 'LIMIT', '1', '2'],
    ['ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES'],
    ['ZREMRANGEBYLEX', 'z', '[b', '(d'],
    ['ZRANGE', 'z', '0', '-1'],
    ['ZREMRANGEBYLEX', 'z', 'x', '(d'],
    ['ZREMRANGEBYLEX', 'z', '-', '+'],
    ['EXISTS', 'z'],
    ['ZREMRANGEBYLEX', 'nokey', '-', '+'],
    // Mixed scores on a small set: Redis scans the listpack in order.
    ['ZADD', 'm', '1', 'c', '2', 'a', '3', 'b', '4', 'd'],
    ['ZRANGEBYLEX', 'm', '[b', '+'],
    ['ZRANGEBYLEX', 'm', '-', '[b'],
    ['ZREVRANGEBYLEX', 'm', '+', '[b'],
    ['ZREVRANGEBYLEX', 'm', '[c', '-'],
    ['ZLEXCOUNT', 'm', '[b', '+'],
    ['ZLEXCOUNT', 'm', '[a', '[c'],
    ['ZREMRANGEBYLEX', 'm', '[a', '[b'],
    ['ZRANGE', 'm', '0', '-1'],
  ],
  zrange: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '-inf', 'n', 'inf', 'p'],
    ['ZRANGE', 'z', '0', '-1'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZRANGE', 'z', '0', '-1', 'withscores', 'WITHSCORES'],
    ['ZRANGE', 'z', '2', '3'],
    ['ZRANGE', 'z', '-2', '-1'],
    ['ZRANGE', 'z', '-100', '100'],
    ['ZRANGE', 'z', '5', '2'],
    ['ZRANGE', 'z', '100', '200'],
    ['ZRANGE', 'z', '0', '-100'],
    ['ZRANGE', 'z', '0', '1', 'REV'],
    ['ZRANGE', 'z', '0', '1', 'REV', 'WITHSCORES'],
    ['ZRANGE', 'z', '-3', '-1', 'REV'],
    ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1'],
    ['ZRANGE', 'z', 'a', '1'],
    ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYLEX'],
    ['ZRANGE', 'z', '0', '1', 'REV', 'REV'],
    ['ZRANGE', 'z', '0', '1', 'foo'],
    ['ZRANGE', 'z', '0', '1', 'LIMIT', '1'],
    ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'LIMIT', 'x', '1'],
    ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'LIMIT', '0', 'y'],
    ['ZRANGE', 'z', '(1', '4', 'BYSCORE'],
    ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'WITHSCORES'],
    ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '3', 'WITHSCORES'],
    ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '2', '3', 'WITHSCORES'],
    ['ZRANGE', 'z', '4', '(1', 'BYSCORE', 'REV'],
    ['ZRANGE', 'z', '(1', '4', 'BYSCORE', 'REV'],
    ['ZRANGE', 'z', 'x', '4', 'BYSCORE'],
    ['ZRANGE', 'z', '[a', '[b', 'BYLEX', 'WITHSCORES'],
    ['ZRANGE', 'nokey', '0', '-1'],
    ['ZRANGE', 'nokey', '0', '-1', 'WITHSCORES'],
    ['ZRANGE', 'nokey', 'x', '-1'],
    ['ZREVRANGE', 'z', '0', '2'],
    ['ZREVRANGE', 'z', '0', '2', 'WITHSCORES'],
    ['ZREVRANGE', 'z', '0', '2', 'REV'],
    ['ZREVRANGE', 'z', '0', '2', 'BYSCORE'],
    ['ZREVRANGE', 'z', '0', '2', 'LIMIT', '0', '1'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf'],
    ['ZRANGEBYSCORE', 'z', '2', '4', 'WITHSCORES'],
    ['ZRANGEBYSCORE', 'z', '(2', '(4'],
    ['ZRANGEBYSCORE', 'z', '2', '4', 'LIMIT', '1', '1'],
    ['ZRANGEBYSCORE', 'z', '-inf', 'inf', 'LIMIT', '1', '-1'],
    ['ZRANGEBYSCORE', 'z', '-inf', 'inf', 'LIMIT', '-1', '2'],
    ['ZRANGEBYSCORE', 'z', '-inf', 'inf', 'LIMIT', '7', '2'],
    ['ZRANGEBYSCORE', 'z', '-inf', 'inf', 'LIMIT', '6', '2'],
    ['ZRANGEBYSCORE', 'z', '4', '2'],
    ['ZRANGEBYSCORE', 'z', '2', '4', 'REV'],
    ['ZRANGEBYSCORE', 'z', '2', '4', 'BYSCORE'],
    ['ZRANGEBYSCORE', 'z', '2', 'x'],
    ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf'],
    ['ZREVRANGEBYSCORE', 'z', '4', '2', 'WITHSCORES'],
    ['ZREVRANGEBYSCORE', 'z', '(4', '(2'],
    ['ZREVRANGEBYSCORE', 'z', '4', '2', 'LIMIT', '1', '5'],
    ['ZREVRANGEBYSCORE', 'z', '2', '4'],
    ['HSET', 'h', 'f', 'v'],
    ['ZRANGE', 'h', '0', '-1'],
    ['ZRANGE', 'h', 'x', '-1'],
    ['ZRANGEBYSCORE', 'h', '0', '1'],
  ],
  zrangestore: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
    ['ZRANGESTORE', 'd', 'z', '0', '1'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'z', '2', '3', 'BYSCORE'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'z', '4', '1', 'BYSCORE', 'REV', 'LIMIT', '1', '2'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'z', '[a', '[c', 'BYLEX'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'z', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'z', '0', '-1', 'LIMIT', '0', '1'],
    ['ZRANGESTORE', 'd', 'z', 'x', '-1'],
    ['ZRANGESTORE', 'd', 'z', '10', '20'],
    ['EXISTS', 'd'],
    ['ZRANGESTORE', 'd', 'z', '0', '0'],
    ['ZRANGESTORE', 'd', 'nokey', '0', '-1'],
    ['EXISTS', 'd'],
    ['ZRANGESTORE', 'z', 'z', '1', '2'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['HSET', 'h', 'f', 'v'],
    ['ZRANGESTORE', 'd', 'h', '0', '-1'],
    ['ZRANGESTORE', 'h', 'z', '0', '-1'],
    ['TYPE', 'h'],
    ['OBJECT', 'ENCODING', 'h'],
  ],
  zrem: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'],
    ['ZREM', 'z', 'a', 'nosuch', 'a', 'b'],
    ['ZREM', 'nokey', 'a'],
    ['ZREMRANGEBYRANK', 'z', '0', '0'],
    ['ZRANGE', 'z', '0', '-1'],
    ['ZREMRANGEBYRANK', 'z', '-1', '-1'],
    ['ZREMRANGEBYRANK', 'z', '5', '10'],
    ['ZREMRANGEBYRANK', 'z', '1', '0'],
    ['ZREMRANGEBYRANK', 'z', 'x', '0'],
    ['ZRANGE', 'z', '0', '-1'],
    ['ZREMRANGEBYSCORE', 'z', '(4', '5'],
    ['ZREMRANGEBYSCORE', 'z', 'x', '5'],
    ['ZREMRANGEBYSCORE', 'z', '10', '5'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
    ['EXISTS', 'z'],
    ['ZADD', 'z', '1', 'a'],
    ['ZREM', 'z', 'a'],
    ['EXISTS', 'z'],
    ['ZADD', 'z', '1', 'a', '2', 'b'],
    ['ZREMRANGEBYRANK', 'z', '0', '-1'],
    ['EXISTS', 'z'],
    ['ZREMRANGEBYRANK', 'nokey', '0', '-1'],
    ['ZREMRANGEBYSCORE', 'nokey', '0', '1'],
    ['HSET', 'h', 'f', 'v'],
    ['ZREM', 'h', 'a'],
    ['ZREMRANGEBYRANK', 'h', '0', '1'],
    ['ZREMRANGEBYSCORE', 'h', '0', '1'],
    ['ZREMRANGEBYLEX', 'h', '-', '+'],
  ],
  pops: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZPOPMIN', 'z'],
    ['ZPOPMAX', 'z'],
    ['ZPOPMIN', 'z', '1'],
    ['ZPOPMIN', 'z', '0'],
    ['ZPOPMIN', 'z', '-1'],
    ['ZPOPMIN', 'z', 'x'],
    ['ZPOPMIN', 'z', '1', '2'],
    ['ZPOPMAX', 'z', '10'],
    ['EXISTS', 'z'],
    ['ZPOPMIN', 'z'],
    ['ZPOPMIN', 'z', '3'],
    ['ZPOPMIN', 'z', '0'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZMPOP', '1', 'z', 'MIN'],
    ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '2'],
    ['ZMPOP', '2', 'nokey', 'z', 'min', 'count', '10'],
    ['ZMPOP', '2', 'nokey', 'z', 'MIN'],
    ['EXISTS', 'z'],
    ['ZMPOP', '0', 'z', 'MIN'],
    ['ZMPOP', 'x', 'z', 'MIN'],
    ['ZMPOP', '-1', 'z', 'MIN'],
    ['ZMPOP', '1', 'z', 'FOO'],
    ['ZMPOP', '2', 'z', 'MIN'],
    ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '0'],
    ['ZMPOP', '1', 'z', 'MIN', 'COUNT', 'x'],
    ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '1', 'COUNT', '1'],
    ['ZMPOP', '1', 'z', 'MIN', 'COUNT'],
    ['ZMPOP', '1', 'z', 'MIN', 'FOO'],
    ['HSET', 'h', 'f', 'v'],
    ['ZPOPMIN', 'h'],
    ['ZPOPMIN', 'h', '0'],
    ['ZPOPMIN', 'h', 'x'],
    ['ZMPOP', '2', 'nokey', 'h', 'MIN'],
    ['ZADD', 'z', '1', 'a'],
    ['ZMPOP', '2', 'z', 'h', 'MIN'],
    ['BZPOPMIN', 'h', '0'],
    ['BZPOPMIN', 'nokey', 'x'],
    ['BZPOPMIN', 'nokey', '-1'],
    ['BZMPOP', 'x', '1', 'z', 'MIN'],
    ['BZMPOP', '0', '0', 'z', 'MIN'],
    ['BZMPOP', '-1', '1', 'z', 'MIN'],
    ['BZMPOP', '0', '1', 'z', 'FOO'],
    ['BZMPOP', 'x', '1', 'z', 'FOO'],
  ],
  zrandmember: [
    ['ZRANDMEMBER', 'nokey'],
    ['ZRANDMEMBER', 'nokey', '5'],
    ['ZRANDMEMBER', 'nokey', '5', 'WITHSCORES'],
    ['ZADD', 'z', '1', 'a'],
    ['ZRANDMEMBER', 'z'],
    ['ZRANDMEMBER', 'z', '1'],
    ['ZRANDMEMBER', 'z', '3', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '-3', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '-3'],
    ['ZRANDMEMBER', 'z', '0'],
    ['ZRANDMEMBER', 'z', '0', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', 'x'],
    ['ZRANDMEMBER', 'z', '1', 'FOO'],
    ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
    ['ZRANDMEMBER', 'z', '-9223372036854775808'],
    ['ZRANDMEMBER', 'z', '9223372036854775807', 'foo'],
    ['ZRANDMEMBER', 'z', '-4611686018427387904', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '4611686018427387904', 'WITHSCORES'],
    ['ZADD', 'z', '2', 'b', '3', 'c'],
    ['ZRANDMEMBER', 'z', '3', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '10'],
    // A count at least the size returns the whole set, in order.
    { args: ['ZRANDMEMBER', 'z', '3', 'WITHSCORES'], mode: 'exact' },
    { args: ['ZRANDMEMBER', 'z', '10'], mode: 'exact' },
    bulkAdd('big', 200),
    { args: ['ZRANDMEMBER', 'big', '200', 'WITHSCORES'], mode: 'exact' },
    { args: ['ZRANDMEMBER', 'big', '-5', 'WITHSCORES'], mode: 'type' },
    { args: ['ZRANDMEMBER', 'big', '150'], mode: 'type' },
    ['HSET', 'h', 'f', 'v'],
    ['ZRANDMEMBER', 'h'],
    ['ZRANDMEMBER', 'h', '1'],
  ],
  setops: [
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'],
    ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'],
    ['SADD', 's', 'x', 'w', 'q'],
    ['ZUNION', '2', 'a', 'b'],
    ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
    ['ZUNION', '3', 'a', 'b', 's', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'max', 'WITHSCORES', 'WEIGHTS', '1', '-1'],
    ['ZUNION', '2', 'a', 'nokey', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'WITHSCORES'],
    ['ZINTER', '3', 'a', 'b', 's', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 's', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'a', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'WEIGHTS', '0', 'inf', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'AGGREGATE', 'MAX'],
    ['ZINTER', '2', 'a', 'nokey'],
    ['ZDIFF', '2', 'a', 'b'],
    ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'],
    ['ZDIFF', '2', 'b', 's', 'WITHSCORES'],
    ['ZDIFF', '1', 'a', 'WITHSCORES'],
    ['ZDIFF', '2', 'a', 'a'],
    ['ZDIFF', '2', 'nokey', 'a'],
    ['ZDIFF', '1', 'a', 'WEIGHTS', '1'],
    ['ZDIFF', '1', 'a', 'AGGREGATE', 'SUM'],
    ['ZINTERCARD', '2', 'a', 'b'],
    ['ZINTERCARD', '3', 'a', 'b', 's'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', 'x'],
    ['ZINTERCARD', '2', 'a', 'b', 'WITHSCORES'],
    ['ZINTERCARD', '2', 'a', 'b', 'WEIGHTS', '1', '1'],
    ['ZINTERCARD', '0', 'a'],
    ['ZINTERCARD', '3', 'a'],
    ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['OBJECT', 'ENCODING', 'd'],
    ['ZINTERSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2', 'AGGREGATE', 'SUM'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'd', '2', 'a', 'b'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'd', '2', 'a', 'a'],
    ['EXISTS', 'd'],
    ['ZUNIONSTORE', 'd', '2', 'nokey', 'nokey2'],
    ['ZUNIONSTORE', 'a', '2', 'a', 'b'],
    ['ZRANGE', 'a', '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'd', '1', 'a', 'WITHSCORES'],
    ['ZUNIONSTORE', 'd', '0', 'a'],
    ['ZUNION', '0', 'a'],
    ['ZUNION', '-1', 'a'],
    ['ZUNION', 'x', 'a'],
    ['ZUNION', '3', 'a', 'b'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'x'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'AVG'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE'],
    ['ZUNION', '2', 'a', 'b', 'FOO'],
    ['ZINTERSTORE', 'd', '0', 'a'],
    ['ZDIFFSTORE', 'd', '0', 'a'],
    ['HSET', 'h', 'f', 'v'],
    ['ZUNION', '2', 'a', 'h'],
    ['ZUNION', '2', 'a', 'h', 'FOO'],
    ['ZINTER', '2', 'h', 'a'],
    ['ZINTERCARD', '1', 'h'],
    ['ZUNIONSTORE', 'h', '1', 'a'],
    ['TYPE', 'h'],
    ['ZADD', 'i1', 'inf', 'x', '-inf', 'y'],
    ['ZADD', 'i2', '-inf', 'x', 'inf', 'y'],
    ['ZUNION', '2', 'i1', 'i2', 'WITHSCORES'],
    ['ZINTER', '2', 'i1', 'i2', 'WITHSCORES', 'WEIGHTS', '0', '1'],
    ['ZADD', 'f1', '0.1', 'x', '0.2', 'y'],
    ['ZADD', 'f2', '0.2', 'x', '0.1', 'y', '5', 'z'],
    ['ZADD', 'f3', '0.3', 'x', '0.7', 'y', '5', 'z', '6', 'q'],
    ['ZUNION', '3', 'f3', 'f2', 'f1', 'WITHSCORES'],
    ['ZINTER', '3', 'f3', 'f1', 'f2', 'WITHSCORES'],
  ],
  zscan: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '1.5', 'c', 'inf', 'd', '-0', 'e'],
    ['ZSCAN', 'z', '0'],
    ['ZSCAN', 'z', '0', 'COUNT', '1'],
    ['ZSCAN', 'z', '0', 'MATCH', '[ab]'],
    ['ZSCAN', 'z', '0', 'MATCH', '*', 'COUNT', '100'],
    ['ZSCAN', 'z', '0', 'COUNT', '0'],
    ['ZSCAN', 'z', '0', 'COUNT', 'x'],
    ['ZSCAN', 'z', '0', 'TYPE', 'zset'],
    ['ZSCAN', 'z', '0', 'MATCH'],
    ['ZSCAN', 'z', 'x'],
    ['ZSCAN', 'z', '-1'],
    ['ZSCAN', 'nokey', '0'],
    ['ZSCAN', 'nokey', '0', 'FOO'],
    ['ZSCAN', 'nokey', 'x'],
    ['HSET', 'h', 'f', 'v'],
    ['ZSCAN', 'h', '0'],
    // A small (listpack) set keeps an integral score within 2^62 as an integer, which ZSCAN prints in full.
    ['ZADD', 'big', '1e17', 'n', '-1e18', 'q', '123456789012345678', 'e', '1.5', 'f', '4611686018427387904', 'g'],
    ['ZADD', 'big', '-4611686018427387904', 'h', '9.3e18', 'i', '-9.3e18', 'j', '1e300', 'k', '-inf', 'l', '2e15', 'm'],
    // One call returns a small set whole (cursor 0 on both), so the reply is compared byte for byte.
    { args: ['ZSCAN', 'big', '0', 'COUNT', '100'], mode: 'exact' },
    ['ZRANGE', 'big', '0', '-1', 'WITHSCORES'],
  ],
  encodings: [
    bulkAdd('z', 128),
    ['OBJECT', 'ENCODING', 'z'],
    ['ZADD', 'z', '1000', 'extra'],
    ['OBJECT', 'ENCODING', 'z'],
    ['ZREMRANGEBYRANK', 'z', '0', '-3'],
    ['OBJECT', 'ENCODING', 'z'],
    ['ZADD', 'long', '1', 'x'.repeat(64)],
    ['OBJECT', 'ENCODING', 'long'],
    ['ZADD', 'long', '1', 'y'.repeat(65)],
    ['OBJECT', 'ENCODING', 'long'],
    ['ZADD', 'long2', '1', 'y'.repeat(65)],
    ['OBJECT', 'ENCODING', 'long2'],
    ['ZINCRBY', 'long3', '1', 'y'.repeat(65)],
    ['OBJECT', 'ENCODING', 'long3'],
    ['ZUNIONSTORE', 'u', '1', 'z'],
    ['OBJECT', 'ENCODING', 'u'],
    ['ZUNIONSTORE', 'u', '1', 'long'],
    ['OBJECT', 'ENCODING', 'u'],
    bulkAdd('big', 200),
    ['ZRANGESTORE', 'r', 'big', '0', '127'],
    ['OBJECT', 'ENCODING', 'r'],
    ['ZRANGESTORE', 'r', 'big', '0', '128'],
    ['OBJECT', 'ENCODING', 'r'],
    ['ZRANGESTORE', 'r', 'big', '-inf', '+inf', 'BYSCORE', 'LIMIT', '0', '10'],
    ['OBJECT', 'ENCODING', 'r'],
    ['ZUNIONSTORE', 'u', '1', 'big'],
    ['OBJECT', 'ENCODING', 'u'],
    ['ZINTERSTORE', 'u', '2', 'big', 'r'],
    ['OBJECT', 'ENCODING', 'u'],
    ['ZDIFFSTORE', 'u', '2', 'big', 'r'],
    ['OBJECT', 'ENCODING', 'u'],
  ],
  large: [
    bulkAdd('big', 1000, 0.5),
    bulkAdd('big', 300, 0, 'same'),
    bulkAdd('lex', 300, 0, 'same'),
    ['OBJECT', 'ENCODING', 'lex'],
    ['ZCARD', 'big'],
    ['OBJECT', 'ENCODING', 'big'],
    ['ZRANK', 'big', 'm500'],
    ['ZREVRANK', 'big', 'm500'],
    ['ZRANK', 'big', 'same77'],
    ['ZRANGE', 'big', '290', '310', 'WITHSCORES'],
    ['ZRANGE', 'big', '-5', '-1', 'REV'],
    ['ZRANGEBYSCORE', 'big', '(100', '110', 'WITHSCORES'],
    ['ZRANGEBYSCORE', 'big', '-inf', '+inf', 'LIMIT', '700', '5'],
    ['ZRANGEBYSCORE', 'big', '-inf', '+inf', 'LIMIT', '-1', '5'],
    ['ZRANGEBYSCORE', 'big', '-inf', '+inf', 'LIMIT', '1299', '5'],
    ['ZRANGEBYSCORE', 'big', '-inf', '+inf', 'LIMIT', '1300', '5'],
    ['ZREVRANGEBYSCORE', 'big', '+inf', '-inf', 'LIMIT', '700', '5', 'WITHSCORES'],
    ['ZREVRANGEBYSCORE', 'big', '100', '(90', 'LIMIT', '2', '3'],
    ['ZCOUNT', 'big', '0', '0'],
    ['ZCOUNT', 'big', '(0', '250'],
    ['ZLEXCOUNT', 'lex', '[same1', '[same2'],
    ['ZRANGEBYLEX', 'lex', '[same1', '(same11', 'LIMIT', '0', '5'],
    ['ZREVRANGEBYLEX', 'lex', '(same3', '[same1', 'LIMIT', '3', '4'],
    ['ZREMRANGEBYSCORE', 'big', '(10', '20'],
    ['ZREMRANGEBYRANK', 'big', '500', '599'],
    ['ZREMRANGEBYLEX', 'lex', '[same2', '[same3'],
    ['ZRANGE', 'lex', '0', '-1'],
    ['ZREMRANGEBYRANK', 'big', '0', '250'],
    ['ZCARD', 'big'],
    ['ZRANGE', 'big', '0', '-1', 'WITHSCORES'],
    ['ZPOPMIN', 'big', '3'],
    ['ZPOPMAX', 'big', '3'],
    ['ZMPOP', '1', 'big', 'MAX', 'COUNT', '4'],
    ['ZINCRBY', 'big', '1000', 'same5'],
    ['ZRANK', 'big', 'same5'],
    ['ZSCORE', 'big', 'same5'],
    ['ZUNION', '2', 'big', 'big', 'WITHSCORES', 'AGGREGATE', 'MAX'],
    ['ZINTERCARD', '2', 'big', 'big', 'LIMIT', '100'],
  ],
};

describe('sorted-set commands match Redis', () => {
  scriptTests(SCRIPTS, () => pair);
});

describe('ZSCAN over a large set', () => {
  test('a full iteration returns every member once with its score, MATCH filters', async () => {
    for (const port of [redis.port, cairn.port]) {
      const conn = await RawConnection.connect(port);
      await conn.call(['FLUSHALL']);
      await conn.call(bulkAdd('big', 1000, 0.25));
      for (const [pattern, expected] of [
        ['*', 1000],
        ['m1*', 111],
      ] as const) {
        const seen = new Map<string, string>();
        let cursor = '0';
        do {
          const reply = await conn.call(['ZSCAN', 'big', cursor, 'MATCH', pattern, 'COUNT', '50']);
          const text = reply.toString('latin1');
          const parts = text.split('\r\n');
          cursor = parts[2]!;
          const items = parts.slice(4).filter((_x, i) => i % 2 === 1);
          for (let i = 0; i + 1 < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
        } while (cursor !== '0');
        assert.equal(seen.size, expected, `port ${port} pattern ${pattern}`);
        assert.equal(seen.get('m10'), '2.5');
      }
      await conn.close();
    }
  });
});

describe('blocking pops', () => {
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  /**
   * Runs a scenario on one server with several connections and returns what each step read, for comparison
   * between the servers. A step sends on a connection and optionally reads one reply (`read: false` leaves it
   * pending); `{ wait }` pauses; `{ read }` reads a pending reply of a connection.
   */
  type Op = { conn: number; args: string[]; read?: boolean } | { wait: number } | { readFrom: number };
  async function scenario(port: number, resp: 2 | 3, ops: Op[], conns = 3): Promise<string[]> {
    const cs: RawConnection[] = [];
    for (let i = 0; i < conns; i++) {
      const c = await RawConnection.connect(port);
      if (resp === 3) await c.call(['HELLO', '3']);
      cs.push(c);
    }
    await cs[0]!.call(['FLUSHALL']);
    const out: string[] = [];
    try {
      for (const op of ops) {
        if ('wait' in op) await sleep(op.wait);
        else if ('readFrom' in op)
          out.push(`${op.readFrom}< ${(await cs[op.readFrom]!.readReply(3000)).toString('latin1')}`);
        else {
          cs[op.conn]!.send(op.args);
          if (op.read !== false) out.push(`${op.conn}< ${(await cs[op.conn]!.readReply(3000)).toString('latin1')}`);
        }
      }
    } finally {
      for (const c of cs) await c.close();
    }
    return out;
  }

  async function same(ops: Op[]): Promise<void> {
    for (const resp of [2, 3] as const) {
      const [r, c] = await Promise.all([scenario(redis.port, resp, ops), scenario(cairn.port, resp, ops)]);
      assert.deepEqual(c, r, `RESP${resp}`);
    }
  }

  test('BZPOPMIN/BZPOPMAX serve at once when a key holds elements, else wait for a write', async () => {
    await same([
      { conn: 0, args: ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'] },
      { conn: 0, args: ['BZPOPMIN', 'nokey', 'z', '0'] },
      { conn: 0, args: ['BZPOPMAX', 'z', 'nokey', '0'] },
      { conn: 1, args: ['BZPOPMIN', 'w1', 'w2', '0'], read: false },
      { wait: 50 },
      { conn: 0, args: ['ZADD', 'w2', '5', 'x', '6', 'y'] },
      { readFrom: 1 },
      { conn: 0, args: ['ZRANGE', 'w2', '0', '-1', 'WITHSCORES'] },
      { conn: 1, args: ['BZPOPMAX', 'w2', '0'] },
      { conn: 1, args: ['EXISTS', 'w2'] },
    ]);
  });

  test('waiters are served first come, first served; a timeout replies a null array', async () => {
    await same([
      { conn: 1, args: ['BZPOPMIN', 'k', '0'], read: false },
      { wait: 30 },
      { conn: 2, args: ['BZPOPMAX', 'k', '0'], read: false },
      { wait: 30 },
      { conn: 0, args: ['ZADD', 'k', '1', 'a'] },
      { readFrom: 1 },
      { conn: 0, args: ['ZADD', 'k', '2', 'b', '3', 'c'] },
      { readFrom: 2 },
      { conn: 0, args: ['ZRANGE', 'k', '0', '-1'] },
      { conn: 1, args: ['BZPOPMIN', 'nokey', '0.05'] },
      { conn: 1, args: ['BZMPOP', '0.05', '1', 'nokey', 'MIN'] },
    ]);
  });

  test('BZMPOP serves with COUNT', async () => {
    await same([
      { conn: 1, args: ['BZMPOP', '0', '2', 'a', 'b', 'MAX', 'COUNT', '2'], read: false },
      { wait: 30 },
      { conn: 0, args: ['ZADD', 'b', '1', 'x', '2', 'y', '3', 'z'] },
      { readFrom: 1 },
      { conn: 1, args: ['BZMPOP', '0', '2', 'a', 'b', 'MIN', 'COUNT', '5'] },
      { conn: 1, args: ['EXISTS', 'b'] },
      { conn: 0, args: ['HSET', 'h', 'f', 'v'] },
      { conn: 1, args: ['BZPOPMIN', 'nokey', 'h', '0'] },
      { conn: 1, args: ['BZMPOP', '0', '2', 'nokey', 'h', 'MIN'] },
      { conn: 1, args: ['BZPOPMIN', 'k', '0.3'], read: false },
      { wait: 30 },
      { conn: 0, args: ['HSET', 'k', 'f', 'v'] },
      { readFrom: 1 },
    ]);
  });

  test(
    'a MULTI that adds and removes serves what is left after EXEC',
    { skip: !HAS_MULTI && 'MULTI/EXEC is not in Cairn yet' },
    async () => {
      await same([
        { conn: 1, args: ['BZMPOP', '0', '2', 'a', 'b', 'MAX', 'COUNT', '2'], read: false },
        { wait: 30 },
        { conn: 0, args: ['MULTI'] },
        { conn: 0, args: ['ZADD', 'b', '1', 'x', '2', 'y', '3', 'z'] },
        { conn: 0, args: ['ZREM', 'b', 'z'] },
        { conn: 0, args: ['EXEC'] },
        { readFrom: 1 },
        { conn: 2, args: ['BZPOPMIN', 'e', '0'], read: false },
        { wait: 30 },
        { conn: 0, args: ['MULTI'] },
        { conn: 0, args: ['ZADD', 'e', '1', 'x'] },
        { conn: 0, args: ['ZREM', 'e', 'x'] },
        { conn: 0, args: ['EXEC'] },
        { conn: 0, args: ['ZADD', 'e', '7', 'q'] },
        { readFrom: 2 },
      ]);
    },
  );

  test(
    'blocking pops inside MULTI do not block',
    { skip: !HAS_MULTI && 'MULTI/EXEC is not in Cairn yet' },
    async () => {
      await same([
        { conn: 0, args: ['MULTI'] },
        { conn: 0, args: ['BZPOPMIN', 'nokey', '0'] },
        { conn: 0, args: ['BZMPOP', '0', '1', 'nokey', 'MIN'] },
        { conn: 0, args: ['EXEC'] },
      ]);
    },
  );

  test('a client that may not block gets a null array at once (in-process)', async () => {
    const s = await startServer({ port: 0 });
    const c = s.server.createLocalClient();
    c.multi = { queue: [], failed: false };
    for (const argv of [
      ['BZPOPMIN', 'nokey', '0'],
      ['BZMPOP', '0', '1', 'nokey', 'MIN'],
    ]) {
      s.server.call(c, s.server.commands.lookup(argv[0]!)!, argv);
      assert.equal(Buffer.concat(c.out.take()).toString('latin1'), '*-1\r\n');
      assert.equal(c.blocked, false);
    }
    await s.close();
  });

  test('a served waiter propagates ZPOPMIN/ZPOPMAX', async () => {
    const s = await startServer({ port: 0 });
    const effects = recordEffects(s.server, false);
    const a = await RawConnection.connect(s.port);
    const b = await RawConnection.connect(s.port);
    a.send(['BZPOPMAX', 'k', '0']);
    await sleep(30);
    await b.call(['ZADD', 'k', '1', 'x', '2', 'y']);
    await a.readReply();
    a.send(['BZMPOP', '0', '1', 'j', 'MIN', 'COUNT', '3']);
    await sleep(30);
    await b.call(['ZADD', 'j', '1', 'x', '2', 'y']);
    await a.readReply();
    await a.call(['BZPOPMIN', 'k', '0']);
    await a.close();
    await b.close();
    await s.close();
    assert.deepEqual(effects, [
      ['ZADD', 'k', '1', 'x', '2', 'y'],
      ['ZPOPMAX', 'k'],
      ['ZADD', 'j', '1', 'x', '2', 'y'],
      ['ZPOPMIN', 'j', '2'],
      ['ZPOPMIN', 'k'],
    ]);
  });
});

describe('command rows match COMMAND INFO and COMMAND DOCS of Redis', () => {
  test('every sorted-set row, RESP2 and RESP3', async () => {
    const scripts: Script[] = [commandRowSteps(sortedSetCommands)];
    await compareScripts(pair, scripts, { resp: 2 });
    await compareScripts(pair, scripts, { resp: 3 });
  });
});

describe('effects', () => {
  const run = (cmds: string[][]): Promise<string[][]> => effectsOf(cmds, false);

  test('writes propagate as sent; ZMPOP as ZPOPMIN/ZPOPMAX with the count popped; no-ops propagate nothing', async () => {
    const effects = await run([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZADD', 'z', 'NX', '5', 'a'],
      ['ZINCRBY', 'z', '0.5', 'a'],
      ['ZREM', 'z', 'nosuch'],
      ['ZMPOP', '2', 'nokey', 'z', 'MAX', 'COUNT', '10'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZMPOP', '1', 'z', 'MIN'],
      ['ZPOPMIN', 'nokey'],
      ['ZRANGESTORE', 'd', 'z', '0', '-1'],
      ['ZUNIONSTORE', 'e', '1', 'nokey'],
      ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
    ]);
    assert.deepEqual(effects, [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZINCRBY', 'z', '0.5', 'a'],
      ['ZPOPMAX', 'z', '3'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZPOPMIN', 'z', '1'],
      ['ZRANGESTORE', 'd', 'z', '0', '-1'],
      ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
    ]);
  });
});

describe('snapshot codec', () => {
  test('a sorted set round-trips; small sets come back in the small encoding', () => {
    for (const [n, step] of [
      [3, 1],
      [500, 0.25],
    ] as const) {
      const z = new SortedSet(false);
      for (let i = 0; i < n; i++) z.insert('m' + i, i * step - 7);
      z.insert('neg0', -0);
      z.insert('inf', Infinity);
      const w = new ByteWriter();
      encodeValue(z, w);
      const back = decodeValue(new ByteReader(w.toBuffer())) as SortedSet;
      const a: [string, number][] = [];
      const b: [string, number][] = [];
      // The small encoding keeps -0 as 0, as Redis's listpack does.
      z.forEach((m, sc) => a.push([m, n + 2 <= 128 && sc === 0 ? 0 : sc]));
      back.forEach((m, sc) => b.push([m, sc]));
      assert.deepEqual(b, a);
      assert.equal(back.encoding(), n + 2 <= 128 ? 'listpack' : 'skiplist');
    }
  });
});

describe('random command sequences match Redis', () => {
  const key = fc.constantFrom('a', 'b', 'c');
  const member = fc.constantFrom('x', 'y', 'z', 'w', 'v', 'aa', '', BIN);
  const score = fc.constantFrom('0', '1', '-1', '2.5', '-0', 'inf', '-inf', '1e300', '0.1', '3');
  const bound = fc.constantFrom('-inf', '+inf', '0', '(0', '1', '(1', '2.5', '(3', '-1');
  const lexBound = fc.constantFrom('-', '+', '[x', '(x', '[aa', '(z', '[', '[w');
  const idx = fc.constantFrom('0', '1', '-1', '2', '-2', '5', '-100');
  const cmd: fc.Arbitrary<string[]> = fc.oneof(
    fc
      .tuple(
        key,
        fc.constantFrom([], ['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['GT', 'CH'], ['XX', 'LT']),
        fc.array(fc.tuple(score, member), { minLength: 1, maxLength: 4 }),
      )
      .map(([k, o, ps]) => ['ZADD', k, ...o, ...ps.flat()]),
    fc
      .tuple(key, score, member, fc.constantFrom([], ['GT'], ['NX']))
      .map(([k, s, m, o]) => ['ZADD', k, 'INCR', ...o, s, m]),
    fc.tuple(key, score, member).map(([k, s, m]) => ['ZINCRBY', k, s, m]),
    fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['ZREM', k, ...ms]),
    fc.tuple(key, member).map(([k, m]) => ['ZSCORE', k, m]),
    fc.tuple(key, member).map(([k, m]) => ['ZRANK', k, m]),
    fc.tuple(key, member).map(([k, m]) => ['ZREVRANK', k, m]),
    key.map((k) => ['ZCARD', k]),
    fc.tuple(key, bound, bound).map(([k, a, b]) => ['ZCOUNT', k, a, b]),
    fc
      .tuple(key, idx, idx, fc.constantFrom([], ['WITHSCORES'], ['REV'], ['REV', 'WITHSCORES']))
      .map(([k, a, b, o]) => ['ZRANGE', k, a, b, ...o]),
    fc
      .tuple(
        key,
        bound,
        bound,
        fc.constantFrom([], ['WITHSCORES'], ['REV'], ['LIMIT', '1', '2'], ['REV', 'LIMIT', '0', '1', 'WITHSCORES']),
      )
      .map(([k, a, b, o]) => ['ZRANGE', k, a, b, 'BYSCORE', ...o]),
    fc.tuple(key, bound, bound).map(([k, a, b]) => ['ZREVRANGEBYSCORE', k, a, b, 'WITHSCORES']),
    fc.tuple(key, key, idx, idx).map(([d, s, a, b]) => ['ZRANGESTORE', d, s, a, b]),
    fc.tuple(key, idx, idx).map(([k, a, b]) => ['ZREMRANGEBYRANK', k, a, b]),
    fc.tuple(key, bound, bound).map(([k, a, b]) => ['ZREMRANGEBYSCORE', k, a, b]),
    fc.tuple(key, fc.constantFrom([], ['1'], ['2'], ['0'])).map(([k, n]) => ['ZPOPMIN', k, ...n]),
    fc.tuple(key, fc.constantFrom([], ['1'], ['3'])).map(([k, n]) => ['ZPOPMAX', k, ...n]),
    fc
      .tuple(key, key, fc.constantFrom('MIN', 'MAX'), fc.constantFrom([], ['COUNT', '2']))
      .map(([a, b, w, o]) => ['ZMPOP', '2', a, b, w, ...o]),
    fc
      .tuple(fc.constantFrom('ZUNION', 'ZINTER', 'ZDIFF'), key, key, fc.constantFrom([], ['WITHSCORES']))
      .map(([c, a, b, o]) => [c, '2', a, b, ...o]),
    fc
      .tuple(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE'), key, key, key)
      .map(([c, d, a, b]) => [c, d, '2', a, b]),
    fc
      .tuple(key, key, fc.constantFrom('SUM', 'MIN', 'MAX'))
      .map(([a, b, g]) => ['ZUNION', '2', a, b, 'WEIGHTS', '2', '-1', 'AGGREGATE', g, 'WITHSCORES']),
    fc.tuple(key, key).map(([a, b]) => ['ZINTERCARD', '2', a, b]),
    key.map((k) => ['ZSCAN', k, '0']),
  );
  // Lexical commands only on a key whose members all share one score.
  const lexCmd: fc.Arbitrary<string[]> = fc.oneof(
    fc.array(member, { minLength: 1, maxLength: 4 }).map((ms) => ['ZADD', 'lex', ...ms.flatMap((m) => ['0', m])]),
    fc.tuple(lexBound, lexBound).map(([a, b]) => ['ZLEXCOUNT', 'lex', a, b]),
    fc
      .tuple(lexBound, lexBound, fc.constantFrom([], ['LIMIT', '1', '2']))
      .map(([a, b, o]) => ['ZRANGEBYLEX', 'lex', a, b, ...o]),
    fc.tuple(lexBound, lexBound).map(([a, b]) => ['ZREVRANGEBYLEX', 'lex', a, b]),
    fc.tuple(lexBound, lexBound).map(([a, b]) => ['ZREMRANGEBYLEX', 'lex', a, b]),
    fc.array(member, { minLength: 1, maxLength: 2 }).map((ms) => ['ZREM', 'lex', ...ms]),
  );

  test('property: mixed sorted-set command sequences', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 4, arbitrary: cmd }, { weight: 1, arbitrary: lexCmd }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (cmds) => {
          runs++;
          const tail = ['a', 'b', 'c', 'lex'].map((k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES']);
          await compareScripts(pair, [[...cmds, ...tail]], { resp: runs % 2 === 0 ? 3 : 2 });
        },
      ),
      { numRuns: 80 },
    );
  });

  test('property: the same sequences on sets past the listpack limits', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 30 }), async (cmds) => {
        runs++;
        const setup = [bulkAdd('a', 140, 0.5), bulkAdd('b', 200, -1), ['ZADD', 'c', '1', 'x'.repeat(70)]];
        const tail = ['a', 'b', 'c'].flatMap((k) => [
          ['ZRANGE', k, '0', '-1', 'WITHSCORES'],
          ['OBJECT', 'ENCODING', k],
        ]);
        await compareScripts(pair, [[...setup, ...cmds, ...tail]], { resp: runs % 2 === 0 ? 3 : 2 });
      }),
      { numRuns: 30 },
    );
  });
});
