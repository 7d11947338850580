// Persistence commands: SAVE, BGSAVE, BGREWRITEAOF (LASTSAVE lives in server.ts and reads server.lastSave).

import { Err, ReplyError } from '../errors.js';
import type { Client } from '../server/client.js';
import type { CommandSpec } from './spec.js';

const SERVER = 'server';
const BGSAVE_IN_PROGRESS = 'ERR Background save already in progress';
const BGSAVE_BLOCKED =
  "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
const REWRITE_IN_PROGRESS = 'ERR Background append only file rewriting already in progress';
const REWRITE_FAILED =
  "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";

function saveCommand(c: Client): void {
  const p = c.server.persistence;
  if (p.jobKind === 'rdb') throw new ReplyError(BGSAVE_IN_PROGRESS);
  try {
    p.saveSync();
  } catch {
    throw new ReplyError('ERR');
  }
  c.w.ok();
}

function bgsaveCommand(c: Client, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && argv[1]!.toLowerCase() === 'schedule') schedule = true;
    else throw new ReplyError(Err.syntax);
  }
  const p = c.server.persistence;
  if (p.jobKind === 'rdb') throw new ReplyError(BGSAVE_IN_PROGRESS);
  // Inside a transaction a background job is only scheduled (it starts from the cron), as Redis does.
  const inExec = c.server.callDepth > 1;
  if (p.jobKind !== null || inExec) {
    if (!schedule && !inExec) throw new ReplyError(BGSAVE_BLOCKED);
    p.scheduleBgsave();
    c.w.simple('Background saving scheduled');
    return;
  }
  try {
    p.bgsave();
  } catch {
    throw new ReplyError('ERR');
  }
  c.w.simple('Background saving started');
}

function bgrewriteaofCommand(c: Client): void {
  const p = c.server.persistence;
  if (p.jobKind === 'aof') throw new ReplyError(REWRITE_IN_PROGRESS);
  if (p.jobKind !== null || c.server.callDepth > 1) {
    p.scheduleRewrite();
    c.w.simple('Background append only file rewriting scheduled');
    return;
  }
  try {
    p.bgrewriteaof();
  } catch {
    throw new ReplyError(REWRITE_FAILED);
  }
  c.w.simple('Background append only file rewriting started');
}

export const persistenceCommands: readonly CommandSpec[] = [
  {
    name: 'save',
    arity: 1,
    flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
    keys: [0, 0, 0],
    group: SERVER,
    since: '1.0.0',
    summary: 'Synchronously save the dataset to disk',
    complexity: 'O(N) where N is the total number of keys in all databases',
    handler: saveCommand,
  },
  {
    name: 'bgsave',
    arity: -1,
    flags: ['admin', 'noscript', 'no_async_loading'],
    keys: [0, 0, 0],
    group: SERVER,
    since: '1.0.0',
    summary: 'Asynchronously save the dataset to disk',
    complexity: 'O(1)',
    history: [['3.2.2', 'Added the `SCHEDULE` option.']],
    args: [{ name: 'schedule', type: 'pure-token', token: 'SCHEDULE', since: '3.2.2', flags: ['optional'] }],
    handler: bgsaveCommand,
  },
  {
    name: 'bgrewriteaof',
    arity: 1,
    flags: ['admin', 'noscript', 'no_async_loading'],
    keys: [0, 0, 0],
    group: SERVER,
    since: '1.0.0',
    summary: 'Asynchronously rewrite the append-only file',
    complexity: 'O(1)',
    handler: bgrewriteaofCommand,
  },
];
