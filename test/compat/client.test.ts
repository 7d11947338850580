// CLIENT subcommands against real Redis 7.0.15: replies and error texts byte for byte, the CLIENT LIST/INFO
// line layout field by field, KILL across connections, and REPLY OFF/ON/SKIP.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sharedPair } from '../support/servers.js';
import { compareScripts, type Script } from '../support/differential.js';
import { RawConnection, parseReply } from '../support/resp.js';

const getPair = sharedPair();

const both = async (scripts: readonly Script[]): Promise<void> => {
  const pair = await getPair();
  await compareScripts(pair, scripts, { resp: 2 });
  await compareScripts(pair, scripts, { resp: 3 });
};

async function eachServer(fn: (port: number, name: 'redis' | 'cairn') => Promise<void>): Promise<void> {
  const pair = await getPair();
  await fn(pair.redis.port, 'redis');
  await fn(pair.cairn.port, 'cairn');
}

/** Runs a scenario on Redis, then on Cairn, and requires the same transcript from both. */
async function sameOnBoth(scenario: (port: number) => Promise<string[]>): Promise<void> {
  const seen: Record<string, string[]> = {};
  await eachServer(async (port, name) => {
    seen[name] = await scenario(port);
  });
  assert.deepEqual(seen['cairn'], seen['redis']);
}

function fieldsOf(line: string): [string, string][] {
  return line
    .trim()
    .split(' ')
    .map((kv): [string, string] => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]);
}

describe('CLIENT', () => {
  it('simple subcommands and error texts match', async () => {
    await both([
      [
        ['CLIENT', 'ID'],
        ['CLIENT', 'ID', 'x'],
        ['CLIENT', 'GETNAME'],
        ['CLIENT', 'SETNAME', 'my-conn'],
        ['CLIENT', 'GETNAME'],
        ['CLIENT', 'SETNAME', 'a b'],
        ['CLIENT', 'SETNAME', 'a\nb'],
        ['CLIENT', 'SETNAME', 'caf\xe9'],
        ['CLIENT', 'GETNAME'],
        ['CLIENT', 'SETNAME', ''],
        ['CLIENT', 'GETNAME'],
        ['CLIENT', 'SETNAME'],
        ['CLIENT', 'GETREDIR'],
        ['CLIENT', 'NO-EVICT', 'on'],
        ['CLIENT', 'NO-EVICT', 'OFF'],
        ['CLIENT', 'NO-EVICT', 'maybe'],
        ['CLIENT', 'NO-EVICT'],
        ['CLIENT', 'REPLY', 'maybe'],
        ['CLIENT', 'REPLY', 'ON'],
        ['CLIENT', 'LIST', 'TYPE', 'foo'],
        ['CLIENT', 'LIST', 'ID', 'x'],
        ['CLIENT', 'LIST', 'ID', '0'],
        ['CLIENT', 'LIST', 'ID', '999999'],
        ['CLIENT', 'LIST', 'ID'],
        ['CLIENT', 'LIST', 'foo'],
        ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '1'],
        ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
        ['CLIENT', 'LIST', 'TYPE', 'master'],
        ['CLIENT', 'LIST', 'TYPE', 'replica'],
        ['CLIENT', 'LIST', 'TYPE', 'slave'],
        ['CLIENT', 'KILL', '1.2.3.4:5'],
        ['CLIENT', 'KILL', 'ID', 'x'],
        ['CLIENT', 'KILL', 'ID', '0'],
        ['CLIENT', 'KILL', 'ID', '-1'],
        ['CLIENT', 'KILL', 'ID', '999999'],
        ['CLIENT', 'KILL', 'TYPE', 'foo'],
        ['CLIENT', 'KILL', 'TYPE', 'master'],
        ['CLIENT', 'KILL', 'USER', 'nosuchuser'],
        ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
        ['CLIENT', 'KILL', 'foo', 'bar'],
        ['CLIENT', 'KILL', 'ID', '1', 'TYPE'],
        ['CLIENT', 'KILL', 'MAXAGE', '1'],
        ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'SKIPME', 'no'],
        ['CLIENT', 'KILL', 'LADDR', '1.2.3.4:5'],
        ['CLIENT', 'KILL'],
        ['CLIENT', 'NOSUCH'],
        ['CLIENT'],
      ],
    ]);
  });

  it('REPLY OFF, ON and SKIP', async () => {
    await both([
      [
        {
          raw: '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n',
          replies: 1,
        },
        ['PING'],
        {
          raw: '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*2\r\n$4\r\nECHO\r\n$1\r\na\r\n*2\r\n$4\r\nECHO\r\n$1\r\nb\r\n',
          replies: 1,
        },
        {
          raw: '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*2\r\n$4\r\nECHO\r\n$1\r\nc\r\n*2\r\n$4\r\nECHO\r\n$1\r\nd\r\n',
          replies: 1,
        },
        {
          raw: '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*1\r\n$6\r\nNOSUCH\r\n*1\r\n$4\r\nPING\r\n',
          replies: 1,
        },
        {
          raw: '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*1\r\n$6\r\nNOSUCH\r\n*1\r\n$4\r\nECHO\r\n*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n',
          replies: 1,
        },
        {
          raw: '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*2\r\n$6\r\nCLIENT\r\n$5\r\nBADXX\r\n*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n',
          replies: 1,
        },
      ],
    ]);
  });

  it('CLIENT INFO and CLIENT LIST lines have Redis 7.0.15 fields in order, with truthful values', async () => {
    const layouts: Record<string, string[]> = {};
    await eachServer(async (port, name) => {
      const a = await RawConnection.connect(port);
      const b = await RawConnection.connect(port);
      try {
        await a.call(['CLIENT', 'SETNAME', 'conn-a']);
        await a.call(['SELECT', '5']);
        const idA = parseReply(await a.call(['CLIENT', 'ID'])) as number;
        const idB = parseReply(await b.call(['CLIENT', 'ID'])) as number;
        const info = parseReply(await a.call(['CLIENT', 'INFO'])) as string;
        assert.ok(info.endsWith('\n') && !info.endsWith('\n\n'));
        const f = new Map(fieldsOf(info));
        layouts[name] = [...f.keys()];
        assert.equal(f.get('id'), String(idA));
        assert.equal(f.get('name'), 'conn-a');
        assert.equal(f.get('db'), '5');
        assert.equal(f.get('flags'), 'N');
        assert.equal(f.get('cmd'), 'client|info');
        assert.equal(f.get('user'), 'default');
        assert.equal(f.get('multi'), '-1');
        assert.equal(f.get('resp'), '2');
        assert.equal(f.get('redir'), '-1');
        assert.equal(f.get('argv-mem'), '10');
        assert.match(f.get('addr')!, /^127\.0\.0\.1:\d+$/);
        assert.equal(f.get('laddr'), `127.0.0.1:${port}`);
        const list = parseReply(await a.call(['CLIENT', 'LIST'])) as string;
        const lines = list.split('\n').filter((l) => l !== '');
        assert.ok(lines.length >= 2);
        assert.deepEqual(
          lines.map((l) => fieldsOf(l).map(([k]) => k)).find((k) => k.join() !== layouts[name]!.join()),
          undefined,
        );
        const mine = parseReply(await a.call(['CLIENT', 'LIST', 'ID', String(idB), String(idA)])) as string;
        assert.equal(mine.split('\n').filter((l) => l).length, 2);
        const other = new Map(fieldsOf(mine.split('\n').find((l) => l.startsWith(`id=${idB} `))!));
        assert.equal(other.get('cmd'), 'client|id');
        assert.equal(other.get('argv-mem'), '0');
        assert.equal(other.get('name'), '');
        const normal = parseReply(await a.call(['CLIENT', 'LIST', 'TYPE', 'normal'])) as string;
        assert.ok(normal.includes(`id=${idA} `) && normal.includes(`id=${idB} `));
        await b.call(['HELLO', '3']);
        const info3 = await b.call(['CLIENT', 'INFO']);
        assert.match(info3.toString('latin1'), /^=\d+\r\ntxt:id=/);
        assert.match(info3.toString('latin1'), / resp=3\n\r\n$/);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
    assert.deepEqual(layouts['cairn'], layouts['redis']);
  });

  it('KILL by ID, ADDR (old and new form), SKIPME', async () => {
    await eachServer(async (port, name) => {
      const a = await RawConnection.connect(port);
      const b = await RawConnection.connect(port);
      const c = await RawConnection.connect(port);
      try {
        const idB = parseReply(await b.call(['CLIENT', 'ID'])) as number;
        assert.equal((await a.call(['CLIENT', 'KILL', 'ID', String(idB)])).toString(), ':1\r\n', name);
        assert.equal((await b.readUntilClosed(2000)).length, 0);
        const infoC = parseReply(await c.call(['CLIENT', 'INFO'])) as string;
        const addrC = new Map(fieldsOf(infoC)).get('addr')!;
        assert.equal((await a.call(['CLIENT', 'KILL', addrC])).toString(), '+OK\r\n', name);
        assert.ok(c.isClosed || (await c.readUntilClosed(2000)).length === 0);
        const infoA = parseReply(await a.call(['CLIENT', 'INFO'])) as string;
        const addrA = new Map(fieldsOf(infoA)).get('addr')!;
        assert.equal((await a.call(['CLIENT', 'KILL', 'ADDR', addrA])).toString(), ':0\r\n', name);
        assert.equal((await a.call(['CLIENT', 'KILL', 'ADDR', addrA, 'SKIPME', 'no'])).toString(), ':1\r\n', name);
        assert.equal((await a.readUntilClosed(2000)).length, 0);
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });
  });

  it('cmd= is the command looked up, also when refused or queued, as Redis records it', async () => {
    await sameOnBoth(async (port) => {
      const a = await RawConnection.connect(port);
      const b = await RawConnection.connect(port);
      const ctl = await RawConnection.connect(port);
      try {
        const cmdOf = async (who: string): Promise<string> => {
          const list = parseReply(await ctl.call(['CLIENT', 'LIST'])) as string;
          const line = list.split('\n').find((l) => l.includes(` name=${who} `))!;
          return Object.fromEntries(fieldsOf(line))['cmd']!;
        };
        const out: string[] = [];
        await a.call(['CLIENT', 'SETNAME', 'A']);
        await b.call(['CLIENT', 'SETNAME', 'B']);
        for (const argv of [['GET'], ['NOSUCH', 'x'], ['CLIENT', 'NOSUCH'], ['CLIENT', 'GETNAME', 'x'], ['CLIENT']]) {
          await a.call(argv);
          out.push(`${argv.join(' ')}: ${await cmdOf('A')}`);
        }
        await b.call(['MULTI']);
        await b.call(['SET', 'k', 'v']);
        out.push(`queued SET: ${await cmdOf('B')}`);
        await b.call(['CLIENT', 'INFO']);
        const exec = parseReply(await b.call(['EXEC'])) as string[];
        out.push(`CLIENT INFO inside EXEC: ${Object.fromEntries(fieldsOf(exec[1]!))['cmd']}`);
        out.push(`after EXEC: ${await cmdOf('B')}`);
        return out;
      } finally {
        await Promise.all([a.close(), b.close(), ctl.close()]);
      }
    });
  });

  it('SETINFO and NO-TOUCH are Redis 7.2 additions: unknown subcommands, as in 7.0.15; HELP lists neither', async () => {
    await both([
      [
        ['CLIENT', 'SETINFO', 'LIB-NAME', 'mylib'],
        ['CLIENT', 'NO-TOUCH', 'on'],
        ['CLIENT', 'HELP'],
        ['COMMAND', 'INFO', 'client|setinfo', 'client|no-touch'],
      ],
    ]);
  });
});

describe('MONITOR connections, CLIENT REPLY SKIP before a blocking command, the d flag', () => {
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  /** What arrived on a connection within `ms`, with MONITOR lines' time and address masked. */
  const arrived = async (conn: RawConnection, ms = 60): Promise<string> =>
    (await conn.readAvailable(ms, 2000)).toString('latin1').replace(/^\+\d+\.\d+ \[(\d+) [^\]]+\]/gm, '+TS [$1 ADDR]');

  it('match Redis: a monitor may not touch the keyspace, its own QUIT is not shown to it', async () => {
    await sameOnBoth(async (port) => {
      const m = await RawConnection.connect(port);
      const c = await RawConnection.connect(port);
      const out: string[] = [];
      try {
        await c.call(['DEL', 'a']);
        out.push(await (m.send(['MONITOR']), arrived(m)));
        for (const argv of [['GET', 'a'], ['SET', 'a', '1'], ['PUBLISH', 'x', 'y'], ['DBSIZE'], ['SELECT', '0']]) {
          m.send(argv);
          out.push(`${argv.join(' ')}: ${await arrived(m)}`);
        }
        out.push(`EXISTS a (other client): ${(await c.call(['EXISTS', 'a'])).toString('latin1')}`);
        out.push(`monitor saw: ${await arrived(m)}`);
        m.send(['QUIT']);
        out.push(`QUIT: ${await arrived(m)}`);
        return out;
      } finally {
        await Promise.all([m.close(), c.close()]);
      }
    });
  });

  it('match Redis: after CLIENT REPLY SKIP a blocked command sends nothing, served or timed out; WATCH sets d', async () => {
    await sameOnBoth(async (port) => {
      const a = await RawConnection.connect(port);
      const c = await RawConnection.connect(port);
      const out: string[] = [];
      try {
        await c.call(['DEL', 'k', 'k2', 'x']);
        a.send(['CLIENT', 'REPLY', 'SKIP']);
        a.send(['BLPOP', 'k', '0']);
        await pause(50);
        out.push(`RPUSH: ${(await c.call(['RPUSH', 'k', 'v'])).toString('latin1')}`);
        a.send(['LLEN', 'k']);
        out.push(`served: ${await arrived(a)}`);
        a.send(['CLIENT', 'REPLY', 'SKIP']);
        a.send(['BLPOP', 'k2', '0.05']);
        await pause(200);
        a.send(['PING']);
        out.push(`timed out: ${await arrived(a)}`);
        await a.call(['WATCH', 'x']);
        await c.call(['SET', 'x', '1']);
        const info = parseReply(await a.call(['CLIENT', 'INFO'])) as string;
        out.push(`flags after a watched key changed: ${/ flags=(\S+) /.exec(info)?.[1]}`);
        await a.call(['UNWATCH']);
        const after = parseReply(await a.call(['CLIENT', 'INFO'])) as string;
        out.push(`after UNWATCH: ${/ flags=(\S+) /.exec(after)?.[1]}`);
        return out;
      } finally {
        await Promise.all([a.close(), c.close()]);
      }
    });
  });
});

describe('RESET, CLIENT LIST ID, CLIENT KILL options, events', () => {
  it('RESET keeps CLIENT NO-EVICT, and is silenced by a CLIENT REPLY SKIP before it', async () => {
    await sameOnBoth(async (port) => {
      const a = await RawConnection.connect(port);
      try {
        const flags = async (): Promise<string> =>
          / flags=(\S+) /.exec(parseReply(await a.call(['CLIENT', 'INFO'])) as string)![1]!;
        await a.call(['CLIENT', 'NO-EVICT', 'on']);
        await a.call(['RESET']);
        const out = [await flags()];
        a.sendRaw(Buffer.from('CLIENT REPLY SKIP\r\nRESET\r\nPING\r\n'));
        out.push((await a.readAvailable(150)).toString('latin1'));
        return out;
      } finally {
        await a.close();
      }
    });
  });

  it('CLIENT LIST ID lists in the order asked, repeats included', async () => {
    await sameOnBoth(async (port) => {
      const a = await RawConnection.connect(port);
      const b = await RawConnection.connect(port);
      const c = await RawConnection.connect(port);
      try {
        const idOf = async (x: RawConnection): Promise<string> => String(parseReply(await x.call(['CLIENT', 'ID'])));
        const [ib, ic] = [await idOf(b), await idOf(c)];
        const names = async (...ids: string[]): Promise<string[]> =>
          (parseReply(await a.call(['CLIENT', 'LIST', 'ID', ...ids])) as string)
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => (l.includes(`id=${ib} `) ? 'b' : l.includes(`id=${ic} `) ? 'c' : 'other'));
        return [...(await names(ic, ib)), '--', ...(await names(ib, ic, ib)), '--', ...(await names(ic, '999999', ic))];
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });
  });

  it('CLIENT KILL checks its options in turn: an option without a value is a syntax error only when reached', async () => {
    await both([
      [
        ['CLIENT', 'KILL', 'TYPE', 'bogus', 'ID'],
        ['CLIENT', 'KILL', 'USER', 'nosuch', 'SKIPME'],
        ['CLIENT', 'KILL', 'ID', '0', 'TYPE'],
        ['CLIENT', 'KILL', 'ID', '5', 'TYPE'],
        ['CLIENT', 'KILL', 'SKIPME', 'maybe', 'ID'],
        ['CLIENT', 'KILL', 'ID', '999999', 'SKIPME'],
      ],
    ]);
  });

  it('CLIENT INFO shows events=r while replies are only queued', async () => {
    await sameOnBoth(async (port) => {
      const a = await RawConnection.connect(port);
      try {
        a.sendRaw(Buffer.from('PING\r\nCLIENT INFO\r\n'));
        const got = (await a.readAvailable(150)).toString('latin1');
        return [/ events=(\S+) /.exec(got)![1]!];
      } finally {
        await a.close();
      }
    });
  });
});
