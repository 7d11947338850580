// A Client on a stand-in socket that takes every write at once, for tests that drive a client in-process (its
// `onData`, `flush`) and look at what it writes.

import type { Server } from '../../src/server/server.js';
import { Client } from '../../src/server/client.js';

/** A client of `server` whose socket hands each write (a view that is reused: copy what you keep) to `onWrite`. */
export function fakeClient(server: Server, onWrite: (b: Buffer) => void): Client {
  const sock = {
    write(b: Buffer): boolean {
      onWrite(b);
      return true;
    },
    cork() {},
    uncork() {},
    end() {},
    destroySoon() {},
    destroy() {},
    writableLength: 0,
    remoteAddress: '127.0.0.1',
    remotePort: 1,
    localAddress: '127.0.0.1',
    localPort: 2,
  };
  const client = new Client(server, sock as never);
  server.addClient(client);
  return client;
}
