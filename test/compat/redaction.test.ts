// Secrets in SLOWLOG and MONITOR, against real Redis 7.0.15: AUTH and HELLO AUTH passwords, ACL SETUSER arguments
// and sensitive CONFIG SET values show as "(redacted)", also when the command fails; commands refused before
// they run (syntax of AUTH, HELLO) show their arguments as given.
//
// Compared: every command's reply (HELLO's map only by its first byte: server fields differ), each SLOWLOG entry's
// arguments and client name, and the MONITOR lines without their timestamps and addresses.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair } from '../support/servers.js';
import { RawConnection, parseReply, type RespValue } from '../support/resp.js';

let pair: Awaited<ReturnType<typeof startPair>>;
before(async () => {
  pair = await startPair();
});
after(async () => {
  await pair?.stop();
});

const SCRIPT: readonly string[][] = [
  ['SET', 'k', 'v'],
  ['AUTH', 'foo'],
  ['AUTH', 'a', 'b'],
  ['AUTH', 'a', 'b', 'c'],
  ['HELLO', '3', 'AUTH', 'default', 'x', 'SETNAME', 'n'],
  ['HELLO', '2', 'AUTH', 'default'],
  ['HELLO', '2', 'SETNAME', 'x', 'AUTH', 'u', 'p'],
  ['HELLO', 'x', 'AUTH', 'a', 'b'],
  ['HELLO', '4', 'AUTH', 'a', 'b'],
  ['HELLO', '3', 'AUTH', 'a', 'b', 'foo'],
  ['HELLO', '3', 'auth', 'a', 'b', 'auth', 'c', 'd'],
  ['HELLO', '2', 'SETNAME', 'early', 'foo'],
  ['CLIENT', 'GETNAME'],
  ['HELLO', '2', 'SETNAME', 'a b'],
  ['HELLO', '2', 'SETNAME', 'y', 'SETNAME', 'z', 'AUTH', 'u', 'p'],
  ['CLIENT', 'GETNAME'],
  ['ACL', 'SETUSER', 'bob', 'on', '>pw', '~*', '+@all'],
  ['ACL', 'SETUSER', 'bob2'],
  ['ACL', 'SETUSER', 'a b', 'on'],
  ['ACL', 'SETUSER', 'bob', 'badrule'],
  ['CONFIG', 'SET', 'requirepass', 'secret'],
  ['AUTH', 'secret'],
  ['AUTH', 'default', 'secret'],
  ['AUTH', 'bob', 'pw'],
  ['HELLO', '2', 'AUTH', 'default', 'secret', 'SETNAME', 'me'],
  ['CONFIG', 'SET', 'maxmemory', '0', 'REQUIREPASS', ''],
  ['CONFIG', 'SET', 'requirepass', 'x', 'nosuch', 'y'],
  ['CONFIG', 'SET', 'nosuch', 'y', 'requirepass', 'x'],
  ['CONFIG', 'SET', 'requirepass', 'x', 'maxmemory'],
  ['CONFIG', 'SET', 'requirepass', ''],
  ['MULTI'],
  ['AUTH', 'nopass'],
  ['ACL', 'SETUSER', 'carol', 'on'],
  ['ECHO', 'in multi'],
  ['EXEC'],
  ['ACL', 'DELUSER', 'bob', 'bob2', 'carol'],
  ['GET', 'k'],
];

/** A reply as compared: HELLO's success map only by its type byte (server fields differ by nature). */
function replyText(args: readonly string[], reply: Buffer): string {
  const t = reply.toString('latin1');
  if (args[0] === 'HELLO' && (t[0] === '%' || t[0] === '*')) return t[0]!;
  return t;
}

describe('redaction of secrets', () => {
  it('SLOWLOG shows (redacted) where Redis does', async () => {
    const out: Record<string, string[]> = {};
    for (const side of ['redis', 'cairn'] as const) {
      const lines: string[] = [];
      const admin = await RawConnection.connect(pair[side].port);
      const c = await RawConnection.connect(pair[side].port);
      try {
        await admin.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
        await admin.call(['CONFIG', 'SET', 'slowlog-max-len', '1000']);
        await admin.call(['SLOWLOG', 'RESET']);
        for (const args of SCRIPT) lines.push(`${args.join(' ')} -> ${replyText(args, await c.call(args))}`);
        await admin.call(['CONFIG', 'SET', 'requirepass', '']);
        const log = parseReply(await admin.call(['SLOWLOG', 'GET', '-1'])) as RespValue[][];
        // Oldest first; the admin's own CONFIG SET lines are kept (they are redacted too).
        for (const e of log.reverse()) lines.push(`slowlog: ${(e[3] as string[]).join(' ')} [${String(e[5])}]`);
        await admin.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
      } finally {
        await admin.close();
        await c.close();
      }
      out[side] = lines;
    }
    assert.deepEqual(out['cairn'], out['redis']);
    assert.ok(out['redis']!.some((l) => l.includes('(redacted)')));
  });

  it('MONITOR shows (redacted) where Redis does', async () => {
    const out: Record<string, string[]> = {};
    for (const side of ['redis', 'cairn'] as const) {
      const mon = await RawConnection.connect(pair[side].port);
      const c = await RawConnection.connect(pair[side].port);
      const lines: string[] = [];
      try {
        assert.equal((await mon.call(['MONITOR'])).toString(), '+OK\r\n');
        for (const args of SCRIPT) await c.call(args);
        await c.call(['CONFIG', 'SET', 'requirepass', '']);
        await c.call(['ECHO', 'the end']);
        for (;;) {
          const line = String(parseReply(await mon.readReply(2000)));
          lines.push(line.replace(/^\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, '[$1 addr]'));
          if (line.endsWith('"the end"')) break;
        }
      } finally {
        await Promise.all([mon.close(), c.close()]);
      }
      out[side] = lines;
    }
    assert.deepEqual(out['cairn'], out['redis']);
    assert.ok(out['redis']!.some((l) => l.includes('(redacted)')));
  });
});
