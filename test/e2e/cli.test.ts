// The `cairn` command: flags and config files as redis-server takes them, start-up errors, logs, shutdown.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConnection } from '../support/resp.js';
import { freePort } from '../support/servers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/main.ts');

interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

// A test that fails midway leaves its server running: stopped after the file, so the run does not hang.
const started = new Set<ChildProcess>();
after(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function cairn(args: string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitFor(p: Proc, re: RegExp, ms = 15000): Promise<void> {
  const t0 = Date.now();
  while (!re.test(p.output())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re}; output:\n${p.output()}`);
    if (p.child.exitCode !== null) throw new Error(`exited early (${p.child.exitCode}); output:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cairn command line', () => {
  it('starts with flags, logs version/port/pid, answers, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-cli-'));
    const p = cairn(['--port', String(port), '--dir', dir, '--databases', '4', '--loglevel', 'notice']);
    // The pid/port line follows the "ready" line in a later write: wait for it too.
    await waitFor(p, new RegExp(`port=${port}`));
    assert.match(p.output(), new RegExp(`pid=${p.child.pid}`));
    assert.match(p.output(), /Cairn \d+\.\d+\.\d+/);
    const c = await RawConnection.connect(port);
    assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
    assert.equal((await c.call(['SELECT', '3'])).toString(), '+OK\r\n');
    assert.equal((await c.call(['SELECT', '4'])).toString(), '-ERR DB index is out of range\r\n');
    c.close();
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    assert.match(p.output(), /bye/);
  });

  it('reads a redis.conf-style file, and command-line flags override it', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-cli-'));
    const conf = path.join(dir, 'cairn.conf');
    writeFileSync(
      conf,
      `# a comment\nport 1\nrequirepass "s3cret pass"\ndatabases 2\ndir ${dir}\n\nloglevel warning\n`,
    );
    const p = cairn([conf, '--port', String(port), '--loglevel', 'notice']);
    await waitFor(p, /ready to accept connections/);
    const c = await RawConnection.connect(port);
    assert.equal((await c.call(['GET', 'x'])).toString(), '-NOAUTH Authentication required.\r\n');
    assert.equal((await c.call(['AUTH', 's3cret pass'])).toString(), '+OK\r\n');
    assert.equal((await c.call(['SELECT', '2'])).toString(), '-ERR DB index is out of range\r\n');
    c.close();
    p.child.kill('SIGINT');
    assert.equal(await p.exited, 0);
  });

  it('takes the bytes of a config file and of the arguments as they are: a UTF-8 password, a UTF-8 file name', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-cli-'));
    const conf = path.join(dir, 'cairn.conf');
    writeFileSync(conf, `requirepass "päss"\ndir ${dir}\nsave ""\n`, 'utf8');
    const p = cairn([conf, '--port', String(port), '--dbfilename', 'dé.rdb', '--enable-protected-configs', 'yes']);
    await waitFor(p, /ready to accept connections/);
    const c = await RawConnection.connect(port);
    // A client sends the password's UTF-8 bytes, as redis-cli does; the one-byte-per-char spelling is another one.
    assert.equal(
      (await c.call(['AUTH', Buffer.from('p\xe4ss', 'latin1')])).toString(),
      '-WRONGPASS invalid username-password pair or user is disabled.\r\n',
    );
    assert.equal((await c.call(['AUTH', Buffer.from('päss', 'utf8')])).toString(), '+OK\r\n');
    assert.equal(
      (await c.call(['CONFIG', 'GET', 'dbfilename'])).toString('hex'),
      Buffer.from('*2\r\n$10\r\ndbfilename\r\n$7\r\ndé.rdb\r\n').toString('hex'),
    );
    assert.equal((await c.call(['SAVE'])).toString(), '+OK\r\n');
    assert.ok(existsSync(path.join(dir, 'dé.rdb')), 'the snapshot has the UTF-8 name given');
    assert.equal((await c.call(['CONFIG', 'SET', 'dbfilename', Buffer.from('ü.rdb', 'utf8')])).toString(), '+OK\r\n');
    assert.equal((await c.call(['SAVE'])).toString(), '+OK\r\n');
    assert.ok(existsSync(path.join(dir, 'ü.rdb')), 'a name set over the network keeps its bytes too');
    c.close();
    p.child.kill('SIGINT');
    assert.equal(await p.exited, 0);
  });

  it('refuses to start on an unknown or malformed directive, naming it', async () => {
    const bad = cairn(['--port', '0', '--no-such-directive', 'x']);
    assert.notEqual(await bad.exited, 0);
    assert.match(bad.output(), /no-such-directive/);
    assert.match(bad.output(), /Bad directive or wrong number of arguments/);

    const malformed = cairn(['--port', 'notanumber']);
    assert.notEqual(await malformed.exited, 0);
    // Quoted as redis-server quotes option values: >>> 'port "notanumber"'
    assert.match(malformed.output(), /port "notanumber"/);

    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-cli-'));
    const conf = path.join(dir, 'bad.conf');
    writeFileSync(conf, 'port 7000\nmaxclientz 10\n');
    const fromFile = cairn([conf]);
    assert.notEqual(await fromFile.exited, 0);
    assert.match(fromFile.output(), /at line 2/);
    assert.match(fromFile.output(), /maxclientz/);
  });

  it('refuses a user declared twice (default too) and a quoted declaration taken as one user name, as redis-server', async () => {
    const cases: [string[], RegExp][] = [
      [['--user', 'default', '--user', 'default'], /Error in user declaration 'default': Duplicate user found/],
      [['--user', 'foo', '--user', 'foo'], /Error in user declaration 'foo': Duplicate user found/],
      [['--user', 'alice on nopass'], /Spaces not allowed in ACL usernames/],
    ];
    for (const [args, re] of cases) {
      const redis = spawn('redis-server', ['--port', String(await freePort()), '--save', '', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let redisOut = '';
      redis.stdout.on('data', (d) => (redisOut += d));
      redis.stderr.on('data', (d) => (redisOut += d));
      const redisCode = await new Promise<number | null>((r) => redis.on('exit', (code) => r(code)));
      assert.notEqual(redisCode, 0, `redis-server started with ${args.join(' ')}`);
      assert.match(redisOut, re);
      const p = cairn(['--port', '0', '--save', '', ...args]);
      const code = await Promise.race([p.exited, new Promise<string>((r) => setTimeout(() => r('running'), 15_000))]);
      if (code === 'running') p.child.kill('SIGKILL');
      assert.notEqual(code, 'running', `cairn started with ${args.join(' ')}`);
      assert.notEqual(code, 0);
      assert.match(p.output(), re);
    }
  });

  it('SHUTDOWN stops the process and removes the pidfile', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-cli-'));
    const pidfile = path.join(dir, 'cairn.pid');
    const p = cairn(['--port', String(port), '--dir', dir, '--pidfile', pidfile, '--loglevel', 'notice']);
    await waitFor(p, /ready to accept connections/);
    assert.equal(readFileSync(pidfile, 'utf8').trim(), String(p.child.pid));
    const c = await RawConnection.connect(port);
    c.send(['SHUTDOWN', 'NOSAVE']);
    await c.readUntilClosed(10000).catch(() => Buffer.alloc(0));
    assert.equal(await p.exited, 0);
    assert.equal(existsSync(pidfile), false);
  });
});
