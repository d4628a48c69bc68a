import { Resolver } from 'node:dns/promises';
import type { ReportAuthorizationProbe } from './ports.ts';

/**
 * Looks up the external-destination authorisation of RFC 7489 §7.1 the way a reporter does: TXT at
 * `<senderDomain>._report._dmarc.<reportDomain>`, at least one record starting with "v=DMARC1".
 */
export function dnsReportAuthorizationProbe(options: {
  servers: readonly string[];
  timeoutMs: number;
}): ReportAuthorizationProbe {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
  if (options.servers.length > 0) resolver.setServers([...options.servers]);
  return {
    async check(senderDomain, reportDomain) {
      try {
        const records = await resolver.resolveTxt(`${senderDomain}._report._dmarc.${reportDomain}`);
        return records.some((strings) => /^v=DMARC1(\s*;|\s*$)/.test(strings.join('')))
          ? 'authorized'
          : 'missing';
      } catch (error) {
        const code = (error as { code?: string }).code;
        return code === 'ENOTFOUND' || code === 'ENODATA' ? 'missing' : 'unknown';
      }
    },
  };
}
