/**
 * People versus machines (issue 17): each open and click is classified as `human`, `privacy-proxy` (a mailbox
 * provider fetching images on the reader's behalf, whether or not anyone reads) or `scanner` (security software
 * following links before the person does). Pure: the visit and its context in, a class and the rule that decided
 * out. The rules are data (`DEFAULT_VISIT_RULES`) so an operator's list can grow without code, and each entry
 * names where it comes from. Only `human` counts as a person; the other two are reported beside it.
 */
import { CidrSet, parseCidr, parseIp, unmapped, type Cidr } from '../ip/index.ts';

export type VisitClass = 'human' | 'privacy-proxy' | 'scanner';
export const VISIT_CLASSES: readonly VisitClass[] = ['human', 'privacy-proxy', 'scanner'];

export type VisitKind = 'open' | 'click';

export interface UserAgentRule {
  /** Matched case-insensitively as a substring of the User-Agent. */
  readonly token: string;
  readonly class: Exclude<VisitClass, 'human'>;
  /** The rule's name, stored with each visit it decided. */
  readonly rule: string;
}

export interface RangeRule {
  readonly cidr: string;
  readonly class: Exclude<VisitClass, 'human'>;
  readonly rule: string;
}

export interface VisitRules {
  readonly userAgents: readonly UserAgentRule[];
  readonly ranges: readonly RangeRule[];
  /** A visit this soon after the message was delivered is a machine's: nobody reads and clicks that fast. */
  readonly soonAfterDeliveryMs: number;
  /** This many different links of one message and recipient clicked within `burstWindowMs` is a scanner. */
  readonly burstLinks: number;
  readonly burstWindowMs: number;
}

/**
 * The default rules. Sources:
 * - Gmail's image proxy: Google fetches every image of a message through its proxy once the message is shown,
 *   with `GoogleImageProxy` in the User-Agent ("Images now showing", Gmail blog, 12 December 2013; the UA reads
 *   `Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)`).
 * - Yahoo Mail's image proxy: `YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html`
 *   (the help page the UA itself names).
 * - Apple Mail Privacy Protection (iOS 15 / macOS 12, Apple's "Use Mail Privacy Protection" support guide):
 *   remote content is loaded privately in the background, through Apple's proxies, whether or not the message is
 *   read. Its fetches come from Apple's own network, 17.0.0.0/8 (ARIN: NET-17-0-0-0-1, Apple Inc.), with a
 *   generic browser UA, so the range decides for opens. A click from that range is a person on an Apple device
 *   behind iCloud Private Relay or at Apple, so ranges classify opens only (`applies` below).
 * - Link scanners: the products name themselves in their fetchers' User-Agent strings as seen in the wild
 *   (Barracuda's, Mimecast's, Proofpoint's URL Defense); Microsoft Defender for Office 365 Safe Links detonates
 *   with ordinary browser UAs, which is why the timing rules below exist ("Safe Links in Microsoft Defender for
 *   Office 365", Microsoft Learn: URLs are checked at time of click and may be pre-scanned on delivery).
 * - Timing: scanners follow links as the message arrives, and follow all of them at once; these two rules catch
 *   those whose UA says nothing.
 */
export const DEFAULT_VISIT_RULES: VisitRules = {
  userAgents: [
    { token: 'GoogleImageProxy', class: 'privacy-proxy', rule: 'gmail-image-proxy' },
    { token: 'YahooMailProxy', class: 'privacy-proxy', rule: 'yahoo-mail-proxy' },
    { token: 'Barracuda', class: 'scanner', rule: 'barracuda' },
    { token: 'Mimecast', class: 'scanner', rule: 'mimecast' },
    { token: 'Proofpoint', class: 'scanner', rule: 'proofpoint' },
    { token: 'urldefense', class: 'scanner', rule: 'proofpoint' },
    { token: 'SafeLinks', class: 'scanner', rule: 'microsoft-safe-links' },
    { token: 'python-requests', class: 'scanner', rule: 'http-library' },
    { token: 'curl/', class: 'scanner', rule: 'http-library' },
  ],
  ranges: [{ cidr: '17.0.0.0/8', class: 'privacy-proxy', rule: 'apple-mail-privacy-protection' }],
  soonAfterDeliveryMs: 10_000,
  burstLinks: 3,
  burstWindowMs: 2_000,
};

/** One visit and what is known around it. */
export interface Visit {
  readonly kind: VisitKind;
  readonly at: number;
  readonly userAgent: string;
  /** The client's full address (classified before it is truncated for storage). */
  readonly clientAddress: string;
  /** When the message was delivered to this recipient (or accepted, when no delivery is recorded); null: unknown. */
  readonly deliveredAt: number | null;
  readonly linkIndex: number;
  /** The earlier clicks of this message and recipient within the burst window, newest last. */
  readonly recentClicks: readonly { readonly linkIndex: number; readonly at: number }[];
}

export interface Verdict {
  readonly class: VisitClass;
  readonly rule: string;
}

/** The rules in a form a visit is checked against quickly (the CIDR set is built once). */
export interface CompiledRules {
  readonly rules: VisitRules;
  readonly ranges: CidrSet<RangeRule>;
}

export function compileVisitRules(rules: VisitRules): CompiledRules {
  const entries: Array<readonly [Cidr, RangeRule]> = [];
  for (const r of rules.ranges) {
    const cidr = parseCidr(r.cidr);
    if (cidr === null) throw new RangeError(`visit rule ${r.rule}: ${r.cidr} is not a CIDR range`);
    entries.push([cidr, r]);
  }
  return { rules, ranges: new CidrSet(entries) };
}

/**
 * The class of a visit. Order: what the client says it is (UA), then where it comes from (ranges, opens only),
 * then how it behaves (timing); a visit none of them catches is a person's.
 */
export function classifyVisit(visit: Visit, compiled: CompiledRules): Verdict {
  const { rules } = compiled;
  const ua = visit.userAgent.toLowerCase();
  for (const r of rules.userAgents)
    if (ua.includes(r.token.toLowerCase())) return { class: r.class, rule: r.rule };
  if (visit.kind === 'open') {
    const ip = parseIp(visit.clientAddress);
    const range = ip === null ? undefined : compiled.ranges.lookup(unmapped(ip));
    if (range !== undefined) return { class: range.class, rule: range.rule };
  }
  if (ua.trim() === '') return { class: 'scanner', rule: 'no-user-agent' };
  if (visit.deliveredAt !== null && visit.at - visit.deliveredAt < rules.soonAfterDeliveryMs)
    return { class: 'scanner', rule: 'soon-after-delivery' };
  if (visit.kind === 'click') {
    const links = new Set([visit.linkIndex]);
    for (const c of visit.recentClicks) if (visit.at - c.at <= rules.burstWindowMs) links.add(c.linkIndex);
    if (links.size >= rules.burstLinks) return { class: 'scanner', rule: 'many-links-at-once' };
  }
  return { class: 'human', rule: 'none' };
}
