// Per-command latency histograms for INFO latencystats (latency-tracking, on by default as in Redis 7.0).
//
// Redis keeps an HdrHistogram per command with 2 significant figures over 1 ns … 1 s, fed each call's duration
// (whole microseconds, as nanoseconds), and prints the configured percentiles (latency-tracking-info-percentiles,
// "50 99 99.9") as the highest value equivalent to the one found, in microseconds with three decimals: a 2 µs
// call reads p50=2.007. This is the same bucketing: 256 sub-buckets per power of two, counted in one array.

import { formatFixed } from '../protocol/reply-writer.js';

/** log2 of half the sub-buckets per bucket (2 significant figures: 256 sub-buckets). */
const SUB_HALF_MAG = 7;
const SUB_HALF = 1 << SUB_HALF_MAG;
const SUB_MASK = 2 * SUB_HALF - 1;
/** The range recorded, in ns (Redis's LATENCY_HISTOGRAM_MIN_VALUE / MAX_VALUE). */
const MIN_VALUE = 1;
const MAX_VALUE = 1_000_000_000;
/** Bucket index of a value (values below 2^31). */
const bucketOf = (v: number): number => 32 - Math.clz32(v | SUB_MASK) - (SUB_HALF_MAG + 1);
const COUNTS_LEN = (bucketOf(MAX_VALUE) + 2) * SUB_HALF;

export class LatencyHistogram {
  private readonly counts = new Float64Array(COUNTS_LEN);
  private total = 0;

  /** Records one call of `usec` microseconds. */
  record(usec: number): void {
    let v = usec * 1000;
    if (v < MIN_VALUE) v = MIN_VALUE;
    else if (v > MAX_VALUE) v = MAX_VALUE;
    const b = bucketOf(v);
    this.counts[((b + 1) << SUB_HALF_MAG) + (v >>> b) - SUB_HALF]! += 1;
    this.total++;
  }

  /** How many calls were recorded. */
  get calls(): number {
    return this.total;
  }

  /**
   * LATENCY HISTOGRAM's buckets: [µs, calls so far] at each power of two from 1024 ns, as Redis walks its
   * histogram (a logarithmic iterator reporting, at each level, the highest value equivalent to it and the count
   * up to it), listing only the levels where the count grew.
   */
  cdf(): [number, number][] {
    const out: [number, number][] = [];
    let cum = 0;
    let idx = 0;
    let prev = 0;
    for (let level = 1024; cum < this.total; level *= 2) {
      const b = bucketOf(level);
      const at = Math.min(((b + 1) << SUB_HALF_MAG) + (level >>> b) - SUB_HALF, COUNTS_LEN - 1);
      while (idx <= at) cum += this.counts[idx++]!;
      const lb = (at >> SUB_HALF_MAG) - 1;
      const value = ((at & (SUB_HALF - 1)) + SUB_HALF) * 2 ** lb;
      if (cum > prev) out.push([Math.floor((value + 2 ** lb - 1) / 1000), cum]);
      prev = cum;
      if (at === COUNTS_LEN - 1) break;
    }
    return out;
  }

  /** The value (ns) at percentile p: HdrHistogram's hdr_value_at_percentile. */
  valueAt(p: number): number {
    const want = Math.max(1, Math.floor(((p < 100 ? p : 100) / 100) * this.total + 0.5));
    let seen = 0;
    for (let i = 0; i < COUNTS_LEN; i++) {
      seen += this.counts[i]!;
      if (seen >= want) {
        let b = (i >> SUB_HALF_MAG) - 1;
        let sub = (i & (SUB_HALF - 1)) + SUB_HALF;
        if (b < 0) {
          sub -= SUB_HALF;
          b = 0;
        }
        const lowest = sub * 2 ** b;
        return p === 0 ? lowest : lowest + 2 ** b - 1;
      }
    }
    return 0;
  }
}

/** A percentile as Redis prints it: %f with the trailing zeros (and point) trimmed. */
export function formatPercentile(p: number): string {
  const s = p.toFixed(6);
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** One INFO latencystats line's value: `p50=2.007,p99=…` for the given percentiles. */
export function percentilesText(h: LatencyHistogram, percentiles: readonly number[]): string {
  return percentiles.map((p) => `p${formatPercentile(p)}=${formatFixed(h.valueAt(p) / 1000, 3)}`).join(',');
}
