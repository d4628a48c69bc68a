/**
 * The reports in one e-mail. mail/'s MIME parser walks the message; each leaf part is sniffed and, when it is a
 * report (or an archive, or another message), it streams through a bounded channel into its own unwrapping while
 * the parser reads on. The parts of a failure report are collected instead, by mail/'s feedback report reader (the
 * one home of RFC 5965's structure), from the same walk: the feedback fields and the original message's header
 * fields. The original message's body is never read into anything (RFC 6591 §7: it is personal data). A MIME limit
 * the parser stops at is a refusal of the message.
 */
import {
  FeedbackCollector,
  MimeParser,
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

const MAX_HEADERS = 256 * 1024;
const MAX_PLAIN = 64 * 1024;

interface Leaf {
  /** The first text/plain part outside a failure report's original message: a plain-text failure report. */
  collect: boolean;
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
  const arf = new FeedbackCollector();
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
    arf.take(event);
    const entity = event.entity;
    if (event.type === 'entity') {
      if (entity.id === '') top = entity.headers;
      if (entity.kind !== 'leaf') return;
      const type = entity.type.mediaType;
      const original = isOriginalMessage(entity, arf.started);
      const arfPart = type === 'message/feedback-report' || type === 'text/rfc822-headers';
      const collect = type === 'text/plain' && !original && plainText === null;
      leaves.set(entity, {
        collect,
        collected: [],
        collectedBytes: 0,
        head: [],
        headBytes: 0,
        // Parts of the original message in a failure report are neither reports nor ours to read.
        decided: original || arfPart,
        channel: null,
        task: null,
      });
      return;
    }
    const leaf = leaves.get(entity);
    if (leaf === undefined) return;
    if (event.type === 'data') {
      if (leaf.collect && leaf.collectedBytes < MAX_PLAIN) {
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
    if (leaf.collect) plainText ??= Buffer.concat(leaf.collected).toString('utf8');
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
  const feedback = arf.result();
  const evidence: FailureEvidence = {
    message: top ?? [],
    feedbackReport: feedback?.fieldsText ?? null,
    originalHeaders: feedback?.originalHeaders ?? null,
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
