// Log lines in Redis's format ("pid:M 30 Nov 2026 12:00:00.000 * message"), to stdout or the logfile.

import { appendFileSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fsPath, type Config } from '../config.js';
import { strerror } from '../errors.js';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

const RANK: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARK: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Log {
  constructor(private readonly config: Config) {}

  write(level: LogLevel, msg: string): void {
    if (RANK[level]! < RANK[this.config.values.loglevel]!) return;
    const d = new Date();
    const p2 = (n: number) => String(n).padStart(2, '0');
    const ts = `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    const line = `${process.pid}:M ${ts} ${MARK[level]} ${msg}\n`;
    const file = this.config.values.logfile;
    if (!file) {
      process.stdout.write(line);
      return;
    }
    try {
      appendFileSync(logPath(this.config), line);
    } catch {
      // As Redis: a line the log file does not take is dropped (a full disk, a removed directory).
    }
  }
}

/**
 * The log file's path. A relative one is inside the data directory, where Redis (which changes into it) writes it,
 * and never in the working directory of a process that embeds the server.
 */
function logPath(config: Config): string {
  const v = config.values;
  return fsPath(path.resolve(v.dir, v.logfile));
}

/** Undefined when the configured log file can be opened for appending (or none is set); else Redis's message. */
export function logFileProblem(config: Config): string | undefined {
  if (!config.values.logfile) return undefined;
  try {
    closeSync(openSync(logPath(config), 'a'));
    return undefined;
  } catch (e) {
    return `Can't open the log file: ${strerror(e)}`;
  }
}
