// Runs the multi-client differential fuzzer (multi-client-fuzz.ts) for a while:
//   npx tsx test/fuzz/multi-client-run.ts --seconds 60 --seed 123 [--no-shrink] [--min-steps 30 --max-steps 80] [--sequence N]
// Prints each problem's replay text as it is found, then a summary; exits 1 if there were problems.

import { runMultiClientDiff } from './multi-client-fuzz.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seconds = Number(arg('seconds') ?? 30);
const seedArg = arg('seed');
const s = await runMultiClientDiff({
  durationMs: seconds * 1000,
  seed: seedArg === undefined ? undefined : Number(seedArg),
  shrink: !process.argv.includes('--no-shrink'),
  firstSequence: arg('sequence') === undefined ? undefined : Number(arg('sequence')),
  maxSequences: arg('sequence') === undefined ? undefined : 1,
  minSteps: arg('min-steps') === undefined ? undefined : Number(arg('min-steps')),
  maxSteps: arg('max-steps') === undefined ? undefined : Number(arg('max-steps')),
  log: (line) => console.log(line),
});
console.log(
  `seed ${s.seed}: ${s.sequences} sequences, ${s.steps} steps, ${s.blocked} blocks, ${s.pushes} RESP3 pushes, ` +
    `${(s.elapsedMs / 1000).toFixed(1)} s, ${s.problems.length} problems (${s.crashes} crashes)`,
);
for (const p of s.problems) console.log(`- seq ${p.sequence}: ${p.summary}`);
process.exit(s.problems.length > 0 ? 1 : 0);
