/**
 * The edge: the customer-facing host names (clicks.<domain>, later mta-sts.<domain>) over HTTP and HTTPS, with
 * certificates chosen by SNI from the store and obtained by ACME (RFC 8555, HTTP-01) once a host's CNAME points
 * here. Capabilities serve on it by adding routes for their host role to the route table.
 */
export type {
  AcmeAccount,
  AcmeChallenge,
  CertificateStatus,
  CertificateSummary,
  EdgeHost,
  HostRole,
  OrderFailure,
  PendingOrder,
  ServedHost,
  StoredCertificate,
} from './model.ts';
export { CLICK_ROLE, MTA_STS_ROLE } from './model.ts';
export type { EdgeRepository, HostUpdate, RecordGrade, SealedEdgeKey } from './ports.ts';
export { RouteTable } from './route-table.ts';
export type { EdgeRequest, EdgeResponse, EdgeRoute, RouteMatch } from './route-table.ts';
export { clickRootRoute } from './click-routes.ts';
export { clickHostRole, mtaStsHostRole, planHosts, readinessOf, wantedHosts } from './host-plan.ts';
export type { EdgeHostRole, Readiness } from './host-plan.ts';
export { backoffMs, nextAction, renewalDue } from './renewal-policy.ts';
export type { RetryPolicy } from './renewal-policy.ts';
export { AcmeFailure } from './acme-ca.ts';
export type { AcmeCa, AcmeCaFactory, AcmeOrder, AcmeAuthorization } from './acme-ca.ts';
/** The ACME CA over the acme-client library, with an account made on first use and sealed in the store. */
export { acmeClientCa } from './acme-client-ca.ts';
export type { AcmeClientCaOptions } from './acme-client-ca.ts';
export { CertificateIssuer } from './certificate-issuer.ts';
export type { IssueOutcome, IssuerDeps } from './certificate-issuer.ts';
export { AcmeScheduler } from './acme-scheduler.ts';
export type { AcmeSchedulerDeps, PassReport } from './acme-scheduler.ts';
export { hostKeyAad, accountKeyAad, openKey } from './certificate-keys.ts';
export type { CertificateKeyType } from './certificate-keys.ts';
/** The status of a tenant's hosts and certificates, for the API, the CLI and the dashboard. */
export { EdgeService } from './edge-service.ts';
export type { DomainEdgeStatus, EdgeServiceDeps } from './edge-service.ts';
export type { HostStatus, HostStatusView } from './edge-status.ts';
/** Starts the HTTP and HTTPS listeners of the edge over the store. */
export { startEdge } from './edge-component.ts';
export type { EdgeComponentDeps, EdgeSettings, RunningEdge } from './edge-component.ts';
export type { EdgeLimits } from './edge-server.ts';
export { hostnameOf, NOT_FOUND } from './request-handler.ts';
/** Re-seals the edge's keys under the current key-encryption key (senderd kek rotate). */
export { rewrapEdgeKeys } from './key-rewrap.ts';
