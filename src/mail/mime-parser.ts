/**
 * A streaming MIME parser (RFC 2045, RFC 2046). Bytes go in; entities (with their headers and byte offsets),
 * decoded body data of leaf parts, and entity ends come out. It keeps one line and one header block in memory at a
 * time, whatever the message size, and stops with a reason (data, not an exception) at its header and depth limits.
 * - RFC 2046 §5.1.1: a boundary is only recognised at the start of a line, and the line break before it belongs to
 *   it, so a leaf's last line break is held back until we know the next line is not a boundary.
 * - A boundary of an enclosing multipart also ends the parts inside it (lenient, as real mail needs).
 * - message/rfc822 (and message/global) with an identity transfer encoding is parsed as a nested message; encoded
 *   ones are leaves (the caller may parse them again).
 */
import { LineSplitter } from './line-splitter.ts';
import { readEntityHeader, type MimeEntity } from './mime-entity.ts';
import type { MimeEvent, MimeLimits, MimeProblem } from './mime-event.ts';
import { childFrame, delimiter, rootFrame, type Frame } from './mime-frame.ts';
import { bodyDecoder, identityDecoder, isIdentityEncoding } from './transfer-encoding.ts';

const MAX_LINE = 16 * 1024;

/** Unwinds the parser from deep inside a line to `write` or `end`, which turn it into a `stopped` event. */
class Stop extends Error {
  readonly problem: MimeProblem;
  constructor(problem: MimeProblem) {
    super(problem.detail);
    this.problem = problem;
  }
}

export class MimeParser {
  readonly notes: string[] = [];
  readonly #frames: Frame[] = [];
  readonly #limits: MimeLimits;
  #events: MimeEvent[] = [];
  #data: { entity: MimeEntity; parts: Buffer[] } | null = null;
  readonly #lines = new LineSplitter(
    {
      line: (line, eol) => this.#line(line, eol),
      longLine: (length) => this.#longLine(length),
      piece: (piece) => this.#piece(piece),
    },
    MAX_LINE,
  );
  /** Input offset of the first byte not yet handed to a line. */
  #position = 0;
  /** Length of the line break that ended the last line (0 after a piece of a long line). */
  #lastEol = 0;
  #stopped = false;

  constructor(limits: MimeLimits) {
    this.#limits = limits;
    this.#frames.push(rootFrame());
  }

  write(chunk: Buffer): MimeEvent[] {
    if (this.#stopped) return [];
    try {
      this.#lines.write(chunk);
    } catch (error) {
      return this.#stop(error);
    }
    return this.#take();
  }

  end(): MimeEvent[] {
    if (this.#stopped) return [];
    try {
      this.#lines.end();
      const top = this.#frames[0]!;
      if (top.state === 'headers') this.#endHeaders(top, this.#position);
      while (this.#frames.length > 0) {
        const f = this.#frames[this.#frames.length - 1]!;
        if (f.boundary !== null && !f.closed)
          this.#note(`multipart ${f.id || 'message'} has no closing boundary`);
        this.#pop(this.#position);
      }
    } catch (error) {
      return this.#stop(error);
    }
    return this.#take();
  }

  #stop(error: unknown): MimeEvent[] {
    if (!(error instanceof Stop)) throw error;
    this.#stopped = true;
    const events = this.#take();
    events.push({ type: 'stopped', problem: error.problem });
    return events;
  }

  #take(): MimeEvent[] {
    this.#flushData();
    const out = this.#events;
    this.#events = [];
    return out;
  }

  #line(line: Buffer, eol: Buffer): void {
    const lineStart = this.#position;
    const eolBefore = this.#lastEol;
    this.#position += line.length + eol.length;
    this.#lastEol = eol.length;
    const frame = this.#frames[this.#frames.length - 1]!;
    if (frame.state === 'headers') {
      if (line.length === 0) {
        this.#endHeaders(frame, this.#position);
        return;
      }
      frame.header += line.toString('latin1') + '\n';
      if (frame.header.length > this.#limits.maxHeaderBytes) throw this.#headerTooLong('block');
      return;
    }
    const continued = frame.midLine;
    frame.midLine = false;
    const dashes = line.length >= 3 && line[0] === 0x2d && line[1] === 0x2d;
    if (!continued && dashes && this.#boundary(line, lineStart - eolBefore)) return;
    if (frame.entity?.kind === 'leaf') this.#leafData(frame, line, eol);
  }

  /** A line longer than any boundary line: in a body it is taken in pieces; a header line is bounded. */
  #longLine(length: number): boolean {
    const frame = this.#frames[this.#frames.length - 1]!;
    if (frame.state === 'body') return true;
    if (frame.header.length + length > this.#limits.maxHeaderBytes) throw this.#headerTooLong('line');
    return false;
  }

  #headerTooLong(what: 'block' | 'line'): Stop {
    const detail = `a MIME header ${what} over ${this.#limits.maxHeaderBytes} bytes`;
    return new Stop({ reason: 'header-too-long', detail });
  }

  /** A piece of a long body line: pass it to the body and keep going mid-line. */
  #piece(piece: Buffer): void {
    const frame = this.#frames[this.#frames.length - 1]!;
    this.#position += piece.length;
    this.#lastEol = 0;
    if (frame.entity?.kind === 'leaf') this.#leafData(frame, piece, null);
    frame.midLine = true;
  }

  #leafData(frame: Frame, data: Buffer, eol: Buffer | null): void {
    const decoder = frame.decoder;
    // A body the caller reads from its input (MimeLimits.identityData).
    if (decoder === null) return;
    if (frame.pendingEol !== null) this.#emit(frame, decoder.write(frame.pendingEol, false));
    frame.pendingEol = null;
    this.#emit(frame, decoder.write(data, eol !== null));
    if (eol !== null && eol.length > 0) frame.pendingEol = decoder.softBreak ? null : eol;
  }

  /** Data of one entity from one write is handed out as one chunk, not one per line. */
  #emit(frame: Frame, data: Buffer | null): void {
    if (data === null || data.length === 0) return;
    if (this.#data !== null && this.#data.entity !== frame.entity) this.#flushData();
    this.#data ??= { entity: frame.entity!, parts: [] };
    this.#data.parts.push(data);
  }

  #flushData(): void {
    const pending = this.#data;
    if (pending === null) return;
    this.#data = null;
    const data = pending.parts.length === 1 ? pending.parts[0]! : Buffer.concat(pending.parts);
    this.#events.push({ type: 'data', entity: pending.entity, data });
  }

  #event(event: MimeEvent): void {
    this.#flushData();
    this.#events.push(event);
  }

  /**
   * Handles a line that may be a boundary of any open multipart; true if it was one. `cut` is where the line
   * break before it began: the parts the boundary ends end there.
   */
  #boundary(line: Buffer, cut: number): boolean {
    const text = line.toString('latin1');
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const f = this.#frames[i]!;
      const found = delimiter(f, text);
      if (found === null) continue;
      while (this.#frames.length - 1 > i) this.#pop(cut);
      if (found === 'close') f.closed = true;
      else {
        this.#limits.onPart?.();
        const digest = f.entity?.type.mediaType === 'multipart/digest';
        this.#push(childFrame(f, digest ? 'message/rfc822' : 'text/plain', this.#position));
      }
      return true;
    }
    return false;
  }

  #push(frame: Frame): void {
    if (this.#frames.length > this.#limits.maxDepth) {
      throw new Stop({
        reason: 'nesting-too-deep',
        detail: `MIME parts nested more than ${this.#limits.maxDepth} deep`,
      });
    }
    this.#frames.push(frame);
  }

  /** Ends the innermost open entity; its body ends at `end` (never before it began). */
  #pop(end: number): void {
    const f = this.#frames.pop()!;
    if (f.state === 'headers') {
      if (f.header === '') return;
      this.#endHeaders(f, Math.max(end, f.headerStart));
    }
    if (f.decoder !== null) this.#emit(f, f.decoder.end());
    const entity = f.entity!;
    this.#event({ type: 'end', entity, bodyEnd: Math.max(end, entity.bodyStart) });
  }

  #endHeaders(frame: Frame, bodyStart: number): void {
    const read = readEntityHeader(frame.header, frame.defaultType);
    frame.header = '';
    frame.state = 'body';
    const entity: MimeEntity = {
      id: frame.id,
      depth: this.#frames.length - 1,
      headers: read.headers,
      type: read.type,
      transferEncoding: read.transferEncoding,
      fileName: read.fileName,
      kind: read.kind,
      parent: frame.parent?.entity ?? null,
      headerStart: frame.headerStart,
      bodyStart,
    };
    frame.entity = entity;
    this.#event({ type: 'entity', entity });
    if (entity.kind === 'multipart') frame.boundary = read.boundary;
    else if (entity.kind === 'message') {
      this.#limits.onPart?.();
      this.#push(childFrame(frame, 'text/plain', bodyStart));
    } else {
      if (this.#limits.identityData === false && isIdentityEncoding(read.transferEncoding)) return;
      const decoder = bodyDecoder(read.transferEncoding);
      if (decoder === null) {
        this.#note(
          `unknown Content-Transfer-Encoding "${read.transferEncoding.slice(0, 30)}" read as binary`,
        );
      }
      frame.decoder = decoder ?? identityDecoder();
    }
  }

  #note(note: string): void {
    if (this.notes.length < 5) this.notes.push(note);
  }
}
