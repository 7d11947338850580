// The effects stream: what the keyspace changes are, as deterministic commands, for the AOF and followers.

/** One effect: a command that, replayed in database `db`, reproduces a change. */
export interface Effect {
  db: number;
  argv: string[];
}

/**
 * Receives each execution unit's effects: one command's, or a whole MULTI/EXEC's, already wrapped. The array and
 * its effects are reused for the next unit: a sink that keeps an effect past the call keeps a copy.
 */
export type EffectSink = (effects: readonly Effect[]) => void;

const NO_ARGV: string[] = [];
/** Effect objects kept for reuse. */
const KEPT_EFFECTS = 1024;

/**
 * Collects the effects of one execution unit and hands them to the sinks when the unit ends. A unit that made
 * more than one effect is wrapped in MULTI … EXEC so that it replays atomically.
 */
export class EffectStream {
  /**
   * The current unit's effects are the first `count` of these objects, reused from unit to unit (a write made
   * an object and an array for its effect, the most garbage a durable write left behind).
   */
  private pending: Effect[] = [];
  private count = 0;
  /** `[pending[0]]`, handed to the sinks for a unit of one effect. */
  private single: Effect[] = [];
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
    const n = this.count++;
    if (n < this.pending.length) {
      const e = this.pending[n]!;
      e.db = db;
      e.argv = argv;
      return;
    }
    const e = { db, argv };
    this.pending.push(e);
    if (n === 0) this.single = [e];
  }

  begin(): void {
    this.depth++;
  }

  end(): void {
    if (--this.depth > 0) return;
    this.depth = 0;
    const n = this.count;
    if (n === 0) return;
    this.count = 0;
    const pending = this.pending;
    try {
      if (this.sinks.length === 0) return;
      let batch = this.single;
      if (n > 1) {
        batch = [{ db: pending[0]!.db, argv: ['MULTI'] }];
        for (let i = 0; i < n; i++) batch.push(pending[i]!);
        batch.push({ db: pending[n - 1]!.db, argv: ['EXEC'] });
      }
      for (const s of this.sinks) s(batch);
    } finally {
      // Nothing kept alive past the unit: the arguments may be big values.
      for (let i = 0; i < n; i++) pending[i]!.argv = NO_ARGV;
      // A huge transaction's objects are not all kept for the units after it.
      if (pending.length > KEPT_EFFECTS) pending.length = KEPT_EFFECTS;
    }
  }
}
