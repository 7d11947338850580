// A RESP3 client subscribed to the keyspace events of its own writes gets each command's reply and the event
// pushes on one connection, so their order shows: Redis 7.0 replies before notifying in some commands and after
// in others. Every write command runs on both servers from such a client, and the bytes it receives after each
// must be the same (but for the commands in INSIDE_REPLY).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onBothServers, sharedPair } from '../support/servers.js';
import { RawConnection } from '../support/resp.js';

const pair = sharedPair();

/**
 * Commands whose events Redis 7.0 writes inside their reply (after the array's header, before its elements: its
 * deferred-length replies), which breaks RESP3 framing; Redis 7.2 holds such pushes until the reply is complete.
 * Cairn sends the whole reply, then the events, and is checked for that alone.
 */
const INSIDE_REPLY = new Set(['ZPOPMIN', 'ZPOPMAX', 'ZMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP']);

const commands: string[][] = [
  ['SET', 's', 'v'],
  ['SETNX', 's2', 'v'],
  ['SETEX', 's3', '100', 'v'],
  ['PSETEX', 's4', '100000', 'v'],
  ['MSET', 'm1', '1', 'm2', '2'],
  ['MSETNX', 'm3', '1', 'm4', '2'],
  ['APPEND', 's', 'x'],
  ['SETRANGE', 's', '1', 'yy'],
  ['INCR', 'n'],
  ['INCRBY', 'n', '5'],
  ['DECR', 'n'],
  ['DECRBY', 'n', '2'],
  ['INCRBYFLOAT', 'n', '1.5'],
  ['GETSET', 's', 'w'],
  ['GETDEL', 's2'],
  ['GETEX', 's3', 'EX', '200'],
  ['GETEX', 's3', 'PERSIST'],
  ['SET', 's5', 'v', 'GET'],
  ['SETBIT', 'b', '7', '1'],
  ['BITFIELD', 'b', 'SET', 'u8', '0', '200'],
  ['BITOP', 'NOT', 'b2', 'b'],
  ['EXPIRE', 's', '100'],
  ['PEXPIRE', 's', '100000'],
  ['EXPIREAT', 's', '99999999999'],
  ['PEXPIREAT', 's', '99999999999000'],
  ['PERSIST', 's'],
  ['EXPIRE', 's4', '0'],
  ['RENAME', 'm1', 'm5'],
  ['RENAMENX', 'm5', 'm6'],
  ['COPY', 'm6', 'm7'],
  ['MOVE', 'm7', '1'],
  ['DEL', 'm6'],
  ['UNLINK', 'm2'],
  ['LPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
  ['RPUSH', 'l', 'f'],
  ['LPUSHX', 'l', 'g'],
  ['RPUSHX', 'l', 'h'],
  ['LINSERT', 'l', 'BEFORE', 'a', 'z'],
  ['LSET', 'l', '0', 'q'],
  ['LPOP', 'l'],
  ['RPOP', 'l'],
  ['LPOP', 'l', '2'],
  ['RPOP', 'l', '1'],
  ['LREM', 'l', '0', 'z'],
  ['LTRIM', 'l', '0', '5'],
  ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
  ['RPOPLPUSH', 'l', 'l2'],
  ['LMPOP', '1', 'l', 'LEFT'],
  ['BLPOP', 'l2', '1'],
  ['BRPOP', 'l2', '1'],
  ['BLMOVE', 'l2', 'l3', 'LEFT', 'LEFT', '1'],
  ['BLMPOP', '1', '1', 'l3', 'RIGHT'],
  ['HSET', 'h', 'f1', '1', 'f2', '2'],
  ['HMSET', 'h', 'f3', '3'],
  ['HSETNX', 'h', 'f4', '4'],
  ['HINCRBY', 'h', 'f1', '2'],
  ['HINCRBYFLOAT', 'h', 'f2', '0.5'],
  ['HDEL', 'h', 'f3'],
  ['SADD', 'st', 'a', 'b', 'c', 'd'],
  ['SREM', 'st', 'd'],
  ['SMOVE', 'st', 'st2', 'a'],
  // SPOP picks at random: a set of one member, and a count that takes the whole (intset, so ordered) set.
  ['SADD', 'sp', 'only'],
  ['SPOP', 'sp'],
  ['SADD', 'sp', '1', '2', '3'],
  ['SPOP', 'sp', '5'],
  ['SADD', 'st', 'x', 'y'],
  ['SINTERSTORE', 'st3', 'st', 'st'],
  ['SUNIONSTORE', 'st4', 'st', 'st2'],
  ['SDIFFSTORE', 'st5', 'st', 'st2'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
  ['ZADD', 'z', 'INCR', '5', 'a'],
  ['ZINCRBY', 'z', '1', 'b'],
  ['ZREM', 'z', 'd'],
  ['ZPOPMIN', 'z'],
  ['ZPOPMAX', 'z'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
  ['ZPOPMIN', 'z', '1'],
  ['ZMPOP', '1', 'z', 'MIN'],
  ['BZPOPMIN', 'z', '1'],
  ['BZPOPMAX', 'z', '1'],
  ['BZMPOP', '1', '1', 'z', 'MAX'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
  ['ZREMRANGEBYRANK', 'z', '0', '0'],
  ['ZREMRANGEBYSCORE', 'z', '2', '2'],
  ['ZREMRANGEBYLEX', 'z', '[c', '[c'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
  ['ZUNIONSTORE', 'z2', '2', 'z', 'z'],
  ['ZINTERSTORE', 'z3', '2', 'z', 'z2'],
  ['ZDIFFSTORE', 'z4', '1', 'z'],
  ['ZRANGESTORE', 'z5', 'z', '0', '1'],
  ['SORT', 'l3', 'ALPHA', 'STORE', 'l4'],
  ['RPUSH', 'l5', '3', '1', '2'],
  ['SORT', 'l5', 'STORE', 'l6'],
  ['SWAPDB', '0', '1'],
  ['SWAPDB', '0', '1'],
  ['FLUSHDB'],
];

test('own keyspace events and replies come in the same order as in Redis, for every write command', async () => {
  const [redis, cairn] = await onBothServers(await pair(), async (port) => {
    const c = await RawConnection.connect(port);
    const admin = await RawConnection.connect(port);
    try {
      await admin.call(['FLUSHALL']);
      await admin.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
      await c.call(['HELLO', '3']);
      await c.call(['PSUBSCRIBE', '__key*@0__:*']);
      const out: string[] = [];
      for (const cmd of commands) {
        // Everything before the PING's reply belongs to the command.
        c.send(cmd);
        c.send(['PING', 'mark']);
        let got = '';
        for (;;) {
          const frame = (await c.readReply()).toString('latin1');
          if (frame === '$4\r\nmark\r\n') break;
          got += frame;
        }
        out.push(`${cmd.join(' ')} → ${got}`);
      }
      return out;
    } finally {
      await admin.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
      await c.close();
      await admin.close();
    }
  });
  const diffs = commands.flatMap((cmd, i) => {
    if (INSIDE_REPLY.has(cmd[0]!)) {
      // Cairn sends the reply whole, then the events.
      return cairn[i]!.includes(' → >') ? [`${cmd.join(' ')}: an event before the reply: ${cairn[i]}`] : [];
    }
    return cairn[i] === redis[i]
      ? []
      : [`${cmd.join(' ')}\n  redis: ${JSON.stringify(redis[i])}\n  cairn: ${JSON.stringify(cairn[i])}`];
  });
  assert.equal(diffs.join('\n'), '');
});
