import { Resolver } from 'node:dns/promises';
import type { DnsOutcome, MailResolver, MxRecord } from './ports.ts';

/**
 * The production MailResolver over node:dns (c-ares), with its own servers when configured. Errors become data:
 * ENOTFOUND is NXDOMAIN, ENODATA is NODATA, EBADNAME (a name no query can carry) is permanent, everything else (SERVFAIL, timeout, refused) is a temporary error.
 */
export function systemMailResolver(servers: readonly string[] = [], timeoutMs = 5_000): MailResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return {
    async resolveMx(domain) {
      return outcome(async () =>
        (await resolver.resolveMx(domain)).map((r): MxRecord => ({
          exchange: r.exchange,
          preference: r.priority,
        })),
      );
    },
    async resolveAddresses(host) {
      // RFC 5321 §5.1: both address families; we try IPv4 first only because it is the more common path out.
      const [a, aaaa] = await Promise.all([
        outcome(() => resolver.resolve4(host)),
        outcome(() => resolver.resolve6(host)),
      ]);
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

async function outcome<T>(lookup: () => Promise<T[]>): Promise<DnsOutcome<T>> {
  try {
    const records = await lookup();
    return records.length > 0 ? { kind: 'answer', records } : { kind: 'nodata' };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND') return { kind: 'nxdomain' };
    if (code === 'ENODATA') return { kind: 'nodata' };
    if (code === 'EBADNAME') return { kind: 'badname' };
    return { kind: 'error', reason: code ?? String(error) };
  }
}
