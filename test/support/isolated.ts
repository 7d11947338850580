// An in-process Cairn in a fresh temporary directory with persistence off, for tests that call into the server
// object directly: nothing is loaded from or left in the working directory, and every server started here is
// closed after the test file's tests (a root-level `after` hook), even when a test fails.

import { after } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/index.js';

const opened = new Set<RunningServer>();

after(async () => {
  await Promise.all([...opened].map((s) => s.close()));
});

export async function startIsolated(): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-keyspace-test-'));
  const s = await startServer({ port: 0, dir, save: '', appendonly: false });
  let closing: Promise<void> | undefined;
  const handle: RunningServer = {
    ...s,
    close: () =>
      (closing ??= (async () => {
        opened.delete(handle);
        await s.close();
        await rm(dir, { recursive: true, force: true });
      })()),
  };
  opened.add(handle);
  return handle;
}
