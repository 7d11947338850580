// The server: owns the keyspace, the clients and the command table, and runs each command through one dispatcher.

import v8 from 'node:v8';
import type { Socket } from 'node:net';
import { textOf } from '../types/big-string.js';
import { performance } from 'node:perf_hooks';
import { PENDING_MAX, ReplyTooLarge } from '../protocol/reply-writer.js';
import type { ParserLimits } from '../protocol/request-parser.js';
import { applyEncodingLimits, useEncodingLimits } from '../types/encoding-limits.js';
import { Config } from '../config.js';
import { Err, ReplyError } from '../errors.js';
import { Keyspace, type Database, type Key } from '../keyspace/db.js';
import { EffectStream } from '../persistence/effects.js';
import { Persistence } from '../persistence/manager.js';
import { CommandTable, type CommandEntry } from '../commands/registry.js';
import { LatencyHistogram } from './latency-stats.js';
import { allCommandFamilies } from '../commands/index.js';
import { watchTouched } from '../commands/transaction.js';
import { Client } from './client.js';
import { Log, type LogLevel } from './log.js';
import { SlowLog, LatencyMonitor, InstantaneousMetric, redactedArgv } from './slowlog.js';
import { ActiveExpire } from '../keyspace/expire.js';
import { installNotifications } from '../keyspace/notify.js';
import { Blocking } from './blocking.js';
import { PubSub } from './pubsub.js';
import { Tracking } from './tracking.js';
import { Pause } from './pause.js';
import { Acl } from '../acl/acl.js';
import { isLocalSocket } from './protected.js';
import { OutputLimits } from './output-limits.js';
import { MemoryLimit } from './memory.js';
import { fitMaxclients } from './open-files.js';
import { installOomScoreAdj } from './oom-score.js';

export const CAIRN_VERSION = '0.1.0';
/** The Redis version Cairn reports to clients, whose behaviour it follows. */
export const REDIS_COMPAT_VERSION = '7.0.15';

export interface ServerStats {
  startTime: number;
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  protocolErrors: number;
  totalErrorReplies: number;
  errorsByPrefix: Map<string, number>;
  netInput: number;
  netOutput: number;
  authFailures: number;
  /** Socket reads and reply writes (INFO total_reads_processed, total_writes_processed). */
  readsProcessed: number;
  writesProcessed: number;
  /** Errors from commands no client sent: the AOF's, at load (INFO unexpected_error_replies). */
  unexpectedErrorReplies: number;
}

/** What SHUTDOWN asked for. */
export interface ShutdownOptions {
  save?: boolean;
  nosave?: boolean;
  now?: boolean;
  force?: boolean;
}

/** Turns in a row a client must have alone before its replies skip the deferred flush (Server.deferFlush). */
const LONE_TURNS = 16;

/** Commands allowed inside MULTI without being queued. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** The only commands a RESP2 client in subscribed mode may run. */
const SUBSCRIBED_ALLOWED = new Set([
  'ping',
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'quit',
  'reset',
]);

export class Server {
  readonly config: Config;
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly effects = new EffectStream();
  readonly clients = new Map<number, Client>();
  readonly log: (level: LogLevel, msg: string) => void;
  readonly logger: Log;
  readonly slowlog: SlowLog;
  readonly latency = new LatencyMonitor();
  readonly activeExpire: ActiveExpire;
  stats: ServerStats = Server.freshStats();
  /** Unix seconds of the last successful save (LASTSAVE); start time until persistence says otherwise. */
  lastSave = Math.floor(Date.now() / 1000);
  /** Clients that have output waiting, flushed together at the end of this turn. */
  private pendingFlush = new Set<Client>();
  private flushQueued = false;
  /** Clients whose replies wait for the end of the event loop's read phase (see `deferFlush`). */
  private deferred: Client[] = [];
  private deferQueued = false;
  /** The client that alone had replies in each of the latest `loneTurns` deferred flushes (see `deferFlush`). */
  private loneClient: Client | null = null;
  private loneTurns = 0;
  private clientIdSeq = 0;
  /** Hooks that run when the server shuts down (listeners, timers, persistence). */
  private shutdownHooks: (() => Promise<void> | void)[] = [];
  /** Called by SHUTDOWN (with its options); the embedding layer sets what actually happens. */
  onShutdownRequest: (opts?: ShutdownOptions) => void = () => {};
  /**
   * Where Redis would stop the process after a fatal inconsistency (DEBUG RELOAD NOFLUSH meeting a key twice): the
   * `cairn` program exits; an embedded server closes itself without saving, and the process that embeds it goes on.
   */
  onFatal: () => void = () => {};
  /** Instantaneous rates for INFO stats, sampled every 100 ms while the server runs. */
  readonly metrics = {
    commands: new InstantaneousMetric(),
    netInput: new InstantaneousMetric(),
    netOutput: new InstantaneousMetric(),
  };
  private metricsTimer: NodeJS.Timeout | undefined;
  /** V8's used heap when the server was made, before any data was loaded (INFO's used_memory_startup). */
  readonly startupMemory = v8.getHeapStatistics().used_heap_size;
  /**
   * What the process held beyond its heap's resident pages when the server was made: Node's code and libraries,
   * its own buffers (about 40 MB). Redis's process has next to none, so MEMORY DOCTOR leaves it out.
   */
  readonly runtimeRss = process.memoryUsage().rss - v8.getHeapStatistics().total_physical_size;
  /** INFO sections provided by other layers (e.g. persistence), replacing Cairn's default fields for that name. */
  readonly infoProviders = new Map<string, () => Record<string, string | number>>();
  /** Hooks run by CONFIG RESETSTAT, for counters kept outside the server's stats. */
  statsResetHooks: (() => void)[] = [];
  /** Runs before each call of a write command; may throw a ReplyError to refuse it (OOM, MISCONF…). */
  writeGuards: ((c: Client, cmd: CommandEntry) => void)[] = [];
  /** The TCP ports the server listens on (filled in by the listener). */
  ports: number[] = [];
  readonly runId: string;
  loading = false;
  /**
   * Group commit: when set, a client's `flush` asks it first; true means the replies must wait (their effects are
   * not fsynced yet) and the gate will flush the client itself later.
   */
  outputGate: ((c: Client) => boolean) | null = null;
  /** Loading, the AOF, snapshots; `persistence.info()` gives INFO's Persistence fields. */
  readonly persistence: Persistence;
  /** Clients blocked on keys (BLPOP, BZPOPMIN …); see src/server/blocking.ts. */
  readonly blocking: Blocking;
  /** Nesting depth of `call` (0 between execution units; above 1 inside EXEC or a script). */
  callDepth = 0;
  /** Channel, pattern and shard-channel subscriptions; `pubsub.publish(channel, message)` delivers messages. */
  readonly pubsub: PubSub;
  /** The client whose running command has its replies silenced (CLIENT REPLY OFF/SKIP), if any. */
  silencedClient: Client | null = null;
  /** Push frames written to `silencedClient` while it runs: they survive the silencing (Redis's CLIENT_PUSHING). */
  keptPushes: Buffer[] = [];
  /** Hooks told when a client's transaction ends (EXEC, DISCARD, EXEC refused): WATCH forgets its keys. */
  transactionEndHooks: ((c: Client) => void)[] = [];
  /** Client-side caching (CLIENT TRACKING): remembered keys and invalidation messages; see src/server/tracking.ts. */
  readonly tracking: Tracking;
  /** CLIENT PAUSE / UNPAUSE: clients held by a pause; see src/server/pause.ts. */
  readonly pause: Pause;
  /** client-output-buffer-limit enforcement; see src/server/output-limits.ts. */
  readonly outputLimits: OutputLimits;
  /** The request size limits every client's parser reads, updated in place by CONFIG SET. */
  readonly parserLimits: ParserLimits;
  /** used_memory, maxmemory and eviction; see src/server/memory.ts. */
  readonly memory: MemoryLimit;
  /** Users, permissions, the ACL LOG and the ACL file; see src/acl/acl.ts. */
  readonly acl: Acl;

  constructor(config: Config) {
    this.config = config;
    this.logger = new Log(config);
    this.log = (level, msg) => this.logger.write(level, msg);
    this.keyspace = new Keyspace(config.values.databases);
    this.commands = new CommandTable(allCommandFamilies);
    this.slowlog = new SlowLog(config);
    this.activeExpire = new ActiveExpire(this);
    installNotifications(this);
    this.runId = randomHex(40);
    this.keyspace.onExpired((db, key) => this.propagateDeletion(db, key));
    this.persistence = new Persistence(this);
    this.blocking = new Blocking(this);
    this.pubsub = new PubSub(this);
    this.tracking = new Tracking(this);
    this.pause = new Pause(this);
    this.outputLimits = new OutputLimits(this);
    this.memory = new MemoryLimit(this);
    applyEncodingLimits(config.values, this);
    this.applyLazyfree();
    this.parserLimits = { maxBulkLen: config.values['proto-max-bulk-len'], maxMultibulkLen: 2147483647 };
    const prevOnChange = config.onChange;
    config.onChange = (name) => {
      prevOnChange(name);
      if (name === 'proto-max-bulk-len') this.parserLimits.maxBulkLen = config.values['proto-max-bulk-len'];
      if (
        name === 'hash-max-listpack-entries' ||
        name === 'hash-max-listpack-value' ||
        name === 'zset-max-listpack-entries' ||
        name === 'zset-max-listpack-value' ||
        name === 'set-max-intset-entries' ||
        name === 'list-max-listpack-size'
      )
        applyEncodingLimits(config.values, this);
      if (name.startsWith('lazyfree-lazy-')) this.applyLazyfree();
    };
    this.acl = new Acl(this);
    fitMaxclients(this);
    installOomScoreAdj(this);
    this.keyspace.expiryPaused = () => this.pause.active;
  }

  static freshStats(): ServerStats {
    return {
      startTime: Date.now(),
      connectionsReceived: 0,
      commandsProcessed: 0,
      rejectedConnections: 0,
      protocolErrors: 0,
      totalErrorReplies: 0,
      errorsByPrefix: new Map(),
      netInput: 0,
      netOutput: 0,
      authFailures: 0,
      readsProcessed: 0,
      writesProcessed: 0,
      unexpectedErrorReplies: 0,
    };
  }

  nextClientId(): number {
    return ++this.clientIdSeq;
  }

  /** Whether clients must authenticate: the default user has a password (requirepass) or is off. */
  authRequired(): boolean {
    return this.acl.authRequired();
  }

  /** Registers a client created by a listener. */
  addClient(c: Client): void {
    this.clients.set(c.id, c);
    this.stats.connectionsReceived++;
  }

  /** A client made for in-process use (tests, HTTP): no socket, replies collected from its output buffer. */
  createLocalClient(): Client {
    const c = new Client(this, null);
    this.clients.set(c.id, c);
    return c;
  }

  /** Closes a client's connection and forgets it. */
  closeClient(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.clients.delete(c.id);
    this.pendingFlush.delete(c);
    if (this.loneClient === c) this.loneClient = null;
    for (const h of this.clientCloseHooks) h(c);
    // Closed as Redis closes a client's descriptor: what is pending still goes out, then the socket is gone in
    // both directions. A peer that keeps sending (after a protocol error, say) meets a reset instead of a
    // half-open socket that swallows its bytes.
    if (c.sock) c.sock.destroySoon();
  }

  /** Hooks told when a client goes away (blocking waiters, subscriptions, MONITOR). */
  clientCloseHooks: ((c: Client) => void)[] = [(c) => this.monitors.delete(c)];
  /** Hooks told when a client runs RESET (subscriptions, tracking, WATCH). */
  clientResetHooks: ((c: Client) => void)[] = [];
  /** Counts a client's channel and pattern subscriptions (RESP2 subscribed mode); the pub/sub layer sets it. */
  pubsubCount: (c: Client) => number = () => 0;
  /** Clients with subscriptions (some may have none left); empty means no client is in subscribed mode. */
  pubsubClients: ReadonlyMap<Client, unknown> = new Map();
  /** A client's subscriptions by kind, for CLIENT LIST (sub, psub, ssub); the pub/sub layer sets it. */
  pubsubDetail: (c: Client) => { channels: number; patterns: number; shardChannels: number } = () => ({
    channels: 0,
    patterns: 0,
    shardChannels: 0,
  });
  /** Whether an ACL user of this name exists (CLIENT KILL USER); the ACL layer replaces it. */
  userExists: (name: string) => boolean = (name) => name === 'default';
  /**
   * Whether the default user needs a password (is not `nopass`): protected mode refuses non-loopback clients when
   * it does not. Answers from `requirepass` until the ACL layer replaces it.
   */
  defaultUserHasPassword: () => boolean = () => this.config.values.requirepass !== '';

  /** RESET: the connection goes back to its state right after connecting. */
  resetClient(c: Client): void {
    c.multi = null;
    c.db = this.keyspace.dbs[0]!;
    c.setProtocol(2);
    c.name = '';
    // As Redis's RESET: reply mode on and a pending SKIP dropped, but a SKIP already silencing this command stays;
    // CLIENT NO-EVICT is kept.
    c.replyMode = 'on';
    c.skipPending = false;
    if (c.monitor) {
      c.monitor = false;
      this.monitors.delete(c);
    }
    c.user = 'default';
    c.authenticated = !this.authRequired();
    for (const h of this.clientResetHooks) h(c);
  }

  /**
   * Writes `c`'s replies once the event loop has read every connection that was ready, instead of right after its
   * own requests ran, as Redis writes its clients' pending replies before it sleeps. Writing to a socket wakes
   * the process reading it; written one by one, the replies to a client process with many connections (a
   * benchmark, a connection pool) wake it again and again, each time after it went back to sleep while the next
   * connection's requests ran. Written together, the first write wakes it and the others find it awake. On a
   * virtual machine a wake-up costs an interrupt: at `-P 16` this was most of the server's kernel time beyond
   * Redis's (README, Measured).
   *
   * A client that had the turn to itself LONE_TURNS turns in a row (one connection carrying an application's
   * commands, as most Node clients use) has nothing to wait for: its replies are written at once, which spares the
   * event loop a pass through its immediate queue per request (~3% of the server's CPU per request at `-c 1`). The
   * first request from another client ends that, and the turns are counted again.
   */
  deferFlush(c: Client): void {
    if (c.flushDeferred) return;
    if (c === this.loneClient && this.loneTurns >= LONE_TURNS && !this.deferQueued) {
      c.flush();
      return;
    }
    if (c !== this.loneClient) this.loneTurns = 0;
    c.flushDeferred = true;
    this.deferred.push(c);
    if (!this.deferQueued) {
      this.deferQueued = true;
      setImmediate(this.flushDeferred);
    }
  }

  private readonly flushDeferred = (): void => {
    this.deferQueued = false;
    const list = this.deferred;
    this.deferred = [];
    if (list.length === 1 && list[0] === this.loneClient) this.loneTurns++;
    else {
      this.loneClient = list.length === 1 ? list[0]! : null;
      this.loneTurns = list.length === 1 ? 1 : 0;
    }
    for (const c of list) {
      c.flushDeferred = false;
      c.flush();
    }
  };

  scheduleFlush(c: Client): void {
    this.pendingFlush.add(c);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flushAll());
    }
  }

  private flushAll(): void {
    this.flushQueued = false;
    const list = [...this.pendingFlush];
    this.pendingFlush.clear();
    for (const c of list) c.flush();
  }

  /**
   * A `performance.now()` reading the next `call` may take as its start instead of reading the clock again
   * (clock reads cost ~100 ns here): set by `Client.processInput` to the end of the previous command of the
   * same batch, so a pipeline of N commands reads the clock N + 1 times. -1 when there is none.
   */
  clockHint = -1;
  /** The `performance.now()` reading at the end of the latest `call`. */
  lastCallEnd = -1;

  /** The dispatcher: lookup → arity → auth → MULTI → guards → queue or call. */
  execute(c: Client, argv: string[]): void {
    this.dispatch(c, argv);
    // CLIENT REPLY SKIP silences the next command the client sends, as Redis moves its flag on once a command has
    // been processed (not while it is blocked or held): a SKIP run inside EXEC silences the command after EXEC.
    if ((c.skipNext || c.skipPending) && !c.blocked) c.endSkip();
  }

  private dispatch(c: Client, argv: string[]): void {
    let cmd = c.entryFor(argv[0]!);
    if (cmd === undefined) {
      const lname = argv[0]!.toLowerCase();
      if (lname === 'post' || lname === 'host:') {
        // An HTTP request sent to the RESP port: close at once, so browsers cannot be used to attack us.
        this.log(
          'warning',
          'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Cairn. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Cairn instance. Connection aborted.',
        );
        c.out.discard();
        c.closeAfterReply = true;
        return;
      }
      c.lastCommand = 'NULL';
      this.reject(c, undefined, Err.unknownCommand(argv[0]!, argv.slice(1)));
      return;
    }
    if (cmd.subcommands !== undefined && argv.length >= 2) {
      const sub = cmd.subcommands.get(argv[1]!.toLowerCase());
      if (sub === undefined) {
        c.lastCommand = 'NULL';
        this.reject(c, undefined, Err.unknownSubcommand(argv[1]!, cmd.spec.name));
        return;
      }
      cmd = sub;
    }
    // CLIENT LIST's cmd= is the command looked up, as Redis records it: also when it is then refused or queued.
    c.lastCommand = cmd.fullName;
    const arity = cmd.spec.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.reject(c, cmd, Err.wrongArgs(cmd.fullName), argv);
      return;
    }
    if (cmd.protected && !this.protectedAllowed(c)) {
      this.reject(c, cmd, Err.debugDisabled, argv);
      return;
    }
    if (!c.authenticated && !cmd.noAuth && this.acl.authRequired()) {
      this.reject(c, cmd, Err.noAuth, argv);
      return;
    }
    if (c.multi !== null && cmd.noMulti) {
      this.reject(c, cmd, Err.notInMulti, argv);
      return;
    }
    const denied = this.acl.checkCommand(c, cmd, argv);
    if (denied !== undefined) {
      this.reject(c, cmd, denied, argv);
      return;
    }
    const oom = this.memory.check(c, cmd, argv);
    if (oom !== undefined) {
      this.reject(c, cmd, oom, argv);
      return;
    }
    if (this.tracking.clientCount > 0) this.tracking.limitTable(c);
    if (
      c.proto === 2 &&
      this.pubsubClients.size > 0 &&
      !SUBSCRIBED_ALLOWED.has(cmd.fullName) &&
      this.pubsubCount(c) > 0
    ) {
      this.reject(c, cmd, Err.subscribedContext(cmd.fullName), argv);
      return;
    }
    // A MONITOR connection is a replica to Redis: it may not read or write the keyspace, nor publish.
    if (c.monitor && cmd.touchesKeyspace) {
      this.reject(c, cmd, "ERR Replica can't interact with the keyspace", argv);
      return;
    }
    if (this.loading && !cmd.allowedWhileLoading) {
      this.reject(c, cmd, Err.loading, argv);
      return;
    }
    if (this.pause.mustHold(c, cmd)) {
      this.pause.hold(c, cmd, argv);
      return;
    }
    if (c.multi !== null && !MULTI_IMMEDIATE.has(cmd.fullName)) {
      // A transaction already doomed (an error while queuing, a watched key touched) keeps nothing more: EXEC will
      // run none of it, and CLIENT LIST's multi= counts what Redis keeps.
      if (!c.multi.failed && !watchTouched(c)) c.multi.queue.push({ cmd, argv });
      if (c.replyMode === 'on' && !c.skipNext) c.w.simple('QUEUED');
      return;
    }
    this.call(c, cmd, argv);
  }

  /**
   * Replies with an error from the generic checks; inside MULTI it also dooms the transaction. A refused EXEC
   * ends the transaction (and any WATCH) with an EXECABORT naming the reason, and is still shown to MONITORs.
   */
  private reject(c: Client, cmd: CommandEntry | undefined, msg: string, argv?: string[]): void {
    if (cmd) cmd.stats.rejected++;
    if (c.multi !== null) c.multi.failed = true;
    if (cmd !== undefined && cmd.fullName === 'exec') {
      this.endTransaction(c);
      msg = 'EXECABORT Transaction discarded because of: ' + (msg.startsWith('ERR ') ? msg.slice(4) : msg);
      if (argv !== undefined && this.monitors.size > 0) this.feedMonitors(c, c.db.id, argv);
    }
    if (c.replyMode !== 'on' || c.skipNext) {
      // CLIENT REPLY OFF/SKIP silences errors too (the error still counts in the stats).
      const mark = c.out.mark();
      this.replyError(c, msg);
      c.out.takeBack(mark);
      return;
    }
    this.replyError(c, msg);
  }

  /** Ends a client's transaction: the queue is dropped and the transaction hooks (WATCH) are told. */
  endTransaction(c: Client): void {
    c.multi = null;
    for (const h of this.transactionEndHooks) h(c);
  }

  replyError(c: Client, msg: string): void {
    this.stats.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const prefix = sp > 0 ? msg.slice(0, sp) : msg;
    this.stats.errorsByPrefix.set(prefix, (this.stats.errorsByPrefix.get(prefix) ?? 0) + 1);
    c.w.error(msg);
  }

  protectedAllowed(c: Client): boolean {
    const v = this.config.values['enable-debug-command'];
    if (v === 'yes') return true;
    if (v === 'local') return isLocalSocket(c.sock);
    return false;
  }

  /**
   * Runs one command and everything around it: the command's clock, stats, slowlog, MONITOR, and effects
   * (propagated automatically when the command made the dataset dirty).
   */
  call(c: Client, cmd: CommandEntry, argv: string[]): void {
    useEncodingLimits(this, this.config.values);
    const ks = this.keyspace;
    let t0 = this.clockHint;
    if (t0 < 0) t0 = performance.now();
    else this.clockHint = -1;
    // One instant for a whole execution unit: the commands EXEC runs see the time EXEC started at (keys do not
    // expire halfway through a transaction), as Redis fixes it for nested calls.
    if (this.callDepth === 0) ks.tickAt(t0);
    ks.nested = this.callDepth !== 0;
    // Writes, and PING as Redis refuses it on a disk error: a health check sees that the server cannot persist.
    if (cmd.diskGuarded && this.writeGuards.length > 0) {
      try {
        for (const g of this.writeGuards) g(c, cmd);
      } catch (e) {
        if (!(e instanceof ReplyError)) throw e;
        this.reject(c, cmd, e.message);
        return;
      }
    }
    const dirty0 = ks.dirty;
    const dbId = c.db.id;
    // CLIENT REPLY OFF/SKIP: what this command writes stays in the buffer, to be taken back below.
    const replyMark = c.replyMode !== 'on' || c.skipNext ? c.out.mark() : -1;
    const outerSilenced = this.silencedClient;
    const keptFrom = this.keptPushes.length;
    if (replyMark >= 0) this.silencedClient = c;
    c.effectArgv = undefined;
    c.preventPropagation = false;
    c.redactedArgs = undefined;
    c.current = cmd;
    if (this.callDepth === 0) this.tracking.beginUnit(c);
    this.effects.begin();
    this.callDepth++;
    try {
      cmd.handler!(c, argv);
    } catch (e) {
      if (e instanceof ReplyError) {
        cmd.stats.failed++;
        this.replyError(c, e.message);
      } else if (e instanceof ReplyTooLarge) {
        // As for an output buffer limit: the client is dropped with what it has pending.
        cmd.stats.failed++;
        this.log(
          'warning',
          `Client id=${c.id} addr=${c.addr} closed: the reply to '${cmd.fullName}' would exceed ${PENDING_MAX} bytes`,
        );
        c.out.discard();
        c.closeAfterReply = true;
      } else {
        this.log('warning', `Internal error in '${cmd.fullName}': ${(e as Error).stack ?? String(e)}`);
        cmd.stats.failed++;
        this.replyError(c, 'ERR internal error: ' + String((e as Error).message ?? e));
      }
    }
    const t1 = performance.now();
    this.lastCallEnd = t1;
    const usec = Math.round((t1 - t0) * 1000);
    cmd.stats.calls++;
    cmd.stats.usec += usec;
    // A command that blocked is timed when it ends (Blocking.serveOne / unblock), as Redis does.
    if (this.config.values['latency-tracking'] && !c.blocked) this.recordLatency(cmd, usec);
    this.stats.commandsProcessed++;
    c.commandsProcessed++;
    // Only a command that added changes is propagated: SAVE resets the count, and is not (as in Redis).
    if (ks.dirty > dirty0 && !c.preventPropagation) this.effects.add(dbId, c.effectArgv ?? argv);
    this.callDepth--;
    if (this.callDepth === 0) ks.nested = false;
    this.effects.end();
    this.tracking.afterCall(c, cmd, argv);
    if (replyMark >= 0) {
      // CLIENT REPLY OFF/SKIP: what this command wrote is dropped (unless the command turned replies back on).
      if (!(c.replyMode !== 'on' || c.skipNext)) c.out.keep(replyMark);
      else if (c.out.takeBack(replyMark))
        for (let i = keptFrom; i < this.keptPushes.length; i++) c.out.bytes(this.keptPushes[i]!);
      this.silencedClient = outerSilenced;
      if (outerSilenced !== c) this.keptPushes = [];
    }
    const shown = c.redactedArgs === undefined ? argv : redactedArgv(argv, c.redactedArgs);
    if (c.blocked) {
      // Logged when served (see Blocking.serveOne), as Redis logs a blocked command.
      if (!cmd.skipSlowlog) c.blockedCall = { argv: shown, usec };
    } else {
      if (!cmd.skipSlowlog) this.slowlog.record(c, shown, usec);
      const lat = this.config.values['latency-monitor-threshold'];
      if (lat > 0 && usec >= lat * 1000)
        this.latency.add(cmd.flags.has('fast') ? 'fast-command' : 'command', Math.floor(usec / 1000), lat);
    }
    if (this.monitors.size > 0 && !cmd.skipMonitor && !cmd.flags.has('admin')) this.feedMonitors(c, c.db.id, shown);
    // Keys made ready for blocked clients are served once the whole execution unit is done.
    if (this.callDepth === 0) this.blocking.afterUnit();
  }

  readonly monitors = new Set<Client>();

  private feedMonitors(c: Client, db: number, argv: string[]): void {
    // Microseconds, as Redis prints them: the keyspace's wall clock (its monotonic reading, kept on Date.now()).
    const nowUs = Math.floor((this.keyspace.clockBase + performance.now()) * 1000);
    const sec = Math.floor(nowUs / 1e6);
    const usec = String(nowUs % 1e6).padStart(6, '0');
    const who = c.sock === null ? 'lua' : c.addr;
    let line = `${sec}.${usec} [${db} ${who}]`;
    for (const a of argv) line += ' ' + quoteMonitorArg(textOf(a));
    for (const m of this.monitors) {
      // A monitor closing after its reply (its own QUIT) takes no more output, as in Redis.
      if (m.closed || m.closeAfterReply) continue;
      m.w.simple(line);
      m.requestFlush();
    }
  }

  /** Records the deletion of an expired or evicted key as a DEL effect. */
  propagateDeletion(db: Database, key: Key): void {
    this.effects.begin();
    this.effects.add(db.id, ['DEL', key]);
    this.effects.end();
  }

  onShutdown(h: () => Promise<void> | void): void {
    this.shutdownHooks.push(h);
  }

  async shutdown(): Promise<void> {
    this.activeExpire.stop();
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    const socks: Socket[] = [];
    for (const c of [...this.clients.values()]) {
      c.flush();
      this.closeClient(c);
      if (c.sock) socks.push(c.sock);
    }
    for (const h of this.shutdownHooks.reverse()) await h();
    this.shutdownHooks = [];
    // Nothing stays open once the server is gone, as the descriptors close with Redis's process: a peer that does
    // not read its replies or never closes its side would otherwise keep the socket (and an embedding process)
    // alive.
    for (const sock of socks) sock.destroy();
  }

  private cronTimer: NodeJS.Timeout | undefined;

  /** Adds one call's duration to the command's latency histogram (INFO latencystats). */
  recordLatency(cmd: CommandEntry, usec: number): void {
    (cmd.latency ??= new LatencyHistogram()).record(usec);
  }

  /** Copies the lazyfree-lazy-* settings to the keyspace (see src/keyspace/lazyfree.ts). */
  private applyLazyfree(): void {
    const v = this.config.values;
    this.keyspace.lazyfree = {
      eviction: v['lazyfree-lazy-eviction'],
      expire: v['lazyfree-lazy-expire'],
      serverDel: v['lazyfree-lazy-server-del'],
      userDel: v['lazyfree-lazy-user-del'],
      userFlush: v['lazyfree-lazy-user-flush'],
    };
  }

  start(): void {
    this.activeExpire.start();
    this.memory.start();
    this.onShutdown(() => this.memory.stop());
    this.metricsTimer = setInterval(() => {
      const now = Date.now();
      this.metrics.commands.sample(this.stats.commandsProcessed, now);
      this.metrics.netInput.sample(this.stats.netInput, now);
      this.metrics.netOutput.sample(this.stats.netOutput, now);
      // Also when idle: the limit may have been lowered by the last command.
      if (this.tracking.clientCount > 0) this.tracking.limitTable(null);
    }, 100);
    this.metricsTimer.unref();
    this.cronTimer = setInterval(() => {
      this.clientsCron();
      // Between commands no handler holds a slot number, so sparse slot arrays may be compacted here.
      for (const db of this.keyspace.dbs) db.maybeCompact();
    }, 1000);
    this.cronTimer.unref();
    this.onShutdown(() => clearInterval(this.cronTimer));
  }

  /**
   * The hz the cron runs at: the configured one, doubled (up to 500) while there are more than 200 clients per
   * tick when dynamic-hz is on, as Redis's serverCron adapts it on each run (INFO shows it as hz).
   */
  effectiveHz(): number {
    const cfg = this.config.values;
    let hz = cfg.hz;
    if (!cfg['dynamic-hz']) return hz;
    while (Math.floor(this.clients.size / hz) > 200) {
      hz *= 2;
      if (hz > 500) return 500;
    }
    return hz;
  }

  /** Closes clients idle for longer than `timeout` (never subscribers, MONITORs or blocked clients). */
  clientsCron(): void {
    const timeout = this.config.values.timeout;
    if (timeout <= 0) return;
    const now = Date.now();
    for (const c of this.clients.values()) {
      if (c.sock === null || c.blocked || c.monitor || this.pubsubCount(c) > 0) continue;
      if (now - c.lastInteraction > timeout * 1000) {
        this.log('verbose', `Closing idle client id=${c.id} addr=${c.addr}`);
        this.closeClient(c);
      }
    }
  }
}

function randomHex(n: number): string {
  let s = '';
  while (s.length < n)
    s += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, n);
}

/** Quotes an argument the way MONITOR shows it: "…" with C escapes for unprintable bytes. */
export function quoteMonitorArg(a: string): string {
  let s = '"';
  for (let i = 0; i < a.length; i++) {
    const ch = a.charCodeAt(i);
    switch (ch) {
      case 0x5c:
        s += '\\\\';
        break;
      case 0x22:
        s += '\\"';
        break;
      case 0x0a:
        s += '\\n';
        break;
      case 0x0d:
        s += '\\r';
        break;
      case 0x09:
        s += '\\t';
        break;
      case 0x07:
        s += '\\a';
        break;
      case 0x08:
        s += '\\b';
        break;
      default:
        s += ch >= 0x20 && ch < 0x7f ? a[i] : '\\x' + ch.toString(16).padStart(2, '0');
    }
  }
  return s + '"';
}
