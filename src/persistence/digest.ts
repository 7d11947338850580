// Dataset digests for DEBUG DIGEST and DEBUG DIGEST-VALUE: a SHA-1 based signature of the data, equal for
// equal datasets whatever order keys (or set, hash and sorted-set elements) were inserted in.
//
// The bytes differ from Redis's (Redis's digest follows its internal encodings); the shape is the same:
//
//   value digest   SHA-1 over a type tag and the value's content; lists in order, hashes, sets and sorted sets
//                  as the XOR of one SHA-1 per element (so element order does not matter); a key with an
//                  expiry mixes in an expiry marker (its presence, as Redis does, not the time)
//   key digest     SHA-1 over the database number, the key and its value digest
//   dataset        the XOR of every key digest; 40 zeros for an empty dataset

import { isBig } from '../types/big-string.js';
import { createHash } from 'node:crypto';
import type { Keyspace, Value } from '../keyspace/db.js';
import { ByteWriter } from './bytes.js';
import { encodeValue } from './codecs.js';

export const DIGEST_BYTES = 20;

interface ListLike {
  readonly length: number;
  at(i: number): string;
}
interface HashLike {
  readonly size: number;
  fieldAt(i: number): string;
  valueAt(i: number): string;
}
interface ZsetLike {
  forEach(fn: (member: string, score: number) => void): void;
}

function lenPrefix(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

function sha1(...parts: (string | Buffer)[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) {
    if (typeof p === 'string') {
      h.update(lenPrefix(p.length));
      h.update(p, 'latin1');
    } else h.update(p);
  }
  return h.digest();
}

function xorInto(acc: Buffer, d: Buffer): void {
  for (let i = 0; i < DIGEST_BYTES; i++) acc[i]! ^= d[i]!;
}

/** A score as text: the shortest form that reads back to the same double. */
function scoreText(s: number): string {
  return Number.isNaN(s) ? 'nan' : s === Infinity ? 'inf' : s === -Infinity ? '-inf' : String(s);
}

/** The digest of one value (DEBUG DIGEST-VALUE), with the expiry marker when the key has an expiry. */
export function valueDigest(v: Value, hasExpire: boolean): Buffer {
  let body: Buffer;
  if (typeof v === 'string') body = sha1('string', v);
  else if (isBig(v)) body = sha1('string', v.toString());
  else if (v.type === 'list') {
    const l = v as unknown as ListLike;
    const h = createHash('sha1');
    h.update('list');
    h.update(lenPrefix(l.length));
    for (let i = 0; i < l.length; i++) {
      const e = l.at(i);
      h.update(lenPrefix(e.length));
      h.update(e, 'latin1');
    }
    body = h.digest();
  } else if (v.type === 'hash') {
    const hv = v as unknown as HashLike;
    const acc = Buffer.alloc(DIGEST_BYTES);
    for (let i = 0; i < hv.size; i++) xorInto(acc, sha1(hv.fieldAt(i), hv.valueAt(i)));
    body = sha1('hash', lenPrefix(hv.size), acc);
  } else if (v.type === 'set') {
    const acc = Buffer.alloc(DIGEST_BYTES);
    let n = 0;
    for (const m of v as unknown as Iterable<string>) {
      xorInto(acc, sha1(m));
      n++;
    }
    body = sha1('set', lenPrefix(n), acc);
  } else if (v.type === 'zset') {
    const acc = Buffer.alloc(DIGEST_BYTES);
    let n = 0;
    (v as unknown as ZsetLike).forEach((m, s) => {
      xorInto(acc, sha1(m, scoreText(s)));
      n++;
    });
    body = sha1('zset', lenPrefix(n), acc);
  } else {
    // A type without a digest of its own: its snapshot encoding.
    const w = new ByteWriter(1024);
    encodeValue(v, w);
    body = sha1(v.type, w.buf.subarray(0, w.len));
  }
  return hasExpire ? sha1(body, '!!expire!!') : body;
}

/** The digest of every database (DEBUG DIGEST); all zeros when there are no keys. */
export function datasetDigest(ks: Keyspace): Buffer {
  const acc = Buffer.alloc(DIGEST_BYTES);
  for (const db of ks.dbs) {
    if (db.dict.size === 0) continue;
    const dbTag = lenPrefix(db.id);
    for (const [k, s] of db.dict) xorInto(acc, sha1(dbTag, k, valueDigest(db.vals[s]!, db.expires.has(k))));
  }
  return acc;
}
