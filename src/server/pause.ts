// CLIENT PAUSE / UNPAUSE: holding clients' commands for a while, as Redis 7.0 does.
//
// WRITE holds write commands, may-replicate commands (PUBLISH, EVAL …) and an EXEC whose queue holds one of
// them; ALL holds every command (Cairn has no replicas, the only clients Redis exempts). The check runs in the
// dispatcher after every other check and before MULTI queueing, so a held command inside MULTI is not queued
// yet. A held client is blocked (CLIENT LIST flag b, its input waits) with its command remembered; at UNPAUSE or
// when the pause ends, held clients run their command again (re-checked) in the order they were held, then
// carry on with their input. A stricter type and a later end win over the current pause.

import type { CommandEntry } from '../commands/registry.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

export type PauseType = 'write' | 'all';

const MAX_TIMER_MS = 2 ** 31 - 1;

function holdsWrites(cmd: CommandEntry): boolean {
  return cmd.isWrite || cmd.flags.has('may_replicate');
}

export class Pause {
  private type: PauseType | null = null;
  /** Absolute Unix ms when the pause ends. */
  private end = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Held clients in the order they were held, with the command each will run. */
  private readonly held = new Map<Client, string[]>();

  constructor(private readonly server: Server) {
    server.clientCloseHooks.push((c) => this.held.delete(c));
  }

  /** Number of clients held by the pause. */
  get heldClients(): number {
    return this.held.size;
  }

  /** True while a pause is in force: keys are then neither expired nor evicted (reads still see them gone). */
  get active(): boolean {
    return this.type !== null && Date.now() <= this.end;
  }

  isHeld(c: Client): boolean {
    return this.held.has(c);
  }

  /** CLIENT PAUSE: `end` is absolute Unix ms (0 ends at once). */
  pause(end: number, type: PauseType): void {
    if (this.type !== 'all') this.type = type;
    if (end > this.end) this.end = end;
    this.arm();
  }

  /** CLIENT UNPAUSE, or the pause's end: held clients resume in order. */
  unpause(): void {
    this.type = null;
    this.end = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.size === 0) return;
    const list = [...this.held];
    this.held.clear();
    for (const [c] of list) c.blocked = false;
    setImmediate(() => {
      for (const [c, argv] of list) {
        if (c.closed) continue;
        this.server.execute(c, argv);
        this.server.tracking.afterCommand(c, argv);
        if (c.blocked) c.flush();
        else c.processInput();
      }
    });
  }

  /** Whether the dispatcher must hold this command now. */
  mustHold(c: Client, cmd: CommandEntry): boolean {
    if (this.type === null) return false;
    if (Date.now() > this.end) {
      this.unpause();
      return false;
    }
    if (this.type === 'all') return true;
    if (holdsWrites(cmd)) return true;
    return cmd.fullName === 'exec' && c.multi !== null && c.multi.queue.some((q) => holdsWrites(q.cmd));
  }

  /** Parks c with its command until the pause ends. */
  hold(c: Client, cmd: CommandEntry, argv: string[]): void {
    this.held.set(c, argv);
    c.blocked = true;
    c.current = cmd;
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const delay = this.end - Date.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (Date.now() >= this.end) this.unpause();
        else this.arm();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, delay + 1)),
    );
    this.timer.unref();
  }
}
