/**
 * Feedback reports (ARF, RFC 5965): the format of receivers' feedback loops. A report is a multipart/report
 * (RFC 6522) with report-type=feedback-report whose second part is `message/feedback-report` (header-style fields,
 * §3) and whose third part is the original message (`message/rfc822`) or only its header (`text/rfc822-headers`),
 * §2. This reads those two parts as the message streams by, within limits, and hands back the fields and the
 * original header; what a report means to the sender (a complaint, a match to a sent message) is the caller's.
 */
import { err, ok, type Result } from '../core/index.ts';
import { headerValue, headerValues, readHeaderFields, type HeaderField } from './header-fields.ts';
import type { MimeEntity } from './mime-entity.ts';
import type { MimeEvent } from './mime-event.ts';
import { MimeParser } from './mime-parser.ts';

/** The fields of a `message/feedback-report` part (RFC 5965 §3.1, §3.2), as data. */
export interface FeedbackFields {
  /** Feedback-Type, lower case: abuse, fraud, virus, other, not-spam (RFC 6430), auth-failure (RFC 6591). */
  readonly feedbackType: string;
  readonly userAgent: string | null;
  readonly version: string | null;
  /** Original-Mail-From: the envelope sender of the reported message, without angle brackets. */
  readonly originalMailFrom: string | null;
  /** Original-Rcpt-To, each without angle brackets (receivers often redact them). */
  readonly originalRcptTo: readonly string[];
  /** Arrival-Date (or the older Received-Date), as written. */
  readonly arrivalDate: string | null;
  readonly reportingMta: string | null;
  readonly sourceIp: string | null;
  readonly reportedDomain: readonly string[];
  readonly incidents: number | null;
}

export interface FeedbackMessage {
  readonly fields: FeedbackFields;
  /** The reporting message's own header (its From names the feedback loop). */
  readonly reportHeaders: readonly HeaderField[];
  /** Whether the top level is multipart/report with report-type=feedback-report, as §2 requires. */
  readonly wellFormed: boolean;
  /** The original message's header fields; null when the report carries none (§2 item d makes it required). */
  readonly originalHeaders: readonly HeaderField[] | null;
}

export interface FeedbackProblem {
  readonly reason: 'header-too-long' | 'nesting-too-deep' | 'too-many-parts';
  readonly detail: string;
}

/** A feedback-report part is a few hundred bytes; an original header a few kilobytes. More is cut. */
const MAX_FIELDS_BYTES = 64 * 1024;
const MAX_ORIGINAL_HEADER_BYTES = 256 * 1024;
/** A report has three parts; a message with hundreds is not a report, and walking it costs for nothing. */
const MAX_PARTS = 64;

const bare = (v: string | undefined): string | null => {
  const s = v
    ?.trim()
    .replace(/^<(.*)>$/, '$1')
    .trim();
  return s === undefined || s === '' ? null : s.slice(0, 512);
};

/** The fields of a `message/feedback-report` body; a field that may appear once counts first come. */
export function parseFeedbackFields(body: string): FeedbackFields {
  const f = readHeaderFields(body, 200);
  const incidents = Number.parseInt(headerValue(f, 'incidents') ?? '', 10);
  return {
    feedbackType: (headerValue(f, 'feedback-type') ?? 'unknown').trim().toLowerCase().slice(0, 64),
    userAgent: bare(headerValue(f, 'user-agent')),
    version: bare(headerValue(f, 'version')),
    originalMailFrom: bare(headerValue(f, 'original-mail-from')),
    originalRcptTo: headerValues(f, 'original-rcpt-to')
      .map(bare)
      .filter((v) => v !== null)
      .slice(0, 100),
    arrivalDate: bare(headerValue(f, 'arrival-date') ?? headerValue(f, 'received-date')),
    reportingMta: bare(headerValue(f, 'reporting-mta')),
    sourceIp: bare(headerValue(f, 'source-ip')),
    reportedDomain: headerValues(f, 'reported-domain')
      .map(bare)
      .filter((v) => v !== null)
      .slice(0, 100),
    incidents: Number.isFinite(incidents) && incidents >= 0 ? incidents : null,
  };
}

/** The header fields of a text/rfc822-headers part, or of an encoded message/rfc822: the lines up to the first empty one. */
function headerBlockOf(text: string): HeaderField[] {
  const end = text.search(/\r?\n\r?\n/);
  return readHeaderFields(end < 0 ? text : text.slice(0, end));
}

/** Whether an entity lies inside the original message (a part of it, not the report's own part). */
function insideMessage(entity: MimeEntity): boolean {
  for (let e = entity.parent; e !== null; e = e.parent) if (e.kind === 'message') return true;
  return false;
}

/** The parts of a feedback report as collected, before its fields are parsed. */
export interface FeedbackParts {
  /** The reporting message's own header. */
  readonly reportHeaders: readonly HeaderField[];
  /** Whether the top level is multipart/report with report-type=feedback-report, as §2 requires. */
  readonly wellFormed: boolean;
  /** The text of the `message/feedback-report` part (its first 64 KiB). */
  readonly fieldsText: string;
  /** The original message's header fields; null when the report carries none. */
  readonly originalHeaders: readonly HeaderField[] | null;
}

/**
 * Collects a feedback report's parts from the events of a MIME walk that someone else drives: reports/ walks a
 * message once for every kind of report in it, and hands each event here too. The walk's limits are the walker's.
 */
export class FeedbackCollector {
  #top: readonly HeaderField[] = [];
  #wellFormed = false;
  #fields: Buffer[] | null = null;
  #fieldsBytes = 0;
  #fieldsDone = false;
  #original: readonly HeaderField[] | null = null;
  #originalLeaf: MimeEntity | null = null;
  #originalData: Buffer[] = [];
  #originalBytes = 0;

  /** Whether a `message/feedback-report` part has begun: what follows it is the original message (§2). */
  get started(): boolean {
    return this.#fields !== null;
  }

  take(e: MimeEvent): void {
    if (e.type === 'stopped') return;
    const type = e.entity.type.mediaType;
    if (e.type === 'entity') {
      if (e.entity.id === '') {
        this.#top = e.entity.headers;
        this.#wellFormed =
          type === 'multipart/report' &&
          (e.entity.type.params['report-type'] ?? '').toLowerCase() === 'feedback-report';
      }
      if (type === 'message/feedback-report' && this.#fields === null && !insideMessage(e.entity)) {
        this.#fields = [];
      } else if (this.#original === null && this.#originalLeaf === null && this.#fields !== null) {
        // RFC 5965 §2 (d): after the report, the original message (walked into) or its header alone.
        if (e.entity.parent?.kind === 'message') this.#original = e.entity.headers;
        else if ((type === 'text/rfc822-headers' || type === 'message/rfc822') && e.entity.kind === 'leaf')
          this.#originalLeaf = e.entity;
      }
      return;
    }
    if (e.type === 'data') {
      if (type === 'message/feedback-report' && this.#fields !== null && !this.#fieldsDone) {
        if (this.#fieldsBytes < MAX_FIELDS_BYTES) this.#fields.push(e.data);
        this.#fieldsBytes += e.data.length;
      } else if (e.entity === this.#originalLeaf && this.#originalBytes < MAX_ORIGINAL_HEADER_BYTES) {
        this.#originalData.push(e.data);
        this.#originalBytes += e.data.length;
      }
      return;
    }
    if (type === 'message/feedback-report' && this.#fields !== null) this.#fieldsDone = true;
    if (e.entity === this.#originalLeaf && this.#original === null) {
      this.#original = headerBlockOf(Buffer.concat(this.#originalData).toString('utf8'));
    }
  }

  /** The parts collected, once the walk is over; null when there was no `message/feedback-report` part. */
  result(): FeedbackParts | null {
    if (this.#fields === null) return null;
    // A truncated message ends inside a part: the leaf then has no end event, but what arrived is still its header.
    if (this.#original === null && this.#originalLeaf !== null && this.#originalData.length > 0) {
      this.#original = headerBlockOf(Buffer.concat(this.#originalData).toString('utf8'));
    }
    return {
      reportHeaders: this.#top,
      wellFormed: this.#wellFormed,
      fieldsText: Buffer.concat(this.#fields).toString('utf8'),
      originalHeaders: this.#original,
    };
  }
}

/**
 * Reads a message to its end and returns its feedback report, or null when it has no `message/feedback-report`
 * part (an auto-reply, a person writing to the address). A MIME structure past the limits is a problem.
 */
export async function readFeedbackReport(
  source: AsyncIterable<Uint8Array>,
): Promise<Result<FeedbackMessage | null, FeedbackProblem>> {
  const parser = new MimeParser({ maxHeaderBytes: MAX_ORIGINAL_HEADER_BYTES, maxDepth: 8 });
  const collector = new FeedbackCollector();
  const s: { parts: number; problem: FeedbackProblem | null } = { parts: 0, problem: null };
  const take = (events: readonly MimeEvent[]) => {
    for (const e of events) {
      if (s.problem !== null) return;
      if (e.type === 'stopped') {
        s.problem = e.problem;
        return;
      }
      if (e.type === 'entity' && ++s.parts > MAX_PARTS) {
        s.problem = { reason: 'too-many-parts', detail: `more than ${MAX_PARTS} MIME parts` };
        return;
      }
      collector.take(e);
    }
  };
  for await (const chunk of source) {
    // Read the rest of the message even after a problem, so the SMTP session's stream is drained.
    if (s.problem === null) take(parser.write(Buffer.from(chunk)));
  }
  if (s.problem === null) take(parser.end());
  if (s.problem !== null) return err(s.problem);
  const found = collector.result();
  if (found === null) return ok(null);
  return ok({
    fields: parseFeedbackFields(found.fieldsText),
    reportHeaders: found.reportHeaders,
    wellFormed: found.wellFormed,
    originalHeaders: found.originalHeaders,
  });
}
