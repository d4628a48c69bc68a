import { randomBase32, type Clock, type RandomSource } from '../core/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { EventSink } from '../events/index.ts';
import { sealSecret, type KekSource } from '../secrets/index.ts';
import { fingerprintOf, privateKeyDer, publicKeyValue, selfTest, type KeyMaterial } from './key-material.ts';
import { keyRecord } from './key-record.ts';
import type { DkimKey, KeyOrigin } from './model.ts';
import type { DkimKeyRepository } from './ports.ts';

/**
 * The additional authenticated data of a sealed private key: the ciphertext opens only on the row it was written
 * for (same key id, tenant, domain and algorithm).
 */
export function keyAad(key: Pick<DkimKey, 'id' | 'tenantId' | 'domainId' | 'algorithm'>): string {
  return `senderd:dkim-key:v1:${key.id}:${key.tenantId}:${key.domainId}:${key.algorithm}`;
}

export interface PublisherDeps {
  readonly repo: DkimKeyRepository;
  readonly kek: KekSource;
  readonly events: EventSink;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Called after a domain's keys changed, so in-process caches drop their copy at once. */
  readonly onChange: (domainId: string) => void;
}

/** Seals a key under the KEK and publishes it as pending in a selector. Shared by the scheduler and the API. */
export async function publishKey(
  deps: PublisherDeps,
  domain: SenderDomain,
  material: KeyMaterial,
  options: {
    readonly selector: string;
    readonly origin: KeyOrigin;
    readonly warnings: readonly string[];
    /** Keys in the zone now, to find what the new key displaces. */
    readonly inZone: readonly DkimKey[];
    readonly reason: string;
  },
): Promise<DkimKey> {
  if (!selfTest(material.privateKey, material.publicKey, material.algorithm)) {
    throw new Error('a freshly made key failed its sign-then-verify self-test');
  }
  const now = deps.clock.now().toISOString();
  const publicKey = publicKeyValue(material);
  const key: DkimKey = {
    id: `dk_${randomBase32(deps.random, 16)}`,
    tenantId: domain.tenantId,
    domainId: domain.id,
    selector: options.selector,
    algorithm: material.algorithm,
    bits: material.bits,
    origin: options.origin,
    state: 'pending',
    publicKey,
    fingerprint: fingerprintOf(publicKey),
    createdAt: now,
    activatedAt: null,
    retiringAt: null,
    retiredAt: null,
    revokedAt: null,
    unpublishedAt: null,
    visibleAt: null,
    activationOverride: false,
    revokeReason: null,
    warnings: options.warnings,
  };
  const der = privateKeyDer(material.privateKey);
  const secret = sealSecret(der, keyAad(key), deps.kek.keys());
  der.fill(0);
  // The revoked key that held this selector leaves the zone; a pending key of the same series is replaced.
  const unpublish = options.inZone
    .filter((k) => k.selector === options.selector && k.state === 'revoked')
    .map((k) => k.id);
  const revoke = options.inZone
    .filter((k) => k.algorithm === material.algorithm && k.state === 'pending')
    .map((k) => k.id);
  await deps.repo.insert(key, secret, { unpublish, revoke, reason: 'replaced before activation' });
  deps.onChange(domain.id);
  const selfHosted = domain.settings.mode === 'self-hosted';
  await deps.events.emit({
    tenantId: domain.tenantId,
    domainId: domain.id,
    type: options.origin === 'imported' ? 'dkim.key.imported' : 'dkim.key.published',
    severity: options.warnings.length > 0 ? 'warning' : 'info',
    message:
      `A new ${key.algorithm} key (${key.fingerprint.slice(0, 16)}) is published for ${domain.name} in selector ${key.selector} (${options.reason}).` +
      (selfHosted
        ? ` Self-hosted mode: publish TXT ${key.selector}._domainkey.${domain.name} "${keyRecord(key.algorithm, publicKey)}"; it signs once senderd sees it.`
        : ' It signs once the lead time has passed and a resolver sees it.') +
      (options.warnings.length > 0 ? ` ${options.warnings.join(' ')}` : ''),
    data: {
      keyId: key.id,
      selector: key.selector,
      algorithm: key.algorithm,
      fingerprint: key.fingerprint,
      reason: options.reason,
    },
  });
  return key;
}
