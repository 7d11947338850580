// The effects stream: what the keyspace changes are, as deterministic commands, for the AOF and followers.

/** One effect: a command that, replayed in database `db`, reproduces a change. */
export interface Effect {
  db: number;
  argv: string[];
}

/** Receives each execution unit's effects: one command's, or a whole MULTI/EXEC's, already wrapped. */
export type EffectSink = (effects: readonly Effect[]) => void;

/**
 * Collects the effects of one execution unit and hands them to the sinks when the unit ends. A unit that made
 * more than one effect is wrapped in MULTI … EXEC so that it replays atomically.
 */
export class EffectStream {
  private pending: Effect[] = [];
  private sinks: EffectSink[] = [];
  /** Nesting depth of units (EXEC runs commands inside its own unit). */
  private depth = 0;

  addSink(s: EffectSink): () => void {
    this.sinks.push(s);
    return () => {
      this.sinks = this.sinks.filter((x) => x !== s);
    };
  }

  get hasSinks(): boolean {
    return this.sinks.length > 0;
  }

  /**
   * Records an effect of the current unit. With no sink (no AOF) there is no one to tell, and nothing is kept: an
   * effect costs no allocation then. A sink added later starts with the next effect, which is also what it must
   * see: the AOF that attaches starts from a base file that already holds every earlier change.
   */
  add(db: number, argv: string[]): void {
    if (this.sinks.length === 0) return;
    this.pending.push({ db, argv });
  }

  begin(): void {
    this.depth++;
  }

  end(): void {
    if (--this.depth > 0) return;
    this.depth = 0;
    if (this.pending.length === 0) return;
    let batch = this.pending;
    this.pending = [];
    if (this.sinks.length === 0) return;
    if (batch.length > 1) {
      const db = batch[0]!.db;
      batch = [{ db, argv: ['MULTI'] }, ...batch, { db: batch[batch.length - 1]!.db, argv: ['EXEC'] }];
    }
    for (const s of this.sinks) s(batch);
  }
}
