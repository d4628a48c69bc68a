/**
 * The reports in one e-mail. mail/'s MIME parser walks the message; each leaf part is sniffed and, when it is a
 * report (or an archive, or another message), it streams through a bounded channel into its own unwrapping while
 * the parser reads on. The parts of a failure report are collected instead: the feedback fields and the original
 * message's header fields. The original message's body is never read into anything (RFC 6591 §7: it is personal
 * data). A MIME limit the parser stops at is a refusal of the message.
 */
import {
  MimeParser,
  readHeaderFields,
  type HeaderField,
  type MimeEntity,
  type MimeEvent,
} from '../mail/index.ts';
import { Channel } from './channel.ts';
import { sniff, SNIFF_LENGTH } from './content-sniffing.ts';
import { parseFailureReport, type FailureEvidence } from './failure-report-parser.ts';
import { refused, type DocumentOutcome } from './outcome.ts';
import { ReportRefusal } from './refusal.ts';
import type { DocumentHandlers, UnwrapContext, UnwrapInner } from './unwrap-context.ts';

const MAX_FEEDBACK = 64 * 1024;
const MAX_HEADERS = 256 * 1024;
const MAX_PLAIN = 64 * 1024;

interface Leaf {
  collect: 'feedback' | 'headers' | 'plain' | null;
  collected: Buffer[];
  collectedBytes: number;
  /** Bytes seen while deciding whether the part is a report. */
  head: Buffer[];
  headBytes: number;
  decided: boolean;
  channel: Channel | null;
  task: Promise<DocumentOutcome[]> | null;
}

function isOriginalMessage(entity: MimeEntity, feedbackSeen: boolean): boolean {
  if (!feedbackSeen) return false;
  for (let e: MimeEntity | null = entity.parent; e !== null; e = e.parent)
    if (e.kind === 'message') return true;
  return false;
}

/** The outcomes of every report in the message; each part that may hold one goes to `unwrapPart`. */
export async function unwrapMessage(
  source: AsyncIterable<Uint8Array>,
  context: UnwrapContext,
  handlers: DocumentHandlers,
  unwrapPart: UnwrapInner,
): Promise<DocumentOutcome[]> {
  const parser = new MimeParser({
    maxHeaderBytes: MAX_HEADERS,
    maxDepth: 16,
    onPart: () => context.budget.addPart(),
  });
  const leaves = new Map<MimeEntity, Leaf>();
  const tasks: Array<Promise<DocumentOutcome[]>> = [];
  let top: readonly HeaderField[] | null = null;
  let feedback: string | null = null;
  let originalHeaders: readonly HeaderField[] | null = null;
  let plainText: string | null = null;

  const startTask = (entity: MimeEntity, leaf: Leaf) => {
    leaf.decided = true;
    const head = Buffer.concat(leaf.head);
    leaf.head = [];
    const kind = sniff(head.subarray(0, SNIFF_LENGTH));
    if (kind === 'empty' || kind === 'unknown' || kind === 'mbox') return;
    leaf.channel = new Channel();
    const name = entity.fileName === null ? '' : ` (${entity.fileName.slice(0, 200)})`;
    const task = unwrapPart(leaf.channel, {
      ...context,
      path: `${context.path} › part ${entity.id || '1'}${name}`,
      inMessage: true,
      message: top,
    });
    task.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    leaf.task = task;
    tasks.push(task);
    return leaf.channel.push(head);
  };

  const onEvent = async (event: MimeEvent) => {
    if (event.type === 'stopped') {
      const { reason, detail } = event.problem;
      throw new ReportRefusal(reason === 'header-too-long' ? 'token_too_long' : 'nesting_too_deep', detail);
    }
    const entity = event.entity;
    if (event.type === 'entity') {
      if (entity.id === '') top = entity.headers;
      if (entity.parent?.kind === 'message' && originalHeaders === null && feedback !== null) {
        originalHeaders = entity.headers;
      }
      if (entity.kind !== 'leaf') return;
      const type = entity.type.mediaType;
      const original = isOriginalMessage(entity, feedback !== null || type === 'message/feedback-report');
      const collect =
        type === 'message/feedback-report'
          ? 'feedback'
          : type === 'text/rfc822-headers'
            ? 'headers'
            : type === 'text/plain' && !original && plainText === null
              ? 'plain'
              : null;
      leaves.set(entity, {
        collect,
        collected: [],
        collectedBytes: 0,
        head: [],
        headBytes: 0,
        // Parts of the original message in a failure report are neither reports nor ours to read.
        decided: original || collect === 'feedback' || collect === 'headers',
        channel: null,
        task: null,
      });
      return;
    }
    const leaf = leaves.get(entity);
    if (leaf === undefined) return;
    if (event.type === 'data') {
      const limit =
        leaf.collect === 'headers' ? MAX_HEADERS : leaf.collect === 'feedback' ? MAX_FEEDBACK : MAX_PLAIN;
      if (leaf.collect !== null && leaf.collectedBytes < limit) {
        leaf.collected.push(event.data);
        leaf.collectedBytes += event.data.length;
      }
      if (leaf.channel !== null) return leaf.channel.push(event.data);
      if (leaf.decided) return;
      leaf.head.push(event.data);
      leaf.headBytes += event.data.length;
      if (leaf.headBytes >= SNIFF_LENGTH) await startTask(entity, leaf);
      return;
    }
    if (!leaf.decided) await startTask(entity, leaf);
    leaf.channel?.close();
    leaves.delete(entity);
    if (leaf.collect === null) return;
    const text = Buffer.concat(leaf.collected).toString('utf8');
    if (leaf.collect === 'feedback') feedback ??= text;
    else if (leaf.collect === 'headers') originalHeaders ??= headerBlockOf(text);
    else plainText ??= text;
  };

  try {
    for await (const chunk of source) {
      for (const event of parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
        await onEvent(event);
    }
    for (const event of parser.end()) await onEvent(event);
  } catch (error) {
    for (const leaf of leaves.values()) leaf.channel?.close();
    await Promise.allSettled(tasks);
    throw error;
  }
  context.notes.push(...parser.notes);
  const outcomes: DocumentOutcome[] = (await Promise.all(tasks)).flat().filter((o) => o.status !== 'skipped');
  const evidence: FailureEvidence = {
    message: top ?? [],
    feedbackReport: feedback,
    originalHeaders,
    plainText: outcomes.length === 0 ? plainText : null,
  };
  const failure = feedback !== null || evidence.plainText !== null ? parseFailureReport(evidence) : null;
  if (failure !== null) outcomes.push(await handlers.failure(failure, { ...context, message: top }));
  if (outcomes.length === 0) {
    if (context.inMessage) return [{ status: 'skipped' }];
    return [
      refused(
        new ReportRefusal('no_report_found', 'no part is an aggregate, TLS or failure report'),
        context.path,
      ),
    ];
  }
  return outcomes;
}

/** The header fields of a text/rfc822-headers part: the lines up to the first empty one. */
function headerBlockOf(text: string): HeaderField[] {
  const end = text.search(/\r?\n\r?\n/);
  return readHeaderFields(end < 0 ? text : text.slice(0, end));
}
