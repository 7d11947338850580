// Log lines in Redis's format ("pid:M 30 Nov 2026 12:00:00.000 * message"), to stdout or the logfile.

import { appendFileSync } from 'node:fs';
import { fsPath, type Config } from '../config.js';

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
    if (file) appendFileSync(fsPath(file), line);
    else process.stdout.write(line);
  }
}
