import {
  canonicalName,
  type DnsResolver,
  type DnsResponse,
  type DnsServerAddress,
  type RecordType,
  type ResourceRecord,
} from '../resolver/index.ts';
import {
  isAtOrBelow,
  serverLabel,
  type Delegation,
  type DelegationCache,
  type ZoneServer,
} from './delegation-cache.ts';
import { followChain } from './lookup-chain.ts';
import { presentData } from './present.ts';
import type { DnsView, Lookup, LookupStatus, NameserverStatus } from './model.ts';

export interface AuthoritativeViewOptions {
  readonly resolver: DnsResolver;
  /** Where the walk starts: the root servers (or a test's fake root). */
  readonly roots: readonly DnsServerAddress[];
  /** The port of servers learned from referrals: 53 in the world, a random port in tests. */
  readonly port: number;
  readonly delegations: DelegationCache;
}

/** One server's reply, classified for the walk (RFC 1034 §4.3.2, RFC 4697 on lame delegations). */
type Classified =
  | { readonly kind: 'answer'; readonly response: Extract<DnsResponse, { outcome: 'response' }> }
  | {
      readonly kind: 'referral';
      readonly zone: string;
      readonly ns: readonly ResourceRecord[];
      readonly glue: readonly ResourceRecord[];
    }
  | { readonly kind: 'lame' | 'timeout' | 'servfail' | 'failure'; readonly detail: string };

interface Answered {
  readonly status: LookupStatus;
  readonly answers: readonly ResourceRecord[];
  readonly server: string;
  readonly zone: string | null;
  readonly detail?: string;
  readonly disagreements: readonly string[];
}

/**
 * The DNS as the domain's own authoritative servers see it: the delegation is followed from the root, every
 * server of the zone that holds the name is asked (so a lame or stale server shows), and CNAMEs are followed
 * into whatever zone holds their target. Nothing is cached but zone cuts.
 */
export class AuthoritativeView implements DnsView {
  readonly path = 'authoritative' as const;
  readonly label = 'authoritative servers';
  readonly #o: AuthoritativeViewOptions;
  readonly #memo = new Map<string, Promise<Lookup>>();
  readonly #health = new Map<string, NameserverStatus & { zone: string }>();
  readonly #zoneOf = new Map<string, string>();

  constructor(options: AuthoritativeViewOptions) {
    this.#o = options;
  }

  lookup(name: string, type: RecordType): Promise<Lookup> {
    const key = `${canonicalName(name)}|${type}`;
    let p = this.#memo.get(key);
    if (p === undefined) {
      p = followChain(canonicalName(name), type, (n) => this.#answer(n, type));
      this.#memo.set(key, p);
    }
    return p;
  }

  /** The zone whose servers answered for `name`, once it was looked up. */
  zoneOf(name: string): string | undefined {
    return this.#zoneOf.get(canonicalName(name));
  }

  /** Every server of `zone` asked so far, and how it did. */
  nameservers(zone: string): NameserverStatus[] {
    return [...this.#health.values()].filter((h) => h.zone === zone).map(({ zone: _z, ...rest }) => rest);
  }

  async #answer(name: string, type: RecordType, depth = 0): Promise<Answered> {
    let delegation: Delegation = this.#o.delegations.closest(name) ?? this.#rootDelegation();
    for (let step = 0; step < 24; step++) {
      const tried: Array<{ server: ZoneServer; result: Classified }> = [];
      let chosen: { server: ZoneServer; result: Classified } | undefined;
      for (const server of delegation.servers) {
        const result = await this.#ask(server, name, type, delegation.zone);
        tried.push({ server, result });
        if (result.kind === 'answer' || result.kind === 'referral') {
          chosen = { server, result };
          break;
        }
      }
      if (chosen === undefined) return summariseFailure(tried, delegation.zone);
      if (chosen.result.kind === 'referral') {
        const next = await this.#delegationFrom(chosen.result, depth);
        if (next === null)
          return {
            status: 'failure',
            answers: [],
            server: chosen.server.label,
            zone: delegation.zone,
            detail: `the referral to ${chosen.result.zone} names no reachable server`,
            disagreements: [],
          };
        delegation = next;
        continue;
      }
      if (chosen.result.kind !== 'answer') continue;
      const response = chosen.result.response;
      this.#zoneOf.set(name, delegation.zone);
      // Ask the zone's other servers too: a lame or stale one is a finding, not a detail (RFC 1912 §2.8).
      const others = delegation.servers.filter(
        (s) => s !== chosen.server && !tried.some((t) => t.server === s),
      );
      // Lame or silent servers are reported once per zone (see nameservers()); here only different answers count.
      const disagreements: string[] = [];
      const mine = signature(response, name);
      await Promise.all(
        others.map(async (server) => {
          const r = await this.#ask(server, name, type, delegation.zone);
          if (r.kind === 'answer' && signature(r.response, name) !== mine)
            disagreements.push(`${server.label} answers ${signature(r.response, name)}`);
        }),
      );
      const status: LookupStatus = response.rcode === 'NXDOMAIN' ? 'nxdomain' : 'found';
      return {
        status,
        answers: response.answers,
        server: chosen.server.label,
        zone: delegation.zone,
        disagreements,
      };
    }
    return {
      status: 'failure',
      answers: [],
      server: '',
      zone: null,
      detail: 'the delegation chain is too long',
      disagreements: [],
    };
  }

  async #ask(server: ZoneServer, name: string, type: RecordType, zone: string): Promise<Classified> {
    const response = await this.#o.resolver.query({
      name,
      type,
      server: server.address,
      recursionDesired: false,
    });
    const result = classify(response, zone, name);
    const status = result.kind === 'answer' || result.kind === 'referral' ? 'ok' : result.kind;
    const previous = this.#health.get(server.label + zone);
    if (previous === undefined || previous.status === 'ok')
      this.#health.set(server.label + zone, {
        zone,
        name: server.name,
        address: serverLabel('', server.address),
        status,
      });
    return result;
  }

  async #delegationFrom(
    referral: Extract<Classified, { kind: 'referral' }>,
    depth: number,
  ): Promise<Delegation | null> {
    const servers: ZoneServer[] = [];
    let ttl = Infinity;
    for (const ns of referral.ns) {
      if (ns.data.type !== 'NS') continue;
      ttl = Math.min(ttl, ns.ttl);
      const target = ns.data.target;
      // IPv4 only: a host without IPv6 would otherwise report every dual-stack nameserver as unreachable.
      let addresses = referral.glue.flatMap((g) =>
        g.name === target && g.data.type === 'A' ? [g.data.address] : [],
      );
      // A glueless delegation: find the server's address by walking from the root for it (bounded depth).
      if (addresses.length === 0 && depth < 3) {
        const a = await followChain(target, 'A', (n) => this.#answer(n, 'A', depth + 1));
        addresses = a.records.flatMap((r) => (r.data.type === 'A' ? [r.data.address] : []));
      }
      for (const host of addresses) {
        const address = { host, port: this.#o.port };
        servers.push({ name: target, address, label: serverLabel(target, address) });
      }
    }
    if (servers.length === 0) return null;
    const delegation = { zone: referral.zone, servers };
    this.#o.delegations.set(delegation, ttl === Infinity ? 0 : ttl);
    return delegation;
  }

  #rootDelegation(): Delegation {
    return {
      zone: '',
      servers: this.#o.roots.map((address) => ({
        name: '',
        address,
        label: `root ${serverLabel('', address)}`,
      })),
    };
  }
}

function classify(response: DnsResponse, zone: string, qname: string): Classified {
  if (response.outcome === 'timeout') return { kind: 'timeout', detail: 'no answer in time' };
  if (response.outcome === 'failure') return { kind: 'failure', detail: response.reason };
  if (response.rcode === 'SERVFAIL') return { kind: 'servfail', detail: 'SERVFAIL' };
  if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN')
    return { kind: 'lame', detail: `${response.rcode}: the server does not serve ${zone || 'the root'}` };
  if (response.flags.aa) return { kind: 'answer', response };
  // A referral: NS records for a zone strictly below the one we asked about, on the way to the name.
  const ns = response.authority.filter((r) => r.data.type === 'NS');
  const cut = ns[0]?.name;
  if (cut !== undefined && cut !== zone && isAtOrBelow(cut, zone) && isAtOrBelow(qname, cut)) {
    return { kind: 'referral', zone: cut, ns: ns.filter((r) => r.name === cut), glue: response.additional };
  }
  return { kind: 'lame', detail: `not authoritative for ${zone || 'the root'} (no AA bit, no referral)` };
}

function summariseFailure(
  tried: ReadonlyArray<{ server: ZoneServer; result: Classified }>,
  zone: string,
): Answered {
  const kinds = tried.map((t) => t.result.kind);
  // Not one root server answered with authority or a referral (RFC 1034 §4.3.2): the root is never lame, so
  // something on the way answers DNS in the roots' place (an intercepting firewall or proxy), or the configured
  // roots are not roots. That says nothing about the customer's delegation: a temporary error, said once.
  // The same when some roots are silent and the rest answer like that; when all are silent, say that plainly.
  if (zone === '' && kinds.length > 0 && kinds.every((k) => k === 'lame' || k === 'timeout')) {
    const intercepted = kinds.includes('lame');
    return {
      status: intercepted ? 'failure' : 'timeout',
      answers: [],
      server: `the ${tried.length} root servers`,
      zone,
      detail: intercepted
        ? 'None of them answered with authority or a referral, so something between senderd and the internet answers DNS in their place (an intercepting firewall or proxy), or checks.rootServers lists servers that are not roots. Nothing was learned about this domain; allow direct DNS (UDP and TCP port 53) from this host, or set checks.rootServers'
        : 'None of them answered: this host cannot reach the root servers (UDP and TCP port 53), or checks.rootServers is wrong. Nothing was learned about this domain',
      disagreements: [],
    };
  }
  const detail = tried
    .map((t) => `${t.server.label}: ${'detail' in t.result ? t.result.detail : t.result.kind}`)
    .join('; ');
  const status: LookupStatus =
    kinds.length > 0 && kinds.every((k) => k === 'lame')
      ? 'lame'
      : kinds.includes('servfail')
        ? 'servfail'
        : kinds.includes('timeout')
          ? 'timeout'
          : kinds.includes('lame')
            ? 'lame'
            : 'failure';
  return {
    status,
    answers: [],
    server: zone === '' ? `the ${tried.length} root servers` : tried.map((t) => t.server.label).join(', '),
    zone,
    detail,
    disagreements: [],
  };
}

/** What a server said about a name, to compare servers: the rcode and the sorted answer records. */
/**
 * What a server said about the name itself (rcode and the records owned by the name), to compare servers. Data
 * a server adds by following a CNAME into another zone it also serves is left out: that differs legitimately.
 */
function signature(response: Extract<DnsResponse, { outcome: 'response' }>, name: string): string {
  const records = response.answers
    .filter((r) => r.name === name)
    .map((r) => `${r.data.type} ${presentData(r.data)}`)
    .sort();
  // With a CNAME at the name, the rcode speaks of the chain's end (RFC 6604 §2), so only the records count.
  if (records.length > 0) return records.join(', ');
  return response.rcode === 'NOERROR' ? 'no records' : response.rcode;
}
