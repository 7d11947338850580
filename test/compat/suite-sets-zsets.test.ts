// The edge cases Redis's own test suite checks for sets and sorted sets (tests/unit/type/set.tcl and
// tests/unit/type/zset.tcl), as differential tests against real Redis 7.0.15 in RESP2 and RESP3: the same
// commands run against both servers and the replies must match byte for byte. Replies that hold random picks
// (SPOP, SRANDMEMBER, ZRANDMEMBER) are compared through their shape: length, whether every member belongs to the
// set, how many distinct members. Cases that need knobs Cairn lacks (CONFIG SET of the encoding limits,
// replication streams, DEBUG HTSTATS-KEY) are left out; a skiplist-encoded sorted set is made by adding a member
// longer than zset-max-listpack-value. The "random" scripts (fuzzers, stressers) come from a seeded generator, so
// they are the same on every run. Blocking pops with several clients run through test/support/multi-conn.ts.

import { describe, test, after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scriptTests, type Script, type ScriptStep, type Normalizer } from '../support/differential.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';
import { useRedisAndCairn } from '../support/duo.js';
import { multiConnScenario, type MultiConn } from '../support/multi-conn.js';
import { rng } from '../support/data.js';

// DEBUG RELOAD writes a snapshot: Cairn gets a private directory and no save points.
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-suite-sets-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));
const ports = useRedisAndCairn({ save: '', dir: DIR, 'enable-debug-command': 'yes' });
const pair = (): { redis: { port: number }; cairn: { port: number } } => {
  const p = ports();
  return { redis: { port: p.redis }, cairn: { port: p.cairn } };
};

// ---- helpers ----

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const ints = (from: number, to: number): string[] => range(from, to).map(String);
const pad3 = (i: number): string => `i${String(i).padStart(3, '0')}`;

/**
 * For replies holding random members (SRANDMEMBER, SPOP, ZRANDMEMBER with a count): the reply's length, whether
 * every member belongs to `universe`, and (with `distinct`) how many different members it names; members sit at
 * every `stride`-th place of a flat reply, or first in each nested pair (RESP3 WITHSCORES).
 */
function shape(universe: readonly string[], opts: { distinct?: boolean; stride?: number } = {}): Normalizer {
  const u = new Set(universe);
  return (reply) => {
    const v = parseReply(reply);
    if (!Array.isArray(v)) return reply;
    const members: RespValue[] = [];
    const stride = opts.stride ?? 1;
    v.forEach((x, i) => {
      if (Array.isArray(x)) members.push(x[0]!);
      else if (i % stride === 0) members.push(x);
    });
    const outside = members.filter((m) => typeof m !== 'string' || !u.has(m)).length;
    const nested = v.length > 0 && Array.isArray(v[0]) ? ' nested' : '';
    const d = opts.distinct ? ` distinct=${new Set(members).size}` : '';
    return `len=${v.length}${nested} outside=${outside}${d}`;
  };
}

/** A step whose reply is a random pick: compared through `shape`. */
const rand = (
  args: string[],
  universe: readonly string[],
  o: { distinct?: boolean; stride?: number } = {},
): ScriptStep => ({
  args,
  normalize: shape(universe, o),
});
/** A step whose reply lists members in an order only Redis's hash table fixes. */
const unordered = (args: string[]): ScriptStep => ({ args, mode: 'unordered' });

// ---- sets (tests/unit/type/set.tcl) ----

const HT = ['foo', ...range(0, 130).map(pad3)];

function generatedSets(type: 'regular' | 'intset'): Script {
  const large = type === 'regular' ? 'foo' : '200';
  const s: ScriptStep[] = [];
  s.push(['SADD', 'set1', ...ints(0, 200)]);
  s.push(['SADD', 'set2', ...ints(195, 395)]);
  s.push(['SADD', 'set3', '199', '195', '1000', '2000']);
  s.push(['SADD', 'set4', ...ints(5, 200)]);
  s.push(['SADD', 'set5', '0']);
  for (let i = 1; i <= 5; i++) s.push(['SADD', `set${i}`, large]);
  for (let i = 1; i <= 5; i++) s.push(['OBJECT', 'ENCODING', `set${i}`]);
  s.push(
    unordered(['SINTER', 'set1', 'set2']),
    ['SINTERCARD', '2', 'set1', 'set2'],
    ['SINTERCARD', '2', 'set1', 'set2', 'LIMIT', '0'],
    ['SINTERCARD', '2', 'set1', 'set2', 'LIMIT', '3'],
    ['SINTERCARD', '2', 'set1', 'set2', 'limit', '10'],
    ['SINTERSTORE', 'setres', 'set1', 'set2'],
    ['OBJECT', 'ENCODING', 'setres'],
    unordered(['SMEMBERS', 'setres']),
    unordered(['SUNION', 'set1', 'set2']),
    ['SUNIONSTORE', 'setres', 'set1', 'set2'],
    ['OBJECT', 'ENCODING', 'setres'],
    unordered(['SMEMBERS', 'setres']),
    unordered(['SINTER', 'set1', 'set2', 'set3']),
    ['SINTERCARD', '3', 'set1', 'set2', 'set3'],
    ['SINTERCARD', '3', 'set1', 'set2', 'set3', 'LIMIT', '0'],
    ['SINTERCARD', '3', 'set1', 'set2', 'set3', 'LIMIT', '2'],
    ['SINTERCARD', '3', 'set1', 'set2', 'set3', 'LIMIT', '10'],
    ['SINTERSTORE', 'setres', 'set1', 'set2', 'set3'],
    unordered(['SMEMBERS', 'setres']),
    unordered(['SUNION', 'nokey1', 'set1', 'set2', 'nokey2']),
    unordered(['SDIFF', 'set1', 'set4']),
    unordered(['SDIFF', 'set1', 'set4', 'set5']),
    ['SDIFFSTORE', 'setres', 'set1', 'set4', 'set5'],
    ['OBJECT', 'ENCODING', 'setres'],
    unordered(['SMEMBERS', 'setres']),
    unordered(['SINTER', 'set1', 'set1', 'set1']),
    unordered(['SUNION', 'set1', 'set1', 'set1']),
    ['SDIFF', 'set1', 'set1', 'set1'],
    ['SINTERCARD', '3', 'set1', 'set1', 'set1'],
  );
  return s;
}

function sdiffFuzz(seed: number, rounds: number): Script {
  const r = rng(seed);
  const s: ScriptStep[] = [];
  const value = (): string => {
    const k = Math.floor(r() * 3);
    if (k === 0) return String(Math.floor(r() * 200) - 100);
    if (k === 1) return String(Math.floor(r() * 4294967296) * (r() < 0.5 ? -1 : 1));
    return `v${Math.floor(r() * 150)}`;
  };
  for (let j = 0; j < rounds; j++) {
    const n = 1 + Math.floor(r() * 10);
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = `set_${i}`;
      keys.push(k);
      s.push(['DEL', k]);
      const m = Math.floor(r() * 100);
      if (m > 0) s.push(['SADD', k, ...Array.from({ length: m }, value)]);
    }
    s.push(unordered(['SDIFF', ...keys]));
    s.push(['SDIFFSTORE', 'res', ...keys]);
    s.push(['SCARD', 'res']);
  }
  return s;
}

function intsetStress(seed: number): Script {
  const r = rng(seed);
  const s: ScriptStep[] = [];
  for (let j = 0; j < 6; j++) {
    s.push(['DEL', 's']);
    const len = Math.floor(r() * 300);
    const vals: string[] = [];
    for (let i = 0; i < len; i++) {
      const p = Math.floor(r() * 3);
      if (p === 0) vals.push(String(Math.floor(r() * 65536)));
      else if (p === 1) vals.push(String(Math.floor(r() * 4294967296)));
      else
        vals.push(
          (BigInt(Math.floor(r() * 4294967296)) * 4294967296n + BigInt(Math.floor(r() * 4294967296))).toString(),
        );
    }
    for (let i = 0; i < vals.length; i += 50) s.push(['SADD', 's', ...vals.slice(i, i + 50)]);
    s.push(['SCARD', 's'], unordered(['SMEMBERS', 's']), ['OBJECT', 'ENCODING', 's']);
    const uniq = [...new Set(vals)];
    for (let i = 0; i < Math.min(uniq.length, 40); i++) s.push(rand(['SPOP', 's'], uniq));
    s.push(['SCARD', 's']);
    s.push(rand(['SPOP', 's', '100000'], uniq, { distinct: true }), ['SCARD', 's'], ['EXISTS', 's']);
  }
  return s;
}

const SPOP_CONTENTS: Record<string, string[]> = {
  small: 'a b c d e f g h i j k l m n o p q r s t u v w x y z'.split(' '),
  intset: '1 10 11 12 13 14 15 16 17 18 19 2 20 21 22 23 24 25 26 3 4 5 6 7 8 9'.split(' '),
  hashtable: [
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    ...'b c d e f g h i j k l m n o p q r s t u v w x y z'.split(' '),
  ],
};

const SRAND_CONTENTS: Record<string, string[]> = {
  mixed: (
    '1 5 10 50 125 50000 33959417 4775547 65434162 12098459 427716 483706 2726473884 72615637475 ' +
    'MARY PATRICIA LINDA BARBARA ELIZABETH JENNIFER MARIA SUSAN MARGARET DOROTHY LISA NANCY KAREN BETTY HELEN ' +
    'SANDRA DONNA CAROL RUTH SHARON MICHELLE LAURA SARAH KIMBERLY DEBORAH JESSICA SHIRLEY CYNTHIA ANGELA MELISSA ' +
    'BRENDA AMY ANNA REBECCA VIRGINIA KATHLEEN'
  ).split(' '),
  intset: ints(0, 50),
};

function srandmemberScript(contents: string[]): Script {
  const s: ScriptStep[] = [['SADD', 'myset', ...contents], ['SCARD', 'myset'], unordered(['SMEMBERS', 'myset'])];
  s.push(['SRANDMEMBER', 'myset', '0']);
  s.push(rand(['SRANDMEMBER', 'myset'], contents));
  s.push(rand(['SRANDMEMBER', 'myset', '-100'], contents));
  s.push(rand(['SRANDMEMBER', 'myset', '-10'], contents));
  s.push(rand(['SRANDMEMBER', 'myset', '-1'], contents));
  for (const size of ['50', '100']) s.push(unordered(['SRANDMEMBER', 'myset', size]));
  for (const size of ['45', '5', '1', '49']) s.push(rand(['SRANDMEMBER', 'myset', size], contents, { distinct: true }));
  return s;
}

const SET_SCRIPTS: Record<string, Script> = {
  'SADD, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS basics': [
    ['SADD', 'myset', ...HT],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SADD', 'myset', 'bar'],
    ['SADD', 'myset', 'bar'],
    ['SCARD', 'myset'],
    ['SISMEMBER', 'myset', 'foo'],
    ['SISMEMBER', 'myset', 'bar'],
    ['SISMEMBER', 'myset', 'bla'],
    ['SMISMEMBER', 'myset', 'foo'],
    ['SMISMEMBER', 'myset', 'foo', 'bar'],
    ['SMISMEMBER', 'myset', 'foo', 'bla'],
    ['SMISMEMBER', 'myset', 'bla', 'foo'],
    ['SMISMEMBER', 'myset', 'bla'],
    unordered(['SMEMBERS', 'myset']),
    ['DEL', 'myset'],
    ['SADD', 'myset', 'foo'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SADD', 'myset', 'bar'],
    ['SADD', 'myset', 'bar'],
    ['SCARD', 'myset'],
    ['SMISMEMBER', 'myset', 'bla', 'foo'],
    unordered(['SMEMBERS', 'myset']),
    ['DEL', 'myset'],
    ['SADD', 'myset', '17'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SADD', 'myset', '16'],
    ['SADD', 'myset', '16'],
    ['SCARD', 'myset'],
    ['SISMEMBER', 'myset', '16'],
    ['SISMEMBER', 'myset', '17'],
    ['SISMEMBER', 'myset', '18'],
    ['SMISMEMBER', 'myset', '16'],
    ['SMISMEMBER', 'myset', '16', '17'],
    ['SMISMEMBER', 'myset', '16', '18'],
    ['SMISMEMBER', 'myset', '18', '16'],
    ['SMISMEMBER', 'myset', '18'],
    ['SMEMBERS', 'myset'],
    ['SISMEMBER', 'myset', '016'],
    ['SISMEMBER', 'myset', '+16'],
    ['SISMEMBER', 'myset', '16.0'],
  ],
  'set commands against a non-set and a missing key': [
    ['LPUSH', 'mylist', 'foo'],
    ['SMISMEMBER', 'mylist', 'bar'],
    ['SMEMBERS', 'mylist'],
    ['SCARD', 'mylist'],
    ['SISMEMBER', 'mylist', 'foo'],
    ['SADD', 'mylist', 'bar'],
    ['SREM', 'mylist', 'bar'],
    ['SRANDMEMBER', 'mylist'],
    ['SRANDMEMBER', 'mylist', '3'],
    ['SPOP', 'mylist'],
    ['SPOP', 'mylist', '3'],
    ['SSCAN', 'mylist', '0'],
    ['SMISMEMBER', 'myset1', 'foo'],
    ['SMISMEMBER', 'myset1', 'foo', 'bar'],
    ['SMEMBERS', 'myset1'],
    ['SCARD', 'myset1'],
    ['SISMEMBER', 'myset1', 'foo'],
    ['SREM', 'myset1', 'foo'],
    ['SPOP', 'myset1'],
    ['SRANDMEMBER', 'myset1'],
    ['ZADD', 'zmscoretest', '10', 'x'],
    ['ZADD', 'zmscoretest', '20', 'y'],
    ['SMISMEMBER', 'zmscoretest'],
    ['SMISMEMBER', 'zmscoretest', 'x'],
    ['SMISMEMBER'],
    ['SADD', 'myset'],
  ],
  'SADD encodings: non-integers, 64-bit overflow, the intset limit': [
    ['SADD', 'myset', '1', '2', '3'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SADD', 'myset', 'a'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', '0'],
    ...range(1, 130).map((i): ScriptStep => ['SADD', 'myset', String(i)]),
    ['OBJECT', 'ENCODING', 'myset'],
    ['SADD', 'myset', 'a'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', '213244124402402314402033402'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SISMEMBER', 'myset', '213244124402402314402033402'],
    ['SMISMEMBER', 'myset', '213244124402402314402033402'],
    ['DEL', 'myset'],
    ['SADD', 'myset', ...ints(0, 130)],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SADD', 'myset', '213244124402402314402033402'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SISMEMBER', 'myset', '213244124402402314402033402'],
    ['SMISMEMBER', 'myset', '213244124402402314402033402'],
    ['DEL', 'myset'],
    ['SADD', 'myset', '9223372036854775807', '-9223372036854775808'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SADD', 'myset2', '9223372036854775808'],
    ['OBJECT', 'ENCODING', 'myset2'],
    ['SADD', 'myset3', '-0', '00', ' 1'],
    ['OBJECT', 'ENCODING', 'myset3'],
    ['DEL', 'myset'],
    ...range(0, 512).map((i): ScriptStep => ['SADD', 'myset', String(i)]),
    ['OBJECT', 'ENCODING', 'myset'],
    ['SCARD', 'myset'],
    ['SADD', 'myset', '512'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', ...ints(0, 512)],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SCARD', 'myset'],
    ['SADD', 'myset', '512'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', '1'],
    ['SADD', 'myset', ...ints(0, 512)],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SCARD', 'myset'],
    ['SADD', 'myset', '512'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', ...ints(0, 513)],
    ['OBJECT', 'ENCODING', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', 'a', ...ints(0, 127)],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SCARD', 'myset'],
    ['SADD', 'myset', 'b'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', 'a', 'b', 'c'],
    ['SADD', 'myset', 'A', 'a', 'b', 'c', 'B'],
    unordered(['SMEMBERS', 'myset']),
  ],
  'SREM basics and variadic SREM': [
    ['SADD', 'myset', ...HT],
    ['SADD', 'myset', 'ciao'],
    ['SREM', 'myset', 'qux'],
    ['SREM', 'myset', 'ciao'],
    ['SCARD', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', 'foo', 'ciao'],
    ['SREM', 'myset', 'qux'],
    ['SREM', 'myset', 'ciao'],
    ['SMEMBERS', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', '3', '4', '5'],
    ['OBJECT', 'ENCODING', 'myset'],
    ['SREM', 'myset', '6'],
    ['SREM', 'myset', '4'],
    ['SMEMBERS', 'myset'],
    ['SREM', 'myset', '04'],
    ['SREM', 'myset', 'x'],
    ['DEL', 'myset'],
    ['SADD', 'myset', 'a', 'b', 'c', 'd'],
    ['SREM', 'myset', 'k', 'k', 'k'],
    ['SREM', 'myset', 'b', 'd', 'x', 'y'],
    unordered(['SMEMBERS', 'myset']),
    ['DEL', 'myset'],
    ['SADD', 'myset', '1', '2', '3'],
    ['SREM', 'myset', '1', '2', '3', '4', '5', '6', '7', '8'],
    ['EXISTS', 'myset'],
    ['SREM', 'myset', '1'],
  ],
  'SINTERCARD illegal arguments, non-sets, missing keys': [
    ['SINTERCARD'],
    ['SINTERCARD', '1'],
    ['SINTERCARD', '0', 'myset'],
    ['SINTERCARD', 'a', 'myset'],
    ['SINTERCARD', '-1', 'myset'],
    ['SINTERCARD', '2', 'myset'],
    ['SINTERCARD', '3', 'myset', 'myset2'],
    ['SINTERCARD', '1', 'myset', 'myset2'],
    ['SINTERCARD', '1', 'myset', 'bar_arg'],
    ['SINTERCARD', '1', 'myset', 'LIMIT'],
    ['SINTERCARD', '1', 'myset', 'LIMIT', '-1'],
    ['SINTERCARD', '1', 'myset', 'LIMIT', 'a'],
    ['SINTERCARD', '1', 'myset', 'LIMIT', '1', 'LIMIT', '2'],
    ['SINTERCARD', '1', 'myset', 'LIMIT', '1', 'foo'],
    ['SINTERCARD', '2147483648', 'myset'],
    ['SINTERCARD', '9223372036854775808', 'myset'],
    ['SADD', 'set', 'a', 'b', 'c'],
    ['SET', 'key1', 'x'],
    ['SINTERCARD', '1', 'key1'],
    ['SINTERCARD', '2', 'set', 'key1'],
    ['SINTERCARD', '2', 'key1', 'noset'],
    ['SINTERCARD', '2', 'noset', 'key1'],
    ['SINTERCARD', '1', 'non-existing-key'],
    ['SINTERCARD', '1', 'non-existing-key', 'limit', '0'],
    ['SINTERCARD', '1', 'non-existing-key', 'limit', '10'],
    ['SINTERCARD', '1', 'set', 'LIMIT', '9223372036854775807'],
    ['SINTERCARD', '1', 'set', 'LIMIT', '9223372036854775808'],
  ],
  'SINTER, SUNION, SDIFF and their STORE forms over regular sets': generatedSets('regular'),
  'SINTER, SUNION, SDIFF and their STORE forms over intsets': generatedSets('intset'),
  'SINTERSTORE results as intsets, SUNION of mixed sets, SDIFF edge cases': [
    ['SADD', 'set1', 'a', 'b', 'c', '1', '3', '6', 'x', 'y', 'z'],
    ['SADD', 'set2', 'e', 'f', 'g', '1', '2', '3', 'u', 'v', 'w'],
    ['SINTERSTORE', 'setres', 'set1', 'set2'],
    ['SMEMBERS', 'setres'],
    ['OBJECT', 'ENCODING', 'setres'],
    ['DEL', 'setres', 'set1', 'set2'],
    ['SADD', 'set1', 'a', 'b', 'c', '444', '555', '666', ...ints(1, 130)],
    ['SADD', 'set2', 'e', 'f', 'g', '111', '222', '333', ...ints(1, 130)],
    ['SINTERSTORE', 'setres', 'set1', 'set2'],
    unordered(['SMEMBERS', 'setres']),
    ['OBJECT', 'ENCODING', 'setres'],
    ['DEL', 'set1', 'set2'],
    ['SADD', 'set1', 'abcdefghijklmnopqrstuvwxyz1234567890', 'a', 'b', 'c', '1', '2', '3'],
    ['SADD', 'set2', 'a', 'b', 'c'],
    unordered(['SUNION', 'set1', 'set2']),
    ['SUNIONSTORE', 'u', 'set1', 'set2'],
    ['SCARD', 'u'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SADD', 'set2', '1', '2', '3', '4'],
    ['SADD', 'set3', 'a', 'b', 'c', 'd'],
    ['SDIFF', 'set1', 'set2', 'set3'],
    ['SADD', 'set1', 'a', 'b', 'c', '1', '2', '3', '4', '5', '6'],
    ['SDIFF', 'set1', 'set1'],
    ['SDIFFSTORE', 'd', 'set1', 'set1'],
    ['EXISTS', 'd'],
    ['DEL', 'set1'],
    ['SADD', 'set1', '1', '2', '3'],
    ['SADD', 'set2', '1', '2', '3', 'a'],
    ['SREM', 'set2', 'a'],
    ['OBJECT', 'ENCODING', 'set2'],
    ['SINTER', 'set1', 'set2'],
    ['SINTER', 'set2', 'set1'],
    ['SDIFF', 'set2', 'set1'],
  ],
  'SDIFF fuzzing': sdiffFuzz(1, 40),
  'SDIFF, SINTER, SUNION and STORE forms against non-sets and missing keys': [
    ['SET', 'key1', 'x'],
    ['SDIFF', 'key1', 'noset'],
    ['SDIFF', 'noset', 'key1'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SDIFF', 'key1', 'set1'],
    ['SDIFF', 'set1', 'key1'],
    ['DEL', 'set1'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SADD', 'set2', 'b', 'c', 'd'],
    ['SDIFF', 'set1', 'set2', 'set3'],
    ['SDIFF', 'set3', 'set2', 'set1'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SDIFFSTORE', 'set3', 'key1', 'noset'],
    ['EXISTS', 'set3'],
    ['SDIFFSTORE', 'set3', 'noset', 'key1'],
    ['EXISTS', 'set3'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SADD', 'set2', 'b', 'c', 'd'],
    ['SADD', 'set3', 'e'],
    ['SDIFFSTORE', 'set3', 'key1', 'set1', 'noset'],
    ['SMEMBERS', 'set3'],
    ['SDIFFSTORE', 'set3', 'set1', 'key1', 'set2'],
    ['SMEMBERS', 'set3'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SET', 'setres', 'xxx'],
    ['SDIFFSTORE', 'setres', 'foo111', 'bar222'],
    ['EXISTS', 'setres'],
    ['SADD', 'set3', 'a', 'b', 'c'],
    ['SDIFFSTORE', 'set3', 'set1', 'set2'],
    ['EXISTS', 'set3'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SDIFFSTORE', 'set3', 'set1', 'set2'],
    ['EXISTS', 'set3'],
    unordered(['SMEMBERS', 'set3']),
    ['SADD', 'set3', 'a', 'b', 'c'],
    ['SDIFFSTORE', 'set3', 'set2', 'set1'],
    ['EXISTS', 'set3'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SINTER', 'key1', 'noset'],
    ['SINTER', 'noset', 'key1'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SINTER', 'key1', 'set1'],
    ['SINTER', 'set1', 'key1'],
    ['SADD', 'set2', 'b', 'c', 'd'],
    ['SINTER', 'set1', 'set2', 'set3'],
    ['SINTER', 'set3', 'set1', 'key1'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SINTERSTORE', 'set3', 'key1', 'noset'],
    ['EXISTS', 'set3'],
    ['SINTERSTORE', 'set3', 'noset', 'key1'],
    ['EXISTS', 'set3'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SADD', 'set2', 'b', 'c', 'd'],
    ['SADD', 'set3', 'e'],
    ['SINTERSTORE', 'set3', 'key1', 'set2', 'noset'],
    ['SMEMBERS', 'set3'],
    ['SINTERSTORE', 'set3', 'noset', 'key1', 'set2'],
    ['SMEMBERS', 'set3'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SET', 'setres', 'xxx'],
    ['SINTERSTORE', 'setres', 'foo111', 'bar222'],
    ['EXISTS', 'setres'],
    ['SADD', 'set3', 'a', 'b', 'c'],
    ['SINTERSTORE', 'set3', 'set1', 'set2'],
    ['EXISTS', 'set3'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SINTERSTORE', 'set3', 'set1', 'set2'],
    ['EXISTS', 'set3'],
    ['SINTERSTORE', 'set3', 'set2', 'set1'],
    ['EXISTS', 'set3'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SUNION', 'key1', 'noset'],
    ['SUNION', 'noset', 'key1'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SUNION', 'key1', 'set1'],
    ['SUNION', 'set1', 'key1'],
    ['SADD', 'set2', 'b', 'c', 'd'],
    unordered(['SUNION', 'set1', 'set2', 'set3']),
    ['DEL', 'set1', 'set2', 'set3'],
    ['SUNIONSTORE', 'set3', 'key1', 'noset'],
    ['EXISTS', 'set3'],
    ['SUNIONSTORE', 'set3', 'noset', 'key1'],
    ['EXISTS', 'set3'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SADD', 'set2', 'b', 'c', 'd'],
    ['SADD', 'set3', 'e'],
    ['SUNIONSTORE', 'set3', 'key1', 'key2', 'noset'],
    ['SMEMBERS', 'set3'],
    ['SUNIONSTORE', 'set3', 'noset', 'key1', 'key2'],
    ['SMEMBERS', 'set3'],
    ['DEL', 'set1', 'set2', 'set3'],
    ['SET', 'setres', 'xxx'],
    ['SUNIONSTORE', 'setres', 'foo111', 'bar222'],
    ['EXISTS', 'setres'],
    ['SADD', 'set3', 'a', 'b', 'c'],
    ['SUNIONSTORE', 'set3', 'set1', 'set2'],
    ['EXISTS', 'set3'],
    ['SADD', 'set1', 'a', 'b', 'c'],
    ['SADD', 'set3', 'e', 'f'],
    ['SUNIONSTORE', 'set3', 'set1', 'set2'],
    ['EXISTS', 'set3'],
    unordered(['SMEMBERS', 'set3']),
    ['SADD', 'set3', 'd'],
    ['SUNIONSTORE', 'set3', 'set2', 'set1'],
    unordered(['SMEMBERS', 'set3']),
    ['SINTER'],
    ['SUNION'],
    ['SDIFF'],
    ['SINTERSTORE', 'x'],
    ['SUNIONSTORE', 'x'],
    ['SDIFFSTORE', 'x'],
  ],
  'SPOP basics, with a count, and its errors': [
    ['SADD', 'myset', 'a', 'b', 'c'],
    rand(['SPOP', 'myset'], ['a', 'b', 'c']),
    rand(['SPOP', 'myset'], ['a', 'b', 'c']),
    rand(['SPOP', 'myset'], ['a', 'b', 'c']),
    ['SCARD', 'myset'],
    ['SPOP', 'myset'],
    ['SADD', 'myset', '1', '2', '3'],
    rand(['SPOP', 'myset', '1'], ['1', '2', '3']),
    rand(['SPOP', 'myset', '1'], ['1', '2', '3']),
    rand(['SPOP', 'myset', '1'], ['1', '2', '3']),
    ['SCARD', 'myset'],
    ['EXISTS', 'myset'],
    ['SPOP', 'myset', '1'],
    ['SPOP', 'myset', '0'],
    ...Object.values(SPOP_CONTENTS).flatMap((contents): ScriptStep[] => [
      ['DEL', 'myset'],
      ['SADD', 'myset', ...contents],
      ['OBJECT', 'ENCODING', 'myset'],
      rand(['SPOP', 'myset', '11'], contents, { distinct: true }),
      rand(['SPOP', 'myset', '9'], contents, { distinct: true }),
      ['SPOP', 'myset', '0'],
      rand(['SPOP', 'myset', '4'], contents, { distinct: true }),
      rand(['SPOP', 'myset', '1'], contents, { distinct: true }),
      ['SPOP', 'myset', '0'],
      rand(['SPOP', 'myset', '1'], contents, { distinct: true }),
      ['SPOP', 'myset', '0'],
      ['SCARD', 'myset'],
      ['EXISTS', 'myset'],
    ]),
    ['SADD', 'myset', ...ints(1, 21)],
    ['SCARD', 'myset'],
    rand(['SPOP', 'myset', '1'], ints(1, 21)),
    ['SCARD', 'myset'],
    rand(['SPOP', 'myset', '2'], ints(1, 21), { distinct: true }),
    ['SCARD', 'myset'],
    rand(['SPOP', 'myset', '3'], ints(1, 21), { distinct: true }),
    ['SCARD', 'myset'],
    rand(['SPOP', 'myset', '10'], ints(1, 21), { distinct: true }),
    ['SCARD', 'myset'],
    rand(['SPOP', 'myset', '10'], ints(1, 21), { distinct: true }),
    ['SCARD', 'myset'],
    ['SPOP', 'myset', '1'],
    ['SCARD', 'myset'],
    ['SPOP', 'nonexisting_key', '100'],
    ['SPOP', 'nonexisting_key'],
    ['SADD', 'myset', 'a'],
    ['SPOP', 'myset', '-1'],
    ['SPOP', 'myset', 'x'],
    ['SPOP', 'myset', '1.5'],
    ['SPOP', 'myset', '-9223372036854775808'],
    ['SPOP', 'myset', '9223372036854775808'],
    ['SPOP', 'myset', '1', '2'],
    ['SPOP', 'nonexisting_key', '-1'],
    ['SCARD', 'myset'],
    ['DEL', 'myset'],
    ['SADD', 'myset', 'a', '1', '2', '3', '4', '5', '6', '7'],
    rand(['SPOP', 'myset'], ['a', ...ints(1, 8)]),
    rand(['SPOP', 'myset'], ['a', ...ints(1, 8)]),
  ],
  'SPOP with a count: the three code paths': (['int', 'mixed'] as const).flatMap((type): ScriptStep[] => {
    const content = type === 'int' ? ints(1, 21) : ['a', ...ints(2, 21)];
    return [
      ['DEL', 'myset'],
      ['SADD', 'myset', ...content],
      unordered(['SPOP', 'myset', '30']),
      ['EXISTS', 'myset'],
      ['SADD', 'myset', ...content],
      unordered(['SPOP', 'myset', '20']),
      ['EXISTS', 'myset'],
      ['SADD', 'myset', ...content],
      rand(['SPOP', 'myset', '2'], content, { distinct: true }),
      ['SCARD', 'myset'],
      ['DEL', 'myset'],
      ['SADD', 'myset', ...content],
      rand(['SPOP', 'myset', '18'], content, { distinct: true }),
      ['SCARD', 'myset'],
      ['DEL', 'myset'],
      ['SADD', 'myset', ...content],
      rand(['SPOP', 'myset', '19'], content, { distinct: true }),
      ['SCARD', 'myset'],
    ];
  }),
  'SRANDMEMBER count of 0, missing keys, overflow': [
    ['SRANDMEMBER', 'myset', '0'],
    ['SRANDMEMBER', 'nonexisting_key', '100'],
    ['SRANDMEMBER', 'nonexisting_key', '-100'],
    ['SRANDMEMBER', 'nonexisting_key'],
    ['SRANDMEMBER', 'nonexisting_key', '0'],
    ['SADD', 'myset', 'a'],
    ['SRANDMEMBER', 'myset', '0'],
    ['SRANDMEMBER', 'myset', '-9223372036854775808'],
    ['SRANDMEMBER', 'myset', '9223372036854775807'],
    ['SRANDMEMBER', 'myset', '9223372036854775808'],
    ['SRANDMEMBER', 'myset', 'x'],
    ['SRANDMEMBER', 'myset', '1', '2'],
    ['SRANDMEMBER', 'myset', '1'],
    ['SRANDMEMBER', 'myset', '-3'],
    ['SRANDMEMBER', 'nonexisting_key', '-9223372036854775808'],
  ],
  'SRANDMEMBER with a count, mixed set': srandmemberScript(SRAND_CONTENTS.mixed!),
  'SRANDMEMBER with a count, intset': srandmemberScript(SRAND_CONTENTS.intset!),
  'SMOVE basics, missing keys, wrong types, same source and destination': [
    ['SADD', 'myset1', '1', 'a', 'b'],
    ['SADD', 'myset2', '2', '3', '4'],
    ['SMOVE', 'myset1', 'myset2', 'a'],
    unordered(['SMEMBERS', 'myset1']),
    unordered(['SMEMBERS', 'myset2']),
    ['OBJECT', 'ENCODING', 'myset2'],
    ['DEL', 'myset1', 'myset2'],
    ['SADD', 'myset1', '1', 'a', 'b'],
    ['SADD', 'myset2', '2', '3', '4'],
    ['SMOVE', 'myset1', 'myset2', '1'],
    unordered(['SMEMBERS', 'myset1']),
    ['SMEMBERS', 'myset2'],
    ['OBJECT', 'ENCODING', 'myset2'],
    ['DEL', 'myset1', 'myset2'],
    ['SADD', 'myset1', '1', 'a', 'b'],
    ['SADD', 'myset2', '2', '3', '4'],
    ['SMOVE', 'myset2', 'myset1', '2'],
    unordered(['SMEMBERS', 'myset1']),
    ['SMEMBERS', 'myset2'],
    ['SMOVE', 'myset1', 'myset2', 'foo'],
    ['SMOVE', 'myset1', 'myset1', 'foo'],
    ['SMOVE', 'noset', 'myset2', 'foo'],
    ['SMEMBERS', 'myset2'],
    ['SMOVE', 'myset1', 'myset3', 'a'],
    ['SMEMBERS', 'myset3'],
    ['OBJECT', 'ENCODING', 'myset3'],
    ['SMOVE', 'myset2', 'myset4', '3'],
    ['SMEMBERS', 'myset4'],
    ['OBJECT', 'ENCODING', 'myset4'],
    ['SET', 'x', '10'],
    ['SMOVE', 'x', 'myset2', 'foo'],
    ['SMOVE', 'myset2', 'x', 'foo'],
    ['SMOVE', 'myset2', 'x', '4'],
    ['SMOVE', 'noset', 'x', 'foo'],
    ['SMEMBERS', 'myset2'],
    ['DEL', 'set'],
    ['SADD', 'set', 'a', 'b', 'c'],
    ['SMOVE', 'set', 'set', 'b'],
    unordered(['SMEMBERS', 'set']),
    ['SMOVE', 'set', 'set', 'z'],
    ['SADD', 'one', 'x'],
    ['SMOVE', 'one', 'one', 'x'],
    ['SMEMBERS', 'one'],
    ['SMOVE', 'one', 'other', 'x'],
    ['EXISTS', 'one'],
    ['SMEMBERS', 'other'],
    ['SMOVE', 'a', 'b'],
    ['SMOVE', 'a', 'b', 'c', 'd'],
  ],
  'SMOVE only touches the destination when the member is added': [
    ['SADD', 'srcset', 'a', 'b'],
    ['SADD', 'dstset', 'a'],
    ['WATCH', 'dstset'],
    ['SMOVE', 'srcset', 'dstset', 'a'],
    ['MULTI'],
    ['SADD', 'dstset', 'c'],
    ['EXEC'],
    ['SCARD', 'dstset'],
    ['WATCH', 'dstset'],
    ['SMOVE', 'srcset', 'dstset', 'b'],
    ['MULTI'],
    ['SADD', 'dstset', 'd'],
    ['EXEC'],
    ['SCARD', 'dstset'],
    ['SADD', 'srcset', 'x'],
    ['WATCH', 'srcset'],
    ['SMOVE', 'srcset', 'dstset', 'nope'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
    ['WATCH', 'srcset'],
    ['SMOVE', 'srcset', 'srcset', 'x'],
    ['MULTI'],
    ['PING'],
    ['EXEC'],
  ],
  'intsets implementation stress': intsetStress(7),
};

// ---- sorted sets (tests/unit/type/zset.tcl) ----

const LONG = 'x'.repeat(80); // a member too long for a listpack: the set is a skiplist from its first insert
const DEFAULT_ZSET = ['-inf', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5', 'f', '+inf', 'g'];
const LEX_ZSET = ['alpha', 'bar', 'cool', 'down', 'elephant', 'foo', 'great', 'hill', 'omega'].flatMap((m) => ['0', m]);

/** ZADD one pair at a time, as the Tcl helper create_zset does. */
const createZset = (key: string, items: string[]): ScriptStep[] => {
  const s: ScriptStep[] = [['DEL', key]];
  for (let i = 0; i < items.length; i += 2) s.push(['ZADD', key, items[i]!, items[i + 1]!]);
  return s;
};

function zaddOptions(enc: 'listpack' | 'skiplist'): Script {
  const extra: string[] = enc === 'skiplist' ? ['0', LONG] : [];
  const fresh = (key: string, ...pairs: string[]): ScriptStep[] => [
    ['DEL', key],
    ['ZADD', key, ...extra, ...pairs],
  ];
  return [
    ...fresh('ztmp', '10', 'x'),
    ['OBJECT', 'ENCODING', 'ztmp'],
    ['ZADD', 'ztmp', '20', 'y'],
    ['ZADD', 'ztmp', '30', 'z'],
    ['ZRANGE', 'ztmp', '0', '-1'],
    ['ZADD', 'ztmp', '1', 'y'],
    ['ZRANGE', 'ztmp', '0', '-1'],
    ['ZADD', 'myzset', 'nan', 'abc'],
    ['ZINCRBY', 'myzset', 'nan', 'abc'],
    ['ZADD', 'myzset', 'NaN', 'abc'],
    ['ZADD', 'myzset', '-nan', 'abc'],
    ['ZADD', 'myzset', '', 'abc'],
    ['ZADD', 'myzset', ' 1', 'abc'],
    ['ZADD', 'myzset', '1 ', 'abc'],
    ['ZADD', 'myzset', '0x10', 'abc'],
    ['ZADD', 'myzset', '1e400', 'abc'],
    ['ZADD', 'myzset', 'inf', 'abc'],
    ['ZADD', 'myzset', '-infinity', 'abd'],
    ['ZADD', 'myzset', '1e-400', 'abe'],
    ['ZADD', 'myzset', '.5', 'abf', '5.', 'abg', '+3', 'abh', '-0', 'abi', '1E2', 'abj'],
    ['ZRANGE', 'myzset', '0', '-1', 'WITHSCORES'],
    ['DEL', 'ztmp'],
    ['ZADD', 'ztmp', 'xx', '10', 'x', '20'],
    ['ZADD', 'ztmp', 'xx', '10', 'x'],
    ['TYPE', 'ztmp'],
    ...fresh('ztmp', '10', 'x'),
    ['ZADD', 'ztmp', 'xx', '20', 'y'],
    ['ZCARD', 'ztmp'],
    ...fresh('ztmp', '10', 'x'),
    ['ZADD', 'ztmp', '10', 'x', '20', 'y', '30', 'z'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', 'xx', '5', 'foo', '11', 'x', '21', 'y', '40', 'zap'],
    ['ZCARD', 'ztmp'],
    ['ZSCORE', 'ztmp', 'x'],
    ['ZSCORE', 'ztmp', 'y'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', 'gt', 'ch', '5', 'foo', '11', 'x', '21', 'y', '29', 'z'],
    ['ZCARD', 'ztmp'],
    ['ZRANGE', 'ztmp', '0', '-1', 'WITHSCORES'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', 'lt', 'ch', '5', 'foo', '11', 'x', '21', 'y', '29', 'z'],
    ['ZCARD', 'ztmp'],
    ['ZRANGE', 'ztmp', '0', '-1', 'WITHSCORES'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', 'gt', 'xx', 'ch', '5', 'foo', '11', 'x', '21', 'y', '29', 'z'],
    ['ZCARD', 'ztmp'],
    ['ZRANGE', 'ztmp', '0', '-1', 'WITHSCORES'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', 'lt', 'xx', 'ch', '5', 'foo', '11', 'x', '21', 'y', '29', 'z'],
    ['ZCARD', 'ztmp'],
    ['ZRANGE', 'ztmp', '0', '-1', 'WITHSCORES'],
    ['DEL', 'ztmp'],
    ['ZADD', 'ztmp', 'xx', 'nx', '10', 'x'],
    ['ZADD', 'ztmp', 'nx', '10', 'x', '20', 'y', '30', 'z'],
    ['ZCARD', 'ztmp'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', 'nx', '11', 'x', '21', 'y', '100', 'a', '200', 'b'],
    ['ZRANGE', 'ztmp', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'ztmp', 'gt', 'nx', '10', 'x'],
    ['ZADD', 'ztmp', 'lt', 'nx', '10', 'x'],
    ['ZADD', 'ztmp', 'lt', 'gt', '10', 'x'],
    ['ZADD', 'ztmp', 'gt', 'lt', 'nx', 'xx', '10', 'x'],
    ['ZADD', 'ztmp', 'incr', 'nx', 'xx', '10', 'x'],
    ['ZADD', 'ztmp', 'ch', 'ch', 'gt', 'gt', '10', 'x'],
    ['ZADD', 'ztmp', 'foo', '10', 'x'],
    ['ZADD', 'ztmp', 'nx'],
    ['ZADD', 'ztmp', 'nx', '10'],
    ['ZADD', 'ztmp', 'incr'],
    ['ZADD', 'ztmp', 'incr', '1'],
    ...fresh('ztmp', '28', 'x'),
    ['ZADD', 'ztmp', 'lt', 'incr', '1', 'x'],
    ['ZSCORE', 'ztmp', 'x'],
    ['ZADD', 'ztmp', 'gt', 'incr', '-1', 'x'],
    ['ZSCORE', 'ztmp', 'x'],
    ['ZADD', 'ztmp', 'gt', 'incr', '1', 'x'],
    ['ZADD', 'ztmp', 'lt', 'incr', '-1', 'x'],
    ['ZADD', 'ztmp', 'lt', 'incr', '0', 'x'],
    ['ZADD', 'ztmp', 'gt', 'incr', '0', 'x'],
    ['ZADD', 'ztmp', 'nx', 'incr', '1', 'x'],
    ['ZADD', 'ztmp', 'xx', 'incr', '1', 'nosuch'],
    ['ZADD', 'ztmp', 'gt', 'incr', '1', 'newmember'],
    ['ZADD', 'ztmp', 'lt', 'ch', 'incr', '1', 'newmember2'],
    ...fresh('ztmp', '+inf', 'x', '-inf', 'y'),
    ['ZADD', 'ztmp', 'lt', 'incr', '1', 'x'],
    ['ZSCORE', 'ztmp', 'x'],
    ['ZADD', 'ztmp', 'gt', 'incr', '-1', 'x'],
    ['ZADD', 'ztmp', 'lt', 'incr', '-1', 'x'],
    ['ZADD', 'ztmp', 'gt', 'incr', '1', 'x'],
    ['ZSCORE', 'ztmp', 'x'],
    ['ZADD', 'ztmp', 'lt', 'incr', '1', 'y'],
    ['ZADD', 'ztmp', 'gt', 'incr', '-1', 'y'],
    ['ZADD', 'ztmp', 'lt', 'incr', '-1', 'y'],
    ['ZADD', 'ztmp', 'gt', 'incr', '1', 'y'],
    ['ZSCORE', 'ztmp', 'y'],
    ['ZADD', 'ztmp', 'incr', '-inf', 'x'],
    ['ZADD', 'ztmp', 'incr', '+inf', 'y'],
    ['ZSCORE', 'ztmp', 'x'],
    ['ZADD', 'ztmp', 'incr', '+inf', 'x'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', 'INCR', '15', 'x'],
    ['ZSCORE', 'ztmp', 'x'],
    ['ZADD', 'ztmp', 'INCR', '15', 'x', '10', 'y'],
    ...fresh('ztmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZADD', 'ztmp', '11', 'x', '21', 'y', '30', 'z'],
    ['ZADD', 'ztmp', 'ch', '12', 'x', '22', 'y', '30', 'z'],
    ['ZADD', 'ztmp', 'ch', 'xx', '12', 'x', '1', 'new'],
    ['ZADD', 'ztmp', 'ch', 'nx', '13', 'x', '1', 'new2'],
    ['ZADD', 'ztmp', 'ch', '1', 'a', '1', 'a', '2', 'a'],
    ['ZADD', 'ztmp', '5', 'b', '6', 'b'],
    ['ZSCORE', 'ztmp', 'b'],
    ['ZINCRBY', 'myzset', '+inf', 'abc'],
    ['ZINCRBY', 'myzset', '-inf', 'abc'],
    ['ZSCORE', 'myzset', 'abc'],
    ['ZADD', 'myzset', 'incr', '-inf', 'abc'],
    ['DEL', 'myzset'],
    ['ZADD', 'myzset', ...extra, '10', 'a', '20', 'b', '30', 'c'],
    ['ZRANGE', 'myzset', '0', '-1', 'withscores'],
    ['ZADD', 'myzset', '5', 'x', '20', 'b', '30', 'c'],
    ['ZRANGE', 'myzset', '0', '-1', 'withscores'],
    ['DEL', 'myzset'],
    ['ZADD', 'myzset', '10', 'a', '20', 'b', '30.badscore', 'c'],
    ['EXISTS', 'myzset'],
    ['ZADD', 'myzset', '10', 'a', '20', 'b', '30', 'c', '40'],
    ['EXISTS', 'myzset'],
    ['ZINCRBY', 'myzset', '10', 'a', '20', 'b', '30', 'c'],
    ['ZINCRBY', 'myzset', '10'],
    ['ZADD', 'myzset'],
    ['ZADD', 'myzset', '1'],
    ['SET', 'str', 'v'],
    ['ZADD', 'str', '1', 'a'],
    ['ZADD', 'str', 'nan', 'a'],
    ['ZINCRBY', 'str', '1', 'a'],
    ['ZADD', 'str', 'xx', 'nx', '1', 'a'],
  ];
}

function zsetBasics(enc: 'listpack' | 'skiplist'): Script {
  const extra: string[] = enc === 'skiplist' ? ['-100', LONG] : [];
  const fresh = (key: string, ...pairs: string[]): ScriptStep[] => [
    ['DEL', key],
    ['ZADD', key, ...extra, ...pairs],
  ];
  const zr = (...a: string[]): ScriptStep => ['ZRANGE', 'ztmp', ...a];
  const zrr = (...a: string[]): ScriptStep => ['ZREVRANGE', 'ztmp', ...a];
  return [
    ...fresh('ztmp', '10', 'a', '20', 'b', '30', 'c'),
    ['ZCARD', 'ztmp'],
    ['ZCARD', 'zdoesntexist'],
    ...fresh('ztmp', '10', 'x', '20', 'y'),
    ['EXISTS', 'ztmp'],
    ['ZREM', 'ztmp', 'z'],
    ['ZREM', 'ztmp', 'y'],
    ['ZREM', 'ztmp', 'x', LONG],
    ['EXISTS', 'ztmp'],
    ...fresh('ztmp', '10', 'a', '20', 'b', '30', 'c'),
    ['ZREM', 'ztmp', 'x', 'y', 'a', 'b', 'k'],
    ['ZREM', 'ztmp', 'foo', 'bar'],
    ['ZREM', 'ztmp', 'c', LONG],
    ['EXISTS', 'ztmp'],
    ...fresh('ztmp', '10', 'a', '20', 'b', '30', 'c'),
    ['ZREM', 'ztmp', 'a', 'b', 'c', 'd', 'e', 'f', 'g', LONG],
    ['ZREM', 'ztmp'],
    ['ZREM', 'nokey', 'a'],
    ['DEL', 'ztmp'],
    ...createZset('ztmp', [...extra, '1', 'a', '2', 'b', '3', 'c', '4', 'd']),
    ...(enc === 'skiplist' ? [['ZREM', 'ztmp', LONG] as ScriptStep] : []),
    ['OBJECT', 'ENCODING', 'ztmp'],
    zr('0', '-1'),
    zr('0', '-2'),
    zr('1', '-1'),
    zr('1', '-2'),
    zr('-2', '-1'),
    zr('-2', '-2'),
    zr('-5', '2'),
    zr('-5', '1'),
    zr('5', '-1'),
    zr('5', '-2'),
    zr('0', '5'),
    zr('1', '5'),
    zr('0', '-5'),
    zr('1', '-5'),
    zr('0', '-1', 'withscores'),
    zr('0', '-1', 'WITHSCORES', 'WITHSCORES'),
    zr('0', '-1', 'LIMIT', '0', '1'),
    zr('a', '1'),
    zr('0', 'b'),
    zr('0'),
    zr('0', '9223372036854775807'),
    zr('-9223372036854775808', '0'),
    zr('0', '9223372036854775808'),
    zrr('0', '-1'),
    zrr('0', '-2'),
    zrr('1', '-1'),
    zrr('1', '-2'),
    zrr('-2', '-1'),
    zrr('-2', '-2'),
    zrr('-5', '2'),
    zrr('-5', '1'),
    zrr('5', '-1'),
    zrr('5', '-2'),
    zrr('0', '5'),
    zrr('1', '5'),
    zrr('0', '-5'),
    zrr('1', '-5'),
    zrr('0', '-1', 'withscores'),
    zrr('0', '-1', 'foo'),
    ...fresh('zranktmp', '10', 'x', '20', 'y', '30', 'z'),
    ['ZRANK', 'zranktmp', 'x'],
    ['ZRANK', 'zranktmp', 'y'],
    ['ZRANK', 'zranktmp', 'z'],
    ['ZRANK', 'zranktmp', 'foo'],
    ['ZREVRANK', 'zranktmp', 'x'],
    ['ZREVRANK', 'zranktmp', 'y'],
    ['ZREVRANK', 'zranktmp', 'z'],
    ['ZREVRANK', 'zranktmp', 'foo'],
    ['ZRANK', 'nokey', 'foo'],
    ['ZREVRANK', 'nokey', 'foo'],
    ['ZRANK', 'zranktmp', 'x', 'withscore'],
    ['ZRANK', 'zranktmp'],
    ['ZREM', 'zranktmp', 'y'],
    ['ZRANK', 'zranktmp', 'x'],
    ['ZRANK', 'zranktmp', 'z'],
    ['DEL', 'zset'],
    ['ZINCRBY', 'zset', '1', 'foo'],
    ['ZRANGE', 'zset', '0', '-1'],
    ['ZSCORE', 'zset', 'foo'],
    ['ZINCRBY', 'zset', '2', 'foo'],
    ['ZINCRBY', 'zset', '1', 'bar'],
    ['ZRANGE', 'zset', '0', '-1'],
    ['ZINCRBY', 'zset', '10', 'bar'],
    ['ZINCRBY', 'zset', '-5', 'foo'],
    ['ZINCRBY', 'zset', '-5', 'bar'],
    ['ZRANGE', 'zset', '0', '-1'],
    ['ZSCORE', 'zset', 'foo'],
    ['ZSCORE', 'zset', 'bar'],
    ['DEL', 'ztmp'],
    ['ZINCRBY', 'ztmp', '1.0', 'x'],
    ['ZINCRBY', 'ztmp', '0.1', 'x'],
    ['ZINCRBY', 'ztmp', '0.2', 'x'],
    ['ZINCRBY', 'ztmp', '-1.3', 'x'],
    ['ZINCRBY', 'ztmp', '1e308', 'x'],
    ['ZINCRBY', 'ztmp', '1e308', 'x'],
    ['ZINCRBY', 'ztmp', 'abc', 'x'],
    ['ZINCRBY', 'ztmp', '', 'x'],
    ['ZSCORE', 'ztmp', 'nosuch'],
    ['ZSCORE', 'nokey', 'x'],
    ['ZSCORE', 'ztmp'],
  ];
}

function scoreRanges(enc: 'listpack' | 'skiplist'): Script {
  const extra: string[] = enc === 'skiplist' ? ['-inf', LONG] : [];
  const def = (): ScriptStep[] => [
    ['DEL', 'zset'],
    ['ZADD', 'zset', ...extra, ...DEFAULT_ZSET],
  ];
  const q = (...a: string[]): ScriptStep => [a[0]!, 'zset', ...a.slice(1)];
  const rbs = 'ZRANGEBYSCORE';
  const rrbs = 'ZREVRANGEBYSCORE';
  return [
    ...def(),
    q(rbs, '-inf', '2'),
    q(rbs, '0', '3'),
    q(rbs, '3', '6'),
    q(rbs, '4', '+inf'),
    q(rrbs, '2', '-inf'),
    q(rrbs, '3', '0'),
    q(rrbs, '6', '3'),
    q(rrbs, '+inf', '4'),
    q('ZCOUNT', '0', '3'),
    q(rbs, '(-inf', '(2'),
    q(rbs, '(0', '(3'),
    q(rbs, '(3', '(6'),
    q(rbs, '(4', '(+inf'),
    q(rrbs, '(2', '(-inf'),
    q(rrbs, '(3', '(0'),
    q(rrbs, '(6', '(3'),
    q(rrbs, '(+inf', '(4'),
    q('ZCOUNT', '(0', '(3'),
    q('ZCOUNT', '-inf', '+inf'),
    q('ZCOUNT', '(-inf', '(+inf'),
    q('ZCOUNT', '+inf', '-inf'),
    ['ZREM', 'zset', 'a'],
    ['ZREM', 'zset', 'g'],
    q(rbs, '4', '2'),
    q(rbs, '6', '+inf'),
    q(rbs, '-inf', '-6'),
    q(rrbs, '+inf', '6'),
    q(rrbs, '-6', '-inf'),
    q(rbs, '(4', '(2'),
    q(rbs, '2', '(2'),
    q(rbs, '(2', '2'),
    q(rbs, '(6', '(+inf'),
    q(rbs, '(-inf', '(-6'),
    q(rrbs, '(+inf', '(6'),
    q(rrbs, '(-6', '(-inf'),
    q(rbs, '2.4', '2.6'),
    q(rbs, '(2.4', '2.6'),
    q(rbs, '2.4', '(2.6'),
    q(rbs, '(2.4', '(2.6'),
    ...def(),
    q(rbs, '0', '3', 'withscores'),
    q(rrbs, '3', '0', 'withscores'),
    q(rbs, '0', '10', 'LIMIT', '0', '2'),
    q(rbs, '0', '10', 'LIMIT', '2', '3'),
    q(rbs, '0', '10', 'LIMIT', '2', '10'),
    q(rbs, '0', '10', 'LIMIT', '20', '10'),
    q(rrbs, '10', '0', 'LIMIT', '0', '2'),
    q(rrbs, '10', '0', 'LIMIT', '2', '3'),
    q(rrbs, '10', '0', 'LIMIT', '2', '10'),
    q(rrbs, '10', '0', 'LIMIT', '20', '10'),
    q(rbs, '2', '5', 'LIMIT', '2', '3', 'WITHSCORES'),
    q(rrbs, '5', '2', 'LIMIT', '2', '3', 'WITHSCORES'),
    q(rbs, '2', '5', 'LIMIT', '12', '13', 'WITHSCORES'),
    q(rbs, '0', '10', 'LIMIT', '0', '-1'),
    q(rbs, '0', '10', 'LIMIT', '-1', '2'),
    q(rbs, '0', '10', 'LIMIT', '1', '-5'),
    q(rbs, '0', '10', 'LIMIT', '0', '0'),
    q(rbs, '0', '10', 'LIMIT', '1'),
    q(rbs, '0', '10', 'LIMIT', 'x', '1'),
    q(rbs, '0', '10', 'LIMIT', '1', 'x'),
    q(rbs, '0', '10', 'WITHSCORES', 'LIMIT', '1', '1', 'WITHSCORES'),
    q(rbs, '0', '10', 'foo'),
    q(rbs, '0'),
    q(rbs, '-inf', '+inf', 'LIMIT', '3', '9223372036854775807'),
    ['ZRANGEBYSCORE', 'fooz', 'str', '1'],
    ['ZRANGEBYSCORE', 'fooz', '1', 'str'],
    ['ZRANGEBYSCORE', 'fooz', '1', 'NaN'],
    ['ZRANGEBYSCORE', 'fooz', '(', '1'],
    ['ZRANGEBYSCORE', 'fooz', '((1', '2'],
    ['ZRANGEBYSCORE', 'fooz', '[1', '2'],
    ['ZRANGEBYSCORE', 'fooz', '1', '2'],
    ['ZREVRANGEBYSCORE', 'fooz', 'str', '1'],
    ['ZCOUNT', 'fooz', 'str', '1'],
    ['ZCOUNT', 'fooz', '0', '1'],
    ['ZCOUNT', 'zset', '(nan', '1'],
    ['ZREMRANGEBYSCORE', 'fooz', 'str', '1'],
    ['ZREMRANGEBYSCORE', 'fooz', '1', 'str'],
    ['ZREMRANGEBYSCORE', 'fooz', '1', 'NaN'],
    ['ZREMRANGEBYSCORE', 'fooz', '1', '2'],
  ];
}

function lexRanges(enc: 'listpack' | 'skiplist'): Script {
  const extra: string[] = enc === 'skiplist' ? ['0', `zzz${LONG}`] : [];
  const def = (): ScriptStep[] => [
    ['DEL', 'zset'],
    ['ZADD', 'zset', ...LEX_ZSET, ...extra],
  ];
  const q = (...a: string[]): ScriptStep => [a[0]!, 'zset', ...a.slice(1)];
  const rbl = 'ZRANGEBYLEX';
  const rrbl = 'ZREVRANGEBYLEX';
  const rem = (min: string, max: string): ScriptStep[] => [
    ...def(),
    q('ZREMRANGEBYLEX', min, max),
    q('ZRANGE', '0', '-1'),
    q('ZCARD'),
  ];
  return [
    ...def(),
    q(rbl, '-', '[cool'),
    q(rbl, '[bar', '[down'),
    q(rbl, '[g', '+'),
    q(rrbl, '[cool', '-'),
    q(rrbl, '[down', '[bar'),
    q(rrbl, '+', '[d'),
    q('ZLEXCOUNT', '[ele', '[h'),
    q(rbl, '-', '(cool'),
    q(rbl, '(bar', '(down'),
    q(rbl, '(great', '+'),
    q(rrbl, '(cool', '-'),
    q(rrbl, '(down', '(bar'),
    q(rrbl, '+', '(great'),
    q('ZLEXCOUNT', '(ele', '(great'),
    q(rbl, '(az', '(b'),
    q(rbl, '(z', '+'),
    q(rbl, '-', '[aaaa'),
    q(rrbl, '[elez', '[elex'),
    q(rrbl, '(hill', '(omega'),
    q('ZLEXCOUNT', '-', '+'),
    q('ZLEXCOUNT', '+', '-'),
    q('ZLEXCOUNT', '+', '[c'),
    q('ZLEXCOUNT', '[c', '-'),
    q('ZLEXCOUNT', '[bar', '+'),
    q('ZLEXCOUNT', '[bar', '[foo'),
    q('ZLEXCOUNT', '[bar', '(foo'),
    q('ZLEXCOUNT', '(bar', '[foo'),
    q('ZLEXCOUNT', '(bar', '(foo'),
    q('ZLEXCOUNT', '-', '(foo'),
    q('ZLEXCOUNT', '(maxstring', '+'),
    q('ZLEXCOUNT', '-', '-'),
    q('ZLEXCOUNT', '+', '+'),
    q('ZLEXCOUNT', '[', '+'),
    q('ZLEXCOUNT', '(', '+'),
    q(rbl, '-', '[cool', 'LIMIT', '0', '2'),
    q(rbl, '-', '[cool', 'LIMIT', '1', '2'),
    q(rbl, '[bar', '[down', 'LIMIT', '0', '0'),
    q(rbl, '[bar', '[down', 'LIMIT', '2', '0'),
    q(rbl, '[bar', '[down', 'LIMIT', '0', '1'),
    q(rbl, '[bar', '[down', 'LIMIT', '1', '1'),
    q(rbl, '[bar', '[down', 'LIMIT', '0', '100'),
    q(rrbl, '+', '[d', 'LIMIT', '0', '5'),
    q(rrbl, '+', '[d', 'LIMIT', '0', '4'),
    q(rbl, '-', '+', 'LIMIT', '-1', '2'),
    q(rbl, '-', '+', 'LIMIT', '2', '-1'),
    q(rbl, '-', '+', 'WITHSCORES'),
    q(rbl, '-', '+', 'LIMIT', '1'),
    q(rbl, '-', '+', 'foo'),
    ['ZRANGEBYLEX', 'fooz', 'foo', 'bar'],
    ['ZRANGEBYLEX', 'fooz', '[foo', 'bar'],
    ['ZRANGEBYLEX', 'fooz', 'foo', '[bar'],
    ['ZRANGEBYLEX', 'fooz', '+x', '[bar'],
    ['ZRANGEBYLEX', 'fooz', '-x', '[bar'],
    ['ZRANGEBYLEX', 'fooz', '', '[bar'],
    ['ZRANGEBYLEX', 'fooz', '[a', '[b'],
    ['ZREVRANGEBYLEX', 'fooz', 'foo', 'bar'],
    ['ZLEXCOUNT', 'fooz', 'foo', 'bar'],
    ['ZLEXCOUNT', 'fooz', '-', '+'],
    ['ZREMRANGEBYLEX', 'fooz', 'foo', 'bar'],
    ['ZREMRANGEBYLEX', 'fooz', '-', '+'],
    ...rem('-', '[cool'),
    ...rem('[bar', '[down'),
    ...rem('[g', '+'),
    ...rem('-', '(cool'),
    ...rem('(bar', '(down'),
    ...rem('(great', '+'),
    ...rem('(az', '(b'),
    ...rem('(z', '+'),
    ...rem('-', '[aaaa'),
    ...rem('+', '-'),
    ...rem('-', '+'),
    q('EXISTS'),
    ['ZADD', 'mixed', '1', 'b', '0', 'a', '2', 'c'],
    ['ZRANGEBYLEX', 'mixed', '-', '+'],
    ['ZRANGEBYLEX', 'mixed', '[a', '[b'],
    ['ZLEXCOUNT', 'mixed', '[a', '[c'],
  ];
}

function remRanges(enc: 'listpack' | 'skiplist'): Script {
  const base = ['1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'];
  const setup = (): ScriptStep[] =>
    enc === 'skiplist'
      ? [
          ['DEL', 'zset'],
          ['ZADD', 'zset', '0', LONG, ...base],
          ['ZREM', 'zset', LONG],
        ]
      : createZset('zset', base);
  const byScore = (min: string, max: string): ScriptStep[] => [
    ...setup(),
    ['ZREMRANGEBYSCORE', 'zset', min, max],
    ['ZRANGE', 'zset', '0', '-1'],
  ];
  const byRank = (min: string, max: string): ScriptStep[] => [
    ...setup(),
    ['ZREMRANGEBYRANK', 'zset', min, max],
    ['ZRANGE', 'zset', '0', '-1'],
  ];
  return [
    ...byScore('2', '4'),
    ...byScore('-10', '1'),
    ...byScore('5', '10'),
    ...byScore('4', '2'),
    ...byScore('-inf', '3'),
    ...byScore('3', '+inf'),
    ...byScore('-inf', '+inf'),
    ...byScore('(1', '5'),
    ...byScore('(2', '5'),
    ...byScore('1', '(5'),
    ...byScore('1', '(4'),
    ...byScore('(1', '(5'),
    ...byScore('1', '5'),
    ['EXISTS', 'zset'],
    ...byRank('1', '3'),
    ...byRank('-10', '0'),
    ...byRank('10', '-1'),
    ...byRank('0', '-10'),
    ...byRank('0', '10'),
    ...byRank('0', '4'),
    ['EXISTS', 'zset'],
    ...byRank('-1', '-1'),
    ...byRank('3', '1'),
    ...byRank('-9223372036854775808', '9223372036854775807'),
    ['ZREMRANGEBYRANK', 'zset', 'a', '1'],
    ['ZREMRANGEBYRANK', 'zset', '1', '1.5'],
    ['ZREMRANGEBYRANK', 'nokey', '0', '-1'],
    ['ZREMRANGEBYRANK', 'zset', '0'],
    ['SET', 'str', 'x'],
    ['ZREMRANGEBYRANK', 'str', '0', '-1'],
    ['ZREMRANGEBYSCORE', 'str', '0', '1'],
    ['ZREMRANGEBYLEX', 'str', '-', '+'],
  ];
}

function setOps(enc: 'listpack' | 'skiplist'): Script {
  const mk = (key: string, ...pairs: string[]): ScriptStep[] =>
    enc === 'skiplist'
      ? [
          ['DEL', key],
          ['ZADD', key, '0', LONG, ...pairs],
          ['ZREM', key, LONG],
        ]
      : [
          ['DEL', key],
          ...Array.from({ length: pairs.length / 2 }, (_, i): ScriptStep => [
            'ZADD',
            key,
            pairs[2 * i]!,
            pairs[2 * i + 1]!,
          ]),
        ];
  return [
    ['DEL', 'zseta'],
    ['ZUNIONSTORE', 'dst_key', '1', 'zseta'],
    ['EXISTS', 'dst_key'],
    ['ZUNION', '1', 'zseta'],
    ['ZINTER', '1', 'zseta'],
    ['ZINTERCARD', '1', 'zseta'],
    ['ZINTERCARD', '1', 'zseta', 'limit', '0'],
    ['ZDIFF', '1', 'zseta'],
    ['ZUNION', '1', 'zseta', 'WITHSCORES'],
    ...mk('zseta', '1', 'a', '2', 'b'),
    ['DEL', 'zsetb'],
    ['ZUNIONSTORE', 'zsetc', '2', 'zseta', 'zsetb'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZUNION', '2', 'zseta', 'zsetb', 'withscores'],
    ['ZINTER', '2', 'zseta', 'zsetb', 'withscores'],
    ['ZINTERCARD', '2', 'zseta', 'zsetb'],
    ['ZINTERCARD', '2', 'zseta', 'zsetb', 'limit', '0'],
    ['ZDIFF', '2', 'zseta', 'zsetb', 'withscores'],
    ...mk('zseta', '1', 'a', '2', 'b', '3', 'c'),
    ...mk('zsetb', '1', 'b', '2', 'c', '3', 'd'),
    ['ZUNIONSTORE', 'zsetc', '2', 'zseta', 'zsetb'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['OBJECT', 'ENCODING', 'zsetc'],
    ...mk('zsetd', '1', '1', '2', '2', '3', '3'),
    ...mk('zsetf', '1', '1', '3', '3', '4', '4'),
    ['ZUNION', '2', 'zsetd', 'zsetf', 'withscores'],
    ['ZINTER', '2', 'zsetd', 'zsetf', 'withscores'],
    ['ZINTERCARD', '2', 'zsetd', 'zsetf'],
    ['ZINTERCARD', '2', 'zsetd', 'zsetf', 'limit', '0'],
    ['ZDIFF', '2', 'zsetd', 'zsetf', 'withscores'],
    ['ZUNIONSTORE', 'zsetc', '2', 'zseta', 'zsetb', 'weights', '2', '3'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZUNION', '2', 'zseta', 'zsetb', 'weights', '2', '3', 'withscores'],
    ['ZINTER', '2', 'zseta', 'zsetb', 'weights', '2', '3', 'withscores'],
    ['DEL', 'seta'],
    ['SADD', 'seta', 'a'],
    ['SADD', 'seta', 'b'],
    ['SADD', 'seta', 'c'],
    ['ZUNIONSTORE', 'zsetc', '2', 'seta', 'zsetb', 'weights', '2', '3'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZUNIONSTORE', 'zsetc', '2', 'zseta', 'zsetb', 'aggregate', 'min'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZUNION', '2', 'zseta', 'zsetb', 'aggregate', 'min', 'withscores'],
    ['ZINTER', '2', 'zseta', 'zsetb', 'aggregate', 'min', 'withscores'],
    ['ZUNIONSTORE', 'zsetc', '2', 'zseta', 'zsetb', 'aggregate', 'max'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZUNION', '2', 'zseta', 'zsetb', 'aggregate', 'max', 'withscores'],
    ['ZINTER', '2', 'zseta', 'zsetb', 'aggregate', 'max', 'withscores'],
    ['ZUNION', '2', 'zseta', 'zsetb', 'aggregate', 'sum', 'weights', '1', '-1', 'withscores'],
    ['ZINTERSTORE', 'zsetc', '2', 'zseta', 'zsetb'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZINTER', '2', 'zseta', 'zsetb', 'withscores'],
    ['ZINTER', '2', 'zseta', 'zsetb'],
    ['ZINTERCARD', '1', 'zseta', 'zseta'],
    ['ZINTERCARD', '1', 'zseta', 'bar_arg'],
    ['ZINTERCARD', '1', 'zseta', 'LIMIT'],
    ['ZINTERCARD', '1', 'myset', 'LIMIT', '-1'],
    ['ZINTERCARD', '1', 'myset', 'LIMIT', 'a'],
    ['ZINTERCARD', '0', 'myset'],
    ['ZINTERCARD', '-1', 'myset'],
    ['ZINTERCARD', 'x', 'myset'],
    ['ZINTERCARD', '2', 'myset'],
    ['ZINTERCARD', '2', 'zseta', 'zsetb'],
    ['ZINTERCARD', '2', 'zseta', 'zsetb', 'limit', '0'],
    ['ZINTERCARD', '2', 'zseta', 'zsetb', 'limit', '1'],
    ['ZINTERCARD', '2', 'zseta', 'zsetb', 'limit', '10'],
    ['ZINTERCARD', '2', 'zseta', 'zsetb', 'withscores'],
    ['ZINTERCARD', '2', 'zseta', 'seta'],
    ['ZINTERSTORE', 'zsetc', '2', 'zseta', 'zsetb', 'weights', '2', '3'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZINTER', '2', 'zseta', 'zsetb', 'weights', '2', '3', 'withscores'],
    ['ZINTERSTORE', 'zsetc', '2', 'seta', 'zsetb', 'weights', '2', '3'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZINTERSTORE', 'zsetc', '2', 'zseta', 'zsetb', 'aggregate', 'min'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZINTERSTORE', 'zsetc', '2', 'zseta', 'zsetb', 'aggregate', 'max'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ...['ZUNIONSTORE', 'ZINTERSTORE'].flatMap((cmd): ScriptStep[] => [
      ['DEL', 'zsetinf1', 'zsetinf2'],
      ['ZADD', 'zsetinf1', '+inf', 'key'],
      ['ZADD', 'zsetinf2', '+inf', 'key'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2'],
      ['ZSCORE', 'zsetinf3', 'key'],
      ['ZADD', 'zsetinf1', '-inf', 'key'],
      ['ZADD', 'zsetinf2', '+inf', 'key'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2'],
      ['ZSCORE', 'zsetinf3', 'key'],
      ['ZADD', 'zsetinf1', '+inf', 'key'],
      ['ZADD', 'zsetinf2', '-inf', 'key'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2'],
      ['ZSCORE', 'zsetinf3', 'key'],
      ['ZADD', 'zsetinf1', '-inf', 'key'],
      ['ZADD', 'zsetinf2', '-inf', 'key'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2'],
      ['ZSCORE', 'zsetinf3', 'key'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'aggregate', 'max'],
      ['ZSCORE', 'zsetinf3', 'key'],
      ['DEL', 'zsetinf1', 'zsetinf2'],
      ['ZADD', 'zsetinf1', '1.0', 'key'],
      ['ZADD', 'zsetinf2', '1.0', 'key'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'weights', 'nan', 'nan'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'weights', '1'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'weights', '1', '2', '3'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'weights', 'inf', '-inf'],
      ['ZSCORE', 'zsetinf3', 'key'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'aggregate', 'avg'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'aggregate'],
      [cmd, 'zsetinf3', '2', 'zsetinf1', 'zsetinf2', 'weights', '1', '1', 'weights', '2', '2'],
      ['ZRANGE', 'zsetinf3', '0', '-1', 'WITHSCORES'],
    ]),
    ...mk('zseta', '1', 'a', '2', 'b', '3', 'c'),
    ...mk('zsetb', '1', 'b', '2', 'c', '3', 'd'),
    ['ZDIFFSTORE', 'zsetc', '2', 'zseta', 'zsetb'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZDIFF', '2', 'zseta', 'zsetb', 'withscores'],
    ['ZDIFFSTORE', 'zsetc', '2', 'seta', 'zsetb'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['ZDIFFSTORE', 'zsetc', '2', 'zseta', 'zseta'],
    ['ZRANGE', 'zsetc', '0', '-1', 'withscores'],
    ['EXISTS', 'zsetc'],
    ...mk('zseta', '1', 'a', '2', 'b', '3', 'c', '5', 'e'),
    ...mk('zsetb', '1', 'b'),
    ...mk('zsetc', '1', 'c'),
    ...mk('zsetd', '1', 'd'),
    ['ZDIFFSTORE', 'zsete', '4', 'zseta', 'zsetb', 'zsetc', 'zsetd'],
    ['ZRANGE', 'zsete', '0', '-1', 'withscores'],
    ['ZDIFF', '4', 'zseta', 'zsetb', 'zsetc', 'zsetd', 'WITHSCORES'],
    ['ZDIFF', '2', 'zseta', 'zsetb', 'weights', '1', '2'],
    ['ZDIFF', '2', 'zseta', 'zsetb', 'aggregate', 'min'],
    ['ZDIFFSTORE', 'zsete', '2', 'zseta', 'zsetb', 'aggregate', 'min'],
  ];
}

function zdiffFuzz(seed: number, rounds: number): Script {
  const r = rng(seed);
  const s: ScriptStep[] = [];
  const value = (): string => (r() < 0.5 ? String(Math.floor(r() * 200)) : `e${Math.floor(r() * 150)}`);
  for (let j = 0; j < rounds; j++) {
    const n = 1 + Math.floor(r() * 10);
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = `zset_${i}`;
      keys.push(k);
      s.push(['DEL', k]);
      const m = Math.floor(r() * 100);
      const args: string[] = [];
      for (let e = 0; e < m; e++) args.push(String(Math.floor(r() * 100)), value());
      if (m > 0) s.push(['ZADD', k, ...args]);
    }
    s.push(['ZDIFF', String(n), ...keys, 'WITHSCORES']);
    s.push(['ZDIFFSTORE', 'res', String(n), ...keys]);
    s.push(['ZRANGE', 'res', '0', '-1', 'WITHSCORES']);
    s.push(['ZINTER', String(n), ...keys, 'WITHSCORES']);
    s.push(['ZUNION', String(n), ...keys, 'WITHSCORES']);
    s.push(['ZINTERCARD', String(n), ...keys]);
  }
  return s;
}

function pops(enc: 'listpack' | 'skiplist'): Script {
  const create = (key: string, ...pairs: string[]): ScriptStep[] =>
    enc === 'skiplist'
      ? [
          ['DEL', key],
          ['ZADD', key, '0', LONG, ...pairs],
          ['ZREM', key, LONG],
        ]
      : [
          ['DEL', key],
          ['ZADD', key, ...pairs],
        ];
  const s: ScriptStep[] = [];
  for (const pop of ['ZPOPMIN', 'ZPOPMAX']) {
    s.push(...create('zset', '1', 'a', '2', 'b', '3', 'c'), [pop, 'zset', '0'], ['ZCARD', 'zset']);
    s.push(['SET', 'zset', 'foo'], [pop, 'zset', '-1'], ['DEL', 'zset'], [pop, 'zset', '-2']);
    s.push(
      ['ZADD', 'zset', '1', 'a', '2', 'b', '3', 'c'],
      [pop, 'zset', '-3'],
      [pop, 'zset', 'x'],
      [pop, 'zset', '1', '2'],
    );
    s.push([pop, 'zset', '9223372036854775807'], [pop, 'zset', '-9223372036854775808'], [pop, 'zset', '1.0']);
  }
  for (const [min, max] of [
    [['ZPOPMIN'], ['ZPOPMAX']],
    [
      ['ZMPOP', '1', '?', 'MIN'],
      ['ZMPOP', '1', '?', 'MAX'],
    ],
  ] as const) {
    const call = (base: readonly string[], key: string, count?: string): ScriptStep => {
      const a = base.map((x) => (x === '?' ? key : x));
      if (base[0] === 'ZPOPMIN' || base[0] === 'ZPOPMAX') return [a[0]!, key, ...(count ? [count] : [])];
      return [...a, ...(count ? ['COUNT', count] : [])];
    };
    s.push(['DEL', 'zset'], call(min, 'zset'));
    s.push(...create('zset', '-1', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e'));
    s.push(call(min, 'zset'), call(min, 'zset'), call(max, 'zset'), call(max, 'zset'), call(min, 'zset'), [
      'EXISTS',
      'zset',
    ]);
    s.push(['DEL', 'z1'], call(min, 'z1', '2'));
    s.push(...create('z1', '0', 'a', '1', 'b', '2', 'c', '3', 'd'));
    s.push(call(min, 'z1', '2'), call(max, 'z1', '2'), call(max, 'z1', '10'), ['EXISTS', 'z1']);
    s.push(...create('z1', '0', 'a', '1.5', 'b', '-2.25', 'c', '3e20', 'd'));
    s.push(call(min, 'z1'), call(max, 'z1'), call(max, 'z1', '1'), call(min, 'z1', '100'));
  }
  return s;
}

const ZPOP_ERRORS: Script = [
  ['SET', 'foo', 'bar'],
  ['ZPOPMIN', 'foo'],
  ['ZPOPMIN', 'foo', '0'],
  ['ZPOPMAX', 'foo'],
  ['ZPOPMAX', 'foo', '0'],
  ['ZPOPMIN', 'foo', '2'],
  ['ZMPOP', '1', 'foo', 'min'],
  ['ZMPOP', '1', 'foo', 'max'],
  ['ZMPOP', '1', 'foo', 'max', 'count', '200'],
  ['DEL', 'foo'],
  ['SET', 'foo2', 'bar'],
  ['ZMPOP', '2', 'foo', 'foo2', 'min'],
  ['ZMPOP', '2', 'foo2', 'foo1', 'max', 'count', '1'],
  ['ZADD', 'zz', '1', 'a'],
  ['ZMPOP', '2', 'zz', 'foo2', 'min'],
  ['ZMPOP', '2', 'foo2', 'zz', 'min'],
  ['ZMPOP'],
  ['ZMPOP', '1'],
  ['ZMPOP', '1', 'myzset'],
  ['ZMPOP', '0', 'myzset', 'MIN'],
  ['ZMPOP', 'a', 'myzset', 'MIN'],
  ['ZMPOP', '-1', 'myzset', 'MAX'],
  ['ZMPOP', '1', 'myzset', 'bad_where'],
  ['ZMPOP', '1', 'myzset', 'MIN', 'bar_arg'],
  ['ZMPOP', '1', 'myzset', 'MAX', 'MIN'],
  ['ZMPOP', '1', 'myzset', 'COUNT'],
  ['ZMPOP', '1', 'myzset', 'MAX', 'COUNT', '1', 'COUNT', '2'],
  ['ZMPOP', '2', 'myzset', 'myzset2', 'bad_arg'],
  ['ZMPOP', '1', 'myzset', 'MIN', 'COUNT', '0'],
  ['ZMPOP', '1', 'myzset', 'MAX', 'COUNT', 'a'],
  ['ZMPOP', '1', 'myzset', 'MIN', 'COUNT', '-1'],
  ['ZMPOP', '2', 'myzset', 'myzset2', 'MAX', 'COUNT', '-1'],
  ['ZMPOP', '3', 'myzset', 'myzset2', 'MAX'],
  ['ZMPOP', '2147483648', 'myzset', 'MAX'],
  ['ZMPOP', '1', 'myzset', 'MAX', 'COUNT', '9223372036854775808'],
  ['ZMPOP', '1', 'myzset', 'max', 'count', '1'],
  ['ZMPOP', '1', 'zz', 'MAX', 'COUNT', '9223372036854775807'],
  ['ZMPOP', '2', 'myzset', 'myzset2', 'min'],
  ['ZMPOP', '2', 'myzset', 'myzset2', 'max', 'count', '1'],
  ['ZPOPMIN'],
  ['ZPOPMIN', 'a', '1', '2'],
  ['BZPOPMIN', 'foo2', '1'],
  ['BZPOPMAX', 'foo2', '1'],
  ['BZMPOP', '1', '1', 'foo2', 'min'],
  ['BZMPOP', '1', '1', 'foo2', 'max'],
  ['BZMPOP', '1', '1', 'foo2', 'min', 'count', '10'],
  ['BZMPOP', '1', '2', 'foo', 'foo2', 'min'],
  ['BZMPOP', '1', '2', 'foo2', 'foo', 'max', 'count', '1'],
  ['BZMPOP'],
  ['BZMPOP', '0', '1'],
  ['BZMPOP', '0', '1', 'myzset'],
  ['BZMPOP', '1', '0', 'myzset', 'MIN'],
  ['BZMPOP', '1', 'a', 'myzset', 'MIN'],
  ['BZMPOP', '1', '-1', 'myzset', 'MAX'],
  ['BZMPOP', '1', '1', 'myzset', 'bad_where'],
  ['BZMPOP', '1', '1', 'myzset', 'MIN', 'bar_arg'],
  ['BZMPOP', '1', '1', 'myzset', 'MAX', 'MIN'],
  ['BZMPOP', '1', '1', 'myzset', 'COUNT'],
  ['BZMPOP', '1', '1', 'myzset', 'MIN', 'COUNT', '1', 'COUNT', '2'],
  ['BZMPOP', '1', '2', 'myzset', 'myzset2', 'bad_arg'],
  ['BZMPOP', '1', '1', 'myzset', 'MIN', 'COUNT', '0'],
  ['BZMPOP', '1', '1', 'myzset', 'MAX', 'COUNT', 'a'],
  ['BZMPOP', '1', '1', 'myzset', 'MIN', 'COUNT', '-1'],
  ['BZMPOP', '1', '2', 'myzset', 'myzset2', 'MAX', 'COUNT', '-1'],
  ['BZMPOP', '-1', '1', 'myzset', 'MAX'],
  ['BZMPOP', 'x', '1', 'myzset', 'MAX'],
  ['BZMPOP', 'inf', '1', 'myzset', 'MAX'],
  ['BZMPOP', '1e100', '1', 'myzset', 'MAX'],
  ['BZPOPMIN', 'myzset', '-1'],
  ['BZPOPMIN', 'myzset', 'x'],
  ['BZPOPMIN', 'myzset', 'nan'],
  ['BZPOPMIN', 'myzset'],
  ['ZADD', 'zz', '1', 'a', '2', 'b'],
  ['BZPOPMIN', 'zz', '0'],
  ['BZPOPMAX', 'myzset', 'zz', '0'],
  ['ZADD', 'zset2', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
  ['BZPOPMIN', 'zset', '0.01'],
  ['BZPOPMAX', 'zset', '0.01'],
  ['BZPOPMIN', 'zset1', 'zset2', '0.1'],
  ['BZPOPMAX', 'zset1', 'zset2', '0.1'],
  ['BZMPOP', '0.01', '1', 'zset', 'min'],
  ['BZMPOP', '0.01', '2', 'zset', 'zset1', 'max'],
  ['BZMPOP', '0.1', '2', 'zset2', 'zset4', 'min'],
  ['BZMPOP', '0.1', '2', 'zset4', 'zset2', 'max', 'count', '1'],
  ['BZMPOP', '0', '1', 'zset2', 'max', 'count', '10'],
  ['EXISTS', 'zset2'],
  ['MULTI'],
  ['BZPOPMIN', 'nokey', '0'],
  ['BZMPOP', '0', '1', 'nokey', 'min'],
  ['ZADD', 'nokey', '1', 'x'],
  ['BZPOPMIN', 'nokey', '0'],
  ['EXEC'],
];

const ZSET_MISC: Script = [
  ['DEL', 'seta', 'setb', 'setc'],
  ['SADD', 'set1', 'a'],
  ['SADD', 'set2', '10'],
  ['ZINTERSTORE', 'set3', '2', 'set1', 'set2'],
  ['ZADD', 'z', '-inf', 'neginf'],
  ['ZUNIONSTORE', 'out', '1', 'z', 'weights', '0'],
  ['ZRANGE', 'out', '0', '-1', 'withscores'],
  ['ZINTERSTORE', 'out', '1', 'z', 'weights', '0'],
  ['ZRANGE', 'out', '0', '-1', 'withscores'],
  ['SADD', 'one', '100', '101', '102', '103'],
  ['SADD', 'two', '100', '200', '201', '202'],
  ['ZADD', 'three', '1', '500', '1', '501', '1', '502', '1', '503', '1', '100'],
  ['ZINTERSTORE', 'to_here', '3', 'one', 'two', 'three', 'WEIGHTS', '0', '0', '1'],
  ['ZRANGE', 'to_here', '0', '-1'],
  ['ZRANGE', 'to_here', '0', '-1', 'WITHSCORES'],
  ['ZUNIONSTORE', 'foo', '2', 'zsetd', 'zsetf', 'withscores'],
  ['ZINTERSTORE', 'foo', '2', 'zsetd', 'zsetf', 'withscores'],
  ['ZDIFFSTORE', 'foo', '2', 'zsetd', 'zsetf', 'withscores'],
  ['DEL', 'zmscoretest'],
  ['ZADD', 'zmscoretest', '10', 'x'],
  ['ZADD', 'zmscoretest', '20', 'y'],
  ['ZMSCORE', 'zmscoretest', 'x', 'y'],
  ['ZMSCORE', 'zmscoretest', 'x'],
  ['ZMSCORE', 'zmscoretest', 'x', 'nosuch', 'y'],
  ['ZMSCORE', 'zmscoretest'],
  ['DEL', 'zmscoretest'],
  ['ZMSCORE', 'zmscoretest', 'x', 'y'],
  ['ZADD', 'zmscoretest', '10', 'x'],
  ['ZMSCORE', 'zmscoretest', 'x', 'y'],
  ['SET', 'str', 'v'],
  ['ZMSCORE', 'str', 'x'],
  ['ZSCORE', 'str', 'x'],
  ['ZADD', 'myzset', '', 'abc'],
  ['ZUNION', '0', 'key'],
  ['ZUNIONSTORE', 'dst_key', '0', 'key'],
  ['ZINTER', '0', 'key'],
  ['ZINTERSTORE', 'dst_key', '0', 'key'],
  ['ZDIFF', '0', 'key'],
  ['ZDIFFSTORE', 'dst_key', '0', 'key'],
  ['ZINTERCARD', '0', 'key'],
  ['ZUNION', '-1', 'key'],
  ['ZUNION', 'x', 'key'],
  ['ZUNION', '2', 'key'],
  ['ZUNIONSTORE', 'dst_key', '3', 'key', 'k2'],
  ['ZUNION', '1'],
  ['ZUNION', '1', 'str'],
  ['ZUNIONSTORE', 'dst', '1', 'str'],
  ['ZUNIONSTORE', 'str', '1', 'nokey'],
  ['EXISTS', 'str'],
  ['ZDIFF', '2', 'nokey', 'str'],
  ['ZINTER', '2', 'nokey', 'str'],
  ['ZADD', 'zz', '1.7976931348623157e308', 'dblmax'],
  [
    'ZADD',
    'zz',
    '179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.00000000000000000',
    'dblmax2',
  ],
  ['OBJECT', 'ENCODING', 'zz'],
  ['ZSCORE', 'zz', 'dblmax'],
  ['ZSCORE', 'zz', 'dblmax2'],
  ['ZADD', 'zz', '5e-324', 'tiny', '0.1', 'tenth', '1e21', 'big', '123456789012345678', 'long', '-0.0', 'negzero'],
  ['ZRANGE', 'zz', '0', '-1', 'WITHSCORES'],
  ['ZINCRBY', 'zz', '1e308', 'dblmax'],
  ['ZSCORE', 'zz', 'dblmax'],
];

/** zunionInterDiffGenericCommand over plain sets and sorted sets of each size order. */
const SET_AND_ZSET: Script = (() => {
  const s: ScriptStep[] = [];
  for (const setType of ['intset', 'hashtable'] as const) {
    s.push(['DEL', 'set_small', 'set_big']);
    if (setType === 'intset')
      s.push(['SADD', 'set_small', '1', '2', '3'], ['SADD', 'set_big', '1', '2', '3', '4', '5']);
    else
      s.push(
        ['SADD', 'set_small', 'a', '1', '2', '3'],
        ['SADD', 'set_big', 'a', '1', '2', '3', '4', '5'],
        ['SREM', 'set_small', 'a'],
        ['SREM', 'set_big', 'a'],
      );
    for (const zType of ['listpack', 'skiplist'] as const) {
      s.push(['DEL', 'zset_small', 'zset_big']);
      const pre = zType === 'skiplist' ? ['0', LONG] : [];
      s.push(
        ['ZADD', 'zset_small', ...pre, '1', '1', '2', '2', '3', '3'],
        ['ZADD', 'zset_big', ...pre, '1', '1', '2', '2', '3', '3', '4', '4', '5', '5'],
      );
      if (zType === 'skiplist') s.push(['ZREM', 'zset_small', LONG], ['ZREM', 'zset_big', LONG]);
      for (const [setKey, zKey] of [
        ['set_small', 'zset_big'],
        ['set_big', 'zset_small'],
      ] as const) {
        s.push(
          ['ZUNION', '2', setKey, zKey, 'WITHSCORES'],
          ['ZUNIONSTORE', 'zset_dest', '2', setKey, zKey],
          ['ZRANGE', 'zset_dest', '0', '-1', 'WITHSCORES'],
          ['ZINTER', '2', setKey, zKey, 'WITHSCORES'],
          ['ZINTERSTORE', 'zset_dest', '2', setKey, zKey],
          ['ZINTERCARD', '2', setKey, zKey],
          ['ZDIFF', '2', setKey, zKey, 'WITHSCORES'],
          ['ZDIFFSTORE', 'zset_dest', '2', setKey, zKey],
          ['ZDIFF', '2', zKey, setKey, 'WITHSCORES'],
          ['ZINTER', '2', zKey, setKey, 'WITHSCORES'],
        );
      }
    }
  }
  return s;
})();

function stressers(seed: number, elements: number, long: boolean): Script {
  const r = rng(seed);
  const s: ScriptStep[] = [];
  const pre: ScriptStep[] = long ? [['ZADD', 'zscoretest', '0', LONG]] : [];
  const score = (): string => String(r());
  // ZSCORE, ZMSCORE: scores round-trip with 17 significant digits
  s.push(['DEL', 'zscoretest'], ...pre);
  for (let i = 0; i < elements; i++) s.push(['ZADD', 'zscoretest', score(), String(i)]);
  s.push(['OBJECT', 'ENCODING', 'zscoretest']);
  for (let i = 0; i < elements; i += 7) s.push(['ZSCORE', 'zscoretest', String(i)]);
  s.push(['ZMSCORE', 'zscoretest', ...ints(0, elements)]);
  s.push(['ZRANGE', 'zscoretest', '0', '-1', 'WITHSCORES']);
  // sorting stresser: random updates, equal scores ordered by member
  for (let test = 0; test < 2; test++) {
    s.push(['DEL', 'myzset']);
    if (long) s.push(['ZADD', 'myzset', '-1', LONG]);
    for (let i = 0; i < elements; i++) {
      const sc = (): string => (test === 0 ? String(r()) : String(Math.floor(r() * 10)));
      s.push(['ZADD', 'myzset', sc(), String(i)]);
      if (r() < 0.2) s.push(['ZADD', 'myzset', sc(), String(Math.floor(r() * 1000))]);
    }
    s.push(['ZRANGE', 'myzset', '0', '-1', 'WITHSCORES'], ['ZREVRANGE', 'myzset', '0', '-1']);
  }
  // ZRANGEBYSCORE fuzzy
  s.push(['DEL', 'zset']);
  if (long) s.push(['ZADD', 'zset', '-1', LONG]);
  s.push(['ZADD', 'zset', ...range(0, elements).flatMap((i) => [score(), String(i)])]);
  for (let i = 0; i < 25; i++) {
    let min = r();
    let max = r();
    if (min > max) [min, max] = [max, min];
    const [a, b] = [String(min), String(max)];
    s.push(
      ['ZRANGEBYSCORE', 'zset', '-inf', a],
      ['ZRANGEBYSCORE', 'zset', a, b, 'WITHSCORES'],
      ['ZRANGEBYSCORE', 'zset', b, '+inf'],
      ['ZRANGEBYSCORE', 'zset', '-inf', `(${a}`],
      ['ZRANGEBYSCORE', 'zset', `(${a}`, `(${b}`],
      ['ZREVRANGEBYSCORE', 'zset', `(${b}`, `(${a}`, 'LIMIT', '1', '3'],
      ['ZRANGEBYSCORE', 'zset', `(${b}`, '+inf'],
      ['ZCOUNT', 'zset', '-inf', a],
      ['ZCOUNT', 'zset', a, b],
      ['ZCOUNT', 'zset', `(${a}`, `(${b}`],
      ['ZCOUNT', 'zset', `(${b}`, '+inf'],
    );
  }
  // ZRANGEBYLEX / ZREMRANGEBYLEX fuzzy
  const alpha = (): string => {
    const n = Math.floor(r() * 31);
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(97 + Math.floor(r() * 26) - (r() < 0.3 ? 32 : 0));
    return out;
  };
  s.push(['DEL', 'zset']);
  for (let j = 0; j < elements; j++) s.push(['ZADD', 'zset', '0', alpha()]);
  if (long) s.push(['ZADD', 'zset', '0', LONG]);
  s.push(['ZRANGE', 'zset', '0', '-1']);
  for (let j = 0; j < 25; j++) {
    const cmin = `${r() < 0.5 ? '[' : '('}${alpha()}`;
    const cmax = `${r() < 0.5 ? '[' : '('}${alpha()}`;
    s.push(
      ['ZRANGEBYLEX', 'zset', cmin, cmax],
      ['ZREVRANGEBYLEX', 'zset', cmax, cmin],
      ['ZLEXCOUNT', 'zset', cmin, cmax],
      ['ZLEXCOUNT', 'zset', cmax, cmin],
      ['ZUNIONSTORE', 'zsetcopy', '1', 'zset'],
      ['ZREMRANGEBYLEX', 'zsetcopy', cmin, cmax],
      ['ZRANGE', 'zsetcopy', '0', '-1'],
    );
  }
  // skiplist backlink consistency, ZRANK stress
  s.push(['DEL', 'myzset']);
  for (let j = 0; j < elements; j++) {
    s.push(['ZADD', 'myzset', score(), `Element-${j}`], ['ZREM', 'myzset', `Element-${Math.floor(r() * elements)}`]);
  }
  s.push(['ZRANGE', 'myzset', '0', '-1'], ['ZREVRANGE', 'myzset', '0', '-1']);
  s.push(['DEL', 'myzset']);
  for (let k = 0; k < 600; k++) {
    const i = String(k % elements);
    if (r() < 0.2) s.push(['ZREM', 'myzset', i]);
    else s.push(['ZADD', 'myzset', score(), i]);
    if (k % 5 === 0) {
      const idx = String(Math.floor(r() * elements));
      s.push(['ZRANGE', 'myzset', idx, idx, 'WITHSCORES'], ['ZRANK', 'myzset', i], ['ZREVRANK', 'myzset', i]);
    }
  }
  // skiplist order consistency when elements are moved
  for (let times = 0; times < 3; times++) {
    s.push(['DEL', 'zset']);
    if (long) s.push(['ZADD', 'zset', '0', LONG]);
    for (let j = 0; j < 300; j++) s.push(['ZADD', 'zset', String(Math.floor(r() * 50)), `ele-${Math.floor(r() * 10)}`]);
    s.push(['ZRANGE', 'zset', '0', '-1', 'WITHSCORES']);
  }
  return s;
}

const ZRANGESTORE: Script = [
  ['ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
  ['ZRANGESTORE', 'z2', 'z1', '0', '-1'],
  ['ZRANGE', 'z2', '0', '-1', 'withscores'],
  ['OBJECT', 'ENCODING', 'z2'],
  ['ZRANGESTORE', 'z2', 'z1', '1', '2'],
  ['ZRANGE', 'z2', '0', '-1', 'withscores'],
  ['ZRANGESTORE', 'z2', 'z1', '[b', '[c', 'BYLEX'],
  ['ZRANGE', 'z2', '0', '-1', 'withscores'],
  ['ZRANGESTORE', 'z2', 'z1', '1', '2', 'BYSCORE'],
  ['ZRANGE', 'z2', '0', '-1', 'withscores'],
  ['ZRANGESTORE', 'z2', 'z1', '0', '5', 'BYSCORE', 'LIMIT', '0', '2'],
  ['ZRANGE', 'z2', '0', '-1', 'withscores'],
  ['ZRANGESTORE', 'z2', 'z1', '5', '0', 'BYSCORE', 'REV', 'LIMIT', '0', '2'],
  ['ZRANGE', 'z2', '0', '-1', 'withscores'],
  ['ZRANGE', 'z1', '5', '0', 'BYSCORE', 'REV', 'LIMIT', '0', '2', 'WITHSCORES'],
  ['ZRANGE', 'z1', '0', '5', 'BYSCORE', 'REV', 'LIMIT', '0', '2', 'WITHSCORES'],
  ['ZRANGE', 'z1', '[c', '-', 'BYLEX', 'REV'],
  ['ZRANGE', 'z1', '-', '[c', 'BYLEX', 'REV'],
  ['ZRANGE', 'z1', '0', '1', 'REV', 'WITHSCORES'],
  ['ZRANGE', 'z1', '-1', '0', 'REV'],
  ['ZRANGESTORE', 'z2', 'missing', '0', '-1'],
  ['EXISTS', 'z2'],
  ['ZADD', 'z2', '1', 'a'],
  ['SET', 'foo', 'bar'],
  ['ZRANGESTORE', 'z2', 'foo', '0', '-1'],
  ['ZRANGE', 'z2', '0', '-1'],
  ['ZRANGESTORE', 'z2', 'z1', '5', '6'],
  ['EXISTS', 'z2'],
  ['ZADD', 'z2', '1', 'a'],
  ['ZRANGESTORE', 'z2', 'z1', '[f', '[g', 'BYLEX'],
  ['EXISTS', 'z2'],
  ['ZADD', 'z2', '1', 'a'],
  ['ZRANGESTORE', 'z2', 'z1', '5', '6', 'BYSCORE'],
  ['EXISTS', 'z2'],
  ['ZRANGESTORE', 'foo', 'z1', '0', '0'],
  ['TYPE', 'foo'],
  ['ZRANGE', 'z1', '[b', '[c', 'BYLEX'],
  ['ZRANGESTORE', 'z2', 'z1', '0', '-1', 'limit', '1', '2'],
  ['ZRANGESTORE', 'z2', 'z1', '0', '-1', 'WITHSCORES'],
  ['ZRANGE', 'z1', '0', '-1', 'limit', '1', '2'],
  ['ZRANGE', 'z1', '0', '-1', 'BYLEX', 'WITHSCORES'],
  ['ZRANGE', 'z1', '-', '+', 'BYLEX', 'WITHSCORES'],
  ['ZREVRANGE', 'z1', '0', '-1', 'BYSCORE'],
  ['ZRANGEBYSCORE', 'z1', '0', '-1', 'REV'],
  ['ZRANGE', 'z1', '0', '-1', 'BYSCORE', 'BYLEX'],
  ['ZRANGE', 'z1', '(1', '(4', 'BYSCORE'],
  ['ZRANGE', 'z1', 'a', 'b', 'BYSCORE'],
  ['ZRANGE', 'z1', 'a', 'b', 'BYLEX'],
  ['ZRANGE', 'z1', '0', '-1', 'LIMIT', '0'],
  ['ZRANGE', 'z1', '0', '-1', 'BYSCORE', 'LIMIT', '0', '-1', 'WITHSCORES'],
  ['ZRANGE', 'z1', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '-1', 'WITHSCORES'],
  ['ZRANGE', 'z1', '0'],
  ['ZRANGESTORE', 'z2', 'z1', '0'],
  ['ZRANGESTORE', 'z2', 'z1', '-inf', '+inf', 'BYSCORE', 'REV'],
  ['ZRANGESTORE', 'z2', 'z1', '+inf', '-inf', 'BYSCORE', 'REV'],
  ['ZRANGE', 'z2', '0', '-1', 'WITHSCORES'],
  ['ZRANGESTORE', 'z1', 'z1', '1', '2'],
  ['ZRANGE', 'z1', '0', '-1', 'WITHSCORES'],
];

const ZRAND_MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
function zrandmember(long: boolean): Script {
  const items = [
    '1',
    'a',
    '2',
    'b',
    '3',
    'c',
    '4',
    'd',
    '5',
    'e',
    '6',
    'f',
    '7',
    'g',
    '7',
    'h',
    '9',
    'i',
    '10',
    long ? LONG : 'j',
  ];
  const u = long ? [...ZRAND_MEMBERS.slice(0, 9), LONG] : ZRAND_MEMBERS;
  const s: ScriptStep[] = [
    ['DEL', 'myzset'],
    ['ZADD', 'myzset', ...items],
    ['OBJECT', 'ENCODING', 'myzset'],
  ];
  s.push(rand(['ZRANDMEMBER', 'myzset'], u));
  for (const n of ['-20', '-1001', '-3', '-1']) {
    s.push(rand(['ZRANDMEMBER', 'myzset', n], u));
    s.push(rand(['ZRANDMEMBER', 'myzset', n, 'WITHSCORES'], u, { stride: 2 }));
  }
  for (const n of ['10', '20']) {
    s.push(unordered(['ZRANDMEMBER', 'myzset', n]));
    s.push({ args: ['ZRANDMEMBER', 'myzset', n, 'WITHSCORES'], mode: 'unordered-pairs' });
  }
  for (const n of ['1', '2', '8', '9']) {
    s.push(rand(['ZRANDMEMBER', 'myzset', n], u, { distinct: true }));
    s.push(rand(['ZRANDMEMBER', 'myzset', n, 'WITHSCORES'], u, { distinct: true, stride: 2 }));
  }
  return s;
}

const ZRANDMEMBER_EDGES: Script = [
  ['ZADD', 'myzset', '1', 'a', '2', 'b', '3', 'c'],
  rand(['ZRANDMEMBER', 'myzset', '3', 'withscores'], ['a', 'b', 'c'], { distinct: true, stride: 2 }),
  rand(['ZRANDMEMBER', 'myzset', '3'], ['a', 'b', 'c'], { distinct: true }),
  ['ZRANDMEMBER', 'myzset', '0'],
  ['ZRANDMEMBER', 'myzset', '0', 'WITHSCORES'],
  ['ZRANDMEMBER', 'nonexisting_key', '100'],
  ['ZRANDMEMBER', 'nonexisting_key', '100', 'WITHSCORES'],
  ['ZRANDMEMBER', 'nonexisting_key'],
  ['ZRANDMEMBER', 'nonexisting_key', '-5'],
  ['ZADD', 'myzset', '0', 'a'],
  ['ZRANDMEMBER', 'myzset', '-9223372036854770000', 'withscores'],
  ['ZRANDMEMBER', 'myzset', '-9223372036854775808', 'withscores'],
  ['ZRANDMEMBER', 'myzset', '-9223372036854775808'],
  ['ZRANDMEMBER', 'myzset', '-4611686018427387904', 'withscores'],
  ['ZRANDMEMBER', 'myzset', '9223372036854775807', 'withscores'],
  ['ZRANDMEMBER', 'myzset', '9223372036854775808'],
  ['ZRANDMEMBER', 'myzset', 'x'],
  ['ZRANDMEMBER', 'myzset', '1', 'foo'],
  ['ZRANDMEMBER', 'myzset', '1', 'WITHSCORES', 'x'],
  ['ZRANDMEMBER', 'nonexisting_key', '-9223372036854775808'],
  ['ZRANDMEMBER', 'nonexisting_key', 'x'],
  ['SET', 'str', 'x'],
  ['ZRANDMEMBER', 'str'],
  ['ZRANDMEMBER', 'str', '1'],
];

function listpackOverflow(): Script {
  const s: ScriptStep[] = [];
  s.push(['DEL', 'myzset']);
  for (let i = 0; i < 128; i++) s.push(['ZADD', 'myzset', String(i), String(i)]);
  s.push(
    ['OBJECT', 'ENCODING', 'myzset'],
    ['ZCARD', 'myzset'],
    ['ZADD', 'myzset', '1', 'b'],
    ['OBJECT', 'ENCODING', 'myzset'],
  );
  s.push(['DEL', 'myzset'], ['ZADD', 'myzset', ...ints(0, 256)], ['OBJECT', 'ENCODING', 'myzset'], ['ZCARD', 'myzset']);
  s.push(['ZADD', 'myzset', '1', 'b'], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(
    ['DEL', 'myzset'],
    ['ZADD', 'myzset', '1', '1'],
    ['ZADD', 'myzset', ...ints(0, 256)],
    ['OBJECT', 'ENCODING', 'myzset'],
  );
  s.push(['ZADD', 'myzset', '1', 'b'], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(['DEL', 'myzset'], ['ZADD', 'myzset', ...ints(0, 258)], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(['DEL', 'myzset'], ['ZADD', 'myzset', '1', 'y'.repeat(64)], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(['ZADD', 'myzset', '1', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(['ZREM', 'myzset', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(['ZUNIONSTORE', 'dst', '1', 'myzset'], ['OBJECT', 'ENCODING', 'dst']);
  s.push(['ZRANGESTORE', 'dst2', 'myzset', '0', '-1'], ['OBJECT', 'ENCODING', 'dst2']);
  s.push(
    ['DEL', 'big'],
    ['ZADD', 'big', ...ints(0, 300)],
    ['ZRANGESTORE', 'dst3', 'big', '0', '127'],
    ['OBJECT', 'ENCODING', 'dst3'],
  );
  s.push(['ZRANGESTORE', 'dst4', 'big', '0', '128'], ['OBJECT', 'ENCODING', 'dst4']);
  s.push(['ZINTERSTORE', 'dst5', '1', 'big'], ['OBJECT', 'ENCODING', 'dst5']);
  s.push(['ZREMRANGEBYRANK', 'big', '0', '-10'], ['OBJECT', 'ENCODING', 'big']);
  s.push(['ZUNIONSTORE', 'dst6', '1', 'big'], ['OBJECT', 'ENCODING', 'dst6']);
  s.push(['ZDIFFSTORE', 'dst7', '1', 'big'], ['OBJECT', 'ENCODING', 'dst7']);
  return s;
}

const ZSET_SCRIPTS: Record<string, Script> = {
  'ZADD and its options (listpack)': zaddOptions('listpack'),
  'ZADD and its options (skiplist)': zaddOptions('skiplist'),
  'ZCARD, ZREM, ZRANGE, ZREVRANGE, ZRANK, ZINCRBY basics (listpack)': zsetBasics('listpack'),
  'ZCARD, ZREM, ZRANGE, ZREVRANGE, ZRANK, ZINCRBY basics (skiplist)': zsetBasics('skiplist'),
  'ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZCOUNT (listpack)': scoreRanges('listpack'),
  'ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZCOUNT (skiplist)': scoreRanges('skiplist'),
  'ZRANGEBYLEX, ZREVRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX (listpack)': lexRanges('listpack'),
  'ZRANGEBYLEX, ZREVRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX (skiplist)': lexRanges('skiplist'),
  'ZREMRANGEBYSCORE, ZREMRANGEBYRANK (listpack)': remRanges('listpack'),
  'ZREMRANGEBYSCORE, ZREMRANGEBYRANK (skiplist)': remRanges('skiplist'),
  'ZUNION, ZINTER, ZINTERCARD, ZDIFF and STORE forms (listpack)': setOps('listpack'),
  'ZUNION, ZINTER, ZINTERCARD, ZDIFF and STORE forms (skiplist)': setOps('skiplist'),
  'ZDIFF fuzzing': zdiffFuzz(3, 30),
  'ZPOPMIN, ZPOPMAX, ZMPOP (listpack)': pops('listpack'),
  'ZPOPMIN, ZPOPMAX, ZMPOP (skiplist)': pops('skiplist'),
  'ZPOP, ZMPOP, BZPOP, BZMPOP errors and non-blocking paths': ZPOP_ERRORS,
  'regressions, ZMSCORE, numkeys, score range': ZSET_MISC,
  'set operations over sets and sorted sets': SET_AND_ZSET,
  'stressers (listpack)': stressers(11, 100, false),
  'stressers (skiplist)': stressers(12, 100, true),
  'ZRANGESTORE and ZRANGE syntax': ZRANGESTORE,
  'ZRANDMEMBER with a count (listpack)': zrandmember(false),
  'ZRANDMEMBER with a count (skiplist)': zrandmember(true),
  'ZRANDMEMBER edges': ZRANDMEMBER_EDGES,
  'listpack to skiplist conversion': listpackOverflow(),
};

function reloads(seed: number): Script {
  const r = rng(seed);
  const s: ScriptStep[] = [
    ['SADD', 'myintset', ...ints(0, 100)],
    ['SADD', 'mylargeintset', ...ints(0, 1280)],
    ['SADD', 'mysmallset', ...range(0, 50).map(pad3)],
    ['SADD', 'myhashset', ...range(0, 256).map(pad3)],
    ['SADD', 'set1', ...ints(0, 200), 'foo'],
    ['SADD', 'set2', ...ints(195, 395), 'foo'],
    ['SADD', 'iset1', ...ints(0, 200)],
    ['SADD', 'iset2', ...ints(195, 395)],
    ['ZADD', 'zl', ...range(0, 100).flatMap((i) => [String(r()), String(i)])],
    ['ZADD', 'zs', '0', LONG, ...range(0, 100).flatMap((i) => [String(r()), String(i)])],
    ['ZADD', 'zneg', '-0', 'a', '-0.0', 'b', '1e-310', 'c'],
  ];
  const check: ScriptStep[] = [
    ['OBJECT', 'ENCODING', 'myintset'],
    ['OBJECT', 'ENCODING', 'mylargeintset'],
    ['OBJECT', 'ENCODING', 'mysmallset'],
    ['OBJECT', 'ENCODING', 'myhashset'],
    ['OBJECT', 'ENCODING', 'zl'],
    ['OBJECT', 'ENCODING', 'zs'],
    ['SMEMBERS', 'myintset'],
    ['SCARD', 'mylargeintset'],
    ['SINTERSTORE', 'setres', 'set1', 'set2'],
    ['OBJECT', 'ENCODING', 'setres'],
    unordered(['SMEMBERS', 'setres']),
    ['SINTERSTORE', 'isetres', 'iset1', 'iset2'],
    ['OBJECT', 'ENCODING', 'isetres'],
    ['SMEMBERS', 'isetres'],
    ['ZRANGE', 'zl', '0', '-1', 'WITHSCORES'],
    ['ZRANGE', 'zs', '0', '-1', 'WITHSCORES'],
    ['ZMSCORE', 'zl', ...ints(0, 100)],
    ['ZRANGE', 'zneg', '0', '-1', 'WITHSCORES'],
  ];
  return [...s, ...check, ['DEBUG', 'RELOAD'], ...check];
}
const RELOAD_SCRIPTS: Record<string, Script> = {
  'sets and sorted sets survive DEBUG RELOAD with their encodings': reloads(5),
};

const RESTORE: ScriptStep[] = [
  ['CONFIG', 'SET', 'zset-max-ziplist-entries', '128'],
  ['CONFIG', 'SET', 'zset-max-ziplist-value', '64'],
  ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
];

function encodingKnobs(): Script {
  const s: ScriptStep[] = [];
  s.push(['CONFIG', 'SET', 'zset-max-ziplist-entries', '0'], ['CONFIG', 'SET', 'zset-max-ziplist-value', '0']);
  s.push(
    ['ZADD', 'ztmp', '10', 'x'],
    ['OBJECT', 'ENCODING', 'ztmp'],
    ['ZADD', 'ztmp', '20', 'y', '5', 'z'],
    ['ZRANGE', 'ztmp', '0', '-1', 'WITHSCORES'],
  );
  s.push(['ZINCRBY', 'new', '1', 'a'], ['OBJECT', 'ENCODING', 'new']);
  s.push(
    ['ZADD', 'z1', '1', 'a'],
    ['OBJECT', 'ENCODING', 'z1'],
    ['ZRANGESTORE', 'z2', 'z1', '0', '-1'],
    ['OBJECT', 'ENCODING', 'z2'],
  );
  s.push(['ZUNIONSTORE', 'z3', '1', 'z1'], ['OBJECT', 'ENCODING', 'z3']);
  s.push(['CONFIG', 'SET', 'zset-max-ziplist-entries', '1'], ['CONFIG', 'SET', 'zset-max-ziplist-value', '64']);
  s.push(['DEL', 'z1', 'z2', 'z3'], ['ZADD', 'z1', '1', 'a', '2', 'b'], ['OBJECT', 'ENCODING', 'z1']);
  s.push(
    ['ZRANGESTORE', 'z2', 'z1', '0', '0'],
    ['OBJECT', 'ENCODING', 'z2'],
    ['ZRANGESTORE', 'z3', 'z1', '0', '1'],
    ['OBJECT', 'ENCODING', 'z3'],
  );
  s.push(['ZRANGESTORE', 'z4', 'z1', '-inf', '1', 'BYSCORE'], ['OBJECT', 'ENCODING', 'z4']);
  s.push(['ZREM', 'z1', 'a'], ['OBJECT', 'ENCODING', 'z1']);
  s.push(['CONFIG', 'SET', 'zset-max-listpack-entries', '64']);
  for (const type of ['single', 'multiple', 'single_multiple']) {
    s.push(['DEL', 'myzset']);
    if (type === 'single') for (let i = 0; i < 64; i++) s.push(['ZADD', 'myzset', String(i), String(i)]);
    else {
      if (type === 'single_multiple') s.push(['ZADD', 'myzset', '1', '1']);
      s.push(['ZADD', 'myzset', ...ints(0, 128)]);
    }
    s.push(
      ['OBJECT', 'ENCODING', 'myzset'],
      ['ZCARD', 'myzset'],
      ['ZADD', 'myzset', '1', 'b'],
      ['OBJECT', 'ENCODING', 'myzset'],
    );
  }
  s.push(['CONFIG', 'SET', 'zset-max-listpack-entries', '128'], ['CONFIG', 'SET', 'zset-max-listpack-value', '10']);
  s.push(['DEL', 'myzset'], ['ZADD', 'myzset', '1', 'a', '2', 'b', '3', 'c'], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(['ZADD', 'myzset', '4', 'abcdefghijk'], ['OBJECT', 'ENCODING', 'myzset']);
  s.push(['CONFIG', 'SET', 'zset-max-listpack-value', '64']);
  // zunionInterDiffGenericCommand over hashtable sets and skiplist sorted sets
  s.push(['CONFIG', 'SET', 'set-max-intset-entries', '0'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '0']);
  s.push(['SADD', 'set_small', '1', '2', '3'], ['SADD', 'set_big', '1', '2', '3', '4', '5']);
  s.push(['OBJECT', 'ENCODING', 'set_small'], ['OBJECT', 'ENCODING', 'set_big']);
  s.push(
    ['ZADD', 'zset_small', '1', '1', '2', '2', '3', '3'],
    ['ZADD', 'zset_big', '1', '1', '2', '2', '3', '3', '4', '4', '5', '5'],
  );
  s.push(['OBJECT', 'ENCODING', 'zset_small']);
  for (const [setKey, zKey] of [
    ['set_small', 'zset_big'],
    ['set_big', 'zset_small'],
  ] as const) {
    s.push(
      unordered(['ZUNION', '2', setKey, zKey]),
      ['ZUNIONSTORE', 'zset_dest', '2', setKey, zKey],
      ['ZRANGE', 'zset_dest', '0', '-1', 'WITHSCORES'],
      unordered(['ZINTER', '2', setKey, zKey]),
      ['ZINTERSTORE', 'zset_dest', '2', setKey, zKey],
      ['ZINTERCARD', '2', setKey, zKey],
      unordered(['ZDIFF', '2', setKey, zKey]),
      ['ZDIFFSTORE', 'zset_dest', '2', setKey, zKey],
    );
  }
  s.push(['CONFIG', 'SET', 'set-max-intset-entries', '5'], ['DEL', 'iset']);
  s.push(
    ['SADD', 'iset', '1', '2', '3', '4', '5'],
    ['OBJECT', 'ENCODING', 'iset'],
    ['SADD', 'iset', '6'],
    ['OBJECT', 'ENCODING', 'iset'],
  );
  s.push(['DEL', 'iset'], ['SADD', 'iset', ...ints(1, 7)], ['OBJECT', 'ENCODING', 'iset']);
  s.push(
    ['SADD', 'a1', '1', '2', '3'],
    ['SADD', 'a2', '4', '5', '6'],
    ['SUNIONSTORE', 'u', 'a1', 'a2'],
    ['OBJECT', 'ENCODING', 'u'],
  );
  s.push(
    ['SINTERSTORE', 'i', 'a1', 'a1'],
    ['OBJECT', 'ENCODING', 'i'],
    ['SMOVE', 'a2', 'a1', '4'],
    ['SMOVE', 'a2', 'a1', '5'],
  );
  s.push(['SMOVE', 'a2', 'a1', '6'], ['OBJECT', 'ENCODING', 'a1']);
  s.push(...RESTORE);
  return s;
}
/** A script run with new sorted sets forced to the skiplist encoding (as the Tcl suite's "basics skiplist"). */
const forcedSkiplist = (script: Script): Script => [
  ['CONFIG', 'SET', 'zset-max-ziplist-entries', '0'],
  ['CONFIG', 'SET', 'zset-max-ziplist-value', '0'],
  ...script,
  ...RESTORE,
];

const KNOB_SCRIPTS: Record<string, Script> = {
  'encoding limits from CONFIG SET': encodingKnobs(),
  'ZADD and its options (zset-max-ziplist-entries 0)': forcedSkiplist(zaddOptions('listpack')),
  'ZPOPMIN, ZPOPMAX, ZMPOP (zset-max-ziplist-entries 0)': forcedSkiplist(pops('listpack')),
  'ZRANGESTORE and ZRANGE syntax (zset-max-ziplist-entries 0)': forcedSkiplist(ZRANGESTORE),
};

describe('set.tcl cases match Redis', () => {
  scriptTests(SET_SCRIPTS, pair);
});

describe('zset.tcl cases match Redis', () => {
  scriptTests(ZSET_SCRIPTS, pair);
});

describe('DEBUG RELOAD cases match Redis', () => {
  scriptTests(RELOAD_SCRIPTS, pair);
});

describe('encoding-limit cases match Redis', () => {
  // The scripts restore the defaults at their end; this also does when one of them fails half-way.
  after(async () => {
    const p = ports();
    for (const port of [p.redis, p.cairn]) {
      const conn = await RawConnection.connect(port);
      for (const step of RESTORE) await conn.call(step as string[]);
      await conn.close();
    }
  });
  scriptTests(KNOB_SCRIPTS, pair);
});

// ---- blocking pops with several clients ----

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until both servers report `n` blocked clients (as the Tcl suite's wait_for_blocked_clients_count). */
async function waitBlocked(n: number): Promise<void> {
  const p = ports();
  for (const port of [p.redis, p.cairn]) {
    const conn = await RawConnection.connect(port);
    try {
      for (let i = 0; ; i++) {
        const info = (await conn.call(['INFO', 'clients'])).toString('latin1');
        if (/blocked_clients:(\d+)/.exec(info)?.[1] === String(n)) break;
        if (i > 200) throw new Error(`port ${port}: blocked_clients never reached ${n}: ${info}`);
        await sleep(5);
      }
    } finally {
      await conn.close();
    }
  }
}

/** Sends a blocking command on `name` and waits until the servers have `blocked` clients blocked. */
async function block(m: MultiConn, name: string, args: string[], blocked = 1): Promise<void> {
  m.hold(name);
  await m.wait(name, args, 0);
  await waitBlocked(blocked);
}

/**
 * Releases `name` and compares what it received: a PING queued behind the blocking command is answered only
 * once the command is served, so the transcript holds the served reply, then PONG.
 */
async function served(m: MultiConn, name: string): Promise<void> {
  m.release(name);
  await m.step(name, ['PING']);
}

/** A BZPOPMIN or BZMPOP MIN on one key, as the Tcl helper bzpop_command sends it. */
const bzpopMin = (pop: string, key: string, timeout: string): string[] =>
  pop === 'BZMPOP' ? ['BZMPOP', timeout, '1', key, 'MIN', 'COUNT', '1'] : ['BZPOPMIN', key, timeout];

for (const resp of [2, 3] as const) {
  describe(`blocking pops with several clients (RESP${resp})`, () => {
    const scenario = (fn: (m: MultiConn) => Promise<void>): Promise<void> =>
      multiConnScenario(ports(), async (m) => {
        await m.open('rd', resp);
        await fn(m);
      });

    for (const pop of ['BZPOPMIN', 'BZMPOP']) {
      test(`${pop}: ZADD + DEL (+ SET) in a transaction does not wake the client`, async () => {
        await scenario(async (m) => {
          for (const withSet of [false, true]) {
            await block(m, 'rd', bzpopMin(pop, 'zset', '0'));
            await m.step('admin', ['MULTI']);
            await m.step('admin', ['ZADD', 'zset', '0', 'foo']);
            await m.step('admin', ['DEL', 'zset']);
            if (withSet) await m.step('admin', ['SET', 'zset', 'foo']);
            await m.step('admin', ['EXEC']);
            await m.step('admin', ['DEL', 'zset']);
            await m.step('admin', ['ZADD', 'zset', '1', 'bar']);
            await served(m, 'rd');
          }
        });
      });

      test(`${pop}: MULTI/EXEC is isolated, variadic ZADD, zero timeout`, async () => {
        await scenario(async (m) => {
          await block(m, 'rd', bzpopMin(pop, 'zset', '0'));
          await m.step('admin', ['MULTI']);
          await m.step('admin', ['ZADD', 'zset', '0', 'a']);
          await m.step('admin', ['ZADD', 'zset', '1', 'b']);
          await m.step('admin', ['ZADD', 'zset', '2', 'c']);
          await m.step('admin', ['EXEC']);
          await served(m, 'rd');
          await m.step('admin', ['DEL', 'zset']);
          await block(m, 'rd', bzpopMin(pop, 'zset', '0'));
          await m.step('admin', ['ZADD', 'zset', '-1', 'foo', '1', 'bar']);
          await served(m, 'rd');
          await m.step('admin', ['ZRANGE', 'zset', '0', '-1']);
          await m.step('admin', ['DEL', 'zset']);
          await block(m, 'rd', bzpopMin(pop, 'zset', '0'));
          await sleep(200);
          await m.step('admin', ['ZADD', 'zset', '0', 'foo']);
          await served(m, 'rd');
        });
      });
    }

    test('BZPOPMIN with the same key several times', async () => {
      await scenario(async (m) => {
        await block(m, 'rd', ['BZPOPMIN', 'z1', 'z2', 'z2', 'z1', '0']);
        await m.step('admin', ['ZADD', 'z1', '0', 'a']);
        await served(m, 'rd');
        await block(m, 'rd', ['BZPOPMIN', 'z1', 'z2', 'z2', 'z1', '0']);
        await m.step('admin', ['ZADD', 'z2', '1', 'b']);
        await served(m, 'rd');
        await m.step('admin', ['ZADD', 'z1', '0', 'a']);
        await m.step('admin', ['ZADD', 'z2', '1', 'b']);
        await m.step('rd', ['BZPOPMIN', 'z1', 'z2', 'z2', 'z1', '0']);
        await m.step('rd', ['BZPOPMIN', 'z1', 'z2', 'z2', 'z1', '0']);
      });
    });

    test('BZPOPMIN/BZPOPMAX/BZMPOP: timeouts, the non-blocking path, the blocking path', async () => {
      await scenario(async (m) => {
        await m.step('admin', ['ZADD', 'zset2', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e']);
        await m.step('rd', ['BZPOPMIN', 'zset', '0.01']);
        await m.step('rd', ['BZPOPMAX', 'zset', '0.01']);
        await m.step('rd', ['BZMPOP', '0.01', '1', 'zset', 'MIN']);
        await m.step('rd', ['BZMPOP', '0.01', '2', 'zset', 'zset1', 'MAX']);
        await m.step('rd', ['BZPOPMIN', 'zset1', 'zset2', '0.1']);
        await m.step('rd', ['BZMPOP', '0.1', '2', 'zset2', 'zset4', 'MIN']);
        await block(m, 'rd', ['BZPOPMIN', 'zset', '5']);
        await m.step('admin', ['ZADD', 'zset', '1', 'a']);
        await served(m, 'rd');
        await block(m, 'rd', ['BZPOPMAX', 'zset', '5']);
        await m.step('admin', ['ZADD', 'zset', '1.5', 'a', '2.5', 'b']);
        await served(m, 'rd');
        await m.step('admin', ['DEL', 'zset', 'zset2']);
        await block(m, 'rd', ['BZMPOP', '5', '2', 'zset', 'zset2', 'MAX', 'COUNT', '2']);
        await m.step('admin', ['ZADD', 'zset2', '1', 'a', '2', 'b', '3', 'c']);
        await served(m, 'rd');
        await m.step('admin', ['DEL', 'zset', 'zset2']);
        await block(m, 'rd', ['BZMPOP', '5', '2', 'zset', 'zset2', 'MIN', 'COUNT', '10']);
        await m.step('admin', ['SET', 'zset', 'str']);
        await m.step('admin', ['ZADD', 'zset2', '7', 'x']);
        await served(m, 'rd');
      });
    });

    test('BZMPOP with several blocked clients', async () => {
      await scenario(async (m) => {
        for (const n of ['rd2', 'rd3', 'rd4']) await m.open(n, resp);
        await block(m, 'rd', ['BZMPOP', '0', '2', 'myzset', 'myzset2', 'MIN', 'COUNT', '1']);
        await block(m, 'rd2', ['BZMPOP', '0', '2', 'myzset', 'myzset2', 'MAX', 'COUNT', '10'], 2);
        await block(m, 'rd3', ['BZMPOP', '0', '2', 'myzset', 'myzset2', 'MIN', 'COUNT', '10'], 3);
        await block(m, 'rd4', ['BZMPOP', '0', '2', 'myzset', 'myzset2', 'MAX', 'COUNT', '1'], 4);
        await m.step('admin', ['MULTI']);
        await m.step('admin', ['ZADD', 'myzset', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e']);
        await m.step('admin', ['ZADD', 'myzset2', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e']);
        await m.step('admin', ['EXEC']);
        for (const n of ['rd', 'rd2', 'rd3']) await served(m, n);
        await m.step('admin', ['ZADD', 'myzset2', '1', 'a', '2', 'b', '3', 'c']);
        await served(m, 'rd4');
        await m.step('admin', ['ZRANGE', 'myzset2', '0', '-1', 'WITHSCORES']);
      });
    });

    test('BZMPOP does not block on its non-key arguments', async () => {
      await scenario(async (m) => {
        await m.open('rd2', resp);
        await block(m, 'rd', ['BZMPOP', '0', '1', 'myzset', 'MIN', 'COUNT', '10']);
        await block(m, 'rd2', ['BZMPOP', '0', '2', 'myzset2', 'myzset3', 'MAX', 'COUNT', '10'], 2);
        for (const [k, v] of [
          ['0', 'timeout_value'],
          ['1', 'numkeys_value'],
          ['2', 'numkeys_value'],
          ['min', 'min_token'],
          ['max', 'max_token'],
          ['count', 'count_token'],
          ['10', 'count_value'],
        ] as const) {
          await m.step('admin', ['ZADD', k, '100', v]);
        }
        await waitBlocked(2);
        await m.step('admin', ['ZADD', 'myzset', '1', 'zset']);
        await m.step('admin', ['ZADD', 'myzset3', '1', 'zset3']);
        await served(m, 'rd');
        await served(m, 'rd2');
      });
    });
  });
}
