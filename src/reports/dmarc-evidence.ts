/**
 * The reports' side of the DMARC autopilot's port: what the aggregate reports of a window say about a domain, per
 * source, with its class, its verified reverse name and how much of its failing mail still authenticated.
 */
import type { DmarcEvidenceSource } from '../dmarc/index.ts';
import type { SourceClassifier } from './source-class.ts';
import { countsAsEvidence } from './reporter-trust.ts';
import type { ReporterTrustRow, ReportStatsRepository } from './stats-ports.ts';

/** Report figures are kept per whole UTC day: a window covers the days it touches. */
function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** How long reports stored before verification existed still count (`reports.legacyTrustDays`). */
export interface EvidenceTrustSettings {
  readonly legacyTrustDays: number;
  readonly now: () => Date;
}

/**
 * Only reports whose reporter is verified count (reporter-trust.ts), and `legacy` ones during the transition: the
 * sources are summed from their records, and reporters are counted by the identity verification proved (the
 * organisational domain), never by the `org_name` a report names itself. What was left out is counted.
 */
export function reportEvidenceSource(
  stats: ReportStatsRepository,
  classifier: SourceClassifier,
  trust: EvidenceTrustSettings,
): DmarcEvidenceSource {
  return {
    async evidence(domainId, from, to, options) {
      const verifiedOnly = options?.verifiedOnly === true;
      // The window is half-open [from, to): its last day is the one holding the instant before `to`.
      const first = day(from);
      const last = day(new Date(Math.max(from.getTime(), to.getTime() - 1)));
      const legacyAfter = new Date(trust.now().getTime() - trust.legacyTrustDays * 86_400_000).toISOString();
      const [sources, byTrust] = await Promise.all([
        verifiedOnly
          ? stats.sources(domainId, first, last, 100_000, 'cover', { legacyAfter })
          : stats.sources(domainId, first, last, 100_000),
        stats.reporterTrust({ tenantId: null, domainId }, first, last),
      ]);
      const legacyCounts = (row: ReporterTrustRow) => row.trustAt !== null && row.trustAt > legacyAfter;
      const counts = (r: ReporterTrustRow) => !verifiedOnly || countsAsEvidence(r.trust, legacyCounts(r));
      const counted = byTrust.filter(counts);
      const ignored = byTrust.filter((r) => !counts(r));
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        reporters: [
          ...new Set(
            counted
              .filter((r) => r.messages > 0)
              .map((r) => (verifiedOnly ? (r.verifiedDomain ?? r.reporter) : r.reporter)),
          ),
        ].sort(),
        ignoredReports: ignored.reduce((sum, r) => sum + r.reports, 0),
        sources: sources.map((s) => ({
          ip: s.sourceIp,
          class: classifier.classify(s.sourceIp, s.ptr, s.ptrVerified),
          reverseName: s.ptrVerified ? s.ptr : null,
          messages: s.messages,
          dmarcPass: s.dmarcPass,
          authenticatedUnaligned: s.authUnaligned,
        })),
      };
    },
  };
}
