import type { SpfDns, SpfDnsAnswer } from '../spf/index.ts';
import type { DnsView } from './model.ts';

/** The SPF evaluator's DNS port over a view: CNAMEs followed, failures as temperror (RFC 7208 §2.6.6). */
export function spfDnsOver(view: DnsView): SpfDns {
  return {
    async lookup(name, type): Promise<SpfDnsAnswer> {
      const l = await view.lookup(name, type);
      switch (l.status) {
        case 'found':
          return { status: 'found', records: l.records.map((r) => r.data) };
        case 'nodata':
          return { status: 'nodata' };
        case 'nxdomain':
          return { status: 'nxdomain' };
        case 'timeout':
        case 'servfail':
        case 'lame':
        case 'refused':
        case 'loop':
        case 'failure':
          return {
            status: 'temperror',
            reason: `${l.status}${l.detail ? `: ${l.detail}` : ''} (${l.server})`,
          };
      }
    },
  };
}
