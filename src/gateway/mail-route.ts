import { specialPurposeReason } from '../ip/index.ts';
import type { MailResolver, MxRecord } from './ports.ts';
import type { SmtpReply } from './smtp-reply.ts';

/**
 * Where mail for a domain goes, per RFC 5321 §5.1: the MX hosts in order of preference (equal preferences in
 * random order), each resolved to its addresses; with no MX records, the domain itself is the one host (the
 * "implicit MX"); a null MX (RFC 7505) means the domain takes no mail. Pure over the injected resolver.
 */

export interface RouteHost {
  readonly name: string;
  readonly addresses: readonly string[];
}

export type Route =
  | { readonly kind: 'hosts'; readonly hosts: readonly RouteHost[] }
  /** The domain cannot take mail now or ever; the reply says why. */
  | { readonly kind: 'fail'; readonly permanent: boolean; readonly reply: SmtpReply };

const temp = (text: string): Route => ({
  kind: 'fail',
  permanent: false,
  reply: { code: 451, enhanced: '4.4.3', text },
});
const perm = (enhanced: string, text: string): Route => ({
  kind: 'fail',
  permanent: true,
  reply: { code: 550, enhanced, text },
});

export interface RouteOptions {
  /**
   * Deliver to MX hosts on private, loopback, link-local or reserved addresses. Off by default: a recipient
   * domain is the sender's to choose, and an MX that points into the operator's network would make the gateway
   * connect there (to an internal relay that trusts it, or back to itself).
   */
  readonly allowPrivate?: boolean;
  readonly shuffle?: <T>(items: T[]) => T[];
}

export async function routeFor(
  domain: string,
  resolver: MailResolver,
  options: RouteOptions = {},
): Promise<Route> {
  const shuffle = options.shuffle ?? shuffled;
  // RFC 5321 §4.1.3 address literals are refused at RCPT; one in an old spool record is not routed either.
  if (domain.startsWith('['))
    return perm('5.1.2', `The address literal ${domain} is not routed; mail goes by MX only.`);
  const mx = await resolver.resolveMx(domain);
  let exchanges: string[];
  switch (mx.kind) {
    case 'badname':
      // Retrying cannot help: the resolver cannot even put the name in a query (RFC 1035 §2.3.4).
      return perm('5.1.2', `The domain ${domain} is not a valid DNS name.`);
    case 'error':
      return temp(`MX lookup for ${domain} failed: ${mx.reason}`);
    case 'nxdomain':
      return perm('5.1.2', `The domain ${domain} does not exist (NXDOMAIN).`);
    case 'nodata':
      exchanges = [domain]; // RFC 5321 §5.1: no MX records, so the domain is its own mail host.
      break;
    case 'answer': {
      if (isNullMx(mx.records))
        return perm('5.1.10', `The domain ${domain} accepts no mail (null MX, RFC 7505).`);
      exchanges = orderByPreference(mx.records, shuffle);
      break;
    }
  }
  const hosts: RouteHost[] = [];
  let transient: string | undefined;
  let special: string | undefined;
  for (const name of exchanges) {
    const addresses = await resolver.resolveAddresses(name);
    if (addresses.kind === 'answer' && addresses.records.length > 0) {
      const usable: string[] = [];
      for (const address of addresses.records) {
        const reason = options.allowPrivate === true ? null : specialPurposeReason(address);
        if (reason === null) usable.push(address);
        else special ??= `${name} [${address}]: ${reason}`;
      }
      if (usable.length > 0) hosts.push({ name, addresses: usable });
    } else if (addresses.kind === 'error')
      transient ??= `address lookup for ${name} failed: ${addresses.reason}`;
  }
  if (hosts.length > 0) return { kind: 'hosts', hosts };
  if (transient !== undefined) return temp(transient);
  if (special !== undefined)
    return perm(
      '5.4.4',
      `The mail hosts of ${domain} are on private, local or reserved addresses (${special}); the gateway does not deliver there (gateway.delivery.allowPrivateDestinations).`,
    );
  return perm('5.4.4', `No mail host of ${domain} has an address (RFC 5321 §5.1).`);
}

/** RFC 7505 §3: a single MX record with preference 0 and the root as exchange. */
function isNullMx(records: readonly MxRecord[]): boolean {
  return records.length === 1 && records[0]!.exchange.replace(/\.$/, '') === '';
}

function orderByPreference(records: readonly MxRecord[], shuffle: <T>(items: T[]) => T[]): string[] {
  const byPreference = new Map<number, string[]>();
  for (const r of records) {
    const exchange = r.exchange.replace(/\.$/, '').toLowerCase();
    if (exchange === '') continue;
    byPreference.set(r.preference, [...(byPreference.get(r.preference) ?? []), exchange]);
  }
  return [...byPreference.keys()].sort((a, b) => a - b).flatMap((p) => shuffle(byPreference.get(p)!));
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
