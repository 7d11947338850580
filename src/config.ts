// Settings: the table of supported redis.conf directives, the config-file and command-line parser, CONFIG GET/SET.

import fs from 'node:fs';
import path from 'node:path';
import { splitArgs } from './protocol/request-parser.js';
import { strerror } from './errors.js';
import { globMatch } from './keyspace/glob.js';
import { formatNotifyFlags, parseNotifyFlags, NOTIFY_FLAGS_ERROR } from './keyspace/notify.js';
import { parseDouble } from './commands/args.js';
import { formatPercentile } from './server/latency-stats.js';

export interface ConfigValues {
  port: number;
  bind: string[];
  dir: string;
  requirepass: string;
  databases: number;
  loglevel: 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';
  logfile: string;
  pidfile: string;
  /** Run in the background: the process started detaches a copy of itself and exits (src/main.ts). */
  daemonize: boolean;
  timeout: number;
  'tcp-keepalive': number;
  'tcp-backlog': number;
  maxclients: number;
  'proto-max-bulk-len': number;
  'client-query-buffer-limit': number;
  hz: number;
  'active-expire-effort': number;
  'slowlog-log-slower-than': number;
  'slowlog-max-len': number;
  'tracking-table-max-keys': number;
  'latency-monitor-threshold': number;
  'latency-tracking': boolean;
  'latency-tracking-info-percentiles': number[];
  /** What SIGINT / SIGTERM shut down with: SHUTDOWN_FLAGS bits (0: as configured, like a plain SHUTDOWN). */
  /** The cairn command sets its process title from proc-title-template (src/main.ts). */
  'set-proc-title': boolean;
  'proc-title-template': string;
  /** A `#TS:<unix seconds>` line in the AOF before the first record of each second (src/persistence/aof-writer.ts). */
  'aof-timestamp-enabled': boolean;
  /** Each hz tick moves a resizing key index on by up to 1 ms (Keyspace.rehashCron). */
  activerehashing: boolean;
  /** hz doubles (up to 500) while there are more than 200 clients per tick (Server.effectiveHz). */
  'dynamic-hz': boolean;
  // Settings of features Cairn does not have (replication, HyperLogLog, streams, jemalloc): taken, shown and
  // written back by CONFIG REWRITE as Redis does, with no effect here, as on a Redis master without replicas.
  'replica-serve-stale-data': boolean;
  'replica-read-only': boolean;
  'replica-lazy-flush': boolean;
  'replica-priority': number;
  'repl-diskless-sync': boolean;
  'repl-diskless-sync-delay': number;
  'repl-diskless-sync-max-replicas': number;
  'repl-diskless-load': 'disabled' | 'on-empty-db' | 'swapdb';
  'repl-disable-tcp-nodelay': boolean;
  'rdb-del-sync-files': boolean;
  'hll-sparse-max-bytes': number;
  'stream-node-max-bytes': number;
  'stream-node-max-entries': number;
  'jemalloc-bg-thread': boolean;
  'shutdown-on-sigint': number;
  'shutdown-on-sigterm': number;
  /** no, yes (relative) or absolute; see src/server/oom-score.ts. */
  'oom-score-adj': 'no' | 'yes' | 'absolute';
  /** The scores for a master, a replica and a background child (Cairn is always the first). */
  'oom-score-adj-values': number[];
  'enable-debug-command': 'no' | 'yes' | 'local';
  'enable-protected-configs': 'no' | 'yes' | 'local';
  appendonly: boolean;
  appendfsync: 'always' | 'everysec' | 'no';
  appendfilename: string;
  appenddirname: string;
  dbfilename: string;
  /** Pairs of <seconds> <changes>, as strings. */
  save: string[];
  'stop-writes-on-bgsave-error': boolean;
  'aof-load-truncated': boolean;
  'auto-aof-rewrite-percentage': number;
  'auto-aof-rewrite-min-size': number;
  /** Pairs of <db> <none|no|everysec|always>, as strings (Cairn's per-database persistence). */
  'db-persistence': string[];
  /** Keyspace notification classes, as a bit set (see src/keyspace/notify.ts). */
  'notify-keyspace-events': number;
  // client-output-buffer-limit (output limits, src/server/output-limits.ts)
  'client-output-buffer-limit': OutputBufferLimits;
  // TLS and protected mode (src/server/tls.ts, src/server/protected.ts)
  'protected-mode': boolean;
  'tls-port': number;
  'tls-cert-file': string;
  'tls-key-file': string;
  'tls-key-file-pass': string;
  'tls-dh-params-file': string;
  'tls-ca-cert-file': string;
  'tls-ca-cert-dir': string;
  'tls-auth-clients': 'no' | 'yes' | 'optional';
  'tls-protocols': string;
  'tls-ciphers': string;
  'tls-ciphersuites': string;
  'tls-prefer-server-ciphers': boolean;
  'tls-session-caching': boolean;
  'tls-session-cache-size': number;
  'tls-session-cache-timeout': number;
  // Users and ACL (src/acl/)
  aclfile: string;
  'acllog-max-len': number;
  'acl-pubsub-default': 'allchannels' | 'resetchannels';
  // Memory limit and eviction (src/server/memory.ts, src/keyspace/evict.ts)
  maxmemory: number;
  'maxmemory-policy': MaxmemoryPolicy;
  'maxmemory-samples': number;
  'maxmemory-eviction-tenacity': number;
  'lfu-log-factor': number;
  'lfu-decay-time': number;
  'lazyfree-lazy-eviction': boolean;
  'lazyfree-lazy-expire': boolean;
  'lazyfree-lazy-server-del': boolean;
  'lazyfree-lazy-user-del': boolean;
  'lazyfree-lazy-user-flush': boolean;
  // Value encodings (the thresholds at which small values take their general encoding).
  'hash-max-listpack-entries': number;
  'hash-max-listpack-value': number;
  'zset-max-listpack-entries': number;
  'zset-max-listpack-value': number;
  'set-max-intset-entries': number;
  'list-max-listpack-size': number;
  'list-compress-depth': number;
}

/** maxmemory-policy values, in the order Redis lists them in its error message. */
export const MAXMEMORY_POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
] as const;
export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

/** One client class's output limits: hard and soft byte limits (unsigned 64-bit in Redis) and soft seconds. */
export interface OutputBufferClassLimit {
  hard: bigint;
  soft: bigint;
  seconds: number;
}
export type OutputBufferClass = 'normal' | 'replica' | 'pubsub';
export type OutputBufferLimits = Record<OutputBufferClass, OutputBufferClassLimit>;

type Kind =
  | { t: 'int'; min: number; max: number }
  | { t: 'memory'; min: number; max: number }
  | { t: 'bool' }
  | { t: 'string' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'list' }
  | { t: 'flags'; parse: (s: string) => number | undefined; format: (n: number) => string; error: string }
  | {
      /** A value made of several words that may update part of the current value (client-output-buffer-limit). */
      t: 'composite';
      parse: (words: string[], cur: unknown) => unknown;
      format: (v: unknown) => string;
      /** CONFIG REWRITE lines (the text after the name), each forced when it differs from the default. */
      rewrite: (v: unknown) => { text: string; force: boolean }[];
    };

/**
 * shutdown-on-sigint / shutdown-on-sigterm: `default`, or any of the SHUTDOWN modifiers save, nosave, now, force
 * (words in any case and order; `default` adds nothing). Shown in this order, as Redis shows them.
 */
export const SHUTDOWN_FLAGS = { save: 1, nosave: 2, now: 4, force: 8 } as const;

const SHUTDOWN_ON_SIGNAL: Kind = {
  t: 'composite',
  parse: (words) => {
    let v = 0;
    for (const w of words) {
      const lw = w.toLowerCase();
      if (lw === 'default') continue;
      const bit = (SHUTDOWN_FLAGS as Record<string, number>)[lw];
      if (bit === undefined)
        throw new ConfigError('argument(s) must be one of the following: default, save, nosave, now, force');
      v |= bit;
    }
    if (words.length === 0)
      throw new ConfigError('argument(s) must be one of the following: default, save, nosave, now, force');
    if (v & SHUTDOWN_FLAGS.save && v & SHUTDOWN_FLAGS.nosave)
      throw new ConfigError("shutdown options SAVE and NOSAVE can't be used simultaneously");
    return v;
  },
  format: (v) => formatShutdownFlags(v as number),
  rewrite: (v) => [{ text: formatShutdownFlags(v as number), force: v !== 0 }],
};

/** The SHUTDOWN modifiers a shutdown-on-sigint/-sigterm value stands for. */
export function shutdownOptionsOf(v: number): { save: boolean; nosave: boolean; now: boolean; force: boolean } {
  return {
    save: (v & SHUTDOWN_FLAGS.save) !== 0,
    nosave: (v & SHUTDOWN_FLAGS.nosave) !== 0,
    now: (v & SHUTDOWN_FLAGS.now) !== 0,
    force: (v & SHUTDOWN_FLAGS.force) !== 0,
  };
}

function formatShutdownFlags(v: number): string {
  if (v === 0) return 'default';
  return Object.entries(SHUTDOWN_FLAGS)
    .filter(([, bit]) => v & bit)
    .map(([name]) => name)
    .join(' ');
}

/** The variables of proc-title-template. */
export const PROC_TITLE_VARIABLES = [
  'title',
  'listen-addr',
  'server-mode',
  'config-file',
  'port',
  'tls-port',
  'unixsocket',
] as const;

/**
 * A proc-title-template expanded as Redis expands it: `{name}` is a variable's value (`value(name)`), `{{` a
 * literal brace, and the result is trimmed of spaces; undefined for an unknown variable or an unterminated one.
 */
export function expandProcTitle(
  template: string,
  value: (name: (typeof PROC_TITLE_VARIABLES)[number]) => string,
): string | undefined {
  let out = '';
  let p = 0;
  while (p < template.length) {
    const open = template.indexOf('{', p);
    if (open < 0) {
      out += template.slice(p);
      break;
    }
    out += template.slice(p, open);
    if (open + 1 >= template.length) return undefined;
    if (template[open + 1] === '{') {
      out += '{';
      p = open + 2;
      continue;
    }
    const close = template.indexOf('}', open + 1);
    if (close < 0) return undefined;
    const name = template.slice(open + 1, close);
    if (!(PROC_TITLE_VARIABLES as readonly string[]).includes(name)) return undefined;
    out += value(name as (typeof PROC_TITLE_VARIABLES)[number]);
    p = close + 1;
  }
  return out.replace(/^ +| +$/g, '');
}

/** What Config.set returns when a directive cannot be set while the dataset loads: the reply is LOADING. */
export const LOADING_REFUSED = 'LOADING';

interface Directive {
  name: keyof ConfigValues;
  kind: Kind;
  def: string;
  /** Settable at runtime with CONFIG SET. */
  mutable: boolean;
  /** Settable at runtime only when enable-protected-configs allows it. */
  protected?: boolean;
  /** Not settable while the dataset loads (Redis's DENY_LOADING_CONFIG): CONFIG SET answers LOADING. */
  denyLoading?: boolean;
  alias?: string;
  /**
   * For list directives: validates the (non-empty) words; for string directives: validates the one value. Returns
   * the error reason, or undefined when valid.
   */
  check?: (args: string[]) => string | undefined;
  /** Several lines in one config file add up (save, db-persistence) instead of the last one winning. */
  accumulate?: boolean;
  /**
   * For list directives: CONFIG SET splits the value at every space, keeping empty words (Redis's sdssplitlen), and
   * the check sees them; otherwise runs of spaces separate words.
   */
  rawWords?: boolean;
  /** For int directives: a value outside [min, max] of this pair is brought to the nearer end (as Redis does hz). */
  clamp?: readonly [number, number];
  /** CONFIG SET only: turns a string directive's parsed value into the one stored, or throws Error(reason). */
  onSet?: (value: string, current: string) => string;
}

/**
 * A setting's value (latin1: one char per byte, as every value Cairn holds) as a file-system path: Node encodes a
 * path string as UTF-8, so the bytes are decoded as UTF-8 first, and the file gets the name's bytes, as Redis's.
 */
export function fsPath(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, 'latin1').toString('utf8');
}

/**
 * CONFIG SET dir, as Redis's chdir() takes it: relative to the directory in use, which must exist and be a
 * directory (the errno text otherwise); stored as the absolute path, as Redis shows getcwd().
 */
function changeDir(value: string, current: string): string {
  const abs = path.resolve(current, value);
  let st: fs.Stats;
  try {
    if (value === '') throw Object.assign(new Error('empty'), { code: 'ENOENT' });
    st = fs.statSync(fsPath(abs));
  } catch (e) {
    throw new Error(strerror(e));
  }
  if (!st.isDirectory()) throw new Error('Not a directory');
  return abs;
}

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;
const UINT_MAX = 4294967295;
/** Stands for the unsigned 64-bit maximum as a bound (maxmemory). */
const ULLONG_MAX = Number.MAX_SAFE_INTEGER - 1;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** A range bound as a BigInt: LLONG_MAX and ULLONG_MAX stand for the 64-bit maxima. */
function boundBig(n: number): bigint {
  return n === LLONG_MAX ? INT64_MAX : n === ULLONG_MAX ? UINT64_MAX : BigInt(n);
}

/** A range bound as Redis prints it. */
function boundText(n: number): string {
  return String(boundBig(n));
}

/**
 * The exact text of the integer the latest parseValue read, when it lies beyond 2^53 (a JavaScript number holds it
 * only approximately): CONFIG GET and REWRITE show this text, as Redis shows its 64-bit value.
 */
let parsedExact: string | undefined;

/** Checks a 64-bit value against a kind's bounds, and keeps its text when a number cannot hold it exactly. */
function inBounds(v: bigint, k: { min: number; max: number }): number {
  if (v < boundBig(k.min) || v > boundBig(k.max))
    throw new ConfigError(`argument must be between ${boundText(k.min)} and ${boundText(k.max)} inclusive`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) parsedExact = v.toString();
  return n;
}

const DIRECTIVES: readonly Directive[] = [
  { name: 'port', kind: { t: 'int', min: 0, max: 65535 }, def: '6379', mutable: true },
  {
    name: 'bind',
    kind: { t: 'list' },
    def: '127.0.0.1 -::1',
    mutable: true,
    // Redis's CONFIG_BINDADDR_MAX.
    check: (args) => (args.length > 16 ? 'Too many bind addresses specified.' : undefined),
  },
  {
    name: 'dir',
    kind: { t: 'string' },
    def: '.',
    mutable: true,
    protected: true,
    denyLoading: true,
    onSet: changeDir,
  },
  { name: 'requirepass', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'databases', kind: { t: 'int', min: 1, max: INT_MAX }, def: '16', mutable: false },
  {
    name: 'loglevel',
    kind: { t: 'enum', values: ['debug', 'verbose', 'notice', 'warning'] },
    def: 'notice',
    mutable: true,
  },
  { name: 'logfile', kind: { t: 'string' }, def: '', mutable: false },
  { name: 'set-proc-title', kind: { t: 'bool' }, def: 'yes', mutable: false },
  {
    name: 'proc-title-template',
    kind: { t: 'string' },
    def: '{title} {listen-addr} {server-mode}',
    mutable: true,
    // Valid when it expands to something without the title, as Redis checks it (the address and ports are never
    // empty; the server mode and Unix socket are, here).
    check: ([v]) =>
      (expandProcTitle(v!, (n) =>
        n === 'listen-addr' || n === 'port' || n === 'tls-port' ? '0' : n === 'config-file' ? '-' : '',
      ) ?? '') === ''
        ? 'template format is invalid or contains unknown variables'
        : undefined,
  },
  { name: 'pidfile', kind: { t: 'string' }, def: '', mutable: false },
  { name: 'daemonize', kind: { t: 'bool' }, def: 'no', mutable: false },
  { name: 'timeout', kind: { t: 'int', min: 0, max: INT_MAX }, def: '0', mutable: true },
  { name: 'tcp-keepalive', kind: { t: 'int', min: 0, max: INT_MAX }, def: '300', mutable: true },
  { name: 'tcp-backlog', kind: { t: 'int', min: 0, max: INT_MAX }, def: '511', mutable: false },
  { name: 'maxclients', kind: { t: 'int', min: 1, max: UINT_MAX }, def: '10000', mutable: true },
  {
    name: 'proto-max-bulk-len',
    kind: { t: 'memory', min: 1024 * 1024, max: LLONG_MAX },
    def: '536870912',
    mutable: true,
  },
  {
    name: 'client-query-buffer-limit',
    kind: { t: 'memory', min: 1024 * 1024, max: LLONG_MAX },
    def: '1073741824',
    mutable: true,
  },
  { name: 'hz', kind: { t: 'int', min: 0, max: INT_MAX }, def: '10', mutable: true, clamp: [1, 500] },
  { name: 'activerehashing', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'dynamic-hz', kind: { t: 'bool' }, def: 'yes', mutable: true },
  // No effect in Cairn (see ConfigValues): replication, HyperLogLog and stream settings, and jemalloc's.
  { name: 'replica-serve-stale-data', alias: 'slave-serve-stale-data', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'replica-read-only', alias: 'slave-read-only', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'replica-lazy-flush', alias: 'slave-lazy-flush', kind: { t: 'bool' }, def: 'no', mutable: true },
  {
    name: 'replica-priority',
    alias: 'slave-priority',
    kind: { t: 'int', min: 0, max: INT_MAX },
    def: '100',
    mutable: true,
  },
  { name: 'repl-diskless-sync', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'repl-diskless-sync-delay', kind: { t: 'int', min: 0, max: INT_MAX }, def: '5', mutable: true },
  { name: 'repl-diskless-sync-max-replicas', kind: { t: 'int', min: 0, max: INT_MAX }, def: '0', mutable: true },
  {
    name: 'repl-diskless-load',
    kind: { t: 'enum', values: ['disabled', 'on-empty-db', 'swapdb'] },
    def: 'disabled',
    mutable: true,
    denyLoading: true,
  },
  { name: 'repl-disable-tcp-nodelay', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'rdb-del-sync-files', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'hll-sparse-max-bytes', kind: { t: 'memory', min: 0, max: LLONG_MAX }, def: '3000', mutable: true },
  { name: 'stream-node-max-bytes', kind: { t: 'memory', min: 0, max: LLONG_MAX }, def: '4096', mutable: true },
  { name: 'stream-node-max-entries', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '100', mutable: true },
  { name: 'jemalloc-bg-thread', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'active-expire-effort', kind: { t: 'int', min: 1, max: 10 }, def: '1', mutable: true },
  { name: 'slowlog-log-slower-than', kind: { t: 'int', min: -1, max: LLONG_MAX }, def: '10000', mutable: true },
  { name: 'slowlog-max-len', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '128', mutable: true },
  { name: 'tracking-table-max-keys', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '1000000', mutable: true },
  { name: 'latency-monitor-threshold', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '0', mutable: true },
  { name: 'latency-tracking', kind: { t: 'bool' }, def: 'yes', mutable: true },
  {
    name: 'latency-tracking-info-percentiles',
    kind: {
      t: 'composite',
      parse: (w) => parsePercentiles(w),
      format: (v) => (v as number[]).map(formatPercentile).join(' '),
      rewrite: (v) => [{ text: (v as number[]).map(formatPercentile).join(' '), force: false }],
    },
    def: '50 99 99.9',
    mutable: true,
  },
  {
    name: 'oom-score-adj',
    kind: {
      t: 'composite',
      // An enum whose `relative` is another name of `yes` (shown as yes, as Redis shows it).
      parse: (w) => {
        const v = w.length === 1 ? w[0]!.toLowerCase() : '';
        if (v === 'no' || v === 'yes' || v === 'absolute') return v;
        if (v === 'relative') return 'yes';
        throw new ConfigError('argument(s) must be one of the following: no, yes, relative, absolute');
      },
      format: (v) => v as string,
      rewrite: (v) => [{ text: v as string, force: v !== 'no' }],
    },
    def: 'no',
    mutable: true,
  },
  {
    name: 'oom-score-adj-values',
    kind: {
      t: 'composite',
      parse: (w) => {
        if (w.length !== 3) throw new ConfigError('wrong number of arguments');
        return w.map((x) => {
          const n = /^-?\d+$/.test(x) ? Number(x) : NaN;
          if (!(n >= -2000 && n <= 2000))
            throw new ConfigError('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
          return n;
        });
      },
      format: (v) => (v as number[]).join(' '),
      rewrite: (v) => [{ text: (v as number[]).join(' '), force: (v as number[]).join(' ') !== '0 200 800' }],
    },
    def: '0 200 800',
    mutable: true,
  },
  { name: 'shutdown-on-sigint', kind: SHUTDOWN_ON_SIGNAL, def: 'default', mutable: true },
  { name: 'shutdown-on-sigterm', kind: SHUTDOWN_ON_SIGNAL, def: 'default', mutable: true },
  { name: 'enable-debug-command', kind: { t: 'enum', values: ['no', 'yes', 'local'] }, def: 'no', mutable: false },
  { name: 'enable-protected-configs', kind: { t: 'enum', values: ['no', 'yes', 'local'] }, def: 'no', mutable: false },
  { name: 'appendonly', kind: { t: 'bool' }, def: 'no', mutable: true, denyLoading: true },
  { name: 'aof-timestamp-enabled', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'appendfsync', kind: { t: 'enum', values: ['everysec', 'always', 'no'] }, def: 'everysec', mutable: true },
  {
    name: 'appendfilename',
    kind: { t: 'string' },
    def: 'appendonly.aof',
    mutable: false,
    check: ([v]) => checkBaseName('appendfilename', v!, 'filename', true),
  },
  {
    name: 'appenddirname',
    kind: { t: 'string' },
    def: 'appendonlydir',
    mutable: false,
    check: ([v]) => checkBaseName('appenddirname', v!, 'dirname', true),
  },
  {
    name: 'dbfilename',
    kind: { t: 'string' },
    def: 'dump.rdb',
    mutable: true,
    protected: true,
    check: ([v]) => checkBaseName('dbfilename', v!, 'filename', false),
  },
  {
    name: 'save',
    kind: { t: 'list' },
    def: '3600 1 300 100 60 10000',
    mutable: true,
    accumulate: true,
    rawWords: true,
    check: checkSaveParams,
  },
  { name: 'stop-writes-on-bgsave-error', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'aof-load-truncated', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'auto-aof-rewrite-percentage', kind: { t: 'int', min: 0, max: INT_MAX }, def: '100', mutable: true },
  { name: 'auto-aof-rewrite-min-size', kind: { t: 'memory', min: 0, max: LLONG_MAX }, def: '67108864', mutable: true },
  { name: 'db-persistence', kind: { t: 'list' }, def: '', mutable: true, accumulate: true, check: checkDbPersistence },
  {
    name: 'notify-keyspace-events',
    kind: { t: 'flags', parse: parseNotifyFlags, format: formatNotifyFlags, error: NOTIFY_FLAGS_ERROR },
    def: '',
    mutable: true,
  },
  // client-output-buffer-limit (output limits, src/server/output-limits.ts)
  {
    name: 'client-output-buffer-limit',
    kind: {
      t: 'composite',
      parse: (w, cur) => parseObufLimits(w, cur as OutputBufferLimits | undefined),
      format: (v) => formatObufLimits(v as OutputBufferLimits),
      rewrite: (v) => rewriteObufLimits(v as OutputBufferLimits),
    },
    def: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    mutable: true,
  },
  // TLS and protected mode (src/server/tls.ts, src/server/protected.ts)
  { name: 'protected-mode', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'tls-port', kind: { t: 'int', min: 0, max: 65535 }, def: '0', mutable: true },
  { name: 'tls-cert-file', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-key-file', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-key-file-pass', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-dh-params-file', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-ca-cert-file', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-ca-cert-dir', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-auth-clients', kind: { t: 'enum', values: ['no', 'yes', 'optional'] }, def: 'yes', mutable: true },
  { name: 'tls-protocols', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-ciphers', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-ciphersuites', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'tls-prefer-server-ciphers', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'tls-session-caching', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'tls-session-cache-size', kind: { t: 'int', min: 0, max: INT_MAX }, def: '20480', mutable: true },
  { name: 'tls-session-cache-timeout', kind: { t: 'int', min: 0, max: INT_MAX }, def: '300', mutable: true },
  // Users and ACL (src/acl/)
  { name: 'aclfile', kind: { t: 'string' }, def: '', mutable: false },
  { name: 'acllog-max-len', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '128', mutable: true },
  {
    name: 'acl-pubsub-default',
    kind: { t: 'enum', values: ['allchannels', 'resetchannels'] },
    def: 'resetchannels',
    mutable: true,
  },
  // Memory limit and eviction (src/server/memory.ts, src/keyspace/evict.ts)
  { name: 'maxmemory', kind: { t: 'memory', min: 0, max: ULLONG_MAX }, def: '0', mutable: true },
  { name: 'maxmemory-policy', kind: { t: 'enum', values: MAXMEMORY_POLICIES }, def: 'noeviction', mutable: true },
  { name: 'maxmemory-samples', kind: { t: 'int', min: 1, max: INT_MAX }, def: '5', mutable: true },
  { name: 'maxmemory-eviction-tenacity', kind: { t: 'int', min: 0, max: 100 }, def: '10', mutable: true },
  { name: 'lfu-log-factor', kind: { t: 'int', min: 0, max: INT_MAX }, def: '10', mutable: true },
  { name: 'lfu-decay-time', kind: { t: 'int', min: 0, max: INT_MAX }, def: '1', mutable: true },
  // Which deletions Redis frees in a background thread; Cairn's collector frees in the background either way, so
  // they change only INFO lazyfreed_objects (src/keyspace/lazyfree.ts).
  { name: 'lazyfree-lazy-eviction', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-expire', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-server-del', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-user-del', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-user-flush', kind: { t: 'bool' }, def: 'no', mutable: true },
  // Value encodings. Lists are always a quicklist in Redis 7.0: its two list directives only size and compress
  // the quicklist's nodes, which nothing outside the server can observe, so they are kept for CONFIG alone.
  ...(
    [
      ['hash-max-listpack-entries', 'hash-max-ziplist-entries', '512', 'int'],
      ['hash-max-listpack-value', 'hash-max-ziplist-value', '64', 'memory'],
      ['zset-max-listpack-entries', 'zset-max-ziplist-entries', '128', 'int'],
      ['zset-max-listpack-value', 'zset-max-ziplist-value', '64', 'memory'],
      ['set-max-intset-entries', undefined, '512', 'int'],
    ] as const
  ).map(([name, alias, def, t]): Directive => ({
    name,
    ...(alias !== undefined ? { alias } : {}),
    kind: { t, min: 0, max: LLONG_MAX },
    def,
    mutable: true,
  })),
  {
    name: 'list-max-listpack-size',
    alias: 'list-max-ziplist-size',
    kind: { t: 'int', min: -INT_MAX - 1, max: INT_MAX },
    def: '-2',
    mutable: true,
  },
  { name: 'list-compress-depth', kind: { t: 'int', min: 0, max: INT_MAX }, def: '0', mutable: true },
];

const OBUF_CLASSES: readonly OutputBufferClass[] = ['normal', 'replica', 'pubsub'];
const U64_MAX = (1n << 64n) - 1n;
const OBUF_DEFAULTS: OutputBufferLimits = {
  normal: { hard: 0n, soft: 0n, seconds: 0 },
  replica: { hard: 268435456n, soft: 67108864n, seconds: 60 },
  pubsub: { hard: 33554432n, soft: 8388608n, seconds: 60 },
};

/** A byte count as client-output-buffer-limit reads it: digits (maybe none) and a unit; huge values wrap. */
function parseObufBytes(s: string): bigint | undefined {
  const m = /^(\d*)([a-zA-Z]*)$/.exec(s);
  if (!m || m[1]!.length >= 128) return undefined;
  const mul = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (mul === undefined) return undefined;
  let v = m[1] === '' ? 0n : BigInt(m[1]!);
  if (v > U64_MAX) v = U64_MAX;
  return (v * BigInt(mul)) & U64_MAX;
}

/** latency-tracking-info-percentiles: doubles in [0, 100]; one empty word means none. */
function parsePercentiles(words: string[]): number[] {
  const ws = words.length === 1 && words[0] === '' ? [] : words;
  return ws.map((w) => {
    const v = parseDouble(w);
    if (v === undefined) throw new ConfigError('Invalid latency-tracking-info-percentiles parameters');
    if (v > 100 || v < 0) {
      throw new ConfigError('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
    }
    return v;
  });
}

/** client-output-buffer-limit <class> <hard> <soft> <soft-seconds> …: the classes named change, the others stay. */
function parseObufLimits(words: string[], cur: OutputBufferLimits | undefined): OutputBufferLimits {
  const next: OutputBufferLimits = {
    normal: { ...(cur ?? OBUF_DEFAULTS).normal },
    replica: { ...(cur ?? OBUF_DEFAULTS).replica },
    pubsub: { ...(cur ?? OBUF_DEFAULTS).pubsub },
  };
  if (words.length % 4 !== 0) throw new ConfigError('Wrong number of arguments in buffer limit configuration.');
  for (let i = 0; i < words.length; i += 4) {
    const name = words[i]!.toLowerCase();
    const cls: OutputBufferClass | undefined =
      name === 'normal'
        ? 'normal'
        : name === 'slave' || name === 'replica'
          ? 'replica'
          : name === 'pubsub'
            ? 'pubsub'
            : undefined;
    if (cls === undefined) throw new ConfigError('Invalid client class specified in buffer limit configuration.');
    const hard = parseObufBytes(words[i + 1]!);
    const soft = parseObufBytes(words[i + 2]!);
    const secText = words[i + 3]!;
    const seconds = /^[\t\n\v\f\r ]*[+-]?\d+$/.test(secText) ? Number(BigInt(secText.trim())) : -1;
    if (hard === undefined || soft === undefined || seconds < 0 || seconds > INT_MAX)
      throw new ConfigError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    next[cls] = { hard, soft, seconds };
  }
  return next;
}

function formatObufLimits(v: OutputBufferLimits): string {
  const one = (n: string, l: OutputBufferClassLimit): string => `${n} ${l.hard} ${l.soft} ${l.seconds}`;
  return `${one('normal', v.normal)} ${one('slave', v.replica)} ${one('pubsub', v.pubsub)}`;
}

/** A byte count as CONFIG REWRITE writes it: in gb, mb or kb when it divides evenly. */
function rewriteMemory(n: bigint): string {
  if (n === 0n) return '0';
  for (const [unit, size] of [
    ['gb', 1n << 30n],
    ['mb', 1n << 20n],
    ['kb', 1n << 10n],
  ] as const)
    if (n % size === 0n) return `${n / size}${unit}`;
  return String(n);
}

function rewriteObufLimits(v: OutputBufferLimits): { text: string; force: boolean }[] {
  return OBUF_CLASSES.map((cls) => {
    const l = v[cls];
    const d = OBUF_DEFAULTS[cls];
    return {
      text: `${cls} ${rewriteMemory(l.hard)} ${rewriteMemory(l.soft)} ${l.seconds}`,
      force: l.hard !== d.hard || l.soft !== d.soft || l.seconds !== d.seconds,
    };
  });
}

/**
 * File names kept in the data directory must be plain names, as in Redis ('/' and '\\' refused), so that no file is
 * written outside `dir`. Cairn also refuses an appenddirname of '..' (Redis accepts it: the AOF would live in the
 * parent of the data directory).
 */
function checkBaseName(name: string, v: string, what: string, nonEmpty: boolean): string | undefined {
  if (nonEmpty && v === '') return `${name} can't be empty`;
  if (v.includes('/') || v.includes('\\') || (what === 'dirname' && v === '..'))
    return `${name} can't be a path, just a ${what}`;
  return undefined;
}

/**
 * save: pairs of <seconds> <changes>, read as Redis reads them (strtoll: an optional sign and digits, clamped to 64
 * bits; an empty word reads 0), seconds at least 1 and changes at least 0. The words become the numbers' text.
 */
function checkSaveParams(args: string[]): string | undefined {
  if (args.length === 1 && args[0] === '') {
    args.length = 0;
    return undefined;
  }
  if (args.length % 2 !== 0) return 'Invalid save parameters';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a !== '' && !/^[+-]?\d+$/.test(a)) return 'Invalid save parameters';
    let v = a === '' ? 0n : BigInt(a);
    if (v > INT64_MAX) v = INT64_MAX;
    else if (v < INT64_MIN) v = INT64_MIN;
    if (v < (i % 2 === 0 ? 1n : 0n)) return 'Invalid save parameters';
    args[i] = String(v);
  }
  return undefined;
}

/** db-persistence: pairs of <db> <none|no|everysec|always>. */
function checkDbPersistence(args: string[]): string | undefined {
  const bad = 'Invalid db-persistence parameters: expected pairs of <db> <none|no|everysec|always>';
  if (args.length % 2 !== 0) return bad;
  for (let i = 0; i < args.length; i += 2) {
    if (!/^\d{1,9}$/.test(args[i]!)) return bad;
    const p = args[i + 1]!.toLowerCase();
    if (p !== 'none' && p !== 'no' && p !== 'everysec' && p !== 'always') return bad;
    args[i + 1] = p;
  }
  return undefined;
}

const BY_NAME = new Map<string, Directive>();
for (const d of DIRECTIVES) {
  BY_NAME.set(d.name, d);
  if (d.alias) BY_NAME.set(d.alias, d);
}

/** A configuration problem; `message` is the reason as Redis words it. */
export class ConfigError extends Error {}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/**
 * Parses "100", "10mb", "1gb" as redis.conf does, as an unsigned 64-bit number; undefined when malformed. Read as
 * Redis's memtoull reads a C string: up to a NUL byte, then digits (none reads 0, so "" and "kb" are 0; beyond
 * 2^64 − 1 they read as the maximum) and a unit, whose multiplication wraps; no sign (a negative size is "argument
 * must be a memory value").
 */
export function parseMemory(s: string): bigint | undefined {
  const nul = s.indexOf('\0');
  const m = /^(\d*)([a-zA-Z]*)$/.exec(nul >= 0 ? s.slice(0, nul) : s);
  if (!m) return undefined;
  const unit = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  if (m[1] === '') return 0n;
  if (m[1]!.length >= 128) return undefined; // memtoull's digit buffer
  let v = BigInt(m[1]!);
  if (v > UINT64_MAX) v = UINT64_MAX;
  return BigInt.asUintN(64, v * BigInt(unit));
}

function parseValue(d: Directive, args: string[], cur?: unknown): unknown {
  const k = d.kind;
  if (k.t === 'composite') return k.parse(args.length === 1 ? args[0]!.split(' ') : args, cur);
  if (k.t === 'list') {
    if (d.check === undefined) return args;
    const words = d.rawWords ? args.slice() : args.filter((x) => x !== '');
    const err = d.check(words);
    if (err !== undefined) throw new ConfigError(err);
    return words;
  }
  if (args.length !== 1) throw new ConfigError('wrong number of arguments');
  const a = args[0]!;
  parsedExact = undefined;
  switch (k.t) {
    case 'int': {
      // Redis parses with string2ll: no leading zeros, no "-0", and beyond the 64-bit range not an integer at all.
      if (!/^(0|-?[1-9]\d*)$/.test(a) || (a.length > 18 && BigInt.asIntN(64, BigInt(a)) !== BigInt(a)))
        throw new ConfigError("argument couldn't be parsed into an integer");
      const n = inBounds(BigInt(a), k);
      if (d.clamp !== undefined) return Math.min(Math.max(n, d.clamp[0]), d.clamp[1]);
      return n;
    }
    case 'memory': {
      const v = parseMemory(a);
      if (v === undefined) throw new ConfigError('argument must be a memory value');
      return inBounds(v, k);
    }
    case 'bool': {
      const l = a.toLowerCase();
      if (l !== 'yes' && l !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
      return l === 'yes';
    }
    case 'enum': {
      const l = a.toLowerCase();
      if (!k.values.includes(l))
        throw new ConfigError(`argument(s) must be one of the following: ${k.values.join(', ')}`);
      return l;
    }
    case 'string': {
      const err = d.check?.([a]);
      if (err !== undefined) throw new ConfigError(err);
      return a;
    }
    case 'flags': {
      const n = k.parse(a);
      if (n === undefined) throw new ConfigError(k.error);
      return n;
    }
  }
}

/** A directive's value as CONFIG GET and CONFIG REWRITE show it. */
function shown(d: Directive, v: unknown): string {
  if (d.kind.t === 'composite') return d.kind.format(v);
  return d.kind.t === 'flags' ? d.kind.format(v as number) : formatValue(v);
}

function formatValue(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.join(' ');
  return String(v);
}

export class Config {
  values: ConfigValues;
  /** Directives whose integer lies beyond 2^53: their exact text, which CONFIG GET and REWRITE show. */
  private exact = new Map<string, string>();

  private setExact(name: string, text: string | undefined): void {
    if (text === undefined) this.exact.delete(name);
    else this.exact.set(name, text);
  }

  /** A directive's current value as CONFIG GET shows it. */
  private shownNow(d: Directive): string {
    return this.exact.get(d.name) ?? shown(d, this.values[d.name]);
  }
  /** The absolute path of the config file the server was started with (CONFIG REWRITE writes it). */
  configFile?: string;
  /** Called after a directive's value changes at runtime, so the server can apply it. */
  onChange: (name: keyof ConfigValues) => void = () => {};
  /**
   * Run by CONFIG SET with the new values in place, before any onChange: a check that finds the new settings
   * unusable (TLS certificates that do not load…) names the directive and the error, and the whole CONFIG SET is
   * undone. Checks only validate (and may prepare); applying is onChange's job.
   */
  applyChecks: ((changed: (keyof ConfigValues)[]) => { name: keyof ConfigValues; error: string } | undefined)[] = [];
  /**
   * Run by CONFIG SET after every check passed, before any onChange: an action applies the new values where doing
   * so can still fail (binding a port). One that fails must leave things as they were; the values are then
   * restored, the actions before it run again to go back to them, and the whole CONFIG SET fails with its error.
   */
  applyActions: ((changed: (keyof ConfigValues)[]) => { name: keyof ConfigValues; error: string } | undefined)[] = [];
  /** Accumulating directives already set from the config file or options (later lines add to them). */
  private accumulated = new Set<string>();

  constructor() {
    const v: Record<string, unknown> = {};
    for (const d of DIRECTIVES)
      v[d.name] = parseValue(
        d,
        d.kind.t === 'list' || d.kind.t === 'composite'
          ? d.def.split(' ').filter((x) => x !== '' || !d.check)
          : [d.def],
      );
    // A copy by spread has fast (non-dictionary) properties: the dispatcher reads some values per command.
    this.values = { ...v } as unknown as ConfigValues;
  }

  static isKnown(name: string): boolean {
    return BY_NAME.has(name.toLowerCase());
  }

  /** `user <name> <rules…>` lines of the config file, in order (the ACL layer applies them at startup). */
  userLines: string[][] = [];

  /**
   * CONFIG REWRITE's `user` lines, set by the ACL layer: every user in name order when no aclfile is configured,
   * none (the file's user lines are dropped) when there is one. Unset: the file's user lines are kept as they are.
   */
  rewriteUsers: (() => string[]) | undefined;

  /** Sets a directive from the config file or the command line. Throws ConfigError. */
  setFromFile(name: string, args: string[]): void {
    if (name.toLowerCase() === 'user') {
      if (args.length < 1) throw new ConfigError('Bad directive or wrong number of arguments');
      this.userLines.push(args);
      return;
    }
    const d = BY_NAME.get(name.toLowerCase());
    if (!d) throw new ConfigError('Bad directive or wrong number of arguments');
    // A directive of several words given as one argument (`--save "900 1 300 10"`, `bind "127.0.0.1 ::1"`) is
    // split as a config line is, as Redis does; unbalanced quotes leave no words.
    if ((d.kind.t === 'list' || d.kind.t === 'composite') && args.length === 1 && args[0] !== '')
      args = splitArgs(args[0]!) ?? [];
    if (d.kind.t !== 'list' && d.kind.t !== 'composite' && args.length !== 1)
      throw new ConfigError('wrong number of arguments');
    const values = this.values as unknown as Record<string, unknown>;
    const v = parseValue(d, args, values[d.name]);
    this.setExact(d.name, d.kind.t === 'int' || d.kind.t === 'memory' ? parsedExact : undefined);
    // Lines of an accumulating directive add up; an empty one (`save ""`) clears what came before, as in Redis.
    if (d.accumulate && this.accumulated.has(d.name) && (v as string[]).length > 0)
      values[d.name] = [...(values[d.name] as string[]), ...(v as string[])];
    else values[d.name] = v;
    if (d.accumulate) this.accumulated.add(d.name);
  }

  /** Applies the text of a config file; lines are redis.conf syntax. Throws with Redis's report on error. */
  loadText(text: string, origin = 'the configuration file'): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.trim();
      if (raw === '' || raw.startsWith('#')) continue;
      const args = splitArgs(raw);
      if (args === undefined) throw fatal(i + 1, raw, 'Unbalanced quotes in configuration line', origin);
      if (args.length === 0) continue;
      const [name, ...rest] = args;
      try {
        this.setFromFile(name!, rest);
      } catch (e) {
        throw fatal(i + 1, raw, (e as Error).message, origin);
      }
    }
  }

  /** CONFIG GET: pairs of [name, value] for every directive matching any pattern. */
  get(patterns: string[]): [string, string][] {
    // Keyed by the name in lower case: a parameter is answered once, under the first spelling that found it.
    const out = new Map<string, [string, string]>();
    for (const p of patterns) {
      const lp = p.toLowerCase();
      if (!/[*?[]/.test(p)) {
        // A plain name is looked up directly and answered under the name as it was asked.
        const d = BY_NAME.get(lp);
        if (d !== undefined && !out.has(lp)) out.set(lp, [p, this.shownNow(d)]);
        continue;
      }
      for (const d of DIRECTIVES) {
        for (const n of d.alias ? [d.name, d.alias] : [d.name]) {
          if (!out.has(n) && globMatch(lp, n, true)) out.set(n, [n, this.shownNow(d)]);
        }
      }
    }
    return [...out.values()];
  }

  /**
   * CONFIG SET with several pairs, all or nothing. Returns an error message (after "ERR "), LOADING_REFUSED, or
   * undefined. `protectedAllowed` says whether this client may change protected directives; `loading` whether the
   * dataset is loading (directives marked denyLoading are then refused).
   */
  set(pairs: [string, string][], protectedAllowed: boolean, loading = false): string | undefined {
    // Every name is checked before any value, as Redis does: an unknown name (the first one, unless another name
    // failed before it), then immutable, protected and duplicate names, with the name as it was given.
    const seen = new Set<string>();
    let unknown: string | undefined;
    let refused: string | undefined;
    let deniedWhileLoading = false;
    for (const [name] of pairs) {
      const given = name.toLowerCase();
      const d = BY_NAME.get(given);
      if (!d) {
        if (unknown === undefined && refused === undefined) unknown = name;
        continue;
      }
      if (unknown !== undefined || refused !== undefined) continue;
      const why = !d.mutable
        ? "can't set immutable config"
        : d.protected && !protectedAllowed
          ? "can't set protected config"
          : seen.has(given) // a name and its alias are two parameters (the later one wins)
            ? 'duplicate parameter'
            : undefined;
      if (why !== undefined) refused = `CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
      // As in Redis, LOADING wins over any error found after it, and loses to any found before it.
      else if (loading && d.denyLoading === true && !seen.has(given)) deniedWhileLoading = true;
      seen.add(given);
      if (deniedWhileLoading) break;
    }
    if (deniedWhileLoading) return LOADING_REFUSED;
    if (unknown !== undefined) return `Unknown option or number of arguments for CONFIG SET - '${unknown}'`;
    if (refused !== undefined) return refused;
    const parsed: [Directive, unknown][] = [];
    const exacts: (string | undefined)[] = [];
    for (const [name, value] of pairs) {
      // A value that does not parse names the parameter as Redis spells it (lower case).
      const given = name.toLowerCase();
      const d = BY_NAME.get(given)!;
      try {
        const args =
          d.kind.t === 'list'
            ? d.rawWords
              ? value === ''
                ? []
                : value.split(' ')
              : value.split(' ').filter((x) => x)
            : d.kind.t === 'composite'
              ? value === ''
                ? []
                : value.split(' ')
              : [value];
        const cur = (this.values as unknown as Record<string, unknown>)[d.name];
        const v = parseValue(d, args, cur);
        parsed.push([d, d.onSet ? d.onSet(v as string, cur as string) : v]);
        exacts.push(d.kind.t === 'int' || d.kind.t === 'memory' ? parsedExact : undefined);
      } catch (e) {
        return `CONFIG SET failed (possibly related to argument '${given}') - ${(e as Error).message}`;
      }
    }
    const values = this.values as unknown as Record<string, unknown>;
    const before = parsed.map(([d]) => values[d.name]);
    const exactBefore = parsed.map(([d]) => this.exact.get(d.name));
    parsed.forEach(([d, v], i) => {
      values[d.name] = v;
      this.setExact(d.name, exacts[i]);
    });
    const changed = parsed.map(([d]) => d.name);
    const restore = (): void =>
      parsed.forEach(([d], i) => {
        values[d.name] = before[i];
        this.setExact(d.name, exactBefore[i]);
      });
    // An error found while applying names the directive as Redis spells it, however it was asked for.
    const failed = (bad: { name: keyof ConfigValues; error: string }): string =>
      `CONFIG SET failed (possibly related to argument '${bad.name}') - ${bad.error}`;
    for (const check of this.applyChecks) {
      const bad = check(changed);
      if (bad === undefined) continue;
      restore();
      return failed(bad);
    }
    for (let i = 0; i < this.applyActions.length; i++) {
      const bad = this.applyActions[i]!(changed);
      if (bad === undefined) continue;
      // As Redis restores its backup: the old values back, and the actions that applied the new ones run again.
      restore();
      for (let j = 0; j < i; j++) this.applyActions[j]!(changed);
      return failed(bad);
    }
    for (const [d] of parsed) this.onChange(d.name);
    return undefined;
  }

  /**
   * CONFIG REWRITE: the config file's text with every known directive's line replaced by its current value (later
   * duplicates dropped), comments and unknown lines kept, and directives that differ from their defaults but were
   * not in the file appended under a marker line.
   */
  rewriteText(old: string): string {
    const marker = '# Generated by CONFIG REWRITE';
    const lines = old === '' ? [] : old.replace(/\n$/, '').split('\n');
    const out: string[] = [];
    const done = new Set<string>();
    // Directives written as several lines: the file's lines are replaced in order, the rest appended if forced.
    const multi = new Map<string, { text: string; force: boolean }[]>();
    // `user` lines replace the file's user lines in order; the rest are appended (as Redis does).
    const users = this.rewriteUsers?.();
    let nextUser = 0;
    // The marker stays where it is (lines after it are rewritten in place); new lines go at the end, as in Redis.
    let hasMarker = false;
    for (const raw of lines) {
      if (raw.trim() === marker) {
        if (!hasMarker) out.push(marker);
        hasMarker = true;
        continue;
      }
      const args = raw.trim().startsWith('#') ? undefined : splitArgs(raw.trim());
      if (users !== undefined && args !== undefined && args.length > 0 && args[0]!.toLowerCase() === 'user') {
        if (nextUser < users.length) out.push(users[nextUser++]!);
        continue;
      }
      const d = args && args.length > 0 ? BY_NAME.get(args[0]!.toLowerCase()) : undefined;
      if (d === undefined) {
        out.push(raw);
        continue;
      }
      if (d.kind.t === 'composite') {
        let q = multi.get(d.name);
        if (q === undefined) multi.set(d.name, (q = d.kind.rewrite(this.values[d.name])));
        const next = q.shift();
        if (next !== undefined) out.push(`${d.name} ${next.text}`);
        continue;
      }
      if (done.has(d.name)) continue;
      done.add(d.name);
      out.push(`${d.name} ${quoteConfigArg(this.shownNow(d), d.kind.t === 'list')}`);
    }
    const fresh = new Config();
    const extra: string[] = [];
    for (const d of DIRECTIVES) {
      if (d.kind.t === 'composite') {
        const q = multi.get(d.name) ?? d.kind.rewrite(this.values[d.name]);
        for (const l of q) if (l.force) extra.push(`${d.name} ${l.text}`);
        continue;
      }
      if (done.has(d.name)) continue;
      const cur = this.shownNow(d);
      if (cur !== shown(d, fresh.values[d.name])) extra.push(`${d.name} ${quoteConfigArg(cur, d.kind.t === 'list')}`);
    }
    if (users !== undefined) extra.push(...users.slice(nextUser));
    while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
    if (extra.length > 0) out.push(...(hasMarker ? [] : [marker]), ...extra);
    return out.length > 0 ? out.join('\n') + '\n' : '';
  }

  /** The current settings as redis.conf lines (CONFIG REWRITE), for directives that differ from defaults. */
  rewriteLines(): string[] {
    const fresh = new Config();
    const out: string[] = [];
    for (const d of DIRECTIVES) {
      if (d.kind.t === 'composite') {
        for (const l of d.kind.rewrite(this.values[d.name])) if (l.force) out.push(`${d.name} ${l.text}`);
        continue;
      }
      const cur = this.shownNow(d);
      if (cur !== shown(d, fresh.values[d.name])) out.push(`${d.name} ${quoteConfigArg(cur, d.kind.t === 'list')}`);
    }
    return out;
  }
}

function quoteConfigArg(v: string, list: boolean): string {
  // An empty list is written `save ""`, as Redis writes it (a bare `save` is a syntax error to redis-server).
  if (list) return v === '' ? '""' : v;
  if (/[\x00-\x1f\x7f]/.test(v)) return quoteEscaped(v);
  if (v === '' || /[\s"'\\]/.test(v)) return '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  return v;
}

/** A value with control bytes, quoted with C escapes (as Redis's sdscatrepr), so no line break leaks into the file. */
function quoteEscaped(v: string): string {
  let s = '"';
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    if (ch === 0x5c || ch === 0x22) s += '\\' + v[i];
    else if (ch === 0x0a) s += '\\n';
    else if (ch === 0x0d) s += '\\r';
    else if (ch === 0x09) s += '\\t';
    else if (ch === 0x07) s += '\\a';
    else if (ch === 0x08) s += '\\b';
    else if (ch < 0x20 || ch === 0x7f) s += '\\x' + ch.toString(16).padStart(2, '0');
    else s += v[i];
  }
  return s + '"';
}

function fatal(line: number, text: string, reason: string, origin: string): ConfigError {
  return new ConfigError(
    `\n*** FATAL CONFIG FILE ERROR (Cairn) ***\nReading ${origin}, at line ${line}\n>>> '${text}'\n${reason}`,
  );
}

/**
 * Turns redis-server style arguments into config text, as redis-server 7.0 does: an optional config file path
 * first (an argument not starting with "-"), then the options, each "--name" starting a new line. The words after
 * it are its values, quoted as Redis quotes them (sdscatrepr), and an argument that starts with "--" right after
 * a bare name is a value too (`--requirepass --secret`); a name given with its values in one argument
 * (`"--maxmemory 700mb"`) is taken as written, and so is complete. A word before any option starts a line of its
 * own (`loglevel verbose` reads as that directive). `--save` followed by another option or by nothing means
 * `save ""`. A bare "--" names an empty option, a blank line.
 */
export function argsToConfigText(argv: string[]): { file?: string; stdin: boolean; text: string } {
  let i = 0;
  let file: string | undefined;
  let stdin = false;
  if (argv.length > 0 && !argv[0]!.startsWith('-')) {
    file = argv[0];
    i = 1;
  }
  let text = '';
  let complete = true;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    // A lone "-" first or last: configuration is also read from standard input (after the file, before options).
    if (a === '-' && (i === 0 || i === argv.length - 1)) {
      stdin = true;
      continue;
    }
    if (complete && a.startsWith('--')) {
      if (text.length > 0) text += '\n';
      text += a.slice(2) + ' ';
      complete = splitArgs(a)?.length !== 1;
      if (!complete && a.toLowerCase() === '--save') {
        const last = i === argv.length - 1;
        if (last || argv[i + 1]!.startsWith('--')) {
          text += '""';
          complete = !last;
        }
      }
    } else {
      text += quoteEscaped(a) + ' ';
      complete = true;
    }
  }
  return { file, stdin, text };
}
