// The command table: every family's rows gathered into one lookup, with derived flags and per-command stats.

import type { CommandSpec, CommandFlag, AclCategory, Handler } from './spec.js';
import type { LatencyHistogram } from '../server/latency-stats.js';

export interface CommandStats {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
}

/** A row of the table made ready for dispatch: flags as booleans, the full name, subcommands indexed. */
export class CommandEntry {
  /** "get", or "client|info" for a subcommand. */
  readonly fullName: string;
  readonly flags: ReadonlySet<CommandFlag>;
  readonly isWrite: boolean;
  /** Refused while the disk cannot be written (MISCONF): the write commands, and PING as Redis refuses it. */
  readonly diskGuarded: boolean;
  /** Refused from a MONITOR connection, as Redis refuses a replica: commands that read or write keys, or publish. */
  readonly touchesKeyspace: boolean;
  readonly noAuth: boolean;
  readonly noMulti: boolean;
  readonly denyOom: boolean;
  readonly allowedWhileLoading: boolean;
  readonly skipMonitor: boolean;
  readonly skipSlowlog: boolean;
  readonly protected: boolean;
  readonly handler: Handler | undefined;
  readonly subcommands: Map<string, CommandEntry> | undefined;
  readonly aclCategories: readonly AclCategory[];
  /**
   * Where the keys are, as the legacy (first, last, step) triple, for reading ahead (Client.readAhead): set only
   * for commands without subcommands that are not admin commands; keyFirst 0 for every other command. Such a
   * command never changes how the requests after it are parsed (no authentication, no configuration).
   */
  readonly keyFirst: number;
  readonly keyLast: number;
  readonly keyStep: number;
  /** Where the members of the first key's collection are (CommandSpec.members); memberFirst 0 for none. */
  readonly memberFirst: number;
  readonly memberStep: number;
  /** Where the values the command stores as sent are (CommandSpec.values); valueFirst 0 for none. */
  readonly valueFirst: number;
  readonly valueStep: number;
  stats: CommandStats = { calls: 0, usec: 0, rejected: 0, failed: 0 };
  /** Its calls' latencies for INFO latencystats (latency-tracking); null until its first call. */
  latency: LatencyHistogram | null = null;

  constructor(
    readonly spec: CommandSpec,
    readonly parent?: CommandEntry,
  ) {
    this.fullName = parent ? `${parent.spec.name}|${spec.name}` : spec.name;
    this.flags = new Set(spec.flags);
    this.isWrite = this.flags.has('write');
    this.diskGuarded = this.isWrite || this.fullName === 'ping';
    this.touchesKeyspace = this.isWrite || this.flags.has('readonly') || this.flags.has('may_replicate');
    this.noAuth = this.flags.has('no_auth');
    this.noMulti = this.flags.has('no_multi');
    this.denyOom = this.flags.has('denyoom');
    this.allowedWhileLoading = this.flags.has('loading');
    this.skipMonitor = this.flags.has('skip_monitor');
    this.skipSlowlog = this.flags.has('skip_slowlog');
    this.protected = this.flags.has('protected');
    this.handler = spec.handler;
    this.aclCategories = implicitCategories(spec);
    const k = spec.keys;
    const keyed = k !== undefined && k[0] > 0 && k[2] > 0 && spec.subcommands === undefined && !this.flags.has('admin');
    this.keyFirst = keyed ? k[0] : 0;
    this.keyLast = keyed ? k[1] : 0;
    this.keyStep = keyed ? k[2] : 1;
    const m = spec.members;
    this.memberFirst = keyed && m !== undefined && m[0] > 0 && m[1] > 0 ? m[0] : 0;
    this.memberStep = keyed && m !== undefined && m[1] > 0 ? m[1] : 1;
    const v = spec.values;
    this.valueFirst = v !== undefined && v[0] > 0 ? v[0] : 0;
    this.valueStep = v !== undefined ? v[1] : 0;
    if (spec.subcommands) {
      this.subcommands = new Map();
      for (const s of spec.subcommands) this.subcommands.set(s.name, new CommandEntry(s, this));
    }
  }
}

/** ACL categories in the order Redis lists them in COMMAND INFO. */
export const ACL_CATEGORY_ORDER: readonly AclCategory[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

/** Declared categories plus those Redis derives from flags (write, readonly, admin, pubsub, fast/slow, blocking). */
function implicitCategories(spec: CommandSpec): AclCategory[] {
  const cats = new Set<AclCategory>(spec.acl ?? []);
  const f = new Set(spec.flags);
  if (f.has('write')) cats.add('write');
  if (f.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (f.has('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (f.has('pubsub')) cats.add('pubsub');
  if (f.has('fast')) cats.add('fast');
  if (f.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return ACL_CATEGORY_ORDER.filter((c) => cats.has(c));
}

export class CommandTable {
  readonly byName = new Map<string, CommandEntry>();
  /** Lowercase and uppercase spellings, so the usual ways clients send names need no case folding. */
  private readonly spellings = new Map<string, CommandEntry>();

  constructor(families: readonly (readonly CommandSpec[])[]) {
    for (const fam of families) {
      for (const spec of fam) {
        if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} declared twice`);
        const entry = new CommandEntry(spec);
        this.byName.set(spec.name, entry);
        this.spellings.set(spec.name, entry);
        this.spellings.set(spec.name.toUpperCase(), entry);
      }
    }
  }

  /** Finds a command by its name as sent (any case). */
  lookup(name: string): CommandEntry | undefined {
    return this.spellings.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /**
   * Whether argument i of command `name` (as sent, any case) is a value the command stores as it is sent
   * (CommandSpec.values): what the request parser asks of a big bulk.
   */
  readonly storesValueAt = (name: string, i: number): boolean => {
    const e = this.lookup(name);
    if (e === undefined || e.valueFirst === 0 || i < e.valueFirst) return false;
    const d = i - e.valueFirst;
    return d === 0 || (e.valueStep > 0 && d % e.valueStep === 0);
  };

  /** Every entry, subcommands included. */
  *all(): Generator<CommandEntry> {
    for (const e of this.byName.values()) {
      yield e;
      if (e.subcommands) yield* e.subcommands.values();
    }
  }
}
