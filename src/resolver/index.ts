/** A DNS client: the `DnsResolver` port every DNS-reading capability takes, and a stub resolver over UDP/TCP. */
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
export type { StubResolverOptions } from './stub-resolver.ts';
