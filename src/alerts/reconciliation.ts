/**
 * Reconciliation (issue 21): per domain and day, what the gateway delivered to each receiver against what that
 * receiver's aggregate reports counted from the platform's egress addresses with this From domain. Coverage says
 * how much of our mail the reporters saw; more seen than sent is an alarm (something else sends from our addresses
 * as the domain, or the log lost mail); and the DKIM and SPF results receivers recorded for our own mail, by
 * selector, are our failure rate as they saw it. Pure: the store hands in the two sides.
 */
import type { DkimAuthResult, SpfAuthResult } from '../reports/index.ts';
import { excessThreshold } from './detector.ts';
import { receiverOfDelivery, receiverOfReporter } from './receivers.ts';

export interface DeliveredRow {
  readonly day: string;
  readonly recipientDomain: string;
  /** The MX host the message was handed to. */
  readonly host: string | null;
  /** Distinct messages delivered to that domain (one message to three recipients there counts once). */
  readonly messages: number;
}

/** A report record from a platform egress address with header_from = the domain. */
export interface SeenRow {
  readonly day: string;
  readonly reporter: string;
  readonly sourceIp: string;
  readonly messages: number;
  readonly dmarcPass: number;
  readonly dkimResults: readonly DkimAuthResult[];
  readonly spfResults: readonly SpfAuthResult[];
}

export interface AuthFigures {
  readonly messages: number;
  readonly pass: number;
  readonly fail: number;
  readonly failPercent: number;
}

export interface SelectorFigures extends AuthFigures {
  readonly signingDomain: string;
  readonly selector: string;
}

export interface ReconciliationRow {
  readonly day: string;
  readonly receiver: string;
  readonly recipientDomains: readonly string[];
  readonly reporters: readonly string[];
  readonly sent: number;
  readonly seen: number;
  /** seen ÷ sent as a percentage, capped at 100; null when nothing was sent there. */
  readonly coveragePercent: number | null;
  /** Messages reporters counted beyond what was sent (0 when none). */
  readonly excess: number;
  /** More seen than sent, beyond the day-boundary tolerance: forgery from our addresses, or a logging bug. */
  readonly alarm: boolean;
  readonly dmarcPass: number;
  readonly dkim: readonly SelectorFigures[];
  readonly spf: AuthFigures;
}

export interface Reconciliation {
  readonly domain: string;
  readonly from: string;
  readonly to: string;
  readonly rows: readonly ReconciliationRow[];
  readonly totals: {
    readonly sent: number;
    readonly seen: number;
    readonly coveragePercent: number | null;
    readonly alarms: number;
    readonly dkim: readonly SelectorFigures[];
    readonly spf: AuthFigures;
  };
}

const rate = (fail: number, messages: number) =>
  messages === 0 ? 0 : Math.round((1000 * fail) / messages) / 10;

function figures(pass: number, fail: number): AuthFigures {
  return { messages: pass + fail, pass, fail, failPercent: rate(fail, pass + fail) };
}

/** Sums DKIM results by selector and SPF results over seen rows (each record's count weighs its results). */
function authOf(rows: readonly SeenRow[], domain: string): { dkim: SelectorFigures[]; spf: AuthFigures } {
  const selectors = new Map<
    string,
    { signingDomain: string; selector: string; pass: number; fail: number }
  >();
  let spfPass = 0;
  let spfFail = 0;
  const own = (d: string | null) =>
    d !== null && (d.toLowerCase() === domain || d.toLowerCase().endsWith(`.${domain}`));
  for (const row of rows) {
    for (const d of row.dkimResults) {
      // Our own signatures only: a receiver may list a third party's (an ESP's d=) for mail relayed through us.
      if (!own(d.domain) || d.selector === null) continue;
      const key = `${d.selector}\u0000${d.domain!.toLowerCase()}`;
      const s = selectors.get(key) ?? {
        signingDomain: d.domain!.toLowerCase(),
        selector: d.selector,
        pass: 0,
        fail: 0,
      };
      // RFC 7489 Appendix C DKIMResultType: only "pass" passes; none/neutral/policy/temperror count as not passing.
      if (d.result === 'pass') s.pass += row.messages;
      else s.fail += row.messages;
      selectors.set(key, s);
    }
    // The MAIL FROM result (RFC 7489 §4.1: DMARC's SPF is the RFC5321.MailFrom identity); helo only if nothing else.
    const spf = row.spfResults.find((r) => r.scope === 'mfrom') ?? row.spfResults[0];
    if (spf !== undefined) {
      if (spf.result === 'pass') spfPass += row.messages;
      else spfFail += row.messages;
    }
  }
  return {
    dkim: [...selectors.values()]
      .map((s) => ({ signingDomain: s.signingDomain, selector: s.selector, ...figures(s.pass, s.fail) }))
      .sort((a, b) => b.messages - a.messages || a.selector.localeCompare(b.selector)),
    spf: figures(spfPass, spfFail),
  };
}

export function reconcile(input: {
  readonly domain: string;
  readonly from: string;
  readonly to: string;
  readonly delivered: readonly DeliveredRow[];
  readonly seen: readonly SeenRow[];
  /** The excess below which a day is not an alarm (alerts' minSourceMessages). */
  readonly alarmFloor: number;
}): Reconciliation {
  type Cell = { sent: number; domains: Set<string>; reporters: Set<string>; seen: SeenRow[] };
  const cells = new Map<string, Cell>();
  const cell = (day: string, receiver: string): Cell => {
    const key = `${day}\u0000${receiver}`;
    let c = cells.get(key);
    if (c === undefined) {
      c = { sent: 0, domains: new Set(), reporters: new Set(), seen: [] };
      cells.set(key, c);
    }
    return c;
  };
  for (const d of input.delivered) {
    const c = cell(d.day, receiverOfDelivery(d.recipientDomain, d.host));
    c.sent += d.messages;
    c.domains.add(d.recipientDomain.toLowerCase());
  }
  for (const s of input.seen) {
    const c = cell(s.day, receiverOfReporter(s.reporter));
    c.reporters.add(s.reporter);
    c.seen.push(s);
  }
  const rows: ReconciliationRow[] = [...cells.entries()]
    .map(([key, c]) => {
      const [day, receiver] = key.split('\u0000') as [string, string];
      const seen = c.seen.reduce((n, s) => n + s.messages, 0);
      const excess = Math.max(0, seen - c.sent);
      return {
        day,
        receiver,
        recipientDomains: [...c.domains].sort(),
        reporters: [...c.reporters].sort(),
        sent: c.sent,
        seen,
        coveragePercent: c.sent === 0 ? null : Math.min(100, Math.round((1000 * seen) / c.sent) / 10),
        excess,
        alarm: excess > 0 && excess >= excessThreshold(c.sent, input.alarmFloor),
        dmarcPass: c.seen.reduce((n, s) => n + s.dmarcPass, 0),
        ...authOf(c.seen, input.domain),
      };
    })
    .sort((a, b) => b.day.localeCompare(a.day) || b.sent - a.sent || a.receiver.localeCompare(b.receiver));
  const sent = rows.reduce((n, r) => n + r.sent, 0);
  const seenTotal = rows.reduce((n, r) => n + r.seen, 0);
  // Seen beyond sent is not coverage (it is the alarm's excess): each cell counts at most what was sent to it.
  const covered = rows.reduce((n, r) => n + Math.min(r.seen, r.sent), 0);
  return {
    domain: input.domain,
    from: input.from,
    to: input.to,
    rows,
    totals: {
      sent,
      seen: seenTotal,
      coveragePercent: sent === 0 ? null : Math.round((1000 * covered) / sent) / 10,
      alarms: rows.filter((r) => r.alarm).length,
      ...authOf(input.seen, input.domain),
    },
  };
}
