// OBJECT ENCODING of strings follows their history as in Redis: edited in place → raw, replaced → int/embstr.

import { describe, it } from 'node:test';
import { sharedPair } from '../support/servers.js';
import { compareScript } from '../support/differential.js';

const pair = sharedPair();

describe('string encodings (differential)', () => {
  for (const resp of [2, 3] as const) {
    it(`int, embstr and raw through APPEND, SETRANGE, SETBIT, BITFIELD, BITOP, INCR, COPY, RESP${resp}`, async () => {
      await compareScript(
        await pair(),
        [
          ['SET', 'a', '1'],
          ['OBJECT', 'ENCODING', 'a'],
          ['APPEND', 'a', '1'],
          ['OBJECT', 'ENCODING', 'a'],
          ['INCR', 'a'],
          ['OBJECT', 'ENCODING', 'a'],
          ['APPEND', 'new', 'short'],
          ['OBJECT', 'ENCODING', 'new'],
          ['SET', 'e', 'hello'],
          ['OBJECT', 'ENCODING', 'e'],
          ['SETRANGE', 'e', '0', ''],
          ['OBJECT', 'ENCODING', 'e'],
          ['SETRANGE', 'e', '1', 'a'],
          ['OBJECT', 'ENCODING', 'e'],
          ['COPY', 'e', 'e2'],
          ['OBJECT', 'ENCODING', 'e2'],
          ['GET', 'e'],
          ['OBJECT', 'ENCODING', 'e'],
          ['SET', 'e', 'hello'],
          ['OBJECT', 'ENCODING', 'e'],
          ['SETRANGE', 'fresh', '2', 'x'],
          ['OBJECT', 'ENCODING', 'fresh'],
          ['SET', 'b', 'x'],
          ['SETBIT', 'b', '1', '1'],
          ['OBJECT', 'ENCODING', 'b'],
          ['SET', 'b2', '@'],
          ['SETBIT', 'b2', '1', '1'],
          ['OBJECT', 'ENCODING', 'b2'],
          ['SETBIT', 'b3', '7', '1'],
          ['OBJECT', 'ENCODING', 'b3'],
          ['SET', 'f', '12'],
          ['BITFIELD', 'f', 'GET', 'u4', '0'],
          ['OBJECT', 'ENCODING', 'f'],
          ['BITFIELD', 'f', 'SET', 'u4', '0', '3'],
          ['OBJECT', 'ENCODING', 'f'],
          ['SET', 'g', '5'],
          ['BITOP', 'NOT', 'h', 'g'],
          ['OBJECT', 'ENCODING', 'h'],
          ['SET', 'n', '10'],
          ['INCRBYFLOAT', 'n', '1.5'],
          ['OBJECT', 'ENCODING', 'n'],
          ['INCRBYFLOAT', 'm', '3'],
          ['OBJECT', 'ENCODING', 'm'],
          ['COPY', 'm', 'm2'],
          ['OBJECT', 'ENCODING', 'm2'],
          ['INCR', 'm'],
          ['OBJECT', 'ENCODING', 'm'],
          ['SET', 'long', 'x'.repeat(50)],
          ['OBJECT', 'ENCODING', 'long'],
        ],
        { resp },
      );
    });
  }
});
