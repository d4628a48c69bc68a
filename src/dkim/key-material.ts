import {
  createHash,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyAlgorithm } from './model.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A private key in memory with what senderd derives from it. The private half never leaves this process. */
export interface KeyMaterial {
  readonly algorithm: KeyAlgorithm;
  readonly bits: number;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Makes fresh key pairs. Injected so simulations can hand out pre-generated keys instead of waiting for RSA. */
export interface KeyGenerator {
  generate(algorithm: KeyAlgorithm, bits: number): Promise<KeyMaterial>;
}

/** RSA keygen runs on libuv's thread pool, so a burst of new domains does not block the event loop. */
export const cryptoKeyGenerator: KeyGenerator = {
  async generate(algorithm, bits) {
    if (algorithm === 'ed25519') {
      const pair = await generateKeyPairAsync('ed25519');
      return { algorithm, bits: 256, ...pair };
    }
    const pair = await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
    return { algorithm, bits, ...pair };
  },
};

/** Builds the material for a private key (the public half is derived from it). */
export function materialOf(privateKey: KeyObject): KeyMaterial | null {
  const type = privateKey.asymmetricKeyType;
  const publicKey = createPublicKey(privateKey);
  if (type === 'ed25519') return { algorithm: 'ed25519', bits: 256, privateKey, publicKey };
  if (type === 'rsa') {
    const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    return { algorithm: 'rsa', bits, privateKey, publicKey };
  }
  return null;
}

/**
 * The bytes behind `p=`. RSA: the DER SubjectPublicKeyInfo, which is what RFC 6376 §3.6.1's example and every
 * verifier use. Ed25519: the raw 32-byte public key, not an SPKI (RFC 8463 §4.2).
 */
export function publicKeyBytes(algorithm: KeyAlgorithm, publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return algorithm === 'ed25519' ? spki.subarray(spki.length - 32) : spki;
}

export function publicKeyValue(material: Pick<KeyMaterial, 'algorithm' | 'publicKey'>): string {
  return publicKeyBytes(material.algorithm, material.publicKey).toString('base64');
}

export function fingerprintOf(publicKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex');
}

/**
 * Signs random data with the private key and verifies it with the public key, with the hash the DKIM algorithm
 * uses (RFC 6376 §3.3.1 rsa-sha256; RFC 8463 §3 Ed25519 over SHA-256 output, which here is just a message).
 */
export function selfTest(privateKey: KeyObject, publicKey: KeyObject, algorithm: KeyAlgorithm): boolean {
  const data = randomBytes(32);
  const digest = algorithm === 'rsa' ? 'sha256' : null;
  try {
    return verify(digest, data, publicKey, sign(digest, data, privateKey));
  } catch {
    return false;
  }
}

/** The private key as PKCS#8 DER: the plaintext that gets sealed. */
export function privateKeyDer(privateKey: KeyObject): Buffer {
  return privateKey.export({ type: 'pkcs8', format: 'der' });
}
