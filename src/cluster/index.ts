/**
 * The cluster capability: what makes several senderd nodes over one PostgreSQL safe. Job leases in the store let
 * each periodic job run on one node at a time, and move it to another node when its holder dies or stops.
 */
export { JobLeases } from './job-leases.ts';
export type { JobLeasesDeps } from './job-leases.ts';
export type { JobLeaseRepository, JobLeaseRow } from './ports.ts';
