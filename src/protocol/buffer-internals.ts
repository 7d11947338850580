// Typings for Buffer's latin1 fast paths, which Node has shipped since v0.x but does not declare.
// They skip the encoding dispatch of buf.write/toString on the hot path of every request and reply.

declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(s: string, offset: number): number;
  }
}

export {};

/**
 * Node makes a latin1 string of this many bytes or more an external string: its bytes live outside V8's heap,
 * where used_heap_size (and so used_memory) does not see them.
 */
const EXTERN_MIN = 1031913;
const PIECE = 512 * 1024;

/**
 * buf[start, end) as a latin1 string whose bytes are in V8's heap, counted in used_memory as any other value: a
 * long one is joined from pieces below Node's external-string size (V8 joins them into one heap string when it
 * needs them flat).
 */
export function heapLatin1(buf: Buffer, start: number, end: number): string {
  if (end - start < EXTERN_MIN) return buf.latin1Slice(start, end);
  let s = '';
  for (let p = start; p < end; p += PIECE) s += buf.latin1Slice(p, Math.min(end, p + PIECE));
  return s;
}
