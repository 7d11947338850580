// CONFIG SET checks every name before any value, as Redis 7.0.15 does; a value that does not parse names the
// parameter in lower case; CONFIG GET answers a parameter once whatever the case it was asked in; a memory value
// of 128 digits or more is malformed; SHUTDOWN ABORT refuses other flags but may be repeated; CONFIG SET dir
// changes directory as chdir() does.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sharedPair } from '../support/servers.js';
import { compareScript } from '../support/differential.js';

const pair = sharedPair();

describe('CONFIG SET and GET details (differential)', () => {
  for (const resp of [2, 3] as const) {
    it(`name checks before values, lower-case names in value errors, one answer per parameter, RESP${resp}`, async () => {
      await compareScript(
        await pair(),
        [
          ['CONFIG', 'SET', 'hz', 'x', 'nosuch', '1'],
          ['CONFIG', 'SET', 'hz', 'x', 'databases', '1'],
          ['CONFIG', 'SET', 'hz', 'x', 'dir', '/tmp'],
          ['CONFIG', 'SET', 'hz', 'x', 'hz', 'y'],
          ['CONFIG', 'SET', 'hz', '10', 'timeout', 'x', 'HZ', '11'],
          ['CONFIG', 'SET', 'databases', '1', 'nosuch', '1'],
          ['CONFIG', 'SET', 'nosuch', '1', 'other', '1'],
          ['CONFIG', 'SET', 'HZ', 'x'],
          ['CONFIG', 'SET', 'Hash-Max-Ziplist-Entries', 'x'],
          ['CONFIG', 'SET', 'MAXMEMORY-POLICY', 'bogus'],
          ['CONFIG', 'SET', 'APPENDONLY', 'maybe'],
          ['CONFIG', 'SET', 'maxmemory', '1'.repeat(128)],
          ['CONFIG', 'SET', 'maxmemory', '1'.repeat(127)],
          ['CONFIG', 'GET', 'maxmemory'],
          ['CONFIG', 'SET', 'maxmemory', '0'],
          ['CONFIG', 'GET', 'hz', 'HZ'],
          ['CONFIG', 'GET', 'HZ', 'h?'],
          ['CONFIG', 'GET', 'h?', 'HZ'],
          ['CONFIG', 'GET', 'hash-max-ziplist-entries', 'HASH-MAX-ZIPLIST-ENTRIES'],
          ['CONFIG', 'GET', 'maxmemory', 'MAXMEMORY', 'maxmemory-policy'],
        ],
        { resp },
      );
    });
  }

  it('SHUTDOWN ABORT takes no other flag but itself', async () => {
    await compareScript(await pair(), [
      ['SHUTDOWN', 'ABORT', 'ABORT'],
      ['SHUTDOWN', 'ABORT'],
      ['SHUTDOWN', 'ABORT', 'NOW'],
      ['SHUTDOWN', 'FORCE', 'ABORT'],
      ['SHUTDOWN', 'SAVE', 'NOSAVE'],
    ]);
  });
});

describe('CONFIG SET dir (differential)', () => {
  const protectedPair = sharedPair({
    redisArgs: ['--enable-protected-configs', 'yes'],
    cairnOptions: { 'enable-protected-configs': 'yes' },
  });

  it('is relative to the directory in use, must name a directory, and reads back absolute', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-dir-'));
    const deep = path.join(root, 'a', 'b');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(root, 'file'), 'x');
    try {
      await compareScript(await protectedPair(), [
        ['CONFIG', 'SET', 'dir', deep],
        ['CONFIG', 'GET', 'dir'],
        ['CONFIG', 'SET', 'dir', '..'],
        ['CONFIG', 'GET', 'dir'],
        ['CONFIG', 'SET', 'dir', 'b'],
        ['CONFIG', 'GET', 'dir'],
        ['CONFIG', 'SET', 'dir', path.join(root, 'missing')],
        ['CONFIG', 'SET', 'dir', path.join(root, 'file')],
        ['CONFIG', 'SET', 'dir', ''],
        ['CONFIG', 'GET', 'dir'],
        ['CONFIG', 'SET', 'dir', root],
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
