// Strings cut out of a packed collection (a small hash's or sorted set's one string, see src/types/hash.ts and
// src/types/sorted-set.ts) may be V8 sliced strings: views that keep the whole packed string alive. What is
// stored elsewhere for long takes a copy of its own.

/** `s` as a string that shares no memory with another (V8 copies slices shorter than 13 chars already). */
export function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'latin1').latin1Slice(0, s.length);
}
