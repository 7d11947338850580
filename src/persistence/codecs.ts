// The value serializer registry: how each type of value is written into snapshots (and AOF base files).
//
// A value is stored as a one-byte type tag followed by what that tag's codec writes. Strings are built in
// (tag 0). Collection types register their codec from their own module, e.g.
//
//     registerValueCodec({ tag: 1, type: 'list', encode: (v, w) => …, decode: (r) => … });
//
// Tags are part of the file format: never reuse or renumber one. Reserved: 0 string, 1 list, 2 hash, 3 set,
// 4 zset, 5 stream. A snapshot holding a tag with no registered codec refuses to load (it was written by a
// newer Cairn).

import type { Value, TypeName } from '../keyspace/db.js';
import { ByteWriter, ByteReader, FormatError } from './bytes.js';
import { BIG_STRING_MIN, BigString, isBig } from '../types/big-string.js';
import { heapLatin1 } from '../protocol/buffer-internals.js';

export interface ValueCodec {
  /** The tag written before the value; unique, stable forever. */
  readonly tag: number;
  /** The TYPE of the values this codec writes. */
  readonly type: TypeName;
  /** Writes v (whose type is `type`) after the tag. */
  encode(v: Value, w: ByteWriter): void;
  /** Reads back what encode wrote; throws FormatError on malformed input. */
  decode(r: ByteReader): Value;
}

const byTag = new Map<number, ValueCodec>();
const byType = new Map<string, ValueCodec>();

/** Adds a codec. Throws if its tag or type is already taken. */
export function registerValueCodec(codec: ValueCodec): void {
  if (!Number.isInteger(codec.tag) || codec.tag < 0 || codec.tag > 255) throw new Error(`bad codec tag ${codec.tag}`);
  if (byTag.has(codec.tag)) throw new Error(`codec tag ${codec.tag} already registered`);
  if (byType.has(codec.type)) throw new Error(`codec for type ${codec.type} already registered`);
  byTag.set(codec.tag, codec);
  byType.set(codec.type, codec);
}

export const STRING_TAG = 0;

registerValueCodec({
  tag: STRING_TAG,
  type: 'string',
  encode: (v, w) => w.str(v as string),
  decode: (r) => r.str(),
});

/** Writes tag + value. Throws when the value's type has no codec (a collection type that did not register one). */
export function encodeValue(v: Value, w: ByteWriter): void {
  if (typeof v === 'string') {
    w.u8(STRING_TAG);
    w.str(v);
    return;
  }
  if (isBig(v)) {
    // The same bytes as the string it stands for (src/types/big-string.ts).
    w.u8(STRING_TAG);
    w.varint(v.bytes.length);
    w.bytes(v.bytes);
    return;
  }
  const codec = byType.get(v.type);
  if (codec === undefined) throw new Error(`no snapshot codec registered for values of type '${v.type}'`);
  w.u8(codec.tag);
  codec.encode(v, w);
}

export function decodeValue(r: ByteReader): Value {
  const tag = r.u8();
  if (tag === STRING_TAG) {
    // A big one comes back as a BigString, with bytes of its own (the reader's buffer is reused).
    const n = r.varint();
    if (n < BIG_STRING_MIN) return heapLatin1(r.bytes(n), 0, n);
    return new BigString(Buffer.from(r.bytes(n)), false);
  }
  const codec = byTag.get(tag);
  if (codec === undefined) throw new FormatError(`unknown value type tag ${tag}`);
  return codec.decode(r);
}
