/** Domain-name syntax: the one place a typed name becomes a `DomainName` (lower-case A-labels, no trailing dot). */
export { normaliseDomainName } from './domain-name.ts';
export type { DomainName, DomainNameProblem, DomainNameRejection } from './domain-name.ts';
