// SORT and SORT_RO: sort the elements of a list, set or sorted set (optionally by external keys, fetching
// external keys), reply with them or store them as a list.

import { isBig } from '../types/big-string.js';
import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { Database, Slot } from '../keyspace/db.js';
import { notify, NOTIFY_GENERIC, NOTIFY_LIST } from '../keyspace/notify.js';
import { ListValue } from '../types/list.js';
import type { RandomSet } from '../types/random-set.js';
import type { SortedSet } from '../types/sorted-set.js';
import type { Hash } from '../types/hash.js';
import { own } from '../types/own-string.js';
import { bigintArg, hexParts, is } from './args.js';
import { type ArgSpec, type CommandSpec, type KeySpecFlag, rangeKeySpec } from './spec.js';

const ERR_SCORES = "ERR One or more scores can't be converted into double";

/** Text up to the first NUL byte (what C string functions see). */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

const WS = /^[ \t\n\v\f\r]*/;
// Linear on long digit runs (see DEC_FLOAT in args.ts).
const DEC = /^[+-]?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF = /^([+-]?)inf(?:inity)?$/i;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * A value as C's strtod reads it when the whole text (up to a NUL) must be consumed, rejecting NaN and
 * out-of-range results (overflow, or underflow to zero or a subnormal); undefined when it cannot be used.
 */
export function strtodScore(raw: string): number | undefined {
  let s = cstr(raw);
  if (s === '') return 0;
  s = s.slice(WS.exec(s)![0].length);
  let m = INF.exec(s);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  let v: number;
  let nonzero: boolean;
  let exact = false;
  if ((m = HEX.exec(s))) {
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    if (intPart === '' && frac === '') return undefined;
    const h = hexParts(intPart, frac, m[4] !== undefined ? Number(m[4]) : 0);
    nonzero = !h.zero;
    // An exact subnormal is not an underflow for strtod (only an inexact one sets ERANGE).
    exact = !h.inexact;
    v = m[1] === '-' ? -h.v : h.v;
  } else if ((m = DEC.exec(s))) {
    v = Number(s);
    nonzero = /[1-9]/.test((m[1] ?? '') + (m[2] ?? '') + (m[3] ?? ''));
  } else {
    return undefined;
  }
  if (!Number.isFinite(v)) return undefined;
  if (nonzero && Math.abs(v) < MIN_NORMAL && !exact) return undefined;
  return v;
}

function binaryCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C / C.UTF-8 locale: byte order, up to the first NUL. */
function collate(a: string, b: string): number {
  return binaryCompare(cstr(a), cstr(b));
}

/**
 * Redis's pattern lookup: `#` is the element itself; otherwise the first `*` is replaced by the element and,
 * when `->field` follows it, the field of that hash is read. A pattern without `*` finds nothing.
 */
function lookupByPattern(c: Client, db: Database, pattern: string, elem: string): string | undefined {
  const visible = cstr(pattern);
  if (visible === '#') return elem;
  const star = visible.indexOf('*');
  if (star < 0) return undefined;
  const arrow = visible.indexOf('->', star + 1);
  let field: string | undefined;
  let keyEnd = pattern.length;
  if (arrow >= 0 && arrow + 2 < visible.length) {
    field = pattern.slice(arrow + 2);
    keyEnd = arrow;
  }
  const key = pattern.slice(0, star) + elem + pattern.slice(star + 1, keyEnd);
  const e = db.lookupRead(key);
  if (e === undefined) return undefined;
  const v = db.vals[e]!;
  if (field !== undefined) {
    if (typeof v === 'string' || v.type !== 'hash') return undefined;
    return (v as Hash).getOwned(field);
  }
  return typeof v === 'string' ? v : isBig(v) ? v.toString() : undefined;
}

/**
 * Partial quicksort (Bentley and McIlroy's, as BSD libc has it, pruned to the partitions that overlap ranks
 * lo..hi). Redis sorts with it when BY and LIMIT are both given; it is not stable, so equal elements end up in
 * the order this exact algorithm leaves them.
 */
function partialQsort<T>(v: T[], lo: number, hi: number, cmp: (a: T, b: T) => number): void {
  const swap = (i: number, j: number): void => {
    const t = v[i]!;
    v[i] = v[j]!;
    v[j] = t;
  };
  const vecswap = (i: number, j: number, n: number): void => {
    for (let k = 0; k < n; k++) swap(i + k, j + k);
  };
  const c = (i: number, j: number): number => cmp(v[i]!, v[j]!);
  const med3 = (a: number, b: number, d: number): number =>
    c(a, b) < 0 ? (c(b, d) < 0 ? b : c(a, d) < 0 ? d : a) : c(b, d) > 0 ? b : c(a, d) < 0 ? a : d;
  const insertion = (a: number, n: number): void => {
    for (let pm = a + 1; pm < a + n; pm++) for (let pl = pm; pl > a && c(pl - 1, pl) > 0; pl--) swap(pl, pl - 1);
  };
  const sort = (a: number, n: number): void => {
    for (;;) {
      let swapped = false;
      if (n < 7) return insertion(a, n);
      let pm = a + (n >> 1);
      if (n > 7) {
        let pl = a;
        let pn = a + n - 1;
        if (n > 40) {
          const d = n >> 3;
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(a, pm);
      let pa = a + 1;
      let pb = pa;
      let pc = a + n - 1;
      let pd = pc;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = c(pb, a)) <= 0) {
          if (r === 0) {
            swapped = true;
            swap(pa++, pb);
          }
          pb++;
        }
        while (pb <= pc && (r = c(pc, a)) >= 0) {
          if (r === 0) {
            swapped = true;
            swap(pc, pd--);
          }
          pc--;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
        swapped = true;
      }
      if (!swapped) return insertion(a, n);
      const pn = a + n;
      let r = Math.min(pa - a, pb - pa);
      vecswap(a, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      r = pb - pa;
      if (r > 1 && !(hi < a || lo > a + r - 1)) sort(a, r);
      r = pd - pc;
      if (r <= 1) return;
      a = pn - r;
      n = r;
      if (hi < a || lo > a + r - 1) return;
    }
  };
  sort(0, v.length);
}

interface SortItem {
  obj: string;
  score: number;
  cmp: string | undefined;
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0n;
  let limitCount = -1n;
  let dontsort = false;
  let sortby: string | undefined;
  let storeKey: string | undefined;
  const getops: string[] = [];

  // BY and GET patterns read keys no argument names: only for a user who may read every key (asked once).
  let fullAccess: boolean | undefined;
  const readsAllKeys = (): boolean => (fullAccess ??= c.server.acl.readsAllKeys(c, c.current!, argv));
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = argv[j]!;
    if (is(opt, 'asc')) desc = false;
    else if (is(opt, 'desc')) desc = true;
    else if (is(opt, 'alpha')) alpha = true;
    else if (is(opt, 'limit') && left >= 2) {
      limitStart = bigintArg(argv[j + 1]!);
      limitCount = bigintArg(argv[j + 2]!);
      j += 2;
    } else if (!readonly && is(opt, 'store') && left >= 1) {
      storeKey = argv[++j]!;
    } else if (is(opt, 'by') && left >= 1) {
      sortby = argv[++j]!;
      if (!cstr(sortby).includes('*')) dontsort = true;
      else if (!readsAllKeys())
        throw new ReplyError('ERR BY option of SORT denied due to insufficient ACL permissions.');
    } else if (is(opt, 'get') && left >= 1) {
      if (!readsAllKeys()) throw new ReplyError('ERR GET option of SORT denied due to insufficient ACL permissions.');
      getops.push(argv[++j]!);
    } else {
      throw new ReplyError(Err.syntax);
    }
  }

  const db = c.db;
  const write = storeKey !== undefined;
  // Read lookups with STORE too (statistics, keymiss events), as Redis 7.0 makes them.
  const e: Slot | undefined = db.lookupRead(argv[1]!);
  const v = e === undefined ? undefined : db.vals[e];
  if (v !== undefined && (typeof v === 'string' || (v.type !== 'list' && v.type !== 'set' && v.type !== 'zset'))) {
    throw new ReplyError(Err.wrongType);
  }
  const type = v === undefined ? 'list' : (v.type as 'list' | 'set' | 'zset');

  // A set has no order of its own: when the result is stored, sort it so the stored list is deterministic.
  if (dontsort && type === 'set' && write) {
    dontsort = false;
    alpha = true;
    sortby = undefined;
  }
  // Redis converts a small sorted set to its big encoding to sort it.
  if (type === 'zset') (v as SortedSet).listpack = false;

  let len = 0;
  if (v !== undefined) len = type === 'list' ? (v as ListValue).length : (v as RandomSet | SortedSet).size;

  // LIMIT, clamped to the collection's size.
  const n = BigInt(len);
  let start = Number(limitStart < 0n ? 0n : limitStart > n ? n : limitStart);
  const count = Number(limitCount < -1n ? -1n : limitCount > n ? n : limitCount);
  let end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  let items: SortItem[];
  if (dontsort && v !== undefined && (type === 'list' || type === 'zset')) {
    // Native order (reversed by DESC), only the range asked for.
    items = [];
    if (end >= start) {
      if (type === 'list') {
        const l = v as ListValue;
        for (let i = start; i <= end; i++) items.push({ obj: l.at(desc ? len - 1 - i : i), score: 0, cmp: undefined });
      } else {
        const [lo, hi] = desc ? [len - 1 - end, len - 1 - start] : [start, end];
        (v as SortedSet).range(lo, hi, desc, (m) => {
          items.push({ obj: m, score: 0, cmp: undefined });
        });
      }
    }
    end -= start;
    start = 0;
  } else {
    items = [];
    if (v !== undefined) {
      if (type === 'list') for (const x of (v as ListValue).toArray()) items.push({ obj: x, score: 0, cmp: undefined });
      else if (type === 'set')
        for (const x of (v as RandomSet).ordered()) items.push({ obj: x, score: 0, cmp: undefined });
      else (v as SortedSet).forEach((m) => items.push({ obj: m, score: 0, cmp: undefined }));
    }
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of items) {
      let by: string | undefined;
      if (sortby !== undefined) {
        by = lookupByPattern(c, db, sortby, it.obj);
        if (by === undefined) continue;
      } else {
        by = it.obj;
      }
      if (alpha) {
        if (sortby !== undefined) it.cmp = by;
      } else {
        const d = strtodScore(by);
        if (d === undefined) conversionError = true;
        else it.score = d;
      }
    }
    const sign = desc ? -1 : 1;
    let cmp: (a: SortItem, b: SortItem) => number;
    if (!alpha) {
      cmp = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : binaryCompare(a.obj, b.obj));
    } else if (sortby !== undefined) {
      const strcmp = write ? binaryCompare : collate;
      cmp = (a, b) => {
        if (a.cmp === undefined || b.cmp === undefined) {
          if (a.cmp === b.cmp) return 0;
          return sign * (a.cmp === undefined ? -1 : 1);
        }
        return sign * strcmp(a.cmp, b.cmp);
      };
    } else {
      const strcmp = write ? binaryCompare : collate;
      cmp = (a, b) => sign * strcmp(a.obj, b.obj);
    }
    if (sortby !== undefined && (start !== 0 || end !== items.length - 1)) partialQsort(items, start, end, cmp);
    else items.sort(cmp); // glibc's qsort is a merge sort: stable, like Array.prototype.sort
  }

  const rows = end - start + 1;
  const outputLen = getops.length > 0 ? getops.length * rows : rows;
  if (conversionError) throw new ReplyError(ERR_SCORES);

  if (storeKey === undefined) {
    const w = c.w;
    w.array(outputLen);
    for (let j = start; j <= end; j++) {
      const obj = items[j]!.obj;
      if (getops.length === 0) w.bulk(obj);
      for (const pat of getops) {
        const val = lookupByPattern(c, db, pat, obj);
        if (val === undefined) w.null();
        else w.bulk(val);
      }
    }
    return;
  }

  const out: string[] = [];
  for (let j = start; j <= end; j++) {
    const obj = items[j]!.obj;
    // A sorted set's member may be a view of its packed string: the stored list gets copies of its own.
    if (getops.length === 0) out.push(type === 'zset' ? own(obj) : obj);
    for (const pat of getops) out.push(lookupByPattern(c, db, pat, obj) ?? '');
  }
  if (outputLen > 0) {
    db.set(storeKey, ListValue.from(out));
    notify(c.server, NOTIFY_LIST, 'sortstore', storeKey, db.id);
    c.server.keyspace.dirty += outputLen;
  } else if (db.delete(storeKey)) {
    notify(c.server, NOTIFY_GENERIC, 'del', storeKey, db.id);
    c.server.keyspace.dirty++;
  }
  c.w.integer(outputLen);
}

function sortCommand(c: Client, argv: string[]): void {
  sortGeneric(c, argv, false);
}

function sortRoCommand(c: Client, argv: string[]): void {
  sortGeneric(c, argv, true);
}

/** SORT's keys: the sorted key, and the destination of the last STORE (options skipped as SORT parses them). */
function sortGetKeys(argv: readonly string[]): (number | { pos: number; flags: readonly KeySpecFlag[] })[] {
  const keys: (number | { pos: number; flags: readonly KeySpecFlag[] })[] = [1];
  let store = -1;
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j]!;
    if (is(a, 'limit')) j += 2;
    else if (is(a, 'get') || is(a, 'by')) j += 1;
    else if (is(a, 'store')) {
      if (j + 1 < argv.length) store = j + 1;
      j += 1;
    }
  }
  if (store > 0) keys.push({ pos: store, flags: ['OW', 'UPDATE'] });
  return keys;
}

const BY_GET_NOTES =
  "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort";
const STORE_NOTES =
  "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array";
const SORT_COMPLEXITY =
  'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).';

const SORT_ARGS: readonly ArgSpec[] = [
  { name: 'key', type: 'key', keySpecIndex: 0 },
  { name: 'pattern', type: 'pattern', keySpecIndex: 1, token: 'BY', flags: ['optional'] },
  {
    name: 'offset_count',
    type: 'block',
    token: 'LIMIT',
    flags: ['optional'],
    args: [
      { name: 'offset', type: 'integer' },
      { name: 'count', type: 'integer' },
    ],
  },
  {
    name: 'pattern',
    type: 'pattern',
    keySpecIndex: 1,
    token: 'GET',
    flags: ['optional', 'multiple', 'multiple_token'],
  },
  {
    name: 'order',
    type: 'oneof',
    flags: ['optional'],
    args: [
      { name: 'asc', type: 'pure-token', token: 'ASC' },
      { name: 'desc', type: 'pure-token', token: 'DESC' },
    ],
  },
  { name: 'sorting', type: 'pure-token', token: 'ALPHA', flags: ['optional'] },
];

export const sortCommands: readonly CommandSpec[] = [
  {
    name: 'sort',
    arity: -2,
    flags: ['write', 'denyoom'],
    acl: ['set', 'sortedset', 'list', 'dangerous'],
    keys: [1, 1, 1],
    keySpecs: [
      rangeKeySpec(['RO', 'ACCESS']),
      { notes: BY_GET_NOTES, flags: ['RO', 'ACCESS'], begin: 'unknown', find: 'unknown' },
      { notes: STORE_NOTES, flags: ['OW', 'UPDATE'], begin: 'unknown', find: 'unknown' },
    ],
    getKeys: sortGetKeys,
    group: 'generic',
    since: '1.0.0',
    summary: 'Sort the elements in a list, set or sorted set',
    complexity: SORT_COMPLEXITY,
    args: [...SORT_ARGS, { name: 'destination', type: 'key', keySpecIndex: 2, token: 'STORE', flags: ['optional'] }],
    handler: sortCommand,
  },
  {
    name: 'sort_ro',
    arity: -2,
    flags: ['readonly'],
    acl: ['set', 'sortedset', 'list', 'dangerous'],
    keys: [1, 1, 1],
    keySpecs: [
      rangeKeySpec(['RO', 'ACCESS']),
      { notes: BY_GET_NOTES, flags: ['RO', 'ACCESS'], begin: 'unknown', find: 'unknown' },
    ],
    getKeys: () => [1],
    group: 'generic',
    since: '7.0.0',
    summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.',
    complexity: SORT_COMPLEXITY,
    args: SORT_ARGS,
    handler: sortRoCommand,
  },
];
