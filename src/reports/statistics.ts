/**
 * The statistics the API, the CLI and the dashboard show, and the port the DMARC rollout autopilot reads
 * (`DmarcStatistics`): per domain and day, over a window of whole UTC days (the last N days, a `from`..`to` range,
 * or all time), placed by the day reports cover or the day they arrived. Every read is scoped to one tenant:
 * another tenant's domain is "not found".
 */
import { AppError, type Clock } from '../core/index.ts';
import {
  identifySender,
  shippedCatalogue,
  type NamedSender,
  type SenderCatalogue,
} from '../senders/index.ts';
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
  WindowBasis,
} from './stats-ports.ts';
import { NO_FIGURES as ZERO } from './stats-ports.ts';

/** The width of one chart bar: a long window is summed by ISO week (from Monday) or calendar month. */
export type Bucket = 'day' | 'week' | 'month';

export interface Window {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly basis: WindowBasis;
  readonly bucket: Bucket;
}

/**
 * What the caller asked for: `all` (from the domain's first report to today), or `from`/`to` (either may be left
 * out: `to` is then today, `from` is `days` before `to`), or the last `days` days. `basis` defaults to `cover`.
 */
export interface WindowRequest {
  readonly days?: number | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly all?: boolean | undefined;
  readonly basis?: WindowBasis | undefined;
}

/** Past these many days a chart bar is a week, then a month: an all-time view draws tens of bars, not thousands. */
export const WEEKLY_AFTER_DAYS = 92;
export const MONTHLY_AFTER_DAYS = 731;
/** A window spans at most 100 years: every real report fits, and a typo such as 1019-06-01 for 2019 is refused. */
const MAX_DAYS = 36_600;

export interface DomainSummary {
  readonly domain: string;
  readonly window: Window;
  readonly totals: Omit<DailyFigures, 'day'>;
  readonly daily: readonly DailyFigures[];
  /** The daily figures summed per `window.bucket`; each row is named by its first day. */
  readonly series: readonly DailyFigures[];
}

/** A capped list: the rows shown, how many there are in all, and whether rows were left out. */
export interface CappedList<T> {
  readonly rows: T[];
  readonly total: number;
  readonly truncated: boolean;
}

export interface ClassifiedSource extends SourceRow {
  readonly class: SourceClass;
  /**
   * The named sender (src/senders) with how it authenticates for the domain and the fix when it fails; null for
   * the platform's own addresses, which the domain's record plan already covers.
   */
  readonly sender: NamedSender | null;
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
  dailyFigures(domainId: string, window: DayRange): Promise<DailyFigures[]>;
  sourceFigures(domainId: string, window: DayRange): Promise<SourceDayRow[]>;
}

export type DayRange = Pick<Window, 'from' | 'to'>;

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD that names a real day, or a validation AppError naming the parameter. */
function parseDay(name: string, value: string): number {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!ISO_DAY.test(value) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    throw new AppError('validation_failed', `${name} must be a day as YYYY-MM-DD (UTC), not "${value}".`);
  }
  return t;
}

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

export function bucketFor(days: number): Bucket {
  if (days > MONTHLY_AFTER_DAYS) return 'month';
  return days > WEEKLY_AFTER_DAYS ? 'week' : 'day';
}

/** The first day of the bucket `day` falls in: itself, its ISO week's Monday (ISO 8601), or the 1st of its month. */
export function bucketStart(day: string, bucket: Bucket): string {
  if (bucket === 'day') return day;
  if (bucket === 'month') return `${day.slice(0, 7)}-01`;
  const t = Date.parse(`${day}T00:00:00Z`);
  return dayOf(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS);
}

/** Daily rows summed per bucket, in day order. */
export function bucketed(daily: readonly DailyFigures[], bucket: Bucket): DailyFigures[] {
  if (bucket === 'day') return [...daily];
  const out = new Map<string, DailyFigures[]>();
  for (const d of daily) {
    const key = bucketStart(d.day, bucket);
    out.set(key, [...(out.get(key) ?? []), d]);
  }
  return [...out.entries()].map(([day, rows]) => ({ day, ...sum(rows) }));
}

export interface ReportStatisticsDeps {
  readonly stats: ReportStatsRepository;
  readonly clock: Clock;
  readonly classifier: SourceClassifier;
  /** The tenant's domain of that name, or a not_found AppError. */
  readonly findDomain: (
    tenantId: string,
    name: string,
  ) => Promise<{
    readonly id: string;
    readonly name: string;
    /** The domain's own SPF mechanisms, for the fixes of named senders. */
    readonly settings?: { readonly spfMechanisms: readonly string[] };
  }>;
  readonly silentAfterDays: number;
  /** The services sources are named after; the shipped catalogue when left out. */
  readonly senders?: SenderCatalogue;
}

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
  window(days: number, basis: WindowBasis = 'cover'): Window {
    return this.#range(this.#today() - (days - 1) * DAY_MS, this.#today(), basis);
  }

  /**
   * The window a request names, checked: days are real YYYY-MM-DD days, `from` is not after `to`, and the range
   * spans at most 100 years. `firstDay` is asked only for `all`.
   */
  async resolveWindow(req: WindowRequest, firstDay: (basis: WindowBasis) => Promise<string | null>) {
    const basis = req.basis ?? 'cover';
    const today = this.#today();
    if (req.all === true) {
      if (req.from !== undefined || req.to !== undefined) {
        throw new AppError('validation_failed', 'All time takes no from or to: use one or the other.');
      }
      const first = await firstDay(basis);
      return this.#range(
        first === null ? today : Math.min(parseDay('first day', first), today),
        today,
        basis,
      );
    }
    if (req.from === undefined && req.to === undefined) return this.window(req.days ?? 30, basis);
    const to = req.to === undefined ? today : parseDay('to', req.to);
    const from = req.from === undefined ? to - ((req.days ?? 30) - 1) * DAY_MS : parseDay('from', req.from);
    if (from > to) {
      throw new AppError('validation_failed', `from (${dayOf(from)}) is after to (${dayOf(to)}).`);
    }
    if ((to - from) / DAY_MS + 1 > MAX_DAYS) {
      throw new AppError(
        'validation_failed',
        `A window spans at most ${MAX_DAYS} days; use all time instead.`,
      );
    }
    return this.#range(from, to, basis);
  }

  #today(): number {
    return Date.parse(this.#deps.clock.now().toISOString().slice(0, 10) + 'T00:00:00Z');
  }

  #range(from: number, to: number, basis: WindowBasis): Window {
    const days = Math.round((to - from) / DAY_MS) + 1;
    return { from: dayOf(from), to: dayOf(to), days, basis, bucket: bucketFor(days) };
  }

  async #scope(tenantId: string, domainName: string, req: WindowRequest) {
    const domain = await this.#deps.findDomain(tenantId, domainName);
    const window = await this.resolveWindow(req, (basis) => this.#deps.stats.firstDay(domain.id, basis));
    return { domain, window };
  }

  async summary(tenantId: string, domainName: string, req: WindowRequest): Promise<DomainSummary> {
    const { domain, window } = await this.#scope(tenantId, domainName, req);
    const daily = await this.#deps.stats.daily(domain.id, window.from, window.to, window.basis);
    return {
      domain: domain.name,
      window,
      totals: sum(daily),
      daily,
      series: bucketed(daily, window.bucket),
    };
  }

  /** The sources with most messages first, `limit` of them, with how many there are and all their messages. */
  async sources(
    tenantId: string,
    domainName: string,
    req: WindowRequest,
    limit: number,
    verifiedOnly = false,
  ): Promise<CappedList<ClassifiedSource> & { window: Window; messages: number }> {
    const { domain, window } = await this.#scope(tenantId, domainName, req);
    // Verified-only figures leave legacy reports out too: a person asking for them wants what is proven.
    const verified = verifiedOnly ? { legacyAfter: '9999-12-31T00:00:00.000Z' } : undefined;
    const [rows, all] = await Promise.all([
      this.#deps.stats.sources(domain.id, window.from, window.to, limit, window.basis, verified),
      this.#deps.stats.sourceTotals(domain.id, window.from, window.to, window.basis),
    ]);
    const classified = await this.#named(domain, window, rows);
    if (verified !== undefined) {
      // The totals of verified reports alone are not kept: say what was listed, and that more may exist.
      const messages = rows.reduce((sum, r) => sum + r.messages, 0);
      return { window, rows: classified, total: rows.length, truncated: rows.length >= limit, messages };
    }
    return {
      window,
      rows: classified,
      total: all.sources,
      truncated: rows.length < all.sources,
      messages: all.messages,
    };
  }

  /** Classes every source and names the ones that are not the platform's own from their auth results. */
  async #named(
    domain: Awaited<ReturnType<ReportStatisticsDeps['findDomain']>>,
    window: Window,
    rows: readonly SourceRow[],
  ): Promise<ClassifiedSource[]> {
    const classes = rows.map((r) => this.#deps.classifier.classify(r.sourceIp, r.ptr, r.ptrVerified));
    const others = rows.filter((_, i) => classes[i] !== 'platform').map((r) => r.sourceIp);
    const auth = await this.#deps.stats.sourceAuth(domain.id, window.from, window.to, others, window.basis);
    const byIp = new Map(auth.map((a) => [a.sourceIp, a]));
    const catalogue = this.#deps.senders ?? shippedCatalogue();
    return rows.map((r, i) => {
      const cls = classes[i]!;
      const seen = byIp.get(r.sourceIp);
      const sender =
        cls === 'platform'
          ? null
          : identifySender(catalogue, { ...r, dkim: seen?.dkim ?? [], spf: seen?.spf ?? [] }, domain.name, {
              forwarder: cls === 'forwarder',
              ownSpfMechanisms: domain.settings?.spfMechanisms,
            });
      return { ...r, class: cls, sender };
    });
  }

  /** Selectors come from the roll-ups kept by the day reports cover, whatever the request's basis. */
  async selectors(tenantId: string, domainName: string, req: WindowRequest): Promise<SelectorRow[]> {
    const { domain, window } = await this.#scope(tenantId, domainName, { ...req, basis: 'cover' });
    return this.#deps.stats.selectors(domain.id, window.from, window.to);
  }

  async reports(
    tenantId: string,
    domainName: string,
    req: WindowRequest,
    limit: number,
  ): Promise<CappedList<ReportRow> & { window: Window }> {
    const { domain, window } = await this.#scope(tenantId, domainName, req);
    const [rows, total] = await Promise.all([
      this.#deps.stats.reports(domain.id, window.from, window.to, limit, window.basis),
      this.#deps.stats.reportCount(domain.id, window.from, window.to, window.basis),
    ]);
    return { window, rows, total, truncated: rows.length < total };
  }

  async failures(tenantId: string, domainName: string, limit: number): Promise<CappedList<FailureRow>> {
    const domain = await this.#deps.findDomain(tenantId, domainName);
    const [rows, total] = await Promise.all([
      this.#deps.stats.failureReports(domain.id, limit),
      this.#deps.stats.failureCount(domain.id),
    ]);
    return { rows, total, truncated: rows.length < total };
  }

  /**
   * The reporter scoreboard. `tenantId` null (operator) covers every tenant and the unattributed input. It comes
   * from the roll-ups kept by the day reports cover, whatever the request's basis; "all time" starts at the
   * domain's first report, or (for every domain) 100 years back.
   */
  async scoreboard(
    tenantId: string | null,
    domainName: string | null,
    req: WindowRequest,
  ): Promise<ScoreboardRow[]> {
    const domainId =
      domainName === null || tenantId === null
        ? null
        : (await this.#deps.findDomain(tenantId, domainName)).id;
    const window = await this.resolveWindow({ ...req, basis: 'cover' }, (basis) =>
      domainId === null
        ? Promise.resolve(dayOf(this.#today() - (MAX_DAYS - 1) * DAY_MS))
        : this.#deps.stats.firstDay(domainId, basis),
    );
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

  async quarantine(tenantId: string | null, limit: number): Promise<CappedList<QuarantineRow>> {
    const [rows, total] = await Promise.all([
      this.#deps.stats.quarantine(tenantId, limit),
      this.#deps.stats.quarantineCount(tenantId),
    ]);
    return { rows, total, truncated: rows.length < total };
  }

  quarantineEntry(tenantId: string | null, id: string) {
    return this.#deps.stats.quarantineEntry(tenantId, id);
  }

  dailyFigures(domainId: string, window: DayRange): Promise<DailyFigures[]> {
    return this.#deps.stats.daily(domainId, window.from, window.to);
  }

  sourceFigures(domainId: string, window: DayRange): Promise<SourceDayRow[]> {
    return this.#deps.stats.sourceDays(domainId, window.from, window.to);
  }
}
