// The decimal texts of the integers 0..9,999, made once each and shared by every value that holds one, as Redis
// shares its integer objects below OBJ_SHARED_INTEGERS (OBJECT REFCOUNT already reports them as shared).
//
// A counter (INCR and its family) stores a new value at each increment. Made afresh, each would be a young string
// that the young-generation collector copies out (a stored value survives) and that becomes old garbage at the
// next increment: about a quarter of a microsecond per INCR in V8's collectors. A shared text is made the first
// time its number is stored, then only referenced.

/** Integers below this have a shared text (Redis's OBJ_SHARED_INTEGERS). */
export const SHARED_INT_TEXTS = 10000;

const texts: (string | undefined)[] = new Array<string | undefined>(SHARED_INT_TEXTS).fill(undefined);

/** The decimal text of a safe integer (an integer: other numbers are not looked up): the shared one for 0..9,999. */
export function intText(n: number): string {
  if (n >= 0 && n < SHARED_INT_TEXTS) return (texts[n] ??= String(n));
  return String(n);
}
