// ACL against real Redis 7.0.15: users and rules (SETUSER/GETUSER/LIST/CAT), a permission matrix (users × commands
// × keys × channels × selectors, at top level and inside MULTI, with DRYRUN), the ACL LOG, AUTH/HELLO, EXEC's
// re-check, disconnection of revoked subscribers and deleted users, ACL SAVE/LOAD with an ACL file, and `user`
// config directives.
//
// Masked before comparison: ACL LOG's age-seconds, and the client-info fields that differ between the servers by
// nature (ids, addresses, fds, ages, buffer sizes, events). Redis describes a user's single-command rules in its
// hash-table order, so runs of +cmd/-cmd tokens are compared sorted.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPair, startCairn } from '../support/servers.js';
import { compareScript, type Script } from '../support/differential.js';
import { RawConnection, parseReply } from '../support/resp.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cairn-acl-test-'));
const files = { redis: path.join(dir, 'redis.acl'), cairn: path.join(dir, 'cairn.acl') };
writeFileSync(files.redis, '');
writeFileSync(files.cairn, '');

let pair: Awaited<ReturnType<typeof startPair>>;
before(async () => {
  pair = await startPair({ redisArgs: ['--aclfile', files.redis], cairnOptions: { aclfile: files.cairn } });
});
after(async () => {
  await pair?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Side = 'redis' | 'cairn';

/** Sorts runs of single-command rule tokens (+get -set +client|id), whose order in Redis follows its hash table. */
function sortRuleRuns(text: string): string {
  return text.replace(/[+-][^@\s()][^\s()]*(?: [+-][^@\s()][^\s()]*)*/g, (run) => run.split(' ').sort().join(' '));
}

const MASKED = /\b(id|fd|age|idle|qbuf|qbuf-free|argv-mem|multi-mem|rbs|rbp|obl|oll|omem|tot-mem)=\d+/g;

/** Masks what legitimately differs: client-info numbers and addresses, ages, file paths, generated passwords. */
function normalize(text: string, side: Side): string {
  return sortRuleRuns(
    text
      .split(files[side])
      .join('ACLFILE')
      .replace(MASKED, '$1=N')
      .replace(/\b(addr|laddr)=\S+/g, '$1=X')
      .replace(/\bevents=\w+/g, 'events=X')
      .replace(/\$\d+\r\nid=N/g, '$L\r\nid=N')
      .replace(/(\$2\r\nid\r\n):\d+/g, '$1:0')
      .replace(/(age-seconds\r\n)(\$\d+\r\n[^\r]*|,[^\r]*)\r\n/g, '$1AGE\r\n'),
  );
}

type Step = [conn: string, args: string[]] | ['sleep', number];

/**
 * Runs the steps on several connections to one server (each reply read in turn; a closed connection reads as
 * CLOSED), then the same on the other server, and compares the normalized transcripts.
 */
async function differential(steps: readonly Step[], setup: string[][] = []): Promise<void> {
  const transcripts: Record<Side, string[]> = { redis: [], cairn: [] };
  for (const side of ['redis', 'cairn'] as const) {
    const port = pair[side].port;
    const admin = await RawConnection.connect(port);
    for (const s of [['ACL', 'LOAD'], ['ACL', 'LOG', 'RESET'], ['FLUSHALL'], ...setup]) {
      transcripts[side].push('setup ' + normalize((await admin.call(s)).toString('latin1'), side));
    }
    const conns = new Map<string, RawConnection>();
    for (const [name, args] of steps) {
      if (name === 'sleep') {
        await new Promise((r) => setTimeout(r, args as number));
        continue;
      }
      let c = conns.get(name);
      if (c === undefined) {
        c = await RawConnection.connect(port);
        conns.set(name, c);
      }
      let reply: string;
      if (c.isClosed) reply = 'CLOSED';
      else {
        try {
          reply = normalize((await c.call(args as string[], 3000)).toString('latin1'), side);
        } catch {
          reply = 'CLOSED';
        }
      }
      transcripts[side].push(`${name}> ${(args as string[]).join(' ')}\n   ${JSON.stringify(reply)}`);
    }
    for (const c of conns.values()) await c.close();
    await admin.call(['ACL', 'LOAD']);
    await admin.close();
  }
  for (let i = 0; i < transcripts.redis.length; i++) {
    if (transcripts.redis[i] !== transcripts.cairn[i]) {
      assert.fail(
        `transcripts differ at step ${i}\nredis: ${transcripts.redis[i]}\ncairn: ${transcripts.cairn[i]}\n` +
          `history:\n${transcripts.redis.slice(Math.max(0, i - 8), i).join('\n')}`,
      );
    }
  }
}

const cmp = (script: Script, resp: 2 | 3 = 2) =>
  compareScript(pair, [['ACL', 'LOAD'], ...script, ['ACL', 'LOAD']], {
    resp,
    normalize: (r, _a, side) => normalize(r.toString('latin1'), side),
  });

const a = (s: string): string[] => s.split(' ');

describe('ACL SETUSER / GETUSER / LIST / USERS / DELUSER', () => {
  const script: Script = [
    a('ACL SETUSER u1 on >p1 >p2 ~foo* %R~bar* %W~baz %RW~qux &ch* -@all +@string -get +client|id +select|0 -set'),
    a('ACL GETUSER u1'),
    a('ACL SETUSER u2 +@all -@dangerous -debug +config|get'),
    a('ACL SETUSER u3 (+get ~x*) (+set %W~y*)'),
    ['ACL', 'SETUSER', 'u3', '(+hget', '~h*)', '(', '+del', ')'],
    a('ACL GETUSER u3'),
    a('ACL SETUSER u4 +CLIENT|ID +SeLeCt|AbC ~A* %rW~b %wr~c %w~d %r~d +@ALL'),
    a('ACL GETUSER u4'),
    a('ACL SETUSER u4 -@all +CLIENT|ID +SeLeCt|AbC +select|x +select|ABC'),
    a('ACL GETUSER u4'),
    a('ACL SETUSER u5 on nopass >a resetpass >b >c <b nopass >d'),
    a('ACL GETUSER u5'),
    a('ACL SETUSER u6 skip-sanitize-payload sanitize-payload allkeys allchannels allcommands'),
    a('ACL GETUSER u6'),
    a('ACL SETUSER u6 resetkeys ~x ~x %R~x %W~y %R~y resetchannels &y &y nocommands +get'),
    a('ACL GETUSER u6'),
    a('ACL SETUSER u6 clearselectors (~a) (~b &c)'),
    a('ACL SETUSER u7 %R %RW'),
    a('ACL SETUSER u8 -@all +acl +@hash -hset +@list -@blocking'),
    a('ACL SETUSER u8 +@all -config +config|get'),
    a('ACL SETUSER u9 -@all +config -config|set'),
    a('ACL SETUSER u10 reset'),
    a('ACL SETUSER u11 #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 on'),
    a('ACL SETUSER u11 !5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'),
    a('ACL GETUSER u11'),
    a('ACL LIST'),
    a('ACL USERS'),
    a('ACL GETUSER nosuch'),
    a('ACL WHOAMI'),
    a('ACL DELUSER u1 nosuch u2 u2'),
    a('ACL USERS'),
    a('ACL DELUSER default'),
  ];
  it('replies as Redis in RESP2', () => cmp(script, 2));
  it('replies as Redis in RESP3', () => cmp(script, 3));

  it('refuses bad rules with the same errors', () =>
    cmp([
      ['ACL', 'SETUSER', 'a b'],
      a('ACL SETUSER x foo'),
      a('ACL SETUSER x +nosuch'),
      a('ACL SETUSER x +@nosuch'),
      a('ACL SETUSER x ~* ~a'),
      a('ACL SETUSER x &* &a'),
      a('ACL SETUSER x <nope'),
      a('ACL SETUSER x !nope'),
      a('ACL SETUSER x #abc'),
      a('ACL SETUSER x #ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789'),
      a('ACL SETUSER x !abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789'),
      a('ACL SETUSER x +client|id|x'),
      a('ACL SETUSER x +select|'),
      a('ACL SETUSER x -select|0'),
      a('ACL SETUSER x +client|nosuch'),
      a('ACL SETUSER x -client|nosuch'),
      a('ACL SETUSER x +acl|cat|x'),
      a('ACL SETUSER x +select|a|b'),
      a('ACL SETUSER x %X~a'),
      a('ACL SETUSER x %~a'),
      a('ACL SETUSER x %RR~a'),
      a('ACL SETUSER x (+get'),
      a('ACL SETUSER x (+get ~a) (+set'),
      a('ACL SETUSER x (on)'),
      a('ACL SETUSER x () )'),
      ['ACL', 'SETUSER', 'x', '( +get "~a b" )'],
      ['ACL', 'SETUSER', 'x', '&a b'],
      ['ACL', 'SETUSER', 'x', '(~a) (~b)'],
      ['ACL', 'SETUSER', 'x', 'on', '>p', '+nosuch'],
      a('ACL GETUSER x'),
      a('ACL CAT nosuch'),
      a('ACL CAT a b'),
      a('ACL GENPASS 0'),
      a('ACL GENPASS 4097'),
      a('ACL GENPASS abc'),
      a('ACL GENPASS 1 2'),
      a('ACL LOG 1 2'),
      a('ACL LOG x'),
      a('ACL LOG -1'),
      a('ACL LIST x'),
      a('ACL FOO'),
      a('ACL'),
      a('ACL HELP'),
      a('ACL DRYRUN nope get x'),
      a('ACL DRYRUN default nosuch x'),
      a('ACL DRYRUN default get'),
      a('ACL DRYRUN default client'),
      a('ACL DRYRUN default client nosuch'),
      a('ACL SETUSER x on'),
      a('ACL DRYRUN x client id'),
    ]));

  it('ACL GENPASS gives hex of the asked size', async () => {
    const c = await RawConnection.connect(pair.cairn.port);
    for (const [bits, len] of [
      [undefined, 64],
      [1, 1],
      [8, 2],
      [9, 3],
      [4096, 1024],
    ] as const) {
      const v = parseReply(await c.call(bits === undefined ? ['ACL', 'GENPASS'] : ['ACL', 'GENPASS', String(bits)]));
      assert.match(String(v), new RegExp(`^[0-9a-f]{${len}}$`));
    }
    await c.close();
  });
});

describe('ACL CAT', () => {
  it('lists the categories, and each category its commands, as Redis (those Cairn lacks included)', async () => {
    const r = await RawConnection.connect(pair.redis.port);
    const c = await RawConnection.connect(pair.cairn.port);
    const cats = await r.call(['ACL', 'CAT']);
    assert.equal((await c.call(['ACL', 'CAT'])).toString(), cats.toString());
    const ours = new Set<string>();
    for (const n of parseReply(await c.call(['COMMAND', 'LIST'])) as string[]) ours.add(n);
    const theirs = new Set<string>();
    for (const n of parseReply(await r.call(['COMMAND', 'LIST'])) as string[]) theirs.add(n);
    for (const n of ours) assert.ok(theirs.has(n), `${n}: not a Redis 7.0.15 command`);
    for (const cat of parseReply(cats) as string[]) {
      const want = (parseReply(await r.call(['ACL', 'CAT', cat])) as string[]).sort();
      const got = (parseReply(await c.call(['ACL', 'CAT', cat.toUpperCase()])) as string[]).sort();
      assert.deepEqual(got, want, `category ${cat}`);
    }
    await r.close();
    await c.close();
  });
});

/** Users for the permission matrix. */
const USERS: string[][] = [
  a('ACL SETUSER alice on >pa ~a* &ch* +@all -set -@dangerous'),
  a(
    'ACL SETUSER bob on >pb %R~r* %W~w* ~rw* &news* +get +set +mget +lpush +rpoplpush +copy +del +publish +subscribe +psubscribe +unsubscribe +punsubscribe +multi +exec +bitfield +select|0 +client|getname',
  ),
  a('ACL SETUSER carol on >pc -@all +@read +@pubsub ~c* resetchannels &x (+@write ~w* &w*) (+set %R~r*)'),
  a('ACL SETUSER dave on nopass allkeys allchannels +@all -@keyspace +del'),
  a('ACL SETUSER erin on >pe ~* &ch1 &ch* +@all -publish +publish|x'),
];

const COMMANDS: string[][] = [
  a('GET a1'),
  a('GET r1'),
  a('GET w1'),
  a('GET rw1'),
  a('GET c1'),
  a('SET a1 v'),
  a('SET r1 v'),
  a('SET w1 v'),
  a('SET rw1 v GET'),
  a('SET w1 v GET'),
  a('MGET r1 w1'),
  a('MGET r1 rw1'),
  a('LPUSH w2 x'),
  a('LPUSH r2 x'),
  a('RPOPLPUSH r3 w3'),
  a('RPOPLPUSH w3 r3'),
  a('COPY r1 w9'),
  a('COPY w1 r9'),
  a('DEL w1 r1'),
  a('DEL a9'),
  a('BITFIELD r1 GET u8 0'),
  a('BITFIELD r1 SET u8 0 1'),
  a('HSET w5 f v'),
  a('PUBLISH ch1 m'),
  a('PUBLISH news1 m'),
  a('PUBLISH x m'),
  a('PUBLISH w1 m'),
  a('SPUBLISH ch1 m'),
  a('SELECT 0'),
  a('SELECT 1'),
  a('CLIENT GETNAME'),
  a('CONFIG GET timeout'),
  a('FLUSHDB'),
  a('PING'),
];

describe('permission matrix', () => {
  it('users × commands × keys × channels × selectors, at top level, inside MULTI and with DRYRUN', async () => {
    const steps: Step[] = [];
    const users: [string, string][] = [
      ['alice', 'pa'],
      ['bob', 'pb'],
      ['carol', 'pc'],
      ['dave', 'x'],
      ['erin', 'pe'],
    ];
    for (const [u, p] of users) {
      steps.push(['c', ['AUTH', u, p]]);
      for (const cmd of COMMANDS) steps.push(['c', cmd]);
      steps.push(['c', ['MULTI']]);
      for (const cmd of COMMANDS.slice(0, 12)) steps.push(['c', cmd]);
      steps.push(['c', ['EXEC']]);
      steps.push(['c', ['MULTI']]);
      steps.push(['c', a('GET r1')]);
      steps.push(['c', a('PING')]);
      steps.push(['c', ['EXEC']]);
      for (const cmd of COMMANDS) steps.push(['admin', ['ACL', 'DRYRUN', u, ...cmd]]);
    }
    steps.push(['admin', a('ACL LOG')]);
    steps.push(['admin', a('ACL LOG 3')]);
    await differential(steps, USERS);
  });

  it('channels: (P|S)SUBSCRIBE patterns are matched literally', async () => {
    const steps: Step[] = [];
    for (const [u, p] of [
      ['alice', 'pa'],
      ['bob', 'pb'],
      ['carol', 'pc'],
      ['erin', 'pe'],
    ]) {
      const n = `s-${u}`;
      steps.push([n, ['HELLO', '3', 'AUTH', u!, p!]]);
      for (const cmd of [
        a('SUBSCRIBE ch1 news1'),
        a('SUBSCRIBE x'),
        a('SUBSCRIBE ch1 zzz'),
        a('PSUBSCRIBE ch*'),
        a('PSUBSCRIBE ch1*'),
        a('PSUBSCRIBE news*'),
        a('SSUBSCRIBE ch1'),
        a('UNSUBSCRIBE'),
        a('PUNSUBSCRIBE'),
      ])
        steps.push([n, cmd]);
    }
    steps.push(['admin', a('ACL LOG')]);
    await differential(steps, USERS);
  });
});

describe('AUTH and HELLO', () => {
  it('errors, WRONGPASS, NOAUTH and the auth entries of ACL LOG', () =>
    differential(
      [
        ['a', a('AUTH x')],
        ['a', a('AUTH default anything')],
        ['a', a('AUTH nouser x')],
        ['a', a('AUTH a b c')],
        ['a', a('auth alice wrong')],
        ['a', a('HELLO 3 AUTH alice wrong')],
        ['a', a('hello 2 auth nouser x')],
        ['a', a('HELLO 2 AUTH alice pa SETNAME conn1')],
        ['a', a('ACL WHOAMI')],
        ['a', a('CLIENT GETNAME')],
        ['a', a('AUTH bob pb')],
        ['a', a('ACL WHOAMI')],
        ['admin', a('ACL SETUSER alice off')],
        ['b', a('AUTH alice pa')],
        ['a', a('GET r1')],
        ['admin', a('CONFIG SET requirepass secret')],
        ['n', a('GET x')],
        ['n', a('HELLO 3')],
        ['n', a('AUTH wrong')],
        ['n', a('AUTH secret')],
        ['n', a('ACL WHOAMI')],
        ['m', a('AUTH default secret')],
        ['m', a('HELLO 2 AUTH default wrong')],
        ['admin', a('ACL GETUSER default')],
        ['admin', a('CONFIG SET requirepass')],
        ['admin', ['CONFIG', 'SET', 'requirepass', '']],
        ['admin', a('ACL GETUSER default')],
        ['z', a('GET x')],
        ['admin', a('ACL LOG')],
        ['admin', a('ACL LOG RESET')],
        ['admin', a('ACL LOG')],
      ],
      USERS,
    ));

  it('CLIENT LIST/INFO show the user; CLIENT KILL USER; DELUSER disconnects; SETUSER off does not', () =>
    differential(
      [
        ['a', a('AUTH alice pa')],
        ['b', a('AUTH alice pa')],
        ['c', a('AUTH bob pb')],
        ['d', a('AUTH erin pe')],
        ['a', a('CLIENT INFO')],
        ['admin', a('CLIENT KILL USER nosuch')],
        ['admin', a('CLIENT KILL USER erin')],
        ['d', a('PING')],
        ['admin', a('ACL SETUSER bob off')],
        ['c', a('GET r1')],
        ['admin', a('ACL DELUSER alice')],
        ['a', a('PING')],
        ['b', a('PING')],
        ['admin', a('ACL USERS')],
      ],
      USERS,
    ));
});

describe('EXEC and changed rules; revoked channels', () => {
  it('EXEC re-checks every queued command and logs with context multi', () =>
    differential([
      ['admin', a('ACL SETUSER frank on >pf ~* &* +@all')],
      ['c', a('AUTH frank pf')],
      ['c', a('MULTI')],
      ['c', a('GET a1')],
      ['c', a('SET a2 x')],
      ['c', a('PUBLISH ch x')],
      ['c', a('SET a1 y')],
      ['admin', a('ACL SETUSER frank -get resetkeys ~a1 resetchannels')],
      ['c', a('EXEC')],
      ['c', a('GET a1')],
      ['admin', a('ACL LOG')],
    ]));

  it('revoking channels disconnects the subscribers no longer allowed', () =>
    differential([
      ['admin', a('ACL SETUSER gina on >pg ~* &ch* &news +@all')],
      ['s1', a('AUTH gina pg')],
      ['s1', a('SUBSCRIBE ch1 ch2')],
      ['s2', a('AUTH gina pg')],
      ['s2', a('PSUBSCRIBE ch*')],
      ['s3', a('AUTH gina pg')],
      ['s3', a('SUBSCRIBE news')],
      ['s4', a('AUTH gina pg')],
      ['s4', a('PING')],
      ['admin', a('ACL SETUSER gina &more')],
      ['admin', a('ACL SETUSER gina resetchannels &ch1 &ch2 &news')],
      ['sleep', 50],
      ['s2', a('PING')],
      ['s1', a('PING')],
      ['admin', a('ACL SETUSER gina resetchannels (&ch*)')],
      ['sleep', 50],
      ['s1', a('PING')],
      ['s3', a('PING')],
      ['s4', a('PING')],
      ['admin', a('ACL SETUSER gina resetchannels')],
      ['sleep', 50],
      ['s1', a('PING')],
      ['s4', a('PING')],
    ]));
});

describe('ACL SAVE / LOAD', () => {
  it('round trip through the ACL file, errors and disconnections as Redis', async () => {
    await differential([
      ['admin', a('ACL SETUSER hal on >ph ~h* %R~r* &c* +@all -@dangerous +config|get (+get ~x*) (%W~y* +set)')],
      ['admin', a('ACL SETUSER ivy on nopass allkeys -@all +@hash +select|0')],
      ['admin', a('ACL SETUSER default resetpass >pw')],
      ['admin', a('ACL SAVE')],
      ['h', a('AUTH hal ph')],
      ['admin', a('AUTH default pw')],
      ['admin', a('ACL LOAD')],
      ['h', a('PING')],
      ['admin', a('ACL LIST')],
      ['admin', a('ACL SETUSER default nopass')],
      ['admin', a('ACL SAVE')],
    ]);
    const saved = {
      redis: normalize(readFileSync(files.redis, 'latin1'), 'redis'),
      cairn: normalize(readFileSync(files.cairn, 'latin1'), 'cairn'),
    };
    assert.equal(saved.cairn, saved.redis);
    assert.match(saved.cairn, /^user default on nopass ~\* &\* \+@all\nuser hal on #/m);
    // A file with errors: the report names each line, nothing changes.
    const bad = 'user ok on\nfoo\nuser x +nosuch ~a\nuser x on\nuser x off\n#comment\n\n  user y\nuser (z\n';
    writeFileSync(files.redis, bad);
    writeFileSync(files.cairn, bad);
    const steps: Step[] = [
      ['admin', a('ACL SETUSER keep on')],
      ['admin', a('ACL LOAD')],
      ['admin', a('ACL USERS')],
    ];
    const transcript: Record<Side, string[]> = { redis: [], cairn: [] };
    for (const side of ['redis', 'cairn'] as const) {
      const c = await RawConnection.connect(pair[side].port);
      for (const [, args] of steps)
        transcript[side].push(normalize((await c.call(args as string[])).toString('latin1'), side));
      await c.close();
    }
    assert.deepEqual(transcript.cairn, transcript.redis);
    writeFileSync(files.redis, '');
    writeFileSync(files.cairn, '');
  });

  it('without an aclfile, ACL SAVE and LOAD are refused as in Redis', async () => {
    const p = await startPair();
    try {
      await compareScript(p, [a('ACL SAVE'), a('ACL LOAD')]);
    } finally {
      await p.stop();
    }
  });
});

describe('config directives', () => {
  it('`user` lines, acl-pubsub-default and acllog-max-len as in Redis', async () => {
    const p = await startPair({
      redisArgs: [
        '--user',
        'jim',
        'on',
        '>pj',
        '~j*',
        '+@all',
        '--acl-pubsub-default',
        'allchannels',
        '--acllog-max-len',
        '2',
      ],
      cairnOptions: { user: 'jim on >pj ~j* +@all', 'acl-pubsub-default': 'allchannels', 'acllog-max-len': 2 },
    });
    try {
      await compareScript(
        p,
        [
          a('ACL LIST'),
          a('CONFIG GET acl*'),
          a('ACL SETUSER kim (~x)'),
          a('ACL GETUSER kim'),
          a('AUTH jim pj'),
          a('GET x1'),
          a('GET x2'),
          a('GET x3'),
          a('AUTH default x'),
          a('ACL LOG'),
          a('CONFIG SET acl-pubsub-default resetchannels'),
          a('ACL SETUSER lee reset'),
          a('ACL GETUSER lee'),
          a('CONFIG SET acllog-max-len 1'),
          a('ACL LOG'),
        ],
        { normalize: (r, _a, side) => normalize(r.toString('latin1'), side) },
      );
    } finally {
      await p.stop();
    }
  });

  it('refuses `user` lines together with an aclfile, as Redis does', async () => {
    await assert.rejects(
      startCairn({ user: 'jim on', aclfile: files.cairn }),
      /users defined in redis.conf and at the same setting an ACL file path is invalid/,
    );
  });
});

describe('rules and reports found against Redis 7.0.15', () => {
  it('SORT BY and GET patterns need read access to every key (allkeys, or a * pattern that reads)', async () => {
    const steps: Step[] = [
      ['admin', a('RPUSH x 2 1')],
      ['admin', a('SET s str')],
      ['admin', a('ACL SETUSER sx on nopass +@all ~x')],
      ['admin', a('ACL SETUSER sr on nopass +@all %R~*')],
      ['admin', a('ACL SETUSER sw on nopass +@all %W~*')],
      ['admin', ['ACL', 'SETUSER', 'ssel', 'on', 'nopass', '+@all', '~x', '(%R~* +@all)']],
      ['admin', ['ACL', 'SETUSER', 'snot', 'on', 'nopass', '+@all', '~x', '(~* -sort)']],
    ];
    for (const u of ['sx', 'sr', 'sw', 'ssel', 'snot']) {
      steps.push([u, a(`AUTH ${u} x`)]);
      for (const cmd of [
        'SORT x BY w_*',
        'SORT x BY nosort',
        'SORT x GET #',
        'SORT x GET # LIMIT a',
        'SORT x LIMIT a b GET #',
        'SORT s GET #',
        'SORT_RO x GET w',
        'SORT x BY w_* STORE x',
      ])
        steps.push([u, a(cmd)]);
    }
    await differential(steps);
  });

  it('%RW~* is a pattern like any other; an empty rule does nothing', () =>
    differential([
      ['admin', a('ACL SETUSER p1 ~a %RW~*')],
      ['admin', a('ACL GETUSER p1')],
      ['admin', a('ACL SETUSER p2 %RW~* ~b')],
      ['admin', ['ACL', 'SETUSER', 'p3', '%RW~*', '(%RW~* ~c)']],
      ['admin', a('ACL SETUSER p4 %R')],
      ['admin', a('ACL SETUSER p4 %R~a %RW~*')],
      ['admin', a('ACL SETUSER p5 ~* ~d')],
      ['admin', ['ACL', 'SETUSER', 'p6', '']],
      ['admin', ['ACL', 'SETUSER', 'p7', '', 'on', '', '+get']],
      ['admin', a('ACL LIST')],
    ]));

  it('ACL LOAD reports each unknown command and the first other error of a line, as Redis; a missing file', async () => {
    const bad =
      'user default on nopass ~* &* +@all\n' +
      'user b1 on +nosuch -nosuch2 #abc ~x ~* ~y +@nocat\n' +
      'user b2 on foo\n' +
      'user b3 on +nosuch3 (+get ~a ~* ~b) <nopw\n' +
      'user b4 on (+nosuch) (+nosuch2 foo) (foo +nosuch3)\n' +
      'user b5 on #abc\n' +
      'user   b6   on   ~k\t\n';
    const good = 'user default on nopass ~* &* +@all\nuser   a2   on   ~k\t\n';
    const transcript: Record<Side, string[]> = { redis: [], cairn: [] };
    for (const side of ['redis', 'cairn'] as const) {
      const c = await RawConnection.connect(pair[side].port);
      for (const [text, cmds] of [
        [bad, [a('ACL LOAD')]],
        [good, [a('ACL LOAD'), a('ACL LIST')]],
        [undefined, [a('ACL LOAD')]],
      ] as const) {
        if (text === undefined) rmSync(files[side]);
        else writeFileSync(files[side], text);
        for (const args of cmds) transcript[side].push(normalize((await c.call(args)).toString('latin1'), side));
      }
      await c.close();
      writeFileSync(files[side], '');
    }
    assert.deepEqual(transcript.cairn, transcript.redis);
  });

  it('a transaction that ends its own connection runs on, and its later replies are not written', () =>
    differential([
      ['admin', a('ACL SETUSER s on nopass +@all ~* &*')],
      ['s', a('AUTH s x')],
      ['s', a('MULTI')],
      ['s', a('ACL DELUSER s')],
      ['s', a('SET after-deluser 1')],
      ['s', a('PING')],
      ['s', a('EXEC')],
      ['admin', a('GET after-deluser')],
      ['admin', a('ACL SETUSER ku on nopass +@all ~* &*')],
      ['k', a('AUTH ku x')],
      ['k', a('MULTI')],
      ['k', a('CLIENT KILL USER ku SKIPME no')],
      ['k', a('SET after-kill 1')],
      ['k', a('EXEC')],
      ['admin', a('EXISTS after-kill')],
    ]));
});
