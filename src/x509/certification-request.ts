import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { oid, pem, seq, set, tlv } from './der.ts';

/**
 * A PKCS#10 certification request (RFC 2986) for DNS names, as an ACME order is finalized with (RFC 8555 §7.4:
 * the names go in a subjectAltName extension request, RFC 2985 §5.4.2; the first also as the common name when it
 * fits X.520's 64 characters). ECDSA P-256/P-384 and RSA keys, signed with SHA-256 (SHA-384 for P-384).
 */
export function certificationRequest(hostnames: readonly string[], privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  const algorithm = signatureAlgorithm(key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve);
  const first = hostnames[0];
  if (first === undefined) throw new Error('a certification request needs at least one name');
  const subject =
    first.length <= 64 ? seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(first, 'utf8'))))) : seq();
  // GeneralName dNSName is [2] IMPLICIT IA5String (RFC 5280 §4.2.1.6).
  const names = seq(...hostnames.map((h) => tlv(0x82, Buffer.from(h, 'ascii'))));
  const extensionRequest = seq(
    oid('1.2.840.113549.1.9.14'),
    set(seq(seq(oid('2.5.29.17'), tlv(0x04, names)))),
  );
  const info = seq(
    tlv(0x02, Buffer.from([0])), // version v1(0)
    subject,
    createPublicKey(key).export({ type: 'spki', format: 'der' }),
    tlv(0xa0, extensionRequest), // attributes [0] IMPLICIT SET OF Attribute
  );
  const signature = sign(algorithm.hash, info, { key, dsaEncoding: 'der' });
  const der = seq(info, algorithm.identifier, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return pem('CERTIFICATE REQUEST', der);
}

function signatureAlgorithm(
  type: string | undefined,
  curve: string | undefined,
): { hash: string; identifier: Buffer } {
  if (type === 'ec' && curve === 'prime256v1')
    return { hash: 'sha256', identifier: seq(oid('1.2.840.10045.4.3.2')) };
  if (type === 'ec' && curve === 'secp384r1')
    return { hash: 'sha384', identifier: seq(oid('1.2.840.10045.4.3.3')) };
  // sha256WithRSAEncryption, with its NULL parameters (RFC 4055 §5).
  if (type === 'rsa')
    return { hash: 'sha256', identifier: seq(oid('1.2.840.113549.1.1.11'), Buffer.from([5, 0])) };
  throw new Error(
    `no certification request for ${type ?? 'unknown'} keys${curve === undefined ? '' : ` on ${curve}`}`,
  );
}
