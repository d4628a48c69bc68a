import { RecursiveResolver } from '../resolver/index.ts';
import { publicKeyBytesOf } from './key-record.ts';
import type { KeyVisibilityProbe, Visibility } from './ports.ts';

/**
 * Looks for a key the way a receiver will: a TXT query for `<selector>._domainkey.<domain>` through recursive
 * resolvers, which follow the customer's CNAME into the platform zone. Visible means a record there carries the
 * same public key bytes (not merely some record: an old key still cached would not do).
 */
export function dnsVisibilityProbe(options: {
  servers: readonly string[];
  timeoutMs: number;
}): KeyVisibilityProbe {
  const dns = new RecursiveResolver(options);
  return {
    async check(domain, selector, publicKey): Promise<Visibility> {
      const name = `${selector}._domainkey.${domain}`;
      const txt = await dns.txt(name);
      switch (txt.kind) {
        case 'nxdomain':
        case 'nodata':
          return { status: 'absent', detail: `${name} has no TXT record (${txt.kind.toUpperCase()})` };
        case 'badname':
          return { status: 'error', detail: `${name} is not a name a DNS query can carry` };
        case 'error':
          return { status: 'error', detail: `lookup of ${name} failed: ${txt.reason}` };
        case 'answer':
          break;
      }
      const wanted = Buffer.from(publicKey, 'base64');
      const found = txt.records.map((text) => publicKeyBytesOf(text));
      if (found.some((bytes) => bytes !== null && bytes.equals(wanted))) return { status: 'visible' };
      return { status: 'different', detail: `${name} carries another key` };
    },
  };
}
