// Sorted sets: a counted B+tree ordered by (score, member), plus an index member → position; small sets are two
// sorted arrays (see SortedSet).
//
// The tree keeps every element once, in (score, member) order: scores compare as doubles, equal scores by member
// bytes (members are latin1 strings, so JS string order is byte order, as memcmp). Leaves hold parallel arrays of
// members and scores and are chained both ways for range walks; inner nodes hold, for each child, the number of
// elements below it (so rank ↔ position is O(log n)) and a separator key that is a lower bound of that child's
// keys (separators may go stale after deletes, which keeps them valid lower bounds). Insert, delete, rank, select
// by rank and the first position where a monotone predicate turns true are O(log n) (with fan-out 64).
//
// The index (a KeyTable over dense member and score arrays) gives ZSCORE in O(1) and the score needed to find a
// member in the tree. Both hold the same member strings, so a member costs one string, one index slot and one
// leaf slot.

import { nameType, type RedisObject } from './object.js';
import { KeyTable, compactSlots, freeSlotBelow, touchSlots } from './key-table.js';
import { encodingLimits } from './encoding-limits.js';
import { own } from './own-string.js';
import { withInserted, withRemoved } from './exact-array.js';

/** The reference order: by score, then by member bytes. */
export function compareKeys(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  return m1 < m2 ? -1 : m1 > m2 ? 1 : 0;
}

/**
 * compareKeys(…) < 0 and compareKeys(…) <= 0, for the tree's searches: a tie on score compares the members once
 * (compareKeys may compare them twice), and ties are common (redis-benchmark's ZADD draws 100,000 scores for
 * 100,000 members).
 */
function keyBefore(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}
function keyNotAfter(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 <= m2);
}

const LEAF_MAX = 64;
const LEAF_MIN = 16;
const INNER_MAX = 64;
const INNER_MIN = 16;

class Leaf {
  readonly leaf = true as const;
  members: string[] = [];
  scores: number[] = [];
  next: Leaf | null = null;
  prev: Leaf | null = null;
}

class Inner {
  readonly leaf = false as const;
  children: Node[] = [];
  /** Elements below each child. */
  counts: number[] = [];
  /** Lower-bound key of each child (index 0 is only meaningful once the child moves to another node). */
  sepScores: number[] = [];
  sepMembers: string[] = [];
}

type Node = Leaf | Inner;

/** A position in the tree: a leaf and an index into it. */
export interface Cursor {
  leaf: Leaf;
  idx: number;
}

function nodeSize(n: Node): number {
  if (n.leaf) return n.members.length;
  let s = 0;
  for (const c of n.counts) s += c;
  return s;
}

/**
 * The descent path of the insertion or deletion under way: the inner nodes from the root down and the child
 * index taken in each. Shared by every tree (one operation runs at a time and none nests another), and written
 * by index up to the depth of the descent, never truncated: a sorted-set write allocates nothing for its path.
 * Emptied after each operation, so that it keeps no deleted tree alive.
 */
const PATH: (Inner | undefined)[] = [];
const IDXS: number[] = [];
/** How many entries of PATH/IDXS the latest descent wrote. */
let pathDepth = 0;

function releasePath(depth: number): void {
  for (let d = 0; d < depth; d++) PATH[d] = undefined;
}

/** The counted B+tree itself. Keys are (score, member) pairs and must be unique. */
export class ScoreTree {
  /**
   * Holes in the owning SortedSet's member array, reused last-freed first. Kept here, in the object only a grown
   * set has, so that a small set carries no field for it.
   */
  holes: number[] = [];
  private root: Node = new Leaf();
  private head: Leaf;
  private tail: Leaf;
  size = 0;

  constructor() {
    this.head = this.root as Leaf;
    this.tail = this.head;
  }

  /** Child index of an inner node to descend for the key: the last child whose separator is ≤ key. */
  private static childFor(n: Inner, score: number, member: string): number {
    let lo = 1;
    let hi = n.children.length - 1;
    let ans = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (keyNotAfter(n.sepScores[mid]!, n.sepMembers[mid]!, score, member)) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  /** First index in a leaf whose key is ≥ the given key. */
  private static leafLowerBound(l: Leaf, score: number, member: string): number {
    let lo = 0;
    let hi = l.members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyBefore(l.scores[mid]!, l.members[mid]!, score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts a key that is not present. */
  insert(score: number, member: string): void {
    const n = this.descend('key', score, member);
    const depth = pathDepth;
    for (let d = 0; d < depth; d++) PATH[d]!.counts[IDXS[d]!]!++;
    const pos = ScoreTree.leafLowerBound(n, score, member);
    // Shifting by hand: Array.prototype.splice would allocate an array of the removed elements for each call.
    const ms = n.members;
    const ss = n.scores;
    let k = ms.length;
    ms.push(member);
    ss.push(score);
    for (; k > pos; k--) {
      ms[k] = ms[k - 1]!;
      ss[k] = ss[k - 1]!;
    }
    ms[pos] = member;
    ss[pos] = score;
    this.size++;
    if (ms.length > LEAF_MAX) this.splitLeaf(n, pos, depth);
    releasePath(depth);
  }

  /** Splits an overfull leaf reached through PATH/IDXS[0, depth). */
  private splitLeaf(l: Leaf, pos: number, depth: number): void {
    const len = l.members.length;
    // Appending at the far end (rising scores, the common case) or prepending at the far start leaves the old
    // leaf full instead of half empty.
    let cut = len >> 1;
    if (pos === len - 1 && l.next === null) cut = len - 1;
    else if (pos === 0 && l.prev === null) cut = 1;
    const r = new Leaf();
    r.members = l.members.splice(cut);
    r.scores = l.scores.splice(cut);
    r.next = l.next;
    r.prev = l;
    if (l.next) l.next.prev = r;
    else this.tail = r;
    l.next = r;
    this.addSibling(l, r, r.scores[0]!, r.members[0]!, l.members.length, r.members.length, depth);
  }

  /**
   * Puts `right` after `left` in left's parent, PATH[depth - 1] (making a new root when left was the root, at
   * depth 0), splitting upward.
   */
  private addSibling(left: Node, right: Node, sepS: number, sepM: string, lc: number, rc: number, depth: number): void {
    if (depth === 0) {
      const root = new Inner();
      root.children = [left, right];
      root.counts = [lc, rc];
      root.sepScores = [-Infinity, sepS];
      root.sepMembers = ['', sepM];
      this.root = root;
      return;
    }
    const p = PATH[depth - 1]!;
    const i = IDXS[depth - 1]!;
    p.children.splice(i + 1, 0, right);
    p.counts[i] = lc;
    p.counts.splice(i + 1, 0, rc);
    p.sepScores.splice(i + 1, 0, sepS);
    p.sepMembers.splice(i + 1, 0, sepM);
    if (p.children.length > INNER_MAX) {
      const cut = p.children.length >> 1;
      const q = new Inner();
      q.children = p.children.splice(cut);
      q.counts = p.counts.splice(cut);
      q.sepScores = p.sepScores.splice(cut);
      q.sepMembers = p.sepMembers.splice(cut);
      let pc = 0;
      for (const c of p.counts) pc += c;
      let qc = 0;
      for (const c of q.counts) qc += c;
      this.addSibling(p, q, q.sepScores[0]!, q.sepMembers[0]!, pc, qc, depth - 1);
    }
  }

  /**
   * Walks down for an insertion or deletion, recording the path in PATH/IDXS and its length in pathDepth: toward
   * the key (score, member), or with `edge` 'first'/'last' along the tree's edge (no key comparisons). Returns the
   * leaf reached.
   */
  private descend(edge: 'key' | 'first' | 'last', score: number, member: string): Leaf {
    let depth = 0;
    let n = this.root;
    while (!n.leaf) {
      const i = edge === 'first' ? 0 : edge === 'last' ? n.children.length - 1 : ScoreTree.childFor(n, score, member);
      PATH[depth] = n;
      IDXS[depth] = i;
      depth++;
      n = n.children[i]!;
    }
    pathDepth = depth;
    return n;
  }

  /** Ends a deletion below the recorded path: counts on the way down, size, then minimum fill. */
  private finishDelete(leaf: Leaf): void {
    const depth = pathDepth;
    for (let d = 0; d < depth; d++) PATH[d]!.counts[IDXS[d]!]!--;
    this.size--;
    this.rebalance(leaf, depth);
    releasePath(depth);
  }

  /** Deletes a key; false when it is not present. */
  delete(score: number, member: string): boolean {
    const n = this.descend('key', score, member);
    const pos = ScoreTree.leafLowerBound(n, score, member);
    const ms = n.members;
    const ss = n.scores;
    if (pos >= ms.length || ms[pos] !== member || !(ss[pos]! === score)) {
      releasePath(pathDepth);
      return false;
    }
    this.removeAt(n, pos);
    return true;
  }

  /** Removes the key at `pos` of the leaf the latest descent reached, and ends the deletion (finishDelete). */
  private removeAt(n: Leaf, pos: number): void {
    const ms = n.members;
    const ss = n.scores;
    const last = ms.length - 1;
    for (let k = pos; k < last; k++) {
      ms[k] = ms[k + 1]!;
      ss[k] = ss[k + 1]!;
    }
    ms.pop();
    ss.pop();
    this.finishDelete(n);
  }

  /**
   * Gives the present key (score, member) the score `to`. When the new key still sorts strictly between its
   * neighbours in the same leaf, the score changes in place, as Redis updates a skiplist node that keeps its
   * position: one descent, no counts to change, and the separators above stay valid lower bounds (the key is
   * neither its leaf's first nor its last). Otherwise it is deleted on the path just walked and inserted again
   * (inserted only, should the key be missing).
   */
  rescore(score: number, member: string, to: number): void {
    const n = this.descend('key', score, member);
    const pos = ScoreTree.leafLowerBound(n, score, member);
    const ms = n.members;
    const ss = n.scores;
    if (pos >= ms.length || ms[pos] !== member || !(ss[pos]! === score)) releasePath(pathDepth);
    else if (
      pos > 0 &&
      pos < ms.length - 1 &&
      keyBefore(ss[pos - 1]!, ms[pos - 1]!, to, member) &&
      keyBefore(to, member, ss[pos + 1]!, ms[pos + 1]!)
    ) {
      ss[pos] = to;
      releasePath(pathDepth);
      return;
    } else this.removeAt(n, pos);
    this.insert(to, member);
  }

  /** Score of the key the last `deleteEnd` removed. */
  removedScore = 0;

  /** The members of the first leaf (or, with `max`, the last) in order: the next `deleteEnd`s take them. */
  endMembers(max: boolean): readonly string[] {
    return (max ? this.tail : this.head).members;
  }

  /**
   * Deletes the first key (or, with `max`, the last) and returns its member; its score is left in `removedScore`.
   * The tree must not be empty.
   */

  deleteEnd(max: boolean): string {
    const n = this.descend(max ? 'last' : 'first', 0, '');
    const member = max ? n.members.pop()! : n.members.shift()!;
    this.removedScore = max ? n.scores.pop()! : n.scores.shift()!;
    this.finishDelete(n);
    return member;
  }

  /** Restores minimum fill after a deletion below `node`, walking up PATH/IDXS[0, depth). */
  private rebalance(node: Node, depth: number): void {
    let d = depth - 1;
    let n = node;
    while (d >= 0) {
      const p = PATH[d]!;
      const i = IDXS[d]!;
      const len = n.leaf ? n.members.length : n.children.length;
      const min = n.leaf ? LEAF_MIN : INNER_MIN;
      if (len >= min) return;
      const max = n.leaf ? LEAF_MAX : INNER_MAX;
      // Pair n with a sibling: (left, right) are adjacent children li, li+1 of p.
      const li = i > 0 ? i - 1 : i;
      if (li + 1 >= p.children.length) {
        // The only child: nothing to pair with here; the level above may still collapse.
        n = p;
        d--;
        continue;
      }
      const left = p.children[li]!;
      const right = p.children[li + 1]!;
      const ll = left.leaf ? left.members.length : left.children.length;
      const rl = right.leaf ? right.members.length : right.children.length;
      if (ll + rl <= max) {
        this.merge(p, li);
      } else {
        this.share(p, li, ll, rl);
        return;
      }
      n = p;
      d--;
    }
    // At the root: an inner root with a single child gives way to that child.
    while (!this.root.leaf && this.root.children.length === 1) this.root = this.root.children[0]!;
  }

  /** Merges child li+1 of p into child li. */
  private merge(p: Inner, li: number): void {
    const left = p.children[li]!;
    const right = p.children[li + 1]!;
    if (left.leaf && right.leaf) {
      for (let k = 0; k < right.members.length; k++) {
        left.members.push(right.members[k]!);
        left.scores.push(right.scores[k]!);
      }
      left.next = right.next;
      if (right.next) right.next.prev = left;
      else this.tail = left;
    } else if (!left.leaf && !right.leaf) {
      right.sepScores[0] = p.sepScores[li + 1]!;
      right.sepMembers[0] = p.sepMembers[li + 1]!;
      for (let k = 0; k < right.children.length; k++) {
        left.children.push(right.children[k]!);
        left.counts.push(right.counts[k]!);
        left.sepScores.push(right.sepScores[k]!);
        left.sepMembers.push(right.sepMembers[k]!);
      }
    }
    p.counts[li] = p.counts[li]! + p.counts[li + 1]!;
    p.children.splice(li + 1, 1);
    p.counts.splice(li + 1, 1);
    p.sepScores.splice(li + 1, 1);
    p.sepMembers.splice(li + 1, 1);
  }

  /** Evens out children li and li+1 of p (their total is too big to merge). */
  private share(p: Inner, li: number, ll: number, rl: number): void {
    const left = p.children[li]!;
    const right = p.children[li + 1]!;
    const target = (ll + rl) >> 1;
    if (left.leaf && right.leaf) {
      if (ll < target) {
        const k = target - ll;
        const ms = right.members.splice(0, k);
        const ss = right.scores.splice(0, k);
        for (let j = 0; j < k; j++) {
          left.members.push(ms[j]!);
          left.scores.push(ss[j]!);
        }
        p.counts[li] = p.counts[li]! + k;
        p.counts[li + 1] = p.counts[li + 1]! - k;
      } else {
        const k = ll - target;
        const ms = left.members.splice(ll - k);
        const ss = left.scores.splice(ll - k);
        right.members.unshift(...ms);
        right.scores.unshift(...ss);
        p.counts[li] = p.counts[li]! - k;
        p.counts[li + 1] = p.counts[li + 1]! + k;
      }
      p.sepScores[li + 1] = right.scores[0]!;
      p.sepMembers[li + 1] = right.members[0]!;
    } else if (!left.leaf && !right.leaf) {
      right.sepScores[0] = p.sepScores[li + 1]!;
      right.sepMembers[0] = p.sepMembers[li + 1]!;
      let moved = 0;
      if (ll < target) {
        const k = target - ll;
        const cs = right.children.splice(0, k);
        const cn = right.counts.splice(0, k);
        const ss = right.sepScores.splice(0, k);
        const sm = right.sepMembers.splice(0, k);
        for (let j = 0; j < k; j++) {
          left.children.push(cs[j]!);
          left.counts.push(cn[j]!);
          left.sepScores.push(ss[j]!);
          left.sepMembers.push(sm[j]!);
          moved += cn[j]!;
        }
        p.counts[li] = p.counts[li]! + moved;
        p.counts[li + 1] = p.counts[li + 1]! - moved;
      } else {
        const k = ll - target;
        const cs = left.children.splice(ll - k);
        const cn = left.counts.splice(ll - k);
        const ss = left.sepScores.splice(ll - k);
        const sm = left.sepMembers.splice(ll - k);
        right.children.unshift(...cs);
        right.counts.unshift(...cn);
        right.sepScores.unshift(...ss);
        right.sepMembers.unshift(...sm);
        for (const c of cn) moved += c;
        p.counts[li] = p.counts[li]! - moved;
        p.counts[li + 1] = p.counts[li + 1]! + moved;
      }
      p.sepScores[li + 1] = right.sepScores[0]!;
      p.sepMembers[li + 1] = right.sepMembers[0]!;
    }
  }

  /**
   * The rank (0-based) of the first key for which `pred` is true, given that pred is monotone over the key order
   * (false…false true…true); `size` when it is true for none.
   */
  firstWhere(pred: (score: number, member: string) => boolean): number {
    let n = this.root;
    let rank = 0;
    while (!n.leaf) {
      let lo = 1;
      let hi = n.children.length - 1;
      let ans = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (!pred(n.sepScores[mid]!, n.sepMembers[mid]!)) {
          ans = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      for (let j = 0; j < ans; j++) rank += n.counts[j]!;
      n = n.children[ans]!;
    }
    let lo = 0;
    let hi = n.members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pred(n.scores[mid]!, n.members[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return rank + lo;
  }

  /** The number of keys strictly before (score, member): its rank when present. */
  rankOf(score: number, member: string): number {
    let n = this.root;
    let rank = 0;
    while (!n.leaf) {
      const i = ScoreTree.childFor(n, score, member);
      for (let j = 0; j < i; j++) rank += n.counts[j]!;
      n = n.children[i]!;
    }
    return rank + ScoreTree.leafLowerBound(n, score, member);
  }

  /** The position of the element of rank r (0 ≤ r < size). */
  at(r: number): Cursor {
    let n = this.root;
    while (!n.leaf) {
      let i = 0;
      while (r >= n.counts[i]!) {
        r -= n.counts[i]!;
        i++;
      }
      n = n.children[i]!;
    }
    return { leaf: n, idx: r };
  }

  first(): Cursor | undefined {
    return this.size === 0 ? undefined : { leaf: this.head, idx: 0 };
  }

  last(): Cursor | undefined {
    return this.size === 0 ? undefined : { leaf: this.tail, idx: this.tail.members.length - 1 };
  }

  /** Moves a cursor one element forward; false at the end. */
  static next(c: Cursor): boolean {
    if (c.idx + 1 < c.leaf.members.length) {
      c.idx++;
      return true;
    }
    let l = c.leaf.next;
    while (l !== null && l.members.length === 0) l = l.next;
    if (l === null) return false;
    c.leaf = l;
    c.idx = 0;
    return true;
  }

  /** Moves a cursor one element back; false at the start. */
  static prev(c: Cursor): boolean {
    if (c.idx > 0) {
      c.idx--;
      return true;
    }
    let l = c.leaf.prev;
    while (l !== null && l.members.length === 0) l = l.prev;
    if (l === null) return false;
    c.leaf = l;
    c.idx = l.members.length - 1;
    return true;
  }

  /** Calls fn for every key in order. */
  forEach(fn: (member: string, score: number) => void): void {
    for (let l: Leaf | null = this.head; l !== null; l = l.next) {
      const ms = l.members;
      const ss = l.scores;
      for (let i = 0; i < ms.length; i++) fn(ms[i]!, ss[i]!);
    }
  }

  /** Checks the structural invariants (tests). Throws on a violation. */
  check(): void {
    let count = 0;
    const walk = (n: Node, lo: [number, string] | null, depth: number, leafDepth: { d: number }): number => {
      if (n.leaf) {
        if (leafDepth.d === -1) leafDepth.d = depth;
        else if (leafDepth.d !== depth) throw new Error('leaves at different depths');
        for (let i = 0; i < n.members.length; i++) {
          if (i > 0 && compareKeys(n.scores[i - 1]!, n.members[i - 1]!, n.scores[i]!, n.members[i]!) >= 0)
            throw new Error('leaf out of order');
          if (lo && compareKeys(lo[0], lo[1], n.scores[i]!, n.members[i]!) > 0)
            throw new Error('separator above a key');
        }
        count += n.members.length;
        return n.members.length;
      }
      let total = 0;
      for (let i = 0; i < n.children.length; i++) {
        const sub = walk(n.children[i]!, i === 0 ? lo : [n.sepScores[i]!, n.sepMembers[i]!], depth + 1, leafDepth);
        if (sub !== n.counts[i]) throw new Error('count mismatch');
        if (sub !== nodeSize(n.children[i]!)) throw new Error('size mismatch');
        total += sub;
      }
      return total;
    };
    walk(this.root, null, 0, { d: -1 });
    if (count !== this.size) throw new Error('size field wrong');
    let chained = 0;
    let prev: Leaf | null = null;
    for (let l: Leaf | null = this.head; l !== null; l = l.next) {
      if (l.prev !== prev) throw new Error('broken prev link');
      chained += l.members.length;
      prev = l;
    }
    if (prev !== this.tail) throw new Error('tail wrong');
    if (chained !== this.size) throw new Error('leaf chain size wrong');
  }
}

/** A score range: min/max with exclusive flags (ZRANGEBYSCORE syntax). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** Sentinels for the lexical range ends '-' and '+'. */
export const LEX_MIN: unique symbol = Symbol('-');
export const LEX_MAX: unique symbol = Symbol('+');
export type LexBound = string | typeof LEX_MIN | typeof LEX_MAX;

/** A lexical range (ZRANGEBYLEX syntax). */
export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

/** Compares a member or bound with a bound, '-' below everything and '+' above (Redis's sdscmplex). */
function cmpLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}
export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = cmpLex(v, r.min);
  return r.minex ? c > 0 : c >= 0;
}
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = cmpLex(v, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

let lastPoppedScore = 0;

/**
 * Index in `members` of the member the latest score() (of any set) found: a write that follows on the same set
 * (ZADD reads the score, then updates) finds the member there without hashing it again. Only trusted when that
 * index holds the member, so another set's lookup in between is harmless.
 */
let lastFound = 0;

/** Pops between two read-aheads of the next members' index entries (SortedSet.popEnd); a power of two. */
const POP_AHEAD = 8;
const POP_SLOTS = new Int32Array(POP_AHEAD);
let popCount = 0;

/** Members a removal moves at most, once a grown set's arrays are mostly holes (SortedSet.release). */
const COMPACT_MOVES = 4;

/** Up to this many members a sorted set keeps no index and no tree (see SortedSet.packed). */
const SMALL_MEMBERS = 128;
/** The longest member a packed set holds: its length is one char. A longer one makes the set grow. */
const PACKED_LEN_MAX = 255;
/** The scores of a new, empty set: never written (the first insert replaces the array). */
const NO_SCORES: number[] = [];
/** The member array of a packed set: never written (every write to it is in the grown form). */
const NO_MEMBERS: (string | undefined)[] = [];

/** A one-char string for a length below 256 (V8 keeps these interned: no allocation). */
const chr = String.fromCharCode;

/** The member of the packed entry at i. */
function packedMember(p: string, i: number): string {
  return p.slice(i + 1, i + 1 + p.charCodeAt(i));
}

/** The packed entry after the one at i. */
function packedNext(p: string, i: number): number {
  return i + 1 + p.charCodeAt(i);
}

/** The position of the packed entry of rank r (0 ≤ r ≤ count; count gives the end). */
function packedAt(p: string, r: number): number {
  let i = 0;
  for (; r > 0; r--) i += 1 + p.charCodeAt(i);
  return i;
}

/** Compares the member of the packed entry at i with m, as compareKeys compares members (byte order). */
function packedCompareMember(p: string, i: number, m: string): number {
  const len = p.charCodeAt(i);
  const ml = m.length;
  const n = len < ml ? len : ml;
  for (let k = 0; k < n; k++) {
    const d = p.charCodeAt(i + 1 + k) - m.charCodeAt(k);
    if (d !== 0) return d;
  }
  return len - ml;
}

/** Rank of the entry the latest packedFind found (of any set). */
let foundRank = 0;

/**
 * The position of member's packed entry, or -1; its rank is left in foundRank. The member's chars are searched
 * with the string search V8 has built in, and each place found is checked to start an entry of that length,
 * walking the entries up to it (a comparison per entry scanned was several times slower).
 */
function packedFind(p: string, member: string): number {
  const ml = member.length;
  let i = 0;
  let r = 0;
  for (let from = 1; from <= p.length;) {
    // (An empty member is "found" at every place up to the end, the end included.)
    const k = p.indexOf(member, from);
    if (k < 0) return -1;
    while (i < k - 1) {
      i += 1 + p.charCodeAt(i);
      r++;
    }
    if (i === k - 1 && p.charCodeAt(i) === ml) {
      foundRank = r;
      return i;
    }
    from = k + 1;
  }
  return -1;
}

/**
 * A sorted set value. `listpack` mirrors the encoding Redis would use (small sets), which OBJECT ENCODING reports
 * and which decides a few behaviours (ZSCAN in one call; lexical ranges over mixed scores scan in order).
 *
 * A set of up to SMALL_MEMBERS members, none longer than PACKED_LEN_MAX, keeps its members packed into one latin1
 * string in rank order (see `packed`) and their scores by rank in an array of exact size: a listpack's way,
 * scanned for a member or a position, with no per-set index or tree, and one string per set instead of one per
 * member. A score change that keeps the member's rank is written in place; one that moves it, an insert or a
 * delete rebuilds the string. Past that the set grows for good into the general form: the tree for order and a
 * KeyTable over dense member/score arrays for O(1) member lookups.
 */
export class SortedSet implements RedisObject {
  /** On the prototype (see nameType). */
  declare readonly type: 'zset';
  /**
   * The members of a small set, or null once grown. Layout: per member in (score, member) order, its length as one
   * char, then its chars. Strings are immutable, so a clone shares it.
   */
  private packed: string | null = '';
  /**
   * While packed: the score of each rank. Once grown: each member at the index the index table gives it, its score
   * beside it in `scores`; a removal leaves a hole (undefined) that the tree's `holes` list keeps for the next
   * insert, so it touches no other member's entry in the index.
   */
  private members: (string | undefined)[] = NO_MEMBERS;
  private scores: number[] = NO_SCORES;
  /** member → its index in `members` (the open-addressing index the keyspace uses too), once grown. */
  private dict: KeyTable | null = null;
  /** The (score, member) order, once grown. */
  private tree: ScoreTree | null = null;
  /**
   * True while Redis would hold the set as a listpack. It converts for good when an insert takes it past the
   * configured zset-max-listpack-entries / -value, read at that insert as Redis does (src/types/encoding-limits.ts).
   */
  listpack: boolean;

  constructor(listpack = true) {
    this.listpack = listpack;
  }

  /** A new set with the encoding Redis's zsetTypeCreate picks for the expected size and member length. */
  static create(sizeHint: number, lenHint: number): SortedSet {
    const { zsetEntries, zsetValue } = encodingLimits;
    return new SortedSet(zsetEntries !== 0 && sizeHint <= zsetEntries && lenHint <= zsetValue);
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  /** True while the set is small and packed: finding a rank's member (`at`) is then linear. */
  get compact(): boolean {
    return this.packed !== null;
  }

  get size(): number {
    return this.packed !== null ? this.scores.length : this.tree!.size;
  }

  /** Moves a packed set into the general form (tree and index), for good. */
  private grow(): ScoreTree {
    const p = this.packed!;
    const ss = this.scores;
    const tree = new ScoreTree();
    const ms: string[] = [];
    for (let i = 0, r = 0; i < p.length; i = packedNext(p, i), r++) {
      // Strings of their own: a slice of the packed string would keep all of it alive.
      const m = own(packedMember(p, i));
      ms.push(m);
      tree.insert(ss[r]!, m);
    }
    this.packed = null;
    this.members = ms;
    // A copy: an empty set's array is the shared NO_SCORES, which the grown form would push into.
    this.scores = ss.slice();
    this.dict = KeyTable.over(this.members);
    return (this.tree = tree);
  }

  /** The member → index table for SCAN cursors; `scoreAt(index)` is the member's score. A small set grows for it. */
  scanMap(): KeyTable {
    if (this.dict === null) this.grow();
    return this.dict!;
  }

  /** The score of the member at an index of `scanMap()`. */
  scoreAt(i: number): number {
    return this.scores[i]!;
  }

  score(member: string): number | undefined {
    const p = this.packed;
    if (p !== null) return packedFind(p, member) < 0 ? undefined : this.scores[foundRank];
    const i = this.dict!.get(member);
    if (i === undefined) return undefined;
    lastFound = i;
    return this.scores[i];
  }

  /** Reads ahead for looking up `members[from..to)`: their buckets, member strings and scores (see KeyTable.prefetch). */
  prefetch(members: readonly string[], from: number, to: number, out: Int32Array): void {
    const dict = this.dict;
    if (dict === null) return;
    dict.prefetch(members, from, to, out);
    touchSlots(out, to - from, this.scores, 1, 0);
  }

  /** Index in `members` of a present member of a grown set. */
  private indexOf(member: string): number {
    const i = lastFound;
    return this.members[i] === member ? i : this.dict!.get(member)!;
  }

  /**
   * Adds a member that is not present. The small encoding keeps scores as text, where -0 prints as 0 (Redis's
   * d2string), so a listpack set stores -0 as 0.
   */
  insert(member: string, score: number): void {
    if (this.listpack && score === 0) score = 0;
    let tree = this.tree;
    const p = this.packed;
    if (p !== null) {
      const ss = this.scores;
      if (ss.length < SMALL_MEMBERS && member.length <= PACKED_LEN_MAX) {
        let i = 0;
        let r = 0;
        for (; r < ss.length; r++, i = packedNext(p, i)) {
          const s = ss[r]!;
          if (s > score || (s === score && packedCompareMember(p, i, member) > 0)) break;
        }
        this.packed = [p.slice(0, i), chr(member.length), member, p.slice(i)].join('');
        this.scores = withInserted(ss, r, score);
      } else tree = this.grow();
    }
    if (tree !== null) {
      // A hole at or past the end (cut off by compaction) is dropped on the way.
      const i = freeSlotBelow(tree.holes, this.members.length);
      if (i !== undefined) {
        this.members[i] = member;
        this.scores[i] = score;
        this.dict!.set(member, i);
      } else {
        this.dict!.set(member, this.members.length);
        this.members.push(member);
        this.scores.push(score);
      }
      tree.insert(score, member);
    }
    if (this.listpack && (this.size > encodingLimits.zsetEntries || member.length > encodingLimits.zsetValue)) {
      this.listpack = false;
    }
  }

  /** Changes a present member's score. */
  update(member: string, score: number): void {
    if (this.listpack && score === 0) score = 0;
    const p = this.packed;
    if (p !== null) {
      const ss = this.scores;
      const a = packedFind(p, member);
      const j = foundRank;
      const n = ss.length;
      // Most changes keep the rank (always, in a set of one): the score is written in place.
      if ((j === 0 || ss[j - 1]! < score) && (j === n - 1 || ss[j + 1]! > score)) {
        ss[j] = score;
        return;
      }
      // t: the new rank, counting the others before the new key; ins: the entry it goes before.
      let t = 0;
      let ins = p.length;
      for (let i = 0, r = 0; r < n; r++, i = packedNext(p, i)) {
        if (r === j) continue;
        const s = ss[r]!;
        if (s > score || (s === score && packedCompareMember(p, i, member) > 0)) {
          ins = i;
          break;
        }
        t++;
      }
      if (t < j) for (let k = j; k > t; k--) ss[k] = ss[k - 1]!;
      else for (let k = j; k < t; k++) ss[k] = ss[k + 1]!;
      ss[t] = score;
      if (t === j) return;
      const b = packedNext(p, a);
      const entry = p.slice(a, b);
      if (ins <= a) this.packed = [p.slice(0, ins), entry, p.slice(ins, a), p.slice(b)].join('');
      else this.packed = [p.slice(0, a), p.slice(b, ins), entry, p.slice(ins)].join('');
      return;
    }
    // The tree keeps the stored string, not the argument: an argument is young, and storing it would make the
    // young-generation collector copy it out, once per update (ZADD/ZINCRBY on present members).
    const tree = this.tree!;
    const i = this.indexOf(member);
    tree.rescore(this.scores[i]!, this.members[i]!, score);
    this.scores[i] = score;
  }

  /** Removes a member; false when absent. */
  delete(member: string): boolean {
    const p = this.packed;
    if (p !== null) {
      const i = packedFind(p, member);
      if (i < 0) return false;
      this.removePacked(p, i, foundRank);
      return true;
    }
    const i = this.dict!.take(member);
    if (i === undefined) return false;
    this.tree!.delete(this.scores[i]!, member);
    this.release(i);
    return true;
  }

  /** Removes the packed entry at i, of rank r. */
  private removePacked(p: string, i: number, r: number): void {
    const ss = this.scores;
    this.packed = ss.length === 1 ? '' : [p.slice(0, i), p.slice(packedNext(p, i))].join('');
    this.scores = withRemoved(ss, r);
  }

  /** Score of the member the last `popEnd` (of any set) removed: kept once for all sets, not in each. */
  get poppedScore(): number {
    return lastPoppedScore;
  }

  /**
   * Removes the member with the lowest rank (or, with `max`, the highest) and returns it; its score is left in
   * `poppedScore`. The set must not be empty.
   */
  popEnd(max: boolean): string {
    const p = this.packed;
    if (p !== null) {
      const r = max ? this.scores.length - 1 : 0;
      const i = max ? packedAt(p, r) : 0;
      const m = packedMember(p, i);
      lastPoppedScore = this.scores[r]!;
      this.removePacked(p, i, r);
      return m;
    }
    const tree = this.tree!;
    const m = tree.deleteEnd(max);
    lastPoppedScore = tree.removedScore;
    const dict = this.dict!;
    // Every POP_AHEAD pops, read ahead the index entries of the next POP_AHEAD members to go (KeyTable.prefetch):
    // they sit together in the end leaf, but their entries are spread over the index.
    if ((++popCount & (POP_AHEAD - 1)) === 0) {
      const next = tree.endMembers(max);
      const n = Math.min(POP_AHEAD, next.length);
      const from = max ? next.length - n : 0;
      dict.prefetch(next, from, from + n, POP_SLOTS);
    }
    this.release(dict.take(m)!);
    return m;
  }

  /**
   * Makes index i, whose member has left the tree and the index table, a hole. Once holes outnumber members seven
   * to one, each removal also takes a bounded compaction step (compactSlots, as the keyspace compacts its slots):
   * up to COMPACT_MOVES members at the end move into holes below them (one index update each) and the free tail
   * is cut off. The arrays stay near eight times the set's size, at about one move per removal, and no single
   * removal pays for moving thousands (moving them all at once took 6 ms at 12,500 members).
   */
  private release(i: number): void {
    const ms = this.members;
    ms[i] = undefined;
    const tree = this.tree!;
    tree.holes.push(i);
    if (ms.length > 64 && tree.size * 8 < ms.length) {
      const ss = this.scores;
      ss.length = compactSlots(this.dict!, ms, tree.holes, COMPACT_MOVES, (from, to) => {
        ss[to] = ss[from]!;
      });
    }
  }

  /** 0-based rank in ascending order, or undefined when absent. */
  rank(member: string): number | undefined {
    const p = this.packed;
    if (p !== null) return packedFind(p, member) < 0 ? undefined : foundRank;
    const s = this.score(member);
    if (s === undefined) return undefined;
    return this.tree!.rankOf(s, member);
  }

  /** The element with the lowest (or, with `max`, the highest) rank; the set must not be empty. O(1). */
  end(max: boolean): [string, number] {
    const p = this.packed;
    if (p !== null) return this.at(max ? this.scores.length - 1 : 0);
    const tree = this.tree!;
    const c = max ? tree.last()! : tree.first()!;
    return [c.leaf.members[c.idx]!, c.leaf.scores[c.idx]!];
  }

  /** The element at rank r (0 ≤ r < size). */
  at(r: number): [string, number] {
    const p = this.packed;
    if (p !== null) return [packedMember(p, packedAt(p, r)), this.scores[r]!];
    const c = this.tree!.at(r);
    return [c.leaf.members[c.idx]!, c.leaf.scores[c.idx]!];
  }

  /** Calls fn for ranks start..end inclusive (0 ≤ start ≤ end < size), ascending or from end down to start. */
  range(start: number, end: number, reverse: boolean, fn: (member: string, score: number) => void): void {
    let n = end - start + 1;
    if (n <= 0) return;
    const p = this.packed;
    if (p !== null) {
      const ss = this.scores;
      if (reverse) {
        const at = packedPositions(p, start, end);
        for (let r = end; r >= start; r--) fn(packedMember(p, at[r - start]!), ss[r]!);
      } else
        for (let i = packedAt(p, start), r = start; r <= end; r++, i = packedNext(p, i)) fn(packedMember(p, i), ss[r]!);
      return;
    }
    const c = this.tree!.at(reverse ? end : start);
    for (;;) {
      fn(c.leaf.members[c.idx]!, c.leaf.scores[c.idx]!);
      if (--n === 0) return;
      if (!(reverse ? ScoreTree.prev(c) : ScoreTree.next(c))) return;
    }
  }

  /** Walks from rank r forward or backward while fn returns true. */
  walk(r: number, reverse: boolean, fn: (member: string, score: number) => boolean): void {
    if (r < 0 || r >= this.size) return;
    const p = this.packed;
    if (p !== null) {
      const ss = this.scores;
      if (reverse) {
        const at = packedPositions(p, 0, r);
        for (let k = r; k >= 0; k--) if (!fn(packedMember(p, at[k]!), ss[k]!)) return;
      } else {
        for (let i = packedAt(p, r), k = r; k < ss.length; k++, i = packedNext(p, i))
          if (!fn(packedMember(p, i), ss[k]!)) return;
      }
      return;
    }
    const c = this.tree!.at(r);
    for (;;) {
      if (!fn(c.leaf.members[c.idx]!, c.leaf.scores[c.idx]!)) return;
      if (!(reverse ? ScoreTree.prev(c) : ScoreTree.next(c))) return;
    }
  }

  /** The first rank where a predicate that is false then true along the order turns true; size when never. */
  private firstWhere(pred: (score: number, member: string) => boolean): number {
    const p = this.packed;
    if (p === null) return this.tree!.firstWhere(pred);
    const ss = this.scores;
    let r = 0;
    for (let i = 0; r < ss.length; r++, i = packedNext(p, i)) if (pred(ss[r]!, packedMember(p, i))) return r;
    return r;
  }

  /**
   * As firstWhere, for a predicate of the score alone: a packed set binary-searches its score array instead of
   * walking (and cutting out) its members.
   */
  private firstScoreWhere(pred: (score: number) => boolean): number {
    if (this.packed === null) return this.tree!.firstWhere(pred);
    const ss = this.scores;
    let lo = 0;
    let hi = ss.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pred(ss[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The score at rank r (0 ≤ r < size). */
  private scoreOfRank(r: number): number {
    if (this.packed !== null) return this.scores[r]!;
    const c = this.tree!.at(r);
    return c.leaf.scores[c.idx]!;
  }

  /** Whether some element may fall in the score range (Redis's zslIsInRange). */
  private inScoreRange(r: ScoreRange): boolean {
    if (r.min > r.max || (r.min === r.max && (r.minex || r.maxex))) return false;
    const n = this.size;
    if (n === 0) return false;
    if (!scoreGteMin(this.scoreOfRank(n - 1), r)) return false;
    if (!scoreLteMax(this.scoreOfRank(0), r)) return false;
    return true;
  }

  /** Rank of the first element within the score range, or -1. */
  firstInScoreRange(r: ScoreRange): number {
    if (!this.inScoreRange(r)) return -1;
    const i = this.firstScoreWhere((s) => scoreGteMin(s, r));
    if (i >= this.size || !scoreLteMax(this.scoreOfRank(i), r)) return -1;
    return i;
  }

  /** Rank of the last element within the score range, or -1. */
  lastInScoreRange(r: ScoreRange): number {
    if (!this.inScoreRange(r)) return -1;
    const i = this.firstScoreWhere((s) => !scoreLteMax(s, r)) - 1;
    if (i < 0 || !scoreGteMin(this.scoreOfRank(i), r)) return -1;
    return i;
  }

  /** How many elements are within the score range. */
  countInScoreRange(r: ScoreRange): number {
    const a = this.firstInScoreRange(r);
    if (a < 0) return 0;
    const b = this.lastInScoreRange(r);
    return b < 0 ? this.size - a : b - a + 1;
  }

  /** Whether some element may fall in the lexical range (Redis's zslIsInLexRange / zzlIsInLexRange). */
  private inLexRange(r: LexRange): boolean {
    const c = cmpLex(r.min, r.max);
    if (c > 0 || (c === 0 && (r.minex || r.maxex))) return false;
    const n = this.size;
    if (n === 0) return false;
    if (!lexGteMin(this.at(n - 1)[0], r)) return false;
    if (!lexLteMax(this.at(0)[0], r)) return false;
    return true;
  }

  /**
   * Rank of the first element within the lexical range, or -1. Small (listpack) sets scan in order as Redis's
   * listpack code does, which matters only when scores differ (where the result is unspecified).
   */
  firstInLexRange(r: LexRange): number {
    if (!this.inLexRange(r)) return -1;
    let i: number;
    if (this.listpack) {
      i = -1;
      let k = 0;
      this.walk(0, false, (m) => {
        if (lexGteMin(m, r)) {
          i = k;
          return false;
        }
        k++;
        return true;
      });
      if (i < 0) return -1;
    } else {
      i = this.firstWhere((_s, m) => lexGteMin(m, r));
      if (i >= this.size) return -1;
    }
    return lexLteMax(this.at(i)[0], r) ? i : -1;
  }

  /** Rank of the last element within the lexical range, or -1 (see firstInLexRange). */
  lastInLexRange(r: LexRange): number {
    if (!this.inLexRange(r)) return -1;
    let i: number;
    if (this.listpack) {
      // The listpack scan goes backwards from the tail and stops at the first element that is ≤ max.
      i = -1;
      let rank = this.size - 1;
      this.walk(rank, true, (m) => {
        if (lexLteMax(m, r)) {
          i = rank;
          return false;
        }
        rank--;
        return true;
      });
      if (i < 0) return -1;
    } else {
      i = this.firstWhere((_s, m) => !lexLteMax(m, r)) - 1;
      if (i < 0) return -1;
    }
    return lexGteMin(this.at(i)[0], r) ? i : -1;
  }

  /** How many elements are within the lexical range. */
  countInLexRange(r: LexRange): number {
    const a = this.firstInLexRange(r);
    if (a < 0) return 0;
    if (this.listpack) {
      let n = 0;
      this.walk(a, false, (m) => {
        if (!lexLteMax(m, r)) return false;
        n++;
        return true;
      });
      return n;
    }
    const b = this.lastInLexRange(r);
    return b < 0 ? this.size - a : b - a + 1;
  }

  /** Removes ranks start..end inclusive; returns the removed members. */
  deleteRanks(start: number, end: number): string[] {
    const out: string[] = [];
    this.range(start, end, false, (m) => out.push(m));
    for (const m of out) this.delete(m);
    return out;
  }

  /** Every element in order. */
  forEach(fn: (member: string, score: number) => void): void {
    const p = this.packed;
    if (p === null) return this.tree!.forEach(fn);
    const ss = this.scores;
    for (let i = 0, r = 0; r < ss.length; r++, i = packedNext(p, i)) fn(packedMember(p, i), ss[r]!);
  }

  clone(): SortedSet {
    const z = new SortedSet(this.listpack);
    if (this.packed !== null) {
      // The string is immutable and shared; the scores change in place, so the copy has its own.
      z.packed = this.packed;
      z.scores = this.scores.slice();
    } else {
      this.tree!.forEach((m, s) => z.insert(m, s));
      // A copy keeps the encoding, whatever the limits are now.
      z.listpack = this.listpack;
    }
    return z;
  }

  /** Checks the invariants of either form; throws on a violation (tests). */
  check(): void {
    const p = this.packed;
    if (p !== null) {
      if (this.tree !== null || this.dict !== null || this.members.length !== 0)
        throw new Error('packed set with a grown form');
      const ss = this.scores;
      if (ss.length > SMALL_MEMBERS) throw new Error('small set over its size');
      let k = 0;
      let prev = '';
      for (let i = 0; i < p.length; i = packedNext(p, i), k++) {
        if (packedNext(p, i) > p.length) throw new Error('packed entry cut short');
        const m = packedMember(p, i);
        if (Number.isNaN(ss[k])) throw new Error('NaN score');
        if (k > 0 && compareKeys(ss[k - 1]!, prev, ss[k]!, m) >= 0) throw new Error('small set out of order');
        prev = m;
      }
      if (k !== ss.length) throw new Error('packed count wrong');
      return;
    }
    const ms = this.members;
    const ss = this.scores;
    if (ms.length !== ss.length) throw new Error('members and scores differ in length');
    const tree = this.tree!;
    tree.check();
    let present = 0;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i];
      if (m === undefined) continue;
      present++;
      if (this.dict!.get(m) !== i) throw new Error('index wrong');
    }
    if (tree.size !== present) throw new Error('tree and members differ in size');
    // Holes at or past the end are left over from compaction and skipped when they come up.
    const free = tree.holes.filter((h) => h < ms.length);
    if (present + free.length !== ms.length) throw new Error('holes not listed');
    for (const f of free) if (ms[f] !== undefined) throw new Error('free index in use');
    let k = 0;
    tree.forEach((m, s) => {
      const i = this.dict!.get(m);
      if (i === undefined || !Object.is(ss[i], s)) throw new Error('tree and members differ');
      k++;
    });
    if (k !== present) throw new Error('tree walk size wrong');
  }

  /** Approximate bytes: per element a string, a Map entry and a leaf slot (member sizes sampled, as Redis does). */
  memoryUsage(): number {
    const p = this.packed;
    if (p !== null) return 64 + ((p.length + 24) & ~7) + 16 + 8 * this.scores.length;
    const n = this.size;
    if (n === 0) return 64;
    let sampled = 0;
    let bytes = 0;
    for (const m of this.members) {
      if (m === undefined) continue;
      bytes += 16 + ((m.length + 7) & ~7) + 40;
      if (++sampled === 5) break;
    }
    return 64 + Math.round((bytes / sampled) * n);
  }
}
nameType(SortedSet, 'zset');

/** The positions of the packed entries of ranks from..to (inclusive), for walking them backwards. */
function packedPositions(p: string, from: number, to: number): number[] {
  const out: number[] = [];
  let i = packedAt(p, from);
  for (let r = from; r <= to; r++, i = packedNext(p, i)) out.push(i);
  return out;
}
