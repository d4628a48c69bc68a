import type { Grade } from '../checks/index.ts';

/** What the store gives for one domain of the domains list: one row, joined from several capabilities' tables. */
export interface DomainStatusRow {
  readonly name: string;
  readonly createdAt: string;
  readonly verifiedAt: string | null;
  readonly mode: string;
  /** The latest check, or null when the domain was never checked. */
  readonly check: { readonly grade: Grade; readonly checkedAt: string } | null;
  /** How many planned records have each grade in the latest check. */
  readonly records: Readonly<Record<Grade, number>>;
  /** The DMARC ladder step, or null when the domain has no stored policy yet (the default step applies). */
  readonly dmarcStep: number | null;
  readonly autopilot: boolean;
  /** The key that signs now (the newest active one), or null. */
  readonly activeKey: {
    readonly selector: string;
    readonly algorithm: string;
    readonly origin: string;
    readonly createdAt: string;
    readonly activatedAt: string | null;
  } | null;
}

export interface DomainStatusQuery {
  /** A part of the name to look for; empty for all. */
  readonly search: string;
  readonly offset: number;
  readonly limit: number;
}

export interface TenantSummaryRow {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly domains: number;
  readonly verifiedDomains: number;
  readonly users: number;
}

/** An event as the domain page lists it. */
export interface DomainEventRow {
  readonly id: string;
  readonly type: string;
  readonly severity: string;
  readonly at: string;
  readonly message: string;
}

/** Read-only, tenant-scoped queries for the dashboard's lists (they read several capabilities' tables at once). */
export interface OverviewRepository {
  domainStatuses(
    tenantId: string,
    query: DomainStatusQuery,
  ): Promise<{ total: number; rows: DomainStatusRow[] }>;
  tenantSummaries(): Promise<TenantSummaryRow[]>;
  /** A page of one domain's events, newest first; null when the tenant has no such domain. */
  domainEvents(
    tenantId: string,
    domainName: string,
    offset: number,
    limit: number,
  ): Promise<{ total: number; events: DomainEventRow[] } | null>;
}
