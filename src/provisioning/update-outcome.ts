import type { TsigKey } from '../dns-wire/index.ts';
import { formatServer, type DnsServerAddress, type UpdateOutcome } from '../resolver/index.ts';

/** What a sentence about an update needs to know of the request: where it went and the key's name. */
export interface UpdateTarget {
  readonly plan: { readonly domain: string };
  readonly server: DnsServerAddress;
  readonly key: Pick<TsigKey, 'name' | 'algorithm'> | null;
}

/**
 * The one place a server's verdict on a dynamic update becomes a sentence for people, with what to do about it
 * (RFC 2136 §2.2 RCODEs, RFC 8945 §5.2 TSIG errors). The key's name is said; its secret never is.
 */
export function describeOutcome(
  outcome: UpdateOutcome,
  request: UpdateTarget,
  zone: string = request.plan.domain,
): string {
  const server = formatServer(request.server);
  const key =
    request.key === null ? 'no TSIG key' : `the TSIG key "${request.key.name}" (${request.key.algorithm})`;
  if (outcome.kind === 'applied') return `Applied to ${zone} at ${server}, signed with ${key}.`;
  if (outcome.kind === 'failure') return `No update was made: ${outcome.reason} (${server}).`;
  const nothing = 'Nothing was changed.';
  switch (outcome.tsigError) {
    case 'BADKEY':
      // Knot also answers BADKEY when it knows the key but its acl does not let it update these names.
      return `${server} does not accept ${key} for this update (NOTAUTH, BADKEY). ${nothing} Either the server does not know the key (check that its name and algorithm are the ones in the server's key statement), or, as Knot says it, its acl does not let this key update these names.`;
    case 'BADSIG':
      return `${server} knows the key "${request.key?.name ?? ''}" but the signature does not verify (NOTAUTH, BADSIG): the secret differs from the server's. ${nothing}`;
    case 'BADTIME':
      return `${server} refused the signature's time (NOTAUTH, BADTIME): this host's clock and the server's differ by more than 5 minutes. ${nothing}`;
    case null:
    case undefined:
      break;
    default:
      return `${server} refused the signature (NOTAUTH, ${outcome.tsigError}). ${nothing}`;
  }
  switch (outcome.rcode) {
    case 'REFUSED':
      return `${server} refused the update (REFUSED): its policy does not let ${key} change these names in ${zone} (BIND update-policy, Knot acl). ${nothing}`;
    case 'NOTAUTH':
      return `${server} is not authoritative for ${zone} (NOTAUTH), or does not accept updates for it: point --server at the zone's primary. ${nothing}`;
    case 'NOTZONE':
      return `A name in the update is outside ${zone} (NOTZONE). ${nothing}`;
    case 'YXDOMAIN':
    case 'YXRRSET':
    case 'NXRRSET':
    case 'NXDOMAIN':
      return `The zone changed between reading it and writing to it (prerequisite failed: ${outcome.rcode}). ${nothing} Run the command again to see the new difference.`;
    case 'NOTIMP':
      return `${server} does not accept dynamic updates (NOTIMP). ${nothing}`;
    default:
      return `${server} answered ${outcome.rcode}. ${nothing}`;
  }
}
