import type { Clock } from '../core/index.ts';
import type { DomainRepository, SenderDomain } from '../domains/index.ts';

const FRESH_MS = 5_000;
/** The entry for every tenant's domains: a key no tenant id can be. */
const ALL = '\0all';

/** The reads the cache makes (the store's domain repository in production). */
export type SenderDomainSource = Pick<DomainRepository, 'listByTenant' | 'listAll'>;

/**
 * The sender domains the signing plan looks at, read from the store at most every 5 seconds per tenant (and for
 * the platform domain): a burst of messages costs one query, and a domain verified a moment ago signs within 5 s.
 */
export class SenderDomainCache {
  readonly #domains: SenderDomainSource;
  readonly #clock: Clock;
  readonly #entries = new Map<string, { at: number; domains: SenderDomain[] }>();

  constructor(domains: SenderDomainSource, clock: Clock) {
    this.#domains = domains;
    this.#clock = clock;
  }

  /** Every sender domain of the tenant. */
  async ofTenant(tenantId: string): Promise<SenderDomain[]> {
    const now = this.#clock.now().getTime();
    const cached = this.#entries.get(tenantId);
    if (cached !== undefined && now - cached.at < FRESH_MS) return cached.domains;
    const domains = await this.#domains.listByTenant(tenantId);
    this.#entries.set(tenantId, { at: now, domains });
    return domains;
  }

  /**
   * The verified sender domain with this name, whichever tenant holds it: only one tenant can have verified a
   * name, since verification proves its CNAMEs point at that tenant's token.
   */
  async verifiedByName(name: string): Promise<SenderDomain | null> {
    const now = this.#clock.now().getTime();
    let cached = this.#entries.get(ALL);
    if (cached === undefined || now - cached.at >= FRESH_MS) {
      cached = { at: now, domains: await this.#domains.listAll() };
      this.#entries.set(ALL, cached);
    }
    return cached.domains.find((d) => d.name === name && d.verifiedAt !== null) ?? null;
  }
}
