import { normaliseDomainName, type DomainName } from '../domain-name/index.ts';
import type { IntakeRefusal } from './intake-refusal.ts';

/**
 * The operator's own organisational domains, which no tenant may use as an author domain (pure).
 *
 * Mail whose From domain matches none of the tenant's verified sender domains is sent with the platform's bounce
 * domain as envelope sender (SPF passes there), and with `gateway.signing.unmatched=platform` it is also signed
 * with `d=` the platform signing domain. DMARC aligns by organisational domain under relaxed alignment
 * (RFC 7489 §3.1.2, §3.2; the DMARCbis "tree walk" reaches the same answer for an ordinary registrable domain), so
 * with the bounce domain `bounce.mail.example.net` any From address `@example.net` (or `@x.example.net`) would
 * pass DMARC: a tenant could write as the operator. Such mail is refused unless the From domain is one of the
 * submitting tenant's own verified sender domains.
 */

/** Which platform name each protected organisational domain comes from, for the refusal's text. */
export type OperatorDomains = ReadonlyMap<string, string>;

export interface PlatformNamesForAlignment {
  /** The envelope domain of unmatched mail (`gateway.bounceDomain`, by default `bounce.<zone>`). */
  readonly bounceDomain: string;
  /** The platform zone (`platform.zone`). */
  readonly zone: string;
  /** The platform signing domain (`gateway.signing.platformDomain`), '' when unset. */
  readonly platformDomain: string;
}

/** The organisational domains of the platform's names, each with a description of where it comes from. */
export function operatorDomains(
  names: PlatformNamesForAlignment,
  organizationalDomain: (name: DomainName) => string,
): OperatorDomains {
  const out = new Map<string, string>();
  const add = (name: string, what: string) => {
    if (name === '') return;
    const normal = normaliseDomainName(name);
    if (!normal.ok) return;
    const org = organizationalDomain(normal.value);
    if (!out.has(org)) out.set(org, `${what} ${normal.value}`);
  };
  add(names.bounceDomain, 'bounce domain');
  add(names.zone, 'zone');
  add(names.platformDomain, 'signing domain');
  return out;
}

/**
 * The refusal for an author domain inside the operator's organisational domains, or null when the domain is
 * someone else's. Call it only when the From domain matched none of the tenant's verified sender domains.
 */
export function operatorDomainRefusal(
  fromDomain: DomainName,
  operator: OperatorDomains,
  organizationalDomain: (name: DomainName) => string,
): Extract<IntakeRefusal, { reason: 'operator-domain' }> | null {
  if (operator.size === 0) return null;
  const org = organizationalDomain(fromDomain);
  const what = operator.get(org);
  if (what === undefined) return null;
  return { reason: 'operator-domain', fromDomain, organizationalDomain: org, platformName: what };
}
