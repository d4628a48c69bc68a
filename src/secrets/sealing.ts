import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyEncryptionKeys } from './kek.ts';

/**
 * Secrets at rest (DKIM private keys, webhook secrets) are sealed with AES-256-GCM under the current
 * key-encryption key. The KEK id is stored beside each ciphertext so that old ciphertexts still open after a KEK
 * rotation, and the additional authenticated data binds a ciphertext to the record it belongs to: a ciphertext
 * copied onto another row (another tenant's key, say) fails to open instead of signing as the wrong domain.
 */
export interface SealedSecret {
  readonly kekId: string;
  /** base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
  readonly sealed: string;
}

const NONCE_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit random nonces
const TAG_BYTES = 16;

export function sealSecret(
  plaintext: Buffer,
  aad: string,
  keys: KeyEncryptionKeys,
  nonce: Buffer = randomBytes(NONCE_BYTES),
): SealedSecret {
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    kekId: keys.current.id,
    sealed: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64'),
  };
}

/** Why a sealed secret did not open. Never carries key material or the crypto library's message. */
export type OpenFailure = 'unknown_kek' | 'corrupt';

export function openSecret(
  secret: SealedSecret,
  aad: string,
  keys: KeyEncryptionKeys,
): { ok: true; value: Buffer } | { ok: false; error: OpenFailure } {
  const kek = keys.byId.get(secret.kekId);
  if (kek === undefined) return { ok: false, error: 'unknown_kek' };
  const raw = Buffer.from(secret.sealed, 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) return { ok: false, error: 'corrupt' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const value = Buffer.concat([
      decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return { ok: true, value };
  } catch {
    // A wrong tag: tampered ciphertext, another record's AAD, or a different key under the same id.
    return { ok: false, error: 'corrupt' };
  }
}
