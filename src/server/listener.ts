// TCP listeners: accept connections, enforce maxclients, and wire sockets to clients.

import net from 'node:net';
import { Client } from './client.js';
import { directReadSocket } from './direct-read.js';
import type { Server } from './server.js';

export interface Listening {
  ports: number[];
  addresses: string[];
  close(): Promise<void>;
}

/** Listens on every bind address (a leading '-' marks an address that may be unavailable). */
export async function listen(server: Server): Promise<Listening> {
  const cfg = server.config.values;
  const binds = cfg.bind.length > 0 ? cfg.bind : ['*'];
  const netServers: net.Server[] = [];
  const addresses: string[] = [];
  let port = cfg.port;
  for (const b of binds) {
    const optional = b.startsWith('-');
    const host = optional ? b.slice(1) : b;
    const ns = net.createServer({ noDelay: true, pauseOnConnect: true }, (sock) => accept(server, sock));
    try {
      await new Promise<void>((resolve, reject) => {
        ns.once('error', reject);
        ns.listen({ port, host: host === '*' ? undefined : host, backlog: cfg['tcp-backlog'] }, () => {
          ns.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      if (optional) continue;
      for (const s of netServers) s.close();
      throw e;
    }
    const addr = ns.address() as net.AddressInfo;
    port = addr.port;
    netServers.push(ns);
    addresses.push(`${addr.address}:${addr.port}`);
  }
  server.ports = [port];
  return {
    ports: [port],
    addresses,
    close: async () => {
      await Promise.all(netServers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

function accept(server: Server, sock: net.Socket): void {
  const cfg = server.config.values;
  if (server.clients.size >= cfg.maxclients) {
    server.stats.rejectedConnections++;
    sock.end('-ERR max number of clients reached\r\n');
    return;
  }
  let c: Client | undefined;
  const direct = directReadSocket(sock, (bytes) => {
    server.stats.netInput += bytes.length;
    c!.onTransientData(bytes);
  });
  if (direct !== undefined) sock = direct;
  sock.setNoDelay(true);
  if (cfg['tcp-keepalive'] > 0) sock.setKeepAlive(true, cfg['tcp-keepalive'] * 1000);
  const client = new Client(server, sock);
  c = client;
  server.addClient(client);
  if (direct === undefined) {
    sock.on('data', (chunk: Buffer) => {
      server.stats.netInput += chunk.length;
      client.onData(chunk);
    });
    sock.resume();
  }
  sock.on('error', () => server.closeClient(client));
  sock.on('close', () => server.closeClient(client));
}
