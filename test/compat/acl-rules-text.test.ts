// ACL GETUSER / ACL LIST command-rule text against real Redis 7.0.15, for random rule sequences (fast-check):
// +@category/-@category, +command/-command, +command|subcommand/-command|subcommand and first-argument rules over
// every command Redis has, those Cairn does not implement included (its ACL knows them all, with Redis's
// categories: src/acl/absent-commands.ts). Redis rebuilds the text from the permission bits (a base of +@all or
// -@all, then each category in its fixed order when most of that category's commands agree with the user, then
// single commands), counting over its whole command table, so the texts must be identical (runs of single-command
// tokens, which Redis writes in its hash-table order, compared sorted).

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
  it('matches Redis for random rule sequences over all of its commands', async () => {
    const all = [...tables.redis.values()];
    const tops = all.filter((e) => e.parent === undefined && !all.some((x) => x.parent === e.name)).map((e) => e.name);
    const containers = all.filter((e) => e.parent === undefined && !tops.includes(e.name)).map((e) => e.name);
    const subs = all.filter((e) => e.parent !== undefined).map((e) => e.name);
    // Some of each are commands Cairn lacks, so that the case this covers is really drawn.
    for (const n of ['eval', 'cluster', 'cluster|slots', 'latency|graph'])
      assert.ok(!tables.cairn.has(n) && tables.redis.has(n), n);
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
      {
        weight: 1,
        arbitrary: fc.constantFrom('+select|0', '+select|1', '+get|k', '+del|a', '-select', '+select', '+eval|x'),
      },
    );
    let compared = 0;
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { minLength: 1, maxLength: 12 }), async (rules) => {
        compared++;
        const redis = await rulesText('redis', rules);
        const cairn = await rulesText('cairn', rules);
        if (sortRuns(redis) !== sortRuns(cairn))
          problems.push(`${rules.join(' ')}\n  redis: ${redis}\n  cairn: ${cairn}`);
      }),
      { numRuns: 300, seed: 7 },
    );
    assert.equal(problems.length, 0, problems.slice(0, 10).join('\n'));
    assert.equal(compared, 300);
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
      ['+@all', '-@scripting', '-@geo', '-@stream', '-@hyperloglog'],
      ['-@all', '+@scripting'],
      ['+@all', '-eval', '-cluster', '+cluster|slots', '-latency|graph'],
      ['+ping', '+cluster|slots', '+cluster|nodes', '+eval|x', '+xadd', '+pfadd', '+dump', '+readonly'],
    ];
    const problems: string[] = [];
    for (const rules of cases) {
      const redis = await rulesText('redis', rules);
      const cairn = await rulesText('cairn', rules);
      if (sortRuns(redis) !== sortRuns(cairn))
        problems.push(`${rules.join(' ')}\n  redis: ${redis}\n  cairn: ${cairn}`);
    }
    assert.equal(problems.length, 0, problems.join('\n'));
  });
});
