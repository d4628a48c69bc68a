import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { certificationRequest } from './certification-request.ts';

/** openssl checks the signature and shows the names: an independent reader of what we encode. */
function opensslReads(csr: string): string {
  return execFileSync('openssl', ['req', '-noout', '-verify', '-text'], {
    input: csr,
    stdio: 'pipe',
  }).toString();
}

const keys: Array<[string, () => string]> = [
  ['ECDSA P-256', () => pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)],
  ['ECDSA P-384', () => pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)],
  ['RSA 2048', () => pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
];

function pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

for (const [what, make] of keys) {
  test(`a certification request with an ${what} key verifies in openssl and names the host`, () => {
    const text = opensslReads(certificationRequest(['clicks.example.com'], make()));
    assert.match(text, /Subject: CN ?= ?clicks\.example\.com/);
    assert.match(text, /X509v3 Subject Alternative Name:\s*\n\s*DNS:clicks\.example\.com/);
  });
}

test('a name longer than a common name may be goes in the subjectAltName only', () => {
  const long = `${'a'.repeat(60)}.example.com`;
  const text = opensslReads(certificationRequest([long, 'b.example.com'], keys[0]![1]()));
  assert.doesNotMatch(text, /CN ?=/);
  assert.match(text, new RegExp(`DNS:${long}, DNS:b\\.example\\.com`));
});
