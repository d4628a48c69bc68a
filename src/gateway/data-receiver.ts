import { RelaxedBodyHasher } from '../dkim/index.ts';
import { MessageStreamInspector, type StreamedMessage } from './message-bytes.ts';
import type { SmtpReply } from './smtp-reply.ts';
import type { SpoolBody } from './spool.ts';

/**
 * DATA as it arrives, in bounded memory. A message up to `streamAfterBytes` is kept in memory and handed over
 * whole (the common case: one gathered, group-committed spool write). Past that, the message is checked as it
 * streams (message-bytes.ts: line ends, NUL, line lengths, 8-bit header bytes), its header block kept (at most
 * `headerLimitBytes`), its body hashed for DKIM and written to a temporary file in the spool folder as it comes
 * (spool.ts, SpoolBody), as Postfix writes its queue file: memory per connection stays bounded whatever the size
 * of the message. A refused message, or a connection lost in the middle, removes the file.
 */

const WRITE_BYTES = 128 * 1024;

export interface ReceiveOptions {
  readonly streamAfterBytes: number;
  readonly headerLimitBytes: number;
  readonly createBody: () => Promise<SpoolBody>;
  /** Whether smtp-server has seen more than the size limit (RFC 1870): nothing more is kept. */
  readonly sizeExceeded: () => boolean;
}

export type Received =
  | { readonly kind: 'whole'; readonly data: Buffer }
  | { readonly kind: 'streamed'; readonly message: StreamedMessage; readonly body: SpoolBody }
  | { readonly kind: 'refused'; readonly reply: SmtpReply }
  | { readonly kind: 'too-large' };

export async function receiveData(stream: AsyncIterable<Buffer>, options: ReceiveOptions): Promise<Received> {
  const held: Buffer[] = [];
  let heldBytes = 0;
  let inspector: MessageStreamInspector | undefined;
  let body: SpoolBody | undefined;
  let dropped = false;
  const drop = async () => {
    dropped = true;
    const file = body;
    body = undefined;
    await file?.abort();
  };
  // Pieces go to the file in gathered writes of about WRITE_BYTES: fewer trips to the thread pool than one a piece.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const pieces = pending;
    pending = [];
    pendingBytes = 0;
    if (pieces.length > 0) await body!.write(...pieces);
  };
  const store = async (pieces: readonly Buffer[]) => {
    if (dropped) return;
    if (inspector!.refused) return drop();
    for (const piece of pieces) {
      pending.push(piece);
      pendingBytes += piece.length;
    }
    if (pendingBytes >= WRITE_BYTES) await flush();
  };
  try {
    for await (const chunk of stream) {
      if (dropped) continue;
      if (options.sizeExceeded()) {
        held.length = 0;
        await drop();
        continue;
      }
      if (inspector === undefined) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes <= options.streamAfterBytes) continue;
        inspector = new MessageStreamInspector({
          headerLimit: options.headerLimitBytes,
          hasher: new RelaxedBodyHasher(),
        });
        body = await options.createBody();
        for (const piece of held.splice(0)) await store(inspector.push(piece));
      } else await store(inspector.push(chunk));
    }
  } catch (error) {
    // The connection went away in the middle of DATA (smtp-server destroys the stream): nothing is kept.
    await drop();
    throw error;
  }
  if (options.sizeExceeded()) {
    await drop();
    return { kind: 'too-large' };
  }
  if (inspector === undefined) return { kind: 'whole', data: Buffer.concat(held) };
  const { tail, result } = inspector.end();
  await store(tail);
  if (!dropped) await flush();
  if (!result.ok) {
    await drop();
    return { kind: 'refused', reply: result.error };
  }
  if (body === undefined) throw new Error('the message body file was dropped');
  return { kind: 'streamed', message: result.value, body };
}
