// `npm run fuzz [-- --minutes N --seed S]`
//
// The long fuzz run: the protocol fuzzer (random and mutated RESP in random chunkings over many connections, with
// a differential sample against redis-server), the command fuzzer (random commands from COMMAND with the AOF
// on, DEBUG RELOAD and restart-from-AOF digest checks every minute; and a differential run against
// redis-server) and the multi-client differential fuzzer (several clients in lockstep: blocking, transactions,
// pub/sub, keyspace events, tracking), side by side for N minutes (default 10). Prints the figures and every
// problem found; exits 1 when there was any. The engines live in test/fuzz/ (the same ones `npm test` runs for
// ~20 s each).

import { parseArgs } from 'node:util';
import { runProtocolFuzz, mb } from '../test/fuzz/protocol-fuzz.js';
import { runCommandFuzz, runCommandDiff, describeMismatch } from '../test/fuzz/command-fuzz.js';
import { runMultiClientDiff } from '../test/fuzz/multi-client-fuzz.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
if (!(minutes > 0)) {
  process.stderr.write('usage: npm run fuzz -- [--minutes N] [--seed S]\n');
  process.exit(2);
}
const durationMs = Math.round(minutes * 60_000);
const seed = values.seed !== undefined ? Number(values.seed) : (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
const stamp = (): string => new Date().toISOString().slice(11, 19);
const log = (what: string) => (line: string) => process.stdout.write(`[${stamp()} ${what}] ${line.slice(0, 4000)}\n`);

process.stdout.write(`fuzzing for ${minutes} min, seed ${seed} (pid ${process.pid})\n`);
const t0 = Date.now();
const [proto, cmd, diff, multi] = await Promise.all([
  runProtocolFuzz({ durationMs, seed, log: log('protocol') }),
  runCommandFuzz({ durationMs, seed: seed + 1, checkpointMs: 15_000, restartMs: 60_000, log: log('commands') }),
  runCommandDiff({ durationMs, seed: seed + 2, log: log('diff') }),
  runMultiClientDiff({ durationMs, seed: seed + 3, log: log('multi-client') }),
]);
const secs = (Date.now() - t0) / 1000;

const rows: [string, string][] = [
  ['duration', `${secs.toFixed(0)} s`],
  ['seed', String(seed)],
  ['protocol: inputs tried', `${proto.inputs} (${mb(proto.bytesSent)}, ${(proto.inputs / secs).toFixed(0)}/s)`],
  ['protocol: compared with redis', String(proto.diffInputs)],
  ['protocol: crashes / hangs', `${proto.crashes} / ${proto.hangs}`],
  ['protocol: malformed replies', String(proto.malformed)],
  ['protocol: rule violations', `${proto.violations} (replies after a protocol error, no close after it)`],
  ['protocol: mismatches with redis', String(proto.mismatches)],
  ['protocol: server RSS', `${mb(proto.startRss)} at start, ${mb(proto.peakRss)} peak`],
  ['commands: commands sent', `${cmd.commands} (${cmd.distinctCommands} distinct, ${cmd.errorReplies} error replies)`],
  ['commands: crashes / hangs', `${cmd.crashes} / ${cmd.hangs}`],
  ['commands: malformed replies', String(cmd.malformed)],
  ['commands: internal errors', String(cmd.internalErrors)],
  ['commands: digest checks', `${cmd.reloadChecks} DEBUG RELOAD, ${cmd.restartChecks} restarts from the AOF`],
  ['commands: digest mismatches', String(cmd.digestMismatches)],
  ['commands: server RSS peak', mb(cmd.peakRss)],
  ['differential: commands compared', `${diff.compared} in ${diff.sequences} sequences`],
  ['differential: mismatches', `${diff.mismatches} (${diff.byCommand.size} distinct commands)`],
  ['differential: crashes', String(diff.crashes)],
  [
    'multi-client: steps compared',
    `${multi.steps} in ${multi.sequences} sequences (${multi.blocked} blocked, ${multi.pushes} RESP3 pushes)`,
  ],
  ['multi-client: differences', `${multi.problems.length} (${multi.crashes} crashes)`],
];
const w = Math.max(...rows.map((r) => r[0].length));
process.stdout.write('\n' + rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n');

const problems = [
  ...proto.problems.map((p) => `protocol: ${p}`),
  ...cmd.problems.map((p) => `commands: ${p}`),
  ...[...diff.byCommand.values()].map((m) => `differential: ${describeMismatch(m)}`),
  ...diff.problems.map((p) => `differential: ${p}`),
  ...multi.problems.map((p) => `multi-client: ${p.summary}\n${p.replay}`),
];
if (problems.length > 0) {
  process.stdout.write(`\n${problems.length} problem(s):\n\n${problems.join('\n\n')}\n`);
  process.exit(1);
}
process.stdout.write('\nno problems found\n');
