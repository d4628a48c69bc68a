/** Signing test messages with mailauth 7 from the signer-facing keys. */
import { dkimSign } from 'mailauth';
import type { SigningKey } from '../../src/dkim/index.ts';

export function testMessage(subject: string): string {
  return [
    'From: Alice <alice@example.com>',
    'To: Bob <bob@example.org>',
    `Subject: ${subject}`,
    'Date: Thu, 01 Jan 2026 00:00:00 +0000',
    `Message-ID: <${subject.replace(/\W/g, '')}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello from the rotation test.',
    '',
  ].join('\r\n');
}

/**
 * mailauth 7.1's dkimSign takes the private key as PEM (a KeyObject throws a TypeError inside it), so this
 * test helper exports it; the gateway should sign from the KeyObject directly (node:crypto) or memoise.
 */
export async function signWith(
  message: string,
  domain: string,
  keys: readonly SigningKey[],
): Promise<string> {
  const signatureData = keys.map((k) => ({
    signingDomain: domain,
    selector: k.selector,
    privateKey: k.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    algorithm: k.algorithm,
  }));
  const first = signatureData[0];
  if (first === undefined) throw new Error('no key to sign with');
  const result = await dkimSign(message, { ...first, signatureData });
  if (result.errors.length > 0) throw new Error(`signing failed for ${result.errors.length} signature(s)`);
  return result.signatures + message;
}
