import type { Grade } from '../checks/index.ts';
import { AppError, type Clock } from '../core/index.ts';
import { normaliseDomainName } from '../domain-name/index.ts';
import { DEFAULT_POLICY, stepAt } from '../dmarc/index.ts';
import type { DomainStatusQuery, DomainStatusRow, OverviewRepository, TenantSummaryRow } from './ports.ts';

/** One line of the domains list: the badges a person scans for. */
export interface DomainStatus {
  readonly name: string;
  readonly mode: string;
  readonly createdAt: string;
  readonly verified: boolean;
  readonly verifiedAt: string | null;
  readonly check: { readonly grade: Grade; readonly checkedAt: string } | null;
  readonly records: Readonly<Record<Grade, number>>;
  readonly dmarc: {
    readonly step: number;
    readonly label: string;
    readonly p: string;
    readonly percent: number;
    readonly autopilot: boolean;
  };
  readonly key: {
    readonly selector: string;
    readonly algorithm: string;
    readonly origin: string;
    readonly activatedAt: string | null;
    /** Whole days since the key began to sign (or was created, if it never did). */
    readonly ageDays: number;
  } | null;
}

export interface DomainStatusPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly domains: readonly DomainStatus[];
}

const DAY_MS = 86_400_000;

/** Turns a stored row into the list's view: the step's label, the key's age. Pure. */
export function describeDomainStatus(row: DomainStatusRow, now: Date): DomainStatus {
  const step = stepAt(row.dmarcStep ?? DEFAULT_POLICY.step);
  const key = row.activeKey;
  return {
    name: row.name,
    mode: row.mode,
    createdAt: row.createdAt,
    verified: row.verifiedAt !== null,
    verifiedAt: row.verifiedAt,
    check: row.check,
    records: row.records,
    dmarc: {
      step: step.index,
      label: step.label,
      p: step.p,
      percent: step.percent,
      autopilot: row.autopilot,
    },
    key:
      key === null
        ? null
        : {
            selector: key.selector,
            algorithm: key.algorithm,
            origin: key.origin,
            activatedAt: key.activatedAt,
            ageDays: Math.max(
              0,
              Math.floor((now.getTime() - Date.parse(key.activatedAt ?? key.createdAt)) / DAY_MS),
            ),
          },
  };
}

/** The dashboard's list views: a tenant's domains with their badges, and the operator's tenants. */
export class OverviewService {
  readonly #repo: OverviewRepository;
  readonly #clock: Clock;

  constructor(repo: OverviewRepository, clock: Clock) {
    this.#repo = repo;
    this.#clock = clock;
  }

  async domains(tenantId: string, query: DomainStatusQuery): Promise<DomainStatusPage> {
    const { total, rows } = await this.#repo.domainStatuses(tenantId, {
      ...query,
      search: query.search.trim().toLowerCase(),
    });
    const now = this.#clock.now();
    return {
      total,
      offset: query.offset,
      limit: query.limit,
      domains: rows.map((r) => describeDomainStatus(r, now)),
    };
  }

  tenants(): Promise<TenantSummaryRow[]> {
    return this.#repo.tenantSummaries();
  }

  /** A page of a domain's events; another tenant's domain is not found, like a missing one. */
  async domainEvents(tenantId: string, domainName: string, offset: number, limit: number) {
    const name = normaliseDomainName(domainName);
    const found = name.ok ? await this.#repo.domainEvents(tenantId, name.value, offset, limit) : null;
    if (found === null) throw new AppError('not_found', `No sender domain ${domainName.trim()}.`);
    return { total: found.total, offset, limit, events: found.events };
  }
}
