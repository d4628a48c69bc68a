/**
 * The reports' side of the DMARC autopilot's port: what the aggregate reports of a window say about a domain, per
 * source, with its class, its verified reverse name and how much of its failing mail still authenticated.
 */
import type { DmarcEvidenceSource } from '../dmarc/index.ts';
import type { SourceClassifier } from './source-class.ts';
import type { ReportStatsRepository } from './stats-ports.ts';

/** Report figures are kept per whole UTC day: a window covers the days it touches. */
function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function reportEvidenceSource(
  stats: ReportStatsRepository,
  classifier: SourceClassifier,
): DmarcEvidenceSource {
  return {
    async evidence(domainId, from, to) {
      // The window is half-open [from, to): its last day is the one holding the instant before `to`.
      const first = day(from);
      const last = day(new Date(Math.max(from.getTime(), to.getTime() - 1)));
      const [sources, reporters] = await Promise.all([
        stats.sources(domainId, first, last, 100_000),
        stats.reporters({ tenantId: null, domainId }, first, last),
      ]);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        reporters: reporters.filter((r) => r.messages > 0).map((r) => r.reporter),
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
