// Start-up arguments as redis-server takes them, compared with Redis 7.0.15 started with the same arguments: a
// directive of several words may come as one argument (`--save "900 1 300 10"`), split as a config line is.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Config, argsToConfigText } from '../../src/config.js';
import { startServer } from '../../src/index.js';
import { RawConnection } from '../support/resp.js';
import { startRedis } from '../support/servers.js';

/** Arguments given after the harness's own (`--save ''`, `--bind 127.0.0.1`, ...), and the directive to read back. */
const CASES: { args: string[]; read: string }[] = [
  { args: ['--save', '3600 1'], read: 'save' },
  { args: ['--save', '900 1 300 10'], read: 'save' },
  { args: ['--save', '"3600" 1'], read: 'save' },
  { args: ['--save', '"3600 1'], read: 'save' },
  { args: ['--save', '3600', '1', '--save', '60 5'], read: 'save' },
  { args: ['--save', '900 1', '--save', ''], read: 'save' },
  { args: ['--bind', '127.0.0.1 ::1'], read: 'bind' },
  { args: ['--bind', '127.0.0.1', '-::1'], read: 'bind' },
  { args: ['--requirepass', '--secret'], read: 'requirepass' },
  { args: ['--save', '60 5', '--'], read: 'save' },
  {
    args: ['--client-output-buffer-limit', 'normal 1mb 512kb 10 pubsub 1mb 1mb 1'],
    read: 'client-output-buffer-limit',
  },
  { args: ['--client-output-buffer-limit', 'pubsub', '2mb', '1mb', '5'], read: 'client-output-buffer-limit' },
  // A name and its value in one argument: the next argument starts a new option.
  { args: ['--maxmemory 700mb', '--maxmemory-policy', 'allkeys-lru'], read: 'maxmemory' },
  { args: ['--maxmemory 700mb', '--maxmemory-policy', 'allkeys-lru'], read: 'maxmemory-policy' },
  { args: ['--save 60 5', '--hz', '20'], read: 'save' },
  // --save followed by another option, or last: save "".
  { args: ['--save', '--loglevel', 'verbose'], read: 'save' },
  { args: ['--save', '--loglevel', 'verbose'], read: 'loglevel' },
  { args: ['--save', '60 5', '--save'], read: 'save' },
];

/** What `CONFIG GET <name>` answers, as [name, value]. */
function valueOf(reply: Buffer): string[] {
  const lines = reply.toString('latin1').split('\r\n');
  assert.equal(lines[0], '*2', reply.toString('latin1'));
  return [lines[2]!, lines[4]!];
}

const redisValues: string[][] = [];
const BASE = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

before(async () => {
  for (const c of CASES) {
    const redis = await startRedis(c.args);
    try {
      const conn = await RawConnection.connect(redis.port);
      const pass = c.args.indexOf('--requirepass');
      if (pass >= 0) await conn.call(['AUTH', c.args[pass + 1]!]);
      redisValues.push(valueOf(await conn.call(['CONFIG', 'GET', c.read])));
      await conn.close();
    } finally {
      await redis.stop();
    }
  }
});

after(() => {
  redisValues.length = 0;
});

test('start-up arguments: a directive of several words may be one argument, as in redis-server', () => {
  CASES.forEach((c, i) => {
    const config = new Config();
    config.loadText(argsToConfigText([...BASE, ...c.args]).text, 'the command line arguments');
    const [entry] = config.get([c.read]);
    assert.deepEqual([entry![0], entry![1]], redisValues[i], c.args.join(' | '));
  });
});

test('words after the config file, before any option, are a directive line of their own', () => {
  assert.deepEqual(argsToConfigText(['/etc/cairn.conf', 'loglevel', 'verbose', '--hz', '20']), {
    file: '/etc/cairn.conf',
    stdin: false,
    text: '"loglevel" "verbose" \nhz "20" ',
  });
  const config = new Config();
  config.loadText(argsToConfigText(['x.conf', 'loglevel', 'verbose', '--hz', '20']).text);
  assert.deepEqual(config.get(['loglevel', 'hz']), [
    ['loglevel', 'verbose'],
    ['hz', '20'],
  ]);
});

test('a lone "-" first or last reads the configuration from standard input too, as redis-server does', () => {
  assert.deepEqual(argsToConfigText(['-', '--port', '7']), { file: undefined, stdin: true, text: 'port "7" ' });
  assert.deepEqual(argsToConfigText(['x.conf', '--port', '7', '-']), {
    file: 'x.conf',
    stdin: true,
    text: 'port "7" ',
  });
  assert.deepEqual(argsToConfigText(['--port', '7']), { file: undefined, stdin: false, text: 'port "7" ' });
});

test('a config file line may quote the words of a directive of several words', () => {
  const config = new Config();
  config.loadText('save "3600 1 60 5"\nbind "127.0.0.1 ::1"\n');
  assert.deepEqual(config.get(['save', 'bind']), [
    ['save', '3600 1 60 5'],
    ['bind', '127.0.0.1 ::1'],
  ]);
});

test('CONFIG SET: save words, integer texts and the hz range as Redis reads them', async () => {
  const steps: string[][] = [];
  for (const v of ['0 0', '1 0', '  900   1  ', '900  1', '+5 1', '5 -1', '05 1', '900 1 ', '', ' ', '5 ']) {
    steps.push(['CONFIG', 'SET', 'save', v], ['CONFIG', 'GET', 'save']);
  }
  steps.push(['CONFIG', 'SET', 'save', '99999999999999999999 1'], ['CONFIG', 'GET', 'save']);
  for (const v of ['1000', '501', '0', '010', '-0', '05', '7']) {
    steps.push(['CONFIG', 'SET', 'hz', v], ['CONFIG', 'GET', 'hz']);
  }
  steps.push(['CONFIG', 'SET', 'timeout', '010'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '-01']);
  steps.push(['CONFIG', 'SET', 'appendfsync', 'sometimes']);
  // Memory values are read as C strings: no digits reads 0, a NUL byte ends the value.
  for (const [name, v] of [
    ['maxmemory', ''],
    ['maxmemory', 'kb'],
    ['maxmemory', '1\0'],
    ['maxmemory', '1\0x'],
    ['maxmemory', '-1'],
    ['maxmemory', '+1'],
    ['hash-max-listpack-value', ''],
    ['proto-max-bulk-len', ''],
    ['client-query-buffer-limit', 'mb'],
  ] as const) {
    steps.push(['CONFIG', 'SET', name, v], ['CONFIG', 'GET', name]);
  }
  // 64-bit values, beyond what a JavaScript number holds exactly.
  for (const [name, v] of [
    ['slowlog-log-slower-than', '9223372036854775807'],
    ['slowlog-log-slower-than', '9223372036854775808'],
    ['slowlog-max-len', '9007199254740993'],
    ['maxmemory', '9007199254740993'],
    ['maxmemory', '18446744073709551615'],
    ['maxmemory', '18446744073709551616'],
    ['maxmemory', '17179869184gb'],
    ['proto-max-bulk-len', '9223372036854775807'],
    ['proto-max-bulk-len', '9223372036854775808'],
  ] as const) {
    steps.push(['CONFIG', 'SET', name, v], ['CONFIG', 'GET', name]);
  }
  steps.push(
    ['CONFIG', 'SET', 'maxmemory', '0'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
    ['CONFIG', 'SET', 'slowlog-max-len', '128'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
  );
  const redis = await startRedis();
  const cairn = await startServer({ port: 0 });
  try {
    const replies: string[][] = [];
    for (const port of [redis.port, cairn.port]) {
      const conn = await RawConnection.connect(port);
      const out: string[] = [];
      for (const s of steps) out.push(`${JSON.stringify(s)} ${(await conn.call(s)).toString('latin1')}`);
      replies.push(out);
      await conn.close();
    }
    assert.deepEqual(replies[1], replies[0]);
  } finally {
    await cairn.close();
    await redis.stop();
  }
});
