/**
 * mbox files (RFC 4155): messages separated by lines that start with "From ". Each message streams through a
 * channel into its own unwrapping while the file is read on; ">From " lines are unescaped (the mboxrd rule,
 * which is also harmless for mboxo files).
 */
import type { ByteSource } from './byte-source.ts';
import { Channel } from './channel.ts';
import type { DocumentOutcome } from './outcome.ts';
import type { UnwrapContext } from './unwrap.ts';

const MAX_LINE = 64 * 1024;

export async function splitMbox(
  source: ByteSource,
  _context: UnwrapContext,
  handle: (message: AsyncIterable<Uint8Array>, index: number) => Promise<DocumentOutcome[]>,
): Promise<DocumentOutcome[]> {
  const results: Array<Promise<DocumentOutcome[]>> = [];
  let channel: Channel | null = null;
  let count = 0;
  let partial: Buffer[] = [];
  let partialLength = 0;
  let atLineStart = true;

  const line = async (data: Buffer, complete: boolean) => {
    if (atLineStart && data.length >= 5 && data.toString('latin1', 0, 5) === 'From ') {
      channel?.close();
      // Messages are handled one after another: wait for the previous one before starting the next.
      if (results.length > 0) await results[results.length - 1];
      channel = new Channel();
      const task = handle(channel, ++count);
      task.catch(() => undefined);
      results.push(task);
    } else if (channel !== null) {
      const unescaped = atLineStart && /^>+From /.test(data.toString('latin1', 0, Math.min(data.length, 80)));
      await channel.push(unescaped ? data.subarray(1) : data);
    }
    atLineStart = complete;
  };

  for await (const chunk of source) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    for (let lf = buffer.indexOf(0x0a, from); lf >= 0; lf = buffer.indexOf(0x0a, from)) {
      let piece = buffer.subarray(from, lf + 1);
      if (partialLength > 0) {
        piece = Buffer.concat([...partial, piece]);
        partial = [];
        partialLength = 0;
      }
      await line(piece, true);
      from = lf + 1;
    }
    if (from < buffer.length) {
      partial.push(buffer.subarray(from));
      partialLength += buffer.length - from;
      if (partialLength > MAX_LINE) {
        await line(Buffer.concat(partial), false);
        partial = [];
        partialLength = 0;
      }
    }
  }
  if (partialLength > 0) await line(Buffer.concat(partial), true);
  (channel as Channel | null)?.close();
  return (await Promise.all(results)).flat();
}
