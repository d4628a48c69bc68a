import type { DomainName } from '../domain-name/index.ts';
import type { SenderDomainSettings } from './record-plan.ts';

/** A domain a tenant sends from. */
export interface SenderDomain {
  readonly id: string;
  readonly tenantId: string;
  readonly name: DomainName;
  /**
   * Random and unguessable; names this domain's records inside the platform zone. Never reused, even after the
   * domain is deleted, so a CNAME left behind at the customer can never be taken over by another tenant.
   */
  readonly token: string;
  readonly settings: SenderDomainSettings;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When a CNAME was first seen resolving to this tenant's token; null until then. */
  readonly verifiedAt: string | null;
}
