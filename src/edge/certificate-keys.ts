import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { openSecret, sealSecret, type KekSource, type SealedSecret } from '../secrets/index.ts';

/**
 * Keys and certificates of the edge. A certificate's key is made when its order starts, sealed at once under the
 * key-encryption key with the host name as additional data (a sealed key copied onto another host's row does not
 * open), and opened only in memory: for the CSR, and for the TLS context that serves it.
 */

export type CertificateKeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048';

/** A new private key, PKCS#8 PEM. */
export function generateCertificateKey(type: CertificateKeyType): string {
  const pair =
    type === 'rsa-2048'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: type === 'ecdsa-p384' ? 'P-384' : 'P-256' });
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export const hostKeyAad = (hostname: string) => `senderd edge certificate key ${hostname}`;
export const accountKeyAad = (directoryUrl: string) => `senderd acme account key ${directoryUrl}`;

export function sealKey(pem: string, aad: string, kek: KekSource): SealedSecret {
  return sealSecret(Buffer.from(pem, 'utf8'), aad, kek.keys());
}

/** Opens a sealed key; a failure names the KEK problem, never anything of the key. */
export function openKey(secret: SealedSecret, aad: string, kek: KekSource): string {
  const opened = openSecret(secret, aad, kek.keys());
  if (!opened.ok)
    throw new Error(
      `a sealed edge key does not open (${opened.error}): is the key-encryption key file the one this store was sealed with?`,
    );
  const pem = opened.value.toString('utf8');
  opened.value.fill(0);
  return pem;
}

/** The certificates of a PEM chain, in order. */
export function splitChain(chainPem: string): string[] {
  return chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export interface LeafFacts {
  readonly serial: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprint: string;
}

export type LeafCheck =
  { readonly ok: true; readonly facts: LeafFacts } | { readonly ok: false; readonly reason: string };

/**
 * Reads the leaf of a chain the CA returned and checks it before it is served: it must certify this key and
 * name this host (RFC 6125 §6.4 matching, as node:crypto's checkHost does it).
 */
export function checkLeaf(chainPem: string, keyPem: string, hostname: string): LeafCheck {
  const leafPem = splitChain(chainPem)[0];
  if (leafPem === undefined) return { ok: false, reason: 'the CA returned no certificate' };
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(leafPem);
  } catch {
    return { ok: false, reason: 'the CA returned a certificate that does not parse' };
  }
  if (!leaf.checkPrivateKey(createPrivateKey(keyPem)))
    return { ok: false, reason: 'the CA returned a certificate for another key' };
  if (leaf.checkHost(hostname, { subject: 'never' }) === undefined)
    return { ok: false, reason: `the CA returned a certificate that does not name ${hostname}` };
  return {
    ok: true,
    facts: {
      serial: leaf.serialNumber.toUpperCase(),
      issuer: leaf.issuer.split('\n').reverse().join(', '),
      notBefore: leaf.validFromDate.toISOString(),
      notAfter: leaf.validToDate.toISOString(),
      fingerprint: leaf.fingerprint256,
    },
  };
}
