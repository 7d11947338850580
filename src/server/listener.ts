// TCP and TLS listeners: accept connections, enforce maxclients and protected mode, and wire sockets to clients.
// A TLS socket (after its handshake) takes exactly the same path as a plain one.

import net from 'node:net';
import util from 'node:util';
import { Client } from './client.js';
import { directReadSocket } from './direct-read.js';
import { DirectWriter } from './direct-write.js';
import type { Server } from './server.js';
import { PROTECTED_MODE_DENIED, protectedModeRefuses } from './protected.js';
import { TlsSetupError, TlsState } from './tls.js';
import type { ConfigValues } from '../config.js';

export interface Listening {
  /** The plain TCP port when there is one, else the TLS port (what INFO shows as tcp_port). */
  ports: number[];
  /** The TLS port, 0 when TLS is off. */
  tlsPort: number;
  addresses: string[];
  close(): Promise<void>;
}

/** One listening socket: plain or TLS, and the address and port it is bound to. */
interface Bound {
  readonly tls: boolean;
  readonly ns: net.Server;
  readonly address: string;
  readonly port: number;
}

/**
 * Listens on every bind address (a leading '-' marks an address that may be unavailable), on the plain port and
 * on tls-port when it is set. `port 0` picks a free port, unless a tls-port is set: then, as in redis-server,
 * port 0 means no plain TCP listener (TLS only). Afterwards CONFIG SET port, tls-port and bind move the listeners
 * (see Listeners.rebind).
 */
export async function listen(server: Server): Promise<Listening> {
  const listeners = new Listeners(server);
  await listeners.start();
  return listeners;
}

/**
 * A bind address as Node's listen takes it: as in Redis, '*' is every IPv4 address and '::*' every IPv6 one
 * (IPv6 only, so that both can be listed: Redis's own default is `* -::*`).
 */
function listenAddress(bind: string): { host: string; ipv6Only: boolean } {
  return bind === '*'
    ? { host: '0.0.0.0', ipv6Only: false }
    : bind === '::*'
      ? { host: '::', ipv6Only: true }
      : { host: bind, ipv6Only: false };
}

class Listeners implements Listening {
  /** The TLS port as last applied (during a CONFIG SET that fails, the configured value is the refused one). */
  tlsPort = 0;
  private bound: Bound[] = [];
  private tlsState: TlsState | undefined;
  /** The port chosen at start for `port 0` without TLS; a change of bind addresses keeps it. */
  private pickedPort = 0;
  private closed = false;

  constructor(private readonly server: Server) {}

  async start(): Promise<void> {
    const cfg = this.server.config.values;
    const tlsPort = cfg['tls-port'];
    const plain = cfg.port !== 0 || tlsPort === 0;
    this.tlsState = tlsPort !== 0 ? new TlsState(this.server) : undefined;
    try {
      if (plain) {
        const port = await this.bindAllAsync(cfg.port, false);
        if (cfg.port === 0) this.pickedPort = port;
      }
      if (this.tlsState) await this.bindAllAsync(tlsPort, true);
    } catch (e) {
      for (const b of this.bound) b.ns.close();
      this.bound = [];
      throw e;
    }
    this.tlsPort = tlsPort;
    this.publish();
    this.server.config.applyActions.push((changed) => this.rebind(changed));
  }

  /** Start-up binding through Node's listen (names are resolved); returns the port bound. */
  private async bindAllAsync(port: number, tls: boolean): Promise<number> {
    const cfg = this.server.config.values;
    for (const b of bindList(cfg.bind)) {
      const optional = b.startsWith('-');
      const host = optional ? b.slice(1) : b;
      const ns = this.makeServer(tls);
      try {
        await new Promise<void>((resolve, reject) => {
          ns.once('error', reject);
          ns.listen({ port, ...listenAddress(host), backlog: cfg['tcp-backlog'] }, () => {
            ns.off('error', reject);
            resolve();
          });
        });
      } catch (e) {
        if (skippable((e as NodeJS.ErrnoException).code, optional)) continue;
        throw e;
      }
      const addr = ns.address() as net.AddressInfo;
      port = addr.port;
      this.bound.push({ tls, ns, address: addr.address, port });
    }
    return port;
  }

  /** A listener whose connections go to accept(); plain ones start paused (see direct-read.ts). */
  private makeServer(tls: boolean): net.Server {
    if (tls) return this.tlsState!.createServer((sock) => accept(this.server, sock));
    return net.createServer({ noDelay: true, pauseOnConnect: true }, (sock) => accept(this.server, sock, true));
  }

  /** The port INFO shows as tcp_port: the plain listeners' when there are some, else the TLS port. */
  get ports(): number[] {
    return this.server.ports;
  }

  /** What the start-up log line lists. */
  get addresses(): string[] {
    return this.bound.map((b) => `${b.tls ? 'tls://' : ''}${b.address}:${b.port}`);
  }

  /** Brings the server's tcp_port up to date with the listeners. */
  private publish(): void {
    const plain = this.bound.find((b) => !b.tls);
    this.server.ports = [
      plain !== undefined ? plain.port : this.tlsPort !== 0 ? this.tlsPort : this.server.config.values.port,
    ];
  }

  /**
   * CONFIG SET port, tls-port or bind, as Redis applies them: the listeners concerned are closed and opened again
   * on the new port or addresses (connections already accepted stay). Port 0 closes them (Redis's meaning at run
   * time). When an address cannot be bound, what was opened is closed, the previous listeners are opened again and
   * the error is Redis's; established listeners are never left half moved. Binding is synchronous, on Node's TCP
   * handle, so that CONFIG SET replies with the outcome, as Redis's does.
   */
  private rebind(changed: readonly (keyof ConfigValues)[]): { name: keyof ConfigValues; error: string } | undefined {
    const bindChanged = changed.includes('bind');
    const plainChanged = bindChanged || changed.includes('port');
    const tlsChanged = bindChanged || changed.includes('tls-port');
    if ((!plainChanged && !tlsChanged) || this.closed) return undefined;
    const cfg = this.server.config.values;
    // Redis applies them in the order given, so the first of them named is the one a failure is reported for.
    const name = changed.find((n) => n === 'port' || n === 'bind' || n === 'tls-port')!;
    const error =
      name === 'bind' ? 'Failed to bind to specified addresses.' : 'Unable to listen on this port. Check server logs.';
    const tlsPort = cfg['tls-port'];
    if (tlsChanged && tlsPort !== 0 && this.tlsState === undefined) {
      try {
        this.tlsState = new TlsState(this.server);
      } catch (e) {
        if (!(e instanceof TlsSetupError)) throw e;
        this.server.log('warning', restoring('tls-port'));
        return { name: 'tls-port', error: 'Unable to update TLS configuration. Check server logs.' };
      }
    }
    const plainPort = cfg.port !== 0 ? cfg.port : changed.includes('port') ? 0 : this.pickedPort;
    const old = this.bound.filter((b) => (b.tls ? tlsChanged : plainChanged));
    for (const b of old) this.closeOne(b);
    this.bound = this.bound.filter((b) => !old.includes(b));
    const made: Bound[] = [];
    const binds = bindList(cfg.bind);
    const ok =
      (!plainChanged || plainPort === 0 || this.bindAllSync(binds, plainPort, false, made)) &&
      (!tlsChanged || tlsPort === 0 || this.bindAllSync(binds, tlsPort, true, made));
    if (!ok) {
      for (const b of made) this.closeOne(b);
      // The addresses and ports just given up, as they were bound (so no name needs resolving).
      const back: Bound[] = [];
      for (const b of old) {
        if (!this.bindAllSync([b.address], b.port, b.tls, back))
          this.server.log('warning', `Failed to listen again on ${b.address}:${b.port} after a failed CONFIG SET`);
      }
      this.bound.push(...back);
      this.publish();
      this.server.log('warning', restoring(name));
      return { name, error };
    }
    this.bound.push(...made);
    if (tlsChanged) this.tlsPort = tlsPort;
    if (plainChanged && changed.includes('port')) this.pickedPort = 0;
    this.publish();
    return undefined;
  }

  /**
   * Binds every address of `binds` on `port` synchronously, appending the listeners to `made`; false (after
   * logging Redis's warning) when an address fails that cannot be skipped (see skippable).
   */
  private bindAllSync(binds: readonly string[], port: number, tls: boolean, made: Bound[]): boolean {
    const backlog = this.server.config.values['tcp-backlog'];
    for (const b of binds) {
      const optional = b.startsWith('-');
      const host = optional ? b.slice(1) : b;
      const r = bindHandle(host, port, backlog);
      if (r instanceof BindFailure) {
        this.server.log(
          'warning',
          `Warning: Could not create server TCP listening socket ${host}:${port}: ${r.reason}`,
        );
        if (skippable(r.code, optional)) continue;
        return false;
      }
      const ns = this.makeServer(tls);
      ns.listen(r);
      const addr = ns.address() as net.AddressInfo;
      made.push({ tls, ns, address: addr.address, port: addr.port });
    }
    return true;
  }

  private closeOne(b: Bound): void {
    b.ns.close();
    if (b.tls) this.tlsState?.forget(b.ns);
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = this.bound;
    this.bound = [];
    await Promise.all(all.map((b) => new Promise<void>((r) => b.ns.close(() => r()))));
  }
}

/**
 * Whether a bind address that failed with `code` is passed over rather than failing the whole listen, as Redis
 * decides: an optional ('-') address that is not available here, or one of a protocol family the machine lacks.
 */
function skippable(code: string | undefined, optional: boolean): boolean {
  if (optional && code === 'EADDRNOTAVAIL') return true;
  return code !== undefined && UNSUPPORTED.has(code);
}

const UNSUPPORTED = new Set(['ENOPROTOOPT', 'EPROTONOSUPPORT', 'ESOCKTNOSUPPORT', 'EPFNOSUPPORT', 'EAFNOSUPPORT']);

/** What Redis logs when a CONFIG SET could not be applied. */
function restoring(name: string): string {
  return `Failed applying new configuration. Possibly related to new ${name} setting. Restoring previous settings.`;
}

/** The bind addresses to use: an empty list means every address, as at start-up. */
function bindList(bind: readonly string[]): readonly string[] {
  return bind.length > 0 ? bind : ['*'];
}

/** Node's TCP handle, as its internal binding makes it (the one a net.Server listens with). */
interface TcpHandle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  listen(backlog: number): number;
  close(): void;
}

interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  constants: { SERVER: number; UV_TCP_IPV6ONLY: number };
}

/** `process.binding('tcp_wrap')`, or undefined when this Node has no such binding (run-time rebinding then fails). */
function loadTcpBinding(): TcpBinding | undefined {
  try {
    const b = (process as unknown as { binding(name: string): unknown }).binding('tcp_wrap') as Partial<TcpBinding>;
    if (
      typeof b.TCP === 'function' &&
      typeof b.constants?.SERVER === 'number' &&
      typeof b.constants.UV_TCP_IPV6ONLY === 'number'
    )
      return b as TcpBinding;
  } catch {
    // not available on this Node
  }
  return undefined;
}

const tcpBinding = loadTcpBinding();

/** Why bindHandle could not listen: the reason as Redis logs it ("bind: Address already in use") and the code. */
class BindFailure {
  constructor(
    readonly reason: string,
    readonly code: string,
  ) {}
}

/**
 * A listening TCP handle on host:port, made synchronously, or why it could not be made. Takes addresses, '*',
 * '::*' and localhost: resolving other names would need an asynchronous lookup, which only start-up does.
 */
function bindHandle(host: string, port: number, backlog: number): TcpHandle | BindFailure {
  if (tcpBinding === undefined) return new BindFailure('this Node.js cannot bind a listener synchronously', 'ENOSYS');
  const tryBind = (address: string, v6: boolean, v6Only = false): TcpHandle | BindFailure => {
    const h = new tcpBinding.TCP(tcpBinding.constants.SERVER);
    let err = v6 ? h.bind6(address, port, v6Only ? tcpBinding.constants.UV_TCP_IPV6ONLY : 0) : h.bind(address, port);
    const call = err !== 0 ? 'bind' : 'listen';
    if (err === 0) err = h.listen(backlog);
    if (err === 0) return h;
    h.close();
    // "Address already in use" for -EADDRINUSE: the system's text, first letter raised, as strerror gives it.
    const [code, text] = util.getSystemErrorMap().get(err) ?? [`E${-err}`, `error ${err}`];
    return new BindFailure(`${call}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`, code);
  };
  const { host: address, ipv6Only } = listenAddress(host === 'localhost' ? '127.0.0.1' : host);
  if (net.isIPv6(address)) return tryBind(address, true, ipv6Only);
  if (net.isIPv4(address)) return tryBind(address, false);
  return new BindFailure('Name or service not known (host names are resolved only at start-up)', 'EAI_NONAME');
}

function accept(server: Server, sock: net.Socket, paused = false): void {
  const cfg = server.config.values;
  if (server.clients.size >= cfg.maxclients) {
    server.stats.rejectedConnections++;
    refuse(sock, '-ERR max number of clients reached\r\n');
    return;
  }
  if (protectedModeRefuses(server, sock)) {
    server.stats.rejectedConnections++;
    refuse(sock, PROTECTED_MODE_DENIED);
    return;
  }
  // The direct socket exists before its Client (which reads the socket's addresses); reads come later.
  const ref: { client?: Client } = {};
  const direct = paused
    ? directReadSocket(sock, (bytes) => {
        server.stats.netInput += bytes.length;
        server.stats.readsProcessed++;
        ref.client!.onTransientData(bytes);
      })
    : undefined;
  if (direct !== undefined) sock = direct;
  sock.setNoDelay(true);
  if (cfg['tcp-keepalive'] > 0) sock.setKeepAlive(true, cfg['tcp-keepalive'] * 1000);
  const client = new Client(server, sock);
  if (direct !== undefined) client.directWriter = DirectWriter.for(direct);
  ref.client = client;
  server.addClient(client);
  if (direct === undefined) {
    sock.on('data', (chunk: Buffer) => {
      server.stats.netInput += chunk.length;
      server.stats.readsProcessed++;
      client.onData(chunk);
    });
    if (paused) sock.resume();
  }
  sock.on('error', () => server.closeClient(client));
  sock.on('close', () => server.closeClient(client));
}

/**
 * Writes the reason and closes, reading (and dropping) whatever the client sends meanwhile, so that the close is
 * orderly and the reason arrives; a client that keeps its side open is cut off after a second.
 */
function refuse(sock: net.Socket, text: string): void {
  sock.on('error', () => sock.destroy());
  sock.resume();
  sock.end(text, () => setTimeout(() => sock.destroy(), 1000).unref());
}
