// The command fuzzer's engine (test/fuzz/commands.test.ts runs it for a few seconds, bench/fuzz.ts for minutes).
//
// Commands come from the server's own table (COMMAND): every command and subcommand except the few that would
// stop the run (SHUTDOWN, MONITOR, the SUBSCRIBE family, QUIT/RESET/HELLO, CLIENT KILL/PAUSE/REPLY/TRACKING,
// CONFIG SET/REWRITE, replication, ACL changes; DEBUG only as DIGEST, DIGEST-VALUE and RELOAD), with random
// arguments: random arity around the declared one, keys from a small pool at the declared key positions (so types
// collide), integers, floats, option words (NX XX EX PX KEEPTTL WITHSCORES LIMIT REV BYSCORE …), empty strings
// and binary. Blocking commands get small timeouts, never 0.
//
// Stay-up run (runCommandFuzz): several pipelining connections (RESP2 and RESP3) against a Cairn child process
// with the AOF on (appendonly yes, appendfsync no). Checked: the server never exits and never stops answering;
// every reply is well-formed RESP for the connection's protocol; no reply is an internal error (a handler threw);
// at checkpoints DEBUG DIGEST is the same before and after DEBUG RELOAD, and the same again after the server is
// killed and restarted from its AOF on the same directory.
//
// Differential run (runCommandDiff): the same random sequences against real redis-server 7.0.15 and Cairn,
// replies compared byte for byte, except where Redis's reply is random or server-specific.

import fc from 'fast-check';
import {
  RawConnection,
  StrictReplyStream,
  encodeCommand,
  escapeBytes,
  formatCommand,
  parseReply,
  type StrictProto,
} from '../support/resp.js';
import { compareReplies, modeFor, type CompareMode } from '../support/differential.js';
import { pingWithin, spawnCairnProcess, type CairnProcess } from '../support/cairn-process.js';
import { startRedis, type RedisHandle } from '../support/servers.js';

// ---------------------------------------------------------------------------------------------------------------
// The command table

export interface CommandRow {
  /** Full name, "set" or "client|list". */
  name: string;
  /** argv prefix: ["set"] or ["client", "list"]. */
  prefix: string[];
  arity: number;
  firstKey: number;
  lastKey: number;
  step: number;
}

/** Never sent: they would stop the run, change the connection's protocol or reply mode, or reach outside. */
const NEVER = new Set([
  'shutdown',
  'monitor',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'quit',
  'reset',
  'hello',
  'debug',
  'client|kill',
  'client|pause',
  'client|reply',
  'client|tracking',
  'config|set',
  'config|rewrite',
  'acl|setuser',
  'acl|deluser',
  'acl|load',
  'acl|save',
  'replicaof',
  'slaveof',
  'sync',
  'psync',
  'replconf',
  'failover',
  'migrate',
  'wait',
  'waitaof',
  'module',
  'cluster',
  'script',
  'eval',
  'evalsha',
  'eval_ro',
  'evalsha_ro',
  'function',
  'fcall',
  'fcall_ro',
]);

/** Sent rarely: they wipe or snapshot everything. */
const RARE = new Set(['flushall', 'flushdb', 'save', 'bgsave', 'bgrewriteaof', 'swapdb']);

/** Blocking commands: where their timeout is (1 = first argument, -1 = last). */
const BLOCKING: Record<string, number> = {
  blpop: -1,
  brpop: -1,
  brpoplpush: -1,
  blmove: -1,
  bzpopmin: -1,
  bzpopmax: -1,
  blmpop: 1,
  bzmpop: 1,
};

/** Not sent in the differential run: random effects (the servers would diverge) or no Redis 7.0 equivalent. */
const DIFF_NEVER = new Set(['spop']);

/**
 * Sent in the differential run but not compared: random, timing- or server-specific replies (the reply kind
 * still must match).
 */
const DIFF_TYPE_ONLY = new Set([
  'srandmember',
  'randomkey',
  'hrandfield',
  'zrandmember',
  'scan',
  'sscan',
  'hscan',
  'zscan',
  'time',
  'lastsave',
  'info',
  'dump',
  'object|idletime',
  'object|freq',
  'object|refcount',
  'lolwut',
]);

/** Sent in the differential run, replies not compared at all: background jobs (their timing differs). */
const DIFF_SKIP = new Set(['save', 'bgsave', 'bgrewriteaof']);

/** Families whose output describes the server itself: never compared (not even the reply kind). */
const DIFF_SKIP_PREFIX = ['client', 'config', 'memory', 'command', 'latency', 'slowlog', 'acl', 'debug', 'object|help'];

/** Reads the command table with COMMAND. */
export async function commandTable(port: number): Promise<CommandRow[]> {
  const conn = await RawConnection.connect(port);
  try {
    const rows = parseReply(await conn.call(['COMMAND'], 10_000)) as unknown[][];
    const out: CommandRow[] = [];
    const add = (r: unknown[], prefix: string[]): void => {
      out.push({
        name: String(r[0]),
        prefix,
        arity: Number(r[1]),
        firstKey: Number(r[3]),
        lastKey: Number(r[4]),
        step: Number(r[5]),
      });
    };
    for (const r of rows) {
      const name = String(r[0]);
      const subs = (r[9] ?? []) as unknown[][];
      if (subs.length === 0) add(r, [name]);
      for (const s of subs) add(s, String(s[0]).split('|'));
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  } finally {
    await conn.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments

export const KEYS = ['a', 'b', 'c', 'd', 'e'];
const INTS = [
  '0',
  '1',
  '-1',
  '2',
  '3',
  '5',
  '10',
  '100',
  '-100',
  '1000',
  '100000',
  '4294967296',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '007',
  '+1',
  '-0',
];
const FLOATS = [
  '0.5',
  '-1.5',
  '1e3',
  'inf',
  '-inf',
  '+inf',
  'nan',
  '3.14159',
  '1.7976931348623157e308',
  '1e400',
  '0x10',
  '.5',
];
const WORDS = [
  'NX',
  'XX',
  'EX',
  'PX',
  'EXAT',
  'PXAT',
  'KEEPTTL',
  'GET',
  'PERSIST',
  'WITHSCORES',
  'WITHSCORE',
  'LIMIT',
  'REV',
  'BYSCORE',
  'BYLEX',
  'GT',
  'LT',
  'CH',
  'INCR',
  'COUNT',
  'MATCH',
  'TYPE',
  'LEFT',
  'RIGHT',
  'BEFORE',
  'AFTER',
  'ASC',
  'DESC',
  'ALPHA',
  'STORE',
  'BY',
  'WEIGHTS',
  'AGGREGATE',
  'SUM',
  'MIN',
  'MAX',
  'WITHVALUES',
  'RANK',
  'MAXLEN',
  'IDX',
  'LEN',
  'MINMATCHLEN',
  'WITHMATCHLEN',
  'ABSTTL',
  'REPLACE',
  'DB',
  'OVERFLOW',
  'WRAP',
  'SAT',
  'FAIL',
  'INCRBY',
  'SET',
  'u8',
  'i16',
  'u63',
  'i64',
  '#1',
  'BIT',
  'BYTE',
  'AND',
  'OR',
  'XOR',
  'NOT',
  'string',
  'list',
  'ENCODING',
  'ID',
  'ON',
  'OFF',
  'yes',
  'SYNC',
  'ASYNC',
  'DIGEST',
  '(1',
  '[a',
  '-',
  '+',
];
const STRINGS = [
  '',
  'x',
  'hello',
  'a b',
  '\x00\xff\r\n',
  'L'.repeat(70),
  '\xc3\xa9t\xc3\xa9',
  '*',
  'k*',
  '?',
  '[a-e]',
  'a',
];

/** Values around and past the size from which string values are byte buffers written in place. */
const BIG_STRINGS = [
  'B'.repeat(4096),
  'b'.repeat(5000),
  Buffer.from(Array.from({ length: 4100 }, (_, i) => (i * 7) & 0xff)).toString('latin1'),
];

const keyArb = fc.constantFrom(...KEYS);
const valueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: keyArb },
  { weight: 4, arbitrary: fc.constantFrom(...INTS) },
  { weight: 2, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom(...FLOATS) },
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a).toString('latin1')) },
  // Big values (4 KB and more are kept as byte buffers, written in place: src/types/big-string.ts).
  { weight: 1, arbitrary: fc.constantFrom(...BIG_STRINGS) },
);

function isKeyPos(row: CommandRow, i: number, argc: number): boolean {
  if (row.firstKey <= 0) return false;
  const last = row.lastKey < 0 ? argc + row.lastKey : row.lastKey;
  return i >= row.firstKey && i <= last && (i - row.firstKey) % Math.max(1, row.step) === 0;
}

const BLOCK_TIMEOUTS = ['0.01', '0.02', '0.05', '-1', 'x'];

/** A random command for a row: arity near the declared one, keys at key positions, small blocking timeouts. */
function commandArb(row: CommandRow, diff: boolean): fc.Arbitrary<string[]> {
  const base = Math.abs(row.arity);
  const argc =
    row.arity > 0
      ? fc.oneof(
          { weight: 8, arbitrary: fc.constant(base) },
          { weight: 2, arbitrary: fc.integer({ min: Math.max(1, base - 1), max: base + 1 }) },
        )
      : fc.oneof(
          { weight: 8, arbitrary: fc.integer({ min: base, max: base + 6 }) },
          { weight: 1, arbitrary: fc.integer({ min: Math.max(1, base - 1), max: base }) },
        );
  return argc.chain((n) =>
    fc
      .tuple(
        fc.array(valueArb, { minLength: n, maxLength: n }),
        fc.array(keyArb, { minLength: n, maxLength: n }),
        fc.constantFrom(...BLOCK_TIMEOUTS),
      )
      .map(([vals, keys, timeout]) => {
        const argv = [...row.prefix];
        for (let i = argv.length; i < n; i++) argv.push(isKeyPos(row, i, n) ? keys[i]! : vals[i]!);
        const tpos = BLOCKING[row.name];
        if (tpos !== undefined && argv.length > 1) argv[tpos > 0 ? tpos : argv.length - 1] = timeout;
        if (diff) stretchTtls(argv);
        return argv;
      }),
  );
}

const TTL_AFTER = new Set(['ex', 'px']);
const TTL_AT_2 = new Set(['expire', 'pexpire', 'setex', 'psetex']);

/**
 * Differential runs: relative TTLs that could run out while a sequence runs (at slightly different moments on the
 * two servers) are made long. Absolute times stay: small ones are in the past on both servers alike.
 */
function stretchTtls(argv: string[]): void {
  const isShort = (s: string | undefined): boolean => s !== undefined && /^[1-9][0-9]{0,4}$/.test(s);
  if (TTL_AT_2.has(argv[0]!.toLowerCase()) && isShort(argv[2])) argv[2] = '100000';
  for (let i = 1; i + 1 < argv.length; i++) {
    if (TTL_AFTER.has(argv[i]!.toLowerCase()) && isShort(argv[i + 1])) argv[i + 1] = '100000';
  }
}

/** Extra DEBUG forms the stay-up run may send. */
const debugArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.constant<string[]>(['DEBUG', 'DIGEST']),
  keyArb.map((k) => ['DEBUG', 'DIGEST-VALUE', k]),
  fc.constant<string[]>(['DEBUG', 'RELOAD']),
);

/** An arbitrary for single commands drawn from the table. */
export function commandsArb(rows: CommandRow[], diff: boolean): fc.Arbitrary<string[]> {
  const usable = rows.filter((r) => {
    const top = r.prefix[0]!;
    if (NEVER.has(r.name) || NEVER.has(top)) return false;
    if (
      top === 'acl' &&
      ![
        'acl|whoami',
        'acl|cat',
        'acl|users',
        'acl|list',
        'acl|getuser',
        'acl|dryrun',
        'acl|log',
        'acl|genpass',
        'acl|help',
      ].includes(r.name)
    )
      return false;
    if (diff && (DIFF_NEVER.has(r.name) || DIFF_SKIP_PREFIX.some((p) => r.name === p || r.name.startsWith(p + '|'))))
      return false;
    return true;
  });
  const common = usable.filter((r) => !RARE.has(r.name));
  const rare = usable.filter((r) => RARE.has(r.name));
  const arms: { weight: number; arbitrary: fc.Arbitrary<string[]> }[] = [
    { weight: 200, arbitrary: fc.oneof(...common.map((r) => commandArb(r, diff))) },
  ];
  if (rare.length > 0) arms.push({ weight: 1, arbitrary: fc.oneof(...rare.map((r) => commandArb(r, diff))) });
  if (!diff) arms.push({ weight: 1, arbitrary: debugArb });
  return fc.oneof(...arms);
}

// ---------------------------------------------------------------------------------------------------------------
// A pipelining connection that validates every reply strictly

class Worker {
  private readonly stream: StrictReplyStream;
  private constructor(
    readonly conn: RawConnection,
    readonly proto: 2 | 3,
  ) {
    this.stream = new StrictReplyStream(proto as StrictProto);
  }

  static async open(port: number, proto: 2 | 3): Promise<Worker> {
    const conn = await RawConnection.connect(port);
    if (proto === 3) await conn.call(['HELLO', '3']);
    return new Worker(conn, proto);
  }

  /** Sends the commands pipelined and returns their replies (each strictly validated). */
  async run(cmds: string[][], timeoutMs: number): Promise<Buffer[]> {
    this.conn.sendRaw(Buffer.concat(cmds.map((c) => encodeCommand(c))));
    const out: Buffer[] = [];
    for (let i = 0; i < cmds.length; i++) {
      const r = await this.conn.readReply(timeoutMs);
      // Throws RespFormatError on anything not well-formed for this protocol.
      const got = this.stream.push(r);
      if (got.length !== 1 || this.stream.pending !== 0)
        throw new Error(`reply framing differs: ${escapeBytes(r, 300)}`);
      out.push(r);
    }
    return out;
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Checkpoints: DEBUG DIGEST around DEBUG RELOAD and around a restart from the AOF

async function control(port: number): Promise<RawConnection> {
  return RawConnection.connect(port, '127.0.0.1', 5000);
}

async function text(conn: RawConnection, args: string[], timeoutMs = 30_000): Promise<string> {
  return (await conn.call(args, timeoutMs)).toString('latin1');
}

/** Keys whose TTL could run out during a checkpoint are made persistent (so the digests compare the same data). */
export async function settleTtls(conn: RawConnection): Promise<void> {
  for (let db = 0; db < 16; db++) {
    await text(conn, ['SELECT', String(db)]);
    // Keys whose time has passed but that nothing has touched yet still count in DEBUG DIGEST (as in Redis),
    // while loading skips them: touching them deletes them. Only pool keys ever get a TTL.
    await text(conn, ['EXISTS', ...KEYS]);
    const keys = parseReply(await conn.call(['KEYS', '*'])) as string[];
    for (const k of keys) {
      const pttl = Number(/^:(-?\d+)/.exec(await text(conn, ['PTTL', k]))?.[1] ?? -1);
      if (pttl >= 0 && pttl < 600_000) await text(conn, ['PERSIST', k]);
    }
  }
  await text(conn, ['SELECT', '0']);
}

/** Every key of every database with its DEBUG DIGEST-VALUE and expiry time: to name what differs. */
export async function dumpKeys(conn: RawConnection): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let db = 0; db < 16; db++) {
    await text(conn, ['SELECT', String(db)]);
    const keys = parseReply(await conn.call(['KEYS', '*'])) as string[];
    for (const k of keys) {
      const d = await text(conn, ['DEBUG', 'DIGEST-VALUE', k]);
      const t = await text(conn, ['PEXPIRETIME', k]);
      const type = await text(conn, ['TYPE', k]);
      out.set(`db${db} ${escapeBytes(k)}`, `${type.trim()} ${d.trim()} expire ${t.trim()}`);
    }
  }
  await text(conn, ['SELECT', '0']);
  return out;
}

export function dumpDiff(before: Map<string, string>, after: Map<string, string>): string {
  const lines: string[] = [];
  for (const [k, v] of before) if (after.get(k) !== v) lines.push(`  ${k}: ${v} -> ${after.get(k) ?? 'missing'}`);
  for (const [k, v] of after) if (!before.has(k)) lines.push(`  ${k}: missing -> ${v}`);
  return lines.join('\n');
}

export async function digest(conn: RawConnection): Promise<string> {
  const r = await text(conn, ['DEBUG', 'DIGEST']);
  const m = /^\+([0-9a-f]{40})\r\n$/.exec(r);
  if (!m) throw new Error(`DEBUG DIGEST replied ${escapeBytes(r)}`);
  return m[1]!;
}

/**
 * DEBUG DIGEST before and after DEBUG RELOAD; returns a problem description or undefined, the digest, and the
 * per-key dump taken before (to name the keys that differ after a restart).
 */
async function reloadCheck(port: number): Promise<{ problem?: string; digest: string; keys: Map<string, string> }> {
  const conn = await control(port);
  try {
    await settleTtls(conn);
    const keys = await dumpKeys(conn);
    const before = await digest(conn);
    const rel = await text(conn, ['DEBUG', 'RELOAD'], 60_000);
    if (rel !== '+OK\r\n') return { problem: `DEBUG RELOAD replied ${escapeBytes(rel)}`, digest: before, keys };
    const after = await digest(conn);
    if (after !== before) {
      const diff = dumpDiff(keys, await dumpKeys(conn));
      return { problem: `DEBUG DIGEST ${before} before DEBUG RELOAD, ${after} after:\n${diff}`, digest: before, keys };
    }
    return { digest: before, keys };
  } finally {
    await conn.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The stay-up run

export interface CommandFuzzOptions {
  durationMs: number;
  /** Connections (half RESP2, half RESP3). */
  connections?: number;
  /** Commands per pipelined batch. */
  batch?: number;
  /** Time between DEBUG RELOAD checkpoints. */
  checkpointMs?: number;
  /** Time between restarts from the AOF (the last one always happens at the end). */
  restartMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface CommandFuzzStats {
  seed: number;
  commands: number;
  distinctCommands: number;
  errorReplies: number;
  crashes: number;
  hangs: number;
  malformed: number;
  internalErrors: number;
  reloadChecks: number;
  restartChecks: number;
  digestMismatches: number;
  peakRss: number;
  problems: string[];
}

const CAIRN_AOF_ARGS = ['--appendonly', 'yes', '--appendfsync', 'no'];

export async function runCommandFuzz(opts: CommandFuzzOptions): Promise<CommandFuzzStats> {
  const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const log = opts.log ?? (() => undefined);
  const nConn = opts.connections ?? 4;
  const batch = opts.batch ?? 20;
  const checkpointMs = opts.checkpointMs ?? 5000;
  const restartMs = opts.restartMs ?? 60_000;
  const stats: CommandFuzzStats = {
    seed,
    commands: 0,
    distinctCommands: 0,
    errorReplies: 0,
    crashes: 0,
    hangs: 0,
    malformed: 0,
    internalErrors: 0,
    reloadChecks: 0,
    restartChecks: 0,
    digestMismatches: 0,
    peakRss: 0,
    problems: [],
  };
  const problem = (s: string): void => {
    log(s);
    if (stats.problems.length < 100) stats.problems.push(s);
  };
  const seen = new Set<string>();
  /** Commands sent since the last restart, with their replies: for naming what led to a difference. */
  let history: { round: number; worker: number; argv: string[]; reply: Buffer }[] = [];
  const historyOf = (diff: string): string => {
    const names = new Set([...diff.matchAll(/^ {2}db\d+ "((?:[^"\\]|\\.)*)"/gm)].map((m) => m[1]!));
    const hits = history.filter((h) => h.argv.some((a) => names.has(escapeBytes(a).slice(1, -1))));
    return hits
      .slice(-60)
      .map((h) => `  r${h.round} w${h.worker}: ${formatCommand(h.argv, 40)} -> ${escapeBytes(h.reply, 80)}`)
      .join('\n');
  };
  // The time budget starts once the servers are up (starting them on a loaded machine can take seconds).
  let deadline = Infinity;

  let cairn: CairnProcess = await spawnCairnProcess(CAIRN_AOF_ARGS);
  const dir = cairn.dir;
  let workers: Worker[] = [];
  const openWorkers = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.close()));
    workers = await Promise.all(Array.from({ length: nConn }, (_, i) => Worker.open(cairn.port, i % 2 === 0 ? 2 : 3)));
  };
  /** After a crash or hang: a fresh server on the same directory (it must load what the AOF holds). */
  const revive = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.close().catch(() => undefined)));
    workers = [];
    await cairn.kill();
    cairn = await spawnCairnProcess(CAIRN_AOF_ARGS, dir);
    await openWorkers();
  };

  try {
    const rows = await commandTable(cairn.port);
    const arb = commandsArb(rows, false);
    await openWorkers();
    deadline = Date.now() + opts.durationMs;
    let round = 0;
    let nextCheckpoint = Date.now() + checkpointMs;
    let nextRestart = Date.now() + restartMs;
    for (;;) {
      const done = Date.now() >= deadline;
      if (done || Date.now() >= nextCheckpoint) {
        // DEBUG RELOAD keeps the data; a restart from the AOF keeps it too.
        const res = await reloadCheck(cairn.port).catch((e: Error) => ({
          problem: `reload check failed: ${e.message}`,
          digest: '',
          keys: new Map<string, string>(),
        }));
        stats.reloadChecks++;
        if (res.problem !== undefined) {
          stats.digestMismatches++;
          problem(res.problem);
        }
        if (done || Date.now() >= nextRestart) {
          const before = res.digest;
          await Promise.all(workers.map((w) => w.close()));
          workers = [];
          await cairn.kill();
          cairn = await spawnCairnProcess(CAIRN_AOF_ARGS, dir);
          const conn = await control(cairn.port);
          let diff = '';
          const after = await digest(conn)
            .then(async (d) => {
              if (before !== '' && d !== before) diff = dumpDiff(res.keys, await dumpKeys(conn));
              return d;
            })
            .catch((e: Error) => `(${e.message})`)
            .finally(() => conn.close());
          stats.restartChecks++;
          if (before !== '' && after !== before) {
            stats.digestMismatches++;
            problem(
              `DEBUG DIGEST ${before} before the restart, ${after} after loading the AOF:\n${diff}\n` +
                `commands naming those keys since the last restart:\n${historyOf(diff)}`,
            );
          }
          history = [];
          nextRestart = Date.now() + restartMs;
          if (!done) await openWorkers();
        }
        nextCheckpoint = Date.now() + checkpointMs;
        if (done) break;
      }
      const batches = workers.map((_, i) => fc.sample(arb, { numRuns: batch, seed: (seed + round * nConn + i) | 0 }));
      round++;
      const results = await Promise.all(
        workers.map((w, i) =>
          w.run(batches[i]!, 15_000).then(
            (replies) => ({ replies }),
            (e: Error) => ({ error: e }),
          ),
        ),
      );
      let broken = false;
      for (let i = 0; i < workers.length; i++) {
        const cmds = batches[i]!;
        const res = results[i]!;
        stats.commands += cmds.length;
        for (const c of cmds)
          seen.add(
            c.length > 1 &&
              rows.some((r) => r.prefix.length === 2 && r.prefix[0] === c[0] && r.prefix[1] === c[1]?.toLowerCase())
              ? `${c[0]}|${c[1]!.toLowerCase()}`
              : c[0]!.toLowerCase(),
          );
        if ('error' in res) {
          broken = true;
          const dead = cairn.exitStatus() !== undefined;
          const alive = !dead && (await pingWithin(cairn.port, 3000));
          const batchText = cmds.map((c) => '  ' + formatCommand(c, 60)).join('\n');
          if (dead) {
            stats.crashes++;
            problem(
              `cairn died (${cairn.exitStatus()}) during the batch:\n${batchText}\n--- log ---\n${cairn.log().slice(-3000)}`,
            );
          } else if (!alive) {
            stats.hangs++;
            problem(`cairn stopped answering during the batch:\n${batchText}`);
          } else if (
            /RespFormatError|framing/.test(`${res.error.name} ${res.error.message}`) ||
            res.error.constructor.name === 'RespFormatError'
          ) {
            stats.malformed++;
            problem(`malformed reply (RESP${workers[i]!.proto}): ${res.error.message}\nbatch:\n${batchText}`);
          } else {
            stats.hangs++;
            problem(`connection stuck (${res.error.message}) during the batch:\n${batchText}`);
          }
          continue;
        }
        for (let j = 0; j < cmds.length; j++) {
          const r = res.replies[j]!;
          history.push({ round, worker: i, argv: cmds[j]!, reply: r });
          if (history.length > 200_000) history = history.slice(-100_000);
          if (r[0] === 0x2d /* - */ || r[0] === 0x21 /* ! */) {
            stats.errorReplies++;
            if (/^[-!](\d+\r\n)?ERR internal error/.test(r.toString('latin1', 0, 40))) {
              stats.internalErrors++;
              problem(`internal error for ${formatCommand(cmds[j]!, 60)}: ${escapeBytes(r, 300)}`);
            }
          }
        }
      }
      const rss = cairn.rss();
      if (rss > stats.peakRss) stats.peakRss = rss;
      if (broken) await revive();
    }
  } finally {
    await Promise.all(workers.map((w) => w.close().catch(() => undefined)));
    await cairn.stop();
  }
  stats.distinctCommands = seen.size;
  return stats;
}

// ---------------------------------------------------------------------------------------------------------------
// The differential run

export interface CommandDiffOptions {
  durationMs: number;
  /** Commands per sequence (each sequence starts with FLUSHALL, on a fresh connection pair). */
  length?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface Mismatch {
  command: string;
  /** The command's name (and subcommand), for grouping. */
  name: string;
  resp: 2 | 3;
  redis: string;
  cairn: string;
  /** The commands sent before it in its sequence. */
  history: string[];
}

export interface CommandDiffStats {
  seed: number;
  sequences: number;
  commands: number;
  compared: number;
  mismatches: number;
  crashes: number;
  /** First mismatch of each command name. */
  byCommand: Map<string, Mismatch>;
  problems: string[];
}

const TTL_COMMANDS = new Set(['ttl', 'pttl', 'expiretime', 'pexpiretime']);

function nameOf(argv: string[], rows: Map<string, CommandRow>): string {
  const top = argv[0]!.toLowerCase();
  const two = argv.length > 1 ? `${top}|${argv[1]!.toLowerCase()}` : '';
  return rows.has(two) ? two : top;
}

function diffMode(name: string, argv: string[]): CompareMode {
  if (DIFF_SKIP.has(name)) return 'skip';
  if (DIFF_TYPE_ONLY.has(name)) return 'type';
  if ((name === 'sort' || name === 'sort_ro') && argv.some((a) => a.toLowerCase() === 'by')) return 'unordered';
  return modeFor(argv);
}

/** Integer replies of TTL commands may differ by the time between the two servers' clocks readings. */
function ttlClose(name: string, r: Buffer, k: Buffer): boolean {
  const a = /^:(-?\d+)\r\n$/.exec(r.toString('latin1'));
  const b = /^:(-?\d+)\r\n$/.exec(k.toString('latin1'));
  if (!a || !b) return false;
  const x = Number(a[1]);
  const y = Number(b[1]);
  if (x < 0 || y < 0) return x === y;
  return Math.abs(x - y) <= (name.startsWith('p') ? 1500 : 1);
}

export async function runCommandDiff(opts: CommandDiffOptions): Promise<CommandDiffStats> {
  const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const log = opts.log ?? (() => undefined);
  const length = opts.length ?? 60;
  const stats: CommandDiffStats = {
    seed,
    sequences: 0,
    commands: 0,
    compared: 0,
    mismatches: 0,
    crashes: 0,
    byCommand: new Map(),
    problems: [],
  };
  // The time budget starts once the servers are up (starting them on a loaded machine can take seconds).
  let deadline = Infinity;
  let cairn: CairnProcess | undefined;
  let redis: RedisHandle | undefined;
  try {
    [cairn, redis] = await Promise.all([spawnCairnProcess(), startRedis()]);
    const rows = await commandTable(cairn.port);
    const redisRows = new Set((await commandTable(redis.port)).map((r) => r.name));
    // Commands only Cairn has cannot be compared; commands only Redis has are simply never drawn.
    const common = rows.filter((r) => redisRows.has(r.name));
    const byName = new Map(common.map((r) => [r.name, r]));
    const arb = commandsArb(common, true);
    deadline = Date.now() + opts.durationMs;
    let s = 0;
    while (Date.now() < deadline) {
      const resp: 2 | 3 = s % 2 === 0 ? 2 : 3;
      const seq = fc.sample(arb, { numRuns: length, seed: (seed + s) | 0 });
      s++;
      stats.sequences++;
      const [rc, kc] = await Promise.all([Worker.open(redis.port, resp), Worker.open(cairn.port, resp)]);
      try {
        await Promise.all([rc.run([['FLUSHALL']], 10_000), kc.run([['FLUSHALL']], 10_000)]);
        let inMulti = false;
        let tainted = false;
        for (let i = 0; i < seq.length && Date.now() < deadline + 5000; i++) {
          const argv = seq[i]!;
          const name = nameOf(argv, byName);
          const [rr, kr] = await Promise.allSettled([rc.run([argv], 10_000), kc.run([argv], 10_000)]);
          stats.commands++;
          if (rr.status === 'rejected' || kr.status === 'rejected') {
            const why = (x: PromiseSettledResult<Buffer[]>): string =>
              x.status === 'rejected' ? `<${(x.reason as Error).message}>` : escapeBytes(x.value[0]!, 300);
            if (cairn.exitStatus() !== undefined) {
              stats.crashes++;
              stats.problems.push(`cairn died (${cairn.exitStatus()}) on ${formatCommand(argv)}`);
              cairn = await spawnCairnProcess();
            } else {
              stats.problems.push(`no reply for ${formatCommand(argv)}: redis ${why(rr)} cairn ${why(kr)}`);
            }
            break;
          }
          const r = rr.value[0]!;
          const k = kr.value[0]!;
          // Inside MULTI, EXEC's array holds the queued commands' replies: random ones make it incomparable.
          const lname = argv[0]!.toLowerCase();
          let mode = diffMode(name, argv);
          if (inMulti && (mode !== 'exact' || TTL_COMMANDS.has(name)) && r.toString('latin1') === '+QUEUED\r\n')
            tainted = true;
          if (lname === 'multi' && r.toString('latin1') === '+OK\r\n') {
            inMulti = true;
            tainted = false;
          } else if ((lname === 'exec' || lname === 'discard') && inMulti) {
            if (tainted) mode = 'type';
            inMulti = false;
          }
          stats.compared++;
          const reason = TTL_COMMANDS.has(name) && ttlClose(name, r, k) ? undefined : compareReplies(r, k, mode);
          if (reason !== undefined) {
            stats.mismatches++;
            const m: Mismatch = {
              command: formatCommand(argv, 80),
              name,
              resp,
              redis: escapeBytes(r, 400),
              cairn: escapeBytes(k, 400),
              history: seq.slice(0, i).map((c) => formatCommand(c, 60)),
            };
            if (!stats.byCommand.has(name)) {
              stats.byCommand.set(name, m);
              log(`mismatch (RESP${resp}) for ${m.command}\n  redis: ${m.redis}\n  cairn: ${m.cairn}`);
            }
            // The servers may now hold different data: the rest of this sequence would only echo the difference.
            break;
          }
        }
      } finally {
        await Promise.all([rc.close(), kc.close()]);
      }
    }
  } finally {
    await Promise.all([cairn?.stop(), redis?.stop()]);
  }
  return stats;
}

/** A mismatch as a self-contained reproduction: the sequence, then the differing command and both replies. */
export function describeMismatch(m: Mismatch): string {
  const hist = m.history.length > 30 ? ['…', ...m.history.slice(-30)] : m.history;
  return (
    `${m.name} (RESP${m.resp}): ${m.command}\n  redis: ${m.redis}\n  cairn: ${m.cairn}\n` +
    (hist.length > 0 ? `  after (FLUSHALL, then): ${hist.join(' ; ')}` : '  (first command after FLUSHALL)')
  );
}
