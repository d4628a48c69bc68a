/**
 * Cuts a byte stream into lines for the MIME parser: a line ends at LF, and a CR right before it belongs to the
 * line break (RFC 5322 §2.1 writes CRLF; real mail also has bare LF). Only the unfinished last line is kept
 * between writes. When it grows past `maxLine`, the sink says whether to take it now as a piece of a line (a body
 * line, passed on) or to keep collecting (a header line, which the sink bounds by its own limit).
 */

export interface LineSink {
  /** One whole line without its line break, and the break (CRLF, LF, or empty for the last line of the input). */
  line(line: Buffer, eol: Buffer): void;
  /** The unfinished line holds `length` bytes, more than `maxLine`: true to be handed them now by `piece`. */
  longLine(length: number): boolean;
  /** The start of a long line; the rest comes in later pieces or as a `line`. */
  piece(piece: Buffer): void;
}

const CRLF = Buffer.from('\r\n');
const LF = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

export class LineSplitter {
  readonly #sink: LineSink;
  readonly #maxLine: number;
  #partial: Buffer[] = [];
  #partialLength = 0;

  constructor(sink: LineSink, maxLine: number) {
    this.#sink = sink;
    this.#maxLine = maxLine;
  }

  write(chunk: Buffer): void {
    let from = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, from);
      if (lf < 0) break;
      let line = chunk.subarray(from, lf);
      if (this.#partialLength > 0) line = Buffer.concat([...this.#take(), line]);
      const cr = line.length > 0 && line[line.length - 1] === 0x0d;
      this.#sink.line(cr ? line.subarray(0, -1) : line, cr ? CRLF : LF);
      from = lf + 1;
    }
    if (from < chunk.length) {
      const rest = chunk.subarray(from);
      this.#partial.push(rest);
      this.#partialLength += rest.length;
      if (this.#partialLength > this.#maxLine && this.#sink.longLine(this.#partialLength))
        this.#sink.piece(Buffer.concat(this.#take()));
    }
  }

  /** The input ended: an unfinished last line is a line without a break. */
  end(): void {
    if (this.#partialLength > 0) this.#sink.line(Buffer.concat(this.#take()), EMPTY);
  }

  #take(): Buffer[] {
    const partial = this.#partial;
    this.#partial = [];
    this.#partialLength = 0;
    return partial;
  }
}
