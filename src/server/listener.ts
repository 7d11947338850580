// TCP and TLS listeners: accept connections, enforce maxclients and protected mode, and wire sockets to clients.
// A TLS socket (after its handshake) takes exactly the same path as a plain one.

import net from 'node:net';
import { Client } from './client.js';
import { directReadSocket } from './direct-read.js';
import { DirectWriter } from './direct-write.js';
import type { Server } from './server.js';
import { PROTECTED_MODE_DENIED, protectedModeRefuses } from './protected.js';
import { TlsState } from './tls.js';

export interface Listening {
  /** The plain TCP port when there is one, else the TLS port (what INFO shows as tcp_port). */
  ports: number[];
  /** The TLS port, 0 when TLS is off. */
  tlsPort: number;
  addresses: string[];
  close(): Promise<void>;
}

/**
 * Listens on every bind address (a leading '-' marks an address that may be unavailable), on the plain port and
 * on tls-port when it is set. `port 0` picks a free port, unless a tls-port is set: then, as in redis-server,
 * port 0 means no plain TCP listener (TLS only).
 */
export async function listen(server: Server): Promise<Listening> {
  const cfg = server.config.values;
  const binds = cfg.bind.length > 0 ? cfg.bind : ['*'];
  const tlsPort = cfg['tls-port'];
  const plain = cfg.port !== 0 || tlsPort === 0;
  const tlsState = tlsPort !== 0 ? new TlsState(server) : undefined;
  const netServers: net.Server[] = [];
  const addresses: string[] = [];
  const onSocket = (sock: net.Socket): void => accept(server, sock);
  const bindAll = async (port: number, make: () => net.Server, scheme: string): Promise<number> => {
    for (const b of binds) {
      const optional = b.startsWith('-');
      const host = optional ? b.slice(1) : b;
      const ns = make();
      try {
        await new Promise<void>((resolve, reject) => {
          ns.once('error', reject);
          ns.listen(
            { port, host: host === '*' ? undefined : host === '::*' ? '::' : host, backlog: cfg['tcp-backlog'] },
            () => {
              ns.off('error', reject);
              resolve();
            },
          );
        });
      } catch (e) {
        if (optional) continue;
        throw e;
      }
      const addr = ns.address() as net.AddressInfo;
      port = addr.port;
      netServers.push(ns);
      addresses.push(`${scheme}${addr.address}:${addr.port}`);
    }
    return port;
  };
  let port = 0;
  try {
    // Plain connections start paused so that accept() can move them onto direct reads (see direct-read.ts).
    const onPlainSocket = (sock: net.Socket): void => accept(server, sock, true);
    if (plain)
      port = await bindAll(
        cfg.port,
        () => net.createServer({ noDelay: true, pauseOnConnect: true }, onPlainSocket),
        '',
      );
    if (tlsState) await bindAll(tlsPort, () => tlsState.createServer(onSocket), 'tls://');
  } catch (e) {
    for (const s of netServers) s.close();
    throw e;
  }
  const shown = plain ? port : tlsPort;
  server.ports = [shown];
  return {
    ports: [shown],
    tlsPort,
    addresses,
    close: async () => {
      await Promise.all(netServers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
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
