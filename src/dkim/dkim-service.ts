import { AppError, type Clock } from '../core/index.ts';
import type { DomainService, PlatformNames, PublishedDkimKey, SenderDomain } from '../domains/index.ts';
import { importPrivateKey, type ImportInput } from './key-import.ts';
import type { KeyGenerator } from './key-material.ts';
import { publishKey, type PublisherDeps } from './key-publisher.ts';
import { publishedRecordOf } from './key-record.ts';
import { holdsSelector, isKeySigning, type DkimKey, type DkimKeyView, type KeyAlgorithm } from './model.ts';
import type { PolicyBook } from './policy-book.ts';
import {
  mergeOverrides,
  policyOverridesInput,
  RSA_KEY_BITS_TEXT,
  rsaKeyBits,
  resolvePolicy,
  type PolicyOverrides,
  type PolicyText,
} from './rotation-policy.ts';
import { seriesOf } from './rotation-scheduler.ts';

export interface DkimServiceDeps extends PublisherDeps {
  readonly domains: Pick<DomainService, 'get'>;
  readonly keygen: KeyGenerator;
  readonly policies: PolicyBook;
  readonly platform: PlatformNames;
  readonly ed25519Selectors: readonly string[];
  readonly clock: Clock;
}

export interface DomainPolicyView {
  readonly effective: PolicyText;
  readonly overrides: PolicyOverrides;
}

/** What the API and CLI do with a tenant's DKIM keys. Every call is scoped to one tenant's domain. */
export class DkimService {
  readonly #deps: DkimServiceDeps;

  constructor(deps: DkimServiceDeps) {
    this.#deps = deps;
  }

  /** The DKIM records of a domain as they are in the zone now (the `DkimKeyLookup` port of domains). */
  async publishedKeys(domainId: string): Promise<PublishedDkimKey[]> {
    const keys = await this.#deps.repo.listInZoneByDomain(domainId);
    return keys.map((k) => ({ selector: k.selector, record: publishedRecordOf(k) }));
  }

  /** The Ed25519 selectors, for domains that sign with Ed25519 or still publish such keys. */
  async extraSelectors(domainId: string): Promise<readonly string[]> {
    const [policy, keys] = await Promise.all([
      this.#deps.policies.forDomain(domainId),
      this.#deps.repo.listInZoneByDomain(domainId),
    ]);
    return policy.ed25519 || keys.some((k) => k.algorithm === 'ed25519') ? this.#deps.ed25519Selectors : [];
  }

  /**
   * `publishedKeys` and `extraSelectors` for many domains with two queries in all, for a full zone build (one
   * domain at a time would ask the store three times per domain). Only these domains' policy overrides are read:
   * reading every domain's for each batch made a build quadratic in the domains that have overrides.
   */
  async zoneKeysFor(
    domainIds: readonly string[],
  ): Promise<Map<string, { published: PublishedDkimKey[]; extraSelectors: readonly string[] }>> {
    const [keys, overrides] = await Promise.all([
      this.#deps.repo.listInZoneByDomains(domainIds),
      this.#deps.repo.policyOverridesOf(domainIds),
    ]);
    const byDomain = new Map<string, typeof keys>();
    for (const k of keys) {
      const list = byDomain.get(k.domainId);
      if (list === undefined) byDomain.set(k.domainId, [k]);
      else list.push(k);
    }
    const out = new Map<string, { published: PublishedDkimKey[]; extraSelectors: readonly string[] }>();
    for (const id of domainIds) {
      const inZone = byDomain.get(id) ?? [];
      const policy = this.#deps.policies.resolve(overrides.get(id) ?? {});
      out.set(id, {
        published: inZone.map((k) => ({ selector: k.selector, record: publishedRecordOf(k) })),
        extraSelectors:
          policy.ed25519 || inZone.some((k) => k.algorithm === 'ed25519') ? this.#deps.ed25519Selectors : [],
      });
    }
    return out;
  }

  async list(tenantId: string, domainName: string): Promise<{ domain: SenderDomain; keys: DkimKeyView[] }> {
    const domain = await this.#deps.domains.get(tenantId, domainName);
    const keys = await this.#deps.repo.listByDomain(domain.id);
    return { domain, keys: keys.map(viewOf) };
  }

  /**
   * Publishes a new pending key now ("rotate now"). If a pending key of the series is already waiting, that key
   * is returned instead: it becomes active once it is visible, and the current one retires.
   */
  async rotate(
    tenantId: string,
    domainName: string,
    options: { algorithm?: KeyAlgorithm; bits?: number } = {},
  ): Promise<{ key: DkimKeyView; created: boolean }> {
    const domain = await this.#deps.domains.get(tenantId, domainName);
    const algorithm = options.algorithm ?? 'rsa';
    // The request is checked before anything else: a waiting key must not make a wrong --bits look accepted.
    const policy = await this.#deps.policies.forDomain(domain.id);
    const bits = algorithm === 'ed25519' ? 256 : (options.bits ?? policy.rsaBits);
    if (algorithm === 'rsa' && !rsaKeyBits.safeParse(bits).success) {
      throw new AppError('validation_failed', `RSA keys are generated with ${RSA_KEY_BITS_TEXT} bits.`, [
        { path: 'bits', message: `must be ${RSA_KEY_BITS_TEXT}` },
      ]);
    }
    this.#requireSeries(domain, algorithm, policy.ed25519);
    const inZone = await this.#deps.repo.listInZoneByDomain(domain.id);
    const waiting = inZone.find((k) => k.algorithm === algorithm && k.state === 'pending');
    if (waiting !== undefined) return { key: viewOf(waiting), created: false };
    const selector = this.#freeSelector(domain, algorithm, inZone);
    const material = await this.#deps.keygen.generate(algorithm, bits);
    const key = await publishKey(this.#deps, domain, material, {
      selector,
      origin: 'generated',
      warnings: [],
      inZone,
      reason: 'rotation requested',
    });
    return { key: viewOf(key), created: true };
  }

  /**
   * Imports a customer's private key as the next key of its series. It does not rotate by itself afterwards;
   * the tenant is told as it ages. A pending key of the series that never signed is replaced.
   */
  async import(
    tenantId: string,
    domainName: string,
    input: ImportInput,
  ): Promise<{ key: DkimKeyView; warnings: readonly string[] }> {
    const domain = await this.#deps.domains.get(tenantId, domainName);
    const imported = importPrivateKey(input);
    if (!imported.ok) {
      const code = imported.error.reason === 'too_short' ? 'weak_key' : 'invalid_key';
      throw new AppError(code, imported.error.message, [
        { path: 'pem', message: imported.error.message, reason: imported.error.reason },
      ]);
    }
    const { material, warnings } = imported.value;
    this.#requireSeries(domain, material.algorithm, (await this.#deps.policies.forDomain(domain.id)).ed25519);
    const inZone = await this.#deps.repo.listInZoneByDomain(domain.id);
    const replaceable = inZone.filter((k) => k.algorithm === material.algorithm && k.state !== 'pending');
    const selector = this.#freeSelector(domain, material.algorithm, replaceable);
    const key = await publishKey(this.#deps, domain, material, {
      selector,
      origin: 'imported',
      warnings,
      inZone,
      reason: 'imported',
    });
    return { key: viewOf(key), warnings };
  }

  /**
   * Revokes a key at once (a compromised key, say). Revoking a key that signs needs `force`: if it is the only
   * signer, the domain has no usable key until a new one is visible, and mail for it is held.
   */
  async revoke(
    tenantId: string,
    domainName: string,
    keyId: string,
    options: { force?: boolean } = {},
  ): Promise<DkimKeyView> {
    const domain = await this.#deps.domains.get(tenantId, domainName);
    const key = await this.#keyOf(domain, keyId);
    if (key.state === 'revoked') return viewOf(key);
    if (isKeySigning(key.state) && options.force !== true) {
      throw new AppError(
        'conflict',
        `Key ${key.id} signs mail now. Revoking it stops that at once; if it is the only key, mail for ${domain.name} is held until a new key is visible. Repeat with force to revoke it anyway, or rotate instead.`,
      );
    }
    const at = this.#deps.clock.now().toISOString();
    await this.#deps.repo.update(
      domain.id,
      domain.tenantId,
      [{ id: key.id, changes: { state: 'revoked', revokedAt: at, revokeReason: 'revoked by request' } }],
      at,
    );
    this.#deps.onChange(domain.id);
    const signingLeft = (await this.#deps.repo.listInZoneByDomain(domain.id)).some(
      (k) => k.algorithm === key.algorithm && k.state === 'active',
    );
    await this.#deps.events.emit({
      tenantId: domain.tenantId,
      domainId: domain.id,
      type: 'dkim.key.revoked',
      severity: isKeySigning(key.state) ? 'warning' : 'info',
      message: `${domain.name}: the ${key.algorithm} key in selector ${key.selector} (${key.fingerprint.slice(0, 16)}) was revoked by request.`,
      data: { keyId: key.id, selector: key.selector, algorithm: key.algorithm },
    });
    if (!signingLeft && isKeySigning(key.state)) {
      await this.#deps.events.emit({
        tenantId: domain.tenantId,
        domainId: domain.id,
        type: 'dkim.signing.unavailable',
        severity: 'critical',
        message: `${domain.name}: no ${key.algorithm} key can sign after the revocation. Mail is held, not sent unsigned, until a new key is published and visible.`,
        data: { algorithm: key.algorithm },
      });
    }
    return viewOf({ ...key, state: 'revoked', revokedAt: at, revokeReason: 'revoked by request' });
  }

  /** Operator override: the pending key may activate without being seen through the customer's DNS. */
  async allowActivation(tenantId: string, domainName: string, keyId: string): Promise<DkimKeyView> {
    const domain = await this.#deps.domains.get(tenantId, domainName);
    const key = await this.#keyOf(domain, keyId);
    if (key.state !== 'pending')
      throw new AppError('conflict', `Key ${key.id} is ${key.state}; only a pending key can be activated.`);
    const at = this.#deps.clock.now().toISOString();
    await this.#deps.repo.update(
      domain.id,
      domain.tenantId,
      [{ id: key.id, changes: { activationOverride: true } }],
      at,
    );
    return viewOf({ ...key, activationOverride: true });
  }

  async policy(tenantId: string, domainName: string): Promise<DomainPolicyView> {
    const domain = await this.#deps.domains.get(tenantId, domainName);
    const overrides = await this.#deps.repo.policyOverrides(domain.id);
    return { effective: { ...this.#deps.policies.defaults, ...overrides }, overrides };
  }

  async setPolicy(tenantId: string, domainName: string, input: unknown): Promise<DomainPolicyView> {
    const domain = await this.#deps.domains.get(tenantId, domainName);
    const parsed = policyOverridesInput.safeParse(input ?? {});
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        'The DKIM policy is invalid.',
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      );
    }
    const overrides = mergeOverrides(await this.#deps.repo.policyOverrides(domain.id), parsed.data);
    const { problems } = resolvePolicy(
      this.#deps.policies.defaults,
      overrides,
      this.#deps.policies.ttlSeconds,
    );
    if (problems.length > 0) throw new AppError('validation_failed', 'The DKIM policy is invalid.', problems);
    await this.#deps.repo.setPolicyOverrides(
      domain.id,
      domain.tenantId,
      overrides,
      this.#deps.clock.now().toISOString(),
    );
    this.#deps.onChange(domain.id);
    return { effective: { ...this.#deps.policies.defaults, ...overrides }, overrides };
  }

  async #keyOf(domain: SenderDomain, keyId: string): Promise<DkimKey> {
    const key = await this.#deps.repo.findById(domain.id, keyId);
    if (key === null) throw new AppError('not_found', `No DKIM key ${keyId} for ${domain.name}.`);
    return key;
  }

  /**
   * An Ed25519 key needs the domain's Ed25519 series switched on: without it the plan has no ed1–ed3 CNAMEs for
   * receivers to find the key through, and the scheduler revokes the key as soon as it runs.
   */
  #requireSeries(domain: SenderDomain, algorithm: KeyAlgorithm, ed25519On: boolean): void {
    if (algorithm !== 'ed25519' || ed25519On) return;
    throw new AppError(
      'conflict',
      `Ed25519 signing is off for ${domain.name}, so an Ed25519 key would have no selector in its DNS and would be revoked at once. Turn it on first (senderd dkim policy ${domain.name} --ed25519 on, or PATCH /v1/domains/${domain.name}/dkim/policy with {"ed25519": true}), add the ed1–ed3 records it adds to the plan, then try again.`,
    );
  }

  #freeSelector(domain: SenderDomain, algorithm: KeyAlgorithm, inZone: readonly DkimKey[]): string {
    const series = seriesOf(domain, this.#deps.platform, this.#deps.ed25519Selectors).find(
      (s) => s.algorithm === algorithm,
    );
    const held = new Set(inZone.filter((k) => holdsSelector(k.state)).map((k) => k.selector));
    const revokedAt = (s: string) =>
      Math.max(
        -Infinity,
        ...inZone.filter((k) => k.selector === s).map((k) => Date.parse(k.revokedAt ?? '') || 0),
      );
    const free = (series?.selectors ?? [])
      .filter((s) => !held.has(s))
      .sort((a, b) => revokedAt(a) - revokedAt(b));
    const selector = free[0];
    if (selector === undefined) {
      throw new AppError(
        'conflict',
        `Every ${algorithm} selector of ${domain.name} holds a key that is still needed (pending, signing or in retention). Wait for the oldest to be revoked, or revoke it.`,
      );
    }
    return selector;
  }
}

/** A key as the API and CLI show it: public parts only. */
export function viewOf(k: DkimKey): DkimKeyView {
  return {
    id: k.id,
    selector: k.selector,
    algorithm: k.algorithm,
    bits: k.bits,
    origin: k.origin,
    state: k.state,
    fingerprint: k.fingerprint,
    publicKey: k.publicKey,
    record: publishedRecordOf(k),
    createdAt: k.createdAt,
    activatedAt: k.activatedAt,
    retiringAt: k.retiringAt,
    retiredAt: k.retiredAt,
    revokedAt: k.revokedAt,
    visibleAt: k.visibleAt,
    activationOverride: k.activationOverride,
    revokeReason: k.revokeReason,
    warnings: k.warnings,
  };
}
