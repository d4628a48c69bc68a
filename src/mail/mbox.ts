/**
 * mbox files (RFC 4155): messages separated by lines that start with "From ". A push splitter like the MIME
 * parser: bytes go in, message starts and message bytes come out, with one line at most held in memory (a longer
 * line passes through in pieces). ">From " at the start of a line is unescaped (the mboxrd rule, which is also
 * harmless for mboxo files). Bytes before the first separator belong to no message and are dropped.
 */

export type MboxEvent =
  { readonly type: 'message'; readonly index: number } | { readonly type: 'data'; readonly data: Buffer };

/** A line longer than this is handed on in pieces; only a piece that starts a line can be a separator. */
const MAX_LINE = 64 * 1024;
const FROM = Buffer.from('From ');

export class MboxSplitter {
  #count = 0;
  #partial: Buffer[] = [];
  #partialLength = 0;
  #atLineStart = true;
  #events: MboxEvent[] = [];
  /** A run of whole lines of one chunk, handed on as one piece of data (no copy). */
  #run: { chunk: Buffer; start: number; end: number } | null = null;

  write(chunk: Buffer): MboxEvent[] {
    let from = 0;
    for (let lf = chunk.indexOf(0x0a, from); lf >= 0; lf = chunk.indexOf(0x0a, from)) {
      if (this.#partialLength > 0) this.#linePieces(chunk.subarray(from, lf + 1), true);
      else this.#line(chunk, from, lf + 1, true);
      from = lf + 1;
    }
    this.#flush();
    if (from < chunk.length) {
      this.#partial.push(chunk.subarray(from));
      this.#partialLength += chunk.length - from;
      if (this.#partialLength > MAX_LINE) this.#linePieces(null, false);
    }
    return this.#take();
  }

  end(): MboxEvent[] {
    if (this.#partialLength > 0) this.#linePieces(null, true);
    return this.#take();
  }

  /** The held pieces of a line (and its `last` piece) as one line, or one piece of a longer line. */
  #linePieces(last: Buffer | null, complete: boolean): void {
    if (last !== null) this.#partial.push(last);
    const line = Buffer.concat(this.#partial);
    this.#partial = [];
    this.#partialLength = 0;
    this.#line(line, 0, line.length, complete);
    this.#flush();
  }

  /** The line (or piece of one) at `chunk[start, end)`; `complete` when it ends with its line feed. */
  #line(chunk: Buffer, start: number, end: number, complete: boolean): void {
    const atLineStart = this.#atLineStart;
    this.#atLineStart = complete;
    if (atLineStart && end - start >= 5 && chunk.compare(FROM, 0, 5, start, start + 5) === 0) {
      this.#flush();
      this.#events.push({ type: 'message', index: ++this.#count });
      return;
    }
    if (this.#count === 0) return;
    if (
      atLineStart &&
      chunk[start] === 0x3e &&
      /^>+From /.test(chunk.toString('latin1', start, Math.min(end, start + 80)))
    ) {
      this.#flush();
      this.#events.push({ type: 'data', data: chunk.subarray(start + 1, end) });
      return;
    }
    if (this.#run !== null && this.#run.chunk === chunk && this.#run.end === start) this.#run.end = end;
    else {
      this.#flush();
      this.#run = { chunk, start, end };
    }
  }

  #flush(): void {
    const run = this.#run;
    if (run === null) return;
    this.#run = null;
    this.#events.push({ type: 'data', data: run.chunk.subarray(run.start, run.end) });
  }

  #take(): MboxEvent[] {
    const out = this.#events;
    this.#events = [];
    return out;
  }
}
