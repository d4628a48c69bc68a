/**
 * A bounded hand-over from a push producer (the MIME parser's body data) to a pull consumer (an inflater or a
 * parser of the attachment). The producer waits while `capacity` chunks are queued, so memory stays bounded; when
 * the consumer stops early, further pushes are dropped at once so the producer never waits for nobody.
 */
export class Channel implements AsyncIterable<Uint8Array> {
  readonly #queue: Uint8Array[] = [];
  readonly #capacity: number;
  #closed = false;
  #abandoned = false;
  #wakeConsumer: (() => void) | null = null;
  #wakeProducer: (() => void) | null = null;

  constructor(capacity = 8) {
    this.#capacity = capacity;
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (this.#abandoned || this.#closed) return;
    this.#queue.push(chunk);
    this.#wake('consumer');
    while (this.#queue.length >= this.#capacity && !this.#abandoned) {
      await new Promise<void>((resolve) => (this.#wakeProducer = resolve));
    }
  }

  close(): void {
    this.#closed = true;
    this.#wake('consumer');
  }

  #wake(who: 'consumer' | 'producer'): void {
    const wake = who === 'consumer' ? this.#wakeConsumer : this.#wakeProducer;
    if (who === 'consumer') this.#wakeConsumer = null;
    else this.#wakeProducer = null;
    wake?.();
  }

  #abandon(): void {
    this.#abandoned = true;
    this.#queue.length = 0;
    this.#wake('producer');
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        for (;;) {
          const chunk = this.#queue.shift();
          if (chunk !== undefined) {
            this.#wake('producer');
            return { done: false, value: chunk };
          }
          if (this.#closed || this.#abandoned) return { done: true, value: undefined };
          await new Promise<void>((resolve) => (this.#wakeConsumer = resolve));
        }
      },
      return: () => {
        this.#abandon();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}
