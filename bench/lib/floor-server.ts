// The floor: the least a Node.js RESP server can do per request, used by bench/floor.ts as a reference between
// Redis and Cairn. It parses multibulk requests into latin1 strings, keeps data in plain Maps, arrays and Sets,
// writes every reply of one read into one buffer and sends it with one socket.write once all ready connections
// are read: what "a careful single-threaded Node server" does, with nothing of a real server (no errors beyond
// a generic one, no types checked, no expiry, no persistence, no stats, no ACL). Not a server to use: a
// measuring stick.
//
// `node --import tsx bench/lib/floor-server.ts <port>`

import net from 'node:net';

/** A list as two stacks: the front reversed, the back in order (pushes and pops at both ends in O(1) amortized). */
class Deque {
  front: string[] = [];
  back: string[] = [];
  get length(): number {
    return this.front.length + this.back.length;
  }
  popFront(): string | undefined {
    if (this.front.length === 0) this.front = this.back.splice(0).reverse();
    return this.front.pop();
  }
  popBack(): string | undefined {
    if (this.back.length === 0) this.back = this.front.splice(0).reverse();
    return this.back.pop();
  }
}

type Value = string | Deque | Set<string> | Map<string, string>;
const data = new Map<string, Value>();

const OK = Buffer.from('+OK\r\n');
const NIL = Buffer.from('$-1\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');
const ERR = Buffer.from('-ERR unsupported\r\n');

class Out {
  buf = Buffer.allocUnsafe(64 * 1024);
  len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  raw(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }
  ascii(s: string): void {
    this.room(s.length);
    this.len += this.buf.latin1Write(s, this.len);
  }
  int(n: number): void {
    this.ascii(`:${n}\r\n`);
  }
  bulk(s: string): void {
    this.ascii(`$${s.length}\r\n`);
    this.ascii(s);
    this.ascii('\r\n');
  }
}

function run(argv: string[], out: Out): void {
  const name = argv[0]!.toUpperCase();
  switch (name) {
    case 'SET':
      data.set(argv[1]!, argv[2]!);
      return out.raw(OK);
    case 'GET': {
      const v = data.get(argv[1]!);
      return typeof v === 'string' ? out.bulk(v) : out.raw(NIL);
    }
    case 'INCR': {
      const v = data.get(argv[1]!);
      const n = (typeof v === 'string' ? Number(v) : 0) + 1;
      data.set(argv[1]!, String(n));
      return out.int(n);
    }
    case 'MSET':
      for (let i = 1; i + 1 < argv.length; i += 2) data.set(argv[i]!, argv[i + 1]!);
      return out.raw(OK);
    case 'LPUSH':
    case 'RPUSH': {
      let l = data.get(argv[1]!) as Deque | undefined;
      if (l === undefined) data.set(argv[1]!, (l = new Deque()));
      for (let i = 2; i < argv.length; i++) {
        if (name === 'LPUSH') l.front.push(argv[i]!);
        else l.back.push(argv[i]!);
      }
      return out.int(l.length);
    }
    case 'LPOP':
    case 'RPOP': {
      const l = data.get(argv[1]!) as Deque | undefined;
      const v = l === undefined ? undefined : name === 'LPOP' ? l.popFront() : l.popBack();
      return v === undefined ? out.raw(NIL) : out.bulk(v);
    }
    case 'SADD': {
      let s = data.get(argv[1]!) as Set<string> | undefined;
      if (s === undefined) data.set(argv[1]!, (s = new Set()));
      let added = 0;
      for (let i = 2; i < argv.length; i++) {
        if (!s.has(argv[i]!)) {
          s.add(argv[i]!);
          added++;
        }
      }
      return out.int(added);
    }
    case 'HSET': {
      let h = data.get(argv[1]!) as Map<string, string> | undefined;
      if (h === undefined) data.set(argv[1]!, (h = new Map()));
      let added = 0;
      for (let i = 2; i + 1 < argv.length; i += 2) {
        if (!h.has(argv[i]!)) added++;
        h.set(argv[i]!, argv[i + 1]!);
      }
      return out.int(added);
    }
    case 'PING':
      return out.ascii('+PONG\r\n');
    case 'CONFIG':
      return out.raw(EMPTY_ARRAY);
    default:
      return out.raw(ERR);
  }
}

/** Parses complete multibulk requests from buf[pos…]; returns where the unparsed rest starts. */
function parse(buf: Buffer, pos: number, out: Out): number {
  for (;;) {
    const start = pos;
    if (pos >= buf.length || buf[pos] !== 0x2a) return start;
    let nl = buf.indexOf(10, pos);
    if (nl < 0) return start;
    const n = Number(buf.latin1Slice(pos + 1, nl - 1));
    pos = nl + 1;
    const argv = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      nl = buf.indexOf(10, pos);
      if (nl < 0) return start;
      const len = Number(buf.latin1Slice(pos + 1, nl - 1));
      pos = nl + 1;
      if (pos + len + 2 > buf.length) return start;
      argv[i] = buf.latin1Slice(pos, pos + len);
      pos += len + 2;
    }
    run(argv, out);
  }
}

const out = new Out();
// Replies are written once every ready connection has been read, as Redis (and Cairn) write before they sleep:
// written right after each read, every write would wake the benchmark client again.
const ready: [net.Socket, Buffer][] = [];
let writeQueued = false;
function writeAll(): void {
  writeQueued = false;
  for (const [sock, bytes] of ready.splice(0)) if (!sock.destroyed) sock.write(bytes);
}
const server = net.createServer((sock) => {
  sock.setNoDelay(true);
  let pending: Buffer | undefined;
  sock.on('data', (chunk: Buffer) => {
    const buf = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    const rest = parse(buf, 0, out);
    pending = rest < buf.length ? buf.subarray(rest) : undefined;
    if (out.len > 0) {
      ready.push([sock, Buffer.from(out.buf.subarray(0, out.len))]);
      out.len = 0;
      if (!writeQueued) {
        writeQueued = true;
        setImmediate(writeAll);
      }
    }
  });
  sock.on('error', () => sock.destroy());
});
server.listen(Number(process.argv[2] ?? 6390), '127.0.0.1');
