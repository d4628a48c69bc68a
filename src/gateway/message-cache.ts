const DEFAULT_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The bytes of live messages kept in memory (up to 64 MiB), so delivery sends what the intake built without reading
 * the spool back. A message that does not fit is read from the spool when its turn comes. Each message is kept in
 * its pieces (the new header block, then the body), never joined.
 */
export class MessageCache {
  readonly #limit: number;
  readonly #messages = new Map<string, readonly Buffer[]>();
  #bytes = 0;

  constructor(limitBytes = DEFAULT_LIMIT_BYTES) {
    this.#limit = limitBytes;
  }

  /** Keeps the message if it fits. */
  keep(id: string, message: readonly Buffer[], size: number): void {
    if (this.#bytes + size > this.#limit) return;
    this.#messages.set(id, message);
    this.#bytes += size;
  }

  get(id: string): readonly Buffer[] | undefined {
    return this.#messages.get(id);
  }

  drop(id: string): void {
    const message = this.#messages.get(id);
    if (message === undefined) return;
    this.#messages.delete(id);
    for (const piece of message) this.#bytes -= piece.length;
  }
}
