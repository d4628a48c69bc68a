/**
 * Putting a domain's record plan into the customer's own DNS for them: an RFC 2136 dynamic update signed with
 * TSIG (dns-apply.ts), and Domain Connect (the synchronous flow of draft-ietf-dconn-domainconnect-03).
 */
export { applyPlan } from './dns-apply.ts';
export type { DnsApplyDeps, DnsApplyRequest, DnsApplyResult } from './dns-apply.ts';
export { planUpdate } from './update-plan.ts';
export type { ApplyItem, ItemAction, NameState, UpdatePlan } from './update-plan.ts';
export { DnsApplyService } from './dns-apply-service.ts';
export type { DnsApplyInput, DnsApplyServiceDeps } from './dns-apply-service.ts';
