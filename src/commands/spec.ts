// The shape of a command-table row: everything the dispatcher, COMMAND and ACL need to know about a command.

import type { Client } from '../server/client.js';

/** Flags as Redis 7.0 names them in COMMAND INFO (movablekeys is derived, not declared). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'protected'
  | 'no_async_loading'
  | 'no_multi'
  | 'allow_busy';

/** ACL categories a row declares beyond those its flags imply (write → @write, fast → @fast, …). */
export type AclCategory =
  | 'keyspace'
  | 'read'
  | 'write'
  | 'set'
  | 'sortedset'
  | 'list'
  | 'hash'
  | 'string'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'stream'
  | 'pubsub'
  | 'admin'
  | 'fast'
  | 'slow'
  | 'blocking'
  | 'dangerous'
  | 'connection'
  | 'transaction'
  | 'scripting';

/** Key-spec flags as COMMAND INFO shows them. */
export type KeySpecFlag =
  'RO' | 'RW' | 'OW' | 'RM' | 'ACCESS' | 'UPDATE' | 'INSERT' | 'DELETE' | 'NOT_KEY' | 'INCOMPLETE' | 'VARIABLE_FLAGS';

/**
 * One key spec (Redis 7): where the search for keys begins (an argument index, or after a keyword) and how the
 * keys are found from there (a range [lastkey, step, limit], or a count argument [keynumidx, firstkey, step]).
 */
export interface KeySpec {
  /** Free text COMMAND INFO shows as `notes` (Redis explains unusual specs there). */
  notes?: string;
  flags: readonly KeySpecFlag[];
  begin: { index: number } | { keyword: string; startfrom: number } | 'unknown';
  find:
    | { range: readonly [lastkey: number, step: number, limit: number] }
    | { keynum: readonly [number, number, number] }
    | 'unknown';
}

/** One argument as COMMAND DOCS describes it (Redis's `arguments` entries). */
export interface ArgSpec {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  displayText?: string;
  keySpecIndex?: number;
  token?: string;
  summary?: string;
  since?: string;
  deprecatedSince?: string;
  flags?: readonly ('optional' | 'multiple' | 'multiple_token')[];
  /** Nested arguments of a oneof or block. */
  args?: readonly ArgSpec[];
}

export type Handler = (c: Client, argv: string[]) => void;

export interface CommandSpec {
  /** Lowercase name; for a subcommand, just the subcommand ("info" of CLIENT INFO). */
  name: string;
  /** Redis convention: n = exactly n arguments including the name; -n = at least n. */
  arity: number;
  flags: readonly CommandFlag[];
  acl?: readonly AclCategory[];
  /** Legacy (first, last, step) key positions; [0, 0, 0] when the command takes no keys. */
  keys?: readonly [first: number, last: number, step: number];
  keySpecs?: readonly KeySpec[];
  /**
   * Where the members (fields) of the collection at the first key are, in the command's usual form: arguments
   * first, first + step, … to the end. Only a hint for reading ahead (Client.readAhead): a wrong guess costs a
   * lookup, never a reply.
   */
  members?: readonly [first: number, step: number];
  /**
   * Where the values the command stores as they are sent (SET's value, MSET's values): argument `first`, then every
   * `step`-th after it (step 0: that one alone). A bulk there of BIG_STRING_MIN bytes or more comes out of the
   * request parser as a BigString (src/types/big-string.ts), so the handler must take one at these positions.
   */
  values?: readonly [first: number, step: number];
  /** True when the key positions depend on the arguments (computed in Redis from key specs; declared here). */
  movableKeys?: boolean;
  /**
   * Custom key extraction for COMMAND GETKEYS when the key specs cannot describe it: positions, or positions with
   * their own key-spec flags (as Redis's getkeys procs set them, e.g. SORT's STORE key).
   */
  getKeys?: (argv: readonly string[]) => (number | { pos: number; flags: readonly KeySpecFlag[] })[];
  tips?: readonly string[];
  group: string;
  since: string;
  summary: string;
  complexity?: string;
  docFlags?: readonly string[];
  deprecatedSince?: string;
  replacedBy?: string;
  /** COMMAND DOCS `history`: [version, what changed] pairs. */
  history?: readonly (readonly [string, string])[];
  /** COMMAND DOCS `arguments`. */
  args?: readonly ArgSpec[];
  handler?: Handler;
  subcommands?: readonly CommandSpec[];
}

/** A key spec whose keys start at argument `index` and run to `lastkey` (0: just one; -1: the last argument). */
export function rangeKeySpec(flags: readonly KeySpecFlag[], index = 1, lastkey = 0, step = 1): KeySpec {
  return { flags, begin: { index }, find: { range: [lastkey, step, 0] } };
}

/** A key spec whose key count is the argument at `index` (ZUNION, LMPOP…), keys following it. */
export function keynumKeySpec(flags: readonly KeySpecFlag[], index: number): KeySpec {
  return { flags, begin: { index }, find: { keynum: [0, 1, 1] } };
}
