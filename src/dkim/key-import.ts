import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { err, ok, type Result } from '../core/index.ts';
import { materialOf, publicKeyBytes, selfTest, type KeyMaterial } from './key-material.ts';
import { publicKeyBytesOf } from './key-record.ts';

/**
 * Import of a customer's private key from PEM: PKCS#1 (`RSA PRIVATE KEY`), PKCS#8 (`PRIVATE KEY`) and encrypted
 * PKCS#8 or legacy-encrypted PKCS#1 with a passphrase; RSA and Ed25519. Every refusal is a sentence for a person;
 * none quotes the input or the crypto library's message, so no key material can leak through an error.
 */
export type ImportRefusalReason =
  | 'malformed'
  | 'public_key'
  | 'certificate'
  | 'passphrase_required'
  | 'wrong_passphrase'
  | 'unsupported_type'
  | 'too_short'
  | 'too_long'
  | 'mismatched_pair'
  | 'self_test_failed';

export interface ImportRefusal {
  readonly reason: ImportRefusalReason;
  readonly message: string;
}

export interface ImportInput {
  readonly pem: string;
  readonly passphrase?: string;
  /** The public half the customer believes belongs to it: a PEM public key or a DKIM record / bare p= value. */
  readonly publicKey?: string;
}

export interface ImportedKey {
  readonly material: KeyMaterial;
  readonly warnings: readonly string[];
}

/** RFC 8301 §3.2: "Signers MUST use RSA keys of at least 1024 bits"; "SHOULD use RSA keys of at least 2048 bits". */
export const MIN_RSA_BITS = 1024;
export const RECOMMENDED_RSA_BITS = 2048;
/**
 * RFC 8301 §3.2: verifiers "MUST be able to validate signatures with keys ranging from 1024 bits to 4096 bits";
 * a longer key may not verify anywhere, its record no longer fits a 1232-byte UDP answer, and each signature
 * costs about eight times a 4096-bit one (issue 14: an 8192-bit import was accepted).
 */
export const MAX_RSA_BITS = 4096;
const MAX_PEM_BYTES = 64 * 1024;

const refuse = (reason: ImportRefusalReason, message: string) => err<ImportRefusal>({ reason, message });

export function importPrivateKey(input: ImportInput): Result<ImportedKey, ImportRefusal> {
  const pem = input.pem.replace(/\r\n/g, '\n').trim();
  if (pem.length > MAX_PEM_BYTES)
    return refuse('malformed', 'The PEM is too large to be a DKIM private key.');
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
  const privateLabel = labels.find((l) => l.endsWith('PRIVATE KEY'));
  if (privateLabel === undefined) {
    if (labels.some((l) => l.endsWith('PUBLIC KEY')))
      return refuse(
        'public_key',
        'This is a public key. Import needs the private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY).',
      );
    if (labels.includes('CERTIFICATE'))
      return refuse(
        'certificate',
        'This is a certificate. Import needs the private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY).',
      );
    return refuse(
      'malformed',
      'This is not a PEM private key: expected a -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- block.',
    );
  }
  if (
    privateLabel !== 'PRIVATE KEY' &&
    privateLabel !== 'RSA PRIVATE KEY' &&
    privateLabel !== 'ENCRYPTED PRIVATE KEY'
  ) {
    return refuse(
      'unsupported_type',
      `The key in this ${privateLabel} block cannot sign DKIM: use an RSA key (RFC 6376) or an Ed25519 key (RFC 8463).`,
    );
  }
  const encrypted = privateLabel === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/i.test(pem);
  const passphrase = input.passphrase ?? '';
  if (encrypted && passphrase === '')
    return refuse('passphrase_required', 'The private key is encrypted: give its passphrase.');
  const block = extractBlock(pem, privateLabel);
  if (block === null) return refuse('malformed', `The ${privateLabel} block is not closed by its END line.`);

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(
      encrypted ? { key: block, format: 'pem', passphrase } : { key: block, format: 'pem' },
    );
  } catch {
    return encrypted
      ? refuse(
          'wrong_passphrase',
          'The private key could not be decrypted: the passphrase is wrong, or the key is damaged.',
        )
      : refuse(
          'malformed',
          `The ${privateLabel} block could not be read: its base64 or its ASN.1 structure is damaged.`,
        );
  }
  const material = materialOf(privateKey);
  if (material === null) {
    return refuse(
      'unsupported_type',
      `Keys of type ${privateKey.asymmetricKeyType ?? 'unknown'} cannot sign DKIM: use RSA (RFC 6376) or Ed25519 (RFC 8463).`,
    );
  }
  const warnings: string[] = [];
  if (material.algorithm === 'rsa') {
    if (material.bits < MIN_RSA_BITS)
      return refuse(
        'too_short',
        `The RSA key has ${material.bits} bits; RFC 8301 §3.2 requires at least ${MIN_RSA_BITS}, and receivers treat shorter keys as no signature.`,
      );
    if (material.bits > MAX_RSA_BITS)
      return refuse(
        'too_long',
        `The RSA key has ${material.bits} bits; RFC 8301 §3.2 asks verifiers to handle keys up to ${MAX_RSA_BITS} bits only, so longer keys may not verify. Use 2048 to ${MAX_RSA_BITS} bits.`,
      );
    if (material.bits < RECOMMENDED_RSA_BITS)
      warnings.push(
        `The RSA key has ${material.bits} bits; RFC 8301 §3.2 recommends at least ${RECOMMENDED_RSA_BITS}. Rotate to a generated key soon.`,
      );
  }
  if (input.publicKey !== undefined && input.publicKey.trim() !== '') {
    const given = givenPublicKeyBytes(input.publicKey, material);
    if (given === null)
      return refuse(
        'malformed',
        'The public key given with the import could not be read: give a PEM public key, a DKIM record or its p= value.',
      );
    if (!given.equals(publicKeyBytes(material.algorithm, material.publicKey)))
      return refuse(
        'mismatched_pair',
        'The public key does not belong to this private key: the pair does not match.',
      );
  }
  if (!selfTest(material.privateKey, material.publicKey, material.algorithm))
    return refuse('self_test_failed', 'The key failed its self-test (sign, then verify): it cannot be used.');
  return ok({ material, warnings });
}

function extractBlock(pem: string, label: string): string | null {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = pem.indexOf(begin);
  const stop = pem.indexOf(end, start);
  return start < 0 || stop < 0 ? null : pem.slice(start, stop + end.length) + '\n';
}

/** A PEM public key (SPKI or PKCS#1), a DKIM record, or a bare base64 p= value. */
function givenPublicKeyBytes(text: string, material: KeyMaterial): Buffer | null {
  const trimmed = text.trim();
  try {
    if (trimmed.includes('-----BEGIN')) {
      const key = createPublicKey({ key: trimmed, format: 'pem' });
      return key.asymmetricKeyType === material.privateKey.asymmetricKeyType
        ? publicKeyBytes(material.algorithm, key)
        : Buffer.alloc(0);
    }
  } catch {
    return null;
  }
  if (trimmed.includes('=') && /(^|;)\s*p\s*=/.test(trimmed)) return publicKeyBytesOf(trimmed);
  const bare = trimmed.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(bare) ? normaliseBare(Buffer.from(bare, 'base64'), material) : null;
}

/** An RSA p= may be a bare RSAPublicKey (PKCS#1); compare it as the SPKI we publish. */
function normaliseBare(bytes: Buffer, material: KeyMaterial): Buffer {
  if (material.algorithm !== 'rsa') return bytes;
  try {
    const key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    return publicKeyBytes('rsa', key);
  } catch {
    try {
      return publicKeyBytes('rsa', createPublicKey({ key: bytes, format: 'der', type: 'pkcs1' }));
    } catch {
      return bytes;
    }
  }
}
