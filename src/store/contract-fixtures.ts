/** Shared fixtures of the store's contract suites. */
import type { DomainName } from '../domain-name/index.ts';
import type { SenderDomain } from '../domains/index.ts';

export const CONTRACT_T0 = '2026-11-01T00:00:00.000Z';

/** A plain delegated domain with the default labels, tracking on and no mechanisms of its own. */
export function contractDomain(
  id: string,
  tenantId: string,
  name: string,
  verifiedAt: string | null = null,
): SenderDomain {
  return {
    id,
    tenantId,
    name: name as DomainName,
    token: `tok${id}`,
    settings: {
      mode: 'delegated',
      bounceLabel: 'bounce',
      clickLabel: 'clicks',
      tracking: true,
      spfMechanisms: [],
      dkimSelectors: [],
      ownDkimSelectors: [],
    },
    createdAt: CONTRACT_T0,
    updatedAt: CONTRACT_T0,
    verifiedAt,
  };
}
