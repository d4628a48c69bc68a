/**
 * A streaming MIME parser (RFC 2045, RFC 2046) for report e-mails. Bytes go in; entities (with their headers),
 * decoded body data of leaf parts, and entity ends come out. It keeps one line and one header block in memory at a
 * time, whatever the message size, and counts parts and depth against limits.
 * - RFC 2046 §5.1.1: a boundary is only recognised at the start of a line, and the line break before it belongs to
 *   it, so a leaf's last line break is held back until we know the next line is not a boundary.
 * - A boundary of an enclosing multipart also ends the parts inside it (lenient, as real mail needs).
 * - message/rfc822 (and message/global) with an identity transfer encoding is parsed as a nested message; encoded
 *   ones are leaves (the caller may parse them again).
 */
import { Base64Decoder, QuotedPrintableDecoder, type BodyDecoder } from './body-decoders.ts';
import {
  fileName,
  headerValue,
  parseHeaderBlock,
  parseMediaType,
  type HeaderFields,
  type MediaType,
} from './mime-headers.ts';
import { ReportRefusal } from './refusal.ts';

export interface MimeEntity {
  /** "" for the message itself, then "1", "1.2", ... */
  readonly id: string;
  readonly depth: number;
  readonly headers: HeaderFields;
  readonly type: MediaType;
  readonly transferEncoding: string;
  readonly fileName: string | null;
  readonly kind: 'multipart' | 'message' | 'leaf';
  readonly parent: MimeEntity | null;
}

export type MimeEvent =
  | { readonly type: 'entity'; readonly entity: MimeEntity }
  | { readonly type: 'data'; readonly entity: MimeEntity; readonly data: Buffer }
  | { readonly type: 'end'; readonly entity: MimeEntity };

export interface MimeLimits {
  readonly maxHeaderBytes: number;
  readonly maxDepth: number;
  /** Called for each part after the first, so the caller can count parts against its own budget. */
  readonly onPart?: () => void;
}

const MAX_LINE = 16 * 1024;
const IDENTITY = new Set(['', '7bit', '8bit', 'binary']);

interface Frame {
  readonly id: string;
  readonly parent: Frame | null;
  readonly defaultType: string;
  state: 'headers' | 'body';
  header: string;
  entity: MimeEntity | null;
  boundary: string | null;
  closed: boolean;
  children: number;
  decoder: BodyDecoder | null;
  pendingEol: Buffer | null;
  midLine: boolean;
}

export class MimeParser {
  readonly notes: string[] = [];
  readonly #frames: Frame[] = [];
  readonly #limits: MimeLimits;
  #events: MimeEvent[] = [];
  #data: { entity: MimeEntity; parts: Buffer[] } | null = null;
  #partial: Buffer[] = [];
  #partialLength = 0;

  constructor(limits: MimeLimits) {
    this.#limits = limits;
    this.#frames.push(newFrame('', null, 'text/plain'));
  }

  write(chunk: Buffer): MimeEvent[] {
    let from = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, from);
      if (lf < 0) break;
      let line = chunk.subarray(from, lf);
      if (this.#partialLength > 0) {
        line = Buffer.concat([...this.#partial, line]);
        this.#partial = [];
        this.#partialLength = 0;
      }
      const cr = line.length > 0 && line[line.length - 1] === 0x0d;
      this.#line(cr ? line.subarray(0, -1) : line, cr ? CRLF : LF);
      from = lf + 1;
    }
    if (from < chunk.length) {
      const rest = chunk.subarray(from);
      this.#partial.push(rest);
      this.#partialLength += rest.length;
      if (this.#partialLength > MAX_LINE) this.#longLine();
    }
    return this.#take();
  }

  end(): MimeEvent[] {
    if (this.#partialLength > 0) {
      const line = Buffer.concat(this.#partial);
      this.#partial = [];
      this.#partialLength = 0;
      this.#line(line, EMPTY);
    }
    const top = this.#frames[0]!;
    if (top.state === 'headers') this.#endHeaders(top);
    while (this.#frames.length > 0) {
      const f = this.#frames[this.#frames.length - 1]!;
      if (f.boundary !== null && !f.closed)
        this.#note(`multipart ${f.id || 'message'} has no closing boundary`);
      this.#pop();
    }
    return this.#take();
  }

  #take(): MimeEvent[] {
    this.#flushData();
    const out = this.#events;
    this.#events = [];
    return out;
  }

  #line(line: Buffer, eol: Buffer): void {
    const frame = this.#frames[this.#frames.length - 1]!;
    if (frame.state === 'headers') {
      if (line.length === 0) {
        this.#endHeaders(frame);
        return;
      }
      frame.header += line.toString('latin1') + '\n';
      if (frame.header.length > this.#limits.maxHeaderBytes) {
        throw new ReportRefusal(
          'token_too_long',
          `a MIME header block over ${this.#limits.maxHeaderBytes} bytes`,
        );
      }
      return;
    }
    const continued = frame.midLine;
    frame.midLine = false;
    if (!continued && line.length >= 3 && line[0] === 0x2d && line[1] === 0x2d && this.#boundary(line))
      return;
    if (frame.entity?.kind === 'leaf') this.#leafData(frame, line, eol);
  }

  /** A line longer than any boundary line: pass what we have to the body and keep going mid-line. */
  #longLine(): void {
    const frame = this.#frames[this.#frames.length - 1]!;
    if (frame.state === 'headers') {
      if (frame.header.length + this.#partialLength > this.#limits.maxHeaderBytes) {
        throw new ReportRefusal(
          'token_too_long',
          `a MIME header line over ${this.#limits.maxHeaderBytes} bytes`,
        );
      }
      return;
    }
    const piece = Buffer.concat(this.#partial);
    this.#partial = [];
    this.#partialLength = 0;
    if (frame.entity?.kind === 'leaf') this.#leafData(frame, piece, null);
    frame.midLine = true;
  }

  #leafData(frame: Frame, data: Buffer, eol: Buffer | null): void {
    const decoder = frame.decoder!;
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

  /** Handles a line that may be a boundary of any open multipart; true if it was one. */
  #boundary(line: Buffer): boolean {
    const text = line.toString('latin1');
    for (let i = this.#frames.length - 1; i >= 0; i--) {
      const f = this.#frames[i]!;
      if (f.boundary === null || !text.startsWith(f.boundary, 2)) continue;
      const rest = text.slice(2 + f.boundary.length);
      const closing = rest.startsWith('--');
      if ((closing ? rest.slice(2) : rest).trim() !== '') continue;
      while (this.#frames.length - 1 > i) this.#pop();
      if (closing) f.closed = true;
      else {
        this.#limits.onPart?.();
        const child = newFrame(
          `${f.id === '' ? '' : f.id + '.'}${++f.children}`,
          f,
          f.entity?.type.mediaType === 'multipart/digest' ? 'message/rfc822' : 'text/plain',
        );
        this.#push(child);
      }
      return true;
    }
    return false;
  }

  #push(frame: Frame): void {
    if (this.#frames.length > this.#limits.maxDepth) {
      throw new ReportRefusal(
        'nesting_too_deep',
        `MIME parts nested more than ${this.#limits.maxDepth} deep`,
      );
    }
    this.#frames.push(frame);
  }

  #pop(): void {
    const f = this.#frames.pop()!;
    if (f.state === 'headers') {
      if (f.header === '') return;
      this.#endHeaders(f);
    }
    if (f.decoder !== null) this.#emit(f, f.decoder.end());
    this.#event({ type: 'end', entity: f.entity! });
  }

  #endHeaders(frame: Frame): void {
    const headers = parseHeaderBlock(frame.header);
    frame.header = '';
    frame.state = 'body';
    const type = parseMediaType(headerValue(headers, 'content-type'), frame.defaultType);
    const transferEncoding = (headerValue(headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
    const boundary = type.mediaType.startsWith('multipart/') ? (type.params.boundary ?? null) : null;
    const nested =
      (type.mediaType === 'message/rfc822' || type.mediaType === 'message/global') &&
      IDENTITY.has(transferEncoding);
    const kind = boundary !== null && boundary !== '' ? 'multipart' : nested ? 'message' : 'leaf';
    const entity: MimeEntity = {
      id: frame.id,
      depth: this.#frames.length - 1,
      headers,
      type,
      transferEncoding,
      fileName: fileName(headers, type),
      kind,
      parent: frame.parent?.entity ?? null,
    };
    frame.entity = entity;
    this.#event({ type: 'entity', entity });
    if (kind === 'multipart') frame.boundary = boundary;
    else if (kind === 'message') {
      this.#limits.onPart?.();
      this.#push(newFrame(`${frame.id === '' ? '' : frame.id + '.'}1`, frame, 'text/plain'));
    } else {
      frame.decoder =
        transferEncoding === 'base64'
          ? new Base64Decoder()
          : transferEncoding === 'quoted-printable'
            ? new QuotedPrintableDecoder()
            : null;
      frame.decoder ??= identityDecoder();
      if (
        !IDENTITY.has(transferEncoding) &&
        transferEncoding !== 'base64' &&
        transferEncoding !== 'quoted-printable'
      ) {
        this.#note(`unknown Content-Transfer-Encoding "${transferEncoding.slice(0, 30)}" read as binary`);
      }
    }
  }

  #note(note: string): void {
    if (this.notes.length < 5) this.notes.push(note);
  }
}

const CRLF = Buffer.from('\r\n');
const LF = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

function newFrame(id: string, parent: Frame | null, defaultType: string): Frame {
  return {
    id,
    parent,
    defaultType,
    state: 'headers',
    header: '',
    entity: null,
    boundary: null,
    closed: false,
    children: 0,
    decoder: null,
    pendingEol: null,
    midLine: false,
  };
}

function identityDecoder(): BodyDecoder {
  return { softBreak: false, write: (data) => data, end: () => null };
}
