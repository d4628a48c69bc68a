/** The production ReverseResolver: node:dns with the configured servers and a timeout per query. */
import { Resolver } from 'node:dns/promises';
import type { ReverseResolver } from './reverse-names.ts';

export function dnsReverseResolver(options: {
  readonly servers: readonly string[];
  readonly timeoutMs: number;
}): ReverseResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
  if (options.servers.length > 0) resolver.setServers([...options.servers]);
  return {
    reverse: (ip) => resolver.reverse(ip),
    addresses: (name, family) => (family === 4 ? resolver.resolve4(name) : resolver.resolve6(name)),
  };
}
