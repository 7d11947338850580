// Reads without the stream layer: a plain TCP socket's bytes are read straight into one shared buffer and handed
// to a callback, instead of a fresh Buffer per read travelling through Readable's machinery and a 'data' event.
// Node offers this (the `onread` socket option) for sockets it creates with an existing handle; an accepted
// connection's handle is moved into such a socket. That saves an allocation and ~1–2 µs of JavaScript per read.
//
// The bytes passed to the callback are only valid during the call: the next read on any connection overwrites
// them. Consumers copy what they keep (the request parser keeps only strings, and copies an unfinished request).

import net from 'node:net';
import { streamWrap } from './stream-binding.js';

/** One buffer for every connection: reads are processed synchronously, one at a time. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * Views of READ_BUFFER's first n bytes, made once for each small n: a Buffer object per read was a third of the
 * garbage made per request without pipelining, where reads are small and mostly of a few sizes. Sharing them is
 * safe for the same reason as sharing the buffer: a view is only used during its callback.
 */
const SMALL_READ = 1024;
const views: (Buffer | undefined)[] = new Array<Buffer | undefined>(SMALL_READ + 1);

function readView(n: number): Buffer {
  if (n > SMALL_READ) return READ_BUFFER.subarray(0, n);
  return (views[n] ??= READ_BUFFER.subarray(0, n));
}

type HandleOwner = { _handle?: object | null };

/** What the TCP handle calls for each read: `onread(arrayBuffer)`, with the byte count in the binding's state. */
type OnRead = (this: object, arrayBuffer: unknown) => unknown;

interface ReadState {
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
}

/**
 * Where Node's stream binding (src/server/stream-binding.ts) leaves the byte count of the read under way; null
 * when it is missing or has another shape: reads then go through Node's own read handler.
 */
function readStateOf(): ReadState | null {
  const b = streamWrap;
  return b.streamBaseState instanceof Int32Array && typeof b.kReadBytesOrError === 'number' ? (b as ReadState) : null;
}

const readState = readStateOf();

/** Handles whose reads skip Node's read handler (for tests: the fast path must not be lost silently). */
const fastHandles = new WeakSet<object>();

/** True when `sock`'s reads go straight to Cairn's callback, without Node's read handler in between. */
export function readsDirectly(sock: net.Socket): boolean {
  const handle = (sock as unknown as HandleOwner)._handle;
  return handle !== null && handle !== undefined && fastHandles.has(handle);
}

/**
 * Puts `onBytes` in front of Node's read handler on the socket's handle. Node's handler (onStreamRead) looks up the
 * socket, refreshes its timeout (Cairn sets none: idle clients are closed by the server's cron) and then calls the
 * `onread` callback; ~1.5% of the server's CPU per request without pipelining. Data reads now skip it; the end of
 * the stream and read errors still go to it, so the socket closes as before.
 */
function readFirst(sock: net.Socket, onBytes: (bytes: Buffer) => void): void {
  const handle = (sock as unknown as HandleOwner)._handle as { onread?: OnRead } | null | undefined;
  if (readState === null || handle === null || handle === undefined) return;
  const nodeOnRead = handle.onread;
  if (typeof nodeOnRead !== 'function') return;
  const state = readState.streamBaseState;
  const at = readState.kReadBytesOrError;
  handle.onread = function (this: object, arrayBuffer: unknown): unknown {
    const n = state[at]!;
    if (n > 0 && !sock.destroyed) {
      onBytes(readView(n));
      return undefined;
    }
    return nodeOnRead.call(this, arrayBuffer);
  };
  fastHandles.add(handle);
}

/**
 * Moves an accepted socket (created paused, with the server's `pauseOnConnect`) onto a socket that reads into the
 * shared buffer and calls `onBytes(bytes)` for each read. Returns undefined — and leaves `sock` untouched —
 * when the socket has no handle to move (it is then used as it is, with 'data' events).
 */
export function directReadSocket(sock: net.Socket, onBytes: (bytes: Buffer) => void): net.Socket | undefined {
  const owner = sock as unknown as HandleOwner;
  const handle = owner._handle;
  if (handle === undefined || handle === null) return undefined;
  owner._handle = null;
  const direct = new net.Socket({
    handle,
    readable: true,
    writable: true,
    onread: {
      buffer: READ_BUFFER,
      callback: (n: number, buf: Uint8Array): boolean => {
        onBytes(buf === READ_BUFFER ? readView(n) : (buf as Buffer).subarray(0, n));
        return true;
      },
    },
  } as net.SocketConstructorOpts);
  readFirst(direct, onBytes);
  // The first socket object no longer owns the connection: let it close quietly so the listening server's
  // connection count is right.
  sock.destroy();
  return direct;
}
