// Connection commands: PING, ECHO, QUIT, RESET, SELECT, HELLO, AUTH.

import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import { REDIS_COMPAT_VERSION } from '../server/server.js';
import { redactArg } from '../server/slowlog.js';
import { intArg, is, parseInteger } from './args.js';
import type { CommandSpec } from './spec.js';

const CONN = 'connection';

function pingCommand(c: Client, argv: string[]): void {
  if (argv.length > 2) throw new ReplyError(Err.wrongArgs('ping'));
  if (c.proto === 2 && c.server.pubsubCount(c) > 0) {
    c.w.array(2);
    c.w.bulk('pong');
    c.w.bulk(argv.length === 2 ? argv[1]! : '');
    return;
  }
  if (argv.length === 2) c.w.bulk(argv[1]!);
  else c.w.simple('PONG');
}

function echoCommand(c: Client, argv: string[]): void {
  c.w.bulk(argv[1]!);
}

function quitCommand(c: Client): void {
  c.w.ok();
  c.closeAfterReply = true;
}

function resetCommand(c: Client): void {
  c.server.resetClient(c);
  c.w.simple('RESET');
}

const ERR_SELECT_INT_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';

function selectCommand(c: Client, argv: string[]): void {
  const id = intArg(argv[1]!);
  if (id < -2147483648 || id > 2147483647) throw new ReplyError(ERR_SELECT_INT_RANGE);
  const db = c.server.keyspace.dbs[id];
  if (id < 0 || db === undefined) throw new ReplyError(Err.dbIndexOutOfRange);
  c.db = db;
  c.w.ok();
}

/**
 * AUTH [username] password: against the ACL users (passwords compared as SHA-256 digests in constant time).
 * The one-argument form means the default user and is refused while that user needs no password.
 */
function authCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) throw new ReplyError(Err.syntax);
  for (let i = 1; i < argv.length; i++) redactArg(c, i);
  let user = 'default';
  let pass = argv[1]!;
  if (argv.length === 3) {
    user = argv[1]!;
    pass = argv[2]!;
  } else if (c.server.acl.defaultUser.nopass) {
    throw new ReplyError(Err.authNotConfigured);
  }
  if (!c.server.acl.authenticate(c, user, pass, argv[0]!)) {
    c.server.stats.authFailures = (c.server.stats.authFailures ?? 0) + 1;
    throw new ReplyError(Err.wrongPass);
  }
  c.w.ok();
}

/** Validates a client name as CLIENT SETNAME and HELLO SETNAME do. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

function helloCommand(c: Client, argv: string[]): void {
  let proto: number = c.proto;
  if (argv.length >= 2) {
    const v = parseInteger(argv[1]!);
    if (v === undefined) throw new ReplyError('ERR Protocol version is not an integer or out of range');
    if (v < 2 || v > 3) throw new ReplyError(Err.noProto);
    proto = v;
  }
  // Options take effect in order, as in Redis 7.0: AUTH authenticates (or fails) on the spot, SETNAME renames at
  // once, so a later bad option leaves what came before it done.
  for (let j = 2; j < argv.length; j++) {
    const more = argv.length - j - 1;
    const opt = argv[j]!;
    if (is(opt, 'auth') && more >= 2) {
      redactArg(c, j + 1);
      redactArg(c, j + 2);
      if (!c.server.acl.authenticate(c, argv[j + 1]!, argv[j + 2]!, argv[0]!)) {
        c.server.stats.authFailures = (c.server.stats.authFailures ?? 0) + 1;
        throw new ReplyError(Err.wrongPass);
      }
      j += 2;
    } else if (is(opt, 'setname') && more >= 1) {
      if (!validClientName(argv[j + 1]!)) throw new ReplyError(Err.clientNameSpaces);
      c.name = argv[j + 1]!;
      j += 1;
    } else {
      throw new ReplyError(`ERR Syntax error in HELLO option '${opt}'`);
    }
  }
  if (!c.authenticated) {
    throw new ReplyError(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  }
  c.setProtocol(proto as 2 | 3);
  const w = c.w;
  w.map(7);
  w.bulk('server');
  w.bulk('redis');
  w.bulk('version');
  w.bulk(REDIS_COMPAT_VERSION);
  w.bulk('proto');
  w.integer(proto);
  w.bulk('id');
  w.integer(c.id);
  w.bulk('mode');
  w.bulk('standalone');
  w.bulk('role');
  w.bulk('master');
  w.bulk('modules');
  w.array(0);
}

export const connectionCommands = [
  {
    name: 'ping',
    arity: -1,
    flags: ['fast'],
    acl: [CONN],
    keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    group: CONN,
    since: '1.0.0',
    summary: 'Ping the server',
    complexity: 'O(1)',
    args: [{ name: 'message', type: 'string', flags: ['optional'] }],
    handler: pingCommand,
  },
  {
    name: 'echo',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    acl: [CONN],
    keys: [0, 0, 0],
    group: CONN,
    since: '1.0.0',
    summary: 'Echo the given string',
    complexity: 'O(1)',
    args: [{ name: 'message', type: 'string' }],
    handler: echoCommand,
  },
  {
    name: 'quit',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: [CONN],
    keys: [0, 0, 0],
    group: CONN,
    since: '1.0.0',
    summary: 'Close the connection',
    complexity: 'O(1)',
    handler: quitCommand,
  },
  {
    name: 'reset',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: [CONN],
    keys: [0, 0, 0],
    group: CONN,
    since: '6.2.0',
    summary: 'Reset the connection',
    complexity: 'O(1)',
    handler: resetCommand,
  },
  {
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    acl: [CONN],
    keys: [0, 0, 0],
    group: CONN,
    since: '1.0.0',
    summary: 'Change the selected database for the current connection',
    complexity: 'O(1)',
    args: [{ name: 'index', type: 'integer' }],
    handler: selectCommand,
  },
  {
    name: 'auth',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: [CONN],
    keys: [0, 0, 0],
    group: CONN,
    since: '1.0.0',
    summary: 'Authenticate to the server',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [['6.0.0', 'Added ACL style (username and password).']],
    args: [
      { name: 'username', type: 'string', since: '6.0.0', flags: ['optional'] },
      { name: 'password', type: 'string' },
    ],
    handler: authCommand,
  },
  {
    name: 'hello',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: [CONN],
    keys: [0, 0, 0],
    group: CONN,
    since: '6.0.0',
    summary: 'Handshake with Redis',
    complexity: 'O(1)',
    history: [
      [
        '6.2.0',
        "`protover` made optional; when called without arguments the command reports the current connection's context.",
      ],
    ],
    args: [
      {
        name: 'arguments',
        type: 'block',
        flags: ['optional'],
        args: [
          { name: 'protover', type: 'integer' },
          {
            name: 'username_password',
            type: 'block',
            token: 'AUTH',
            flags: ['optional'],
            args: [
              { name: 'username', type: 'string' },
              { name: 'password', type: 'string' },
            ],
          },
          { name: 'clientname', type: 'string', token: 'SETNAME', flags: ['optional'] },
        ],
      },
    ],
    handler: helloCommand,
  },
] as const satisfies readonly CommandSpec[];
