import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recipientRouter, type RecipientRules } from './recipients.ts';

const rules: RecipientRules = {
  reportsHost: 'reports.mail.example.net',
  postmasterDomains: ['mx.mail.example.net', 'Mail.Example.Net'],
  reports: { accepts: (a) => Promise.resolve(a === 'abcd2345@reports.mail.example.net') },
  bounces: { accepts: (a) => Promise.resolve(a.startsWith('b-') && a.endsWith('@bounce.mail.example.net')) },
};

test('recipientRouter: postmaster (any case, our domains or bare), reports, bounces; everything else refused', async () => {
  const route = recipientRouter(rules);
  const cases: Array<[string, string]> = [
    ['Postmaster', 'postmaster'],
    ['postmaster@reports.mail.example.net', 'postmaster'],
    ['POSTMASTER@mail.example.net', 'postmaster'],
    ['postmaster@MX.mail.example.net', 'postmaster'],
    ['abcd2345@reports.mail.example.net', 'report'],
    ['b-x-0-y@bounce.mail.example.net', 'bounce'],
    ['nosuchtoken@reports.mail.example.net', 'unknown-report-address'],
    ['postmaster@example.org', 'relaying-denied'],
    ['victim@gmail.com', 'relaying-denied'],
    ['b-x-0-y@elsewhere.example', 'relaying-denied'],
  ];
  for (const [address, expected] of cases) {
    const routed = await route(address);
    assert.equal(routed.accepted ? routed.kind : routed.reason, expected, address);
  }
});

test('recipientRouter: without a postmaster sink or a bounce sink, those addresses are not ours', async () => {
  const route = recipientRouter({ ...rules, postmasterDomains: null, bounces: undefined });
  assert.deepEqual(await route('Postmaster'), { accepted: false, reason: 'relaying-denied' });
  assert.deepEqual(await route('postmaster@reports.mail.example.net'), {
    accepted: false,
    reason: 'unknown-report-address',
  });
  assert.deepEqual(await route('b-x-0-y@bounce.mail.example.net'), {
    accepted: false,
    reason: 'relaying-denied',
  });
});

test('recipientRouter: feedback and unsubscribe addresses; a forged unsubscribe address is no such user', async () => {
  const route = recipientRouter({
    ...rules,
    feedback: { accepts: (a) => Promise.resolve(a.toLowerCase() === 'fbl@reports.mail.example.net') },
    unsubscribes: { accepts: (a) => Promise.resolve(a === 'u-abc-0-goodmacz@bounce.mail.example.net') },
  });
  const cases: Array<[string, string]> = [
    ['FBL@reports.mail.example.net', 'feedback'],
    ['u-abc-0-goodmacz@bounce.mail.example.net', 'unsubscribe'],
    ['u-abc-0-forgedzz@bounce.mail.example.net', 'unknown-unsubscribe-address'],
    ['fbl@elsewhere.example', 'relaying-denied'],
  ];
  for (const [address, expected] of cases) {
    const routed = await route(address);
    assert.equal(routed.accepted ? routed.kind : routed.reason, expected, address);
  }
});
