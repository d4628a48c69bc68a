import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeReporter, reporterDomain, type MessageEvidence } from './reporter-trust.ts';

/** A two-label organisational domain, enough for these names (the real one is the Public Suffix List). */
const org = (name: string) => name.split('.').slice(-2).join('.');
const evidence = (e: Partial<MessageEvidence>): MessageEvidence => ({
  dkimPass: [],
  dkimSummary: 'no DKIM signature',
  clientIp: null,
  clientName: null,
  ...e,
});
const judge = (orgName: string, email: string | null, e: MessageEvidence | null, operatorTrust = false) =>
  judgeReporter({ orgName, email, evidence: e, operatorTrust, organizationalDomain: org });

test('reporterDomain: the email domain first, else org_name when it is a domain name', () => {
  assert.equal(reporterDomain('Enterprise Outlook', 'dmarcreport@Microsoft.COM'), 'microsoft.com');
  assert.equal(reporterDomain('google.com', null), 'google.com');
  assert.equal(reporterDomain('Yahoo', null), null);
  assert.equal(reporterDomain('Yahoo', 'not an address'), null);
});

test('judgeReporter: DKIM of the organisational domain verifies; of another domain it does not', () => {
  const ok = judge(
    'google.com',
    'noreply-dmarc-support@google.com',
    evidence({ dkimPass: ['mail.google.com'] }),
  );
  assert.deepEqual([ok.trust, ok.verifiedDomain], ['dkim', 'google.com']);
  const other = judge(
    'google.com',
    null,
    evidence({ dkimPass: ['evil.example'], dkimSummary: 'DKIM d=evil.example pass' }),
  );
  assert.equal(other.trust, 'unverified');
  assert.match(other.reason, /nothing proves google\.com: DKIM d=evil\.example pass/);
});

test('judgeReporter: a forger signing its own domain is verified as that domain, never as the org_name it wrote', () => {
  const v = judge('google.com', 'dmarc@evil.example', evidence({ dkimPass: ['evil.example'] }));
  assert.deepEqual([v.trust, v.verifiedDomain], ['dkim', 'evil.example']);
});

test('judgeReporter: a forward-confirmed client name inside the domain verifies; a name outside does not', () => {
  const inside = judge(
    'google.com',
    null,
    evidence({ clientIp: '192.0.2.1', clientName: 'mail-a.google.com' }),
  );
  assert.deepEqual([inside.trust, inside.verifiedDomain], ['fcrdns', 'google.com']);
  // A suffix match must be on a label boundary.
  const outside = judge('google.com', null, evidence({ clientIp: '192.0.2.1', clientName: 'notgoogle.com' }));
  assert.equal(outside.trust, 'unverified');
  assert.match(outside.reason, /client 192\.0\.2\.1 is notgoogle\.com, not in google\.com/);
});

test('judgeReporter: operator trust, no evidence, no domain', () => {
  assert.equal(judge('Yahoo', null, null, true).trust, 'operator');
  assert.match(judge('google.com', null, null).reason, /no message to check for google\.com/);
  assert.match(judge('Yahoo', null, evidence({})).reason, /names no domain to check/);
});
