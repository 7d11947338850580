// A small RESP2 client for the benchmarks: one-off calls (COMMAND INFO, INFO, FLUSHALL) and a pipelined bulk
// loader that keeps a window of batches in flight. Self-contained so the benchmarks do not depend on test code.

import net from 'node:net';

export type Reply = string | number | null | ReplyError | Reply[];

/** An error reply (`-ERR …`), returned as a value rather than thrown so callers can decide. */
export class ReplyError {
  constructor(readonly message: string) {}
}

/** Encodes one request as a RESP multibulk; strings are latin1 (one byte per char). */
export function encodeCommand(argv: readonly string[]): Buffer {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

/** A TCP connection to `host:port`, resolved once connected (a connection error rejects). */
export function connectSocket(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** Incremental RESP2 reply parser: feed chunks, take complete replies. */
class ReplyParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  feed(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** The next complete reply, or `undefined` when more bytes are needed. */
  next(): Reply | undefined {
    const start = this.pos;
    const r = this.parse();
    if (r === undefined) this.pos = start;
    return r;
  }

  private line(): string | undefined {
    const end = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (end < 0) return undefined;
    const s = this.buf.latin1Slice(this.pos, end);
    this.pos = end + 2;
    return s;
  }

  private parse(): Reply | undefined {
    const line = this.line();
    if (line === undefined) return undefined;
    const rest = line.slice(1);
    switch (line[0]) {
      case '+':
        return rest;
      case '-':
        return new ReplyError(rest);
      case ':':
        return Number(rest);
      case '$': {
        const n = Number(rest);
        if (n < 0) return null;
        if (this.pos + n + 2 > this.buf.length) return undefined;
        const s = this.buf.latin1Slice(this.pos, this.pos + n);
        this.pos += n + 2;
        return s;
      }
      case '*': {
        const n = Number(rest);
        if (n < 0) return null;
        const items: Reply[] = [];
        for (let i = 0; i < n; i++) {
          const item = this.parse();
          if (item === undefined) return undefined;
          items.push(item);
        }
        return items;
      }
      default:
        throw new Error(`unexpected reply type byte in ${JSON.stringify(line.slice(0, 40))}`);
    }
  }
}

export interface LoadResult {
  /** Replies received (equals the number of commands sent). */
  replies: number;
  /** Error replies among them; the first few texts are kept. */
  errors: number;
  firstErrors: string[];
}

/** One connection, used either for sequential `call`s or for `load` (not both at once). */
export class RespClient {
  private readonly parser = new ReplyParser();
  private onReply: ((r: Reply) => void) | undefined;
  private failure: Error | undefined;
  private onFailure: ((e: Error) => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.parser.feed(chunk);
      for (let r = this.parser.next(); r !== undefined; r = this.parser.next()) this.onReply?.(r);
    });
    const fail = (e: Error): void => {
      this.failure ??= e;
      this.onFailure?.(this.failure);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new RespClient(await connectSocket(port, host));
  }

  /** Sends one command and resolves with its reply (error replies are resolved as `ReplyError`). */
  call(argv: readonly string[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.onReply = (r) => {
        this.onReply = undefined;
        this.onFailure = undefined;
        resolve(r);
      };
      this.onFailure = reject;
      this.socket.write(encodeCommand(argv));
    });
  }

  /**
   * Sends `count` commands made by `make(i)` in pipelined batches of `batch`, keeping at most `window`
   * batches unanswered, and resolves once every reply has arrived.
   */
  load(count: number, make: (i: number) => readonly string[], batch = 2000, window = 4): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const result: LoadResult = { replies: 0, errors: 0, firstErrors: [] };
      let sent = 0;
      const sendBatch = (): void => {
        const parts: Buffer[] = [];
        const end = Math.min(count, sent + batch);
        for (; sent < end; sent++) parts.push(encodeCommand(make(sent)));
        this.socket.write(Buffer.concat(parts));
      };
      this.onFailure = reject;
      this.onReply = (r) => {
        result.replies++;
        if (r instanceof ReplyError) {
          result.errors++;
          if (result.firstErrors.length < 3) result.firstErrors.push(r.message);
        }
        if (result.replies === count) {
          this.onReply = undefined;
          this.onFailure = undefined;
          resolve(result);
        } else if (sent < count && sent - result.replies < batch * window) {
          sendBatch();
        }
      };
      if (count === 0) return resolve(result);
      while (sent < count && sent < batch * window) sendBatch();
    });
  }

  close(): void {
    this.onFailure = undefined;
    this.socket.destroy();
  }
}
