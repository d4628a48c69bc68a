import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { dkimVerify } from 'mailauth';
import { dkimSigner, type SigningDomain } from './message-signer.ts';
import { parseHeaderFields, type HeaderField } from '../mail/index.ts';
import type { SigningKey } from './signer.ts';

/**
 * The signer checked by an independent verifier (mailauth 7), in-process, with the key records served from a
 * table: RSA and Ed25519 (RFC 8463) together, oversigned fields, a long h= list folded, and a body that needs
 * relaxed canonicalisation. test/gateway/end-to-end.test.ts checks the same through the gateway with dkimpy.
 */

const DOMAIN: SigningDomain = { id: 'd1', name: 'example.com' };

function key(algorithm: SigningKey['algorithm'], selector: string): { key: SigningKey; record: string } {
  const pair =
    algorithm === 'rsa-sha256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ed25519');
  return {
    key: { keyId: selector, selector, algorithm, privateKey: pair.privateKey },
    record: record(pair.publicKey),
  };
}

function record(publicKey: KeyObject): string {
  if (publicKey.asymmetricKeyType === 'rsa')
    return `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const raw = Buffer.from((publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
  return `v=DKIM1; k=ed25519; p=${raw.toString('base64')}`;
}

const rsa = key('rsa-sha256', 'sd1');
const ed = key('ed25519-sha256', 'sd2');
const RECORDS = new Map([
  [`sd1._domainkey.${DOMAIN.name}`, rsa.record],
  [`sd2._domainkey.${DOMAIN.name}`, ed.record],
]);

const HEADER = [
  'From: Alice <alice@example.com>',
  'To: Bob <bob@example.org>,\r\n Carol <carol@example.org>',
  'Subject:   Hello   there  ',
  'Date: Sun, 01 Mar 2026 10:00:00 +0000',
  'Message-ID: <m1@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'List-Unsubscribe: <https://example.com/u/1>',
  'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
  'Feedback-ID: c1:t1:example',
]
  .map((line) => `${line}\r\n`)
  .join('');
const BODY = Buffer.from('A line with  two  spaces and a trailing tab\t\r\n\tindented\r\n\r\n\r\n');

function fields(header: string): HeaderField[] {
  const parsed = parseHeaderFields(header);
  assert.ok(parsed.ok);
  return parsed.value;
}

async function verify(message: Buffer) {
  const result = await dkimVerify(message, {
    resolver: (name: string) => {
      const found = RECORDS.get(name);
      if (found === undefined)
        return Promise.reject(Object.assign(new Error('nxdomain'), { code: 'ENOTFOUND' }));
      return Promise.resolve([[found]]);
    },
  });
  return result.results.map((r) => `${r.selector}:${r.status.result}`);
}

test('signer: RSA and Ed25519 signatures of one message verify with mailauth', async () => {
  const signer = dkimSigner({ keysFor: () => Promise.resolve([rsa.key, ed.key]) });
  const signed = await signer.sign({ domain: DOMAIN, fields: fields(HEADER), body: BODY, now: new Date() });
  assert.ok(signed.ok);
  assert.equal(signed.fields.length, 2);
  for (const field of signed.fields) {
    assert.ok(
      field.split('\r\n').every((line) => line.length <= 78),
      'folded lines (RFC 5322 §2.1.1)',
    );
    assert.match(field, /h=from:from:/, 'From is oversigned (RFC 6376 §8.15)');
  }
  const message = Buffer.concat([Buffer.from(signed.fields.join('') + HEADER + '\r\n'), BODY]);
  assert.deepEqual(await verify(message), ['sd1:pass', 'sd2:pass']);
  assert.deepEqual(
    signed.used.map((u) => `${u.signingDomain} ${u.selector} ${u.algorithm} ${u.keyId}`),
    ['example.com sd1 rsa-sha256 sd1', 'example.com sd2 ed25519-sha256 sd2'],
  );
});

test('signer: a changed body, an added From or an added oversigned field fails', async () => {
  const signer = dkimSigner({ keysFor: () => Promise.resolve([rsa.key]) });
  const signed = await signer.sign({ domain: DOMAIN, fields: fields(HEADER), body: BODY, now: new Date() });
  assert.ok(signed.ok);
  const head = signed.fields.join('');
  const cases: Array<[string, Buffer]> = [
    ['a changed body', Buffer.concat([Buffer.from(head + HEADER + '\r\n'), Buffer.from('Changed.\r\n')])],
    [
      'a second From added on top',
      Buffer.concat([Buffer.from(head + 'From: mallory@example.net\r\n' + HEADER + '\r\n'), BODY]),
    ],
    [
      'a Reply-To added (absent, but oversigned)',
      Buffer.concat([Buffer.from(head + HEADER + 'Reply-To: mallory@example.net\r\n\r\n'), BODY]),
    ],
  ];
  // mailauth says "neutral" for a body hash that does not match and "fail" for a signature that does not verify.
  for (const [what, message] of cases)
    assert.match((await verify(message))[0] ?? '', /^sd1:(fail|neutral)$/, what);
  assert.deepEqual(await verify(Buffer.concat([Buffer.from(head + HEADER + '\r\n'), BODY])), ['sd1:pass']);
});

test('signer: no key for the domain is an outcome, not a signature', async () => {
  const signer = dkimSigner({ keysFor: () => Promise.resolve([]) });
  assert.equal(await signer.canSign(DOMAIN), false);
  assert.deepEqual(
    await signer.sign({ domain: DOMAIN, fields: fields(HEADER), body: BODY, now: new Date() }),
    {
      ok: false,
      reason: 'no-key',
    },
  );
});
