import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importPrivateKey } from './key-import.ts';

const corpus = (path: string) =>
  readFileSync(new URL(`../../../shared/corpus/dkim/${path}`, import.meta.url), 'utf8');
const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const rsa2048 = rsa(2048);
const pkcs1 = rsa2048.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs8 = rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ed = generateKeyPairSync('ed25519');

const refusals: Array<{
  what: string;
  input: Parameters<typeof importPrivateKey>[0];
  reason: string;
  says: RegExp;
}> = [
  {
    what: '512-bit RSA (RFC 8301)',
    input: { pem: rsa(512).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    reason: 'too_short',
    says: /512 bits; RFC 8301 §3\.2 requires at least 1024/,
  },
  {
    what: "mailauth's published 512-bit test key",
    input: { pem: corpus('mailauth/fixtures/private-small.pem') },
    reason: 'too_short',
    says: /512 bits/,
  },
  {
    what: 'RSA longer than 4096 bits (RFC 8301 §3.2: verifiers need handle no more)',
    input: { pem: rsa(4104).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    reason: 'too_long',
    says: /4104 bits; .*up to 4096 bits/,
  },
  {
    what: 'malformed PEM (damaged base64)',
    input: { pem: pkcs8.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!') },
    reason: 'malformed',
    says: /could not be read/,
  },
  {
    what: 'not PEM at all',
    input: { pem: 'hello world' },
    reason: 'malformed',
    says: /not a PEM private key/,
  },
  {
    what: 'an unterminated block',
    input: { pem: pkcs8.split('-----END')[0]! },
    reason: 'malformed',
    says: /not closed/,
  },
  {
    what: 'encrypted PEM without passphrase',
    input: {
      pem: rsa2048.privateKey
        .export({
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: 'pw',
        })
        .toString(),
    },
    reason: 'passphrase_required',
    says: /encrypted: give its passphrase/,
  },
  {
    what: 'legacy-encrypted PKCS#1 without passphrase',
    input: {
      pem: rsa2048.privateKey
        .export({
          type: 'pkcs1',
          format: 'pem',
          cipher: 'aes-128-cbc',
          passphrase: 'pw',
        })
        .toString(),
    },
    reason: 'passphrase_required',
    says: /passphrase/,
  },
  {
    what: 'encrypted PEM with the wrong passphrase',
    input: {
      pem: rsa2048.privateKey
        .export({
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: 'pw',
        })
        .toString(),
      passphrase: 'nope',
    },
    reason: 'wrong_passphrase',
    says: /passphrase is wrong/,
  },
  {
    what: 'a public key (SPKI)',
    input: { pem: rsa2048.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    reason: 'public_key',
    says: /This is a public key/,
  },
  {
    what: 'a public key (PKCS#1)',
    input: { pem: rsa2048.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
    reason: 'public_key',
    says: /public key/,
  },
  {
    what: 'a mismatched pair',
    input: { pem: pkcs8, publicKey: rsa(2048).publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    reason: 'mismatched_pair',
    says: /does not belong to this private key/,
  },
  {
    what: 'a mismatched pair given as a DKIM record (dkimpy test key)',
    input: { pem: pkcs1, publicKey: corpus('dkimpy/2048_testkey_wo_markers.pub.txt') },
    reason: 'mismatched_pair',
    says: /pair does not match/,
  },
  {
    what: 'an EC key',
    input: {
      pem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({
          type: 'pkcs8',
          format: 'pem',
        })
        .toString(),
    },
    reason: 'unsupported_type',
    says: /cannot sign DKIM/,
  },
];

for (const c of refusals) {
  test(`import refuses ${c.what}, with a clear message`, () => {
    const outcome = importPrivateKey(c.input);
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.error.reason, c.reason);
    assert.match(outcome.error.message, c.says);
    // No refusal quotes the input.
    for (const line of c.input.pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')))
      assert.ok(!outcome.error.message.includes(line.slice(0, 20)));
  });
}

const accepted: Array<{
  what: string;
  input: Parameters<typeof importPrivateKey>[0];
  algorithm: string;
  bits: number;
  warned: boolean;
}> = [
  { what: 'PKCS#1 RSA-2048', input: { pem: pkcs1 }, algorithm: 'rsa', bits: 2048, warned: false },
  {
    what: 'PKCS#8 RSA-2048 with its public key',
    input: { pem: pkcs8, publicKey: rsa2048.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    algorithm: 'rsa',
    bits: 2048,
    warned: false,
  },
  {
    what: 'encrypted PKCS#8 with its passphrase',
    input: {
      pem: rsa2048.privateKey
        .export({
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: 'pw',
        })
        .toString(),
      passphrase: 'pw',
    },
    algorithm: 'rsa',
    bits: 2048,
    warned: false,
  },
  {
    what: 'RSA-4096, the longest accepted',
    input: { pem: rsa(4096).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    algorithm: 'rsa',
    bits: 4096,
    warned: false,
  },
  {
    what: "dkimpy's 1024-bit PKCS#1 test key (warned)",
    input: { pem: corpus('dkimpy/1024_testkey.key') },
    algorithm: 'rsa',
    bits: 1024,
    warned: true,
  },
  {
    what: "dkimpy's 2048-bit PKCS#8 key with its published p= value",
    input: {
      pem: corpus('dkimpy/2048_testkey_PKCS8.key'),
      publicKey: corpus('dkimpy/2048_testkey_PKCS8.key.pub.txt'),
    },
    algorithm: 'rsa',
    bits: 2048,
    warned: false,
  },
  {
    what: 'Ed25519 PKCS#8 with its public key',
    input: {
      pem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    algorithm: 'ed25519',
    bits: 256,
    warned: false,
  },
  {
    what: "mailauth's Ed25519 test key",
    input: { pem: corpus('mailauth/fixtures/private-ed25519.pem') },
    algorithm: 'ed25519',
    bits: 256,
    warned: false,
  },
];

for (const c of accepted) {
  test(`import accepts ${c.what}`, () => {
    const outcome = importPrivateKey(c.input);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    assert.equal(outcome.value.material.algorithm, c.algorithm);
    assert.equal(outcome.value.material.bits, c.bits);
    assert.equal(outcome.value.warnings.length > 0, c.warned);
  });
}
