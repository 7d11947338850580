// One ACL selector (Redis 7.0): which commands (a bit per command-table entry, plus first-argument exceptions),
// which keys (glob patterns with read/write permissions) and which Pub/Sub channels it allows. A user has a root
// selector and any number of extra selectors in parentheses; a command runs when any selector allows it.
//
// Command permissions are bits over the command table, subcommands included; categories are derived from the
// table rows (`CommandEntry.aclCategories`). `+@all`/`allcommands` also sets a "future commands" bit, which is what
// decides whether the description starts from `+@all` or from `-@all` (as in Redis).

import { globMatch } from '../keyspace/glob.js';
import { ACL_CATEGORY_ORDER, CommandEntry, type CommandTable } from '../commands/registry.js';
import type { AclCategory, CommandSpec, KeySpecFlag } from '../commands/spec.js';
import { absentCommands, type AbsentCommand } from './absent-commands.js';

/** Why a selector refused a command; the numbers order errors as Redis does (a higher one is more relevant). */
export enum Denied {
  ok = 0,
  command = 1,
  key = 2,
  auth = 3,
  channel = 4,
}

/** An ACL rule error; `message` is the reason as Redis's ACLSetUserStringError words it. */
export class AclRuleError extends Error {}

export const ERR_UNKNOWN = 'Unknown command or category name in ACL';
export const ERR_SYNTAX = 'Syntax error';
const ERR_KEYS_AFTER_ALL =
  "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
const ERR_CHANNELS_AFTER_ALL =
  "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
const ERR_FIRSTARG_OF_SUB = 'Allowing first-arg of a subcommand is not supported';

const READ = 1;
const WRITE = 2;

export interface KeyPattern {
  pattern: string;
  /** READ | WRITE bits. */
  perms: number;
}

/**
 * The command table as the ACL sees it: every entry (subcommands included) with an id and a category mask, plus
 * the commands of Redis 7.0 that Cairn lacks (src/acl/absent-commands.ts), which rules may name but nothing runs.
 */
export class AclCommands {
  readonly entries: CommandEntry[] = [];
  readonly ids = new Map<CommandEntry, number>();
  /** Category bit masks by entry id (bit i = ACL_CATEGORY_ORDER[i]). */
  readonly cats: number[] = [];
  /** Top-level entries in table order, then the absent ones (the describe walk visits them, then their subcommands). */
  readonly top: CommandEntry[] = [];
  /** Subcommands by parent: the table's own and, after them, Redis's that Cairn lacks (LATENCY GRAPH). */
  private readonly subs = new Map<CommandEntry, Map<string, CommandEntry>>();
  /** The absent top-level commands by name. */
  private readonly absent = new Map<string, CommandEntry>();

  constructor(readonly table: CommandTable) {
    const absent = absentCommands();
    for (const e of table.byName.values()) {
      const subs = new Map(e.subcommands ?? []);
      for (const a of absent.parents.get(e.fullName) ?? []) subs.set(a.name, new CommandEntry(absentSpec(a), e));
      this.addTop(e, subs);
    }
    for (const a of absent.top) {
      const e = new CommandEntry(absentSpec(a));
      this.absent.set(a.name, e);
      this.addTop(e, new Map(e.subcommands ?? []));
    }
  }

  private addTop(e: CommandEntry, subs: Map<string, CommandEntry>): void {
    this.top.push(e);
    this.add(e);
    if (subs.size === 0) return;
    this.subs.set(e, subs);
    for (const s of subs.values()) this.add(s);
  }

  private add(e: CommandEntry): void {
    const id = this.entries.length;
    this.entries.push(e);
    this.ids.set(e, id);
    let mask = 0;
    for (const c of e.aclCategories) mask |= 1 << ACL_CATEGORY_ORDER.indexOf(c);
    this.cats.push(mask);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The subcommands of a top-level entry as the ACL knows them (none: undefined). */
  subcommandsOf(e: CommandEntry): Map<string, CommandEntry> | undefined {
    return this.subs.get(e);
  }

  /** The bit of a category name (any case), or undefined. */
  static categoryBit(name: string): number | undefined {
    const i = ACL_CATEGORY_ORDER.indexOf(name.toLowerCase() as AclCategory);
    return i < 0 ? undefined : 1 << i;
  }

  /** Looks up "cmd" or "cmd|sub" as ACL rules name them. */
  lookup(name: string): CommandEntry | undefined {
    const bar = name.indexOf('|');
    if (bar < 0) return this.lookupTop(name);
    const parent = this.lookupTop(name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (parent === undefined || sub.includes('|')) return undefined;
    return this.subs.get(parent)?.get(sub.toLowerCase());
  }

  private lookupTop(name: string): CommandEntry | undefined {
    return this.table.lookup(name) ?? this.absent.get(name.toLowerCase());
  }
}

/** A table row for an absent command: its name, categories and subcommands, and nothing to run. */
function absentSpec(a: AbsentCommand): CommandSpec {
  return {
    name: a.name,
    arity: -1,
    flags: [],
    acl: a.acl,
    group: 'absent',
    since: '7.0.0',
    summary: '',
    subcommands: a.subcommands.length > 0 ? a.subcommands.map(absentSpec) : undefined,
  };
}

/** Channels a command publishes to or subscribes to, by argument position (Redis's channel getters). */
export function commandChannels(cmd: CommandEntry, argv: readonly string[]): { pos: number; pattern: boolean }[] {
  switch (cmd.fullName) {
    case 'publish':
    case 'spublish':
      return [{ pos: 1, pattern: false }];
    case 'subscribe':
    case 'ssubscribe':
    case 'psubscribe': {
      const out: { pos: number; pattern: boolean }[] = [];
      for (let i = 1; i < argv.length; i++) out.push({ pos: i, pattern: cmd.fullName === 'psubscribe' });
      return out;
    }
    default:
      return [];
  }
}

function hasChannels(cmd: CommandEntry): boolean {
  const n = cmd.fullName;
  return n === 'publish' || n === 'spublish' || n === 'subscribe' || n === 'ssubscribe' || n === 'psubscribe';
}

/** Keys of a command line with their key-spec flags, computed once per check and shared by the selectors. */
export interface KeyCache {
  keys?: { pos: number; flags: readonly KeySpecFlag[] }[];
}

export type KeyFinder = (
  cmd: CommandEntry,
  argv: readonly string[],
) => { pos: number; flags: readonly KeySpecFlag[] }[];

/** A channel checked against a list: patterns (PSUBSCRIBE) must appear literally, channels are glob-matched. */
export function channelAllowed(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) {
    if (isPattern ? p === channel : globMatch(p, channel)) return true;
  }
  return false;
}

function hasSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  }
  return false;
}

export class Selector {
  allKeys = false;
  allChannels = false;
  allCommands = false;
  /** One byte per command entry, plus the last one: "future commands" (set only by +@all). */
  bits: Uint8Array;
  /** Allowed first arguments of otherwise blocked commands (SELECT|0), by entry id. */
  firstArgs = new Map<number, string[]>();
  keys: KeyPattern[] = [];
  channels: string[] = [];

  constructor(
    readonly cmds: AclCommands,
    readonly root: boolean,
    allChannels = false,
  ) {
    this.bits = new Uint8Array(cmds.size + 1);
    this.allChannels = allChannels;
  }

  clone(): Selector {
    const s = new Selector(this.cmds, this.root);
    s.allKeys = this.allKeys;
    s.allChannels = this.allChannels;
    s.allCommands = this.allCommands;
    s.bits = this.bits.slice();
    for (const [k, v] of this.firstArgs) s.firstArgs.set(k, [...v]);
    s.keys = this.keys.map((k) => ({ ...k }));
    s.channels = [...this.channels];
    return s;
  }

  get future(): boolean {
    return this.bits[this.cmds.size] === 1;
  }

  private setBit(id: number, on: boolean): void {
    this.bits[id] = on ? 1 : 0;
    if (!on) this.allCommands = false;
  }

  /** Allows or blocks a command and all its subcommands, dropping first-argument exceptions. */
  changePerm(e: CommandEntry, on: boolean): void {
    const id = this.cmds.ids.get(e)!;
    this.setBit(id, on);
    this.firstArgs.delete(id);
    const subs = this.cmds.subcommandsOf(e);
    if (subs) for (const s of subs.values()) this.setBit(this.cmds.ids.get(s)!, on);
  }

  setCategory(bit: number, on: boolean): void {
    const cmds = this.cmds;
    for (const top of cmds.top) {
      if (cmds.cats[cmds.ids.get(top)!]! & bit) this.changePerm(top, on);
      const subs = cmds.subcommandsOf(top);
      if (subs) for (const s of subs.values()) if (cmds.cats[cmds.ids.get(s)!]! & bit) this.changePerm(s, on);
    }
  }

  /** Applies one selector rule (keys, channels, commands); throws AclRuleError. */
  apply(op: string): void {
    const lop = op.toLowerCase();
    if (lop === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.keys = [];
    } else if (lop === 'resetkeys') {
      this.allKeys = false;
      this.keys = [];
    } else if (lop === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lop === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lop === 'allcommands' || lop === '+@all') {
      this.allCommands = true;
      this.bits.fill(1);
      this.firstArgs.clear();
    } else if (lop === 'nocommands' || lop === '-@all') {
      this.allCommands = false;
      this.bits.fill(0);
      this.firstArgs.clear();
    } else if (op[0] === '~' || op[0] === '%') {
      this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) throw new AclRuleError(ERR_CHANNELS_AFTER_ALL);
      const p = op.slice(1);
      if (hasSpaces(p)) throw new AclRuleError(ERR_SYNTAX);
      if (!this.channels.includes(p)) this.channels.push(p);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const bit = AclCommands.categoryBit(op.slice(2));
      if (bit === undefined) throw new AclRuleError(ERR_UNKNOWN);
      this.setCategory(bit, op[0] === '+');
    } else if (op[0] === '+' || op[0] === '-') {
      this.commandRule(op);
    } else {
      throw new AclRuleError(ERR_SYNTAX);
    }
  }

  private addKeyPattern(op: string): void {
    if (this.allKeys) throw new AclRuleError(ERR_KEYS_AFTER_ALL);
    let perms = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const ch = op[offset]!.toUpperCase();
        if (ch === 'R' && !(perms & READ)) perms |= READ;
        else if (ch === 'W' && !(perms & WRITE)) perms |= WRITE;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else throw new AclRuleError(ERR_SYNTAX);
      }
      if (perms === 0) throw new AclRuleError(ERR_SYNTAX);
    } else {
      perms = READ | WRITE;
    }
    const pattern = op.slice(offset);
    // Only `~*` itself is allkeys; `%RW~*` is an ordinary pattern (as in Redis, it lists with the others).
    if (op === '~*') {
      this.allKeys = true;
      this.keys = [];
      return;
    }
    if (hasSpaces(pattern)) throw new AclRuleError(ERR_SYNTAX);
    const existing = this.keys.find((k) => k.pattern === pattern);
    if (existing) existing.perms |= perms;
    else this.keys.push({ pattern, perms });
  }

  private commandRule(op: string): void {
    const allow = op[0] === '+';
    const name = op.slice(1);
    if (!allow || !name.includes('|')) {
      const e = this.cmds.lookup(name);
      if (e === undefined) throw new AclRuleError(ERR_UNKNOWN);
      this.changePerm(e, allow);
      return;
    }
    const bar = name.lastIndexOf('|');
    const parent = this.cmds.lookup(name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (parent === undefined) throw new AclRuleError(ERR_UNKNOWN);
    if (parent.parent !== undefined) throw new AclRuleError(ERR_FIRSTARG_OF_SUB);
    if (sub === '') throw new AclRuleError(ERR_SYNTAX);
    const subs = this.cmds.subcommandsOf(parent);
    if (subs) {
      const s = subs.get(sub.toLowerCase());
      if (s === undefined) throw new AclRuleError(ERR_UNKNOWN);
      this.changePerm(s, true);
      return;
    }
    const id = this.cmds.ids.get(parent)!;
    const list = this.firstArgs.get(id);
    if (list === undefined) this.firstArgs.set(id, [sub]);
    else if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Checks

  /** Checks a command line; returns the denial and the argument position it concerns. */
  check(cmd: CommandEntry, argv: readonly string[], cache: KeyCache, findKeys: KeyFinder): [Denied, number] {
    if (!this.allCommands && !cmd.noAuth) {
      const id = this.cmds.ids.get(cmd);
      if (id === undefined || this.bits[id] === 0) {
        const allowed = id === undefined ? undefined : this.firstArgs.get(id);
        if (allowed === undefined || argv.length < 2) return [Denied.command, 0];
        const arg = argv[cmd.parent ? 2 : 1];
        if (arg === undefined || !allowed.some((a) => a.toLowerCase() === arg.toLowerCase()))
          return [Denied.command, 0];
      }
    }
    if (!this.allKeys && commandHasKeys(cmd)) {
      cache.keys ??= findKeys(cmd, argv);
      for (const k of cache.keys) {
        if (!this.keyAllowed(argv[k.pos]!, k.flags)) return [Denied.key, k.pos];
      }
    }
    if (!this.allChannels && hasChannels(cmd)) {
      for (const ch of commandChannels(cmd, argv)) {
        if (!channelAllowed(this.channels, argv[ch.pos]!, ch.pattern)) return [Denied.channel, ch.pos];
      }
    }
    return [Denied.ok, 0];
  }

  /** Whether every key may be read (allkeys, or a `*` pattern with read permission): SORT's BY and GET need it. */
  readsAllKeys(): boolean {
    return this.allKeys || this.keys.some((p) => p.pattern === '*' && (p.perms & READ) !== 0);
  }

  keyAllowed(key: string, flags: readonly KeySpecFlag[]): boolean {
    if (this.allKeys) return true;
    let need = 0;
    for (const f of flags) {
      if (f === 'ACCESS') need |= READ;
      else if (f === 'INSERT' || f === 'DELETE' || f === 'UPDATE') need |= WRITE;
    }
    for (const p of this.keys) {
      if ((p.perms & need) !== need) continue;
      if (globMatch(p.pattern, key)) return true;
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Descriptions

  /** The key patterns as GETUSER shows them: "~*", or each pattern with its permission prefix. */
  keysText(): string {
    if (this.allKeys) return '~*';
    return this.keys.map(patternText).join(' ');
  }

  channelsText(): string {
    if (this.allChannels) return '&*';
    return this.channels.map((c) => '&' + c).join(' ');
  }

  /**
   * The command rules, rebuilt from the bits as Redis 7.0 does: a base (+@all when the selector can run future
   * commands, else -@all), categories chosen one at a time, then single commands and first arguments to match
   * exactly. Each round picks, among the categories with more commands agreeing with the user than not, the one
   * with the fewest disagreeing (ties: the most agreeing, then the first in category order); the commands it
   * covers then count as disagreeing in later rounds (its inverse is applied to a scratch copy of the bits).
   */
  commandRules(): string {
    const cmds = this.cmds;
    const additive = !this.future;
    const fake = new Selector(cmds, false);
    fake.apply(additive ? '-@all' : '+@all');
    let rules = additive ? '-@all ' : '+@all ';
    const temp = new Selector(cmds, false);
    temp.bits = this.bits.slice();
    for (;;) {
      let best = -1;
      let minDiff = Infinity;
      let maxSame = 0;
      for (let j = 0; j < ACL_CATEGORY_ORDER.length; j++) {
        const bit = 1 << j;
        let on = 0;
        let off = 0;
        for (let id = 0; id < cmds.size; id++) {
          if (!(cmds.cats[id]! & bit)) continue;
          if (temp.bits[id]) on++;
          else off++;
        }
        const diff = additive ? off : on;
        const same = additive ? on : off;
        if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
          best = j;
          minDiff = diff;
          maxSame = same;
        }
      }
      if (best < 0) break;
      fake.setCategory(1 << best, additive);
      temp.setCategory(1 << best, !additive);
      rules += (additive ? '+@' : '-@') + ACL_CATEGORY_ORDER[best] + ' ';
    }
    for (const top of cmds.top) {
      rules = this.describeSingle(top, fake, rules);
      const subs = cmds.subcommandsOf(top);
      if (subs) for (const s of subs.values()) rules = this.describeSingle(s, fake, rules);
    }
    return rules.trimEnd();
  }

  private describeSingle(e: CommandEntry, fake: Selector, rules: string): string {
    const id = this.cmds.ids.get(e)!;
    const userBit = this.bits[id]!;
    if (userBit !== fake.bits[id]) {
      rules += (userBit ? '+' : '-') + e.fullName + ' ';
      fake.changePerm(e, userBit === 1);
    }
    const args = this.firstArgs.get(id);
    if (userBit === 0 && args !== undefined) for (const a of args) rules += `+${e.fullName}|${a} `;
    return rules;
  }

  /** The selector as ACL LIST shows it: keys, channels, then command rules. */
  describe(): string {
    let res = '';
    if (this.allKeys) res += '~* ';
    else for (const k of this.keys) res += patternText(k) + ' ';
    if (this.allChannels) res += '&* ';
    else {
      res += 'resetchannels ';
      for (const c of this.channels) res += '&' + c + ' ';
    }
    return res + this.commandRules();
  }
}

function patternText(k: KeyPattern): string {
  if (k.perms === (READ | WRITE)) return '~' + k.pattern;
  return (k.perms === READ ? '%R~' : '%W~') + k.pattern;
}

const keyedCache = new WeakMap<CommandEntry, boolean>();

function commandHasKeys(cmd: CommandEntry): boolean {
  let v = keyedCache.get(cmd);
  if (v === undefined) {
    const spec = cmd.spec;
    v = spec.getKeys !== undefined || (spec.keySpecs ?? []).some((k) => !k.flags.includes('NOT_KEY'));
    keyedCache.set(cmd, v);
  }
  return v;
}

export { hasSpaces };
