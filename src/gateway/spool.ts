import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import {
  chmod,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  truncate,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeSegment,
  encodeAccept,
  encodeState,
  type RecipientState,
  type SpooledMeta,
  type StateChange,
} from './spool-records.ts';

/**
 * The durable spool: an append-only log of segment files in the data directory. A message is answered 250 only
 * after the write that holds it is on disk. Writes are gathered: every message accepted while one write runs goes
 * out in the next write (group commit). The current segment is opened with O_DSYNC, so each write returns only
 * once its data is durable — one system call on libuv's thread pool per batch, where write + fdatasync were two —
 * and the event loop never waits for the disk.
 *
 * The space ahead of the write position is preallocated in 1 MiB steps with zeros, written (durably) off the path
 * of the replies. Writing into blocks that already exist spares the file system a journal commit for the new size
 * and blocks on every sync, which halves the time a synchronous write takes here (docs/gateway.md, The spool).
 * The zeros are not records: reading a segment back stops at the first record that is not whole and intact, and
 * cuts the file there, exactly as for a torn write.
 *
 * State changes (delivered, bounced, deferred) are appended to the same log without waiting for the disk: losing
 * the last few in a crash means a message is delivered twice, never that it is lost. A segment is deleted once no
 * message in it is still live; old segments that keep a few long-deferred messages alive are compacted by
 * copying those messages forward.
 */

export interface RecoveredMessage {
  readonly meta: SpooledMeta;
  readonly states: readonly RecipientState[];
}

interface Segment {
  readonly number: number;
  readonly path: string;
  readonly handle: FileHandle;
  readonly openedAt: number;
  /** Where the next record goes: the end of the records. */
  size: number;
  /** How far the file is already written (with zeros beyond `size`); 0 for a segment read back at start. */
  allocated: number;
  /** The zero fill in flight, if any: it writes from `allocated` on, so no record may go past `allocated` meanwhile. */
  extending: Promise<void> | undefined;
  readonly live: Set<string>;
}

/** How much zero-filled space to keep ahead of the write position. */
const PREALLOCATE_BYTES = 1024 * 1024;
let zeros: Buffer | undefined;

interface Location {
  segment: Segment;
  offset: number;
  length: number;
  /** The rest of the message, in a body file of its own (`body-<id>.eml`), and its length. */
  file?: { readonly path: string; readonly length: number };
}

/** A spooled message for delivery: its first part from the segment, and the rest, if any, as a stream from its file. */
export interface SpooledMessage {
  readonly head: Buffer;
  readonly size: number;
  /** The body file's bytes in pieces of at most 64 KiB, read as they are consumed; undefined: `head` is all. */
  readonly body?: () => AsyncIterable<Buffer>;
}

const BODY_FILE = /^body-([a-z0-9]+)\.eml$/;
const TEMPORARY_FILE = /^tmp-[0-9a-f]+\.part$/;
const bodyFileName = (id: string) => `body-${id}.eml`;

/**
 * A message body written to a temporary file in the spool folder while it arrives (as Postfix writes its queue
 * file), so a large message never sits in memory whole. `Spool.accept` makes it durable (fsync) and gives it its
 * message's name (rename, then fsync of the folder) before the ACCEPT record that names it is written; `abort`
 * removes it (a refused message, a dropped connection). A crash before the record leaves a file that nothing
 * names: it is removed when the spool is opened again.
 */
export class SpoolBody {
  readonly #handle: FileHandle;
  #path: string;
  #length = 0;
  #state: 'open' | 'committed' | 'gone' = 'open';

  constructor(handle: FileHandle, path: string) {
    this.#handle = handle;
    this.#path = path;
  }

  get length(): number {
    return this.#length;
  }

  /**
   * Appends pieces in one gathered write; resolves once the kernel has them (one write in flight at a time: the
   * caller waits).
   */
  async write(...pieces: Buffer[]): Promise<void> {
    if (this.#state !== 'open') throw new Error('the spool body file is closed');
    const at = this.#length;
    await writeAll(this.#handle, pieces, at);
    for (const piece of pieces) this.#length += piece.length;
  }

  /** Closes and removes the file (a message that is not accepted); nothing once it belongs to a spooled message. */
  async abort(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'gone';
    await this.#handle.close().catch(() => undefined);
    await rm(this.#path, { force: true });
  }

  /** Makes the file durable under its final name; the folder's entry is made durable by the caller. */
  async commit(path: string): Promise<void> {
    if (this.#state !== 'open') throw new Error('the spool body file is closed');
    this.#state = 'committed';
    try {
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
    await rename(this.#path, path);
    this.#path = path;
  }
}

interface Pending {
  readonly pieces: Buffer[];
  readonly length: number;
  readonly placed?: (segment: Segment, offset: number) => void;
  readonly durable?: { resolve: () => void; reject: (error: Error) => void };
}

export interface SpoolOptions {
  /** A segment is closed and a new one started once it passes this size. */
  readonly segmentBytes: number;
  readonly now?: () => number;
}

const SEGMENT = /^seg-(\d{10})\.log$/;
const segmentName = (n: number) => `seg-${String(n).padStart(10, '0')}.log`;

export class Spool {
  readonly #dir: string;
  readonly #options: SpoolOptions;
  readonly #segments = new Map<number, Segment>();
  readonly #where = new Map<string, Location>();
  readonly #states = new Map<string, RecipientState[]>();
  readonly #meta = new Map<string, SpooledMeta>();
  #current!: Segment;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;
  readonly #removals = new Set<Promise<void>>();
  #closed = false;

  private constructor(dir: string, options: SpoolOptions) {
    this.#dir = dir;
    this.#options = options;
  }

  /** Opens the spool, reading every segment back: the messages still to deliver, with their recipients' states. */
  static async open(
    dir: string,
    options: SpoolOptions,
  ): Promise<{ spool: Spool; recovered: RecoveredMessage[] }> {
    // Segments hold whole messages: only the senderd user may list or read them, also in a spool made before.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const spool = new Spool(dir, options);
    const numbers = (await readdir(dir))
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const n of numbers) await spool.#recoverSegment(n);
    for (const [id, states] of spool.#states) {
      if (states.every((s) => s.status !== 'pending')) spool.release(id);
    }
    for (const segment of [...spool.#segments.values()]) {
      if (segment.live.size === 0) await spool.#remove(segment);
    }
    // Body files no live message names: a crash before their ACCEPT record (never acknowledged), or after the
    // message was done; and temporary files of messages that were still arriving.
    for (const name of await readdir(dir)) {
      const body = BODY_FILE.exec(name);
      if ((body !== null && !spool.#where.has(body[1]!)) || TEMPORARY_FILE.test(name)) {
        await rm(join(dir, name), { force: true });
      }
    }
    spool.#current = await spool.#createSegment((numbers[numbers.length - 1] ?? 0) + 1);
    const recovered = [...spool.#meta.values()].map((meta) => ({
      meta,
      states: spool.#states.get(meta.id) ?? [],
    }));
    return { spool, recovered };
  }

  async #recoverSegment(n: number): Promise<void> {
    const path = join(this.#dir, segmentName(n));
    const data = await readFile(path);
    const { records, validLength } = decodeSegment(data);
    // A torn tail is the unfinished write of a crash: none of it was ever acknowledged.
    if (validLength < data.length) await truncate(path, validLength);
    const segment: Segment = {
      number: n,
      path,
      handle: await open(path, 'r').then(async (handle) => {
        await handle.chmod(0o600);
        return handle;
      }),
      openedAt: this.#now(),
      size: validLength,
      allocated: 0,
      extending: undefined,
      live: new Set(),
    };
    this.#segments.set(n, segment);
    for (const { offset, record } of records) {
      if (record.type === 'accept') {
        const id = record.meta.id;
        const before = this.#where.get(id);
        before?.segment.live.delete(id);
        this.#meta.set(id, record.meta);
        this.#where.set(id, {
          segment,
          offset: offset + record.bodyOffset,
          length: record.bodyLength,
          ...(record.fileLength === undefined
            ? {}
            : { file: { path: join(this.#dir, bodyFileName(id)), length: record.fileLength } }),
        });
        segment.live.add(id);
        const fresh = record.meta.recipients.map(() => ({
          status: 'pending' as const,
          attempts: 0,
          nextAttemptAt: 0,
        }));
        this.#states.set(id, record.states ? [...record.states] : fresh);
      } else {
        const states = this.#states.get(record.change.id);
        if (states !== undefined && record.change.recipient < states.length) {
          const { id: _id, recipient, ...state } = record.change;
          states[recipient] = state;
        }
      }
    }
  }

  async #createSegment(n: number): Promise<Segment> {
    const path = join(this.#dir, segmentName(n));
    // O_DSYNC: a write returns once its data, and what is needed to read it back, is on disk (POSIX synchronized
    // I/O data integrity), as write + fdatasync did. Positional writes, no O_APPEND: the file runs ahead in zeros.
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_DSYNC, 0o600);
    // The new file's directory entry must be durable too, or an fsync'd message could vanish with its file.
    await syncDirectory(this.#dir);
    const segment: Segment = {
      number: n,
      path,
      handle,
      openedAt: this.#now(),
      size: 0,
      allocated: 0,
      extending: undefined,
      live: new Set(),
    };
    this.#segments.set(n, segment);
    this.#preallocate(segment);
    return segment;
  }

  /** Starts writing the next step of zeros after `allocated`, unless one is in flight or the segment is full. */
  #preallocate(segment: Segment): void {
    if (segment.extending !== undefined || this.#closed) return;
    if (segment.allocated - segment.size > PREALLOCATE_BYTES / 2) return;
    if (segment.allocated >= this.#options.segmentBytes) return;
    const at = segment.allocated;
    zeros ??= Buffer.alloc(PREALLOCATE_BYTES);
    segment.extending = writeAll(segment.handle, [zeros], at).then(
      () => {
        segment.allocated = Math.max(segment.allocated, at + PREALLOCATE_BYTES);
        segment.extending = undefined;
      },
      () => {
        // Only a speed-up: without it the records simply extend the file. Give up on this segment.
        segment.allocated = Infinity;
        segment.extending = undefined;
      },
    );
  }

  /**
   * Spools a message (its pieces, written as one run of bytes); resolves once it is on disk (a synchronous write).
   * Only then may the client get its 250.
   */
  async accept(meta: SpooledMeta, message: readonly Buffer[], body?: SpoolBody): Promise<void> {
    if (body === undefined) return this.#append(meta, message, undefined, undefined);
    if (this.#closed) throw new Error('the spool is closed');
    // The body first, durable under its final name (fsync, rename, fsync of the folder); then the record that
    // names it, whose write is the one the 250 waits for. A crash in between leaves a file nobody names.
    const path = join(this.#dir, bodyFileName(meta.id));
    try {
      await body.commit(path);
      await syncDirectory(this.#dir);
      await this.#append(meta, message, undefined, { path, length: body.length });
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /** A temporary file in the spool folder for a message body that arrives; see SpoolBody. */
  async createBody(): Promise<SpoolBody> {
    if (this.#closed) throw new Error('the spool is closed');
    const path = join(this.#dir, `tmp-${randomBytes(12).toString('hex')}.part`);
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    return new SpoolBody(handle, path);
  }

  #append(
    meta: SpooledMeta,
    message: readonly Buffer[],
    states: readonly RecipientState[] | undefined,
    file: Location['file'],
  ): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the spool is closed'));
    const encoded = encodeAccept(meta, message, states, file?.length);
    return new Promise((resolve, reject) => {
      this.#enqueue({
        pieces: encoded.pieces,
        length: encoded.length,
        placed: (segment, offset) => {
          this.#where.get(meta.id)?.segment.live.delete(meta.id);
          this.#where.set(meta.id, {
            segment,
            offset: offset + encoded.bodyOffset,
            length: encoded.bodyLength,
            ...(file === undefined ? {} : { file }),
          });
          segment.live.add(meta.id);
          this.#meta.set(meta.id, meta);
          if (!this.#states.has(meta.id))
            this.#states.set(
              meta.id,
              meta.recipients.map(() => ({ status: 'pending', attempts: 0, nextAttemptAt: 0 })),
            );
        },
        durable: { resolve, reject },
      });
    });
  }

  /** Records a recipient's new state. Not waited for: it rides along with the next write. */
  recordState(change: StateChange): void {
    if (this.#closed) return;
    const states = this.#states.get(change.id);
    if (states === undefined) return;
    const { id: _id, recipient, ...state } = change;
    states[recipient] = state;
    const record = encodeState(change);
    this.#enqueue({ pieces: [record], length: record.length });
  }

  /** Forgets a message whose recipients are all done; its segment goes once nothing in it is live. */
  release(id: string): void {
    const where = this.#where.get(id);
    this.#where.delete(id);
    this.#meta.delete(id);
    this.#states.delete(id);
    if (where === undefined) return;
    if (where.file !== undefined) this.#removeFile(where.file.path);
    where.segment.live.delete(id);
    if (where.segment.live.size === 0 && where.segment !== this.#current) void this.#remove(where.segment);
  }

  /** Removes a body file in the background; `close` waits for it. */
  #removeFile(path: string): void {
    const removal = rm(path, { force: true }).catch(() => undefined);
    this.#removals.add(removal);
    void removal.finally(() => this.#removals.delete(removal));
  }

  has(id: string): boolean {
    return this.#where.has(id);
  }

  /** The spooled bytes of a message, read back whole (its segment record, then its body file if it has one). */
  async read(id: string): Promise<Buffer> {
    const message = await this.open(id);
    if (message.body === undefined) return message.head;
    const pieces = [message.head];
    for await (const piece of message.body()) pieces.push(piece);
    return Buffer.concat(pieces);
  }

  /**
   * A spooled message for delivery: the record's bytes read back from its segment, and the body file, if any, as
   * a stream that is read only as it is sent (a 24 MiB message costs 64 KiB at a time, not 24 MiB per attempt).
   * `part` reads only a range of the record's bytes: one recipient's copy of a personalised message.
   */
  async open(
    id: string,
    part?: { readonly start: number; readonly length: number },
  ): Promise<SpooledMessage> {
    const where = this.#where.get(id);
    if (where === undefined) throw new Error(`message ${id} is not in the spool`);
    if (part !== undefined && (part.start < 0 || part.start + part.length > where.length))
      throw new Error(`message ${id} has no bytes at ${part.start}+${part.length}`);
    const head = await this.#readRecord(
      part === undefined ? where : { ...where, offset: where.offset + part.start, length: part.length },
    );
    const file = where.file;
    if (file === undefined) return { head, size: head.length };
    return {
      head,
      size: head.length + file.length,
      body: () => createReadStream(file.path, { highWaterMark: 64 * 1024 }),
    };
  }

  async #readRecord(where: Location): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(where.length);
    const { bytesRead } = await where.segment.handle.read(buffer, 0, where.length, where.offset);
    if (bytesRead !== where.length) throw new Error(`spool segment ${where.segment.path} is short`);
    return buffer;
  }

  /**
   * Copies the live messages of segments older than `ageMs` into the current segment, so the old files can go.
   * Long-deferred messages would otherwise keep whole segments of delivered mail on disk.
   */
  async compact(ageMs: number): Promise<number> {
    let moved = 0;
    const cutoff = this.#now() - ageMs;
    for (const segment of [...this.#segments.values()]) {
      if (segment === this.#current || segment.openedAt > cutoff || segment.live.size === 0) continue;
      for (const id of [...segment.live]) {
        const meta = this.#meta.get(id);
        const where = this.#where.get(id);
        if (meta === undefined || where === undefined) continue;
        // A body file stays where it is: the new record names it again.
        await this.#append(meta, [await this.#readRecord(where)], this.#states.get(id), where.file);
        moved++;
      }
      if (segment.live.size === 0) await this.#remove(segment);
    }
    return moved;
  }

  stats(): { liveMessages: number; segments: number } {
    return { liveMessages: this.#where.size, segments: this.#segments.size };
  }

  /** Flushes what is queued, then closes every file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#flushing;
    await Promise.all(this.#removals);
    this.#closed = true;
    for (const segment of this.#segments.values()) {
      await segment.extending;
      await segment.handle.close();
    }
  }

  #enqueue(entry: Pending): void {
    this.#pending.push(entry);
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
      if (this.#pending.length > 0) this.#enqueue({ pieces: [], length: 0 });
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      const segment = this.#current;
      try {
        let offset = segment.size;
        const pieces: Buffer[] = [];
        for (const entry of batch) {
          entry.placed?.(segment, offset);
          offset += entry.length;
          pieces.push(...entry.pieces);
        }
        // The zero fill writes from `allocated` on: a batch that reaches past it waits, or the zeros could land on
        // top of its records.
        if (offset > segment.allocated) await segment.extending;
        await writeAll(segment.handle, pieces, segment.size);
        segment.size = offset;
        if (segment.size > segment.allocated) segment.allocated = segment.size;
        // The write was synchronous (O_DSYNC): everything in the batch is durable now.
        for (const entry of batch) entry.durable?.resolve();
        this.#preallocate(segment);
      } catch (error) {
        for (const entry of batch) entry.durable?.reject(error as Error);
      }
      if (segment.size >= this.#options.segmentBytes && !this.#closed) {
        this.#current = await this.#createSegment(segment.number + 1);
        if (segment.live.size === 0) await this.#remove(segment);
      }
    }
  }

  async #remove(segment: Segment): Promise<void> {
    if (!this.#segments.delete(segment.number)) return;
    await segment.extending;
    await segment.handle.close();
    await unlink(segment.path);
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}

/** Makes the folder's entries (a new or renamed file) durable. */
async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Writes every piece at `position`, looping over partial writes; at most 1,024 buffers per call (IOV_MAX). */
async function writeAll(handle: FileHandle, pieces: Buffer[], position: number): Promise<void> {
  let queue = pieces.filter((p) => p.length > 0);
  let at = position;
  while (queue.length > 0) {
    const chunk = queue.slice(0, 1024);
    const { bytesWritten } = await handle.writev(chunk, at);
    at += bytesWritten;
    let left = bytesWritten;
    let used = 0;
    while (used < chunk.length && left >= chunk[used]!.length) left -= chunk[used++]!.length;
    const rest = queue.slice(used);
    if (left > 0) rest[0] = rest[0]!.subarray(left);
    queue = rest;
  }
}
