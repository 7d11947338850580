// One connection's state: its parser, output buffer and writer, selected database, and session flags.

import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { RequestParser, ProtocolError } from '../protocol/request-parser.js';
import { OutputBuffer, Resp2Writer, Resp3Writer, type ReplyWriter } from '../protocol/reply-writer.js';
import { PREFETCH_MAX, type Database } from '../keyspace/db.js';
import type { Server } from './server.js';
import type { CommandEntry } from '../commands/registry.js';
import { HELD, NOT_WRITTEN, type DirectWriter } from './direct-write.js';

export type ReplyMode = 'on' | 'off' | 'skip';

/** A command queued by MULTI. */
export interface QueuedCommand {
  cmd: CommandEntry;
  argv: string[];
}

/** The most requests parsed ahead of the one that runs (Client.readAhead). */
const AHEAD_MAX = 32;
/** The keys of a batch read ahead, gathered for Database.prefetch (requests run one at a time, so one array serves). */
const batchKeys: string[] = [];
/** The members named by a batch (CommandSpec.members), and the key of each one's collection (Database.prefetchMembers). */
const batchMembers: string[] = [];
const batchOwners: string[] = [];
/** How many members batchMembers holds. */
let memberCount = 0;

export class Client {
  readonly id: number;
  readonly parser: RequestParser;
  readonly out = new OutputBuffer();
  w: ReplyWriter;
  proto: 2 | 3 = 2;
  db: Database;
  name = '';
  user = 'default';
  private _authenticated = false;
  readonly ctime = Date.now();
  lastInteraction = Date.now();
  /** CLIENT LIST's cmd=: the command the latest request named, as looked up ('NULL' when there is none). */
  lastCommand = 'NULL';
  replyMode: ReplyMode = 'on';
  /** CLIENT REPLY SKIP: the next command's reply is dropped. */
  skipNext = false;
  /** CLIENT REPLY SKIP was just run: the next command sent is silenced (skipNext) once this one is done. */
  skipPending = false;

  /** The end of a command for CLIENT REPLY SKIP: the silenced command is done, and a SKIP just run takes effect. */
  endSkip(): void {
    this.skipNext = this.skipPending;
    this.skipPending = false;
  }
  noEvict = false;
  /** Set when the connection must close once pending replies are written. */
  closeAfterReply = false;
  closed = false;
  /** MULTI state: the queue, and whether a queued command was rejected. */
  multi: { queue: QueuedCommand[]; failed: boolean } | null = null;
  /** The queue EXEC is running: CLIENT INFO still shows the transaction (flag x, multi=N) meanwhile, as Redis does. */
  execQueue: QueuedCommand[] | null = null;
  /** Set while the client waits in a blocking command; input processing pauses. */
  blocked = false;
  /**
   * The command this client blocked in, as SLOWLOG shows it, and the time its call took: Redis logs a blocking
   * command when it is served (with the serving time added), not when it blocks.
   */
  blockedCall: { argv: string[]; usec: number } | undefined = undefined;
  /** True for MONITOR clients. */
  monitor = false;
  /** Effects to propagate for the current command instead of its argv (EXPIRE → PEXPIREAT …). */
  effectArgv: string[] | undefined;
  /** True when the current command must propagate nothing of its own (its effects were added explicitly). */
  preventPropagation = false;
  /** Argument positions of the current command that SLOWLOG and MONITOR show as "(redacted)" (passwords). */
  redactedArgs: number[] | undefined;
  /** The command being executed, for error stats. */
  current: CommandEntry | undefined;
  addr: string;
  laddr: string;
  /** Bytes read from the socket (for CLIENT INFO / INFO stats). */
  netIn = 0;
  /** Number of commands processed. */
  commandsProcessed = 0;
  /** Unix seconds when pending output first went over the soft output limit; 0 when under (output-limits.ts). */
  obufSoftSince = 0;
  /** The latest command name this client sent that named a command, and that command (see entryFor). */
  private cmdName = '';
  private cmdEntry: CommandEntry | undefined;
  /** True while this client is queued for `Server.deferFlush`. */
  flushDeferred = false;
  /**
   * The AOF batch this client's pending replies wait for, or 0 when they wait for none: kept by the persistence
   * manager's output gate (a field rather than an entry in a Map there, which was set and deleted per turn).
   */
  aofWait = 0;
  /** Writes replies straight to the TCP handle (src/server/direct-write.ts), for sockets that allow it. */
  directWriter: DirectWriter | undefined = undefined;
  /**
   * Requests parsed ahead of the one running (see readAhead): entries [aheadAt, aheadLen) of `ahead`, made at
   * AHEAD_MAX entries the first time; their sizes in bytes, which still count as query buffer (`queryPending`);
   * and a protocol error met while parsing ahead, raised once the requests before it have run.
   */
  private ahead: (string[] | undefined)[] | null = null;
  private aheadSize: Int32Array | null = null;
  private aheadAt = 0;
  private aheadLen = 0;
  private aheadBytes = 0;
  private aheadError: ProtocolError | null = null;

  constructor(
    readonly server: Server,
    readonly sock: Socket | null,
  ) {
    this.id = server.nextClientId();
    // The caps on requests before authentication follow the live rule (Redis's authRequired): this client has not
    // authenticated and the default user needs a password now (requirepass / ACL SETUSER default may change it).
    this.parser = new RequestParser(
      server.parserLimits,
      () => !this._authenticated && server.authRequired(),
      server.commands.storesValueAt,
    );
    this.w = new Resp2Writer(this.out);
    this.db = server.keyspace.dbs[0]!;
    this.authenticated = !server.authRequired();
    this.addr = sock ? `${sock.remoteAddress}:${sock.remotePort}` : '127.0.0.1:0';
    this.laddr = sock ? `${sock.localAddress}:${sock.localPort}` : '127.0.0.1:0';
    if (this.addr.startsWith('::ffff:')) this.addr = this.addr.slice(7);
    if (this.laddr.startsWith('::ffff:')) this.laddr = this.laddr.slice(7);
  }

  get authenticated(): boolean {
    return this._authenticated;
  }

  set authenticated(v: boolean) {
    this._authenticated = v;
  }

  setProtocol(p: 2 | 3): void {
    if (p === this.proto) return;
    this.proto = p;
    this.w = p === 3 ? new Resp3Writer(this.out) : new Resp2Writer(this.out);
  }

  /** Feeds bytes from the socket and runs every complete request, unless blocked. */
  onData(chunk: Buffer): void {
    // A closed client reads nothing more, as Redis drops a client it frees: its socket may stay half-open until
    // the peer closes it, and a peer that keeps sending must not cost parsing or memory.
    if (this.closed) return;
    this.netIn += chunk.length;
    this.parser.feed(chunk);
    if (this.overQueryLimit()) return;
    this.processInput();
  }

  /** As onData, for bytes valid only during this call (a shared read buffer): the parser copies what it keeps. */
  onTransientData(chunk: Buffer): void {
    if (this.closed) return;
    this.netIn += chunk.length;
    this.parser.feed(chunk);
    if (this.overQueryLimit()) return;
    this.processInput();
    this.parser.retain();
  }

  /**
   * After a read, as Redis checks its query buffer before running anything from it: a client whose buffered input
   * (a big argument the read completed included) passes client-query-buffer-limit is closed.
   */
  private overQueryLimit(): boolean {
    if (this.parser.bufferedBytes <= this.server.config.values['client-query-buffer-limit']) return false;
    this.server.log('warning', `Closing client that reached max query buffer length: id=${this.id} addr=${this.addr}`);
    this.closeAfterReply = true;
    this.out.discard();
    this.server.deferFlush(this); // closes it, with nothing to write
    return true;
  }

  /** Runs queued complete requests until input runs out or the client blocks. Flushes replies once. */
  processInput(): void {
    const server = this.server;
    const limit = server.config.values['client-query-buffer-limit'];
    // One clock read for the batch: the interaction time, and the first command's start (see Server.clockHint).
    let clock = performance.now();
    this.lastInteraction = Math.floor(server.keyspace.clockBase + clock);
    while (!this.blocked && !this.closeAfterReply && !this.closed) {
      let argv: string[] | undefined;
      try {
        argv = this.nextRequest();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        server.stats.protocolErrors++;
        server.log('verbose', `Protocol error (${e.message}) from client: id=${this.id} addr=${this.addr}`);
        this.w.error('ERR Protocol error: ' + e.message);
        this.closeAfterReply = true;
        break;
      }
      if (argv === undefined) {
        if (this.parser.pendingBytes > limit) {
          server.log('warning', `Closing client that reached max query buffer length: id=${this.id} addr=${this.addr}`);
          this.closeAfterReply = true;
          this.out.discard();
        }
        break;
      }
      server.clockHint = clock;
      server.lastCallEnd = -1;
      server.execute(this, argv);
      clock = server.lastCallEnd >= 0 ? server.lastCallEnd : performance.now();
      server.tracking.afterCommand(this, argv);
      if (
        (this.out.len >= server.outputLimits.checkFrom || this.out.chunks !== null || !this._authenticated) &&
        server.outputLimits.enforce(this)
      )
        break;
    }
    server.clockHint = -1;
    // The replies are written once every ready connection has been read (Server.deferFlush); replies the AOF
    // must hold are held now, from the batch that was open when they were made.
    const gate = server.outputGate;
    if (gate !== null && (this.out.len !== 0 || this.out.chunks !== null) && gate(this)) return;
    server.deferFlush(this);
  }

  /** Bytes received and not yet run: the parser's query buffer plus the requests parsed ahead. */
  get queryPending(): number {
    return this.parser.pendingBytes + this.aheadBytes;
  }

  /** The next request to run: one parsed ahead, else the parser's next (and those after it, see readAhead). */
  private nextRequest(): string[] | undefined {
    const at = this.aheadAt;
    if (at < this.aheadLen) {
      const q = this.ahead!;
      const argv = q[at]!;
      q[at] = undefined;
      this.aheadBytes -= this.aheadSize![at]!;
      if (at + 1 === this.aheadLen) {
        this.aheadLen = 0;
        this.aheadAt = 0;
      } else this.aheadAt = at + 1;
      return argv;
    }
    const err = this.aheadError;
    if (err !== null) {
      this.aheadError = null;
      throw err;
    }
    const argv = this.parser.next();
    if (argv !== undefined) this.readAhead(argv);
    return argv;
  }

  /**
   * Parses the requests that follow `first` in the input already read, while each is a keyed command (up to
   * AHEAD_MAX), and prefetches every key they name in the selected database (Database.prefetch): a pipeline's
   * lookups then take their cache misses together. Parsing ahead changes nothing a client can see: a keyed command
   * never changes how the requests after it are parsed (CommandEntry.keyFirst), the requests run in order as
   * before, their bytes still count as query buffer, and a protocol error is raised only once the requests before
   * it have run.
   */
  private readAhead(first: string[]): void {
    // A lone request (nothing more was read) with at most two arguments names one key and one member at most, or
    // two keys: too few to overlap their misses.
    if (this.parser.pendingBytes === 0 && first.length <= 3) return;
    const cmd = this.entryFor(first[0]!);
    if (cmd === undefined || cmd.keyFirst === 0) return;
    memberCount = 0;
    let n = addKeys(cmd, first, 0);
    const parser = this.parser;
    if (parser.pendingBytes !== 0) {
      const q = (this.ahead ??= new Array<string[] | undefined>(AHEAD_MAX).fill(undefined));
      const sizes = (this.aheadSize ??= new Int32Array(AHEAD_MAX));
      let len = 0;
      while (len < AHEAD_MAX && parser.pendingBytes !== 0) {
        const before = parser.pendingBytes;
        let argv: string[] | undefined;
        try {
          argv = parser.next();
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
          this.aheadError = e;
          break;
        }
        if (argv === undefined) break;
        const size = before - parser.pendingBytes;
        q[len] = argv;
        sizes[len++] = size;
        this.aheadBytes += size;
        const next = this.entryFor(argv[0]!);
        if (next === undefined || next.keyFirst === 0) break;
        n = addKeys(next, argv, n);
      }
      this.aheadLen = len;
    }
    if (n > 1) this.db.prefetch(batchKeys, n);
    if (memberCount > 1) this.db.prefetchMembers(batchOwners, batchMembers, memberCount);
  }

  /**
   * The command a request names. Pipelines repeat their command: the parser hands out the same name string again,
   * and the client keeps the entry it found for it, so a repeated name costs one comparison instead of a table
   * lookup.
   */
  entryFor(name: string): CommandEntry | undefined {
    if (name === this.cmdName) return this.cmdEntry;
    const cmd = this.server.commands.lookup(name);
    if (cmd !== undefined) {
      this.cmdName = name;
      this.cmdEntry = cmd;
    }
    return cmd;
  }

  /** Writes pending replies to the socket in one go (or drops them when replies are off). */
  flush(): void {
    const sock = this.sock;
    if (this.out.len === 0 && this.out.chunks === null) {
      if (this.closeAfterReply && sock && !this.closed) this.server.closeClient(this);
      return;
    }
    const gate = this.server.outputGate;
    if (gate !== null && gate(this)) return;
    const ol = this.server.outputLimits;
    if (
      sock !== null &&
      (this.out.len + this.socketPending() >= ol.checkFrom ||
        this.out.chunks !== null ||
        this.obufSoftSince !== 0 ||
        !this._authenticated) &&
      ol.enforce(this)
    )
      return;
    const view = this.out.view();
    if (view !== undefined) {
      // The usual case: the replies, big ones too, written straight from the buffer. A socket that writes them at
      // once (writableLength back to 0) is done with them and the buffer is reused; otherwise it keeps the view
      // and a new buffer takes its place. Reuse matters beyond the copy saved: V8 counts every new buffer's
      // memory toward its old-generation limit, so a fresh buffer per big write (an LRANGE pipeline) started a
      // full marking of the heap every few tens of milliseconds.
      this.server.stats.netOutput += view.length;
      this.server.stats.writesProcessed++;
      let kept = false;
      if (sock && !this.closed) {
        const dw = this.directWriter;
        const r = dw === undefined ? NOT_WRITTEN : dw.write(view);
        if (r === NOT_WRITTEN) {
          sock.write(view);
          kept = sock.writableLength !== 0;
        } else kept = r === HELD;
      }
      if (kept) this.out.disown();
      else this.out.release();
      if (this.closeAfterReply && !this.closed) this.server.closeClient(this);
      return;
    }
    const chunks = this.out.take();
    if (sock && !this.closed) {
      let total = 0;
      for (const ch of chunks) total += ch.length;
      this.server.stats.netOutput += total;
      this.server.stats.writesProcessed++;
      const dw = this.directWriter;
      if (dw !== undefined && dw.writev(chunks, total) !== NOT_WRITTEN) {
        // Written (or held by libuv) in one system call.
      } else if (chunks.length === 1) sock.write(chunks[0]!);
      else {
        sock.cork();
        for (const c of chunks) sock.write(c);
        sock.uncork();
      }
    }
    if (this.closeAfterReply && !this.closed) this.server.closeClient(this);
  }

  /** Bytes handed to the socket and not yet taken by the kernel. */
  socketPending(): number {
    const sock = this.sock;
    if (sock === null) return 0;
    const dw = this.directWriter;
    return dw === undefined ? sock.writableLength : sock.writableLength + dw.pending;
  }

  /** Asks for this client's pending output to be flushed soon (for writes made on behalf of other clients). */
  requestFlush(): void {
    this.server.scheduleFlush(this);
  }
}

/**
 * Adds the keys `argv` names (by its command's key positions) to batchKeys from index n, and the members it names
 * to batchMembers; returns the new key count.
 */
function addKeys(cmd: CommandEntry, argv: string[], n: number): number {
  const len = argv.length;
  let last = cmd.keyLast;
  if (last < 0) last += len;
  if (last >= len) last = len - 1;
  for (let i = cmd.keyFirst; i <= last && n < PREFETCH_MAX; i += cmd.keyStep) {
    // A pipeline on one key (LPUSH, SADD …) names it once: its lines are read by the first request anyway.
    const k = argv[i]!;
    if (n === 0 || k !== batchKeys[n - 1]) batchKeys[n++] = k;
  }
  const first = cmd.memberFirst;
  if (first !== 0) {
    const owner = argv[cmd.keyFirst]!;
    let m = memberCount;
    for (let i = first; i < len && m < PREFETCH_MAX; i += cmd.memberStep) {
      batchOwners[m] = owner;
      batchMembers[m++] = argv[i]!;
    }
    memberCount = m;
  }
  return n;
}
