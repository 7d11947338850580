// Typings for Buffer's latin1 fast paths, which Node has shipped since v0.x but does not declare.
// They skip the encoding dispatch of buf.write/toString on the hot path of every request and reply.

declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(s: string, offset: number): number;
  }
}

export {};
