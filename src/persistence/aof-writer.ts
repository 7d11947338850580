// The AOF write pipeline: effects are formatted into the current turn's record, and one write (plus, when any
// of it must be durable at once, one fdatasync) per event-loop turn puts it in the file: group commit.
//
// Replies of clients that must not see unacknowledged data are held by the output gate until the fsync of the
// latest batch holding `always` data completes (see `mustHold`). Operations run strictly in order on a queue:
// writes, fsyncs, and tasks (switching files, writing the manifest). A failed write or fsync stops the queue:
// the file is cut back to its last good size, the error is reported (writes are refused meanwhile), and the
// operation is retried every second until the disk works again.

import fs from 'node:fs';
import { RECORD_MAX_HEADER, recordHeader } from './aof-format.js';
import { commandSize, writeCommand } from '../protocol/command-encoder.js';
import { crc32 } from './crc32.js';
import { strerror } from '../errors.js';

/** The batch buffer a writer keeps once its record is written, up to this size (a bigger one is let go). */
const RECORD_BUF_KEEP = 1024 * 1024;
/** The batch buffer's size when (re)made. */
const RECORD_BUF_START = 16 * 1024;
/** Room before a record's body in the reused buffer: its header, and a timestamp annotation line before that. */
const HEAD_ROOM = RECORD_MAX_HEADER + 32;

type Op =
  | { kind: 'write'; target: AofTarget; buf: Buffer; seq: number; sync: boolean; inPlace: boolean }
  | { kind: 'sync'; target: AofTarget; seq: number }
  | { kind: 'task'; run: () => void };

/** An open incremental file. */
export interface AofTarget {
  fd: number;
  name: string;
  /** Bytes known to be written completely. */
  size: number;
}

export class AofWriter {
  target: AofTarget;
  /**
   * The open batch: its commands in RESP, encoded straight into `batch` from HEAD_ROOM up to `batchEnd`. The
   * room before them takes the record's header (and an annotation line) when the batch is committed, so a record
   * written at once is written from this buffer without a copy. Reused from turn to turn: a new buffer per turn
   * would count toward V8's old-generation limit and bring full collections sooner.
   */
  private batch = Buffer.allocUnsafe(RECORD_BUF_START);
  private batchEnd = HEAD_ROOM;
  private lastDb = -1;
  /** aof-timestamp-enabled (the persistence manager keeps it current); the second last annotated. */
  timestamps = false;
  private lastTimestamp = 0;
  /** Sequence number the open batch will get. */
  private openSeq = 1;
  /** Highest batch sequence holding data that must be fsynced before replies go out. */
  private alwaysMark = 0;
  /** Highest batch sequence whose data is written and fsynced. */
  syncedSeq = 0;
  /** Highest batch sequence written (maybe not yet fsynced). */
  writtenSeq = 0;
  /** Highest batch sequence holding any effects. */
  private dataMark = 0;
  /**
   * Highest batch sequence that may be acknowledged: written to the file and, when it held `always` data,
   * fsynced. Batches complete in order, so every batch up to it is acknowledgeable too.
   */
  ackedSeq = 0;
  private queue: Op[] = [];
  private busy = false;
  private commitQueued = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The last write/fsync error (strerror text), or null when the disk works. */
  error: string | null = null;
  /** Called after every completed fsync, and when an error appears or clears. */
  onProgress: () => void = () => {};
  /** Called when batches up to `seq` can never be acknowledged (write failed): their waiting clients are dropped. */
  onFailure: (seq: number) => void = () => {};
  log: (level: 'warning' | 'notice', msg: string) => void = () => {};
  /** Bytes appended since the last fsync was queued (everysec bookkeeping). */
  private unsyncedWritten = false;
  /** Bytes buffered in the open batch. */
  get bufferLength(): number {
    return this.batchEnd - HEAD_ROOM;
  }
  /** Operations waiting to run. */
  get pendingOps(): number {
    return this.queue.length + (this.busy ? 1 : 0);
  }
  lastFsyncAt = Date.now();
  closed = false;
  /** Completed write() calls and fsyncs (group commit makes fsyncs far fewer than acknowledged writes). */
  readonly counters = { writes: 0, fsyncs: 0 };

  constructor(target: AofTarget) {
    this.target = target;
  }

  /**
   * True when replies produced now must wait: for the write of their batch (as Redis writes the AOF before
   * replying, so a killed process loses nothing acknowledged) and, for `always` data, its fsync.
   */
  mustHold(): boolean {
    return this.dataMark > this.ackedSeq;
  }

  /** The batch sequence a reply produced now must wait for. */
  get holdMark(): number {
    return this.dataMark;
  }

  /** Appends one execution unit's effects (already filtered) to the open batch. */
  append(effects: readonly { db: number; argv: string[] }[], always: boolean): void {
    for (const e of effects) {
      // As Redis propagates them: MULTI carries its first command's database, so a SELECT goes before it; EXEC
      // needs none.
      const name = e.argv[0]!;
      const exec = name.length === 4 && /^exec$/i.test(name);
      if (!exec && e.db !== this.lastDb) {
        this.encode(['SELECT', String(e.db)]);
        this.lastDb = e.db;
      }
      this.encode(e.argv);
    }
    if (always) this.alwaysMark = this.openSeq;
    this.dataMark = this.openSeq;
    if (!this.commitQueued) {
      this.commitQueued = true;
      setImmediate(() => {
        this.commitQueued = false;
        this.pump();
      });
    }
  }

  /** Appends one command to the open batch, growing its buffer when it lacks room. */
  private encode(argv: readonly string[]): void {
    const end = this.batchEnd;
    const size = commandSize(argv);
    let b = this.batch;
    if (end + size > b.length) {
      let cap = b.length * 2;
      while (cap < end + size) cap *= 2;
      const grown = Buffer.allocUnsafe(cap);
      b.copy(grown, HEAD_ROOM, HEAD_ROOM, end);
      b = this.batch = grown;
    }
    this.batchEnd = writeCommand(b, end, argv);
  }

  /**
   * Closes the open batch: queues it as one record for one write (and an fsync when it holds `always` data).
   * Called when the queue is idle; while a write or fsync is in flight, effects keep accumulating in the open
   * batch, so all clients served meanwhile share the next write and fsync (group commit).
   */
  private commit(): void {
    const end = this.batchEnd;
    if (end === HEAD_ROOM) return;
    const seq = this.openSeq++;
    const sync = this.alwaysMark === seq;
    // aof-timestamp-enabled: a `#TS:<unix seconds>` annotation line before the first record of each second, as
    // Redis writes one before the first command of each second (the loader reads it as an empty record).
    let prefix = '';
    if (this.timestamps) {
      const sec = Math.floor(Date.now() / 1000);
      if (sec > this.lastTimestamp) {
        prefix = `#TS:${sec}\r\n`;
        this.lastTimestamp = sec;
      }
    }
    const b = this.batch;
    const hdr = prefix + recordHeader(end - HEAD_ROOM, crc32(b, HEAD_ROOM, end));
    const start = HEAD_ROOM - hdr.length;
    b.latin1Write(hdr, start);
    const buf = b.subarray(start, end);
    this.batchEnd = HEAD_ROOM;
    // A record written before anything else (an idle queue: pump writes it at once) is written from the batch
    // buffer, which is then reused. One that must wait its turn takes the buffer with it, as does a big one.
    const now = this.queue.length === 0 && !this.busy && this.retryTimer === undefined;
    const inPlace = now && b.length <= RECORD_BUF_KEEP;
    if (!inPlace) this.batch = Buffer.allocUnsafe(RECORD_BUF_START);
    this.queue.push({ kind: 'write', target: this.target, buf, seq, sync, inPlace });
  }

  /** Queues an fsync of everything written so far (everysec, shutdown). */
  requestSync(): void {
    if (!this.unsyncedWritten && this.batchEnd === HEAD_ROOM) return;
    this.commit();
    this.unsyncedWritten = false;
    this.queue.push({ kind: 'sync', target: this.target, seq: this.openSeq - 1 });
    this.pump();
  }

  /**
   * Makes later effects go to a new file. The open batch is committed to the old file first; `task` runs in
   * order after it (e.g. writing the new manifest), before anything reaches the new file.
   */
  switchTo(next: AofTarget, task: () => void): void {
    this.commit();
    const old = this.target;
    this.queue.push({ kind: 'sync', target: old, seq: this.openSeq - 1 });
    this.queue.push({ kind: 'task', run: task });
    this.queue.push({
      kind: 'task',
      run: () => {
        try {
          fs.closeSync(old.fd);
        } catch {
          // already closed
        }
      },
    });
    this.target = next;
    this.lastDb = -1;
    this.pump();
  }

  /** Runs `task` after everything queued so far. */
  enqueueTask(task: () => void): void {
    this.queue.push({ kind: 'task', run: task });
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.retryTimer !== undefined) return;
    if (this.queue.length === 0) this.commit();
    const op = this.queue[0];
    if (op === undefined) return;
    this.busy = true;
    const done = (err: NodeJS.ErrnoException | null): void => {
      this.busy = false;
      if (err) return this.fail(op, err);
      this.queue.shift();
      if (this.error !== null) {
        this.error = null;
        this.log('notice', 'AOF write error is solved, the AOF works again.');
        this.onProgress();
      }
      this.pump();
    };
    switch (op.kind) {
      case 'write': {
        // Written at once, as Redis writes its AOF before it sleeps: a write(2) to the page cache costs less than
        // handing it to a pool thread and waking up for its completion, and the replies it holds go out this
        // turn. With `always` the fdatasync is made here too (as Redis makes it), once for every client served
        // this turn.
        const t = op.target;
        try {
          writeAllSync(t.fd, op.buf);
        } catch (e) {
          return done(e as NodeJS.ErrnoException);
        }
        t.size += op.buf.length;
        this.counters.writes++;
        this.writtenSeq = op.seq;
        if (!op.sync) {
          this.unsyncedWritten = true;
          this.ackedSeq = op.seq;
          this.onProgress();
          return done(null);
        }
        try {
          fs.fdatasyncSync(t.fd);
        } catch (e) {
          return done(e as NodeJS.ErrnoException);
        }
        this.ackedSeq = op.seq;
        this.markSynced(op.seq);
        done(null);
        return;
      }
      case 'sync':
        fs.fdatasync(op.target.fd, (err) => {
          if (err) return done(err);
          this.markSynced(op.seq);
          done(null);
        });
        return;
      case 'task':
        try {
          op.run();
        } catch (e) {
          return done(e as NodeJS.ErrnoException);
        }
        done(null);
        return;
    }
  }

  private markSynced(seq: number): void {
    this.counters.fsyncs++;
    this.lastFsyncAt = Date.now();
    if (seq > this.syncedSeq) this.syncedSeq = seq;
    this.onProgress();
  }

  private fail(op: Op, err: NodeJS.ErrnoException): void {
    const msg = strerror(err);
    const first = this.error === null;
    this.error = msg;
    if (first) this.log('warning', `Error writing to the AOF file: ${msg}`);
    if (op.kind === 'write' && op.inPlace) {
      // The record stays queued for the retry, in the batch buffer: later batches get a buffer of their own.
      op.inPlace = false;
      this.batch = Buffer.allocUnsafe(RECORD_BUF_START);
    }
    if (op.kind === 'write' || op.kind === 'sync') {
      // Cut back whatever part of the record reached the file, so the retry does not leave a torn record behind.
      try {
        fs.ftruncateSync(op.target.fd, op.target.size);
      } catch {
        // the retry will try again
      }
      // Replies waiting for this batch can never be acknowledged, whatever the fsync policy.
      if (op.kind === 'write') this.onFailure(op.seq);
      if (op.kind === 'sync') this.onFailure(op.seq);
    }
    this.onProgress();
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, 1000);
    this.retryTimer.unref?.();
  }

  /** Resolves when everything queued so far has been written and fsynced (or the writer has failed). */
  flushAndSync(): Promise<void> {
    this.commit();
    this.queue.push({ kind: 'sync', target: this.target, seq: this.openSeq - 1 });
    return new Promise((resolve) => {
      this.queue.push({ kind: 'task', run: resolve });
      this.pump();
      if (this.retryTimer !== undefined) resolve();
    });
  }

  stop(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

function writeAllSync(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}
