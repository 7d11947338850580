// Glob matching with Redis 7.0 stringmatchlen semantics (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET) over latin1 strings.

// Token codes: a byte (>= 0) is a literal; these negatives are the rest; CLASS_BASE - i is classes[i].
const STAR = -1;
const ANY = -2;
const CLASS_BASE = -3;

// Redis gives up (no match) once matching nests through more than this many '*' groups.
const MAX_STAR_NESTING = 1000;

interface Compiled {
  readonly tokens: Int32Array;
  readonly classes: Uint8Array[];
  readonly nocase: boolean;
  /** Never matches a non-empty subject (too many '*' groups for Redis's nesting limit). */
  readonly hopeless: boolean;
  readonly empty: boolean;
}

/** ASCII-only case folding: Redis runs in the C locale, where tolower touches only A-Z. */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** C `char` is signed on the platforms Redis ships for, and class ranges compare those signed values. */
function signedChar(c: number): number {
  return c > 127 ? c - 256 : c;
}

/** glibc tolower() in the C locale applied to a signed char: negatives other than EOF map to c + 256. */
function cTolower(v: number): number {
  if (v >= 65 && v <= 90) return v + 32;
  if (v <= -2) return v + 256;
  return v;
}

/** Parses the class starting after '['; returns its byte table and the index just past it. */
function compileClass(p: string, start: number, nocase: boolean): { table: Uint8Array; next: number } {
  const len = p.length;
  const table = new Uint8Array(256);
  let i = start;
  const negate = i < len && p.charCodeAt(i) === 0x5e; // '^'
  if (negate) i++;
  let next: number;
  for (;;) {
    if (i < len && p.charCodeAt(i) === 0x5c && len - i >= 2) {
      // An escaped char inside a class is compared exactly, even with nocase (as Redis does).
      i++;
      table[p.charCodeAt(i) & 0xff] = 1;
    } else if (i < len && p.charCodeAt(i) === 0x5d) {
      next = i + 1;
      break;
    } else if (i >= len) {
      // Unterminated class: the end of the pattern closes it.
      next = len;
      break;
    } else if (len - i >= 3 && p.charCodeAt(i + 1) === 0x2d) {
      let lo = signedChar(p.charCodeAt(i) & 0xff);
      let hi = signedChar(p.charCodeAt(i + 2) & 0xff);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (nocase) {
        lo = cTolower(lo);
        hi = cTolower(hi);
      }
      for (let c = 0; c < 256; c++) {
        const v = nocase ? cTolower(signedChar(c)) : signedChar(c);
        if (v >= lo && v <= hi) table[c] = 1;
      }
      i += 2;
    } else {
      const lit = p.charCodeAt(i) & 0xff;
      if (nocase) {
        const f = fold(lit);
        for (let c = 0; c < 256; c++) if (fold(c) === f) table[c] = 1;
      } else {
        table[lit] = 1;
      }
    }
    i++;
  }
  if (negate) for (let c = 0; c < 256; c++) table[c] = table[c] === 1 ? 0 : 1;
  return { table, next };
}

function compile(p: string, nocase: boolean): Compiled {
  const toks: number[] = [];
  const classes: Uint8Array[] = [];
  const len = p.length;
  let i = 0;
  while (i < len) {
    const ch = p.charCodeAt(i);
    if (ch === 0x2a) {
      if (toks[toks.length - 1] !== STAR) toks.push(STAR);
      i++;
    } else if (ch === 0x3f) {
      toks.push(ANY);
      i++;
    } else if (ch === 0x5b) {
      const { table, next } = compileClass(p, i + 1, nocase);
      toks.push(CLASS_BASE - classes.length);
      classes.push(table);
      i = next;
    } else {
      // A trailing backslash is a literal backslash.
      if (ch === 0x5c && i + 1 < len) i++;
      const lit = p.charCodeAt(i) & 0xff;
      toks.push(nocase ? fold(lit) : lit);
      i++;
    }
  }
  let innerStars = 0;
  for (let t = 0; t < toks.length - 1; t++) if (toks[t] === STAR) innerStars++;
  return {
    tokens: Int32Array.from(toks),
    classes,
    nocase,
    hopeless: innerStars > MAX_STAR_NESTING,
    empty: len === 0,
  };
}

// Every non-star token consumes exactly one char, so backtracking to the latest star alone is exact and keeps
// matching O(pattern × subject); it gives the same answers as Redis's recursion with its skip-longer-matches cut.
function run(c: Compiled, s: string): boolean {
  const n = s.length;
  // Redis never enters its loop for an empty subject: only the empty pattern matches it (even "*" does not).
  if (n === 0) return c.empty;
  if (c.hopeless) return false;
  const { tokens, classes, nocase } = c;
  const m = tokens.length;
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < n) {
    if (p < m) {
      const t = tokens[p]!;
      if (t === STAR) {
        if (p === m - 1) return true;
        starP = p;
        starI = i;
        p++;
        continue;
      }
      const ch = s.charCodeAt(i);
      let ok: boolean;
      if (t >= 0) ok = (nocase ? fold(ch) : ch) === t;
      else if (t === ANY) ok = true;
      else ok = classes[CLASS_BASE - t]![ch] === 1;
      if (ok) {
        p++;
        i++;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    i = ++starI;
  }
  while (p < m && tokens[p] === STAR) p++;
  return p === m;
}

const cache = new Map<string, Compiled>();
const CACHE_MAX = 256;

function compiled(pattern: string, nocase: boolean): Compiled {
  const key = (nocase ? '1' : '0') + pattern;
  let c = cache.get(key);
  if (c === undefined) {
    c = compile(pattern, nocase);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, c);
  }
  return c;
}

/** Whether `subject` matches the glob `pattern` exactly as Redis 7.0's stringmatchlen decides. */
export function globMatch(pattern: string, subject: string, nocase = false): boolean {
  return run(compiled(pattern, nocase), subject);
}

/** A reusable matcher for one pattern, for callers testing many subjects (KEYS, SCAN). */
export function compileGlob(pattern: string, nocase = false): (subject: string) => boolean {
  const c = compile(pattern, nocase);
  return (subject) => run(c, subject);
}

/**
 * The one string a case-sensitive pattern can match when it has no wildcards or classes (escapes are resolved),
 * so a caller can look it up directly; undefined when the pattern has any '*', '?' or '['.
 */
export function isPlainPattern(p: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = 0; i < p.length; i++) {
    const ch = p.charCodeAt(i);
    if (ch === 0x2a || ch === 0x3f || ch === 0x5b) return undefined;
    if (ch === 0x5c && i + 1 < p.length) {
      out += p.slice(from, i);
      from = i + 1;
      i++;
    }
  }
  return from === 0 ? p : out + p.slice(from);
}
