/**
 * A pull reader over a stream of byte chunks, shared by the layers that unwrap one input. It can look ahead
 * (`peek`, for magic bytes) and push back, and iterating it never closes what is under it: the top layer decides
 * when to drain (an SMTP DATA stream must be read to its end) or close (an inflater must be destroyed).
 */
export class ByteSource implements AsyncIterable<Uint8Array> {
  /** Bytes taken from the underlying stream so far. */
  bytesRead = 0;
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #back: Uint8Array[] = [];
  readonly #tap: ((chunk: Uint8Array) => void) | undefined;
  #done = false;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, tap?: (chunk: Uint8Array) => void) {
    this.#iterator =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : fromSync(source[Symbol.iterator]());
    this.#tap = tap;
  }

  async read(): Promise<Uint8Array | null> {
    const back = this.#back.pop();
    if (back !== undefined) return back;
    if (this.#done) return null;
    const next = await this.#iterator.next();
    if (next.done === true) {
      this.#done = true;
      return null;
    }
    const chunk = next.value;
    this.bytesRead += chunk.byteLength;
    this.#tap?.(chunk);
    return chunk;
  }

  unshift(chunk: Uint8Array): void {
    if (chunk.byteLength > 0) this.#back.push(chunk);
  }

  /** At least `n` bytes from the front (fewer only at the end), without consuming them. */
  async peek(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      const chunk = await this.read();
      if (chunk === null) break;
      parts.push(chunk);
      have += chunk.byteLength;
    }
    const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.unshift(head);
    return head;
  }

  /** Reads and discards the rest. */
  async drain(): Promise<void> {
    while ((await this.read()) !== null) {
      // Each chunk still passes the tap (hashing, raw copy for the quarantine).
    }
  }

  /** Stops the underlying stream (an inflater is destroyed, a file closed). */
  async close(): Promise<void> {
    this.#back.length = 0;
    if (!this.#done) {
      this.#done = true;
      await this.#iterator.return?.();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        const chunk = await this.read();
        return chunk === null ? { done: true, value: undefined } : { done: false, value: chunk };
      },
      // Leaving a for-await loop early must not close the stream under it: see the class comment.
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
  }
}

function fromSync(iterator: Iterator<Uint8Array>): AsyncIterator<Uint8Array> {
  return {
    next: () => Promise.resolve(iterator.next()),
    return: () => Promise.resolve(iterator.return?.() ?? { done: true, value: undefined }),
  };
}
