// No file is written outside the data directory: dbfilename, appendfilename and appenddirname must be plain names
// (CONFIG SET and start-up refuse paths with Redis 7.0.15's words), a snapshot named '..' fails without leaving a
// file anywhere, and CONFIG REWRITE cannot be made to write extra directives with a value holding a newline.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRedisServer, freePort, sharedPair, startCairn } from '../support/servers.js';
import { compareScript } from '../support/differential.js';
import { RawConnection } from '../support/resp.js';
import { Config, ConfigError, configFromOptions, startServer } from '../../src/index.js';

describe('file names are plain names (differential)', () => {
  const getPair = sharedPair({
    redisArgs: ['--enable-protected-configs', 'yes'],
    cairnOptions: { 'enable-protected-configs': 'yes' },
  });

  it('CONFIG SET dbfilename refuses paths and accepts plain names', async () => {
    const pair = await getPair();
    await compareScript(pair, [
      ['CONFIG', 'SET', 'dbfilename', '../x.rdb'],
      ['CONFIG', 'SET', 'dbfilename', 'a/b'],
      ['CONFIG', 'SET', 'dbfilename', 'a\\b'],
      ['CONFIG', 'SET', 'dbfilename', '/etc/cron.d/x'],
      ['CONFIG', 'SET', 'dbfilename', '/'],
      ['CONFIG', 'SET', 'maxclients', '10000', 'dbfilename', '../x'],
      ['CONFIG', 'GET', 'dbfilename'],
      ['CONFIG', 'SET', 'dbfilename', 'plain.rdb'],
      ['CONFIG', 'GET', 'dbfilename'],
      ['CONFIG', 'SET', 'dbfilename', ''],
      ['CONFIG', 'SET', 'dbfilename', 'dump.rdb'],
      ['CONFIG', 'SET', 'appendfilename', '../x.aof'],
      ['CONFIG', 'SET', 'appenddirname', '../x'],
    ]);
  });

  it("a dbfilename of '..' is accepted but SAVE fails, as in Redis, and writes nothing outside the data directory", async () => {
    const pair = await getPair();
    await compareScript(pair, [
      ['CONFIG', 'SET', 'dbfilename', '..'],
      ['SET', 'k', 'v'],
      ['SAVE'],
      ['CONFIG', 'SET', 'dbfilename', 'dump.rdb'],
    ]);
    // Cairn's data directory is a fresh one in the temporary directory: no temporary snapshot was left there.
    const ours = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`temp-${process.pid}-`));
    assert.deepEqual(ours, []);
  });
});

describe('file names at start-up', () => {
  /** The reason redis-server gives for refusing `--name value` (the last line of its fatal config report). */
  function redisRefusal(name: string, value: string): string {
    const r = spawnSync(findRedisServer(), ['--port', '0', `--${name}`, value], { encoding: 'utf8', timeout: 10000 });
    assert.notEqual(r.status, 0, `redis-server accepted --${name} ${value}`);
    return (r.stderr + r.stdout).trim().split('\n').pop()!;
  }

  function cairnRefusal(name: string, value: string): string {
    try {
      configFromOptions({ [name]: value });
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.message.split(': ').slice(1).join(': ');
    }
    assert.fail(`Cairn accepted ${name} ${JSON.stringify(value)}`);
  }

  for (const [name, value] of [
    ['dbfilename', '../x.rdb'],
    ['dbfilename', '/tmp/x.rdb'],
    ['appendfilename', '../x.aof'],
    ['appendfilename', 'a\\b'],
    ['appendfilename', ''],
    ['appenddirname', '../aof'],
    ['appenddirname', ''],
  ] as const) {
    it(`refuses ${name} ${JSON.stringify(value)} with Redis's reason`, () => {
      assert.equal(cairnRefusal(name, value), redisRefusal(name, value));
    });
  }

  it("also refuses appenddirname '..' (Redis would put the AOF in the data directory's parent)", () => {
    assert.equal(cairnRefusal('appenddirname', '..'), "appenddirname can't be a path, just a dirname");
  });

  it('the cairn command reports the reason and exits', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'src/main.ts'), '--port', '0', '--dbfilename', '../../x.rdb'],
      { cwd: root, encoding: 'utf8', timeout: 20000 },
    );
    assert.equal(r.status, 1);
    assert.match(r.stderr, /dbfilename can't be a path, just a filename/);
  });
});

describe('CONFIG REWRITE keeps each value on its own line', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-rewrite-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a value with newlines is written escaped and reads back the same', async () => {
    const file = path.join(dir, 'cairn.conf');
    fs.writeFileSync(file, 'port 0\n');
    const config = configFromOptions({ port: await freePort(), dir, save: '', loglevel: 'warning' });
    config.configFile = file;
    const s = await startServer({}, config);
    const c = await RawConnection.connect(s.port);
    try {
      const evil = 'x\ndir /etc\nenable-protected-configs yes\r\n"\t\\\x01';
      assert.equal((await c.call(['CONFIG', 'SET', 'requirepass', evil])).toString(), '+OK\r\n');
      assert.equal((await c.call(['AUTH', evil])).toString(), '+OK\r\n');
      assert.equal((await c.call(['CONFIG', 'REWRITE'])).toString(), '+OK\r\n');
    } finally {
      await c.close();
      await s.close();
    }
    const text = fs.readFileSync(file, 'latin1');
    assert.doesNotMatch(text, /^dir \/etc/m);
    assert.doesNotMatch(text, /^enable-protected-configs/m);
    const back = new Config();
    back.loadText(text);
    assert.equal(back.values.requirepass, 'x\ndir /etc\nenable-protected-configs yes\r\n"\t\\\x01');
    assert.equal(back.values.dir, dir);
  });

  it('startCairn still starts with plain names (sanity)', async () => {
    const s = await startCairn({ dbfilename: 'plain.rdb', appendfilename: 'plain.aof', appenddirname: 'aofdir' });
    await s.stop();
  });
});
