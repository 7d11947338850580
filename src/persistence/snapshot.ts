// Cairn's snapshot file format, the point-in-time snapshot job (no fork), and the snapshot loader.
//
// File format (all integers little endian):
//
//     "CAIRNSNP"                          8-byte magic
//     block*                              u32 payload length, u32 CRC-32 of the payload, payload
//
// A payload starts with a kind byte:
//
//     'H' header   JSON (UTF-8): { format: 1, cairn, created (Unix ms), dbs }; always the first block
//     'K' keys     entries until the payload ends; an entry is
//                    varint db, varint key length, key bytes, u8 flags (bit 0: has expiry; bit 1: exact),
//                    [f64 absolute expiry, Unix ms | with bit 1: i64 exact expiry], u8 value tag, value (codecs.ts)
//     'E' end      varint number of entries in the file; must be the last block, followed by end of file
//
// Every block is checksummed, so a flipped bit anywhere is detected; a file without its end block is refused.
// Entries of different databases may interleave (a key written during a snapshot is saved when it is written).

import fs from 'node:fs';
import type { Database, Key, Keyspace, Value } from '../keyspace/db.js';
import type { KeyTable, SlotIterator } from '../types/key-table.js';
import type { ExpireTable } from '../keyspace/expire-table.js';
import { ByteReader, ByteWriter, FormatError } from './bytes.js';
import { decodeValue, encodeValue } from './codecs.js';
import { crc32 } from './crc32.js';
import { exactExpireIn, setExpireExact } from '../keyspace/expire.js';

/** Entry flags: the key has an expiry; the expiry is stored as an exact 64-bit integer (beyond 2^53 ms). */
const FLAG_EXPIRY = 1;
const FLAG_EXACT_EXPIRY = 2;

export const SNAPSHOT_MAGIC = 'CAIRNSNP';
export const SNAPSHOT_FORMAT = 1;
const KIND_HEADER = 0x48;
const KIND_KEYS = 0x4b;
const KIND_END = 0x45;
/** A keys block is closed when its payload passes this size. */
const BLOCK_TARGET = 256 * 1024;

/** Writes a snapshot stream: blocks go to `out` as they fill. */
export class SnapshotEncoder {
  private w = new ByteWriter(BLOCK_TARGET + 64 * 1024);
  /** Entries written so far. */
  entries = 0;
  /** Bytes handed to `out` so far. */
  bytes = 0;

  constructor(
    private readonly out: (b: Buffer) => void,
    dbs: number,
    cairnVersion: string,
  ) {
    this.emit(Buffer.from(SNAPSHOT_MAGIC, 'latin1'));
    const hdr = new ByteWriter(256);
    hdr.u8(KIND_HEADER);
    hdr.bytes(
      Buffer.from(JSON.stringify({ format: SNAPSHOT_FORMAT, cairn: cairnVersion, created: Date.now(), dbs }), 'utf8'),
    );
    this.emitBlock(hdr.buf.subarray(0, hdr.len));
    this.startKeys();
  }

  private emit(b: Buffer): void {
    this.bytes += b.length;
    this.out(b);
  }

  private emitBlock(payload: Buffer): void {
    const frame = Buffer.allocUnsafe(8 + payload.length);
    frame.writeUInt32LE(payload.length, 0);
    frame.writeUInt32LE(crc32(payload), 4);
    payload.copy(frame, 8);
    this.emit(frame);
  }

  private startKeys(): void {
    this.w.reset();
    this.w.u8(KIND_KEYS);
  }

  /** One key; `expires` is the expiry table it came from (for times beyond 2^53 ms, kept exact there). */
  entry(db: number, key: Key, v: Value, expireAt: number | undefined, expires?: ExpireTable): void {
    const w = this.w;
    w.varint(db);
    w.str(key);
    const exact = expireAt === undefined || expires === undefined ? undefined : exactExpireIn(expires, key, expireAt);
    if (expireAt === undefined) w.u8(0);
    else if (exact !== undefined) {
      w.u8(FLAG_EXPIRY | FLAG_EXACT_EXPIRY);
      w.i64(exact);
    } else {
      w.u8(FLAG_EXPIRY);
      w.f64(expireAt);
    }
    encodeValue(v, w);
    this.entries++;
    if (w.len >= BLOCK_TARGET) this.flushBlock();
  }

  /** Closes the current keys block (if it holds anything). */
  flushBlock(): void {
    if (this.w.len <= 1) return;
    this.emitBlock(this.w.buf.subarray(0, this.w.len));
    this.startKeys();
  }

  finish(): void {
    this.flushBlock();
    const end = new ByteWriter(16);
    end.u8(KIND_END);
    end.varint(this.entries);
    this.emitBlock(end.buf.subarray(0, end.len));
  }
}

/**
 * One database's state at the cut. Keyed by the Map object, so SWAPDB and FLUSHDB after the cut change nothing.
 * `vals` is the slot → value array captured with the dict (FLUSHDB and SWAPDB replace both together, and slot
 * compaction rewrites both in place), so `vals[dict.get(key)]` is always the key's value.
 */
interface Cut {
  db: number;
  dict: KeyTable;
  vals: (Value | undefined)[];
  expires: ExpireTable;
  iter: SlotIterator;
  /**
   * Keys the walk must pass over: saved by the before-write hook before the walk reached them, or absent at the cut.
   * Keys the walk saves are not added: it visits each key once, and the hook asks the iterator whether it has.
   * (Adding them made the set as big as the database, and each doubling of it stalled the server: 40 ms at 262,144
   * keys, 80 ms at 524,288.)
   */
  done: Set<Key>;
  finished: boolean;
}

/**
 * A point-in-time snapshot without fork. `start()` records the cut: the current Map objects of the included
 * databases. `step()` walks them a little at a time between event-loop turns. Until a database has been walked,
 * the before-write hook saves a key's value the first time it is about to change, so every key is written
 * exactly once, with its value (and TTL) as it was at the cut.
 */
export class SnapshotJob {
  private cuts: Cut[] = [];
  private byDict = new Map<KeyTable, Cut>();
  private cursor = 0;
  private unhook: (() => void) | undefined;
  /** Keys in the included databases at the cut (for progress). */
  total = 0;
  /** Keys written so far. */
  get processed(): number {
    return this.enc.entries;
  }
  readonly cutTime = Date.now();
  finished = false;

  constructor(
    private readonly ks: Keyspace,
    private readonly enc: SnapshotEncoder,
    include: (db: number) => boolean,
  ) {
    for (const d of ks.dbs) {
      if (!include(d.id) || d.dict.size === 0) continue;
      const cut: Cut = {
        db: d.id,
        dict: d.dict,
        vals: d.vals,
        expires: d.expires,
        iter: d.dict.entries(),
        done: new Set(),
        finished: false,
      };
      this.cuts.push(cut);
      this.byDict.set(d.dict, cut);
      this.total += d.dict.size;
    }
    if (this.cuts.length > 0) this.unhook = ks.onBeforeWrite((db, key) => this.beforeWrite(db, key));
  }

  private beforeWrite(db: Database, key: Key | null): void {
    if (key === null) return; // whole-database changes replace the Maps; the cut keeps walking the old ones
    const cut = this.byDict.get(db.dict);
    if (cut === undefined || cut.finished || cut.done.has(key)) return;
    const s = cut.dict.get(key);
    if (s !== undefined && cut.iter.passed(key, s)) return;
    cut.done.add(key);
    if (s !== undefined) this.enc.entry(cut.db, key, cut.vals[s]!, cut.expires.get(key), cut.expires);
  }

  /** Walks for at most `budgetMs` (checked every 64 keys). Returns true when every database has been walked. */
  step(budgetMs: number): boolean {
    if (this.finished) return true;
    const deadline = performance.now() + budgetMs;
    const enc = this.enc;
    while (this.cursor < this.cuts.length) {
      const cut = this.cuts[this.cursor]!;
      const { iter, done, expires, vals } = cut;
      for (let n = 0; ; n++) {
        if ((n & 63) === 63 && performance.now() > deadline) return false;
        const r = iter.next();
        if (r.done) break;
        const [key, s] = r.value;
        if (done.size !== 0 && done.has(key)) continue;
        enc.entry(cut.db, key, vals[s]!, expires.size === 0 ? undefined : expires.get(key), expires);
      }
      cut.finished = true;
      cut.done = new Set();
      this.byDict.delete(cut.dict);
      this.cursor++;
    }
    this.stop();
    enc.finish();
    this.finished = true;
    return true;
  }

  /** Detaches from the keyspace (when finished or abandoned). */
  stop(): void {
    this.unhook?.();
    this.unhook = undefined;
  }
}

/** Appends buffers to a file descriptor, synchronously (page-cache writes of a few hundred KB). */
export function fdWriter(fd: number): (b: Buffer) => void {
  return (b) => {
    let off = 0;
    while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
  };
}

/** A snapshot (or AOF) file is damaged: `offset` is where the damage was found. */
export class CorruptFileError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`Bad file format reading '${file}' at offset ${offset}: ${reason}`);
  }
}

export interface SnapshotLoadResult {
  loaded: number;
  expired: number;
  created: number;
}

/** Checks a snapshot without loading it (every block's checksum and structure). Throws CorruptFileError. */
export function verifySnapshot(buf: Buffer, file: string): SnapshotLoadResult {
  const res: SnapshotLoadResult = { loaded: 0, expired: 0, created: 0 };
  for (const _ of loadSnapshot(buf, null, file, res, 0));
  return res;
}

/**
 * Loads a snapshot into the keyspace (or with `ks` null only checks it), yielding the byte offset reached after each block so the caller can show
 * progress and let the event loop turn. Keys whose expiry has passed are skipped (counted as expired), unless
 * `keepExpired` says to load one: an AOF base keeps them, as the log's later records were made while they were
 * there (a `SET … KEEPTTL` on a dropped key would bring it back without its time), and they expire after the load.
 * Throws CorruptFileError naming `file` and the offset of the damage.
 */
export function* loadSnapshot(
  buf: Buffer,
  ks: Keyspace | null,
  file: string,
  result: SnapshotLoadResult,
  now = Date.now(),
  keepExpired?: (db: number, key: string) => boolean,
): Generator<number, void, void> {
  const bad = (off: number, why: string): never => {
    throw new CorruptFileError(file, off, why);
  };
  if (buf.length < 8 || buf.latin1Slice(0, 8) !== SNAPSHOT_MAGIC) bad(0, 'not a Cairn snapshot (wrong signature)');
  let pos = 8;
  let sawHeader = false;
  let entries = 0;
  const ndbs = ks === null ? Number.MAX_SAFE_INTEGER : ks.dbs.length;
  for (;;) {
    if (pos === buf.length) bad(pos, 'unexpected end of file (no end block): the file is truncated');
    if (pos + 8 > buf.length) bad(pos, 'unexpected end of file inside a block header: the file is truncated');
    const len = buf.readUInt32LE(pos);
    const sum = buf.readUInt32LE(pos + 4);
    const start = pos + 8;
    if (start + len > buf.length)
      bad(pos, `block of ${len} bytes runs past the end of the file: the file is truncated or damaged`);
    if (len === 0) bad(pos, 'empty block');
    if (crc32(buf, start, start + len) !== sum) bad(pos, 'checksum mismatch');
    const kind = buf[start]!;
    const r = new ByteReader(buf, start + 1, start + len);
    try {
      if (!sawHeader) {
        if (kind !== KIND_HEADER) bad(pos, 'the first block is not a header');
        const meta = JSON.parse(buf.toString('utf8', start + 1, start + len)) as { format?: number; created?: number };
        if (meta.format !== SNAPSHOT_FORMAT) bad(pos, `unsupported snapshot format ${String(meta.format)}`);
        result.created = meta.created ?? 0;
        sawHeader = true;
      } else if (kind === KIND_KEYS) {
        while (r.remaining > 0) {
          const db = r.varint();
          if (db >= ndbs) bad(pos, `the file holds database ${db} but this server has only ${ndbs} databases`);
          const key = r.str();
          const flags = r.u8();
          if (flags > (FLAG_EXPIRY | FLAG_EXACT_EXPIRY) || flags === FLAG_EXACT_EXPIRY)
            throw new FormatError(`bad entry flags ${flags}`);
          const exact = flags & FLAG_EXACT_EXPIRY ? r.i64() : undefined;
          const exp = exact !== undefined ? Number(exact) : flags & FLAG_EXPIRY ? r.f64() : undefined;
          const v = decodeValue(r);
          entries++;
          if (exp !== undefined && exp <= now && (keepExpired === undefined || !keepExpired(db, key))) {
            result.expired++;
            continue;
          }
          if (ks === null) continue;
          const d = ks.dbs[db]!;
          d.set(key, v);
          if (exact !== undefined) setExpireExact(d, key, exact);
          else if (exp !== undefined) d.setExpire(key, exp);
          result.loaded++;
        }
      } else if (kind === KIND_END) {
        const n = r.varint();
        if (r.remaining !== 0) throw new FormatError('trailing bytes in the end block');
        if (n !== entries) bad(pos, `the end block counts ${n} entries but the file holds ${entries}`);
        if (start + len !== buf.length) bad(start + len, 'data after the end block');
        return;
      } else {
        bad(pos, `unknown block kind ${kind}`);
      }
    } catch (e) {
      if (e instanceof FormatError || e instanceof SyntaxError) bad(pos, `malformed block (${e.message})`);
      throw e;
    }
    pos = start + len;
    yield pos;
  }
}
