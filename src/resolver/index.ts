/**
 * The only DNS client: the `DnsResolver` port every DNS-reading capability takes, a stub resolver over UDP/TCP, and
 * the recursive mode (configured or system resolvers) with the one mapping of replies onto outcomes.
 */
export { canonicalName, formatServer, parseServerAddress, joinTxt } from './model.ts';
export type {
  DnsQuery,
  DnsResolver,
  DnsResponse,
  DnsServerAddress,
  RcodeName,
  RecordType,
  ResourceData,
  ResourceRecord,
} from './model.ts';
export { StubResolver } from './stub-resolver.ts';
export { RecursiveResolver, recursiveServers } from './recursive-resolver.ts';
export type { MxData, RecursiveResolverOptions } from './recursive-resolver.ts';
export { answerRecords, lookupOutcome, mapOutcome, queryNameProblem } from './lookup-outcome.ts';
export type { LookupOutcome } from './lookup-outcome.ts';
export type { StubResolverOptions } from './stub-resolver.ts';
export { sendUpdate } from './dynamic-update.ts';
export type { DynamicUpdate, UpdateOutcome } from './dynamic-update.ts';
export type { Change, Prerequisite, UpdateData, UpdateRecord } from './update-message.ts';
