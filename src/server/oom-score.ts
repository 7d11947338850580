// oom-score-adj and oom-score-adj-values, as Redis 7.0 applies them on Linux: while oom-score-adj is yes
// (relative) or absolute, the process's /proc/self/oom_score_adj is the master value of oom-score-adj-values,
// added to the score the process had before (relative) or as it is (absolute), kept within [-1000, 1000]; turning
// it off puts that earlier score back. Cairn is always a master and forks no children, so only the first of the
// three values applies. Where /proc/self/oom_score_adj does not exist (not Linux) CONFIG SET of either directive
// fails, as in Redis.

import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from './server.js';

const PROC_FILE = '/proc/self/oom_score_adj';

/** The score before Cairn first changed it, and whether it has (process-wide, as the file is). */
let base = 0;
let adjusted = false;

/**
 * Brings the process's score in line with the settings; false (after logging Redis's warning) when the file cannot
 * be read or written.
 */
export function applyOomScoreAdj(server: Server): boolean {
  const cfg = server.config.values;
  let val: number;
  try {
    if (cfg['oom-score-adj'] !== 'no') {
      if (!adjusted) {
        base = parseInt(readFileSync(PROC_FILE, 'latin1'), 10) || 0;
        adjusted = true;
      }
      val = cfg['oom-score-adj-values'][0]! + (cfg['oom-score-adj'] === 'yes' ? base : 0);
      val = Math.max(-1000, Math.min(1000, val));
    } else if (adjusted) {
      adjusted = false;
      val = base;
    } else {
      return process.platform === 'linux';
    }
  } catch (e) {
    server.log('warning', `Unable to read oom_score_adj: ${(e as Error).message}`);
    return false;
  }
  try {
    writeFileSync(PROC_FILE, `${val}\n`);
  } catch (e) {
    server.log('warning', `Unable to write oom_score_adj: ${(e as Error).message}`);
    return false;
  }
  return true;
}

/** Applies the settings at start-up (a failure is only logged there) and after each CONFIG SET of them. */
export function installOomScoreAdj(server: Server): void {
  applyOomScoreAdj(server);
  server.config.applyActions.push((changed) => {
    const name = changed.find((n) => n === 'oom-score-adj' || n === 'oom-score-adj-values');
    if (name === undefined || applyOomScoreAdj(server)) return undefined;
    return { name, error: 'Failed to set current oom_score_adj. Check server logs.' };
  });
}
