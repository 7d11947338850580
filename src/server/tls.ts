// TLS: the tls-* directives turned into Node's secure-context options, checked the way Redis checks them (with the
// same log lines), and the TLS listeners' state: reloading certificates for new connections after CONFIG SET,
// client-certificate policy (tls-auth-clients), and the server-side session cache.

import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import crypto from 'node:crypto';
import { fsPath, type ConfigValues } from '../config.js';
import type { Server } from './server.js';

/** A TLS setting that cannot be used; `message` is the line Redis logs about it. */
export class TlsSetupError extends Error {}

/** Directives whose change rebuilds the TLS context (Redis's applyTlsCfg group). */
const RELOADING = new Set<keyof ConfigValues>([
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
]);

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
type Version = (typeof VERSIONS)[number];
const NO_VERSION_FLAG: Record<Version, number> = {
  TLSv1: crypto.constants.SSL_OP_NO_TLSv1,
  'TLSv1.1': crypto.constants.SSL_OP_NO_TLSv1_1,
  'TLSv1.2': crypto.constants.SSL_OP_NO_TLSv1_2,
  'TLSv1.3': crypto.constants.SSL_OP_NO_TLSv1_3,
};

/** tls-protocols: space-separated names, any case; empty means TLSv1.2 and TLSv1.3 (Redis's default). */
function parseProtocols(text: string): Set<Version> {
  if (text === '') return new Set(['TLSv1.2', 'TLSv1.3']);
  const out = new Set<Version>();
  for (const word of text.split(' ')) {
    const v = VERSIONS.find((x) => x.toLowerCase() === word.toLowerCase());
    if (v === undefined)
      throw new TlsSetupError(
        "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
      );
    out.add(v);
  }
  return out;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(fsPath(file));
  } catch (e) {
    throw new TlsSetupError(`${what}: ${file}: ${(e as Error).message}`);
  }
}

/** The certificates of tls-ca-cert-dir: every file in it holding PEM certificates (what OpenSSL's CApath trusts). */
function readCaDir(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(fsPath(dir));
  } catch (e) {
    throw new TlsSetupError(`Failed to configure CA certificate(s) file/directory: ${(e as Error).message}`);
  }
  const out: string[] = [];
  for (const n of names.sort()) {
    const f = path.join(dir, n);
    try {
      if (!fs.statSync(f).isFile()) continue;
      const text = fs.readFileSync(f, 'latin1');
      if (text.includes('-----BEGIN CERTIFICATE-----')) out.push(text);
    } catch {
      // unreadable entries are skipped, as OpenSSL skips them
    }
  }
  return out;
}

/**
 * The secure-context options for the current tls-* settings. Throws TlsSetupError with Redis's log line when the
 * settings cannot be used (no certificate, unreadable key, unknown cipher …).
 */
export function tlsContextOptions(v: ConfigValues): tls.SecureContextOptions {
  if (v['tls-cert-file'] === '') throw new TlsSetupError('No tls-cert-file configured!');
  if (v['tls-key-file'] === '') throw new TlsSetupError('No tls-key-file configured!');
  if (v['tls-auth-clients'] !== 'no' && v['tls-ca-cert-file'] === '' && v['tls-ca-cert-dir'] === '')
    throw new TlsSetupError(
      'Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!',
    );
  const protocols = parseProtocols(v['tls-protocols']);
  const listed = VERSIONS.filter((x) => protocols.has(x));
  let secureOptions = 0;
  for (const x of VERSIONS.slice(VERSIONS.indexOf(listed[0]!), VERSIONS.indexOf(listed[listed.length - 1]!) + 1))
    if (!protocols.has(x)) secureOptions |= NO_VERSION_FLAG[x];
  if (!v['tls-session-caching']) secureOptions |= crypto.constants.SSL_OP_NO_TICKET;

  const cert = readFile(v['tls-cert-file'], 'Failed to load certificate');
  try {
    new crypto.X509Certificate(cert);
  } catch (e) {
    throw new TlsSetupError(`Failed to load certificate: ${v['tls-cert-file']}: ${(e as Error).message}`);
  }
  const key = readFile(v['tls-key-file'], 'Failed to load private key');
  const passphrase = v['tls-key-file-pass'] === '' ? undefined : v['tls-key-file-pass'];
  try {
    const pk = crypto.createPrivateKey({ key, passphrase: passphrase ?? '' });
    if (!new crypto.X509Certificate(cert).checkPrivateKey(pk)) throw new Error('key values mismatch');
  } catch (e) {
    throw new TlsSetupError(`Failed to load private key: ${v['tls-key-file']}: ${(e as Error).message}`);
  }
  const ca: (string | Buffer)[] = [];
  if (v['tls-ca-cert-file'] !== '') {
    try {
      ca.push(fs.readFileSync(v['tls-ca-cert-file']));
    } catch (e) {
      throw new TlsSetupError(`Failed to configure CA certificate(s) file/directory: ${(e as Error).message}`);
    }
  }
  if (v['tls-ca-cert-dir'] !== '') ca.push(...readCaDir(v['tls-ca-cert-dir']));
  const dhparam = v['tls-dh-params-file'] === '' ? undefined : readFile(v['tls-dh-params-file'], 'Failed to load');

  // Node takes TLS 1.2 ciphers and TLS 1.3 suites in one list; each half keeps its default unless set.
  const defaults = tls.DEFAULT_CIPHERS.split(':');
  const suites = v['tls-ciphersuites'];
  if (suites !== '' && suites.split(':').some((s) => !s.startsWith('TLS_')))
    throw new TlsSetupError(`Failed to configure ciphersuites: ${suites}: no cipher match`);
  const ciphers = [
    suites !== '' ? suites : defaults.filter((c) => c.startsWith('TLS_')).join(':'),
    v['tls-ciphers'] !== '' ? v['tls-ciphers'] : defaults.filter((c) => !c.startsWith('TLS_')).join(':'),
  ].join(':');

  const options: tls.SecureContextOptions = {
    cert,
    key,
    passphrase,
    ca: ca.length > 0 ? ca : undefined,
    dhparam,
    ciphers,
    minVersion: listed[0]!,
    maxVersion: listed[listed.length - 1]!,
    secureOptions: secureOptions || undefined,
    honorCipherOrder: v['tls-prefer-server-ciphers'],
    sessionTimeout: v['tls-session-cache-timeout'] > 0 ? v['tls-session-cache-timeout'] : undefined,
    sessionIdContext: 'cairn',
  };
  try {
    tls.createSecureContext(options);
  } catch (e) {
    const msg = (e as Error).message;
    if (!/cipher/i.test(msg)) throw new TlsSetupError(`Failed to configure TLS: ${msg}`);
    let which = 'ciphers';
    if (suites !== '') {
      try {
        tls.createSecureContext({
          ...options,
          ciphers: `${suites}:${defaults.filter((c) => !c.startsWith('TLS_')).join(':')}`,
        });
      } catch {
        which = 'ciphersuites';
      }
    }
    throw new TlsSetupError(`Failed to configure ${which}: ${msg}`);
  }
  return options;
}

/** An OpenSSL error as Redis logs it ("error:0A0000C7:SSL routines::peer did not return a certificate"). */
function opensslText(msg: string): string {
  const m = /error:([0-9A-Fa-f]+):([^:]*):[^:]*:([^:\n]+)/.exec(msg);
  return m ? `error:${m[1]}:${m[2]}::${m[3]}` : msg.trim();
}

/** Server-side TLS session cache (tls-session-caching): ids → session data, bounded in size and age. */
class SessionCache {
  private readonly entries = new Map<string, { data: Buffer; at: number }>();

  constructor(private readonly v: ConfigValues) {}

  store(id: Buffer, data: Buffer): void {
    if (!this.v['tls-session-caching']) return;
    const size = this.v['tls-session-cache-size'];
    this.entries.set(id.toString('hex'), { data, at: Date.now() });
    if (size > 0) {
      for (const k of this.entries.keys()) {
        if (this.entries.size <= size) break;
        this.entries.delete(k);
      }
    }
  }

  find(id: Buffer): Buffer | null {
    if (!this.v['tls-session-caching']) return null;
    const k = id.toString('hex');
    const e = this.entries.get(k);
    if (e === undefined) return null;
    if (Date.now() - e.at > this.v['tls-session-cache-timeout'] * 1000) {
      this.entries.delete(k);
      return null;
    }
    return e.data;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The TLS listeners of one server: created with the first context, reloaded after CONFIG SET of tls-* settings. */
export class TlsState {
  readonly servers: tls.Server[] = [];
  private options: tls.SecureContextOptions;
  private pending: tls.SecureContextOptions | undefined;
  private readonly sessions: SessionCache;

  /** Throws TlsSetupError (already logged, as Redis logs it) when the settings cannot be used. */
  constructor(private readonly server: Server) {
    try {
      this.options = tlsContextOptions(server.config.values);
    } catch (e) {
      if (e instanceof TlsSetupError) {
        server.log('warning', e.message);
        server.log('warning', 'Failed to configure TLS. Check logs for more info.');
      }
      throw e;
    }
    this.sessions = new SessionCache(server.config.values);
    server.config.applyChecks.push((changed) => this.check(changed));
    const prev = server.config.onChange;
    server.config.onChange = (name) => {
      prev(name);
      this.onChange(name);
    };
  }

  /** A TLS listener whose accepted (handshaken) sockets go to `onSocket`. */
  createServer(onSocket: (sock: tls.TLSSocket) => void): tls.Server {
    const ts = tls.createServer({ ...this.options, ...this.clientAuth() });
    ts.on('secureConnection', (sock: tls.TLSSocket) => {
      // tls-auth-clients optional: no certificate is fine, a certificate that does not verify is not.
      if (!sock.authorized && this.server.config.values['tls-auth-clients'] === 'optional') {
        const peer = sock.getPeerCertificate();
        if (peer !== null && Object.keys(peer).length > 0) {
          this.server.log('warning', `Error accepting a client connection: ${String(sock.authorizationError)}`);
          sock.destroy();
          return;
        }
      }
      onSocket(sock);
    });
    ts.on('tlsClientError', (err: Error, sock: tls.TLSSocket) => {
      this.server.log('warning', `Error accepting a client connection: ${opensslText(err.message)}`);
      sock.destroy();
    });
    ts.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
      this.sessions.store(id, data);
      done();
    });
    ts.on('resumeSession', (id: Buffer, done: (err: Error | null, data: Buffer | null) => void) => {
      done(null, this.sessions.find(id));
    });
    this.servers.push(ts);
    return ts;
  }

  /** Drops a listener that was closed (CONFIG SET tls-port or bind), so that settings changes skip it. */
  forget(ts: net.Server): void {
    const i = this.servers.indexOf(ts as tls.Server);
    if (i >= 0) this.servers.splice(i, 1);
  }

  /** tls-auth-clients: yes asks for a certificate and requires it; optional asks; no does not ask. */
  private clientAuth(): { requestCert: boolean; rejectUnauthorized: boolean } {
    const mode = this.server.config.values['tls-auth-clients'];
    return { requestCert: mode !== 'no', rejectUnauthorized: mode === 'yes' };
  }

  /** CONFIG SET check: the new settings must make a usable context (Redis: "Unable to update TLS configuration"). */
  private check(changed: (keyof ConfigValues)[]): { name: keyof ConfigValues; error: string } | undefined {
    const name = changed.find((n) => RELOADING.has(n));
    if (name === undefined) return undefined;
    try {
      this.pending = tlsContextOptions(this.server.config.values);
      return undefined;
    } catch (e) {
      if (!(e instanceof TlsSetupError)) throw e;
      this.pending = undefined;
      this.server.log('warning', e.message);
      this.server.log(
        'warning',
        `Failed applying new configuration. Possibly related to new ${name} setting. Restoring previous settings.`,
      );
      return { name, error: 'Unable to update TLS configuration. Check server logs.' };
    }
  }

  private onChange(name: keyof ConfigValues): void {
    if (name === 'tls-auth-clients') {
      const auth = this.clientAuth();
      for (const ts of this.servers) Object.assign(ts, auth);
      return;
    }
    if (!RELOADING.has(name) || this.pending === undefined) return;
    // New connections use the new context; established ones keep theirs.
    this.options = this.pending;
    this.pending = undefined;
    if (!this.server.config.values['tls-session-caching']) this.sessions.clear();
    for (const ts of this.servers) ts.setSecureContext(this.options);
  }
}
