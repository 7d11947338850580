// The protocol fuzzer's engine (test/fuzz/protocol.test.ts runs it for a few seconds, bench/fuzz.ts for minutes).
//
// Cases are built with fast-check: valid requests (RESP multibulk and inline) mutated by flipped, inserted and
// deleted bytes, truncated frames, huge, negative and non-canonical lengths, inline commands with quotes and
// escapes, nested arrays, RESP3 types sent as requests, binary garbage and HTTP requests. Each case is sent in
// a random chunking on its own connection, many connections at a time, to a Cairn child process. Checked:
//   - the server never crashes and never hangs: after every batch a fresh connection's PING answers in 2 s;
//   - every byte the server sends is well-formed RESP (strictReplyEnd in test/support/resp.ts);
//   - a protocol error is the last reply on its connection, and the server closes the connection after it;
//   - the server's RSS stays bounded (requests claiming huge sizes allocate only what arrives).
// A sample of cases also runs, one at a time, against real redis-server 7.0.15 and a second Cairn: the reply
// bytes and whether the server closed the connection must be identical.

import fc from 'fast-check';
import net from 'node:net';
import { StrictReplyStream, escapeBytes, type StrictProto } from '../support/resp.js';
import { pingWithin, spawnCairnProcess, type CairnProcess } from '../support/cairn-process.js';
import { startRedis, type RedisHandle } from '../support/servers.js';
import { RawConnection } from '../support/resp.js';

// ---------------------------------------------------------------------------------------------------------------
// Case generation

/** One input: its bytes, where they are cut into separate writes, and whether we half-close after sending. */
export interface ProtoCase {
  bytes: Buffer;
  cuts: number[];
  fin: boolean;
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function resp(args: readonly string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

function inlineOf(args: readonly string[]): string {
  return args.map((a) => (/^[A-Za-z0-9:_.-]+$/.test(a) ? a : JSON.stringify(a))).join(' ') + '\r\n';
}

const word = fc.constantFrom('k', 'k2', 'l', 'h', 'z', 's', 'foo', 'bar', '', 'a b', '0', '-1', '1.5', 'x'.repeat(40));
const key = fc.constantFrom('k', 'k2', 'l', 'h', 'z', 's');

/** Deterministic, cheap commands (safe to send to both servers and compare). */
const command: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constant(['PING']),
  word.map((w) => ['PING', w]),
  word.map((w) => ['ECHO', w]),
  fc.tuple(key, word).map(([k, v]) => ['SET', k, v]),
  key.map((k) => ['GET', k]),
  key.map((k) => ['DEL', k]),
  key.map((k) => ['INCR', k]),
  key.map((k) => ['TYPE', k]),
  fc.tuple(key, word).map(([k, v]) => ['APPEND', k, v]),
  fc.tuple(key, word, word).map(([k, x, y]) => ['RPUSH', k, x, y]),
  key.map((k) => ['LRANGE', k, '0', '-1']),
  fc.tuple(key, word, word).map(([k, f, v]) => ['HSET', k, f, v]),
  key.map((k) => ['HGETALL', k]),
  fc.tuple(key, word).map(([k, m]) => ['ZADD', k, '1', m]),
  key.map((k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES']),
  fc.tuple(key, key).map(([x, y]) => ['MGET', x, y]),
  fc.tuple(key, word, key, word).map(([k1, v1, k2, v2]) => ['MSET', k1, v1, k2, v2]),
  key.map((k) => ['EXISTS', k]),
  key.map((k) => ['STRLEN', k]),
  fc.constant(['MULTI']),
  fc.constant(['EXEC']),
  fc.constant(['DISCARD']),
  fc.constant(['SELECT', '1']),
  fc.constant(['DBSIZE']),
  fc.constant(['HELLO', '3']),
  fc.constant(['HELLO', '2']),
  fc.constant(['SUBSCRIBE', 'ch']),
  fc.constant(['UNSUBSCRIBE']),
  fc.constant(['QUIT']),
  fc.constant(['GET']),
  word.map((w) => ['NOSUCHCMD', w]),
  word.map((w) => ['CLIENT', w]),
);

const pipeline = fc.array(command, { minLength: 1, maxLength: 5 });
const validRequests: fc.Arbitrary<Buffer> = fc
  .tuple(pipeline, fc.boolean())
  .map(([cmds, inline]) => b(cmds.map((c) => (inline ? inlineOf(c) : resp(c))).join('')));

const interestingByte = fc.constantFrom(13, 10, 0x2a, 0x24, 0x2d, 0x30, 0x39, 0x20, 0x22, 0x27, 0x5c, 0, 0xff, 0x2b);
const interestingNumber = fc.constantFrom(
  '-1',
  '-2',
  '0',
  '00',
  '01',
  '+1',
  ' 1',
  '1 ',
  '-0',
  '',
  '-',
  '1024',
  '65536',
  '1048577',
  '2147483647',
  '2147483648',
  '4294967296',
  '536870912',
  '536870913',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '99999999999999999999',
  '1e3',
  '0x10',
);

type Mutation = (buf: Buffer) => Buffer;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Flip one bit.
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([p, bit]) => (buf: Buffer) => {
    if (buf.length === 0) return buf;
    const o = Buffer.from(buf);
    o[p % o.length]! ^= 1 << bit;
    return o;
  }),
  // Overwrite one byte with a random or an interesting one.
  fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 0, max: 255 }), interestingByte)).map(([p, v]) => (buf: Buffer) => {
    if (buf.length === 0) return buf;
    const o = Buffer.from(buf);
    o[p % o.length] = v;
    return o;
  }),
  // Insert 1 to 4 bytes.
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([p, ins]) => (buf: Buffer) => {
    const at = p % (buf.length + 1);
    return Buffer.concat([buf.subarray(0, at), Buffer.from(ins), buf.subarray(at)]);
  }),
  // Delete a range.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([p, n]) => (buf: Buffer) => {
    if (buf.length === 0) return buf;
    const at = p % buf.length;
    return Buffer.concat([buf.subarray(0, at), buf.subarray(at + n)]);
  }),
  // Truncate.
  fc.nat().map((p) => (buf: Buffer) => buf.subarray(0, p % (buf.length + 1))),
  // Duplicate a range.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 16 })).map(([p, n]) => (buf: Buffer) => {
    if (buf.length === 0) return buf;
    const at = p % buf.length;
    const piece = buf.subarray(at, at + n);
    return Buffer.concat([buf.subarray(0, at), piece, buf.subarray(at)]);
  }),
  // Replace the n-th run of digits (a length, a count or an argument) with an interesting number.
  fc.tuple(fc.nat(), interestingNumber).map(([p, num]) => (buf: Buffer) => {
    const s = buf.latin1Slice(0, buf.length);
    const runs = [...s.matchAll(/[0-9]+/g)];
    if (runs.length === 0) return buf;
    const r = runs[p % runs.length]!;
    return b(s.slice(0, r.index) + num + s.slice(r.index! + r[0].length));
  }),
);

const mutatedRequests: fc.Arbitrary<Buffer> = fc
  .tuple(validRequests, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([buf, ms]) => ms.reduce((acc, m) => m(acc), buf));

/** Frames claiming huge, negative or malformed sizes, sometimes followed by some of the claimed payload. */
const sizeFrames: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.constantFrom('*', '$'),
    interestingNumber,
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom(0, 10, 1000, 70000, 200000),
  )
  .map(([kind, n, rest, payload]) => {
    const head = kind === '*' ? `*${n}\r\n` : `*1\r\n$${n}\r\n`;
    const tail = rest === 0 ? '' : rest === 1 ? 'PING\r\n' : rest === 2 ? '$4\r\nPING\r\n' : 'x'.repeat(payload);
    return b(head + tail);
  });

const quotePiece = fc.constantFrom(
  '"',
  "'",
  '\\x41',
  '\\x4',
  '\\xzz',
  '\\n',
  '\\"',
  "\\'",
  '\\',
  ' ',
  '  ',
  '\t',
  'a',
  'foo',
  'set',
  'echo',
  'ping',
  '""',
  "''",
  '"a"b',
  '\x00',
);
const inlineQuoted: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.constantFrom('ECHO ', 'SET k ', 'PING ', 'GET ', ''),
    fc.array(quotePiece, { maxLength: 10 }),
    fc.constantFrom('\r\n', '\n', '\r', ''),
  )
  .map(([cmd, parts, end]) => b(cmd + parts.join('') + end));

/** Nested arrays and RESP3 types where a request should be. */
const wrongTypes: fc.Arbitrary<Buffer> = fc.constantFrom(
  ...[
    '*2\r\n*1\r\n$4\r\nPING\r\n$1\r\na\r\n',
    '*1\r\n*1\r\n*1\r\n$4\r\nPING\r\n',
    '*2\r\n$4\r\nECHO\r\n:1\r\n',
    '*2\r\n$4\r\nECHO\r\n+OK\r\n',
    '*1\r\n_\r\n',
    '%1\r\n+a\r\n+b\r\n',
    '~1\r\n$4\r\nPING\r\n',
    '#t\r\n',
    '_\r\n',
    ',1.5\r\n',
    '(123\r\n',
    '=8\r\ntxt:PING\r\n',
    '!3\r\nERR\r\n',
    '>1\r\n$4\r\nPING\r\n',
    '|1\r\n+a\r\n+b\r\n$4\r\nPING\r\n',
    '$4\r\nPING\r\n',
    ':1\r\n',
    '+PING\r\n',
    '-ERR x\r\n',
    '*-1\r\n',
    '*0\r\n',
    '*1\r\n$0\r\n\r\n',
    '\r\n',
    '\n',
    '*1\r\n$4\r\nPING',
    '*1\n$4\nPING\n',
    '*1\r\n$4\r\nPINGxx',
  ].map(b),
);

const httpRequests: fc.Arbitrary<Buffer> = fc.constantFrom(
  ...[
    'GET / HTTP/1.1\r\nHost: localhost:6379\r\nUser-Agent: x\r\n\r\n',
    'POST /cmd HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\n\r\nFLUSHALL\r\n\r\n',
    'Host: evil.example\r\nPING\r\n',
    'PING\r\nPOST / HTTP/1.0\r\n\r\nPING\r\n',
    'host: x\r\n',
    'OPTIONS * HTTP/1.1\r\n\r\n',
    'PUT /x HTTP/1.1\r\nhOsT: y\r\n\r\n',
  ].map(b),
);

const garbage: fc.Arbitrary<Buffer> = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

/** A single segment of a case. */
const segment: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: validRequests },
  { weight: 8, arbitrary: mutatedRequests },
  { weight: 2, arbitrary: sizeFrames },
  { weight: 2, arbitrary: inlineQuoted },
  { weight: 2, arbitrary: wrongTypes },
  { weight: 1, arbitrary: httpRequests },
  { weight: 2, arbitrary: garbage },
);

export const protoCase: fc.Arbitrary<ProtoCase> = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 7 }), fc.boolean())
  .map(([segs, cutSeeds, fin]) => {
    const bytes = Buffer.concat(segs);
    const cuts = [...new Set(cutSeeds.map((c) => (bytes.length > 1 ? 1 + (c % (bytes.length - 1)) : 0)))]
      .filter((c) => c > 0)
      .sort((x, y) => x - y);
    return { bytes, cuts, fin };
  });

/**
 * Cases whose reply bytes are comparable with Redis's: small (a close with unread data resets the connection) and
 * sent in one write. Chunking is timing: what a server has read when it drops a connection (an HTTP line) decides
 * which replies were already flushed.
 */
export const diffCase: fc.Arbitrary<ProtoCase> = protoCase
  .filter((c) => c.bytes.length < 4096)
  .map((c) => ({ ...c, cuts: [], fin: false }));

// ---------------------------------------------------------------------------------------------------------------
// Running a case

export interface Outcome {
  /** Every byte received. */
  bytes: Buffer;
  /** The server closed the connection (before we did). */
  closed: boolean;
  /** Why the bytes are not well-formed RESP, if they are not. */
  malformed?: string;
  /** A broken rule other than malformed bytes (protocol error not last, not closed after it, incomplete reply). */
  violation?: string;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a case on a fresh connection and collects what comes back: until the server closes (after a half-close
 * of ours, or on its own), or until the connection has been quiet for `quietMs`.
 */
export async function runCase(port: number, c: ProtoCase, quietMs: number, maxMs = 4000): Promise<Outcome> {
  const sock = net.connect({ port, host: '127.0.0.1' });
  sock.setNoDelay(true);
  const chunks: Buffer[] = [];
  let closed = false;
  let lastData = Date.now();
  let wake: (() => void) | undefined;
  sock.on('data', (d: Buffer) => {
    chunks.push(d);
    lastData = Date.now();
    wake?.();
  });
  sock.on('error', () => undefined);
  const closedP = new Promise<void>((resolve) =>
    sock.once('close', () => {
      closed = true;
      wake?.();
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const start = Date.now();
  let prev = 0;
  for (const cut of [...c.cuts, c.bytes.length]) {
    if (closed) break;
    const piece = c.bytes.subarray(prev, cut);
    prev = cut;
    if (piece.length === 0) continue;
    await new Promise<void>((resolve) => sock.write(piece, () => resolve()));
    await delay(1);
  }
  const weClosed = c.fin && !closed;
  if (weClosed) sock.end();
  // Wait for the close, or for quiet.
  while (!closed && Date.now() - start < maxMs) {
    const quietFor = Date.now() - lastData;
    if (!weClosed && quietFor >= quietMs) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, Math.max(5, weClosed ? 50 : quietMs - quietFor));
    });
    wake = undefined;
  }
  // After a protocol error the server must close: give the close time to arrive.
  if (!closed && Buffer.concat(chunks).includes('-ERR Protocol error')) {
    await Promise.race([closedP, delay(2000)]);
  }
  const serverClosed = closed && !weClosed;
  const hungOnFin = weClosed && !closed;
  if (!closed) sock.destroy();
  await closedP;
  const bytes = Buffer.concat(chunks);
  const out: Outcome = { bytes, closed: serverClosed };
  if (hungOnFin) out.violation = `connection not closed ${maxMs} ms after our half-close`;
  checkOutcome(c, out);
  return out;
}

/** Applies the well-formedness and close-after-protocol-error rules to an outcome. */
function checkOutcome(c: ProtoCase, out: Outcome): void {
  const proto: StrictProto = /hello/i.test(c.bytes.latin1Slice(0, c.bytes.length)) ? 'any' : 2;
  const stream = new StrictReplyStream(proto);
  try {
    stream.push(out.bytes);
  } catch (e) {
    out.malformed = (e as Error).message;
    return;
  }
  const replies = stream.replies;
  const pe = replies.findIndex((r) =>
    r.toString('latin1', 0, Math.min(20, r.length)).startsWith('-ERR Protocol error'),
  );
  if (pe >= 0 && pe !== replies.length - 1) out.violation ??= 'replies after a protocol error';
  if (pe >= 0 && !out.closed && !c.fin) out.violation ??= 'connection still open after a protocol error';
  if (stream.pending > 0 && out.closed) out.violation ??= `connection closed inside a reply (${stream.pending} bytes)`;
}

// ---------------------------------------------------------------------------------------------------------------
// The fuzzing loop

export interface ProtocolFuzzOptions {
  durationMs: number;
  /** Cases in flight at once (one connection each). */
  concurrency?: number;
  /** Run the differential part against redis-server (default true). */
  differential?: boolean;
  seed?: number;
  /** RSS growth over the start allowed before it counts as unbounded. */
  rssSlackBytes?: number;
  log?: (line: string) => void;
}

export interface ProtocolFuzzStats {
  seed: number;
  inputs: number;
  bytesSent: number;
  crashes: number;
  hangs: number;
  malformed: number;
  violations: number;
  diffInputs: number;
  mismatches: number;
  startRss: number;
  peakRss: number;
  /** Descriptions of every problem found (capped). */
  problems: string[];
}

function describeCase(c: ProtoCase): string {
  return `${escapeBytes(c.bytes, 600)} cuts=[${c.cuts.join(',')}] fin=${c.fin}`;
}

async function flushAll(port: number): Promise<void> {
  const conn = await RawConnection.connect(port);
  try {
    await conn.call(['FLUSHALL'], 5000);
  } finally {
    await conn.close();
  }
}

/** Command names (lower case) of a server, from COMMAND LIST. */
async function commandNames(port: number): Promise<Set<string>> {
  const conn = await RawConnection.connect(port);
  try {
    const reply = (await conn.call(['COMMAND', 'LIST'], 5000)).toString('latin1');
    return new Set([...reply.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((m) => m[1]!.toLowerCase()));
  } finally {
    await conn.close();
  }
}

/**
 * True when Cairn answered "unknown command" for a command Redis has and Cairn does not (a family not built
 * yet, such as streams): absent, as the house rule allows, rather than different. Mutated bytes turn LRANGE
 * into XRANGE often enough to meet one.
 */
function absentCommand(cairnReply: Buffer, absent: ReadonlySet<string>): boolean {
  for (const m of cairnReply.toString('latin1').matchAll(/-ERR unknown command '([^']*)'/g)) {
    if (absent.has(m[1]!.toLowerCase())) return true;
  }
  return false;
}

export async function runProtocolFuzz(opts: ProtocolFuzzOptions): Promise<ProtocolFuzzStats> {
  const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const log = opts.log ?? (() => undefined);
  const concurrency = opts.concurrency ?? 16;
  const slack = opts.rssSlackBytes ?? 256 * 1024 * 1024;
  const stats: ProtocolFuzzStats = {
    seed,
    inputs: 0,
    bytesSent: 0,
    crashes: 0,
    hangs: 0,
    malformed: 0,
    violations: 0,
    diffInputs: 0,
    mismatches: 0,
    startRss: 0,
    peakRss: 0,
    problems: [],
  };
  const problem = (s: string): void => {
    log(s);
    if (stats.problems.length < 50) stats.problems.push(s);
  };
  // The time budget starts once the servers are up (starting them on a loaded machine can take seconds).
  let deadline = Infinity;

  let cairn: CairnProcess = await spawnCairnProcess();
  let diffCairn: CairnProcess | undefined;
  let redis: RedisHandle | undefined;
  try {
    if (opts.differential !== false) {
      [diffCairn, redis] = await Promise.all([spawnCairnProcess(), startRedis()]);
    }
    await delay(200);
    stats.startRss = stats.peakRss = cairn.rss();
    deadline = Date.now() + opts.durationMs;

    const fuzzMain = async (): Promise<void> => {
      let batch = 0;
      while (Date.now() < deadline) {
        const cases = fc.sample(protoCase, { numRuns: concurrency, seed: (seed + batch++) | 0 });
        const outcomes = await Promise.all(
          cases.map((c) => runCase(cairn.port, c, 30).catch((e: Error) => ({ error: e.message }) as const)),
        );
        for (let i = 0; i < cases.length; i++) {
          const c = cases[i]!;
          const o = outcomes[i]!;
          stats.inputs++;
          stats.bytesSent += c.bytes.length;
          if ('error' in o) {
            if (cairn.exitStatus() === undefined) problem(`connection failed (${o.error}) for ${describeCase(c)}`);
            continue;
          }
          if (o.malformed !== undefined) {
            stats.malformed++;
            problem(`malformed reply (${o.malformed}): got ${escapeBytes(o.bytes, 400)} for ${describeCase(c)}`);
          }
          if (o.violation !== undefined) {
            stats.violations++;
            problem(`${o.violation}: got ${escapeBytes(o.bytes, 400)} for ${describeCase(c)}`);
          }
        }
        const rss = cairn.rss();
        if (rss > stats.peakRss) stats.peakRss = rss;
        const alive = cairn.exitStatus() === undefined && (await pingWithin(cairn.port, 2000));
        if (!alive) {
          if (cairn.exitStatus() !== undefined) {
            stats.crashes++;
            problem(
              `cairn died (${cairn.exitStatus()}) in a batch with:\n${cases.map(describeCase).join('\n')}\n--- log ---\n${cairn.log().slice(-3000)}`,
            );
          } else {
            stats.hangs++;
            problem(`cairn stopped answering PING after a batch with:\n${cases.map(describeCase).join('\n')}`);
          }
          await cairn.kill();
          await cairn.stop();
          cairn = await spawnCairnProcess();
        }
      }
    };

    const fuzzDiff = async (): Promise<void> => {
      if (diffCairn === undefined || redis === undefined) return;
      const cairnNames = await commandNames(diffCairn.port);
      const absent = new Set([...(await commandNames(redis.port))].filter((n) => !cairnNames.has(n)));
      let n = 0;
      while (Date.now() < deadline) {
        const [c] = fc.sample(diffCase, { numRuns: 1, seed: (seed ^ 0x5bd1e995) + n++ });
        await Promise.all([flushAll(redis.port), flushAll(diffCairn.port)]);
        let [r, k] = await Promise.all([runCase(redis.port, c!, 60), runCase(diffCairn.port, c!, 60)]);
        const same = (): boolean => normalizeIds(r.bytes) === normalizeIds(k.bytes) && r.closed === k.closed;
        if (!same()) {
          // A slow moment on one side: run it once more before calling it a mismatch.
          await Promise.all([flushAll(redis.port), flushAll(diffCairn.port)]);
          [r, k] = await Promise.all([runCase(redis.port, c!, 1000), runCase(diffCairn.port, c!, 1000)]);
        }
        if (!same() && absentCommand(k.bytes, absent)) continue;
        stats.diffInputs++;
        if (!same()) {
          stats.mismatches++;
          problem(
            `differs from redis for ${describeCase(c!)}\n  redis: ${escapeBytes(r.bytes, 500)} closed=${r.closed}\n  cairn: ${escapeBytes(k.bytes, 500)} closed=${k.closed}`,
          );
        }
        if (diffCairn.exitStatus() !== undefined) {
          stats.crashes++;
          problem(`cairn (differential) died (${diffCairn.exitStatus()}) on ${describeCase(c!)}`);
          diffCairn = await spawnCairnProcess();
        }
      }
    };

    await Promise.all([fuzzMain(), fuzzDiff()]);
    const rss = cairn.rss();
    if (rss > stats.peakRss) stats.peakRss = rss;
    if (stats.peakRss > stats.startRss + slack) {
      problem(`RSS grew from ${mb(stats.startRss)} to ${mb(stats.peakRss)} (allowed ${mb(slack)} more)`);
    }
  } finally {
    await Promise.all([cairn.stop(), diffCairn?.stop(), redis?.stop()]);
  }
  return stats;
}

/** Reply bytes as text with HELLO's client id (different on each server) blanked out. */
function normalizeIds(bytes: Buffer): string {
  return sortUnsubscribeRuns(bytes.toString('latin1').replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:ID\r\n'));
}

/**
 * UNSUBSCRIBE without arguments names a client's channels in Redis's dict order, which depends on a hash seed
 * Redis picks at random when it starts: the channel names within each run of consecutive `unsubscribe` messages
 * are sorted (the counts, which only go down, keep their places).
 */
function sortUnsubscribeRuns(s: string): string {
  const head = /[*>]3\r\n\$11\r\nunsubscribe\r\n/g;
  let out = '';
  let at = 0;
  for (let m = head.exec(s); m !== null; m = head.exec(s)) {
    const msgs: UnsubscribeMsg[] = [];
    let q = m.index;
    for (let one = unsubscribeAt(s, q); one !== undefined; one = unsubscribeAt(s, q)) {
      msgs.push(one);
      q = one.end;
    }
    if (msgs.length < 2) continue;
    const names = msgs.map((x) => x.name).sort();
    out += s.slice(at, m.index);
    msgs.forEach((x, i) => {
      out += `${x.head}3\r\n$11\r\nunsubscribe\r\n$${names[i]!.length}\r\n${names[i]}\r\n:${x.count}\r\n`;
    });
    at = q;
    head.lastIndex = q;
  }
  return out + s.slice(at);
}

interface UnsubscribeMsg {
  head: string;
  name: string;
  count: string;
  end: number;
}

/** The `unsubscribe` message starting at s[q], if one does. */
function unsubscribeAt(s: string, q: number): UnsubscribeMsg | undefined {
  const m = /^[*>]3\r\n\$11\r\nunsubscribe\r\n\$(\d+)\r\n/.exec(s.slice(q, q + 40));
  if (m === null) return undefined;
  const nameAt = q + m[0].length;
  const nameEnd = nameAt + Number(m[1]);
  const tail = /^\r\n:(\d+)\r\n/.exec(s.slice(nameEnd, nameEnd + 24));
  if (tail === null) return undefined;
  return { head: s[q]!, name: s.slice(nameAt, nameEnd), count: tail[1]!, end: nameEnd + tail[0].length };
}

export function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
