// The I/O floor: Cairn's own socket layer (src/server/direct-read.ts, src/server/direct-write.ts) with nothing
// behind it. Each read is scanned for the '*' that starts a request and every request is answered "+PONG",
// written once per event-loop turn for all connections read in it, as Cairn writes (Server.deferFlush). No
// parsing, no dispatch, no data: what a Node.js server costs per request before it does any work at all. Used by
// bench/floor.ts; not a server to use (anything but a multibulk request goes unanswered).
//
// `node --import tsx bench/lib/io-floor-server.ts <port>`

import net from 'node:net';
import { directReadSocket } from '../../src/server/direct-read.js';
import { DirectWriter, NOT_WRITTEN } from '../../src/server/direct-write.js';

const PONG = Buffer.from('+PONG\r\n');

interface Conn {
  sock: net.Socket;
  writer: DirectWriter | undefined;
  /** Requests read and not yet answered. */
  owed: number;
}

let turn: Conn[] = [];
let queued = false;

function flush(): void {
  queued = false;
  const conns = turn;
  turn = [];
  for (const c of conns) {
    const n = c.owed;
    c.owed = 0;
    const out = Buffer.allocUnsafe(n * PONG.length);
    for (let i = 0; i < n; i++) PONG.copy(out, i * PONG.length);
    if (c.writer === undefined || c.writer.write(out) === NOT_WRITTEN) c.sock.write(out);
  }
}

function onBytes(c: Conn, bytes: Buffer): void {
  let k = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x2a) k++;
  if (k === 0) return;
  if (c.owed === 0) turn.push(c);
  c.owed += k;
  if (!queued) {
    queued = true;
    setImmediate(flush);
  }
}

const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (accepted) => {
  const c: Conn = { sock: accepted, writer: undefined, owed: 0 };
  const direct = directReadSocket(accepted, (bytes) => onBytes(c, bytes));
  if (direct !== undefined) {
    c.sock = direct;
    c.writer = DirectWriter.for(direct);
  } else {
    accepted.on('data', (bytes: Buffer) => onBytes(c, bytes));
    accepted.resume();
  }
  c.sock.on('error', () => c.sock.destroy());
});
server.listen(Number(process.argv[2]), '127.0.0.1');
