// The AOF manifest (Redis 7 multi-part AOF): which base and incremental files make up the log, in order.
//
//     file appendonly.aof.3.base.snap seq 3 type b
//     file appendonly.aof.5.incr.aof seq 5 type i
//     file appendonly.aof.6.incr.aof seq 6 type i
//
// It is replaced atomically: written to a temporary file, fsynced, renamed over the old one, directory fsynced.

import fs from 'node:fs';
import path from 'node:path';
import { splitArgs } from '../protocol/request-parser.js';

export type ManifestFileType = 'b' | 'i' | 'h';

export interface ManifestEntry {
  name: string;
  seq: number;
  type: ManifestFileType;
}

export class ManifestError extends Error {}

/** Longest manifest line read, its line break included (Redis reads lines of up to 1024 bytes). */
const MANIFEST_MAX_LINE = 1024;

/**
 * Reads a manifest by the rules redis-server 7.0 applies, so that a file one of them refuses the other refuses
 * too: an empty file, a line without its line break or longer than 1024 bytes, a blank line, fewer than three
 * key/value pairs, a missing file name, sequence (0 counts as missing) or type, a path for a file name, a second
 * base, an unknown type, incremental sequences that do not increase. Keys are case-insensitive; unknown keys are
 * allowed (forward compatibility); a line starting with '#' is a comment. Errors carry Redis's wording, the line
 * number and the line.
 */
export function parseManifest(text: string, file: string): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  if (text.length === 0) throw new ManifestError(`Found an empty AOF manifest: '${file}'`);
  const lines = text.split('\n');
  // A last line with its break gives an empty last element; one without it is a line without a break.
  const last = lines.pop()!;
  if (last !== '') lines.push(last);
  let bases = 0;
  let maxSeq = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const fail = (why: string): ManifestError =>
      new ManifestError(`${why}: '${file}', at line ${i + 1}: >>> '${raw.trim()}'`);
    if (raw.startsWith('#')) continue;
    if (raw.length + 1 > MANIFEST_MAX_LINE || (i === lines.length - 1 && last !== '')) {
      throw fail('The AOF manifest file contains too long line');
    }
    const line = raw.trim();
    if (line === '') throw fail('Invalid AOF manifest file format');
    const parts = splitArgs(line);
    if (parts === undefined || parts.length < 6 || parts.length % 2 !== 0)
      throw fail('Invalid AOF manifest file format');
    let name: string | undefined;
    let seq = 0;
    let type = '';
    for (let j = 0; j < parts.length; j += 2) {
      const key = parts[j]!.toLowerCase();
      const value = parts[j + 1]!;
      if (key === 'file') {
        name = value;
        if (name.includes('/') || name.includes('\\') || name === '..' || name === '.') {
          throw fail("File can't be a path, just a filename");
        }
      } else if (key === 'seq') seq = leadingInteger(value);
      else if (key === 'type') type = value.charAt(0);
    }
    if (!name || seq === 0 || type === '') throw fail('Invalid AOF manifest file format');
    if (type === 'b') {
      if (++bases > 1) throw fail('Found duplicate base file information');
    } else if (type === 'i') {
      if (seq <= maxSeq) throw fail('Found a non-monotonic sequence number');
      maxSeq = seq;
    } else if (type !== 'h') throw fail('Unknown AOF file type');
    out.push({ name, seq, type });
  }
  return out;
}

/** The number a text starts with, as C's atoll reads it (0 when it starts with none). */
function leadingInteger(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

export function formatManifest(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => `file ${e.name} seq ${e.seq} type ${e.type}\n`).join('');
}

/** Fsyncs a directory so that a rename or a new file in it is durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (e) {
    // Some file systems refuse fsync on directories (EINVAL/EISDIR); the rename is then as durable as it gets.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

let tempFiles = 0;

/**
 * The part of a temporary file's name that makes it this writer's own: the process id, as Redis names its
 * temporary files, and a count, so that two servers embedded in one process (even on one directory) never write
 * the same temporary file.
 */
export function tempTag(): string {
  return `${process.pid}-${++tempFiles}`;
}

/** Replaces dir/name with data atomically: temp file, fsync, rename, fsync the directory. */
export function writeFileAtomic(dir: string, name: string, data: string | Buffer): void {
  const tmp = path.join(dir, `temp-${tempTag()}-${name}`);
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, name));
  fsyncDir(dir);
}
