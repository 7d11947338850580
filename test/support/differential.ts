// Differential testing: run the same commands against real Redis and against Cairn and demand the same bytes.
//
// Each script runs on a connection to each server: (HELLO 3 in RESP3 mode,) FLUSHALL, SELECT 0, then the steps
// in order, one request and reply at a time. Replies are compared byte for byte unless a compare mode says
// otherwise:
//   exact            the raw bytes must be equal (the default)
//   unordered        the reply must be the same aggregate type and size, its elements equal as a multiset
//                    (KEYS, SMEMBERS…); map replies are compared as multisets of key/value pairs
//   unordered-pairs  like unordered, with a RESP2 array taken as key/value pairs (HGETALL, CONFIG GET)
//   type             only the kind of reply must match (replyKind: type byte, RESP2 nulls apart); errors
//                    must still match exactly (TIME, RANDOMKEY…)
//   hello            HELLO's map/array must match except the server, version and id fields
//   skip             the reply is read but not compared
// A mode is picked per step: the step's own `mode`, else type if the command is in `ignore`, else
// `modes`, else DEFAULT_MODES, else exact. Names are looked up as "NAME SUBCOMMAND" first, then "NAME".

import assert from 'node:assert';
import { test } from 'node:test';
import {
  RawConnection,
  formatCommand,
  formatReply,
  parseReply,
  replyElements,
  replyKind,
  type RespValue,
} from './resp.js';

export type Args = readonly (string | Buffer)[];
export type CompareMode = 'exact' | 'unordered' | 'unordered-pairs' | 'type' | 'hello' | 'skip';
export type ServerName = 'redis' | 'cairn';
/** Rewrites a reply before comparison (e.g. to blank out a timestamp). Strings are latin1. */
export type Normalizer = (reply: Buffer, args: Args, server: ServerName) => Buffer | string;

/** A step with options. `raw` sends bytes as they are (inline commands, pipelines) and reads `replies` replies. */
export interface Step {
  args?: Args;
  raw?: string | Buffer;
  /** Replies to read after `raw` (default 1). */
  replies?: number;
  mode?: CompareMode;
  normalize?: Normalizer;
}
export type ScriptStep = Args | Step;
export type Script = readonly ScriptStep[];

export interface CompareOptions {
  /** Protocol to speak: 3 sends HELLO 3 first (compared in hello mode). Default 2. */
  resp?: 2 | 3;
  /** Command names ("TIME", "CLIENT ID") whose replies are compared by type only. */
  ignore?: readonly string[];
  /** Compare modes by command name, over DEFAULT_MODES. */
  modes?: Readonly<Record<string, CompareMode>>;
  /** Applied to every reply (after a step's own normalize) before comparison. */
  normalize?: Normalizer;
  /** Per-reply timeout (default 5000 ms). */
  timeoutMs?: number;
}

export interface Endpoint {
  readonly port: number;
  readonly host?: string;
}
export interface PairLike {
  readonly redis: Endpoint;
  readonly cairn: Endpoint;
}

/** Modes used unless overridden: unordered replies, nondeterministic ones, and HELLO. */
export const DEFAULT_MODES: Readonly<Record<string, CompareMode>> = {
  HELLO: 'hello',
  KEYS: 'unordered',
  SMEMBERS: 'unordered',
  SUNION: 'unordered',
  SINTER: 'unordered',
  SDIFF: 'unordered',
  HKEYS: 'unordered',
  HVALS: 'unordered',
  HGETALL: 'unordered-pairs',
  'CONFIG GET': 'unordered-pairs',
  TIME: 'type',
  RANDOMKEY: 'type',
  SRANDMEMBER: 'type',
  SPOP: 'type',
  HRANDFIELD: 'type',
  ZRANDMEMBER: 'type',
  LASTSAVE: 'type',
  INFO: 'type',
  'CLIENT ID': 'type',
  'CLIENT LIST': 'type',
  'CLIENT INFO': 'type',
  'MEMORY USAGE': 'type',
  'DEBUG OBJECT': 'type',
  SCAN: 'type',
  SSCAN: 'type',
  HSCAN: 'type',
  ZSCAN: 'type',
};

const HELLO_SERVER_FIELDS = new Set(['server', 'version', 'id']);

function argText(a: string | Buffer): string {
  return typeof a === 'string' ? a : a.toString('latin1');
}

function stepArgs(step: ScriptStep): Args | undefined {
  return isStep(step) ? step.args : step;
}

function isStep(step: ScriptStep): step is Step {
  return !Array.isArray(step);
}

function lookup(table: Readonly<Record<string, CompareMode>>, args: Args): CompareMode | undefined {
  if (args.length === 0) return undefined;
  const name = argText(args[0]!).toUpperCase();
  if (args.length > 1) {
    const two = table[`${name} ${argText(args[1]!).toUpperCase()}`];
    if (two) return two;
  }
  return table[name];
}

/** The compare mode a step gets under `opts` (see the top of this file). */
export function modeFor(step: ScriptStep, opts: CompareOptions = {}): CompareMode {
  if (isStep(step) && step.mode) return step.mode;
  const args = stepArgs(step);
  if (!args) return 'exact';
  if (opts.ignore && args.length > 0) {
    const name = argText(args[0]!).toUpperCase();
    const two = args.length > 1 ? `${name} ${argText(args[1]!).toUpperCase()}` : undefined;
    if (opts.ignore.some((n) => n.toUpperCase() === name || n.toUpperCase() === two)) return 'type';
  }
  return (opts.modes && lookup(opts.modes, args)) ?? lookup(DEFAULT_MODES, args) ?? 'exact';
}

function sortedElements(elements: Buffer[], pairs: boolean): Buffer[] {
  let units = elements;
  if (pairs) {
    units = [];
    for (let i = 0; i + 1 < elements.length; i += 2) units.push(Buffer.concat([elements[i]!, elements[i + 1]!]));
  }
  return [...units].sort(Buffer.compare);
}

function helloFields(v: RespValue): [string, RespValue][] | undefined {
  let entries: [RespValue, RespValue][];
  if (v instanceof Map) entries = [...v.entries()];
  else if (Array.isArray(v) && v.length % 2 === 0) {
    entries = [];
    for (let i = 0; i < v.length; i += 2) entries.push([v[i]!, v[i + 1]!]);
  } else return undefined;
  return entries
    .filter(([k]) => !(typeof k === 'string' && HELLO_SERVER_FIELDS.has(k.toLowerCase())))
    .map(([k, val]): [string, RespValue] => [String(k), val])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Compares Redis's reply (expected) with Cairn's (actual) under a mode. Returns undefined when they match,
 * else the reason they do not.
 */
export function compareReplies(expected: Buffer, actual: Buffer, mode: CompareMode): string | undefined {
  if (mode === 'skip') return undefined;
  if (mode === 'exact') return expected.equals(actual) ? undefined : 'bytes differ';
  const ek = replyKind(expected);
  const ak = replyKind(actual);
  if (ek !== ak) return `reply kinds differ: ${JSON.stringify(ek)} vs ${JSON.stringify(ak)}`;
  if (ek === '-' || ek === '!') return expected.equals(actual) ? undefined : 'error replies differ';
  switch (mode) {
    case 'type':
      return undefined;
    case 'unordered':
    case 'unordered-pairs': {
      const e = replyElements(expected);
      const a = replyElements(actual);
      if (!e || !a) return expected.equals(actual) ? undefined : 'bytes differ';
      if (e.header !== a.header) return `aggregate headers differ: ${e.header} vs ${a.header}`;
      const pairs = mode === 'unordered-pairs' || e.header.startsWith('%');
      const es = sortedElements(e.elements, pairs);
      const as = sortedElements(a.elements, pairs);
      for (let i = 0; i < es.length; i++) {
        if (!es[i]!.equals(as[i]!)) {
          return `elements differ as multisets (sorted #${i}: ${formatReply(es[i]!, 200)} vs ${formatReply(as[i]!, 200)})`;
        }
      }
      return undefined;
    }
    case 'hello': {
      const e = helloFields(parseReply(expected));
      const a = helloFields(parseReply(actual));
      if (!e || !a) return expected.equals(actual) ? undefined : 'bytes differ';
      try {
        assert.deepStrictEqual(a, e);
      } catch {
        return `HELLO fields other than ${[...HELLO_SERVER_FIELDS].join('/')} differ`;
      }
      return undefined;
    }
  }
}

interface Conns {
  redis: RawConnection;
  cairn: RawConnection;
}

class StepFailure extends Error {}

async function openConns(pair: PairLike): Promise<Conns> {
  const [r, c] = await Promise.allSettled([
    RawConnection.connect(pair.redis.port, pair.redis.host ?? '127.0.0.1'),
    RawConnection.connect(pair.cairn.port, pair.cairn.host ?? '127.0.0.1'),
  ]);
  if (r.status === 'rejected' || c.status === 'rejected') {
    if (r.status === 'fulfilled') await r.value.close();
    if (c.status === 'fulfilled') await c.value.close();
    const which = r.status === 'rejected' ? 'redis' : 'cairn';
    const reason = r.status === 'rejected' ? r.reason : (c as PromiseRejectedResult).reason;
    throw new Error(`could not connect to ${which}: ${(reason as Error).message}`);
  }
  return { redis: r.value, cairn: c.value };
}

async function closeConns(conns: Conns | undefined): Promise<void> {
  if (!conns) return;
  await Promise.all([conns.redis.close(), conns.cairn.close()]);
}

function toBuffer(x: Buffer | string): Buffer {
  return typeof x === 'string' ? Buffer.from(x, 'latin1') : x;
}

interface Transcript {
  lines: string[];
}

function describeStep(step: ScriptStep): string {
  if (isStep(step) && step.raw !== undefined) return `raw ${formatReply(toBuffer(step.raw), 300)}`;
  return formatCommand(stepArgs(step) ?? [], 100);
}

/** Sends one step to both servers, reads the replies and compares them; throws StepFailure on a difference. */
async function runStep(
  conns: Conns,
  step: ScriptStep,
  mode: CompareMode,
  opts: CompareOptions,
  where: string,
  t: Transcript,
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const args = stepArgs(step) ?? [];
  const raw = isStep(step) ? step.raw : undefined;
  const count = raw !== undefined ? ((step as Step).replies ?? 1) : 1;
  const desc = describeStep(step);
  t.lines.push(desc);

  for (const conn of [conns.redis, conns.cairn]) {
    if (raw !== undefined) conn.sendRaw(raw);
    else conn.send(args);
  }
  for (let i = 0; i < count; i++) {
    const [r, c] = await Promise.allSettled([conns.redis.readReply(timeoutMs), conns.cairn.readReply(timeoutMs)]);
    const which = count > 1 ? ` (reply ${i + 1} of ${count})` : '';
    if (r.status === 'rejected' || c.status === 'rejected') {
      const rs = r.status === 'fulfilled' ? formatReply(r.value) : `<${(r.reason as Error).message}>`;
      const cs = c.status === 'fulfilled' ? formatReply(c.value) : `<${(c.reason as Error).message}>`;
      throw new StepFailure(`${where}${which}: no complete reply: ${desc}\n  redis: ${rs}\n  cairn: ${cs}`);
    }
    let expected = r.value;
    let actual = c.value;
    const norms = [isStep(step) ? step.normalize : undefined, opts.normalize].filter((n): n is Normalizer => !!n);
    for (const n of norms) {
      expected = toBuffer(n(expected, args, 'redis'));
      actual = toBuffer(n(actual, args, 'cairn'));
    }
    let reason: string | undefined;
    try {
      reason = compareReplies(expected, actual, mode);
    } catch (err) {
      reason = `could not compare: ${(err as Error).message}`;
    }
    if (reason !== undefined) {
      const e = new StepFailure(
        `${where}${which}: replies differ (${mode}: ${reason}) for ${desc}\n` +
          `  redis: ${formatReply(expected)}\n  cairn: ${formatReply(actual)}`,
      );
      Object.assign(e, { expected: formatReply(expected), actual: formatReply(actual) });
      throw e;
    }
  }
}

async function expectOk(conns: Conns, args: Args, timeoutMs: number): Promise<void> {
  const [r, c] = await Promise.allSettled([conns.redis.call(args, timeoutMs), conns.cairn.call(args, timeoutMs)]);
  for (const [name, res] of [
    ['redis', r],
    ['cairn', c],
  ] as const) {
    if (res.status === 'rejected')
      throw new StepFailure(`setup ${formatCommand(args)} on ${name}: ${(res.reason as Error).message}`);
    if (res.value.toString('latin1') !== '+OK\r\n') {
      throw new StepFailure(`setup ${formatCommand(args)} on ${name} replied ${formatReply(res.value)}, not +OK`);
    }
  }
}

async function prepare(pair: PairLike, opts: CompareOptions, t: Transcript): Promise<Conns> {
  const conns = await openConns(pair);
  try {
    if (opts.resp === 3) {
      const hello: Args = ['HELLO', '3'];
      await runStep(conns, hello, 'hello', opts, 'HELLO 3 (connection setup)', t);
    }
  } catch (err) {
    await closeConns(conns);
    throw err;
  }
  return conns;
}

function fail(err: unknown, label: string, t: Transcript): never {
  if (err instanceof StepFailure) {
    const history = t.lines.map((l, i) => `  ${String(i + 1).padStart(3)}. ${l}`).join('\n');
    const e = err as StepFailure & { expected?: string; actual?: string };
    throw new assert.AssertionError({
      message: `${label}${err.message}\nsteps run on this connection pair:\n${history}`,
      expected: e.expected,
      actual: e.actual,
      operator: 'compareScript',
    });
  }
  throw err;
}

/**
 * Runs the scripts against both servers, each after FLUSHALL and SELECT 0, reusing one connection to each
 * (reopened if a script left it closed; scripts should not leave other connection state behind). Throws an
 * AssertionError naming the script and step of the first difference, with both replies.
 */
export async function compareScripts(
  pair: PairLike,
  scripts: readonly Script[],
  opts: CompareOptions = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  let conns: Conns | undefined;
  let t: Transcript = { lines: [] };
  let label = '';
  try {
    for (let s = 0; s < scripts.length; s++) {
      label = scripts.length > 1 ? `script ${s + 1} of ${scripts.length}: ` : '';
      if (!conns || conns.redis.isClosed || conns.cairn.isClosed) {
        await closeConns(conns);
        conns = undefined;
        t = { lines: [] };
        conns = await prepare(pair, opts, t);
      }
      await expectOk(conns, ['FLUSHALL'], timeoutMs);
      await expectOk(conns, ['SELECT', '0'], timeoutMs);
      t.lines.push(`--- script ${s + 1} (after FLUSHALL, SELECT 0) ---`);
      const script = scripts[s]!;
      for (let i = 0; i < script.length; i++) {
        const step = script[i]!;
        await runStep(conns, step, modeFor(step, opts), opts, `step ${i + 1} of ${script.length}`, t);
      }
    }
  } catch (err) {
    fail(err, label, t);
  } finally {
    await closeConns(conns);
  }
}

/** Runs one script on fresh connections to both servers and compares every reply (see compareScripts). */
export async function compareScript(pair: PairLike, script: Script, opts: CompareOptions = {}): Promise<void> {
  await compareScripts(pair, [script], opts);
}

/**
 * Declares one test per script and protocol, `<name> (RESP2)` for every script and then `<name> (RESP3)`, each
 * comparing that script on `pair()` (called when the test runs) with `opts` and the protocol.
 */
export function scriptTests(
  scripts: Readonly<Record<string, Script>>,
  pair: () => PairLike | Promise<PairLike>,
  opts: Omit<CompareOptions, 'resp'> = {},
): void {
  for (const resp of [2, 3] as const) {
    for (const [name, script] of Object.entries(scripts)) {
      test(`${name} (RESP${resp})`, async () => {
        await compareScripts(await pair(), [script], { ...opts, resp });
      });
    }
  }
}

/** COMMAND INFO and COMMAND DOCS of each row's command, one step each: a family's command-table rows. */
export function commandRowSteps(rows: readonly { readonly name: string }[]): ScriptStep[] {
  return rows.flatMap((row): ScriptStep[] => [
    ['COMMAND', 'INFO', row.name],
    ['COMMAND', 'DOCS', row.name],
  ]);
}

/** Declares the tests `RESP2` and `RESP3`, each comparing `commandRowSteps(rows)` on `pair()`. */
export function commandRowTests(
  rows: readonly { readonly name: string }[],
  pair: () => PairLike | Promise<PairLike>,
): void {
  for (const resp of [2, 3] as const) {
    test(`RESP${resp}`, async () => {
      await compareScripts(await pair(), [commandRowSteps(rows)], { resp });
    });
  }
}
