/**
 * The statistics the API, the CLI and the dashboard show, and the port the DMARC rollout autopilot reads
 * (`DmarcStatistics`): per domain and day, over a window of whole UTC days ending today. Every read is scoped to
 * one tenant: another tenant's domain is "not found".
 */
import type { Clock } from '../core/index.ts';
import { VERIFIED_TRUSTS } from './reporter-trust.ts';
import type { SourceClass, SourceClassifier } from './source-class.ts';
import type {
  DailyFigures,
  FailureRow,
  QuarantineRow,
  ReportRow,
  ReporterRow,
  ReporterTrustRow,
  ReportStatsRepository,
  SelectorRow,
  SourceDayRow,
  SourceRow,
} from './stats-ports.ts';

export interface Window {
  readonly from: string;
  readonly to: string;
  readonly days: number;
}

export interface DomainSummary {
  readonly domain: string;
  readonly window: Window;
  readonly totals: Omit<DailyFigures, 'day'>;
  readonly daily: readonly DailyFigures[];
}

export interface ClassifiedSource extends SourceRow {
  readonly class: SourceClass;
}

/** How far a reporter's reports of the window were verified (reporter-trust.ts). */
export interface ReporterVerification {
  /** verified: every report verified; unverified: none; legacy: only reports from before verification; mixed. */
  readonly status: 'verified' | 'unverified' | 'legacy' | 'mixed' | 'none';
  /** Reports verified by DKIM, forward-confirmed reverse DNS or an operator. */
  readonly verified: number;
  readonly unverified: number;
  readonly legacy: number;
  /** The domains the verified reports proved, and how (e.g. "google.com by dkim"). */
  readonly verifiedAs: string[];
  /** Why the latest unverified report is unverified (null if none is). */
  readonly unverifiedReason: string | null;
}

export interface ScoreboardRow extends ReporterRow {
  /** It reported in the window but not in the last `silentAfterDays` days. */
  readonly silent: boolean;
  readonly verification: ReporterVerification;
}

/** Sums a reporter's verdict rows into one verification summary. */
export function reporterVerification(rows: readonly ReporterTrustRow[]): ReporterVerification {
  const count = (f: (r: ReporterTrustRow) => boolean) =>
    rows.filter(f).reduce((sum, r) => sum + r.reports, 0);
  const verified = count((r) => VERIFIED_TRUSTS.includes(r.trust));
  const unverified = count((r) => r.trust === 'unverified');
  const legacy = count((r) => r.trust === 'legacy');
  const kinds = [verified, unverified, legacy].filter((n) => n > 0).length;
  const status =
    kinds === 0
      ? 'none'
      : kinds > 1
        ? 'mixed'
        : verified > 0
          ? 'verified'
          : unverified > 0
            ? 'unverified'
            : 'legacy';
  return {
    status,
    verified,
    unverified,
    legacy,
    verifiedAs: [
      ...new Set(
        rows
          .filter((r) => VERIFIED_TRUSTS.includes(r.trust))
          .map((r) => `${r.verifiedDomain ?? r.reporter} by ${r.trust}`),
      ),
    ].sort(),
    unverifiedReason: rows.find((r) => r.trust === 'unverified')?.reason ?? null,
  };
}

/**
 * What the DMARC rollout autopilot needs: aligned-pass figures per domain and day, and per source. It takes the
 * domain's id (it runs across tenants, from the scheduler).
 */
export interface DmarcStatistics {
  dailyFigures(domainId: string, window: Window): Promise<DailyFigures[]>;
  sourceFigures(domainId: string, window: Window): Promise<SourceDayRow[]>;
}

export interface ReportStatisticsDeps {
  readonly stats: ReportStatsRepository;
  readonly clock: Clock;
  readonly classifier: SourceClassifier;
  /** The tenant's domain of that name, or a not_found AppError. */
  readonly findDomain: (
    tenantId: string,
    name: string,
  ) => Promise<{ readonly id: string; readonly name: string }>;
  readonly silentAfterDays: number;
}

const ZERO: Omit<DailyFigures, 'day'> = {
  reports: 0,
  messages: 0,
  dmarcPass: 0,
  dkimAligned: 0,
  spfAligned: 0,
  dispositionNone: 0,
  dispositionQuarantine: 0,
  dispositionReject: 0,
  tlsSuccessful: 0,
  tlsFailed: 0,
  failureReports: 0,
};

function sum(rows: readonly DailyFigures[]): Omit<DailyFigures, 'day'> {
  const total: Record<string, number> = { ...ZERO };
  for (const r of rows) for (const k of Object.keys(ZERO)) total[k]! += r[k as keyof typeof ZERO];
  return total as unknown as Omit<DailyFigures, 'day'>;
}

export class ReportStatistics implements DmarcStatistics {
  readonly #deps: ReportStatisticsDeps;

  constructor(deps: ReportStatisticsDeps) {
    this.#deps = deps;
  }

  /** The last `days` whole UTC days, today included. */
  window(days: number): Window {
    const today = new Date(this.#deps.clock.now().toISOString().slice(0, 10) + 'T00:00:00Z');
    const from = new Date(today.getTime() - (days - 1) * 86_400_000);
    return { from: from.toISOString().slice(0, 10), to: today.toISOString().slice(0, 10), days };
  }

  async summary(tenantId: string, domainName: string, days: number): Promise<DomainSummary> {
    const domain = await this.#deps.findDomain(tenantId, domainName);
    const window = this.window(days);
    const daily = await this.#deps.stats.daily(domain.id, window.from, window.to);
    return { domain: domain.name, window, totals: sum(daily), daily };
  }

  async sources(
    tenantId: string,
    domainName: string,
    days: number,
    limit: number,
    verifiedOnly = false,
  ): Promise<ClassifiedSource[]> {
    const domain = await this.#deps.findDomain(tenantId, domainName);
    const window = this.window(days);
    // Verified-only figures leave legacy reports out too: a person asking for them wants what is proven.
    const rows = verifiedOnly
      ? await this.#deps.stats.sources(domain.id, window.from, window.to, limit, {
          legacyAfter: '9999-12-31T00:00:00.000Z',
        })
      : await this.#deps.stats.sources(domain.id, window.from, window.to, limit);
    return rows.map((r) => ({
      ...r,
      class: this.#deps.classifier.classify(r.sourceIp, r.ptr, r.ptrVerified),
    }));
  }

  async selectors(tenantId: string, domainName: string, days: number): Promise<SelectorRow[]> {
    const domain = await this.#deps.findDomain(tenantId, domainName);
    const window = this.window(days);
    return this.#deps.stats.selectors(domain.id, window.from, window.to);
  }

  async reports(tenantId: string, domainName: string, days: number, limit: number): Promise<ReportRow[]> {
    const domain = await this.#deps.findDomain(tenantId, domainName);
    const window = this.window(days);
    return this.#deps.stats.reports(domain.id, window.from, window.to, limit);
  }

  async failures(tenantId: string, domainName: string, limit: number): Promise<FailureRow[]> {
    const domain = await this.#deps.findDomain(tenantId, domainName);
    return this.#deps.stats.failureReports(domain.id, limit);
  }

  /** The reporter scoreboard. `tenantId` null (operator) covers every tenant and the unattributed input. */
  async scoreboard(
    tenantId: string | null,
    domainName: string | null,
    days: number,
  ): Promise<ScoreboardRow[]> {
    const domainId =
      domainName === null || tenantId === null
        ? null
        : (await this.#deps.findDomain(tenantId, domainName)).id;
    const window = this.window(days);
    const [rows, trust] = await Promise.all([
      this.#deps.stats.reporters({ tenantId, domainId }, window.from, window.to),
      this.#deps.stats.reporterTrust({ tenantId, domainId }, window.from, window.to),
    ]);
    const silentSince = this.window(this.#deps.silentAfterDays).from;
    return rows.map((r) => ({
      ...r,
      silent: r.lastDay !== null && r.lastDay < silentSince,
      verification: reporterVerification(trust.filter((x) => x.reporter === r.reporter)),
    }));
  }

  quarantine(tenantId: string | null, limit: number): Promise<QuarantineRow[]> {
    return this.#deps.stats.quarantine(tenantId, limit);
  }

  quarantineEntry(tenantId: string | null, id: string) {
    return this.#deps.stats.quarantineEntry(tenantId, id);
  }

  dailyFigures(domainId: string, window: Window): Promise<DailyFigures[]> {
    return this.#deps.stats.daily(domainId, window.from, window.to);
  }

  sourceFigures(domainId: string, window: Window): Promise<SourceDayRow[]> {
    return this.#deps.stats.sourceDays(domainId, window.from, window.to);
  }
}
