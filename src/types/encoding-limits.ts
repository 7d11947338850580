// The thresholds at which Redis converts a small value to its general encoding (hash listpack → hashtable,
// sorted set listpack → skiplist, set intset → hashtable). Redis reads them from its configuration at every
// write, so a CONFIG SET applies to values that already exist; the server copies its configuration here (see
// applyEncodingLimits). The value types read them from here, with no server at hand; servers embedded side by
// side in one process each put their own in place before they run commands or load data (useEncodingLimits).

import type { ConfigValues } from '../config.js';

/**
 * Redis 7.0's defaults: hash-max-listpack-entries / -value, zset-max-listpack-entries / -value,
 * set-max-intset-entries.
 */
export const encodingLimits = {
  hashEntries: 512,
  hashValue: 64,
  zsetEntries: 128,
  zsetValue: 64,
  setIntsetEntries: 512,
  /** list-max-listpack-size: entries per quicklist node when positive, else a node size class (-2: 8 KB). */
  listFill: -2,
};

/** Whose thresholds `encodingLimits` holds (a server), or null. */
let holder: object | null = null;

/**
 * Copies `owner`'s configured thresholds into `encodingLimits` (at start-up and after each CONFIG SET of one of
 * them).
 */
export function applyEncodingLimits(v: ConfigValues, owner: object | null = null): void {
  holder = owner;
  encodingLimits.hashEntries = v['hash-max-listpack-entries'];
  encodingLimits.hashValue = v['hash-max-listpack-value'];
  encodingLimits.zsetEntries = v['zset-max-listpack-entries'];
  encodingLimits.zsetValue = v['zset-max-listpack-value'];
  encodingLimits.setIntsetEntries = v['set-max-intset-entries'];
  encodingLimits.listFill = v['list-max-listpack-size'];
}

/**
 * Puts `owner`'s thresholds in place unless they already are: one comparison when a single server runs in the
 * process, a copy when another embedded server ran since.
 */
export function useEncodingLimits(owner: object, v: ConfigValues): void {
  if (holder !== owner) applyEncodingLimits(v, owner);
}
