/**
 * MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) for a sender domain's inbound mail: the service that switches them on
 * and moves the mode (testing, enforce, none) with the MX hosts and the TLS reports as evidence, and the edge route
 * that serves the policy on `mta-sts.<domain>`. The policy text and records are the domains capability's rules.
 */
export { MtaStsService } from './mta-sts-service.ts';
export type { MtaStsServiceDeps, MtaStsView, MxLookup, TlsEvidence } from './mta-sts-service.ts';
export { mtaStsPolicyRoute, POLICY_PATH } from './policy-route.ts';
