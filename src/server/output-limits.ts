// client-output-buffer-limit: clients whose pending output grows past their class's limits are closed.
//
// A client's pending output is what its OutputBuffer holds plus what was handed to the socket and not yet taken
// by the kernel (`socket.writableLength`). As in Redis, whose first 16 KB of pending replies sit in a fixed
// buffer that the limits do not count, only what lies beyond the first 16 KB counts, in 16 KB blocks (Redis's
// reply-list nodes): CLIENT LIST shows that figure as `omem`. Its class is `pubsub` while it has any subscription (RESP2 or RESP3),
// else `normal` (MONITOR clients included, as in Redis; Cairn has no replicas, so the `replica` class is only
// configured). Over the hard limit, or over the soft limit for longer than its seconds, the client is closed at
// once: its pending output is dropped and it runs no further commands. A client that has not authenticated
// where a password is needed is closed past 1 KB beyond the fixed buffer, whatever the limits (as in Redis).
//
// Cost on the hot path: the client compares its pending byte count with `checkFrom` (the smallest limit of any
// class) and calls `enforce` only above it, while it is over a soft limit, or while it has not authenticated. A one-second timer runs only while
// some client is over a soft limit, so a client that gets no more output is still closed when its time is up.

import type { OutputBufferClass, OutputBufferLimits } from '../config.js';
import { clientInfoLine } from '../commands/client.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

/** The size of Redis's fixed per-client reply buffer, which the limits do not count. */
const FIXED_BUF = 16 * 1024;
/** The most output a client that has not authenticated may have beyond the fixed buffer. */
const UNAUTHENTICATED_MAX = 1024;

interface ClassLimit {
  hard: number;
  soft: number;
  seconds: number;
}

export class OutputLimits {
  /** Pending bytes from which some client may be over a limit; Infinity when every limit is off. */
  checkFrom = Infinity;
  private limits: Record<OutputBufferClass, ClassLimit> = {
    normal: { hard: 0, soft: 0, seconds: 0 },
    replica: { hard: 0, soft: 0, seconds: 0 },
    pubsub: { hard: 0, soft: 0, seconds: 0 },
  };
  /** Clients over their soft limit (their `obufSoftSince` is set). */
  private readonly soft = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly server: Server) {
    this.refresh();
    const prev = server.config.onChange;
    server.config.onChange = (name) => {
      prev(name);
      if (name === 'client-output-buffer-limit') this.refresh();
    };
    server.clientCloseHooks.push((c) => this.forget(c));
  }

  /** Reads the configured limits. */
  refresh(): void {
    const v: OutputBufferLimits = this.server.config.values['client-output-buffer-limit'];
    let min = Infinity;
    for (const cls of ['normal', 'replica', 'pubsub'] as const) {
      const l = v[cls];
      const hard = Number(l.hard);
      const soft = Number(l.soft);
      this.limits[cls] = { hard, soft, seconds: l.seconds };
      if (hard > 0 && hard < min) min = hard;
      if (soft > 0 && soft < min) min = soft;
    }
    // Below this many pending bytes no client can be over any limit.
    this.checkFrom = Math.max(min, FIXED_BUF + 1);
  }

  /** True while the client must still authenticate (it has not, and the default user needs a password). */
  unauthenticated(c: Client): boolean {
    return !c.authenticated && this.server.authRequired();
  }

  /** The class whose limits apply to a client. */
  classOf(c: Client): OutputBufferClass {
    return !c.monitor && this.server.pubsubCount(c) > 0 ? 'pubsub' : 'normal';
  }

  /** Bytes waiting to reach the client: its output buffer and the socket's unwritten data. */
  pending(c: Client): number {
    return c.out.pending + c.socketPending();
  }

  /** The pending output the limits count (Redis's reply-list memory): beyond 16 KB, in 16 KB blocks. */
  used(c: Client): number {
    const p = this.pending(c);
    return p <= FIXED_BUF ? 0 : Math.ceil((p - FIXED_BUF) / FIXED_BUF) * FIXED_BUF;
  }

  /**
   * Checks a client against its class's limits and closes it when it is over them (`fromCron`: found by the
   * timer rather than while writing). Returns true when the client was closed.
   */
  enforce(c: Client, fromCron = false): boolean {
    if (c.closed || c.sock === null) return false;
    const l = this.limits[this.classOf(c)];
    const used = this.used(c);
    // A client that has not authenticated where a password is needed gets 1 KB past the fixed buffer, whatever
    // its class's limits (Redis's rule): it cannot make the server hold replies it never reads.
    const hard = (l.hard > 0 && used >= l.hard) || (used > UNAUTHENTICATED_MAX && this.unauthenticated(c));
    let soft = l.soft > 0 && used >= l.soft;
    if (soft) {
      const now = Math.floor(Date.now() / 1000);
      if (c.obufSoftSince === 0) {
        c.obufSoftSince = now;
        this.soft.add(c);
        this.startTimer();
        soft = false;
      } else if (now - c.obufSoftSince <= l.seconds) {
        soft = false;
      }
    } else if (c.obufSoftSince !== 0) {
      c.obufSoftSince = 0;
      this.soft.delete(c);
    }
    if (!hard && !soft) return false;
    const info = clientInfoLine(c);
    c.out.discard();
    this.server.closeClient(c);
    c.sock.destroy();
    this.server.log(
      'warning',
      fromCron
        ? `Client ${info} closed for overcoming of output buffer limits.`
        : `Client ${info} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    return true;
  }

  private forget(c: Client): void {
    if (c.obufSoftSince !== 0) {
      c.obufSoftSince = 0;
      this.soft.delete(c);
    }
  }

  private startTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      for (const c of [...this.soft]) this.enforce(c, true);
      if (this.soft.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }, 1000);
    this.timer.unref();
  }
}
