// `tsx bench/scale-hash.ts [--ops N]`: per-operation time of the hash commands on a hash of 1 thousand and of
// 1 million fields, run in-process through Cairn's dispatcher (no network), so that the growth with size shows.
// Redis promises O(1) for HSET, HGET, HDEL, HEXISTS, HINCRBY and single-field HRANDFIELD: the two columns should
// be close (a big hash costs some cache misses, not a factor of the size).

import { rand, runScaleBench } from './lib/scale.js';

await runScaleBench({
  family: 'hash',
  keyPrefix: 'h',
  fill: { command: 'HSET', element: (j) => [`field:${j}`, String(j)] },
  ops: [
    // Each new field is deleted by the next call, so the size stays put; the pair is timed together.
    ['HSET new + HDEL', (k) => (i) => (i % 2 === 0 ? ['HSET', k, `new:${i}`, 'x'] : ['HDEL', k, `new:${i - 1}`])],
    ['HGET', (k, n) => () => ['HGET', k, `field:${rand(n)}`]],
    ['HEXISTS', (k, n) => () => ['HEXISTS', k, `field:${rand(n)}`]],
    ['HINCRBY', (k, n) => () => ['HINCRBY', k, `field:${rand(n)}`, '1']],
    ['HSET (overwrite)', (k, n) => () => ['HSET', k, `field:${rand(n)}`, 'y']],
    ['HRANDFIELD', (k) => () => ['HRANDFIELD', k]],
    ['HRANDFIELD 10', (k) => () => ['HRANDFIELD', k, '10']],
    ['HLEN', (k) => () => ['HLEN', k]],
  ],
});
