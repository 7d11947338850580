// Protected mode and "local" clients: who may connect when the default user has no password, and who counts as
// local for enable-debug-command / enable-protected-configs set to "local".

import type { Socket } from 'node:net';
import type { Server } from './server.js';

/** What Redis 7.0 writes to a client refused by protected mode, before closing the connection. */
export const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/**
 * Whether a peer address is the loopback interface as Redis counts it: exactly 127.0.0.1 or ::1 (127.0.0.2 is
 * not local for Redis). IPv4 addresses seen through an IPv6 socket (::ffff:127.0.0.1) count as their IPv4 form.
 */
export function isLocalAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '127.0.0.1' || a === '::1';
}

/** Whether a client's connection is local (in-process clients, with no socket, are). */
export function isLocalSocket(sock: Socket | null): boolean {
  return sock === null || isLocalAddress(sock.remoteAddress);
}

/**
 * Protected mode: with `protected-mode yes` and no password for the default user, a connection from anywhere
 * but the loopback interface is refused (whatever the bind addresses are, as in Redis 7.0).
 */
export function protectedModeRefuses(server: Server, sock: Socket): boolean {
  return (
    server.config.values['protected-mode'] && !server.defaultUserHasPassword() && !isLocalAddress(sock.remoteAddress)
  );
}
