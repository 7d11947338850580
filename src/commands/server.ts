// Server commands: INFO, CONFIG, TIME, LASTSAVE, SHUTDOWN, DEBUG, MONITOR.

import { isBig } from '../types/big-string.js';
import { percentilesText } from '../server/latency-stats.js';
import os from 'node:os';
import v8 from 'node:v8';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Err, ReplyError } from '../errors.js';
import { LOADING_REFUSED, parseMemory } from '../config.js';
import type { Client } from '../server/client.js';
import { Server, CAIRN_VERSION, REDIS_COMPAT_VERSION } from '../server/server.js';
import { isLocalSocket } from '../server/protected.js';
import { redactArg } from '../server/slowlog.js';
import { lruClock, LRU_CLOCK_MASK, type Database } from '../keyspace/db.js';
import { is, parseInteger, parseLL } from './args.js';
import { helpReply, stringEncoding, keyMemoryUsage } from './introspection.js';
import type { CommandSpec } from './spec.js';
import { datasetDigest, valueDigest } from '../persistence/digest.js';
import { formatFixed } from '../protocol/reply-writer.js';

// ---------------------------------------------------------------------------------------------------------------
// INFO

type Fields = [string, string | number][];

/** Per-server values INFO needs that nothing else keeps (replication id, memory at start, peak). */
interface InfoState {
  replid: string;
  startupMemory: number;
  peakMemory: number;
}
const infoStates = new WeakMap<Server, InfoState>();

/** A new replication id: 40 random hex digits. */
function newReplid(): string {
  let replid = '';
  while (replid.length < 40)
    replid += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return replid.slice(0, 40);
}

function infoState(s: Server): InfoState {
  let st = infoStates.get(s);
  if (st === undefined) {
    st = { replid: newReplid(), startupMemory: s.startupMemory, peakMemory: usedMemory() };
    infoStates.set(s, st);
  }
  return st;
}

/** Bytes in use by this process's heap (used_memory_startup; used_memory comes from src/server/memory.ts). */
export function usedMemory(): number {
  return process.memoryUsage().heapUsed;
}

let buildIdText: string | undefined;

/**
 * INFO's redis_build_id: a hex number that differs between Cairn versions, as Redis's differs between builds.
 * Made on first use: this module and the server's import each other, so CAIRN_VERSION is not set at load.
 */
function buildId(): string {
  return (buildIdText ??= BigInt(
    '0x' + crypto.createHash('sha1').update(`cairn ${CAIRN_VERSION}`).digest('hex').slice(0, 16),
  ).toString(16));
}

/** Bytes as Redis's bytesToHuman prints them: 1015.48K, 6.86M, 0B. */
export function bytesToHuman(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatFixed(v, 2)}${units[i]}`;
}

function configValue(s: Server, name: string): unknown {
  return (s.config.values as unknown as Record<string, unknown>)[name];
}

function serverSection(s: Server): Fields {
  const now = Date.now();
  const uptime = Math.floor((now - s.stats.startTime) / 1000);
  const hz = s.config.values.hz;
  const effectiveHz = s.effectiveHz();
  return [
    ['redis_version', REDIS_COMPAT_VERSION],
    // Not built from Redis's git tree nor by a C compiler: the values Redis prints then.
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', buildId()],
    ['cairn_version', CAIRN_VERSION],
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', /64/.test(process.arch) ? 64 : 32],
    // libuv's clock: clock_gettime(CLOCK_MONOTONIC), or QueryPerformanceCounter on Windows.
    ['monotonic_clock', process.platform === 'win32' ? 'QueryPerformanceCounter' : 'POSIX clock_gettime'],
    ['multiplexing_api', process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'iocp' : 'kqueue'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', s.runId],
    ['tcp_port', s.ports[0] ?? s.config.values.port],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', effectiveHz],
    ['configured_hz', hz],
    ['lru_clock', lruClock()],
    ['executable', process.argv[1] ? path.resolve(process.argv[1]) : process.execPath],
    ['config_file', s.config.configFile ?? ''],
    ['io_threads_active', 0],
  ];
}

function clientsSection(s: Server): Fields {
  let maxIn = 0;
  let maxOut = 0;
  let blocked = 0;
  for (const c of s.clients.values()) {
    maxIn = Math.max(maxIn, c.queryPending);
    maxOut = Math.max(maxOut, s.outputLimits.used(c)); // as Redis counts output: see output-limits.ts
    if (c.blocked) blocked++;
  }
  return [
    ['connected_clients', s.clients.size],
    ['cluster_connections', 0],
    ['maxclients', s.config.values.maxclients],
    ['client_recent_max_input_buffer', maxIn],
    ['client_recent_max_output_buffer', maxOut],
    ['blocked_clients', blocked],
    ['tracking_clients', s.tracking.clientCount],
    ['clients_in_timeout_table', s.blocking.withTimeout],
  ];
}

/** Where the memory goes, as Redis's getMemoryOverheadData splits it: for INFO memory and MEMORY STATS. */
interface MemoryFigures {
  used: number;
  peak: number;
  startup: number;
  rss: number;
  /** The normal clients' buffers. */
  clients: number;
  aofBuffer: number;
  /** Each database with keys: its key count and its key index, split as Redis splits a database's overhead. */
  dbs: { id: number; keys: number; main: number; expires: number }[];
  keys: number;
  overhead: number;
  dataset: number;
  /** Used beyond start-up (at least 1). */
  net: number;
  /** The allocator is V8's heap: what it hands out, the pages it has, the pages it has in RAM. */
  allocated: number;
  active: number;
  resident: number;
}

function memoryFigures(s: Server): MemoryFigures {
  const st = infoState(s);
  const used = s.memory.used();
  if (used > st.peakMemory) st.peakMemory = used;
  // What Redis counts as overhead rather than data: memory at start-up, the clients' buffers, the AOF buffer,
  // and the databases' key indexes (src/keyspace/db.ts overheadBytes).
  let clients = 0;
  for (const c of s.clients.values()) clients += c.out.pending + c.queryPending;
  const aofBuffer = s.persistence.aofBufferBytes;
  let indexes = 0;
  let keys = 0;
  const dbs: MemoryFigures['dbs'] = [];
  for (const db of s.keyspace.dbs) {
    const all = db.overheadBytes;
    indexes += all;
    keys += db.size;
    if (db.size > 0) {
      const expires = db.expires.overheadBytes;
      dbs.push({ id: db.id, keys: db.size, main: all - expires, expires });
    }
  }
  const overhead = Math.min(used, st.startupMemory + clients + aofBuffer + indexes);
  const h = v8.getHeapStatistics();
  return {
    used,
    peak: st.peakMemory,
    startup: st.startupMemory,
    rss: process.memoryUsage().rss,
    clients,
    aofBuffer,
    dbs,
    keys,
    overhead,
    dataset: used - overhead,
    net: used > st.startupMemory ? used - st.startupMemory : 1,
    allocated: h.used_heap_size,
    active: h.total_heap_size,
    resident: h.total_physical_size,
  };
}

/**
 * MEMORY STATS: Redis's fields in Redis's order, the per-database entries for databases with keys. Ratios and
 * percentages are single-precision floats in Redis, printed as doubles: so here too (Math.fround).
 */
export function memoryStatsCommand(c: Client): void {
  const f = memoryFigures(c.server);
  const w = c.w;
  const int = (k: string, v: number): void => {
    w.bulk(k);
    w.integer(v);
  };
  const float = (k: string, v: number): void => {
    w.bulk(k);
    w.double(Math.fround(Number.isFinite(v) ? v : 0));
  };
  w.map(27 + f.dbs.length);
  int('peak.allocated', f.peak);
  int('total.allocated', f.used);
  int('startup.allocated', f.startup);
  int('replication.backlog', 0);
  int('clients.slaves', 0);
  int('clients.normal', f.clients);
  int('cluster.links', 0);
  int('aof.buffer', f.aofBuffer);
  int('lua.caches', 0);
  int('functions.caches', 0);
  for (const d of f.dbs) {
    w.bulk('db.' + d.id);
    w.map(3);
    int('overhead.hashtable.main', d.main);
    int('overhead.hashtable.expires', d.expires);
    int('overhead.hashtable.slot-to-keys', 0);
  }
  int('overhead.total', f.overhead);
  int('keys.count', f.keys);
  int('keys.bytes-per-key', f.keys > 0 ? Math.floor(f.net / f.keys) : 0);
  int('dataset.bytes', f.dataset);
  float('dataset.percentage', (f.dataset * 100) / f.net);
  float('peak.percentage', (f.used * 100) / f.peak);
  int('allocator.allocated', f.allocated);
  int('allocator.active', f.active);
  int('allocator.resident', f.resident);
  float('allocator-fragmentation.ratio', f.active / f.allocated);
  int('allocator-fragmentation.bytes', f.active - f.allocated);
  float('allocator-rss.ratio', f.resident / f.active);
  int('allocator-rss.bytes', f.resident - f.active);
  float('rss-overhead.ratio', f.rss / f.resident);
  int('rss-overhead.bytes', f.rss - f.resident);
  float('fragmentation', f.rss / f.used);
  int('fragmentation.bytes', f.rss - f.used);
}

/**
 * MEMORY DOCTOR: Redis's report over the figures MEMORY STATS shows, with Redis's thresholds:
 * - an instance holding under 5 MB beyond its start-up memory is "empty" (Redis starts at about 1 MB and compares
 *   its whole use with 5 MB; a Node process starts with several MB of heap of its own);
 * - otherwise reported: a peak above 150% of used memory; fragmentation (RSS over used) above 1.4 and 10 MB; the
 *   heap's own fragmentation and RSS overhead (the allocator's, in Redis) above 1.1 and 10 MB each; the process's
 *   RSS beyond the heap above 1.1 and 10 MB (RSS counted without what Node itself held at start); client buffers
 *   above 200 KB per client on average.
 * There are no replicas and no script cache here, so those two findings never show.
 */
export function memoryDoctorCommand(c: Client): void {
  const f = memoryFigures(c.server);
  const MB10 = 10 << 20;
  // Redis compares single-precision ratios.
  const over = (a: number, b: number, limit: number): boolean => b > 0 && Math.fround(a / b) > limit;
  const found: string[] = [];
  const empty = f.used - f.startup < 5 * 1024 * 1024;
  if (!empty) {
    // The process's resident memory less what Node itself held at start, as Redis's process holds next to nothing
    // beyond its allocator's pages.
    const rss = f.rss - c.server.runtimeRss;
    if (over(f.peak, f.used, 1.5)) found.push(DOCTOR_PEAK);
    if (over(rss, f.used, 1.4) && rss - f.used > MB10) found.push(DOCTOR_FRAG);
    if (over(f.active, f.allocated, 1.1) && f.active - f.allocated > MB10) found.push(DOCTOR_ALLOC_FRAG);
    if (over(f.resident, f.active, 1.1) && f.resident - f.active > MB10) found.push(DOCTOR_ALLOC_RSS);
    if (over(rss, f.resident, 1.1) && rss - f.resident > MB10) found.push(DOCTOR_PROC_RSS);
    const clients = c.server.clients.size;
    if (clients > 0 && Math.floor(f.clients / clients) > 200 * 1024) found.push(DOCTOR_CLIENT_BUF);
  }
  let report: string;
  if (empty) report = DOCTOR_EMPTY;
  else if (found.length === 0) report = DOCTOR_FINE;
  else {
    report = 'Sam, I detected a few issues in this Redis instance memory implants:\n\n';
    for (const text of found) report += ' * ' + text + '\n\n';
    report += "I'm here to keep you safe, Sam. I want to help you.\n";
  }
  c.w.verbatim(report);
}

/** What INFO shows as mem_allocator: the heap that holds the data. */
const MEM_ALLOCATOR = `v8-${process.versions.v8}`;

// MEMORY DOCTOR's texts, as Redis words them (clients and monitoring tools show them as they are).
const DOCTOR_FINE =
  "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
const DOCTOR_EMPTY =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these " +
  'conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back ' +
  'to our programming as soon as I finished rebooting.\n';
const DOCTOR_PEAK =
  'Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator ' +
  'is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, ' +
  'however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set ' +
  'Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance ' +
  'with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the ' +
  'MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.';
const DOCTOR_FRAG =
  'High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that ' +
  'the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis ' +
  'performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry ' +
  'above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the ' +
  'problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc ' +
  'allocator and not the default libc malloc. Note: The currently used allocator is "' +
  MEM_ALLOCATOR +
  '".';
const DOCTOR_ALLOC_FRAG =
  'High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This ' +
  'problem is usually due either to a large peak memory (check if there is a peak memory entry above in the ' +
  'report) or may result from a workload that causes the allocator to fragment memory a lot. You can try ' +
  "enabling 'activedefrag' config option.";
const DOCTOR_ALLOC_RSS =
  'High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the ' +
  'Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This ' +
  'problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you ' +
  'can try the MEMORY PURGE command to reclaim it.';
const DOCTOR_PROC_RSS =
  'High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this ' +
  'means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This ' +
  'problem may be due to Lua scripts or Modules.';
const DOCTOR_CLIENT_BUF =
  'Big client buffers: The clients output buffers in this instance are greater than 200K per client (on ' +
  'average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not ' +
  'receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending ' +
  'commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT ' +
  'LIST command in order to investigate the issue if it causes problems in your instance, or to understand ' +
  'better why certain clients are using a big amount of memory.';

function memorySection(s: Server): Fields {
  const f = memoryFigures(s);
  const st = infoState(s);
  const { used, rss, clients, aofBuffer, overhead, dataset, net, allocated, active, resident } = f;
  const total = os.totalmem();
  const maxmemory = Number(configValue(s, 'maxmemory') ?? 0);
  const policy = String(configValue(s, 'maxmemory-policy') ?? 'noeviction');
  const ratio = (a: number, b: number): string => formatFixed(b > 0 ? a / b : 0, 2);
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', bytesToHuman(rss)],
    ['used_memory_peak', st.peakMemory],
    ['used_memory_peak_human', bytesToHuman(st.peakMemory)],
    ['used_memory_peak_perc', `${formatFixed((used * 100) / st.peakMemory, 2)}%`],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', st.startupMemory],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${formatFixed((dataset * 100) / net, 2)}%`],
    ['allocator_allocated', allocated],
    ['allocator_active', active],
    ['allocator_resident', resident],
    ['total_system_memory', total],
    ['total_system_memory_human', bytesToHuman(total)],
    // No scripting engine and no functions: nothing held for them.
    ['used_memory_lua', 0],
    ['used_memory_vm_eval', 0],
    ['used_memory_lua_human', '0B'],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', '0B'],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', '0B'],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', policy],
    ['allocator_frag_ratio', ratio(active, allocated)],
    ['allocator_frag_bytes', active - allocated],
    ['allocator_rss_ratio', ratio(resident, active)],
    ['allocator_rss_bytes', resident - active],
    ['rss_overhead_ratio', ratio(rss, resident)],
    ['rss_overhead_bytes', rss - resident],
    ['mem_fragmentation_ratio', formatFixed(rss / used, 2)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', clients],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', aofBuffer],
    ['mem_allocator', MEM_ALLOCATOR],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', s.keyspace.stats.lazyfreedObjects],
  ];
}

function persistenceSection(s: Server): Fields {
  return [
    ['loading', s.loading ? 1 : 0],
    ['async_loading', 0],
    ['rdb_changes_since_last_save', s.keyspace.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', s.lastSave],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_last_write_status', 'ok'],
  ];
}

function statsSection(s: Server): Fields {
  const st = s.stats;
  const ks = s.keyspace.stats;
  const m = s.metrics;
  return [
    ['total_connections_received', st.connectionsReceived],
    ['total_commands_processed', st.commandsProcessed],
    ['instantaneous_ops_per_sec', Math.round(m.commands.rate())],
    ['total_net_input_bytes', st.netInput],
    ['total_net_output_bytes', st.netOutput],
    // No replication, no fork, no defragmentation: their counters stay 0.
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', formatFixed(m.netInput.rate() / 1024, 2)],
    ['instantaneous_output_kbps', formatFixed(m.netOutput.rate() / 1024, 2)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', st.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', ks.expiredKeys],
    ['expired_stale_perc', formatFixed(ks.expiredStalePerc * 100, 2)],
    ['expired_time_cap_reached_count', ks.expiredTimeCapReached],
    ['expire_cycle_cpu_milliseconds', Math.floor(ks.expireCycleUs / 1000)],
    ['evicted_keys', ks.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', s.memory.exceededTimes()[0]],
    ['current_eviction_exceeded_time', s.memory.exceededTimes()[1]],
    ['keyspace_hits', ks.hits],
    ['keyspace_misses', ks.misses],
    ['pubsub_channels', s.pubsub.totals.channels],
    ['pubsub_patterns', s.pubsub.totals.patterns],
    ['pubsubshard_channels', s.pubsub.totals.shardChannels],
    ['latest_fork_usec', s.persistence.lastForkUsec],
    ['total_forks', s.persistence.forks],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', s.tracking.totalKeys],
    ['tracking_total_items', s.tracking.totalItems],
    ['tracking_total_prefixes', s.tracking.totalPrefixes],
    ['unexpected_error_replies', st.unexpectedErrorReplies],
    ['total_error_replies', st.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', st.readsProcessed],
    ['total_writes_processed', st.writesProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ];
}

function replicationSection(s: Server): Fields {
  return [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', infoState(s).replid],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

function cpuSection(): Fields {
  const u = process.cpuUsage();
  const fields: Fields = [
    ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
    ['used_cpu_user', (u.user / 1e6).toFixed(6)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
  ];
  // The main thread's own time, where the system tells it (Redis prints these only where it has RUSAGE_THREAD).
  const main = mainThreadCpu();
  if (main !== undefined) {
    fields.push(['used_cpu_sys_main_thread', main.sys.toFixed(6)], ['used_cpu_user_main_thread', main.user.toFixed(6)]);
  }
  return fields;
}

/**
 * CPU seconds of the thread that runs JavaScript (the process's first thread, whose id is the pid) from Linux's
 * /proc, in clock ticks of 1/100 s; undefined elsewhere.
 */
function mainThreadCpu(): { user: number; sys: number } | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
    // Fields after the command name (which may hold spaces and parentheses): state is the 3rd, utime the 14th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
  } catch {
    return undefined;
  }
}

function commandstatsSection(s: Server): Fields {
  const out: Fields = [];
  for (const e of s.commands.all()) {
    const st = e.stats;
    if (st.calls === 0 && st.failed === 0 && st.rejected === 0) continue;
    const per = st.calls === 0 ? 0 : st.usec / st.calls;
    out.push([
      `cmdstat_${e.fullName}`,
      `calls=${st.calls},usec=${st.usec},usec_per_call=${formatFixed(per, 2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`,
    ]);
  }
  return out;
}

function errorstatsSection(s: Server): Fields {
  return [...s.stats.errorsByPrefix]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, n]): [string, string] => [`errorstat_${prefix}`, `count=${n}`]);
}

/** latency_percentiles_usec_<command>: the configured percentiles of each called command (latency-tracking). */
function latencystatsSection(s: Server): Fields {
  if (!s.config.values['latency-tracking']) return [];
  const ps = s.config.values['latency-tracking-info-percentiles'];
  const out: Fields = [];
  for (const e of s.commands.all()) {
    if (e.latency !== null) out.push([`latency_percentiles_usec_${e.fullName}`, percentilesText(e.latency, ps)]);
  }
  return out;
}

function keyspaceSection(s: Server): Fields {
  const out: Fields = [];
  for (const db of s.keyspace.dbs) {
    if (db.size === 0) continue;
    out.push([`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${Math.round(db.avgTtl)}`]);
  }
  return out;
}

/** INFO's sections in order: name, whether `INFO` / `INFO default` include it, and its fields. */
const SECTIONS: readonly { name: string; title: string; isDefault: boolean; fields: (s: Server) => Fields }[] = [
  { name: 'server', title: 'Server', isDefault: true, fields: serverSection },
  { name: 'clients', title: 'Clients', isDefault: true, fields: clientsSection },
  { name: 'memory', title: 'Memory', isDefault: true, fields: memorySection },
  { name: 'persistence', title: 'Persistence', isDefault: true, fields: persistenceSection },
  { name: 'stats', title: 'Stats', isDefault: true, fields: statsSection },
  { name: 'replication', title: 'Replication', isDefault: true, fields: replicationSection },
  { name: 'cpu', title: 'CPU', isDefault: true, fields: cpuSection },
  { name: 'modules', title: 'Modules', isDefault: true, fields: () => [] },
  { name: 'commandstats', title: 'Commandstats', isDefault: false, fields: commandstatsSection },
  { name: 'errorstats', title: 'Errorstats', isDefault: true, fields: errorstatsSection },
  { name: 'latencystats', title: 'Latencystats', isDefault: false, fields: latencystatsSection },
  { name: 'cluster', title: 'Cluster', isDefault: true, fields: () => [['cluster_enabled', 0]] },
  { name: 'keyspace', title: 'Keyspace', isDefault: true, fields: keyspaceSection },
];

/** The INFO text for the requested section names (none = default), as Redis lays it out. */
export function infoText(s: Server, args: readonly string[]): string {
  const wanted = new Set<string>();
  let all = false;
  let dflt = args.length === 0;
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'all' || l === 'everything') all = true;
    else if (l === 'default') dflt = true;
    else wanted.add(l);
  }
  const parts: string[] = [];
  for (const sec of SECTIONS) {
    if (!(all || (dflt && sec.isDefault) || wanted.has(sec.name))) continue;
    const provider = s.infoProviders.get(sec.name);
    const fields: Fields = provider ? Object.entries(provider()) : sec.fields(s);
    let text = `# ${sec.title}\r\n`;
    for (const [k, v] of fields) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}

function infoCommand(c: Client, argv: string[]): void {
  c.w.verbatim(infoText(c.server, argv.slice(1)));
}

// ---------------------------------------------------------------------------------------------------------------
// CONFIG

function configGetCommand(c: Client, argv: string[]): void {
  const pairs = c.server.config.get(argv.slice(2));
  c.w.map(pairs.length);
  for (const [k, v] of pairs) {
    c.w.bulk(k);
    c.w.bulk(v);
  }
}

function configSetCommand(c: Client, argv: string[]): void {
  if ((argv.length - 2) % 2 !== 0) throw new ReplyError(Err.syntax);
  const pairs: [string, string][] = [];
  for (let j = 2; j < argv.length; j += 2) {
    pairs.push([argv[j]!, argv[j + 1]!]);
    // Secrets never reach SLOWLOG or MONITOR, even when the command fails.
    if (argv[j]!.toLowerCase() === 'requirepass') redactArg(c, j + 1);
  }
  const err = c.server.config.set(pairs, protectedConfigAllowed(c), c.server.loading);
  if (err === LOADING_REFUSED) throw new ReplyError(Err.loading);
  if (err !== undefined) throw new ReplyError('ERR ' + err);
  c.w.ok();
}

function protectedConfigAllowed(c: Client): boolean {
  const v = c.server.config.values['enable-protected-configs'];
  if (v === 'yes') return true;
  if (v === 'local') return isLocalSocket(c.sock);
  return false;
}

/** CONFIG RESETSTAT: every counter INFO shows goes back to zero. */
export function resetStats(s: Server): void {
  const start = s.stats.startTime;
  s.stats = Server.freshStats();
  s.stats.startTime = start;
  const ks = s.keyspace.stats;
  ks.hits = 0;
  ks.misses = 0;
  ks.expiredKeys = 0;
  ks.evictedKeys = 0;
  ks.expiredStalePerc = 0;
  ks.expiredTimeCapReached = 0;
  ks.expireCycleUs = 0;
  ks.lazyfreedObjects = 0;
  for (const e of s.commands.all()) {
    e.stats = { calls: 0, usec: 0, rejected: 0, failed: 0 };
    e.latency = null;
  }
  const now = Date.now();
  for (const m of Object.values(s.metrics)) m.reset(now);
  for (const h of s.statsResetHooks) h();
}

function configResetstatCommand(c: Client): void {
  resetStats(c.server);
  c.w.ok();
}

function configRewriteCommand(c: Client): void {
  const cfg = c.server.config;
  const file = cfg.configFile;
  if (file === undefined) throw new ReplyError('ERR The server is running without a config file');
  let old = '';
  try {
    old = fs.readFileSync(file, 'latin1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      c.server.log('warning', `CONFIG REWRITE failed: ${(e as Error).message}`);
      throw new ReplyError(`ERR Rewriting config file: ${(e as Error).message}`);
    }
  }
  const text = cfg.rewriteText(old);
  const tmp = path.join(path.dirname(file), `.cairn-rewrite-${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text, 'latin1');
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    c.server.log('warning', `CONFIG REWRITE failed: ${(e as Error).message}`);
    throw new ReplyError(`ERR Rewriting config file: ${(e as Error).message}`);
  }
  c.server.log('notice', 'CONFIG REWRITE executed with success.');
  c.w.ok();
}

function configHelpCommand(c: Client): void {
  helpReply(c, 'CONFIG', [
    'GET <pattern>',
    '    Return parameters matching the glob-like <pattern> and their values.',
    'SET <directive> <value>',
    '    Set the configuration <directive> to <value>.',
    'RESETSTAT',
    '    Reset statistics reported by the INFO command.',
    'REWRITE',
    '    Rewrite the configuration file.',
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// TIME, LASTSAVE, SHUTDOWN, MONITOR

function timeCommand(c: Client): void {
  const t = performance.timeOrigin + performance.now();
  const sec = Math.floor(t / 1000);
  const usec = Math.floor((t - sec * 1000) * 1000);
  c.w.array(2);
  c.w.bulk(String(sec));
  c.w.bulk(String(Math.min(usec, 999999)));
}

function lastsaveCommand(c: Client): void {
  c.w.integer(c.server.lastSave);
}

/**
 * ROLE: Cairn is always a master without replicas (no replication), so its replication offset stays 0, as a Redis
 * master's does until a replica first connects (INFO replication shows the same).
 */
function roleCommand(c: Client): void {
  c.w.array(3);
  c.w.bulk('master');
  c.w.integer(0);
  c.w.array(0);
}

function shutdownCommand(c: Client, argv: string[]): void {
  let save = false;
  let nosave = false;
  let now = false;
  let force = false;
  let abort = false;
  for (let j = 1; j < argv.length; j++) {
    const a = argv[j]!;
    if (is(a, 'nosave')) nosave = true;
    else if (is(a, 'save')) save = true;
    else if (is(a, 'now')) now = true;
    else if (is(a, 'force')) force = true;
    else if (is(a, 'abort')) abort = true;
    else throw new ReplyError(Err.syntax);
  }
  if ((abort && (nosave || save || now || force)) || (save && nosave)) throw new ReplyError(Err.syntax);
  if (abort) throw new ReplyError('ERR No shutdown in progress.');
  c.server.log('warning', 'User requested shutdown...');
  // The final save comes first: when it fails (without FORCE) the server stays up, as Redis does.
  if (!c.server.persistence.prepareShutdown({ save, nosave, now, force }))
    throw new ReplyError('ERR Errors trying to SHUTDOWN. Check logs.');
  c.out.discard();
  c.server.onShutdownRequest({ save, nosave, now, force });
}

function monitorCommand(c: Client): void {
  // Inside EXEC (Redis's CLIENT_DENY_BLOCKING) a client expects one reply per command.
  if (c.server.callDepth > 1) throw new ReplyError("ERR MONITOR isn't allowed for DENY BLOCKING client");
  if (c.monitor) return;
  c.monitor = true;
  c.server.monitors.add(c);
  c.w.ok();
}

// ---------------------------------------------------------------------------------------------------------------
// DEBUG

function debugWrongArgs(sub: string): ReplyError {
  return new ReplyError(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try DEBUG HELP.`);
}

/** Blocks the whole process, as DEBUG SLEEP blocks Redis. */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** strtod-like: the longest leading number, 0 when there is none (as Redis's DEBUG SLEEP reads it). */
function leadingFloat(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** atoi-like: the leading integer, 0 when there is none. */
function leadingInt(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** Bytes the value would take in a snapshot, as DEBUG OBJECT's serializedlength reports for strings. */
function serializedLength(v: string): number {
  const n = v.length <= 11 ? parseLL(v) : undefined;
  if (n !== undefined) {
    if (n >= -128n && n <= 127n) return 2;
    if (n >= -32768n && n <= 32767n) return 3;
    if (n >= -2147483648n && n <= 2147483647n) return 5;
  }
  const len = v.length;
  const prefix = len < 64 ? 1 : len < 16384 ? 2 : len <= 0xffffffff ? 5 : 9;
  return prefix + len;
}

function debugObject(c: Client, key: string): void {
  const db = c.db;
  const e = db.dict.get(key);
  if (e === undefined) throw new ReplyError(Err.noSuchKey);
  // The "address" names the key's slot: stable while the key lives, reused after it is deleted (as an allocator's).
  const id = db.id * 2 ** 32 + e + 1;
  const stored = db.vals[e]!;
  const v = isBig(stored) ? stored.toString() : stored;
  const lru = db.lru[e]!;
  const str = typeof v === 'string';
  const enc = str ? stringEncoding(v, lru) : v.encoding();
  const refcount = str && enc === 'int' && v.length <= 4 && Number(v) >= 0 && Number(v) < 10000 ? 2147483647 : 1;
  const serialized = str ? serializedLength(v) : keyMemoryUsage(key, v);
  const idle = db.idleSeconds(e);
  c.w.simple(
    `Value at:0x${(0x7f0000000000 + id * 16).toString(16)} refcount:${refcount} encoding:${enc} serializedlength:${serialized} lru:${lru & LRU_CLOCK_MASK} lru_seconds_idle:${idle}`,
  );
}

function debugPopulate(c: Client, argv: string[]): void {
  const count = parseInteger(argv[2]!);
  if (count === undefined || count < 0) throw new ReplyError('ERR value is out of range, must be positive');
  const prefix = argv.length >= 4 ? argv[3]! : 'key';
  let size = 0;
  if (argv.length === 5) {
    const n = parseInteger(argv[4]!);
    if (n === undefined || n < 0) throw new ReplyError('ERR value is out of range, must be positive');
    size = n;
  }
  const db: Database = c.db;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (db.lookup(key) !== undefined) continue;
    let val = `value:${j}`;
    if (size > 0) val = val.length >= size ? val.slice(0, size) : val + '\0'.repeat(size - val.length);
    db.set(key, val);
  }
  c.w.ok();
}

function debugDigestValue(c: Client, argv: string[]): void {
  c.w.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const key = argv[i]!;
    // Straight from the table, as Redis reads it: no statistics, and a logically expired key still counts.
    const e = c.db.dict.get(key);
    c.w.simple(
      e === undefined ? '0'.repeat(40) : valueDigest(c.db.vals[e]!, c.db.getExpire(key) !== undefined).toString('hex'),
    );
  }
}

function debugReload(c: Client, argv: string[]): void {
  let save = true;
  let flush = true;
  let merge = false;
  for (let i = 2; i < argv.length; i++) {
    const o = argv[i]!.toLowerCase();
    if (o === 'merge') merge = true;
    else if (o === 'noflush') flush = false;
    else if (o === 'nosave') save = false;
    else throw new ReplyError('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  const err = c.server.persistence.debugReload({ save, flush, merge });
  // Never propagated (as in Redis): replayed from the AOF it would reload mid-replay and drop keys whose time
  // has passed since, which later records in the log still touch.
  c.preventPropagation = true;
  if (err !== undefined) throw new ReplyError(err);
  c.w.ok();
}

function debugCommand(c: Client, argv: string[]): void {
  const sub = argv[1]!;
  const n = argv.length;
  const l = sub.toLowerCase();
  if (l === 'help' && n === 2) return debugHelp(c);
  if (l === 'sleep' && n === 3) {
    sleepSync(leadingFloat(argv[2]!) * 1000);
    return c.w.ok();
  }
  if (l === 'change-repl-id' && n === 2) {
    // INFO's master_replid (master_replid2 stays cleared: there is no previous id to keep).
    c.server.log('warning', 'Changing replication IDs after receiving DEBUG change-repl-id');
    infoState(c.server).replid = newReplid();
    return c.w.ok();
  }
  if (l === 'set-active-expire' && n === 3) {
    c.server.activeExpire.enabled = leadingInt(argv[2]!) !== 0;
    return c.w.ok();
  }
  if (l === 'quicklist-packed-threshold' && n === 3) {
    // Redis keeps a list element of this size or more in a node of its own. Cairn's lists have no packed and plain
    // nodes (src/types/list.ts), so the setting leaves nothing to change; the size is checked as Redis checks it.
    const size = parseMemory(argv[2]!);
    if (size === undefined || size > (1n << 32n) - (1n << 20n)) {
      throw new ReplyError('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    }
    return c.w.ok();
  }
  if (l === 'object' && n === 3) return debugObject(c, argv[2]!);
  if (l === 'log' && n === 3) {
    c.server.log('warning', `DEBUG LOG: ${argv[2]!}`);
    return c.w.ok();
  }
  // Written as a raw reply, as Redis writes it: no error statistics, line breaks become spaces.
  if (l === 'error' && n === 3) return c.w.error(argv[2]!.replace(/[\r\n]/g, ' '));
  if (l === 'populate' && n >= 3 && n <= 5) return debugPopulate(c, argv);
  if (l === 'protocol' && n === 3) return debugProtocol(c, argv[2]!);
  if (l === 'digest' && n === 2) return c.w.simple(datasetDigest(c.server.keyspace).toString('hex'));
  if (l === 'digest-value' && n >= 2) return debugDigestValue(c, argv);
  if (l === 'reload') return debugReload(c, argv);
  throw debugWrongArgs(sub);
}

/** DEBUG PROTOCOL <type>: a test value of each reply type, as Redis sends them (for client libraries' tests). */
function debugProtocol(c: Client, type: string): void {
  const w = c.w;
  const resp3 = c.proto === 3;
  switch (type.toLowerCase()) {
    case 'string':
      return w.bulk('Hello World');
    case 'integer':
      return w.integer(12345);
    case 'double':
      return w.double(3.141);
    case 'bignum':
      if (resp3) return c.out.latin1('(1234567999999999999999999999999999999\r\n');
      return w.bulk('1234567999999999999999999999999999999');
    case 'null':
      return w.null();
    case 'array':
    case 'set':
      if (type.toLowerCase() === 'array') w.array(3);
      else w.set(3);
      for (let j = 0; j < 3; j++) w.integer(j);
      return;
    case 'map':
      w.map(3);
      for (let j = 0; j < 3; j++) {
        w.integer(j);
        w.bool(j === 1);
      }
      return;
    case 'attrib':
      // An attribute is no reply of its own: a real reply follows it.
      if (resp3) {
        c.out.latin1('|1\r\n');
        w.bulk('key-popularity');
        w.array(2);
        w.bulk('key:123');
        w.integer(90);
      }
      return w.bulk('Some real reply following the attribute');
    case 'push':
      if (!resp3) throw new ReplyError('ERR RESP2 is not supported by this command');
      w.push(2);
      w.bulk('server-cpu-usage');
      w.integer(42);
      return w.bulk('Some real reply following the push reply');
    case 'true':
      return w.bool(true);
    case 'false':
      return w.bool(false);
    case 'verbatim':
      return w.verbatim('This is a verbatim\nstring', 'txt');
    default:
      throw new ReplyError(
        'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
      );
  }
}

function debugHelp(c: Client): void {
  helpReply(c, 'DEBUG', [
    'CHANGE-REPL-ID',
    '    Change the replication IDs of the instance.',
    '    Dangerous: should be used only for testing the replication subsystem.',
    'DIGEST',
    '    Output a hex signature representing the current DB content.',
    'DIGEST-VALUE <key> [<key> ...]',
    '    Output a hex signature of the values of all the specified keys.',
    'ERROR <string>',
    '    Return a Redis protocol error with <string> as message. Useful for clients',
    '    unit tests to simulate Redis errors.',
    'LOG <message>',
    '    Write <message> to the server log.',
    'OBJECT <key>',
    '    Show low level info about `key` and associated value.',
    'POPULATE <count> [<prefix>] [<size>]',
    '    Create <count> string keys named key:<num>. If <prefix> is specified then',
    "    it is used instead of the 'key' prefix. These are not propagated to",
    '    replicas. Cluster slots are not respected so keys not belonging to the',
    '    current node can be created in cluster mode.',
    'PROTOCOL <type>',
    '    Reply with a test value of the specified type. <type> can be: string,',
    '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
    '    true, false.',
    'RELOAD [option ...]',
    '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
    '    * MERGE: conflicting keys will be loaded from RDB.',
    '    * NOFLUSH: the existing database will not be removed before load, but',
    '      conflicting keys will generate an exception and kill the server.',
    '    * NOSAVE: the database will be loaded from an existing RDB file.',
    '    Examples:',
    '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
    '      the database.',
    '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
    '      existing RDB file.',
    '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
    '      file to the database.',
    'SET-ACTIVE-EXPIRE <0|1>',
    '    Setting it to 0 disables expiring keys in background when they are not',
    '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
    '    default.',
    'QUICKLIST-PACKED-THRESHOLD <size>',
    '    Sets the threshold for elements to be inserted as plain vs packed nodes',
    '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
    'SLEEP <seconds>',
    '    Stop the server for <seconds>. Decimals allowed.',
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// The rows

export const serverCommands: readonly CommandSpec[] = [
  {
    name: 'info',
    arity: -1,
    flags: ['loading', 'stale'],
    acl: ['dangerous'],
    keys: [0, 0, 0],
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    summary: 'Get information and statistics about the server',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
    args: [{ name: 'section', type: 'string', flags: ['optional', 'multiple'] }],
    handler: infoCommand,
  },
  {
    name: 'time',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    keys: [0, 0, 0],
    tips: ['nondeterministic_output'],
    summary: 'Return the current server time',
    since: '2.6.0',
    group: 'server',
    complexity: 'O(1)',
    handler: timeCommand,
  },
  {
    name: 'lastsave',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    acl: ['admin', 'dangerous'],
    keys: [0, 0, 0],
    tips: ['nondeterministic_output'],
    summary: 'Get the UNIX time stamp of the last successful save to disk',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
    handler: lastsaveCommand,
  },
  {
    name: 'role',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast'],
    acl: ['admin', 'dangerous'],
    keys: [0, 0, 0],
    summary: 'Return the role of the instance in the context of replication',
    since: '2.8.12',
    group: 'server',
    complexity: 'O(1)',
    handler: roleCommand,
  },
  {
    name: 'shutdown',
    arity: -1,
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
    keys: [0, 0, 0],
    summary: 'Synchronously save the dataset to disk and then shut down the server',
    since: '1.0.0',
    group: 'server',
    complexity:
      'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
    args: [
      {
        name: 'nosave_save',
        type: 'oneof',
        flags: ['optional'],
        args: [
          { name: 'nosave', type: 'pure-token', token: 'NOSAVE' },
          { name: 'save', type: 'pure-token', token: 'SAVE' },
        ],
      },
      { name: 'now', type: 'pure-token', token: 'NOW', since: '7.0.0', flags: ['optional'] },
      { name: 'force', type: 'pure-token', token: 'FORCE', since: '7.0.0', flags: ['optional'] },
      { name: 'abort', type: 'pure-token', token: 'ABORT', since: '7.0.0', flags: ['optional'] },
    ],
    handler: shutdownCommand,
  },
  {
    name: 'monitor',
    arity: 1,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    keys: [0, 0, 0],
    summary: 'Listen for all requests received by the server in real time',
    since: '1.0.0',
    group: 'server',
    handler: monitorCommand,
  },
  {
    name: 'debug',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale', 'protected'],
    keys: [0, 0, 0],
    summary: 'A container for debugging commands',
    since: '1.0.0',
    group: 'server',
    complexity: 'Depends on subcommand.',
    docFlags: ['syscmd'],
    handler: debugCommand,
  },
  {
    name: 'config',
    arity: -2,
    flags: [],
    keys: [0, 0, 0],
    summary: 'A container for server configuration commands',
    since: '2.0.0',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'get',
        arity: -3,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        summary: 'Get the values of configuration parameters',
        since: '2.0.0',
        group: 'server',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
        args: [
          { name: 'parameter', type: 'block', flags: ['multiple'], args: [{ name: 'parameter', type: 'string' }] },
        ],
        handler: configGetCommand,
      },
      {
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        keys: [0, 0, 0],
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        group: 'server',
        complexity: 'O(1)',
        handler: configHelpCommand,
      },
      {
        name: 'resetstat',
        arity: 2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        summary: 'Reset the stats returned by INFO',
        since: '2.0.0',
        group: 'server',
        complexity: 'O(1)',
        handler: configResetstatCommand,
      },
      {
        name: 'rewrite',
        arity: 2,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        summary: 'Rewrite the configuration file with the in memory configuration',
        since: '2.8.0',
        group: 'server',
        complexity: 'O(1)',
        handler: configRewriteCommand,
      },
      {
        name: 'set',
        arity: -4,
        flags: ['admin', 'noscript', 'loading', 'stale'],
        keys: [0, 0, 0],
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        summary: 'Set configuration parameters to the given values',
        since: '2.0.0',
        group: 'server',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
        args: [
          {
            name: 'parameter_value',
            type: 'block',
            flags: ['multiple'],
            args: [
              { name: 'parameter', type: 'string' },
              { name: 'value', type: 'string' },
            ],
          },
        ],
        handler: configSetCommand,
      },
    ],
  },
];
