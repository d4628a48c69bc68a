import type { DnsResolver, DnsServerAddress, ResourceRecord } from '../resolver/index.ts';
import { serverLabel, type Delegation, type DelegationCache, type ZoneServer } from './delegation-cache.ts';
import type { LookupStatus } from './model.ts';
import { apexFromSoaAnswer, classify, type Classified } from './server-reply.ts';

export interface ZoneFinderOptions {
  readonly resolver: DnsResolver;
  /** Where the walk starts: the root servers (or a test's fake root). */
  readonly roots: readonly DnsServerAddress[];
  /** The port of servers learned from referrals: 53 in the world, a random port in tests. */
  readonly port: number;
  readonly delegations: DelegationCache;
}

/** Where the zone cut above a name is, or why it could not be found. */
export type ZoneFinding =
  | {
      readonly ok: true;
      /** The apex of the zone that holds the name. */
      readonly apex: string;
      /** The delegation the walk followed last: the parent's view of the apex when its zone is the apex. */
      readonly delegation: Delegation;
      /** The server that gave the SOA. */
      readonly server: ZoneServer;
    }
  | { readonly ok: false; readonly status: LookupStatus; readonly server: string; readonly detail: string };

/**
 * Finds the zone that holds `name` (RFC 1034 §4.3.2, RFC 2181 §6): referrals are followed from the closest known
 * cut, and the zone is the one whose SOA an authoritative server gives for the name, whether or not a referral
 * was seen on the way. A server that hosts both a parent and a child zone answers for the child directly, with
 * no referral; the SOA says which zone it answered from.
 */
export async function findZone(
  name: string,
  o: ZoneFinderOptions,
  depth = 0,
  /** How the zone of a parent name is found (a view passes its memo: sd1, sd2, sd3 share _domainkey's). */
  parentZone: (parent: string) => Promise<ZoneFinding> = (parent) => findZone(parent, o, depth),
): Promise<ZoneFinding> {
  let delegation: Delegation = o.delegations.closest(name) ?? rootDelegation(o.roots);
  for (let step = 0; step < 24; step++) {
    const tried: Array<{ server: ZoneServer; result: Classified }> = [];
    let next: Delegation | undefined;
    for (const server of delegation.servers) {
      const response = await o.resolver.query({
        name,
        type: 'SOA',
        server: server.address,
        recursionDesired: false,
      });
      const result = classify(response, delegation.zone, name);
      tried.push({ server, result });
      if (result.kind === 'referral') {
        const cut = await delegationFrom(result, o, depth);
        if (cut === null)
          return {
            ok: false,
            status: 'failure',
            server: server.label,
            detail: `the referral to ${result.zone} names no reachable server`,
          };
        next = cut;
        break;
      }
      if (result.kind !== 'answer') continue;
      const apex = apexFromSoaAnswer(result.response, name);
      if (apex !== null) return { ok: true, apex, delegation, server };
      // A CNAME at the name: it lives in the zone of its parent name (RFC 1034 §3.6.2: never at an apex).
      const dot = name.indexOf('.');
      if (dot < 0) return { ok: true, apex: '', delegation, server };
      return parentZone(name.slice(dot + 1));
    }
    if (next === undefined) return failureOf(tried, delegation.zone);
    delegation = next;
  }
  return { ok: false, status: 'failure', server: '', detail: 'the delegation chain is too long' };
}

async function delegationFrom(
  referral: Extract<Classified, { kind: 'referral' }>,
  o: ZoneFinderOptions,
  depth: number,
): Promise<Delegation | null> {
  const servers: ZoneServer[] = [];
  let ttl = Infinity;
  for (const ns of referral.ns) {
    if (ns.data.type !== 'NS') continue;
    ttl = Math.min(ttl, ns.ttl);
    const target = ns.data.target;
    let addresses = glueFor(target, referral.glue);
    // A glueless delegation: find the server's address by walking from the root for it (bounded depth).
    if (addresses.length === 0 && depth < 3) addresses = await hostAddresses(target, o, depth + 1);
    for (const host of addresses) servers.push(zoneServer(target, { host, port: o.port }));
  }
  if (servers.length === 0) return null;
  const delegation = { zone: referral.zone, servers };
  o.delegations.set(delegation, ttl === Infinity ? 0 : ttl);
  return delegation;
}

/**
 * The IPv4 addresses of a nameserver named without glue: its zone found by the same walk, then its A records
 * asked of the server that gave that zone's SOA. Not through a view's memo, so two zones whose nameservers live
 * in each other cannot wait on each other; the depth bounds the walk.
 */
export async function hostAddresses(host: string, o: ZoneFinderOptions, depth: number): Promise<string[]> {
  const zone = await findZone(host, o, depth);
  if (!zone.ok) return [];
  const response = await o.resolver.query({
    name: host,
    type: 'A',
    server: zone.server.address,
    recursionDesired: false,
  });
  return response.outcome === 'response' ? glueFor(host, response.answers) : [];
}

/**
 * The IPv4 addresses given for `host` in an additional section. IPv4 only: a host without IPv6 would otherwise
 * report every dual-stack nameserver as unreachable.
 */
export function glueFor(host: string, additional: readonly ResourceRecord[]): string[] {
  return [
    ...new Set(additional.flatMap((g) => (g.name === host && g.data.type === 'A' ? [g.data.address] : []))),
  ];
}

export function zoneServer(name: string, address: DnsServerAddress): ZoneServer {
  return { name, address, label: serverLabel(name, address) };
}

function rootDelegation(roots: readonly DnsServerAddress[]): Delegation {
  return {
    zone: '',
    servers: roots.map((address) => ({ name: '', address, label: `root ${serverLabel('', address)}` })),
  };
}

function failureOf(
  tried: ReadonlyArray<{ server: ZoneServer; result: Classified }>,
  zone: string,
): ZoneFinding {
  const kinds = tried.map((t) => t.result.kind);
  // Not one root server answered with authority or a referral (RFC 1034 §4.3.2): the root is never lame, so
  // something on the way answers DNS in the roots' place (an intercepting firewall or proxy), or the configured
  // roots are not roots. That says nothing about the customer's delegation: a temporary error, said once.
  // The same when some roots are silent and the rest answer like that; when all are silent, say that plainly.
  if (zone === '' && kinds.length > 0 && kinds.every((k) => k === 'lame' || k === 'timeout')) {
    const intercepted = kinds.includes('lame');
    return {
      ok: false,
      status: intercepted ? 'failure' : 'timeout',
      server: `the ${tried.length} root servers`,
      detail: intercepted
        ? 'None of them answered with authority or a referral, so something between senderd and the internet answers DNS in their place (an intercepting firewall or proxy), or checks.rootServers lists servers that are not roots. Nothing was learned about this domain; allow direct DNS (UDP and TCP port 53) from this host, or set checks.rootServers'
        : 'None of them answered: this host cannot reach the root servers (UDP and TCP port 53), or checks.rootServers is wrong. Nothing was learned about this domain',
    };
  }
  const detail = tried
    .map((t) => `${t.server.label}: ${'detail' in t.result ? t.result.detail : t.result.kind}`)
    .join('; ');
  return {
    ok: false,
    status: troubleStatus(kinds),
    server: zone === '' ? `the ${tried.length} root servers` : tried.map((t) => t.server.label).join(', '),
    detail,
  };
}

/** The status of a name none of whose servers answered: lame only when every one is lame. */
export function troubleStatus(kinds: readonly Classified['kind'][]): LookupStatus {
  if (kinds.length > 0 && kinds.every((k) => k === 'lame')) return 'lame';
  if (kinds.includes('servfail')) return 'servfail';
  if (kinds.includes('timeout')) return 'timeout';
  if (kinds.includes('lame')) return 'lame';
  return 'failure';
}
