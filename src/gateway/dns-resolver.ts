import { RecursiveResolver } from '../resolver/index.ts';
import type { MailResolver } from './ports.ts';

/**
 * The production MailResolver: MX and address lookups through recursive resolvers (`servers`, or the system's),
 * with the resolver's one mapping of replies (NXDOMAIN and NODATA as data, trouble temporary, a name no query can
 * carry permanent).
 */
export function systemMailResolver(servers: readonly string[] = [], timeoutMs = 5_000): MailResolver {
  const dns = new RecursiveResolver({ servers, timeoutMs });
  return {
    resolveMx: (domain) => dns.mx(domain),
    async resolveAddresses(host) {
      // RFC 5321 §5.1: both address families; we try IPv4 first only because it is the more common path out.
      const [a, aaaa] = await Promise.all([dns.addresses(host, 4), dns.addresses(host, 6)]);
      const records = [
        ...(a.kind === 'answer' ? a.records : []),
        ...(aaaa.kind === 'answer' ? aaaa.records : []),
      ];
      if (records.length > 0) return { kind: 'answer', records };
      if (a.kind === 'badname') return a;
      if (a.kind === 'error') return a;
      if (aaaa.kind === 'error') return aaaa;
      return a.kind === 'nxdomain' ? a : { kind: 'nodata' };
    },
  };
}
