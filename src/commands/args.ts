// Argument parsing with Redis's exact rules: strict 64-bit integers (string2ll), strtod-style doubles.

import { Err, ReplyError } from '../errors.js';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/**
 * Parses a signed 64-bit integer the way Redis's string2ll does: no spaces, no '+', no leading zeros, "-0"
 * rejected. Returns undefined when the text is not such a number.
 */
export function parseLL(s: string): bigint | undefined {
  const n = s.length;
  if (n === 0 || n >= 21) return undefined;
  if (n === 1 && s === '0') return 0n;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    i = 1;
    if (n === 1) return undefined;
  }
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return undefined;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  const v = BigInt(s);
  if (v > LLONG_MAX || v < LLONG_MIN) return undefined;
  return v;
}

/**
 * Like parseLL but returns a JS number; values beyond ±2^53 keep their magnitude but may lose precision, which
 * is harmless where they are only compared or clamped (indexes, counts). Fast path for short strings.
 */
export function parseInteger(s: string): number | undefined {
  const n = s.length;
  if (n > 0 && n < 16) {
    let i = 0;
    let neg = false;
    if (s.charCodeAt(0) === 45) {
      neg = true;
      i = 1;
      if (n === 1) return undefined;
    }
    const first = s.charCodeAt(i);
    if (first === 48) return n === 1 ? 0 : undefined;
    if (first < 49 || first > 57) return undefined;
    let v = first - 48;
    for (let j = i + 1; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c < 48 || c > 57) return undefined;
      v = v * 10 + (c - 48);
    }
    return neg ? -v : v;
  }
  const b = parseLL(s);
  return b === undefined ? undefined : Number(b);
}

/** An integer argument or the standard error. */
export function intArg(s: string, err: string = Err.notInteger): number {
  const v = parseInteger(s);
  if (v === undefined) throw new ReplyError(err);
  return v;
}

/** A 64-bit integer argument as a bigint, or the standard error. */
export function bigintArg(s: string, err: string = Err.notInteger): bigint {
  const v = parseLL(s);
  if (v === undefined) throw new ReplyError(err);
  return v;
}

/** A non-negative integer within [min, max], or the given error. */
export function rangedIntArg(s: string, min: number, max: number, err: string = Err.notInteger): number {
  const v = parseInteger(s);
  if (v === undefined || v < min || v > max) throw new ReplyError(err);
  return v;
}

// `\d+(?:\.\d*)?` rather than `\d+\.?\d*`: the latter backtracks quadratically on a long run of digits that fails
// to match (a score of a million digits and a letter would hold the server for minutes).
const DEC_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF = /^([+-]?)inf(?:inity)?$/i;

/**
 * Parses a double as Redis does with strtod plus its checks: no leading space, no trailing garbage, not NaN,
 * and no overflow to ±HUGE_VAL or underflow to zero from a nonzero literal. "inf" and "-inf" are accepted.
 */
export function parseDouble(s: string): number | undefined {
  // No length limit: Redis reads these with strtod (the 5120-char limit is its long-double reader's).
  if (s.length === 0) return undefined;
  if (DEC_FLOAT.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return undefined;
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return undefined;
    return v;
  }
  const inf = INF.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  const hex = HEX_FLOAT.exec(s);
  if (hex && (hex[2]!.length > 0 || (hex[3] ?? '').length > 0)) {
    const { v, zero } = hexParts(hex[2]!, hex[3] ?? '', Number(hex[4] ?? '0'));
    // Overflow, and a nonzero number that underflows to 0: strtod's ERANGE, which Redis refuses.
    if (!Number.isFinite(v) || (v === 0 && !zero)) return undefined;
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

/**
 * m × 2^e as the nearest double (ties to even), as strtod rounds a hexadecimal float: once, to 53 bits, or to
 * fewer for a subnormal result. Infinity when it overflows, 0 when it underflows; `inexact` tells whether bits
 * were rounded off (strtod's ERANGE for a subnormal result depends on it).
 */
export function hexDouble(m: bigint, e: number): { v: number; inexact: boolean } {
  if (m === 0n) return { v: 0, inexact: false };
  const bits = m.toString(2).length;
  const top = bits - 1 + e; // the exponent of m's leading bit
  if (top > 1023) return { v: Infinity, inexact: true };
  // Significant bits the result keeps: 53, fewer below the normal range (none at all below 2^-1075).
  const keep = top >= -1022 ? 53 : top + 1075;
  if (keep < 0) return { v: 0, inexact: true };
  const shift = bits - keep;
  let q = m;
  let inexact = false;
  if (shift > 0) {
    const s = BigInt(shift);
    q = m >> s;
    const rest = m - (q << s);
    inexact = rest !== 0n;
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  }
  const scale = e + (shift > 0 ? shift : 0);
  // Number(q) is exact (at most 54 bits); the power of two is applied in two steps so neither overflows.
  const half = Math.trunc(scale / 2);
  return { v: Number(q) * 2 ** half * 2 ** (scale - half), inexact };
}

/** A hexadecimal float's parts (digits before and after the point, binary exponent) as hexDouble reads them. */
export function hexParts(intPart: string, frac: string, exp: number): { v: number; inexact: boolean; zero: boolean } {
  const m = BigInt('0x' + (intPart || '0') + frac);
  return { ...hexDouble(m, exp - 4 * frac.length), zero: m === 0n };
}

/**
 * Whether a range given by two negative indexes is empty (start after end), as Redis compares them: as 64-bit
 * integers. Their doubles can be equal when the integers are not (beyond 2^53), so equal ones are compared exactly.
 */
export function negativeRangeEmpty(start: number, end: number, startArg: string, endArg: string): boolean {
  if (!(start < 0 && end < 0)) return false;
  if (start !== end) return start > end;
  return startArg !== endArg && BigInt(startArg) > BigInt(endArg);
}

export function doubleArg(s: string, err: string = Err.notFloat): number {
  const v = parseDouble(s);
  if (v === undefined) throw new ReplyError(err);
  return v;
}

/** Case-insensitive comparison of an argument with a lowercase keyword. */
export function is(arg: string, lower: string): boolean {
  return arg.length === lower.length && (arg === lower || arg.toLowerCase() === lower);
}
