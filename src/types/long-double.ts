// Exact x87 80-bit long double parsing, addition and printing, so INCRBYFLOAT/HINCRBYFLOAT reply like Redis 7.0.

/**
 * A finite value is (-1)^neg × mant × 2^exp with mant < 2^64: normals have mant ≥ 2^63, subnormals have
 * exp = MIN_EXP. Zero is mant 0 (signed).
 */
export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly mant: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan' };

const MANT_BITS = 64;
/** Exponent of the last mantissa bit of subnormals and of the smallest normal binade (2^-16382 = 2^63 × 2^-16445). */
const MIN_EXP = -16445;
/** Exponent of the last mantissa bit of the largest binade (max = (2^64 - 1) × 2^16320). */
const MAX_EXP = 16320;
const TOP = 1n << 64n;
const HIDDEN = 1n << 63n;
/** Redis's MAX_LONG_DOUBLE_CHARS: strings this long or longer are rejected before parsing. */
const MAX_CHARS = 5 * 1024;

const NAN: LongDouble = { kind: 'nan' };

function zero(neg: boolean): LongDouble {
  return { kind: 'finite', neg, mant: 0n, exp: 0 };
}

function inf(neg: boolean): LongDouble {
  return { kind: 'inf', neg };
}

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/**
 * Rounds (n + ε) × 2^e to the nearest long double, ties to even, where ε ∈ (0, 1) is present iff `sticky`.
 * Callers passing `sticky` give n at least 66 bits so the rounding point lies above ε.
 */
function round(neg: boolean, n: bigint, e: number, sticky: boolean): LongDouble {
  if (n === 0n) return zero(neg);
  let te = e + bitLength(n) - MANT_BITS;
  if (te < MIN_EXP) te = MIN_EXP;
  let m: bigint;
  if (te <= e) {
    m = n << BigInt(e - te);
  } else {
    const s = BigInt(te - e);
    m = n >> s;
    const rest = n & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (sticky || (m & 1n) === 1n))) {
      m += 1n;
      if (m === TOP) {
        m = HIDDEN;
        te++;
      }
    }
  }
  if (m === 0n) return zero(neg);
  if (te > MAX_EXP) return inf(neg);
  return { kind: 'finite', neg, mant: m, exp: te };
}

const pow5Cache = new Map<number, bigint>();
function pow5(k: number): bigint {
  let v = pow5Cache.get(k);
  if (v === undefined) {
    v = 5n ** BigInt(k);
    if (pow5Cache.size > 64) pow5Cache.clear();
    pow5Cache.set(k, v);
  }
  return v;
}

/** Exponent digits saturate here: far beyond any representable magnitude, yet safe integer arithmetic. */
function parseExponent(sign: string | undefined, digits: string): number {
  const stripped = digits.replace(/^0+/, '');
  const v = stripped.length > 9 ? 1e9 : Number(stripped || '0');
  return sign === '-' ? -v : v;
}

/** digits × 10^exp10, correctly rounded; undefined when it overflows or underflows to zero (strtold's ERANGE). */
function fromDecimal(neg: boolean, digits: string, exp10: number): LongDouble | undefined {
  const sig = digits.replace(/^0+/, '');
  if (sig === '') return zero(neg);
  const nd = sig.length;
  // Whole decades outside the range: ≥ 1e4933 overflows, < 1e-4951 is below half the smallest subnormal.
  if (nd - 1 + exp10 >= 4933) return undefined;
  if (nd + exp10 <= -4951) return undefined;
  const d = BigInt(sig);
  let r: LongDouble;
  if (exp10 >= 0) {
    r = round(neg, d * 10n ** BigInt(exp10), 0, false);
  } else {
    // d / 10^k = (d / 5^k) × 2^-k: divide with enough quotient bits, keep the remainder as a sticky bit.
    const k = -exp10;
    const den = pow5(k);
    const sh = Math.max(0, 66 + bitLength(den) - bitLength(d));
    const num = d << BigInt(sh);
    const q = num / den;
    r = round(neg, q, -k - sh, q * den !== num);
  }
  if (r.kind === 'inf' || (r.kind === 'finite' && r.mant === 0n)) return undefined;
  return r;
}

function fromHex(neg: boolean, intDigits: string, fracDigits: string, exp2: number): LongDouble | undefined {
  const all = (intDigits + fracDigits).replace(/^0+/, '');
  if (all === '') return zero(neg);
  const h = BigInt('0x' + all);
  const e = exp2 - 4 * fracDigits.length;
  const top = bitLength(h) + e; // value < 2^top
  if (top > 16384 + 1) return undefined;
  if (top < MIN_EXP - 2) return undefined;
  const r = round(neg, h, e, false);
  if (r.kind === 'inf' || (r.kind === 'finite' && r.mant === 0n)) return undefined;
  return r;
}

const DEC_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?)([0-9]+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?)([0-9]+))?$/;
const INF_RE = /^([+-]?)inf(?:inity)?$/i;

/**
 * Parses like Redis's string2ld: strtold over the whole string (decimal, hex floats, inf/infinity), rejecting
 * empty or ≥ 5120-char input, leading whitespace, trailing garbage (embedded NULs included), NaN, and results
 * that overflow or underflow to zero. Infinity written out is accepted.
 */
export function parseLongDouble(s: string): LongDouble | undefined {
  if (s.length === 0 || s.length >= MAX_CHARS) return undefined;
  let m = HEX_RE.exec(s);
  if (m !== null) {
    const int = m[2]!;
    const frac = m[3] ?? '';
    if (int === '' && frac === '') return undefined;
    const exp = m[5] === undefined ? 0 : parseExponent(m[4], m[5]);
    return fromHex(m[1] === '-', int, frac, exp);
  }
  m = DEC_RE.exec(s);
  if (m !== null) {
    const int = m[2]!;
    const frac = m[3] ?? '';
    if (int === '' && frac === '') return undefined;
    const exp = m[5] === undefined ? 0 : parseExponent(m[4], m[5]);
    return fromDecimal(m[1] === '-', int + frac, exp - frac.length);
  }
  m = INF_RE.exec(s);
  if (m !== null) return inf(m[1] === '-');
  return undefined;
}

/** An integer as a long double (exact up to 64 significant bits, rounded beyond). */
export function longDoubleFromBigInt(n: bigint): LongDouble {
  return n < 0n ? round(true, -n, 0, false) : round(false, n, 0, false);
}

export function isFiniteLD(x: LongDouble): boolean {
  return x.kind === 'finite';
}

export function isNaNLD(x: LongDouble): boolean {
  return x.kind === 'nan';
}

/** a + b rounded to nearest-even at 64 mantissa bits, with IEEE signed-zero, infinity and NaN rules. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'inf') return b.kind === 'inf' && b.neg !== a.neg ? NAN : a;
  if (b.kind === 'inf') return b;
  if (a.mant === 0n && b.mant === 0n) return zero(a.neg && b.neg);
  const e = Math.min(a.exp, b.exp);
  const va = a.mant << BigInt(a.exp - e);
  const vb = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -va : va) + (b.neg ? -vb : vb);
  // An exact zero sum of non-zero operands is +0 when rounding to nearest.
  if (sum === 0n) return zero(false);
  return sum < 0n ? round(true, -sum, e, false) : round(false, sum, e, false);
}

const TEN17 = 10n ** 17n;

/** printf("%.17Lf"): the exact binary value rounded to 17 decimals, ties to even (glibc's default mode). */
export function formatLongDoubleFixed17(x: LongDouble): string {
  if (x.kind === 'nan') return 'nan';
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  let scaled: bigint; // the value × 10^17, rounded to an integer
  if (x.exp >= 0) {
    scaled = (x.mant << BigInt(x.exp)) * TEN17;
  } else {
    const k = BigInt(-x.exp);
    const num = x.mant * TEN17;
    scaled = num >> k;
    const rest = num & ((1n << k) - 1n);
    const half = 1n << (k - 1n);
    if (rest > half || (rest === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const frac = (scaled % TEN17).toString().padStart(17, '0');
  return (x.neg ? '-' : '') + (scaled / TEN17).toString() + '.' + frac;
}

/**
 * Redis's human-friendly long double text (ld2string LD_STR_HUMAN): %.17Lf with trailing zeros and a trailing
 * '.' removed, and "-0" turned into "0".
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.kind !== 'finite') return formatLongDoubleFixed17(x);
  let s = formatLongDoubleFixed17(x);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 0x30) end--;
  if (s.charCodeAt(end - 1) === 0x2e) end--;
  s = s.slice(0, end);
  return s === '-0' ? '0' : s;
}

/**
 * INCRBYFLOAT's arithmetic on stored text: 'notfloat' when either string is not a valid float, 'nan' when the
 * sum is NaN or infinite; otherwise the new value as Redis stores and replies it.
 */
export function incrByFloat(current: string, incr: string): { value: string } | { error: 'notfloat' | 'nan' } {
  const a = parseLongDouble(current);
  if (a === undefined) return { error: 'notfloat' };
  const b = parseLongDouble(incr);
  if (b === undefined) return { error: 'notfloat' };
  const sum = addLongDouble(a, b);
  if (sum.kind !== 'finite') return { error: 'nan' };
  return { value: formatLongDoubleHuman(sum) };
}
