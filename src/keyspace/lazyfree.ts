// What Redis 7.0 hands to its lazy-free thread, counted for INFO lazyfreed_objects.
//
// Redis frees a deleted value in a background thread when the deletion is lazy (UNLINK, FLUSHALL/FLUSHDB ASYNC,
// and DEL, expiry, eviction, server-side deletions and overwrites, user flushes when the matching lazyfree-lazy-*
// setting is on) and freeing it would take more than LAZYFREE_THRESHOLD steps: the nodes of a quicklist, the
// entries of a hashtable set or hash, the members of a skiplist sorted set; anything else is one allocation,
// freed at once. Cairn frees nothing itself — the collector reclaims memory in the background either way — so the
// settings change only what INFO counts, which this module reproduces.

import type { Value } from './db.js';
import type { ListValue } from '../types/list.js';
import { encodingLimits } from '../types/encoding-limits.js';

/** Values whose free effort is at most this are freed at once, lazy or not (Redis's LAZYFREE_THRESHOLD). */
export const LAZYFREE_THRESHOLD = 64;

/** Which deletions are lazy: the lazyfree-lazy-* settings (the server keeps them current). */
export interface LazyfreeSettings {
  eviction: boolean;
  expire: boolean;
  serverDel: boolean;
  userDel: boolean;
  userFlush: boolean;
}

/** The node size classes of list-max-listpack-size -1 … -5, in bytes. */
const NODE_BYTES = [4096, 8192, 16384, 32768, 65536];

/**
 * The quicklist nodes Redis would hold the list in: entries per node for a positive list-max-listpack-size, else
 * its bytes (each entry costs its length and about two bytes of header) over the node size.
 */
function quicklistNodes(l: ListValue): number {
  const n = l.length;
  if (n === 0) return 0;
  const fill = encodingLimits.listFill;
  if (fill > 0) return Math.ceil(n / fill);
  const node = NODE_BYTES[Math.min(-fill, 5) - 1] ?? 8192;
  return Math.max(1, Math.ceil((l.byteLength + 2 * n) / node));
}

/** How many steps freeing the value takes (Redis's lazyfreeGetFreeEffort). */
export function freeEffort(v: Value): number {
  if (typeof v === 'string' || v.type === 'string') return 1;
  switch (v.type) {
    case 'list':
      return quicklistNodes(v as ListValue);
    case 'set':
    case 'hash':
      return v.encoding() === 'hashtable' ? (v as unknown as { size: number }).size : 1;
    case 'zset':
      return v.encoding() === 'skiplist' ? (v as unknown as { size: number }).size : 1;
    default:
      return 1;
  }
}
