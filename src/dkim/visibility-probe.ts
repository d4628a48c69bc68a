import { Resolver } from 'node:dns/promises';
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
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
  if (options.servers.length > 0) resolver.setServers([...options.servers]);
  return {
    async check(domain, selector, publicKey): Promise<Visibility> {
      const name = `${selector}._domainkey.${domain}`;
      let records: string[][];
      try {
        records = await resolver.resolveTxt(name);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'error';
        if (code === 'ENOTFOUND' || code === 'ENODATA')
          return { status: 'absent', detail: `${name} has no TXT record (${code})` };
        return { status: 'error', detail: `lookup of ${name} failed: ${code}` };
      }
      const wanted = Buffer.from(publicKey, 'base64');
      // RFC 6376 §3.6.2.2: the strings of one TXT record are concatenated without separators.
      const found = records.map((strings) => publicKeyBytesOf(strings.join('')));
      if (found.some((bytes) => bytes !== null && bytes.equals(wanted))) return { status: 'visible' };
      return {
        status: found.length === 0 ? 'absent' : 'different',
        detail: found.length === 0 ? `${name} has no TXT record` : `${name} carries another key`,
      };
    },
  };
}
