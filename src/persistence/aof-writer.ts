// The AOF write pipeline: effects are formatted into the current turn's record, and one write (plus, when any
// of it must be durable at once, one fdatasync) per event-loop turn puts it in the file: group commit.
//
// Replies of clients that must not see unacknowledged data are held by the output gate until the fsync of the
// latest batch holding `always` data completes (see `mustHold`). Operations run strictly in order on a queue:
// writes, fsyncs, and tasks (switching files, writing the manifest). A failed write or fsync stops the queue:
// the file is cut back to its last good size, the error is reported (writes are refused meanwhile), and the
// operation is retried every second until the disk works again.

import fs from 'node:fs';
import { frameRecord, respCommand } from './aof-format.js';

type Op =
  | { kind: 'write'; target: AofTarget; buf: Buffer; seq: number; sync: boolean }
  | { kind: 'sync'; target: AofTarget; seq: number }
  | { kind: 'task'; run: () => void };

/** An open incremental file. */
export interface AofTarget {
  fd: number;
  name: string;
  /** Bytes known to be written completely. */
  size: number;
}

const STRERROR: Record<string, string> = {
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  EDQUOT: 'Disk quota exceeded',
  EBADF: 'Bad file descriptor',
  EROFS: 'Read-only file system',
  EFBIG: 'File too large',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
};

export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code && STRERROR[code]) return STRERROR[code];
  return (e as Error).message ?? String(e);
}

export class AofWriter {
  target: AofTarget;
  private parts: string[] = [];
  private partsBytes = 0;
  private lastDb = -1;
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
    return this.partsBytes;
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
      const name = e.argv[0]!;
      const ctl = name.length <= 5 && (/^multi$/i.test(name) || /^exec$/i.test(name));
      if (!ctl && e.db !== this.lastDb) {
        const sel = respCommand(['SELECT', String(e.db)]);
        this.parts.push(sel);
        this.partsBytes += sel.length;
        this.lastDb = e.db;
      }
      const s = respCommand(e.argv);
      this.parts.push(s);
      this.partsBytes += s.length;
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

  /**
   * Closes the open batch: queues it as one record for one write (and an fsync when it holds `always` data).
   * Called when the queue is idle; while a write or fsync is in flight, effects keep accumulating in the open
   * batch, so all clients served meanwhile share the next write and fsync (group commit).
   */
  private commit(): void {
    if (this.parts.length === 0) return;
    const body = Buffer.from(this.parts.join(''), 'latin1');
    this.parts = [];
    this.partsBytes = 0;
    const seq = this.openSeq++;
    const sync = this.alwaysMark === seq;
    this.queue.push({ kind: 'write', target: this.target, buf: frameRecord(body), seq, sync });
  }

  /** Queues an fsync of everything written so far (everysec, shutdown). */
  requestSync(): void {
    if (!this.unsyncedWritten && this.parts.length === 0) return;
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
        const t = op.target;
        writeAll(t.fd, op.buf, (err) => {
          if (err) return done(err);
          t.size += op.buf.length;
          this.counters.writes++;
          this.writtenSeq = op.seq;
          if (!op.sync) {
            this.unsyncedWritten = true;
            this.ackedSeq = op.seq;
            this.onProgress();
            return done(null);
          }
          fs.fdatasync(t.fd, (err2) => {
            if (err2) return done(err2);
            this.ackedSeq = op.seq;
            this.markSynced(op.seq);
            done(null);
          });
        });
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

function writeAll(fd: number, buf: Buffer, cb: (err: NodeJS.ErrnoException | null) => void, off = 0): void {
  fs.write(fd, buf, off, buf.length - off, null, (err, n) => {
    if (err) return cb(err);
    off += n;
    if (off < buf.length) writeAll(fd, buf, cb, off);
    else cb(null);
  });
}
