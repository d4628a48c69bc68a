import { parseHeaderFields } from '../mail/index.ts';
import type { Draft, StreamedBody } from './message-signing.ts';
import type { LinkRewriter } from './ports.ts';
import type { SendingDecision } from './sending-policy.ts';

/**
 * The personalise stage (intake.ts), between the draft and signing: each recipient's copy of a message with
 * tracking or one-click unsubscribe. A copy's link tokens and its List-Unsubscribe URL name its recipient (the
 * index in the message's recipient list), so each copy is signed on its own; recipients whose copies come out
 * byte for byte the same share one (a message without links, say, and no List-Unsubscribe). The copies are built
 * here, once, and spooled: delivery sends stored bytes, so a restart changes nothing.
 *
 * A body that streamed to a file (a message over 256 KiB) is never in memory: it keeps its links, and its copies
 * differ only in their header fields.
 */

const EMPTY = Buffer.alloc(0);

export interface RecipientCopy {
  /** The recipients' indexes in the message's recipient list, in order. */
  readonly recipients: readonly number[];
  readonly draft: Draft;
  readonly body: Buffer | StreamedBody;
}

export interface CopyContext {
  readonly rewriter: LinkRewriter;
  readonly decision: SendingDecision & { readonly clickHost: string };
  readonly recipients: number;
  /** The List-Unsubscribe mailto address of one recipient (envelope.ts, unsubscribeAddress). */
  readonly mailto: (recipient: number) => string;
}

export function recipientCopies(
  ctx: CopyContext,
  draft: Draft,
  body: Buffer | StreamedBody,
): RecipientCopy[] {
  const { decision, rewriter } = ctx;
  const rewrites = Buffer.isBuffer(body) && (decision.clicks || decision.opens);
  // The message is parsed and its links sealed once (on the first body asked for), not once per recipient.
  const message = rewriter.forMessage({
    messageId: draft.id,
    clickHost: decision.clickHost,
    clicks: decision.clicks,
    opens: decision.opens,
    header: draft.header,
    body: Buffer.isBuffer(body) ? body : EMPTY,
  });
  const copies = new Map<string, { recipients: number[]; draft: Draft; body: Buffer | StreamedBody }>();
  for (let i = 0; i < ctx.recipients; i++) {
    const copyBody = rewrites ? message.body(i) : body;
    const added = decision.listUnsubscribe
      ? listUnsubscribeFields(message.unsubscribeUrl(i), ctx.mailto(i))
      : '';
    // A rewritten body carries this recipient's tokens, and added fields its unsubscribe URL: such a copy is its
    // own. Only copies with neither (a message without links, say, and no List-Unsubscribe) are the same.
    const shared = copyBody === body && added === '';
    const same = shared ? copies.get('') : undefined;
    if (same !== undefined) {
      same.recipients.push(i);
      continue;
    }
    copies.set(shared ? '' : String(i), { recipients: [i], draft: withFields(draft, added), body: copyBody });
  }
  return [...copies.values()];
}

/**
 * RFC 8058 §3.1: List-Unsubscribe with one HTTPS URI (the one-click POST target) and, beside it, a mailto URI
 * (RFC 2369 §3.2, for receivers that use mail); and List-Unsubscribe-Post with exactly
 * "List-Unsubscribe=One-Click". Both are in the signer's h= list (RFC 8058 §4; dkim SIGNED_FIELDS). Folded after
 * the comma to keep lines short (RFC 5322 §2.1.1).
 */
export function listUnsubscribeFields(https: string, mailto: string): string {
  return (
    `List-Unsubscribe: <${https}>,\r\n <mailto:${mailto}>\r\n` +
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n'
  );
}

/** The draft with header fields appended (each ending in CRLF); the same draft when there are none. */
export function withFields(draft: Draft, added: string): Draft {
  if (added === '') return draft;
  const parsed = parseHeaderFields(added);
  if (!parsed.ok) throw new Error('the gateway built a header field that does not parse');
  return { ...draft, header: draft.header + added, fields: [...draft.fields, ...parsed.value] };
}
