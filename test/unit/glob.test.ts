// Unit and differential tests for the Redis glob matcher (src/keyspace/glob.ts).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { globMatch, compileGlob, isPlainPattern } from '../../src/keyspace/glob.js';
import { startRedis } from '../support/servers.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';

type Case = readonly [pattern: string, subject: string, expected: boolean];

const CASES: readonly Case[] = [
  // literals
  ['', '', true],
  ['', 'a', false],
  ['a', '', false],
  ['abc', 'abc', true],
  ['abc', 'abd', false],
  ['abc', 'ab', false],
  ['ab', 'abc', false],
  ['ABC', 'abc', false],
  // '?'
  ['?', 'a', true],
  ['?', '', false],
  ['?', 'ab', false],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['??', '\x00\xff', true],
  // '*'
  ['*', 'anything', true],
  ['*', 'x', true],
  ['*', '', false], // Redis's loop never runs on an empty subject; KEYS * special-cases the lone star
  ['**', '', false],
  ['**', 'x', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ba', false],
  ['*a', 'a', true],
  ['*a', 'bba', true],
  ['*a', 'ab', false],
  ['a*b', 'ab', true],
  ['a*b', 'axxxb', true],
  ['a*b', 'axxxbc', false],
  ['a*b*c', 'abc', true],
  ['a*b*c', 'aXbYbZc', true],
  ['a*b*c', 'aXbYcZ', false],
  ['a***b', 'aXXb', true],
  ['a*b**', 'ab', true],
  ['a*?', 'a', false],
  ['a*?', 'ab', true],
  ['*?*', 'x', true],
  ['h*llo', 'heeeello', true],
  ['h?llo', 'hello', true],
  ['*[', 'a', false],
  // classes
  ['[abc]', 'b', true],
  ['[abc]', 'd', false],
  ['[abc]', '', false],
  ['[abc]', 'ab', false],
  ['h[ae]llo', 'hallo', true],
  ['h[ae]llo', 'hillo', false],
  ['[a-c]', 'b', true],
  ['[a-c]', 'd', false],
  ['[c-a]', 'b', true], // reversed ranges are swapped
  ['[c-a]', 'd', false],
  ['[^a]', 'b', true],
  ['[^a]', 'a', false],
  ['[^a-c]', 'b', false],
  ['[^a-c]', 'z', true],
  ['h[^e]llo', 'hallo', true],
  ['h[^e]llo', 'hello', false],
  ['[]', 'a', false], // ']' right away closes an empty class
  ['[]', ']', false],
  ['[]a]', ']a]', false],
  ['[]a]', 'a]', false],
  ['[^]', 'x', true],
  ['[^]', ']', true],
  ['[]]', ']', false],
  ['[\\]]', ']', true],
  ['[\\]a]', 'a', true],
  ['[\\^]', '^', true],
  ['[\\^]', 'a', false],
  ['[a\\-c]', '-', true],
  ['[a\\-c]', 'b', false],
  ['[-a]', '-', true],
  ['[a-]', 'a', true], // "a-]" is a range up to ']' and the class runs on to the end of the pattern
  ['[a-]', ']', true],
  ['[a-]', '_', true],
  ['[a-]', 'b', false],
  ['[a-]x', 'x', true], // the class swallowed "x" as a member
  ['[a-]x', 'ax', false],
  ['[a-]x', 'a', true],
  ['[a-]x', 'b', false],
  ['[a-\\]', '\\', true],
  ['[a-\\]', ']', true], // range 'a'..'\\' swaps to '\\'..'a', then ']' closes
  ['[a-\\]', 'b', false],
  ['[--a]', '-', true],
  ['[--a]', '0', true],
  ['[^-]', '-', false],
  ['[*]', '*', true],
  ['[*]', 'a', false],
  ['[?]', 'a', false],
  ['[[]', '[', true],
  ['[a', 'a', true], // unterminated: the end of the pattern closes the class
  ['[a', 'b', false],
  ['[ab', 'b', true],
  ['[a-c', 'b', true],
  ['[', 'a', false],
  ['[', '', false],
  ['[^', 'x', true],
  ['[^', '', false],
  ['[^a', 'a', false],
  ['[^a', 'b', true],
  ['x[', 'x', false],
  ['[\\', '\\', true],
  ['[a\\', '\\', true],
  ['[\\a', 'a', true],
  // escapes
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['\\?', '?', true],
  ['\\?', 'a', false],
  ['\\[a]', '[a]', true],
  ['\\a', 'a', true],
  ['\\\\', '\\', true],
  ['\\', '\\', true], // a trailing backslash is literal
  ['a\\', 'a\\', true],
  ['a\\', 'a', false],
  ['*\\', 'xx\\', true],
  ['h\\*llo', 'h*llo', true],
  ['h\\*llo', 'hello', false],
  // latin1 / binary subjects, and C's signed char in ranges
  ['\x00', '\x00', true],
  ['a\x00b', 'a\x00b', true],
  ['*\x00', 'abc\x00', true],
  ['[\x80-\xff]', '\x90', true],
  ['[\x80-\xff]', 'a', false],
  ['[a-\xff]', '\xff', true], // 'a'..-1 swaps to -1..'a'
  ['[a-\xff]', '\x00', true],
  ['[a-\xff]', 'A', true],
  ['[a-\xff]', 'z', false],
  ['[a-\xff]', '\x80', false],
  ['[\x00-\x80]', '\xc0', true], // 0..-128 swaps to -128..0
  ['[\x00-\x80]', '\x01', false],
  ['[\x7f-\x80]', '\x7f', true],
  ['[\x7f-\x80]', 'a', true],
  ['[^\xe9]', '\xe9', false],
  ['\xe9*', '\xe9t\xe9', true],
];

const NOCASE_CASES: readonly Case[] = [
  ['ABC', 'abc', true],
  ['abc', 'ABC', true],
  ['a?C', 'Abc', true],
  ['*SAVE*', 'appendfsync-save', true],
  ['[A-C]', 'b', true],
  ['[a-c]', 'B', true],
  ['[A-z]', '_', false], // both ends are lowered first: a..z
  ['[A-z]', 'M', true],
  ['[_-a]', 'Z', false], // 'Z' lowers to 'z', outside '_'..'a'
  ['[^A]', 'a', false],
  ['[B]', 'b', true],
  ['[\\B]', 'b', false], // escaped class members compare exactly
  ['[\\B]', 'B', true],
  ['\\B', 'b', true], // escapes outside classes still fold
  ['\xc9', '\xe9', false], // only ASCII letters fold (C locale)
  ['[\x80-a]', 'a', false], // tolower(-128) is 128: the range 128..97 is empty
  ['[\x80-a]', '\x80', false],
  ['[a-\xff]', '\xff', true], // tolower(-1) stays -1 (EOF)
  ['', '', true],
  ['*', '', false],
];

describe('globMatch', () => {
  test('table cases', () => {
    for (const [p, s, want] of CASES) {
      assert.equal(globMatch(p, s), want, `globMatch(${JSON.stringify(p)}, ${JSON.stringify(s)})`);
      assert.equal(compileGlob(p)(s), want, `compileGlob(${JSON.stringify(p)})(${JSON.stringify(s)})`);
    }
  });

  test('nocase table cases', () => {
    for (const [p, s, want] of NOCASE_CASES) {
      assert.equal(globMatch(p, s, true), want, `globMatch(${JSON.stringify(p)}, ${JSON.stringify(s)}, true)`);
      assert.equal(compileGlob(p, true)(s), want);
    }
  });

  test('nocase only changes letter comparisons', () => {
    assert.equal(globMatch('abc', 'ABC', false), false);
    assert.equal(globMatch('abc', 'ABC', true), true);
    assert.equal(globMatch('a[b-d]', 'AC', true), true);
    assert.equal(globMatch('a[b-d]', 'AC', false), false);
  });

  test('adversarial patterns stay fast', () => {
    const long = 'a'.repeat(100_000);
    const t0 = process.hrtime.bigint();
    assert.equal(globMatch('a*a*a*a*a*a*a*b', long), false);
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c', long), false);
    assert.equal(globMatch('a*a*a*a*a*a*a*a', long), true);
    assert.equal(globMatch('*?*?*?*?*?*?*b', long), false);
    assert.equal(globMatch('*[ab]*[ab]*[ab]*c', long + 'c'), true);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  test('more than 1000 nested star groups never match (Redis nesting limit)', () => {
    const subject = 'a'.repeat(1200);
    assert.equal(globMatch('*a'.repeat(1000), subject), true);
    assert.equal(globMatch('*a'.repeat(1000) + '*', subject), true);
    assert.equal(globMatch('*a'.repeat(1001), subject), false);
    assert.equal(globMatch('*a'.repeat(1001) + '*', subject), false);
    // Runs of stars collapse, and a trailing star does not nest.
    assert.equal(globMatch('**a'.repeat(1000) + '***', subject), true);
    assert.equal(globMatch('a*'.repeat(1000) + '*', subject), true);
    assert.equal(globMatch('a*'.repeat(1001), subject), true);
    assert.equal(globMatch('a*'.repeat(1002), subject), false);
  });

  test('agrees with a naive backtracking reference on small inputs', () => {
    // An exhaustive matcher over the same token rules, without the nesting limit, for short patterns.
    const alphabet = ['*', '?', '[', ']', '^', '-', '\\', 'a', 'b', 'c'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 7 }).map((a) => a.join('')),
        fc.array(fc.constantFrom('a', 'b', 'c', '-', ']', '^', '\\', '*'), { maxLength: 6 }).map((a) => a.join('')),
        (p, s) => {
          assert.equal(globMatch(p, s), naive(p, s), `pattern ${JSON.stringify(p)} subject ${JSON.stringify(s)}`);
        },
      ),
      { numRuns: 3000, seed: 7 },
    );
  });
});

/** Straightforward recursive matcher used as an oracle (exponential, only for tiny inputs). */
function naive(p: string, s: string): boolean {
  if (s.length === 0) return p.length === 0;
  const rec = (pi: number, si: number): boolean => {
    if (pi === p.length) return si === s.length;
    const ch = p[pi]!;
    if (ch === '*') {
      for (let k = si; k <= s.length; k++) if (rec(pi + 1, k)) return true;
      return false;
    }
    if (si === s.length) return false;
    const c = s[si]!;
    if (ch === '?') return rec(pi + 1, si + 1);
    if (ch === '[') {
      let i = pi + 1;
      const neg = p[i] === '^';
      if (neg) i++;
      let hit = false;
      for (;;) {
        if (p[i] === '\\' && i + 1 < p.length) {
          i++;
          if (p[i] === c) hit = true;
        } else if (p[i] === ']') {
          break;
        } else if (i >= p.length) {
          i = p.length - 1;
          break;
        } else if (i + 2 < p.length && p[i + 1] === '-') {
          const a = p.charCodeAt(i);
          const b = p.charCodeAt(i + 2);
          const cc = c.charCodeAt(0);
          if (cc >= Math.min(a, b) && cc <= Math.max(a, b)) hit = true;
          i += 2;
        } else if (p[i] === c) {
          hit = true;
        }
        i++;
      }
      return hit !== neg && rec(i + 1, si + 1);
    }
    let lit = ch;
    let next = pi + 1;
    if (ch === '\\' && pi + 1 < p.length) {
      lit = p[pi + 1]!;
      next = pi + 2;
    }
    return lit === c && rec(next, si + 1);
  };
  return rec(0, 0);
}

describe('isPlainPattern', () => {
  test('returns the literal for wildcard-free patterns', () => {
    assert.equal(isPlainPattern(''), '');
    assert.equal(isPlainPattern('foo'), 'foo');
    assert.equal(isPlainPattern('a]b^c-d'), 'a]b^c-d');
    assert.equal(isPlainPattern('\x00\xff'), '\x00\xff');
    assert.equal(isPlainPattern('foo\\*bar'), 'foo*bar');
    assert.equal(isPlainPattern('\\?\\[\\\\'), '?[\\');
    assert.equal(isPlainPattern('\\a'), 'a');
    assert.equal(isPlainPattern('a\\'), 'a\\');
  });

  test('returns undefined when the pattern has wildcards or classes', () => {
    for (const p of ['*', 'a*', '?', 'a?b', '[a]', 'x[', '\\**', '\\\\*']) {
      assert.equal(isPlainPattern(p), undefined, p);
    }
  });

  test('the literal is exactly what the pattern matches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '\\', '*', ']', '\x00'), { maxLength: 6 }).map((a) => a.join('')),
        fc.array(fc.constantFrom('a', 'b', '\\', '*', ']', '\x00'), { maxLength: 5 }).map((a) => a.join('')),
        (p, s) => {
          const lit = isPlainPattern(p);
          if (lit === undefined) return;
          assert.equal(globMatch(p, lit), true);
          assert.equal(globMatch(p, s), s === lit);
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
  });
});

async function pipeline(conn: RawConnection, cmds: readonly (readonly string[])[]): Promise<RespValue[]> {
  for (const c of cmds) conn.send(c);
  const out: RespValue[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(parseReply(await conn.readReply(10_000)));
  return out;
}

function sortedStrings(v: RespValue): string[] {
  assert.ok(Array.isArray(v), `expected an array reply, got ${JSON.stringify(v)}`);
  return v
    .map((x) => {
      assert.equal(typeof x, 'string');
      return x as string;
    })
    .sort();
}

/** Builds patterns likely to match some subject by mutating one: wildcards, classes, escapes, case changes. */
function derivedPatternArb(subjects: readonly string[], extra: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.constant((_c: string) => '?'),
    fc.constant((_c: string) => '*'),
    fc.constant((c: string) => c + '*'),
    fc.constant((c: string) => `[${c}]`),
    fc.constant((c: string) => `[^${c}]`),
    fc.constant((c: string) => `[${c}-z]`),
    fc.constant((c: string) => `[a-${c}]`),
    fc.constant((c: string) => '\\' + c),
    fc.constant((c: string) => c.replace(/[a-z]/g, (l) => l.toUpperCase())),
    fc.constant((_c: string) => ''),
    fc.constantFrom(...extra).map((x) => (c: string) => c + x),
  );
  return fc
    .tuple(fc.constantFrom(...subjects), fc.array(fc.tuple(fc.nat(), edit), { maxLength: 3 }))
    .map(([subject, edits]) => {
      const chars = [...subject];
      for (const [pos, f] of edits) {
        if (chars.length === 0) {
          chars.push(f('a'));
          continue;
        }
        const i = pos % chars.length;
        chars[i] = f(chars[i]!);
      }
      return chars.join('');
    });
}

describe('globMatch against redis-server', () => {
  test('KEYS <pattern> gives the keys globMatch accepts', async () => {
    const redis = await startRedis();
    let conn: RawConnection | undefined;
    try {
      conn = await RawConnection.connect(redis.port);
      const keyAlphabet = [
        'a',
        'b',
        'c',
        'A',
        'z',
        '_',
        '0',
        '*',
        '?',
        '[',
        ']',
        '^',
        '-',
        '\\',
        '\x00',
        '\x80',
        '\xc0',
        '\xff',
      ];
      const generated = fc.sample(
        fc.array(fc.constantFrom(...keyAlphabet), { maxLength: 5 }).map((a) => a.join('')),
        { numRuns: 400, seed: 20240601 },
      );
      const keys = [
        ...new Set([
          '',
          ...generated,
          'abc',
          'a'.repeat(1001),
          'a'.repeat(3000),
          'a'.repeat(3000) + 'b',
          'hello',
          'hallo',
          'h*llo',
        ]),
      ];
      const setReplies = await pipeline(
        conn,
        keys.map((k) => ['SET', k, '1']),
      );
      assert.ok(setReplies.every((r) => r === 'OK'));
      assert.equal(await pipeline(conn, [['DBSIZE']]).then((r) => r[0]), keys.length);

      const patternAlphabet = ['*', '?', '[', ']', '^', '-', '\\', 'a', 'b', 'c', 'A', 'z', '\x80', '\xff', '\x00'];
      const randomPatterns = fc.sample(
        fc.array(fc.constantFrom(...patternAlphabet), { maxLength: 8 }).map((a) => a.join('')),
        { numRuns: 500, seed: 4242 },
      );
      const derived = fc.sample(
        derivedPatternArb(
          generated.filter((k) => k.length > 0),
          ['*', '?', ']', '-', '\\', '[', '^'],
        ),
        {
          numRuns: 400,
          seed: 99,
        },
      );
      const special = [
        '*a'.repeat(1000),
        '*a'.repeat(1001),
        '*a'.repeat(1000) + '*',
        'a*'.repeat(1001),
        'a*'.repeat(1002),
        '**a'.repeat(1001),
        'a*a*a*a*a*a*a*b',
        '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b',
        '[a-\xff]',
        '[\x00-\x80]',
        '[\xff-a]*',
        '',
        '**',
      ];
      const patterns = [...new Set([...randomPatterns, ...derived, ...special])];
      const replies = await pipeline(
        conn,
        patterns.map((p) => ['KEYS', p]),
      );
      let nonEmpty = 0;
      patterns.forEach((p, i) => {
        const got = sortedStrings(replies[i]!);
        if (got.length > 0) nonEmpty++;
        // KEYS answers a lone "*" with every key without matching, which is how it returns the empty key.
        const want = keys.filter((k) => p === '*' || globMatch(p, k)).sort();
        assert.deepEqual(got, want, `KEYS ${JSON.stringify(p)}`);
      });
      assert.ok(patterns.length >= 650, `only ${patterns.length} patterns`);
      assert.ok(nonEmpty >= 100, `only ${nonEmpty} patterns matched anything`);
    } finally {
      await conn?.close();
      await redis.stop();
    }
  });

  test('COMMAND LIST FILTERBY PATTERN (a case-insensitive match) agrees with globMatch(nocase)', async () => {
    const redis = await startRedis();
    let conn: RawConnection | undefined;
    try {
      conn = await RawConnection.connect(redis.port);
      const [all] = await pipeline(conn, [['COMMAND', 'LIST']]);
      const names = sortedStrings(all!);
      assert.ok(names.length > 100 && names.includes('config|get'));
      const alphabet = [
        '*',
        '?',
        '[',
        ']',
        '^',
        '-',
        '\\',
        'c',
        'C',
        'o',
        'N',
        'f',
        'G',
        '|',
        's',
        'E',
        't',
        'x',
        'Z',
        'a',
        '_',
      ];
      const randomPatterns = fc.sample(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 7 }).map((a) => a.join('')),
        { numRuns: 250, seed: 31337 },
      );
      const derived = fc.sample(derivedPatternArb(names, ['*', '?', '|', '-', '[', 'Z']), { numRuns: 300, seed: 5 });
      const special = [
        '*',
        'CONFIG*',
        'config|?et',
        '[A-z]*',
        '[_-a]*',
        '*[|]*',
        'CLIENT|[^K]*',
        '[\\C]*',
        '[\\c]*',
        '\\C*',
      ];
      const patterns = [...new Set([...randomPatterns, ...derived, ...special])];
      const replies = await pipeline(
        conn,
        patterns.map((p) => ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', p]),
      );
      let nonEmpty = 0;
      patterns.forEach((p, i) => {
        const got = sortedStrings(replies[i]!);
        if (got.length > 0) nonEmpty++;
        const want = names.filter((n) => globMatch(p, n, true));
        assert.deepEqual(got, want, `COMMAND LIST FILTERBY PATTERN ${JSON.stringify(p)}`);
      });
      assert.ok(nonEmpty >= 100, `only ${nonEmpty} patterns matched anything`);
    } finally {
      await conn?.close();
      await redis.stop();
    }
  });
});
