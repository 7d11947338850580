// Numeric arguments at their edges, against Redis 7.0.15: scores of any length (strtod has no limit), hexadecimal
// scores rounded once as strtod rounds them, and negative range indexes beyond 2^53 compared as 64-bit integers.

import { describe, it } from 'node:test';
import { sharedPair } from '../support/servers.js';
import { compareScript } from '../support/differential.js';

const pair = sharedPair();

const LONG_SCORE = '1.' + '0'.repeat(5119); // 5121 chars
const LONGER = '2.5' + '0'.repeat(9000);

describe('numeric edges (differential)', () => {
  for (const resp of [2, 3] as const) {
    it(`scores longer than 5120 chars, hexadecimal scores, RESP${resp}`, async () => {
      await compareScript(
        await pair(),
        [
          ['DEL', 'z', 'zw', 'zd'],
          ['ZADD', 'z', LONG_SCORE, 'a'],
          ['ZINCRBY', 'z', LONGER, 'a'],
          ['ZSCORE', 'z', 'a'],
          ['ZADD', 'zw', '1', 'm'],
          ['ZUNIONSTORE', 'zd', '1', 'zw', 'WEIGHTS', LONGER],
          ['ZSCORE', 'zd', 'm'],
          ['ZADD', 'z', '0x1.000000000000081p0', 'b', '0x1.0000000000000801p0', 'c', '0x1.00000000000008p0', 'd'],
          ['ZADD', 'z', '0x1.00000000000018p0', 'e', '0x1.8p-1074', 'f', '0x3p-1076', 'g', '0x1p1023', 'h'],
          ['ZADD', 'z', '-0x.8', 'i', '0x10', 'j', '0x0p0', 'k'],
          ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
          ['ZRANGEBYSCORE', 'z', '0x1.000000000000081p0', '+inf'],
          ['ZADD', 'z', '0x1p-1075', 'x'],
          ['ZADD', 'z', '0x0.0000000001p-1070', 'x'],
          ['ZADD', 'z', '0x1.fffffffffffff8p1023', 'x'],
          ['ZADD', 'z', '0x1p1024', 'x'],
          ['ZCARD', 'z'],
        ],
        { resp },
      );
    });
  }

  it('GETRANGE, SUBSTR and BITCOUNT with negative indexes that are equal as doubles but not as integers', async () => {
    await compareScript(await pair(), [
      ['SET', 'k', 'hello'],
      ['SET', 'ff', '\xff\xff'],
      ['GETRANGE', 'k', '-9223372036854775807', '-9223372036854775808'],
      ['GETRANGE', 'k', '-9223372036854775808', '-9223372036854775807'],
      ['SUBSTR', 'k', '-9007199254740992', '-9007199254740993'],
      ['GETRANGE', 'k', '-9007199254740993', '-9007199254740993'],
      ['BITCOUNT', 'k', '-9007199254740992', '-9007199254740993'],
      ['BITCOUNT', 'ff', '-9007199254740992', '-9007199254740993', 'BIT'],
      ['BITCOUNT', 'ff', '-9007199254740993', '-9007199254740992', 'BIT'],
    ]);
  });
});

describe('long numbers that do not parse (differential)', () => {
  it('a score or a SORT weight of 200,000 digits and a letter is refused at once', async () => {
    const digits = '1'.repeat(200_000);
    await compareScript(await pair(), [
      ['ZADD', 'zl', digits + 'x', 'm'],
      ['ZADD', 'zl', digits, 'm'],
      ['ZSCORE', 'zl', 'm'],
      ['DEL', 'sl', 'zl'],
      ['RPUSH', 'sl', '1', '2'],
      ['SET', 'w_1', digits + 'x'],
      ['SET', 'w_2', '5'],
      ['SORT', 'sl', 'BY', 'w_*'],
      ['DEL', 'sl', 'w_1', 'w_2'],
    ]);
  });
});

describe('LCS table size (differential)', () => {
  it('a table of exactly proto-max-bulk-len bytes is allowed, one cell more is not', async () => {
    await compareScript(
      await pair(),
      [
        ['SET', 'la', 'a'.repeat(4095)],
        ['SET', 'lb', 'a'.repeat(32767)],
        ['LCS', 'la', 'lb', 'LEN'],
        ['SET', 'lc', 'a'.repeat(32768)],
        ['LCS', 'la', 'lc', 'LEN'],
        ['DEL', 'la', 'lb', 'lc'],
      ],
      // Filling a 134-million-cell table takes either server seconds on a busy 2-core machine.
      { timeoutMs: 30_000 },
    );
  });
});
