// The ACL layer of a server (Redis 7.0 semantics): the users, authentication, the permission check the dispatcher
// and EXEC run, the ACL LOG, the ACL file (ACL LOAD / ACL SAVE) and `user` lines of the config file.
//
// Clients name their user (`Client.user`); a deleted user's clients are disconnected (and every non-default
// user's clients on ACL LOAD), so the name always resolves. Revoking channel permissions disconnects that user's
// subscribers whose channels or patterns are no longer allowed, as Redis 7.0 does.

import { readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fsPath } from '../config.js';
import type { Server } from '../server/server.js';
import type { Client, QueuedCommand } from '../server/client.js';
import type { CommandEntry } from '../commands/registry.js';
import { getKeysFromCommand } from '../commands/introspection.js';
import { clientInfoLine } from '../commands/client.js';
import {
  AclCommands,
  AclRuleError,
  Denied,
  ERR_UNKNOWN,
  channelAllowed,
  type KeyCache,
  type KeyFinder,
} from './selector.js';
import { strerror } from '../errors.js';
import { User, mergeSelectorArgs, hasSpaces } from './user.js';

export { User } from './user.js';
export { Denied } from './selector.js';

export interface AclLogEntry {
  count: number;
  reason: Denied;
  context: 'toplevel' | 'multi';
  object: string;
  username: string;
  /** Unix ms of the latest occurrence. */
  ctime: number;
  clientInfo: string;
}

const LOG_GROUPING_MS = 60000;

export const NOPERM_COMMAND = (name: string) => `NOPERM this user has no permissions to run the '${name}' command`;
export const NOPERM_KEY = 'NOPERM this user has no permissions to access one of the keys used as arguments';
export const NOPERM_CHANNEL = 'NOPERM this user has no permissions to access one of the channels used as arguments';

const EXEC_REASON: Record<number, string> = {
  [Denied.command]: 'no permission to execute the command or subcommand',
  [Denied.key]: 'no permission to touch the specified keys',
  [Denied.channel]: 'no permission to access one of the channels used as arguments',
};

const BOTH_USERS_AND_FILE =
  'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.';

/** Cuts a C string at its first NUL, as Redis's %s formatting does. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/**
 * The keys a command line touches, with the flags the ACL checks: found as COMMAND GETKEYS finds them (the rows'
 * key specs, or the row's own key finder when its flags depend on the arguments, e.g. SET with GET).
 */
const findKeys: KeyFinder = (cmd, argv) => getKeysFromCommand(cmd.spec, argv);

export class Acl {
  readonly cmds: AclCommands;
  users = new Map<string, User>();
  defaultUser: User;
  readonly log: AclLogEntry[] = [];

  constructor(private readonly server: Server) {
    this.cmds = new AclCommands(server.commands);
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
    this.applyRequirepass();
    server.userExists = (name) => this.users.has(name);
    server.defaultUserHasPassword = () => !this.defaultUser.nopass;
    // CONFIG REWRITE writes the users as `user` lines unless they live in an ACL file.
    server.config.rewriteUsers = () =>
      server.config.values.aclfile !== '' ? [] : this.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`);
    const prev = server.config.onChange;
    server.config.onChange = (name) => {
      prev(name);
      // A shorter acllog-max-len trims the log only when the next entry is added, as in Redis.
      if (name === 'requirepass') this.applyRequirepass();
    };
    this.loadAtStartup();
  }

  private allChannelsByDefault = (): boolean => this.server.config.values['acl-pubsub-default'] === 'allchannels';

  newUser(name: string): User {
    return new User(name, this.cmds, this.allChannelsByDefault);
  }

  private createDefaultUser(): User {
    const u = this.newUser('default');
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) u.apply(op);
    return u;
  }

  /** requirepass sets (or, when empty, clears) the default user's only password. */
  private applyRequirepass(): void {
    const pass = this.server.config.values.requirepass;
    const u = this.defaultUser;
    u.apply('resetpass');
    if (pass !== '') u.apply('>' + pass);
    else u.apply('nopass');
  }

  /** Whether a client that has not authenticated must do so (the default user has a password or is off). */
  authRequired(): boolean {
    return !this.defaultUser.nopass || !this.defaultUser.enabled;
  }

  /** The configured ACL file as an absolute path ('' when none): relative names are taken from `dir`. */
  get aclFile(): string {
    const f = this.server.config.values.aclfile;
    if (f === '') return '';
    return path.resolve(fsPath(this.server.config.values.dir), fsPath(f));
  }

  private loadAtStartup(): void {
    const lines = this.server.config.userLines;
    if (lines.length > 0 && this.server.config.values.aclfile !== '') throw new Error(BOTH_USERS_AND_FILE);
    if (this.server.config.values.aclfile !== '') {
      const err = this.loadFile();
      if (err !== undefined) throw new Error(`Aborting Cairn startup because of ACL errors: ${err}`);
      return;
    }
    const declared = new Set<string>();
    for (const args of lines) {
      const [name, ...ops] = args;
      if (name === undefined) throw new Error("Error in user declaration: usernames can't be empty");
      if (hasSpaces(name)) throw new Error('Spaces not allowed in ACL usernames');
      const merged = mergeSelectorArgs(ops);
      if (!Array.isArray(merged))
        throw new Error(`Error in user declaration '${name}': Unmatched parenthesis in acl selector`);
      let u = this.users.get(name);
      // A second declaration of a user is refused, `default`'s too (Redis checks this as it reads the file).
      if (u !== undefined && (name !== 'default' || declared.has(name)))
        throw new Error(
          `Error in user declaration '${name}': Duplicate user found. A user can only be defined once in config files`,
        );
      declared.add(name);
      if (u === undefined) {
        u = this.newUser(name);
        this.users.set(name, u);
      } else {
        u.apply('reset');
      }
      for (const op of merged) {
        try {
          u.apply(op);
        } catch (e) {
          if (!(e instanceof AclRuleError)) throw e;
          throw new Error(`Error in user declaration '${name}': ${e.message}`);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Users

  userOf(c: Client): User | undefined {
    return this.users.get(c.user);
  }

  /** ACL SETUSER: all rules staged on a copy, then applied together; returns an error text or undefined. */
  setUser(name: string, rules: readonly string[]): string | undefined {
    const merged = mergeSelectorArgs(rules);
    if (!Array.isArray(merged))
      return `ERR Unmatched parenthesis in acl selector starting at '${cstr(rules[merged.unclosed]!)}'.`;
    const existing = this.users.get(name);
    const staged = existing ? existing.copy() : this.newUser(name);
    for (const op of merged) {
      try {
        staged.apply(op);
      } catch (e) {
        if (!(e instanceof AclRuleError)) throw e;
        return `ERR Error in ACL SETUSER modifier '${cstr(op)}': ${e.message}`;
      }
    }
    if (existing) this.killPubsubClientsIfNeeded(staged, existing);
    if (name === 'default') {
      this.copyInto(this.defaultUser, staged);
    } else {
      this.users.set(name, staged);
    }
    return undefined;
  }

  private copyInto(target: User, from: User): void {
    target.enabled = from.enabled;
    target.nopass = from.nopass;
    target.sanitizePayload = from.sanitizePayload;
    target.skipSanitizePayload = from.skipSanitizePayload;
    target.passwords = from.passwords;
    target.selectors = from.selectors;
  }

  /** ACL DELUSER: removes a user and disconnects its clients. */
  deleteUser(name: string, caller: Client): boolean {
    if (!this.users.has(name)) return false;
    this.users.delete(name);
    this.killClientsOf(new Set([name]), caller);
    return true;
  }

  private killClientsOf(names: ReadonlySet<string>, caller: Client | undefined): void {
    for (const c of [...this.server.clients.values()]) {
      if (!names.has(c.user)) continue;
      c.user = 'default';
      c.authenticated = false;
      this.killClient(c, caller);
    }
  }

  private killClient(c: Client, caller: Client | undefined): void {
    if (c === caller) {
      c.closeAfterReply = true;
      return;
    }
    c.out.discard();
    this.server.closeClient(c);
  }

  /**
   * Disconnects the user's subscribers whose channels or patterns the new rules no longer allow (all selectors'
   * channels together), unless the new rules keep every old channel rule or allow all channels.
   */
  private killPubsubClientsIfNeeded(next: User, prev: User): void {
    if (next.selectors.some((s) => s.allChannels)) return;
    const upcoming: string[] = [];
    for (const s of next.selectors) upcoming.push(...s.channels);
    let superset = true;
    for (const s of prev.selectors) {
      if (s.allChannels) {
        superset = false;
        break;
      }
      for (const ch of s.channels)
        if (!upcoming.includes(ch)) {
          superset = false;
          break;
        }
    }
    if (superset) return;
    for (const c of [...this.server.clients.values()]) {
      if (c.user !== prev.name || this.server.pubsubCount(c) === 0) continue;
      const subs = this.server.pubsub.subscriptionsOf(c);
      let kill = false;
      for (const p of subs.patterns) if (!channelAllowed(upcoming, p, true)) kill = true;
      for (const ch of subs.channels) if (!kill && !channelAllowed(upcoming, ch, false)) kill = true;
      for (const ch of subs.shard) if (!kill && !channelAllowed(upcoming, ch, false)) kill = true;
      if (kill) {
        c.out.discard();
        this.server.closeClient(c);
      }
    }
  }

  /** Sorted as Redis's radix tree keeps them (byte order). */
  sortedUsers(): User[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Authentication

  /** AUTH / HELLO AUTH: true when the pair is valid (the client is then that user); failures are logged. */
  authenticate(c: Client, username: string, password: string, commandName: string): boolean {
    const u = this.users.get(username);
    if (u !== undefined && u.checkPassword(password)) {
      c.authenticated = true;
      c.user = u.name;
      return true;
    }
    this.addLog(c, Denied.auth, c.multi !== null ? 'multi' : 'toplevel', commandName, username);
    return false;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Permission checks

  /** Checks a command for a user; returns the denial and the argument position it concerns. */
  check(u: User, cmd: CommandEntry, argv: readonly string[]): [Denied, number] {
    let relevant = Denied.command;
    let lastIdx = 0;
    const cache: KeyCache = {};
    for (const s of u.selectors) {
      const [r, idx] = s.check(cmd, argv, cache, findKeys);
      if (r === Denied.ok) return [Denied.ok, 0];
      if (r > relevant || (r === relevant && idx > lastIdx)) {
        relevant = r;
        lastIdx = idx;
      }
    }
    return [relevant, lastIdx];
  }

  /**
   * Whether c may run cmd with access to every key for reading, through some selector that allows this command
   * line: SORT's BY and GET patterns read keys no argument names, so Redis allows them only then.
   */
  readsAllKeys(c: Client, cmd: CommandEntry, argv: readonly string[]): boolean {
    const u = this.users.get(c.user);
    if (u === undefined) return false;
    if (u.unrestricted) return true;
    const cache: KeyCache = {};
    for (const s of u.selectors) {
      if (s.check(cmd, argv, cache, findKeys)[0] === Denied.ok && s.readsAllKeys()) return true;
    }
    return false;
  }

  /** The dispatcher's check: undefined when allowed, else the NOPERM error (the denial is logged). */
  checkCommand(c: Client, cmd: CommandEntry, argv: readonly string[]): string | undefined {
    // The common case without a lookup: the default user (never removed, only changed in place) may do anything.
    if (c.user === 'default' && this.defaultUser.unrestricted) return undefined;
    const u = this.users.get(c.user);
    if (u === this.defaultUser && u.unrestricted) return undefined;
    if (u === undefined) return NOPERM_COMMAND(cmd.fullName);
    const [r, idx] = this.check(u, cmd, argv);
    if (r === Denied.ok) return undefined;
    c.current = cmd;
    this.addLog(c, r, c.multi !== null ? 'multi' : 'toplevel', this.objectOf(r, cmd, argv, idx), u.name, argv);
    if (r === Denied.command) return NOPERM_COMMAND(cmd.fullName);
    if (r === Denied.key) return NOPERM_KEY;
    return NOPERM_CHANNEL;
  }

  /** EXEC's re-check of a queued command: undefined when allowed, else the error (the denial is logged). */
  checkQueued(
    c: Client,
    cmd: CommandEntry,
    argv: readonly string[],
    queue: QueuedCommand[],
    exec: CommandEntry,
  ): string | undefined {
    const u = this.users.get(c.user);
    if (u === this.defaultUser && u.unrestricted) return undefined;
    const [r, idx] = u === undefined ? [Denied.command, 0] : this.check(u, cmd, argv);
    if (r === Denied.ok) return undefined;
    // The entry shows the client as Redis sees it during EXEC: still flagged MULTI, running EXEC.
    const saved = { multi: c.multi, current: c.current };
    c.multi = { queue, failed: false };
    c.current = exec;
    try {
      this.addLog(c, r, 'multi', this.objectOf(r, cmd, argv, idx), c.user, ['EXEC']);
    } finally {
      c.multi = saved.multi;
      c.current = saved.current;
    }
    return (
      'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. ' +
      'This command is no longer allowed for the following reason: ' +
      EXEC_REASON[r]
    );
  }

  private objectOf(r: Denied, cmd: CommandEntry, argv: readonly string[], idx: number): string {
    return r === Denied.command ? cmd.fullName : argv[idx]!;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // ACL LOG

  addLog(
    c: Client,
    reason: Denied,
    context: 'toplevel' | 'multi',
    object: string,
    username: string,
    argv?: readonly string[],
  ): void {
    const now = Date.now();
    const clientInfo = clientInfoLine(c, now, argv);
    const scan = Math.min(10, this.log.length);
    for (let i = 0; i < scan; i++) {
      const e = this.log[i]!;
      if (
        e.reason === reason &&
        e.context === context &&
        now - e.ctime <= LOG_GROUPING_MS &&
        e.object === object &&
        e.username === username
      ) {
        this.log.splice(i, 1);
        this.log.unshift(e);
        e.count++;
        e.ctime = now;
        e.clientInfo = clientInfo;
        return;
      }
    }
    this.log.unshift({ count: 1, reason, context, object, username, ctime: now, clientInfo });
    this.trimLog();
  }

  private trimLog(): void {
    const max = this.server.config.values['acllog-max-len'];
    if (this.log.length > max) this.log.length = max;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // ACL file

  /** ACL LOAD: replaces every user from the file; returns the errors (nothing changes then) or undefined. */
  loadFile(caller?: Client): string | undefined {
    const file = this.aclFile;
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (e) {
      return `Error loading ACLs, opening file '${this.server.config.values.aclfile}': ${strerror(e)}`;
    }
    const shown = this.server.config.values.aclfile;
    const users = new Map<string, User>();
    let errors = '';
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const linenum = i + 1;
      if (line === '') continue;
      const argv = line.split(' ');
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${shown}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      const name = argv[1]!;
      if (hasSpaces(name)) {
        errors += `'${shown}:${linenum}: username '${name}' contains invalid characters. `;
        continue;
      }
      if (users.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
        continue;
      }
      const u = this.newUser(name);
      users.set(name, u);
      const merged = mergeSelectorArgs(argv.slice(2));
      if (!Array.isArray(merged)) {
        errors += `${shown}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      // As Redis reports them: every unknown command or category (naming the rule), and the first other error
      // of the line (without the rule: it might be a password).
      let otherError = false;
      for (const raw of merged) {
        const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        try {
          u.apply(op);
        } catch (e) {
          if (!(e instanceof AclRuleError)) throw e;
          if (e.message === ERR_UNKNOWN) {
            errors += `${shown}:${linenum}: Error in applying operation '${cstr(op)}': ${e.message}. `;
          } else if (!otherError) {
            errors += `${shown}:${linenum}: ${e.message}. `;
            otherError = true;
          }
        }
      }
    }
    if (errors !== '') {
      return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
    }
    const nextDefault = users.get('default') ?? this.createDefaultUser();
    this.copyInto(this.defaultUser, nextDefault);
    users.set('default', this.defaultUser);
    const old = this.users;
    this.users = users;
    const gone = new Set<string>();
    for (const name of old.keys()) if (name !== 'default') gone.add(name);
    this.killClientsOf(gone, caller);
    return undefined;
  }

  /** ACL SAVE: writes every user to the ACL file (through a temporary file renamed over it). */
  saveFile(): boolean {
    const file = this.aclFile;
    let text = '';
    for (const u of this.sortedUsers()) text += `user ${u.name} ${u.describe()}\n`;
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    try {
      writeFileSync(tmp, text, 'latin1');
      renameSync(tmp, file);
      return true;
    } catch (e) {
      this.server.log('warning', `Opening temp ACL file for ACL SAVE: ${(e as Error).message}`);
      rmSync(tmp, { force: true });
      return false;
    }
  }
}
