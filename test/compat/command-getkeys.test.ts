// COMMAND GETKEYS / GETKEYSANDFLAGS against real Redis 7.0.15, for every command both servers implement: argvs are
// built from Redis's own COMMAND DOCS argument lists (required arguments only, every optional argument, repeated
// arguments twice), plus a hand-written table of the argvs whose keys depend on keywords and counts. Replies are
// compared byte for byte in RESP2 and RESP3. COMMAND INFO of every common command stays identical too.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair } from '../support/servers.js';
import { compareScript, type Script } from '../support/differential.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';

let pair: Awaited<ReturnType<typeof startPair>>;
before(async () => {
  pair = await startPair();
});
after(async () => {
  await pair?.stop();
});

type Doc = Map<RespValue, RespValue>;
/** min: required arguments only; max: every optional one; multi: repeated arguments twice. */
type Mode = 'min' | 'max' | 'multi';

function field(m: Doc, k: string): RespValue | undefined {
  return m.get(k);
}

/**
 * One argv tail built from COMMAND DOCS arguments: keys k1, k2…, other values chosen to parse; a oneof takes its
 * alternative number `pick` (modulo its size).
 */
function build(args: readonly RespValue[], mode: Mode, ctx: { n: number; pick: number }): string[] {
  const out: string[] = [];
  for (const a of args as Doc[]) {
    const flags = (field(a, 'flags') as string[] | undefined) ?? [];
    if (flags.includes('optional') && mode === 'min') continue;
    const reps = flags.includes('multiple') && mode === 'multi' ? 2 : 1;
    for (let r = 0; r < reps; r++) {
      const token = field(a, 'token') as string | undefined;
      if (token !== undefined && (r === 0 || flags.includes('multiple_token'))) out.push(token);
      const type = field(a, 'type') as string;
      const sub = (field(a, 'arguments') as RespValue[] | undefined) ?? [];
      switch (type) {
        case 'key':
          out.push(`k${++ctx.n}`);
          break;
        case 'integer':
          out.push(mode === 'multi' ? '2' : '1');
          break;
        case 'double':
          out.push('1.5');
          break;
        case 'pattern':
          out.push('*');
          break;
        case 'unix-time':
          out.push('100');
          break;
        case 'pure-token':
          break;
        case 'oneof':
          out.push(...build([sub[ctx.pick % sub.length]!], mode, ctx));
          break;
        case 'block':
          out.push(...build(sub, mode, ctx));
          break;
        default:
          out.push('v');
      }
    }
  }
  return out;
}

/** Argvs the docs-built ones miss: keywords, counts, flags that depend on other arguments, malformed lines. */
const EXTRA: readonly string[][] = [
  ['SET', 'k', 'v'],
  ['SET', 'k', 'v', 'GET'],
  ['set', 'k', 'v', 'get'],
  ['SET', 'k', 'v', 'EX', '10', 'GET'],
  ['SET', 'k', 'v', 'NX'],
  ['SET', 'k', 'v', 'XX', 'KEEPTTL'],
  ['SET', 'k', 'get'],
  ['SET', 'k'],
  ['BITFIELD', 'k'],
  ['BITFIELD', 'k', 'GET', 'u8', '0'],
  ['BITFIELD', 'k', 'get', 'u8', '0', 'GET', 'i4', '#1'],
  ['BITFIELD', 'k', 'OVERFLOW', 'WRAP'],
  ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'],
  ['BITFIELD', 'k', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'],
  ['BITFIELD', 'k', 'INCRBY', 'u8', '0', '1'],
  ['BITFIELD', 'k', 'SET', 'u8', '0'],
  ['BITFIELD', 'k', 'GET', 'u8'],
  ['BITFIELD', 'k', 'foo'],
  ['BITFIELD', 'k', 'OVERFLOW'],
  ['BITFIELD_RO', 'k', 'GET', 'u8', '0'],
  ['BITFIELD_RO', 'k'],
  ['SORT', 'k'],
  ['SORT', 'k', 'STORE', 'd'],
  ['SORT', 'k', 'BY', 'w_*', 'GET', 'o_*', 'STORE', 'd'],
  ['SORT', 'k', 'LIMIT', '0', '1', 'STORE', 'd', 'ALPHA'],
  ['SORT', 'k', 'STORE'],
  ['SORT', 'k', 'store', 'd', 'store', 'e'],
  ['SORT', 'k', 'GET', 'STORE', 'd'],
  ['SORT_RO', 'k', 'BY', 'x'],
  ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
  ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
  ['ZUNIONSTORE', 'd', '3', 'a', 'b'],
  ['ZUNIONSTORE', 'd', '0', 'a'],
  ['ZUNIONSTORE', 'd', '-1', 'a'],
  ['ZUNIONSTORE', 'd', 'x', 'a'],
  ['ZINTERSTORE', 'd', '1', 'a'],
  ['ZDIFFSTORE', 'd', '2', 'a', 'b'],
  ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
  ['ZUNION', '5', 'a', 'b'],
  ['ZINTER', '0', 'a'],
  ['ZDIFF', '1', 'a'],
  ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
  ['ZINTERCARD', '3', 'a', 'b'],
  ['SINTERCARD', '2', 'a', 'b'],
  ['SINTERCARD', '1', 'a', 'LIMIT', '3'],
  ['SINTERCARD', '0', 'a'],
  ['LMPOP', '2', 'a', 'b', 'LEFT'],
  ['LMPOP', '1', 'a', 'RIGHT', 'COUNT', '2'],
  ['LMPOP', '3', 'a', 'LEFT'],
  ['BLMPOP', '0', '2', 'a', 'b', 'LEFT'],
  ['BLMPOP', '0', '9', 'a', 'b', 'LEFT'],
  ['ZMPOP', '2', 'a', 'b', 'MIN'],
  ['BZMPOP', '0', '1', 'a', 'MAX', 'COUNT', '3'],
  ['BLPOP', 'a', 'b', '0'],
  ['BRPOP', 'a', '0'],
  ['BZPOPMIN', 'a', 'b', 'c', '0'],
  ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0'],
  ['BRPOPLPUSH', 'a', 'b', '0'],
  ['MSET', 'a', '1', 'b', '2'],
  ['MSET', 'a', '1', 'b'],
  ['MSETNX', 'a', '1', 'b', '2', 'c', '3'],
  ['MGET', 'a', 'b', 'c'],
  ['DEL', 'a', 'b'],
  ['UNLINK', 'a'],
  ['EXISTS', 'a', 'b', 'a'],
  ['TOUCH', 'a', 'b'],
  ['WATCH', 'a', 'b'],
  ['RENAME', 'a', 'b'],
  ['COPY', 'a', 'b', 'DB', '1', 'REPLACE'],
  ['MOVE', 'a', '1'],
  ['SMOVE', 'a', 'b', 'm'],
  ['SINTERSTORE', 'd', 'a', 'b'],
  ['SDIFF', 'a', 'b', 'c'],
  ['BITOP', 'AND', 'd', 'a', 'b'],
  ['BITOP', 'NOT', 'd', 'a'],
  ['LCS', 'a', 'b', 'LEN'],
  ['GETEX', 'a', 'PERSIST'],
  ['OBJECT', 'ENCODING', 'a'],
  ['OBJECT', 'FREQ', 'a'],
  ['MEMORY', 'USAGE', 'a', 'SAMPLES', '3'],
  ['EVAL', 's', '2', 'a', 'b', 'x'],
  ['EVAL', 's', '0'],
  ['EVALSHA', 's', '1', 'a'],
  ['XREAD', 'STREAMS', 'a', 'b', '0', '0'],
  ['XREAD', 'COUNT', '1', 'STREAMS', 'a', '0'],
  ['XREAD', 'STREAMS', 'a', 'b', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'],
  ['MIGRATE', 'h', '1', 'a', '0', '10'],
  ['MIGRATE', 'h', '1', '', '0', '10', 'KEYS', 'a', 'b'],
  ['GEORADIUS', 'a', '1', '2', '3', 'm', 'STORE', 'd'],
  ['GEORADIUSBYMEMBER', 'a', 'm', '3', 'm', 'STOREDIST', 'd'],
  ['GEOSEARCHSTORE', 'd', 'a', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'm'],
  ['PFCOUNT', 'a', 'b'],
  ['PFMERGE', 'd', 'a', 'b'],
  ['PUBLISH', 'ch', 'msg'],
  ['SPUBLISH', 'ch', 'msg'],
  ['SSUBSCRIBE', 'a', 'b'],
  ['SUNSUBSCRIBE', 'a'],
  ['SUNSUBSCRIBE'],
  ['GET'],
  ['GET', 'a', 'b'],
  ['PING'],
  ['CLIENT', 'LIST'],
  ['NOSUCHCOMMAND', 'a'],
  ['CONFIG', 'NOSUCH'],
];

let common: string[] = [];
let redisOnly = new Set<string>();
let docs = new Map<string, Doc>();

async function loadTables(): Promise<void> {
  const r = await RawConnection.connect(pair.redis.port);
  const c = await RawConnection.connect(pair.cairn.port);
  try {
    await r.call(['HELLO', '3']);
    const mine = new Set((parseReply(await c.call(['COMMAND', 'LIST'])) as string[]).map(String));
    const theirs = (parseReply(await r.call(['COMMAND', 'LIST'])) as string[]).map(String);
    common = theirs.filter((n) => mine.has(n)).sort();
    redisOnly = new Set(theirs.filter((n) => !mine.has(n)));
    docs = new Map();
    const all = parseReply(await r.call(['COMMAND', 'DOCS'])) as Map<string, Doc>;
    for (const [name, d] of all) {
      docs.set(name, d);
      const subs = field(d, 'subcommands') as Map<string, Doc> | undefined;
      for (const [sub, sd] of subs ?? []) {
        docs.set(sub, sd);
        // A subcommand both have: Cairn's COMMAND INFO knows it.
        if (mine.has(name) && (parseReply(await c.call(['COMMAND', 'INFO', sub])) as RespValue[])[0] !== null) {
          common.push(sub);
        }
      }
    }
    common.sort();
  } finally {
    await r.close();
    await c.close();
  }
}

/** Representative argvs for every command (and subcommand) both servers implement. */
function argvs(): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const full of common) {
    const d = docs.get(full);
    if (d === undefined) continue;
    const prefix = full.split('|');
    const variants: [Mode, number][] = [
      ['min', 0],
      ['multi', 0],
      ['max', 0],
      ['max', 1],
      ['max', 2],
      ['max', 3],
    ];
    for (const [mode, pick] of variants) {
      const args = (field(d, 'arguments') as RespValue[] | undefined) ?? [];
      const argv = [...prefix, ...build(args, mode, { n: 0, pick })];
      const k = argv.join('\0');
      if (!seen.has(k)) {
        seen.add(k);
        out.push(argv);
      }
    }
  }
  return out;
}

/**
 * Sends each request to both servers (RESP2 or RESP3) and lists every reply that differs, so one run shows all
 * the differences at once.
 */
async function differences(requests: readonly string[][], resp: 2 | 3): Promise<string[]> {
  const conns = [await RawConnection.connect(pair.redis.port), await RawConnection.connect(pair.cairn.port)];
  const out: string[] = [];
  try {
    if (resp === 3) for (const c of conns) await c.call(['HELLO', '3']);
    for (const req of requests) {
      const [a, b] = [await conns[0]!.call(req), await conns[1]!.call(req)];
      if (!a.equals(b)) {
        out.push(
          `${JSON.stringify(req)}\n  redis: ${JSON.stringify(a.toString('latin1'))}\n  cairn: ${JSON.stringify(b.toString('latin1'))}`,
        );
      }
    }
  } finally {
    for (const c of conns) await c.close();
  }
  return out;
}

function getkeysScript(lines: readonly string[][]): string[][] {
  const s: string[][] = [];
  for (const l of lines) {
    s.push(['COMMAND', 'GETKEYS', ...l]);
    s.push(['COMMAND', 'GETKEYSANDFLAGS', ...l]);
  }
  return s;
}

describe('COMMAND GETKEYS / GETKEYSANDFLAGS', () => {
  before(loadTables);

  it('covers every common command', () => {
    assert.ok(common.length > 200, `only ${common.length} common commands`);
    assert.ok(argvs().length >= common.length + 150, `${argvs().length} argvs`);
  });

  for (const resp of [2, 3] as const) {
    it(`argvs built from COMMAND DOCS, RESP${resp}`, async () => {
      const d = await differences(getkeysScript(argvs()), resp);
      assert.equal(d.length, 0, d.join('\n'));
    });
    it(`hand-written argvs, RESP${resp}`, async () => {
      // Lines for commands only Redis has are left out; unknown commands stay (both must refuse them).
      const lines = EXTRA.filter((l) => common.includes(l[0]!.toLowerCase()) || !redisOnly.has(l[0]!.toLowerCase()));
      const d = await differences(getkeysScript(lines), resp);
      assert.equal(d.length, 0, d.join('\n'));
    });
  }

  it('COMMAND INFO of every common command and subcommand is identical', async () => {
    // Containers are compared through their subcommands (Cairn implements only some of each container's).
    const script: Script = common
      .filter((n) => field(docs.get(n) ?? new Map(), 'subcommands') === undefined)
      .map((n) => ['COMMAND', 'INFO', n]);
    assert.ok(script.length > 250, `${script.length} rows`);
    await compareScript(pair, script, { resp: 3 });
  });
});
