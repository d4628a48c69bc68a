import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { quietLogger } from '../core/index.ts';
import { dkimSigner, type SigningKey } from '../dkim/index.ts';
import type { SenderDomain } from '../domains/index.ts';
import type { DomainName } from '../domain-name/index.ts';
import { inspect } from './inspection.ts';
import { draftOf, signDraft, type SigningDeps } from './message-signing.ts';
import type { SigningPlan } from './signing-plan.ts';

const AT = new Date('2026-03-01T10:00:00Z');
const CLIENT = { helo: 'client.example', clientAddress: '192.0.2.1', secure: true, credential: 'c1' };
const DOMAIN = { id: 'd1', name: 'example.com' as DomainName } as SenderDomain;
const SIGNED: SigningPlan = { domain: DOMAIN, signingDomain: DOMAIN, decision: 'signed' };
const UNSIGNED: SigningPlan = { domain: null, signingDomain: null, decision: 'unsigned' };
const KEY: SigningKey = {
  keyId: 'k1',
  selector: 'sd1',
  algorithm: 'ed25519-sha256',
  privateKey: generateKeyPairSync('ed25519').privateKey,
};

function submitted(header: string) {
  const message = inspect(Buffer.from(`${header}\r\nHello.\r\n`));
  assert.ok(message.ok);
  return message.value;
}

function deps(keys: readonly SigningKey[] | Error): SigningDeps {
  return {
    signer: dkimSigner({
      keysFor: () => (keys instanceof Error ? Promise.reject(keys) : Promise.resolve(keys)),
    }),
    hostname: 'mx.mail.example.net',
    noKey: (domain) => ({ reason: 'no-key', domain: domain.name }),
    log: quietLogger(),
  };
}

test('draft: a missing Date and Message-ID are added, named after the signing domain (RFC 6409 §8)', () => {
  const draft = draftOf(submitted('From: a@example.com\r\n'), SIGNED, 'id1', AT, 'mx.mail.example.net');
  assert.equal(
    draft.header,
    'From: a@example.com\r\nDate: Sun, 01 Mar 2026 10:00:00 +0000\r\nMessage-ID: <id1@example.com>\r\n',
  );
  assert.deepEqual(
    draft.fields.map((f) => f.name),
    ['from', 'date', 'message-id'],
  );
  const unsigned = draftOf(submitted('From: a@x.example\r\n'), UNSIGNED, 'id2', AT, 'mx.mail.example.net');
  assert.match(unsigned.header, /Message-ID: <id2@mx\.mail\.example\.net>/);
});

test('draft: fields the client gave are kept as they are', () => {
  const header =
    'From: a@example.com\r\nDate: Mon, 02 Mar 2026 00:00:00 +0000\r\nMessage-ID: <own@example.com>\r\n';
  assert.equal(draftOf(submitted(header), SIGNED, 'id1', AT, 'h').header, header);
});

test('sign: the head is Received, the signatures, the header and the empty line; the body is not copied', async () => {
  const message = submitted('From: a@example.com\r\n');
  const draft = draftOf(message, SIGNED, 'id1', AT, 'h');
  const body = message.bytes.subarray(message.bodyStart);
  const signed = await signDraft(deps([KEY]), draft, body, SIGNED, CLIENT);
  assert.ok(signed.ok);
  const head = signed.value.head.toString('latin1');
  assert.match(
    head,
    /^Received: from client\.example \(\[192\.0\.2\.1\]\)\r\n\tby mx\.mail\.example\.net \(senderd\) with ESMTPSA id id1;/,
  );
  assert.match(head, /\r\nDKIM-Signature: v=1; a=ed25519-sha256; c=relaxed\/relaxed; d=example\.com;/);
  assert.ok(head.endsWith(`${draft.header}\r\n`));
  assert.equal(signed.value.body, body);
  assert.deepEqual(signed.value.signatures, [
    { signingDomain: 'example.com', selector: 'sd1', algorithm: 'ed25519-sha256', keyId: 'k1' },
  ]);
});

test('sign: unsigned mail gets only the Received field', async () => {
  const message = submitted('From: a@x.example\r\n');
  const draft = draftOf(message, UNSIGNED, 'id2', AT, 'h');
  const signed = await signDraft(deps([KEY]), draft, Buffer.alloc(0), UNSIGNED, CLIENT);
  assert.ok(signed.ok);
  assert.doesNotMatch(signed.value.head.toString('latin1'), /DKIM-Signature/);
  assert.deepEqual(signed.value.signatures, []);
});

test('sign: keys gone since the plan, or signing that fails, refuse with a reason', async () => {
  const message = submitted('From: a@example.com\r\n');
  const draft = draftOf(message, SIGNED, 'id1', AT, 'h');
  const gone = await signDraft(deps([]), draft, Buffer.alloc(0), SIGNED, CLIENT);
  assert.deepEqual(gone, { ok: false, error: { reason: 'no-key', domain: 'example.com' } });
  const broken = await signDraft(deps(new Error('broken key')), draft, Buffer.alloc(0), SIGNED, CLIENT);
  assert.deepEqual(broken, { ok: false, error: { reason: 'signing-failed' } });
});
