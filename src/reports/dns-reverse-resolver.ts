import { parseIp } from '../ip/index.ts';
import { RecursiveResolver, type LookupOutcome } from '../resolver/index.ts';
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

function records(outcome: LookupOutcome<string>): string[] {
  if (outcome.kind === 'answer') return [...outcome.records];
  if (outcome.kind === 'error') throw new Error(outcome.reason);
  return [];
}
