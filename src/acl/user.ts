// An ACL user (Redis 7.0): on/off, passwords kept only as SHA-256 hex digests, and selectors (the root one first).
// `apply` takes one rule of Redis's rule language; the `user` lines of ACL files and config files, ACL SETUSER and
// ACL LIST all speak it.

import { createHash, timingSafeEqual } from 'node:crypto';
import { splitArgs } from '../protocol/request-parser.js';
import { AclCommands, AclRuleError, ERR_SYNTAX, Selector, hasSpaces } from './selector.js';

const ERR_NO_SUCH_PASSWORD = 'The password you are trying to remove from the user does not exist';
const ERR_BAD_HASH =
  'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';

export function sha256Hex(password: string): string {
  return createHash('sha256').update(password, 'latin1').digest('hex');
}

function validHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

export class User {
  enabled = false;
  nopass = false;
  sanitizePayload = false;
  skipSanitizePayload = false;
  /** SHA-256 hex digests, in the order they were added. */
  passwords: string[] = [];
  /** The root selector first, then the selectors given in parentheses. */
  selectors: Selector[];

  constructor(
    readonly name: string,
    readonly cmds: AclCommands,
    allChannelsByDefault: () => boolean,
  ) {
    this.pubsubDefault = allChannelsByDefault;
    this.selectors = [new Selector(cmds, true, allChannelsByDefault())];
  }

  /** Whether new selectors start with all channels (acl-pubsub-default allchannels). */
  private readonly pubsubDefault: () => boolean;

  get root(): Selector {
    return this.selectors[0]!;
  }

  /** A copy under a (possibly) new name: staged SETUSER changes are applied to a copy, then swapped in. */
  copy(name = this.name): User {
    const u = new User(name, this.cmds, this.pubsubDefault);
    u.enabled = this.enabled;
    u.nopass = this.nopass;
    u.sanitizePayload = this.sanitizePayload;
    u.skipSanitizePayload = this.skipSanitizePayload;
    u.passwords = [...this.passwords];
    u.selectors = this.selectors.map((s) => s.clone());
    return u;
  }

  /** Full access to every command, key and channel through the root selector. */
  get unrestricted(): boolean {
    const r = this.root;
    return r.allCommands && r.allKeys && r.allChannels;
  }

  /** Applies one rule; throws AclRuleError with Redis's reason. */
  apply(op: string): void {
    if (op === '') return; // an empty rule does nothing (ACL files with doubled spaces hold them)
    const lop = op.toLowerCase();
    if (lop === 'on') this.enabled = true;
    else if (lop === 'off') this.enabled = false;
    else if (lop === 'skip-sanitize-payload') {
      this.skipSanitizePayload = true;
      this.sanitizePayload = false;
    } else if (lop === 'sanitize-payload') {
      this.sanitizePayload = true;
      this.skipSanitizePayload = false;
    } else if (lop === 'nopass') {
      this.nopass = true;
      this.passwords = [];
    } else if (lop === 'resetpass') {
      this.nopass = false;
      this.passwords = [];
    } else if (op[0] === '>' || op[0] === '#') {
      const h = op[0] === '>' ? sha256Hex(op.slice(1)) : op.slice(1);
      if (!validHash(h)) throw new AclRuleError(ERR_BAD_HASH);
      if (!this.passwords.includes(h)) this.passwords.push(h);
      this.nopass = false;
    } else if (op[0] === '<' || op[0] === '!') {
      const h = op[0] === '<' ? sha256Hex(op.slice(1)) : op.slice(1);
      if (!validHash(h)) throw new AclRuleError(ERR_BAD_HASH);
      const i = this.passwords.indexOf(h);
      if (i < 0) throw new AclRuleError(ERR_NO_SUCH_PASSWORD);
      this.passwords.splice(i, 1);
    } else if (op[0] === '(' && op[op.length - 1] === ')') {
      const s = new Selector(this.cmds, false, this.pubsubDefault());
      const inner = splitArgs(op.slice(1, -1)) ?? [];
      for (const a of inner) s.apply(a);
      this.selectors.push(s);
    } else if (lop === 'clearselectors') {
      this.selectors.length = 1;
    } else if (lop === 'reset') {
      this.apply('resetpass');
      this.apply('resetkeys');
      this.apply('resetchannels');
      if (this.pubsubDefault()) this.apply('allchannels');
      this.apply('off');
      this.apply('sanitize-payload');
      this.apply('clearselectors');
      this.apply('-@all');
    } else {
      this.root.apply(op);
    }
  }

  /** Whether `password` opens this user: enabled, and nopass or a matching digest (compared in constant time). */
  checkPassword(password: string): boolean {
    if (!this.enabled) return false;
    if (this.nopass) return true;
    const given = Buffer.from(sha256Hex(password), 'latin1');
    let ok = false;
    for (const h of this.passwords) {
      if (timingSafeEqual(given, Buffer.from(h, 'latin1'))) ok = true;
    }
    return ok;
  }

  flags(): string[] {
    const f: string[] = [this.enabled ? 'on' : 'off'];
    if (this.nopass) f.push('nopass');
    if (this.skipSanitizePayload) f.push('skip-sanitize-payload');
    if (this.sanitizePayload) f.push('sanitize-payload');
    return f;
  }

  /** The user's rules as ACL LIST and ACL SAVE write them (after "user <name> "). */
  describe(): string {
    let res = '';
    for (const f of this.flags()) res += f + ' ';
    for (const p of this.passwords) res += '#' + p + ' ';
    for (const s of this.selectors) res += s.root ? s.describe() : ` (${s.describe()})`;
    return res;
  }
}

/**
 * Joins arguments that spell one selector across several words ("(+get", "~a)") back into one rule, as Redis
 * does; returns the index of an unclosed one instead when a parenthesis is never closed.
 */
export function mergeSelectorArgs(args: readonly string[]): string[] | { unclosed: number } {
  const out: string[] = [];
  let open = -1;
  let cur = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      cur = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      cur += ' ' + op;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(cur);
      }
      continue;
    }
    out.push(op);
  }
  if (open !== -1) return { unclosed: open };
  return out;
}

export { AclRuleError, ERR_SYNTAX, hasSpaces };
