import type { DomainService } from '../domains/index.ts';
import { applyLink } from './apply-link.ts';
import { planFitsTemplate, type DomainConnectTemplate } from './domain-connect-template.ts';
import { discoverProvider, type DiscoveryDeps } from './provider-discovery.ts';
import type { DomainConnectKey } from './signing-key.ts';

export interface DomainConnectServiceDeps {
  readonly domains: Pick<DomainService, 'get' | 'planFor'>;
  readonly template: DomainConnectTemplate;
  /** The registrable domain of a name (the Public Suffix List), where discovery stops walking up. */
  readonly registrable: (name: string) => string;
  readonly discovery: DiscoveryDeps;
  readonly key: () => Promise<DomainConnectKey>;
}

/** What the wizard offers for a domain: the provider's apply link, or the reason it falls back to copying. */
export type DomainConnectOffer =
  | {
      readonly kind: 'available';
      readonly provider: string;
      readonly apex: string;
      readonly host: string;
      readonly applyUrl: string;
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Domain Connect for a tenant's domain (draft-ietf-dconn-domainconnect-03, the synchronous flow). */
export class DomainConnectService {
  readonly #d: DomainConnectServiceDeps;

  constructor(deps: DomainConnectServiceDeps) {
    this.#d = deps;
  }

  /** The platform's template, to submit to DNS providers (the Domain Connect Templates repository). */
  template(): DomainConnectTemplate {
    return this.#d.template;
  }

  async offer(
    tenantId: string,
    name: string,
    options: { readonly redirectUri?: string | null; readonly state?: string | null } = {},
  ): Promise<DomainConnectOffer> {
    const domain = await this.#d.domains.get(tenantId, name);
    const plan = await this.#d.domains.planFor(domain);
    if (!planFitsTemplate(plan, this.#d.template))
      return {
        kind: 'unavailable',
        reason:
          "this domain's records differ from the platform's Domain Connect template (own labels or own DKIM): copy them",
      };
    let found;
    try {
      found = await discoverProvider(
        domain.name,
        this.#d.registrable(domain.name),
        this.#d.template,
        this.#d.discovery,
      );
    } catch (error) {
      return { kind: 'unavailable', reason: `discovery failed: ${(error as Error).message}` };
    }
    if (found.kind === 'none') return { kind: 'unavailable', reason: found.reason };
    const key = await this.#d.key();
    const applyUrl = applyLink(
      {
        settings: found.settings,
        template: this.#d.template,
        apex: found.apex,
        host: found.host,
        token: plan.token,
        redirectUri: options.redirectUri ?? null,
        state: options.state ?? null,
      },
      (input) => key.sign(input),
    );
    return {
      kind: 'available',
      provider: found.settings.providerDisplayName ?? found.settings.providerName,
      apex: found.apex,
      host: found.host,
      applyUrl,
    };
  }
}
