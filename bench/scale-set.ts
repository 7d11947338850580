// `tsx bench/scale-set.ts [--ops N]`: per-operation time of the set commands on a set of 1 thousand and of
// 1 million members, run in-process through Cairn's dispatcher (no network), so that the growth with size shows.
// Redis promises O(1) for SADD, SREM, SISMEMBER, and SRANDMEMBER and SPOP of one member: the two columns should
// be close (a big set costs some cache misses, not a factor of the size).

import { rand, runScaleBench } from './lib/scale.js';

await runScaleBench({
  family: 'set',
  keyPrefix: 's',
  fill: { command: 'SADD', element: (j) => [`member:${j}`] },
  ops: [
    // Each new member is removed by the next call, so the size stays put; the pair is timed together.
    ['SADD new + SREM', (k) => (i) => (i % 2 === 0 ? ['SADD', k, `new:${i}`] : ['SREM', k, `new:${i - 1}`])],
    ['SISMEMBER', (k, n) => () => ['SISMEMBER', k, `member:${rand(n)}`]],
    ['SRANDMEMBER', (k) => () => ['SRANDMEMBER', k]],
    ['SRANDMEMBER 10', (k) => () => ['SRANDMEMBER', k, '10']],
    ['SRANDMEMBER -10', (k) => () => ['SRANDMEMBER', k, '-10']],
    // Each SPOP is followed by an SADD of a fresh member, so the size stays put; the pair is timed together.
    ['SPOP + SADD', (k) => (i) => (i % 2 === 0 ? ['SPOP', k] : ['SADD', k, `back:${i}`])],
    ['SCARD', (k) => () => ['SCARD', k]],
  ],
});
