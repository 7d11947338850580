// How much memory Redis's allocator (jemalloc) hands out for a request, and how Redis sizes its length-prefixed
// strings (sds) in it: what MEMORY USAGE reports, and how far a growing string value's storage reaches before it
// grows again (src/types/big-string.ts), so that both follow Redis's figures.

/** jemalloc's size class for a request of n bytes: 8, then steps of 16 to 128, then four classes per doubling. */
export function allocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const p = 2 ** Math.floor(Math.log2(n - 1));
  const spacing = p / 4;
  return Math.ceil(n / spacing) * spacing;
}

/** The header of an sds string of `len` bytes (type 5 only where allowed, as for keys). */
function sdsHeader(len: number, allowTiny: boolean): number {
  return allowTiny && len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
}

/** Bytes of a length-prefixed string buffer holding len bytes (header chosen by length, plus terminator). */
export function sdsSize(len: number, allowTiny: boolean): number {
  return allocSize(sdsHeader(len, allowTiny) + len + 1);
}

/**
 * The room an sds string gets when it is grown to hold `target` bytes: all that the allocation holds past its
 * header and terminator (sdsMakeRoomFor keeps the allocator's slack), up to what its header type can count.
 */
export function sdsRoom(target: number): number {
  const hdr = sdsHeader(target, false);
  const usable = allocSize(hdr + target + 1) - hdr - 1;
  const typeMax = hdr === 3 ? 255 : hdr === 5 ? 65535 : hdr === 9 ? 2 ** 32 - 1 : Infinity;
  return Math.min(usable, typeMax);
}
