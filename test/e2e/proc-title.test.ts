// The cairn command's process title, from proc-title-template as Redis expands it ({title}, {listen-addr},
// {port}, {tls-port}, {config-file}, {server-mode}, {unixsocket}); CONFIG SET of the template retitles the
// process at once. Read from /proc/<pid>/cmdline, as ps shows it. (The template's checks are compared with
// redis-server in test/compat/server.test.ts.)

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnCairnProcess } from '../support/cairn-process.js';
import { RawConnection } from '../support/resp.js';

const title = (pid: number): string => fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();

describe('process title', { skip: process.platform !== 'linux' && 'reads /proc/<pid>/cmdline' }, () => {
  it('follows proc-title-template, at start and after CONFIG SET', async () => {
    const c = await spawnCairnProcess();
    const conn = await RawConnection.connect(c.port);
    try {
      assert.match(title(c.pid), new RegExp(`main\\.ts 127\\.0\\.0\\.1:${c.port}$`));
      const set = await conn.call(['CONFIG', 'SET', 'proc-title-template', 'T {port} {tls-port} {config-file} {{x']);
      assert.equal(set.toString(), '+OK\r\n');
      assert.equal(title(c.pid), `T ${c.port} 0 - {x`);
    } finally {
      await conn.close();
      await c.stop();
    }
  });
});
