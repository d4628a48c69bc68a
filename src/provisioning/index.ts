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
export { applyLink, canonicalQuery, publicKeyTexts } from './apply-link.ts';
export type { ApplyLinkRequest, ProviderSettings } from './apply-link.ts';
export {
  DC_KEY_LABEL,
  DC_SERVICE_ID,
  planFitsTemplate,
  platformTemplate,
  templateRecords,
} from './domain-connect-template.ts';
export type { DomainConnectTemplate, TemplateRecord } from './domain-connect-template.ts';
export { DomainConnectService } from './domain-connect-service.ts';
export type { DomainConnectOffer, DomainConnectServiceDeps } from './domain-connect-service.ts';
export { httpsJson } from './https-json.ts';
export type { HttpsJsonOptions } from './https-json.ts';
export { discoverProvider, discoveryTxt } from './provider-discovery.ts';
export type { Discovery, DiscoveryDeps } from './provider-discovery.ts';
export { domainConnectKey } from './signing-key.ts';
export type { DomainConnectKey } from './signing-key.ts';
