// In-process checks of what commands propagate: a server's effects recorded as plain argv arrays, and commands
// run on a local client (no network) with their reply bytes.

import { startServer, type RunningServer } from '../../src/index.js';
import type { Effect } from '../../src/persistence/effects.js';
import type { Client } from '../../src/server/client.js';
import type { Server } from '../../src/server/server.js';

/**
 * Records every effect `server` emits from now on, each as `[db, ...argv]` (or a copy of argv alone when `withDb`
 * is false). The array returned grows as effects arrive.
 */
export function recordEffects(server: Server, withDb = true): string[][] {
  const effects: string[][] = [];
  server.effects.addSink((batch: readonly Effect[]) => {
    for (const e of batch) effects.push(withDb ? [String(e.db), ...e.argv] : [...e.argv]);
  });
  return effects;
}

/** Executes `argv` on a local client and returns the reply bytes (latin1). */
export function runLocal(server: Server, c: Client, argv: string[]): string {
  server.execute(c, argv);
  return Buffer.concat(c.out.take()).toString('latin1');
}

export interface RecordedRun {
  /** `[db, ...argv]` per effect (argv alone with `withDb` false); keeps growing while the server runs. */
  effects: string[][];
  replies: string[];
  server: Server;
  close: () => Promise<void>;
}

/**
 * Starts a server (`start`, by default `startServer({ port: 0 })`), records its effects and runs `cmds` on one
 * local client. The caller closes the server.
 */
export async function runRecorded(
  cmds: string[][],
  opts: { start?: () => Promise<RunningServer>; withDb?: boolean } = {},
): Promise<RecordedRun> {
  const s = await (opts.start ?? (() => startServer({ port: 0 })))();
  try {
    const effects = recordEffects(s.server, opts.withDb);
    const c = s.server.createLocalClient();
    const replies = cmds.map((argv) => runLocal(s.server, c, argv));
    return { effects, replies, server: s.server, close: s.close };
  } catch (e) {
    await s.close();
    throw e;
  }
}

/** The effects of `cmds` run on a fresh server, which is closed again. */
export async function effectsOf(cmds: string[][], withDb = true): Promise<string[][]> {
  const r = await runRecorded(cmds, { withDb });
  await r.close();
  return r.effects;
}
