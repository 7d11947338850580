// A background snapshot of collections is the dataset as it was at the cut, even when commands change lists,
// hashes, sets and sorted sets IN PLACE while the snapshot walks the keyspace: every handler that mutates a stored
// collection calls `db.willWrite(key)` first, so the before-write hook saves the old value before it changes.
//
// An embedded server gets a keyspace large enough that BGSAVE takes many walking steps; batches of in-place writes
// (through real commands, over TCP) run between the steps; the snapshot loaded into a fresh server must equal the
// dataset captured right before BGSAVE.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';
import type { Server } from '../../src/server/server.js';
import type { Value } from '../../src/keyspace/db.js';
import type { ListValue } from '../../src/types/list.js';
import type { Hash } from '../../src/types/hash.js';
import type { RandomSet } from '../../src/types/random-set.js';
import type { SortedSet } from '../../src/types/sorted-set.js';
import { RawConnection } from '../support/resp.js';
import { pipeline, tmpDir } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A value in a canonical, comparable form (collection contents, not object internals). */
function canonical(v: Value): unknown {
  if (typeof v === 'string') return ['string', v];
  switch (v.type) {
    case 'list':
      return ['list', (v as unknown as ListValue).toArray()];
    case 'hash': {
      const h = v as unknown as Hash;
      const pairs: [string, string][] = [];
      for (let i = 0; i < h.size; i++) pairs.push([h.fieldAt(i), h.valueAt(i)]);
      return ['hash', pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))];
    }
    case 'set':
      return ['set', [...(v as unknown as RandomSet).ordered()].sort()];
    case 'zset': {
      const z = v as unknown as SortedSet;
      const out: [string, number][] = [];
      for (let i = 0; i < z.size; i++) {
        const [m, s] = z.at(i) as unknown as [string, number];
        out.push([m, s]);
      }
      return ['zset', out];
    }
    default:
      return [v.type, '?'];
  }
}

/** Every key of every database with its value (canonical) and expiry, sorted. */
function dump(server: Server): string[] {
  const out: string[] = [];
  for (const db of server.keyspace.dbs) {
    for (const [k, e] of db.dict)
      out.push(JSON.stringify([db.id, k, canonical(db.vals[e]!), db.expires.get(k) ?? null]));
  }
  return out.sort();
}

const N = 6000; // keys per type
const ELEMENTS = 24;

/** Commands that fill the keyspace: N lists, hashes, sets, sorted sets and strings, a few with TTLs. */
function fillCommands(): string[][] {
  const cmds: string[][] = [];
  for (let i = 0; i < N; i++) {
    const els: string[] = [];
    for (let j = 0; j < ELEMENTS; j++) els.push(`e${j}`);
    cmds.push(['RPUSH', `l${i}`, ...els]);
    const hf: string[] = [];
    for (let j = 0; j < ELEMENTS; j++) hf.push(`f${j}`, `${i * j}`);
    cmds.push(['HSET', `h${i}`, ...hf]);
    cmds.push(['SADD', `s${i}`, ...els]);
    const zs: string[] = [];
    for (let j = 0; j < ELEMENTS; j++) zs.push(String(j), `m${j}`);
    cmds.push(['ZADD', `z${i}`, ...zs]);
    cmds.push(['SET', `str${i}`, `value-${i}`]);
    if (i % 7 === 0) cmds.push(['PEXPIRE', `h${i}`, '900000000']);
  }
  return cmds;
}

/** In-place writes on key number i of every type (and a few moves between keys that existed at the cut). */
function mutations(i: number, round: number): string[][] {
  const j = (i * 7 + round) % N;
  const r = String(round);
  return [
    ['LPUSH', `l${i}`, `new${r}`],
    ['RPOP', `l${i}`],
    ['LSET', `l${i}`, '3', `set${r}`],
    ['LINSERT', `l${i}`, 'BEFORE', 'e5', `ins${r}`],
    ['LREM', `l${i}`, '1', 'e7'],
    ['LTRIM', `l${i}`, '1', '-2'],
    ['LMOVE', `l${i}`, `l${j}`, 'LEFT', 'RIGHT'],
    ['LMPOP', '1', `l${j}`, 'RIGHT', 'COUNT', '2'],
    ['BLPOP', `l${j}`, `l${i}`, '0.01'],
    ['HSET', `h${i}`, 'f1', `changed${r}`, `nf${r}`, 'x'],
    ['HDEL', `h${i}`, 'f2', 'f3'],
    ['HINCRBY', `h${i}`, 'f4', '5'],
    ['HINCRBYFLOAT', `h${i}`, 'f5', '1.5'],
    ['HSETNX', `h${i}`, `nx${r}`, 'y'],
    ['SADD', `s${i}`, `added${r}`],
    ['SREM', `s${i}`, 'e1', 'e2'],
    ['SPOP', `s${i}`],
    ['SPOP', `s${i}`, '2'],
    ['SMOVE', `s${i}`, `s${j}`, 'e10'],
    ['ZADD', `z${i}`, '100', `zn${r}`, '-1', 'm3'],
    ['ZINCRBY', `z${i}`, '2.5', 'm4'],
    ['ZREM', `z${i}`, 'm5'],
    ['ZREMRANGEBYRANK', `z${i}`, '0', '0'],
    ['ZREMRANGEBYSCORE', `z${i}`, '10', '11'],
    ['ZREMRANGEBYLEX', `z${i}`, '[m20', '[m21'],
    ['ZPOPMIN', `z${i}`],
    ['ZPOPMAX', `z${i}`, '2'],
    ['ZMPOP', '1', `z${j}`, 'MIN'],
    ['BZPOPMAX', `z${j}`, `z${i}`, '0.01'],
    ['APPEND', `str${i}`, '+'],
    ['SETRANGE', `str${i}`, '2', 'XY'],
    ['SETBIT', `str${i}`, '3', '1'],
    ['BITFIELD', `str${i}`, 'INCRBY', 'u8', '8', '1'],
    ['PERSIST', `h${i}`],
    ['EXPIRE', `s${i}`, '5000'],
    // Emptied in place: the whole collection goes.
    ['LTRIM', `l${(i + 1) % N}`, '1', '0'],
    ['SPOP', `s${(i + 2) % N}`, '1000'],
  ];
}

/** The first differences between two sorted dumps, for a readable failure. */
function firstDifferences(got: string[], want: string[], max = 5): string[] {
  const g = new Set(got);
  const w = new Set(want);
  const out: string[] = [];
  for (const x of want) if (!g.has(x) && out.length < max) out.push('missing or different: ' + x.slice(0, 300));
  for (const x of got) if (!w.has(x) && out.length < 2 * max) out.push('unexpected: ' + x.slice(0, 300));
  return out;
}

test('BGSAVE while collections are changed in place saves the dataset at the cut', async () => {
  const dir = tmpDir('pit-coll');
  const s = await startServer({ port: 0, dir });
  const conn = await RawConnection.connect(s.port);
  let atCut: string[];
  try {
    const fill = fillCommands();
    for (let k = 0; k < fill.length; k += 5000) await pipeline(conn, fill.slice(k, k + 5000));
    atCut = dump(s.server);
    assert.ok(atCut.length >= 5 * N);

    let round = 0;
    const batch = (): string[][] => {
      const out: string[][] = [];
      for (let n = 0; n < 40; n++) out.push(...mutations((round * 131 + n * 17) % N, round));
      round++;
      return out;
    };
    // BGSAVE and the first batch of writes arrive together: the writes run right after the cut.
    const first = await pipeline(conn, [['BGSAVE'], ...batch()]);
    assert.equal(first[0]!.toString('latin1'), '+Background saving started\r\n');
    let during = 0;
    while (s.server.persistence.jobKind !== null) {
      // More writes between the snapshot's walking steps.
      await pipeline(conn, batch());
      if (s.server.persistence.jobKind !== null) during++;
      await sleep(1);
    }
    assert.ok(during >= 3, `the snapshot should span several write batches (it spanned ${during})`);
    assert.notDeepEqual(dump(s.server), atCut, 'the writes changed the dataset');
  } finally {
    await conn.close();
    await s.close();
  }
  const s2 = await startServer({ port: 0, dir });
  try {
    const loaded = dump(s2.server);
    const diff = firstDifferences(loaded, atCut);
    assert.deepEqual(diff, [], 'the loaded snapshot differs from the dataset at the cut');
    assert.equal(loaded.length, atCut.length);
  } finally {
    await s2.close();
  }
});
