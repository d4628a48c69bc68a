import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { oid, pem, seq, set, tlv } from '../x509/index.ts';

/**
 * The listeners' TLS certificate: the operator's files from config, or, for development, a self-signed ECDSA
 * P-256 certificate generated on the first start and kept in the data directory. node:crypto makes keys but not
 * certificates, so the few DER structures of RFC 5280 needed for one are encoded here.
 */

export interface TlsFiles {
  readonly key: string;
  readonly cert: string;
  /** True when the certificate was generated here (self-signed, for development). */
  readonly selfSigned: boolean;
}

/** Reads the configured files, or the generated pair in `dir` (making it on first use). */
export function loadTlsFiles(options: {
  certFile: string;
  keyFile: string;
  dir: string;
  hostname: string;
  now?: Date;
}): TlsFiles {
  if (options.certFile !== '' && options.keyFile !== '') {
    return {
      cert: readFileSync(options.certFile, 'utf8'),
      key: readFileSync(options.keyFile, 'utf8'),
      selfSigned: false,
    };
  }
  const certPath = join(options.dir, 'tls-self-signed.crt');
  const keyPath = join(options.dir, 'tls-self-signed.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), selfSigned: true };
  }
  const made = selfSignedCertificate(options.hostname, options.now ?? new Date());
  mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  writeFileSync(certPath, made.cert, { mode: 0o644 });
  return { ...made, selfSigned: true };
}

/** A self-signed certificate for `hostname` (and 127.0.0.1, ::1), valid for ten years. */
export function selfSignedCertificate(hostname: string, now: Date): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(hostname)))));
  const serial = certificateSerial(randomBytes(16));
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
  const san = seq(
    tlv(0x82, Buffer.from(hostname)),
    tlv(0x82, Buffer.from('localhost')),
    tlv(0x87, Buffer.from([127, 0, 0, 1])),
    tlv(0x87, Buffer.from('00000000000000000000000000000001', 'hex')),
  );
  const extensions = tlv(
    0xa3,
    seq(
      seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq())), // basicConstraints: not a CA
      seq(oid('2.5.29.17'), tlv(0x04, san)), // subjectAltName
    ),
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // version 3
    tlv(0x02, serial),
    ecdsaWithSha256,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = pem('CERTIFICATE', der);
  new X509Certificate(cert); // fails loudly if the encoding above were wrong
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert };
}

/**
 * A certificate serial from random bytes: a positive INTEGER (RFC 5280 §4.1.2.2) in DER's minimal encoding
 * (X.690 §8.3.2: no leading 0x00 byte before a byte below 0x80). Both hold when the first byte is 0x01–0x7f.
 */
export function certificateSerial(random: Buffer): Buffer {
  const serial = Buffer.from(random);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime after. */
function time(at: Date): Buffer {
  const iso = at.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return at.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}
