import { createHash, type Hash } from 'node:crypto';

/**
 * The raw input as it passes: its size and SHA-256 in full, and its first `keep` bytes, so a quarantined input
 * can be audited (and re-imported) later. Chunks are kept by reference: no copy on the hot path.
 */
export class RawCapture {
  bytes = 0;
  kept = 0;
  readonly #chunks: Uint8Array[] = [];
  readonly #hash: Hash = createHash('sha256');
  readonly #keep: number;

  constructor(keep: number) {
    this.#keep = keep;
  }

  add(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    this.#hash.update(chunk);
    if (this.kept < this.#keep) {
      const part =
        chunk.byteLength <= this.#keep - this.kept ? chunk : chunk.subarray(0, this.#keep - this.kept);
      this.#chunks.push(part);
      this.kept += part.byteLength;
    }
  }

  /** Hex SHA-256 of everything added. Call once, at the end. */
  digest(): string {
    return this.#hash.digest('hex');
  }

  keptBytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
