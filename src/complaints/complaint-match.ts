/**
 * Which sent message a feedback report is about (pure). Receivers redact the recipient (Yahoo, AOL, Microsoft
 * JMRP replace it or drop Original-Rcpt-To), so the report is tied to the message by what the sender put in it,
 * strongest first:
 * 1. the VERP return path (`b-<message>-<recipient>-<mac>@…`): Original-Mail-From (RFC 5965 §3.2: the reported
 *    message's envelope sender), the original's Return-Path (RFC 5321 §4.4), or any VERP address in its header.
 *    Its MAC names the message and the recipient, and nobody can forge it;
 * 2. the Message-ID the gateway wrote (`<id@…>`, RFC 5322 §3.6.4) when the client sent none;
 * 3. the gateway's own Received field (`by … (senderd) with ESMTP… id <id>`, RFC 5321 §4.4).
 * The last two name the message only; the recipient then comes from Original-Rcpt-To when it is one of the
 * message's recipients, or is the message's only recipient.
 */
import { headerValue, headerValues, type FeedbackMessage } from '../mail/index.ts';
import type { AddressReader, MatchedBy, SentMessage } from './model.ts';

export interface MatchCandidate {
  readonly by: Exclude<MatchedBy, 'mailto'>;
  readonly messageId: string;
  /** The recipient index a VERP address names; null for the other two. */
  readonly recipient: number | null;
}

const VERP_TOKEN = /\bb-[a-z2-7]+-\d{1,6}-[a-z2-7]{8}@[a-z0-9.-]+/gi;
/** The gateway's message ids: 20 lower-case base32 characters (gateway/message-ids.ts). */
const OUR_MESSAGE_ID = /^<?\s*([a-z2-7]{20})@/i;
const OUR_RECEIVED = /\(senderd\)\s+with\s+\S+\s+id\s+([a-z2-7]{20})\b/i;

/** The candidates in the order of trust; the caller takes the first whose message exists. */
export function matchCandidates(report: FeedbackMessage, readReturnPath: AddressReader): MatchCandidate[] {
  const original = report.originalHeaders ?? [];
  const out: MatchCandidate[] = [];
  const seen = new Set<string>();
  const add = (c: MatchCandidate) => {
    const key = `${c.by} ${c.messageId} ${c.recipient}`;
    if (!seen.has(key)) out.push(c);
    seen.add(key);
  };
  const verpSources = [
    report.fields.originalMailFrom ?? '',
    headerValue(original, 'return-path') ?? '',
    ...original.map((f) => f.raw),
  ];
  for (const text of verpSources) {
    for (const token of text.match(VERP_TOKEN) ?? []) {
      const verp = readReturnPath(token);
      if (verp !== null) add({ by: 'verp', messageId: verp.messageId, recipient: verp.recipient });
    }
  }
  const messageId = OUR_MESSAGE_ID.exec(headerValue(original, 'message-id')?.trim() ?? '')?.[1];
  if (messageId !== undefined) add({ by: 'message-id', messageId: messageId.toLowerCase(), recipient: null });
  for (const received of headerValues(original, 'received')) {
    const id = OUR_RECEIVED.exec(received.replace(/\s+/g, ' '))?.[1];
    if (id !== undefined) add({ by: 'received', messageId: id.toLowerCase(), recipient: null });
  }
  return out;
}

/**
 * The recipient of `message` a report is about: the one a VERP address names; else the Original-Rcpt-To that is
 * one of its recipients (compared without case: receivers rewrite case); else its only recipient; else null.
 */
export function reportedRecipient(
  message: SentMessage,
  candidate: MatchCandidate,
  originalRcptTo: readonly string[],
): string | null {
  if (candidate.recipient !== null) return message.recipients[candidate.recipient]?.address ?? null;
  const named = new Set(originalRcptTo.map((a) => a.toLowerCase()));
  const found = message.recipients.find((r) => named.has(r.address.toLowerCase()));
  if (found !== undefined) return found.address;
  return message.recipients.length === 1 ? message.recipients[0]!.address : null;
}
