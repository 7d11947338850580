// Unit and differential tests for the 80-bit long double emulation behind INCRBYFLOAT (src/types/long-double.ts).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  parseLongDouble,
  addLongDouble,
  formatLongDoubleHuman,
  formatLongDoubleFixed17,
  isFiniteLD,
  isNaNLD,
  longDoubleFromBigInt,
  incrByFloat,
  type LongDouble,
} from '../../src/types/long-double.js';
import { startRedis } from '../support/servers.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';

function ld(s: string): LongDouble {
  const v = parseLongDouble(s);
  assert.ok(v !== undefined, `${JSON.stringify(s)} should parse`);
  return v;
}

function human(s: string): string {
  return formatLongDoubleHuman(ld(s));
}

/** LDBL_MAX = (2^64 - 1) × 2^16320, written out in full by %.17Lf. */
const LDBL_MAX_TEXT = (((1n << 64n) - 1n) << 16320n).toString() + '.00000000000000000';

/** The long double nearest 1e300, as Redis 7.0.15 prints it. */
const E300 =
  '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508' +
  '614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620' +
  '994540294772781889620606179267611627097410650567187386105690089424915104006144';

describe('parseLongDouble', () => {
  test('accepts what strtold reads in full', () => {
    const ok: readonly (readonly [string, string])[] = [
      ['0', '0'],
      ['-0', '0'],
      ['+0', '0'],
      ['1', '1'],
      ['-1', '-1'],
      ['+1.5', '1.5'],
      ['.5', '0.5'],
      ['5.', '5'],
      ['1e3', '1000'],
      ['1E3', '1000'],
      ['1e+3', '1000'],
      ['2.5e-1', '0.25'],
      ['0.1e-2', '0.001'],
      ['00000000000000000000000000000000001', '1'],
      ['0e999999999999999999999', '0'],
      ['0x1p3', '8'],
      ['0X1P3', '8'],
      ['0x1.8p-1', '0.75'],
      ['-0x.1p+4', '-1'],
      ['0x10', '16'],
      ['0x1.', '1'],
      ['0xA.8', '10.5'],
      ['9223372036854775807', '9223372036854775807'],
      ['18446744073709551615', '18446744073709551615'],
      ['18446744073709551617', '18446744073709551616'], // 65 bits: ties to even
      ['18446744073709551619', '18446744073709551620'],
      ['0.000003814697265625', '0.00000381469726562'], // 2^-18: a %.17Lf tie, rounded to even
      ['4e-4951', '0'], // rounds up to the smallest subnormal
      ['1.83e-4951', '0'],
      ['0X1P-16445', '0'],
      ['1.1897314953572317650e+4932', LDBL_MAX_TEXT.replace(/\.0+$/, '')], // rounds down to LDBL_MAX
      ['0'.repeat(5118) + '1', '1'],
    ];
    for (const [s, want] of ok) {
      const v = parseLongDouble(s);
      assert.ok(v !== undefined && isFiniteLD(v), `${JSON.stringify(s.slice(0, 40))} should parse`);
      assert.equal(formatLongDoubleHuman(v), want, `format(parse(${JSON.stringify(s.slice(0, 40))}))`);
    }
  });

  test('accepts written-out infinities', () => {
    for (const s of ['inf', 'INF', '+inf', '-inf', 'Infinity', '-INFINITY', 'iNfInItY']) {
      const v = parseLongDouble(s);
      assert.ok(v !== undefined && v.kind === 'inf', s);
      assert.equal(v.neg, s.startsWith('-'));
    }
  });

  test('rejects what string2ld rejects', () => {
    const bad = [
      '',
      ' 1',
      '\t1',
      '\n1',
      '1 ',
      '1\n',
      '1.5\x00',
      '1.5\x00abc',
      '\x00',
      'abc',
      '1a',
      '1e',
      '1e+',
      '1e-',
      'e5',
      '.',
      '+',
      '-',
      '+-1',
      '--1',
      '1..2',
      '1_0',
      '1,5',
      '0x',
      '0X',
      '0xp1',
      '0x.p1',
      '0x1p',
      '0x1.8p+',
      '0xg',
      'nan',
      'NaN',
      '-nan',
      'nan(123)',
      'infin',
      'infinit',
      'infinityx',
      '1e5000', // overflow
      '-1e5000',
      '1.18973149535723176508e+4932', // just past LDBL_MAX + half an ulp
      '1e-5000', // underflow to zero
      '1e-4951', // below half the smallest subnormal
      '1.82259976594123730126e-4951',
      '0x1p-16446', // exactly half the smallest subnormal: ties to zero
      '0x1p16384',
      '0x1p99999999999999999999',
      '0'.repeat(5119) + '1', // 5120 chars
      '1'.repeat(6000),
    ];
    for (const s of bad) {
      assert.equal(parseLongDouble(s), undefined, JSON.stringify(s.slice(0, 40)));
    }
  });

  test('keeps the sign of zero', () => {
    const n = ld('-0');
    assert.ok(n.kind === 'finite' && n.neg && n.mant === 0n);
    const p = ld('0.0e10');
    assert.ok(p.kind === 'finite' && !p.neg && p.mant === 0n);
  });

  test('rounds decimals to nearest at 64 bits', () => {
    const x = ld('0.1');
    assert.ok(x.kind === 'finite');
    // 0.1 = 0xCCCCCCCCCCCCCCCD × 2^-67 in extended precision.
    assert.equal(x.mant, 0xcccccccccccccccdn);
    assert.equal(x.exp, -67);
    const max = ld('1.1897314953572317650e+4932');
    assert.ok(max.kind === 'finite');
    assert.equal(max.mant, (1n << 64n) - 1n);
    assert.equal(max.exp, 16320);
    const min = ld('4e-4951');
    assert.ok(min.kind === 'finite');
    assert.equal(min.mant, 1n);
    assert.equal(min.exp, -16445);
  });
});

describe('formatting', () => {
  test('%.17Lf', () => {
    assert.equal(formatLongDoubleFixed17(ld('1.5')), '1.50000000000000000');
    assert.equal(formatLongDoubleFixed17(ld('-0')), '-0.00000000000000000');
    assert.equal(formatLongDoubleFixed17(ld('0.1')), '0.10000000000000000');
    assert.equal(formatLongDoubleFixed17(ld('1e-18')), '0.00000000000000000');
    assert.equal(formatLongDoubleFixed17(ld('-1e-18')), '-0.00000000000000000');
    assert.equal(formatLongDoubleFixed17(ld('0x1.fffffffffffffffep+16383')), LDBL_MAX_TEXT);
    assert.equal(formatLongDoubleFixed17(ld('inf')), 'inf');
    assert.equal(formatLongDoubleFixed17(ld('-inf')), '-inf');
  });

  test('human form strips zeros, the point and the minus of zero', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['0', '0'],
      ['-0', '0'],
      ['-1e-18', '0'],
      ['-1e-17', '-0.00000000000000001'],
      ['1e-17', '0.00000000000000001'],
      ['5e-18', '0'], // not exactly 5e-18 in binary, and below it: rounds down
      ['10', '10'],
      ['100.5', '100.5'],
      ['3.0', '3'],
      ['0.1', '0.1'],
      ['1.1', '1.1'],
      ['123456789.123456789', '123456789.12345678899873747'],
      ['1e20', '100000000000000000000'],
      ['1e300', E300],
      ['-2.5', '-2.5'],
      ['0.000003814697265625', '0.00000381469726562'],
      ['0.000011444091796875', '0.00001144409179688'], // 3 × 2^-18: tie, 7 is odd so it rounds up
    ];
    for (const [s, want] of cases) assert.equal(human(s), want, s);
  });

  test('infinities and NaN print as C does', () => {
    assert.equal(formatLongDoubleHuman(ld('inf')), 'inf');
    assert.equal(formatLongDoubleHuman(ld('-inf')), '-inf');
    assert.equal(formatLongDoubleHuman(addLongDouble(ld('inf'), ld('-inf'))), 'nan');
  });
});

describe('addLongDouble', () => {
  const add = (a: string, b: string): string => formatLongDoubleHuman(addLongDouble(ld(a), ld(b)));

  test('sums round to nearest even at 64 bits', () => {
    assert.equal(add('1', '2'), '3');
    assert.equal(add('10.5', '0.1'), '10.6');
    assert.equal(add('3.0', '1.1'), '4.1');
    assert.equal(add('0.1', '0.2'), '0.3');
    assert.equal(add('1e300', '1'), E300); // 1 is far below half an ulp of 1e300
    assert.equal(add('18446744073709551615', '1'), '18446744073709551616');
    // 2^64 + 1 is a tie between 2^64 and 2^64 + 2 at 64 bits: even wins.
    assert.equal(add('18446744073709551616', '1'), '18446744073709551616');
    assert.equal(add('18446744073709551616', '3'), '18446744073709551620');
    assert.equal(add('-5', '5'), '0');
    assert.equal(add('-1.5', '0.25'), '-1.25');
    assert.equal(add('5000', '-0.00000000000000001'), '5000');
  });

  test('signed zeros, infinities and NaN follow IEEE rules', () => {
    const z = (x: LongDouble): string => (x.kind === 'finite' && x.mant === 0n ? (x.neg ? '-0' : '+0') : 'nonzero');
    assert.equal(z(addLongDouble(ld('-0'), ld('-0'))), '-0');
    assert.equal(z(addLongDouble(ld('-0'), ld('0'))), '+0');
    assert.equal(z(addLongDouble(ld('-3'), ld('3'))), '+0');
    assert.equal(addLongDouble(ld('inf'), ld('1')).kind, 'inf');
    assert.equal(addLongDouble(ld('1'), ld('-inf')).kind, 'inf');
    assert.ok(isNaNLD(addLongDouble(ld('inf'), ld('-inf'))));
    assert.ok(!isFiniteLD(addLongDouble(ld('inf'), ld('inf'))));
  });

  test('overflow goes to infinity, subnormals add exactly', () => {
    const max = '0x1.fffffffffffffffep+16383';
    assert.equal(addLongDouble(ld(max), ld(max)).kind, 'inf');
    assert.equal(addLongDouble(ld('-' + max), ld('-1e4932')).kind, 'inf');
    // Half an ulp of LDBL_MAX is 2^16319: a tie that rounds to even, i.e. up to infinity.
    assert.equal(addLongDouble(ld(max), ld('0x1p16319')).kind, 'inf');
    assert.equal(addLongDouble(ld(max), ld('0x1.fffep16318')).kind, 'finite');
    const tiny = addLongDouble(ld('0x1p-16445'), ld('0x1p-16445'));
    assert.ok(tiny.kind === 'finite' && tiny.mant === 2n && tiny.exp === -16445);
    const toNormal = addLongDouble(ld('0x0.fffffffffffffffep-16382'), ld('0x1p-16445'));
    assert.ok(toNormal.kind === 'finite' && toNormal.mant === 1n << 63n && toNormal.exp === -16445);
  });

  test('commutes', () => {
    const arb = fc.oneof(
      fc.double({ noNaN: true }).map((d) => String(d)),
      fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }).map(String),
      fc.constantFrom('0x1p-16445', '-0', '0', '1e4932', '-1e-4940', '0.1'),
    );
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const x = parseLongDouble(a);
        const y = parseLongDouble(b);
        if (x === undefined || y === undefined) return;
        assert.deepEqual(addLongDouble(x, y), addLongDouble(y, x));
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  test('longDoubleFromBigInt is exact up to 64 bits and rounds beyond', () => {
    assert.equal(formatLongDoubleHuman(longDoubleFromBigInt(-9223372036854775808n)), '-9223372036854775808');
    assert.equal(formatLongDoubleHuman(longDoubleFromBigInt(18446744073709551617n)), '18446744073709551616');
    assert.equal(formatLongDoubleHuman(longDoubleFromBigInt(0n)), '0');
  });
});

describe('incrByFloat', () => {
  test('table cases (checked against Redis 7.0.15)', () => {
    const cases: readonly (readonly [string, string, string])[] = [
      ['10.5', '0.1', '10.6'],
      ['3.0', '1.1', '4.1'],
      ['0', '1e300', E300],
      ['5.0e3', '2.0e2', '5200'],
      ['0', '0x1p3', '8'],
      ['0', '-0', '0'],
      ['-0', '-0', '0'],
      ['1', '-1', '0'],
      ['0', '0.000003814697265625', '0.00000381469726562'],
      ['0', '4e-4951', '0'],
      ['100', '-1e-18', '100'],
      ['-1e-30', '0', '0'],
      ['9223372036854775807', '1', '9223372036854775808'],
      ['0', '1.1897314953572317650e+4932', LDBL_MAX_TEXT.replace(/\.0+$/, '')],
    ];
    for (const [cur, incr, want] of cases) {
      assert.deepEqual(incrByFloat(cur, incr), { value: want }, `${cur} + ${incr}`);
    }
  });

  test('0.1 ten times', () => {
    let v = '0';
    for (let i = 0; i < 10; i++) {
      const r = incrByFloat(v, '0.1');
      assert.ok('value' in r);
      v = r.value;
    }
    assert.equal(v, '1');
  });

  test('errors', () => {
    assert.deepEqual(incrByFloat('abc', '1'), { error: 'notfloat' });
    assert.deepEqual(incrByFloat('1', 'abc'), { error: 'notfloat' });
    assert.deepEqual(incrByFloat('', '1'), { error: 'notfloat' });
    assert.deepEqual(incrByFloat('1', ' 1'), { error: 'notfloat' });
    assert.deepEqual(incrByFloat('1', 'nan'), { error: 'notfloat' });
    assert.deepEqual(incrByFloat('1', '1e5000'), { error: 'notfloat' });
    assert.deepEqual(incrByFloat('abc', 'inf'), { error: 'notfloat' });
    assert.deepEqual(incrByFloat('0', 'inf'), { error: 'nan' });
    assert.deepEqual(incrByFloat('inf', '1'), { error: 'nan' });
    assert.deepEqual(incrByFloat('inf', '-inf'), { error: 'nan' });
    assert.deepEqual(incrByFloat('1e4932', '1e4932'), { error: 'nan' });
  });
});

// Generators for the differential test: mostly plausible numbers, with every odd corner strtold has.
const digitString = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const hexString = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: min, maxLength: max });

const decimalArb = fc
  .tuple(
    fc.constantFrom('', '', '-', '+'),
    digitString(0, 12),
    fc.option(digitString(0, 10), { nil: undefined }),
    fc.option(
      fc.tuple(
        fc.constantFrom('e', 'E'),
        fc.constantFrom('', '+', '-'),
        fc.oneof(
          { arbitrary: fc.integer({ min: 0, max: 30 }), weight: 4 },
          { arbitrary: fc.integer({ min: 280, max: 320 }), weight: 2 },
          { arbitrary: fc.integer({ min: 4920, max: 4960 }), weight: 1 },
        ),
      ),
      { nil: undefined },
    ),
  )
  .map(([sign, int, frac, exp]) => {
    let s = sign + (int === '' && (frac === undefined || frac === '') ? '0' : int);
    if (frac !== undefined) s += '.' + frac;
    if (exp !== undefined) s += exp[0] + exp[1] + String(exp[2]);
    return s;
  });

const hexArb = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.constantFrom('0x', '0X'),
    hexString(1, 18),
    fc.option(hexString(0, 18), { nil: undefined }),
    fc.option(
      fc.tuple(
        fc.constantFrom('', '+', '-'),
        fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 16300, max: 16500 })),
      ),
      { nil: undefined },
    ),
  )
  .map(([sign, x, int, frac, exp]) => {
    let s = sign + x + int;
    if (frac !== undefined) s += '.' + frac;
    if (exp !== undefined) s += 'p' + exp[0] + String(exp[1]);
    return s;
  });

const junkArb = fc.string({ unit: fc.constantFrom(...'0123456789.eE+-xXpPinfatyINF \t\x00'), maxLength: 8 });

const specialArb = fc.constantFrom(
  '0.1',
  '-0.1',
  '0.2',
  '0.3',
  '1e300',
  '-1e300',
  '1e-300',
  '-1e-300',
  '1e308',
  '1.7976931348623157e308',
  '1e4000',
  '-1e4000',
  '1e4932',
  '1.1897314953572317650e+4932',
  '-1.1897314953572317650e+4932',
  '1.18973149535723176508e+4932',
  '4e-4951',
  '1e-4951',
  '1.83e-4951',
  '1e-4940',
  '0x1p-16445',
  '0x1p-16446',
  '0x1.fffffffffffffffep+16383',
  '0x1p3',
  '0',
  '-0',
  '+0',
  '.5',
  '5.',
  '.',
  '',
  ' 1',
  '1 ',
  'inf',
  '-inf',
  'Infinity',
  'nan',
  'abc',
  '1e',
  '0x',
  '9223372036854775807',
  '-9223372036854775808',
  '18446744073709551617',
  '0.000003814697265625',
  '0.000011444091796875',
  '3.3333333333333333',
  '0.00000000000000001',
  '-0.00000000000000001',
  '0.000000000000000005',
  '12345678901234567890',
  '0.12345678901234567890',
  '0'.repeat(5118) + '1',
  '0'.repeat(5119) + '1',
);

const valueArb = fc.oneof(
  { arbitrary: decimalArb, weight: 12 },
  { arbitrary: specialArb, weight: 4 },
  { arbitrary: hexArb, weight: 2 },
  { arbitrary: junkArb, weight: 1 },
);

interface Sequence {
  init: string | undefined;
  incrs: string[];
}

const sequenceArb: fc.Arbitrary<Sequence> = fc.oneof(
  {
    arbitrary: fc.record({
      init: fc.option(valueArb, { nil: undefined }),
      incrs: fc.array(valueArb, { minLength: 1, maxLength: 8 }),
    }),
    weight: 10,
  },
  {
    arbitrary: fc
      .tuple(
        fc.option(fc.constantFrom('0', '1', '-1', '1e10', '0.5', '123.456'), { nil: undefined }),
        fc.constantFrom('0.1', '-0.1', '0.3', '1.1', '0.7', '1e-17', '3.3333333333333333', '0.01'),
        fc.integer({ min: 5, max: 30 }),
      )
      .map(([init, step, n]) => ({ init, incrs: Array.from({ length: n }, () => step) })),
    weight: 1,
  },
);

describe('incrByFloat against redis-server', () => {
  test('random INCRBYFLOAT sequences give the same replies', async () => {
    const redis = await startRedis();
    let conn: RawConnection | undefined;
    try {
      conn = await RawConnection.connect(redis.port);
      const sequences = fc.sample(sequenceArb, { numRuns: 400, seed: 1618 });
      const cmds: string[][] = [];
      const expected: { cmd: string; want: RespValue }[] = [];
      sequences.forEach((seq, i) => {
        const key = `ld:${i}`;
        let current = '0';
        if (seq.init !== undefined) {
          cmds.push(['SET', key, seq.init]);
          expected.push({ cmd: `SET ${key} ${JSON.stringify(seq.init)}`, want: 'OK' });
          current = seq.init;
        }
        for (const incr of seq.incrs) {
          cmds.push(['INCRBYFLOAT', key, incr]);
          const r = incrByFloat(current, incr);
          let want: RespValue;
          if ('value' in r) {
            want = r.value;
            current = r.value;
          } else {
            want = {
              error:
                r.error === 'notfloat'
                  ? 'ERR value is not a valid float'
                  : 'ERR increment would produce NaN or Infinity',
            };
          }
          expected.push({
            cmd: `INCRBYFLOAT ${key} ${JSON.stringify(incr.slice(0, 60))} (current ${current.slice(0, 60)})`,
            want,
          });
        }
      });
      for (const c of cmds) conn.send(c);
      let values = 0;
      for (const e of expected) {
        const got = parseReply(await conn.readReply(10_000));
        assert.deepEqual(got, e.want, e.cmd);
        if (typeof e.want === 'string' && e.cmd.startsWith('INCRBYFLOAT')) values++;
      }
      assert.ok(cmds.length >= 1000, `only ${cmds.length} commands`);
      assert.ok(values >= 500, `only ${values} successful increments`);
    } finally {
      await conn?.close();
      await redis.stop();
    }
  });
});
