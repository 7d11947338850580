// redis-cli driven interactively (in a tmux pane, as a person would): command hints and replies.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, type RunningServer } from '../../src/index.js';

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function screenShows(session: string, re: RegExp, ms = 5000): Promise<string> {
  const t0 = Date.now();
  let screen = '';
  while (Date.now() - t0 < ms) {
    screen = tmux('capture-pane', '-t', session, '-p');
    if (re.test(screen)) return screen;
    await sleep(100);
  }
  assert.fail(`screen never showed ${re}:\n${screen}`);
}

describe('redis-cli interactive session', () => {
  let s: RunningServer;
  const session = `cairn-cli-${process.pid}`;
  before(async () => {
    s = await startServer({ port: 0 });
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '30', `redis-cli -p ${s.port}`);
  });
  after(async () => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    await s.close();
  });

  it('shows argument hints while typing and prints replies', async () => {
    await screenShows(session, new RegExp(`127\\.0\\.0\\.1:${s.port}>`));
    tmux('send-keys', '-t', session, 'SET mykey ');
    await screenShows(session, /SET mykey value \[NX\|XX\] \[GET\]/);
    tmux('send-keys', '-t', session, 'C-u', 'SET greeting "hello world"', 'Enter');
    await screenShows(session, /^OK$/m);
    tmux('send-keys', '-t', session, 'GET greeting', 'Enter');
    await screenShows(session, /^"hello world"$/m);
    tmux('send-keys', '-t', session, 'ZADD board 10 alice 20 bob', 'Enter');
    await screenShows(session, /^\(integer\) 2$/m);
    tmux('send-keys', '-t', session, 'ZREVRANGE board 0 -1 WITHSCORES', 'Enter');
    await screenShows(session, /1\) "bob"\s+2\) "20"\s+3\) "alice"\s+4\) "10"/);
    tmux('send-keys', '-t', session, 'INCR greeting', 'Enter');
    await screenShows(session, /\(error\) ERR value is not an integer or out of range/);
  });
});
