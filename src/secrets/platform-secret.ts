import type { RandomSource } from '../core/index.ts';
import type { KekSource } from './kek-file.ts';
import { openSecret, sealSecret, type SealedSecret } from './sealing.ts';

/**
 * Secrets of the platform itself (not of a tenant), such as the key that authenticates VERP return paths. Each is
 * made once, at random, sealed under the key-encryption key and kept in the store, so that every node of a
 * scale-out shares it and a KEK rotation re-wraps it instead of changing it: a secret derived from the KEK would
 * change with every rotation, and mail sent before it could no longer be recognised when it bounces days later.
 */
export interface PlatformSecretRepository {
  platformSecret(name: string): Promise<SealedSecret | null>;
  /** Stores the secret unless one of that name exists (two nodes may start at once: the first one wins). */
  insertPlatformSecretIfAbsent(name: string, secret: SealedSecret, createdAt: string): Promise<void>;
  platformSecretsNotUnder(kekId: string): Promise<Array<{ name: string; secret: SealedSecret }>>;
  /** Compare-and-set on the old KEK id, so a re-wrap is safe beside a running server and after a crash. */
  rewrapPlatformSecret(name: string, fromKekId: string, to: SealedSecret): Promise<boolean>;
}

const aad = (name: string) => `senderd platform secret ${name}`;

export async function platformSecret(
  repo: PlatformSecretRepository,
  kek: KekSource,
  name: string,
  deps: {
    readonly random: RandomSource;
    readonly now: () => string;
    /** Makes the secret when there is none yet: 32 random bytes unless given (a private key's DER, say). */
    readonly make?: () => Buffer;
  },
): Promise<Buffer> {
  let stored = await repo.platformSecret(name);
  if (stored === null) {
    const fresh = deps.make?.() ?? deps.random.bytes(32);
    await repo.insertPlatformSecretIfAbsent(name, sealSecret(fresh, aad(name), kek.keys()), deps.now());
    fresh.fill(0);
    stored = await repo.platformSecret(name);
    if (stored === null) throw new Error(`the platform secret ${name} was not stored`);
  }
  const opened = openSecret(stored, aad(name), kek.keys());
  if (!opened.ok) {
    throw new Error(
      `the platform secret ${name} does not open (${opened.error}): is the key-encryption key file the one this store was sealed with?`,
    );
  }
  return opened.value;
}

export async function rewrapPlatformSecrets(
  repo: PlatformSecretRepository,
  kek: KekSource,
): Promise<{ rewrapped: number; failed: string[]; remaining: number }> {
  const keys = kek.keys();
  let rewrapped = 0;
  const failed: string[] = [];
  for (const { name, secret } of await repo.platformSecretsNotUnder(keys.current.id)) {
    const opened = openSecret(secret, aad(name), keys);
    if (!opened.ok) {
      failed.push(name);
      continue;
    }
    const sealed = sealSecret(opened.value, aad(name), keys);
    opened.value.fill(0);
    if (await repo.rewrapPlatformSecret(name, secret.kekId, sealed)) rewrapped++;
  }
  return { rewrapped, failed, remaining: (await repo.platformSecretsNotUnder(keys.current.id)).length };
}
