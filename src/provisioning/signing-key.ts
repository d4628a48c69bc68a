import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { RandomSource } from '../core/index.ts';
import { platformSecret, type KekSource, type PlatformSecretRepository } from '../secrets/index.ts';
import { publicKeyTexts } from './apply-link.ts';

/** The platform's Domain Connect signing key: its private half sealed in the store, its public half as TXT texts. */
export interface DomainConnectKey {
  /** RS256 (RSASSA-PKCS1-v1_5 with SHA-256) over the input. */
  sign(input: Buffer): Buffer;
  /** The TXT records to publish at `_dcpubkeyv1.<zone>` (draft-ietf-dconn-domainconnect-03 §6.4). */
  readonly publicTexts: readonly string[];
}

const NAME = 'domain-connect-rs256';

/**
 * Opens (or makes, once, for the whole platform) the RSA-2048 key that signs apply URLs. It is a platform secret:
 * sealed under the key-encryption key like every other secret and re-wrapped by a KEK rotation, never written in
 * clear and never printed; only the public key leaves, in the platform zone.
 */
export async function domainConnectKey(
  repo: PlatformSecretRepository,
  kek: KekSource,
  deps: { readonly random: RandomSource; readonly now: () => string },
): Promise<DomainConnectKey> {
  const der = await platformSecret(repo, kek, NAME, {
    ...deps,
    make: () =>
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'der' }),
  });
  const privateKey: KeyObject = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return {
    sign: (input) => sign('sha256', input, privateKey),
    publicTexts: publicKeyTexts(spki),
  };
}
