// ACL GETUSER / ACL LIST command-rule text against real Redis 7.0.15, for random rule sequences (fast-check):
// +@category/-@category, +command/-command, +command|subcommand/-command|subcommand and first-argument rules over
// the commands both servers have. Redis rebuilds the text from the permission bits (a base of +@all or -@all,
// then each category in its fixed order when most of that category's commands agree with the user, then single
// commands), counting over its whole command table. So a case is compared only when every category's decision is
// the same over both tables (a simulation of the rules over each table, from COMMAND INFO, says so); then Redis's
// tokens for commands Cairn lacks are dropped and the rest must be identical (runs of single-command tokens,
// which Redis writes in its hash-table order, compared sorted).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startPair } from '../support/servers.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';
import { ACL_CATEGORY_ORDER } from '../../src/commands/registry.js';

const CATEGORIES = ACL_CATEGORY_ORDER;

interface Entry {
  name: string;
  cats: string[];
  parent?: string;
}
type Table = Map<string, Entry>;

let pair: Awaited<ReturnType<typeof startPair>>;
const conns: Record<'redis' | 'cairn', RawConnection | undefined> = { redis: undefined, cairn: undefined };
const tables: Record<'redis' | 'cairn', Table> = { redis: new Map(), cairn: new Map() };

async function loadTable(c: RawConnection): Promise<Table> {
  const t: Table = new Map();
  const add = (row: RespValue[], parent?: string): void => {
    const name = String(row[0]);
    const cats = (row[6] as string[]).map((x) => x.slice(1));
    t.set(name, { name, cats, ...(parent ? { parent } : {}) });
    for (const s of row[9] as RespValue[][]) add(s, name);
  };
  for (const row of parseReply(await c.call(['COMMAND'])) as RespValue[][]) add(row);
  return t;
}

before(async () => {
  pair = await startPair();
  for (const side of ['redis', 'cairn'] as const) {
    conns[side] = await RawConnection.connect(pair[side].port);
    tables[side] = await loadTable(conns[side]!);
  }
});
after(async () => {
  for (const c of Object.values(conns)) await c?.close();
  await pair?.stop();
});

/** Applies the rules to a table's permission bits (the rules only name commands both tables have). */
function simulate(t: Table, rules: readonly string[]): Map<string, boolean> {
  const bits = new Map<string, boolean>();
  for (const e of t.values()) bits.set(e.name, false);
  const setCmd = (name: string, on: boolean): void => {
    bits.set(name, on);
    for (const e of t.values()) if (e.parent === name) bits.set(e.name, on);
  };
  for (const r of rules) {
    const on = r[0] === '+';
    if (r === '+@all' || r === '-@all') for (const k of bits.keys()) bits.set(k, on);
    else if (r[1] === '@') {
      for (const e of t.values()) if (e.cats.includes(r.slice(2))) setCmd(e.name, on);
    } else if (t.has(r.slice(1))) setCmd(r.slice(1), on);
  }
  return bits;
}

/**
 * The categories Redis's rebuild names for these rules over a table, in order: each round the category with more
 * commands agreeing with the user than not and the fewest disagreeing (ties: most agreeing, then first); its
 * commands then count as disagreeing. Used only to tell which cases the two tables decide alike.
 */
function decisions(t: Table, rules: readonly string[]): string {
  const bits = simulate(t, rules);
  const additive = !(rules.lastIndexOf('+@all') > rules.lastIndexOf('-@all'));
  const chosen: string[] = [];
  for (;;) {
    let best: string | undefined;
    let minDiff = Infinity;
    let maxSame = 0;
    for (const cat of CATEGORIES) {
      let on = 0;
      let off = 0;
      for (const e of t.values()) {
        if (!e.cats.includes(cat)) continue;
        if (bits.get(e.name)) on++;
        else off++;
      }
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = cat;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === undefined) break;
    chosen.push(best);
    for (const e of t.values()) {
      if (!e.cats.includes(best)) continue;
      bits.set(e.name, !additive);
      for (const x of t.values()) if (x.parent === e.name) bits.set(x.name, !additive);
    }
  }
  return chosen.join(' ');
}

/** Whether a rule token of Redis's text names something Cairn has (first-argument rules name their command). */
function cairnKnows(tok: string): boolean {
  if (tok[1] === '@') return true;
  const name = tok.slice(1);
  if (tables.cairn.has(name)) return true;
  return !tables.redis.has(name) && tables.cairn.has(name.split('|')[0]!);
}

function sortRuns(text: string): string {
  return text.replace(/[+-][^@\s()][^\s()]*(?: [+-][^@\s()][^\s()]*)*/g, (run) => run.split(' ').sort().join(' '));
}

async function rulesText(side: 'redis' | 'cairn', rules: readonly string[]): Promise<string> {
  const c = conns[side]!;
  const r = (await c.call(['ACL', 'SETUSER', 'u', 'reset', ...rules])).toString('latin1');
  assert.equal(r, '+OK\r\n', `${side}: ACL SETUSER u reset ${rules.join(' ')}: ${r}`);
  const list = parseReply(await c.call(['ACL', 'LIST'])) as string[];
  const line = list.find((l) => l.startsWith('user u '))!;
  const getuser = parseReply(await c.call(['ACL', 'GETUSER', 'u'])) as RespValue[];
  const cmds = String(getuser[getuser.indexOf('commands') + 1]);
  assert.ok(line.endsWith(' ' + cmds), `${side}: ACL LIST and GETUSER agree: ${line} / ${cmds}`);
  return cmds;
}

describe('ACL command-rule text', () => {
  it('matches Redis for random rule sequences over the common commands', async () => {
    const common = [...tables.cairn.values()].filter((e) => tables.redis.has(e.name));
    const tops = common
      .filter((e) => e.parent === undefined && ![...tables.redis.values()].some((x) => x.parent === e.name))
      .map((e) => e.name);
    const containers = common.filter((e) => e.parent === undefined && !tops.includes(e.name)).map((e) => e.name);
    const subs = common.filter((e) => e.parent !== undefined).map((e) => e.name);
    const rule = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.tuple(fc.constantFrom('+', '-'), fc.constantFrom(...CATEGORIES)).map(([s, c]) => `${s}@${c}`),
      },
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom('+', '-'), fc.constantFrom(...tops)).map(([s, c]) => s + c) },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom('+', '-'), fc.constantFrom(...containers)).map(([s, c]) => s + c),
      },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('+', '-'), fc.constantFrom(...subs)).map(([s, c]) => s + c) },
      { weight: 1, arbitrary: fc.constantFrom('+@all', '-@all') },
      { weight: 1, arbitrary: fc.constantFrom('+select|0', '+select|1', '+get|k', '+del|a', '-select', '+select') },
    );
    let compared = 0;
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { minLength: 1, maxLength: 12 }), async (rules) => {
        if (decisions(tables.redis, rules) !== decisions(tables.cairn, rules)) return;
        compared++;
        const redis = (await rulesText('redis', rules)).split(' ').filter(cairnKnows).join(' ');
        const cairn = await rulesText('cairn', rules);
        if (sortRuns(redis) !== sortRuns(cairn))
          problems.push(`${rules.join(' ')}\n  redis: ${redis}\n  cairn: ${cairn}`);
      }),
      { numRuns: 300, seed: 7 },
    );
    assert.equal(problems.length, 0, problems.slice(0, 10).join('\n'));
    assert.ok(compared >= 100, `only ${compared} comparable cases`);
  });

  it('matches Redis for hand-picked rule sets', async () => {
    const cases: string[][] = [
      ['+@all'],
      ['+@all', '-@dangerous'],
      ['+@all', '-@write', '+set'],
      ['+@read', '+@hash', '-hget'],
      ['+@list', '+@set', '-@blocking'],
      ['+client', '-client|kill'],
      ['+client|id', '+client|setname'],
      ['+@fast', '-@write'],
      ['+@string', '+@bitmap', '-setrange'],
      ['-@all', '+get', '+set', '+del'],
      ['+@all', '-@admin', '+config|get'],
      ['+select|0', '+select|1'],
      ['+@keyspace', '-@slow'],
      ['+@connection', '+@transaction', '-@pubsub'],
    ];
    const problems: string[] = [];
    for (const rules of cases) {
      const redis = (await rulesText('redis', rules)).split(' ').filter(cairnKnows).join(' ');
      const cairn = await rulesText('cairn', rules);
      const comparable = decisions(tables.redis, rules) === decisions(tables.cairn, rules);
      if (comparable && sortRuns(redis) !== sortRuns(cairn))
        problems.push(`${rules.join(' ')}\n  redis: ${redis}\n  cairn: ${cairn}`);
    }
    assert.equal(problems.length, 0, problems.join('\n'));
  });
});
