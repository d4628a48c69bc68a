/**
 * What a sending address is: the platform's own egress (`platform.egressIps`), a known forwarder (a configured
 * address range, or a forward-confirmed reverse name under a configured domain), or unknown. Forwarders matter for
 * DMARC: forwarding breaks SPF alignment (RFC 7489 §10.1), so their failures are expected, not abuse.
 */
import { CidrSet, parseCidr, parseIp } from '../ip/index.ts';

export type SourceClass = 'platform' | 'forwarder' | 'unknown';

export interface SourceClassifier {
  classify(ip: string, ptr: string | null, ptrVerified: boolean): SourceClass;
}

export function sourceClassifier(
  platformEgress: readonly string[],
  knownForwarders: readonly string[],
): SourceClassifier {
  // An entry that is not a range is a forwarder's domain (below).
  const ranges = (list: readonly string[]) =>
    new CidrSet(
      list.flatMap((x) => {
        const range = parseCidr(x);
        return range === null ? [] : [[range, true] as const];
      }),
    );
  const platform = ranges(platformEgress);
  const forwarderRanges = ranges(knownForwarders);
  const forwarderDomains = knownForwarders
    .filter((x) => parseCidr(x) === null)
    .map((x) =>
      x
        .trim()
        .toLowerCase()
        .replace(/^\*?\.|\.$/g, ''),
    )
    .filter((x) => x !== '');
  return {
    classify(ip, ptr, ptrVerified) {
      const parsed = parseIp(ip);
      if (parsed === null) return 'unknown';
      if (platform.has(parsed)) return 'platform';
      if (forwarderRanges.has(parsed)) return 'forwarder';
      // Only a forward-confirmed name counts: anyone can write any name into their own reverse zone.
      if (ptr !== null && ptrVerified) {
        const name = ptr.toLowerCase().replace(/\.$/, '');
        if (forwarderDomains.some((d) => name === d || name.endsWith(`.${d}`))) return 'forwarder';
      }
      return 'unknown';
    },
  };
}
