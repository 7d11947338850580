// Copies of an array with one element inserted or removed, allocated at their exact size. Small collections keep
// their arrays this way (a pushed-to array reserves spare room: 17 slots for its first element), as a listpack
// or intset is always exactly as long as its contents.

/** A copy of `a` with `x` inserted at i (0 ≤ i ≤ length), of exact size. */
export function withInserted<T>(a: readonly T[], i: number, x: T): T[] {
  const n = a.length;
  const out = new Array<T>(n + 1);
  for (let j = 0; j < i; j++) out[j] = a[j]!;
  out[i] = x;
  for (let j = i; j < n; j++) out[j + 1] = a[j]!;
  return out;
}

/** A copy of `a` without its element i, of exact size. */
export function withRemoved<T>(a: readonly T[], i: number): T[] {
  const n = a.length - 1;
  const out = new Array<T>(n);
  for (let j = 0; j < i; j++) out[j] = a[j]!;
  for (let j = i; j < n; j++) out[j] = a[j + 1]!;
  return out;
}
