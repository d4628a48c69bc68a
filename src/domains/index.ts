/** Sender domains: name validation, tokens, per-domain settings and the record plan. */
export { parseSenderDomain } from './sender-domain-name.ts';
export type { SenderDomainProblem, SenderDomainRejection, SenderDomainRules } from './sender-domain-name.ts';
export { parsePublicSuffixList } from './public-suffix.ts';
export type { PublicSuffixList } from './public-suffix.ts';
export {
  planRecords,
  hostedNames,
  reportAuthorizationName,
  selectorsOf,
  initialDmarcRecord,
} from './record-plan.ts';
export type {
  DomainMode,
  OwnDkimSelector,
  PlanInput,
  PlannedRecord,
  PlatformNames,
  PublishedDkimKey,
  RecordData,
  RecordPlan,
  RecordPurpose,
  SenderDomainSettings,
} from './record-plan.ts';
export {
  formatPlan,
  planToJson,
  presentValue,
  zoneFileValue,
  relativeName,
  RECORD_FORMATS,
} from './record-format.ts';
export type { RecordFormat, FormatOptions, PlannedRecordJson } from './record-format.ts';
export {
  hostedSpfRecord,
  countLookupTerms,
  ipMechanisms,
  SPF_LOOKUP_LIMIT,
  CUSTOMER_LOOKUP_LIMIT,
} from './spf-budget.ts';
export {
  DEFAULT_MAX_AGE,
  MAX_MAX_AGE,
  maxAgeOf,
  mtaStsPolicyId,
  mtaStsPolicyText,
  mtaStsRecord,
  mxMatches,
  parseMxPattern,
  tlsRptRecord,
  uncoveredMx,
} from './mta-sts-policy.ts';
export type { MtaStsMaxAge, MtaStsMode, MtaStsSettings } from './mta-sts-policy.ts';
export { splitTxtStrings, quoteTxtString } from './txt-strings.ts';
export { domainSettingsInput, spfMechanism } from './domain-settings.ts';
export type { DomainSettingsInput } from './domain-settings.ts';
export { DEFAULT_SENDING, sendingSettingsInput } from './sending-settings.ts';
export type { SendingSettings } from './sending-settings.ts';
export { DomainService, TOKEN_LENGTH } from './domain-service.ts';
export type { DomainServiceDeps } from './domain-service.ts';
export type { SenderDomain } from './model.ts';
export type { DkimKeyLookup, DomainRepository, PolicyRecordSource } from './ports.ts';
