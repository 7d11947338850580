// ACL: users and permissions (Redis 7.0). The rules, checks, log and file live in src/acl/; these are the
// ACL subcommands, with replies shaped as Redis 7.0.15 shapes them.

import { randomBytes } from 'node:crypto';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import { ACL_CATEGORY_ORDER } from './registry.js';
import { helpReply } from './introspection.js';
import { is, parseInteger } from './args.js';
import type { CommandSpec, CommandFlag } from './spec.js';
import { AclCommands } from '../acl/selector.js';
import { hasSpaces, type User } from '../acl/user.js';
import { Denied } from '../acl/acl.js';
import { redactArg } from '../server/slowlog.js';

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

function subcommandSyntaxError(argv: readonly string[]): ReplyError {
  return new ReplyError(
    `ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`,
  );
}

function setuserCommand(c: Client, argv: string[]): void {
  for (let i = 2; i < argv.length; i++) redactArg(c, i);
  const name = argv[2]!;
  if (hasSpaces(name)) throw new ReplyError("ERR Usernames can't contain spaces or null characters");
  const err = c.server.acl.setUser(name, argv.slice(3));
  if (err !== undefined) throw new ReplyError(err);
  c.w.ok();
}

function writeSelector(c: Client, s: User['selectors'][number]): void {
  c.w.bulk('commands');
  c.w.bulk(s.commandRules());
  c.w.bulk('keys');
  c.w.bulk(s.keysText());
  c.w.bulk('channels');
  c.w.bulk(s.channelsText());
}

function getuserCommand(c: Client, argv: string[]): void {
  const u = c.server.acl.users.get(argv[2]!);
  if (u === undefined) return c.w.null();
  const w = c.w;
  w.map(6);
  w.bulk('flags');
  const flags = u.flags();
  w.set(flags.length);
  for (const f of flags) w.bulk(f);
  w.bulk('passwords');
  w.array(u.passwords.length);
  for (const p of u.passwords) w.bulk(p);
  writeSelector(c, u.root);
  w.bulk('selectors');
  w.array(u.selectors.length - 1);
  for (let i = 1; i < u.selectors.length; i++) {
    w.map(3);
    writeSelector(c, u.selectors[i]!);
  }
}

function deluserCommand(c: Client, argv: string[]): void {
  for (let j = 2; j < argv.length; j++) {
    if (argv[j] === 'default') throw new ReplyError("ERR The 'default' user cannot be removed");
  }
  let n = 0;
  for (let j = 2; j < argv.length; j++) if (c.server.acl.deleteUser(argv[j]!, c)) n++;
  c.w.integer(n);
}

function listCommand(c: Client): void {
  const users = c.server.acl.sortedUsers();
  c.w.array(users.length);
  for (const u of users) c.w.bulk(`user ${u.name} ${u.describe()}`);
}

function usersCommand(c: Client): void {
  const users = c.server.acl.sortedUsers();
  c.w.array(users.length);
  for (const u of users) c.w.bulk(u.name);
}

function whoamiCommand(c: Client): void {
  c.w.bulk(c.user);
}

function catCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) throw subcommandSyntaxError(argv);
  if (argv.length === 2) {
    c.w.array(ACL_CATEGORY_ORDER.length);
    for (const cat of ACL_CATEGORY_ORDER) c.w.bulk(cat);
    return;
  }
  const bit = AclCommands.categoryBit(argv[2]!);
  if (bit === undefined) throw new ReplyError(`ERR Unknown category '${argv[2]!.slice(0, 128)}'`);
  const cmds = c.server.acl.cmds;
  const names: string[] = [];
  for (let id = 0; id < cmds.size; id++) if (cmds.cats[id]! & bit) names.push(cmds.entries[id]!.fullName);
  c.w.array(names.length);
  for (const n of names) c.w.bulk(n);
}

function genpassCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) throw subcommandSyntaxError(argv);
  let bits = 256;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]!);
    if (n === undefined) throw new ReplyError(Err.notInteger);
    if (n <= 0 || n > 4096)
      throw new ReplyError(
        'ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096',
      );
    bits = n;
  }
  const chars = Math.ceil(bits / 4);
  c.w.bulk(
    randomBytes(Math.ceil(chars / 2))
      .toString('hex')
      .slice(0, chars),
  );
}

const REASON: Record<number, string> = {
  [Denied.command]: 'command',
  [Denied.key]: 'key',
  [Denied.channel]: 'channel',
  [Denied.auth]: 'auth',
};

function logCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) throw subcommandSyntaxError(argv);
  const log = c.server.acl.log;
  let count = Math.min(10, log.length);
  if (argv.length === 3) {
    if (is(argv[2]!, 'reset')) {
      log.length = 0;
      return c.w.ok();
    }
    const n = parseInteger(argv[2]!);
    if (n === undefined) throw new ReplyError(Err.notInteger);
    count = Math.max(0, Math.min(n, log.length));
  }
  const now = Date.now();
  const w = c.w;
  w.array(count);
  for (let i = 0; i < count; i++) {
    const e = log[i]!;
    w.map(7);
    w.bulk('count');
    w.integer(e.count);
    w.bulk('reason');
    w.bulk(REASON[e.reason]!);
    w.bulk('context');
    w.bulk(e.context);
    w.bulk('object');
    w.bulk(e.object);
    w.bulk('username');
    w.bulk(e.username);
    w.bulk('age-seconds');
    w.double((now - e.ctime) / 1000);
    w.bulk('client-info');
    w.bulk(e.clientInfo);
  }
}

function dryrunCommand(c: Client, argv: string[]): void {
  const acl = c.server.acl;
  const u = acl.users.get(argv[2]!);
  if (u === undefined) throw new ReplyError(`ERR User '${argv[2]!}' not found`);
  const line = argv.slice(3);
  let cmd = c.server.commands.lookup(line[0]!);
  if (cmd !== undefined && cmd.subcommands !== undefined && line.length >= 2)
    cmd = cmd.subcommands.get(line[1]!.toLowerCase());
  if (cmd === undefined) throw new ReplyError(`ERR Command '${line[0]!}' not found`);
  const arity = cmd.spec.arity;
  if ((arity > 0 && line.length !== arity) || line.length < -arity) throw new ReplyError(Err.wrongArgs(cmd.fullName));
  const [r, idx] = acl.check(u, cmd, line);
  if (r === Denied.ok) return c.w.ok();
  if (r === Denied.command) return c.w.bulk(`This user has no permissions to run the '${cmd.fullName}' command`);
  if (r === Denied.key) return c.w.bulk(`This user has no permissions to access the '${line[idx]!}' key`);
  c.w.bulk(`This user has no permissions to access the '${line[idx]!}' channel`);
}

function saveCommand(c: Client): void {
  if (c.server.config.values.aclfile === '') throw new ReplyError(NO_ACL_FILE);
  if (!c.server.acl.saveFile())
    throw new ReplyError(
      'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
    );
  c.w.ok();
}

function loadCommand(c: Client): void {
  if (c.server.config.values.aclfile === '') throw new ReplyError(NO_ACL_FILE);
  const err = c.server.acl.loadFile(c);
  if (err !== undefined) throw new ReplyError('ERR ' + err);
  c.w.ok();
}

function aclHelpCommand(c: Client): void {
  helpReply(c, 'ACL', [
    'CAT [<category>]',
    '    List all commands that belong to <category>, or all command categories',
    '    when no category is specified.',
    'DELUSER <username> [<username> ...]',
    '    Delete a list of users.',
    'DRYRUN <username> <command> [<arg> ...]',
    '    Returns whether the user can execute the given command without executing the command.',
    'GETUSER <username>',
    "    Get the user's details.",
    'GENPASS [<bits>]',
    '    Generate a secure 256-bit user password. The optional `bits` argument can',
    '    be used to specify a different size.',
    'LIST',
    '    Show users details in config file format.',
    'LOAD',
    '    Reload users from the ACL file.',
    'LOG [<count> | RESET]',
    '    Show the ACL log entries.',
    'SAVE',
    '    Save the current config to the ACL file.',
    'SETUSER <username> <attribute> [<attribute> ...]',
    '    Create or modify a user with the specified attributes.',
    'USERS',
    '    List all the registered usernames.',
    'WHOAMI',
    '    Return the current connection username.',
  ]);
}

const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const PLAIN: readonly CommandFlag[] = ['noscript', 'loading', 'stale'];
const SERVER = 'server';
const USERS_N = 'O(N). Where N is the number of configured users.';

export const aclCommands = [
  {
    name: 'acl',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: SERVER,
    since: '6.0.0',
    summary: 'A container for Access List Control commands ',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'cat',
        arity: -2,
        flags: PLAIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'List the ACL categories or the commands inside a category',
        complexity: 'O(1) since the categories and commands are a fixed set.',
        args: [{ name: 'categoryname', type: 'string', flags: ['optional'] }],
        handler: catCommand,
      },
      {
        name: 'deluser',
        arity: -3,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Remove the specified ACL users and the associated rules',
        complexity: 'O(1) amortized time considering the typical user.',
        args: [{ name: 'username', type: 'string', flags: ['multiple'] }],
        handler: deluserCommand,
      },
      {
        name: 'dryrun',
        arity: -4,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '7.0.0',
        summary: 'Returns whether the user can execute the given command without executing the command.',
        complexity: 'O(1).',
        args: [
          { name: 'username', type: 'string' },
          { name: 'command', type: 'string' },
          { name: 'arg', type: 'string', flags: ['optional', 'multiple'] },
        ],
        handler: dryrunCommand,
      },
      {
        name: 'genpass',
        arity: -2,
        flags: PLAIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Generate a pseudorandom secure password to use for ACL users',
        complexity: 'O(1)',
        args: [{ name: 'bits', type: 'integer', flags: ['optional'] }],
        handler: genpassCommand,
      },
      {
        name: 'getuser',
        arity: 3,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Get the rules for a specific ACL user',
        complexity: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
        history: [
          ['6.2.0', 'Added Pub/Sub channel patterns.'],
          [
            '7.0.0',
            'Added selectors and changed the format of key and channel patterns from a list to their rule representation.',
          ],
        ],
        args: [{ name: 'username', type: 'string' }],
        handler: getuserCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Show helpful text about the different subcommands',
        complexity: 'O(1)',
        handler: aclHelpCommand,
      },
      {
        name: 'list',
        arity: 2,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'List the current ACL rules in ACL config file format',
        complexity: USERS_N,
        handler: listCommand,
      },
      {
        name: 'load',
        arity: 2,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Reload the ACLs from the configured ACL file',
        complexity: USERS_N,
        handler: loadCommand,
      },
      {
        name: 'log',
        arity: -2,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'List latest events denied because of ACLs in place',
        complexity: 'O(N) with N being the number of entries shown.',
        args: [
          {
            name: 'operation',
            type: 'oneof',
            flags: ['optional'],
            args: [
              { name: 'count', type: 'integer' },
              { name: 'reset', type: 'pure-token', token: 'RESET' },
            ],
          },
        ],
        handler: logCommand,
      },
      {
        name: 'save',
        arity: 2,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Save the current ACL rules in the configured ACL file',
        complexity: USERS_N,
        handler: saveCommand,
      },
      {
        name: 'setuser',
        arity: -3,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Modify or create the rules for a specific ACL user',
        complexity: 'O(N). Where N is the number of rules provided.',
        history: [
          ['6.2.0', 'Added Pub/Sub channel patterns.'],
          ['7.0.0', 'Added selectors and key based permissions.'],
        ],
        args: [
          { name: 'username', type: 'string' },
          { name: 'rule', type: 'string', flags: ['optional', 'multiple'] },
        ],
        handler: setuserCommand,
      },
      {
        name: 'users',
        arity: 2,
        flags: ADMIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'List the username of all the configured ACL rules',
        complexity: USERS_N,
        handler: usersCommand,
      },
      {
        name: 'whoami',
        arity: 2,
        flags: PLAIN,
        keys: [0, 0, 0],
        group: SERVER,
        since: '6.0.0',
        summary: 'Return the name of the user associated to the current connection',
        complexity: 'O(1)',
        handler: whoamiCommand,
      },
    ],
  },
] as const satisfies readonly CommandSpec[];
