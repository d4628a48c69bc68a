/** The dashboard's list views, read across capabilities: domains with status badges, tenants for operators. */
export { OverviewService, describeDomainStatus } from './domain-status.ts';
export type { DomainStatus, DomainStatusPage } from './domain-status.ts';
export type { DomainStatusQuery, DomainStatusRow, OverviewRepository, TenantSummaryRow } from './ports.ts';
