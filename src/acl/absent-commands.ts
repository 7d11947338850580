// Redis 7.0's commands (and subcommands) that Cairn does not implement, with the ACL categories Redis gives them
// (COMMAND INFO of redis-server 7.0.15). They are unknown commands here, but ACL rules may still name them, as
// rules written for Redis do (`-eval`, `+cluster|slots`, `-@scripting`): Redis accepts every command it knows,
// including those it has disabled, so an ACL file or an ACL SETUSER from a Redis setup must load unchanged. The
// ACL keeps a permission bit for each of them, so categories count them and ACL LIST describes them as Redis
// does; nothing can run them.

import type { AclCategory } from '../commands/spec.js';

/** "name" or "parent|sub", and its categories separated by spaces, in COMMAND INFO's order. */
const ROWS: readonly (readonly [string, string])[] = [
  ['asking', 'fast connection'],
  ['cluster', 'slow'],
  ['cluster|addslots', 'admin slow dangerous'],
  ['cluster|addslotsrange', 'admin slow dangerous'],
  ['cluster|bumpepoch', 'admin slow dangerous'],
  ['cluster|count-failure-reports', 'admin slow dangerous'],
  ['cluster|countkeysinslot', 'slow'],
  ['cluster|delslots', 'admin slow dangerous'],
  ['cluster|delslotsrange', 'admin slow dangerous'],
  ['cluster|failover', 'admin slow dangerous'],
  ['cluster|flushslots', 'admin slow dangerous'],
  ['cluster|forget', 'admin slow dangerous'],
  ['cluster|getkeysinslot', 'slow'],
  ['cluster|help', 'slow'],
  ['cluster|info', 'slow'],
  ['cluster|keyslot', 'slow'],
  ['cluster|links', 'slow'],
  ['cluster|meet', 'admin slow dangerous'],
  ['cluster|myid', 'slow'],
  ['cluster|nodes', 'slow'],
  ['cluster|replicas', 'admin slow dangerous'],
  ['cluster|replicate', 'admin slow dangerous'],
  ['cluster|reset', 'admin slow dangerous'],
  ['cluster|saveconfig', 'admin slow dangerous'],
  ['cluster|set-config-epoch', 'admin slow dangerous'],
  ['cluster|setslot', 'admin slow dangerous'],
  ['cluster|shards', 'slow'],
  ['cluster|slaves', 'admin slow dangerous'],
  ['cluster|slots', 'slow'],
  ['dump', 'keyspace read slow'],
  ['eval', 'slow scripting'],
  ['eval_ro', 'slow scripting'],
  ['evalsha', 'slow scripting'],
  ['evalsha_ro', 'slow scripting'],
  ['failover', 'admin slow dangerous'],
  ['fcall', 'slow scripting'],
  ['fcall_ro', 'slow scripting'],
  ['function', 'slow'],
  ['function|delete', 'write slow scripting'],
  ['function|dump', 'slow scripting'],
  ['function|flush', 'write slow scripting'],
  ['function|help', 'slow scripting'],
  ['function|kill', 'slow scripting'],
  ['function|list', 'slow scripting'],
  ['function|load', 'write slow scripting'],
  ['function|restore', 'write slow scripting'],
  ['function|stats', 'slow scripting'],
  ['geoadd', 'write geo slow'],
  ['geodist', 'read geo slow'],
  ['geohash', 'read geo slow'],
  ['geopos', 'read geo slow'],
  ['georadius', 'write geo slow'],
  ['georadius_ro', 'read geo slow'],
  ['georadiusbymember', 'write geo slow'],
  ['georadiusbymember_ro', 'read geo slow'],
  ['geosearch', 'read geo slow'],
  ['geosearchstore', 'write geo slow'],
  ['latency|graph', 'admin slow dangerous'],
  ['lolwut', 'read fast'],
  ['migrate', 'keyspace write slow dangerous'],
  ['module', 'slow'],
  ['module|help', 'slow'],
  ['module|list', 'admin slow dangerous'],
  ['module|load', 'admin slow dangerous'],
  ['module|loadex', 'admin slow dangerous'],
  ['module|unload', 'admin slow dangerous'],
  ['pfadd', 'write hyperloglog fast'],
  ['pfcount', 'read hyperloglog slow'],
  ['pfdebug', 'write hyperloglog admin slow dangerous'],
  ['pfmerge', 'write hyperloglog slow'],
  ['pfselftest', 'hyperloglog admin slow dangerous'],
  ['psync', 'admin slow dangerous'],
  ['readonly', 'fast connection'],
  ['readwrite', 'fast connection'],
  ['replconf', 'admin slow dangerous'],
  ['replicaof', 'admin slow dangerous'],
  ['restore', 'keyspace write slow dangerous'],
  ['restore-asking', 'keyspace write slow dangerous'],
  ['script', 'slow'],
  ['script|debug', 'slow scripting'],
  ['script|exists', 'slow scripting'],
  ['script|flush', 'slow scripting'],
  ['script|help', 'slow scripting'],
  ['script|kill', 'slow scripting'],
  ['script|load', 'slow scripting'],
  ['slaveof', 'admin slow dangerous'],
  ['sync', 'admin slow dangerous'],
  ['wait', 'slow connection'],
  ['xack', 'write stream fast'],
  ['xadd', 'write stream fast'],
  ['xautoclaim', 'write stream fast'],
  ['xclaim', 'write stream fast'],
  ['xdel', 'write stream fast'],
  ['xgroup', 'slow'],
  ['xgroup|create', 'write stream slow'],
  ['xgroup|createconsumer', 'write stream slow'],
  ['xgroup|delconsumer', 'write stream slow'],
  ['xgroup|destroy', 'write stream slow'],
  ['xgroup|help', 'stream slow'],
  ['xgroup|setid', 'write stream slow'],
  ['xinfo', 'slow'],
  ['xinfo|consumers', 'read stream slow'],
  ['xinfo|groups', 'read stream slow'],
  ['xinfo|help', 'stream slow'],
  ['xinfo|stream', 'read stream slow'],
  ['xlen', 'read stream fast'],
  ['xpending', 'read stream slow'],
  ['xrange', 'read stream slow'],
  ['xread', 'read stream slow blocking'],
  ['xreadgroup', 'write stream slow blocking'],
  ['xrevrange', 'read stream slow'],
  ['xsetid', 'write stream fast'],
  ['xtrim', 'write stream slow'],
];

export interface AbsentCommand {
  readonly name: string;
  readonly acl: readonly AclCategory[];
  /** The subcommands, for a command that has them. */
  readonly subcommands: AbsentCommand[];
}

/**
 * The absent commands as a tree: top-level ones with their subcommands, and `parents`: subcommands missing from a
 * command Cairn has (LATENCY GRAPH), by parent name.
 */
export function absentCommands(): { top: AbsentCommand[]; parents: Map<string, AbsentCommand[]> } {
  const top: AbsentCommand[] = [];
  const byName = new Map<string, AbsentCommand>();
  const parents = new Map<string, AbsentCommand[]>();
  for (const [name, cats] of ROWS) {
    const acl = cats.split(' ') as AclCategory[];
    const bar = name.indexOf('|');
    if (bar < 0) {
      const c: AbsentCommand = { name, acl, subcommands: [] };
      top.push(c);
      byName.set(name, c);
      continue;
    }
    const parent = name.slice(0, bar);
    const sub: AbsentCommand = { name: name.slice(bar + 1), acl, subcommands: [] };
    const p = byName.get(parent);
    if (p !== undefined) p.subcommands.push(sub);
    else parents.set(parent, [...(parents.get(parent) ?? []), sub]);
  }
  return { top, parents };
}
