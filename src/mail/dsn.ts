/**
 * Delivery status notifications (RFC 3464). A DSN is a multipart/report (RFC 6522) whose machine-readable part
 * is `message/delivery-status`: groups of header-style fields separated by blank lines (§2.1), the first about
 * the message, each further one about one recipient (§2.3). This finds that part in a message as it streams by
 * and reads the recipient groups; what a status means to the sender is the caller's business.
 */
import { err, ok, type Result } from '../core/index.ts';
import { headerValue, readHeaderFields } from './header-fields.ts';
import type { MimeProblem } from './mime-event.ts';
import { MimeParser } from './mime-parser.ts';

export interface DsnRecipient {
  /** Final-Recipient (§2.3.2), its address part without the type ("rfc822;"). */
  readonly finalRecipient: string;
  /** Action (§2.3.3): failed, delayed, delivered, relayed or expanded (lower case). */
  readonly action: string;
  /** Status (§2.3.4): a class.subject.detail code (RFC 3463), e.g. 5.1.1; '' when there is none. */
  readonly status: string;
  /** Diagnostic-Code (§2.3.6), e.g. "smtp; 550 5.1.1 user unknown", white space runs shown as one space. */
  readonly diagnostic: string | null;
  /** Remote-MTA (§2.3.5), without its type ("dns;"). */
  readonly remoteMta: string | null;
}

/** A delivery-status part is a few hundred bytes; more is not a DSN. */
const MAX_STATUS_BYTES = 64 * 1024;

/** The recipient groups of a delivery-status body; groups without Final-Recipient or Action are skipped. */
export function parseDeliveryStatus(body: string): DsnRecipient[] {
  const groups = body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/);
  const out: DsnRecipient[] = [];
  for (const group of groups.slice(1)) {
    // A repeated field counts once, first come (RFC 3464 §2.3 gives each at most once per group).
    const fields = readHeaderFields(group);
    const recipient = headerValue(fields, 'final-recipient') ?? headerValue(fields, 'original-recipient');
    const action = headerValue(fields, 'action')?.toLowerCase();
    if (recipient === undefined || action === undefined) continue;
    const remoteMta = headerValue(fields, 'remote-mta');
    out.push({
      finalRecipient: withoutType(recipient),
      action,
      status: /(\d\.\d{1,3}\.\d{1,3})/.exec(headerValue(fields, 'status') ?? '')?.[1] ?? '',
      diagnostic: headerValue(fields, 'diagnostic-code')?.replace(/[ \t]+/g, ' ') ?? null,
      remoteMta: remoteMta === undefined ? null : withoutType(remoteMta),
    });
  }
  return out;
}

/**
 * Reads a message to its end and returns the recipients of its first `message/delivery-status` part, or null when
 * it has none (an auto-reply, a challenge). A MIME structure past the limits is a problem, not a DSN.
 */
export async function readDeliveryStatus(
  source: AsyncIterable<Uint8Array>,
): Promise<Result<DsnRecipient[] | null, MimeProblem>> {
  const parser = new MimeParser({ maxHeaderBytes: 256 * 1024, maxDepth: 8 });
  const parts: Buffer[] = [];
  let size = 0;
  // An object, so the closure's updates are visible to the loop below (TypeScript narrows plain locals).
  const at: { state: 'looking' | 'reading' | 'done'; problem: MimeProblem | null } = {
    state: 'looking',
    problem: null,
  };
  const take = (events: ReturnType<MimeParser['write']>) => {
    for (const e of events) {
      if (at.state === 'done') return;
      if (e.type === 'stopped') {
        at.state = 'done';
        at.problem = e.problem;
        return;
      }
      const isStatus = e.entity.type.mediaType === 'message/delivery-status';
      if (e.type === 'entity' && isStatus && at.state === 'looking') at.state = 'reading';
      else if (e.type === 'data' && isStatus && at.state === 'reading' && size < MAX_STATUS_BYTES) {
        parts.push(e.data);
        size += e.data.length;
      } else if (e.type === 'end' && isStatus && at.state === 'reading') at.state = 'done';
    }
  };
  for await (const chunk of source) {
    // Read the rest of the message even when done, so the SMTP session's stream is drained.
    if (at.state !== 'done') take(parser.write(Buffer.from(chunk)));
  }
  if (at.state !== 'done') take(parser.end());
  if (at.problem !== null) return err(at.problem);
  return ok(at.state === 'looking' ? null : parseDeliveryStatus(Buffer.concat(parts).toString('utf8')));
}

/** `rfc822; user@example.com` → `user@example.com` (the address-type or mta-name-type goes). */
function withoutType(value: string): string {
  return value.replace(/^[^;]*;\s*/, '').trim();
}
