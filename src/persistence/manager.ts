// Persistence: loading at start, the append-only log (multi-part, group commit), point-in-time snapshots,
// save policies, automatic rewrites, per-database policies, and the state INFO shows.

import { useEncodingLimits } from '../types/encoding-limits.js';
import fs from 'node:fs';
import path from 'node:path';
import { fsPath } from '../config.js';
import { ReplyError, strerror } from '../errors.js';
import type { Server, ShutdownOptions } from '../server/server.js';
import { Client } from '../server/client.js';
import type { Effect } from './effects.js';
import { AofWriter, type AofTarget } from './aof-writer.js';
import { parseBody, RespFormatError, scanRecord } from './aof-format.js';
import { formatManifest, fsyncDir, parseManifest, tempTag, writeFileAtomic, type ManifestEntry } from './manifest.js';
import {
  CorruptFileError,
  SnapshotEncoder,
  SnapshotJob,
  loadSnapshot,
  verifySnapshot,
  type SnapshotLoadResult,
} from './snapshot.js';
import { Keyspace } from '../keyspace/db.js';
import { formatFixed } from '../protocol/reply-writer.js';

/** How a database's writes reach the log: fsync before replying, about once a second, when the OS likes, or never. */
export type DbPolicy = 'always' | 'everysec' | 'no' | 'none';

/** Raised when the data on disk cannot be loaded; the message says which file, where, and what to do. */
export class LoadError extends Error {}

const BGSAVE_RETRY_DELAY_MS = 5000;
/** How long one step of a background snapshot may run before the event loop gets a turn. */
const STEP_BUDGET_MS = 2;

interface RunningJob {
  kind: 'rdb' | 'aof';
  job: SnapshotJob;
  fd: number;
  tmp: string;
  started: number;
  aborted: boolean;
  error: unknown;
}

export class Persistence {
  private writer: AofWriter | null = null;

  /** Bytes buffered for the AOF and not yet written (INFO's mem_aof_buffer). */
  get aofBufferBytes(): number {
    return this.writer?.bufferLength ?? 0;
  }
  private manifest: ManifestEntry[] = [];
  private cron: NodeJS.Timeout | undefined;
  private job: RunningJob | null = null;
  /** Clients whose replies wait for a batch to be written or fsynced (the batch: `Client.aofWait`). */
  private held: Client[] = [];
  private releasing: Client | null = null;
  /** A rewrite's base is written; its manifest swap waits in the AOF queue. */
  private finishingRewrite = false;
  private policies = new Map<number, DbPolicy>();
  private unsinkEffects: (() => void) | undefined;

  // State shown by INFO persistence.
  private loadingStart = 0;
  private loadingTotal = 0;
  private loadingLoaded = 0;
  private rdbSaves = 0;
  private lastBgsaveStatus: 'ok' | 'err' = 'ok';
  private lastBgsaveTry = 0;
  private lastBgsaveTimeSec = -1;
  private dirtyAtBgsave = 0;
  private bgsaveScheduled = false;
  private aofRewriteScheduled = false;
  /** CONFIG SET appendonly yes came while a background save ran: the log starts when it ends (runScheduled). */
  private turnOnPending = false;
  /**
   * Point-in-time cuts taken for background saves and rewrites (INFO's total_forks: Cairn takes a cut of the
   * keyspace where Redis forks), and how long the last one took in µs (latest_fork_usec).
   */
  forks = 0;
  lastForkUsec = 0;
  /** The rewrite that gives a log just turned on its first base is running (SHUTDOWN waits for it). */
  private initialRewrite = false;
  private aofRewrites = 0;
  private aofRewriteFailures = 0;
  private lastRewriteStatus: 'ok' | 'err' = 'ok';
  private lastRewriteTimeSec = -1;
  private aofBaseSize = 0;
  private aofCurrentBaseFileSize = 0;
  private historySize = 0;
  private lastLoadExpired = 0;
  private lastLoadLoaded = 0;
  private aofDelayedFsync = 0;
  private rdbLastSaveError: string | null = null;

  constructor(private readonly server: Server) {
    this.readPolicies();
    const prev = server.config.onChange;
    server.config.onChange = (name) => {
      prev(name);
      this.configChanged(name);
    };
    server.writeGuards.push(() => this.writeGuard());
    server.infoProviders.set('persistence', () => this.info());
    // Turning the log on can fail (the directory cannot be made): CONFIG SET then fails and appendonly stays no.
    server.config.applyChecks.push((changed) => {
      if (!changed.includes('appendonly') || !this.cfg.appendonly || this.writer !== null) return undefined;
      try {
        this.turnAofOn();
        return undefined;
      } catch (e) {
        this.lastRewriteStatus = 'err';
        this.server.log('warning', `Cairn needs to enable the AOF but can't start writing it: ${strerror(e)}`);
        return { name: 'appendonly', error: 'Unable to turn on AOF. Check server logs.' };
      }
    });
    server.statsResetHooks.push(() => {
      this.rdbSaves = 0;
      this.aofRewrites = 0;
      this.forks = 0;
      this.lastForkUsec = 0;
    });
  }

  /** What SHUTDOWN asked for (SAVE / NOSAVE), set before the server closes. */
  shutdownOptions: ShutdownOptions = {};

  private get cfg() {
    return this.server.config.values;
  }

  /** The data directory as a file-system path (see fsPath). */
  private get dir(): string {
    return fsPath(this.cfg.dir);
  }

  private get aofDir(): string {
    return path.join(this.dir, fsPath(this.cfg.appenddirname));
  }

  get aofOn(): boolean {
    return this.writer !== null;
  }

  /** The AOF writer's write and fsync counts (undefined when the AOF is off). */
  get aofCounters(): { writes: number; fsyncs: number } | undefined {
    return this.writer?.counters;
  }

  get jobKind(): 'rdb' | 'aof' | null {
    return this.job?.kind ?? (this.finishingRewrite ? 'aof' : null);
  }

  // ---------------------------------------------------------------- policies

  private readPolicies(): void {
    this.policies.clear();
    const list = this.cfg['db-persistence'];
    for (let i = 0; i + 1 < list.length; i += 2) this.policies.set(Number(list[i]), list[i + 1] as DbPolicy);
  }

  /** The log policy of a database: its db-persistence setting, or appendfsync. */
  policy(db: number): DbPolicy {
    return this.policies.get(db) ?? this.cfg.appendfsync;
  }

  /** Whether a database is written to snapshots and AOF base files. */
  private persisted = (db: number): boolean => this.policies.get(db) !== 'none';

  // ---------------------------------------------------------------- start and stop

  /**
   * Loads the dataset (the AOF when appendonly is on, else the snapshot), then opens the AOF and starts the
   * timers. While it runs `server.loading` is true and clients get LOADING errors.
   */
  async start(): Promise<void> {
    const s = this.server;
    for (const db of this.policies.keys()) {
      if (db >= s.keyspace.dbs.length)
        throw new LoadError(
          `db-persistence names database ${db}, but there are only ${s.keyspace.dbs.length} databases`,
        );
    }
    s.loading = true;
    s.keyspace.frozenExpiry = true;
    s.keyspace.dirty = 0;
    try {
      const manifestPath = path.join(this.aofDir, this.manifestName());
      if (this.cfg.appendonly && fs.existsSync(manifestPath)) {
        // The changes replayed from the log count as changes since the last save, as in Redis: with save points
        // a snapshot follows such a start. A snapshot load counts none.
        await this.loadAof(manifestPath);
      } else {
        const snap = path.join(this.dir, fsPath(this.cfg.dbfilename));
        if (fs.existsSync(snap)) await this.loadSnapshotFile(snap);
      }
    } finally {
      s.keyspace.frozenExpiry = false;
      s.loading = false;
      this.loadingStart = 0;
    }
    if (this.cfg.appendonly) this.openAofAtStart();
    this.cron = setInterval(() => this.tick(), 100);
    this.cron.unref();
  }

  /** Set once the final save of a shutdown is done (prepareShutdown), so that close() does not save again. */
  private finalSaveDone = false;

  /**
   * The final save of a shutdown, made before anything closes, as Redis's prepareForShutdown: a background save
   * under way is stopped, then the dataset is saved when save points are configured or SAVE is asked, unless
   * NOSAVE. Returns false when that save failed without FORCE: the shutdown is cancelled and the server keeps
   * running, so that the unsaved data is not lost.
   */
  prepareShutdown(o: ShutdownOptions): boolean {
    // The first rewrite after the log was turned on holds the only copy of the data the log will have: stopping
    // it would leave no base, so the dataset would not come back (Redis refuses too, unless FORCE).
    if (this.initialRewrite && this.job?.kind === 'aof') {
      if (!o.force) {
        this.server.log('warning', "Writing initial AOF, can't exit.");
        this.server.log('warning', 'Errors trying to shut down the server. Check the logs for more information.');
        return false;
      }
      this.server.log('warning', 'Writing initial AOF. Exit anyway.');
    }
    if (this.job) this.abortJob('shutdown');
    if (o.save || (this.cfg.save.length > 0 && !o.nosave)) {
      this.server.log('notice', 'Saving the final snapshot before exiting.');
      try {
        this.saveSync(false); // logs "DB saved on disk"
      } catch {
        if (!o.force) {
          this.server.log('warning', "Error trying to save the DB, can't exit.");
          this.server.log('warning', 'Errors trying to shut down the server. Check the logs for more information.');
          return false;
        }
        this.server.log('warning', 'Error trying to save the DB. Exit anyway.');
      }
    }
    this.finalSaveDone = true;
    return true;
  }

  /**
   * Stops timers and jobs, writes and fsyncs what the log still holds, and saves if save points are set (unless
   * prepareShutdown has saved already; a save failing here is only logged).
   */
  async close(): Promise<void> {
    if (this.cron) clearInterval(this.cron);
    this.cron = undefined;
    if (!this.finalSaveDone) this.prepareShutdown({ ...this.shutdownOptions, force: true });
    await this.stopAof();
  }

  private async stopAof(): Promise<void> {
    const w = this.writer;
    if (!w) return;
    this.writer = null;
    this.server.outputGate = null;
    this.unsinkEffects?.();
    this.unsinkEffects = undefined;
    await w.flushAndSync();
    w.stop();
    try {
      fs.closeSync(w.target.fd);
    } catch {
      // already closed
    }
    this.releaseAll();
  }

  // ---------------------------------------------------------------- loading

  private async drive(gen: Generator<number, void, void>, base: number): Promise<void> {
    let last = performance.now();
    let lastLog = last;
    for (;;) {
      // Values are built with this server's encoding thresholds, whichever embedded server ran in between.
      useEncodingLimits(this.server, this.server.config.values);
      const r = gen.next();
      if (r.done) return;
      this.loadingLoaded = base + r.value;
      const now = performance.now();
      if (now - last > 20) {
        await new Promise<void>((res) => setImmediate(res));
        last = performance.now();
        if (last - lastLog > 1000) {
          lastLog = last;
          const pct = this.loadingTotal > 0 ? ((this.loadingLoaded * 100) / this.loadingTotal).toFixed(1) : '100';
          this.server.log('notice', `Loading: ${pct}% (${mb(this.loadingLoaded)} of ${mb(this.loadingTotal)})`);
        }
      }
    }
  }

  private async loadSnapshotFile(file: string): Promise<void> {
    const t0 = performance.now();
    const buf = fs.readFileSync(file);
    this.loadingStart = Date.now();
    this.loadingTotal = buf.length;
    this.loadingLoaded = 0;
    const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
    try {
      await this.drive(loadSnapshot(buf, this.server.keyspace, file, res), 0);
    } catch (e) {
      if (e instanceof CorruptFileError)
        throw new LoadError(`${e.message}. The snapshot is damaged: Cairn refuses to start with it.`);
      throw e;
    }
    this.lastLoadLoaded = res.loaded;
    this.lastLoadExpired = res.expired;
    this.server.log(
      'notice',
      `Done loading snapshot ${file}, keys loaded: ${res.loaded}, keys expired: ${res.expired}.`,
    );
    this.server.log('notice', `DB loaded from disk: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
  }

  private manifestName(): string {
    return `${fsPath(this.cfg.appendfilename)}.manifest`;
  }

  private async loadAof(manifestPath: string): Promise<void> {
    const t0 = performance.now();
    let entries: ManifestEntry[];
    try {
      entries = parseManifest(fs.readFileSync(manifestPath, 'utf8'), manifestPath);
    } catch (e) {
      throw new LoadError((e as Error).message);
    }
    this.manifest = entries;
    const live = entries.filter((e) => e.type !== 'h');
    const incrs = live.filter((e) => e.type === 'i');
    const files = live.map((e) => path.join(this.aofDir, e.name));
    for (const f of files) {
      if (!fs.existsSync(f)) throw new LoadError(`The AOF file ${f} doesn't exist (it is listed in ${manifestPath})`);
    }
    this.loadingStart = Date.now();
    this.loadingTotal = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    this.loadingLoaded = 0;
    let done = 0;
    let loadedCommands = 0;
    const base = live.find((e) => e.type === 'b');
    if (base && base.name.endsWith('.rdb')) {
      throw new LoadError(
        `The AOF base file ${base.name} is an RDB file, which Cairn cannot read (a log redis-server wrote with aof-use-rdb-preamble no, a RESP base, loads)`,
      );
    }
    if (base && base.name.endsWith('.aof')) {
      // A base redis-server wrote in RESP (aof-use-rdb-preamble no): replayed as the incremental files are.
      const f = path.join(this.aofDir, base.name);
      const buf = fs.readFileSync(f);
      const stats = { commands: 0 };
      await this.drive(this.replayIncr(buf, f, false, stats), 0);
      this.aofCurrentBaseFileSize = buf.length;
      done += buf.length;
      this.server.log('notice', `DB loaded from base file ${base.name}: ${stats.commands} commands`);
    } else if (base) {
      const f = path.join(this.aofDir, base.name);
      const buf = fs.readFileSync(f);
      const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
      try {
        // Keys whose time has passed are loaded too: the log's records were made while they were there.
        await this.drive(
          loadSnapshot(buf, this.server.keyspace, f, res, Date.now(), () => true),
          0,
        );
      } catch (e) {
        if (e instanceof CorruptFileError) {
          throw new LoadError(`${e.message}. The AOF base file is damaged: Cairn refuses to start with it.`);
        }
        throw e;
      }
      this.aofCurrentBaseFileSize = buf.length;
      done += buf.length;
      this.lastLoadLoaded = res.loaded;
      this.lastLoadExpired = res.expired;
      this.server.log('notice', `DB loaded from base file ${base.name}: ${res.loaded} keys`);
    }
    for (let i = 0; i < incrs.length; i++) {
      const e = incrs[i]!;
      const f = path.join(this.aofDir, e.name);
      const buf = fs.readFileSync(f);
      const stats = { commands: 0 };
      await this.drive(this.replayIncr(buf, f, i === incrs.length - 1, stats), done);
      loadedCommands += stats.commands;
      done += buf.length;
      this.server.log('notice', `DB loaded from incr file ${e.name}: ${stats.commands} commands`);
    }
    this.historySize = 0;
    this.server.log(
      'notice',
      `DB loaded from append only file: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`,
    );
    void loadedCommands;
  }

  /** Replays one incremental file through the command handlers, yielding the offset reached. */
  private *replayIncr(
    buf: Buffer,
    file: string,
    isLast: boolean,
    stats: { commands: number },
  ): Generator<number, void, void> {
    const s = this.server;
    const c = new Client(s, null);
    let pos = 0;
    let multi: string[][] | null = null;
    let multiStart = 0;
    for (;;) {
      const r = scanRecord(buf, pos);
      if (r.kind === 'eof') break;
      if (r.kind === 'corrupt') {
        throw new LoadError(
          `Bad file format reading the append only file ${file} at offset ${r.offset}: ${r.reason}. ` +
            `Make a backup of your AOF file, then use 'cairn check-aof --fix <file>' to cut it back to the last good record ` +
            `(the records after the damage are lost).`,
        );
      }
      if (r.kind === 'torn') {
        // Inside a transaction the whole of it goes, as Redis reverts it: the log is cut where MULTI began.
        if (multi !== null) this.revertMulti(file, multiStart);
        this.cutTail(file, isLast, multi !== null ? multiStart : r.start, r.reason);
        multi = null;
        break;
      }
      s.keyspace.tick();
      let cmds: string[][];
      try {
        cmds = parseBody(buf, r.bodyStart, r.end);
      } catch (e) {
        const off = e instanceof RespFormatError ? e.offset : r.start;
        throw new LoadError(
          `Bad file format reading the append only file ${file} at offset ${off}: ${(e as Error).message}`,
        );
      }
      for (const argv of cmds) {
        const name = argv[0]!.toLowerCase();
        if (name === 'multi') {
          multi = [];
          multiStart = r.start;
          continue;
        }
        if (name === 'exec') {
          if (multi === null)
            throw new LoadError(
              `Bad file format reading the append only file ${file} at offset ${r.start}: EXEC without MULTI`,
            );
          for (const a of multi) this.replayOne(c, a, file, r.start);
          stats.commands += multi.length;
          multi = null;
          continue;
        }
        if (multi !== null) multi.push(argv);
        else {
          this.replayOne(c, argv, file, r.start);
          // Large records (a pipeline's worth) still let the event loop turn now and then.
          if ((++stats.commands & 1023) === 0) yield r.start;
        }
      }
      pos = r.end;
      yield pos;
    }
    if (multi !== null) {
      // A file that ends inside a transaction (a log redis-server wrote; Cairn writes each transaction in one
      // record) ends in a torn tail, as Redis reads it.
      this.revertMulti(file, multiStart);
      this.cutTail(file, isLast, multiStart, 'the file ends inside a MULTI/EXEC transaction');
    }
  }

  private revertMulti(file: string, at: number): void {
    this.server.log(
      'warning',
      `Revert incomplete MULTI/EXEC transaction in AOF file ${file} (started at offset ${at})`,
    );
  }

  /**
   * A torn tail at `at`: cut off when it is in the log's last file and aof-load-truncated is yes (as Redis does);
   * otherwise loading stops with Redis's reason.
   */
  private cutTail(file: string, isLast: boolean, at: number, reason: string): void {
    const s = this.server;
    if (!isLast) {
      throw new LoadError(
        `Unexpected end of file reading the append only file ${file} at offset ${at}: ${reason}, and it is not the last file of the log.`,
      );
    }
    if (!this.cfg['aof-load-truncated']) {
      throw new LoadError(
        `Unexpected end of file reading the append only file ${file} at offset ${at} (${reason}). ` +
          `You can: 1) Make a backup of your AOF file, then use 'cairn check-aof --fix <file>'. ` +
          `2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
      );
    }
    s.log('warning', `!!! Warning: short read while loading the AOF file ${file}!!!`);
    s.log('warning', `!!! Truncating the AOF ${file} at offset ${at} !!!`);
    fs.truncateSync(file, at);
    s.log('warning', `AOF ${file} loaded anyway because aof-load-truncated is enabled`);
  }

  /** Commands replayed, for reading the clock every so many (replayOne). */
  private replayTicks = 0;

  private replayOne(c: Client, argv: string[], file: string, offset: number): void {
    const s = this.server;
    const name = argv[0]!.toLowerCase();
    if (name === 'select') {
      const db = s.keyspace.dbs[Number(argv[1])];
      if (db === undefined)
        throw new LoadError(
          `The append only file ${file} selects database ${argv[1]} at offset ${offset}, which does not exist here`,
        );
      c.db = db;
      return;
    }
    let cmd = s.commands.lookup(name);
    if (cmd?.subcommands !== undefined && argv.length >= 2) cmd = cmd.subcommands.get(argv[1]!.toLowerCase());
    if (cmd === undefined || cmd.handler === undefined) {
      throw new LoadError(`Unknown command '${argv[0]}' reading the append only file ${file} at offset ${offset}`);
    }
    // The clock is read once per 64 commands (and per record, see replayIncr), not per command: two clock reads
    // were 5% of a load's time.
    if ((++this.replayTicks & 63) === 0) s.keyspace.tick();
    c.effectArgv = undefined;
    c.preventPropagation = false;
    c.current = cmd;
    s.effects.begin();
    try {
      cmd.handler(c, argv);
    } catch (e) {
      if (!(e instanceof ReplyError)) throw e;
      s.stats.unexpectedErrorReplies++;
      s.log(
        'warning',
        `Command '${argv[0]}' from the append only file ${file} (offset ${offset}) failed: ${e.message}`,
      );
    } finally {
      s.effects.end();
      c.out.discard();
    }
  }

  // ---------------------------------------------------------------- the append-only log

  private incrName(seq: number): string {
    return `${fsPath(this.cfg.appendfilename)}.${seq}.incr.aof`;
  }

  private baseName(seq: number): string {
    return `${fsPath(this.cfg.appendfilename)}.${seq}.base.snap`;
  }

  /** The next sequence number for a base or incremental file: past every file of that kind, history too. */
  private nextSeq(type: 'b' | 'i'): number {
    const suffix = type === 'b' ? '.base.snap' : '.incr.aof';
    let n = 0;
    for (const e of this.manifest) {
      if ((e.type === type || (e.type === 'h' && e.name.endsWith(suffix))) && e.seq > n) n = e.seq;
    }
    return n + 1;
  }

  /**
   * Opens an incremental file for appending: the manifest's last one as it is, or (`fresh`) a new one emptied
   * first, as Redis opens a new incremental file: a stray file of that name that no manifest lists is not part of
   * the log, and records appended after its bytes would make the log unreadable.
   */
  private openTarget(name: string, fresh = true): AofTarget {
    const file = path.join(this.aofDir, name);
    // Always O_APPEND: after a failed write the writer cuts the file back and retries at its end.
    const { O_WRONLY, O_CREAT, O_APPEND, O_TRUNC } = fs.constants;
    const fd = fs.openSync(file, O_WRONLY | O_CREAT | O_APPEND | (fresh ? O_TRUNC : 0), 0o644);
    return { fd, name, size: fs.fstatSync(fd).size };
  }

  private writeManifest(entries: ManifestEntry[]): void {
    writeFileAtomic(this.aofDir, this.manifestName(), formatManifest(entries));
    this.manifest = entries;
  }

  /** At start with appendonly yes: append to the last incremental file, or create the log from the dataset. */
  private openAofAtStart(): void {
    fs.mkdirSync(this.aofDir, { recursive: true });
    const lastIncr = [...this.manifest].reverse().find((e) => e.type === 'i');
    if (this.manifest.some((e) => e.type !== 'h')) {
      let target: AofTarget;
      if (lastIncr) target = this.openTarget(lastIncr.name, false);
      else {
        const seq = this.nextSeq('i');
        target = this.openTarget(this.incrName(seq));
        this.writeManifest([...this.manifest, { name: target.name, seq, type: 'i' }]);
      }
      // The size the automatic rewrite measures growth from: after a restart, the base file's alone, as Redis
      // takes it (the size at the last rewrite is not kept anywhere), so a log that grew a lot rewrites soon.
      this.aofBaseSize = this.aofCurrentBaseFileSize;
      this.attachWriter(target);
      return;
    }
    // No log yet: write the dataset as a base file, then start an incremental file.
    const baseSeq = this.nextSeq('b');
    const baseName = this.baseName(baseSeq);
    this.server.log('notice', `Creating AOF base file ${baseName} on server start`);
    this.aofCurrentBaseFileSize = this.writeSnapshotSync(path.join(this.aofDir, baseName));
    const incrSeq = this.nextSeq('i');
    const target = this.openTarget(this.incrName(incrSeq));
    this.writeManifest([
      { name: baseName, seq: baseSeq, type: 'b' },
      { name: target.name, seq: incrSeq, type: 'i' },
    ]);
    this.aofBaseSize = this.aofSize(target);
    this.attachWriter(target);
  }

  private attachWriter(target: AofTarget): void {
    const w = new AofWriter(target);
    w.timestamps = this.cfg['aof-timestamp-enabled'];
    w.log = (level, msg) => this.server.log(level, msg);
    w.onProgress = () => this.releaseSynced();
    w.onFailure = (seq) => this.dropWaiting(seq);
    this.writer = w;
    this.server.outputGate = (c) => this.gate(c);
    this.unsinkEffects = this.server.effects.addSink((batch) => this.onEffects(batch));
  }

  /** Bytes of the live log: base file + incremental files. */
  private aofSize(current = this.writer?.target): number {
    let n = this.aofCurrentBaseFileSize;
    for (const e of this.manifest) {
      if (e.type !== 'i') continue;
      if (current && e.name === current.name) n += current.size;
      else {
        try {
          n += fs.statSync(path.join(this.aofDir, e.name)).size;
        } catch {
          // listed but gone: counted as empty
        }
      }
    }
    return n;
  }

  /** The effects sink: filters out databases kept in memory only, and picks the strictest fsync policy. */
  private onEffects(batch: readonly Effect[]): void {
    const w = this.writer;
    if (w === null) return;
    if (this.policies.size === 0) {
      w.append(batch, this.cfg.appendfsync === 'always');
      return;
    }
    let always = false;
    const kept: Effect[] = [];
    for (const e of batch) {
      const n = e.argv[0]!;
      if (n.length <= 5 && (/^multi$/i.test(n) || /^exec$/i.test(n))) {
        kept.push(e);
        continue;
      }
      const p = this.policy(e.db);
      if (p === 'none') continue;
      if (p === 'always') always = true;
      kept.push(e);
    }
    const inner = kept.filter((e) => !/^(multi|exec)$/i.test(e.argv[0]!));
    if (inner.length === 0) return;
    w.append(inner.length === 1 ? inner : kept, always);
  }

  /** The output gate (group commit): holds a client's replies until the fsync they depend on is done. */
  private gate(c: Client): boolean {
    const w = this.writer;
    if (w === null || this.releasing === c || w.error !== null || !w.mustHold()) return false;
    const need = w.holdMark;
    if (c.aofWait === 0) this.held.push(c);
    if (c.aofWait < need) c.aofWait = need;
    return true;
  }

  private releaseSynced(): void {
    const w = this.writer;
    if (w === null) return this.releaseAll();
    if (w.error !== null) {
      this.releaseAll();
      return;
    }
    // In place; a client held again while the others are flushed is pushed onto the list and met in this loop.
    const held = this.held;
    let k = 0;
    for (let i = 0; i < held.length; i++) {
      const c = held[i]!;
      if (c.aofWait > w.ackedSeq) {
        held[k++] = c;
        continue;
      }
      c.aofWait = 0;
      this.flushHeld(c);
    }
    held.length = k;
  }

  private flushHeld(c: Client): void {
    if (c.closed) return;
    this.releasing = c;
    try {
      c.flush();
    } finally {
      this.releasing = null;
    }
  }

  private releaseAll(): void {
    const list = this.held;
    this.held = [];
    for (const c of list) {
      c.aofWait = 0;
      this.flushHeld(c);
    }
  }

  /** A batch could not be made durable: clients waiting for it never get their replies; they are disconnected. */
  private dropWaiting(seq: number): void {
    const list = this.held;
    this.held = [];
    for (const c of list) {
      if (c.aofWait < seq) {
        this.held.push(c);
        continue;
      }
      c.aofWait = 0;
      c.out.discard();
      this.server.closeClient(c);
    }
  }

  /** MISCONF: writes (and PING, as in Redis) are refused while the log cannot be written or a BGSAVE failed. */
  private writeGuard(): void {
    const w = this.writer;
    if (w !== null && w.error !== null) throw new ReplyError(`MISCONF Errors writing to the AOF file: ${w.error}`);
    if (this.lastBgsaveStatus === 'err' && this.cfg['stop-writes-on-bgsave-error'] && this.cfg.save.length > 0) {
      throw new ReplyError(
        "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
      );
    }
  }

  // ---------------------------------------------------------------- snapshots and rewrites

  /**
   * Writes a complete snapshot of the persisted databases to `file` synchronously (SAVE, AOF creation). The
   * temporary file is made in `dir` (the directory `file` was named in: a dbfilename of '..' must not move it out).
   */
  private writeSnapshotSync(file: string, dir = path.dirname(file)): number {
    const tmp = path.join(dir, `temp-${tempTag()}-sync.snap`);
    const fd = fs.openSync(tmp, 'w', 0o644);
    let size = 0;
    try {
      const enc = new SnapshotEncoder(fdOut(fd), this.server.keyspace.dbs.length, '0.1.0');
      const job = new SnapshotJob(this.server.keyspace, enc, this.persisted);
      job.step(Infinity);
      size = enc.bytes;
      fs.fsyncSync(fd);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    fs.closeSync(fd);
    try {
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    fsyncDir(path.dirname(file));
    return size;
  }

  /**
   * A synchronous save: SAVE, which INFO's rdb_saves counts (failed ones too), and the saves of FLUSHALL, DEBUG
   * RELOAD and shutdown, which it does not (`counted` false), as in Redis. Throws on failure, which leaves the
   * background-save status alone: only a failed BGSAVE stops writes (MISCONF).
   */
  saveSync(counted = true): void {
    if (counted) this.rdbSaves++;
    const ks = this.server.keyspace;
    const t0 = Date.now();
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      this.writeSnapshotSync(path.join(this.dir, fsPath(this.cfg.dbfilename)), this.dir);
    } catch (e) {
      this.rdbLastSaveError = strerror(e);
      this.server.log('warning', `Failed saving the DB: ${strerror(e)}`);
      throw e;
    }
    ks.dirty = 0;
    this.server.lastSave = Math.floor(Date.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    this.server.log('notice', `DB saved on disk (${Date.now() - t0} ms)`);
  }

  /**
   * DEBUG RELOAD: saves the snapshot (unless `save` is false), empties every database (unless `flush` is false)
   * and loads the snapshot back, all synchronously. Returns the error text to reply with, or undefined.
   * Without `flush`, a key both in memory and in the file is taken from the file with `merge`; without it the
   * server stops, as Redis does on a duplicated key.
   */
  debugReload(opts: { save: boolean; flush: boolean; merge: boolean }): string | undefined {
    const s = this.server;
    const file = path.join(this.dir, fsPath(this.cfg.dbfilename));
    if (opts.save) {
      try {
        this.saveSync(false);
      } catch {
        return 'ERR';
      }
    }
    const ks = s.keyspace;
    if (opts.flush) for (const db of ks.dbs) db.clear();
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
      verifySnapshot(buf, file);
    } catch (e) {
      s.log('warning', e instanceof CorruptFileError ? e.message : `Fatal error loading the DB: ${strerror(e)}.`);
      return 'ERR Error trying to load the RDB dump';
    }
    const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
    const frozen = ks.frozenExpiry;
    ks.frozenExpiry = true;
    try {
      if (opts.flush) {
        // A key whose time has passed is not loaded, as in Redis; the log hears of it as a deletion, or its later
        // records (a SET … KEEPTTL) would replay against the key.
        const gone: [number, string][] = [];
        const note = (db: number, key: string): boolean => {
          if (s.effects.hasSinks) gone.push([db, key]);
          return false;
        };
        for (const _ of loadSnapshot(buf, ks, file, res, Date.now(), note));
        for (const [db, key] of gone) s.propagateDeletion(ks.dbs[db]!, key);
      } else {
        const scratch = new Keyspace(ks.dbs.length);
        for (const _ of loadSnapshot(buf, scratch, file, res));
        for (const from of scratch.dbs) {
          const to = ks.dbs[from.id]!;
          for (const [k, e] of from.dict) {
            if (!opts.merge && to.dict.has(k)) {
              s.log('warning', `RDB has duplicated key '${k}' in DB ${from.id}`);
              s.log('warning', 'Guru Meditation: Duplicated key found in RDB file');
              // Redis stops here (serverPanic): the program exits, an embedded server closes.
              s.onFatal();
              throw new Error('Duplicated key found in RDB file');
            }
            to.set(k, from.vals[e]!);
            const exp = from.expires.get(k);
            if (exp !== undefined) to.setExpire(k, exp);
          }
        }
      }
    } finally {
      ks.frozenExpiry = frozen;
    }
    this.lastLoadLoaded = res.loaded;
    this.lastLoadExpired = res.expired;
    s.log('notice', `Done loading snapshot ${file}, keys loaded: ${res.loaded}, keys expired: ${res.expired}.`);
    s.log('notice', 'DB reloaded by DEBUG RELOAD');
    return undefined;
  }

  /**
   * FLUSHALL's part, as in Redis: a background save under way is stopped (finishing, it would put the flushed data
   * back in the snapshot file), and with save points configured the empty dataset is saved at once, so a restart
   * cannot bring the flushed keys back. Not while loading: the log being replayed decides what is kept.
   */
  afterFlushAll(): void {
    if (this.job?.kind === 'rdb') this.abortJob('FLUSHALL');
    if (this.cfg.save.length === 0 || this.server.loading) return;
    try {
      this.saveSync(false);
    } catch {
      // Logged by saveSync; FLUSHALL has flushed and replies OK regardless, as in Redis.
    }
  }

  /** BGSAVE: starts a background point-in-time snapshot. */
  bgsave(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `temp-${tempTag()}.rdb`);
    this.lastBgsaveTry = Date.now();
    this.dirtyAtBgsave = this.server.keyspace.dirty;
    // Counted when it starts, as Redis counts it: a save that FLUSHALL stops still counts.
    this.rdbSaves++;
    this.startJob('rdb', tmp, (err, job) => {
      this.lastBgsaveTimeSec = Math.round((Date.now() - job.started) / 1000);
      if (err !== undefined) {
        this.lastBgsaveStatus = 'err';
        this.rdbLastSaveError = strerror(err);
        this.server.log('warning', `Background saving error: ${strerror(err)}`);
        return;
      }
      const final = path.join(this.dir, fsPath(this.cfg.dbfilename));
      try {
        fs.renameSync(tmp, final);
        fsyncDir(this.dir);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        this.lastBgsaveStatus = 'err';
        this.server.log('warning', `Background saving error: ${strerror(e)}`);
        return;
      }
      this.server.keyspace.dirty -= this.dirtyAtBgsave;
      this.server.lastSave = Math.floor(Date.now() / 1000);
      this.lastBgsaveStatus = 'ok';
      this.rdbLastSaveError = null;
      this.server.log('notice', 'Background saving terminated with success');
    });
    this.server.log('notice', 'Background saving started');
  }

  /** BGREWRITEAOF: starts a rewrite (a new base at a cut, and a new incremental file from the same cut). */
  bgrewriteaof(): void {
    fs.mkdirSync(this.aofDir, { recursive: true });
    const baseSeq = this.nextSeq('b');
    const baseName = this.baseName(baseSeq);
    const tmp = path.join(this.aofDir, `temp-rewriteaof-bg-${tempTag()}.snap`);
    const w = this.writer;
    let liveFrom: number;
    if (w !== null) {
      // Later effects go to a new incremental file, listed in the manifest before anything is written to it.
      const incrSeq = this.nextSeq('i');
      const target = this.openTarget(this.incrName(incrSeq));
      this.manifest = [...this.manifest, { name: target.name, seq: incrSeq, type: 'i' as const }];
      // The manifest is written from its state when the task runs (an earlier rewrite may finish first).
      w.switchTo(target, () => writeFileAtomic(this.aofDir, this.manifestName(), formatManifest(this.manifest)));
      liveFrom = incrSeq;
    } else {
      liveFrom = Number.MAX_SAFE_INTEGER;
    }
    this.server.log('notice', 'Background append only file rewriting started');
    this.aofRewrites++; // counted when it starts, as Redis counts a rewrite it forks
    this.startJob('aof', tmp, (err, job) => {
      this.lastRewriteTimeSec = Math.round((Date.now() - job.started) / 1000);
      const fail = (e: unknown): void => {
        this.finishingRewrite = false;
        this.lastRewriteStatus = 'err';
        this.aofRewriteFailures++;
        fs.rmSync(tmp, { force: true });
        this.server.log('warning', `Background AOF rewrite failed: ${strerror(e)}`);
      };
      if (err !== undefined) return fail(err);
      try {
        fs.renameSync(tmp, path.join(this.aofDir, baseName));
        fsyncDir(this.aofDir);
      } catch (e) {
        return fail(e);
      }
      const baseSize = job.bytes;
      this.finishingRewrite = true;
      const finish = (): void => {
        this.finishingRewrite = false;
        const keep = this.manifest.filter((e) => e.type === 'i' && e.seq >= liveFrom);
        const dropped = this.manifest.filter((e) => e.type !== 'h' && !(e.type === 'i' && e.seq >= liveFrom));
        this.writeManifest([{ name: baseName, seq: baseSeq, type: 'b' }, ...keep]);
        for (const e of dropped) fs.rmSync(path.join(this.aofDir, e.name), { force: true });
        this.aofCurrentBaseFileSize = baseSize;
        this.aofBaseSize = this.aofSize();
        this.lastRewriteStatus = 'ok';
        this.aofRewriteFailures = 0;
        this.server.log('notice', 'Background AOF rewrite terminated with success');
        this.runScheduled();
      };
      const wr = this.writer;
      if (wr !== null) {
        wr.enqueueTask(() => {
          try {
            finish();
          } catch (e) {
            fail(e);
          }
        });
      } else {
        try {
          finish();
        } catch (e) {
          fail(e);
        }
      }
    });
  }

  private startJob(
    kind: 'rdb' | 'aof',
    tmp: string,
    done: (err: unknown, job: RunningJob & { bytes: number }) => void,
  ): void {
    const fd = fs.openSync(tmp, 'w', 0o644);
    let writeError: unknown;
    const out = fdOut(fd, (e) => (writeError ??= e));
    const enc = new SnapshotEncoder(out, this.server.keyspace.dbs.length, '0.1.0');
    const t0 = performance.now();
    const job = new SnapshotJob(this.server.keyspace, enc, this.persisted);
    // The cut stands where Redis forks: INFO's total_forks and latest_fork_usec count and time it.
    this.forks++;
    this.lastForkUsec = Math.round((performance.now() - t0) * 1000);
    const running: RunningJob & { bytes: number } = {
      kind,
      job,
      fd,
      tmp,
      started: Date.now(),
      aborted: false,
      error: undefined,
      bytes: 0,
    };
    this.job = running;
    const finish = (err: unknown): void => {
      if (this.job === running) this.job = null;
      running.bytes = enc.bytes;
      done(err, running);
      this.runScheduled();
    };
    const step = (): void => {
      if (running.aborted) return;
      let finished: boolean;
      try {
        finished = job.step(STEP_BUDGET_MS);
      } catch (e) {
        job.stop();
        fs.closeSync(fd);
        fs.rmSync(tmp, { force: true });
        return finish(e);
      }
      if (writeError !== undefined) {
        job.stop();
        fs.closeSync(fd);
        fs.rmSync(tmp, { force: true });
        return finish(writeError);
      }
      if (!finished) {
        setImmediate(step);
        return;
      }
      fs.fsync(fd, (err) => {
        fs.close(fd, () => {
          if (running.aborted) return;
          if (err) fs.rmSync(tmp, { force: true });
          finish(err ?? undefined);
        });
      });
    };
    setImmediate(step);
  }

  private abortJob(why: string): void {
    const j = this.job;
    if (!j) return;
    this.job = null;
    if (j.kind === 'aof') this.initialRewrite = false;
    j.aborted = true;
    j.job.stop();
    try {
      fs.closeSync(j.fd);
    } catch {
      // closed by the job already
    }
    fs.rmSync(j.tmp, { force: true });
    this.server.log('notice', `Background ${j.kind === 'rdb' ? 'saving' : 'AOF rewrite'} stopped (${why})`);
  }

  private runScheduled(): void {
    if (this.jobKind !== null) return;
    if (this.turnOnPending) {
      this.turnOnPending = false;
      this.aofRewriteScheduled = false;
      if (!this.cfg.appendonly || this.writer !== null) return;
      try {
        this.turnAofOn();
      } catch (e) {
        this.server.log('warning', `Can't turn the append only file on: ${strerror(e)}`);
      }
      return;
    }
    if (this.aofRewriteScheduled) {
      this.aofRewriteScheduled = false;
      this.bgrewriteaof();
    } else if (this.bgsaveScheduled) {
      this.bgsaveScheduled = false;
      this.bgsave();
    }
  }

  scheduleBgsave(): void {
    this.bgsaveScheduled = true;
  }

  scheduleRewrite(): void {
    this.aofRewriteScheduled = true;
    this.aofRewriteFailures = 0;
  }

  // ---------------------------------------------------------------- timers

  private tick(): void {
    const w = this.writer;
    const now = Date.now();
    if (
      w !== null &&
      now - w.lastFsyncAt >= 1000 &&
      (this.cfg.appendfsync === 'everysec' || [...this.policies.values()].includes('everysec'))
    ) {
      if (w.pendingOps > 0) this.aofDelayedFsync++;
      w.lastFsyncAt = now;
      w.requestSync();
    }
    if (this.jobKind !== null) return;
    this.runScheduled();
    if (this.jobKind !== null) return;
    const ks = this.server.keyspace;
    const sp = this.cfg.save;
    const nowSec = Math.floor(now / 1000);
    for (let i = 0; i + 1 < sp.length; i += 2) {
      const secs = Number(sp[i]);
      const changes = Number(sp[i + 1]);
      if (
        ks.dirty >= changes &&
        nowSec - this.server.lastSave > secs &&
        (now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY_MS || this.lastBgsaveStatus === 'ok')
      ) {
        this.server.log('notice', `${changes} changes in ${secs} seconds. Saving...`);
        try {
          this.bgsave();
        } catch (e) {
          this.lastBgsaveStatus = 'err';
          this.lastBgsaveTry = now;
          this.server.log('warning', `Can't save in background: ${strerror(e)}`);
        }
        return;
      }
    }
    const perc = this.cfg['auto-aof-rewrite-percentage'];
    if (w !== null && perc > 0) {
      const size = this.aofSize();
      const base = this.aofBaseSize > 0 ? this.aofBaseSize : 1;
      if (size > this.cfg['auto-aof-rewrite-min-size'] && ((size - base) * 100) / base >= perc) {
        this.server.log(
          'notice',
          `Starting automatic rewriting of AOF on ${Math.round(((size - base) * 100) / base)}% growth`,
        );
        this.bgrewriteaof();
      }
    }
  }

  // ---------------------------------------------------------------- configuration changes

  private configChanged(name: string): void {
    if (name === 'db-persistence') this.readPolicies();
    if (name === 'aof-timestamp-enabled' && this.writer !== null) this.writer.timestamps = this.cfg[name];
    if (name === 'appendonly') {
      if (this.cfg.appendonly && this.writer === null) this.turnAofOn();
      else if (!this.cfg.appendonly) {
        if (this.turnOnPending) this.turnOnPending = this.aofRewriteScheduled = false;
        if (this.writer !== null) void this.stopAof();
      }
    }
  }

  /** CONFIG SET appendonly yes: start logging now, and write a base with a rewrite from the same cut. */
  private turnAofOn(): void {
    // What can fail comes first, before any state changes: the directory, the manifest, the new file.
    fs.mkdirSync(this.aofDir, { recursive: true });
    // Later, as Redis schedules it: after a background save under way (logging starts with the rewrite that
    // follows it, which snapshots everything changed meanwhile), or after the transaction this runs in (the base
    // is cut once it is over).
    const why =
      this.job !== null && this.job.kind === 'rdb'
        ? 'but there is already another background operation'
        : this.server.callDepth > 1
          ? 'during a transaction'
          : null;
    if (why !== null) {
      this.turnOnPending = true;
      this.aofRewriteScheduled = true;
      this.server.log('warning', `AOF was enabled ${why}. An AOF background was scheduled to start when possible.`);
      return;
    }
    const manifestPath = path.join(this.aofDir, this.manifestName());
    const manifest = fs.existsSync(manifestPath)
      ? parseManifest(fs.readFileSync(manifestPath, 'utf8'), manifestPath)
      : [];
    const previous = this.manifest;
    this.manifest = manifest;
    const incrSeq = this.nextSeq('i');
    let target: AofTarget;
    try {
      target = this.openTarget(this.incrName(incrSeq));
    } catch (e) {
      this.manifest = previous;
      throw e;
    }
    if (this.job !== null) this.abortJob('AOF turned on');
    // Until the rewrite lists it, the new file is not part of the log: older files are dropped when it finishes.
    this.manifest = this.manifest.map((e) => (e.type === 'h' ? e : { ...e, type: 'h' as const }));
    this.manifest.push({ name: target.name, seq: incrSeq, type: 'i' });
    this.attachWriter(target);
    const liveFrom = incrSeq;
    const baseSeq = this.nextSeq('b');
    const baseName = this.baseName(baseSeq);
    const tmp = path.join(this.aofDir, `temp-rewriteaof-bg-${tempTag()}.snap`);
    this.initialRewrite = true;
    this.aofRewrites++;
    this.startJob('aof', tmp, (err, job) => {
      this.initialRewrite = false;
      if (err !== undefined) {
        this.lastRewriteStatus = 'err';
        this.server.log('warning', `Background AOF rewrite failed: ${strerror(err)}`);
        return;
      }
      fs.renameSync(tmp, path.join(this.aofDir, baseName));
      fsyncDir(this.aofDir);
      this.writer?.enqueueTask(() => {
        const keep = this.manifest.filter((e) => e.type === 'i' && e.seq >= liveFrom);
        const dropped = this.manifest.filter((e) => !(e.type === 'i' && e.seq >= liveFrom) && e.name !== baseName);
        this.writeManifest([{ name: baseName, seq: baseSeq, type: 'b' }, ...keep]);
        for (const e of dropped) fs.rmSync(path.join(this.aofDir, e.name), { force: true });
        this.aofCurrentBaseFileSize = job.bytes;
        this.aofBaseSize = this.aofSize();
        this.lastRewriteStatus = 'ok';
      });
    });
  }

  // ---------------------------------------------------------------- INFO

  /** The fields of INFO's Persistence section, in Redis's order (plus Cairn's db_persistence when set). */
  info(): Record<string, string | number> {
    const s = this.server;
    const now = Date.now();
    const j = this.job;
    const out: Record<string, string | number> = {
      loading: s.loading ? 1 : 0,
      async_loading: 0,
      current_cow_peak: 0,
      current_cow_size: 0,
      current_cow_size_age: 0,
      current_fork_perc: '0.00',
      current_save_keys_processed: j ? j.job.processed : 0,
      current_save_keys_total: j ? j.job.total : 0,
      rdb_changes_since_last_save: s.keyspace.dirty,
      rdb_bgsave_in_progress: j?.kind === 'rdb' ? 1 : 0,
      rdb_last_save_time: s.lastSave,
      rdb_last_bgsave_status: this.lastBgsaveStatus,
      rdb_last_bgsave_time_sec: this.lastBgsaveTimeSec,
      rdb_current_bgsave_time_sec: j?.kind === 'rdb' ? Math.round((now - j.started) / 1000) : -1,
      rdb_saves: this.rdbSaves,
      rdb_last_cow_size: 0,
      rdb_last_load_keys_expired: this.lastLoadExpired,
      rdb_last_load_keys_loaded: this.lastLoadLoaded,
      aof_enabled: this.writer !== null ? 1 : 0,
      aof_rewrite_in_progress: j?.kind === 'aof' ? 1 : 0,
      aof_rewrite_scheduled: this.aofRewriteScheduled ? 1 : 0,
      aof_last_rewrite_time_sec: this.lastRewriteTimeSec,
      aof_current_rewrite_time_sec: j?.kind === 'aof' ? Math.round((now - j.started) / 1000) : -1,
      aof_last_bgrewrite_status: this.lastRewriteStatus,
      aof_rewrites: this.aofRewrites,
      aof_rewrites_consecutive_failures: this.aofRewriteFailures,
      aof_last_write_status: this.writer?.error ? 'err' : 'ok',
      aof_last_cow_size: 0,
      module_fork_in_progress: 0,
      module_fork_last_cow_size: 0,
    };
    const w = this.writer;
    if (w !== null) {
      out['aof_current_size'] = this.aofSize();
      out['aof_base_size'] = this.aofBaseSize;
      out['aof_pending_rewrite'] = this.aofRewriteScheduled ? 1 : 0;
      out['aof_buffer_length'] = w.bufferLength;
      out['aof_pending_bio_fsync'] = 0;
      out['aof_delayed_fsync'] = this.aofDelayedFsync;
    }
    if (s.loading && this.loadingStart > 0) {
      const elapsed = (now - this.loadingStart) / 1000;
      const perc = this.loadingTotal > 0 ? (this.loadingLoaded * 100) / this.loadingTotal : 0;
      const eta =
        this.loadingLoaded > 0
          ? Math.round(((this.loadingTotal - this.loadingLoaded) * elapsed) / this.loadingLoaded)
          : 1;
      out['loading_start_time'] = Math.floor(this.loadingStart / 1000);
      out['loading_total_bytes'] = this.loadingTotal;
      out['loading_rdb_used_mem'] = 0;
      out['loading_loaded_bytes'] = this.loadingLoaded;
      out['loading_loaded_perc'] = formatFixed(perc, 2);
      out['loading_eta_seconds'] = eta;
    }
    if (this.policies.size > 0) {
      out['db_persistence'] = [...this.policies]
        .sort((a, b) => a[0] - b[0])
        .map(([db, p]) => `db${db}=${p}`)
        .join(',');
    }
    void this.historySize;
    void this.rdbLastSaveError;
    return out;
  }
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** A synchronous appender to `fd`; with `onError`, errors are reported there (and later output dropped). */
function fdOut(fd: number, onError?: (e: unknown) => void): (b: Buffer) => void {
  let failed = false;
  return (b) => {
    if (failed) return;
    try {
      let off = 0;
      while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    } catch (e) {
      if (!onError) throw e;
      failed = true;
      onError(e);
    }
  };
}
