// Introspection: COMMAND (derived from the command table), OBJECT, MEMORY, SLOWLOG, LATENCY.

import { allocSize, sdsSize } from '../types/alloc-size.js';
import { isBig } from '../types/big-string.js';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { ReplyWriter } from '../protocol/reply-writer.js';
import { globMatch } from '../keyspace/glob.js';
import { LRU_CLOCK_MASK, NOT_INT_STRING_FLAG, RAW_STRING_FLAG, type Slot, type Value } from '../keyspace/db.js';
import type { CommandEntry } from './registry.js';
import { memoryDoctorCommand, memoryStatsCommand } from './server.js';
import type { LatencyHistogram } from '../server/latency-stats.js';
import {
  type ArgSpec,
  type CommandFlag,
  type CommandSpec,
  type KeySpec,
  type KeySpecFlag,
  rangeKeySpec,
} from './spec.js';
import { intArg, is, parseInteger, parseLL } from './args.js';
import { SHARED_INT_TEXTS } from '../types/int-texts.js';

// ---------------------------------------------------------------------------------------------------------------
// Help replies

/** Writes a HELP reply as Redis does: a header line, the given lines, and the closing HELP entry. */
export function helpReply(c: Client, command: string, lines: readonly string[]): void {
  const all = [
    `${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    'HELP',
    '    Prints this help.',
  ];
  c.w.array(all.length);
  for (const l of all) c.w.simple(l);
}

// ---------------------------------------------------------------------------------------------------------------
// COMMAND INFO / DOCS replies, derived from the rows

/** Flags in the order COMMAND INFO lists them; may_replicate and protected are not shown, as in Redis. */
const SHOWN_FLAGS: readonly (CommandFlag | 'movablekeys')[] = [
  'write',
  'readonly',
  'denyoom',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
];

/**
 * Whether the key positions depend on the arguments (COMMAND INFO's movablekeys): as in Redis 7.0.15, only when a
 * key spec is not a plain index + range spec; a custom key finder alone (SET, BITFIELD) does not make keys movable.
 */
export function hasMovableKeys(spec: CommandSpec): boolean {
  if (spec.movableKeys) return true;
  for (const ks of spec.keySpecs ?? []) {
    if (ks.begin === 'unknown' || !('index' in ks.begin)) return true;
    if (ks.find === 'unknown' || !('range' in ks.find)) return true;
  }
  return false;
}

function shownFlags(e: CommandEntry): string[] {
  const movable = hasMovableKeys(e.spec);
  return SHOWN_FLAGS.filter((f) => (f === 'movablekeys' ? movable : e.flags.has(f)));
}

function keySpecFlagName(f: KeySpecFlag): string {
  return f === 'RO' || f === 'RW' || f === 'OW' || f === 'RM' ? f : f.toLowerCase();
}

function writeKeySpec(w: ReplyWriter, ks: KeySpec): void {
  w.map(ks.notes !== undefined ? 4 : 3);
  if (ks.notes !== undefined) {
    w.bulk('notes');
    w.bulk(ks.notes);
  }
  w.bulk('flags');
  w.set(ks.flags.length);
  for (const f of ks.flags) w.simple(keySpecFlagName(f));
  w.bulk('begin_search');
  w.map(2);
  w.bulk('type');
  if (ks.begin === 'unknown') {
    w.bulk('unknown');
    w.bulk('spec');
    w.map(0);
  } else if ('index' in ks.begin) {
    w.bulk('index');
    w.bulk('spec');
    w.map(1);
    w.bulk('index');
    w.integer(ks.begin.index);
  } else {
    w.bulk('keyword');
    w.bulk('spec');
    w.map(2);
    w.bulk('keyword');
    w.bulk(ks.begin.keyword);
    w.bulk('startfrom');
    w.integer(ks.begin.startfrom);
  }
  w.bulk('find_keys');
  w.map(2);
  w.bulk('type');
  if (ks.find === 'unknown') {
    w.bulk('unknown');
    w.bulk('spec');
    w.map(0);
  } else if ('range' in ks.find) {
    w.bulk('range');
    w.bulk('spec');
    w.map(3);
    w.bulk('lastkey');
    w.integer(ks.find.range[0]);
    w.bulk('keystep');
    w.integer(ks.find.range[1]);
    w.bulk('limit');
    w.integer(ks.find.range[2]);
  } else {
    w.bulk('keynum');
    w.bulk('spec');
    w.map(3);
    w.bulk('keynumidx');
    w.integer(ks.find.keynum[0]);
    w.bulk('firstkey');
    w.integer(ks.find.keynum[1]);
    w.bulk('keystep');
    w.integer(ks.find.keynum[2]);
  }
}

/** One COMMAND INFO row: name, arity, flags, first/last/step, ACL categories, tips, key specs, subcommands. */
export function writeCommandInfo(w: ReplyWriter, e: CommandEntry): void {
  const spec = e.spec;
  const keys = spec.keys ?? [0, 0, 0];
  w.array(10);
  w.bulk(e.fullName);
  w.integer(spec.arity);
  const flags = shownFlags(e);
  w.set(flags.length);
  for (const f of flags) w.simple(f);
  w.integer(keys[0]);
  w.integer(keys[1]);
  w.integer(keys[2]);
  w.set(e.aclCategories.length);
  for (const a of e.aclCategories) w.simple('@' + a);
  const tips = spec.tips ?? [];
  w.set(tips.length);
  for (const t of tips) w.bulk(t);
  const specs = spec.keySpecs ?? [];
  w.set(specs.length);
  for (const ks of specs) writeKeySpec(w, ks);
  if (e.subcommands !== undefined) {
    w.array(e.subcommands.size);
    for (const s of e.subcommands.values()) writeCommandInfo(w, s);
  } else {
    w.set(0);
  }
}

function writeArgs(w: ReplyWriter, args: readonly ArgSpec[]): void {
  w.array(args.length);
  for (const a of args) {
    const fields: [string, () => void][] = [
      ['name', () => w.bulk(a.name)],
      ['type', () => w.bulk(a.type)],
    ];
    if (a.displayText !== undefined) fields.push(['display_text', () => w.bulk(a.displayText!)]);
    if (a.keySpecIndex !== undefined) fields.push(['key_spec_index', () => w.integer(a.keySpecIndex!)]);
    if (a.token !== undefined) fields.push(['token', () => w.bulk(a.token!)]);
    if (a.summary !== undefined) fields.push(['summary', () => w.bulk(a.summary!)]);
    if (a.since !== undefined) fields.push(['since', () => w.bulk(a.since!)]);
    if (a.deprecatedSince !== undefined) fields.push(['deprecated_since', () => w.bulk(a.deprecatedSince!)]);
    if (a.flags !== undefined && a.flags.length > 0) {
      fields.push([
        'flags',
        () => {
          w.set(a.flags!.length);
          for (const f of a.flags!) w.simple(f);
        },
      ]);
    }
    if (a.args !== undefined) fields.push(['arguments', () => writeArgs(w, a.args!)]);
    w.map(fields.length);
    for (const [k, f] of fields) {
      w.bulk(k);
      f();
    }
  }
}

/** One COMMAND DOCS entry (the value; the caller writes the name). */
export function writeCommandDocs(w: ReplyWriter, e: CommandEntry): void {
  const s = e.spec;
  const fields: [string, () => void][] = [
    ['summary', () => w.bulk(s.summary)],
    ['since', () => w.bulk(s.since)],
    ['group', () => w.bulk(s.group)],
  ];
  if (s.complexity !== undefined) fields.push(['complexity', () => w.bulk(s.complexity!)]);
  if (s.docFlags !== undefined && s.docFlags.length > 0) {
    fields.push([
      'doc_flags',
      () => {
        w.set(s.docFlags!.length);
        for (const f of s.docFlags!) w.simple(f);
      },
    ]);
  }
  if (s.deprecatedSince !== undefined) fields.push(['deprecated_since', () => w.bulk(s.deprecatedSince!)]);
  if (s.replacedBy !== undefined) fields.push(['replaced_by', () => w.bulk(s.replacedBy!)]);
  if (s.history !== undefined && s.history.length > 0) {
    fields.push([
      'history',
      () => {
        w.set(s.history!.length);
        for (const [v, what] of s.history!) {
          w.array(2);
          w.bulk(v);
          w.bulk(what);
        }
      },
    ]);
  }
  if (s.args !== undefined && s.args.length > 0) fields.push(['arguments', () => writeArgs(w, s.args!)]);
  if (e.subcommands !== undefined) {
    fields.push([
      'subcommands',
      () => {
        w.map(e.subcommands!.size);
        for (const sub of e.subcommands!.values()) {
          w.bulk(sub.fullName);
          writeCommandDocs(w, sub);
        }
      },
    ]);
  }
  w.map(fields.length);
  for (const [k, f] of fields) {
    w.bulk(k);
    f();
  }
}

/** Finds "name" or "container|sub" as COMMAND INFO/DOCS accept it. */
function lookupByFullName(c: Client, name: string): CommandEntry | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return c.server.commands.lookup(name);
  const parent = c.server.commands.lookup(name.slice(0, bar));
  if (parent?.subcommands === undefined) return undefined;
  const rest = name.slice(bar + 1).toLowerCase();
  if (rest.includes('|')) return undefined;
  return parent.subcommands.get(rest);
}

/** The command an argv would run (a subcommand when the container has one by that name). */
function lookupByArgv(c: Client, argv: readonly string[]): CommandEntry | undefined {
  const cmd = c.server.commands.lookup(argv[0]!);
  if (cmd === undefined) return undefined;
  if (cmd.subcommands === undefined) return cmd;
  if (argv.length < 2) return undefined;
  return cmd.subcommands.get(argv[1]!.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Key extraction from key specs (COMMAND GETKEYS), as Redis does it

export interface FoundKey {
  pos: number;
  flags: readonly KeySpecFlag[];
}

/** Keys found through the key specs, or undefined when a spec is incomplete, unknown or does not fit the argv. */
function keysFromSpecs(spec: CommandSpec, argv: readonly string[]): FoundKey[] | undefined {
  const argc = argv.length;
  const out: FoundKey[] = [];
  for (const ks of spec.keySpecs ?? []) {
    if (ks.flags.includes('NOT_KEY')) continue;
    let first = 0;
    if (ks.begin === 'unknown') return undefined;
    if ('index' in ks.begin) {
      first = ks.begin.index;
    } else {
      const { keyword, startfrom } = ks.begin;
      const forward = startfrom > 0;
      const start = forward ? startfrom : argc + startfrom;
      const end = forward ? argc - 1 : 0;
      for (let i = start; i !== end; i = forward ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    }
    if (first >= argc) continue;
    let last: number;
    let step: number;
    if (ks.find === 'unknown') return undefined;
    if ('range' in ks.find) {
      const [lastkey, keystep, limit] = ks.find.range;
      if (lastkey >= 0) last = first + lastkey;
      else if (limit <= 1) last = argc + lastkey;
      else last = first + (Math.trunc((argc - first) / limit) + lastkey);
      step = keystep;
    } else {
      const [keynumidx, firstkey, keystep] = ks.find.keynum;
      if (first + keynumidx >= argc) return undefined;
      const n = parseLL(argv[first + keynumidx]!);
      if (n === undefined || n < 0n) return undefined;
      first += firstkey;
      last = first + Number(n) - 1;
      step = keystep;
    }
    if (last >= argc || last < first || first >= argc) return undefined;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: ks.flags });
    if (ks.flags.includes('INCOMPLETE')) return undefined;
  }
  return out;
}

/**
 * The keys of a full command line (argv[0] is the command name), with their key-spec flags, the way Redis's
 * COMMAND GETKEYS finds them: key specs when they are complete, else the row's own key finder.
 */
export function getKeysFromCommand(spec: CommandSpec, argv: readonly string[]): FoundKey[] {
  const specs = spec.keySpecs ?? [];
  const hasKeySpec = specs.some((k) => !k.flags.includes('NOT_KEY'));
  const varFlags = specs.some((k) => k.flags.includes('VARIABLE_FLAGS'));
  if (hasKeySpec && !varFlags) {
    const found = keysFromSpecs(spec, argv);
    if (found !== undefined) return found;
  }
  if (spec.getKeys === undefined) return [];
  return spec.getKeys(argv).map((k) => (typeof k === 'number' ? { pos: k, flags: flagsForPosition(specs, k) } : k));
}

function flagsForPosition(specs: readonly KeySpec[], pos: number): readonly KeySpecFlag[] {
  const byIndex = specs.find((k) => k.begin !== 'unknown' && 'index' in k.begin && k.begin.index === pos);
  if (byIndex) return byIndex.flags;
  const other = specs.find((k) => !(k.begin !== 'unknown' && 'index' in k.begin));
  return (other ?? specs[0])?.flags ?? [];
}

function commandHasKeys(spec: CommandSpec): boolean {
  return spec.getKeys !== undefined || (spec.keySpecs ?? []).some((k) => !k.flags.includes('NOT_KEY'));
}

// ---------------------------------------------------------------------------------------------------------------
// COMMAND handlers

function commandCommand(c: Client, argv: string[]): void {
  if (argv.length > 1) throw new ReplyError(Err.unknownSubcommand(argv[1]!, 'command'));
  const all = [...c.server.commands.byName.values()];
  c.w.array(all.length);
  for (const e of all) writeCommandInfo(c.w, e);
}

function commandCountCommand(c: Client): void {
  c.w.integer(c.server.commands.byName.size);
}

function commandInfoCommand(c: Client, argv: string[]): void {
  if (argv.length === 2) return commandCommand(c, ['command']);
  c.w.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const e = lookupByFullName(c, argv[i]!);
    if (e === undefined) c.w.null();
    else writeCommandInfo(c.w, e);
  }
}

function commandDocsCommand(c: Client, argv: string[]): void {
  let found: CommandEntry[];
  if (argv.length === 2) {
    found = [...c.server.commands.byName.values()];
  } else {
    found = [];
    for (let i = 2; i < argv.length; i++) {
      const e = lookupByFullName(c, argv[i]!);
      if (e !== undefined) found.push(e);
    }
  }
  c.w.map(found.length);
  for (const e of found) {
    c.w.bulk(e.fullName);
    writeCommandDocs(c.w, e);
  }
}

function commandListCommand(c: Client, argv: string[]): void {
  let filter: ((e: CommandEntry) => boolean) | undefined;
  if (argv.length === 5 && is(argv[2]!, 'filterby')) {
    const kind = argv[3]!;
    const value = argv[4]!;
    if (is(kind, 'module')) filter = () => false;
    else if (is(kind, 'aclcat')) {
      const cat = value.toLowerCase();
      filter = (e) => (e.aclCategories as readonly string[]).includes(cat);
    } else if (is(kind, 'pattern')) filter = (e) => globMatch(value, e.fullName, true);
    else throw new ReplyError(Err.syntax);
  } else if (argv.length !== 2) {
    throw new ReplyError(Err.syntax);
  }
  const names: string[] = [];
  for (const e of c.server.commands.all()) if (filter === undefined || filter(e)) names.push(e.fullName);
  c.w.array(names.length);
  for (const n of names) c.w.bulk(n);
}

function getKeysReply(c: Client, argv: string[], withFlags: boolean): void {
  const line = argv.slice(2);
  const cmd = lookupByArgv(c, line);
  if (cmd === undefined) throw new ReplyError('ERR Invalid command specified');
  if (!commandHasKeys(cmd.spec)) throw new ReplyError('ERR The command has no key arguments');
  const arity = cmd.spec.arity;
  if ((arity > 0 && arity !== line.length) || line.length < -arity) {
    throw new ReplyError('ERR Invalid number of arguments specified for command');
  }
  const keys = getKeysFromCommand(cmd.spec, line);
  if (keys.length === 0) {
    if (cmd.flags.has('no_mandatory_keys')) return c.w.array(0);
    throw new ReplyError('ERR Invalid arguments specified for command');
  }
  c.w.array(keys.length);
  for (const k of keys) {
    if (!withFlags) {
      c.w.bulk(line[k.pos]!);
      continue;
    }
    c.w.array(2);
    c.w.bulk(line[k.pos]!);
    c.w.set(k.flags.length);
    for (const f of k.flags) c.w.simple(keySpecFlagName(f));
  }
}

function commandGetkeysCommand(c: Client, argv: string[]): void {
  getKeysReply(c, argv, false);
}

function commandGetkeysandflagsCommand(c: Client, argv: string[]): void {
  getKeysReply(c, argv, true);
}

function commandHelpCommand(c: Client): void {
  helpReply(c, 'COMMAND', [
    '(no subcommand)',
    '    Return details about all Redis commands.',
    'COUNT',
    '    Return the total number of commands in this Redis server.',
    'LIST',
    '    Return a list of all commands in this Redis server.',
    'INFO [<command-name> ...]',
    '    Return details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'DOCS [<command-name> ...]',
    '    Return documentation details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'GETKEYS <full-command>',
    '    Return the keys from a full Redis command.',
    'GETKEYSANDFLAGS <full-command>',
    '    Return the keys and the access flags from a full Redis command.',
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// OBJECT

const LFU_NOT_SELECTED =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LFU_SELECTED =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
/** The refcount Redis reports for its shared objects (small integers). */
const SHARED_REFCOUNT = 2147483647;

/** The maxmemory policy in force ("noeviction" unless the config knows the directive). */
function maxmemoryPolicy(c: Client): string {
  const v = (c.server.config.values as unknown as Record<string, unknown>)['maxmemory-policy'];
  return typeof v === 'string' ? v : 'noeviction';
}

function isLfu(c: Client): boolean {
  return maxmemoryPolicy(c).includes('lfu');
}

/** What OBJECT ENCODING prints for a string value. */
export function stringEncoding(v: string, lru = 0): 'int' | 'embstr' | 'raw' {
  if ((lru & RAW_STRING_FLAG) !== 0) return 'raw';
  if ((lru & NOT_INT_STRING_FLAG) === 0 && v.length <= 20 && parseLL(v) !== undefined) return 'int';
  return v.length <= 44 ? 'embstr' : 'raw';
}

function objectLookup(c: Client, key: string): Slot | undefined {
  return c.db.lookupRead(key, false, false);
}

function objectEncodingCommand(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]!);
  if (e === undefined) return c.w.null();
  const v = c.db.vals[e]!;
  c.w.bulk(typeof v === 'string' ? stringEncoding(v, c.db.lru[e]) : v.encoding());
}

function objectFreqCommand(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]!);
  if (e === undefined) return c.w.null();
  if (!isLfu(c)) throw new ReplyError(LFU_NOT_SELECTED);
  // The counter as decayed now (not stored: OBJECT does not count as an access).
  c.w.integer(c.server.memory.lfu.decayed(c.db.lruAt(e) & LRU_CLOCK_MASK));
}

function objectIdletimeCommand(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]!);
  if (e === undefined) return c.w.null();
  if (isLfu(c)) throw new ReplyError(LFU_SELECTED);
  c.w.integer(c.db.idleSeconds(e));
}

function isSharedInteger(c: Client, v: string): boolean {
  if (v.length > 4) return false;
  const n = parseInteger(v);
  return n !== undefined && n >= 0 && n < SHARED_INT_TEXTS && !perObjectClocks(c);
}

/** Redis does not share integers while a maxmemory is set with an LRU/LFU policy (each value needs its own clock). */
function perObjectClocks(c: Client): boolean {
  const policy = maxmemoryPolicy(c);
  return c.server.config.values.maxmemory !== 0 && (policy.endsWith('-lru') || policy.endsWith('-lfu'));
}

function objectRefcountCommand(c: Client, argv: string[]): void {
  const e = objectLookup(c, argv[2]!);
  if (e === undefined) return c.w.null();
  const v = c.db.vals[e]!;
  // A string made raw (APPEND, SETRANGE) is an object of its own, whatever digits it holds.
  const own = (c.db.lruAt(e) & (RAW_STRING_FLAG | NOT_INT_STRING_FLAG)) !== 0;
  c.w.integer(typeof v === 'string' && !own && isSharedInteger(c, v) ? SHARED_REFCOUNT : 1);
}

function objectHelpCommand(c: Client): void {
  helpReply(c, 'OBJECT', [
    'ENCODING <key>',
    '    Return the kind of internal representation used in order to store the value',
    '    associated with a <key>.',
    'FREQ <key>',
    '    Return the access frequency index of the <key>. The returned integer is',
    '    proportional to the logarithm of the recent access frequency of the key.',
    'IDLETIME <key>',
    '    Return the idle time of the <key>, that is the approximated number of',
    '    seconds elapsed since the last access to the key.',
    'REFCOUNT <key>',
    '    Return the number of references of the value associated with the specified',
    '    <key>.',
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// MEMORY

const OBJECT_HEADER = 16;
const DICT_ENTRY = 24;

/** Estimated bytes a value takes: its object header and its payload. */
export function valueMemory(v: Value): number {
  // Its storage, which greedy growth leaves bigger than the value, as Redis's sds allocation is.
  if (isBig(v)) return OBJECT_HEADER + sdsSize(v.capacity, false);
  if (typeof v === 'string') {
    const enc = stringEncoding(v);
    if (enc === 'int') return OBJECT_HEADER;
    if (enc === 'embstr') return allocSize(OBJECT_HEADER + 3 + v.length + 1);
    return OBJECT_HEADER + sdsSize(v.length, false);
  }
  return OBJECT_HEADER + v.memoryUsage();
}

/** MEMORY USAGE's estimate for one key: the key's buffer, its table entry, and the value. */
export function keyMemoryUsage(key: string, v: Value): number {
  return sdsSize(key.length, true) + DICT_ENTRY + valueMemory(v);
}

function memoryUsageCommand(c: Client, argv: string[]): void {
  for (let j = 3; j < argv.length; j++) {
    if (is(argv[j]!, 'samples') && j + 1 < argv.length) {
      const n = intArg(argv[j + 1]!);
      if (n < 0) throw new ReplyError(Err.syntax);
      j++;
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  // Like Redis, a key that has expired but is still stored is measured, not expired.
  const e = c.db.dict.get(argv[2]!);
  if (e === undefined) return c.w.null();
  c.w.integer(keyMemoryUsage(argv[2]!, c.db.vals[e]!));
}

function memoryMallocStatsCommand(c: Client): void {
  c.w.bulk('Stats not supported for the current allocator');
}

function memoryPurgeCommand(c: Client): void {
  c.w.ok();
}

function memoryHelpCommand(c: Client): void {
  helpReply(c, 'MEMORY', [
    'DOCTOR',
    '    Return memory problems reports.',
    'MALLOC-STATS',
    '    Return internal statistics report from the memory allocator.',
    'PURGE',
    '    Attempt to purge dirty pages for reclamation by the allocator.',
    'STATS',
    '    Return information about the memory usage of the server.',
    'USAGE <key> [SAMPLES <count>]',
    '    Return memory in bytes used by <key> and its value. Nested values are',
    '    sampled up to <count> times (default: 5, 0 means sample all).',
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// SLOWLOG

function slowlogGetCommand(c: Client, argv: string[]): void {
  let count = 10;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]!);
    if (n === undefined || n < -1) throw new ReplyError('ERR count should be greater than or equal to -1');
    count = n === -1 ? Infinity : n;
  } else if (argv.length > 3) {
    throw new ReplyError(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!}'. Try SLOWLOG HELP.`);
  }
  const entries = c.server.slowlog.entries;
  const n = Math.min(count, entries.length);
  c.w.array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    c.w.array(6);
    c.w.integer(e.id);
    c.w.integer(e.time);
    c.w.integer(e.usec);
    c.w.array(e.argv.length);
    for (const a of e.argv) c.w.bulk(a);
    c.w.bulk(e.addr);
    c.w.bulk(e.name);
  }
}

function slowlogLenCommand(c: Client): void {
  c.w.integer(c.server.slowlog.entries.length);
}

function slowlogResetCommand(c: Client): void {
  c.server.slowlog.reset();
  c.w.ok();
}

function slowlogHelpCommand(c: Client): void {
  helpReply(c, 'SLOWLOG', [
    'GET [<count>]',
    '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
    '    Entries are made of:',
    '    id, timestamp, time in microseconds, arguments array, client IP and port,',
    '    client name',
    'LEN',
    '    Return the length of the slowlog.',
    'RESET',
    '    Reset the slowlog.',
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// LATENCY

function latencyLatestCommand(c: Client): void {
  const events = c.server.latency.events;
  c.w.array(events.size);
  for (const [name, ev] of events) {
    const last = ev.samples[ev.samples.length - 1]!;
    c.w.array(4);
    c.w.bulk(name);
    c.w.integer(last.time);
    c.w.integer(last.ms);
    c.w.integer(ev.max);
  }
}

function latencyHistoryCommand(c: Client, argv: string[]): void {
  const ev = c.server.latency.events.get(argv[2]!);
  if (ev === undefined) return c.w.array(0);
  c.w.array(ev.samples.length);
  for (const s of ev.samples) {
    c.w.array(2);
    c.w.integer(s.time);
    c.w.integer(s.ms);
  }
}

function latencyResetCommand(c: Client, argv: string[]): void {
  c.w.integer(c.server.latency.reset(argv.slice(2)));
}

const DOCTOR_DISABLED =
  "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
const DOCTOR_NONE =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';

/**
 * The advice LATENCY DOCTOR can give, in the order Redis prints it, with the events that call for each. Events Cairn
 * never records (fork, AOF rewrite internals) still map here, so the table reads as Redis's does.
 */
type Advice =
  | 'slowlog-enable'
  | 'slowlog-tune'
  | 'slowlog-inspect'
  | 'scheduler'
  | 'local-disk'
  | 'ssd'
  | 'writeback'
  | 'disk-contention'
  | 'no-appendfsync'
  | 'relax-fsync'
  | 'write-load'
  | 'hz'
  | 'large-objects'
  | 'mass-eviction';

const ADVICE_FOR_EVENT: Readonly<Record<string, readonly Advice[]>> = {
  command: ['slowlog-inspect', 'large-objects'],
  'fast-command': ['scheduler'],
  'aof-write-pending-fsync': ['local-disk', 'disk-contention', 'ssd', 'writeback'],
  'aof-write-active-child': ['no-appendfsync', 'writeback', 'ssd'],
  'aof-write-alone': ['local-disk', 'writeback', 'ssd'],
  'aof-fsync-always': ['relax-fsync'],
  'aof-fstat': ['disk-contention', 'local-disk'],
  'rdb-unlink-temp-file': ['disk-contention', 'local-disk'],
  'aof-rewrite-diff-write': ['write-load', 'writeback', 'ssd', 'local-disk'],
  'aof-rename': ['write-load', 'writeback', 'ssd', 'local-disk'],
  'expire-cycle': ['hz', 'large-objects'],
  'eviction-del': ['large-objects'],
  'eviction-cycle': ['mass-eviction'],
};

const ADVICE_ORDER: readonly Advice[] = [
  'slowlog-enable',
  'slowlog-tune',
  'slowlog-inspect',
  'scheduler',
  'local-disk',
  'ssd',
  'writeback',
  'disk-contention',
  'no-appendfsync',
  'relax-fsync',
  'write-load',
  'hz',
  'large-objects',
  'mass-eviction',
];

function adviceText(a: Advice, cfg: Client['server']['config']['values']): string | undefined {
  const us = cfg['latency-monitor-threshold'] * 1000;
  switch (a) {
    case 'slowlog-enable':
      return `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${us}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.`;
    case 'slowlog-tune':
      return `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${us}'.`;
    case 'slowlog-inspect':
      return '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.';
    case 'scheduler':
      return (
        '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
        '  1) Lower the system load.\n' +
        '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
        '  3) Check if you have a "noisy neighbour" problem.\n' +
        "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
        '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.'
      );
    case 'local-disk':
      return '- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.';
    case 'ssd':
      return '- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage and smaller final AOF rewrite buffer flushes). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.';
    case 'writeback':
      return '- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.';
    case 'disk-contention':
      return '- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).';
    case 'no-appendfsync':
      return "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).";
    case 'relax-fsync':
      return cfg.appendfsync === 'always'
        ? "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'."
        : undefined;
    case 'write-load':
      return '- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.';
    case 'hz':
      return cfg.hz < 100
        ? "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'."
        : undefined;
    case 'large-objects':
      return '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.';
    case 'mass-eviction':
      return "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. ";
  }
}

/**
 * LATENCY DOCTOR, as Redis reports: per event the sample count, the average and mean deviation in whole
 * milliseconds (integer arithmetic), and the period (seconds since the oldest sample, at least 1, over the count);
 * then the advice the events call for, in Redis's order (an advice may still be left out: hz at 100 or more,
 * appendfsync other than always).
 */
function latencyDoctorCommand(c: Client): void {
  const cfg = c.server.config.values;
  const events = c.server.latency.events;
  let report: string;
  if (events.size === 0 && cfg['latency-monitor-threshold'] === 0) report = DOCTOR_DISABLED;
  else if (events.size === 0) report = DOCTOR_NONE;
  else {
    report =
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    let i = 1;
    const wanted = new Set<Advice>();
    const nowSec = Math.floor(Date.now() / 1000);
    for (const [name, ev] of events) {
      const n = ev.samples.length;
      let sum = 0;
      let oldest = Infinity;
      for (const s of ev.samples) {
        sum += s.ms;
        if (s.time < oldest) oldest = s.time;
      }
      const avg = Math.floor(sum / n);
      let dev = 0;
      for (const s of ev.samples) dev += Math.abs(avg - s.ms);
      const mad = Math.floor(dev / n);
      const period = Math.max(1, nowSec - oldest);
      report += `${i++}. ${name}: ${n} latency spikes (average ${avg}ms, mean deviation ${mad}ms, period ${(period / n).toFixed(2)} sec). Worst all time event ${ev.max}ms.\n`;
      if (name === 'command') {
        const slower = cfg['slowlog-log-slower-than'];
        if (slower < 0) wanted.add('slowlog-enable');
        else if (Math.trunc(slower / 1000) > cfg['latency-monitor-threshold']) wanted.add('slowlog-tune');
      }
      for (const a of ADVICE_FOR_EVENT[name] ?? []) wanted.add(a);
    }
    if (wanted.size === 0) {
      report +=
        "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
    } else {
      report += '\nI have a few advices for you:\n\n';
      for (const a of ADVICE_ORDER) {
        const text = wanted.has(a) ? adviceText(a, cfg) : undefined;
        if (text !== undefined) report += text + '\n';
      }
    }
  }
  c.w.verbatim(report);
}

function latencyHelpCommand(c: Client): void {
  helpReply(c, 'LATENCY', [
    'DOCTOR',
    '    Return a human readable latency analysis report.',
    'HISTORY <event>',
    '    Return time-latency samples for the <event> class.',
    'LATEST',
    '    Return the latest latency samples for all events.',
    'RESET [<event> ...]',
    '    Reset latency data of one or more <event> classes.',
    '    (default: reset all data for all event classes)',
    'HISTOGRAM [COMMAND ...]',
    '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
    '    If no commands are specified then all histograms are replied.',
  ]);
}

/** One command's LATENCY HISTOGRAM entry: its name, then {calls, histogram_usec: {µs: calls so far, …}}. */
function replyHistogram(c: Client, e: CommandEntry, h: LatencyHistogram): void {
  const w = c.w;
  w.bulk(e.fullName);
  w.map(2);
  w.bulk('calls');
  w.integer(h.calls);
  w.bulk('histogram_usec');
  const cdf = h.cdf();
  w.map(cdf.length);
  for (const [usec, calls] of cdf) {
    w.integer(usec);
    w.integer(calls);
  }
}

/**
 * LATENCY HISTOGRAM [command …]: the latency histograms (latency-tracking) of the commands named — a container
 * names its subcommands too, `config|set` one subcommand, an unknown name nothing — or of every command called.
 */
function latencyHistogramCommand(c: Client, argv: string[]): void {
  const picked: [CommandEntry, LatencyHistogram][] = [];
  const add = (e: CommandEntry): void => {
    if (e.latency !== null) picked.push([e, e.latency]);
  };
  if (argv.length === 2) {
    for (const e of c.server.commands.all()) add(e);
  } else {
    for (let j = 2; j < argv.length; j++) {
      const e = lookupByFullName(c, argv[j]!);
      if (e === undefined) continue;
      add(e);
      if (e.subcommands !== undefined) for (const sub of e.subcommands.values()) add(sub);
    }
  }
  c.w.map(picked.length);
  for (const [e, h] of picked) replyHistogram(c, e, h);
}

// ---------------------------------------------------------------------------------------------------------------
// The rows

export const introspectionCommands: readonly CommandSpec[] = [
  {
    name: 'command',
    arity: -1,
    flags: ['loading', 'stale'],
    acl: ['connection'],
    keys: [0, 0, 0],
    tips: ['nondeterministic_output_order'],
    summary: 'Get array of Redis command details',
    since: '2.8.13',
    group: 'server',
    complexity: 'O(N) where N is the total number of Redis commands',
    handler: commandCommand,
    subcommands: [
      {
        name: 'count',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Get total number of Redis commands',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        handler: commandCountCommand,
      },
      {
        name: 'docs',
        arity: -2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output_order'],
        summary: 'Get array of specific Redis command documentation',
        since: '7.0.0',
        group: 'server',
        complexity: 'O(N) where N is the number of commands to look up',
        args: [{ name: 'command-name', type: 'string', flags: ['optional', 'multiple'] }],
        handler: commandDocsCommand,
      },
      {
        name: 'getkeys',
        arity: -4,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Extract keys given a full Redis command',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(N) where N is the number of arguments to the command',
        handler: commandGetkeysCommand,
      },
      {
        name: 'getkeysandflags',
        arity: -4,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Extract keys and access flags given a full Redis command',
        since: '7.0.0',
        group: 'server',
        complexity: 'O(N) where N is the number of arguments to the command',
        handler: commandGetkeysandflagsCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        group: 'server',
        complexity: 'O(1)',
        handler: commandHelpCommand,
      },
      {
        name: 'info',
        arity: -2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output_order'],
        summary: 'Get array of specific Redis command details, or all when no argument is given.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(N) where N is the number of commands to look up',
        history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
        args: [{ name: 'command-name', type: 'string', flags: ['optional', 'multiple'] }],
        handler: commandInfoCommand,
      },
      {
        name: 'list',
        arity: -2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output_order'],
        summary: 'Get an array of Redis command names',
        since: '7.0.0',
        group: 'server',
        complexity: 'O(N) where N is the total number of Redis commands',
        args: [
          {
            name: 'filterby',
            type: 'oneof',
            token: 'FILTERBY',
            flags: ['optional'],
            args: [
              { name: 'module-name', type: 'string', token: 'MODULE' },
              { name: 'category', type: 'string', token: 'ACLCAT' },
              { name: 'pattern', type: 'pattern', token: 'PATTERN' },
            ],
          },
        ],
        handler: commandListCommand,
      },
    ],
  },
  {
    name: 'object',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    summary: 'A container for object introspection commands',
    since: '2.2.3',
    group: 'generic',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'encoding',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: [2, 2, 1],
        keySpecs: [rangeKeySpec(['RO'], 2)],
        tips: ['nondeterministic_output'],
        summary: 'Inspect the internal encoding of a Redis object',
        since: '2.2.3',
        group: 'generic',
        complexity: 'O(1)',
        args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
        handler: objectEncodingCommand,
      },
      {
        name: 'freq',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: [2, 2, 1],
        keySpecs: [rangeKeySpec(['RO'], 2)],
        tips: ['nondeterministic_output'],
        summary: 'Get the logarithmic access frequency counter of a Redis object',
        since: '4.0.0',
        group: 'generic',
        complexity: 'O(1)',
        args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
        handler: objectFreqCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['keyspace'],
        keys: [0, 0, 0],
        summary: 'Show helpful text about the different subcommands',
        since: '6.2.0',
        group: 'generic',
        complexity: 'O(1)',
        handler: objectHelpCommand,
      },
      {
        name: 'idletime',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: [2, 2, 1],
        keySpecs: [rangeKeySpec(['RO'], 2)],
        tips: ['nondeterministic_output'],
        summary: 'Get the time since a Redis object was last accessed',
        since: '2.2.3',
        group: 'generic',
        complexity: 'O(1)',
        args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
        handler: objectIdletimeCommand,
      },
      {
        name: 'refcount',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: [2, 2, 1],
        keySpecs: [rangeKeySpec(['RO'], 2)],
        tips: ['nondeterministic_output'],
        summary: 'Get the number of references to the value of the key',
        since: '2.2.3',
        group: 'generic',
        complexity: 'O(1)',
        args: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
        handler: objectRefcountCommand,
      },
    ],
  },
  {
    name: 'memory',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    summary: 'A container for memory diagnostics commands',
    since: '4.0.0',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        keys: [0, 0, 0],
        summary: 'Show helpful text about the different subcommands',
        since: '4.0.0',
        group: 'server',
        complexity: 'O(1)',
        handler: memoryHelpCommand,
      },
      {
        name: 'doctor',
        arity: 2,
        flags: [],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Outputs memory problems report',
        since: '4.0.0',
        group: 'server',
        complexity: 'O(1)',
        handler: memoryDoctorCommand,
      },
      {
        name: 'malloc-stats',
        arity: 2,
        flags: [],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Show allocator internal stats',
        since: '4.0.0',
        group: 'server',
        complexity: 'Depends on how much memory is allocated, could be slow',
        handler: memoryMallocStatsCommand,
      },
      {
        name: 'purge',
        arity: 2,
        flags: [],
        keys: [0, 0, 0],
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        summary: 'Ask the allocator to release memory',
        since: '4.0.0',
        group: 'server',
        complexity: 'Depends on how much memory is allocated, could be slow',
        handler: memoryPurgeCommand,
      },
      {
        name: 'stats',
        arity: 2,
        flags: [],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Show memory usage details',
        since: '4.0.0',
        group: 'server',
        complexity: 'O(1)',
        handler: memoryStatsCommand,
      },
      {
        name: 'usage',
        arity: -3,
        flags: ['readonly'],
        keys: [2, 2, 1],
        keySpecs: [rangeKeySpec(['RO'], 2)],
        summary: 'Estimate the memory usage of a key',
        since: '4.0.0',
        group: 'server',
        complexity: 'O(N) where N is the number of samples.',
        args: [
          { name: 'key', type: 'key', keySpecIndex: 0 },
          { name: 'count', type: 'integer', token: 'SAMPLES', flags: ['optional'] },
        ],
        handler: memoryUsageCommand,
      },
    ],
  },
  {
    name: 'slowlog',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    summary: 'A container for slow log commands',
    since: '2.2.12',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'get',
        arity: -2,
        flags: ['admin', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['request_policy:all_nodes', 'nondeterministic_output'],
        summary: "Get the slow log's entries",
        since: '2.2.12',
        group: 'server',
        complexity: 'O(N) where N is the number of entries returned',
        history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
        args: [{ name: 'count', type: 'integer', flags: ['optional'] }],
        handler: slowlogGetCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        keys: [0, 0, 0],
        summary: 'Show helpful text about the different subcommands',
        since: '6.2.0',
        group: 'server',
        complexity: 'O(1)',
        handler: slowlogHelpCommand,
      },
      {
        name: 'len',
        arity: 2,
        flags: ['admin', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
        summary: "Get the slow log's length",
        since: '2.2.12',
        group: 'server',
        complexity: 'O(1)',
        handler: slowlogLenCommand,
      },
      {
        name: 'reset',
        arity: 2,
        flags: ['admin', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        summary: 'Clear all entries from the slow log',
        since: '2.2.12',
        group: 'server',
        complexity: 'O(N) where N is the number of entries in the slowlog',
        handler: slowlogResetCommand,
      },
    ],
  },
  {
    name: 'latency',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    summary: 'A container for latency diagnostics commands',
    since: '2.8.13',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'doctor',
        arity: 2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        summary: 'Return a human readable latency analysis report.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        handler: latencyDoctorCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        keys: [0, 0, 0],
        summary: 'Show helpful text about the different subcommands.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        handler: latencyHelpCommand,
      },
      {
        name: 'history',
        arity: 3,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        summary: 'Return timestamp-latency samples for the event.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        args: [{ name: 'event', type: 'string' }],
        handler: latencyHistoryCommand,
      },
      {
        name: 'histogram',
        arity: -2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
        since: '7.0.0',
        group: 'server',
        complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
        args: [{ name: 'command', type: 'string', flags: ['optional', 'multiple'] }],
        handler: latencyHistogramCommand,
      },
      {
        name: 'latest',
        arity: 2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        summary: 'Return the latest latency samples for all events.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        handler: latencyLatestCommand,
      },
      {
        name: 'reset',
        arity: -2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        summary: 'Reset latency data for one or more events.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        args: [{ name: 'event', type: 'string', flags: ['optional', 'multiple'] }],
        handler: latencyResetCommand,
      },
    ],
  },
];
