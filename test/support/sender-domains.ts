/** Sender domains for unit tests: the defaults a domain gets when added, verified unless asked otherwise. */
import type { DomainName } from '../../src/domain-name/index.ts';
import type { SenderDomain } from '../../src/domains/index.ts';

export function senderDomain(
  name: string,
  options: { tenantId?: string; verified?: boolean } = {},
): SenderDomain {
  return {
    id: `d-${name}`,
    tenantId: options.tenantId ?? 't',
    name: name as DomainName,
    token: 'tok',
    settings: {
      mode: 'delegated',
      bounceLabel: 'bounce',
      clickLabel: 'clicks',
      tracking: false,
      spfMechanisms: [],
      ownDkimSelectors: [],
      dkimSelectors: [],
    },
    createdAt: '',
    updatedAt: '',
    verifiedAt: options.verified === false ? null : '2026-01-01T00:00:00Z',
  };
}
