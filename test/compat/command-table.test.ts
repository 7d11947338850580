// The command table against real Redis 7.0.15: for every command and subcommand Cairn declares, COMMAND INFO
// must give the same bytes (RESP2 and RESP3), and so must COMMAND DOCS (but for containers' subcommand order).
// A row Redis 7.0.15 does not have (a later addition) is a failure: a command is Redis 7.0's or absent. A container's
// subcommand list is compared by name only (Redis orders it by hash, and each subcommand has its own check).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sharedPair } from '../support/servers.js';
import { RawConnection, formatReply, parseReply, replyElements, type RespValue } from '../support/resp.js';

const getPair = sharedPair();

interface Conns {
  redis: RawConnection;
  cairn: RawConnection;
}

async function open(resp: 2 | 3): Promise<Conns> {
  const pair = await getPair();
  const redis = await RawConnection.connect(pair.redis.port);
  const cairn = await RawConnection.connect(pair.cairn.port);
  if (resp === 3) {
    await redis.call(['HELLO', '3']);
    await cairn.call(['HELLO', '3']);
  }
  return { redis, cairn };
}

/** Every full command name in Cairn's table, from COMMAND LIST (which is derived from the table). */
async function cairnNames(conn: RawConnection): Promise<string[]> {
  const v = parseReply(await conn.call(['COMMAND', 'LIST'])) as RespValue[];
  return (v as string[]).slice().sort();
}

function rowElements(reply: Buffer): Buffer[] | undefined {
  const outer = replyElements(reply);
  if (!outer || outer.elements.length !== 1)
    throw new Error(`unexpected COMMAND INFO reply: ${formatReply(reply, 200)}`);
  return replyElements(outer.elements[0]!)?.elements;
}

function subcommandNames(el: Buffer): string[] {
  const v = parseReply(el);
  if (!Array.isArray(v) && !(v instanceof Set)) return [];
  return [...(v as Iterable<RespValue>)].map((row) => String((row as RespValue[])[0])).sort();
}

const FIELD_NAMES = ['name', 'arity', 'flags', 'first key', 'last key', 'step', 'ACL categories', 'tips', 'key specs'];

/** Compares one row; returns a description of each difference, or [] when equal. Undefined when Redis lacks it. */
async function compareRow(conns: Conns, name: string): Promise<string[] | undefined> {
  const [r, c] = await Promise.all([
    conns.redis.call(['COMMAND', 'INFO', name]),
    conns.cairn.call(['COMMAND', 'INFO', name]),
  ]);
  const re = rowElements(r);
  const ce = rowElements(c);
  if (re === undefined) return undefined;
  if (ce === undefined) return [`${name}: Cairn has no row`];
  const diffs: string[] = [];
  for (let i = 0; i < 9; i++) {
    if (!re[i]!.equals(ce[i]!)) {
      diffs.push(`${name} ${FIELD_NAMES[i]}: redis ${formatReply(re[i]!, 600)} / cairn ${formatReply(ce[i]!, 600)}`);
    }
  }
  const rs = subcommandNames(re[9]!);
  const cs = subcommandNames(ce[9]!);
  if (rs.length === 0 && cs.length === 0 && !re[9]!.equals(ce[9]!)) {
    diffs.push(`${name} subcommands: redis ${formatReply(re[9]!)} / cairn ${formatReply(ce[9]!)}`);
  }
  if ((rs.length === 0) !== (cs.length === 0)) diffs.push(`${name}: container in one server only`);
  // COMMAND DOCS byte for byte (summary, since, group, complexity, history, arguments, …), except for containers,
  // whose subcommand docs come in Redis's hash order.
  if (rs.length === 0) {
    const [rd, cd] = await Promise.all([
      conns.redis.call(['COMMAND', 'DOCS', name]),
      conns.cairn.call(['COMMAND', 'DOCS', name]),
    ]);
    if (!rd.equals(cd)) diffs.push(`${name} docs: redis ${formatReply(rd, 800)} / cairn ${formatReply(cd, 800)}`);
  }
  return diffs;
}

for (const resp of [2, 3] as const) {
  describe(`COMMAND INFO rows match Redis 7.0.15 (RESP${resp})`, () => {
    let conns: Conns;
    before(async () => {
      conns = await open(resp);
    });
    after(async () => {
      await Promise.all([conns.redis.close(), conns.cairn.close()]);
    });

    it('every command and subcommand in the table', async () => {
      const names = await cairnNames(conns.cairn);
      assert.ok(names.length > 0);
      const diffs: string[] = [];
      const absent: string[] = [];
      for (const n of names) {
        const d = await compareRow(conns, n);
        if (d === undefined) absent.push(n);
        else diffs.push(...d);
      }
      assert.deepEqual(absent, [], 'rows Redis 7.0.15 does not have');
      assert.deepEqual(diffs, [], `rows that differ from Redis 7.0.15:\n${diffs.join('\n')}`);
    });

    it('COMMAND INFO of several names, unknown ones and container|sub names', async () => {
      for (const args of [
        ['COMMAND', 'INFO', 'nosuchcommand'],
        ['COMMAND', 'INFO', 'config|get'],
        ['COMMAND', 'INFO', 'CONFIG|GET'],
        ['COMMAND', 'INFO', 'config|nosuch'],
        ['COMMAND', 'INFO', 'ping|x'],
        ['COMMAND', 'INFO', 'time', 'nosuch', 'command|count'],
      ]) {
        const [r, c] = await Promise.all([conns.redis.call(args), conns.cairn.call(args)]);
        assert.equal(formatReply(c), formatReply(r), args.join(' '));
      }
    });
  });
}

describe('COMMAND DOCS basics match Redis 7.0.15 for every row', () => {
  let conns: Conns;
  before(async () => {
    conns = await open(3);
  });
  after(async () => {
    await Promise.all([conns.redis.close(), conns.cairn.close()]);
  });

  it('summary, since, group, complexity, doc_flags, deprecated_since, replaced_by', async () => {
    const names = await cairnNames(conns.cairn);
    const diffs: string[] = [];
    const keys = ['summary', 'since', 'group', 'complexity', 'doc_flags', 'deprecated_since', 'replaced_by'];
    for (const n of names) {
      const [r, c] = await Promise.all([
        conns.redis.call(['COMMAND', 'DOCS', n]),
        conns.cairn.call(['COMMAND', 'DOCS', n]),
      ]);
      const rm = parseReply(r) as Map<string, Map<string, RespValue>>;
      const cm = parseReply(c) as Map<string, Map<string, RespValue>>;
      const rd = rm.get(n);
      const cd = cm.get(n);
      if (rd === undefined) continue;
      if (cd === undefined) {
        diffs.push(`${n}: no docs`);
        continue;
      }
      for (const k of keys) {
        const rv = JSON.stringify(rd.get(k) instanceof Set ? [...(rd.get(k) as unknown as Set<RespValue>)] : rd.get(k));
        const cv = JSON.stringify(cd.get(k) instanceof Set ? [...(cd.get(k) as unknown as Set<RespValue>)] : cd.get(k));
        if (rv !== cv) diffs.push(`${n} ${k}: redis ${rv} / cairn ${cv}`);
      }
    }
    assert.deepEqual(diffs, [], `docs that differ from Redis 7.0.15:\n${diffs.join('\n')}`);
  });
});
