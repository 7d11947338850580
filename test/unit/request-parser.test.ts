// RequestParser: RESP multibulk and inline requests at any chunking, with Redis 7.0.15's protocol errors.
// The last suite checks the same inputs against a real redis-server over a raw socket.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { ProtocolError, RequestParser, splitArgs, type ParserLimits } from '../../src/protocol/request-parser.js';
import { BIG_STRING_MIN, BigString, textOf } from '../../src/types/big-string.js';
import { RawConnection, encodeCommand, formatReply } from '../support/resp.js';
import { sharedRedis } from '../support/servers.js';
import { CommandTable } from '../../src/commands/registry.js';
import { allCommandFamilies } from '../../src/commands/index.js';

/** Redis 7.0 defaults: proto-max-bulk-len 512mb; a multibulk count is accepted up to INT_MAX. */
const LIMITS: ParserLimits = { maxBulkLen: 512 * 1024 * 1024, maxMultibulkLen: 2147483647 };
const INLINE_MAX = 64 * 1024;
const BIG_BULK = 32 * 1024;
/** Where values are, as the server's command table declares them (what the server gives its parsers). */
const VALUES = new CommandTable(allCommandFamilies).storesValueAt;

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const enc = (...argvs: string[][]): Buffer => Buffer.concat(argvs.map((a) => encodeCommand(a)));

interface Outcome {
  requests: string[][];
  /** The ProtocolError message, if parsing stopped on one. */
  error?: string;
}

/** Feeds the chunks one at a time, draining every complete request after each. */
function run(chunks: readonly (Buffer | string)[], limits: ParserLimits = LIMITS): Outcome {
  const p = new RequestParser({ ...limits }, undefined, VALUES);
  const requests: string[][] = [];
  try {
    for (const c of chunks) {
      p.feed(typeof c === 'string' ? latin1(c) : c);
      for (let r = p.next(); r !== undefined; r = p.next()) requests.push(r);
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { requests: requests.map(plain), error: err.message };
  }
  return { requests: requests.map(plain) };
}

/** A request with its BigString values (src/types/big-string.ts) as the strings they stand for. */
function plain(r: string[]): string[] {
  return r.map((a) => textOf(a));
}

/**
 * Like run() but asserts no protocol error and that nothing is left half-parsed. Each chunk is fed as the server
 * feeds a read: in a buffer that is overwritten once the chunk's requests are taken and retain() was called, so
 * a request that kept a view of it would come out damaged. `raw` keeps BigStrings as they are.
 */
function parse(chunks: readonly (Buffer | string)[], limits: ParserLimits = LIMITS, raw = false): string[][] {
  const p = new RequestParser({ ...limits }, undefined, VALUES);
  const requests: string[][] = [];
  for (const c of chunks) {
    const bytes = typeof c === 'string' ? latin1(c) : c;
    const transient = Buffer.from(bytes);
    p.feed(transient);
    for (let r = p.next(); r !== undefined; r = p.next()) requests.push(r);
    p.retain();
    transient.fill(0x55);
  }
  assert.equal(p.midRequest, false, 'parser still mid-request after the last chunk');
  assert.equal(p.pendingBytes, 0, 'bytes left in the query buffer');
  return raw ? requests : requests.map(plain);
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (c <= prev || c >= buf.length) continue;
    out.push(buf.subarray(prev, c));
    prev = c;
  }
  out.push(buf.subarray(prev));
  return out;
}

/** deepEqual for argv lists that reports big arguments by length instead of printing them. */
function assertRequests(got: string[][], expected: string[][], message = ''): void {
  if (isDeepStrictEqual(got, expected)) return;
  const show = (rs: string[][]): string => rs.map(summarize).join(' ') || '(none)';
  assert.fail(`${message ? message + ': ' : ''}parsed ${show(got)}, expected ${show(expected)}`);
}

function bytesOf(len: number, seed: number): string {
  const b = Buffer.alloc(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b.toString('latin1');
}

describe('RequestParser: well-formed input', () => {
  test('a multibulk request', () => {
    assert.deepEqual(parse(['*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n']), [['SET', 'k', 'hello']]);
  });

  test('pipelined requests in one chunk, then nothing more', () => {
    const p = new RequestParser({ ...LIMITS });
    p.feed(enc(['PING'], ['ECHO', 'a'], ['GET', 'k']));
    assert.deepEqual(p.next(), ['PING']);
    assert.deepEqual(p.next(), ['ECHO', 'a']);
    assert.deepEqual(p.next(), ['GET', 'k']);
    assert.equal(p.next(), undefined);
    assert.equal(p.next(), undefined);
    assert.equal(p.midRequest, false);
    assert.equal(p.pendingBytes, 0);
  });

  test('binary-safe bulks: CRLF, NUL, high bytes, empty arguments', () => {
    const all = bytesOf(256, 7) + Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const argv = ['SET', '', '\r\n', '\r\n\r\n*1\r\n$4\r\nPING\r\n', '\0', all];
    assert.deepEqual(parse([encodeCommand(argv)]), [argv]);
  });

  test('short arguments seen again (shared strings) come back exact, across parsers and slot collisions', () => {
    // Arguments of 2–8 bytes go through a table of strings made before; many distinct ones share its slots, and
    // ones differing only in length, in one byte or in high bytes must not be taken for each other.
    const shorts: string[] = [];
    for (let i = 0; i < 20000; i++) shorts.push(String(i % 7000).padStart(2 + (i % 7), i % 3 === 0 ? '0' : '\0'));
    shorts.push('ab', 'ab\0', 'ab\0\0', '\xff\xfe', '\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8', '\0\0', '\0\0\0\0\0\0\0\0');
    const argvs = shorts.map((s, i) => ['RPUSH', s, shorts[(i * 7919) % shorts.length]!]);
    const a = new RequestParser({ ...LIMITS });
    const b = new RequestParser({ ...LIMITS });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < argvs.length; i++) {
        const p = i % 2 === 0 ? a : b;
        p.feed(encodeCommand(argvs[i]!));
        assert.deepEqual(p.next(), argvs[i]);
      }
    }
    // The same bytes followed by more NULs, each right after the shorter one was seen twice (and so kept).
    const p = new RequestParser({ ...LIMITS });
    for (let x = 0; x < 65536; x += 3) {
      const prefix = String.fromCharCode(x >> 8, x & 255);
      for (let n = 2; n < 8; n++) {
        const s = prefix + '\0'.repeat(n - 2);
        const t = s + '\0';
        p.feed(encodeCommand(['GET', s]));
        p.feed(encodeCommand(['GET', s]));
        p.feed(encodeCommand(['GET', t]));
        assert.equal(p.next()![1], s);
        assert.equal(p.next()![1], s);
        assert.equal(p.next()![1], t);
      }
    }
  });
  test('one byte at a time', () => {
    const input = Buffer.concat([enc(['SET', 'key', 'a\r\nb'], ['', '']), latin1('ECHO "x y"\r\nPING\n')]);
    const chunks = [...input].map((b) => Buffer.from([b]));
    assert.deepEqual(parse(chunks), [['SET', 'key', 'a\r\nb'], ['', ''], ['ECHO', 'x y'], ['PING']]);
  });

  test('midRequest and pendingBytes follow a partial request', () => {
    const p = new RequestParser({ ...LIMITS });
    assert.equal(p.midRequest, false);
    p.feed(latin1('*2\r\n$4\r\nECHO\r\n$3\r\nab'));
    assert.equal(p.next(), undefined);
    assert.equal(p.midRequest, true);
    p.feed(latin1('c\r\n'));
    assert.deepEqual(p.next(), ['ECHO', 'abc']);
    assert.equal(p.midRequest, false);
    assert.equal(p.pendingBytes, 0);
  });

  test('inline requests, with CRLF or bare LF', () => {
    assert.deepEqual(parse(['SET k v\r\nGET k\nPING\r\n']), [['SET', 'k', 'v'], ['GET', 'k'], ['PING']]);
  });

  test('blank inline lines and empty multibulks (*0, *-1, *-5) produce no request', () => {
    assert.deepEqual(parse(['\r\n\n   \r\n \t \n*0\r\n*-1\r\n*-5\r\nPING\r\n*0\r\n']), [['PING']]);
  });

  test('the two bytes after a bulk are not checked (as in Redis)', () => {
    assert.deepEqual(parse(['*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n']), [['PING'], ['PING']]);
  });

  test('an inline line longer than 64KB is fine when its newline is in the same read', () => {
    const arg = 'x'.repeat(INLINE_MAX + 100);
    assert.deepEqual(parse([`ECHO ${arg}\r\n`]), [['ECHO', arg]]);
  });

  test('inline line of exactly 64KB without newline waits for more', () => {
    const p = new RequestParser({ ...LIMITS });
    p.feed(latin1('a'.repeat(INLINE_MAX)));
    assert.equal(p.next(), undefined);
    p.feed(latin1('\r\n'));
    assert.deepEqual(p.next(), ['a'.repeat(INLINE_MAX)]);
  });
});

describe('RequestParser: big bulks (>= 32KB, gathered in pieces)', () => {
  const big = bytesOf(40_000, 42) + '\r\n';

  test('a big bulk in one chunk', () => {
    assertRequests(parse([encodeCommand(['SET', 'k', big])]), [['SET', 'k', big]]);
  });

  test('a big bulk that is not the last argument, split across chunks', () => {
    const input = enc(['SET', big, 'v'], ['PING']);
    for (const cut of [20, 100, 30_000, 40_010, input.length - 20]) {
      assertRequests(parse(splitAt(input, [cut])), [['SET', big, 'v'], ['PING']], `cut at ${cut}`);
    }
  });

  // BUG: when the chunk that completes a big bulk also completes the request (the big bulk is the last
  // argument), gatherBig() sets argsLeft to 0 and next() then looks for a *new* request: the finished argv
  // is never returned, and is discarded by the next startMultibulk().
  test('a big bulk as the last argument, split across chunks', () => {
    const input = encodeCommand(['SET', 'k', big]);
    assertRequests(parse(splitAt(input, [100])), [['SET', 'k', big]]);
  });

  test('a big bulk as the last argument, split, followed by another request', () => {
    const input = enc(['SET', 'k', big], ['PING']);
    assertRequests(parse(splitAt(input, [100, input.length - 14])), [['SET', 'k', big], ['PING']]);
  });

  test('several big bulks in one read: in one command, and in pipelined commands (reads are reused)', () => {
    const a = bytesOf(100_000, 11);
    const b = bytesOf(70_000, 12);
    const c = bytesOf(40_000, 13);
    const requests = [
      ['RPUSH', 'l', a, b, c],
      ['MSET', 'k1', a, 'k2', b],
      ['SET', 'p1', c],
      ['SET', 'p2', a],
      ['HSET', 'h', 'f', b, 'g', c],
      ['PING'],
    ];
    const input = enc(...requests);
    for (const size of [65536, 100_003, 16384, 1000]) {
      const cuts: number[] = [];
      for (let i = size; i < input.length; i += size) cuts.push(i);
      assertRequests(parse(splitAt(input, cuts)), requests, `reads of ${size}`);
    }
  });

  test('bulk lengths around the 32KB threshold, every chunking strategy', () => {
    for (const len of [BIG_BULK - 3, BIG_BULK - 2, BIG_BULK - 1, BIG_BULK, BIG_BULK + 1]) {
      const arg = bytesOf(len, len);
      const input = enc(['ECHO', arg, 'tail'], ['PING']);
      for (const size of [1000, 16 * 1024, 65536]) {
        const cuts: number[] = [];
        for (let i = size; i < input.length; i += size) cuts.push(i);
        assertRequests(parse(splitAt(input, cuts)), [['ECHO', arg, 'tail'], ['PING']], `len ${len}, chunks of ${size}`);
      }
    }
  });
});

describe('RequestParser: big values of SET and its kin come out as BigStrings', () => {
  const v = bytesOf(BIG_STRING_MIN, 7);
  const huge = bytesOf(100_000, 8);
  /** Which arguments of each request are BigStrings, as "i:text" for each, after parsing at every chunking. */
  function bigArgs(argv: string[], cutsEvery: number): (string | number)[] {
    const input = encodeCommand(argv);
    const cuts: number[] = [];
    for (let i = cutsEvery; i < input.length; i += cutsEvery) cuts.push(i);
    const [r] = parse(splitAt(input, cuts), LIMITS, true);
    assert.deepEqual(plain(r!), argv);
    const out: (string | number)[] = [];
    r!.forEach((a, i) => {
      if ((a as unknown) instanceof BigString) out.push(i);
    });
    return out;
  }
  const cases: [string[], number[]][] = [
    [['SET', 'k', v], [2]],
    [['set', 'k', huge, 'EX', '10'], [2]],
    [['SETNX', 'k', v], [2]],
    [['GETSET', 'k', huge], [2]],
    [['SETEX', 'k', '10', v], [3]],
    [['PSETEX', 'k', '10', huge], [3]],
    [
      ['MSET', 'a', v, 'b', 'small', 'c', huge],
      [2, 6],
    ],
    [
      ['MSETNX', 'a', huge, 'b', v],
      [2, 4],
    ],
    // Not values SET stores, or too small: strings.
    [['SET', v, 'x'], []],
    [['SET', 'k', v.slice(1)], []],
    [['ECHO', huge], []],
    [['LPUSH', 'k', v], []],
    [['APPEND', 'k', huge], []],
    [['MSET', v, 'x'], []],
  ];
  for (const [argv, expected] of cases) {
    test(`${argv[0]} with ${argv.map((a) => a.length).join('/')}-byte arguments`, () => {
      for (const every of [1_000_000, 65536, 4000, 333])
        assert.deepEqual(bigArgs(argv, every), expected, `chunks of ${every}`);
    });
  }
});

describe('splitArgs (inline quoting, as sdssplitargs)', () => {
  const cases: [string, string[] | undefined][] = [
    ['', []],
    ['   ', []],
    ['set a b', ['set', 'a', 'b']],
    ['  set \t a   b  ', ['set', 'a', 'b']],
    ['""', ['']],
    ["''", ['']],
    ['"" \'\'', ['', '']],
    ['"a b" c', ['a b', 'c']],
    ['"\\n\\r\\t\\b\\a\\\\\\"\\q"', ['\n\r\t\b\x07\\"q']],
    ['"\\x41\\x4a\\xff\\x00"', ['AJ\xff\0']],
    ['"\\x4"', ['x4']],
    ['"\\xZZ"', ['xZZ']],
    ["'it\\'s' 'a\\b'", ["it's", 'a\\b']],
    ["'\\n'", ['\\n']],
    ['a"b c"', ['ab c']],
    ["a'b c'", ['ab c']],
    ['"unbalanced', undefined],
    ["'unbalanced", undefined],
    ['"a"b', undefined],
    ["'a'b", undefined],
    ['"a\\"', undefined],
    ["'a\\'", undefined],
    ['"a"\tb', ['a', 'b']],
  ];
  for (const [line, expected] of cases) {
    test(`splitArgs(${JSON.stringify(line)})`, () => {
      assert.deepEqual(splitArgs(line), expected);
    });
  }

  // BUG: sdssplitargs ends an unquoted token only at ' ', '\n', '\r', '\t' or NUL; \v and \f are part of the
  // token (they are only skipped as blanks *between* tokens). Redis: "ECHO a\vb" echoes "a\vb".
  test('vertical tab and form feed inside an unquoted token do not split it', () => {
    assert.deepEqual(splitArgs('a\x0bb c\x0cd'), ['a\x0bb', 'c\x0cd']);
  });

  test('vertical tab and form feed between tokens are blanks', () => {
    assert.deepEqual(splitArgs('\x0b a \x0c"b"\x0b'), ['a', 'b']);
  });
});

/** Protocol errors: [name, chunks, message]. Redis 7.0.15 replies "-ERR Protocol error: <message>" and closes. */
const ERROR_CASES: [string, string[], string][] = [
  ['non-numeric multibulk count', ['*abc\r\n'], 'invalid multibulk length'],
  ['empty multibulk count', ['*\r\n'], 'invalid multibulk length'],
  ['multibulk count with a leading zero', ['*01\r\n'], 'invalid multibulk length'],
  ['multibulk count with a plus sign', ['*+1\r\n'], 'invalid multibulk length'],
  ['multibulk count above INT_MAX', ['*2147483648\r\n'], 'invalid multibulk length'],
  ['multibulk count of 21 digits', ['*100000000000000000000\r\n'], 'invalid multibulk length'],
  ['non-numeric bulk length', ['*1\r\n$abc\r\n'], 'invalid bulk length'],
  ['empty bulk length', ['*1\r\n$\r\n'], 'invalid bulk length'],
  ['bulk length -1', ['*1\r\n$-1\r\n'], 'invalid bulk length'],
  ['bulk length with a leading zero', ['*1\r\n$00\r\n'], 'invalid bulk length'],
  ['bulk length above proto-max-bulk-len', ['*1\r\n$536870913\r\n'], 'invalid bulk length'],
  ['a bulk that does not start with $', ['*1\r\nx\r\n'], "expected '$', got 'x'"],
  ['an integer where a bulk is expected', ['*2\r\n$4\r\nECHO\r\n:1\r\n'], "expected '$', got ':'"],
  ['unterminated double quote', ['ECHO "a\r\n'], 'unbalanced quotes in request'],
  ['unterminated single quote', ["ECHO 'a\r\n"], 'unbalanced quotes in request'],
  ['closing quote followed by a letter', ['ECHO "a"b\r\n'], 'unbalanced quotes in request'],
  ['quote opened mid-token', ['ECHO a"b c"d\r\n'], 'unbalanced quotes in request'],
  ['escaped closing quote', ['ECHO "\\"\r\n'], 'unbalanced quotes in request'],
  ['inline request over 64KB without newline', ['a'.repeat(INLINE_MAX + 1)], 'too big inline request'],
  [
    'inline request over 64KB in pieces',
    ['a'.repeat(40_000), 'a'.repeat(INLINE_MAX + 1 - 40_000)],
    'too big inline request',
  ],
  ['multibulk count over 64KB without newline', ['*' + '1'.repeat(INLINE_MAX)], 'too big mbulk count string'],
  ['bulk length over 64KB without newline', ['*1\r\n$' + '1'.repeat(INLINE_MAX)], 'too big bulk count string'],
  // BUG: string2ll rejects "-0" (after '-' the first digit must be 1-9); parseLength accepts it as 0.
  ['multibulk count -0', ['*-0\r\n'], 'invalid multibulk length'],
  ['bulk length -0', ['*1\r\n$-0\r\n\r\n'], 'invalid bulk length'],
  // BUG: Redis looks for '\r' (and assumes '\n' follows) in the count lines of a multibulk; a bare '\n' makes
  // the number unparsable. The parser looks for '\n' and takes the line without '\r'.
  ['multibulk count line ended by a bare LF', ['*1\n$4\r\nPING\r\n'], 'invalid multibulk length'],
  ['bulk length line ended by a bare LF', ['*1\r\n$4\nPING\r\n'], 'invalid bulk length'],
];

describe('RequestParser: protocol errors (Redis 7.0.15 texts)', () => {
  for (const [name, chunks, message] of ERROR_CASES) {
    test(`${name} -> ${message}`, () => {
      const out = run(chunks);
      assert.equal(out.error, message, `requests parsed instead: ${JSON.stringify(out.requests).slice(0, 200)}`);
    });
  }

  test('an error comes after the requests before it', () => {
    assert.deepEqual(run(['PING\r\n*1\r\n$4\r\nPING\r\n*1\r\nx\r\n']), {
      requests: [['PING'], ['PING']],
      error: "expected '$', got 'x'",
    });
  });

  test('the limits are configurable', () => {
    const limits = { maxBulkLen: 10, maxMultibulkLen: 3 };
    assert.deepEqual(run([enc(['a', 'b', 'c'])], limits), { requests: [['a', 'b', 'c']] });
    assert.equal(run(['*4\r\n'], limits).error, 'invalid multibulk length');
    assert.deepEqual(run([enc(['0123456789'])], limits), { requests: [['0123456789']] });
    assert.equal(run(['*1\r\n$11\r\n'], limits).error, 'invalid bulk length');
  });

  test('errors are ProtocolError instances', () => {
    const p = new RequestParser({ ...LIMITS });
    p.feed(latin1('*x\r\n'));
    assert.throws(
      () => p.next(),
      (e: unknown) => e instanceof ProtocolError && e instanceof Error,
    );
  });

  // BUG: string2ll accepts any negative count that fits in a long long, and Redis treats a count <= 0 as an
  // empty request; parseLength rejects negatives below -2147483647.
  test('a very negative multibulk count is an empty request', () => {
    assert.deepEqual(run(['*-2147483648\r\n*-99999999999\r\nPING\r\n']), { requests: [['PING']] });
  });

  // BUG: parseLength's INVALID sentinel is -0x7fffffff, so a count of exactly -2147483647 reads as malformed.
  test('a multibulk count of -2147483647 is an empty request', () => {
    assert.deepEqual(run(['*-2147483647\r\nPING\r\n']), { requests: [['PING']] });
  });
});

// ---- property: any sequence of requests, chunked anywhere, parses back to the same argvs ----

interface Encoded {
  bytes: string;
  /** The request it yields, or null for input that yields none (blank lines, *0, *-1). */
  argv: string[] | null;
}

const byteString = (maxLength: number): fc.Arbitrary<string> =>
  fc.uint8Array({ maxLength }).map((u) => Buffer.from(u).toString('latin1'));

const trickyArg = fc
  .array(fc.constantFrom('', '\r\n', '\r', '\n', '$3\r\n', '*1\r\n', '\0', 'PING\r\n', '"', "'", ' ', 'x'), {
    maxLength: 4,
  })
  .map((parts) => parts.join(''));

const bigArg = fc
  .tuple(
    fc.oneof(fc.integer({ min: BIG_BULK - 3, max: BIG_BULK + 3 }), fc.integer({ min: 40 * 1024, max: 48 * 1024 })),
    fc.integer(),
  )
  .map(([len, seed]) => bytesOf(len, seed));

const bulkArg = fc.oneof(
  { arbitrary: byteString(30), weight: 6 },
  { arbitrary: trickyArg, weight: 3 },
  { arbitrary: bigArg, weight: 1 },
);

/** An argv for failure reports: arguments over 40 bytes shown as their length. */
function summarize(argv: readonly string[] | null): string {
  if (argv === null) return 'null';
  return `[${argv.map((a) => (a.length > 40 ? `<${a.length} bytes>` : JSON.stringify(a))).join(', ')}]`;
}

function encoded(kind: string, bytes: string, argv: string[] | null): Encoded {
  const text = kind === 'inline' || kind === 'noise' ? ` ${JSON.stringify(bytes)}` : '';
  return { bytes, argv, [fc.toStringMethod]: () => `${kind}${text} -> ${summarize(argv)}` } as Encoded;
}

const multibulk: fc.Arbitrary<Encoded> = fc
  .array(bulkArg, { minLength: 1, maxLength: 4 })
  .map((argv) => encoded('multibulk', encodeCommand(argv).toString('latin1'), argv));

const PLAIN_EXCLUDED = new Set([0, 9, 10, 11, 12, 13, 32, 0x22, 0x27]);
const plainToken = fc
  .array(
    fc.integer({ min: 1, max: 255 }).filter((b) => !PLAIN_EXCLUDED.has(b)),
    { minLength: 1, maxLength: 10 },
  )
  .map((bs) => {
    const v = String.fromCharCode(...bs);
    return { value: v, text: v };
  });

const NAMED: Record<number, string> = { 10: '\\n', 13: '\\r', 9: '\\t', 8: '\\b', 7: '\\a' };
const dqToken = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 })), { maxLength: 10 })
  .map((chars) => {
    let text = '"';
    let value = '';
    for (const [b, style] of chars) {
      const c = String.fromCharCode(b);
      value += c;
      const hex = b.toString(16).padStart(2, '0');
      if (c === '"' || c === '\\') text += '\\' + c;
      else if (style === 1 && NAMED[b]) text += NAMED[b];
      else if (style === 2 || b === 0 || b === 10 || b === 13) text += '\\x' + (b & 1 ? hex.toUpperCase() : hex);
      else text += c;
    }
    return { value, text: text + '"' };
  });

const sqToken = fc
  .array(
    fc.integer({ min: 1, max: 255 }).filter((b) => b !== 10 && b !== 13 && b !== 0x5c),
    { maxLength: 10 },
  )
  .map((bs) => {
    const value = String.fromCharCode(...bs);
    return { value, text: "'" + value.replaceAll("'", "\\'") + "'" };
  });

const inline: fc.Arbitrary<Encoded> = fc
  .tuple(
    fc.array(fc.tuple(fc.oneof(plainToken, dqToken, sqToken), fc.constantFrom(' ', '\t', '  ', ' \t ')), {
      minLength: 1,
      maxLength: 5,
    }),
    fc.constantFrom('', ' ', '\t '),
    fc.constantFrom('\r\n', '\n'),
  )
  .map(([tokens, lead, eol]) => {
    let line = lead + tokens.map(([t, sep], i) => (i > 0 ? sep : '') + t.text).join('');
    if (line.startsWith('*')) line = ' ' + line; // a leading '*' would make it a multibulk
    return encoded(
      'inline',
      line + eol,
      tokens.map(([t]) => t.value),
    );
  });

const noise: fc.Arbitrary<Encoded> = fc
  .constantFrom('\r\n', '\n', '   \r\n', ' \t \n', '*0\r\n', '*-1\r\n')
  .map((bytes) => encoded('noise', bytes, null));

const stream = fc.array(
  fc.oneof({ arbitrary: multibulk, weight: 4 }, { arbitrary: inline, weight: 3 }, { arbitrary: noise, weight: 1 }),
  { minLength: 1, maxLength: 6 },
);

const chunking = fc.oneof(
  fc.array(fc.nat(), { maxLength: 20 }).map((cuts) => ({ cuts, size: 0 })),
  fc.constantFrom(1, 2, 3, 7, 1000, 16 * 1024).map((size) => ({ cuts: [] as number[], size })),
);

describe('RequestParser: property', () => {
  test('encoded request sequences, split anywhere, parse back exactly', () => {
    fc.assert(
      fc.property(stream, chunking, (reqs, { cuts, size }) => {
        const input = latin1(reqs.map((r) => r.bytes).join(''));
        let points: number[];
        if (size > 0) {
          const step = Math.max(size, Math.ceil(input.length / 2000)); // keep byte-at-a-time to small inputs
          points = [];
          for (let i = step; i < input.length; i += step) points.push(i);
        } else {
          points = cuts.map((c) => c % (input.length + 1));
        }
        const expected = reqs.filter((r) => r.argv !== null).map((r) => r.argv!);
        const chunks = splitAt(input, points);
        const got = parse(chunks);
        if (!isDeepStrictEqual(got, expected)) {
          assert.fail(
            `parsed ${got.map(summarize).join(' ')}\n  expected ${expected.map(summarize).join(' ')}\n` +
              `  chunk sizes: ${chunks.map((c) => c.length).join(',')}`,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---- differential: the same bytes sent to a real redis-server ----

/** What Redis answers to the requests these cases use (PING and ECHO only). */
function replyTo(argv: string[]): string {
  const name = argv[0]!.toLowerCase();
  const bulk = (s: string): string => `$${s.length}\r\n${s}\r\n`;
  if (name === 'ping' && argv.length <= 2) return argv.length === 1 ? '+PONG\r\n' : bulk(argv[1]!);
  if (name === 'echo' && argv.length === 2) return bulk(argv[1]!);
  if (name === 'ping' || name === 'echo') return `-ERR wrong number of arguments for '${name}' command\r\n`;
  throw new Error(`test case uses a command other than PING/ECHO: ${JSON.stringify(argv).slice(0, 100)}`);
}

/** The transcript Redis would produce if it parsed as the parser does: replies, then maybe an error and close. */
function predicted(chunks: readonly string[]): { bytes: string; closed: boolean } {
  const out = run(chunks);
  let bytes = out.requests.map(replyTo).join('');
  if (out.error === undefined) return { bytes, closed: false };
  // Redis's addReplyError turns CR and LF inside an error into spaces.
  bytes += `-ERR Protocol error: ${out.error.replace(/[\r\n]/g, ' ')}\r\n`;
  return { bytes, closed: true };
}

const big = bytesOf(40_000, 9);
const bigEcho = encodeCommand(['ECHO', big]).toString('latin1');
const bigEchoX = encodeCommand(['ECHO', big, 'x']).toString('latin1');

const DIFF_CASES: [string, string[]][] = [
  ['multibulk PING', ['*1\r\n$4\r\nPING\r\n']],
  ['pipelined multibulk and inline', [encodeCommand(['ECHO', 'a\r\nb\0']).toString('latin1') + 'PING\r\nECHO "x y"\n']],
  [
    'inline escapes',
    ['ECHO "\\x41\\x4a\\n\\"q\\"\\\\ \\t"\r\n', "ECHO 'it\\'s'\r\n", 'ECHO "\\x4"\r\nECHO "\\xZZ"\r\n'],
  ],
  ['inline: wrong number of arguments', ['ECHO a b\r\n']],
  ['blank lines and empty multibulks', ['\r\n\n   \r\n*0\r\n*-1\r\n*-5\r\nPING\n']],
  ['two bytes after a bulk are not checked', ['*1\r\n$4\r\nPINGxx']],
  [
    'all 256 byte values',
    [
      encodeCommand(['ECHO', Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')]).toString(
        'latin1',
      ),
    ],
  ],
  ['multibulk count above 1M is accepted', ['*1048577\r\nPING\r\n']],
  ["CR where '$' is expected", ['*1\r\n\r\n']],
  ["LF where '$' is expected", ['*1\r\n\n\r\n']],
  ['requests before a protocol error are answered', ['PING\r\n*1\r\n$4\r\nPING\r\n*1\r\nx\r\n']],
  ['inline request of exactly 64KB without newline waits', ['a'.repeat(INLINE_MAX)]],
  [
    'big bulk split, not the last argument',
    [bigEchoX.slice(0, 100), bigEchoX.slice(100, 30_000), bigEchoX.slice(30_000) + 'PING\r\n'],
  ],
  ...ERROR_CASES.map(([name, chunks]): [string, string[]] => [name, chunks]),
  // Cases that exercise bugs (see the report): Redis's behaviour is the reference.
  [
    'big bulk as the last argument, split, then PING',
    [bigEcho.slice(0, 100), bigEcho.slice(100) + '*1\r\n$4\r\nPING\r\n'],
  ],
  ['very negative multibulk counts are empty requests', ['*-2147483648\r\n*-99999999999\r\nPING\r\n']],
  ['multibulk count -2147483647 is an empty request', ['*-2147483647\r\nPING\r\n']],
  ['vertical tab inside an inline token', ['ECHO a\x0bb\r\n']],
  ['form feed inside an inline token', ['ECHO a\x0cb\r\n']],
  ['the byte after CR is taken as LF in count lines', ['*1\r\n$4\rXPING\r\n']],
];

describe('RequestParser vs redis-server 7.0.15 (raw socket)', { concurrency: true }, () => {
  const getRedis = sharedRedis();

  test("the error texts are Redis 7.0.15's", async () => {
    const redis = await getRedis();
    const conn = await RawConnection.connect(redis.port);
    try {
      const info = (await conn.call(['INFO', 'server'])).toString('latin1');
      assert.match(info, /redis_version:7\.0\./, 'reference server is not Redis 7.0.x');
    } finally {
      await conn.close();
    }
  });

  for (const [name, chunks] of DIFF_CASES) {
    test(name, async () => {
      const redis = await getRedis();
      const conn = await RawConnection.connect(redis.port);
      try {
        for (const c of chunks) conn.sendRaw(c);
        const want = predicted(chunks);
        const expected = latin1(want.bytes);
        // Wait for at least the predicted bytes (or a close), then for a quiet period in case more follow.
        // (Redis answering nothing at all gets up to 2 s: it may just be slow.)
        let got = Buffer.alloc(0);
        const deadline = Date.now() + 2000;
        for (;;) {
          const more = await conn.readAvailable(100, 1000);
          got = Buffer.concat([got, more]);
          if (conn.isClosed || got.length >= expected.length || Date.now() > deadline) break;
          if (more.length === 0 && got.length > 0) break;
        }
        if (!conn.isClosed) got = Buffer.concat([got, await conn.readAvailable(150, 1000)]);
        if (!got.equals(expected)) {
          let at = 0;
          while (at < got.length && at < expected.length && got[at] === expected[at]) at++;
          assert.fail(
            `redis-server replied differently from what the parser implies (first difference at byte ${at})\n` +
              `  redis-server: ${formatReply(got, 300)}\n  parser implies: ${formatReply(expected, 300)}`,
          );
        }
        assert.equal(
          conn.isClosed,
          want.closed,
          want.closed ? 'redis kept the connection open' : 'redis closed the connection',
        );
      } finally {
        await conn.close();
      }
    });
  }
});
