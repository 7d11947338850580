// `tsx bench/scale-list.ts [--ops N]`: per-operation time of the list commands on a list of 1 thousand and of
// 1 million elements, run in-process through Cairn's dispatcher (no network), so that the growth with size shows.
// Redis promises O(1) for LPUSH, RPUSH, LPOP, RPOP, LLEN, LMOVE/RPOPLPUSH and for LINDEX/LSET at the ends; Cairn's
// ring buffer also gives O(1) LINDEX/LSET anywhere (Redis: O(n)). LRANGE of 10 elements is O(start + 10) in Redis,
// O(10) here. The columns should be close.

import { rand, runScaleBench } from './lib/scale.js';

await runScaleBench({
  family: 'list',
  keyPrefix: 'l',
  fill: { command: 'RPUSH', element: (j) => [`element:${j}`] },
  ops: [
    // Pairs keep the size put; each pair is timed together.
    ['LPUSH + LPOP', (k) => (i) => (i % 2 === 0 ? ['LPUSH', k, `new:${i}`] : ['LPOP', k])],
    ['RPUSH + RPOP', (k) => (i) => (i % 2 === 0 ? ['RPUSH', k, `new:${i}`] : ['RPOP', k])],
    ['LPUSH + RPOP (queue)', (k) => (i) => (i % 2 === 0 ? ['LPUSH', k, `new:${i}`] : ['RPOP', k])],
    ['RPOPLPUSH (rotate)', (k) => () => ['RPOPLPUSH', k, k]],
    ['LMOVE (rotate)', (k) => () => ['LMOVE', k, k, 'LEFT', 'RIGHT']],
    ['LLEN', (k) => () => ['LLEN', k]],
    ['LINDEX random', (k, n) => () => ['LINDEX', k, String(rand(n))]],
    ['LSET random', (k, n) => () => ['LSET', k, String(rand(n)), 'x']],
    [
      'LRANGE 10 at random',
      (k, n) => () => {
        const a = rand(n - 10);
        return ['LRANGE', k, String(a), String(a + 9)];
      },
    ],
    [
      'LPOP 10 + RPUSH 10',
      (k) => (i) => (i % 2 === 0 ? ['LPOP', k, '10'] : ['RPUSH', k, ...Array.from({ length: 10 }, (_, j) => `r${j}`)]),
    ],
  ],
});
