// daemonize yes, as redis-server does it: the command returns at once (exit code 0) and the server runs on in the
// background, in a session of its own, with its pid in the pid file, which SHUTDOWN removes. The configuration may
// come from standard input (a lone "-"), which the background server gets too. CONFIG SET daemonize is refused as
// Redis refuses it (compared with redis-server 7.0.15).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRedis } from '../support/servers.js';
import { RawConnection } from '../support/resp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs the cairn command (from the sources, through tsx) to its exit; resolves with its exit code. */
function runCairn(args: string[], stdin?: string): Promise<number | null> {
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
  if (!execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  const child = spawn(process.execPath, [...execArgv, path.join(ROOT, 'src/main.ts'), ...args], {
    cwd: ROOT,
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'],
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function connectWithin(port: number, ms: number): Promise<RawConnection> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await RawConnection.connect(port, '127.0.0.1', 500);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Checks a daemon on `port` whose pid file is `pidfile`, then shuts it down and checks it is gone. */
async function checkDaemon(port: number, pidfile: string, parentExit: number | null): Promise<void> {
  assert.equal(parentExit, 0);
  const conn = await connectWithin(port, 20_000);
  let pid = 0;
  try {
    assert.equal((await conn.call(['PING'])).toString(), '+PONG\r\n');
    pid = Number(fs.readFileSync(pidfile, 'latin1').trim());
    assert.ok(pid > 0 && alive(pid), `pid file holds a live pid: ${pid}`);
    const info = (await conn.call(['INFO', 'server'])).toString('latin1');
    assert.match(info, new RegExp(`process_id:${pid}\r\n`));
    assert.equal(
      (await conn.call(['CONFIG', 'GET', 'daemonize'])).toString(),
      '*2\r\n$9\r\ndaemonize\r\n$3\r\nyes\r\n',
    );
    await conn.call(['SHUTDOWN', 'NOSAVE']).catch(() => Buffer.alloc(0));
  } finally {
    await conn.close();
  }
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(alive(pid), false, 'the daemon exited after SHUTDOWN');
  assert.equal(fs.existsSync(pidfile), false, 'SHUTDOWN removed the pid file');
}

describe('daemonize', () => {
  it('yes: the command exits 0, the server runs on with its pid file; SHUTDOWN removes it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-daemon-'));
    try {
      const port = await freePort();
      const pidfile = path.join(dir, 'cairn.pid');
      const args = ['--daemonize', 'yes', '--port', String(port), '--pidfile', pidfile, '--dir', dir, '--save', ''];
      await checkDaemon(port, pidfile, await runCairn(args));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with the configuration on standard input ("-"), which the daemon reads too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-daemon-'));
    try {
      const port = await freePort();
      const pidfile = path.join(dir, 'cairn.pid');
      const conf = `daemonize yes\nport ${port}\npidfile ${pidfile}\ndir ${dir}\nsave ""\n`;
      await checkDaemon(port, pidfile, await runCairn(['-', '--loglevel', 'warning'], conf));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CONFIG GET and SET answer as Redis', async () => {
    const redis = await startRedis();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-daemon-'));
    const port = await freePort();
    const stdin = `port ${port}\ndir ${dir}\nsave ""\n`;
    const exited = runCairn(['-'], stdin);
    try {
      const c = await connectWithin(port, 20_000);
      const r = await RawConnection.connect(redis.port);
      try {
        for (const args of [
          ['CONFIG', 'GET', 'daemonize'],
          ['CONFIG', 'SET', 'daemonize', 'yes'],
          ['CONFIG', 'SET', 'daemonize', 'no'],
        ]) {
          const want = (await r.call(args)).toString('latin1');
          assert.equal((await c.call(args)).toString('latin1'), want, args.join(' '));
        }
        await c.call(['SHUTDOWN', 'NOSAVE']).catch(() => Buffer.alloc(0));
      } finally {
        await c.close();
        await r.close();
      }
      assert.equal(await exited, 0);
    } finally {
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
