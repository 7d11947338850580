// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH
// and the PUBSUB container. The registry and message delivery live in src/server/pubsub.ts; the RESP2 subscribed
// mode restriction is the dispatcher's.

import { ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import { helpReply } from './introspection.js';
import { type CommandSpec, rangeKeySpec } from './spec.js';

const PUBSUB = 'pubsub';

function subscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) ps.subscribe(c, 'channel', argv[i]!);
}

function unsubscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAll(c, 'channel');
  else ps.unsubscribe(c, 'channel', argv.slice(1));
}

function psubscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) ps.subscribe(c, 'pattern', argv[i]!);
}

function punsubscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAll(c, 'pattern');
  else ps.unsubscribe(c, 'pattern', argv.slice(1));
}

function ssubscribeCommand(c: Client, argv: string[]): void {
  // Inside EXEC (Redis's CLIENT_DENY_BLOCKING); unlike SUBSCRIBE, Redis makes no exception for a transaction.
  if (c.server.callDepth > 1) throw new ReplyError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  const ps = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) ps.subscribe(c, 'shard', argv[i]!);
}

function sunsubscribeCommand(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAll(c, 'shard');
  else ps.unsubscribe(c, 'shard', argv.slice(1));
}

function publishCommand(c: Client, argv: string[]): void {
  c.w.integer(c.server.pubsub.publish(argv[1]!, argv[2]!));
}

function spublishCommand(c: Client, argv: string[]): void {
  c.w.integer(c.server.pubsub.spublish(argv[1]!, argv[2]!));
}

/** Redis's reply to a known subcommand given too many arguments. */
function subcommandSyntaxError(argv: readonly string[]): ReplyError {
  return new ReplyError(
    `ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`,
  );
}

function channelsReply(c: Client, argv: string[], shard: boolean): void {
  if (argv.length > 3) throw subcommandSyntaxError(argv);
  const list = c.server.pubsub.activeChannels(shard, argv.length === 3 ? argv[2]! : undefined);
  c.w.array(list.length);
  for (const ch of list) c.w.bulk(ch);
}

function numsubReply(c: Client, argv: string[], shard: boolean): void {
  const ps = c.server.pubsub;
  c.w.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.w.bulk(argv[i]!);
    c.w.integer(ps.subscriberCount(shard, argv[i]!));
  }
}

function pubsubChannelsCommand(c: Client, argv: string[]): void {
  channelsReply(c, argv, false);
}

function pubsubShardchannelsCommand(c: Client, argv: string[]): void {
  channelsReply(c, argv, true);
}

function pubsubNumsubCommand(c: Client, argv: string[]): void {
  numsubReply(c, argv, false);
}

function pubsubShardnumsubCommand(c: Client, argv: string[]): void {
  numsubReply(c, argv, true);
}

function pubsubNumpatCommand(c: Client): void {
  c.w.integer(c.server.pubsub.patternCount);
}

function pubsubHelpCommand(c: Client): void {
  helpReply(c, 'PUBSUB', [
    'CHANNELS [<pattern>]',
    "    Return the currently active channels matching a <pattern> (default: '*').",
    'NUMPAT',
    '    Return number of subscriptions to patterns.',
    'NUMSUB [<channel> ...]',
    '    Return the number of subscribers for the specified channels, excluding',
    '    pattern subscriptions(default: no channels).',
    'SHARDCHANNELS [<pattern>]',
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    'SHARDNUMSUB [<shardchannel> ...]',
    '    Return the number of subscribers for the specified shard level channel(s)',
  ]);
}

const SUB_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;
const SHARD_KEYSPECS = [rangeKeySpec(['NOT_KEY'], 1, -1)] as const;

export const pubsubCommands = [
  {
    name: 'subscribe',
    arity: -2,
    flags: SUB_FLAGS,
    keys: [0, 0, 0],
    group: PUBSUB,
    since: '2.0.0',
    summary: 'Listen for messages published to the given channels',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
    args: [{ name: 'channel', type: 'string', flags: ['multiple'] }],
    handler: subscribeCommand,
  },
  {
    name: 'unsubscribe',
    arity: -1,
    flags: SUB_FLAGS,
    keys: [0, 0, 0],
    group: PUBSUB,
    since: '2.0.0',
    summary: 'Stop listening for messages posted to the given channels',
    complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
    args: [{ name: 'channel', type: 'string', flags: ['optional', 'multiple'] }],
    handler: unsubscribeCommand,
  },
  {
    name: 'psubscribe',
    arity: -2,
    flags: SUB_FLAGS,
    keys: [0, 0, 0],
    group: PUBSUB,
    since: '2.0.0',
    summary: 'Listen for messages published to channels matching the given patterns',
    complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
    args: [{ name: 'pattern', type: 'block', flags: ['multiple'], args: [{ name: 'pattern', type: 'pattern' }] }],
    handler: psubscribeCommand,
  },
  {
    name: 'punsubscribe',
    arity: -1,
    flags: SUB_FLAGS,
    keys: [0, 0, 0],
    group: PUBSUB,
    since: '2.0.0',
    summary: 'Stop listening for messages posted to channels matching the given patterns',
    complexity:
      'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    args: [{ name: 'pattern', type: 'pattern', flags: ['optional', 'multiple'] }],
    handler: punsubscribeCommand,
  },
  {
    name: 'publish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    keys: [0, 0, 0],
    group: PUBSUB,
    since: '2.0.0',
    summary: 'Post a message to a channel',
    complexity:
      'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    args: [
      { name: 'channel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    handler: publishCommand,
  },
  {
    name: 'ssubscribe',
    arity: -2,
    flags: SUB_FLAGS,
    keys: [1, -1, 1],
    keySpecs: SHARD_KEYSPECS,
    group: PUBSUB,
    since: '7.0.0',
    summary: 'Listen for messages published to the given shard channels',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    args: [{ name: 'shardchannel', type: 'string', flags: ['multiple'] }],
    handler: ssubscribeCommand,
  },
  {
    name: 'sunsubscribe',
    arity: -1,
    flags: SUB_FLAGS,
    keys: [1, -1, 1],
    keySpecs: SHARD_KEYSPECS,
    group: PUBSUB,
    since: '7.0.0',
    summary: 'Stop listening for messages posted to the given shard channels',
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    args: [{ name: 'shardchannel', type: 'string', flags: ['optional', 'multiple'] }],
    handler: sunsubscribeCommand,
  },
  {
    name: 'spublish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    keys: [1, 1, 1],
    keySpecs: [rangeKeySpec(['NOT_KEY'])],
    group: PUBSUB,
    since: '7.0.0',
    summary: 'Post a message to a shard channel',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    args: [
      { name: 'shardchannel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    handler: spublishCommand,
  },
  {
    name: 'pubsub',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    group: PUBSUB,
    since: '2.8.0',
    summary: 'A container for Pub/Sub commands',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'channels',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        keys: [0, 0, 0],
        group: PUBSUB,
        since: '2.8.0',
        summary: 'List active channels',
        complexity:
          'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
        args: [{ name: 'pattern', type: 'pattern', flags: ['optional'] }],
        handler: pubsubChannelsCommand,
      },
      {
        name: 'numsub',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        keys: [0, 0, 0],
        group: PUBSUB,
        since: '2.8.0',
        summary: 'Get the count of subscribers for channels',
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
        args: [{ name: 'channel', type: 'string', flags: ['optional', 'multiple'] }],
        handler: pubsubNumsubCommand,
      },
      {
        name: 'numpat',
        arity: 2,
        flags: ['pubsub', 'loading', 'stale'],
        keys: [0, 0, 0],
        group: PUBSUB,
        since: '2.8.0',
        summary: 'Get the count of unique patterns pattern subscriptions',
        complexity: 'O(1)',
        handler: pubsubNumpatCommand,
      },
      {
        name: 'shardchannels',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        keys: [0, 0, 0],
        group: PUBSUB,
        since: '7.0.0',
        summary: 'List active shard channels',
        complexity:
          'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
        args: [{ name: 'pattern', type: 'pattern', flags: ['optional'] }],
        handler: pubsubShardchannelsCommand,
      },
      {
        name: 'shardnumsub',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        keys: [0, 0, 0],
        group: PUBSUB,
        since: '7.0.0',
        summary: 'Get the count of subscribers for shard channels',
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
        args: [{ name: 'shardchannel', type: 'string', flags: ['optional', 'multiple'] }],
        handler: pubsubShardnumsubCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        keys: [0, 0, 0],
        group: PUBSUB,
        since: '6.2.0',
        summary: 'Show helpful text about the different subcommands',
        complexity: 'O(1)',
        handler: pubsubHelpCommand,
      },
    ],
  },
] as const satisfies readonly CommandSpec[];
