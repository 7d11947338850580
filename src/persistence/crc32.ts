// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of AOF records and snapshot blocks.
// Node ≥ 20.15 has zlib.crc32 (native); older Node 20s use the slicing-by-8 table implementation below.

import zlib from 'node:zlib';

const T: Uint32Array[] = [];
{
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  T.push(t0);
  for (let s = 1; s < 8; s++) {
    const prev = T[s - 1]!;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) t[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
    T.push(t);
  }
}
const [T0, T1, T2, T3, T4, T5, T6, T7] = T as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/** CRC-32 of `buf[start, end)`, continuing from `crc` (0 to start). Uses zlib's native crc32 when Node has it. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  if (nativeCrc32 !== undefined) {
    return nativeCrc32(start === 0 && end === buf.length ? buf : buf.subarray(start, end), crc);
  }
  return crc32Js(buf, start, end, crc);
}

const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** The portable implementation (Node < 20.15). */
export function crc32Js(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  let c = ~crc >>> 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = (c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24))) >>> 0;
    c =
      T7[a & 0xff]! ^
      T6[(a >>> 8) & 0xff]! ^
      T5[(a >>> 16) & 0xff]! ^
      T4[a >>> 24]! ^
      T3[buf[i + 4]!]! ^
      T2[buf[i + 5]!]! ^
      T1[buf[i + 6]!]! ^
      T0[buf[i + 7]!]!;
  }
  for (; i < end; i++) c = T0[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of a latin1 string (one char per byte). */
export function crc32Latin1(s: string): number {
  return crc32(Buffer.from(s, 'latin1'));
}
