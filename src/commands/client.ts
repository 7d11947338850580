// CLIENT: the connection's own settings (ID, names, reply mode, eviction/touch flags) and other connections
// (LIST, INFO, KILL).

import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import { validClientName } from './connection.js';
import { is, parseInteger } from './args.js';
import { watchTouched } from './transaction.js';
import { helpReply } from './introspection.js';
import type { CommandSpec } from './spec.js';
import type { TrackingOptions } from '../server/tracking.js';

type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

function clientTypeByName(name: string): ClientType | undefined {
  const n = name.toLowerCase();
  if (n === 'normal' || n === 'master' || n === 'replica' || n === 'pubsub') return n;
  if (n === 'slave') return 'replica';
  return undefined;
}

function clientType(c: Client): ClientType {
  return c.server.pubsubCount(c) > 0 ? 'pubsub' : 'normal';
}

/** The socket's file descriptor, as Redis shows it (-1 for connections without one). */
function socketFd(c: Client): number {
  const h = (c.sock as unknown as { _handle?: { fd?: number } } | null)?._handle;
  return typeof h?.fd === 'number' && h.fd >= 0 ? h.fd : -1;
}

function clientFlags(c: Client): string {
  let f = '';
  if (c.monitor) f += 'O';
  if (c.server.pubsubCount(c) > 0) f += 'P';
  if (c.multi !== null || c.execQueue !== null) f += 'x';
  if (c.blocked) f += 'b';
  const t = c.server.tracking.stateOf(c);
  if (t !== undefined) {
    f += 't';
    if (t.brokenRedirect) f += 'R';
    if (t.bcast) f += 'B';
  }
  if (watchTouched(c)) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

function argvBytes(argv: readonly string[] | undefined): number {
  let n = 0;
  if (argv) for (const a of argv) n += a.length;
  return n;
}

/** One line of CLIENT LIST / CLIENT INFO, with the fields Redis 7.0.15 prints, in its order. */
export function clientInfoLine(c: Client, now = Date.now(), callerArgv?: readonly string[]): string {
  const sub = c.server.pubsubDetail(c);
  const tx = c.multi?.queue ?? c.execQueue;
  const queued = tx ?? [];
  let multiMem = 0;
  for (const q of queued) multiMem += argvBytes(q.argv) + q.argv.length * 16 + 32;
  // The running client's query buffer still holds the requests being run, as Redis's does.
  const qbuf = callerArgv !== undefined ? c.parser.bufferedBytes : c.queryPending;
  const argvMem = argvBytes(callerArgv);
  const rbs = c.out.buf.length;
  const obl = c.out.len;
  // Output beyond the first 16 KB, in 16 KB blocks, as Redis's reply list holds it (see output-limits.ts).
  const omem = c.server.outputLimits.used(c);
  const oll = Math.max(c.out.chunks?.length ?? 0, omem / 16384);
  const totMem = qbuf + argvMem + multiMem + rbs + omem + 1024;
  // Redis shows `w` while it waits for the socket to take its output, not for replies merely queued.
  const events = c.socketPending() > 0 ? 'rw' : 'r';
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${socketFd(c)} name=${c.name}` +
    ` age=${Math.floor((now - c.ctime) / 1000)} idle=${Math.max(0, Math.floor((now - c.lastInteraction) / 1000))}` +
    ` flags=${clientFlags(c)} db=${c.db.id} sub=${sub.channels} psub=${sub.patterns} ssub=${sub.shardChannels}` +
    ` multi=${tx === null ? -1 : queued.length} qbuf=${qbuf} qbuf-free=0` +
    ` argv-mem=${argvMem} multi-mem=${multiMem} rbs=${rbs} rbp=${rbs} obl=${obl} oll=${oll} omem=${omem}` +
    ` tot-mem=${totMem} events=${events} cmd=${c.lastCommand} user=${c.user} redir=${c.server.tracking.stateOf(c)?.redirect ?? -1} resp=${c.proto}`
  );
}

function clientIdCommand(c: Client): void {
  c.w.integer(c.id);
}

function clientSetnameCommand(c: Client, argv: string[]): void {
  const name = argv[2]!;
  if (!validClientName(name)) throw new ReplyError(Err.clientNameSpaces);
  c.name = name;
  c.w.ok();
}

function clientGetnameCommand(c: Client): void {
  if (c.name === '') c.w.null();
  else c.w.bulk(c.name);
}

function clientInfoCommand(c: Client, argv: string[]): void {
  c.w.verbatim(clientInfoLine(c, Date.now(), argv) + '\n');
}

function clientListCommand(c: Client, argv: string[]): void {
  let type: ClientType | undefined;
  const now = Date.now();
  let out = '';
  if (argv.length === 4 && is(argv[2]!, 'type')) {
    type = clientTypeByName(argv[3]!);
    if (type === undefined) throw new ReplyError(`ERR Unknown client type '${argv[3]!}'`);
  } else if (argv.length > 3 && is(argv[2]!, 'id')) {
    // In the order asked, each time asked, as Redis looks each id up in turn.
    for (let j = 3; j < argv.length; j++) {
      const id = parseInteger(argv[j]!);
      if (id === undefined) throw new ReplyError('ERR Invalid client ID');
      const other = c.server.clients.get(id);
      if (other !== undefined) out += clientInfoLine(other, now, other === c ? argv : undefined) + '\n';
    }
    return c.w.verbatim(out);
  } else if (argv.length !== 2) {
    throw new ReplyError(Err.syntax);
  }
  for (const other of c.server.clients.values()) {
    if (type !== undefined && clientType(other) !== type) continue;
    out += clientInfoLine(other, now, other === c ? argv : undefined) + '\n';
  }
  c.w.verbatim(out);
}

/** Closes a client: at once for others, after this reply for the caller. */
function killClient(c: Client, target: Client): void {
  if (target === c) c.closeAfterReply = true;
  else {
    target.out.discard();
    c.server.closeClient(target);
  }
}

function clientKillCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    const addr = argv[2]!;
    for (const other of c.server.clients.values()) {
      if (other.addr === addr) {
        c.w.ok();
        killClient(c, other);
        return;
      }
    }
    throw new ReplyError(Err.noSuchClient);
  }
  let id: number | undefined;
  let type: ClientType | undefined;
  let addr: string | undefined;
  let laddr: string | undefined;
  let user: string | undefined;
  let skipme = true;
  // Option by option, as Redis checks them: an option without its value is a syntax error when it is reached.
  for (let j = 2; j < argv.length; j += 2) {
    const opt = argv[j]!;
    if (j + 1 >= argv.length) throw new ReplyError(Err.syntax);
    const val = argv[j + 1]!;
    if (is(opt, 'id')) {
      const n = parseInteger(val);
      if (n === undefined || n <= 0) throw new ReplyError('ERR client-id should be greater than 0');
      id = n;
    } else if (is(opt, 'type')) {
      type = clientTypeByName(val);
      if (type === undefined) throw new ReplyError(`ERR Unknown client type '${val}'`);
    } else if (is(opt, 'addr')) {
      addr = val;
    } else if (is(opt, 'laddr')) {
      laddr = val;
    } else if (is(opt, 'user')) {
      if (!c.server.userExists(val)) throw new ReplyError(`ERR No such user '${val}'`);
      user = val;
    } else if (is(opt, 'skipme')) {
      if (is(val, 'yes')) skipme = true;
      else if (is(val, 'no')) skipme = false;
      else throw new ReplyError(Err.syntax);
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  const victims: Client[] = [];
  for (const other of c.server.clients.values()) {
    if (addr !== undefined && other.addr !== addr) continue;
    if (laddr !== undefined && other.laddr !== laddr) continue;
    if (type !== undefined && clientType(other) !== type) continue;
    if (id !== undefined && other.id !== id) continue;
    if (user !== undefined && other.user !== user) continue;
    if (other === c && skipme) continue;
    victims.push(other);
  }
  c.w.integer(victims.length);
  for (const v of victims) killClient(c, v);
}

function onOffArg(arg: string): boolean {
  if (is(arg, 'on')) return true;
  if (is(arg, 'off')) return false;
  throw new ReplyError(Err.syntax);
}

function clientNoEvictCommand(c: Client, argv: string[]): void {
  c.noEvict = onOffArg(argv[2]!);
  c.w.ok();
}

function clientReplyCommand(c: Client, argv: string[]): void {
  const mode = argv[2]!;
  if (is(mode, 'on')) {
    c.replyMode = 'on';
    c.skipNext = false;
    c.skipPending = false;
    c.w.ok();
  } else if (is(mode, 'off')) {
    c.replyMode = 'off';
  } else if (is(mode, 'skip')) {
    if (c.replyMode === 'on') c.skipPending = true;
  } else {
    throw new ReplyError(Err.syntax);
  }
}

function clientGetredirCommand(c: Client): void {
  c.w.integer(c.server.tracking.stateOf(c)?.redirect ?? -1);
}

/** Redis's reply when a CLIENT subcommand gets more arguments than it takes. */
function wrongSubcommandArgs(sub: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try CLIENT HELP.`;
}

const ERR_SWITCH_BCAST =
  "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
const ERR_SWITCH_OPTIN =
  "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";

/** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p …] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
function clientTrackingCommand(c: Client, argv: string[]): void {
  const tracking = c.server.tracking;
  const o: TrackingOptions = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const more = j < argv.length - 1;
    if (is(opt, 'redirect') && more) {
      j++;
      if (o.redirect !== 0) throw new ReplyError('ERR A client can only redirect to a single other client');
      const id = parseInteger(argv[j]!);
      if (id === undefined) throw new ReplyError(Err.notInteger);
      const target = c.server.clients.get(id);
      if (target === undefined || target.closed)
        throw new ReplyError('ERR The client ID you want redirect to does not exist');
      o.redirect = id;
    } else if (is(opt, 'bcast')) {
      o.bcast = true;
    } else if (is(opt, 'optin')) {
      o.optin = true;
    } else if (is(opt, 'optout')) {
      o.optout = true;
    } else if (is(opt, 'noloop')) {
      o.noloop = true;
    } else if (is(opt, 'prefix') && more) {
      j++;
      o.prefixes.push(argv[j]!);
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  const mode = argv[2]!;
  if (is(mode, 'on')) {
    const cur = tracking.stateOf(c);
    if (!o.bcast && o.prefixes.length > 0) throw new ReplyError('ERR PREFIX option requires BCAST mode to be enabled');
    if (cur !== undefined && cur.bcast !== o.bcast) throw new ReplyError(ERR_SWITCH_BCAST);
    if (o.bcast && (o.optin || o.optout)) throw new ReplyError('ERR OPTIN and OPTOUT are not compatible with BCAST');
    if (o.optin && o.optout) throw new ReplyError("ERR You can't specify both OPTIN mode and OPTOUT mode");
    if (cur !== undefined && ((o.optin && cur.optout) || (o.optout && cur.optin)))
      throw new ReplyError(ERR_SWITCH_OPTIN);
    if (o.bcast) {
      const err = tracking.prefixCollision(c, o.prefixes);
      if (err !== undefined) throw new ReplyError(err);
    }
    tracking.enable(c, o);
  } else if (is(mode, 'off')) {
    tracking.disable(c);
  } else {
    throw new ReplyError(Err.syntax);
  }
  c.w.ok();
}

/** CLIENT CACHING YES|NO: for the next command (or transaction) in OPTIN / OPTOUT mode. */
function clientCachingCommand(c: Client, argv: string[]): void {
  const s = c.server.tracking.stateOf(c);
  if (s === undefined) {
    throw new ReplyError(
      'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
    );
  }
  const opt = argv[2]!;
  if (is(opt, 'yes')) {
    if (!s.optin) throw new ReplyError('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
  } else if (is(opt, 'no')) {
    if (!s.optout) throw new ReplyError('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
  } else {
    throw new ReplyError(Err.syntax);
  }
  s.caching = true;
  c.w.ok();
}

function clientTrackinginfoCommand(c: Client): void {
  const s = c.server.tracking.stateOf(c);
  const flags: string[] = [s !== undefined ? 'on' : 'off'];
  if (s !== undefined) {
    if (s.bcast) flags.push('bcast');
    if (s.optin) {
      flags.push('optin');
      if (s.caching) flags.push('caching-yes');
    }
    if (s.optout) {
      flags.push('optout');
      if (s.caching) flags.push('caching-no');
    }
    if (s.noloop) flags.push('noloop');
    if (s.brokenRedirect) flags.push('broken_redirect');
  }
  c.w.map(3);
  c.w.bulk('flags');
  c.w.set(flags.length);
  for (const f of flags) c.w.bulk(f);
  c.w.bulk('redirect');
  c.w.integer(s !== undefined ? s.redirect : -1);
  c.w.bulk('prefixes');
  const prefixes = s !== undefined ? [...s.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  c.w.array(prefixes.length);
  for (const p of prefixes) c.w.bulk(p);
}

/** CLIENT PAUSE timeout-ms [WRITE|ALL] */
function clientPauseCommand(c: Client, argv: string[]): void {
  if (argv.length > 4) throw new ReplyError(wrongSubcommandArgs(argv[1]!));
  let type: 'write' | 'all' = 'all';
  if (argv.length === 4) {
    if (is(argv[3]!, 'write')) type = 'write';
    else if (is(argv[3]!, 'all')) type = 'all';
    else throw new ReplyError('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  const ms = parseInteger(argv[2]!);
  if (ms === undefined) throw new ReplyError('ERR timeout is not an integer or out of range');
  if (ms < 0) throw new ReplyError('ERR timeout is negative');
  // Redis 7.0 adds the timeout to the clock without an overflow check: an end past LLONG_MAX wraps into the past.
  const end = ms > 0 ? Date.now() + ms : 0;
  c.server.pause.pause(end >= 2 ** 63 ? -1 : end, type);
  c.w.ok();
}

function clientUnpauseCommand(c: Client): void {
  c.server.pause.unpause();
  c.w.ok();
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends another client's wait on keys. */
function clientUnblockCommand(c: Client, argv: string[]): void {
  if (argv.length > 4) throw new ReplyError(wrongSubcommandArgs(argv[1]!));
  let error = false;
  if (argv.length === 4) {
    if (is(argv[3]!, 'timeout')) error = false;
    else if (is(argv[3]!, 'error')) error = true;
    else throw new ReplyError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const id = parseInteger(argv[2]!);
  if (id === undefined) throw new ReplyError(Err.notInteger);
  const target = c.server.clients.get(id);
  const done = target !== undefined && !target.closed && c.server.blocking.unblock(target, error);
  // The error it made the blocked client reply counts as this call's failure too, as in Redis.
  if (done && error) c.current!.stats.failed++;
  c.w.integer(done ? 1 : 0);
}

function clientHelpCommand(c: Client): void {
  helpReply(c, 'CLIENT', [
    'CACHING (YES|NO)',
    '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
    'GETREDIR',
    '    Return the client ID we are redirecting to when tracking is enabled.',
    'GETNAME',
    '    Return the name of the current connection.',
    'ID',
    '    Return the ID of the current connection.',
    'INFO',
    '    Return information about the current client connection.',
    'KILL <ip:port>',
    '    Kill connection made from <ip:port>.',
    'KILL <option> <value> [<option> <value> [...]]',
    '    Kill connections. Options are:',
    '    * ADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made from the specified address',
    '    * LADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made to specified local address',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Kill connections by type.',
    '    * USER <username>',
    '      Kill connections authenticated by <username>.',
    '    * SKIPME (YES|NO)',
    '      Skip killing current connection (default: yes).',
    'LIST [options ...]',
    '    Return information about client connections. Options:',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Return clients of specified type.',
    'UNPAUSE',
    '    Stop the current client pause, resuming traffic.',
    'PAUSE <timeout> [WRITE|ALL]',
    '    Suspend all, or just write, clients for <timeout> milliseconds.',
    'REPLY (ON|OFF|SKIP)',
    '    Control the replies sent to the current connection.',
    'SETNAME <name>',
    '    Assign the name <name> to the current connection.',
    'UNBLOCK <clientid> [TIMEOUT|ERROR]',
    '    Unblock the specified blocked client.',
    'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
    '         [OPTIN] [OPTOUT] [NOLOOP]',
    '    Control server assisted client side caching.',
    'TRACKINGINFO',
    '    Report tracking status for the current connection.',
    'NO-EVICT (ON|OFF)',
    '    Protect current client connection from eviction.',
  ]);
}

export const clientCommands: readonly CommandSpec[] = [
  {
    name: 'client',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    summary: 'A container for client connection commands',
    since: '2.4.0',
    group: 'connection',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'caching',
        arity: 3,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Instruct the server about tracking or not keys in the next request',
        since: '6.0.0',
        group: 'connection',
        complexity: 'O(1)',
        args: [
          {
            name: 'mode',
            type: 'oneof',
            args: [
              { name: 'yes', type: 'pure-token', token: 'YES' },
              { name: 'no', type: 'pure-token', token: 'NO' },
            ],
          },
        ],
        handler: clientCachingCommand,
      },
      {
        name: 'getname',
        arity: 2,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Get the current connection name',
        since: '2.6.9',
        group: 'connection',
        complexity: 'O(1)',
        handler: clientGetnameCommand,
      },
      {
        name: 'getredir',
        arity: 2,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Get tracking notifications redirection client ID if any',
        since: '6.0.0',
        group: 'connection',
        complexity: 'O(1)',
        handler: clientGetredirCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        group: 'connection',
        complexity: 'O(1)',
        handler: clientHelpCommand,
      },
      {
        name: 'id',
        arity: 2,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Returns the client ID for the current connection',
        since: '5.0.0',
        group: 'connection',
        complexity: 'O(1)',
        handler: clientIdCommand,
      },
      {
        name: 'info',
        arity: 2,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output'],
        summary: 'Returns information about the current client connection.',
        since: '6.2.0',
        group: 'connection',
        complexity: 'O(1)',
        handler: clientInfoCommand,
      },
      {
        name: 'kill',
        arity: -3,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Kill the connection of a client',
        since: '2.4.0',
        group: 'connection',
        complexity: 'O(N) where N is the number of client connections',
        history: [
          ['2.8.12', 'Added new filter format.'],
          ['2.8.12', '`ID` option.'],
          ['3.2.0', 'Added `master` type in for `TYPE` option.'],
          ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
          ['6.2.0', '`LADDR` option.'],
        ],
        args: [
          {
            name: 'filter',
            type: 'oneof',
            args: [
              { name: 'ip:port', type: 'string', deprecatedSince: '2.8.12' },
              {
                name: 'new-format',
                type: 'oneof',
                flags: ['multiple'],
                args: [
                  { name: 'client-id', type: 'integer', token: 'ID', since: '2.8.12', flags: ['optional'] },
                  {
                    name: 'normal_master_slave_pubsub',
                    type: 'oneof',
                    token: 'TYPE',
                    since: '2.8.12',
                    flags: ['optional'],
                    args: [
                      { name: 'normal', type: 'pure-token', token: 'NORMAL' },
                      { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' },
                      { name: 'slave', type: 'pure-token', token: 'SLAVE' },
                      { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' },
                      { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
                    ],
                  },
                  { name: 'username', type: 'string', token: 'USER', flags: ['optional'] },
                  { name: 'ip:port', type: 'string', token: 'ADDR', flags: ['optional'] },
                  { name: 'ip:port', type: 'string', token: 'LADDR', since: '6.2.0', flags: ['optional'] },
                  { name: 'yes/no', type: 'string', token: 'SKIPME', flags: ['optional'] },
                ],
              },
            ],
          },
        ],
        handler: clientKillCommand,
      },
      {
        name: 'list',
        arity: -2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        tips: ['nondeterministic_output'],
        summary: 'Get the list of client connections',
        since: '2.4.0',
        group: 'connection',
        complexity: 'O(N) where N is the number of client connections',
        history: [
          ['2.8.12', 'Added unique client `id` field.'],
          ['5.0.0', 'Added optional `TYPE` filter.'],
          ['6.0.0', 'Added `user` field.'],
          ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
          ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
          ['7.0.3', 'Added `ssub` field.'],
        ],
        args: [
          {
            name: 'normal_master_replica_pubsub',
            type: 'oneof',
            token: 'TYPE',
            since: '5.0.0',
            flags: ['optional'],
            args: [
              { name: 'normal', type: 'pure-token', token: 'NORMAL' },
              { name: 'master', type: 'pure-token', token: 'MASTER' },
              { name: 'replica', type: 'pure-token', token: 'REPLICA' },
              { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
            ],
          },
          {
            name: 'id',
            type: 'block',
            token: 'ID',
            since: '6.2.0',
            flags: ['optional'],
            args: [{ name: 'client-id', type: 'integer', flags: ['multiple'] }],
          },
        ],
        handler: clientListCommand,
      },
      {
        name: 'no-evict',
        arity: 3,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Set client eviction mode for the current connection',
        since: '7.0.0',
        group: 'connection',
        complexity: 'O(1)',
        args: [
          {
            name: 'enabled',
            type: 'oneof',
            args: [
              { name: 'on', type: 'pure-token', token: 'ON' },
              { name: 'off', type: 'pure-token', token: 'OFF' },
            ],
          },
        ],
        handler: clientNoEvictCommand,
      },
      {
        name: 'pause',
        arity: -3,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Stop processing commands from clients for some time',
        since: '2.9.50',
        group: 'connection',
        complexity: 'O(1)',
        history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
        args: [
          { name: 'timeout', type: 'integer' },
          {
            name: 'mode',
            type: 'oneof',
            since: '6.2.0',
            flags: ['optional'],
            args: [
              { name: 'write', type: 'pure-token', token: 'WRITE' },
              { name: 'all', type: 'pure-token', token: 'ALL' },
            ],
          },
        ],
        handler: clientPauseCommand,
      },
      {
        name: 'reply',
        arity: 3,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Instruct the server whether to reply to commands',
        since: '3.2.0',
        group: 'connection',
        complexity: 'O(1)',
        args: [
          {
            name: 'on_off_skip',
            type: 'oneof',
            args: [
              { name: 'on', type: 'pure-token', token: 'ON' },
              { name: 'off', type: 'pure-token', token: 'OFF' },
              { name: 'skip', type: 'pure-token', token: 'SKIP' },
            ],
          },
        ],
        handler: clientReplyCommand,
      },
      {
        name: 'setname',
        arity: 3,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Set the current connection name',
        since: '2.6.9',
        group: 'connection',
        complexity: 'O(1)',
        args: [{ name: 'connection-name', type: 'string' }],
        handler: clientSetnameCommand,
      },
      {
        name: 'tracking',
        arity: -3,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Enable or disable server assisted client side caching support',
        since: '6.0.0',
        group: 'connection',
        complexity: 'O(1). Some options may introduce additional complexity.',
        args: [
          {
            name: 'status',
            type: 'oneof',
            args: [
              { name: 'on', type: 'pure-token', token: 'ON' },
              { name: 'off', type: 'pure-token', token: 'OFF' },
            ],
          },
          { name: 'client-id', type: 'integer', token: 'REDIRECT', flags: ['optional'] },
          { name: 'prefix', type: 'string', token: 'PREFIX', flags: ['optional', 'multiple', 'multiple_token'] },
          { name: 'bcast', type: 'pure-token', token: 'BCAST', flags: ['optional'] },
          { name: 'optin', type: 'pure-token', token: 'OPTIN', flags: ['optional'] },
          { name: 'optout', type: 'pure-token', token: 'OPTOUT', flags: ['optional'] },
          { name: 'noloop', type: 'pure-token', token: 'NOLOOP', flags: ['optional'] },
        ],
        handler: clientTrackingCommand,
      },
      {
        name: 'trackinginfo',
        arity: 2,
        flags: ['noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Return information about server assisted client side caching for the current connection',
        since: '6.2.0',
        group: 'connection',
        complexity: 'O(1)',
        handler: clientTrackinginfoCommand,
      },
      {
        name: 'unblock',
        arity: -3,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Unblock a client blocked in a blocking command from a different connection',
        since: '5.0.0',
        group: 'connection',
        complexity: 'O(log N) where N is the number of client connections',
        args: [
          { name: 'client-id', type: 'integer' },
          {
            name: 'timeout_error',
            type: 'oneof',
            flags: ['optional'],
            args: [
              { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
              { name: 'error', type: 'pure-token', token: 'ERROR' },
            ],
          },
        ],
        handler: clientUnblockCommand,
      },
      {
        name: 'unpause',
        arity: 2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        acl: ['connection'],
        keys: [0, 0, 0],
        summary: 'Resume processing of clients that were paused',
        since: '6.2.0',
        group: 'connection',
        complexity: 'O(N) Where N is the number of paused clients',
        handler: clientUnpauseCommand,
      },
    ],
  },
];
