// The AOF manifest (Redis 7 multi-part AOF): which base and incremental files make up the log, in order.
//
//     file appendonly.aof.3.base.snap seq 3 type b
//     file appendonly.aof.5.incr.aof seq 5 type i
//     file appendonly.aof.6.incr.aof seq 6 type i
//
// It is replaced atomically: written to a temporary file, fsynced, renamed over the old one, directory fsynced.

import fs from 'node:fs';
import path from 'node:path';

export type ManifestFileType = 'b' | 'i' | 'h';

export interface ManifestEntry {
  name: string;
  seq: number;
  type: ManifestFileType;
}

export class ManifestError extends Error {}

export function parseManifest(text: string, file: string): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const lines = text.split('\n');
  let bases = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const fields = new Map<string, string>();
    for (let j = 0; j + 1 < parts.length; j += 2) fields.set(parts[j]!, parts[j + 1]!);
    const name = fields.get('file');
    const seq = Number(fields.get('seq'));
    const type = fields.get('type');
    if (
      parts.length % 2 !== 0 ||
      !name ||
      !Number.isSafeInteger(seq) ||
      seq < 0 ||
      (type !== 'b' && type !== 'i' && type !== 'h')
    ) {
      throw new ManifestError(`Invalid AOF manifest file format: '${file}' line ${i + 1}: ${line}`);
    }
    if (name.includes('/') || name.includes('\\') || name === '..') {
      throw new ManifestError(
        `Invalid AOF manifest file format: '${file}' line ${i + 1}: file name must not contain a path`,
      );
    }
    if (type === 'b' && ++bases > 1) throw new ManifestError(`Found duplicate base file information in '${file}'`);
    out.push({ name, seq, type });
  }
  const incr = out.filter((e) => e.type === 'i');
  for (let i = 1; i < incr.length; i++) {
    if (incr[i]!.seq <= incr[i - 1]!.seq) throw new ManifestError(`Found a non-monotonic sequence number in '${file}'`);
  }
  return out;
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
