/**
 * What the DMARC aggregate reports say about a sender domain over a time window: the input of the autopilot and of
 * the impact preview. The reports capability provides it through `DmarcEvidenceSource`.
 */
export type SourceClass = 'platform' | 'forwarder' | 'unknown';

export interface SourceEvidence {
  readonly ip: string;
  readonly class: SourceClass;
  readonly reverseName: string | null;
  readonly messages: number;
  /** Messages that passed DMARC: DKIM or SPF passed for an identifier aligned with the sender domain. */
  readonly dmarcPass: number;
  /**
   * Failing messages that nevertheless authenticated, by DKIM or SPF, for a domain NOT aligned with the sender
   * domain: a real sender that was never set up (shadow IT), which enforcement would hurt.
   */
  readonly authenticatedUnaligned: number;
}

export interface WindowEvidence {
  readonly from: string;
  readonly to: string;
  /**
   * Distinct verified reporting organisations (google.com, microsoft.com, ...): only reports whose sender was
   * verified count, by the domain verification proved (src/reports/reporter-trust.ts).
   */
  readonly reporters: readonly string[];
  /** Reports of the window left out of the evidence because their reporter is unverified (0 when unknown). */
  readonly ignoredReports?: number;
  readonly sources: readonly SourceEvidence[];
}

export interface DmarcEvidenceSource {
  /**
   * `verifiedOnly`: only reports whose reporter is verified (and legacy ones during the transition), reporters
   * counted by verified domain, and `ignoredReports` set. Otherwise every report, reporters by name.
   */
  evidence(
    domainId: string,
    from: Date,
    to: Date,
    options?: { readonly verifiedOnly?: boolean },
  ): Promise<WindowEvidence>;
}

/** Messages from a source that failed DMARC with no passing authentication at all: spoofing, by all signs. */
export function unauthenticated(s: SourceEvidence): number {
  return Math.max(0, s.messages - s.dmarcPass - s.authenticatedUnaligned);
}

/** Joins two windows that follow each other (sources added up by IP). */
export function mergeWindows(a: WindowEvidence, b: WindowEvidence): WindowEvidence {
  const byIp = new Map<string, SourceEvidence>();
  for (const s of [...a.sources, ...b.sources]) {
    const seen = byIp.get(s.ip);
    byIp.set(
      s.ip,
      seen === undefined
        ? s
        : {
            ...seen,
            messages: seen.messages + s.messages,
            dmarcPass: seen.dmarcPass + s.dmarcPass,
            authenticatedUnaligned: seen.authenticatedUnaligned + s.authenticatedUnaligned,
          },
    );
  }
  return {
    from: a.from < b.from ? a.from : b.from,
    to: a.to > b.to ? a.to : b.to,
    reporters: [...new Set([...a.reporters, ...b.reporters])].sort(),
    ignoredReports: (a.ignoredReports ?? 0) + (b.ignoredReports ?? 0),
    sources: [...byIp.values()],
  };
}
