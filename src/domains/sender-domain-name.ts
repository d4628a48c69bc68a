import { err, ok, type Result } from '../core/index.ts';
import {
  normaliseDomainName,
  type DomainName,
  type DomainNameProblem,
  type DomainNameRejection,
} from '../domain-name/index.ts';
import type { PublicSuffixList } from './public-suffix.ts';

/** Why a name cannot be a sender domain: its syntax, or the policy below. */
export type SenderDomainProblem =
  DomainNameProblem | 'single_label' | 'public_suffix' | 'special_use' | 'platform_zone';

export type SenderDomainRejection = DomainNameRejection<SenderDomainProblem>;

function reject(problem: SenderDomainProblem, message: string): Result<never, SenderDomainRejection> {
  return err({ problem, message });
}

/** Top-level names that never resolve in the global DNS (RFC 6761, RFC 6762, RFC 7686, RFC 9476). */
const SPECIAL_USE = new Set([
  'localhost',
  'invalid',
  'local',
  'onion',
  'alt',
  'arpa',
  'internal',
  'home.arpa',
]);

export interface SenderDomainRules {
  readonly publicSuffixes: PublicSuffixList;
  /** The platform zone; a sender domain may be neither this zone nor inside it. */
  readonly platformZone: DomainName;
}

/** Syntax plus policy: a name a tenant may send from. Each rejection says why. */
export function parseSenderDomain(
  input: string,
  rules: SenderDomainRules,
): Result<DomainName, SenderDomainRejection> {
  const parsed = normaliseDomainName(input);
  if (!parsed.ok) return parsed;
  const name = parsed.value;
  const labels = name.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (SPECIAL_USE.has(tld) || name.endsWith('.home.arpa')) {
    return reject('special_use', `".${tld}" is a special-use name that does not exist in the public DNS.`);
  }
  if (name === rules.platformZone || name.endsWith(`.${rules.platformZone}`)) {
    return reject(
      'platform_zone',
      `"${name}" is ${name === rules.platformZone ? '' : 'inside '}the platform zone ${rules.platformZone}; use a domain you own.`,
    );
  }
  if (labels.length < 2) {
    return reject('single_label', `"${name}" is a single label; a sender domain looks like example.com.`);
  }
  if (rules.publicSuffixes.registrableDomain(name) === null) {
    return reject(
      'public_suffix',
      `"${name}" is a public suffix (like com or co.uk), which nobody can send from; use a domain registered under it.`,
    );
  }
  return ok(name);
}
