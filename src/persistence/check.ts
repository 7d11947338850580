// `cairn check-aof [--fix] <manifest|incr file|snapshot>`: checks Cairn's AOF (every record's checksum, the base
// snapshot's blocks) and, with --fix, cuts the last incremental file back to its last good record.

import fs from 'node:fs';
import path from 'node:path';
import { parseBody, scanRecord } from './aof-format.js';
import { parseManifest } from './manifest.js';
import { CorruptFileError, SNAPSHOT_MAGIC, verifySnapshot } from './snapshot.js';

export interface IncrCheck {
  file: string;
  size: number;
  /** End of the last good record. */
  okUpTo: number;
  records: number;
  commands: number;
  problem?: { kind: 'torn' | 'corrupt'; offset: number; reason: string };
}

export function checkIncr(file: string): IncrCheck {
  const buf = fs.readFileSync(file);
  const out: IncrCheck = { file, size: buf.length, okUpTo: 0, records: 0, commands: 0 };
  let pos = 0;
  for (;;) {
    const r = scanRecord(buf, pos);
    if (r.kind === 'eof') return out;
    if (r.kind === 'torn') {
      out.problem = { kind: 'torn', offset: r.start, reason: r.reason };
      return out;
    }
    if (r.kind === 'corrupt') {
      out.problem = { kind: 'corrupt', offset: r.offset, reason: r.reason };
      return out;
    }
    try {
      out.commands += parseBody(buf, r.bodyStart, r.end).length;
    } catch (e) {
      out.problem = { kind: 'corrupt', offset: r.start, reason: (e as Error).message };
      return out;
    }
    out.records++;
    pos = out.okUpTo = r.end;
  }
}

/** Runs the checker; returns the process exit code. `print` receives each output line. */
export function checkAof(
  args: string[],
  print: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): number {
  const fix = args.includes('--fix');
  const files = args.filter((a) => a !== '--fix');
  if (files.length !== 1 || args.some((a) => a.startsWith('--') && a !== '--fix')) {
    print('Usage: cairn check-aof [--fix] <file.manifest|file.incr.aof|file.base.snap|dump.rdb>');
    return 1;
  }
  const target = files[0]!;
  if (!fs.existsSync(target)) {
    print(`Cannot open file ${target}`);
    return 1;
  }
  const checkSnapshot = (f: string): boolean => {
    try {
      const r = verifySnapshot(fs.readFileSync(f), f);
      print(`Snapshot ${f} is valid (${r.loaded + r.expired} keys)`);
      return true;
    } catch (e) {
      if (!(e instanceof CorruptFileError)) throw e;
      print(`Snapshot ${f} is damaged at offset ${e.offset}: ${e.reason}`);
      print('A damaged snapshot cannot be repaired; restore it from a backup.');
      return false;
    }
  };
  const checkOne = (f: string, isLast: boolean): boolean => {
    const c = checkIncr(f);
    if (!c.problem) {
      print(`AOF ${f} is valid (${c.records} records, ${c.commands} commands, ${c.size} bytes)`);
      return true;
    }
    const what = c.problem.kind === 'torn' ? 'ends inside a record (torn tail)' : 'is corrupted';
    print(`AOF ${f} ${what} at offset ${c.problem.offset}: ${c.problem.reason}`);
    print(`AOF analyzed: size=${c.size}, ok_up_to=${c.okUpTo}, diff=${c.size - c.okUpTo}`);
    if (!fix) {
      print(`Run 'cairn check-aof --fix ${target}' to cut it back to offset ${c.okUpTo}.`);
      return false;
    }
    if (!isLast) {
      print(`${f} is not the last file of the log: cutting it would drop the files after it. Not fixed.`);
      return false;
    }
    fs.truncateSync(f, c.okUpTo);
    print(`Successfully truncated AOF ${f} to ${c.okUpTo} bytes (${c.size - c.okUpTo} bytes removed)`);
    return true;
  };
  const head = Buffer.alloc(8);
  const fd = fs.openSync(target, 'r');
  fs.readSync(fd, head, 0, 8, 0);
  fs.closeSync(fd);
  if (head.latin1Slice(0, 8) === SNAPSHOT_MAGIC) return checkSnapshot(target) ? 0 : 1;
  if (!target.endsWith('.manifest')) return checkOne(target, true) ? 0 : 1;
  print(`Start checking Multi Part AOF ${target}`);
  let entries;
  try {
    entries = parseManifest(fs.readFileSync(target, 'utf8'), target);
  } catch (e) {
    print((e as Error).message);
    return 1;
  }
  const dir = path.dirname(target);
  const live = entries.filter((e) => e.type !== 'h');
  const incrs = live.filter((e) => e.type === 'i');
  let ok = true;
  for (const e of live) {
    const f = path.join(dir, e.name);
    if (!fs.existsSync(f)) {
      print(`File ${f} listed in the manifest does not exist`);
      ok = false;
      continue;
    }
    if (!ok) break;
    ok = e.type === 'b' ? checkSnapshot(f) : checkOne(f, e === incrs[incrs.length - 1]);
  }
  print(ok ? 'All AOF files and manifest are valid' : 'The AOF is not valid');
  return ok ? 0 : 1;
}
