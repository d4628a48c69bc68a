/**
 * Test support: a DKIM key generator that hands out a few pre-generated RSA-2048 keys in turn (RSA generation
 * takes tens of milliseconds; a test that rotates hundreds of times needs keys, not new ones). Ed25519 keys are
 * quick and are made fresh.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cryptoKeyGenerator, type KeyGenerator, type KeyMaterial } from '../../src/dkim/index.ts';

export function pooledKeygen(size = 8): KeyGenerator {
  const pool: KeyMaterial[] = Array.from({ length: size }, () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { algorithm: 'rsa', bits: 2048, privateKey, publicKey };
  });
  let next = 0;
  return {
    generate: (algorithm, bits) =>
      algorithm === 'rsa' && bits === 2048
        ? Promise.resolve(pool[next++ % pool.length]!)
        : cryptoKeyGenerator.generate(algorithm, bits),
  };
}
