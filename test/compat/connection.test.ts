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

  // Cairn parses the keyed commands of a pipeline ahead of running them (to prefetch their keys); what a client sees
  // must not change: the commands before a malformed request run and reply, then the error, then the close.
  it('protocol errors after a pipeline of keyed commands: their replies, the error, the close', async () => {
    const p = await pair();
    const keyed =
      '*3\r\n$3\r\nSET\r\n$2\r\npk\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$2\r\npk\r\n' +
      '*3\r\n$4\r\nMGET\r\n$2\r\npk\r\n$2\r\nno\r\n*2\r\n$3\r\nGET\r\n$2\r\npk\r\n';
    for (const [name, bytes] of protocolErrors) {
      const got: string[] = [];
      for (const port of [p.redis.port, p.cairn.port]) {
        const c = await RawConnection.connect(port);
        c.sendRaw(keyed + bytes);
        const all = await c.readUntilClosed(5000);
        got.push(all.toString('latin1'));
        assert.equal(c.isClosed, true, `${name}: server on ${port} should close the connection`);
      }
      assert.equal(got[1], got[0], name);
      assert.match(got[0]!, /^\+OK\r\n:2\r\n\*2\r\n\$1\r\n2\r\n\$-1\r\n\$1\r\n2\r\n-ERR Protocol error/, name);
    }
  });

  it('CONFIG SET proto-max-bulk-len inside a pipeline of keyed commands applies to the requests after it', async () => {
    const p = await pair();
    // Only the header of the big bulk is sent: it is refused by its length, and a server that closes with bytes it
    // has not read resets the connection, which can drop the replies before they are read.
    const pipeline =
      '*3\r\n$3\r\nSET\r\n$2\r\npa\r\n$1\r\n1\r\n' +
      '*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$18\r\nproto-max-bulk-len\r\n$3\r\n1mb\r\n' +
      `*3\r\n$3\r\nSET\r\n$2\r\npb\r\n$${1024 * 1024 + 1}\r\n`;
    const got: string[] = [];
    try {
      for (const port of [p.redis.port, p.cairn.port]) {
        const c = await RawConnection.connect(port);
        c.sendRaw(pipeline);
        got.push((await c.readUntilClosed(5000)).toString('latin1'));
      }
    } finally {
      for (const port of [p.redis.port, p.cairn.port]) {
        const c = await RawConnection.connect(port);
        assert.equal((await c.call(['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'])).toString(), '+OK\r\n');
        await c.close();
      }
    }
    assert.equal(got[1], got[0]);
    assert.equal(got[0], '+OK\r\n+OK\r\n-ERR Protocol error: invalid bulk length\r\n');
  });

  it('a client blocked mid-pipeline keeps the rest as query buffer (CLIENT LIST qbuf) and runs it when woken', async () => {
    const p = await pair();
    const pipeline =
      '*3\r\n$5\r\nBLPOP\r\n$2\r\nbq\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$2\r\nbk\r\n$1\r\nv\r\n' +
      '*2\r\n$3\r\nGET\r\n$2\r\nbk\r\n*2\r\n$4\r\nPING\r\n$1\r\np\r\n';
    const got: string[][] = [];
    for (const port of [p.redis.port, p.cairn.port]) {
      const ctl = await RawConnection.connect(port);
      await ctl.call(['DEL', 'bq', 'bk']);
      const c = await RawConnection.connect(port);
      await c.call(['CLIENT', 'SETNAME', 'blocked-pipeline']);
      c.sendRaw(pipeline);
      let line = '';
      for (let i = 0; i < 200 && !/ cmd=blpop /.test(line); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 10));
        const list = (await ctl.call(['CLIENT', 'LIST'])).toString('latin1');
        line = list.split('\n').find((l) => l.includes('name=blocked-pipeline')) ?? '';
      }
      const qbuf = /\bqbuf=(\d+)/.exec(line)?.[1] ?? 'none';
      const pushed = (await ctl.call(['LPUSH', 'bq', 'x'])).toString('latin1');
      const replies: string[] = [];
      for (let i = 0; i < 4; i++) replies.push((await c.readReply()).toString('latin1'));
      got.push([line.includes(' flags=b ') ? 'blocked' : line, qbuf, pushed, ...replies]);
      await c.close();
      await ctl.close();
    }
    assert.deepEqual(got[1], got[0]);
    assert.deepEqual(got[0], [
      'blocked',
      String(pipeline.length - '*3\r\n$5\r\nBLPOP\r\n$2\r\nbq\r\n$1\r\n0\r\n'.length),
      ':1\r\n',
      '*2\r\n$2\r\nbq\r\n$1\r\nx\r\n',
      '+OK\r\n',
      '$1\r\nv\r\n',
      '$1\r\np\r\n',
    ]);
  });

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
      // One write: a keyed command refused before AUTH, AUTH, then a request over the unauthenticated caps, which
      // is parsed only once AUTH has run (Cairn parses keyed commands ahead, never past a command without keys).
      const big = 'y'.repeat(20000);
      const outs: string[] = [];
      for (const port of [p.redis.port, p.cairn.port]) {
        const c = await RawConnection.connect(port);
        c.sendRaw(
          '*2\r\n$3\r\nGET\r\n$1\r\nx\r\n*2\r\n$4\r\nAUTH\r\n$6\r\nsekret\r\n' +
            `*3\r\n$3\r\nSET\r\n$1\r\ny\r\n$${big.length}\r\n${big}\r\n*2\r\n$6\r\nSTRLEN\r\n$1\r\ny\r\n`,
        );
        const r: string[] = [];
        for (let i = 0; i < 4; i++) r.push((await c.readReply()).toString('latin1'));
        outs.push(r.join(''));
        await c.close();
      }
      assert.equal(outs[1], outs[0]);
      assert.equal(outs[0], '-NOAUTH Authentication required.\r\n+OK\r\n+OK\r\n:20000\r\n');
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
