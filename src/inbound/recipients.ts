/**
 * Which hand-off a recipient is for, decided at RCPT time: postmaster (RFC 5321 §4.5.1: "postmaster" in any case,
 * at one of our domains or with none at all), a report address, a bounce address, a feedback (complaint) address,
 * an unsubscribe address, or nothing, refused. An unsubscribe-shaped address whose MAC fails is "no such user"
 * (550 5.1.1), so a forged or mistyped one is told plainly that it unsubscribed nobody. The
 * listener accepts mail for the platform's own addresses only and is never a relay (RFC 5321 §3.6.2 leaves
 * relaying to the server's choice; ours is no).
 */
import { splitAddress } from '../mail/index.ts';
import type { BounceSink, FeedbackSink, ReportSink, UnsubscribeSink } from './ports.ts';

export type RecipientKind = 'report' | 'bounce' | 'postmaster' | 'feedback' | 'unsubscribe';

export type RecipientRoute =
  | { readonly accepted: true; readonly kind: RecipientKind }
  /**
   * `unknown-report-address`: at the reports host, but no domain's; `unknown-unsubscribe-address`: shaped like an
   * unsubscribe address, but its MAC fails; `relaying-denied`: not an address of ours.
   */
  | {
      readonly accepted: false;
      readonly reason: 'unknown-report-address' | 'unknown-unsubscribe-address' | 'relaying-denied';
    };

export interface RecipientRules {
  readonly reportsHost: string;
  /** Domains whose postmaster is ours (the reports host is always one); null when no postmaster sink is wired. */
  readonly postmasterDomains: readonly string[] | null;
  readonly reports: Pick<ReportSink, 'accepts'>;
  readonly bounces?: Pick<BounceSink, 'accepts'>;
  readonly feedback?: Pick<FeedbackSink, 'accepts'>;
  readonly unsubscribes?: Pick<UnsubscribeSink, 'accepts'>;
}

/** The shape of `gateway/envelope.ts`'s unsubscribe addresses, whatever the MAC. */
const UNSUBSCRIBE_SHAPE = /^u-[a-z2-7]+-\d{1,6}-[a-z2-7]+@/i;

export function recipientRouter(rules: RecipientRules): (address: string) => Promise<RecipientRoute> {
  const postmasterDomains =
    rules.postmasterDomains === null
      ? null
      : new Set([...rules.postmasterDomains, rules.reportsHost].map((d) => d.toLowerCase()));
  const isPostmaster = (address: string): boolean => {
    if (postmasterDomains === null) return false;
    const { localPart, domain } = splitAddress(address);
    return (
      localPart.toLowerCase() === 'postmaster' &&
      (domain === null || postmasterDomains.has(domain.toLowerCase()))
    );
  };
  const accepted = (kind: RecipientKind): RecipientRoute => ({ accepted: true, kind });
  return async (address) => {
    if (isPostmaster(address)) return accepted('postmaster');
    if (await rules.reports.accepts(address)) return accepted('report');
    if (rules.bounces !== undefined && (await rules.bounces.accepts(address))) return accepted('bounce');
    if (rules.feedback !== undefined && (await rules.feedback.accepts(address))) return accepted('feedback');
    if (rules.unsubscribes !== undefined) {
      if (await rules.unsubscribes.accepts(address)) return accepted('unsubscribe');
      if (UNSUBSCRIBE_SHAPE.test(address)) return { accepted: false, reason: 'unknown-unsubscribe-address' };
    }
    const ours = address.toLowerCase().endsWith(`@${rules.reportsHost}`);
    return { accepted: false, reason: ours ? 'unknown-report-address' : 'relaying-denied' };
  };
}
