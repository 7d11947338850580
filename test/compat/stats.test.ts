// INFO counters against real Redis 7.0.15 where a command's effect reaches other clients or the statistics are
// reset: failures of blocked commands (CLIENT UNBLOCK … ERROR, a served BLMOVE that meets WRONGTYPE), DEBUG ERROR
// (a raw reply that counts as no error), DEBUG DIGEST-VALUE (no keyspace hit), CONFIG RESETSTAT and the
// instantaneous rates, the eviction-exceeded time and the memory peak; and SPOP with a count that leaves a few
// integers (an intset again, as Redis rebuilds the set).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { onBothServers, sharedPair } from '../support/servers.js';
import { RawConnection, parseReply } from '../support/resp.js';

const getPair = sharedPair({ cairnOptions: { 'enable-debug-command': 'yes' } });
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function text(c: RawConnection, args: string[]): Promise<string> {
  return (await c.call(args, 10_000)).toString('latin1');
}

/** INFO <section> lines, timings blanked, sorted. */
async function infoLines(c: RawConnection, section: string, keep: RegExp): Promise<string[]> {
  const v = parseReply(await c.call(['INFO', section], 10_000)) as string;
  return v
    .split('\r\n')
    .filter((l) => keep.test(l))
    .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=X'))
    .sort();
}

function field(info: string, name: string): string {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info.replace(/\r/g, ''))?.[1] ?? '';
}

/** Runs `scenario` on both servers; returns [redis, cairn] transcripts. */
async function onBoth(scenario: (port: number) => Promise<string[]>): Promise<[string[], string[]]> {
  return onBothServers(await getPair(), scenario);
}

describe('INFO counters (differential)', () => {
  it('a blocked command ended by an error or by CLIENT UNBLOCK counts as failed, and so does CLIENT UNBLOCK … ERROR', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const a = await RawConnection.connect(port);
      const b = await RawConnection.connect(port);
      const out: string[] = [];
      try {
        await a.call(['FLUSHALL']);
        await a.call(['CONFIG', 'RESETSTAT']);
        await a.call(['SET', 'dst', 'x']);
        const bid = /^:(\d+)/.exec(await text(b, ['CLIENT', 'ID']))![1]!;
        b.send(['BLMOVE', 'q', 'dst', 'LEFT', 'RIGHT', '0']);
        await delay(50);
        out.push(await text(a, ['LPUSH', 'q', 'v']));
        out.push((await b.readReply(5000)).toString('latin1'));
        out.push(await text(a, ['PING']));
        b.send(['BLPOP', 'q2', '0']);
        await delay(50);
        out.push(await text(a, ['CLIENT', 'UNBLOCK', bid, 'ERROR']));
        out.push((await b.readReply(5000)).toString('latin1'));
        b.send(['BRPOP', 'q3', '0']);
        await delay(50);
        out.push(await text(a, ['CLIENT', 'UNBLOCK', bid, 'TIMEOUT']));
        out.push((await b.readReply(5000)).toString('latin1'));
        // A timeout of its own is no failure.
        b.send(['BRPOP', 'q3', '0.05']);
        out.push((await b.readReply(5000)).toString('latin1'));
        out.push(await text(a, ['ECHO', 'x']));
        out.push(...(await infoLines(a, 'commandstats', /^cmdstat_/)));
        out.push(...(await infoLines(a, 'errorstats', /^errorstat_/)));
        out.push(...(await infoLines(a, 'stats', /^total_error_replies:/)));
      } finally {
        await a.close();
        await b.close();
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
    assert.ok(redis.includes('cmdstat_blpop:calls=1,usec=X,rejected_calls=0,failed_calls=1'), redis.join('\n'));
  });

  it('DEBUG ERROR writes a raw error: no error statistics, line breaks as spaces', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const a = await RawConnection.connect(port);
      try {
        await a.call(['CONFIG', 'RESETSTAT']);
        const out = [await text(a, ['DEBUG', 'ERROR', 'foo bar']), await text(a, ['DEBUG', 'ERROR', 'x\r\ny\n'])];
        out.push(...(await infoLines(a, 'commandstats', /^cmdstat_debug/)));
        out.push(...(await infoLines(a, 'errorstats', /^errorstat_/)));
        out.push(...(await infoLines(a, 'stats', /^total_error_replies:/)));
        return out;
      } finally {
        await a.close();
      }
    });
    assert.deepEqual(cairn, redis);
    assert.equal(redis[1], '-x  y \r\n');
  });

  it('DEBUG DIGEST-VALUE counts no keyspace hit or miss', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const a = await RawConnection.connect(port);
      try {
        await a.call(['FLUSHALL']);
        await a.call(['SET', 's', 'abc']);
        await a.call(['CONFIG', 'RESETSTAT']);
        const r = parseReply(await a.call(['DEBUG', 'DIGEST-VALUE', 's', 'nosuch'])) as string[];
        return [String(r.length), r[1]!, ...(await infoLines(a, 'stats', /^keyspace_(hits|misses):/))];
      } finally {
        await a.close();
      }
    });
    assert.deepEqual(cairn, redis);
  });

  it('CONFIG RESETSTAT restarts the instantaneous rates from zero (never negative) and keeps the memory peak', async () => {
    const pair = await getPair();
    for (const [name, port] of [
      ['redis', pair.redis.port],
      ['cairn', pair.cairn.port],
    ] as const) {
      const a = await RawConnection.connect(port);
      try {
        a.sendRaw(Buffer.from('PING\r\n'.repeat(5000)));
        for (let i = 0; i < 5000; i++) await a.readReply(10_000);
        await delay(250);
        const peak = field(parseReply(await a.call(['INFO', 'memory'])) as string, 'used_memory_peak');
        await a.call(['CONFIG', 'RESETSTAT']);
        await delay(250);
        const stats = parseReply(await a.call(['INFO', 'stats'])) as string;
        for (const f of ['instantaneous_ops_per_sec', 'instantaneous_input_kbps', 'instantaneous_output_kbps']) {
          const v = Number(field(stats, f));
          assert.ok(v >= 0 && v < 1000, `${name} ${f}:${field(stats, f)}`);
        }
        const after = field(parseReply(await a.call(['INFO', 'memory'])) as string, 'used_memory_peak');
        assert.ok(Number(after) >= Number(peak), `${name}: used_memory_peak ${peak} -> ${after}`);
      } finally {
        await a.close();
      }
    }
  });

  it('CONFIG RESETSTAT clears the eviction-exceeded time', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const a = await RawConnection.connect(port);
      try {
        await a.call(['FLUSHALL']);
        await a.call(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
        await a.call(['SET', 'big', 'x'.repeat(100_000)]);
        await a.call(['CONFIG', 'SET', 'maxmemory', '1']);
        const out = [await text(a, ['SET', 'x', 'y'])];
        await a.call(['CONFIG', 'SET', 'maxmemory', '0']);
        await delay(50);
        const before = parseReply(await a.call(['INFO', 'stats'])) as string;
        out.push(String(Number(field(before, 'current_eviction_exceeded_time')) > 0));
        await a.call(['CONFIG', 'RESETSTAT']);
        await delay(200);
        out.push(...(await infoLines(a, 'stats', /^(total|current)_eviction_exceeded_time:/)));
        await a.call(['FLUSHALL']);
        return out;
      } finally {
        await a.close();
      }
    });
    assert.deepEqual(cairn, redis);
    assert.deepEqual(redis.slice(1), ['true', 'current_eviction_exceeded_time:0', 'total_eviction_exceeded_time:0']);
  });
});

describe('lazy frees (differential)', () => {
  it('lazyfreed_objects counts what Redis frees in the background: UNLINK, ASYNC flushes, the lazyfree-lazy-* settings', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const c = await RawConnection.connect(port);
      const out: string[] = [];
      // Redis counts a lazy free when its background thread has done it: wait for nothing to be pending.
      const count = async (label: string): Promise<void> => {
        for (let i = 0; i < 100; i++) {
          await delay(i === 0 ? 30 : 10);
          if (field(await text(c, ['INFO', 'memory']), 'lazyfree_pending_objects') === '0') break;
        }
        out.push(`${label}: ${field(await text(c, ['INFO', 'memory']), 'lazyfreed_objects')}`);
      };
      const members = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      const pairs = (n: number): string[] => members('f', n).flatMap((f) => [f, 'v']);
      try {
        await text(c, ['FLUSHALL']);
        for (const name of ['eviction', 'expire', 'server-del', 'user-del', 'user-flush']) {
          out.push(await text(c, ['CONFIG', 'GET', `lazyfree-lazy-${name}`]));
        }
        await text(c, ['CONFIG', 'RESETSTAT']);
        await count('start');
        await text(c, ['DEBUG', 'POPULATE', '100']);
        await text(c, ['FLUSHALL', 'ASYNC']);
        await count('FLUSHALL ASYNC of 100 keys');
        await text(c, ['DEBUG', 'POPULATE', '30']);
        await text(c, ['FLUSHDB', 'SYNC']);
        await text(c, ['DEBUG', 'POPULATE', '30']);
        await text(c, ['FLUSHDB']);
        await count('sync flushes');
        await text(c, ['SADD', 'big', ...members('m', 100)]);
        await text(c, ['SADD', 'small', ...members('m', 10)]);
        await text(c, ['SADD', 'ints', ...Array.from({ length: 300 }, (_, i) => String(i))]);
        await text(c, ['ZADD', 'z', ...members('', 200).flatMap((m) => ['1', `z${m}`])]);
        await text(c, ['HSET', 'h', ...pairs(600)]);
        await text(c, ['HSET', 'hs', ...pairs(10)]);
        await text(c, ['RPUSH', 'l', ...Array.from({ length: 20_000 }, () => 'x'.repeat(100))]);
        await text(c, ['RPUSH', 'ls', 'a', 'b']);
        await text(c, ['SET', 's', 'x'.repeat(10_000)]);
        await text(c, ['UNLINK', 'big', 'small', 'ints', 'z', 'h', 'hs', 'l', 'ls', 's', 'missing']);
        await count('UNLINK of big and small values');
        await text(c, ['SADD', 'big', ...members('m', 100)]);
        await text(c, ['DEL', 'big']);
        await count('DEL');
        await text(c, ['CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes']);
        await text(c, ['SADD', 'big', ...members('m', 100)]);
        await text(c, ['DEL', 'big']);
        await count('DEL with lazyfree-lazy-user-del');
        await text(c, ['SADD', 'big', ...members('m', 100)]);
        await text(c, ['SET', 'big', 'x']);
        await count('SET over a big set');
        await text(c, ['CONFIG', 'SET', 'lazyfree-lazy-server-del', 'yes']);
        await text(c, ['SADD', 'big', ...members('m', 100)]);
        await text(c, ['SET', 'big', 'x']);
        await text(c, ['ZADD', 'z', ...members('', 200).flatMap((m) => ['1', `z${m}`])]);
        await text(c, ['ZADD', 'z2', '1', 'a']);
        await text(c, ['RENAME', 'z2', 'z']);
        await count('overwrites with lazyfree-lazy-server-del');
        await text(c, ['DEBUG', 'POPULATE', '20']);
        await text(c, ['CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes']);
        await text(c, ['FLUSHALL']);
        await count('FLUSHALL with lazyfree-lazy-user-flush');
        await text(c, ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes']);
        await text(c, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
        await text(c, ['SADD', 'big', ...members('m', 100)]);
        await text(c, ['PEXPIRE', 'big', '5']);
        await delay(30);
        out.push(await text(c, ['EXISTS', 'big']));
        await count('an expired big set with lazyfree-lazy-expire');
        await text(c, ['CONFIG', 'RESETSTAT']);
        await count('after RESETSTAT');
      } finally {
        await text(c, ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
        for (const name of ['eviction', 'expire', 'server-del', 'user-del', 'user-flush']) {
          await text(c, ['CONFIG', 'SET', `lazyfree-lazy-${name}`, 'no']);
        }
        await c.close();
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
    assert.ok(redis.includes('UNLINK of big and small values: 104'), redis.join('\n'));
  });
});

describe('INFO latencystats (differential)', () => {
  it('per-command percentiles, their configuration, blocking commands and subcommands; timings blanked', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const c = await RawConnection.connect(port);
      const other = await RawConnection.connect(port);
      const out: string[] = [];
      // Lines sorted (Redis lists commands in its hash table's order), each number blanked but its shape.
      const stats = async (): Promise<string> =>
        (await infoLines(c, 'latencystats', /./)).map((l) => l.replace(/=\d+\.\d{3}/g, '=N.NNN')).join(' | ');
      try {
        for (const v of ['50 99 99.9', '', '0 100', '99.99999', '5 1e2', 'abc', '101', '-1', '50 nan', 'inf']) {
          out.push(await text(c, ['CONFIG', 'SET', 'latency-tracking-info-percentiles', v]));
          out.push(await text(c, ['CONFIG', 'GET', 'latency-tracking-info-percentiles']));
        }
        await text(c, ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9']);
        out.push(await text(c, ['CONFIG', 'GET', 'latency-tracking']));
        await text(c, ['CONFIG', 'RESETSTAT']);
        out.push(await stats());
        await text(c, ['SET', 'k', 'v']);
        await text(c, ['GET', 'k']);
        await text(c, ['GET', 'k']);
        await text(c, ['CLIENT', 'ID']);
        await text(c, ['OBJECT', 'ENCODING', 'k']);
        out.push(await stats());
        out.push((await infoLines(c, 'everything', /^# /)).join(' '));
        out.push((await infoLines(c, 'default', /^# Latency/)).join(' '));
        await text(c, ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '0.5 75']);
        out.push(await stats());
        other.send(['BLPOP', 'q', '0']);
        await delay(50);
        await text(c, ['RPUSH', 'q', 'x']);
        await other.readReply();
        out.push(await stats());
        await text(c, ['CONFIG', 'SET', 'latency-tracking', 'no']);
        out.push(await text(c, ['INFO', 'latencystats']));
        await text(c, ['CONFIG', 'SET', 'latency-tracking', 'yes']);
        await text(c, ['CONFIG', 'RESETSTAT']);
        out.push(await stats());
      } finally {
        await text(c, ['CONFIG', 'SET', 'latency-tracking', 'yes']);
        await text(c, ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9']);
        await c.close();
        await other.close();
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
  });
});

describe('LATENCY HISTOGRAM (differential)', () => {
  it('all commands, a subset, containers and subcommands, unknown names; bucket values blanked', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const c = await RawConnection.connect(port);
      const out: string[] = [];
      // Each entry as name:calls:(buckets ascending and ending at calls); entries sorted (Redis lists commands in
      // its hash table's order). Raw RESP2 bytes would differ only in the microsecond keys.
      const histogram = async (...names: string[]): Promise<string> => {
        const v = parseReply(await c.call(['LATENCY', 'HISTOGRAM', ...names])) as unknown[];
        const entries: string[] = [];
        for (let i = 0; i < v.length; i += 2) {
          const body = v[i + 1] as unknown[];
          const calls = body[1] as number;
          const buckets = body[3] as number[];
          let ok = buckets.length > 0 && buckets[buckets.length - 1] === calls;
          for (let j = 2; j < buckets.length; j += 2)
            ok &&= buckets[j]! > buckets[j - 2]! && buckets[j + 1]! > buckets[j - 1]!;
          entries.push(`${String(v[i])}:${String(body[0])}=${calls}:${String(body[2])}:${ok}`);
        }
        return `${v.length / 2} [${entries.sort().join(' ')}]`;
      };
      try {
        await text(c, ['CONFIG', 'RESETSTAT']);
        out.push(await histogram());
        await text(c, ['SET', 'a', 'b']);
        await text(c, ['SET', 'c', 'd']);
        out.push(await histogram());
        await text(c, ['CONFIG', 'RESETSTAT']);
        await text(c, ['CLIENT', 'ID']);
        await text(c, ['CLIENT', 'LIST']);
        out.push(await histogram('client'));
        out.push(await histogram('client|id'));
        out.push(await histogram('CLIENT|ID', 'nosuch', 'client|nosuch', 'x|y|z'));
        await text(c, ['CONFIG', 'RESETSTAT']);
        await text(c, ['SET', 'a', 'b']);
        await text(c, ['SET', 'c', 'd']);
        await text(c, ['GET', 'a']);
        await text(c, ['HSET', 'f', 'k', 'v']);
        await text(c, ['HGETALL', 'f']);
        out.push(await histogram('set', 'hset'));
        out.push(await histogram('hgetall', 'get', 'zadd'));
        out.push(await histogram('blabla'));
        out.push(await histogram('blabla', 'blabla2', 'set', 'get', 'set'));
        out.push((await c.call(['LATENCY', 'HISTOGRAM', 'nosuch'])).toString('latin1'));
        out.push((await text(c, ['LATENCY', 'HELP'])).includes('HISTOGRAM [COMMAND ...]') ? 'help' : 'no help');
      } finally {
        await c.close();
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
  });
});

describe('INFO stats and clients fields (differential)', () => {
  it('the same fields in the same order as Redis', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const a = await RawConnection.connect(port);
      try {
        const names = (section: string): Promise<string[]> =>
          a.call(['INFO', section]).then((r) =>
            (parseReply(r) as string)
              .split('\r\n')
              .filter((l) => l.includes(':'))
              .map((l) => l.slice(0, l.indexOf(':'))),
          );
        return [...(await names('stats')), '--', ...(await names('clients'))];
      } finally {
        await a.close();
      }
    });
    assert.deepEqual(cairn, redis);
  });

  it('reads, writes, tracking tables and clients blocked with a timeout are counted as Redis counts them', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const a = await RawConnection.connect(port);
      const t = await RawConnection.connect(port);
      const b = await RawConnection.connect(port);
      const pick = async (re: RegExp): Promise<string[]> => [
        ...(await infoLines(a, 'stats', re)),
        ...(await infoLines(a, 'clients', re)),
      ];
      const out: string[] = [];
      try {
        await a.call(['FLUSHALL']);
        await a.call(['MSET', 'k1', '1', 'k2', '2', 'k3', '3']);
        await t.call(['HELLO', '3']);
        await t.call(['CLIENT', 'TRACKING', 'on']);
        await t.call(['MGET', 'k1', 'k2']);
        await a.call(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p:', 'PREFIX', 'q:']);
        const tid = /^:(\d+)/.exec(await text(t, ['CLIENT', 'ID']))![1]!;
        await b.call(['CLIENT', 'TRACKING', 'on', 'REDIRECT', tid]);
        await b.call(['GET', 'k2']);
        out.push(...(await pick(/^tracking_total_(keys|items|prefixes):/)));
        b.send(['BLPOP', 'q', '10']);
        const c = await RawConnection.connect(port);
        c.send(['BLPOP', 'q', '0']);
        await delay(50);
        out.push(...(await pick(/^(clients_in_timeout_table|blocked_clients):/)));
        await a.call(['RPUSH', 'q', 'x', 'y']);
        await b.readReply(5000);
        await c.readReply(5000);
        await c.close();
        out.push(...(await pick(/^(clients_in_timeout_table|blocked_clients):/)));
        await a.call(['CLIENT', 'TRACKING', 'off']);
        await a.call(['CONFIG', 'RESETSTAT']);
        for (let i = 0; i < 20; i++) await a.call(['PING']);
        out.push(...(await pick(/^(total_reads_processed|total_writes_processed|total_forks|sync_full):/)));
      } finally {
        await a.close();
        await t.close();
        await b.close();
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
    assert.ok(redis.includes('clients_in_timeout_table:1'), redis.join('\n'));
    assert.ok(
      redis.includes('tracking_total_items:3') && redis.includes('tracking_total_prefixes:2'),
      redis.join('\n'),
    );
  });
});

describe('SPOP with a count (differential)', () => {
  it('leaving fewer than count / 5 members builds a new set: integers are an intset again', async () => {
    const [redis, cairn] = await onBoth(async (port) => {
      const a = await RawConnection.connect(port);
      const out: string[] = [];
      try {
        await a.call(['FLUSHALL']);
        for (const [n, pop] of [
          [515, 500],
          [600, 595],
          [600, 400],
          [600, 500],
          [600, 501],
        ] as const) {
          const members = Array.from({ length: n }, (_, i) => String(i));
          await a.call(['SADD', 'si', ...members]);
          out.push(await text(a, ['OBJECT', 'ENCODING', 'si']));
          const popped = parseReply(await a.call(['SPOP', 'si', String(pop)])) as string[];
          out.push(`${popped.length} ${new Set(popped).size}`);
          out.push(await text(a, ['SCARD', 'si']), await text(a, ['OBJECT', 'ENCODING', 'si']));
          await a.call(['DEL', 'si']);
        }
        await a.call(['SADD', 'mixed', 'a', ...Array.from({ length: 600 }, (_, i) => String(i))]);
        await a.call(['SPOP', 'mixed', '599']);
        out.push(await text(a, ['SCARD', 'mixed']));
      } finally {
        await a.close();
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
    assert.equal(redis[3], '$6\r\nintset\r\n');
  });
});
