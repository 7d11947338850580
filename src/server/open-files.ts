// maxclients against the process's open-files limit, as Redis fits them: every client is a file descriptor, and
// 32 more are kept for the server's own files (logs, snapshots, the AOF, listeners). When the limit is too low
// for maxclients + 32, maxclients is lowered at start-up (with Redis's warnings) and CONFIG SET refuses a value
// the limit cannot serve. Node raises its soft limit to the hard limit when it starts and a JS program cannot
// raise it further, so the limit read here is final. Where it cannot be read (no /proc: Windows, macOS) nothing
// is adjusted.

import { readFileSync } from 'node:fs';
import type { Server } from './server.js';

/** Descriptors kept for the server's own use (Redis's CONFIG_MIN_RESERVED_FDS). */
export const RESERVED_FDS = 32;

/** The process's open-files limit, or undefined when unlimited or unknown. */
export function openFilesLimit(): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'latin1');
  } catch {
    return undefined;
  }
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (m === null || m[1] === 'unlimited') return undefined;
  return Number(m[1]);
}

/**
 * Lowers maxclients to what the open-files limit serves, logging Redis's warnings, and makes CONFIG SET refuse
 * a higher maxclients than the limit allows. Throws when the limit leaves no descriptor for clients at all.
 */
export function fitMaxclients(server: Server, limit = openFilesLimit()): void {
  const cfg = server.config;
  if (limit !== undefined && limit < cfg.values.maxclients + RESERVED_FDS) {
    const asked = cfg.values.maxclients;
    if (limit <= RESERVED_FDS) {
      throw new Error(
        `Your current 'ulimit -n' of ${limit} is not enough for the server to start. ` +
          `Please increase your open file limit to at least ${RESERVED_FDS + 1}. Exiting.`,
      );
    }
    cfg.values.maxclients = limit - RESERVED_FDS;
    server.log(
      'warning',
      `You requested maxclients of ${asked} requiring at least ${asked + RESERVED_FDS} max file descriptors.`,
    );
    server.log(
      'warning',
      `Server can't set maximum open files to ${asked + RESERVED_FDS}: a Node.js process cannot raise its own limit.`,
    );
    server.log(
      'warning',
      `Current maximum open files is ${limit}. maxclients has been reduced to ${cfg.values.maxclients} to ` +
        `compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
    );
  }
  // Raising maxclients asks the limit again (as Redis does); lowering it always succeeds.
  let applied = cfg.values.maxclients;
  cfg.applyChecks.push((changed) => {
    if (!changed.includes('maxclients')) return undefined;
    const wanted = cfg.values.maxclients;
    if (wanted > applied && limit !== undefined && wanted + RESERVED_FDS > limit) {
      return {
        name: 'maxclients',
        error: `The operating system is not able to handle the specified number of clients, try with ${limit - RESERVED_FDS}`,
      };
    }
    return undefined;
  });
  const prevOnChange = cfg.onChange;
  cfg.onChange = (name) => {
    prevOnChange(name);
    if (name === 'maxclients') applied = cfg.values.maxclients;
  };
}
