// `npm run bench [-- --quick] [-- --rounds N --tests set,get --configs c50-P16 --scale 2 --versus redis]`
//
// Side-by-side throughput benchmark of Cairn against Debian's redis-server. Both servers run at once on free
// loopback ports with persistence off; `redis-benchmark` is run against each in turn, alternating between the
// two servers for every (round, configuration, test), so machine noise hits both alike. The figure that
// separates the servers on a small machine is server CPU time per request: utime+stime of the server process
// (from /proc/<pid>/stat) across one redis-benchmark run, divided by the requests in that run. Requests/s and
// p50/p99 latency come from redis-benchmark's CSV output. Medians over the rounds are reported.
//
// Commands a server does not implement (asked with COMMAND INFO) are shown as "n/a" and not run against it.
// Results go to bench/results/: Markdown, JSON (every sample) and PNG bar charts.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart, COLORS, type BarPanel } from './lib/chart.js';
import { RespClient } from './lib/resp.js';
import {
  startCairn,
  startRedis,
  cpuTicks,
  stealMeter,
  StealFilter,
  supportsCommand,
  CLK_TCK,
  HOST,
  ROOT,
  type RunningServer,
  type ServerKind,
  type StartOptions,
} from './lib/servers.js';
import {
  describeMachine,
  fmt,
  geomean,
  machineLine,
  machineMarkdown,
  markdownTable,
  median,
  ratio,
  textTable,
  type Table,
  resultStamp,
} from './lib/report.js';

// ---------------------------------------------------------------------------------------------------------
// What is measured

/** Unmeasured preparation before a run: commands sent pipelined over a plain connection. */
type Setup = (requests: number) => (readonly string[])[];

interface BenchTest {
  /** Name as redis-benchmark prints it (LRANGE_100 etc.). */
  readonly name: string;
  /** Arguments that select the test: `-t name`, or an explicit command line. */
  readonly args: readonly string[];
  /** Every command the run and its setup send; all must be implemented for the test to run. */
  readonly requires: readonly string[];
  /** Requests relative to the configuration's count (slow commands get fewer). */
  readonly weight: number;
  readonly setup?: Setup;
}

const VALUE = 'xxx'; // redis-benchmark's default 3-byte payload (-d 3)
const KEYSPACE = 100_000; // -r: keys and members vary over this range

/** `DEL key`, then `count` elements pushed with `cmd key <elem>…` in chunks of 1000. */
function fill(key: string, cmd: string, count: number, elem: (i: number) => string[]): (readonly string[])[] {
  const out: (readonly string[])[] = [['DEL', key]];
  for (let i = 0; i < count; i += 1000) {
    const argv = [cmd, key];
    for (let j = i; j < Math.min(count, i + 1000); j++) argv.push(...elem(j));
    out.push(argv);
  }
  return out;
}

// Enough elements for every pop of a run (redis-benchmark may issue up to one pipeline per client extra).
const popMargin = (n: number): number => n + 50 * 16;

const TESTS: readonly BenchTest[] = [
  { name: 'SET', args: ['-t', 'set'], requires: ['set'], weight: 1 },
  { name: 'GET', args: ['-t', 'get'], requires: ['get'], weight: 1 },
  { name: 'INCR', args: ['-t', 'incr'], requires: ['incr'], weight: 1 },
  { name: 'LPUSH', args: ['-t', 'lpush'], requires: ['lpush', 'del'], weight: 1, setup: () => [['DEL', 'mylist']] },
  { name: 'RPUSH', args: ['-t', 'rpush'], requires: ['rpush', 'del'], weight: 1, setup: () => [['DEL', 'mylist']] },
  {
    name: 'LPOP',
    args: ['-t', 'lpop'],
    requires: ['lpop', 'rpush', 'del'],
    weight: 1,
    setup: (n) => fill('mylist', 'RPUSH', popMargin(n), () => [VALUE]),
  },
  {
    name: 'RPOP',
    args: ['-t', 'rpop'],
    requires: ['rpop', 'rpush', 'del'],
    weight: 1,
    setup: (n) => fill('mylist', 'RPUSH', popMargin(n), () => [VALUE]),
  },
  { name: 'SADD', args: ['-t', 'sadd'], requires: ['sadd', 'del'], weight: 1, setup: () => [['DEL', 'myset']] },
  { name: 'HSET', args: ['-t', 'hset'], requires: ['hset', 'del'], weight: 1, setup: () => [['DEL', 'myhash']] },
  {
    name: 'SPOP',
    args: ['-t', 'spop'],
    requires: ['spop', 'sadd', 'del'],
    weight: 1,
    setup: (n) => fill('myset', 'SADD', popMargin(n), (i) => [`element:${i}`]),
  },
  { name: 'ZADD', args: ['-t', 'zadd'], requires: ['zadd', 'del'], weight: 1, setup: () => [['DEL', 'myzset']] },
  {
    name: 'ZPOPMIN',
    args: ['-t', 'zpopmin'],
    requires: ['zpopmin', 'zadd', 'del'],
    weight: 1,
    setup: (n) => fill('myzset', 'ZADD', popMargin(n), (i) => [String(i % KEYSPACE), `element:${i}`]),
  },
  // redis-benchmark's own LRANGE tests first LPUSH as many elements as requests, which would be measured
  // with them; here the list is filled beforehand (600 elements, as both ranges need) and LRANGE run alone.
  {
    name: 'LRANGE_100',
    args: ['lrange', 'mylist', '0', '99'],
    requires: ['lrange', 'rpush', 'del'],
    weight: 0.5,
    setup: () => fill('mylist', 'RPUSH', 600, () => [VALUE]),
  },
  {
    name: 'LRANGE_600',
    args: ['lrange', 'mylist', '0', '599'],
    requires: ['lrange', 'rpush', 'del'],
    weight: 0.2,
    setup: () => fill('mylist', 'RPUSH', 600, () => [VALUE]),
  },
  { name: 'MSET', args: ['-t', 'mset'], requires: ['mset'], weight: 0.5 },
];

/**
 * Tests run only when named with --tests: they are not in issue 6's list, so not in the default run's geometric
 * means. SET_EX is the usual cache write, a value with a TTL (src/keyspace/expire-table.ts).
 */
const EXTRA_TESTS: readonly BenchTest[] = [
  { name: 'SET_EX', args: ['set', 'key:__rand_int__', VALUE, 'ex', '100'], requires: ['set'], weight: 1 },
];

interface BenchConfig {
  readonly id: string;
  readonly label: string;
  readonly clients: number;
  readonly pipeline: number;
  /** Requests per run at weight 1, full and quick mode. */
  readonly requests: { readonly full: number; readonly quick: number };
}

const CONFIGS: readonly BenchConfig[] = [
  { id: 'c50-P1', label: '-c 50 -P 1', clients: 50, pipeline: 1, requests: { full: 100_000, quick: 12_000 } },
  { id: 'c50-P16', label: '-c 50 -P 16', clients: 50, pipeline: 16, requests: { full: 800_000, quick: 120_000 } },
  { id: 'c1-P1', label: '-c 1 -P 1', clients: 1, pipeline: 1, requests: { full: 30_000, quick: 4_000 } },
];

/** The warm-up pass before the measured rounds (see main). */
const WARMUP_CONFIG: BenchConfig = {
  id: 'warmup',
  label: 'warm-up',
  clients: 50,
  pipeline: 16,
  requests: { full: 100_000, quick: 50_000 },
};

// ---------------------------------------------------------------------------------------------------------
// Command line

interface Options {
  quick: boolean;
  rounds: number;
  scale: number;
  tests: readonly BenchTest[];
  configs: readonly BenchConfig[];
  outDir: string;
  /** Also run the durable SET runs (see durableRuns). */
  durable: boolean;
  /** Takes a sample again when the hypervisor took more than --max-steal % of the machine during it (StealFilter). */
  steal: StealFilter;
  /**
   * What runs in Cairn's place: Cairn, or (`--versus redis`) a second redis-server. Two identical servers measured
   * the same way show how far the harness's ratios move on this machine with no difference to find.
   */
  versus: ServerKind;
}

/** How the two servers are named in the report. */
interface Names {
  readonly redis: string;
  readonly cairn: string;
}

function namesOf(opts: Options): Names {
  return opts.versus === 'redis' ? { redis: 'Redis A', cairn: 'Redis B' } : { redis: 'Redis', cairn: 'Cairn' };
}

/** Starts the server measured against Redis (see Options.versus). */
function startSecond(opts: Options, start: StartOptions = {}): Promise<RunningServer> {
  return opts.versus === 'redis' ? startRedis(start) : startCairn(start);
}

function usage(): string {
  return [
    'usage: npm run bench -- [--quick] [--rounds N] [--scale X] [--tests set,get,...] [--configs c50-P1,...] [--out DIR]',
    '                        [--durable | --skip-durable] [--max-steal PCT] [--retakes N] [--versus cairn|redis]',
    `  tests:   ${TESTS.map((t) => t.name.toLowerCase()).join(',')} (the default); also ${EXTRA_TESTS.map((t) => t.name.toLowerCase()).join(',')}`,
    `  configs: ${CONFIGS.map((c) => c.id).join(',')}`,
    '  --quick  fewer requests and rounds (about a minute); --scale multiplies the request counts',
    '  durable SET runs (AOF on, appendfsync everysec and always) come with the default tests; --durable adds them',
    '  to a run of chosen tests, --skip-durable leaves them out',
    '  --max-steal  a run during which the hypervisor took more than PCT% of the machine (steal time) is taken',
    '               again, up to --retakes times (defaults 4% and 3, 1 with --quick; --max-steal 100 turns it off)',
    "  --versus redis  a second redis-server in Cairn's place (an A/A run): the ratios then show the spread of the",
    '                  harness itself on this machine',
  ].join('\n');
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      scale: { type: 'string', default: '1' },
      tests: { type: 'string' },
      configs: { type: 'string' },
      out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
      durable: { type: 'boolean', default: false },
      'skip-durable': { type: 'boolean', default: false },
      'max-steal': { type: 'string', default: '4' },
      retakes: { type: 'string' },
      versus: { type: 'string', default: 'cairn' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage() + '\n');
    process.exit(0);
  }
  const pick = <T>(list: readonly T[], arg: string | undefined, key: (t: T) => string, what: string): readonly T[] => {
    if (arg === undefined) return list;
    return arg.split(',').map((name) => {
      const found = list.find((t) => key(t).toLowerCase() === name.trim().toLowerCase());
      if (!found) throw new Error(`unknown ${what} '${name}'\n${usage()}`);
      return found;
    });
  };
  const quick = values.quick;
  const rounds = Number(values.rounds ?? (quick ? 2 : 5));
  const scale = Number(values.scale);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer\n${usage()}`);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number\n${usage()}`);
  let steal: StealFilter;
  try {
    steal = new StealFilter(Number(values['max-steal']), Number(values.retakes ?? (quick ? 1 : 3)));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage()}`);
  }
  const versus = values.versus;
  if (versus !== 'cairn' && versus !== 'redis') throw new Error(`--versus must be cairn or redis\n${usage()}`);
  return {
    versus,
    quick,
    rounds,
    scale,
    tests: values.tests === undefined ? TESTS : pick([...TESTS, ...EXTRA_TESTS], values.tests, (t) => t.name, 'test'),
    configs: pick(CONFIGS, values.configs, (c) => c.id, 'config'),
    outDir: path.resolve(values.out),
    durable: !values['skip-durable'] && (values.durable || values.tests === undefined),
    steal,
  };
}

function requestsFor(opts: Options, config: BenchConfig, weight: number): number {
  const base = (opts.quick ? config.requests.quick : config.requests.full) * opts.scale * weight;
  // A whole number of pipelines per client, so every request sent is counted.
  const unit = config.clients * config.pipeline;
  return Math.max(unit, Math.round(base / unit) * unit);
}

// ---------------------------------------------------------------------------------------------------------
// Running redis-benchmark

interface Sample {
  readonly requests: number;
  /** Server CPU time (utime+stime) per request, µs. */
  readonly cpuUs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Share of the machine's time the hypervisor took during the run (see measureSteady), %; null if unknown. */
  readonly stealPct: number | null;
}

interface CsvRow {
  rps: number;
  p50: number;
  p99: number;
}

function parseCsv(stdout: string): CsvRow {
  const lines = stdout.split('\n').filter((l) => l.startsWith('"'));
  const header = lines[0]?.split(',').map((h) => h.replace(/"/g, ''));
  const row = lines
    .at(-1)
    ?.split('","')
    .map((c) => c.replace(/"/g, ''));
  if (!header || !row || lines.length < 2)
    throw new Error(`no CSV result in redis-benchmark output: ${stdout.slice(0, 300)}`);
  const col = (name: string): number => {
    const i = header.indexOf(name);
    const v = Number(row[i]);
    if (i < 0 || !Number.isFinite(v)) throw new Error(`redis-benchmark CSV has no ${name}: ${stdout.slice(0, 300)}`);
    return v;
  };
  return { rps: col('rps'), p50: col('p50_latency_ms'), p99: col('p99_latency_ms') };
}

function runBenchmark(port: number, args: readonly string[]): Promise<CsvRow> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', ['-h', HOST, '-p', String(port), '--csv', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      // Cairn has no CONFIG GET yet; redis-benchmark only wants it for its banner.
      const errors = err
        .split('\n')
        .filter((l) => l.trim() && !/^WARNING: Could not fetch server CONFIG/.test(l))
        .join('\n');
      if (code !== 0) return reject(new Error(`redis-benchmark exited with ${code}: ${errors.slice(0, 300)}`));
      try {
        resolve(parseCsv(out));
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

/** A server under test with its setup connection and the commands it implements. */
interface Subject {
  readonly kind: ServerKind;
  readonly server: RunningServer;
  readonly client: RespClient;
  readonly supported: ReadonlySet<string>;
}

async function prepare(subject: Subject, setup: (readonly string[])[]): Promise<void> {
  if (setup.length === 0) return;
  const result = await subject.client.load(setup.length, (i) => setup[i]!, 64, 2);
  if (result.errors > 0) throw new Error(`setup failed: ${result.firstErrors.join('; ')}`);
}

async function measure(subject: Subject, config: BenchConfig, test: BenchTest, requests: number): Promise<Sample> {
  await prepare(subject, test.setup?.(requests) ?? []);
  const args = [
    '-c',
    String(config.clients),
    '-P',
    String(config.pipeline),
    '-n',
    String(requests),
    '-r',
    String(KEYSPACE),
  ];
  const steal = stealMeter();
  const before = cpuTicks(subject.server.pid);
  const row = await runBenchmark(subject.server.port, [...args, ...test.args]);
  const after = cpuTicks(subject.server.pid);
  return {
    requests,
    cpuUs: (((after - before) / CLK_TCK) * 1e6) / requests,
    rps: row.rps,
    p50Ms: row.p50,
    p99Ms: row.p99,
    stealPct: steal(),
  };
}

/** A measured sample taken while the hypervisor left the machine alone (see StealFilter). */
function measureSteady(
  opts: Options,
  subject: Subject,
  config: BenchConfig,
  test: BenchTest,
  requests: number,
  log: (s: string) => void,
): Promise<Sample> {
  return opts.steal.sample(
    () => measure(subject, config, test, requests),
    (s) => s.stealPct,
    (pct) => log(` (steal ${pct.toFixed(1)}%: again)`),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Results

interface Outcome {
  samples: Sample[];
  /** Why the test is not shown for this server: unsupported commands or an error. */
  missing?: string;
}

type Results = Map<string, Map<string, Record<ServerKind, Outcome>>>; // config id → test name → per server

interface Summary {
  readonly redis: Stat;
  readonly cairn: Stat;
}
interface Stat {
  cpuUs: number | null;
  rps: number | null;
  p50: number | null;
  p99: number | null;
}

function stat(o: Outcome): Stat {
  if (o.missing !== undefined) return { cpuUs: null, rps: null, p50: null, p99: null };
  const m = (f: (s: Sample) => number): number | null => median(o.samples.map(f));
  return { cpuUs: m((s) => s.cpuUs), rps: m((s) => s.rps), p50: m((s) => s.p50Ms), p99: m((s) => s.p99Ms) };
}

function summarize(results: Results, config: BenchConfig, tests: readonly BenchTest[]): Map<string, Summary> {
  const out = new Map<string, Summary>();
  for (const t of tests) {
    const r = results.get(config.id)!.get(t.name)!;
    out.set(t.name, { redis: stat(r.redis), cairn: stat(r.cairn) });
  }
  return out;
}

function configTable(summary: Map<string, Summary>, names: Names): Table {
  const rows: string[][] = [];
  const cpuRatios: number[] = [];
  const rpsRatios: number[] = [];
  const p99Ratios: number[] = [];
  for (const [name, s] of summary) {
    const cpuR = ratio(s.cairn.cpuUs, s.redis.cpuUs);
    const rpsR = ratio(s.cairn.rps, s.redis.rps);
    const p99R = ratio(s.cairn.p99, s.redis.p99);
    if (cpuR !== null) cpuRatios.push(cpuR);
    if (rpsR !== null) rpsRatios.push(rpsR);
    if (p99R !== null) p99Ratios.push(p99R);
    rows.push([
      name,
      fmt(s.redis.cpuUs),
      fmt(s.cairn.cpuUs),
      fmt(cpuR),
      fmt(s.redis.rps, 0),
      fmt(s.cairn.rps, 0),
      fmt(rpsR),
      fmt(s.redis.p50, 3),
      fmt(s.cairn.p50, 3),
      fmt(s.redis.p99, 3),
      fmt(s.cairn.p99, 3),
      fmt(p99R),
    ]);
  }
  rows.push([
    'geomean',
    '',
    '',
    fmt(geomean(cpuRatios)),
    '',
    '',
    fmt(geomean(rpsRatios)),
    '',
    '',
    '',
    '',
    fmt(geomean(p99Ratios)),
  ]);
  return {
    headers: [
      'command',
      `${names.redis} CPU µs/req`,
      `${names.cairn} CPU µs/req`,
      'CPU ratio',
      `${names.redis} req/s`,
      `${names.cairn} req/s`,
      'req/s ratio',
      `${names.redis} p50 ms`,
      `${names.cairn} p50 ms`,
      `${names.redis} p99 ms`,
      `${names.cairn} p99 ms`,
      'p99 ratio',
    ],
    rows,
    numeric: [false, ...Array<boolean>(11).fill(true)],
  };
}

interface ConfigSummary {
  cpuGeo: number | null;
  cpuMax: { name: string; value: number } | null;
  rpsGeo: number | null;
  rpsMin: { name: string; value: number } | null;
  p99Geo: number | null;
  compared: number;
}

function configSummary(summary: Map<string, Summary>): ConfigSummary {
  const cpu: [string, number][] = [];
  const rps: [string, number][] = [];
  const p99: number[] = [];
  for (const [name, s] of summary) {
    const c = ratio(s.cairn.cpuUs, s.redis.cpuUs);
    const r = ratio(s.cairn.rps, s.redis.rps);
    const p = ratio(s.cairn.p99, s.redis.p99);
    if (c !== null) cpu.push([name, c]);
    if (r !== null) rps.push([name, r]);
    if (p !== null) p99.push(p);
  }
  const extreme = (xs: [string, number][], better: (a: number, b: number) => boolean) =>
    xs.reduce<{ name: string; value: number } | null>(
      (acc, [name, value]) => (acc === null || better(value, acc.value) ? { name, value } : acc),
      null,
    );
  return {
    cpuGeo: geomean(cpu.map((x) => x[1])),
    cpuMax: extreme(cpu, (a, b) => a > b),
    rpsGeo: geomean(rps.map((x) => x[1])),
    rpsMin: extreme(rps, (a, b) => a < b),
    p99Geo: geomean(p99),
    compared: cpu.length,
  };
}

function overallTable(configs: readonly BenchConfig[], sums: Map<string, ConfigSummary>, total: number): Table {
  const ext = (e: { name: string; value: number } | null): string => (e ? `${fmt(e.value)} (${e.name})` : 'n/a');
  return {
    headers: [
      'config',
      'compared',
      'CPU ratio geomean',
      'CPU ratio max',
      'req/s ratio geomean',
      'req/s ratio min',
      'p99 ratio geomean',
    ],
    rows: configs.map((c) => {
      const s = sums.get(c.id)!;
      return [
        c.label,
        `${s.compared}/${total}`,
        fmt(s.cpuGeo),
        ext(s.cpuMax),
        fmt(s.rpsGeo),
        ext(s.rpsMin),
        fmt(s.p99Geo),
      ];
    }),
    numeric: [false, true, true, true, true, true, true],
  };
}

function missingNotes(
  results: Results,
  configs: readonly BenchConfig[],
  tests: readonly BenchTest[],
  names: Names,
): string[] {
  const notes = new Set<string>();
  for (const c of configs) {
    for (const t of tests) {
      const r = results.get(c.id)!.get(t.name)!;
      for (const kind of ['redis', 'cairn'] as const) {
        const m = r[kind].missing;
        if (m !== undefined && !m.startsWith('not implemented')) notes.add(`${kind} ${t.name} (${c.label}): ${m}`);
      }
    }
  }
  const unsupported = (kind: ServerKind): string[] =>
    tests
      .filter((t) => results.get(configs[0]!.id)!.get(t.name)![kind].missing?.startsWith('not implemented'))
      .map((t) => t.name);
  const out: string[] = [];
  for (const kind of ['redis', 'cairn'] as const) {
    const u = unsupported(kind);
    if (u.length) out.push(`${names[kind]} does not implement what these need (n/a): ${u.join(', ')}`);
  }
  return [...out, ...notes];
}

// ---------------------------------------------------------------------------------------------------------
// Main

async function connectSubject(server: RunningServer, tests: readonly BenchTest[]): Promise<Subject> {
  const client = await RespClient.connect(server.port);
  const supported = new Set<string>();
  for (const name of new Set(tests.flatMap((t) => t.requires))) {
    if (await supportsCommand(client, name)) supported.add(name);
  }
  return { kind: server.kind, server, client, supported };
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}

// ---------------------------------------------------------------------------------------------------------
// Durable throughput: SET with the AOF on

/** The fsync policies measured, and the share of a run's requests each gets (`always` waits for the disk). */
const DURABLE_MODES: readonly { readonly fsync: 'everysec' | 'always'; readonly weight: number }[] = [
  { fsync: 'everysec', weight: 1 },
  { fsync: 'always', weight: 0.25 },
];
const DURABLE_CONFIGS: readonly BenchConfig[] = CONFIGS.filter((c) => c.clients === 50);
const DURABLE_TEST: BenchTest = TESTS.find((t) => t.name === 'SET')!;

interface DurableResult {
  readonly summary: Map<string, Summary>;
  readonly settings: string[];
}

/**
 * SET at `-c 50 -P 1` and `-P 16` against both servers started with `appendonly yes` and each fsync policy
 * (automatic log rewrites off on both, so neither spends the run rewriting): alternating rounds as in the main
 * runs, after a warm-up pass.
 */
async function durableRuns(opts: Options, log: (s: string) => void): Promise<DurableResult> {
  const names = namesOf(opts);
  const summary = new Map<string, Summary>();
  const settings: string[] = [];
  for (const mode of DURABLE_MODES) {
    const persistence = ['--save', '', '--appendonly', 'yes', '--appendfsync', mode.fsync];
    const extra = ['--auto-aof-rewrite-percentage', '0'];
    const [redis, cairn] = await Promise.all([
      startRedis({ persistence, extra }),
      startSecond(opts, { persistence, extra }),
    ]);
    try {
      settings.push(
        `durable, ${mode.fsync}: ${names.redis}: ${redis.commandLine}`,
        `durable, ${mode.fsync}: ${names.cairn}: ${cairn.commandLine}`,
      );
      const subjects: Record<ServerKind, Subject> = {
        redis: await connectSubject(redis, [DURABLE_TEST]),
        cairn: await connectSubject(cairn, [DURABLE_TEST]),
      };
      const outcomes = new Map<string, Record<ServerKind, Outcome>>();
      for (const c of DURABLE_CONFIGS) outcomes.set(c.id, { redis: { samples: [] }, cairn: { samples: [] } });
      for (const kind of ['redis', 'cairn'] as const) {
        const n = requestsFor(opts, WARMUP_CONFIG, mode.weight);
        await measure(subjects[kind], WARMUP_CONFIG, DURABLE_TEST, n).catch(() => {});
      }
      for (let round = 0; round < opts.rounds; round++) {
        const order: ServerKind[] = round % 2 === 0 ? ['redis', 'cairn'] : ['cairn', 'redis'];
        log(`durable SET, appendfsync ${mode.fsync}, round ${round + 1}/${opts.rounds}:`);
        for (const c of DURABLE_CONFIGS) {
          log(` ${c.label}`);
          for (const kind of order) {
            const o = outcomes.get(c.id)![kind];
            if (o.missing !== undefined) continue;
            try {
              const n = requestsFor(opts, c, mode.weight);
              o.samples.push(await measureSteady(opts, subjects[kind], c, DURABLE_TEST, n, log));
            } catch (e) {
              o.missing = `error: ${errorText(e)}`;
              log(`(${kind} failed: ${errorText(e)})`);
            }
          }
        }
        log('\n');
      }
      for (const s of Object.values(subjects)) s.client.close();
      for (const c of DURABLE_CONFIGS) {
        const o = outcomes.get(c.id)!;
        summary.set(`SET ${mode.fsync} ${c.label}`, { redis: stat(o.redis), cairn: stat(o.cairn) });
        for (const kind of ['redis', 'cairn'] as const)
          if (o[kind].missing !== undefined)
            settings.push(`durable, ${mode.fsync}, ${c.label}: ${names[kind]} ${o[kind].missing}`);
      }
    } finally {
      await Promise.all([redis.stop(), cairn.stop()]);
    }
  }
  settings.push(
    `durable requests per run: ${DURABLE_MODES.map((m) => `${m.fsync}: ${DURABLE_CONFIGS.map((c) => `${c.label} ${requestsFor(opts, c, m.weight)}`).join(', ')}`).join('; ')}`,
  );
  return { summary, settings };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const machine = describeMachine();
  const started = Date.now();
  const log = (s: string): void => void process.stderr.write(s);

  const names = namesOf(opts);
  log(`Starting ${names.redis} and ${names.cairn}…\n`);
  // The second server's slot is named 'cairn' throughout; with --versus redis it holds a second redis-server.
  const [redis, cairn] = await Promise.all([startRedis(), startSecond(opts)]);
  try {
    const subjects: Record<ServerKind, Subject> = {
      redis: await connectSubject(redis, opts.tests),
      cairn: await connectSubject(cairn, opts.tests),
    };
    for (const s of [redis, cairn])
      log(
        `  ${s === redis ? names.redis : names.cairn}: pid ${s.pid}, ${s.commandLine}\n${s.notes.map((n) => `  note: ${n}\n`).join('')}`,
      );

    const results: Results = new Map();
    for (const c of opts.configs) {
      const perTest = new Map<string, Record<ServerKind, Outcome>>();
      for (const t of opts.tests) {
        const outcome = (kind: ServerKind): Outcome => {
          const lacking = t.requires.filter((r) => !subjects[kind].supported.has(r));
          return lacking.length ? { samples: [], missing: `not implemented: ${lacking.join(', ')}` } : { samples: [] };
        };
        perTest.set(t.name, { redis: outcome('redis'), cairn: outcome('cairn') });
      }
      results.set(c.id, perTest);
    }

    // Warm-up, not measured: every test once against each server, so that Cairn's JIT has compiled the paths the
    // measured runs take (Redis has nothing to warm). Without it the first runs' p99 shows compilation.
    log('warm-up:');
    for (const t of opts.tests) {
      log(` ${t.name}`);
      for (const kind of ['redis', 'cairn'] as const) {
        if (results.get(opts.configs[0]!.id)!.get(t.name)![kind].missing !== undefined) continue;
        await measure(subjects[kind], WARMUP_CONFIG, t, requestsFor(opts, WARMUP_CONFIG, t.weight)).catch(() => {});
      }
    }
    log('\n');

    for (let round = 0; round < opts.rounds; round++) {
      // Alternate which server goes first so neither always runs on a warmer (or busier) machine.
      const order: ServerKind[] = round % 2 === 0 ? ['redis', 'cairn'] : ['cairn', 'redis'];
      for (const c of opts.configs) {
        log(`round ${round + 1}/${opts.rounds} ${c.label}:`);
        for (const t of opts.tests) {
          const requests = requestsFor(opts, c, t.weight);
          const r = results.get(c.id)!.get(t.name)!;
          let shown = false;
          for (const kind of order) {
            const o = r[kind];
            if (o.missing !== undefined) continue;
            if (!shown) log(` ${t.name}`);
            shown = true;
            try {
              o.samples.push(await measureSteady(opts, subjects[kind], c, t, requests, log));
            } catch (e) {
              o.missing = `error: ${errorText(e)}`;
              log(`(${kind} failed: ${errorText(e)})`);
            }
          }
        }
        log('\n');
      }
    }
    for (const s of Object.values(subjects)) s.client.close();
    const durable = opts.durable ? await durableRuns(opts, log) : null;

    // ----- report
    const elapsed = (Date.now() - started) / 1000;
    const mode = opts.quick ? 'quick' : 'full';
    // A run of chosen tests gets files of its own, so it never overwrites the default run's.
    const chosen =
      (opts.tests === TESTS ? '' : '-' + opts.tests.map((t) => t.name.toLowerCase()).join('-')) +
      (opts.versus === 'redis' ? '-redis-vs-redis' : '');
    fs.mkdirSync(opts.outDir, { recursive: true });
    const stamp = resultStamp(opts.outDir, 'throughput', machine.date, `${chosen}${opts.quick ? '-quick' : ''}`);

    const settings = [
      `mode: ${mode}, ${opts.rounds} round(s), ${opts.tests.length} tests × ${opts.configs.length} configs, ${elapsed.toFixed(0)} s`,
      `requests per run at weight 1: ${opts.configs.map((c) => `${c.label}: ${requestsFor(opts, c, 1)}`).join('; ')} (LRANGE_100 ×0.5, LRANGE_600 ×0.2, MSET ×0.5); -r ${KEYSPACE}; -d 3`,
      `server CPU = utime+stime from /proc/<pid>/stat (all threads) across each run, ${CLK_TCK} ticks/s, divided by requests; medians over rounds`,
      `${names.redis}: ${redis.commandLine}`,
      `${names.cairn}: ${cairn.commandLine}`,
      ...[...redis.notes, ...cairn.notes].map((n) => `note: ${n}`),
      ...missingNotes(results, opts.configs, opts.tests, names),
      opts.steal.note(),
    ];

    const summaries = new Map<string, ConfigSummary>();
    const vs = `${names.cairn} / ${names.redis}`;
    const text: string[] = [`${names.cairn} vs ${names.redis} throughput · ${machineLine(machine)}`, ...settings, ''];
    const md: string[] = [
      `# ${names.cairn} vs ${names.redis}: throughput (${mode})`,
      '',
      machineMarkdown(machine),
      '',
      ...settings.map((s) => `- ${s}`),
      '',
      `Ratios are ${vs}: below 1 means ${names.cairn} uses less CPU per request or has lower latency; for req/s above 1 is higher.`,
      opts.versus === 'redis'
        ? "Both servers are the same redis-server (an A/A run): every ratio would be 1 on a quiet machine, and how far they stray is the harness's own spread."
        : 'Targets (issue 6): CPU ratio geomean ≤ 1.1 at `-c 50 -P 16` and `-c 50 -P 1`, none above 1.5; req/s ratio ≥ 0.95; p99 ratio at `-c 50 -P 1` ≤ 1.5.',
      '',
    ];
    const ratioSeries: { name: string; values: (number | null)[] }[] = [];
    for (const c of opts.configs) {
      const summary = summarize(results, c, opts.tests);
      summaries.set(c.id, configSummary(summary));
      const table = configTable(summary, names);
      text.push(`redis-benchmark ${c.label} -r ${KEYSPACE}`, textTable(table), '');
      md.push(`## \`${c.label}\``, '', markdownTable(table), '', `![${c.label}](${stamp}-${c.id}.png)`, '');

      const commands = [...summary.keys()];
      const values = (kind: ServerKind, f: (s: Stat) => number | null) => commands.map((n) => f(summary.get(n)![kind]));
      const panels: BarPanel[] = [
        {
          title: `Server CPU µs per request, ${c.label} (lower is better)`,
          categories: commands,
          series: [
            { name: names.redis, color: COLORS.redis, values: values('redis', (s) => s.cpuUs) },
            { name: names.cairn, color: COLORS.cairn, values: values('cairn', (s) => s.cpuUs) },
          ],
        },
        {
          title: `Requests per second, ${c.label} (higher is better)`,
          categories: commands,
          series: [
            { name: names.redis, color: COLORS.redis, values: values('redis', (s) => s.rps) },
            { name: names.cairn, color: COLORS.cairn, values: values('cairn', (s) => s.rps) },
          ],
        },
      ];
      fs.writeFileSync(path.join(opts.outDir, `${stamp}-${c.id}.png`), renderChart(panels, machineLine(machine)));
      ratioSeries.push({
        name: c.label,
        values: commands.map((n) => ratio(summary.get(n)!.cairn.cpuUs, summary.get(n)!.redis.cpuUs)),
      });
    }
    if (durable !== null) {
      const table = configTable(durable.summary, names);
      text.push('Durable SET (AOF on, appendfsync everysec and always)', textTable(table), ...durable.settings, '');
      md.push(
        '## Durable SET (AOF on)',
        '',
        'SET with `appendonly yes` and each fsync policy on both servers (automatic log rewrites off on both).',
        '',
        markdownTable(table),
        '',
        ...durable.settings.map((s) => `- ${s}`),
        '',
      );
    }
    const overall = overallTable(opts.configs, summaries, opts.tests.length);
    text.push(`Summary (${vs})`, textTable(overall));
    md.push(`## Summary (${vs})`, '', markdownTable(overall), '', `![CPU ratio](${stamp}-cpu-ratio.png)`, '');
    const palette = [COLORS.cairn, COLORS.redis, COLORS.series3];
    fs.writeFileSync(
      path.join(opts.outDir, `${stamp}-cpu-ratio.png`),
      renderChart(
        [
          {
            title: `Server CPU per request, ${vs} (lower is better)`,
            categories: opts.tests.map((t) => t.name),
            series: ratioSeries.map((s, i) => ({ ...s, color: palette[i % palette.length]! })),
            refLines: [
              { value: 1, label: '1.0' },
              { value: 1.1, label: '1.1' },
            ],
          },
        ],
        machineLine(machine),
      ),
    );
    const mdPath = path.join(opts.outDir, `${stamp}.md`);
    fs.writeFileSync(mdPath, md.join('\n'));
    fs.writeFileSync(
      path.join(opts.outDir, `${stamp}.json`),
      JSON.stringify(
        { machine, settings, results: Object.fromEntries([...results].map(([k, v]) => [k, Object.fromEntries(v)])) },
        null,
        1,
      ) + '\n',
    );
    process.stdout.write(text.join('\n') + '\n');
    log(`\nwrote ${path.relative(ROOT, mdPath)} and charts in ${path.relative(ROOT, opts.outDir)}/\n`);
  } finally {
    await Promise.all([redis.stop(), cairn.stop()]);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
