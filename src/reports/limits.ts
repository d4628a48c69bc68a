import { ReportRefusal } from './refusal.ts';

/** Limits on one input (an e-mail, a file, an upload), whatever it unwraps into. */
export interface ReportLimits {
  /** Total bytes after decompression, over every archive and part of the input. */
  readonly maxDecompressedBytes: number;
  /** Output bytes per input byte of one gzip or zip member, checked once the output passes `ratioGraceBytes`. */
  readonly maxCompressionRatio: number;
  readonly ratioGraceBytes: number;
  /** Records of one aggregate report. */
  readonly maxRecords: number;
  /** Zip entries plus MIME parts of one input. */
  readonly maxParts: number;
  /** Archives in archives, messages in messages. */
  readonly maxNestingDepth: number;
  /** A zip is read from its central directory, so it is held in memory: this bounds that. */
  readonly maxZipBytes: number;
  /** A TLS-RPT JSON document is parsed whole: this bounds it. */
  readonly maxJsonBytes: number;
}

export const DEFAULT_REPORT_LIMITS: ReportLimits = {
  maxDecompressedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioGraceBytes: 1024 * 1024,
  maxRecords: 10_000_000,
  maxParts: 200,
  maxNestingDepth: 8,
  maxZipBytes: 64 * 1024 * 1024,
  maxJsonBytes: 16 * 1024 * 1024,
};

/** What one input has used of its limits so far. Shared by every layer that unwraps it. */
export class Budget {
  decompressedBytes = 0;
  parts = 0;
  readonly limits: ReportLimits;

  constructor(limits: ReportLimits) {
    this.limits = limits;
  }

  addDecompressed(bytes: number): void {
    this.decompressedBytes += bytes;
    if (this.decompressedBytes > this.limits.maxDecompressedBytes) {
      throw new ReportRefusal(
        'too_large',
        `more than ${formatBytes(this.limits.maxDecompressedBytes)} after decompression`,
      );
    }
  }

  addPart(): void {
    if (++this.parts > this.limits.maxParts) {
      throw new ReportRefusal('too_many_parts', `more than ${this.limits.maxParts} files or MIME parts`);
    }
  }

  checkDepth(depth: number): void {
    if (depth > this.limits.maxNestingDepth) {
      throw new ReportRefusal(
        'nesting_too_deep',
        `more than ${this.limits.maxNestingDepth} levels of archives or messages`,
      );
    }
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
