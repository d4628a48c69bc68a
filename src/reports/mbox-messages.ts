/**
 * The reports in an mbox file. mail/'s splitter finds the messages (RFC 4155); each streams through a channel
 * into its own unwrapping while the file is read on, one message after another.
 */
import { MboxSplitter, type MboxEvent } from '../mail/index.ts';
import { Channel } from './channel.ts';
import type { DocumentOutcome } from './outcome.ts';

export async function unwrapMbox(
  source: AsyncIterable<Uint8Array>,
  unwrapMessage: (message: AsyncIterable<Uint8Array>, index: number) => Promise<DocumentOutcome[]>,
): Promise<DocumentOutcome[]> {
  const splitter = new MboxSplitter();
  const results: Array<Promise<DocumentOutcome[]>> = [];
  let channel: Channel | null = null;

  const onEvent = async (event: MboxEvent) => {
    if (event.type === 'data') {
      await channel?.push(event.data);
      return;
    }
    channel?.close();
    // Messages are handled one after another: wait for the previous one before starting the next.
    if (results.length > 0) await results[results.length - 1];
    channel = new Channel();
    const task = unwrapMessage(channel, event.index);
    task.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    results.push(task);
  };

  for await (const chunk of source) {
    for (const event of splitter.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
      await onEvent(event);
  }
  for (const event of splitter.end()) await onEvent(event);
  (channel as Channel | null)?.close();
  return (await Promise.all(results)).flat();
}
