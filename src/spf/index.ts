/**
 * SPF (RFC 7208): check_host() with macros, the processing limits and explanations, over an injected DNS port.
 * Used by checks (diagnosing a customer's records) and usable by the gateway and reports.
 */
export { checkHost, domainProblem } from './check-host.ts';
export { isSpfRecord, parseSpfRecord } from './record.ts';
export { mergeInclude } from './include-merge.ts';
export type { IncludeMerge } from './include-merge.ts';
export type {
  CheckHostInput,
  CheckHostOptions,
  Directive,
  Mechanism,
  SpfDns,
  SpfDnsAnswer,
  SpfOutcome,
  SpfRecord,
  SpfResult,
  SpfStep,
} from './model.ts';
