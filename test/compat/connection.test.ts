// Differential tests of the dispatcher and connection commands: unknown commands, arity, PING/ECHO/SELECT/HELLO/
// AUTH/QUIT/RESET, inline commands, pipelining and protocol errors, in RESP2 and RESP3.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sharedPair, startPair } from '../support/servers.js';
import { compareScript, type Script } from '../support/differential.js';
import { RawConnection } from '../support/resp.js';

const pair = sharedPair();

const generic: Script = [
  ['PING'],
  ['PING', 'hello world'],
  ['PING', 'a', 'b'],
  ['ping'],
  ['PiNg', ''],
  ['ECHO', 'x\r\ny\x00z'],
  ['ECHO'],
  ['ECHO', 'a', 'b'],
  ['NOSUCHCOMMAND'],
  ['NOSUCHCOMMAND', 'arg1', 'arg 2', ''],
  ['nosuch', 'x'.repeat(300), 'y'.repeat(10)],
  ['x'.repeat(200)],
  ['SELECT', '1'],
  ['SELECT', '15'],
  ['SELECT', '16'],
  ['SELECT', '-1'],
  ['SELECT', 'abc'],
  ['SELECT', '01'],
  ['SELECT', ''],
  ['SELECT', '0'],
  ['AUTH', 'pw'],
  ['AUTH', 'default', 'pw'],
  ['AUTH', 'someone', 'pw'],
  ['AUTH', 'a', 'b', 'c'],
  ['HELLO', 'x'],
  ['HELLO', '1'],
  ['HELLO', '4'],
  ['HELLO', '-1'],
  ['HELLO', '2', 'SETNAME'],
  ['HELLO', '2', 'FOO'],
  ['HELLO', '2', 'AUTH', 'default'],
  ['HELLO', '2', 'SETNAME', 'bad name'],
  ['HELLO', '2', 'AUTH', 'bob', 'pw'],
  ['HELLO', '2', 'SETNAME', 'good-name'],
  ['CLIENT', 'GETNAME'],
  ['RESET'],
  ['CLIENT', 'GETNAME'],
];

describe('connection commands (differential)', () => {
  for (const resp of [2, 3] as const) {
    it(`generic dispatcher and connection replies, RESP${resp}`, async () => {
      await compareScript(await pair(), generic, { resp });
    });
  }

  it('inline commands, quoting, and pipelines of mixed forms', async () => {
    const p = await pair();
    await compareScript(p, [
      { raw: 'PING\r\n' },
      { raw: 'ECHO "a b\\x41\\n" \r\n' },
      { raw: "ECHO 'it\\'s'\r\n" },
      { raw: 'ECHO "unterminated\r\n', replies: 1 },
    ]);
    await compareScript(p, [
      { raw: '\r\n\r\nPING\n*1\r\n$4\r\nPING\r\n*0\r\n*-1\r\nECHO x\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', replies: 4 },
    ]);
  });

  const protocolErrors: [string, string][] = [
    ['bad multibulk length', '*abc\r\n'],
    ['bad bulk length', '*1\r\n$-5\r\n'],
    ['expected $', '*1\r\n:4\r\nPING\r\n'],
    ['big inline', 'A'.repeat(70 * 1024)],
    ['unbalanced quotes', 'ECHO "abc\r\n'],
    ['leading zero bulk', '*1\r\n$04\r\nPING\r\n'],
  ];
  for (const [name, bytes] of protocolErrors) {
    it(`protocol error: ${name} — same reply, then the connection closes`, async () => {
      const p = await pair();
      const got: string[] = [];
      for (const port of [p.redis.port, p.cairn.port]) {
        const c = await RawConnection.connect(port);
        c.sendRaw('PING\r\n' + bytes);
        const all = await c.readUntilClosed(5000);
        got.push(all.toString('latin1'));
        assert.equal(c.isClosed, true, `server on ${port} should close the connection`);
      }
      assert.equal(got[1], got[0]);
      assert.match(got[0]!, /Protocol error/);
    });
  }

  it('QUIT replies OK and closes', async () => {
    const p = await pair();
    for (const port of [p.redis.port, p.cairn.port]) {
      const c = await RawConnection.connect(port);
      c.sendRaw('*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n');
      const all = await c.readUntilClosed(5000);
      assert.equal(all.toString(), '+OK\r\n');
    }
  });

  it('HTTP requests to the RESP port are dropped without a reply', async () => {
    const p = await pair();
    for (const port of [p.redis.port, p.cairn.port]) {
      const c = await RawConnection.connect(port);
      c.sendRaw('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nPING\r\n');
      const all = await c.readUntilClosed(5000);
      assert.equal(all.length, 0, `port ${port} sent ${JSON.stringify(all.toString())}`);
    }
  });

  it('a deep pipeline of 20,000 requests in one write is answered in order', async () => {
    const p = await pair();
    let req = '';
    for (let i = 0; i < 20000; i++) req += `*2\r\n$4\r\nECHO\r\n$${String(i).length}\r\n${i}\r\n`;
    const c = await RawConnection.connect(p.cairn.port);
    c.sendRaw(req);
    for (let i = 0; i < 20000; i++) {
      const r = await c.readReply();
      assert.equal(r.toString(), `$${String(i).length}\r\n${i}\r\n`);
    }
    await c.close();
  });
});

describe('authentication (differential)', () => {
  it('requirepass: only AUTH/HELLO/QUIT/RESET before authenticating, capped request sizes', async () => {
    const p = await startPair({ redisArgs: ['--requirepass', 'sekret'], cairnOptions: { requirepass: 'sekret' } });
    try {
      const script: Script = [
        ['GET', 'x'],
        ['PING'],
        ['NOSUCH'],
        ['SELECT', '1'],
        ['HELLO', '3'],
        ['HELLO', '2', 'AUTH', 'default', 'wrong'],
        ['AUTH', 'wrong'],
        ['AUTH', 'default', 'wrong'],
        ['AUTH', 'sekret'],
        ['PING'],
        ['RESET'],
        ['PING'],
        ['HELLO', '2', 'AUTH', 'default', 'sekret'],
        ['PING'],
      ];
      // The comparer starts with FLUSHALL, which needs authentication: run this script on raw connections.
      const replies = new Map<number, string[]>();
      for (const port of [p.redis.port, p.cairn.port]) {
        const c = await RawConnection.connect(port);
        const got: string[] = [];
        for (const cmd of script) {
          const r = (await c.call(cmd as string[])).toString('latin1');
          got.push(r.startsWith('*14\r\n') ? '<hello reply>' : r);
        }
        replies.set(port, got);
        await c.close();
      }
      assert.deepEqual(replies.get(p.cairn.port), replies.get(p.redis.port));
      for (const [bytes, port] of [
        ['*11\r\n', p.redis.port],
        ['*11\r\n', p.cairn.port],
        ['*2\r\n$20000\r\n', p.redis.port],
        ['*2\r\n$20000\r\n', p.cairn.port],
      ] as const) {
        const c = await RawConnection.connect(port);
        c.sendRaw(bytes);
        const out = (await c.readUntilClosed(5000)).toString();
        assert.match(out, /^-ERR Protocol error: unauthenticated (multibulk|bulk) length\r\n$/);
      }
    } finally {
      await p.stop();
    }
  });
});
