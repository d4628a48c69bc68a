import type { SenderDomain } from '../domains/index.ts';
import { CLICK_ROLE, MTA_STS_ROLE, type EdgeHost, type HostRole } from './model.ts';
import type { RecordGrade } from './ports.ts';

/**
 * Which host names the edge should serve and order certificates for (pure). A host is wanted when its domain uses
 * it (the click host while tracking is on); it is ready for a certificate when the domain is verified (its DNS
 * points at this tenant's token, so no tenant can get a certificate for another's domain) and the last DNS check
 * saw the host's CNAME point at the edge. Orders start only for ready hosts, never because a request arrived.
 */

/** A kind of customer host: how it is named and which checked record says its CNAME points at the edge. */
export interface EdgeHostRole {
  readonly role: HostRole;
  /** The checks' key of the planned record that makes the host resolve to the edge (`tracking`). */
  readonly recordKey: string;
  /** The host name for a domain, or null when the domain does not use this role. */
  hostnameOf(domain: SenderDomain): string | null;
}

/** `clicks.<domain>` (the label is per domain), planned as a CNAME to track.<zone> while tracking is on. */
export const clickHostRole: EdgeHostRole = {
  role: CLICK_ROLE,
  recordKey: 'tracking',
  hostnameOf: (d) => (d.settings.tracking ? `${d.settings.clickLabel}.${d.name}` : null),
};

/** `mta-sts.<domain>` (RFC 8461 §3.3), planned as a CNAME to track.<zone> while MTA-STS is on. */
export const mtaStsHostRole: EdgeHostRole = {
  role: MTA_STS_ROLE,
  recordKey: 'mta-sts-host',
  hostnameOf: (d) => (d.settings.mtaSts != null ? `mta-sts.${d.name}` : null),
};

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** Whether a domain's host may get a certificate now, and if not, why, in words for the tenant. */
export function readinessOf(
  domain: SenderDomain,
  hostname: string,
  grade: RecordGrade | undefined,
): Readiness {
  if (domain.verifiedAt === null)
    return {
      ready: false,
      reason: `${domain.name} is not verified yet: a certificate is ordered once its DNS points at this tenant's records (see the DNS status).`,
    };
  if (grade === undefined)
    return { ready: false, reason: `${hostname} has not been checked yet; the next DNS check looks at it.` };
  if (grade.status === 'perfect' || grade.status === 'ok') return { ready: true };
  if (grade.status === 'temperror')
    return {
      ready: false,
      reason: `${hostname} could not be checked: ${grade.error ?? 'temporary DNS error'}`,
    };
  return {
    ready: false,
    reason: `${hostname} does not point at the edge yet${grade.error === null ? '.' : `: ${grade.error}`}`,
  };
}

export interface WantedHost {
  readonly hostname: string;
  readonly role: HostRole;
  readonly domain: SenderDomain;
  readonly readiness: Readiness;
}

/** Every host some domain wants, one owner per name: a ready domain first, then the latest verified. */
export function wantedHosts(
  domains: readonly SenderDomain[],
  grades: ReadonlyMap<string, ReadonlyMap<string, RecordGrade>>,
  roles: readonly EdgeHostRole[],
): Map<string, WantedHost> {
  const wanted = new Map<string, WantedHost>();
  for (const domain of domains) {
    for (const role of roles) {
      const hostname = role.hostnameOf(domain);
      if (hostname === null) continue;
      const candidate: WantedHost = {
        hostname,
        role: role.role,
        domain,
        readiness: readinessOf(domain, hostname, grades.get(domain.id)?.get(role.recordKey)),
      };
      const held = wanted.get(hostname);
      if (held === undefined || outranks(candidate, held)) wanted.set(hostname, candidate);
    }
  }
  return wanted;
}

/** Two tenants may add the same domain; only one can have its token in the domain's DNS at a time. */
function outranks(a: WantedHost, b: WantedHost): boolean {
  if (a.readiness.ready !== b.readiness.ready) return a.readiness.ready;
  return (a.domain.verifiedAt ?? '') > (b.domain.verifiedAt ?? '');
}

export interface HostPlan {
  /** Ready hosts that are not in the store yet. */
  readonly add: readonly WantedHost[];
  /** Stored hosts no domain wants any more (tracking off, label changed), or that changed owner. */
  readonly remove: readonly string[];
  /** Stored or added hosts whose orders may go ahead. */
  readonly ready: ReadonlySet<string>;
}

export function planHosts(wanted: ReadonlyMap<string, WantedHost>, stored: readonly EdgeHost[]): HostPlan {
  const add: WantedHost[] = [];
  const remove: string[] = [];
  const ready = new Set<string>();
  const storedByName = new Map(stored.map((h) => [h.hostname, h]));
  for (const host of stored) {
    const want = wanted.get(host.hostname);
    const sameOwner = want !== undefined && want.domain.id === host.domainId && want.role === host.role;
    // A host that moves to another domain starts over: the old owner's certificate and key are not handed on.
    if (!sameOwner && (want === undefined || want.readiness.ready)) remove.push(host.hostname);
    else if (sameOwner && want.readiness.ready) ready.add(host.hostname);
  }
  for (const want of wanted.values()) {
    if (!want.readiness.ready) continue;
    const existing = storedByName.get(want.hostname);
    if (existing === undefined || remove.includes(want.hostname)) {
      add.push(want);
      ready.add(want.hostname);
    }
  }
  return { add, remove, ready };
}
