// TLS end to end: certificates made by `openssl` in a temporary directory (a CA, server and client certificates,
// and a rogue CA whose client certificate must not be trusted), then redis-cli --tls, ioredis over TLS and raw
// Node TLS sockets against Cairn; the tls-* directives' CONFIG GET/SET answers compared with redis-server 7.0.15.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Redis } from 'ioredis';
import { freePort, startRedis, type RedisHandle } from '../support/servers.js';
import { compareScript } from '../support/differential.js';
import { RawConnection } from '../support/resp.js';
import { startServer, type RunningServer } from '../../src/index.js';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
let dir = '';
const f = (name: string): string => path.join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A key and a certificate signed by `ca` (self-signed when ca is undefined), with optional extensions. */
function makeCert(name: string, cn: string, ca: string | undefined, ext?: string): void {
  // A new P-256 key and its request (or, for a CA, a self-signed certificate).
  const newKey = ['-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const subject = ['-keyout', f(`${name}.key`), '-subj', `/CN=${cn}`];
  if (ca === undefined) {
    openssl('req', '-x509', ...newKey, ...subject, '-out', f(`${name}.crt`), '-days', '2');
    return;
  }
  openssl('req', ...newKey, ...subject, '-out', f(`${name}.csr`));
  const extArgs: string[] = [];
  if (ext !== undefined) {
    fs.writeFileSync(f(`${name}.ext`), ext + '\n');
    extArgs.push('-extfile', f(`${name}.ext`));
  }
  openssl(
    'x509',
    '-req',
    '-in',
    f(`${name}.csr`),
    '-CA',
    f(`${ca}.crt`),
    '-CAkey',
    f(`${ca}.key`),
    '-CAcreateserial',
    '-out',
    f(`${name}.crt`),
    '-days',
    '2',
    ...extArgs,
  );
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-tls-'));
  makeCert('ca', 'Cairn Test CA', undefined);
  makeCert('rogue-ca', 'Rogue CA', undefined);
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
  makeCert('server', 'cairn-server', 'ca', san);
  makeCert('server2', 'cairn-server-2', 'ca', san);
  makeCert('client', 'cairn-client', 'ca');
  makeCert('rogue', 'rogue-client', 'rogue-ca');
  // The server key again, encrypted with a passphrase (tls-key-file-pass).
  openssl('pkey', '-in', f('server.key'), '-out', f('server-enc.key'), '-aes256', '-passout', 'pass:s3cret');
  fs.mkdirSync(f('cadir'));
  fs.copyFileSync(f('ca.crt'), f('cadir/ca.pem'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function tlsOptions(): Record<string, string> {
  return { 'tls-cert-file': f('server.crt'), 'tls-key-file': f('server.key'), 'tls-ca-cert-file': f('ca.crt') };
}

interface TlsTry {
  reply: string;
  closed: boolean;
  error?: string;
  peerCN?: string;
  protocol?: string | null;
  reused?: boolean;
  session?: Buffer;
}

/** Connects over TLS, sends the request, and reports the reply (or how the connection ended). */
function tryTls(port: number, opts: tls.ConnectionOptions & { send?: string } = {}): Promise<TlsTry> {
  return new Promise((resolve) => {
    const { send = 'PING\r\n', ...rest } = opts;
    const s = tls.connect({ host: '127.0.0.1', port, ca: fs.readFileSync(f('ca.crt')), ...rest });
    let reply = '';
    let error: string | undefined;
    let session: Buffer | undefined;
    let info: Partial<TlsTry> = {};
    const timer = setTimeout(() => finish(false), 1500);
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve({ reply, closed, error, session, ...info });
    };
    s.on('session', (sess: Buffer) => (session = sess));
    s.on('secureConnect', () => {
      info = {
        peerCN: String(s.getPeerCertificate().subject?.CN),
        protocol: s.getProtocol(),
        reused: s.isSessionReused(),
      };
      s.write(send);
    });
    s.on('data', (d: Buffer) => {
      reply += d.toString('latin1');
      if (reply.endsWith('\r\n')) setTimeout(() => finish(false), 50);
    });
    s.on('error', (e) => (error = e.message));
    s.on('close', () => finish(true));
  });
}

/** redis-cli --tls with the client certificate (run asynchronously: the server under test is in this process). */
async function cli(port: number, ...args: string[]): Promise<string> {
  const tlsArgs = ['--tls', '--cert', f('client.crt'), '--key', f('client.key'), '--cacert', f('ca.crt')];
  try {
    const r = await execFileAsync('redis-cli', [...tlsArgs, '-p', String(port), ...args], { timeout: 10000 });
    return (r.stdout + r.stderr).trim();
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    return ((x.stdout ?? '') + (x.stderr ?? '') || x.message).trim();
  }
}

describe('TLS', () => {
  let s: RunningServer;
  let tlsPort = 0;
  before(async () => {
    tlsPort = await freePort();
    s = await startServer({ port: await freePort(), 'tls-port': tlsPort, ...tlsOptions() });
  });
  after(() => s.close());

  it('serves redis-cli --tls with a client certificate', async () => {
    assert.equal(await cli(tlsPort, 'PING'), 'PONG');
    assert.equal(await cli(tlsPort, 'SET', 'tls:k', 'over tls'), 'OK');
    assert.equal(await cli(tlsPort, 'GET', 'tls:k'), 'over tls');
    // The same keyspace and the same clients as the plain port.
    assert.equal((await cli(tlsPort, 'INFO', 'server')).match(/tcp_port:(\d+)/)?.[1], String(s.port));
  });

  it('serves ioredis over TLS, on the same client path as TCP (CLIENT LIST, INFO)', async () => {
    const r = new Redis({
      host: '127.0.0.1',
      port: tlsPort,
      lazyConnect: true,
      tls: {
        ca: fs.readFileSync(f('ca.crt')),
        cert: fs.readFileSync(f('client.crt')),
        key: fs.readFileSync(f('client.key')),
      },
    });
    const plain = new Redis({ host: '127.0.0.1', port: s.port, lazyConnect: true });
    try {
      await r.connect();
      await plain.connect();
      await r.client('SETNAME', 'over-tls');
      assert.equal(await r.set('tls:io', 'v1'), 'OK');
      assert.equal(await plain.get('tls:io'), 'v1');
      const res = await r.pipeline().incr('tls:n').incr('tls:n').lrange('nolist', 0, -1).exec();
      assert.deepEqual(res, [
        [null, 1],
        [null, 2],
        [null, []],
      ]);
      const list = (await plain.client('LIST')) as string;
      assert.match(list, /name=over-tls /);
      assert.equal(await r.call('DBSIZE'), await plain.call('DBSIZE'));
    } finally {
      r.disconnect();
      plain.disconnect();
    }
  });

  it('tls-auth-clients: yes refuses a client without a certificate; optional and no accept it', async () => {
    const noCert = await tryTls(tlsPort);
    assert.equal(noCert.reply, '');
    assert.equal(noCert.closed, true);
    const rogue = { cert: fs.readFileSync(f('rogue.crt')), key: fs.readFileSync(f('rogue.key')) };
    assert.equal((await tryTls(tlsPort, rogue)).reply, '');
    try {
      assert.equal(await cli(tlsPort, 'CONFIG', 'SET', 'tls-auth-clients', 'optional'), 'OK');
      assert.equal((await tryTls(tlsPort)).reply, '+PONG\r\n');
      // optional: a certificate the CA did not sign is still refused.
      const r = await tryTls(tlsPort, rogue);
      assert.equal(r.reply, '');
      assert.equal(r.closed, true);
      assert.equal(await cli(tlsPort, 'CONFIG', 'SET', 'tls-auth-clients', 'no'), 'OK');
      assert.equal((await tryTls(tlsPort)).reply, '+PONG\r\n');
    } finally {
      assert.equal(await cli(tlsPort, 'CONFIG', 'SET', 'tls-auth-clients', 'yes'), 'OK');
    }
    assert.equal((await tryTls(tlsPort)).reply, '');
  });

  it('closes a plain-text connection to the TLS port without answering', async () => {
    const got = await new Promise<{ data: string; closed: boolean }>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port: tlsPort });
      let data = '';
      const timer = setTimeout(() => {
        sock.destroy();
        resolve({ data, closed: false });
      }, 3000);
      sock.on('connect', () => sock.write('*1\r\n$4\r\nPING\r\n'));
      sock.on('data', (d) => (data += d.toString('latin1')));
      sock.on('error', () => {});
      sock.on('close', () => {
        clearTimeout(timer);
        resolve({ data, closed: true });
      });
    });
    assert.equal(got.closed, true);
    assert.doesNotMatch(got.data, /PONG/);
  });

  it('CONFIG SET tls-cert-file reloads the certificate for new connections; old ones keep working', async () => {
    const client = { cert: fs.readFileSync(f('client.crt')), key: fs.readFileSync(f('client.key')) };
    assert.equal((await tryTls(tlsPort, client)).peerCN, 'cairn-server');
    const r = new Redis({
      host: '127.0.0.1',
      port: tlsPort,
      lazyConnect: true,
      tls: { ca: fs.readFileSync(f('ca.crt')), ...client },
    });
    await r.connect();
    try {
      assert.equal(
        await cli(tlsPort, 'CONFIG', 'SET', 'tls-cert-file', f('server2.crt'), 'tls-key-file', f('server2.key')),
        'OK',
      );
      assert.equal((await tryTls(tlsPort, client)).peerCN, 'cairn-server-2');
      assert.equal(await r.ping(), 'PONG');
      // A certificate that does not load is refused and the previous one stays.
      assert.equal(
        await cli(tlsPort, 'CONFIG', 'SET', 'tls-cert-file', f('nonexistent.crt')),
        "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.",
      );
      assert.equal(await cli(tlsPort, 'CONFIG', 'GET', 'tls-cert-file'), `tls-cert-file\n${f('server2.crt')}`);
      // A key that does not match the certificate is refused too.
      assert.match(
        await cli(tlsPort, 'CONFIG', 'SET', 'tls-key-file', f('server.key')),
        /Unable to update TLS configuration/,
      );
      assert.equal((await tryTls(tlsPort, client)).peerCN, 'cairn-server-2');
    } finally {
      r.disconnect();
      await cli(tlsPort, 'CONFIG', 'SET', 'tls-cert-file', f('server.crt'), 'tls-key-file', f('server.key'));
    }
  });

  it('tls-key-file-pass, tls-ca-cert-dir and tls-protocols', async () => {
    const client = { cert: fs.readFileSync(f('client.crt')), key: fs.readFileSync(f('client.key')) };
    try {
      assert.match(await cli(tlsPort, 'CONFIG', 'SET', 'tls-key-file', f('server-enc.key')), /Unable to update TLS/);
      assert.equal(
        await cli(tlsPort, 'CONFIG', 'SET', 'tls-key-file', f('server-enc.key'), 'tls-key-file-pass', 's3cret'),
        'OK',
      );
      assert.equal((await tryTls(tlsPort, client)).reply, '+PONG\r\n');
      assert.equal(await cli(tlsPort, 'CONFIG', 'SET', 'tls-ca-cert-file', '', 'tls-ca-cert-dir', f('cadir')), 'OK');
      assert.equal((await tryTls(tlsPort, client)).reply, '+PONG\r\n');
      assert.match(await cli(tlsPort, 'CONFIG', 'SET', 'tls-ca-cert-dir', ''), /Unable to update TLS configuration/);
      assert.equal((await tryTls(tlsPort, client)).protocol, 'TLSv1.3');
      assert.equal(await cli(tlsPort, 'CONFIG', 'SET', 'tls-protocols', 'tlsv1.2'), 'OK');
      assert.equal((await tryTls(tlsPort, client)).protocol, 'TLSv1.2');
      assert.equal((await tryTls(tlsPort, { ...client, minVersion: 'TLSv1.3' })).reply, '');
    } finally {
      await cli(
        tlsPort,
        'CONFIG',
        'SET',
        'tls-protocols',
        '',
        'tls-key-file',
        f('server.key'),
        'tls-key-file-pass',
        '',
      );
      await cli(tlsPort, 'CONFIG', 'SET', 'tls-ca-cert-file', f('ca.crt'), 'tls-ca-cert-dir', '');
    }
  });

  it('tls-session-caching: sessions resume while on, not once off', async () => {
    const client = { cert: fs.readFileSync(f('client.crt')), key: fs.readFileSync(f('client.key')) };
    const first = await tryTls(tlsPort, client);
    assert.ok(first.session, 'the server sent a session');
    assert.equal((await tryTls(tlsPort, { ...client, session: first.session })).reused, true);
    try {
      assert.equal(await cli(tlsPort, 'CONFIG', 'SET', 'tls-session-caching', 'no'), 'OK');
      const again = await tryTls(tlsPort, client);
      assert.equal((await tryTls(tlsPort, { ...client, session: again.session ?? first.session })).reused, false);
    } finally {
      await cli(tlsPort, 'CONFIG', 'SET', 'tls-session-caching', 'yes');
    }
  });
});

describe('tls-* directives (differential: redis-server with TLS)', () => {
  let redis: RedisHandle;
  let cairn: RunningServer;
  before(async () => {
    const args = Object.entries(tlsOptions()).flatMap(([k, v]) => [`--${k}`, v]);
    redis = await startRedis(['--tls-port', String(await freePort()), ...args]);
    cairn = await startServer({ port: await freePort(), 'tls-port': await freePort(), ...tlsOptions() });
  });
  after(async () => {
    await redis?.stop();
    await cairn?.close();
  });

  it('answers CONFIG GET and CONFIG SET as Redis does', async () => {
    const pair = {
      redis,
      cairn: { kind: 'cairn' as const, host: '127.0.0.1', port: cairn.port, stop: async () => {} },
    };
    const names = [
      'tls-auth-clients',
      'tls-cert-file',
      'tls-key-file',
      'tls-key-file-pass',
      'tls-dh-params-file',
      'tls-ca-cert-file',
      'tls-ca-cert-dir',
      'tls-protocols',
      'tls-ciphers',
      'tls-ciphersuites',
      'tls-prefer-server-ciphers',
      'tls-session-caching',
      'tls-session-cache-size',
      'tls-session-cache-timeout',
      'protected-mode',
    ];
    await compareScript(pair, [
      ...names.map((n) => ['CONFIG', 'GET', n]),
      ['CONFIG', 'SET', 'tls-protocols', 'TLSv1.4'],
      ['CONFIG', 'SET', 'tls-protocols', 'TLSv1.2 TLSv1.3'],
      ['CONFIG', 'GET', 'tls-protocols'],
      ['CONFIG', 'SET', 'tls-protocols', ''],
      ['CONFIG', 'SET', 'tls-ciphers', 'NO-SUCH-CIPHER'],
      ['CONFIG', 'SET', 'tls-ciphersuites', 'NO-SUCH-SUITE'],
      ['CONFIG', 'SET', 'tls-ciphersuites', 'TLS_AES_128_GCM_SHA256'],
      ['CONFIG', 'SET', 'tls-ciphersuites', ''],
      ['CONFIG', 'SET', 'tls-cert-file', '/nonexistent/cert.pem'],
      ['CONFIG', 'SET', 'tls-ca-cert-file', ''],
      ['CONFIG', 'SET', 'tls-auth-clients', 'maybe'],
      ['CONFIG', 'SET', 'tls-auth-clients', 'OPTIONAL'],
      ['CONFIG', 'GET', 'tls-auth-clients'],
      ['CONFIG', 'SET', 'tls-auth-clients', 'yes'],
      ['CONFIG', 'SET', 'tls-session-cache-size', '-1'],
      ['CONFIG', 'SET', 'tls-session-cache-timeout', 'x'],
      ['CONFIG', 'SET', 'tls-session-cache-size', '100', 'tls-session-cache-timeout', '60'],
      ['CONFIG', 'GET', 'tls-session-cache-size'],
      ['CONFIG', 'SET', 'tls-prefer-server-ciphers', 'yes'],
      ['CONFIG', 'SET', 'tls-session-caching', 'maybe'],
      ['CONFIG', 'SET', 'tls-protocols', 'bogus', 'tls-session-cache-size', '7'],
      ['CONFIG', 'GET', 'tls-session-cache-size'],
    ]);
  });
});

describe('CONFIG SET tls-port', () => {
  it('opens, moves and closes the TLS listener at run time; plain connections carry on', async () => {
    const s = await startServer({ port: 0, ...tlsOptions() });
    const conn = await RawConnection.connect(s.port);
    const client = { cert: fs.readFileSync(f('client.crt')), key: fs.readFileSync(f('client.key')) };
    try {
      const first = await freePort();
      assert.equal((await conn.call(['CONFIG', 'SET', 'tls-port', String(first)])).toString(), '+OK\r\n');
      assert.equal((await tryTls(first, client)).reply, '+PONG\r\n');
      const second = await freePort();
      assert.equal((await conn.call(['CONFIG', 'SET', 'tls-port', String(second)])).toString(), '+OK\r\n');
      assert.equal((await tryTls(second, client)).reply, '+PONG\r\n');
      assert.equal((await tryTls(first, client)).reply, '');
      // A certificate that cannot be loaded is refused before the port moves.
      const bad = await conn.call([
        'CONFIG',
        'SET',
        'tls-cert-file',
        '/nonexistent/cert.pem',
        'tls-port',
        String(first),
      ]);
      assert.match(bad.toString(), /^-ERR CONFIG SET failed \(possibly related to argument 'tls-cert-file'\)/);
      assert.equal((await tryTls(second, client)).reply, '+PONG\r\n');
      assert.equal((await conn.call(['CONFIG', 'SET', 'tls-port', '0'])).toString(), '+OK\r\n');
      assert.equal((await tryTls(second, client)).reply, '');
      assert.equal((await conn.call(['PING'])).toString(), '+PONG\r\n');
    } finally {
      await conn.close();
      await s.close();
    }
  });

  it('without a certificate is refused as Redis refuses it', async () => {
    const redis = await startRedis();
    const cairn = await startServer({ port: 0 });
    const pair = {
      redis,
      cairn: { kind: 'cairn' as const, host: '127.0.0.1', port: cairn.port, stop: async () => {} },
    };
    try {
      const p = String(await freePort());
      await compareScript(pair, [['CONFIG', 'SET', 'tls-port', p], ['CONFIG', 'GET', 'tls-port'], ['PING']]);
    } finally {
      await redis.stop();
      await cairn.close();
    }
  });
});

describe('the cairn command with TLS', () => {
  function run(args: string[]): Promise<{ out: string; stop: () => Promise<number | null> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return new Promise((resolve) => {
      const poll = setInterval(() => {
        if (/ready to accept connections/.test(out) || child.exitCode !== null) {
          clearInterval(poll);
          resolve({
            get out() {
              return out;
            },
            stop: async () => {
              if (child.exitCode === null) child.kill('SIGTERM');
              return exited;
            },
          });
        }
      }, 50);
    });
  }

  it('--port 0 --tls-port serves TLS only, and INFO shows the TLS port as tcp_port', async () => {
    const port = await freePort();
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-tls-cli-'));
    const args = Object.entries(tlsOptions()).flatMap(([k, v]) => [`--${k}`, v]);
    const p = await run(['--port', '0', '--tls-port', String(port), '--dir', d, '--save', '', ...args]);
    try {
      assert.equal(await cli(port, 'PING'), 'PONG');
      assert.equal((await cli(port, 'INFO', 'server')).match(/tcp_port:(\d+)/)?.[1], String(port));
    } finally {
      await p.stop();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses to start without a certificate, logging what Redis logs', async () => {
    const port = String(await freePort());
    const p = await run(['--port', '0', '--tls-port', port]);
    assert.equal(await p.stop(), 1);
    assert.match(p.out, /No tls-cert-file configured!/);
    const r = spawnSync('redis-server', ['--port', '0', '--tls-port', port], { encoding: 'utf8', timeout: 10000 });
    assert.match(r.stdout + r.stderr, /No tls-cert-file configured!/);
  });
});
