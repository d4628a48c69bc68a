/**
 * Delivery status notifications (RFC 3464): the per-recipient fields of a `message/delivery-status` body. The body
 * is groups of header-style fields separated by blank lines (§2.1): the first group is about the message, each
 * further group about one recipient (§2.3).
 */
export interface DsnRecipient {
  /** Final-Recipient (§2.3.2), its address part without the type ("rfc822;"). */
  readonly finalRecipient: string;
  /** Action (§2.3.3): failed, delayed, delivered, relayed or expanded. */
  readonly action: string;
  /** Status (§2.3.4): a class.subject.detail code (RFC 3463), e.g. 5.1.1. */
  readonly status: string;
  /** Diagnostic-Code (§2.3.6), e.g. "smtp; 550 5.1.1 user unknown". */
  readonly diagnostic: string | null;
  /** Remote-MTA (§2.3.5). */
  readonly remoteMta: string | null;
}

/** Folded lines are joined (RFC 5322 §2.2.3); names are case-insensitive. */
function fields(group: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | null = null;
  for (const line of group.split('\n')) {
    if (/^[ \t]/.test(line) && last !== null) {
      out.set(last, `${out.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
    if (m === null) continue;
    last = m[1]!.toLowerCase();
    if (!out.has(last)) out.set(last, m[2]!.trim());
  }
  return out;
}

/** The recipient groups of a delivery-status body; groups without Final-Recipient or Action are skipped. */
export function parseDeliveryStatus(body: string): DsnRecipient[] {
  const groups = body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/);
  const out: DsnRecipient[] = [];
  for (const group of groups.slice(1)) {
    const f = fields(group);
    const recipient = f.get('final-recipient') ?? f.get('original-recipient');
    const action = f.get('action')?.toLowerCase();
    if (recipient === undefined || action === undefined) continue;
    out.push({
      finalRecipient: recipient.replace(/^[^;]*;\s*/, '').trim(),
      action,
      status: /(\d\.\d{1,3}\.\d{1,3})/.exec(f.get('status') ?? '')?.[1] ?? '',
      diagnostic: f.get('diagnostic-code') ?? null,
      remoteMta: f.get('remote-mta')?.replace(/^[^;]*;\s*/, '') ?? null,
    });
  }
  return out;
}
