import { RecursiveResolver } from '../resolver/index.ts';
import { isDmarcRecord } from './dmarc-record.ts';
import type { ReportAuthorizationProbe } from './ports.ts';

/**
 * Looks up the external-destination authorisation of RFC 7489 §7.1 the way a reporter does: TXT at
 * `<senderDomain>._report._dmarc.<reportDomain>`, at least one record starting with "v=DMARC1". Without an answer
 * (a timeout, SERVFAIL) it cannot say.
 */
export function dnsReportAuthorizationProbe(options: {
  servers: readonly string[];
  timeoutMs: number;
}): ReportAuthorizationProbe {
  const dns = new RecursiveResolver(options);
  return {
    async check(senderDomain, reportDomain) {
      const txt = await dns.txt(`${senderDomain}._report._dmarc.${reportDomain}`);
      switch (txt.kind) {
        case 'answer':
          return txt.records.some(isDmarcRecord) ? 'authorized' : 'missing';
        case 'nxdomain':
        case 'nodata':
          return 'missing';
        case 'badname':
        case 'error':
          return 'unknown';
      }
    },
  };
}
