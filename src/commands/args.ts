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

const DEC_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF = /^([+-]?)inf(?:inity)?$/i;

/**
 * Parses a double as Redis does with strtod plus its checks: no leading space, no trailing garbage, not NaN,
 * and no overflow to ±HUGE_VAL or underflow to zero from a nonzero literal. "inf" and "-inf" are accepted.
 */
export function parseDouble(s: string): number | undefined {
  if (s.length === 0 || s.length > 5120) return undefined;
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
    const intPart = hex[2] || '0';
    const frac = hex[3] ?? '';
    let v = parseInt(intPart, 16);
    for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
    v *= 2 ** Number(hex[4] ?? '0');
    if (!Number.isFinite(v)) return undefined;
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
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
