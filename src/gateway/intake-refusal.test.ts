import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intakeReply, type IntakeRefusal } from './intake-refusal.ts';

/** The replies the intake's refusals get on the wire: a 4xx for what may pass on a retry, a 5xx for what never will. */
const CASES: Array<[IntakeRefusal, string]> = [
  [
    { reason: 'content', reply: { code: 554, enhanced: '5.6.0', text: 'Line 3 contains a NUL byte.' } },
    '554 5.6.0 Line 3 contains a NUL byte.',
  ],
  [
    { reason: 'no-key', domain: 'example.com' },
    '451 4.7.0 No DKIM key is ready for example.com; try again later.',
  ],
  [{ reason: 'no-platform-domain' }, '451 4.7.0 No signing key is ready for this sender; try again later.'],
  [{ reason: 'signing-failed' }, '451 4.7.0 Signing failed; try again later.'],
  [{ reason: 'spool-unavailable' }, '451 4.3.0 The spool cannot take the message now; try again later.'],
  [
    {
      reason: 'operator-domain',
      fromDomain: 'ceo.example.net',
      organizationalDomain: 'example.net',
      platformName: 'zone mail.example.net',
    },
    "554 5.7.1 The From domain ceo.example.net belongs to the organisational domain example.net of this platform's zone mail.example.net, and it is not a verified sender domain of yours; such mail would pass DMARC as the operator (RFC 7489 §3.1.2 relaxed alignment), so it is refused.",
  ],
];

for (const [refusal, wire] of CASES) {
  test(`intake refusal: ${refusal.reason}`, () => {
    const reply = intakeReply(refusal);
    assert.equal(`${reply.code} ${reply.enhanced} ${reply.text}`, wire);
  });
}
