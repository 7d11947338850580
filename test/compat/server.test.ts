// Server and introspection commands against real Redis 7.0.15: CONFIG, COMMAND, INFO, OBJECT, MEMORY, SLOWLOG,
// LATENCY, DEBUG, TIME, LASTSAVE, ROLE, SHUTDOWN, MONITOR. Deterministic replies are compared byte for byte (RESP2 and
// RESP3); INFO is compared by structure; MONITOR with two connections per server.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedPair, startRedis } from '../support/servers.js';
import { startProc } from '../support/procs.js';
import { compareScripts, type Script, type Normalizer } from '../support/differential.js';
import { RawConnection, formatReply, parseReply, type RespValue } from '../support/resp.js';
import { Config, startServer } from '../../src/index.js';

const getPair = sharedPair({ cairnOptions: { 'enable-debug-command': 'yes' } });

const both = async (scripts: readonly Script[]): Promise<void> => {
  const pair = await getPair();
  await compareScripts(pair, scripts, { resp: 2 });
  await compareScripts(pair, scripts, { resp: 3 });
};

/** Blanks the parts of a slowlog entry that differ between servers: id, time, duration, client address. */
const slowlogNormalize: Normalizer = (reply) => {
  const v = parseReply(reply);
  if (!Array.isArray(v)) return reply;
  return JSON.stringify(v.map((e) => (Array.isArray(e) ? [e[3], e[5]] : e)));
};

/** Sorts INFO lines and blanks timings (usec=…, usec_per_call=…). */
const infoStatsNormalize: Normalizer = (reply) => {
  const v = parseReply(reply);
  if (typeof v !== 'string') return reply;
  return v
    .split('\r\n')
    .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=X'))
    .sort()
    .join('\n');
};

describe('CONFIG', () => {
  it('GET, SET and their errors match', async () => {
    await both([
      [
        ['CONFIG', 'GET', 'hz'],
        ['CONFIG', 'GET', 'HZ'],
        ['CONFIG', 'GET', 'hz', 'timeout', 'hz'],
        ['CONFIG', 'GET', 'slowlog-*'],
        ['CONFIG', 'GET', 'nosuchparameter'],
        ['CONFIG', 'GET'],
        ['CONFIG', 'SET', 'hz', '20'],
        ['CONFIG', 'GET', 'hz'],
        ['CONFIG', 'SET', 'hz', '10', 'timeout', '0'],
        ['CONFIG', 'SET', 'hz', 'x'],
        ['CONFIG', 'SET', 'hz', '-1'],
        ['CONFIG', 'SET', 'hz', '10', 'hz', '11'],
        ['CONFIG', 'SET', 'HZ', '10', 'hz', '11'],
        ['CONFIG', 'SET', 'hz', '12', 'nosuch', '1'],
        ['CONFIG', 'GET', 'hz'],
        ['CONFIG', 'SET', 'hz', '10', 'timeout'],
        ['CONFIG', 'SET', 'hz'],
        ['CONFIG', 'SET', 'nosuch', '1'],
        ['CONFIG', 'SET', 'databases', '3'],
        ['CONFIG', 'SET', 'maxclients', '0'],
        ['CONFIG', 'SET', 'loglevel', 'loud'],
        ['CONFIG', 'SET', 'slowlog-max-len', '-1'],
        ['CONFIG', 'SET', 'proto-max-bulk-len', '1k'],
        ['CONFIG', 'SET', 'proto-max-bulk-len', 'abc'],
        ['CONFIG', 'SET', 'timeout', '-1'],
        ['CONFIG', 'SET', 'dir', '/tmp'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
        ['CONFIG', 'GET', 'proc-title-template'],
        ['CONFIG', 'GET', 'set-proc-title'],
        ['CONFIG', 'SET', 'set-proc-title', 'no'],
        ['CONFIG', 'SET', 'proc-title-template', '{xyz}'],
        ['CONFIG', 'SET', 'proc-title-template', ''],
        ['CONFIG', 'SET', 'proc-title-template', '{title}'],
        ['CONFIG', 'SET', 'proc-title-template', '{port'],
        ['CONFIG', 'SET', 'proc-title-template', '{'],
        ['CONFIG', 'SET', 'proc-title-template', '{{title} {port}'],
        ['CONFIG', 'GET', 'proc-title-template'],
        ['CONFIG', 'SET', 'proc-title-template', '{title} {listen-addr} {server-mode}'],
        ['CONFIG', 'SET', 'aof-timestamp-enabled', 'maybe'],
        ['CONFIG', 'GET', 'aof-timestamp-enabled'],
        ['CONFIG', 'GET', 'activerehashing'],
        ['CONFIG', 'SET', 'activerehashing', 'maybe'],
        ['CONFIG', 'SET', 'activerehashing', 'no'],
        ['CONFIG', 'GET', 'activerehashing'],
        ['CONFIG', 'SET', 'activerehashing', 'yes'],
        ['CONFIG', 'GET', 'shutdown-on-*'],
        ['CONFIG', 'SET', 'shutdown-on-sigint', 'FORCE nosave now'],
        ['CONFIG', 'GET', 'shutdown-on-sigint'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'save nosave'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'bogus'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', ''],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'now  force'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'default save'],
        ['CONFIG', 'GET', 'shutdown-on-sigterm'],
        ['CONFIG', 'SET', 'shutdown-on-sigint', 'default', 'shutdown-on-sigterm', 'default'],
        ['CONFIG', 'REWRITE'],
        ['CONFIG', 'RESETSTAT'],
        ['CONFIG', 'HELP'],
        ['CONFIG', 'NOSUCH'],
        ['CONFIG'],
      ],
    ]);
  });

  it('CONFIG GET of every directive both servers have gives the same value', async () => {
    const pair = await getPair();
    const r = await RawConnection.connect(pair.redis.port);
    const c = await RawConnection.connect(pair.cairn.port);
    // Directives whose value is set by how the test starts each server, not by their defaults.
    const startup = new Set([
      'port',
      'bind',
      'dir',
      'logfile',
      'pidfile',
      'loglevel',
      'enable-debug-command',
      'save',
      'appendonly',
    ]);
    try {
      const names = parseReply(await c.call(['CONFIG', 'GET', '*'])) as string[];
      const diffs: string[] = [];
      for (let i = 0; i < names.length; i += 2) {
        const n = names[i]!;
        if (startup.has(n)) continue;
        const [rr, cr] = await Promise.all([r.call(['CONFIG', 'GET', n]), c.call(['CONFIG', 'GET', n])]);
        if (rr.toString('latin1') === '*0\r\n') continue; // a Cairn-only directive
        if (!rr.equals(cr)) diffs.push(`${n}: redis ${formatReply(rr)} / cairn ${formatReply(cr)}`);
      }
      assert.deepEqual(diffs, []);
    } finally {
      await Promise.all([r.close(), c.close()]);
    }
  });

  it('CONFIG REWRITE writes the config file the server started with', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-rewrite-'));
    const file = path.join(dir, 'cairn.conf');
    // The data directory is the temporary one, so the snapshot taken on close stays out of the working tree.
    // maxclients is set low: under a low `ulimit -n` the default would be lowered at start and so be rewritten.
    fs.writeFileSync(file, `# my settings\nport 0\ndir ${dir}\nhz 15\nhz 16\nmaxclients 100\nloglevel warning\n`);
    const config = new Config();
    config.loadText(fs.readFileSync(file, 'utf8'));
    config.configFile = file;
    const s = await startServer({}, config);
    const conn = await RawConnection.connect(s.port);
    try {
      assert.equal((await conn.call(['CONFIG', 'SET', 'hz', '25', 'timeout', '7', 'save', ''])).toString(), '+OK\r\n');
      assert.equal((await conn.call(['CONFIG', 'REWRITE'])).toString(), '+OK\r\n');
      const text = fs.readFileSync(file, 'utf8');
      // Without an aclfile the users are written too, as Redis does (acl-config.test.ts compares them with Redis).
      assert.equal(
        text,
        `# my settings\nport 0\ndir ${dir}\nhz 25\nmaxclients 100\nloglevel warning\n# Generated by CONFIG REWRITE\n` +
          'timeout 7\n' +
          // No save points: an empty value, written as Redis writes it.
          'save ""\n' +
          'user default on nopass ~* &* +@all\n',
      );
      const info = parseReply(await conn.call(['INFO', 'server'])) as string;
      assert.match(info, new RegExp(`config_file:${file.replace(/[.\\/]/g, '\\$&')}\r\n`));
      const again = new Config();
      again.loadText(text);
      assert.equal(again.values.hz, 25);
      assert.equal(again.get(['save'])[0]![1], '');
    } finally {
      await conn.close();
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('COMMAND', () => {
  it('GETKEYS, GETKEYSANDFLAGS, LIST, COUNT arity and HELP match', async () => {
    await both([
      [
        ['COMMAND', 'GETKEYS', 'object', 'encoding', 'k'],
        ['COMMAND', 'GETKEYS', 'OBJECT', 'ENCODING', 'k'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'object', 'encoding', 'k'],
        ['COMMAND', 'GETKEYS', 'memory', 'usage', 'k', 'samples', '5'],
        ['COMMAND', 'GETKEYS', 'del', 'a', 'b', 'c'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'del', 'a', 'b'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'rename', 'a', 'b'],
        ['COMMAND', 'GETKEYS', 'object', 'encoding'],
        ['COMMAND', 'GETKEYS', 'object', 'nosuch', 'k'],
        ['COMMAND', 'GETKEYS', 'nosuchcommand', 'a'],
        ['COMMAND', 'GETKEYS', 'config', 'get', 'x'],
        ['COMMAND', 'GETKEYS', 'ping', 'x'],
        ['COMMAND', 'GETKEYS', 'time', 'x'],
        ['COMMAND', 'GETKEYS'],
        ['COMMAND', 'COUNT', 'x'],
        ['COMMAND', 'LIST', 'FILTERBY'],
        ['COMMAND', 'LIST', 'x', 'y'],
        ['COMMAND', 'LIST', 'FILTERBY', 'nosuch', 'x'],
        ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'],
        ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'],
        { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'config*'], mode: 'unordered' },
        { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'CONFIG|G*'], mode: 'unordered' },
        { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'slowlog|*'], mode: 'unordered' },
        ['COMMAND', 'HELP'],
        ['COMMAND', 'NOSUCH'],
        { args: ['COMMAND', 'DOCS', 'nosuchcommand'] },
      ],
    ]);
  });

  it('COMMAND DOCS of the server, client and introspection commands match', async () => {
    const pair = await getPair();
    const toPlain = (v: RespValue): unknown => {
      if (v instanceof Map) {
        return Object.fromEntries(
          [...v.entries()]
            .map(([k, x]) => [String(k), toPlain(x)])
            .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
        );
      }
      if (v instanceof Set) return [...v].map(toPlain);
      if (Array.isArray(v)) return v.map(toPlain);
      return v;
    };
    const names = [
      'info',
      'config',
      'time',
      'lastsave',
      'role',
      'shutdown',
      'monitor',
      'debug',
      'command',
      'object',
      'slowlog',
      'latency|latest',
      'latency|history',
      'latency|reset',
      'latency|doctor',
      'memory|usage',
      'client|list',
      'client|kill',
      'client|reply',
      'client|id',
      'client|info',
      'client|setname',
      'client|getname',
      'client|no-evict',
      'client|getredir',
    ];
    for (const resp of [2, 3] as const) {
      const r = await RawConnection.connect(pair.redis.port);
      const c = await RawConnection.connect(pair.cairn.port);
      if (resp === 3) {
        await r.call(['HELLO', '3']);
        await c.call(['HELLO', '3']);
      }
      try {
        for (const n of names) {
          const [rr, cr] = await Promise.all([r.call(['COMMAND', 'DOCS', n]), c.call(['COMMAND', 'DOCS', n])]);
          if (resp === 2) {
            // RESP2 maps are flat arrays whose order follows the hash table for subcommands: compare containers as RESP3.
            if (!n.includes('|') && ['config', 'command', 'object', 'slowlog'].includes(n)) continue;
            assert.equal(formatReply(cr, 100000), formatReply(rr, 100000), `COMMAND DOCS ${n}`);
          } else {
            assert.deepEqual(toPlain(parseReply(cr)), toPlain(parseReply(rr)), `COMMAND DOCS ${n}`);
          }
        }
      } finally {
        await Promise.all([r.close(), c.close()]);
      }
    }
  });
});

describe('OBJECT and MEMORY', () => {
  it('on string values made by DEBUG POPULATE', async () => {
    await both([
      [
        ['DEBUG', 'POPULATE', '2', 'k'],
        ['DEBUG', 'POPULATE', '1', 'big', '100'],
        ['DEBUG', 'POPULATE', '1', 'edge', '44'],
        ['DEBUG', 'POPULATE', '1', 'edge45', '45'],
        ['DEBUG', 'POPULATE', '1', 'large', '1000'],
        ['DEBUG', 'POPULATE', '1', 'a-somewhat-longer-key-name-over-32-bytes', '300'],
        ['OBJECT', 'ENCODING', 'k:0'],
        ['OBJECT', 'ENCODING', 'big:0'],
        ['OBJECT', 'ENCODING', 'edge:0'],
        ['OBJECT', 'ENCODING', 'edge45:0'],
        ['OBJECT', 'ENCODING', 'nosuch'],
        ['OBJECT', 'REFCOUNT', 'k:0'],
        ['OBJECT', 'REFCOUNT', 'nosuch'],
        ['OBJECT', 'FREQ', 'k:0'],
        ['OBJECT', 'FREQ', 'nosuch'],
        // Idle time counts whole seconds of a clock that may tick between the write and this read: 0 or 1.
        { args: ['OBJECT', 'IDLETIME', 'k:1'], mode: 'type' },
        ['OBJECT', 'IDLETIME', 'nosuch'],
        ['OBJECT', 'ENCODING'],
        ['OBJECT', 'ENCODING', 'a', 'b'],
        ['OBJECT', 'NOSUCH', 'a'],
        ['OBJECT', 'HELP'],
        { args: ['MEMORY', 'USAGE', 'k:0'], mode: 'exact' },
        { args: ['MEMORY', 'USAGE', 'big:0'], mode: 'exact' },
        { args: ['MEMORY', 'USAGE', 'edge:0'], mode: 'exact' },
        { args: ['MEMORY', 'USAGE', 'edge45:0'], mode: 'exact' },
        { args: ['MEMORY', 'USAGE', 'large:0'], mode: 'exact' },
        { args: ['MEMORY', 'USAGE', 'a-somewhat-longer-key-name-over-32-bytes:0'], mode: 'exact' },
        { args: ['MEMORY', 'USAGE', 'k:0', 'SAMPLES', '0'], mode: 'exact' },
        ['MEMORY', 'USAGE', 'nosuch'],
        ['MEMORY', 'USAGE', 'k:0', 'SAMPLES', '-1'],
        ['MEMORY', 'USAGE', 'k:0', 'SAMPLES', 'x'],
        ['MEMORY', 'USAGE', 'k:0', 'SAMPLES'],
        ['MEMORY', 'USAGE', 'k:0', 'foo'],
        ['MEMORY', 'USAGE'],
        ['MEMORY', 'NOSUCH'],
        ['MEMORY', 'PURGE'],
      ],
    ]);
  });
});

describe('MEMORY DOCTOR', () => {
  it("reports an empty instance with Redis's text, a verbatim string in RESP3; MEMORY HELP and ACL rules know it", async () => {
    // Processes of their own: an in-process server's heap holds the test runner's garbage too.
    const [redis, cairn] = await Promise.all([startProc('redis'), startProc('cairn')]);
    try {
      const scripts: Script[] = [
        [
          ['FLUSHALL'],
          ['MEMORY', 'DOCTOR'],
          ['MEMORY', 'DOCTOR', 'x'],
          ['MEMORY', 'HELP'],
          ['ACL', 'SETUSER', 'doc', '+memory|doctor', '-memory|nosuch'],
          ['ACL', 'SETUSER', 'doc', 'reset', '+memory|doctor'],
          ['ACL', 'GETUSER', 'doc'],
          ['ACL', 'DELUSER', 'doc'],
          ['COMMAND', 'INFO', 'memory|doctor'],
          ['COMMAND', 'DOCS', 'memory|doctor'],
        ],
      ];
      await compareScripts({ redis, cairn }, scripts, { resp: 2 });
      await compareScripts({ redis, cairn }, scripts, { resp: 3 });
    } finally {
      await Promise.all([redis.stop(), cairn.stop()]);
    }
  });

  it('gives one of its reports with data', async () => {
    const cairn = await startServer({ port: 0, save: '', appendonly: false, 'enable-debug-command': 'yes' });
    try {
      const conn = await RawConnection.connect(cairn.port);
      assert.equal((await conn.call(['DEBUG', 'POPULATE', '200000', 'k', '64'])).toString(), '+OK\r\n');
      const text = String(parseReply(await conn.call(['MEMORY', 'DOCTOR'])));
      assert.match(text, /^(Hi Sam, I can't find any memory issue|Sam, I detected a few issues)/);
      if (text.startsWith('Sam,'))
        assert.match(text, /\n \* [A-Z][^:]+: [^]+I'm here to keep you safe, Sam\. I want to help you\.\n$/);
      await conn.close();
    } finally {
      await cairn.close();
    }
  });
});

describe('MEMORY STATS', () => {
  it("has Redis's fields in Redis's order, a map for each database with keys, in RESP2 and RESP3", async () => {
    // The figures are each server's own: compared are the names, the nesting and the kind of each value.
    const shape = (raw: Buffer): string =>
      raw
        .toString('latin1')
        .split('\r\n')
        .map((l) =>
          /^:-?\d+$/.test(l)
            ? ':int'
            : l.startsWith(',')
              ? ',double'
              : /^\$\d+$/.test(l)
                ? '$'
                : /^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(l)
                  ? 'number'
                  : l,
        )
        .join(' ');
    const pair = await getPair();
    const shapes: string[][] = [];
    for (const port of [pair.redis.port, pair.cairn.port]) {
      const conn = await RawConnection.connect(port);
      try {
        await conn.call(['FLUSHALL']);
        await conn.call(['SET', 'a', '1', 'EX', '100']);
        await conn.call(['SELECT', '3']);
        await conn.call(['SET', 'b', '2']);
        await conn.call(['SELECT', '0']);
        const out: string[] = [];
        out.push(shape(await conn.call(['MEMORY', 'STATS'])));
        out.push((await conn.call(['MEMORY', 'STATS', 'x'])).toString('latin1'));
        await conn.call(['HELLO', '3']);
        out.push(shape(await conn.call(['MEMORY', 'STATS'])));
        await conn.call(['FLUSHALL']);
        out.push(shape(await conn.call(['MEMORY', 'STATS'])));
        shapes.push(out);
      } finally {
        await conn.close();
      }
    }
    assert.deepEqual(shapes[1], shapes[0]);
    assert.match(shapes[0]![0]!, /db\.0 .*db\.3 /);
  });
});

describe('SLOWLOG and LATENCY', () => {
  it('match', async () => {
    await both([
      [
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
        ['SLOWLOG', 'RESET'],
        ['SLOWLOG', 'LEN'],
        ['PING', 'hello'],
        { args: ['SLOWLOG', 'GET', '2'], normalize: slowlogNormalize },
        { args: ['SLOWLOG', 'GET', '-1'], normalize: slowlogNormalize },
        ['SLOWLOG', 'GET', '0'],
        ['SLOWLOG', 'GET', '-2'],
        ['SLOWLOG', 'GET', 'x'],
        ['SLOWLOG', 'GET', '1', '2'],
        ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
        ['SLOWLOG', 'RESET'],
        ['SLOWLOG', 'LEN'],
        ['SLOWLOG', 'GET'],
        ['SLOWLOG', 'HELP'],
        ['SLOWLOG'],
        ['LATENCY', 'LATEST'],
        ['LATENCY', 'HISTORY', 'command'],
        ['LATENCY', 'HISTORY'],
        ['LATENCY', 'RESET'],
        ['LATENCY', 'RESET', 'a', 'b'],
        ['LATENCY', 'DOCTOR'],
        ['CONFIG', 'SET', 'latency-monitor-threshold', '100'],
        ['LATENCY', 'DOCTOR'],
        ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
      ],
    ]);
  });

  it('slow commands are recorded by the latency monitor and the slowlog', async () => {
    const s = await startServer({ port: 0, 'latency-monitor-threshold': 10, 'enable-debug-command': 'yes' });
    const conn = await RawConnection.connect(s.port);
    try {
      await conn.call(['DEBUG', 'SLEEP', '0.05']);
      const latest = parseReply(await conn.call(['LATENCY', 'LATEST'])) as RespValue[][];
      assert.equal(latest.length, 1);
      assert.equal(latest[0]![0], 'command');
      assert.ok((latest[0]![2] as number) >= 40);
      const hist = parseReply(await conn.call(['LATENCY', 'HISTORY', 'command'])) as number[][];
      assert.equal(hist.length, 1);
      const doctor = parseReply(await conn.call(['LATENCY', 'DOCTOR'])) as string;
      assert.match(doctor, /^Dave, I have observed latency spikes/);
      assert.match(doctor, /1\. command: 1 latency spikes/);
      const slow = parseReply(await conn.call(['SLOWLOG', 'GET'])) as RespValue[][];
      assert.deepEqual(slow[0]![3], ['DEBUG', 'SLEEP', '0.05']);
      assert.ok((slow[0]![2] as number) >= 40000);
      assert.equal(parseReply(await conn.call(['LATENCY', 'RESET'])), 1);
    } finally {
      await conn.close();
      await s.close();
    }
  });
});

describe('LATENCY DOCTOR after slow commands', () => {
  it('reports the events, statistics and advice as Redis does', async () => {
    const redis = await startRedis(['--latency-monitor-threshold', '5']);
    const cairn = await startServer({ port: 0, 'latency-monitor-threshold': 5, 'enable-debug-command': 'yes' });
    try {
      const reports: string[] = [];
      for (const port of [redis.port, cairn.port]) {
        const conn = await RawConnection.connect(port);
        // Both sleeps in one second (samples of the same second merge): start just after a second begins, or the
        // spike count depends on where the boundary falls on each server.
        await new Promise((r) => setTimeout(r, 1020 - (Date.now() % 1000)));
        await conn.call(['DEBUG', 'SLEEP', '0.02']);
        await conn.call(['DEBUG', 'SLEEP', '0.04']);
        for (const [slower, hz] of [
          ['10000', '10'],
          ['-1', '100'],
          ['1000', '10'],
        ]) {
          await conn.call(['CONFIG', 'SET', 'slowlog-log-slower-than', slower!, 'hz', hz!]);
          const doctor = parseReply(await conn.call(['LATENCY', 'DOCTOR'])) as string;
          // Latencies and periods depend on timing: the numbers are checked apart from the text.
          const m =
            /average (\d+)ms, mean deviation (\d+)ms, period ([\d.]+) sec\)\. Worst all time event (\d+)ms/.exec(
              doctor,
            );
          assert.ok(m, doctor);
          assert.ok(Number(m[1]) >= 20 && Number(m[4]) >= 30 && Number(m[3]) >= 0.5, doctor);
          reports.push(doctor.replace(/\d+ms/g, 'Nms').replace(/period [\d.]+ sec/, 'period N sec'));
        }
        await conn.close();
      }
      assert.deepEqual(reports.slice(3), reports.slice(0, 3));
    } finally {
      await cairn.close();
      await redis.stop();
    }
  });
});

describe('DEBUG, TIME, LASTSAVE, ROLE, SHUTDOWN', () => {
  it('match', async () => {
    await both([
      [
        ['DEBUG', 'SLEEP', '0'],
        ['DEBUG', 'SLEEP', 'x'],
        ['DEBUG', 'SLEEP'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE'],
        ['DEBUG', 'CHANGE-REPL-ID'],
        ['DEBUG', 'CHANGE-REPL-ID', 'x'],
        ...[
          '1b',
          '0',
          '1',
          '1024',
          '10kb',
          '1mb',
          '4gb',
          '4095mb',
          '4096mb',
          '4293918720',
          '4293918721',
          '4294967296',
          '-1',
          'x',
          '1tb',
          '',
        ].map((v) => ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', v]),
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
        ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD'],
        ['DEBUG', 'OBJECT', 'nosuch'],
        ['DEBUG', 'LOG', 'hello from the test'],
        ['DEBUG', 'ERROR', 'MYERR something went wrong'],
        ['DEBUG', 'POPULATE', 'x'],
        ['DEBUG', 'POPULATE', '-1'],
        ['DEBUG', 'POPULATE', '3', 'p', 'x'],
        ['DEBUG', 'POPULATE', '3'],
        ['DEBUG', 'POPULATE', '5'],
        ['DBSIZE'],
        ['DEBUG', 'NOSUCH'],
        ['DEBUG', 'HELP', 'x'],
        ['DEBUG', 'PROTOCOL'],
        ['DEBUG', 'PROTOCOL', 'string', 'x'],
        ['DEBUG'],
        ['TIME'],
        ['TIME', 'x'],
        ['LASTSAVE'],
        ['LASTSAVE', 'x'],
        ['SET', 'written', '1'],
        ['ROLE'],
        ['ROLE', 'x'],
        ['SHUTDOWN', 'ABORT'],
        ['SHUTDOWN', 'NOSAVE', 'SAVE'],
        ['SHUTDOWN', 'ABORT', 'NOW'],
        ['SHUTDOWN', 'NOW', 'ABORT'],
        ['SHUTDOWN', 'FOO'],
      ],
    ]);
  });

  it('DEBUG CHANGE-REPL-ID gives INFO a new master_replid, as Redis does', async () => {
    const pair = await getPair();
    for (const port of [pair.redis.port, pair.cairn.port]) {
      const conn = await RawConnection.connect(port);
      try {
        const replid = async (): Promise<[string, string]> => {
          const text = (await conn.call(['INFO', 'replication'])).toString('latin1');
          return [/master_replid:(\w+)/.exec(text)![1]!, /master_replid2:(\w+)/.exec(text)![1]!];
        };
        const [before] = await replid();
        assert.equal((await conn.call(['DEBUG', 'CHANGE-REPL-ID'])).toString(), '+OK\r\n');
        const [after, second] = await replid();
        assert.match(after, /^[0-9a-f]{40}$/);
        assert.notEqual(after, before);
        assert.equal(second, '0'.repeat(40));
      } finally {
        await conn.close();
      }
    }
  });

  it('DEBUG PROTOCOL sends the same test values in RESP2 and RESP3', async () => {
    const pair = await getPair();
    const seen: Record<string, string[]> = {};
    for (const [name, port] of [
      ['redis', pair.redis.port],
      ['cairn', pair.cairn.port],
    ] as const) {
      const out: string[] = [];
      for (const proto of ['2', '3']) {
        const conn = await RawConnection.connect(port);
        try {
          await conn.call(['HELLO', proto]);
          for (const t of [
            'string',
            'integer',
            'double',
            'bignum',
            'null',
            'array',
            'set',
            'map',
            'attrib',
            'push',
            'verbatim',
            'true',
            'false',
            'xx',
            'STRING',
          ]) {
            conn.send(['DEBUG', 'PROTOCOL', t]);
            out.push(`${proto} ${t}: ${(await conn.readAvailable(60)).toString('latin1')}`);
          }
        } finally {
          await conn.close();
        }
      }
      seen[name] = out;
    }
    assert.deepEqual(seen['cairn'], seen['redis']);
  });

  it('DEBUG OBJECT reports encoding and lengths', async () => {
    const pair = await getPair();
    for (const port of [pair.redis.port, pair.cairn.port]) {
      const conn = await RawConnection.connect(port);
      try {
        await conn.call(['DEBUG', 'POPULATE', '1', 'dobj']);
        const line = parseReply(await conn.call(['DEBUG', 'OBJECT', 'dobj:0'])) as string;
        assert.match(
          line,
          /^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:8 lru:\d+ lru_seconds_idle:\d+$/,
        );
      } finally {
        await conn.close();
      }
    }
  });

  it('DEBUG SLEEP blocks the server', async () => {
    const pair = await getPair();
    const a = await RawConnection.connect(pair.cairn.port);
    const b = await RawConnection.connect(pair.cairn.port);
    try {
      const t0 = Date.now();
      a.send(['DEBUG', 'SLEEP', '0.2']);
      await new Promise((r) => setTimeout(r, 20));
      await b.call(['PING']);
      assert.ok(Date.now() - t0 >= 190);
      assert.equal((await a.readReply()).toString(), '+OK\r\n');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('SHUTDOWN stops the server and closes the connection without a reply', async () => {
    const s = await startServer({ port: 0 });
    const conn = await RawConnection.connect(s.port);
    const rest = await conn.readUntilClosed(5000).catch(() => Buffer.alloc(0));
    void rest;
    const c2 = await RawConnection.connect(s.port);
    c2.send(['SHUTDOWN', 'NOSAVE']);
    const got = await c2.readUntilClosed(5000);
    assert.equal(got.length, 0);
    await assert.rejects(RawConnection.connect(s.port, '127.0.0.1', 1000));
    await conn.close();
  });
});

/** INFO text → section title → field names, in order. */
function infoFields(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) {
      cur = [];
      out.set(line.slice(2), cur);
    } else if (line !== '' && cur) {
      cur.push(line.slice(0, line.indexOf(':')));
    }
  }
  return out;
}

/**
 * INFO fields Redis prints that Cairn leaves out: the atomic-variable API of a C build, and the size of a
 * replication backlog Cairn has no setting for.
 */
const INFO_NOT_PRINTED = new Set(['atomicvar_api', 'repl_backlog_size']);

describe('INFO', () => {
  it('sections, field names and layout follow Redis', async () => {
    const pair = await getPair();
    const r = await RawConnection.connect(pair.redis.port);
    const c = await RawConnection.connect(pair.cairn.port);
    try {
      for (const args of [
        ['INFO'],
        ['INFO', 'default'],
        ['INFO', 'all'],
        ['INFO', 'everything'],
        ['INFO', 'server', 'clients'],
        ['INFO', 'CPU'],
        ['INFO', 'commandstats'],
        ['INFO', 'nosuch'],
        ['INFO', 'keyspace', 'nosuch'],
      ]) {
        const rt = parseReply(await r.call(args)) as string;
        const ct = parseReply(await c.call(args)) as string;
        const rf = infoFields(rt);
        const cf = infoFields(ct);
        assert.deepEqual([...cf.keys()], [...rf.keys()], `sections of ${args.join(' ')}`);
        for (const [sec, names] of cf) {
          const known = new Set(rf.get(sec));
          const prefixed = (n: string): boolean =>
            (sec === 'Commandstats' && n.startsWith('cmdstat_')) ||
            (sec === 'Errorstats' && n.startsWith('errorstat_')) ||
            (sec === 'Latencystats' && n.startsWith('latency_percentiles_usec_')) ||
            (sec === 'Keyspace' && /^db\d+$/.test(n));
          const extra = names.filter((n) => !known.has(n) && !n.startsWith('cairn_') && !prefixed(n));
          assert.deepEqual(extra, [], `fields of # ${sec} that Redis does not print`);
          // Every field Redis prints, in Redis's order, but those naming what Cairn does not have.
          const mine = new Set(names);
          const redisOnly = rf.get(sec)!.filter((n) => !mine.has(n) && !prefixed(n));
          assert.deepEqual(
            redisOnly.filter((n) => !INFO_NOT_PRINTED.has(n)),
            [],
            `fields of # ${sec} that Cairn does not print`,
          );
          // (Per-command and per-error fields follow each server's own table order: not compared.)
          assert.deepEqual(
            names.filter((n) => known.has(n) && !prefixed(n)),
            rf.get(sec)!.filter((n) => mine.has(n) && !prefixed(n)),
            `order of # ${sec}`,
          );
        }
        if (rt.length > 0) assert.ok(ct.endsWith('\r\n') && !ct.endsWith('\r\n\r\n'), 'layout');
        else assert.equal(ct, '');
      }
      const all = parseReply(await c.call(['INFO', 'everything'])) as string;
      for (const f of [
        'redis_version:7.0.15',
        'cairn_version:',
        'redis_mode:standalone',
        'os:',
        'arch_bits:',
        'process_id:',
        'run_id:',
        'tcp_port:',
        'uptime_in_seconds:',
        'uptime_in_days:',
        'hz:',
        'configured_hz:',
        'lru_clock:',
        'executable:',
        'config_file:',
        'connected_clients:',
        'maxclients:',
        'blocked_clients:',
        'used_memory:',
        'used_memory_human:',
        'used_memory_rss:',
        'used_memory_peak:',
        'maxmemory:0',
        'maxmemory_policy:noeviction',
        'mem_fragmentation_ratio:',
        'loading:0',
        'rdb_changes_since_last_save:',
        'rdb_last_save_time:',
        'aof_enabled:',
        'total_connections_received:',
        'total_commands_processed:',
        'instantaneous_ops_per_sec:',
        'keyspace_hits:',
        'keyspace_misses:',
        'expired_keys:',
        'evicted_keys:',
        'rejected_connections:',
        'total_error_replies:',
        'total_net_input_bytes:',
        'total_net_output_bytes:',
        'role:master',
        'connected_slaves:0',
        'used_cpu_sys:',
        'used_cpu_user:',
        'cluster_enabled:0',
        '# Modules\r\n',
        'cmdstat_info:calls=',
      ]) {
        assert.ok(all.includes(f), `INFO everything has ${f}`);
      }
      // The memory breakdown adds up; the main thread's CPU is part of the process's.
      const num = (name: string): number => Number(new RegExp(`\r\n${name}:([-\\d.]+)`).exec(all)![1]);
      assert.equal(num('used_memory_overhead') + num('used_memory_dataset'), num('used_memory'));
      assert.ok(num('used_memory_overhead') >= Math.min(num('used_memory'), num('used_memory_startup')));
      assert.ok(num('allocator_allocated') > 0 && num('allocator_active') >= num('allocator_allocated'));
      assert.equal(num('number_of_cached_scripts'), 0);
      if (process.platform === 'linux') {
        assert.ok(num('used_cpu_user_main_thread') <= num('used_cpu_user') + 0.01);
        assert.ok(num('used_cpu_sys_main_thread') <= num('used_cpu_sys') + 0.01);
      }
      const info3 = await (async () => {
        await c.call(['HELLO', '3']);
        return c.call(['INFO', 'cluster']);
      })();
      assert.equal(info3.toString('latin1'), '=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
    } finally {
      await Promise.all([r.close(), c.close()]);
    }
  });

  it('exact sections: cluster, modules, keyspace, errorstats, commandstats, unknown', async () => {
    await both([
      [
        ['CONFIG', 'RESETSTAT'],
        ['INFO', 'cluster'],
        ['INFO', 'modules'],
        ['INFO', 'nosuch'],
        ['INFO', 'keyspace'],
        ['DEBUG', 'POPULATE', '3'],
        ['SELECT', '2'],
        ['DEBUG', 'POPULATE', '1'],
        ['EXPIRE', 'key:0', '1000'],
        ['SELECT', '0'],
        ['INFO', 'keyspace'],
        ['INFO', 'KEYSPACE', 'cluster'],
        ['NOSUCHCOMMAND'],
        ['CONFIG', 'SET', 'hz', 'x'],
        ['OBJECT', 'FREQ', 'key:0'],
        ['INFO', 'errorstats'],
        { args: ['INFO', 'commandstats'], normalize: infoStatsNormalize },
        ['CONFIG', 'RESETSTAT'],
        ['INFO', 'errorstats'],
      ],
    ]);
  });

  it('stats count commands, connections, hits and misses', async () => {
    const s = await startServer({ port: 0 });
    const conn = await RawConnection.connect(s.port);
    const field = async (name: string): Promise<string> => {
      const t = parseReply(await conn.call(['INFO', 'everything'])) as string;
      const m = new RegExp(`^${name}:(.*)$`, 'm').exec(t.replace(/\r/g, ''));
      return m ? m[1]! : '';
    };
    try {
      await conn.call(['CONFIG', 'RESETSTAT']);
      await conn.call(['PING']);
      await conn.call(['OBJECT', 'ENCODING', 'nosuch']);
      assert.equal(await field('keyspace_misses'), '1');
      assert.equal(await field('total_commands_processed'), '4');
      assert.equal(await field('total_connections_received'), '0');
      assert.match(
        await field('cmdstat_ping'),
        /^calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=0$/,
      );
      assert.ok(Number(await field('used_memory')) > 0);
      assert.ok(Number(await field('total_net_input_bytes')) > 0);
      await new Promise((r) => setTimeout(r, 250));
      assert.ok(Number(await field('instantaneous_ops_per_sec')) >= 0);
    } finally {
      await conn.close();
      await s.close();
    }
  });
});

describe('MONITOR', () => {
  it("streams other clients' commands as Redis does", async () => {
    const pair = await getPair();
    const lines: Record<string, string[]> = {};
    for (const [name, port] of [
      ['redis', pair.redis.port],
      ['cairn', pair.cairn.port],
    ] as const) {
      const mon = await RawConnection.connect(port);
      const cli = await RawConnection.connect(port);
      try {
        assert.equal((await mon.call(['MONITOR'])).toString(), '+OK\r\n');
        await cli.call(['SELECT', '3']);
        await cli.call(['PING']);
        await cli.call(['ECHO', 'a "quoted" \\ word\r\n\x01\xff']);
        await cli.call(['CONFIG', 'GET', 'hz']);
        await cli.call(['DEL', 'x', 'y']);
        await cli.call(['NOSUCHCOMMAND']);
        await cli.call(['SELECT', '0']);
        const got: string[] = [];
        while (got.length < 5) {
          const v = parseReply(await mon.readReply(2000));
          got.push(String(v));
        }
        lines[name] = got.map((l) => l.replace(/^\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, '[$1 addr]'));
        assert.equal(mon.buffered, 0);
      } finally {
        await Promise.all([mon.close(), cli.close()]);
      }
    }
    assert.deepEqual(lines['cairn'], lines['redis']);
  });

  it('stamps each line with the wall-clock time in microseconds', async () => {
    const pair = await getPair();
    const mon = await RawConnection.connect(pair.cairn.port);
    const cli = await RawConnection.connect(pair.cairn.port);
    try {
      await mon.call(['MONITOR']);
      const stamps: number[] = [];
      for (let i = 0; i < 20; i++) {
        const before = Date.now();
        await cli.call(['PING']);
        const line = String(parseReply(await mon.readReply(2000)));
        const m = /^(\d+)\.(\d{6}) /.exec(line)!;
        const us = Number(m[1]) * 1e6 + Number(m[2]);
        assert.ok(Math.abs(us / 1000 - before) < 1000, `${line} at ${before}`);
        stamps.push(us);
      }
      // Not whole milliseconds: the chance that 20 real microsecond stamps all end in 000 is 1e-60.
      assert.ok(
        stamps.some((us) => us % 1000 !== 0),
        stamps.join(' '),
      );
    } finally {
      await Promise.all([mon.close(), cli.close()]);
    }
  });
});

after(() => undefined);
