import type { DkimKeyRepository } from './ports.ts';
import {
  resolvePolicy,
  type PolicyOverrides,
  type PolicyText,
  type RotationPolicy,
} from './rotation-policy.ts';

/** The effective rotation policy of each domain: platform defaults (config `dkim`) under per-domain overrides. */
export class PolicyBook {
  readonly defaults: PolicyText;
  readonly ttlSeconds: number;
  readonly #repo: DkimKeyRepository;

  constructor(defaults: PolicyText, ttlSeconds: number, repo: DkimKeyRepository) {
    this.defaults = defaults;
    this.ttlSeconds = ttlSeconds;
    this.#repo = repo;
  }

  /** The policy from overrides that were validated when they were stored; the defaults if they no longer fit. */
  resolve(overrides: PolicyOverrides): RotationPolicy {
    const resolved = resolvePolicy(this.defaults, overrides, this.ttlSeconds);
    return resolved.problems.length === 0
      ? resolved.policy
      : resolvePolicy(this.defaults, {}, this.ttlSeconds).policy;
  }

  async forDomain(domainId: string): Promise<RotationPolicy> {
    return this.resolve(await this.#repo.policyOverrides(domainId));
  }
}
