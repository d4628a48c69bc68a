/**
 * Unwrapping one input into its reports, as a stream: gzip (gzip in gzip too), zip (several files), MIME messages
 * (base64 or quoted-printable parts, nested messages), mbox files, down to XML (aggregate), JSON (TLS-RPT) and
 * ARF (failure) documents. Every layer is chosen by magic bytes (`sniff`), never by a name or a Content-Type.
 * A refusal ends only the document it concerns: the other files of a zip or parts of a message go on.
 */
import { Readable } from 'node:stream';
import { ByteSource } from './byte-source.ts';
import { sniff, SNIFF_LENGTH } from './content-sniffing.ts';
import { gunzip, inflateRaw } from './inflate.ts';
import type { Budget } from './limits.ts';
import { unwrapMbox } from './mbox-messages.ts';
import { unwrapMessage } from './message-parts.ts';
import { refused, type DocumentOutcome } from './outcome.ts';
import { isRefusal, ReportRefusal } from './refusal.ts';
import type { DocumentHandlers, UnwrapContext } from './unwrap-context.ts';
import { readZipEntries } from './zip-reader.ts';

/** Finds and handles every report in `source`. Never throws a refusal: it becomes an outcome. */
export async function unwrap(
  source: ByteSource,
  context: UnwrapContext,
  handlers: DocumentHandlers,
): Promise<DocumentOutcome[]> {
  try {
    context.budget.checkDepth(context.depth);
    const kind = sniff(await source.peek(SNIFF_LENGTH));
    switch (kind) {
      case 'empty':
      case 'unknown':
        if (context.inMessage) return [{ status: 'skipped' }];
        if (kind === 'empty') {
          const blank = (await source.peek(1)).byteLength > 0;
          throw new ReportRefusal('empty', blank ? 'it holds only white space' : 'it has no bytes at all');
        }
        throw new ReportRefusal('unrecognised_format', describeStart(await source.peek(16)));
      case 'gzip':
        return await nested(gunzip(source, context.budget, context.notes), context, 'gunzip', handlers);
      case 'zip':
        return await unzip(source, context, handlers);
      case 'xml':
        return [await skipNonReport(handlers.aggregate(source, context), context)];
      case 'json':
        return [
          await skipNonReport(
            readText(source, context.budget.limits.maxJsonBytes).then((json) => handlers.tls(json, context)),
            context,
          ),
        ];
      case 'mbox':
        return await unwrapMbox(source, (message, i) =>
          nestedSource(message, { ...context, path: `${context.path} › message ${i}` }, handlers),
        );
      case 'message':
        return await unwrapMessage(source, context, handlers, (part, partContext) =>
          nestedSource(part, partContext, handlers),
        );
    }
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (context.inMessage && error.reason === 'not_a_report') return [{ status: 'skipped' }];
    return [refused(error, context.path)];
  }
}

async function skipNonReport(
  outcome: Promise<DocumentOutcome>,
  context: UnwrapContext,
): Promise<DocumentOutcome> {
  const o = await outcome;
  return context.inMessage && o.status === 'refused' && o.reason === 'not_a_report'
    ? { status: 'skipped' }
    : o;
}

/** Unwraps an inner stream and closes it afterwards whatever happened (an inflater must be destroyed). */
export async function nestedSource(
  stream: AsyncIterable<Uint8Array>,
  context: UnwrapContext,
  handlers: DocumentHandlers,
): Promise<DocumentOutcome[]> {
  const inner = new ByteSource(stream);
  try {
    return await unwrap(inner, { ...context, depth: context.depth + 1 }, handlers);
  } finally {
    await inner.close();
  }
}

function nested(
  stream: AsyncIterable<Uint8Array>,
  context: UnwrapContext,
  step: string,
  handlers: DocumentHandlers,
): Promise<DocumentOutcome[]> {
  return nestedSource(stream, { ...context, path: `${context.path} › ${step}` }, handlers);
}

async function unzip(
  source: ByteSource,
  context: UnwrapContext,
  handlers: DocumentHandlers,
): Promise<DocumentOutcome[]> {
  const zip = await readAll(source, context.budget.limits.maxZipBytes, 'zip archive');
  const entries = readZipEntries(zip, context.budget);
  if (entries.length === 0) throw new ReportRefusal('no_report_found', 'the zip archive has no files');
  const out: DocumentOutcome[] = [];
  for (const entry of entries) {
    const path = `${context.path} › ${entry.name.slice(0, 200)}`;
    const data =
      entry.method === 8
        ? inflateRaw(pieces(entry.data), context.budget, 'deflate')
        : stored(entry.data, context.budget);
    out.push(...(await nestedSource(data, { ...context, path }, handlers)));
  }
  return out;
}

function pieces(data: Buffer): AsyncIterable<Buffer> {
  // Fed in pieces so the inflater's ratio check sees input arrive as output grows.
  const list: Buffer[] = [];
  for (let i = 0; i < data.length; i += 64 * 1024) list.push(data.subarray(i, i + 64 * 1024));
  return Readable.from(list);
}

async function* stored(data: Buffer, budget: Budget): AsyncGenerator<Buffer> {
  budget.addDecompressed(data.length);
  yield* pieces(data);
}

/** Reads a whole stream that must be held in memory, refusing it past `max` bytes. */
export async function readAll(source: AsyncIterable<Uint8Array>, max: number, what: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > max) throw new ReportRefusal('too_large', `the ${what} is larger than ${max} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

async function readText(source: AsyncIterable<Uint8Array>, max: number): Promise<string> {
  return new TextDecoder().decode(await readAll(source, max, 'JSON document'));
}

/** The first bytes, printable, so a person can see what arrived. */
function describeStart(head: Uint8Array): string {
  const shown = Buffer.from(head.subarray(0, 16))
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
  return `it starts with "${shown}"`;
}
