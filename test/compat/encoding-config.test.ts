// Differential tests of the value-encoding directives against real Redis 7.0.15, in RESP2 and RESP3:
// hash-max-listpack-entries / -value, zset-max-listpack-entries / -value (and their old "ziplist" names),
// set-max-intset-entries, list-max-listpack-size (list-max-ziplist-size), list-compress-depth. CONFIG GET by name,
// alias and pattern, CONFIG SET's range and parse errors, and OBJECT ENCODING of values written before and after
// a change (Redis reads the thresholds at every write). Every script restores the defaults at its end.

import { describe, it } from 'node:test';
import { sharedPair } from '../support/servers.js';
import { compareScript, scriptTests, type Script } from '../support/differential.js';

const getPair = sharedPair();

const DEFAULTS: Script = [
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64'],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64'],
  ['CONFIG', 'SET', 'set-max-intset-entries', '512', 'list-max-listpack-size', '-2', 'list-compress-depth', '0'],
];

const fields = (n: number): string[] => Array.from({ length: n }, (_, i) => [`f${i}`, String(i)]).flat();
const members = (n: number): string[] => Array.from({ length: n }, (_, i) => [String(i), `m${i}`]).flat();
const ints = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i * 7));

const SCRIPTS: Record<string, Script> = {
  'CONFIG GET by name, old name and pattern': [
    ['CONFIG', 'GET', 'hash-max-listpack-entries'],
    ['CONFIG', 'GET', 'hash-max-ziplist-entries'],
    ['CONFIG', 'GET', 'HASH-MAX-ZIPLIST-VALUE'],
    ['CONFIG', 'GET', 'zset-max-*'],
    ['CONFIG', 'GET', 'set-max-intset-entries'],
    ['CONFIG', 'GET', 'list-max-*'],
    ['CONFIG', 'GET', 'list-compress-depth'],
    ['CONFIG', 'GET', '*-max-ziplist-*'],
  ],
  'CONFIG SET ranges and errors': [
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '-1'],
    ['CONFIG', 'SET', 'hash-max-ziplist-value', 'x'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '1.5'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '99999999999999999999'],
    ['CONFIG', 'SET', 'list-max-listpack-size', '-2147483649'],
    ['CONFIG', 'SET', 'list-max-ziplist-size', '-5'],
    ['CONFIG', 'GET', 'list-max-listpack-size'],
    ['CONFIG', 'SET', 'list-compress-depth', '-1'],
    ['CONFIG', 'SET', 'list-compress-depth', '3'],
    ['CONFIG', 'GET', 'list-compress-depth'],
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', '7', 'hash-max-listpack-entries', '8'],
    ['CONFIG', 'SET', 'zset-max-ziplist-entries', '9'],
    ['CONFIG', 'GET', 'zset-max-listpack-entries'],
    ...DEFAULTS,
  ],
  'hash thresholds follow the configuration': [
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', '4'],
    ['HSET', 'h4', ...fields(4)],
    ['OBJECT', 'ENCODING', 'h4'],
    ['HSET', 'h4', 'x', 'y'],
    ['OBJECT', 'ENCODING', 'h4'],
    ['HSET', 'h5', ...fields(5)],
    ['OBJECT', 'ENCODING', 'h5'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '3'],
    ['HSET', 'v', 'abc', 'xyz'],
    ['OBJECT', 'ENCODING', 'v'],
    ['HSET', 'v', 'abcd', '1'],
    ['OBJECT', 'ENCODING', 'v'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '0'],
    ['HSET', 'z', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'z'],
    ['HGETALL', 'z'],
    ...DEFAULTS,
    ['HSET', 'big', ...fields(512)],
    ['OBJECT', 'ENCODING', 'big'],
    ['HSET', 'big', 'one', 'more'],
    ['OBJECT', 'ENCODING', 'big'],
  ],
  'sorted-set thresholds follow the configuration': [
    ['CONFIG', 'SET', 'zset-max-ziplist-entries', '3'],
    ['ZADD', 'z3', ...members(3)],
    ['OBJECT', 'ENCODING', 'z3'],
    ['ZADD', 'z4', ...members(4)],
    ['OBJECT', 'ENCODING', 'z4'],
    ['ZRANGE', 'z4', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '2'],
    ['ZADD', 'zv', '1', 'ab'],
    ['OBJECT', 'ENCODING', 'zv'],
    ['ZADD', 'zw', '1', 'abc'],
    ['OBJECT', 'ENCODING', 'zw'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 'z0', '1', 'a'],
    ['OBJECT', 'ENCODING', 'z0'],
    ...DEFAULTS,
    ['ZADD', 'zd', ...members(128)],
    ['OBJECT', 'ENCODING', 'zd'],
    ['ZADD', 'zd', '1000', 'last'],
    ['OBJECT', 'ENCODING', 'zd'],
  ],
  'sorted-set thresholds apply to existing sets at their next insert': [
    ...DEFAULTS,
    ['ZADD', 'e', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
    ['OBJECT', 'ENCODING', 'e'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '3'],
    ['ZADD', 'e', '5', 'a'],
    ['ZINCRBY', 'e', '1', 'b'],
    ['OBJECT', 'ENCODING', 'e'],
    ['COPY', 'e', 'e-copy'],
    ['OBJECT', 'ENCODING', 'e-copy'],
    ['ZADD', 'e', '6', 'x'],
    ['OBJECT', 'ENCODING', 'e'],
    ['ZRANGE', 'e', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['ZADD', 'f', '1', 'a'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '2'],
    ['ZADD', 'f', '2', 'ab'],
    ['OBJECT', 'ENCODING', 'f'],
    ['ZADD', 'f', '3', 'abc'],
    ['OBJECT', 'ENCODING', 'f'],
    ['ZRANGE', 'f', '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'u', '1', 'e'],
    ['OBJECT', 'ENCODING', 'u'],
    ['ZRANGESTORE', 'r', 'e', '0', '1'],
    ['OBJECT', 'ENCODING', 'r'],
    ...DEFAULTS,
  ],
  'set thresholds follow the configuration': [
    ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
    ['SADD', 's3', ...ints(3)],
    ['OBJECT', 'ENCODING', 's3'],
    ['SADD', 's3', '1000'],
    ['OBJECT', 'ENCODING', 's3'],
    ['SMEMBERS', 's3'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '0'],
    ['SADD', 's0', '1'],
    ['OBJECT', 'ENCODING', 's0'],
    ...DEFAULTS,
    ['SADD', 'sd', ...ints(512)],
    ['OBJECT', 'ENCODING', 'sd'],
    ['SADD', 'sd', '-1'],
    ['OBJECT', 'ENCODING', 'sd'],
  ],
  'list directives leave lists as quicklists': [
    ['CONFIG', 'SET', 'list-max-ziplist-size', '1', 'list-compress-depth', '1'],
    ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
    ['OBJECT', 'ENCODING', 'l'],
    ['LRANGE', 'l', '0', '-1'],
    ['LINSERT', 'l', 'BEFORE', 'c', 'x'],
    ['LRANGE', 'l', '0', '-1'],
    ...DEFAULTS,
  ],
};

describe('value-encoding directives match Redis', () => {
  scriptTests(SCRIPTS, getPair, { modes: { SMEMBERS: 'unordered' } });
});

describe('a hash over a lowered entry limit (differential)', () => {
  it('converts at its next write, an update of an existing field included', async () => {
    await compareScript(await getPair(), [
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
      ['DEL', 'hc', 'hi', 'hf'],
      ['HSET', 'hc', 'a', '1', 'b', '2', 'c', '3'],
      ['HSET', 'hi', 'a', '1', 'b', '2', 'c', '3'],
      ['HSET', 'hf', 'a', '1', 'b', '2', 'c', '3'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'],
      ['OBJECT', 'ENCODING', 'hc'],
      ['HSET', 'hc', 'a', '9'],
      ['OBJECT', 'ENCODING', 'hc'],
      ['HINCRBY', 'hi', 'a', '1'],
      ['OBJECT', 'ENCODING', 'hi'],
      ['HINCRBYFLOAT', 'hf', 'a', '1.5'],
      ['OBJECT', 'ENCODING', 'hf'],
      ['HGETALL', 'hc'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
    ]);
  });
});
