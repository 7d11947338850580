// Blocking list commands with several concurrent connections, against real Redis 7.0.15: every connection is
// opened to both servers and sent the same messages in the same order; each reply must be byte-identical.
// FIFO service of waiters, timeouts, disconnects, BLMOVE chains, pushes waking several clients, a waiter served
// from the first key to become ready, pipelines held while blocked, wrong types met when served, SWAPDB, CLIENT
// KILL; plus in-process checks of the effects of served waiters and of "no blocking inside a nested call".

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';
import type { Effect } from '../../src/persistence/effects.js';
import { CommandEntry } from '../../src/commands/registry.js';
import type { Client } from '../../src/server/client.js';
import { parseReply } from '../support/resp.js';
import { Duo, useRedisAndCairn, waitBlocked, blockingScene } from '../support/duo.js';

const ports = useRedisAndCairn();

for (const resp of [2, 3] as const) {
  describe(`blocking with several connections (RESP${resp})`, () => {
    const NULLARR = resp === 2 ? '*-1\r\n' : '_\r\n';
    let ctl!: Duo;
    const { conn, fresh } = blockingScene(ports, resp, (c) => (ctl = c));

    test('two waiters on one key are served first come, first served', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      a.send(['BLPOP', 'q', '0']);
      await waitBlocked(ctl, 1);
      b.send(['BLPOP', 'q', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['RPUSH', 'q', 'one', 'two', 'three']);
      await a.expect('A BLPOP', '*2\r\n$1\r\nq\r\n$3\r\none\r\n');
      await b.expect('B BLPOP');
      await ctl.call(['LRANGE', 'q', '0', '-1']);
      // One element for two waiters: only the first is served.
      a.send(['BRPOP', 'q2', '0']);
      await waitBlocked(ctl, 1);
      b.send(['BRPOP', 'q2', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['LPUSH', 'q2', 'x']);
      await a.expect('A BRPOP');
      await b.quiet();
      await ctl.call(['EXISTS', 'q2'], ':0\r\n');
      await ctl.call(['LPUSH', 'q2', 'y']);
      await b.expect('B BRPOP');
      await ctl.call(['EXISTS', 'q2'], ':0\r\n');
    });

    test('timeouts: fractional seconds reply with a null array; forms that time out', async () => {
      await fresh();
      const a = await conn('A');
      const t0 = Date.now();
      await a.call(['BLPOP', 'q', '0.15'], NULLARR);
      assert.ok(Date.now() - t0 >= 140, 'BLPOP returned before its timeout');
      await a.call(['BRPOP', 'q', 'r', '0.05'], NULLARR);
      await a.call(['BLMOVE', 'q', 'd', 'LEFT', 'RIGHT', '0.05'], NULLARR);
      await a.call(['BRPOPLPUSH', 'q', 'd', '0.05'], NULLARR);
      await a.call(['BLMPOP', '0.05', '2', 'q', 'r', 'LEFT', 'COUNT', '3'], NULLARR);
      await ctl.call(['EXISTS', 'q', 'r', 'd'], ':0\r\n');
      // A tiny negative timeout truncates to 0 ms: it blocks forever, like 0.
      a.send(['BLPOP', 'q', '-0.0001']);
      await waitBlocked(ctl, 1);
      await a.quiet(200);
      await ctl.call(['RPUSH', 'q', 'v']);
      await a.expect('BLPOP -0.0001');
    });

    test('a blocked client that disconnects leaves nothing behind', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      a.send(['BLPOP', 'q', 'other', '0']);
      b.send(['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0']);
      await waitBlocked(ctl, 2);
      await a.close();
      await waitBlocked(ctl, 1);
      await ctl.call(['RPUSH', 'q', 'x', 'y']);
      await b.expect('B BLMOVE', '$1\r\nx\r\n');
      await ctl.call(['LRANGE', 'q', '0', '-1']);
      await ctl.call(['RPUSH', 'other', 'z']);
      await ctl.call(['LRANGE', 'other', '0', '-1']);
      await ctl.call(['LRANGE', 'd', '0', '-1']);
    });

    test('CLIENT KILL of a blocked client', async () => {
      await fresh();
      const a = await conn('A');
      const ida = parseReply(await a.redis.call(['CLIENT', 'ID'])) as number;
      const idc = parseReply(await a.cairn.call(['CLIENT', 'ID'])) as number;
      a.send(['BLPOP', 'q', '0']);
      await waitBlocked(ctl, 1);
      assert.equal((await ctl.redis.call(['CLIENT', 'KILL', 'ID', String(ida)])).toString(), ':1\r\n');
      assert.equal((await ctl.cairn.call(['CLIENT', 'KILL', 'ID', String(idc)])).toString(), ':1\r\n');
      await waitBlocked(ctl, 0);
      await ctl.call(['RPUSH', 'q', 'x'], ':1\r\n');
      await ctl.call(['LLEN', 'q'], ':1\r\n');
    });

    test('BLMOVE chains: each move wakes the next waiter', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      const c = await conn('C');
      const d = await conn('D');
      a.send(['BLMOVE', 'q1', 'q2', 'LEFT', 'RIGHT', '0']);
      await waitBlocked(ctl, 1);
      b.send(['BRPOPLPUSH', 'q2', 'q3', '0']);
      await waitBlocked(ctl, 2);
      c.send(['BLMOVE', 'q3', 'q4', 'RIGHT', 'LEFT', '0']);
      await waitBlocked(ctl, 3);
      d.send(['BLPOP', 'q4', '0']);
      await waitBlocked(ctl, 4);
      await ctl.call(['RPUSH', 'q1', 'x', 'y']);
      await a.expect('A BLMOVE', '$1\r\nx\r\n');
      await b.expect('B BRPOPLPUSH', '$1\r\nx\r\n');
      await c.expect('C BLMOVE', '$1\r\nx\r\n');
      await d.expect('D BLPOP', '*2\r\n$2\r\nq4\r\n$1\r\nx\r\n');
      await ctl.call(['EXISTS', 'q2', 'q3', 'q4'], ':0\r\n');
      await ctl.call(['LRANGE', 'q1', '0', '-1']);
      // A circle: a waiter moving q5 → q5 rotates, the one after it still gets the element.
      a.send(['BLMOVE', 'q5', 'q5', 'LEFT', 'RIGHT', '0']);
      await waitBlocked(ctl, 1);
      b.send(['BLPOP', 'q5', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['LPUSH', 'q5', 'r']);
      await a.expect('A BLMOVE q5 q5');
      await b.expect('B BLPOP q5');
      await ctl.call(['EXISTS', 'q5'], ':0\r\n');
    });

    test('pushes to several keys wake several clients; a waiter takes the first key that became ready', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      const c = await conn('C');
      const d = await conn('D');
      a.send(['BLPOP', 'k1', '0']);
      await waitBlocked(ctl, 1);
      b.send(['BLPOP', 'k2', '0']);
      await waitBlocked(ctl, 2);
      c.send(['BRPOP', 'k3', 'k2', 'k1', '0']);
      await waitBlocked(ctl, 3);
      d.send(['BLMPOP', '0', '2', 'k1', 'k3', 'RIGHT', 'COUNT', '5']);
      await waitBlocked(ctl, 4);
      // One pipeline, several pushes: each push is its own unit, served before the next runs.
      ctl.sendRaw(
        '*4\r\n$5\r\nRPUSH\r\n$2\r\nk2\r\n$1\r\na\r\n$1\r\nb\r\n' +
          '*3\r\n$5\r\nLPUSH\r\n$2\r\nk1\r\n$1\r\nc\r\n' +
          '*5\r\n$5\r\nRPUSH\r\n$2\r\nk3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n',
      );
      await ctl.expect('RPUSH k2', ':2\r\n');
      await ctl.expect('LPUSH k1', ':1\r\n');
      await ctl.expect('RPUSH k3', ':3\r\n');
      await b.expect('B BLPOP k2');
      await c.expect('C BRPOP k3 k2 k1');
      await a.expect('A BLPOP k1');
      await d.expect('D BLMPOP k1 k3');
      for (const k of ['k1', 'k2', 'k3']) await ctl.call(['LRANGE', k, '0', '-1']);
    });

    test('commands pipelined behind a blocking command wait for it, then run', async () => {
      await fresh();
      const a = await conn('A');
      a.sendRaw('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nq\r\n');
      await waitBlocked(ctl, 1);
      await a.quiet();
      await ctl.call(['RPUSH', 'q', 'x', 'y']);
      await a.expect('BLPOP');
      await a.expect('PING', '+PONG\r\n');
      await a.expect('LLEN', ':1\r\n');
    });

    test('the key changes type or disappears while waited on; RENAME and SWAPDB make it ready', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      a.send(['BLPOP', 'q', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['SET', 'q', 'string']);
      await a.quiet(100);
      await ctl.call(['DEL', 'q']);
      await ctl.call(['RPUSH', 'src', 'moved']);
      await ctl.call(['RENAME', 'src', 'q']);
      await a.expect('BLPOP after RENAME');
      // A waiter in db 1; the list appears there through SWAPDB.
      await b.call(['SELECT', '1'], '+OK\r\n');
      b.send(['BRPOP', 'w', '0']);
      await waitBlocked(ctl, 1);
      await ctl.call(['RPUSH', 'w', 'from-db0']);
      await b.quiet(100);
      await ctl.call(['SWAPDB', '0', '1'], '+OK\r\n');
      await b.expect('BRPOP after SWAPDB');
      await ctl.call(['SWAPDB', '0', '1'], '+OK\r\n');
      await b.call(['EXISTS', 'w'], ':0\r\n');
    });

    test('a served BLMOVE whose destination holds another type gets WRONGTYPE; the next waiter is served', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      a.send(['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0']);
      await waitBlocked(ctl, 1);
      b.send(['BLPOP', 'src', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['SET', 'dst', 'string']);
      await ctl.call(['RPUSH', 'src', 'x']);
      await a.expect('A BLMOVE onto a string');
      await b.expect('B BLPOP');
      await ctl.call(['EXISTS', 'src'], ':0\r\n');
      await ctl.call(['GET', 'dst']);
    });

    test('BLMPOP served with COUNT; waiters on different databases do not see each other', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      a.send(['BLMPOP', '0', '2', 'x', 'y', 'LEFT', 'COUNT', '2']);
      await waitBlocked(ctl, 1);
      await b.call(['SELECT', '2'], '+OK\r\n');
      b.send(['BLPOP', 'y', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['RPUSH', 'y', '1', '2', '3']);
      await a.expect('A BLMPOP');
      await b.quiet(100);
      await ctl.call(['LRANGE', 'y', '0', '-1']);
      await ctl.call(['SELECT', '2'], '+OK\r\n');
      await ctl.call(['RPUSH', 'y', 'db2']);
      await b.expect('B BLPOP in db 2');
      await ctl.call(['SELECT', '0'], '+OK\r\n');
    });

    test('a waited key that already exists and is overwritten (a STORE over a string) wakes nobody', async () => {
      await fresh();
      const a = await conn('A');
      const b = await conn('B');
      a.send(['BZPOPMIN', 'k', '0']);
      b.send(['BLPOP', 'l', '0']);
      await waitBlocked(ctl, 2);
      await ctl.call(['SET', 'k', 's']);
      await ctl.call(['SET', 'l', 's']);
      await ctl.call(['ZADD', 'src', '1', 'm']);
      await ctl.call(['RPUSH', 'lsrc', '1']);
      await ctl.call(['ZUNIONSTORE', 'k', '1', 'src']);
      await ctl.call(['SORT', 'lsrc', 'STORE', 'l']);
      await a.quiet(100);
      await b.quiet(100);
      await ctl.call(['ZADD', 'k', '2', 'n']);
      await ctl.call(['RPUSH', 'l', '2']);
      await ctl.call(['ZRANGE', 'k', '0', '-1']);
      await ctl.call(['LRANGE', 'l', '0', '-1']);
      await waitBlocked(ctl, 2);
      // Deleted and created again: now they are served.
      await ctl.call(['DEL', 'k', 'l']);
      await ctl.call(['ZADD', 'k', '3', 'o']);
      await a.expect('A BZPOPMIN');
      await ctl.call(['RPUSH', 'l', '3']);
      await b.expect('B BLPOP');
    });

    test('SLOWLOG logs a blocking command when it is served, not when it blocks', async () => {
      await fresh();
      const a = await conn('A');
      const sides = ['redis', 'cairn'] as const;
      /** SLOWLOG's entries, newest first, as their argument lists (INFO and SLOWLOG itself left out). */
      const logged = async (side: (typeof sides)[number]): Promise<string[]> => {
        const v = parseReply(await ctl[side].call(['SLOWLOG', 'GET', '100'])) as unknown[][];
        return v.map((e) => (e[3] as string[]).join(' ')).filter((t) => !/^(INFO|SLOWLOG)\b/i.test(t));
      };
      const ids: Record<string, string> = {};
      for (const side of sides) ids[side] = String(parseReply(await a[side].call(['CLIENT', 'ID'])));
      await ctl.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
      try {
        const seen: Record<string, string[][]> = { redis: [], cairn: [] };
        await ctl.call(['SLOWLOG', 'RESET']);
        await a.call(['BLPOP', 'q', '0.05'], NULLARR);
        for (const side of sides) seen[side]!.push(await logged(side));
        await ctl.call(['SLOWLOG', 'RESET']);
        a.send(['BLPOP', 'q', '0']);
        await waitBlocked(ctl, 1);
        for (const side of sides) seen[side]!.push(await logged(side));
        await ctl.call(['RPUSH', 'q', 'x']);
        await a.expect('A BLPOP');
        for (const side of sides) seen[side]!.push(await logged(side));
        await ctl.call(['SLOWLOG', 'RESET']);
        a.send(['BRPOP', 'q', '0']);
        await waitBlocked(ctl, 1);
        for (const side of sides) {
          assert.equal((await ctl[side].call(['CLIENT', 'UNBLOCK', ids[side]!, 'ERROR'])).toString(), ':1\r\n');
        }
        await a.expect('A BRPOP unblocked');
        for (const side of sides)
          seen[side]!.push((await logged(side)).map((t) => t.replace(/^CLIENT UNBLOCK \d+/, 'CLIENT UNBLOCK id')));
        assert.deepEqual(seen['cairn'], seen['redis']);
        assert.deepEqual(seen['redis']![2]!.slice(0, 2), ['BLPOP q 0', 'RPUSH q x']);
      } finally {
        await ctl.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
      }
    });
  });
}

describe('in-process: effects of served waiters, no blocking in nested calls', () => {
  test('a served waiter propagates its non-blocking form as its own unit, after the push', async () => {
    const s = await startServer({ port: 0 });
    try {
      const effects: string[][] = [];
      s.server.effects.addSink((batch: readonly Effect[]) => {
        effects.push(batch.map((e) => `${e.db}:${e.argv.join(' ')}`));
      });
      const waiters: Client[] = [];
      const cmds = [
        ['BLPOP', 'a', '0'],
        ['BLMOVE', 'b', 'd', 'RIGHT', 'LEFT', '0'],
        ['BRPOPLPUSH', 'c', 'd2', '0'],
        ['BLMPOP', '0', '2', 'zz', 'e', 'RIGHT', 'COUNT', '5'],
        ['BRPOP', 'f', '0'],
      ];
      for (const argv of cmds) {
        const w = s.server.createLocalClient();
        s.server.execute(w, argv);
        assert.equal(w.blocked, true);
        waiters.push(w);
      }
      const p = s.server.createLocalClient();
      for (const argv of [
        ['RPUSH', 'a', '1'],
        ['RPUSH', 'b', '1', '2'],
        ['RPUSH', 'c', '1'],
        ['RPUSH', 'e', '1', '2', '3'],
        ['RPUSH', 'f', 'x'],
      ]) {
        s.server.execute(p, argv);
      }
      assert.deepEqual(
        waiters.map((w) => w.blocked),
        [false, false, false, false, false],
      );
      assert.deepEqual(effects, [
        ['0:RPUSH a 1'],
        ['0:LPOP a'],
        ['0:RPUSH b 1 2'],
        ['0:LMOVE b d right left'],
        ['0:RPUSH c 1'],
        ['0:RPOPLPUSH c d2'],
        ['0:RPUSH e 1 2 3'],
        ['0:RPOP e 3'],
        ['0:RPUSH f x'],
        ['0:RPOP f'],
      ]);
      assert.equal(
        Buffer.concat(waiters[3]!.out.take()).toString('latin1'),
        '*2\r\n$1\r\ne\r\n*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n',
      );
    } finally {
      await s.close();
    }
  });

  test('waiters are served after the whole execution unit (a command running others), and do not block inside it', async () => {
    const s = await startServer({ port: 0 });
    try {
      const server = s.server;
      // A stand-in for EXEC: one command that runs several others through the dispatcher's call.
      const unit = new CommandEntry({
        name: 'testunit',
        arity: -1,
        flags: ['write'],
        group: 'server',
        since: '0.0.0',
        summary: 'test stand-in',
        handler: (c: Client, argv: string[]) => {
          const parts = argv.slice(1).join(' ').split(' ; ');
          c.w.array(parts.length);
          for (const part of parts) {
            const args = part.split(' ');
            server.call(c, server.commands.lookup(args[0]!)!, args);
          }
          c.preventPropagation = true;
        },
      });
      server.commands.byName.set('testunit', unit);
      const effects: string[][] = [];
      server.effects.addSink((batch: readonly Effect[]) => effects.push(batch.map((e) => e.argv.join(' '))));
      const w = server.createLocalClient();
      server.execute(w, ['BLPOP', 'q', '0']);
      assert.equal(w.blocked, true);
      const p = server.createLocalClient();
      server.execute(p, [
        'TESTUNIT',
        'RPUSH',
        'q',
        'a',
        ';',
        'RPUSH',
        'q',
        'b',
        ';',
        'LPOP',
        'q',
        ';',
        'BLPOP',
        'nokey',
        '0',
        ';',
        'BLMOVE',
        'nokey',
        'x',
        'LEFT',
        'LEFT',
        '0',
      ]);
      // Inside the unit, BLPOP/BLMOVE on empty keys answer at once (null array / null) instead of blocking.
      assert.equal(p.blocked, false);
      assert.equal(Buffer.concat(p.out.take()).toString('latin1'), '*5\r\n:1\r\n:2\r\n$1\r\na\r\n*-1\r\n$-1\r\n');
      // The waiter saw the unit's final state: 'a' was popped inside it, so it gets 'b'.
      assert.equal(w.blocked, false);
      assert.equal(Buffer.concat(w.out.take()).toString('latin1'), '*2\r\n$1\r\nq\r\n$1\r\nb\r\n');
      assert.deepEqual(effects, [['MULTI', 'RPUSH q a', 'RPUSH q b', 'LPOP q', 'EXEC'], ['LPOP q']]);
      // A unit that leaves the key empty wakes nobody.
      server.execute(w, ['BLPOP', 'q', '0']);
      server.execute(p, ['TESTUNIT', 'RPUSH', 'q', 'a', ';', 'LPOP', 'q']);
      assert.equal(w.blocked, true);
      server.closeClient(w);
      assert.equal(server.blocking.blockedClients, 0);
      assert.equal(server.blocking.blockedKeys, 0);
    } finally {
      await s.close();
    }
  });

  test('CLIENT UNBLOCK hook: as a timeout, or with the UNBLOCKED error', async () => {
    const s = await startServer({ port: 0 });
    try {
      const server = s.server;
      const w = server.createLocalClient();
      server.execute(w, ['BLPOP', 'q', '0']);
      assert.equal(server.blocking.unblock(w, false), true);
      assert.equal(Buffer.concat(w.out.take()).toString('latin1'), '*-1\r\n');
      server.execute(w, ['BLMOVE', 'q', 'r', 'LEFT', 'LEFT', '10']);
      assert.equal(server.blocking.unblock(w, true), true);
      assert.equal(
        Buffer.concat(w.out.take()).toString('latin1'),
        '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n',
      );
      assert.equal(server.blocking.unblock(w, true), false);
      assert.equal(w.blocked, false);
    } finally {
      await s.close();
    }
  });
});
