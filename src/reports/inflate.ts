/**
 * Decompression with limits, as a stream: output is counted as it appears and the inflater is destroyed the moment
 * the input's total or a member's compression ratio passes its limit, so a bomb is stopped after a few megabytes
 * and its expansion is never allocated. zlib's own backpressure keeps at most one output chunk in flight.
 */
import { once } from 'node:events';
import { createGunzip, createInflateRaw, constants, type Gunzip, type InflateRaw } from 'node:zlib';
import type { Budget } from './limits.ts';
import { ReportRefusal } from './refusal.ts';

export type CompressionFormat = 'gzip' | 'deflate-raw';

const CHUNK = 64 * 1024;
/** Bytes at the end of a gzip stream written one by one (see the pump). */
const HOLD_BACK = 64;

/**
 * Yields the decompressed bytes of `source`. `notes` collects what was forgiven (trailing bytes after a gzip
 * member, which Mimecast sends). Refuses corrupt, truncated and over-limit input with a ReportRefusal.
 */
export async function* inflate(
  source: AsyncIterable<Uint8Array>,
  format: CompressionFormat,
  budget: Budget,
  notes: string[],
): AsyncGenerator<Buffer> {
  const z: Gunzip | InflateRaw =
    format === 'gzip' ? createGunzip({ chunkSize: CHUNK }) : createInflateRaw({ chunkSize: CHUNK });
  const stop = new AbortController();
  let inBytes = 0;
  let outBytes = 0;
  const write = async (chunk: Uint8Array) => {
    inBytes += chunk.byteLength;
    if (!z.write(chunk)) await once(z, 'drain', { signal: stop.signal });
  };
  const pump = (async () => {
    try {
      // Trailing garbage after the last gzip member fails the write that carries it, and zlib then drops that
      // write's output. The last bytes are therefore written one at a time, so the garbage fails alone.
      let held: Buffer = Buffer.alloc(0);
      for await (const chunk of source) {
        if (format !== 'gzip') {
          await write(chunk);
          continue;
        }
        const all = held.length === 0 ? Buffer.from(chunk) : Buffer.concat([held, chunk]);
        const cut = Math.max(0, all.length - HOLD_BACK);
        if (cut > 0) await write(all.subarray(0, cut));
        held = all.subarray(cut);
      }
      for (let i = 0; i < held.length; i++) await write(held.subarray(i, i + 1));
      z.end();
    } catch (error) {
      if (!stop.signal.aborted) z.destroy(error as Error);
    }
  })();
  // Events rather than async iteration: when zlib fails after a member (trailing garbage), the output it
  // produced before the error must still be read, and an async iterator would drop it.
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  z.on('data', (d: Buffer) => {
    queue.push(d);
    if (queue.length >= 4) z.pause();
    signal();
  });
  z.on('end', () => {
    ended = true;
    signal();
  });
  z.on('error', (e: Error) => {
    failure = e;
    signal();
  });
  try {
    for (;;) {
      const out = queue.shift();
      if (out === undefined) {
        if (failure !== null) throw failure as Error;
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (queue.length < 2) z.resume();
      outBytes += out.byteLength;
      budget.addDecompressed(out.byteLength);
      const limits = budget.limits;
      if (outBytes > limits.ratioGraceBytes && outBytes > inBytes * limits.maxCompressionRatio) {
        throw new ReportRefusal(
          'compression_ratio',
          `${format} expands more than ${limits.maxCompressionRatio}:1 (${outBytes} bytes from ${inBytes})`,
        );
      }
      yield out;
    }
  } catch (error) {
    if (error instanceof ReportRefusal) throw error;
    const zlibError = error as NodeJS.ErrnoException & { errno?: number };
    // RFC 1952 §2.2: members follow each other; bytes after the last one that are not a member are garbage.
    // zlib reports them as a bad header only after the member before them has been fully inflated and checked.
    if (
      format === 'gzip' &&
      outBytes > 0 &&
      zlibError.errno === constants.Z_DATA_ERROR &&
      /header check/.test(zlibError.message)
    ) {
      notes.push('bytes after the end of the gzip data were ignored');
      return;
    }
    if (zlibError.errno === constants.Z_BUF_ERROR || /unexpected end/i.test(zlibError.message ?? '')) {
      throw new ReportRefusal('truncated', `the ${format} data ends early`);
    }
    if (typeof zlibError.errno === 'number' || typeof zlibError.code === 'string') {
      throw new ReportRefusal('corrupt_archive', `${format}: ${zlibError.message}`);
    }
    throw error;
  } finally {
    stop.abort();
    z.destroy();
    await pump;
  }
}
