// Shared pieces of the benchmark reports: statistics, the machine description, and tables rendered both as
// aligned text for the terminal and as Markdown.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function geomean(xs: readonly number[]): number | null {
  const pos = xs.filter((x) => x > 0 && Number.isFinite(x));
  if (pos.length === 0) return null;
  return Math.exp(pos.reduce((acc, x) => acc + Math.log(x), 0) / pos.length);
}

export function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

export type Cell = string | number | null;

/** Formats a number for a table cell with `digits` decimals; null → "n/a". */
export function fmt(v: number | null, digits = 2): string {
  if (v === null || !Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtBytes(n: number | null): string {
  if (n === null) return 'n/a';
  const mib = n / (1024 * 1024);
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(1)} MiB`;
}

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns to right-align (numbers); the others are left-aligned. */
  readonly numeric?: readonly boolean[];
}

export function textTable(t: Table): string {
  const widths = t.headers.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (t.numeric?.[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(t.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n');
}

export function markdownTable(t: Table): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const align = t.headers.map((_, i) => (t.numeric?.[i] ? '---:' : ':---'));
  return [
    `| ${t.headers.map(esc).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export interface Machine {
  readonly date: string;
  readonly nproc: number;
  readonly memTotal: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  readonly redis: string;
  readonly loadavg: readonly number[];
}

function firstLine(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The base name of a run's result files in `dir`: `<kind>-<date><suffix>`, or, when a run of the same day already
 * wrote that name, `<kind>-<date>-<HHMM><suffix>` with this run's start time (UTC): an earlier run's files, which
 * the README may quote, are never overwritten.
 */
export function resultStamp(dir: string, kind: string, date: string, suffix = ''): string {
  const day = `${kind}-${date.slice(0, 10)}${suffix}`;
  if (!fs.existsSync(`${dir}/${day}.md`)) return day;
  return `${kind}-${date.slice(0, 10)}-${date.slice(11, 13)}${date.slice(14, 16)}${suffix}`;
}

export function describeMachine(): Machine {
  let nproc = os.availableParallelism();
  const fromNproc = Number(firstLine('nproc', []));
  if (Number.isInteger(fromNproc) && fromNproc > 0) nproc = fromNproc;
  let memTotal = os.totalmem();
  try {
    const m = /^MemTotal:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'latin1'));
    if (m) memTotal = Number(m[1]) * 1024;
  } catch {
    // keep os.totalmem()
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc,
    memTotal,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    redis: firstLine('redis-server', ['--version']),
    loadavg: os.loadavg(),
  };
}

export function machineMarkdown(m: Machine): string {
  return [
    `- date: ${m.date}`,
    `- machine: ${m.nproc} CPUs (\`nproc\`), ${fmtBytes(m.memTotal)} memory, ${m.cpuModel}, ${m.kernel}`,
    `- load average at start: ${m.loadavg.map((x) => x.toFixed(2)).join(' ')}`,
    `- Node ${m.node}; ${m.redis}`,
  ].join('\n');
}

export function machineLine(m: Machine): string {
  return `${m.date} · ${m.nproc} CPUs · ${fmtBytes(m.memTotal)} · load ${m.loadavg.map((x) => x.toFixed(2)).join(' ')} · Node ${m.node}`;
}

/** Runs a benchmark's `main`; if it fails, prints `<name> failed: <stack>` and exits with status 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
