import { parseIp } from '../ip/index.ts';
import { RecursiveResolver, type LookupOutcome } from '../resolver/index.ts';
import type { TxtLookup } from './message-evidence.ts';
import type { ReverseResolver } from './reverse-names.ts';

/**
 * The production ReverseResolver: PTR and address lookups through recursive resolvers (`servers`, or the
 * system's). No record is an empty list; a failed lookup throws, and the worker records no name for it.
 */
export function dnsReverseResolver(options: {
  readonly servers: readonly string[];
  readonly timeoutMs: number;
}): ReverseResolver {
  const dns = new RecursiveResolver(options);
  return {
    async reverse(ip) {
      const parsed = parseIp(ip);
      return parsed === null ? [] : records(await dns.ptr(parsed));
    },
    addresses: async (name, family) => records(await dns.addresses(name, family)),
  };
}

/** TXT lookups for DKIM keys (RFC 6376 §3.6.2) through recursive resolvers: senderd's resolver, not the system's. */
export function dnsTxtLookup(options: {
  readonly servers: readonly string[];
  readonly timeoutMs: number;
}): TxtLookup {
  const dns = new RecursiveResolver(options);
  return async (name) => records(await dns.txt(name));
}

function records(outcome: LookupOutcome<string>): string[] {
  if (outcome.kind === 'answer') return [...outcome.records];
  if (outcome.kind === 'error') throw new Error(outcome.reason);
  return [];
}
