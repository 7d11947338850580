// Transactions and key access against real Redis 7.0.15, where the effect reaches past one command: CLIENT REPLY
// OFF/SKIP around MULTI, SSUBSCRIBE inside EXEC, CLIENT INFO while EXEC runs, TTL arithmetic inside EXEC (Redis
// keeps the expiry clock fixed but reads the live time for TTLs and relative expiries), the access a write
// lookup counts (LFU), and OBJECT REFCOUNT of strings made raw.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { onBothServers, sharedPair } from '../support/servers.js';
import { RawConnection, parseReply } from '../support/resp.js';

const getPair = sharedPair({ cairnOptions: { 'enable-debug-command': 'yes' } });

/** Sends raw bytes and reads whatever arrives until the connection is quiet. */
async function rawExchange(c: RawConnection, text: string, quietMs = 100): Promise<string> {
  c.sendRaw(Buffer.from(text, 'latin1'));
  return (await c.readAvailable(quietMs, 3000)).toString('latin1');
}

/** Runs `scenario` on both servers (a fresh connection each, after FLUSHALL); returns [redis, cairn]. */
async function onBoth(scenario: (c: RawConnection) => Promise<string[]>): Promise<[string[], string[]]> {
  return onBothServers(await getPair(), async (port) => {
    const c = await RawConnection.connect(port);
    try {
      await c.call(['FLUSHALL']);
      return await scenario(c);
    } finally {
      await c.close();
    }
  });
}

const cmd = (...args: string[]): string => args.map((a) => a.replace(/ /g, '\\x20')).join(' ') + '\r\n';

describe('transactions (differential)', () => {
  it('CLIENT REPLY OFF silences QUEUED; SKIP run inside EXEC silences the command after EXEC', async () => {
    const [redis, cairn] = await onBoth(async (c) => [
      await rawExchange(c, cmd('CLIENT', 'REPLY', 'OFF') + cmd('MULTI') + cmd('PING') + cmd('EXEC')),
      await rawExchange(c, cmd('CLIENT', 'REPLY', 'ON') + cmd('PING')),
      await rawExchange(
        c,
        cmd('MULTI') +
          cmd('CLIENT', 'REPLY', 'SKIP') +
          cmd('SET', 'k', 'v') +
          cmd('EXEC') +
          cmd('PING', 'a') +
          cmd('PING', 'b'),
      ),
      await rawExchange(
        c,
        cmd('MULTI') + cmd('CLIENT', 'REPLY', 'SKIP') + cmd('PING') + cmd('EXEC') + cmd('PING', 'c'),
      ),
      await rawExchange(c, cmd('CLIENT', 'REPLY', 'SKIP') + cmd('MULTI') + cmd('PING', 'd') + cmd('EXEC')),
      await rawExchange(c, cmd('CLIENT', 'REPLY', 'SKIP') + cmd('NOSUCH') + cmd('PING', 'e')),
    ]);
    assert.deepEqual(cairn, redis);
    assert.equal(redis[2], '+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n$1\r\nb\r\n');
  });

  it('subcommands named like the commands MULTI runs at once (SLOWLOG RESET, LATENCY RESET) are queued', async () => {
    const [redis, cairn] = await onBoth(async (c) => [
      await rawExchange(c, cmd('CONFIG', 'SET', 'slowlog-log-slower-than', '0') + cmd('PING') + cmd('SLOWLOG', 'LEN')),
      await rawExchange(
        c,
        cmd('MULTI') + cmd('SLOWLOG', 'RESET') + cmd('LATENCY', 'RESET') + cmd('PING') + cmd('EXEC'),
      ),
      await rawExchange(c, cmd('PING') + cmd('MULTI') + cmd('SLOWLOG', 'RESET') + cmd('DISCARD')),
      (await rawExchange(c, cmd('SLOWLOG', 'LEN'))).replace(/^:[1-9]\d*\r\n$/, ':some\r\n'),
      await rawExchange(c, cmd('CONFIG', 'SET', 'slowlog-log-slower-than', '10000') + cmd('SLOWLOG', 'RESET')),
    ]);
    assert.deepEqual(cairn, redis);
    assert.equal(redis[3], ':some\r\n');
  });

  it('SSUBSCRIBE is refused inside EXEC; SUBSCRIBE is not', async () => {
    const [redis, cairn] = await onBoth(async (c) => [
      await rawExchange(
        c,
        cmd('MULTI') + cmd('SUBSCRIBE', 'ch') + cmd('UNSUBSCRIBE') + cmd('SSUBSCRIBE', 'x') + cmd('EXEC'),
      ),
      await rawExchange(c, cmd('PUBSUB', 'SHARDNUMSUB', 'x')),
    ]);
    assert.deepEqual(cairn, redis);
  });

  it('CLIENT INFO while EXEC runs shows the transaction', async () => {
    const [redis, cairn] = await onBoth(async (c) => {
      const r = await rawExchange(c, cmd('MULTI') + cmd('SET', 'x', 'y') + cmd('CLIENT', 'INFO') + cmd('EXEC'));
      return [/flags=\S+/.exec(r)![0], /multi=\S+/.exec(r)![0], /cmd=\S+/.exec(r)![0]];
    });
    assert.deepEqual(cairn, redis);
    assert.deepEqual(redis, ['flags=x', 'multi=2', 'cmd=exec']);
  });

  it('a doomed transaction queues nothing more: CLIENT LIST multi= after an error or a touched watch', async () => {
    const [redis, cairn] = await onBothServers(await getPair(), async (port) => {
      const c = await RawConnection.connect(port);
      const other = await RawConnection.connect(port);
      try {
        await c.call(['FLUSHALL']);
        const id = String(parseReply(await c.call(['CLIENT', 'ID'])));
        const out: string[] = [];
        const view = async (): Promise<string> => {
          const line = String(parseReply(await other.call(['CLIENT', 'LIST', 'ID', id])));
          return [/flags=\S+/.exec(line)![0], /multi=\S+/.exec(line)![0]].join(' ');
        };
        await rawExchange(c, cmd('MULTI') + cmd('GET', 'a') + cmd('NOSUCH') + cmd('GET', 'a') + cmd('GET', 'b'));
        out.push(await view(), await rawExchange(c, cmd('EXEC')));
        await rawExchange(c, cmd('WATCH', 'a'));
        await other.call(['SET', 'a', '1']);
        await rawExchange(c, cmd('MULTI') + cmd('GET', 'a') + cmd('GET', 'a'));
        out.push(await view(), await rawExchange(c, cmd('EXEC')));
        await rawExchange(c, cmd('MULTI') + cmd('GET', 'a') + cmd('GET', 'a'));
        out.push(await view(), await rawExchange(c, cmd('EXEC')));
        return out;
      } finally {
        await Promise.all([c.close(), other.close()]);
      }
    });
    assert.deepEqual(cairn, redis);
    assert.deepEqual(
      redis.filter((_, i) => i % 2 === 0),
      // The command queued before the error stays; nothing after it, nor after the watched key was touched.
      ['flags=x multi=1', 'flags=xd multi=0', 'flags=x multi=2'],
    );
  });

  it('inside EXEC keys do not expire, but TTLs and relative expiries read the time now', async () => {
    const [redis, cairn] = await onBoth(async (c) => {
      const steps = [
        ['MULTI'],
        ['SET', 'k', 'v', 'PX', '1000'],
        ['DEBUG', 'SLEEP', '1.1'],
        ['GET', 'k'],
        ['TTL', 'k'],
        ['PTTL', 'k'],
        ['SETEX', 's', '100', 'v'],
        ['SET', 'j', 'v', 'EX', '100'],
        ['EXEC'],
      ];
      c.sendRaw(Buffer.from(steps.map((a) => cmd(...a)).join(''), 'latin1'));
      const replies: string[] = [];
      for (let i = 0; i < steps.length; i++) replies.push((await c.readReply(5000)).toString('latin1'));
      // Set 1.1 s into the transaction from the time then: 100 s left now (99 had the base been EXEC's start).
      replies.push((await c.call(['TTL', 's'])).toString('latin1'), (await c.call(['TTL', 'j'])).toString('latin1'));
      replies.push((await c.call(['EXISTS', 'k'])).toString('latin1'));
      return replies;
    });
    assert.deepEqual(cairn, redis);
    assert.deepEqual(redis.slice(-3), [':100\r\n', ':100\r\n', ':0\r\n']);
    assert.match(redis[8]!, /^\*7\r\n\+OK\r\n\+OK\r\n\$1\r\nv\r\n:0\r\n:0\r\n/);
  });
});

describe('key access (differential)', () => {
  it('a write lookup counts as an access (LFU), as in Redis', async () => {
    const [redis, cairn] = await onBoth(async (c) => {
      await c.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu']);
      const out: string[] = [];
      try {
        for (const [setup, op, key] of [
          [['SET', 'e', 'v'], ['EXPIRE', 'e', '100'], 'e'],
          [['SET', 'p', 'v'], ['PEXPIRE', 'p', '100000'], 'p'],
          [['SET', 'a', 'v'], ['EXPIREAT', 'a', '4102444800'], 'a'],
          [['SET', 'q', 'v', 'EX', '100'], ['PERSIST', 'q'], 'q'],
          [['SET', 'r', 'v'], ['RENAME', 'r', 'r2'], 'r2'],
          [['SET', 'm', 'v'], ['MOVE', 'm', '1'], 'm'],
          [['SET', 'n', 'v'], ['SETNX', 'n', 'w'], 'n'],
          [['SET', 'x', 'v'], ['SET', 'x', 'w', 'NX'], 'x'],
          [['SET', 'y', 'v'], ['MSETNX', 'y', 'w'], 'y'],
          [['SET', 'g', 'v'], ['EXPIRE', 'g', '100', 'GT'], 'g'],
        ] as const) {
          await c.call([...setup]);
          out.push((await c.call([...op])).toString('latin1'));
          if (op[0] === 'MOVE') await c.call(['SELECT', '1']);
          out.push((await c.call(['OBJECT', 'FREQ', key])).toString('latin1'));
          if (op[0] === 'MOVE') await c.call(['SELECT', '0']);
        }
      } finally {
        await c.call(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
        await c.call(['FLUSHALL']);
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
    assert.equal(redis[1], ':6\r\n');
  });

  it('each write lookup is one access: SET NX/XX, SMOVE, BLMOVE served at once (LFU, log factor 0)', async () => {
    const [redis, cairn] = await onBoth(async (c) => {
      for (const [k, v] of [
        ['maxmemory-policy', 'allkeys-lfu'],
        ['lfu-log-factor', '0'],
        ['lfu-decay-time', '0'],
      ])
        await c.call(['CONFIG', 'SET', k!, v!]);
      const out: string[] = [];
      try {
        for (const [steps, key] of [
          [
            [
              ['SET', 'k', 'vv'],
              ['SET', 'k', 'zz', 'XX'],
            ],
            'k',
          ],
          [
            [
              ['SET', 'k2', 'vv'],
              ['SET', 'k2', 'zz', 'XX', 'GET'],
            ],
            'k2',
          ],
          [
            [
              ['SET', 'k3', 'vv'],
              ['SET', 'k3', 'zz', 'NX'],
            ],
            'k3',
          ],
          [
            [
              ['SET', 'k4', 'vv'],
              ['SETNX', 'k4', 'zz'],
            ],
            'k4',
          ],
          [
            [
              ['SADD', 's', 'a', 'b'],
              ['SMOVE', 's', 's', 'a'],
            ],
            's',
          ],
          [
            [
              ['SADD', 'sk', 'a'],
              ['SADD', 'sd', 'x'],
              ['SMOVE', 'sk', 'sd', 'a'],
            ],
            'sd',
          ],
          [
            [
              ['SADD', 'sn', 'a'],
              ['SMOVE', 'sn', 'sn2', 'nosuch'],
            ],
            'sn',
          ],
          [
            [
              ['RPUSH', 'l', 'a'],
              ['BLMOVE', 'l', 'l', 'LEFT', 'LEFT', '0'],
            ],
            'l',
          ],
          [
            [
              ['RPUSH', 'l2', 'a'],
              ['BRPOPLPUSH', 'l2', 'l2', '0'],
            ],
            'l2',
          ],
        ] as const) {
          for (const st of steps) out.push((await c.call([...st])).toString('latin1'));
          out.push(`${key}: ${(await c.call(['OBJECT', 'FREQ', key])).toString('latin1')}`);
        }
      } finally {
        for (const [k, v] of [
          ['maxmemory-policy', 'noeviction'],
          ['lfu-log-factor', '10'],
          ['lfu-decay-time', '1'],
        ])
          await c.call(['CONFIG', 'SET', k!, v!]);
      }
      return out;
    });
    assert.deepEqual(cairn, redis);
  });

  it('OBJECT REFCOUNT: a string made raw is not a shared integer', async () => {
    const [redis, cairn] = await onBoth(async (c) => {
      const out: string[] = [];
      for (const step of [
        ['SET', 'n', '5'],
        ['OBJECT', 'REFCOUNT', 'n'],
        ['SETRANGE', 'sr', '0', '5'],
        ['OBJECT', 'ENCODING', 'sr'],
        ['OBJECT', 'REFCOUNT', 'sr'],
        ['SET', 'x', '12'],
        ['APPEND', 'x', '3'],
        ['OBJECT', 'REFCOUNT', 'x'],
      ])
        out.push((await c.call(step)).toString('latin1'));
      return out;
    });
    assert.deepEqual(cairn, redis);
  });
});
