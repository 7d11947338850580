// SLOWLOG entries and the basic LATENCY monitor.

import type { Config } from '../config.js';
import type { Client } from './client.js';

export interface SlowLogEntry {
  id: number;
  time: number;
  usec: number;
  argv: string[];
  addr: string;
  name: string;
}

/**
 * Marks argument `i` of the current command as secret: SLOWLOG and MONITOR show it as "(redacted)", as Redis does
 * for AUTH and HELLO passwords, ACL SETUSER rules and sensitive CONFIG SET values.
 */
export function redactArg(c: Client, i: number): void {
  (c.redactedArgs ??= []).push(i);
}

/** The argv with the redacted positions replaced. */
export function redactedArgv(argv: readonly string[], redacted: readonly number[]): string[] {
  const out = argv.slice();
  for (const i of redacted) if (i < out.length) out[i] = '(redacted)';
  return out;
}

const MAX_ARGS = 32;
const MAX_ARG_LEN = 128;

export class SlowLog {
  entries: SlowLogEntry[] = [];
  private nextId = 0;

  constructor(private readonly config: Config) {}

  record(c: Client, argv: string[], usec: number): void {
    const threshold = this.config.values['slowlog-log-slower-than'];
    if (threshold < 0 || usec < threshold) return;
    const max = this.config.values['slowlog-max-len'];
    const args: string[] = [];
    const n = Math.min(argv.length, MAX_ARGS);
    for (let i = 0; i < n; i++) {
      if (i === MAX_ARGS - 1 && argv.length > MAX_ARGS) {
        args.push(`... (${argv.length - MAX_ARGS + 1} more arguments)`);
        break;
      }
      // A BigString value too (src/types/big-string.ts): it has a string's length and slice.
      const a = argv[i]!;
      args.push(a.length > MAX_ARG_LEN ? `${a.slice(0, MAX_ARG_LEN)}... (${a.length - MAX_ARG_LEN} more bytes)` : a);
    }
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      usec,
      argv: args,
      addr: c.addr,
      name: c.name,
    });
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries = [];
  }
}

export interface LatencySample {
  time: number;
  ms: number;
}

/** LATENCY: per-event latest samples and maxima, recorded when an event exceeds latency-monitor-threshold. */
export class LatencyMonitor {
  events = new Map<string, { samples: LatencySample[]; max: number }>();

  add(event: string, ms: number, threshold: number): void {
    if (threshold <= 0 || ms < threshold) return;
    let e = this.events.get(event);
    if (!e) {
      e = { samples: [], max: 0 };
      this.events.set(event, e);
    }
    const time = Math.floor(Date.now() / 1000);
    const last = e.samples[e.samples.length - 1];
    if (last && last.time === time) last.ms = Math.max(last.ms, ms);
    else e.samples.push({ time, ms });
    if (e.samples.length > 160) e.samples.shift();
    e.max = Math.max(e.max, ms);
  }

  reset(names?: string[]): number {
    if (!names || names.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const x of names) if (this.events.delete(x)) n++;
    return n;
  }
}

/**
 * An instantaneous rate (ops/sec, bytes/sec) from samples taken every 100 ms over the last 1.6 s, as INFO shows:
 * the mean over 16 sample slots, which start at zero (as Redis averages them, a rate ramps up after a start or a
 * CONFIG RESETSTAT).
 */
export class InstantaneousMetric {
  private samples: number[] = [];
  private lastTime = 0;
  private lastValue = 0;

  /** Records the counter's current value. */
  sample(value: number, nowMs: number): void {
    if (this.lastTime > 0 && nowMs > this.lastTime) {
      this.samples.push(((value - this.lastValue) * 1000) / (nowMs - this.lastTime));
      if (this.samples.length > SAMPLES) this.samples.shift();
    }
    this.lastTime = nowMs;
    this.lastValue = value;
  }

  /** CONFIG RESETSTAT: the counter restarts from zero now, and the samples are cleared. */
  reset(nowMs: number): void {
    this.samples = [];
    this.lastTime = nowMs;
    this.lastValue = 0;
  }

  /** The mean of the recent per-second rates. */
  rate(): number {
    let sum = 0;
    for (const x of this.samples) sum += x;
    return sum / SAMPLES;
  }
}

const SAMPLES = 16;
