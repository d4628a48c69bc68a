/**
 * Decompression with limits, as a stream: output is counted as it appears and the inflater is destroyed the moment
 * the input's total or a member's compression ratio passes its limit, so a bomb is stopped after a few megabytes
 * and its expansion is never allocated. zlib's own backpressure keeps at most one output chunk in flight.
 *
 * gzip framing (RFC 1952) is read here, around a raw inflater: zlib's own gunzip fails on bytes after the last
 * member (Mimecast appends a line break) and then drops the output of the write that carried them. A raw inflater
 * simply stops at the end of the deflate data and says how much input it used, so the trailer is checked
 * (CRC-32 and size, §2.3.1) and whatever follows is either another member or ignored garbage.
 */
import { createInflateRaw, constants, crc32, inflateRawSync } from 'node:zlib';
import type { ByteSource } from './byte-source.ts';
import type { Budget } from './limits.ts';
import { ReportRefusal } from './refusal.ts';

const CHUNK = 64 * 1024;

interface Member {
  /** Output bytes and their CRC-32, for the gzip trailer. */
  size: number;
  crc: number;
}

/**
 * Inflates raw deflate data from `source`, stopping at the end of the deflate stream; input read past that end is
 * pushed back into `source` (when it is a ByteSource) for the caller.
 */
export async function* inflateRaw(
  source: ByteSource | AsyncIterable<Uint8Array>,
  budget: Budget,
  label: string,
  member: Member = { size: 0, crc: 0 },
): AsyncGenerator<Buffer> {
  const z = createInflateRaw({ chunkSize: CHUNK });
  const reader = 'read' in source ? source : null;
  const iterator = reader === null ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]() : null;
  const written: Uint8Array[] = [];
  let inBytes = 0;
  let outBytes = 0;
  let ended = false;
  let failure: Error | null = null;
  let stopped = false;
  const queue: Buffer[] = [];
  // The consumer (below) and the pump each wait on their own wake-up.
  const waiting: { consumer: (() => void) | null; pump: (() => void) | null } = {
    consumer: null,
    pump: null,
  };
  const wakeUp = (who: 'consumer' | 'pump') => {
    const w = waiting[who];
    waiting[who] = null;
    w?.();
  };
  const signal = () => {
    wakeUp('consumer');
    wakeUp('pump');
  };
  const sleep = (who: 'consumer' | 'pump') => new Promise<void>((resolve) => (waiting[who] = resolve));
  z.on('data', (d: Buffer) => {
    queue.push(d);
    if (queue.length >= 4) z.pause();
    wakeUp('consumer');
  });
  z.on('end', () => {
    ended = true;
    signal();
  });
  z.on('error', (e: Error) => {
    failure = e;
    signal();
  });
  z.on('drain', () => wakeUp('pump'));

  const next = async (): Promise<Uint8Array | null> => {
    if (reader !== null) return reader.read();
    const r = await iterator!.next();
    return r.done === true ? null : r.value;
  };
  const pump = (async () => {
    try {
      while (!ended && !stopped && failure === null) {
        const chunk = await next();
        if (chunk === null) {
          z.end();
          return;
        }
        if (ended || stopped) {
          reader?.unshift(chunk);
          return;
        }
        written.push(chunk);
        inBytes += chunk.byteLength;
        if (!z.write(chunk)) {
          while (z.writableNeedDrain && !ended && !stopped && failure === null) await sleep('pump');
        }
      }
    } catch (error) {
      if (!stopped) z.destroy(error as Error);
    }
  })();

  try {
    for (;;) {
      const out = queue.shift();
      if (out === undefined) {
        if (failure !== null) throw failure as Error;
        if (ended) break;
        await sleep('consumer');
        continue;
      }
      if (queue.length < 2) z.resume();
      outBytes += out.byteLength;
      member.size += out.byteLength;
      member.crc = crc32(out, member.crc);
      budget.addDecompressed(out.byteLength);
      const limits = budget.limits;
      if (outBytes > limits.ratioGraceBytes && outBytes > inBytes * limits.maxCompressionRatio) {
        throw new ReportRefusal(
          'compression_ratio',
          `${label} expands more than ${limits.maxCompressionRatio}:1 (${outBytes} bytes from ${inBytes})`,
        );
      }
      yield out;
    }
    await pump;
    // The deflate data ended: what was written but not used belongs to whatever follows it.
    let unused = inBytes - z.bytesWritten;
    const back: Uint8Array[] = [];
    for (let i = written.length - 1; i >= 0 && unused > 0; i--) {
      const c = written[i]!;
      back.push(c.byteLength <= unused ? c : c.subarray(c.byteLength - unused));
      unused -= c.byteLength;
    }
    if (reader !== null) for (const c of back) reader.unshift(c);
  } catch (error) {
    throw classify(error, label);
  } finally {
    stopped = true;
    signal();
    z.destroy();
    await pump;
  }
}

function classify(error: unknown, label: string): unknown {
  if (error instanceof ReportRefusal) return error;
  const e = error as NodeJS.ErrnoException & { errno?: number };
  if (e.errno === constants.Z_BUF_ERROR || /unexpected end/i.test(e.message ?? '')) {
    return new ReportRefusal('truncated', `the ${label} data ends early`);
  }
  if (typeof e.errno === 'number' || (typeof e.code === 'string' && e.code.startsWith('Z_'))) {
    return new ReportRefusal('corrupt_archive', `${label}: ${e.message}`);
  }
  return error;
}

async function readExact(source: ByteSource, n: number, what: string): Promise<Buffer> {
  const head = await source.peek(n);
  if (head.byteLength < n) throw new ReportRefusal('truncated', `the gzip ${what} is cut short`);
  await source.read();
  if (head.byteLength > n) source.unshift(head.subarray(n));
  return Buffer.from(head.buffer, head.byteOffset, n);
}

async function skipZeroTerminated(source: ByteSource): Promise<void> {
  // RFC 1952 §2.3.1 FNAME / FCOMMENT: zero-terminated; bounded so a header cannot grow without end.
  for (let seen = 0; seen < 64 * 1024;) {
    const chunk = await source.read();
    if (chunk === null) throw new ReportRefusal('truncated', 'the gzip header is cut short');
    const zero = chunk.indexOf(0);
    if (zero >= 0) {
      source.unshift(chunk.subarray(zero + 1));
      return;
    }
    seen += chunk.byteLength;
  }
  throw new ReportRefusal('corrupt_archive', 'gzip: a header name or comment longer than 64 KiB');
}

/** Reads one member header (RFC 1952 §2.3); false if `source` holds no further member. */
async function readMemberHeader(source: ByteSource, first: boolean, notes: string[]): Promise<boolean> {
  const head = await source.peek(10);
  if (head.byteLength === 0 && !first) return false;
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    if (first) throw new ReportRefusal('corrupt_archive', 'gzip: no gzip header');
    // §2.2: a file is a series of members; bytes after the last one that start no member are not ours.
    const rest = await source.peek(64);
    if (rest.some((b) => b !== 0)) notes.push('bytes after the end of the gzip data were ignored');
    return false;
  }
  const h = await readExact(source, 10, 'header');
  if (h[2] !== 8)
    throw new ReportRefusal('corrupt_archive', `gzip: compression method ${h[2]} is not deflate`);
  const flags = h[3]!;
  if ((flags & 4) !== 0) {
    const length = (await readExact(source, 2, 'header')).readUInt16LE(0);
    await readExact(source, length, 'extra field');
  }
  if ((flags & 8) !== 0) await skipZeroTerminated(source);
  if ((flags & 16) !== 0) await skipZeroTerminated(source);
  if ((flags & 2) !== 0) await readExact(source, 2, 'header CRC');
  return true;
}

/** Inputs whose rest fits in this are inflated at once, without a stream (most reports are a few KiB). */
const SMALL = 256 * 1024;

/**
 * The rest of a small input in one synchronous call. The output is capped at what the budget and the ratio allow,
 * so even here a bomb cannot allocate more than that.
 */
function inflateSmall(data: Uint8Array, budget: Budget, member: Member): { out: Buffer; used: number } {
  const limits = budget.limits;
  const cap = Math.min(
    limits.maxDecompressedBytes - budget.decompressedBytes,
    Math.max(limits.ratioGraceBytes, data.byteLength * limits.maxCompressionRatio),
  );
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = inflateRawSync(data, {
      info: true,
      maxOutputLength: Math.max(1, cap),
    }) as unknown as typeof result;
  } catch (error) {
    if (error instanceof RangeError) {
      const over = cap < limits.maxDecompressedBytes - budget.decompressedBytes;
      throw over
        ? new ReportRefusal('compression_ratio', `gzip expands more than ${limits.maxCompressionRatio}:1`)
        : new ReportRefusal(
            'too_large',
            `more than ${limits.maxDecompressedBytes} bytes after decompression`,
          );
    }
    throw classify(error, 'gzip');
  }
  budget.addDecompressed(result.buffer.byteLength);
  member.size += result.buffer.byteLength;
  member.crc = crc32(result.buffer, member.crc);
  return { out: result.buffer, used: result.engine.bytesWritten };
}

/** Yields the decompressed bytes of every gzip member in `source`, each checked against its trailer. */
export async function* gunzip(source: ByteSource, budget: Budget, notes: string[]): AsyncGenerator<Buffer> {
  for (let first = true; await readMemberHeader(source, first, notes); first = false) {
    const member: Member = { size: 0, crc: 0 };
    const rest = await source.peek(SMALL);
    if (rest.byteLength < SMALL) {
      await source.read();
      const { out, used } = inflateSmall(rest, budget, member);
      source.unshift(rest.subarray(used));
      if (out.byteLength > 0) yield out;
    } else yield* inflateRaw(source, budget, 'gzip', member);
    const trailer = await readExact(source, 8, 'trailer');
    if (trailer.readUInt32LE(0) !== member.crc >>> 0 || trailer.readUInt32LE(4) !== member.size % 2 ** 32) {
      throw new ReportRefusal(
        'corrupt_archive',
        'gzip: the CRC-32 or size in the trailer does not match the data',
      );
    }
  }
}
